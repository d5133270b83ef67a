#!/usr/bin/env python3
"""Legacy .xls fixtures: python3 make_xls_fixtures.py OUTDIR

Creates OUTDIR/{xls,xlsx-source,broken}/ and OUTDIR/manifest.json (see README.md, "Legacy .xls"):
  - BIFF8 written by LibreOffice ("MS Excel 97") from workbooks made with openpyxl, among them
    one of formulas whose texts must come back as the xlsx has them, and one with custom
    document properties,
  - BIFF8 written by xlwt (RK numbers, LABELSST, BOOLERR, MULBLANK; formulas from xlwt.Formula),
  - BIFF8 and BIFF5/7 streams written record by record here, in a compound file written here too
    (LibreOffice can no longer write BIFF5): CONTINUE-split SST strings that switch between
    compressed and UTF-16, rich-text and phonetic blocks, MULRK with the four RK encodings,
    LABEL/RSTRING, cells out of order, chart substreams and chart sheets, code pages 936 and
    1252, 4096-byte sectors, a DIFAT beyond the header, a workbook small enough for the mini stream,
    custom document properties in a UTF-16 property set and in a broken one,
  - broken compound files and workbooks that must get a clear error.
Every fixture of kind "xls" is checked here to be readable by xlrd. Needs openpyxl, xlwt, xlrd
and LibreOffice (`soffice`); fails (exit 1) when one is missing or a step writes nothing.
"""

import datetime
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
import xlrd
import xlwt


def die(msg):
    sys.stderr.write("make_xls_fixtures.py: " + msg + "\n")
    sys.exit(1)


