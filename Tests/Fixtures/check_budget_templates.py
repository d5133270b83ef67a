#!/usr/bin/env python3
"""Validate the budget templates (seed 001) against their seed tables.

    python3 Tests/Fixtures/check_budget_templates.py [TEMPLATES_DIR]

TEMPLATES_DIR defaults to templates/ of this repository. The seed tables are read from
seed-tables/<id>.tsv next to this script.

Table templates (budget-*): required fields, exact header coverage, the number row
(`**`, 1, 2, 3 ...), the derived value columns (indicator / measure per README.md), and
for every seed row: column count, code resolution to full codes, amounts parse, the
template's number format prints each amount exactly as printed, two decimals; then the
rules on the seed figures: rowSums, hierarchy (a code = the sum of its child codes) and
columnTotals (the 合计 row = the sum of the top-level codes).

Form templates (project-performance, department-performance): required fields, exact
coverage of the fixed block (field labels, value cells, static cells, indicator header),
every instance of the seed grid: title, period, labels, values, number formats, the
indicator rows (一级 / 二级 filled down from merged cells), unique indicator paths, the
unit derived from unitFrom, then the fieldSums rules.

A total that differs from the sum of its n parts by at most 0.01 x n is a rounding tail
(四舍五入 尾差): printed as INFO, not an error. A larger difference is an ERROR. The script
also prints cross-table observations (INFO only; they are not template rules). Exit status
1 when any ERROR was found, 0 otherwise.

Seed files (seed-tables/<id>.tsv, UTF-8, tab-separated, one line per printed row):
- tables: the data rows exactly as printed, from the 合计 row on (no header, no `**` row);
  an empty file is a table printed empty.
- forms: the printed grid, `width` (4) fields per line, instances one after another, each
  starting with its title line (title and period lines padded to 4 fields). Indicator rows are
  一级<TAB>二级<TAB>三级<TAB>指标值 with an empty 一级 / 二级 meaning "merged from above". Rows
  whose cells the PDF extraction shifted left are stored re-aligned (same texts, same order).
"""

import json
import os
import re
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_DIR = os.path.join(HERE, "seed-tables")
DEFAULT_TEMPLATES = os.path.normpath(os.path.join(HERE, "..", "..", "templates"))
SEED_YEAR = "2024"

TABLE_IDS = [
    "budget-expenditure",
    "budget-general-expenditure",
    "budget-basic-expenditure",
    "budget-three-public",
    "budget-fund-expenditure",
    "budget-capital-expenditure",
]
FORM_IDS = ["project-performance", "department-performance"]

LINE_ROLES = {"title", "period", "units", "note", "department"}
CODE_SCHEMES = {"function", "economic", "department"}
CENT = Decimal("0.01")


# ------------------------------------------------------------------ reporting

class Report:
    def __init__(self):
        self.errors = 0
        self.tails = 0
        self.where = ""

    def section(self, name):
        self.where = name
        print("\n== " + name)

    def ok(self, msg):
        print("   ok    " + msg)

    def info(self, msg):
        print("   INFO  " + msg)

    def tail(self, msg):
        self.tails += 1
        print("   TAIL  " + msg)

    def error(self, msg):
        self.errors += 1
        print("   ERROR " + msg)


R = Report()


# ------------------------------------------------------------------ helpers

