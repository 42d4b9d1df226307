#!/usr/bin/env bash
# What search costs: the bench corpus (bench/corpus.py) built by Depeche with search (the
# default) and without (`search = false`), and the Pagefind command line (npm's
# `pagefind`, the same version as the crate) run over the search-less output, alternated
# by hyperfine; then peak memory, and unchanged rebuilds with and without search.
#
#   bench/search.sh [N]        default: 10000
#   PAGEFIND=path/to/pagefind bench/search.sh    (default: pagefind on PATH)
#
# Needs: python3, hyperfine, /usr/bin/time, pagefind (npm install pagefind@1.6.0).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
scratch="${SCRATCH:-/dev/shm}/depeche-search"
runs="${RUNS:-5}"
pagefind="${PAGEFIND:-pagefind}"
mkdir -p "$scratch"

cargo build --release --quiet
depeche="$PWD/target/release/depeche"

with="$scratch/with-$n"
without="$scratch/without-$n"
if [ ! -d "$with/content" ]; then
  python3 bench/corpus.py "$n" "$with" >/dev/null
fi
rm -rf "$without" && cp -r "$with" "$without" && rm -rf "$without/.depeche" "$without/public"
printf '\nsearch = false\n' >>"$without/depeche.toml"
"$depeche" build --root "$without" >/dev/null
pagefind_site="$scratch/pagefind-site-$n"

hyperfine --style none --runs "$runs" --export-json "$scratch/first.json" \
  --prepare "rm -rf $with/.depeche $with/public $without/.depeche $without/public" \
  "$depeche build --root $with" \
  "$depeche build --root $without" >/dev/null
rm -rf "$pagefind_site" && cp -r "$without/public" "$pagefind_site"
hyperfine --style none --runs "$runs" --export-json "$scratch/pagefind.json" \
  --prepare "rm -rf $pagefind_site/pagefind" \
  "$pagefind --site $pagefind_site --quiet" >/dev/null
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
rm -rf "$with/.depeche" "$with/public"
memory_with=$(peak "$depeche" build --root "$with")
rm -rf "$without/.depeche" "$without/public"
memory_without=$(peak "$depeche" build --root "$without")
memory_pagefind=$(peak "$pagefind" --site "$pagefind_site" --quiet)
hyperfine --style none --runs "$((runs * 4))" --warmup 2 --export-json "$scratch/rebuild.json" \
  "$depeche build --root $with" "$depeche build --root $without" >/dev/null
index_size=$(du -sk "$with/public/pagefind" | cut -f1)
python3 - "$scratch" "$n" "$memory_with" "$memory_without" "$memory_pagefind" "$index_size" <<'PY'
import json, statistics, sys
scratch, n, mem_with, mem_without, mem_pagefind, index_kib = sys.argv[1:7]
median = lambda name, i: statistics.median(json.load(open(f"{scratch}/{name}.json"))["results"][i]["times"])
with_s, without_s, pagefind_s = median("first", 0), median("first", 1), median("pagefind", 0)
rebuild_with, rebuild_without = median("rebuild", 0) * 1000, median("rebuild", 1) * 1000
added = with_s - without_s
print("| briefs | with search | without | search adds | Pagefind CLI over the output | added ÷ CLI | peak memory with / without / CLI | unchanged rebuild with / without | index |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
print(f"| {n} | {with_s:.2f} s | {without_s:.2f} s | {added:.2f} s | {pagefind_s:.2f} s | {added / pagefind_s:.2f} | {mem_with} / {mem_without} / {mem_pagefind} MiB | {rebuild_with:.0f} / {rebuild_without:.0f} ms ({rebuild_with / rebuild_without:.2f}×) | {int(index_kib) / 1024:.1f} MiB |")
PY
