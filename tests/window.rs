//! The player in a real window under Xvfb: placed exactly, drawing, moving, changing slides,
//! and stopping cleanly on SIGTERM.

mod common;

use common::{status, wall, xvfb};

use std::path::Path;
use std::time::{Duration, Instant};

use wall::{write_playlist, ONE_SLIDE, SLIDE_BG, TICKER_BG};
use xvfb::{count_near, keysym, stats_number, Display};

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
    // The ticker moves.
    let band = |s: &image::RgbaImage| image::imageops::crop_imm(s, 100, 170, 640, 40).to_image();
    let before = band(&shot);
    display.wait_for(Duration::from_secs(5), "the ticker moving", |s| {
        band(s) != before
    });

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

    // A broken edit: the wall keeps the last good playlist and shows no error on it. The
    // status file saying "rejected" is the proof that the player looked at the edit.
    std::fs::write(&playlist, "[display\nwidth = ").unwrap();
    let json = wait_for_status(&status_file, "the broken edit rejected", |json| {
        json.last_reload.result == status::ReloadResult::Rejected
            && json.fps.is_some_and(|f| f > 10.0)
    });
    let shot = display.screenshot();
    assert!(is_orange(&shot), "still the last good playlist");
    assert_eq!(
        count_near(&shot, (0, 0, 640, 30), [0, 0, 0], 30),
        0,
        "no error banner on the wall"
    );
    assert_eq!(json.current_slide.as_deref(), Some("slide 1"), "{json:?}");
    assert!(
        json.fps.is_some_and(|f| f > 10.0),
        "frames are counted: {json:?}"
    );
    let (status, stderr) = player.terminate(Duration::from_secs(2));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    assert!(
        stderr.contains("was not accepted"),
        "the error is logged:\n{stderr}"
    );
}

/// Waits (up to 30 s: the status is rewritten every 5 s) for the status file to satisfy
/// `ok`, and returns it.
fn wait_for_status(
    file: &Path,
    what: &str,
    ok: impl Fn(&status::StatusFile) -> bool,
) -> status::StatusFile {
    status::wait_for_status(file, Duration::from_secs(30), what, ok)
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

    // Space pauses: the PAUSED line appears over the top (proof the key was taken), and
    // from then on the ticker stands still; Space resumes it.
    display.type_chord(x, y, &[keysym::SPACE]);
    let top_rows = (0, top, 1024, 20);
    let shot = display.wait_for(Duration::from_secs(5), "the PAUSED line", move |s| {
        count_near(s, top_rows, [255, 255, 255], 60) > 30
    });
    let paused = ticker_band(&shot, band_y);
    // Many frames' worth later (it moves 2 px a frame), the band is the same.
    std::thread::sleep(Duration::from_millis(250));
    assert!(
        ticker_band(&display.screenshot(), band_y) == paused,
        "paused: the ticker stands still"
    );
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
    // The keys reached the player's connection before the chords returned (a round trip);
    // two new frames later it has read them, and it must still be there.
    for _ in 0..2 {
        let band = ticker_band(&display.screenshot(), 120);
        display.wait_for(Duration::from_secs(5), "the wall drawing on", move |s| {
            ticker_band(s, 120) != band
        });
    }
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

#[test]
fn the_supervisor_restarts_a_killed_or_frozen_player() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let status_file = dir.path().join("status.json");
    let status_arg = status_file.to_string_lossy().into_owned();
    let display = Display::start(177);
    let mut supervisor = display.player(&[
        "play",
        &playlist,
        "--region",
        "0,0,640x160",
        "--status",
        &status_arg,
        "--supervise",
    ]);
    let on_wall = |s: &image::RgbaImage| count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 60;
    display.wait_for(Duration::from_secs(20), "the wall", on_wall);
    let playing = |json: &status::StatusFile| json.frames > 0;
    let first = wait_for_status(&status_file, "a player drawing", playing).pid;

    // Killed: a new player within seconds, and the wall shows the playlist again.
    signal(first.into(), "-KILL");
    let is_new = |old: u32| move |json: &status::StatusFile| json.pid != old && playing(json);
    let second = wait_for_status(&status_file, "a restarted player", is_new(first)).pid;
    display.wait_for(Duration::from_secs(10), "the wall after a kill", on_wall);

    // Frozen (alive, but drawing nothing and reporting nothing): restarted too.
    signal(second.into(), "-STOP");
    let frozen_at = Instant::now();
    let pid_changed = move |json: &status::StatusFile| json.pid != second;
    wait_for_status(
        &status_file,
        "a player replacing the frozen one",
        pid_changed,
    );
    let restarted_after = frozen_at.elapsed();
    display.wait_for(Duration::from_secs(10), "the wall after a freeze", on_wall);
    // Noticed after 8 s of silence, restarted 2 s later (the second restart in a row).
    assert!(
        restarted_after < Duration::from_secs(15),
        "{restarted_after:?}"
    );

    let (status, stderr) = supervisor.terminate(Duration::from_secs(5));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    assert!(stderr.contains("the player exited (signal: 9"), "{stderr}");
    assert!(stderr.contains("has not reported for"), "{stderr}");
}

