//! The player on Wayland, as on a Linux desktop without X: a headless Weston shows what the wall
//! would, the ticker moves, and the player waits for the compositor's frame callbacks instead
//! of spinning while it holds a redraw back; a region, which Wayland cannot place, is warned of;
//! and a blanked screen, which sends no frame callbacks, is not taken for a frozen player.

mod common;

use common::{status, wall, weston, xvfb};

use std::time::{Duration, Instant};

use wall::{write_playlist, ONE_SLIDE, SLIDE_BG, TICKER_BG};
use weston::Compositor;
use xvfb::{count_near, stats_number};

#[test]
fn on_wayland_the_wall_is_drawn_the_ticker_moves_and_the_player_does_not_spin() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let compositor = Compositor::start(640, 160);
    let started = Instant::now();
    let mut player = compositor.player(&["play", &playlist, "--fullscreen", "--stats"]);
    let shot = compositor.wait_for(Duration::from_secs(20), "the slide", |s| {
        count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 120 / 2
    });
    let white = count_near(&shot, (0, 0, 640, 120), [255, 255, 255], 10);
    assert!(white > 1000, "title text drawn: {white} white pixels");
    assert!(
        count_near(&shot, (0, 120, 640, 40), TICKER_BG, 2) > 640 * 40 / 3,
        "ticker band"
    );
    let band = |s: &image::RgbaImage| image::imageops::crop_imm(s, 0, 120, 640, 40).to_image();
    compositor.wait_for(Duration::from_secs(5), "the ticker moving", |s| {
        band(s) != band(&shot)
    });

    // A whole stats window (5 s) while the ticker moves.
    std::thread::sleep(Duration::from_secs(7).saturating_sub(started.elapsed()));
    let (status, stderr) = player.terminate(Duration::from_secs(5));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains("stats: "))
        .unwrap_or_else(|| panic!("no stats line:\n{stderr}"));
    let (frames, wakeups) = (
        stats_number(line, "stats: "),
        stats_number(line, "wakeups "),
    );
    // Drawing, and a few wakeups per frame: a loop that does not wait for the frame callback
    // wakes tens of thousands of times in 5 s (it did, at 88 % of a core).
    assert!(frames > 50, "{line}");
    assert!(wakeups < frames * 10 + 200, "the event loop spins: {line}");

    // A region cannot be placed on Wayland: the operator is told so, and what to do.
    let mut player = compositor.player(&["play", &playlist, "--region", "0,0,640x160"]);
    compositor.wait_for(Duration::from_secs(20), "the region's slide", |s| {
        count_near(s, (0, 0, 640, 160), SLIDE_BG, 2) > 1000
    });
    let (_, stderr) = player.terminate(Duration::from_secs(5));
    assert!(
        stderr.contains("on Wayland a window cannot place itself")
            && stderr.contains("use an X11 session, or --fullscreen"),
        "{stderr}"
    );
}

#[test]
fn a_blanked_wayland_screen_is_not_taken_for_a_frozen_player() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let status_file = dir.path().join("status.json");
    let status = status_file.to_str().unwrap();
    // The output blanks after 2 s; from then on the compositor asks for no frames.
    let compositor = Compositor::start_blanking_after(640, 160, 2);
    let mut player = compositor.player(&[
        "play",
        &playlist,
        "--fullscreen",
        "--supervise",
        "--status",
        status,
    ]);
    let limit = Duration::from_secs(30);
    let drawn = status::wait_for_status(&status_file, limit, "frames", |json| json.frames > 0);
    let blanked = status::wait_for_status(&status_file, limit, "the blank", |json| {
        json.fps == Some(0.0) && !json.moving
    });
    // Longer than the watchdog waits for frames from a picture that should move (8 s).
    std::thread::sleep(Duration::from_secs(10));
    let later = status::wait_for_status(&status_file, limit, "a fresh status", |json| {
        json.written_at != blanked.written_at
    });
    let (_, stderr) = player.terminate(Duration::from_secs(10));
    assert!(!stderr.contains("frozen?"), "restarted:\n{stderr}");
    assert_eq!(
        later.pid, drawn.pid,
        "the same player throughout:\n{stderr}"
    );
    assert_eq!(later.frames, blanked.frames, "no frames while blank");
}
