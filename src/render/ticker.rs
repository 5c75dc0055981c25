//! The ticker: its text drawn into a strip (with the band's background), and per frame
//! the pieces of that strip that show in the band. A frame copies or samples those pieces;
//! it lays out and rasterises no glyph.
//!
//! A long text's strip is cut into tiles, and only the tiles on screen and the one coming next
//! exist: each is drawn as it is about to scroll in and dropped once it has scrolled out, so
//! memory follows the band's width, not the text's length (100 000 characters would otherwise
//! be a gigabyte of strip).

use glyphon::Buffer;

use super::glyphs::{self, SizedViewport, TextState};
use super::quad::{QuadPipeline, Quads, Rect};
use super::tape::{clip, copies};
use super::{gpu, text};
use crate::model::playlist::Color;

/// Widest strip texture: a longer text is cut into tiles this wide. Every GPU wgpu runs on
/// has textures of at least 8192 px a side; 4096 keeps the last tile's waste small.
pub const TILE: u32 = 4096;

/// One ticker text, drawn.
pub struct Ticker {
    /// Tile `i` holds strip pixels `i * TILE..`, when it is on screen or next (see
    /// [`Ticker::place`]).
    strip: Vec<Option<Tile>>,
    /// The shaped text, kept to draw tiles as they come.
    buffer: Buffer,
    color: Color,
    /// The band's background, premultiplied: what a tile is cleared to.
    clear: wgpu::Color,
    /// The text's top in the strip, centring it in the band.
    top: f32,
    /// Width of one repetition (text + separator), whole pixels so that a snapped ticker
    /// stays on whole pixels across the wrap: the ticker loops every `period` pixels.
    pub period: u32,
    /// Where copy 0 of the text sits on the ticker's "tape": a copy at tape position `p` is
    /// drawn at `p - distance`. Changes only when the text changes, so the crawl never jumps.
    pub origin: f64,
    pub band: Rect,
    /// Whether the band hides what is under it (its background is opaque).
    pub opaque: bool,
    /// This frame's pieces and the quads for those that are sampled, and which tiles are
    /// wanted; kept to reuse their memory.
    pieces: Vec<Piece>,
    wanted: Vec<bool>,
    quads: Quads,
}

struct Tile {
    texture: wgpu::Texture,
    bind: wgpu::BindGroup,
}

/// A piece of the strip on screen: `w` pixels of tile `tile` from `src_x`, at band x `dst_x`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Piece {
    pub tile: usize,
    pub src_x: f64,
    pub dst_x: f64,
    pub w: f64,
}

/// What drawing a ticker needs from the renderer.
pub struct StripTools<'a> {
    pub device: &'a wgpu::Device,
    pub queue: &'a wgpu::Queue,
    pub text: &'a mut TextState,
    pub viewport: &'a mut SizedViewport,
    pub pipeline: &'a QuadPipeline,
    pub sampler: &'a wgpu::Sampler,
    pub format: wgpu::TextureFormat,
}

impl Ticker {
    /// A ticker that draws `buffer` (the text and its separator, shaped as one line) as high
    /// as `band`, on `background`, in `color`. No tile is drawn yet.
    pub fn new(
        device: &wgpu::Device,
        buffer: Buffer,
        band: Rect,
        color: Color,
        background: Color,
    ) -> Ticker {
        let (width, height) = text::measure(&buffer);
        let period = (width.ceil() as u32).max(1);
        let top = ((band.h - height) / 2.0).round();
        // Premultiplied, so that a translucent band composes like the band then the text.
        let [r, g, b, a] = background.to_linear();
        let clear = wgpu::Color {
            r: (r * a) as f64,
            g: (g * a) as f64,
            b: (b * a) as f64,
            a: a as f64,
        };
        let tiles = period.div_ceil(TILE) as usize;
        Ticker {
            strip: (0..tiles).map(|_| None).collect(),
            buffer,
            color,
            clear,
            top,
            period,
            origin: 0.0,
            band,
            opaque: background.a == 255,
            pieces: Vec::with_capacity(16),
            wanted: vec![false; tiles],
            quads: Quads::new(device),
        }
    }

    /// How many tiles are drawn now (for tests and benchmarks).
    pub fn tiles_drawn(&self) -> usize {
        self.strip.iter().flatten().count()
    }

    /// Places this ticker for the next [`Ticker::draw`]: the pieces of its copies that show when
    /// it has moved `distance` in all, within `from..until` on the tape; the tiles they need are
    /// drawn, and the one to scroll in after them; the others are dropped. Draws nothing while
    /// the same tiles stay on screen.
    pub fn place(&mut self, tools: &mut StripTools<'_>, distance: f64, from: f64, until: f64) {
        let mut pieces = std::mem::take(&mut self.pieces);
        pieces.clear();
        self.pieces(distance, from, until, &mut pieces);
        self.wanted.fill(false);
        for p in &pieces {
            self.wanted[p.tile] = true;
        }
        // The text moves left: what scrolls in next is the tile after the rightmost piece's.
        if let Some(last) = pieces.iter().max_by(|a, b| a.dst_x.total_cmp(&b.dst_x)) {
            let next = (last.tile + 1) % self.strip.len();
            self.wanted[next] = true;
        }
        self.pieces = pieces;
        for i in 0..self.strip.len() {
            match (self.wanted[i], self.strip[i].is_some()) {
                (true, false) => self.strip[i] = Some(self.draw_tile(tools, i)),
                (false, true) => self.strip[i] = None,
                _ => {}
            }
        }
    }

