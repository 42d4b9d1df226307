//! Embargo and expiry: a brief dated later is in no output until a build runs after its
//! moment, an expired one leaves every output, `--now` builds as of another moment, and
//! `check` says when the output changes next.

mod common;

use common::TestSite;

/// Every byte of every published file, as text.
fn everything_published(site: &TestSite) -> String {
    walkdir::WalkDir::new(site.output())
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file() && !e.path().components().any(|c| c.as_os_str() == ".depeche"))
        .filter_map(|e| {
            let bytes = std::fs::read(e.path()).unwrap();
            let name = e.file_name().to_string_lossy();
            if !e.path().components().any(|c| c.as_os_str() == "pagefind") {
                return Some(String::from_utf8_lossy(&bytes).into_owned());
            }
            // The search index: its words and records are gzipped; Pagefind's own
            // program files (JavaScript, WebAssembly, CSS) hold no brief.
            if name.starts_with("wasm.") || name.ends_with(".js") || name.ends_with(".css") {
                return None;
            }
            let mut text = Vec::new();
            match std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text) {
                Ok(_) => Some(String::from_utf8_lossy(&text).into_owned()),
                Err(_) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn site_with_an_embargo() -> TestSite {
    let site = TestSite::basic();
    site.brief(
        "today.md",
        "title: Published\ndate: 2022-01-01\nsources:\n  - name: Agence\n    url: https://agence.example.org/\n",
        "Out.\n",
    );
    site.brief(
        "embargoed.md",
        "title: Secret merger announced\ndate: 2099-01-01T06:00:00+01:00\nslug: secret-merger\ntags: [Mergers]\nauthors: [Ghost Writer]\ncorrections:\n  - date: 2099-01-02\n    text: Figures revised.\nsources:\n  - name: Insider Wire\n    url: https://insider.example.org/merger\n",
        "Not before the announcement.\n",
    );
    site.write("static/merger.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site
}

#[test]
fn an_embargoed_brief_is_in_no_output_until_its_moment() {
    let site = site_with_an_embargo();
    let report = site.build();
    assert_eq!(report.briefs, 1);
    let published = everything_published(&site);
    let secrets = ["secret-merger", "Secret merger", "Insider Wire", "insider.example.org", "Mergers", "mergers"];
    let more = ["Ghost Writer", "ghost-writer", "Figures revised", "2099"];
    for secret in secrets.into_iter().chain(more) {
        assert!(!published.contains(secret), "{secret} was published");
    }
    // As of a moment after it, it is everywhere a brief is.
    let options = depeche::BuildOptions {
        now: Some(chrono::DateTime::parse_from_rfc3339("2099-01-01T05:00:00Z").unwrap()),
        ..depeche::BuildOptions::new(site.root())
    };
    depeche::build(&options).unwrap();
    assert!(site.read("2099/01/secret-merger/index.html").contains("Secret merger announced"));
    assert!(site.read("atom.xml").contains("Secret merger announced"));
    assert!(site.read("sources/insider-wire/index.html").contains("secret-merger"));
    assert!(site.read("sitemap.xml").contains("secret-merger"));
    assert!(site.read("authors/ghost-writer/index.html").contains("secret-merger"));
    assert!(site.read("2099/01/index.html").contains("secret-merger"));
    // A minute before, it is not.
    let run = site.run(&["build", "--now", "2099-01-01T04:59:00Z"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(!site.exists("2099/01/secret-merger/index.html"), "unpublished again");
    assert!(!everything_published(&site).contains("Secret merger"));
}

#[test]
fn an_expired_brief_leaves_every_output() {
    let site = TestSite::basic();
    site.brief(
        "offer.md",
        "title: Limited offer\ndate: 2022-01-01\nexpires: 2022-02-01\nsources:\n  - name: Agence\n    url: https://agence.example.org/\n",
        "Until February.\n",
    );
    site.brief("kept.md", "title: Kept\ndate: 2022-01-02\n", "Kept.\n");
    site.build();
    assert!(!everything_published(&site).contains("Limited offer"));
    let run = site.run(&["build", "--now", "2022-01-15"]);
    assert!(run.status.success(), "{}", run.stderr);
    assert!(site.read("2022/01/offer/index.html").contains("Limited offer"));
    // Expiring before being published is a mistake.
    site.brief("wrong.md", "title: Wrong\ndate: 2022-03-01\nexpires: 2022-02-01\n", "x\n");
    let errors = site.build_errors();
    let error = errors.iter().find(|d| d.code == "invalid-date").expect("an error");
    assert!(error.path.ends_with("wrong.md") && error.line == Some(4), "{error:?}");
}

#[test]
fn check_says_when_the_output_changes_next() {
    let site = site_with_an_embargo();
    site.brief("expiring.md", "title: E\ndate: 2022-01-01\nexpires: 2098-06-01\n", "x\n");
    let run = site.run(&["check", "--format", "json"]);
    assert!(run.status.success(), "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let next: Vec<&serde_json::Value> =
        json.as_array().unwrap().iter().filter(|d| d["code"] == "next-change").collect();
    assert_eq!(next.len(), 1, "{json}");
    assert!(next[0]["file"].as_str().unwrap().ends_with("expiring.md"), "the nearest change: {json}");
    assert!(next[0]["message"].as_str().unwrap().contains("2098-06-01T00:00:00+00:00"), "{json}");
    // As of a later moment, the embargo is the next change.
    let run = site.run(&["check", "--format", "json", "--now", "2098-07-01"]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let message = json.as_array().unwrap().iter().find(|d| d["code"] == "next-change").unwrap()["message"].to_string();
    assert!(message.contains("2099-01-01T06:00:00+01:00") && message.contains("is published"), "{message}");
}

#[test]
fn the_news_sitemap_lists_the_briefs_of_the_last_two_days() {
    let site = TestSite::new(
        "title = \"Les Dépêches\"\nbase_url = \"https://news.example.org/\"\npublisher = \"Dépêches & Cie\"\n",
    );
    site.brief("fresh.md", "title: \"Fresh <news> & more\"\ndate: 2022-03-04T10:00:00+01:00\nlang: fr-CA\n", "x\n");
    site.brief("old.md", "title: Old news\ndate: 2022-03-01\n", "x\n");
    site.brief("later.md", "title: Tomorrow\ndate: 2022-03-06\n", "x\n");
    let run = site.run(&["build", "--now", "2022-03-05T12:00:00Z"]);
    assert!(run.status.success(), "{}", run.stderr);
    let xml = site.read("news-sitemap.xml");
    let document = roxmltree::Document::parse(&xml).expect("well-formed");
    let titles: Vec<&str> =
        document.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
    assert_eq!(titles, vec!["Fresh <news> & more"], "only the last two days, never what is embargoed");
    let text_of = |name: &str| document.descendants().find(|n| n.has_tag_name(name)).and_then(|n| n.text());
    assert_eq!(text_of("name"), Some("Dépêches & Cie"));
    assert_eq!(text_of("language"), Some("fr"));
    assert_eq!(text_of("publication_date"), Some("2022-03-04T10:00:00+01:00"));
    assert_eq!(text_of("loc"), Some("https://news.example.org/2022/03/fresh/"));
    assert!(site.read("robots.txt").contains("Sitemap: https://news.example.org/news-sitemap.xml"));
    assert!(!site.read("sitemap.xml").contains("news-sitemap"), "not a page for readers");
}
