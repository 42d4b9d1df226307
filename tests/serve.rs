//! `depeche serve` as a browser and an editor use it: pages served from memory with the
//! right status and type, traversal refused, edits picked up and announced on the reload
//! stream, the error overlay, and a burst of edits under concurrent readers.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{TestSite, sourced};
use depeche::serve::{ServeOptions, ServerHandle, spawn};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder().http_status_as_error(false).max_redirects(0).build().new_agent()
}

fn start(site: &TestSite) -> ServerHandle {
    spawn(ServeOptions { port: 0, verbose: false, ..ServeOptions::new(site.root()) }).expect("the server starts")
}

/// (status, content type, body)
fn get(server: &ServerHandle, path: &str) -> (u16, String, String) {
    let mut response = agent().get(&server.url(path)).call().expect("the server answers");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    (status, content_type, body)
}

/// Waits until `path` is served with `wanted` in it (or, with `present: false`, without).
fn wait_for(server: &ServerHandle, path: &str, wanted: &str, present: bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, _, body) = get(server, path);
        if body.contains(wanted) == present {
            return body;
        }
        assert!(Instant::now() < deadline, "{path} never {} {wanted:?}", if present { "showed" } else { "lost" });
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Sends a request line exactly as written, bypassing any client-side normalisation.
fn raw_status(server: &ServerHandle, target: &str) -> u16 {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

/// The reload stream: every event's name and data, as they arrive.
fn events(server: &ServerHandle) -> mpsc::Receiver<(String, String)> {
    let (sender, receiver) = mpsc::channel();
    let response = agent().get(&server.url("/__depeche/events")).call().unwrap();
    std::thread::spawn(move || {
        let reader = BufReader::new(response.into_body().into_reader());
        let mut name = String::new();
        for line in reader.lines() {
            let Ok(line) = line else { break };
            if let Some(event) = line.strip_prefix("event: ") {
                name = event.to_string();
            } else if let Some(data) = line.strip_prefix("data: ")
                && sender.send((name.clone(), data.to_string())).is_err()
            {
                break;
            }
        }
    });
    receiver
}

fn next_event(events: &mpsc::Receiver<(String, String)>) -> (String, String) {
    events.recv_timeout(Duration::from_secs(20)).expect("an event arrives")
}

fn basic_site() -> TestSite {
    let site = TestSite::new("title = \"Preview\"\nbase_url = \"https://preview.example.org/\"\n");
    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01")), "Original text.\n");
    site.write("static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    site
}

#[test]
fn serves_pages_with_their_types_and_the_theme_404() {
    let site = basic_site();
    let server = start(&site);
    let (status, content_type, body) = get(&server, "/2022/01/a/");
    assert_eq!((status, content_type.as_str()), (200, "text/html; charset=utf-8"));
    assert!(body.contains("<h1>First brief</h1>"));
    assert!(body.contains("id=\"depeche-live-reload\""), "preview pages carry the reload script");
    assert_eq!(get(&server, "/style.css").1, "text/css; charset=utf-8");
    assert_eq!(get(&server, "/logo.svg").1, "image/svg+xml");
    assert_eq!(get(&server, "/sitemap.xml").1, "text/xml; charset=utf-8");
    let (status, _, body) = get(&server, "/no/such/page/");
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the theme's 404 page");
    assert_eq!(get(&server, "/2022/01/a").0, 308, "a folder without its slash is redirected");
    assert!(!site.output().exists(), "the preview writes nothing");
}

#[test]
fn nothing_outside_the_site_can_be_reached() {
    let site = basic_site();
    site.write("secret.txt", "secret");
    let server = start(&site);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%5csecret.txt",
        "/static/..%2F..%2Fsecret.txt",
        "/%252e%252e/secret.txt",
        "/..\\secret.txt",
    ] {
        let status = raw_status(&server, target);
        assert!(status == 400 || status == 404, "{target}: {status}");
    }
    assert_eq!(raw_status(&server, "/secret.txt"), 404);
    assert_eq!(raw_status(&server, "/depeche.toml"), 404);
    assert_eq!(raw_status(&server, "//etc/passwd"), 404);

    // A shard of the search index is served from the cache folder it is copied from, and
    // nothing beside or outside it: not through an empty name (which would make the rest
    // an absolute path), nor through a link put there.
    let deadline = Instant::now() + Duration::from_secs(20);
    while raw_status(&server, "/pagefind/en-2022/pagefind-entry.json") != 200 {
        assert!(Instant::now() < deadline, "the preview never indexed the site");
        std::thread::sleep(Duration::from_millis(50));
    }
    let secret = site.root().join("secret.txt").canonicalize().unwrap();
    let shard = std::fs::read_dir(site.root().join(".depeche/search"))
        .unwrap()
        .map(|entry| entry.unwrap().path().join("shard"))
        .find(|folder| folder.join("pagefind-entry.json").is_file())
        .unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, shard.join("linked.txt")).unwrap();
    for target in [
        format!("/pagefind/en-2022/{}", secret.display()),
        format!("/pagefind/en-2022/{}", secret.display()).replace("//", "/%2F"),
        "/pagefind/en-2022/linked.txt".to_string(),
        "/pagefind/en-2022/%2e%2e/%2e%2e/%2e%2e/secret.txt".to_string(),
        "/pagefind/en-2022/./pagefind-entry.json".to_string(),
    ] {
        let status = raw_status(&server, &target);
        assert!(status == 400 || status == 404, "{target}: {status}");
    }
}

