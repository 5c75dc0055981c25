//! Every class of playlist mistake is reported at its line and column with a hint, and all of
//! them at once.

mod common;

use std::path::Path;
use std::process::Command;

use signage::loader::{load, load_str, Diagnostic, Report, Severity};
use signage::status_file::{LastReload, ReloadResult, StatusFile};

const PLAYLIST: &str = "/tmp/signage-test/playlist.toml";

fn problems(toml: &str) -> Report {
    load_str(Path::new(PLAYLIST), toml).report
}

/// The one error in `toml`, with its 1-based line and column.
fn single_error(toml: &str) -> (usize, usize, Diagnostic) {
    let report = problems(toml);
    let errors: Vec<_> = report.errors().cloned().collect();
    assert_eq!(errors.len(), 1, "expected one error, got:\n{report}");
    let (line, col) = report.line_col(errors[0].span.clone().expect("a located error").start);
    (line, col, errors[0].clone())
}

fn assert_error(toml: &str, line: usize, col: usize, message: &str, help: &str) {
    let (l, c, d) = single_error(toml);
    assert_eq!((l, c), (line, col), "wrong place for: {}", d.message);
    assert!(
        d.message.contains(message),
        "message {:?} lacks {message:?}",
        d.message
    );
    let h = d.help.unwrap_or_default();
    assert!(h.contains(help), "help {h:?} lacks {help:?}");
}

#[test]
fn unknown_key_suggests_the_nearest_name() {
    assert_error(
        "[[slides]]\ntitle = \"x\"\nduraton = \"8s\"\n",
        3,
        1,
        "unknown key `duraton`",
        "`duration`",
    );
    assert_error(
        "[ticker]\ncolour = \"#ffffff\"\n",
        2,
        1,
        "unknown key `colour`",
        "`color`",
    );
    assert_error(
        "[dispaly]\nwidth = 10\n",
        1,
        2,
        "unknown key `dispaly`",
        "`display`",
    );
}

#[test]
fn wrong_type_names_expected_and_found() {
    assert_error(
        "[display]\nwidth = \"wide\"\n",
        2,
        9,
        "must be a whole number, found a string",
        "",
    );
    assert_error(
        "[ticker]\nsnap_to_pixel = \"yes\"\n",
        2,
        17,
        "must be true or false",
        "",
    );
}

#[test]
fn bad_duration_says_how_to_write_one() {
    assert_error(
        "[[slides]]\ntitle = \"x\"\nduration = \"8 sec\"\n",
        3,
        12,
        "\"8 sec\" is not a duration",
        "",
    );
    assert_error(
        "[[slides]]\ntitle = \"x\"\nduration = 8\n",
        3,
        12,
        "needs a unit",
        "\"8s\"",
    );
}

#[test]
fn bad_colour_says_how_to_write_one() {
    let (l, c, d) = single_error("[display]\nbackground = \"red\"\n");
    assert_eq!((l, c), (2, 14));
    assert!(d.message.contains("#rrggbb"), "{}", d.message);
}

#[test]
fn bad_time_window() {
    let (l, c, d) =
        single_error("[[slides]]\ntitle = \"x\"\nwhen = { hours = [\"08:00-25:00\"] }\n");
    assert_eq!((l, c), (3, 19));
    assert!(
        d.message.contains("\"25:00\" is not a time of day"),
        "{}",
        d.message
    );
}

#[test]
fn unknown_festival_suggests_names() {
    assert_error(
        "[[slides]]\ntitle = \"x\"\nwhen = { festival = \"mid-autum\" }\n",
        3,
        21,
        "cannot be \"mid-autum\"",
        "did you mean \"mid-autumn\"",
    );
}

#[test]
fn from_after_until() {
    assert_error(
        "[[slides]]\ntitle = \"x\"\nwhen = { from = 2027-03-05, until = 2027-03-01 }\n",
        3,
        37,
        "is before `from`",
        "swap",
    );
}

#[test]
fn missing_image_names_the_written_and_resolved_path() {
    let (l, c, d) = single_error("[[slides]]\nimage = \"img/gone.png\"\n");
    assert_eq!((l, c), (2, 9));
    assert!(d.message.contains("\"img/gone.png\""), "{}", d.message);
    assert!(
        d.message.contains("/tmp/signage-test/img/gone.png"),
        "{}",
        d.message
    );
}

#[test]
fn undecodable_image_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("fake.png"), b"this is not a PNG at all").unwrap();
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, "[[slides]]\nimage = \"fake.png\"\n").unwrap();
    let report = load(&path).report;
    let errors: Vec<_> = report.errors().collect();
    assert_eq!(errors.len(), 1, "{report}");
    assert!(
        errors[0]
            .message
            .contains("is not an image this player reads"),
        "{}",
        errors[0].message
    );
    assert_eq!(
        report.line_col(errors[0].span.clone().unwrap().start),
        (2, 9)
    );
}

