//! The player in a real window under Xvfb: placed exactly, drawing, moving, changing slides,
//! and stopping cleanly on SIGTERM.

#[path = "common/xvfb.rs"]
mod xvfb;

use std::path::Path;
use std::time::{Duration, Instant};

use xvfb::{count_near, keysym, Display};

const SLIDE_BG: [u8; 3] = [0x20, 0x50, 0xc0];
const TICKER_BG: [u8; 3] = [0xb0, 0x00, 0x00];

fn write_playlist(dir: &Path, slides: &str) -> String {
    let path = dir.join("playlist.toml");
    let toml = format!(
        r##"
[display]
width = 640
height = 160
background = "#000000"
[ticker]
text = "富强 民主 文明 和谐 ABC"
height = 40
font_size = 28
background = "#b00000"
color = "#ffd700"
speed = 120
{slides}
"##
    );
    std::fs::write(&path, toml).unwrap();
    path.to_string_lossy().into_owned()
}

const ONE_SLIDE: &str = r##"
[[slides]]
title = "文明出行 Civilised"
title_size = 48
color = "#ffffff"
background = "#2050c0"
"##;

#[test]
fn region_mode_draws_exactly_in_the_rectangle_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(171);
    let saver_before = screen_saver_timeout(&display);
    let mut player = display.player(&["play", &playlist, "--region", "100,50,640x160"]);
    // The slide area is 640x120 at (100, 50); the ticker band 640x40 below it.
    let shot = display.wait_for(Duration::from_secs(20), "region slide", |s| {
        count_near(s, (100, 50, 640, 120), SLIDE_BG, 2) > 640 * 120 / 2
    });
    assert_eq!(
        screen_saver_timeout(&display),
        0,
        "the screen saver is off while the wall plays"
    );
    let white = count_near(&shot, (100, 50, 640, 120), [255, 255, 255], 10);
    assert!(white > 1000, "title text drawn: {white} white pixels");
    assert!(
        count_near(&shot, (100, 170, 640, 40), TICKER_BG, 2) > 640 * 40 / 3,
        "ticker band"
    );
    // Exactly the rectangle: its corners are inside, the pixels just outside are the black root.
    for (x, y) in [(100, 50), (739, 50), (100, 169)] {
        assert_eq!(
            count_near(&shot, (x, y, 1, 1), SLIDE_BG, 2),
            1,
            "({x},{y}) is slide"
        );
    }
    for (x, y) in [
        (99, 50),
        (740, 50),
        (100, 49),
        (100, 210),
        (0, 0),
        (900, 400),
    ] {
        assert_eq!(
            count_near(&shot, (x, y, 1, 1), [0, 0, 0], 0),
            1,
            "({x},{y}) is outside"
        );
    }
    // The ticker moves between two screenshots.
    let band = |s: &image::RgbaImage| image::imageops::crop_imm(s, 100, 170, 640, 40).to_image();
    let before = band(&shot);
    std::thread::sleep(Duration::from_millis(400));
    let after = band(&display.screenshot());
    assert_ne!(before, after, "the ticker moved");

    let started = Instant::now();
    let (status, stderr) = player.terminate(Duration::from_secs(2));
    let status =
        status.unwrap_or_else(|| panic!("did not stop within 2 s after SIGTERM:\n{stderr}"));
    assert!(
        status.success(),
        "exit 0 on SIGTERM, got {status}:\n{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(
        screen_saver_timeout(&display),
        saver_before,
        "and restored afterwards"
    );
}

fn screen_saver_timeout(display: &Display) -> u16 {
    use x11rb::protocol::xproto::ConnectionExt;
    let (conn, _) = x11rb::connect(Some(&display.name)).expect("connect to Xvfb");
    conn.get_screen_saver().unwrap().reply().unwrap().timeout
}

