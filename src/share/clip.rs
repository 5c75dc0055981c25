//! Video clips on the share: an MP4 or MOV file's H.264 track, probed without decoding it and
//! read one sample at a time. The file is never read whole: the top-level boxes are walked by
//! their headers, the `moov` (the index) is read within a limit, and each sample is read at its
//! offset when it is decoded, so a 2 GB clip costs what its index costs.
//!
//! The probe refuses, before anything is decoded, what the decoder cannot play (another codec,
//! interlaced, 10-bit, 4:2:2 or 4:4:4, larger than 4096 px a side) and what is not whole yet (no
//! `moov`, or samples past the end of the file: a copy in progress).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use h264_reader::nal::sps::{ChromaFormat, FrameMbsFlags, SeqParameterSet};
use re_mp4::{StsdBoxContent, TrackKind};

use super::{open_regular, FileProblem};
use crate::lang::Msg;
use crate::model::playlist::{ClipInfo, YuvColour, YuvMatrix};
use crate::rules::clip::ClipClock;

/// The largest picture side a clip may have: the decoder's and a wall's practical limit.
pub const MAX_SIDE: u32 = 4096;
/// The most a clip's index (`moov`) may take in memory: an hour at 60 fps needs about 3 MB.
const MAX_INDEX_BYTES: u64 = 64 << 20;
/// The most one sample (a coded frame) may be: far above any 4096 px H.264 frame.
const MAX_SAMPLE_BYTES: u64 = 32 << 20;

/// Why a clip cannot be played.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClipProblem {
    File(FileProblem),
    Empty,
    /// Not an MP4/MOV file at all.
    NotMp4,
    /// No `moov`, or samples past the end of the file: still being copied, or cut short.
    Incomplete,
    NoVideoTrack,
    /// A codec other than H.264, by its name.
    Codec(String),
    Interlaced,
    BitDepth(u8),
    Chroma(&'static str),
    TooLarge {
        width: u32,
        height: u32,
    },
    /// The container or the parameter sets do not read.
    Corrupt(String),
}

impl From<FileProblem> for ClipProblem {
    fn from(p: FileProblem) -> Self {
        ClipProblem::File(p)
    }
}

impl ClipProblem {
    /// The problem, as the end of a sentence that starts with the clip's name.
    pub fn message(&self) -> Msg {
        match self {
            ClipProblem::File(p) => p.message(),
            ClipProblem::Empty => Msg::ImageEmpty,
            ClipProblem::NotMp4 => Msg::ClipNotMp4,
            ClipProblem::Incomplete => Msg::ClipIncomplete,
            ClipProblem::NoVideoTrack => Msg::ClipNoVideo,
            ClipProblem::Codec(codec) => Msg::ClipCodec {
                codec: codec.clone(),
            },
            ClipProblem::Interlaced => Msg::ClipInterlaced,
            ClipProblem::BitDepth(bits) => Msg::ClipBitDepth { bits: *bits },
            ClipProblem::Chroma(chroma) => Msg::ClipChroma {
                chroma: chroma.to_string(),
            },
            ClipProblem::TooLarge { width, height } => Msg::ClipTooLarge {
                size: format!("{width}x{height}"),
                side: MAX_SIDE,
            },
            ClipProblem::Corrupt(e) => Msg::ClipCorrupt { error: e.clone() },
        }
    }

    /// "video \"NAME\" …": the whole sentence about the clip `written` in the playlist.
    pub fn about(&self, written: impl Into<String>) -> Msg {
        Msg::Video {
            video: written.into(),
            problem: Box::new(self.message()),
        }
    }

    /// What to do about it.
    pub fn help(&self) -> Msg {
        match self {
            ClipProblem::File(_) => Msg::PointAtVideoHelp,
            ClipProblem::Empty | ClipProblem::Incomplete => Msg::WaitForCopyHelp,
            _ => Msg::ConvertClipHelp,
        }
    }
}

/// One coded frame: where it is in the file, and when it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SampleRef {
    pub offset: u64,
    pub size: u32,
    /// Presentation time, microseconds from the first frame.
    pub shows_at_us: u64,
    /// Decoding can start here: a sync sample that no later sample shows before (so no
    /// later sample refers to a frame before it).
    pub clean_start: bool,
}

