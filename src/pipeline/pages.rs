//! Every page of the site, where it is written, and what its template is given.

use serde::Serialize;
use tera::Context;

use super::archive::Period;
use super::feeds::{self, FeedFormat, FeedScope};
use super::lists::{self, GroupSummary, ListEnv, count_label, credit_groups, pager};
use super::shared::Shared;
use super::site::{PageNumber, Site};
use crate::content::Taxonomy;
use crate::diagnostic::Diagnostic;
use crate::render::views::{BriefView, GroupLink, ProfileView};
use crate::render::{Renderer, body, json_ld};

/// One page to render. Listing pages are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The page of `site.briefs[index]`.
    Brief(usize),
    Home(PageNumber),
    /// Page `page` of the briefs in `config.languages[language]`.
    LanguageHome {
        language: usize,
        page: PageNumber,
    },
    Feed {
        scope: FeedScope,
        format: FeedFormat,
    },
    /// Page `page` of the briefs of group `group` (a tag or an outlet).
    Group {
        taxonomy: Taxonomy,
        group: usize,
        page: PageNumber,
    },
    /// The list of all tags, or of all cited outlets.
    Index(Taxonomy),
    /// Page `number` of the images and their credits.
    Credits(PageNumber),
    /// Page `page` of the corrections of every brief (`None`), or of the briefs in a
    /// language of `config.languages`, newest first.
    Corrections {
        language: Option<usize>,
        page: PageNumber,
    },
    /// The briefs of a year (its months) or of a month (every brief), of the site or of
    /// a language.
    Archive {
        language: Option<usize>,
        period: Period,
    },
    /// Every year and month of the archives of the site or of a language.
    ArchiveIndex(Option<usize>),
    NotFound,
    /// The search page of the site or of a language (with `search` on): its language
    /// chooses the index searched.
    Search(Option<usize>),
    /// The sitemap (`None`, when every address fits in one file), or a part of a sitemap
    /// split under an index.
    Sitemap(Option<PageNumber>),
    /// The list of a split sitemap's parts, at /sitemap.xml.
    SitemapIndex,
    /// Google's news sitemap: the briefs of the last two days.
    NewsSitemap,
    Robots,
}

/// The most addresses one sitemap file may hold (sitemaps.org); a site with more gets a
/// sitemap index at /sitemap.xml and parts /sitemap-1.xml, /sitemap-2.xml…
pub const SITEMAP_LIMIT: usize = 50_000;

/// Whether a page is listed in the sitemap: every page a reader may land on.
fn in_sitemap(page: &Page) -> bool {
    !matches!(
        page,
        Page::NotFound
            | Page::Search(_)
            | Page::Sitemap(_)
            | Page::SitemapIndex
            | Page::NewsSitemap
            | Page::Robots
            | Page::Feed { .. }
    )
}

/// The site as a whole (`None`), then each of `config.languages`: the scopes of the
/// corrections and the archives.
fn language_scopes(site: &Site) -> impl Iterator<Item = Option<usize>> + use<> {
    std::iter::once(None).chain((0..site.config.languages.len()).map(Some))
}

pub fn all_pages(site: &Site) -> Vec<Page> {
    let mut pages: Vec<Page> = (0..site.briefs.len()).map(Page::Brief).collect();
    pages.extend(site.pages_of(site.briefs.len()).map(Page::Home));
    for language in 0..site.config.languages.len() {
        pages.extend(site.pages_of(site.by_language[language].len()).map(|page| Page::LanguageHome { language, page }));
    }
    let scopes = std::iter::once(FeedScope::Site)
        .chain((0..site.tags.len()).map(FeedScope::Tag))
        .chain((0..site.authors.len()).map(FeedScope::Author))
        .chain((0..site.config.languages.len()).map(FeedScope::Language))
        .chain(language_scopes(site).map(FeedScope::Corrections));
    for scope in scopes {
        pages.extend(FeedFormat::ALL.map(|format| Page::Feed { scope, format }));
    }
    for taxonomy in [Taxonomy::Tags, Taxonomy::Outlets, Taxonomy::Authors] {
        for (group, entry) in site.groups(taxonomy).iter().enumerate() {
            pages.extend(site.pages_of(entry.briefs.len()).map(|page| Page::Group { taxonomy, group, page }));
        }
        pages.push(Page::Index(taxonomy));
    }
    pages.extend(site.pages_of(site.credits.len()).map(Page::Credits));
    for language in language_scopes(site) {
        let corrections = site.corrections_of(language).len();
        pages.extend(site.pages_of(corrections).map(|page| Page::Corrections { language, page }));
        pages.push(Page::ArchiveIndex(language));
        pages.extend(site.archive_of(language).periods().map(|period| Page::Archive { language, period }));
    }
    let listed = pages.iter().filter(|page| in_sitemap(page)).count();
    pages.extend(sitemap_pages(listed, SITEMAP_LIMIT));
    pages.extend([Page::NewsSitemap, Page::NotFound, Page::Robots]);
    if site.config.search {
        pages.extend(language_scopes(site).map(Page::Search));
    }
    pages
}

