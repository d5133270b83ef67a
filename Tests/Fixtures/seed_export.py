#!/usr/bin/env python3
"""Writes a template's seed table as Excel would export the printed annex to CSV.

    seed_export.py TEMPLATE_ID OUT.csv [--encoding utf-8-sig|gb18030] [--templates DIR] [--seed-tables DIR]

Lines above the header (placeholders filled for 2023-07 / 2024, department 601), the header block with
each merged cell's text only in its first cell (as Excel exports merges), the column-number row of budget
tables, the seed's data rows verbatim from Tests/Fixtures/seed-tables/ID.tsv, then the footnotes.
"""
import argparse, csv, json, os, re

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser()
parser.add_argument('template'); parser.add_argument('out')
parser.add_argument('--encoding', default='utf-8-sig')
parser.add_argument('--templates', default=os.path.join(here, '..', '..', 'templates'))
parser.add_argument('--seed-tables', default=os.path.join(here, 'seed-tables'))
args = parser.parse_args()

template = json.load(open(os.path.join(args.templates, args.template + '.json'), encoding='utf-8'))
year = '2023' if template['period'] == 'month' else ('2021' if template['id'] == 'employment-targets' else '2024')

def fill(text):
    return (text.replace('{year}', year).replace('{month}', '7')
                .replace('{deptCode}', '601').replace('{deptName}', '南昌市人力资源和社会保障局'))

def origin(a1):
    m = re.match(r'([A-Z]+)(\d+)', a1.split(':')[0])
    column = 0
    for ch in m.group(1):
        column = column * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, column - 1

rows = [[fill(line['text'])] for line in template['lines']]
header = template['header']
block = [[''] * 64 for _ in range(header['rows'])]
width = 0
for cell in header['cells']:
    r, c = origin(cell['range'])
    block[r][c] = fill(cell['text'])
    last = cell['range'].split(':')[-1]
    width = max(width, origin(last)[1] + 1)
rows += [r[:width] for r in block]
if header.get('numberRow'):
    rows.append(header['numberRow'])
with open(os.path.join(args.seed_tables, args.template + '.tsv'), encoding='utf-8') as tsv:
    rows += [line.rstrip('\n').split('\t') for line in tsv if line.strip()]
rows += [[f] for f in template.get('footnotes', [])]
with open(args.out, 'w', newline='', encoding=args.encoding) as out:
    csv.writer(out, lineterminator='\r\n').writerows(rows)
