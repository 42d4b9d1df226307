//! Rendering only what changed. Every page has a fingerprint of what it is made of (the
//! fingerprints of the briefs it shows, its position in its list, the list's length);
//! a page whose fingerprint is unchanged since the previous render is reused as it was.
//! The preview server renders this way after each save; a render without a previous one
//! renders everything.

use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::archive::ArchiveYear;
use super::assets;
use super::credits::CreditUse;
use super::feeds::{FEED_LENGTH, FeedScope};
use super::output::{Contents, OutputMap, PathMap, Staging};
use super::pages::{self, Page};
use super::plan::Plan;
use super::site::{CorrectionRef, PageNumber, Site};
use crate::content::Taxonomy;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::error::Error;
use crate::render::Renderer;

/// A site rendered in memory.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    /// Shared with the preview server's snapshot of the site, not copied.
    pub files: Arc<OutputMap>,
    /// The fingerprint each page was rendered from, by output path.
    fingerprints: PathMap<u64>,
}

impl RenderedSite {
    pub fn from_parts(files: OutputMap, fingerprints: PathMap<u64>) -> Self {
        RenderedSite { files: Arc::new(files), fingerprints }
    }

    /// The fingerprint each page was rendered from, by output path.
    pub fn fingerprints(&self) -> &PathMap<u64> {
        &self.fingerprints
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub pages: usize,
    /// Pages rendered this time; the others were reused.
    pub rendered: usize,
}

fn list_fingerprint(hasher: &mut Xxh3, site: &Site, briefs: &[usize], number: PageNumber) {
    let total = site.page_count(briefs.len());
    hasher.update(&(number.get() as u64).to_le_bytes());
    hasher.update(&(total as u64).to_le_bytes());
    for &index in briefs.iter().skip(number.skip(site.config.paginate)).take(site.config.paginate) {
        hasher.update(&site.records[index].card_fingerprint.to_le_bytes());
        hasher.update(&[u8::from(site.is_scheduled(index))]);
    }
}

/// The corrections a page lists: each one's brief (its title, address and corrections)
/// and which of its corrections it is.
fn corrections_fingerprint<'a>(hasher: &mut Xxh3, site: &Site, corrections: impl Iterator<Item = &'a CorrectionRef>) {
    for at in corrections {
        hasher.update(&site.records[at.brief].card_fingerprint.to_le_bytes());
        hasher.update(&(at.correction as u64).to_le_bytes());
    }
}

/// The years and months an archive page links, with their counts.
fn archive_fingerprint<'a>(hasher: &mut Xxh3, years: impl Iterator<Item = &'a ArchiveYear>) {
    for year in years {
        hasher.update(&year.year.to_le_bytes());
        for month in &year.months {
            hasher.update(&month.month.to_le_bytes());
            hasher.update(&(month.briefs.len() as u64).to_le_bytes());
        }
    }
}

