//! The text a reader reads in an HTML fragment: tags and comments left out (a space where
//! each was, so that "end.</p><p>Start" stays two words), entities decoded, runs of
//! spaces collapsed. For search records and for credits read from wiki pages.

/// The text of `html`.
pub fn text_of(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        rest = &rest[start..];
        // A comment ends at `-->`, a tag at the next `>`; one never closed drops the rest.
        rest = match rest.strip_prefix("<!--") {
            Some(comment) => comment.find("-->").map_or("", |end| &comment[end + 3..]),
            None => rest.find('>').map_or("", |end| &rest[end + 1..]),
        };
        text.push(' ');
    }
    text.push_str(rest);
    decode_entities(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `text` with its HTML entities decoded: the named ones HTML writers use, and numbers.
/// An unknown entity is kept as written.
pub fn decode_entities(text: &str) -> String {
    let mut decoded = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('&') {
        decoded.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let entity = after.find(';').filter(|&end| end <= 10).map(|end| (&after[..end], end));
        match entity.and_then(|(name, end)| Some((entity_char(name)?, end))) {
            Some((character, end)) => {
                decoded.push(character);
                rest = &after[end + 1..];
            }
            None => {
                decoded.push('&');
                rest = after;
            }
        }
    }
    decoded.push_str(rest);
    decoded
}

fn entity_char(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_read_out_of_html() {
        assert_eq!(text_of("<p>Les <em>électeurs</em> &amp; l&#39;UE.</p><p>Fin</p>"), "Les électeurs & l'UE. Fin");
        assert_eq!(text_of("a<!--depeche:credit:lead-->b &copy; & c"), "a b &copy; & c");
        assert_eq!(text_of("<!-- a > b -->kept"), "kept");
        assert_eq!(text_of("unclosed <b"), "unclosed");
        assert_eq!(text_of("&#x1F600;&nbsp;x"), "😀 x");
    }
}
