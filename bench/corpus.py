#!/usr/bin/env python3
"""Writes a synthetic Depeche site of N briefs, deterministic from a seed.

    python3 bench/corpus.py N OUT_DIR [--seed 42]

Each brief has 4-7 paragraphs (about 350-500 words) with links, emphasis, lists and
quotes, 2-4 tags out of 60, 1-3 sources and a lead image out of 200, each always credited
the same way, under CC BY-SA 3.0 (half of them adapted), CC BY 4.0 or CC0; 70 % are in
French, 30 % in English; dates spread over three years. Each brief names one or two of 40
reporters, whom authors.yaml describes, and one in twenty carries a correction. (Authors
and corrections come from a generator of their own, so that the rest of each brief is
what earlier corpora of the same seed held.)
"""
import argparse
import datetime
import os
import random

WORDS_FR = ("le gouvernement a annoncé mardi une réforme des retraites qui doit entrer en vigueur "
            "au printemps selon les syndicats la mesure concerne plusieurs millions de salariés "
            "et suscite de nombreuses critiques dans l'opposition comme au sein de la majorité").split()
WORDS_EN = ("the government announced on tuesday a pension reform due to take effect in the "
            "spring according to the unions the measure affects several million workers and "
            "has drawn criticism from the opposition as well as from within the majority").split()
OUTLETS = ["Reuters", "AFP", "Associated Press", "Le Monde", "BBC News", "Microsoft",
           "European Commission", "Deutsche Welle", "Radio France", "The Guardian"]
LICENSES = ["CC-BY-SA-3.0", "CC-BY-4.0", "CC0-1.0"]
TAGS = [f"Sujet {i}" for i in range(60)]
IMAGE_COUNT = 200
REPORTERS = [f"Reporter {i}" for i in range(40)]


def sentence(rng, words, length):
    chosen = [rng.choice(words) for _ in range(length)]
    text = " ".join(chosen)
    return text[0].upper() + text[1:] + "."


def paragraph(rng, words, word_count):
    """About `word_count` words, as prose or now and then as a list or a quote, with
    emphasis and links."""
    sentences = []
    written = 0
    while written < word_count:
        length = min(max(word_count - written, 4), rng.randint(9, 16))
        sentences.append(sentence(rng, words, length))
        written += length
    roll = rng.random()
    if roll < 0.25:
        sentences[0] = f"*{sentences[0]}*"
    elif roll < 0.5 and len(sentences) > 1:
        sentences[1] = f"[{sentences[1]}](https://example.org/{rng.randint(1, 9999)})"
    elif roll < 0.6:
        return "\n".join(f"- {s}" for s in sentences)
    elif roll < 0.7:
        return "> " + " ".join(sentences)
    return " ".join(sentences)


def body(rng, words):
    """350 to 500 words in 4 to 7 paragraphs."""
    total = rng.randint(350, 500)
    count = rng.randint(4, 7)
    sizes = [total // count] * count
    sizes[-1] += total - sum(sizes)
    return "\n\n".join(paragraph(rng, words, size) for size in sizes)


def image_credit(image):
    """The front matter of image `image`: the same credit in every brief that uses it, as a
    file has one title, author, source and licence."""
    license = LICENSES[image % len(LICENSES)]
    return [
        f"  src: /images/photo-{image}.svg",
        "  alt: An illustration",
        f"  title: Photo {image}",
        f"  author: Photographer {image * 7 % 300 + 1}",
        "  source: Wikimedia Commons",
        f"  source_url: https://commons.wikimedia.org/wiki/File:Photo_{image}.jpg",
        f"  license: {license}",
        f"  modified: {'true' if license == 'CC-BY-SA-3.0' and image % 2 == 0 else 'false'}",
    ]


def byline_and_corrections(seed, index, day):
    """The front-matter lines naming the brief's authors and, for one brief in twenty,
    its correction, from a generator of their own."""
    rng = random.Random(seed * 1_000_003 + index)
    lines = ["authors: [" + ", ".join(rng.sample(REPORTERS, rng.randint(1, 2))) + "]"]
    if rng.random() < 0.05:
        fixed = day + datetime.timedelta(days=1)
        lines += [
            "corrections:",
            f"  - date: {fixed.strftime('%Y-%m-%d')}",
            "    text: An earlier version of this brief gave the wrong figure.",
        ]
    return lines


def registry():
    """authors.yaml for the reporters: a biography in both languages and a link each."""
    lines = []
    for i, name in enumerate(REPORTERS):
        lines += [
            f"{name}:",
            "  bio:",
            f"    fr: {name} couvre l'actualité sociale.",
            f"    en: {name} covers social affairs.",
            "  same_as:",
            f"    - https://www.wikidata.org/wiki/Q{1000 + i}",
        ]
    return "\n".join(lines) + "\n"


def brief(rng, index, start, seed):
    french = rng.random() < 0.7
    words = WORDS_FR if french else WORDS_EN
    day = start + datetime.timedelta(days=rng.randint(0, 3 * 365), minutes=rng.randint(0, 1439))
    tags = rng.sample(TAGS, rng.randint(2, 4))
    sources = rng.sample(OUTLETS, rng.randint(1, 3))
    image = rng.randrange(IMAGE_COUNT)
    lines = [
        "---",
        f"title: \"{'Brève' if french else 'Brief'} {index}: {sentence(rng, words, 8)[:60].rstrip('.')}\"",
        f"date: {day.strftime('%Y-%m-%dT%H:%M:00+00:00')}",
        f"lang: {'fr' if french else 'en'}",
        "tags: [" + ", ".join(tags) + "]",
        "sources:",
    ]
    for name in sources:
        lines += [f"  - name: {name}", f"    url: https://news.example.org/{name.lower().replace(' ', '-')}/{index}"]
    lines += ["image:", *image_credit(image), *byline_and_corrections(seed, index, day), "---", ""]
    return "\n".join(lines) + body(rng, words) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    start = datetime.datetime(2023, 1, 1)
    os.makedirs(os.path.join(args.out, "content"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "static", "images"), exist_ok=True)
    with open(os.path.join(args.out, "depeche.toml"), "w") as f:
        f.write('title = "Corpus"\nbase_url = "https://corpus.example.org/"\nlanguage = "fr"\nlicense = "CC-BY-4.0"\n')
    for image in range(IMAGE_COUNT):
        with open(os.path.join(args.out, "static", "images", f"photo-{image}.svg"), "w") as f:
            f.write('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>\n')
    for index in range(args.count):
        path = os.path.join(args.out, "content", f"brief-{index:06d}.md")
        with open(path, "w") as f:
            f.write(brief(rng, index, start, args.seed))
    with open(os.path.join(args.out, "authors.yaml"), "w") as f:
        f.write(registry())


if __name__ == "__main__":
    main()
