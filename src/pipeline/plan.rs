//! The plan: every file of the site's output (each page and the file it is written to,
//! each file copied as it is), worked out once per site. Address collisions are checked
//! on it and the output is produced from it, so that the two cannot disagree. Image
//! variants and the search index's files are entries of their own; each shard of the
//! search index is one entry, a folder copied whole.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::assets;
use super::output::Contents;
use super::pages::{self, Page};
use super::site::Site;
use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::render::Theme;
use crate::site_files::STATIC_DIR;

/// Every file of a site's output: each page and the file it is written to, and each file
/// copied as it is (static files, bundle files), by its path in the output.
#[derive(Debug, Default)]
pub struct Plan {
    /// The few long pages (sitemaps, feeds) come first, so that no core is left rendering
    /// one of them alone at the end.
    pub pages: Vec<(Page, String)>,
    /// The files copied as they are.
    pub copied: Vec<(String, Arc<Contents>)>,
    /// Every output path, pages and copied files.
    pub files: foldhash::HashSet<String>,
    /// What making the plan found: collisions (errors), files not published (warnings).
    pub problems: Vec<Diagnostic>,
}

impl Plan {
    /// The plan of `site` with `theme`, with the problems found making it: two outputs at
    /// one address (see [`Plan::collisions`] and [`assets::collect`]), copied files that
    /// cannot be read or are not published.
    pub fn new(root: &Path, site: &Site, theme: &Theme) -> Plan {
        let mut pages: Vec<(Page, String)> =
            pages::all_pages(site).into_par_iter().map(|page| (page, pages::output_file(site, page))).collect();
        pages.sort_by_key(|(page, _)| !matches!(page, Page::Sitemap(_) | Page::Feed { .. }));
        let page_files: foldhash::HashSet<String> = pages.iter().map(|(_, path)| path.clone()).collect();
        let mut problems = Diagnostics::new();
        let copied = assets::collect(root, site, theme, &page_files, &mut problems);
        // A site's own robots.txt replaces the generated one.
        pages.retain(|(_, path)| !copied.contains_key(path));
        let mut copied = copied;
        for variant in site.images.variants() {
            if copied.contains_key(&variant.site_path) || page_files.contains(&variant.site_path) {
                problems.push(Diagnostic::error(
                    Code::OutputConflict,
                    STATIC_DIR,
                    format!("{} would replace a variant of an image, which Depeche writes there", variant.site_path),
                ));
                continue;
            }
            copied.insert(variant.site_path.clone(), Arc::new(Contents::Kept(variant.file.clone())));
        }
        for (path, file) in &site.search.files {
            if copied.contains_key(path) || page_files.contains(path) {
                problems.push(Diagnostic::error(
                    Code::OutputConflict,
                    STATIC_DIR,
                    format!("{path} would replace a file of the search index, which Depeche writes there"),
                ));
                continue;
            }
            copied.insert(path.clone(), Arc::new(Contents::Kept(file.clone())));
        }
        // The shards' folders, copied whole: nothing else may be written into them.
        let folders: foldhash::HashSet<&str> =
            site.search.folders.iter().map(|(path, _)| path.trim_end_matches('/')).collect();
        if !folders.is_empty() {
            let mut inside: Vec<&String> = page_files
                .iter()
                .chain(copied.keys())
                .filter(|path| {
                    folders.contains(path.as_str()) || ancestors(path).any(|folder| folders.contains(folder))
                })
                .collect();
            inside.sort();
            for path in inside {
                problems.push(Diagnostic::error(
                    Code::OutputConflict,
                    STATIC_DIR,
                    format!("{path} would be written into the search index, which Depeche writes there"),
                ));
            }
        }
        for (path, folder) in &site.search.folders {
            copied.insert(path.clone(), Arc::new(Contents::KeptFolder(folder.clone())));
        }
        let mut files = page_files;
        files.extend(copied.keys().cloned());
        let mut plan = Plan { pages, copied: copied.into_iter().collect(), files, problems: Vec::new() };
        problems.extend(plan.collisions(site));
        plan.problems = problems.into_iter().collect();
        plan
    }

    /// Two briefs on one address, or a brief whose page would be written where a page the
    /// site makes itself (a list, a feed, the sitemap…) is, or inside it, or around it:
    /// an error for each brief involved, naming the others.
    pub fn collisions(&self, site: &Site) -> Vec<Diagnostic> {
        let mut by_file: HashMap<&str, Vec<usize>> = HashMap::with_capacity(site.briefs.len());
        // The files of the site's own pages, and the folders that hold them.
        let mut generated: HashMap<&str, &str> = HashMap::new();
        let mut folders: HashMap<&str, &str> = HashMap::new();
        for (page, file) in &self.pages {
            match page {
                Page::Brief(index) => by_file.entry(file.as_str()).or_default().push(*index),
                _ => {
                    generated.insert(file, file);
                    for folder in ancestors(file) {
                        folders.entry(folder).or_insert(file);
                    }
                }
            }
        }
        let mut problems = Vec::new();
        let mut files: Vec<(&&str, &Vec<usize>)> = by_file.iter().collect();
        files.sort_unstable_by_key(|(file, _)| **file);
        for (file, briefs) in files {
            let permalink = &site.briefs[briefs[0]].permalink;
            if briefs.len() > 1 {
                let names: Vec<String> = briefs.iter().map(|&b| site.briefs[b].path.display().to_string()).collect();
                for &brief in briefs {
                    problems.push(
                        Diagnostic::error(
                            Code::DuplicateUrl,
                            &site.briefs[brief].path,
                            format!("{} briefs would be published at {permalink}: {}", briefs.len(), names.join(", ")),
                        )
                        .with_help("give one of them another `slug`"),
                    );
                }
            }
            let taken = generated
                .get(file)
                .or_else(|| folders.get(file))
                .or_else(|| ancestors(file).find_map(|folder| generated.get(folder)));
            if let Some(taken) = taken {
                for &brief in briefs {
                    problems.push(
                        Diagnostic::error(
                            Code::DuplicateUrl,
                            &site.briefs[brief].path,
                            format!("the brief's address {permalink} is taken by the site's own /{taken}"),
                        )
                        .with_help("give the brief another `slug`"),
                    );
                }
            }
        }
        problems
    }
}

/// The folders above an output file, deepest first: `a/b/index.html` → `a/b`, `a`.
fn ancestors(file: &str) -> impl Iterator<Item = &str> {
    let mut rest = file;
    std::iter::from_fn(move || {
        let at = rest.rfind('/')?;
        rest = &rest[..at];
        Some(rest)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ancestors_are_every_folder_above_a_file() {
        assert_eq!(ancestors("a/b/index.html").collect::<Vec<_>>(), vec!["a/b", "a"]);
        assert_eq!(ancestors("atom.xml").count(), 0);
    }
}
