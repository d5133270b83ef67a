#!/usr/bin/env python3
"""The workbench page of `annex serve` in a real browser (headless Chromium through Selenium).

    python3 Tests/Browser/workbench_test.py --server http://127.0.0.1:18080 \
        --samples samples --artifacts .build/browser-artifacts [--annex .build/debug/annex]

Runs what a clerk does: merges the July 2023 returns, downloads the city annex and compares it
with the one the CLI writes, checks the four July annexes and compares the findings with
`annex check --format json`, filters them by severity, draws a template's header, and normalizes
the returns. Saves a screenshot of each state into the artifacts folder. Exit 0 only when every
step passed; the last line is `workbench: N of M browser checks passed`.
"""

import argparse
import base64
import collections
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WIDTH, HEIGHT = 1366, 768
JOB_TIMEOUT = 180


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


class Workbench:
    def __init__(self, args):
        self.server = args.server.rstrip("/")
        self.samples = os.path.abspath(args.samples)
        self.artifacts = os.path.abspath(args.artifacts)
        self.annex = os.path.abspath(args.annex)
        self.token = args.token
        os.makedirs(self.artifacts, exist_ok=True)
        for old in glob.glob(os.path.join(self.artifacts, "*.png")):
            os.remove(old)
        self.downloads = tempfile.mkdtemp(prefix="workbench-downloads-")
        self.work = tempfile.mkdtemp(prefix="workbench-cli-")
        self.console = []
        self.driver = self.start_browser()

    def start_browser(self):
        chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
        chromedriver = shutil.which("chromedriver")
        if not chromium or not chromedriver:
            raise Failure("chromium and chromedriver are needed: apt-get install chromium chromium-driver")
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                         f"--window-size={WIDTH},{HEIGHT}", "--lang=zh-CN"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": self.downloads,
            "download.prompt_for_download": False,
            "intl.accept_languages": "zh-CN,zh",
        })
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        return driver

    # ---- helpers -----------------------------------------------------------------------------

    def css(self, selector, within=None):
        return (within or self.driver).find_elements(By.CSS_SELECTOR, selector)

    def one(self, selector, within=None):
        found = self.css(selector, within)
        check(found, f"nothing matches {selector}")
        return found[0]

    def wait_for(self, selector, timeout=30, what=None):
        try:
            return WebDriverWait(self.driver, timeout).until(
                EC.presence_of_element_located((By.CSS_SELECTOR, selector)))
        except Exception:
            self.screenshot("timeout")
            raise Failure(f"{what or selector} did not appear within {timeout} s")

    def collect_console(self):
        self.console += self.driver.get_log("browser")

    def assert_no_console_errors(self):
        self.collect_console()
        severe = [entry["message"] for entry in self.console if entry["level"] == "SEVERE"]
        check(not severe, "console errors:\n  " + "\n  ".join(severe))

    def screenshot(self, name):
        """The viewport as the clerk sees it at 1366×768, and the whole page for review."""
        self.driver.save_screenshot(os.path.join(self.artifacts, f"{name}.png"))
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics["cssContentSize"]
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        })
        with open(os.path.join(self.artifacts, f"{name}-full.png"), "wb") as out:
            out.write(base64.b64decode(shot["data"]))

    def open_tab(self, label):
        tab = [t for t in self.css('[role="tab"]') if t.text.strip() == label]
        check(tab, f"no tab {label}")
        tab[0].click()
        check(tab[0].get_attribute("aria-selected") == "true", f"tab {label} was not selected")

    def choose_files(self, form, paths):
        self.one('input[type="file"][name="files"]', form).send_keys("\n".join(paths))
        listed = len(self.css("[data-files] li", form))
        check(listed == len(paths), f"the file list shows {listed} files, {len(paths)} were chosen")

    def submit_and_wait(self, form):
        self.one('button[type="submit"]', form).click()
        deadline = time.time() + JOB_TIMEOUT
        while time.time() < deadline:
            if self.css("[data-result]", form):
                return self.one("[data-result]", form)
            error = self.css("[data-form-error]:not([hidden])", form)
            if error and error[0].text.strip():
                self.screenshot("job-error")
                raise Failure("the job failed: " + error[0].text.strip())
            time.sleep(0.2)
        self.screenshot("timeout")
        raise Failure(f"no [data-result] within {JOB_TIMEOUT} s")

    def watch_progress(self, form):
        """Records every text the form's progress line shows (the job may end in well under a second)."""
        self.driver.execute_script("""
            window.progressSeen = [];
            const line = arguments[0];
            new MutationObserver(() => window.progressSeen.push(line.textContent))
                .observe(line, { childList: true, characterData: true, subtree: true });
        """, self.one("[data-progress-text]", form))

    def no_horizontal_overflow(self, where):
        width = self.driver.execute_script("return document.documentElement.scrollWidth")
        view = self.driver.execute_script("return document.documentElement.clientWidth")
        check(width <= view, f"{where}: the page is {width}px wide in a {view}px window (horizontal scrolling)")

    def download(self, link):
        before = set(os.listdir(self.downloads))
        link.click()
        deadline = time.time() + 60
        while time.time() < deadline:
            new = [f for f in set(os.listdir(self.downloads)) - before
                   if not f.endswith((".crdownload", ".tmp")) and not f.startswith(".")]
            if new:
                path = os.path.join(self.downloads, new[0])
                if os.path.getsize(path) > 0:
                    return path
            time.sleep(0.2)
        raise Failure(f"the download of {link.get_attribute('href')} did not finish")

    def cli(self, *arguments, ok=(0,)):
        run = subprocess.run([self.annex, *arguments], capture_output=True, cwd=self.work)
        check(run.returncode in ok, f"annex {' '.join(arguments)} exited {run.returncode}: {run.stderr.decode()}")
        return run.stdout

    def dump(self, path):
        data = json.loads(self.cli("dump", path))
        data.pop("file", None)
        return data

    # ---- the steps ---------------------------------------------------------------------------

    def test_page_loads(self):
        self.driver.get(self.server + "/")
        if self.token:
            # A wrong token is refused in the dialog; the right one opens the workbench.
            dialog = self.wait_for("dialog[data-login][open]", what="the token dialog")
            field = self.one('input[name="token"]', dialog)
            field.send_keys("not-the-token")
            self.one('button[type="submit"]', dialog).click()
            self.wait_for("[data-login-error]:not([hidden])", what="the message for a wrong token")
            self.screenshot("00-token-dialog")
            field.clear()
            field.send_keys(self.token)
            self.one('button[type="submit"]', dialog).click()
            WebDriverWait(self.driver, 10).until(lambda d: not self.css("dialog[data-login][open]"))
            # The wrong try answered 401: the browser logs that as a failed resource load.
            self.collect_console()
            self.console = [e for e in self.console if "/api/login" not in e["message"]]
        self.wait_for('form[data-job="merge"] select[name="template"] option[value="social-insurance-2"]',
                      what="the layouts in the merge form")
        check(self.driver.title == "附件工作台", f"title is {self.driver.title!r}")
        for job in ("merge", "check", "normalize"):
            self.one(f'form[data-job="{job}"] input[type="file"][name="files"]')
        self.no_horizontal_overflow("the start page")
        # Offline: everything the page loaded came from the workbench itself.
        foreign = self.driver.execute_script(
            "return performance.getEntriesByType('resource').map(e => e.name)"
            ".filter(url => !url.startsWith(location.origin + '/'))")
        check(not foreign, f"the page loaded resources from elsewhere: {foreign}")
        self.screenshot("01-start")
        self.assert_no_console_errors()

    def test_merge(self):
        self.open_tab("合并")
        form = self.one('form[data-job="merge"]')
        Select(self.one('select[name="template"]', form)).select_by_value("social-insurance-2")
        returns = sorted(glob.glob(os.path.join(self.samples, "returns", "2023-07", "*")))
        returns = [p for p in returns if p.endswith((".xlsx", ".xls", ".csv"))]
        check(len(returns) > 20, f"only {len(returns)} returns under {self.samples}/returns/2023-07")
        self.choose_files(form, returns)
        self.screenshot("02-merge-files")
        result = self.submit_and_wait(form)

        units = self.css("table.units tbody tr", result)
        check(len(units) == 13, f"the units table has {len(units)} rows, 13 units sent returns")
        others = self.css("table.others tbody tr", result)
        check(len(others) == 13, f"{len(others)} files listed as not merged, expected the 13 就业培训一 returns")
        self.driver.execute_script("arguments[0].scrollIntoView()", result)
        self.no_horizontal_overflow("the merge result")
        self.screenshot("03-merge-result")

        link = self.one("a[data-download]", result)
        downloaded = self.download(link)
        expected = os.path.join(self.work, "merged-by-cli.xlsx")
        self.cli("merge", os.path.join(self.samples, "returns", "2023-07"), "--template", "social-insurance-2",
                 "-o", expected, ok=(0, 1))
        check(self.dump(downloaded) == self.dump(expected),
              "the annex downloaded from the page differs from `annex merge` (annex dump, file field ignored)")
        self.assert_no_console_errors()

    def test_merge_conflict_choice(self):
        """就业培训一 with two corrections of 青山湖区 that differ (更正 and 修正): the annex is written with
        青山湖区's row empty and the conflict offered as a choice; choosing the 更正 return and merging
        again settles it (sent as `prefer`)."""
        form = self.one('form[data-job="merge"]')
        Select(self.one('select[name="template"]', form)).select_by_value("employment-training-1")
        folder = os.path.join(self.samples, "returns", "2023-07")
        second = os.path.join(self.work, "青山湖区-就业培训一（修正）.xlsx")
        shutil.copy(os.path.join(folder, "青山湖区-就业培训一.xlsx"), second)
        self.one("[data-clear]", form).click()
        self.choose_files(form, sorted(glob.glob(os.path.join(folder, "*就业培训一*"))) + [second])
        result = self.submit_and_wait(form)
        radios = self.css('input[type="radio"][data-prefer]', result)
        # One choice per file of the conflict: the unmarked return and 修正 (2850) against 更正 (2805).
        check(len(radios) == 3, f"{len(radios)} choices for the conflicting returns, expected 3")
        choice = [r for r in radios if "更正" in r.get_attribute("value")]
        check(choice, "no choice names the corrected return")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice[0])
        choice[0].click()
        self.screenshot("04-merge-conflict")
        result = self.submit_and_wait(form)
        check(self.css("a[data-download]", result), "no annex after choosing the return that wins")
        check(not self.css('input[type="radio"][data-prefer]', result), "the conflict is still shown")
        self.assert_no_console_errors()

    def test_check(self):
        self.open_tab("校验")
        form = self.one('form[data-job="check"]')
        annexes = sorted(glob.glob(os.path.join(self.samples, "annexes", "2023-07-*.xlsx")))
        check(len(annexes) == 4, f"{len(annexes)} July annexes under {self.samples}/annexes")
        self.choose_files(form, annexes)
        self.watch_progress(form)
        result = self.submit_and_wait(form)
        seen = self.driver.execute_script("return window.progressSeen")
        check(any(f"已处理 {len(annexes)} / {len(annexes)} 个文件" in text for text in seen),
              f"the progress line never said 已处理 {len(annexes)} / {len(annexes)} 个文件: {seen}")

        expected = json.loads(self.cli("check", "--format", "json", *annexes, ok=(0, 1)))
        rows = self.css("tr[data-rule][data-severity]", result)
        check(len(rows) == len(expected), f"{len(rows)} findings on the page, `annex check` gives {len(expected)}")
        shown = collections.Counter((r.get_attribute("data-rule"), r.get_attribute("data-severity")) for r in rows)
        wanted = collections.Counter((f["rule"], f["severity"]) for f in expected)
        check(shown == wanted, f"rules and severities differ: page {dict(shown)}, CLI {dict(wanted)}")
        check(self.css("a[data-download]", result), "no download of the annotated copies")
        self.no_horizontal_overflow("the check result")
        self.screenshot("05-check-result")

        info = self.one('input[data-severity-filter="info"]', result)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", info)
        info.click()
        visible = [r for r in rows if r.is_displayed()]
        not_info = [f for f in expected if f["severity"] != "info"]
        check(len(visible) == len(not_info), f"{len(visible)} rows shown without 提示, expected {len(not_info)}")
        check(all(r.get_attribute("data-severity") != "info" for r in visible), "a 提示 row is still shown")
        self.screenshot("06-check-filtered")
        info.click()
        visible = [r for r in rows if r.is_displayed()]
        check(len(visible) == len(expected), f"{len(visible)} rows shown after ticking 提示 again")

        behind = self.css(".behind section", result)
        check(behind, "no behind-schedule lists")
        behind[0].location_once_scrolled_into_view
        self.screenshot("07-check-behind-schedule")
        self.assert_no_console_errors()

    def test_check_unreadable(self):
        """A file that is not a spreadsheet beside a good one: its error is shown beside it."""
        form = self.one('form[data-job="check"]')
        self.one("[data-clear]", form).click()
        broken = os.path.join(self.work, "不是表格.xlsx")
        with open(broken, "wb") as out:
            out.write(b"this is not a workbook")
        self.choose_files(form, [broken, os.path.join(self.samples, "annexes", "2023-07-社会保险二.xlsx")])
        result = self.submit_and_wait(form)
        items = self.css("[data-files] li.has-error", form)
        check(len(items) == 1 and items[0].get_attribute("data-file") == "不是表格.xlsx",
              "the unreadable file is not the one marked in the file list")
        check(self.one(".file-error", items[0]).text.strip(), "no error message beside the unreadable file")
        check(self.css("table.errors tbody tr", result), "the result does not list the unreadable file")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", items[0])
        self.screenshot("08-check-unreadable")
        self.one("[data-clear]", form).click()

    def test_templates(self):
        self.open_tab("模板")
        self.wait_for('[data-template-list] [data-template="social-insurance-2"]', what="the list of layouts")
        count = len(self.css("[data-template-list] [data-template]"))
        expected = len(json.loads(self.cli("templates", "--json")))
        check(count == expected, f"{count} layouts listed, `annex templates` gives {expected}")
        self.one('[data-template-list] [data-template="social-insurance-2"]').click()
        table = self.wait_for("[data-template-view] table.layout", what="the header of 社会保险二")
        check(self.css("th[rowspan]", table), "the header has no cell spanning rows")
        check(self.css("th[colspan]", table), "the header has no cell spanning columns")
        check("失业保险参保人数" in table.text, "the header of 社会保险二 lacks 失业保险参保人数")
        self.no_horizontal_overflow("the template view")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
        self.screenshot("09-template-social-insurance-2")
        # The blank return for one district: tick 南昌县, download, read it back with the CLI.
        blank = self.one('form[data-blank="social-insurance-2"]')
        self.one('input[name="unit"][value="南昌县"]', blank).click()
        link = self.one("a[data-download]", blank)
        check("unit=%E5%8D%97%E6%98%8C%E5%8E%BF" in link.get_attribute("href"), f"the blank link ignores the unit: {link.get_attribute('href')}")
        path = self.download(link)
        rows = self.cli("read", path).decode().splitlines()[1:]
        check(len(rows) == 13 and all(",南昌县," in row and row.endswith(",,empty") for row in rows),
              f"the downloaded blank return reads as {rows}")
        self.one('[data-template-list] [data-template="social-insurance-1"]').click()
        table = self.wait_for("[data-template-view] table.layout th.corner", what="the header of 社会保险一")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", table)
        wide = self.driver.execute_script(
            "const wrap = document.querySelector('[data-template-view] .layout-wrap');"
            "return wrap.scrollWidth - wrap.clientWidth")
        check(wide <= 0, f"the 24-column header of 社会保险一 needs {wide}px of horizontal scrolling at {WIDTH}px")
        self.one('[data-template-list] [data-template="department-performance"]').click()
        WebDriverWait(self.driver, 10).until(
            lambda d: "表单格式" in self.one("[data-template-view]").text and not self.css("[data-template-view] table"))
        self.screenshot("10-template-social-insurance-1")
        self.assert_no_console_errors()

    def test_normalize(self):
        self.open_tab("汇总")
        form = self.one('form[data-job="normalize"]')
        zipped = os.path.join(self.work, "2023-07.zip")
        folder = os.path.join(self.samples, "returns", "2023-07")
        with zipfile.ZipFile(zipped, "w") as archive:
            for path in sorted(glob.glob(os.path.join(folder, "*"))):
                archive.write(path, os.path.join("2023-07", os.path.basename(path)))
        self.choose_files(form, [zipped])
        if self.token:
            # The cookie is gone (expired, another browser profile): the job asks for the token
            # again and then runs.
            self.driver.delete_all_cookies()
            self.one('button[type="submit"]', form).click()
            dialog = self.wait_for("dialog[data-login][open]", what="the token dialog after a 401")
            self.one('input[name="token"]', dialog).send_keys(self.token)
            self.one('button[type="submit"]', dialog).click()
            result = self.wait_for('form[data-job="normalize"] [data-result]', timeout=JOB_TIMEOUT,
                                   what="the result of the job re-run after the token was given")
            # The refused try answered 401: the browser logs that as a failed resource load.
            self.collect_console()
            self.console = [e for e in self.console if "/api/normalize" not in e["message"]]
        else:
            result = self.submit_and_wait(form)
        links = self.css("a[data-download]", result)
        check(len(links) >= 1, "no download of the dataset")
        dataset = self.download(links[0])
        with open(dataset, encoding="utf-8-sig") as data:
            lines = data.read().splitlines()
        check(lines and lines[0].startswith("template,period,unit,indicator,measure,value,status"),
              f"the dataset does not start with the canonical header: {lines[:1]}")
        check(len(lines) - 1 == 845, f"the dataset has {len(lines) - 1} observations, the 27 returns hold 845")
        self.screenshot("11-normalize-result")

        # One file that cannot be read never stops the rest; its reason is shown beside it.
        self.one("[data-clear]", form).click()
        broken = os.path.join(self.work, "坏文件.xlsx")
        with open(broken, "wb") as out:
            out.write(b"this is not a workbook")
        self.choose_files(form, [broken, os.path.join(folder, "东湖区-社会保险二.csv")])
        result = self.submit_and_wait(form)
        marked = [li.get_attribute("data-file") for li in self.css("[data-files] li.has-error", form)]
        check(marked == ["坏文件.xlsx"], f"files marked as failed: {marked}, expected 坏文件.xlsx")
        check(len(self.css("table.problems tbody tr", result)) == 1, "the failed file is not listed in the result")
        check(self.css("a[data-download]", result), "no dataset from the file that could be read")
        self.assert_no_console_errors()

    def run(self):
        steps = [self.test_page_loads, self.test_merge, self.test_merge_conflict_choice, self.test_check,
                 self.test_check_unreadable, self.test_templates, self.test_normalize]
        passed = failed = 0
        for step in steps:
            name = step.__name__
            started = time.time()
            try:
                step()
                passed += 1
                print(f"ok    {name} ({time.time() - started:.1f} s)", flush=True)
            except Failure as failure:
                failed += 1
                print(f"FAIL  {name}: {failure}", flush=True)
            except Exception:
                failed += 1
                print(f"FAIL  {name}: unexpected error\n{traceback.format_exc()}", flush=True)
        self.driver.quit()
        shutil.rmtree(self.downloads, ignore_errors=True)
        shutil.rmtree(self.work, ignore_errors=True)
        print(f"screenshots in {self.artifacts}")
        # Not the `N passed, M failed` shape: inside `swift test`, only XCTest's count closes the run.
        print(f"workbench: {passed} of {passed + failed} browser checks passed")
        return failed == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True, help="the workbench, e.g. http://127.0.0.1:18080")
    parser.add_argument("--samples", required=True, help="the samples folder of the checkout")
    parser.add_argument("--artifacts", required=True, help="where the screenshots go")
    parser.add_argument("--annex", default=shutil.which("annex") or ".build/debug/annex",
                        help="the annex binary that gives the expected results")
    parser.add_argument("--token", help="the access token, when the workbench has one")
    args = parser.parse_args()
    try:
        workbench = Workbench(args)
    except Failure as failure:
        print(f"FAIL  start: {failure}\nworkbench: 0 of 1 browser checks passed")
        sys.exit(1)
    sys.exit(0 if workbench.run() else 1)


if __name__ == "__main__":
    main()
