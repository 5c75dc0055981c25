//! Glyphon's pieces kept together, as in its own examples: the font system, the glyph cache,
//! the atlas and the text renderers. Text is drawn only when something new shows (a slide, a
//! ticker strip, the preview overlay), never to move it.

use glyphon::{
    Buffer, Cache, FontSystem, Resolution, SwashCache, TextArea, TextAtlas, TextBounds,
    TextRenderer, Viewport,
};

use super::text;
use crate::model::playlist::Color;

/// `buffer` drawn with its top left at `at`, in `color`, clipped to the rectangle from the
/// target's origin to `clip` (right, bottom).
pub fn area(buffer: &Buffer, at: (f32, f32), clip: (u32, u32), color: Color) -> TextArea<'_> {
    TextArea {
        buffer,
        left: at.0,
        top: at.1,
        scale: 1.0,
        bounds: TextBounds {
            left: 0,
            top: 0,
            right: clip.0 as i32,
            bottom: clip.1 as i32,
        },
        default_color: text::glyph_color(color),
        custom_glyphs: &[],
    }
}

pub struct TextState {
    pub font_system: FontSystem,
    swash: SwashCache,
    cache: Cache,
    atlas: TextAtlas,
    /// Text drawn in a pass of its own (slides into the pool, the ticker strip, captions).
    alone: TextRenderer,
    /// Text drawn inside the canvas pass (the preview overlay).
    overlay: TextRenderer,
}

#[derive(Clone, Copy)]
enum Which {
    Alone,
    Overlay,
}

/// A viewport with the size it was last given, so that it is updated only when that changes.
pub struct SizedViewport {
    viewport: Viewport,
    size: (u32, u32),
}

impl TextState {
    pub fn new(device: &wgpu::Device, queue: &wgpu::Queue, format: wgpu::TextureFormat) -> Self {
        let cache = Cache::new(device);
        let mut atlas = TextAtlas::new(device, queue, &cache, format);
        let ms = wgpu::MultisampleState::default();
        Self {
            alone: TextRenderer::new(&mut atlas, device, ms, None),
            overlay: TextRenderer::new(&mut atlas, device, ms, None),
            font_system: text::font_system(),
            swash: SwashCache::new(),
            cache,
            atlas,
        }
    }

    pub fn viewport(&self, device: &wgpu::Device) -> SizedViewport {
        SizedViewport {
            viewport: Viewport::new(device, &self.cache),
            size: (0, 0),
        }
    }

    /// Draws `areas` into `view` (`size` pixels) in a pass of their own, after clearing it to
    /// `clear` and drawing whatever `under` draws; one submission, then the atlas is trimmed.
    #[allow(clippy::too_many_arguments)]
    pub fn draw_alone<'a>(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        viewport: &mut SizedViewport,
        size: (u32, u32),
        areas: impl IntoIterator<Item = TextArea<'a>>,
        view: &wgpu::TextureView,
        clear: wgpu::Color,
        under: impl FnOnce(&mut wgpu::RenderPass<'_>),
    ) -> Result<(), String> {
        let prepared = self.prepare(Which::Alone, device, queue, viewport, size, areas);
        let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
            label: Some("text"),
        });
        let drawn = {
            let mut pass = super::begin_pass(&mut encoder, view, clear);
            under(&mut pass);
            prepared.and_then(|()| {
                self.alone
                    .render(&self.atlas, &viewport.viewport, &mut pass)
                    .map_err(|e| format!("text could not be drawn: {e}"))
            })
        };
        queue.submit(Some(encoder.finish()));
        self.atlas.trim();
        drawn
    }

    /// Prepares the overlay's `areas` for [`TextState::draw_overlay`] in the coming pass.
    pub fn prepare_overlay<'a>(
        &mut self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        viewport: &mut SizedViewport,
        size: (u32, u32),
        areas: impl IntoIterator<Item = TextArea<'a>>,
    ) -> Result<(), String> {
        self.prepare(Which::Overlay, device, queue, viewport, size, areas)
            .map_err(|e| format!("overlay {e}"))
    }

    /// Lays `areas` out for one of the renderers, in a viewport of `size`.
    fn prepare<'a>(
        &mut self,
        which: Which,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        viewport: &mut SizedViewport,
        size: (u32, u32),
        areas: impl IntoIterator<Item = TextArea<'a>>,
    ) -> Result<(), String> {
        viewport.fit(queue, size);
        let renderer = match which {
            Which::Alone => &mut self.alone,
            Which::Overlay => &mut self.overlay,
        };
        renderer
            .prepare(
                device,
                queue,
                &mut self.font_system,
                &mut self.atlas,
                &viewport.viewport,
                areas,
                &mut self.swash,
            )
            .map_err(|e| format!("text could not be prepared: {e}"))
    }

    pub fn draw_overlay(&self, viewport: &SizedViewport, pass: &mut wgpu::RenderPass<'_>) {
        if let Err(e) = self.overlay.render(&self.atlas, &viewport.viewport, pass) {
            tracing::warn!("overlay text could not be drawn: {e}");
        }
    }

    /// Lets the atlas drop glyphs no longer drawn. After each drawing, as glyphon asks.
    pub fn trim(&mut self) {
        self.atlas.trim();
    }
}

impl SizedViewport {
    fn fit(&mut self, queue: &wgpu::Queue, size: (u32, u32)) {
        if self.size != size {
            self.viewport.update(
                queue,
                Resolution {
                    width: size.0,
                    height: size.1,
                },
            );
            self.size = size;
        }
    }
}
