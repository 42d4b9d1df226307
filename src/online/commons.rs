//! `depeche credit`: a Wikimedia Commons file (its page, its upload address, or a
//! Wikipedia `File:`/`Fichier:` page) asked of the MediaWiki API
//! (`action=query&prop=imageinfo&iiprop=extmetadata|url`) and turned into an image credit:
//! the title, the author (with the link of their user page), the source and its page, and
//! the licence as an id of the registry, with what the file page says restricts its use.

use std::path::Path;

use url::Url;

use super::http::Client;
use crate::content::{edit, front_matter};
use crate::error::{Error, Result};
use crate::license::{self, License};

/// The API of Wikimedia Commons.
pub const COMMONS_API: &str = "https://commons.wikimedia.org/w/api.php";

/// The names of the file namespace in the wikis' languages (MediaWiki accepts `File:`
/// everywhere; these are what addresses show).
const FILE_NAMESPACES: [&str; 16] = [
    "file", "image", "fichier", "datei", "archivo", "bestand", "plik", "fil", "immagine", "ficheiro", "arquivo",
    "файл", "dosya", "tiedosto", "soubor", "fitxer",
];

/// The file a user pointed at: which API to ask and under which title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub api: Url,
    /// `File:` and the file's name, spaces not underscores.
    pub title: String,
}

/// A credit read from a file's metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommonsCredit {
    pub title: String,
    pub author: Option<String>,
    pub author_url: Option<String>,
    /// "Wikimedia Commons", or "Wikipedia" for a file kept by one Wikipedia.
    pub source: String,
    /// The file's description page.
    pub source_url: String,
    pub license: Option<&'static License>,
    /// The licence as the file page names it (`LicenseShortName`, else `LicenseUrl`).
    pub license_as_written: Option<String>,
    /// The file itself, to download.
    pub file_url: Option<String>,
    /// The file's name, for `src`.
    pub file_name: String,
    /// A first line for `alt`, from the file's description.
    pub description: Option<String>,
    /// What restricts the use of the work beyond its licence (personality rights,
    /// trademarks…), in words.
    pub restrictions: Vec<String>,
    /// The file is not freely licensed (kept by a Wikipedia under fair use).
    pub non_free: bool,
}

/// Reads a file page, an upload address or a Wikipedia file page.
pub fn file_ref(input: &str) -> std::result::Result<FileRef, String> {
    let not_a_file = || {
        format!(
            "{input:?} is not the address of a file of Wikimedia Commons or Wikipedia: give its page \
             (https://commons.wikimedia.org/wiki/File:…) or its upload address (https://upload.wikimedia.org/…)"
        )
    };
    let url = Url::parse(input.trim()).map_err(|_| not_a_file())?;
    let host = url.host_str().ok_or_else(not_a_file)?.to_ascii_lowercase();
    if !matches!(url.scheme(), "http" | "https") {
        return Err(not_a_file());
    }
    if host == "upload.wikimedia.org" {
        // /wikipedia/{project}/[thumb/]{a}/{ab}/{name}[/{width}px-{name}]
        let segments: Vec<&str> = url.path_segments().map(Iterator::collect).unwrap_or_default();
        let (project, rest) = match segments.as_slice() {
            ["wikipedia", project, "thumb", rest @ ..] | ["wikipedia", project, rest @ ..] => (*project, rest),
            _ => return Err(not_a_file()),
        };
        let [_, _, name, ..] = rest else { return Err(not_a_file()) };
        let api = if project == "commons" {
            COMMONS_API.to_string()
        } else {
            format!("https://{project}.wikipedia.org/w/api.php")
        };
        let api = Url::parse(&api).map_err(|_| not_a_file())?;
        return Ok(FileRef { api, title: format!("File:{}", decoded_name(name)) });
    }
    let wiki = host.replace(".m.", ".");
    if !(wiki.ends_with(".wikimedia.org") || wiki.ends_with(".wikipedia.org")) {
        return Err(not_a_file());
    }
    let page = match url.path().strip_prefix("/wiki/") {
        Some(page) => page.to_string(),
        None => url
            .query_pairs()
            .find(|(key, _)| key == "title")
            .map(|(_, value)| value.into_owned())
            .ok_or_else(not_a_file)?,
    };
    let page = decoded_name(&page);
    let (namespace, name) = page.split_once(':').ok_or_else(not_a_file)?;
    if !FILE_NAMESPACES.contains(&namespace.trim().to_lowercase().as_str()) || name.trim().is_empty() {
        return Err(not_a_file());
    }
    let api = Url::parse(&format!("https://{wiki}/w/api.php")).map_err(|_| not_a_file())?;
    Ok(FileRef { api, title: format!("File:{}", name.trim()) })
}

