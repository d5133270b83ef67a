#!/usr/bin/env python3
"""Two months of district returns (区县报表) for `annex merge`, `annex normalize` and `annex archive`.

    python3 samples/returns/make_returns.py [ROOT]      # default: samples/returns

Writes ROOT/2023-07, ROOT/2023-06 and ROOT/2023-07-wrong.

2023-07: the returns that the districts of Nanchang send the city for July 2023, for two annexes:
就业培训一 (employment-training-1) and 社会保险二 (social-insurance-2), as they would arrive:
single-row workbooks, whole tables with only the sender's row filled, CSV saved from Excel in
GB18030 and UTF-8, one messy return, a unit with no return, a unit with two different returns and a
unit with the same return twice. The figures are the seed's (Tests/Fixtures/seed-tables/<id>.tsv,
the July 2023 通报), except where a case says otherwise; the layouts come from templates/<id>.json.

2023-06: one plain return per unit and annex for June, derived from July so that month on month holds:
June's 累计完成 = July's 累计完成 − July's 本月完成; June's 本月完成 is July's (a plausible month, checked
against nothing: May is not made); 占全年任务 = July's × June's 累计完成 / July's 累计完成 (the target
is the same), rounded half up to two places; “-” stays “-”; other columns as in July.

2023-07-wrong: 南昌县's July 就业培训一 with one figure mistyped — 城镇人数新增就业 本月完成 564 for 546 —
which only month on month finds (`annex check --archive` with June archived).

Deterministic: the same bytes on every run (fixed workbook timestamps, zip members rewritten with a
fixed date and order). Needs Python 3.11 and openpyxl (3.1.5 used). annex is never run here.
"""

import csv
import io
import json
import os
import re
import shutil
import sys
import zipfile
from decimal import Decimal, ROUND_HALF_UP

import openpyxl
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter, range_boundaries

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TEMPLATES = os.path.join(REPO, "templates")
SEEDS = os.path.join(REPO, "Tests", "Fixtures", "seed-tables")
YEAR, MONTH = "2023", "7"
FIXED_TIME = (2023, 8, 3, 9, 30, 0)     # zip member dates
FIXED_ISO = "2023-08-03T09:30:00Z"     # docProps/core.xml

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


class Template:
    def __init__(self, tid):
        with open(os.path.join(TEMPLATES, tid + ".json"), encoding="utf-8") as f:
            self.t = json.load(f)
        self.id = tid
        self.name = self.t["name"]
        self.header_rows = self.t["header"]["rows"]
        self.cells = []
        for c in self.t["header"]["cells"]:
            rng = c["range"] if ":" in c["range"] else c["range"] + ":" + c["range"]
            c1, r1, c2, r2 = range_boundaries(rng)
            self.cells.append((r1, c1, r2, c2, c["text"]))
        self.width = max(c[3] for c in self.cells)
        self.formats = self.t["formats"]
        # The value columns' number formats and measures (leaf header), left to right (column B onwards).
        self.column_formats = []
        self.column_measures = []
        for col in range(2, self.width + 1):
            chain = [c for c in sorted(self.cells, key=lambda c: c[0]) if c[1] <= col <= c[3]]
            texts = [re.sub(r"\s+", "", c[4]) for c in chain]
            indicator, measure = (texts[0], "") if len(texts) == 1 else (" / ".join(texts[:-1]), texts[-1])
            fmt = (self.formats.get("byIndicator", {}).get(indicator)
                   or self.formats.get("byMeasure", {}).get(measure) or self.formats["default"])
            self.column_formats.append(fmt)
            self.column_measures.append(measure)
        self.seed = {}
        self.order = []
        with open(os.path.join(SEEDS, tid + ".tsv"), encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                fields = line.rstrip("\n").split("\t")
                name = {"红谷滩新区": "红谷滩区"}.get(fields[0], fields[0])
                self.seed[name] = fields[1:] + [""] * (self.width - len(fields))
                self.order.append(name)

    def line(self, role):
        for ln in self.t["lines"]:
            if ln["role"] == role:
                return ln["text"].replace("{year}", YEAR).replace("{month}", MONTH)
        return None


def number(token, fmt):
    """A printed token as the cell value a statistician types: a number in the column's format
    (a % column stores the fraction), or the marker text."""
    if token in ("-", "－", "—", "无") or token == "":
        return (token or None), None
    d = Decimal(token.rstrip("%"))
    if "%" in fmt:
        return float(d / 100), fmt
    return (int(d) if d == d.to_integral_value() and "." not in token else float(d)), fmt


FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "0123456789.-%"}


