//! The wgpu device, offscreen textures and read-back. No window here.

use image::RgbaImage;

/// The format images are uploaded in, and the canvas's offscreen. sRGB so that blending happens
/// in linear light. A window's canvas takes the surface's format instead (see
/// [`canvas_format_for`]), so that it can be copied onto it.
pub const CANVAS_FORMAT: wgpu::TextureFormat = wgpu::TextureFormat::Rgba8UnormSrgb;

/// The canvas format for a surface of `surface` format: the same when it is an 8-bit sRGB
/// format the renderer can draw in and read back, else [`CANVAS_FORMAT`] (and a scaling pass).
pub fn canvas_format_for(surface: wgpu::TextureFormat) -> wgpu::TextureFormat {
    match surface {
        wgpu::TextureFormat::Bgra8UnormSrgb | wgpu::TextureFormat::Rgba8UnormSrgb => surface,
        _ => CANVAS_FORMAT,
    }
}

pub struct Gpu {
    pub instance: wgpu::Instance,
    pub adapter: wgpu::Adapter,
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
}

/// Says what to install when no adapter can be found, rather than just failing.
pub const NO_ADAPTER_HELP: &str = "no GPU adapter found. Without a GPU, install Mesa's software \
Vulkan driver (Debian/Ubuntu: apt-get install mesa-vulkan-drivers libvulkan1); with one, \
install its Vulkan driver";

/// The graphics APIs to try, in order: the system's own first, OpenGL last (probing it first
/// would go through EGL and Wayland, which print errors on machines without a display).
/// `WGPU_BACKEND` (e.g. `vulkan`) chooses instead.
pub fn backend_order() -> Vec<wgpu::Backends> {
    if let Some(chosen) = wgpu::Backends::from_env() {
        return vec![chosen];
    }
    if cfg!(windows) {
        vec![
            wgpu::Backends::DX12,
            wgpu::Backends::VULKAN,
            wgpu::Backends::GL,
        ]
    } else if cfg!(target_vendor = "apple") {
        vec![wgpu::Backends::METAL]
    } else {
        vec![wgpu::Backends::VULKAN, wgpu::Backends::GL]
    }
}

impl Gpu {
    /// A device with no surface: for `render`, tests and benchmarks. Each backend of
    /// [`backend_order`] is tried in turn.
    pub fn headless() -> Result<Gpu, String> {
        first_that_works(|backends| {
            let mut desc = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
            desc.backends = backends;
            Self::with_instance(wgpu::Instance::new(desc), None)
        })
    }

    /// A device that can present to `window`, and its surface. Each backend of
    /// [`backend_order`] is tried in turn: a driver that lists an adapter but cannot open a
    /// device (a broken DX12 driver) must not leave the wall dark while another API works.
    /// `descriptor` makes an instance descriptor with the window system's display handle.
    pub fn for_window<W: wgpu::DisplayAndWindowHandle + Clone + 'static>(
        descriptor: impl Fn() -> wgpu::InstanceDescriptor,
        window: W,
    ) -> Result<(Gpu, wgpu::Surface<'static>), String> {
        first_that_works(|backends| {
            let mut desc = descriptor();
            desc.backends = backends;
            let instance = wgpu::Instance::new(desc);
            let surface = instance
                .create_surface(window.clone())
                .map_err(|e| format!("cannot draw on the window: {e}"))?;
            let gpu = Self::with_instance(instance, Some(&surface))?;
            Ok((gpu, surface))
        })
    }

    /// A device for `instance` that can present to `surface`, if given.
    pub fn with_instance(
        instance: wgpu::Instance,
        surface: Option<&wgpu::Surface<'_>>,
    ) -> Result<Gpu, String> {
        let adapter = pollster::block_on(instance.request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::LowPower,
            compatible_surface: surface,
            ..Default::default()
        }))
        .map_err(|e| format!("{NO_ADAPTER_HELP} ({e})"))?;
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("signage"),
            // Modest limits so that the same code runs on old integrated GPUs and lavapipe.
            required_limits: wgpu::Limits::downlevel_defaults().using_resolution(adapter.limits()),
            ..Default::default()
        }))
        .map_err(|e| format!("cannot open the GPU device: {e}"))?;
        // wgpu's default reaction to an error nobody captured is to panic; the wall must
        // keep playing instead, so log it.
        device.on_uncaptured_error(std::sync::Arc::new(|e| tracing::error!("GPU error: {e}")));
        Ok(Gpu {
            instance,
            adapter,
            device,
            queue,
        })
    }

    /// What the wall plays on, for the log: adapter, kind and API.
    pub fn adapter_name(&self) -> String {
        let info = self.adapter.get_info();
        format!("{} ({:?}, {:?})", info.name, info.device_type, info.backend)
    }

    pub fn max_texture_side(&self) -> u32 {
        self.device.limits().max_texture_dimension_2d
    }
}

