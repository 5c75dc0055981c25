//! The GPU renderer: draws a timeline [`Frame`] onto a canvas texture at the wall's native
//! size, then (for a window) blits that canvas onto the surface. wgpu only, no winit.
//!
//! Work is done as early as possible, and only for what shows: a slide's picture and text
//! arrive prepared (see [`crate::prepare`]) just before it comes up and are uploaded once; the
//! slide is drawn into a pooled texture when it first shows; a frame composes at most two slide
//! textures (for a transition), the ticker band and the already-shaped ticker text. Slides that
//! are not resident cost nothing here.

pub mod gpu;
mod layout;
mod quad;
pub mod text;

use std::collections::HashMap;

use glyphon::{
    fontdb, Buffer, Cache, FontSystem, Resolution, SwashCache, TextArea, TextAtlas, TextBounds,
    TextRenderer, Viewport,
};
use image::RgbaImage;

pub use gpu::{Gpu, CANVAS_FORMAT};
pub use layout::{fit_rect, slide_area, text_blocks, ticker_band};
pub use quad::Rect;
pub use text::Fonts;

use crate::playlist::{Color, Playlist, TransitionKind};
use crate::prepare::{prepare_slide, PreparedSlide};
use crate::timeline::{Frame, SlideRef};
use quad::{QuadPipeline, Quads, FULL_UV};

/// Slide textures kept drawn: the current slide, the one it transitions from, the next, spare.
const SLIDE_POOL: usize = 4;

/// Where a frame goes besides the canvas: a window surface's view, scaled to fit.
pub struct Output<'a> {
    pub view: &'a wgpu::TextureView,
    pub format: wgpu::TextureFormat,
    pub width: u32,
    pub height: u32,
}

/// Everything prepared for one playlist.
struct Scene {
    playlist: Playlist,
    /// The resident slides by index: uploaded and ready to draw.
    slides: HashMap<usize, SlideAssets>,
    ticker: Option<TickerAssets>,
    area: Rect,
}

/// A resident slide on the GPU. A slide whose picture could not be loaded has none and shows
/// its background (the problem was logged when it was prepared).
struct SlideAssets {
    picture: Option<(wgpu::BindGroup, Rect, [f32; 4])>,
    blocks: Vec<TextBlock>,
}

struct TextBlock {
    buffer: Buffer,
    left: f32,
    top: f32,
    color: Color,
}

struct TickerAssets {
    buffer: Buffer,
    /// Width of one repetition (text + separator): the ticker loops every `period` pixels.
    period: f32,
    /// Where copy 0 of the text sits on the ticker's "tape": a copy at tape position `p` is
    /// drawn at `p - distance`. Changes only when the text changes, so the crawl never jumps.
    origin: f64,
    text_top: f32,
    band: Rect,
    background: Color,
    color: Color,
}

struct SlideTexture {
    slide: SlideRef,
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    bind: wgpu::BindGroup,
    last_used: u64,
    valid: bool,
}

/// Slide indices of the old playlist and where the same slide sits in the new one, for the
/// slides whose prepared assets carry over a reload.
pub type Carried = Vec<(usize, usize)>;

pub struct Renderer {
    device: wgpu::Device,
    queue: wgpu::Queue,
    canvas_pipeline: QuadPipeline,
    output_pipeline: Option<QuadPipeline>,
    linear: wgpu::Sampler,
    nearest: wgpu::Sampler,
    white: wgpu::BindGroup,
    canvas: wgpu::Texture,
    canvas_view: wgpu::TextureView,
    canvas_linear: wgpu::BindGroup,
    canvas_nearest: wgpu::BindGroup,
    frame_quads: Quads,
    slide_quads: Quads,
    font_system: FontSystem,
    swash: SwashCache,
    atlas: TextAtlas,
    slide_text: TextRenderer,
    ticker_text: TextRenderer,
    slide_viewport: Viewport,
    canvas_viewport: Viewport,
    scene: Scene,
    pool: Vec<SlideTexture>,
    frame_counter: u64,
    /// Preview-only text over the canvas (help, reload errors); never set on the wall.
    overlay: Option<TextBlock>,
    /// The previous ticker text after a change, scrolling out ahead of the new text, which
    /// starts at tape position `.1`.
    retiring: Option<(TickerAssets, f64)>,
    last_distance: f64,
    fonts: Fonts,
    /// Counts changes of the font database, so that whoever shapes elsewhere can follow.
    fonts_changed: u64,
    /// What the canvas holds outside the ticker band, so that a frame that only moves the
    /// ticker redraws only the band. `None` forces a full redraw.
    canvas_holds: Option<SlideRef>,
    /// The test pattern's 1-pixel bar, sweeping across with the ticker's distance.
    sweep: bool,
}

