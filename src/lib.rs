//! signage: a GPU-rendered digital-signage player for LED walls.
//!
//! Each folder of `src/` is a layer and imports only from the layers below it; no module
//! imports one that imports it back (`tests/layers.rs` checks both; tests may reach anywhere).
//! Bottom to top:
//!
//! 1. `system`: the operating system (platform differences, keeping the display awake, the
//!    process's figures, the supervising parent);
//! 2. `lang`: the editor's language and every message, English and Chinese;
//! 3. `model`: the playlist's plain types, `when` and festivals, working days, a file's stamp;
//! 4. `rules`: pure and fed a clock: timeline, lighting, live text, pacing, playhead,
//!    residency, and the text of `check` and `schedule`;
//! 5. `share`: every read from the share, bounded and non-blocking: files, images, the play
//!    log, the log, the status file;
//! 6. `loader`: the playlist and urgent notices read through it, every problem with its place;
//! 7. `layout`: CPU layout and preparation, and the checks that measure (`check` stops here:
//!    it does not link the renderer);
//! 8. `render`: wgpu only;
//! 9. `player` (frame by frame, no window) and `watch` (the watcher's threads), side by side;
//! 10. `app`: winit only;
//! 11. `ops`: what operators run beside the player (`signage status`, the service).
//!
//! The program's own modules (`src/main.rs`, `src/cli/`) stand above them all.

pub mod app;
pub mod lang;
pub mod layout;
pub mod loader;
pub mod model;
pub mod ops;
pub mod player;
pub mod render;
pub mod rules;
pub mod share;
pub mod system;
pub mod watch;
