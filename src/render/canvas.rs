//! The canvas: the wall's picture at its native size. It is read back for stills and put on a
//! window's surface: copied when the surface has the canvas's size and format (no shading),
//! else scaled by a quad.

use image::RgbaImage;

use super::quad::{QuadPipeline, Quads, Rect, FULL_UV};
use super::{gpu, layout};

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

/// Scales the canvas onto surfaces it cannot be copied to (another size or format).
pub struct Scaler {
    pipeline: Option<QuadPipeline>,
    quad: Quads,
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

    pub fn read(&self, device: &wgpu::Device, queue: &wgpu::Queue) -> Result<RgbaImage, String> {
        gpu::read_back(device, queue, &self.texture)
    }

    /// Whether `out` can take the canvas by a plain copy.
    pub fn copies_onto(&self, out: &Output<'_>) -> bool {
        out.copy
            && (out.texture.width(), out.texture.height()) == self.size()
            && out.texture.format() == self.texture.format()
    }

    /// Puts the canvas on `out`: a copy at 1:1, else letterboxed and scaled (nearest-neighbour
    /// at whole zoom factors so that a wall's pixels stay crisp).
    pub fn present(
        &self,
        device: &wgpu::Device,
        queue: &wgpu::Queue,
        encoder: &mut wgpu::CommandEncoder,
        out: &Output<'_>,
        scaler: &mut Scaler,
    ) {
        if self.copies_onto(out) {
            encoder.copy_texture_to_texture(
                self.texture.as_image_copy(),
                out.texture.as_image_copy(),
                self.texture.size(),
            );
            return;
        }
        let format = out.texture.format();
        if scaler.pipeline.as_ref().is_none_or(|p| p.format != format) {
            scaler.pipeline = Some(QuadPipeline::new(device, format, wgpu::BlendState::REPLACE));
        }
        let window = (out.texture.width(), out.texture.height());
        let (rect, integer_zoom) = layout::letterbox(self.size(), window);
        scaler.quad.clear();
        let index = scaler.quad.push(rect, window, FULL_UV, [1.0; 4]);
        scaler.quad.upload(queue);
        let pipeline = scaler.pipeline.as_ref().expect("created above");
        let bind = if integer_zoom {
            &self.nearest
        } else {
            &self.linear
        };
        let view = out.texture.create_view(&Default::default());
        let mut pass = super::begin_pass(encoder, &view, wgpu::Color::BLACK);
        scaler.quad.draw(&mut pass, pipeline, bind, index);
    }
}

impl Canvas {
    /// Copies the canvas's `part` onto the top left of `out` (a band window's surface), as
    /// much of it as fits. Nothing when the formats differ: such a surface is not made.
    pub fn copy_part(&self, encoder: &mut wgpu::CommandEncoder, part: Rect, out: &Output<'_>) {
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
}

impl Scaler {
    pub fn new(device: &wgpu::Device) -> Scaler {
        Scaler {
            pipeline: None,
            quad: Quads::new(device),
        }
    }
}
