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
        .filter(|(path, _)| !path.starts_with(depeche::pipeline::cache::META_DIR))
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
    let (ours, clean) = (files(&site.output()), files(&clean.path().join("out")));
    assert_eq!(ours.keys().collect::<Vec<_>>(), clean.keys().collect::<Vec<_>>());
    for (path, bytes) in &ours {
        let (ours, clean) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(&clean[path]));
        assert!(ours == clean, "{path} differs from a clean build:\n{ours}\n---\n{clean}");
    }
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
    let manifest = site.output().join(depeche::pipeline::cache::MANIFEST);
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
    // The file's identity: its inode where there are inodes, else its creation time.
    let identity = |path: &Path| {
        let metadata = std::fs::metadata(path).unwrap();
        #[cfg(unix)]
        return std::os::unix::fs::MetadataExt::ino(&metadata).to_string();
        #[cfg(not(unix))]
        return format!("{:?}", metadata.created().ok());
    };
    let before = identity(&untouched);

    // The brief with the only "Alpha" tag goes: its page, its tag's pages and their
    // folders go with it; the static file changes in place.
    std::fs::remove_file(site.root().join("content/a.md")).unwrap();
    site.write("static/notes.txt", "second, longer");
    assert_same_as_clean(&site);
    assert!(!site.output().join("2022/01").exists(), "empty folders are removed");
    assert!(!site.output().join("tags/alpha").exists());
    assert_eq!(site.read("notes.txt"), "second, longer");
    assert_eq!(identity(&untouched), before, "an unchanged page is left where it is, not rewritten");
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

#[test]
fn unchanged_briefs_come_from_the_cache_and_keep_their_warnings() {
    let site = TestSite::basic();
    // No `source` for the image: a warning, shown at every build.
    let warned = "title: W\ndate: 2022-01-01\nsources:\n  - name: AFP\n    url: https://afp.example.org/\nimage:\n  src: /photo.svg\n  alt: A photo\n  title: Photo\n  author: Someone\n  license: CC-BY-4.0\n";
    site.write("static/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site.brief("warned.md", warned, "Body.\n");
    for day in 2..=4 {
        site.brief(&format!("b{day}.md"), &sourced(&format!("B{day}"), &format!("2022-01-0{day}")), "Body.\n");
    }
    let first = site.build();
    assert_eq!(first.cached_briefs, 0);
    let codes = |report: &depeche::BuildReport| report.diagnostics.iter().map(|d| d.code.as_str()).collect::<Vec<_>>();
    assert!(codes(&first).contains(&"missing-source"), "{:?}", codes(&first));

    let second = assert_same_as_clean(&site);
    assert_eq!(second.cached_briefs, 3, "every brief without a warning is read from the cache");
    assert_eq!(codes(&second), codes(&first), "warnings are shown again");

    // Only the edited brief is parsed again; the feeds it is in render the cached
    // briefs' bodies from their files.
    site.brief("b3.md", &sourced("B3 renamed", "2022-01-03"), "New body.\n");
    let edited = assert_same_as_clean(&site);
    assert_eq!(edited.cached_briefs, 2);
    assert!(site.read("atom.xml").contains("B3 renamed"));
}

#[test]
fn a_brief_from_the_cache_has_its_image_found_again_and_a_damaged_cache_is_ignored() {
    let site = TestSite::basic();
    let with_image = format!(
        "{}image:\n  src: photo.svg\n  alt: A photo\n  title: Photo\n  author: Someone\n  source: Somewhere\n  license: CC0-1.0\n",
        sourced("A", "2022-01-01")
    );
    site.write("static/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>static</title></svg>");
    site.brief("a.md", &with_image, "Body.\n");
    site.brief("b.md", &sourced("B", "2022-01-02"), "No image.\n");
    site.build();
    assert!(site.read("2022/01/a/index.html").contains("src=\"/photo.svg\""));

    // Other files coming and going leave the cache as it is.
    site.write("static/other.svg", "<svg/>");
    site.write("content/notes.txt", "not a brief");
    assert_eq!(assert_same_as_clean(&site).cached_briefs, 2);

    // The same `src` now finds a file beside the brief first: that brief is parsed again.
    site.write("content/photo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>beside</title></svg>");
    let report = assert_same_as_clean(&site);
    assert_eq!(report.cached_briefs, 1, "only the brief whose image moved is parsed again");
    assert!(site.read("2022/01/a/index.html").contains("src=\"/2022/01/a/photo.svg\""));

    // Its image gone, a brief the cache holds is an error, as for a clean build.
    std::fs::remove_file(site.root().join("content/photo.svg")).unwrap();
    std::fs::remove_file(site.root().join("static/photo.svg")).unwrap();
    let errors = site.build_errors();
    assert!(errors.iter().any(|d| d.code == "image-src" && d.path.ends_with("content/a.md")), "{errors:?}");

    // A damaged cache is ignored, not trusted.
    site.write("static/photo.svg", "<svg/>");
    site.build();
    std::fs::write(site.output().join(depeche::content::cache::CACHE_FILE), b"\x01\x02garbage").unwrap();
    let report = assert_same_as_clean(&site);
    assert_eq!(report.cached_briefs, 0);
}

#[test]
fn a_file_edited_to_the_same_size_is_read_again_however_long_ago() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "Old words.\n");
    site.brief("b.md", &sourced("B", "2022-01-02"), "Other.\n");
    // Older than the settling time, so that the first build stamps the files and the
    // next one may trust the stamps instead of reading.
    std::thread::sleep(depeche::content::cache::SETTLED_FINE + std::time::Duration::from_millis(50));
    site.build();
    assert_eq!(assert_same_as_clean(&site).cached_briefs, 2, "unchanged files come from the cache");
    // Just written: too recent for its stamp to be trusted, the file is read.
    site.brief("a.md", &sourced("A", "2022-01-01"), "New words.\n");
    let report = assert_same_as_clean(&site);
    assert_eq!(report.cached_briefs, 1, "{report:?}");
    assert!(site.read("2022/01/a/index.html").contains("New words."));
    // Settled again, with a stamp unlike the cached one: read again too.
    site.brief("a.md", &sourced("A", "2022-01-01"), "Now words.\n");
    std::thread::sleep(depeche::content::cache::SETTLED_FINE + std::time::Duration::from_millis(50));
    assert_eq!(assert_same_as_clean(&site).cached_briefs, 1);
    assert!(site.read("2022/01/a/index.html").contains("Now words."));
}

