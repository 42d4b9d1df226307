//! Authors: every byline gets a page with a feed, and authors.yaml gives them a profile
//! (biography per language, links, a credited photo) that pages and JSON-LD show.

mod common;

use common::{TestSite, sourced};

const REGISTRY: &str = "\
# Our people.
Jeanne Dupont:
  url: https://jeanne.example.org/
  bio:
    fr: Jeanne Dupont couvre l'Europe.
    en: Jeanne Dupont covers Europe.
  same_as:
    - https://www.wikidata.org/wiki/Q1
    - https://orcid.org/0000-0002-1825-0097
  photo:
    src: /img/jeanne.svg
    alt: Jeanne Dupont, smiling
    title: Portrait of Jeanne Dupont
    author: Paul Martin
    source: Newsroom archive
    source_url: https://archive.example.org/jeanne
    license: CC-BY-4.0
Ali Ben:
  bio: Ali Ben writes about science.
";

fn json_ld(page: &common::Page) -> serde_json::Value {
    let selector = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    serde_json::from_str(&page.html.select(&selector).next().unwrap().inner_html()).unwrap()
}

fn site_with_registry() -> TestSite {
    let site =
        TestSite::new("title = \"T\"\nbase_url = \"https://news.example.org/\"\nlanguage = \"fr\"\npaginate = 2\n");
    site.write("authors.yaml", REGISTRY);
    site.write("static/img/jeanne.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    for day in 1..=3 {
        site.brief(
            &format!("b{day}.md"),
            &format!("{}authors: [Jeanne Dupont]\n", sourced(&format!("Brief {day}"), &format!("2022-01-0{day}"))),
            "x\n",
        );
    }
    site.brief(
        "en.md",
        &format!("{}lang: en\nauthors: [Jeanne Dupont, Ali Ben]\n", sourced("In English", "2022-01-04")),
        "x\n",
    );
    site
}

#[test]
fn bylines_link_to_author_pages_that_show_the_profile_and_list_the_briefs_with_a_feed() {
    let site = site_with_registry();
    let report = site.build();
    assert!(report.diagnostics.iter().all(|d| !d.code.as_str().starts_with("author")), "{:#?}", report.diagnostics);

    let brief = site.page("/2022/01/en/");
    assert_eq!(brief.texts(".byline a.author"), vec!["Jeanne Dupont", "Ali Ben"]);
    assert_eq!(brief.attrs(".byline a.author", "href"), vec!["/authors/jeanne-dupont/", "/authors/ali-ben/"]);
    let authors = &json_ld(&brief)["author"];
    assert_eq!(authors[0]["@type"], "Person");
    assert_eq!(authors[0]["url"], "https://news.example.org/authors/jeanne-dupont/");
    assert_eq!(
        authors[0]["sameAs"],
        serde_json::json!([
            "https://jeanne.example.org/",
            "https://www.wikidata.org/wiki/Q1",
            "https://orcid.org/0000-0002-1825-0097"
        ])
    );
    assert_eq!(authors[1]["url"], "https://news.example.org/authors/ali-ben/");
    assert!(authors[1].get("sameAs").is_none(), "no links, no sameAs: {authors}");

    // The author's page: profile in the page's language, photo with its credit, briefs
    // paginated newest first, and a feed of their own.
    let page = site.page("/authors/jeanne-dupont/");
    assert_eq!(page.text("h1"), "Jeanne Dupont");
    assert_eq!(page.text(".bio"), "Jeanne Dupont couvre l'Europe.");
    assert_eq!(page.texts(".profile-links a"), vec!["Site personnel", "wikidata.org", "orcid.org"]);
    assert_eq!(page.attr(".profile img", "src"), "/img/jeanne.svg");
    let credit = page.text(".profile figcaption");
    assert!(credit.contains("Paul Martin") && credit.contains("CC BY 4.0"), "{credit}");
    assert_eq!(page.texts(".brief-summary h2"), vec!["In English", "Brief 3"]);
    assert_eq!(site.page("/authors/jeanne-dupont/page/2/").texts(".brief-summary h2"), vec!["Brief 2", "Brief 1"]);
    let profile = json_ld(&page);
    assert_eq!(profile["@type"], "ProfilePage");
    assert_eq!(profile["mainEntity"]["name"], "Jeanne Dupont");
    assert_eq!(profile["mainEntity"]["image"], "https://news.example.org/img/jeanne.svg");
    assert!(page.attrs("link[rel=alternate]", "href").contains(&"/authors/jeanne-dupont/atom.xml".to_string()));
    let feed = site.read("authors/jeanne-dupont/atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 4, "{feed}");
    assert!(!site.read("authors/ali-ben/rss.xml").contains("Brief 1"));

    // The credits list the photo with the page that shows it.
    let credits = site.page("/credits/");
    let entry = credits.texts(".used-in").into_iter().find(|t| t.contains("Jeanne Dupont")).expect("the photo");
    assert!(entry.contains("Jeanne Dupont"), "{entry}");
    assert!(credits.attrs(".used-in a", "href").contains(&"/authors/jeanne-dupont/".to_string()));
    assert!(credits.attrs("img", "src").contains(&"/img/jeanne.svg".to_string()));

    // A one-text biography; the index of every author.
    assert_eq!(site.page("/authors/ali-ben/").text(".bio"), "Ali Ben writes about science.");
    assert_eq!(site.page("/authors/").texts(".author-index a"), vec!["Ali Ben", "Jeanne Dupont"]);
}

#[test]
fn an_author_without_a_registry_still_gets_a_page_and_a_linked_byline() {
    let site = TestSite::basic();
    site.brief("a.md", &format!("{}authors: [Élise Roy]\n", sourced("A", "2022-01-01")), "x\n");
    site.build();
    let page = site.page("/authors/elise-roy/");
    assert_eq!(page.text("h1"), "Élise Roy");
    assert_eq!(page.count(".bio"), 0);
    assert_eq!(site.page("/2022/01/a/").attr(".byline a.author", "href"), "/authors/elise-roy/");
    let person = &json_ld(&site.page("/2022/01/a/"))["author"][0];
    assert_eq!(person["url"], "https://news.example.org/authors/elise-roy/");
}

#[test]
fn a_byline_spelled_otherwise_and_an_unused_profile_are_warnings() {
    let site = site_with_registry();
    site.brief("typo.md", &format!("{}authors: [Jeanne Dupond]\n", sourced("Typo", "2022-01-05")), "x\n");
    site.brief("case.md", &format!("{}authors: [jeanne dupont]\n", sourced("Case", "2022-01-06")), "x\n");
    site.brief("other.md", &format!("{}authors: [Marc Lefebvre]\n", sourced("Other", "2022-01-07")), "x\n");
    site.write("authors.yaml", &format!("{REGISTRY}Nobody Here:\n  bio: Left the newsroom.\n"));
    let report = site.build();
    let spelling: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "author-spelling").collect();
    assert_eq!(spelling.len(), 2, "{spelling:#?}");
    for warning in &spelling {
        assert!(warning.message.contains("\"Jeanne Dupont\""), "{warning:?}");
        assert!(warning.help.as_deref().unwrap_or_default().contains("write `Jeanne Dupont`"), "{warning:?}");
    }
    assert!(spelling.iter().any(|d| d.path.ends_with("content/typo.md")), "{spelling:?}");
    assert!(spelling.iter().any(|d| d.path.ends_with("content/case.md")), "{spelling:?}");
    let unused: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "author-unused").collect();
    assert_eq!(unused.len(), 1, "{unused:#?}");
    assert!(unused[0].message.contains("Nobody Here"));
    assert_eq!((unused[0].path.display().to_string(), unused[0].line), ("authors.yaml".to_string(), Some(20)));
    // A name close to no one of the registry is simply a new author.
    assert!(!spelling.iter().any(|d| d.message.contains("Marc Lefebvre")));
    // The page of the byline written in lower case is the registry's person's page.
    assert_eq!(site.page("/authors/jeanne-dupont/").text("h1"), "Jeanne Dupont");
}

