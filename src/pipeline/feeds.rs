//! Atom, RSS 2.0 and JSON Feed 1.1 for the whole site, each tag and each language, built
//! with the atom_syndication and rss crates and serde (never with string templates). Each
//! entry carries the summary and the full content, with the sources and the image credit
//! (rendered by the theme's `feed_entry.html`).

use serde::Serialize;

use super::shared::Shared;
use super::site::Site;
use crate::content::Taxonomy;
use crate::content::{Brief, WorkType};
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use crate::render::views::work_type_label;

/// The newest briefs a feed carries.
pub const FEED_LENGTH: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    Atom,
    Rss,
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Atom, FeedFormat::Rss, FeedFormat::Json];

    pub fn file_name(self) -> &'static str {
        match self {
            FeedFormat::Atom => "atom.xml",
            FeedFormat::Rss => "rss.xml",
            FeedFormat::Json => "feed.json",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedFormat::Atom => "Atom",
            FeedFormat::Rss => "RSS",
            FeedFormat::Json => "JSON Feed",
        }
    }
}

/// Which briefs a feed holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedScope {
    Site,
    Tag(usize),
    /// An index into `config.languages`.
    Language(usize),
}

/// The folder of a feed scope: `/`, `/tags/ukraine/`, `/fr/`.
pub fn scope_path(site: &Site, scope: FeedScope) -> String {
    match scope {
        FeedScope::Site => "/".into(),
        FeedScope::Tag(tag) => Taxonomy::Tags.first_page(&site.tags[tag].slug),
        FeedScope::Language(index) => format!("/{}/", site.config.languages[index]),
    }
}

/// The briefs of a scope, newest first (indexes into `site.briefs`).
pub fn scope_briefs(site: &Site, scope: FeedScope) -> &[usize] {
    match scope {
        FeedScope::Site => &site.everything,
        FeedScope::Tag(tag) => &site.tags[tag].briefs,
        FeedScope::Language(index) => &site.by_language[index],
    }
}

/// A link to a feed, for discovery `<link>`s in page heads.
#[derive(Debug, Clone, Serialize)]
pub struct FeedLink {
    pub url: String,
    pub media_type: &'static str,
    pub title: String,
}

/// The site's own feeds, which every page links to.
pub fn site_links(site: &Site) -> Vec<FeedLink> {
    links(site, FeedScope::Site, &site.config.title)
}

pub fn links(site: &Site, scope: FeedScope, title: &str) -> Vec<FeedLink> {
    let folder = scope_path(site, scope);
    FeedFormat::ALL
        .iter()
        .map(|format| FeedLink {
            url: site.config.url_path(&format!("{folder}{}", format.file_name())),
            media_type: format.media_type(),
            title: format!("{title} ({})", format.label()),
        })
        .collect()
}

/// One brief in a feed. Its HTML (`content`) is rendered once per render
/// ([`Shared::feed_entry`]) for the Atom, RSS and JSON feeds of every scope that holds it.
struct Entry<'a> {
    brief: &'a Brief,
    url: String,
    content: &'a str,
    /// The title as feeds show it: a sponsored brief says so first.
    title: String,
    /// The type of work's label, in the brief's language, for every type but news.
    kind: Option<&'a str>,
}

fn feed_title(site: &Site, scope: FeedScope) -> String {
    match scope {
        FeedScope::Site => site.config.title.clone(),
        FeedScope::Tag(tag) => format!("{} – {}", site.config.title, site.tags[tag].name),
        FeedScope::Language(index) => format!("{} ({})", site.config.title, site.config.languages[index]),
    }
}

/// Renders one feed.
pub fn render(
    site: &Site,
    renderer: &Renderer,
    shared: &Shared,
    scope: FeedScope,
    format: FeedFormat,
) -> Result<String, Diagnostic> {
    let config = &site.config;
    let mut entries = Vec::new();
    for &index in scope_briefs(site, scope).iter().take(FEED_LENGTH) {
        let brief = &site.briefs[index];
        let content = shared.feed_entry(site, renderer, index)?;
        let label = work_type_label(brief.kind, renderer.ui_strings.for_language(&brief.lang));
        let title = match brief.kind {
            WorkType::Sponsored => format!("{label}: {}", brief.title),
            _ => brief.title.clone(),
        };
        let kind = (brief.kind != WorkType::News).then_some(label);
        entries.push(Entry { brief, url: config.absolute_url(&brief.permalink), content, title, kind });
    }
    let folder = scope_path(site, scope);
    let feed_url = config.absolute_url(&format!("{folder}{}", format.file_name()));
    let home_url = config.absolute_url(&folder);
    let title = feed_title(site, scope);
    let lang = match scope {
        FeedScope::Language(index) => config.languages[index].clone(),
        _ => config.language.clone(),
    };
    Ok(match format {
        FeedFormat::Atom => atom(site, &entries, &title, &feed_url, &home_url, &lang),
        FeedFormat::Rss => rss(site, &entries, &title, &feed_url, &home_url, &lang),
        FeedFormat::Json => json(&entries, &title, &feed_url, &home_url, &lang),
    })
}

fn updated(brief: &Brief) -> chrono::DateTime<chrono::FixedOffset> {
    brief.modified().unwrap_or(brief.date).datetime
}

