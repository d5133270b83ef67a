#!/usr/bin/env python3
"""The workbench page in headless Firefox, a manual check beside workbench_test.py (Chromium).

    python3 Tests/Browser/firefox_smoke.py --server http://127.0.0.1:18080 --samples samples \
        --artifacts .build/browser-artifacts

Debian has no geckodriver, so this talks WebDriver BiDi to Firefox directly (Firefox ESR 128+,
`apt-get install firefox-esr`; `websocket-client` comes with selenium). The server must run
without a token. Checks the four July annexes (the findings rows equal the count given by
--expected-findings, 83 for the samples) and draws 社会保险一's 24-column header without horizontal
scrolling; fails on any console message of level error. Screenshots: firefox-check.png,
firefox-template.png.
"""

import argparse
import base64
import glob
import json
import os
import shutil
import socket as sockets
import subprocess
import sys
import tempfile
import time

import websocket

class BiDi:
    def __init__(self, socket):
        self.socket = socket
        self.next_id = 0
        self.logs = []

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("type") == "event":
                if message["method"] == "log.entryAdded":
                    self.logs.append(message["params"])
            elif message.get("id") == self.next_id:
                if message.get("type") == "error":
                    raise RuntimeError(f"{method}: {message.get('message') or message}")
                return message["result"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", required=True)
    parser.add_argument("--samples", required=True)
    parser.add_argument("--artifacts", required=True)
    parser.add_argument("--expected-findings", type=int, default=83)
    args = parser.parse_args()
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    if not firefox:
        sys.exit("FAIL  firefox is needed: apt-get install firefox-esr")
    os.makedirs(args.artifacts, exist_ok=True)

    with sockets.socket() as probe:  # a free port for Firefox's BiDi server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    home = tempfile.mkdtemp(prefix="firefox-home-")
    browser = subprocess.Popen(
        [firefox, "--headless", "--no-remote", "--profile", tempfile.mkdtemp(prefix="firefox-profile-"),
         "--remote-debugging-port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "HOME": home})
    failures = []
    try:
        socket = None
        for _ in range(100):
            try:
                # Firefox refuses a handshake with an Origin header.
                socket = websocket.create_connection(f"ws://127.0.0.1:{port}/session", suppress_origin=True)
                break
            except (ConnectionRefusedError, websocket.WebSocketException):
                time.sleep(0.2)
        if socket is None:
            sys.exit("FAIL  Firefox did not open its WebDriver BiDi port")
        bidi = BiDi(socket)
        bidi.call("session.new", capabilities={})
        bidi.call("session.subscribe", events=["log.entryAdded"])
        context = bidi.call("browsingContext.getTree")["contexts"][0]["context"]
        bidi.call("browsingContext.setViewport", context=context, viewport={"width": 1366, "height": 625})
        bidi.call("browsingContext.navigate", context=context, url=args.server.rstrip("/") + "/", wait="complete")

        def evaluate(expression):
            result = bidi.call("script.evaluate", expression=expression, target={"context": context}, awaitPromise=True)
            return result["result"].get("value")

        def wait_until(expression, what, timeout=60):
            deadline = time.time() + timeout
            while time.time() < deadline:
                if evaluate(expression):
                    return True
            failures.append(f"{what} did not happen within {timeout} s")
            return False

        def screenshot(name):
            data = bidi.call("browsingContext.captureScreenshot", context=context)["data"]
            with open(os.path.join(args.artifacts, name), "wb") as out:
                out.write(base64.b64decode(data))

        wait_until("document.querySelectorAll('form[data-job=merge] select option').length > 2", "the layouts loading")

        evaluate("document.querySelector('#tab-check').click()")
        node = bidi.call("script.evaluate", expression="document.querySelector('form[data-job=check] input[name=files]')",
                         target={"context": context}, awaitPromise=False)["result"]
        annexes = sorted(glob.glob(os.path.join(os.path.abspath(args.samples), "annexes", "2023-07-*.xlsx")))
        bidi.call("input.setFiles", context=context, element={"sharedId": node["sharedId"]}, files=annexes)
        evaluate("document.querySelector('form[data-job=check] button[type=submit]').click()")
        if wait_until("!!document.querySelector('form[data-job=check] [data-result]')", "the check result"):
            rows = evaluate("document.querySelectorAll('tr[data-rule][data-severity]').length")
            if rows != args.expected_findings:
                failures.append(f"{rows} findings rows, expected {args.expected_findings}")
            evaluate("document.querySelector('form[data-job=check] [data-result]').scrollIntoView()")
            screenshot("firefox-check.png")

        evaluate("document.querySelector('#tab-templates').click()")
        evaluate("document.querySelector('[data-template=\"social-insurance-1\"]').click()")
        if wait_until("!!document.querySelector('table.layout th.corner')", "the header of 社会保险一"):
            overflow = evaluate("(w => w.scrollWidth - w.clientWidth)(document.querySelector('.layout-wrap'))")
            if overflow > 0:
                failures.append(f"社会保险一's header needs {overflow}px of horizontal scrolling")
            evaluate("document.querySelector('table.layout').scrollIntoView({block: 'center'})")
            screenshot("firefox-template.png")

        errors = [entry.get("text") for entry in bidi.logs if entry.get("level") == "error"]
        if errors:
            failures.append("console errors: " + "; ".join(map(str, errors)))
        socket.close()
    finally:
        browser.terminate()
        browser.wait()

    for failure in failures:
        print(f"FAIL  {failure}")
    print("firefox: " + ("ok" if not failures else f"{len(failures)} failed") + f"; screenshots in {args.artifacts}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
