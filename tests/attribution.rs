//! Attribution that holds up: the licence rules as table-driven fixtures
//! (tests/fixtures/rules/<case>/expected.txt lists every error and warning `depeche check`
//! must report), machine-readable credits, the credits and source pages, `depeche check`.

mod common;

use std::path::Path;

use common::{TestSite, run_in};

/// Every case of tests/fixtures/rules: the errors and warnings found are exactly those
/// listed in its expected.txt, and `depeche build` fails exactly when one is an error.
#[test]
fn rule_fixtures_report_exactly_what_they_expect() {
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&cases).unwrap() {
        let case = entry.unwrap().path();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = TestSite::fixture(&format!("rules/{name}"));
        let expected: Vec<String> = std::fs::read_to_string(case.join("expected.txt"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(String::from)
            .collect();
        let diagnostics = depeche::check::check(&depeche::BuildOptions::new(site.root()));
        let mut found: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity != depeche::Severity::Note)
            .map(|d| {
                let path = d.path.strip_prefix(site.root()).unwrap_or(&d.path).to_string_lossy().replace('\\', "/");
                format!("{} {} {}:{}", d.severity, d.code, path, d.line.unwrap_or(0))
            })
            .collect();
        let mut wanted = expected.clone();
        found.sort();
        wanted.sort();
        assert_eq!(found, wanted, "case {name}");
        let fails = expected.iter().any(|l| l.starts_with("error"));
        assert_eq!(site.try_build().is_err(), fails, "case {name}: build and check agree");
        checked += 1;
    }
    assert!(checked >= 15, "only {checked} cases");
}

#[test]
fn every_spelling_is_normalised_with_a_note() {
    let site = TestSite::fixture("rules/every-spelling");
    let report = site.build();
    let notes: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "license-normalised").collect();
    assert_eq!(notes.len(), 7);
    assert!(notes.iter().all(|d| d.message.ends_with("read as CC-BY-SA-3.0")), "{notes:#?}");
    assert!(notes.iter().all(|d| d.line == Some(13)));
}

#[test]
fn unknown_licences_suggest_the_nearest_ids() {
    let site = TestSite::fixture("rules/unknown-licence");
    let errors = site.build_errors();
    let error = errors.iter().find(|d| d.code == "unknown-license").unwrap();
    assert!(error.help.as_deref().unwrap().contains("CC-BY-SA-3.0"), "{error:?}");
    let ambiguous = TestSite::fixture("rules/ambiguous-licence").build_errors();
    let help = ambiguous[0].help.as_deref().unwrap();
    assert!(help.contains("CC-BY-SA-3.0") && help.contains("CC-BY-SA-4.0"), "{help}");
}

#[test]
fn share_alike_adaptations_say_so_and_ports_link_their_deed() {
    let site = TestSite::fixture("rules/sa-adaptation");
    site.build();
    let page = site.page("/2022/01/brief/");
    assert!(page.text("figcaption").ends_with("This adaptation is shared under the same license."));
    let port = TestSite::fixture("rules/port-france");
    port.build();
    let page = port.page("/2022/01/brief/");
    assert_eq!(
        page.attr("figcaption a[rel='license']", "href"),
        "https://creativecommons.org/licenses/by-sa/3.0/fr/deed.fr"
    );
    assert_eq!(
        page.attr("figcaption a[rel='license']", "title"),
        "Creative Commons Attribution - Partage dans les Mêmes Conditions 3.0 France"
    );
    assert_eq!(page.text("figcaption a[rel='license']"), "CC BY-SA 3.0 FR");
}

#[test]
fn json_ld_describes_the_article_its_sources_and_its_image() {
    let site =
        TestSite::new(&format!("{}\n[images]\nallow_remote = [\"https://img.example.org/\"]\n", common::BASIC_CONFIG));
    site.brief(
        "flag.md",
        "title: Flag\ndate: 2022-03-04\nupdated: 2022-03-05\nlang: fr\nauthors: [Claire Dubois]\nsources:\n  - name: Microsoft\n    url: https://blogs.microsoft.com/x\n  - name: AFP\nimage:\n  src: https://img.example.org/flag.png\n  alt: Flag\n  title: Flag of Ukraine\n  author: UP9\n  author_url: https://commons.wikimedia.org/wiki/User:UP9\n  source: Wikimedia Commons\n  source_url: https://commons.wikimedia.org/wiki/File:Flag_of_Ukraine.svg\n  license: CC BY-SA 3.0\n  modified: true\n",
        "Texte.\n",
    );
    site.build();
    let page = site.page("/2022/03/flag/");
    let data: serde_json::Value = serde_json::from_str(&page.text("script[type='application/ld+json']")).unwrap();
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], "Flag");
    assert_eq!(data["datePublished"], "2022-03-04");
    assert_eq!(data["dateModified"], "2022-03-05");
    assert_eq!(data["inLanguage"], "fr");
    assert_eq!(data["author"][0]["name"], "Claire Dubois");
    assert_eq!(data["publisher"]["name"], "Test briefs");
    assert_eq!(data["license"], "https://creativecommons.org/licenses/by/4.0/");
    assert_eq!(
        data["citation"][0],
        serde_json::json!({"@type": "CreativeWork", "name": "Microsoft", "url": "https://blogs.microsoft.com/x"})
    );
    assert_eq!(data["citation"][1]["name"], "AFP");
    let image = &data["image"];
    assert_eq!(image["@type"], "ImageObject");
    assert_eq!(image["contentUrl"], "https://img.example.org/flag.png");
    assert_eq!(image["license"], "https://creativecommons.org/licenses/by-sa/3.0/");
    assert_eq!(image["creator"]["name"], "UP9");
    assert_eq!(image["copyrightNotice"], "UP9");
    assert_eq!(image["acquireLicensePage"], "https://commons.wikimedia.org/wiki/File:Flag_of_Ukraine.svg");
    assert_eq!(
        image["creditText"],
        "D'après « Flag of Ukraine » par UP9, via Wikimedia Commons, sous licence CC BY-SA 3.0"
    );
}

