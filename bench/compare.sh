#!/usr/bin/env bash
# Builds the same corpus with Depeche, the floor program and Hugo, alternating them
# (hyperfine), and prints medians, ratios and peak memory. A fourth command is the floor
# writing, instead of its shells, as many files and bytes as Depeche publishes
# (`floor --sizes`): the least a generator publishing Depeche's output must do.
#
#   bench/compare.sh [N…]            default: 1000 10000
#   SCRATCH=/some/disk/folder bench/compare.sh 10000   to measure on disk instead of tmpfs
#   RUNS=1 WARMUP=0 bench/compare.sh 100000           one timed run each (Hugo takes minutes)
#
# Needs: python3, hyperfine and hugo (Debian packages), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(1000 10000)
scratch="${SCRATCH:-/dev/shm}/depeche-bench"
runs="${RUNS:-5}"
warmup="${WARMUP:-1}"
mkdir -p "$scratch"

cargo build --release --quiet
cargo build --release --quiet --example floor
depeche="$PWD/target/release/depeche"
floor="$PWD/target/release/examples/floor"

median() { python3 -c "import json,sys,statistics; r=json.load(open(sys.argv[1]))['results']; print(' '.join(f'{statistics.median(x[\"times\"]):.3f}' for x in r))" "$1"; }
peak_mib() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }

echo "| briefs | Depeche | floor | Hugo | Depeche ÷ floor | Hugo ÷ Depeche | peak memory Depeche / floor / Hugo | floor writing Depeche's files | Depeche ÷ that |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for n in "${sizes[@]}"; do
  site="$scratch/site-$n"
  if [ ! -d "$site/content" ]; then
    python3 bench/corpus.py "$n" "$site" >/dev/null
  fi
  # Neither Hugo nor the floor writes a search index: compared writing the same files
  # (bench/search.sh measures search).
  grep -q '^search' "$site/depeche.toml" || printf '\nsearch = false\n' >>"$site/depeche.toml"
  hugo_site="$scratch/hugo-$n"
  rm -rf "$hugo_site"
  mkdir -p "$hugo_site"
  cp -r bench/hugo/. "$hugo_site/"
  cp -r "$site/static" "$hugo_site/static"  # Hugo refuses symbolic links here
  out="$scratch/out-$n"
  rm -rf "$out"
  mkdir -p "$out"
  sizes="$scratch/sizes-$n.txt"
  "$depeche" build --root "$site" --output "$out/sizes" >/dev/null
  (cd "$out/sizes" && find . -type f -printf '%P %s\n') >"$sizes"
  rm -rf "$out/sizes"
  hyperfine --style none --warmup "$warmup" --runs "$runs" --export-json "$scratch/result-$n.json" \
    --prepare "rm -rf $out/depeche $out/floor $out/hugo $out/floor-same" \
    "$depeche build --root $site --output $out/depeche" \
    "$floor $site $out/floor" \
    "hugo --quiet --source $hugo_site --contentDir $site/content --destination $out/hugo" \
    "$floor $site $out/floor-same --sizes $sizes" >/dev/null
  read -r depeche_s floor_s hugo_s same_s < <(median "$scratch/result-$n.json")
  rm -rf "$out"/*
  memory_depeche=$(peak_mib "$depeche" build --root "$site" --output "$out/depeche")
  memory_floor=$(peak_mib "$floor" "$site" "$out/floor")
  memory_hugo=$(peak_mib hugo --quiet --source "$hugo_site" --contentDir "$site/content" --destination "$out/hugo")
  python3 - "$n" "$depeche_s" "$floor_s" "$hugo_s" "$memory_depeche" "$memory_floor" "$memory_hugo" "$same_s" <<'PY'
import sys
n, d, f, h, md, mf, mh, s = sys.argv[1:]
d, f, h, s = float(d), float(f), float(h), float(s)
print(f"| {int(n):,} | {d:.2f} s | {f:.2f} s | {h:.2f} s | {d / f:.1f}× | {h / d:.1f}× | {md} / {mf} / {mh} MiB | {s:.2f} s | {d / s:.1f}× |")
PY
done
