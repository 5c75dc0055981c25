//! The ticker band's own window: a child of the wall's window laid exactly over the band (X11
//! and Windows). While only the ticker moves, only this small surface is presented, so a still
//! slide costs nothing per frame and a moving ticker costs the band's pixels, not the wall's.
//! The child is part of the desktop like its parent, so the sending card captures one seamless
//! picture. Where windows cannot have children (Wayland) there is no band window and the whole
//! canvas is presented each frame, as before. winit and wgpu surfaces only; see `app`.

use std::sync::Arc;

use winit::dpi::{PhysicalPosition, PhysicalSize};
use winit::event_loop::ActiveEventLoop;
use winit::raw_window_handle::{HasWindowHandle, RawWindowHandle};
use winit::window::{Window, WindowId};

use crate::render::{Gpu, Rect};

/// `0` presents the whole canvas every frame instead (to compare, or for a capture setup that
/// mishandles child windows); `1` allows the band window on Windows, where it is off by default
/// (see [`BandWindow::open`]).
pub const SWITCH_VAR: &str = "SIGNAGE_BAND_WINDOW";

/// Field order matters: the surface goes before its window.
pub struct BandWindow {
    surface: wgpu::Surface<'static>,
    config: wgpu::SurfaceConfiguration,
    window: Arc<Window>,
}

impl BandWindow {
    /// A child window of `parent` over `rect` (canvas pixels, which are the parent's physical
    /// pixels at 1:1) with a surface in `format` that takes copies.
    pub fn open(
        event_loop: &ActiveEventLoop,
        parent: &Window,
        gpu: &Gpu,
        rect: Rect,
        format: wgpu::TextureFormat,
    ) -> Result<BandWindow, String> {
        let switch = std::env::var(SWITCH_VAR).ok();
        if switch.as_deref() == Some("0") {
            return Err(format!("{SWITCH_VAR}=0"));
        }
        let raw = parent
            .window_handle()
            .map_err(|e| format!("no window handle: {e}"))?
            .as_raw();
        let backend = gpu.adapter.get_info().backend;
        match raw {
            RawWindowHandle::Xlib(_) | RawWindowHandle::Xcb(_) => {}
            // Off unless asked for: it could only be tried under Wine, whose DX12 does not run
            // and whose Vulkan cannot make a surface on a child window (wgpu-hal panics). DXGI
            // swap chains take child windows, so it is offered with DX12 only.
            RawWindowHandle::Win32(_) if switch.as_deref() != Some("1") => {
                return Err(format!("off on Windows unless {SWITCH_VAR}=1"))
            }
            RawWindowHandle::Win32(_) if backend == wgpu::Backend::Dx12 => {}
            RawWindowHandle::Win32(_) => return Err(format!("{backend} on Windows")),
            _ => return Err("this window system has no child windows".into()),
        }
        let size = PhysicalSize::new(rect.w as u32, rect.h as u32);
        let attrs = Window::default_attributes()
            .with_title("signage ticker")
            .with_decorations(false)
            .with_resizable(false)
            .with_inner_size(size)
            .with_position(PhysicalPosition::new(rect.x as i32, rect.y as i32));
        // SAFETY: `raw` is the handle of `parent`, a live window that outlives this one (the
        // player drops the band window first).
        let attrs = unsafe { attrs.with_parent_window(Some(raw)) };
        let window = Arc::new(
            event_loop
                .create_window(attrs)
                .map_err(|e| format!("cannot create it: {e}"))?,
        );
        window.set_cursor_visible(false);
        // Some drivers panic in wgpu-hal instead of failing: the wall must not go dark for an
        // optimisation, so that counts as a failure too.
        let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            gpu.instance.create_surface(window.clone())
        }));
        let surface = match made {
            Ok(Ok(surface)) => surface,
            Ok(Err(e)) => return Err(format!("no surface: {e}")),
            Err(_) => return Err("making its surface panicked".into()),
        };
        let caps = surface.get_capabilities(&gpu.adapter);
        if !caps.formats.contains(&format) || !caps.usages.contains(wgpu::TextureUsages::COPY_DST) {
            return Err(format!("its surface cannot take copies in {format:?}"));
        }
        let mut config = surface
            .get_default_config(&gpu.adapter, size.width.max(1), size.height.max(1))
            .ok_or("its surface is not supported by this GPU")?;
        config.format = format;
        config.usage = wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_DST;
        config.present_mode = wgpu::PresentMode::Fifo;
        config.desired_maximum_frame_latency = 2;
        surface.configure(&gpu.device, &config);
        Ok(BandWindow {
            surface,
            config,
            window,
        })
    }

    pub fn id(&self) -> WindowId {
        self.window.id()
    }

    /// The next texture to draw the band into, or `None` (the caller then presents the whole
    /// canvas on the main window this frame).
    pub fn acquire(&mut self, device: &wgpu::Device) -> Option<wgpu::SurfaceTexture> {
        crate::render::gpu::acquire(&self.surface, &self.config, device)
    }

    pub fn pre_present_notify(&self) {
        self.window.pre_present_notify();
    }
}
