//! The playlist as a model: the plain types a validated, resolved playlist is made of. Reading
//! one from its file, with every problem found, is `crate::loader`'s.

pub mod values;

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use crate::model::suggest::suggest;
pub use values::Color;

use crate::model::file::Stamp;
use crate::model::schedule::When;
use crate::model::workdays::Calendar;
pub use crate::model::zone::{Layout, PixelRect, Zone, MAIN_ZONE};

/// One `brightness` entry: from this minute of the day on, this percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Brightness {
    pub from: u32,
    pub level: u8,
}

/// The 24 characters of the core socialist values, the ticker's default text.
pub const CORE_VALUES: &str =
    "富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善";

/// The family name of the bundled font (Noto Sans CJK SC, subset).
pub const DEFAULT_FONT: &str = "Noto Sans CJK SC";

#[derive(Debug, Clone, PartialEq)]
pub struct Playlist {
    /// The playlist file; image paths are resolved against its folder.
    pub path: PathBuf,
    pub display: Display,
    pub ticker: Option<Ticker>,
    pub slides: Vec<Slide>,
    /// Every file the playlist names, resolved, including ones that are missing (so that a
    /// watcher notices when they arrive), with where it is named.
    pub referenced: Vec<Reference>,
    /// Where each slide is written (parallel to `slides`), and the ticker: for messages about
    /// them found after reading (text that does not fit, a font that is not there).
    pub places: Places,
    /// Public holidays and make-up working days the playlist lists itself (`[calendar]`).
    pub calendar: Calendar,
    /// The wall's layouts, first eligible first; empty: one area for slides and the band, as
    /// before zones (see `crate::model::zone`).
    pub layouts: Vec<Layout>,
}

/// Byte ranges in the playlist's source. Kept apart from the slides themselves, so that a slide
/// that only moved in the file is still the same slide.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Places {
    pub slides: Vec<SlidePlace>,
    pub ticker: Option<SlidePlace>,
    /// Where each zone's crawl is written, by zone name.
    pub crawls: Vec<(String, SlidePlace)>,
}

/// Where a slide (or the ticker) and its text keys are written; each falls back to the table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SlidePlace {
    pub table: Range<usize>,
    pub title: Option<Range<usize>>,
    pub body: Option<Range<usize>>,
    pub font: Option<Range<usize>>,
    /// `font_size` (the ticker) or `title_size` (a slide).
    pub size: Option<Range<usize>>,
    pub when: Option<Range<usize>>,
    pub zone: Option<Range<usize>>,
    pub background: Option<Range<usize>>,
}

/// A file named in the playlist, and the place (`image = "..."`) that names it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    pub path: PathBuf,
    pub span: Range<usize>,
}

/// An image a slide shows: where it is, and which version of the file was checked, so that a
/// file replaced under the same name counts as a different image.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ImageFile {
    pub path: PathBuf,
    pub stamp: Option<Stamp>,
}

/// A video clip a slide plays: where it is, which version of the file was probed, and what
/// the probe found.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoFile {
    pub path: PathBuf,
    pub stamp: Option<Stamp>,
    pub clip: ClipInfo,
}

/// What `check` learns of a clip without decoding it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipInfo {
    pub width: u32,
    pub height: u32,
    /// From the first frame's start to the last frame's end.
    pub length_ms: u64,
    pub frames: usize,
    pub frames_per_second: f64,
    /// "H.264 High", as an editor would read it.
    pub codec: String,
    pub colour: YuvColour,
    pub kind: ClipKind,
}

/// What decodes a clip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClipKind {
    /// H.264 in MP4 or MOV (`video = "..."`).
    H264,
    /// An animated GIF, WebP or PNG (`image = "..."`): each frame whole, as R'G'B'.
    Animation,
}

