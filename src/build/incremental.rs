//! Rendering only what changed. Every page has a fingerprint of what it is made of (the
//! fingerprints of the briefs it shows, its position in its list, the list's length);
//! a page whose fingerprint is unchanged since the previous render is reused as it was.
//! The preview server renders this way after each save; a render without a previous one
//! renders everything.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use xxhash_rust::xxh3::Xxh3;

use super::assets::add_assets;
use super::output::{Contents, OutputMap};
use super::pages::{self, Page};
use super::site::{Site, Taxonomy};
use crate::diagnostic::{self, Diagnostic};
use crate::render::{Renderer, Theme};

/// A site rendered in memory.
#[derive(Debug, Clone, Default)]
pub struct RenderedSite {
    pub files: OutputMap,
    /// The fingerprint each page was rendered from, by output path.
    fingerprints: HashMap<String, u64>,
}

impl RenderedSite {
    pub fn from_parts(files: OutputMap, fingerprints: HashMap<String, u64>) -> Self {
        RenderedSite { files, fingerprints }
    }

    /// The fingerprint each page was rendered from, by output path.
    pub fn fingerprints(&self) -> &HashMap<String, u64> {
        &self.fingerprints
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderStats {
    pub pages: usize,
    /// Pages rendered this time; the others were reused.
    pub rendered: usize,
}

fn list_fingerprint(hasher: &mut Xxh3, site: &Site, briefs: &[usize], number: usize) {
    let total = site.page_count(briefs.len());
    hasher.update(&(number as u64).to_le_bytes());
    hasher.update(&(total as u64).to_le_bytes());
    for &index in briefs.iter().skip((number - 1) * site.config.paginate).take(site.config.paginate) {
        hasher.update(&site.briefs[index].card_fingerprint.to_le_bytes());
    }
}

/// What a page is made of, as a number. The configuration and templates are the same
/// for every page of a render, so they are left out: a change to them renders anew.
pub fn page_fingerprint(site: &Site, page: Page) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(pages::output_file(site, page).as_bytes());
    match page {
        Page::Brief(index) => {
            hasher.update(&site.briefs[index].fingerprint.to_le_bytes());
            // Its translations' titles and addresses appear on it.
            for &other in &site.translations[index] {
                hasher.update(&site.briefs[other].card_fingerprint.to_le_bytes());
            }
        }
        Page::Home(number) => list_fingerprint(&mut hasher, site, &site.everything, number),
        Page::LanguageHome { language, page } => {
            list_fingerprint(&mut hasher, site, &site.by_language[language], page);
        }
        Page::Feed { scope, .. } => {
            for &index in super::feeds::scope_briefs(site, scope).iter().take(super::feeds::FEED_LENGTH) {
                hasher.update(&site.briefs[index].fingerprint.to_le_bytes());
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
        Page::Credits => {
            for brief in site.briefs.iter().filter(|b| b.image.is_some()) {
                hasher.update(&brief.card_fingerprint.to_le_bytes());
            }
        }
        Page::Sitemap => {
            for brief in &site.briefs {
                hasher.update(&brief.card_fingerprint.to_le_bytes());
            }
            for taxonomy in [Taxonomy::Tags, Taxonomy::Sources] {
                for group in site.groups(taxonomy) {
                    hasher.update(group.slug.as_bytes());
                    hasher.update(&(group.briefs.len() as u64).to_le_bytes());
                }
            }
        }
        Page::NotFound | Page::Robots => {}
    }
    hasher.digest()
}

/// A page's contents and whether they were rendered this time, or why rendering failed.
type PageResult = Result<(Arc<Contents>, bool), Diagnostic>;

/// Renders the pages whose fingerprint differs from `previous` (all of them without a
/// previous render), reuses the others, and adds the copied files. Problems are added to
/// `diagnostics`, each once.
pub fn render(
    root: &Path,
    site: &Site,
    theme: &Theme,
    renderer: &Renderer,
    previous: Option<&RenderedSite>,
    diagnostics: &mut Vec<Diagnostic>,
) -> (RenderedSite, RenderStats) {
    let all = pages::all_pages(site);
    let planned: Vec<(Page, String, u64)> =
        all.par_iter().map(|&page| (page, pages::output_file(site, page), page_fingerprint(site, page))).collect();
    let reusable = |path: &String, fingerprint: u64| {
        let previous = previous?;
        (previous.fingerprints.get(path) == Some(&fingerprint)).then(|| previous.files.get(path).cloned()).flatten()
    };
    let rendered: Vec<(String, u64, PageResult)> = planned
        .into_par_iter()
        .map(|(page, path, fingerprint)| {
            let result = match reusable(&path, fingerprint) {
                Some(contents) => Ok((contents, false)),
                None => pages::render(site, renderer, page).map(|text| (Arc::new(Contents::Text(text)), true)),
            };
            (path, fingerprint, result)
        })
        .collect();

    let mut output = RenderedSite::default();
    let mut stats = RenderStats { pages: rendered.len(), rendered: 0 };
    let mut render_errors = Vec::new();
    for (path, fingerprint, result) in rendered {
        match result {
            Ok((contents, fresh)) => {
                stats.rendered += usize::from(fresh);
                output.fingerprints.insert(path.clone(), fingerprint);
                output.files.insert(path, contents);
            }
            Err(diagnostic) => render_errors.push(diagnostic),
        }
    }
    // One broken template fails every page that uses it: report it once.
    render_errors.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    render_errors.dedup_by(|a, b| a.path == b.path && a.message == b.message);
    diagnostics.extend(render_errors);
    add_assets(root, site, theme, &mut output.files, diagnostics);
    diagnostic::sort(diagnostics);
    (output, stats)
}
