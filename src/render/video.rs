//! Video frames on the GPU: the decoder's Y, U and V planes written into three one-channel
//! textures, converted to RGB by the shader that draws the slide and placed by `fit` in the
//! same pass (`shaders/video.wgsl`). Separate `R8Unorm` planes work on every adapter, lavapipe
//! included; wgpu's NV12 format is an optional feature.

use std::collections::HashMap;

use super::quad::{sampler_entry, texture_entry};
use super::Renderer;
use crate::layout::video::VideoFrame;
use crate::layout::Rect;
use crate::model::playlist::{Playlist, YuvColour, YuvMatrix};

/// dst, uv, and the three rows of the YUV to R'G'B' conversion.
type Params = [f32; 20];

pub struct VideoPipeline {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    sampler: wgpu::Sampler,
}

impl VideoPipeline {
    pub fn new(device: &wgpu::Device, format: wgpu::TextureFormat) -> VideoPipeline {
        let shader = device.create_shader_module(wgpu::include_wgsl!("shaders/video.wgsl"));
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("video planes"),
            entries: &[
                wgpu::BindGroupLayoutEntry {
                    binding: 0,
                    visibility: wgpu::ShaderStages::VERTEX_FRAGMENT,
                    ty: wgpu::BindingType::Buffer {
                        ty: wgpu::BufferBindingType::Uniform,
                        has_dynamic_offset: false,
                        min_binding_size: None,
                    },
                    count: None,
                },
                texture_entry(1),
                texture_entry(2),
                texture_entry(3),
                sampler_entry(4),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("video"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("video"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &shader,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[],
            },
            primitive: wgpu::PrimitiveState::default(),
            depth_stencil: None,
            multisample: wgpu::MultisampleState::default(),
            fragment: Some(wgpu::FragmentState {
                module: &shader,
                entry_point: Some("fs_main"),
                compilation_options: Default::default(),
                targets: &[Some(wgpu::ColorTargetState {
                    format,
                    blend: None,
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview_mask: None,
            cache: None,
        });
        let sampler = super::quad::sampler(device, wgpu::FilterMode::Linear);
        VideoPipeline {
            pipeline,
            layout,
            sampler,
        }
    }
}

/// One clip's planes on the GPU, sized for its frames, and where they are drawn.
pub struct VideoPlanes {
    size: (u32, u32),
    chroma: (u32, u32),
    y: wgpu::Texture,
    u: wgpu::Texture,
    v: wgpu::Texture,
    params: wgpu::Buffer,
    bind: wgpu::BindGroup,
    colour: YuvColour,
    /// The number of the frame uploaded.
    pub number: u64,
}

impl VideoPlanes {
    pub fn new(device: &wgpu::Device, pipe: &VideoPipeline, frame: &VideoFrame) -> VideoPlanes {
        let plane = |label, (w, h): (u32, u32)| {
            super::gpu::create_texture(device, label, w, h, wgpu::TextureFormat::R8Unorm, false)
        };
        let size = (frame.width, frame.height);
        let (y, u, v) = (
            plane("video y", size),
            plane("video u", frame.chroma_size()),
            plane("video v", frame.chroma_size()),
        );
        let params = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("video params"),
            size: std::mem::size_of::<Params>() as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let view = |t: &wgpu::Texture| t.create_view(&Default::default());
        let (vy, vu, vv) = (view(&y), view(&u), view(&v));
        let bind = device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("video planes"),
            layout: &pipe.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: params.as_entire_binding(),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::TextureView(&vy),
                },
                wgpu::BindGroupEntry {
                    binding: 2,
                    resource: wgpu::BindingResource::TextureView(&vu),
                },
                wgpu::BindGroupEntry {
                    binding: 3,
                    resource: wgpu::BindingResource::TextureView(&vv),
                },
                wgpu::BindGroupEntry {
                    binding: 4,
                    resource: wgpu::BindingResource::Sampler(&pipe.sampler),
                },
            ],
        });
        VideoPlanes {
            size,
            chroma: frame.chroma_size(),
            y,
            u,
            v,
            params,
            bind,
            colour: frame.colour.unwrap_or(YuvColour {
                matrix: YuvMatrix::Bt709,
                full_range: false,
            }),
            number: u64::MAX,
        }
    }

    /// Whether `frame` fits these planes (a clip's size never changes; another clip's may).
    pub fn fits(&self, frame: &VideoFrame) -> bool {
        self.size == (frame.width, frame.height) && self.chroma == frame.chroma_size()
    }

    pub fn size(&self) -> (u32, u32) {
        self.size
    }

    /// Writes `frame`'s planes into the textures.
    pub fn upload(&mut self, queue: &wgpu::Queue, frame: &VideoFrame) {
        let write = |texture: &wgpu::Texture, data: &[u8], stride: usize, (w, h): (u32, u32)| {
            if data.len() < stride * (h as usize - 1) + w as usize {
                return;
            }
            queue.write_texture(
                texture.as_image_copy(),
                data,
                wgpu::TexelCopyBufferLayout {
                    offset: 0,
                    bytes_per_row: Some(stride as u32),
                    rows_per_image: Some(h),
                },
                wgpu::Extent3d {
                    width: w,
                    height: h,
                    depth_or_array_layers: 1,
                },
            );
        };
        write(&self.y, &frame.y, frame.strides.0, self.size);
        write(&self.u, &frame.u, frame.strides.1, frame.chroma_size());
        write(&self.v, &frame.v, frame.strides.1, frame.chroma_size());
        if let Some(colour) = frame.colour {
            self.colour = colour;
        }
        self.number = frame.number;
    }

    /// Places the picture at `dst` (pixels) in a target of `target` size, showing `uv` of it.
    pub fn place(&self, queue: &wgpu::Queue, dst: Rect, uv: [f32; 4], target: (u32, u32)) {
        let (tw, th) = (target.0.max(1) as f32, target.1.max(1) as f32);
        let x = |px: f32| px / tw * 2.0 - 1.0;
        let y = |py: f32| 1.0 - py / th * 2.0;
        let rows = to_rgb_rows(self.colour);
        let mut params: Params = [0.0; 20];
        params[..4].copy_from_slice(&[x(dst.x), y(dst.y), x(dst.x + dst.w), y(dst.y + dst.h)]);
        params[4..8].copy_from_slice(&uv);
        for (i, row) in rows.iter().enumerate() {
            params[8 + 4 * i..12 + 4 * i].copy_from_slice(row);
        }
        queue.write_buffer(&self.params, 0, bytemuck::cast_slice(&params));
    }

    pub fn draw(&self, pass: &mut wgpu::RenderPass<'_>, pipe: &VideoPipeline) {
        pass.set_pipeline(&pipe.pipeline);
        pass.set_bind_group(0, &self.bind, &[]);
        pass.draw(0..6, 0..1);
    }
}

impl Renderer {
    /// Shows `frame` as video slide `index`'s picture from the next frame on.
    pub fn show_video_frame(&mut self, index: usize, frame: &VideoFrame) {
        let t = &self.tools;
        let planes = self
            .scene
            .videos
            .entry(index)
            .and_modify(|p| {
                if !p.fits(frame) {
                    *p = VideoPlanes::new(&t.device, &t.video, frame);
                }
            })
            .or_insert_with(|| VideoPlanes::new(&t.device, &t.video, frame));
        planes.upload(&t.queue, frame);
        self.forget_drawn(index);
    }

