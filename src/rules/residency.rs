//! Which slides are kept ready (decoded, shaped, on the GPU): the ones on screen and the ones
//! about to be, plus recently shown ones while they fit in a memory budget. Pure bookkeeping;
//! the player asks it what to prepare and what to drop.

use std::collections::{BTreeMap, BTreeSet};

/// How much memory resident slides may hold beyond the ones wanted now.
///
/// Chosen from the canvas: room for 24 full-canvas pictures (every slide of a usual playlist
/// stays resident and is never decoded twice), and never less than 64 MiB nor more than 512 MiB.
/// A 1920x320 wall gets 64 MiB; 1920x1080, 190 MiB; 3840x2160, 512 MiB.
pub fn budget_for(canvas: (u32, u32)) -> u64 {
    let canvas_bytes = canvas.0 as u64 * canvas.1 as u64 * 4;
    (24 * canvas_bytes).clamp(64 << 20, 512 << 20)
}

/// At most this many slides stay resident whatever their size (text slides are small, but
/// each holds shaped buffers and a place in the renderer).
pub const MAX_RESIDENT: usize = 64;

#[derive(Debug, Clone, Copy)]
struct Entry {
    bytes: u64,
    last_wanted: u64,
}

#[derive(Debug, Clone)]
pub struct Residency {
    budget: u64,
    resident: BTreeMap<usize, Entry>,
    /// Asked of the worker, not yet arrived.
    pending: BTreeSet<usize>,
    /// What the last call to `want` asked for: never evicted.
    wanted: Vec<usize>,
    tick: u64,
    /// Whether slides shown lately are worth keeping. Only when the whole playlist fits: a
    /// cycle longer than what is kept would never find a slide still there (least recently
    /// used is exactly what comes back next), so keeping them would cost memory for nothing.
    keep_shown: bool,
}

impl Residency {
    pub fn new(budget: u64) -> Residency {
        Residency {
            budget,
            resident: BTreeMap::new(),
            pending: BTreeSet::new(),
            wanted: Vec::new(),
            tick: 0,
            keep_shown: true,
        }
    }

    /// How many slides the playlist has: whether slides shown lately are kept (see
    /// `keep_shown`).
    pub fn set_playlist_size(&mut self, slides: usize) {
        self.keep_shown = slides <= MAX_RESIDENT;
    }

    /// The slides needed now and soon, most urgent first. Returns the ones to prepare (each
    /// once: they are pending until they arrive).
    pub fn want(&mut self, slides: &[usize]) -> Vec<usize> {
        self.tick += 1;
        self.wanted.clear();
        let mut requests = Vec::new();
        for &i in slides {
            if self.wanted.contains(&i) {
                continue;
            }
            self.wanted.push(i);
            if let Some(e) = self.resident.get_mut(&i) {
                e.last_wanted = self.tick;
            } else if self.pending.insert(i) {
                requests.push(i);
            }
        }
        requests
    }

    /// Expects slide `index` without it being wanted (prepared ahead for a reload).
    pub fn expect(&mut self, index: usize) {
        if !self.resident.contains_key(&index) {
            self.pending.insert(index);
        }
    }

    /// Records that slide `index` is ready, holding `bytes`. Returns the slides to drop to stay
    /// within the budget: the least recently wanted, never one wanted now.
    pub fn arrived(&mut self, index: usize, bytes: u64) -> Vec<usize> {
        if !self.pending.remove(&index) {
            return Vec::new(); // not asked for (any more): the caller drops it
        }
        self.resident.insert(
            index,
            Entry {
                bytes,
                last_wanted: self.tick,
            },
        );
        self.evict()
    }

    /// Whether an arriving slide was asked for and is still expected.
    pub fn is_pending(&self, index: usize) -> bool {
        self.pending.contains(&index)
    }

    fn evict(&mut self) -> Vec<usize> {
        let mut dropped = Vec::new();
        while self.bytes() > self.budget
            || self.resident.len() > MAX_RESIDENT
            || (!self.keep_shown && self.resident.len() > self.wanted.len())
        {
            let oldest = self
                .resident
                .iter()
                .filter(|(i, _)| !self.wanted.contains(i))
                .min_by_key(|(_, e)| e.last_wanted)
                .map(|(i, _)| *i);
            let Some(i) = oldest else { break };
            self.resident.remove(&i);
            dropped.push(i);
        }
        dropped
    }

