//! French typography, as French newsrooms set it: a narrow no-break space (U+202F) before
//! `;` `:` `!` `?` and inside `« »`, replacing the ordinary or no-break space typed there,
//! or added where none was typed. Code, URLs and markup are left alone: callers apply
//! this to text only, and words that look like addresses are skipped.

const NARROW: char = '\u{202f}';

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{a0}' | NARROW)
}

/// Whether the word being written looks like an address, which must keep its characters.
fn in_address(word: &str) -> bool {
    word.contains("://") || word.starts_with("www.") || word.contains('@')
}

/// Whether `text` holds any character French typography spaces (most text runs do not).
pub fn needs_french_spacing(text: &str) -> bool {
    text.contains([';', ':', '!', '?', '«', '»'])
}

pub fn french(text: &str) -> String {
    if !needs_french_spacing(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let ends_phrase =
            next.is_none_or(|n| n.is_whitespace() || matches!(n, '!' | '?' | '»' | ')' | '.' | ',' | '"' | '”'));
        let wants_space_before = match c {
            ';' | ':' => ends_phrase,
            '!' | '?' => ends_phrase && out.chars().last().is_some_and(|p| p != '!' && p != '?'),
            '»' => true,
            _ => false,
        };
        // The word being written: after the last space or «.
        let word = || out.rsplit(|p: char| p.is_whitespace() || p == '«').next().unwrap_or("");
        if wants_space_before && !in_address(word()) {
            match out.chars().last() {
                Some(p) if is_space(p) => {
                    out.pop();
                    out.push(NARROW);
                }
                Some(_) => out.push(NARROW),
                None => {}
            }
        }
        if c == '«' {
            out.push(c);
            // The space after « is handled when it comes: written as a narrow one.
            if next.is_some_and(|n| !is_space(n)) {
                out.push(NARROW);
            }
            continue;
        }
        if is_space(c) && out.ends_with('«') {
            out.push(NARROW);
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spaces_before_high_punctuation() {
        assert_eq!(french("Note : texte"), "Note\u{202f}: texte");
        assert_eq!(french("Vraiment ? Oui !"), "Vraiment\u{202f}? Oui\u{202f}!");
        assert_eq!(french("Quoi?!"), "Quoi\u{202f}?!");
        assert_eq!(french("un; deux"), "un\u{202f}; deux");
        assert_eq!(french("Note\u{a0}: texte"), "Note\u{202f}: texte");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_only_adds_narrow_spaces(text in "[a-zé«»!?:; \u{a0}\u{202f}@/.]{0,24}") {
            let spaced = french(&text);
            let letters = |s: &str| s.chars().filter(|c| !is_space(*c)).collect::<String>();
            proptest::prop_assert_eq!(letters(&spaced), letters(&text));
        }
    }

    #[test]
    fn guillemets() {
        assert_eq!(french("« Bonjour »"), "«\u{202f}Bonjour\u{202f}»");
        assert_eq!(french("«Bonjour»"), "«\u{202f}Bonjour\u{202f}»");
        assert_eq!(french("«\u{a0}Bonjour\u{a0}»"), "«\u{202f}Bonjour\u{202f}»");
    }

    #[test]
    fn addresses_times_and_idempotence() {
        assert_eq!(french("Voir https://exemple.fr/a?b=c !"), "Voir https://exemple.fr/a?b=c\u{202f}!");
        assert_eq!(french("À 10:30 précises"), "À 10:30 précises");
        assert_eq!(french("écrire à a@b.fr; merci"), "écrire à a@b.fr; merci");
        let once = french("« Oui ? » : non !");
        assert_eq!(french(&once), once);
    }
}
