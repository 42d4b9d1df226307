//! Search: every published brief (never a list, never an embargoed brief) indexed by
//! Pagefind into one index per language, published under pagefind/ with a search page per
//! language; `search = false` turns it all off; the index is remade only when what it
//! holds changes.

mod common;

use common::{BASIC_CONFIG, TestSite, sourced};

/// The number of briefs each language's index holds, from pagefind-entry.json.
fn indexed(site: &TestSite) -> Vec<(String, u64)> {
    let entry: serde_json::Value = serde_json::from_str(&site.read("pagefind/pagefind-entry.json")).unwrap();
    let mut counts: Vec<(String, u64)> = entry["languages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(lang, index)| (lang.clone(), index["page_count"].as_u64().unwrap()))
        .collect();
    counts.sort();
    counts
}

fn multilingual() -> TestSite {
    let site = TestSite::new(&format!("{BASIC_CONFIG}language = \"fr\"\nlanguages = [\"fr\", \"en\"]\npaginate = 1\n"));
    site.brief(
        "a.md",
        &format!("{}lang: fr\ntags: [Europe]\n", sourced("Les électeurs votent", "2024-06-10")),
        "Les électeurs européens ont voté.\n",
    );
    site.brief("b.md", &format!("{}lang: fr\n", sourced("Budget adopté", "2024-06-11")), "Le budget est adopté.\n");
    site.brief(
        "c.md",
        &format!("{}lang: en\ntype: analysis\n", sourced("Voters turn out", "2024-06-12")),
        "Voters turned out.\n",
    );
    site.brief("later.md", &format!("{}lang: en\n", sourced("Embargoed", "2099-01-01")), "Not yet.\n");
    site
}

#[test]
fn briefs_are_indexed_per_language_with_a_search_page_each() {
    let site = multilingual();
    site.build();
    // Three published briefs; lists (and the embargoed brief) are never indexed.
    assert_eq!(indexed(&site), [("en".to_string(), 1), ("fr".to_string(), 2)]);
    for file in
        ["pagefind/pagefind.js", "pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/wasm.fr.pagefind"]
    {
        assert!(site.exists(file), "{file}");
    }
    // A search page per language, in its language, which the header's box leads to.
    let fr = site.page("/fr/search/");
    assert_eq!(fr.attr("html", "lang"), "fr");
    assert!(fr.source.contains("pagefind-ui.js") && fr.text("noscript").contains("JavaScript"), "{}", fr.source);
    assert_eq!(site.page("/en/search/").attr("html", "lang"), "en");
    assert!(site.exists("search/index.html"));
    let brief = site.page("/2024/06/c/");
    assert_eq!(brief.attr("form[role='search']", "action"), "/en/search/");
    assert_eq!(brief.attr("form[role='search'] input", "name"), "q");
    assert_eq!(site.page("/2024/06/a/").attr("form[role='search']", "action"), "/fr/search/");
    // The index and the search pages are not in the sitemap.
    let sitemap = site.read("sitemap.xml");
    assert!(!sitemap.contains("search/") && !sitemap.contains("pagefind"), "{sitemap}");
}

#[test]
fn search_can_be_turned_off() {
    let site = multilingual();
    site.write(
        "depeche.toml",
        &format!("{BASIC_CONFIG}language = \"fr\"\nlanguages = [\"fr\", \"en\"]\nsearch = false\n"),
    );
    site.build();
    assert!(
        !site.exists("pagefind/pagefind.js")
            && !site.exists("search/index.html")
            && !site.exists("fr/search/index.html")
    );
    assert_eq!(site.page("/2024/06/a/").count("form[role='search']"), 0);
}

#[test]
fn the_index_is_made_again_only_when_what_it_holds_changes() {
    let site = multilingual();
    site.build();
    let folders = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(site.root().join(".depeche/search"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let first = folders();
    assert_eq!(first.len(), 1, "{first:?}");
    let entry = site.read("pagefind/pagefind-entry.json");
    site.build();
    assert_eq!(folders(), first, "an unchanged rebuild indexes nothing");
    assert_eq!(site.read("pagefind/pagefind-entry.json"), entry);
    // A new brief is indexed, as by a clean build.
    site.brief("d.md", &format!("{}lang: en\n", sourced("More voters", "2024-06-13")), "More.\n");
    site.build();
    assert_eq!(folders().len(), 2);
    assert_eq!(indexed(&site), [("en".to_string(), 2), ("fr".to_string(), 2)]);
    let clean = multilingual();
    clean.brief("d.md", &format!("{}lang: en\n", sourced("More voters", "2024-06-13")), "More.\n");
    clean.build();
    assert_eq!(site.read("pagefind/pagefind-entry.json"), clean.read("pagefind/pagefind-entry.json"));
}

#[test]
fn sites_indexed_at_once_in_one_process_do_not_disturb_each_other() {
    // Builds run on rayon's pool, and Pagefind uses it inside its async runtime: a worker
    // waiting there once took another site's indexing and started a runtime within a
    // runtime (a panic). Several builds at once, as tests and tools run them.
    let builders: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                for _ in 0..4 {
                    let site = multilingual();
                    site.build();
                    assert_eq!(indexed(&site), [("en".to_string(), 1), ("fr".to_string(), 2)]);
                }
            })
        })
        .collect();
    for builder in builders {
        builder.join().expect("a build panicked");
    }
}
