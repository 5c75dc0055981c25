//! Zones and layouts, as LED programs lay a screen out: a zone is a named rectangle of the
//! canvas with its own cycle of slides; a layout is a set of zones chosen by `when`. Today's
//! playlist is one layout whose one zone, `main`, is the canvas less the ticker band.

use super::playlist::{Color, Display, Edge, Ticker};
use super::schedule::When;

/// The zone a slide that names none plays in.
pub const MAIN_ZONE: &str = "main";

/// A rectangle of the canvas in whole pixels (LED artwork is made to the pixel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PixelRect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl PixelRect {
    pub fn right(&self) -> u64 {
        u64::from(self.x) + u64::from(self.width)
    }

    pub fn bottom(&self) -> u64 {
        u64::from(self.y) + u64::from(self.height)
    }

    /// Whether the two share a pixel (touching edges do not).
    pub fn overlaps(&self, other: &PixelRect) -> bool {
        u64::from(self.x) < other.right()
            && u64::from(other.x) < self.right()
            && u64::from(self.y) < other.bottom()
            && u64::from(other.y) < self.bottom()
    }

    /// Whether it lies wholly on a canvas of `size`.
    pub fn within(&self, size: (u32, u32)) -> bool {
        self.right() <= u64::from(size.0) && self.bottom() <= u64::from(size.1)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub name: String,
    pub rect: PixelRect,
    /// What shows where the zone's slide does not cover it.
    pub background: Color,
    /// Stacking: a higher order is in front. Zones that overlap must differ.
    pub order: i32,
    /// The zone whose slide changes this zone's follows (a caption under a picture).
    pub follows: Option<String>,
    /// A crawl filling the zone instead of slides (more than one ticker on a wall).
    pub ticker: Option<Ticker>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub name: String,
    /// When the layout is eligible; `None`: always (the playlist's own zones).
    pub when: Option<When>,
    pub zones: Vec<Zone>,
}

impl Layout {
    pub fn zone(&self, name: &str) -> Option<&Zone> {
        self.zones.iter().find(|z| z.name == name)
    }
}

/// Where slides go without zones: the canvas less the ticker band (the whole canvas without a
/// ticker, or if the band fills it).
pub fn below_band(display: &Display, ticker: Option<&Ticker>) -> PixelRect {
    let (width, height) = (display.width, display.height);
    let whole = PixelRect {
        x: 0,
        y: 0,
        width,
        height,
    };
    let Some(t) = ticker else { return whole };
    let band = t.height.min(height);
    match t.position {
        _ if band >= height => whole,
        Edge::Top => PixelRect {
            y: band,
            height: height - band,
            ..whole
        },
        Edge::Bottom => PixelRect {
            height: height - band,
            ..whole
        },
    }
}
