//! Every page of the site, where it is written, and what its template is given.

use serde::Serialize;
use tera::Context;

use super::feeds::{self, FeedFormat, FeedScope};
use super::site::{Site, Taxonomy};
use crate::diagnostic::Diagnostic;
use crate::license;
use crate::render::views::{BriefView, GroupLink, ImageView, LicenseView, PagerView, SiteView};
use crate::render::{Renderer, UiStrings, json_ld};

/// One page to render. Listing pages are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Brief(usize),
    Home(usize),
    /// Page `page` of the briefs in `config.languages[language]`.
    LanguageHome {
        language: usize,
        page: usize,
    },
    Feed {
        scope: FeedScope,
        format: FeedFormat,
    },
    /// Page `page` of the briefs of group `group` (a tag or an outlet).
    Group {
        taxonomy: Taxonomy,
        group: usize,
        page: usize,
    },
    /// The list of all tags, or of all cited outlets.
    Index(Taxonomy),
    Credits,
    NotFound,
    Sitemap,
    Robots,
}

pub fn all_pages(site: &Site) -> Vec<Page> {
    let mut pages: Vec<Page> = (0..site.briefs.len()).map(Page::Brief).collect();
    pages.extend((1..=site.page_count(site.briefs.len())).map(Page::Home));
    for language in 0..site.config.languages.len() {
        let count = site.page_count(site.by_language[language].len());
        pages.extend((1..=count).map(|page| Page::LanguageHome { language, page }));
    }
    let scopes = std::iter::once(FeedScope::Site)
        .chain((0..site.tags.len()).map(FeedScope::Tag))
        .chain((0..site.config.languages.len()).map(FeedScope::Language));
    for scope in scopes {
        pages.extend(FeedFormat::ALL.map(|format| Page::Feed { scope, format }));
    }
    for taxonomy in [Taxonomy::Tags, Taxonomy::Sources] {
        for (group, entry) in site.groups(taxonomy).iter().enumerate() {
            let count = site.page_count(entry.briefs.len());
            pages.extend((1..=count).map(|page| Page::Group { taxonomy, group, page }));
        }
        pages.push(Page::Index(taxonomy));
    }
    pages.extend([Page::Credits, Page::NotFound, Page::Sitemap, Page::Robots]);
    pages
}

/// The site path of a page (`/2022/03/flag/`, `/tags/ukraine/page/2/`, `/404.html`).
pub fn site_path(site: &Site, page: Page) -> String {
    match page {
        Page::Brief(index) => site.briefs[index].permalink.clone(),
        Page::Home(number) => Site::list_page_path("/", number),
        Page::LanguageHome { language, page } => {
            Site::list_page_path(&feeds::scope_path(site, FeedScope::Language(language)), page)
        }
        Page::Feed { scope, format } => format!("{}{}", feeds::scope_path(site, scope), format.file_name()),
        Page::Group { taxonomy, group, page } => {
            Site::list_page_path(&taxonomy.first_page(&site.groups(taxonomy)[group].slug), page)
        }
        Page::Index(taxonomy) => taxonomy.base().into(),
        Page::Credits => "/credits/".into(),
        Page::NotFound => "/404.html".into(),
        Page::Sitemap => "/sitemap.xml".into(),
        Page::Robots => "/robots.txt".into(),
    }
}

/// The file a page is written to, relative to the output folder.
pub fn output_file(site: &Site, page: Page) -> String {
    let path = site_path(site, page);
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') { format!("{relative}index.html") } else { relative.to_string() }
}

fn template(page: Page) -> &'static str {
    match page {
        Page::Brief(_) => "brief.html",
        Page::Home(_) | Page::LanguageHome { .. } => "index.html",
        Page::Feed { .. } => "(feeds are built, not templated)",
        Page::Group { taxonomy: Taxonomy::Tags, .. } => "tag.html",
        Page::Group { taxonomy: Taxonomy::Sources, .. } => "source.html",
        Page::Index(Taxonomy::Tags) => "tags.html",
        Page::Index(Taxonomy::Sources) => "sources.html",
        Page::Credits => "credits.html",
        Page::NotFound => "404.html",
        Page::Sitemap => "sitemap.xml",
        Page::Robots => "robots.txt",
    }
}

