//! Atom, RSS 2.0 and JSON Feed 1.1 for the whole site, each tag, author and language, and
//! the corrections (of the site and of each language), built
//! with the atom_syndication and rss crates and serde (never with string templates). Each
//! entry carries the summary and the full content, with the sources and the image credit
//! (rendered by the theme's `feed_entry.html`).

use std::borrow::Cow;

use serde::Serialize;

use super::shared::Shared;
use super::site::{CorrectionRef, Site};
use crate::content::Taxonomy;
use crate::content::{Brief, WorkType};
use crate::diagnostic::Diagnostic;
use crate::render::Renderer;
use crate::render::views::{correction_label, work_type_label};

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
    Author(usize),
    /// An index into `config.languages`.
    Language(usize),
    /// The corrections of every brief (`None`), or of the briefs in a language of
    /// `config.languages`: each entry is a correction, not a brief.
    Corrections(Option<usize>),
}

/// The folder of a feed scope: `/`, `/tags/ukraine/`, `/fr/`, `/fr/corrections/`.
pub fn scope_path(site: &Site, scope: FeedScope) -> String {
    match scope {
        FeedScope::Site => "/".into(),
        FeedScope::Tag(tag) => Taxonomy::Tags.first_page(&site.tags[tag].slug),
        FeedScope::Author(author) => Taxonomy::Authors.first_page(&site.authors[author].slug),
        FeedScope::Language(index) => format!("/{}/", site.config.languages[index]),
        FeedScope::Corrections(language) => format!("{}corrections/", site.language_folder(language)),
    }
}

/// The briefs of a scope, newest first (indexes into `site.briefs`); none for the
/// corrections' feeds, whose entries are corrections.
pub fn scope_briefs(site: &Site, scope: FeedScope) -> &[usize] {
    match scope {
        FeedScope::Site => &site.everything,
        FeedScope::Tag(tag) => &site.tags[tag].briefs,
        FeedScope::Author(author) => &site.authors[author].briefs,
        FeedScope::Language(index) => &site.by_language[index],
        FeedScope::Corrections(_) => &[],
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

/// One entry of a feed: a brief, whose HTML (`content`) is rendered once per render
/// ([`Shared::feed_entry`]) for the Atom, RSS and JSON feeds of every scope that holds it,
/// or a correction.
struct Entry<'a> {
    id: String,
    url: String,
    /// As feeds show it: a sponsored brief says so first, a correction says what it is.
    title: String,
    summary: Cow<'a, str>,
    content: Cow<'a, str>,
    published: Date,
    updated: Date,
    lang: &'a str,
    /// The publisher stands for a brief that names nobody.
    authors: &'a [String],
    categories: Vec<Category<'a>>,
}

type Date = chrono::DateTime<chrono::FixedOffset>;

/// A feed category: a type of work (`term` its name, `label` as the language says it) or
/// a tag.
struct Category<'a> {
    term: &'a str,
    label: Option<&'a str>,
}

impl Category<'_> {
    fn shown(&self) -> &str {
        self.label.unwrap_or(self.term)
    }
}

fn feed_title(site: &Site, scope: FeedScope, renderer: &Renderer) -> String {
    let title = &site.config.title;
    match scope {
        FeedScope::Site => title.clone(),
        FeedScope::Tag(tag) => format!("{title} – {}", site.tags[tag].name),
        FeedScope::Author(author) => format!("{title} – {}", site.authors[author].name),
        FeedScope::Language(index) => format!("{title} ({})", site.config.languages[index]),
        FeedScope::Corrections(language) => {
            let lang = site.language_of(language);
            format!("{title} – {}", renderer.ui_strings.for_language(lang).get("corrections_heading"))
        }
    }
}

/// The entry of brief `index`.
fn brief_entry<'a>(
    site: &'a Site,
    renderer: &'a Renderer,
    shared: &'a Shared,
    index: usize,
) -> Result<Entry<'a>, Diagnostic> {
    let brief: &Brief = &site.briefs[index];
    let label = work_type_label(brief.kind, renderer.ui_strings.for_language(&brief.lang));
    let title = match brief.kind {
        WorkType::Sponsored => format!("{label}: {}", brief.title),
        _ => brief.title.clone(),
    };
    let kind = (brief.kind != WorkType::News).then_some(Category { term: brief.kind.name(), label: Some(label) });
    let url = site.config.absolute_url(&brief.permalink);
    Ok(Entry {
        id: url.clone(),
        url,
        title,
        summary: Cow::Borrowed(&brief.summary),
        content: Cow::Borrowed(shared.feed_entry(site, renderer, index)?),
        published: brief.date.datetime,
        updated: brief.modified().unwrap_or(brief.date).datetime,
        lang: &brief.lang,
        authors: &brief.authors,
        categories: kind.into_iter().chain(brief.tags.iter().map(|t| Category { term: t, label: None })).collect(),
    })
}

