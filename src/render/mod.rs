//! The GPU renderer: draws a timeline [`Frame`] onto a canvas texture at the wall's native
//! size, then (for a window) puts that canvas on the surface. wgpu only, no winit.
//!
//! Work is done as early as possible, and only for what shows: a slide's picture and text
//! arrive prepared (see [`crate::layout::prepare`]) just before it comes up and are uploaded once
//! (`resident`); the slide is drawn into a pooled texture when it first shows (`pool`); the
//! ticker's text is drawn once into a strip (`ticker`). A frame composes at most two slide
//! textures placed by pure transition geometry (`transition`) and copies the strip's pieces
//! into the band; while only the ticker moves, only the band is touched. The canvas goes onto
//! a window by a copy when sizes and formats agree (`canvas`).

mod canvas;
mod compose;
mod crawl;
mod glyphs;
pub mod gpu;
mod light;
mod overlay;
mod pool;
mod quad;
mod resident;
pub mod still;
mod stills;
mod tape;
mod ticker;
mod transition;
mod video;

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};

use chrono::NaiveDateTime;
use glyphon::fontdb;
use image::RgbaImage;

pub use crate::layout::{fit_rect, slide_area, text, ticker_band, Rect};
pub use crate::layout::{text_blocks, Fonts};
pub use canvas::Output;
pub use compose::ZoneLayer;
pub use gpu::{Gpu, CANVAS_FORMAT};
pub use resident::Carried;

use crate::layout::prepare::{prepare_slide, PreparedSlide};
use crate::model::playlist::{Color, Content, Playlist};
use crate::rules::lighting::Light;
use crate::rules::timeline::{Frame, SlideRef};
use canvas::{Canvas, Scaler};
use glyphs::{SizedViewport, TextState};
use pool::{DrawTools, SlidePool};
use quad::{QuadPipeline, Quads, FULL_UV};
use resident::{Resident, SlideAssets, TextBlock};
use ticker::{StripTools, Ticker};
use transition::Which;
use video::{VideoPipeline, VideoPlanes};

/// The GPU objects every part draws with, made once.
struct Tools {
    device: wgpu::Device,
    queue: wgpu::Queue,
    /// Straight-alpha quads: slides, pictures, the overlay's backdrop.
    quads: QuadPipeline,
    /// Premultiplied quads: ticker strips (see [`Ticker::new`]).
    premultiplied: QuadPipeline,
    /// Quads that cover what is under them: an opaque slide drawn whole needs no blending,
    /// which on a software rasteriser is most of a transition frame's cost.
    opaque: QuadPipeline,
    /// Video frames from their Y, U and V planes.
    video: VideoPipeline,
    linear: wgpu::Sampler,
    nearest: wgpu::Sampler,
    white: wgpu::BindGroup,
}

/// Everything drawn for one playlist.
struct Scene {
    playlist: Playlist,
    resident: Resident,
    /// The latest frame of each video slide that has one, on the GPU.
    videos: HashMap<usize, VideoPlanes>,
    ticker: Option<Ticker>,
    area: Rect,
}

impl Scene {
    /// What `slide` is drawn on: its background, or the display's where there is no slide.
    fn background_of(&self, slide: SlideRef) -> Color {
        slide
            .and_then(|i| self.playlist.slides.get(i))
            .map_or(self.playlist.display.background, |s| s.background)
    }
}

