//! Memory and start-up against the ticker's length: the player at 1920x320 (a 64 px band)
//! under Xvfb with a ticker of 35 (the core values), 10 000 and 100 000 characters.
//!
//! `cargo bench --bench ticker` prints, for each length: the time from start to the first
//! frame (from the player's log), the RSS after 10 s of crawling (`SIGNAGE_BENCH_SECS`) and at
//! its peak, and the RSS 25 s after the playlist is saved again with the 35-character ticker.
//! Memory should stay flat: only the strip tiles on screen and the next one are kept.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const CORE_VALUES: &str = "富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善";

fn main() {
    if Command::new("Xvfb").arg("-help").output().is_err() {
        println!("Xvfb is not installed (apt-get install xvfb): nothing measured");
        return;
    }
    let secs: u64 = std::env::var("SIGNAGE_BENCH_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let mut xvfb = common::xvfb(94);
    println!(
        "chars    first frame   RSS after {secs} s   peak RSS   RSS after saving a short ticker"
    );
    for chars in [35, 10_000, 100_000] {
        measure(chars, secs);
    }
    let _ = xvfb.kill();
    let _ = xvfb.wait();
}

fn playlist(chars: usize) -> String {
    let text: String = CORE_VALUES.chars().cycle().take(chars).collect();
    format!("[display]\nwidth = 1920\nheight = 320\n[ticker]\ntext = \"{text}\"\n[[slides]]\ntitle = \"公益广告\"\n")
}

fn measure(chars: usize, secs: u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, playlist(chars)).unwrap();
    let log = dir.path().join("player.log");
    let started = Instant::now();
    let mut player = common::play_wall(&path, 94, &log, dir.path());
    let pid = player.id();
    let first_frame = wait_for_line(&log, "first frame", Duration::from_secs(120));
    let first = first_frame.map_or("-".into(), |_| {
        format!("{:.2} s", started.elapsed().as_secs_f64())
    });
    std::thread::sleep(Duration::from_secs(secs));
    let rss = common::rss_mib(pid, "VmRSS:");
    let peak = common::rss_mib(pid, "VmHWM:");
    // Saved again with the short ticker: the long strip's memory must come back.
    let tmp = dir.path().join("playlist.tmp");
    std::fs::write(&tmp, playlist(35)).unwrap();
    std::fs::rename(&tmp, &path).unwrap();
    // The long text scrolls out first (the band's width, 16 s at 120 px/s).
    std::thread::sleep(Duration::from_secs(25));
    let after = common::rss_mib(pid, "VmRSS:");
    let _ = Command::new("kill").arg(pid.to_string()).status();
    let _ = player.wait();
    println!("{chars:<8} {first:>11}   {rss:>12.0} MiB   {peak:>5.0} MiB   {after:>5.0} MiB");
}

fn wait_for_line(log: &Path, needle: &str, limit: Duration) -> Option<String> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(line) = std::fs::read_to_string(log)
            .ok()
            .and_then(|l| l.lines().find(|l| l.contains(needle)).map(str::to_string))
        {
            return Some(line);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}
