//! Every page of the site, where it is written, and what its template is given.

use serde::Serialize;
use tera::Context;

use super::site::Site;
use crate::diagnostic::Diagnostic;
use crate::render::views::{BriefView, PagerView, SiteView, TagLink};
use crate::render::{Renderer, UiStrings};

/// One page to render. Listing pages are numbered from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Brief(usize),
    Home(usize),
    Tag { tag: usize, page: usize },
    TagsIndex,
    NotFound,
    Sitemap,
    Robots,
}

pub fn all_pages(site: &Site) -> Vec<Page> {
    let mut pages: Vec<Page> = (0..site.briefs.len()).map(Page::Brief).collect();
    pages.extend((1..=site.page_count(site.briefs.len())).map(Page::Home));
    for (index, tag) in site.tags.iter().enumerate() {
        pages.extend(
            (1..=site.page_count(tag.briefs.len())).map(|page| Page::Tag { tag: index, page }),
        );
    }
    pages.extend([Page::TagsIndex, Page::NotFound, Page::Sitemap, Page::Robots]);
    pages
}

/// The site path of a page (`/2022/03/flag/`, `/tags/ukraine/page/2/`, `/404.html`).
pub fn site_path(site: &Site, page: Page) -> String {
    match page {
        Page::Brief(index) => site.briefs[index].permalink.clone(),
        Page::Home(number) => Site::list_page_path("/", number),
        Page::Tag { tag, page } => {
            Site::list_page_path(&format!("/tags/{}/", site.tags[tag].slug), page)
        }
        Page::TagsIndex => "/tags/".into(),
        Page::NotFound => "/404.html".into(),
        Page::Sitemap => "/sitemap.xml".into(),
        Page::Robots => "/robots.txt".into(),
    }
}

/// The file a page is written to, relative to the output folder.
pub fn output_file(site: &Site, page: Page) -> String {
    let path = site_path(site, page);
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.ends_with('/') {
        format!("{relative}index.html")
    } else {
        relative.to_string()
    }
}

fn template(page: Page) -> &'static str {
    match page {
        Page::Brief(_) => "brief.html",
        Page::Home(_) => "index.html",
        Page::Tag { .. } => "tag.html",
        Page::TagsIndex => "tags.html",
        Page::NotFound => "404.html",
        Page::Sitemap => "sitemap.xml",
        Page::Robots => "robots.txt",
    }
}

pub fn render(site: &Site, renderer: &Renderer, page: Page) -> Result<String, Diagnostic> {
    let config = &site.config;
    let lang = match page {
        Page::Brief(index) => site.briefs[index].lang.as_str(),
        _ => config.language.as_str(),
    };
    let strings = renderer.translations.for_language(lang);
    let path = site_path(site, page);
    let mut context = Context::new();
    context.insert("site", &SiteView::new(config, lang));
    context.insert("lang", lang);
    context.insert("t", strings);
    context.insert("page_url", &config.url_path(&path));
    context.insert("canonical_url", &config.absolute_url(&path));

    match page {
        Page::Brief(index) => {
            let brief = BriefView::new(&site.briefs[index], config, strings);
            if let Some(license) = brief.image.as_ref().and_then(|i| i.license.as_ref()) {
                context.insert("image_license", license);
            }
            context.insert("brief", &brief);
        }
        Page::Home(number) => {
            let all: Vec<usize> = (0..site.briefs.len()).collect();
            insert_list(&mut context, site, strings, &all, "/", number);
            context.insert("heading", &config.title);
        }
        Page::Tag { tag, page: number } => {
            let tag = &site.tags[tag];
            insert_list(
                &mut context,
                site,
                strings,
                &tag.briefs,
                &format!("/tags/{}/", tag.slug),
                number,
            );
            context.insert("tag", &TagLink::new(&tag.name, config));
            context.insert(
                "heading",
                &strings.fill("tag_heading", &[("tag", &tag.name)]),
            );
        }
        Page::TagsIndex => {
            let tags: Vec<TagSummary> = site
                .tags
                .iter()
                .map(|tag| TagSummary {
                    link: TagLink::new(&tag.name, config),
                    count: tag.briefs.len(),
                    count_label: count_label(strings, tag.briefs.len()),
                })
                .collect();
            context.insert("tags", &tags);
        }
        Page::NotFound | Page::Robots => {}
        Page::Sitemap => context.insert("entries", &sitemap_entries(site)),
    }
    renderer.render(template(page), &context)
}

#[derive(Serialize)]
struct TagSummary {
    #[serde(flatten)]
    link: TagLink,
    count: usize,
    count_label: String,
}

fn count_label(strings: &UiStrings, count: usize) -> String {
    let key = if count == 1 {
        "brief_count_one"
    } else {
        "brief_count_many"
    };
    strings.fill(key, &[("count", &count.to_string())])
}

fn insert_list(
    context: &mut Context,
    site: &Site,
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
        .map(|&i| BriefView::new(&site.briefs[i], config, strings))
        .collect();
    let url = |page: usize| config.url_path(&Site::list_page_path(first, page));
    let pager = PagerView {
        current: number,
        total,
        previous_url: (number > 1).then(|| url(number - 1)),
        next_url: (number < total).then(|| url(number + 1)),
        label: strings.fill(
            "page_of",
            &[
                ("current", &number.to_string()),
                ("total", &total.to_string()),
            ],
        ),
    };
    context.insert("briefs", &items);
    context.insert("pager", &pager);
}

#[derive(Serialize)]
struct SitemapEntry {
    loc: String,
    lastmod: Option<String>,
}

fn sitemap_entries(site: &Site) -> Vec<SitemapEntry> {
    let newest = site
        .briefs
        .first()
        .map(|b| b.updated.unwrap_or(b.date).iso());
    all_pages(site)
        .into_iter()
        .filter(|page| !matches!(page, Page::NotFound | Page::Sitemap | Page::Robots))
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
