//! The window's attributes for each display mode: where it goes, its decorations, its level.

use super::*;

pub(super) fn window_attributes(
    event_loop: &ActiveEventLoop,
    placement: Placement,
    canvas: (u32, u32),
    path: &std::path::Path,
) -> WindowAttributes {
    let title = format!("signage — {}", path.display());
    let attrs = Window::default_attributes().with_title(title);
    match placement {
        Placement::Window => {
            // Fit the preview on the screen, keeping the canvas' aspect.
            let screen = event_loop
                .primary_monitor()
                .map(|m| m.size())
                .unwrap_or(PhysicalSize::new(1920, 1080));
            let s = (screen.width as f64 * 0.9 / canvas.0 as f64)
                .min(screen.height as f64 * 0.9 / canvas.1 as f64)
                .min(1.0);
            let size = PhysicalSize::new(
                (canvas.0 as f64 * s).round() as u32,
                (canvas.1 as f64 * s).round() as u32,
            );
            attrs.with_inner_size(size).with_resizable(true)
        }
        Placement::Region { x, y } => wall_attributes(attrs)
            .with_decorations(false)
            .with_resizable(false)
            .with_position(PhysicalPosition::new(x, y))
            .with_inner_size(PhysicalSize::new(canvas.0, canvas.1))
            .with_window_level(WindowLevel::AlwaysOnTop),
        Placement::Fullscreen { monitor } => {
            let m = monitor
                .and_then(|i| event_loop.available_monitors().nth(i))
                .or_else(|| event_loop.primary_monitor());
            if monitor.is_some() && m.is_none() {
                tracing::warn!("monitor {monitor:?} not found; using the primary monitor");
            }
            wall_attributes(attrs)
                .with_decorations(false)
                .with_fullscreen(Some(Fullscreen::Borderless(m)))
        }
    }
}

/// What a wall window has beyond a preview's: on Windows, no taskbar button (nobody should be
/// able to minimise the wall from the taskbar, and it must not flash there).
pub(super) fn wall_attributes(attrs: WindowAttributes) -> WindowAttributes {
    #[cfg(windows)]
    {
        use winit::platform::windows::WindowAttributesExtWindows;
        attrs.with_skip_taskbar(true)
    }
    #[cfg(not(windows))]
    {
        attrs
    }
}