/// The entry of a correction: it links to the notice on the brief's page.
fn correction_entry<'a>(site: &'a Site, renderer: &'a Renderer, at: CorrectionRef) -> Entry<'a> {
    let brief: &Brief = &site.briefs[at.brief];
    let correction = &brief.corrections[at.correction];
    let strings = renderer.ui_strings.for_language(&brief.lang);
    let label = correction_label(correction.kind, strings);
    let url = format!("{}#{}", site.config.absolute_url(&brief.permalink), at.anchor());
    let text = crate::render::escape_markup(&correction.text);
    Entry {
        id: url.clone(),
        url,
        title: format!("{label}{} {}", strings.get("sources_colon"), brief.title),
        summary: Cow::Borrowed(&correction.text),
        content: Cow::Owned(format!("<p>{text}</p>")),
        published: correction.date.datetime,
        updated: correction.date.datetime,
        lang: &brief.lang,
        authors: &[],
        categories: vec![Category { term: correction.kind.name(), label: Some(label) }],
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
    let entries: Vec<Entry> = match scope {
        FeedScope::Corrections(language) => site
            .corrections_of(language)
            .iter()
            .take(FEED_LENGTH)
            .map(|&at| correction_entry(site, renderer, at))
            .collect(),
        _ => scope_briefs(site, scope)
            .iter()
            .take(FEED_LENGTH)
            .map(|&index| brief_entry(site, renderer, shared, index))
            .collect::<Result<_, _>>()?,
    };
    let folder = scope_path(site, scope);
    let feed_url = config.absolute_url(&format!("{folder}{}", format.file_name()));
    let home_url = config.absolute_url(&folder);
    let title = feed_title(site, scope, renderer);
    let lang = match scope {
        FeedScope::Language(index) | FeedScope::Corrections(Some(index)) => config.languages[index].clone(),
        _ => config.language.clone(),
    };
    Ok(match format {
        FeedFormat::Atom => atom(site, &entries, &title, &feed_url, &home_url, &lang),
        FeedFormat::Rss => rss(site, &entries, &title, &feed_url, &home_url, &lang),
        FeedFormat::Json => json(&entries, &title, &feed_url, &home_url, &lang),
    })
}

fn atom(site: &Site, entries: &[Entry], title: &str, feed_url: &str, home_url: &str, lang: &str) -> String {
    use atom_syndication::{Category as AtomCategory, Content, Entry as AtomEntry, Feed, Link, Person, Text};
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
        updated: entries.first().map_or_else(|| chrono::DateTime::UNIX_EPOCH.fixed_offset(), |e| e.updated),
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
            let authors = if entry.authors.is_empty() {
                vec![publisher.clone()]
            } else {
                entry.authors.iter().map(|name| Person { name: name.clone(), ..Person::default() }).collect()
            };
            AtomEntry {
                title: Text::plain(entry.title.clone()),
                id: entry.id.clone(),
                updated: entry.updated,
                published: Some(entry.published),
                authors,
                links: vec![link(&entry.url, "alternate", Some("text/html"))],
                summary: Some(Text::plain(entry.summary.to_string())),
                content: Some(Content {
                    value: Some(entry.content.to_string()),
                    content_type: Some("html".into()),
                    lang: Some(entry.lang.to_string()),
                    ..Content::default()
                }),
                categories: entry
                    .categories
                    .iter()
                    .map(|c| AtomCategory {
                        term: c.term.to_string(),
                        label: c.label.map(String::from),
                        ..AtomCategory::default()
                    })
                    .collect(),
                ..AtomEntry::default()
            }
        })
        .collect();
    well_formed(feed.to_string())
}

fn rss(site: &Site, entries: &[Entry], title: &str, feed_url: &str, home_url: &str, lang: &str) -> String {
    use rss::extension::atom::{AtomExtension, Link as AtomLink};
    use rss::{Category as RssCategory, Channel, Guid, Item};
    let items: Vec<Item> = entries
        .iter()
        .map(|entry| Item {
            title: Some(entry.title.clone()),
            link: Some(entry.url.clone()),
            // Readers show an RSS description as HTML (the crate writes it as CDATA):
            // the plain-text summary is escaped so that it stays text.
            description: Some(crate::render::escape_markup(&entry.summary)),
            guid: Some(Guid { value: entry.id.clone(), permalink: true }),
            pub_date: Some(entry.published.to_rfc2822()),
            categories: entry
                .categories
                .iter()
                .map(|c| RssCategory { name: c.shown().to_string(), domain: None })
                .collect(),
            content: Some(entry.content.to_string()),
            dublin_core_ext: (!entry.authors.is_empty()).then(|| rss::extension::dublincore::DublinCoreExtension {
                creators: entry.authors.to_vec(),
                ..Default::default()
            }),
            ..Item::default()
        })
        .collect();
    let channel = Channel {
        title: title.to_string(),
        link: home_url.to_string(),
        description: format!("{title}: {}", site.config.title),
        language: Some(lang.to_string()),
        copyright: site.config.license.map(|l| format!("{} ({})", l.short_name, l.deed_url)),
        last_build_date: entries.first().map(|e| e.updated.to_rfc2822()),
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
                id: &entry.id,
                url: &entry.url,
                title: &entry.title,
                summary: &entry.summary,
                content_html: &entry.content,
                date_published: entry.published.to_rfc3339(),
                date_modified: entry.updated.to_rfc3339(),
                language: entry.lang,
                authors: entry.authors.iter().map(|name| JsonAuthor { name }).collect(),
                tags: entry.categories.iter().map(Category::shown).collect(),
            })
            .collect(),
    };
    serde_json::to_string_pretty(&feed).expect("a feed always serialises")
}
