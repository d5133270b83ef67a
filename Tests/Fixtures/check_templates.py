#!/usr/bin/env python3
"""Validate the annex layout templates against templates/README.md and the seed tables.

    python3 check_templates.py [TEMPLATES_DIR] [--seed-tables DIR] [--seeds DIR]

TEMPLATES_DIR defaults to the repository's templates/ folder. For every template file
(`*.json` directly in the folder; registries live in registries/):

* required fields, id = file name, roles, placeholders;
* header block: every position of header.rows x (key columns + value columns) covered by
  exactly one cell, no cell crossing the key/value boundary, parents span whole children,
  corner cells over the key columns and all header rows;
* the derived value columns (indicator = header path above the leaf, white space removed,
  joined by " / "; measure = leaf text; a cell spanning every header row is a single-level
  column with an empty measure) - printed as `indicator | measure | format`;
* formats, rules and the registry refer to indicators, measures, units that exist;
* annualTargets (a table that states other layouts' targets) refers to its own single-level
  columns and rows, and to indicators the named layouts print with 占全年任务 and no 目标任务;
* the seed table Tests/Fixtures/seed-tables/<id>.tsv (first column the unit as printed,
  then the value cells as printed): every row has one cell per derived column, every unit
  is in the registry (canonical or alias) and in the template's row order, and the format
  of each column prints the seed's numbers as printed. A cell printed with other trailing
  zeros than its column's format (the source itself is inconsistent, e.g. 8012.0 among
  integers) is a warning; a format that changes a value, or a format for which another
  candidate would print more seed cells exactly, is an error;
* with the seed documents (../shared/seeds beside the repository, or --seeds), the title,
  period and units lines, footnotes and header texts are looked up in the seed text
  (warnings when not found).

Prints one block per template and exits 1 when there are errors, 0 otherwise.
"""

import json
import re
import sys
import unicodedata
from decimal import Decimal, InvalidOperation, ROUND_HALF_UP
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent

# Slips in the source documents that `annex check` must report; they are kept verbatim in
# the seed tables and must never become aliases.
KNOWN_SLIPS = {
    ("social-insurance-1", "南昌市"): "南昌县",
}
# The period each seed's tables print (for instantiating {year}/{month}).
SEED_PERIODS = {"000": {"year": "2023", "month": "7"}, "004": {"year": "2021"}}

ROLES = {"title", "period", "units", "note"}
KEY_ROLES = {"unit", "code", "name"}
FIXED_FORMATS = {"0", "0.0", "0.00", "0.000", "#,##0", "#,##0.0", "#,##0.00"}
PERCENT_FORMATS = {f + "%" for f in ("0", "0.0", "0.00", "0.000")}
KNOWN_FORMATS = FIXED_FORMATS | PERCENT_FORMATS | {"General", "@"}
CANDIDATES_PLAIN = ["0", "0.0", "0.00", "0.000", "General"]
CANDIDATES_PERCENT = ["0%", "0.0%", "0.00%", "0.000%"]