/// What a page is made of, as a number. The configuration and templates are the same
/// for every page of a render, so they are left out: a change to them renders anew.
pub fn page_fingerprint(site: &Site, page: Page, output_file: &str) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(output_file.as_bytes());
    match page {
        Page::Brief(index) => {
            hasher.update(&site.records[index].fingerprint.to_le_bytes());
            hasher.update(&[u8::from(site.is_scheduled(index))]);
            // Its translations' titles and addresses appear on it.
            for &other in &site.translations[index] {
                hasher.update(&site.records[other].card_fingerprint.to_le_bytes());
            }
        }
        Page::Home(number) => list_fingerprint(&mut hasher, site, &site.everything, number),
        Page::LanguageHome { language, page } => {
            list_fingerprint(&mut hasher, site, &site.by_language[language], page);
        }
        Page::Feed { scope: FeedScope::Corrections(language), .. } => {
            corrections_fingerprint(&mut hasher, site, site.corrections_of(language).iter().take(FEED_LENGTH));
        }
        Page::Feed { scope, .. } => {
            for &index in super::feeds::scope_briefs(site, scope).iter().take(FEED_LENGTH) {
                hasher.update(&site.records[index].fingerprint.to_le_bytes());
                hasher.update(&[u8::from(site.is_scheduled(index))]);
            }
        }
        Page::Group { taxonomy, group, page } => {
            let group = &site.groups(taxonomy)[group];
            hasher.update(group.name.as_bytes());
            list_fingerprint(&mut hasher, site, &group.briefs, page);
        }
        Page::Index(taxonomy) => {
            for group in site.groups(taxonomy) {
                hasher.update(group.name.as_bytes());
                hasher.update(group.slug.as_bytes());
                hasher.update(&(group.briefs.len() as u64).to_le_bytes());
            }
        }
        Page::Credits(number) => {
            hasher.update(&(number.get() as u64).to_le_bytes());
            hasher.update(&(site.page_count(site.credits.len()) as u64).to_le_bytes());
            for entry in site.credits.iter().skip(number.skip(site.config.paginate)).take(site.config.paginate) {
                match entry {
                    CreditUse::Briefs { briefs, which } => {
                        hasher.update(which.marker().as_bytes());
                        for &index in briefs {
                            hasher.update(&site.records[index].card_fingerprint.to_le_bytes());
                        }
                    }
                    // The registry is part of the render's generation: its index suffices.
                    CreditUse::AuthorPhoto(index) => hasher.update(&(*index as u64).to_le_bytes()),
                }
                hasher.update(b"|");
            }
        }
        Page::Corrections { language, page } => {
            let corrections = site.corrections_of(language);
            hasher.update(&(page.get() as u64).to_le_bytes());
            hasher.update(&(site.page_count(corrections.len()) as u64).to_le_bytes());
            let on_page = corrections.iter().skip(page.skip(site.config.paginate)).take(site.config.paginate);
            corrections_fingerprint(&mut hasher, site, on_page);
        }
        Page::Archive { language, period } => {
            let archive = site.archive_of(language);
            match period.month {
                // A year's page shows its months and their counts.
                None => archive_fingerprint(&mut hasher, archive.years.iter().filter(|y| y.year == period.year)),
                Some(month) => {
                    for &index in archive.month(period.year, month) {
                        hasher.update(&site.records[index].card_fingerprint.to_le_bytes());
                    }
                }
            }
        }
        Page::ArchiveIndex(language) => archive_fingerprint(&mut hasher, site.archive_of(language).years.iter()),
        Page::Sitemap(_) | Page::SitemapIndex => {
            for record in &site.records {
                hasher.update(&record.card_fingerprint.to_le_bytes());
            }
            for taxonomy in [Taxonomy::Tags, Taxonomy::Outlets, Taxonomy::Authors] {
                for group in site.groups(taxonomy) {
                    hasher.update(group.slug.as_bytes());
                    hasher.update(&(group.briefs.len() as u64).to_le_bytes());
                }
            }
        }
        Page::NewsSitemap => {
            for index in pages::news_briefs(site) {
                hasher.update(&site.records[index].card_fingerprint.to_le_bytes());
            }
        }
        Page::Search(language) => {
            for (language, shard) in site.search.shards_searched(site.language_of(language), language.is_none()) {
                hasher.update(language.as_bytes());
                hasher.update(shard.as_bytes());
            }
        }
        Page::NotFound | Page::Robots => {}
    }
    hasher.digest()
}

/// Where rendered files go: kept in memory by the preview, written to a staging folder
/// by a build as soon as each is rendered, so that no build holds all its pages at once.
pub trait Sink: Sync {
    /// Takes one file of the output (`path` relative to it, `/`-separated) and returns
    /// what the rendered site keeps of it.
    fn put(&self, path: &str, contents: Arc<Contents>) -> Result<Option<Arc<Contents>>, Error>;
}

/// Keeps every file in memory, for the preview and for checks.
pub struct InMemory;

impl Sink for InMemory {
    fn put(&self, _path: &str, contents: Arc<Contents>) -> Result<Option<Arc<Contents>>, Error> {
        Ok(Some(contents))
    }
}

