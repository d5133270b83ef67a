#!/usr/bin/env python3
"""Fixtures for the readers of the two text "xls" kinds: HTML tables saved as .xls and SpreadsheetML
2003, with the exact `annex dump` each must give, computed here from the model each file is made
from (a browser-style table layout written in Python, the SpreadsheetML rules), never by running
annex.

    python3 make_legacy_text_fixtures.py OUTDIR

Writes OUTDIR/{html,xml,broken,seed,lo}/ and OUTDIR/manifest.json (see README.md, "Text xls
fixtures"). Needs openpyxl and LibreOffice (`soffice`): every readable fixture is also converted to
.xlsx by LibreOffice, the reference the tests compare annex's reading with; exits 1 when soffice is
missing or a conversion writes nothing.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from html import escape

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True
sys.path.insert(0, HERE)
import render_legacy_text  # noqa: E402

import openpyxl  # noqa: E402

MAX_ROWS, MAX_COLUMNS = 1048576, 16384


def die(message):
    sys.stderr.write("make_legacy_text_fixtures: " + message + "\n")
    sys.exit(1)


def column_name(c):
    name = ""
    c += 1
    while c:
        c, rest = divmod(c - 1, 26)
        name = chr(65 + rest) + name
    return name


def ref(r, c):
    return f"{column_name(c)}{r + 1}"


def span(r1, c1, r2, c2):
    return f"{ref(r1, c1)}:{ref(r2, c2)}"


def shortest(text):
    """The shortest decimal that reads back as the same double, in plain notation."""
    x = float(text)
    if x == 0:
        return "0"
    s = format(Decimal(repr(x)), "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


class Sheet:
    """The expected dump of one sheet."""

    def __init__(self, name):
        self.name, self.cells, self.merged = name, {}, []

    def put(self, r, c, kind, value):
        self.cells[(r, c)] = (kind, value)

    def json(self):
        return {"name": self.name,
                "cells": [{"ref": ref(r, c), "type": k, "value": v} for (r, c), (k, v) in sorted(self.cells.items())],
                "merged": [span(*m) for m in sorted(self.merged)]}


# ================================================================ HTML

class Td:
    """One <td>: its inner HTML, the (type, value) annex must read (None: no cell), its spans."""

    def __init__(self, inner, expect=None, rowspan=1, colspan=1, attrs="", tag="td"):
        self.inner, self.expect, self.rowspan, self.colspan, self.attrs, self.tag = inner, expect, rowspan, colspan, attrs, tag


def s(text):
    return ("string", text)


def n(text):
    return ("number", text)


def plain(text, **spans):
    """A cell whose HTML is its text escaped, read back as the same string."""
    return Td(escape(text), s(text), **spans)


def layout(rows, name):
    """A browser's table layout: each cell goes to the first column of its row not covered by a
    rowspan from above; spans are clamped to the sheet."""
    sheet, covered = Sheet(name), set()
    for r, row in enumerate(rows):
        c = 0
        for td in row:
            while (r, c) in covered:
                c += 1
            assert c < MAX_COLUMNS
            cols, rws = min(td.colspan, MAX_COLUMNS - c), min(td.rowspan, MAX_ROWS - r)
            for rr in range(r, r + rws):
                for cc in range(c, c + cols):
                    covered.add((rr, cc))
            if cols > 1 or rws > 1:
                sheet.merged.append((r, c, r + rws - 1, c + cols - 1))
            if td.expect is not None:
                sheet.put(r, c, *td.expect)
            c += cols
    return sheet


def table_html(rows, caption=None, attrs=' border="1"'):
    out = [f"<table{attrs}>"]
    if caption is not None:
        out.append(f"<caption>{escape(caption)}</caption>")
    for row in rows:
        cells = []
        for td in row:
            extra = td.attrs
            if td.rowspan != 1:
                extra += f' rowspan="{td.rowspan}"'
            if td.colspan != 1:
                extra += f' colspan="{td.colspan}"'
            cells.append(f"<{td.tag}{extra}>{td.inner}</{td.tag}>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def page(body, head=""):
    return f"<html><head>{head}</head><body>\n{body}\n</body></html>\n"


ANNEX_TITLE = "2023年7月南昌市“民生工程”人力资源和社会保障工作目标任务完成情况统计表（就业培训一）"


def annex_rows():
    """就业培训一 as districts export it from an OA system: title, period and unit lines across the
    table, a three-level merged header, units with ints, two-decimal ratios, markers, a footnote."""
    rows = [
        [plain(ANNEX_TITLE, colspan=8)],
        [plain("2023年7月", colspan=8)],
        [plain("单位：人、%", colspan=8)],
        [plain("项目", rowspan=3), plain("城镇新增就业", colspan=6), plain("零就业家庭就业安置率(%)", rowspan=3)],
        [plain("城镇人数新增就业", colspan=3), plain("失业人员再就业", colspan=3)],
        [plain(t) for t in ["本月完成", "累计完成", "占全年任务", "本月完成", "累计完成", "占全年任务"]],
    ]
    units = [("全市", "3584", "40503", "62.92", "1228", "14460", "65.73", "100"),
             ("市本级", "-", "-", "-", "-", "-", "-", "-"),
             ("南昌县", "512", "6011", "56.25", "0", "2120", "0.00", "无"),
             ("进贤县", "-12", "3318", "101.05", "207", "1543", "77.15", "100")]
    for unit in units:
        rows.append([plain(unit[0])] + [Td(escape(v), n(v) if v not in ("-", "无") else s(v)) for v in unit[1:]])
    rows.append([plain("说明：1、表中“-”表示未安排任务。2、占全年任务数最多保留小数点后两位。", colspan=8)])
    return rows


def make_html(m):
    rows = annex_rows()
    m.write("html/annex-gbk.xls", page(table_html(rows), '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                                       "<title>就业培训一</title>").encode("gb18030"))
    m.add("html-annex-gbk", "html/annex-gbk.xls", "html",
          "就业培训一 as an OA system exports it: GB2312 meta http-equiv, title/period/unit lines and a 3-level header "
          "merged with rowspan/colspan, ints, two-decimal ratios, 0.00, markers “-” “无”; the sheet is named by <title>",
          [layout(rows, "就业培训一")], libreoffice=True)

    text_rows = [
        [Td("a&nbsp;&nbsp;b", s("a b")), Td("  leading and \n\t  trailing  ", s("leading and trailing")),
         Td("line1<br>line2<br/>  line3 <BR>", s("line1\nline2\nline3")), Td("<br>x<br>", s("x")),
         Td("one<br><br>two", s("one\n\ntwo"))],
        [Td("&amp;&lt;&gt;&quot;&#39;&#20013;&#x6587;&yen;&copy;", s("&<>\"'中文¥©")), Td("&nbsp;", None),
         Td("", None), Td(" \n ", None), Td("\u3000全角空格\u3000", s("\u3000全角空格\u3000"))],
        [Td(v, s(v)) for v in ["12%", "1,234", "0012", "+3", ".5", "5.", "1e5", "1234567890123456", "−3"]],
        [Td(v, n(v)) for v in ["-0", "0.50", "-3.25", "123456789012345", "0", "7"]],
        [Td("<b>粗</b> 体", s("粗 体")), Td("<span>a</span><span>b</span>", s("ab")),
         Td("x <!-- 注释 --> y", s("x y")), Td("<p>段一</p><p>段二</p>", s("段一\n段二")),
         Td("v<script>var x = 1;</script>w", s("vw")), Td("标题", s("标题"), tag="th"),
         Td("<div>块</div>尾", s("块\n尾"))],
        [Td("3584", s("3584"), attrs=" style=\"mso-number-format:'\\@';\""), Td("0.50", s("0.50"), attrs=' style="color:red;mso-number-format:\\@"'),
         Td("12", n("12"), attrs=' style="mso-number-format:0"')],
    ]
    m.write("html/text-utf8.xls", page(table_html(text_rows), '<meta charset="utf-8"><title>文本</title>').encode("utf-8"))
    m.add("html-text-utf8", "html/text-utf8.xls", "html",
          "<meta charset=utf-8>; white space collapsed as a browser does, &nbsp; as space, <br> as a kept line break, "
          "<p>/<div> as lines, entities, comments and <script> dropped, <th>; plain decimals are numbers exactly as "
          "written, 12% 1,234 0012 +3 .5 5. 1e5 and 16-digit numbers stay text, and so do numbers under an inline "
          "mso-number-format:\\@ (how exporters keep Excel from reading them as numbers)",
          [layout(text_rows, "文本")], libreoffice=False,
          libreoffice_why="LibreOffice's HTML import puts each <br> line in a row of its own and reads 12%, 1,234, 0012 as numbers")

    # Several tables: captions name sheets, a repeated caption gets " (2)", a nested table is a sheet of its own.
    first = [[plain("甲"), Td("1", n("1"))]]
    second = [[plain("乙"), Td("2", n("2"))]]
    inner = [[plain("内层"), Td("3.5", n("3.5"))]]
    outer_rows = [[Td("前<table><tr><td>内层</td><td>3.5</td></tr></table>后", s("前\n后")), plain("右")],
                  [plain("下")]]
    body = "<h1>标题不在表格里</h1>" + table_html(first, "表一") + "<p>段落</p>" + table_html(second, "表一") + table_html(outer_rows)
    m.write("html/several-tables.xls", page(body, '<meta charset="utf-8"><title>多表</title>').encode("utf-8"))
    m.add("html-several-tables", "html/several-tables.xls", "html",
          "each <table> a sheet in start-tag order: captions as names (a repeated one gets “ (2)”), SheetN without "
          "caption, a nested table is its own sheet and its cell keeps the text around it on two lines; text outside "
          "tables is not read",
          [layout(first, "表一"), layout(second, "表一 (2)"), layout(outer_rows, "Sheet3"), layout(inner, "Sheet4")],
          libreoffice=False, libreoffice_why="LibreOffice imports every table of a page into one sheet")

    # What Excel's "Save as Web Page" writes.
    excel = f"""<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=ProgId content=Excel.Sheet>
