//! Decoding clips off the render thread: one thread per playing clip decodes a few frames
//! ahead into a bounded queue, in display order, lap after lap; the render thread takes the
//! frame that is due and hands the ones it is done with back, so that steady playing
//! allocates nothing. A still decodes the one frame it needs here and now.

use std::fs::File;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::Arc;

use openh264::decoder::{Decoder, DecoderConfig, Flush};
use openh264::formats::YUVSource;
use openh264::OpenH264API;

use crate::model::playlist::{ClipKind, Color, VideoFile, YuvColour};
use crate::rules::clip::{take_count, ClipClock};
use crate::share::animation::{self, Animation};
use crate::share::clip::{self, Clip};

/// Frames decoded ahead of the one on screen: enough to ride out a slow frame (an IDR, a
/// busy core) without holding many megabytes.
const AHEAD: usize = 3;

/// One decoded picture: its Y, U and V planes, each `stride` bytes a row.
#[derive(Debug, Clone, Default)]
pub struct VideoFrame {
    /// In display order across laps (see [`crate::rules::clip`]).
    pub number: u64,
    pub width: u32,
    pub height: u32,
    pub colour: Option<YuvColour>,
    pub y: Vec<u8>,
    pub u: Vec<u8>,
    pub v: Vec<u8>,
    /// Bytes per row of Y, and of U and V.
    pub strides: (usize, usize),
    /// The size of the U and V planes.
    pub chroma: (u32, u32),
}

impl VideoFrame {
    /// The U and V planes' size: half the picture's, rounded up, for H.264's 4:2:0; the
    /// picture's for an animation's R'G'B' planes.
    pub fn chroma_size(&self) -> (u32, u32) {
        self.chroma
    }

    fn fill_yuv(&mut self, yuv: &impl YUVSource) {
        let (w, h) = yuv.dimensions();
        let (sy, su, sv) = yuv.strides();
        (self.width, self.height) = (w as u32, h as u32);
        self.chroma = (self.width.div_ceil(2), self.height.div_ceil(2));
        let rows = |plane: &[u8], stride: usize, rows: usize, out: &mut Vec<u8>| {
            out.clear();
            out.extend_from_slice(&plane[..(stride * rows).min(plane.len())]);
        };
        let ch = h.div_ceil(2);
        rows(yuv.y(), sy, h, &mut self.y);
        rows(yuv.u(), su, ch, &mut self.u);
        rows(yuv.v(), sv, ch, &mut self.v);
        self.strides = (sy, su.min(sv));
    }

    /// An animation's frame as three planes, R', G' and B', composed over `backdrop` where
    /// the picture is transparent (as a browser shows it on the page's colour).
    fn fill_rgb(&mut self, picture: &image::RgbaImage, backdrop: Color) {
        let (w, h) = picture.dimensions();
        (self.width, self.height, self.chroma) = (w, h, (w, h));
        self.strides = (w as usize, w as usize);
        let back = [backdrop.r, backdrop.g, backdrop.b].map(u32::from);
        let over = |c: u8, a: u32, b: u32| ((u32::from(c) * a + b * (255 - a) + 127) / 255) as u8;
        for plane in [&mut self.y, &mut self.u, &mut self.v] {
            plane.clear();
        }
        for p in picture.pixels() {
            let a = u32::from(p[3]);
            self.y.push(over(p[0], a, back[0]));
            self.u.push(over(p[1], a, back[1]));
            self.v.push(over(p[2], a, back[2]));
        }
    }
}

/// What a stream decodes.
enum Source {
    H264(Clip),
    Animation(Animation),
}

impl Source {
    fn probe(video: &VideoFile) -> Result<Source, String> {
        match video.clip.kind {
            ClipKind::H264 => clip::probe(&video.path)
                .map(Source::H264)
                .map_err(|p| p.message().to_string()),
            ClipKind::Animation => match animation::probe(&video.path) {
                Ok(Some(a)) => Ok(Source::Animation(a)),
                Ok(None) => Err("the picture is no longer animated".into()),
                Err(p) => Err(p.message().to_string()),
            },
        }
    }

