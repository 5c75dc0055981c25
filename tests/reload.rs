//! Hot reload through the library's API, with the writes editors and network copies make.
//! Every test asserts the state the player would end on, and that no broken playlist was ever
//! handed over.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use signage::watch::{ReloadEvent, WatchOptions, Watcher};

const SETTLE: Duration = Duration::from_millis(200);

enum Seen {
    Loaded {
        title: String,
        pixel: Option<[u8; 4]>,
    },
    Rejected(String),
    /// An urgent notice's headline, or `None` when it ended.
    Urgent(Option<String>),
}

struct Harness {
    dir: tempfile::TempDir,
    events: Receiver<Seen>,
    _watcher: Watcher,
}

fn playlist_text(title: &str) -> String {
    format!("[ticker]\nenabled = false\n[[slides]]\ntitle = \"{title}\"\n")
}

fn image_playlist() -> String {
    "[ticker]\nenabled = false\n[[slides]]\ntitle = \"img\"\nbackground_image = \"images/bg.png\"\n"
        .to_string()
}

fn solid_png(path: &Path, rgb: [u8; 3]) {
    image::RgbaImage::from_pixel(8, 8, image::Rgba([rgb[0], rgb[1], rgb[2], 255]))
        .save_with_format(path, image::ImageFormat::Png)
        .unwrap();
}

impl Harness {
    fn new(initial: &str, poll: Option<Duration>) -> Harness {
        let _ = tracing_subscriber::fmt().with_test_writer().try_init();
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("images")).unwrap();
        solid_png(&dir.path().join("images/bg.png"), [10, 20, 30]);
        std::fs::write(dir.path().join("playlist.toml"), initial).unwrap();
        let (tx, events) = mpsc::channel();
        let status = dir.path().join("status.json");
        let options = WatchOptions {
            poll,
            settle: SETTLE,
            status_file: Some(status.clone()),
            report: true,
            ..Default::default()
        };
        let watcher = Watcher::start(&dir.path().join("playlist.toml"), options, move |event| {
            let seen = match event {
                ReloadEvent::Loaded { playlist, .. } => {
                    let title = match &playlist.slides.first().map(|s| &s.content) {
                        Some(signage::model::playlist::Content::Text(t)) => {
                            t.title.clone().unwrap_or_default()
                        }
                        _ => String::new(),
                    };
                    // What the player would show: the image as it is when the reload arrives.
                    let pixel = playlist.images().next().map(|(_, image)| {
                        let img =
                            signage::share::assets::decode(&image.path).expect("a checked image");
                        img.to_rgba8().get_pixel(0, 0).0
                    });
                    Seen::Loaded { title, pixel }
                }
                ReloadEvent::Rejected { summary } => Seen::Rejected(summary),
                ReloadEvent::Urgent(notice) => Seen::Urgent(notice.map(|n| n.headline())),
            };
            let _ = tx.send(seen);
        })
        .expect("watcher started");
        // The watcher has read the playlist once (and so knows its files) before the test
        // starts writing.
        wait_for_first_check(&status);
        Harness {
            dir,
            events,
            _watcher: watcher,
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.path().join("playlist.toml")
    }

    /// Everything reported until nothing more arrives for a while (or `max` passes).
    fn settle(&self, max: Duration) -> Vec<Seen> {
        let deadline = Instant::now() + max;
        let mut seen = Vec::new();
        let quiet = SETTLE * 4 + Duration::from_millis(1200);
        while Instant::now() < deadline {
            match self.events.recv_timeout(quiet) {
                Ok(e) => seen.push(e),
                Err(_) if !seen.is_empty() => break,
                Err(_) => {}
            }
        }
        seen
    }

