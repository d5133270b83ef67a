#!/usr/bin/env python3
"""annex benchmark: one command, same files, same run, annex against its peers.

    python3 Benchmarks/bench.py [--runs N] [--no-1m] [--skip-slow-peers]
    python3 Benchmarks/bench.py --only xls [--runs N]     the legacy .xls row alone
    python3 Benchmarks/bench.py --only normalize [--runs N]     normalize --jobs 1 and 2 alone

Needs (installs nothing; says what is missing): Swift 6.3 (builds annex in release), gcc and
Debian's libxlsxwriter-dev (the C peer), /usr/bin/time (GNU time, for peak memory), and from PyPI
python-calamine, openpyxl, XlsxWriter and pandas.

Data goes to .bench-data/ (gitignored) and is reused when present. The annex-shaped workbook: title
rows, a 3-level merged header, a unit column and 19 value columns (integers, two-decimal numbers,
"-" and "无"), at 100,000 and 1,000,000 rows; the same data as CSV in UTF-8 with BOM and in GB18030;
1,000 small district returns made with openpyxl from samples/returns/2023-07; a 65,000-row .xls
(BIFF8, the format's row limit) that LibreOffice saves from the same kind of workbook. Every case runs
`--runs` times (default 3); the table shows medians of wall time and of peak RSS, and is written to
BENCHMARKS.md between the markers (the .xls row between its own markers).
normalize --jobs 1 and --jobs 2 also run over 1,000 full annex workbooks in nested folders
(`make_normalize_corpus`, openpyxl), in a table of their own (markers bench-normalize).
"""
import argparse, os, platform, re, shutil, statistics, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, ".bench-data")
BUILD = os.path.join(ROOT, ".build-release")
DISTRICTS = ["东湖区", "西湖区", "青云谱区", "青山湖区", "新建区", "红谷滩区",
             "南昌县", "进贤县", "安义县", "经开区", "高新区", "市本级"]


def need():
    missing = []
    for tool, hint in [("swift", "Swift 6.3.1 toolchain"), ("gcc", "apt-get install gcc"),
                       ("/usr/bin/time", "apt-get install time")]:
        if not shutil.which(tool):
            missing.append(hint)
    if not os.path.exists("/usr/include/xlsxwriter.h"):
        missing.append("apt-get install libxlsxwriter-dev")
    for module, package in [("python_calamine", "python-calamine"), ("openpyxl", "openpyxl"), ("xlsxwriter", "XlsxWriter"),
                            ("pandas", "pandas")]:
        try:
            __import__(module)
        except ImportError:
            missing.append(f"pip install {package}")
    if missing:
        sys.exit("bench.py needs: " + "; ".join(missing))


def run(cmd, **kw):
    subprocess.run(cmd, check=True, **kw)


def value(i, c):
    """The cell at data row i, value column c (1…19); the same formula as lxw_write.c and annex-bench."""
    h = (i * 2654435761 + c * 40503) & 0xFFFFFFFF
    k = h % 100
    if k == 0:
        return "-"
    if k == 1:
        return "无"
    if c % 2 == 1:
        return str(h % 100000)
    cents = h % 10000000
    return f"{cents // 100}.{cents % 100:02d}"


def make_csv(path, rows, encoding):
    with open(path, "w", encoding=encoding, newline="") as f:
        f.write("附件4\n2023年7月社会保险二主要指标完成情况\n单位：万人、万元\n")
        f.write("项目/单位,企业职工基本养老保险" + "," * 9 + ",失业保险" + "," * 8 + "\n")
        f.write("," + ",".join(["参保人数", "", "", "基金收入", "", "", "基金支出", "", "", "",
                                 "参保人数", "", "", "基金收入", "", "", "基金支出", "", ""]) + "\n")
        leaves = ["目标任务", "累计完成", "占全年任务"] * 2 + ["目标任务", "累计完成", "占全年任务", "同比"] + \
                 ["目标任务", "累计完成", "占全年任务"] * 3
        f.write("," + ",".join(leaves) + "\n")
        for i in range(rows):
            f.write(DISTRICTS[i % 12] + str(i % 997) + "," + ",".join(value(i, c) for c in range(1, 20)) + "\n")