/// The sitemap files for `listed` addresses, at most `limit` in each.
fn sitemap_pages(listed: usize, limit: usize) -> Vec<Page> {
    if listed <= limit {
        vec![Page::Sitemap(None)]
    } else {
        let parts = PageNumber::up_to(listed.div_ceil(limit)).map(|part| Page::Sitemap(Some(part)));
        std::iter::once(Page::SitemapIndex).chain(parts).collect()
    }
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
        Page::Credits(number) => Site::list_page_path("/credits/", number),
        Page::Corrections { language, page } => {
            Site::list_page_path(&feeds::scope_path(site, FeedScope::Corrections(language)), page)
        }
        Page::Archive { language, period } => period.path(&site.language_folder(language)),
        Page::ArchiveIndex(language) => format!("{}archives/", site.language_folder(language)),
        Page::NotFound => "/404.html".into(),
        Page::Search(language) => format!("{}search/", site.language_folder(language)),
        Page::Sitemap(None) | Page::SitemapIndex => "/sitemap.xml".into(),
        Page::Sitemap(Some(part)) => format!("/sitemap-{part}.xml"),
        Page::NewsSitemap => "/news-sitemap.xml".into(),
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
        Page::Group { taxonomy: Taxonomy::Outlets, .. } => "source.html",
        Page::Group { taxonomy: Taxonomy::Authors, .. } => "author.html",
        Page::Index(Taxonomy::Tags) => "tags.html",
        Page::Index(Taxonomy::Outlets) => "sources.html",
        Page::Index(Taxonomy::Authors) => "authors.html",
        Page::Credits(_) => "credits.html",
        Page::Corrections { .. } => "corrections.html",
        Page::Archive { period: Period { month: None, .. }, .. } => "archive_year.html",
        Page::Archive { period: Period { month: Some(_), .. }, .. } => "archive_month.html",
        Page::ArchiveIndex(_) => "archives.html",
        Page::NotFound => "404.html",
        Page::Search(_) => "search.html",
        Page::Sitemap(_) => "sitemap.xml",
        Page::SitemapIndex => "sitemap_index.xml",
        Page::NewsSitemap => "news_sitemap.xml",
        Page::Robots => "robots.txt",
    }
}

/// A shard of the search index, as the search page loads it.
#[derive(Serialize)]
struct SearchShard<'a> {
    url: &'a str,
    /// The language its records are indexed as.
    language: &'a str,
}

