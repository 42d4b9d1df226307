//! What `depeche build` writes: brief pages with citations, credits and footers, lists,
//! tags, and the site files around them.

mod common;

use common::{TestSite, sourced};

const FLAG_BRIEF: &str = "title: Flag brief
date: 2022-03-04
lang: fr
tags: [Ukraine]
sources:
  - name: Microsoft
    url: https://blogs.microsoft.com/on-the-issues/
    title: An overview of Russian cyberattack activity in Ukraine
    date: 2022-04-27
    archive_url: https://web.archive.org/web/2022/https://blogs.microsoft.com/
  - name: AFP
image:
  src: flag.png
  alt: The flag of Ukraine
  title: Flag of Ukraine
  author: UP9
  author_url: https://commons.wikimedia.org/wiki/User:UP9
  source: Wikimedia Commons
  source_url: https://commons.wikimedia.org/wiki/File:Flag_of_Ukraine.svg
  license: CC BY-SA 3.0
  modified: true
";

fn flag_site(lang: &str) -> TestSite {
    let site = TestSite::basic();
    site.write_bytes("content/flag.png", &common::png(60, 40));
    site.brief("flag.md", &FLAG_BRIEF.replace("lang: fr", &format!("lang: {lang}")), "Le drapeau.\n");
    site.build();
    site
}

#[test]
fn brief_page_cites_every_source() {
    let site = flag_site("fr");
    let page = site.page("/2022/03/flag/");
    let sources = page.texts(".sources li");
    assert_eq!(sources.len(), 2);
    assert_eq!(
        sources[0],
        "Microsoft, « An overview of Russian cyberattack activity in Ukraine », 27 avril 2022 (copie archivée)"
    );
    assert_eq!(sources[1], "AFP");
    assert_eq!(
        page.attrs(".sources a", "href"),
        vec![
            "https://blogs.microsoft.com/on-the-issues/",
            "https://web.archive.org/web/2022/https://blogs.microsoft.com/"
        ]
    );
    assert_eq!(page.attr(".sources time", "datetime"), "2022-04-27");
    assert_eq!(page.text(".sources h2"), "Sources");
    let data: serde_json::Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    assert_eq!(data["citation"][0]["archivedAt"], "https://web.archive.org/web/2022/https://blogs.microsoft.com/");
    assert!(data["citation"][1].get("archivedAt").is_none(), "a source without a copy has none");
}

#[test]
fn credit_follows_tasl_in_french() {
    let site = flag_site("fr");
    let page = site.page("/2022/03/flag/");
    assert_eq!(
        page.text("figcaption"),
        "Image : d'après « Flag of Ukraine » par UP9, via Wikimedia Commons, sous licence CC BY-SA 3.0. \
         Cette adaptation est partagée sous la même licence."
    );
    assert_eq!(
        page.attr("figcaption a[property='dct:title']", "href"),
        "https://commons.wikimedia.org/wiki/File:Flag_of_Ukraine.svg"
    );
    assert_eq!(
        page.attr("figcaption a[rel='dct:source']", "href"),
        "https://commons.wikimedia.org/wiki/File:Flag_of_Ukraine.svg"
    );
    assert_eq!(
        page.attr("figcaption a[property='cc:attributionName']", "href"),
        "https://commons.wikimedia.org/wiki/User:UP9"
    );
    assert_eq!(
        page.attr("figcaption a[rel='license']", "href"),
        "https://creativecommons.org/licenses/by-sa/3.0/deed.fr",
        "French pages link the French deed"
    );
    assert_eq!(
        page.attr("figcaption a[rel='license']", "title"),
        "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 non transposé"
    );
    assert_eq!(page.attr("figure img", "alt"), "The flag of Ukraine");
    let src = page.attr("figure img", "src");
    assert!(src.starts_with("/images/") && src.ends_with("/flag-60.jpg"), "its widest fallback variant: {src}");
    assert!(site.exists(&src));
    assert_eq!((page.attr("figure img", "width"), page.attr("figure img", "height")), ("60".into(), "40".into()));
    assert!(page.attr("figure source[type='image/webp']", "srcset").ends_with("/flag-60.webp 60w"));
}

