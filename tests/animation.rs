//! Animated GIF, WebP and PNG given as `image`: probed for their frames and delays, played
//! frame by frame at those delays (rendered offscreen on lavapipe), composed over the slide's
//! background where transparent; a still GIF stays a picture, a cut-off one is refused.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::clips::{self, at, folder, load};
use common::fuzz;
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, Rgba, RgbaImage};
use proptest::prelude::*;
use signage::layout::video::ClipStream;
use signage::model::playlist::{ClipKind, Color, Content, Playlist};
use signage::render::{still, Fonts};
use signage::rules::timeline::Timeline;

/// A folder holding `picture` and a playlist showing it alone on a 320x80 canvas.
fn alone(picture: &Path, extra: &str) -> (tempfile::TempDir, PathBuf) {
    let name = picture.file_name().unwrap().to_string_lossy();
    let toml = format!(
        "[display]\nwidth = 320\nheight = 80\n[ticker]\nenabled = false\n[[slides]]\nimage = \"{name}\"\nduration = \"10s\"\n{extra}"
    );
    folder(&[picture], &toml)
}

/// The frames of an animated picture as the image crate composes them.
fn frames_of(path: &Path) -> Vec<RgbaImage> {
    signage::share::animation::frames(path)
        .unwrap()
        .map(|f| f.unwrap().into_buffer())
        .collect()
}

/// What the player shows `ms` into the playlist.
fn shown_at(playlist: &Playlist, ms: i64) -> RgbaImage {
    let gpu = common::gpu();
    let mut renderer = still::renderer(&gpu, playlist, Fonts::BundledOnly);
    let mut timeline = Timeline::new(playlist.clone());
    still::frame_at(&mut renderer, &mut timeline, at(ms)).unwrap()
}

/// Frame by frame, small steps: anything but the frame due is far off.
const TOLERANCE: common::Tolerance = common::Tolerance {
    channel: 3,
    fraction: 0.001,
};

#[test]
fn gif_webp_and_apng_play_each_frame_at_its_time() {
    for picture in &made_animations() {
        let (_dir, path) = alone(picture, "");
        let playlist = load(&path);
        let Content::Video { video, .. } = &playlist.slides[0].content else {
            panic!("{} plays as an animation", picture.display());
        };
        assert_eq!(video.clip.kind, ClipKind::Animation);
        assert_eq!(video.clip.frames, 10, "{}", picture.display());
        assert_eq!(video.clip.length_ms, 1000, "{}", picture.display());
        assert_eq!(
            playlist.slides[0].duration_ms, 10_000,
            "an animated picture's slide lasts as long as it says, the animation looping"
        );
        let expected = frames_of(&path.with_file_name(picture.file_name().unwrap()));
        // Frame 5 at 0.5 s; frame 2 again in the second lap, 1.25 s.
        for (ms, n) in [(50, 0), (550, 5), (1250, 2), (9950, 9)] {
            let actual = shown_at(&playlist, ms);
            if let Err(e) = common::compare(&expected[n], &actual, TOLERANCE) {
                let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden-failures");
                std::fs::create_dir_all(&out).unwrap();
                let name = picture.file_name().unwrap().to_string_lossy();
                actual
                    .save(out.join(format!("{name}-{ms}-actual.png")))
                    .unwrap();
                panic!("{name} at {ms} ms: {e} (written to {})", out.display());
            }
            let other = &expected[(n + 1) % 10];
            assert!(
                common::compare(other, &actual, TOLERANCE).is_err(),
                "{} at {ms} ms also matches frame {}",
                picture.display(),
                (n + 1) % 10
            );
        }
    }
}

/// A GIF of `colours`, each frame whole in that colour for `delay_ms`, with a transparent
/// hole in the middle.
fn gif(path: &Path, colours: &[[u8; 3]], delay_ms: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = GifEncoder::new(file);
    encoder.set_repeat(Repeat::Infinite).unwrap();
    let frames = colours.iter().map(|c| {
        let img = RgbaImage::from_fn(32, 8, |x, y| {
            match (12..20).contains(&x) && (2..6).contains(&y) {
                true => Rgba([0, 0, 0, 0]),
                false => Rgba([c[0], c[1], c[2], 255]),
            }
        });
        Frame::from_parts(img, 0, 0, Delay::from_numer_denom_ms(delay_ms, 1))
    });
    encoder.encode_frames(frames).unwrap();
}