#[test]
fn edits_creations_deletions_and_renames_are_served_and_announced() {
    let site = basic_site();
    let server = start(&site);
    let stream = events(&server);
    let (name, first_build) = next_event(&stream);
    assert_eq!(name, "hello");

    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01")), "Edited text.\n");
    wait_for(&server, "/2022/01/a/", "Edited text.", true);
    let (name, build) = next_event(&stream);
    assert_eq!(name, "reload");
    assert_ne!(build, first_build);

    site.brief("b.md", &sourced("Second brief", "2022-02-01"), "New brief.\n");
    wait_for(&server, "/2022/02/b/", "New brief.", true);
    wait_for(&server, "/", "Second brief", true);

    std::fs::rename(site.root().join("content/b.md"), site.root().join("content/c.md")).unwrap();
    wait_for(&server, "/2022/02/c/", "New brief.", true);
    assert_eq!(get(&server, "/2022/02/b/").0, 404, "the old address is gone");

    std::fs::remove_file(site.root().join("content/c.md")).unwrap();
    wait_for(&server, "/", "Second brief", false);
    assert_eq!(get(&server, "/2022/02/c/").0, 404);

    // A new folder of briefs, and a template change, are picked up too.
    site.brief("2023/d.md", &sourced("In a folder", "2023-01-01"), "Deep.\n");
    wait_for(&server, "/2023/01/d/", "Deep.", true);
    site.write("templates/partials/sources.html", "<p class=\"custom-sources\">custom</p>");
    wait_for(&server, "/2023/01/d/", "custom-sources", true);
}

#[test]
fn the_overlay_shows_a_broken_brief_and_leaves_when_it_is_fixed() {
    let site = basic_site();
    let server = start(&site);
    site.brief("a.md", "title: First brief\ndate: 2022-01-01\nsorces: []\n", "Broken.\n");
    let body = wait_for(&server, "/2022/01/a/", "depeche-overlay", true);
    assert!(body.contains("unknown key `sorces`"), "the error is shown");
    assert!(body.contains("<code>content/a.md:4:1</code>"), "with its file and line");
    assert!(body.contains("Original text."), "over the last good page");
    site.brief("a.md", &sourced("First brief", "2022-01-01"), "Fixed.\n");
    let body = wait_for(&server, "/2022/01/a/", "Fixed.", true);
    assert!(!body.contains("depeche-overlay"));
}

