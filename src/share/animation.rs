//! Animated pictures given as `image` (GIF, WebP, APNG): whether a file is one, when each of
//! its frames shows, and its frames in turn. The decoders compose each frame whole (disposal
//! and blending applied); the file is streamed from the share, never held whole.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use image::codecs::{gif::GifDecoder, png::PngDecoder, webp::WebPDecoder};
use image::{AnimationDecoder, Frames, ImageDecoder, ImageFormat};

use super::assets::{ImageProblem, MAX_FILE_BYTES};
use super::{from_io, open_regular};
use crate::model::file::Stamp;
use crate::model::playlist::{ClipInfo, ClipKind, YuvColour, YuvMatrix};

/// Frames of this delay or less show for [`SHORT_FRAME_SHOWS_MS`], as browsers do: GIFs made
/// for the web rely on it (a delay of 0 means "as the viewer likes").
const SHORT_FRAME_MS: u64 = 10;
const SHORT_FRAME_SHOWS_MS: u64 = 100;

/// More frames than any slide's picture needs; past it the file is refused, not played.
const MAX_FRAMES: usize = 10_000;

/// Pictures already probed, by path and stamp, newest last: learning an animation's delays
/// decodes every frame, and each reload (and each picture's decoding thread) would do it
/// again for a file that did not change.
static PROBED: Mutex<Vec<(PathBuf, Stamp, Option<Animation>)>> = Mutex::new(Vec::new());
const PROBED_KEPT: usize = 64;

/// An animated picture: what it is and when each frame shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Animation {
    pub info: ClipInfo,
    /// Each frame's start, microseconds from the first.
    pub times_us: Vec<u64>,
}

/// The animation in the picture at `path`, or `None` for a still picture (a GIF of one
/// frame, a PNG without an animation chunk). Decodes every frame once, one at a time, to
/// learn their delays (remembered by path and stamp, see [`PROBED`]); a damaged frame fails
/// the whole file.
pub fn probe(path: &Path) -> Result<Option<Animation>, ImageProblem> {
    let (mut file, meta) = open_regular(path, MAX_FILE_BYTES)?;
    let stamp = Stamp::of(&meta);
    let mut probed = PROBED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, _, known)) = probed.iter().find(|(p, s, _)| p == path && *s == stamp) {
        return Ok(known.clone());
    }
    drop(probed);
    let found = probe_file(&mut file, meta.len(), path)?;
    probed = PROBED.lock().unwrap_or_else(|e| e.into_inner());
    probed.retain(|(p, _, _)| p != path);
    if probed.len() == PROBED_KEPT {
        probed.remove(0);
    }
    probed.push((path.to_path_buf(), stamp, found.clone()));
    Ok(found)
}

fn probe_file(file: &mut File, len: u64, path: &Path) -> Result<Option<Animation>, ImageProblem> {
    let mut head = Vec::new();
    file.take(64 << 10)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    let Ok(format) = image::guess_format(&head) else {
        return Ok(None);
    };
    let maybe_animated = match format {
        ImageFormat::Gif => true,
        // An acTL chunk comes before the first image data.
        ImageFormat::Png => head
            .windows(4)
            .take_while(|w| *w != b"IDAT")
            .any(|w| w == b"acTL"),
        // The extended header's animation flag.
        ImageFormat::WebP => {
            head.get(12..16) == Some(b"VP8X") && head.get(20).is_some_and(|f| f & 2 != 0)
        }
        _ => false,
    };
    if !maybe_animated {
        return Ok(None);
    }
    if !ends_complete(format, file, len, &head)? {
        return Err(ImageProblem::Incomplete(name(format)));
    }
    // The decoders are fuzzed upstream; a panic in one still must not take the loader down.
    let Timing {
        times_us,
        length_us: at_us,
        size,
    } = catch_unwind(AssertUnwindSafe(|| timing(path)))
        .map_err(|_| ImageProblem::Corrupt("the decoder failed on it".into()))??;
    if times_us.len() < 2 {
        return Ok(None);
    }
    let length_ms = at_us / 1000;
    let frames = times_us.len();
    Ok(Some(Animation {
        info: ClipInfo {
            width: size.0,
            height: size.1,
            length_ms,
            frames,
            frames_per_second: frames as f64 * 1000.0 / length_ms.max(1) as f64,
            codec: format!("animated {}", name(format)),
            colour: YuvColour {
                matrix: YuvMatrix::Rgb,
                full_range: true,
            },
            kind: ClipKind::Animation,
        },
        times_us,
    }))
}

/// When an animation's frames show, and their size.
struct Timing {
    /// Each frame's start, microseconds from the first.
    times_us: Vec<u64>,
    length_us: u64,
    size: (u32, u32),
}

/// The animation's timing, decoding each frame in turn.
fn timing(path: &Path) -> Result<Timing, ImageProblem> {
    let mut times_us = Vec::new();
    let (mut at_us, mut size) = (0u64, (0, 0));
    for frame in frames(path)? {
        let frame = frame.map_err(|e| ImageProblem::Corrupt(e.to_string()))?;
        if times_us.len() == MAX_FRAMES {
            return Err(ImageProblem::Corrupt(format!(
                "more than {MAX_FRAMES} frames"
            )));
        }
        size = frame.buffer().dimensions();
        times_us.push(at_us);
        at_us += shows_for_ms(frame.delay()) * 1000;
    }
    Ok(Timing {
        times_us,
        length_us: at_us,
        size,
    })
}