/// A probed clip: what it is, and its samples in decoding order.
#[derive(Debug, Clone)]
pub struct Clip {
    pub info: ClipInfo,
    /// In decoding order.
    pub samples: Vec<SampleRef>,
    /// Each frame's presentation time in display order, microseconds: the decoder returns
    /// frames in display order, and the k-th frame out shows at the k-th time here.
    pub display_times_us: Vec<u64>,
    /// The SPS and PPS as Annex B, put before the first frame.
    pub parameter_sets: Vec<u8>,
    /// How many bytes give each NAL unit's length in a sample (1, 2 or 4).
    nal_length_size: usize,
}

/// Opens and probes the clip at `path`.
pub fn probe(path: &Path) -> Result<Clip, ClipProblem> {
    let (mut file, meta) = open_regular(path, u64::MAX)?;
    let len = meta.len();
    if len == 0 {
        return Err(ClipProblem::Empty);
    }
    let index = read_index(&mut file, len)?;
    // re_mp4 indexes into tables it has not checked: a damaged file may panic it. That is a
    // problem of the file, reported as such. It reads the index from memory, checked first
    // (`check_boxes`), never from the share.
    let unreadable = |_| ClipProblem::Corrupt("its index does not read".into());
    let mp4 = catch_unwind(AssertUnwindSafe(|| re_mp4::Mp4::read_bytes(&index)))
        .map_err(unreadable)?
        .map_err(|e| ClipProblem::Corrupt(e.to_string()))?;
    let clip = catch_unwind(AssertUnwindSafe(|| clip_of(&mp4))).map_err(unreadable)??;
    if clip
        .samples
        .iter()
        .any(|s| s.offset.saturating_add(u64::from(s.size)) > len)
    {
        return Err(ClipProblem::Incomplete);
    }
    Ok(clip)
}

/// The clip's `ftyp` (made up when an old QuickTime file has none) and `moov` boxes, read into
/// memory, their box tree checked: what re_mp4 is given in place of the file. Sample offsets
/// still point into the file, which is where samples are read from.
fn read_index(file: &mut File, len: u64) -> Result<Vec<u8>, ClipProblem> {
    let (ftyp, moov) = top_level_boxes(file, len)?;
    let moov = moov.ok_or(ClipProblem::Incomplete)?;
    let mut index = match ftyp {
        Some(at) => read_box(file, at)?,
        None => [&[0, 0, 0, 16][..], b"ftypqt  ", &[0, 0, 0, 0]].concat(),
    };
    let mut moov = read_box(file, moov)?;
    let header = if moov[..4] == [0, 0, 0, 1] { 16 } else { 8 };
    check_boxes(&mut moov[header..], 1)?;
    index.extend_from_slice(&moov);
    Ok(index)
}

/// A box (its header included) at `(offset, size)`, read whole.
fn read_box(file: &mut File, (at, size): (u64, u64)) -> Result<Vec<u8>, ClipProblem> {
    let unreadable = |e: io::Error| ClipProblem::File(FileProblem::Unreadable(e.to_string()));
    file.seek(SeekFrom::Start(at)).map_err(unreadable)?;
    let mut bytes = vec![0u8; size as usize];
    file.read_exact(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
}

/// Boxes that hold boxes, as re_mp4 walks them.
const CONTAINERS: &[&[u8; 4]] = &[
    b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"dinf", b"mvex",
];
/// Metadata the player has no use for, whose readers in re_mp4 loop on damaged sizes: made
/// `free` boxes, which are skipped by their (checked) size.
const IGNORED: &[&[u8; 4]] = &[b"udta", b"meta"];
/// Sample entries of video codecs: 78 bytes of fields, then boxes (ISO 14496-12, 12.1.3).
const VISUAL_ENTRIES: &[&[u8; 4]] = &[
    b"avc1", b"avc3", b"hvc1", b"hev1", b"vp08", b"vp09", b"av01", b"mp4v", b"encv",
];
/// More samples than this is not a clip for a wall (over 4 hours at 60 fps): a damaged count.
const MAX_SAMPLES: u32 = 1_000_000;

/// Checks that every box inside `data` (the body of a container) fits its parent and has a
/// size of its own: re_mp4 loops for ever on a box of size 0 inside another. Also bounds the
/// sample count a constant-size `stsz` claims (re_mp4 would make that many samples), and
/// turns metadata boxes into `free` ones.
fn check_boxes(data: &mut [u8], depth: u32) -> Result<(), ClipProblem> {
    let damaged = |what: &str| ClipProblem::Corrupt(format!("its index is damaged ({what})"));
    if depth > 8 {
        return Err(damaged("boxes nested too deep"));
    }
    let mut at = 0usize;
    while at < data.len() {
        let rest = &mut data[at..];
        if rest.len() < 8 {
            return Err(damaged("a box cut short"));
        }
        let size32 = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]);
        let name: [u8; 4] = rest[4..8].try_into().expect("4 bytes");
        let name = &name;
        let (size, header) = match size32 {
            1 if rest.len() >= 16 => (
                u64::from_be_bytes(rest[8..16].try_into().expect("8 bytes")),
                16usize,
            ),
            n => (u64::from(n), 8usize),
        };
        if size < header as u64 || size > rest.len() as u64 {
            return Err(damaged("a box of the wrong size"));
        }
        if IGNORED.contains(&name) {
            rest[4..8].copy_from_slice(b"free");
            at += size as usize;
            continue;
        }
        let body = &mut rest[header..size as usize];
        if CONTAINERS.contains(&name) {
            check_boxes(body, depth + 1)?;
        } else if name == b"stsd" && body.len() >= 8 {
            check_boxes(&mut body[8..], depth + 1)?;
        } else if VISUAL_ENTRIES.contains(&name) && body.len() >= 78 {
            check_boxes(&mut body[78..], depth + 1)?;
        } else if name == b"stsz" && body.len() >= 12 {
            let sample_size = u32::from_be_bytes(body[4..8].try_into().expect("4 bytes"));
            let count = u32::from_be_bytes(body[8..12].try_into().expect("4 bytes"));
            if sample_size != 0 && count > MAX_SAMPLES {
                return Err(damaged("too many frames"));
            }
        }
        at += size as usize;
    }
    Ok(())
}

