#!/usr/bin/env python3
"""Reads the built sample site with extruct, a third-party parser of JSON-LD and RDFa,
and checks the licence, creator and citation values machines will see.

    python3 tests/metadata/check_metadata.py PUBLIC_DIR

Exits non-zero, naming the page and the value, on the first mismatch; prints
'N passed, 0 failed' when every check holds.
"""
import os
import sys

import extruct

from checks import Checks

checks = Checks("metadata")
check = checks.check

BASE = "https://depeche.example.org"
CC_BY_SA_3 = "https://creativecommons.org/licenses/by-sa/3.0/"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
XHTML_LICENSE = "http://www.w3.org/1999/xhtml/vocab#license"
CC_NAME = "http://creativecommons.org/ns#attributionName"


def extract(public, path):
    with open(os.path.join(public, path.strip("/"), "index.html"), encoding="utf-8") as f:
        html = f.read()
    return extruct.extract(html, base_url=BASE + path, syntaxes=["json-ld", "rdfa"], uniform=False)


def rdfa_subject(data, subject):
    return next((node for node in data["rdfa"] if node.get("@id") == subject), {})


def main(public):
    # A French brief with an adapted CC BY-SA 3.0 image and two sources, one by name only.
    path = "/2022/06/ukraine-candidate/"
    data = extract(public, path)
    articles = [d for d in data["json-ld"] if d.get("@type") == "NewsArticle"]
    check(len(articles) == 1, path, "one NewsArticle")
    article = articles[0]
    check(article["inLanguage"] == "fr", path, "inLanguage fr")
    check(article["license"] == CC_BY_4, path, "text licence CC BY 4.0")
    names = [c["name"] for c in article["citation"]]
    check(names == ["Conseil européen", "AFP"], path, f"citation names {names}")
    check(article["citation"][0]["url"] == "https://www.consilium.europa.eu/fr/", path, "citation url")
    image = article["image"]
    check(image["license"] == CC_BY_SA_3, path, f"image licence {image['license']}")
    check(image["creator"]["name"] == "UP9", path, "image creator UP9")
    check(image["contentUrl"] == BASE + path + "flag.svg", path, "image contentUrl")
    check("Flag of Ukraine" in image["creditText"] and "CC BY-SA 3.0" in image["creditText"], path, "creditText")
    check(image["acquireLicensePage"].startswith("https://commons.wikimedia.org/"), path, "acquireLicensePage")
    page = rdfa_subject(data, BASE + path)
    check([o["@id"] for o in page.get(XHTML_LICENSE, [])] == [CC_BY_4], path, "RDFa page licence")
    picture = rdfa_subject(data, BASE + path + "flag.svg")
    check([o["@id"] for o in picture.get(XHTML_LICENSE, [])] == [CC_BY_SA_3], path, "RDFa image licence")
    check([o["@value"] for o in picture.get(CC_NAME, [])] == ["UP9"], path, "RDFa attributionName")

    # An English brief with a CC0 image from static/.
    path = "/2022/07/webb-first-images/"
    data = extract(public, path)
    article = data["json-ld"][0]
    check(article["image"]["license"] == CC0, path, "CC0 image licence")
    check([c["name"] for c in article["citation"]] == ["NASA", "European Space Agency"], path, "citations")
    picture = rdfa_subject(data, BASE + "/images/star-field.svg")
    check([o["@id"] for o in picture.get(XHTML_LICENSE, [])] == [CC0], path, "RDFa CC0")

    # A brief without image: no ImageObject, sources still cited.
    path = "/2025/10/windows-10-end-of-support/"
    article = extract(public, path)["json-ld"][0]
    check("image" not in article, path, "no image")
    check([c["name"] for c in article["citation"]] == ["Microsoft"], path, "Microsoft cited")
    check([a["name"] for a in article["author"]] == ["Sam Okafor", "Claire Dubois"], path, "authors")

    # Authors are Persons with their page on the site and their links elsewhere
    # (authors.yaml); the brief was corrected, and its modified date is the correction's.
    sam = article["author"][0]
    check(sam["@type"] == "Person", path, "author is a Person")
    check(sam["url"] == BASE + "/authors/sam-okafor/", path, f"author url {sam.get('url')}")
    check("https://social.example.org/@samokafor" in sam.get("sameAs", []), path, "author sameAs")
    corrections = article.get("correction", [])
    check(len(corrections) == 1 and corrections[0]["@type"] == "CorrectionComment", path, "one CorrectionComment")
    check(corrections[0]["datePublished"] == "2025-10-15", path, "correction date")
    check(article["dateModified"] == "2025-10-15", path, f"dateModified {article['dateModified']}")
    publisher = article["publisher"]
    check(publisher["@type"] == "NewsMediaOrganization", path, "publisher NewsMediaOrganization")
    check(publisher["correctionsPolicy"].startswith("https://"), path, "correctionsPolicy")
    check(publisher["ethicsPolicy"].startswith("https://"), path, "ethicsPolicy")

    # Types of work: an analysis and an opinion.
    for path, kind in [
        ("/2025/10/windows-10-analysis/", "AnalysisNewsArticle"),
        ("/2025/10/tribune-duree-des-mises-a-jour/", "OpinionNewsArticle"),
    ]:
        types = [d.get("@type") for d in extract(public, path)["json-ld"]]
        check(types == [kind], path, f"@type {types}")

    # A photo: the image and its crops for search engines (16:9, 4:3, 1:1, 50,000 pixels
    # or more), each credited, each a published file of that size.
    path = "/2024/07/paris-2024-ceremonie/"
    images = extract(public, path)["json-ld"][0]["image"]
    check(isinstance(images, list) and len(images) == 4, path, f"the photo and three crops: {images}")
    for image in images:
        check(image["license"] == CC_BY_4, path, f"crop licence {image.get('license')}")
        check(image["creator"]["name"] == "Rédaction de Depeche", path, "crop creator")
    shapes = []
    for crop in images[1:]:
        width, height = crop["width"], crop["height"]
        shapes.append(round(width / height, 2))
        check(width * height >= 50000, path, f"crop of {width}×{height}")
        file = os.path.join(public, crop["contentUrl"].removeprefix(BASE + "/"))
        check(os.path.isfile(file), path, f"crop file {file}")
    check(shapes == [1.78, 1.33, 1.0], path, f"crop shapes {shapes}")

    # An image of the body is credited like the lead image: an ImageObject with its licence.
    path = "/2025/10/windows-10-analysis/"
    article = extract(public, path)["json-ld"][0]
    media = article.get("associatedMedia", [])
    check(len(media) == 1 and media[0]["@type"] == "ImageObject", path, "one body image")
    check(media[0]["license"] == CC_BY_4, path, f"body image licence {media[0].get('license')}")
    check(media[0]["creator"]["name"] == "Depeche sample newsroom", path, "body image creator")
    check(media[0]["contentUrl"] == BASE + "/images/esu-prices.svg", path, "body image contentUrl")
    page = rdfa_subject(extract(public, path), BASE + path)
    check([o["@id"] for o in page.get(XHTML_LICENSE, [])] == [CC_BY_4], path, "the body image adds no RDFa licence to the page")

    # An author's page is a ProfilePage about the Person, with the photo credited.
    path = "/authors/claire-dubois/"
    profile = extract(public, path)["json-ld"][0]
    check(profile["@type"] == "ProfilePage", path, "ProfilePage")
    person = profile["mainEntity"]
    check(person["@type"] == "Person" and person["name"] == "Claire Dubois", path, "the Person")
    check(person["url"] == BASE + path, path, "Person url")
    check(person["image"] == BASE + "/images/authors/claire-dubois.svg", path, "Person image")
    check(person.get("description", "").startswith("Claire Dubois suit"), path, "bio in the page's language")

    checks.done()


if __name__ == "__main__":
    main(sys.argv[1])
