//! The commands that go online (`check --sources`, `archive`, `credit`), each run as a
//! user would against a local server started by the test: no outside network.

mod common;

use std::time::{Duration, Instant};

use common::stub::{Answer, Stub};
use common::{BASIC_CONFIG, TestSite};
use serde_json::Value;

const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"3\"/>";

fn config(timeout: u64, delay_ms: u64) -> String {
    format!(
        "{BASIC_CONFIG}\n[sources]\ntimeout_seconds = {timeout}\nhost_delay_ms = {delay_ms}\narchive_after_days = 30\n"
    )
}

/// The diagnostics of a `--format json` run.
fn findings(stdout: &str) -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

/// The one finding with `code` whose message holds `part`.
fn finding<'a>(all: &'a [Value], code: &str, part: &str) -> &'a Value {
    let matching: Vec<&Value> =
        all.iter().filter(|d| d["code"] == code && d["message"].as_str().unwrap().contains(part)).collect();
    assert_eq!(matching.len(), 1, "one {code} about {part:?} in {all:#?}");
    matching[0]
}

/// A server with a route for each kind of answer a source can get.
fn source_server() -> Stub {
    Stub::start(|request| match request.path() {
        "/ok" | "/new" | "/author" => Answer::status(200),
        "/gone" => Answer::status(410),
        "/missing" | "/image-page" | "/archived-gone" => Answer::status(404),
        "/moved" => Answer::redirect(301, "/new"),
        "/temporary" => Answer::redirect(302, "/ok"),
        "/down" => Answer::status(503),
        "/busy" => Answer::status(429),
        "/head-refused" if request.method == "HEAD" => Answer::status(405),
        "/head-refused" => Answer::status(200),
        "/slow" => Answer::status(200).after(Duration::from_secs(5)),
        _ => Answer::status(404),
    })
}

/// A port nothing listens on: a connection to it is refused.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn site_with_sources(stub: &Stub) -> TestSite {
    let site = TestSite::new(&config(1, 0));
    let closed = format!("http://127.0.0.1:{}/", closed_port());
    site.write("content/pic.svg", SVG);
    site.write(
        "content/every-answer.md",
        &format!(
            "---
title: Every answer
date: 2026-11-20
lang: en
sources:
  - name: Good
    url: {ok}
  - name: Gone
    url: {gone}
  - name: Missing
    url: {missing}
    archive_url: {archived_gone}
  - name: Moved
    url: {moved}
  - name: Temporary
    url: {temporary}
  - name: Down
    url: {down}
  - name: Busy
    url: {busy}
  - name: Head refused
    url: {head_refused}
  - name: Closed
    url: {closed}
  - name: Slow
    url: {slow}
  - name: Nowhere
    url: http://depeche-check.invalid/
image:
  src: pic.svg
  alt: A test picture
  title: Picture
  author: Someone
  author_url: {author}
  source: Example
  source_url: {image_page}
  license: CC-BY-4.0
---

Every kind of answer.
",
            ok = stub.url("/ok"),
            gone = stub.url("/gone"),
            missing = stub.url("/missing"),
            archived_gone = stub.url("/archived-gone"),
            moved = stub.url("/moved"),
            temporary = stub.url("/temporary"),
            down = stub.url("/down"),
            busy = stub.url("/busy"),
            head_refused = stub.url("/head-refused"),
            slow = stub.url("/slow"),
            author = stub.url("/author"),
            image_page = stub.url("/image-page"),
        ),
    );
    site.write(
        "content/old.md",
        &format!(
            "---\ntitle: An old brief\ndate: 2020-01-01\nlang: en\nsources:\n  - name: Old\n    url: {}\n  - name: Recent source\n    url: {}\n    date: 2026-11-25\n---\n\nOld.\n",
            stub.url("/ok?old"),
            stub.url("/ok?recent"),
        ),
    );
    site
}

