#!/usr/bin/env python3
"""District returns for annex: realistic annex workbooks and CSV exports, each with the exact
canonical observations `annex read` must give for it.

    python3 make_returns.py OUTDIR

Writes OUTDIR/returns/<template>/..., OUTDIR/expected/<template>/<case>.csv, OUTDIR/samples/
and OUTDIR/returns.json (see returns-README.md). The layouts come from templates/*.json and the
data rows from Tests/Fixtures/seed-tables/*.tsv (cells as printed). Needs Python 3.11, openpyxl
and LibreOffice (`soffice`); without soffice it stops with exit status 1.

Every expected observation is derived from the *printed token* of its cell (what the seed table
says, or what the case puts there instead, such as “无”), never from the file. The script then
reads every file back (openpyxl or the csv module) with a second, independent interpretation and
stops with exit status 1 when the two disagree, so each file provably holds what its expected.csv
says.
"""

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, ROUND_HALF_UP

import openpyxl
from openpyxl.styles import Alignment, Border, Side
from openpyxl.utils import get_column_letter, range_boundaries

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
TEMPLATES = os.path.join(REPO, "templates")
SEEDS = os.path.join(HERE, "seed-tables")
sys.dont_write_bytecode = True

TEMPLATE_IDS = ["employment-training-1", "employment-training-2", "social-insurance-1",
                "social-insurance-2", "employment-targets", "budget-general-expenditure",
                "budget-basic-expenditure"]
# The period of the seeds: 000 is the July 2023 通报, 004 the 2021 就业工作要点, 001 the 2024 budget.
PERIOD = {"employment-training-1": "2023-07", "employment-training-2": "2023-07",
          "social-insurance-1": "2023-07", "social-insurance-2": "2023-07",
          "employment-targets": "2021", "budget-general-expenditure": "2024",
          "budget-basic-expenditure": "2024"}
DEPT_CODE = "601"
DEPT_NAME = "南昌市人力资源和社会保障局"
FIXED_COLUMNS = ["template", "period", "unit", "indicator", "measure", "value", "status"]
DASHES = ("-", "－", "—")


def die(msg):
    sys.stderr.write("make_returns: " + msg + "\n")
    sys.exit(1)


# =============================================================== templates

@dataclass
class Col:
    offset: int          # 0-based column inside the table (key columns included)
    indicator: str
    measure: str
    fmt: str

    @property
    def percent(self):
        return "%" in self.fmt


@dataclass
class HCell:
    r1: int              # 1-based, relative to the header block
    c1: int
    r2: int
    c2: int
    text: str


