#!/usr/bin/env python3
"""Renders an .xlsx workbook (read with openpyxl) as the two text "xls" files government web systems
export: an HTML table saved as .xls (merges as rowspan/colspan, line breaks as <br>, GBK with a meta
charset, numbers as shown) and SpreadsheetML 2003 (merges as ss:MergeAcross/ss:MergeDown, cells after
a gap positioned with ss:Index, number formats as styles).

    python3 render_legacy_text.py IN.xlsx OUT-html.xls OUT-spreadsheetml.xls

Percent cells are written the way each exporter writes them: in HTML as the text a person sees
(`100.66%`, what OA systems print), in SpreadsheetML as the number with a `Percent` style.
"""
import datetime
import html
import sys
from xml.sax.saxutils import escape, quoteattr

import openpyxl


def merged_map(ws):
    """(top-left → (rows, columns)) and the set of covered cells of each merged range."""
    anchors, covered = {}, set()
    for rng in ws.merged_cells.ranges:
        anchors[(rng.min_row, rng.min_col)] = (rng.max_row - rng.min_row + 1, rng.max_col - rng.min_col + 1)
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                if (r, c) != (rng.min_row, rng.min_col):
                    covered.add((r, c))
    return anchors, covered


def shown_number(value, number_format):
    """The text Excel shows for a number under the formats the samples use."""
    if number_format.endswith('%'):
        decimals = len(number_format.split('.')[1]) - 1 if '.' in number_format else 0
        return f'{value * 100:.{decimals}f}%'
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def render_html(wb, path):
    parts = ['<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
             f'<title>{html.escape(wb.active.title)}</title></head><body>']
    for ws in wb.worksheets:
        anchors, covered = merged_map(ws)
        parts.append(f'<table border="1"><caption>{html.escape(ws.title)}</caption>')
        for r in range(1, ws.max_row + 1):
            parts.append('<tr>')
            for c in range(1, ws.max_column + 1):
                if (r, c) in covered:
                    continue
                cell = ws.cell(r, c)
                attrs = ''
                if (r, c) in anchors:
                    rows, cols = anchors[(r, c)]
                    attrs += f' rowspan="{rows}"' if rows > 1 else ''
                    attrs += f' colspan="{cols}"' if cols > 1 else ''
                value = cell.value
                if value is None:
                    text = '&nbsp;'
                elif isinstance(value, (int, float)) and not isinstance(value, bool):
                    text = html.escape(shown_number(value, cell.number_format))
                else:
                    text = '<br>'.join(html.escape(line) for line in str(value).split('\n'))
                parts.append(f'<td{attrs}>{text}</td>')
            parts.append('</tr>')
        parts.append('</table>')
    parts.append('</body></html>')
    with open(path, 'wb') as out:
        out.write('\n'.join(parts).encode('gb18030'))


def render_spreadsheetml(wb, path):
    styles = {}   # number format → style id
    sheets = []
    for ws in wb.worksheets:
        anchors, covered = merged_map(ws)
        rows = []
        for r in range(1, ws.max_row + 1):
            cells, expected_column = [], 1
            for c in range(1, ws.max_column + 1):
                cell = ws.cell(r, c)
                if (r, c) in covered or (cell.value is None and (r, c) not in anchors):
                    continue
                attrs = '' if c == expected_column else f' ss:Index="{c}"'
                rows_down, cols_across = anchors.get((r, c), (1, 1))
                attrs += f' ss:MergeAcross="{cols_across - 1}"' if cols_across > 1 else ''
                attrs += f' ss:MergeDown="{rows_down - 1}"' if rows_down > 1 else ''
                value = cell.value
                data = ''
                if isinstance(value, bool):
                    data = f'<Data ss:Type="Boolean">{int(value)}</Data>'
                elif isinstance(value, (int, float)):
                    if cell.number_format not in ('General', '0'):
                        style = styles.setdefault(cell.number_format, f's{len(styles) + 62}')
                        attrs += f' ss:StyleID="{style}"'
                    data = f'<Data ss:Type="Number">{value!r}</Data>'
                elif isinstance(value, datetime.datetime):
                    data = f'<Data ss:Type="DateTime">{value.isoformat(timespec="milliseconds")}</Data>'
                elif value is not None:
                    data = f'<Data ss:Type="String">{escape(str(value)).replace(chr(10), "&#10;")}</Data>'
                cells.append(f'<Cell{attrs}>{data}</Cell>')
                expected_column = c + cols_across
            if cells:
                rows.append(f'<Row ss:Index="{r}">' + ''.join(cells) + '</Row>')
        sheets.append(f'<Worksheet ss:Name={quoteattr(ws.title)}><Table>' + '\n'.join(rows) + '</Table></Worksheet>')
    style_xml = ''.join(
        f'<Style ss:ID="{sid}"><NumberFormat ss:Format={quoteattr("Percent" if fmt == "0.00%" else fmt)}/></Style>'
        for fmt, sid in styles.items())
    document = ('<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
                'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel" '
                'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">\n'
                f'<Styles><Style ss:ID="Default" ss:Name="Normal"/>{style_xml}</Styles>\n' + '\n'.join(sheets) + '\n</Workbook>\n')
    with open(path, 'w', encoding='utf-8') as out:
        out.write(document)


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    workbook = openpyxl.load_workbook(sys.argv[1])
    render_html(workbook, sys.argv[2])
    render_spreadsheetml(workbook, sys.argv[3])
