//! The floor: the least any generator must do for a site of briefs. It reads every brief,
//! splits and parses its front matter, renders its Markdown with pulldown-cmark, wraps it
//! in a fixed HTML shell and writes one file per brief, in parallel. No generator can do
//! less; Depeche's distance to it is the cost of everything else it does.
//!
//!     cargo run --release --example floor -- SITE OUTPUT

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [site, output] = args.as_slice() else {
        eprintln!("usage: floor SITE OUTPUT");
        std::process::exit(2);
    };
    let files: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    std::fs::create_dir_all(output).expect("the output folder can be made");
    files.par_iter().for_each(|file| write_page(file, output));
    println!("floor: {} pages", files.len());
}

fn write_page(file: &Path, output: &Path) {
    let text = std::fs::read_to_string(file).expect("readable brief");
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---\n").expect("closing fence");
    let front: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).expect("YAML");
    let title = front.get("title").and_then(|t| t.as_str()).unwrap_or_default();
    let mut body = String::new();
    pulldown_cmark::html::push_html(&mut body, pulldown_cmark::Parser::new(&rest[end + 5..]));
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("page");
    let folder = output.join(stem);
    std::fs::create_dir_all(&folder).expect("page folder");
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><main>{body}</main></body></html>"
    );
    std::fs::write(folder.join("index.html"), page).expect("page written");
}
