#!/usr/bin/env bash
# The image benchmark: N photos of 12 megapixels (made by bench/photos.rs, no downloads),
# each published at 480, 960 and 1600 pixels in WebP and JPEG at quality 80, by Depeche
# (a site of N briefs, one photo each, the variant cache emptied before each run), by
# vipsthumbnail (libvips, the fastest common tool: the floor; one process per photo and
# width, run on every core), and by Hugo (.Resize in a page bundle per photo, its cache
# emptied before each run), alternated by hyperfine. Prints medians, photos per second
# and peak memory.
#
#   bench/images.sh [N]            default: 200
#
# Needs: hyperfine, hugo, libvips-tools (vipsthumbnail), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-200}"
scratch="${SCRATCH:-/dev/shm}/depeche-images"
runs="${RUNS:-3}"
mkdir -p "$scratch"

cargo build --release --quiet
cargo build --release --quiet --example photos
depeche="$PWD/target/release/depeche"

photos="$scratch/photos-$n"
if [ ! -f "$photos/photo-$(printf %04d "$n").jpg" ]; then
  mkdir -p "$photos"
  seq 1 "$n" | xargs -P "$(nproc)" -I{} "$PWD/target/release/examples/photos" "$photos" 1 4000 3000 {}
fi

site="$scratch/site-$n"
rm -rf "$site" && mkdir -p "$site/content" "$site/static/photos"
# No search index: Hugo and vipsthumbnail write none (bench/search.sh measures search).
printf 'title = "Images"\nbase_url = "https://bench.example.org/"\nlicense = "CC-BY-4.0"\nsearch = false\n' >"$site/depeche.toml"
hugo_site="$scratch/hugo-$n"
rm -rf "$hugo_site" && cp -r bench/hugo-images "$hugo_site" && mkdir -p "$hugo_site/content"
for i in $(seq 1 "$n"); do
  name="photo-$(printf %04d "$i")"
  cat >"$site/content/brief-$i.md" <<BRIEF
---
title: Brief $i
date: 2026-01-01
lang: en
sources:
  - name: Agency
    url: https://agency.example/$i
image:
  src: /photos/$name.jpg
  alt: A generated landscape
  title: Landscape $i
  author: Bench Photographer
  source: Bench
  source_url: https://bench.example.org/photos/$i
  license: CC-BY-4.0
---

Text.
BRIEF
  mkdir -p "$hugo_site/content/p$i"
  cp "$photos/$name.jpg" "$hugo_site/content/p$i/photo.jpg"
  printf -- '---\ntitle: P%s\n---\n' "$i" >"$hugo_site/content/p$i/index.md"
done
# Symbolic links in static/ are not published: the photos are copied.
cp "$photos"/*.jpg "$site/static/photos/"

vips_out="$scratch/vips-out"
cat >"$scratch/vips.sh" <<VIPS
#!/usr/bin/env bash
set -e
rm -rf "$vips_out" && mkdir -p "$vips_out"
for w in 480 960 1600; do for ext in webp jpg; do
  ls "$photos"/*.jpg | xargs -P "$(nproc)" -n 8 vipsthumbnail -s "\$w" -o "$vips_out/%s-\$w.\$ext[Q=80,strip]"
done; done
VIPS
chmod +x "$scratch/vips.sh"

hyperfine --style none --runs "$runs" --export-json "$scratch/result.json" \
  --prepare "rm -rf $site/.depeche $site/public $hugo_site/resources $hugo_site/public" \
  "$depeche build --root $site" \
  "$scratch/vips.sh" \
  "hugo --quiet --source $hugo_site" >/dev/null
read -r depeche_s vips_s hugo_s < <(python3 -c "import json,statistics; r=json.load(open('$scratch/result.json'))['results']; print(' '.join(f'{statistics.median(x[\"times\"]):.2f}' for x in r))")
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
rm -rf "$site/.depeche" "$site/public"
memory=$(peak "$depeche" build --root "$site")
rebuild=$( { /usr/bin/time -f "%e" "$depeche" build --root "$site" >/dev/null; } 2>&1 | tail -1)
python3 - "$n" "$depeche_s" "$vips_s" "$hugo_s" "$memory" "$rebuild" <<'PY'
import sys
n, depeche, vips, hugo, memory, rebuild = sys.argv[1], *map(float, sys.argv[2:5]), sys.argv[5], sys.argv[6]
print(f"| photos | Depeche | vipsthumbnail | Hugo | Depeche ÷ vipsthumbnail | Hugo ÷ Depeche | Depeche peak memory | unchanged rebuild |")
print(f"| --- | --- | --- | --- | --- | --- | --- | --- |")
print(f"| {n} × 12 MP | {depeche:.2f} s ({int(n)/depeche:.1f}/s) | {vips:.2f} s | {hugo:.2f} s | {depeche/vips:.2f}× | {hugo/depeche:.2f}× | {memory} MiB | {rebuild} s |")
PY