pub struct Renderer {
    tools: Tools,
    canvas: Canvas,
    scaler: Scaler,
    text: TextState,
    pool: SlidePool,
    scene: Scene,
    /// The previous ticker text after a change, scrolling out ahead of the new text, which
    /// starts at tape position `.1`.
    retiring: VecDeque<(Ticker, f64)>,
    /// The ticker's text as drawn, placeholders expanded.
    ticker_text: Option<String>,
    /// Where live text is expanded (stills of a moment); `None`: the clock.
    text_time: Option<NaiveDateTime>,
    /// The wall's light: on or dark, and how bright (see `lighting`).
    light: Light,
    /// Preview-only text over the canvas (help, reload errors); never set on the wall.
    overlay: Option<TextBlock>,
    /// The test pattern's 1-pixel bar, sweeping across with the ticker's distance.
    sweep: bool,
    /// Quads of the frame being composed: slides, the sweep bar, the overlay's backdrop.
    frame_quads: Quads,
    canvas_viewport: SizedViewport,
    strip_viewport: SizedViewport,
    /// What the canvas holds outside the ticker band, so that a frame that only moves the
    /// ticker touches only the band. `None` forces a full redraw.
    canvas_holds: Option<SlideRef>,
    frame_counter: u64,
    last_distance: f64,
    fonts: Fonts,
    /// Counts changes of the font database, so that whoever shapes elsewhere can follow.
    fonts_changed: u64,
}

impl Renderer {
    /// A renderer whose canvas is in [`CANVAS_FORMAT`]: for stills, tests and benchmarks.
    pub fn new(gpu: &Gpu, fonts: Fonts, playlist: &Playlist) -> Renderer {
        Self::with_format(gpu, fonts, playlist, CANVAS_FORMAT)
    }

    /// A renderer whose canvas is in `format` (see [`gpu::canvas_format_for`]): a window's
    /// surface format, so that the canvas can be copied onto it.
    pub fn with_format(
        gpu: &Gpu,
        fonts: Fonts,
        playlist: &Playlist,
        format: wgpu::TextureFormat,
    ) -> Renderer {
        let (device, queue) = (gpu.device.clone(), gpu.queue.clone());
        Self::on_device(device, queue, fonts, playlist, format, None)
    }

    /// A renderer for a zone of this one's wall: same device, canvas format and fonts (so
    /// that shaped text resolves in both), its own canvas of the zone's size.
    pub fn for_zone(&self, playlist: &Playlist) -> Renderer {
        let t = &self.tools;
        let (device, queue) = (t.device.clone(), t.queue.clone());
        let format = self.canvas.texture.format();
        let fonts = Some(self.font_database());
        Self::on_device(device, queue, self.fonts, playlist, format, fonts)
    }

    /// The canvas, for composing it into another (a zone's into the wall's).
    pub fn canvas_texture(&self) -> &wgpu::Texture {
        &self.canvas.texture
    }

    fn on_device(
        device: wgpu::Device,
        queue: wgpu::Queue,
        fonts: Fonts,
        playlist: &Playlist,
        format: wgpu::TextureFormat,
        font_database: Option<fontdb::Database>,
    ) -> Renderer {
        let format = gpu::canvas_format_for(format);
        let quads = QuadPipeline::new(&device, format, wgpu::BlendState::ALPHA_BLENDING);
        let premultiplied = QuadPipeline::new(
            &device,
            format,
            wgpu::BlendState::PREMULTIPLIED_ALPHA_BLENDING,
        );
        let opaque = QuadPipeline::new(&device, format, wgpu::BlendState::REPLACE);
        let video = VideoPipeline::new(&device, format);
        let linear = quad::sampler(&device, wgpu::FilterMode::Linear);
        let nearest = quad::sampler(&device, wgpu::FilterMode::Nearest);
        let white_img = RgbaImage::from_pixel(1, 1, image::Rgba([255, 255, 255, 255]));
        let white_tex = gpu::upload_image(&device, &queue, "white", &white_img);
        let white = quads.bind(
            &device,
            &white_tex.create_view(&Default::default()),
            &nearest,
        );
        let mut text = TextState::new(&device, &queue, format);
        if let Some(db) = font_database {
            text.font_system = text::font_system_with(db);
        }
        let canvas = Canvas::new(&device, &quads, (&linear, &nearest), (1, 1));
        let mut renderer = Renderer {
            scaler: Scaler::new(&device),
            pool: SlidePool::new(&device, &text),
            frame_quads: Quads::new(&device),
            canvas_viewport: text.viewport(&device),
            strip_viewport: text.viewport(&device),
            canvas,
            text,
            scene: Scene {
                playlist: playlist.clone(),
                resident: Resident::default(),
                videos: HashMap::new(),
                ticker: None,
                area: Rect::new(0.0, 0.0, 1.0, 1.0),
            },
            retiring: VecDeque::new(),
            ticker_text: None,
            text_time: None,
            light: Light::FULL,
            overlay: None,
            sweep: false,
            canvas_holds: None,
            frame_counter: 0,
            last_distance: 0.0,
            fonts,
            fonts_changed: 0,
            tools: Tools {
                device,
                queue,
                quads,
                premultiplied,
                opaque,
                video,
                linear,
                nearest,
                white,
            },
        };
        renderer.set_playlist(playlist);
        renderer
    }

