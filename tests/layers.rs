//! The layers of docs/contributing/architecture.md, checked against the code: every
//! `crate::` and `super::` path in a module (outside its tests) names a module in the same
//! row of the table or above it. A module's own `mod.rs` may name its submodules (it
//! declares them); nothing else may point up.

use std::path::Path;

/// The rows of the module table, top first: each a module path (`content::load`).
fn rows() -> Vec<String> {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/contributing/architecture.md"))
        .expect("the architecture chapter");
    let table = text.split("## Modules").nth(1).expect("a Modules section").split("\n## ").next().unwrap_or_default();
    table
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(module, _)| module.to_string()))
        .collect()
}

/// The module a source file is, as a path (`src/content/load.rs` → `content::load`).
fn module_of(file: &Path, src: &Path) -> String {
    let relative = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// Every path a `use crate::…` or `use super::…` declaration, or a path in the code,
/// names, with `{…}` groups expanded: `use crate::{a, b::{c, d}}` → `a`, `b::c`, `b::d`.
fn paths_after(text: &str, keyword: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(keyword) {
        let after = &rest[at + keyword.len()..];
        let end = if after.starts_with('{') {
            let mut depth = 0;
            after
                .char_indices()
                .find(|&(_, c)| {
                    depth += i32::from(c == '{') - i32::from(c == '}');
                    depth == 0
                })
                .map_or(after.len(), |(i, _)| i + 1)
        } else {
            after.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':')).unwrap_or(after.len())
        };
        expand("", &after[..end], &mut found);
        rest = &after[end..];
    }
    found
}

fn expand(prefix: &str, spec: &str, found: &mut Vec<String>) {
    let spec = spec.trim().trim_end_matches("::");
    if let Some(inner) = spec.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(prefix, &inner[start..i], found);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(prefix, &inner[start..], found);
    } else if let Some((head, tail)) = spec.split_once("::{") {
        expand(&join(prefix, head), &format!("{{{tail}"), found);
    } else if !spec.is_empty() && spec != "self" && spec != "*" {
        let spec = spec.split(" as ").next().unwrap_or(spec).trim_end_matches("::self");
        found.push(join(prefix, spec));
    }
}

fn join(prefix: &str, path: &str) -> String {
    if prefix.is_empty() { path.to_string() } else { format!("{prefix}::{path}") }
}

/// The row of the table a module path falls in: the longest row it starts with.
fn row_of(path: &str, rows: &[String]) -> Option<usize> {
    rows.iter()
        .enumerate()
        .filter(|(_, row)| path == row.as_str() || path.starts_with(&format!("{row}::")))
        .max_by_key(|(_, row)| row.len())
        .map(|(index, _)| index)
}

#[test]
fn every_module_uses_only_modules_above_it_in_the_architecture_table() {
    let rows = rows();
    assert!(rows.len() > 10, "{rows:?}");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    for entry in walkdir::WalkDir::new(&src).into_iter().map(|e| e.unwrap()) {
        let file = entry.path();
        if file.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let module = module_of(file, &src);
        // The binary sits on top of the library, and the crate root only declares.
        if ["main", "cli", "commands", "lib"].contains(&module.as_str()) {
            continue;
        }
        let Some(own) = row_of(&module, &rows) else {
            problems.push(format!("{module} is in no row of the module table"));
            continue;
        };
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let parent = if file.ends_with("mod.rs") || !module.contains("::") {
            module.rsplit_once("::").map_or("", |(parent, _)| parent).to_string()
        } else {
            module.rsplit_once("::").map(|(parent, _)| parent.to_string()).unwrap_or_default()
        };
        let mut named = paths_after(code, "crate::");
        named.extend(paths_after(code, "super::").into_iter().map(|path| join(&parent, &path)));
        for path in named {
            match row_of(&path, &rows) {
                None => problems.push(format!("{module} uses {path}, which is in no row of the module table")),
                Some(row) if row > own => {
                    problems.push(format!("{module} uses {path}, which is below it (row {row} > {own})"))
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "layers pointing up:\n{}", problems.join("\n"));
}

#[test]
fn paths_are_read_from_grouped_declarations() {
    let found = paths_after("use crate::{a, b::{c, d::e}, f::self};\nlet x = crate::g::h(1);", "crate::");
    assert_eq!(found, vec!["a", "b::c", "b::d::e", "f", "g::h"]);
}
