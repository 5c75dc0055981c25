//! The winit shell: the window for each display mode, the surface, frame pacing, keys and
//! recovery. Everything it draws comes from `render`; everything it shows comes from `timeline`.
//!
//! Here the event loop and the state of a running wall; `start.rs` starts it, `frame.rs` runs
//! it frame by frame (and every second), `keys.rs` takes keys, `window.rs` places the window.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Local;
use winit::application::ApplicationHandler;
use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event::{ElementState, KeyEvent, WindowEvent};
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::keyboard::{Key, ModifiersState, NamedKey};
use winit::window::{Fullscreen, Window, WindowAttributes, WindowId, WindowLevel};

use crate::layout::prepare::{Preparer, Ready};
use crate::loader;
use crate::model::playlist::{Color, Placement, Playlist};
use crate::player::{Arrival, Player};
use crate::render::{Fonts, Gpu, Output, Rect, Renderer};
use crate::rules::playhead::Moment;
use crate::system::stats::Stats;
use crate::watch::{ReloadEvent, WatchOptions, Watcher};
use band::BandWindow;

/// How `signage play` was asked to run.
#[derive(Debug, Clone)]
pub struct PlayOptions {
    pub playlist: PathBuf,
    /// Overrides the playlist's `[display]` placement.
    pub placement: Option<Placement>,
    /// With `--region`: the window's size. A playlist that gives no canvas size is laid out
    /// for it; one that does is scaled to fit it.
    pub region_size: Option<(u32, u32)>,
    pub stats: bool,
    /// Report frames drawn on standard output once a second, for a supervisor.
    pub heartbeat: bool,
    /// Write what plays as daily CSV files in this folder, kept this many days.
    pub play_log: Option<(PathBuf, u32)>,
    /// Show the installer's test pattern (see `crate::player::pattern`) instead of the playlist.
    pub test_pattern: bool,
    pub watch: WatchOptions,
}

pub enum UserEvent {
    Quit,
    Reload(Box<ReloadEvent>),
    Prepared(Box<Ready>),
}

/// Runs the player until it is closed, killed or quits with Ctrl+Alt+Q. Returns the exit code.
pub fn play(options: PlayOptions) -> Result<(), String> {
    let event_loop = EventLoop::<UserEvent>::with_user_event()
        .build()
        .map_err(|e| format!("cannot open a window: {e}. Is there a display? (DISPLAY or WAYLAND_DISPLAY must be set; use `signage render` without one)"))?;
    let proxy = event_loop.create_proxy();
    let quit = proxy.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = quit.send_event(UserEvent::Quit);
    }) {
        tracing::warn!("cannot handle SIGTERM/SIGINT: {e}");
    }
    let mut app = App {
        options,
        proxy,
        running: None,
        error: None,
    };
    event_loop
        .run_app(&mut app)
        .map_err(|e| format!("the event loop failed: {e}"))?;
    match app.error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Lists monitors as `--monitor` numbers them.
pub fn list_monitors() -> Result<Vec<String>, String> {
    struct Lister(Vec<String>);
    impl ApplicationHandler for Lister {
        fn resumed(&mut self, event_loop: &ActiveEventLoop) {
            let primary = event_loop.primary_monitor();
            for (i, m) in event_loop.available_monitors().enumerate() {
                let (pos, size) = (m.position(), m.size());
                let hz = m
                    .refresh_rate_millihertz()
                    .map_or("?".into(), |mhz| format!("{:.2}", mhz as f64 / 1000.0));
                let star = if primary.as_ref() == Some(&m) {
                    " (primary)"
                } else {
                    ""
                };
                self.0.push(format!(
                    "{i}: {} at {},{} {}x{} {hz} Hz scale {}{star}",
                    m.name().unwrap_or_else(|| "unnamed".into()),
                    pos.x,
                    pos.y,
                    size.width,
                    size.height,
                    m.scale_factor()
                ));
            }
            event_loop.exit();
        }
        fn window_event(&mut self, _: &ActiveEventLoop, _: WindowId, _: WindowEvent) {}
    }
    let event_loop = EventLoop::new().map_err(|e| format!("cannot reach the display: {e}"))?;
    let mut lister = Lister(Vec::new());
    event_loop.run_app(&mut lister).map_err(|e| e.to_string())?;
    Ok(lister.0)
}

struct App {
    options: PlayOptions,
    proxy: EventLoopProxy<UserEvent>,
    running: Option<Running>,
    error: Option<String>,
}