impl Renderer {
    pub fn new(gpu: &Gpu, fonts: Fonts, playlist: &Playlist) -> Renderer {
        let device = gpu.device.clone();
        let queue = gpu.queue.clone();
        let canvas_pipeline = quad::canvas_pipeline(&device);
        let linear = quad::sampler(&device, wgpu::FilterMode::Linear);
        let nearest = quad::sampler(&device, wgpu::FilterMode::Nearest);
        let white_img = RgbaImage::from_pixel(1, 1, image::Rgba([255, 255, 255, 255]));
        let white_tex = gpu::upload_image(&device, &queue, "white", &white_img);
        let white = canvas_pipeline.bind(
            &device,
            &white_tex.create_view(&Default::default()),
            &nearest,
        );
        let cache = Cache::new(&device);
        let mut atlas = TextAtlas::new(&device, &queue, &cache, CANVAS_FORMAT);
        let slide_text =
            TextRenderer::new(&mut atlas, &device, wgpu::MultisampleState::default(), None);
        let ticker_text =
            TextRenderer::new(&mut atlas, &device, wgpu::MultisampleState::default(), None);
        let (canvas, canvas_view, canvas_linear, canvas_nearest) =
            make_canvas(&device, &canvas_pipeline, &linear, &nearest, 1, 1);
        let mut renderer = Renderer {
            frame_quads: Quads::new(&device),
            slide_quads: Quads::new(&device),
            font_system: text::font_system(),
            swash: SwashCache::new(),
            slide_viewport: Viewport::new(&device, &cache),
            canvas_viewport: Viewport::new(&device, &cache),
            atlas,
            slide_text,
            ticker_text,
            canvas_pipeline,
            output_pipeline: None,
            linear,
            nearest,
            white,
            canvas,
            canvas_view,
            canvas_linear,
            canvas_nearest,
            scene: Scene {
                playlist: playlist.clone(),
                slides: HashMap::new(),
                ticker: None,
                area: Rect::new(0.0, 0.0, 1.0, 1.0),
            },
            pool: Vec::new(),
            frame_counter: 0,
            overlay: None,
            retiring: None,
            last_distance: 0.0,
            fonts,
            fonts_changed: 0,
            canvas_holds: None,
            sweep: false,
            device,
            queue,
        };
        renderer.set_playlist(playlist);
        renderer
    }

    /// Takes `playlist`: shapes its ticker, keeps the resident slides it still has, and drops
    /// the rest. Called on load and on every reload; the next frame draws the new playlist with
    /// no black frame in between. Returns the slides carried over (see [`Carried`]).
    pub fn set_playlist(&mut self, playlist: &Playlist) -> Carried {
        let max = self.device.limits().max_texture_dimension_2d;
        if playlist.display.width > max || playlist.display.height > max {
            let mut clamped = playlist.clone();
            clamped.display.width = clamped.display.width.min(max);
            clamped.display.height = clamped.display.height.min(max);
            tracing::error!(
                "the canvas is larger than this GPU's {max} px textures; drawing {}x{}",
                clamped.display.width,
                clamped.display.height
            );
            return self.set_playlist(&clamped);
        }
        let shaped = text::shape_playlist(&mut self.font_system, playlist, self.fonts);
        self.set_shaped_playlist(playlist, shaped)
    }

    /// A copy of the font database, for shaping text elsewhere (see [`text::ShapedText`]).
    pub fn font_database(&self) -> fontdb::Database {
        self.font_system.db().clone()
    }

    /// Changes each time the font database does: shapers elsewhere then need a new copy.
    pub fn fonts_changed(&self) -> u64 {
        self.fonts_changed
    }