#[test]
fn editors_atomic_saves_and_temporary_files() {
    let site = basic_site();
    let server = start(&site);
    let content = site.root().join("content");
    // vim: a probe file, a swap file, the original renamed to a backup, a new file.
    std::fs::write(content.join("4913"), "").unwrap();
    std::fs::remove_file(content.join("4913")).unwrap();
    std::fs::write(content.join(".a.md.swp"), "swap").unwrap();
    std::fs::rename(content.join("a.md"), content.join("a.md~")).unwrap();
    std::fs::write(content.join("a.md"), format!("---\n{}---\nSaved by vim.\n", sourced("First brief", "2022-01-01")))
        .unwrap();
    std::fs::remove_file(content.join("a.md~")).unwrap();
    wait_for(&server, "/2022/01/a/", "Saved by vim.", true);
    // JetBrains: write a temporary file and rename it over the original.
    std::fs::write(
        content.join("a.md___jb_tmp___"),
        format!("---\n{}---\nSaved by JetBrains.\n", sourced("First brief", "2022-01-01")),
    )
    .unwrap();
    std::fs::rename(content.join("a.md___jb_tmp___"), content.join("a.md")).unwrap();
    wait_for(&server, "/2022/01/a/", "Saved by JetBrains.", true);
    // The configuration renamed over, as editors save it.
    std::fs::write(site.root().join("depeche.toml.new"), "title = \"Renamed config\"\n").unwrap();
    std::fs::rename(site.root().join("depeche.toml.new"), site.root().join("depeche.toml")).unwrap();
    wait_for(&server, "/", "Renamed config", true);
    assert!(!get(&server, "/").2.contains("depeche-overlay"), "temporary files never reach the build");
}