#[test]
fn errors_in_authors_yaml_are_located_and_all_reported() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.write(
        "authors.yaml",
        "Jeanne Dupont:\n  url: javascript:alert(1)\n  same_as:\n    - not a link\n  photo:\n    src: /missing.jpg\n    alt: X\n    license: CC-BY-4.0\n    author: Y\n    source: Z\n",
    );
    let errors = site.build_errors();
    let at = |code: &str| -> Vec<(String, Option<usize>)> {
        errors.iter().filter(|d| d.code == code).map(|d| (d.path.display().to_string(), d.line)).collect()
    };
    assert_eq!(at("invalid-url"), vec![("authors.yaml".into(), Some(2)), ("authors.yaml".into(), Some(4))]);
    assert_eq!(at("image-src"), vec![("authors.yaml".into(), Some(6))], "{errors:#?}");

    site.write("authors.yaml", "Jeanne Dupont:\n  website: https://x.example.org/\n");
    let errors = site.build_errors();
    let unknown = errors.iter().find(|d| d.code == "unknown-key").expect("unknown key");
    assert_eq!((unknown.path.display().to_string(), unknown.line), ("authors.yaml".to_string(), Some(2)));
    assert!(unknown.help.as_deref().unwrap_or_default().contains("url"), "{unknown:?}");

    // Two spellings of one name would share a page.
    site.write("authors.yaml", "Élise Roy:\n  bio: A.\nElise Roy:\n  bio: B.\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "duplicate-author"), "{errors:#?}");
    // One name twice is a YAML error.
    site.write("authors.yaml", "Elise Roy:\n  bio: A.\nElise Roy:\n  bio: B.\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.path.display().to_string() == "authors.yaml" && d.line.is_some()), "{errors:#?}");
}

#[test]
fn editing_authors_yaml_renders_the_pages_that_show_it_again() {
    let site = site_with_registry();
    site.build();
    site.write(
        "authors.yaml",
        &REGISTRY.replace("https://www.wikidata.org/wiki/Q1", "https://www.wikidata.org/wiki/Q2"),
    );
    site.build();
    assert!(site.read("2022/01/b1/index.html").contains("https://www.wikidata.org/wiki/Q2"));
    assert!(site.read("authors/jeanne-dupont/index.html").contains("https://www.wikidata.org/wiki/Q2"));
    std::fs::remove_file(site.root().join("authors.yaml")).unwrap();
    site.build();
    assert!(!site.read("2022/01/b1/index.html").contains("wikidata"));
}
