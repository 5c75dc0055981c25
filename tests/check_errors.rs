//! What the corpus (`tests/corpus`, one broken playlist per mistake) cannot show alone: every
//! mistake of a file reported at once, syntax errors that recover, images outside the folder
//! allowed by a flag, and a playlist written on Windows read on Linux.

mod common;

use std::path::Path;

use signage::loader::{load, load_str, Report, Severity};

const PLAYLIST: &str = "/tmp/signage-test/playlist.toml";

fn problems(toml: &str) -> Report {
    load_str(Path::new(PLAYLIST), toml).report
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
