//! The Windows build, run under Wine: `check`, `schedule` and `render` with Windows paths
//! (drive letters, backslashes, a verbatim path), and `render` drawing exactly the frame the
//! Linux build draws, a video clip's included (Wine's Vulkan reaches the host's lavapipe under
//! Xvfb).
//!
//! It needs `signage.exe` cross-built for x86_64-pc-windows-gnu, which `scripts/test` does
//! before running this with `--ignored`; `SIGNAGE_WINDOWS_EXE` names another one.
#![cfg(target_os = "linux")]

mod common;

use common::{status, xvfb};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn exe() -> PathBuf {
    let exe = std::env::var_os("SIGNAGE_WINDOWS_EXE").map_or_else(
        || root().join("target/x86_64-pc-windows-gnu/debug/signage.exe"),
        PathBuf::from,
    );
    assert!(
        exe.exists(),
        "{} is missing: build it with `cargo build --target x86_64-pc-windows-gnu` (scripts/test does)",
        exe.display()
    );
    exe
}

/// `path` as Windows programs under Wine see it: on drive Z:, with backslashes.
fn windows_path(path: &Path) -> String {
    format!("Z:{}", path.display()).replace('/', "\\")
}

/// One test at a time, each with the Wine server to itself: Wine's desktop belongs to the X
/// display of the first program that starts it, so a test on another display would draw on
/// the wrong one.
struct OwnWine(#[allow(dead_code)] std::sync::MutexGuard<'static, ()>);

fn own_wine() -> OwnWine {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    stop_wine();
    OwnWine(guard)
}

impl Drop for OwnWine {
    fn drop(&mut self) {
        stop_wine();
    }
}

fn stop_wine() {
    let _ = Command::new(root().join("scripts/wine-run"))
        .arg("--stop")
        .status();
}

fn wine(args: &[&str], display: Option<&str>) -> Output {
    let runtime = std::env::temp_dir().join(format!("signage-wine-xdg-{}", std::process::id()));
    std::fs::create_dir_all(&runtime).unwrap();
    let mut cmd = Command::new(root().join("scripts/wine-run"));
    cmd.arg(exe()).args(args).env("XDG_RUNTIME_DIR", &runtime);
    match display {
        Some(d) => cmd.env("DISPLAY", d),
        None => cmd.env_remove("DISPLAY"),
    };
    cmd.output()
        .expect("run scripts/wine-run (Debian: apt-get install wine64)")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
#[ignore = "needs the Windows build; scripts/test builds it and runs this"]
fn the_windows_build_checks_schedules_and_renders_like_the_linux_one() {
    let _wine = own_wine();
    let default = root().join("playlists/default.toml");
    let dos = windows_path(&default);

    // check, with a drive letter and backslashes, and with a verbatim path.
    for path in [dos.clone(), format!(r"\\?\{dos}")] {
        let out = wine(&["check", &path], None);
        assert!(out.status.success(), "check {path}:\n{}", text(&out));
        assert!(text(&out).contains("ticker:"), "{}", text(&out));
    }
    // A playlist saved by Notepad: CRLF line ends, a byte-order mark, backslashes in paths.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    std::fs::copy(
        root().join("playlists/images/festive-red.png"),
        dir.path().join("images/red.png"),
    )
    .unwrap();
    let notepad =
        "\u{feff}[[slides]]\r\nimage = \"images\\\\red.png\"\r\n[[slides]]\r\ntitle = \"通知\"\r\n";
    std::fs::write(dir.path().join("playlist.toml"), notepad).unwrap();
    let saved = windows_path(&dir.path().join("playlist.toml"));
    let out = wine(&["check", &saved], None);
    assert!(out.status.success(), "{}", text(&out));
    // And its mistakes are reported at their line, with the Windows path.
    std::fs::write(
        dir.path().join("broken.toml"),
        "[[slides]]\r\ntitle = \"x\"\r\nduraton = \"8s\"\r\n",
    )
    .unwrap();
    let out = wine(
        &["check", &windows_path(&dir.path().join("broken.toml"))],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("broken.toml:3:1"), "{}", text(&out));

    let out = wine(
        &["schedule", &dos, "--from", "2027-09-12", "--days", "6"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("[mid-autumn]"), "{}", text(&out));

    // render: the same pixels as the Linux build, whatever graphics API Wine gave it.
    let display = xvfb::Display::start(179);
    let at = "2027-09-15T20:00:05";
    let win_png = dir.path().join("windows.png");
    let out = wine(
        &["render", &dos, "--at", at, "--out", &windows_path(&win_png)],
        Some(&display.name),
    );
    assert!(out.status.success(), "{}", text(&out));
    let linux_png = dir.path().join("linux.png");
    let out = Command::new(env!("CARGO_BIN_EXE_signage"))
        .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
        .current_dir(root())
        .args(["render", "playlists/default.toml", "--at", at, "--out"])
        .arg(&linux_png)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let (w, l) = (
        image::open(&win_png).unwrap().to_rgba8(),
        image::open(&linux_png).unwrap().to_rgba8(),
    );
    assert_eq!(w.dimensions(), l.dimensions());
    // Both draw with lavapipe: exactly the same picture.
    let differing = w.pixels().zip(l.pixels()).filter(|(a, b)| a != b).count();
    assert_eq!(
        differing, 0,
        "{differing} pixels differ between the Windows and Linux frames"
    );

    // A clip's frame: probed, decoded (openh264 built for Windows) and converted alike.
    let clip = common::clips::h264("wine-high-480x80.mp4", (480, 80), 30, 2.0, "high", 3);
    std::fs::copy(&clip, dir.path().join("clip.mp4")).unwrap();
    let toml = "[display]\nwidth = 480\nheight = 80\n[ticker]\nenabled = false\n\
                [[slides]]\nvideo = \"clip.mp4\"\n";
    std::fs::write(dir.path().join("clip.toml"), toml).unwrap();
    let at = "2027-09-15T20:00:01.250";
    let frames = [("windows", true), ("linux", false)].map(|(name, windows)| {
        let png = dir.path().join(format!("{name}-clip.png"));
        let playlist = dir.path().join("clip.toml");
        let out = if windows {
            let (p, o) = (windows_path(&playlist), windows_path(&png));
            wine(
                &["render", &p, "--at", at, "--out", &o],
                Some(&display.name),
            )
        } else {
            Command::new(env!("CARGO_BIN_EXE_signage"))
                .args(["render"])
                .arg(&playlist)
                .args(["--at", at, "--out"])
                .arg(&png)
                .output()
                .unwrap()
        };
        assert!(out.status.success(), "{name}: {}", text(&out));
        image::open(&png).unwrap().to_rgba8()
    });
    let differing = frames[0]
        .pixels()
        .zip(frames[1].pixels())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(
        differing, 0,
        "{differing} pixels of the clip's frame differ"
    );
}

#[test]
#[ignore = "needs the Windows build; scripts/test builds it and runs this"]
fn the_windows_player_shows_the_wall_writes_its_status_and_log_and_quits_on_ctrl_alt_q() {
    let _wine = own_wine();
    let dir = tempfile::tempdir().unwrap();
    let playlist = dir.path().join("playlist.toml");
    std::fs::write(
        &playlist,
        "[display]\nwidth = 640\nheight = 160\n[ticker]\nheight = 40\nfont_size = 28\n\
         [[slides]]\ntitle = \"文明出行\"\nbackground = \"#2050c0\"\n",
    )
    .unwrap();
    let status = dir.path().join("status.json");
    let log = dir.path().join("logs").join("wall.log");
    let display = xvfb::Display::start(182);
    let runtime = tempfile::tempdir().unwrap();
    let mut child = Command::new(root().join("scripts/wine-run"))
        .arg(exe())
        .args(["play", &windows_path(&playlist), "--region", "0,0,640x160"])
        .args([
            "--status",
            &windows_path(&status),
            "--log",
            &windows_path(&log),
        ])
        .env("DISPLAY", &display.name)
        .env("XDG_RUNTIME_DIR", runtime.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let blue = [0x20, 0x50, 0xc0];
    display.wait_for(
        std::time::Duration::from_secs(60),
        "the wall under Wine",
        |s| xvfb::count_near(s, (0, 0, 640, 120), blue, 2) > 640 * 60,
    );
    status::wait_for_status(
        &status,
        std::time::Duration::from_secs(30),
        "a status with frames",
        |json| json.frames > 0,
    );
    use xvfb::keysym;
    display.type_chord(100, 60, &[keysym::CONTROL_L, keysym::ALT_L, keysym::Q]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let exit = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("Ctrl+Alt+Q did not end the Windows player");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(exit.success(), "{exit}");
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(logged.contains("first frame on the wall"), "{logged}");
    assert!(
        logged.contains("the display and the system stay on"),
        "{logged}"
    );
}
