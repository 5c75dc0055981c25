//! Memory and start-up against a large playlist: 1000 different 1920x1080 JPEG photos (made
//! once, kept in `target/bench-photos/`).
//!
//! `cargo bench --bench memory` measures `signage check` on it (time, peak RSS), then, when
//! Xvfb is installed, plays it at 1920x320 for 60 s (`SIGNAGE_BENCH_SECS`) with 2 s slides:
//! the time to the first frame, and the player's RSS every 5 s and at its peak. Then it reloads
//! the player to a four-slide playlist and reports the RSS after that.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PHOTOS: usize = 1000;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-photos");
    make_photos(&dir);
    let playlist = dir.join("playlist.toml");
    let mut toml = String::from(
        "[display]\nwidth = 1920\nheight = 320\n[defaults]\nduration = \"2s\"\nfit = \"contain\"\n",
    );
    for i in 0..PHOTOS {
        toml += &format!("[[slides]]\nimage = \"photo-{i:04}.jpg\"\n");
    }
    std::fs::write(&playlist, &toml).unwrap();
    let bin = env!("CARGO_BIN_EXE_signage");

    let started = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M"])
        .arg(bin)
        .arg("check")
        .arg(&playlist)
        .stdout(Stdio::null())
        .output()
        .expect("run /usr/bin/time (Debian: apt-get install time)");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let peak_kib: f64 = stderr
        .lines()
        .last()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0.0);
    assert!(out.status.success(), "check failed:\n{stderr}");
    println!(
        "check, {PHOTOS} photos of 1920x1080: {:.1} s, peak RSS {:.0} MiB",
        took.as_secs_f64(),
        peak_kib / 1024.0
    );

    if Command::new("Xvfb").arg("-help").output().is_err() {
        println!("(Xvfb is not installed: the player is not measured)");
        return;
    }
    play(&playlist, &dir);
}

fn make_photos(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let last = dir.join(format!("photo-{:04}.jpg", PHOTOS - 1));
    if last.exists() {
        return;
    }
    eprintln!("making {PHOTOS} photos in {} (once)…", dir.display());
    for i in 0..PHOTOS {
        // Smooth colour fields with fine grain, like a photo: JPEG files of ~200 KB.
        let (a, b) = ((i * 37 % 256) as f32, (i * 91 % 256) as f32);
        let img = image::RgbImage::from_fn(1920, 1080, |x, y| {
            let grain = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729) ^ i as u32) % 23) as f32;
            image::Rgb([
                (a + x as f32 / 8.0 + grain) as u8,
                (b + y as f32 / 5.0 + grain) as u8,
                ((x + y) as f32 / 12.0 + grain) as u8,
            ])
        });
        img.save(dir.join(format!("photo-{i:04}.jpg"))).unwrap();
    }
}

fn play(playlist: &PathBuf, dir: &Path) {
    let secs: u64 = std::env::var("SIGNAGE_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60);
    let runtime = tempfile::tempdir().unwrap();
    let mut xvfb = common::xvfb(93);
    let log = dir.join("player.log");
    let _ = std::fs::remove_file(&log);
    let started = Instant::now();
    let mut player = common::play_wall(playlist, 93, &log, runtime.path());
    let pid = player.id();
    let mut samples = Vec::new();
    while started.elapsed() < Duration::from_secs(secs) {
        std::thread::sleep(Duration::from_secs(5));
        samples.push(common::rss_mib(pid, "VmRSS:"));
    }
    let peak = common::rss_mib(pid, "VmHWM:");
    // Back to a small playlist: memory follows what is on screen.
    let small = dir.join("small.toml");
    std::fs::write(
        &small,
        "[display]\nwidth = 1920\nheight = 320\n[[slides]]\nimage = \"photo-0000.jpg\"\n[[slides]]\ntitle = \"a\"\n[[slides]]\ntitle = \"b\"\n[[slides]]\nimage = \"photo-0001.jpg\"\n",
    )
    .unwrap();
    std::fs::rename(&small, playlist).unwrap();
    std::thread::sleep(Duration::from_secs(10));
    let after_reload = common::rss_mib(pid, "VmRSS:");
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let _ = player.wait();
    let _ = xvfb.kill();
    let _ = xvfb.wait();
    let first_frame = std::fs::read_to_string(&log)
        .ok()
        .and_then(|l| {
            l.lines()
                .find(|l| l.contains("first frame"))
                .map(str::to_string)
        })
        .unwrap_or_else(|| "(no first-frame line in the log)".into());
    println!("play, {PHOTOS} photos at 1920x320, 2 s each: {first_frame}");
    println!(
        "  RSS every 5 s (MiB): {}",
        samples
            .iter()
            .map(|m| format!("{m:.0}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!("  peak RSS {peak:.0} MiB; after reloading to 4 slides {after_reload:.0} MiB");
}