def fold(s):
    """Width-fold (NFKC: full-width → ASCII, ： → :, （ → ( ...) and drop all white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def nows(s):
    return re.sub(r"\s+", "", s)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def col_letters(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def parse_range(rng):
    """'A1:B2' or 'A1' → (r1, c1, r2, c2), 1-based inclusive."""
    m = re.fullmatch(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", rng or "")
    if not m:
        raise ValueError("bad range %r" % rng)
    c1, r1 = col_index(m.group(1)), int(m.group(2))
    c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    if r2 < r1 or c2 < c1:
        raise ValueError("reversed range %r" % rng)
    return r1, c1, r2, c2


def fill_year(text):
    return text.replace("{year}", SEED_YEAR)


AMOUNT_RE = re.compile(r"-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def parse_amount(text):
    if not AMOUNT_RE.fullmatch(text):
        return None
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def fmt_number(d, fmt):
    """The subset of Excel number formats the budget templates use."""
    if fmt == "General":
        s = format(d.normalize(), "f")
        if "." in s:
            s = s.rstrip("0").rstrip(".")
        return "0" if s in ("-0", "") else s
    m = re.fullmatch(r"(#,##)?0(?:\.(0+))?", fmt)
    if not m:
        raise ValueError("unsupported format %r" % fmt)
    places = len(m.group(2) or "")
    q = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return "{:,.{p}f}".format(q, p=places) if m.group(1) else "{:.{p}f}".format(q, p=places)


def places_of(text):
    return len(text.split(".", 1)[1]) if "." in text else 0


def compare_sum(what, total, parts, labels):
    """total and parts are Decimals (empty cells as 0). Report tail / mismatch."""
    s = sum(parts, Decimal(0))
    diff = total - s
    if diff == 0:
        return "ok"
    n = max(1, len(parts))
    detail = "%s: printed %s, sum of %d part(s) %s = %s, difference %s" % (
        what, total, len(parts), " + ".join(labels), s, diff)
    if abs(diff) <= CENT * n:
        R.tail(detail + " (tolerance 0.01 x %d)" % n)
        return "tail"
    R.error(detail + " (beyond tolerance 0.01 x %d)" % n)
    return "mismatch"


def require(t, keys, where):
    ok = True
    for k in keys:
        if k not in t:
            R.error("%s: missing required field %r" % (where, k))
            ok = False
    return ok


def read_tsv(tid):
    path = os.path.join(SEED_DIR, tid + ".tsv")
    if not os.path.exists(path):
        R.error("seed table %s missing" % path)
        return None
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text and not text.endswith("\n"):
        R.error("%s: last line has no newline" % path)
    return [line.split("\t") for line in text.split("\n")[:-1]] if text else []


def check_common(t, tid, kind):
    require(t, ["id", "name", "source", "kind", "period", "lines", "keyColumns", "formats", "footnotes", "rules"], tid)
    if t.get("id") != tid:
        R.error("id %r does not equal the file name %s.json" % (t.get("id"), tid))
    if t.get("kind") != kind:
        R.error("kind is %r, expected %r" % (t.get("kind"), kind))
    if t.get("period") != "year":
        R.error("period is %r, expected 'year'" % t.get("period"))
    roles = []
    for ln in t.get("lines", []):
        if ln.get("role") not in LINE_ROLES:
            R.error("line role %r not one of %s" % (ln.get("role"), sorted(LINE_ROLES)))
        if not ln.get("text"):
            R.error("line without text: %r" % ln)
        roles.append(ln.get("role"))
        for ph in re.findall(r"\{(\w+)\}", ln.get("text", "")):
            if ph not in ("year", "month", "deptCode", "deptName"):
                R.error("unknown placeholder {%s} in line %r" % (ph, ln.get("text")))
        if ln.get("role") == "department" and "{deptCode}" not in ln.get("text", ""):
            R.error("department line without {deptCode}: %r" % ln.get("text"))
    if roles.count("title") != 1:
        R.error("exactly one title line expected, got %d" % roles.count("title"))
    if not isinstance(t.get("footnotes", []), list):
        R.error("footnotes must be a list")
    if "default" not in t.get("formats", {}):
        R.error("formats.default missing")
    else:
        try:
            fmt_number(Decimal("1234.5"), t["formats"]["default"])
        except ValueError as e:
            R.error(str(e))


# ------------------------------------------------------------------ tables

def resolve_code(printed, codes, last, where):
    """Resolve a printed code to (full code, level index); `last` holds the latest full code per level."""
    seg = codes["segments"]
    how = codes["printed"]
    full_len = [sum(seg[: i + 1]) for i in range(len(seg))]
    if not printed.isdigit():
        R.error("%s: code %r is not all digits" % (where, printed))
        return None
    cands = [i for i in range(len(seg))
             if (how[i] == "full" and len(printed) == full_len[i]) or (how[i] == "segment" and len(printed) == seg[i])]
    if len(cands) != 1:
        R.error("%s: code %r matches %d levels of %s" % (where, printed, len(cands), codes))
        return None
    i = cands[0]
    parent = last[i - 1] if i > 0 else ""
    if i > 0 and not parent:
        R.error("%s: code %r (level %d) has no parent row above it" % (where, printed, i + 1))
        return None
    if how[i] == "full":
        full = printed
        if not full.startswith(parent):
            R.error("%s: code %s is not under the preceding level-%d code %s" % (where, full, i, parent))
            return None
    else:
        full = parent + printed
    last[i] = full
    for j in range(i + 1, len(last)):
        last[j] = ""
    return full, i


def derive_columns(header, width, key_cols):
    """Per value column: (indicator, measure) per README (texts with {year} filled, white space removed),
    plus the template path (unfilled) used by the rules."""
    nrows = header["rows"]
    cover = {}
    for cell in header["cells"]:
        r1, c1, r2, c2 = parse_range(cell["range"])
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                cover[(r, c)] = cell
    out = []
    for c in range(1, width + 1):
        if c in key_cols:
            continue
        path = []
        for r in range(1, nrows + 1):
            cell = cover.get((r, c))
            if cell is not None and (not path or path[-1] is not cell):
                path.append(cell)
        texts = [nows(fill_year(p["text"])) for p in path]
        raw = [nows(p["text"]) for p in path]
        if len(path) == 1:
            ind, meas = texts[0], ""
        else:
            ind, meas = " / ".join(texts[:-1]), texts[-1]
        out.append({"col": c, "indicator": ind, "measure": meas, "path": " / ".join(raw)})
    return out


def check_header(t):
    h = t.get("header")
    if not isinstance(h, dict) or not require(h, ["rows", "cells"], t["id"] + ".header"):
        return None
    nrows = h["rows"]
    grid = {}
    width = 0
    for cell in h["cells"]:
        if "text" not in cell or "range" not in cell:
            R.error("header cell without range/text: %r" % cell)
            continue
        if "{" in cell["text"] and set(re.findall(r"\{(\w+)\}", cell["text"])) - {"year", "month"}:
            R.error("unknown placeholder in header text %r" % cell["text"])
        try:
            r1, c1, r2, c2 = parse_range(cell["range"])
        except ValueError as e:
            R.error(str(e))
            continue
        if r2 > nrows:
            R.error("header cell %s %r reaches below header.rows=%d" % (cell["range"], cell["text"], nrows))
        width = max(width, c2)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                grid.setdefault((r, c), []).append(cell["range"])
    bad = False
    for r in range(1, nrows + 1):
        for c in range(1, width + 1):
            n = len(grid.get((r, c), []))
            if n != 1:
                bad = True
                R.error("header position %s%d covered %d times %s" % (col_letters(c), r, n, grid.get((r, c), [])))
    if not bad:
        R.ok("header %d row(s) x %d column(s): every position covered exactly once" % (nrows, width))
    return width


def check_table(t, tid, data):
    check_common(t, tid, "table")
    require(t, ["header", "rows", "codes"], tid)
    width = check_header(t)
    if not width:
        return None
    # key columns
    key_cols = {}
    for kc in t.get("keyColumns", []):
        c = col_index(kc.get("column", "?"))
        if kc.get("role") not in ("code", "name", "unit"):
            R.error("keyColumn %r: role must be code, name or unit" % kc)
        key_cols[c] = kc.get("role")
    code_cols = [c for c, r in key_cols.items() if r == "code"]
    name_cols = [c for c, r in key_cols.items() if r == "name"]
    if len(code_cols) != 1 or len(name_cols) != 1:
        R.error("expected one code and one name column, got %s" % key_cols)
        return None
    code_col, name_col = code_cols[0], name_cols[0]
    if sorted(key_cols) != list(range(1, len(key_cols) + 1)):
        R.error("key columns must be the leading columns: %s" % sorted(key_cols))
    # codes
    codes = t.get("codes", {})
    if codes.get("scheme") not in CODE_SCHEMES:
        R.error("codes.scheme %r not one of %s" % (codes.get("scheme"), sorted(CODE_SCHEMES)))
    seg, how = codes.get("segments", []), codes.get("printed", [])
    if not seg or len(seg) != len(how) or any(p not in ("full", "segment") for p in how):
        R.error("codes.segments / codes.printed malformed: %r" % codes)
        return None
    if how[0] != "full":
        R.error("codes.printed[0] must be 'full' (a segment of the first level is the full code)")
    lens = [sum(seg[: i + 1]) if how[i] == "full" else seg[i] for i in range(len(seg))]
    if len(set(lens)) != len(lens):
        R.error("printed code lengths %s are ambiguous in one column" % lens)
        return None
    # rows
    rows_spec = t.get("rows", {})
    if rows_spec.get("kind") != "codes" or not isinstance(rows_spec.get("totals"), list):
        R.error("rows must be {\"kind\": \"codes\", \"totals\": [...]}, got %r" % rows_spec)
    totals_names = rows_spec.get("totals", [])
    # value columns and the number row
    cols = derive_columns(t["header"], width, key_cols)
    paths = {}
    for vc in cols:
        if vc["path"] in paths:
            R.error("two value columns share the header path %r" % vc["path"])
        paths[vc["path"]] = vc
    R.ok("value columns: %d  [%s]" % (len(cols), "; ".join(
        "%s: indicator=%r measure=%r" % (col_letters(v["col"]), v["indicator"], v["measure"]) for v in cols)))
    nr = t["header"].get("numberRow")
    if nr is None:
        R.error("header.numberRow missing")
    else:
        want = ["**" if c in key_cols else None for c in range(1, width + 1)]
        k = 0
        for i, w in enumerate(want):
            if w is None:
                k += 1
                want[i] = str(k)
        if nr != want:
            R.error("header.numberRow %r, expected %r" % (nr, want))
        else:
            R.ok("numberRow %s numbers the %d value columns" % (" ".join(nr), k))
    fmt = t["formats"].get("default", "0.00")
    dec = t["rules"].get("decimals", {}).get("places")
    if dec != 2:
        R.error("rules.decimals.places is %r, expected 2" % dec)
    # seed rows
    if data is None:
        return None
    parsed = []      # (unit, level or None, name, [Decimal|None per value column])
    last = [""] * len(seg)
    seen = set()
    for ln, row in enumerate(data, 1):
        where = "%s.tsv line %d" % (tid, ln)
        if len(row) != width:
            R.error("%s: %d fields, header is %d columns wide" % (where, len(row), width))
            continue
        code_text, name = row[code_col - 1].strip(), row[name_col - 1].strip()
        if not code_text:
            if name not in totals_names:
                R.error("%s: row without code and %r is not a totals row %s" % (where, name, totals_names))
                continue
            unit, level = name, None
        else:
            res = resolve_code(code_text, codes, last, where)
            if res is None:
                continue
            unit, level = res
        if unit in seen:
            R.error("%s: duplicate unit %s" % (where, unit))
        seen.add(unit)
        vals = []
        for vc in cols:
            text = row[vc["col"] - 1]
            if text.strip() == "":
                vals.append(None)
                continue
            d = parse_amount(text)
            if d is None:
                R.error("%s: %s %r is not an amount" % (where, col_letters(vc["col"]), text))
                vals.append(None)
                continue
            if places_of(text) != 2:
                R.error("%s: %r has %d decimals, rules.decimals wants 2" % (where, text, places_of(text)))
            shown = fmt_number(d, fmt)
            if shown != text:
                R.error("%s: format %r prints %s as %r, seed prints %r" % (where, fmt, d, shown, text))
            vals.append(d)
        parsed.append((unit, level, name, vals))
    nvals = sum(1 for p in parsed for v in p[3] if v is not None)
    nempty = sum(1 for p in parsed for v in p[3] if v is None)
    R.ok("%d seed row(s) parsed: %d amount(s) printed exactly by %r, %d empty cell(s); codes resolved: %s" % (
        len(parsed), nvals, fmt, nempty,
        ", ".join(p[0] for p in parsed[:8]) + (" ..." if len(parsed) > 8 else "")))
    check_table_rules(t, tid, parsed, cols, paths)
    return {"rows": parsed, "cols": cols}


def z(v):
    return v if v is not None else Decimal(0)


def check_table_rules(t, tid, parsed, cols, paths):
    rules = t.get("rules", {})
    counts = {"ok": 0, "tail": 0, "mismatch": 0}
    # rowSums: total and parts are column paths (template text, unfilled {year})
    for rs in rules.get("rowSums", []):
        if "measures" in rs:
            R.error("rowSums %r: budget templates use column paths, not measures" % rs)
            continue
        names = [rs.get("total")] + rs.get("parts", [])
        missing = [n for n in names if n not in paths]
        if missing:
            R.error("rowSums refers to unknown column path(s) %s; known: %s" % (missing, sorted(paths)))
            continue
        ti = cols.index(paths[rs["total"]])
        pi = [cols.index(paths[p]) for p in rs["parts"]]
        for unit, level, name, vals in parsed:
            res = compare_sum("rowSums %s %s (%s) %s" % (tid, unit, name, fill_year(rs["total"])),
                              z(vals[ti]), [z(vals[i]) for i in pi],
                              ["%s %s" % (fill_year(rs["parts"][k]), z(vals[i])) for k, i in enumerate(pi)])
            counts[res] += 1
    # hierarchy
    coded = [(u, lv, n, v) for (u, lv, n, v) in parsed if lv is not None]
    if rules.get("hierarchy"):
        for unit, level, name, vals in coded:
            kids = [k for k in coded if k[1] == level + 1 and k[0].startswith(unit)]
            if not kids:
                continue
            for j, vc in enumerate(cols):
                res = compare_sum("hierarchy %s %s (%s) %s" % (tid, unit, name, vc["path"].replace("{year}", SEED_YEAR)),
                                  z(vals[j]), [z(k[3][j]) for k in kids], ["%s %s" % (k[0], z(k[3][j])) for k in kids])
                counts[res] += 1
    # columnTotals: each totals row = the sum of the top-level code rows
    if rules.get("columnTotals"):
        tops = [k for k in coded if k[1] == 0]
        for unit, level, name, vals in parsed:
            if level is not None:
                continue
            for j, vc in enumerate(cols):
                res = compare_sum("columnTotals %s %s %s" % (tid, unit, vc["path"].replace("{year}", SEED_YEAR)),
                                  z(vals[j]), [z(k[3][j]) for k in tops], ["%s %s" % (k[0], z(k[3][j])) for k in tops])
                counts[res] += 1
        if not any(p[1] is None for p in parsed):
            R.info("no totals row printed (%d rows): columnTotals not exercised" % len(parsed))
    R.ok("rules on the seed: %d identities exact, %d rounding tail(s), %d mismatch(es)" % (
        counts["ok"], counts["tail"], counts["mismatch"]))


# ------------------------------------------------------------------ forms

def check_form_layout(t, tid):
    require(t, ["width", "fields", "indicatorTable", "cells", "unitFrom"], tid)
    width = t.get("width", 0)
    grid = {}
    fields = {}

    def mark(rng, what):
        r1, c1, r2, c2 = parse_range(rng)
        if c2 > width:
            R.error("%s %s is wider than width=%d" % (what, rng, width))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                grid.setdefault((r, c), []).append(what)
        return r1, c1, r2, c2

    for f in t.get("fields", []):
        if not require(f, ["label", "name", "range", "valueRange", "type"], "%s field %r" % (tid, f.get("label"))):
            continue
        if f["type"] not in ("text", "number"):
            R.error("field %r: type must be text or number" % f["label"])
        d = f.get("direction", "right")
        if d not in ("right", "below"):
            R.error("field %r: direction must be right or below" % f["label"])
        lr = mark(f["range"], "label " + f["label"])
        vr = mark(f["valueRange"], "value " + f["name"])
        if d == "right" and not (vr[0] == lr[0] and vr[1] == lr[3] + 1):
            R.error("field %r: value %s is not right of label %s" % (f["label"], f["valueRange"], f["range"]))
        if d == "below" and not (vr[0] == lr[2] + 1 and vr[1] == lr[1]):
            R.error("field %r: value %s is not below label %s" % (f["label"], f["valueRange"], f["range"]))
        if f["name"] in fields:
            R.error("duplicate field name %r" % f["name"])
        fields[f["name"]] = f
    for c in t.get("cells", []):
        mark(c["range"], "cell " + c["text"])
    it = t.get("indicatorTable", {})
    hdr = it.get("header", [])
    if it.get("levels") != 3 or len(hdr) != it.get("levels", 0) + 1:
        R.error("indicatorTable: levels must be 3 and header levels+1 texts, got %r" % it)
    r1, c1, r2, c2 = mark(it.get("range", "A1"), "indicator header")
    if r1 != r2 or c1 != 1 or c2 != width or c2 - c1 + 1 != len(hdr):
        R.error("indicatorTable.range %r must be one full-width row with one cell per header text" % it.get("range"))
    nrows = max(r for (r, c) in grid) if grid else 0
    if r1 != nrows:
        R.error("indicator header (row %d) must be the last row of the fixed block (%d rows)" % (r1, nrows))
    bad = False
    for r in range(1, nrows + 1):
        for c in range(1, width + 1):
            n = len(grid.get((r, c), []))
            if n != 1:
                bad = True
                R.error("form position %s%d covered %d times %s" % (col_letters(c), r, n, grid.get((r, c), [])))
    if not bad:
        R.ok("fixed block %d rows x %d columns: every position covered exactly once (%d fields, %d static cells, indicator header)"
             % (nrows, width, len(fields), len(t.get("cells", []))))
    uf = t.get("unitFrom", {})
    if uf.get("field") not in fields:
        R.error("unitFrom.field %r is not a field name" % uf.get("field"))
    if t.get("instanceKey") is not None and t["instanceKey"] not in fields:
        R.error("instanceKey %r is not a field name" % t["instanceKey"])
    if t.get("repeat") and not t.get("instanceKey"):
        R.error("a repeated form needs an instanceKey")
    for fs in t.get("rules", {}).get("fieldSums", []):
        for n in [fs.get("total")] + fs.get("parts", []):
            if n not in fields or fields[n]["type"] != "number":
                R.error("fieldSums refers to %r, not a number field" % n)
    return nrows, fields


def split_instances(t, data):
    title = fold(t["lines"][0]["text"])
    starts = [i for i, row in enumerate(data) if fold(row[0]) == title and not any(x.strip() for x in row[1:])]
    if not starts or starts[0] != 0:
        R.error("the seed grid must start with the title line %r" % t["lines"][0]["text"])
        return []
    return [data[a:b] for a, b in zip(starts, starts[1:] + [len(data)])]


def cell_at(block, rng):
    r1, c1, r2, c2 = parse_range(rng)
    return r1, c1, r2, c2, block[r1 - 1][c1 - 1]


def check_form(t, tid, data):
    check_common(t, tid, "form")
    nrows, fields = check_form_layout(t, tid)
    width = t.get("width", 4)
    fmt = t["formats"].get("default")
    places = t.get("rules", {}).get("decimals", {}).get("places")
    per_line = [ln for ln in t["lines"]]
    if data is None:
        return None
    for i, row in enumerate(data, 1):
        if len(row) != width:
            R.error("%s.tsv line %d: %d fields, form is %d wide" % (tid, i, len(row), width))
            return None
    instances = split_instances(t, data)
    if not t.get("repeat") and len(instances) != 1:
        R.error("form is not repeated but the seed has %d instances" % len(instances))
    period_re = None
    for ln in per_line:
        if ln["role"] == "period":
            period_re = re.compile(re.escape(fold(ln["text"])).replace(re.escape("{year}"), r"(\d{4})"))
    results = []
    keys = set()
    folded_labels = {}
    hdr = t["indicatorTable"]["header"]
    for k, inst in enumerate(instances, 1):
        where = "%s instance %d" % (tid, k)
        skip = len(per_line)
        if len(inst) < skip + nrows:
            R.error("%s: only %d rows" % (where, len(inst)))
            continue
        if period_re:
            m = period_re.fullmatch(fold(inst[1][0]))
            if not m or m.group(1) != SEED_YEAR:
                R.error("%s: period line %r does not match %r" % (where, inst[1][0], per_line[1]["text"]))
        block = inst[skip: skip + nrows]
        vals = {}
        # static cells and labels
        for c in t.get("cells", []):
            r1, c1, r2, c2, text = cell_at(block, c["range"])
            if fold(text) != fold(c["text"]):
                R.error("%s: cell %s reads %r, template says %r" % (where, c["range"], text, c["text"]))
        for f in t["fields"]:
            r1, c1, r2, c2, text = cell_at(block, f["range"])
            if fold(text) != fold(f["label"]):
                R.error("%s: label at %s reads %r, template says %r" % (where, f["range"], text, f["label"]))
            elif text != f["label"]:
                folded_labels.setdefault((f["label"], text), []).append(k)
            r1, c1, r2, c2, text = cell_at(block, f["valueRange"])
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1) and block[r - 1][c - 1].strip():
                        R.error("%s: merged value %s has text in %s%d" % (where, f["valueRange"], col_letters(c), r))
            if f["type"] == "number":
                d = parse_amount(text)
                if d is None:
                    R.error("%s: %s %r is not a number" % (where, f["name"], text))
                    continue
                shown = fmt_number(d, f.get("format", fmt))
                if shown != text:
                    R.error("%s: format %r prints %s as %r, seed prints %r" % (where, f.get("format", fmt), d, shown, text))
                if places is not None and places_of(text) != places:
                    R.error("%s: %s %r does not have %d decimals" % (where, f["name"], text, places))
                vals[f["name"]] = d
            else:
                vals[f["name"]] = text
        ih = [x for x in block[nrows - 1]]
        if [fold(x) for x in ih] != [fold(x) for x in hdr]:
            R.error("%s: indicator header %r, template says %r" % (where, ih, hdr))
        # indicator rows
        inds = []
        cur = ["", ""]
        for j, row in enumerate(inst[skip + nrows:], 1):
            l1, l2, l3, v = row
            if l1.strip():
                cur = [l1, ""]
            if l2.strip():
                cur[1] = l2
            if not cur[0] or not cur[1]:
                R.error("%s indicator row %d: no 一级/二级 above %r" % (where, j, row))
                continue
            if not l3.strip():
                R.error("%s indicator row %d: empty 三级指标 %r" % (where, j, row))
                continue
            path = " / ".join(nows(x) for x in (cur[0], cur[1], l3))
            inds.append((path, v))
            if not v.strip():
                R.info("%s (%s): indicator %r has no %s: status empty" % (where, vals.get(t.get("instanceKey") or "部门名称"), path, hdr[3]))
        dup = sorted({p for p, _ in inds if [q for q, _ in inds].count(p) > 1})
        if dup:
            R.error("%s: duplicate indicator paths %s" % (where, dup))
        # unit
        uf = t["unitFrom"]
        m = re.match(uf["pattern"], str(vals.get(uf["field"], "")))
        unit = m.group(1) if m else None
        key = vals.get(t["instanceKey"]) if t.get("instanceKey") else None
        if key is not None:
            if key in keys:
                R.error("%s: instanceKey %r repeats" % (where, key))
            keys.add(key)
        results.append({"unit": unit, "key": key, "fields": vals, "indicators": inds})
        # fieldSums
        for fs in t.get("rules", {}).get("fieldSums", []):
            if fs["total"] in vals and all(p in vals for p in fs["parts"]):
                compare_sum("fieldSums %s %s %s" % (where, key or "", fs["total"]), vals[fs["total"]],
                            [vals[p] for p in fs["parts"]], ["%s %s" % (p, vals[p]) for p in fs["parts"]])
    for (label, text), ks in sorted(folded_labels.items()):
        R.info("label %r printed as %r in instance(s) %s: equal after width folding" % (label, text, ks))
    units = sorted({str(r["unit"]) for r in results})
    R.ok("%d instance(s); %d field observations, %d indicator observations; unit(s) from %s: %s%s" % (
        len(results), sum(len(r["fields"]) for r in results), sum(len(r["indicators"]) for r in results),
        t["unitFrom"]["field"], units,
        "" if not t.get("instanceKey") else "; instance keys (%s) unique" % t["instanceKey"]))
    for r in results:
        if r["unit"] is None:
            R.info("%s: %s %r prints no department code: unit falls back to that text (see report)" % (
                tid, t["unitFrom"]["field"], r["fields"].get(t["unitFrom"]["field"])))
    return results


# ------------------------------------------------------------------ cross-table observations

def cross_table(tables, forms):
    R.section("cross-table observations (INFO; not template rules)")

    def row(tid, unit):
        t = tables.get(tid)
        if not t:
            return None
        for u, lv, name, vals in t["rows"]:
            if u == unit:
                return name, vals
        return None

    def same(what, a, b):
        if a is None or b is None:
            return
        if a == b:
            R.ok("%s: %s = %s" % (what, a, b))
        else:
            R.info("%s: %s vs %s (difference %s)" % (what, a, b, a - b))

    exp, gen, bas = row("budget-expenditure", "合计"), row("budget-general-expenditure", "合计"), row("budget-basic-expenditure", "合计")
    dept = forms.get("department-performance")
    if dept and exp and gen:
        f = dept[0]["fields"]
        same("部门整体 收入预算合计 = 部门支出总表 合计", f["收入预算合计"], exp[1][0])
        same("部门整体 支出预算合计 = 部门支出总表 合计", f["支出预算合计"], exp[1][0])
        same("部门整体 基本支出 = 部门支出总表 基本支出", f["基本支出"], exp[1][1])
        same("部门整体 项目支出 = 部门支出总表 项目支出", f["项目支出"], exp[1][2])
        same("部门整体 财政拨款 = 一般公共预算支出表 合计", f["财政拨款"], gen[1][0])
        same("部门整体 其他经费 = 收入预算合计 - 财政拨款", f["其他经费"], f["收入预算合计"] - f["财政拨款"])
    if gen and bas:
        same("一般公共预算支出表 基本支出 = 基本支出表 合计", gen[1][1], bas[1][0])
    tp = tables.get("budget-three-public")
    if tp and tp["rows"] and bas:
        vals = tp["rows"][0][3]
        r = row("budget-basic-expenditure", "30212")
        same("三公 因公出国(境)费 = 基本支出表 30212", vals[1], r[1][0] if r else None)
        r = row("budget-basic-expenditure", "30217")
        same("三公 公务接待费 = 基本支出表 30217", vals[2], r[1][0] if r else None)
    # names of the same code across tables
    if tables.get("budget-expenditure") and tables.get("budget-general-expenditure"):
        names = {u: (n, v) for u, lv, n, v in tables["budget-expenditure"]["rows"]}
        for u, lv, n, v in tables["budget-general-expenditure"]["rows"]:
            if u in names and names[u][0] != n:
                R.info("code %s is %r in 部门支出总表 but %r in 一般公共预算支出表" % (u, names[u][0], n))
            if u not in names:
                R.info("code %s of 一般公共预算支出表 missing from 部门支出总表" % u)
            else:
                for j, x in enumerate(v):
                    if z(x) > z(names[u][1][j]):
                        R.info("code %s column %d: 一般公共预算 %s exceeds 部门支出总表 %s" % (u, j + 1, x, names[u][1][j]))
    proj = forms.get("project-performance")
    if proj and gen:
        total = sum((p["fields"]["财政拨款"] for p in proj), Decimal(0))
        same("项目支出绩效目标表 财政拨款 (all %d projects) = 一般公共预算支出表 项目支出" % len(proj), total, gen[1][2])
        r = row("budget-general-expenditure", "20801")
        if r:
            by = [p for p in proj if p["fields"]["项目名称"] != "教学项目"]
            same("项目 财政拨款 (%d projects without 教学项目) = 一般公共预算支出表 20801 项目支出" % len(by),
                 sum((p["fields"]["财政拨款"] for p in by), Decimal(0)), r[1][2])
        r = row("budget-general-expenditure", "20503")
        teach = [p for p in proj if p["fields"]["项目名称"] == "教学项目"]
        if r and teach:
            same("教学项目 财政拨款 = 一般公共预算支出表 20503 项目支出", teach[0]["fields"]["财政拨款"], r[1][2])


# ------------------------------------------------------------------ main

def main(argv):
    tdir = argv[1] if len(argv) > 1 else DEFAULT_TEMPLATES
    tables, forms = {}, {}
    for tid in TABLE_IDS + FORM_IDS:
        R.section(tid)
        path = os.path.join(tdir, tid + ".json")
        try:
            with open(path, encoding="utf-8") as f:
                t = json.load(f)
        except (OSError, ValueError) as e:
            R.error("cannot load %s: %s" % (path, e))
            continue
        data = read_tsv(tid)
        try:
            if tid in TABLE_IDS:
                res = check_table(t, tid, data)
                if res:
                    tables[tid] = res
            else:
                res = check_form(t, tid, data)
                if res:
                    forms[tid] = res
        except (KeyError, TypeError, ValueError) as e:
            R.error("template %s is malformed: %s: %s" % (tid, type(e).__name__, e))
    cross_table(tables, forms)
    print("\n%d error(s), %d rounding tail(s)" % (R.errors, R.tails))
    return 1 if R.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
