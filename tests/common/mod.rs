//! Shared helpers for rendering tests: a software-Vulkan device and golden-image comparison.
#![allow(dead_code)]

pub mod busy;
pub mod cli;
pub mod clips;
pub mod fuzz;
pub mod status;
pub mod wall;
pub mod weston;
pub mod xvfb;

use std::path::{Path, PathBuf};

use image::{Rgba, RgbaImage};
use signage::render::Gpu;

/// The `.toml` files in `dir` (relative to the crate), sorted.
pub fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
    files.sort();
    files
}

/// The GPU device, or a failure that says what to install. Never skips.
pub fn gpu() -> Gpu {
    Gpu::headless().unwrap_or_else(|e| {
        panic!("{e}\n(the tests run on any Vulkan driver; scripts/test installs lavapipe)")
    })
}

/// How closely an image must match its reference. Each comparison states its own, with the
/// reason, next to it: one loose global tolerance would let a fade at the wrong progress or a
/// missing punctuation mark pass.
#[derive(Debug, Clone, Copy)]
pub struct Tolerance {
    /// A pixel differs when one of its channels is off by more than this.
    pub channel: u8,
    /// At most this fraction of the pixels may differ.
    pub fraction: f64,
}

impl Tolerance {
    /// Every pixel within `channel` in every channel: for what is placed on whole pixels (fits,
    /// the test pattern, ticker steps, transition geometry).
    pub const fn within(channel: u8) -> Tolerance {
        Tolerance {
            channel,
            fraction: 0.0,
        }
    }

    /// Anti-aliased text: glyph edges are blended on the GPU and may round a few levels
    /// differently on another LLVM, on a handful of pixels. A glyph missing or moved a pixel
    /// changes far more than 1 in 5000 pixels by far more than 3.
    pub const TEXT: Tolerance = Tolerance {
        channel: 3,
        fraction: 0.0002,
    };
}

/// How `actual` differs from `expected` beyond `tolerance`, if it does.
pub fn compare(
    expected: &RgbaImage,
    actual: &RgbaImage,
    tolerance: Tolerance,
) -> Result<(), String> {
    if expected.dimensions() != actual.dimensions() {
        return Err(format!(
            "size {:?}, expected {:?}",
            actual.dimensions(),
            expected.dimensions()
        ));
    }
    let errors: Vec<u8> = expected
        .pixels()
        .zip(actual.pixels())
        .map(|(e, a)| pixel_error(e, a))
        .collect();
    let differing = errors.iter().filter(|&&e| e > tolerance.channel).count();
    let fraction = differing as f64 / errors.len().max(1) as f64;
    if fraction > tolerance.fraction {
        let worst = errors.iter().max().copied().unwrap_or(0);
        let mean = errors.iter().map(|&e| e as f64).sum::<f64>() / errors.len().max(1) as f64;
        return Err(format!(
            "{differing} pixels ({:.3} %) are off by more than {} (allowed {:.3} %); worst {worst}, \
             mean error {mean:.2}",
            fraction * 100.0,
            tolerance.channel,
            tolerance.fraction * 100.0
        ));
    }
    Ok(())
}

/// The largest channel difference of two pixels.
fn pixel_error(e: &Rgba<u8>, a: &Rgba<u8>) -> u8 {
    e.0.iter()
        .zip(a.0.iter())
        .map(|(x, y)| x.abs_diff(*y))
        .max()
        .unwrap_or(0)
}

/// The reference image `tests/golden/NAME.png`.
pub fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.png"))
}

/// Compares `actual` with `tests/golden/NAME.png` within `tolerance`. With
/// `SIGNAGE_UPDATE_GOLDEN=1` the reference is (re)written instead. On a mismatch, writes the
/// actual and a difference image under `target/golden-failures/` and fails naming them. A
/// missing reference fails.
pub fn assert_golden(name: &str, actual: &RgbaImage, tolerance: Tolerance) {
    let golden = golden(name);
    if std::env::var_os("SIGNAGE_UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        actual.save(&golden).unwrap();
        return;
    }
    let expected = match image::open(&golden) {
        Ok(img) => img.to_rgba8(),
        Err(e) => {
            let (a, _) = write_failure(name, actual, None, tolerance);
            panic!(
                "no reference image {} ({e}); the actual image is {}. If it is right, \
                 run `SIGNAGE_UPDATE_GOLDEN=1 cargo test` and commit it.",
                golden.display(),
                a.display()
            );
        }
    };
    if let Err(e) = compare(&expected, actual, tolerance) {
        let same_size = expected.dimensions() == actual.dimensions();
        let (a, d) = write_failure(name, actual, same_size.then_some(&expected), tolerance);
        panic!(
            "{name}: {e}, against {}; actual: {}, difference: {}",
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
    tolerance: Tolerance,
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
            if pixel_error(e, g) > tolerance.channel {
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
