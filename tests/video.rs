//! Video slides: clips made by ffmpeg at test time are probed, refused with their reasons,
//! decoded frame for frame as ffmpeg decodes them, played lap after lap without a seam, and
//! shown through transitions without a black frame.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::clips::{self, at, folder, load};
use common::fuzz;
use proptest::prelude::*;
use signage::layout::video::ClipStream;
use signage::model::playlist::{Color, YuvMatrix};
use signage::render::{still, Fonts};
use signage::rules::timeline::Timeline;

/// A playlist showing `clip` alone on a canvas of its size, no ticker.
fn clip_alone(clip: &Path, size: (u32, u32)) -> String {
    format!(
        "[display]\nwidth = {}\nheight = {}\n[ticker]\nenabled = false\n[[slides]]\nvideo = \"{}\"\n",
        size.0,
        size.1,
        clip.file_name().unwrap().to_string_lossy()
    )
}

#[test]
fn clips_are_probed_for_what_check_says() {
    let high = clips::h264("probe-high.mp4", (1366, 250), 25, 2.0, "high", 3);
    let clip = signage::share::clip::probe(&high).unwrap();
    let info = &clip.info;
    assert_eq!((info.width, info.height), (1366, 250));
    assert_eq!(info.frames, 50);
    assert_eq!(info.frames_per_second, 25.0);
    assert_eq!(info.length_ms, 2000);
    assert_eq!(info.codec, "H.264 High");
    // No colour description in the stream: BT.601 below 720 lines, limited range.
    assert_eq!(info.colour.matrix, YuvMatrix::Bt601);
    assert!(!info.colour.full_range);
    // B-frames: decoding order is not display order, and display times are sorted.
    let decode_order: Vec<u64> = clip.samples.iter().map(|s| s.shows_at_us).collect();
    assert_ne!(decode_order, clip.display_times_us);
    assert!(clip.display_times_us.windows(2).all(|w| w[0] < w[1]));

    // A slide lasts its clip's length unless it says otherwise.
    let (_dir, path) = folder(&[&high], &clip_alone(&high, (1366, 250)));
    assert_eq!(load(&path).slides[0].duration_ms, 2000);
}

/// Frame `n` of `clip`, rendered by the player at the moment it is due, against ffmpeg's
/// decode of frame `n`.
fn assert_frame_matches_ffmpeg(clip: &Path, size: (u32, u32), rate: u32, n: u32) {
    let (_dir, path) = folder(&[clip], &clip_alone(clip, size));
    let playlist = load(&path);
    let gpu = common::gpu();
    let mut renderer = still::renderer(&gpu, &playlist, Fonts::BundledOnly);
    let mut timeline = Timeline::new(playlist);
    // A few milliseconds into frame n's time.
    let moment = at(i64::from(n) * 1000 / i64::from(rate) + 5);
    let actual = still::frame_at(&mut renderer, &mut timeline, moment).unwrap();
    let expected = clips::reference_frame(clip, n, "bt601");
    // The player upsamples chroma bilinearly on the GPU, ffmpeg bicubically on the CPU: they
    // agree within 0.8 levels on average, but along the test picture's sharp colour edges they
    // differ by up to about 60 levels on about 1 % of the pixels (measured: 0.7 % off by more
    // than 16). A wrong frame (n ± 1: the counter, the moving band), a wrong matrix or range,
    // or a picture a pixel off changes far more pixels by far more; the test checks the next
    // frame does not pass.
    let tolerance = common::Tolerance {
        channel: 16,
        fraction: 0.012,
    };
    if let Err(e) = common::compare(&expected, &actual, tolerance) {
        let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-failures");
        std::fs::create_dir_all(&out).unwrap();
        let name = clip.file_stem().unwrap().to_string_lossy();
        actual
            .save(out.join(format!("{name}-{n}-actual.png")))
            .unwrap();
        expected
            .save(out.join(format!("{name}-{n}-ffmpeg.png")))
            .unwrap();
        panic!("{name} frame {n}: {e} (written to {})", out.display());
    }
    // And not by luck: the frames either side are further from it.
    let other = clips::reference_frame(clip, n + 1, "bt601");
    assert!(
        common::compare(&other, &actual, tolerance).is_err(),
        "frame {n} of {} also matches frame {}: the test cannot tell frames apart",
        clip.display(),
        n + 1
    );
}

