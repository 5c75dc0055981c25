//! signage: a GPU-rendered digital-signage player for LED walls.
//!
//! Pure logic (`playlist`, `schedule`, `timeline`) is kept apart from the GPU (`render`) and the
//! window (`app`), so that it can be tested with an injected clock and no display.

pub mod app;
pub mod assets;
pub mod inhibit;
pub mod lang;
pub mod layout;
pub mod lighting;
pub mod livetext;
pub mod logging;
pub mod pacing;
pub mod pattern;
pub mod platform;
pub mod player;
pub mod playhead;
pub mod playlist;
pub mod playlog;
pub mod prepare;
pub mod render;
pub mod residency;
pub mod schedule;
pub mod service;
pub mod share;
pub mod stats;
pub mod status_file;
pub mod still;
pub mod suggest;
pub mod summary;
pub mod supervise;
pub mod timeline;
pub mod urgent;
pub mod verify;
pub mod walls;
pub mod watch;
pub mod workdays;
