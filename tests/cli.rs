//! The `depeche` command as a user runs it: init, new, build, and what it prints.

mod common;

use common::{TestSite, run_in, sourced};

#[test]
fn init_then_build_works_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let init = run_in(dir.path(), &["init", "mysite"]);
    assert!(init.status.success(), "{}", init.stderr);
    assert!(dir.path().join("mysite/depeche.toml").exists());
    assert!(dir.path().join("mysite/content/welcome.md").exists());
    let build = run_in(&dir.path().join("mysite"), &["build"]);
    assert!(build.status.success(), "{}", build.stderr);
    assert!(build.stdout.starts_with("Built 1 brief: "), "{}", build.stdout);
    assert!(dir.path().join("mysite/public/index.html").exists());
    assert!(dir.path().join("mysite/public/style.css").exists(), "the built-in theme is embedded");
    let again = run_in(dir.path(), &["init", "mysite"]);
    assert!(!again.status.success());
    assert!(again.stderr.contains("already holds a depeche.toml"), "{}", again.stderr);
}

#[test]
fn new_writes_a_transliterated_skeleton_that_builds() {
    let site = TestSite::basic();
    let new = site.run(&["new", "Élections à Paris", "--lang", "fr"]);
    assert!(new.status.success(), "{}", new.stderr);
    let path = site.root().join("content/elections-a-paris.md");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("---\ntitle: Élections à Paris\n"), "{text}");
    assert!(text.contains("\nlang: fr\n"));
    let build = site.run(&["build"]);
    assert!(build.status.success(), "{}", build.stderr);
    assert!(build.stderr.contains("warning[no-sources]"), "the skeleton has no source yet: {}", build.stderr);
    let again = site.run(&["new", "Élections à Paris"]);
    assert!(!again.status.success());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text, "never overwritten");
}

#[test]
fn build_reports_errors_with_file_line_and_excerpt() {
    let site = TestSite::basic();
    site.brief("typo.md", "title: T\ndate: 2022-01-01\nsorces:\n  - name: AFP\n", "x\n");
    site.brief("bad.md", "title: T\ndate: 2022-01-01\nsources:\n  - name: A\n    url: javascript:alert(1)\n", "x\n");
    let build = site.run(&["build"]);
    assert_eq!(build.status.code(), Some(1));
    assert!(build.stderr.contains("error[unknown-key]: unknown key `sorces`"), "{}", build.stderr);
    assert!(build.stderr.contains("content/typo.md:4:1"), "{}", build.stderr);
    assert!(build.stderr.contains("4 │ sorces:"), "the offending line is shown: {}", build.stderr);
    assert!(build.stderr.contains("content/bad.md:6:10"), "{}", build.stderr);
    assert!(build.stderr.contains("Nothing was written: 2 errors."), "{}", build.stderr);
    assert!(!site.output().exists());
}

#[test]
fn output_flag_and_refusal() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("www");
    let build = site.run(&["build", "--output", out.to_str().unwrap()]);
    assert!(build.status.success(), "{}", build.stderr);
    assert!(out.join("2022/01/a/index.html").exists());
    let refused = site.run(&["build", "--output", "content"]);
    assert!(!refused.status.success());
    assert!(refused.stderr.contains("refusing to use content as the output folder"), "{}", refused.stderr);
    assert!(site.root().join("content/a.md").exists());
}

#[test]
fn build_with_root_from_elsewhere() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let build = run_in(elsewhere.path(), &["build", "--root", site.root().to_str().unwrap()]);
    assert!(build.status.success(), "{}", build.stderr);
    assert!(site.output().join("index.html").exists());
}

#[test]
fn theme_and_template_overrides_replace_only_their_files() {
    let site = TestSite::fixture("themes/custom-theme");
    site.build();
    let home = site.page("/");
    assert_eq!(home.text("h1.paper-home"), "Fresh off the press", "theme template and its UI string");
    assert_eq!(home.text(".skip-link"), "Skip to content", "strings the theme leaves out fall back");
    let brief = site.page("/2022/03/note/");
    assert_eq!(brief.text("h1.site-override"), "Override note", "the site's templates/ win");
    assert_eq!(brief.text(".desk"), "Foreign desk", "extra reaches templates");
    assert_eq!(brief.count("footer"), 1, "base.html still comes from the built-in theme");
    assert!(site.read("style.css").contains("paper theme"));
    let not_found = site.page("/404.html");
    assert_eq!(not_found.text("h1"), "Page not found");
}

#[test]
fn unknown_theme_is_an_error() {
    let site = TestSite::new("title = \"T\"\ntheme = \"nope\"\n");
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "unknown-theme" && d.path.ends_with("depeche.toml")), "{errors:#?}");
}
