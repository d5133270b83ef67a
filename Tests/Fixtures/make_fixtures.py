#!/usr/bin/env python3
"""Generate the reader test fixtures for annex, written by *other* programs.

    python3 make_fixtures.py OUTDIR

Creates OUTDIR/{xlsx,csv,broken}/ and OUTDIR/manifest.json (see README.md). Needs
openpyxl, XlsxWriter, LibreOffice (`soffice`) and the standard library. Fails (exit 1)
when soffice is missing or any step does not produce its file.
"""

import codecs
import csv
import datetime
import io
import json
import os
import posixpath
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib

import openpyxl
import xlsxwriter
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True       # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import reference_dump  # noqa: E402

FIXED = datetime.datetime(2023, 8, 28, 9, 0, 0)


def die(msg):
    sys.stderr.write("make_fixtures: " + msg + "\n")
    sys.exit(1)


# =============================================================== manifest

class Manifest:
    def __init__(self, outdir):
        self.outdir = outdir
        self.entries = []

    def path(self, rel):
        p = os.path.join(self.outdir, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def add(self, name, rel, kind, maker, proves, **extra):
        if not os.path.exists(os.path.join(self.outdir, rel)):
            die("fixture %s was not written (%s)" % (name, rel))
        if any(e["name"] == name for e in self.entries):
            die("duplicate fixture name " + name)
        entry = {"name": name, "file": rel, "kind": kind, "maker": maker, "proves": proves}
        entry.update(extra)
        self.entries.append(entry)

    def dump(self, rel):
        """reference_dump of a fixture, run from OUTDIR with its relative path."""
        cwd = os.getcwd()
        os.chdir(self.outdir)
        try:
            return reference_dump.dump(rel)
        finally:
            os.chdir(cwd)

    def write(self):
        with open(os.path.join(self.outdir, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump({"fixtures": self.entries}, f, ensure_ascii=False, indent=1)
            f.write("\n")


def expect_equal(got, want, what):
    if got != want:
        die("%s: hand-written expectation differs from the reference dump\n got:  %s\n want: %s"
            % (what, json.dumps(got, ensure_ascii=False), json.dumps(want, ensure_ascii=False)))


def with_file(d, rel):
    d = json.loads(json.dumps(d))
    d["file"] = rel
    return d


def cell(ref, type_, value):
    return {"ref": ref, "type": type_, "value": value}


# =============================================================== the annex data (seed 000)

TITLE1 = "2023年7月南昌市“民生工程”人力资源和社会保障工作目标任务完成情况统计表（就业培训一）"
TITLE2 = "2023年7月南昌市“民生工程”人力资源和社会保障工作目标任务完成情况统计表（就业培训二）"
GROUPS1 = ["城镇新增就业人数", "城镇失业人员再就业人数", "“4050”人员再就业人数",
           ("零就业家庭就业安置率",), "职业培训人数", "职业技能培训人数", "创业培训人数"]
MEASURES = ["本月完成", "累计完成", "占全年任务"]
ROWS1 = [
    "全市 3584 37123 62.92 1323 12568 65.12 476 4349 63.03 100 7837 22024 58.25 4676 22024 57.50 3161 12343 59.63",
    "市本级 - - - - - - - - - 100 3579 3613 85.63 742 3613 64.52 2837 6423 104.95",
    "南昌县 546 3290 56.245 27 1447 62.91 71 511 63.09 100 0 2535 35.75 0 2535 36.21 0 504 33.60",
    "新建区 231 3218 64.36 182 938 54.22 86 368 60.33 100 640 2353 53.75 522 2353 54.34 118 442 50.80",
    "湾里管理局 80 757 56.07 40 323 67.29 18 155 67.39 100 0 16 5.33 0 16 13.33 无 无 无",
    "红谷滩新区 198 3578 99.39 200 580 102.65 100 300 100.00 100 0 43 0.91 0 43 2.15 0 0 0.00",
]
FOOT1 = "说明：1、表中“-”表示未安排任务。 2、占全年任务数最多保留小数点后两位。"
GROUPS2 = ["新增创业担保贷款", "扶持个人创业贷款占贷款总额达到60%以上", "扶持小微企业贷款比例争取达到30%",
           "创业贷款新增担保基金", ("创业贷款到期\n贷款回收率%",), "青年见习人数"]
ROWS2 = [
    "全市 20346.9 115363.5 85.45 12334.9 72142.9 89.07 8012.0 43220.6 80.04 140 160 26.67 99.89 392 1500 90.53",
    "市本级 2782 14793 - 1910 9061 - 872 5732 - 0 0 - 99.33 6 14 -",
    "南昌县 4022 13119 52.90 1422 8219 66.82 2600 4900 39.20 100 100 100.00 100 70 84 45.41",
]


def token_value(tok):
    if not tok[-1].isdigit():
        return tok                  # unit name, "-", "无"
    return float(tok) if "." in tok else int(tok)


def header_layout(groups):
    """[(col, text, kind)] with kind 'group' (spans 3) or 'single' (spans 2 rows)."""
    out = []
    col = 2
    for g in groups:
        if isinstance(g, tuple):
            out.append((col, g[0], "single"))
            col += 1
        else:
            out.append((col, g, "group"))
            col += 3
    return out, col - 1


def annex_grid(title, units, groups, rows, foot):
    """The sheet as a list of rows of display values plus the merges (1-based)."""
    layout, last = header_layout(groups)
    grid = {}
    merges = [(1, 1, 1, last), (2, 1, 2, last), (3, 1, 3, last), (4, 1, 5, 1)]
    grid[(1, 1)] = title
    grid[(2, 1)] = "2023年7月"
    grid[(3, 1)] = units
    grid[(4, 1)] = "项目"
    pct_cols = set()
    for col, text, kind in layout:
        grid[(4, col)] = text
        if kind == "group":
            merges.append((4, col, 4, col + 2))
            for i, m in enumerate(MEASURES):
                grid[(5, col + i)] = m
            pct_cols.add(col + 2)
        else:
            merges.append((4, col, 5, col))
    r = 6
    for line in rows:
        for i, tok in enumerate(line.split(" ")):
            grid[(r, i + 1)] = token_value(tok)
        r += 1
    r += 1
    grid[(r, 1)] = foot
    merges.append((r, 1, r, last))
    return grid, merges, last, pct_cols


# =============================================================== openpyxl

def openpyxl_book():
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    return wb


def put_annex(ws, grid, merges, pct_cols):
    for (r, c), v in sorted(grid.items()):
        cl = ws.cell(row=r, column=c, value=v)
        if c in pct_cols and isinstance(v, (int, float)) and r > 5:
            cl.number_format = "0.00"
    for r1, c1, r2, c2 in merges:
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def make_openpyxl(m, work):
    out = []
    # ---- annex-shaped workbook
    wb = openpyxl_book()
    ws = wb.active
    ws.title = "就业培训一"
    grid, merges, _, pct = annex_grid(TITLE1, "单位：人、%", GROUPS1, ROWS1, FOOT1)
    put_annex(ws, grid, merges, pct)
    ws2 = wb.create_sheet("就业培训二")
    grid, merges, _, pct = annex_grid(TITLE2, "单位：万元、人、%", GROUPS2, ROWS2,
                                      "说明：表中“-”表示未安排任务。")
    put_annex(ws2, grid, merges, pct)
    rel = "xlsx/openpyxl-annex.xlsx"
    wb.save(m.path(rel))
    m.add("openpyxl-annex", rel, "xlsx", "openpyxl",
          "annex layout 就业培训一/二: title, period and units lines merged across the table, "
          "two-level merged CJK header (项目 down two rows, groups over 本月完成/累计完成/占全年任务, "
          "a single column down two rows, a header with a line break), ints, two-decimal "
          "floats (62.92, 56.245, 57.50 stored as 57.5, 8012.0 stored as 8012.0), markers “-” and “无”, "
          "0.00 formats, CJK sheet names, footnote row merged")
    out.append(rel)

    # ---- numbers and formats
    wb = openpyxl_book()
    ws = wb.active
    ws.title = "数字与格式"
    rows = [
        ("百分比 0.00%", 1.0092, "0.00%"),
        ("千分位 #,##0.00", 1234567.891, "#,##0.00"),
        ("两位小数 0.00", 56.245, "0.00"),
        ("0.1", 0.1, None),
        ("79.74", 79.74, None),
        ("1/3", 1 / 3, None),
        ("1e16", 1e16, None),
        ("1e-05", 1e-05, None),
        ("123456789.123", 123456789.123, None),
        ("负整数", -3584, None),
        ("负小数", -0.5, None),
        ("负零", -0.0, None),
        ("最小非规格化数", 5e-324, None),
        ("很大的数 1.5e300", 1.5e300, None),
        ("2^53+1 整数", 9007199254740993, None),
        ("2^53 整数", 9007199254740992, None),
        ("大整数 1e20", 100000000000000000000, None),
        ("数字文本 00123", "00123", "@"),
        ("数字文本 3584", "3584", None),
        ("布尔 真", True, None),
        ("布尔 假", False, None),
        ("全角数字", "１２３", None),
    ]
    for i, (label, v, fmt) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=label)
        c = ws.cell(row=i, column=2, value=v)
        if fmt:
            c.number_format = fmt
    ws.cell(row=1, column=4, value="稀疏单元格")      # gap columns and rows
    ws.cell(row=30, column=26, value="Z30")
    ws.cell(row=31, column=28, value="AB31")
    rel = "xlsx/openpyxl-numbers.xlsx"
    wb.save(m.path(rel))
    m.add("openpyxl-numbers", rel, "xlsx", "openpyxl",
          "number text: shortest round trip in plain notation, from the text openpyxl writes "
          "(%.16g: 79.74 -> '79.73999999999999', 1e16 -> '1e+16', 5e-324 -> "
          "'4.940656458412465e-324', 1.5e300, -0.0 -> '-0', 2^53+1 -> '9007199254740992'); "
          "percent and #,##0.00 formats keep the raw number; text that looks like a number "
          "stays a string; booleans; sparse cells beyond column Z; every string an inline "
          "string with CJK as numeric character references (&#30334;)")
    out.append(rel)

    # ---- dates (1900)
    wb = openpyxl_book()
    ws = wb.active
    ws.title = "日期"
    d = datetime.datetime(2023, 7, 31)
    rows = [
        ("yyyy-mm-dd", d, "yyyy-mm-dd"),
        ('yyyy"年"m"月"d"日" (自定义)', d, 'yyyy"年"m"月"d"日"'),
        ("内置 14 mm-dd-yy", d, "mm-dd-yy"),
        ("内置 15 d-mmm-yy", d, "d-mmm-yy"),
        ("内置 17 mmm-yy", datetime.datetime(2023, 7, 1), "mmm-yy"),
        ("内置 22 m/d/yy h:mm", datetime.datetime(2023, 7, 31, 8, 30), "m/d/yy h:mm"),
        ("内置 21 h:mm:ss 时间", datetime.time(8, 30, 15), "h:mm:ss"),
        ("内置 20 h:mm 时间", datetime.time(17, 45), "h:mm"),
        ("日期时间", datetime.datetime(2023, 7, 31, 17, 45, 30), "yyyy-mm-dd hh:mm:ss"),
        ("毫秒", datetime.datetime(2023, 7, 31, 17, 45, 30, 250000), "yyyy-mm-dd hh:mm:ss.000"),
        ("午夜 + 日期时间格式", d, "yyyy-mm-dd hh:mm"),
        ("中午 + 纯日期格式", datetime.datetime(2023, 7, 31, 12, 0), "yyyy-mm-dd"),
        ("1900-01-01 (序号 1)", datetime.datetime(1900, 1, 1), "yyyy-mm-dd"),
        ("1900-02-28 (序号 59)", datetime.datetime(1900, 2, 28), "yyyy-mm-dd"),
        ("1900-03-01 (序号 61)", datetime.datetime(1900, 3, 1), "yyyy-mm-dd"),
        ("1999-12-31", datetime.datetime(1999, 12, 31), "yyyy-mm-dd"),
        ("2099-12-31 23:59:59", datetime.datetime(2099, 12, 31, 23, 59, 59), "yyyy-mm-dd hh:mm:ss"),
        ("带转义的格式", d, "yyyy\\-mm\\-dd"),
        ("带颜色的格式", d, "[Red]yyyy/m/d"),
        ("布尔", True, None),
    ]
    for i, (label, v, fmt) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=label)
        c = ws.cell(row=i, column=2, value=v)
        if fmt:
            c.number_format = fmt
    rel = "xlsx/openpyxl-dates.xlsx"
    wb.save(m.path(rel))
    m.add("openpyxl-dates", rel, "xlsx", "openpyxl",
          "date and time cells (1900 system): custom yyyy-mm-dd and yyyy\"年\"m\"月\"d\"日\", built-in "
          "ids 14, 15, 17, 20, 21, 22 (no <numFmt> declared), time only, date with time, "
          "serials 1 and 59 (before the phantom 1900-02-29) and 61, "
          "milliseconds, midnight under a datetime format (T00:00:00), noon under a date-only "
          "format (full timestamp), escaped and coloured formats")
    out.append(rel)

    # ---- dates (1904)
    wb = openpyxl_book()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "1904日期"
    rows = [
        ("yyyy-mm-dd", datetime.datetime(2023, 7, 31), "yyyy-mm-dd"),
        ("1904-01-02", datetime.datetime(1904, 1, 2), "yyyy-mm-dd"),
        ("日期时间", datetime.datetime(2023, 7, 31, 8, 30), "yyyy-mm-dd hh:mm:ss"),
        ("时间", datetime.time(8, 30), "h:mm:ss"),
        ("数字不受影响", 45138, None),
    ]
    for i, (label, v, fmt) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=label)
        c = ws.cell(row=i, column=2, value=v)
        if fmt:
            c.number_format = fmt
    rel = "xlsx/openpyxl-1904.xlsx"
    wb.save(m.path(rel))
    m.add("openpyxl-1904", rel, "xlsx", "openpyxl",
          "workbookPr date1904: serials count from 1904-01-01 (2023-07-31 is 43676, not 45138); "
          "plain numbers unaffected")
    out.append(rel)
    return out


