#!/usr/bin/env python3
"""Builds a site whose brief leads with a 12-megapixel photo, serves it with nginx (gzip
on, as a host would) and runs Lighthouse's mobile performance audit on the brief's page
with Debian's Chromium: the score must be 0.95 or more, with no finding on image sizes,
formats or dimensions.

    python3 tests/lighthouse/check_lighthouse.py DEPECHE PHOTO.jpg LIGHTHOUSE

Prints 'lighthouse: N passed, 0 failed' when every check holds, with the figures.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "metadata"))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "nginx"))
from checks import Checks  # noqa: E402
from check_nginx import serve  # noqa: E402

checks = Checks("lighthouse")
check = checks.check

CONFIG = 'title = "Port news"\nbase_url = "https://news.example.org/"\nlanguage = "en"\n'

BRIEF = """---
title: The harbour reopens to fishing boats after the storm
date: 2026-11-20
lang: en
summary: Six weeks after the storm, the harbour's north quay takes boats again.
sources:
  - name: Harbour authority
    url: https://harbour.example.org/notices/reopening
image:
  src: port.jpg
  alt: Hills above the water at sunset, seen from the harbour
  title: Evening over the harbour
  author: Depeche sample newsroom
  source: Depeche sample newsroom
  source_url: https://newsroom.example.org/
  license: CC-BY-4.0
---

The north quay of the harbour reopened on Friday to fishing boats, six weeks after the
storm that tore two pontoons from their moorings, the harbour authority said.

Repairs cost about 1.2 million euros, shared between the region and the port. The south
quay stays closed to visitors until the spring, while divers check its foundations.

Fishermen had landed their catch in the neighbouring town since October.
"""

# The audits about images that must find nothing.
IMAGE_AUDITS = ["uses-responsive-images", "modern-image-formats", "unsized-images", "uses-optimized-images"]


def main(depeche, photo, lighthouse):
    with tempfile.TemporaryDirectory() as work:
        site = os.path.join(work, "site")
        os.makedirs(os.path.join(site, "content"))
        with open(os.path.join(site, "depeche.toml"), "w") as f:
            f.write(CONFIG)
        with open(os.path.join(site, "content", "harbour.md"), "w") as f:
            f.write(BRIEF)
        shutil.copy(photo, os.path.join(site, "content", "port.jpg"))
        public = os.path.join(work, "public")
        subprocess.run([depeche, "build", "--root", site, "--output", public], check=True)
        report_path = os.path.join(work, "report.json")
        gzip = "gzip on; gzip_types text/css application/javascript image/svg+xml application/json;"
        with serve(public, gzip) as base:
            url = f"{base}/2026/11/harbour/"
            env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "chromium")
            subprocess.run(
                [
                    lighthouse, url,
                    "--only-categories=performance",
                    "--output=json", f"--output-path={report_path}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    "--quiet",
                ],
                check=True,
                env=env,
            )
        with open(report_path) as f:
            report = json.load(f)
    check(report["configSettings"]["formFactor"] == "mobile", url, "the mobile run")
    score = report["categories"]["performance"]["score"]
    audits = report["audits"]
    figures = {key: audits[key]["displayValue"] for key in ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "total-byte-weight"]}
    print(f"lighthouse: performance {score} {figures}")
    check(score >= 0.95, url, f"performance {score} {figures}")
    for audit in IMAGE_AUDITS:
        result = audits[audit]
        found = result.get("details", {}).get("items", [])
        passed = result["scoreDisplayMode"] == "notApplicable" or (result["score"] == 1 and not found)
        check(passed, url, f"{audit}: {result.get('displayValue', '')} {found}")
    checks.done()


if __name__ == "__main__":
    main(*sys.argv[1:4])
