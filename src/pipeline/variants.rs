//! The raster images the briefs use (lead images and `media:` entries), each source file
//! published once as variants, whatever number of briefs use it. Variants are kept in
//! `.depeche/images/KEY/`, where KEY hashes what they are made of: the source's bytes,
//! the settings, the credit written into them and the program. An unchanged rebuild
//! decodes nothing: it finds every key's folder, and a source file is read again only when
//! its stamp (size, times, inode) changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::cache::{META_DIR, binary_fingerprint};
use super::site::Site;
use crate::config::ImageSettings;
use crate::content::cache::FileStamp;
use crate::content::front_matter;
use crate::content::locator::{Locator, Step};
use crate::content::{Brief, Focus, ImageCredit, ImageSrc};
use crate::diagnostic::{Code, Diagnostic, Severity};
use crate::images::metadata::{self, Embedded};
use crate::images::{
    Container, EmbeddedCredit, ImageError, ImageLibrary, PublishedCrop, PublishedImage, PublishedVariant,
};
use crate::license::Kind;
use crate::render::UiStrings;
use crate::site_files::STATIC_DIR;

/// Raised when what a key's folder holds changes.
const FORMAT: u32 = 3;
const IMAGES_DIR: &str = "images";
const STAMPS_FILE: &str = "sources.json";

/// The extensions of the raster images published as variants; SVG and others are
/// published as they are.
pub fn is_raster(path: &Path) -> bool {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    matches!(extension.as_str(), "jpg" | "jpeg" | "png" | "webp" | "gif")
}

/// Where a brief shows an image: its lead image, or its `media:` entry `n`.
#[derive(Debug, Clone, Copy)]
enum Place {
    Lead,
    Media(usize),
}

/// One source image and the first brief that uses it (newest first), whose credit its
/// files carry.
struct Source<'a> {
    src: ImageSrc,
    file: PathBuf,
    credit: &'a ImageCredit,
    brief: &'a Brief,
    place: Place,
    /// The points to crop it around for sharing, one per distinct `focus` of the briefs
    /// that lead with it (none: its centre); empty when no brief leads with it.
    crops: Vec<Option<Focus>>,
}

/// The file behind an image's `src`, if the site publishes it.
fn source_file(root: &Path, src: &ImageSrc) -> Option<PathBuf> {
    let file = match src {
        ImageSrc::Colocated { file, .. } => file.clone(),
        ImageSrc::Static { site_path } => root.join(STATIC_DIR).join(site_path.trim_start_matches('/')),
        ImageSrc::Remote(_) => return None,
    };
    Some(file)
}

/// The sources of the site's raster images, and its SVG images, each once.
fn sources<'a>(root: &Path, site: &'a Site) -> (Vec<Source<'a>>, Vec<Source<'a>>) {
    let mut seen = foldhash::HashSet::default();
    let mut crops: foldhash::HashMap<&ImageSrc, std::collections::BTreeSet<Option<Focus>>> = Default::default();
    for credit in site.briefs.iter().filter_map(|brief| brief.image.as_ref()) {
        crops.entry(&credit.src).or_default().insert(credit.focus);
    }
    let (mut raster, mut svg) = (Vec::new(), Vec::new());
    for brief in &site.briefs {
        let images = brief.image.iter().map(|c| (c, Place::Lead));
        for (credit, place) in images.chain(brief.media.iter().enumerate().map(|(i, c)| (c, Place::Media(i)))) {
            if !seen.insert(credit.src.clone()) {
                continue;
            }
            let crops = crops.get(&credit.src).map(|points| points.iter().copied().collect()).unwrap_or_default();
            let source = |file| Source { src: credit.src.clone(), file, credit, brief, place, crops };
            match source_file(root, &credit.src) {
                Some(file) if is_raster(&file) => raster.push(source(file)),
                Some(file) if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("svg")) => svg.push(source(file)),
                _ => {}
            }
        }
    }
    (raster, svg)
}