# =============================================================== XlsxWriter

def make_xlsxwriter(m):
    # ---- formulas, rich text, whitespace, merges, covered cells
    rel = "xlsx/xlsxwriter-features.xlsx"
    wb = xlsxwriter.Workbook(m.path(rel))
    wb.set_properties({"created": FIXED})
    bold = wb.add_format({"bold": True})
    italic = wb.add_format({"italic": True})
    datef = wb.add_format({"num_format": "yyyy-mm-dd"})
    dtf = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    center = wb.add_format({"align": "center"})

    ws = wb.add_worksheet("公式")
    ws.write_string("A1", "累计完成")
    ws.write_number("B1", 3290)
    ws.write_number("B2", 3218)
    ws.write_formula("B3", "=SUM(B1:B2)", None, 6508)
    ws.write_formula("B4", '=A1&"合计"', None, "累计完成合计")
    ws.write_formula("B5", "=1/0", None, "#DIV/0!")
    ws.write_formula("B6", "=NA()", None, "#N/A")
    ws.write_formula("B7", "=B1>B2", None, True)
    ws.write_formula("B8", "=B1/B2", None, 3290 / 3218)
    ws.write_formula("B10", "=DATE(2023,7,31)", datef, 45138)
    ws.write_formula("B11", "=SQRT(-1)", None, "#NUM!")
    ws.write_formula("B12", "=XX()", None, "#NAME?")

    ws = wb.add_worksheet("文本")
    ws.write_rich_string("A1", "  两个空格 ", bold, "粗体", italic, " 斜体 ", " 结尾两个空格  ")
    ws.write_rich_string("A2", bold, "全", "部", italic, "富文本")
    ws.write_string("A3", "  前导空格")
    ws.write_string("A4", "尾随空格  ")
    ws.write_string("A5", "第一行\n第二行")
    ws.write_string("A6", "制表\t符")
    ws.write_string("A7", "   ")
    ws.write_string("A8", "<&>\"' 特殊字符")
    ws.write_string("A9", "𠀀㐀 扩展区汉字")
    ws.write_string("A10", "-")
    ws.write_string("A11", "无")

    ws = wb.add_worksheet("数字")
    nums = [79.74, 62.92, 56.245, 0.1, 1e16, 1e-05, 123456789.123, -0.0, -3584, 5e-324,
            0.30000000000000004, 1.0092]
    for i, v in enumerate(nums):
        ws.write_number(i, 0, v)
    ws.write_boolean("B1", True)
    ws.write_boolean("B2", False)
    ws.write_datetime("C1", datetime.datetime(2023, 7, 31), datef)
    ws.write_datetime("C2", datetime.datetime(2023, 7, 31, 8, 30, 15), dtf)

    ws = wb.add_worksheet("合并")
    ws.merge_range("A1:E1", "合并标题", center)
    ws.merge_range("A2:A4", "项目", center)
    ws.merge_range("B2:D2", "城镇新增就业人数", center)
    ws.write_row("B3", ["本月完成", "累计完成", "占全年任务"])
    ws.merge_range("E2:E3", "安置率", center)
    # values written after merge_range land in covered cells
    ws.write_number("C1", 42)
    ws.write_string("A3", "被覆盖的文本")
    ws.write_number("E3", 100)
    ws.write_row("B4", [3584, 37123, 62.92])
    wb.close()
    m.add("xlsxwriter-features", rel, "xlsx", "xlsxwriter",
          "formulas give their cached value (number, string, bool, #DIV/0!, #N/A, #NUM!, #NAME?, a "
          "date); rich-text runs whose spaces matter; leading/trailing spaces, newline, tab, "
          "whitespace-only and XML-special strings; CJK extension characters; numbers as "
          "XlsxWriter writes them (%.16G: 79.74 -> '79.73999999999999', 1e16 -> '1E+16', "
          "5e-324 -> '4.940656458412465E-324', -0.0 -> '-0'); merges; values stored in cells "
          "covered by a merge (C1, A3, E3) are kept")

    # ---- constant_memory: inline strings
    rel = "xlsx/xlsxwriter-constant-memory.xlsx"
    wb = xlsxwriter.Workbook(m.path(rel), {"constant_memory": True})
    wb.set_properties({"created": FIXED})
    bold = wb.add_format({"bold": True})
    pct = wb.add_format({"num_format": "0.00"})
    ws = wb.add_worksheet("就业培训一")
    ws.merge_range("A1:D1", TITLE1)
    ws.write_rich_string("A2", "单位：", bold, "人、% ")
    ws.write_row("A3", ["项目", "本月完成", "累计完成", "占全年任务"])
    ws.write_row("A4", ["全市", 3584, 37123])
    ws.write_number("D4", 62.92, pct)
    ws.write_row("A5", ["市本级", "-", "-", "-"])
    ws.write_row("A6", ["湾里管理局", "无", 757, 56.07])
    ws.write_string("A7", "  前后空格  ")
    ws2 = wb.add_worksheet("第二页")
    for r in range(50):
        ws2.write_row(r, 0, ["行%d" % (r + 1), r * 1.5, r % 2 == 0])
    wb.close()
    m.add("xlsxwriter-constant-memory", rel, "xlsx", "xlsxwriter",
          "constant_memory mode: every string is an inline string (t=\"inlineStr\"), including a "
          "rich-text inline string; no sharedStrings part")

    # ---- 1904
    rel = "xlsx/xlsxwriter-1904.xlsx"
    wb = xlsxwriter.Workbook(m.path(rel), {"date_1904": True})
    wb.set_properties({"created": FIXED})
    datef = wb.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    tf = wb.add_format({"num_format": "hh:mm:ss"})
    ws = wb.add_worksheet("一九〇四")
    ws.write_datetime("A1", datetime.datetime(2023, 7, 31), datef)
    ws.write_datetime("A2", datetime.datetime(1904, 1, 2), datef)
    ws.write_datetime("A3", datetime.time(23, 59, 59), tf)
    ws.write_number("A4", 43676)
    wb.close()
    m.add("xlsxwriter-1904", rel, "xlsx", "xlsxwriter",
          "date1904 as XlsxWriter writes it, with a CJK date format")

    # ---- _xHHHH_ escapes written by a real writer (openpyxl reads them wrongly)
    rel = "xlsx/xlsxwriter-escapes.xlsx"
    wb = xlsxwriter.Workbook(m.path(rel))
    wb.set_properties({"created": FIXED})
    ws = wb.add_worksheet("转义")
    texts = ["第一行\r\n第二行", "响铃\x07字符", "_x000D_ 是字面文本", "制表\t保留"]
    for i, t in enumerate(texts):
        ws.write_string(i, 0, t)
    wb.close()
    expected = {"file": rel, "sheets": [{"name": "转义", "merged": [], "cells": [
        cell("A1", "string", "第一行\r\n第二行"),
        cell("A2", "string", "响铃\x07字符"),
        cell("A3", "string", "_x000D_ 是字面文本"),
        cell("A4", "string", "制表\t保留"),
    ]}]}
    sst = zipfile.ZipFile(m.path(rel)).read("xl/sharedStrings.xml").decode()
    if "_x000D_" not in sst or "_x005F_x000D_" not in sst or "_x0007_" not in sst:
        die("xlsxwriter-escapes: XlsxWriter no longer escapes control characters")
    m.add("xlsxwriter-escapes", rel, "xlsx-expected", "xlsxwriter",
          "shared strings with _xHHHH_ escapes as XlsxWriter writes them: CR -> _x000D_, BEL -> "
          "_x0007_, a literal \"_x000D_\" -> _x005F_x000D_; they must be unescaped (openpyxl "
          "leaves _x000D_ and turns _x005F_x000D_ into __x000D_)", expected=expected)


# =============================================================== LibreOffice

def find_soffice():
    for name in ("soffice", "libreoffice"):
        p = shutil.which(name)
        if p:
            return p
    die("LibreOffice (soffice) not found on PATH: it is required to write the LibreOffice "
        "fixtures (apt-get install libreoffice-calc-nogui)")