    /// Like [`Renderer::set_playlist`], with the ticker already shaped (on another thread, with
    /// a font system built from [`Renderer::font_database`]), so that nothing heavy is left here.
    pub fn set_shaped_playlist(
        &mut self,
        playlist: &Playlist,
        shaped: text::ShapedText,
    ) -> Carried {
        let max = self.device.limits().max_texture_dimension_2d;
        if playlist.display.width > max || playlist.display.height > max {
            // Laid out for a canvas this GPU cannot have: lay it out again, here.
            return self.set_playlist(playlist);
        }
        if let Some(db) = shaped.fonts {
            self.font_system = text::font_system_with(db);
            self.fonts_changed += 1;
        }
        let (w, h) = (playlist.display.width, playlist.display.height);
        if (self.canvas.width(), self.canvas.height()) != (w, h) {
            let (canvas, view, lin, near) = make_canvas(
                &self.device,
                &self.canvas_pipeline,
                &self.linear,
                &self.nearest,
                w,
                h,
            );
            (
                self.canvas,
                self.canvas_view,
                self.canvas_linear,
                self.canvas_nearest,
            ) = (canvas, view, lin, near);
            self.canvas_viewport.update(
                &self.queue,
                Resolution {
                    width: w,
                    height: h,
                },
            );
        }
        self.canvas_holds = None;
        let area = slide_area(playlist);
        let (slides, carried) = self.carry_slides(playlist, area);
        let ticker = playlist
            .ticker
            .as_ref()
            .zip(shaped.ticker)
            .map(|(t, buffer)| {
                let band = ticker_band(playlist).expect("a ticker has a band");
                let (period, height) = text::measure(&buffer);
                TickerAssets {
                    // Whole pixels, so that a snapped ticker stays on whole pixels across the wrap.
                    period: period.ceil().max(1.0),
                    origin: 0.0,
                    text_top: band.y + ((band.h - height) / 2.0).round(),
                    band,
                    buffer,
                    background: t.background,
                    color: t.color,
                }
            });
        let ticker = self.continue_ticker(playlist, ticker);
        let (aw, ah) = (area.w as u32, area.h as u32);
        if self
            .pool
            .first()
            .is_none_or(|p| (p.texture.width(), p.texture.height()) != (aw.max(1), ah.max(1)))
        {
            self.pool = (0..SLIDE_POOL)
                .map(|i| {
                    let texture =
                        gpu::create_texture(&self.device, &format!("slide {i}"), aw, ah, true);
                    let view = texture.create_view(&Default::default());
                    let bind = self.canvas_pipeline.bind(&self.device, &view, &self.linear);
                    SlideTexture {
                        slide: None,
                        texture,
                        view,
                        bind,
                        last_used: 0,
                        valid: false,
                    }
                })
                .collect();
            self.slide_viewport.update(
                &self.queue,
                Resolution {
                    width: aw.max(1),
                    height: ah.max(1),
                },
            );
        }
        for p in &mut self.pool {
            p.valid = false;
        }
        self.scene = Scene {
            playlist: playlist.clone(),
            slides,
            ticker,
            area,
        };
        carried
    }

    /// The resident slides that `playlist` still has, unchanged (same settings, same image
    /// files) and laid out in the same area, under their new index. The rest leave the GPU.
    fn carry_slides(
        &mut self,
        playlist: &Playlist,
        area: Rect,
    ) -> (HashMap<usize, SlideAssets>, Carried) {
        let old = std::mem::take(&mut self.scene.slides);
        let mut slides = HashMap::new();
        let mut carried = Vec::new();
        if area != self.scene.area {
            return (slides, carried);
        }
        for (i, assets) in old {
            let Some(slide) = self.scene.playlist.slides.get(i) else {
                continue;
            };
            // The same index first: a reload usually changes little.
            let same = |j: &usize| playlist.slides.get(*j) == Some(slide);
            let found = Some(i).filter(same).or_else(|| {
                (0..playlist.slides.len()).find(|j| same(j) && !slides.contains_key(j))
            });
            if let Some(j) = found.filter(|j| !slides.contains_key(j)) {
                slides.insert(j, assets);
                carried.push((i, j));
            }
        }
        (slides, carried)
    }

