//! The whole site as one validated model: config, briefs, tags, and the checks that need
//! every brief at once (two briefs on one address).

use std::collections::BTreeMap;

use crate::config::Config;
use crate::content::{Brief, slugify};
use crate::diagnostic::Diagnostic;

pub struct Tag {
    pub name: String,
    pub slug: String,
    /// Indexes into `Site::briefs`, newest first.
    pub briefs: Vec<usize>,
}

pub struct Site {
    pub config: Config,
    /// Newest first.
    pub briefs: Vec<Brief>,
    /// Sorted by slug.
    pub tags: Vec<Tag>,
}

impl Site {
    pub fn new(config: Config, briefs: Vec<Brief>) -> Site {
        let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
        for (index, brief) in briefs.iter().enumerate() {
            for name in &brief.tags {
                let slug = slugify(name);
                tags.entry(slug.clone())
                    .or_insert_with(|| Tag {
                        name: name.clone(),
                        slug,
                        briefs: Vec::new(),
                    })
                    .briefs
                    .push(index);
            }
        }
        Site {
            config,
            briefs,
            tags: tags.into_values().collect(),
        }
    }

    /// Number of pages of a list of `count` briefs (at least one, even when empty).
    pub fn page_count(&self, count: usize) -> usize {
        count.div_ceil(self.config.paginate).max(1)
    }

    /// The site path of page `page` (1-based) of a list whose first page is `first`.
    pub fn list_page_path(first: &str, page: usize) -> String {
        if page <= 1 {
            first.to_string()
        } else {
            format!("{first}page/{page}/")
        }
    }

    /// Every site path the generator itself writes besides brief pages.
    fn listing_paths(&self) -> Vec<String> {
        let mut paths = vec!["/tags/".to_string()];
        let home_pages = self.page_count(self.briefs.len());
        paths.extend((1..=home_pages).map(|p| Site::list_page_path("/", p)));
        for tag in &self.tags {
            let first = format!("/tags/{}/", tag.slug);
            paths.extend(
                (1..=self.page_count(tag.briefs.len())).map(|p| Site::list_page_path(&first, p)),
            );
        }
        paths
    }

    /// Two briefs on one address, or a brief on the address of a list page, are errors
    /// naming every file involved.
    pub fn check_addresses(&self) -> Vec<Diagnostic> {
        let mut by_path: BTreeMap<&str, Vec<&Brief>> = BTreeMap::new();
        for brief in &self.briefs {
            by_path
                .entry(brief.permalink.as_str())
                .or_default()
                .push(brief);
        }
        let mut problems = Vec::new();
        for (path, briefs) in &by_path {
            if briefs.len() > 1 {
                let names: Vec<String> = briefs
                    .iter()
                    .map(|b| b.path.display().to_string())
                    .collect();
                for brief in briefs {
                    problems.push(
                        Diagnostic::error(
                            "duplicate-url",
                            &brief.path,
                            format!(
                                "{} briefs would be published at {path}: {}",
                                briefs.len(),
                                names.join(", ")
                            ),
                        )
                        .with_help("give one of them another `slug`"),
                    );
                }
            }
        }
        for path in self.listing_paths() {
            if let Some(briefs) = by_path.get(path.as_str()) {
                for brief in briefs {
                    problems.push(
                        Diagnostic::error(
                            "duplicate-url",
                            &brief.path,
                            format!("the brief's address {path} is taken by a list page"),
                        )
                        .with_help("give the brief another `slug`"),
                    );
                }
            }
        }
        problems
    }
}
