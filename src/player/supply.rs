//! The supply of prepared slides: asking the worker for the slides coming up, taking what it
//! prepared, leaving out slides whose image failed, and live text shaped again as it changes.

use super::*;

impl Player {
    /// A slide prepared, or a ticker text shaped, by the worker.
    pub fn prepared(&mut self, ready: Ready, at: Moment) -> Arrival {
        if ready.zone() != self.tag {
            return self.zone_prepared(ready, at);
        }
        let p = match ready {
            Ready::Slide(p) => p,
            Ready::Ticker {
                generation,
                text,
                buffer,
                ..
            } => {
                if generation == self.generation && self.ticker_asked.as_deref() == Some(&text) {
                    self.renderer.set_ticker_text(text, Some(buffer));
                }
                return Arrival::Quiet;
            }
        };
        // A slide shown again with its live text expanded anew: its old drawing stayed up
        // meanwhile.
        if p.generation == self.generation && self.refreshing.remove(&p.index) {
            if !self.renderer.has_slide(p.index) {
                return Arrival::Quiet;
            }
            self.renderer.insert_prepared(p.index, p.slide);
            return match self.on_screen(p.index) {
                true => Arrival::Redraw,
                false => Arrival::Quiet,
            };
        }
        if let Some(pending) = self
            .pending
            .as_mut()
            .filter(|q| q.generation == p.generation)
        {
            pending.waiting.retain(|&i| i != p.index);
            pending.ready.push((p.index, p.slide));
            self.take_pending(at);
            return Arrival::Redraw;
        }
        if p.generation != self.generation || !self.residency.is_pending(p.index) {
            return Arrival::Quiet;
        }
        let on_screen = self.on_screen(p.index);
        self.accept(p.index, p.slide, at);
        if on_screen {
            Arrival::Redraw
        } else {
            Arrival::Quiet
        }
    }

    pub(super) fn on_screen(&self, index: usize) -> bool {
        self.shown.slide == Some(index)
            || self.shown.transition.is_some_and(|t| t.from == Some(index))
    }

    /// Uploads a prepared slide of the current playlist and drops what no longer fits. A
    /// slide whose image failed is left out of the plan for a while.
    pub(super) fn accept(&mut self, index: usize, slide: PreparedSlide, at: Moment) {
        if let Some(problem) = &slide.problem {
            tracing::error!(
                "{problem}; the slide is skipped, and tried again in {} s",
                RETRY_FAILED.as_secs()
            );
            self.failed.insert(index, at.mono);
            self.apply_skips(at);
        }
        let bytes = slide.bytes();
        self.renderer.insert_prepared(index, slide);
        // A slide the residency did not ask for (one of a reload's first) is kept as asked.
        self.residency.expect(index);
        for evicted in self.residency.arrived(index, bytes) {
            self.renderer.evict(evicted);
        }
    }

    /// Tells the timeline which slides to leave out, keeping the slide on screen until its
    /// time is up (unless it is one of them).
    pub(super) fn apply_skips(&mut self, at: Moment) {
        let carry = self
            .shown
            .slide
            .filter(|i| !self.failed.contains_key(i))
            .map(|i| self.carry_as(i, at));
        let skipped = self.failed.keys().copied().collect();
        self.timeline.set_skipped(skipped, carry);
        self.wanted = None;
    }

    /// Asks for the slides on screen, coming in, next, and the one after, when they change.
    pub(super) fn keep_ready(&mut self, frame: &Frame, time: NaiveDateTime, at: Moment) {
        let from = frame.transition.and_then(|t| t.from);
        let key = [frame.slide, from, frame.next, None];
        if self.wanted.is_some_and(|w| w[..3] == key[..3]) {
            return;
        }
        let after = if frame.slide_remaining_ms > 0 {
            let later = time + chrono::Duration::milliseconds(frame.slide_remaining_ms + 1);
            self.timeline.frame_at(later).next
        } else {
            None
        };
        let key = [frame.slide, from, frame.next, after];
        self.wanted = Some(key);
        let wanted: Vec<usize> = key.into_iter().flatten().collect();
        let area = crate::layout::slide_area(self.playlist());
        for index in self.residency.want(&wanted) {
            match &self.preparer {
                Some(p) => {
                    let slide = &self.timeline.playlist().slides[index];
                    let slide = crate::layout::text::slide_at(slide, at.wall);
                    if let Cow::Owned(s) = &slide {
                        self.live_keys.insert(index, live_key(s));
                    }
                    p.request(Job {
                        generation: self.generation,
                        index,
                        slide: slide.into_owned(),
                        area,
                    })
                }
                None => {
                    if let Some(slide) = self.renderer.prepare_at(index, at.wall) {
                        self.accept(index, slide, at);
                    }
                }
            }
        }
    }

    /// The worker shapes with a copy of the renderer's fonts; send a new copy when they change.
    pub(super) fn send_fonts(&mut self) {
        let changed = self.renderer.fonts_changed();
        if changed != self.fonts_sent {
            if let Some(p) = &self.preparer {
                p.set_fonts(self.renderer.font_database());
            }
            self.fonts_sent = changed;
        }
    }

    /// Live text: asks for the ticker's text and the resident slides' text to be shaped again
    /// when their placeholders expand differently at `at` (at most once a minute for
    /// `{time}`). The old text stays up until the new is ready; the ticker never jumps.
    pub(super) fn refresh_live_text(&mut self, at: Moment) {
        if let Some(t) = self.timeline.playlist().ticker.as_ref() {
            let text = livetext::expand(&t.text, at.wall);
            let drawn = self.renderer.ticker_text() == Some(&*text);
            if !drawn && self.ticker_asked.as_deref() != Some(&*text) {
                let text = text.into_owned();
                match &self.preparer {
                    Some(p) => {
                        p.shape_ticker(self.generation, t.clone(), text.clone());
                        self.ticker_asked = Some(text);
                    }
                    None => self.renderer.set_ticker_text(text, None),
                }
            }
        }
        let area = crate::layout::slide_area(self.playlist());
        for index in self.renderer.resident_slides() {
            let Some(slide) = self.timeline.playlist().slides.get(index) else {
                continue;
            };
            let Cow::Owned(slide) = crate::layout::text::slide_at(slide, at.wall) else {
                continue;
            };
            let key = live_key(&slide);
            if self.live_keys.get(&index) == Some(&key) {
                continue;
            }
            self.live_keys.insert(index, key);
            match &self.preparer {
                Some(p) => {
                    self.refreshing.insert(index);
                    p.request(Job {
                        generation: self.generation,
                        index,
                        slide,
                        area,
                    });
                }
                None => {
                    if let Some(prepared) = self.renderer.prepare_at(index, at.wall) {
                        self.renderer.insert_prepared(index, prepared);
                    }
                }
            }
        }
    }
}

/// What a slide's live text expanded to: its title and body.
pub(super) fn live_key(slide: &Slide) -> String {
    match &slide.content {
        Content::Text(t) => format!(
            "{}\n{}",
            t.title.as_deref().unwrap_or(""),
            t.body.as_deref().unwrap_or("")
        ),
        Content::Image { .. } | Content::Video { .. } => String::new(),
    }
}
