#!/usr/bin/env bash
# Fuzzes the legacy .xls reader (compound file + BIFF) with libFuzzer for SECONDS seconds:
#   Fuzz/run.sh 300
# Builds Fuzz/XLSFuzzTarget.swift with the AnnexIO sources (-sanitize=fuzzer,address), seeds the
# corpus with the .xls fixtures of Tests/Fixtures/make_xls_fixtures.py (needs python3 with xlrd),
# and runs the fuzzer.
# Findings (crash-*, timeout-*, oom-*) land in .build/fuzz/; exit status non-zero when one was found.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
work=.build/fuzz
mkdir -p "$work/corpus"

swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name AnnexFuzz \
    -I Sources/CZlibAnnex -I Sources/CLibXML2 -Xcc -I/usr/include/libxml2 \
    $(find Sources/AnnexIO -name '*.swift' | sort) Fuzz/XLSFuzzTarget.swift \
    -o "$work/xls-fuzzer" 2> >(grep -v "Cannot export local symbol" >&2)

if [ ! -e "$work/seeds/manifest.json" ]; then
    rm -rf "$work/seeds"
    python3 Tests/Fixtures/make_xls_fixtures.py "$work/seeds" >/dev/null
fi
# Seeds under 256 KiB (the DIFAT fixture is 8 MiB): every valid and broken .xls, whole (first byte
# 0) and as its bare Workbook/Book stream (first byte 1, extracted with xlrd's compound file reader).
python3 - "$work/seeds" "$work/corpus" <<'PY'
import os, sys
from xlrd.compdoc import CompDoc
seeds, corpus = sys.argv[1:]
for folder, _, names in os.walk(seeds):
    for name in names:
        data = open(os.path.join(folder, name), "rb").read()
        if not name.endswith(".xls") or len(data) > 256 << 10:
            continue
        open(os.path.join(corpus, "file-" + name), "wb").write(b"\0" + data)
        try:
            doc = CompDoc(data, logfile=open(os.devnull, "w"))
            stream = doc.get_named_stream("Workbook") or doc.get_named_stream("Book")
        except Exception:
            continue
        if stream:
            open(os.path.join(corpus, "stream-" + name), "wb").write(b"\1" + stream)
PY

cd "$work"
./xls-fuzzer -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 corpus
