//! Offscreen frame time and steady-state allocations per frame.
//!
//! `cargo bench --bench frame` renders the bundled playlist at 1920x320 and 1920x1080 on
//! whatever adapter wgpu picks (lavapipe on a machine without a GPU), waiting for the GPU after
//! each frame so that the time is the real frame time, and counts heap allocations made while a
//! frame is recorded and submitted. No external harness: it prints mean, p50, p99 and max.

use std::path::Path;
use std::time::Instant;

use signage::loader::load;
use signage::model::playlist::TransitionKind;
use signage::render::{Fonts, Gpu, Renderer};
use signage::rules::timeline::{Frame, TransitionState};

#[path = "common/alloc.rs"]
mod alloc;

const WARMUP: usize = 30;
const FRAMES: usize = 300;

fn main() {
    let gpu = Gpu::headless().unwrap_or_else(|e| panic!("{e}"));
    println!("adapter: {}", gpu.adapter_name());
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("playlists/default.toml");
    let base = load(&path).playlist;
    println!(
        "{:<12} {:<11} {:>9} {:>9} {:>9} {:>9} {:>14}",
        "canvas", "frame", "mean ms", "p50 ms", "p99 ms", "max ms", "allocs/frame"
    );
    println!(
        "{:<12} {:<11} {:>49.1}",
        "any",
        "wgpu floor",
        wgpu_floor(&gpu)
    );
    for (w, h) in [(1920, 320), (1920, 1080)] {
        let mut playlist = base.clone();
        playlist.display.width = w;
        playlist.display.height = h;
        let mut renderer = Renderer::new(&gpu, Fonts::BundledOnly, &playlist);
        signage::render::still::show(&mut renderer, &[0, 1]);
        let ticker = Frame::showing(Some(1));
        let transition = Frame {
            transition: Some(TransitionState {
                from: Some(0),
                kind: TransitionKind::Fade,
                progress: 0.0,
            }),
            ..ticker
        };
        for (name, base_frame) in [("ticker", ticker), ("transition", transition)] {
            let (times, allocs) = measure(&gpu, &mut renderer, base_frame);
            let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
            let mean = times.iter().sum::<f64>() / times.len() as f64;
            println!(
                "{:<12} {:<11} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>14.1}",
                format!("{w}x{h}"),
                name,
                mean,
                pct(0.5),
                pct(0.99),
                times[times.len() - 1],
                allocs
            );
        }
    }
}

/// Frame times in ms (sorted) and allocations per frame, over FRAMES frames after a warm-up.
/// The ticker moves 2 px per frame and a transition advances, as on the wall.
fn measure(gpu: &Gpu, renderer: &mut Renderer, frame: Frame) -> (Vec<f64>, f64) {
    let mut times = Vec::with_capacity(FRAMES);
    let mut allocs = 0;
    for i in 0..WARMUP + FRAMES {
        let mut f = frame;
        if let Some(t) = f.transition.as_mut() {
            t.progress = (i % 60) as f32 / 60.0;
        }
        let start = Instant::now();
        let before = alloc::allocations();
        renderer.render(&f, (2 * i) as f64, None);
        let after = alloc::allocations();
        gpu.device
            .poll(wgpu::PollType::wait_indefinitely())
            .expect("GPU finished");
        if i >= WARMUP {
            times.push(start.elapsed().as_secs_f64() * 1000.0);
            allocs += after - before;
        }
    }
    times.sort_by(f64::total_cmp);
    (times, allocs as f64 / FRAMES as f64)
}

/// Allocations of the smallest possible wgpu frame (one encoder, one clearing pass, one
/// submit): what wgpu itself allocates per frame, which no caller can avoid.
fn wgpu_floor(gpu: &Gpu) -> f64 {
    let texture = signage::render::gpu::create_texture(
        &gpu.device,
        "floor",
        64,
        64,
        signage::render::CANVAS_FORMAT,
        true,
    );
    let view = texture.create_view(&Default::default());
    let mut allocs = 0;
    for i in 0..WARMUP + FRAMES {
        let before = alloc::allocations();
        let mut encoder = gpu.device.create_command_encoder(&Default::default());
        encoder.begin_render_pass(&wgpu::RenderPassDescriptor {
            label: None,
            color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                view: &view,
                depth_slice: None,
                resolve_target: None,
                ops: wgpu::Operations {
                    load: wgpu::LoadOp::Clear(wgpu::Color::BLACK),
                    store: wgpu::StoreOp::Store,
                },
            })],
            depth_stencil_attachment: None,
            timestamp_writes: None,
            occlusion_query_set: None,
            multiview_mask: None,
        });
        gpu.queue.submit(Some(encoder.finish()));
        let after = alloc::allocations();
        gpu.device
            .poll(wgpu::PollType::wait_indefinitely())
            .expect("GPU finished");
        if i >= WARMUP {
            allocs += after - before;
        }
    }
    allocs as f64 / FRAMES as f64
}
