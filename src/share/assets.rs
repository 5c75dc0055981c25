//! Images from the share, checked and decoded on the CPU, off the render thread, and scaled to
//! the size they are drawn. No wgpu here: the renderer uploads what this produces.
//!
//! Every file is read through [`crate::share`] (regular files only, size-limited), decoded under
//! the `image` crate's [`image::Limits`], and must decode completely: a half-copied JPEG, whose
//! decoder would fill the missing rows with grey, is an error like any other broken file.

use std::fmt;
use std::io::Cursor;
use std::path::Path;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, RgbaImage};

use crate::lang::Msg;
use crate::model::playlist::Fit;
use crate::share::{self, human_bytes, FileProblem};

/// Image files larger than this are refused before reading: no picture a wall shows needs it.
pub const MAX_FILE_BYTES: u64 = 64 << 20;
/// The widest or tallest image decoded.
pub const MAX_SIDE: u32 = 16384;
/// The most memory one decoded image may take (8192x8192 in RGBA, or a 60-megapixel photo).
pub const MAX_DECODED_BYTES: u64 = 256 << 20;

/// How much of a file is read to find its size: headers are small (a JPEG with a large EXIF
/// thumbnail is read again whole). Checking a playlist of a thousand photos reads this much of
/// each.
const PROBE_BYTES: u64 = 32 << 10;

/// Why an image cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageProblem {
    File(FileProblem),
    /// The file has no bytes (being saved or copied, or a copy that failed).
    Empty,
    /// No decoder recognises the content.
    NotAnImage,
    /// The file ends before the image does (a copy still in progress, or cut short).
    Incomplete(&'static str),
    /// Larger than the limits; `bytes` is what decoding it would take.
    TooLarge {
        width: u32,
        height: u32,
        bytes: u64,
    },
    /// A header that says 0 pixels wide or high.
    NoPixels,
    Corrupt(String),
}

impl ImageProblem {
    /// The problem, as the end of a sentence that starts with the image's name.
    pub fn message(&self) -> Msg {
        match self {
            ImageProblem::File(p) => p.message(),
            ImageProblem::Empty => Msg::ImageEmpty,
            ImageProblem::NotAnImage => Msg::NotAnImage,
            ImageProblem::Incomplete(format) => Msg::ImageIncomplete {
                format: format.to_string(),
            },
            ImageProblem::TooLarge {
                width,
                height,
                bytes,
            } => {
                let (w, h) = fitting_size(*width, *height);
                Msg::ImageTooLarge {
                    size: format!("{width}x{height}"),
                    bytes: human_bytes(*bytes),
                    limit: human_bytes(MAX_DECODED_BYTES),
                    side: MAX_SIDE,
                    fits: format!("{w}x{h}"),
                }
            }
            ImageProblem::NoPixels => Msg::NoPixels,
            ImageProblem::Corrupt(e) => Msg::CannotDecode { error: e.clone() },
        }
    }

    /// "image \"NAME\" …": the whole sentence about the image `written` in the playlist.
    pub fn about(&self, written: impl Into<String>) -> Msg {
        Msg::Image {
            image: written.into(),
            problem: Box::new(self.message()),
        }
    }
}

impl fmt::Display for ImageProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

impl From<FileProblem> for ImageProblem {
    fn from(p: FileProblem) -> Self {
        ImageProblem::File(p)
    }
}

/// The largest size with the same aspect that fits the limits.
fn fitting_size(w: u32, h: u32) -> (u32, u32) {
    let (w, h) = (w.max(1) as f64, h.max(1) as f64);
    let by_side = (MAX_SIDE as f64 / w).min(MAX_SIDE as f64 / h);
    let by_bytes = (MAX_DECODED_BYTES as f64 / (4.0 * w * h)).sqrt();
    let s = by_side.min(by_bytes).min(1.0);
    (
        (w * s).floor().max(1.0) as u32,
        (h * s).floor().max(1.0) as u32,
    )
}

pub(crate) fn limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

/// The format of `bytes`, from their first bytes (whatever the file's name says).
fn format_of(bytes: &[u8]) -> Result<ImageFormat, ImageProblem> {
    image::guess_format(bytes).map_err(|_| ImageProblem::NotAnImage)
}

