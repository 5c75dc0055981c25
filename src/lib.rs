//! signage: a GPU-rendered digital-signage player for LED walls.
//!
//! The modules stand in layers, each importing only from the layers before it (no import circle
//! between modules; tests may reach anywhere):
//!
//! 1. the model: `playlist` (plain types), `suggest`, and the files' identity in `share`;
//! 2. the rules, pure and fed a clock: `schedule`, `workdays`, `lighting`, `livetext`,
//!    `timeline`, `pacing`, `residency`, `playhead`;
//! 3. reading the share, bounded and non-blocking: `share`, `assets`, `playlog`, `logging`,
//!    `status_file`; and the playlist read through it: `loader`, `urgent`, `verify`, `summary`;
//! 4. CPU layout and preparation, no GPU: `layout`, `prepare`;
//! 5. the renderer, wgpu only: `render`, `still`, `pattern`;
//! 6. the player, frame by frame without a window, and the watcher: `player`, `watch`;
//! 7. the app, winit only: `app`, `inhibit`, `stats`;
//! 8. what the commands add: `supervise`, `service`, `walls` (the program's own `cli` is in the
//!    binary). `lang` and `platform` serve every layer.

pub mod app;
pub mod assets;
pub mod inhibit;
pub mod lang;
pub mod layout;
pub mod lighting;
pub mod livetext;
pub mod loader;
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