    fn clock(&self, looping: bool) -> ClipClock {
        match self {
            Source::H264(clip) => clip.clock(looping),
            Source::Animation(a) => ClipClock {
                times_us: a.times_us.clone(),
                length_us: a.info.length_ms * 1000,
                looping,
            },
        }
    }

    fn colour(&self) -> YuvColour {
        match self {
            Source::H264(clip) => clip.info.colour,
            Source::Animation(a) => a.info.colour,
        }
    }

    /// Where decoding starts to reach display position `wanted` soonest, as (where to start,
    /// the display position of the first picture it hands over); see [`Clip::seek_point`].
    /// An animation starts at its first frame.
    fn seek_point(&self, wanted: usize) -> (usize, usize) {
        match self {
            Source::H264(clip) => clip.seek_point(wanted),
            Source::Animation(_) => (0, 0),
        }
    }

    /// Decodes one lap from `from` (a [`Source::seek_point`]), handing each picture (in display
    /// order) to `each` as what fills a frame with it, until `each` returns false. Returns
    /// whether the rest of the lap was handed over.
    fn decode_lap(
        &self,
        path: &Path,
        from: usize,
        stop: &AtomicBool,
        backdrop: Color,
        mut each: impl FnMut(&dyn Fn(&mut VideoFrame)) -> bool,
    ) -> Result<bool, String> {
        match self {
            Source::H264(clip) => decode_h264_lap(path, clip, from, stop, |yuv| {
                each(&|f: &mut VideoFrame| f.fill_yuv(yuv))
            }),
            Source::Animation(_) => {
                let frames = animation::frames(path).map_err(|p| p.message().to_string())?;
                for frame in frames {
                    if stop.load(Ordering::Relaxed) {
                        return Ok(false);
                    }
                    let frame = frame.map_err(|e| e.to_string())?;
                    if !each(&|f: &mut VideoFrame| f.fill_rgb(frame.buffer(), backdrop)) {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
        }
    }
}

/// A clip playing: its decoding thread and the frames it has made.
pub struct ClipStream {
    pub path: PathBuf,
    clock: Option<ClipClock>,
    clock_rx: Receiver<ClipClock>,
    frames: Receiver<VideoFrame>,
    recycle: Sender<VideoFrame>,
    /// The first waiting frame, taken off the queue to look at its number.
    peeked: Option<VideoFrame>,
    /// The decoder has made its last frame (or failed).
    ended: bool,
    /// Frames decoded but handed back unseen: they were late.
    late: u64,
    /// The number of the frame due now, for the decoder: it skips what is already late
    /// rather than queue it.
    due: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl ClipStream {
    /// Starts probing and decoding `video` from frame 0 on a thread of its own, for a slide of
    /// `duration_ms` that loops it or not, up to the last frame that slide shows: nothing here
    /// touches the share.
    pub fn start(
        video: &VideoFile,
        looping: bool,
        duration_ms: u64,
        backdrop: Color,
    ) -> ClipStream {
        Self::spawn(video, looping, Some(duration_ms), backdrop)
    }

    /// Like [`ClipStream::start`], decoding lap after lap for as long as the stream is kept
    /// (paced by the bounded queue): a slide that plays again right after itself goes on into
    /// the next lap without a seam.
    pub fn endless(video: &VideoFile, looping: bool, backdrop: Color) -> ClipStream {
        Self::spawn(video, looping, None, backdrop)
    }

    /// `backdrop`: what shows through an animated picture's transparent pixels (the slide's
    /// background).
    fn spawn(
        video: &VideoFile,
        looping: bool,
        duration_ms: Option<u64>,
        backdrop: Color,
    ) -> ClipStream {
        let (tx, frames) = mpsc::sync_channel(AHEAD);
        let (recycle, spare) = mpsc::channel();
        let (clock_tx, clock_rx) = mpsc::channel();
        let stop = Arc::new(AtomicBool::new(false));
        let due = Arc::new(AtomicU64::new(0));
        let path = video.path.clone();
        let spawned = {
            let (video, stop, due) = (video.clone(), stop.clone(), due.clone());
            std::thread::Builder::new()
                .name("signage-video".into())
                .spawn(move || {
                    let path = &video.path;
                    let run = || -> Result<(), String> {
                        let source = Source::probe(&video)?;
                        let clock = source.clock(looping);
                        let last = duration_ms.map_or(u64::MAX, |d| clock.last_needed(d));
                        let frames = clock.frames();
                        let _ = clock_tx.send(clock);
                        let pace = Pace {
                            due: &due,
                            stop: &stop,
                            backdrop,
                        };
                        decode_laps(path, &source, frames, last, &tx, &spare, pace)
                    };
                    match catch_unwind(AssertUnwindSafe(run)) {
                        Ok(Err(e)) => tracing::warn!("video {}: {e}", path.display()),
                        Err(_) => tracing::error!("video {}: the decoder failed", path.display()),
                        Ok(Ok(())) => {}
                    }
                })
        };
        if let Err(e) = spawned {
            // The stream then ends at once and the slide keeps its background.
            tracing::error!("video {}: no thread to decode it: {e}", path.display());
        }
        ClipStream {
            path,
            clock: None,
            clock_rx,
            frames,
            recycle,
            peeked: None,
            ended: false,
            late: 0,
            due,
            stop,
        }
    }

    /// Whether frames are still to come.
    pub fn is_alive(&self) -> bool {
        self.peeked.is_some() || !self.ended
    }

    /// When each frame shows, if the decoding thread has read the clip's index already.
    pub fn known_clock(&self) -> Option<&ClipClock> {
        self.clock.as_ref()
    }

    /// When each frame shows, once the decoding thread has read the clip's index.
    pub fn clock(&mut self) -> Option<&ClipClock> {
        if self.clock.is_none() {
            self.clock = self.clock_rx.try_recv().ok();
        }
        self.clock.as_ref()
    }

    /// The newest frame due at number `due`, if one newer than the last taken is ready; the
    /// late ones before it are handed back unseen. Never blocks.
    pub fn take_due(&mut self, due: u64) -> Option<VideoFrame> {
        if due != u64::MAX {
            self.due.fetch_max(due, Ordering::Relaxed);
        }
        let mut shown: Option<VideoFrame> = None;
        while self.has_due(due) {
            let Some(next) = self.peeked.take() else {
                break;
            };
            if let Some(late) = shown.replace(next) {
                self.late += 1;
                self.give_back(late);
            }
        }
        shown
    }

    /// How many frames [`ClipStream::take_due`] dropped for being late.
    pub fn late(&self) -> u64 {
        self.late
    }

    /// Whether a frame newer than the last taken and due at number `due` is ready. Never
    /// blocks; takes nothing.
    pub fn has_due(&mut self, due: u64) -> bool {
        if self.peeked.is_none() {
            match self.frames.try_recv() {
                Ok(f) => self.peeked = Some(f),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.ended = true,
            }
        }
        self.peeked
            .as_ref()
            .is_some_and(|f| take_count([f.number], due) == 1)
    }

    /// A frame the renderer has uploaded, for the decoder to fill again.
    pub fn give_back(&self, frame: VideoFrame) {
        let _ = self.recycle.send(frame);
    }
}

/// The decoder stops at its next frame: a decoder waiting for room in the queue finds the
/// queue gone. It is not joined: one stuck on a share that hangs must not stall the render
/// thread; it ends by itself once the read returns.
impl Drop for ClipStream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// What the player tells a clip's decoding thread while it runs.
#[derive(Clone, Copy)]
struct Pace<'a> {
    /// The number of the frame due on the wall.
    due: &'a AtomicU64,
    stop: &'a AtomicBool,
    backdrop: Color,
}

/// Decodes lap after lap until frame `last` or until told to stop. A stream that starts
/// behind the wall (the player started, or a reload came, in the middle of a long slide)
/// starts at the lap that is due, from the keyframe before the frame due, and frames already
/// late (but the first) are decoded and not handed over: the stream catches up instead of
/// playing every lap fast.
fn decode_laps(
    path: &Path,
    source: &Source,
    frames: u64,
    last: u64,
    out: &SyncSender<VideoFrame>,
    spare: &Receiver<VideoFrame>,
    pace: Pace<'_>,
) -> Result<(), String> {
    let colour = source.colour();
    let (mut start, mut sent_any) = (0u64, false);
    while start <= last && !pace.stop.load(Ordering::Relaxed) {
        let due = pace.due.load(Ordering::Relaxed).min(last);
        if frames > 0 && due >= start + frames {
            start = due / frames * frames;
        }
        // Into the lap already: from the last clean start before the frame due.
        let (from, first) = source.seek_point(due.saturating_sub(start) as usize);
        let mut n = start + first as u64;
        let (mut handed, mut reseek, mut seen_due) = (false, false, due);
        let whole = source.decode_lap(path, from, pace.stop, pace.backdrop, |fill| {
            if n > last {
                return false;
            }
            handed = true;
            // The first picture goes over even if late: the wall shows it (rather than the
            // slide's bare background) while the decoder catches up.
            let due = pace.due.load(Ordering::Relaxed).min(last);
            if n < due && sent_any {
                // The frame due moved on past a later keyframe (or into the next lap): start
                // again from there rather than decode every frame up to it.
                if due != seen_due {
                    seen_due = due;
                    let (_, shown) = source.seek_point(due.saturating_sub(start) as usize);
                    if due >= start + frames || start + shown as u64 > n + 1 {
                        reseek = true;
                        return false;
                    }
                }
                n += 1;
                return true;
            }
            sent_any = true;
            let mut frame = spare.try_recv().unwrap_or_default();
            fill(&mut frame);
            frame.number = n;
            frame.colour = Some(colour);
            n += 1;
            !pace.stop.load(Ordering::Relaxed) && out.send(frame).is_ok()
        })?;
        if reseek {
            continue;
        }
        if !whole || !handed {
            break;
        }
        start += frames;
    }
    Ok(())
}

/// Decodes the clip once from sample `from` (a clean start, see [`Clip::seek_point`]) to its
/// end, handing each picture (in display order) to `each` until it returns false. Returns
/// whether the whole lap was handed over.
fn decode_h264_lap(
    path: &Path,
    clip: &Clip,
    from: usize,
    stop: &AtomicBool,
    mut each: impl FnMut(&openh264::decoder::DecodedYUV<'_>) -> bool,
) -> Result<bool, String> {
    let mut file: File = Clip::open(path).map_err(|e| e.to_string())?;
    // Pictures come out in display order, B-frames held back until the frames they refer to
    // are in; flushing after every packet (the crate's default) breaks B-frame streams.
    let config = DecoderConfig::new().flush_after_decode(Flush::NoFlush);
    let mut decoder =
        Decoder::with_api_config(OpenH264API::from_source(), config).map_err(|e| e.to_string())?;
    let (mut raw, mut packet) = (Vec::new(), Vec::new());
    for index in from..clip.samples.len() {
        if stop.load(Ordering::Relaxed) {
            return Ok(false);
        }
        clip.read_sample(&mut file, (index, index == from), &mut raw, &mut packet)
            .map_err(|e| format!("frame {index}: {e}"))?;
        // A damaged frame is skipped: the decoder conceals it from the frames around it.
        if let Ok(Some(yuv)) = decoder.decode(&packet) {
            if !each(&yuv) {
                return Ok(false);
            }
        }
    }
    for yuv in decoder.flush_remaining().unwrap_or_default() {
        if !each(&yuv) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The frame of `video` a slide playing it shows `elapsed_ms` in, decoded here: for stills.
/// `backdrop` as for [`ClipStream::start`].
pub fn frame_due(
    video: &VideoFile,
    looping: bool,
    elapsed_ms: i64,
    backdrop: Color,
) -> Result<VideoFrame, String> {
    let source = Source::probe(video)?;
    let clock = source.clock(looping);
    let number = clock.due(elapsed_ms);
    let (_, wanted) = clock.split(number);
    let mut found = None;
    let mut seen = 0usize;
    let stop = AtomicBool::new(false);
    let (from, first) = source.seek_point(wanted);
    seen += first;
    source.decode_lap(&video.path, from, &stop, backdrop, |fill| {
        if seen == wanted {
            let mut frame = VideoFrame::default();
            fill(&mut frame);
            frame.number = number;
            frame.colour = Some(source.colour());
            found = Some(frame);
            return false;
        }
        seen += 1;
        true
    })?;
    found.ok_or_else(|| format!("the clip has no frame {wanted}"))
}