fn atom(site: &Site, entries: &[Entry], title: &str, feed_url: &str, home_url: &str, lang: &str) -> String {
    use atom_syndication::{Category, Content, Entry as AtomEntry, Feed, Link, Person, Text};
    let link = |href: &str, rel: &str, media: Option<&str>| Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: media.map(String::from),
        ..Link::default()
    };
    let publisher = Person { name: site.config.publisher_name().to_string(), ..Person::default() };
    let mut feed = Feed {
        title: Text::plain(title),
        id: feed_url.to_string(),
        updated: entries.first().map_or_else(|| chrono::DateTime::UNIX_EPOCH.fixed_offset(), |e| updated(e.brief)),
        links: vec![
            link(feed_url, "self", Some("application/atom+xml")),
            link(home_url, "alternate", Some("text/html")),
        ],
        authors: vec![publisher.clone()],
        lang: Some(lang.to_string()),
        ..Feed::default()
    };
    if let Some(license) = site.config.license {
        feed.rights = Some(Text::plain(format!("{} ({})", license.short_name, license.deed_url)));
    }
    feed.entries = entries
        .iter()
        .map(|entry| {
            let brief = entry.brief;
            let authors = if brief.authors.is_empty() {
                vec![publisher.clone()]
            } else {
                brief.authors.iter().map(|name| Person { name: name.clone(), ..Person::default() }).collect()
            };
            AtomEntry {
                title: Text::plain(entry.title.clone()),
                id: entry.url.clone(),
                updated: updated(brief),
                published: Some(brief.date.datetime),
                authors,
                links: vec![link(&entry.url, "alternate", Some("text/html"))],
                summary: Some(Text::plain(brief.summary.clone())),
                content: Some(Content {
                    value: Some(entry.content.to_string()),
                    content_type: Some("html".into()),
                    lang: Some(brief.lang.clone()),
                    ..Content::default()
                }),
                categories: entry
                    .kind
                    .map(|kind| Category {
                        term: brief.kind.name().into(),
                        label: Some(kind.into()),
                        ..Category::default()
                    })
                    .into_iter()
                    .chain(brief.tags.iter().map(|t| Category { term: t.clone(), ..Category::default() }))
                    .collect(),
                ..AtomEntry::default()
            }
        })
        .collect();
    well_formed(feed.to_string())
}

fn rss(site: &Site, entries: &[Entry], title: &str, feed_url: &str, home_url: &str, lang: &str) -> String {
    use rss::extension::atom::{AtomExtension, Link as AtomLink};
    use rss::{Category, Channel, Guid, Item};
    let items: Vec<Item> = entries
        .iter()
        .map(|entry| {
            let brief = entry.brief;
            Item {
                title: Some(entry.title.clone()),
                link: Some(entry.url.clone()),
                // Readers show an RSS description as HTML (the crate writes it as CDATA):
                // the plain-text summary is escaped so that it stays text.
                description: Some(crate::render::escape_markup(&brief.summary)),
                guid: Some(Guid { value: entry.url.clone(), permalink: true }),
                pub_date: Some(brief.date.datetime.to_rfc2822()),
                categories: entry
                    .kind
                    .map(|kind| Category { name: kind.to_string(), domain: None })
                    .into_iter()
                    .chain(brief.tags.iter().map(|t| Category { name: t.clone(), domain: None }))
                    .collect(),
                content: Some(entry.content.to_string()),
                dublin_core_ext: (!brief.authors.is_empty()).then(|| rss::extension::dublincore::DublinCoreExtension {
                    creators: brief.authors.clone(),
                    ..Default::default()
                }),
                ..Item::default()
            }
        })
        .collect();
    let channel = Channel {
        title: title.to_string(),
        link: home_url.to_string(),
        description: format!("{title}: {}", site.config.title),
        language: Some(lang.to_string()),
        copyright: site.config.license.map(|l| format!("{} ({})", l.short_name, l.deed_url)),
        last_build_date: entries.first().map(|e| updated(e.brief).to_rfc2822()),
        generator: Some("Depeche".into()),
        atom_ext: Some(AtomExtension {
            links: vec![AtomLink {
                href: feed_url.to_string(),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..AtomLink::default()
            }],
        }),
        items,
        ..Channel::default()
    };
    well_formed(channel.to_string())
}

/// The XML of a feed without the characters XML forbids. The files' own are replaced
/// when they are read (with a warning); this catches those a YAML escape (`"\v"`) puts
/// into a value.
fn well_formed(xml: String) -> String {
    if crate::site_files::may_hold_forbidden(&xml) && xml.contains(crate::site_files::is_forbidden) {
        xml.replace(crate::site_files::is_forbidden, " ")
    } else {
        xml
    }
}

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    language: &'a str,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    summary: &'a str,
    content_html: &'a str,
    date_published: String,
    date_modified: String,
    language: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

fn json(entries: &[Entry], title: &str, feed_url: &str, home_url: &str, lang: &str) -> String {
    let feed = JsonFeed {
        version: "https://jsonfeed.org/version/1.1",
        title,
        home_page_url: home_url,
        feed_url,
        language: lang,
        items: entries
            .iter()
            .map(|entry| JsonItem {
                id: &entry.url,
                url: &entry.url,
                title: &entry.title,
                summary: &entry.brief.summary,
                content_html: entry.content,
                date_published: entry.brief.date.datetime.to_rfc3339(),
                date_modified: updated(entry.brief).to_rfc3339(),
                language: &entry.brief.lang,
                authors: entry.brief.authors.iter().map(|name| JsonAuthor { name }).collect(),
                tags: entry.kind.into_iter().chain(entry.brief.tags.iter().map(String::as_str)).collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).expect("a feed always serialises")
}