#[test]
fn credit_carries_cc_rel() {
    let site = TestSite::fixture("rules/sa-adaptation");
    site.build();
    let page = site.page("/2022/01/brief/");
    assert_eq!(page.attr("figure", "about"), "https://img.example.org/a.jpg");
    assert!(page.attr("figure", "prefix").contains("cc: http://creativecommons.org/ns#"));
    assert_eq!(page.text("figcaption [property='dct:title']"), "Flag of Ukraine");
    assert_eq!(page.text("figcaption [property='cc:attributionName']"), "UP9");
    assert_eq!(page.count("figcaption a[rel='license']"), 1);
    assert_eq!(page.count("footer a[rel='license']"), 0, "the fixture site has no text licence");
}

#[test]
fn credits_page_groups_images_by_licence_with_the_briefs_using_them() {
    let site = TestSite::basic();
    let image = |license: &str| {
        format!(
            "image:\n  src: /img/{license}.svg\n  alt: A picture\n  title: Work\n  author: Ann\n  source: Flickr\n  license: {license}\n"
        )
    };
    site.write("static/img/CC0-1.0.svg", "<svg/>");
    site.write("static/img/CC-BY-4.0.svg", "<svg/>");
    site.brief("a.md", &format!("{}{}", common::sourced("Alpha", "2022-01-01"), image("CC-BY-4.0")), "x\n");
    site.brief("b.md", &format!("{}{}", common::sourced("Beta", "2022-01-02"), image("CC-BY-4.0")), "x\n");
    site.brief("c.md", &format!("{}{}", common::sourced("Gamma", "2022-01-03"), image("CC0-1.0")), "x\n");
    site.brief("d.md", &common::sourced("Delta", "2022-01-04"), "No image.\n");
    site.build();
    let page = site.page("/credits/");
    assert_eq!(
        page.texts(".credit-group h2"),
        vec!["Creative Commons Attribution 4.0 International (CC BY 4.0)", "CC0 1.0 Universal (CC0 1.0)"]
    );
    assert_eq!(page.count(".credit-group figure"), 2, "one entry per image, not per use");
    assert_eq!(page.texts(".used-in"), vec!["Used in: Beta, Alpha", "Used in: Gamma"]);
    assert_eq!(page.attrs(".used-in a", "href"), vec!["/2022/01/b/", "/2022/01/a/", "/2022/01/c/"]);
}

