//! When each frame of a clip shows, as a slide plays it: pure, fed the slide's time.
//!
//! Frames are numbered in display order across laps: frame `i` of lap `n` is number
//! `n * frames + i`. The decoder hands frames over in that order; the frame shown is the newest
//! one due, and any older one still waiting is dropped, never waited for.

/// A clip's frames as a slide plays them.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipClock {
    /// Each frame's time from the clip's start, in display order, microseconds.
    pub times_us: Vec<u64>,
    /// From the first frame's start to the last frame's end.
    pub length_us: u64,
    /// Past its length, the clip plays again; otherwise its last frame stays.
    pub looping: bool,
}

impl ClipClock {
    pub fn frames(&self) -> u64 {
        self.times_us.len() as u64
    }

    /// The number of the frame due `elapsed_ms` into the slide: the last frame whose time has
    /// come in the lap that is playing; the last frame for good once a clip that does not loop
    /// has ended. Before the slide starts (a transition's first moment), frame 0.
    pub fn due(&self, elapsed_ms: i64) -> u64 {
        let frames = self.frames();
        if frames == 0 {
            return 0;
        }
        let elapsed = elapsed_ms.max(0) as u64 * 1000;
        let length = self.length_us.max(1);
        let (lap, at) = match self.looping {
            true => (elapsed / length, elapsed % length),
            false if elapsed >= length => return frames - 1,
            false => (0, elapsed),
        };
        let index = self.times_us.partition_point(|t| *t <= at).max(1) - 1;
        lap * frames + index as u64
    }

    /// How long after `elapsed_ms` into the slide the frame due next changes, in whole
    /// milliseconds (at least 1); `None` once a clip that does not loop holds its last frame.
    /// A clip alone in motion presents at its own rate by waking only then.
    pub fn until_next(&self, elapsed_ms: i64) -> Option<u64> {
        let frames = self.frames();
        let elapsed = elapsed_ms.max(0) as u64;
        let length = self.length_us.max(1);
        let (lap_start, at) = match self.looping {
            true => (elapsed * 1000 / length * length, elapsed * 1000 % length),
            false if elapsed * 1000 >= length || frames <= 1 => return None,
            false => (0, elapsed * 1000),
        };
        let index = self.times_us.partition_point(|t| *t <= at);
        let next_us = match self.times_us.get(index) {
            Some(t) => lap_start + t,
            None if self.looping => lap_start + length,
            None => return None,
        };
        Some((next_us.div_ceil(1000)).saturating_sub(elapsed).max(1))
    }

    /// The last frame number a slide of `duration_ms` shows: where the decoder may stop.
    pub fn last_needed(&self, duration_ms: u64) -> u64 {
        self.due(duration_ms.saturating_sub(1) as i64)
    }

    /// Which lap and which frame of the clip number `n` is.
    pub fn split(&self, n: u64) -> (u64, usize) {
        let frames = self.frames().max(1);
        (n / frames, (n % frames) as usize)
    }
}

/// Of frames waiting in order (`waiting`, their numbers), how many to take so that the newest
/// due is shown: those at or before `due`. The last one taken shows; the ones before it are
/// late and dropped.
pub fn take_count(waiting: impl IntoIterator<Item = u64>, due: u64) -> usize {
    waiting.into_iter().take_while(|n| *n <= due).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 30 fps, 1 s.
    fn clock(looping: bool) -> ClipClock {
        ClipClock {
            times_us: (0..30).map(|i| i * 33_333).collect(),
            length_us: 1_000_000,
            looping,
        }
    }

    #[test]
    fn the_frame_due_is_the_last_whose_time_has_come() {
        let c = clock(true);
        assert_eq!(c.due(-40), 0, "before the slide starts: the first frame");
        assert_eq!(c.due(0), 0);
        assert_eq!(c.due(33), 0);
        assert_eq!(c.due(34), 1);
        assert_eq!(c.due(999), 29);
    }

    #[test]
    fn a_loop_goes_on_numbering_without_a_seam() {
        let c = clock(true);
        assert_eq!(c.due(1000), 30, "the first frame of the second lap");
        assert_eq!(c.due(1034), 31);
        assert_eq!(c.split(31), (1, 1));
        // Every frame of both laps comes up in turn, none twice, none skipped, at 30 fps.
        let shown: Vec<u64> = (0..60).map(|i| c.due(i * 1000 / 30 + 1)).collect();
        assert_eq!(shown, (0..60).collect::<Vec<u64>>());
    }

    #[test]
    fn a_clip_that_does_not_loop_holds_its_last_frame() {
        let c = clock(false);
        assert_eq!(c.due(999), 29);
        assert_eq!(c.due(1000), 29);
        assert_eq!(c.due(60_000), 29);
        assert_eq!(c.last_needed(10_000), 29);
    }

    #[test]
    fn the_next_frame_comes_when_the_frame_due_changes() {
        let c = clock(true);
        // Frame 1 is due at 33.333 ms: at 34 ms, the first whole millisecond.
        assert_eq!(c.until_next(0), Some(34));
        assert_eq!(c.until_next(33), Some(1));
        assert_eq!(c.due(33 + 1), c.due(33) + 1);
        // Across the lap's end: the next lap's first frame at 1000 ms.
        assert_eq!(c.until_next(990), Some(10));
        assert_eq!(c.due(1000), c.due(990) + 1);
        // Waking each time it says shows every frame once, as the frame count does.
        let (mut t, mut seen) = (0, vec![]);
        while t < 2000 {
            seen.push(c.due(t));
            t += c.until_next(t).unwrap() as i64;
        }
        assert_eq!(seen, (0..60).collect::<Vec<u64>>());
        let held = clock(false);
        assert_eq!(held.until_next(990), None, "the last frame stays");
        assert_eq!(held.until_next(5000), None);
    }

    #[test]
    fn a_slide_shorter_than_its_clip_cuts_it() {
        let c = clock(true);
        assert_eq!(c.last_needed(500), 14, "half a second shows frames 0 to 14");
    }

    #[test]
    fn late_frames_are_dropped_and_early_ones_wait() {
        assert_eq!(take_count([3, 4, 5, 6], 5), 3, "3 and 4 dropped, 5 shown");
        assert_eq!(
            take_count([7, 8], 5),
            0,
            "not yet due: the frame on screen stays"
        );
        assert_eq!(take_count([], 5), 0);
    }
}