fn signal(pid: u64, which: &str) {
    let ok = std::process::Command::new("kill")
        .args([which, &pid.to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill {which} {pid}");
}

#[test]
fn a_panic_while_drawing_or_preparing_is_contained_and_the_wall_goes_on() {
    for site in ["draw", "prepare"] {
        let dir = tempfile::tempdir().unwrap();
        // A third slide, so that the worker prepares one (the first two are prepared before
        // the first frame).
        let three = format!(
            "{}[[slides]]\ntitle = \"C\"\nbackground = \"#a02020\"\n",
            two_slides("2s")
        );
        let playlist = write_playlist(dir.path(), &three);
        let display = Display::start(178);
        let mut player = display.player_with_env(
            &["play", &playlist, "--region", "0,0,640x160"],
            &[("SIGNAGE_FAULT", site)],
        );
        let green = [0x20, 0xa0, 0x40];
        // Both slides come round (so the panic, at frame 60 or the first slide prepared on
        // the worker, is behind us), and stray signals change nothing.
        display.wait_for(Duration::from_secs(20), "slide A", |s| {
            count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 60
        });
        signal(player.pid().into(), "-USR1");
        signal(player.pid().into(), "-ALRM");
        display.wait_for(Duration::from_secs(10), "slide B", move |s| {
            count_near(s, (0, 0, 640, 120), green, 2) > 640 * 60
        });
        display.wait_for(Duration::from_secs(10), "slide A again", |s| {
            count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 60
        });
        assert!(player.is_running(), "{site}: still playing");
        let (status, stderr) = player.terminate(Duration::from_secs(3));
        assert!(status.is_some_and(|s| s.success()), "{site}: {stderr}");
        assert!(
            stderr.contains("fire drill"),
            "{site}: the panic is logged:\n{stderr}"
        );
        assert!(
            stderr.contains("stack backtrace") || stderr.contains("signage::"),
            "{site}: with a backtrace:\n{stderr}"
        );
        if site == "draw" {
            assert!(stderr.contains("rebuilding the renderer"), "{stderr}");
        }
    }
}

#[test]
fn the_test_pattern_lights_the_regions_outermost_pixels_and_sweeps() {
    let display = Display::start(180);
    let mut player = display.player(&["test-pattern", "--region", "100,50,640x160"]);
    let white = [255, 255, 255];
    let border = |s: &image::RgbaImage| {
        count_near(s, (100, 50, 640, 1), white, 0) == 640
            && count_near(s, (100, 209, 640, 1), white, 0) == 640
            && count_near(s, (100, 50, 1, 160), white, 0) == 160
            && count_near(s, (739, 50, 1, 160), white, 0) == 160
    };
    let shot = display.wait_for(Duration::from_secs(20), "the test pattern", border);
    // Just outside the rectangle: the bare (black) root window on every side.
    for (x, y, w, h) in [
        (100, 49, 640, 1),
        (100, 210, 640, 1),
        (99, 50, 1, 160),
        (740, 50, 1, 160),
    ] {
        assert_eq!(
            count_near(&shot, (x, y, w, h), [0, 0, 0], 0),
            (w * h) as usize,
            "outside at ({x},{y})"
        );
    }
    // The bar sweeps: a full-height white column that moves.
    let bar = |s: &image::RgbaImage| {
        (101..739).find(|&x| count_near(s, (x, 51, 1, 158), white, 0) == 158)
    };
    let first = bar(&shot);
    // A grid line every 32 pixels, one pixel wide (column 320 or 128 of the pattern, wherever
    // the bar is not, row 120).
    let x = if first.is_some_and(|b| b.abs_diff(420) < 3) {
        228
    } else {
        420
    };
    assert_eq!(count_near(&shot, (x, 170, 1, 1), [90, 90, 90], 0), 1);
    assert_eq!(count_near(&shot, (x - 1, 170, 1, 1), [0, 0, 0], 0), 1);
    assert_eq!(count_near(&shot, (x + 1, 170, 1, 1), [0, 0, 0], 0), 1);
    display.wait_for(Duration::from_secs(5), "the bar moving", move |s| {
        let now = bar(s);
        now.is_some() && now != first
    });
    let (status, stderr) = player.terminate(Duration::from_secs(3));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
}

#[test]
fn an_urgent_notice_saved_next_to_the_playlist_takes_over_the_wall_within_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(181);
    let mut player = display.player(&["play", &playlist, "--region", "0,0,640x160"]);
    let slide = |s: &image::RgbaImage| count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 60;
    display.wait_for(Duration::from_secs(20), "the playlist", slide);
    let red = [0xc0, 0x00, 0x00];
    let saved = Instant::now();
    std::fs::write(
        dir.path().join("urgent.txt"),
        "停电通知\n今晚 20:00 至 22:00 停电\n",
    )
    .unwrap();
    // The whole wall, the ticker band too.
    display.wait_for(Duration::from_secs(5), "the urgent notice", move |s| {
        count_near(s, (0, 0, 640, 160), red, 2) > 640 * 160 / 2
    });
    assert!(
        saved.elapsed() < Duration::from_secs(3),
        "{:?}",
        saved.elapsed()
    );
    std::fs::remove_file(dir.path().join("urgent.txt")).unwrap();
    display.wait_for(Duration::from_secs(5), "the playlist again", slide);
    let (status, stderr) = player.terminate(Duration::from_secs(3));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    assert!(
        stderr.contains("urgent notice from") && stderr.contains("the urgent notice ended"),
        "{stderr}"
    );
}

#[test]
fn a_region_of_another_size_shows_the_playlists_canvas_scaled_to_fit() {
    let dir = tempfile::tempdir().unwrap();
    // Laid out for 640x160; the LED card captures 320x80.
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(183);
    let mut player = display.player(&["play", &playlist, "--region", "0,0,320x80"]);
    // Half size: the slide fills the top 60 rows, the ticker band the 20 below; nothing spills.
    let shot = display.wait_for(Duration::from_secs(20), "the scaled wall", |s| {
        count_near(s, (0, 0, 320, 58), SLIDE_BG, 2) > 320 * 58 / 2
    });
    assert!(
        count_near(&shot, (0, 62, 320, 18), TICKER_BG, 2) > 320 * 18 / 3,
        "ticker band"
    );
    assert_eq!(
        count_near(&shot, (320, 0, 200, 80), [0, 0, 0], 0),
        200 * 80,
        "nothing right of it"
    );
    assert_eq!(
        count_near(&shot, (0, 80, 320, 40), [0, 0, 0], 0),
        320 * 40,
        "nothing below it"
    );
    let (status, stderr) = player.terminate(Duration::from_secs(3));
    assert!(status.is_some_and(|s| s.success()), "{stderr}");
    assert!(
        stderr.contains("laid out for a 640x160 canvas, but the region is 320x80"),
        "{stderr}"
    );
}

#[test]
fn while_only_the_ticker_moves_only_its_band_is_presented_and_the_wall_looks_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let display = Display::start(189);
    let slide = |s: &image::RgbaImage| image::imageops::crop_imm(s, 0, 0, 640, 120).to_image();
    let band = |s: &image::RgbaImage| image::imageops::crop_imm(s, 0, 120, 640, 40).to_image();
    let mut shots = Vec::new();
    let mut logs = Vec::new();
    // With the band's own window (the default), then with the whole canvas presented per frame.
    for env in [&[][..], &[("SIGNAGE_BAND_WINDOW", "0")][..]] {
        let args = ["play", &playlist, "--region", "0,0,640x160", "--stats"];
        let mut player = display.player_with_env(&args, env);
        let first = display.wait_for(Duration::from_secs(20), "the slide", |s| {
            count_near(s, (0, 0, 640, 120), SLIDE_BG, 2) > 640 * 120 / 2
        });
        let later = display.wait_for(Duration::from_secs(5), "the ticker moving", |s| {
            band(s) != band(&first)
        });
        assert_eq!(slide(&later), slide(&first), "the slide stands still");
        // One stats line (every 5 s) after the first frames.
        std::thread::sleep(Duration::from_secs(6));
        let (_, stderr) = player.terminate(Duration::from_secs(5));
        shots.push(later);
        logs.push(stderr);
    }
    // The same picture either way: the slide pixel for pixel, and no seam between the slide
    // and the band (its top row is the band's colour or its text, never black).
    assert_eq!(slide(&shots[0]), slide(&shots[1]));
    for shot in &shots {
        let seam = count_near(shot, (0, 120, 640, 1), [0, 0, 0], 8);
        assert_eq!(seam, 0, "no black on the band's top row");
        assert!(count_near(shot, (0, 120, 640, 40), TICKER_BG, 2) > 640 * 40 / 3);
    }
    let band_only = |log: &str| -> (u64, u64) {
        let line = log
            .lines()
            .find(|l| l.contains("stats: "))
            .unwrap_or_else(|| panic!("no stats line:\n{log}"));
        (
            stats_number(line, "band only "),
            stats_number(line, "stats: "),
        )
    };
    let (alone, frames) = band_only(&logs[0]);
    assert!(
        logs[0].contains("the ticker band has a window of its own"),
        "{}",
        logs[0]
    );
    // All but about one frame a second present only the band.
    assert!(
        frames > 100 && alone * 10 > frames * 8,
        "{alone} of {frames} frames band only"
    );
    let (alone, frames) = band_only(&logs[1]);
    assert!(
        frames > 100 && alone == 0,
        "without the band window: {alone} of {frames}"
    );
}
