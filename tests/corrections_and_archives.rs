//! The corrections log (a page and feeds, per language) and the archives by year and
//! month (per language), which never renumber.

mod common;

use common::{TestSite, sourced};

fn corrected(title: &str, date: &str, lang: &str, corrections: &[(&str, &str)]) -> String {
    let mut text = format!("{}lang: {lang}\ncorrections:\n", sourced(title, date));
    for (date, what) in corrections {
        text.push_str(&format!("  - date: {date}\n    text: \"{what}\"\n"));
    }
    text
}

fn bilingual() -> TestSite {
    TestSite::new(
        "title = \"T\"\nbase_url = \"https://news.example.org/\"\nlanguage = \"fr\"\nlanguages = [\"fr\", \"en\"]\npaginate = 2\n",
    )
}

#[test]
fn every_correction_is_listed_newest_first_with_its_brief_and_has_a_feed_per_language() {
    let site = bilingual();
    site.brief("un.md", &corrected("Un", "2022-01-01", "fr", &[("2022-01-05", "Premier <b>texte</b>.")]), "x\n");
    site.brief(
        "two.md",
        &corrected("Two", "2022-01-02", "en", &[("2022-01-03", "First fix."), ("2022-01-07", "Second fix.")]),
        "x\n",
    );
    site.brief("plain.md", &sourced("Plain", "2022-01-04"), "x\n");
    site.build();

    // The whole site's log, in the site's language, paginated.
    let page = site.page("/corrections/");
    assert_eq!(page.text("h1"), "Corrections et mises à jour");
    assert_eq!(page.texts(".correction-log a"), vec!["Two", "Un"]);
    assert_eq!(
        page.attrs(".correction-log a", "href"),
        vec!["/2022/01/two/#correction-2", "/2022/01/un/#correction-1"]
    );
    assert_eq!(page.attr(".correction-log li:nth-child(1) a", "lang"), "en");
    assert!(
        page.source.contains("Premier &lt;b&gt;texte&lt;&#x2F;b&gt;.")
            || page.source.contains("Premier &lt;b&gt;texte&lt;/b&gt;.")
    );
    assert_eq!(site.page("/corrections/page/2/").texts(".correction-log a"), vec!["Two"]);
    // The anchors lead to the notices.
    let two = site.page("/2022/01/two/");
    assert_eq!(two.attrs(".corrections li", "id"), vec!["correction-1", "correction-2"]);

    // Per language, with its own feeds.
    assert_eq!(site.page("/en/corrections/").texts(".correction-log a"), vec!["Two", "Two"]);
    assert_eq!(site.page("/en/corrections/").text("h1"), "Corrections and updates");
    assert_eq!(site.page("/fr/corrections/").texts(".correction-log a"), vec!["Un"]);
    let atom = site.read("en/corrections/atom.xml");
    let feed = roxmltree::Document::parse(&atom).expect("well-formed");
    let ns = "http://www.w3.org/2005/Atom";
    let titles: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name((ns, "entry")))
        .filter_map(|e| e.children().find(|c| c.has_tag_name((ns, "title"))).and_then(|t| t.text()))
        .collect();
    assert_eq!(titles, vec!["Correction: Two", "Correction: Two"]);
    assert!(atom.contains("<id>https://news.example.org/2022/01/two/#correction-2</id>"), "{atom}");
    assert!(atom.contains("<updated>2022-01-07"), "{atom}");
    let json: serde_json::Value = serde_json::from_str(&site.read("corrections/feed.json")).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["summary"], "Second fix.");
    assert_eq!(items[1]["content_html"], "<p>Premier &lt;b&gt;texte&lt;/b&gt;.</p>");
    let rss = site.read("fr/corrections/rss.xml");
    roxmltree::Document::parse(&rss).expect("well-formed RSS");
    assert!(rss.contains("Correction : Un"), "French typography: {rss}");
    // Every page links the log of its language.
    assert_eq!(site.page("/en/").attrs(".trust-links a", "href")[0], "/en/corrections/");
    assert_eq!(site.page("/2022/01/un/").attrs(".trust-links a", "href")[0], "/fr/corrections/");
    assert_eq!(site.page("/tags/").attrs(".trust-links a", "href")[0], "/fr/corrections/");
}

