//! What plays, frame by frame, without a window: the timeline, the playhead, which slides are
//! resident, and taking reloads. The app feeds it clock readings and a surface; a test feeds it
//! simulated months and an offscreen canvas.
//!
//! Everything derived from the playlist (the frame on screen, resident slides, the slide pool)
//! is re-derived in [`Player::swap_playlist`] whenever the playlist changes, and results of work
//! started for an older playlist are recognised by its generation and dropped: no index into
//! one playlist is ever used with another.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::lighting::{self, Light};
use crate::livetext;
use crate::playhead::{describe_jump, Moment, Motion, Playhead};
use crate::playlist::Playlist;
use crate::playlist::{Content, Slide};
use crate::prepare::{Job, PreparedSlide, Preparer, Ready};
use crate::render::text::ShapedText;
use crate::render::{Output, Renderer};
use crate::residency::{budget_for, Residency};
use crate::timeline::{Carry, Frame, Timeline};

/// How long a reload may wait for the slides it shows first to be prepared before it is taken
/// anyway (a share that stopped answering must not hold reloads back for good).
const SWAP_WAIT: Duration = Duration::from_secs(3);

pub struct Player {
    renderer: Renderer,
    timeline: Timeline,
    /// Counts playlists taken; prepared slides name the one they were made for.
    generation: u64,
    residency: Residency,
    /// Prepares slides off this thread; without it (stills, tests) they are prepared inline.
    preparer: Option<Preparer>,
    fonts_sent: u64,
    playhead: Playhead,
    /// The frame last drawn, of the current timeline.
    shown: Frame,
    /// The slides last asked to be resident, to ask again only when they change.
    wanted: Option<[Option<usize>; 4]>,
    /// A reload waiting for its first slides to be prepared.
    pending: Option<Pending>,
    frames: u64,
    last_frame_at: Option<NaiveDateTime>,
    /// The test pattern's sweeping bar moves instead of a ticker.
    sweep: bool,
    /// The playlist held back while an urgent notice shows, and where to resume it.
    held: Option<Held>,
    /// Where the playlist resumes when the notice ends, until it has.
    resume: Option<Resume>,
    /// Slides whose image could not be loaded for display, and when: left out of the plan,
    /// and tried again after [`RETRY_FAILED`] (the share may have had a bad moment).
    failed: BTreeMap<usize, Instant>,
    /// Live text: what each resident slide's title and body were expanded to when it was
    /// prepared, the slides being prepared again because that changed, and the ticker text
    /// asked of the worker.
    live_keys: HashMap<usize, String>,
    refreshing: BTreeSet<usize>,
    ticker_asked: Option<String>,
}

/// How long a slide whose image failed to load is left out before it is tried again.
const RETRY_FAILED: Duration = Duration::from_secs(60);

/// The playlist an urgent notice holds back (the latest reload of it included).
struct Held {
    playlist: Playlist,
    shaped: Option<ShapedText>,
    resume: Option<Resume>,
}

/// The slide an urgent notice interrupted.
#[derive(Debug, Clone)]
struct Resume {
    name: String,
    elapsed_ms: i64,
    remaining_ms: i64,
}

struct Pending {
    playlist: Playlist,
    shaped: Option<ShapedText>,
    generation: u64,
    waiting: Vec<usize>,
    ready: Vec<(usize, PreparedSlide)>,
    since: Instant,
}

/// What a prepared slide changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// Nothing to see (a slide for later, or a result nobody waits for any more).
    Quiet,
    /// A slide on screen now looks different: draw again.
    Redraw,
}

impl Player {
    pub fn new(
        renderer: Renderer,
        playlist: Playlist,
        preparer: Option<Preparer>,
        hz: f64,
        at: Moment,
    ) -> Player {
        let canvas = (playlist.display.width, playlist.display.height);
        let playhead = Playhead::new(hz, Motion::of(playlist.ticker.as_ref()), at);
        let mut residency = Residency::new(budget_for(canvas));
        residency.set_playlist_size(playlist.slides.len());
        let mut timeline = Timeline::new(playlist);
        let shown = timeline.frame_at(playhead.time(at.wall));
        Player {
            fonts_sent: renderer.fonts_changed(),
            renderer,
            timeline,
            generation: 0,
            residency,
            preparer,
            playhead,
            shown,
            wanted: None,
            pending: None,
            frames: 0,
            last_frame_at: None,
            sweep: false,
            held: None,
            resume: None,
            failed: BTreeMap::new(),
            live_keys: HashMap::new(),
            refreshing: BTreeSet::new(),
            ticker_asked: None,
        }
    }