#[test]
fn nothing_to_show_is_an_error() {
    let (_, _, d) = single_error("[ticker]\nenabled = false\n");
    assert!(d.message.contains("nothing to show"), "{}", d.message);
    let (_, _, d) = single_error("slides = []\n[ticker]\nenabled = false\n");
    assert!(d.message.contains("nothing to show"), "{}", d.message);
}

#[test]
fn ticker_speed_must_be_positive() {
    assert_error(
        "[ticker]\nspeed = 0\n",
        2,
        9,
        "must be from 1 to 10000 pixels per second",
        "",
    );
    assert_error(
        "[ticker]\nspeed = -5.5\n",
        2,
        9,
        "must be from 1 to 10000 pixels per second",
        "",
    );
}

#[test]
fn empty_weekdays_never_plays() {
    assert_error(
        "[[slides]]\ntitle = \"x\"\nwhen = { weekdays = [] }\n",
        3,
        21,
        "`weekdays` is empty",
        "",
    );
}

#[test]
fn toml_syntax_error_has_line_and_column() {
    let report = problems("[display]\nwidth = 1920\nheight = = 3\n[ticker\n");
    let lines: Vec<usize> = report
        .errors()
        .map(|d| report.line_col(d.span.clone().unwrap().start).0)
        .collect();
    assert!(
        lines.contains(&3) && lines.contains(&4),
        "both broken lines: {report}"
    );
    assert!(
        report
            .errors()
            .all(|d| d.message.starts_with("TOML syntax")),
        "nothing invented: {report}"
    );
    let first = report.errors().next().expect("a syntax error");
    assert!(
        first.message.starts_with("TOML syntax"),
        "{}",
        first.message
    );
    assert_eq!(report.line_col(first.span.clone().unwrap().start).0, 3);
}

#[test]
fn not_utf8_is_reported_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, b"title = \"\xff\xfe\"\n").unwrap();
    let report = load(&path).report;
    assert!(report.errors().next().unwrap().message.contains("UTF-8"));
}

#[test]
fn all_problems_are_reported_at_once() {
    let report = problems(
        r#"[display]
width = "wide"
heigth = 320
[ticker]
speed = 0
[[slides]]
title = "x"
duration = "8 sec"
background = "red"
when = { festival = "mid-autum", from = "2027-03-05", until = "2027-03-01" }
"#,
    );
    let lines: Vec<usize> = report
        .errors()
        .map(|d| report.line_col(d.span.clone().unwrap().start).0)
        .collect();
    assert_eq!(lines, vec![2, 3, 5, 8, 9, 10, 10], "{report}");
    assert!(report
        .diagnostics
        .iter()
        .all(|d| d.severity == Severity::Error));
}

#[test]
fn check_command_exits_1_with_file_line_col() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.toml");
    std::fs::write(&path, "[display]\nwidht = 5\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
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
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_signage"))
            .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["check", p])
            .output()
            .unwrap();
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
    let out = Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "schedule",
            "playlists/default.toml",
            "--from",
            "2027-09-12",
            "--days",
            "6",
        ])
        .output()
        .unwrap();
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

#[cfg(unix)]
#[test]
fn images_must_stay_in_the_playlists_folder_unless_allowed() {
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.png");
    image::RgbaImage::from_pixel(4, 4, image::Rgba([1, 2, 3, 255]))
        .save(&secret)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    // A symlink inside the folder that leads out of it counts as outside.
    std::os::unix::fs::symlink(&secret, dir.path().join("inside.png")).unwrap();
    let path = dir.path().join("playlist.toml");
    let slides = format!(
        "[[slides]]\nimage = \"inside.png\"\n[[slides]]\nimage = \"{}\"\n",
        secret.display()
    );
    std::fs::write(&path, &slides).unwrap();
    let report = load(&path).report;
    let errors: Vec<_> = report.errors().collect();
    assert_eq!(errors.len(), 2, "{report}");
    for (d, line) in errors.iter().zip([2, 4]) {
        assert!(
            d.message.contains("outside the playlist's folder"),
            "{}",
            d.message
        );
        assert_eq!(report.line_col(d.span.clone().unwrap().start).0, line);
        assert!(d
            .help
            .as_deref()
            .unwrap_or("")
            .contains("allow_outside_paths = true"));
    }
    std::fs::write(
        &path,
        format!("[display]\nallow_outside_paths = true\n{slides}"),
    )
    .unwrap();
    let loaded = load(&path);
    assert!(loaded.is_clean(), "{}", loaded.report);
}

fn signage(args: &[&str]) -> std::process::Output {
    signage_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The program run from the folder `dir`.
fn signage_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
        .current_dir(dir)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .args(args)
        .output()
        .unwrap()
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "playlists/default.toml"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
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

#[test]
fn a_slide_named_after_a_windows_path_has_no_backslash_in_its_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/playlists/images/tiny.bmp"),
        dir.path().join("images/Traffic.BMP"),
    )
    .unwrap();
    let loaded = load_str(
        &dir.path().join("playlist.toml"),
        "[[slides]]\nimage = 'images\\Traffic.BMP'\n",
    );
    assert!(loaded.is_clean(), "{}", loaded.report);
    assert_eq!(loaded.playlist.slides[0].name, "Traffic");
}
