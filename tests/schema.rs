//! The playlist's JSON Schema (`signage schema`, shipped as playlists/signage.schema.json)
//! checked with taplo, the engine behind editors' TOML support, against what `check` accepts:
//! every bundled playlist (and tests/schema/valid/) passes both; every broken one in
//! tests/schema/ fails both.

mod common;

use std::path::Path;
use std::process::Command;

use common::toml_files;

/// taplo's verdict, by the `#:schema` line each file starts with (as an editor reads it).
fn taplo_accepts(file: &Path) -> (bool, String) {
    let out = Command::new("taplo")
        .args(["lint", "--no-auto-config", "--colors", "never"])
        .arg(file)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run taplo ({e}); install it: pip install taplo (scripts/test does)")
        });
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.success(), text)
}

fn check_accepts(file: &Path) -> bool {
    common::cli::signage(&["check", file.to_str().unwrap()])
        .status
        .success()
}

#[test]
fn every_bundled_playlist_names_the_schema_and_passes_it_and_check() {
    let mut files = toml_files("playlists");
    files.extend(toml_files("playlists/examples"));
    // Valid playlists that use what the bundled ones do not.
    files.extend(toml_files("tests/schema/valid"));
    assert!(files.len() >= 4);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("#:schema ")
                && text
                    .lines()
                    .next()
                    .unwrap()
                    .ends_with("signage.schema.json"),
            "{} starts with its #:schema line",
            file.display()
        );
        let (ok, why) = taplo_accepts(&file);
        assert!(ok, "taplo rejects {}:\n{why}", file.display());
        assert!(check_accepts(&file), "check rejects {}", file.display());
    }
}

#[test]
fn broken_playlists_fail_both_the_schema_and_check() {
    let files = toml_files("tests/schema");
    assert!(files.len() >= 5);
    for file in files {
        let (ok, why) = taplo_accepts(&file);
        assert!(!ok, "taplo accepts {}", file.display());
        assert!(why.contains("error"), "{why}");
        assert!(!check_accepts(&file), "check accepts {}", file.display());
    }
}