#[test]
fn one_file_credited_two_ways_is_reported_and_each_credit_keeps_its_briefs() {
    let site = TestSite::basic();
    let image = |author: &str, license: &str| {
        format!(
            "image:\n  src: /img/flag.svg\n  alt: A flag\n  title: Flag\n  author: {author}\n  source: Flickr\n  license: {license}\n"
        )
    };
    site.write("static/img/flag.svg", "<svg/>");
    site.brief("a.md", &format!("{}{}", common::sourced("Alpha", "2022-01-01"), image("Bob", "CC-BY-4.0")), "x\n");
    site.brief("b.md", &format!("{}{}", common::sourced("Beta", "2022-01-02"), image("Ann", "CC0-1.0")), "x\n");
    site.brief("c.md", &format!("{}{}", common::sourced("Gamma", "2022-01-03"), image("Ann", "CC0-1.0")), "x\n");
    site.brief("z.md", &format!("{}{}", common::sourced("Zeta", "2021-12-31"), image("Bob", "CC-BY-4.0")), "x\n");
    let report = site.build();
    let warnings: Vec<_> = report.diagnostics.iter().filter(|d| d.code == "image-credit-differs").collect();
    // On each brief whose credit differs from the newest brief's, naming it.
    let paths: Vec<_> = warnings.iter().map(|d| d.path.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(paths, vec!["a.md", "z.md"], "{warnings:?}");
    let message = &warnings[0].message;
    assert!(message.starts_with("the image /img/flag.svg is credited differently in "), "{message}");
    assert!(message.contains("content/c.md (`author`, `license`)"), "{message}");
    // Each credit is shown with the briefs that give it, not the newest for all four.
    let page = site.page("/credits/");
    assert_eq!(page.count(".credit-group figure"), 2);
    assert_eq!(page.texts(".used-in"), vec!["Used in: Alpha, Zeta", "Used in: Gamma, Beta"]);
    let captions = page.texts(".credit-group figcaption");
    assert!(captions[0].contains("Bob") && captions[0].contains("CC BY 4.0"), "{captions:?}");
    assert!(captions[1].contains("Ann") && captions[1].contains("CC0 1.0"), "{captions:?}");
    // `depeche check` shows it too, and it does not fail the check.
    let run = site.run(&["check"]);
    assert_eq!(run.status.code(), Some(0), "{}", run.stderr);
    assert!(run.stderr.contains("warning[image-credit-differs]"), "{}", run.stderr);
}

#[test]
fn credits_pages_are_paginated_like_lists() {
    let site = TestSite::new("title = \"T\"\npaginate = 2\n");
    for (day, license) in ["CC-BY-4.0", "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-3.0", "CC-BY-4.0"].iter().enumerate() {
        let day = day + 1;
        site.write(&format!("static/img/{day}.svg"), "<svg/>");
        let image = format!(
            "image:\n  src: /img/{day}.svg\n  alt: Picture {day}\n  title: Work {day}\n  author: Ann\n  source: Flickr\n  license: {license}\n"
        );
        site.brief(
            &format!("b{day}.md"),
            &format!("{}{image}", common::sourced(&format!("B{day}"), &format!("2022-01-0{day}"))),
            "x\n",
        );
    }
    site.build();
    // Five images, two per page, in the registry's order of licences, newest first within one.
    let pages = ["/credits/", "/credits/page/2/", "/credits/page/3/"];
    let used_in: Vec<Vec<String>> = pages.iter().map(|p| site.page(p).texts(".used-in a")).collect();
    assert_eq!(used_in, vec![vec!["B5", "B3"], vec!["B1", "B4"], vec!["B2"]]);
    let second = site.page("/credits/page/2/");
    assert_eq!(second.texts(".credit-group h2").len(), 2, "a page starts a new group where the licence changes");
    assert_eq!(second.attr(".pager a[rel='prev']", "href"), "/credits/");
    assert_eq!(second.text(".pager a[rel='next']"), "Next page →");
    assert_eq!(second.text(".pager-position"), "Page 2 of 3");
    assert!(site.read("sitemap.xml").contains("/credits/page/3/"));
    assert!(!site.output().join("credits/page/4").exists());
}

#[test]
fn source_pages_list_briefs_citing_each_outlet() {
    let site = TestSite::new("title = \"T\"\npaginate = 2\n");
    let cite = |title: &str, date: &str, outlets: &[&str]| {
        let sources: String = outlets
            .iter()
            .enumerate()
            .map(|(i, o)| format!("  - name: {o}\n    url: https://x.example.org/{date}/{o}/{i}\n"))
            .collect();
        format!("title: {title}\ndate: {date}\nsources:\n{sources}")
    };
    site.brief("a.md", &cite("A", "2022-01-01", &["Microsoft", "AFP"]), "x\n");
    site.brief("b.md", &cite("B", "2022-01-02", &["Microsoft"]), "x\n");
    site.brief("c.md", &cite("C", "2022-01-03", &["Microsoft", "Microsoft"]), "x\n");
    site.build();
    let index = site.page("/sources/");
    assert_eq!(index.texts(".outlet-index a"), vec!["AFP", "Microsoft"]);
    assert_eq!(index.texts(".outlet-index .count"), vec!["1 brief", "3 briefs"]);
    let microsoft = site.page("/sources/microsoft/");
    assert_eq!(microsoft.text("h1"), "Briefs citing Microsoft");
    assert_eq!(microsoft.texts(".brief-list h2"), vec!["C", "B"], "newest first, a brief citing twice listed once");
    assert_eq!(site.page("/sources/microsoft/page/2/").texts(".brief-list h2"), vec!["A"]);
    assert!(site.read("sitemap.xml").contains("/sources/microsoft/"));
}

#[test]
fn check_writes_nothing_and_reports_as_text_or_json() {
    let site = TestSite::fixture("rules/by-without-author");
    let text = site.run(&["check"]);
    assert_eq!(text.status.code(), Some(1));
    assert!(text.stderr.contains("error[missing-author]"), "{}", text.stderr);
    assert!(text.stdout.contains("1 error"), "{}", text.stdout);
    let json = site.run(&["check", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let list: Vec<serde_json::Value> = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(
        list[0],
        serde_json::json!({
            "file": "content/brief.md", "line": 12, "column": 3, "severity": "error",
            "code": "missing-author", "message": list[0]["message"].clone(), "help": list[0]["help"].clone()
        })
    );
    assert!(!site.output().exists(), "check writes nothing");
    let clean = TestSite::fixture("rules/cc0-without-author");
    let ok = run_in(clean.root(), &["check", "--format", "json"]);
    assert_eq!(ok.status.code(), Some(0), "{}", ok.stderr);
    assert_eq!(serde_json::from_str::<Vec<serde_json::Value>>(&ok.stdout).unwrap().len(), 0);
}
