//! The urgent notice, as the watcher decides it: shown, replaced or ended as its files say,
//! ended when its time is up, and what it does to a wall outside its display hours.

use super::*;

impl Control {
    /// Shows, replaces or ends the urgent notice as the files say. A broken `urgent.toml` is
    /// reported, and the wall keeps what it shows.
    pub(super) fn take_urgent(
        &mut self,
        loaded: Result<Option<Urgent>, crate::loader::Report>,
        on_event: &impl Fn(ReloadEvent),
    ) {
        let notice = match loaded {
            Ok(Some(u)) if passed(&u) => {
                if self.expired.as_ref() != Some(&u) {
                    tracing::warn!(
                        "the urgent notice in {} is not shown: its `until` ({}) has passed",
                        u.file.display(),
                        u.until.map_or(String::new(), local_text)
                    );
                    self.expired = Some(u);
                }
                None
            }
            Ok(notice) => notice,
            Err(report) => {
                tracing::error!(
                    "the urgent notice was not accepted; the wall keeps what it shows:\n{report}"
                );
                self.status.urgent_errors = report.summary_lines();
                self.write_status();
                return;
            }
        };
        self.status.urgent_errors.clear();
        if notice.as_ref() == self.urgent.as_ref().map(|(u, _)| u) {
            return;
        }
        match &notice {
            Some(u) => tracing::warn!(
                "urgent notice from {}: \"{}\"{}{}",
                u.file.display(),
                u.headline(),
                u.until.map_or(String::new(), |t| format!(" until {t}")),
                match self.urgent_light(u) {
                    UrgentLight::Shown => "",
                    UrgentLight::LightsDarkWall =>
                        "; outside the display hours: it lights the wall (wait_for_display_hours = true in urgent.toml keeps it dark)",
                    UrgentLight::Waits => "; outside the display hours: it waits for them, the wall stays dark",
                }
            ),
            None => tracing::warn!("the urgent notice ended: its file was removed"),
        }
        self.urgent = notice.clone().map(|u| (u, now_text()));
        self.write_status_now();
        on_event(ReloadEvent::Urgent(notice.map(Box::new)));
    }

    /// What an urgent notice does to the wall now, by the last good playlist's display hours.
    pub(super) fn urgent_light(&self, u: &Urgent) -> UrgentLight {
        let Some(display) = &self.display else {
            return UrgentLight::Shown;
        };
        let lit = |d: &crate::model::playlist::Display| {
            crate::rules::lighting::light_at(d, chrono::Local::now().naive_local()).on
        };
        if lit(display) {
            UrgentLight::Shown
        } else if lit(&urgent::display(u, display)) {
            UrgentLight::LightsDarkWall
        } else {
            UrgentLight::Waits
        }
    }

    /// How long until the urgent notice's `until` passes: the watcher wakes then, so that the
    /// notice ends on time rather than at its next look.
    pub(super) fn until_urgent_ends(&self) -> Duration {
        let Some(until) = self.urgent.as_ref().and_then(|(u, _)| u.until) else {
            return Duration::MAX;
        };
        let left = until - chrono::Local::now().naive_local();
        left.to_std().unwrap_or(Duration::ZERO) + Duration::from_millis(1)
    }

    /// An urgent notice whose `until` has passed ends by itself.
    pub(super) fn end_urgent_when_due(&mut self, on_event: &impl Fn(ReloadEvent)) {
        if self.urgent.as_ref().is_some_and(|(u, _)| passed(u)) {
            tracing::warn!("the urgent notice ended: its time is up");
            // Its file stays until someone removes it: that is no news on the next read.
            self.expired = self.urgent.take().map(|(u, _)| u);
            self.write_status_now();
            on_event(ReloadEvent::Urgent(None));
        }
    }
}

/// What an urgent notice does to the wall at the moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum UrgentLight {
    /// Within the display hours: it shows.
    Shown,
    /// Outside them: it lights the dark wall.
    LightsDarkWall,
    /// Outside them, and it waits: the wall stays dark.
    Waits,
}

/// Whether an urgent notice's `until` has passed.
pub(super) fn passed(u: &Urgent) -> bool {
    u.until
        .is_some_and(|t| chrono::Local::now().naive_local() >= t)
}

/// A fingerprint without the urgent notice's files: what decides whether the playlist changed.
pub(super) fn without_urgent(playlist: &Path, fp: &Fingerprint) -> Fingerprint {
    let urgent = urgent::files(playlist);
    fp.iter()
        .filter(|(f, _)| !urgent.contains(f))
        .cloned()
        .collect()
}
