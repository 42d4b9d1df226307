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

#[test]
fn corrections_are_shown_declared_and_set_one_modified_date_everywhere() {
    let site = TestSite::basic();
    site.brief(
        "fixed.md",
        &format!(
            "{}updated: 2022-01-03\ncorrections:\n  - date: 2022-01-05T09:30:00+01:00\n    text: The turnout was 51 %, not 15 %.\n  - date: 2022-01-04\n    kind: clarification\n    text: The figures are estimates.\n",
            sourced("Turnout", "2022-01-02")
        ),
        "Body.\n",
    );
    site.build();
    let page = site.page("/2022/01/fixed/");
    let items = page.texts(".corrections li");
    assert_eq!(items.len(), 2, "{items:?}");
    assert!(items[0].starts_with("Correction,") && items[0].contains("The turnout was 51 %, not 15 %."), "{items:?}");
    assert!(items[1].starts_with("Clarification,"), "{items:?}");
    // The latest of `updated` and the corrections, the same in every output.
    let modified = "2022-01-05T09:30:00+01:00";
    assert_eq!(page.attr(".byline time:nth-of-type(2)", "datetime"), modified);
    let json_ld: serde_json::Value = serde_json::from_str(
        &page
            .html
            .select(&scraper::Selector::parse("script[type='application/ld+json']").unwrap())
            .next()
            .unwrap()
            .inner_html(),
    )
    .unwrap();
    assert_eq!(json_ld["dateModified"], modified);
    assert_eq!(json_ld["correction"][0]["@type"], "CorrectionComment");
    assert_eq!(json_ld["correction"][0]["datePublished"], modified);
    assert_eq!(json_ld["correction"][1]["text"], "The figures are estimates.");
    assert!(site.read("sitemap.xml").contains(&format!("<lastmod>{modified}</lastmod>")));
    assert!(site.read("atom.xml").contains("<updated>2022-01-05T09:30:00+01:00</updated>"));
    let feed: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(feed["items"][0]["date_modified"], modified);
}

#[test]
fn a_correction_before_publication_or_without_text_is_a_located_error() {
    let site = TestSite::basic();
    site.brief(
        "bad.md",
        &format!(
            "{}corrections:\n  - date: 2021-12-31\n    text: Too early.\n  - date: 2022-01-03\n  - date: 2022-01-04\n    text: x\n    kind: retracton\n",
            sourced("Bad", "2022-01-02")
        ),
        "x\n",
    );
    let errors = site.build_errors();
    let lines = |code: &str| errors.iter().filter(|d| d.code == code).map(|d| d.line.unwrap_or(0)).collect::<Vec<_>>();
    assert_eq!(lines("invalid-date"), vec![8], "{errors:#?}");
    assert_eq!(lines("missing-key"), vec![10], "{errors:#?}");
    let kind = errors.iter().find(|d| d.code == "unknown-type").expect("an unknown kind");
    assert_eq!(kind.line, Some(13));
    assert!(kind.help.as_deref().unwrap_or_default().contains("retraction"));
}

fn json_ld(page: &common::Page) -> serde_json::Value {
    let selector = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    serde_json::from_str(&page.html.select(&selector).next().unwrap().inner_html()).unwrap()
}

#[test]
fn a_publisher_table_declares_the_newsroom_and_its_policies() {
    let site = TestSite::new(
        "title = \"Les Dépêches\"\nbase_url = \"https://news.example.org/\"\nlanguage = \"fr\"\n\n[publisher]\nname = \"Dépêches SA\"\nurl = \"https://depeches.example.org/\"\nlogo = \"/logo.png\"\nfounding_date = \"1944\"\ncorrections_policy = \"https://depeches.example.org/corrections\"\nethics_policy = \"https://depeches.example.org/ethique\"\n",
    );
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.build();
    let page = site.page("/2022/01/a/");
    let publisher = &json_ld(&page)["publisher"];
    assert_eq!(publisher["@type"], "NewsMediaOrganization");
    assert_eq!(publisher["name"], "Dépêches SA");
    assert_eq!(publisher["url"], "https://depeches.example.org/");
    assert_eq!(publisher["logo"], "https://news.example.org/logo.png");
    assert_eq!(publisher["foundingDate"], "1944");
    assert_eq!(publisher["correctionsPolicy"], "https://depeches.example.org/corrections");
    assert_eq!(publisher["ethicsPolicy"], "https://depeches.example.org/ethique");
    assert_eq!(page.texts(".policies a"), vec!["Politique de correction", "Déontologie"]);
    assert_eq!(page.attrs(".policies a", "href")[0], "https://depeches.example.org/corrections");

    // The plain name keeps working.
    let plain = TestSite::new("title = \"T\"\npublisher = \"Newsroom\"\n");
    plain.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    plain.build();
    let publisher = &json_ld(&plain.page("/2022/01/a/"))["publisher"];
    assert_eq!(
        (publisher["@type"].as_str(), publisher["name"].as_str()),
        (Some("NewsMediaOrganization"), Some("Newsroom"))
    );
}

#[test]
fn a_wrong_publisher_table_is_a_located_error() {
    let site = TestSite::new(
        "title = \"T\"\n\n[publisher]\nurl = \"javascript:x\"\nethic_policy = \"https://x.example.org/\"\n",
    );
    let errors = site.build_errors();
    let messages: Vec<String> =
        errors.iter().filter(|d| d.code == "config-invalid").map(|d| d.message.clone()).collect();
    assert!(messages.iter().any(|m| m.contains("unknown field `ethic_policy`")), "{messages:?}");
    assert!(errors.iter().filter(|d| d.code == "config-invalid").all(|d| d.line == Some(3)), "located: {errors:#?}");
    let site = TestSite::new("title = \"T\"\n\n[publisher]\nurl = \"javascript:x\"\n");
    let messages: Vec<String> = site.build_errors().iter().map(|d| d.message.clone()).collect();
    assert!(messages.iter().any(|m| m.contains("no `name`")), "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("`publisher.url` \"javascript:x\"")), "{messages:?}");
}