/// Leftovers of builds beside an output: staging folders and retired previous builds.
fn leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public.staging-") || name.starts_with(".public.previous-"))
        .collect()
}

/// How a test build ends.
#[derive(Clone, Copy, Debug)]
enum Ending {
    Finished,
    /// Killed after this long.
    KilledAfter(std::time::Duration),
    /// Aborted (as if killed) after this many renames into the output.
    AbortedAfterMoves(usize),
}

/// Runs `depeche build` on the site and ends it as asked; returns how long it ran.
fn build_ending(site: &TestSite, ending: Ending) -> std::time::Duration {
    let started = std::time::Instant::now();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_depeche"));
    command.args(["build", "--root"]).arg(site.root());
    command.stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    if let Ending::AbortedAfterMoves(moves) = ending {
        command.env(depeche::pipeline::output::ABORT_AFTER_MOVES, moves.to_string());
    }
    let mut child = command.spawn().unwrap();
    match ending {
        Ending::Finished => assert!(child.wait().unwrap().success()),
        Ending::KilledAfter(delay) => {
            std::thread::sleep(delay);
            let _ = child.kill();
            let _ = child.wait();
        }
        Ending::AbortedAfterMoves(_) => assert!(!child.wait().unwrap().success(), "the build was aborted"),
    }
    started.elapsed()
}

#[test]
fn a_build_killed_at_any_moment_is_repaired_by_the_next() {
    let site = TestSite::new("title = \"Killed\"\npaginate = 5\n");
    let write_all = |round: usize| {
        for n in 0..150 {
            let tags = if n % 2 == 0 { "[Even]" } else { "[Odd]" };
            site.brief(
                &format!("b{n}.md"),
                &format!("{}tags: {tags}\n", sourced(&format!("B{n}"), &format!("2022-01-{:02}", n % 28 + 1))),
                &format!("Round {round} of brief {n}.\n"),
            );
        }
    };
    write_all(0);
    build_ending(&site, Ending::Finished);
    // Rebuilds that change every page: most of their time is rendering and moving pages in.
    write_all(1);
    let whole = build_ending(&site, Ending::Finished);
    let mut endings: Vec<Ending> = [0, 1, 2, 5, 50, 150, 250].into_iter().map(Ending::AbortedAfterMoves).collect();
    endings.extend([10u32, 50, 80, 95].map(|percent| Ending::KilledAfter(whole * percent / 100)));
    for (round, ending) in endings.into_iter().enumerate() {
        write_all(round + 2);
        build_ending(&site, ending);
        // Built by the same program as the killed build (the library in this test is
        // another program, whose builds reuse nothing of it).
        build_ending(&site, Ending::Finished);
        let clean = tempfile::tempdir().unwrap();
        let status = std::process::Command::new(env!("CARGO_BIN_EXE_depeche"))
            .args(["build", "--fresh", "--root"])
            .arg(site.root())
            .arg("--output")
            .arg(clean.path().join("out"))
            .stdout(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        assert_eq!(files(&site.output()), files(&clean.path().join("out")), "after {ending:?}");
        let page = site.read("2022/01/b0/index.html");
        assert!(page.contains(&format!("Round {} of brief 0.", round + 2)), "after {ending:?}");
        assert_eq!(leftovers(&site), Vec::<String>::new(), "killed builds leave nothing behind");
    }
}

#[test]
fn another_program_reuses_nothing_and_fresh_ignores_every_cache() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.brief("b.md", &sourced("B", "2022-01-02"), "y\n");
    let run = |program: &Path, extra: &[&str]| {
        let output = std::process::Command::new(program)
            .args(["build", "--root"])
            .arg(site.root())
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    let depeche = Path::new(env!("CARGO_BIN_EXE_depeche"));
    run(depeche, &[]);
    assert!(run(depeche, &[]).contains("unchanged since the last build"), "the same program reuses its pages");
    assert!(!run(depeche, &["--fresh"]).contains("unchanged"), "--fresh renders every page");
    // A copy is another build of the program as far as the caches know (a new file, as
    // after `cargo install` or a package upgrade).
    let other = tempfile::tempdir().unwrap();
    let copy = other.path().join("depeche");
    std::fs::copy(depeche, &copy).unwrap();
    assert!(!run(&copy, &[]).contains("unchanged"), "another program renders every page");
    assert!(run(&copy, &[]).contains("unchanged"), "and its own next build reuses them");
}

#[test]
fn a_static_file_rewritten_with_the_same_size_and_time_is_published_again() {
    let site = TestSite::basic();
    site.brief("a.md", &sourced("A", "2022-01-01"), "x\n");
    site.write("static/notes.txt", "first");
    let file = site.root().join("static/notes.txt");
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    site.build();
    assert_eq!(site.read("notes.txt"), "first");
    site.write("static/notes.txt", "fresh");
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(modified).unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), modified);
    assert_same_as_clean(&site);
    assert_eq!(site.read("notes.txt"), "fresh");
}
