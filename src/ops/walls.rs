//! `signage status`: many walls, one share. Each player writes its `--status` file there; this
//! reads them all and prints one line per wall, for a person or a scheduled task that alerts:
//! alive or silent (by the file's age), frozen (frames stopped while something should move),
//! what it plays, fps, the last reload and its first error, uptime.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::lang::Msg;
use crate::share::status_file::{ReloadResult, StatusFile};

/// A status file older than this: the wall (or its PC) is not running.
pub const SILENT_AFTER: Duration = Duration::from_secs(30);
/// No frame for this long while the wall says something moves: frozen.
const FROZEN_AFTER: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Alive,
    /// The status file has not been replaced for a while.
    Silent,
    /// The player writes its status, but draws nothing while it should.
    Frozen,
    /// Alive, but its last reload was rejected: the editors' change is not on the wall.
    Rejected,
    /// The status file is dated ahead of this computer's clock: one of the two clocks is
    /// wrong, and the wall's schedule (and its silence) cannot be trusted.
    Clock,
    /// Not a status file, or unreadable.
    Unknown,
}

impl Verdict {
    fn word(self) -> Msg {
        match self {
            Verdict::Alive => Msg::VerdictOk,
            Verdict::Silent => Msg::VerdictSilent,
            Verdict::Frozen => Msg::VerdictFrozen,
            Verdict::Rejected => Msg::VerdictRejected,
            Verdict::Clock => Msg::VerdictClock,
            Verdict::Unknown => Msg::VerdictUnknown,
        }
    }

    /// Whether someone should be told.
    pub fn is_bad(self) -> bool {
        self != Verdict::Alive
    }
}

/// A status file dated more than this ahead of the reader's clock: the wall's clock is off (a
/// little is the share's and the two PCs' clocks disagreeing).
const AHEAD_AFTER: Duration = Duration::from_secs(60);

/// The status files among `paths`: files as given, and in folders the `*.json` files that are
/// status files (they name a playlist and say when they were written) or that cannot be read
/// as JSON at all (a status file empty, half written or broken must show, not vanish); other
/// JSON files (a playlist schema) are left out.
pub fn status_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let Ok(entries) = std::fs::read_dir(p) else {
                continue;
            };
            let mut found: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|f| f.extension().is_some_and(|e| e == "json"))
                .filter(|f| !is_other_json(f))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(p.clone());
        }
    }
    files
}

fn read(file: &Path) -> Option<StatusFile> {
    let bytes = crate::share::read_limited(file, 1 << 20).ok()?;
    StatusFile::parse(&bytes)
}

/// A JSON file that is whole but no status file (it says nothing of when it was written).
fn is_other_json(file: &Path) -> bool {
    crate::share::read_limited(file, 1 << 20)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .is_some_and(|v| v.get("written_at").is_none())
}

/// One wall's line, in the editor's language, and whether it is in trouble.
pub fn line(file: &Path, now: SystemTime) -> (Verdict, String) {
    let name = file
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok();
    let Some(status) = read(file) else {
        let why = Msg::NotAStatusFile {
            path: file.display().to_string(),
        }
        .to_string();
        return (Verdict::Unknown, head(Verdict::Unknown, &name, &why));
    };
    let age = modified.and_then(|t| now.duration_since(t).ok());
    // Ahead by the file's time on the share, or by the time the wall wrote into it.
    let written = chrono::DateTime::parse_from_rfc3339(&status.written_at)
        .ok()
        .map(SystemTime::from);
    let ahead = [modified, written]
        .into_iter()
        .flatten()
        .filter_map(|t| t.duration_since(now).ok())
        .max();
    describe(&name, &status, age.unwrap_or_default(), ahead)
}

