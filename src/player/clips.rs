//! The clips of video slides: a decoding thread for each clip on screen or next (so a clip
//! never starts on black: its first frame is in before its transition begins), the frame due
//! handed to the renderer each frame, and nothing kept of clips that are neither.

use std::collections::HashMap;
use std::time::Duration;

use super::Player;
use crate::layout::video::ClipStream;
use crate::model::playlist::{Content, Playlist, Slide};
use crate::rules::timeline::Frame;

/// A slide that plays again right after itself goes on into the clip's next lap when its last
/// showing ended within this many frames of the clip's end (the slide's end and the clip's
/// last frame may not fall on the same frame).
const END_OF_LAP: u64 = 3;

/// The clips playing, by slide.
#[derive(Default)]
pub(super) struct Clips {
    streams: HashMap<usize, Playing>,
    /// Clip frames shown and dropped late since the player started (for `--stats`).
    pub(super) counts: ClipCounts,
}

#[derive(Default, Clone, Copy, Debug, PartialEq)]
pub struct ClipCounts {
    pub shown: u64,
    pub late: u64,
}

struct Playing {
    stream: ClipStream,
    /// The number of the frame on screen.
    shown: Option<u64>,
    /// Where the current showing of the slide starts in the stream's numbering: a slide that
    /// plays again right after itself goes on into the stream's next lap.
    base: u64,
}

impl Playing {
    fn new(stream: ClipStream) -> Playing {
        Playing {
            stream,
            shown: None,
            base: 0,
        }
    }
}

impl Clips {
    /// Whether a clip on screen is still to change: it loops, or has frames to come before the
    /// last one it holds.
    pub(super) fn moving(&self, frame: &Frame) -> bool {
        let Some(p) = frame.slide.and_then(|i| self.streams.get(&i)) else {
            return false;
        };
        let held = p.stream.known_clock().is_some_and(|c| {
            !c.looping
                && c.due(frame.slide_elapsed_ms) + 1 >= c.frames()
                && p.shown == Some(p.base + c.frames() - 1)
        });
        p.stream.is_alive() && !held
    }

    /// After a reload: each clip whose slide is still there (same name, same clip) keeps
    /// playing under its new index; the others stop.
    pub(super) fn carry(&mut self, old: &Playlist, new: &Playlist) {
        self.streams = std::mem::take(&mut self.streams)
            .into_iter()
            .filter_map(|(i, playing)| Some((new.same_clip_as(old.slides.get(i)?)?, playing)))
            .collect();
    }
}

impl Playing {
    /// Hands the renderer the newest frame due at `due`, if one is ready (see
    /// [`ClipStream::take_due`]).
    fn show_due(
        &mut self,
        index: usize,
        due: u64,
        renderer: &mut crate::render::Renderer,
        counts: &mut ClipCounts,
    ) {
        let late = self.stream.late();
        if let Some(frame) = self.stream.take_due(due) {
            self.shown = Some(frame.number);
            renderer.show_video_frame(index, &frame);
            self.stream.give_back(frame);
            counts.shown += 1;
        }
        counts.late += self.stream.late() - late;
    }
}

/// A stream playing `slide`'s clip from its start, if it has one.
fn stream_of(slide: &Slide) -> Option<ClipStream> {
    match &slide.content {
        Content::Video { video, looping, .. } => {
            Some(ClipStream::endless(video, *looping, slide.background))
        }
        _ => None,
    }
}

/// The slides a frame shows or is about to: the one on screen, the next, the one going out.
fn on_screen(frame: &Frame) -> [Option<usize>; 3] {
    [
        frame.slide,
        frame.next,
        frame.transition.and_then(|t| t.from),
    ]
}

/// How soon to look again for a frame that is due but not decoded yet.
const LATE_FRAME_POLL: Duration = Duration::from_millis(4);
/// The same while a stream is more than [`CATCHING_UP`] frames behind its slide (it started
/// part-way and the decoder is skipping to the frame due): there is no motion to keep smooth
/// then, and polling often would only take the decoder's core.
const CATCH_UP_POLL: Duration = Duration::from_millis(20);
const CATCHING_UP: u64 = 2;

/// What the clip on screen asks of the next wake-up.
pub struct ClipDue {
    /// A frame newer than the one on the wall is due and decoded, or the slide started its
    /// clip over.
    pub draw: bool,
    /// When to look again.
    pub wake_in: Duration,
}

impl Player {
    /// Clip frames shown and dropped late since the player started.
    pub fn clip_counts(&self) -> ClipCounts {
        self.clips.counts
    }