    /// Uploads a prepared slide; it is drawn from the next frame on.
    pub fn insert_prepared(&mut self, index: usize, prepared: PreparedSlide) {
        let Some(slide) = self.scene.playlist.slides.get(index) else {
            return;
        };
        let color = match &slide.content {
            crate::playlist::Content::Text(t) => t.color,
            crate::playlist::Content::Image { .. } => Color::WHITE,
        };
        let picture = prepared.picture.map(|p| {
            let texture = gpu::upload_image(&self.device, &self.queue, "image", &p.pixels);
            let view = texture.create_view(&Default::default());
            let bind = self.canvas_pipeline.bind(&self.device, &view, &self.linear);
            (bind, p.rect, p.uv)
        });
        let blocks = prepared
            .blocks
            .into_iter()
            .map(|(buffer, left, top)| TextBlock {
                buffer,
                left,
                top,
                color,
            })
            .collect();
        self.scene
            .slides
            .insert(index, SlideAssets { picture, blocks });
        self.forget_drawn(index);
    }

    /// Drops a slide's assets from the GPU (it is no longer needed soon).
    pub fn evict(&mut self, index: usize) {
        self.scene.slides.remove(&index);
        self.forget_drawn(index);
    }

    /// The slides resident now.
    pub fn resident_slides(&self) -> Vec<usize> {
        self.scene.slides.keys().copied().collect()
    }

    /// Whether slide `index` is resident.
    pub fn has_slide(&self, index: usize) -> bool {
        self.scene.slides.contains_key(&index)
    }

    /// Prepares slide `index` here, on this thread, with the renderer's fonts: for stills,
    /// tests and benchmarks, which have no worker. Upload it with [`Renderer::insert_prepared`].
    pub fn prepare_here(&mut self, index: usize) -> Option<PreparedSlide> {
        let slide = self.scene.playlist.slides.get(index)?;
        Some(prepare_slide(&mut self.font_system, slide, self.scene.area))
    }

    /// The slide's pooled drawing (and the canvas, if it shows it) must be drawn again.
    fn forget_drawn(&mut self, index: usize) {
        for p in &mut self.pool {
            if p.slide == Some(index) {
                p.valid = false;
            }
        }
        if self.canvas_holds == Some(Some(index)) {
            self.canvas_holds = None;
        }
    }

    /// Places a reloaded ticker on the tape so that the crawl continues without a jump: the
    /// same text keeps its place; a new text enters from the right edge after the last copy
    /// of the old text that has already started to show, which scrolls out first.
    fn continue_ticker(
        &mut self,
        playlist: &Playlist,
        ticker: Option<TickerAssets>,
    ) -> Option<TickerAssets> {
        let mut new = ticker?;
        let width = playlist.display.width as f64;
        let same_text = |a: &crate::playlist::Ticker, b: &crate::playlist::Ticker| {
            (&a.text, &a.separator, &a.font, a.font_size)
                == (&b.text, &b.separator, &b.font, b.font_size)
        };
        let d = self.last_distance;
        if self.frame_counter == 0 {
            return Some(new); // nothing shown yet: start at the tape's origin
        }
        match (
            self.scene.ticker.take(),
            &self.scene.playlist.ticker,
            &playlist.ticker,
        ) {
            (Some(old), Some(a), Some(b)) if same_text(a, b) => new.origin = old.origin,
            (Some(old), Some(_), Some(_)) => {
                let period = old.period as f64;
                let end = old.origin + ((d + width - old.origin) / period).ceil() * period;
                new.origin = end;
                self.retiring = Some((old, end));
            }
            _ => new.origin = d + width,
        }
        Some(new)
    }

    /// Shows `text` over the top of the canvas (preview only), or removes it.
    pub fn set_overlay(&mut self, text: Option<&str>, color: Color) {
        self.canvas_holds = None;
        self.overlay = text.map(|t| {
            let width = self.canvas.width() as f32 - 16.0;
            let size = (self.canvas.height() as f32 / 12.0).clamp(12.0, 22.0);
            let buffer = text::shape(
                &mut self.font_system,
                t,
                crate::playlist::DEFAULT_FONT,
                size,
                false,
                Some(width),
                crate::playlist::Align::Left,
            );
            TextBlock {
                buffer,
                left: 8.0,
                top: 4.0,
                color,
            }
        });
    }

    /// Draws (or not) a white 1-pixel vertical bar over everything at x = the ticker's distance
    /// (wrapping around the canvas): the test pattern's check of smooth motion.
    pub fn set_sweep(&mut self, on: bool) {
        self.sweep = on;
        self.canvas_holds = None;
    }

