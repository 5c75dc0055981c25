//! What operators found in the field, under Xvfb with the real program: a share that is never
//! quiet, a playlist named from its own folder, a region without a canvas size, an urgent
//! notice at night, and an editor previewing a wall's playlist.

mod common;

use common::{busy, status, wall, xvfb};

use std::path::Path;
use std::time::{Duration, Instant};

use image::RgbaImage;
use wall::{write_playlist, ONE_SLIDE, SLIDE_BG, TICKER_BG};
use xvfb::{count_near, keysym, Display};

const ORANGE: [u8; 3] = [0xe0, 0x80, 0x10];
const URGENT_RED: [u8; 3] = [0xc0, 0x00, 0x00];

fn slide_is(colour: [u8; 3]) -> impl Fn(&RgbaImage) -> bool {
    move |s| count_near(s, (0, 0, 640, 120), colour, 2) > 640 * 120 / 2
}

/// An editor's save: a temp file renamed over the playlist, the slide turned orange.
fn save_orange(dir: &Path) {
    let playlist = dir.join("playlist.toml");
    let tmp = dir.join("~playlist.toml.tmp");
    let text = std::fs::read_to_string(&playlist).unwrap();
    std::fs::write(&tmp, text.replace("#2050c0", "#e08010")).unwrap();
    std::fs::rename(&tmp, &playlist).unwrap();
}

/// The player started from the playlist's folder with a bare name (as an editor types it),
/// writing its status, report, log and play log into that same folder.
fn play_in_busy_share(display: &Display, dir: &Path, poll: Option<&str>) -> xvfb::Player {
    write_playlist(dir, ONE_SLIDE);
    let mut args = vec![
        "play",
        "playlist.toml",
        "--region",
        "0,0,640x160",
        "--status",
        "wall-0.status.json",
        "--log",
        "wall-0.log",
        "--play-log",
        "plays",
        "--report",
    ];
    if let Some(secs) = poll {
        args.extend(["--poll", secs]);
    }
    display.player_in(dir, &args, &[])
}

