//! The slides resident on the GPU: each one's uploaded picture and shaped text, keyed by its
//! index in the playlist. A reload keeps a slide whose settings and image files are unchanged
//! under its new index, so an unchanged image is never decoded or uploaded again.

use std::collections::HashMap;

use glyphon::Buffer;

use super::quad::Rect;
use crate::model::playlist::{Color, Playlist};

/// A resident slide. A slide whose picture could not be loaded has none and shows its
/// background (the problem was logged when it was prepared).
pub struct SlideAssets {
    pub picture: Option<(wgpu::BindGroup, Rect, [f32; 4])>,
    pub blocks: Vec<TextBlock>,
}

pub struct TextBlock {
    pub buffer: Buffer,
    pub left: f32,
    pub top: f32,
    pub color: Color,
}

/// Slide indices of the old playlist and where the same slide sits in the new one, for the
/// slides whose prepared assets carry over a reload.
pub type Carried = Vec<(usize, usize)>;

#[derive(Default)]
pub struct Resident {
    slides: HashMap<usize, SlideAssets>,
}

impl Resident {
    pub fn get(&self, index: usize) -> Option<&SlideAssets> {
        self.slides.get(&index)
    }

    pub fn insert(&mut self, index: usize, assets: SlideAssets) {
        self.slides.insert(index, assets);
    }

    pub fn remove(&mut self, index: usize) {
        self.slides.remove(&index);
    }

    pub fn contains(&self, index: usize) -> bool {
        self.slides.contains_key(&index)
    }

    pub fn indices(&self) -> Vec<usize> {
        self.slides.keys().copied().collect()
    }

    /// The slides of `old` (laid out in `old_area`) that `new` still has, unchanged and laid out
    /// in the same area, under their new index. The rest leave the GPU.
    pub fn carry(
        &mut self,
        old: &Playlist,
        old_area: Rect,
        new: &Playlist,
        new_area: Rect,
    ) -> Carried {
        let before = std::mem::take(&mut self.slides);
        let mut carried = Vec::new();
        if old_area != new_area {
            return carried;
        }
        for (i, assets) in before {
            let Some(slide) = old.slides.get(i) else {
                continue;
            };
            // The same index first: a reload usually changes little.
            let same = |j: &usize| new.slides.get(*j) == Some(slide);
            let taken = |j: &usize| self.slides.contains_key(j);
            let found = Some(i)
                .filter(same)
                .or_else(|| (0..new.slides.len()).find(|j| same(j) && !taken(j)));
            if let Some(j) = found.filter(|j| !taken(j)) {
                self.slides.insert(j, assets);
                carried.push((i, j));
            }
        }
        carried
    }
}