def make_returns(folder, count):
    """1,000 district returns: the sample .xlsx returns with their unit renamed and numbers varied."""
    import openpyxl
    os.makedirs(folder, exist_ok=True)
    samples = sorted(os.path.join(ROOT, "samples/returns/2023-07", f)
                     for f in os.listdir(os.path.join(ROOT, "samples/returns/2023-07")) if f.endswith(".xlsx"))
    books = [openpyxl.load_workbook(p) for p in samples]
    for n in range(count):
        book = books[n % len(books)]
        ws = book.worksheets[0]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.value = round(cell.value * (1 + (n % 17) / 100), 2)
        name = os.path.basename(samples[n % len(samples)])
        book.save(os.path.join(folder, f"{n:04d}-{name}"))


NORMALIZE_UNITS = ["南昌县", "新建区", "进贤县", "安义县", "东湖区", "西湖区", "青云谱区", "湾里区",
                   "青山湖区", "南昌经济技术开发区", "高新区", "红谷滩新区"]


def make_normalize_corpus(folder, count):
    """`count` full annex workbooks in nested folders (issue 16), ten in every cycle: the four
    samples/annexes/2023-07-*.xlsx, the 2021 target table and five district returns (the .xlsx of
    samples/returns/2023-07, in turn). Each copy is an observation set of its own: the period in the
    title lines moves over 2019-2024 (month by month for the monthly annexes), every number is scaled
    by a factor of its own, and a one-row district return names its unit in turn by the registry's
    names and aliases. Layout: YEAR/YEAR-MM/annexes/, YEAR/YEAR-MM/returns/UNIT/, YEAR/targets/."""
    import openpyxl
    annexes = sorted(os.path.join(ROOT, "samples/annexes", f) for f in os.listdir(os.path.join(ROOT, "samples/annexes"))
                     if f.startswith("2023-07-") and f.endswith(".xlsx"))
    targets = os.path.join(ROOT, "samples/annexes/2021-年度全省就业工作目标任务分解表.xlsx")
    returns_folder = os.path.join(ROOT, "samples/returns/2023-07")
    returns = sorted(os.path.join(returns_folder, f) for f in os.listdir(returns_folder) if f.endswith(".xlsx"))
    books = {}

    def load(path):
        """The workbook (loaded once), its numeric cells with their original values, its text cells
        that open with a year, and the cells naming the unit of a one-row return."""
        if path not in books:
            book = openpyxl.load_workbook(path)
            unit = os.path.basename(path).split("-")[0]
            numbers, dated, unit_cells = [], [], []
            for ws in book.worksheets:
                for row in ws.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                            numbers.append((cell, cell.value))
                        elif isinstance(cell.value, str) and re.match(r"20\d\d年", cell.value):
                            dated.append((cell, cell.value))
                        elif cell.value == unit and cell.column <= 2 and ws.max_row <= 10:
                            unit_cells.append(cell)
            books[path] = (book, numbers, dated, unit_cells)
        return books[path]

    for n in range(count):
        cycle, slot = divmod(n, 10)
        year, month = 2019 + cycle // 12 % 6, 1 + cycle % 12
        monthly = os.path.join(folder, str(year), f"{year}-{month:02d}")
        if slot < 4:
            source = annexes[slot]
            target = os.path.join(monthly, "annexes", f"{n:04d}-" + os.path.basename(source).replace("2023-07", f"{year}-{month:02d}"))
        elif slot == 4:
            source = targets
            target = os.path.join(folder, str(year), "targets", f"{n:04d}-" + os.path.basename(source).replace("2021", str(year)))
        else:
            source = returns[(cycle * 5 + slot - 5) % len(returns)]
        book, numbers, dated, unit_cells = load(source)
        factor = 1 + (n % 97) / 1000
        for cell, original in numbers:
            cell.value = round(original * factor, 2) if isinstance(original, float) else int(original * factor)
        stamp = f"{year}年" if source == targets else f"{year}年{month}月"
        for cell, original in dated:
            cell.value = re.sub(r"^20\d\d年(\d{1,2}月)?", stamp, original)
        if slot >= 5:
            unit = NORMALIZE_UNITS[n % len(NORMALIZE_UNITS)] if unit_cells else os.path.basename(source).split("-")[0]
            for cell in unit_cells:
                cell.value = unit
            target = os.path.join(monthly, "returns", unit, f"{n:04d}-{unit}-" + os.path.basename(source).split("-", 1)[1])
        os.makedirs(os.path.dirname(target), exist_ok=True)
        book.save(target)


