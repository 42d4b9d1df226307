//! A second build with little changed reuses the previous one: the output folder keeps a
//! manifest of the fingerprint each page was rendered from, under a "generation" that
//! covers everything else pages depend on (Depeche's version, with its licence registry;
//! depeche.toml; every template and UI string file). Pages whose fingerprint is unchanged
//! are hard-linked from the previous output into the new one instead of rendered.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::incremental::RenderedSite;
use super::output::{Contents, OutputMap};
use crate::config::CONFIG_FILE;
use crate::render::Theme;

/// The manifest's name inside the output folder.
pub const MANIFEST: &str = ".depeche-manifest.json";

#[derive(Serialize, Deserialize)]
struct Manifest {
    generation: String,
    pages: BTreeMap<String, u64>,
}

/// Everything pages depend on besides the briefs, as one value.
pub fn generation(root: &Path, theme: &Theme) -> String {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&std::fs::read(root.join(CONFIG_FILE)).unwrap_or_default());
    for (name, file) in &theme.templates {
        hasher.update(name.as_bytes());
        hasher.update(&file.read().map(|b| b.into_owned()).unwrap_or_default());
    }
    for (name, layers) in &theme.i18n {
        hasher.update(name.as_bytes());
        for file in layers {
            hasher.update(&file.read().map(|b| b.into_owned()).unwrap_or_default());
        }
    }
    format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), hasher.digest())
}

/// The previous build in `output`, when it was made under the same generation: each of
/// its pages, to be linked rather than rendered if its fingerprint is unchanged.
pub fn previous(output: &Path, generation: &str) -> Option<RenderedSite> {
    let text = std::fs::read_to_string(output.join(MANIFEST)).ok()?;
    let manifest: Manifest = serde_json::from_str(&text).ok()?;
    if manifest.generation != generation {
        return None;
    }
    let mut files = OutputMap::new();
    let mut fingerprints = HashMap::new();
    for (path, fingerprint) in manifest.pages {
        let file = output.join(&path);
        if file.is_file() {
            files.insert(path.clone(), Arc::new(Contents::Reuse(file)));
            fingerprints.insert(path, fingerprint);
        }
    }
    Some(RenderedSite::from_parts(files, fingerprints))
}

/// The manifest of a render, to write into the output with it.
pub fn manifest(rendered: &RenderedSite, generation: &str) -> Contents {
    let manifest = Manifest {
        generation: generation.to_string(),
        pages: rendered.fingerprints().iter().map(|(path, f)| (path.clone(), *f)).collect(),
    };
    Contents::Text(serde_json::to_string(&manifest).expect("a manifest always serialises"))
}
