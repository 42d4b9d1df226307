//! Briefs parsed by a previous build, kept in its output folder so that the next build
//! parses only the files that changed. An entry is used when its file has the same
//! [`FileStamp`] (then the file is not even read) or its bytes hash to the same value, and
//! its image, if it has one, still resolves to the same file (one `lstat`); the whole
//! cache is used only when nothing else that parsing depends on changed: Depeche's
//! version (with its licence registry), the site folder as given, and depeche.toml.
//!
//! Only briefs that parse without any diagnostic are kept, so a warning is never lost;
//! page bundles and briefs with translations (whose parsing looks at other files) are
//! parsed every time.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use super::{Brief, LoadRecord};

/// Where the cache lives inside the output folder.
pub const CACHE_FILE: &str = ".depeche/briefs.bin";

#[derive(Deserialize)]
struct CacheFile {
    key: u64,
    /// Each brief with how it was loaded, which the brief does not serialise.
    briefs: Vec<(Brief, LoadRecord)>,
}

/// [`CacheFile`] as written: the same fields, borrowing the briefs.
#[derive(Serialize)]
struct CacheFileOut<'a> {
    key: u64,
    briefs: Vec<(&'a Brief, &'a LoadRecord)>,
}

/// A file's size, modification and change times and inode: what a later build compares
/// to know, without reading it, that the file has not changed (as git and make do).
/// Only a file left alone for a while before it was read gets a stamp ([`settling_time`]):
/// a second write within the same tick of the file system's clock could otherwise go
/// unseen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStamp {
    len: u64,
    modified_ns: i128,
    /// The inode's change time, which no tool can set back (`touch -d` and `rsync -t` set
    /// the modification time); 0 where the platform has none.
    changed_ns: i128,
    inode: u64,
}

/// How long a file must have been left alone for its stamp to be trusted, on a file
/// system whose times are coarse (FAT's 2 s, ext3's 1 s, exFAT's 10 ms).
pub const SETTLED: std::time::Duration = std::time::Duration::from_secs(3);

/// The same on a file system with fine times (ext4, XFS, Btrfs, tmpfs, APFS: nanoseconds,
/// which Linux advances once per clock tick, at most 10 ms apart).
pub const SETTLED_FINE: std::time::Duration = std::time::Duration::from_millis(100);

/// How long a file with these times must be left alone: times that fall on a whole
/// 10 ms come from a coarse clock (a fine one does so once in ten million files).
fn settling_time(modified_ns: i128, changed_ns: i128) -> std::time::Duration {
    let coarse = |ns: i128| ns % 10_000_000 == 0;
    if coarse(modified_ns) && coarse(changed_ns) { SETTLED } else { SETTLED_FINE }
}

impl FileStamp {
    /// The stamp of a file with this metadata, read at `now`; `None` for a file changed
    /// too recently to trust its times.
    pub fn of(metadata: &std::fs::Metadata, now: std::time::SystemTime) -> Option<FileStamp> {
        let nanos = |time: std::time::SystemTime| {
            time.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| i128::try_from(d.as_nanos()).unwrap_or(i128::MAX))
        };
        let modified = metadata.modified().ok()?;
        #[cfg(unix)]
        let (changed_ns, inode) = {
            use std::os::unix::fs::MetadataExt;
            (i128::from(metadata.ctime()) * 1_000_000_000 + i128::from(metadata.ctime_nsec()), metadata.ino())
        };
        #[cfg(not(unix))]
        let (changed_ns, inode) = (0, 0);
        let stamp = FileStamp { len: metadata.len(), modified_ns: nanos(modified), changed_ns, inode };
        let latest = stamp.modified_ns.max(stamp.changed_ns);
        let settling = settling_time(stamp.modified_ns, stamp.changed_ns);
        let settled_before = nanos(now) - i128::try_from(settling.as_nanos()).unwrap_or(0);
        (latest <= settled_before).then_some(stamp)
    }
}

/// Parsed briefs by file, for one key. Briefs are taken out as they are used, so that a
/// build never holds two copies of its briefs.
#[derive(Default)]
pub struct BriefCache {
    key: u64,
    by_file: Mutex<HashMap<PathBuf, (Brief, LoadRecord)>>,
    /// Each entry's file, hash and stamp, as read.
    entries: HashSet<(PathBuf, u64, Option<FileStamp>)>,
}

impl BriefCache {
    /// The cache in `output`, if it was written under `key`; an empty one otherwise.
    pub fn read(output: &Path, key: u64) -> BriefCache {
        let bytes = std::fs::read(output.join(CACHE_FILE)).ok();
        match bytes.and_then(|bytes| postcard::from_bytes::<CacheFile>(&bytes).ok()) {
            Some(file) if file.key == key => BriefCache {
                key,
                entries: file
                    .briefs
                    .iter()
                    .map(|(brief, record)| (brief.file.clone(), record.file_hash, record.file_stamp))
                    .collect(),
                by_file: Mutex::new(
                    file.briefs
                        .into_iter()
                        .map(|(mut brief, record)| {
                            // Its body was not stored: it is rendered from the file if needed.
                            brief.body = super::Body::InFile { file_hash: record.file_hash };
                            (brief.file.clone(), (brief, record))
                        })
                        .collect(),
                ),
            },
            _ => BriefCache::empty(key),
        }
    }

