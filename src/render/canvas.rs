//! The canvas: the wall's picture at its native size. It is read back for stills and put on a
//! window's surface: copied when the surface has the canvas's size and format (no shading),
//! else scaled by a quad.

use image::RgbaImage;

use super::gpu;
use super::quad::{QuadPipeline, Quads, Rect, FULL_UV};
use crate::layout;
use crate::rules::lighting::Light;

/// Where a frame goes besides the canvas: a window's surface texture.
pub struct Output<'a> {
    pub texture: &'a wgpu::Texture,
    /// Whether the surface was configured with `COPY_DST`, so the canvas can be copied onto it.
    pub copy: bool,
}

pub struct Canvas {
    pub texture: wgpu::Texture,
    pub view: wgpu::TextureView,
    linear: wgpu::BindGroup,
    nearest: wgpu::BindGroup,
}

/// Draws the canvas where it cannot be copied: onto surfaces of another size or format, or
/// dimmed.
pub struct Scaler {
    pipeline: Option<QuadPipeline>,
    quads: [Quads; 3],
}

impl Canvas {
    pub fn new(
        device: &wgpu::Device,
        pipeline: &QuadPipeline,
        samplers: (&wgpu::Sampler, &wgpu::Sampler),
        size: (u32, u32),
    ) -> Canvas {
        let texture = gpu::create_texture(device, "canvas", size.0, size.1, pipeline.format, true);
        let view = texture.create_view(&Default::default());
        Canvas {
            linear: pipeline.bind(device, &view, samplers.0),
            nearest: pipeline.bind(device, &view, samplers.1),
            texture,
            view,
        }
    }

    pub fn size(&self) -> (u32, u32) {
        (self.texture.width(), self.texture.height())
    }

    /// Whether `out` can take the canvas by a plain copy.
    pub fn copies_onto(&self, out: &Output<'_>) -> bool {
        out.copy
            && (out.texture.width(), out.texture.height()) == self.size()
            && out.texture.format() == self.texture.format()
    }

    /// Puts the canvas on `out` at `level` brightness (1.0: as drawn): a copy at 1:1 and full
    /// brightness, else a quad, letterboxed and scaled (nearest-neighbour at whole zoom factors
    /// so that a wall's pixels stay crisp) and dimmed in linear light.
    #[allow(clippy::too_many_arguments)]
    pub fn present(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        out: &Output<'_>,
        level: f32,
        scaler: &mut Scaler,
    ) {
        if level >= 1.0 && self.copies_onto(out) {
            encoder.copy_texture_to_texture(
                self.texture.as_image_copy(),
                out.texture.as_image_copy(),
                self.texture.size(),
            );
            return;
        }
        let window = (out.texture.width(), out.texture.height());
        let (rect, integer_zoom) = layout::letterbox(self.size(), window);
        let bind = if integer_zoom {
            &self.nearest
        } else {
            &self.linear
        };
        let draw = Draw {
            target: out.texture,
            dst: rect,
            uv: FULL_UV,
            level,
            bind,
        };
        scaler.draw(Slot::Main, device, queue, encoder, draw);
    }

    /// Puts the canvas's `part` on the top left of `out` (a band window's surface) at `level`
    /// brightness: copied at full brightness, else a dimmed quad. Nothing when the formats
    /// differ: such a surface is not made.
    #[allow(clippy::too_many_arguments)]
    pub fn copy_part(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        part: Rect,
        out: &Output<'_>,
        level: f32,
        scaler: &mut Scaler,
    ) {
        if !out.copy || out.texture.format() != self.texture.format() {
            return;
        }
        let (x, y) = (part.x.max(0.0) as u32, part.y.max(0.0) as u32);
        let w = (part.w as u32)
            .min(out.texture.width())
            .min(self.texture.width().saturating_sub(x));
        let h = (part.h as u32)
            .min(out.texture.height())
            .min(self.texture.height().saturating_sub(y));
        if w == 0 || h == 0 {
            return;
        }
        if level < 1.0 {
            let (cw, ch) = (self.texture.width() as f32, self.texture.height() as f32);
            let (x, y, w, h) = (x as f32, y as f32, w as f32, h as f32);
            let draw = Draw {
                target: out.texture,
                dst: Rect::new(0.0, 0.0, w, h),
                uv: [x / cw, y / ch, (x + w) / cw, (y + h) / ch],
                level,
                bind: &self.nearest,
            };
            scaler.draw(Slot::Band, device, queue, encoder, draw);
            return;
        }
        encoder.copy_texture_to_texture(
            wgpu::TexelCopyTextureInfo {
                origin: wgpu::Origin3d { x, y, z: 0 },
                ..self.texture.as_image_copy()
            },
            out.texture.as_image_copy(),
            wgpu::Extent3d {
                width: w,
                height: h,
                depth_or_array_layers: 1,
            },
        );
    }

    /// The canvas as the wall shows it under `light`: black when off, dimmed on the GPU when
    /// the brightness is below full.
    pub fn read(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        light: Light,
        scaler: &mut Scaler,
    ) -> Result<RgbaImage, String> {
        let (w, h) = self.size();
        if !light.on {
            return Ok(RgbaImage::from_pixel(w, h, image::Rgba([0, 0, 0, 255])));
        }
        if light.level >= 1.0 {
            return gpu::read_back(device, queue, &self.texture);
        }
        let format = self.texture.format();
        let lit = gpu::create_texture(device, "lit canvas", w, h, format, true);
        let mut encoder = device.create_command_encoder(&Default::default());
        let draw = Draw {
            target: &lit,
            dst: Rect::new(0.0, 0.0, w as f32, h as f32),
            uv: FULL_UV,
            level: light.level,
            bind: &self.nearest,
        };
        scaler.draw(Slot::Read, device, queue, &mut encoder, draw);
        queue.submit(Some(encoder.finish()));
        gpu::read_back(device, queue, &lit)
    }
}

/// One quad of the canvas drawn onto a texture.
struct Draw<'a> {
    target: &'a wgpu::Texture,
    dst: Rect,
    uv: [f32; 4],
    level: f32,
    bind: &'a wgpu::BindGroup,
}

/// Which of the scaler's quad buffers: each output of one submission has its own.
#[derive(Clone, Copy)]
enum Slot {
    Main = 0,
    Band = 1,
    Read = 2,
}

impl Scaler {
    pub fn new(device: &wgpu::Device) -> Scaler {
        Scaler {
            pipeline: None,
            quads: [Quads::new(device), Quads::new(device), Quads::new(device)],
        }
    }

    /// Draws `d` (cleared to black around it), tinted by its level in linear light.
    fn draw(
        &mut self,
        slot: Slot,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        d: Draw<'_>,
    ) {
        let format = d.target.format();
        if self.pipeline.as_ref().is_none_or(|p| p.format != format) {
            self.pipeline = Some(QuadPipeline::new(device, format, wgpu::BlendState::REPLACE));
        }
        let pipeline = self.pipeline.as_ref().expect("created above");
        let quads = &mut self.quads[slot as usize];
        quads.clear();
        let size = (d.target.width(), d.target.height());
        let tint = [d.level, d.level, d.level, 1.0];
        let index = quads.push(d.dst, size, d.uv, tint);
        quads.upload(queue);
        let view = d.target.create_view(&Default::default());
        let mut pass = super::begin_pass(encoder, &view, wgpu::Color::BLACK);
        quads.draw(&mut pass, pipeline, d.bind, index);
    }
}