#[test]
fn credit_follows_tasl_in_english() {
    let site = flag_site("en");
    let page = site.page("/2022/03/flag/");
    assert_eq!(
        page.text("figcaption"),
        "Image: based on “Flag of Ukraine” by UP9, via Wikimedia Commons, licensed under CC BY-SA 3.0. \
         This adaptation is shared under the same license."
    );
    assert_eq!(page.attr("figcaption a[rel='license']", "href"), "https://creativecommons.org/licenses/by-sa/3.0/");
    assert_eq!(
        page.attr("figcaption a[rel='license']", "title"),
        "Creative Commons Attribution-ShareAlike 3.0 Unported"
    );
}

#[test]
fn unmodified_cc0_image_from_static() {
    let site = TestSite::basic();
    site.write("static/img/stars.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.brief(
        "stars.md",
        &format!(
            "{}image:\n  src: /img/stars.svg\n  alt: Stars\n  title: Star field\n  author: Jane Doe\n  license: CC0\n",
            sourced("Stars", "2023-01-02")
        ),
        "Body.\n",
    );
    site.build();
    let page = site.page("/2023/01/stars/");
    assert_eq!(page.text("figcaption"), "Image: “Star field” by Jane Doe, licensed under CC0 1.0.");
    assert_eq!(page.attr("figcaption a[rel='license']", "href"), "https://creativecommons.org/publicdomain/zero/1.0/");
    assert_eq!(page.attr("figure img", "src"), "/img/stars.svg");
    assert!(site.exists("/img/stars.svg"));
}

#[test]
fn remote_image_and_no_title() {
    // An image of another site is refused unless its server is allowed.
    let config = format!("{}\n[images]\nallow_remote = [\"https://upload.example.org/\"]\n", common::BASIC_CONFIG);
    let site = TestSite::new(&config);
    site.brief(
        "remote.md",
        &format!("{}image:\n  src: https://upload.example.org/a.jpg\n  alt: A photo\n  author: Jean Martin\n  source: Flickr\n  source_url: https://flickr.example.org/p/1\n  license: CC-BY-2.0\n", sourced("Remote", "2023-01-02")),
        "Body.\n",
    );
    site.build();
    let page = site.page("/2023/01/remote/");
    assert_eq!(page.text("figcaption"), "Image: a work by Jean Martin, via Flickr, licensed under CC BY 2.0.");
    assert_eq!(page.attr("figure img", "src"), "https://upload.example.org/a.jpg");
}

