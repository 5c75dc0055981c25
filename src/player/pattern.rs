//! The installer's test pattern: tells at a glance whether the LED sending card captures exactly
//! the right pixels. The outermost row and column on all four sides are lit white, a 1-pixel grid
//! runs every 32 pixels, the corners are marked with their coordinates, the canvas size is in the
//! middle, colour bars show the channels, and (when played) a 1-pixel bar sweeps across at a
//! constant speed so that motion smoothness can be judged.
//!
//! The picture is made here on the CPU, without anti-aliasing on its lines, and shown by the
//! player as a 1:1 image slide: the wall shows exactly these pixels. The sweeping bar is drawn by
//! the renderer (see `Renderer::set_sweep`).

use std::path::{Path, PathBuf};

use glyphon::{FontSystem, SwashCache};
use image::{Rgba, RgbaImage};

use crate::layout::text;
use crate::model::playlist::{Align, Playlist};

/// Grid spacing, in pixels.
pub const GRID: u32 = 32;
/// How fast the bar sweeps, in pixels per second (2 px a frame at 60 Hz).
pub const SWEEP_SPEED: f64 = 120.0;

const WHITE: Rgba<u8> = Rgba([255, 255, 255, 255]);
const GRID_COLOR: Rgba<u8> = Rgba([90, 90, 90, 255]);
const BACKGROUND: Rgba<u8> = Rgba([0, 0, 0, 255]);
/// Colour bars, as on a broadcast test card.
const BARS: [[u8; 3]; 8] = [
    [255, 255, 255],
    [255, 255, 0],
    [0, 255, 255],
    [0, 255, 0],
    [255, 0, 255],
    [255, 0, 0],
    [0, 0, 255],
    [0, 0, 0],
];

/// The pattern for a `size` canvas. `origin` is where the canvas sits on the desktop (a
/// region's X,Y), written at the corners so that the installer reads desktop coordinates.
pub fn pattern(size: (u32, u32), origin: (i32, i32), fs: &mut FontSystem) -> RgbaImage {
    let (w, h) = (size.0.max(1), size.1.max(1));
    let mut img = RgbaImage::from_pixel(w, h, BACKGROUND);
    for y in 0..h {
        for x in 0..w {
            if x % GRID == 0 || y % GRID == 0 {
                img.put_pixel(x, y, GRID_COLOR);
            }
        }
    }
    // Colour bars across the middle third, between grid lines.
    let (top, bottom) = (h / 3, h - h / 3);
    let bar_w = (w / BARS.len() as u32).max(1);
    for (i, rgb) in BARS.iter().enumerate() {
        let x0 = i as u32 * bar_w;
        let x1 = if i == BARS.len() - 1 { w } else { x0 + bar_w };
        for y in top..bottom {
            for x in x0..x1 {
                img.put_pixel(x, y, Rgba([rgb[0], rgb[1], rgb[2], 255]));
            }
        }
    }
    // Corner markers: an L of 8 pixels in each corner, inside the border.
    let arm = 8.min(w).min(h);
    for i in 0..arm {
        for (x, y) in [
            (i, 2),
            (2, i),
            (w - 1 - i, 2),
            (w - 3, i),
            (i, h - 3),
            (2, h - 1 - i),
            (w - 1 - i, h - 3),
            (w - 3, h - 1 - i),
        ] {
            if x < w && y < h {
                img.put_pixel(x, y, WHITE);
            }
        }
    }
    let size_text = (h / 8).clamp(8, 28) as f32;
    let (x0, y0) = origin;
    let (x1, y1) = (x0 + w as i32 - 1, y0 + h as i32 - 1);
    let pad = 12;
    let mut label = |s: &str, x: i32, y: i32, align: Align| {
        draw_text(&mut img, fs, s, size_text, x, y, align);
    };
    label(&format!("{x0},{y0}"), pad, pad, Align::Left);
    label(&format!("{x1},{y0}"), w as i32 - pad, pad, Align::Right);
    let low = h as i32 - pad - (size_text * 1.25) as i32;
    label(&format!("{x0},{y1}"), pad, low, Align::Left);
    label(&format!("{x1},{y1}"), w as i32 - pad, low, Align::Right);
    let big = (h / 5).clamp(10, 120) as f32;
    draw_text(
        &mut img,
        fs,
        &format!("{w} × {h}"),
        big,
        w as i32 / 2,
        ((top as f32 - big * 1.25) / 2.0).max(2.0) as i32,
        Align::Center,
    );
    // The border last: the outermost row and column on every side, unbroken.
    for x in 0..w {
        img.put_pixel(x, 0, WHITE);
        img.put_pixel(x, h - 1, WHITE);
    }
    for y in 0..h {
        img.put_pixel(0, y, WHITE);
        img.put_pixel(w - 1, y, WHITE);
    }
    img
}

