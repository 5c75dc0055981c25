//! Clips in a real window under Xvfb: a clip fades in and out on the wall with no black frame
//! on screen, and the preview's keys (pause, next) work on a clip slide.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{clips, xvfb};
use image::RgbaImage;
use xvfb::{count_near, keysym, Display};

/// A folder holding a 320x80 two-second clip (`clip.mp4`) and a playlist of `slides` on a
/// 320x80 canvas without a ticker, each coming in by `transition` and lasting `duration`.
fn folder_with_clip(transition: &str, duration: &str, slides: &str) -> (tempfile::TempDir, String) {
    let clip = clips::h264("window-320x80.mp4", (320, 80), 30, 2.0, "high", 3);
    let toml = format!(
        "[display]\nwidth = 320\nheight = 80\n[ticker]\nenabled = false\n\
         [defaults]\ntransition = \"{transition}\"\nduration = \"{duration}\"\n{slides}"
    );
    let (dir, path) = clips::folder(&[], &toml);
    std::fs::copy(&clip, dir.path().join("clip.mp4")).unwrap();
    (dir, path.to_string_lossy().into_owned())
}

/// The share of `rect`'s pixels that are black (the root window, or a slide with nothing on it).
fn black_share(shot: &RgbaImage, rect: (u32, u32, u32, u32)) -> f64 {
    count_near(shot, rect, [0, 0, 0], 12) as f64 / f64::from(rect.2 * rect.3)
}

/// The clip, then a green slide "B".
const CLIP_THEN_B: &str = r##"
[[slides]]
video = "clip.mp4"
[[slides]]
title = "B"
background = "#20a040"
"##;

const BLUE: [u8; 3] = [0x20, 0x50, 0xc0];
const GREEN: [u8; 3] = [0x20, 0xa0, 0x40];

#[test]
fn on_the_wall_a_clip_fades_in_and_out_with_no_black_frame() {
    let (_dir, playlist) = folder_with_clip(
        "fade",
        "2s",
        &format!("[[slides]]\ntitle = \"A\"\nbackground = \"#2050c0\"\n{CLIP_THEN_B}"),
    );
    let display = Display::start(176);
    let mut player = display.player(&["play", &playlist, "--region", "100,50,320x80"]);
    let region = (100, 50, 320, 80);
    display.wait_for(Duration::from_secs(20), "the wall lit", |s| {
        black_share(s, region) < 0.05
    });
    // Two whole cycles of A → clip → B (6 s each), each transition a half-second fade:
    // screenshots as fast as xwd takes them, none of them black, the clip seen moving.
    let (mut clip_shots, mut darkest, mut shots) = (Vec::new(), 0.0f64, 0);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(12) {
        let shot = display.screenshot();
        shots += 1;
        let black = black_share(&shot, region);
        if black > darkest {
            darkest = black;
            let _ = shot
                .save(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/clip-window-darkest.png"));
        }
        let solid = count_near(&shot, region, BLUE, 3) + count_near(&shot, region, GREEN, 3);
        if solid < 320 * 80 / 10 {
            clip_shots.push(image::imageops::crop_imm(&shot, 100, 50, 320, 80).to_image());
        }
    }
    assert!(
        darkest < 0.05,
        "a frame on the wall was {:.0} % black (of {shots} screenshots; the darkest is target/clip-window-darkest.png)",
        darkest * 100.0
    );
    assert!(
        clip_shots.len() >= 4,
        "the clip was on the wall in {} of {shots} screenshots",
        clip_shots.len()
    );
    let different = clip_shots.windows(2).filter(|w| w[0] != w[1]).count();
    assert!(different >= 2, "the clip moves on the wall");
    player.terminate(Duration::from_secs(5));
}

/// The window's rectangle: the pixels that are not the black root.
fn window_of(shot: &RgbaImage) -> (u32, u32, u32, u32) {
    let lit = |x: u32, y: u32| shot.get_pixel(x, y).0[..3].iter().any(|c| *c > 12);
    let rows: Vec<u32> = (0..shot.height())
        .filter(|&y| (0..shot.width()).step_by(4).any(|x| lit(x, y)))
        .collect();
    let cols: Vec<u32> = (0..shot.width())
        .filter(|&x| (0..shot.height()).step_by(4).any(|y| lit(x, y)))
        .collect();
    let (top, bottom) = (rows[0], *rows.last().unwrap());
    let (left, right) = (cols[0], *cols.last().unwrap());
    (left, top, right - left + 1, bottom - top + 1)
}

#[test]
fn preview_keys_pause_and_skip_a_clip() {
    let (_dir, playlist) = folder_with_clip("cut", "1h", CLIP_THEN_B);
    let display = Display::start(177);
    let mut player = display.player(&["play", &playlist, "--window"]);
    let shot = display.wait_for(Duration::from_secs(20), "preview", |s| {
        black_share(s, (0, 0, 1024, 600)) < 0.99
    });
    // Give the window a moment to settle, then find it.
    std::thread::sleep(Duration::from_millis(500));
    let _ = shot;
    let window = window_of(&display.screenshot());
    let (x, y) = (
        (window.0 + window.2 / 2) as i16,
        (window.1 + window.3 / 2) as i16,
    );
    let area = move |s: &RgbaImage| {
        image::imageops::crop_imm(s, window.0, window.1, window.2, window.3).to_image()
    };
    let on_b =
        move |s: &RgbaImage| count_near(s, window, GREEN, 3) > (window.2 * window.3 / 2) as usize;
    // Each slide lasts an hour: start from the clip.
    if on_b(&display.screenshot()) {
        display.type_chord(x, y, &[keysym::RIGHT]);
        display.wait_for(Duration::from_secs(5), "the clip", move |s| !on_b(s));
    }
    // Playing: the picture changes.
    let first = area(&display.screenshot());
    display.wait_for(Duration::from_secs(5), "the clip moving", move |s| {
        area(s) != first
    });

    // Space pauses the clip with the rest: the PAUSED line shows, and the frame stands still.
    display.type_chord(x, y, &[keysym::SPACE]);
    std::thread::sleep(Duration::from_millis(500));
    let paused = area(&display.screenshot());
    std::thread::sleep(Duration::from_millis(400));
    assert!(
        area(&display.screenshot()) == paused,
        "paused: the clip's frame stands still"
    );
    // Space resumes it.
    display.type_chord(x, y, &[keysym::SPACE]);
    display.wait_for(Duration::from_secs(5), "the clip playing again", move |s| {
        area(s) != paused
    });

    // → goes on to the next slide.
    display.type_chord(x, y, &[keysym::RIGHT]);
    display.wait_for(Duration::from_secs(5), "the next slide", on_b);
    display.type_chord(x, y, &[keysym::Q]);
    let (status, stderr) = player.terminate_or_wait(Duration::from_secs(3));
    assert!(status.is_some_and(|s| s.success()), "Q quits:\n{stderr}");
}