    /// Takes `playlist`: shapes its ticker, keeps the resident slides it still has, and drops
    /// the rest. Called on load and on every reload; the next frame draws the new playlist with
    /// no black frame in between. Returns the slides carried over (see [`Carried`]).
    pub fn set_playlist(&mut self, playlist: &Playlist) -> Carried {
        let max = self.tools.device.limits().max_texture_dimension_2d;
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
        let at = self.text_now();
        let shaped = text::shape_playlist(&mut self.text.font_system, playlist, self.fonts, at);
        self.set_shaped_playlist(playlist, shaped)
    }

    /// A copy of the font database, for shaping text elsewhere (see [`text::ShapedText`]).
    pub fn font_database(&self) -> fontdb::Database {
        self.text.font_system.db().clone()
    }

    /// Changes each time the font database does: shapers elsewhere then need a new copy.
    pub fn fonts_changed(&self) -> u64 {
        self.fonts_changed
    }

    /// Like [`Renderer::set_playlist`], with the ticker already shaped (on another thread, with
    /// a font system built from [`Renderer::font_database`]), so that only drawing is left here.
    pub fn set_shaped_playlist(
        &mut self,
        playlist: &Playlist,
        shaped: text::ShapedText,
    ) -> Carried {
        let max = self.tools.device.limits().max_texture_dimension_2d;
        if playlist.display.width > max || playlist.display.height > max {
            // Laid out for a canvas this GPU cannot have: lay it out again, here.
            return self.set_playlist(playlist);
        }
        if let Some(db) = shaped.fonts {
            self.text.font_system = text::font_system_with(db);
            self.fonts_changed += 1;
        }
        let size = (playlist.display.width, playlist.display.height);
        if self.canvas.size() != size {
            let t = &self.tools;
            self.canvas = Canvas::new(&t.device, &t.quads, (&t.linear, &t.nearest), size);
        }
        self.canvas_holds = None;
        let area = slide_area(playlist);
        let carried =
            self.scene
                .resident
                .carry(&self.scene.playlist, self.scene.area, playlist, area);
        let ticker = shaped
            .ticker
            .and_then(|buffer| self.new_ticker(playlist, buffer));
        let ticker = self.continue_ticker(playlist, ticker, shaped.ticker_text.as_deref());
        self.ticker_text = shaped.ticker_text;
        let tools = draw_tools(&self.tools, &mut self.text);
        self.pool.reset(&tools, (area.w as u32, area.h as u32));
        video::carry(&mut self.scene.videos, &self.scene.playlist, playlist);
        self.scene.playlist = playlist.clone();
        self.scene.ticker = ticker;
        self.scene.area = area;
        carried
    }

