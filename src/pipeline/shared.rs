//! What the pages of one render have in common, made once and reused: a brief's feed entry
//! (in up to 3 formats × its site, tag and language feeds) and its card (on the home page,
//! its language's home page, and the pages of each of its tags and outlets: 5 to 10 lists
//! for a typical brief). Each is made the first time a page needs it, so a preview
//! rebuild that renders three pages makes three cards, not ten thousand.

use std::borrow::Cow;
use std::sync::OnceLock;

use tera::Context;

use super::site::Site;
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use crate::render::views::{BriefView, SiteView};

/// The template that renders one brief in a list.
pub const CARD_TEMPLATE: &str = "partials/brief_card.html";

pub struct Shared {
    feed_entries: Vec<OnceLock<String>>,
    /// `cards[slot][brief]`: slot 0 for lists in the site's language, slot `i + 1` for
    /// those of `config.languages[i]`.
    cards: Vec<Vec<OnceLock<String>>>,
    /// The site as pages in each language of the site see it, with its template value.
    site_views: Vec<(String, SiteView, tera::Value)>,
    /// The site's own feeds, which every page links to, as a template value.
    site_feed_links: tera::Value,
}

impl Shared {
    /// What the pages of a render of `site` share; `site_feed_links` is the template value
    /// of the site's own feeds, which every page links to.
    pub fn new(site: &Site, renderer: &Renderer, site_feed_links: tera::Value) -> Shared {
        let per_brief = || site.briefs.iter().map(|_| OnceLock::new()).collect::<Vec<_>>();
        Shared {
            feed_entries: per_brief(),
            cards: (0..=site.config.languages.len()).map(|_| per_brief()).collect(),
            site_views: languages(site)
                .into_iter()
                .map(|lang| {
                    let view = SiteView::new(&site.config, lang, renderer.ui_strings.for_language(lang));
                    let value = tera::Value::from_serializable(&view);
                    (lang.to_string(), view, value)
                })
                .collect(),
            site_feed_links,
        }
    }

    /// The site's own feeds as the template variable `feeds`, for pages that link to no other.
    pub fn site_feed_links(&self) -> tera::Value {
        self.site_feed_links.clone()
    }

    /// The content of brief `index`'s feed entries, rendered by `feed_entry.html`.
    pub fn feed_entry(&self, site: &Site, renderer: &Renderer, index: usize) -> Result<&str, Diagnostic> {
        once(&self.feed_entries[index], || {
            let brief = &site.briefs[index];
            let strings = renderer.ui_strings.for_language(&brief.lang);
            let mut context = Context::new();
            let mut view = BriefView::new(brief, &site.config, (&brief.lang, strings), &site.images)?;
            let page = (&site.config, brief.lang.as_str(), strings);
            let shown = crate::render::body::ImagesShown::Img(&site.images);
            view.body = crate::render::body::fill_credits(view.body, brief, renderer, page, shown)?;
            view.scheduled = site.is_scheduled(index);
            context.insert("brief", &view);
            context.insert_value("t", strings.value());
            context.insert("lang", &brief.lang);
            renderer.render("feed_entry.html", &context)
        })
    }

    /// Brief `index` as a list in language `lang` shows it, rendered by the card template.
    pub fn card(&self, site: &Site, renderer: &Renderer, index: usize, lang: &str) -> Result<&str, Diagnostic> {
        once(&self.cards[slot(site, lang)][index], || card(index, site, renderer, lang))
    }

    /// The site as a page in `lang` shows it, and as the template variable `site`.
    pub fn site_view(&self, site: &Site, renderer: &Renderer, lang: &str) -> (Cow<'_, SiteView>, tera::Value) {
        match self.site_views.iter().find(|(known, ..)| known == lang) {
            Some((_, view, value)) => (Cow::Borrowed(view), value.clone()),
            // Every page is in a language of the site or of a brief; this is for safety.
            None => {
                let view = SiteView::new(&site.config, lang, renderer.ui_strings.for_language(lang));
                let value = tera::Value::from_serializable(&view);
                (Cow::Owned(view), value)
            }
        }
    }
}

/// Every language a page can be in: the site's, those it lists, and those of its briefs.
fn languages(site: &Site) -> Vec<&str> {
    let mut languages: Vec<&str> = Vec::new();
    let all =
        std::iter::once(&site.config.language).chain(&site.config.languages).chain(site.briefs.iter().map(|b| &b.lang));
    for lang in all {
        // A site has a handful of languages: a scan beats hashing ten thousand tags.
        if !languages.contains(&lang.as_str()) {
            languages.push(lang);
        }
    }
    languages
}

/// Where what depends on a page's language is kept: 0 for the site's language (and any
/// language it does not list), `i + 1` for `config.languages[i]`.
fn slot(site: &Site, lang: &str) -> usize {
    site.config.languages.iter().position(|l| l == lang).map_or(0, |i| i + 1)
}

fn card(index: usize, site: &Site, renderer: &Renderer, lang: &str) -> Result<String, Diagnostic> {
    let brief = &site.briefs[index];
    let strings = renderer.ui_strings.for_language(lang);
    let mut context = Context::new();
    let view = BriefView {
        scheduled: site.is_scheduled(index),
        ..BriefView::card(brief, &site.config, (lang, strings), &site.images)
    };
    context.insert("brief", &view);
    context.insert_value("t", strings.value());
    context.insert("lang", lang);
    renderer.render(CARD_TEMPLATE, &context)
}

/// The value in `cell`, made by `make` if no page has made it yet. Two pages may make it at
/// the same time; both get the first one stored, which is the same text.
fn once(cell: &OnceLock<String>, make: impl FnOnce() -> Result<String, Diagnostic>) -> Result<&str, Diagnostic> {
    if let Some(text) = cell.get() {
        return Ok(text);
    }
    // Kept until the render ends: a copy of the exact size, not the buffer it grew in.
    let text = make()?.as_str().to_owned();
    Ok(cell.get_or_init(|| text))
}
