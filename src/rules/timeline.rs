//! What is on screen at a given local time: a pure function of the playlist and the clock.
//!
//! Each local day is planned on its own, anchored at 00:00, so the answer for any instant depends
//! only on that day (and, for the first transition after midnight, on what yesterday ended with).
//! That keeps `render --at`, the tests and the live player in agreement with no hidden state.
//!
//! Within a day the set of eligible slides changes only at the edges of `hours` windows. At such
//! an edge the slide on screen plays to its end, then the new set cycles, starting with the next
//! slide in playlist order. All arithmetic is in integer milliseconds, so nothing drifts.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate, NaiveDateTime, Timelike};

use crate::model::playlist::{Playlist, TransitionKind};

const DAY_MS: i64 = 86_400_000;

/// A slide by its index in `Playlist::slides`; `None` is the fallback: the ticker over the
/// display background, shown when no slide is eligible.
pub type SlideRef = Option<usize>;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub slide: SlideRef,
    /// How long the current slide has been showing.
    pub slide_elapsed_ms: i64,
    /// How long until the current slide ends (or the plan changes).
    pub slide_remaining_ms: i64,
    /// The slide expected after this one, for preloading.
    pub next: SlideRef,
    pub transition: Option<TransitionState>,
    /// Local milliseconds since 1970-01-01T00:00, the ticker's clock.
    pub clock_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransitionState {
    pub from: SlideRef,
    pub kind: TransitionKind,
    /// 0 at the start of the transition, approaching 1 at its end.
    pub progress: f32,
}

impl Frame {
    /// `slide` shown whole, with no transition: for stills, tests and before the first frame.
    pub fn showing(slide: SlideRef) -> Frame {
        Frame {
            slide,
            slide_elapsed_ms: 0,
            slide_remaining_ms: 0,
            next: slide,
            transition: None,
            clock_ms: 0,
        }
    }

    /// Milliseconds until the picture next changes if the ticker is ignored: 0 while a
    /// transition runs. The player sleeps this long when nothing else moves.
    pub fn still_for_ms(&self) -> i64 {
        if self.transition.is_some() {
            0
        } else {
            self.slide_remaining_ms.max(0)
        }
    }
}

/// One stretch of a day during which the eligible set is constant.
#[derive(Debug, Clone)]
struct Segment {
    start_ms: i64,
    end_ms: i64,
    /// The new set starts cycling here, once the slide carried over from before has ended.
    anchor_ms: i64,
    order: Vec<usize>,
    cycle_ms: i64,
    /// The slide carried over from the previous segment, playing until `anchor_ms`.
    carried: Option<Showing>,
}

#[derive(Debug, Clone, Copy)]
struct Showing {
    slide: SlideRef,
    start_ms: i64,
    end_ms: i64,
    /// What was on screen before, for the transition; `None` when unknown (start of day).
    from: Option<SlideRef>,
    next: SlideRef,
}

#[derive(Debug, Clone)]
struct DayPlan {
    date: NaiveDate,
    segments: Vec<Segment>,
}

/// A slide kept on screen across a reload until it has had its time, so that an edit never
/// cuts the slide being watched short. Afterwards the plan takes over with a transition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Carry {
    /// Index in the new playlist.
    pub slide: usize,
    pub started: NaiveDateTime,
    pub until: NaiveDateTime,
}

/// Evaluates frames for one playlist. Caches the plan of the current day, which costs a few
/// calendar computations to build, so evaluating a frame is cheap and allocation-free.
pub struct Timeline {
    playlist: Playlist,
    today: Option<DayPlan>,
    yesterday: Option<DayPlan>,
    carry: Option<Carry>,
    /// Slides left out of the plan: their image could not be loaded for display.
    skipped: BTreeSet<usize>,
}

impl Timeline {
    pub fn new(playlist: Playlist) -> Self {
        Self::with_carry(playlist, None)
    }

    /// A timeline that first finishes showing `carry` (after a reload).
    pub fn with_carry(playlist: Playlist, carry: Option<Carry>) -> Self {
        let carry = carry.filter(|c| c.slide < playlist.slides.len());
        Self {
            playlist,
            today: None,
            yesterday: None,
            carry,
            skipped: BTreeSet::new(),
        }
    }

    /// Leaves `skipped` out of the plan from now on (slides that cannot be shown), keeping
    /// `carry` on screen until its time is up so that the change does not jump.
    pub fn set_skipped(&mut self, skipped: BTreeSet<usize>, carry: Option<Carry>) {
        if skipped == self.skipped {
            return;
        }
        self.skipped = skipped;
        self.carry = carry.filter(|c| c.slide < self.playlist.slides.len());
        self.today = None;
        self.yesterday = None;
    }

    pub fn playlist(&self) -> &Playlist {
        &self.playlist
    }

    /// Forgets the slide kept on screen across a reload (its times belong to a clock that has
    /// since been set): the plan applies from now.
    pub fn clear_carry(&mut self) {
        self.carry = None;
    }

