//! Search: every published brief (never a list, never an embargoed brief) indexed by
//! Pagefind into one index per language, published under pagefind/ with a search page per
//! language; `search = false` turns it all off; the index is remade only when what it
//! holds changes.

mod common;

use common::{BASIC_CONFIG, TestSite, sourced};

/// The shards of the index (their folders under pagefind/), sorted.
fn shards(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.output().join("pagefind"))
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().join("pagefind-entry.json").is_file())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The number of briefs each language's index holds, from the shards' pagefind-entry.json.
fn indexed(site: &TestSite) -> Vec<(String, u64)> {
    let mut counts = std::collections::BTreeMap::new();
    for shard in shards(site) {
        let entry: serde_json::Value =
            serde_json::from_str(&site.read(&format!("pagefind/{shard}/pagefind-entry.json"))).unwrap();
        for (lang, index) in entry["languages"].as_object().unwrap() {
            *counts.entry(lang.clone()).or_insert(0) += index["page_count"].as_u64().unwrap();
        }
    }
    counts.into_iter().collect()
}

/// The shards a search page opens, in order: "language address".
fn opened(site: &TestSite, page: &str) -> Vec<String> {
    let page = site.page(page);
    let languages = page.attrs("#search-shards span", "data-language");
    let urls = page.attrs("#search-shards span", "data-url");
    languages.iter().zip(&urls).map(|(language, url)| format!("{language} {url}")).collect()
}

/// The key folders of the cache.
fn kept(site: &TestSite) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(site.root().join(".depeche/search"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.len() == 16)
        .collect();
    names.sort();
    names
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
    assert_eq!(shards(&site), ["en-2024", "fr-2024"]);
    for file in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-ui.js",
        "pagefind/pagefind-ui.css",
        "pagefind/fr-2024/wasm.fr.pagefind",
        "pagefind/fr-2024/pagefind-worker.js",
        "pagefind/en-2024/wasm.en.pagefind",
    ] {
        assert!(site.exists(file), "{file}");
    }
    // Each language's page searches its own shards only; the site's, every language,
    // its own language's first.
    assert_eq!(opened(&site, "/fr/search/"), ["fr /pagefind/fr-2024/"]);
    assert_eq!(opened(&site, "/en/search/"), ["en /pagefind/en-2024/"]);
    assert_eq!(opened(&site, "/search/"), ["fr /pagefind/fr-2024/", "en /pagefind/en-2024/"]);
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
    let first = kept(&site);
    assert_eq!(first.len(), 2, "a shard per language and year: {first:?}");
    let entry = site.read("pagefind/fr-2024/pagefind-entry.json");
    site.build();
    assert_eq!(kept(&site), first, "an unchanged rebuild indexes nothing");
    assert_eq!(site.read("pagefind/fr-2024/pagefind-entry.json"), entry);
    // A new brief is indexed, as by a clean build.
    site.brief("d.md", &format!("{}lang: en\n", sourced("More voters", "2024-06-13")), "More.\n");
    site.build();
    assert_eq!(kept(&site).len(), 3, "the English shard is made again, the French one kept");
    assert_eq!(indexed(&site), [("en".to_string(), 2), ("fr".to_string(), 2)]);
    let clean = multilingual();
    clean.brief("d.md", &format!("{}lang: en\n", sourced("More voters", "2024-06-13")), "More.\n");
    clean.build();
    for file in ["pagefind/en-2024/pagefind-entry.json", "pagefind/fr-2024/pagefind-entry.json"] {
        assert_eq!(site.read(file), clean.read(file), "{file}");
    }
}

#[test]
fn the_words_records_are_made_with_are_part_of_the_key() {
    let site = multilingual();
    site.build();
    let before = kept(&site);
    // A type of work's name, which records carry as a filter: the French shard is made
    // again, as by a clean build; the English one is kept.
    site.write("i18n/fr.toml", "type_news = \"Dépêche\"\n");
    site.build();
    let made: Vec<String> = kept(&site).into_iter().filter(|key| !before.contains(key)).collect();
    assert_eq!(made.len(), 1, "{before:?} → {made:?}");
    let clean = multilingual();
    clean.write("i18n/fr.toml", "type_news = \"Dépêche\"\n");
    clean.build();
    let filters = |site: &TestSite| -> Vec<(String, Vec<u8>)> {
        let folder = site.output().join("pagefind/fr-2024/filter");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap())
            .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
            .collect();
        files.sort();
        files
    };
    assert!(filters(&site) == filters(&clean), "the French filters differ from a clean build's");
}