/// A decoder for `bytes`, with the limits applied to what its header declares.
fn decoder(bytes: &[u8], format: ImageFormat) -> Result<impl ImageDecoder + '_, ImageProblem> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let decoder = reader.into_decoder().map_err(|e| match problem(e, None) {
        ImageProblem::Corrupt(m) if is_truncation(&m) => {
            ImageProblem::Incomplete(format_name(format))
        }
        p => p,
    })?;
    let (width, height) = decoder.dimensions();
    let mut budget = limits();
    if width == 0 || height == 0 {
        return Err(ImageProblem::NoPixels);
    }
    budget
        .reserve(decoder.total_bytes())
        .map_err(|_| ImageProblem::TooLarge {
            width,
            height,
            bytes: decoder.total_bytes(),
        })?;
    Ok(decoder)
}

fn problem(e: image::ImageError, size: Option<(u32, u32, u64)>) -> ImageProblem {
    match (e, size) {
        (image::ImageError::Limits(_), Some((width, height, bytes))) => ImageProblem::TooLarge {
            width,
            height,
            bytes,
        },
        (image::ImageError::Limits(l), None) => ImageProblem::Corrupt(format!(
            "{l} (at most {MAX_SIDE} pixels a side and {} decoded)",
            human_bytes(MAX_DECODED_BYTES)
        )),
        (image::ImageError::Unsupported(_), _) => ImageProblem::NotAnImage,
        (e, _) => ImageProblem::Corrupt(e.to_string()),
    }
}

/// Reads only the header: the pixel size, or why the file is not a usable image. For checking
/// a playlist without decoding every picture in it.
pub fn probe(path: &Path) -> Result<(u32, u32), ImageProblem> {
    // The header is at the start; reading a little more than needed is cheaper than seeking
    // on a network share, and bounded.
    let (file, meta) = share::open_regular(path, MAX_FILE_BYTES)?;
    if meta.len() == 0 {
        return Err(ImageProblem::Empty);
    }
    let mut head = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(file, PROBE_BYTES), &mut head)
        .map_err(|e| ImageProblem::File(FileProblem::Unreadable(e.to_string())))?;
    let format = format_of(&head)?;
    let size = decoder(&head, format).map(|d| d.dimensions());
    match size {
        // A header longer than what was read (large EXIF blocks): read the whole file.
        Err(ImageProblem::Corrupt(_) | ImageProblem::Incomplete(_))
            if head.len() as u64 == PROBE_BYTES =>
        {
            let bytes = share::read_limited(path, MAX_FILE_BYTES)?;
            let size = decoder(&bytes, format).map(|d| d.dimensions());
            size
        }
        size => size,
    }
}

/// Decodes the whole image, upright (EXIF orientation applied). Fails on anything that does
/// not decode completely.
pub fn decode(path: &Path) -> Result<DynamicImage, ImageProblem> {
    let bytes = share::read_limited(path, MAX_FILE_BYTES)?;
    decode_bytes(&bytes)
}

pub fn decode_bytes(bytes: &[u8]) -> Result<DynamicImage, ImageProblem> {
    if bytes.is_empty() {
        return Err(ImageProblem::Empty);
    }
    let format = format_of(bytes)?;
    // Before decoding: a cut-off file often decodes "successfully".
    if !is_complete(format, bytes) {
        return Err(ImageProblem::Incomplete(format_name(format)));
    }
    let mut decoder = decoder(bytes, format)?;
    let (w, h) = decoder.dimensions();
    let size = Some((w, h, decoder.total_bytes()));
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| match problem(e, size) {
        ImageProblem::Corrupt(msg) if is_truncation(&msg) => {
            ImageProblem::Incomplete(format_name(format))
        }
        p => p,
    })?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Decodes `path` and scales it to the size it is drawn at under `fit` in an `area`-sized
/// slide: never larger than the wall shows it (scaling up is left to the GPU), so memory
/// follows the screen, not the file.
pub fn decode_for(path: &Path, fit: Fit, area: (u32, u32)) -> Result<RgbaImage, ImageProblem> {
    let img = decode(path)?;
    Ok(fit_to_area(img, fit, area))
}

/// `img` cropped to the part `fit` shows of it in `area` and scaled down to the pixels it
/// covers there. Drawn with [`crate::layout::fit_rect`], it gives the same picture as the
/// whole image would, at a fraction of the memory.
pub fn fit_to_area(img: DynamicImage, fit: Fit, area: (u32, u32)) -> RgbaImage {
    let ((x, y, w, h), (tw, th)) = drawn_size(fit, img.dimensions_tuple(), area);
    let cropped = if (x, y, w, h) == (0, 0, img.width(), img.height()) {
        img
    } else {
        img.crop_imm(x, y, w, h)
    };
    if (tw, th) == (w, h) {
        cropped.into_rgba8()
    } else {
        // Scale in the decoded pixel format (often RGB), then widen the small result to RGBA.
        cropped
            .resize_exact(tw, th, FilterType::CatmullRom)
            .into_rgba8()
    }
}