/// The credit an image's files carry, worded as the site's pages word it.
pub fn embedded_credit(credit: &ImageCredit, strings: &UiStrings) -> EmbeddedCredit {
    let license = credit.license;
    let public_domain = license.is_some_and(|l| matches!(l.kind, Kind::Cc0 | Kind::PublicDomainMark));
    let rights = match (&credit.author, license) {
        (Some(author), Some(license)) => format!("{author}, {}", license.short_name),
        (None, Some(license)) => license.short_name.clone(),
        (Some(author), None) => author.clone(),
        (None, None) => String::new(),
    };
    EmbeddedCredit {
        title: credit.title.clone(),
        creator: credit.author.clone(),
        credit_line: crate::render::views::credit_text(credit, strings),
        rights,
        web_statement: license.map(|l| l.deed_url.clone()),
        marked: !public_domain,
        licensor: credit.origin.clone(),
        licensor_url: credit.origin_url.clone(),
        digital_source_type: None,
    }
}

/// A crop in `meta.json`.
#[derive(Debug, Serialize, Deserialize)]
struct MetaCrop {
    focus: Option<Focus>,
    ratio: (u32, u32),
    width: u32,
    height: u32,
    extension: String,
}

/// What a key's folder holds, in `meta.json`.
#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    width: u32,
    height: u32,
    /// Width, height and container of each variant, smallest first.
    variants: Vec<(u32, u32, String)>,
    crops: Vec<MetaCrop>,
    /// The credit the source file carries itself.
    embedded: Embedded,
}

fn extension(container: Container) -> &'static str {
    match container {
        Container::WebP => "webp",
        Container::Jpeg => "jpg",
        Container::Png => "png",
    }
}

fn container_of(extension: &str) -> Option<Container> {
    match extension {
        "webp" => Some(Container::WebP),
        "jpg" => Some(Container::Jpeg),
        "png" => Some(Container::Png),
        _ => None,
    }
}

/// The stamps of the source files read by the last run, with their bytes' hash.
type Stamps = BTreeMap<PathBuf, (FileStamp, u64)>;

/// A source published: its variants, the credit its file carries, and its stamp and hash
/// when the stamp can be trusted.
type PublishedSource = (PublishedImage, Embedded, Option<(FileStamp, u64)>);

/// Whether images missing from the variant cache are made now, or left for later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Making {
    /// Decoded and made now: a build.
    Now,
    /// Left out of the library, so that pages show the original file meanwhile: the
    /// preview, which makes them off the edit path and then rebuilds.
    Later,
}

/// The images of a site, as [`publish`] found them.
pub struct Published {
    pub library: ImageLibrary,
    pub problems: Vec<Diagnostic>,
    /// How many images are not in the variant cache yet ([`Making::Later`] only).
    pub pending: usize,
}

/// Publishes every raster image of `site`: each found in the variant cache, or decoded
/// and made now (in parallel) unless `making` leaves it for later. A file that cannot be
/// published is an error placed on the `src` line of the brief that uses it.
pub fn publish(root: &Path, site: &Site, strings: &UiStrings, making: Making) -> Published {
    let settings = &site.config.images;
    let cache = root.join(META_DIR).join(IMAGES_DIR);
    let stamps_path = cache.join(STAMPS_FILE);
    let old_stamps: Stamps =
        std::fs::read(&stamps_path).ok().and_then(|bytes| serde_json::from_slice(&bytes).ok()).unwrap_or_default();
    let now = std::time::SystemTime::now();
    let (raster, svg) = sources(root, site);
    let mut problems: Vec<Diagnostic> = svg
        .par_iter()
        .filter_map(|source| {
            let refused = match std::fs::read(&source.file) {
                Ok(bytes) => crate::images::svg::check(&bytes).err().map(|reason| (Code::UnsafeSvg, reason)),
                Err(error) => Some((Code::Io, format!("cannot read it: {error}"))),
            };
            refused.map(|refused| problem(root, source, refused))
        })
        .collect();
    let results: Vec<_> = raster
        .into_par_iter()
        .map(|source| {
            let result = publish_one(&source, settings, strings, (&cache, making), &old_stamps, now);
            (source, result)
        })
        .collect();
    let mut library = ImageLibrary::default();
    let mut stamps = Stamps::new();
    let mut pending = 0;
    for (source, result) in results {
        match result {
            Ok(None) => pending += 1,
            Ok(Some((image, embedded, stamp))) => {
                library.insert(source.src.clone(), Arc::new(image));
                let credit = source.credit;
                let names: Vec<&str> = credit
                    .license
                    .iter()
                    .flat_map(|l| [l.short_name.as_str(), l.id.as_str(), l.deed_url.as_str()])
                    .collect();
                if let Some(how) = metadata::disagreement(&embedded, credit.author.as_deref(), &names) {
                    problems.push(problem(root, &source, (Code::ImageMetadataDiffers, how)));
                }
                if let Some(stamp) = stamp {
                    stamps.insert(source.file.clone(), stamp);
                }
            }
            Err(message) => problems.push(problem(root, &source, message)),
        }
    }
    if !library.is_empty() && stamps != old_stamps && pending == 0 {
        // Only saves reading files again: a failure to write it costs time, not results.
        let _ = std::fs::create_dir_all(&cache);
        let _ = serde_json::to_vec(&stamps).map(|json| std::fs::write(&stamps_path, json));
    }
    Published { library, problems, pending }
}

