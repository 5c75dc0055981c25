//! `signage play --supervise`: a small parent that runs the player as a child process and
//! restarts it when it exits abnormally or stops drawing while something should move. Alive
//! but frozen (a hung GPU driver, a deadlock) is the worst failure a wall has: nobody is there
//! to notice. The parent owns nothing else: no window, no GPU, no playlist.
//!
//! The child reports once a second on its standard output (see [`heartbeat_line`]): frames
//! drawn so far, and whether frames should be coming. No report for [`STALL`], or no new frame
//! for that long while it says something moves, and the child is killed and started again.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long the child may go without reporting, or without drawing while something moves.
pub const STALL: Duration = Duration::from_secs(8);
/// How long a fresh child has to report for the first time (opening the window and the GPU).
const FIRST_REPORT: Duration = Duration::from_secs(30);
/// Restarts wait this long, doubling while the child keeps failing soon after it starts.
const FIRST_DELAY: Duration = Duration::from_secs(1);
const MAX_DELAY: Duration = Duration::from_secs(10);
/// A child that ran this long counts as having worked: the next restart is quick again.
const HEALTHY_RUN: Duration = Duration::from_secs(60);

/// The flag the parent adds to the child's arguments.
pub const HEARTBEAT_FLAG: &str = "--heartbeat";

/// What the child writes once a second.
pub fn heartbeat_line(frames: u64, moving: bool) -> String {
    format!(
        "signage-heartbeat frames={frames} moving={}\n",
        u8::from(moving)
    )
}

/// A heartbeat read back: frames drawn and whether frames should be coming.
fn parse_heartbeat(line: &str) -> Option<(u64, bool)> {
    let rest = line.trim().strip_prefix("signage-heartbeat ")?;
    let mut frames = None;
    let mut moving = None;
    for field in rest.split_whitespace() {
        match field.split_once('=')? {
            ("frames", v) => frames = v.parse().ok(),
            ("moving", v) => moving = Some(v == "1"),
            _ => {}
        }
    }
    Some((frames?, moving?))
}

/// Why a child was ended, or ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It exited with success (Ctrl+Alt+Q, or it was told to stop): do not restart.
    Finished,
    Exited(String),
    Silent(Duration),
    Frozen(Duration),
}

/// Watches one child's heartbeats. Pure: the caller passes the time.
#[derive(Debug, Clone)]
pub struct Watchdog {
    started: Instant,
    last_report: Option<Instant>,
    frames: u64,
    frames_changed: Instant,
    moving: bool,
}

impl Watchdog {
    pub fn new(now: Instant) -> Watchdog {
        Watchdog {
            started: now,
            last_report: None,
            frames: 0,
            frames_changed: now,
            moving: false,
        }
    }

    pub fn report(&mut self, frames: u64, moving: bool, now: Instant) {
        if frames != self.frames || !moving || !self.moving {
            self.frames_changed = now;
        }
        self.frames = frames;
        self.moving = moving;
        self.last_report = Some(now);
    }

    /// Whether the child must be restarted, and why.
    pub fn check(&self, now: Instant) -> Option<Verdict> {
        match self.last_report {
            None if now.duration_since(self.started) > FIRST_REPORT => {
                Some(Verdict::Silent(now.duration_since(self.started)))
            }
            None => None,
            Some(last) if now.duration_since(last) > STALL => {
                Some(Verdict::Silent(now.duration_since(last)))
            }
            Some(_) if self.moving && now.duration_since(self.frames_changed) > STALL => {
                Some(Verdict::Frozen(now.duration_since(self.frames_changed)))
            }
            Some(_) => None,
        }
    }
}