/// Walks the top-level boxes by their headers: where the `ftyp` and the `moov` are, the `moov`
/// within limits. A box that runs past the end of the file is a file still being copied.
#[allow(clippy::type_complexity)]
fn top_level_boxes(
    file: &mut File,
    len: u64,
) -> Result<(Option<(u64, u64)>, Option<(u64, u64)>), ClipProblem> {
    let mut at = 0u64;
    let (mut ftyp, mut moov) = (None, None);
    let mut first = true;
    while at < len {
        let mut header = [0u8; 16];
        file.seek(SeekFrom::Start(at))
            .map_err(|e| FileProblem::Unreadable(e.to_string()))?;
        let got = read_up_to(file, &mut header)?;
        if got < 8 {
            return Err(ClipProblem::Incomplete);
        }
        let size32 = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let name = [header[4], header[5], header[6], header[7]];
        if first
            && !matches!(
                &name,
                b"ftyp" | b"wide" | b"free" | b"mdat" | b"moov" | b"skip"
            )
        {
            return Err(ClipProblem::NotMp4);
        }
        first = false;
        let size = match size32 {
            0 => len - at,
            1 if got == 16 => u64::from_be_bytes(header[8..16].try_into().expect("8 bytes")),
            1 => return Err(ClipProblem::Incomplete),
            n => u64::from(n),
        };
        if size < 8 {
            return Err(ClipProblem::Corrupt(format!("a box of {size} bytes")));
        }
        if at.saturating_add(size) > len {
            return Err(ClipProblem::Incomplete);
        }
        match &name {
            b"moov" if size > MAX_INDEX_BYTES => {
                return Err(ClipProblem::Corrupt(format!(
                    "its index is {}, more than {} allowed",
                    super::human_bytes(size),
                    super::human_bytes(MAX_INDEX_BYTES)
                )));
            }
            b"moov" => moov = Some((at, size)),
            b"ftyp" if size <= 4096 => ftyp = Some((at, size)),
            _ => {}
        }
        at += size;
    }
    Ok((ftyp, moov))
}

fn read_up_to(file: &mut File, buf: &mut [u8]) -> Result<usize, FileProblem> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(FileProblem::Unreadable(e.to_string())),
        }
    }
    Ok(got)
}

