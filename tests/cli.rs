//! The command line as a user meets it: exit codes, where messages go, the commands' output
//! (`check`, `schedule`, `render`, `status`, `install-service`), and bad arguments. Playlist
//! mistakes and their messages are `check_errors.rs`'s.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::cli::{command_in, signage, signage_in};
use signage::share::status_file::{LastReload, ReloadResult, StatusFile};

#[test]
fn check_command_exits_1_with_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, "[display]\nwidht = 5\n").unwrap();
    let out = signage(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2:1", path.display())),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `width`?"), "{stderr}");
}

#[test]
fn check_command_accepts_the_bundled_playlists() {
    for p in [
        "playlists/default.toml",
        "playlists/examples/ticker-only.toml",
        "playlists/examples/led-1920x320.toml",
        "playlists/examples/office-door-sign.toml",
        "playlists/examples/zones-door-sign.toml",
        "playlists/examples/zones-city-square.toml",
        "playlists/examples/zones-festival-wall.toml",
    ] {
        let out = signage(&["check", p]);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{p}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("ticker:"), "{stdout}");
    }
}

/// What `schedule` printed for `date`: its heading line (weekday, festival and holiday marks)
/// and the indented lines of the slides under it.
fn schedule_day(text: &str, date: &str) -> (String, String) {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(date));
    let heading = lines
        .next()
        .unwrap_or_else(|| panic!("{date} missing in\n{text}"));
    let slides: Vec<&str> = lines.take_while(|l| l.starts_with(' ')).collect();
    (heading.to_string(), slides.join("\n"))
}

