//! What a package holds (scripts/package lays it out; `--stage` does only that): the program,
//! the bundled and example playlists with their pictures and the schema their first lines name,
//! so that an editor opening one gets completion instead of a missing-schema warning, and on
//! Windows `preview.cmd` to drop a playlist on. Each playlist in the unpacked folder passes
//! taplo (as editors' tools read it) and `signage check` run from its own folder.

use std::path::Path;
use std::process::Command;

fn stage(dir: &Path, program: &Path) {
    let out = Command::new("bash")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/package"))
        .arg("--stage")
        .arg(dir)
        .arg(program)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn playlists(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn an_unpacked_package_checks_its_playlists_against_their_schema() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("signage-linux");
    stage(&dir, Path::new(env!("CARGO_BIN_EXE_signage")));
    for file in [
        "signage",
        "README.md",
        "playlists/signage.schema.json",
        "licences/LICENSE-OFL.txt",
    ] {
        assert!(dir.join(file).is_file(), "{file} is in the package");
    }
    let bundled = playlists(&dir.join("playlists"));
    let examples = playlists(&dir.join("playlists/examples"));
    assert_eq!(bundled.len(), 1, "{bundled:?}");
    assert!(examples.len() >= 3, "{examples:?}");
    for playlist in bundled.iter().chain(&examples) {
        // The schema the first line names is there.
        let first = std::fs::read_to_string(playlist).unwrap();
        let schema = first
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("#:schema "))
            .unwrap_or_else(|| panic!("{} names no schema", playlist.display()));
        let folder = playlist.parent().unwrap();
        assert!(
            folder.join(schema).is_file(),
            "{}: {schema}",
            playlist.display()
        );
        let taplo = Command::new("taplo")
            .args(["lint", "--no-auto-config", "--colors", "never"])
            .arg(playlist)
            .output()
            .expect("taplo (pip install taplo; scripts/test installs it)");
        assert!(
            taplo.status.success(),
            "taplo on {}: {}",
            playlist.display(),
            String::from_utf8_lossy(&taplo.stderr)
        );
        // `signage check NAME` in the playlist's folder, as an editor types it.
        let name = playlist.file_name().unwrap();
        let check = Command::new(dir.join("signage"))
            .env("LC_ALL", "C.UTF-8")
            .current_dir(folder)
            .arg("check")
            .arg(name)
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "check {}: {}",
            playlist.display(),
            String::from_utf8_lossy(&check.stderr)
        );
    }
}

#[test]
fn the_windows_package_has_a_drop_target_for_previews() {
    let tmp = tempfile::tempdir().unwrap();
    let exe = tmp.path().join("signage.exe");
    std::fs::write(&exe, b"MZ").unwrap();
    let dir = tmp.path().join("signage-windows");
    stage(&dir, &exe);
    let cmd = std::fs::read_to_string(dir.join("preview.cmd")).unwrap();
    assert!(cmd.contains("\"%~dp0signage.exe\" preview %1\r\n"), "{cmd}");
    assert!(
        cmd.split_inclusive('\n').all(|l| l.ends_with("\r\n")),
        "Windows line ends: {cmd:?}"
    );
}
