#!/usr/bin/env python3
"""District returns for `annex check --annotate`, written by other programs.

    python3 make_annotate_fixtures.py SEED.csv OUTDIR

SEED.csv is the 就业培训二 seed as Excel exports it (seed_export.py employment-training-2). Writes
OUTDIR/openpyxl.xlsx, OUTDIR/xlsxwriter.xlsx and OUTDIR/libreoffice.xlsx (the openpyxl workbook
saved again by LibreOffice Calc). Each has what a district's workbook has and a marked copy must
keep: fonts, borders, fills, number formats, alignment, merged headers, column widths, print setup
(landscape, one page wide, print titles), a theme, defined names, a data validation, a second sheet,
and two notes: on A1 (not flagged) and on B18 (flagged: annex's text is appended). It also carries
the check's findings: 红谷滩区 1351 ≠ 651 + 900 (B18), the total (B5), a retitled header (C4) and a
figure with three decimals (D8).
"""
import csv
import os
import subprocess
import sys
import tempfile

MERGES = ['A1:Q1', 'A2:Q2', 'A3:A4', 'B3:D3', 'E3:G3', 'H3:J3', 'K3:M3', 'N3:N4', 'O3:Q3']


def grid(seed):
    rows = list(csv.reader(open(seed, encoding='utf-8-sig')))
    out = []
    for row in rows:
        values = []
        for text in row:
            if text == '':
                values.append(None)
                continue
            try:
                values.append(float(text) if '.' in text else int(text))
            except ValueError:
                values.append(text)
        out.append(values)
    out[3][2] = '累计'      # C4: 累计完成 retitled (header-mismatch, a warning)
    out[7][3] = 54.805      # D8: three decimals (decimals, a warning)
    return out


def with_openpyxl(rows, path):
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation
    wb = Workbook()
    ws = wb.active
    ws.title = '就业培训二'
    thin = Side('thin')
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.font = Font(name='宋体', size=16 if r == 1 else 10, bold=r <= 4)
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
            if r <= 4:
                cell.alignment = Alignment(horizontal='center', vertical='center', wrap_text=True)
            if r == 5:
                cell.fill = PatternFill('solid', fgColor='FFDDEBF7')
            if isinstance(value, float):
                cell.number_format = '0.00'
    for rng in MERGES:
        ws.merge_cells(rng)
    ws.column_dimensions['A'].width = 14
    for letter in 'BCDEFGHIJKLMNOPQ':
        ws.column_dimensions[letter].width = 9
    ws.row_dimensions[1].height = 30
    ws.page_setup.orientation = 'landscape'
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = '3:4'
    ws.freeze_panes = 'B5'
    validation = DataValidation(type='decimal', operator='greaterThanOrEqual', formula1='0', allow_blank=True)
    validation.add('B5:Q21')
    ws.add_data_validation(validation)
    ws['A1'].comment = Comment('表头请勿修改', '市人社局')
    ws['B18'].comment = Comment('请核对本月数', '市人社局')
    notes = wb.create_sheet('说明')
    notes['A1'] = '本工作簿由区县报送'
    notes['A1'].font = Font(name='黑体', size=14, color='FFC00000')
    wb.defined_names['填报单位'] = DefinedName('填报单位', attr_text="'就业培训二'!$A$5:$A$21")
    wb.save(path)


def with_xlsxwriter(rows, path):
    import xlsxwriter
    from xlsxwriter.utility import xl_cell_to_rowcol
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet('就业培训二')
    header = wb.add_format({'font_name': '宋体', 'bold': True, 'border': 1, 'align': 'center', 'valign': 'vcenter', 'text_wrap': True})
    title = wb.add_format({'font_name': '宋体', 'bold': True, 'font_size': 16, 'align': 'center'})
    body = wb.add_format({'font_name': '宋体', 'font_size': 10, 'border': 1})
    decimal = wb.add_format({'font_name': '宋体', 'font_size': 10, 'border': 1, 'num_format': '0.00'})
    total = wb.add_format({'font_name': '宋体', 'font_size': 10, 'border': 1, 'bg_color': '#DDEBF7'})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            style = title if r == 0 else header if r <= 3 else total if r == 4 else decimal if isinstance(value, float) else body
            if value is None:
                ws.write_blank(r, c, None, style)
            else:
                ws.write(r, c, value, style)
    for rng in MERGES:
        r, c = xl_cell_to_rowcol(rng.split(':')[0])
        ws.merge_range(rng, rows[r][c], title if r == 0 else header)
    ws.set_column('A:A', 14)
    ws.set_column('B:Q', 9)
    ws.set_row(0, 30)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(2, 3)
    ws.freeze_panes(4, 1)
    ws.data_validation('B5:Q21', {'validate': 'decimal', 'criteria': '>=', 'value': 0})
    ws.write_comment('A1', '表头请勿修改', {'author': '市人社局'})
    ws.write_comment('B18', '请核对本月数', {'author': '市人社局'})
    notes = wb.add_worksheet('说明')
    notes.write('A1', '本工作簿由区县报送', wb.add_format({'font_name': '黑体', 'font_size': 14, 'font_color': '#C00000'}))
    wb.define_name('填报单位', "='就业培训二'!$A$5:$A$21")
    wb.close()


def with_libreoffice(source, path):
    """`source` saved again by LibreOffice Calc; soffice exits 0 even when it fails, so the output is checked."""
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as outdir:
        subprocess.run(['soffice', f'-env:UserInstallation=file://{profile}', '--headless', '--convert-to',
                        'xlsx:Calc MS Excel 2007 XML', '--outdir', outdir, source],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        converted = os.path.join(outdir, os.path.basename(source))
        if not os.path.exists(converted):
            sys.exit(f'soffice did not convert {source}')
        os.replace(converted, path)


def main():
    seed, outdir = sys.argv[1], sys.argv[2]
    os.makedirs(outdir, exist_ok=True)
    rows = grid(seed)
    with_openpyxl(rows, os.path.join(outdir, 'openpyxl.xlsx'))
    with_xlsxwriter(rows, os.path.join(outdir, 'xlsxwriter.xlsx'))
    with tempfile.TemporaryDirectory() as scratch:
        source = os.path.join(scratch, 'libreoffice.xlsx')
        with_openpyxl(rows, source)
        with_libreoffice(source, os.path.join(outdir, 'libreoffice.xlsx'))


if __name__ == '__main__':
    main()