def soffice_convert(soffice, fmt, files, outdir, outputs):
    profile = tempfile.mkdtemp(prefix="lo-prof-")
    try:
        cmd = [soffice, "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", fmt, "--outdir", outdir] + files
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=180)
        for o in outputs:
            if not os.path.exists(o) or os.path.getsize(o) == 0:
                die("soffice did not write %s (exit %d)\nstdout: %s\nstderr: %s" % (
                    o, r.returncode, r.stdout.decode(errors="replace"),
                    r.stderr.decode(errors="replace")))
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def make_libreoffice(m, soffice, work):
    src = os.path.join(work, "lo-src")
    lo_out = os.path.join(work, "lo-out")
    os.makedirs(src)
    os.makedirs(lo_out)
    shutil.copy(m.path("xlsx/openpyxl-annex.xlsx"), os.path.join(src, "libreoffice-annex.xlsx"))
    shutil.copy(m.path("xlsx/openpyxl-dates.xlsx"), os.path.join(src, "libreoffice-dates.xlsx"))
    # a mixed sheet: merges, CJK, numbers, date, bool, covered value
    wb = openpyxl_book()
    ws = wb.active
    ws.title = "混合"
    ws["A1"] = "合并的标题"
    ws.merge_cells("A1:C1")
    ws.append(["单位", "数值", "日期"])
    ws.append(["全市", 62.92, datetime.datetime(2023, 7, 31)])
    ws["C3"].number_format = 'yyyy"年"m"月"d"日"'
    ws.append(["布尔", True, datetime.time(8, 30)])
    ws["C4"].number_format = "hh:mm"
    ws.append(["负数", -0.5, 1e-05])
    ws.append(["大数", 123456789.123, 1e16])
    ws2 = wb.create_sheet("第二页")
    ws2["B2"] = "只有一个单元格"
    wb.save(os.path.join(src, "libreoffice-mixed.xlsx"))
    names = ["libreoffice-annex", "libreoffice-dates", "libreoffice-mixed"]
    soffice_convert(soffice, "xlsx", [os.path.join(src, n + ".xlsx") for n in names], lo_out,
                    [os.path.join(lo_out, n + ".xlsx") for n in names])
    proves = {
        "libreoffice-annex": "the annex layout re-saved by LibreOffice Calc: LO's own styles.xml "
                             "(custom numFmt 164 'General'), merges, every covered cell written "
                             "as an empty styled <c>, t=\"n\" on numbers, numbers at 15 significant digits",
        "libreoffice-dates": "dates and times re-saved by LibreOffice: formats rewritten "
                             "(yyyy\\-mm\\-dd), times stored as 15-digit fractions",
        "libreoffice-mixed": "LibreOffice-written merges, CJK, numbers, date, time, bool "
                             "(a TRUE() formula with t=\"b\"), a second sheet with one cell",
    }
    for n in names:
        rel = "xlsx/%s.xlsx" % n
        shutil.copy(os.path.join(lo_out, n + ".xlsx"), m.path(rel))
        m.add(n, rel, "xlsx", "libreoffice", proves[n])

    # the annex as LibreOffice exports it to CSV (first sheet, UTF-8, as shown)
    csv_out = os.path.join(work, "lo-csv")
    os.makedirs(csv_out)
    soffice_convert(soffice, "csv:Text - txt - csv (StarCalc):44,34,76,1",
                    [os.path.join(src, "libreoffice-annex.xlsx")], csv_out,
                    [os.path.join(csv_out, "libreoffice-annex.csv")])
    rel = "csv/libreoffice-annex-export.csv"
    shutil.copy(os.path.join(csv_out, "libreoffice-annex.csv"), m.path(rel))
    add_csv(m, "csv-libreoffice-annex-export", rel, "libreoffice", "utf-8", ",",
            "the annex sheet exported to CSV by LibreOffice: merged text only in the first cell "
            "of the range, the other cells empty; every text field quoted, LF line ends; numbers "
            "as shown by their format (57.50, 56.245 shown as 56.25)")

    # an ODS renamed .xlsx
    ods_out = os.path.join(work, "lo-ods")
    os.makedirs(ods_out)
    soffice_convert(soffice, "ods", [os.path.join(src, "libreoffice-mixed.xlsx")], ods_out,
                    [os.path.join(ods_out, "libreoffice-mixed.ods")])
    rel = "broken/ods-renamed.xlsx"
    shutil.copy(os.path.join(ods_out, "libreoffice-mixed.ods"), m.path(rel))
    m.add("broken-ods-renamed", rel, "broken", "libreoffice",
          "an OpenDocument spreadsheet (a zip with mimetype application/vnd.oasis.opendocument."
          "spreadsheet and content.xml, no [Content_Types].xml) named .xlsx", expect="ods")


# =============================================================== CSV

def add_csv(m, name, rel, maker, encoding, delimiter, proves):
    raw = open(m.path(rel), "rb").read()
    codec = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gb18030": "gb18030"}[encoding]
    if encoding == "utf-8-bom" and not raw.startswith(codecs.BOM_UTF8):
        die(name + ": no BOM")
    if encoding == "utf-8" and raw.startswith(codecs.BOM_UTF8):
        die(name + ": unexpected BOM")
    text = raw.decode(codec)
    rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    m.add(name, rel, "csv", maker, proves, encoding=encoding, delimiter=delimiter, rows=rows)


def write_csv(m, rel, rows, encoding, delimiter=",", terminator="\r\n", final_newline=True):
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator=terminator)
    w.writerows(rows)
    text = buf.getvalue()
    if not final_newline:
        text = text[: -len(terminator)]
    data = text.encode("gb18030" if encoding == "gb18030" else "utf-8")
    if encoding == "utf-8-bom":
        data = codecs.BOM_UTF8 + data
    with open(m.path(rel), "wb") as f:
        f.write(data)


def make_csv(m):
    rows = [
        ["单位", "说明", "数值", "备注"],
        ["全市", "含逗号, 的字段", "3584", "他说\"好\""],
        ["南昌县", "字段内\n换行", "62.92", ""],
        ["新建区", "字段内\r\nCRLF 换行", "-", "无"],
        ["", "", "", "前三列为空"],
        [" 前导空格", "尾随空格 ", "1,234.00", "“中文引号”"],
    ]
    write_csv(m, "csv/utf8-bom-crlf.csv", rows, "utf-8-bom")
    add_csv(m, "csv-utf8-bom-crlf", "csv/utf8-bom-crlf.csv", "handmade", "utf-8-bom", ",",
            "UTF-8 with BOM (the BOM is not part of the first field), CRLF rows, quoted fields "
            "holding commas, doubled quotes, LF and CRLF line breaks; empty fields; CJK")

    rows = [["项目", "本月完成", "累计完成", "占全年任务"],
            ["全市", "3584", "37123", "62.92"],
            ["市本级", "-", "-", "-"],
            ["湾里管理局", "无", "757", "56.07"]]
    write_csv(m, "csv/utf8-lf.csv", rows, "utf-8", terminator="\n")
    add_csv(m, "csv-utf8-lf", "csv/utf8-lf.csv", "handmade", "utf-8", ",",
            "UTF-8 without BOM, LF line ends")

    rows = [["单位", "文字", "数值"],
            ["全市", "㐀 是四字节 GB18030 字符（U+3400）", "3584"],
            ["南昌县", "𠀀 是扩展B区字符（U+20000）", "62.92"],
            ["全角", "ＡＢＣ１２３，全角标点。", "１２３"],
            ["符号", "€ 欧元与 · 间隔号", "0.1"]]
    write_csv(m, "csv/gb18030.csv", rows, "gb18030")
    raw = open(m.path("csv/gb18030.csv"), "rb").read()
    if "㐀".encode("gb18030") != b"\x81\x39\xee\x39" or b"\x81\x39\xee\x39" not in raw \
            or "𠀀".encode("gb18030") not in raw:
        die("gb18030.csv lacks its four-byte sequences")
    add_csv(m, "csv-gb18030", "csv/gb18030.csv", "handmade", "gb18030", ",",
            "GB18030 (not UTF-8, no BOM): two-byte GBK text, four-byte sequences 81 39 EE 39 (㐀 "
            "U+3400) and 95 32 82 36 (𠀀 U+20000), full-width letters, digits and punctuation, €")

    rows = [["项目", "本月完成", "备注"],
            ["全市", "3584", "含逗号,不需要引号"],
            ["南昌县", "1,234.00", "含\"引号\"的字段"]]
    write_csv(m, "csv/tab.csv", rows, "utf-8", delimiter="\t")
    add_csv(m, "csv-tab", "csv/tab.csv", "handmade", "utf-8", "\t",
            "tab-delimited: commas are data, quoting still applies")

    rows = [["项目", "本月完成", "占全年任务"],
            ["全市", "3584", "62,92"],
            ["南昌县", "含;分号", "56,25"]]
    write_csv(m, "csv/semicolon.csv", rows, "utf-8", delimiter=";")
    add_csv(m, "csv-semicolon", "csv/semicolon.csv", "handmade", "utf-8", ";",
            "semicolon-delimited with decimal commas (as a European Excel writes), a quoted ';'")

    rows = [["项目", "数值"], ["全市", "3584"], ["最后一行", "没有换行符"]]
    write_csv(m, "csv/no-final-newline.csv", rows, "utf-8", terminator="\n", final_newline=False)
    add_csv(m, "csv-no-final-newline", "csv/no-final-newline.csv", "handmade", "utf-8", ",",
            "the last row has no line terminator and is still a row")

    # the annex as Excel (Chinese Windows) saves "CSV (逗号分隔)": GB18030/GBK, CRLF, as shown
    grid, merges, last, pct = annex_grid(TITLE2, "单位：万元、人、%", GROUPS2, ROWS2,
                                         "说明：表中“-”表示未安排任务。")
    max_row = max(r for r, _ in grid)
    rows = []
    for r in range(1, max_row + 1):
        row = []
        for c in range(1, last + 1):
            v = grid.get((r, c), "")
            if c in pct and r > 5 and isinstance(v, (int, float)):
                v = "%.2f" % v                       # shown by the 0.00 format
            elif isinstance(v, (int, float)):
                v = reference_dump.number_text(v)    # General
            row.append(v)
        rows.append(row)
    write_csv(m, "csv/excel-annex-export.csv", rows, "gb18030")
    add_csv(m, "csv-excel-annex-export", "csv/excel-annex-export.csv", "handmade", "gb18030", ",",
            "就业培训二 the way Excel on Chinese Windows saves CSV: GBK/GB18030, CRLF, merged "
            "header text only in the first column of its range and the other cells empty, a "
            "header with a line break in a quoted field, numbers as shown (52.90, 8012, 100.00)")


# =============================================================== handmade packages

MAIN_T = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
RELTYPE_T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
MAIN_S = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL_S = "http://purl.oclc.org/ooxml/officeDocument/relationships"
RELTYPE_S = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
CT = {
    "workbook": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "worksheet": "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "sharedStrings": "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    "styles": "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
}


class Opts:
    def __init__(self, **kw):
        self.strict = False
        self.prefix = None          # e.g. "x": <x:worksheet xmlns:x=...>
        self.rprefix = "r"
        self.quote = '"'
        self.omit_r = False
        self.inline = False         # strings as inlineStr, no sharedStrings part
        self.sst_rel_missing = False  # a sharedStrings relationship to a part that is absent
        self.encodings = {}         # part kind -> "utf-16-le" / "utf-16-be"
        self.paths = {}             # part kind -> path
        self.abs_targets = set()    # part kinds whose relationship target is absolute
        self.date1904 = False
        self.__dict__.update(kw)


def xesc(s, q='"'):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if q == '"':
        s = s.replace('"', "&quot;")
    else:
        s = s.replace("'", "&apos;")
    return s.replace("\r", "&#13;").replace("\t", "&#9;").replace("\n", "&#10;")


