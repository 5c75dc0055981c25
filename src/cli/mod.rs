//! The `signage` program's own modules (the binary's, not the library's): its arguments and
//! its commands.

pub mod args;
pub mod commands;