/// A name from an address: percent-decoded, underscores as spaces.
fn decoded_name(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().replace('_', " ").trim().to_string()
}

/// The API query for a file's metadata and address.
pub fn query(api: &Url, title: &str) -> Url {
    let mut query = api.clone();
    query
        .query_pairs_mut()
        .append_pair("action", "query")
        .append_pair("format", "json")
        .append_pair("formatversion", "2")
        .append_pair("prop", "imageinfo")
        .append_pair("iiprop", "extmetadata|url")
        .append_pair("titles", title);
    query
}

/// Asks the API about a file and reads its credit.
pub fn fetch(file: &FileRef, settings: &crate::config::SourceSettings, site: Option<&Url>) -> Result<CommonsCredit> {
    let client = Client::new(settings, site).map_err(Error::Network)?;
    let runtime = super::runtime()?;
    let answer = runtime
        .block_on(client.get_json(&query(&file.api, &file.title)))
        .map_err(|error| Error::Network(error.to_string()))?;
    credit_from_answer(&answer, &file.title).map_err(Error::Network)
}

/// The credit an API answer gives, whichever `formatversion` it is in; `Err` says why
/// there is none (no such file, an error from the API).
pub fn credit_from_answer(answer: &serde_json::Value, title: &str) -> std::result::Result<CommonsCredit, String> {
    if let Some(error) = answer.get("error") {
        let info = error.get("info").and_then(|v| v.as_str()).unwrap_or("no reason given");
        return Err(format!("the API refused the query: {info}"));
    }
    // formatversion=2 gives a list of pages, formatversion=1 an object keyed by page id.
    let page = match answer.pointer("/query/pages") {
        Some(serde_json::Value::Array(pages)) => pages.first(),
        Some(serde_json::Value::Object(pages)) => pages.values().next(),
        _ => None,
    }
    .ok_or_else(|| format!("the API's answer holds no page for {title}"))?;
    let info = page.pointer("/imageinfo/0").ok_or_else(|| {
        if page.get("missing").is_some() || page.get("invalid").is_some() {
            format!("there is no file {title:?}: check the address")
        } else {
            format!("the API gave no image information for {title}")
        }
    })?;
    let meta = |key: &str| -> Option<String> {
        let value = info.pointer(&format!("/extmetadata/{key}/value"))?;
        let text = match value {
            serde_json::Value::String(text) => text.clone(),
            serde_json::Value::Number(number) => number.to_string(),
            serde_json::Value::Bool(flag) => flag.to_string(),
            _ => return None,
        };
        Some(text).filter(|text| !text.trim().is_empty())
    };
    let text = |key: &str| meta(key).map(|html| html_text(&html)).filter(|text| !text.is_empty());

    let page_title = page.get("title").and_then(|v| v.as_str()).unwrap_or(title);
    let page_name = page_title.split_once(':').map_or(page_title, |(_, name)| name).trim().replace('_', " ");
    let file_url = info.get("url").and_then(|v| v.as_str()).and_then(absolute);
    // The name a download gets: the upload address's last segment (underscores, not spaces).
    let file_name = file_url
        .as_deref()
        .and_then(|url| Url::parse(url).ok()?.path_segments()?.next_back().map(decoded_name))
        .unwrap_or_else(|| page_name.clone())
        .replace(' ', "_");
    let source_url = info
        .get("descriptionurl")
        .and_then(|v| v.as_str())
        .and_then(absolute)
        .unwrap_or_else(|| format!("https://commons.wikimedia.org/wiki/{}", page_title.replace(' ', "_")));
    let source = if Url::parse(&source_url).is_ok_and(|url| url.host_str() == Some("commons.wikimedia.org")) {
        "Wikimedia Commons"
    } else {
        "Wikipedia"
    };
    let stem = page_name.rsplit_once('.').map_or(page_name.as_str(), |(stem, _)| stem).to_string();
    let artist = meta("Artist");
    let author = text("Attribution")
        .or_else(|| artist.as_deref().map(html_text))
        .filter(|name| !name.is_empty() && !matches!(name.to_lowercase().as_str(), "unknown" | "unknown author"));
    let author_url = artist.as_deref().and_then(first_link);
    let short_name = text("LicenseShortName");
    let license_url = meta("LicenseUrl").and_then(|url| absolute(&url));
    let license = registry_license(short_name.as_deref(), license_url.as_deref(), meta("License").as_deref());
    let non_free = meta("NonFree").is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    let restrictions = meta("Restrictions").map(|list| restriction_words(&list)).unwrap_or_default();
    Ok(CommonsCredit {
        title: text("ObjectName").unwrap_or(stem),
        author,
        author_url,
        source: source.to_string(),
        source_url,
        license,
        license_as_written: short_name.or(license_url),
        file_url,
        file_name,
        description: text("ImageDescription").map(|d| first_sentence(&d)),
        restrictions,
        non_free,
    })
}