    /// Uploads a prepared slide; it is drawn from the next frame on.
    pub fn insert_prepared(&mut self, index: usize, prepared: PreparedSlide) {
        let Some(slide) = self.scene.playlist.slides.get(index) else {
            return;
        };
        let color = match &slide.content {
            Content::Text(t) => t.color,
            Content::Image { .. } | Content::Video { .. } => Color::WHITE,
        };
        let t = &self.tools;
        let picture = prepared.picture.map(|p| {
            let texture = gpu::upload_image(&t.device, &t.queue, "image", &p.pixels);
            let view = texture.create_view(&Default::default());
            (t.quads.bind(&t.device, &view, &t.linear), p.rect, p.uv)
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
            .resident
            .insert(index, SlideAssets { picture, blocks });
        self.forget_drawn(index);
    }

    /// Drops a slide's assets from the GPU (it is no longer needed soon).
    pub fn evict(&mut self, index: usize) {
        self.scene.resident.remove(index);
        self.scene.videos.remove(&index);
        self.forget_drawn(index);
    }

    /// The slides resident now.
    pub fn resident_slides(&self) -> Vec<usize> {
        self.scene.resident.indices()
    }

    /// Whether slide `index` is resident.
    pub fn has_slide(&self, index: usize) -> bool {
        self.scene.resident.contains(index)
    }

    /// Prepares slide `index` here, on this thread, with the renderer's fonts: for stills,
    /// tests and benchmarks, which have no worker. Upload it with [`Renderer::insert_prepared`].
    pub fn prepare_here(&mut self, index: usize) -> Option<PreparedSlide> {
        self.prepare_at(index, self.text_now())
    }

    /// Like [`Renderer::prepare_here`], with live text expanded at `at`.
    pub fn prepare_at(&mut self, index: usize, at: NaiveDateTime) -> Option<PreparedSlide> {
        let slide = self.scene.playlist.slides.get(index)?;
        let slide = crate::layout::text::slide_at(slide, at);
        Some(prepare_slide(
            &mut self.text.font_system,
            &slide,
            self.scene.area,
        ))
    }

    /// The slide's pooled drawing (and the canvas, if it shows it) must be drawn again.
    fn forget_drawn(&mut self, index: usize) {
        self.pool.forget(index);
        if self.canvas_holds == Some(Some(index)) {
            self.canvas_holds = None;
        }
    }

    /// The local time live text is expanded at: the clock, or the moment a still shows.
    fn text_now(&self) -> NaiveDateTime {
        self.text_time
            .unwrap_or_else(|| crate::rules::playhead::Moment::now().wall)
    }

    pub fn playlist(&self) -> &Playlist {
        &self.scene.playlist
    }

    /// Draws `frame` with the ticker moved `ticker_distance` pixels in all (unbounded; the
    /// renderer wraps it) onto the canvas, and onto `output` if given. One submission.
    pub fn render(&mut self, frame: &Frame, ticker_distance: f64, output: Option<Output<'_>>) {
        self.render_to(frame, ticker_distance, output, None);
    }

    /// Whether drawing `frame` changes nothing on the canvas but the ticker band: then a
    /// window whose band has a surface of its own needs only that surface presented.
    pub fn touches_only_band(&self, frame: &Frame) -> bool {
        self.canvas_shows(frame) && self.scene.ticker.as_ref().is_some_and(|t| t.opaque)
    }

    /// Whether the canvas already shows `frame` outside the ticker band: its slide whole, as
    /// drawn last (a new clip frame, a slide prepared again or a transition mean it does not).
    pub fn canvas_shows(&self, frame: &Frame) -> bool {
        frame.transition.is_none()
            && self.canvas_holds == Some(frame.slide)
            && self.overlay.is_none()
            && !self.sweep
    }

    /// The ticker band, when it can be shown on a surface of its own by copies alone (it is
    /// opaque, so nothing under it shows through).
    pub fn opaque_band(&self) -> Option<Rect> {
        self.scene
            .ticker
            .as_ref()
            .filter(|t| t.opaque)
            .map(|t| t.band)
    }

    /// Like [`Renderer::render`], also copying the band onto `band`, the surface of a window
    /// over the band (see [`Renderer::opaque_band`]); `main` may then be left out for frames
    /// that [touch only the band](Renderer::touches_only_band).
    pub fn render_to(
        &mut self,
        frame: &Frame,
        ticker_distance: f64,
        main: Option<Output<'_>>,
        band: Option<Output<'_>>,
    ) {
        self.render_zoned(frame, ticker_distance, main, band, &[]);
    }

    /// Like [`Renderer::render_to`], with other zones' canvases (drawn already, in the same
    /// queue) composed in stacking order, back to front.
    pub fn render_zoned(
        &mut self,
        frame: &Frame,
        ticker_distance: f64,
        main: Option<Output<'_>>,
        band: Option<Output<'_>>,
        zones: &[ZoneLayer],
    ) {
        self.frame_counter += 1;
        self.last_distance = ticker_distance;
        while self
            .retiring
            .front()
            .is_some_and(|(_, end)| ticker_distance >= *end)
        {
            if let Some((old, _)) = self.retiring.pop_front() {
                // A long text's shaped glyphs are megabytes: give them back to the system.
                if old.period > 4 * ticker::TILE {
                    crate::system::platform::release_free_memory();
                }
            }
        }
        if !self.light.on {
            self.draw_dark(main, band);
            return;
        }
        let mut encoder =
            self.tools
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor {
                    label: Some("frame"),
                });
        let from = frame.transition.map(|t| t.from);
        for slide in [Some(frame.slide), from, Some(frame.next)]
            .into_iter()
            .flatten()
        {
            self.ensure_drawn(&mut encoder, slide);
        }
        self.place_tickers(ticker_distance);
        self.compose(&mut encoder, frame, ticker_distance, zones);
        let t = &self.tools;
        let level = self.light.level;
        if let Some(out) = main {
            let scaler = &mut self.scaler;
            self.canvas
                .present(&t.device, &t.queue, &mut encoder, &out, level, scaler);
        }
        if let (Some(out), Some(rect)) = (band, self.opaque_band()) {
            let scaler = &mut self.scaler;
            self.canvas
                .copy_part(&t.device, &t.queue, &mut encoder, rect, &out, level, scaler);
        }
        t.queue.submit(Some(encoder.finish()));
    }

    /// The canvas as an image: what the wall shows, in its light (see [`Renderer::set_light`]).
    pub fn read_canvas(&mut self) -> Result<RgbaImage, String> {
        let t = &self.tools;
        self.canvas
            .read(&t.device, &t.queue, self.light, &mut self.scaler)
    }

    /// Draws `slide` into a pooled texture unless it is there already.
    fn ensure_drawn(&mut self, encoder: &mut wgpu::CommandEncoder, slide: SlideRef) {
        let background = self.scene.background_of(slide);
        let assets = slide.and_then(|i| self.scene.resident.get(i));
        let video = slide.and_then(|i| {
            let fit = self.scene.playlist.slides.get(i)?.fit();
            Some((self.scene.videos.get(&i)?, fit))
        });
        let tools = draw_tools(&self.tools, &mut self.text);
        self.pool
            .ensure(tools, encoder, slide, assets, video, background);
    }
}

fn draw_tools<'a>(tools: &'a Tools, text: &'a mut TextState) -> DrawTools<'a> {
    DrawTools {
        device: &tools.device,
        queue: &tools.queue,
        text,
        pipeline: &tools.quads,
        video: &tools.video,
        sampler: &tools.linear,
    }
}

/// `c` as a clear colour (linear light).
fn clear_color(c: Color) -> wgpu::Color {
    let [r, g, b, a] = c.to_linear();
    wgpu::Color {
        r: r as f64,
        g: g as f64,
        b: b as f64,
        a: a as f64,
    }
}

/// A render pass on `view`, cleared to `clear`, or keeping what it holds when `None`.
fn begin_pass<'e>(
    encoder: &'e mut wgpu::CommandEncoder,
    view: &wgpu::TextureView,
    clear: impl Into<Option<wgpu::Color>>,
) -> wgpu::RenderPass<'e> {
    let load = match clear.into() {
        Some(c) => wgpu::LoadOp::Clear(c),
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