class Return:
    """A return as a grid: rows of (value, number format) from column `col0`, merges, sheet name."""

    def __init__(self, tpl, sheet=None, col0=1):
        self.tpl = tpl
        self.sheet = sheet or tpl.name
        self.col0 = col0
        self.cells = {}     # (row, col) 1-based -> (value, fmt, boxed)
        self.merges = []
        self.row = 1

    def put(self, r, c, value, fmt=None, boxed=False):
        self.cells[(r, c)] = (value, fmt, boxed)

    def lines(self, texts):
        last = self.col0 + self.tpl.width - 1
        for text in texts:
            if text is not None:
                self.put(self.row, self.col0, text)
                self.merges.append((self.row, self.col0, self.row, last))
            self.row += 1

    def header(self, replace=None):
        replace = replace or {}
        for r1, c1, r2, c2, text in self.tpl.cells:
            r, c = self.row + r1 - 1, self.col0 + c1 - 1
            self.put(r, c, replace.get(text, text), boxed=True)
            for rr in range(r, self.row + r2):
                for cc in range(c, self.col0 + c2):
                    if (rr, cc) != (r, c):
                        self.put(rr, cc, None, boxed=True)
            if (r1, c1) != (r2, c2):
                self.merges.append((r, c, self.row + r2 - 1, self.col0 + c2 - 1))
        self.row += self.tpl.header_rows

    def data(self, written, tokens, style=None):
        """One unit row; `style(i, token)` gives (value, fmt) to store instead of the plain number."""
        self.put(self.row, self.col0, written, boxed=True)
        for i, (token, fmt) in enumerate(zip(tokens, self.tpl.column_formats)):
            value, cell_fmt = style(i, token) if style else number(token, fmt)
            self.put(self.row, self.col0 + 1 + i, value, cell_fmt or fmt, boxed=True)
        self.row += 1

    def footnotes(self):
        self.lines(self.tpl.t["footnotes"])

    # ---- writers

    def save_xlsx(self, path):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = self.sheet
        for (r, c), (value, fmt, boxed) in sorted(self.cells.items()):
            cell = ws.cell(row=r, column=c)
            if value is not None:
                cell.value = value
            if fmt:
                cell.number_format = fmt
            if boxed:
                cell.border = BOX
                cell.alignment = CENTER
        for r1, c1, r2, c2 in self.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        ws.column_dimensions[get_column_letter(self.col0)].width = 14
        wb.properties.creator = "县区统计员"
        wb.save(path)
        deterministic_zip(path)

    def save_csv(self, path, encoding):
        """As Excel's “CSV (逗号分隔)” saves it: shown values, merged text in the first cell only,
        every line as wide as the used range, CRLF."""
        rows = max(r for r, _ in self.cells)
        cols = max(c for _, c in self.cells)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        for r in range(1, rows + 1):
            w.writerow([shown(*self.cells.get((r, c), (None, None, False))[:2]) for c in range(1, cols + 1)])
        data = buf.getvalue().encode(encoding)
        with open(path, "wb") as f:
            f.write((b"\xef\xbb\xbf" if encoding == "utf-8" else b"") + data)


