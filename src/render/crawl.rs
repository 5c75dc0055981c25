//! The renderer's ticker: the texts on the tape, each drawn into its strip, and a new text
//! handed over after the old one without a jump (the arithmetic is `tape.rs`).

use super::*;

impl Renderer {
    /// Places a reloaded ticker on the tape so that the crawl continues without a jump: the
    /// same text keeps its place; a new text enters after the old one (see
    /// [`Renderer::hand_over`]).
    pub(super) fn continue_ticker(
        &mut self,
        playlist: &Playlist,
        ticker: Option<Ticker>,
        text: Option<&str>,
    ) -> Option<Ticker> {
        let mut new = ticker?;
        if self.frame_counter == 0 {
            return Some(new); // nothing shown yet: start at the tape's origin
        }
        let same_text = match (&self.scene.playlist.ticker, &playlist.ticker) {
            (Some(a), Some(b)) => {
                (&a.separator, &a.font, a.font_size) == (&b.separator, &b.font, b.font_size)
                    && self.ticker_text.as_deref() == text
            }
            _ => false,
        };
        match self.scene.ticker.take() {
            Some(old) if same_text && old.band == new.band => new.origin = old.origin,
            Some(old) => self.hand_over(old, &mut new),
            None => new.origin = self.last_distance + new.band.w as f64,
        }
        Some(new)
    }

    /// Puts `new` on the tape after `old` without a jump (see [`tape::hand_over`]); an old text
    /// in another band leaves at once.
    pub(super) fn hand_over(&mut self, old: Ticker, new: &mut Ticker) {
        let (d, width) = (self.last_distance, new.band.w as f64);
        if old.band != new.band {
            self.retiring.clear();
            new.origin = d + width;
            return;
        }
        let (origin, retires) = tape::hand_over(old.origin, old.period as f64, d, width);
        new.origin = origin;
        if let Some(end) = retires {
            self.retiring.push_back((old, end));
        }
    }

    /// Draws the ticker's text into a new strip (see [`Ticker::new`]).
    pub(super) fn new_ticker(
        &mut self,
        playlist: &Playlist,
        buffer: glyphon::Buffer,
    ) -> Option<Ticker> {
        let t = playlist.ticker.as_ref()?;
        Some(self.draw_strip(ticker_band(playlist)?, t.color, t.background, buffer))
    }

    /// A ticker in `band`: `buffer` drawn into its strip in `color` on `background`.
    pub(super) fn draw_strip(
        &mut self,
        band: Rect,
        color: Color,
        background: Color,
        buffer: glyphon::Buffer,
    ) -> Ticker {
        Ticker::new(&self.tools.device, buffer, band, color, background)
    }

    /// Places every text on the tape for a frame with the ticker moved `distance`: each old
    /// text up to where the next starts, then the current one (see [`Ticker::place`]).
    pub(super) fn place_tickers(&mut self, distance: f64) {
        let mut tools = StripTools {
            device: &self.tools.device,
            queue: &self.tools.queue,
            text: &mut self.text,
            viewport: &mut self.strip_viewport,
            pipeline: &self.tools.premultiplied,
            sampler: &self.tools.linear,
            format: self.tools.quads.format,
        };
        let mut from = f64::NEG_INFINITY;
        let old = self.retiring.iter_mut().map(|(old, end)| (old, *end));
        let current = self.scene.ticker.as_mut().map(|t| (t, f64::INFINITY));
        for (ticker, until) in old.chain(current) {
            ticker.place(&mut tools, distance, from, until);
            from = until;
        }
    }

    /// Ticker tiles drawn now, over every text on the tape (for tests and benchmarks: memory
    /// follows the band's width, not the text's length).
    pub fn ticker_tiles_drawn(&self) -> usize {
        let old = self.retiring.iter().map(|(t, _)| t);
        old.chain(&self.scene.ticker).map(Ticker::tiles_drawn).sum()
    }

    /// The ticker's text as now drawn (placeholders expanded).
    pub fn ticker_text(&self) -> Option<&str> {
        self.ticker_text.as_deref()
    }

    /// Changes the ticker's text (a live placeholder changed) without a jump: the new text
    /// follows the copies of the old one already showing. `buffer` is the text shaped
    /// elsewhere (see [`text::shape_ticker`]); `None` shapes it here.
    pub fn set_ticker_text(&mut self, text: String, buffer: Option<glyphon::Buffer>) {
        self.replace_ticker_text(text, buffer, self.frame_counter > 0);
    }

    /// Draws the ticker's new `text` (shaped here when `buffer` is `None`); it follows the old
    /// text on the tape if `follow`, else it starts at the tape's origin.
    pub(super) fn replace_ticker_text(
        &mut self,
        text: String,
        buffer: Option<glyphon::Buffer>,
        follow: bool,
    ) {
        let playlist = &self.scene.playlist;
        let (Some(t), Some(band)) = (playlist.ticker.clone(), ticker_band(playlist)) else {
            return;
        };
        let buffer =
            buffer.unwrap_or_else(|| text::shape_ticker(&mut self.text.font_system, &t, &text));
        let mut new = self.draw_strip(band, t.color, t.background, buffer);
        if let Some(old) = self.scene.ticker.take().filter(|_| follow) {
            self.hand_over(old, &mut new);
        }
        self.scene.ticker = Some(new);
        self.ticker_text = Some(text);
        self.canvas_holds = None;
    }

    /// Where the current ticker text starts on the tape (see `Ticker::origin`).
    pub fn ticker_origin(&self) -> Option<f64> {
        self.scene.ticker.as_ref().map(|t| t.origin)
    }

    /// Width of one repetition of the ticker text, in pixels.
    pub fn ticker_period(&self) -> Option<f32> {
        self.scene.ticker.as_ref().map(|t| t.period as f32)
    }
}