/// The error of an image that cannot be published (or the warning of one whose file
/// credits another), on its brief's `src` line.
fn problem(root: &Path, source: &Source, (code, message): (Code, String)) -> Diagnostic {
    let brief = source.brief;
    let text = std::fs::read_to_string(&brief.file).unwrap_or_default();
    let text = crate::site_files::normalise_text(&text);
    let position = front_matter::split(&text).ok().map(|document| {
        let locator = Locator::new(&document);
        match source.place {
            Place::Lead => locator.locate(&[Step::Key("image"), Step::Key("src")]),
            Place::Media(i) => locator.locate(&[Step::Key("media"), Step::Item(i), Step::Key("src")]),
        }
    });
    let file = crate::site_files::display_path(root, source.file.strip_prefix(root).unwrap_or(&source.file));
    let (severity, verb) = match code {
        Code::ImageMetadataDiffers => (Severity::Warning, "carries another credit"),
        _ => (Severity::Error, "cannot be published"),
    };
    let image = format!("image `{}` ({})", source.credit.src_as_written, file.display());
    Diagnostic::new(severity, code, &brief.path, format!("{image} {verb}: {message}")).at(position).with_help(
        match code {
            Code::ImageMetadataDiffers => "check the credit against the file's own, and correct whichever is wrong",
            Code::ImageTooLarge => {
                "publish a smaller copy (12 megapixels is plenty for the web), or raise `[images] max_pixels`"
            }
            Code::UnsafeSvg => {
                "export the drawing again as plain SVG (most editors have a plain or optimised SVG export), or as PNG"
            }
            _ => "export the image again as JPEG, PNG or WebP, or check that the file is whole",
        },
    )
}

