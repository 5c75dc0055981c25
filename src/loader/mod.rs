//! Reading a playlist: the file read within limits, parsed, and checked, every problem kept with
//! its place (`Report`). Above the model (`crate::model::playlist`) and the rules; `load` never panics
//! on user input: every problem becomes a [`Diagnostic`], and all of them are reported together.

mod diagnostic;
mod parse;
mod reader;
pub mod schema;
pub mod urgent;

use std::path::Path;

pub use diagnostic::{Diagnostic, Report, Severity};
pub(crate) use parse::{image_help, parse_urgent};

use crate::lang::Msg;
use crate::model::playlist::Playlist;
use crate::share::{self, FileProblem};

/// Playlists larger than this are refused: a real one is a few KB, and a file that is not a
/// playlist at all (a video dropped under the wrong name, /dev/zero) must not be read whole.
pub const MAX_PLAYLIST_BYTES: u64 = 4 << 20;

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

/// Reads and validates a playlist file: only a regular file, at most [`MAX_PLAYLIST_BYTES`],
/// opened without blocking. Never panics on user input.
pub fn load(path: &Path) -> Loaded {
    load_identified(path, None).0
}

/// [`load`] for a canvas of `canvas` pixels when the playlist gives no size (`--region`'s
/// size): every default derived from the canvas (the band's height, text sizes) is laid out
/// for it, as if the playlist had said so.
pub fn load_for(path: &Path, canvas: Option<(u32, u32)>) -> Loaded {
    load_identified(path, canvas).0
}

/// [`load_for`], and the identity of what was read (its stamp and a hash of its bytes), for a
/// watcher to tell later whether the file still holds the same.
pub fn load_identified(
    path: &Path,
    canvas: Option<(u32, u32)>,
) -> (Loaded, Option<(share::Seen, u64)>) {
    let unreadable = |message: Msg, help: Msg| Loaded {
        playlist: parse::fallback(path, canvas),
        report: Report::new(
            path,
            String::new(),
            vec![Diagnostic::error(None, message).with_help(help)],
        ),
    };
    let seen = share::seen(path);
    let bytes = match share::read_limited(path, MAX_PLAYLIST_BYTES) {
        Ok(bytes) => bytes,
        Err(FileProblem::TooLarge { size, limit }) => {
            let too_large = Msg::PlaylistTooLarge {
                size: share::human_bytes(size),
                limit: share::human_bytes(limit),
            };
            let unread = unreadable(too_large, Msg::RightFileHelp);
            return (unread, seen.map(|s| (s, 0)));
        }
        Err(FileProblem::NotFound) => {
            let unread = unreadable(Msg::PlaylistNotFound, Msg::CheckPathHelp);
            return (unread, None);
        }
        Err(p) => {
            let problem = Box::new(p.message());
            let unread = unreadable(Msg::PlaylistIs { problem }, Msg::PointAtPlaylistHelp);
            return (unread, seen.map(|s| (s, 0)));
        }
    };
    let identity = seen.map(|s| (s, hash(&bytes)));
    let loaded = match decode_text(bytes) {
        Ok(source) => parse::parse(path, source, canvas),
        Err(message) => unreadable(message, Msg::SaveAsUtf8),
    };
    (loaded, identity)
}

/// A hash of a playlist's bytes, to tell an edit that kept its size and mtime.
pub fn hash(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
}

/// The playlist's text: UTF-8, with or without the byte-order mark Notepad writes.
fn decode_text(bytes: Vec<u8>) -> Result<String, Msg> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Msg::PlaylistUtf16);
    }
    let bytes = match bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        Some(rest) => rest.to_vec(),
        None => bytes,
    };
    String::from_utf8(bytes).map_err(|e| Msg::PlaylistNotUtf8 {
        byte: e.utf8_error().valid_up_to(),
    })
}

/// Parses playlist text as if it were read from `path` (paths resolve against its folder).
pub fn load_str(path: &Path, source: &str) -> Loaded {
    parse::parse(path, source.to_string(), None)
}

/// What plays when there is no usable playlist at all: the default ticker over black.
pub fn fallback(path: &Path) -> Playlist {
    parse::fallback(path, None)
}

/// [`fallback`] laid out for a canvas of `canvas` pixels (see [`load_for`]).
pub fn fallback_for(path: &Path, canvas: Option<(u32, u32)>) -> Playlist {
    parse::fallback(path, canvas)
}