    fn loaded_titles(seen: &[Seen]) -> Vec<String> {
        seen.iter()
            .filter_map(|s| match s {
                Seen::Loaded { title, .. } => Some(title.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Waits until the status file says the watcher's first look at the playlist is done.
fn wait_for_first_check(status: &Path) {
    common::status::wait_for_status(status, Duration::from_secs(10), "the watcher", |json| {
        json.last_reload.result == common::status::ReloadResult::Ok
    });
}

fn assert_ends_on(seen: &[Seen], title: &str) {
    let titles = Harness::loaded_titles(seen);
    assert_eq!(
        titles.last().map(String::as_str),
        Some(title),
        "loaded: {titles:?}"
    );
}

fn edited_in_place(poll: Option<Duration>) {
    let h = Harness::new(&playlist_text("v1"), poll);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(h.path())
        .unwrap();
    f.write_all(playlist_text("v2").as_bytes()).unwrap();
    drop(f);
    let seen = h.settle(Duration::from_secs(8));
    assert_ends_on(&seen, "v2");
    assert_eq!(Harness::loaded_titles(&seen).len(), 1, "one reload");
}

#[test]
fn written_in_place() {
    edited_in_place(None);
}

#[test]
fn written_in_place_polling() {
    edited_in_place(Some(Duration::from_millis(100)));
}

fn temp_and_rename(poll: Option<Duration>) {
    let h = Harness::new(&playlist_text("v1"), poll);
    // What vim, VS Code and most editors do: write a temp file, rename it over the original.
    let tmp = h.dir.path().join(".playlist.toml.swp");
    std::fs::write(&tmp, playlist_text("renamed")).unwrap();
    std::fs::rename(&tmp, h.path()).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert_ends_on(&seen, "renamed");
}

#[test]
fn temp_file_then_rename() {
    temp_and_rename(None);
}

#[test]
fn temp_file_then_rename_polling() {
    temp_and_rename(Some(Duration::from_millis(100)));
}

#[test]
fn copied_in_chunks_loads_only_the_finished_file() {
    let h = Harness::new(&playlist_text("v1"), None);
    // A network copy: the file is written in pieces; the half-written states are invalid TOML.
    let full = playlist_text("chunked");
    let bytes = full.as_bytes();
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(h.path())
        .unwrap();
    for chunk in bytes.chunks(bytes.len() / 3 + 1) {
        f.write_all(chunk).unwrap();
        f.flush().unwrap();
        std::thread::sleep(Duration::from_millis(60));
    }
    drop(f);
    let seen = h.settle(Duration::from_secs(8));
    assert!(
        seen.iter().all(|s| matches!(s, Seen::Loaded { .. })),
        "no half-written state was reported as final"
    );
    assert_ends_on(&seen, "chunked");
}

#[test]
fn deleted_and_recreated() {
    let h = Harness::new(&playlist_text("v1"), None);
    std::fs::remove_file(h.path()).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    std::fs::write(h.path(), playlist_text("recreated")).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert_ends_on(&seen, "recreated");
}

fn broken_then_fixed(poll: Option<Duration>) {
    let h = Harness::new(&playlist_text("v1"), poll);
    std::fs::write(h.path(), "[[slides]]\ntitle = \"oops\nduraton = 5\n").unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert!(
        matches!(seen.last(), Some(Seen::Rejected(_))),
        "a broken edit is rejected"
    );
    assert!(
        Harness::loaded_titles(&seen).is_empty(),
        "and never handed over"
    );
    if let Some(Seen::Rejected(summary)) = seen.last() {
        assert!(
            summary.contains("playlist.toml:"),
            "names file:line:col: {summary}"
        );
    }
    // The editor who cannot see the wall reads the report beside the playlist.
    let report_path = h.dir.path().join("playlist.toml.report.txt");
    let report = std::fs::read_to_string(&report_path).unwrap();
    assert!(report.starts_with("NOT ACCEPTED at "), "{report}");
    assert!(
        report.contains("playlist.toml:2:14"),
        "the error with its line: {report}"
    );
    std::fs::write(h.path(), playlist_text("fixed")).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert_ends_on(&seen, "fixed");
    let report = std::fs::read_to_string(&report_path).unwrap();
    assert!(report.starts_with("ACCEPTED at "), "{report}");
    assert!(
        report.contains("On the wall now: slide \"slide 1\""),
        "{report}"
    );
    // Writing the report is not itself a change the watcher reloads for.
    let after = h.settle(Duration::from_secs(3));
    assert!(after.is_empty(), "no reload loop: {} events", after.len());
}

#[test]
fn broken_edit_then_fix() {
    broken_then_fixed(None);
}

#[test]
fn broken_edit_then_fix_polling() {
    broken_then_fixed(Some(Duration::from_millis(100)));
}

#[test]
fn image_replaced_under_the_same_name() {
    let h = Harness::new(&image_playlist(), None);
    let tmp = h.dir.path().join("images/bg.png.part");
    solid_png(&tmp, [200, 100, 50]);
    std::fs::rename(&tmp, h.dir.path().join("images/bg.png")).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    let pixels: Vec<_> = seen
        .iter()
        .filter_map(|s| match s {
            Seen::Loaded { pixel, .. } => *pixel,
            _ => None,
        })
        .collect();
    assert_eq!(
        pixels.last(),
        Some(&[200, 100, 50, 255]),
        "the new image was decoded"
    );
}

#[test]
fn referenced_image_deleted_keeps_the_last_good_playlist() {
    let h = Harness::new(&image_playlist(), None);
    std::fs::remove_file(h.dir.path().join("images/bg.png")).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert!(
        matches!(seen.last(), Some(Seen::Rejected(s)) if s.contains("not found")),
        "rejected: missing image"
    );
    // The image comes back: the playlist loads again.
    solid_png(&h.dir.path().join("images/bg.png"), [1, 2, 3]);
    let seen = h.settle(Duration::from_secs(8));
    assert_ends_on(&seen, "img");
}

#[test]
fn folder_removed_and_recreated() {
    let h = Harness::new(&playlist_text("v1"), None);
    let backup = h.dir.path().with_extension("away");
    // A share dropping off the network and coming back with new content.
    std::fs::rename(h.dir.path(), &backup).unwrap();
    let offline = h.settle(Duration::from_secs(8));
    assert!(
        offline.iter().all(|s| matches!(s, Seen::Rejected(_))) && !offline.is_empty(),
        "while the folder is gone nothing is handed over"
    );
    std::fs::rename(&backup, h.dir.path()).unwrap();
    std::fs::write(h.path(), playlist_text("back")).unwrap();
    let seen = h.settle(Duration::from_secs(12));
    assert_ends_on(&seen, "back");
}

fn many_saves(poll: Option<Duration>) {
    let h = Harness::new(&playlist_text("v1"), poll);
    for i in 0..50 {
        std::fs::write(h.path(), playlist_text(&format!("save{i}"))).unwrap();
        std::thread::sleep(Duration::from_millis(10));
    }
    let seen = h.settle(Duration::from_secs(10));
    let titles = Harness::loaded_titles(&seen);
    assert!(
        !titles.is_empty() && titles.len() <= 3,
        "one or few reloads for 50 saves: {titles:?}"
    );
    assert_ends_on(&seen, "save49");
}

#[test]
fn fifty_quick_saves() {
    many_saves(None);
}

#[test]
fn fifty_quick_saves_polling() {
    many_saves(Some(Duration::from_millis(100)));
}

#[test]
fn status_file_reports_the_last_reload() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, playlist_text("v1")).unwrap();
    let status = dir.path().join("status.json");
    let (tx, rx) = mpsc::channel();
    let options = WatchOptions {
        settle: SETTLE,
        status_file: Some(status.clone()),
        ..Default::default()
    };
    let _w = Watcher::start(&path, options, move |e| {
        let _ = tx.send(matches!(e, ReloadEvent::Loaded { .. }));
    })
    .unwrap();
    wait_for_first_check(&status);
    std::fs::write(&path, "not toml [").unwrap();
    assert_eq!(rx.recv_timeout(Duration::from_secs(8)), Ok(false));
    let json = common::status::read(&status);
    assert_eq!(
        json.last_reload.result,
        common::status::ReloadResult::Rejected
    );
    assert!(
        json.last_reload.errors[0].contains("playlist.toml:1:"),
        "{json:?}"
    );
    assert_eq!(json.playlist, path.display().to_string());
}

#[test]
fn the_ticker_is_shaped_on_the_watcher_thread_when_given_the_fonts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, playlist_text("v1")).unwrap();
    let (tx, rx) = mpsc::channel();
    let fonts = signage::render::text::font_system().db().clone();
    let status = dir.path().join("status.json");
    let options = WatchOptions {
        settle: SETTLE,
        fonts: Some(fonts),
        canvas: Some((640, 160)),
        status_file: Some(status.clone()),
        ..Default::default()
    };
    let _w = Watcher::start(&path, options, move |e| {
        if let ReloadEvent::Loaded { playlist, text, .. } = e {
            let _ = tx.send((playlist.display.width, playlist.display.height, text));
        }
    })
    .unwrap();
    wait_for_first_check(&status);
    std::fs::write(
        &path,
        "[ticker]\ntext = \"学雷锋 志愿服务\"\n[[slides]]\ntitle = \"x\"\n",
    )
    .unwrap();
    let (w, h, text) = rx.recv_timeout(Duration::from_secs(8)).expect("a reload");
    assert_eq!(
        (w, h),
        (640, 160),
        "laid out for the canvas the player forces"
    );
    let text = text.expect("shaped text comes with the playlist");
    let ticker = text.ticker.expect("the ticker, shaped");
    assert!(
        ticker
            .layout_runs()
            .next()
            .is_some_and(|run| run.glyphs.len() >= 8),
        "glyphs shaped"
    );
    assert!(
        text.fonts.is_none(),
        "the bundled font covers it: no new fonts to hand over"
    );
}

/// What a share can hold in place of the playlist, made at `path`.
#[cfg(unix)]
fn make_hostile(path: &Path, kind: &str) {
    let _ = std::fs::remove_file(path);
    match kind {
        "fifo" => {
            common::mkfifo(path);
        }
        "device" => std::os::unix::fs::symlink("/dev/zero", path).unwrap(),
        "huge" => std::fs::File::create(path)
            .unwrap()
            .set_len(500 << 20)
            .unwrap(),
        "empty" => std::fs::write(path, "").unwrap(),
        _ => unreachable!(),
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_a_device_a_huge_or_an_empty_file_is_refused_and_the_watcher_goes_on() {
    let h = Harness::new(&playlist_text("v1"), None);
    for (kind, says) in [
        ("fifo", "FIFO"),
        ("device", "is a device"),
        ("huge", "more than the 4.0 MB"),
        ("empty", "empty"),
    ] {
        make_hostile(&h.path(), kind);
        let seen = h.settle(Duration::from_secs(8));
        match seen.last() {
            Some(Seen::Rejected(summary)) => assert!(summary.contains(says), "{kind}: {summary}"),
            _ => panic!("{kind}: not rejected"),
        }
        assert!(
            Harness::loaded_titles(&seen).is_empty(),
            "{kind}: nothing handed over"
        );
    }
    std::fs::remove_file(h.path()).unwrap();
    std::fs::write(h.path(), playlist_text("fixed")).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert_ends_on(&seen, "fixed");
    // And it stops at once.
    let stopping = Instant::now();
    drop(h);
    assert!(stopping.elapsed() < Duration::from_secs(2));
}

fn urgents(seen: &[Seen]) -> Vec<Option<String>> {
    seen.iter()
        .filter_map(|s| match s {
            Seen::Urgent(u) => Some(u.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_urgent_notice_takes_over_and_ends_without_touching_the_playlist() {
    let h = Harness::new(&playlist_text("v1"), None);
    let txt = h.dir.path().join("urgent.txt");
    // Notepad's "ANSI" on a Chinese Windows: GBK.
    let (gbk, _, _) = encoding_rs::GBK.encode("停电通知\n今晚 20:00 至 22:00");
    std::fs::write(&txt, &gbk).unwrap();
    let seen = h.settle(Duration::from_secs(8));
    assert_eq!(urgents(&seen), vec![Some("停电通知".to_string())]);
    assert!(
        Harness::loaded_titles(&seen).is_empty(),
        "the playlist is not reloaded"
    );

    // Replaced by a TOML notice that ends by itself two seconds from now.
    let until = chrono::Local::now().naive_local() + chrono::Duration::seconds(2);
    let toml = h.dir.path().join("urgent.toml");
    std::fs::write(
        &toml,
        format!(
            "title = \"道路封闭\"\nuntil = \"{}\"\n",
            until.format("%Y-%m-%d %H:%M:%S")
        ),
    )
    .unwrap();
    let seen = h.settle(Duration::from_secs(10));
    assert_eq!(
        urgents(&seen),
        vec![Some("道路封闭".to_string()), None],
        "shown, then over"
    );

    // A broken urgent.toml changes nothing on the wall; the status file says why (which is
    // also the proof that it was looked at).
    std::fs::write(&toml, "title = \"x\"\nuntill = \"soon\"\n").unwrap();
    let status = h.dir.path().join("status.json");
    common::status::wait_for_status(
        &status,
        Duration::from_secs(10),
        "the report of the broken notice",
        |json| {
            let errors = json.urgent_errors.join("\n");
            errors.contains("unknown key `untill`") && errors.contains("urgent.toml:2:1")
        },
    );
    let seen = h.settle(Duration::from_secs(4));
    assert!(urgents(&seen).is_empty(), "{:?}", urgents(&seen));

    // Removing the files leaves no notice (the text one still showed under the broken TOML).
    std::fs::remove_file(&toml).unwrap();
    let seen = h.settle(Duration::from_secs(6));
    assert_eq!(
        urgents(&seen),
        vec![Some("停电通知".to_string())],
        "the text notice again"
    );
    std::fs::remove_file(&txt).unwrap();
    let seen = h.settle(Duration::from_secs(6));
    assert_eq!(urgents(&seen), vec![None]);
}

#[test]
fn a_player_that_could_not_read_the_playlist_at_start_gets_the_watchers_first_load() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, playlist_text("late")).unwrap();
    let (tx, rx) = mpsc::channel();
    let options = WatchOptions {
        settle: SETTLE,
        deliver_first: true,
        ..Default::default()
    };
    let _w = Watcher::start(&path, options, move |e| {
        if let ReloadEvent::Loaded { playlist, .. } = e {
            let _ = tx.send(playlist.slides.len());
        }
    })
    .unwrap();
    // Nothing changes on the share, yet the playlist arrives.
    assert_eq!(rx.recv_timeout(Duration::from_secs(8)), Ok(1));
}

/// Waits for the first event that `want` picks out, failing after `limit` with what came.
fn wait_for<T>(h: &Harness, limit: Duration, what: &str, want: impl Fn(&Seen) -> Option<T>) -> T {
    let deadline = Instant::now() + limit;
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        if let Ok(e) = h.events.recv_timeout(left) {
            if let Some(t) = want(&e) {
                return t;
            }
            seen.push(match e {
                Seen::Loaded { title, .. } => format!("loaded {title}"),
                Seen::Rejected(s) => format!("rejected: {s}"),
                Seen::Urgent(u) => format!("urgent {u:?}"),
            });
        }
    }
    panic!("{what} did not come within {limit:?}; came: {seen:?}");
}

fn load_attempts(h: &Harness) -> u64 {
    common::status::read(&h.dir.path().join("status.json")).load_attempts
}

/// A folder that is never quiet holds neither an edit nor an urgent notice off, and causes no
/// load by itself.
fn busy_folder(poll: Option<Duration>) {
    let h = Harness::new(&playlist_text("v1"), poll);
    let busy = common::busy::BusyFolder::start(h.dir.path());
    // Two seconds of other writers (and of the watcher's own status and report files).
    while busy.rounds() < 20 {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(load_attempts(&h), 1, "only the first load");

    let tmp = h.dir.path().join(".playlist.toml.swp");
    std::fs::write(&tmp, playlist_text("v2")).unwrap();
    std::fs::rename(&tmp, h.path()).unwrap();
    let edited = Instant::now();
    wait_for(&h, Duration::from_secs(10), "the edit", |s| match s {
        Seen::Loaded { title, .. } if title == "v2" => Some(()),
        _ => None,
    });
    let took = edited.elapsed();

    std::fs::write(h.dir.path().join("urgent.txt"), "停电通知\n").unwrap();
    wait_for(
        &h,
        Duration::from_secs(10),
        "the urgent notice",
        |s| match s {
            Seen::Urgent(Some(u)) if u == "停电通知" => Some(()),
            _ => None,
        },
    );
    assert!(busy.rounds() > 20, "the folder stayed busy throughout");
    eprintln!("busy folder: the edit was taken {took:?} after the rename");
}

#[test]
fn a_busy_folder_holds_nothing_off() {
    busy_folder(None);
}

#[test]
fn a_busy_folder_holds_nothing_off_polling() {
    busy_folder(Some(Duration::from_millis(500)));
}

/// An uncompressed picture: every colour gives the same number of bytes.
fn solid_bmp(path: &Path, rgb: [u8; 3]) {
    image::RgbImage::from_pixel(8, 8, image::Rgb(rgb))
        .save_with_format(path, image::ImageFormat::Bmp)
        .unwrap();
}

#[test]
fn a_picture_replaced_with_the_same_size_and_time_is_seen_every_time() {
    let h = Harness::new(&playlist_text("v1"), None);
    let bmp = h.dir.path().join("images/bg.bmp");
    solid_bmp(&bmp, [10, 10, 10]);
    let time = std::fs::metadata(&bmp).unwrap().modified().unwrap();
    std::fs::write(
        h.path(),
        "[ticker]\nenabled = false\n[[slides]]\ntitle = \"img\"\nbackground_image = \"images/bg.bmp\"\n",
    )
    .unwrap();
    let pixel = |rgb: [u8; 3]| {
        move |s: &Seen| match s {
            Seen::Loaded { pixel: Some(p), .. } if p[..3] == rgb => Some(()),
            _ => None,
        }
    };
    wait_for(
        &h,
        Duration::from_secs(10),
        "the first picture",
        pixel([10, 10, 10]),
    );
    let len = std::fs::metadata(&bmp).unwrap().len();
    // In place, twice, each time with the old modification time put back (as a copy that
    // keeps times does); then a temp file renamed over it, with the same time.
    for (rgb, renamed) in [
        ([200, 0, 0], false),
        ([0, 200, 0], false),
        ([0, 0, 200], true),
    ] {
        let target = if renamed {
            bmp.with_extension("part")
        } else {
            bmp.clone()
        };
        solid_bmp(&target, rgb);
        std::fs::File::options()
            .write(true)
            .open(&target)
            .unwrap()
            .set_modified(time)
            .unwrap();
        if renamed {
            std::fs::rename(&target, &bmp).unwrap();
        }
        let meta = std::fs::metadata(&bmp).unwrap();
        assert_eq!((meta.len(), meta.modified().unwrap()), (len, time));
        wait_for(
            &h,
            Duration::from_secs(10),
            "the replaced picture",
            pixel(rgb),
        );
    }
}

/// Runs `body` as an ordinary user: a test running as root (as CI does) reads files whatever
/// their permissions, so the test reruns itself as `nobody` in a child process.
#[cfg(unix)]
fn as_ordinary_user(test: &str, body: impl FnOnce()) {
    const CHILD: &str = "SIGNAGE_TEST_AS_NOBODY";
    let root = unsafe { libc::geteuid() } == 0;
    if !root {
        return body();
    }
    if std::env::var_os(CHILD).is_some() {
        unsafe {
            assert_eq!(libc::setgid(65534), 0, "setgid nobody");
            assert_eq!(libc::setuid(65534), 0, "setuid nobody");
        }
        return body();
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env(CHILD, "1")
        .env("TMPDIR", "/tmp")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "as nobody: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_picture_whose_permission_is_restored_is_taken_again() {
    use std::os::unix::fs::PermissionsExt;
    as_ordinary_user(
        "a_picture_whose_permission_is_restored_is_taken_again",
        || {
            let h = Harness::new(&image_playlist(), None);
            let png = h.dir.path().join("images/bg.png");
            std::fs::set_permissions(&png, std::fs::Permissions::from_mode(0o000)).unwrap();
            let why = wait_for(&h, Duration::from_secs(10), "the rejection", |s| match s {
                Seen::Rejected(s) => Some(s.clone()),
                _ => None,
            });
            assert!(why.contains("cannot be read"), "{why}");
            // Only the permission changes back: no byte, size or time.
            std::fs::set_permissions(&png, std::fs::Permissions::from_mode(0o644)).unwrap();
            wait_for(
                &h,
                Duration::from_secs(10),
                "the picture again",
                |s| match s {
                    Seen::Loaded { title, .. } if title == "img" => Some(()),
                    _ => None,
                },
            );
        },
    );
}