/// Runs `attempt` for each backend of [`backend_order`] until one works; logs the ones that
/// did not, and returns the last error if none did.
fn first_that_works<T>(
    mut attempt: impl FnMut(wgpu::Backends) -> Result<T, String>,
) -> Result<T, String> {
    let order = backend_order();
    let mut last = String::from(NO_ADAPTER_HELP);
    for (i, backends) in order.iter().enumerate() {
        match attempt(*backends) {
            Ok(t) => {
                if i > 0 {
                    tracing::info!("drawing with {backends:?}");
                }
                return Ok(t);
            }
            Err(e) => {
                if i + 1 < order.len() {
                    tracing::warn!("{backends:?}: {e}; trying the next graphics API");
                }
                last = e;
            }
        }
    }
    Err(last)
}

pub fn create_texture(
    device: &wgpu::Device,
    label: &str,
    width: u32,
    height: u32,
    format: wgpu::TextureFormat,
    render_target: bool,
) -> wgpu::Texture {
    let mut usage = wgpu::TextureUsages::TEXTURE_BINDING | wgpu::TextureUsages::COPY_DST;
    if render_target {
        usage |= wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC;
    }
    device.create_texture(&wgpu::TextureDescriptor {
        label: Some(label),
        size: wgpu::Extent3d {
            width: width.max(1),
            height: height.max(1),
            depth_or_array_layers: 1,
        },
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format,
        usage,
        view_formats: &[],
    })
}

pub fn upload_image(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    label: &str,
    img: &RgbaImage,
) -> wgpu::Texture {
    let texture = create_texture(
        device,
        label,
        img.width(),
        img.height(),
        CANVAS_FORMAT,
        false,
    );
    queue.write_texture(
        texture.as_image_copy(),
        img.as_raw(),
        wgpu::TexelCopyBufferLayout {
            offset: 0,
            bytes_per_row: Some(4 * img.width()),
            rows_per_image: Some(img.height()),
        },
        texture.size(),
    );
    texture
}

/// Copies a render-target texture back to the CPU as RGBA. Rows on the GPU are padded to 256
/// bytes.
pub fn read_back(
    device: &wgpu::Device,
    queue: &wgpu::Queue,
    texture: &wgpu::Texture,
) -> Result<RgbaImage, String> {
    let (width, height) = (texture.width(), texture.height());
    let unpadded = 4 * width;
    let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT;
    let padded = unpadded.div_ceil(align) * align;
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("read-back"),
        size: padded as u64 * height as u64,
        usage: wgpu::BufferUsages::COPY_DST | wgpu::BufferUsages::MAP_READ,
        mapped_at_creation: false,
    });
    let mut encoder = device.create_command_encoder(&Default::default());
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded),
                rows_per_image: Some(height),
            },
        },
        texture.size(),
    );
    queue.submit(Some(encoder.finish()));
    let slice = buffer.slice(..);
    slice.map_async(wgpu::MapMode::Read, |_| {});
    device
        .poll(wgpu::PollType::wait_indefinitely())
        .map_err(|e| format!("waiting for the GPU failed: {e}"))?;
    let data = slice
        .get_mapped_range()
        .map_err(|e| format!("cannot map the read-back buffer: {e}"))?;
    let mut pixels = Vec::with_capacity((unpadded * height) as usize);
    for row in data.chunks_exact(padded as usize) {
        pixels.extend_from_slice(&row[..unpadded as usize]);
    }
    drop(data);
    buffer.unmap();
    if texture.format() == wgpu::TextureFormat::Bgra8UnormSrgb {
        for px in pixels.chunks_exact_mut(4) {
            px.swap(0, 2);
        }
    }
    RgbaImage::from_raw(width, height, pixels).ok_or_else(|| "read-back size mismatch".to_string())
}

/// The surface's next texture, reconfiguring it when it was lost or outdated (then `None`: the
/// next frame gets one).
pub fn acquire(
    surface: &wgpu::Surface<'_>,
    config: &wgpu::SurfaceConfiguration,
    device: &wgpu::Device,
) -> Option<wgpu::SurfaceTexture> {
    match surface.get_current_texture() {
        wgpu::CurrentSurfaceTexture::Success(t) => Some(t),
        wgpu::CurrentSurfaceTexture::Suboptimal(t) => {
            // Usable, but the surface wants configuring, which must wait until the texture is
            // gone: configure, then take a fresh one.
            drop(t);
            surface.configure(device, config);
            match surface.get_current_texture() {
                wgpu::CurrentSurfaceTexture::Success(t)
                | wgpu::CurrentSurfaceTexture::Suboptimal(t) => Some(t),
                _ => None,
            }
        }
        wgpu::CurrentSurfaceTexture::Timeout | wgpu::CurrentSurfaceTexture::Occluded => None,
        wgpu::CurrentSurfaceTexture::Outdated => {
            tracing::debug!("surface outdated; reconfiguring");
            surface.configure(device, config);
            None
        }
        wgpu::CurrentSurfaceTexture::Lost => {
            tracing::warn!("surface lost; reconfiguring");
            surface.configure(device, config);
            None
        }
        wgpu::CurrentSurfaceTexture::Validation => {
            tracing::error!("surface validation error; reconfiguring");
            surface.configure(device, config);
            None
        }
    }
}