#[test]
fn a_site_without_corrections_says_so_and_its_feeds_are_empty_but_valid() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.build();
    assert_eq!(site.page("/corrections/").text("main p:last-of-type"), "No corrections so far.");
    roxmltree::Document::parse(&site.read("corrections/atom.xml")).expect("well-formed");
    assert!(!site.exists("fr/corrections/index.html"), "no languages, no per-language pages");
}

#[test]
fn archives_list_years_months_and_briefs_per_language_without_renumbering() {
    let site = bilingual();
    site.brief("a.md", &format!("{}lang: fr\n", sourced("Mars A", "2022-03-01")), "x\n");
    site.brief("b.md", &format!("{}lang: en\ntype: opinion\n", sourced("March B", "2022-03-20T10:00:00+01:00")), "x\n");
    site.brief("c.md", &format!("{}lang: fr\n", sourced("Mai C", "2022-05-02")), "x\n");
    site.brief("d.md", &format!("{}lang: fr\n", sourced("Vieux D", "2021-12-31T23:30:00-05:00")), "x\n");
    site.build();

    let index = site.page("/archives/");
    assert_eq!(index.texts(".archive-index > li > a"), vec!["2022", "2021"]);
    assert_eq!(index.texts(".archive-index ul a"), vec!["mai 2022", "mars 2022", "décembre 2021"]);
    let year = site.page("/2022/");
    assert_eq!(year.text("h1"), "Archives : 2022");
    assert_eq!(year.texts(".archive-index a"), vec!["mai 2022", "mars 2022"]);
    assert_eq!(year.texts(".archive-index .count"), vec!["1 brève", "2 brèves"]);
    let month = site.page("/2022/03/");
    assert_eq!(month.texts(".archive-list a"), vec!["March B", "Mars A"], "newest first");
    assert_eq!(month.attr(".archive-list a", "lang"), "en");
    assert!(month.text(".archive-list li").contains("Opinion"), "the type of work is shown");
    // Filed under the date as written, as its address is.
    assert_eq!(site.page("/2021/12/").texts(".archive-list a"), vec!["Vieux D"]);
    assert!(site.exists("2021/12/d/index.html"));
    // Per language.
    assert_eq!(site.page("/en/2022/03/").texts(".archive-list a"), vec!["March B"]);
    assert_eq!(site.page("/en/2022/03/").text("h1"), "Archives: March 2022");
    assert!(!site.exists("en/2022/05/index.html"));
    assert_eq!(site.page("/fr/archives/").texts(".archive-index > li > a"), vec!["2022", "2021"]);

    // New briefs leave the pages of earlier months as they were.
    let before = site.read("2022/03/index.html");
    for day in 10..30 {
        site.brief(&format!("n{day}.md"), &format!("{}lang: fr\n", sourced("New", &format!("2022-06-{day}"))), "x\n");
    }
    site.build();
    assert_eq!(site.read("2022/03/index.html"), before);
    assert_eq!(site.page("/2022/06/").count(".archive-list li"), 20, "a month is never split into pages");
    assert!(!site.exists("2022/06/page/2/index.html"));
}

#[test]
fn a_brief_whose_address_is_an_archive_page_is_an_error() {
    let site = TestSite::new("title = \"T\"\npermalink = \"/{slug}/\"\n");
    site.brief("a.md", &format!("{}slug: \"2022\"\n", sourced("A", "2022-01-01")), "x\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "duplicate-url" && d.message.contains("/2022/index.html")), "{errors:#?}");
}