/// Renders one page. `shared` holds what pages of the same render have in common.
pub fn render(site: &Site, renderer: &Renderer, shared: &feeds::Shared, page: Page) -> Result<String, Diagnostic> {
    let config = &site.config;
    if let Page::Feed { scope, format } = page {
        return feeds::render(site, renderer, shared, scope, format);
    }
    let lang = match page {
        Page::Brief(index) => site.briefs[index].lang.as_str(),
        Page::LanguageHome { language, .. } => config.languages[language].as_str(),
        _ => config.language.as_str(),
    };
    let strings = renderer.translations.for_language(lang);
    let path = site_path(site, page);
    let site_view = SiteView::new(config, lang);
    let mut context = Context::new();
    context.insert("lang", lang);
    context.insert("og_locale", &og_locale(lang));
    context.insert("t", strings);
    context.insert("page_url", &config.url_path(&path));
    context.insert("canonical_url", &config.absolute_url(&path));
    let mut feed_links = feeds::links(site, FeedScope::Site, &config.title);

    match page {
        Page::Brief(index) => {
            let brief = BriefView::new(&site.briefs[index], config, lang, strings)?;
            if let Some(license) = brief.image.as_ref().and_then(|i| i.license.as_ref()) {
                context.insert("image_license", license);
            }
            context.insert("json_ld", &json_ld::news_article(&brief, &site_view));
            let translations: Vec<TranslationLink> = site.translations[index]
                .iter()
                .map(|&other| {
                    let other = &site.briefs[other];
                    TranslationLink {
                        lang: other.lang.clone(),
                        url: config.url_path(&other.permalink),
                        absolute_url: config.absolute_url(&other.permalink),
                        title: other.title.clone(),
                        label: renderer.translations.for_language(&other.lang).get("read_in_language").to_string(),
                    }
                })
                .collect();
            context.insert("translations", &translations);
            context.insert("brief", &brief);
        }
        Page::Home(number) => {
            insert_list(&mut context, site, lang, strings, &site.everything, "/", number);
            context.insert("heading", &config.title);
        }
        Page::LanguageHome { language, page: number } => {
            let scope = FeedScope::Language(language);
            let briefs = feeds::scope_briefs(site, scope);
            insert_list(&mut context, site, lang, strings, briefs, &feeds::scope_path(site, scope), number);
            context.insert("heading", &config.title);
            feed_links.extend(feeds::links(site, scope, &format!("{} ({lang})", config.title)));
        }
        Page::Group { taxonomy, group, page: number } => {
            let entry = &site.groups(taxonomy)[group];
            insert_list(&mut context, site, lang, strings, &entry.briefs, &taxonomy.first_page(&entry.slug), number);
            let (key, heading) = match taxonomy {
                Taxonomy::Tags => ("tag", "tag_heading"),
                Taxonomy::Sources => ("source", "source_heading"),
            };
            context.insert(key, &GroupLink::new(&entry.name, taxonomy, config));
            context.insert("heading", &strings.fill(heading, &[(key, &entry.name)]));
            if taxonomy == Taxonomy::Tags {
                feed_links.extend(feeds::links(
                    site,
                    FeedScope::Tag(group),
                    &format!("{} – {}", config.title, entry.name),
                ));
            }
        }
        Page::Index(taxonomy) => {
            // Groups are sorted by slug, so accents do not push "Élections" after "Europe".
            let groups: Vec<GroupSummary> = site
                .groups(taxonomy)
                .iter()
                .map(|group| GroupSummary {
                    link: GroupLink::new(&group.name, taxonomy, config),
                    count: group.briefs.len(),
                    count_label: count_label(strings, group.briefs.len()),
                })
                .collect();
            context.insert(if taxonomy == Taxonomy::Tags { "tags" } else { "outlets" }, &groups);
        }
        Page::Credits => context.insert("groups", &credit_groups(site, lang, strings)),
        Page::NotFound | Page::Robots | Page::Feed { .. } => {}
        Page::Sitemap => context.insert("entries", &sitemap_entries(site)),
    }
    context.insert("site", &site_view);
    context.insert("feeds", &feed_links);
    renderer.render(template(page), &context)
}

/// The same brief in another language.
#[derive(Serialize)]
struct TranslationLink {
    lang: String,
    url: String,
    absolute_url: String,
    title: String,
    /// "Read this brief in English", in the language of the translation.
    label: String,
}

