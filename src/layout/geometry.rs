//! Where things go on the canvas. Geometry only, no GPU calls.

use crate::model::playlist::{Edge, Fit, Playlist};

/// A rectangle in target pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn new(x: f32, y: f32, w: f32, h: f32) -> Self {
        Self { x, y, w, h }
    }
}

/// The ticker's band, if the playlist has a ticker.
pub fn ticker_band(playlist: &Playlist) -> Option<Rect> {
    let t = playlist.ticker.as_ref()?;
    let (w, h) = (
        playlist.display.width as f32,
        playlist.display.height as f32,
    );
    let bh = (t.height as f32).min(h);
    let y = match t.position {
        Edge::Top => 0.0,
        Edge::Bottom => h - bh,
    };
    Some(Rect::new(0.0, y, w, bh))
}

/// Where slides go: the main zone when a layout places it, else the canvas less the ticker band
/// (the whole canvas without a ticker, or if the ticker fills it).
pub fn slide_area(playlist: &Playlist) -> Rect {
    let r = playlist.display.slide_area.unwrap_or_else(|| {
        crate::model::zone::below_band(&playlist.display, playlist.ticker.as_ref())
    });
    Rect::new(r.x as f32, r.y as f32, r.width as f32, r.height as f32)
}

/// Destination rectangle (inside a `area`-sized target) and texture coordinates for an image
/// of `image` pixels under `fit`.
pub fn fit_rect(fit: Fit, image: (u32, u32), area: (f32, f32)) -> (Rect, [f32; 4]) {
    let (iw, ih) = (image.0 as f32, image.1 as f32);
    let (aw, ah) = area;
    match fit {
        Fit::Stretch => (Rect::new(0.0, 0.0, aw, ah), [0.0, 0.0, 1.0, 1.0]),
        Fit::Contain => {
            let s = (aw / iw).min(ah / ih);
            let (w, h) = ((iw * s).round(), (ih * s).round());
            (
                Rect::new(((aw - w) / 2.0).round(), ((ah - h) / 2.0).round(), w, h),
                [0.0, 0.0, 1.0, 1.0],
            )
        }
        Fit::Cover => {
            let s = (aw / iw).max(ah / ih);
            // The visible part of the image, as a fraction of it, centred.
            let (fu, fv) = ((aw / s / iw).min(1.0), (ah / s / ih).min(1.0));
            let (u0, v0) = ((1.0 - fu) / 2.0, (1.0 - fv) / 2.0);
            (Rect::new(0.0, 0.0, aw, ah), [u0, v0, u0 + fu, v0 + fv])
        }
        Fit::Center => {
            // 1:1 pixels at whole-pixel positions; crop what does not fit.
            let (w, h) = (iw.min(aw), ih.min(ah));
            let (u0, v0) = (((iw - w) / 2.0).floor() / iw, ((ih - h) / 2.0).floor() / ih);
            let rect = Rect::new(((aw - w) / 2.0).floor(), ((ah - h) / 2.0).floor(), w, h);
            (rect, [u0, v0, u0 + w / iw, v0 + h / ih])
        }
    }
}

/// The canvas scaled into a window, aspect kept and centred; whether the zoom is whole.
pub fn letterbox(canvas: (u32, u32), window: (u32, u32)) -> (Rect, bool) {
    let (cw, ch) = (canvas.0 as f32, canvas.1 as f32);
    let (ww, wh) = (window.0 as f32, window.1 as f32);
    let mut s = (ww / cw).min(wh / ch);
    // Prefer a whole zoom (crisp pixels) when it is within a few percent of the best fit.
    let whole = s.floor();
    if whole >= 1.0 && s - whole < 0.05 {
        s = whole;
    }
    let (w, h) = ((cw * s).round(), (ch * s).round());
    let rect = Rect::new(((ww - w) / 2.0).floor(), ((wh - h) / 2.0).floor(), w, h);
    (rect, s.fract() == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contain_letterboxes_a_wide_image() {
        let (r, uv) = fit_rect(Fit::Contain, (400, 100), (200.0, 100.0));
        assert_eq!(r, Rect::new(0.0, 25.0, 200.0, 50.0));
        assert_eq!(uv, [0.0, 0.0, 1.0, 1.0]);
    }

    #[test]
    fn cover_crops_the_overflow_centrally() {
        let (r, uv) = fit_rect(Fit::Cover, (400, 100), (200.0, 100.0));
        assert_eq!(r, Rect::new(0.0, 0.0, 200.0, 100.0));
        assert_eq!(uv, [0.25, 0.0, 0.75, 1.0]);
    }

    #[test]
    fn center_is_one_to_one_and_crops() {
        let (r, _) = fit_rect(Fit::Center, (50, 20), (200.0, 100.0));
        assert_eq!(r, Rect::new(75.0, 40.0, 50.0, 20.0));
        let (r, uv) = fit_rect(Fit::Center, (400, 20), (200.0, 100.0));
        assert_eq!(r, Rect::new(0.0, 40.0, 200.0, 20.0));
        assert_eq!(uv, [0.25, 0.0, 0.75, 1.0]);
    }

    #[test]
    fn letterbox_prefers_whole_zoom() {
        assert_eq!(
            letterbox((1920, 320), (3840, 700)),
            (Rect::new(0.0, 30.0, 3840.0, 640.0), true)
        );
        let (r, whole) = letterbox((1920, 320), (960, 400));
        assert_eq!((r, whole), (Rect::new(0.0, 120.0, 960.0, 160.0), false));
    }
}
