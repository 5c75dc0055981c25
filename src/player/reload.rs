//! Taking a new playlist or an urgent notice: the switch waits for the first slides, the slide
//! on screen finishes its time, and a notice gives the wall back where it took it.

use super::*;

impl Player {
    /// Takes a new playlist. With a worker, the switch waits (up to [`SWAP_WAIT`]) until the
    /// slides it shows first are prepared, so that nothing blank shows in between; the old
    /// playlist plays meanwhile.
    pub fn set_playlist(&mut self, playlist: Playlist, shaped: Option<ShapedText>, at: Moment) {
        // Under an urgent notice the new playlist waits, to show when the notice ends.
        if let Some(held) = &mut self.held {
            held.playlist = playlist;
            held.shaped = shaped;
            return;
        }
        self.show(playlist, shaped, at);
    }

    /// Shows `urgent` instead of the playlist (its ticker too, if it says so), or, with `None`,
    /// gives the wall back to the playlist, which resumes with the slide the notice interrupted
    /// for the rest of its time.
    pub fn set_urgent(&mut self, urgent: Option<crate::loader::urgent::Urgent>, at: Moment) {
        match (urgent, self.held.take()) {
            (Some(u), held) => {
                // What to come back to: a reload still being prepared, or what plays.
                let held = held.unwrap_or_else(|| {
                    let resume = self.resume_point();
                    match self.pending.take() {
                        Some(p) => Held {
                            playlist: p.playlist,
                            shaped: p.shaped,
                            resume,
                        },
                        None => Held {
                            playlist: self.source_playlist(),
                            shaped: None,
                            resume,
                        },
                    }
                });
                let notice = crate::loader::urgent::playlist(&u, &held.playlist);
                self.held = None;
                self.show(notice, None, at);
                self.held = Some(held);
            }
            (None, Some(held)) => {
                self.resume = held.resume;
                self.show(held.playlist, held.shaped, at);
            }
            (None, None) => {}
        }
    }

    /// Whether an urgent notice is on.
    pub fn urgent(&self) -> bool {
        self.held.is_some()
    }

    /// The slide on screen, by name, with how long it has shown and has left.
    pub(super) fn resume_point(&self) -> Option<Resume> {
        let name = self.shown_name()?.to_string();
        Some(Resume {
            name,
            elapsed_ms: self.shown.slide_elapsed_ms,
            remaining_ms: self.shown.slide_remaining_ms,
        })
    }

    pub(super) fn show(&mut self, playlist: Playlist, shaped: Option<ShapedText>, at: Moment) {
        self.generation += 1;
        let generation = self.generation;
        let Some(preparer) = &self.preparer else {
            self.pending = None;
            self.swap_playlist(playlist, shaped, Vec::new(), at);
            // Prepared here and now, so that the next frame draws them (not their background).
            let time = self.playhead.time(at.wall);
            let frame = self.timeline.frame_at(time);
            self.keep_ready(&frame, time, at);
            return;
        };
        // Waiting on the slide worker while the frame clock runs: by wall time, and the
        // monotonic clock of the reading.
        let since = at.mono;
        let main = self.main_of(&playlist, at);
        let mut timeline = Timeline::with_carry(main.clone(), self.carry_into(&main, at));
        let frame = timeline.frame_at(self.playhead.time(at.wall));
        let area = crate::layout::slide_area(&main);
        let mut waiting: Vec<usize> = [frame.slide, frame.next].into_iter().flatten().collect();
        waiting.dedup();
        for &index in &waiting {
            preparer.request(Job {
                generation,
                index,
                slide: crate::layout::text::slide_at(&main.slides[index], at.wall).into_owned(),
                area,
            });
        }
        self.start_zones(&playlist, at);
        self.pending = Some(Pending {
            not_before: None,
            playlist,
            shaped,
            generation,
            waiting,
            ready: Vec::new(),
            since,
        });
        self.take_pending(at);
    }

