//! The slide pool: a few textures, each holding one slide drawn when it comes up, so that a
//! frame composes finished slides and never draws a slide's picture or text again.

use super::glyphs::{self, SizedViewport, TextState};
use super::gpu;
use super::quad::{QuadPipeline, Quads};
use super::resident::SlideAssets;
use super::video::{VideoPipeline, VideoPlanes};
use crate::model::playlist::{Color, Fit};
use crate::rules::timeline::SlideRef;

/// Slide textures kept drawn: the current slide, the one it transitions from, the next, spare.
const SLOTS: usize = 4;

pub struct SlidePool {
    slots: Vec<Slot>,
    quads: Quads,
    viewport: SizedViewport,
    clock: u64,
}

struct Slot {
    slide: SlideRef,
    texture: wgpu::Texture,
    view: wgpu::TextureView,
    bind: wgpu::BindGroup,
    last_used: u64,
    valid: bool,
}

/// What drawing a slide needs from the renderer.
pub struct DrawTools<'a> {
    pub device: &'a wgpu::Device,
    pub queue: &'a wgpu::Queue,
    pub text: &'a mut TextState,
    pub pipeline: &'a QuadPipeline,
    pub video: &'a VideoPipeline,
    pub sampler: &'a wgpu::Sampler,
}

impl SlidePool {
    pub fn new(device: &wgpu::Device, text: &TextState) -> SlidePool {
        SlidePool {
            slots: Vec::new(),
            quads: Quads::new(device),
            viewport: text.viewport(device),
            clock: 0,
        }
    }

    /// Makes the pool's textures `size` (the slide area), if they are not; and forgets every
    /// drawing either way (a new playlist may draw the same index differently).
    pub fn reset(&mut self, tools: &DrawTools<'_>, size: (u32, u32)) {
        let size = (size.0.max(1), size.1.max(1));
        if self
            .slots
            .first()
            .is_none_or(|s| (s.texture.width(), s.texture.height()) != size)
        {
            self.slots = (0..SLOTS)
                .map(|i| {
                    let texture = gpu::create_texture(
                        tools.device,
                        &format!("slide {i}"),
                        size.0,
                        size.1,
                        tools.pipeline.format,
                        true,
                    );
                    let view = texture.create_view(&Default::default());
                    let bind = tools.pipeline.bind(tools.device, &view, tools.sampler);
                    Slot {
                        slide: None,
                        texture,
                        view,
                        bind,
                        last_used: 0,
                        valid: false,
                    }
                })
                .collect();
        }
        for s in &mut self.slots {
            s.valid = false;
        }
    }

    /// Slide `index`'s drawing must be made again (its assets changed).
    pub fn forget(&mut self, index: usize) {
        for s in &mut self.slots {
            if s.slide == Some(index) {
                s.valid = false;
            }
        }
    }

    /// The bind group of `slide`'s drawing, if it is drawn.
    /// The texture `slide` is drawn in, if it is.
    pub fn texture(&self, slide: SlideRef) -> Option<&wgpu::Texture> {
        self.slots
            .iter()
            .find(|s| s.valid && s.slide == slide)
            .map(|s| &s.texture)
    }

    pub fn bind(&self, slide: SlideRef) -> Option<&wgpu::BindGroup> {
        self.slots
            .iter()
            .find(|s| s.valid && s.slide == slide)
            .map(|s| &s.bind)
    }

    /// Draws `slide` (its `assets`, or a video slide's latest frame fitted, on `background`)
    /// into a texture unless it is drawn already. A slide not yet resident, or a clip with no
    /// frame yet, shows its background until it is.
    pub fn ensure(
        &mut self,
        tools: DrawTools<'_>,
        encoder: &mut wgpu::CommandEncoder,
        slide: SlideRef,
        assets: Option<&SlideAssets>,
        video: Option<(&VideoPlanes, Fit)>,
        background: Color,
    ) {
        self.clock += 1;
        let now = self.clock;
        if let Some(s) = self.slots.iter_mut().find(|s| s.valid && s.slide == slide) {
            s.last_used = now;
            return;
        }
        let Some(slot) =
            (0..self.slots.len()).min_by_key(|&i| (self.slots[i].valid, self.slots[i].last_used))
        else {
            return;
        };
        let s = &self.slots[slot];
        let size = (s.texture.width(), s.texture.height());
        let blocks = assets.map_or(&[][..], |a| &a.blocks[..]);
        let areas = blocks
            .iter()
            .map(|b| glyphs::area(&b.buffer, (b.left, b.top), size, b.color));
        let picture = assets.and_then(|a| a.picture.as_ref());
        if let Some((_, rect, uv)) = picture {
            self.quads.clear();
            self.quads.push(*rect, size, *uv, [1.0; 4]);
            self.quads.upload(tools.queue);
        }
        if let Some((planes, fit)) = video {
            let area = (size.0 as f32, size.1 as f32);
            let (rect, uv) = crate::layout::fit_rect(fit, planes.size(), area);
            planes.place(tools.queue, rect, uv, size);
        }
        // Background, picture (an image slide's, a text slide's background image, or a clip's
        // frame), then the text over it: one pass.
        let quads = &self.quads;
        let under = |pass: &mut wgpu::RenderPass<'_>| {
            if let Some((bind, _, _)) = picture {
                quads.draw(pass, tools.pipeline, bind, Some(0));
            }
            if let Some((planes, _)) = video {
                planes.draw(pass, tools.video);
            }
        };
        let clear = super::clear_color(background);
        if blocks.is_empty() && picture.is_none() {
            // A clip's frame (or a bare background) is recorded in the frame's own commands,
            // nothing laid out. Text and pictures are submitted at once: their vertices are in
            // buffers the next slide drawn this frame writes again.
            under(&mut super::begin_pass(encoder, &s.view, clear));
        } else if let Err(e) = tools.text.draw_alone(
            tools.device,
            tools.queue,
            &mut self.viewport,
            size,
            areas,
            &s.view,
            clear,
            under,
        ) {
            tracing::warn!("slide {e}");
        }
        let s = &mut self.slots[slot];
        (s.slide, s.valid, s.last_used) = (slide, true, now);
    }
}