    pub fn frame_at(&mut self, at: NaiveDateTime) -> Frame {
        let Some(c) = self.carry else {
            return self.planned(at);
        };
        let since_end = (at - c.until).num_milliseconds();
        if at >= c.started && since_end < 0 {
            return Frame {
                slide: Some(c.slide),
                slide_elapsed_ms: (at - c.started).num_milliseconds(),
                slide_remaining_ms: -since_end,
                next: self.planned(c.until).slide,
                transition: None,
                clock_ms: at.and_utc().timestamp_millis(),
            };
        }
        let mut frame = self.planned(at);
        if since_end >= 0 {
            // The plan takes over, coming in over the carried slide.
            if let Some(i) = frame.slide.filter(|&i| i != c.slide) {
                let t = self.playlist.slides[i].transition;
                if t.kind != TransitionKind::Cut && (since_end as u64) < t.duration_ms {
                    let progress = since_end as f32 / t.duration_ms as f32;
                    frame.transition = Some(TransitionState {
                        from: Some(c.slide),
                        kind: t.kind,
                        progress,
                    });
                }
            }
        }
        frame
    }

    fn planned(&mut self, at: NaiveDateTime) -> Frame {
        let date = at.date();
        let ms_of_day = at.num_seconds_from_midnight() as i64 * 1000
            + (at.nanosecond() / 1_000_000).min(999) as i64;
        let clock_ms = at.and_utc().timestamp_millis();
        self.ensure_plans(date);
        let today = self.today.as_ref().expect("planned above");
        let mut showing = today.showing_at(ms_of_day, &self.playlist);
        if showing.from.is_none() {
            // First slide of the day: it comes in from whatever yesterday ended with.
            let yesterday = self.yesterday.as_ref().expect("planned above");
            showing.from = Some(yesterday.showing_at(DAY_MS - 1, &self.playlist).slide);
        }
        let elapsed = ms_of_day - showing.start_ms;
        let transition = showing.slide.and_then(|i| {
            let t = self.playlist.slides[i].transition;
            let from = showing.from.flatten();
            let animated = t.kind != TransitionKind::Cut && t.duration_ms > 0;
            (animated && from != showing.slide && elapsed < t.duration_ms as i64).then(|| {
                TransitionState {
                    from,
                    kind: t.kind,
                    progress: elapsed as f32 / t.duration_ms as f32,
                }
            })
        });
        Frame {
            slide: showing.slide,
            slide_elapsed_ms: elapsed,
            // A new day restarts the plan, so nothing lasts past midnight.
            slide_remaining_ms: showing.end_ms.min(DAY_MS) - ms_of_day,
            next: showing.next,
            transition,
            clock_ms,
        }
    }

    /// Slides eligible at `at` in the order they cycle, after priority filtering.
    pub fn eligible_at(&mut self, at: NaiveDateTime) -> Vec<usize> {
        let ms = at.num_seconds_from_midnight() as i64 * 1000;
        self.ensure_plans(at.date());
        let today = self.today.as_ref().expect("planned above");
        today
            .segment_at(ms)
            .map(|s| s.order.clone())
            .unwrap_or_default()
    }

    /// The day's stretches of constant eligibility: (start minute, end minute, slides).
    pub fn day_segments(&mut self, date: NaiveDate) -> Vec<(u32, u32, Vec<usize>)> {
        self.ensure_plans(date);
        let today = self.today.as_ref().expect("planned above");
        today
            .segments
            .iter()
            .map(|s| {
                (
                    (s.start_ms / 60_000) as u32,
                    (s.end_ms / 60_000) as u32,
                    s.order.clone(),
                )
            })
            .collect()
    }

    fn ensure_plans(&mut self, date: NaiveDate) {
        if self.today.as_ref().is_some_and(|p| p.date == date) {
            return;
        }
        let prev = date.checked_sub_days(Days::new(1)).unwrap_or(date);
        let reuse = |p: &Option<DayPlan>, d| p.as_ref().filter(|p| p.date == d).cloned();
        let yesterday = reuse(&self.today, prev)
            .or_else(|| reuse(&self.yesterday, prev))
            .unwrap_or_else(|| DayPlan::new(&self.playlist, &self.skipped, prev));
        self.today = Some(DayPlan::new(&self.playlist, &self.skipped, date));
        self.yesterday = Some(yesterday);
    }
}

/// The slides eligible at one minute of `date`, with priority slides taking over.
fn eligible(playlist: &Playlist, date_ok: &[bool], minute: u32) -> Vec<usize> {
    let ok = |i: usize| {
        date_ok[i]
            && playlist.slides[i]
                .when
                .as_ref()
                .is_none_or(|w| w.matches_minute(minute))
    };
    let all: Vec<usize> = (0..playlist.slides.len()).filter(|&i| ok(i)).collect();
    let priority: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&i| playlist.slides[i].priority)
        .collect();
    if priority.is_empty() {
        all
    } else {
        priority
    }
}

