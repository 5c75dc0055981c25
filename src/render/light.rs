//! The wall's light: black outside its display hours, and its brightness, applied as the canvas
//! goes on screen.

use super::*;

impl Renderer {
    /// The wall's light from now on: outside its on-hours every pixel is black and nothing is
    /// drawn; below full brightness every colour is scaled in linear light as the canvas goes
    /// on screen (the content is not drawn again).
    pub fn set_light(&mut self, light: Light) {
        if light != self.light {
            self.light = light;
            self.canvas_holds = None;
        }
    }

    pub fn light(&self) -> Light {
        self.light
    }

    /// A dark wall: black on every output, nothing composed.
    pub(super) fn draw_dark(&mut self, main: Option<Output<'_>>, band: Option<Output<'_>>) {
        self.canvas_holds = None;
        let mut encoder = self
            .tools
            .device
            .create_command_encoder(&Default::default());
        for out in [main, band].into_iter().flatten() {
            let view = out.texture.create_view(&Default::default());
            drop(begin_pass(&mut encoder, &view, wgpu::Color::BLACK));
        }
        self.tools.queue.submit(Some(encoder.finish()));
    }
}