#[test]
fn each_profile_decodes_frame_for_frame_as_ffmpeg_does() {
    let baseline = clips::h264("baseline-1366x250.mp4", (1366, 250), 30, 1.0, "baseline", 0);
    let main = clips::h264("main-1366x250.mp4", (1366, 250), 30, 1.0, "main", 2);
    let high = clips::h264("high-1920x320.mp4", (1920, 320), 30, 1.0, "high", 3);
    assert_frame_matches_ffmpeg(&baseline, (1366, 250), 30, 17);
    assert_frame_matches_ffmpeg(&main, (1366, 250), 30, 17);
    // Frame 17 of a stream with three B-frames is a B-frame, decoded after a later one.
    assert_frame_matches_ffmpeg(&high, (1920, 320), 30, 17);
}

#[test]
fn a_frame_deep_in_a_clip_is_decoded_from_the_keyframe_before_it() {
    // A keyframe every 30 frames, B-frames between: frame 280 is reached from frame 270.
    let clip = clips::testsrc(
        "keyframes-1366x250.mp4",
        (1366, 250),
        30,
        10.0,
        &[
            "-c:v",
            "libx264",
            "-profile:v",
            "high",
            "-bf",
            "3",
            "-g",
            "30",
            "-sc_threshold",
            "0",
            "-pix_fmt",
            "yuv420p",
        ],
    );
    let probed = signage::share::clip::probe(&clip).unwrap();
    assert_eq!(probed.seek_point(280).1, 270);
    assert_eq!(probed.seek_point(29), (0, 0));
    // The frame shown is still exactly frame 280 (the numbering holds after the seek), on the
    // wall's stream as in a still.
    assert_frame_matches_ffmpeg(&clip, (1366, 250), 30, 280);
    let (_dir, path) = folder(&[&clip], &clip_alone(&clip, (1366, 250)));
    let video = load(&path).slides[0].video().unwrap().clone();
    // Joined at frame 280 of the second lap: the keyframe's picture at once (something to
    // show while the decoder catches up), then the frame due, the ones between skipped.
    let mut stream = ClipStream::endless(&video, true, Color::BLACK);
    assert_joins_at(&mut stream, 570, 580);
}

/// Taking frames due at `due` from a stream that starts behind: its first frame is `first`
/// (shown while it catches up), then `due`; none between is handed over. (The first may
/// already be waiting with `due` behind it: then it is dropped as late, once.)
fn assert_joins_at(stream: &mut ClipStream, first: u64, due: u64) {
    let mut shown = Vec::new();
    while shown.last() != Some(&due) {
        shown.push(take(stream, due).expect("frames keep coming"));
    }
    assert!(
        shown == [first, due] || (shown == [due] && stream.late() == 1),
        "{shown:?}, {} late",
        stream.late()
    );
    assert!(
        stream.late() <= 1,
        "the frames between were never handed over"
    );
}

