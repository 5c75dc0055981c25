//! The status file's content: what the watcher knows and the player last reported, as one
//! `StatusFile`, handed to the status writer.

use super::*;

impl Control {
    /// The status, written before the player hears of a reload, so that whoever reads it
    /// after seeing the change finds it current; waits at most a second for the file.
    pub(super) fn write_status_now(&self) {
        if let (Some(writer), Some(seq)) = (&self.status_writer, self.write_status()) {
            writer.wait(seq, Duration::from_secs(1));
        }
    }

    /// The status file, replaced atomically so that a monitoring script never reads half of
    /// it, by the status writer (the file may be on the share).
    pub(super) fn write_status(&self) -> Option<u64> {
        let writer = self.status_writer.as_ref()?;
        let s = &self.status;
        // Until the player first says what is on the wall, the light is what the playlist's
        // hours (and an urgent notice) make it: a wall dark at start must not read as lit.
        let (dark, brightness) = match (&s.playing.fps, &self.display) {
            (None, Some(display)) => {
                let display = match &self.urgent {
                    Some((u, _)) => urgent::display(u, display),
                    None => display.clone(),
                };
                let light =
                    crate::rules::lighting::light_at(&display, chrono::Local::now().naive_local());
                (!light.on, (light.level * 100.0).round() as u8)
            }
            _ => (s.playing.dark, s.playing.brightness),
        };
        let file = StatusFile {
            playlist: self.path.display().to_string(),
            loaded_at: s.loaded_at.clone(),
            last_reload: LastReload {
                result: s.result,
                errors: s.errors.clone(),
                read_while_changing_s: s.read_while_changing.map(|d| d.as_secs()),
            },
            load_attempts: s.load_attempts,
            current_slide: s.playing.slide.clone(),
            fps: s.playing.fps.map(|f| (f * 10.0).round() / 10.0),
            frames: s.playing.frames,
            last_frame_at: s.playing.last_frame.map(local_text),
            moving: s.playing.moving,
            dark,
            brightness: Some(brightness),
            display_warning: s.playing.warning.clone(),
            uptime_s: s.started.map(|t| t.elapsed().as_secs()),
            watch_mode: self.mode.clone(),
            share_not_answering_since: s.share_stalled_since.clone(),
            urgent: self.urgent.as_ref().map(|(u, since)| UrgentStatus {
                headline: u.headline(),
                file: u.file.display().to_string(),
                since: since.clone(),
                until: u.until.map(local_text),
                on_wall: self.urgent_light(u) != UrgentLight::Waits,
                wait_for_display_hours: u.wait_for_display_hours,
            }),
            urgent_errors: s.urgent_errors.clone(),
            pid: std::process::id(),
            written_at: now_text(),
        };
        Some(writer.publish(file.to_text()))
    }
}

pub(super) fn now_text() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

/// A local wall-clock time in the same form as [`now_text`].
pub(super) fn local_text(t: NaiveDateTime) -> String {
    use chrono::TimeZone;
    match chrono::Local.from_local_datetime(&t).earliest() {
        Some(t) => t.format("%Y-%m-%dT%H:%M:%S%.3f%:z").to_string(),
        None => t.format("%Y-%m-%dT%H:%M:%S%.3f").to_string(),
    }
}