<meta name=Generator content="Microsoft Excel 15">
<style>
<!--table {{mso-displayed-decimal-separator:"\\.";}}
.xl65 {{mso-number-format:"0\\.00%";}}
.xl66 {{mso-number-format:"yyyy\\/m\\/d";}}
.xl67
	{{mso-style-parent:style0;
	mso-number-format:"yyyy\\0022年\\0022m\\0022月\\0022d\\0022日\\0022";}}
.xl69 {{mso-number-format:"yyyy\\/m\\/d\\ h\\:mm";}}
td.xl70, .xl72 {{mso-number-format:"Long Time";}}
.xl71 {{color:red;}}
.xl73 {{mso-number-format:"\\@";}}
/* .xl66 {{mso-number-format:General;}} */
-->
</style>
<!--[if gte mso 9]><xml>
 <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>附件1</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>
</xml><![endif]-->
</head>
<body link=blue vlink=purple>
<table border=0 cellpadding=0 cellspacing=0 width=432 style='border-collapse:collapse;table-layout:fixed;width:324pt'>
 <col width=72 span=6 style='width:54pt'>
 <tr height=18 style='height:13.5pt'>
  <td height=18 width=72 style='height:13.5pt;width:54pt'>项目</td>
  <td class=xl65 width=72 style='width:54pt' x:num="0.6292">62.92%</td>
  <td width=72 style='width:54pt' x:num>3584</td>
  <td x:num="810.05999999999995">810.1</td>
  <td x:num="1E+16">1E+16</td>
  <td x:num="79.739999999999995">79.74</td>
 </tr>
 <tr height=18 style='height:13.5pt'>
  <td height=18 style='height:13.5pt' x:str="'0012">0012</td>
  <td x:str>3584</td>
  <td x:num x:fmla="=C1*2">7168</td>
  <td x:bool="TRUE">TRUE</td>
  <td x:err="#DIV/0!">#DIV/0!</td>
  <td></td>
 </tr>
 <tr height=18 style='height:13.5pt'>
  <td class=xl66 x:num="45138">2023/7/31</td>
  <td class=xl67 x:num="45139">2023年8月1日</td>
  <td class=xl69 x:num="45138.5">2023/7/31 12:00</td>
  <td class=xl70 x:num="0.5">12:00:00</td>
  <td class="xl66 xl71" x:num="45140">2023/8/2</td>
  <td class=xl72 x:num>0.25</td>
  <td class=xl73>42</td>
 </tr>
 <![if supportMisalignedColumns]>
 <tr height=0 style='display:none'>
  <td width=72 style='width:54pt'></td>
 </tr>
 <![endif]>
