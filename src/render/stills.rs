//! Stills of a moment (`render --at`, contact sheets): live text expanded at that moment
//! instead of the clock, a slide drawn alone, and a caption.

use super::*;

impl Renderer {
    /// Expands live text at `at` from now on, instead of the clock (stills of a moment): the
    /// ticker is shaped again if its text changes there, and slides whose text does are
    /// dropped, to be prepared again.
    pub fn set_text_time(&mut self, at: NaiveDateTime) {
        self.text_time = Some(at);
        if let Some(t) = &self.scene.playlist.ticker {
            let text = crate::rules::livetext::expand(&t.text, at).into_owned();
            if self.ticker_text.as_deref() != Some(&text) {
                // A still starts the ticker at its origin: no hand-over from the text before.
                self.replace_ticker_text(text, None, false);
            }
        }
        let live: Vec<usize> = (0..self.scene.playlist.slides.len())
            .filter(|&i| {
                let slide = &self.scene.playlist.slides[i];
                matches!(crate::layout::text::slide_at(slide, at), Cow::Owned(_))
            })
            .collect();
        for i in live {
            self.evict(i);
        }
    }

    /// Renders `playlist`'s slide `slide` alone, as the wall shows it with the ticker at rest.
    pub fn render_still(&mut self, slide: SlideRef) -> Result<RgbaImage, String> {
        self.render(&Frame::showing(slide), 0.0, None);
        self.read_canvas()
    }

    /// Renders `text` as a caption image (for contact sheets).
    pub fn render_caption(
        &mut self,
        caption: &str,
        width: u32,
        height: u32,
        size: f32,
    ) -> Result<RgbaImage, String> {
        let buffer = text::shape(
            &mut self.text.font_system,
            caption,
            crate::model::playlist::DEFAULT_FONT,
            size,
            false,
            Some(width as f32 - 8.0),
            crate::model::playlist::Align::Left,
        );
        let t = &self.tools;
        let texture =
            gpu::create_texture(&t.device, "caption", width, height, t.quads.format, true);
        let view = texture.create_view(&Default::default());
        let mut viewport = self.text.viewport(&t.device);
        let area = glyphs::area(
            &buffer,
            (4.0, 2.0),
            (width, height),
            Color::rgb(230, 230, 230),
        );
        self.text.draw_alone(
            &t.device,
            &t.queue,
            &mut viewport,
            (width, height),
            [area],
            &view,
            clear_color(Color::rgb(32, 32, 32)),
            |_| {},
        )?;
        gpu::read_back(&t.device, &t.queue, &texture)
    }
}
