//! The whole site as one validated model: config, briefs, the groups they form (tags and
//! cited outlets), and the checks that need every brief at once (two briefs on one
//! address).

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::config::Config;
use crate::content::{Brief, slugify};
use crate::diagnostic::Diagnostic;

/// The two ways briefs are grouped into list pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    Tags,
    /// The outlets cited as sources.
    Sources,
}

impl Taxonomy {
    /// The site path of the index, under which each group has its pages.
    pub fn base(self) -> &'static str {
        match self {
            Taxonomy::Tags => "/tags/",
            Taxonomy::Sources => "/sources/",
        }
    }

    pub fn first_page(self, slug: &str) -> String {
        format!("{}{slug}/", self.base())
    }
}

/// A tag or an outlet, and the briefs under it.
pub struct Group {
    /// As first written in the newest brief.
    pub name: String,
    pub slug: String,
    /// Indexes into `Site::briefs`, newest first.
    pub briefs: Vec<usize>,
}

pub struct Site {
    pub config: Config,
    /// Newest first. Shared, so that the preview server can rebuild the site after a
    /// save without copying every brief.
    pub briefs: Vec<Arc<Brief>>,
    /// Sorted by slug.
    pub tags: Vec<Group>,
    /// Sorted by slug.
    pub outlets: Vec<Group>,
    /// For each brief, the briefs that are the same brief in other languages, whichever
    /// of the two declared the link.
    pub translations: Vec<Vec<usize>>,
    /// Every brief's index, newest first: the home page's list.
    pub everything: Vec<usize>,
    /// For each of `config.languages`, its briefs' indexes, newest first.
    pub by_language: Vec<Vec<usize>>,
    /// Translation links that lead nowhere valid.
    translation_problems: Vec<Diagnostic>,
}

fn group<'a>(briefs: &'a [Arc<Brief>], names: impl Fn(&'a Brief) -> Vec<&'a str>) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    // The same few names recur across thousands of briefs: slugify each once.
    let mut slugs: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for (index, brief) in briefs.iter().enumerate() {
        for name in names(brief) {
            let slug = slugs.entry(name).or_insert_with(|| slugify(name)).clone();
            let group = groups.entry(slug.clone()).or_insert_with(|| Group {
                name: name.to_string(),
                slug,
                briefs: Vec::new(),
            });
            // A brief citing one outlet twice is listed once.
            if group.briefs.last() != Some(&index) {
                group.briefs.push(index);
            }
        }
    }
    groups.into_values().filter(|g| !g.slug.is_empty()).collect()
}

fn link_translations(briefs: &[Arc<Brief>]) -> (Vec<Vec<usize>>, Vec<Diagnostic>) {
    let by_file: std::collections::HashMap<&std::path::Path, usize> =
        briefs.iter().enumerate().map(|(i, b)| (b.source_file.as_path(), i)).collect();
    let mut links: Vec<Vec<usize>> = vec![Vec::new(); briefs.len()];
    let mut problems = Vec::new();
    for (index, brief) in briefs.iter().enumerate() {
        for (lang, file) in &brief.translations {
            match by_file.get(file.as_path()) {
                None => problems.push(
                    Diagnostic::warning(
                        "invalid-translation",
                        &brief.path,
                        format!(
                            "the {lang} translation {} is not published (a draft, or a brief with errors)",
                            file.display()
                        ),
                    )
                    .with_help("publish it, or remove it from `translations`"),
                ),
                Some(&other) if !briefs[other].lang.eq_ignore_ascii_case(lang) => problems.push(Diagnostic::error(
                    "invalid-translation",
                    &brief.path,
                    format!(
                        "`translations` says {} is in {lang}, but its `lang` is {}",
                        briefs[other].path.display(),
                        briefs[other].lang
                    ),
                )),
                Some(&other) if other != index => {
                    for (from, to) in [(index, other), (other, index)] {
                        if !links[from].contains(&to) {
                            links[from].push(to);
                        }
                    }
                }
                Some(_) => {}
            }
        }
    }
    (links, problems)
}

impl Site {
    /// The site of these briefs, which must be sorted newest first.
    pub fn new(config: Config, briefs: Vec<Arc<Brief>>) -> Site {
        let tags = group(&briefs, |b| b.tags.iter().map(String::as_str).collect());
        let outlets = group(&briefs, |b| b.sources.iter().map(|s| s.name.as_str()).collect());
        let (translations, translation_problems) = link_translations(&briefs);
        let everything = (0..briefs.len()).collect();
        let by_language = config
            .languages
            .iter()
            .map(|lang| (0..briefs.len()).filter(|&i| briefs[i].lang.eq_ignore_ascii_case(lang)).collect())
            .collect();
        Site { config, briefs, tags, outlets, translations, translation_problems, everything, by_language }
    }

    pub fn groups(&self, taxonomy: Taxonomy) -> &[Group] {
        match taxonomy {
            Taxonomy::Tags => &self.tags,
            Taxonomy::Sources => &self.outlets,
        }
    }

    /// Number of pages of a list of `count` briefs (at least one, even when empty).
    pub fn page_count(&self, count: usize) -> usize {
        count.div_ceil(self.config.paginate).max(1)
    }

    /// The site path of page `page` (1-based) of a list whose first page is `first`.
    pub fn list_page_path(first: &str, page: usize) -> String {
        if page <= 1 { first.to_string() } else { format!("{first}page/{page}/") }
    }

    /// Every site path the generator itself writes besides brief pages.
    fn listing_paths(&self) -> Vec<String> {
        let mut paths = vec!["/credits/".to_string()];
        for (language, briefs) in self.config.languages.iter().zip(&self.by_language) {
            let first = format!("/{language}/");
            paths.extend((1..=self.page_count(briefs.len())).map(|p| Site::list_page_path(&first, p)));
        }
        paths.extend((1..=self.page_count(self.briefs.len())).map(|p| Site::list_page_path("/", p)));
        for taxonomy in [Taxonomy::Tags, Taxonomy::Sources] {
            paths.push(taxonomy.base().to_string());
            for group in self.groups(taxonomy) {
                let first = taxonomy.first_page(&group.slug);
                paths.extend((1..=self.page_count(group.briefs.len())).map(|p| Site::list_page_path(&first, p)));
            }
        }
        paths
    }

    /// Two briefs on one address, or a brief on the address of a list page, are errors
    /// naming every file involved; so are translations that lead nowhere valid.
    pub fn check_links(&self) -> Vec<Diagnostic> {
        let mut problems = self.translation_problems.clone();
        problems.extend(self.check_permalinks());
        problems
    }

    fn check_permalinks(&self) -> Vec<Diagnostic> {
        let mut by_path: BTreeMap<&str, Vec<&Arc<Brief>>> = BTreeMap::new();
        for brief in &self.briefs {
            by_path.entry(brief.permalink.as_str()).or_default().push(brief);
        }
        let mut problems = Vec::new();
        for (path, briefs) in &by_path {
            if briefs.len() > 1 {
                let names: Vec<String> = briefs.iter().map(|b| b.path.display().to_string()).collect();
                for brief in briefs {
                    problems.push(
                        Diagnostic::error(
                            "duplicate-url",
                            &brief.path,
                            format!("{} briefs would be published at {path}: {}", briefs.len(), names.join(", ")),
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
