//! The playlist editors write, read into a validated, resolved model.
//!
//! `load` never panics on user input: every problem becomes a [`Diagnostic`] with its place in
//! the file, and all of them are reported together.

mod diagnostic;
mod parse;
mod reader;
pub mod values;

use std::path::{Path, PathBuf};

pub use diagnostic::{suggest, Diagnostic, Report, Severity};
pub use values::Color;

use crate::schedule::When;

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
    /// watcher notices when they arrive).
    pub referenced: Vec<PathBuf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Display {
    pub width: u32,
    pub height: u32,
    pub background: Color,
    pub placement: Placement,
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
}

#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    Image { path: PathBuf, fit: Fit },
    Text(TextSlide),
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
    pub background_image: Option<PathBuf>,
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
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// A playlist as read, with every problem found in it.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// Best effort: slides with problems are left out. Only trust it alone when
    /// `report.has_errors()` is false; a cold start may still play it rather than nothing.
    pub playlist: Playlist,
    pub report: Report,
}

impl Loaded {
    pub fn is_clean(&self) -> bool {
        !self.report.has_errors()
    }
}

/// Reads and validates a playlist file. Never panics on user input.
pub fn load(path: &Path) -> Loaded {
    let unreadable = |message: String, help: Option<&str>| {
        let mut d = Diagnostic::error(None, message);
        d.help = help.map(str::to_string);
        Loaded {
            playlist: Playlist::fallback(path),
            report: Report::new(path, String::new(), vec![d]),
        }
    };
    match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(source) => parse::parse(path, source),
            Err(_) => unreadable(
                "the playlist is not UTF-8 text".into(),
                Some("save it as UTF-8 (most editors offer this under \"Save with encoding\")"),
            ),
        },
        Err(e) => unreadable(format!("cannot read the playlist: {e}"), None),
    }
}

/// Parses playlist text as if it were read from `path` (paths resolve against its folder).
pub fn load_str(path: &Path, source: &str) -> Loaded {
    parse::parse(path, source.to_string())
}

impl Playlist {
    /// What plays when there is no usable playlist at all: the default ticker over black.
    pub fn fallback(path: &Path) -> Playlist {
        load_str(path, "").playlist
    }
}