class X:
    """Tiny XML text builder honouring prefix and quote options."""

    def __init__(self, o):
        self.o = o
        self.parts = []

    def n(self, name):
        return "%s:%s" % (self.o.prefix, name) if self.o.prefix else name

    def attrs(self, attrs):
        q = self.o.quote
        return "".join(" %s=%s%s%s" % (k, q, xesc(str(v), q), q) for k, v in attrs)

    def open(self, name, attrs=(), empty=False):
        self.parts.append("<%s%s%s>" % (self.n(name), self.attrs(attrs), "/" if empty else ""))

    def close(self, name):
        self.parts.append("</%s>" % self.n(name))

    def text(self, s):
        self.parts.append(s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))

    def raw(self, s):
        self.parts.append(s)

    def ns_attrs(self, with_r=True):
        main = MAIN_S if self.o.strict else MAIN_T
        rel = REL_S if self.o.strict else REL_T
        a = [("xmlns:%s" % self.o.prefix if self.o.prefix else "xmlns", main)]
        if with_r:
            a.append(("xmlns:%s" % self.o.rprefix, rel))
        return a

    def value(self):
        return "".join(self.parts)


def encode_part(kind, body, o):
    q = o.quote
    enc = o.encodings.get(kind)
    label = "UTF-16" if enc else "UTF-8"
    decl = "<?xml version=%s1.0%s encoding=%s%s%s standalone=%syes%s?>\n" % (q, q, q, label, q, q, q)
    text = decl + body
    if enc == "utf-16-le":
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    if enc == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode("utf-8")


def col_letters(n):
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def parse_ref(ref):
    letters = "".join(ch for ch in ref if ch.isalpha())
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return int(ref[len(letters):]), n


def sheet_xml(sheet, o, sst):
    """sheet: dict(cells=[(ref, t, v, s)], merges=[...]); t: s str inlineStr n b e d."""
    x = X(o)
    x.open("worksheet", x.ns_attrs())
    x.open("sheetData")
    rows = {}
    for ref, t, v, s in sheet["cells"]:
        rows.setdefault(parse_ref(ref)[0], []).append((parse_ref(ref)[1], t, v, s))
    prev_row = 0
    for r in sorted(rows):
        ra = [] if (o.omit_r and r == prev_row + 1) else [("r", r)]
        x.open("row", ra)
        prev_col = 0
        for c, t, v, s in sorted(rows[r], key=lambda z: z[0]):
            a = [] if (o.omit_r and c == prev_col + 1) else [("r", col_letters(c) + str(r))]
            if s:
                a.append(("s", s))
            if t == "s" and o.inline:
                t = "inlineStr"
            if t != "n":
                a.append(("t", t))
            x.open("c", a)
            if t == "inlineStr":
                x.open("is")
                x.open("t", [("xml:space", "preserve")] if v != v.strip() else [])
                x.text(v)
                x.close("t")
                x.close("is")
            elif t == "s":
                x.open("v")
                x.text(str(sst.index(v)))
                x.close("v")
            elif t == "raw":
                pass
            else:
                if t == "str" and sheet.get("formulas", {}).get(col_letters(c) + str(r)):
                    x.open("f")
                    x.text(sheet["formulas"][col_letters(c) + str(r)])
                    x.close("f")
                x.open("v")
                x.text(v)
                x.close("v")
            x.close("c")
            prev_col = c
        x.close("row")
        prev_row = r
    x.close("sheetData")
    if sheet.get("merges"):
        x.open("mergeCells", [("count", len(sheet["merges"]))])
        for mr in sheet["merges"]:
            x.open("mergeCell", [("ref", mr)], empty=True)
        x.close("mergeCells")
    x.close("worksheet")
    return x.value()


def sst_xml(strings, o, raw_items=None):
    x = X(o)
    x.open("sst", x.ns_attrs(with_r=False) + [("count", len(strings)), ("uniqueCount", len(strings))])
    for s in strings:
        if raw_items and s in raw_items:
            x.raw(_prefix_markup(raw_items[s], o) if o.prefix else raw_items[s])
            continue
        x.open("si")
        x.open("t", [("xml:space", "preserve")] if s != s.strip() else [])
        x.text(s)
        x.close("t")
        x.close("si")
    x.close("sst")
    return x.value()


def styles_xml(book, o):
    x = X(o)
    x.open("styleSheet", x.ns_attrs(with_r=False))
    fmts = book.get("numfmts", [])
    if fmts:
        x.open("numFmts", [("count", len(fmts))])
        for fid, code in fmts:
            x.open("numFmt", [("numFmtId", fid), ("formatCode", code)], empty=True)
        x.close("numFmts")
    for tag, inner in (("fonts", "<font><sz val='11'/><name val='宋体'/></font>"),
                       ("fills", "<fill><patternFill patternType='none'/></fill>"
                                 "<fill><patternFill patternType='gray125'/></fill>"),
                       ("borders", "<border><left/><right/><top/><bottom/><diagonal/></border>")):
        count = inner.count("<%s>" % tag[:-1])
        x.open(tag, [("count", count)])
        x.raw(_prefix_markup(inner, o))
        x.close(tag)
    x.open("cellStyleXfs", [("count", 1)])
    x.open("xf", [("numFmtId", 0), ("fontId", 0), ("fillId", 0), ("borderId", 0)], empty=True)
    x.close("cellStyleXfs")
    xfs = book.get("xfs", [0])
    x.open("cellXfs", [("count", len(xfs))])
    for fid in xfs:
        a = [("numFmtId", fid), ("fontId", 0), ("fillId", 0), ("borderId", 0), ("xfId", 0)]
        if fid:
            a.append(("applyNumberFormat", 1))
        x.open("xf", a, empty=True)
    x.close("cellXfs")
    x.open("cellStyles", [("count", 1)])
    x.open("cellStyle", [("name", "Normal"), ("xfId", 0), ("builtinId", 0)], empty=True)
    x.close("cellStyles")
    x.close("styleSheet")
    return x.value()


def _prefix_markup(markup, o):
    """Apply the prefix and quote options to a small fixed markup snippet."""
    import re
    if o.prefix:
        markup = re.sub(r"<(/?)([A-Za-z])", r"<\1%s:\2" % o.prefix, markup)
    if o.quote == '"':
        markup = markup.replace("'", '"')
    return markup


def build_package(book, o):
    """book: dict(sheets=[dict(name, cells, merges)], numfmts, xfs, sst_raw) -> {name: bytes}."""
    paths = {"workbook": "xl/workbook.xml", "styles": "xl/styles.xml",
             "sharedStrings": "xl/sharedStrings.xml"}
    paths.update(o.paths)
    sheet_paths = [o.paths.get("sheet%d" % (i + 1), "xl/worksheets/sheet%d.xml" % (i + 1))
                   for i in range(len(book["sheets"]))]
    reltype = RELTYPE_S if o.strict else RELTYPE_T
    q = o.quote

    strings = []
    if not o.inline:
        for sh in book["sheets"]:
            for _, t, v, _ in sh["cells"]:
                if t == "s" and v not in strings:
                    strings.append(v)

    def rels_xml(rels):
        body = "<Relationships xmlns=%s%s%s>" % (q, PKG_REL, q)
        for rid, typ, target in rels:
            body += "<Relationship Id=%s%s%s Type=%s%s%s Target=%s%s%s/>" % (
                q, rid, q, q, typ, q, q, xesc(target, q), q)
        return (("<?xml version=%s1.0%s encoding=%sUTF-8%s standalone=%syes%s?>\n" % ((q,) * 6))
                + body + "</Relationships>").encode("utf-8")

    def target(kind, path):
        if kind in o.abs_targets:
            return "/" + path
        return posixpath.relpath(path, posixpath.dirname(paths["workbook"]))

    parts = {}
    overrides = [(paths["workbook"], CT["workbook"]), (paths["styles"], CT["styles"])]
    overrides += [(p, CT["worksheet"]) for p in sheet_paths]
    if strings or o.sst_rel_missing:
        overrides.append((paths["sharedStrings"], CT["sharedStrings"]))
    ct = "<Types xmlns=%s%s%s>" % (q, CT_NS, q)
    ct += "<Default Extension=%srels%s ContentType=%sapplication/vnd.openxmlformats-package.relationships+xml%s/>" % (q, q, q, q)
    ct += "<Default Extension=%sxml%s ContentType=%sapplication/xml%s/>" % (q, q, q, q)
    for p, t in overrides:
        ct += "<Override PartName=%s/%s%s ContentType=%s%s%s/>" % (q, p, q, q, t, q)
    ct += "</Types>"
    parts["[Content_Types].xml"] = (("<?xml version=%s1.0%s encoding=%sUTF-8%s standalone=%syes%s?>\n" % ((q,) * 6))
                                    + ct).encode("utf-8")
    parts["_rels/.rels"] = rels_xml([("rId1", reltype + "officeDocument", paths["workbook"])])

    x = X(o)
    a = x.ns_attrs()
    if o.strict:
        a.append(("conformance", "strict"))
    x.open("workbook", a)
    x.open("workbookPr", [("date1904", 1)] if o.date1904 else [], empty=True)
    x.open("sheets")
    for i, sh in enumerate(book["sheets"]):
        x.open("sheet", [("name", sh["name"]), ("sheetId", i + 1), ("%s:id" % o.rprefix, "rId%d" % (i + 1))],
               empty=True)
    x.close("sheets")
    x.close("workbook")
    parts[paths["workbook"]] = encode_part("workbook", x.value(), o)

    wrels = [("rId%d" % (i + 1), reltype + "worksheet", target("sheet", p)) for i, p in enumerate(sheet_paths)]
    n = len(sheet_paths)
    wrels.append(("rId%d" % (n + 1), reltype + "styles", target("styles", paths["styles"])))
    if strings or o.sst_rel_missing:
        wrels.append(("rId%d" % (n + 2), reltype + "sharedStrings", target("sharedStrings", paths["sharedStrings"])))
    d, f = posixpath.split(paths["workbook"])
    parts[posixpath.join(d, "_rels", f + ".rels")] = rels_xml(wrels)
    parts[paths["styles"]] = encode_part("styles", styles_xml(book, o), o)
    for i, sh in enumerate(book["sheets"]):
        parts[sheet_paths[i]] = encode_part("sheet", sheet_xml(sh, o, strings), o)
    if strings:
        parts[paths["sharedStrings"]] = encode_part("sharedStrings",
                                                    sst_xml(strings, o, book.get("sst_raw")), o)
    return parts


ZIP_DATE = (2023, 8, 28, 9, 0, 0)


def zinfo(name, compression=zipfile.ZIP_DEFLATED):
    zi = zipfile.ZipInfo(name, ZIP_DATE)
    zi.compress_type = compression
    zi.external_attr = 0o644 << 16
    return zi


def write_zip(path, parts, compression=zipfile.ZIP_DEFLATED, rename=None):
    with zipfile.ZipFile(path, "w", compression) as zf:
        for name, data in parts.items():
            zi = zipfile.ZipInfo(rename(name) if rename else name, ZIP_DATE)
            zi.compress_type = compression
            zi.external_attr = 0o644 << 16
            zf.writestr(zi, data)


# ---- the base workbook shared by the XML-level variants