/// Draws `s` with the bundled font, its top at `y` and its left, centre or right at `x`.
fn draw_text(
    img: &mut RgbaImage,
    fs: &mut FontSystem,
    s: &str,
    size: f32,
    x: i32,
    y: i32,
    align: Align,
) {
    let mut buffer = text::shape(
        fs,
        s,
        crate::model::playlist::DEFAULT_FONT,
        size,
        false,
        None,
        Align::Left,
    );
    let width = text::measure(&buffer).0 as i32;
    let left = match align {
        Align::Left => x,
        Align::Center => x - width / 2,
        Align::Right => x - width,
    };
    let mut cache = SwashCache::new();
    let (w, h) = (img.width() as i32, img.height() as i32);
    buffer.draw(
        fs,
        &mut cache,
        glyphon::cosmic_text::Color::rgb(255, 255, 255),
        |gx, gy, gw, gh, c| {
            let a = c.a() as u32;
            for py in gy..gy + gh as i32 {
                for px in gx..gx + gw as i32 {
                    let (tx, ty) = (left + px, y + py);
                    if a == 0 || tx < 0 || ty < 0 || tx >= w || ty >= h {
                        continue;
                    }
                    let p = img.get_pixel_mut(tx as u32, ty as u32);
                    for (ch, v) in p.0.iter_mut().zip([c.r(), c.g(), c.b()]) {
                        *ch = ((v as u32 * a + *ch as u32 * (255 - a)) / 255) as u8;
                    }
                }
            }
        },
    );
}

/// A playlist that shows `pattern` (written as a PNG in `dir`) 1:1 on a `size` canvas, with no
/// ticker: what `signage test-pattern` plays. Returns it and the file to remove afterwards.
pub fn playlist(
    dir: &Path,
    size: (u32, u32),
    origin: (i32, i32),
) -> Result<(Playlist, PathBuf), String> {
    let mut fs = text::font_system();
    let png = dir.join(format!("signage-test-pattern-{}.png", std::process::id()));
    pattern(size, origin, &mut fs)
        .save(&png)
        .map_err(|e| format!("cannot write the test pattern {}: {e}", png.display()))?;
    let name = png.file_name().expect("a file").to_string_lossy();
    let toml = format!(
        "[display]\nwidth = {}\nheight = {}\n[ticker]\nenabled = false\n[[slides]]\nname = \"test pattern\"\nimage = \"{name}\"\nfit = \"center\"\nduration = \"24h\"\ntransition = \"cut\"\n",
        size.0, size.1
    );
    let loaded = crate::loader::load_str(&dir.join("test-pattern.toml"), &toml);
    if loaded.report.has_errors() {
        return Err(loaded.report.to_string());
    }
    Ok((loaded.playlist, png))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn border_grid_and_bars_are_exact_pixels() {
        let mut fs = text::font_system();
        let img = pattern((320, 96), (0, 0), &mut fs);
        let px = |x, y| img.get_pixel(x, y).0;
        for x in 0..320 {
            assert_eq!(px(x, 0), WHITE.0, "top row at {x}");
            assert_eq!(px(x, 95), WHITE.0, "bottom row at {x}");
        }
        for y in 0..96 {
            assert_eq!(px(0, y), WHITE.0, "left column at {y}");
            assert_eq!(px(319, y), WHITE.0, "right column at {y}");
        }
        // A grid line is one pixel wide, with plain background on both sides.
        assert_eq!(px(64, 20), GRID_COLOR.0);
        assert_eq!(px(63, 20), BACKGROUND.0);
        assert_eq!(px(65, 20), BACKGROUND.0);
        // The colour bars sit in the middle third.
        assert_eq!(px(40 + 5, 48), [255, 255, 0, 255]);
        assert_eq!(px(320 - 5, 48), [0, 0, 0, 255]);
    }
}
