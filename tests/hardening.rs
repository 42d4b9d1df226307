//! Hostile and broken input: every case gets a clear, located error or warning, no panic,
//! and nothing of the user's is lost.

mod common;

use common::{TestSite, sourced};

fn find<'a>(diagnostics: &'a [depeche::Diagnostic], code: &str) -> &'a depeche::Diagnostic {
    diagnostics.iter().find(|d| d.code == code).unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

#[test]
fn dates_no_feed_can_hold_are_located_errors_in_build_check_and_import() {
    let site = TestSite::basic();
    site.brief("neg.md", &sourced("Negative", "-0001-01-01"), "x\n");
    site.brief("upd.md", &format!("{}updated: 10000-01-01\n", sourced("Far", "2022-01-01")), "x\n");
    let errors = site.build_errors();
    let negative = errors.iter().find(|d| d.path.ends_with("neg.md") && d.code == "invalid-date").expect("neg.md");
    assert_eq!(negative.line, Some(3), "{negative:?}");
    assert!(negative.message.contains("year -1"), "{}", negative.message);
    assert!(errors.iter().any(|d| d.path.ends_with("upd.md") && d.code == "invalid-date"), "{errors:#?}");

    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1), "{}", check.stderr);
    let json: serde_json::Value = serde_json::from_str(&check.stdout).expect("JSON on stdout");
    assert!(json.as_array().unwrap().iter().any(|d| d["code"] == "invalid-date"), "{json}");
    let build = site.run(&["build"]);
    assert_eq!(build.status.code(), Some(1), "no panic (101): {}", build.stderr);

    let text = site.root().join("brief.txt");
    std::fs::write(&text, "Un titre\n\nUn paragraphe assez long pour faire un texte.\n").unwrap();
    let import = site.run(&["import", "--date=-0001-01-01", text.to_str().unwrap()]);
    assert!(!import.status.success());
    assert!(import.stderr.contains("year -1"), "{}", import.stderr);
    let _ = find(&errors, "invalid-date");
}

#[test]
fn markup_in_a_summary_stays_text_in_every_feed() {
    let site = TestSite::basic();
    site.brief(
        "a.md",
        &format!("{}summary: \"<img src=x onerror=alert(1)> & co\"\n", sourced("A", "2022-01-01")),
        "Body.\n",
    );
    site.brief("b.md", &sourced("B", "2022-01-02"), "Shows `<script>alert(1)</script>` in code.\n");
    site.build();
    let rss = site.read("rss.xml");
    // Whatever the reader does with CDATA, no tag of the summaries reaches it.
    assert!(!rss.contains("<img"), "{rss}");
    assert!(!rss.contains("<script>"), "{rss}");
    assert!(rss.contains("&lt;img src=x onerror=alert(1)&gt; &amp; co"), "{rss}");
    // Atom says its summary is text; JSON Feed's summary is plain text by definition.
    let atom = site.read("atom.xml");
    assert!(atom.contains("<summary>&lt;img src=x onerror=alert(1)&gt; &amp; co</summary>"), "{atom}");
    let json: serde_json::Value = serde_json::from_str(&site.read("feed.json")).unwrap();
    assert_eq!(json["items"][1]["summary"], "<img src=x onerror=alert(1)> & co");
}

/// Every XML file of an output, parsed by a strict parser.
fn assert_xml_well_formed(output: &std::path::Path) -> usize {
    let mut parsed = 0;
    for entry in walkdir::WalkDir::new(output).into_iter().map(|e| e.unwrap()) {
        if entry.path().extension().is_some_and(|e| e == "xml") {
            let text = std::fs::read_to_string(entry.path()).unwrap();
            if let Err(error) = roxmltree::Document::parse(&text) {
                panic!("{} is not well-formed: {error}\n{text}", entry.path().display());
            }
            parsed += 1;
        }
    }
    parsed
}

#[test]
fn control_characters_are_replaced_with_a_warning_and_refused_in_addresses() {
    let site = TestSite::basic();
    // Literal characters, as pasted from a word processor, in the title and the body.
    site.brief(
        "pasted.md",
        &sourced("Un titre\u{b}coupé", "2022-01-01"),
        "Ligne\u{b}suivante, \u{0}nul, \u{8}retour, \u{c}page, \u{1b}[31méchappement, \u{fffe}\u{ffff}.\n",
    );
    // Written as YAML escapes, they only come to light once the YAML is read.
    site.brief(
        "escaped.md",
        "title: \"Escaped\\vtitle\\0\"\ndate: 2022-01-02\nsources:\n  - name: A\n    url: https://a.example.org/\n",
        "Body.\n",
    );
    let report = site.build();
    let warning = report.diagnostics.iter().find(|d| d.code == "control-character").expect("a warning");
    assert!(warning.path.ends_with("pasted.md"));
    assert_eq!((warning.line, warning.column), (Some(2), Some(17)), "{warning:?}");
    assert!(warning.message.contains("8 control characters"), "{}", warning.message);
    assert!(assert_xml_well_formed(&site.output()) >= 3);
    assert!(site.read("2022/01/pasted/index.html").contains("Ligne suivante"));

    // In an address, a control character is an error.
    site.brief(
        "url.md",
        "title: U\ndate: 2022-01-03\nsources:\n  - name: A\n    url: \"https://a.example.org/\\x01x\"\n",
        "x\n",
    );
    let errors = site.build_errors();
    let error = find(&errors, "invalid-url");
    assert!(error.path.ends_with("url.md") && error.message.contains("U+0001"), "{error:?}");
}

