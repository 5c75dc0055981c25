//! The player's sense of time. Two clocks are read for every frame: the wall clock, which the
//! schedule follows and which can jump (an NTP correction, a BIOS clock fixed at runtime, a
//! DST change), and a monotonic clock, which paces frames and moves the ticker and cannot jump.
//! Pure: callers pass both readings, so a test can drive months of them in seconds.

use std::time::{Duration, Instant};

use chrono::NaiveDateTime;

use crate::model::playlist::Ticker;
use crate::rules::pacing::{Pacer, Step};
use crate::rules::timeline::ticker_distance;

/// One reading of both clocks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    /// Local wall-clock time.
    pub wall: NaiveDateTime,
    pub mono: Instant,
}

impl Moment {
    /// The clock now: the local time, or the preview's (see [`set_clock`]).
    pub fn now() -> Moment {
        let offset = CLOCK_OFFSET_MS.load(std::sync::atomic::Ordering::Relaxed);
        Moment {
            wall: chrono::Local::now().naive_local() + chrono::Duration::milliseconds(offset),
            mono: Instant::now(),
        }
    }
}

/// How far the preview's clock is ahead of the local time (`signage play --from`).
static CLOCK_OFFSET_MS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

/// Makes [`Moment::now`] read `now` at this instant and run on from it: a preview of another
/// day. Set once, before playing.
pub fn set_clock(now: NaiveDateTime) {
    let offset = now - chrono::Local::now().naive_local();
    CLOCK_OFFSET_MS.store(
        offset.num_milliseconds(),
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// What moves by itself, at a constant step per frame: the ticker (or the test pattern's bar).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Motion {
    /// Pixels per second asked for.
    pub speed: f64,
    /// Whole pixels per step (see `pacing::Step`).
    pub snap: bool,
}

impl Motion {
    pub fn of(ticker: Option<&Ticker>) -> Option<Motion> {
        ticker.map(|t| Motion {
            speed: t.speed,
            snap: t.snap_to_pixel,
        })
    }
}

/// Where the wall clock disagrees with the monotonic one by more than this, it jumped.
const JUMP: Duration = Duration::from_secs(2);

pub struct Playhead {
    pacer: Pacer,
    step: Option<Step>,
    /// Ticker distance at frame 0 of the pacer.
    ticker_base: f64,
    ticker_now: f64,
    /// Preview controls: a shift from the wall clock, and a frozen moment while paused.
    shift_ms: i64,
    paused_at: Option<NaiveDateTime>,
    /// The last reading, to notice the wall clock jumping.
    last: Moment,
}

impl Playhead {
    /// Starts at `at` with the ticker placed from the wall clock, so that the wall and
    /// `render --at` agree.
    pub fn new(hz: f64, motion: Option<Motion>, at: Moment) -> Playhead {
        let mut p = Playhead {
            pacer: Pacer::new(hz, at.mono),
            step: None,
            ticker_base: 0.0,
            ticker_now: 0.0,
            shift_ms: 0,
            paused_at: None,
            last: at,
        };
        p.set_motion(motion, at, true);
        p
    }

    pub fn hz(&self) -> f64 {
        self.pacer.hz()
    }

    pub fn step(&self) -> Option<Step> {
        self.step
    }

    /// Restarts the frame count and the constant step for `motion`, continuing from where the
    /// ticker is (or, with `from_clock`, placing it from the wall clock).
    pub fn set_motion(&mut self, motion: Option<Motion>, at: Moment, from_clock: bool) {
        let hz = self.pacer.hz();
        self.pacer = Pacer::new(hz, at.mono);
        self.step = motion.map(|m| Step::new(m.speed, hz, m.snap));
        if let (Some(t), Some(step)) = (motion, self.step) {
            let clock_ms = self.time(at.wall).and_utc().timestamp_millis();
            self.ticker_base = if from_clock {
                ticker_distance(clock_ms, step.speed(hz), t.snap)
            } else if t.snap {
                self.ticker_now.floor()
            } else {
                self.ticker_now
            };
            self.ticker_now = self.ticker_base;
            tracing::info!(
                "ticker: {} px/s asked, {} px/s at {hz:.2} Hz ({step:?})",
                t.speed,
                step.speed(hz)
            );
        }
    }

    /// The playlist time shown at wall-clock time `wall`.
    pub fn time(&self, wall: NaiveDateTime) -> NaiveDateTime {
        self.paused_at
            .unwrap_or_else(|| wall + chrono::Duration::milliseconds(self.shift_ms))
    }

    /// Starts a frame: its playlist time, and the ticker's distance, which grows by the same
    /// step every frame, counted on the monotonic clock.
    pub fn begin_frame(&mut self, at: Moment) -> (NaiveDateTime, f64) {
        let index = self.pacer.begin_frame(at.mono);
        if self.paused_at.is_none() {
            self.ticker_now = self.ticker_base + self.step.map_or(0.0, |s| s.distance(index));
        }
        (self.time(at.wall), self.ticker_now)
    }

    pub fn ticker_now(&self) -> f64 {
        self.ticker_now
    }

    /// Whether anything moves by itself (the ticker, unless paused).
    pub fn moving(&self) -> bool {
        self.paused_at.is_none() && self.step.is_some()
    }

    /// When the next frame is due while something moves.
    pub fn deadline(&self) -> Instant {
        self.pacer.deadline()
    }

    pub fn period(&self) -> Duration {
        self.pacer.period()
    }

    pub fn is_paused(&self) -> bool {
        self.paused_at.is_some()
    }

    /// Pauses (freezing the playlist time and the ticker) or resumes where it paused.
    pub fn toggle_pause(&mut self, motion: Option<Motion>, at: Moment) {
        match self.paused_at.take() {
            Some(paused) => {
                self.shift_ms = (paused - at.wall).num_milliseconds();
                self.set_motion(motion, at, false);
            }
            None => self.paused_at = Some(self.time(at.wall)),
        }
    }

    /// Moves the playlist time by `ms` (the preview's next/previous keys).
    pub fn shift(&mut self, ms: i64) {
        let delta = chrono::Duration::milliseconds(ms);
        match &mut self.paused_at {
            Some(at) => *at += delta,
            None => self.shift_ms += ms,
        }
    }

    /// How far the wall clock moved beyond the monotonic clock since the last call, when that
    /// is more than a jitter: it was set (positive: forward). Call once per wake-up.
    pub fn clock_jump(&mut self, at: Moment) -> Option<chrono::Duration> {
        let wall = at.wall - self.last.wall;
        let mono = chrono::Duration::from_std(at.mono.saturating_duration_since(self.last.mono))
            .unwrap_or(chrono::Duration::MAX);
        self.last = at;
        let jump = wall - mono;
        (jump.abs() > chrono::Duration::from_std(JUMP).expect("small")).then_some(jump)
    }
}

/// "1h 0m 3s" for a jump in either direction, as the log says it.
pub fn describe_jump(jump: chrono::Duration) -> String {
    let dir = if jump > chrono::Duration::zero() {
        "forward"
    } else {
        "back"
    };
    let s = jump.num_seconds().unsigned_abs();
    let text = match (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60) {
        (0, 0, m, s) => format!("{m}m {s}s"),
        (0, h, m, s) => format!("{h}h {m}m {s}s"),
        (d, h, m, _) => format!("{d}d {h}h {m}m"),
    };
    format!("{dir} by {text}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(start: Moment, wall_s: i64, mono_ms: u64) -> Moment {
        Moment {
            wall: start.wall + chrono::Duration::seconds(wall_s),
            mono: start.mono + Duration::from_millis(mono_ms),
        }
    }

    fn start() -> Moment {
        Moment {
            wall: NaiveDate::from_ymd_opt(2027, 3, 1)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
            mono: Instant::now(),
        }
    }

    #[test]
    fn notices_the_wall_clock_jumping_either_way_but_not_jitter() {
        let s = start();
        let mut p = Playhead::new(60.0, None, s);
        assert_eq!(p.clock_jump(at(s, 1, 1000)), None);
        assert_eq!(
            p.clock_jump(at(s, 2, 2500)),
            None,
            "half a second of jitter"
        );
        let jump = p.clock_jump(at(s, 3602, 3500)).expect("an hour forward");
        assert_eq!(describe_jump(jump), "forward by 59m 59s");
        let back = p.clock_jump(at(s, 2, 4500)).expect("back again");
        assert!(back < chrono::Duration::zero());
        assert_eq!(p.clock_jump(at(s, 3, 5500)), None);
    }

    #[test]
    fn the_ticker_follows_the_monotonic_clock_through_a_wall_clock_jump() {
        let s = start();
        let ticker = crate::loader::fallback(std::path::Path::new("/x/p.toml"))
            .ticker
            .unwrap();
        let mut p = Playhead::new(60.0, Motion::of(Some(&ticker)), s);
        let (_, d0) = p.begin_frame(s);
        // One frame later by the monotonic clock, while the wall clock leapt a day ahead: the
        // ticker moves one step, not a day's worth (no burst of catch-up motion).
        let (t, d1) = p.begin_frame(Moment {
            wall: s.wall + chrono::Duration::days(1),
            mono: s.mono + Duration::from_micros(16_667),
        });
        assert_eq!(d1 - d0, 2.0, "120 px/s snapped: 2 px a frame");
        assert_eq!(
            t,
            s.wall + chrono::Duration::days(1),
            "the schedule follows the wall"
        );
    }

    #[test]
    fn pause_freezes_the_playlist_time_and_resumes_where_it_was() {
        let s = start();
        let mut p = Playhead::new(60.0, None, s);
        p.toggle_pause(None, s);
        assert!(p.is_paused());
        assert_eq!(p.time(s.wall + chrono::Duration::seconds(30)), s.wall);
        p.shift(5000);
        let later = at(s, 60, 60_000);
        p.toggle_pause(None, later);
        assert_eq!(
            p.time(later.wall),
            s.wall + chrono::Duration::seconds(5),
            "resumed where paused, plus the skip"
        );
    }
}