/// The frames of the animated picture at `path`, each composed whole, in order.
pub fn frames(path: &Path) -> Result<Frames<'static>, ImageProblem> {
    let (file, _) = open_regular(path, MAX_FILE_BYTES)?;
    let mut reader = BufReader::new(file);
    let mut head = [0u8; 16];
    let n = reader.read(&mut head).map_err(unreadable)?;
    reader.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    let corrupt = |e: image::ImageError| ImageProblem::Corrupt(e.to_string());
    let frames = match image::guess_format(&head[..n]) {
        Ok(ImageFormat::Gif) => {
            let mut d = GifDecoder::new(reader).map_err(corrupt)?;
            d.set_limits(super::assets::limits()).map_err(corrupt)?;
            d.into_frames()
        }
        Ok(ImageFormat::Png) => {
            let mut d = PngDecoder::new(reader).map_err(corrupt)?;
            d.set_limits(super::assets::limits()).map_err(corrupt)?;
            d.apng().map_err(corrupt)?.into_frames()
        }
        Ok(ImageFormat::WebP) => {
            let mut d = WebPDecoder::new(reader).map_err(corrupt)?;
            d.set_limits(super::assets::limits()).map_err(corrupt)?;
            d.into_frames()
        }
        _ => return Err(ImageProblem::NotAnImage),
    };
    Ok(frames)
}

/// How long a frame with `delay` shows, in whole milliseconds.
fn shows_for_ms(delay: image::Delay) -> u64 {
    let (n, d) = delay.numer_denom_ms();
    match u64::from(n) / u64::from(d.max(1)) {
        ms if ms <= SHORT_FRAME_MS => SHORT_FRAME_SHOWS_MS,
        ms => ms,
    }
}

/// Whether the file reaches the end its format marks (a copy still in progress does not):
/// read from its tail, not whole.
fn ends_complete(
    format: ImageFormat,
    file: &mut File,
    len: u64,
    head: &[u8],
) -> Result<bool, ImageProblem> {
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(len.saturating_sub(1024)))
        .map_err(unreadable)?;
    file.take(1024).read_to_end(&mut tail).map_err(unreadable)?;
    Ok(match format {
        ImageFormat::Gif => tail.last() == Some(&0x3B),
        ImageFormat::Png => tail
            .windows(4)
            .rposition(|w| w == b"IEND")
            .is_some_and(|i| tail.len() >= i + 8),
        ImageFormat::WebP => head.get(4..8).is_some_and(|n| {
            let size = u32::from_le_bytes([n[0], n[1], n[2], n[3]]);
            len >= u64::from(size) + 8
        }),
        _ => true,
    })
}

fn name(format: ImageFormat) -> &'static str {
    match format {
        ImageFormat::Gif => "GIF",
        ImageFormat::Png => "PNG",
        _ => "WebP",
    }
}

fn unreadable(e: std::io::Error) -> ImageProblem {
    ImageProblem::File(from_io(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unchanged_picture_is_timed_once_and_a_changed_one_again() {
        use image::codecs::gif::GifEncoder;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.gif");
        let write = |frames: u32| {
            let mut encoder = GifEncoder::new(std::fs::File::create(&path).unwrap());
            let frames = (0..frames).map(|i| {
                let img =
                    image::RgbaImage::from_pixel(4, 4, image::Rgba([i as u8 * 60, 0, 0, 255]));
                image::Frame::from_parts(img, 0, 0, image::Delay::from_numer_denom_ms(50, 1))
            });
            encoder.encode_frames(frames).unwrap();
        };
        let remembered = |path: &Path| {
            let probed = PROBED.lock().unwrap();
            probed.iter().filter(|(p, _, _)| p == path).count()
        };
        write(3);
        assert_eq!(probe(&path).unwrap().unwrap().info.frames, 3);
        assert_eq!(remembered(&path), 1);
        // Asked again, the remembered answer (marked here to tell it from a new one).
        if let Some((_, _, Some(a))) = PROBED
            .lock()
            .unwrap()
            .iter_mut()
            .find(|(p, _, _)| *p == path)
        {
            a.info.frames = 99;
        }
        assert_eq!(probe(&path).unwrap().unwrap().info.frames, 99);
        // Rewritten (a new stamp: another length at least): timed again, the old entry gone.
        write(4);
        assert_eq!(probe(&path).unwrap().unwrap().info.frames, 4);
        assert_eq!(remembered(&path), 1);
    }

    #[test]
    fn frames_of_no_delay_show_for_a_tenth_of_a_second_as_in_browsers() {
        let ms = |n| shows_for_ms(image::Delay::from_numer_denom_ms(n, 1));
        assert_eq!(ms(0), 100);
        assert_eq!(ms(5), 100);
        assert_eq!(ms(10), 100);
        assert_eq!(ms(20), 20);
        assert_eq!(ms(40), 40);
    }
}
