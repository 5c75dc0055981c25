//! `--stats`: frame rate, frame times, dropped frames, CPU and memory, printed every few seconds.
//! Fixed-size buffers: recording a frame allocates nothing.

use std::time::{Duration, Instant};

const WINDOW: usize = 2048;
const EVERY: Duration = Duration::from_secs(5);

pub struct Stats {
    render_ms: Box<[f32; WINDOW]>,
    count: usize,
    frames: u64,
    dropped: u64,
    /// Frames that presented only the ticker band's window (see `band`).
    band_only: u64,
    /// Times the event loop woke: a few per frame; thousands would mean it spins.
    wakeups: u64,
    last_present: Option<Instant>,
    /// Clip frames shown and dropped late (totals from the player), now and when the window
    /// started.
    clip_frames: (u64, u64),
    clip_frames_at_start: (u64, u64),
    window_start: Instant,
    cpu_at_start: Option<f64>,
}

impl Default for Stats {
    fn default() -> Self {
        Self::new()
    }
}

impl Stats {
    pub fn new() -> Stats {
        Stats {
            render_ms: Box::new([0.0; WINDOW]),
            count: 0,
            frames: 0,
            dropped: 0,
            band_only: 0,
            wakeups: 0,
            last_present: None,
            clip_frames: (0, 0),
            clip_frames_at_start: (0, 0),
            window_start: Instant::now(),
            cpu_at_start: process_cpu_seconds(),
        }
    }

    /// Records a frame begun at `started` and presented at `presented`, `band_only` if it
    /// presented just the ticker band. While something moves, a present more than 1.5 refresh
    /// periods after the last counts as a dropped frame.
    pub fn frame(
        &mut self,
        started: Instant,
        presented: Instant,
        period: Duration,
        moving: bool,
        band_only: bool,
    ) {
        self.band_only += band_only as u64;
        if self.count < WINDOW {
            self.render_ms[self.count] = (presented - started).as_secs_f32() * 1000.0;
            self.count += 1;
        }
        if let (Some(last), true) = (self.last_present, moving) {
            if presented - last > period.mul_f64(1.5) {
                self.dropped += 1;
            }
        }
        self.last_present = Some(presented);
        self.frames += 1;
    }

    /// The player's totals of clip frames shown and dropped for being late.
    pub fn clip_frames(&mut self, shown: u64, late: u64) {
        self.clip_frames = (shown, late);
    }

    pub fn wakeup(&mut self) {
        self.wakeups += 1;
    }

    /// When the next line is due.
    pub fn next_print(&self) -> Instant {
        self.window_start + EVERY
    }

    pub fn maybe_print(&mut self) {
        if self.window_start.elapsed() >= EVERY {
            self.print();
        }
    }

    /// Prints one line and starts a new measuring window.
    pub fn print(&mut self) {
        let secs = self.window_start.elapsed().as_secs_f64().max(1e-9);
        let fps = self.frames as f64 / secs;
        let times = &mut self.render_ms[..self.count];
        times.sort_by(f32::total_cmp);
        let pct = |p: f64| {
            if times.is_empty() {
                0.0
            } else {
                times[((times.len() - 1) as f64 * p).round() as usize]
            }
        };
        let cpu_now = process_cpu_seconds();
        let cpu = match (self.cpu_at_start, cpu_now) {
            (Some(a), Some(b)) => format!("{:.1}%", (b - a) / secs * 100.0),
            _ => "n/a".to_string(),
        };
        let rss = resident_mib().map_or("n/a".to_string(), |m| format!("{m:.1} MiB"));
        let clips = match (self.clip_frames, self.clip_frames_at_start) {
            ((shown, late), (shown0, late0)) if shown > shown0 || late > late0 => format!(
                ", clip frames {} (late, dropped {})",
                shown - shown0,
                late - late0
            ),
            _ => String::new(),
        };
        tracing::info!(
            "stats: {} frames in {secs:.1}s, {:.1} fps, frame time p50 {:.2} ms p99 {:.2} ms max {:.2} ms, dropped {}, band only {}, wakeups {}, cpu {cpu}, rss {rss}{clips}",
            self.frames,
            fps,
            pct(0.5),
            pct(0.99),
            times.last().copied().unwrap_or(0.0),
            self.dropped,
            self.band_only,
            self.wakeups,
        );
        self.count = 0;
        self.frames = 0;
        self.dropped = 0;
        self.band_only = 0;
        self.wakeups = 0;
        self.window_start = Instant::now();
        self.cpu_at_start = cpu_now;
        self.clip_frames_at_start = self.clip_frames;
    }
}

/// User + system CPU time of this process (Linux; `None` elsewhere).
pub fn process_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may contain spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0) // USER_HZ is 100 on every Linux architecture we run on
}

/// Resident set size in MiB (Linux; `None` elsewhere).
pub fn resident_mib() -> Option<f64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: f64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096.0 / (1024.0 * 1024.0))
}
