//! The winit shell: the window for each display mode, the surface, frame pacing, keys and
//! recovery. Everything it draws comes from `render`; everything it shows comes from `timeline`.

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

use crate::band::BandWindow;
use crate::player::{Arrival, Player};
use crate::playhead::Moment;
use crate::playlist::{self, Color, Placement, Playlist};
use crate::prepare::{Preparer, Ready};
use crate::render::{Fonts, Gpu, Output, Rect, Renderer};
use crate::stats::Stats;
use crate::watch::{ReloadEvent, WatchOptions, Watcher};

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
    /// Show the installer's test pattern (see `crate::pattern`) instead of the playlist.
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
    /// The ticker band's own window, over the main one (see `band`): dropped first.
    band: Option<BandWindow>,
    /// The band the band window was last made for (or failed for), so that a playlist that
    /// moves the band gets a new one and a failure is not retried every frame.
    band_for: Option<Rect>,
    /// Frames in a row the band window's surface gave no texture.
    band_misses: u32,
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    player: Player,
    gpu: Gpu,
    device_lost: Arc<AtomicBool>,
    window: Arc<Window>,
    proxy: EventLoopProxy<UserEvent>,
    placement: Placement,
    /// The wall window's size in physical pixels, kept exactly in region mode.
    window_size: (u32, u32),
    /// `--region`'s size, which every reloaded playlist is fitted to (see
    /// `Playlist::fit_region`).
    region: Option<(u32, u32)>,
    modifiers: ModifiersState,
    help: bool,
    banner: Option<String>,
    stats: Option<Stats>,
    watcher: Option<Watcher>,
    last_check: Instant,
    /// Frames drawn since `last_check`, for the status file's fps.
    frames_since_check: u32,
    /// Panics caught lately, to give up (and let a supervisor restart the process) when
    /// rebuilding does not help.
    panics: Vec<Instant>,
    /// Something failed; the renderer is rebuilt from the last good playlist.
    broken: bool,
    /// Keeps the display awake on the wall (not in the preview); restores it when dropped.
    _awake: Option<crate::inhibit::ScreenSaverInhibit>,
    /// Something besides the timeline changed the picture (reload, resize, keys).
    dirty: bool,
    /// When the redraw not come yet was first asked for.
    redraw_asked: Option<Instant>,
    /// The window is a Wayland surface: frames come at the compositor's frame callbacks.
    wayland: bool,
    /// Why nobody can see the wall's window, if so (for the status file).
    unseen: Option<String>,
    /// When the whole main window was last presented (with a band window, frames that move
    /// only the ticker present just the band).
    last_whole: Option<Instant>,
    heartbeat: bool,
    /// The window is hidden (minimised, covered): frames are not expected.
    occluded: bool,
    play_log: Option<crate::playlog::PlayLog>,
    /// When the player was asked to start, for the log's first-frame line.
    started: Instant,
    /// The test pattern's picture, removed when the player ends.
    _pattern_file: Option<RemoveOnDrop>,
    /// What the play log was last told, to write a row only when the slide really changes
    /// (not when a reload renumbers it).
    logged: Option<crate::playlog::Shown>,
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
            .and_then(|r| r.band.as_ref())
            .is_some_and(|b| b.id() == id);
        if from_band {
            // The band window is part of the wall: keys typed while it has the focus count; its
            // size and redraws are the player's own business.
            self.guarded(event_loop, "taking a key", |r| match event {
                WindowEvent::ModifiersChanged(m) => r.modifiers = m.state(),
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
            WindowEvent::ModifiersChanged(m) => r.modifiers = m.state(),
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
            if let Some(stats) = &mut r.stats {
                stats.wakeup();
            }
            if std::mem::take(&mut r.broken) {
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
            if let Some(stats) = &mut r.stats {
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
        r.panics
            .retain(|t| now.duration_since(*t) < Duration::from_secs(60));
        r.panics.push(now);
        r.broken = true;
        if r.panics.len() > PANICS_PER_MINUTE {
            self.error = Some(format!(
                "{} panics within a minute; giving up so that the process can be restarted",
                r.panics.len()
            ));
            event_loop.exit();
        }
    }
}

fn is_wayland(window: &Window) -> bool {
    use winit::raw_window_handle::{HasWindowHandle, RawWindowHandle};
    window
        .window_handle()
        .is_ok_and(|h| matches!(h.as_raw(), RawWindowHandle::Wayland(_)))
}

/// Whether any pixel of a window at `at` of `size` lies on one of `monitors` (each its
/// position and size on the desktop).
fn on_some_monitor(
    at: (i32, i32),
    size: (u32, u32),
    monitors: &[(PhysicalPosition<i32>, PhysicalSize<u32>)],
) -> bool {
    let (x0, y0) = (at.0 as i64, at.1 as i64);
    let (x1, y1) = (x0 + size.0 as i64, y0 + size.1 as i64);
    monitors.iter().any(|(p, s)| {
        let (mx0, my0) = (p.x as i64, p.y as i64);
        let (mx1, my1) = (mx0 + s.width as i64, my0 + s.height as i64);
        x0 < mx1 && mx0 < x1 && y0 < my1 && my0 < y1
    })
}

/// Reads the playlist on a helper thread, waiting at most `wait`: a share that does not
/// answer must not keep the wall dark at start. `None`: it did not answer in time, and the
/// watcher hands over its first load when it does.
fn load_within(
    path: &std::path::Path,
    canvas: Option<(u32, u32)>,
    wait: Duration,
) -> Option<playlist::Loaded> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("signage-first-load".into())
        .spawn(move || {
            let _ = tx.send(playlist::load_for(&owned, canvas));
        });
    let loaded = spawned.ok().and_then(|_| rx.recv_timeout(wait).ok());
    if loaded.is_none() {
        tracing::error!(
            "{} did not load within {} s (is the share answering?); starting with the default ticker",
            path.display(),
            wait.as_secs()
        );
    }
    loaded
}

impl Running {
    fn start(
        event_loop: &ActiveEventLoop,
        options: &PlayOptions,
        proxy: EventLoopProxy<UserEvent>,
    ) -> Result<Running, String> {
        let started = Instant::now();
        let mut pattern_file = None;
        let mut late = false;
        let loaded = if options.test_pattern {
            let (playlist, png) = test_pattern(event_loop, options)?;
            pattern_file = Some(RemoveOnDrop(png));
            playlist::Loaded {
                report: playlist::Report::new(&playlist.path, String::new(), Vec::new()),
                playlist,
            }
        } else {
            let region = options.region_size;
            load_within(&options.playlist, region, Duration::from_secs(2)).unwrap_or_else(|| {
                late = true;
                let playlist = Playlist::fallback_for(&options.playlist, region);
                playlist::Loaded {
                    report: playlist::Report::new(&playlist.path, String::new(), Vec::new()),
                    playlist,
                }
            })
        };
        if !loaded.is_clean() {
            // Play what loaded rather than nothing; the watcher picks up the fix.
            tracing::error!(
                "{}: problems, playing what loaded:\n{}",
                options.playlist.display(),
                loaded.report
            );
        }
        let mut playlist = loaded.playlist;
        let placement = options.placement.unwrap_or(playlist.display.placement);
        // The wall's window: the LED card's capture rectangle (--region), or the canvas.
        let window_size = options
            .region_size
            .unwrap_or((playlist.display.width, playlist.display.height));
        let region = options.region_size;
        if playlist.fit_region(region) {
            say_scaled(&playlist, window_size);
        }
        let window = Arc::new(
            event_loop
                .create_window(window_attributes(
                    event_loop,
                    placement,
                    window_size,
                    &options.playlist,
                ))
                .map_err(|e| format!("cannot create the window: {e}"))?,
        );
        if placement != Placement::Window {
            window.set_cursor_visible(false);
        }
        let wayland = is_wayland(&window);
        let mut unseen = None;
        if let Placement::Region { x, y } = placement {
            if wayland {
                tracing::warn!(
                    "on Wayland a window cannot place itself: the compositor decides where the region's window goes, not {x},{y}; for a LED sending card use an X11 session, or --fullscreen on the LED's monitor"
                );
            }
            let monitors: Vec<_> = event_loop
                .available_monitors()
                .map(|m| (m.position(), m.size()))
                .collect();
            if !monitors.is_empty() && !on_some_monitor((x, y), window_size, &monitors) {
                let text = format!(
                    "the region {x},{y},{}x{} lies outside every monitor: nobody sees the wall (`signage monitors` lists where they are)",
                    window_size.0, window_size.1
                );
                tracing::warn!("{text}");
                unseen = Some(text);
            }
        }
        if options.placement.is_none() && placement != Placement::Window && !options.test_pattern {
            // An editor who ran `signage play` on a wall's playlist gets the wall's window,
            // with no keys: say how to leave it, and how to preview instead.
            tracing::info!(
                "this is the wall's window, as the playlist's [display] places it: Ctrl+Alt+Q quits; to preview the playlist in a window with keys, run `signage preview {}`",
                options.playlist.display()
            );
        }
        let display = event_loop.owned_display_handle();
        let (gpu, surface) = Gpu::for_window(
            || {
                wgpu::InstanceDescriptor::new_with_display_handle_from_env(Box::new(
                    display.clone(),
                ))
            },
            window.clone(),
        )?;
        tracing::info!("GPU: {}", gpu.adapter_name());
        let device_lost = watch_device(&gpu);
        let size = window.inner_size();
        let config = surface_config(&surface, &gpu, size)?;
        surface.configure(&gpu.device, &config);

        let renderer = Renderer::with_format(&gpu, Fonts::WithSystem, &playlist, config.format);
        let hz = window
            .current_monitor()
            .and_then(|m| m.refresh_rate_millihertz())
            .map_or(60.0, |mhz| mhz as f64 / 1000.0);
        let watch = WatchOptions {
            // Reloads shape their ticker on the watcher thread with a copy of the fonts.
            fonts: Some(renderer.font_database()),
            canvas: options.region_size,
            deliver_first: late,
            ..options.watch.clone()
        };
        let preparer = start_preparer(&renderer, proxy.clone());
        let mut player = Player::new(renderer, playlist, preparer, hz, Moment::now());
        // The first slides are prepared here, so that the first frame shows them.
        player.warm_up(Moment::now(), Duration::from_millis(1500));
        let reloads = proxy.clone();
        let watcher = if options.test_pattern {
            player.set_sweep(true, Moment::now());
            tracing::info!(
                "showing the test pattern ({}x{}); Ctrl+Alt+Q quits",
                window_size.0,
                window_size.1
            );
            None
        } else {
            Watcher::start(&options.playlist, watch, move |event| {
                let _ = reloads.send_event(UserEvent::Reload(Box::new(event)));
            })
        };
        let running = Running {
            band: None,
            band_for: None,
            band_misses: 0,
            surface,
            config,
            player,
            gpu,
            device_lost,
            window,
            proxy,
            placement,
            window_size,
            region,
            modifiers: ModifiersState::empty(),
            help: false,
            banner: None,
            stats: options.stats.then(Stats::new),
            watcher,
            last_check: Instant::now(),
            frames_since_check: 0,
            panics: Vec::new(),
            broken: false,
            _awake: (placement != Placement::Window)
                .then(crate::inhibit::ScreenSaverInhibit::start),
            dirty: true,
            redraw_asked: Some(Instant::now()),
            wayland,
            unseen,
            last_whole: None,
            heartbeat: options.heartbeat,
            occluded: false,
            play_log: options
                .play_log
                .clone()
                .and_then(|(dir, days)| crate::playlog::PlayLog::start(dir, days)),
            logged: None,
            started,
            _pattern_file: pattern_file,
        };
        if options.heartbeat {
            crate::platform::stdout_nonblocking();
        }
        running.window.request_redraw();
        Ok(running)
    }

    fn redraw(&mut self) {
        self.redraw_asked = None;
        if self.device_lost.swap(false, Ordering::SeqCst) {
            self.rebuild_gpu();
        }
        if self.window.is_minimized() == Some(true) {
            return; // nothing to draw on; the clock keeps the time
        }
        let at = Moment::now();
        let frame = self.player.begin_frame(at);
        let band = self.band.as_mut().and_then(|b| b.acquire(&self.gpu.device));
        self.band_misses = match (&self.band, &band) {
            (Some(_), None) => self.band_misses + 1,
            _ => 0,
        };
        if self.band_misses > BAND_MISSES_ALLOWED {
            // A band window whose surface gives no textures would cover the band with black:
            // close it and present the whole canvas, as without one.
            tracing::warn!(
                "the ticker band's window gave no picture for {} frames; closing it and presenting the whole canvas",
                self.band_misses
            );
            (self.band, self.band_misses) = (None, 0);
        }
        // The whole window when more than the band changes, when there is no band texture this
        // frame, and once a second anyway: a window the system uncovered shows the slide again.
        let whole = band.is_none()
            || !self.player.renderer().touches_only_band(&frame)
            || self
                .last_whole
                .is_none_or(|t| t.elapsed() >= WHOLE_AT_LEAST_EVERY);
        let main = if whole {
            acquire(&self.surface, &self.config, &self.gpu.device)
        } else {
            None
        };
        if main.is_none() && band.is_none() {
            return;
        }
        let band_only = main.is_none();
        let before = self.player.shown().slide;
        self.player.draw_to(
            &frame,
            main.as_ref().map(output),
            band.as_ref().map(output),
            at,
        );
        if self.player.frames().0 == 1 {
            tracing::info!(
                "first frame on the wall {} ms after start",
                self.started.elapsed().as_millis()
            );
        }
        if let Some(texture) = main {
            self.window.pre_present_notify();
            self.gpu.queue.present(texture);
            self.last_whole = Some(Instant::now());
        }
        if let (Some(texture), Some(b)) = (band, &self.band) {
            b.pre_present_notify();
            self.gpu.queue.present(texture);
        }
        if frame.slide != before || self.logged.is_none() {
            self.log_shown(at);
        }
        if let Some(stats) = &mut self.stats {
            let moving = self.player.playhead().step().is_some() || frame.transition.is_some();
            stats.frame(
                at.mono,
                Instant::now(),
                self.player.playhead().period(),
                moving,
                band_only,
            );
        }
        self.frames_since_check += 1;
    }

    /// Opens, moves or closes the band window to follow the playlist: one while the wall window
    /// shows the canvas 1:1 with an opaque ticker band, none in the preview window.
    fn sync_band(&mut self, event_loop: &ActiveEventLoop) {
        let renderer = self.player.renderer();
        let canvas = (
            renderer.playlist().display.width,
            renderer.playlist().display.height,
        );
        let one_to_one = (self.config.width, self.config.height) == canvas;
        let wanted = renderer
            .opaque_band()
            .filter(|_| one_to_one && self.placement != Placement::Window);
        if wanted == self.band_for {
            return;
        }
        self.band = None;
        self.band_for = wanted;
        self.dirty = true;
        let Some(rect) = wanted else { return };
        let format = self.config.format;
        match BandWindow::open(event_loop, &self.window, &self.gpu, rect, format) {
            Ok(b) => {
                tracing::info!(
                    "the ticker band has a window of its own ({}x{} at {},{}): frames that move \
                     only the ticker present just the band",
                    rect.w,
                    rect.h,
                    rect.x,
                    rect.y
                );
                self.band = Some(b);
            }
            Err(e) => tracing::info!("no window of its own for the ticker band ({e}); presenting the whole canvas each frame"),
        }
    }

    /// Tells the play log what is on the wall now, if that changed.
    fn log_shown(&mut self, at: Moment) {
        let Some(log) = &self.play_log else { return };
        let shown = self.player.describe_shown();
        if self.logged.as_ref() != Some(&shown) {
            // With its offset: the play log must read right across a daylight-saving change.
            log.shown(shown.clone(), chrono::Local::now().fixed_offset(), at.mono);
            self.logged = Some(shown);
        }
    }

    /// When to wake next, and whether to draw now. While something moves: every refresh.
    /// Otherwise the player only wakes (at least once a second, to follow the clock) and draws
    /// when the picture would differ from what is on screen.
    fn next_redraw(&mut self) -> (Instant, bool) {
        let at = Moment::now();
        let stats_due = self.stats.as_ref().map(Stats::next_print);
        let wake = |t: Instant| stats_due.map_or(t, |s| s.min(t));
        if self.player.moving() {
            let next = self.player.playhead().deadline();
            return (wake(next), next <= at.mono);
        }
        let frame = self.player.peek(at);
        let shown = self.player.shown();
        let changed = frame.slide != shown.slide
            || frame.transition.is_some()
            || self.player.light_changed(at);
        let still = frame.still_for_ms().clamp(1, 1000) as u64;
        (
            wake(at.mono + Duration::from_millis(still)),
            changed || std::mem::take(&mut self.dirty),
        )
    }

    /// Returns true to quit.
    fn key(&mut self, event: &KeyEvent) -> bool {
        if event.state != ElementState::Pressed {
            return false;
        }
        let preview = self.placement == Placement::Window;
        tracing::debug!(
            "key {:?} ({:?}) with {:?}",
            event.logical_key,
            event.physical_key,
            self.modifiers
        );
        let Some(action) = key_action(&event.logical_key, self.modifiers, preview)
            .or_else(|| quit_chord(event, self.modifiers))
        else {
            return false;
        };
        let at = Moment::now();
        match action {
            KeyAction::Quit => return true,
            KeyAction::TogglePause => {
                self.player.toggle_pause(at);
                self.update_overlay();
            }
            KeyAction::Next => self.player.skip(true, at),
            KeyAction::Previous => self.player.skip(false, at),
            KeyAction::ToggleHelp => {
                self.help = !self.help;
                self.update_overlay();
            }
            KeyAction::Reload => {
                if let Some(w) = &self.watcher {
                    w.reload_now();
                }
            }
            KeyAction::ToggleFullscreen => {
                let full = self.window.fullscreen().is_some();
                self.window
                    .set_fullscreen((!full).then_some(Fullscreen::Borderless(None)));
            }
            KeyAction::SaveFrame => self.save_frame(),
        }
        self.dirty = true;
        false
    }

    fn update_overlay(&mut self) {
        const HELP: &str = "Space pause · ←/→ previous/next · R reload · F fullscreen · S save frame · Q/Esc quit · H/F1 help";
        let paused = self.player.playhead().is_paused();
        use crate::lang::tr;
        let prefix = if paused {
            format!("{}  ", tr("PAUSED"))
        } else {
            String::new()
        };
        let text = match (&self.banner, self.help) {
            (Some(b), _) => Some(format!("{prefix}{b}")),
            (None, true) => Some(format!("{prefix}{}", tr(HELP))),
            (None, false) if paused => {
                Some(tr("PAUSED (Space to resume, H for help)").into_owned())
            }
            _ => None,
        };
        let color = if self.banner.is_some() {
            Color::rgb(255, 120, 120)
        } else {
            Color::WHITE
        };
        self.player.renderer().set_overlay(text.as_deref(), color);
        self.dirty = true;
    }

    fn save_frame(&mut self) {
        let name = format!("signage-{}.png", Local::now().format("%Y%m%d-%H%M%S"));
        // Save what the wall shows: without the preview overlay.
        let shown = self.player.shown();
        let distance = self.player.playhead().ticker_now();
        let renderer = self.player.renderer();
        renderer.set_overlay(None, Color::WHITE);
        renderer.render(&shown, distance, None);
        match renderer
            .read_canvas()
            .and_then(|img| img.save(&name).map_err(|e| e.to_string()))
        {
            Ok(()) => tracing::info!("saved the frame as {name}"),
            Err(e) => tracing::error!("cannot save the frame: {e}"),
        }
        self.update_overlay();
    }

    fn resize(&mut self, size: PhysicalSize<u32>) {
        if size.width == 0 || size.height == 0 {
            return; // minimised: keep time, draw nothing
        }
        self.config.width = size.width;
        self.config.height = size.height;
        self.surface.configure(&self.gpu.device, &self.config);
        self.keep_in_place();
        self.dirty = true;
    }

    /// In region mode the LED card captures a fixed rectangle: put the window back there.
    fn keep_in_place(&self) {
        let Placement::Region { x, y } = self.placement else {
            return;
        };
        if self
            .window
            .outer_position()
            .is_ok_and(|p| p != PhysicalPosition::new(x, y))
        {
            tracing::warn!("the window was moved; putting it back at {x},{y}");
            self.window.set_outer_position(PhysicalPosition::new(x, y));
        }
        let want = PhysicalSize::new(self.window_size.0, self.window_size.1);
        if self.window.inner_size() != want {
            let _ = self.window.request_inner_size(want);
        }
    }

    /// Every second or so: follow the wall clock, re-assert the region, report what plays.
    fn housekeeping(&mut self) {
        if let Some(stats) = &mut self.stats {
            stats.maybe_print();
        }
        let since = self.last_check.elapsed();
        if since < Duration::from_secs(1) {
            return;
        }
        let fps = self.frames_since_check as f64 / since.as_secs_f64();
        self.frames_since_check = 0;
        self.last_check = Instant::now();
        self.player.follow_clock(Moment::now());
        if matches!(self.placement, Placement::Fullscreen { .. })
            && self.window.fullscreen().is_none()
        {
            tracing::warn!("fullscreen was lost (a monitor change?); restoring it");
            self.window
                .set_fullscreen(Some(Fullscreen::Borderless(self.window.current_monitor())));
        }
        if matches!(self.placement, Placement::Region { .. }) {
            self.keep_in_place();
            self.window.set_window_level(WindowLevel::AlwaysOnTop);
        }
        let (frames, last_frame) = self.player.frames();
        // Frames are expected while something moves on a window that can be drawn on. A Wayland
        // compositor sends no frame callbacks while the window cannot be seen (covered,
        // minimised, the screen blanked), and winit reports no occlusion there: a redraw held
        // back that long is the compositor's doing, and the watchdog must not restart the
        // player for as long as the screen is blank.
        let held_back = self.wayland
            && self
                .redraw_asked
                .is_some_and(|t| t.elapsed() > COMPOSITOR_HOLDS);
        let moving = self.player.moving()
            && !self.occluded
            && !held_back
            && self.window.is_minimized() != Some(true);
        if self.heartbeat {
            use std::io::Write;
            let line = crate::supervise::heartbeat_line(frames, moving);
            // A full pipe (a supervisor that is not reading) must not stop the wall.
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
        if let Some(w) = &self.watcher {
            let light = self.player.renderer().light();
            w.report_playing(crate::watch::Playing {
                slide: self.player.shown_name().map(str::to_string),
                fps: Some(fps),
                frames,
                last_frame,
                moving,
                dark: !light.on,
                brightness: (light.level * 100.0).round() as u8,
                warning: self.unseen.clone(),
            });
        }
    }

    fn apply_reload(&mut self, event: ReloadEvent) {
        match event {
            ReloadEvent::Loaded { playlist, text } => {
                self.set_playlist(*playlist, text.map(|t| *t));
                self.banner = None;
            }
            ReloadEvent::Rejected { summary } => {
                // Only the preview shows errors; the wall keeps playing with nothing on it.
                if self.placement == Placement::Window {
                    self.banner = Some(summary);
                }
            }
            ReloadEvent::Urgent(notice) => {
                self.player.set_urgent(notice.map(|n| *n), Moment::now());
                self.dirty = true;
            }
        }
        self.update_overlay();
    }

    fn set_playlist(
        &mut self,
        mut playlist: Playlist,
        text: Option<crate::render::text::ShapedText>,
    ) {
        let size = |p: &Playlist| (p.display.width, p.display.height);
        let before = size(self.player.playlist());
        if playlist.fit_region(self.region) && size(&playlist) != before {
            say_scaled(&playlist, self.window_size);
        }
        self.player.set_playlist(playlist, text, Moment::now());
    }

    /// A new renderer for the playlist that plays, on the same device: after a panic, whose
    /// half-done work may have left the old one inconsistent.
    fn rebuild_renderer(&mut self) {
        let playlist = self.player.playlist().clone();
        let renderer =
            Renderer::with_format(&self.gpu, Fonts::WithSystem, &playlist, self.config.format);
        let preparer = start_preparer(&renderer, self.proxy.clone());
        self.player
            .replace_renderer(renderer, preparer, Moment::now());
        self.update_overlay();
        self.dirty = true;
    }

    /// After a GPU reset: a new device, surface and renderer; the timeline keeps time.
    fn rebuild_gpu(&mut self) {
        tracing::warn!("rebuilding the renderer after the GPU device was lost");
        // The window's display connection, as at start: GL and Wayland need it for a surface.
        let window = self.window.clone();
        let rebuilt = Gpu::for_window(
            || wgpu::InstanceDescriptor::new_with_display_handle_from_env(Box::new(window.clone())),
            self.window.clone(),
        );
        match rebuilt {
            Ok((gpu, surface)) => {
                tracing::info!("GPU: {}", gpu.adapter_name());
                // The band window's surface belongs to the old device: made again next time.
                (self.band, self.band_for) = (None, None);
                if let Ok(config) = surface_config(&surface, &gpu, self.window.inner_size()) {
                    surface.configure(&gpu.device, &config);
                    self.config = config;
                }
                self.device_lost = watch_device(&gpu);
                self.surface = surface;
                self.gpu = gpu;
                self.rebuild_renderer();
            }
            Err(e) => tracing::error!("cannot rebuild the renderer yet: {e}"),
        }
    }
}

/// A file that goes when its holder does.
struct RemoveOnDrop(PathBuf);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// The test pattern's playlist, for the region or the monitor it will fill, with the desktop
/// coordinates of its corners.
fn test_pattern(
    event_loop: &ActiveEventLoop,
    options: &PlayOptions,
) -> Result<(Playlist, PathBuf), String> {
    let (origin, size) = match (options.region_size, options.placement) {
        (Some(size), Some(Placement::Region { x, y })) => ((x, y), size),
        (_, Some(Placement::Fullscreen { monitor })) => {
            let m = monitor
                .and_then(|i| event_loop.available_monitors().nth(i))
                .or_else(|| event_loop.primary_monitor())
                .ok_or("no monitor to show the test pattern on")?;
            let (p, s) = (m.position(), m.size());
            ((p.x, p.y), (s.width, s.height))
        }
        _ => return Err("the test pattern needs --region or --fullscreen".into()),
    };
    crate::pattern::playlist(&std::env::temp_dir(), size, origin)
}

/// Says (once per canvas size) that the wall shows the playlist scaled to its window.
fn say_scaled(playlist: &Playlist, window: (u32, u32)) {
    tracing::warn!(
        "the playlist is laid out for a {}x{} canvas, but the region is {}x{}: the wall shows it scaled to fit (set [display] width and height to the region's size, or leave them out)",
        playlist.display.width,
        playlist.display.height,
        window.0,
        window.1
    );
}

/// A flag raised when the GPU device is lost.
fn watch_device(gpu: &Gpu) -> Arc<AtomicBool> {
    let lost = Arc::new(AtomicBool::new(false));
    let flag = lost.clone();
    gpu.device.set_device_lost_callback(move |reason, message| {
        tracing::error!("GPU device lost ({reason:?}): {message}");
        flag.store(true, Ordering::SeqCst);
    });
    lost
}

/// The slide worker, shaping with a copy of `renderer`'s fonts and posting to the event loop.
fn start_preparer(renderer: &Renderer, proxy: EventLoopProxy<UserEvent>) -> Option<Preparer> {
    Preparer::start(renderer.font_database(), move |p| {
        let _ = proxy.send_event(UserEvent::Prepared(Box::new(p)));
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyAction {
    Quit,
    TogglePause,
    Next,
    Previous,
    Reload,
    ToggleFullscreen,
    SaveFrame,
    ToggleHelp,
}

/// Ctrl+Alt+Q by the key's place on the keyboard: on Windows, Ctrl+Alt is AltGr, and the
/// character it gives depends on the layout (or is none at all).
fn quit_chord(event: &KeyEvent, mods: ModifiersState) -> Option<KeyAction> {
    use winit::keyboard::{KeyCode, PhysicalKey};
    (mods.control_key() && mods.alt_key() && event.physical_key == PhysicalKey::Code(KeyCode::KeyQ))
        .then_some(KeyAction::Quit)
}

/// What a key does. On the wall (`preview` false) only Ctrl+Alt+Q does anything: a stray
/// keyboard must not stop or change the wall.
fn key_action(key: &Key, mods: ModifiersState, preview: bool) -> Option<KeyAction> {
    let letter = match key {
        Key::Character(c) => c.to_lowercase(),
        _ => String::new(),
    };
    if mods.control_key() && mods.alt_key() && letter == "q" {
        return Some(KeyAction::Quit);
    }
    if !preview {
        return None;
    }
    match key {
        Key::Named(NamedKey::Escape) => Some(KeyAction::Quit),
        Key::Named(NamedKey::Space) => Some(KeyAction::TogglePause),
        Key::Named(NamedKey::ArrowRight) => Some(KeyAction::Next),
        Key::Named(NamedKey::ArrowLeft) => Some(KeyAction::Previous),
        Key::Named(NamedKey::F1) => Some(KeyAction::ToggleHelp),
        _ => match letter.as_str() {
            "q" => Some(KeyAction::Quit),
            "h" => Some(KeyAction::ToggleHelp),
            "r" => Some(KeyAction::Reload),
            "f" => Some(KeyAction::ToggleFullscreen),
            "s" => Some(KeyAction::SaveFrame),
            _ => None,
        },
    }
}

fn window_attributes(
    event_loop: &ActiveEventLoop,
    placement: Placement,
    canvas: (u32, u32),
    path: &std::path::Path,
) -> WindowAttributes {
    let title = format!("signage — {}", path.display());
    let attrs = Window::default_attributes().with_title(title);
    match placement {
        Placement::Window => {
            // Fit the preview on the screen, keeping the canvas' aspect.
            let screen = event_loop
                .primary_monitor()
                .map(|m| m.size())
                .unwrap_or(PhysicalSize::new(1920, 1080));
            let s = (screen.width as f64 * 0.9 / canvas.0 as f64)
                .min(screen.height as f64 * 0.9 / canvas.1 as f64)
                .min(1.0);
            let size = PhysicalSize::new(
                (canvas.0 as f64 * s).round() as u32,
                (canvas.1 as f64 * s).round() as u32,
            );
            attrs.with_inner_size(size).with_resizable(true)
        }
        Placement::Region { x, y } => wall_attributes(attrs)
            .with_decorations(false)
            .with_resizable(false)
            .with_position(PhysicalPosition::new(x, y))
            .with_inner_size(PhysicalSize::new(canvas.0, canvas.1))
            .with_window_level(WindowLevel::AlwaysOnTop),
        Placement::Fullscreen { monitor } => {
            let m = monitor
                .and_then(|i| event_loop.available_monitors().nth(i))
                .or_else(|| event_loop.primary_monitor());
            if monitor.is_some() && m.is_none() {
                tracing::warn!("monitor {monitor:?} not found; using the primary monitor");
            }
            wall_attributes(attrs)
                .with_decorations(false)
                .with_fullscreen(Some(Fullscreen::Borderless(m)))
        }
    }
}

/// What a wall window has beyond a preview's: on Windows, no taskbar button (nobody should be
/// able to minimise the wall from the taskbar, and it must not flash there).
fn wall_attributes(attrs: WindowAttributes) -> WindowAttributes {
    #[cfg(windows)]
    {
        use winit::platform::windows::WindowAttributesExtWindows;
        attrs.with_skip_taskbar(true)
    }
    #[cfg(not(windows))]
    {
        attrs
    }
}

/// A surface texture as the renderer's output.
fn output(t: &wgpu::SurfaceTexture) -> Output<'_> {
    Output {
        texture: &t.texture,
        copy: t.texture.usage().contains(wgpu::TextureUsages::COPY_DST),
    }
}

/// The surface's next texture, reconfiguring it when it was lost or outdated (then `None`: the
/// next frame gets one).
pub(crate) fn acquire(
    surface: &wgpu::Surface<'_>,
    config: &wgpu::SurfaceConfiguration,
    device: &wgpu::Device,
) -> Option<wgpu::SurfaceTexture> {
    match surface.get_current_texture() {
        wgpu::CurrentSurfaceTexture::Success(t) => Some(t),
        wgpu::CurrentSurfaceTexture::Suboptimal(t) => {
            // Usable, but the surface wants configuring, which must wait until the texture is
            // gone: configure, then take a fresh one.
            drop(t);
            surface.configure(device, config);
            match surface.get_current_texture() {
                wgpu::CurrentSurfaceTexture::Success(t)
                | wgpu::CurrentSurfaceTexture::Suboptimal(t) => Some(t),
                _ => None,
            }
        }
        wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => None,
        wgpu::CurrentSurfaceTexture::Outdated => {
            tracing::debug!("surface outdated; reconfiguring");
            surface.configure(device, config);
            None
        }
        wgpu::CurrentSurfaceTexture::Lost => {
            tracing::warn!("surface lost; reconfiguring");
            surface.configure(device, config);
            None
        }
        wgpu::CurrentSurfaceTexture::Validation => {
            tracing::error!("surface validation error; reconfiguring");
            surface.configure(device, config);
            None
        }
    }
}

fn surface_config(
    surface: &wgpu::Surface<'_>,
    gpu: &Gpu,
    size: PhysicalSize<u32>,
) -> Result<wgpu::SurfaceConfiguration, String> {
    let caps = surface.get_capabilities(&gpu.adapter);
    let format = caps
        .formats
        .iter()
        .copied()
        .find(|f| f.is_srgb())
        .or_else(|| caps.formats.first().copied())
        .ok_or("the window's surface offers no pixel format")?;
    let mut config = surface
        .get_default_config(&gpu.adapter, size.width.max(1), size.height.max(1))
        .ok_or("the window's surface is not supported by this GPU")?;
    config.format = format;
    // The canvas is copied onto the surface when it can be: no shading pass per frame.
    if caps.usages.contains(wgpu::TextureUsages::COPY_DST) {
        config.usage |= wgpu::TextureUsages::COPY_DST;
    }
    config.present_mode = wgpu::PresentMode::Fifo;
    config.desired_maximum_frame_latency = 2;
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ch(c: &str) -> Key {
        Key::Character(c.into())
    }

    #[test]
    fn only_ctrl_alt_q_works_on_the_wall() {
        let ctrl_alt = ModifiersState::CONTROL | ModifiersState::ALT;
        assert_eq!(key_action(&ch("q"), ctrl_alt, false), Some(KeyAction::Quit));
        assert_eq!(key_action(&ch("Q"), ctrl_alt, false), Some(KeyAction::Quit));
        for key in [
            ch("q"),
            ch("r"),
            ch("s"),
            Key::Named(NamedKey::Escape),
            Key::Named(NamedKey::Space),
        ] {
            assert_eq!(
                key_action(&key, ModifiersState::empty(), false),
                None,
                "{key:?}"
            );
        }
        assert_eq!(key_action(&ch("q"), ModifiersState::CONTROL, false), None);
    }

    #[test]
    fn a_region_off_every_monitor_is_unseen() {
        let monitor = |x, y, w, h| (PhysicalPosition::new(x, y), PhysicalSize::new(w, h));
        let desk = [monitor(0, 0, 1920, 1080), monitor(1920, 0, 1280, 1024)];
        assert!(on_some_monitor((0, 0), (1920, 320), &desk));
        // On the second monitor, and straddling the two.
        assert!(on_some_monitor((2000, 100), (640, 160), &desk));
        assert!(on_some_monitor((1800, 0), (640, 160), &desk));
        // Right of, below and left of everything; touching an edge is not on it.
        assert!(!on_some_monitor((3200, 0), (640, 160), &desk));
        assert!(!on_some_monitor((0, 1080), (1920, 320), &desk));
        assert!(!on_some_monitor((-640, 0), (640, 160), &desk));
    }

    #[test]
    fn preview_keys() {
        let none = ModifiersState::empty();
        let cases = [
            (Key::Named(NamedKey::Space), KeyAction::TogglePause),
            (Key::Named(NamedKey::ArrowRight), KeyAction::Next),
            (Key::Named(NamedKey::ArrowLeft), KeyAction::Previous),
            (Key::Named(NamedKey::F1), KeyAction::ToggleHelp),
            (Key::Named(NamedKey::Escape), KeyAction::Quit),
            (ch("h"), KeyAction::ToggleHelp),
            (ch("R"), KeyAction::Reload),
            (ch("f"), KeyAction::ToggleFullscreen),
            (ch("s"), KeyAction::SaveFrame),
            (ch("q"), KeyAction::Quit),
        ];
        for (key, action) in cases {
            assert_eq!(key_action(&key, none, true), Some(action), "{key:?}");
        }
        assert_eq!(key_action(&ch("x"), none, true), None);
    }
}
