#!/usr/bin/env python3
"""What a marked copy (`annex check --annotate`) changed in a workbook, as JSON.

    python3 compare_marked_copy.py ORIGINAL COPY MARKED_SHEET [--pages ADDED_SHEET_MARKER]

- `unexpected`: zip members whose bytes changed, or that disappeared, other than those a mark may
  rewrite: [Content_Types].xml, the workbook and its relationships, styles, and MARKED_SHEET's
  worksheet part, relationships, comments and VML drawing (found through the relationships).
- `changed`, `added`: members that changed, and new members.
- `cells`: cells of the original sheets whose value or style (font, border, alignment, number format,
  protection) differ in the copy, as `sheet!cell: what`; fills are reported apart, in `fills`
  (`sheet!cell: fgColor`), for every cell whose fill changed.
- `comments`: `sheet!cell: text` of the copy's comments; `lostComments`: original comments whose
  text the copy's comment does not start with.
- `layout`: differences in merged ranges, column widths, print titles, page setup, freeze panes,
  data validations, defined names.
- with `--pages`: `pages` = [pages of the original's PDF, pages of the copy's PDF before the first
  page whose text holds ADDED_SHEET_MARKER], as LibreOffice renders them (pdfinfo, pdftotext).
"""
import json
import os
import posixpath
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

REL = '{http://schemas.openxmlformats.org/package/2006/relationships}Relationship'
MAIN = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
R_ID = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id'


def rels(z, part):
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, '_rels', name + '.rels')
    if path not in z.namelist():
        return path, {}
    out = {}
    for r in ET.fromstring(z.read(path)).iter(REL):
        if r.get('TargetMode') != 'External':
            target = r.get('Target')
            out[r.get('Id')] = (r.get('Type').rsplit('/', 1)[-1],
                                target.lstrip('/') if target.startswith('/') else posixpath.normpath(posixpath.join(folder, target)))
    return path, out


def allowed_parts(z, marked):
    _, root = rels(z, '')
    workbook = next(t for k, t in root.values() if k == 'officeDocument')
    wb_rels_path, wb_rels = rels(z, workbook)
    allowed = {'[Content_Types].xml', workbook, wb_rels_path}
    allowed |= {t for k, t in wb_rels.values() if k == 'styles'}
    for sheet in ET.fromstring(z.read(workbook)).iter(MAIN + 'sheet'):
        if sheet.get('name') == marked:
            part = wb_rels[sheet.get(R_ID)][1]
            sheet_rels_path, sheet_rels = rels(z, part)
            allowed |= {part, sheet_rels_path}
            allowed |= {t for k, t in sheet_rels.values() if k in ('comments', 'vmlDrawing')}
    return allowed


def compare_parts(original, copy, marked):
    with zipfile.ZipFile(original) as a, zipfile.ZipFile(copy) as b:
        allowed = allowed_parts(a, marked)
        names_b = set(b.namelist())
        changed = sorted(n for n in a.namelist() if n not in names_b or a.read(n) != b.read(n))
        added = sorted(names_b - set(a.namelist()))
    return {'changed': changed, 'added': added, 'unexpected': [n for n in changed if n not in allowed]}


def compare_cells(original, copy):
    import openpyxl
    a, b = openpyxl.load_workbook(original), openpyxl.load_workbook(copy)
    cells, fills, comments, lost, layout = {}, {}, {}, [], []
    if sorted(str(d) for d in a.defined_names.values()) != sorted(str(d) for d in b.defined_names.values()):
        layout.append('defined names')
    for ws in a.worksheets:
        wc = b[ws.title]
        for attribute in ('print_title_rows', 'print_title_cols', 'freeze_panes'):
            if getattr(ws, attribute) != getattr(wc, attribute):
                layout.append(f'{ws.title}: {attribute}')
        for attribute in ('orientation', 'paperSize', 'fitToWidth', 'fitToHeight', 'scale'):
            if getattr(ws.page_setup, attribute) != getattr(wc.page_setup, attribute):
                layout.append(f'{ws.title}: page_setup.{attribute}')
        if sorted(map(str, ws.merged_cells.ranges)) != sorted(map(str, wc.merged_cells.ranges)):
            layout.append(f'{ws.title}: merged')
        if {k: d.width for k, d in ws.column_dimensions.items()} != {k: d.width for k, d in wc.column_dimensions.items()}:
            layout.append(f'{ws.title}: column widths')
        if [(str(v.sqref), v.formula1) for v in ws.data_validations.dataValidation] != \
           [(str(v.sqref), v.formula1) for v in wc.data_validations.dataValidation]:
            layout.append(f'{ws.title}: data validations')
        rows = max(ws.max_row, wc.max_row)
        columns = max(ws.max_column, wc.max_column)
        for r in range(1, rows + 1):
            for c in range(1, columns + 1):
                x, y = ws.cell(r, c), wc.cell(r, c)
                key = f'{ws.title}!{x.coordinate}'
                # Style proxies of two workbooks do not compare equal: compare their descriptions.
                for attribute in ('value', 'font', 'border', 'alignment', 'number_format', 'protection'):
                    if repr(getattr(x, attribute)) != repr(getattr(y, attribute)):
                        cells[key] = attribute
                if repr(x.fill) != repr(y.fill):
                    fills[key] = y.fill.fgColor.rgb if y.fill.fill_type == 'solid' else str(y.fill.fill_type)
                if y.comment:
                    comments[key] = y.comment.text
                if x.comment and not (y.comment and y.comment.text.startswith(x.comment.text)):
                    lost.append(key)
    return {'cells': cells, 'fills': fills, 'comments': comments, 'lostComments': lost, 'layout': layout}


def pdf(path, outdir):
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(['soffice', f'-env:UserInstallation=file://{profile}', '--headless', '--convert-to', 'pdf',
                        '--outdir', outdir, path], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    out = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + '.pdf')
    if not os.path.exists(out):
        sys.exit(f'soffice did not render {path}')
    return out


def page_count(path):
    info = subprocess.run(['pdfinfo', path], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith('Pages:')))


def pages(original, copy, marker):
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        before = page_count(pdf(original, a))
        rendered = pdf(copy, b)
        text = subprocess.run(['pdftotext', '-layout', rendered, '-'], check=True, capture_output=True, text=True).stdout
        texts = text.split('\f')
        first = next((i for i, t in enumerate(texts) if marker in t), len(texts))
        return [before, first, page_count(rendered)]


def main():
    original, copy, marked = sys.argv[1:4]
    report = compare_parts(original, copy, marked)
    report.update(compare_cells(original, copy))
    if '--pages' in sys.argv:
        report['pages'] = pages(original, copy, sys.argv[sys.argv.index('--pages') + 1])
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == '__main__':
    main()