impl DayPlan {
    fn new(playlist: &Playlist, skipped: &BTreeSet<usize>, date: NaiveDate) -> Self {
        let date_ok: Vec<bool> = playlist
            .slides
            .iter()
            .enumerate()
            .map(|(i, s)| {
                !skipped.contains(&i)
                    && s.when
                        .as_ref()
                        .is_none_or(|w| w.matches_date(date, &playlist.calendar))
            })
            .collect();
        let mut edges: Vec<u32> = vec![0];
        for (slide, _) in playlist.slides.iter().zip(&date_ok).filter(|(_, ok)| **ok) {
            for w in slide.when.iter().flat_map(|w| &w.hours) {
                edges.extend([w.start, w.end]);
            }
        }
        edges.retain(|&m| m < 1440);
        edges.sort_unstable();
        edges.dedup();

        let mut plan = DayPlan {
            date,
            segments: Vec::new(),
        };
        for (k, &edge) in edges.iter().enumerate() {
            let order = eligible(playlist, &date_ok, edge);
            let start_ms = edge as i64 * 60_000;
            let end_ms = edges.get(k + 1).map_or(DAY_MS, |&m| m as i64 * 60_000);
            if let Some(last) = plan.segments.last_mut() {
                if last.order == order {
                    last.end_ms = end_ms;
                    continue;
                }
            }
            let carried = plan
                .segments
                .last()
                .map(|prev| prev.showing_at(start_ms, playlist));
            let (anchor_ms, order) = match carried {
                // The slide on screen plays to its end; the new set then continues after it.
                Some(c) if c.slide.is_some() && c.end_ms > start_ms => {
                    (c.end_ms, rotate_after(order, c.slide.expect("checked")))
                }
                _ => (start_ms, order),
            };
            let cycle_ms = order
                .iter()
                .map(|&i| playlist.slides[i].duration_ms as i64)
                .sum();
            let carried = carried.filter(|c| c.slide.is_some() && c.end_ms > start_ms);
            plan.segments.push(Segment {
                start_ms,
                end_ms,
                anchor_ms,
                order,
                cycle_ms,
                carried,
            });
        }
        plan
    }

    fn segment_at(&self, ms: i64) -> Option<&Segment> {
        self.segments.iter().rev().find(|s| s.start_ms <= ms)
    }

    fn showing_at(&self, ms: i64, playlist: &Playlist) -> Showing {
        self.segment_at(ms)
            .expect("a plan always starts at 00:00")
            .showing_at(ms, playlist)
    }
}

/// `order` rotated to start with the first slide after `after` in playlist order.
fn rotate_after(mut order: Vec<usize>, after: usize) -> Vec<usize> {
    let k = order.iter().position(|&i| i > after).unwrap_or(0);
    order.rotate_left(k);
    order
}

impl Segment {
    fn showing_at(&self, ms: i64, playlist: &Playlist) -> Showing {
        if let Some(c) = self.carried.filter(|_| ms < self.anchor_ms) {
            return Showing {
                next: self.order.first().copied(),
                ..c
            };
        }
        if self.order.is_empty() || self.cycle_ms == 0 {
            return Showing {
                slide: None,
                start_ms: self.start_ms,
                end_ms: self.end_ms,
                from: Some(None),
                next: None,
            };
        }
        let rel = ms - self.anchor_ms;
        let (cycle, mut r) = (rel / self.cycle_ms, rel % self.cycle_ms);
        let n = self.order.len();
        for (j, &slide) in self.order.iter().enumerate() {
            let d = playlist.slides[slide].duration_ms as i64;
            if r < d {
                let start_ms = ms - r;
                let from = if j > 0 {
                    Some(Some(self.order[j - 1]))
                } else if cycle > 0 {
                    Some(Some(self.order[n - 1]))
                } else if let Some(c) = self.carried {
                    Some(c.slide)
                } else if self.start_ms > 0 {
                    Some(None)
                } else {
                    None // start of the day: the caller looks at yesterday
                };
                return Showing {
                    slide: Some(slide),
                    start_ms,
                    end_ms: start_ms + d,
                    from,
                    next: Some(self.order[(j + 1) % n]),
                };
            }
            r -= d;
        }
        unreachable!("r < cycle_ms, the sum of the durations")
    }
}

/// Ticker speed actually used, in pixels per second. With `snap`, the speed becomes a whole
/// number of pixels every frame, or one pixel every whole number of frames, at `refresh_hz`:
/// other speeds judder visibly on LED walls.
pub fn effective_ticker_speed(speed: f64, refresh_hz: f64, snap: bool) -> f64 {
    if refresh_hz <= 0.0 {
        return speed;
    }
    crate::rules::pacing::Step::new(speed, refresh_hz, snap).speed(refresh_hz)
}

/// How far the ticker has moved since 1970 (local time) at `speed` px/s, computed from the
/// clock rather than by adding steps, so it cannot drift. Whole pixels with `snap`, computed in
/// integers when the speed is whole so that no rounding can move a pixel boundary.
pub fn ticker_distance(clock_ms: i64, speed: f64, snap: bool) -> f64 {
    if snap && speed.fract() == 0.0 && speed.abs() < 1e9 {
        return (clock_ms as i128 * speed as i128).div_euclid(1000) as f64;
    }
    let distance = clock_ms as f64 / 1000.0 * speed;
    if snap {
        distance.floor()
    } else {
        distance
    }
}

#[cfg(test)]
mod tests;
