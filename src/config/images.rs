//! `[images]`: how the site's raster images are published (the widths of their variants,
//! the quality of their encoding, the largest image decoded) and which servers a body may
//! show images from without publishing them.

use serde::Deserialize;
use url::Url;

/// `[images]` as written; every key optional.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawImages {
    allow_remote: Option<Vec<String>>,
    widths: Option<Vec<i64>>,
    quality: Option<i64>,
    max_pixels: Option<i64>,
}

/// The validated settings of the variants, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageSettings {
    /// The widths of the variants, smallest first; an image narrower than one is
    /// published at its own width instead (never upscaled).
    pub widths: Vec<u32>,
    /// The quality of the lossy encodings (WebP, JPEG), 1 to 100.
    pub quality: u8,
    /// The most pixels an image may have: checked on its header, before decoding, so that
    /// a small file claiming huge dimensions (a decompression bomb) is refused.
    pub max_pixels: u64,
}

impl Default for ImageSettings {
    fn default() -> ImageSettings {
        ImageSettings { widths: vec![480, 960, 1600], quality: 80, max_pixels: 50_000_000 }
    }
}

/// Validates `[images]`: the allowed remote prefixes and the variants' settings, or each
/// problem as a message.
pub(super) fn resolve(raw: RawImages) -> Result<(Vec<String>, ImageSettings), Vec<String>> {
    let RawImages { allow_remote, widths, quality, max_pixels } = raw;
    let defaults = ImageSettings::default();
    let mut problems = Vec::new();
    let mut allowed = Vec::new();
    for prefix in allow_remote.unwrap_or_default() {
        match remote_prefix(&prefix) {
            Ok(prefix) => allowed.push(prefix),
            Err(message) => problems.push(message),
        }
    }
    let widths = match widths {
        None => defaults.widths.clone(),
        Some(list) if !list.is_empty() && list.iter().all(|w| (16..=8192).contains(w)) => {
            let mut widths: Vec<u32> = list.into_iter().map(|w| w as u32).collect();
            widths.sort_unstable();
            widths.dedup();
            widths
        }
        Some(list) => {
            problems.push(format!("`images.widths` is {list:?}: give one or more widths in pixels, from 16 to 8192"));
            defaults.widths.clone()
        }
    };
    let quality = match quality {
        None => defaults.quality,
        Some(q) if (1..=100).contains(&q) => q as u8,
        Some(q) => {
            problems.push(format!("`images.quality` is {q}: write a whole number from 1 to 100"));
            defaults.quality
        }
    };
    let max_pixels = match max_pixels {
        None => defaults.max_pixels,
        Some(p) if (1_000_000..=1_000_000_000).contains(&p) => p as u64,
        Some(p) => {
            problems.push(format!("`images.max_pixels` is {p}: write a number from 1000000 to 1000000000"));
            defaults.max_pixels
        }
    };
    if problems.is_empty() { Ok((allowed, ImageSettings { widths, quality, max_pixels })) } else { Err(problems) }
}

/// An `allow_remote` prefix, normalised to end with `/`, so that
/// `https://cdn.example.org` cannot let `https://cdn.example.org.evil.example/` in.
fn remote_prefix(input: &str) -> Result<String, String> {
    match Url::parse(input.trim()) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() && url.query().is_none() => {
            let text = url.as_str();
            Ok(if text.ends_with('/') { text.to_string() } else { format!("{text}/") })
        }
        _ => Err(format!(
            "`images.allow_remote` holds {input:?}: write the start of an http(s) address, such as \"https://cdn.example.org/\""
        )),
    }
}
