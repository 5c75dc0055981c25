//! When to read what changed: the settle rule, fed changes and instants, with no thread and no
//! clock of its own (as `pacing.rs` is fed frames).
//!
//! Only changes to the files the wall uses count: the playlist, the files it names and the
//! urgent files. A shared folder is rarely quiet (other walls' status files, sync tools' temp
//! files, a folder of pictures being copied), and a rule that waited for the whole folder to
//! fall silent would never read the playlist there.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a file that matters may keep changing before it is read anyway: a file written to
/// without a pause (a log someone named as a picture, a sync that never finishes) must not
/// hold every later edit and urgent notice off for good.
pub const OVERDUE: Duration = Duration::from_secs(30);

/// The settle rule: read once the files that matter have been unchanged for `quiet` and have
/// been looked at since their last change, or once they have been changing for `bound`.
#[derive(Debug, Clone)]
pub struct Settle {
    quiet: Duration,
    bound: Duration,
    /// The first and the last change of the changes not yet read.
    burst: Option<(Instant, Instant)>,
}

/// Why the files are to be read now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ready {
    /// They have stopped changing.
    Settled,
    /// They have not stopped changing for this long: read as they are.
    Overdue(Duration),
}

impl Settle {
    pub fn new(quiet: Duration, bound: Duration) -> Settle {
        Settle {
            quiet,
            bound,
            burst: None,
        }
    }

    /// A file that matters changed (an event named it, or a look found it different).
    pub fn changed(&mut self, at: Instant) {
        self.burst = Some(match self.burst {
            Some((first, last)) => (first, last.max(at)),
            None => (at, at),
        });
    }

    /// Whether changes wait to be read: look at the files often meanwhile.
    pub fn changing(&self) -> bool {
        self.burst.is_some()
    }

    /// Whether to read now, given that the files were last looked at from `looked` on (a look
    /// that started before the last change may have seen it half done). Forgets the changes
    /// it answers for.
    pub fn ready(&mut self, now: Instant, looked: Instant) -> Option<Ready> {
        let (first, last) = self.burst?;
        let ready = if looked > last && now.saturating_duration_since(last) >= self.quiet {
            Ready::Settled
        } else if now.saturating_duration_since(first) >= self.bound {
            Ready::Overdue(now.saturating_duration_since(first))
        } else {
            return None;
        };
        self.burst = None;
        Some(ready)
    }
}

/// Whether a file event about `paths` concerns one of `files` (the playlist, the files it
/// names, the urgent files) or a folder that holds one. An event that names no path (an
/// overflowed queue) may concern anything.
pub fn matters(paths: &[PathBuf], files: &[PathBuf]) -> bool {
    paths.is_empty()
        || paths.iter().any(|p| {
            files
                .iter()
                .any(|f| same_path(p, f) || same_path(p, crate::model::file::folder_of(f)))
        })
}

/// Windows shares match names whatever their case, and events name files as they are on disk.
fn same_path(a: &Path, b: &Path) -> bool {
    if cfg!(windows) {
        a.as_os_str().eq_ignore_ascii_case(b.as_os_str())
    } else {
        a == b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const QUIET: Duration = Duration::from_millis(300);

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn nothing_is_read_before_anything_changed() {
        let t0 = Instant::now();
        let mut s = Settle::new(QUIET, OVERDUE);
        assert_eq!(s.ready(t0 + ms(10_000), t0 + ms(9_000)), None);
        assert!(!s.changing());
    }

    #[test]
    fn a_change_is_read_once_quiet_and_looked_at() {
        let t0 = Instant::now();
        let mut s = Settle::new(QUIET, OVERDUE);
        s.changed(t0);
        assert!(s.changing());
        // Too soon.
        assert_eq!(s.ready(t0 + ms(200), t0 + ms(100)), None);
        // Quiet long enough, but the last look started before the change: not yet.
        assert_eq!(s.ready(t0 + ms(400), t0), None);
        assert_eq!(s.ready(t0 + ms(400), t0 + ms(350)), Some(Ready::Settled));
        // Answered for: not again.
        assert_eq!(s.ready(t0 + ms(500), t0 + ms(450)), None);
        assert!(!s.changing());
    }

    #[test]
    fn each_change_restarts_the_quiet_time() {
        let t0 = Instant::now();
        let mut s = Settle::new(QUIET, OVERDUE);
        s.changed(t0);
        s.changed(t0 + ms(250));
        assert_eq!(s.ready(t0 + ms(400), t0 + ms(300)), None);
        assert_eq!(s.ready(t0 + ms(560), t0 + ms(500)), Some(Ready::Settled));
    }

    #[test]
    fn a_file_that_never_stops_changing_is_read_after_the_bound() {
        let t0 = Instant::now();
        let mut s = Settle::new(QUIET, OVERDUE);
        let mut now = t0;
        let mut read = None;
        // A change every 100 ms, looked at every 100 ms.
        while now < t0 + ms(40_000) {
            s.changed(now);
            now += ms(100);
            if let Some(r) = s.ready(now, now - ms(50)) {
                read = Some((now, r));
                break;
            }
        }
        let (at, why) = read.expect("read within the bound");
        assert_eq!(at, t0 + OVERDUE);
        assert_eq!(why, Ready::Overdue(OVERDUE));
        // A new burst starts from the next change, with a bound of its own.
        s.changed(at);
        assert_eq!(s.ready(at + ms(100), at + ms(50)), None);
    }

    #[test]
    fn only_the_files_the_wall_uses_matter() {
        let files = [
            PathBuf::from("/share/playlist.toml"),
            PathBuf::from("/share/urgent.txt"),
            PathBuf::from("/share/images/traffic.png"),
        ];
        let event = |p: &str| vec![PathBuf::from(p)];
        assert!(matters(&event("/share/playlist.toml"), &files));
        assert!(matters(&event("/share/urgent.txt"), &files));
        assert!(matters(&event("/share/images/traffic.png"), &files));
        // A rename names both ends: the temp file and the playlist it becomes.
        let rename = vec![
            PathBuf::from("/share/.playlist.toml.swp"),
            PathBuf::from("/share/playlist.toml"),
        ];
        assert!(matters(&rename, &files));
        // Other walls' status files, sync temp files, pictures the playlist does not use.
        for other in [
            "/share/wall-3.status.json",
            "/share/.syncthing.playlist.toml.tmp",
            "/share/images/unused-0412.jpg",
            "/share/Thumbs.db",
            "/share/playlist.toml.report.txt",
        ] {
            assert!(!matters(&event(other), &files), "{other}");
        }
        // The folder itself (deleted, recreated) and an overflowed event queue.
        assert!(matters(&event("/share/images"), &files));
        assert!(matters(&[], &files));
    }
}