    /// Where the current ticker text starts on the tape (see `TickerAssets::origin`).
    pub fn ticker_origin(&self) -> Option<f64> {
        self.scene.ticker.as_ref().map(|t| t.origin)
    }

    /// Width of one repetition of the ticker text, in pixels.
    pub fn ticker_period(&self) -> Option<f32> {
        self.scene.ticker.as_ref().map(|t| t.period)
    }

    pub fn playlist(&self) -> &Playlist {
        &self.scene.playlist
    }

    /// Draws `frame` with the ticker moved `ticker_distance` pixels in all (unbounded; the
    /// renderer wraps it) onto the canvas, and onto `output` if given. One submission.
    pub fn render(&mut self, frame: &Frame, ticker_distance: f64, output: Option<Output<'_>>) {
        self.frame_counter += 1;
        self.last_distance = ticker_distance;
        if self
            .retiring
            .as_ref()
            .is_some_and(|(_, end)| ticker_distance >= *end)
        {
            self.retiring = None;
        }
        let from = frame.transition.map(|t| t.from);
        for slide in [Some(frame.slide), from, Some(frame.next)]
            .into_iter()
            .flatten()
        {
            self.ensure_slide_texture(slide);
        }
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("frame"),
            });
        self.compose(&mut encoder, frame, ticker_distance);
        if let Some(out) = output {
            self.blit(&mut encoder, out);
        }
        self.queue.submit(Some(encoder.finish()));
        self.atlas.trim();
    }

    /// The canvas as an image: what the wall shows.
    pub fn read_canvas(&self) -> Result<RgbaImage, String> {
        gpu::read_back(&self.device, &self.queue, &self.canvas)
    }

    /// Draws `slide` into a pooled texture unless it is there already.
    fn ensure_slide_texture(&mut self, slide: SlideRef) {
        let now = self.frame_counter;
        if let Some(p) = self.pool.iter_mut().find(|p| p.valid && p.slide == slide) {
            p.last_used = now;
            return;
        }
        let Some(slot) =
            (0..self.pool.len()).min_by_key(|&i| (self.pool[i].valid, self.pool[i].last_used))
        else {
            return;
        };
        let bg = slide
            .and_then(|i| self.scene.playlist.slides.get(i))
            .map_or(self.scene.playlist.display.background, |s| s.background);
        let target = (
            self.pool[slot].texture.width(),
            self.pool[slot].texture.height(),
        );
        self.slide_quads.clear();
        // The slide's one picture (its image, or a text slide's background image), if any.
        // A slide not yet resident shows its background until it is.
        let mut picture: Option<(Option<u32>, &wgpu::BindGroup)> = None;
        let mut text_areas_ready = false;
        if let Some(assets) = slide.and_then(|i| self.scene.slides.get(&i)) {
            if let Some((bind, rect, uv)) = &assets.picture {
                picture = Some((self.slide_quads.push(*rect, target, *uv, [1.0; 4]), bind));
            }
            if !assets.blocks.is_empty() {
                let areas = assets.blocks.iter().map(|b| TextArea {
                    buffer: &b.buffer,
                    left: b.left,
                    top: b.top,
                    scale: 1.0,
                    bounds: TextBounds {
                        left: 0,
                        top: 0,
                        right: target.0 as i32,
                        bottom: target.1 as i32,
                    },
                    default_color: text::glyph_color(b.color),
                    custom_glyphs: &[],
                });
                match self.slide_text.prepare(
                    &self.device,
                    &self.queue,
                    &mut self.font_system,
                    &mut self.atlas,
                    &self.slide_viewport,
                    areas,
                    &mut self.swash,
                ) {
                    Ok(()) => text_areas_ready = true,
                    Err(e) => tracing::warn!("slide text could not be prepared: {e}"),
                }
            }
        }
        self.slide_quads.upload(&self.queue);
        let mut encoder = self
            .device
            .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                label: Some("slide"),
            });
        {
            let mut pass = begin_pass(&mut encoder, &self.pool[slot].view, bg);
            if let Some((index, bind)) = picture {
                self.slide_quads
                    .draw(&mut pass, &self.canvas_pipeline, bind, index);
            }
            if text_areas_ready {
                if let Err(e) = self
                    .slide_text
                    .render(&self.atlas, &self.slide_viewport, &mut pass)
                {
                    tracing::warn!("slide text could not be drawn: {e}");
                }
            }
        }
        self.queue.submit(Some(encoder.finish()));
        let p = &mut self.pool[slot];
        (p.slide, p.valid, p.last_used) = (slide, true, now);
    }

    fn slide_bind(&self, slide: SlideRef) -> Option<&wgpu::BindGroup> {
        self.pool
            .iter()
            .find(|p| p.valid && p.slide == slide)
            .map(|p| &p.bind)
    }

    fn compose(&mut self, encoder: &mut wgpu::CommandEncoder, frame: &Frame, distance: f64) {
        let canvas = (self.canvas.width(), self.canvas.height());
        let area = self.scene.area;
        // While only the ticker moves, the canvas still holds the slide: redraw just the band.
        let band_only = frame.transition.is_none()
            && self.canvas_holds == Some(frame.slide)
            && self.overlay.is_none()
            && !self.sweep
            && self
                .scene
                .ticker
                .as_ref()
                .is_some_and(|t| t.background.a == 255);
        self.canvas_holds = frame.transition.is_none().then_some(frame.slide);
        let q = &mut self.frame_quads;
        q.clear();
        let full = [1.0f32; 4];
        // (quad index, which slide texture) for up to two slides.
        let mut slides: [(Option<u32>, SlideRef); 2] = [(None, None); 2];
        match frame.transition {
            None if band_only => {}
            None => slides[0] = (q.push(area, canvas, FULL_UV, full), frame.slide),
            Some(t) => {
                let p = t.progress.clamp(0.0, 1.0);
                match t.kind {
                    TransitionKind::Cut => {
                        slides[0] = (q.push(area, canvas, FULL_UV, full), frame.slide)
                    }
                    TransitionKind::Fade => {
                        slides[0] = (q.push(area, canvas, FULL_UV, full), t.from);
                        slides[1] = (
                            q.push(area, canvas, FULL_UV, [1.0, 1.0, 1.0, p]),
                            frame.slide,
                        );
                    }
                    TransitionKind::Slide => {
                        // Push to the left, eased so that it starts and lands gently; whole
                        // pixels so that LED artwork is never resampled mid-move.
                        let dx = (smoothstep(p) * area.w).round();
                        let a = Rect {
                            x: area.x - dx,
                            ..area
                        };
                        let b = Rect {
                            x: area.x + area.w - dx,
                            ..area
                        };
                        slides[0] = (q.push(a, canvas, FULL_UV, full), t.from);
                        slides[1] = (q.push(b, canvas, FULL_UV, full), frame.slide);
                    }
                    TransitionKind::Wipe => {
                        let w = (smoothstep(p) * area.w).round();
                        slides[0] = (q.push(area, canvas, FULL_UV, full), t.from);
                        let uv = [0.0, 0.0, w / area.w, 1.0];
                        slides[1] = (q.push(Rect { w, ..area }, canvas, uv, full), frame.slide);
                    }
                }
            }
        }
        let sweep = self.sweep.then(|| {
            let x = (distance.floor() as i64).rem_euclid(canvas.0.max(1) as i64) as f32;
            q.push(
                Rect::new(x, 0.0, 1.0, canvas.1 as f32),
                canvas,
                FULL_UV,
                full,
            )
        });
        let mut ticker_band = None;
        let mut overlay_box = None;
        let bounds_of = |r: Rect| TextBounds {
            left: r.x as i32,
            top: r.y as i32,
            right: (r.x + r.w) as i32,
            bottom: (r.y + r.h) as i32,
        };
        let mut ticker_areas = None;
        if let Some(t) = &self.scene.ticker {
            ticker_band = q.push(t.band, canvas, FULL_UV, t.background.to_linear());
            let width = canvas.0 as f64;
            let band = bounds_of(t.band);
            let area = move |a, x| ticker_area(a, t.band.x, x, band);
            // The old text's copies up to where the new text starts, then the new text's.
            let retiring = self.retiring.as_ref();
            let old = retiring.into_iter().flat_map(move |(o, end)| {
                copies(
                    o.origin,
                    o.period as f64,
                    distance,
                    width,
                    f64::NEG_INFINITY,
                    *end,
                )
                .map(move |x| area(o, x))
            });
            let start = retiring.map_or(f64::NEG_INFINITY, |(_, end)| *end);
            let new = copies(
                t.origin,
                t.period as f64,
                distance,
                width,
                start,
                f64::INFINITY,
            )
            .map(move |x| area(t, x));
            ticker_areas = Some(old.chain(new));
        }
        let overlay_area = self.overlay.as_ref().map(|o| {
            let (w, h) = text::measure(&o.buffer);
            let backdrop = Rect::new(
                0.0,
                0.0,
                canvas.0 as f32,
                (h + 2.0 * o.top).min(canvas.1 as f32),
            );
            overlay_box = q.push(backdrop, canvas, FULL_UV, [0.0, 0.0, 0.0, 0.75]);
            TextArea {
                buffer: &o.buffer,
                left: o.left,
                top: o.top,
                scale: 1.0,
                bounds: bounds_of(Rect::new(0.0, 0.0, w + 2.0 * o.left, backdrop.h)),
                default_color: text::glyph_color(o.color),
                custom_glyphs: &[],
            }
        });
        let areas = ticker_areas.into_iter().flatten().chain(overlay_area);
        let text_ready = match self.ticker_text.prepare(
            &self.device,
            &self.queue,
            &mut self.font_system,
            &mut self.atlas,
            &self.canvas_viewport,
            areas,
            &mut self.swash,
        ) {
            Ok(()) => true,
            Err(e) => {
                tracing::warn!("ticker text could not be prepared: {e}");
                false
            }
        };
        q.upload(&self.queue);

        let clear = (!band_only).then_some(self.scene.playlist.display.background);
        let mut pass = begin_pass(encoder, &self.canvas_view, clear);
        for (index, slide) in slides {
            if let Some(bind) = self.slide_bind(slide) {
                self.frame_quads
                    .draw(&mut pass, &self.canvas_pipeline, bind, index);
            }
        }
        self.frame_quads.draw(
            &mut pass,
            &self.canvas_pipeline,
            &self.white,
            sweep.flatten(),
        );
        self.frame_quads
            .draw(&mut pass, &self.canvas_pipeline, &self.white, ticker_band);
        self.frame_quads
            .draw(&mut pass, &self.canvas_pipeline, &self.white, overlay_box);
        if text_ready {
            if let Err(e) = self
                .ticker_text
                .render(&self.atlas, &self.canvas_viewport, &mut pass)
            {
                tracing::warn!("ticker text could not be drawn: {e}");
            }
        }
    }

    /// Scales the canvas onto a window surface: letterboxed, aspect kept, nearest-neighbour
    /// at whole zoom factors so that a wall's pixels stay crisp.
    fn blit(&mut self, encoder: &mut wgpu::CommandEncoder, out: Output<'_>) {
        if self
            .output_pipeline
            .as_ref()
            .is_none_or(|p| p.format != out.format)
        {
            self.output_pipeline = Some(QuadPipeline::new(&self.device, out.format));
        }
        let (cw, ch) = (self.canvas.width(), self.canvas.height());
        let (rect, integer_zoom) = layout::letterbox((cw, ch), (out.width, out.height));
        // The blit is the last quad of this submission's batch.
        let index = self
            .frame_quads
            .push(rect, (out.width, out.height), FULL_UV, [1.0; 4]);
        self.frame_quads.upload(&self.queue);
        let pipeline = self.output_pipeline.as_ref().expect("created above");
        let bind = if integer_zoom {
            &self.canvas_nearest
        } else {
            &self.canvas_linear
        };
        let mut pass = begin_pass(encoder, out.view, Color::BLACK);
        self.frame_quads.draw(&mut pass, pipeline, bind, index);
    }

    /// Renders `playlist`'s slide `slide` alone, as the wall shows it with the ticker at rest.
    pub fn render_still(&mut self, slide: SlideRef) -> Result<RgbaImage, String> {
        self.render(&Frame::showing(slide), 0.0, None);
        self.read_canvas()
    }

    /// Renders `text` as a caption image (for contact sheets).
    pub fn render_caption(
        &mut self,
        text_: &str,
        width: u32,
        height: u32,
        size: f32,
    ) -> Result<RgbaImage, String> {
        let buffer = text::shape(
            &mut self.font_system,
            text_,
            crate::playlist::DEFAULT_FONT,
            size,
            false,
            Some(width as f32 - 8.0),
            crate::playlist::Align::Left,
        );
        let texture = gpu::create_texture(&self.device, "caption", width, height, true);
        let view = texture.create_view(&Default::default());
        let mut viewport = Viewport::new(&self.device, &Cache::new(&self.device));
        viewport.update(&self.queue, Resolution { width, height });
        let area = TextArea {
            buffer: &buffer,
            left: 4.0,
            top: 2.0,
            scale: 1.0,
            bounds: TextBounds {
                left: 0,
                top: 0,
                right: width as i32,
                bottom: height as i32,
            },
            default_color: glyphon::Color::rgb(230, 230, 230),
            custom_glyphs: &[],
        };
        self.slide_text
            .prepare(
                &self.device,
                &self.queue,
                &mut self.font_system,
                &mut self.atlas,
                &viewport,
                [area],
                &mut self.swash,
            )
            .map_err(|e| e.to_string())?;
        let mut encoder = self.device.create_command_encoder(&Default::default());
        {
            let mut pass = begin_pass(&mut encoder, &view, Color::rgb(32, 32, 32));
            self.slide_text
                .render(&self.atlas, &viewport, &mut pass)
                .map_err(|e| e.to_string())?;
        }
        self.queue.submit(Some(encoder.finish()));
        gpu::read_back(&self.device, &self.queue, &texture)
    }
}