#[test]
fn schedule_command_shows_the_mid_autumn_greeting_next_september() {
    let out = signage(&[
        "schedule",
        "playlists/default.toml",
        "--from",
        "2027-09-12",
        "--days",
        "6",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let day = |d: &str| {
        let (heading, slides) = schedule_day(&text, d);
        format!("{heading}\n{slides}")
    };
    assert!(!day("2027-09-12").contains("mid-autumn"), "{text}");
    assert!(
        day("2027-09-13").contains("mid-autumn") && day("2027-09-13").contains("07:00-22:00"),
        "{text}"
    );
    assert!(
        day("2027-09-15").contains("[mid-autumn]"),
        "the festival day is marked: {text}"
    );
    assert!(day("2027-09-16").contains("mid-autumn"), "{text}");
    assert!(!day("2027-09-17").contains("mid-autumn"), "{text}");
}

#[test]
fn days_the_playlist_lists_under_calendar_decide_its_working_days() {
    // tests/schema/valid/calendar.toml: a working-days notice, 2030-10-01..07 listed as
    // holidays and Sunday 2030-09-29 as a make-up working day.
    let out = signage(&[
        "schedule",
        "tests/schema/valid/calendar.toml",
        "--from",
        "2030-09-28",
        "--days",
        "11",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let plays = |d: &str| {
        let (heading, slides) = schedule_day(&text, d);
        (heading, slides.contains("slide 1"))
    };
    let (saturday, on) = plays("2030-09-28");
    assert!(!on && !saturday.contains('['), "{text}");
    let (sunday, on) = plays("2030-09-29");
    assert!(on && sunday.contains("[make-up working day]"), "{text}");
    assert!(plays("2030-09-30").1, "an ordinary Monday: {text}");
    for day in ["2030-10-01", "2030-10-04", "2030-10-07"] {
        let (line, on) = plays(day);
        assert!(!on && line.contains("[public holiday]"), "{day}: {text}");
    }
    assert!(plays("2030-10-01").0.contains("[national-day]"), "{text}");
    assert!(
        plays("2030-10-03").0.starts_with("2030-10-03 thu"),
        "{text}"
    );
    let (tuesday, on) = plays("2030-10-08");
    assert!(on && !tuesday.contains('['), "{text}");
}

#[test]
fn the_command_line_refuses_bad_arguments_clearly_and_never_panics() {
    for (args, says) in [
        (vec!["chek"], "did you mean `check`?"),
        (
            vec!["play", "--poll", "inf"],
            "give seconds from 0.1 to 3600",
        ),
        (
            vec!["play", "--poll", "1e20"],
            "give seconds from 0.1 to 3600",
        ),
        (vec!["play", "--settle", "18446744073709551615"], "60000"),
        (
            vec!["play", "--region", "0,0,16384x16384"],
            "at most 8192x8192",
        ),
    ] {
        let out = signage(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    // A negative origin is a region, not a flag: it gets as far as looking for a display.
    let out = signage(&[
        "play",
        "playlists/default.toml",
        "--region",
        "-1920,0,640x160",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("Is there a display?"), "{stderr}");
}

#[test]
fn check_output_suits_pipes() {
    // Into a pipe that closes after the first line: a quiet exit, not a panic.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut child = command_in(root, &["check", "playlists/default.toml"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(matches!(out.status.code(), Some(0 | 1)), "{:?}", out.status);
    // No colour codes for a reader that is not a terminal.
    let out = signage(&["check", "tests/corpus/playlists/unknown-slide-key.toml"]);
    assert!(
        !out.stderr.contains(&0x1b),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn check_and_render_fail_quickly_on_what_is_not_a_playlist() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    common::mkfifo(&fifo);
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.toml")).unwrap();
    std::fs::write(dir.path().join("empty.toml"), "").unwrap();
    std::fs::write(dir.path().join("garbage.toml"), [0u8, 159, 146, 150, 7, 7]).unwrap();
    for (name, says) in [
        ("fifo.toml", "FIFO"),
        ("zero.toml", "is a device"),
        ("empty.toml", "empty"),
        ("garbage.toml", "not UTF-8"),
    ] {
        let path = dir.path().join(name);
        let started = std::time::Instant::now();
        let out = signage(&["check", path.to_str().unwrap()]);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{name}"
        );
        assert_eq!(out.status.code(), Some(1), "{name}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(says),
            "{name}"
        );
    }
    // `render` draws what it can, but says the playlist was not good.
    let out = signage(&[
        "render",
        dir.path().join("garbage.toml").to_str().unwrap(),
        "--out",
        dir.path().join("frame.png").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn install_service_prints_a_unit_with_absolute_paths_and_the_supervisor() {
    let out = signage(&[
        "install-service",
        "playlists/default.toml",
        "--region",
        "0,0,1920x320",
        "--status",
        "status.json",
        "--print",
    ]);
    let unit = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let root = env!("CARGO_MANIFEST_DIR");
    let exec = unit
        .lines()
        .find(|l| l.starts_with("ExecStart="))
        .unwrap_or_else(|| panic!("{unit}"));
    assert!(exec.contains(&format!(" play {root}/playlists/default.toml --region 0,0,1920x320 --status {root}/status.json --supervise")), "{exec}");
    let exe = exec
        .trim_start_matches("ExecStart=")
        .split(' ')
        .next()
        .unwrap();
    assert!(
        Path::new(exe).is_absolute() && Path::new(exe).exists(),
        "{exe}"
    );
    assert!(unit.contains("Restart=always"), "{unit}");
}

#[test]
fn status_reports_each_wall_and_fails_when_one_is_silent() {
    let dir = tempfile::tempdir().unwrap();
    let now = chrono::Local::now();
    let status = |wall: &str| {
        StatusFile {
            playlist: format!("/share/{wall}.toml"),
            loaded_at: Some(now.to_rfc3339()),
            last_reload: LastReload {
                result: ReloadResult::Ok,
                ..Default::default()
            },
            current_slide: Some("volunteers".into()),
            fps: Some(60.0),
            frames: 1000,
            last_frame_at: Some(now.to_rfc3339()),
            moving: true,
            uptime_s: Some(3600),
            written_at: now.to_rfc3339(),
            ..Default::default()
        }
        .to_text()
    };
    std::fs::write(dir.path().join("lobby.json"), status("lobby")).unwrap();
    std::fs::write(dir.path().join("notes.json"), "{\"not\": \"a status\"}").unwrap();
    let out = signage(&["status", dir.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.starts_with("ok        lobby: /share/lobby.toml; playing \"volunteers\""),
        "{text}"
    );
    assert_eq!(text.lines().count(), 1, "only status files: {text}");

    // A wall whose status file has not changed for five minutes is silent.
    let hall = dir.path().join("hall.json");
    std::fs::write(&hall, status("hall")).unwrap();
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(300);
    std::fs::File::options()
        .write(true)
        .open(&hall)
        .unwrap()
        .set_modified(old)
        .unwrap();
    let out = signage(&["status", dir.path().to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("SILENT    hall: /share/hall.toml; not heard from for 5m"),
        "{text}"
    );
}

#[test]
fn a_playlist_named_from_its_own_folder_finds_its_images() {
    // What an editor types in the share's folder: the bare name.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("playlists");
    let out = signage_in(&dir, &["check", "default.toml"]);
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(!text.contains("outside"), "{text}");
    let out = signage_in(&dir, &["schedule", "default.toml", "--days", "1"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // The frame at a moment of the first slide, a picture: drawn, not left out.
    let tmp = tempfile::tempdir().unwrap();
    let png = tmp.path().join("frame.png");
    let examples = dir.join("examples");
    let out = signage_in(
        &examples,
        &[
            "render",
            "led-1920x320.toml",
            "--at",
            "2027-03-01T08:00:01",
            "--out",
            png.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn status_lists_walls_it_cannot_read_and_flags_clocks_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let status = |written: chrono::DateTime<chrono::Local>| {
        StatusFile {
            playlist: "/share/hall.toml".into(),
            loaded_at: Some(written.to_rfc3339()),
            last_reload: LastReload {
                result: ReloadResult::Ok,
                ..Default::default()
            },
            current_slide: Some("volunteers".into()),
            uptime_s: Some(3600),
            written_at: written.to_rfc3339(),
            ..Default::default()
        }
        .to_text()
    };
    std::fs::write(dir.path().join("hall.json"), status(chrono::Local::now())).unwrap();
    // Another JSON file on the share (the playlist schema) is no wall.
    std::fs::write(
        dir.path().join("signage.schema.json"),
        "{\"$schema\": \"x\"}",
    )
    .unwrap();
    let run = |lang: &str| {
        let out = signage(&["--lang", lang, "status", dir.path().to_str().unwrap()]);
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    let (code, text) = run("en");
    assert_eq!((code, text.lines().count()), (Some(0), 1), "{text}");

    // Empty, half written, garbage: listed, and the overview fails.
    std::fs::write(dir.path().join("empty.json"), "").unwrap();
    std::fs::write(dir.path().join("half.json"), "{\"playlist\": \"/sha").unwrap();
    std::fs::write(dir.path().join("garbage.json"), [0xff, 0x00, 0x13]).unwrap();
    let (code, text) = run("en");
    assert_eq!(code, Some(1), "{text}");
    for wall in ["empty", "half", "garbage"] {
        assert!(
            text.contains(&format!("UNKNOWN   {wall}: "))
                && text.contains("is not a readable status file"),
            "{wall}: {text}"
        );
    }
    assert_eq!(text.lines().count(), 4, "{text}");

    // A wall whose clock runs three hours ahead: its file looks fresh forever.
    for f in ["empty", "half", "garbage"] {
        std::fs::remove_file(dir.path().join(format!("{f}.json"))).unwrap();
    }
    let ahead = chrono::Local::now() + chrono::Duration::hours(3);
    std::fs::write(dir.path().join("hall.json"), status(ahead)).unwrap();
    let (code, text) = run("en");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.starts_with("CLOCK     hall: /share/hall.toml; dated 2h 59m ahead"),
        "{text}"
    );
    let (_, text) = run("zh");
    assert!(text.starts_with("时钟不对"), "{text}");
    assert!(
        text.contains("请检查该屏电脑的时钟") && text.contains("正在播放“volunteers”"),
        "{text}"
    );
}