fn publish_one(
    source: &Source,
    settings: &ImageSettings,
    strings: &UiStrings,
    (cache, making): (&Path, Making),
    stamps: &Stamps,
    now: std::time::SystemTime,
) -> Result<Option<PublishedSource>, (Code, String)> {
    let io_error = |error: std::io::Error| (Code::Io, format!("cannot read {}: {error}", source.file.display()));
    let metadata = std::fs::metadata(&source.file).map_err(io_error)?;
    let stamp = FileStamp::of(&metadata, now);
    let known =
        stamp.and_then(|stamp| stamps.get(&source.file).filter(|(old, _)| *old == stamp).map(|(_, hash)| *hash));
    let mut bytes = None;
    let content_hash = match known {
        Some(hash) => hash,
        None => {
            let read = std::fs::read(&source.file).map_err(io_error)?;
            let hash = xxhash_rust::xxh3::xxh3_64(&read);
            bytes = Some(read);
            hash
        }
    };
    let credit = embedded_credit(source.credit, strings);
    let key = {
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let what = (FORMAT, binary_fingerprint(), content_hash, settings, &credit, &source.crops);
        std::hash::Hash::hash(&what, &mut hasher);
        hasher.digest()
    };
    let folder = cache.join(format!("{key:016x}"));
    let stem = source.file.file_stem().map(|s| slug::slugify(s.to_string_lossy())).unwrap_or_default();
    let stem = if stem.is_empty() { "image".to_string() } else { stem };
    let variant = |(width, height, ext): (u32, u32, &str), name: String| {
        Some(PublishedVariant {
            site_path: format!("{IMAGES_DIR}/{key:016x}/{stem}-{name}.{ext}"),
            width,
            height,
            container: container_of(ext)?,
            file: folder.join(format!("{name}.{ext}")),
        })
    };
    let published = |meta: &Meta| PublishedImage {
        width: meta.width,
        height: meta.height,
        crops: meta
            .crops
            .iter()
            .filter_map(|crop| {
                let variant = variant((crop.width, crop.height, &crop.extension), crop_name(crop.focus, crop.ratio))?;
                Some(PublishedCrop { focus: crop.focus, ratio: crop.ratio, variant })
            })
            .collect(),
        variants: meta
            .variants
            .iter()
            .filter_map(|(width, height, ext)| variant((*width, *height, ext), width.to_string()))
            .collect(),
    };
    if let Some(meta) =
        std::fs::read(folder.join("meta.json")).ok().and_then(|b| serde_json::from_slice::<Meta>(&b).ok())
    {
        return Ok(Some((published(&meta), meta.embedded, stamp.map(|stamp| (stamp, content_hash)))));
    }
    // A file found bad is bad for as long as its key holds: told again, not decoded again
    // (nor, in the preview, sent to be made again and again).
    let failure = cache.join(format!("{key:016x}.failed"));
    if let Ok(known) = std::fs::read(&failure)
        && let Ok((too_large, message)) = serde_json::from_slice::<(bool, String)>(&known)
    {
        return Err((if too_large { Code::ImageTooLarge } else { Code::ImageInvalid }, message));
    }
    if making == Making::Later {
        return Ok(None);
    }
    let bytes = match bytes {
        Some(bytes) => bytes,
        None => std::fs::read(&source.file).map_err(io_error)?,
    };
    let processed = crate::images::process(&bytes, settings, &credit, &source.crops).map_err(|error| {
        let too_large = matches!(error, ImageError::TooManyPixels { .. });
        if !matches!(error, ImageError::Encoding(_)) {
            // Only saves decoding it again: a failure to write it costs time, not results.
            let _ = std::fs::create_dir_all(cache)
                .and_then(|()| serde_json::to_vec(&(too_large, error.to_string())).map_err(std::io::Error::other))
                .and_then(|json| std::fs::write(&failure, json));
        }
        (if too_large { Code::ImageTooLarge } else { Code::ImageInvalid }, error.to_string())
    })?;
    let meta = Meta {
        width: processed.width,
        height: processed.height,
        variants: processed.variants.iter().map(|v| (v.width, v.height, extension(v.container).to_string())).collect(),
        crops: processed
            .crops
            .iter()
            .map(|c| MetaCrop {
                focus: c.focus,
                ratio: c.ratio,
                width: c.variant.width,
                height: c.variant.height,
                extension: extension(c.variant.container).to_string(),
            })
            .collect(),
        embedded: crate::images::metadata::read(&bytes),
    };
    store(cache, &folder, &processed, &meta)
        .map_err(|error| (Code::Io, format!("cannot write its variants into {}: {error}", cache.display())))?;
    let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
    let image = published(&meta);
    Ok(Some((image, meta.embedded, stamp.map(|stamp| (stamp, hash)))))
}

/// A crop's name in its key's folder and in the output: `16x9` around the centre,
/// `16x9-2500-4000` around the point at 25 % across and 40 % down.
fn crop_name(focus: Option<Focus>, (wide, high): (u32, u32)) -> String {
    match focus {
        None => format!("{wide}x{high}"),
        Some(Focus { x, y }) => format!("{wide}x{high}-{x}-{y}"),
    }
}

/// Writes a key's folder whole: into a temporary folder beside it, renamed into place, so
/// that a killed build leaves no half-written key that a later one would trust.
fn store(cache: &Path, folder: &Path, processed: &crate::images::Processed, meta: &Meta) -> std::io::Result<()> {
    std::fs::create_dir_all(cache)?;
    let staging = tempfile::tempdir_in(cache)?;
    let crops = processed.crops.iter().map(|c| (crop_name(c.focus, c.ratio), &c.variant));
    for (name, variant) in processed.variants.iter().map(|v| (v.width.to_string(), v)).chain(crops) {
        std::fs::write(staging.path().join(format!("{name}.{}", extension(variant.container))), &variant.bytes)?;
    }
    let json = serde_json::to_vec(meta).map_err(std::io::Error::other)?;
    std::fs::write(staging.path().join("meta.json"), json)?;
    match std::fs::rename(staging.path(), folder) {
        Ok(()) => {
            // Renamed away: nothing is left for the guard to remove.
            let _ = staging.keep();
            Ok(())
        }
        // Another build made the same key meanwhile: its folder is as good as ours.
        Err(_) if folder.join("meta.json").is_file() => Ok(()),
        Err(error) => Err(error),
    }
}