#[test]
fn delays_transparency_and_a_still_gif() {
    let dir = tempfile::tempdir().unwrap();
    let colours = [[255, 0, 0], [0, 255, 0], [0, 0, 255]];

    // Frames of no delay show for 100 ms each, as in browsers.
    let fast = dir.path().join("fast.gif");
    gif(&fast, &colours, 0);
    let (_d, path) = alone(&fast, "background = \"#ffff00\"\nfit = \"stretch\"\n");
    let playlist = load(&path);
    let Content::Video { video, .. } = &playlist.slides[0].content else {
        panic!("an animated GIF plays");
    };
    assert_eq!(video.clip.length_ms, 300);
    let pixel = |ms: i64, x: u32, y: u32| *shown_at(&playlist, ms).get_pixel(x, y);
    assert_eq!(
        pixel(150, 5, 5).0[..3],
        [0, 255, 0],
        "the second frame at 150 ms"
    );
    assert_eq!(pixel(250, 5, 5).0[..3], [0, 0, 255], "the third at 250 ms");
    assert_eq!(
        pixel(350, 5, 5).0[..3],
        [255, 0, 0],
        "the first again at 350 ms"
    );
    // The transparent hole shows the slide's background.
    assert_eq!(pixel(150, 160, 40).0[..3], [255, 255, 0]);

    // On the clip's own thread, frames come in order, numbered across laps.
    let mut stream = ClipStream::start(video, true, 1000, Color::BLACK);
    let started = Instant::now();
    let mut shown = Vec::new();
    while shown.len() < 6 && started.elapsed() < Duration::from_secs(10) {
        let due = shown.len() as u64;
        match stream.take_due(due) {
            Some(f) => {
                assert_eq!(f.y[0], [255, 0, 0][due as usize % 3], "frame {due}'s red");
                shown.push(f.number);
                stream.give_back(f);
            }
            None => std::thread::sleep(Duration::from_millis(2)),
        }
    }
    assert_eq!(shown, vec![0, 1, 2, 3, 4, 5]);

    // `loop = false` holds the last frame.
    let (_d, path) = alone(&fast, "loop = false\n");
    let held = load(&path);
    assert_eq!(shown_at(&held, 5000).get_pixel(5, 5).0[..3], [0, 0, 255]);

    // A GIF of one frame is a picture.
    let still = dir.path().join("still.gif");
    gif(&still, &colours[..1], 500);
    let (_d, path) = alone(&still, "");
    assert!(matches!(
        load(&path).slides[0].content,
        Content::Image { .. }
    ));

    // Cut off mid-copy: refused as incomplete at the `image` key, like any picture.
    let bytes = std::fs::read(&fast).unwrap();
    let cut = dir.path().join("cut.gif");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let (_d, path) = alone(&cut, "");
    let loaded = signage::loader::load(&path);
    assert!(!loaded.is_clean());
    let report = loaded.report.to_string();
    assert!(
        report.contains("playlist.toml:7:9") && report.contains("\"cut.gif\" is an incomplete GIF"),
        "{report}"
    );
}

/// The three animated pictures the tests use, made by ffmpeg once.
fn made_animations() -> [PathBuf; 3] {
    let source = [
        "-f",
        "lavfi",
        "-i",
        "testsrc2=size=320x80:rate=10:duration=1",
    ];
    [
        clips::made("anim.gif", &[&source[..], &["-f", "gif"]].concat()),
        clips::made(
            "anim.png",
            &[&source[..], &["-plays", "0", "-f", "apng"]].concat(),
        ),
        clips::made(
            "anim.webp",
            &[
                &source[..],
                &["-c:v", "libwebp", "-lossless", "1", "-loop", "0"],
            ]
            .concat(),
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(fuzz::cases()))]

    /// Whatever a damaged animated picture holds, probing it and decoding its frames end in
    /// frames or a problem reported, never a panic.
    #[test]
    fn a_damaged_animation_is_refused_or_played_never_a_panic(m in fuzz::mutation(), which in 0usize..3) {
        let original = &made_animations()[which];
        let bytes = m.apply(&std::fs::read(original).unwrap());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(original.file_name().unwrap());
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(Some(animation)) = signage::share::animation::probe(&path) {
            prop_assert!(animation.times_us.len() >= 2);
            prop_assert!(animation.times_us.windows(2).all(|w| w[0] < w[1]));
            if let Ok(frames) = signage::share::animation::frames(&path) {
                for frame in frames.take(20) {
                    let _ = frame;
                }
            }
        }
    }
}