    pub fn playlist(&self) -> &Playlist {
        self.timeline.playlist()
    }

    pub fn renderer(&mut self) -> &mut Renderer {
        &mut self.renderer
    }

    pub fn playhead(&self) -> &Playhead {
        &self.playhead
    }

    /// The frame last drawn.
    pub fn shown(&self) -> Frame {
        self.shown
    }

    /// The name of the slide last drawn, if any.
    pub fn shown_name(&self) -> Option<&str> {
        let i = self.shown.slide?;
        self.playlist().slides.get(i).map(|s| s.name.as_str())
    }

    /// What the play log says about the slide last drawn.
    pub fn describe_shown(&self) -> crate::playlog::Shown {
        let playlist = self.playlist();
        let slide = self.shown.slide.and_then(|i| playlist.slides.get(i));
        let content = match slide.map(|s| &s.content) {
            Some(crate::playlist::Content::Image { image, .. }) => image
                .path
                .strip_prefix(playlist.dir())
                .unwrap_or(&image.path)
                .display()
                .to_string(),
            Some(crate::playlist::Content::Text(t)) => {
                t.title.clone().or(t.body.clone()).unwrap_or_default()
            }
            None => String::new(),
        };
        crate::playlog::Shown {
            slide: slide.map(|s| s.name.clone()),
            content,
            playlist: playlist.path.display().to_string(),
        }
    }

    /// Frames drawn, and the wall-clock time of the last one.
    pub fn frames(&self) -> (u64, Option<NaiveDateTime>) {
        (self.frames, self.last_frame_at)
    }

    /// Bytes held by resident slides, and the budget.
    pub fn resident_bytes(&self) -> (u64, u64) {
        (self.residency.bytes(), self.residency.budget())
    }

    /// Shows the test pattern's sweeping bar, moving at the pattern's speed (see
    /// `crate::pattern`).
    pub fn set_sweep(&mut self, on: bool, at: Moment) {
        self.sweep = on;
        self.renderer.set_sweep(on);
        self.playhead.set_motion(self.motion(), at, false);
    }

    /// What moves by itself: the sweeping bar, or the ticker.
    fn motion(&self) -> Option<Motion> {
        if self.sweep {
            return Some(Motion {
                speed: crate::pattern::SWEEP_SPEED,
                snap: true,
            });
        }
        Motion::of(self.playlist().ticker.as_ref())
    }

    /// Prepares the first frame's slides here and now, so that the very first frame shows them
    /// rather than their background.
    /// They are read from the share on a helper thread, waited for at most `wait`: a share
    /// that does not answer must not keep the window from opening (those slides then come
    /// from the worker when they can).
    pub fn warm_up(&mut self, at: Moment, wait: Duration) {
        let frame = self.timeline.frame_at(self.playhead.time(at.wall));
        let first: Vec<usize> = [frame.slide, frame.next].into_iter().flatten().collect();
        let area = crate::render::slide_area(self.playlist());
        let jobs: Vec<(usize, crate::playlist::Slide)> = first
            .iter()
            .filter_map(|&i| Some((i, self.playlist().slides.get(i)?.clone())))
            .collect();
        let prepared =
            crate::prepare::prepare_within(self.renderer.font_database(), jobs, area, wait);
        for (index, slide) in prepared {
            self.accept(index, slide, at);
        }
        self.wanted = None;
    }

    /// Starts over with a new renderer (and its worker) for the playlist that plays: after a
    /// lost device, or a panic that may have left the old one half-updated. Time goes on.
    pub fn replace_renderer(&mut self, renderer: Renderer, preparer: Option<Preparer>, at: Moment) {
        self.fonts_sent = renderer.fonts_changed();
        self.renderer = renderer;
        self.renderer.set_sweep(self.sweep);
        self.preparer = preparer;
        self.generation += 1;
        self.residency = Residency::new(self.residency.budget());
        self.residency
            .set_playlist_size(self.timeline.playlist().slides.len());
        self.wanted = None;
        if let Some(p) = self.pending.take() {
            self.show(p.playlist, p.shaped, at);
        }
    }

    /// The frame to draw at `at`; asks for the slides it and the next ones need.
    pub fn begin_frame(&mut self, at: Moment) -> Frame {
        self.take_pending(at);
        self.renderer.set_light(self.light_at(at));
        let (time, _) = self.playhead.begin_frame(at);
        let frame = self.timeline.frame_at(time);
        self.keep_ready(&frame, time, at);
        frame
    }