class Template:
    def __init__(self, tid):
        with open(os.path.join(TEMPLATES, tid + ".json"), encoding="utf-8") as f:
            self.t = json.load(f)
        self.id = tid
        self.name = self.t["name"]
        self.period = PERIOD[tid]
        self.year = self.period[:4]
        self.month = str(int(self.period[5:])) if len(self.period) > 4 else ""
        h = self.t["header"]
        self.header_rows = h["rows"]
        self.number_row = h.get("numberRow")
        self.hcells = []
        for c in h["cells"]:
            rng = c["range"] if ":" in c["range"] else c["range"] + ":" + c["range"]
            c1, r1, c2, r2 = range_boundaries(rng)
            self.hcells.append(HCell(r1, c1, r2, c2, self.fill(c["text"])))
        self.width = max(c.c2 for c in self.hcells)
        self.key_offsets = [range_boundaries(k["column"] + "1")[0] - 1 for k in self.t["keyColumns"]]
        self.key_roles = [k["role"] for k in self.t["keyColumns"]]
        self.cols = self._columns()
        self.registry = None
        reg = self.t["rows"].get("registry")
        if reg:
            with open(os.path.join(TEMPLATES, "registries", reg + ".json"), encoding="utf-8") as f:
                self.registry = json.load(f)
        self.codes = self.t.get("codes")

    def fill(self, text):
        return (text.replace("{year}", self.year).replace("{month}", self.month)
                .replace("{deptCode}", DEPT_CODE).replace("{deptName}", DEPT_NAME))

    def line(self, role):
        for ln in self.t["lines"]:
            if ln["role"] == role:
                return self.fill(ln["text"])
        return None

    def covering(self, r, c):
        for hc in self.hcells:
            if hc.r1 <= r <= hc.r2 and hc.c1 <= c <= hc.c2:
                return hc
        die("%s: header position (%d,%d) not covered" % (self.id, r, c))

    def _columns(self):
        """Indicator = header path above the leaf (white space removed, ' / '-joined), measure = leaf."""
        f = self.t["formats"]
        out = []
        for c in range(1, self.width + 1):
            if c - 1 in self.key_offsets:
                continue
            chain = []
            for r in range(1, self.header_rows + 1):
                hc = self.covering(r, c)
                if not chain or chain[-1] is not hc:
                    chain.append(hc)
            texts = [nows(hc.text) for hc in chain]
            if len(texts) == 1:
                ind, meas = texts[0], ""
            else:
                ind, meas = " / ".join(texts[:-1]), texts[-1]
            fmt = f.get("byIndicator", {}).get(ind) or f.get("byMeasure", {}).get(meas) or f["default"]
            out.append(Col(c - 1, ind, meas, fmt))
        return out

    def seed_rows(self):
        rows = []
        with open(os.path.join(SEEDS, self.id + ".tsv"), encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line:
                    continue
                cells = line.split("\t")
                nkeys = len(self.key_offsets)
                cells += [""] * (nkeys + len(self.cols) - len(cells))
                if len(cells) != nkeys + len(self.cols):
                    die("%s: seed row has %d cells: %r" % (self.id, len(cells), line))
                rows.append((cells[:nkeys], cells[nkeys:]))
        return rows


def nows(text):
    return re.sub(r"\s+", "", text)


# =============================================================== canonical values (from tokens)

def plain(d):
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def canon_token(tok):
    """The canonical (value, status) of a printed token: “-”/“－”/“—”, “无”, blank or a number
    as printed (`57.50`, `100.92%`, `14,880.38`, `-52`)."""
    if tok.strip() == "":
        return "", "empty"
    if tok in DASHES:
        return "-", "not_assigned"
    if tok == "无":
        return "无", "not_carried_out"
    return plain(Decimal(tok.replace(",", "").rstrip("%"))), "value"


def number_of(tok):
    return Decimal(tok.replace(",", "").rstrip("%"))


FW = {c: chr(ord(c) + 0xFEE0) for c in "0123456789.,-%"}


def fullwidth(text):
    return "".join(FW.get(c, c) for c in text)


def with_commas(tok):
    d = tok.replace(",", "").rstrip("%")
    sign = "-" if d.startswith("-") else ""
    d = d.lstrip("-")
    whole, _, frac = d.partition(".")
    whole = "{:,}".format(int(whole))
    return sign + whole + ("." + frac if frac else "")


# How a cell is stored. Every style keeps the token's meaning (checked by the read-back).
#   num        number, the column's format; a % column stores the fraction (100.92% -> 1.0092)
#   general    number with General format (a % column: the percent units, 100.92)
#   text       the token as printed, as text ("3584", "100.92%", "14,880.38")
#   comma      text with thousands separators ("37,123")
#   fw         text in full-width digits, point, comma, minus and percent ("３５８４", "１００．９２％")
#   pct_plain  text without the % sign ("100.92")
#   pct_fwsign text with a full-width ％ ("100.92％")
#   pct_0      fraction with format "0%" (shown 101%, the stored number counts)
#   pct_0.0    fraction with format "0.0%"
#   blank      no cell; blank_str: the text ""; blank_space: the text " "
def encode(tok, col, style):
    """(python value, number format or None) for a token stored in a given style."""
    if tok.strip() == "":
        return {"blank": None, "blank_str": "", "blank_space": " "}.get(style, None), None
    if tok in DASHES or tok == "无":
        return tok, None
    d = number_of(tok)
    raw = tok.replace(",", "").rstrip("%")
    if style == "num":
        if col.percent:
            return float(d / 100), col.fmt
        return (int(d) if "." not in raw else float(d)), col.fmt
    if style == "general":
        return (int(d) if "." not in raw else float(d)), "General"
    if style == "text":
        return tok, None
    if style == "comma":
        return with_commas(tok) + ("%" if tok.endswith("%") else ""), None
    if style == "fw":
        return fullwidth(tok), None
    if style == "pct_plain":
        return raw, None
    if style == "pct_fwsign":
        return raw + "％", None
    if style in ("pct_0", "pct_0.0"):
        return float(d / 100), style[4:] + "%"
    die("unknown style " + style)


# =============================================================== a return, described

@dataclass
class Row:
    keys: list                     # the key cells as written (unit; or code, name)
    unit: str                      # expected canonical unit (name or full code)
    cells: list                    # [(token, style)] one per value column
    unit_name: str = None          # budget rows: subject name as printed


@dataclass
class Return:
    tpl: Template
    rel: str                       # file path relative to OUTDIR
    case: str
    proves: str
    sheet: str = None
    col0: int = 1                  # 1-based column of the table's first column
    above: list = field(default_factory=list)   # [(text or None, merged)] before the header
    header_text: dict = field(default_factory=dict)   # template text -> printed text
    header_range_text: dict = field(default_factory=dict)  # "B2" (relative start) -> printed text
    number_row: bool = True
    rows: list = field(default_factory=list)    # Row or None (a blank row)
    foot: list = field(default_factory=list)    # footnote texts
    foot_gap: bool = False
    department: bool = False       # the sheet prints the [601] line
    maker: str = "openpyxl"
    args: list = None
    sample: str = None             # a file name under OUTDIR/samples/

    def expected(self):
        t = self.tpl
        out = []
        for row in self.rows:
            if row is None:
                continue
            for col, (tok, _) in zip(t.cols, row.cells):
                value, status = canon_token(tok)
                rec = [t.id, t.period, row.unit, col.indicator, col.measure, value, status]
                if t.codes is not None:
                    rec.append(row.unit_name)
                    if self.department:
                        rec += [DEPT_CODE, DEPT_NAME]
                out.append(rec)
        return out

    def columns(self):
        cols = list(FIXED_COLUMNS)
        if self.tpl.codes is not None:
            cols.append("unit_name")
            if self.department:
                cols += ["department", "department_name"]
        return cols


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_table(ws, ret):
    """Writes the return's table into an openpyxl sheet; gives the header's first row."""
    t = ret.tpl
    c0 = ret.col0
    last = c0 + t.width - 1
    r = 1
    for text, merged in ret.above:
        if text is not None:
            ws.cell(row=r, column=c0, value=text)
            if merged:
                ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=last)
                ws.cell(row=r, column=c0).alignment = Alignment(horizontal="center")
        r += 1
    header_row = r
    for hc in t.hcells:
        start = get_column_letter(hc.c1) + str(hc.r1)
        text = ret.header_range_text.get(start, ret.header_text.get(hc.text, hc.text))
        cell = ws.cell(row=r + hc.r1 - 1, column=c0 + hc.c1 - 1, value=text)
        cell.alignment = WRAP
        cell.border = BOX
        if (hc.r1, hc.c1) != (hc.r2, hc.c2):
            ws.merge_cells(start_row=r + hc.r1 - 1, start_column=c0 + hc.c1 - 1,
                           end_row=r + hc.r2 - 1, end_column=c0 + hc.c2 - 1)
    r += t.header_rows
    if t.number_row and ret.number_row:
        for i, text in enumerate(t.number_row):
            ws.cell(row=r, column=c0 + i, value=text).alignment = WRAP
        r += 1
    for row in ret.rows:
        if row is None:
            r += 1
            continue
        for off, key in zip(t.key_offsets, row.keys):
            cell = ws.cell(row=r, column=c0 + off)
            if key is not None and key != "":
                cell.value = key
            cell.border = BOX
        for col, (tok, style) in zip(t.cols, row.cells):
            value, fmt = encode(tok, col, style)
            cell = ws.cell(row=r, column=c0 + col.offset)
            if value is not None:
                cell.value = value
            if fmt:
                cell.number_format = fmt
            elif value is None:
                cell.number_format = col.fmt        # a styled empty cell
            cell.border = BOX
        r += 1
    if ret.foot_gap:
        r += 1
    for text in ret.foot:
        ws.cell(row=r, column=c0, value=text)
        ws.merge_cells(start_row=r, start_column=c0, end_row=r, end_column=last)
        r += 1
    ws.column_dimensions[get_column_letter(c0)].width = 14
    return header_row


