//! What list pages show: a page of brief cards with its pager, the indexes of groups,
//! the credits, the corrections and the archives, as views for the templates.

use serde::Serialize;
use tera::Context;

use super::archive::{ArchiveYear, Period};
use super::credits::CreditUse;
use super::shared::Shared;
use super::site::{PageNumber, Site};
use crate::content::Taxonomy;
use crate::content::body_images::CreditKey;
use crate::diagnostic::Diagnostic;
use crate::render::views::{
    BriefView, DateView, GroupLink, ImageView, LicenseView, PagerView, WorkTypeView, correction_label,
};
use crate::render::{Renderer, UiStrings};

#[derive(Serialize)]
pub(super) struct GroupSummary {
    #[serde(flatten)]
    pub link: GroupLink,
    pub count: usize,
    pub count_label: String,
}

pub(super) fn count_label(strings: &UiStrings, count: usize) -> String {
    let key = if count == 1 { "brief_count_one" } else { "brief_count_many" };
    strings.fill(key, &[("count", &count.to_string())])
}

/// What a page listing briefs needs to show them.
pub(super) struct ListEnv<'a> {
    pub site: &'a Site,
    pub renderer: &'a Renderer,
    pub shared: &'a Shared,
    pub lang: &'a str,
    pub strings: &'a UiStrings,
}

impl ListEnv<'_> {
    /// Adds page `number` of `briefs` (whose first page is at `first`) to `context`: the
    /// briefs' `cards`, rendered once per build for all the lists they are on, the `pager`,
    /// and their views as `briefs` if a list template asks for them.
    pub fn insert(
        &self,
        context: &mut Context,
        briefs: &[usize],
        (first, number): (&str, PageNumber),
    ) -> Result<(), Diagnostic> {
        let ListEnv { site, renderer, shared, lang, strings } = *self;
        let config = &site.config;
        let on_page = || briefs.iter().skip(number.skip(config.paginate)).take(config.paginate);
        let cards: Vec<&str> =
            on_page().map(|&index| shared.card(site, renderer, index, lang)).collect::<Result<_, _>>()?;
        context.insert("cards", &cards);
        if renderer.lists_read_briefs {
            let views: Vec<BriefView> = on_page()
                .map(|&index| BriefView {
                    scheduled: site.is_scheduled(index),
                    ..BriefView::card(&site.briefs[index], config, (lang, strings), &site.images)
                })
                .collect();
            context.insert("briefs", &views);
        }
        context.insert("pager", &pager(site, strings, briefs.len(), (first, number), ("newer", "older")));
        Ok(())
    }
}

/// The links of page `number` of a list of `count` items whose first page is `first`,
/// worded with the UI strings `labels` (previous, next).
pub(super) fn pager(
    site: &Site,
    strings: &UiStrings,
    count: usize,
    (first, number): (&str, PageNumber),
    labels: (&str, &str),
) -> PagerView {
    let total = site.page_count(count);
    let url = |page: PageNumber| site.config.url_path(&Site::list_page_path(first, page));
    PagerView {
        current: number.get(),
        total,
        previous_url: number.previous().map(url),
        next_url: (number.get() < total).then(|| url(number.next())),
        label: strings.fill("page_of", &[("current", &number.to_string()), ("total", &total.to_string())]),
        previous_label: strings.get(labels.0).to_string(),
        next_label: strings.get(labels.1).to_string(),
    }
}

#[derive(Serialize)]
struct BriefLink {
    title: String,
    url: String,
    lang: String,
}

impl BriefLink {
    fn new(site: &Site, index: usize) -> BriefLink {
        let brief = &site.briefs[index];
        BriefLink { title: brief.title.clone(), url: site.config.url_path(&brief.permalink), lang: brief.lang.clone() }
    }
}

#[derive(Serialize)]
struct CreditEntry {
    image: ImageView,
    briefs: Vec<BriefLink>,
}

#[derive(Serialize)]
pub(super) struct CreditGroup {
    /// `None` for images whose licence is not given.
    license: Option<LicenseView>,
    entries: Vec<CreditEntry>,
}

/// Page `number` of the site's images, once each, with the briefs that use it (or the
/// author's page showing it), grouped by licence in the registry's order (images without
/// licence last).
pub(super) fn credit_groups(site: &Site, lang: &str, strings: &UiStrings, number: PageNumber) -> Vec<CreditGroup> {
    let config = &site.config;
    let mut groups: Vec<CreditGroup> = Vec::new();
    for entry in site.credits.iter().skip(number.skip(config.paginate)).take(config.paginate) {
        let entry = match entry {
            CreditUse::Briefs { briefs, which } => {
                let newest = &site.briefs[briefs[0]];
                let image = match which {
                    CreditKey::Lead => newest.image.as_ref(),
                    CreditKey::Media(index) => newest.media.get(*index),
                };
                let Some(image) = image else { continue };
                let view = ImageView::new(image, &newest.permalink, (lang, config, strings), &site.images);
                CreditEntry { image: view, briefs: briefs.iter().map(|&index| BriefLink::new(site, index)).collect() }
            }
            CreditUse::AuthorPhoto(index) => {
                let profile = &site.registry.profiles()[*index];
                let Some(photo) = &profile.photo else { continue };
                let page = Taxonomy::Authors.first_page(&profile.slug);
                let view = ImageView::new(photo, &page, (lang, config, strings), &site.images);
                let link =
                    BriefLink { title: profile.name.clone(), url: config.url_path(&page), lang: lang.to_string() };
                CreditEntry { image: view, briefs: vec![link] }
            }
        };
        let id = entry.image.license.as_ref().map(|l| l.id.clone());
        match groups.last_mut() {
            Some(group) if group.license.as_ref().map(|l| l.id.clone()) == id => group.entries.push(entry),
            _ => groups.push(CreditGroup { license: entry.image.license.clone(), entries: vec![entry] }),
        }
    }
    groups
}

