//! signage: a GPU-rendered digital-signage player for LED walls.
//!
//! Pure logic (`playlist`, `schedule`, `timeline`) is kept apart from the GPU (`render`) and the
//! window (`app`), so that it can be tested with an injected clock and no display.

pub mod assets;
pub mod playlist;
pub mod render;
pub mod schedule;
pub mod still;
pub mod summary;
pub mod timeline;
