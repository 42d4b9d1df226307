//! Bad input: every error names its file (and line and column where it has one), all
//! errors of a build come together, and a failed build changes nothing.

mod common;

use common::{TestSite, sourced};
use depeche::Diagnostic;

fn find<'a>(diagnostics: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

#[test]
fn unknown_key_is_an_error_that_suggests_the_key() {
    let site = TestSite::basic();
    site.brief("typo.md", "title: T\ndate: 2022-01-01\nsorces:\n  - name: AFP\n", "x\n");
    let errors = site.build_errors();
    let error = find(&errors, "unknown-key");
    assert!(error.path.ends_with("content/typo.md"));
    assert_eq!((error.line, error.column), (Some(4), Some(1)));
    assert_eq!(error.message, "unknown key `sorces`");
    assert!(error.help.as_deref().unwrap().starts_with("did you mean `sources`?"));
}

#[test]
fn unknown_key_in_image_and_source() {
    let site = TestSite::basic();
    site.brief("a.md", "title: T\ndate: 2022-01-01\nimage:\n  src: x.png\n  autor: X\n", "x\n");
    site.brief("b.md", "title: T\ndate: 2022-01-01\nsources:\n  - name: A\n    link: https://a.example/\n", "x\n");
    let errors = site.build_errors();
    let image = errors.iter().find(|d| d.path.ends_with("a.md")).unwrap();
    assert_eq!((image.code.as_str(), image.line, image.column), ("unknown-key", Some(6), Some(3)));
    assert!(image.help.as_deref().unwrap().starts_with("did you mean `author`?"));
    let source = errors.iter().find(|d| d.path.ends_with("b.md")).unwrap();
    assert_eq!((source.code.as_str(), source.line), ("unknown-key", Some(6)));
    assert!(source.message.contains("`link`"), "{}", source.message);
}

#[test]
fn all_errors_of_all_files_come_together() {
    let site = TestSite::basic();
    site.brief("one.md", "title: T\ndate: 2022-01-01\nsources:\n  - name: A\n    url: javascript:alert(1)\n", "x\n");
    site.brief("two.md", "title: T\ndate: 2022-02-31\nsources:\n  - name: A\n", "x\n");
    site.brief("three.md", "date: 2022-01-01\nimage:\n  src: missing.png\n  license: CC-BY-SA-3.1\n", "x\n");
    let errors = site.build_errors();
    let url = find(&errors, "invalid-url");
    assert!(url.path.ends_with("one.md"));
    assert_eq!((url.line, url.column), (Some(6), Some(10)));
    assert!(url.message.contains("javascript:"));
    let date = find(&errors, "invalid-date");
    assert!(date.path.ends_with("two.md"));
    assert_eq!(date.line, Some(3));
    let three: Vec<_> =
        errors.iter().filter(|d| d.path.ends_with("three.md")).map(|d| (d.code.as_str(), d.line)).collect();
    assert!(three.contains(&("missing-key", Some(1))), "{three:?}");
    assert!(three.contains(&("image-src", Some(4))), "{three:?}");
    assert!(three.contains(&("missing-alt", Some(3))), "{three:?}");
    assert!(three.contains(&("unknown-license", Some(5))), "{three:?}");
    let licence = find(&errors, "unknown-license");
    assert!(licence.help.as_deref().unwrap().contains("CC-BY-SA-3.0"), "{licence:?}");
}

#[test]
fn broken_files_get_clear_errors() {
    let site = TestSite::basic();
    site.write("content/empty.md", "");
    site.write("content/nofm.md", "Just text\n");
    site.write("content/open.md", "---\ntitle: T\ndate: 2022-01-01\n");
    site.write_bytes("content/latin1.md", b"---\ntitle: Caf\xe9\n---\n");
    site.write("content/yaml.md", "---\ntitle: [unclosed\ndate: 2022-01-01\n---\n");
    let errors = site.build_errors();
    let code_of = |name: &str| {
        let d = errors.iter().find(|d| d.path.ends_with(name)).unwrap_or_else(|| panic!("{name}: {errors:#?}"));
        (d.code.as_str(), d.line)
    };
    assert_eq!(code_of("empty.md"), ("empty-file", None));
    assert_eq!(code_of("nofm.md"), ("no-front-matter", Some(1)));
    assert_eq!(code_of("open.md"), ("unclosed-front-matter", Some(1)));
    assert_eq!(code_of("latin1.md"), ("not-utf8", Some(2)));
    assert_eq!(code_of("yaml.md").0, "yaml-syntax");
    assert!(code_of("yaml.md").1.is_some());
}