class Manifest:
    def __init__(self, outdir):
        self.outdir = outdir
        self.fixtures = []

    def path(self, rel):
        p = os.path.join(self.outdir, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        return p

    def add(self, name, rel, kind, maker, proves, **extra):
        if kind == "xls":
            try:
                xlrd.open_workbook(os.path.join(self.outdir, rel), formatting_info=True)
            except Exception as e:   # the fixture itself is wrong
                die("xlrd cannot read %s: %r" % (rel, e))
        self.fixtures.append(dict(name=name, file=rel, kind=kind, maker=maker, proves=proves, **extra))

    def write(self):
        with open(os.path.join(self.outdir, "manifest.json"), "w", encoding="utf-8") as f:
            json.dump({"fixtures": self.fixtures}, f, ensure_ascii=False, indent=1)


# =============================================================== compound file (MS-CFB)

FREE, END, FATSECT, DIFSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC


def compound_file(streams, sector_size=512, layout=None):
    """A compound file holding `streams` ([(name, bytes)]) as children of the root storage.
    Streams under 4096 bytes go to the mini stream. `layout`, when a dict, receives each regular
    stream's sector chain and the FAT's position, for the broken variants."""
    ss = sector_size
    per = ss // 4
    mini = bytearray()
    minifat = []
    entries = []          # (name, type, start, size)
    regular = []          # (name, data)
    for name, data in streams:
        if len(data) < 4096:
            start = len(mini) // 64 if data else END
            n = (len(data) + 63) // 64
            for k in range(n):
                minifat.append(len(minifat) + 1 if k < n - 1 else END)
            mini += data + b"\0" * (n * 64 - len(data))
            entries.append((name, 2, start, len(data)))
        else:
            regular.append((name, data))
            entries.append((name, 2, None, len(data)))
    sectors = []          # sector contents (bytes), in order
    fat = []

    def put(data):
        """Appends data as a chain of consecutive sectors; returns the first sector."""
        n = max(1, (len(data) + ss - 1) // ss)
        first = len(sectors)
        for k in range(n):
            sectors.append(data[k * ss:(k + 1) * ss].ljust(ss, b"\0"))
            fat.append(first + k + 1 if k < n - 1 else END)
        return first

    chains = {}
    for i, (name, typ, start, size) in enumerate(entries):
        if start is None:
            data = dict(regular)[name]
            first = put(data)
            chains[name] = list(range(first, first + (len(data) + ss - 1) // ss))
            entries[i] = (name, typ, first, size)
    mini_start = put(bytes(mini)) if mini else END
    minifat_bytes = b"".join(struct.pack("<I", x) for x in minifat)
    minifat_start = put(minifat_bytes) if minifat else END
    # Directory: root, then each stream; the root's child is entry 1 and each entry's right sibling
    # the next one (a degenerate but valid tree).
    dirents = []

    def dirent(name, typ, left, right, child, start, size):
        raw = name.encode("utf-16-le")
        return (raw + b"\0" * (64 - len(raw)) + struct.pack("<HBB", len(raw) + 2, typ, 1)
                + struct.pack("<III", left, right, child) + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
                + struct.pack("<IQ", start, size))

    dirents.append(dirent("Root Entry", 5, FREE, FREE, 1 if entries else FREE, mini_start, len(mini)))
    for i, (name, typ, start, size) in enumerate(entries):
        right = i + 2 if i + 1 < len(entries) else FREE
        dirents.append(dirent(name, typ, FREE, right, FREE, start, size))
    directory = b"".join(dirents)
    directory += b"\0" * ((-len(directory)) % ss)
    dir_start = put(directory)
    # FAT and DIFAT sectors: enough to map every sector including themselves.
    n_fat = n_difat = 0
    while True:
        total = len(sectors) + n_fat + n_difat
        need_fat = (total + per - 1) // per
        need_difat = 0 if need_fat <= 109 else (need_fat - 109 + per - 2) // (per - 1)
        if (need_fat, need_difat) == (n_fat, n_difat):
            break
        n_fat, n_difat = need_fat, need_difat
    fat_first = len(sectors)
    fat_sectors = list(range(fat_first, fat_first + n_fat))
    difat_sectors = list(range(fat_first + n_fat, fat_first + n_fat + n_difat))
    fat += [FATSECT] * n_fat + [DIFSECT] * n_difat
    fat += [FREE] * (n_fat * per - len(fat))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)
    for k in range(n_fat):
        sectors.append(fat_bytes[k * ss:(k + 1) * ss])
    rest = fat_sectors[109:]
    for k in range(n_difat):
        chunk = rest[k * (per - 1):(k + 1) * (per - 1)]
        chunk += [FREE] * (per - 1 - len(chunk))
        nxt = difat_sectors[k + 1] if k + 1 < n_difat else END
        sectors.append(b"".join(struct.pack("<I", x) for x in chunk + [nxt]))
    head_difat = fat_sectors[:109] + [FREE] * (109 - min(109, n_fat))
    header = (bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 16
              + struct.pack("<HHHHHH", 0x3E, 3 if ss == 512 else 4, 0xFFFE, 9 if ss == 512 else 12, 6, 0)
              + b"\0" * 4 + struct.pack("<I", 0 if ss == 512 else len(directory) // ss)
              + struct.pack("<III", n_fat, dir_start, 0)
              + struct.pack("<IIIII", 4096, minifat_start, len(minifat_bytes) and (len(minifat_bytes) + ss - 1) // ss,
                            difat_sectors[0] if n_difat else END, n_difat)
              + b"".join(struct.pack("<I", x) for x in head_difat))
    header = header.ljust(ss, b"\0")
    if layout is not None:
        layout.update(chains=chains, fat_sectors=fat_sectors, sector_size=ss, fat=list(fat))
    return header + b"".join(sectors)


def sector_offset(layout, sector):
    return (sector + 1) * layout["sector_size"]


def patch_fat(blob, layout, sector, value):
    """Sets FAT entry `sector` to `value` in the file bytes."""
    per = layout["sector_size"] // 4
    at = sector_offset(layout, layout["fat_sectors"][sector // per]) + 4 * (sector % per)
    return blob[:at] + struct.pack("<I", value) + blob[at + 4:]


# =============================================================== BIFF records (MS-XLS)

def rec(rtype, data=b""):
    return struct.pack("<HH", rtype, len(data)) + data


def u16str8(s):
    """ShortXLUnicodeString: 8-bit count, flags, characters (compressed when all are Latin-1)."""
    if all(ord(ch) < 256 for ch in s):
        return struct.pack("<BB", len(s), 0) + s.encode("latin-1")
    return struct.pack("<BB", len(s), 1) + s.encode("utf-16-le")


def u16str16(s):
    if all(ord(ch) < 256 for ch in s):
        return struct.pack("<HB", len(s), 0) + s.encode("latin-1")
    return struct.pack("<HB", len(s), 1) + s.encode("utf-16-le")


def bytes8(b):
    return struct.pack("<B", len(b)) + b


def bytes16(b):
    return struct.pack("<H", len(b)) + b


def rk_int(n):
    return (n << 2 | 2) & 0xFFFFFFFF


def rk_int100(n):           # the value is n / 100
    return (n << 2 | 3) & 0xFFFFFFFF


def rk_float(x):            # x must survive losing the low 34 bits of its double
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    assert bits & 0x3FFFFFFFF == 0, x
    return (bits >> 32) & 0xFFFFFFFC


def rk_float100(x):         # the value is x / 100
    return rk_float(x) | 1


class BIFFWriter:
    """A workbook stream: globals (fonts, formats, XFs, sheets, SST), then the sheets' substreams."""

    def __init__(self, biff8=True, codepage=None, datemode=0, formats=(), xf_formats=(0,),
                 extra_globals=b""):
        self.biff8 = biff8
        self.codepage = codepage if codepage is not None else (1200 if biff8 else 1252)
        self.datemode = datemode
        self.formats = list(formats)           # [(id, code)]
        self.xf_formats = list(xf_formats)     # cell XFs after the 16 style XFs: format id each
        self.sheets = []                       # (name, type, substream bytes)
        self.sst = None                        # raw SST+CONTINUE records, or None
        self.extra_globals = extra_globals

    def text(self, s):
        return s.encode({936: "gbk", 1252: "cp1252"}.get(self.codepage, "cp1252"))

    def string8(self, s):
        return u16str8(s) if self.biff8 else bytes8(self.text(s))

    def string16(self, s):
        return u16str16(s) if self.biff8 else bytes16(self.text(s))

    def xf(self, index):
        """The XF index of the index-th cell style."""
        return 16 + index

    def add_sheet(self, name, records, sheet_type=0, visibility=0):
        self.sheets.append((name, sheet_type, visibility, records))

    def bof(self, kind):
        if self.biff8:
            return rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0x41, 0x06))
        return rec(0x0809, struct.pack("<HHHH", 0x0500, kind, 0x0DBB, 0x07CC))

    def font(self):
        name = "Arial"
        head = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0)
        return rec(0x0031, head + (u16str8(name) if self.biff8 else bytes8(name.encode())))

    def xf_record(self, fmt, style):
        prot = 0xFFF5 if style else 0x0001   # fStyle bit 2 and parent 0xFFF for style XFs
        if self.biff8:
            return rec(0x00E0, struct.pack("<HHHBBBBIiH", 0, fmt, prot, 0x20, 0, 0, 0, 0, 0, 0x20C0))
        return rec(0x00E0, struct.pack("<HHHBBIi", 0, fmt, prot, 0x20, 0, 0, 0))

    def stream(self):
        globals_head = self.bof(0x0005)
        globals_head += rec(0x0042, struct.pack("<H", self.codepage))
        globals_head += rec(0x0022, struct.pack("<H", self.datemode))
        globals_head += self.extra_globals
        for _ in range(5):
            globals_head += self.font()
        for fid, code in self.formats:
            globals_head += rec(0x041E, struct.pack("<H", fid) + (u16str16(code) if self.biff8 else bytes8(self.text(code))))
        for _ in range(16):
            globals_head += self.xf_record(0, True)
        for fmt in self.xf_formats:
            globals_head += self.xf_record(fmt, False)

        def boundsheets(offsets):
            out = b""
            for (name, stype, vis, _), off in zip(self.sheets, offsets):
                out += rec(0x0085, struct.pack("<IBB", off, vis, stype) + self.string8(name))
            return out

        tail = (self.sst or b"") + rec(0x000A)
        size = len(globals_head) + len(boundsheets([0] * len(self.sheets))) + len(tail)
        offsets = []
        subs = b""
        for name, stype, vis, records in self.sheets:
            offsets.append(size + len(subs))
            kind = {0: 0x0010, 2: 0x0020, 1: 0x0040}[stype]
            subs += self.bof(kind) + records + rec(0x000A)
        return globals_head + boundsheets(offsets) + tail + subs

    def workbook(self, sector_size=512, layout=None, pad_to=0):
        data = self.stream()
        data += b"\0" * max(0, pad_to - len(data))
        return compound_file([("Workbook" if self.biff8 else "Book", data)], sector_size, layout)


def sst_records(pieces, total, unique):
    """SST then CONTINUE records: `pieces` is a list of byte strings, each the body of one record
    (the first one after the two counts), cut where the test wants the boundaries."""
    out = rec(0x00FC, struct.pack("<II", total, unique) + pieces[0])
    for p in pieces[1:]:
        out += rec(0x003C, p)
    return out


def cell_head(r, c, xf):
    return struct.pack("<HHH", r, c, xf)


def number(r, c, xf, x):
    return rec(0x0203, cell_head(r, c, xf) + struct.pack("<d", x))


def rk(r, c, xf, v):
    return rec(0x027E, cell_head(r, c, xf) + struct.pack("<I", v))


def mulrk(r, c, pairs):
    body = struct.pack("<HH", r, c) + b"".join(struct.pack("<HI", xf, v) for xf, v in pairs)
    return rec(0x00BD, body + struct.pack("<H", c + len(pairs) - 1))


def labelsst(r, c, xf, i):
    return rec(0x00FD, cell_head(r, c, xf) + struct.pack("<I", i))


def boolerr(r, c, xf, value, is_error):
    return rec(0x0205, cell_head(r, c, xf) + struct.pack("<BB", value, is_error))


def formula(r, c, xf, result):
    """A FORMULA whose parsed expression is `=1` (ptgInt); `result` is the 8 cached bytes."""
    return rec(0x0006, cell_head(r, c, xf) + result + struct.pack("<HIH", 0, 0, 3) + b"\x1E\x01\x00")


def f_number(x):
    return struct.pack("<d", x)


def f_tagged(kind, value=0):
    return struct.pack("<BBBBHH", kind, 0, value, 0, 0, 0xFFFF)


def mergedcells(ranges):
    return rec(0x00E5, struct.pack("<H", len(ranges)) + b"".join(struct.pack("<HHHH", *r) for r in ranges))


def blank(r, c, xf):
    return rec(0x0201, cell_head(r, c, xf))


def mulblank(r, c, n, xf):
    return rec(0x00BE, struct.pack("<HH", r, c) + struct.pack("<H", xf) * n + struct.pack("<H", c + n - 1))


def chart_substream(w):
    """An embedded chart: a BOF … EOF substream inside a worksheet, whose records are not cells."""
    return w.bof(0x0020) + number(0, 0, 15, 99) + rec(0x000A)


# =============================================================== hand-made BIFF8

def make_handmade_biff8(m):
    w = BIFFWriter(formats=[(164, "yyyy-mm-dd"), (165, "0.00%")], xf_formats=[0, 164, 165, 14, 20])
    general, ymd, pct, d14, hm = (w.xf(k) for k in range(5))
    # The SST: string 2 crosses the first CONTINUE boundary while switching from UTF-16 to compressed
    # (the continuation's flags byte says so); string 3 crosses as compressed -> UTF-16; string 4
    # has rich-text runs and a phonetic block, its second run starting the third record; string 5's
    # header ends exactly at a boundary, so its characters start with a flags byte.
    s0 = u16str16("全市")
    s1 = u16str16("plain")
    s2_text = "就业" + "ab"            # UTF-16 for 就业, then compressed "ab" after the boundary
    s2_head = struct.pack("<HB", len(s2_text), 1) + "就业".encode("utf-16-le")
    s3_text = "xy" + "培训"
    s3_head = struct.pack("<HB", len(s3_text), 0) + b"xy"
    s4_text = "富文本"
    s4 = struct.pack("<HBHI", len(s4_text), 0x0D, 2, 6) + s4_text.encode("utf-16-le")
    s4_runs = struct.pack("<HHHH", 0, 1, 2, 0)
    s4_phonetic = b"\x01\x00\x02\x00\x00\x00"
    s5_text = "边界"
    s5_head = struct.pack("<HB", len(s5_text), 1)
    pieces = [
        s0 + s1 + s2_head,
        b"\x00" + b"ab" + s3_head,
        b"\x01" + "培训".encode("utf-16-le") + s4 + s4_runs[:4],
        s4_runs[4:] + s4_phonetic + s5_head,
        b"\x01" + s5_text.encode("utf-16-le") + u16str16("") + u16str16("末尾 tail"),
    ]
    strings = ["全市", "plain", s2_text, s3_text, s4_text, s5_text, "", "末尾 tail"]
    w.sst = sst_records(pieces, 20, len(strings))
    cells = b""
    cells += rec(0x0200, struct.pack("<IIHHH", 0, 6, 0, 8, 0))       # DIMENSIONS (a hint only)
    cells += rec(0x0208, struct.pack("<HHHHHHI", 0, 0, 8, 0xFF, 0, 0, 0x100))
    # Row 0: strings, written right to left (cells out of order inside a row block).
    for c in range(7, -1, -1):
        cells += labelsst(0, c, general, c)
    # Row 2 before row 1, inside the same block.
    cells += mulrk(2, 1, [(general, rk_int(-5)), (general, rk_int100(12345)),
                          (general, rk_float(0.5)), (general, rk_float100(3.0)), (pct, rk_int100(10092))])
    cells += rk(2, 0, general, rk_int(536870911))
    cells += number(1, 0, general, 0.1)
    cells += number(1, 1, general, 1e16)
    cells += number(1, 2, general, -0.0)
    cells += number(1, 3, general, 5e-324)
    cells += number(1, 4, ymd, 45138.0)                 # 2023-07-31
    cells += number(1, 5, d14, 45138.5)                 # noon under a date-only format
    cells += number(1, 6, hm, 0.3958333333333333)       # 09:30 as a time
    cells += number(1, 7, general, 79.74)
    cells += blank(1, 8, general) + mulblank(2, 8, 3, general)
    cells += rec(0x00D7, struct.pack("<I", 0))          # DBCELL closes the block
    cells += boolerr(3, 0, general, 1, 0) + boolerr(3, 1, general, 0, 0)
    for k, code in enumerate([0x00, 0x07, 0x0F, 0x17, 0x1D, 0x24, 0x2A]):
        cells += boolerr(3, 2 + k, general, code, 1)
    cells += rec(0x0204, cell_head(4, 0, general) + u16str16("LABEL 标签"))
    cells += rec(0x00D6, cell_head(4, 1, general) + u16str16("RSTRING") + struct.pack("<H", 1) + struct.pack("<HH", 0, 1))
    cells += formula(5, 0, general, f_number(42.5))
    cells += formula(5, 1, general, f_tagged(0))
    cells += rec(0x04BC, b"\0" * 12)                    # SHRFMLA between a FORMULA and its STRING
    cells += rec(0x0207, u16str16("公式文本"))
    cells += formula(5, 2, general, f_tagged(1, 1))
    cells += formula(5, 3, general, f_tagged(2, 0x2A))
    cells += formula(5, 4, general, f_tagged(3))
    cells += formula(5, 5, ymd, f_number(45139.0))
    cells += chart_substream(w)
    cells += labelsst(6, 0, general, 1)
    cells += mergedcells([(0, 0, 0, 2), (6, 7, 0, 1)]) + mergedcells([(3, 4, 9, 9)])
    w.add_sheet("数据", cells)
    w.add_sheet("图表", b"", sheet_type=2)
    w.add_sheet("隐藏", labelsst(0, 0, general, 0) + number(0, 1, general, 7), visibility=1)
    for name, size, kind, proves in [
        ("handmade-biff8", 512, "xls", "SST across CONTINUE records switching compressed/UTF-16 mid-string both ways, "
         "a string header ending at a boundary, rich-text runs split over two records and a phonetic block, "
         "MULRK with the four RK encodings, RK, NUMBER (0.1, 1e16, -0, 5e-324, 79.74), dates under custom "
         "and built-in formats, BOOLERR bools and every error, LABEL and RSTRING, FORMULA cached number/"
         "string (STRING after SHRFMLA)/bool/error/empty string/date, BLANK and MULBLANK give no cell, "
         "cells out of order in a row block, an embedded chart substream, a chart sheet skipped, a hidden "
         "sheet kept, two MERGEDCELLS records"),
        # xlrd places sectors as if the header took 512 bytes, so it cannot read version 4 files.
        ("handmade-biff8-4096", 4096, "xls-same-as", "the same workbook in a version-4 compound file (4096-byte sectors)"),
    ]:
        rel = "xls/%s.xls" % name
        with open(m.path(rel), "wb") as f:
            f.write(w.workbook(sector_size=size, pad_to=4096))
        m.add(name, rel, kind, "handmade", proves, **({"same_as": "xls/handmade-biff8.xls"} if kind != "xls" else {}))
    small = BIFFWriter()
    small.add_sheet("小", number(0, 0, 15, 3.25) + rk(1, 1, 15, rk_int(7)))
    rel = "xls/handmade-mini-stream.xls"
    data = small.workbook()
    with open(m.path(rel), "wb") as f:
        f.write(data)
    m.add("handmade-mini-stream", rel, "xls", "handmade", "a workbook stream under 4096 bytes, stored in the mini stream through the mini FAT")
    # Over 109 FAT sectors: the FAT's own sector list continues in DIFAT sectors.
    big = BIFFWriter()
    big.add_sheet("Sheet1", number(0, 0, 15, 1.5) + number(1, 0, 15, 2.5))
    rel = "xls/handmade-difat.xls"
    blob = compound_file([("Workbook", big.stream() + b"\0" * 4096), ("Padding", b"\0" * (8 << 20))])
    with open(m.path(rel), "wb") as f:
        f.write(blob)
    m.add("handmade-difat", rel, "xls", "handmade", "an 8 MiB compound file whose FAT needs DIFAT sectors beyond the header's 109 entries")
    flat = BIFFWriter()
    flat.add_sheet("Sheet1", no_row_blocks_cells())
    rel = "xls/handmade-no-row-blocks.xls"
    with open(m.path(rel), "wb") as f:
        f.write(flat.workbook())
    m.add("handmade-no-row-blocks", rel, "xls", "handmade", "17,000 cells without ROW or DBCELL records: "
          "the reader's buffer is cut at a row change once full")


# =============================================================== property sets (MS-OLEPS)

FMTID_DOC_SUMMARY = bytes.fromhex("02d5cdd59c2e1b10939708002b2cf9ae")
FMTID_USER_DEFINED = bytes.fromhex("05d5cdd59c2e1b10939708002b2cf9ae")


def property_set_stream(sections):
    """A PropertySetStream (MS-OLEPS 2.21): header, (FMTID, offset) per section, the sections."""
    head = struct.pack("<HHI16sI", 0xFFFE, 0, 0x00020006, b"\0" * 16, len(sections))
    offset = len(head) + 20 * len(sections)
    table, body = b"", b""
    for fmtid, data in sections:
        table += fmtid + struct.pack("<I", offset + len(body))
        body += data
    return head + table + body


def property_section(properties):
    """A PropertySet (MS-OLEPS 2.20) of (identifier, value bytes), each value padded to 4 bytes."""
    offset = 8 + 8 * len(properties)
    table, body = b"", b""
    for pid, data in properties:
        table += struct.pack("<II", pid, offset + len(body))
        body += data + b"\0" * (-len(data) % 4)
    return struct.pack("<II", offset + len(body), len(properties)) + table + body


def utf16_user_defined_section():
    """Code page 1200 (UTF-16): dictionary names padded to 4 bytes, VT_LPSTR as UTF-16, VT_LPWSTR,
    VT_I4, VT_BOOL. Returns the section and the texts the reader must give."""
    names = {2: "annex.period", 3: "单位", 4: "count", 5: "final", 6: "note"}
    dictionary = struct.pack("<I", len(names))
    for pid, name in names.items():
        encoded = (name + "\0").encode("utf-16-le")
        dictionary += struct.pack("<II", pid, len(name) + 1) + encoded + b"\0" * (-len(encoded) % 4)
    lpstr = "2024\0".encode("utf-16-le")
    values = [
        (0, dictionary),
        (1, struct.pack("<HHH", 0x0002, 0, 1200)),
        (2, struct.pack("<HHI", 0x001E, 0, len(lpstr)) + lpstr),
        (3, struct.pack("<HHI", 0x001F, 0, 3) + "南昌\0".encode("utf-16-le")),
        (4, struct.pack("<HHi", 0x0003, 0, -7)),
        (5, struct.pack("<HHH", 0x000B, 0, 0)),
        (6, struct.pack("<HHI", 0x001F, 0, 2) + "窄\0".encode("utf-16-le")),
    ]
    return property_section(values), {"annex.period": "2024", "单位": "南昌", "count": "-7", "final": "false", "note": "窄"}


def make_property_sets(m):
    user, texts = utf16_user_defined_section()
    good = property_set_stream([(FMTID_DOC_SUMMARY, property_section([])), (FMTID_USER_DEFINED, user)])
    # The dictionary claims 2^32 - 1 names: the reader must give up on the set, not allocate or loop.
    # The dictionary is the first value: after the section's size, count and (identifier, offset) pairs.
    dictionary_at = 8 + 8 * struct.unpack_from("<I", user, 4)[0]
    broken = property_set_stream([(FMTID_DOC_SUMMARY, property_section([])),
                                  (FMTID_USER_DEFINED, user[:dictionary_at] + b"\xff\xff\xff\xff" + user[dictionary_at + 4:])])
    for name, stream, properties, proves in [
        ("handmade-properties-utf16", good, texts, "custom properties in code page 1200: padded UTF-16 names, "
         "VT_LPSTR in UTF-16, VT_LPWSTR, VT_I4, VT_BOOL"),
        ("handmade-properties-broken", broken, {}, "a property set whose dictionary claims 2^32 - 1 names: "
         "ignored, the workbook reads"),
    ]:
        w = BIFFWriter()
        w.add_sheet("属性", number(0, 0, 15, 1))
        rel = "xls/%s.xls" % name
        with open(m.path(rel), "wb") as f:
            f.write(compound_file([("Workbook", w.stream() + b"\0" * 4096),
                                   ("\x05DocumentSummaryInformation", stream)]))
        m.add(name, rel, "xls", "handmade", proves, properties=properties)


def no_row_blocks_cells():
    """680 rows of 25 RK cells, no ROW/DBCELL: more than the reader buffers before lending rows."""
    return b"".join(rk(r, c, 15, rk_int(r * 100 + c)) for r in range(680) for c in range(25))


# =============================================================== hand-made BIFF5/7

def make_biff5(m):
    for codepage, name, texts in [
        (936, "handmade-biff5-cp936", ["就业培训一", "城镇新增就业人数", "红谷滩区", "无"]),
        (1252, "handmade-biff5-cp1252", ["Café", "€ 5", "naïve", "Größe"]),
    ]:
        w = BIFFWriter(biff8=False, codepage=codepage, formats=[(164, "yyyy-mm-dd")], xf_formats=[0, 164, 14])
        general, ymd, d14 = w.xf(0), w.xf(1), w.xf(2)
        cells = b""
        for c, t in enumerate(texts):
            cells += rec(0x0204, cell_head(0, c, general) + w.string16(t))
        cells += number(1, 0, general, 3584) + rk(1, 1, general, rk_int100(10092)) + number(1, 2, ymd, 45138)
        cells += number(1, 3, d14, 1.0)
        cells += boolerr(2, 0, general, 1, 0) + boolerr(2, 1, general, 0x07, 1)
        # ASCII: xlrd counts a BIFF5 STRING's length in characters, not bytes as it does for LABEL.
        cells += formula(3, 0, general, f_tagged(0)) + rec(0x0207, w.string16("Total 1"))
        cells += formula(3, 1, general, f_number(12.5))
        w.add_sheet(texts[0] if codepage == 936 else "Blatt", cells)
        w.add_sheet("第二" if codepage == 936 else "Zwei", rec(0x0204, cell_head(0, 0, general) + w.string16(texts[1])))
        rel = "xls/%s.xls" % name
        with open(m.path(rel), "wb") as f:
            f.write(w.workbook(pad_to=4096))
        m.add(name, rel, "xls", "handmade", "BIFF5/7 (\"Book\" stream): LABEL, sheet names and FORMAT in code page %d, "
              "NUMBER, RK, dates, BOOLERR, FORMULA with a byte-string STRING" % codepage)
    w = BIFFWriter(biff8=False, codepage=936, datemode=1, formats=[(164, "yyyy\"年\"m\"月\"d\"日\"")], xf_formats=[164])
    w.add_sheet("1904", number(0, 0, w.xf(0), 0.0) + number(1, 0, w.xf(0), 43676.0))
    rel = "xls/handmade-biff5-1904.xls"
    with open(m.path(rel), "wb") as f:
        f.write(w.workbook(pad_to=4096))
    m.add("handmade-biff5-1904", rel, "xls", "handmade", "BIFF5 with DATEMODE 1904 and a CJK date format")


# =============================================================== xlwt

def make_xlwt(m):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("xlwt数据")
    values = [0, 1, -1, 536870911, -536870912, 536870912, 0.5, 1.25, 12.34, -0.01, 1e-10, 123456789.123, 3.0]
    for c, v in enumerate(values):
        ws.write(0, c, v)
    ws.write(1, 0, "中文 text")
    ws.write(1, 1, True)
    ws.write(1, 2, False)
    ws.write(1, 3, xlwt.Formula("1+1"))
    date = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    ws.write(2, 0, datetime.date(2023, 7, 31), date)
    ws.write(2, 1, datetime.datetime(2023, 7, 31, 9, 30), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm:ss"))
    ws.write(2, 2, 0.25, xlwt.easyxf(num_format_str="0.00%"))
    ws.write(2, 4, None, xlwt.easyxf("pattern: pattern solid;"))   # a styled blank
    ws.write_merge(3, 4, 0, 2, "合并单元格")
    for r in range(5, 300):
        ws.write(r, r % 7, r * 1.5)
        ws.write(r, 8, "行%d" % r)
    hidden = wb.add_sheet("hidden")
    hidden.write(0, 0, "隐藏的表")
    hidden.visibility = 1
    rel = "xls/xlwt-values.xls"
    wb.save(m.path(rel))
    m.add("xlwt-values", rel, "xls", "xlwt", "xlwt's RK numbers (ints and floats that fit, x100 forms), NUMBER, "
          "LABELSST with CJK, BOOLERR, a formula without cached value (0), dates, a styled blank, write_merge, "
          "row blocks over 300 rows, a hidden sheet")


# Formulas written by xlwt.Formula (its own tokens: PtgFuncVar for SUM, PtgRef3d through SUPBOOK and
# EXTERNSHEET), and the text each must come back as: its own, except the 3D reference over two
# sheets, which Excel writes with one pair of quotes around both names.
XLWT_FORMULAS = [
    ("SUM(A1:A5)", None), ("$A$1+A$2*$A3", None), ("'社保 (一)'!A1+Data!A2", None), ("SUM('社保 (一)'!A1:A5)", None),
    ('IF(A1>2,"大","小")', None), ("ROUND(A2/3,2)", None), ("VLOOKUP(2,A1:A5,1,FALSE)", None), ('"say ""hi"""', None),
    ("-A1+(-A2)", None), ('A1^2&"x"', None), ("A1<>A2", None), ("SUM(A1,A2,A3)", None), ("TRUE", None), ("0.1", None),
    ("1.5E+20", None), ("NOW()", None), ("PI()", None), ("SUM(A1:A5)/COUNT(A1:A5)", None), ("ABS(-3)", None),
    ('IF(A1,SUM(A1:A3),"")', None), ("DATE(2023,7,31)", None), ("A1%", None), ('LEN("abc")', None),
    ("ISNA(A1)", None), ("SUM('社保 (一)':Data!A1)", "SUM('社保 (一):Data'!A1)"),
]


def make_xlwt_formulas(m):
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("公式")
    social = wb.add_sheet("社保 (一)")
    data = wb.add_sheet("Data")
    for r in range(5):
        ws.write(r, 0, r + 1)
        social.write(r, 0, r * 2)
        data.write(r, 0, r)
    expected = {}
    for r, (text, shown) in enumerate(XLWT_FORMULAS):
        ws.write(r, 2, xlwt.Formula(text))
        expected["C%d" % (r + 1)] = shown or text
    rel = "xls/xlwt-formulas.xls"
    wb.save(m.path(rel))
    m.add("xlwt-formulas", rel, "xls", "xlwt", "formulas of xlwt.Formula: references, 3D references over "
          "EXTERNSHEET to a quoted CJK sheet name and across two sheets, functions, strings, operators",
          formulas=expected)


# =============================================================== LibreOffice

def find_soffice():
    for name in ("soffice", "libreoffice"):
        p = shutil.which(name)
        if p:
            return p
    die("LibreOffice (soffice) not found on PATH: it writes the BIFF8 fixtures (apt-get install libreoffice-calc-nogui)")


def soffice_to_xls(soffice, sources, outdir):
    """Converts .xlsx files to BIFF8; checks every output, since soffice exits 0 on failure."""
    with tempfile.TemporaryDirectory() as profile:
        cmd = [soffice, "-env:UserInstallation=file://" + profile, "--headless",
               "--convert-to", "xls:MS Excel 97", "--outdir", outdir] + sources
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    for src in sources:
        out = os.path.join(outdir, os.path.splitext(os.path.basename(src))[0] + ".xls")
        if not os.path.exists(out) or os.path.getsize(out) == 0:
            die("soffice did not write %s (exit %d)\nstdout: %s\nstderr: %s" % (out, run.returncode, run.stdout, run.stderr))


def annex_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "就业培训一"
    ws["A1"] = "附件1"
    ws["A2"] = "2023年7月全市就业培训工作完成情况表（一）"
    ws.merge_cells("A2:G2")
    ws["A3"] = "项目/单位"
    ws.merge_cells("A3:A4")
    ws["B3"] = "城镇新增就业人数"
    ws.merge_cells("B3:D3")
    ws["E3"] = "失业人员再就业人数"
    ws.merge_cells("E3:G3")
    for c, text in enumerate(["本月完成", "累计完成", "占全年任务", "本月完成", "累计完成", "占全年任务"]):
        ws.cell(row=4, column=2 + c, value=text)
    units = ["全市", "东湖区", "西湖区", "青云谱区", "红谷滩区", "南昌县"]
    for r, unit in enumerate(units):
        ws.cell(row=5 + r, column=1, value=unit)
        ws.cell(row=5 + r, column=2, value=3584 - r * 17)
        ws.cell(row=5 + r, column=3, value=22840.5 + r)
        p = ws.cell(row=5 + r, column=4, value=0.5625 + r / 1000)
        p.number_format = "0.00%"
        ws.cell(row=5 + r, column=5, value="-" if r == 2 else 100 + r)
        ws.cell(row=5 + r, column=6, value="无" if r == 3 else 810.06)
        ws.cell(row=5 + r, column=7, value=56.245)
    ws["A12"] = "注：表中“-”表示未安排任务。"
    ws.merge_cells("A12:G12")
    wb.save(path)


def dates_workbook(path, epoch1904):
    wb = openpyxl.Workbook()
    if epoch1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "日期"
    rows = [
        (datetime.date(2023, 7, 31), "yyyy-mm-dd"),
        (datetime.date(2024, 2, 29), 'yyyy"年"m"月"d"日"'),
        (datetime.datetime(2023, 7, 31, 9, 30), "yyyy-mm-dd hh:mm"),
        (datetime.datetime(2023, 7, 31, 9, 30, 15), "yyyy/m/d h:mm:ss"),
        (datetime.time(9, 30), "hh:mm"),
        (datetime.date(1999, 12, 31), "d-mmm-yy"),
        (datetime.date(2023, 1, 1), "mmm-yy"),
        (datetime.datetime(2023, 7, 31, 12, 0), "yyyy-mm-dd"),
    ]
    for r, (value, fmt) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=value).number_format = fmt
        ws.cell(row=r, column=2, value=fmt)
    wb.save(path)


def formulas_workbook(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "公式"
    ws["A1"] = 10
    ws["A2"] = 0
    ws["A3"] = "文本"
    ws["B1"] = "=A1*2.5"
    ws["B2"] = "=A1/A2"
    ws["B3"] = '=A3&"结果"'
    ws["B4"] = "=A1>5"
    ws["B5"] = "=NA()"
    ws["B6"] = '=""'
    ws["B7"] = "=SQRT(-1)"
    ws["B8"] = "=UNKNOWNFN(1)"
    for r in range(10, 40):            # filled down: LibreOffice shares these (SHRFMLA)
        ws.cell(row=r, column=1, value=r)
        ws.cell(row=r, column=2, value="=A%d*3" % r)
    ws["C1"] = True
    ws["C2"] = False
    ws["C3"] = 0.25
    ws["C3"].number_format = "0%"
    ws["D1"] = "=TODAY()-TODAY()+DATE(2023,7,31)"
    ws["D1"].number_format = "yyyy-mm-dd"
    hidden = wb.create_sheet("隐藏表")
    hidden["A1"] = "hidden"
    hidden.sheet_state = "hidden"
    wb.save(path)


# Formulas as Excel writes them in xlsx, each of which LibreOffice's "MS Excel 97" export keeps (it
# writes a lone #N/A for any formula holding an error constant, and cannot import a 3D reference
# over several sheets from xlsx: those are covered by xlwt-formulas and by hand in XLSFormulaTests).
FORMULA_TEXTS = [
    "SUM(A1:A19)", "$A$1+A$2+$A3", "'社保 (一)'!A1+'社保 (一)'!B2", "SUM('社保 (一)'!A1:B20)",
    "'2023年'!A1", "Data!B3", "Data!B1:B3", "'It''s'!A1",
    'IF(A1>5,"大","小")', "ROUND(B2/3,2)", 'VLOOKUP("k3",Data!A1:B20,2,FALSE)', '"say ""hi"""', '"他说""好"""',
    "A1%", "A1*50%", "-A1+(-B2)", 'A1^2&"x"', "IF(A1<>2,1,0)", "A1<=B1", "A1>=B1", "A1=B1",
    "CHOOSE(2,A1,A2,A3)", 'SUMIF(A1:A19,">5")', "COUNTIF(A:A,1)", "SUM($B:$B)",
    "IFERROR(A1/0,0)", 'SUMIFS(A1:A19,B1:B19,">4")', 'COUNTIFS(A1:A19,">3",B1:B19,"<30")', 'AVERAGEIF(A1:A19,">2")',
    "NETWORKDAYS(A1,A2)", "EOMONTH(A1,1)", "TOTAL*2", "'社保 (一)'!LOCALNAME*2", "SUM(A1,A2,,A3)",
    "{1,2;3,4}", "SUM({1,2,3})", '{"a",TRUE;"b",-1.5}', "TRUE", "FALSE", "1.5E+20", "0.1", "123456.789",
    "A1:A3 A2:A5", "SUM((A1:A2,A3:A4))", "TODAY()", "NOW()", "PI()", "INDEX(A1:B19,2,2)", 'LEFT("abc",2)',
    "+A1", "A1-+-B1", "A1 + B1", "SUM( A1:A3 )", "DATE(2023,7,31)", 'TEXT(A1,"0.00%")', "SUM(B$1:B1)",
    "MAX(A1:A19)-MIN(A1:A19)", "ISNA(A1)", "1/0", 'IF(A1,SUM(A1:A3),"")', "ROUND(SUM(A1:A3)/3,2)",
    "SUMPRODUCT((A1:A3>1)*B1:B3)", "SUM(A1:INDEX(A1:A19,3))", "OFFSET(A1,1,1)", 'INDIRECT("A1")',
    "AND(A1>0,B1>0,TRUE)", "NOT(A1)", "MOD(A1,3)", 'CONCATENATE(A1,"-",B1)', "COUNTA(A1:B3)", 'LEN("社保")',
    "HLOOKUP(1,A1:B3,2,0)", "MATCH(3,A1:A19,0)", "RANK(A1,A1:A19)", "SUBTOTAL(9,A1:A19)",
]


def formula_texts_workbook(path):
    """FORMULA_TEXTS in column D of 汇总; filled-down formulas (F, G: LibreOffice shares them in
    SHRFMLA records), array formulas (H1 single-cell, I1:I3), names workbook-wide and local, and
    sheet names that need quoting: CJK with a space and parentheses, a leading digit, a quote."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.formula import ArrayFormula
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    social = wb.create_sheet("社保 (一)")
    year = wb.create_sheet("2023年")
    data = wb.create_sheet("Data")
    quote = wb.create_sheet("It's")
    for r in range(1, 21):
        social.cell(row=r, column=1, value=r)
        social.cell(row=r, column=2, value=r * 1.5)
        year.cell(row=r, column=1, value=r * 2)
        data.cell(row=r, column=1, value="k%d" % r)
        data.cell(row=r, column=2, value=r * 10)
        quote.cell(row=r, column=1, value=r)
    for r in range(1, 41):
        ws.cell(row=r, column=1, value=r)
        ws.cell(row=r, column=2, value=r * 2)
    for r, text in enumerate(FORMULA_TEXTS, start=1):
        ws.cell(row=r, column=4, value="=" + text)
    for r in range(1, 31):
        ws.cell(row=r, column=6, value="=B%d*$A$1+SUM(A$1:A%d)" % (r, r))
        ws.cell(row=r, column=7, value="=F%d-'社保 (一)'!A%d" % (r, r))
    ws["H1"] = ArrayFormula("H1", "=SUM(A1:A3*B1:B3)")
    ws["I1"] = ArrayFormula("I1:I3", "=A1:A3*2")
    social["D1"] = "=LOCALNAME+1"
    social["D2"] = "=汇总!A1+TOTAL"
    wb.defined_names["TOTAL"] = DefinedName("TOTAL", attr_text="汇总!$A$1")
    social.defined_names["LOCALNAME"] = DefinedName("LOCALNAME", attr_text="'社保 (一)'!$A$2")
    wb.save(path)


# Custom document properties of every type Excel offers (text, number, yes/no, date), as openpyxl
# writes them in docProps/custom.xml, and the text the .xls reader must give for each after
# LibreOffice saved the workbook as .xls (it stores numbers as VT_R8, strings in UTF-8).
CUSTOM_PROPERTIES = {
    "annex.template": ("str", "employment-training-1"), "annex.period": ("str", "2023-07"),
    "填报单位": ("str", "南昌市人社局"), "count": ("int", 42), "checked": ("bool", True), "ratio": ("float", 0.25),
    "when": ("date", datetime.datetime(2023, 7, 31, 9, 30)),
}
CUSTOM_PROPERTY_TEXTS = {"annex.template": "employment-training-1", "annex.period": "2023-07", "填报单位": "南昌市人社局",
                         "count": "42", "checked": "true", "ratio": "0.25", "when": "2023-07-31T09:30:00Z"}


def share_filled_down_formulas(source, path):
    """The formula-texts workbook as Excel writes filled-down formulas: F1:F30 and G1:G30 as shared
    groups (ECMA-376 Part 1, 18.3.1.40), the text in F1 and G1 only, `<f t="shared" si="N"/>` below."""
    import re

    def shared(match):
        column, row, text = match.group(1), int(match.group(2)), match.group(3)
        si = "FG".index(column)
        if row == 1:
            f = '<f t="shared" ref="%s1:%s30" si="%d">%s</f>' % (column, column, si, text)
        else:
            f = '<f t="shared" si="%d"/>' % si
        return '<c r="%s%d">%s' % (column, row, f)

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                text, count = re.subn(r'<c r="([FG])([0-9]+)"><f>([^<]*)</f>', shared, data.decode("utf-8"))
                if count != 60:
                    die("%s: %d filled-down formulas in columns F and G, not 60" % (source, count))
                data = text.encode("utf-8")
            zout.writestr(item, data)


def custom_properties_workbook(path):
    from openpyxl.packaging import custom
    kinds = {"str": custom.StringProperty, "int": custom.IntProperty, "bool": custom.BoolProperty,
             "float": custom.FloatProperty, "date": custom.DateTimeProperty}
    wb = openpyxl.Workbook()
    wb.active["A1"] = "有自定义属性的工作簿"
    for name, (kind, value) in CUSTOM_PROPERTIES.items():
        wb.custom_doc_props.append(kinds[kind](name=name, value=value))
    wb.save(path)


def workbook_record_types(path):
    """The record types of an .xls file's Workbook stream."""
    from xlrd.compdoc import CompDoc
    with open(path, "rb") as f:
        stream = CompDoc(f.read(), logfile=open(os.devnull, "w")).get_named_stream("Workbook")
    types, pos = set(), 0
    while pos + 4 <= len(stream):
        rtype, length = struct.unpack("<HH", stream[pos:pos + 4])
        types.add(rtype)
        pos += 4 + length
    return types


def big_sst_workbook(path):
    """Enough distinct strings for the SST to need several CONTINUE records, CJK and Latin mixed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "字符串"
    for r in range(1, 1501):
        ws.cell(row=r, column=1, value="第%d行：城镇新增就业人数统计表" % r)
        ws.cell(row=r, column=2, value="row %d plain ASCII text that is compressed" % r)
        ws.cell(row=r, column=3, value="混合 mixed %d 文字" % r)
        ws.cell(row=r, column=4, value=r * 0.125)   # exact: LibreOffice keeps 15 digits (0.69 for 69 * 0.01)
    wb.save(path)


def make_libreoffice(m, work):
    soffice = find_soffice()
    src = os.path.join(work, "src")
    os.makedirs(src)
    annex_workbook(os.path.join(src, "libreoffice-annex.xlsx"))
    dates_workbook(os.path.join(src, "libreoffice-dates.xlsx"), False)
    dates_workbook(os.path.join(src, "libreoffice-1904.xlsx"), True)
    formulas_workbook(os.path.join(src, "libreoffice-formulas.xlsx"))
    big_sst_workbook(os.path.join(src, "libreoffice-big-sst.xlsx"))
    formula_texts_workbook(os.path.join(src, "libreoffice-formula-texts.xlsx"))
    custom_properties_workbook(os.path.join(src, "libreoffice-custom-properties.xlsx"))
    names = ["libreoffice-annex", "libreoffice-dates", "libreoffice-1904", "libreoffice-formulas", "libreoffice-big-sst",
             "libreoffice-formula-texts", "libreoffice-custom-properties"]
    out = m.path("xls/.keep")
    soffice_to_xls(soffice, [os.path.join(src, n + ".xlsx") for n in names], os.path.dirname(out))
    proves = {
        "libreoffice-annex": "就业培训一 as LibreOffice writes BIFF8: merged CJK 2-level header, ints, floats, 0.00%, “-” “无”, 56.245",
        "libreoffice-dates": "dates, datetimes and a time under custom and CJK formats, 1900 system",
        "libreoffice-1904": "the same in a 1904 (DATEMODE) workbook",
        "libreoffice-formulas": "cached formula values: number, string (STRING), bool, #DIV/0! #N/A #NUM! #NAME?, empty string, shared formulas, a date; a hidden sheet",
        "libreoffice-big-sst": "4500 strings: an SST continued over many CONTINUE records, CJK and Latin",
        "libreoffice-formula-texts": "%d formula texts as xlsx has them (operators, functions, names, 3D references "
                                     "to quoted sheet names, array constants), shared formulas filled down, array formulas"
                                     % len(FORMULA_TEXTS),
        "libreoffice-custom-properties": "custom document properties (text, number, yes/no, date) in "
                                         "DocumentSummaryInformation",
    }
    # The openpyxl workbooks LibreOffice converted: the product must read each .xls to the same cells
    # as its .xlsx twin, except where openpyxl stored formulas without cached values: those must
    # give the same formula texts (`formulas_twin`).
    formula_texts = os.path.join(m.outdir, "xls", "libreoffice-formula-texts.xls")
    found = workbook_record_types(formula_texts)
    for rtype, what in ((0x04BC, "SHRFMLA"), (0x0221, "ARRAY"), (0x0018, "NAME"), (0x0017, "EXTERNSHEET")):
        if rtype not in found:
            die("LibreOffice wrote no %s record in %s: the fixture no longer proves what it claims" % (what, formula_texts))
    for n in names:
        extra = {}
        rel = "xlsx-source/%s.xlsx" % n
        if n != "libreoffice-formulas":
            shutil.copy(os.path.join(src, n + ".xlsx"), m.path(rel))
            extra["formulas_twin" if n == "libreoffice-formula-texts" else "xlsx_twin"] = rel
        if n == "libreoffice-formula-texts":
            shared_rel = "xlsx-source/%s-shared.xlsx" % n
            share_filled_down_formulas(os.path.join(src, n + ".xlsx"), m.path(shared_rel))
            extra["shared_formulas_twin"] = shared_rel
        if n == "libreoffice-custom-properties":
            extra["properties"] = CUSTOM_PROPERTY_TEXTS
        m.add(n, "xls/%s.xls" % n, "xls", "libreoffice", proves[n], **extra)


# =============================================================== broken

def make_broken(m):
    def write(name, data, expect, proves):
        rel = "broken/%s.xls" % name
        with open(m.path(rel), "wb") as f:
            f.write(data)
        m.add(name, rel, "broken", "handmade", proves, expect=expect)

    w = BIFFWriter()
    w.add_sheet("Sheet1", b"".join(number(r, 0, 15, r) for r in range(600)))
    layout = {}
    good = w.workbook(layout=layout)
    chain = layout["chains"]["Workbook"]
    assert len(chain) >= 4
    write("cfb-fat-loop", patch_fat(good, layout, chain[2], chain[0]), "corrupt",
          "the workbook stream's sector chain points back to its first sector")
    write("cfb-sector-past-end", patch_fat(good, layout, chain[1], 0x00FFFFF0), "corrupt",
          "a sector number far beyond the end of the file")
    write("cfb-chain-short", patch_fat(good, layout, chain[1], END), "corrupt",
          "the chain ends before the stream's declared size")
    write("cfb-truncated", good[:len(good) // 2], "corrupt", "the first half of a compound file")
    write("cfb-header-only", good[:300], "corrupt", "a compound file cut inside its header")
    big = BIFFWriter()
    big.add_sheet("Sheet1", number(0, 0, 15, 1) + struct.pack("<HH", 0x0203, 0xFFFF) + b"\0" * 20)
    write("biff-huge-record", big.workbook(pad_to=4096), "corrupt",
          "a NUMBER record declaring 65535 bytes at the end of the stream")
    late = BIFFWriter()
    late.add_sheet("Sheet1", no_row_blocks_cells() + number(0, 30, 15, 1))
    write("biff-cell-after-its-row", late.workbook(), "corrupt",
          "a cell of row 1 after 17,000 cells of later rows, when row 1 has already been lent")
    short = BIFFWriter()
    short.add_sheet("Sheet1", rec(0x00BD, b"\x00\x00\x01"))
    write("biff-short-record", short.workbook(pad_to=4096), "corrupt", "a MULRK record shorter than its fields")
    sst = BIFFWriter()
    sst.add_sheet("Sheet1", labelsst(0, 0, 15, 5))
    sst.sst = sst_records([u16str16("only")], 1, 1)
    write("biff-sst-index", sst.workbook(pad_to=4096), "corrupt", "a LABELSST index past the SST")
    write("biff-filepass", BIFFWriter(extra_globals=rec(0x002F, b"\x01\x00" + b"\0" * 52)).workbook(pad_to=4096),
          "encrypted", "FILEPASS: a workbook saved with an open password (RC4)")
    biff4 = rec(0x0409, struct.pack("<HHH", 0, 0x0010, 0)) + rec(0x000A)
    write("biff4", compound_file([("Workbook", biff4 + b"\0" * 4096)]), "old", "a BIFF4 BOF record")
    raw = {"biff2-raw": rec(0x0009, struct.pack("<HH", 2, 0x0010)),
           "biff4-raw": rec(0x0409, struct.pack("<HHH", 0, 0x0100, 0))}
    for name, bof in raw.items():
        write(name, bof + number(0, 0, 15, 1) + rec(0x000A), "old",
              "a bare BIFF%s record stream without a compound file (Excel %s)" % (name[4], {"2": "2.x", "4": "4.0 workbook"}[name[4]]))
    write("cfb-encrypted-ooxml", compound_file([("EncryptionInfo", b"\x04\x00\x04\x00" + b"\0" * 200),
                                                 ("EncryptedPackage", b"\0" * 5000)]),
          "encrypted", "an encrypted OOXML workbook (EncryptionInfo/EncryptedPackage streams)")
    write("cfb-no-workbook", compound_file([("WordDocument", b"\0" * 5000)]), "no-workbook",
          "a compound file without a Workbook stream (a Word document)")
    write("biff-no-eof", compound_file([("Workbook", w.stream()[:-4])]), "corrupt",
          "a sheet substream that ends without its EOF record")


def main():
    if len(sys.argv) != 2:
        die("usage: make_xls_fixtures.py OUTDIR")
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    m = Manifest(outdir)
    with tempfile.TemporaryDirectory() as work:
        make_libreoffice(m, work)
    make_handmade_biff8(m)
    make_biff5(m)
    make_xlwt(m)
    make_xlwt_formulas(m)
    make_property_sets(m)
    make_broken(m)
    keep = os.path.join(outdir, "xls", ".keep")
    if os.path.exists(keep):
        os.remove(keep)
    m.write()


if __name__ == "__main__":
    main()