/// The clip in `mp4`: its first video track, which must be H.264 that the decoder plays.
fn clip_of(mp4: &re_mp4::Mp4) -> Result<Clip, ClipProblem> {
    let Some(track) = mp4
        .tracks()
        .values()
        .find(|t| t.kind == Some(TrackKind::Video))
    else {
        // A video track in a codec the reader does not know (ProRes, MPEG-4 Part 2) has no
        // kind; its handler still says it is video.
        let unknown = mp4
            .moov
            .traks
            .iter()
            .find(|t| t.mdia.hdlr.handler_type.to_string() == "vide");
        return Err(match unknown {
            Some(trak) => ClipProblem::Codec(codec_name(&trak.mdia.minf.stbl.stsd.contents)),
            None => ClipProblem::NoVideoTrack,
        });
    };
    let trak = track.trak(mp4);
    let avc = match &trak.mdia.minf.stbl.stsd.contents {
        StsdBoxContent::Avc1(avc) => avc,
        StsdBoxContent::Hev1(_) | StsdBoxContent::Hvc1(_) => {
            return Err(ClipProblem::Codec("H.265/HEVC".into()))
        }
        StsdBoxContent::Vp08(_) => return Err(ClipProblem::Codec("VP8".into())),
        StsdBoxContent::Vp09(_) => return Err(ClipProblem::Codec("VP9".into())),
        StsdBoxContent::Av01(_) => return Err(ClipProblem::Codec("AV1".into())),
        other => return Err(ClipProblem::Codec(codec_name(other))),
    };
    let config = &avc.avcc.contents;
    let sps_nal = config
        .sequence_parameter_sets
        .first()
        .ok_or_else(|| ClipProblem::Corrupt("it has no sequence parameter set".into()))?;
    let sps = parse_sps(&sps_nal.bytes)?;
    let (width, height) = sps
        .pixel_dimensions()
        .map_err(|e| ClipProblem::Corrupt(format!("{e:?}")))?;
    if let FrameMbsFlags::Fields { .. } = sps.frame_mbs_flags {
        return Err(ClipProblem::Interlaced);
    }
    let bits = 8 + sps.chroma_info.bit_depth_luma_minus8;
    if bits != 8 || sps.chroma_info.bit_depth_chroma_minus8 != 0 {
        return Err(ClipProblem::BitDepth(
            bits.max(8 + sps.chroma_info.bit_depth_chroma_minus8),
        ));
    }
    match sps.chroma_info.chroma_format {
        ChromaFormat::YUV420 => {}
        ChromaFormat::YUV422 => return Err(ClipProblem::Chroma("4:2:2")),
        ChromaFormat::YUV444 => return Err(ClipProblem::Chroma("4:4:4")),
        ChromaFormat::Monochrome => return Err(ClipProblem::Chroma("monochrome")),
        ChromaFormat::Invalid(_) => {
            return Err(ClipProblem::Corrupt("an unknown chroma format".into()))
        }
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(ClipProblem::TooLarge { width, height });
    }
    let timescale = track.timescale.max(1);
    let us = |t: i64| (t.max(0) as u128 * 1_000_000 / u128::from(timescale)) as u64;
    let samples: Vec<SampleRef> = track
        .samples
        .iter()
        .map(|s| SampleRef {
            offset: s.offset,
            size: s.size.min(MAX_SAMPLE_BYTES) as u32,
            shows_at_us: us(s.composition_timestamp),
            clean_start: s.is_sync,
        })
        .collect();
    let mut samples = samples;
    let mut earliest_after = u64::MAX;
    for s in samples.iter_mut().rev() {
        earliest_after = earliest_after.min(s.shows_at_us);
        s.clean_start &= s.shows_at_us == earliest_after;
    }
    if samples.is_empty() {
        return Err(ClipProblem::Corrupt("it has no frames".into()));
    }
    if track.samples.iter().any(|s| s.size > MAX_SAMPLE_BYTES) {
        return Err(ClipProblem::Corrupt(
            "a frame is larger than any H.264 frame".into(),
        ));
    }
    let mut display_times_us: Vec<u64> = samples.iter().map(|s| s.shows_at_us).collect();
    display_times_us.sort_unstable();
    let end = track
        .samples
        .iter()
        .map(|s| us(s.composition_timestamp.saturating_add(s.duration as i64)))
        .max()
        .unwrap_or(0);
    let frames = samples.len();
    let length_ms = end.div_ceil(1000).max(1);
    let frames_per_second = sps
        .fps()
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or(frames as f64 * 1_000_000.0 / end.max(1) as f64);
    let mut parameter_sets = Vec::new();
    for nal in config
        .sequence_parameter_sets
        .iter()
        .chain(&config.picture_parameter_sets)
    {
        parameter_sets.extend_from_slice(&[0, 0, 0, 1]);
        parameter_sets.extend_from_slice(&nal.bytes);
    }
    Ok(Clip {
        info: ClipInfo {
            width,
            height,
            length_ms,
            frames,
            frames_per_second: (frames_per_second * 100.0).round() / 100.0,
            codec: format!("H.264 {}", profile_name(sps.profile_idc.into())),
            colour: colour_of(&sps, height),
            kind: crate::model::playlist::ClipKind::H264,
        },
        samples,
        display_times_us,
        parameter_sets,
        nal_length_size: usize::from(config.length_size_minus_one & 3) + 1,
    })
}