    /// After a reload: resident slides move to their index in the new playlist (`map`), or are
    /// forgotten; jobs still out belong to the old playlist and are forgotten too.
    pub fn remap(&mut self, map: &[(usize, usize)]) {
        let old = std::mem::take(&mut self.resident);
        for (from, to) in map {
            if let Some(e) = old.get(from) {
                self.resident.insert(*to, *e);
            }
        }
        self.pending.clear();
        self.wanted.clear();
    }

    /// Forgets slide `index` (to prepare it again).
    pub fn forget(&mut self, index: usize) {
        self.resident.remove(&index);
        self.pending.remove(&index);
    }

    pub fn is_resident(&self, index: usize) -> bool {
        self.resident.contains_key(&index)
    }

    pub fn resident(&self) -> impl Iterator<Item = usize> + '_ {
        self.resident.keys().copied()
    }

    pub fn bytes(&self) -> u64 {
        self.resident.values().map(|e| e.bytes).sum()
    }

    pub fn budget(&self) -> u64 {
        self.budget
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asks_once_for_what_is_wanted() {
        let mut r = Residency::new(100);
        assert_eq!(r.want(&[3, 4, 3]), vec![3, 4]);
        assert_eq!(
            r.want(&[3, 4]),
            Vec::<usize>::new(),
            "pending: not asked again"
        );
        assert!(r.arrived(3, 10).is_empty());
        assert!(r.is_resident(3));
        assert_eq!(r.want(&[3, 4, 5]), vec![5]);
    }

    #[test]
    fn evicts_the_least_recently_wanted_beyond_the_budget_but_never_what_is_on_screen() {
        let mut r = Residency::new(30);
        for i in 0..5 {
            r.want(&[i]);
            r.arrived(i, 10);
        }
        // 50 bytes held in a 30-byte budget: the oldest went as the newer arrived.
        let resident: Vec<usize> = r.resident().collect();
        assert_eq!(resident, vec![2, 3, 4]);
        // Wanted slides stay even when they alone exceed the budget.
        r.want(&[7, 8]);
        assert_eq!(r.arrived(7, 100), vec![2, 3, 4]);
        assert!(r.arrived(8, 100).is_empty());
        assert!(r.is_resident(7) && r.is_resident(8));
    }

    #[test]
    fn results_nobody_waits_for_are_refused() {
        let mut r = Residency::new(100);
        r.want(&[1]);
        r.remap(&[]);
        assert!(!r.is_pending(1));
        assert!(r.arrived(1, 10).is_empty());
        assert!(!r.is_resident(1), "a job of the old playlist is not taken");
    }

    #[test]
    fn a_reload_keeps_resident_slides_under_their_new_index() {
        let mut r = Residency::new(100);
        r.want(&[0, 1]);
        r.arrived(0, 10);
        r.arrived(1, 10);
        r.remap(&[(1, 0)]);
        assert_eq!(r.resident().collect::<Vec<_>>(), vec![0]);
        assert_eq!(r.bytes(), 10);
    }

    #[test]
    fn a_playlist_larger_than_what_is_kept_keeps_only_what_is_wanted() {
        let mut r = Residency::new(1 << 30);
        r.set_playlist_size(1000);
        for i in 0..10 {
            r.want(&[i, i + 1]);
            r.arrived(i, 10);
            r.arrived(i + 1, 10);
        }
        assert_eq!(r.resident().collect::<Vec<_>>(), vec![9, 10]);
        // A playlist that fits keeps every slide once shown.
        let mut r = Residency::new(1 << 30);
        r.set_playlist_size(12);
        for i in 0..10 {
            r.want(&[i]);
            r.arrived(i, 10);
        }
        assert_eq!(r.resident().count(), 10);
    }

    #[test]
    fn budget_follows_the_canvas() {
        assert_eq!(budget_for((1920, 320)), 64 << 20);
        assert_eq!(budget_for((1920, 1080)), 24 * 1920 * 1080 * 4);
        assert_eq!(budget_for((7680, 4320)), 512 << 20);
    }
}
