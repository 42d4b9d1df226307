//! SVG is published as it is, so it is read first: served from the site's own origin, an
//! SVG opened directly runs its scripts with the site's cookies and storage. A script, an
//! event handler, embedded HTML or a reference to another file (which could change after
//! the check) is refused.

/// Why an SVG is refused.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "it is not UTF-8 text, as an SVG file is".to_string())?;
    let options = roxmltree::ParsingOptions { allow_dtd: false, ..roxmltree::ParsingOptions::default() };
    let document = roxmltree::Document::parse_with_options(text, options)
        .map_err(|error| format!("it is not well-formed XML: {error}"))?;
    if document.root_element().tag_name().name() != "svg" {
        return Err("its root element is not <svg>".into());
    }
    for node in document.descendants().filter(|node| node.is_element()) {
        let name = node.tag_name().name();
        let line = document.text_pos_at(node.range().start).row;
        match name {
            "script" => return Err(format!("it holds a <script> (line {line})")),
            "foreignObject" => return Err(format!("it embeds HTML in <foreignObject> (line {line})")),
            "style" if node.text().is_some_and(refers_outside) => {
                return Err(format!("its <style> loads another file (line {line})"));
            }
            _ => {}
        }
        for attribute in node.attributes() {
            let key = attribute.name();
            let value = attribute.value().trim();
            if key.len() > 2 && key[..2].eq_ignore_ascii_case("on") {
                return Err(format!("<{name}> has the event handler `{key}` (line {line})"));
            }
            if key == "href" && !value.starts_with('#') && !value.starts_with("data:image/") {
                return Err(format!(
                    "<{name}> refers to {value:?} (line {line}): an SVG published as is may only refer to itself"
                ));
            }
            if key == "style" && refers_outside(value) {
                return Err(format!("<{name}> has a style that loads another file (line {line})"));
            }
        }
    }
    Ok(())
}

/// Whether CSS loads something other than a fragment of the same file.
fn refers_outside(css: &str) -> bool {
    let lower = css.to_ascii_lowercase();
    lower.contains("@import")
        || lower.match_indices("url(").any(|(at, _)| {
            let target = lower[at + 4..].trim_start().trim_start_matches(['"', '\'']);
            !target.starts_with('#')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_handlers_and_outside_references_are_refused() {
        let ok = br##"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="fill: url('#g')"/><use xlink:href="#g"/></svg>"##;
        assert_eq!(check(ok), Ok(()));
        for (svg, words) in [
            (&br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#[..], "<script>"),
            (br#"<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(1)"/></svg>"#, "onload"),
            (br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink"><image x:href="https://evil.example/a.png"/></svg>"#, "refers to"),
            (br#"<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>"#, "refers to"),
            (br#"<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject></svg>"#, "foreignObject"),
            (br#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/a.css);</style></svg>"#, "<style>"),
            (br#"<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/x)"/></svg>"#, "style"),
            (br#"<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#, "XML"),
            (br#"<html/>"#, "not <svg>"),
        ] {
            let refused = check(svg).unwrap_err();
            assert!(refused.contains(words), "{refused}");
        }
    }
}
