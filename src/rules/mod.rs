//! The rules, pure and fed a clock: what the wall shows at a moment (`timeline`), which frame
//! of a clip (`clip`), how bright
//! (`lighting`), live text (`livetext`), the frame pacing and the ticker's step (`pacing`),
//! playlist time against the monotonic clock (`playhead`), which slides stay prepared
//! (`residency`), and the text of `check` and `schedule` (`summary`).

pub mod clip;
pub mod lighting;
pub mod livetext;
pub mod pacing;
pub mod playhead;
pub mod residency;
pub mod summary;
pub mod timeline;
pub mod zones;
