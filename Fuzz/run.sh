#!/usr/bin/env bash
# Fuzzes annex's readers with libFuzzer for SECONDS seconds (default 60); further arguments go to
# libFuzzer (CI runs a fixed number of inputs from a fixed seed, so that a run can be repeated):
#   Fuzz/run.sh 300
#   Fuzz/run.sh 120 -seed=1 -runs=20000
# One target, Fuzz/ReadersFuzzTarget.swift, covers the xlsx package, sheet scanner, shared strings
# and styles, the CSV reader, the legacy .xls reader (compound file + BIFF) and the content sniffer;
# it is built with the AnnexIO sources (-sanitize=fuzzer,address), and its corpus is seeded with
# the fixtures of Tests/Fixtures (make_fixtures.py needs openpyxl, xlsxwriter and soffice;
# make_xls_fixtures.py and make_legacy_text_fixtures.py need xlrd and xlwt).
# Findings (crash-*, timeout-*, oom-*) land in .build/fuzz/; exit status non-zero when one was found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
shift || true
work=.build/fuzz
mkdir -p "$work/corpus"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name AnnexFuzz \
    -I Sources/CZlibAnnex -I Sources/CLibXML2 -I Sources/CAnnexSIMD -Xcc -I/usr/include/libxml2 \
    $(find Sources/AnnexIO -name '*.swift' | sort) Fuzz/ReadersFuzzTarget.swift \
    -o "$work/fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)

for maker in make_fixtures make_xls_fixtures make_legacy_text_fixtures; do
    if [ ! -e "$work/seeds/$maker/manifest.json" ]; then
        rm -rf "$work/seeds/$maker"
        python3 "Tests/Fixtures/$maker.py" "$work/seeds/$maker" >/dev/null
    fi
done
# Seeds under 256 KiB, each behind the byte that tells the target what it is.
python3 - "$work/seeds" "$work/corpus" <<'PY'
import os, sys, zipfile
seeds, corpus = sys.argv[1:]

def put(name, mode, data):
    open(os.path.join(corpus, "%d-%s" % (mode, name)), "wb").write(bytes([mode]) + data)

for folder, _, names in os.walk(seeds):
    for name in names:
        path = os.path.join(folder, name)
        data = open(path, "rb").read()
        if len(data) > 256 << 10 or name == "manifest.json":
            continue
        if name.endswith(".csv"):
            put(name, 4, data)
        elif data.startswith(b"PK"):
            # Whole (0), and its first sheet, shared strings and styles as parts (1, 2, 3).
            put(name, 0, data)
            try:
                with zipfile.ZipFile(path) as z:
                    members = {m.replace("\\", "/").lower(): m for m in z.namelist()}
                    for part, mode in (("xl/worksheets/sheet1.xml", 1), ("xl/sharedstrings.xml", 2), ("xl/styles.xml", 3)):
                        if part in members:
                            put(name, mode, z.read(members[part]))
            except Exception:
                pass
        elif data.startswith(b"\xd0\xcf\x11\xe0"):
            # Whole (5) and as its bare Workbook/Book stream (6).
            put(name, 5, data)
            from xlrd.compdoc import CompDoc
            try:
                doc = CompDoc(data, logfile=open(os.devnull, "w"))
                stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
            except Exception:
                stream = None
            if stream:
                put(name, 6, stream)
        else:
            put(name, 7, data)   # HTML tables, SpreadsheetML, anything else: opened by content
PY

cd "$work"
./fuzzer -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 "$@" corpus
