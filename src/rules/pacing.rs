//! Frame pacing for the player: a steady frame clock at the display's refresh rate, and the
//! ticker's motion as a constant step per frame. Pure: the caller passes `Instant`s.
//!
//! Presentation is not a reliable clock (under Xvfb `Fifo` returns at once, and timer deltas
//! jitter), so frames are counted: frame `n` is due at `start + n / hz`, and the ticker has
//! moved `n` steps. The count is re-synchronised with the wall clock only when it drifts by more
//! than a frame (a stall, a suspended machine), never nudged by small jitter.

use std::time::{Duration, Instant};

/// How far the ticker moves per frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Step {
    /// `px` whole pixels every `frames` frames: what `snap_to_pixel` chooses.
    Whole { px: u64, frames: u64 },
    /// Any distance per frame, drawn at sub-pixel positions.
    Smooth { px_per_frame: f64 },
}

impl Step {
    /// The step for `speed` px/s at `hz`. With `snap`, the nearest of k px every frame or
    /// 1 px every k frames; the distance is never floored per frame, so nothing is lost.
    pub fn new(speed: f64, hz: f64, snap: bool) -> Step {
        let per_frame = speed / hz;
        if !snap {
            return Step::Smooth {
                px_per_frame: per_frame,
            };
        }
        if per_frame >= 1.0 {
            Step::Whole {
                px: per_frame.round() as u64,
                frames: 1,
            }
        } else {
            Step::Whole {
                px: 1,
                frames: (1.0 / per_frame).round().max(1.0) as u64,
            }
        }
    }

    /// Distance after `frame` frames.
    pub fn distance(self, frame: u64) -> f64 {
        match self {
            Step::Whole { px, frames } => ((frame / frames) * px) as f64,
            Step::Smooth { px_per_frame } => frame as f64 * px_per_frame,
        }
    }

    /// The speed this step really scrolls at, in px/s.
    pub fn speed(self, hz: f64) -> f64 {
        match self {
            Step::Whole { px, frames } => px as f64 * hz / frames as f64,
            Step::Smooth { px_per_frame } => px_per_frame * hz,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Pacer {
    hz: f64,
    start: Instant,
    /// Index of the next frame to draw.
    next: u64,
    pub resyncs: u64,
}

impl Pacer {
    pub fn new(hz: f64, now: Instant) -> Pacer {
        let hz = if hz.is_finite() && hz >= 1.0 {
            hz
        } else {
            60.0
        };
        Pacer {
            hz,
            start: now,
            next: 0,
            resyncs: 0,
        }
    }

    pub fn hz(&self) -> f64 {
        self.hz
    }

    pub fn period(&self) -> Duration {
        Duration::from_secs_f64(1.0 / self.hz)
    }

    /// When the next frame is due.
    pub fn deadline(&self) -> Instant {
        self.start + Duration::from_secs_f64(self.next as f64 / self.hz)
    }

    /// Starts a frame at `now`; returns its index. Re-syncs to the clock when the count is more
    /// than one frame away from it.
    pub fn begin_frame(&mut self, now: Instant) -> u64 {
        let due =
            (now.saturating_duration_since(self.start).as_secs_f64() * self.hz).floor() as u64;
        if due.abs_diff(self.next) > 1 {
            self.next = due;
            self.resyncs += 1;
        }
        let frame = self.next;
        self.next += 1;
        frame
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_step_every_frame_at_common_refresh_rates() {
        for hz in [60.0, 75.0, 144.0] {
            for snap in [true, false] {
                let step = Step::new(120.0, hz, snap);
                let deltas: Vec<f64> = (0..1000)
                    .map(|n| step.distance(n + 1) - step.distance(n))
                    .collect();
                if let Step::Whole { frames: 1, .. } = step {
                    assert!(
                        deltas.iter().all(|d| *d == deltas[0]),
                        "{hz} Hz: {deltas:?}"
                    );
                } else if !snap {
                    assert!(
                        deltas.iter().all(|d| (d - 120.0 / hz).abs() < 1e-9),
                        "{hz} Hz"
                    );
                }
            }
        }
    }

    #[test]
    fn snapping_chooses_whole_pixels_per_frame_or_frames_per_pixel() {
        assert_eq!(
            Step::new(120.0, 60.0, true),
            Step::Whole { px: 2, frames: 1 }
        );
        assert_eq!(
            Step::new(100.0, 60.0, true),
            Step::Whole { px: 2, frames: 1 }
        );
        assert_eq!(
            Step::new(120.0, 144.0, true),
            Step::Whole { px: 1, frames: 1 }
        );
        assert_eq!(
            Step::new(30.0, 60.0, true),
            Step::Whole { px: 1, frames: 2 }
        );
        assert_eq!(
            Step::new(40.0, 144.0, true),
            Step::Whole { px: 1, frames: 4 }
        );
        assert_eq!(Step::new(120.0, 75.0, true).speed(75.0), 150.0);
        // One pixel every two frames: whole pixels, moving on every other frame exactly.
        let s = Step::new(30.0, 60.0, true);
        let d: Vec<f64> = (0..6).map(|n| s.distance(n)).collect();
        assert_eq!(d, vec![0.0, 0.0, 1.0, 1.0, 2.0, 2.0]);
    }

    #[test]
    fn a_fractional_speed_is_not_floored_away() {
        // 100 px/s at 60 Hz unsnapped must cover 100 px per second, not 60.
        let s = Step::new(100.0, 60.0, false);
        assert!((s.distance(60) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn frames_follow_the_refresh_period() {
        let t0 = Instant::now();
        let mut p = Pacer::new(60.0, t0);
        assert_eq!(p.begin_frame(t0), 0);
        assert_eq!(p.deadline(), t0 + Duration::from_secs_f64(1.0 / 60.0));
        // Jitter of up to a frame does not change the count.
        assert_eq!(p.begin_frame(t0 + Duration::from_millis(30)), 1);
        assert_eq!(p.begin_frame(t0 + Duration::from_millis(34)), 2);
        assert_eq!(p.resyncs, 0);
    }

    #[test]
    fn resyncs_to_the_clock_after_a_stall() {
        let t0 = Instant::now();
        let mut p = Pacer::new(60.0, t0);
        for n in 0..10 {
            p.begin_frame(t0 + Duration::from_secs_f64(n as f64 / 60.0));
        }
        // A one-second stall: the count jumps to where the clock is, once.
        let frame = p.begin_frame(t0 + Duration::from_secs_f64(70.0 / 60.0 + 0.001));
        assert_eq!(frame, 70);
        assert_eq!(p.resyncs, 1);
        assert_eq!(
            p.begin_frame(t0 + Duration::from_secs_f64(71.0 / 60.0 + 0.001)),
            71
        );
        assert_eq!(p.resyncs, 1);
    }

    #[test]
    fn nonsense_refresh_rates_fall_back_to_60() {
        assert_eq!(Pacer::new(0.0, Instant::now()).hz(), 60.0);
        assert_eq!(Pacer::new(f64::NAN, Instant::now()).hz(), 60.0);
    }
}