trait Dimensions {
    fn dimensions_tuple(&self) -> (u32, u32);
}

impl Dimensions for DynamicImage {
    fn dimensions_tuple(&self) -> (u32, u32) {
        (self.width(), self.height())
    }
}

/// For an `image`-sized picture under `fit` in `area`: the part of it that shows (x, y, w, h in
/// its pixels) and the size to scale that part to. Scales down only.
pub fn drawn_size(
    fit: Fit,
    image: (u32, u32),
    area: (u32, u32),
) -> ((u32, u32, u32, u32), (u32, u32)) {
    let (iw, ih) = (image.0.max(1), image.1.max(1));
    let (aw, ah) = (area.0.max(1), area.1.max(1));
    let full = (0, 0, iw, ih);
    let scaled = |w: u32, h: u32, s: f64| {
        if s < 1.0 {
            (
                ((w as f64 * s).round() as u32).max(1),
                ((h as f64 * s).round() as u32).max(1),
            )
        } else {
            (w, h)
        }
    };
    let (fw, fh) = (iw as f64, ih as f64);
    match fit {
        Fit::Contain => (full, scaled(iw, ih, (aw as f64 / fw).min(ah as f64 / fh))),
        Fit::Stretch => (full, (iw.min(aw), ih.min(ah))),
        Fit::Cover => {
            // Keep the visible part, widened to whole pixels equally on both sides so that it
            // stays centred: the GPU then crops the last fraction of a pixel exactly.
            let s = (aw as f64 / fw).max(ah as f64 / fh);
            let mx = ((fw - aw as f64 / s) / 2.0).floor().max(0.0) as u32;
            let my = ((fh - ah as f64 / s) / 2.0).floor().max(0.0) as u32;
            let (w, h) = (iw - 2 * mx.min(iw / 2), ih - 2 * my.min(ih / 2));
            ((mx, my, w.max(1), h.max(1)), scaled(w.max(1), h.max(1), s))
        }
        Fit::Center => {
            let (w, h) = (iw.min(aw), ih.min(ah));
            ((((iw - w) / 2), (ih - h) / 2, w, h), (w, h))
        }
    }
}

/// Whether the file reaches the end its format marks. A file cut short (a copy in progress)
/// can still decode: JPEG decoders fill the missing rows with grey, and PNG and GIF decoders
/// stop happily after the last pixel they got. So the end marker itself is required.
fn is_complete(format: ImageFormat, bytes: &[u8]) -> bool {
    match format {
        // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so
        // the last start-of-scan (FF DA) is a real one; an end-of-image (FF D9) must follow.
        ImageFormat::Jpeg => bytes
            .windows(2)
            .rposition(|w| w == [0xFF, 0xDA])
            .is_some_and(|i| bytes[i..].windows(2).any(|w| w == [0xFF, 0xD9])),
        // The IEND chunk, with its checksum, near the end.
        ImageFormat::Png => {
            let tail = &bytes[bytes.len().saturating_sub(1024)..];
            tail.windows(4)
                .rposition(|w| w == b"IEND")
                .is_some_and(|i| tail.len() >= i + 8)
        }
        // The trailer byte.
        ImageFormat::Gif => bytes.last() == Some(&0x3B),
        // RIFF's header says how long the file is.
        ImageFormat::WebP => bytes.get(4..8).is_some_and(|n| {
            let size = u32::from_le_bytes([n[0], n[1], n[2], n[3]]) as usize;
            bytes.len() >= size.saturating_add(8)
        }),
        _ => true,
    }
}

fn is_truncation(msg: &str) -> bool {
    let m = msg.to_ascii_lowercase();
    [
        "unexpected end",
        "eof",
        "end of file",
        "truncated",
        "fill whole buffer",
        "no more data",
        "not enough bytes",
    ]
    .iter()
    .any(|k| m.contains(k))
}