BASE = {
    "sheets": [
        {"name": "表1", "merges": ["A1:D1"], "cells": [
            ("A1", "s", "2023年7月统计表", 0),
            ("A2", "s", "项目", 0), ("B2", "s", "本月完成", 0), ("C2", "s", "累计完成", 0),
            ("D2", "s", "占全年任务", 0),
            ("A3", "s", "全市", 0), ("B3", "n", "3584", 0), ("C3", "n", "37123", 0),
            ("D3", "n", "62.92", 2),
            ("A4", "s", "南昌县", 0), ("B4", "s", "-", 0), ("C4", "s", "无", 0),
            ("D4", "n", "56.245", 2),
            ("A6", "s", " 说明 ", 0), ("B6", "b", "1", 0), ("C6", "e", "#N/A", 0),
            ("D6", "n", "1E+16", 0),
            ("B7", "n", "45138", 1), ("C7", "n", "-0", 0),
        ]},
        {"name": "Sheet2", "merges": [], "cells": [
            ("A1", "s", "第二页", 0), ("B1", "n", "0.1", 0),
            ("C1", "n", "1.7976931348623157E+308", 0), ("D1", "n", "2.2250738585072014E-308", 0),
        ]},
    ],
    "numfmts": [(164, "yyyy-mm-dd")],
    "xfs": [0, 164, 2],
}

BASE_EXPECTED_SHEETS = [
    {"name": "表1", "merged": ["A1:D1"], "cells": [
        cell("A1", "string", "2023年7月统计表"),
        cell("A2", "string", "项目"), cell("B2", "string", "本月完成"),
        cell("C2", "string", "累计完成"), cell("D2", "string", "占全年任务"),
        cell("A3", "string", "全市"), cell("B3", "number", "3584"),
        cell("C3", "number", "37123"), cell("D3", "number", "62.92"),
        cell("A4", "string", "南昌县"), cell("B4", "string", "-"),
        cell("C4", "string", "无"), cell("D4", "number", "56.245"),
        cell("A6", "string", " 说明 "), cell("B6", "bool", "true"),
        cell("C6", "error", "#N/A"), cell("D6", "number", "10000000000000000"),
        cell("B7", "date", "2023-07-31"), cell("C7", "number", "0"),
    ]},
    {"name": "Sheet2", "merged": [], "cells": [
        cell("A1", "string", "第二页"), cell("B1", "number", "0.1"),
        cell("C1", "number", "179769313486231570" + "0" * 291),
        cell("D1", "number", "0." + "0" * 307 + "22250738585072014"),
    ]},
]


def make_handmade(m, work):
    base_rel = "xlsx/handmade-base.xlsx"
    write_zip(m.path(base_rel), build_package(BASE, Opts()))
    expect_equal(m.dump(base_rel), {"file": base_rel, "sheets": BASE_EXPECTED_SHEETS}, base_rel)
    m.add("handmade-base", base_rel, "xlsx", "handmade",
          "the plain package the variants below are made from: shared strings, a merge, a "
          "custom date format, 0.00 (built-in id 2), bool, error, '1E+16', '-0', the largest "
          "double and the smallest normal double in exponent form, a gap row, "
          "a row starting at column B, a string with spaces at both ends, a second sheet")

    variants = [
        ("handmade-single-quotes", Opts(quote="'"),
         "every attribute and the XML declarations single-quoted, in all parts"),
        ("handmade-no-r", Opts(omit_r=True),
         "cells without an r attribute (their column follows the previous cell) and rows "
         "without r (their number follows the previous row); r kept only after gaps"),
        ("handmade-inline-strings", Opts(inline=True),
         "all strings as t=\"inlineStr\" <is><t>; no sharedStrings part or relationship"),
        ("handmade-prefixed", Opts(prefix="x", rprefix="rel"),
         "SpreadsheetML under a namespace prefix (<x:worksheet xmlns:x=...>, <x:c>, <x:v>, "
         "<x:si>) in every part, relationships namespace as rel:id"),
        ("handmade-unusual-paths", Opts(paths={"workbook": "xl/main/book.xml",
                                               "sheet1": "data/sheets/first.xml",
                                               "sheet2": "xl/main/second.xml",
                                               "styles": "xl/main/st.xml",
                                               "sharedStrings": "strings/sst.xml"},
                                        abs_targets={"sharedStrings"}),
         "parts at unusual paths found only through relationships: workbook xl/main/book.xml "
         "(from _rels/.rels), a sheet via '../../data/sheets/first.xml', shared strings via "
         "the absolute target '/strings/sst.xml'"),
        ("handmade-sst-missing", Opts(inline=True, sst_rel_missing=True),
         "a sharedStrings relationship (and content-type override) naming a part that is "
         "not in the zip; only inline strings and numbers are used, so the file reads"),
        ("handmade-utf16", Opts(encodings={"sheet": "utf-16-le", "workbook": "utf-16-le",
                                          "sharedStrings": "utf-16-be"}),
         "XML parts in UTF-16 with a BOM and encoding=\"UTF-16\": workbook and sheets "
         "little-endian, shared strings big-endian"),
        ("handmade-strict", Opts(strict=True),
         "Strict OOXML: purl.oclc.org/ooxml/spreadsheetml/main and .../officeDocument/"
         "relationships namespaces, relationship types .../officeDocument/relationships/worksheet"),
    ]
    for name, o, proves in variants:
        rel = "xlsx/%s.xlsx" % name
        write_zip(m.path(rel), build_package(BASE, o))
        want = {"file": rel, "sheets": BASE_EXPECTED_SHEETS}
        try:
            got = m.dump(rel)
        except Exception as e:           # openpyxl cannot read it
            got = e
        if got == want:
            m.add(name, rel, "xlsx", "handmade", proves)
        else:
            m.add(name, rel, "xlsx-expected", "handmade",
                  proves + " (openpyxl: %s)" % openpyxl_verdict(got), expected=want)

    make_handmade_specials(m)


def openpyxl_verdict(got):
    if isinstance(got, Exception):
        return "cannot open it, %s" % type(got).__name__
    return "reads it wrongly"


def add_checked(m, name, rel, proves, expected, cross_check_rel=None):
    """An xlsx fixture with a hand-written expectation. If openpyxl reads it as expected it is
    an 'xlsx' (compared against reference_dump at test time), else 'xlsx-expected'.
    cross_check_rel: a plain twin openpyxl reads, whose dump must equal the expectation."""
    if cross_check_rel:
        expect_equal(with_file(m.dump(cross_check_rel), rel), expected, cross_check_rel)
    try:
        got = m.dump(rel)
    except Exception as e:
        got = e
    if got == expected:
        m.add(name, rel, "xlsx", "handmade", proves)
    else:
        m.add(name, rel, "xlsx-expected", "handmade",
              proves + " (openpyxl: %s)" % openpyxl_verdict(got), expected=expected)


ZH_CN_BUILTIN = {
    27: 'yyyy"年"m"月"', 28: 'm"月"d"日"', 31: 'yyyy"年"m"月"d"日"', 32: 'h"时"mm"分"',
    33: 'h"时"mm"分"ss"秒"', 34: '上午/下午h"时"mm"分"', 36: 'yyyy"年"m"月"',
    50: 'yyyy"年"m"月"', 55: '上午/下午h"时"mm"分"', 57: 'yyyy"年"m"月"', 58: 'm"月"d"日"',
}


