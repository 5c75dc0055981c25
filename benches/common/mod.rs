//! What the benchmarks that play under Xvfb share: the display, the player on it, and its
//! memory as /proc reports it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// `Xvfb :number` with a 1920x400 screen (a 1920x320 wall and room below), ready to draw on.
pub fn xvfb(number: u32) -> Child {
    let xvfb = Command::new("Xvfb")
        .arg(format!(":{number}"))
        .args([
            "-screen",
            "0",
            "1920x400x24",
            "-nolisten",
            "tcp",
            "-noreset",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb (apt-get install xvfb)");
    std::thread::sleep(Duration::from_secs(1));
    xvfb
}

/// `signage play PLAYLIST` as a 1920x320 wall at 0,0 on display `:number`, logging to `log`.
pub fn play_wall(playlist: &Path, number: u32, log: &Path, runtime: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_signage"))
        .arg("play")
        .arg(playlist)
        .args(["--region", "0,0,1920x320", "--log"])
        .arg(log)
        .env("DISPLAY", format!(":{number}"))
        .env("XDG_RUNTIME_DIR", runtime)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A memory figure of process `pid` from /proc (`VmRSS:`, `VmHWM:`), in MiB.
pub fn rss_mib(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kib| kib / 1024.0)
}