def save_workbook(ret, path, extra_sheets=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ret.sheet or ret.tpl.name
    header_row = write_table(ws, ret)
    for name in extra_sheets:
        wb.create_sheet(name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    wb.save(path)
    return header_row


# =============================================================== display (Excel-style CSV)

def display(value, fmt):
    """A cell's value as Excel shows it, for the formats the templates use."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    fmt = fmt or "General"
    if fmt == "General":
        return plain(d)
    if fmt.endswith("%"):
        d *= 100
        fmt = fmt[:-1]
        suffix = "%"
    else:
        suffix = ""
    comma = fmt.startswith("#,##")
    places = len(fmt.split(".")[1]) if "." in fmt else 0
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return ("{:,}".format(q) if comma else format(q, "f")) + suffix


def excel_csv(xlsx, encoding, bom=False):
    """The first sheet as Excel's "CSV" save writes it: shown values, a merged cell's text in its
    first cell only, every line as wide as the used range, CRLF, quotes only where needed."""
    wb = openpyxl.load_workbook(xlsx)
    ws = wb.worksheets[0]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
        w.writerow([display(c.value, c.number_format) for c in row])
    data = buf.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


# =============================================================== read-back (independent check)

def nfkc(text):
    return unicodedata.normalize("NFKC", text)


def key_text(text):
    s = re.sub(r"\s+", "", nfkc(text))
    for a, b in (("“", '"'), ("”", '"')):
        s = s.replace(a, b)
    return s


def readback_value(v, fmt, percent):
    if v is None:
        return "", "empty"
    if isinstance(v, bool):
        die("bool in a value cell")
    if isinstance(v, (int, float)):
        d = Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
        if percent and fmt and "%" in fmt:
            d = d * 100
        return plain(d), "value"
    s = re.sub(r"\s+", "", nfkc(v))
    if s == "":
        return "", "empty"
    if s in ("-", "—"):           # NFKC folds － to -
        return "-", "not_assigned"
    if s == "无":
        return "无", "not_carried_out"
    s = s.replace(",", "")
    if s.endswith("%"):
        s = s[:-1]
    return plain(Decimal(s)), "value"


def readback(ret, path, kind, encoding=None):
    """The observations in the file, read back by a second route; the table's place is searched
    by its header, not taken from the generator."""
    t = ret.tpl
    if kind == "xlsx":
        wb = openpyxl.load_workbook(path)
        ws = wb[ret.sheet or t.name]
        nrows, ncols = ws.max_row, ws.max_column

        def get(r, c):
            cell = ws.cell(row=r, column=c)
            return cell.value, cell.number_format
    else:
        with open(path, "rb") as f:
            raw = f.read()
        if encoding == "utf-8-sig" and not raw.startswith(b"\xef\xbb\xbf"):
            die("%s: no BOM" % path)
        grid = list(csv.reader(io.StringIO(raw.decode(encoding), newline="")))
        nrows, ncols = len(grid), max(len(g) for g in grid)

        def get(r, c):
            g = grid[r - 1] if r - 1 < len(grid) else []
            v = g[c - 1] if c - 1 < len(g) else ""
            return (v if v != "" else None), None

    def text(r, c):
        v = get(r, c)[0]
        return "" if v is None else str(v)

    # find the header: every template header cell in place (after folding), covered cells empty
    want = [(hc, key_text(hc.text)) for hc in t.hcells]
    found = None
    for r0 in range(1, min(nrows, 40) + 1):
        for c0 in range(1, 5):
            if all(key_text(text(r0 + hc.r1 - 1, c0 + hc.c1 - 1)) == k for hc, k in want):
                found = (r0, c0)
                break
        if found:
            break
    if not found:
        die("%s: header of %s not found on read-back" % (path, t.id))
    r0, c0 = found
    for hc in t.hcells:
        for r in range(hc.r1, hc.r2 + 1):
            for c in range(hc.c1, hc.c2 + 1):
                if (r, c) != (hc.r1, hc.c1) and text(r0 + r - 1, c0 + c - 1).strip():
                    die("%s: covered header cell has text" % path)
    if kind == "xlsx":
        merged = {str(m) for m in ws.merged_cells.ranges}
        for hc in t.hcells:
            if (hc.r1, hc.c1) != (hc.r2, hc.c2):
                rng = "%s%d:%s%d" % (get_column_letter(c0 + hc.c1 - 1), r0 + hc.r1 - 1,
                                     get_column_letter(c0 + hc.c2 - 1), r0 + hc.r2 - 1)
                if rng not in merged:
                    die("%s: header merge %s missing" % (path, rng))
    # period and department from what is printed above (and in) the header
    above = [key_text(text(r, c)) for r in range(1, r0) for c in range(1, ncols + 1)]
    above = [a for a in above if a]
    if t.period.count("-"):
        period = None
        for a in above:
            m = re.search(r"(\d{4})年(\d{1,2})月", a)
            if m:
                period = "%s-%02d" % (m.group(1), int(m.group(2)))
                break
    else:
        period = None
        if t.codes is not None:
            for hc in t.hcells:
                m = re.match(r"(\d{4})年", key_text(text(r0 + hc.r1 - 1, c0 + hc.c1 - 1)))
                if m:
                    period = m.group(1)
        if period is None:
            for a in above:
                m = re.search(r"(\d{4})年", a)
                if m:
                    period = m.group(1)
                    break
    if ret.args and "--period" in ret.args:
        period = ret.args[ret.args.index("--period") + 1]
    dept = None
    for a in above:
        m = re.match(r"^\[(\d+)\](.+)$", a)
        if m:
            dept = [m.group(1), m.group(2)]
    aliases = {}
    if t.registry:
        for u in t.registry["units"]:
            aliases[u["name"]] = u["name"]
            for a in u.get("aliases", []):
                aliases[a] = u["name"]
    r = r0 + t.header_rows
    if t.number_row and [key_text(text(r, c0 + i)) for i in range(len(t.number_row))] == t.number_row:
        r += 1
    seg = t.codes["segments"] if t.codes else []
    printed = t.codes["printed"] if t.codes else []
    level_code = [""] * len(seg)
    obs = []
    for rr in range(r, nrows + 1):
        keys = [text(rr, c0 + off).strip() for off in t.key_offsets]
        first = nfkc(keys[0]) if keys else ""
        if re.match(r"^(说明|注:|备注)", re.sub(r"\s+", "", first)):
            break
        vals = [get(rr, c0 + col.offset) for col in t.cols]
        if not any(keys) and all(v is None or (isinstance(v, str) and not v.strip()) for v, _ in vals):
            continue
        extra = []
        if t.codes is None:
            unit_written = re.sub(r"\s+", "", nfkc(keys[0]))
            unit = aliases.get(unit_written, unit_written)
        else:
            code = re.sub(r"\s+", "", nfkc(keys[0]))
            name = keys[1]
            if code == "":
                unit = re.sub(r"\s+", "", name)
            else:
                unit = None
                for lv in range(len(seg)):
                    full = sum(seg[:lv + 1])
                    is_full = lv == 0 or printed[lv] == "full"
                    if len(code) == (full if is_full else seg[lv]):
                        unit = code if is_full else level_code[lv - 1] + code
                        level_code[lv] = unit
                        break
                if unit is None:
                    die("%s: code %r of unexpected length" % (path, code))
            extra = [name] + (dept or [])
        for col, (v, fmt) in zip(t.cols, vals):
            value, status = readback_value(v, fmt, col.percent)
            obs.append([t.id, period, unit, col.indicator, col.measure, value, status] + extra)
    return obs


# =============================================================== the returns

def seed_row(t, keys, tokens, styles="num", written=None, overrides=None):
    """A Row from a seed line: styles is one style, a list per column, or a function(i, tok)."""
    overrides = overrides or {}
    cells = []
    for i, tok in enumerate(tokens):
        tok = overrides.get(i, tok)
        if callable(styles):
            st = styles(i, tok)
        elif isinstance(styles, list):
            st = styles[i]
        else:
            st = styles
        cells.append((tok, st))
    if t.codes is None:
        unit = canonical_unit(t, keys[0])
        ks = [written if written is not None else keys[0]]
        return Row(ks, unit, cells)
    return Row(list(written) if written is not None else list(keys), None, cells, unit_name=keys[1])


def canonical_unit(t, printed):
    """The canonical name of a unit as the seed prints it: the registry's aliases, the rest verbatim."""
    for u in t.registry["units"]:
        if printed == u["name"] or printed in u.get("aliases", []):
            return u["name"]
    return printed        # e.g. 社会保险一's 南昌市 slip


def full_codes(rows, t):
    """Full classification codes for budget rows in printed order (the expected route): a
    3-digit 类 code starts a new class; 款 is printed as 2 digits (general: appended to the
    class) or in full (basic: 5 digits); 项 in full."""
    cls = kuan = ""
    for row in rows:
        if row is None:
            continue
        code = row.keys[0]
        code = "" if code is None else nfkc(str(code)).strip()
        if code == "":
            row.unit = "合计"
        elif len(code) == 3:
            cls = row.unit = code
        elif len(code) == 2:
            kuan = row.unit = cls + code
        elif len(code) == 5:
            if not code.startswith(cls):
                die("code %s outside %s" % (code, cls))
            kuan = row.unit = code
        elif len(code) == 7:
            if not code.startswith(kuan):
                die("code %s outside %s" % (code, kuan))
            row.unit = code
        else:
            die("bad code " + code)
    return rows


def std_above(t, with_title=True, with_period=True, with_units=True):
    above = []
    if with_title:
        above.append((t.line("title"), True))
    if with_period and t.line("period"):
        above.append((t.line("period"), True))
    if t.line("department"):
        above.append((t.line("department"), True))
    if with_units and t.line("units"):
        above.append((t.line("units"), True))
    return above


CLEAN_NOTES = {
    "employment-training-1": " (0 and 0.00, built-in ids 1 and 2), “-” cells, 红谷滩新区 as the seed prints it "
                             "(alias of 红谷滩区)",
    "employment-training-2": " (General and 0.00), 8012.0 stored as a float, “-” cells",
    "social-insurance-1": "; 占全年任务 stored as fractions (1.0092) with 0.00% (built-in id 10, no <numFmt>), "
                          "negative numbers, the 南昌市 slip kept verbatim (unknown unit), a 3-level header",
    "social-insurance-2": "; 占全年任务 as fractions with 0.00%, header cells spanning 2 of 3 rows "
                          "(失业保险参保人数) and all 3 (新开工工\\n程建设项\\n目参保率\\n(%))",
    "employment-targets": ", a 1-row header, the period from the title (2021), 38.00 stored as 38",
    "budget-general-expenditure": ", #,##0.00 (built-in id 4), the **/1/2/3 number row, the [601] department "
                                  "line, codes as text with 款 printed as 2 digits (03 -> 20503), blank amounts, "
                                  "the year from the header 2024年预算数",
    "budget-basic-expenditure": ", #,##0.00, the **/1/2/3 number row, the [601] department line, 5-digit 款 codes "
                                "printed in full, blank amounts, the year from the header 2024年基本支出",
}


def clean_return(t):
    rows = [seed_row(t, k, v) for k, v in t.seed_rows()]
    if t.codes is not None:
        full_codes(rows, t)
    stem = {"month": "%s-%s" % (t.period, t.name), "year": "%s-%s" % (t.period, t.name)}[t.t["period"]]
    return Return(
        t, "returns/%s/%s.xlsx" % (t.id, stem), "clean",
        "the full annex as published: template lines merged across the table, header merged exactly "
        "as header.cells, %d seed rows as numbers with the template's number formats%s%s"
        % (len(rows), CLEAN_NOTES.get(t.id, ""), ", footnotes" if t.t["footnotes"] else ""),
        above=std_above(t), rows=rows, foot=list(t.t["footnotes"]), department=t.codes is not None,
        sample=os.path.basename(stem) + ".xlsx")


def messy_social_insurance_1(t):
    seed = t.seed_rows()
    n = len(t.cols)
    pct = [i for i, c in enumerate(t.cols) if c.percent]

    def styled(pstyle, other="num"):
        return lambda i, tok: pstyle if i in pct else other

    rows = []
    for keys, toks in seed:
        name = keys[0]
        if name == "全市":
            rows.append(seed_row(t, keys, toks, styled("text", "comma")))
            rows.append(None)                         # a blank row after the total
        elif name == "市本级":
            ov = {n - 4: "-", n - 3: "－", n - 2: "—", n - 1: "－"}
            rows.append(seed_row(t, keys, toks, "num", overrides=ov))
        elif name == "南昌市":
            rows.append(seed_row(t, keys, toks, styled("num", "text")))
        elif name == "新建区":
            rows.append(seed_row(t, keys, toks, styled("pct_plain"), written="新建区  "))
        elif name == "进贤县":
            rows.append(seed_row(t, keys, toks, "fw"))
        elif name == "安义县":
            rows.append(seed_row(t, keys, toks, styled("pct_fwsign")))
        elif name == "东湖区":
            rows.append(seed_row(t, keys, toks, styled("general"), written=" 东湖区"))
        elif name == "西湖区":
            ov = {i: "无" for i in range(n - 4, n)}
            rows.append(seed_row(t, keys, toks, "num", overrides=ov))
        elif name == "青云谱区":
            rows.append(seed_row(t, keys, toks, "text"))
        elif name == "湾里管理局":
            rows.append(seed_row(t, keys, toks, "num", written="湾里区"))
        elif name == "青山湖区":
            rows.append(seed_row(t, keys, toks, "num", written="青 山 湖 区"))
        elif name == "经开区":
            rows.append(seed_row(t, keys, toks, styled("pct_0.0")))
        elif name == "红谷滩区":
            rows.append(seed_row(t, keys, toks, "num", written="红谷滩新区"))
        else:
            rows.append(seed_row(t, keys, toks, "num"))
    rows.append(None)
    return Return(
        t, "returns/%s/2023-07-messy-社会保险一.xlsx" % t.id, "messy",
        "sheet named Sheet1; table starts at column B; a blank row and an extra 附件3 line above an "
        "unmerged title written with full-width （）; header with line breaks, ideographic and "
        "leading/trailing spaces and full-width （） (参保人数（含离退休人数）, 目标任务（参考）); "
        "占全年任务 as 1.0092 with 0.00% (most rows), as text \"100.92%\" (全市), as text \"100.92\" "
        "(新建区), with a full-width ％ (安义县), as number 101.45 in General (东湖区), as 1.013 with "
        "0.0% (经开区); 全市 numbers as text with thousands separators (4,223,956), 南昌市 (the seed's "
        "slip, kept verbatim) and 青云谱区 numbers as text, 进贤县 all full-width (３７９９, "
        "１００．０７％); 市本级 dashes -, －, —; 西湖区 “无” in 城乡居民基本养老保险; unit names with "
        "trailing/leading/inner spaces (新建区␠␠, ␠东湖区, 青 山 湖 区) and aliases (湾里区, "
        "红谷滩新区); blank rows inside and after the data; footnote",
        sheet="Sheet1", col0=2,
        above=[(None, False), ("附件3", False),
               ("2023年7月南昌市“民生工程”人力资源和社会保障工作目标任务完成情况统计表（社会保险一）", False),
               ("2023年7月", False), ("单位：万元、人、%", False), (None, False)],
        header_text={"项 目\n单 位": "项　目\n单　位", "基本养老保险": "基本养老\n保险",
                     "参保人数(含离退休人数)": "参保人数（含离退休人数）",
                     "城镇职工基本养老保险": " 城镇职工基本养老保险 ",
                     "在职参保人数": "在职\n参保人数", "目标任务(参考)": "目标任务（参考）"},
        header_range_text={"B3": "本月 完成", "J3": "本 月 完 成", "V3": "本月完成 "},
        rows=rows, foot=list(t.t["footnotes"]), foot_gap=True,
        sample="2023-07-messy-社会保险一.xlsx")


def messy_employment_training_1(t):
    seed = t.seed_rows()
    n = len(t.cols)
    pct = [i for i, c in enumerate(t.cols) if c.measure == "占全年任务"]
    by = {k[0]: (k, v) for k, v in seed}
    order = [k[0] for k, _ in seed][1:] + ["全市"]          # the total printed last
    rows = []
    for name in order:
        keys, toks = by[name]
        if name == "全市":
            rows.append(seed_row(t, keys, toks, lambda i, tok: "text" if i in pct else "comma"))
        elif name == "市本级":
            marks = ["－", "—", "-"]
            ov = {i: marks[i % 3] for i in range(9)}
            rows.append(seed_row(t, keys, toks, "num", overrides=ov))
        elif name == "南昌县":
            rows.append(seed_row(t, keys, toks, lambda i, tok: "general" if i in pct else "num"))
        elif name == "进贤县":
            rows.append(seed_row(t, keys, toks, "fw"))
        elif name == "湾里管理局":
            rows.append(None)                                  # a blank row before it
            rows.append(seed_row(t, keys, toks, "num", overrides={n - 3: "无", n - 2: "无", n - 1: "无"}))
        elif name == "高新区":
            rows.append(seed_row(t, keys, toks, "text", written="高新区\u3000"))
        else:
            rows.append(seed_row(t, keys, toks, "num"))
    return Return(
        t, "returns/%s/2023-07-就业培训一-无标题.xlsx" % t.id, "messy-no-title",
        "no title and no units line: only the period line 2023年7月 and a 填报单位 line above the "
        "header; sheet 就业培训1; header with line breaks (城镇人数\\n新增就业, 零就业家庭\\n就业安置率, "
        "占全年\\n任务), ASCII quotes \"4050\" for “4050”, spaces (项  目, trailing); rows in another order with 全市 last; 全市 as text with thousands "
        "separators (37,123) and 占全年任务 as text (62.92); 市本级 dashes －, —, - ; 南昌县 "
        "占全年任务 in General; 进贤县 full-width digits; a blank row; 湾里管理局 “无” in 创业培训人数; "
        "高新区 with an ideographic space; 红谷滩新区 (alias, as the seed prints it)",
        sheet="就业培训1",
        above=[("2023年7月", True), ("填报单位：（盖章）        填报人：        联系电话：", False)],
        header_text={"项目": "项  目", "城镇人数新增就业": "城镇人数\n新增就业",
                     "“4050”人员再就业人数": "\"4050\"人员再就业人数",
                     "零就业家庭就业安置率": "零就业家庭\n就业安置率",
                     "职业技能培训人数": "职业技能培训人数 "},
        header_range_text={"D2": "占全年\n任务", "G2": "占全年\n任务", "J2": "占全年任务"},
        rows=rows, foot=list(t.t["footnotes"]))


def messy_employment_training_2(t):
    seed = t.seed_rows()
    rows = []
    for keys, toks in seed:
        name = keys[0]
        if name == "全市":
            rows.append(seed_row(t, keys, toks, lambda i, tok: "comma" if "." in tok else "text"))
        elif name == "市本级":
            marks = iter(["-", "－", "—", "-", "－"])
            ov = {i: next(marks) for i, tok in enumerate(toks) if tok == "-"}
            rows.append(seed_row(t, keys, toks, "num", overrides=ov))
        elif name == "经开区":
            rows.append(seed_row(t, keys, toks, "fw"))
        elif name == "湾里管理局":
            rows.append(seed_row(t, keys, toks, "num", written="湾里区"))
        elif name == "青山湖区":
            rows.append(seed_row(t, keys, toks, "num", overrides={9: "无", 10: "无", 11: "无"}))
        elif name == "红谷滩区":
            rows.append(seed_row(t, keys, toks, "num", written="红谷滩新区 "))
        elif name == "高新区":
            rows.append(seed_row(t, keys, toks, "text"))
        else:
            rows.append(seed_row(t, keys, toks, "num"))
    return Return(
        t, "returns/%s/2023-07-就业培训二-messy.xlsx" % t.id, "messy",
        "sheet named 2023.7; three blank rows, then a title with spaces and full-width （）, no period "
        "line (the period comes from the title); header with line breaks (扶持个人创业贷款占贷款总额\\n"
        "达到60%以上, 青年见习\\n人数), spaces (新增创业 担保贷款), full-width ３０％, 创业贷款到期"
        "贷款回收率% on one line, 项目 and 单位 with spaces; 全市 as text with thousands separators "
        "(20,346.9, 8,012.0); 市本级 dashes -, －, —; 经开区 full-width (１２８１．９); 高新区 "
        "numbers as text; 青山湖区 “无” in 创业贷款新增担保基金; aliases 湾里区 and 红谷滩新区 "
        "(trailing space)",
        sheet="2023.7",
        above=[(None, False), (None, False), (None, False),
               ("2023年7月 南昌市“民生工程”人力资源和社会保障工作目标任务完成情况统计表 （就业培训二）", True)],
        header_text={"项目\n单位": "项  目\n单  位", "新增创业担保贷款": "新增创业 担保贷款",
                     "扶持个人创业贷款占贷款总额达到60%以上": "扶持个人创业贷款占贷款总额\n达到60%以上",
                     "扶持小微企业贷款比例争取达到30%": "扶持小微企业贷款比例争取达到３０％",
                     "创业贷款到期\n贷款回收率%": "创业贷款到期贷款回收率%",
                     "青年见习人数": "青年见习\n人数"},
        rows=rows, foot=list(t.t["footnotes"]))


def single_district_et1(t):
    keys, toks = [(k, v) for k, v in t.seed_rows() if k[0] == "南昌县"][0]
    return Return(
        t, "returns/%s/2023-07-南昌县-就业培训一.xlsx" % t.id, "single-district",
        "a single-district return: title, header and 南昌县's row only (no period or units line, "
        "no footnote), sheet named 南昌县",
        sheet="南昌县", above=[(t.line("title"), True)],
        rows=[seed_row(t, keys, toks)], sample="2023-07-南昌县-就业培训一.xlsx")


def single_district_si2(t):
    keys, toks = [(k, v) for k, v in t.seed_rows() if k[0] == "湾里管理局"][0]
    pct = [i for i, c in enumerate(t.cols) if c.percent]
    row = seed_row(t, keys, toks, lambda i, tok: "pct_0" if i in pct else "num",
                   written="湾里区", overrides={len(toks) - 1: "无"})
    return Return(
        t, "returns/%s/2023-07-湾里区-社会保险二.xlsx" % t.id, "single-district",
        "a single-district return under the former name 湾里区 (alias of 湾里管理局): title, header, "
        "one row; 占全年任务 stored as 1.0272 with the format 0% (shown 103%: the stored number "
        "counts, 102.72); “无” in 新开工工程建设项目参保率(%)",
        sheet="湾里", above=[(t.line("title"), True)], rows=[row])


def own_row_only_et2(t):
    rows = []
    for keys, toks in t.seed_rows():
        if keys[0] == "安义县":
            rows.append(seed_row(t, keys, toks))
        else:
            blanks = ["blank"] * len(toks)
            if keys[0] == "全市":
                blanks = ["blank_str"] * len(toks)
            elif keys[0] == "东湖区":
                blanks = ["blank_space"] * len(toks)
            rows.append(seed_row(t, keys, [""] * len(toks), blanks))
    return Return(
        t, "returns/%s/2023-07-安义县-就业培训二-全表.xlsx" % t.id, "own-row-only",
        "the whole table sent back by one district: every unit row printed, only 安义县's row filled; "
        "the other cells are blank (styled empty cells; the empty string \"\" in 全市's row, which "
        "openpyxl writes as <c t=\"inlineStr\"></c> with no <is>; a space in 东湖区's row) and read as value '' with status empty",
        sheet=t.name, above=std_above(t), rows=rows, foot=list(t.t["footnotes"]))


def messy_employment_targets(t):
    rows = []
    for keys, toks in t.seed_rows():
        name = keys[0]
        if name == "全省":
            rows.append(seed_row(t, keys, toks, lambda i, tok: "comma" if len(tok) > 3 and "." not in tok else "text"))
        elif name == "南昌":
            rows.append(seed_row(t, keys, toks, "num", written="南昌市"))
        elif name == "九江":
            rows.append(seed_row(t, keys, toks, "num", written="九江市 "))
        elif name == "景德镇":
            rows.append(seed_row(t, keys, toks, "fw"))
        elif name == "萍乡":
            rows.append(seed_row(t, keys, toks, "text"))
        elif name == "鹰潭":
            rows.append(seed_row(t, keys, toks, "num", overrides={9: "无"}))
        elif name == "赣州":
            rows.append(seed_row(t, keys, toks, "num", overrides={4: "－"}))
        else:
            rows.append(seed_row(t, keys, toks, "num"))
    return Return(
        t, "returns/%s/2021-就业目标-messy.xlsx" % t.id, "messy",
        "table at column C under an 附件 line and a title merged over the table, a blank row before the "
        "header; header with full-width （） ： ％ (城镇新增就业人数（万人）, 其中：省内…, 城镇登记失业率"
        "（≤％）) and spaces (地 区); 全省 as text, 38.00 → 38 and thousands separators (1,200,000); "
        "萍乡 as text; 景德镇 full-width (１．７４); aliases 南昌市 and 九江市␠ (city names with 市); "
        "赣州 “－” and 鹰潭 “无” in one cell each",
        sheet="Sheet1", col0=3,
        above=[("附件", False), (t.line("title"), True), (None, False)],
        header_text={"地区": "地 区", "城镇新增就业人数(万人)": "城镇新增就业人数（万人）",
                     "其中:省内新增农村劳动力转移(万人)": "其中：省内新增农村劳动力转移（万人）",
                     "城镇登记失业率(≤%)": "城镇登记失业率（≤％）",
                     "到期贷款回收率(%)以上": "到期贷款回收率（%）以上",
                     "创业培训(万人/次)": "创业培训\n(万人/次)"},
        rows=rows)


def messy_budget_general(t):
    rows = []
    for keys, toks in t.seed_rows():
        code, name = keys
        written = [int(code) if code and not code.startswith("0") else code, name]
        if code == "2080102":
            st = ["fw", "blank_str", "fw"]
        else:
            st = ["text" if tok else "blank_str" for tok in toks]
        rows.append(seed_row(t, keys, toks, st, written=written))
        if code == "2050303" or code == "2080505":
            rows.append(None)
    full_codes(rows, t)
    return Return(
        t, "returns/%s/2024-一般公共预算支出表-messy.xlsx" % t.id, "messy",
        "sheet named Sheet1; table at column B under an extra 表五 line; department line with full-width "
        "brackets ［601］; units line 单位：万元 with a full-width colon; header 2024年 预算数 and "
        "科目\\n编码 with spaces and line breaks; no **/1/2/3 number row; codes 205, 2050303 … as numbers "
        "and the 款 codes 03/01/05/02 as text; amounts as text with thousands separators (14,880.38); "
        "2080102 in full-width (１，２８３．５０); blank amounts as the empty string; blank rows between "
        "classes",
        sheet="Sheet1", col0=2,
        above=[("表五", False), (t.line("title"), True), ("［601］南昌市人力资源和社会保障局", True),
               ("单位：万元", False)],
        header_text={"2024年预算数": "2024年 预算数", "科目编码": "科目\n编码", "支出功能分类科目": "支出功能\n分类科目"},
        number_row=False, rows=rows, department=True)


def messy_budget_basic(t):
    rows = []
    for keys, toks in t.seed_rows():
        code, name = keys
        written = [int(code) if code else None, name]
        rows.append(seed_row(t, keys, toks, "general", written=written))
        if code == "30199" or code == "30299":
            rows.append(None)
    full_codes(rows, t)
    return Return(
        t, "returns/%s/2024-基本支出-no-department.xlsx" % t.id, "messy-no-department",
        "no department line (so no department columns: only unit_name); title with a space "
        "(一般公共预算 基本支出表); sheet named 基本支出; codes as numbers; amounts as numbers in General "
        "(0.89, 2289.46); blank rows between classes; a 注： note under the table that ends it",
        sheet="基本支出",
        above=[("一般公共预算 基本支出表", True), ("单位: 万元", False)],
        header_text={"2024年基本支出": "2024 年基本支出"},
        rows=rows, foot=["注：本表反映一般公共预算拨款安排的基本支出，按支出经济分类科目列示。"],
        department=False)


def unrecognisable(outdir):
    rel = "returns/other/2023-07-食堂采购明细.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "采购明细"
    ws["A1"] = "2023年7月机关食堂食材采购明细表"
    ws.merge_cells("A1:H1")
    ws.append(["序号", "日期", "品名", "规格", "数量", "单价（元）", "金额（元）", "备注"])
    items = [("大米", "25kg/袋", 12, 136.5), ("菜籽油", "5L/桶", 8, 89.9), ("鸡蛋", "30枚/盒", 20, 24.8),
             ("猪肉", "kg", 35, 28.6), ("青菜", "kg", 60, 4.2)]
    for i, (item, spec, qty, price) in enumerate(items, 1):
        ws.append([i, "2023-07-%02d" % (i * 3), item, spec, qty, price, round(qty * price, 2), ""])
    ws.append(["合计", None, None, None, None, None, "=SUM(G3:G7)", None])
    p = os.path.join(outdir, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    wb.save(p)
    return {"file": rel, "template": None, "recognisable": False, "maker": "openpyxl",
            "proves": "an unrelated workbook (a canteen purchase list, 序号/日期/品名/…/金额, a formula "
                      "total): no template's header matches, so read without --template exits 2 and "
                      "normalize reports it and goes on",
            "expected": None}


# =============================================================== LibreOffice

def find_soffice():
    for name in ("soffice", "libreoffice"):
        p = shutil.which(name)
        if p:
            return p
    die("LibreOffice (soffice) not found on PATH: it is required for the CSV exports "
        "(apt-get install libreoffice-calc-nogui)")


def soffice_csv(soffice, sources, work):
    """Exports each xlsx (first sheet) as UTF-8 CSV with LibreOffice; gives {source: csv path}."""
    src = os.path.join(work, "lo-in")
    out = os.path.join(work, "lo-out")
    os.makedirs(src)
    os.makedirs(out)
    names = {}
    for i, s in enumerate(sources):
        n = "t%d.xlsx" % i
        shutil.copy(s, os.path.join(src, n))
        names[s] = os.path.join(out, "t%d.csv" % i)
    profile = tempfile.mkdtemp(prefix="lo-")
    try:
        cmd = [soffice, "-env:UserInstallation=file://" + profile, "--headless", "--convert-to",
               "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", out] + \
              [os.path.join(src, "t%d.xlsx" % i) for i in range(len(sources))]
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        except subprocess.TimeoutExpired:
            die("soffice did not finish within 120 s")
        for s, o in names.items():
            if not os.path.exists(o) or os.path.getsize(o) == 0:
                die("soffice did not write %s (exit %d)\nstdout: %s\nstderr: %s" % (
                    o, r.returncode, r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")))
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return names


# =============================================================== main

def write_expected(outdir, rel, ret):
    p = os.path.join(outdir, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(ret.columns())
        for rec in ret.expected():
            w.writerow(rec)


def check_same(ret, path, got):
    want = ret.expected()
    if got != want:
        for i, (a, b) in enumerate(zip(got, want)):
            if a != b:
                die("%s: read-back differs from expected at observation %d\n file:     %s\n expected: %s"
                    % (path, i, a, b))
        die("%s: read-back has %d observations, expected %d" % (path, len(got), len(want)))
    if not want:
        die("%s: no observations" % path)


def main():
    if len(sys.argv) != 2:
        die("usage: make_returns.py OUTDIR")
    outdir = os.path.abspath(sys.argv[1])
    soffice = find_soffice()
    os.makedirs(outdir, exist_ok=True)
    for sub in ("returns", "expected", "samples"):
        shutil.rmtree(os.path.join(outdir, sub), ignore_errors=True)
    tpl = {tid: Template(tid) for tid in TEMPLATE_IDS}

    rets = [clean_return(tpl[tid]) for tid in TEMPLATE_IDS]
    clean = {r.tpl.id: r for r in rets}
    rets += [
        messy_social_insurance_1(tpl["social-insurance-1"]),
        messy_employment_training_1(tpl["employment-training-1"]),
        messy_employment_training_2(tpl["employment-training-2"]),
        single_district_et1(tpl["employment-training-1"]),
        single_district_si2(tpl["social-insurance-2"]),
        own_row_only_et2(tpl["employment-training-2"]),
        messy_employment_targets(tpl["employment-targets"]),
        messy_budget_general(tpl["budget-general-expenditure"]),
        messy_budget_basic(tpl["budget-basic-expenditure"]),
    ]
    entries = []
    samples = os.path.join(outdir, "samples")
    os.makedirs(samples, exist_ok=True)

    count = [0]

    def add(ret, rel, kind, maker, proves, encoding=None, sample=None):
        path = os.path.join(outdir, rel)
        count[0] += len(ret.expected())
        check_same(ret, rel, readback(ret, path, kind, encoding))
        exp = "expected/%s/%s.csv" % (ret.tpl.id, os.path.splitext(os.path.basename(rel))[0])
        write_expected(outdir, exp, ret)
        e = {"file": rel, "template": ret.tpl.id, "recognisable": True, "maker": maker,
             "proves": proves, "expected": exp}
        if ret.args:
            e["args"] = ret.args
        entries.append(e)
        if sample:
            shutil.copy(path, os.path.join(samples, sample))

    for ret in rets:
        save_workbook(ret, os.path.join(outdir, ret.rel))
        add(ret, ret.rel, "xlsx", "openpyxl", "[%s] %s" % (ret.case, ret.proves), sample=ret.sample)

    # ---- CSV exports of whole tables
    work = tempfile.mkdtemp(prefix="make-returns-")
    try:
        et2, si1, bge = clean["employment-training-2"], clean["social-insurance-1"], clean["budget-general-expenditure"]
        lo = soffice_csv(soffice, [os.path.join(outdir, r.rel) for r in (et2, si1, bge)], work)

        def lo_csv(ret, rel, bom, proves, sample=None):
            with open(lo[os.path.join(outdir, ret.rel)], "rb") as f:
                data = f.read()
            if data.startswith(b"\xef\xbb\xbf"):
                die("LibreOffice wrote a BOM; the README says it does not")
            p = os.path.join(outdir, rel)
            with open(p, "wb") as f:
                f.write((b"\xef\xbb\xbf" if bom else b"") + data)
            add(ret, rel, "csv", "libreoffice", proves, "utf-8-sig" if bom else "utf-8", sample)

        def py_csv(ret, rel, proves, sample=None):
            p = os.path.join(outdir, rel)
            with open(p, "wb") as f:
                f.write(excel_csv(os.path.join(outdir, ret.rel), "gb18030"))
            add(ret, rel, "csv", "python", proves, "gb18030", sample)

        lo_csv(et2, "returns/employment-training-2/2023-07-就业培训二-utf8-bom.csv", True,
               "[csv-utf8-bom] the whole 就业培训二 exported by LibreOffice Calc (UTF-8, LF, shown values: "
               "52.90, 8012) with the UTF-8 BOM that Excel's “CSV UTF-8” puts in front (LibreOffice 7.4 "
               "writes none, so the BOM is prepended, the bytes after it are LibreOffice's); merged title "
               "and group headers only in their first column; “项目\\n单位” quoted with a line break",
               sample="2023-07-就业培训二-utf8-bom.csv")
        lo_csv(et2, "returns/employment-training-2/2023-07-就业培训二-libreoffice.csv", False,
               "[csv-utf8] the same LibreOffice export exactly as written: UTF-8 without a BOM, LF")
        py_csv(et2, "returns/employment-training-2/2023-07-就业培训二-gb18030.csv",
               "[csv-gb18030] the whole 就业培训二 as Excel on Chinese Windows saves “CSV (逗号分隔)”: "
               "GB18030, CRLF, shown values, every line as wide as the table (trailing commas), merged "
               "text only in the first column, quoted line breaks in the header",
               sample="2023-07-就业培训二-gb18030.csv")
        lo_csv(si1, "returns/social-insurance-1/2023-07-社会保险一-utf8-bom.csv", True,
               "[csv-utf8-bom] 社会保险一 exported by LibreOffice (BOM prepended): 3-level header with merged "
               "text in first columns only, 占全年任务 shown as \"100.92%\" (the text form), negative "
               "numbers, the 南昌市 slip, “-” cells")
        py_csv(si1, "returns/social-insurance-1/2023-07-社会保险一-gb18030.csv",
               "[csv-gb18030] 社会保险一 Excel-style in GB18030 with CRLF: percentages as shown (100.92%)")
        lo_csv(bge, "returns/budget-general-expenditure/2024-一般公共预算支出表-libreoffice.csv", False,
               "[csv-utf8] 一般公共预算支出表 exported by LibreOffice: amounts shown with thousands "
               "separators and quoted (\"14,880.38\"), 款 codes 03 as text, the [601] line, 2024年预算数 "
               "in the header, the **/1/2/3 number row, empty cells for blank amounts")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    entries.append(unrecognisable(outdir))
    with open(os.path.join(outdir, "returns.json"), "w", encoding="utf-8") as f:
        json.dump({"returns": entries}, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for want in ("2023-07-南昌县-就业培训一.xlsx", "2023-07-messy-社会保险一.xlsx",
                 "2023-07-就业培训二-utf8-bom.csv", "2023-07-就业培训二-gb18030.csv"):
        if not os.path.exists(os.path.join(samples, want)):
            die("sample %s not written" % want)
    print("make_returns: %d returns, %d observations expected, written to %s" % (
        len(entries), count[0], outdir))


if __name__ == "__main__":
    main()
