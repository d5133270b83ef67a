#!/usr/bin/env python3
"""Reference for `annex dump FILE`: the dump JSON of an .xlsx, computed with openpyxl.

    python3 reference_dump.py FILE.xlsx > expected.json

Values come from openpyxl (load_workbook(data_only=True): a formula cell gives its cached
value). openpyxl drops the values stored in cells covered by a merged range; the product keeps
them, so those are read back from the raw sheet XML (zipfile + ElementTree) and typed the way
openpyxl types every other cell (same shared strings, same date styles, same epoch).

Conventions (see README.md):
  number  shortest round-trip decimal of the double, plain notation, no exponent, no ".0"
          (an integer in the XML is read as a double too: 9007199254740993 -> 9007199254740992)
  bool    true / false
  error   the error text (#DIV/0!)
  date    datetime.time -> HH:MM:SS; a datetime at midnight under a date-only format ->
          YYYY-MM-DD; any other datetime -> YYYY-MM-DDTHH:MM:SS; ".fff" appended when the
          milliseconds are not zero. openpyxl turns any date-styled serial in [0, 1) into a time.
  duration  an elapsed-time cell ([h]:mm:ss; openpyxl: timedelta) -> PT255H10M10S, -PT12H
  formula   "formula": its text without "=" (openpyxl with data_only=False) beside the cached
          value; a formula with no cached value is the string "=formula"
"""

import datetime
import decimal
import json
import posixpath
import re
import sys
import warnings
import zipfile
import xml.etree.ElementTree as ET

import openpyxl
from openpyxl.reader.strings import read_string_table
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import get_column_letter, coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

REL_OFFICE_DOC = "/officeDocument"   # suffix of the relationship type (Transitional or Strict)
REL_SHARED_STRINGS = "/sharedStrings"


# ---------------------------------------------------------------- values

