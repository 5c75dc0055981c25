//! Images a playlist refers to, decoded and scaled on the CPU, off the render thread.
//! No wgpu here: the renderer uploads what this produces, once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use image::imageops::FilterType;
use image::RgbaImage;

use crate::playlist::{Content, Fit, Playlist};

/// Decoded images by path. An image that failed to load is absent, with its error logged.
#[derive(Default, Clone)]
pub struct Images {
    pub by_path: HashMap<PathBuf, Arc<RgbaImage>>,
    /// Identity of each file when it was decoded, so that reloads decode only what changed.
    stamps: HashMap<PathBuf, Stamp>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<SystemTime>,
    max_w: u32,
    max_h: u32,
}

impl Images {
    /// Decodes every image `playlist` uses, reusing entries of `previous` whose file has not
    /// changed. Images are scaled down (never up) to what the canvas can show, capped at
    /// `max_texture` per side. Returns the problems found, one line per file.
    pub fn load(
        playlist: &Playlist,
        previous: Option<&Images>,
        max_texture: u32,
    ) -> (Images, Vec<String>) {
        let mut images = Images::default();
        let mut problems = Vec::new();
        let (w, h) = (playlist.display.width, playlist.display.height);
        for (path, fit) in image_uses(playlist) {
            if images.by_path.contains_key(path) {
                continue;
            }
            // Centre-fit artwork is drawn 1:1, so keep its pixels up to what the GPU accepts;
            // everything else never needs more than the canvas (cover may need one side more).
            let (max_w, max_h) = match fit {
                Fit::Center => (max_texture, max_texture),
                _ => (
                    w.saturating_mul(2).min(max_texture),
                    h.saturating_mul(2).min(max_texture),
                ),
            };
            let stamp = stamp(path, max_w, max_h);
            if let Some(prev) = previous {
                if let (Some(img), Some(old)) = (prev.by_path.get(path), prev.stamps.get(path)) {
                    if stamp == Some(*old) {
                        images.by_path.insert(path.to_path_buf(), img.clone());
                        images.stamps.insert(path.to_path_buf(), *old);
                        continue;
                    }
                }
            }
            match decode(path, max_w, max_h) {
                Ok(img) => {
                    images.by_path.insert(path.to_path_buf(), Arc::new(img));
                    if let Some(s) = stamp {
                        images.stamps.insert(path.to_path_buf(), s);
                    }
                }
                Err(e) => problems.push(format!("{}: {e}; the slide is skipped", path.display())),
            }
        }
        (images, problems)
    }

    pub fn get(&self, path: &Path) -> Option<&Arc<RgbaImage>> {
        self.by_path.get(path)
    }
}

fn image_uses(playlist: &Playlist) -> impl Iterator<Item = (&Path, Fit)> {
    playlist.slides.iter().filter_map(|s| match &s.content {
        Content::Image { path, fit } => Some((path.as_path(), *fit)),
        Content::Text(t) => t.background_image.as_deref().map(|p| (p, Fit::Cover)),
    })
}

fn stamp(path: &Path, max_w: u32, max_h: u32) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    Some(Stamp {
        len: meta.len(),
        modified: meta.modified().ok(),
        max_w,
        max_h,
    })
}

/// Decodes an image to RGBA and scales it down with a Catmull-Rom filter so that it fits in
/// `max_w` x `max_h`, keeping its aspect ratio.
pub fn decode(path: &Path, max_w: u32, max_h: u32) -> Result<RgbaImage, String> {
    let reader = image::ImageReader::open(path)
        .map_err(|e| format!("cannot open: {e}"))?
        .with_guessed_format()
        .map_err(|e| format!("cannot read: {e}"))?;
    let mut reader = reader;
    // Guard against decompression bombs in files dropped on a share.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| format!("not a usable image: {e}"))?;
    let (w, h) = (img.width(), img.height());
    if w == 0 || h == 0 {
        return Err("the image has no pixels".into());
    }
    let scale = (max_w as f64 / w as f64).min(max_h as f64 / h as f64);
    if scale < 1.0 {
        let nw = ((w as f64 * scale).round() as u32).max(1);
        let nh = ((h as f64 * scale).round() as u32).max(1);
        Ok(image::imageops::resize(
            &img.to_rgba8(),
            nw,
            nh,
            FilterType::CatmullRom,
        ))
    } else {
        Ok(img.to_rgba8())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_images_are_scaled_down_keeping_aspect() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.png");
        RgbaImage::from_pixel(4000, 1000, image::Rgba([10, 20, 30, 255]))
            .save(&path)
            .unwrap();
        let img = decode(&path, 1920, 1080).unwrap();
        assert_eq!(img.dimensions(), (1920, 480));
        assert_eq!(img.get_pixel(100, 100).0, [10, 20, 30, 255]);
    }

    #[test]
    fn corrupt_images_are_errors_not_panics() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.png");
        let mut bytes = Vec::new();
        RgbaImage::new(64, 64)
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap();
        bytes.truncate(bytes.len() / 2);
        std::fs::write(&path, bytes).unwrap();
        assert!(decode(&path, 100, 100).is_err());
        assert!(decode(&dir.path().join("missing.png"), 100, 100).is_err());
    }
}