/// What the player holds while its window exists. Field order matters: the surface must be
/// dropped before the window it draws on.
struct Running {
    /// The ticker band's own window: dropped first.
    band: Band,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    player: Player,
    gpu: Gpu,
    window: Arc<Window>,
    proxy: EventLoopProxy<UserEvent>,
    placement: Placement,
    /// The wall window's size in physical pixels, kept exactly in region mode.
    window_size: (u32, u32),
    /// `--region`'s size, which every reloaded playlist is fitted to (see
    /// `Playlist::fit_region`).
    region: Option<(u32, u32)>,
    keys: Keys,
    report: Report,
    recovery: Recovery,
    /// Keeps the display awake on the wall (not in the preview); restores it when dropped.
    _awake: Option<crate::system::inhibit::ScreenSaverInhibit>,
    /// Something besides the timeline changed the picture (reload, resize, keys).
    dirty: bool,
    /// When the redraw not come yet was first asked for.
    redraw_asked: Option<Instant>,
    /// The window is a Wayland surface: frames come at the compositor's frame callbacks.
    wayland: bool,
    /// When the whole main window was last presented (with a band window, frames that move
    /// only the ticker present just the band).
    last_whole: Option<Instant>,
    /// The window is hidden (minimised, covered): frames are not expected.
    occluded: bool,
    /// When the player was asked to start, for the log's first-frame line.
    started: Instant,
    /// The test pattern's picture, removed when the player ends.
    _pattern_file: Option<RemoveOnDrop>,
}

/// The ticker band's own window, over the main one (see `band.rs`).
#[derive(Default)]
struct Band {
    window: Option<BandWindow>,
    /// The band the window was last made for (or failed for), so that a playlist that moves
    /// the band gets a new one and a failure is not retried every frame.
    made_for: Option<Rect>,
    /// Frames in a row the band window's surface gave no texture.
    misses: u32,
}

/// The preview's keys and what they show.
struct Keys {
    modifiers: ModifiersState,
    /// The help line is up.
    help: bool,
    /// A reload's problems, shown over the preview.
    banner: Option<String>,
}

/// What the wall tells the outside: the watcher (and through it the status file), `--stats`,
/// the supervisor's heartbeat, the play log.
struct Report {
    watcher: Option<Watcher>,
    stats: Option<Stats>,
    last_check: Instant,
    /// Frames drawn since `last_check`, for the status file's fps.
    frames_since_check: u32,
    heartbeat: bool,
    /// Why nobody can see the wall's window, if so (for the status file).
    unseen: Option<String>,
    play_log: Option<crate::share::playlog::PlayLog>,
    /// What the play log was last told, to write a row only when the slide really changes
    /// (not when a reload renumbers it).
    logged: Option<crate::share::playlog::Shown>,
}

/// What failed, and how often: the renderer is rebuilt, and after too many panics the process
/// gives up (a supervisor restarts it).
struct Recovery {
    device_lost: Arc<AtomicBool>,
    /// Panics caught lately.
    panics: Vec<Instant>,
    /// Something failed; the renderer is rebuilt from the last good playlist.
    broken: bool,
}

/// More panics than this within a minute and the player gives up (exit 1): whatever breaks is
/// not fixed by rebuilding, and a fresh process may fare better.
const PANICS_PER_MINUTE: usize = 5;

/// A band window whose surface fails this many frames in a row is closed.
const BAND_MISSES_ALLOWED: u32 = 30;

/// With a band window, the whole main window is presented at least this often.
const WHOLE_AT_LEAST_EVERY: Duration = Duration::from_secs(1);

/// While a redraw asked for has not come, the event loop still wakes this often (for reloads,
/// stats and the status file), and asks again after `REDRAW_ASK_AGAIN` in case it was lost.
const REDRAW_PENDING_WAKE: Duration = Duration::from_millis(100);
const REDRAW_ASK_AGAIN: Duration = Duration::from_secs(1);

/// A Wayland redraw held back longer than this is the compositor not wanting frames (see
/// `Running::housekeeping`).
const COMPOSITOR_HOLDS: Duration = Duration::from_secs(2);