#[test]
fn preview_window_shows_the_canvas() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(172);
    let mut player = display.player(&["play", &playlist, "--window"]);
    let shot = display.wait_for(Duration::from_secs(20), "preview window", |s| {
        count_near(s, (0, 0, 1024, 600), SLIDE_BG, 2) > 640 * 120 / 2
    });
    assert!(
        count_near(&shot, (0, 0, 1024, 600), TICKER_BG, 2) > 640 * 40 / 3,
        "ticker band"
    );
    let (status, stderr) = player.terminate(Duration::from_secs(2));
    assert!(status.is_some_and(|s| s.success()), "clean exit:\n{stderr}");
}

#[test]
fn slides_change_after_their_duration() {
    let dir = tempfile::tempdir().unwrap();
    let slides = two_slides("1s");

    let playlist = write_playlist(dir.path(), &slides);
    let display = Display::start(173);
    let mut player = display.player(&["play", &playlist, "--region", "0,0,640x160"]);
    let green = [0x20, 0xa0, 0x40];
    let is = |c: [u8; 3]| {
        move |s: &image::RgbaImage| count_near(s, (0, 0, 640, 120), c, 2) > 640 * 120 / 2
    };
    // Whichever shows first, the other follows within its 1 s duration, and then back again.
    display.wait_for(Duration::from_secs(20), "slide A", is(SLIDE_BG));
    display.wait_for(Duration::from_secs(3), "slide B after A", is(green));
    display.wait_for(Duration::from_secs(3), "slide A after B", is(SLIDE_BG));
    let (status, _) = player.terminate(Duration::from_secs(2));
    assert!(status.is_some_and(|s| s.success()));
}

