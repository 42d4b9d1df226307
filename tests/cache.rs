//! A second build reuses the pages of the first whose inputs did not change; what it
//! writes must be, byte for byte, what a clean build writes, after any kind of change.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{TestSite, sourced};

/// Every file and folder of an output (folders with no contents), the manifest aside.
fn files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(folder)
        .min_depth(1)
        .into_iter()
        .map(|e| e.unwrap())
        .map(|e| {
            let relative = e.path().strip_prefix(folder).unwrap().display().to_string();
            if e.file_type().is_dir() {
                (format!("{relative}/"), Vec::new())
            } else {
                (relative, std::fs::read(e.path()).unwrap())
            }
        })
        .filter(|(path, _)| path != depeche::build::cache::MANIFEST)
        .collect()
}

/// Builds the site again into its usual output (reusing the previous build) and into a
/// fresh folder (a clean build), and compares them.
fn assert_same_as_clean(site: &TestSite) -> depeche::BuildReport {
    let report = site.build();
    let clean = tempfile::tempdir().unwrap();
    depeche::build(&depeche::BuildOptions {
        output: Some(clean.path().join("out")),
        ..depeche::BuildOptions::new(site.root())
    })
    .unwrap();
    assert_eq!(files(&site.output()), files(&clean.path().join("out")));
    report
}

#[test]
fn reused_builds_equal_clean_builds_after_every_kind_of_change() {
    let site = TestSite::new("title = \"Cache\"\npaginate = 2\nlanguages = [\"fr\", \"en\"]\n");
    for day in 1..=5 {
        site.brief(
            &format!("b{day}.md"),
            &format!("{}lang: fr\ntags: [A]\n", sourced(&format!("B{day}"), &format!("2022-01-0{day}"))),
            "Texte.\n",
        );
    }
    let first = site.build();
    assert_eq!(first.rendered, first.pages);

    let unchanged = assert_same_as_clean(&site);
    assert_eq!(unchanged.rendered, 0, "nothing changed, nothing rendered");

    site.brief("b3.md", &format!("{}lang: fr\ntags: [A]\n", sourced("B3", "2022-01-03")), "Texte modifié.\n");
    let body = assert_same_as_clean(&site);
    assert!(body.rendered > 0 && body.rendered < body.pages / 2, "{} of {}", body.rendered, body.pages);

    site.brief("b6.md", &format!("{}lang: en\ntags: [B]\n", sourced("B6", "2022-01-06")), "Text.\n");
    assert_same_as_clean(&site);

    std::fs::remove_file(site.root().join("content/b1.md")).unwrap();
    assert_same_as_clean(&site);

    site.write("templates/partials/sources.html", "<p class=\"changed\">sources</p>");
    let template = assert_same_as_clean(&site);
    assert_eq!(template.rendered, template.pages, "a template change renders everything");
    assert!(site.read("2022/01/b2/index.html").contains("class=\"changed\""));

    site.write("depeche.toml", "title = \"Cache renamed\"\npaginate = 2\nlanguages = [\"fr\", \"en\"]\n");
    let config = assert_same_as_clean(&site);
    assert_eq!(config.rendered, config.pages, "a config change renders everything");

    site.write("i18n/fr.toml", "sources = \"Nos sources\"\n");
    let strings = assert_same_as_clean(&site);
    assert_eq!(strings.rendered, strings.pages, "a UI string change renders everything");
}

#[test]
fn a_manifest_from_another_generation_is_ignored() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.build();
    let manifest = site.output().join(depeche::build::cache::MANIFEST);
    let text = std::fs::read_to_string(&manifest).unwrap().replace("\"generation\":\"", "\"generation\":\"old-");
    std::fs::write(&manifest, text).unwrap();
    let report = site.build();
    assert_eq!(report.rendered, report.pages);
}

#[test]
fn a_rebuild_writes_only_what_changed_and_removes_what_is_gone() {
    let site = TestSite::basic();
    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("A", "2022-01-01")), "x\n");
    site.brief("b.md", &format!("{}tags: [Beta]\n", sourced("B", "2022-02-01")), "y\n");
    site.write("static/notes.txt", "first");
    site.build();
    let untouched = site.output().join("2022/02/b/index.html");
    let inode = |path: &Path| std::os::unix::fs::MetadataExt::ino(&std::fs::metadata(path).unwrap());
    let before = inode(&untouched);

    // The brief with the only "Alpha" tag goes: its page, its tag's pages and their
    // folders go with it; the static file changes in place.
    std::fs::remove_file(site.root().join("content/a.md")).unwrap();
    site.write("static/notes.txt", "second, longer");
    assert_same_as_clean(&site);
    assert!(!site.output().join("2022/01").exists(), "empty folders are removed");
    assert!(!site.output().join("tags/alpha").exists());
    assert_eq!(site.read("notes.txt"), "second, longer");
    assert_eq!(inode(&untouched), before, "an unchanged page is left where it is, not rewritten");
}

#[test]
fn an_output_changed_by_hand_is_rebuilt_afresh() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.build();
    // A file deleted by hand is written again; a file added by hand goes, as with any
    // build that does not reuse the previous one.
    std::fs::remove_file(site.output().join("2022/01/a/index.html")).unwrap();
    std::fs::write(site.output().join("stray.html"), "stray").unwrap();
    let report = assert_same_as_clean(&site);
    assert_eq!(report.rendered, report.pages);
    assert!(!site.output().join("stray.html").exists());
}
