//! What the renderer draws over the wall on request: the preview's line of text at the top,
//! and the test pattern's sweeping bar.

use super::*;

impl Renderer {
    /// Shows `text` over the top of the canvas (preview only), or removes it.
    pub fn set_overlay(&mut self, text: Option<&str>, color: Color) {
        self.canvas_holds = None;
        let (w, h) = self.canvas.size();
        self.overlay = text.map(|t| {
            let size = (h as f32 / 12.0).clamp(12.0, 22.0);
            let buffer = text::shape(
                &mut self.text.font_system,
                t,
                crate::model::playlist::DEFAULT_FONT,
                size,
                false,
                Some(w as f32 - 16.0),
                crate::model::playlist::Align::Left,
            );
            TextBlock {
                buffer,
                left: 8.0,
                top: 4.0,
                color,
            }
        });
    }

    /// Draws (or not) a white 1-pixel vertical bar over everything at x = the ticker's distance
    /// (wrapping around the canvas): the test pattern's check of smooth motion.
    pub fn set_sweep(&mut self, on: bool) {
        self.sweep = on;
        self.canvas_holds = None;
    }
}
