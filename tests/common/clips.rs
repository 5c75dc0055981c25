//! Test clips made by Debian's `ffmpeg` at test time (scripts/test installs it), kept in
//! `target/test-clips/` so that later runs reuse them, and ffmpeg's own decode of a frame as
//! the reference a rendered frame is compared with.

use std::path::{Path, PathBuf};
use std::process::Command;

use image::RgbaImage;

fn dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-clips");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn ffmpeg(args: &[&str]) {
    let out = Command::new("ffmpeg")
        .args(["-v", "error", "-y", "-nostdin"])
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("ffmpeg: {e} (the video tests need it: apt-get install ffmpeg, as scripts/test does)"));
    assert!(
        out.status.success(),
        "ffmpeg {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `name` made by ffmpeg from `args` (its inputs and output options), once.
pub fn made(name: &str, args: &[&str]) -> PathBuf {
    let path = dir().join(name);
    if !path.exists() {
        // Tests running at once may make the same file: each writes its own part.
        let part = dir().join(format!(
            "part-{}-{:?}-{name}",
            std::process::id(),
            std::thread::current().id()
        ));
        let mut all = args.to_vec();
        let part_str = part.to_str().unwrap().to_string();
        all.push(&part_str);
        ffmpeg(&all);
        std::fs::rename(&part, &path).unwrap();
    }
    path
}

/// `name` made from ffmpeg's `testsrc2` (moving, with a frame counter) of `size` at `rate`
/// frames a second for `seconds`, encoded with `encode` (ffmpeg output options); made once.
pub fn testsrc(name: &str, size: (u32, u32), rate: u32, seconds: f64, encode: &[&str]) -> PathBuf {
    let source = format!(
        "testsrc2=size={}x{}:rate={rate}:duration={seconds}",
        size.0, size.1
    );
    let mut args = vec!["-f", "lavfi", "-i", &source];
    args.extend_from_slice(encode);
    made(name, &args)
}

/// H.264 at `profile` (baseline, main or high), 4:2:0, with `bframes` B-frames.
pub fn h264(
    name: &str,
    size: (u32, u32),
    rate: u32,
    seconds: f64,
    profile: &str,
    bframes: u32,
) -> PathBuf {
    let bf = bframes.to_string();
    testsrc(
        name,
        size,
        rate,
        seconds,
        &[
            "-c:v",
            "libx264",
            "-profile:v",
            profile,
            "-bf",
            &bf,
            "-pix_fmt",
            "yuv420p",
        ],
    )
}

/// Frame `n` of `clip` as ffmpeg decodes it, converted to RGB with `matrix` (bt601 or bt709)
/// from limited range, as the player does.
pub fn reference_frame(clip: &Path, n: u32, matrix: &str) -> RgbaImage {
    let out = dir().join(format!(
        "{}-{n}-{matrix}.png",
        clip.file_name().unwrap().to_string_lossy()
    ));
    if !out.exists() {
        let filter = format!(
            "select=eq(n\\,{n}),scale=in_color_matrix={matrix}:in_range=tv:flags=bicubic+full_chroma_int+accurate_rnd,format=rgb24"
        );
        ffmpeg(&[
            "-i",
            clip.to_str().unwrap(),
            "-vf",
            &filter,
            "-frames:v",
            "1",
            out.to_str().unwrap(),
        ]);
    }
    image::open(&out).unwrap().to_rgba8()
}

/// `ms` after midnight on a Monday (2027-01-04): a moment for stills.
pub fn at(ms: i64) -> chrono::NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(2027, 1, 4)
        .unwrap()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        + chrono::Duration::milliseconds(ms)
}

/// A folder holding `files` and a playlist of `toml` beside them.
pub fn folder(files: &[&Path], toml: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for file in files {
        std::fs::copy(file, dir.path().join(file.file_name().unwrap())).unwrap();
    }
    let path = dir.path().join("playlist.toml");
    std::fs::write(&path, toml).unwrap();
    (dir, path)
}

/// The playlist at `path`, which must load without a problem.
pub fn load(path: &Path) -> signage::model::playlist::Playlist {
    let loaded = signage::loader::load(path);
    assert!(loaded.is_clean(), "{}", loaded.report);
    loaded.playlist
}
