//! Layouts in a real window under Xvfb: on the eve of the Spring Festival the door sign (a
//! picture beside a clock zone) becomes one greeting across the wall at midnight, and back the
//! night after, with no black or half-drawn frame on screen (`play --from` sets the clock).

mod common;

use std::time::{Duration, Instant};

use common::xvfb::{count_near, Display};
use image::{Rgba, RgbaImage};

const RED: [u8; 3] = [220, 30, 30];
const WHITE: [u8; 3] = [250, 250, 250];
const GREEN: [u8; 3] = [30, 200, 60];

/// 320x80: the main zone (red and white slides, 2 s each) left of a green clock zone, and on
/// the festival day a layout whose main zone is the whole wall.
const DOOR_SIGN: &str = r##"
[display]
width = 320
height = 80
[ticker]
enabled = false
[defaults]
transition = "cut"
fit = "stretch"

[[zones]]
name = "main"
x = 0
y = 0
width = 160
height = 80

[[zones]]
name = "clock"
x = 160
y = 0
width = 160
height = 80

[[layouts]]
name = "spring-festival"
when = { festival = "spring-festival" }
zones = [{ name = "main", x = 0, y = 0, width = 320, height = 80 }]

[[slides]]
image = "red.png"
duration = "2s"
[[slides]]
image = "white.png"
duration = "2s"

[[slides]]
image = "green.png"
zone = "clock"
duration = "1h"
"##;

/// What the right half of the wall shows in `shot`: the clock zone, the main zone, or neither
/// (black, or two things at once: a half-drawn frame).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Right {
    Clock,
    Main,
    Neither,
}

fn right_half(shot: &RgbaImage, region: (u32, u32)) -> Right {
    let rect = (region.0 + 160, region.1, 160, 80);
    let all = 160 * 80;
    let share = |c| count_near(shot, rect, c, 6);
    if share(GREEN) == all {
        Right::Clock
    } else if share(RED) == all || share(WHITE) == all {
        Right::Main
    } else {
        Right::Neither
    }
}

/// Plays from `from` and takes screenshots for `secs`: what the right half showed, in order,
/// each change once.
fn watch(display_number: u32, from: &str, secs: u64) -> Vec<Right> {
    let dir = tempfile::tempdir().unwrap();
    // The clock zone's picture is large, so that preparing it takes a while: a zone that
    // came on before its slide was prepared would show its bare (black) background.
    for (name, c, side) in [("red", RED, 8), ("white", WHITE, 8), ("green", GREEN, 3000)] {
        RgbaImage::from_pixel(side, side, Rgba([c[0], c[1], c[2], 255]))
            .save(dir.path().join(format!("{name}.png")))
            .unwrap();
    }
    let playlist = dir.path().join("playlist.toml");
    std::fs::write(&playlist, DOOR_SIGN).unwrap();
    let display = Display::start(display_number);
    let playlist = playlist.to_string_lossy().into_owned();
    let args = [
        "play",
        &playlist,
        "--region",
        "100,50,320x80",
        "--from",
        from,
    ];
    let mut player = display.player(&args);
    let region = (100, 50);
    display.wait_for(Duration::from_secs(20), "zones-lit", |s| {
        right_half(s, region) != Right::Neither
    });
    let mut seen: Vec<Right> = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(secs) {
        let shot = display.screenshot();
        let right = right_half(&shot, region);
        if right == Right::Neither {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/target/zones-window-neither.png"
            );
            let _ = shot.save(path);
            panic!("a frame on the wall was neither layout: {path}");
        }
        if seen.last() != Some(&right) {
            seen.push(right);
        }
    }
    let (status, log) = player.terminate(Duration::from_secs(5));
    assert!(status.is_some(), "the player did not stop: {log}");
    assert!(log.contains("the layout changes at"), "{log}");
    seen
}

#[test]
fn on_the_festival_eve_the_wall_becomes_one_greeting_at_midnight_and_back_the_night_after() {
    // 2027's Spring Festival is 6 February.
    let into = watch(195, "2027-02-05T23:59:55", 9);
    assert_eq!(
        into,
        [Right::Clock, Right::Main],
        "into the festival layout"
    );
    let back = watch(196, "2027-02-06T23:59:55", 9);
    assert_eq!(back, [Right::Main, Right::Clock], "back to the door sign");
}