#[test]
fn an_edit_reaches_the_screen_and_a_broken_edit_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(174);
    let status_file = dir.path().join("status.json");
    let status_arg = status_file.to_string_lossy().into_owned();
    let mut player = display.player(&[
        "play",
        &playlist,
        "--region",
        "0,0,640x160",
        "--settle",
        "200",
        "--status",
        &status_arg,
    ]);
    let blue = |s: &image::RgbaImage| count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 120 / 2;
    display.wait_for(Duration::from_secs(20), "first playlist", blue);

    // An editor saves via a temp file and rename; the new colour is on the wall within seconds.
    let orange = [0xe0, 0x80, 0x10];
    let tmp = dir.path().join("playlist.toml.tmp");
    std::fs::write(
        &tmp,
        std::fs::read_to_string(&playlist)
            .unwrap()
            .replace("#2050c0", "#e08010"),
    )
    .unwrap();
    std::fs::rename(&tmp, &playlist).unwrap();
    let is_orange =
        move |s: &image::RgbaImage| count_near(s, (0, 0, 640, 120), orange, 2) > 640 * 120 / 2;
    display.wait_for(Duration::from_secs(5), "edited colour", is_orange);

    // A broken edit: the wall keeps the last good playlist and shows no error on it.
    std::fs::write(&playlist, "[display\nwidth = ").unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let shot = display.screenshot();
    assert!(is_orange(&shot), "still the last good playlist");
    assert_eq!(
        count_near(&shot, (0, 0, 640, 30), [0, 0, 0], 30),
        0,
        "no error banner on the wall"
    );
    // The status file tells a remote monitor what happened and what is playing.
    let deadline = Instant::now() + Duration::from_secs(8);
    let json = loop {
        let json: serde_json::Value = std::fs::read_to_string(&status_file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        if json["fps"].as_f64().is_some_and(|f| f > 10.0) || Instant::now() > deadline {
            break json;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(json["last_reload"]["result"], "rejected", "{json}");
    assert_eq!(json["current_slide"], "slide 1", "{json}");
    assert!(
        json["fps"].as_f64().is_some_and(|f| f > 10.0),
        "frames are counted: {json}"
    );
    let (status, stderr) = player.terminate(Duration::from_secs(2));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    assert!(
        stderr.contains("was not accepted"),
        "the error is logged:\n{stderr}"
    );
}

/// Two slides, A blue and B green, each lasting `duration`, cutting between them.
fn two_slides(duration: &str) -> String {
    format!(
        r##"
[defaults]
transition = "cut"
duration = "{duration}"
[[slides]]
title = "A"
background = "#2050c0"
[[slides]]
title = "B"
background = "#20a040"
"##
    )
}

fn ticker_band(s: &image::RgbaImage, y: u32) -> image::RgbaImage {
    image::imageops::crop_imm(s, 0, y, 640, 40).to_image()
}

#[test]
fn preview_keys_pause_skip_and_quit() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), &two_slides("1h"));
    let display = Display::start(175);
    let mut player = display.player(&["play", &playlist, "--window"]);
    let green = [0x20, 0xa0, 0x40];
    let either = |s: &image::RgbaImage| {
        count_near(s, (0, 0, 1024, 600), SLIDE_BG, 2) > 30_000
            || count_near(s, (0, 0, 1024, 600), green, 2) > 30_000
    };
    let shot = display.wait_for(Duration::from_secs(20), "preview", either);
    let blue_first = count_near(&shot, (0, 0, 1024, 600), SLIDE_BG, 2) > 30_000;
    // Find the window: the rows where the slide colour is.
    let first = if blue_first { SLIDE_BG } else { green };
    let top = (0..600)
        .find(|&y| count_near(&shot, (0, y, 1024, 1), first, 2) > 100)
        .unwrap();
    let (x, y) = (50, top as i16 + 20);
    let band_y = top + 120;

    // → skips to the other slide (each lasts an hour, so nothing else would change it).
    display.type_chord(x, y, &[keysym::RIGHT]);
    let other = if blue_first { green } else { SLIDE_BG };
    display.wait_for(Duration::from_secs(5), "next slide", move |s| {
        count_near(s, (0, 0, 1024, 600), other, 2) > 30_000
    });

    // Space pauses: the ticker stops (two screenshots 300 ms apart agree); Space resumes it.
    display.type_chord(x, y, &[keysym::SPACE]);
    let deadline = Instant::now() + Duration::from_secs(5);
    let paused = loop {
        let a = ticker_band(&display.screenshot(), band_y);
        std::thread::sleep(Duration::from_millis(300));
        let b = ticker_band(&display.screenshot(), band_y);
        if a == b {
            break b;
        }
        assert!(
            Instant::now() < deadline,
            "paused: the ticker should stop moving"
        );
    };
    display.type_chord(x, y, &[keysym::SPACE]);
    display.wait_for(Duration::from_secs(5), "resumed ticker", move |s| {
        ticker_band(s, band_y) != paused
    });

    // Q quits the preview cleanly.
    display.type_chord(x, y, &[keysym::Q]);
    let (status, stderr) = player.terminate_or_wait(Duration::from_secs(3));
    assert!(
        status.is_some_and(|s| s.success()),
        "Q quits with exit 0:\n{stderr}"
    );
}

#[test]
fn on_the_wall_only_ctrl_alt_q_quits() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(176);
    let mut player = display.player(&["play", &playlist, "--region", "0,0,640x160"]);
    display.wait_for(Duration::from_secs(20), "wall", |s| {
        count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 60
    });
    display.type_chord(100, 60, &[keysym::Q]);
    display.type_chord(100, 60, &[keysym::ESCAPE]);
    std::thread::sleep(Duration::from_millis(700));
    assert!(
        player.is_running(),
        "a stray Q or Esc must not stop the wall"
    );
    display.type_chord(100, 60, &[keysym::CONTROL_L, keysym::ALT_L, keysym::Q]);
    let (status, stderr) = player.terminate_or_wait(Duration::from_secs(3));
    assert!(
        status.is_some_and(|s| s.success()),
        "Ctrl+Alt+Q quits with exit 0:\n{stderr}"
    );
}
