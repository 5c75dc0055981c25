//! The wall frame by frame: what to draw and when, the band's own window, the play log, the
//! housekeeping every second, reloads, and recovery of a lost surface or device.

use super::*;

impl Running {
    pub(super) fn redraw(&mut self) {
        self.redraw_asked = None;
        if self.recovery.device_lost.swap(false, Ordering::SeqCst) {
            self.rebuild_gpu();
        }
        if self.window.is_minimized() == Some(true) {
            return; // nothing to draw on; the clock keeps the time
        }
        let at = Moment::now();
        let frame = self.player.begin_frame(at);
        let band = self
            .band
            .window
            .as_mut()
            .and_then(|b| b.acquire(&self.gpu.device));
        self.band.misses = match (&self.band.window, &band) {
            (Some(_), None) => self.band.misses + 1,
            _ => 0,
        };
        if self.band.misses > BAND_MISSES_ALLOWED {
            // A band window whose surface gives no textures would cover the band with black:
            // close it and present the whole canvas, as without one.
            tracing::warn!(
                "the ticker band's window gave no picture for {} frames; closing it and presenting the whole canvas",
                self.band.misses
            );
            (self.band.window, self.band.misses) = (None, 0);
        }
        // The whole window when more than the band changes, when there is no band texture this
        // frame, and once a second anyway: a window the system uncovered shows the slide again.
        let whole = band.is_none()
            || !self.player.touches_only_band(&frame)
            || self
                .last_whole
                .is_none_or(|t| t.elapsed() >= WHOLE_AT_LEAST_EVERY);
        let main = if whole {
            crate::render::gpu::acquire(&self.surface, &self.config, &self.gpu.device)
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
        if let (Some(texture), Some(b)) = (band, &self.band.window) {
            b.pre_present_notify();
            self.gpu.queue.present(texture);
        }
        if frame.slide != before || self.report.logged.is_none() {
            self.log_shown(at);
        }
        if let Some(stats) = &mut self.report.stats {
            let clips = self.player.clip_counts();
            stats.clip_frames(clips.shown, clips.late);
            let moving = self.player.playhead().step().is_some() || frame.transition.is_some();
            stats.frame(
                at.mono,
                Instant::now(),
                self.player.playhead().period(),
                moving,
                band_only,
            );
        }
        self.report.frames_since_check += 1;
    }

    /// Opens, moves or closes the band window to follow the playlist: one while the wall window
    /// shows the canvas 1:1 with an opaque ticker band, none in the preview window.
    pub(super) fn sync_band(&mut self, event_loop: &ActiveEventLoop) {
        let renderer = self.player.renderer();
        let canvas = (
            renderer.playlist().display.width,
            renderer.playlist().display.height,
        );
        let one_to_one = (self.config.width, self.config.height) == canvas;
        let wanted = renderer
            .opaque_band()
            .filter(|_| one_to_one && self.placement != Placement::Window);
        if wanted == self.band.made_for {
            return;
        }
        self.band.window = None;
        self.band.made_for = wanted;
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
                self.band.window = Some(b);
            }
            Err(e) => tracing::info!("no window of its own for the ticker band ({e}); presenting the whole canvas each frame"),
        }
    }

    /// Tells the play log what is on the wall now, if that changed.
    pub(super) fn log_shown(&mut self, at: Moment) {
        let Some(log) = &self.report.play_log else {
            return;
        };
        let shown = self.player.describe_shown();
        if self.report.logged.as_ref() != Some(&shown) {
            // With its offset: the play log must read right across a daylight-saving change.
            log.shown(shown.clone(), chrono::Local::now().fixed_offset(), at.mono);
            self.report.logged = Some(shown);
        }
    }

    /// When to wake next, and whether to draw now. While something moves: every refresh.
    /// Otherwise the player only wakes (at least once a second, to follow the clock) and draws
    /// when the picture would differ from what is on screen.
    pub(super) fn next_redraw(&mut self) -> (Instant, bool) {
        let at = Moment::now();
        let stats_due = self.report.stats.as_ref().map(Stats::next_print);
        let wake = |t: Instant| stats_due.map_or(t, |s| s.min(t));
        if self.player.moving_each_refresh() {
            let next = self.player.playhead().deadline();
            return (wake(next), next <= at.mono);
        }
        let frame = self.player.peek(at);
        let shown = self.player.shown();
        let mut changed = frame.slide != shown.slide
            || frame.transition.is_some()
            || self.player.light_changed(at);
        let mut next = at.mono + Duration::from_millis(frame.still_for_ms().clamp(1, 1000) as u64);
        let due = [self.player.clip_due(&frame), self.player.zones_due(at)];
        for due in due.into_iter().flatten() {
            changed |= due.draw;
            next = next.min(at.mono + due.wake_in);
        }
        (wake(next), changed || std::mem::take(&mut self.dirty))
    }

    pub(super) fn resize(&mut self, size: PhysicalSize<u32>) {
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
    pub(super) fn keep_in_place(&self) {
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
    pub(super) fn housekeeping(&mut self) {
        if let Some(stats) = &mut self.report.stats {
            stats.maybe_print();
        }
        let since = self.report.last_check.elapsed();
        if since < Duration::from_secs(1) {
            return;
        }
        let fps = self.report.frames_since_check as f64 / since.as_secs_f64();
        self.report.frames_since_check = 0;
        self.report.last_check = Instant::now();
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
        if self.report.heartbeat {
            use std::io::Write;
            let line = crate::system::supervise::heartbeat_line(frames, moving);
            // A full pipe (a supervisor that is not reading) must not stop the wall.
            let _ = std::io::stdout().lock().write_all(line.as_bytes());
        }
        if let Some(w) = &self.report.watcher {
            let light = self.player.renderer().light();
            w.report_playing(crate::watch::Playing {
                slide: self.player.shown_name().map(str::to_string),
                fps: Some(fps),
                frames,
                last_frame,
                moving,
                dark: !light.on,
                brightness: (light.level * 100.0).round() as u8,
                warning: self.report.unseen.clone(),
            });
        }
    }

    pub(super) fn apply_reload(&mut self, event: ReloadEvent) {
        match event {
            ReloadEvent::Loaded { playlist, text } => {
                self.set_playlist(*playlist, text.map(|t| *t));
                self.keys.banner = None;
            }
            ReloadEvent::Rejected { summary } => {
                // Only the preview shows errors; the wall keeps playing with nothing on it.
                if self.placement == Placement::Window {
                    self.keys.banner = Some(summary);
                }
            }
            ReloadEvent::Urgent(notice) => {
                self.player.set_urgent(notice.map(|n| *n), Moment::now());
                self.dirty = true;
            }
        }
        self.update_overlay();
    }

    pub(super) fn set_playlist(
        &mut self,
        mut playlist: Playlist,
        text: Option<crate::layout::text::ShapedText>,
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
    pub(super) fn rebuild_renderer(&mut self) {
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
    pub(super) fn rebuild_gpu(&mut self) {
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
                (self.band.window, self.band.made_for) = (None, None);
                if let Ok(config) = surface_config(&surface, &gpu, self.window.inner_size()) {
                    surface.configure(&gpu.device, &config);
                    self.config = config;
                }
                self.recovery.device_lost = watch_device(&gpu);
                self.surface = surface;
                self.gpu = gpu;
                self.rebuild_renderer();
            }
            Err(e) => tracing::error!("cannot rebuild the renderer yet: {e}"),
        }
    }
}

/// A surface texture as the renderer's output.
pub(super) fn output(t: &wgpu::SurfaceTexture) -> Output<'_> {
    Output {
        texture: &t.texture,
        copy: t.texture.usage().contains(wgpu::TextureUsages::COPY_DST),
    }
}

pub(super) fn surface_config(
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
