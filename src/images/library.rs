//! The images a site publishes as variants, by source: what pages need to show them
//! (`<picture>` sources, `width` and `height`) and where each variant's file is kept.

use std::path::PathBuf;
use std::sync::Arc;

use super::xmp::Container;
use crate::content::{Focus, ImageSrc};

/// One published file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedVariant {
    /// Its path in the output, e.g. `images/3fa9…/harbour-960.webp`.
    pub site_path: String,
    pub width: u32,
    pub height: u32,
    pub container: Container,
    /// The file in the variant cache that is copied to `site_path`.
    pub file: PathBuf,
}

/// A crop published for sharing, around a point of the image (its centre when none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedCrop {
    pub focus: Option<Focus>,
    pub ratio: (u32, u32),
    pub variant: PublishedVariant,
}

/// A source image as published: its upright size, its variants, smallest first, and the
/// crops made for the briefs that lead with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedImage {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<PublishedVariant>,
    pub crops: Vec<PublishedCrop>,
}

impl PublishedImage {
    /// The crops around `focus`, widest shape first.
    pub fn crops_around(&self, focus: Option<Focus>) -> impl Iterator<Item = &PublishedCrop> {
        self.crops.iter().filter(move |crop| crop.focus == focus)
    }

    /// The variants in `container`, smallest first.
    pub fn in_container(&self, container: Container) -> impl Iterator<Item = &PublishedVariant> {
        self.variants.iter().filter(move |variant| variant.container == container)
    }

    /// The widest variant of the widths configured that is not WebP (JPEG or PNG): what
    /// `<img src>` shows.
    pub fn fallback(&self) -> Option<&PublishedVariant> {
        self.srcset_fallbacks().last()
    }

    /// The JPEG or PNG variants that have a WebP twin (all but the shared one), smallest
    /// first: the fallback `srcset`.
    pub fn srcset_fallbacks(&self) -> impl Iterator<Item = &PublishedVariant> {
        self.variants.iter().filter(|variant| {
            variant.container != Container::WebP
                && self.variants.iter().any(|twin| twin.container == Container::WebP && twin.width == variant.width)
        })
    }

    /// The variant other sites show when the page is shared: the JPEG or PNG at
    /// [`super::process::SHARE_WIDTH`], else the widest one.
    pub fn shared(&self) -> Option<&PublishedVariant> {
        let fallbacks = || self.variants.iter().filter(|variant| variant.container != Container::WebP);
        fallbacks().find(|variant| variant.width == super::process::SHARE_WIDTH).or_else(|| fallbacks().next_back())
    }
}

/// Every image published as variants, by its source.
#[derive(Debug, Clone, Default)]
pub struct ImageLibrary {
    images: foldhash::HashMap<ImageSrc, Arc<PublishedImage>>,
}

impl ImageLibrary {
    pub fn insert(&mut self, src: ImageSrc, image: Arc<PublishedImage>) {
        self.images.insert(src, image);
    }

    pub fn get(&self, src: &ImageSrc) -> Option<&PublishedImage> {
        self.images.get(src).map(Arc::as_ref)
    }

    pub fn len(&self) -> usize {
        self.images.len()
    }

    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    /// Every file of every image (variants and crops), each once.
    pub fn variants(&self) -> impl Iterator<Item = &PublishedVariant> {
        self.images.values().flat_map(|image| image.variants.iter().chain(image.crops.iter().map(|c| &c.variant)))
    }
}