/// Takes frames from `stream` as a wall at `due` would, waiting up to 5 s for each.
fn take(stream: &mut ClipStream, due: u64) -> Option<u64> {
    let started = Instant::now();
    loop {
        if let Some(frame) = stream.take_due(due) {
            let n = frame.number;
            stream.give_back(frame);
            return Some(n);
        }
        if !stream.is_alive() || started.elapsed() > Duration::from_secs(5) {
            return None;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_looping_clip_plays_every_frame_of_every_lap_and_one_that_does_not_holds() {
    let clip = clips::h264("loop-320x80.mp4", (320, 80), 30, 1.0, "high", 3);
    let (_dir, path) = folder(&[&clip], &clip_alone(&clip, (320, 80)));
    let video = load(&path).slides[0].video().unwrap().clone();

    // 2.5 laps: frames 0 to 74, each in turn, none twice, the lap's seam included.
    let mut stream = ClipStream::start(&video, true, 2500, Color::BLACK);
    let shown: Vec<u64> = (0..75).filter_map(|due| take(&mut stream, due)).collect();
    assert_eq!(shown, (0..75).collect::<Vec<u64>>());
    assert!(stream.clock().is_some());

    // Late (the wall stalled for a second): the newest frame ready is shown each time, the
    // ones before it dropped unseen, until the clip has caught up with frame 40.
    let mut stream = ClipStream::start(&video, true, 2500, Color::BLACK);
    assert_eq!(take(&mut stream, 0), Some(0));
    let mut shown = Vec::new();
    while shown.last() != Some(&40) {
        shown.push(take(&mut stream, 40).expect("frames keep coming"));
    }
    assert!(shown.windows(2).all(|w| w[0] < w[1]), "{shown:?}");
    assert!(
        shown.len() < 20,
        "late frames are dropped, not all shown: {shown:?}"
    );

    // Joined in the middle of a long slide (the player started, or a reload came, 100 s
    // into it): the stream starts at the lap that is due (its first frame shown at once) and
    // skips what is late instead of playing a hundred laps fast.
    let mut stream = ClipStream::endless(&video, true, Color::BLACK);
    assert_joins_at(&mut stream, 3000, 3005);

    // Without loop, a 3 s slide shows the clip once and keeps its last frame.
    let mut stream = ClipStream::start(&video, false, 3000, Color::BLACK);
    let shown: Vec<u64> = (0..40).filter_map(|due| take(&mut stream, due)).collect();
    assert_eq!(shown, (0..30).collect::<Vec<u64>>());
    assert!(!stream.is_alive(), "the decoder stops after the last frame");
}

#[test]
fn check_refuses_what_the_player_cannot_play_at_the_video_key_with_the_fix() {
    let src = "testsrc2=size=320x80:rate=25:duration=1";
    let lavfi = ["-f", "lavfi", "-i", src];
    let with = |name: &str, opts: &[&str]| {
        let mut args = lavfi.to_vec();
        args.extend_from_slice(opts);
        clips::made(name, &args)
    };
    let good = clips::h264("good-320x80.mp4", (320, 80), 25, 1.0, "high", 3);
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            with("hevc.mp4", &["-c:v", "libx265", "-pix_fmt", "yuv420p"]),
            "is H.265/HEVC, which this player does not decode",
        ),
        (with("vp9.mp4", &["-c:v", "libvpx-vp9"]), "is VP9"),
        (
            with(
                "av1.mp4",
                &["-c:v", "libaom-av1", "-cpu-used", "8", "-frames:v", "2"],
            ),
            "is AV1",
        ),
        (
            with("prores.mov", &["-c:v", "prores_ks"]),
            "is Apple ProRes",
        ),
        (
            with(
                "interlaced.mp4",
                &[
                    "-c:v",
                    "libx264",
                    "-flags",
                    "+ildct+ilme",
                    "-x264opts",
                    "interlaced=1",
                ],
            ),
            "is interlaced",
        ),
        (
            with(
                "ten-bit.mp4",
                &["-c:v", "libx264", "-pix_fmt", "yuv420p10le"],
            ),
            "is 10-bit",
        ),
        (
            with("yuv422.mp4", &["-c:v", "libx264", "-pix_fmt", "yuv422p"]),
            "has 4:2:2 colour",
        ),
        (
            clips::made(
                "audio.mp4",
                &["-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac"],
            ),
            "has no video track",
        ),
        (
            clips::made(
                "huge.mp4",
                &[
                    "-f",
                    "lavfi",
                    "-i",
                    "testsrc2=size=4112x64:rate=1:duration=1",
                    "-c:v",
                    "libx264",
                    "-pix_fmt",
                    "yuv420p",
                ],
            ),
            "is 4112x64, larger than 4096 pixels a side",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut toml = String::from("[ticker]\nenabled = false\n");
    let mut expected = Vec::new();
    for (clip, words) in &cases {
        let name = clip.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::copy(clip, dir.path().join(&name)).unwrap();
        toml += &format!("[[slides]]\nvideo = \"{name}\"\n");
        expected.push((toml.lines().count(), name, *words));
    }
    // What a share holds while a copy runs, or by accident.
    let bytes = std::fs::read(&good).unwrap();
    std::fs::write(dir.path().join("half.mp4"), &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(dir.path().join("empty.mp4"), b"").unwrap();
    std::fs::write(dir.path().join("text.mp4"), b"not a video at all\n").unwrap();
    for (name, words) in [
        ("half.mp4", "is incomplete"),
        ("empty.mp4", "is empty (0 bytes)"),
        ("text.mp4", "is not an MP4 or MOV file"),
    ] {
        toml += &format!("[[slides]]\nvideo = \"{name}\"\n");
        expected.push((toml.lines().count(), name.to_string(), words));
    }
    // ffmpeg writes the index at the end unless told otherwise: both are fine.
    let moov_first = clips::made(
        "moov-first.mp4",
        &[
            "-i",
            good.to_str().unwrap(),
            "-c",
            "copy",
            "-movflags",
            "+faststart",
        ],
    );
    for clip in [&good, &moov_first] {
        let name = clip.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::copy(clip, dir.path().join(&name)).unwrap();
        toml += &format!("[[slides]]\nvideo = \"{name}\"\n");
    }
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, &toml).unwrap();
    let report = signage::layout::verify::load_and_verify(&path, at(0).date()).report;
    let errors: Vec<_> = report.errors().collect();
    assert_eq!(errors.len(), expected.len(), "{report}");
    for (d, (line, name, words)) in errors.iter().zip(&expected) {
        let message = d.message.to_string();
        let (l, c) = report.line_col(d.span.clone().unwrap().start);
        assert_eq!((l, c), (*line, 9), "{message}");
        assert!(
            message.contains(&format!("video \"{name}\" {words}")),
            "{message}"
        );
        let help = d.help.as_ref().unwrap().to_string();
        if name.contains("half") || name.contains("empty") {
            assert!(help.contains("wait for the copy to finish"), "{help}");
        } else {
            assert!(
                help.contains(
                    "ffmpeg -i in.mov -c:v libx264 -pix_fmt yuv420p -movflags +faststart out.mp4"
                ),
                "{help}"
            );
        }
    }
}

/// The mean of a picture's channels: a black frame is near 0.
fn mean_level(img: &image::RgbaImage) -> f64 {
    let sum: u64 = img
        .pixels()
        .map(|p| u64::from(p[0]) + u64::from(p[1]) + u64::from(p[2]))
        .sum();
    sum as f64 / (3 * img.pixels().len()) as f64
}

#[test]
fn the_player_fades_into_and_out_of_a_clip_without_a_black_frame_and_a_reload_keeps_it_playing() {
    use signage::player::Player;
    use signage::render::Renderer;
    use signage::rules::playhead::Moment;

    let clip = clips::h264("play-320x80.mp4", (320, 80), 30, 2.0, "high", 3);
    let toml = |title: &str| {
        format!(
            "[display]\nwidth = 320\nheight = 80\n[ticker]\nenabled = false\n\
             [[slides]]\nname = \"words\"\ntitle = \"{title}\"\nbackground = \"#3050a0\"\nduration = \"1s\"\n\
             transition = {{ kind = \"fade\", duration = \"400ms\" }}\n\
             [[slides]]\nname = \"clip\"\nvideo = \"play-320x80.mp4\"\nduration = \"1500ms\"\n\
             transition = {{ kind = \"fade\", duration = \"400ms\" }}\n"
        )
    };
    let (dir, path) = folder(&[&clip], &toml("文明"));
    let gpu = common::gpu();
    let playlist = load(&path);
    let renderer = Renderer::new(&gpu, Fonts::BundledOnly, &playlist);
    // Started half a second into the words, as a wall starts: warmed up first.
    let (wall0, mono0) = (at(500), Instant::now());
    let moment = |elapsed: Duration| Moment {
        wall: wall0 + chrono::Duration::from_std(elapsed).unwrap(),
        mono: mono0 + elapsed,
    };
    let mut player = Player::new(renderer, playlist, None, 60.0, moment(Duration::ZERO));
    player.warm_up(moment(Duration::ZERO), Duration::from_secs(5));
    let mut numbers = Vec::new();
    let mut reloaded = false;
    // Real time: the decoder runs beside the frames as it does on a wall. Words 0.5-1 s, the
    // clip 1-2.5 s (fading in over the words), words again (fading in over the clip).
    while mono0.elapsed() < Duration::from_millis(2700) {
        let now = moment(mono0.elapsed());
        if !reloaded && mono0.elapsed() > Duration::from_millis(1300) {
            // An editor changes the other slide mid-clip: the clip plays on, not from the start.
            std::fs::write(&path, toml("诚信")).unwrap();
            player.set_playlist(load(&path), None, now);
            reloaded = true;
        }
        let frame = player.begin_frame(now);
        player.draw(&frame, None, now);
        let img = player.renderer().read_canvas().unwrap();
        let level = mean_level(&img);
        assert!(
            level > 20.0,
            "a black frame at {:?} ({frame:?}): mean level {level:.1}",
            now.wall
        );
        if frame.slide == Some(1) && frame.transition.is_none() {
            if let Some(n) = player.renderer().video_frame_number(1) {
                numbers.push((n, reloaded));
            }
        }
        std::thread::sleep(Duration::from_millis(16));
    }
    drop(dir);
    numbers.dedup_by_key(|(n, _)| *n);
    assert!(numbers.len() > 15, "the clip played: {numbers:?}");
    assert!(
        numbers.windows(2).all(|w| w[0].0 < w[1].0),
        "frames in order, through the reload: {numbers:?}"
    );
    assert!(
        numbers.iter().any(|(_, after)| *after),
        "frames after the reload: {numbers:?}"
    );
    assert!(numbers.iter().all(|(n, _)| *n < 60), "{numbers:?}");
}

proptest! {
    // 96 in every test run; SIGNAGE_FUZZ_CASES=5000 for a longer run.
    #![proptest_config(ProptestConfig::with_cases(fuzz::cases()))]

    /// Whatever a damaged clip holds, probing it and decoding it end in a frame or a problem
    /// reported, never a panic (a crash of the decoder would end the test binary).
    #[test]
    fn a_damaged_clip_is_refused_or_played_never_a_panic(m in fuzz::mutation()) {
        let clip = clips::h264("fuzz-160x48.mp4", (160, 48), 10, 1.0, "high", 3);
        let bytes = m.apply(&std::fs::read(&clip).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.mp4");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(probed) = signage::share::clip::probe(&path) {
            prop_assert!(probed.info.width <= 4096 && probed.info.height <= 4096);
            let video = signage::model::playlist::VideoFile {
                path: path.clone(),
                stamp: None,
                clip: probed.info,
            };
            // A frame, or a problem to log; the slide then shows its background.
            let _ = signage::layout::video::frame_due(&video, true, 500, Color::BLACK);
        }
    }
}

#[test]
fn a_clip_alone_on_the_wall_plays_on_into_its_next_lap_without_a_seam() {
    use signage::player::Player;
    use signage::render::Renderer;
    use signage::rules::playhead::Moment;

    // One video slide, as long as its 1 s clip: the slide plays again right after itself.
    let clip = clips::h264("alone-320x80.mp4", (320, 80), 30, 1.0, "high", 3);
    let (_dir, path) = folder(&[&clip], &clip_alone(&clip, (320, 80)));
    let gpu = common::gpu();
    let playlist = load(&path);
    let renderer = Renderer::new(&gpu, Fonts::BundledOnly, &playlist);
    let (wall0, mono0) = (at(200), Instant::now());
    let moment = |elapsed: Duration| Moment {
        wall: wall0 + chrono::Duration::from_std(elapsed).unwrap(),
        mono: mono0 + elapsed,
    };
    let mut player = Player::new(renderer, playlist, None, 60.0, moment(Duration::ZERO));
    player.warm_up(moment(Duration::ZERO), Duration::from_secs(5));
    let mut numbers: Vec<u64> = Vec::new();
    while mono0.elapsed() < Duration::from_millis(2300) {
        let now = moment(mono0.elapsed());
        let frame = player.begin_frame(now);
        player.draw(&frame, None, now);
        if let Some(n) = player.renderer().video_frame_number(0) {
            if numbers.last() != Some(&n) {
                numbers.push(n);
            }
        }
        std::thread::sleep(Duration::from_millis(8));
    }
    assert!(
        numbers.windows(2).all(|w| w[0] < w[1]),
        "never back to the start: {numbers:?}"
    );
    // The laps' frames follow each other, numbered on from the decoder's next lap: a restart
    // would number from 0 again, and wait for its first frame.
    assert!(
        numbers.iter().any(|n| *n >= 60),
        "the third lap came: {numbers:?}"
    );
}

#[test]
fn a_clip_alone_in_motion_asks_for_one_draw_per_frame_of_its_own() {
    use signage::player::Player;
    use signage::render::Renderer;
    use signage::rules::playhead::Moment;

    // 10 frames a second, no ticker: nothing moves at the refresh rate.
    let clip = clips::h264("rate-320x80.mp4", (320, 80), 10, 2.0, "high", 0);
    let (_dir, path) = folder(&[&clip], &clip_alone(&clip, (320, 80)));
    let gpu = common::gpu();
    let playlist = load(&path);
    let renderer = Renderer::new(&gpu, Fonts::BundledOnly, &playlist);
    let mono0 = Instant::now();
    let moment = |ms: u64| Moment {
        wall: at(ms as i64),
        mono: mono0 + Duration::from_millis(ms),
    };
    let mut player = Player::new(renderer, playlist, None, 60.0, moment(0));
    player.warm_up(moment(0), Duration::from_secs(5));
    let frame = player.begin_frame(moment(0));
    player.draw(&frame, None, moment(0));
    assert_eq!(player.renderer().video_frame_number(0), Some(0));
    assert!(
        !player.moving_each_refresh(),
        "nothing asks for every refresh"
    );
    assert!(player.moving(), "but the wall is not still");

    // 30 ms in, frame 0 is still the one due: no draw, and the next look at 100 ms.
    let asked = |player: &mut Player, ms| {
        let frame = player.peek(moment(ms));
        player.clip_due(&frame).expect("the clip plays")
    };
    let due = asked(&mut player, 30);
    assert!(!due.draw);
    assert_eq!(due.wake_in, Duration::from_millis(70));
    // At 100 ms frame 1 is due: a draw once it is decoded (the decoder runs in real time).
    let started = Instant::now();
    while !asked(&mut player, 100).draw {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "frame 1 decoded"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    let frame = player.begin_frame(moment(100));
    player.draw(&frame, None, moment(100));
    assert_eq!(player.renderer().video_frame_number(0), Some(1));
    let due = asked(&mut player, 150);
    assert!(!due.draw, "frame 1 is on the wall until 200 ms");
    assert_eq!(due.wake_in, Duration::from_millis(50));
}