/// Runs `signage play ARGS` as a child until it finishes, restarting it whenever it fails.
/// Returns when the child exits successfully or the supervisor is told to stop.
pub fn supervise(args: Vec<OsString>) -> Result<(), String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?;
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| format!("cannot handle SIGTERM/SIGINT: {e}"))?;
    let mut delay = FIRST_DELAY;
    let mut restarts = 0u64;
    loop {
        let started = Instant::now();
        let (mut child, beats) = spawn(&exe, &args)?;
        tracing::info!("supervising the player (pid {})", child.id());
        let verdict = watch(&mut child, &beats, &stop);
        if stop.load(Ordering::SeqCst) {
            tracing::info!("stopping the player");
            crate::system::platform::terminate(&mut child, Duration::from_secs(5));
            return Ok(());
        }
        let why = match verdict {
            Verdict::Finished => {
                tracing::info!("the player finished; not restarting it");
                return Ok(());
            }
            Verdict::Exited(status) => format!("the player exited ({status})"),
            Verdict::Silent(d) => {
                format!("the player has not reported for {} s (hung?)", d.as_secs())
            }
            Verdict::Frozen(d) => format!(
                "the player has drawn nothing for {} s while its picture should move (frozen?)",
                d.as_secs()
            ),
        };
        // A hung process may not answer SIGTERM; it is killed outright.
        let _ = child.kill();
        let _ = child.wait();
        restarts += 1;
        if started.elapsed() >= HEALTHY_RUN {
            delay = FIRST_DELAY;
        }
        tracing::error!(
            "{why}; restarting it in {} s (restart {restarts})",
            delay.as_secs()
        );
        sleep_unless(&stop, delay);
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        delay = (delay * 2).min(MAX_DELAY);
    }
}

fn spawn(exe: &PathBuf, args: &[OsString]) -> Result<(Child, Receiver<(u64, bool)>), String> {
    let mut child = Command::new(exe)
        .arg("play")
        .args(args)
        .arg(HEARTBEAT_FLAG)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start the player: {e}"))?;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .name("signage-heartbeats".into())
        .spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if let Some(beat) = parse_heartbeat(&line) {
                    if tx.send(beat).is_err() {
                        return;
                    }
                }
            }
        })
        .map_err(|e| format!("cannot read the player's heartbeats: {e}"))?;
    Ok((child, rx))
}

/// Waits until the child exits or must be restarted.
fn watch(child: &mut Child, beats: &Receiver<(u64, bool)>, stop: &AtomicBool) -> Verdict {
    let mut dog = Watchdog::new(Instant::now());
    loop {
        if stop.load(Ordering::SeqCst) {
            return Verdict::Finished;
        }
        match beats.recv_timeout(Duration::from_millis(250)) {
            Ok((frames, moving)) => dog.report(frames, moving, Instant::now()),
            Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {}
        }
        if let Ok(Some(status)) = child.try_wait() {
            return exit_verdict(status);
        }
        if let Some(v) = dog.check(Instant::now()) {
            return v;
        }
    }
}

fn exit_verdict(status: ExitStatus) -> Verdict {
    if status.success() {
        Verdict::Finished
    } else {
        Verdict::Exited(status.to_string())
    }
}

fn sleep_unless(stop: &AtomicBool, total: Duration) {
    let until = Instant::now() + total;
    while Instant::now() < until && !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heartbeats_read_back() {
        assert_eq!(
            parse_heartbeat(&heartbeat_line(1234, true)),
            Some((1234, true))
        );
        assert_eq!(parse_heartbeat("something else"), None);
        assert_eq!(parse_heartbeat("signage-heartbeat frames=x moving=1"), None);
    }

    #[test]
    fn silence_and_frozen_frames_are_told_apart_from_a_still_picture() {
        let t0 = Instant::now();
        let s = |secs: u64| t0 + Duration::from_secs(secs);
        let dog = Watchdog::new(t0);
        assert_eq!(dog.check(s(20)), None, "time to start");
        assert!(matches!(dog.check(s(31)), Some(Verdict::Silent(_))));

        let mut dog = Watchdog::new(t0);
        // A still picture: no frames, nothing moves; reports keep coming. Fine.
        for t in 1..30 {
            dog.report(5, false, s(t));
            assert_eq!(dog.check(s(t)), None);
        }
        // The ticker moves and frames advance. Fine.
        for t in 30..40 {
            dog.report(5 + (t - 30) * 60, true, s(t));
            assert_eq!(dog.check(s(t)), None);
        }
        // Reports go on but frames stop while the ticker should move: frozen.
        for t in 40..49 {
            dog.report(545, true, s(t));
        }
        assert_eq!(
            dog.check(s(48)),
            Some(Verdict::Frozen(Duration::from_secs(9)))
        );
        // No reports at all: silent (a SIGSTOP, a deadlock in the event loop).
        let mut dog = Watchdog::new(t0);
        dog.report(1, true, s(1));
        assert_eq!(dog.check(s(9)), None);
        assert_eq!(
            dog.check(s(10)),
            Some(Verdict::Silent(Duration::from_secs(9)))
        );
    }
}