    /// Whether the previous build parsed `file` (and it has not been taken yet).
    pub fn holds(&self, file: &Path) -> bool {
        self.by_file.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains_key(file)
    }

    /// Takes the brief parsed from `file` when the file has the same stamp as then.
    pub fn take_unchanged(&self, file: &Path, stamp: FileStamp) -> Option<(Brief, LoadRecord)> {
        let mut by_file = self.by_file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match by_file.get(file) {
            Some((_, record)) if record.file_stamp == Some(stamp) => by_file.remove(file),
            _ => None,
        }
    }

    /// Takes the brief parsed from `file` when its bytes hashed to `file_hash`.
    pub fn take(&self, file: &Path, file_hash: u64) -> Option<(Brief, LoadRecord)> {
        let mut by_file = self.by_file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match by_file.get(file) {
            Some((_, record)) if record.file_hash == file_hash => by_file.remove(file),
            _ => None,
        }
    }

    /// Writes the cache of these briefs (each [`is_cacheable`]).
    pub fn write(key: u64, briefs: &[(&Brief, &LoadRecord)], writer: &mut dyn std::io::Write) -> std::io::Result<()> {
        let briefs = briefs.to_vec();
        postcard::to_io(&CacheFileOut { key, briefs }, writer).map(|_| ()).map_err(std::io::Error::other)
    }

    /// Whether the cache holds exactly these briefs, each from the same bytes and with the
    /// same stamp: writing them again would write the same.
    pub fn holds_exactly(&self, briefs: &[(&Brief, &LoadRecord)]) -> bool {
        briefs.len() == self.entries.len()
            && briefs.iter().all(|(brief, record)| {
                self.entries.contains(&(brief.file.clone(), record.file_hash, record.file_stamp))
            })
    }

    pub fn key(&self) -> u64 {
        self.key
    }

    /// A cache holding nothing, for a build asked to ignore caches.
    pub fn empty(key: u64) -> BriefCache {
        BriefCache { key, ..Default::default() }
    }
}

/// Whether parsing the brief depended only on its own bytes and the cache key (and the
/// brief can be stored: its paths are UTF-8).
pub fn is_cacheable(brief: &Brief) -> bool {
    brief.translations.is_empty()
        && brief.file.file_stem().is_none_or(|stem| stem != "index")
        && brief.file.to_str().is_some()
        && brief.path.to_str().is_some()
}

/// The layout of `briefs.bin`. postcard does not describe its data: a `Brief` with a
/// field added or moved would read an older file wrongly rather than fail, so whoever
/// changes `Brief` (or what it holds) adds one here, within a version as across them.
pub const FORMAT: u32 = 9;

/// Everything but the briefs' own bytes that parsing a brief depends on, as a number: the
/// running program (`binary`, a fingerprint of its bytes) and this file's layout, the
/// site folder as given (briefs hold paths made from it) and `depeche.toml`. The other
/// files a brief may depend on, its image's, are checked brief by brief as they come out
/// of the cache.
pub fn key(root: &Path, config_text: &[u8], binary: u64) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(&binary.to_le_bytes());
    hasher.update(&FORMAT.to_le_bytes());
    hasher.update(root.as_os_str().as_encoded_bytes());
    hasher.update(&[0]);
    hasher.update(config_text);
    hasher.digest()
}

/// A licence is stored by its identifier and found again in the registry.
pub(super) mod license_id {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::license::{self, License};

    pub fn serialize<S: Serializer>(license: &Option<&'static License>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(license.map_or("", |l| l.id.as_str()))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<&'static License>, D::Error> {
        let id = String::deserialize(deserializer)?;
        match id.as_str() {
            "" => Ok(None),
            id => license::by_id(id)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("no licence {id} in the registry"))),
        }
    }
}

