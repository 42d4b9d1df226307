#!/usr/bin/env bash
# The cost of photos in an unchanged rebuild: the 10,000-brief corpus (bench/corpus.py,
# whose briefs lead with 200 images) built three ways: without any image (image blocks
# removed), as generated (200 SVG files, copied as they are), and with the 200 SVG files
# replaced by 12-megapixel JPEG photos (bench/photos.rs), published as variants. Each site
# is built once first (the photos' variants are made then), then hyperfine alternates
# unchanged rebuilds of the three.
#
#   bench/images_rebuild.sh [N]        default: 10000
#
# Needs: python3, hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
scratch="${SCRATCH:-/dev/shm}/depeche-images-rebuild"
runs="${RUNS:-20}"
mkdir -p "$scratch"

cargo build --release --quiet
cargo build --release --quiet --example photos
depeche="$PWD/target/release/depeche"

svg="$scratch/svg-$n"
plain="$scratch/plain-$n"
photos="$scratch/photos-$n"
if [ ! -d "$svg/content" ]; then
  python3 bench/corpus.py "$n" "$svg" >/dev/null
fi
# Images alone are measured: no search index (bench/search.sh measures search).
grep -q '^search' "$svg/depeche.toml" || printf '\nsearch = false\n' >>"$svg/depeche.toml"
rm -rf "$plain" "$photos"
cp -r "$svg" "$plain"
cp -r "$svg" "$photos"
rm -rf "$svg/.depeche" "$svg/public"
python3 - "$plain" "$photos" <<'PY'
import os, re, sys
plain, photos = sys.argv[1:3]
for site, change in [
    # No image: the image block (its indented lines) taken out of the front matter.
    (plain, lambda text: re.sub(r"^image:\n(?:  .*\n)+", "", text, count=1, flags=re.M)),
    # Photos: the same 200 images, as JPEG.
    (photos, lambda text: re.sub(r"/images/photo-(\d+)\.svg", r"/images/photo-\1.jpg", text)),
]:
    for folder, _, files in os.walk(os.path.join(site, "content")):
        for name in files:
            path = os.path.join(folder, name)
            with open(path) as f:
                text = f.read()
            with open(path, "w") as f:
                f.write(change(text))
PY
rm -f "$photos"/static/images/photo-*.svg
seq 0 199 | xargs -P "$(nproc)" -I{} sh -c "'$PWD/target/release/examples/photos' '$photos/static/images' 1 4000 3000 \$(({} + 1)) && mv '$photos/static/images/photo-'\$(printf %04d \$(({} + 1)))'.jpg' '$photos/static/images/photo-{}.jpg'"

for site in "$plain" "$svg" "$photos"; do
  /usr/bin/time -f "first build of $(basename "$site"): %e s, %M KiB" "$depeche" build --root "$site" >/dev/null
done
hyperfine --style none --runs "$runs" --warmup 2 --export-json "$scratch/result.json" \
  "$depeche build --root $plain" "$depeche build --root $svg" "$depeche build --root $photos" >/dev/null
python3 - "$scratch/result.json" "$n" <<'PY'
import json, statistics, sys
results = json.load(open(sys.argv[1]))["results"]
plain, svg, photos = (statistics.median(r["times"]) * 1000 for r in results)
print("| briefs | no image | 200 SVG images | 200 photos (12 MP) | photos ÷ no image |")
print("| --- | --- | --- | --- | --- |")
print(f"| {sys.argv[2]} | {plain:.0f} ms | {svg:.0f} ms | {photos:.0f} ms | {photos / plain:.2f}× |")
PY
