//! schema.org metadata for search engines and other machines: each brief page carries a
//! NewsArticle with its sources as `citation` and its lead image as an ImageObject with
//! the licence metadata Google reads (license, creditText, creator, copyrightNotice,
//! acquireLicensePage).

use serde_json::{Map, Value, json};

use super::views::{BriefView, ImageView, SiteView};

fn insert_some(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(value) = value {
        map.insert(key.to_string(), value);
    }
}

fn image_object(image: &ImageView) -> Value {
    let mut object = Map::new();
    object.insert("@type".into(), json!("ImageObject"));
    object.insert("contentUrl".into(), json!(image.absolute_url));
    object.insert("url".into(), json!(image.absolute_url));
    object.insert("description".into(), json!(image.alt));
    object.insert("creditText".into(), json!(image.credit_text));
    insert_some(&mut object, "name", image.title.as_ref().map(|t| json!(t)));
    insert_some(&mut object, "license", image.license.as_ref().map(|l| json!(l.canonical_deed_url)));
    if let Some(author) = &image.author {
        let mut creator = Map::new();
        creator.insert("@type".into(), json!("Person"));
        creator.insert("name".into(), json!(author));
        insert_some(&mut creator, "url", image.author_url.as_ref().map(|u| json!(u)));
        object.insert("creator".into(), Value::Object(creator));
    }
    let holder = image.author.as_ref().or(image.source.as_ref());
    insert_some(&mut object, "copyrightNotice", holder.map(|h| json!(h)));
    insert_some(&mut object, "acquireLicensePage", image.source_url.as_ref().map(|u| json!(u)));
    if image.modified {
        // The image is an adaptation: schema.org marks the original with isBasedOn.
        let original = image.source_url.as_ref().map(|u| json!(u)).or_else(|| image.title.as_ref().map(|t| json!(t)));
        insert_some(&mut object, "isBasedOn", original);
    }
    Value::Object(object)
}

/// The JSON-LD of a brief page, safe to print inside `<script type="application/ld+json">`.
pub fn news_article(brief: &BriefView, site: &SiteView) -> String {
    let publisher_name = site.publisher.as_deref().unwrap_or(&site.title);
    let mut article = Map::new();
    article.insert("@context".into(), json!("https://schema.org"));
    article.insert("@type".into(), json!("NewsArticle"));
    article.insert("headline".into(), json!(brief.title));
    article.insert("description".into(), json!(brief.summary));
    article.insert("url".into(), json!(brief.absolute_url));
    article.insert("mainEntityOfPage".into(), json!(brief.absolute_url));
    article.insert("datePublished".into(), json!(brief.date.iso));
    article.insert("dateModified".into(), json!(brief.updated.as_ref().unwrap_or(&brief.date).iso));
    article.insert("inLanguage".into(), json!(brief.lang));
    let authors: Vec<Value> = brief.authors.iter().map(|name| json!({"@type": "Person", "name": name})).collect();
    article.insert(
        "author".into(),
        if authors.is_empty() { json!({"@type": "Organization", "name": publisher_name}) } else { json!(authors) },
    );
    article
        .insert("publisher".into(), json!({"@type": "Organization", "name": publisher_name, "url": site.absolute_url}));
    if !brief.tags.is_empty() {
        article.insert("keywords".into(), json!(brief.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>()));
    }
    let citations: Vec<Value> = brief
        .sources
        .iter()
        .map(|source| {
            let mut work = Map::new();
            work.insert("@type".into(), json!("CreativeWork"));
            work.insert("name".into(), json!(source.name));
            insert_some(&mut work, "url", source.url.as_ref().map(|u| json!(u)));
            insert_some(&mut work, "headline", source.title.as_ref().map(|t| json!(t)));
            insert_some(&mut work, "datePublished", source.date.as_ref().map(|d| json!(d.iso)));
            insert_some(&mut work, "archivedAt", source.archive_url.as_ref().map(|u| json!(u)));
            Value::Object(work)
        })
        .collect();
    if !citations.is_empty() {
        article.insert("citation".into(), json!(citations));
    }
    insert_some(&mut article, "image", brief.image.as_ref().map(image_object));
    insert_some(&mut article, "license", site.license.as_ref().map(|l| json!(l.canonical_deed_url)));
    let text = serde_json::to_string(&Value::Object(article)).expect("a JSON value always serialises");
    // `<` cannot end the script element when written as an escape.
    text.replace('<', "\\u003c")
}
