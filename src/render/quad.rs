//! Textured, tinted rectangles: the one primitive the compositor needs besides text.

/// dst (clip space x0 y0 x1 y1), uv (u0 v0 u1 v1), tint (linear RGBA).
type Instance = [f32; 12];
const INSTANCE_BYTES: u64 = std::mem::size_of::<Instance>() as u64;
/// Quads per batch; a frame needs about ten (two slides, backgrounds, ticker band, blit).
const CAPACITY: usize = 64;

pub use crate::layout::Rect;

pub const FULL_UV: [f32; 4] = [0.0, 0.0, 1.0, 1.0];

/// A filterable 2D texture a fragment shader samples, at `binding`.
pub fn texture_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Texture {
            sample_type: wgpu::TextureSampleType::Float { filterable: true },
            view_dimension: wgpu::TextureViewDimension::D2,
            multisampled: false,
        },
        count: None,
    }
}

/// A filtering sampler for the fragment shader, at `binding`.
pub fn sampler_entry(binding: u32) -> wgpu::BindGroupLayoutEntry {
    wgpu::BindGroupLayoutEntry {
        binding,
        visibility: wgpu::ShaderStages::FRAGMENT,
        ty: wgpu::BindingType::Sampler(wgpu::SamplerBindingType::Filtering),
        count: None,
    }
}

pub struct QuadPipeline {
    pipeline: wgpu::RenderPipeline,
    layout: wgpu::BindGroupLayout,
    pub format: wgpu::TextureFormat,
}

impl QuadPipeline {
    /// A pipeline drawing into `format` targets, blending with `blend`.
    pub fn new(
        device: &wgpu::Device,
        format: wgpu::TextureFormat,
        blend: wgpu::BlendState,
    ) -> Self {
        let shader = device.create_shader_module(wgpu::include_wgsl!("shaders/quad.wgsl"));
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("quad texture"),
            entries: &[texture_entry(0), sampler_entry(1)],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("quad"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let attributes = wgpu::vertex_attr_array![0 => Float32x4, 1 => Float32x4, 2 => Float32x4];
        let pipeline = device.create_render_pipeline(&wgpu::RenderPipelineDescriptor {
            label: Some("quad"),
            layout: Some(&pipeline_layout),
            vertex: wgpu::VertexState {
                module: &shader,
                entry_point: Some("vs_main"),
                compilation_options: Default::default(),
                buffers: &[Some(wgpu::VertexBufferLayout {
                    array_stride: INSTANCE_BYTES,
                    step_mode: wgpu::VertexStepMode::Instance,
                    attributes: &attributes,
                })],
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
                    blend: Some(blend),
                    write_mask: wgpu::ColorWrites::ALL,
                })],
            }),
            multiview_mask: None,
            cache: None,
        });
        Self {
            pipeline,
            layout,
            format,
        }
    }

    pub fn bind(
        &self,
        device: &wgpu::Device,
        view: &wgpu::TextureView,
        sampler: &wgpu::Sampler,
    ) -> wgpu::BindGroup {
        device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("quad texture"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry {
                    binding: 0,
                    resource: wgpu::BindingResource::TextureView(view),
                },
                wgpu::BindGroupEntry {
                    binding: 1,
                    resource: wgpu::BindingResource::Sampler(sampler),
                },
            ],
        })
    }
}

pub fn sampler(device: &wgpu::Device, filter: wgpu::FilterMode) -> wgpu::Sampler {
    device.create_sampler(&wgpu::SamplerDescriptor {
        label: Some("quad"),
        mag_filter: filter,
        min_filter: filter,
        ..Default::default()
    })
}

/// A fixed-size instance buffer, refilled for each submission. Never reallocates.
pub struct Quads {
    buffer: wgpu::Buffer,
    staged: Vec<Instance>,
}

impl Quads {
    pub fn new(device: &wgpu::Device) -> Self {
        let buffer = device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("quads"),
            size: INSTANCE_BYTES * CAPACITY as u64,
            usage: wgpu::BufferUsages::VERTEX | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        Self {
            buffer,
            staged: Vec::with_capacity(CAPACITY),
        }
    }

    pub fn clear(&mut self) {
        self.staged.clear();
    }

    /// Stages a quad covering `dst` (pixels of a `target` sized texture); returns its index,
    /// or `None` when the batch is full (nothing a frame should reach).
    pub fn push(
        &mut self,
        dst: Rect,
        target: (u32, u32),
        uv: [f32; 4],
        tint: [f32; 4],
    ) -> Option<u32> {
        if self.staged.len() >= CAPACITY {
            return None;
        }
        let (tw, th) = (target.0 as f32, target.1 as f32);
        let x0 = dst.x / tw * 2.0 - 1.0;
        let x1 = (dst.x + dst.w) / tw * 2.0 - 1.0;
        let y0 = 1.0 - dst.y / th * 2.0;
        let y1 = 1.0 - (dst.y + dst.h) / th * 2.0;
        self.staged.push([
            x0, y0, x1, y1, uv[0], uv[1], uv[2], uv[3], tint[0], tint[1], tint[2], tint[3],
        ]);
        Some(self.staged.len() as u32 - 1)
    }

    pub fn upload(&self, queue: &wgpu::Queue) {
        if !self.staged.is_empty() {
            queue.write_buffer(&self.buffer, 0, bytemuck::cast_slice(&self.staged));
        }
    }

    pub fn draw(
        &self,
        pass: &mut wgpu::RenderPass<'_>,
        pipeline: &QuadPipeline,
        texture: &wgpu::BindGroup,
        index: Option<u32>,
    ) {
        let Some(i) = index else { return };
        pass.set_pipeline(&pipeline.pipeline);
        pass.set_bind_group(0, texture, &[]);
        pass.set_vertex_buffer(0, self.buffer.slice(..));
        pass.draw(0..6, i..i + 1);
    }
}