#[test]
fn two_briefs_on_one_address_name_both_files() {
    let site = TestSite::basic();
    site.brief("a.md", &format!("{}slug: same\n", sourced("A", "2022-01-01")), "x\n");
    site.brief("b.md", &format!("{}slug: same\n", sourced("B", "2022-01-09")), "x\n");
    let errors = site.build_errors();
    let duplicates: Vec<_> = errors.iter().filter(|d| d.code == "duplicate-url").collect();
    assert_eq!(duplicates.len(), 2);
    for d in duplicates {
        assert!(d.message.contains("a.md") && d.message.contains("b.md"), "{}", d.message);
        assert!(d.message.contains("/2022/01/same/"));
    }
}

#[test]
fn a_brief_without_sources_builds_with_a_warning() {
    let site = TestSite::basic();
    site.brief("a.md", "title: T\ndate: 2022-01-01\n", "x\n");
    let report = site.build();
    let warning = find(&report.diagnostics, "no-sources");
    assert!(warning.path.ends_with("content/a.md"));
    assert_eq!(warning.severity, depeche::Severity::Warning);
}

#[test]
fn a_failed_build_leaves_the_output_untouched() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.build();
    let before = snapshot(&site.output());
    site.brief("b.md", "title: B\ndate: 2022-01-02\nsorces: []\n", "x\n");
    site.build_errors();
    assert_eq!(snapshot(&site.output()), before);
    let mut leftovers: Vec<String> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    leftovers.sort();
    // .depeche holds the caches of the build that succeeded (its search index).
    assert_eq!(leftovers, [".depeche", "content", "depeche.toml", "public"], "nothing left by the failed build");
}

fn snapshot(folder: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<_> = walkdir::WalkDir::new(folder)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(folder).unwrap().display().to_string(), std::fs::read(e.path()).unwrap()))
        .collect();
    files.sort();
    files
}

#[test]
fn dangerous_output_folders_are_refused() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let parent = site.root().parent().unwrap().to_path_buf();
    for output in [
        site.root().to_path_buf(),
        site.root().join("content"),
        site.root().join("content/sub"),
        parent,
        "/".into(),
        site.root().join("."),
    ] {
        let options = depeche::BuildOptions { output: Some(output.clone()), ..depeche::BuildOptions::new(site.root()) };
        match depeche::build(&options) {
            Err(depeche::Error::UnsafeOutput { .. }) => {}
            other => panic!("{} was accepted: {other:?}", output.display()),
        }
    }
    assert!(site.root().join("content/a.md").exists(), "nothing was deleted");
    assert!(site.root().join("depeche.toml").exists());
}

#[test]
fn an_existing_site_is_never_an_output_folder() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let other = TestSite::basic();
    let options =
        depeche::BuildOptions { output: Some(other.root().to_path_buf()), ..depeche::BuildOptions::new(site.root()) };
    assert!(matches!(depeche::build(&options), Err(depeche::Error::UnsafeOutput { .. })));
    assert!(other.root().join("depeche.toml").exists());
}

#[test]
fn config_errors_are_placed() {
    let site = TestSite::new("title = \"T\"\nlanguge = \"fr\"\n");
    let errors = site.build_errors();
    let error = find(&errors, "unknown-key");
    assert!(error.path.ends_with("depeche.toml"));
    assert_eq!(error.line, Some(2));
    assert_eq!(error.help.as_deref(), Some("did you mean `language`?"));
}

#[test]
fn template_errors_name_the_template() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.write(
        "templates/brief.html",
        "{% extends \"base.html\" %}{% block main %}{{ brief.nope }}{% endblock main %}",
    );
    let errors = site.build_errors();
    let error = find(&errors, "template");
    assert!(error.path.ends_with("templates/brief.html"), "{error:?}");
    assert!(error.message.contains("nope"), "{}", error.message);
}

#[cfg(unix)]
#[test]
fn images_linked_from_outside_the_site_are_refused() {
    let site = TestSite::basic();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "secret").unwrap();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.png"), site.root().join("content/link.png")).unwrap();
    site.brief(
        "a.md",
        &format!("{}image:\n  src: link.png\n  alt: A\n  license: CC0-1.0\n", sourced("A", "2022-01-01")),
        "x\n",
    );
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "image-src"), "{errors:#?}");
}