def make_handmade_specials(m):
    # ---- built-in date ids no <numFmt> declares
    ids = [(0, "45138", "number", "45138"), (14, "45138", "date", "2023-07-31"),
           (22, "45138.354166666664", "date", "2023-07-31T08:30:00"),
           (27, "45138", "date", "2023-07-31"), (28, "45138", "date", "2023-07-31"),
           (31, "45138", "date", "2023-07-31"), (32, "0.5", "date", "12:00:00"),
           (33, "0.75", "date", "18:00:00"), (34, "0.25", "date", "06:00:00"),
           (36, "45138", "date", "2023-07-31"), (49, "45138", "number", "45138"),
           (50, "45138", "date", "2023-07-31"), (55, "0.5", "date", "12:00:00"),
           (57, "45108", "date", "2023-07-01"), (58, "45138", "date", "2023-07-31")]
    book = {"sheets": [{"name": "内置格式", "merges": [], "cells": []}],
            "xfs": [0] + [i for i, _, _, _ in ids]}
    cells = []
    for row, (fid, v, typ, val) in enumerate(ids, start=1):
        book["sheets"][0]["cells"].append(("A%d" % row, "str", "numFmtId %d" % fid, 0))
        book["sheets"][0]["cells"].append(("B%d" % row, "n", v, row))
        cells += [cell("A%d" % row, "string", "numFmtId %d" % fid), cell("B%d" % row, typ, val)]
    rel = "xlsx/handmade-builtin-date-ids.xlsx"
    write_zip(m.path(rel), build_package(book, Opts()))
    twin = dict(book, numfmts=sorted(ZH_CN_BUILTIN.items()))
    twin_rel = "_twins/builtin-date-ids-declared.xlsx"
    write_zip(m.path(twin_rel), build_package(twin, Opts()))
    expected = {"file": rel, "sheets": [{"name": "内置格式", "merged": [], "cells": cells}]}
    add_checked(m, "handmade-builtin-date-ids", rel,
                "cells styled with built-in number format ids that no <numFmt> declares: 14 and "
                "22 (every locale) and the CJK date/time ids 27, 28, 31-34, 36, 50, 55, 57, 58 are "
                "dates; 0 and 49 (@) stay numbers", expected, twin_rel)

    # ---- t="d" cells
    book = {"sheets": [{"name": "ISO日期", "merges": [], "cells": [
        ("A1", "str", "t=d 日期格式", 0), ("B1", "d", "2023-07-31T00:00:00", 1),
        ("A2", "str", "t=d 日期时间格式", 0), ("B2", "d", "2023-07-31T08:30:00", 2),
        ("A3", "str", "t=d 常规格式", 0), ("B3", "d", "2023-07-31T00:00:00", 0),
        ("A4", "str", "t=d 毫秒", 0), ("B4", "d", "2023-07-31T08:30:00.250", 2),
    ]}], "numfmts": [(164, "yyyy-mm-dd"), (165, "yyyy-mm-dd hh:mm:ss")], "xfs": [0, 164, 165]}
    rel = "xlsx/handmade-t-d.xlsx"
    write_zip(m.path(rel), build_package(book, Opts()))
    expected = {"file": rel, "sheets": [{"name": "ISO日期", "merged": [], "cells": [
        cell("A1", "string", "t=d 日期格式"), cell("B1", "date", "2023-07-31"),
        cell("A2", "string", "t=d 日期时间格式"), cell("B2", "date", "2023-07-31T08:30:00"),
        cell("A3", "string", "t=d 常规格式"), cell("B3", "date", "2023-07-31T00:00:00"),
        cell("A4", "string", "t=d 毫秒"), cell("B4", "date", "2023-07-31T08:30:00.250"),
    ]}]}
    add_checked(m, "handmade-t-d", rel,
                "t=\"d\" cells holding ISO 8601 text: a date at midnight under a date format is "
                "YYYY-MM-DD, under General the full timestamp; milliseconds kept", expected)

    # ---- _xHHHH_ escapes in shared strings
    book = {"sheets": [{"name": "转义", "merges": [], "cells": [
        ("A1", "s", "ESC1", 0), ("A2", "s", "ESC2", 0), ("A3", "s", "ESC3", 0),
        ("A4", "s", "ESC4", 0),
    ]}], "sst_raw": {
        "ESC1": "<si><t>第一行_x000D_\n第二行</t></si>",
        "ESC2": "<si><t>A_x0009_B</t></si>",
        "ESC3": "<si><t>_x005F_x000D_ 是字面文本</t></si>",
        "ESC4": "<si><r><t>富文本_x000D_</t></r><r><t>_x000A_第二段</t></r></si>",
    }}
    rel = "xlsx/handmade-escapes.xlsx"
    write_zip(m.path(rel), build_package(book, Opts()))
    expected = {"file": rel, "sheets": [{"name": "转义", "merged": [], "cells": [
        cell("A1", "string", "第一行\r\n第二行"), cell("A2", "string", "A\tB"),
        cell("A3", "string", "_x000D_ 是字面文本"), cell("A4", "string", "富文本\r\n第二段"),
    ]}]}
    add_checked(m, "handmade-escapes", rel,
                "_x000D_, _x0009_, _x000A_ escapes in shared strings (also inside rich-text runs) "
                "decode to CR, TAB, LF; _x005F_ escapes the underscore", expected)

    # ---- phonetic runs
    book = {"sheets": [{"name": "注音", "merges": [], "cells": [
        ("A1", "s", "PH1", 0), ("A2", "s", "PH2", 0), ("A3", "s", "PH3", 0),
    ]}], "sst_raw": {
        "PH1": "<si><t>南昌</t><rPh sb=\"0\" eb=\"2\"><t>ナンショウ</t></rPh>"
               "<phoneticPr fontId=\"0\" type=\"noConversion\"/></si>",
        "PH2": "<si><r><t>红谷滩</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\"> 新区</t></r>"
               "<rPh sb=\"0\" eb=\"3\"><t>コウコクタン</t></rPh><phoneticPr fontId=\"0\"/></si>",
        "PH3": "<si><t/><rPh sb=\"0\" eb=\"0\"><t>カラ</t></rPh></si>",
    }}
    rel = "xlsx/handmade-phonetic.xlsx"
    write_zip(m.path(rel), build_package(book, Opts()))
    expected = {"file": rel, "sheets": [{"name": "注音", "merged": [], "cells": [
        cell("A1", "string", "南昌"), cell("A2", "string", "红谷滩 新区"), cell("A3", "string", ""),
    ]}]}
    add_checked(m, "handmade-phonetic", rel,
                "shared strings with phonetic runs (<rPh>) and <phoneticPr>: the phonetic text is "
                "not part of the value; an empty <t/> with only a phonetic run is the empty string",
                expected)

    # ---- values stored in cells covered by merges
    book = {"sheets": [{"name": "合并覆盖", "merges": ["A1:C1", "A3:A5", "B3:C4"], "cells": [
        ("A1", "s", "标题", 0), ("B1", "s", "被覆盖文本", 0), ("C1", "n", "42", 0),
        ("A3", "s", "项目", 0), ("A4", "n", "45138", 1), ("A5", "b", "1", 0),
        ("B3", "n", "1.5", 0), ("C3", "str", "公式文本", 0), ("B4", "inlineStr", "内联", 0),
        ("C4", "e", "#REF!", 0), ("A6", "n", "7", 0),
    ], "formulas": {"C3": "\"公式\"&\"文本\""}}], "numfmts": [(164, "yyyy-mm-dd")], "xfs": [0, 164]}
    rel = "xlsx/handmade-covered-values.xlsx"
    write_zip(m.path(rel), build_package(book, Opts()))
    expected = {"file": rel, "sheets": [{"name": "合并覆盖", "merged": ["A1:C1", "A3:A5", "B3:C4"],
                                         "cells": [
        cell("A1", "string", "标题"), cell("B1", "string", "被覆盖文本"), cell("C1", "number", "42"),
        cell("A3", "string", "项目"), cell("B3", "number", "1.5"), cell("C3", "string", "公式文本"),
        cell("A4", "date", "2023-07-31"), cell("B4", "string", "内联"), cell("C4", "error", "#REF!"),
        cell("A5", "bool", "true"), cell("A6", "number", "7"),
    ]}]}
    add_checked(m, "handmade-covered-values", rel,
                "values stored in cells covered by merges are kept, with their own types: shared "
                "string, number, date-styled number, bool, formula string (t=\"str\"), inline "
                "string, error; merged sorted by first row then first column", expected)


# =============================================================== shared formulas

# Cells of shared formula groups as Excel writes them (ECMA-376 Part 1, 18.3.1.40): the anchor
# (master) carries the text, `ref` and `si`; every other cell of the group only `<f t="shared"
# si="N"/>`. Each cell: (ref, <f> element or None, cached value XML, the text annex must give).
# The expected texts are worked out by hand: relative parts move by the cell's offset from its
# anchor, `$` parts stay, strings, functions, names and tables are untouched, and a reference
# moved off the sheet is #REF!.

def shared(si, text=None, ref=None):
    attrs = ' t="shared"' + (' ref="%s"' % ref if ref else "") + (' si="%d"' % si if si is not None else "")
    return "<f%s>%s</f>" % (attrs, xesc(text)) if text is not None else "<f%s/>" % attrs


def plain_formula(text):
    return "<f>%s</f>" % xesc(text)


ZERO = "<v>0</v>"

SHARED_FORMULA_CELLS = [
    # row 7: the anchors; C fills down, D across, H:I a block, J strings, K whole rows/columns, P names
    ("C7", shared(0, "B7*$B$2+B$3-$A7", "C7:C13"), ZERO, "B7*$B$2+B$3-$A7"),
    ("D7", shared(1, "SUM(B7:C7)+B$5*$C$5", "D7:F7"), ZERO, "SUM(B7:C7)+B$5*$C$5"),
    ("E7", shared(1), ZERO, "SUM(C7:D7)+C$5*$C$5"),
    ("F7", shared(1), ZERO, "SUM(D7:E7)+D$5*$C$5"),
    ("H7", shared(2, "SUM(Sheet2!B7:C9)+'社保 一'!B7-'社保 一'!$B$7", "H7:I9"), ZERO,
     "SUM(Sheet2!B7:C9)+'社保 一'!B7-'社保 一'!$B$7"),
    ("I7", shared(2), ZERO, "SUM(Sheet2!C7:D9)+'社保 一'!C7-'社保 一'!$B$7"),
    ("J7", shared(3, 'IF(A7="A1",LOG10(B7)&"B""7",ATAN2(B7,1)&"<&>")', "J7:J9"), ZERO,
     'IF(A7="A1",LOG10(B7)&"B""7",ATAN2(B7,1)&"<&>")'),
    ("K7", shared(4, "SUM(A:A)+SUM(1:1)+COUNT($B:C)+COUNT($2:3)", "K7:K9"), ZERO,
     "SUM(A:A)+SUM(1:1)+COUNT($B:C)+COUNT($2:3)"),
    ("P7", shared(5, "TAX2023+FY1+TOTAL+LOG10(A1)+Table1[[#This Row],[金额]]+SUM(Table1[B1])+_xlfn.STDEV.S(A1:A2)",
                  "P7:P8"), ZERO,
     "TAX2023+FY1+TOTAL+LOG10(A1)+Table1[[#This Row],[金额]]+SUM(Table1[B1])+_xlfn.STDEV.S(A1:A2)"),
    # row 8: the cells out of column order
    ("P8", shared(5), ZERO,
     "TAX2024+FY2+TOTAL+LOG10(A2)+Table1[[#This Row],[金额]]+SUM(Table1[B1])+_xlfn.STDEV.S(A2:A3)"),
    ("I8", shared(2), ZERO, "SUM(Sheet2!C8:D10)+'社保 一'!C8-'社保 一'!$B$7"),
    ("C8", shared(0), ZERO, "B8*$B$2+B$3-$A8"),
    ("K8", shared(4), ZERO, "SUM(A:A)+SUM(2:2)+COUNT($B:C)+COUNT($2:4)"),
    ("H8", shared(2), ZERO, "SUM(Sheet2!B8:C10)+'社保 一'!B8-'社保 一'!$B$7"),
    ("J8", shared(3), ZERO, 'IF(A8="A1",LOG10(B8)&"B""7",ATAN2(B8,1)&"<&>")'),
    ("C9", shared(0), ZERO, "B9*$B$2+B$3-$A9"),
    ("H9", shared(2), ZERO, "SUM(Sheet2!B9:C11)+'社保 一'!B9-'社保 一'!$B$7"),
    ("I9", shared(2), ZERO, "SUM(Sheet2!C9:D11)+'社保 一'!C9-'社保 一'!$B$7"),
    ("J9", shared(3), ZERO, 'IF(A9="A1",LOG10(B9)&"B""7",ATAN2(B9,1)&"<&>")'),
    ("K9", shared(4), ZERO, "SUM(A:A)+SUM(3:3)+COUNT($B:C)+COUNT($2:5)"),
    # a formula of its own inside the group's range: the cells after it still follow the anchor
    ("C10", plain_formula("SUM(B7:B9)"), ZERO, "SUM(B7:B9)"),
    ("C11", shared(0), ZERO, "B11*$B$2+B$3-$A11"),
    ("C12", "<f t=\"shared\" si=\"0\"></f>", ZERO, "B12*$B$2+B$3-$A12"),
    ("L12", shared(6, "SUM(A:A)+SUM(1:1)+COUNT(A:$C)", "L12:N12"), ZERO, "SUM(A:A)+SUM(1:1)+COUNT(A:$C)"),
    ("M12", shared(6), ZERO, "SUM(B:B)+SUM(1:1)+COUNT(B:$C)"),
    ("N12", shared(6), ZERO, "SUM(C:C)+SUM(1:1)+COUNT(C:$C)"),
    # no cached value: the cell's value is the text after `=`
    ("C13", shared(0), "", "B13*$B$2+B$3-$A13"),
]

SHARED_FORMULA_EDGE_CELLS = [
    # references moved past the last column (XFD)
    ("K1", shared(6, "XFD1+XFC$1+$XFD1+SUM(Sheet2!XFC1:XFD2)+COUNT(XFD:XFD)", "K1:L1"), ZERO,
     "XFD1+XFC$1+$XFD1+SUM(Sheet2!XFC1:XFD2)+COUNT(XFD:XFD)"),
    ("L1", shared(6), ZERO, "#REF!+XFD$1+$XFD1+SUM(Sheet2!#REF!)+COUNT(#REF!)"),
    # a cell of a group before its anchor; a group nobody anchors; t="shared" without si
    ("E3", shared(0), "<v>3</v>", None),
    ("A4", shared(9), ZERO, None),
    ("B4", shared(None), ZERO, None),
    ("C4", shared(None, "A1"), ZERO, "A1"),
    ("E4", shared(0, "D4*2", "E4:E5"), ZERO, "D4*2"),
    # cells left of their anchor, after it in the row: moved before column A
    ("C5", shared(1, "A5+$A5+B5+C$5", "A5:C5"), ZERO, "A5+$A5+B5+C$5"),
    ("A5", shared(1), ZERO, "#REF!+$A5+#REF!+A$5"),
    ("B5", shared(1), ZERO, "#REF!+$A5+A5+B$5"),
    ("E5", shared(0), ZERO, "D5*2"),
    # a later cell of a group with text of its own (si used again): the anchor's formula overrides
    ("G7", shared(2, "F7", "G7:G8"), ZERO, "F7"),
    ("G8", shared(2), ZERO, "F8"),
    ("G10", shared(2, "F10*3", "G10:G11"), ZERO, "F10"),
    ("G11", shared(2), ZERO, "F11"),
    # an anchor without ref
    ("H13", shared(3, "H12+1"), ZERO, "H12+1"),
    ("H14", shared(3), ZERO, "H13+1"),
    # references moved past the last row
    ("M20", shared(5, "A1048575+SUM(B1048575:B1048576)+SUM(1048576:1048576)+A$1048576", "M20:M22"), ZERO,
     "A1048575+SUM(B1048575:B1048576)+SUM(1048576:1048576)+A$1048576"),
    ("M21", shared(5), ZERO, "A1048576+SUM(#REF!)+SUM(#REF!)+A$1048576"),
    ("M22", shared(5), ZERO, "#REF!+SUM(#REF!)+SUM(#REF!)+A$1048576"),
]

