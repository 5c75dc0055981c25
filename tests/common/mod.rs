//! Shared helpers for rendering tests: a software-Vulkan device and golden-image comparison.
#![allow(dead_code)]

pub mod status;

use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};
use signage::render::Gpu;

/// The GPU device, or a failure that says what to install. Never skips.
pub fn gpu() -> Gpu {
    Gpu::headless().unwrap_or_else(|e| {
        panic!("{e}\n(the tests run on any Vulkan driver; scripts/test installs lavapipe)")
    })
}

/// A channel may differ by this much before a pixel counts as different (driver rounding).
const CHANNEL_TOLERANCE: u8 = 12;
/// This fraction of pixels may differ (antialiasing differences between LLVM versions).
const PIXEL_TOLERANCE: f64 = 0.002;

/// Compares `actual` with `tests/golden/NAME.png`. With `SIGNAGE_UPDATE_GOLDEN=1` the reference
/// is (re)written instead. On a mismatch, writes the actual and a difference image under
/// `target/golden-failures/` and fails naming them. A missing reference fails.
pub fn assert_golden(name: &str, actual: &RgbaImage) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.png"));
    if std::env::var_os("SIGNAGE_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        actual.save(&golden).unwrap();
        return;
    }
    let expected = match image::open(&golden) {
        Ok(img) => img.to_rgba8(),
        Err(e) => {
            let (a, _) = write_failure(name, actual, None);
            panic!(
                "no reference image {} ({e}); the actual image is {}. If it is right, \
                 run `SIGNAGE_UPDATE_GOLDEN=1 cargo test` and commit it.",
                golden.display(),
                a.display()
            );
        }
    };
    if expected.dimensions() != actual.dimensions() {
        let (a, _) = write_failure(name, actual, None);
        panic!(
            "{name}: size {:?}, expected {:?}; actual written to {}",
            actual.dimensions(),
            expected.dimensions(),
            a.display()
        );
    }
    let differing = expected
        .pixels()
        .zip(actual.pixels())
        .filter(|(e, a)| {
            e.0.iter()
                .zip(a.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
        })
        .count();
    let fraction = differing as f64 / (expected.width() * expected.height()) as f64;
    if fraction > PIXEL_TOLERANCE {
        let (a, d) = write_failure(name, actual, Some(&expected));
        panic!(
            "{name}: {differing} pixels ({:.2} %) differ from {}; actual: {}, difference: {}",
            fraction * 100.0,
            golden.display(),
            a.display(),
            d.display()
        );
    }
}

fn write_failure(
    name: &str,
    actual: &RgbaImage,
    expected: Option<&RgbaImage>,
) -> (PathBuf, PathBuf) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-failures");
    std::fs::create_dir_all(&dir).unwrap();
    let a = dir.join(format!("{name}.actual.png"));
    let d = dir.join(format!("{name}.diff.png"));
    actual.save(&a).unwrap();
    if let Some(expected) = expected {
        // Differences in red over a dimmed copy of the reference.
        let diff = RgbaImage::from_fn(actual.width(), actual.height(), |x, y| {
            let (e, g) = (expected.get_pixel(x, y), actual.get_pixel(x, y));
            let delta =
                e.0.iter()
                    .zip(g.0.iter())
                    .map(|(p, q)| p.abs_diff(*q))
                    .max()
                    .unwrap_or(0);
            if delta > CHANNEL_TOLERANCE {
                Rgba([255, 0, 0, 255])
            } else {
                Rgba([e[0] / 4, e[1] / 4, e[2] / 4, 255])
            }
        });
        diff.save(&d).unwrap();
    }
    (a, d)
}

/// A non-square test image: four coloured quadrants and a white border, so that fit modes
/// can be told apart by eye and by pixel.
pub fn quadrant_image(path: &Path, w: u32, h: u32) {
    let img = RgbaImage::from_fn(w, h, |x, y| {
        if x == 0 || y == 0 || x == w - 1 || y == h - 1 {
            return Rgba([255, 255, 255, 255]);
        }
        match (x < w / 2, y < h / 2) {
            (true, true) => Rgba([220, 30, 30, 255]),
            (false, true) => Rgba([30, 200, 30, 255]),
            (true, false) => Rgba([30, 30, 220, 255]),
            (false, false) => Rgba([240, 200, 0, 255]),
        }
    });
    img.save(path).unwrap();
}

pub fn pixel(img: &RgbaImage, x: u32, y: u32) -> [u8; 3] {
    let p = img.get_pixel(x, y);
    [p[0], p[1], p[2]]
}

/// True when two colours are within a few steps (rendering rounding).
pub fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b.iter()).all(|(x, y)| x.abs_diff(*y) <= 3)
}

/// Makes a FIFO (named pipe) at `path`: what a share can hold in place of a file.
#[cfg(unix)]
pub fn mkfifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(
        unsafe { libc::mkfifo(c.as_ptr(), 0o644) },
        0,
        "mkfifo {}",
        path.display()
    );
}
