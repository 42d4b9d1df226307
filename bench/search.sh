#!/usr/bin/env bash
# What search costs: the bench corpus (bench/corpus.py) built by Depeche with search (the
# default) and without (`search = false`), and the Pagefind command line (npm's
# `pagefind`, the same version as the crate) run over the search-less output, alternated
# by hyperfine; then peak memory, unchanged rebuilds and rebuilds after one edit with and
# without search, and (with PLAYWRIGHT_DIR) what a query downloads.
#
#   bench/search.sh [N]        default: 10000
#   PAGEFIND=path/to/pagefind bench/search.sh    (default: pagefind on PATH; "skip": not run)
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
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
rm -f "$scratch/pagefind.json"
memory_pagefind=0
if [ "$pagefind" != skip ]; then
  rm -rf "$pagefind_site" && cp -r "$without/public" "$pagefind_site"
  # Also over the brief pages alone (the corpus's addresses are /YEAR/MONTH/SLUG/): what
  # feeding Pagefind the rendered pages, rather than records made from the model, costs.
  hyperfine --style none --runs "$runs" --export-json "$scratch/pagefind.json" \
    --prepare "rm -rf $pagefind_site/pagefind" \
    "$pagefind --site $pagefind_site --quiet" \
    "$pagefind --site $pagefind_site --quiet --glob '20*/*/*/index.html'" >/dev/null
  memory_pagefind=$(peak "$pagefind" --site "$pagefind_site" --quiet)
fi
rm -rf "$with/.depeche" "$with/public"
memory_with=$(peak "$depeche" build --root "$with")
rm -rf "$without/.depeche" "$without/public"
memory_without=$(peak "$depeche" build --root "$without")
hyperfine --style none --runs "$((runs * 4))" --warmup 2 --export-json "$scratch/rebuild.json" \
  "$depeche build --root $with" "$depeche build --root $without" >/dev/null
# One edit: a line added to a brief of the newest year, then to one of the oldest (the
# same file in both sites), each followed by a build with search and one without.
years=$(grep -rh '^date:' "$with/content" | cut -c7-10 | sort -u)
for year in $(echo "$years" | tail -1) $(echo "$years" | head -1); do
  # (head closes the pipe early: grep's SIGPIPE is no failure)
  brief=$(basename "$(grep -rl "^date: $year" "$with/content" | head -1 || true)")
  hyperfine --style none --runs "$runs" --export-json "$scratch/edit-$year.json" \
    --prepare "date +%s%N | tee -a $with/content/$brief >>$without/content/$brief" \
    "$depeche build --root $with" "$depeche build --root $without" >/dev/null
done
index_size=$(du -sk "$with/public/pagefind" | cut -f1)
shards=$(find "$with/public/pagefind" -name pagefind-entry.json | wc -l)
python3 - "$scratch" "$n" "$memory_with" "$memory_without" "$memory_pagefind" "$index_size" "$shards" $(echo "$years" | tail -1) $(echo "$years" | head -1) <<'PY'
import json, statistics, sys
scratch, n, mem_with, mem_without, mem_pagefind, index_kib, shards, newest, oldest = sys.argv[1:10]
median = lambda name, i: statistics.median(json.load(open(f"{scratch}/{name}.json"))["results"][i]["times"])
with_s, without_s = median("first", 0), median("first", 1)
try:
    pagefind_s, pagefind_briefs_s = median("pagefind", 0), median("pagefind", 1)
except FileNotFoundError:  # PAGEFIND=skip
    pagefind_s = pagefind_briefs_s = float("nan")
rebuild_with, rebuild_without = median("rebuild", 0) * 1000, median("rebuild", 1) * 1000
added = with_s - without_s
edits = " / ".join(f"{median(f'edit-{y}', 0):.2f} vs {median(f'edit-{y}', 1):.2f} s" for y in (newest, oldest))
print("| briefs | with search | without | search adds | Pagefind CLI over the output (brief pages only) | added ÷ CLI | peak memory with / without / CLI | unchanged rebuild with / without | one edit, newest / oldest year, with vs without | index (shards) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
print(f"| {n} | {with_s:.2f} s | {without_s:.2f} s | {added:.2f} s | {pagefind_s:.2f} s ({pagefind_briefs_s:.2f} s) | {added / pagefind_s:.2f} | {mem_with} / {mem_without} / {mem_pagefind} MiB | {rebuild_with:.0f} / {rebuild_without:.0f} ms ({rebuild_with / rebuild_without:.2f}×) | {edits} | {int(index_kib) / 1024:.1f} MiB ({shards}) |")
PY
# What one query downloads, in Chromium (needs playwright-core in PLAYWRIGHT_DIR).
if [ -n "${PLAYWRIGHT_DIR:-}" ]; then
  for words in "retraites" "syndicats printemps"; do
    node bench/search_query.mjs "$with/public" "$words" /search/
  done
fi