# The texts LibreOffice (7.4) gives where it differs, None where it gives none: it lowercases
# names and table references it does not know, drops the sheet of a reference moved off it
# (Excel shows Sheet2!#REF!, as the .xls reader does), needs `si` and an anchor with `ref`, and
# resolves the groups after the whole sheet, so that a cell before its anchor gets the formula too
# (annex reads a sheet row by row and leaves that cell without one).
SHARED_FORMULAS_LIBREOFFICE = {
    "handmade-shared-formulas": {
        "P7": "TAX2023+FY1+total+LOG10(A1)+table1[[#this row],[金额]]+SUM(table1[b1])+_xlfn.STDEV.S(A1:A2)",
        "P8": "TAX2024+FY2+total+LOG10(A2)+table1[[#this row],[金额]]+SUM(table1[b1])+_xlfn.STDEV.S(A2:A3)",
    },
    "handmade-shared-formulas-edges": {
        "L1": "#REF!+XFD$1+$XFD1+SUM(#REF!)+COUNT(#REF!)", "E3": "D3*2", "C4": None, "H13": None,
        "H14": None,
    },
}


def shared_formula_sheet(cells):
    """The worksheet XML of `cells`, rows in order of first appearance, cells in the given order."""
    rows = {}
    for ref, f, v, _ in cells:
        rows.setdefault(parse_ref(ref)[0], []).append('<c r="%s">%s%s</c>' % (ref, f or "", v))
    body = "".join('<row r="%d">%s</row>' % (r, "".join(rows[r])) for r in sorted(rows))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s"><sheetData>%s'
            '</sheetData></worksheet>' % (MAIN_T, body)).encode("utf-8")


def shared_formulas_expected(cells):
    out = []
    for ref, _, v, formula in sorted(cells, key=lambda c: (parse_ref(c[0])[0], parse_ref(c[0])[1])):
        if v:
            c = cell(ref, "number", v[3:-4])
        else:
            c = cell(ref, "string", "=" + formula)
        if formula is not None:
            c["formula"] = formula
        out.append(c)
    return out


def libreoffice_formula_texts(path):
    """The formula text of each cell of the first sheet of a LibreOffice-written .xlsx."""
    import html
    import re
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    return {mt.group(1): html.unescape(mt.group(2))
            for mt in re.finditer(r'<c r="([A-Z]+[0-9]+)"[^>]*><f[^>]*>([^<]*)</f>', xml)}


def make_shared_formulas(m, soffice, work):
    """Two workbooks of shared formula groups; LibreOffice reads each and writes every cell's own
    text, which must be the hand-worked expectation (but for SHARED_FORMULAS_LIBREOFFICE)."""
    lo_src = os.path.join(work, "shared-src")
    lo_out = os.path.join(work, "shared-out")
    os.makedirs(lo_src)
    os.makedirs(lo_out)
    fixtures = [
        ("handmade-shared-formulas", "共享公式", SHARED_FORMULA_CELLS,
         "shared formula groups as Excel writes them: filled down, across and as a block, "
         "relative and $-absolute parts, areas, whole columns and rows, references on other sheets "
         "('社保 一'!B7, Sheet2!B7:C9), strings with doubled quotes, functions that look like "
         "references (LOG10(, ATAN2(), names, a reference that looks like a name (TAX2023), "
         "structured references, cells out of column order, a formula of its own inside the group, "
         "an empty <f></f>, a cell without a cached value"),
        ("handmade-shared-formulas-edges", "边界", SHARED_FORMULA_EDGE_CELLS,
         "shared formulas moved off the sheet (#REF! past XFD, before column A, past row 1048576, "
         "whole areas and sheet-qualified ones), a cell before its anchor and one of a group without "
         "an anchor (no formula), t=\"shared\" without si (a formula of its own), a later cell of a "
         "group with text of its own (the anchor's formula overrides it), an anchor without ref"),
    ]
    for name, sheet, cells, proves in fixtures:
        book = {"sheets": [{"name": sheet, "merges": [], "cells": []},
                           {"name": "Sheet2", "merges": [], "cells": [("A1", "n", "1", 0)]},
                           {"name": "社保 一", "merges": [], "cells": [("A1", "n", "2", 0)]}]}
        parts = build_package(book, Opts())
        parts["xl/worksheets/sheet1.xml"] = shared_formula_sheet(cells)
        rel = "xlsx/%s.xlsx" % name
        write_zip(m.path(rel), parts)
        expected = {"file": rel, "sheets": [
            {"name": sheet, "merged": [], "cells": shared_formulas_expected(cells)},
            {"name": "Sheet2", "merged": [], "cells": [cell("A1", "number", "1")]},
            {"name": "社保 一", "merged": [], "cells": [cell("A1", "number", "2")]}]}
        shutil.copy(m.path(rel), os.path.join(lo_src, name + ".xlsx"))
        soffice_convert(soffice, "xlsx", [os.path.join(lo_src, name + ".xlsx")], lo_out,
                        [os.path.join(lo_out, name + ".xlsx")])
        libreoffice = libreoffice_formula_texts(os.path.join(lo_out, name + ".xlsx"))
        for ref, _, _, formula in cells:
            want = SHARED_FORMULAS_LIBREOFFICE[name].get(ref, formula)
            if libreoffice.get(ref) != want:
                die("%s!%s: LibreOffice reads the shared formula as %r, not %r" % (name, ref, libreoffice.get(ref), want))
        add_checked(m, name, rel, proves, expected)


# =============================================================== zip-level variants

class Unseekable(io.RawIOBase):
    """A write-only stream zipfile cannot seek: members get data descriptors (flag bit 3)."""

    def __init__(self, f):
        self.f = f

    def writable(self):
        return True

    def seekable(self):
        return False

    def write(self, b):
        return self.f.write(b)

    def tell(self):
        raise io.UnsupportedOperation("tell")

    def flush(self):
        self.f.flush()


def read_members(path):
    with zipfile.ZipFile(path) as zf:
        return {zi.filename: zf.read(zi) for zi in zf.infolist()}


def write_zip64_everywhere(path, parts):
    """Every member with zip64 extra fields in local and central headers, and a zip64
    end-of-central-directory record + locator (as streaming writers of .NET or Go produce)."""
    out = open(path, "wb")
    central = []
    for name, data in parts.items():
        nb = name.encode("utf-8")
        comp = zlib.compressobj(6, zlib.DEFLATED, -15)
        cdata = comp.compress(data) + comp.flush()
        crc = zlib.crc32(data)
        offset = out.tell()
        extra = struct.pack("<HHQQ", 1, 16, len(data), len(cdata))
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034b50, 45, 0x0800, 8, 0x4800, 0x571C,
                              crc, 0xFFFFFFFF, 0xFFFFFFFF, len(nb), len(extra)) + nb + extra)
        out.write(cdata)
        central.append((nb, crc, len(cdata), len(data), offset))
    cd_start = out.tell()
    for nb, crc, csize, usize, offset in central:
        extra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset)
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 45, 45, 0x0800, 8, 0x4800,
                              0x571C, crc, 0xFFFFFFFF, 0xFFFFFFFF, len(nb), len(extra), 0, 0, 0,
                              0o644 << 16, 0xFFFFFFFF) + nb + extra)
    cd_end = out.tell()
    n = len(central)
    out.write(struct.pack("<IQHHIIQQQQ", 0x06064b50, 44, 45, 45, 0, 0, n, n,
                          cd_end - cd_start, cd_start))
    out.write(struct.pack("<IIQI", 0x07064b50, 0, cd_end, 1))
    out.write(struct.pack("<IHHHHIIH", 0x06054b50, 0xFFFF, 0xFFFF, 0xFFFF, 0xFFFF,
                          0xFFFFFFFF, 0xFFFFFFFF, 0))
    out.close()


