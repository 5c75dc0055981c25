//! CPU layout, below the renderer: where slides, pictures and the ticker band go on the canvas
//! (`geometry.rs`), and text shaped and measured with the fonts (`text.rs`, glyphon's
//! cosmic-text, no GPU). `check` measures text with it without linking the renderer's GPU code;
//! slides are prepared with it off the render thread.

mod geometry;
pub mod prepare;
pub mod text;
pub mod verify;
pub mod video;

pub use geometry::{fit_rect, letterbox, slide_area, ticker_band, Rect};
pub use text::{text_blocks, Fonts};