#[test]
fn concurrent_readers_during_a_burst_of_edits_never_fail() {
    let site = basic_site();
    for n in 0..20 {
        site.brief(
            &format!("n{n}.md"),
            &format!("{}tags: [Beta]\n", sourced(&format!("Brief {n}"), "2022-03-01")),
            "Text.\n",
        );
    }
    let server = start(&site);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut readers = Vec::new();
    for client in 0..50 {
        let url = server.url(if client % 2 == 0 { "/2022/01/a/" } else { "/" });
        let stop = stop.clone();
        readers.push(std::thread::spawn(move || {
            let agent = agent();
            let (mut ok, mut failed) = (0, 0);
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                match agent.get(&url).call() {
                    Ok(mut response) if response.status() == 200 => {
                        let body = response.body_mut().read_to_string().unwrap_or_default();
                        if body.contains("</html>") { ok += 1 } else { failed += 1 }
                    }
                    _ => failed += 1,
                }
            }
            (ok, failed)
        }));
    }
    for edit in 0..100 {
        site.brief(
            "a.md",
            &format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01")),
            &format!("Edit number {edit}.\n"),
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    wait_for(&server, "/2022/01/a/", "Edit number 99.", true);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (mut ok, mut failed) = (0, 0);
    for reader in readers {
        let (o, f) = reader.join().unwrap();
        ok += o;
        failed += f;
    }
    assert_eq!(failed, 0, "{failed} failed requests of {}", ok + failed);
    assert!(ok >= 50);

    // The final state is the one a clean build writes, once the preview has indexed the
    // last edit off the edit path.
    site.build();
    let search_page = site.read("search/index.html");
    let deadline = Instant::now() + Duration::from_secs(20);
    while strip_live_reload(&get(&server, "/search/").2) != search_page
        || site.page("/search/").count("#search-shards span") == 0
    {
        assert!(Instant::now() < deadline, "the preview never indexed the last edit");
        std::thread::sleep(Duration::from_millis(50));
    }
    for entry in
        walkdir::WalkDir::new(site.output()).into_iter().map(|e| e.unwrap()).filter(|e| e.file_type().is_file())
    {
        let relative = entry.path().strip_prefix(site.output()).unwrap().to_string_lossy().replace('\\', "/");
        if relative.starts_with(depeche::pipeline::cache::META_DIR) {
            continue; // the build's own bookkeeping, not part of the site
        }
        let built = std::fs::read(entry.path()).unwrap();
        let mut response = agent().get(&server.url(&format!("/{relative}"))).call().expect("the server answers");
        assert_eq!(response.status().as_u16(), 200, "{relative}");
        let served = response.body_mut().with_config().limit(64 << 20).read_to_vec().unwrap();
        let served = match String::from_utf8(served) {
            Ok(text) => strip_live_reload(&text).into_bytes(),
            Err(binary) => binary.into_bytes(),
        };
        assert_eq!(served, built, "{relative} differs from a clean build");
    }
}

fn strip_live_reload(html: &str) -> String {
    match (html.find("<script id=\"depeche-live-reload\""), html.rfind("</script>")) {
        (Some(start), Some(end)) if end > start => format!("{}{}", &html[..start], &html[end + "</script>".len()..]),
        _ => html.to_string(),
    }
}

#[test]
fn the_build_output_has_no_live_reload_script() {
    let site = basic_site();
    site.build();
    assert!(!site.read("2022/01/a/index.html").contains("depeche-live-reload"));
}

#[test]
fn an_edit_saved_while_the_preview_starts_is_served() {
    let site = basic_site();
    // Enough briefs for the first build to take a while, so that edits land during it.
    for n in 0..300 {
        site.brief(&format!("filler-{n}.md"), &sourced(&format!("Filler {n}"), "2021-06-01"), "Filler.\n");
    }
    let root = site.root().to_path_buf();
    let started = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let done = started.clone();
    // Saves the brief again and again while the server starts, then stops: the last save
    // falls during the first build (or just after), and must be what is served.
    let editor = std::thread::spawn(move || {
        let mut last = 0;
        while !done.load(std::sync::atomic::Ordering::SeqCst) {
            last += 1;
            let front = format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01"));
            std::fs::write(root.join("content/a.md"), format!("---\n{front}---\nSave number {last}.\n")).unwrap();
            std::thread::sleep(Duration::from_millis(15));
        }
        last
    });
    let server = start(&site);
    started.store(true, std::sync::atomic::Ordering::SeqCst);
    let last = editor.join().unwrap();
    wait_for(&server, "/2022/01/a/", &format!("Save number {last}."), true);
}

/// The status of a request with the given Host header.
fn status_with_host(server: &ServerHandle, host: &str) -> u16 {
    let mut stream = TcpStream::connect(server.addr).unwrap();
    write!(stream, "GET /2022/01/a/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[test]
fn only_requests_naming_the_preview_are_answered() {
    let site = basic_site();
    let server = start(&site);
    let port = server.addr.port();
    assert_eq!(status_with_host(&server, &format!("localhost:{port}")), 200);
    assert_eq!(status_with_host(&server, &format!("127.0.0.1:{port}")), 200);
    // A page on the web whose name was rebound to 127.0.0.1 (DNS rebinding).
    assert_eq!(status_with_host(&server, &format!("attacker.example:{port}")), 421);
    assert_eq!(status_with_host(&server, "10.1.2.3"), 421);
}

#[cfg(unix)]
#[test]
fn a_copied_file_swapped_for_a_link_is_never_served() {
    let site = basic_site();
    site.write("static/notes.txt", "public notes");
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "the secret").unwrap();
    let server = start(&site);
    assert_eq!(get(&server, "/notes.txt").2, "public notes");
    // A broken brief keeps the last good site served while the link is in place.
    site.write("content/a.md", "---\ntitle: A\nsorces: []\n---\n");
    wait_for(&server, "/2022/01/a/", "depeche-overlay", true);
    std::fs::remove_file(site.root().join("static/notes.txt")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), site.root().join("static/notes.txt")).unwrap();
    for _ in 0..10 {
        let (_, _, body) = get(&server, "/notes.txt");
        assert!(!body.contains("the secret"), "the link's target was served");
        std::thread::sleep(Duration::from_millis(30));
    }
    // A folder swapped for a link too.
    std::fs::create_dir_all(site.root().join("static/docs")).unwrap();
    std::fs::write(site.root().join("static/docs/a.txt"), "a").unwrap();
    drop(server);
    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01")), "Fixed.\n");
    let server = start(&site);
    assert_eq!(get(&server, "/docs/a.txt").2, "a");
    site.write("content/a.md", "---\ntitle: A\nsorces: []\n---\n");
    wait_for(&server, "/2022/01/a/", "depeche-overlay", true);
    std::fs::remove_dir_all(site.root().join("static/docs")).unwrap();
    std::fs::create_dir_all(outside.path().join("docs")).unwrap();
    std::fs::write(outside.path().join("docs/a.txt"), "the secret").unwrap();
    std::os::unix::fs::symlink(outside.path().join("docs"), site.root().join("static/docs")).unwrap();
    assert!(!get(&server, "/docs/a.txt").2.contains("the secret"));
}

#[test]
fn silent_and_half_sent_connections_are_closed() {
    let site = basic_site();
    let server = spawn(ServeOptions {
        port: 0,
        verbose: false,
        idle_timeout: Duration::from_millis(300),
        ..ServeOptions::new(site.root())
    })
    .unwrap();
    let closed_within = |stream: &mut TcpStream| {
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let started = Instant::now();
        let mut rest = Vec::new();
        let _ = stream.read_to_end(&mut rest);
        started.elapsed()
    };
    let mut silent = TcpStream::connect(server.addr).unwrap();
    assert!(closed_within(&mut silent) < Duration::from_secs(2), "a silent connection is closed");
    let mut half = TcpStream::connect(server.addr).unwrap();
    write!(half, "GET /2022/01/a/ HTTP/1.1\r\nHost: local").unwrap();
    assert!(closed_within(&mut half) < Duration::from_secs(2), "a half-sent request is closed");
    // The event stream stays open past the timeout: it is not idle.
    let stream = events(&server);
    assert_eq!(next_event(&stream).0, "hello");
    std::thread::sleep(Duration::from_millis(600));
    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01")), "Edited.\n");
    assert_eq!(next_event(&stream).0, "reload");
}

#[test]
fn a_date_no_feed_can_hold_is_shown_and_later_saves_are_seen() {
    let site = basic_site();
    let server = start(&site);
    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("First brief", "-0001-01-01")), "Text.\n");
    let page = wait_for(&server, "/2022/01/a/", "depeche-overlay", true);
    assert!(page.contains("invalid-date") || page.contains("year -1"), "the overlay names the problem");
    site.brief("a.md", &format!("{}tags: [Alpha]\n", sourced("First brief", "2022-01-01")), "Saved again.\n");
    wait_for(&server, "/2022/01/a/", "Saved again.", true);
}