def shown(value, fmt):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = fmt or "General"
    if fmt == "General":
        s = format(d, "f")
        return s.rstrip("0").rstrip(".") if "." in s else s
    suffix = ""
    if fmt.endswith("%"):
        d, fmt, suffix = d * 100, fmt[:-1], "%"
    places = len(fmt.split(".")[1]) if "." in fmt else 0
    return format(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f") + suffix


def deterministic_zip(path):
    """Rewrites an openpyxl workbook with fixed member dates and document timestamps."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_ISO.encode(), data)
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            z.writestr(info, data)


def standard(tpl, **kw):
    ret = Return(tpl, **kw)
    ret.lines([tpl.line("title"), tpl.line("period"), tpl.line("units")])
    ret.header()
    return ret


def single(tpl, unit, written=None, tokens=None, style=None, **kw):
    """A district's own return: title, period, units line, header, its one row, footnotes."""
    ret = standard(tpl, **kw)
    ret.data(written or unit, tokens or tpl.seed[unit], style)
    ret.footnotes()
    return ret


def whole_table(tpl, unit, prefilled=()):
    """The city's blank layout sent back with only `unit`'s row filled. `prefilled` units carry the
    “-” the city's blank copy prints in their unassigned cells."""
    ret = standard(tpl)
    for name in tpl.order:
        if name == unit:
            ret.data(name, tpl.seed[name])
        elif name in prefilled:
            ret.data(name, ["-" if tok == "-" else "" for tok in tpl.seed[name]])
        else:
            ret.data(name, [""] * len(tpl.seed[name]))
    ret.footnotes()
    return ret


class Folder:
    """An output folder, emptied first, and the files written to it."""

    def __init__(self, root, name):
        self.path = os.path.join(root, name)
        if os.path.isdir(self.path):
            shutil.rmtree(self.path)
        os.makedirs(self.path)
        self.written = []

    def xlsx(self, name, ret):
        ret.save_xlsx(os.path.join(self.path, name))
        self.written.append(name)

    def csv(self, name, ret, encoding):
        ret.save_csv(os.path.join(self.path, name), encoding)
        self.written.append(name)

    def done(self):
        print("make_returns: %d files written to %s" % (len(self.written), self.path))


def july(root, et1, si2):
    out = Folder(root, "2023-07")
    xlsx, csv_file = out.xlsx, out.csv

    # ---------------- 就业培训一: 湾里管理局 sends nothing; 青山湖区 sends two different versions.
    for unit in ["市本级", "南昌县", "进贤县", "安义县", "西湖区", "青云谱区", "经开区", "高新区"]:
        xlsx("%s-就业培训一.xlsx" % unit, single(et1, unit))
    # The whole table back, only 新建区's row filled; 市本级's row keeps the blank copy's dashes.
    xlsx("新建区-就业培训一.xlsx", whole_table(et1, "新建区", prefilled=["市本级"]))
    # 东湖区 saves its return as CSV from Excel on a Chinese Windows: GB18030, CRLF.
    csv_file("东湖区-就业培训一.csv", single(et1, "东湖区"), "gb18030")
    # 青山湖区: a first version with 城镇人数新增就业 累计完成 typed as 2850, then a correction (2805).
    first = list(et1.seed["青山湖区"])
    first[1] = "2850"
    xlsx("青山湖区-就业培训一.xlsx", single(et1, "青山湖区", tokens=first))
    xlsx("青山湖区-就业培训一（更正）.xlsx", single(et1, "青山湖区"))

    # Messy: 红谷滩区 under its former name, the table moved to column B under an 附件1 line, header
    # texts with spaces and line breaks, figures as text (full-width digits in two cells), a
    # ratio typed with a % sign, an empty row between the header and the data.
    def messy_style(i, token):
        if i in (0, 1):
            return "".join(FULLWIDTH.get(ch, ch) for ch in token), None
        if i == 2:
            return token + "%", None
        return token, None
    messy = Return(et1, sheet="Sheet1", col0=2)
    messy.lines(["附件1", et1.line("title"), None, "填报单位：红谷滩新区人社局              单位：人、%"])
    messy.header(replace={"城镇人数新增就业": "城镇人数 新增就业", "零就业家庭就业安置率": "零就业家庭\n就业安置率",
                          "“4050”人员再就业人数": "\"4050\"人员再就业人数"})
    messy.row += 1
    messy.data("红谷滩新区", et1.seed["红谷滩区"], messy_style)
    xlsx("红谷滩区-就业培训一.xlsx", messy)

    # ---------------- 社会保险二: every unit; 安义县 sends its return twice (xlsx and CSV, same figures).
    for unit in ["市本级", "南昌县", "新建区", "进贤县", "安义县", "西湖区", "青云谱区", "湾里管理局", "高新区"]:
        xlsx("%s-社会保险二.xlsx" % unit, single(si2, unit))
    csv_file("安义县-社会保险二.csv", single(si2, "安义县"), "gb18030")
    csv_file("东湖区-社会保险二.csv", single(si2, "东湖区"), "utf-8")
    xlsx("青山湖区-社会保险二.xlsx", whole_table(si2, "青山湖区"))
    # 经开区 types percentages three ways: the fraction under 0.00%, the text “101.92%”, a plain
    # 101.20 in a General cell; the period line says 2023年1-7月.
    def percent_style(i, token):
        fmt = si2.column_formats[i]
        if "%" not in fmt:
            return number(token, fmt)
        return [(float(Decimal(token.rstrip("%")) / 100), fmt), (token, None),
                (float(Decimal(token.rstrip("%"))), "General")][(i // 3) % 3]
    jk = Return(si2, sheet="社保二")
    jk.lines([si2.line("title"), "2023年1-7月", si2.line("units")])
    jk.header()
    jk.data("经开区", si2.seed["经开区"], percent_style)
    xlsx("经开区-社会保险二.xlsx", jk)
    xlsx("红谷滩区-社会保险二.xlsx", single(si2, "红谷滩区", written="红谷滩新区"))

    out.done()


def june_tokens(tpl, unit):
    """June's figures for a unit, derived from July's (see the module's docstring)."""
    july_tokens = tpl.seed[unit]
    measures = tpl.column_measures
    june = list(july_tokens)
    for i, measure in enumerate(measures):
        if measure != "累计完成" or measures[i - 1] != "本月完成":
            continue
        flow, total = july_tokens[i - 1], july_tokens[i]
        if flow in ("-", "") or total in ("-", ""):
            continue
        june[i] = str(Decimal(total) - Decimal(flow))
        if i + 1 < len(measures) and measures[i + 1] == "占全年任务" and july_tokens[i + 1] not in ("-", ""):
            ratio = july_tokens[i + 1]
            percent = ratio.endswith("%")
            share = Decimal(ratio.rstrip("%")) * Decimal(june[i]) / Decimal(total) if Decimal(total) else Decimal(0)
            june[i + 1] = str(share.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) + ("%" if percent else "")
    return june


def june(root, et1, si2):
    out = Folder(root, "2023-06")
    for tpl in (et1, si2):
        for unit in tpl.order:
            if unit in tpl.t["rows"].get("totals", []):
                continue
            out.xlsx("%s-%s.xlsx" % (unit, tpl.name), single(tpl, unit, tokens=june_tokens(tpl, unit)))
    out.done()


def july_wrong(root, et1):
    out = Folder(root, "2023-07-wrong")
    tokens = list(et1.seed["南昌县"])
    assert tokens[0] == "546"
    tokens[0] = "564"
    out.xlsx("南昌县-就业培训一.xlsx", single(et1, "南昌县", tokens=tokens))
    out.done()


def main():
    global MONTH
    root = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else HERE
    et1 = Template("employment-training-1")
    si2 = Template("social-insurance-2")
    MONTH = "7"
    july(root, et1, si2)
    july_wrong(root, et1)
    MONTH = "6"
    june(root, et1, si2)


if __name__ == "__main__":
    main()