    /// The number of the frame video slide `index` shows, if it has one.
    pub fn video_frame_number(&self, index: usize) -> Option<u64> {
        self.scene.videos.get(&index).map(|p| p.number)
    }

    /// Forgets video slide `index`'s frame (its clip is no longer on screen or next).
    pub fn drop_video(&mut self, index: usize) {
        if self.scene.videos.remove(&index).is_some() {
            self.forget_drawn(index);
        }
    }
}

/// Across a reload, a clip's latest frame stays with its slide (see
/// [`Playlist::same_clip_as`]) wherever the slide moved; the others go.
pub(super) fn carry(videos: &mut HashMap<usize, VideoPlanes>, old: &Playlist, new: &Playlist) {
    *videos = std::mem::take(videos)
        .into_iter()
        .filter_map(|(i, planes)| Some((new.same_clip_as(old.slides.get(i)?)?, planes)))
        .collect();
}

/// The rows that turn (Y, U, V, 1), each 0..1 as the textures hold them, into R'G'B'.
pub fn to_rgb_rows(colour: YuvColour) -> [[f32; 4]; 3] {
    let (kr, kb) = match colour.matrix {
        YuvMatrix::Bt601 => (0.299, 0.114),
        YuvMatrix::Bt709 => (0.2126, 0.0722),
        YuvMatrix::Rgb => {
            return [
                [1.0, 0.0, 0.0, 0.0],
                [0.0, 1.0, 0.0, 0.0],
                [0.0, 0.0, 1.0, 0.0],
            ]
        }
    };
    let kg = 1.0 - kr - kb;
    // Y' = ys * Y + yo; Cb = cs * U + co (Cr likewise), from the stored 0..1 values.
    let (ys, yo, cs, co) = if colour.full_range {
        (1.0, 0.0, 1.0, -128.0 / 255.0)
    } else {
        (255.0 / 219.0, -16.0 / 219.0, 255.0 / 224.0, -128.0 / 224.0)
    };
    let (r_cr, g_cb, g_cr, b_cb) = (
        2.0 * (1.0 - kr),
        -2.0 * kb * (1.0 - kb) / kg,
        -2.0 * kr * (1.0 - kr) / kg,
        2.0 * (1.0 - kb),
    );
    [
        [ys, 0.0, cs * r_cr, yo + co * r_cr],
        [ys, cs * g_cb, cs * g_cr, yo + co * (g_cb + g_cr)],
        [ys, cs * b_cb, 0.0, yo + co * b_cb],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rgb(colour: YuvColour, yuv: [f32; 3]) -> [f32; 3] {
        let v = [yuv[0] / 255.0, yuv[1] / 255.0, yuv[2] / 255.0, 1.0];
        to_rgb_rows(colour).map(|row| row.iter().zip(v).map(|(a, b)| a * b).sum::<f32>() * 255.0)
    }

    fn close(a: [f32; 3], b: [f32; 3]) -> bool {
        // The reference values are rounded to whole levels.
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1.5)
    }

    #[test]
    fn limited_range_black_white_and_primaries() {
        let bt709 = YuvColour {
            matrix: YuvMatrix::Bt709,
            full_range: false,
        };
        assert!(close(rgb(bt709, [16.0, 128.0, 128.0]), [0.0; 3]));
        assert!(close(rgb(bt709, [235.0, 128.0, 128.0]), [255.0; 3]));
        // BT.709 red, as ffmpeg encodes it: Y 63, Cb 102, Cr 240.
        assert!(
            close(rgb(bt709, [63.0, 102.0, 240.0]), [255.0, 0.0, 0.0]),
            "{:?}",
            rgb(bt709, [63.0, 102.0, 240.0])
        );
        let bt601 = YuvColour {
            matrix: YuvMatrix::Bt601,
            full_range: false,
        };
        // BT.601 red: Y 81, Cb 90, Cr 240.
        assert!(
            close(rgb(bt601, [81.0, 90.0, 240.0]), [255.0, 0.0, 0.0]),
            "{:?}",
            rgb(bt601, [81.0, 90.0, 240.0])
        );
    }

    #[test]
    fn full_range_uses_every_level() {
        let full = YuvColour {
            matrix: YuvMatrix::Bt601,
            full_range: true,
        };
        assert!(close(rgb(full, [0.0, 128.0, 128.0]), [0.0; 3]));
        assert!(close(rgb(full, [255.0, 128.0, 128.0]), [255.0; 3]));
    }
}
