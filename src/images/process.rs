//! One source image → its variants: the header read and its size checked before anything
//! is decoded, the pixels decoded once (a GIF's first frame) within a memory limit, turned
//! upright (EXIF orientation), resized to each width (never up), encoded as lossy WebP
//! and as JPEG (or PNG where the image has transparency), and each file given the credit
//! as XMP and the source's colour profile. Nothing else of the source's metadata (EXIF,
//! GPS, camera owner) reaches the variants: they are encoded from pixels.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};

use super::xmp::{self, Container, EmbeddedCredit};
use crate::config::ImageSettings;
use crate::content::Focus;

/// Why an image cannot be published.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("it is not an image (its first bytes are not those of JPEG, PNG, WebP or GIF)")]
    NotAnImage,
    #[error("it is a {0} image, which Depeche does not publish: use JPEG, PNG, WebP, GIF or SVG")]
    Unsupported(String),
    #[error("it is {width}×{height} pixels, more than the {limit} pixels `[images] max_pixels` allows")]
    TooManyPixels { width: u32, height: u32, limit: u64 },
    #[error("it cannot be decoded: {0}")]
    Corrupt(String),
    #[error("its variants cannot be written: {0}")]
    Encoding(String),
}

/// One published file of an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub container: Container,
    pub bytes: Vec<u8>,
}

/// A crop of an image for sharing, around a point of it (its centre when `focus` is none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crop {
    pub focus: Option<Focus>,
    /// Width to height, e.g. (16, 9).
    pub ratio: (u32, u32),
    pub variant: Variant,
}

/// What an image became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processed {
    /// The upright image's size.
    pub width: u32,
    pub height: u32,
    /// WebP variants and their fallbacks (JPEG, or PNG with transparency), each by width,
    /// smallest first.
    pub variants: Vec<Variant>,
    /// The crops asked for, at each of [`CROP_RATIOS`] that gives one of
    /// [`CROP_MIN_PIXELS`] or more.
    pub crops: Vec<Crop>,
}

/// The shapes search engines show an article's image in (Google asks for 16:9, 4:3 and
/// 1:1 in the article's structured data).
pub const CROP_RATIOS: [(u32, u32); 3] = [(16, 9), (4, 3), (1, 1)];

/// The fewest pixels a crop may have: Google ignores smaller images.
pub const CROP_MIN_PIXELS: u64 = 50_000;

/// The formats published as variants.
fn supported(format: ImageFormat) -> bool {
    matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP | ImageFormat::Gif)
}

/// The width of the image shared on social networks (`og:image`), published as a JPEG or
/// PNG besides the configured widths: 1200 pixels is what Facebook and LinkedIn ask for.
pub const SHARE_WIDTH: u32 = 1200;

/// The widths to publish an image `width` pixels wide at: each of `widths` narrower than
/// it, and its own width when it is narrower than the widest (never upscaled).
pub fn widths_for(width: u32, widths: &[u32]) -> Vec<u32> {
    let mut chosen: Vec<u32> = widths.iter().copied().filter(|&w| w < width).collect();
    if widths.last().is_none_or(|&widest| width <= widest) || chosen.is_empty() {
        chosen.push(width);
    }
    chosen
}

/// The part of a `width`×`height` image of shape `ratio` as large as fits, centred on
/// `focus` (the image's centre when none) as far as the image's edges allow: left, top,
/// width, height.
pub fn crop_area(width: u32, height: u32, ratio: (u32, u32), focus: Option<Focus>) -> (u32, u32, u32, u32) {
    let (w, h, (a, b)) = (u64::from(width), u64::from(height), (u64::from(ratio.0), u64::from(ratio.1)));
    // Wider than the ratio: the full height; else the full width.
    let (crop_w, crop_h) = if w * b >= h * a { ((h * a / b).max(1), h) } else { (w, (w * b / a).max(1)) };
    let scale = u64::from(Focus::SCALE);
    let (fx, fy) = focus.map_or((scale / 2, scale / 2), |f| (u64::from(f.x), u64::from(f.y)));
    let start = |size: u64, crop: u64, at: u64| (size * at / scale).saturating_sub(crop / 2).min(size - crop);
    let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    (narrow(start(w, crop_w, fx)), narrow(start(h, crop_h, fy)), narrow(crop_w), narrow(crop_h))
}

