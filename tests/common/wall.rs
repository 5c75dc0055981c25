//! The wall the window tests play: a 640x160 canvas, a red ticker band, a blue text slide.
#![allow(dead_code)]

use std::path::Path;

pub const SLIDE_BG: [u8; 3] = [0x20, 0x50, 0xc0];
pub const TICKER_BG: [u8; 3] = [0xb0, 0x00, 0x00];

/// A 640x160 playlist with a 40 px ticker band at the bottom and `slides`.
pub fn write_playlist(dir: &Path, slides: &str) -> String {
    let path = dir.join("playlist.toml");
    let toml = format!(
        r##"
[display]
width = 640
height = 160
background = "#000000"
[ticker]
text = "富强 民主 文明 和谐 ABC"
height = 40
font_size = 28
background = "#b00000"
color = "#ffd700"
speed = 120
{slides}
"##
    );
    std::fs::write(&path, toml).unwrap();
    path.to_string_lossy().into_owned()
}

/// One text slide in `SLIDE_BG` with a white title.
pub const ONE_SLIDE: &str = r##"
[[slides]]
title = "文明出行 Civilised"
title_size = 48
color = "#ffffff"
background = "#2050c0"
"##;
