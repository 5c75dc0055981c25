//! Video: decoding time per frame, and what a new frame costs the render thread.
//!
//! `cargo bench --bench video` makes 10 s x264 High clips (B-frames, 30 fps) at 1920x320 and
//! 1920x1080 with Debian's ffmpeg (kept in target/test-clips), then:
//! - decodes each whole clip on one thread, as a clip's decoding thread does (per frame: mean,
//!   p50, p99, max);
//! - on the render thread, uploads each frame's planes and redraws the slide and the canvas
//!   offscreen, waiting for the GPU (per frame: mean, p50, p99), with the heap allocations made
//!   doing it.

#[path = "../tests/common/clips.rs"]
#[allow(dead_code)]
mod clips;

use std::time::{Duration, Instant};

use signage::layout::video::ClipStream;
use signage::loader::load;
use signage::model::playlist::Color;
use signage::render::{Fonts, Gpu, Renderer};
use signage::rules::timeline::Frame;

#[path = "common/alloc.rs"]
mod alloc;

fn summary(name: &str, mut times: Vec<Duration>) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len().max(1) as f64;
    let at = |q: f64| ms(times[((times.len() as f64 * q) as usize).min(times.len() - 1)]);
    println!(
        "{name}: {} frames, mean {mean:.2} ms, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn main() {
    let gpu =
        Gpu::headless().expect("a Vulkan adapter (lavapipe: apt-get install mesa-vulkan-drivers)");
    for (w, h) in [(1920u32, 320u32), (1920, 1080)] {
        let name = format!("bench-{w}x{h}.mp4");
        let clip = clips::h264(&name, (w, h), 30, 10.0, "high", 3);
        let dir = tempfile::tempdir().unwrap();
        std::fs::copy(&clip, dir.path().join(&name)).unwrap();
        let path = dir.path().join("playlist.toml");
        let toml = format!(
            "[display]\nwidth = 1920\nheight = 320\n[ticker]\nenabled = false\n[[slides]]\nvideo = \"{name}\"\nfit = \"cover\"\n"
        );
        std::fs::write(&path, toml).unwrap();
        let loaded = load(&path);
        assert!(loaded.is_clean(), "{}", loaded.report);
        let playlist = loaded.playlist;
        let video = playlist.slides[0].video().unwrap().clone();

        // Decoding, on the stream's own thread, its buffers handed back as the player does:
        // the time between frames arriving while the queue is drained at once.
        let mut stream = ClipStream::start(&video, false, video.clip.length_ms, Color::BLACK);
        let mut decode = Vec::new();
        let mut last = Instant::now();
        while stream.is_alive() {
            if let Some(f) = stream.take_due(u64::MAX) {
                decode.push(last.elapsed());
                last = Instant::now();
                stream.give_back(f);
            } else {
                std::thread::sleep(Duration::from_micros(100));
            }
        }
        summary(&format!("decode {w}x{h} (one thread)"), decode);

        // The render thread: each new frame uploaded and drawn onto a 1920x320 wall.
        let mut renderer = Renderer::new(&gpu, Fonts::BundledOnly, &playlist);
        signage::render::still::show(&mut renderer, &[0]);
        let frame = Frame::showing(Some(0));
        let mut draw = Vec::new();
        let mut allocations = 0;
        let mut stream = ClipStream::start(&video, false, video.clip.length_ms, Color::BLACK);
        let mut i = 0;
        while stream.is_alive() {
            let Some(f) = stream.take_due(u64::MAX) else {
                std::thread::sleep(Duration::from_micros(100));
                continue;
            };
            let before = alloc::allocations();
            let started = Instant::now();
            renderer.show_video_frame(0, &f);
            renderer.render(&frame, 0.0, None);
            let after = alloc::allocations();
            gpu.device
                .poll(wgpu::PollType::wait_indefinitely())
                .expect("GPU finished");
            if i >= 10 {
                draw.push(started.elapsed());
                allocations += after - before;
            }
            stream.give_back(f);
            i += 1;
        }
        let n = draw.len().max(1) as u64;
        summary(&format!("upload and draw {w}x{h} onto 1920x320"), draw);
        println!(
            "  heap allocations per new frame: {:.1}",
            allocations as f64 / n as f64
        );
    }
}
