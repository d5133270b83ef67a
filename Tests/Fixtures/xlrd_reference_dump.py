#!/usr/bin/env python3
"""Reference for `annex dump FILE.xls`: the dump JSON of a BIFF workbook, computed with xlrd 2.0.1.

    python3 xlrd_reference_dump.py FILE.xls > expected.json

Same shape and conventions as reference_dump.py (README.md): worksheets in workbook order (chart
and macro sheets are not worksheets), cells row-major, merged ranges sorted by (first row, first
column), numbers as the shortest decimal that reads back as the same double, bool true/false,
errors as their text. A number whose XF has a date format (xlrd's own classification) is a date,
converted with xlrd.xldate and the workbook's datemode:
  HH:MM:SS            a serial in [0, 1) under a time-only format
  YYYY-MM-DD          a midnight value under a format without a time of day
  YYYY-MM-DDTHH:MM:SS otherwise, ".fff" appended when the milliseconds are not zero
A date-formatted serial that no calendar date can show (negative, past 9999-12-31) stays a number.
Blank cells (BLANK/MULBLANK, which formatting_info=True turns into XL_CELL_BLANK) are not cells.
"""

import datetime
import decimal
import json
import re
import sys

import xlrd
from xlrd.xldate import xldate_as_datetime

_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKET = re.compile(r"\[[^\]]*\]")


def number_text(x):
    """Shortest decimal that reads back as the same double, plain notation."""
    x = float(x)
    if x == 0:
        return "0"
    s = format(decimal.Decimal(repr(x)), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s


def format_tokens(fmt):
    """The first section of a format code without quoted text, escapes and [...] parts."""
    section = _QUOTED.sub("", (fmt or "").split(";")[0])
    return _BRACKET.sub("", section)


def has_time(fmt):
    if re.search(r"\[(h+|m+|s+)\]", fmt or "", re.I):
        return True
    return re.search(r"[hs]|am/pm|a/p|上午/下午", format_tokens(fmt), re.I) is not None


def has_date(fmt):
    tokens = re.sub(r"am/pm|a/p", "", format_tokens(fmt), flags=re.I)
    if re.search(r"[yde]", tokens, re.I):
        return True
    # m is a month unless the format has hours or seconds.
    return re.search(r"m", tokens, re.I) is not None and not has_time(fmt)


def date_text(serial, datemode, fmt):
    if serial < 0 or serial >= 2958466:
        return None
    value = xldate_as_datetime(serial, datemode)
    ms = int(round(value.microsecond / 1000.0))
    value = value.replace(microsecond=0) + datetime.timedelta(milliseconds=ms)
    time = "%02d:%02d:%02d" % (value.hour, value.minute, value.second)
    if value.microsecond:
        time += ".%03d" % (value.microsecond // 1000)
    if serial < 1 and has_time(fmt) and not has_date(fmt):
        return time
    day = "%04d-%02d-%02d" % (value.year, value.month, value.day)
    midnight = (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
    if midnight and not has_time(fmt):
        return day
    return day + "T" + time


def col_letters(c):
    s = ""
    c += 1
    while c:
        c, r = divmod(c - 1, 26)
        s = chr(65 + r) + s
    return s


def ref(r, c):
    return "%s%d" % (col_letters(c), r + 1)


def cell_json(book, sheet, r, c):
    cell = sheet.cell(r, c)
    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if t == xlrd.XL_CELL_TEXT:
        return ("string", cell.value)
    if t == xlrd.XL_CELL_BOOLEAN:
        return ("bool", "true" if cell.value else "false")
    if t == xlrd.XL_CELL_ERROR:
        return ("error", xlrd.error_text_from_code[cell.value])
    if t == xlrd.XL_CELL_DATE:
        fmt = book.format_map[book.xf_list[cell.xf_index].format_key].format_str
        text = date_text(cell.value, book.datemode, fmt)
        if text is not None:
            return ("date", text)
    return ("number", number_text(cell.value))


def dump(path):
    book = xlrd.open_workbook(path, formatting_info=True, on_demand=False)
    sheets = []
    for sheet in book.sheets():
        cells = []
        for r in range(sheet.nrows):
            for c in range(sheet.row_len(r)):
                typed = cell_json(book, sheet, r, c)
                if typed is not None:
                    cells.append({"ref": ref(r, c), "type": typed[0], "value": typed[1]})
        merged = []
        for rlo, rhi, clo, chi in sorted(sheet.merged_cells, key=lambda m: (m[0], m[2], m[1], m[3])):
            first, last = ref(rlo, clo), ref(rhi - 1, chi - 1)
            merged.append(first if first == last else first + ":" + last)
        sheets.append({"name": sheet.name, "cells": cells, "merged": merged})
    return {"file": path, "sheets": sheets}


if __name__ == "__main__":
    json.dump(dump(sys.argv[1]), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