def number_text(x):
    """Shortest decimal that reads back as the same double, plain notation."""
    x = float(x)                      # ints too: the file holds a double
    if x != x or x in (float("inf"), float("-inf")):
        raise ValueError("non-finite number %r" % x)
    if x == 0:
        return "0"                    # also -0.0
    s = format(decimal.Decimal(repr(x)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[[^\]]*\]")


def format_is_date_only(fmt):
    """True when a date number format shows no time part (no h, s, AM/PM, elapsed time)."""
    if not fmt:
        return False
    section = fmt.split(";")[0]
    section = _QUOTED.sub("", section)
    if re.search(r"\[(h+|m+|s+)\]", section, re.I):
        return False                  # elapsed time
    section = _BRACKET.sub("", section)  # colours, locales, conditions
    if re.search(r"[hs]|am/pm|a/p", section, re.I):
        return False
    return re.search(r"[ydm]", section, re.I) is not None


def _millis(t):
    ms = int(round(t.microsecond / 1000.0))
    return ms


def duration_text(v):
    """An elapsed-time cell (openpyxl: timedelta) as an ISO 8601 duration to the millisecond:
    PT255H10M10S, -PT12H, PT1.5S, PT0S (SPEC.md, dump JSON)."""
    total = int(round(abs(v.total_seconds()) * 1000))
    hours, rest = divmod(total, 3_600_000)
    minutes, ms = divmod(rest, 60_000)
    s = ("-PT" if v.total_seconds() < 0 and total else "PT")
    if hours:
        s += "%dH" % hours
    if minutes:
        s += "%dM" % minutes
    if ms or not total:
        s += str(ms // 1000)
        if ms % 1000:
            s += "." + ("%03d" % (ms % 1000)).rstrip("0")
        s += "S"
    return s


def date_text(v, fmt):
    if isinstance(v, datetime.time):
        base = datetime.datetime(2000, 1, 1, v.hour, v.minute, v.second, v.microsecond)
        base = _round_ms(base)
        s = base.strftime("%H:%M:%S")
        if base.microsecond:
            s += ".%03d" % (base.microsecond // 1000)
        return s
    if not isinstance(v, datetime.datetime):       # a plain date
        return "%04d-%02d-%02d" % (v.year, v.month, v.day)
    v = _round_ms(v)
    midnight = (v.hour, v.minute, v.second, v.microsecond) == (0, 0, 0, 0)
    if midnight and format_is_date_only(fmt):
        return "%04d-%02d-%02d" % (v.year, v.month, v.day)
    s = "%04d-%02d-%02dT%02d:%02d:%02d" % (v.year, v.month, v.day, v.hour, v.minute, v.second)
    if v.microsecond:
        s += ".%03d" % (v.microsecond // 1000)
    return s


def _round_ms(v):
    ms = _millis(v)
    return v.replace(microsecond=0) + datetime.timedelta(milliseconds=ms)


def typed(value, data_type, fmt):
    """(type, value text) for one cell value as openpyxl returns it, or None when empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("bool", "true" if value else "false")
    if isinstance(value, datetime.timedelta):
        return ("duration", duration_text(value))
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return ("date", date_text(value, fmt))
    if isinstance(value, (int, float)):
        return ("number", number_text(value))
    if isinstance(value, str):
        return ("error" if data_type == "e" else "string", value)
    raise TypeError("unexpected cell value %r" % (value,))


# ---------------------------------------------------------------- raw XML (covered cells)

def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _resolve(base_part, target):
    """Part name (no leading slash) for a relationship target relative to base_part."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(base_part), target))


def _rels(zf, part):
    d, f = posixpath.split(part)
    path = posixpath.join(d, "_rels", f + ".rels")
    out = {}
    if path not in zf.NameToInfo:
        return out
    for el in ET.fromstring(zf.read(path)):
        if _local(el.tag) == "Relationship" and el.get("TargetMode") != "External":
            out[el.get("Id")] = (el.get("Type", ""), _resolve(part, el.get("Target", "")))
    return out


class RawBook:
    """Just enough of the package to read raw cells of a sheet by its position."""

    def __init__(self, path):
        self.zf = zipfile.ZipFile(path)
        root_rels = _rels(self.zf, "")
        wb_part = next(t for ty, t in root_rels.values() if ty.endswith(REL_OFFICE_DOC))
        wb_rels = _rels(self.zf, wb_part)
        wb = ET.fromstring(self.zf.read(wb_part))
        self.sheet_parts = []
        for el in wb.iter():
            if _local(el.tag) == "sheet":
                rid = next(v for k, v in el.attrib.items() if _local(k) == "id")
                self.sheet_parts.append(wb_rels[rid][1])
        self._sst_part = next((t for ty, t in wb_rels.values()
                               if ty.endswith(REL_SHARED_STRINGS)), None)
        self._sst = None

    def shared_strings(self):
        if self._sst is None:
            self._sst = []
            if self._sst_part and self._sst_part in self.zf.NameToInfo:
                with self.zf.open(self._sst_part) as f:
                    self._sst = read_string_table(f)   # the same reading openpyxl applies
        return self._sst

    def cells(self, index, wanted):
        """{(row, col): (t, v_text, style, inline_text)} for the coordinates in wanted."""
        out = {}
        row_no = 0
        col_no = 0
        root = ET.fromstring(self.zf.read(self.sheet_parts[index]))
        for row in root.iter():
            if _local(row.tag) != "row":
                continue
            row_no = int(row.get("r")) if row.get("r") else row_no + 1
            col_no = 0
            for c in row:
                if _local(c.tag) != "c":
                    continue
                if c.get("r"):
                    r, col_no = coordinate_to_tuple(c.get("r"))
                else:
                    r, col_no = row_no, col_no + 1
                if (r, col_no) not in wanted:
                    continue
                v = None
                inline = None
                for child in c:
                    name = _local(child.tag)
                    if name == "v":
                        v = child.text
                    elif name == "is":
                        inline = "".join(
                            (t.text or "") for t in _text_nodes(child))
                out[(r, col_no)] = (c.get("t", "n"), v, int(c.get("s") or 0), inline)
        return out


def _text_nodes(node):
    """<t> children of a string item and of its runs, not of phonetic runs (<rPh>)."""
    for child in node:
        name = _local(child.tag)
        if name == "t":
            yield child
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    yield t


def style_format(wb, style_index):
    """Number format code of a cellXfs index, as openpyxl normalised it."""
    try:
        fid = wb._cell_styles[style_index].numFmtId
    except IndexError:
        return None
    if fid >= BUILTIN_FORMATS_MAX_SIZE:
        return wb._number_formats[fid - BUILTIN_FORMATS_MAX_SIZE]
    return BUILTIN_FORMATS.get(fid)


def raw_cell_typed(wb, raw, t, v, s, inline):
    fmt = style_format(wb, s)
    if t == "inlineStr":
        return None if inline is None else ("string", inline)
    if v is None or v == "":
        return None
    if t == "s":
        return ("string", raw.shared_strings()[int(v)])
    if t in ("str",):
        return ("string", v)
    if t == "b":
        return ("bool", "true" if int(v) else "false")
    if t == "e":
        return ("error", v)
    if t == "d":
        return ("date", date_text(from_ISO8601(v), fmt))
    num = float(v) if any(ch in v for ch in ".eE") else int(v)
    if s in wb._date_formats:
        return ("date", date_text(
            from_excel(num, wb.epoch, timedelta=s in wb._timedelta_formats), fmt))
    return ("number", number_text(num))


# ---------------------------------------------------------------- dump

def dump(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    raw = None
    sheets = []
    for index, ws in enumerate(wb.worksheets):
        ranges = sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col))
        cells = {}
        with_formulas = formulas.worksheets[index]
        for (row, col), cell in ws._cells.items():
            if type(cell).__name__ == "MergedCell":
                continue
            tv = typed(cell.value, cell.data_type, cell.number_format)
            formula = formula_text(with_formulas._cells.get((row, col)))
            if tv is None and formula is not None:
                tv = ("string", "=" + formula)     # no cached value: the formula's text, as openpyxl shows it
            if tv is not None:
                cells[(row, col)] = tv + ((formula,) if formula is not None else ())
        covered = set()
        for r in ranges:
            for row in range(r.min_row, r.max_row + 1):
                for col in range(r.min_col, r.max_col + 1):
                    if (row, col) != (r.min_row, r.min_col):
                        covered.add((row, col))
        if covered:
            if raw is None:
                raw = RawBook(path)
            sheet_index = wb._sheets.index(ws)
            for pos, (t, v, s, inline) in raw.cells(sheet_index, covered).items():
                tv = raw_cell_typed(wb, raw, t, v, s, inline)
                if tv is not None:
                    cells[pos] = tv
        sheets.append({
            "name": ws.title,
            "merged": [r.coord if ":" in r.coord else r.coord + ":" + r.coord for r in ranges],
            "cells": [cell_json(row, col, tv) for (row, col), tv in sorted(cells.items())],
        })
    return {"file": path, "sheets": sheets}


def formula_text(cell):
    """The formula of a cell without its `=` (openpyxl with data_only=False), or None."""
    if cell is None:
        return None
    value = cell.value
    text = getattr(value, "text", value)       # ArrayFormula / DataTableFormula keep it in .text
    if cell.data_type == "f" and isinstance(text, str) and text.startswith("="):
        return text[1:]
    return None


def cell_json(row, col, tv):
    cell = {"ref": "%s%d" % (get_column_letter(col), row), "type": tv[0], "value": tv[1]}
    if len(tv) > 2:
        cell["formula"] = tv[2]
    return cell


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: reference_dump.py FILE.xlsx\n")
        return 2
    sys.stdout.write(json.dumps(dump(argv[1]), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