/// Decodes `bytes` and makes its variants, and its crops around each of `crops`, with
/// `credit` written into each.
pub fn process(
    bytes: &[u8],
    settings: &ImageSettings,
    credit: &EmbeddedCredit,
    crops: &[Option<Focus>],
) -> Result<Processed, ImageError> {
    let corrupt = |error: image::ImageError| ImageError::Corrupt(error.to_string());
    let reader =
        ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let format = reader.format().ok_or(ImageError::NotAnImage)?;
    if !supported(format) {
        return Err(ImageError::Unsupported(format!("{format:?}").to_uppercase()));
    }
    // The size the header claims, read without decoding: a decompression bomb is refused
    // here, whatever comes after its header.
    if let Ok(claimed) = imagesize::blob_size(bytes) {
        let (width, height) = (claimed.width as u64, claimed.height as u64);
        if width.saturating_mul(height) > settings.max_pixels {
            let side = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
            return Err(ImageError::TooManyPixels {
                width: side(width),
                height: side(height),
                limit: settings.max_pixels,
            });
        }
    }
    if format == ImageFormat::Jpeg && !jpeg_is_whole(bytes) {
        return Err(ImageError::Corrupt("the file ends before the image does (it is truncated)".into()));
    }
    let mut reader = reader;
    let mut limits = Limits::default();
    // Room for the decoded pixels (four bytes each) and the decoder's own buffers.
    limits.max_alloc = Some(settings.max_pixels.saturating_mul(4).saturating_add(64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > settings.max_pixels {
        return Err(ImageError::TooManyPixels { width, height, limit: settings.max_pixels });
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let icc = decoder.icc_profile().ok().flatten();
    let mut image = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    image.apply_orientation(orientation);
    let image = eight_bits(image);
    let (width, height) = (image.width(), image.height());
    let has_alpha = image.color().has_alpha();

    let embedded = xmp::packet(&EmbeddedCredit {
        digital_source_type: credit.digital_source_type.clone().or_else(|| xmp::digital_source_type(bytes)),
        ..credit.clone()
    });
    let fallback = if has_alpha { Container::Png } else { Container::Jpeg };
    let mut made_crops = Vec::new();
    for &focus in crops {
        for ratio in CROP_RATIOS {
            let (left, top, crop_width, crop_height) = crop_area(width, height, ratio, focus);
            let out_width = crop_width.min(SHARE_WIDTH);
            let out_height = ((u64::from(out_width) * u64::from(ratio.1)) / u64::from(ratio.0)).max(1) as u32;
            if u64::from(out_width) * u64::from(out_height) < CROP_MIN_PIXELS {
                continue;
            }
            let area = (left, top, crop_width, crop_height);
            let cropped = resize(&image, out_width, out_height, Some(area))?;
            let encoded = encode(&cropped, fallback, settings.quality)?;
            let bytes = xmp::embed(encoded, fallback, &embedded, icc.as_deref())
                .map_err(|error| ImageError::Encoding(error.to_string()))?;
            let variant = Variant { width: out_width, height: out_height, container: fallback, bytes };
            made_crops.push(Crop { focus, ratio, variant });
        }
    }
    let mut variants = Vec::new();
    let mut previous = image;
    // Widest first, each from the one before: resizing a 1600-pixel image to 960 costs
    // a fraction of resizing the original again, for no visible difference.
    let mut targets = widths_for(width, &settings.widths);
    let share = SHARE_WIDTH < width && !targets.contains(&SHARE_WIDTH);
    if share {
        targets.push(SHARE_WIDTH);
        targets.sort_unstable();
    }
    for target in targets.into_iter().rev() {
        let target_height =
            ((u64::from(height) * u64::from(target) + u64::from(width) / 2) / u64::from(width)).max(1) as u32;
        let resized =
            if target == previous.width() { previous } else { resize(&previous, target, target_height, None)? };
        // The shared width is for other sites, which take JPEG or PNG: no WebP of it.
        let containers: &[Container] =
            if share && target == SHARE_WIDTH { &[fallback] } else { &[Container::WebP, fallback] };
        for &container in containers {
            let encoded = encode(&resized, container, settings.quality)?;
            let bytes = xmp::embed(encoded, container, &embedded, icc.as_deref())
                .map_err(|error| ImageError::Encoding(error.to_string()))?;
            variants.push(Variant { width: target, height: target_height, container, bytes });
        }
        previous = resized;
    }
    variants.sort_by_key(|variant| (variant.width, variant.container != Container::WebP));
    Ok(Processed { width, height, variants, crops: made_crops })
}

/// Whether a JPEG's last image ends (an EOI marker after its last start of scan): the
/// decoder fills a truncated file's missing rows with grey rather than fail. Markers cannot
/// occur inside the compressed data (0xFF is stuffed there), so the last ones are the
/// main image's, after any thumbnail of its EXIF.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    let last = |marker: u8| bytes.windows(2).rposition(|pair| pair == [0xFF, marker]);
    matches!((last(0xDA), last(0xD9)), (Some(scan), Some(end)) if end > scan)
}

/// The image as 8-bit RGB, or RGBA when some pixel is not opaque.
fn eight_bits(image: DynamicImage) -> DynamicImage {
    if image.color().has_alpha() {
        let rgba = image.into_rgba8();
        if rgba.pixels().all(|pixel| pixel.0[3] == 255) {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(rgba).into_rgb8())
        } else {
            DynamicImage::ImageRgba8(rgba)
        }
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    }
}

/// `image` (or its part `area`: left, top, width, height) resized to `width`×`height`.
fn resize(
    image: &DynamicImage,
    width: u32,
    height: u32,
    area: Option<(u32, u32, u32, u32)>,
) -> Result<DynamicImage, ImageError> {
    let mut resized = DynamicImage::new(width, height, image.color());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Some((left, top, area_width, area_height)) = area {
        options = options.crop(f64::from(left), f64::from(top), f64::from(area_width), f64::from(area_height));
    }
    Resizer::new().resize(image, &mut resized, &options).map_err(|error| ImageError::Encoding(error.to_string()))?;
    Ok(resized)
}

fn encode(image: &DynamicImage, container: Container, quality: u8) -> Result<Vec<u8>, ImageError> {
    let failed = |error: image::ImageError| ImageError::Encoding(error.to_string());
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    match container {
        Container::WebP => {
            let encoder = match image {
                DynamicImage::ImageRgba8(rgba) => webp::Encoder::from_rgba(rgba.as_raw(), width, height),
                other => webp::Encoder::from_rgb(other.as_bytes(), width, height),
            };
            let mut config =
                webp::WebPConfig::new().map_err(|()| ImageError::Encoding("libwebp cannot be set up".into()))?;
            config.quality = f32::from(quality);
            config.alpha_compression = 1;
            let memory =
                encoder.encode_advanced(&config).map_err(|error| ImageError::Encoding(format!("WebP: {error:?}")))?;
            bytes.extend_from_slice(&memory);
        }
        Container::Jpeg => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality)
                .encode(image.as_bytes(), width, height, ExtendedColorType::Rgb8)
                .map_err(failed)?;
        }
        Container::Png => {
            image::codecs::png::PngEncoder::new(&mut bytes)
                .write_image(image.as_bytes(), width, height, ExtendedColorType::Rgba8)
                .map_err(failed)?;
        }
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crops_are_as_large_as_fit_and_keep_the_focus_in_frame() {
        // A 4000×3000 photo: 16:9 takes the full width, 1:1 the full height.
        assert_eq!(crop_area(4000, 3000, (16, 9), None), (0, 375, 4000, 2250));
        assert_eq!(crop_area(4000, 3000, (4, 3), None), (0, 0, 4000, 3000));
        assert_eq!(crop_area(4000, 3000, (1, 1), None), (500, 0, 3000, 3000));
        // Around a point: centred on it as far as the edges allow.
        let left_third = Focus::from_fractions(0.3, 0.5);
        assert_eq!(crop_area(4000, 3000, (1, 1), left_third), (0, 0, 3000, 3000));
        let right = Focus::from_fractions(0.7, 0.5);
        assert_eq!(crop_area(6000, 3000, (1, 1), right), (2700, 0, 3000, 3000));
        assert_eq!(crop_area(6000, 3000, (1, 1), Focus::from_fractions(1.0, 1.0)), (3000, 0, 3000, 3000));
        assert_eq!(crop_area(3000, 4000, (16, 9), Focus::from_fractions(0.5, 0.1)), (0, 0, 3000, 1687));
        assert_eq!(crop_area(1, 1, (16, 9), None), (0, 0, 1, 1));
    }

    #[test]
    fn crops_are_made_at_each_ratio_from_the_part_around_the_focus() {
        // Red on the left half, blue on the right.
        let image = image::RgbImage::from_fn(2000, 1000, |x, _| {
            if x < 1000 { image::Rgb([230, 0, 0]) } else { image::Rgb([0, 0, 230]) }
        });
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut bytes)
            .encode(image.as_raw(), 2000, 1000, ExtendedColorType::Rgb8)
            .unwrap();
        let left = Focus::from_fractions(0.1, 0.5);
        let processed = process(&bytes, &ImageSettings::default(), &EmbeddedCredit::default(), &[None, left]).unwrap();
        let made: Vec<_> =
            processed.crops.iter().map(|c| (c.focus, c.ratio, c.variant.width, c.variant.height)).collect();
        assert_eq!(
            made,
            [
                (None, (16, 9), 1200, 675),
                (None, (4, 3), 1200, 900),
                (None, (1, 1), 1000, 1000),
                (left, (16, 9), 1200, 675),
                (left, (4, 3), 1200, 900),
                (left, (1, 1), 1000, 1000),
            ]
        );
        let square = |focus| {
            let crop = processed.crops.iter().find(|c| c.focus == focus && c.ratio == (1, 1)).unwrap();
            let decoded = image::load_from_memory(&crop.variant.bytes).unwrap().into_rgb8();
            (decoded.get_pixel(100, 500).0, decoded.get_pixel(900, 500).0)
        };
        // Centred: red then blue; around the left: red only.
        let ((centre_left, centre_right), (focus_left, focus_right)) = (square(None), square(left));
        assert!(centre_left[0] > 200 && centre_right[2] > 200, "{centre_left:?} {centre_right:?}");
        assert!(focus_left[0] > 200 && focus_right[0] > 200, "{focus_left:?} {focus_right:?}");
        // Too small for any crop of 50,000 pixels: none.
        let small = process(&jpeg(200, 200), &ImageSettings::default(), &EmbeddedCredit::default(), &[None]).unwrap();
        assert!(small.crops.is_empty());
    }

    #[test]
    fn the_colour_profile_of_the_source_is_in_every_variant() {
        use img_parts::ImageICC;
        // A profile's bytes as the file carries them (a Display P3 photo's, say): kept as
        // they are, so that colours are shown as the camera meant them.
        let profile: Vec<u8> = (0..3144u32).map(|i| (i * 7 % 251) as u8).collect();
        let mut source = img_parts::jpeg::Jpeg::from_bytes(jpeg(700, 400).into()).unwrap();
        source.set_icc_profile(Some(profile.clone().into()));
        let bytes = source.encoder().bytes().to_vec();
        let processed = process(&bytes, &ImageSettings::default(), &EmbeddedCredit::default(), &[None]).unwrap();
        let files = processed.variants.iter().chain(processed.crops.iter().map(|c| &c.variant));
        for variant in files {
            let icc = match variant.container {
                Container::Jpeg => {
                    img_parts::jpeg::Jpeg::from_bytes(variant.bytes.clone().into()).unwrap().icc_profile()
                }
                Container::WebP => {
                    img_parts::webp::WebP::from_bytes(variant.bytes.clone().into()).unwrap().icc_profile()
                }
                Container::Png => img_parts::png::Png::from_bytes(variant.bytes.clone().into()).unwrap().icc_profile(),
            };
            assert_eq!(icc.as_deref(), Some(&profile[..]), "{} {:?}", variant.width, variant.container);
        }
    }

    #[test]
    fn widths_never_upscale() {
        assert_eq!(widths_for(4000, &[480, 960, 1600]), [480, 960, 1600]);
        assert_eq!(widths_for(1200, &[480, 960, 1600]), [480, 960, 1200]);
        assert_eq!(widths_for(300, &[480, 960, 1600]), [300]);
        assert_eq!(widths_for(480, &[480, 960]), [480]);
        assert_eq!(widths_for(960, &[480, 960]), [480, 960]);
    }

    #[test]
    fn a_wide_image_gets_a_jpeg_at_the_width_shared() {
        let processed = process(&jpeg(2000, 1000), &ImageSettings::default(), &EmbeddedCredit::default(), &[]).unwrap();
        let made: Vec<(u32, Container)> = processed.variants.iter().map(|v| (v.width, v.container)).collect();
        assert!(made.contains(&(1200, Container::Jpeg)) && !made.contains(&(1200, Container::WebP)), "{made:?}");
        assert_eq!(made.len(), 7);
    }

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
        let mut bytes = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut bytes)
            .encode(image.as_raw(), width, height, ExtendedColorType::Rgb8)
            .unwrap();
        bytes
    }

    #[test]
    fn bad_files_are_told_apart() {
        let settings = ImageSettings { max_pixels: 1_000_000, ..ImageSettings::default() };
        let credit = EmbeddedCredit::default();
        assert_eq!(process(b"hello, world", &settings, &credit, &[]), Err(ImageError::NotAnImage));
        assert_eq!(process(b"BM\x00\x00\x00\x00", &settings, &credit, &[]), Err(ImageError::Unsupported("BMP".into())));
        let whole = jpeg(64, 48);
        assert!(matches!(process(&whole[..whole.len() / 2], &settings, &credit, &[]), Err(ImageError::Corrupt(_))));
        // A PNG header claiming 100000×100000 pixels, and nothing after it.
        let mut bomb = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR".to_vec();
        bomb.extend_from_slice(&100_000u32.to_be_bytes());
        bomb.extend_from_slice(&100_000u32.to_be_bytes());
        bomb.extend_from_slice(&[8, 2, 0, 0, 0]);
        let crc = crc32(&bomb[12..]);
        bomb.extend_from_slice(&crc.to_be_bytes());
        assert_eq!(
            process(&bomb, &settings, &credit, &[]),
            Err(ImageError::TooManyPixels { width: 100_000, height: 100_000, limit: 1_000_000 })
        );
    }

    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn variants_are_made_at_each_width_in_both_formats() {
        let settings = ImageSettings { widths: vec![32, 64, 128], ..ImageSettings::default() };
        let processed = process(&jpeg(100, 50), &settings, &EmbeddedCredit::default(), &[]).unwrap();
        let made: Vec<(u32, u32, Container)> =
            processed.variants.iter().map(|v| (v.width, v.height, v.container)).collect();
        assert_eq!(
            made,
            [
                (32, 16, Container::WebP),
                (32, 16, Container::Jpeg),
                (64, 32, Container::WebP),
                (64, 32, Container::Jpeg),
                (100, 50, Container::WebP),
                (100, 50, Container::Jpeg)
            ]
        );
        for variant in &processed.variants {
            let decoded = image::load_from_memory(&variant.bytes).unwrap();
            assert_eq!((decoded.width(), decoded.height()), (variant.width, variant.height));
        }
    }
}