def generated_once(name, what, make):
    """The folder DATA/name, made by make(folder) unless a finished one (its `done` marker) is there."""
    folder = os.path.join(DATA, name)
    if not os.path.exists(os.path.join(folder, "done")):
        print(f"generating {what}", flush=True)
        shutil.rmtree(folder, ignore_errors=True)
        make(folder)
        open(os.path.join(folder, "done"), "w").close()
    return folder


def prepare_normalize():
    return generated_once("normalize-corpus", "1,000 annex workbooks in nested folders (openpyxl)",
                          lambda folder: make_normalize_corpus(folder, 1000))


def prepare(args):
    os.makedirs(DATA, exist_ok=True)
    lxw = os.path.join(DATA, "lxw_write")
    run(["gcc", "-O2", "-o", lxw, os.path.join(ROOT, "Benchmarks/lxw_write.c"), "-lxlsxwriter"])
    sizes = [100_000] + ([] if args.no_1m else [1_000_000])
    for rows in sizes:
        tag = label(rows)
        book = os.path.join(DATA, f"annex-{tag}.xlsx")
        if not os.path.exists(book):
            print(f"generating {book} (libxlsxwriter, shared strings as Excel writes them)", flush=True)
            run([lxw, book, str(rows)])
        for enc, suffix in [("utf-8-sig", "utf8bom"), ("gb18030", "gb18030")]:
            path = os.path.join(DATA, f"annex-{tag}-{suffix}.csv")
            if not os.path.exists(path):
                print(f"generating {path}", flush=True)
                make_csv(path + ".tmp", rows, enc)
                os.rename(path + ".tmp", path)
    generated_once("returns", "1,000 district returns (openpyxl)", lambda folder: make_returns(folder, 1000))
    return sizes


def prepare_xls():
    """The 65,000-row annex-shaped .xls: libxlsxwriter writes the workbook, LibreOffice saves it as
    BIFF8 ("MS Excel 97"), as a district's old template would be."""
    book = os.path.join(DATA, "annex-65k.xls")
    if os.path.exists(book):
        return book
    source = os.path.join(DATA, "annex-65k.xlsx")
    print(f"generating {book} (libxlsxwriter, then LibreOffice)", flush=True)
    run([os.path.join(DATA, "lxw_write"), source, "65000"])
    profile = os.path.join(DATA, "lo-profile")
    run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xls:MS Excel 97",
         "--outdir", DATA, source], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not os.path.exists(book):   # soffice exits 0 even when it could not convert
        sys.exit(f"LibreOffice did not write {book}")
    return book


def label(rows):
    return f"{rows // 1000}k" if rows < 1_000_000 else f"{rows // 1_000_000}M"


def measure(cmd, runs, stdout=subprocess.DEVNULL, exits=(0,)):
    """Median wall seconds (perf_counter around the process) and median peak RSS (GNU time) in MiB.
    `exits`: the exit codes that count as success (merge exits 1 when it reports findings)."""
    walls, peaks = [], []
    for _ in range(runs):
        start = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True)
        walls.append(time.perf_counter() - start)
        if p.returncode not in exits:
            sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
        peaks.append(int(p.stderr.strip().splitlines()[-1]) / 1024)
    return statistics.median(walls), statistics.median(peaks)