#[test]
fn the_preview_shows_an_embargoed_brief_with_a_banner() {
    let site = basic_site();
    site.brief("later.md", &sourced("Announced later", "2099-01-01"), "Embargoed text.\n");
    let server = start(&site);
    let (status, _, page) = get(&server, "/2099/01/later/");
    assert_eq!(status, 200, "editors can proofread it");
    assert!(page.contains("class=\"scheduled\"") && page.contains("Scheduled"), "{page}");
    assert!(get(&server, "/").2.contains("Scheduled"), "its card says so too");
    // The published brief has no banner.
    assert!(!get(&server, "/2022/01/a/").2.contains("class=\"scheduled\""));
}

#[test]
fn the_preview_serves_image_variants_and_makes_them_again_when_the_photo_changes() {
    let site = TestSite::basic();
    site.write_bytes("static/photos/harbour.jpg", &common::jpeg(640, 400));
    site.write(
        "content/harbour.md",
        "---\ntitle: Harbour\ndate: 2022-03-04\nsources:\n  - name: A\n    url: https://a.example/\nimage:\n  src: /photos/harbour.jpg\n  alt: The harbour\n  title: Harbour\n  author: Ana Lima\n  source: Example\n  source_url: https://photos.example/1\n  license: CC-BY-4.0\n---\n\nText.\n",
    );
    let server = start(&site);
    let page = wait_for(&server, "/2022/03/harbour/", "width=\"640\"", true);
    let src = page.split("<img src=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    let (status, content_type, _) = get(&server, &src);
    assert_eq!((status, content_type.as_str()), (200, "image/jpeg"), "{src}");

    site.write_bytes("static/photos/harbour.jpg", &common::jpeg(500, 500));
    let page = wait_for(&server, "/2022/03/harbour/", "width=\"500\" height=\"500\"", true);
    let new_src = page.split("<img src=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap().to_string();
    assert_ne!(new_src, src, "a new photo is new files");
    assert_eq!(get(&server, &new_src).0, 200);
}