/// A correction as the corrections page lists it, with its brief.
#[derive(Serialize)]
pub(super) struct CorrectionEntry {
    /// The notice on the brief's page.
    url: String,
    kind: &'static str,
    label: String,
    date: DateView,
    text: String,
    brief: BriefLink,
}

/// Page `number` of the corrections of the site (`None`) or of a language.
pub(super) fn correction_entries(
    site: &Site,
    language: Option<usize>,
    strings: &UiStrings,
    number: PageNumber,
) -> Vec<CorrectionEntry> {
    let config = &site.config;
    site.corrections_of(language)
        .iter()
        .skip(number.skip(config.paginate))
        .take(config.paginate)
        .map(|&at| {
            let brief = &site.briefs[at.brief];
            let correction = &brief.corrections[at.correction];
            CorrectionEntry {
                url: format!("{}#{}", config.url_path(&brief.permalink), at.anchor()),
                kind: correction.kind.name(),
                label: correction_label(correction.kind, strings).to_string(),
                date: DateView::new(&correction.date, strings),
                text: correction.text.clone(),
                brief: BriefLink::new(site, at.brief),
            }
        })
        .collect()
}

/// A year or month of the archives, as a link.
#[derive(Serialize)]
pub(super) struct PeriodLink {
    /// "2022", "March 2022".
    label: String,
    url: String,
    count: usize,
    count_label: String,
    /// A year's months, newest first; empty for a month.
    months: Vec<PeriodLink>,
}

impl PeriodLink {
    fn year(site: &Site, folder: &str, year: &ArchiveYear, strings: &UiStrings) -> PeriodLink {
        let months = year
            .months
            .iter()
            .map(|month| {
                let period = Period { year: year.year, month: Some(month.month) };
                PeriodLink {
                    label: strings.format_month(year.year, month.month),
                    url: site.config.url_path(&period.path(folder)),
                    count: month.briefs.len(),
                    count_label: count_label(strings, month.briefs.len()),
                    months: Vec::new(),
                }
            })
            .collect();
        PeriodLink {
            label: year.year.to_string(),
            url: site.config.url_path(&Period { year: year.year, month: None }.path(folder)),
            count: year.count(),
            count_label: count_label(strings, year.count()),
            months,
        }
    }
}

/// Every year of the archive of the site (`None`) or of a language, with its months.
pub(super) fn archive_years(site: &Site, language: Option<usize>, strings: &UiStrings) -> Vec<PeriodLink> {
    let folder = site.language_folder(language);
    site.archive_of(language).years.iter().map(|year| PeriodLink::year(site, &folder, year, strings)).collect()
}

/// A brief as an archive's month lists it: a line, not a card.
#[derive(Serialize)]
pub(super) struct ArchiveEntry {
    title: String,
    url: String,
    lang: String,
    date: DateView,
    kind: WorkTypeView,
}

/// What an archive page holds: for a year, its months; for a month, its briefs.
pub(super) fn insert_archive(
    context: &mut Context,
    site: &Site,
    language: Option<usize>,
    period: Period,
    strings: &UiStrings,
) {
    let folder = site.language_folder(language);
    let archive = site.archive_of(language);
    context.insert("archives_url", &site.config.url_path(&format!("{folder}archives/")));
    match period.month {
        None => {
            let year = archive.year(period.year);
            let link = year.map(|year| PeriodLink::year(site, &folder, year, strings));
            context.insert("heading", &strings.fill("archive_heading", &[("period", &period.year.to_string())]));
            context.insert("months", &link.map(|l| l.months).unwrap_or_default());
        }
        Some(month) => {
            let entries: Vec<ArchiveEntry> = archive
                .month(period.year, month)
                .iter()
                .map(|&index| {
                    let brief = &site.briefs[index];
                    ArchiveEntry {
                        title: brief.title.clone(),
                        url: site.config.url_path(&brief.permalink),
                        lang: brief.lang.clone(),
                        date: DateView::new(&brief.date, strings),
                        kind: WorkTypeView::new(brief.kind, strings),
                    }
                })
                .collect();
            let label = strings.format_month(period.year, month);
            context.insert("heading", &strings.fill("archive_heading", &[("period", &label)]));
            context.insert("year_url", &site.config.url_path(&Period { month: None, ..period }.path(&folder)));
            context.insert("year", &period.year.to_string());
            context.insert("entries", &entries);
        }
    }
}
