//! How long a save takes to reach the reader in `depeche serve`: from writing one brief to
//! the preview serving its new version, and to the reload event reaching the browser.
//!
//!     cargo bench --bench serve_latency -- [BRIEFS…] [--edits N]
//!
//! Sites are written by bench/corpus.py (default sizes: 1000 and 10000 briefs) under
//! /dev/shm when it exists. Prints the median and 90th percentile of each measure.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use depeche::serve::{ServeOptions, spawn};

fn median_and_p90(mut values: Vec<f64>) -> (f64, f64) {
    values.sort_by(f64::total_cmp);
    let at = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.9))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let mut sizes: Vec<usize> = Vec::new();
    let mut edits = 20;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        if arg == "--edits" {
            edits = iter.next().and_then(|n| n.parse().ok()).unwrap_or(edits);
        } else if let Ok(n) = arg.parse() {
            sizes.push(n);
        }
    }
    if sizes.is_empty() {
        sizes = vec![1000, 10_000];
    }
    let scratch = if Path::new("/dev/shm").is_dir() { "/dev/shm" } else { "/tmp" };
    println!("| briefs | save → page served, median (p90) | save → reload event, median (p90) |");
    println!("| --- | --- | --- |");
    for size in sizes {
        let dir = tempfile::Builder::new().prefix("depeche-serve-bench-").tempdir_in(scratch).unwrap();
        let status = std::process::Command::new("python3")
            .args(["bench/corpus.py", &size.to_string(), &dir.path().display().to_string()])
            .status()
            .expect("python3 runs bench/corpus.py");
        assert!(status.success());
        let server = spawn(ServeOptions { port: 0, verbose: false, ..ServeOptions::new(dir.path()) }).unwrap();
        let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();

        // The reload stream, timestamped as events arrive.
        let (sender, events) = mpsc::channel::<Instant>();
        let response = agent.get(&server.url("/__depeche/events")).call().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(response.into_body().into_reader()).lines() {
                let Ok(line) = line else { break };
                if line == "event: reload" && sender.send(Instant::now()).is_err() {
                    break;
                }
            }
        });

        let brief = dir.path().join("content/brief-000007.md");
        let original = std::fs::read_to_string(&brief).unwrap();
        let page = {
            // The brief's address, from the served home page.
            let date_line = original.lines().find(|l| l.starts_with("date: ")).unwrap();
            let (year, month) = (&date_line[6..10], &date_line[11..13]);
            server.url(&format!("/{year}/{month}/brief-000007/"))
        };
        let (mut served, mut reloaded) = (Vec::new(), Vec::new());
        for edit in 0..edits {
            while events.try_recv().is_ok() {}
            let marker = format!("bench-edit-{edit}");
            let saved = Instant::now();
            std::fs::write(&brief, format!("{original}\n{marker}\n")).unwrap();
            loop {
                let body = agent.get(&page).call().unwrap().body_mut().read_to_string().unwrap();
                if body.contains(&marker) {
                    served.push(saved.elapsed().as_secs_f64() * 1000.0);
                    break;
                }
                assert!(saved.elapsed() < Duration::from_secs(30), "the edit was never served");
                // A browser asks once; asking in a tight loop would take a core from the
                // rebuild it is waiting for. 1 ms between requests bounds the error.
                std::thread::sleep(Duration::from_millis(1));
            }
            let event = events.recv_timeout(Duration::from_secs(30)).expect("a reload event");
            reloaded.push(event.duration_since(saved).as_secs_f64() * 1000.0);
            std::thread::sleep(Duration::from_millis(100));
        }
        let (served_median, served_p90) = median_and_p90(served);
        let (event_median, event_p90) = median_and_p90(reloaded);
        println!("| {size} | {served_median:.0} ms ({served_p90:.0} ms) | {event_median:.0} ms ({event_p90:.0} ms) |");
        server.stop();
    }
}