/// The OpenGraph locale of a language tag: `fr` → `fr_FR`, `fr-CA` → `fr_CA`.
fn og_locale(lang: &str) -> String {
    let mut parts = lang.split('-');
    let language = parts.next().unwrap_or("en").to_lowercase();
    match parts.find(|p| p.len() == 2) {
        Some(region) => format!("{language}_{}", region.to_uppercase()),
        None => match language.as_str() {
            "en" => "en_US".into(),
            "fr" => "fr_FR".into(),
            "de" => "de_DE".into(),
            "es" => "es_ES".into(),
            "it" => "it_IT".into(),
            "pt" => "pt_PT".into(),
            "nl" => "nl_NL".into(),
            "uk" => "uk_UA".into(),
            other => other.to_string(),
        },
    }
}

#[derive(Serialize)]
struct GroupSummary {
    #[serde(flatten)]
    link: GroupLink,
    count: usize,
    count_label: String,
}

fn count_label(strings: &UiStrings, count: usize) -> String {
    let key = if count == 1 { "brief_count_one" } else { "brief_count_many" };
    strings.fill(key, &[("count", &count.to_string())])
}

fn insert_list(
    context: &mut Context,
    site: &Site,
    lang: &str,
    strings: &UiStrings,
    briefs: &[usize],
    first: &str,
    number: usize,
) {
    let config = &site.config;
    let total = site.page_count(briefs.len());
    let start = (number - 1) * config.paginate;
    let items: Vec<BriefView> = briefs
        .iter()
        .skip(start)
        .take(config.paginate)
        .map(|&i| BriefView::card(&site.briefs[i], config, lang, strings))
        .collect();
    let url = |page: usize| config.url_path(&Site::list_page_path(first, page));
    let pager = PagerView {
        current: number,
        total,
        previous_url: (number > 1).then(|| url(number - 1)),
        next_url: (number < total).then(|| url(number + 1)),
        label: strings.fill("page_of", &[("current", &number.to_string()), ("total", &total.to_string())]),
    };
    context.insert("briefs", &items);
    context.insert("pager", &pager);
}

#[derive(Serialize)]
struct BriefLink {
    title: String,
    url: String,
    lang: String,
}

#[derive(Serialize)]
struct CreditEntry {
    image: ImageView,
    briefs: Vec<BriefLink>,
}

#[derive(Serialize)]
struct CreditGroup {
    /// `None` for images whose licence is not given.
    license: Option<LicenseView>,
    entries: Vec<CreditEntry>,
}

/// Every image of the site, once each, with the briefs that use it, grouped by licence in
/// the registry's order (images without licence last).
fn credit_groups(site: &Site, lang: &str, strings: &UiStrings) -> Vec<CreditGroup> {
    let config = &site.config;
    let mut entries: Vec<(Option<usize>, CreditEntry)> = Vec::new();
    for brief in &site.briefs {
        let Some(image) = &brief.image else { continue };
        let view = ImageView::new(image, &brief.permalink, lang, config, strings);
        let link =
            BriefLink { title: brief.title.clone(), url: config.url_path(&brief.permalink), lang: brief.lang.clone() };
        if let Some((_, entry)) = entries.iter_mut().find(|(_, e)| e.image.absolute_url == view.absolute_url) {
            entry.briefs.push(link);
            continue;
        }
        let order = image.license.and_then(|l| license::all().iter().position(|known| known.id == l.id));
        entries.push((order, CreditEntry { image: view, briefs: vec![link] }));
    }
    // Stable: within a licence, images keep the order of their newest brief.
    entries.sort_by_key(|(order, _)| order.unwrap_or(usize::MAX));
    let mut groups: Vec<CreditGroup> = Vec::new();
    for (_, entry) in entries {
        let id = entry.image.license.as_ref().map(|l| l.id.clone());
        match groups.last_mut() {
            Some(group) if group.license.as_ref().map(|l| l.id.clone()) == id => group.entries.push(entry),
            _ => groups.push(CreditGroup { license: entry.image.license.clone(), entries: vec![entry] }),
        }
    }
    groups
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    let newest = site.briefs.first().map(|b| b.updated.unwrap_or(b.date).iso());
    all_pages(site)
        .into_iter()
        .filter(|page| !matches!(page, Page::NotFound | Page::Sitemap | Page::Robots | Page::Feed { .. }))
        .map(|page| SitemapEntry {
            loc: site.config.absolute_url(&site_path(site, page)),
            lastmod: match page {
                Page::Brief(index) => {
                    let brief = &site.briefs[index];
                    Some(brief.updated.unwrap_or(brief.date).iso())
                }
                Page::Home(1) => newest.clone(),
                _ => None,
            },
        })
        .collect()
}
