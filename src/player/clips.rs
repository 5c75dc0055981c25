//! The clips of video slides: a decoding thread for each clip on screen or next (so a clip
//! never starts on black: its first frame is in before its transition begins), the frame due
//! handed to the renderer each frame, and nothing kept of clips that are neither.

use std::collections::HashMap;

use super::Player;
use crate::layout::video::ClipStream;
use crate::model::playlist::{Content, Playlist};
use crate::rules::timeline::Frame;

/// The clips playing, by slide.
#[derive(Default)]
pub(super) struct Clips {
    streams: HashMap<usize, Playing>,
}

struct Playing {
    stream: ClipStream,
    /// The number of the frame on screen; a lower one due means the slide started over.
    shown: Option<u64>,
}

impl Clips {
    /// Whether a clip on screen is still to change (its slide plays on, its decoder has frames).
    pub(super) fn moving(&self, frame: &Frame) -> bool {
        frame
            .slide
            .and_then(|i| self.streams.get(&i))
            .is_some_and(|p| p.stream.is_alive())
    }

    /// After a reload: each clip whose slide is still there (same name, same clip) keeps
    /// playing under its new index; the others stop.
    pub(super) fn carry(&mut self, old: &Playlist, new: &Playlist) {
        let streams = std::mem::take(&mut self.streams);
        for (index, playing) in streams {
            let Some(slide) = old.slides.get(index) else {
                continue;
            };
            let same = new.slides.iter().position(|s| {
                s.name == slide.name
                    && s.content == slide.content
                    && s.duration_ms == slide.duration_ms
            });
            if let Some(new_index) = same {
                self.streams.insert(new_index, playing);
            }
        }
    }
}

impl Player {
    /// Keeps a decoder running for each video slide on screen or next, and shows the frame
    /// due of the one on screen (and the first frame of the one coming up).
    pub(super) fn keep_clips(&mut self, frame: &Frame) {
        let from = frame.transition.and_then(|t| t.from);
        let wanted: Vec<usize> = {
            let is_video = is_video_in(self.timeline.playlist());
            [frame.slide, frame.next, from]
                .into_iter()
                .flatten()
                .filter(|i| is_video(i))
                .collect()
        };
        let gone: Vec<usize> = self
            .clips
            .streams
            .keys()
            .filter(|i| !wanted.contains(i))
            .copied()
            .collect();
        for i in gone {
            self.clips.streams.remove(&i);
            self.renderer.drop_video(i);
        }
        for &i in &wanted {
            if !self.clips.streams.contains_key(&i) {
                let slide = &self.timeline.playlist().slides[i];
                if let Content::Video { video, looping, .. } = &slide.content {
                    let stream = ClipStream::start(video, *looping, slide.duration_ms);
                    self.clips.streams.insert(
                        i,
                        Playing {
                            stream,
                            shown: None,
                        },
                    );
                }
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
        if let Some(i) = from.filter(|&i| self.renderer.video_frame_number(i).is_none()) {
            if let Some(playing) = self.clips.streams.get_mut(&i) {
                if let Some(f) = playing.stream.take_due(u64::MAX) {
                    playing.shown = Some(f.number);
                    self.renderer.show_video_frame(i, &f);
                    playing.stream.give_back(f);
                }
            }
        }
    }

    /// Whether every clip `frame` shows has a frame to show.
    pub(super) fn clips_ready(&self, frame: &Frame) -> bool {
        let from = frame.transition.and_then(|t| t.from);
        [frame.slide, frame.next, from]
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
        let Some(due) = playing.stream.clock().map(|c| c.due(elapsed_ms)) else {
            return;
        };
        if playing.shown.is_some_and(|shown| due < shown) {
            // The slide started over (it plays again right after itself): so does its clip.
            let slide = &self.timeline.playlist().slides[index];
            if let Content::Video { video, looping, .. } = &slide.content {
                playing.stream = ClipStream::start(video, *looping, slide.duration_ms);
                playing.shown = None;
            }
            return;
        }
        if let Some(frame) = playing.stream.take_due(due) {
            playing.shown = Some(frame.number);
            self.renderer.show_video_frame(index, &frame);
            playing.stream.give_back(frame);
        }
    }
}

fn is_video_in(playlist: &Playlist) -> impl Fn(&usize) -> bool + '_ {
    |i| {
        matches!(
            playlist.slides.get(*i).map(|s| &s.content),
            Some(Content::Video { .. })
        )
    }
}