#[test]
fn hostile_front_matter_fails_fast_and_located() {
    let site = TestSite::basic();
    // 200 KB of nested brackets took the YAML parser 35 s to refuse.
    let nested = format!("{}extra: {}{}\n", sourced("Deep", "2022-01-01"), "[".repeat(100_000), "]".repeat(100_000));
    site.brief("deep.md", &nested, "x\n");
    let mut deep_but_small = sourced("Deep", "2022-01-01");
    deep_but_small.push_str(&format!("extra:\n  k: {}{}\n", "[".repeat(20), "]".repeat(20)));
    site.brief("nested.md", &deep_but_small, "x\n");
    let huge = format!("{}extra:\n{}", sourced("Huge", "2022-01-02"), "  k: v\n".repeat(20_000));
    site.brief("huge.md", &huge, "x\n");
    site.write("content/big.md", &format!("---\ntitle: Big\n---\n{}", "x".repeat(3 << 20)));
    let started = std::time::Instant::now();
    let errors = site.build_errors();
    assert!(started.elapsed() < std::time::Duration::from_secs(2), "{:?}", started.elapsed());
    let of =
        |name: &str| errors.iter().find(|d| d.path.ends_with(name)).unwrap_or_else(|| panic!("{name}: {errors:#?}"));
    assert_eq!((of("deep.md").code.as_str(), of("deep.md").line), ("too-large", Some(2)));
    let nested = of("nested.md");
    assert_eq!((nested.code.as_str(), nested.line), ("too-deep", Some(8)), "{nested:?}");
    assert_eq!(of("huge.md").code, "too-large");
    assert_eq!(of("big.md").code, "too-large");
}

#[test]
fn values_too_long_to_publish_are_errors_that_check_finds_too() {
    let site = TestSite::basic();
    let long_title = "Titre ".repeat(300);
    site.brief("title.md", &sourced(&long_title, "2022-01-01"), "x\n");
    let long_tag = "étiquette".repeat(40);
    site.brief("tag.md", &format!("{}tags: [\"{long_tag}\", \"..\"]\n", sourced("Tag", "2022-01-02")), "x\n");
    site.brief(
        "outlet.md",
        &format!("title: O\ndate: 2022-01-03\nsources:\n  - name: \"{}\"\n", "A".repeat(300)),
        "x\n",
    );
    site.brief("slug.md", &format!("{}slug: {}\n", sourced("Slug", "2022-01-04"), "a".repeat(260)), "x\n");
    let check = site.run(&["check", "--format", "json"]);
    assert_eq!(check.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&check.stdout).unwrap();
    let found: Vec<(String, String, u64)> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let file = d["file"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
            (file, d["code"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap_or(0))
        })
        .collect();
    for expected in [
        ("title.md", "too-long", 2),
        ("tag.md", "too-long", 7),
        ("tag.md", "invalid-slug", 7),
        ("outlet.md", "too-long", 5),
        ("slug.md", "too-long", 7),
    ] {
        assert!(
            found.iter().any(|(f, c, l)| (f.as_str(), c.as_str(), *l) == expected),
            "{expected:?} not in {found:?}"
        );
    }
}

#[test]
fn yaml_errors_count_lines_from_the_file() {
    let site = TestSite::basic();
    site.brief("bad.md", "title: A\ndate: 2022-01-01\nsources: [\n  - x\n", "x\n");
    let errors = site.build_errors();
    let error = find(&errors, "yaml-syntax");
    let line = error.line.expect("placed");
    // Every line the message names is a line of the file, not of the front matter.
    for (at, _) in error.message.match_indices("line ") {
        let number: usize =
            error.message[at + 5..].split(|c: char| !c.is_ascii_digit()).next().unwrap().parse().unwrap();
        assert!(number >= 2 && number <= line + 1, "{} (error at line {line})", error.message);
    }
}

#[test]
fn check_in_json_always_prints_json() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    let json_of = |args: &[&str]| {
        let run = site.run(args);
        assert_eq!(run.status.code(), Some(1), "{args:?}: {}", run.stderr);
        let json: serde_json::Value =
            serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {:?}", run.stdout));
        json.as_array().unwrap()[0]["code"].as_str().unwrap().to_string()
    };
    let missing = site.root().join("missing");
    assert_eq!(json_of(&["check", "--format", "json", "--root", missing.to_str().unwrap()]), "no-config");
    let file = site.root().join("content/a.md");
    assert_eq!(json_of(&["check", "--format", "json", "--root", file.to_str().unwrap()]), "no-config");
    site.write_bytes("depeche.toml", b"title = \"Caf\xe9\"\n");
    assert_eq!(json_of(&["check", "--format", "json"]), "not-utf8");
    std::fs::remove_file(site.root().join("depeche.toml")).unwrap();
    std::fs::create_dir(site.root().join("depeche.toml")).unwrap();
    assert_eq!(json_of(&["check", "--format", "json"]), "io");
    std::fs::remove_dir(site.root().join("depeche.toml")).unwrap();
    assert_eq!(json_of(&["check", "--format", "json"]), "no-config");
}