#[test]
fn footers_carry_the_text_licence_and_the_image_licence() {
    let site = flag_site("en");
    let page = site.page("/2022/03/flag/");
    assert_eq!(page.attr("footer a[rel='license']", "href"), "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(page.text("footer .licenses"), "License: text under CC BY 4.0; lead image under CC BY-SA 3.0.");
    let home = site.page("/");
    assert_eq!(home.text("footer .licenses"), "License: text under CC BY 4.0.");
    let french = flag_site("fr").page("/2022/03/flag/");
    assert_eq!(
        french.text("footer .licenses"),
        "Licence : texte sous CC BY 4.0; image d'illustration sous CC BY-SA 3.0."
    );
}

#[test]
fn dates_and_strings_follow_the_brief_language() {
    let site = TestSite::basic();
    site.brief("fr.md", &format!("{}lang: fr\n", sourced("Brève", "2022-03-04")), "Texte.\n");
    site.brief("en.md", &format!("{}lang: en\n", sourced("Brief", "2022-03-04")), "Text.\n");
    site.brief("first.md", &format!("{}lang: fr\n", sourced("Premier", "2022-03-01")), "Texte.\n");
    site.build();
    let fr = site.page("/2022/03/fr/");
    assert_eq!(fr.attr("html", "lang"), "fr");
    assert_eq!(fr.text(".byline time"), "4 mars 2022");
    assert_eq!(fr.attr(".byline time", "datetime"), "2022-03-04");
    let en = site.page("/2022/03/en/");
    assert_eq!(en.attr("html", "lang"), "en");
    assert_eq!(en.text(".byline time"), "4 March 2022");
    assert_eq!(site.page("/2022/03/first/").text(".byline time"), "1er mars 2022");
}

#[test]
fn front_matter_text_is_escaped() {
    let site = TestSite::basic();
    site.brief(
        "xss.md",
        "title: \"<script>alert(1)</script> & co\"\ndate: 2022-01-01\nsummary: \"<b>bold</b>\"\nsources:\n  - name: \"<img src=x onerror=alert(1)>\"\n    url: \"https://a.example/?q=\\\"><script>\"\n",
        "Body.\n",
    );
    site.build();
    let page = site.page("/2022/01/xss/");
    assert_eq!(page.text("h1"), "<script>alert(1)</script> & co");
    assert_eq!(page.count("script:not([type='application/ld+json'])"), 0);
    let json_ld = page.text("script[type='application/ld+json']");
    assert!(!json_ld.contains('<'), "the JSON-LD cannot close its script element: {json_ld}");
    let data: serde_json::Value = serde_json::from_str(&json_ld).unwrap();
    assert_eq!(data["headline"], "<script>alert(1)</script> & co");
    assert_eq!(page.count(".sources img"), 0);
    assert!(page.source.contains("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</h1>"));
    assert_eq!(page.attr(".sources a", "href"), "https://a.example/?q=\"><script>");
    let home = site.page("/");
    assert_eq!(home.count("b"), 0, "the summary is text, not markup");
}

#[test]
fn home_is_paginated_newest_first() {
    let site = TestSite::new("title = \"T\"\npaginate = 2\n");
    for day in 1..=5 {
        site.brief(&format!("b{day}.md"), &sourced(&format!("Brief {day}"), &format!("2022-01-0{day}")), "x\n");
    }
    site.build();
    let first = site.page("/");
    assert_eq!(first.texts(".brief-list h2"), vec!["Brief 5", "Brief 4"]);
    assert_eq!(first.attr("a[rel='next']", "href"), "/page/2/");
    assert_eq!(first.count("a[rel='prev']"), 0);
    let second = site.page("/page/2/");
    assert_eq!(second.texts(".brief-list h2"), vec!["Brief 3", "Brief 2"]);
    assert_eq!(second.attr("a[rel='prev']", "href"), "/");
    assert_eq!(second.text(".pager-position"), "Page 2 of 3");
    let third = site.page("/page/3/");
    assert_eq!(third.texts(".brief-list h2"), vec!["Brief 1"]);
    assert_eq!(third.count("a[rel='next']"), 0);
    assert!(!site.exists("/page/4/index.html"));
}

#[test]
fn tag_pages_and_index() {
    let site = TestSite::new("title = \"T\"\npaginate = 1\n");
    site.brief("a.md", &format!("{}tags: [Élections, Europe]\n", sourced("A", "2022-01-01")), "x\n");
    site.brief("b.md", &format!("{}tags: [Europe]\n", sourced("B", "2022-01-02")), "x\n");
    site.build();
    let europe = site.page("/tags/europe/");
    assert_eq!(europe.texts(".brief-list h2"), vec!["B"]);
    assert_eq!(europe.text("h1"), "Briefs tagged “Europe”");
    assert_eq!(site.page("/tags/europe/page/2/").texts(".brief-list h2"), vec!["A"]);
    assert_eq!(site.page("/tags/elections/").texts(".brief-list h2"), vec!["A"]);
    let index = site.page("/tags/");
    assert_eq!(index.texts(".tag-index a"), vec!["Élections", "Europe"]);
    assert_eq!(index.texts(".tag-index .count"), vec!["1 brief", "2 briefs"]);
    assert_eq!(site.page("/2022/01/a/").attrs(".tags a", "href"), vec!["/tags/elections/", "/tags/europe/"]);
}

#[test]
fn drafts_only_with_the_flag() {
    let site = TestSite::basic();
    site.brief("d.md", &format!("{}draft: true\n", sourced("Draft", "2022-01-01")), "x\n");
    site.build();
    assert!(!site.exists("/2022/01/d/"));
    depeche::build(&depeche::BuildOptions { include_drafts: true, ..depeche::BuildOptions::new(site.root()) }).unwrap();
    assert!(site.exists("/2022/01/d/index.html"));
}

#[test]
fn permalink_pattern_and_slug() {
    let site = TestSite::new("title = \"T\"\npermalink = \"/{lang}/{year}/{slug}\"\n");
    site.brief("Élections à Paris.md", &format!("{}lang: fr\n", sourced("E", "2022-01-01")), "x\n");
    site.brief("other.md", &format!("{}slug: chosen-slug\n", sourced("O", "2022-01-01")), "x\n");
    site.build();
    assert!(site.exists("/fr/2022/elections-a-paris/index.html"));
    assert!(site.exists("/en/2022/chosen-slug/index.html"));
}

#[test]
fn base_url_path_prefixes_every_link() {
    let site = TestSite::new("title = \"T\"\nbase_url = \"https://example.org/news/\"\n");
    site.brief("a.md", &format!("{}tags: [X]\n", sourced("A", "2022-01-01")), "x\n");
    site.build();
    let page = site.page("/2022/01/a/");
    assert_eq!(page.attr("link[rel='stylesheet']", "href"), "/news/style.css");
    assert_eq!(page.attr("link[rel='canonical']", "href"), "https://example.org/news/2022/01/a/");
    assert_eq!(page.attr(".tags a", "href"), "/news/tags/x/");
    let sitemap = site.read("sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/news/2022/01/a/</loc><lastmod>2022-01-01</lastmod>"),
        "{sitemap}"
    );
    assert!(site.read("robots.txt").contains("Sitemap: https://example.org/news/sitemap.xml"));
}