#[cfg(unix)]
#[cfg(unix)]
#[test]
fn images_in_a_folder_linked_from_outside_the_site_are_refused() {
    let site = TestSite::basic();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.png"), "secret").unwrap();
    std::fs::create_dir_all(site.root().join("static")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.root().join("static/linked")).unwrap();
    std::fs::create_dir_all(site.root().join("static/images")).unwrap();
    std::fs::write(site.root().join("static/images/own.png"), "own").unwrap();
    let with_image = |title: &str, src: &str| {
        format!("{}image:\n  src: {src}\n  alt: A\n  license: CC0-1.0\n", sourced(title, "2022-01-01"))
    };
    site.brief("a.md", &with_image("A", "/linked/secret.png"), "x\n");
    site.brief("b.md", &with_image("B", "/images/own.png"), "x\n");
    let errors = site.build_errors();
    let refused: Vec<_> = errors.iter().filter(|d| d.code == "image-src").collect();
    assert_eq!(refused.len(), 1, "{errors:#?}");
    assert!(refused[0].path.ends_with("content/a.md"), "{errors:#?}");
}

#[test]
fn only_an_empty_folder_or_a_previous_build_is_replaced() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let build_into = |output: &std::path::Path| {
        depeche::build(&depeche::BuildOptions {
            output: Some(output.to_path_buf()),
            ..depeche::BuildOptions::new(site.root())
        })
    };
    // A folder of someone's files, even one that looks like a site's output.
    let documents = elsewhere.path().join("Documents");
    std::fs::create_dir_all(documents.join("letters")).unwrap();
    std::fs::write(documents.join("letters/2022.txt"), "dear").unwrap();
    std::fs::write(documents.join("index.html"), "<p>mine</p>").unwrap();
    match build_into(&documents) {
        Err(error @ depeche::Error::UnsafeOutput { .. }) => {
            assert!(error.to_string().contains("not a Depeche build"), "{error}")
        }
        other => panic!("a folder of files was accepted: {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(documents.join("letters/2022.txt")).unwrap(), "dear");
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1, "nothing was written beside it either");

    // The site's own .git, and a folder holding the home folder, are refused outright.
    std::fs::create_dir_all(site.root().join(".git")).unwrap();
    assert!(matches!(build_into(&site.root().join(".git")), Err(depeche::Error::UnsafeOutput { .. })));

    // An empty folder is filled; a previous build is replaced, also when it lost its
    // manifest (a build killed while publishing).
    let empty = elsewhere.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    build_into(&empty).unwrap();
    assert!(empty.join("index.html").exists() && empty.join(".depeche/output").exists());
    std::fs::remove_file(empty.join(".depeche/manifest.json")).unwrap();
    build_into(&empty).unwrap();
    assert!(empty.join(".depeche/manifest.json").exists());
}

#[test]
fn a_brief_where_a_feed_or_a_list_is_written_is_refused() {
    // Under the site feed's file: the feed would have to be a folder too.
    let site = TestSite::new("title = \"T\"\npermalink = \"/atom.xml/{slug}/\"\n");
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let errors = site.build_errors();
    let error = find(&errors, "duplicate-url");
    assert!(error.path.ends_with("content/a.md"), "{error:?}");
    assert!(error.message.contains("/atom.xml"), "{}", error.message);

    // On a tag's page.
    let site = TestSite::new("title = \"T\"\npermalink = \"/tags/{slug}/\"\n");
    site.brief("alpha.md", &format!("{}tags: [Alpha]\n", sourced("Alpha", "2022-01-01")), "x\n");
    let errors = site.build_errors();
    assert!(find(&errors, "duplicate-url").message.contains("/tags/alpha/index.html"), "{errors:?}");
    assert!(!site.output().exists(), "nothing was written");
}

#[test]
fn a_failed_build_into_a_new_folder_makes_no_folder() {
    let site = TestSite::basic();
    site.brief("a.md", "---\ntitle: A\nsorces: []\n---\n", "x\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let output = elsewhere.path().join("new/deep/public");
    let options = depeche::BuildOptions { output: Some(output), ..depeche::BuildOptions::new(site.root()) };
    assert!(matches!(depeche::build(&options), Err(depeche::Error::Site(_))));
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0, "nothing made beside or above it");
}
