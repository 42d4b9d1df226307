#!/usr/bin/env python3
"""Parses every feed of the built sample site with feedparser, a real feed parser, and
checks its entries and links.

    python3 tests/metadata/check_feeds.py PUBLIC_DIR

Prints 'feeds: N passed, 0 failed' when every check holds.
"""
import json
import os
import sys

import feedparser

from checks import Checks

checks = Checks("feeds")
check = checks.check

BASE = "https://depeche.example.org"



def main(public):
    feeds = []
    for folder, _, files in os.walk(public):
        for name in files:
            if name in ("atom.xml", "rss.xml", "feed.json"):
                feeds.append(os.path.join(folder, name))
    check(len(feeds) >= 9, public, f"site, tag and language feeds ({len(feeds)})")
    pages = set()
    for folder, _, files in os.walk(public):
        if "index.html" in files:
            pages.add(BASE + "/" + os.path.relpath(folder, public).replace(os.sep, "/").strip(".") + "/")
    for path in sorted(feeds):
        where = os.path.relpath(path, public)
        if path.endswith(".json"):
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
            check(data["version"] == "https://jsonfeed.org/version/1.1", where, "JSON Feed 1.1")
            items = data["items"]
            check(all(i["content_html"] and i["summary"] for i in items), where, "content and summary")
            links = [i["url"] for i in items]
        else:
            parsed = feedparser.parse(path)
            check(not parsed.bozo, where, f"parses without error ({parsed.get('bozo_exception')})")
            items = parsed.entries
            check(all(e.get("summary") and e.get("content", [{}])[0].get("value") for e in items), where, "content and summary")
            links = [e.link for e in items]
        check(len(items) >= 1, where, "entries")
        # A correction's entry links to its notice on the brief's page (#correction-N).
        page_links = [link.split("#")[0].replace("//", "/").replace("https:/", "https://") for link in links]
        check(all(link in pages for link in page_links), where, f"links lead to pages: {links}")

    site = feedparser.parse(os.path.join(public, "atom.xml"))
    check(len(site.entries) == 9, "atom.xml", f"every published brief ({len(site.entries)})")
    flag = next(e for e in site.entries if e.link.endswith("/2022/06/ukraine-candidate/"))
    content = flag.content[0].value
    check("Flag of Ukraine" in content and "CC BY-SA 3.0" in content, "atom.xml", "the image credit is in the entry")
    check("Conseil européen" in content and "AFP" in content, "atom.xml", "the sources are in the entry")
    french = feedparser.parse(os.path.join(public, "fr", "rss.xml"))
    check(len(french.entries) == 5, "fr/rss.xml", f"French briefs only ({len(french.entries)})")
    # The corrections' feeds carry corrections, each linking to its notice.
    log = feedparser.parse(os.path.join(public, "corrections", "atom.xml"))
    check(len(log.entries) == 2, "corrections/atom.xml", f"every correction ({len(log.entries)})")
    check(all("#correction-" in e.link for e in log.entries), "corrections/atom.xml", "links to the notices")
    check(all(e.title.startswith("Correction") for e in log.entries), "corrections/atom.xml", "titled as corrections")
    english = feedparser.parse(os.path.join(public, "en", "corrections", "rss.xml"))
    check(len(english.entries) == 1, "en/corrections/rss.xml", f"English corrections only ({len(english.entries)})")
    # An author's feed holds their briefs only.
    author = feedparser.parse(os.path.join(public, "authors", "sam-okafor", "atom.xml"))
    check(len(author.entries) == 3, "authors/sam-okafor/atom.xml", f"Sam Okafor's briefs ({len(author.entries)})")
    checks.done()


if __name__ == "__main__":
    main(sys.argv[1])