/// The verdict and line for a wall's `status`, last written `age` ago, dated `ahead` of this
/// computer's clock if it is. Pure, but for the language of the line.
pub fn describe(
    name: &str,
    status: &StatusFile,
    age: Duration,
    ahead: Option<Duration>,
) -> (Verdict, String) {
    let result = status.last_reload.result;
    let started_a_while_ago = status.uptime_s.is_some_and(|u| u > FROZEN_AFTER as u64);
    let last_frame = status.last_frame_at.as_deref().unwrap_or("");
    let frozen = status.moving
        && started_a_while_ago
        && seconds_between(last_frame, &status.written_at).is_none_or(|d| d > FROZEN_AFTER);
    let ahead = ahead.filter(|a| *a > AHEAD_AFTER);
    let verdict = if ahead.is_some() {
        Verdict::Clock
    } else if age > SILENT_AFTER {
        Verdict::Silent
    } else if frozen {
        Verdict::Frozen
    } else if result == ReloadResult::Rejected {
        Verdict::Rejected
    } else {
        Verdict::Alive
    };
    // Each part in the editor's language; values (names, times) as they are.
    let mut parts: Vec<String> = Vec::new();
    let mut say = |m: Msg| parts.push(m.to_string());
    if let Some(a) = ahead {
        say(Msg::ClockAhead { by: human(a) });
    }
    if verdict == Verdict::Silent {
        say(Msg::NotHeardFrom { time: human(age) });
    }
    let headline = status
        .urgent
        .as_ref()
        .map_or(String::new(), |u| u.headline.clone());
    let mut playing = match (status.dark, &status.current_slide) {
        (true, _) => Msg::Dark,
        (_, Some(_)) if status.urgent.is_some() => Msg::ShowingUrgent {
            headline: headline.clone(),
        },
        (_, Some(slide)) => Msg::Playing {
            slide: slide.clone(),
        },
        (_, None) => Msg::TickerOnly,
    }
    .to_string();
    match status.brightness {
        Some(level) if level < 100 && !status.dark => {
            playing += &Msg::AtBrightness { level }.to_string();
        }
        _ => {}
    }
    if let Some(fps) = status.fps {
        playing += &format!(", {fps:.1} fps");
    }
    parts.push(playing);
    let mut say = |m: Msg| parts.push(m.to_string());
    if status.dark && status.urgent.is_some() {
        say(Msg::UrgentWaits { headline });
    }
    if verdict == Verdict::Frozen {
        say(Msg::LastFrame {
            at: last_frame.to_string(),
        });
    }
    let mut reload = Msg::LastReload {
        result: Box::new(result.word()),
        at: status.loaded_at.clone().unwrap_or_default(),
    }
    .to_string();
    if let (Some(e), ReloadResult::Rejected) = (status.last_reload.errors.first(), result) {
        reload += &format!(": {e}");
    }
    parts.push(reload);
    let mut say = |m: Msg| parts.push(m.to_string());
    if let Some(up) = status.uptime_s {
        say(Msg::Up {
            time: human(Duration::from_secs(up)),
        });
    }
    if let Some(since) = &status.share_not_answering_since {
        say(Msg::ShareSilent {
            since: since.clone(),
        });
    }
    let what = std::iter::once(status.playlist.clone())
        .chain(parts)
        .collect::<Vec<_>>()
        .join(&Msg::Separator.to_string());
    (verdict, head(verdict, name, &what))
}

/// `ok        lobby: what` (the verdict padded so that the walls' lines align).
fn head(verdict: Verdict, name: &str, what: &str) -> String {
    format!("{:<9} {name}: {what}", verdict.word())
}

/// Seconds from `a` to `b`, two times as the status file writes them.
fn seconds_between(a: &str, b: &str) -> Option<i64> {
    let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).ok();
    Some((parse(b)? - parse(a)?).num_seconds())
}