</table>
</body>
</html>
"""
    sheet = Sheet("Sheet1")
    for c, (k, v) in enumerate([s("项目"), n("0.6292"), n("3584"), n("810.06"), n("10000000000000000"), n("79.74")]):
        sheet.put(0, c, k, v)
    for c, (k, v) in enumerate([s("0012"), s("3584"), n("7168"), ("bool", "true"), ("error", "#DIV/0!")]):
        sheet.put(1, c, k, v)
    for c, v in enumerate(["2023-07-31", "2023-08-01", "2023-07-31T12:00:00", "12:00:00", "2023-08-02", "06:00:00"]):
        sheet.put(2, c, "date", v)
    sheet.put(2, 6, "string", "42")
    m.write("html/excel-export.xls", excel.encode("gb18030"))
    m.add("html-excel-export", "html/excel-export.xls", "html",
          "Excel's Save as Web Page: x:num with the raw number (62.92% → 0.6292, 810.1 → 810.06, shortest double text), "
          "x:num without a value, x:str keeps digits as text, x:fmla, x:bool, x:err, conditional comments and "
          "<![if]> blocks, an empty <td>; numbers whose class has a date mso-number-format (escaped \\/ and \\0022, "
          "a named one, two classes, a selector list, a rule inside a CSS comment ignored) are dates as in .xlsx; "
          "a class with the text format \\@ keeps digits as text",
          [sheet], libreoffice=False,
          libreoffice_why="LibreOffice's HTML import ignores x:num/x:str/x:bool/x:err and reads the shown text")

    # Spans at and beyond the sheet's edge.
    huge = Sheet("Sheet1")
    huge.put(0, 0, "string", "宽")
    huge.put(1, 0, "string", "高")
    huge.put(1, 1, "string", "右")
    huge.put(1, 3, "string", "零列宽")
    huge.put(1, 4, "string", "px")
    huge.merged = [(0, 0, 0, MAX_COLUMNS - 1), (1, 0, MAX_ROWS - 1, 0), (1, 4, 1, 5)]
    m.write("html/huge-spans.xls", b"<table><tr><td colspan=\"100000\">\xe5\xae\xbd</td></tr>\n"
            + "<tr><td rowspan=99999999999999999999>高</td><td colspan=0>右</td><td rowspan=abc></td>"
              "<td colspan=\"-3\">零列宽</td><td colspan=\" 2px\">px</td></tr></table>".encode("utf-8"))
    m.add("html-huge-spans", "html/huge-spans.xls", "html",
          "colspan=100000 clamped to XFD, a 20-digit rowspan clamped to row 1048576 (no per-cell memory), "
          "colspan 0/-3/abc read as 1, “ 2px” as 2 (browser rules)", [huge], libreoffice=False,
          libreoffice_why="LibreOffice caps spans differently (its own sheet limits)")

    undeclared = [[plain("南昌县"), Td("3584", n("3584")), plain("镕")]]
    m.write("html/gbk-undeclared.xls", ("<html><!-- " + "x" * 10000 + " -->" + table_html(undeclared) + "</html>").encode("gb18030"))
    m.add("html-gbk-undeclared", "html/gbk-undeclared.xls", "html",
          "GBK without any declaration, its first non-ASCII byte after 10 KB of ASCII: guessed as GB18030 when it "
          "is reached", [layout(undeclared, "Sheet1")], libreoffice=False,
          libreoffice_why="LibreOffice reads an undeclared page in its default encoding")

    bom = [[plain("中文"), Td("1.5", n("1.5"))]]
    m.write("html/utf8-bom.xls", b"\xef\xbb\xbf" + table_html(bom).encode("utf-8"))
    m.add("html-utf8-bom", "html/utf8-bom.xls", "html", "UTF-8 BOM, no <html>, no declaration",
          [layout(bom, "Sheet1")], libreoffice=True)
    m.write("html/utf16.xls", ("\ufeff" + page(table_html(bom), '<meta charset="utf-16">')).encode("utf-16-le"))
    m.add("html-utf16", "html/utf16.xls", "html", "UTF-16LE with BOM (the meta charset=utf-16 is then true)",
          [layout(bom, "Sheet1")], libreoffice=False, libreoffice_why="LibreOffice does not read UTF-16 HTML")

    unclosed = Sheet("Sheet1")
    for (r, c), v in {(0, 0): "a", (0, 1): "b", (1, 0): "c", (1, 1): "d", (2, 1): "e"}.items():
        unclosed.put(r, c, "string", v)
    unclosed.merged = [(1, 0, 2, 0)]
    m.write("html/unclosed.xls", b"<table><tr><td>a<td>b</td></td><tr><td rowspan=2>c<td>d<tr><td>e")
    m.add("html-unclosed", "html/unclosed.xls", "html",
          "no </td>, </tr>, </table> or </html>, a stray </td>: repaired as a browser repairs it", [unclosed],
          libreoffice=True)


# ============================================================ SpreadsheetML

SS = 'xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office" ' \
     'xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" ' \
     'xmlns:html="http://www.w3.org/TR/REC-html40"'


def workbook(styles, worksheets, extra=""):
    return (f'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook {SS}>\n{extra}'
            f'<Styles>\n <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/></Style>\n{styles}</Styles>\n'
            + "\n".join(worksheets) + "\n</Workbook>\n")


def make_spreadsheetml(m):
    # 就业培训一 with the header merged by MergeAcross/MergeDown, gaps skipped with ss:Index.
    annex = Sheet("就业培训一")
    rows = []
    rows.append(f'<Row><Cell ss:MergeAcross="7"><Data ss:Type="String">{ANNEX_TITLE}</Data></Cell></Row>')
    annex.put(0, 0, "string", ANNEX_TITLE)
    annex.merged.append((0, 0, 0, 7))
    rows.append('<Row><Cell ss:MergeAcross="7" ss:MergeDown="1"><Data ss:Type="String">2023年7月</Data></Cell></Row>')
    annex.put(1, 0, "string", "2023年7月")
    annex.merged.append((1, 0, 2, 7))
    rows.append('<Row ss:Index="4"><Cell ss:MergeDown="2"><Data ss:Type="String">项目</Data></Cell>'
                '<Cell ss:MergeAcross="5"><Data ss:Type="String">城镇新增就业</Data></Cell>'
                '<Cell ss:MergeDown="2"><Data ss:Type="String">零就业家庭&#10;就业安置率(%)</Data></Cell></Row>')
    annex.put(3, 0, "string", "项目")
    annex.put(3, 1, "string", "城镇新增就业")
    annex.put(3, 7, "string", "零就业家庭\n就业安置率(%)")
    annex.merged += [(3, 0, 5, 0), (3, 1, 3, 6), (3, 7, 5, 7)]
    rows.append('<Row><Cell ss:Index="2" ss:MergeAcross="2"><Data ss:Type="String">城镇人数新增就业</Data></Cell>'
                '<Cell ss:MergeAcross="2"><Data ss:Type="String">失业人员再就业</Data></Cell></Row>')
    annex.put(4, 1, "string", "城镇人数新增就业")
    annex.put(4, 4, "string", "失业人员再就业")
    annex.merged += [(4, 1, 4, 3), (4, 4, 4, 6)]
    heads = ["本月完成", "累计完成", "占全年任务"] * 2
    rows.append('<Row><Cell ss:Index="2">' + "</Cell><Cell>".join(f'<Data ss:Type="String">{h}</Data>' for h in heads) + "</Cell></Row>")
    for c, h in enumerate(heads):
        annex.put(5, c + 1, "string", h)
    units = [("全市", "3584", "40503", "0.62919999999999998", "1228", "14460", "0.6573", "1"),
             ("市本级", "-", "-", "-", "-", "-", "-", "-"),
             ("南昌县", "512", "6011", "0.5625", "0", "2120", "0", "无")]
    for r, unit in enumerate(units, start=6):
        cells = [f'<Cell><Data ss:Type="String">{unit[0]}</Data></Cell>']
        annex.put(r, 0, "string", unit[0])
        for c, v in enumerate(unit[1:], start=1):
            if v in ("-", "无"):
                cells.append(f'<Cell><Data ss:Type="String">{v}</Data></Cell>')
                annex.put(r, c, "string", v)
            else:
                style = ' ss:StyleID="pct"' if c in (3, 6, 7) else ""
                cells.append(f'<Cell{style}><Data ss:Type="Number">{v}</Data></Cell>')
                annex.put(r, c, "number", shortest(v))
        rows.append("<Row>" + "".join(cells) + "</Row>")
    rows.append('<Row ss:Index="11"><Cell ss:MergeAcross="7"><Data ss:Type="String">说明：1、表中“-”表示未安排任务。</Data></Cell></Row>')
    annex.put(10, 0, "string", "说明：1、表中“-”表示未安排任务。")
    annex.merged.append((10, 0, 10, 7))
    text = workbook(' <Style ss:ID="pct"><NumberFormat ss:Format="Percent"/></Style>\n',
                    ['<Worksheet ss:Name="就业培训一"><Table ss:ExpandedColumnCount="8" x:FullColumns="1" x:FullRows="1">'
                     + "\n".join(rows) + "</Table></Worksheet>"])
    m.write("xml/annex.xls", text.encode("utf-8"))
    m.add("xml-annex", "xml/annex.xls", "xml",
          "就业培训一 in SpreadsheetML: MergeAcross/MergeDown header, Row and Cell ss:Index gaps, &#10; line break, "
          "Percent-styled numbers as their double (0.62919999999999998 → 0.6292)", [annex], libreoffice=True)

    # Every ss:Type and the formats that decide dates.
    styles = "".join(f' <Style ss:ID="{i}"><NumberFormat ss:Format="{f}"/></Style>\n' for i, f in [
        ("date", "Short Date"), ("datetime", "General Date"), ("time", "Long Time"), ("cjk", "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"),
        ("pct", "0.00%"), ("fixed", "Fixed"), ("text", "@"), ("medium", "Medium Date")])
    styles += ' <Style ss:ID="child" ss:Parent="date"><Font ss:Bold="1"/></Style>\n'
    types = Sheet("类型")
    cells = []

    def cell(r, c, style, kind, data, expect, formula=None):
        attrs = f' ss:Index="{c + 1}"' + (f' ss:StyleID="{style}"' if style else "") + (f' ss:Formula="{formula}"' if formula else "")
        cells.append((r, f'<Cell{attrs}><Data ss:Type="{kind}">{data}</Data></Cell>'))
        if expect is not None:
            types.put(r, c, *expect)

    # Numbers: shortest double text.
    for c, (v, want) in enumerate([("3584", "3584"), ("79.739999999999995", "79.74"), ("1E+16", "10000000000000000"),
                                   ("-0", "0"), ("0.1", "0.1"), ("1.5e-5", "0.000015"), (" 42 ", "42"),
                                   ("9007199254740993", "9007199254740992")]):
        cell(0, c, None, "Number", v, n(want))
    # Numbers under formats: dates from serials as .xlsx does; percent and fixed stay numbers.
    for c, (style, v, want) in enumerate([("date", "45138", ("date", "2023-07-31")), ("date", "45138.5", ("date", "2023-07-31T12:00:00")),
                                          ("datetime", "45138", ("date", "2023-07-31T00:00:00")), ("time", "0.5", ("date", "12:00:00")),
                                          ("cjk", "45138", ("date", "2023-07-31")), ("pct", "0.6292", n("0.6292")),
                                          ("fixed", "810.06", n("810.06")), ("text", "12", n("12")), ("child", "45139", ("date", "2023-08-01")),
                                          ("medium", "61", ("date", "1900-03-01")), ("date", "59", ("date", "1900-02-28"))]):
        cell(1, c, style, "Number", v, want)
    # DateTime under each kind of format.
    for c, (style, v, want) in enumerate([("date", "2023-07-31T00:00:00.000", "2023-07-31"), ("date", "2023-07-31T08:30:00.000", "2023-07-31T08:30:00"),
                                          (None, "2023-07-31T00:00:00.000", "2023-07-31T00:00:00"), ("datetime", "2023-07-31T00:00:00.000", "2023-07-31T00:00:00"),
                                          ("time", "1899-12-31T08:30:15.000", "08:30:15"), ("datetime", "2023-07-31T08:30:15.250", "2023-07-31T08:30:15.250"),
                                          ("cjk", "2024-02-29T00:00:00.000", "2024-02-29")]):
        cell(2, c, style, "DateTime", v, ("date", want))
    # Strings, booleans, errors, rich text, a comment's Data, formulas.
    for c, (v, want) in enumerate([("  前后空格  ", "  前后空格  "), ("0012", "0012"), ("&lt;&amp;&gt;", "<&>"), ("一&#10;二", "一\n二"), ("", "")]):
        cell(3, c, None, "String", v, s(want))
    cell(4, 0, None, "Boolean", "1", ("bool", "true"))
    cell(4, 1, None, "Boolean", "0", ("bool", "false"))
    cell(4, 2, None, "Error", "#DIV/0!", ("error", "#DIV/0!"))
    cell(4, 3, None, "Error", "#N/A", ("error", "#N/A"))
    cell(4, 4, None, "Number", "7168", n("7168"), formula="=R[-4]C[-4]*2")
    cell(4, 5, None, "Number", "", None)
    cells.append((5, '<Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>粗</B><Font html:Color="#FF0000">红</Font>'
                     '<I><U>斜</U></I> 尾</ss:Data><Comment ss:Author="审核"><ss:Data xmlns="http://www.w3.org/TR/REC-html40"><B>批注不是值</B>'
                     '</ss:Data></Comment></Cell>'))
    types.put(5, 0, "string", "粗红斜 尾")
    cells.append((5, '<Cell ss:Index="3"><Comment><ss:Data>只有批注</ss:Data></Comment></Cell>'))
    rows_xml = []
    for r in range(6):
        rows_xml.append("<Row>" + "".join(x for rr, x in cells if rr == r) + "</Row>")
    text = workbook(styles, ['<Worksheet ss:Name="类型"><Table>' + "\n".join(rows_xml) + "</Table></Worksheet>"])
    m.write("xml/types.xls", text.encode("utf-8"))
    m.add("xml-types", "xml/types.xls", "xml",
          "every ss:Type: Number as the shortest double text, numbers under Short Date/General Date/Long Time/CJK/"
          "Medium Date (and a style inheriting one through ss:Parent) as dates, percent/Fixed/@ stay numbers, "
          "1900 serials 59 and 61; DateTime date-only at midnight under a date format, with time otherwise, time of "
          "day on 1899-12-31, milliseconds; strings kept with their spaces, entities and &#10;, an empty string; "
          "Boolean 1/0, Error; rich text runs joined, a <Comment>'s Data ignored; a formula cell keeps its value",
          [types], libreoffice=False,
          libreoffice_why="LibreOffice's SpreadsheetML import drops Boolean and Error cells and recomputes formulas")

    # Several worksheets, row spans, column and row styles, an unnamed and an empty sheet.
    first, second = Sheet("第一"), Sheet("Sheet2")
    first.put(0, 0, "string", "甲")
    first.put(5, 0, "string", "跳过 Span 之后")
    first.put(5, 2, "date", "2023-07-31")
    first.put(6, 1, "date", "2023-08-01")
    first.put(6, 2, "number", "5")
    second.put(0, 2, "string", "C1")
    sheets = [
        '<Worksheet ss:Name="第一"><Table><Column ss:Index="3" ss:StyleID="date"/>'
        '<Row><Cell><Data ss:Type="String">甲</Data></Cell></Row>'
        '<Row ss:Index="3" ss:Span="2"/>'
        '<Row><Cell><Data ss:Type="String">跳过 Span 之后</Data></Cell><Cell ss:Index="3"><Data ss:Type="Number">45138</Data></Cell></Row>'
        '<Row ss:StyleID="date"><Cell ss:Index="2"><Data ss:Type="Number">45139</Data></Cell>'
        '<Cell ss:StyleID="Default"><Data ss:Type="Number">5</Data></Cell></Row>'
        '</Table></Worksheet>',
        '<Worksheet><Table><Row><Cell ss:Index="3"><Data ss:Type="String">C1</Data></Cell></Row></Table></Worksheet>',
        '<Worksheet ss:Name="空"><WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Selected/></WorksheetOptions></Worksheet>',
    ]
    m.write("xml/several-sheets.xls", workbook(' <Style ss:ID="date"><NumberFormat ss:Format="Short Date"/></Style>\n', sheets).encode("utf-8"))
    m.add("xml-several-sheets", "xml/several-sheets.xls", "xml",
          "three worksheets (one without ss:Name, one empty); Row ss:Span skips rows; a Column's and a Row's "
          "ss:StyleID style the cells that name none", [first, second, Sheet("空")], libreoffice=False,
          libreoffice_why="LibreOffice applies Row/Column styles differently")

    # Encodings and prefixes.
    simple = Sheet("编码")
    simple.put(0, 0, "string", "中文 𠀀")
    simple.put(0, 1, "number", "1.5")
    simple_xml = workbook("", ['<Worksheet ss:Name="编码"><Table><Row><Cell><Data ss:Type="String">中文 𠀀</Data></Cell>'
                               '<Cell><Data ss:Type="Number">1.5</Data></Cell></Row></Table></Worksheet>'])
    m.write("xml/utf16le-bom.xls", simple_xml.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16"))
    m.add("xml-utf16le-bom", "xml/utf16le-bom.xls", "xml", "UTF-16 with BOM, a character outside the BMP", [simple], libreoffice=False,
          libreoffice_why="LibreOffice's SpreadsheetML import garbles UTF-16 text")
    m.write("xml/utf16be-no-bom.xls", simple_xml.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16BE"?>').encode("utf-16-be"))
    m.add("xml-utf16be-no-bom", "xml/utf16be-no-bom.xls", "xml", "UTF-16BE without a BOM (found by the sniffer and libxml2 from `<`)",
          [simple], libreoffice=False, libreoffice_why="LibreOffice's SpreadsheetML import reads nothing from UTF-16 without a BOM")
    m.write("xml/gb2312.xls", simple_xml.replace("𠀀", "镕").replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="GB2312"?>').encode("gb18030"))
    gb = Sheet("编码")
    gb.put(0, 0, "string", "中文 镕")
    gb.put(0, 1, "number", "1.5")
    m.add("xml-gb2312", "xml/gb2312.xls", "xml", "encoding=\"GB2312\" declared with a GBK-only character (镕), as Windows writes it: decoded as GB18030",
          [gb], libreoffice=False, libreoffice_why="LibreOffice garbles the GB2312-declared text")
    prefixed = simple_xml.replace("<Workbook ", "<ss:Workbook ").replace("</Workbook>", "</ss:Workbook>")
    for tag in ["Styles", "Style", "Alignment", "Worksheet", "Table", "Row", "Cell", "Data"]:
        prefixed = prefixed.replace(f"<{tag}", f"<ss:{tag}").replace(f"</{tag}>", f"</ss:{tag}>")
    prefixed = prefixed.replace(f'<ss:Workbook {SS}', '<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"')
    m.write("xml/prefixed.xls", prefixed.encode("utf-8"))
    m.add("xml-prefixed", "xml/prefixed.xls", "xml", "every element prefixed ss:, no default namespace", [simple], libreoffice=False,
          libreoffice_why="LibreOffice's XSLT import matches the default namespace only")

    d1904 = Sheet("1904")
    d1904.put(0, 0, "date", "2023-07-31")
    m.write("xml/date1904.xls", workbook(' <Style ss:ID="date"><NumberFormat ss:Format="Short Date"/></Style>\n',
                                         ['<Worksheet ss:Name="1904"><Table><Row><Cell ss:StyleID="date"><Data ss:Type="Number">43676</Data></Cell></Row></Table></Worksheet>'],
                                         extra='<ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><Date1904/></ExcelWorkbook>\n').encode("utf-8"))
    m.add("xml-date1904", "xml/date1904.xls", "xml", "<x:Date1904/>: serials count from 1904-01-01", [d1904], libreoffice=False,
          libreoffice_why="LibreOffice's SpreadsheetML import ignores Date1904")


# ================================================================ broken

def make_broken(m):
    m.write("broken/no-table.xls", page("<form><input name=user></form>", "<title>登录</title>").encode("utf-8"))
    m.add("html-no-table", "broken/no-table.xls", "broken", "an HTML page without a table (a login page saved as .xls)", expect="no-table")
    m.write("broken/beyond-last-column.xls", b"<table><tr><td colspan=16384>x</td><td>y</td></tr></table>")
    m.add("html-beyond-last-column", "broken/beyond-last-column.xls", "broken", "a cell after a colspan that reaches XFD", expect="columns")
    m.write("broken/invalid-gbk.xls", '<meta charset="gbk"><table><tr><td>中'.encode("gb18030") + b"\xff\xfe</td></tr></table>")
    m.add("html-invalid-gbk", "broken/invalid-gbk.xls", "broken", "a byte that is no GBK character", expect="encoding")
    m.write("broken/nested-too-deep.xls", b"<table><tr><td>" * 100)
    m.add("html-nested-too-deep", "broken/nested-too-deep.xls", "broken", "100 tables nested in each other", expect="nesting")
    rng = random.Random(12)
    m.write("broken/html-garbage.xls", b"<html>" + bytes(rng.randrange(256) for _ in range(20000)))
    m.add("html-garbage", "broken/html-garbage.xls", "broken", "<html> followed by random bytes", expect="any")
    m.write("broken/xml-no-worksheet.xls", workbook("", []).encode("utf-8"))
    m.add("xml-no-worksheet", "broken/xml-no-worksheet.xls", "broken", "a SpreadsheetML workbook without a worksheet", expect="no-worksheet")
    m.write("broken/xml-malformed.xls", workbook("", ['<Worksheet ss:Name="a"><Table><Row><Cell><Data ss:Type="String">x</Cell></Row></Table></Worksheet>']).encode("utf-8"))
    m.add("xml-malformed", "broken/xml-malformed.xls", "broken", "SpreadsheetML that is not well-formed", expect="xml")
    m.write("broken/xml-entity-expansion.xls", ('<?xml version="1.0"?><!DOCTYPE Workbook [<!ENTITY a "aaaaaaaaaa">'
                                                 '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                                                 f'<Workbook {SS}><Worksheet ss:Name="x"><Table><Row><Cell><Data ss:Type="String">&b;</Data>'
                                                 '</Cell></Row></Table></Worksheet></Workbook>').encode("utf-8"))
    m.add("xml-entity-expansion", "broken/xml-entity-expansion.xls", "broken", "a DTD declaring entities", expect="dtd")
    m.write("broken/xml-bad-number.xls", workbook("", ['<Worksheet ss:Name="数"><Table><Row><Cell><Data ss:Type="Number">1,5</Data></Cell></Row></Table></Worksheet>']).encode("utf-8"))
    m.add("xml-bad-number", "broken/xml-bad-number.xls", "broken", "a Number cell whose text is no number", expect="number")


# ============================================================ seed + LibreOffice

def make_seed(m):
    sample = os.path.join(HERE, "..", "..", "samples", "annexes", "2023-07-社会保险二.xlsx")
    wb = openpyxl.load_workbook(sample)
    render_legacy_text.render_html(wb, m.path("seed/社会保险二-html.xls"))
    render_legacy_text.render_spreadsheetml(wb, m.path("seed/社会保险二-spreadsheetml.xls"))
    m.add("seed-html", "seed/社会保险二-html.xls", "seed", "samples/annexes/2023-07-社会保险二.xlsx rendered as an OA HTML table", source=sample,
          libreoffice=False, libreoffice_why="LibreOffice puts each <br> line of the header in a row of its own")
    m.add("seed-spreadsheetml", "seed/社会保险二-spreadsheetml.xls", "seed", "the same sample as SpreadsheetML 2003", source=sample,
          libreoffice=True)


def convert_with_libreoffice(m):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        die("LibreOffice (soffice) not found: it makes the cross-check files")
    chosen = [e for e in m.entries if e.get("libreoffice") is True]
    with tempfile.TemporaryDirectory() as work:
        inputs = []
        for entry in chosen:
            # A plain name per file: LibreOffice names its output after the input.
            copy = os.path.join(work, "in", entry["name"] + ".xls")
            os.makedirs(os.path.dirname(copy), exist_ok=True)
            shutil.copy(os.path.join(m.outdir, entry["file"]), copy)
            inputs.append(copy)
        result = subprocess.run([soffice, "-env:UserInstallation=file://" + os.path.join(work, "profile"), "--headless",
                                 "--convert-to", "xlsx", "--outdir", m.path("lo/x")[:-2]] + inputs,
                                capture_output=True, text=True, timeout=600)
    for entry in chosen:
        rel = f"lo/{entry['name']}.xlsx"
        if not os.path.exists(os.path.join(m.outdir, rel)):
            die(f"soffice did not convert {entry['name']}\n{result.stdout}\n{result.stderr}")
        entry["libreoffice"] = rel


class Manifest:
    def __init__(self, outdir):
        self.outdir, self.entries = outdir, []

    def path(self, rel):
        p = os.path.join(self.outdir, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def write(self, rel, data):
        with open(self.path(rel), "wb") as out:
            out.write(data)

    def add(self, name, rel, kind, proves, sheets=None, **extra):
        if not os.path.exists(os.path.join(self.outdir, rel)):
            die(f"fixture {name} was not written ({rel})")
        entry = {"name": name, "file": rel, "kind": kind, "proves": proves}
        if sheets is not None:
            entry["expected"] = {"file": rel, "sheets": [sheet.json() for sheet in sheets]}
        entry.update(extra)
        self.entries.append(entry)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    m = Manifest(sys.argv[1])
    make_html(m)
    make_spreadsheetml(m)
    make_broken(m)
    make_seed(m)
    convert_with_libreoffice(m)
    with open(m.path("manifest.json"), "w", encoding="utf-8") as out:
        json.dump({"fixtures": m.entries}, out, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