def make_zip_variants(m):
    src_rel = "xlsx/openpyxl-annex.xlsx"
    parts = read_members(m.path(src_rel))
    reference = m.dump(src_rel)

    rel = "xlsx/zip-stored.xlsx"
    write_zip(m.path(rel), parts, zipfile.ZIP_STORED)
    m.add("zip-stored", rel, "xlsx", "handmade",
          "openpyxl-annex re-zipped with every member stored (method 0, no compression)")

    rel = "xlsx/zip-data-descriptors.xlsx"
    with open(m.path(rel), "wb") as f:
        with zipfile.ZipFile(Unseekable(f), "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in parts.items():
                with zf.open(zinfo(name), "w") as w:
                    w.write(data)
    check_flag(m.path(rel), 0x08, "data descriptors")
    m.add("zip-data-descriptors", rel, "xlsx", "handmade",
          "openpyxl-annex written to a non-seekable stream: general-purpose flag bit 3, local "
          "headers with CRC and sizes 0, the real values in data descriptors after each member")

    rel = "xlsx/zip-zip64-member.xlsx"
    with zipfile.ZipFile(m.path(rel), "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            with zf.open(zinfo(name), "w", force_zip64=True) as w:
                w.write(data)
    m.add("zip-zip64-member", rel, "xlsx", "handmade",
          "openpyxl-annex with every local header in zip64 form (sizes 0xFFFFFFFF + zip64 extra "
          "field, as zipfile force_zip64 writes), central directory classic")

    rel = "xlsx/zip-zip64-full.xlsx"
    write_zip64_everywhere(m.path(rel), parts)
    m.add("zip-zip64-full", rel, "xlsx", "handmade",
          "openpyxl-annex as a full zip64 archive: zip64 extras in local and central headers "
          "(sizes and offsets 0xFFFFFFFF), zip64 end-of-central-directory record and locator, "
          "classic end record saturated (0xFFFF / 0xFFFFFFFF)")

    rel = "xlsx/zip-backslashes.xlsx"
    write_zip(m.path(rel), parts, rename=lambda n: n.replace("/", "\\"))
    with zipfile.ZipFile(m.path(rel)) as zf:
        if not any("\\" in n for n in zf.namelist()):
            die("zip-backslashes has no backslash names")
    m.add("zip-backslashes", rel, "xlsx-expected", "handmade",
          "openpyxl-annex with every entry name using backslashes (xl\\worksheets\\sheet1.xml, "
          "_rels\\.rels) as some Windows tools write; part names must still resolve "
          "(openpyxl cannot open it; expected = reference dump of openpyxl-annex)",
          expected=with_file(reference, rel))
    return parts


def check_flag(path, bit, what):
    with zipfile.ZipFile(path) as zf:
        if not all(zi.flag_bits & bit for zi in zf.infolist()):
            die("%s: not every member has %s" % (path, what))


# =============================================================== broken files

def local_header_data_offset(buf, zi):
    off = zi.header_offset
    n, e = struct.unpack("<HH", buf[off + 26: off + 30])
    return off + 30 + n + e


def make_broken(m, annex_parts, work):
    def add(name, rel, expect, proves, maker="handmade"):
        m.add(name, rel, "broken", maker, proves, expect=expect)

    rel = "broken/empty.xlsx"
    open(m.path(rel), "wb").close()
    add("broken-empty", rel, "empty", "a zero-byte file named .xlsx")

    rel = "broken/random.xlsx"
    rnd = random.Random(20230828)
    data = bytes(rnd.randrange(256) for _ in range(4096))
    if data.startswith(b"PK"):
        data = b"\x00" + data[1:]
    open(m.path(rel), "wb").write(data)
    add("broken-random", rel, "not-zip", "4096 random bytes (fixed seed), no zip signature")

    rel = "broken/truncated.xlsx"
    whole = open(m.path("xlsx/openpyxl-annex.xlsx"), "rb").read()
    open(m.path(rel), "wb").write(whole[: len(whole) // 2])
    add("broken-truncated", rel, "truncated",
        "the first half of openpyxl-annex.xlsx: local headers present, no central directory")

    # bad CRC: a stored sheet with one digit changed, headers untouched
    rel = "broken/bad-crc.xlsx"
    parts = build_package(BASE, Opts())
    write_zip(m.path(rel), parts, zipfile.ZIP_STORED)
    buf = bytearray(open(m.path(rel), "rb").read())
    with zipfile.ZipFile(m.path(rel)) as zf:
        zi = zf.getinfo("xl/worksheets/sheet1.xml")
    start = local_header_data_offset(buf, zi)
    pos = buf.find(b"<v>3584</v>", start, start + zi.compress_size)
    if pos < 0:
        die("bad-crc: value not found")
    buf[pos + 3: pos + 7] = b"3585"
    open(m.path(rel), "wb").write(bytes(buf))
    try:
        with zipfile.ZipFile(m.path(rel)) as zf:
            zf.read("xl/worksheets/sheet1.xml")
        die("bad-crc: zipfile did not notice the CRC")
    except zipfile.BadZipFile:
        pass
    add("broken-bad-crc", rel, "crc",
        "stored xl/worksheets/sheet1.xml whose data was changed (3584 -> 3585) after the CRC-32 "
        "was recorded; the zip structure and the XML are otherwise fine")

    # encryption flag set on one member
    rel = "broken/encrypted-flag.xlsx"
    write_zip(m.path(rel), parts)
    buf = bytearray(open(m.path(rel), "rb").read())
    with zipfile.ZipFile(m.path(rel)) as zf:
        zi = zf.getinfo("xl/worksheets/sheet1.xml")
    lh = zi.header_offset
    assert buf[lh:lh + 4] == b"PK\x03\x04"
    buf[lh + 6] |= 1
    name = zi.filename.encode()
    cd = buf.find(b"PK\x01\x02", 0)
    while cd >= 0:
        n = struct.unpack("<H", buf[cd + 28: cd + 30])[0]
        if bytes(buf[cd + 46: cd + 46 + n]) == name:
            buf[cd + 8] |= 1
            break
        cd = buf.find(b"PK\x01\x02", cd + 4)
    open(m.path(rel), "wb").write(bytes(buf))
    check_flag_one(m.path(rel), "xl/worksheets/sheet1.xml")
    add("broken-encrypted-flag", rel, "encrypted",
        "general-purpose flag bit 0 (traditional PKWARE encryption) set on the sheet member in "
        "both its local and central headers")

    rel = "broken/encrypted-ole.xlsx"
    open(m.path(rel), "wb").write(make_cfb_encrypted())
    add("broken-encrypted-ole", rel, "encrypted",
        "what Excel/WPS save for a password-protected workbook: an OLE2 compound file "
        "(D0 CF 11 E0 A1 B1 1A E1) with EncryptionInfo (agile, version 4.4) and "
        "EncryptedPackage streams, not a zip")

    rel = "broken/~$book.xlsx"
    user = "annex"
    lock = bytes([len(user)]) + user.encode("ascii")
    lock += b" " * (54 - len(lock))
    lock += struct.pack("<H", len(user)) + user.encode("utf-16-le")
    while len(lock) < 165:
        lock += b" \x00"
    lock = lock[:165]
    open(m.path(rel), "wb").write(lock)
    add("broken-lock-file", rel, "lock-file",
        "an Excel owner (lock) file ~$book.xlsx, 165 bytes: name length, user name padded with "
        "spaces, then the name in UTF-16LE")

    rel = "broken/missing-workbook.xlsx"
    write_zip(m.path(rel), {k: v for k, v in annex_parts.items() if k != "xl/workbook.xml"})
    add("broken-missing-workbook", rel, "missing-part",
        "openpyxl-annex without xl/workbook.xml; _rels/.rels and [Content_Types].xml still name it")

    rel = "broken/xxe.xlsx"
    p = dict(parts)
    p["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
        '<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
        '<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t>'
        '</is></c></row></sheetData></worksheet>' % MAIN_T).encode()
    write_zip(m.path(rel), p)
    add("broken-xxe", rel, "xxe",
        "a worksheet whose DOCTYPE declares an external entity (file:///etc/passwd) used in a "
        "cell; it must neither be fetched nor silently dropped")

    rel = "broken/billion-laughs.xlsx"
    ents = ['<!ENTITY l0 "ha">'] + ['<!ENTITY l%d "%s">' % (i, "&l%d;" % (i - 1) * 10)
                                     for i in range(1, 10)]
    p = dict(parts)
    p["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [%s]>\n'
        '<sst xmlns="%s" count="1" uniqueCount="1"><si><t>&l9;</t></si></sst>'
        % ("".join(ents), MAIN_T)).encode()
    write_zip(m.path(rel), p)
    add("broken-billion-laughs", rel, "entity-expansion",
        "sharedStrings with nested internal entities (10 levels x 10: 2 x 10^9 characters "
        "from a few hundred bytes)")

    rel = "broken/malformed.xlsx"
    p = dict(parts)
    p["xl/worksheets/sheet1.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1"><v>1</v></row>'
        '</sheetData></worksheet>' % MAIN_T).encode()
    write_zip(m.path(rel), p)
    add("broken-malformed-xml", rel, "malformed-xml",
        "xl/worksheets/sheet1.xml is not well-formed (</row> closes an open <c>)")

    rel = "broken/zip-bomb.xlsx"
    make_bomb(m.path(rel), parts)
    add("broken-zip-bomb", rel, "zip-bomb",
        "xl/worksheets/sheet1.xml inflates to 600 MiB (well-formed: XML whitespace between "
        "the elements) from about 0.6 MB, a ratio near 1030:1; the reader must refuse it by "
        "size/ratio before inflating it all")


def check_flag_one(path, name):
    with zipfile.ZipFile(path) as zf:
        if not zf.getinfo(name).flag_bits & 1:
            die("encrypted flag not set")


BOMB_SIZE = 600 * 1024 * 1024


def make_bomb(path, parts):
    head = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="%s">'
            '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>' % MAIN_T).encode()
    tail = b"</sheetData></worksheet>"
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zi = zipfile.ZipInfo(name, ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            if name != "xl/worksheets/sheet1.xml":
                zf.writestr(zi, data)
                continue
            with zf.open(zi, "w") as w:
                w.write(head)
                left = BOMB_SIZE - len(head) - len(tail)
                while left > 0:
                    n = min(left, len(chunk))
                    w.write(chunk[:n])
                    left -= n
                w.write(tail)
    with zipfile.ZipFile(path) as zf:
        zi = zf.getinfo("xl/worksheets/sheet1.xml")
        if zi.file_size != BOMB_SIZE or zi.file_size / zi.compress_size < 500:
            die("zip bomb has the wrong shape")


def make_cfb_encrypted():
    """A minimal OLE2 compound file (v3, 512-byte sectors) holding EncryptionInfo and
    EncryptedPackage streams, both >= 4096 bytes so no mini stream is needed."""
    rnd = random.Random(7)
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
           '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
           'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
           '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" '
           'cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" '
           'saltValue="AAAAAAAAAAAAAAAAAAAAAA=="/><keyEncryptors><keyEncryptor '
           'uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password"/>'
           '</keyEncryptors></encryption>').encode()
    info = struct.pack("<HHI", 4, 4, 0x40) + xml
    info += b"\x00" * (4096 - len(info))
    package = struct.pack("<Q", 6144) + bytes(rnd.randrange(256) for _ in range(8192 - 8))
    SEC = 512
    FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    info_start, info_n = 2, len(info) // SEC
    pkg_start, pkg_n = info_start + info_n, len(package) // SEC
    fat = [FATSECT, END]
    fat += [info_start + i + 1 for i in range(info_n - 1)] + [END]
    fat += [pkg_start + i + 1 for i in range(pkg_n - 1)] + [END]
    fat += [FREE] * (SEC // 4 - len(fat))
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
                         b"\x00" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\x00" * 6, 0, 1, 1, 0, 4096,
                         END, 0, END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", FREE) * 108

    def entry(name, typ, color, left, right, child, start, size):
        nb = (name + "\x00").encode("utf-16-le") if name else b""
        return (nb.ljust(64, b"\x00") + struct.pack("<HBBIII", len(nb), typ, color, left, right,
                                                     child)
                + b"\x00" * 16 + struct.pack("<I", 0) + b"\x00" * 16
                + struct.pack("<IQ", start, size))
    directory = (entry("Root Entry", 5, 1, NOSTREAM, NOSTREAM, 1, END, 0)
                 + entry("EncryptionInfo", 2, 1, NOSTREAM, 2, NOSTREAM, info_start, len(info))
                 + entry("EncryptedPackage", 2, 0, NOSTREAM, NOSTREAM, NOSTREAM, pkg_start,
                         len(package))
                 + entry("", 0, 0, NOSTREAM, NOSTREAM, NOSTREAM, 0, 0))
    assert len(header) == SEC and len(directory) == SEC
    return header + struct.pack("<%dI" % len(fat), *fat) + directory + info + package


# =============================================================== main

def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: make_fixtures.py OUTDIR\n")
        return 2
    soffice = find_soffice()
    outdir = os.path.abspath(argv[1])
    os.makedirs(outdir, exist_ok=True)
    for sub in ("xlsx", "csv", "broken", "_twins"):
        shutil.rmtree(os.path.join(outdir, sub), ignore_errors=True)
    m = Manifest(outdir)
    work = tempfile.mkdtemp(prefix="annex-fixtures-")
    try:
        make_openpyxl(m, work)
        make_xlsxwriter(m)
        make_libreoffice(m, soffice, work)
        make_handmade(m, work)
        make_shared_formulas(m, soffice, work)
        annex_parts = make_zip_variants(m)
        make_csv(m)
        make_broken(m, annex_parts, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(os.path.join(outdir, "_twins"), ignore_errors=True)
    for e in m.entries:                  # every compared xlsx must have a reference dump
        if e["kind"] == "xlsx":
            m.dump(e["file"])
    m.write()
    counts = {}
    for e in m.entries:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    sys.stderr.write("make_fixtures: %d fixtures in %s (%s)\n" % (
        len(m.entries), outdir, ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