fn format_name(f: ImageFormat) -> &'static str {
    match f {
        ImageFormat::Png => "PNG",
        ImageFormat::Jpeg => "JPEG",
        ImageFormat::Gif => "GIF",
        ImageFormat::WebP => "WebP",
        ImageFormat::Bmp => "BMP",
        _ => "image",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(img: &RgbaImage, format: ImageFormat) -> Vec<u8> {
        let mut bytes = Vec::new();
        let img = if format == ImageFormat::Jpeg {
            DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(img.clone()).to_rgb8())
        } else {
            DynamicImage::ImageRgba8(img.clone())
        };
        img.write_to(&mut Cursor::new(&mut bytes), format).unwrap();
        bytes
    }

    fn noise(w: u32, h: u32) -> RgbaImage {
        RgbaImage::from_fn(w, h, |x, y| {
            let v = (x * 7 + y * 13) as u8;
            image::Rgba([v, v.wrapping_mul(3), 255 - v, 255])
        })
    }

    #[test]
    fn every_format_cut_short_is_an_error() {
        for format in [
            ImageFormat::Png,
            ImageFormat::Jpeg,
            ImageFormat::Gif,
            ImageFormat::WebP,
            ImageFormat::Bmp,
        ] {
            let bytes = encoded(&noise(64, 64), format);
            assert!(decode_bytes(&bytes).is_ok(), "{format:?} whole");
            for cut in [bytes.len() / 2, bytes.len() - 2] {
                assert!(
                    decode_bytes(&bytes[..cut]).is_err(),
                    "{format:?} cut at {cut} of {} decoded",
                    bytes.len()
                );
            }
        }
    }

    #[test]
    fn drawn_at_the_size_the_wall_shows() {
        // The example: a 1920x1080 photo, contain, on a 1920x320 wall.
        assert_eq!(
            drawn_size(Fit::Contain, (1920, 1080), (1920, 320)),
            ((0, 0, 1920, 1080), (569, 320))
        );
        // Cover keeps only the visible band, at the wall's size.
        assert_eq!(
            drawn_size(Fit::Cover, (1920, 1080), (1920, 320)),
            ((0, 380, 1920, 320), (1920, 320))
        );
        assert_eq!(
            drawn_size(Fit::Cover, (3840, 2160), (1920, 320)),
            ((0, 760, 3840, 640), (1920, 320))
        );
        // Small images are left for the GPU to scale up.
        assert_eq!(
            drawn_size(Fit::Contain, (100, 50), (1920, 320)),
            ((0, 0, 100, 50), (100, 50))
        );
        assert_eq!(
            drawn_size(Fit::Center, (4000, 100), (1920, 320)),
            ((1040, 0, 1920, 100), (1920, 100))
        );
        assert_eq!(
            drawn_size(Fit::Stretch, (4000, 100), (1920, 320)),
            ((0, 0, 4000, 100), (1920, 100))
        );
    }

    #[test]
    fn large_images_are_scaled_down_keeping_aspect() {
        let img = DynamicImage::ImageRgba8(RgbaImage::from_pixel(
            4000,
            1000,
            image::Rgba([10, 20, 30, 255]),
        ));
        let scaled = fit_to_area(img, Fit::Contain, (1920, 1080));
        assert_eq!(scaled.dimensions(), (1920, 480));
        assert_eq!(scaled.get_pixel(100, 100).0, [10, 20, 30, 255]);
    }

    #[test]
    fn a_bomb_is_refused_from_its_header_with_a_size_that_would_work() {
        // A PNG header declaring 16000x16000 (1 GB of RGBA) in a few bytes.
        let header = bomb_header(16000, 16000);
        match decode_bytes(&header) {
            Err(e @ ImageProblem::TooLarge { .. }) => {
                let msg = e.to_string();
                assert!(msg.contains("16000x16000"), "{msg}");
                assert!(msg.contains("8192x8192 or less"), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }

    /// A minimal PNG claiming `w`x`h` RGBA: signature, IHDR, a token IDAT and IEND.
    fn bomb_header(w: u32, h: u32) -> Vec<u8> {
        let mut out = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        let mut chunk = |kind: &[u8], data: &[u8]| {
            let mut body = kind.to_vec();
            body.extend(data);
            out.extend((data.len() as u32).to_be_bytes());
            out.extend(&body);
            out.extend(crc32(&body).to_be_bytes());
        };
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 6, 0, 0, 0]);
        chunk(b"IHDR", &ihdr);
        chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        chunk(b"IEND", &[]);
        out
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 != 0 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn corrupt_and_missing_files_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.png");
        std::fs::write(&path, b"this is text, not a picture").unwrap();
        assert_eq!(decode(&path).unwrap_err(), ImageProblem::NotAnImage);
        assert_eq!(
            decode(&dir.path().join("missing.png")).unwrap_err(),
            ImageProblem::File(FileProblem::NotFound)
        );
        std::fs::write(&path, b"").unwrap();
        assert!(decode(&path).is_err());
    }
}