fn parse_sps(nal: &[u8]) -> Result<SeqParameterSet, ClipProblem> {
    let rbsp = h264_reader::rbsp::decode_nal(nal)
        .map_err(|e| ClipProblem::Corrupt(format!("its sequence parameter set: {e}")))?;
    SeqParameterSet::from_bits(h264_reader::rbsp::BitReader::new(&rbsp[..]))
        .map_err(|e| ClipProblem::Corrupt(format!("its sequence parameter set: {e:?}")))
}

/// The matrix and range the stream says; where it says nothing, BT.601 below 720 lines and
/// BT.709 from there, limited range, as ffmpeg and browsers assume.
fn colour_of(sps: &SeqParameterSet, height: u32) -> YuvColour {
    let signal = sps
        .vui_parameters
        .as_ref()
        .and_then(|v| v.video_signal_type.as_ref());
    let matrix = signal
        .and_then(|s| s.colour_description.as_ref())
        .and_then(|c| match c.matrix_coefficients {
            1 => Some(YuvMatrix::Bt709),
            5 | 6 => Some(YuvMatrix::Bt601),
            _ => None,
        })
        .unwrap_or(if height >= 720 {
            YuvMatrix::Bt709
        } else {
            YuvMatrix::Bt601
        });
    YuvColour {
        matrix,
        full_range: signal.is_some_and(|s| s.video_full_range_flag),
    }
}

fn profile_name(idc: u8) -> &'static str {
    match idc {
        66 => "Baseline",
        77 => "Main",
        88 => "Extended",
        100 => "High",
        110 => "High 10",
        122 => "High 4:2:2",
        244 => "High 4:4:4",
        _ => "(other profile)",
    }
}

fn codec_name(content: &StsdBoxContent) -> String {
    match content {
        StsdBoxContent::Mp4a(_) => "AAC audio".into(),
        StsdBoxContent::Unknown(fourcc) => {
            let code = fourcc.to_string();
            match code.trim() {
                "apcn" | "apch" | "apcs" | "apco" | "ap4h" | "ap4x" => "Apple ProRes".into(),
                "mp4v" => "MPEG-4 Part 2".into(),
                other => format!("\"{other}\""),
            }
        }
        _ => "an unknown codec".into(),
    }
}

impl Clip {
    /// When each frame shows, for a slide that loops the clip or not.
    pub fn clock(&self, looping: bool) -> ClipClock {
        ClipClock {
            times_us: self.display_times_us.clone(),
            length_us: self.info.length_ms * 1000,
            looping,
        }
    }

    /// Where to start decoding to reach the frame at display position `wanted` soonest: the
    /// last clean start (see [`SampleRef::clean_start`]) showing at or before it, as its index
    /// in decoding order and its display position. From there the decoder hands over frames
    /// in display order from that position. `(0, 0)`: from the start.
    pub fn seek_point(&self, wanted: usize) -> (usize, usize) {
        self.samples
            .iter()
            .enumerate()
            .filter(|(_, s)| s.clean_start)
            .map(|(i, s)| {
                (
                    i,
                    self.display_times_us
                        .partition_point(|t| *t < s.shows_at_us),
                )
            })
            .filter(|(_, shown)| *shown <= wanted)
            .max_by_key(|(_, shown)| *shown)
            .unwrap_or((0, 0))
    }

    /// Sample `index` (decoding order) from `file` as Annex B, the form the decoder reads: each
    /// NAL unit after a start code, the parameter sets before the first one decoded (`first`).
    /// `raw` holds the sample as stored; both buffers are reused from sample to sample.
    pub fn read_sample(
        &self,
        file: &mut File,
        (index, first): (usize, bool),
        raw: &mut Vec<u8>,
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        let s = self.samples[index];
        out.clear();
        if first {
            out.extend_from_slice(&self.parameter_sets);
        }
        raw.resize(s.size as usize, 0);
        file.seek(SeekFrom::Start(s.offset))?;
        file.read_exact(raw)?;
        let n = self.nal_length_size;
        let mut at = 0;
        while at + n <= raw.len() {
            let len = raw[at..at + n]
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            at += n;
            let end = at.saturating_add(len).min(raw.len());
            out.extend_from_slice(&[0, 0, 0, 1]);
            out.extend_from_slice(&raw[at..end]);
            at = end;
        }
        Ok(())
    }

    /// Opens the clip's file again for reading samples (regular files only, as any read).
    pub fn open(path: &Path) -> Result<File, FileProblem> {
        open_regular(path, u64::MAX).map(|(file, _)| file)
    }
}