#[test]
fn permalinks_into_hidden_folders_are_refused() {
    for pattern in ["/.depeche/{slug}/", "/.git/{year}/{slug}/", "/%2e%2e/{slug}/"] {
        let site = TestSite::new(&format!("title = \"T\"\npermalink = \"{pattern}\"\n"));
        site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
        let errors = site.build_errors();
        let error = find(&errors, "config-invalid");
        assert!(error.path.ends_with("depeche.toml") && error.line == Some(2), "{pattern}: {error:?}");
        assert!(!site.output().exists());
    }
}

#[cfg(unix)]
#[test]
fn import_never_writes_through_a_symbolic_link() {
    let site = TestSite::basic();
    std::fs::create_dir_all(site.root().join("content")).unwrap();
    let outside = tempfile::tempdir().unwrap();
    let text = site.root().join("brief.txt");
    std::fs::write(&text, "Un titre\n\nUn paragraphe assez long pour faire un texte.\n").unwrap();
    let target = site.root().join("content/un-titre.md");
    // Dangling: the link's target does not exist yet.
    std::os::unix::fs::symlink(outside.path().join("planted.md"), &target).unwrap();
    let run = site.run(&["import", text.to_str().unwrap()]);
    assert!(!run.status.success() && run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert!(!outside.path().join("planted.md").exists(), "nothing written through the link");
    // An existing file outside the site, even with --force.
    std::fs::write(outside.path().join("planted.md"), "precious").unwrap();
    let run = site.run(&["import", "--force", text.to_str().unwrap()]);
    assert!(!run.status.success() && run.stderr.contains("symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(outside.path().join("planted.md")).unwrap(), "precious");
    // A plain file is replaced with --force.
    std::fs::remove_file(&target).unwrap();
    std::fs::write(&target, "old").unwrap();
    assert!(site.run(&["import", "--force", text.to_str().unwrap()]).status.success());
    assert!(std::fs::read_to_string(&target).unwrap().contains("title: Un titre"));
}

#[cfg(unix)]
#[test]
fn input_that_is_not_published_is_reported_by_name() {
    use std::os::unix::ffi::OsStrExt;
    let site = TestSite::basic();
    // Upper-case extension: a brief like any other.
    site.write("content/UPPER.MD", &format!("---\n{}---\nUpper.\n", sourced("Upper", "2022-01-01")));
    // A name that is not UTF-8, and a brief that is a symbolic link.
    let latin1 = site.root().join("content").join(std::ffi::OsStr::from_bytes(b"caf\xe9.md"));
    std::fs::write(&latin1, format!("---\n{}---\nx\n", sourced("Latin", "2022-01-02"))).unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("linked.md"), format!("---\n{}---\nx\n", sourced("Linked", "2022-01-03")))
        .unwrap();
    std::os::unix::fs::symlink(outside.path().join("linked.md"), site.root().join("content/linked.md")).unwrap();
    // static/: .well-known is published, other hidden files and links are reported.
    site.write("static/.well-known/security.txt", "Contact: mailto:security@example.org\n");
    site.write("static/.htaccess", "Deny from all\n");
    site.write("static/.DS_Store", "junk");
    std::os::unix::fs::symlink("/etc/hostname", site.root().join("static/host.txt")).unwrap();
    let report = site.build();
    assert!(site.exists("2022/01/upper/index.html"), "X.MD is a brief");
    assert!(
        report.diagnostics.iter().any(|d| d.code == "file-name" && d.path.ends_with("UPPER.MD")),
        "and is named: {:?}",
        report.diagnostics
    );
    assert_eq!(site.read(".well-known/security.txt"), "Contact: mailto:security@example.org\n");
    assert!(!site.exists(".htaccess") && !site.exists("host.txt") && !site.exists(".DS_Store"));
    let reported: Vec<String> = report
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-published")
        .map(|d| d.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for name in ["caf\u{fffd}.md", "linked.md", ".htaccess", "host.txt"] {
        assert!(reported.iter().any(|r| r == name), "{name} not in {reported:?}");
    }
    assert!(!reported.iter().any(|r| r == ".DS_Store"), "system files are skipped quietly");
}

#[test]
fn a_bundle_file_and_a_static_file_at_one_address_are_an_error() {
    let site = TestSite::new("title = \"T\"\npermalink = \"/{slug}/\"\n");
    site.brief("photos/index.md", &sourced("Photos", "2022-01-01"), "x\n");
    site.write("content/photos/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.write("static/photos/map.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>other</title></svg>");
    let errors = site.build_errors();
    let error = find(&errors, "output-conflict");
    assert!(error.message.contains("photos/map.svg") && error.message.contains("static/photos/map.svg"), "{error:?}");
}
