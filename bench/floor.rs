//! The floor: the least any generator must do for a site of briefs. It reads every brief,
//! splits and parses its front matter, renders its Markdown with pulldown-cmark, wraps it
//! in a fixed HTML shell and writes one file per brief, in parallel. No generator can do
//! less; Depeche's distance to it is the cost of everything else it does.
//!
//!     cargo run --release --example floor -- SITE OUTPUT
//!
//! With `--sizes LIST` (lines of `PATH SIZE`, e.g. from `find BUILT -type f -printf '%P %s\n'`
//! on a Depeche build of the same site), it parses the briefs the same way but writes, in
//! place of its shells, a file of the same size at each path of LIST: the floor of a
//! generator that publishes as many files and bytes as Depeche does.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let sizes = match args.iter().position(|a| a == "--sizes") {
        Some(at) if at + 1 < args.len() => {
            let list = args.remove(at + 1);
            args.remove(at);
            Some(read_sizes(Path::new(&list)))
        }
        _ => None,
    };
    let [site, output] = args.as_slice() else {
        eprintln!("usage: floor SITE OUTPUT [--sizes LIST]");
        std::process::exit(2);
    };
    let (site, output) = (Path::new(site), Path::new(output));
    let files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    std::fs::create_dir_all(output).expect("the output folder can be made");
    match sizes {
        None => {
            files.par_iter().for_each(|file| {
                let (stem, page) = page(file);
                let folder = output.join(stem);
                std::fs::create_dir_all(&folder).expect("page folder");
                std::fs::write(folder.join("index.html"), page).expect("page written");
            });
            println!("floor: {} pages", files.len());
        }
        Some(sizes) => {
            // The same parsing; the pages themselves are thrown away.
            let parsed: usize = files.par_iter().map(|file| page(file).1.len()).sum();
            let largest = sizes.iter().map(|(_, size)| *size).max().unwrap_or(0);
            let filler = vec![b' '; largest];
            sizes.par_iter().for_each(|(path, size)| write(&output.join(path), &filler[..*size]));
            println!("floor: {} briefs parsed ({parsed} bytes of pages), {} files written", files.len(), sizes.len());
        }
    }
}

/// A brief's file stem and its page: front matter parsed, Markdown rendered, in a shell.
fn page(file: &Path) -> (String, String) {
    let text = std::fs::read_to_string(file).expect("readable brief");
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closing fence");
    let front: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).expect("YAML");
    let title = front.get("title").and_then(|t| t.as_str()).unwrap_or_default();
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new(&rest[end + 5..]));
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("page").to_string();
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main>{body}</main></body></html>"
    );
    (stem, page)
}

/// Writes `bytes` at `path`, making its folder first if it is missing.
fn write(path: &Path, bytes: &[u8]) {
    if std::fs::write(path, bytes).is_err() {
        std::fs::create_dir_all(path.parent().expect("a file has a folder")).expect("page folder");
        std::fs::write(path, bytes).expect("page written");
    }
}

/// `PATH SIZE` lines: every file of a build and its size.
fn read_sizes(list: &Path) -> Vec<(String, usize)> {
    std::fs::read_to_string(list)
        .expect("readable list of sizes")
        .lines()
        .filter_map(|line| {
            let (path, size) = line.rsplit_once(' ')?;
            Some((path.to_string(), size.parse().ok()?))
        })
        .collect()
}