CALAMINE = """
import sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
n = 0
for name in book.sheet_names:
    for row in book.get_sheet_by_name(name).iter_rows():
        n += sum(1 for v in row if v != "")
print(n)
"""
OPENPYXL = """
import sys, openpyxl
book = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for ws in book.worksheets:
    for row in ws.iter_rows(values_only=True):
        n += sum(1 for v in row if v is not None)
print(n)
"""
CALAMINE_CSV = """
import csv, sys, python_calamine
book = python_calamine.CalamineWorkbook.from_path(sys.argv[1])
writer = csv.writer(sys.stdout, lineterminator="\\n")
writer.writerows(book.get_sheet_by_index(0).iter_rows())
"""
PANDAS_CSV = """
import sys, pandas
pandas.read_excel(sys.argv[1], sheet_name=0, header=None, dtype=str).to_csv(sys.stdout, index=False, header=False)
"""
XLSXWRITER = """
import sys
sys.path.insert(0, sys.argv[3])
import xlsxwriter
from bench import value, DISTRICTS
rows = int(sys.argv[2])
book = xlsxwriter.Workbook(sys.argv[1], {"constant_memory": True})
ws = book.add_worksheet("社会保险二")
title = book.add_format({"bold": True, "font_size": 16, "align": "center"})
head = book.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "text_wrap": True})
body = book.add_format({"border": 1})
money = book.add_format({"border": 1, "num_format": "0.00"})
ws.write_string(0, 0, "附件4")
ws.merge_range(1, 0, 1, 19, "2023年7月社会保险二主要指标完成情况", title)
ws.write_string(2, 0, "单位：万人、万元")
ws.write_string(3, 0, "项目/单位", head)
ws.merge_range(3, 1, 3, 10, "企业职工基本养老保险", head)
ws.merge_range(3, 11, 3, 19, "失业保险", head)
groups = [("参保人数", 1, 3), ("基金收入", 4, 6), ("基金支出", 7, 10), ("参保人数", 11, 13), ("基金收入", 14, 16), ("基金支出", 17, 19)]
for name, a, b in groups:
    ws.merge_range(4, a, 4, b, name, head)
leaves = ["目标任务", "累计完成", "占全年任务", "同比"]
for name, a, b in groups:
    for c in range(a, b + 1):
        ws.write_string(5, c, leaves[c - a], head)
ws.merge_range(3, 0, 5, 0, "项目/单位", head)
for i in range(rows):
    r = 6 + i
    ws.write_string(r, 0, DISTRICTS[i % 12] + str(i % 997), body)
    for c in range(1, 20):
        v = value(i, c)
        if v in ("-", "无"):
            ws.write_string(r, c, v, body)
        elif c % 2 == 1:
            ws.write_number(r, c, int(v), body)
        else:
            ws.write_number(r, c, float(v), money)
book.close()
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-1m", action="store_true", help="skip the 1,000,000-row cases")
    parser.add_argument("--skip-slow-peers", action="store_true",
                        help="at 1M rows, run the cases that take minutes (openpyxl, XlsxWriter, libxlsxwriter) once")
    parser.add_argument("--only", choices=["xls", "normalize"], help="run only this section (its own table in BENCHMARKS.md)")
    args = parser.parse_args()
    need()
    # Built as README.md installs it (Swift's libraries linked in): a dynamically linked annex spends
    # about 5 ms of every start in the dynamic loader, which is a tenth of a command on a 12 MB file.
    # The two products by name: the test-support target needs XCTest, which has no static library.
    print("building annex and annex-bench (release, --static-swift-stdlib)", flush=True)
    build = ["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", BUILD]
    for product in ["annex", "annex-bench"]:
        run(build + ["--product", product], cwd=ROOT)
    os.makedirs(DATA, exist_ok=True)
    sizes = [] if args.only else prepare(args)
    bindir = subprocess.run(build + ["--show-bin-path"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    bench, annex = os.path.join(bindir, "annex-bench"), os.path.join(bindir, "annex")
    if args.only == "normalize":
        return bench_normalize(annex, args)
    py = sys.executable
    scripts = {}
    for name, text in [("calamine", CALAMINE), ("calamine_csv", CALAMINE_CSV), ("pandas_csv", PANDAS_CSV),
                       ("openpyxl", OPENPYXL), ("xlsxwriter", XLSXWRITER)]:
        scripts[name] = os.path.join(DATA, f"peer_{name}.py")
        with open(scripts[name], "w") as f:
            f.write(text)
    out = os.path.join(DATA, "out")
    os.makedirs(out, exist_ok=True)
    rows_out = []   # (section, tool, case, wall, peak, rate, ratio text)

    def add(section, tool, case, result, amount=None, unit=None, ratio=""):
        wall, peak = result
        rate = f"{amount / wall / 1e6:.1f} {unit}" if amount else ""
        rows_out.append((section, tool, case, wall, peak, rate, ratio))
        print(f"{section:10} {tool:40} {case:22} {wall:8.3f} s {peak:8.1f} MiB {rate} {ratio}", flush=True)

    for rows in sizes:
        tag = label(rows)
        book = os.path.join(DATA, f"annex-{tag}.xlsx")
        cells = rows * 20 + 31
        slow = 1 if (args.skip_slow_peers and rows >= 1_000_000) else args.runs
        a = measure([bench, "read", book], args.runs)
        c = measure([py, scripts["calamine"], book], args.runs)
        add("read", "annex (annex-bench read: row views)", f"{tag} rows", a, cells, "M cells/s", f"{c[0] / a[0]:.2f}× faster than calamine")
        m = measure([bench, "read-cells", book], args.runs)
        add("read", "annex (annex-bench read-cells: Cell values)", f"{tag} rows", m, cells, "M cells/s", f"{c[0] / m[0]:.2f}× calamine")
        add("read", "python-calamine iter_rows", f"{tag} rows", c, cells, "M cells/s")
        o = measure([py, scripts["openpyxl"], book], slow)
        add("read", "openpyxl read-only", f"{tag} rows", o, cells, "M cells/s")

        # The commands a user types, end to end (issue 16): the whole process, output to /dev/null
        # (convert to a file), against calamine and pandas writing the same sheet as CSV.
        peer = measure([py, scripts["calamine_csv"], book], args.runs)
        for tool, cmd in [("annex dump --format csv", [annex, "dump", "--format", "csv", book]),
                          ("annex convert → .csv", [annex, "convert", book, "-o", os.path.join(out, f"convert-{tag}.csv")]),
                          ("annex dump (JSON)", [annex, "dump", book])]:
            a = measure(cmd, args.runs)
            add("command", tool, f"{tag} rows .xlsx", a, cells, "M cells/s", f"{peer[0] / a[0]:.2f}× calamine (target 6×, ≤ 50 MiB)")
        add("command", "python-calamine iter_rows → csv.writer", f"{tag} rows .xlsx", peer, cells, "M cells/s")
        p = measure([py, scripts["pandas_csv"], book], slow)
        add("command", "pandas read_excel → to_csv", f"{tag} rows .xlsx", p, cells, "M cells/s")
        if rows == sizes[0]:
            path = os.path.join(DATA, f"annex-{tag}-gb18030.csv")
            size = os.path.getsize(path)
            a = measure([annex, "dump", "--format", "csv", path], args.runs)
            add("command", "annex dump --format csv", f"{tag} rows GB18030 .csv", a, size, "MB/s", f"{size / a[0] / 1e6:.0f} MB/s (target 300)")

        target = os.path.join(out, f"annex-{tag}.xlsx")
        a = measure([bench, "write", target, str(rows)], args.runs)
        l = measure([os.path.join(DATA, "lxw_write"), os.path.join(out, f"lxw-{tag}.xlsx"), str(rows), "--constant-memory"], slow)
        add("write", "annex (XLSXWriter, level 1)", f"{tag} rows", a, cells, "M cells/s", f"{l[0] / a[0]:.2f}× faster than libxlsxwriter")
        add("write", "libxlsxwriter constant_memory", f"{tag} rows", l, cells, "M cells/s")
        x = measure([py, scripts["xlsxwriter"], os.path.join(out, f"xw-{tag}.xlsx"), str(rows), os.path.join(ROOT, "Benchmarks")], slow)
        add("write", "XlsxWriter constant_memory", f"{tag} rows", x, cells, "M cells/s")

        for suffix, name in [("utf8bom", "UTF-8 with BOM"), ("gb18030", "GB18030")]:
            path = os.path.join(DATA, f"annex-{tag}-{suffix}.csv")
            size = os.path.getsize(path)
            a = measure([bench, "read", path], args.runs)
            add("csv", "annex (annex-bench read: row views)", f"{tag} rows {name}", a, size, "MB/s", f"{size / a[0] / 1e6:.0f} MB/s (target 300)")
            m = measure([bench, "read-cells", path], args.runs)
            add("csv", "annex (annex-bench read-cells: Cell values)", f"{tag} rows {name}", m, size, "MB/s")

    if not args.only:
        # A month's work (issue 16: report the figure): one district's return read, the month merged.
        month = os.path.join(ROOT, "samples/returns/2023-07")
        a = measure([annex, "read", os.path.join(month, "南昌县-社会保险二.xlsx"), "-o", os.path.join(out, "read.csv")], args.runs)
        add("command", "annex read", "one return (.xlsx)", a)
        a = measure([annex, "merge", month, "--template", "social-insurance-2", "-o", os.path.join(out, "附件4.xlsx"),
                     "--report", os.path.join(out, "merge.json")], args.runs, exits=(0, 1))
        add("command", "annex merge", f"a month's returns ({len(os.listdir(month))} files)", a)

    # Legacy .xls: the whole command a user types, to CSV on standard output (SPEC: ≥ 3× calamine, ≤ 60 MiB).
    if args.only:
        run(["gcc", "-O2", "-o", os.path.join(DATA, "lxw_write"), os.path.join(ROOT, "Benchmarks/lxw_write.c"), "-lxlsxwriter"])
    xls = prepare_xls()
    xls_rows = []
    a = measure([annex, "dump", "--format", "csv", xls], args.runs)
    c = measure([py, scripts["calamine_csv"], xls], args.runs)
    for row in [("xls", "annex dump --format csv (to /dev/null)", "65k rows .xls", a, f"{c[0] / a[0]:.2f}× faster than calamine (target 3×, ≤ 60 MiB)"),
                ("xls", "python-calamine iter_rows → csv.writer", "65k rows .xls", c, "")]:
        section, tool, case, result, ratio = row
        xls_rows.append((section, tool, case, result[0], result[1], "", ratio))
        print(f"{section:10} {tool:40} {case:22} {result[0]:8.3f} s {result[1]:8.1f} MiB {ratio}", flush=True)
    write_report(xls_rows, args, marker="bench-xls")
    if args.only:
        return

    returns = os.path.join(DATA, "returns")
    a = measure([annex, "normalize", returns, "-o", os.path.join(out, "normalized.csv"), "--report", os.path.join(out, "report.json")], args.runs)
    add("normalize", "annex normalize (2 jobs)", "1,000 returns", a, ratio="target ≤ 5 s")
    write_report(rows_out, args)
    bench_normalize(annex, args)


def bench_normalize(annex, args):
    """normalize of the 1,000 annex workbooks with --jobs 1 and --jobs 2 (issue 16: ≤ 2 s, --jobs 2 at
    least 1.7× faster): runs alternate between the two so that the machine's drift hits both alike;
    the two outputs must be the same bytes. A ratio of two jobs to one means nothing while another
    process holds a core, so a run during which other processes used more than 5 % of a core is
    repeated, up to 10 times; then the least disturbed one is kept, and the table says how many
    samples are such."""
    corpus = prepare_normalize()
    out = os.path.join(DATA, "out")
    os.makedirs(out, exist_ok=True)
    samples = {1: [], 2: []}
    disturbed = 0
    for _ in range(args.runs):
        for jobs in samples:
            cmd = [annex, "normalize", corpus, "-o", os.path.join(out, f"normalized-{jobs}.csv"),
                   "--report", os.path.join(out, f"normalize-report-{jobs}.json"), "--jobs", str(jobs)]
            attempts = []
            while len(attempts) < 10:
                result, others = measure_alone(cmd)
                attempts.append((others / result[0], result))
                if attempts[-1][0] <= 0.05:
                    break
            share, result = min(attempts, key=lambda attempt: attempt[0])
            disturbed += share > 0.05
            samples[jobs].append(result)
    with open(os.path.join(out, "normalized-1.csv"), "rb") as one, open(os.path.join(out, "normalized-2.csv"), "rb") as two:
        if one.read() != two.read():
            sys.exit("normalize --jobs 1 and --jobs 2 wrote different bytes")
    medians = {jobs: (statistics.median(w for w, _ in runs), statistics.median(p for _, p in runs)) for jobs, runs in samples.items()}
    rows = []
    for jobs, (wall, peak) in medians.items():
        ratio = (f"{disturbed} of {2 * args.runs} samples disturbed by other processes" if jobs == 1
                 else f"{medians[1][0] / wall:.2f}× faster than --jobs 1 (targets: ≤ 2 s, ≥ 1.7×)")
        rows.append(("normalize", f"annex normalize --jobs {jobs}", "1,000 annex workbooks", wall, peak, f"{1000 / wall:.0f} files/s", ratio))
        print(f"{'normalize':10} {'annex normalize --jobs ' + str(jobs):40} {wall:8.3f} s {peak:8.1f} MiB {ratio}", flush=True)
    write_report(rows, args, marker="bench-normalize")


def measure_alone(cmd):
    """One run: (wall seconds, peak RSS MiB), and the CPU seconds that other processes used meanwhile
    (the machine's busy time from /proc/stat less the run's own user and system time)."""
    def busy():
        with open("/proc/stat") as f:
            ticks = [int(v) for v in f.readline().split()[1:9]]
        return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")
    before = busy()
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S"] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    peak, user, system = p.stderr.strip().splitlines()[-1].split()
    return (wall, int(peak) / 1024), max(0.0, busy() - before - float(user) - float(system))


def machine():
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / 1024 / 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB memory, {platform.system()} {platform.release()}, {swift}"


def write_report(rows, args, marker="bench"):
    lines = [f"<!-- {marker}:begin (written by Benchmarks/bench.py) -->",
             f"Machine: {machine()}. Runs per case: {args.runs} (medians).", "",
             "| section | tool | case | median wall | peak RSS | throughput | ratio |",
             "| --- | --- | --- | ---: | ---: | ---: | --- |"]
    for section, tool, case, wall, peak, rate, ratio in rows:
        lines.append(f"| {section} | {tool} | {case} | {wall:.3f} s | {peak:.1f} MiB | {rate} | {ratio} |")
    lines.append(f"<!-- {marker}:end -->")
    table = "\n".join(lines)
    path = os.path.join(ROOT, "BENCHMARKS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    pattern = rf"<!-- {marker}:begin.*?<!-- {marker}:end -->"
    text = re.sub(pattern, lambda _: table, text, flags=re.S) if re.search(pattern, text, flags=re.S) else text + "\n" + table + "\n"
    with open(path, "w") as f:
        f.write(text)
    print(f"table written to {path}")


if __name__ == "__main__":
    main()