    /// Draws `frame` onto the canvas, and onto `output` if given.
    pub fn draw(&mut self, frame: &Frame, output: Option<Output<'_>>, at: Moment) {
        self.draw_to(frame, output, None, at);
    }

    /// Draws `frame` onto the canvas, `main` and `band` (see [`Renderer::render_to`]).
    pub fn draw_to(
        &mut self,
        frame: &Frame,
        main: Option<Output<'_>>,
        band: Option<Output<'_>>,
        at: Moment,
    ) {
        crate::platform::fault_drill("draw", self.frames);
        self.renderer
            .render_to(frame, self.playhead.ticker_now(), main, band);
        self.shown = *frame;
        self.frames += 1;
        self.last_frame_at = Some(at.wall);
    }

    /// The frame at `at` without starting a frame (for deciding whether to draw).
    pub fn peek(&mut self, at: Moment) -> Frame {
        let time = self.playhead.time(at.wall);
        self.timeline.frame_at(time)
    }

    /// Once per wake-up: notices the wall clock jumping and re-plans from the new time, and
    /// gives slides that failed to load another chance after a while.
    pub fn follow_clock(&mut self, at: Moment) {
        self.refresh_live_text(at);
        let due: Vec<usize> = self
            .failed
            .iter()
            .filter(|(_, since)| at.mono.saturating_duration_since(**since) >= RETRY_FAILED)
            .map(|(i, _)| *i)
            .collect();
        if !due.is_empty() {
            for i in &due {
                self.failed.remove(i);
                self.residency.forget(*i);
                self.renderer.evict(*i);
            }
            self.apply_skips(at);
        }
        if let Some(jump) = self.playhead.clock_jump(at) {
            tracing::warn!(
                "the wall clock jumped {}; playing what is scheduled for {}",
                describe_jump(jump),
                at.wall.format("%Y-%m-%d %H:%M:%S")
            );
            // The slide kept on screen across a reload was timed by the old clock.
            self.timeline.clear_carry();
            self.wanted = None;
        }
    }

    /// Whether anything moves by itself now (the ticker or a transition); nothing does while
    /// the wall is dark.
    pub fn moving(&self) -> bool {
        self.renderer.light().on
            && (self.playhead.moving()
                || (!self.playhead.is_paused() && self.shown.transition.is_some()))
    }

    /// The wall's light at `at` (the playlist's on-hours and brightness).
    pub fn light_at(&self, at: Moment) -> Light {
        lighting::light_at(&self.playlist().display, at.wall)
    }