fn human(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60) {
        (0, 0, 0, s) => format!("{s}s"),
        (0, 0, m, s) => format!("{m}m {s}s"),
        (0, h, m, _) => format!("{h}h {m}m"),
        (d, h, _, _) => format!("{d}d {h}h"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::status_file::{LastReload, UrgentStatus};

    fn status(result: ReloadResult, moving: bool, last_frame: &str) -> StatusFile {
        StatusFile {
            playlist: "/share/lobby.toml".into(),
            loaded_at: Some("2027-03-01T08:00:00.000+08:00".into()),
            last_reload: LastReload {
                result,
                errors: vec!["/share/lobby.toml:3:1: unknown key `duraton`".into()],
                ..Default::default()
            },
            current_slide: Some("volunteers".into()),
            fps: Some(60.0),
            frames: 1000,
            last_frame_at: Some(last_frame.into()),
            moving,
            uptime_s: Some(93_784),
            written_at: "2027-03-01T09:00:00.000+08:00".into(),
            ..Default::default()
        }
    }

    #[test]
    fn tells_alive_silent_frozen_and_rejected_apart() {
        let fresh = Duration::from_secs(3);
        let now = "2027-03-01T08:59:59.900+08:00";
        let (v, line) = describe("lobby", &status(ReloadResult::Ok, true, now), fresh, None);
        assert_eq!(v, Verdict::Alive, "{line}");
        assert_eq!(
            line,
            "ok        lobby: /share/lobby.toml; playing \"volunteers\", 60.0 fps; last reload ok at 2027-03-01T08:00:00.000+08:00; up 1d 2h"
        );
        let (v, line) = describe(
            "lobby",
            &status(ReloadResult::Ok, true, now),
            Duration::from_secs(300),
            None,
        );
        assert_eq!(v, Verdict::Silent);
        assert!(line.contains("not heard from for 5m 0s"), "{line}");
        let stale = "2027-03-01T08:58:00.000+08:00";
        assert_eq!(
            describe("lobby", &status(ReloadResult::Ok, true, stale), fresh, None).0,
            Verdict::Frozen
        );
        // A still picture draws no frames, and that is fine.
        assert_eq!(
            describe(
                "lobby",
                &status(ReloadResult::Ok, false, stale),
                fresh,
                None
            )
            .0,
            Verdict::Alive
        );
        // A dark wall at night draws nothing either, and says why; a dimmed one says how much.
        let mut night = status(ReloadResult::Ok, false, stale);
        night.dark = true;
        let (v, line) = describe("lobby", &night, fresh, None);
        assert_eq!(v, Verdict::Alive);
        assert!(
            line.contains("; dark (outside its display hours)"),
            "{line}"
        );
        let mut evening = status(ReloadResult::Ok, true, now);
        evening.brightness = Some(50);
        let (_, line) = describe("lobby", &evening, fresh, None);
        assert!(
            line.contains("playing \"volunteers\" at 50 % brightness"),
            "{line}"
        );
        let (v, line) = describe(
            "lobby",
            &status(ReloadResult::Rejected, false, now),
            fresh,
            None,
        );
        assert_eq!(v, Verdict::Rejected);
        assert!(
            line.contains("rejected at 2027-03-01T08:00:00.000+08:00: /share/lobby.toml:3:1"),
            "{line}"
        );
    }

    #[test]
    fn a_wall_dated_ahead_is_flagged_and_an_urgent_notice_named() {
        let fresh = Duration::from_secs(3);
        let now = "2027-03-01T08:59:59.900+08:00";
        let ahead = Some(Duration::from_secs(3 * 3600));
        let (v, line) = describe("lobby", &status(ReloadResult::Ok, true, now), fresh, ahead);
        assert_eq!(v, Verdict::Clock, "{line}");
        assert!(v.is_bad());
        assert!(
            line.starts_with(
                "CLOCK     lobby: /share/lobby.toml; dated 3h 0m ahead of this computer's clock"
            ),
            "{line}"
        );
        // A few seconds between two PCs' clocks is no fault.
        let slight = Some(Duration::from_secs(5));
        assert_eq!(
            describe("lobby", &status(ReloadResult::Ok, true, now), fresh, slight).0,
            Verdict::Alive
        );

        let mut urgent = status(ReloadResult::Ok, false, now);
        urgent.urgent = Some(UrgentStatus {
            headline: "停电通知".into(),
            on_wall: true,
            ..Default::default()
        });
        let (_, line) = describe("lobby", &urgent, fresh, None);
        assert!(
            line.contains("; showing the urgent notice \"停电通知\""),
            "{line}"
        );
        urgent.dark = true;
        let (_, line) = describe("lobby", &urgent, fresh, None);
        assert!(
            line.contains("; dark (outside its display hours), 60.0 fps; the urgent notice \"停电通知\" waits for the display hours"),
            "{line}"
        );
    }
}