impl Sink for Staging {
    fn put(&self, path: &str, contents: Arc<Contents>) -> Result<Option<Arc<Contents>>, Error> {
        self.write(path, &contents)?;
        Ok(None)
    }
}

/// One file of the output to produce.
enum Planned {
    Page(Page),
    Asset(Arc<Contents>),
}

/// What became of one file.
enum Outcome {
    /// Unchanged since `previous`: kept as it was (or, with nothing kept, left where the
    /// previous build wrote it).
    Unchanged(Option<Arc<Contents>>),
    Fresh {
        kept: Option<Arc<Contents>>,
    },
    TemplateError(Diagnostic),
    Failed(Error),
}

/// Renders the pages of `plan` (the site's) and copies its files whose fingerprint
/// differs from `previous` (all of them without a previous render) into `sink`, and keeps
/// the others. Template errors are added to `diagnostics`, each once; `Err` is for
/// failures to write.
pub fn render(
    site: &Site,
    plan: &Plan,
    renderer: &Renderer,
    previous: Option<&RenderedSite>,
    sink: &dyn Sink,
    diagnostics: &mut Diagnostics,
) -> Result<(RenderedSite, RenderStats), Error> {
    let mut planned: Vec<(Planned, String, u64)> = plan
        .pages
        .par_iter()
        .map(|(page, path)| (Planned::Page(*page), path.clone(), page_fingerprint(site, *page, path)))
        .collect();
    let now = std::time::SystemTime::now();
    planned.par_extend(plan.copied.par_iter().map(|(path, contents)| {
        let fingerprint = assets::fingerprint(contents, now);
        (Planned::Asset(contents.clone()), path.clone(), fingerprint)
    }));

    let site_feed_links = tera::Value::from_serializable(&super::feeds::site_links(site));
    let shared = super::shared::Shared::new(site, renderer, site_feed_links);
    let outcomes: Vec<(String, u64, bool, Outcome)> = planned
        .into_par_iter()
        .map(|(planned, path, fingerprint)| {
            let is_page = matches!(planned, Planned::Page(_));
            let outcome = match previous.filter(|p| p.fingerprints.get(&path) == Some(&fingerprint)) {
                Some(previous) => Outcome::Unchanged(previous.files.get(&path).cloned()),
                None => produce(site, renderer, &shared, sink, planned, &path),
            };
            (path, fingerprint, is_page, outcome)
        })
        .collect();

    let mut files = OutputMap::with_capacity_and_hasher(outcomes.len(), Default::default());
    let mut fingerprints = PathMap::with_capacity_and_hasher(outcomes.len(), Default::default());
    let mut stats = RenderStats::default();
    let mut render_errors = Vec::new();
    for (path, fingerprint, is_page, outcome) in outcomes {
        stats.pages += usize::from(is_page);
        let kept = match outcome {
            Outcome::Unchanged(kept) => kept,
            Outcome::Fresh { kept } => {
                stats.rendered += usize::from(is_page);
                kept
            }
            Outcome::TemplateError(diagnostic) => {
                render_errors.push(diagnostic);
                continue;
            }
            Outcome::Failed(error) => return Err(error),
        };
        if let Some(contents) = kept {
            files.insert(path.clone(), contents);
        }
        fingerprints.insert(path, fingerprint);
    }
    // One broken template fails every page that uses it: report it once.
    render_errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    render_errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    diagnostics.extend(render_errors);
    Ok((RenderedSite { files: Arc::new(files), fingerprints }, stats))
}

fn produce(
    site: &Site,
    renderer: &Renderer,
    shared: &super::shared::Shared,
    sink: &dyn Sink,
    planned: Planned,
    path: &str,
) -> Outcome {
    let contents = match planned {
        Planned::Page(page) => match pages::render(site, renderer, shared, page) {
            Ok(text) => Arc::new(Contents::Text(text)),
            Err(diagnostic) => return Outcome::TemplateError(diagnostic),
        },
        Planned::Asset(contents) => contents,
    };
    match sink.put(path, contents) {
        Ok(kept) => Outcome::Fresh { kept },
        Err(error) => Outcome::Failed(error),
    }
}