#[test]
fn site_files_are_written() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.write("static/favicon.ico", "icon");
    site.build();
    for file in ["index.html", "404.html", "sitemap.xml", "robots.txt", "style.css", "favicon.ico", "tags/index.html"] {
        assert!(site.exists(file), "{file} is missing");
    }
    let not_found = site.page("/404.html");
    assert_eq!(not_found.text("h1"), "Page not found");
    let sitemap = site.read("sitemap.xml");
    assert!(sitemap.starts_with("<?xml"));
    assert!(sitemap.contains("<loc>https://news.example.org/</loc>"));
    assert!(!sitemap.contains("404"));
}

#[test]
fn summary_defaults_to_the_first_paragraph() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "First *paragraph*\nhere.\n\nSecond.\n");
    site.brief("b.md", &format!("{}summary: Given summary\n", sourced("B", "2022-01-02")), "Body.\n");
    site.build();
    let home = site.page("/");
    assert_eq!(home.texts(".brief-summary > p:last-child"), vec!["Given summary", "First paragraph here."]);
    assert_eq!(site.page("/2022/01/a/").attr("meta[name='description']", "content"), "First paragraph here.");
}

#[test]
fn bom_and_crlf_just_work() {
    let site = TestSite::basic();
    let text = format!(
        "\u{feff}---\r\n{}---\r\nLine one\r\n\r\nLine two\r\n",
        sourced("Windows", "2022-01-01").replace('\n', "\r\n")
    );
    site.write("content/w.md", &text);
    site.build();
    let page = site.page("/2022/01/w/");
    assert_eq!(page.text("h1"), "Windows");
    assert_eq!(page.texts(".brief-body p"), vec!["Line one", "Line two"]);
}

#[test]
fn authors_and_updated_date() {
    let site = TestSite::basic();
    site.brief(
        "a.md",
        &format!("{}authors: [Ann, Bob, Cy]\nupdated: 2022-02-03T10:00:00+01:00\n", sourced("A", "2022-01-01")),
        "x\n",
    );
    site.build();
    let page = site.page("/2022/01/a/");
    assert_eq!(page.text(".byline"), "1 January 2022 · updated 3 February 2022 · by Ann, Bob and Cy");
    assert_eq!(page.attrs(".byline time", "datetime"), vec!["2022-01-01", "2022-02-03T10:00:00+01:00"]);
}

#[test]
fn deleted_briefs_disappear_on_rebuild() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.brief("b.md", &sourced("B", "2022-01-02"), "x\n");
    site.build();
    assert!(site.exists("/2022/01/a/index.html"));
    std::fs::remove_file(site.root().join("content/a.md")).unwrap();
    site.build();
    assert!(!site.exists("/2022/01/a/index.html"));
    assert!(site.exists("/2022/01/b/index.html"));
}

#[test]
fn page_bundle_files_are_copied() {
    let site = TestSite::basic();
    site.write(
        "content/2022/story/index.md",
        &format!(
            "---\n{}media:\n  - src: chart.svg\n    author: Newsroom\n    source: Newsroom\n    license: CC-BY-4.0\n---\n![chart](chart.svg)\n",
            sourced("Story", "2022-05-06")
        ),
    );
    site.write("content/2022/story/chart.svg", "<svg/>");
    site.build();
    assert!(site.exists("/2022/05/story/index.html"), "the folder names a bundle");
    assert!(site.exists("/2022/05/story/chart.svg"));
}
