//! Starting the wall: the playlist read within a deadline, the window placed as asked, the
//! GPU and the renderer, the watcher; and the test pattern's playlist.

use super::frame::surface_config;
use super::window::window_attributes;
use super::*;

pub(super) fn is_wayland(window: &Window) -> bool {
    use winit::raw_window_handle::{HasWindowHandle, RawWindowHandle};
    window
        .window_handle()
        .is_ok_and(|h| matches!(h.as_raw(), RawWindowHandle::Wayland(_)))
}

/// Whether any pixel of a window at `at` of `size` lies on one of `monitors` (each its
/// position and size on the desktop).
pub(super) fn on_some_monitor(
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
pub(super) fn load_within(
    path: &std::path::Path,
    canvas: Option<(u32, u32)>,
    wait: Duration,
) -> Option<loader::Loaded> {
    let (tx, rx) = std::sync::mpsc::channel();
    let owned = path.to_path_buf();
    let spawned = std::thread::Builder::new()
        .name("signage-first-load".into())
        .spawn(move || {
            let _ = tx.send(loader::load_for(&owned, canvas));
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
    pub(super) fn start(
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
            loader::Loaded {
                report: loader::Report::new(&playlist.path, String::new(), Vec::new()),
                playlist,
            }
        } else {
            let region = options.region_size;
            load_within(&options.playlist, region, Duration::from_secs(2)).unwrap_or_else(|| {
                late = true;
                let playlist = crate::loader::fallback_for(&options.playlist, region);
                loader::Loaded {
                    report: loader::Report::new(&playlist.path, String::new(), Vec::new()),
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
            band: Band::default(),
            surface,
            config,
            player,
            gpu,
            window,
            proxy,
            placement,
            window_size,
            region,
            keys: Keys {
                modifiers: ModifiersState::empty(),
                help: false,
                banner: None,
            },
            report: Report {
                watcher,
                stats: options.stats.then(Stats::new),
                last_check: Instant::now(),
                frames_since_check: 0,
                heartbeat: options.heartbeat,
                unseen,
                play_log: options
                    .play_log
                    .clone()
                    .and_then(|(dir, days)| crate::share::playlog::PlayLog::start(dir, days)),
                logged: None,
            },
            recovery: Recovery {
                device_lost,
                panics: Vec::new(),
                broken: false,
            },
            _awake: (placement != Placement::Window)
                .then(crate::system::inhibit::ScreenSaverInhibit::start),
            dirty: true,
            redraw_asked: Some(Instant::now()),
            wayland,
            last_whole: None,
            occluded: false,
            started,
            _pattern_file: pattern_file,
        };
        if options.heartbeat {
            crate::system::platform::stdout_nonblocking();
        }
        running.window.request_redraw();
        Ok(running)
    }
}

/// The test pattern's playlist, for the region or the monitor it will fill, with the desktop
/// coordinates of its corners.
pub(super) fn test_pattern(
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
    crate::player::pattern::playlist(&std::env::temp_dir(), size, origin)
}

/// Says (once per canvas size) that the wall shows the playlist scaled to its window.
pub(super) fn say_scaled(playlist: &Playlist, window: (u32, u32)) {
    tracing::warn!(
        "the playlist is laid out for a {}x{} canvas, but the region is {}x{}: the wall shows it scaled to fit (set [display] width and height to the region's size, or leave them out)",
        playlist.display.width,
        playlist.display.height,
        window.0,
        window.1
    );
}

/// A flag raised when the GPU device is lost.
pub(super) fn watch_device(gpu: &Gpu) -> Arc<AtomicBool> {
    let lost = Arc::new(AtomicBool::new(false));
    let flag = lost.clone();
    gpu.device.set_device_lost_callback(move |reason, message| {
        tracing::error!("GPU device lost ({reason:?}): {message}");
        flag.store(true, Ordering::SeqCst);
    });
    lost
}

/// The slide worker, shaping with a copy of `renderer`'s fonts and posting to the event loop.
pub(super) fn start_preparer(
    renderer: &Renderer,
    proxy: EventLoopProxy<UserEvent>,
) -> Option<Preparer> {
    Preparer::start(renderer.font_database(), move |p| {
        let _ = proxy.send_event(UserEvent::Prepared(Box::new(p)));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