/// JSON values are stored as their text: compact formats cannot describe them.
pub(super) mod json_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &serde_json::Value, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&value.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<serde_json::Value, D::Error> {
        let text = String::deserialize(deserializer)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, SystemTime};

    use super::*;
    use crate::content::{Body, BriefDate, Correction, CorrectionKind, ImageCredit, ImageSrc, Source, WorkType};

    /// The layout of each [`FORMAT`], as the hash of one cache file holding one brief with
    /// every field set. A change to `Brief` (or to anything it holds) changes the hash:
    /// raise `FORMAT` and add its line, so that no build reads an older cache wrongly.
    const LAYOUTS: &[(u32, u64)] = &[
        (3, 0x9c8f_f276_4d15_bd45),
        (4, 0x2f9a_b788_88dd_d7fa),
        (5, 0x0ac9_d644_c01a_84d9),
        (6, 0x0452_09b5_4099_2e88),
        (7, 0xfe32_e2db_636b_2e41),
        (8, 0x3376_a5ed_7f43_387b),
        (9, 0x6cbd_19fe_ea65_482c),
    ];

    fn sample() -> Brief {
        let date = BriefDate::parse("2022-03-04T10:30:00+01:00").unwrap();
        // Every field written out (no `..`): a new field does not compile until it is here.
        Brief {
            path: "content/a.md".into(),
            title: "Title".into(),
            date,
            updated: Some(date),
            expires: Some(date),
            lang: "fr".into(),
            slug: "a".into(),
            summary: "Summary".into(),
            kind: WorkType::Sponsored,
            corrections: vec![Correction { date, text: "Fixed".into(), kind: CorrectionKind::Clarification }],
            tags: vec!["Tag".into()],
            authors: vec!["Author".into()],
            draft: true,
            sources: vec![Source {
                name: "AFP".into(),
                url: Some("https://afp.example.org/".into()),
                title: Some("Dépêche".into()),
                date: Some(date),
                archive_url: Some("https://web.archive.org/x".into()),
            }],
            image: Some(ImageCredit {
                src: ImageSrc::Colocated { file: "content/a.png".into(), file_name: "a.png".into() },
                src_as_written: "a.png".into(),
                alt: "Alt".into(),
                title: Some("Work".into()),
                author: Some("Someone".into()),
                author_url: Some("https://example.org/someone".into()),
                origin: Some("Commons".into()),
                origin_url: Some("https://example.org/file".into()),
                license: crate::license::by_id("CC-BY-SA-4.0"),
                modified: true,
                focus: Some(crate::content::Focus { x: 2500, y: 4000 }),
            }),
            media: vec![ImageCredit {
                src: ImageSrc::Static { site_path: "/img/map.png".into() },
                src_as_written: "/img/map.png".into(),
                alt: String::new(),
                title: Some("Map".into()),
                author: Some("Cartographer".into()),
                author_url: None,
                origin: Some("Atlas".into()),
                origin_url: None,
                license: crate::license::by_id("CC-BY-4.0"),
                modified: false,
                focus: None,
            }],
            extra: serde_json::json!({"k": [1, "v"]}),
            body: Body::default(),
            permalink: "/2022/03/a/".into(),
            assets: vec!["content/b.png".into()],
            images_in_html: vec![ImageSrc::Static { site_path: "/img/map.png".into() }],
            file: "/site/content/a.md".into(),
            translations: vec![("en".into(), "/site/content/a-en.md".into())],
        }
    }

    #[test]
    fn the_cache_layout_changes_only_with_its_format_number() {
        let brief = sample();
        let mut bytes = Vec::new();
        let record = LoadRecord { file_hash: 1, file_stamp: None, fingerprint: 2, card_fingerprint: 3 };
        BriefCache::write(7, &[(&brief, &record)], &mut bytes).unwrap();
        let layout = xxhash_rust::xxh3::xxh3_64(&bytes);
        let known = LAYOUTS.iter().find(|(format, _)| *format == FORMAT).map(|(_, layout)| *layout);
        assert_eq!(
            known,
            Some(layout),
            "the cache layout changed: raise FORMAT (now {FORMAT}) and add its line to LAYOUTS with {layout:#x}"
        );
        assert!(
            LAYOUTS.iter().all(|(format, other)| *format == FORMAT || *other != layout),
            "this layout is an older FORMAT's: raise FORMAT"
        );
        // And what is written is read back whole, with the record the brief does not serialise.
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(".depeche")).unwrap();
        std::fs::write(dir.path().join(CACHE_FILE), &bytes).unwrap();
        let cache = BriefCache::read(dir.path(), 7);
        let (taken, taken_record) = cache.take(Path::new("/site/content/a.md"), 1).expect("stored");
        assert_eq!(taken_record, record);
        assert_eq!(taken, Brief { body: Body::InFile { file_hash: 1 }, ..brief });
    }

    #[test]
    fn only_a_file_left_alone_for_a_while_is_stamped_and_its_stamp_follows_its_contents() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "one").unwrap();
        let metadata = std::fs::metadata(&file).unwrap();
        assert_eq!(FileStamp::of(&metadata, SystemTime::now()), None, "just written");
        let later = SystemTime::now() + SETTLED + Duration::from_secs(1);
        assert_eq!(settling_time(1_700_000_000_000_000_000, 1_700_000_000_000_000_000), SETTLED, "whole seconds");
        assert_eq!(settling_time(1_700_000_000_120_000_000, 1_700_000_000_120_000_000), SETTLED, "exFAT's 10 ms");
        assert_eq!(settling_time(1_700_000_000_123_456_789, 1_700_000_000_123_456_789), SETTLED_FINE);
        let stamp = FileStamp::of(&metadata, later).expect("settled by then");
        assert_eq!(FileStamp::of(&std::fs::metadata(&file).unwrap(), later), Some(stamp), "nothing changed");
        std::fs::write(&file, "two").unwrap();
        assert_ne!(FileStamp::of(&std::fs::metadata(&file).unwrap(), later), Some(stamp), "same size, new bytes");
    }
}