#[test]
fn a_busy_share_holds_off_no_edit_and_no_notice_and_the_players_own_files_cause_no_load() {
    let dir = tempfile::tempdir().unwrap();
    let display = Display::start(190);
    let mut player = play_in_busy_share(&display, dir.path(), None);
    display.wait_for(Duration::from_secs(20), "the playlist", slide_is(SLIDE_BG));
    let status = dir.path().join("wall-0.status.json");

    // A minute of the player's own files changing beside the playlist: its status every 5 s,
    // its log, its play log, its report. None of them is a reason to read the playlist again.
    let started = Instant::now();
    let mut writes = 0;
    let mut last = None;
    while started.elapsed() < Duration::from_secs(60) {
        let written = status::read(&status).written_at;
        if last.as_ref() != Some(&written) {
            writes += 1;
            last = Some(written);
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    let json = status::read(&status);
    assert!(
        writes >= 10,
        "the status file was rewritten all along: {writes}"
    );
    assert_eq!(json.load_attempts, 1, "only the first load: {json:?}");
    assert!(dir.path().join("playlist.toml.report.txt").exists());

    // Now other walls and a sync tool write there without a pause, and the editor saves.
    let busy = busy::BusyFolder::start(dir.path());
    save_orange(dir.path());
    let saved = Instant::now();
    display.wait_for(Duration::from_secs(10), "the edit", slide_is(ORANGE));
    let took = saved.elapsed();
    std::fs::write(dir.path().join("urgent.txt"), "停电通知\n").unwrap();
    display.wait_for(Duration::from_secs(10), "the urgent notice", |s| {
        count_near(s, (0, 0, 640, 160), URGENT_RED, 2) > 640 * 160 / 2
    });
    assert!(busy.rounds() > 5, "the share stayed busy");
    eprintln!("busy share: the edit was on the wall {took:?} after the save");
    let (exit, stderr) = player.terminate(Duration::from_secs(3));
    assert!(exit.is_some_and(|s| s.success()), "{stderr}");
}

#[test]
fn a_busy_share_holds_off_no_edit_when_polled() {
    let dir = tempfile::tempdir().unwrap();
    let display = Display::start(191);
    let mut player = play_in_busy_share(&display, dir.path(), Some("1"));
    display.wait_for(Duration::from_secs(20), "the playlist", slide_is(SLIDE_BG));
    let busy = busy::BusyFolder::start(dir.path());
    save_orange(dir.path());
    display.wait_for(Duration::from_secs(10), "the edit", slide_is(ORANGE));
    assert!(busy.rounds() > 5, "the share stayed busy");
    let (exit, stderr) = player.terminate(Duration::from_secs(3));
    assert!(exit.is_some_and(|s| s.success()), "{stderr}");
}

/// Rows of `shot` mostly in the ticker's colour (its text covers the rest).
fn band_rows(shot: &RgbaImage, height: u32) -> u32 {
    (0..height)
        .filter(|&y| count_near(shot, (0, y, 640, 1), TICKER_BG, 2) > 640 / 3)
        .count() as u32
}

#[test]
fn a_region_lays_out_a_playlist_without_a_size_for_its_own_canvas() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = dir.path().join("playlist.toml");
    // No [display] size, no band height: "a fifth of the canvas", at most 64 px.
    std::fs::write(
        &playlist,
        "[ticker]\ntext = \"富强 民主\"\n[[slides]]\ntitle = \"x\"\nbackground = \"#2050c0\"\n",
    )
    .unwrap();
    let display = Display::start(192);
    let mut player = display.player(&[
        "play",
        playlist.to_str().unwrap(),
        "--region",
        "0,0,640x160",
    ]);
    let shot = display.wait_for(Duration::from_secs(20), "the band", |s| {
        count_near(s, (0, 100, 640, 60), TICKER_BG, 2) > 640 * 10
    });
    assert_eq!(band_rows(&shot, 160), 32, "a fifth of 160 px");
    let (exit, stderr) = player.terminate(Duration::from_secs(3));
    assert!(exit.is_some_and(|s| s.success()), "{stderr}");
}

/// Display hours that exclude now: an hour from two hours ahead.
fn hours_not_now() -> String {
    let now = chrono::Local::now().naive_local().time();
    let start = now + chrono::Duration::hours(2);
    let end = start + chrono::Duration::hours(1);
    format!("{}-{}", start.format("%H:%M"), end.format("%H:%M"))
}

#[test]
fn an_urgent_notice_lights_a_dark_wall_unless_it_waits_for_the_display_hours() {
    let dir = tempfile::tempdir().unwrap();
    // The wall's playlist with display hours that are not now.
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    let text = std::fs::read_to_string(&playlist).unwrap().replace(
        "background = \"#000000\"",
        &format!(
            "background = \"#000000\"\non_hours = [\"{}\"]",
            hours_not_now()
        ),
    );
    std::fs::write(&playlist, text).unwrap();
    let status = dir.path().join("status.json");
    let display = Display::start(193);
    let mut player = display.player(&[
        "play",
        &playlist,
        "--region",
        "0,0,640x160",
        "--status",
        status.to_str().unwrap(),
    ]);
    // The first status that says the playlist is loaded already says the wall is dark: a
    // monitoring script must not read "lit" for its first seconds.
    let first = status::wait_for_status(&status, Duration::from_secs(20), "a loaded wall", |j| {
        j.last_reload.result == status::ReloadResult::Ok
    });
    assert!(first.dark, "{first:?}");
    let black = |s: &RgbaImage| count_near(s, (0, 0, 640, 160), [0, 0, 0], 0) == 640 * 160;
    display.wait_for(Duration::from_secs(5), "black", black);

    // An emergency notice lights the wall at night.
    std::fs::write(dir.path().join("urgent.txt"), "停电通知\n").unwrap();
    display.wait_for(Duration::from_secs(10), "the notice at night", |s| {
        count_near(s, (0, 0, 640, 160), URGENT_RED, 2) > 640 * 160 / 2
    });
    let json = status::wait_for_status(&status, Duration::from_secs(10), "lit", |j| {
        !j.dark && j.urgent.as_ref().is_some_and(|u| u.on_wall)
    });
    assert_eq!(json.urgent.unwrap().headline, "停电通知");

    // One that says to wait leaves the wall dark, and the status says so.
    std::fs::remove_file(dir.path().join("urgent.txt")).unwrap();
    std::fs::write(
        dir.path().join("urgent.toml"),
        "title = \"明日停水\"\nwait_for_display_hours = true\n",
    )
    .unwrap();
    status::wait_for_status(&status, Duration::from_secs(10), "waiting", |j| {
        let waiting = j
            .urgent
            .as_ref()
            .is_some_and(|u| u.headline == "明日停水" && !u.on_wall);
        waiting && j.dark
    });
    display.wait_for(Duration::from_secs(5), "black again", black);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8")
        .args(["status", status.to_str().unwrap()])
        .output()
        .unwrap();
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(
        line.contains("the urgent notice \"明日停水\" waits for the display hours"),
        "{line}"
    );
    let (exit, stderr) = player.terminate(Duration::from_secs(3));
    assert!(exit.is_some_and(|s| s.success()), "{stderr}");
    assert!(stderr.contains("it lights the wall"), "{stderr}");
    assert!(stderr.contains("it waits for them"), "{stderr}");
}

#[test]
fn preview_opens_a_window_with_keys_whatever_the_playlists_display_says() {
    let dir = tempfile::tempdir().unwrap();
    let playlist = write_playlist(dir.path(), ONE_SLIDE);
    // The wall's own placement: a borderless window at 100,50 with no keys.
    let text = std::fs::read_to_string(&playlist).unwrap().replace(
        "background = \"#000000\"",
        "background = \"#000000\"\nregion = { x = 100, y = 50 }",
    );
    std::fs::write(&playlist, text).unwrap();
    let display = Display::start(194);

    let mut wall = display.player(&["play", &playlist]);
    display.wait_for(Duration::from_secs(20), "the wall at 100,50", |s| {
        count_near(s, (100, 50, 640, 120), SLIDE_BG, 2) > 640 * 120 / 2
    });
    let (_, stderr) = wall.terminate(Duration::from_secs(3));
    assert!(
        stderr.contains("Ctrl+Alt+Q quits") && stderr.contains("signage preview"),
        "the wall says how to leave it and how to preview: {stderr}"
    );
    display.wait_for(Duration::from_secs(5), "the wall gone", |s| {
        count_near(s, (0, 0, 1024, 600), SLIDE_BG, 2) == 0
    });

    let mut preview = display.player(&["preview", &playlist]);
    let shot = display.wait_for(Duration::from_secs(20), "the preview", |s| {
        count_near(s, (0, 0, 1024, 600), SLIDE_BG, 2) > 640 * 120 / 2
    });
    assert_eq!(
        count_near(&shot, (0, 0, 1, 1), SLIDE_BG, 2),
        1,
        "an ordinary window where the window manager puts it (here 0,0), not at 100,50"
    );
    // Q quits a preview (on the wall only Ctrl+Alt+Q does).
    display.type_chord(50, 20, &[keysym::Q]);
    let (exit, stderr) = preview.terminate_or_wait(Duration::from_secs(3));
    assert!(
        exit.is_some_and(|s| s.success()),
        "Q quits the preview:\n{stderr}"
    );
}
