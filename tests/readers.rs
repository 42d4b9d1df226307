//! What readers get: feeds (parsed back with the same crates a reader's tools use),
//! per-language home pages, translations with hreflang, French typography, sharing
//! metadata, and pages that stay light.

mod common;

use common::{TestSite, sourced};

fn bilingual_site() -> TestSite {
    let site = TestSite::new(
        "title = \"Brèves\"\nbase_url = \"https://news.example.org/\"\nlanguage = \"fr\"\nlanguages = [\"fr\", \"en\"]\nlicense = \"CC-BY-4.0\"\n",
    );
    site.write("static/img/flag.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let image = "image:\n  src: /img/flag.svg\n  alt: The flag\n  title: Flag of Ukraine\n  author: UP9\n  source: Wikimedia Commons\n  license: CC-BY-SA-3.0\n  modified: true\n";
    site.brief(
        "fr.md",
        &format!(
            "{}lang: fr\ntags: [Ukraine]\ntranslations:\n  en: en.md\n{image}",
            sourced("Le drapeau : « symbole » ?", "2022-03-04")
        ),
        "Texte : « oui » ! Voir `a : b`.\n",
    );
    site.brief("en.md", &format!("{}lang: en\ntags: [Ukraine]\n", sourced("The flag", "2022-03-05")), "Text: yes!\n");
    site.build();
    site
}

#[test]
fn atom_rss_and_json_feeds_parse_with_their_entries() {
    let site = bilingual_site();
    let atom = atom_syndication::Feed::read_from(site.read("atom.xml").as_bytes()).unwrap();
    assert_eq!(atom.entries().len(), 2);
    let entry = &atom.entries()[1];
    assert_eq!(entry.id(), "https://news.example.org/2022/03/fr/");
    let content = entry.content().unwrap().value().unwrap();
    assert!(content.contains("Flag of Ukraine") && content.contains("CC BY-SA 3.0"), "the credit: {content}");
    assert!(content.contains("https://agence.example.org/"), "the sources: {content}");
    assert!(content.contains("<img src=\"https://news.example.org/img/flag.svg\""), "absolute image: {content}");
    assert!(entry.summary().is_some());

    let rss = rss::Channel::read_from(site.read("rss.xml").as_bytes()).unwrap();
    assert_eq!(rss.items().len(), 2);
    assert_eq!(rss.items()[0].link(), Some("https://news.example.org/2022/03/en/"));
    assert!(rss.items()[1].content().unwrap().contains("Agence"));

    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
    assert!(json["items"][1]["content_html"].as_str().unwrap().contains("UP9"));

    for feed in ["tags/ukraine/atom.xml", "tags/ukraine/rss.xml", "tags/ukraine/feed.json"] {
        assert!(site.exists(feed), "{feed}");
    }
    let french = atom_syndication::Feed::read_from(site.read("fr/atom.xml").as_bytes()).unwrap();
    assert_eq!(french.entries().len(), 1, "the French feed holds French briefs only");
}

#[test]
fn pages_announce_their_feeds() {
    let site = bilingual_site();
    let home = site.page("/");
    assert_eq!(home.attrs("link[rel='alternate'][type='application/atom+xml']", "href"), vec!["/atom.xml"]);
    assert_eq!(home.count("link[type='application/rss+xml']"), 1);
    assert_eq!(home.count("link[type='application/feed+json']"), 1);
    let tag = site.page("/tags/ukraine/");
    assert!(tag.attrs("link[type='application/atom+xml']", "href").contains(&"/tags/ukraine/atom.xml".to_string()));
    let fr = site.page("/fr/");
    assert!(fr.attrs("link[type='application/atom+xml']", "href").contains(&"/fr/atom.xml".to_string()));
}

#[test]
fn each_language_has_its_home_page_in_its_own_words() {
    let site = bilingual_site();
    let fr = site.page("/fr/");
    assert_eq!(fr.attr("html", "lang"), "fr");
    assert_eq!(fr.texts(".brief-list h2").len(), 1);
    assert_eq!(fr.text("h1"), "Dernières brèves");
    let en = site.page("/en/");
    assert_eq!(en.attr("html", "lang"), "en");
    assert_eq!(en.texts(".brief-list h2"), vec!["The flag"]);
    assert_eq!(en.text("h1"), "Latest briefs");
    assert_eq!(en.text(".brief-list time"), "5 March 2022");
}

#[test]
fn translations_link_both_ways_with_hreflang() {
    let site = bilingual_site();
    let fr = site.page("/2022/03/fr/");
    assert_eq!(fr.attr(".translation a", "href"), "/2022/03/en/");
    assert_eq!(fr.text(".translation"), "Read this brief in English");
    assert_eq!(fr.attr(".translation", "lang"), "en");
    let alternates = fr.attrs("link[rel='alternate'][hreflang]", "hreflang");
    assert_eq!(alternates, vec!["fr", "en"]);
    let en = site.page("/2022/03/en/");
    assert_eq!(en.attr(".translation a", "href"), "/2022/03/fr/", "declared on one side, linked on both");
    assert_eq!(en.text(".translation"), "Lire cette brève en français");
}

#[test]
fn translations_must_lead_to_a_brief_in_that_language() {
    let site = TestSite::basic();
    site.brief("a.md", &format!("{}lang: fr\ntranslations:\n  de: missing.md\n", sourced("A", "2022-01-01")), "x\n");
    site.brief("b.md", &format!("{}lang: fr\n", sourced("B", "2022-01-02")), "x\n");
    site.brief("c.md", &format!("{}lang: fr\ntranslations:\n  en: b.md\n", sourced("C", "2022-01-03")), "x\n");
    let errors = site.build_errors();
    let codes: Vec<_> = errors.iter().filter(|d| d.code == "invalid-translation").map(|d| d.message.clone()).collect();
    assert_eq!(codes.len(), 2, "{errors:#?}");
    assert!(codes.iter().any(|m| m.contains("missing.md")));
    assert!(codes.iter().any(|m| m.contains("its `lang` is fr")));
}

#[test]
fn french_briefs_get_french_typography_but_code_is_untouched() {
    let site = bilingual_site();
    let page = site.page("/2022/03/fr/");
    assert_eq!(
        page.html.select(&scraper::Selector::parse("h1").unwrap()).next().unwrap().inner_html(),
        "Le drapeau\u{202f}: «\u{202f}symbole\u{202f}»\u{202f}?"
    );
    let body = page.source.split("<div class=\"brief-body\">").nth(1).unwrap();
    assert!(body.contains("Texte\u{202f}: «\u{202f}oui\u{202f}»\u{202f}!"), "{body}");
    assert!(body.contains("<code>a : b</code>"), "code is untouched");
    assert!(site.read("2022/03/en/index.html").contains("Text: yes!"), "English briefs are untouched");

    let off = TestSite::new("title = \"T\"\nfrench_typography = false\n");
    off.brief("a.md", &format!("{}lang: fr\n", sourced("Titre : non", "2022-01-01")), "Texte : non !\n");
    off.build();
    assert!(off.read("2022/01/a/index.html").contains("<h1>Titre : non</h1>"));
}

#[test]
fn sharing_metadata_carries_the_image_and_its_credit() {
    let site = bilingual_site();
    let page = site.page("/2022/03/fr/");
    let meta = |property: &str| page.attr(&format!("meta[property='{property}']"), "content");
    assert_eq!(meta("og:type"), "article");
    assert_eq!(meta("og:url"), "https://news.example.org/2022/03/fr/");
    assert_eq!(meta("og:image"), "https://news.example.org/img/flag.svg");
    assert_eq!(meta("og:locale"), "fr_FR");
    assert!(meta("og:image:alt").contains("Flag of Ukraine") && meta("og:image:alt").contains("UP9"));
    assert_eq!(page.attr("meta[name='twitter:card']", "content"), "summary_large_image");
    assert_eq!(page.attr("link[rel='canonical']", "href"), "https://news.example.org/2022/03/fr/");
    assert!(!page.attr("meta[name='description']", "content").is_empty());
}

#[test]
fn every_page_of_the_sample_site_is_light() {
    let out = tempfile::tempdir().unwrap();
    let options = depeche::BuildOptions {
        output: Some(out.path().join("public")),
        ..depeche::BuildOptions::new(env!("CARGO_MANIFEST_DIR"))
    };
    depeche::build(&options).unwrap();
    for entry in walkdir::WalkDir::new(out.path()).into_iter().map(|e| e.unwrap()) {
        if entry.path().extension().is_some_and(|e| e == "html") {
            let size = entry.metadata().unwrap().len();
            assert!(size < 30 * 1024, "{} weighs {size} bytes", entry.path().display());
        }
    }
}
