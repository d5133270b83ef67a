#!/usr/bin/env bash
# Fuzzes the legacy .xls reader (compound file + BIFF) with libFuzzer for SECONDS seconds:
#   Fuzz/run.sh 300
# Builds Fuzz/XLSFuzzTarget.swift with the AnnexIO sources (-sanitize=fuzzer,address), seeds the
# corpus with the .xls fixtures of Tests/Fixtures/make_xls_fixtures.py, and runs the fuzzer.
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
# Seeds under 256 KiB (the DIFAT fixture is 8 MiB): every valid and broken .xls.
find "$work/seeds" -name '*.xls' -size -256k -exec cp {} "$work/corpus/" \;

cd "$work"
./xls-fuzzer -max_total_time="$seconds" -max_len=262144 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 corpus