    /// Whether the light at `at` differs from what is on the wall (then draw a frame).
    pub fn light_changed(&self, at: Moment) -> bool {
        self.light_at(at) != self.renderer.light()
    }

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
    pub fn set_urgent(&mut self, urgent: Option<crate::urgent::Urgent>, at: Moment) {
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
                            playlist: self.playlist().clone(),
                            shaped: None,
                            resume,
                        },
                    }
                });
                let notice = crate::urgent::playlist(&u, &held.playlist);
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
    fn resume_point(&self) -> Option<Resume> {
        let name = self.shown_name()?.to_string();
        Some(Resume {
            name,
            elapsed_ms: self.shown.slide_elapsed_ms,
            remaining_ms: self.shown.slide_remaining_ms,
        })
    }

    fn show(&mut self, playlist: Playlist, shaped: Option<ShapedText>, at: Moment) {
        self.generation += 1;
        let generation = self.generation;
        let Some(preparer) = &self.preparer else {
            self.pending = None;
            self.swap_playlist(playlist, shaped, Vec::new(), at);
            return;
        };
        // Waiting on the slide worker while the frame clock runs: by wall time, and the
        // monotonic clock of the reading.
        let since = at.mono;
        let mut timeline = Timeline::with_carry(playlist.clone(), self.carry_into(&playlist, at));
        let frame = timeline.frame_at(self.playhead.time(at.wall));
        let area = crate::render::slide_area(&playlist);
        let mut waiting: Vec<usize> = [frame.slide, frame.next].into_iter().flatten().collect();
        waiting.dedup();
        for &index in &waiting {
            preparer.request(Job {
                generation,
                index,
                slide: livetext::slide_at(&playlist.slides[index], at.wall).into_owned(),
                area,
            });
        }
        self.pending = Some(Pending {
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
    fn take_pending(&mut self, at: Moment) {
        let ready = self.pending.as_ref().is_some_and(|p| {
            p.waiting.is_empty() || at.mono.saturating_duration_since(p.since) >= SWAP_WAIT
        });
        if !ready {
            return;
        }
        let p = self.pending.take().expect("checked");
        if !p.waiting.is_empty() {
            tracing::warn!(
                "slides of the new playlist are still being prepared after {} s; showing it anyway",
                SWAP_WAIT.as_secs()
            );
        }
        self.swap_playlist(p.playlist, p.shaped, p.ready, at);
    }

    fn swap_playlist(
        &mut self,
        playlist: Playlist,
        shaped: Option<ShapedText>,
        ready: Vec<(usize, PreparedSlide)>,
        at: Moment,
    ) {
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
        self.timeline = Timeline::with_carry(playlist, carry);
        // Re-derived from the new timeline: nothing of the old one's indices survives.
        self.shown = self.timeline.frame_at(self.playhead.time(at.wall));
        self.wanted = None;
        for (index, slide) in ready {
            self.accept(index, slide, at);
        }
        self.send_fonts();
        // The old playlist's slides are gone; let the process shrink.
        crate::platform::release_free_memory();
    }

    /// What stays on screen when `playlist` comes in: the slide an urgent notice interrupted,
    /// when the notice ends; otherwise the slide on screen (see [`Player::carry`]).
    fn carry_into(&self, playlist: &Playlist, at: Moment) -> Option<Carry> {
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
    fn carry(&self, playlist: &Playlist, at: Moment) -> Option<Carry> {
        let name = &self.playlist().slides.get(self.shown.slide?)?.name;
        let slide = playlist.slides.iter().position(|s| &s.name == name)?;
        Some(self.carry_as(slide, at))
    }

    /// The slide on screen, kept as slide `slide` for the rest of its time.
    fn carry_as(&self, slide: usize, at: Moment) -> Carry {
        let f = self.shown;
        let now = self.playhead.time(at.wall);
        Carry {
            slide,
            started: now - chrono::Duration::milliseconds(f.slide_elapsed_ms),
            until: now + chrono::Duration::milliseconds(f.slide_remaining_ms),
        }
    }

    /// A slide prepared, or a ticker text shaped, by the worker.
    pub fn prepared(&mut self, ready: Ready, at: Moment) -> Arrival {
        let p = match ready {
            Ready::Slide(p) => p,
            Ready::Ticker {
                generation,
                text,
                buffer,
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

    fn on_screen(&self, index: usize) -> bool {
        self.shown.slide == Some(index)
            || self.shown.transition.is_some_and(|t| t.from == Some(index))
    }

    /// Uploads a prepared slide of the current playlist and drops what no longer fits. A
    /// slide whose image failed is left out of the plan for a while.
    fn accept(&mut self, index: usize, slide: PreparedSlide, at: Moment) {
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
    fn apply_skips(&mut self, at: Moment) {
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
    fn keep_ready(&mut self, frame: &Frame, time: NaiveDateTime, at: Moment) {
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
        let area = crate::render::slide_area(self.playlist());
        for index in self.residency.want(&wanted) {
            match &self.preparer {
                Some(p) => {
                    let slide = &self.timeline.playlist().slides[index];
                    let slide = livetext::slide_at(slide, at.wall);
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
    fn send_fonts(&mut self) {
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
    fn refresh_live_text(&mut self, at: Moment) {
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
        let area = crate::render::slide_area(self.playlist());
        for index in self.renderer.resident_slides() {
            let Some(slide) = self.timeline.playlist().slides.get(index) else {
                continue;
            };
            let Cow::Owned(slide) = livetext::slide_at(slide, at.wall) else {
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

    /// Pauses or resumes (preview).
    pub fn toggle_pause(&mut self, at: Moment) {
        self.playhead.toggle_pause(self.motion(), at);
    }

    /// Jumps to the next slide, or back to the start of the previous one (preview).
    pub fn skip(&mut self, forward: bool, at: Moment) {
        let now = self.playhead.time(at.wall);
        let f = self.timeline.frame_at(now);
        let delta = if forward {
            // Just past the transition, so the slide is seen whole.
            f.slide_remaining_ms + 1
        } else {
            // To the last moment of the previous slide, then to its start.
            let end_of_prev = -(f.slide_elapsed_ms + 1);
            let prev = self
                .timeline
                .frame_at(now + chrono::Duration::milliseconds(end_of_prev));
            end_of_prev - prev.slide_elapsed_ms
        };
        self.playhead.shift(delta);
    }
}

/// What a slide's live text expanded to: its title and body.
fn live_key(slide: &Slide) -> String {
    match &slide.content {
        Content::Text(t) => format!(
            "{}\n{}",
            t.title.as_deref().unwrap_or(""),
            t.body.as_deref().unwrap_or("")
        ),
        Content::Image { .. } => String::new(),
    }
}
