//! What a source image already says of its credit: the creator and the copyright notice
//! in its XMP (`dc:creator`, `dc:rights`) or its EXIF (`Artist`, `Copyright`), for `check`
//! to compare with the front matter (a wrong credit caught before publication) and for
//! `new --image` to start from.

use std::io::Cursor;

/// The credit a file carries, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Embedded {
    pub creator: Option<String>,
    pub rights: Option<String>,
}

/// Reads the creator and the copyright notice of an image file: XMP first (what photo
/// desks write), then EXIF.
pub fn read(file: &[u8]) -> Embedded {
    let xmp = xmp_packet(file);
    let from_xmp = |element: &str| xmp.and_then(|packet| first_item(packet, element));
    let exif = exif::Reader::new().read_from_container(&mut Cursor::new(file)).ok();
    let from_exif = |tag: exif::Tag| {
        let field = exif.as_ref()?.get_field(tag, exif::In::PRIMARY)?;
        match &field.value {
            exif::Value::Ascii(parts) => {
                let text: Vec<String> =
                    parts.iter().map(|part| String::from_utf8_lossy(part).trim().to_string()).collect();
                clean(&text.join(" "))
            }
            _ => None,
        }
    };
    Embedded {
        creator: from_xmp("dc:creator").or_else(|| from_exif(exif::Tag::Artist)),
        rights: from_xmp("dc:rights").or_else(|| from_exif(exif::Tag::Copyright)),
    }
}

/// The XMP packet in a file: text between `<x:xmpmeta` and its end, whatever the
/// container holds it.
fn xmp_packet(file: &[u8]) -> Option<&str> {
    let find =
        |needle: &[u8], from: usize| file[from..].windows(needle.len()).position(|w| w == needle).map(|at| from + at);
    let start = find(b"<x:xmpmeta", 0)?;
    let end = find(b"</x:xmpmeta>", start)?;
    std::str::from_utf8(&file[start..end]).ok()
}

/// The first `rdf:li` of an XMP element (`dc:creator` is a sequence, `dc:rights` a list of
/// languages), or its text.
fn first_item(packet: &str, element: &str) -> Option<String> {
    let open = packet.find(&format!("<{element}"))?;
    let close = packet[open..].find(&format!("</{element}>"))? + open;
    let inner = &packet[open..close];
    let inner = &inner[inner.find('>')? + 1..];
    let text = match inner.find("<rdf:li") {
        Some(li) => {
            let item = &inner[li..];
            let start = item.find('>')? + 1;
            &item[start..item[start..].find("</rdf:li>").map_or(item.len(), |end| start + end)]
        }
        None => inner,
    };
    clean(&text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\""))
}

/// Text trimmed to one line, or nothing when it is empty.
fn clean(text: &str) -> Option<String> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// Whether `embedded` and the front matter's `author` and licence name disagree, with
/// the sentence saying how. Names are compared without case, accents aside; a notice
/// agrees when it names the author or the licence.
pub fn disagreement(embedded: &Embedded, author: Option<&str>, license_names: &[&str]) -> Option<String> {
    let norm = |text: &str| text.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ");
    let mut found = Vec::new();
    if let (Some(creator), Some(author)) = (&embedded.creator, author)
        && !norm(creator).contains(&norm(author))
        && !norm(author).contains(&norm(creator))
    {
        found.push(format!("the file names its creator {creator:?}, the front matter's `author` is {author:?}"));
    }
    if let Some(rights) = &embedded.rights {
        let named = author.is_some_and(|a| norm(rights).contains(&norm(a)))
            || license_names.iter().any(|name| norm(rights).contains(&norm(name)));
        if !named {
            found.push(format!(
                "the file's copyright notice is {rights:?}, which names neither the author nor the licence"
            ));
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xmp_creator_and_rights_are_read_and_compared() {
        let file = b"\xff\xd8junk<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF><rdf:Description><dc:creator><rdf:Seq><rdf:li>Jane Roe</rdf:li></rdf:Seq></dc:creator><dc:rights><rdf:Alt><rdf:li xml:lang='x-default'>\xc2\xa9 2024 Example Agency. All rights reserved.</rdf:li></rdf:Alt></dc:rights></rdf:Description></rdf:RDF></x:xmpmeta>";
        let embedded = read(file);
        assert_eq!(embedded.creator.as_deref(), Some("Jane Roe"));
        assert_eq!(embedded.rights.as_deref(), Some("© 2024 Example Agency. All rights reserved."));
        let differs = disagreement(&embedded, Some("John Doe"), &["CC BY 4.0"]).unwrap();
        assert!(
            differs.contains("\"Jane Roe\"")
                && differs.contains("\"John Doe\"")
                && differs.contains("All rights reserved")
        );
        let agrees = Embedded { creator: Some("jane roe".into()), rights: Some("Jane Roe, CC BY 4.0".into()) };
        assert_eq!(disagreement(&agrees, Some("Jane Roe"), &["CC BY 4.0"]), None);
        assert_eq!(read(b"no metadata at all"), Embedded::default());
    }
}
