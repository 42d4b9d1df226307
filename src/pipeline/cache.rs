//! A second build with little changed reuses the previous one: the output folder keeps a
//! manifest of the fingerprint each file was made from, under a "generation" that covers
//! everything else pages depend on (the running program itself, byte for byte, with its
//! licence registry and built-in theme; depeche.toml; every template and UI string file).
//! Files whose fingerprint is unchanged are left where they are; only the others are
//! written, then moved into place, the manifest last.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::incremental::RenderedSite;
use super::output::{Contents, OutputMap};
use crate::render::Theme;

/// The folder of the output that holds what the next build needs (never linked from a
/// page; it need not be uploaded).
pub const META_DIR: &str = ".depeche";

/// The manifest's path inside the output folder.
pub const MANIFEST: &str = ".depeche/manifest.json";

#[derive(Serialize, Deserialize)]
struct Manifest {
    generation: String,
    /// Every file of the output but the manifest (and each folder copied whole, its path
    /// ending in `/`), with the fingerprint it was made from.
    files: BTreeMap<String, u64>,
}

/// The running program, as a number: a build by another binary, even of the same version
/// (a development build, a patched package), reuses none of its pages or briefs. It is
/// the program file's identity (device, inode, size, modification and change times),
/// which any new build or copy of the program changes, read from the running image
/// itself in two system calls (hashing its 50 MB would cost a tenth of an unchanged
/// rebuild). On failure, a number no cache holds.
pub fn binary_fingerprint() -> u64 {
    // /proc/self/exe opens the running image even if its file was replaced since.
    let path = if cfg!(target_os = "linux") { Some(std::path::PathBuf::from("/proc/self/exe")) } else { None };
    let identity = path.or_else(|| std::env::current_exe().ok()).and_then(|path| {
        let metadata = std::fs::File::open(path).and_then(|file| file.metadata()).ok()?;
        let mut hasher = Xxh3::new();
        let time = |t: std::io::Result<std::time::SystemTime>| {
            t.ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos())
        };
        hasher.update(&metadata.len().to_le_bytes());
        hasher.update(&time(metadata.modified()).to_le_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            for value in [metadata.dev(), metadata.ino(), metadata.ctime() as u64, metadata.ctime_nsec() as u64] {
                hasher.update(&value.to_le_bytes());
            }
        }
        Some(hasher.digest())
    });
    identity.unwrap_or_else(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
        xxhash_rust::xxh3::xxh3_64(&now.as_nanos().to_le_bytes())
    })
}

/// Everything pages depend on besides the briefs, as one value.
/// `config_text` is depeche.toml's bytes, `authors_text` authors.yaml's; `binary` is
/// [`binary_fingerprint`].
pub fn generation(config_text: &[u8], authors_text: Option<&[u8]>, binary: u64, theme: &Theme) -> String {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&binary.to_le_bytes());
    hasher.update(&(config_text.len() as u64).to_le_bytes());
    hasher.update(config_text);
    match authors_text {
        Some(text) => {
            hasher.update(b"authors");
            hasher.update(text);
        }
        None => hasher.update(b"no authors"),
    }
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

/// What a previous build left in `output`: its manifest, when the output folder still
/// holds exactly the files it lists. A file added or deleted by hand (or no manifest)
/// gives `None`. Walking the output is a tenth of a second at 10,000 briefs, so a build
/// does it while it reads the site.
pub struct Existing(Manifest);

impl Existing {
    pub fn read(output: &Path) -> Option<Existing> {
        let text = std::fs::read_to_string(output.join(MANIFEST)).ok()?;
        let manifest: Manifest = serde_json::from_str(&text).ok()?;
        // The folders copied whole, each one entry listed with a final `/`.
        let folders: std::collections::HashSet<&str> =
            manifest.files.keys().filter_map(|path| path.strip_suffix('/')).collect();
        let mut present = 0;
        let mut walker =
            walkdir::WalkDir::new(output).min_depth(1).into_iter().filter_entry(|e| e.file_name() != META_DIR);
        while let Some(entry) = walker.next() {
            let entry = entry.ok()?;
            let is_dir = entry.file_type().is_dir();
            if is_dir && folders.is_empty() {
                continue;
            }
            let relative = entry.path().strip_prefix(output).ok()?.to_str()?;
            let relative: std::borrow::Cow<str> =
                if std::path::MAIN_SEPARATOR == '/' { relative.into() } else { relative.replace('\\', "/").into() };
            if is_dir {
                if folders.contains(&*relative) {
                    present += 1;
                    walker.skip_current_dir();
                }
                continue;
            }
            if !entry.file_type().is_file() || !manifest.files.contains_key(&*relative) {
                return None;
            }
            present += 1;
        }
        (present == manifest.files.len()).then_some(Existing(manifest))
    }

    /// The previous render, when it was made under `generation`: the fingerprint of each
    /// file, so that the new build writes only what changed. Otherwise the build starts
    /// afresh.
    pub fn previous(self, generation: &str) -> Option<RenderedSite> {
        let Existing(manifest) = self;
        (manifest.generation == generation)
            .then(|| RenderedSite::from_parts(OutputMap::default(), manifest.files.into_iter().collect()))
    }
}

/// The manifest of a render, to write into the output with it.
pub fn manifest(rendered: &RenderedSite, generation: &str) -> Contents {
    let manifest = Manifest {
        generation: generation.to_string(),
        files: rendered.fingerprints().iter().map(|(path, f)| (path.clone(), *f)).collect(),
    };
    Contents::Text(serde_json::to_string(&manifest).expect("a manifest always serialises"))
}
