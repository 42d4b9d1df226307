//! The Trust Project's signals: the type of work of each brief, labelled where the brief
//! appears and declared to machines.

mod common;

use common::{TestSite, sourced};

#[test]
fn the_type_of_work_is_labelled_declared_and_sponsored_content_is_unmistakable() {
    let site = TestSite::basic();
    site.brief("column.md", &format!("{}type: opinion\n", sourced("A column", "2022-01-01")), "I think.\n");
    site.brief(
        "analyse.md",
        &format!("{}type: analysis\nlang: fr\n", sourced("Une analyse", "2022-01-02")),
        "Décryptage.\n",
    );
    site.brief("paid.md", &format!("{}type: sponsored\n", sourced("Buy this", "2022-01-03")), "Paid.\n");
    site.brief("plain.md", &sourced("Plain news", "2022-01-04"), "Facts.\n");
    site.build();

    let column = site.page("/2022/01/column/");
    assert_eq!(column.text(".brief-header .work-type"), "Opinion");
    assert!(column.source.contains("\"@type\":\"OpinionNewsArticle\""), "{}", column.source);
    let analyse = site.page("/2022/01/analyse/");
    assert_eq!(analyse.text(".brief-header .work-type"), "Analyse", "in the brief's language");
    assert!(analyse.source.contains("\"@type\":\"AnalysisNewsArticle\""));
    let plain = site.page("/2022/01/plain/");
    assert_eq!(plain.count(".work-type"), 0, "news is not labelled");
    assert!(plain.source.contains("\"@type\":\"NewsArticle\""));

    // Sponsored content says so on its page, on every card and in every feed.
    let paid = site.page("/2022/01/paid/");
    assert_eq!(paid.text(".brief-header .work-type-sponsored"), "Sponsored content");
    assert!(paid.source.contains("\"@type\":\"AdvertiserContentArticle\""));
    let home = site.page("/");
    assert_eq!(home.count(".brief-summary .work-type-sponsored"), 1);
    assert!(home.texts(".brief-summary .work-type").contains(&"Opinion".to_string()));
    assert!(site.read("atom.xml").contains("<title>Sponsored content: Buy this</title>"));
    assert!(site.read("rss.xml").contains("<title>Sponsored content: Buy this</title>"));
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    let paid_item =
        json["items"].as_array().unwrap().iter().find(|i| i["url"].as_str().unwrap().contains("paid")).unwrap();
    assert_eq!(paid_item["title"], "Sponsored content: Buy this");
    assert_eq!(paid_item["tags"][0], "Sponsored content");
    // The type is a category of the feeds.
    assert!(
        site.read("atom.xml").contains("<category term=\"opinion\" label=\"Opinion\"/>"),
        "{}",
        site.read("atom.xml")
    );
}

#[test]
fn an_unknown_type_of_work_is_a_located_error_with_the_nearest() {
    let site = TestSite::basic();
    site.brief("a.md", &format!("{}type: opinon\n", sourced("A", "2022-01-01")), "x\n");
    let errors = site.build_errors();
    let error = errors.iter().find(|d| d.code == "unknown-type").expect("an error");
    assert_eq!(error.line, Some(7));
    assert!(error.help.as_deref().unwrap_or_default().contains("did you mean `opinion`?"), "{error:?}");
}
