//! Proof of play: what the wall showed, when and for how long, as one CSV file per day
//! (`play-YYYY-MM-DD.csv`), so that an office can show its inspectors what played while nobody
//! watched. Rows are written from a thread of their own; a frame only sends a message when the
//! slide changes. Files are bounded in size and kept for a number of days; a folder that cannot
//! be written to is reported once and stops nothing.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Instant;

use chrono::{DateTime, FixedOffset, NaiveDate};

/// A moment as the log writes it: local time with its offset from UTC, so that a row across a
/// daylight-saving change (or a wall moved to another time zone) reads as it happened.
pub type Stamp = DateTime<FixedOffset>;

/// A day's file stops growing here (a slide every second for a whole day is about 10 MB).
pub const MAX_DAY_BYTES: u64 = 16 << 20;
pub const HEADER: &str = "start,end,seconds,slide,content,playlist\n";

/// What one row says was on the wall.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The slide's name; `None` while no slide is eligible (the ticker over the background).
    pub slide: Option<String>,
    /// Its image (as the playlist names it) or its title.
    pub content: String,
    pub playlist: String,
}

enum Message {
    Shown(Shown, Stamp, Instant),
}

/// The play-log writer. Dropping it writes the row of what shows now and ends the thread.
pub struct PlayLog {
    tx: Sender<Message>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl PlayLog {
    pub fn start(dir: PathBuf, keep_days: u32) -> Option<PlayLog> {
        let (tx, rx) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("signage-playlog".into())
            .spawn(move || Writer::new(dir, keep_days).run(rx))
            .map_err(|e| tracing::error!("cannot start the play log: {e}"))
            .ok()?;
        Some(PlayLog {
            tx,
            thread: Some(thread),
        })
    }

    /// `shown` is on the wall from `wall` (local time with its offset) on; `mono` measures how
    /// long.
    pub fn shown(&self, shown: Shown, wall: Stamp, mono: Instant) {
        let _ = self.tx.send(Message::Shown(shown, wall, mono));
    }
}

impl Drop for PlayLog {
    fn drop(&mut self) {
        // Closing the channel makes the writer finish the last row.
        let (dead, _) = mpsc::channel();
        self.tx = dead;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Writer {
    dir: PathBuf,
    keep_days: u32,
    current: Option<(Shown, Stamp, Instant)>,
    /// The last failure was reported; say nothing until a write succeeds again.
    failing: bool,
    full_day: Option<NaiveDate>,
    pruned: Option<NaiveDate>,
}

impl Writer {
    fn new(dir: PathBuf, keep_days: u32) -> Writer {
        Writer {
            dir,
            keep_days,
            current: None,
            failing: false,
            full_day: None,
            pruned: None,
        }
    }

    fn run(mut self, rx: Receiver<Message>) {
        while let Ok(Message::Shown(shown, wall, mono)) = rx.recv() {
            self.next(shown, wall, mono);
        }
        if let Some((shown, start, since)) = self.current.take() {
            let end = chrono::Local::now().fixed_offset();
            self.row(&shown, start, end, since.elapsed().as_secs_f64());
        }
    }

    fn next(&mut self, shown: Shown, wall: Stamp, mono: Instant) {
        if let Some((prev, start, since)) = self.current.take() {
            // Seconds by the monotonic clock: a wall clock set meanwhile does not change them.
            let seconds = mono.saturating_duration_since(since).as_secs_f64();
            self.row(&prev, start, wall, seconds);
        }
        self.current = Some((shown, wall, mono));
    }

    fn row(&mut self, shown: &Shown, start: Stamp, end: Stamp, seconds: f64) {
        let day = start.date_naive();
        self.prune(day);
        let line = format!(
            "{},{},{seconds:.1},{},{},{}\n",
            start.format("%Y-%m-%dT%H:%M:%S%:z"),
            end.format("%Y-%m-%dT%H:%M:%S%:z"),
            csv(shown.slide.as_deref().unwrap_or("(no slide: ticker only)")),
            csv(&shown.content),
            csv(&shown.playlist)
        );
        match self.append(day, &line) {
            Ok(()) => {
                if self.failing {
                    tracing::info!("the play log is written again ({})", self.dir.display());
                }
                self.failing = false;
            }
            Err(e) => {
                if !self.failing {
                    tracing::error!(
                        "cannot write the play log in {} ({e}); the wall plays on",
                        self.dir.display()
                    );
                }
                self.failing = true;
            }
        }
    }

    fn append(&mut self, day: NaiveDate, line: &str) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let path = day_file(&self.dir, day);
        let len = std::fs::metadata(&path).map_or(0, |m| m.len());
        if len + line.len() as u64 > MAX_DAY_BYTES {
            if self.full_day != Some(day) {
                tracing::error!(
                    "the play log {} reached {} MB; no more rows today",
                    path.display(),
                    MAX_DAY_BYTES >> 20
                );
                self.full_day = Some(day);
            }
            return Ok(());
        }
        let mut f = OpenOptions::new().create(true).append(true).open(&path)?;
        if len == 0 {
            f.write_all(HEADER.as_bytes())?;
        }
        f.write_all(line.as_bytes())
    }

    /// Removes the day files older than `keep_days`, once a day.
    fn prune(&mut self, today: NaiveDate) {
        if self.pruned == Some(today) {
            return;
        }
        self.pruned = Some(today);
        let Some(oldest) = today.checked_sub_days(chrono::Days::new(self.keep_days.into())) else {
            return;
        };
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(date) = name
                .to_str()
                .and_then(|n| n.strip_prefix("play-")?.strip_suffix(".csv"))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            else {
                continue;
            };
            if date < oldest {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

pub fn day_file(dir: &Path, day: NaiveDate) -> PathBuf {
    dir.join(format!("play-{}.csv", day.format("%Y-%m-%d")))
}

/// A CSV field, quoted when it must be.
fn csv(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn at(day: u32, h: u32, m: u32, s: u32) -> Stamp {
        zoned(3, day, h, m, s, 8)
    }

    fn zoned(month: u32, day: u32, h: u32, m: u32, s: u32, offset_h: i32) -> Stamp {
        NaiveDate::from_ymd_opt(2027, month, day)
            .unwrap()
            .and_hms_opt(h, m, s)
            .unwrap()
            .and_local_timezone(FixedOffset::east_opt(offset_h * 3600).unwrap())
            .unwrap()
    }

    fn shown(name: &str) -> Shown {
        Shown {
            slide: Some(name.to_string()),
            content: format!("title, \"{name}\""),
            playlist: "/share/playlist.toml".into(),
        }
    }

    #[test]
    fn rows_per_day_with_durations_from_the_monotonic_clock() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::new(dir.path().to_path_buf(), 30);
        let t0 = Instant::now();
        w.next(shown("a"), at(1, 23, 59, 50), t0);
        // The wall clock is set back an hour meanwhile; 8 s really passed.
        w.next(shown("b"), at(1, 22, 59, 58), t0 + Duration::from_secs(8));
        w.next(shown("c"), at(2, 0, 0, 6), t0 + Duration::from_secs(16));
        let day1 =
            std::fs::read_to_string(day_file(dir.path(), at(1, 0, 0, 0).date_naive())).unwrap();
        assert_eq!(
            day1,
            format!(
                "{HEADER}2027-03-01T23:59:50+08:00,2027-03-01T22:59:58+08:00,8.0,a,\"title, \"\"a\"\"\",/share/playlist.toml\n\
                 2027-03-01T22:59:58+08:00,2027-03-02T00:00:06+08:00,8.0,b,\"title, \"\"b\"\"\",/share/playlist.toml\n"
            )
        );
        assert!(
            !day_file(dir.path(), at(2, 0, 0, 0).date_naive()).exists(),
            "c is still on"
        );
    }

    #[test]
    fn rows_across_a_daylight_saving_change_carry_their_offsets() {
        // New York, 2027-11-07: at 02:00 EDT the clocks go back to 01:00 EST.
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::new(dir.path().to_path_buf(), 30);
        let t0 = Instant::now();
        w.next(shown("a"), zoned(11, 7, 1, 59, 57, -4), t0);
        w.next(
            shown("b"),
            zoned(11, 7, 1, 0, 5, -5),
            t0 + Duration::from_secs(8),
        );
        w.next(
            shown("c"),
            zoned(11, 7, 1, 0, 13, -5),
            t0 + Duration::from_secs(16),
        );
        let day =
            std::fs::read_to_string(day_file(dir.path(), zoned(11, 7, 0, 0, 0, -4).date_naive()))
                .unwrap();
        let rows: Vec<&str> = day.lines().skip(1).collect();
        assert!(
            rows[0].starts_with("2027-11-07T01:59:57-04:00,2027-11-07T01:00:05-05:00,8.0,a"),
            "{day}"
        );
        // Every row ends after it starts, read with its offset.
        for row in rows {
            let mut f = row.split(',');
            let start = DateTime::parse_from_rfc3339(f.next().unwrap()).unwrap();
            let end = DateTime::parse_from_rfc3339(f.next().unwrap()).unwrap();
            assert!(end > start, "{row}");
        }
    }

    #[test]
    fn old_days_are_removed_and_an_unwritable_folder_stops_nothing() {
        let dir = tempfile::tempdir().unwrap();
        for d in ["2027-01-01", "2027-02-27"] {
            std::fs::write(dir.path().join(format!("play-{d}.csv")), HEADER).unwrap();
        }
        std::fs::write(dir.path().join("notes.txt"), "kept").unwrap();
        let mut w = Writer::new(dir.path().to_path_buf(), 30);
        let t0 = Instant::now();
        w.next(shown("a"), at(1, 12, 0, 0), t0);
        w.next(shown("b"), at(1, 12, 0, 8), t0 + Duration::from_secs(8));
        assert!(!dir.path().join("play-2027-01-01.csv").exists());
        assert!(dir.path().join("play-2027-02-27.csv").exists());
        assert!(dir.path().join("notes.txt").exists());

        // A file where the folder should be: every write fails, quietly after the first.
        let blocked = dir.path().join("blocked");
        std::fs::write(&blocked, "").unwrap();
        let mut w = Writer::new(blocked.join("log"), 30);
        w.next(shown("a"), at(1, 12, 0, 0), t0);
        w.next(shown("b"), at(1, 12, 0, 8), t0);
        assert!(w.failing);
    }
}