    /// Strip pixels `i * TILE..` drawn into a texture of their own.
    fn draw_tile(&self, tools: &mut StripTools<'_>, i: usize) -> Tile {
        let x = i as u32 * TILE;
        let (w, h) = (self.tile_width(i), (self.band.h as u32).max(1));
        let texture = gpu::create_texture(tools.device, "ticker strip", w, h, tools.format, true);
        let view = texture.create_view(&Default::default());
        let area = glyphs::area(&self.buffer, (-(x as f32), self.top), (w, h), self.color);
        if let Err(e) = tools.text.draw_alone(
            tools.device,
            tools.queue,
            tools.viewport,
            (w, h),
            [area],
            &view,
            self.clear,
            |_| {},
        ) {
            tracing::warn!("ticker {e}");
        }
        let bind = tools.pipeline.bind(tools.device, &view, tools.sampler);
        Tile { texture, bind }
    }

    fn tile_width(&self, i: usize) -> u32 {
        TILE.min(self.period - i as u32 * TILE)
    }

    /// Appends to `out` the pieces of this ticker's copies that show in the band when the
    /// ticker has moved `distance` in all, keeping to the tape between `from` and `until`.
    fn pieces(&self, distance: f64, from: f64, until: f64, out: &mut Vec<Piece>) {
        let width = self.band.w as f64;
        let period = self.period as f64;
        for x in copies(self.origin, period, distance, width, from, until) {
            for tile in 0..self.strip.len() {
                let tw = self.tile_width(tile) as f64;
                clip(tile, x + (tile as u32 * TILE) as f64, tw, width, out);
            }
        }
    }

    /// Puts the pieces [placed](Ticker::place) for this frame into the band of `target`: copied
    /// when they lie on whole pixels and the band is opaque (no shading at all), else drawn as
    /// quads with `pipeline`.
    pub fn draw(
        &mut self,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        target: (&wgpu::Texture, &wgpu::TextureView),
        pipeline: &QuadPipeline,
    ) {
        let pieces = std::mem::take(&mut self.pieces);
        let (texture, view) = target;
        let size = (texture.width(), texture.height());
        self.quads.clear();
        let mut sampled = false;
        for p in &pieces {
            // Drawn by `place` before this frame; a tile missing here was not asked for.
            let Some(tile) = &self.strip[p.tile] else {
                continue;
            };
            if self.copies(p) {
                let at = ((self.band.x + p.dst_x as f32) as u32, self.band.y as u32);
                copy_piece(encoder, &tile.texture, p, texture, at);
            } else {
                let tw = tile.texture.width() as f64;
                let dst = Rect::new(
                    self.band.x + p.dst_x as f32,
                    self.band.y,
                    p.w as f32,
                    self.band.h,
                );
                let uv = [
                    (p.src_x / tw) as f32,
                    0.0,
                    ((p.src_x + p.w) / tw) as f32,
                    1.0,
                ];
                self.quads.push(dst, size, uv, [1.0; 4]);
                sampled = true;
            }
        }
        if sampled {
            self.quads.upload(queue);
            let mut pass = super::begin_pass(encoder, view, None);
            // The quads were staged in the order of the pieces that are not copied.
            let sampled = pieces.iter().filter(|p| !self.copies(p));
            let tiles = sampled.filter_map(|p| self.strip[p.tile].as_ref());
            for (quad, tile) in (0..).zip(tiles) {
                self.quads.draw(&mut pass, pipeline, &tile.bind, Some(quad));
            }
        }
        self.pieces = pieces;
    }

    /// Whether piece `p` goes on by a copy: it covers whole pixels of an opaque band.
    fn copies(&self, p: &Piece) -> bool {
        self.opaque && p.src_x.fract() == 0.0 && p.dst_x.fract() == 0.0
    }
}

fn copy_piece(
    encoder: &mut wgpu::CommandEncoder,
    tile: &wgpu::Texture,
    p: &Piece,
    target: &wgpu::Texture,
    at: (u32, u32),
) {
    let h = tile.height().min(target.height().saturating_sub(at.1));
    let w = (p.w as u32).min(target.width().saturating_sub(at.0));
    if w == 0 || h == 0 {
        return;
    }
    encoder.copy_texture_to_texture(
        wgpu::TexelCopyTextureInfo {
            origin: wgpu::Origin3d {
                x: p.src_x as u32,
                y: 0,
                z: 0,
            },
            ..tile.as_image_copy()
        },
        wgpu::TexelCopyTextureInfo {
            origin: wgpu::Origin3d {
                x: at.0,
                y: at.1,
                z: 0,
            },
            ..target.as_image_copy()
        },
        wgpu::Extent3d {
            width: w,
            height: h,
            depth_or_array_layers: 1,
        },
    );
}