#[test]
fn every_finding_is_classified_and_placed_on_the_line_of_its_address() {
    let stub = source_server();
    let site = site_with_sources(&stub);
    let started = Instant::now();
    let run = site.run(&["check", "--sources", "--format", "json", "--now", "2026-12-01"]);
    let elapsed = started.elapsed();
    assert_eq!(run.status.code(), Some(1), "a dead source fails the check: {}", run.stderr);
    let all = findings(&run.stdout);
    let at = |d: &Value| (d["file"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap());
    let brief = "content/every-answer.md".to_string();

    let gone = finding(&all, "source-dead", "source 2 (Gone)");
    assert_eq!((at(gone), gone["severity"].as_str()), ((brief.clone(), 9), Some("error")));
    assert!(gone["message"].as_str().unwrap().contains("410 Gone"));
    assert_eq!(at(finding(&all, "source-dead", "`url` of source 3 (Missing)")), (brief.clone(), 11));
    let archive = finding(&all, "source-dead", "`archive_url` of source 3");
    assert_eq!(at(archive), (brief.clone(), 12));
    assert!(archive["help"].as_str().unwrap().contains("depeche archive"));
    let moved = finding(&all, "source-moved", "source 4 (Moved)");
    assert_eq!((at(moved), moved["severity"].as_str()), ((brief.clone(), 14), Some("warning")));
    assert_eq!(moved["help"].as_str().unwrap(), format!("write `url: {}`", stub.url("/new")));
    for (name, line, reason) in [
        ("Down", 18, "503"),
        ("Busy", 20, "429"),
        ("Closed", 24, "could not connect"),
        ("Slow", 26, "no answer within 1 s"),
        ("Nowhere", 28, ""),
    ] {
        let unreachable = finding(&all, "source-unreachable", &format!("({name})"));
        assert_eq!(at(unreachable), (brief.clone(), line), "{name}");
        assert!(unreachable["message"].as_str().unwrap().contains(reason), "{unreachable}");
    }
    assert_eq!(at(finding(&all, "source-dead", "`source_url` of the lead image")), (brief.clone(), 36));
    // Answered, after a temporary redirect or a GET where HEAD was refused: nothing to say.
    for fine in ["(Good)", "(Temporary)", "(Head refused)", "author_url", "Recent source"] {
        assert!(!all.iter().any(|d| d["message"].as_str().unwrap().contains(fine)), "{fine}: {all:#?}");
    }
    let old = finding(&all, "source-no-archive", "source 1 (Old)");
    assert_eq!((at(old), old["severity"].as_str()), (("content/old.md".into(), 7), Some("warning")));

    let requests = stub.requests();
    let methods =
        |path: &str| requests.iter().filter(|r| r.path() == path).map(|r| r.method.clone()).collect::<Vec<_>>();
    assert_eq!(methods("/head-refused"), ["HEAD", "GET"], "GET where HEAD is refused");
    assert_eq!(
        methods("/ok").len(),
        4,
        "each address once (three, and where the temporary redirect leads): {:?}",
        methods("/ok")
    );
    assert!(
        requests
            .iter()
            .all(|r| r.user_agent.contains("Depeche/") && r.user_agent.contains("https://news.example.org/"))
    );
    assert!(elapsed < Duration::from_secs(4), "the slow server was given up on after 1 s: took {elapsed:?}");
}

#[test]
fn a_second_run_asks_nothing_all_asks_again_and_changed_asks_only_what_changed() {
    let stub = source_server();
    let site = site_with_sources(&stub);
    let plain = site.run(&["check", "--now", "2026-12-01"]);
    assert!(plain.status.success(), "{}", plain.stdout);
    assert!(stub.requests().is_empty(), "a plain check never goes online");

    let first = site.run(&["check", "--sources", "--format", "json", "--now", "2026-12-01"]);
    let asked = stub.requests().len();
    assert!(asked >= 15, "{asked}");
    let second = site.run(&["check", "--sources", "--format", "json", "--now", "2026-12-01"]);
    assert_eq!(
        stub.requests().len(),
        asked,
        "nothing asked within the ledger's age: {:?} {}",
        &stub.requests()[asked..].iter().map(|r| r.target.clone()).collect::<Vec<_>>(),
        std::fs::read_to_string(site.root().join(".depeche/sources.json")).unwrap_or_default()
    );
    assert_eq!(findings(&first.stdout), findings(&second.stdout), "the ledger gives the same findings");
    let text = site.run(&["check", "--sources", "--now", "2026-12-01"]);
    assert!(text.stdout.contains("0 asked"), "{}", text.stdout);

    site.run(&["check", "--sources", "--all", "--format", "json", "--now", "2026-12-01"]);
    assert!(stub.requests().len() >= 2 * asked, "--all asks again");

    let asked = stub.requests().len();
    let old = std::fs::read_to_string(site.root().join("content/old.md")).unwrap();
    site.write(
        "content/old.md",
        &old.replace(
            "    date: 2026-11-25\n",
            &format!("    date: 2026-11-25\n  - name: New\n    url: {}\n", stub.url("/gone?new")),
        ),
    );
    let changed = site.run(&["check", "--sources", "--changed", "--format", "json", "--now", "2026-12-01"]);
    let new_requests: Vec<String> = stub.requests()[asked..].iter().map(|r| r.target.clone()).collect();
    assert_eq!(new_requests, ["/gone?new", "/gone?new"], "only the new address of the changed brief (HEAD, GET)");
    let all = findings(&changed.stdout);
    assert!(all.iter().all(|d| d["file"] != "content/every-answer.md"), "the unchanged brief is not checked");
    finding(&all, "source-dead", "source 3 (New)");
    let again = site.run(&["check", "--sources", "--changed", "--format", "json", "--now", "2026-12-01"]);
    assert!(findings(&again.stdout).iter().all(|d| !d["code"].as_str().unwrap().starts_with("source-")));
}

#[test]
fn two_requests_at_most_per_host_with_a_pause_after_each() {
    let stub = Stub::start(|_| Answer::status(200).after(Duration::from_millis(300)));
    let site = TestSite::new(&config(5, 200));
    let mut sources = String::new();
    for n in 0..8 {
        sources.push_str(&format!("  - name: N{n}\n    url: {}\n", stub.url(&format!("/page/{n}"))));
    }
    for n in 0..4 {
        sources.push_str(&format!("  - name: L{n}\n    url: {}\n", stub.url_as_localhost(&format!("/page/{n}"))));
    }
    site.write(
        "content/many.md",
        &format!("---\ntitle: Many\ndate: 2026-11-30\nlang: en\nsources:\n{sources}---\n\nMany.\n"),
    );
    let run = site.run(&["check", "--sources", "--format", "json"]);
    assert!(run.status.success(), "{}{}", run.stdout, run.stderr);
    let ip = format!("127.0.0.1:{}", stub.address.port());
    let localhost = format!("localhost:{}", stub.address.port());
    assert_eq!(stub.most_at_once(&ip), 2, "two at once on a host, not more, not fewer");
    assert!(stub.most_at_once(&localhost) <= 2);
    let mut starts: Vec<Instant> = stub.requests().iter().filter(|r| r.host == ip).map(|r| r.at).collect();
    starts.sort();
    assert_eq!(starts.len(), 8);
    for pair in starts.windows(3) {
        // A slot is busy for the answer (300 ms) and the pause after it (200 ms).
        let gap = pair[2] - pair[0];
        assert!(gap >= Duration::from_millis(450), "the third request came {gap:?} after the first");
    }
}

fn wayback_server() -> Stub {
    Stub::start(|request| {
        if request.path() != "/wayback/available" {
            return Answer::status(404);
        }
        let url = request.param("url").unwrap_or_default();
        let stamp = request.param("timestamp").unwrap_or_default();
        if url.contains("has-copy") {
            Answer::json(&format!(
                r#"{{"url": "{url}", "archived_snapshots": {{"closest": {{"status": "200", "available": true, "url": "http://web.archive.org/web/{stamp}/{url}", "timestamp": "{stamp}"}}}}}}"#
            ))
        } else {
            Answer::json(&format!(r#"{{"url": "{url}", "archived_snapshots": {{}}}}"#))
        }
    })
}

const ARCHIVED_BRIEF: &str = "---
# A comment the edit keeps
title: \"Les sources : un test\"
date: 2024-05-02
lang: fr
sources:
  - name: 'Agence'   # quoted oddly
    url: https://agency.example/has-copy/1
    date: 2024-03-01
  - name: Sans copie
    url: https://nowhere.example/none
  - name: Déjà archivée
    url: https://agency.example/has-copy/2
    archive_url: https://archive.example/kept
  - url: >-
      https://agency.example/has-copy/3
    name: Folded
tags: [a, b]
---

Le corps : `url: https://x` reste tel quel.
";

#[test]
fn archive_fills_missing_copies_in_place_and_dry_run_writes_nothing() {
    let stub = wayback_server();
    let site = TestSite::basic();
    site.write("content/sources.md", ARCHIVED_BRIEF);
    let crlf = "---\r\ntitle: CRLF\r\ndate: 2023-07-14T10:30:00Z\r\nlang: en\r\nsources:\r\n  - name: A\r\n    url: https://agency.example/has-copy/crlf\r\n---\r\n\r\nBody.\r\n";
    site.write("content/crlf.md", crlf);
    let api = stub.url("/");

    let dry = site.run(&["archive", "--dry-run", "--api", &api]);
    assert!(dry.status.success(), "{}{}", dry.stdout, dry.stderr);
    assert!(
        dry.stdout
            .contains("would add archive_url: https://web.archive.org/web/20240301/https://agency.example/has-copy/1"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("no archived copy of https://nowhere.example/none"), "{}", dry.stdout);
    assert_eq!(std::fs::read_to_string(site.root().join("content/sources.md")).unwrap(), ARCHIVED_BRIEF);

    let run = site.run(&["archive", "--api", &api]);
    assert!(run.status.success(), "{}{}", run.stdout, run.stderr);
    let expected = ARCHIVED_BRIEF
        .replace(
            "    url: https://agency.example/has-copy/1\n",
            "    url: https://agency.example/has-copy/1\n    archive_url: https://web.archive.org/web/20240301/https://agency.example/has-copy/1\n",
        )
        .replace(
            "      https://agency.example/has-copy/3\n",
            "      https://agency.example/has-copy/3\n    archive_url: https://web.archive.org/web/20240502/https://agency.example/has-copy/3\n",
        );
    assert_eq!(std::fs::read_to_string(site.root().join("content/sources.md")).unwrap(), expected);
    assert_eq!(
        std::fs::read_to_string(site.root().join("content/crlf.md")).unwrap(),
        crlf.replace(
            "has-copy/crlf\r\n",
            "has-copy/crlf\r\n    archive_url: https://web.archive.org/web/20230714103000/https://agency.example/has-copy/crlf\r\n"
        )
    );
    let stamps: Vec<String> = stub.requests().iter().filter_map(|r| r.param("timestamp")).collect();
    assert!(stamps.contains(&"20240301".to_string()), "the source's own date: {stamps:?}");
    assert!(
        !stub.requests().iter().any(|r| r.param("url").is_some_and(|u| u.ends_with("has-copy/2"))),
        "a source with a copy is not looked up"
    );
    let check = site.run(&["check"]);
    assert!(check.status.success(), "the edited briefs still check: {}", check.stdout);

    let asked = stub.requests().len();
    let again = site.run(&["archive", "--api", &api]);
    assert!(again.status.success());
    assert_eq!(stub.requests().len(), asked + 1, "only the source without a copy is asked again");
}

fn commons_server() -> Stub {
    Stub::start(|request| {
        let fixture = match request.param("titles").as_deref() {
            Some("File:Harbour lighthouse at dawn.jpg") => "user-page-v2",
            Some("File:Tram depot, 1978.jpg") => "attribution-v1",
            Some("File:Band album cover.jpg") => "non-free-v2",
            Some("File:Chart 2019.svg") => "no-metadata-v2",
            Some("File:Old map of the river.png") => "public-domain-v2",
            _ => "missing-v2",
        };
        let path = format!("{}/tests/fixtures/commons/{fixture}.json", env!("CARGO_MANIFEST_DIR"));
        Answer::json(&std::fs::read_to_string(path).unwrap())
    })
}

#[test]
fn credit_prints_a_ready_image_block_from_the_file_page() {
    let stub = commons_server();
    let site = TestSite::basic();
    let api = stub.url("/w/api.php");
    let run =
        site.run(&["credit", "https://commons.wikimedia.org/wiki/File:Harbour_lighthouse_at_dawn.jpg", "--api", &api]);
    assert!(run.status.success(), "{}", run.stderr);
    let block: serde_yaml::Value = serde_yaml::from_str(&run.stdout).unwrap();
    let image = &block["image"];
    assert_eq!(image["title"].as_str(), Some("Harbour lighthouse at dawn"));
    assert_eq!(image["author"].as_str(), Some("Marin Quay"));
    assert_eq!(image["author_url"].as_str(), Some("https://commons.wikimedia.org/wiki/User:Marin_Quay"));
    assert_eq!(image["source"].as_str(), Some("Wikimedia Commons"));
    assert_eq!(image["license"].as_str(), Some("CC-BY-SA-4.0"));
    let request = &stub.requests()[0];
    assert_eq!(request.param("prop").as_deref(), Some("imageinfo"));
    assert_eq!(request.param("iiprop").as_deref(), Some("extmetadata|url"));

    let tram = site.run(&[
        "credit",
        "https://upload.wikimedia.org/wikipedia/commons/a/a1/Tram_depot%2C_1978.jpg",
        "--api",
        &api,
    ]);
    assert!(tram.status.success(), "{}", tram.stderr);
    assert!(tram.stdout.contains("author: Irena Volk / City Archive & Museum"), "{}", tram.stdout);
    assert!(tram.stderr.contains("personality rights") && tram.stderr.contains("trademark"), "{}", tram.stderr);

    let non_free = site.run(&["credit", "https://en.wikipedia.org/wiki/File:Band_album_cover.jpg", "--api", &api]);
    assert_eq!(non_free.status.code(), Some(1));
    assert!(non_free.stderr.contains("not freely licensed"), "{}", non_free.stderr);
    let gfdl = site.run(&["credit", "https://commons.wikimedia.org/wiki/File:Chart_2019.svg", "--api", &api]);
    assert_eq!(gfdl.status.code(), Some(1), "a licence outside the registry is not a credit");
    assert!(gfdl.stderr.contains("(GFDL)"), "{}", gfdl.stderr);
    let missing = site.run(&["credit", "https://commons.wikimedia.org/wiki/File:No_such_picture.jpg", "--api", &api]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(missing.stderr.contains("there is no file"), "{}", missing.stderr);
    let not_commons = site.run(&["credit", "https://example.org/photo.jpg", "--api", &api]);
    assert_eq!(not_commons.status.code(), Some(1));
}

const CREDITED_BRIEF: &str = "---
title: A harbour
date: 2026-11-30
lang: en
sources:
  - name: Harbour office
image:
  src: pic.svg   # our copy
  alt: The lighthouse at dawn
  author: Somebody Else
  author_url: https://old.example/someone
  # the licence, checked by hand:
  license: CC-BY-4.0
tags: [harbour]
---

The harbour.
";

#[test]
fn credit_into_rewrites_only_the_credit_of_the_lead_image() {
    let stub = commons_server();
    let site = TestSite::basic();
    site.write("content/pic.svg", SVG);
    site.write("content/harbour.md", CREDITED_BRIEF);
    let api = stub.url("/w/api.php");
    let page = "https://commons.wikimedia.org/wiki/File:Harbour_lighthouse_at_dawn.jpg";
    let run = site.run(&["credit", page, "--api", &api, "--into", "content/harbour.md"]);
    assert!(run.status.success(), "{}", run.stderr);
    let expected = CREDITED_BRIEF
        .replace("  author: Somebody Else\n", "  author: Marin Quay\n")
        .replace("  author_url: https://old.example/someone\n", "  author_url: https://commons.wikimedia.org/wiki/User:Marin_Quay\n")
        .replace("  license: CC-BY-4.0\n", "  license: CC-BY-SA-4.0\n  title: Harbour lighthouse at dawn\n  source: Wikimedia Commons\n  source_url: https://commons.wikimedia.org/wiki/File:Harbour_lighthouse_at_dawn.jpg\n");
    assert_eq!(std::fs::read_to_string(site.root().join("content/harbour.md")).unwrap(), expected);
    let check = site.run(&["check"]);
    assert!(check.status.success(), "the credit written checks: {}", check.stdout);

    // A credit without an author removes the old one rather than keep a stale name or link.
    let map = "https://commons.wikimedia.org/wiki/File:Old_map_of_the_river.png";
    let run = site.run(&["credit", map, "--api", &api, "--into", "content/harbour.md"]);
    assert!(run.status.success(), "{}", run.stderr);
    let text = std::fs::read_to_string(site.root().join("content/harbour.md")).unwrap();
    assert!(!text.contains("author"), "{text}");
    assert!(text.contains("  license: CC-PDM-1.0\n  title: Old map of the river\n"), "{text}");
    assert!(site.run(&["check"]).status.success());

    let before = std::fs::read_to_string(site.root().join("content/harbour.md")).unwrap();
    let refused = site.run(&[
        "credit",
        "https://en.wikipedia.org/wiki/File:Band_album_cover.jpg",
        "--api",
        &api,
        "--into",
        "content/harbour.md",
    ]);
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(site.root().join("content/harbour.md")).unwrap(), before, "nothing written");

    site.write(
        "content/bare.md",
        "---\ntitle: Bare\ndate: 2026-11-30\nlang: en\nsources:\n  - name: X\n---\n\nBare.\n",
    );
    let run = site.run(&["credit", page, "--api", &api, "--into", "content/bare.md"]);
    assert!(run.status.success(), "{}", run.stderr);
    let bare = std::fs::read_to_string(site.root().join("content/bare.md")).unwrap();
    assert!(bare.contains("image:\n  src: Harbour_lighthouse_at_dawn.jpg\n  alt: The harbour lighthouse seen from the pier at dawn.\n  title: Harbour lighthouse at dawn\n"), "{bare}");
    assert!(bare.ends_with("---\n\nBare.\n"));
}