    /// While the clip of the slide on screen plays: whether to draw, and when its next frame
    /// is due. A wall whose clip is all that moves presents at the clip's rate, not at every
    /// refresh. `None` when no clip plays (or the wall is paused or dark).
    pub fn clip_due(&mut self, frame: &Frame) -> Option<ClipDue> {
        if self.playhead.is_paused() || !self.renderer.light().on {
            return None;
        }
        let p = self.clips.streams.get_mut(&frame.slide?)?;
        let clock = p.stream.clock()?;
        let (due, next) = (
            clock.due(frame.slide_elapsed_ms),
            clock.until_next(frame.slide_elapsed_ms),
        );
        let want = p.base + due;
        let ready = p.stream.has_due(want);
        let draw = match p.shown {
            Some(shown) if want <= shown => want < shown,
            _ => ready,
        };
        let late = !ready && p.shown.is_none_or(|shown| want > shown);
        let far_behind = p.shown.is_none_or(|shown| want > shown + CATCHING_UP);
        let wake_in = match (late, far_behind) {
            (true, true) => Some(CATCH_UP_POLL),
            (true, false) => Some(LATE_FRAME_POLL),
            (false, _) => next.map(Duration::from_millis),
        };
        match (draw, wake_in) {
            (false, None) => None,
            (draw, wake_in) => Some(ClipDue {
                draw,
                wake_in: wake_in.unwrap_or(Duration::from_secs(1)),
            }),
        }
    }

    /// Keeps a decoder running for each video slide on screen or next, and shows the frame
    /// due of the one on screen (and the first frame of the one coming up). Allocates nothing
    /// in a frame that starts no clip.
    pub(super) fn keep_clips(&mut self, frame: &Frame) {
        let wanted = on_screen(frame);
        while let Some(&gone) = self
            .clips
            .streams
            .keys()
            .find(|i| !wanted.contains(&Some(**i)))
        {
            self.clips.streams.remove(&gone);
            self.renderer.drop_video(gone);
        }
        for i in wanted.into_iter().flatten() {
            if self.clips.streams.contains_key(&i) {
                continue;
            }
            if let Some(stream) = self.timeline.playlist().slides.get(i).and_then(stream_of) {
                self.clips.streams.insert(i, Playing::new(stream));
            }
        }
        // The slide on screen plays; the one coming up shows its first frame; the one going
        // out holds the frame it showed last.
        if let Some(i) = frame.slide {
            self.advance_clip(i, frame.slide_elapsed_ms);
        }
        if let Some(i) = frame.next.filter(|n| Some(*n) != frame.slide) {
            self.advance_clip(i, 0);
        }
        // A clip going out that never showed (the player started, or a reload came, in the
        // middle of its transition) shows what it has rather than nothing.
        let from = wanted[2].filter(|&i| self.renderer.video_frame_number(i).is_none());
        if let Some((i, playing)) = from.and_then(|i| Some((i, self.clips.streams.get_mut(&i)?))) {
            playing.show_due(i, u64::MAX, &mut self.renderer, &mut self.clips.counts);
        }
    }

    /// Whether every clip `frame` shows has a frame to show.
    pub(super) fn clips_ready(&self, frame: &Frame) -> bool {
        on_screen(frame)
            .into_iter()
            .flatten()
            .filter(|i| self.clips.streams.contains_key(i))
            .all(|i| self.renderer.video_frame_number(i).is_some())
    }

    /// Shows the frame of slide `index`'s clip due `elapsed_ms` into the slide, if it is ready.
    fn advance_clip(&mut self, index: usize, elapsed_ms: i64) {
        let Some(playing) = self.clips.streams.get_mut(&index) else {
            return;
        };
        let Some((due, frames)) = playing
            .stream
            .clock()
            .map(|c| (c.due(elapsed_ms), c.frames()))
        else {
            return;
        };
        if let Some(shown) = playing.shown.filter(|shown| playing.base + due < *shown) {
            // The slide started over (it plays again right after itself). If its clip had
            // played to the end, it goes on from the first frames of the stream's next lap,
            // already decoded: no seam. If the slide cut it short, a new stream starts at the
            // first frame rather than decode the rest of the lap unseen.
            let frames = frames.max(1);
            if shown % frames + END_OF_LAP >= frames {
                playing.base = (shown / frames + 1) * frames;
            } else {
                if let Some(stream) = stream_of(&self.timeline.playlist().slides[index]) {
                    *playing = Playing::new(stream);
                }
                return;
            }
        }
        playing.show_due(
            index,
            playing.base + due,
            &mut self.renderer,
            &mut self.clips.counts,
        );
    }
}