/// Renders one page. `shared` holds what pages of the same render have in common.
pub fn render(site: &Site, renderer: &Renderer, shared: &Shared, page: Page) -> Result<String, Diagnostic> {
    let config = &site.config;
    if let Page::Feed { scope, format } = page {
        return feeds::render(site, renderer, shared, scope, format);
    }
    let lang = match page {
        Page::Brief(index) => site.briefs[index].lang.as_str(),
        Page::LanguageHome { language, .. } => config.languages[language].as_str(),
        Page::Corrections { language, .. }
        | Page::Archive { language, .. }
        | Page::ArchiveIndex(language)
        | Page::Search(language) => site.language_of(language),
        _ => config.language.as_str(),
    };
    let strings = renderer.ui_strings.for_language(lang);
    let path = site_path(site, page);
    let (site_view, site_value) = shared.site_view(site, renderer, lang);
    let mut context = Context::new();
    context.insert("lang", lang);
    context.insert("og_locale", &og_locale(lang));
    context.insert_value("t", strings.value());
    context.insert("page_url", &config.url_path(&path));
    context.insert("canonical_url", &config.absolute_url(&path));
    // The feeds of the page's own list, linked besides the site's.
    let mut list_feed_links = Vec::new();
    let list = ListEnv { site, renderer, shared, lang, strings };

    match page {
        Page::Brief(index) => {
            let mut brief = BriefView::new(&site.briefs[index], config, (lang, strings), &site.images)?;
            let page = (config, lang, strings);
            let shown = body::ImagesShown::Pictures(&site.images);
            brief.body = body::fill_credits(brief.body, &site.briefs[index], renderer, page, shown)?;
            brief.scheduled = site.is_scheduled(index);
            if let Some(license) = brief.image.as_ref().and_then(|i| i.license.as_ref()) {
                context.insert("image_license", license);
            }
            context.insert("json_ld", &json_ld::news_article(&brief, &site_view, &site.registry));
            let translations: Vec<TranslationLink> = site.translations[index]
                .iter()
                .map(|&other| {
                    let other = &site.briefs[other];
                    TranslationLink {
                        lang: other.lang.clone(),
                        url: config.url_path(&other.permalink),
                        absolute_url: config.absolute_url(&other.permalink),
                        title: other.title.clone(),
                        label: renderer.ui_strings.for_language(&other.lang).get("read_in_language").to_string(),
                    }
                })
                .collect();
            context.insert("translations", &translations);
            context.insert("brief", &brief);
        }
        Page::Home(number) => {
            list.insert(&mut context, &site.everything, ("/", number))?;
            context.insert("heading", &config.title);
        }
        Page::LanguageHome { language, page: number } => {
            let scope = FeedScope::Language(language);
            let briefs = feeds::scope_briefs(site, scope);
            list.insert(&mut context, briefs, (&feeds::scope_path(site, scope), number))?;
            context.insert("heading", &config.title);
            list_feed_links = feeds::links(site, scope, &format!("{} ({lang})", config.title));
        }
        Page::Group { taxonomy, group, page: number } => {
            let entry = &site.groups(taxonomy)[group];
            let first = taxonomy.first_page(&entry.slug);
            list.insert(&mut context, &entry.briefs, (&first, number))?;
            let (key, heading) = match taxonomy {
                Taxonomy::Tags => ("tag", "tag_heading"),
                Taxonomy::Outlets => ("source", "source_heading"),
                Taxonomy::Authors => ("author", "author_heading"),
            };
            context.insert(key, &GroupLink::new(&entry.name, taxonomy, config));
            context.insert("heading", &strings.fill(heading, &[(key, &entry.name)]));
            let feed_title = format!("{} – {}", config.title, entry.name);
            match taxonomy {
                Taxonomy::Tags => list_feed_links = feeds::links(site, FeedScope::Tag(group), &feed_title),
                Taxonomy::Authors => {
                    let profile = site.registry.by_slug(&entry.slug);
                    let view = ProfileView::new(&entry.name, profile, &first, (config, lang, strings));
                    context.insert("json_ld", &json_ld::profile_page(&view));
                    context.insert("profile", &view);
                    list_feed_links = feeds::links(site, FeedScope::Author(group), &feed_title);
                }
                Taxonomy::Outlets => {}
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
            let key = match taxonomy {
                Taxonomy::Tags => "tags",
                Taxonomy::Outlets => "outlets",
                Taxonomy::Authors => "authors",
            };
            context.insert(key, &groups);
        }
        Page::Credits(number) => {
            context.insert("groups", &credit_groups(site, lang, strings, number));
            let labels = ("previous_page", "next_page");
            context.insert("pager", &pager(site, strings, site.credits.len(), ("/credits/", number), labels));
        }
        Page::Corrections { language, page: number } => {
            let scope = FeedScope::Corrections(language);
            let first = feeds::scope_path(site, scope);
            context.insert("corrections", &lists::correction_entries(site, language, strings, number));
            let count = site.corrections_of(language).len();
            context.insert(
                "pager",
                &pager(site, strings, count, (&first, number), ("newer_corrections", "older_corrections")),
            );
            context.insert("archives_url", &config.url_path(&format!("{}archives/", site.language_folder(language))));
            list_feed_links =
                feeds::links(site, scope, &format!("{} – {}", config.title, strings.get("corrections_heading")));
        }
        Page::Archive { language, period } => lists::insert_archive(&mut context, site, language, period, strings),
        Page::ArchiveIndex(language) => context.insert("years", &lists::archive_years(site, language, strings)),
        Page::Search(language) => {
            // The first is opened, the others merged into it.
            let shards: Vec<SearchShard> = site
                .search
                .shards_searched(lang, language.is_none())
                .into_iter()
                .map(|(language, url)| SearchShard { url, language })
                .collect();
            context.insert("search_shards", &shards);
        }
        Page::NotFound | Page::Robots | Page::Feed { .. } => {}
        Page::Sitemap(part) => context.insert("entries", &sitemap_entries(site, part)),
        Page::SitemapIndex => context.insert("sitemaps", &sitemap_parts(site)),
        Page::NewsSitemap => context.insert("entries", &news_entries(site)),
    }
    context.insert_value("site", site_value);
    if list_feed_links.is_empty() {
        context.insert_value("feeds", shared.site_feed_links());
    } else {
        let mut feed_links = feeds::site_links(site);
        feed_links.extend(list_feed_links);
        context.insert("feeds", &feed_links);
    }
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

/// The parts of a split sitemap, for the index.
fn sitemap_parts(site: &Site) -> Vec<SitemapEntry> {
    let newest = site.briefs.first().map(|b| b.modified().unwrap_or(b.date).iso());
    all_pages(site)
        .into_iter()
        .filter_map(|page| match page {
            Page::Sitemap(Some(_)) => {
                Some(SitemapEntry { loc: site.config.absolute_url(&site_path(site, page)), lastmod: newest.clone() })
            }
            _ => None,
        })
        .collect()
}

/// The most briefs a news sitemap may list, and how far back it goes (Google's rules).
pub const NEWS_SITEMAP_LIMIT: usize = 1_000;
pub const NEWS_WINDOW: chrono::TimeDelta = chrono::TimeDelta::days(2);

/// The briefs of the news sitemap, newest first: published in the two days before the
/// moment the site is built as of, a thousand at most.
pub fn news_briefs(site: &Site) -> impl Iterator<Item = usize> + '_ {
    let since = site.now - NEWS_WINDOW;
    site.everything
        .iter()
        .copied()
        .filter(move |&index| {
            let date = site.briefs[index].date.datetime;
            date >= since && date <= site.now
        })
        .take(NEWS_SITEMAP_LIMIT)
}

#[derive(Serialize)]
struct NewsEntry {
    loc: String,
    publication: String,
    language: String,
    publication_date: String,
    title: String,
}

fn news_entries(site: &Site) -> Vec<NewsEntry> {
    let publication = site.config.publisher_name().to_string();
    news_briefs(site)
        .map(|index| {
            let brief = &site.briefs[index];
            // Google wants a bare ISO 639 code, but for Chinese, whose script it keeps.
            let lang = brief.lang.to_lowercase();
            let language = match lang.as_str() {
                "zh-cn" | "zh-hans" | "zh-hans-cn" => "zh-cn".to_string(),
                "zh-tw" | "zh-hant" | "zh-hant-tw" => "zh-tw".to_string(),
                other => other.split('-').next().unwrap_or(other).to_string(),
            };
            NewsEntry {
                loc: site.config.absolute_url(&brief.permalink),
                publication: publication.clone(),
                language,
                publication_date: brief.date.iso(),
                // A title's control characters (a YAML escape can put them there) would
                // make the XML ill-formed.
                title: brief.title.replace(crate::site_files::is_forbidden, " "),
            }
        })
        .collect()
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

/// The addresses of sitemap `part` (all of them for the one sitemap of a site that needs
/// no parts).
fn sitemap_entries(site: &Site, part: Option<PageNumber>) -> Vec<SitemapEntry> {
    sitemap_entries_of(site, part, SITEMAP_LIMIT)
}

fn sitemap_entries_of(site: &Site, part: Option<PageNumber>, limit: usize) -> Vec<SitemapEntry> {
    let newest = site.briefs.first().map(|b| b.modified().unwrap_or(b.date).iso());
    let (skip, take) = part.map_or((0, usize::MAX), |part| (part.skip(limit), limit));
    all_pages(site)
        .into_iter()
        .filter(in_sitemap)
        .skip(skip)
        .take(take)
        .map(|page| SitemapEntry {
            loc: site.config.absolute_url(&site_path(site, page)),
            lastmod: match page {
                Page::Brief(index) => {
                    let brief = &site.briefs[index];
                    Some(brief.modified().unwrap_or(brief.date).iso())
                }
                Page::Home(PageNumber::FIRST) => newest.clone(),
                _ => None,
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sitemap_too_long_for_one_file_is_split_under_an_index() {
        let part = |n: usize| Page::Sitemap(PageNumber::up_to(n).last());
        assert_eq!(sitemap_pages(3, 3), vec![Page::Sitemap(None)]);
        assert_eq!(sitemap_pages(7, 3), vec![Page::SitemapIndex, part(1), part(2), part(3)]);
        let config = crate::config::parse("title = \"T\"\n", std::path::Path::new("depeche.toml")).unwrap().0;
        let site = Site::new(config, Default::default(), Vec::new(), chrono::Utc::now().fixed_offset());
        let all: Vec<String> = sitemap_entries_of(&site, None, 2).into_iter().map(|e| e.loc).collect();
        assert!(all.len() > 2, "{all:?}");
        let parts: Vec<String> = PageNumber::up_to(all.len().div_ceil(2))
            .flat_map(|part| sitemap_entries_of(&site, Some(part), 2))
            .map(|e| e.loc)
            .collect();
        assert_eq!(parts, all, "the parts hold every address once, in order");
        assert_eq!(site_path(&site, part(2)), "/sitemap-2.xml");
        assert_eq!(site_path(&site, Page::SitemapIndex), "/sitemap.xml");
    }
}