/// How the stream's Y, U and V turn into RGB: which matrix, and whether the values use the
/// full 0-255 range or video's 16-235.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YuvColour {
    pub matrix: YuvMatrix,
    pub full_range: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YuvMatrix {
    Bt601,
    Bt709,
    /// The planes hold R', G' and B' at full size (an animated picture's frames).
    Rgb,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Display {
    pub width: u32,
    pub height: u32,
    pub background: Color,
    pub placement: Placement,
    /// Whether images may come from outside the playlist's folder tree.
    pub allow_outside_paths: bool,
    /// Whether `width` or `height` was written (otherwise the size is the default, and a
    /// `--region` gives the canvas its size).
    pub size_given: bool,
    /// When the wall is lit (empty: always); black outside (see `lighting`).
    pub on_hours: Vec<crate::model::schedule::HourWindow>,
    /// Brightness steps through the day (empty: full brightness).
    pub brightness: Vec<Brightness>,
    /// Where the main zone's slides go, when a layout says; `None`: the canvas less the band.
    pub slide_area: Option<PixelRect>,
}

/// Where the canvas goes when played.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A resizable preview window.
    Window,
    /// An undecorated window at this desktop position, in physical pixels.
    Region { x: i32, y: i32 },
    /// Borderless fullscreen; monitor index as `signage monitors` lists them.
    Fullscreen { monitor: Option<usize> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Top,
    Bottom,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ticker {
    pub text: String,
    pub separator: String,
    /// Pixels per second, > 0.
    pub speed: f64,
    pub position: Edge,
    pub height: u32,
    pub font_size: f32,
    pub font: String,
    pub color: Color,
    pub background: Color,
    pub snap_to_pixel: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slide {
    pub name: String,
    pub content: Content,
    pub duration_ms: u64,
    /// How this slide comes in.
    pub transition: Transition,
    pub when: Option<When>,
    pub priority: bool,
    pub background: Color,
    /// The zone it plays in ([`MAIN_ZONE`] unless it names one).
    pub zone: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Image {
        image: ImageFile,
        fit: Fit,
    },
    Text(TextSlide),
    /// A clip played silent; `looping`: a slide longer than the clip plays it again (else it
    /// holds the last frame).
    Video {
        video: VideoFile,
        fit: Fit,
        looping: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct TextSlide {
    pub title: Option<String>,
    pub body: Option<String>,
    pub align: Align,
    pub title_size: f32,
    pub body_size: f32,
    pub color: Color,
    pub font: String,
    pub background_image: Option<ImageFile>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    /// Whole image, letterboxed in the slide's background.
    Contain,
    /// Fill the canvas, cropping what sticks out.
    Cover,
    /// Fill the canvas, ignoring the aspect ratio.
    Stretch,
    /// 1:1 pixels, centred: for artwork made at the wall's exact resolution.
    Center,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransitionKind {
    Cut,
    Fade,
    Slide,
    Wipe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub kind: TransitionKind,
    pub duration_ms: u64,
}

impl Playlist {
    /// The folder image paths are relative to.
    pub fn dir(&self) -> &Path {
        crate::model::file::folder_of(&self.path)
    }
}

impl Playlist {
    /// Sizes the canvas for a wall window of `region` pixels (`--region`): a playlist that says
    /// how large its canvas is keeps that size (the wall shows it scaled to fit the window);
    /// one that does not is laid out for the region. Returns whether the canvas is scaled.
    pub fn fit_region(&mut self, region: Option<(u32, u32)>) -> bool {
        let Some((w, h)) = region else { return false };
        if !self.display.size_given {
            (self.display.width, self.display.height) = (w, h);
        }
        (self.display.width, self.display.height) != (w, h)
    }

    /// The slide's images (its picture or its background picture), if any.
    pub fn images(&self) -> impl Iterator<Item = (&Slide, &ImageFile)> {
        self.slides.iter().filter_map(|s| s.image().map(|i| (s, i)))
    }
}

impl Playlist {
    /// The slide that plays the same clip the same way as `slide` of another playlist (same
    /// name, same clip, looping or not): across a reload, its clip plays on.
    pub fn same_clip_as(&self, slide: &Slide) -> Option<usize> {
        let wanted = slide.clip_played()?;
        self.slides
            .iter()
            .position(|s| s.clip_played() == Some(wanted))
    }
}

impl Slide {
    /// A video slide's name, clip and whether it loops: what a playing clip is known by.
    fn clip_played(&self) -> Option<(&str, &VideoFile, bool)> {
        match &self.content {
            Content::Video { video, looping, .. } => Some((&self.name, video, *looping)),
            _ => None,
        }
    }

    /// The clip this slide plays, if it is a video slide.
    pub fn video(&self) -> Option<&VideoFile> {
        match &self.content {
            Content::Video { video, .. } => Some(video),
            _ => None,
        }
    }

    /// The one image this slide draws: its picture, or a text slide's background.
    pub fn image(&self) -> Option<&ImageFile> {
        match &self.content {
            Content::Image { image, .. } => Some(image),
            Content::Text(t) => t.background_image.as_ref(),
            Content::Video { .. } => None,
        }
    }

    /// How its image is fitted into the slide.
    pub fn fit(&self) -> Fit {
        match &self.content {
            Content::Image { fit, .. } | Content::Video { fit, .. } => *fit,
            Content::Text(_) => Fit::Cover,
        }
    }
}