/// An address as the API writes it (often protocol-relative: `//commons…`) made absolute,
/// if it is http(s).
fn absolute(text: &str) -> Option<String> {
    let text = text.trim();
    let full = if text.starts_with("//") {
        format!("https:{text}")
    } else if text.starts_with('/') {
        format!("https://commons.wikimedia.org{text}")
    } else {
        text.to_string()
    };
    Url::parse(&full).ok().filter(|url| matches!(url.scheme(), "http" | "https")).map(String::from)
}

/// The licence of the registry a file page names: its deed address first (the least
/// ambiguous), then its short name; public-domain files get the Public Domain Mark.
fn registry_license(short_name: Option<&str>, url: Option<&str>, code: Option<&str>) -> Option<&'static License> {
    let public_domain = |text: &str| {
        let lower = text.trim().to_lowercase();
        lower == "pd" || lower.starts_with("pd-") || lower.starts_with("public domain") || lower == "domaine public"
    };
    if short_name.is_some_and(public_domain) || code.is_some_and(public_domain) {
        return license::by_id("CC-PDM-1.0");
    }
    let lookup = |text: &str| license::lookup(text).ok().map(|resolved| resolved.license);
    url.and_then(lookup).or_else(|| short_name.and_then(lookup)).or_else(|| code.and_then(lookup))
}

/// Writes `credit` into the lead image of the brief at `brief`, in place: the credit's
/// keys set (or removed where the file page gives none, so that no key of an earlier
/// credit stays), `src` and `alt` kept, or offered when the brief has no image yet.
pub fn write_into(brief: &Path, credit: &CommonsCredit) -> Result<()> {
    let text = std::fs::read_to_string(brief).map_err(|error| Error::io("read", brief, error))?;
    let not_edited = |error: edit::EditError| Error::Usage(format!("{} was not edited: {error}", brief.display()));
    let mut fields = Vec::new();
    if !edit::has_image(&text).map_err(not_edited)? {
        fields.push(("src", Some(credit.file_name.clone())));
        fields.push(("alt", Some(credit.alt())));
    }
    fields.extend(credit.fields());
    let edited = edit::set_image_credit(&text, &fields).map_err(not_edited)?;
    super::replace_file(brief, &edited)
        .map_err(|reason| Error::Usage(format!("{} was not written: {reason}", brief.display())))
}

/// Commons' restriction codes (`personality|trademarked`) in words.
fn restriction_words(list: &str) -> Vec<String> {
    list.split('|')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| match code {
            "personality" => "personality rights: a person shown may need to agree to uses other than news".into(),
            "trademarked" => "trademark: a logo or mark shown is protected apart from the licence".into(),
            "insignia" => "official insignia: their use is restricted by law in some countries".into(),
            "costume" => "a costume or character shown may be protected apart from the licence".into(),
            "currency" => "currency: reproductions of banknotes or coins are restricted by law".into(),
            other => format!("{other} (see the file page)"),
        })
        .collect()
}

/// The text of an HTML fragment (tags out, entities decoded, spaces collapsed), without
/// the separators a list of names leaves at its ends.
pub fn html_text(html: &str) -> String {
    crate::html_text::text_of(html).trim_matches([' ', ',', ';']).to_string()
}