impl ApplicationHandler<UserEvent> for App {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.running.is_some() {
            return;
        }
        match Running::start(event_loop, &self.options, self.proxy.clone()) {
            Ok(running) => self.running = Some(running),
            Err(e) => {
                self.error = Some(e);
                event_loop.exit();
            }
        }
    }

    fn user_event(&mut self, event_loop: &ActiveEventLoop, event: UserEvent) {
        if let UserEvent::Quit = event {
            tracing::info!("stopping on a signal");
            event_loop.exit();
            return;
        }
        self.guarded(event_loop, "taking a reload", |r| match event {
            UserEvent::Reload(reload) => r.apply_reload(*reload),
            UserEvent::Prepared(p) => {
                if r.player.prepared(*p, Moment::now()) == Arrival::Redraw {
                    r.dirty = true;
                }
            }
            UserEvent::Quit => {}
        });
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, id: WindowId, event: WindowEvent) {
        let mut quit = false;
        let from_band = self
            .running
            .as_ref()
            .and_then(|r| r.band.window.as_ref())
            .is_some_and(|b| b.id() == id);
        if from_band {
            // The band window is part of the wall: keys typed while it has the focus count; its
            // size and redraws are the player's own business.
            self.guarded(event_loop, "taking a key", |r| match event {
                WindowEvent::ModifiersChanged(m) => r.keys.modifiers = m.state(),
                WindowEvent::KeyboardInput { event, .. } => quit = r.key(&event),
                _ => {}
            });
            if quit {
                event_loop.exit();
            }
            return;
        }
        self.guarded(event_loop, "drawing", |r| match event {
            WindowEvent::CloseRequested => quit = true,
            WindowEvent::Resized(size) => r.resize(size),
            WindowEvent::ScaleFactorChanged { .. } => r.resize(r.window.inner_size()),
            WindowEvent::Moved(_) => r.keep_in_place(),
            WindowEvent::ModifiersChanged(m) => r.keys.modifiers = m.state(),
            WindowEvent::Occluded(hidden) => r.occluded = hidden,
            WindowEvent::KeyboardInput { event, .. } => quit = r.key(&event),
            WindowEvent::RedrawRequested => r.redraw(),
            _ => {}
        });
        if quit {
            event_loop.exit();
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        let mut next = None;
        self.guarded(event_loop, "keeping time", |r| {
            if let Some(stats) = &mut r.report.stats {
                stats.wakeup();
            }
            if std::mem::take(&mut r.recovery.broken) {
                r.rebuild_renderer();
            }
            r.housekeeping();
            r.sync_band(event_loop);
            let (at, draw) = r.next_redraw();
            if draw
                && r.redraw_asked
                    .is_none_or(|t| t.elapsed() >= REDRAW_ASK_AGAIN)
            {
                r.window.request_redraw();
                r.redraw_asked.get_or_insert_with(Instant::now);
            }
            // A redraw asked for comes when the window system lets it: on Wayland at the
            // compositor's next frame callback. Waking for the missed deadline until then
            // would only spin (85 % of a core under Weston before this).
            next = Some(match r.redraw_asked {
                Some(_) => at.max(Instant::now() + REDRAW_PENDING_WAKE),
                None => at,
            });
        });
        let next = next.unwrap_or_else(|| Instant::now() + Duration::from_millis(100));
        event_loop.set_control_flow(ControlFlow::WaitUntil(next));
    }

    fn exiting(&mut self, _: &ActiveEventLoop) {
        if let Some(r) = &mut self.running {
            if let Some(stats) = &mut r.report.stats {
                stats.print();
            }
        }
        // Surface before window (field order in `Running`).
        self.running = None;
    }
}

impl App {
    /// Runs `f` on the running player, containing a panic: it is logged (with a backtrace, by
    /// the panic hook), and the renderer is rebuilt from the last good playlist. The wall goes
    /// on; only if panics keep coming does the player exit, for a supervisor to restart it.
    fn guarded(&mut self, event_loop: &ActiveEventLoop, what: &str, f: impl FnOnce(&mut Running)) {
        let Some(r) = &mut self.running else { return };
        if catch_unwind(AssertUnwindSafe(|| f(r))).is_ok() {
            return;
        }
        tracing::error!("a panic while {what} was caught; rebuilding the renderer");
        let now = Instant::now();
        r.recovery
            .panics
            .retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        r.recovery.panics.push(now);
        r.recovery.broken = true;
        if r.recovery.panics.len() > PANICS_PER_MINUTE {
            self.error = Some(format!(
                "{} panics within a minute; giving up so that the process can be restarted",
                r.recovery.panics.len()
            ));
            event_loop.exit();
        }
    }
}

mod band;
mod frame;
mod keys;
mod start;
mod window;

use start::{say_scaled, start_preparer, watch_device};

/// A file that goes when its holder does.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
