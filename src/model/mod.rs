//! The model: the plain types of a validated, resolved playlist (`playlist`), `when` and the
//! festivals (`schedule`), the official working days (`workdays`), the identity of a file as
//! it was read (`file`), the nearest name to a misspelt one (`suggest`), and zones and layouts
//! (`zone`). Pure.

pub mod file;
pub mod playlist;
pub mod schedule;
pub mod suggest;
pub mod workdays;
pub mod zone;
