//! Raster images as the site publishes them: each source file decoded once and published
//! as resized variants ([`process`]), with its credit written into every file ([`xmp`]).

pub mod library;
pub mod metadata;
pub mod process;
pub mod svg;
pub mod xmp;

pub use library::{ImageLibrary, PublishedCrop, PublishedImage, PublishedVariant};
pub use process::{ImageError, Processed, Variant, process};
pub use xmp::{Container, EmbeddedCredit};