    /// Swaps in the pending playlist once its first slides are ready, or it waited too long.
    pub(super) fn take_pending(&mut self, at: Moment) {
        let now = self.playhead.time(at.wall);
        let ready = self.pending.as_ref().is_some_and(|p| {
            // A layout prepared ahead waits from the moment it is due, not from when it was
            // asked for: a busy worker must not bring it on unprepared at its first frame.
            let waited = match p.not_before {
                Some(t) if now < t => return false,
                Some(t) => (now - t).to_std().unwrap_or_default(),
                None => at.mono.saturating_duration_since(p.since),
            };
            (p.waiting.is_empty() && self.incoming_ready()) || waited >= SWAP_WAIT
        });
        if !ready {
            return;
        }
        let p = self.pending.take().expect("checked");
        if !p.waiting.is_empty() || !self.incoming_ready() {
            tracing::warn!(
                "slides of the new playlist are still being prepared after {} s; showing it anyway",
                SWAP_WAIT.as_secs()
            );
        }
        self.swap_playlist(p.playlist, p.shaped, p.ready, at);
    }

    pub(super) fn swap_playlist(
        &mut self,
        playlist: Playlist,
        shaped: Option<ShapedText>,
        ready: Vec<(usize, PreparedSlide)>,
        at: Moment,
    ) {
        let playlist = self.zoned(playlist, at);
        let carry = self.carry_into(&playlist, at);
        self.resume = None;
        let restart = !self.sweep
            && Motion::of(self.playlist().ticker.as_ref()) != Motion::of(playlist.ticker.as_ref());
        let carried = match shaped {
            Some(shaped) => self.renderer.set_shaped_playlist(&playlist, shaped),
            None => self.renderer.set_playlist(&playlist),
        };
        self.residency.remap(&carried);
        self.residency.set_playlist_size(playlist.slides.len());
        let mut keys = std::mem::take(&mut self.live_keys);
        self.live_keys = carried
            .iter()
            .filter_map(|(old, new)| Some((*new, keys.remove(old)?)))
            .collect();
        self.refreshing.clear();
        self.ticker_asked = None;
        if restart {
            self.playhead
                .set_motion(Motion::of(playlist.ticker.as_ref()), at, false);
        }
        self.clips.carry(self.timeline.playlist(), &playlist);
        self.timeline = Timeline::with_carry(playlist, carry);
        // Re-derived from the new timeline: nothing of the old one's indices survives.
        self.shown = self.timeline.frame_at(self.playhead.time(at.wall));
        self.wanted = None;
        for (index, slide) in ready {
            self.accept(index, slide, at);
        }
        self.send_fonts();
        self.install_zones(at);
        // The old playlist's slides are gone; let the process shrink.
        crate::system::platform::release_free_memory();
    }

    /// What stays on screen when `playlist` comes in: the slide an urgent notice interrupted,
    /// when the notice ends; otherwise the slide on screen (see [`Player::carry`]).
    pub(super) fn carry_into(&self, playlist: &Playlist, at: Moment) -> Option<Carry> {
        let Some(r) = &self.resume else {
            return self.carry(playlist, at);
        };
        let slide = playlist.slides.iter().position(|s| s.name == r.name)?;
        let now = self.playhead.time(at.wall);
        Some(Carry {
            slide,
            started: now - chrono::Duration::milliseconds(r.elapsed_ms),
            until: now + chrono::Duration::milliseconds(r.remaining_ms),
        })
    }

    /// The slide on screen stays for the rest of its time if `playlist` still has it (by name),
    /// so that an edit never cuts the slide being watched short.
    pub(super) fn carry(&self, playlist: &Playlist, at: Moment) -> Option<Carry> {
        let name = &self.playlist().slides.get(self.shown.slide?)?.name;
        let slide = playlist.slides.iter().position(|s| &s.name == name)?;
        Some(self.carry_as(slide, at))
    }

    /// The slide on screen, kept as slide `slide` for the rest of its time.
    pub(super) fn carry_as(&self, slide: usize, at: Moment) -> Carry {
        let f = self.shown;
        let now = self.playhead.time(at.wall);
        Carry {
            slide,
            started: now - chrono::Duration::milliseconds(f.slide_elapsed_ms),
            until: now + chrono::Duration::milliseconds(f.slide_remaining_ms),
        }
    }
}
