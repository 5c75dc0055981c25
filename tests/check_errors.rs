//! Every class of playlist mistake is reported at its line and column with a hint, and all of
//! them at once.

mod common;

use std::path::Path;

use signage::loader::{load, load_str, Diagnostic, Report, Severity};

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
        d.message.to_string().contains(message),
        "message {:?} lacks {message:?}",
        d.message
    );
    let h = d.help.map(|h| h.to_string()).unwrap_or_default();
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
    assert!(d.message.to_string().contains("#rrggbb"), "{}", d.message);
}

#[test]
fn bad_time_window() {
    let (l, c, d) =
        single_error("[[slides]]\ntitle = \"x\"\nwhen = { hours = [\"08:00-25:00\"] }\n");
    assert_eq!((l, c), (3, 19));
    assert!(
        d.message
            .to_string()
            .contains("\"25:00\" is not a time of day"),
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
    assert!(
        d.message.to_string().contains("\"img/gone.png\""),
        "{}",
        d.message
    );
    assert!(
        d.message
            .to_string()
            .contains("/tmp/signage-test/img/gone.png"),
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
            .to_string()
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
    assert!(
        d.message.to_string().contains("nothing to show"),
        "{}",
        d.message
    );
    let (_, _, d) = single_error("slides = []\n[ticker]\nenabled = false\n");
    assert!(
        d.message.to_string().contains("nothing to show"),
        "{}",
        d.message
    );
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
            .all(|d| d.message.to_string().starts_with("TOML syntax")),
        "nothing invented: {report}"
    );
    let first = report.errors().next().expect("a syntax error");
    assert!(
        first.message.to_string().starts_with("TOML syntax"),
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
    assert!(report
        .errors()
        .next()
        .unwrap()
        .message
        .to_string()
        .contains("UTF-8"));
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
            d.message
                .to_string()
                .contains("outside the playlist's folder"),
            "{}",
            d.message
        );
        assert_eq!(report.line_col(d.span.clone().unwrap().start).0, line);
        let help = d.help.as_ref().map(|h| h.to_string()).unwrap_or_default();
        assert!(help.contains("allow_outside_paths = true"), "{help}");
    }
    std::fs::write(
        &path,
        format!("[display]\nallow_outside_paths = true\n{slides}"),
    )
    .unwrap();
    let loaded = load(&path);
    assert!(loaded.is_clean(), "{}", loaded.report);
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