/// The first link of an HTML fragment (the author's user page), made absolute; a link to
/// a user page not yet written (`…index.php?title=User:X&action=edit&redlink=1`) becomes
/// the page's address.
fn first_link(html: &str) -> Option<String> {
    let start = html.find("href=")? + "href=".len();
    let quote = html[start..].chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &html[start + 1..];
    let value = crate::html_text::decode_entities(&value[..value.find(quote)?]);
    let url = Url::parse(&absolute(&value)?).ok()?;
    if url.query_pairs().any(|(key, value)| key == "redlink" && value == "1") {
        let title = url.query_pairs().find(|(key, _)| key == "title")?.1.replace(' ', "_");
        return Url::parse(&format!("{}://{}/wiki/{title}", url.scheme(), url.host_str()?)).ok().map(String::from);
    }
    Some(url.to_string())
}

/// The first sentence of a description, for a first `alt` the editor then reviews.
fn first_sentence(text: &str) -> String {
    let end = text.find(". ").map_or(text.len(), |end| end + 1);
    text[..end].chars().take(200).collect()
}

impl CommonsCredit {
    /// The credit's keys, in the order a brief writes them (`src` and `alt` not
    /// included), each with its value or `None` where the file page gives none.
    pub fn fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("title", Some(self.title.clone())),
            ("author", self.author.clone()),
            ("author_url", self.author_url.clone()),
            ("source", Some(self.source.clone())),
            ("source_url", Some(self.source_url.clone())),
            ("license", self.license.map(|license| license.id.clone())),
        ]
    }

    /// The first `alt` offered: the description's first sentence, else the title.
    fn alt(&self) -> String {
        self.description.clone().unwrap_or_else(|| self.title.clone())
    }

    /// A ready `image:` block, with comments where the editor has something to do.
    pub fn yaml(&self) -> String {
        let mut yaml = String::from("image:\n");
        let download =
            self.file_url.as_deref().map(|url| format!("  # download {url} beside the brief")).unwrap_or_default();
        yaml.push_str(&format!("  src: {}{download}\n", front_matter::scalar(&self.file_name)));
        yaml.push_str(&format!("  alt: {}  # say what the image shows\n", front_matter::scalar(&self.alt())));
        for (key, value) in self.fields() {
            if let Some(value) = value {
                yaml.push_str(&format!("  {key}: {}\n", front_matter::scalar(&value)));
            }
        }
        if self.license.is_none() {
            let written = self.license_as_written.as_deref().unwrap_or("none given");
            yaml.push_str(&format!("  # license: the file page says {written:?}, which is not in the registry\n"));
        }
        yaml
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recorded(name: &str) -> serde_json::Value {
        let path = format!("{}/tests/fixtures/commons/{name}.json", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    fn credit(name: &str) -> CommonsCredit {
        credit_from_answer(&recorded(name), "File:x").unwrap()
    }

    #[test]
    fn every_kind_of_address_names_its_file() {
        let commons = Url::parse(COMMONS_API).unwrap();
        let expect = |input: &str, api: &Url, title: &str| {
            assert_eq!(file_ref(input).unwrap(), FileRef { api: api.clone(), title: title.into() }, "{input}");
        };
        expect("https://commons.wikimedia.org/wiki/File:Flag_of_Ukraine.svg", &commons, "File:Flag of Ukraine.svg");
        expect(
            "https://commons.m.wikimedia.org/wiki/File:Flag_of_Ukraine.svg?uselang=fr#Licensing",
            &commons,
            "File:Flag of Ukraine.svg",
        );
        expect("https://commons.wikimedia.org/w/index.php?title=File:A_b.jpg&oldid=1", &commons, "File:A b.jpg");
        expect(
            "https://upload.wikimedia.org/wikipedia/commons/4/49/Flag_of_Ukraine.svg",
            &commons,
            "File:Flag of Ukraine.svg",
        );
        expect(
            "https://upload.wikimedia.org/wikipedia/commons/thumb/5/5e/March%C3%A9_couvert.jpg/800px-March%C3%A9_couvert.jpg",
            &commons,
            "File:Marché couvert.jpg",
        );
        let fr = Url::parse("https://fr.wikipedia.org/w/api.php").unwrap();
        expect(
            "https://fr.wikipedia.org/wiki/Fichier:Drapeau_de_l%27Ukraine.svg",
            &fr,
            "File:Drapeau de l'Ukraine.svg",
        );
        let en = Url::parse("https://en.wikipedia.org/w/api.php").unwrap();
        expect("https://en.m.wikipedia.org/wiki/File:Band_album_cover.jpg", &en, "File:Band album cover.jpg");
        expect("https://upload.wikimedia.org/wikipedia/en/1/1a/Band_album_cover.jpg", &en, "File:Band album cover.jpg");
        for wrong in [
            "https://fr.wikipedia.org/wiki/Ukraine",
            "https://example.org/wiki/File:A.jpg",
            "https://commons.wikimedia.org/wiki/File:",
            "ftp://commons.wikimedia.org/wiki/File:A.jpg",
            "Flag_of_Ukraine.svg",
        ] {
            assert!(file_ref(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn a_user_page_link_becomes_the_author_url() {
        let credit = credit("user-page-v2");
        assert_eq!(credit.title, "Harbour lighthouse at dawn");
        assert_eq!(credit.author.as_deref(), Some("Marin Quay"));
        assert_eq!(credit.author_url.as_deref(), Some("https://commons.wikimedia.org/wiki/User:Marin_Quay"));
        assert_eq!(credit.source, "Wikimedia Commons");
        assert_eq!(credit.source_url, "https://commons.wikimedia.org/wiki/File:Harbour_lighthouse_at_dawn.jpg");
        assert_eq!(credit.license.map(|l| l.id.as_str()), Some("CC-BY-SA-4.0"));
        assert_eq!(credit.description.as_deref(), Some("The harbour lighthouse seen from the pier at dawn."));
        assert!(credit.restrictions.is_empty() && !credit.non_free);
    }

    #[test]
    fn attribution_wins_over_artist_and_restrictions_are_worded() {
        let credit = credit("attribution-v1");
        assert_eq!(credit.author.as_deref(), Some("Irena Volk / City Archive & Museum"));
        assert_eq!(credit.author_url.as_deref(), Some("https://www.wikidata.org/wiki/Q99999999"));
        assert_eq!(credit.license.map(|l| l.id.as_str()), Some("CC-BY-2.0"));
        assert_eq!(credit.title, "Tram depot, 1978");
        assert_eq!(credit.restrictions.len(), 2);
        assert!(credit.restrictions[0].starts_with("personality rights"));
    }

    #[test]
    fn licences_spelt_every_way_reach_the_registry() {
        assert_eq!(credit("public-domain-v2").license.map(|l| l.id.as_str()), Some("CC-PDM-1.0"));
        assert_eq!(credit("public-domain-v2").author, None, "\"Unknown author\" is no author");
        assert_eq!(credit("redlink-port-v2").license.map(|l| l.id.as_str()), Some("CC-BY-SA-3.0-DE"));
        assert_eq!(
            credit("redlink-port-v2").author_url.as_deref(),
            Some("https://commons.wikimedia.org/wiki/User:Lou_Pr%C3%A9vost")
        );
        let gfdl = credit("no-metadata-v2");
        assert_eq!((gfdl.license, gfdl.license_as_written.as_deref()), (None, Some("GFDL")));
        assert_eq!(gfdl.title, "Chart 2019", "the file name stands in for a missing ObjectName");
        assert_eq!(gfdl.author, None);
        assert!(gfdl.yaml().contains("# license: the file page says \"GFDL\""));
    }

    #[test]
    fn missing_and_non_free_files_are_told_apart() {
        let missing = credit_from_answer(&recorded("missing-v2"), "File:No such picture.jpg").unwrap_err();
        assert!(missing.contains("there is no file"), "{missing}");
        let non_free = credit("non-free-v2");
        assert!(non_free.non_free);
        assert_eq!(non_free.source, "Wikipedia");
        let refused = credit_from_answer(&serde_json::json!({"error": {"code": "x", "info": "Bad title"}}), "File:x");
        assert!(refused.unwrap_err().contains("Bad title"));
    }

    #[test]
    fn html_becomes_text() {
        assert_eq!(html_text("<b>A</b> &amp; B&#39;s <i>c</i>&nbsp;d &#x263A; &bogus; &"), "A & B's c d ☺ &bogus; &");
        assert_eq!(html_text("<span>Unknown</span><br />"), "Unknown");
        let yaml = credit("user-page-v2").yaml();
        assert!(yaml.starts_with("image:\n  src: Harbour_lighthouse_at_dawn.jpg  # download https://upload"), "{yaml}");
        assert!(yaml.contains("  license: CC-BY-SA-4.0\n"), "{yaml}");
    }
}
