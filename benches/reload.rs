//! Reload latency and the cost of polling.
//!
//! `cargo bench --bench reload` measures, over 50 edits each with native file events and with
//! polling (every 1 s, as on a network share): the time from the last write of the playlist to
//! the first frame showing the change (watcher settle + load + validation + hand-over + one
//! offscreen frame), as median and p99; again in a busy folder (other walls' status files,
//! a sync tool's temp file, pictures arriving, all the time; see tests/common/busy.rs). Then
//! the CPU the watcher uses while polling a playlist that names 500 image files, with nothing
//! changing.

#[path = "../tests/common/busy.rs"]
mod busy;

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use signage::loader::load;
use signage::render::{Fonts, Gpu, Renderer};
use signage::rules::timeline::Frame;
use signage::system::stats::process_cpu_seconds;
use signage::watch::{ReloadEvent, WatchOptions, Watcher};

const EDITS: usize = 50;

fn main() {
    if std::env::args().any(|a| a == "--swap-only") {
        swap_cost(&Gpu::headless().unwrap_or_else(|e| panic!("{e}")));
        return;
    }
    let gpu = Gpu::headless().unwrap_or_else(|e| panic!("{e}"));
    println!("adapter: {}", gpu.adapter_name());
    for (mode, poll, busy) in [
        ("native", None, false),
        ("polling 1 s", Some(Duration::from_secs(1)), false),
        ("native, busy folder", None, true),
        ("polling 1 s, busy", Some(Duration::from_secs(1)), true),
    ] {
        let mut ms = latencies(&gpu, poll, busy);
        ms.sort_by(f64::total_cmp);
        let pct = |p: f64| ms[((ms.len() - 1) as f64 * p).round() as usize];
        println!("reload latency, {mode:<20} median {:>7.1} ms  p99 {:>7.1} ms  (settle 300 ms, {EDITS} edits)", pct(0.5), pct(0.99));
    }
    println!(
        "polling 500 named files every 1 s: {:.2} % of one core",
        polling_cpu(500)
    );
}

fn playlist(title: &str) -> String {
    format!("[display]\nwidth = 1920\nheight = 320\n[[slides]]\ntitle = \"{title}\"\n")
}

fn latencies(gpu: &Gpu, poll: Option<Duration>, busy: bool) -> Vec<f64> {
    let dir = tempfile::tempdir().unwrap();
    let _busy = busy.then(|| busy::BusyFolder::start(dir.path()));
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, playlist("start")).unwrap();
    let first = load(&path).playlist;
    let mut renderer = Renderer::new(gpu, Fonts::BundledOnly, &first);
    let (tx, rx) = mpsc::channel();
    let options = WatchOptions {
        poll,
        ..Default::default()
    };
    let _watcher = Watcher::start(&path, options, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let frame = Frame::showing(Some(0));
    let mut out = Vec::new();
    for i in 0..EDITS {
        // Vary the moment of the edit relative to the poll, as editors would.
        std::thread::sleep(Duration::from_millis(137 * (i as u64 % 7)));
        let written = Instant::now();
        std::fs::write(&path, playlist(&format!("edit {i}"))).unwrap();
        match rx.recv_timeout(Duration::from_secs(10)) {
            Ok(ReloadEvent::Loaded { playlist, text }) => {
                match text {
                    Some(text) => renderer.set_shaped_playlist(&playlist, *text),
                    None => renderer.set_playlist(&playlist),
                };
                signage::render::still::show(&mut renderer, &[0]);
                renderer.render(&frame, 0.0, None);
                gpu.device
                    .poll(wgpu::PollType::wait_indefinitely())
                    .unwrap();
                out.push(written.elapsed().as_secs_f64() * 1000.0);
            }
            Ok(ReloadEvent::Rejected { summary }) => panic!("rejected: {summary}"),
            Ok(ReloadEvent::Urgent(_)) => panic!("no urgent notice was written"),
            Err(_) => panic!("no reload within 10 s"),
        }
    }
    out
}

fn polling_cpu(files: usize) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("images")).unwrap();
    let mut toml = String::from("[ticker]\nenabled = false\n");
    for i in 0..files {
        let name = format!("images/{i:03}.png");
        image::RgbaImage::from_pixel(4, 4, image::Rgba([i as u8, 0, 0, 255]))
            .save(dir.path().join(&name))
            .unwrap();
        toml.push_str(&format!("[[slides]]\nimage = \"{name}\"\n"));
    }
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, toml).unwrap();
    assert!(load(Path::new(&path)).is_clean());
    let options = WatchOptions {
        poll: Some(Duration::from_secs(1)),
        ..Default::default()
    };
    let _watcher = Watcher::start(&path, options, |_| {}).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let (cpu0, t0) = (process_cpu_seconds().unwrap_or(0.0), Instant::now());
    std::thread::sleep(Duration::from_secs(20));
    let (cpu1, t1) = (process_cpu_seconds().unwrap_or(0.0), Instant::now());
    (cpu1 - cpu0) / (t1 - t0).as_secs_f64() * 100.0
}

/// How long the render thread spends taking a reloaded playlist whose ticker was shaped on the
/// watcher thread (its unchanged slides stay resident), and how long that shaping took there:
/// the bundled playlist, 50 times each.
fn swap_cost(gpu: &Gpu) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("playlists/default.toml");
    let playlist = load(&path).playlist;
    let mut renderer = Renderer::new(gpu, Fonts::BundledOnly, &playlist);
    let all: Vec<usize> = (0..playlist.slides.len()).collect();
    signage::render::still::show(&mut renderer, &all);
    let mut fs = signage::render::text::font_system_with(renderer.font_database());
    let (mut shaping, mut taking) = (Vec::new(), Vec::new());
    for _ in 0..50 {
        let t = Instant::now();
        let shaped = signage::render::text::shape_playlist(
            &mut fs,
            &playlist,
            Fonts::BundledOnly,
            chrono::Local::now().naive_local(),
        );
        shaping.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = Instant::now();
        renderer.set_shaped_playlist(&playlist, shaped);
        taking.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    for v in [&mut shaping, &mut taking] {
        v.sort_by(f64::total_cmp);
    }
    println!(
        "shaping a reload on the watcher thread (bundled playlist): median {:.2} ms, max {:.2} ms",
        shaping[25], shaping[49]
    );
    println!(
        "taking it on the render thread: median {:.2} ms, max {:.2} ms",
        taking[25], taking[49]
    );
}
