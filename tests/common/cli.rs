//! The program as a user runs it: the one way the tests start `signage` for a command's result.
//! Messages in English whatever the machine's locale, no display (a command that needs one must
//! say so, not open a window).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// `signage ARGS`, set up as every test runs it, from the folder `dir`.
pub fn command_in(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_signage"));
    command
        .env("LC_ALL", "C.UTF-8")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .current_dir(dir)
        .args(args);
    command
}

/// `signage ARGS` run to its end from the folder `dir`.
pub fn signage_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, args).output().expect("run signage")
}

/// `signage ARGS` run to its end from the crate's folder (so `playlists/…` names the bundled
/// playlists).
pub fn signage(args: &[&str]) -> Output {
    signage_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}