#[test]
fn an_edit_re_indexes_the_shard_of_its_language_and_year_only() {
    let site = TestSite::new(&format!("{BASIC_CONFIG}language = \"fr\"\n"));
    site.brief("old.md", &sourced("Les électeurs de 2023", "2023-03-01"), "Un vote ancien.\n");
    site.brief("older.md", &sourced("Le budget de 2022", "2022-03-01"), "Un budget ancien.\n");
    site.brief("new.md", &sourced("Les électeurs de 2024", "2024-03-01"), "Un vote récent.\n");
    site.build();
    assert_eq!(shards(&site), ["fr-2022", "fr-2023", "fr-2024"]);
    // The newest shard is opened first, the older ones merged into it. Each carries the
    // worker and WebAssembly its searches run in; Pagefind's program is published once.
    assert_eq!(opened(&site, "/search/"), ["fr /pagefind/fr-2024/", "fr /pagefind/fr-2023/", "fr /pagefind/fr-2022/"]);
    assert!(site.exists("pagefind/pagefind.js") && site.exists("pagefind/pagefind-ui.js"));
    for shard in ["fr-2024", "fr-2023", "fr-2022"] {
        assert!(site.exists(&format!("pagefind/{shard}/wasm.fr.pagefind")), "{shard}");
        assert!(site.exists(&format!("pagefind/{shard}/pagefind-worker.js")), "{shard}");
        assert!(!site.exists(&format!("pagefind/{shard}/pagefind.js")), "{shard}");
    }
    let before = kept(&site);
    let older_entry = site.read("pagefind/fr-2022/pagefind-entry.json");
    site.brief("old.md", &sourced("Les électeurs de 2023", "2023-03-01"), "Un vote ancien, corrigé.\n");
    site.build();
    let after = kept(&site);
    let made: Vec<&String> = after.iter().filter(|key| !before.contains(key)).collect();
    assert_eq!(made.len(), 1, "one shard made again: {before:?} → {after:?}");
    assert_eq!(site.read("pagefind/fr-2022/pagefind-entry.json"), older_entry);

    // The same as a clean build, file for file.
    let clean = TestSite::new(&format!("{BASIC_CONFIG}language = \"fr\"\n"));
    clean.brief("old.md", &sourced("Les électeurs de 2023", "2023-03-01"), "Un vote ancien, corrigé.\n");
    clean.brief("older.md", &sourced("Le budget de 2022", "2022-03-01"), "Un budget ancien.\n");
    clean.brief("new.md", &sourced("Les électeurs de 2024", "2024-03-01"), "Un vote récent.\n");
    clean.build();
    let files = |site: &TestSite| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(site.output().join("pagefind"))
            .into_iter()
            .map(|entry| entry.unwrap())
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                (
                    entry.path().strip_prefix(site.output()).unwrap().display().to_string(),
                    std::fs::read(entry.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    };
    assert!(files(&site) == files(&clean), "the index differs from a clean build's");
    assert_eq!(site.read("search/index.html"), clean.read("search/index.html"));

    // A year with nothing left in it leaves the index, and the page.
    std::fs::remove_file(site.root().join("content/older.md")).unwrap();
    site.build();
    assert_eq!(shards(&site), ["fr-2023", "fr-2024"]);
    assert_eq!(opened(&site, "/search/"), ["fr /pagefind/fr-2024/", "fr /pagefind/fr-2023/"]);
}

#[test]
fn a_language_with_nothing_to_search_says_so() {
    let site = TestSite::new(&format!("{BASIC_CONFIG}language = \"fr\"\nlanguages = [\"fr\", \"en\"]\n"));
    site.brief("a.md", &format!("{}lang: fr\n", sourced("Les électeurs", "2024-06-10")), "Un vote.\n");
    site.build();
    let page = site.page("/en/search/");
    assert_eq!(page.count("#search-results"), 0, "{}", page.source);
    assert!(page.text("main").contains("Nothing in this language can be searched yet"), "{}", page.source);
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

#[test]
fn a_damaged_cache_is_indexed_again_and_leads_nowhere_outside() {
    let site = multilingual();
    site.build();
    let entry = site.read("pagefind/fr-2024/pagefind-entry.json");
    let clean = site.read("search/index.html");
    // A shard whose folder was left without its manifest (damaged, or altered) is made
    // again; another given a link to a file outside the cache publishes its index alone.
    let keys = kept(&site);
    let folder = |key: &String| site.root().join(".depeche/search").join(key);
    std::fs::remove_file(folder(&keys[0]).join("files.json")).unwrap();
    std::fs::write(site.root().join("secret.txt"), "not for readers").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(site.root().join("secret.txt"), folder(&keys[1]).join("shard/secret.txt")).unwrap();
    std::fs::remove_dir_all(site.output()).unwrap();
    site.build();
    assert_eq!(site.read("pagefind/fr-2024/pagefind-entry.json"), entry);
    assert_eq!(indexed(&site), [("en".to_string(), 1), ("fr".to_string(), 2)]);
    assert_eq!(site.read("search/index.html"), clean);
    for shard in shards(&site) {
        assert!(!site.exists(&format!("pagefind/{shard}/secret.txt")), "{shard}: a link was followed");
    }
}

#[test]
fn nothing_else_may_be_written_into_a_shard() {
    let site = multilingual();
    site.write("static/pagefind/fr-2024/extra.css", "body {}");
    site.write("static/pagefind/en-2024", "a file where a shard goes");
    let errors = site.build_errors();
    let messages: Vec<&str> =
        errors.iter().filter(|d| d.code == "output-conflict").map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 2, "{errors:?}");
    assert!(messages.iter().any(|m| m.starts_with("pagefind/fr-2024/extra.css would be written into the search")));
    assert!(messages.iter().any(|m| m.starts_with("pagefind/en-2024 would be written into the search")));
    // Beside the shards, a file of the site's own is published.
    std::fs::remove_dir_all(site.root().join("static/pagefind")).unwrap();
    site.write("static/pagefind/custom.css", "body {}");
    site.build();
    assert_eq!(site.read("pagefind/custom.css"), "body {}");
}