def norm(text):
    """White space removed, full-width characters folded (NFKC), as README.md matches names."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def no_ws(text):
    return re.sub(r"\s+", "", text)


def col_index(letters):
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(i):
    s, i = "", i + 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def parse_range(text):
    m = re.fullmatch(r"([A-Z]+)([1-9][0-9]*)(?::([A-Z]+)([1-9][0-9]*))?", text or "")
    if not m:
        return None
    c1, r1 = col_index(m.group(1)), int(m.group(2))
    c2, r2 = (col_index(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    if c2 < c1 or r2 < r1:
        return None
    return c1, r1, c2, r2


class Report:
    def __init__(self):
        self.errors = 0
        self.warnings = 0
        self.lines = []

    def error(self, msg):
        self.errors += 1
        self.lines.append("  error: " + msg)

    def warning(self, msg):
        self.warnings += 1
        self.lines.append("  warning: " + msg)

    def info(self, msg):
        self.lines.append("  info: " + msg)

    def out(self, msg):
        self.lines.append(msg)


# ---------------------------------------------------------------- number formats

def parse_number(text):
    t = unicodedata.normalize("NFKC", text).strip()
    pct = t.endswith("%")
    if pct:
        t = t[:-1]
    t = t.replace(",", "")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", t):
        return None, pct
    try:
        return Decimal(t), pct
    except InvalidOperation:
        return None, pct


def render(value, fmt):
    """The text Excel prints for `value` (percent units for % formats) under `fmt`."""
    if fmt in ("General", "@"):
        if value == value.to_integral_value():
            return str(int(value))
        s = format(value.normalize(), "f")
        return s
    pct = fmt.endswith("%")
    core = fmt[:-1] if pct else fmt
    grouping = core.startswith("#,##")
    core = core.replace("#,##", "")
    places = len(core.split(".")[1]) if "." in core else 0
    q = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    s = f"{q:,.{places}f}" if grouping else f"{q:.{places}f}"
    if s.startswith("-") and Decimal(s.replace(",", "")) == 0:
        s = s[1:]
    return s + ("%" if pct else "")


# ---------------------------------------------------------------- templates

def derive_columns(tpl, rep):
    """Checks the header block; returns [(column, indicator, measure)] or None."""
    header = tpl.get("header")
    if not isinstance(header, dict):
        rep.error("header missing")
        return None
    rows = header.get("rows")
    cells = header.get("cells")
    if not isinstance(rows, int) or rows < 1:
        rep.error("header.rows must be a positive integer")
        return None
    if not isinstance(cells, list) or not cells:
        rep.error("header.cells missing")
        return None
    parsed = []
    for cell in cells:
        r = parse_range(cell.get("range")) if isinstance(cell, dict) else None
        if r is None:
            rep.error(f"header cell with a bad range: {cell!r}")
            return None
        if not isinstance(cell.get("text"), str) or not cell["text"].strip():
            rep.error(f"header cell {cell['range']} has no text")
        if r[3] > rows:
            rep.error(f"header cell {cell['range']} goes below header.rows = {rows}")
        parsed.append((r, cell))
    width = max(r[2] for r, _ in parsed) + 1
    grid = {}
    for r, cell in parsed:
        for c in range(r[0], r[2] + 1):
            for y in range(r[1], r[3] + 1):
                if (c, y) in grid:
                    rep.error(f"header cells {grid[(c, y)][1]['range']} and {cell['range']} overlap at "
                              f"{col_letters(c)}{y}")
                grid[(c, y)] = (r, cell)
    gaps = [f"{col_letters(c)}{y}" for y in range(1, rows + 1) for c in range(width) if (c, y) not in grid]
    if gaps:
        rep.error(f"header positions not covered: {', '.join(gaps)}")
        return None

    keys = tpl.get("keyColumns")
    if not isinstance(keys, list):
        rep.error("keyColumns missing")
        return None
    for i, k in enumerate(keys):
        if not isinstance(k, dict) or k.get("column") != col_letters(i) or k.get("role") not in KEY_ROLES:
            rep.error(f"keyColumns[{i}] must be {{\"column\": \"{col_letters(i)}\", \"role\": unit|code|name}}: {k!r}")
    nkeys = len(keys)
    if width <= nkeys:
        rep.error("header has no value columns")
        return None
    for r, cell in parsed:
        if r[0] < nkeys <= r[2]:
            rep.error(f"header cell {cell['range']} crosses the key/value column boundary")
        if cell.get("corner"):
            if r[2] >= nkeys or r[1] != 1 or r[3] != rows:
                rep.error(f"corner cell {cell['range']} must lie over the key columns and span all header rows")
    # parents must span whole children
    for r, cell in parsed:
        below = r[3] + 1
        if below > rows:
            continue
        for c in range(r[0], r[2] + 1):
            cr, child = grid[(c, below)]
            if cr[0] < r[0] or cr[2] > r[2]:
                rep.error(f"header cell {child['range']} sticks out of its parent {cell['range']}")

    columns = []
    for c in range(nkeys, width):
        leaf_r, leaf = grid[(c, rows)]
        if leaf_r[1] == 1:
            columns.append((col_letters(c), no_ws(leaf["text"]), ""))
            continue
        path = []
        for y in range(1, leaf_r[1]):
            pr, parent = grid[(c, y)]
            text = no_ws(parent["text"])
            if not path or path[-1][0] != pr:
                path.append((pr, text))
        columns.append((col_letters(c), " / ".join(t for _, t in path), no_ws(leaf["text"])))
    seen = set()
    for letter, ind, meas in columns:
        if (ind, meas) in seen:
            rep.error(f"column {letter}: indicator/measure {ind} | {meas} appears twice")
        seen.add((ind, meas))
    rep.nkeys = nkeys
    return columns


def resolve_format(formats, indicator, measure):
    by_ind = formats.get("byIndicator") or {}
    by_meas = formats.get("byMeasure") or {}
    if indicator in by_ind:
        return by_ind[indicator]
    if measure and measure in by_meas:
        return by_meas[measure]
    return formats.get("default")


def load_registry(tdir, name, rep):
    path = tdir / "registries" / f"{name}.json"
    if not path.is_file():
        rep.error(f"registry {name}: {path} not found")
        return None
    try:
        reg = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        rep.error(f"registry {name}: {exc}")
        return None
    if reg.get("id") != name:
        rep.error(f"registry {path.name}: id {reg.get('id')!r} differs from the file name")
    lookup = {}
    for u in reg.get("units") or []:
        canon = u.get("name")
        if not isinstance(canon, str) or not canon:
            rep.error(f"registry {name}: unit without a name: {u!r}")
            continue
        for label in [canon] + list(u.get("aliases") or []):
            key = norm(label)
            if key in lookup and lookup[key] != canon:
                rep.error(f"registry {name}: {label} names both {lookup[key]} and {canon}")
            elif key in lookup and label != canon:
                rep.error(f"registry {name}: {label} listed twice")
            lookup[key] = canon
    return lookup


def check_rules(tpl, columns, tdir, rep):
    rules = tpl.get("rules")
    if not isinstance(rules, dict):
        rep.error("rules missing")
        return
    inds = {}
    for _, ind, meas in columns:
        inds.setdefault(ind, set()).add(meas)
    measures = {m for _, _, m in columns if m}

    markers = rules.get("markers")
    if markers is not None and not (isinstance(markers, dict) and all(
            isinstance(v, list) for v in markers.values())):
        rep.error("rules.markers must map a state to a list of marker texts")
    dec = rules.get("decimals")
    if dec is not None:
        if not isinstance(dec.get("places"), int):
            rep.error("rules.decimals.places must be an integer")
        for m in dec.get("measures") or []:
            if m not in measures:
                rep.error(f"rules.decimals: no column has measure {m}")
        for i in dec.get("indicators") or []:
            if i not in inds:
                rep.error(f"rules.decimals: no indicator {i}")
    for ratio in rules.get("ratios") or []:
        names = [ratio.get(k) for k in ("result", "numerator", "denominator")]
        if not all(isinstance(n, str) for n in names):
            rep.error(f"rules.ratios entry needs result, numerator, denominator: {ratio!r}")
            continue
        users = [i for i, ms in inds.items() if all(n in ms for n in names)]
        if not users:
            if names[2] not in measures:
                rep.warning(f"ratio {names[0]} = {names[1]} / {names[2]}: no {names[2]} column, not checked")
            else:
                rep.error(f"ratio {names[0]} = {names[1]} / {names[2]}: no indicator has all three measures")
        if not isinstance(ratio.get("scale", 1), (int, float)):
            rep.error("rules.ratios scale must be a number")
    paths = {f"{i} / {m}" if m else i for _, i, m in columns}
    for rs in rules.get("rowSums") or []:
        for ind in [rs.get("total")] + list(rs.get("parts") or []):
            if "measures" not in rs:
                # without measures, total and parts name whole columns: "indicator / measure"
                if ind not in paths:
                    rep.error(f"rules.rowSums: no column {ind}")
                continue
            if ind not in inds:
                rep.error(f"rules.rowSums: no indicator {ind}")
                continue
            for m in rs.get("measures") or []:
                if m not in inds[ind]:
                    rep.error(f"rules.rowSums: {ind} has no measure {m}")
        if not rs.get("parts"):
            rep.error(f"rules.rowSums entry without parts: {rs!r}")
    if "columnTotals" in rules and not isinstance(rules["columnTotals"], bool):
        rep.error("rules.columnTotals must be true or false")
    na = rules.get("nonAdditive")
    if na is not None:
        for m in na.get("measures") or []:
            if m not in measures:
                rep.error(f"rules.nonAdditive: no column has measure {m}")
        for i in na.get("indicators") or []:
            if i not in inds:
                rep.error(f"rules.nonAdditive: no indicator {i}")
    bs = rules.get("behindSchedule")
    if bs is not None and bs.get("measure") not in measures:
        rep.error(f"rules.behindSchedule: no column has measure {bs.get('measure')}")
    for ct in rules.get("crossTable") or []:
        other_id = ct.get("template")
        ind = ct.get("indicator")
        if ind not in inds:
            rep.error(f"rules.crossTable: no indicator {ind} here")
            continue
        other_path = tdir / f"{other_id}.json"
        if not other_path.is_file():
            rep.error(f"rules.crossTable: template {other_id} not found")
            continue
        sub = Report()
        other_cols = derive_columns(json.loads(other_path.read_text(encoding="utf-8")), sub) or []
        other = {(i, m) for _, i, m in other_cols}
        for m in ct.get("measures") or []:
            if m not in inds[ind]:
                rep.error(f"rules.crossTable: {ind} has no measure {m} here")
            if (ind, m) not in other:
                rep.error(f"rules.crossTable: {other_id} has no column {ind} | {m}")


def check_seed_table(tpl, columns, lookup, tsv, rep):
    tid = tpl["id"]
    nkeys = rep.nkeys
    rows = [line.rstrip("\r\n").split("\t")
            for line in tsv.read_text(encoding="utf-8").splitlines() if line.strip()]
    order = (tpl.get("rows") or {}).get("order") or []
    markers = set()
    for v in ((tpl.get("rules") or {}).get("markers") or {}).values():
        markers.update(v)
    ncols = len(columns)
    if order and len(rows) != len(order):
        rep.error(f"{tsv.name}: {len(rows)} rows, the template's row order has {len(order)}")
    for n, row in enumerate(rows, 1):
        if len(row) - nkeys != ncols:
            rep.error(f"{tsv.name} line {n} ({row[0]}): {len(row) - nkeys} value cells, the header derives {ncols}")
        if lookup is None:
            continue
        printed = row[0]
        slip = KNOWN_SLIPS.get((tid, printed))
        canon = lookup.get(norm(printed))
        expected = order[n - 1] if n - 1 < len(order) else None
        if slip is not None:
            rep.warning(f"{tsv.name} line {n}: unit printed {printed}, the row of {slip} "
                        f"(a slip in the source: annex check must report it as unknown-unit)")
            if canon is not None:
                rep.error(f"{printed} must not be in the registry (it is the known slip for {slip})")
            canon = slip
        elif canon is None:
            rep.error(f"{tsv.name} line {n}: unit {printed} is not in registry {tpl['rows'].get('registry')}")
            continue
        elif canon != printed:
            rep.info(f"{tsv.name} line {n}: {printed} is an alias of {canon}")
        if expected is not None and canon != expected:
            rep.error(f"{tsv.name} line {n}: unit {printed} ({canon}) where the row order has {expected}")

    formats = tpl.get("formats") or {}
    for i, (letter, ind, meas) in enumerate(columns):
        fmt = resolve_format(formats, ind, meas)
        cells = []
        for n, row in enumerate(rows, 1):
            if nkeys + i >= len(row):
                continue
            text = row[nkeys + i].strip()
            if text == "" or text in markers:
                continue
            value, pct = parse_number(text)
            if value is None:
                rep.error(f"{tsv.name} line {n} column {letter}: {text!r} is neither a number nor a marker")
                continue
            if pct != fmt.endswith("%"):
                rep.error(f"{tsv.name} line {n} column {letter}: {text} but format {fmt}")
                continue
            cells.append((n, row[0], text, value))
        if not cells:
            continue
        cands = CANDIDATES_PERCENT if fmt.endswith("%") else CANDIDATES_PLAIN

        def misses(f):
            return [(n, u, t, v) for n, u, t, v in cells if render(v, f) != t]

        mine = misses(fmt)
        changed = 0
        for n, unit, text, value in mine:
            shown = render(value, fmt)
            if parse_number(shown)[0] == value:
                rep.warning(f"{ind} | {meas} ({letter}), {unit}: printed {text}, format {fmt} prints {shown} "
                            f"(same value; the source formats this cell differently)")
            else:
                changed += 1
                if changed <= 3:
                    rep.error(f"{ind} | {meas} ({letter}), {unit}: printed {text}, format {fmt} prints {shown}")
        if changed > 3:
            rep.error(f"{ind} | {meas} ({letter}): {changed - 3} more cells whose value format {fmt} changes")
        best = min(cands, key=lambda f: len(misses(f)))
        if len(misses(best)) < len(mine):
            rep.error(f"{ind} | {meas} ({letter}): format {fmt} misprints {len(mine)} seed cells, "
                      f"{best} would misprint {len(misses(best))}")


def check_seed_text(tpl, seeds_dir, rep):
    m = re.match(r"seed (\d{3})\b", tpl.get("source") or "")
    if not m or seeds_dir is None:
        return
    files = sorted(seeds_dir.glob(f"{m.group(1)}_*.txt"))
    if not files:
        rep.warning(f"seed {m.group(1)} not found under {seeds_dir}")
        return
    text = files[0].read_text(encoding="utf-8")
    lines = {line.strip() for line in text.splitlines()}
    flat = norm(text)
    period = SEED_PERIODS.get(m.group(1))
    if period is not None:
        for line in tpl.get("lines") or []:
            t = line.get("text", "")
            try:
                t = t.format(**period)
            except (KeyError, IndexError, ValueError):
                continue
            if t not in lines:
                rep.warning(f"{line.get('role')} line {t!r} is not a line of {files[0].name}")
    for note in tpl.get("footnotes") or []:
        if note not in lines:
            rep.warning(f"footnote {note!r} is not a line of {files[0].name}")
    for cell in (tpl.get("header") or {}).get("cells") or []:
        for part in str(cell.get("text", "")).split("\n"):
            if period is not None:
                try:
                    part = part.format(**period)
                except (KeyError, IndexError, ValueError):
                    pass
            if "{" in part:
                continue
            if norm(part) and norm(part) not in flat:
                rep.warning(f"header text {part!r} ({cell.get('range')}) not found in {files[0].name}")


def check_annual_targets(tpl, columns, tdir, rep):
    """annualTargets: each column a single-level column here, stating the target of an indicator
    that the named layout prints with 占全年任务 but without 目标任务; units map this table's rows
    to the rows of every layout named."""
    block = tpl.get("annualTargets")
    if block is None:
        return
    own = {i for _, i, m in columns if not m}
    rows = (tpl.get("rows") or {}).get("order") or []
    mapped = block.get("units") or {}
    for unit in mapped:
        if unit not in rows:
            rep.error(f"annualTargets.units: {unit} is not in rows.order")
    for entry in block.get("columns") or []:
        if entry.get("column") not in own:
            rep.error(f"annualTargets: no single-level column {entry.get('column')}")
        factor = entry.get("factor", 1)
        if not isinstance(factor, int) or factor < 1:
            rep.error(f"annualTargets: factor must be a positive integer: {entry!r}")
        other_path = tdir / f"{entry.get('template')}.json"
        if not other_path.is_file():
            rep.error(f"annualTargets: template {entry.get('template')} not found")
            continue
        other = json.loads(other_path.read_text(encoding="utf-8"))
        measures = {m for _, i, m in derive_columns(other, Report()) or [] if i == entry.get("indicator")}
        if "占全年任务" not in measures or any(m.startswith("目标任务") for m in measures):
            rep.error(f"annualTargets: {entry.get('template')} has no 占全年任务 of {entry.get('indicator')} "
                      f"without a 目标任务 column")
        other_rows = (other.get("rows") or {}).get("order") or []
        for unit in mapped.values():
            if unit not in other_rows:
                rep.error(f"annualTargets.units: {unit} is not a row of {entry.get('template')}")
    if not block.get("columns"):
        rep.error("annualTargets: no columns")


def check_template(path, tdir, tsv_dir, seeds_dir):
    rep = Report()
    try:
        tpl = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        rep.error(f"not readable JSON: {exc}")
        return rep, None
    for field in ("id", "name", "source", "kind", "period", "lines", "footnotes", "rules"):
        if field not in tpl:
            rep.error(f"required field {field} missing")
    rep.out(f"== {tpl.get('id')} ({tpl.get('name')})")
    if tpl.get("id") != path.stem:
        rep.error(f"id {tpl.get('id')!r} differs from the file name {path.name}")
    if tpl.get("kind") not in ("table", "form"):
        rep.error(f"kind must be table or form: {tpl.get('kind')!r}")
    if tpl.get("period") not in ("month", "year"):
        rep.error(f"period must be month or year: {tpl.get('period')!r}")
    lines = tpl.get("lines") or []
    titles = [ln for ln in lines if isinstance(ln, dict) and ln.get("role") == "title"]
    for ln in lines:
        if not isinstance(ln, dict) or not isinstance(ln.get("role"), str) or not isinstance(ln.get("text"), str):
            rep.error(f"bad line {ln!r}")
        elif ln["role"] not in ROLES:
            rep.warning(f"line role {ln['role']!r} is not one of README.md's roles (title, period, units, note)")
    if len(titles) != 1:
        rep.error(f"{len(titles)} title lines, expected 1")
    else:
        # The period is read from the lines (README: the title is how a sheet's period is found;
        # a layout whose title has no year carries {year} in another line or in the header).
        texts = " ".join(ln.get("text", "") for ln in lines if isinstance(ln, dict))
        header_texts = " ".join(str(c.get("text", "")) for c in (tpl.get("header") or {}).get("cells") or []
                                if isinstance(c, dict))
        if "{year}" not in texts + header_texts:
            rep.warning("no {year} in the lines or the header: the period cannot be read from a sheet")
        elif "{year}" not in titles[0]["text"]:
            rep.info("the title has no {year}; the period comes from another line or the header")
        if tpl.get("period") == "month" and "{month}" not in texts:
            rep.error("monthly template: no {month} in the lines")
        if tpl.get("period") == "year" and "{month}" in texts:
            rep.error("yearly template: a line has {month}")
    if not isinstance(tpl.get("footnotes", []), list) or not all(
            isinstance(f, str) for f in tpl.get("footnotes", [])):
        rep.error("footnotes must be a list of strings")

    if tpl.get("kind") == "form":
        if not isinstance(tpl.get("fields"), list):
            rep.error("form: fields missing")
        it = tpl.get("indicatorTable")
        if not isinstance(it, dict) or not isinstance(it.get("header"), list) or not isinstance(it.get("levels"), int):
            rep.error("form: indicatorTable needs header and levels")
        check_seed_text(tpl, seeds_dir, rep)
        return rep, tpl

    columns = derive_columns(tpl, rep)
    if columns is None:
        return rep, tpl
    formats = tpl.get("formats")
    if not isinstance(formats, dict) or "default" not in formats:
        rep.error("formats.default missing")
        formats = {"default": "General"}
    all_formats = [formats.get("default")] + list((formats.get("byMeasure") or {}).values()) + \
        list((formats.get("byIndicator") or {}).values())
    for f in all_formats:
        if f not in KNOWN_FORMATS:
            rep.error(f"unknown number format {f!r}")
    for m in formats.get("byMeasure") or {}:
        if m not in {c[2] for c in columns}:
            rep.error(f"formats.byMeasure: no column has measure {m}")
    for i in formats.get("byIndicator") or {}:
        if i not in {c[1] for c in columns}:
            rep.error(f"formats.byIndicator: no indicator {i}")

    rep.out(f"  {len(columns)} value columns (indicator | measure | format):")
    for letter, ind, meas in columns:
        rep.out(f"    {letter}  {ind} | {meas} | {resolve_format(formats, ind, meas)}")

    check_rules(tpl, columns, tdir, rep)
    check_annual_targets(tpl, columns, tdir, rep)

    rows = tpl.get("rows")
    lookup = None
    if not isinstance(rows, dict):
        rep.error("rows missing")
    elif rows.get("kind") == "codes":
        pass
    else:
        lookup = load_registry(tdir, rows.get("registry"), rep) if rows.get("registry") else None
        if lookup is None and not rows.get("registry"):
            rep.error("rows.registry missing")
        order = rows.get("order") or []
        if not order:
            rep.error("rows.order missing")
        if len(set(order)) != len(order):
            rep.error("rows.order lists a unit twice")
        if lookup is not None:
            for u in order:
                if lookup.get(norm(u)) != u:
                    rep.error(f"rows.order: {u} is not a canonical name of registry {rows.get('registry')}")
        for t in rows.get("totals") or []:
            if t not in order:
                rep.error(f"rows.totals: {t} is not in rows.order")

    tsv = tsv_dir / f"{tpl.get('id')}.tsv"
    if tsv.is_file():
        check_seed_table(tpl, columns, lookup, tsv, rep)
    else:
        rep.info(f"no seed table {tsv.name}")
    check_seed_text(tpl, seeds_dir, rep)
    return rep, tpl


def main(argv):
    args = list(argv)
    tsv_dir = HERE / "seed-tables"
    seeds_dir = REPO.parent / "shared" / "seeds"
    for opt in ("--seed-tables", "--seeds"):
        if opt in args:
            i = args.index(opt)
            value = Path(args[i + 1])
            del args[i:i + 2]
            if opt == "--seeds":
                seeds_dir = value
            else:
                tsv_dir = value
    tdir = Path(args[0]) if args else REPO / "templates"
    if not tdir.is_dir():
        print(f"error: {tdir} is not a folder", file=sys.stderr)
        return 2
    if not seeds_dir.is_dir():
        seeds_dir = None
    errors = warnings = 0
    paths = sorted(tdir.glob("*.json"))
    if not paths:
        print(f"error: no templates in {tdir}", file=sys.stderr)
        return 2
    for path in paths:
        rep, _ = check_template(path, tdir, tsv_dir, seeds_dir)
        print("\n".join(rep.lines))
        errors += rep.errors
        warnings += rep.warnings
    print(f"{len(paths)} templates, {errors} errors, {warnings} warnings"
          + ("" if seeds_dir else " (seed documents not found: text not compared)"))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