fn ticker_area(a: &TickerAssets, band_x: f32, x: f64, bounds: TextBounds) -> TextArea<'_> {
    TextArea {
        buffer: &a.buffer,
        left: band_x + x as f32,
        top: a.text_top,
        scale: 1.0,
        bounds,
        default_color: text::glyph_color(a.color),
        custom_glyphs: &[],
    }
}

/// Screen x of each copy of a text repeated every `period` from tape position `origin`, as
/// far as `distance` has scrolled it, that is visible in `width` and lies on the tape within
/// `from..until`.
fn copies(
    origin: f64,
    period: f64,
    distance: f64,
    width: f64,
    from: f64,
    until: f64,
) -> impl Iterator<Item = f64> {
    let first = ((distance - origin) / period)
        .floor()
        .max(((from - origin) / period).ceil().min(f64::MAX));
    let first = if first.is_finite() { first as i64 } else { 0 };
    (first..)
        .map(move |k| origin + k as f64 * period)
        .take_while(move |tape| *tape < until && tape - distance < width)
        .map(move |tape| tape - distance)
}

fn smoothstep(p: f32) -> f32 {
    p * p * (3.0 - 2.0 * p)
}

fn make_canvas(
    device: &wgpu::Device,
    pipeline: &QuadPipeline,
    linear: &wgpu::Sampler,
    nearest: &wgpu::Sampler,
    w: u32,
    h: u32,
) -> (
    wgpu::Texture,
    wgpu::TextureView,
    wgpu::BindGroup,
    wgpu::BindGroup,
) {
    let texture = gpu::create_texture(device, "canvas", w, h, true);
    let view = texture.create_view(&Default::default());
    let lin = pipeline.bind(device, &view, linear);
    let near = pipeline.bind(device, &view, nearest);
    (texture, view, lin, near)
}

/// A render pass on `view`, cleared to `clear`, or keeping what it holds when `None`.
fn begin_pass<'e>(
    encoder: &'e mut wgpu::CommandEncoder,
    view: &wgpu::TextureView,
    clear: impl Into<Option<Color>>,
) -> wgpu::RenderPass<'e> {
    let load = match clear.into() {
        Some(c) => {
            let [r, g, b, a] = c.to_linear();
            wgpu::LoadOp::Clear(wgpu::Color {
                r: r as f64,
                g: g as f64,
                b: b as f64,
                a: a as f64,
            })
        }
        None => wgpu::LoadOp::Load,
    };
    encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
        label: None,
        color_attachments: &[Some(wgpu::RenderPassColorAttachment {
            view,
            depth_slice: None,
            resolve_target: None,
            ops: wgpu::Operations {
                load,
                store: wgpu::StoreOp::Store,
            },
        })],
        depth_stencil_attachment: None,
        timestamp_writes: None,
        occlusion_query_set: None,
        multiview_mask: None,
    })
}
