//! What plays, frame by frame, without a window: the timeline, the playhead, which slides are
//! resident, and taking reloads. The app feeds it clock readings and a surface; a test feeds it
//! simulated months and an offscreen canvas.
//!
//! Everything derived from the playlist (the frame on screen, resident slides, the slide pool)
//! is re-derived in [`Player::swap_playlist`] whenever the playlist changes, and results of work
//! started for an older playlist are recognised by its generation and dropped: no index into
//! one playlist is ever used with another.
//!
//! Here the player, its clocks and frames; `reload.rs` takes playlists and urgent notices,
//! `supply.rs` keeps the slides coming up prepared.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::layout::prepare::{Job, PreparedSlide, Preparer, Ready};
use crate::layout::text::ShapedText;
use crate::model::playlist::Playlist;
use crate::model::playlist::{Content, Slide};
use crate::render::{Output, Renderer};
use crate::rules::lighting::{self, Light};
use crate::rules::livetext;
use crate::rules::playhead::{describe_jump, Moment, Motion, Playhead};
use crate::rules::residency::{budget_for, Residency};
use crate::rules::timeline::{Carry, Frame, Timeline};

mod clips;
pub use clips::{ClipCounts, ClipDue};
pub mod pattern;
mod reload;
mod supply;
mod zones;

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
    /// The clips of the video slides on screen and next, decoding.
    clips: clips::Clips,
    /// Which zone this player plays: 0 for the wall's own (main zone) player; results of the
    /// slide worker name it.
    tag: u64,
    /// The wall's other zones, each a player of its own.
    zones: zones::Zones,
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
    /// Not taken before this (playhead) time: a layout that comes on at a slide start.
    not_before: Option<NaiveDateTime>,
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
        let mut renderer = renderer;
        let playhead = Playhead::new(hz, Motion::of(playlist.ticker.as_ref()), at);
        let mut zones = zones::Zones::default();
        let moment =
            crate::rules::zones::slide_start(&Frame::showing(None), playhead.time(at.wall));
        let playlist = zones.split(playlist, moment);
        if zones.is_zoned() {
            renderer.set_playlist(&playlist);
        }
        let canvas = (playlist.display.width, playlist.display.height);
        let mut residency = Residency::new(budget_for(canvas));
        residency.set_playlist_size(playlist.slides.len());
        let mut timeline = Timeline::new(playlist);
        let shown = timeline.frame_at(playhead.time(at.wall));
        let mut player = Player {
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
            clips: clips::Clips::default(),
            tag: 0,
            zones,
        };
        player.install_zones(at);
        player
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
    pub fn describe_shown(&self) -> crate::share::playlog::Shown {
        let playlist = self.playlist();
        let slide = self.shown.slide.and_then(|i| playlist.slides.get(i));
        let relative = |path: &std::path::Path| {
            let path = path.strip_prefix(playlist.dir()).unwrap_or(path);
            path.display().to_string()
        };
        let content = match slide.map(|s| &s.content) {
            Some(crate::model::playlist::Content::Image { image, .. }) => relative(&image.path),
            Some(crate::model::playlist::Content::Video { video, .. }) => relative(&video.path),
            Some(crate::model::playlist::Content::Text(t)) => {
                t.title.clone().or(t.body.clone()).unwrap_or_default()
            }
            None => String::new(),
        };
        crate::share::playlog::Shown {
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
    /// `crate::player::pattern`).
    pub fn set_sweep(&mut self, on: bool, at: Moment) {
        self.sweep = on;
        self.renderer.set_sweep(on);
        self.playhead.set_motion(self.motion(), at, false);
    }

    /// What moves by itself: the sweeping bar, or the ticker.
    fn motion(&self) -> Option<Motion> {
        if self.sweep {
            return Some(Motion {
                speed: crate::player::pattern::SWEEP_SPEED,
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
        let area = crate::layout::slide_area(self.playlist());
        let jobs: Vec<(usize, crate::model::playlist::Slide)> = first
            .iter()
            .filter_map(|&i| Some((i, self.playlist().slides.get(i)?.clone())))
            .collect();
        let prepared =
            crate::layout::prepare::prepare_within(self.renderer.font_database(), jobs, area, wait);
        for (index, slide) in prepared {
            self.accept(index, slide, at);
        }
        self.wanted = None;
        for zone in self.zone_players() {
            zone.warm_up(at, wait);
        }
        // The first frame of each clip it shows, decoded on the clips' own threads.
        let started = std::time::Instant::now();
        loop {
            self.keep_clips(&frame);
            if self.clips_ready(&frame) || started.elapsed() >= wait {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
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
        self.restart_zones(at);
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
        self.keep_clips(&frame);
        self.begin_zones(&frame, time, at);
        frame
    }

    /// Like [`Player::begin_frame`], drawing `frame` rather than the timeline's (a zone that
    /// follows another).
    fn begin_frame_as(&mut self, frame: &Frame, at: Moment) {
        self.take_pending(at);
        let (time, _) = self.playhead.begin_frame(at);
        self.keep_ready(frame, time, at);
        self.keep_clips(frame);
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
        crate::system::platform::fault_drill("draw", self.frames);
        self.draw_zones(at);
        let distance = self.playhead.ticker_now();
        let zones = self.zones.layers();
        self.renderer
            .render_zoned(frame, distance, main, band, zones);
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
        for zone in self.zone_players() {
            zone.follow_clock(at);
        }
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

    /// Whether every refresh draws a new picture: the ticker crawls or a transition runs (a
    /// clip alone asks for its own frames, see [`Player::clip_due`]).
    pub fn moving_each_refresh(&self) -> bool {
        self.renderer.light().on
            && (self.playhead.moving()
                || (!self.playhead.is_paused() && self.shown.transition.is_some())
                || self.zones_moving_each_refresh())
    }

    /// Whether drawing `frame` changes nothing on the canvas but the ticker band (see
    /// [`Renderer::touches_only_band`]): no zone changes either.
    pub fn touches_only_band(&self, frame: &Frame) -> bool {
        self.renderer.touches_only_band(frame) && !self.zones_change()
    }

    /// Whether anything moves by itself now (the ticker, a transition or a clip); nothing
    /// does while the wall is dark.
    pub fn moving(&self) -> bool {
        self.moving_each_refresh()
            || (self.renderer.light().on
                && !self.playhead.is_paused()
                && (self.clips.moving(&self.shown) || self.zones_moving()))
    }

    /// The wall's light at `at` (the playlist's on-hours and brightness).
    pub fn light_at(&self, at: Moment) -> Light {
        lighting::light_at(&self.playlist().display, at.wall)
    }

    /// Whether the light at `at` differs from what is on the wall (then draw a frame).
    pub fn light_changed(&self, at: Moment) -> bool {
        self.light_at(at) != self.renderer.light()
    }

    /// Pauses or resumes (preview).
    pub fn toggle_pause(&mut self, at: Moment) {
        self.playhead.toggle_pause(self.motion(), at);
        for zone in self.zone_players() {
            zone.toggle_pause(at);
        }
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
