//! A slide made ready on the CPU: its image decoded and scaled to the size it is drawn, its
//! text shaped. Done on a worker thread just before the slide is needed, so that a slide change
//! never waits and only the slides about to show take memory, whatever the playlist's size.
//! No wgpu here: the renderer uploads what this produces.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::mpsc::{self, Sender};

use glyphon::{fontdb, Buffer, FontSystem};
use image::RgbaImage;

use crate::layout::{fit_rect, text, Rect};
use crate::model::playlist::{Content, Slide, Ticker};
use crate::share::assets;

/// A slide ready to upload and draw.
pub struct PreparedSlide {
    /// The slide's picture (its image, or a text slide's background image) at drawn size.
    pub picture: Option<Picture>,
    /// Title and body: (buffer, left, top) in slide coordinates.
    pub blocks: Vec<(Buffer, f32, f32)>,
    /// Why the picture is missing, when it should be there; the slide shows its background.
    pub problem: Option<String>,
}

pub struct Picture {
    pub pixels: RgbaImage,
    /// Where it goes in the slide, and which part of it shows.
    pub rect: Rect,
    pub uv: [f32; 4],
}

impl PreparedSlide {
    /// Memory it holds once uploaded, for the residency budget: the picture's texture, and an
    /// allowance for shaped text.
    pub fn bytes(&self) -> u64 {
        let picture = self
            .picture
            .as_ref()
            .map_or(0, |p| p.pixels.as_raw().len() as u64);
        picture + self.blocks.len() as u64 * TEXT_BLOCK_BYTES
    }
}

/// What a shaped block of text costs in memory, roughly (glyph runs of a few lines).
const TEXT_BLOCK_BYTES: u64 = 64 << 10;

/// Decodes and shapes `slide` for an `area`-sized slide. Plain CPU work, for any thread; never
/// panics on a bad file (the problem is returned instead).
pub fn prepare_slide(fs: &mut FontSystem, slide: &Slide, area: Rect) -> PreparedSlide {
    let size = (area.w.round() as u32, area.h.round() as u32);
    let mut problem = None;
    let picture = slide.image().and_then(|image| {
        let fit = slide.fit();
        match assets::decode_for(&image.path, fit, size) {
            Ok(pixels) => {
                let (rect, uv) = fit_rect(fit, pixels.dimensions(), (area.w, area.h));
                Some(Picture { pixels, rect, uv })
            }
            Err(e) => {
                problem = Some(format!(
                    "slide \"{}\": image {} {e}",
                    slide.name,
                    image.path.display()
                ));
                None
            }
        }
    });
    let blocks = match &slide.content {
        Content::Text(t) => crate::layout::text_blocks(fs, t, area),
        Content::Image { .. } | Content::Video { .. } => Vec::new(),
    };
    PreparedSlide {
        picture,
        blocks,
        problem,
    }
}

/// Prepares `slides` on a helper thread with a font system over `fonts`, and returns those
/// ready within `wait`; the thread finishes (or stays stuck on the share) on its own.
pub fn prepare_within(
    fonts: fontdb::Database,
    slides: Vec<(usize, Slide)>,
    area: Rect,
    wait: std::time::Duration,
) -> Vec<(usize, PreparedSlide)> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("signage-first-slides".into())
        .spawn(move || {
            let mut fs = text::font_system_with(fonts);
            for (index, slide) in slides {
                let prepared =
                    catch_unwind(AssertUnwindSafe(|| prepare_slide(&mut fs, &slide, area)));
                if let Ok(prepared) = prepared {
                    if tx.send((index, prepared)).is_err() {
                        return;
                    }
                }
            }
        });
    if spawned.is_err() {
        return Vec::new();
    }
    let until = std::time::Instant::now() + wait;
    let mut ready = Vec::new();
    while let Ok(one) = rx.recv_timeout(until.saturating_duration_since(std::time::Instant::now()))
    {
        ready.push(one);
    }
    ready
}

/// A request for one slide of one playlist generation.
pub struct Job {
    /// Which playlist the slide belongs to; results for an older one are dropped.
    pub generation: u64,
    pub index: usize,
    pub slide: Slide,
    pub area: Rect,
}

/// A slide the worker prepared.
pub struct Prepared {
    /// The zone whose player asked (see [`Preparer::for_zone`]).
    pub zone: u64,
    pub generation: u64,
    pub index: usize,
    pub slide: PreparedSlide,
}

/// What the worker hands back.
pub enum Ready {
    Slide(Prepared),
    /// A ticker text (a live placeholder changed), shaped.
    Ticker {
        zone: u64,
        generation: u64,
        text: String,
        buffer: Buffer,
    },
}

impl Ready {
    /// The zone whose player asked for it.
    pub fn zone(&self) -> u64 {
        match self {
            Ready::Slide(p) => p.zone,
            Ready::Ticker { zone, .. } => *zone,
        }
    }
}

enum Message {
    Job(Job, u64),
    /// Shape a ticker's text (a live placeholder changed it).
    Ticker {
        zone: u64,
        generation: u64,
        ticker: Ticker,
        text: String,
    },
    /// The renderer's font database changed (system fonts were added): shape with a copy of
    /// it from now on, so that font IDs in the buffers resolve in the renderer.
    Fonts(fontdb::Database),
}

/// The worker thread. Dropping it lets the thread finish its current job and end; nothing
/// waits for it, since a job may be stuck reading a share that stopped answering.
pub struct Preparer {
    jobs: Sender<Message>,
    /// Which zone's player this handle serves: results name it (0: the main zone's).
    zone: u64,
}

impl Preparer {
    pub fn start(
        fonts: fontdb::Database,
        on_ready: impl Fn(Ready) + Send + 'static,
    ) -> Option<Preparer> {
        let (jobs, rx) = mpsc::channel::<Message>();
        std::thread::Builder::new()
            .name("signage-prepare".into())
            .spawn(move || {
                let mut fs = text::font_system_with(fonts);
                while let Ok(message) = rx.recv() {
                    let (job, zone) = match message {
                        Message::Fonts(db) => {
                            fs = text::font_system_with(db);
                            continue;
                        }
                        Message::Ticker {
                            zone,
                            generation,
                            ticker,
                            text,
                        } => {
                            let shaped = catch_unwind(AssertUnwindSafe(|| {
                                text::shape_ticker(&mut fs, &ticker, &text)
                            }));
                            if let Ok(buffer) = shaped {
                                on_ready(Ready::Ticker {
                                    zone,
                                    generation,
                                    text,
                                    buffer,
                                });
                            }
                            continue;
                        }
                        Message::Job(job, zone) => (job, zone),
                    };
                    // A bug tripped by some file must cost that slide, not the wall.
                    let slide = catch_unwind(AssertUnwindSafe(|| {
                        crate::system::platform::fault_drill("prepare", 0);
                        prepare_slide(&mut fs, &job.slide, job.area)
                    }))
                    .unwrap_or_else(|_| PreparedSlide {
                        picture: None,
                        blocks: Vec::new(),
                        problem: Some(format!(
                            "slide \"{}\" could not be prepared (an internal error, logged above)",
                            job.slide.name
                        )),
                    });
                    on_ready(Ready::Slide(Prepared {
                        zone,
                        generation: job.generation,
                        index: job.index,
                        slide,
                    }));
                }
            })
            .map_err(|e| tracing::error!("cannot start the slide worker: {e}"))
            .ok()?;
        Some(Preparer { jobs, zone: 0 })
    }

    /// A handle on the same worker for a zone's player: what it prepares comes back naming
    /// `zone`, for the main player to pass on.
    pub fn for_zone(&self, zone: u64) -> Preparer {
        Preparer {
            jobs: self.jobs.clone(),
            zone,
        }
    }

    pub fn request(&self, job: Job) {
        let _ = self.jobs.send(Message::Job(job, self.zone));
    }

    /// Shapes `text` as `ticker`'s text, off the render thread.
    pub fn shape_ticker(&self, generation: u64, ticker: Ticker, text: String) {
        let _ = self.jobs.send(Message::Ticker {
            zone: self.zone,
            generation,
            ticker,
            text,
        });
    }

    /// The worker shapes with the main renderer's fonts; zones' renderers start from a copy of
    /// them, and what they add for themselves is not passed on.
    pub fn set_fonts(&self, db: fontdb::Database) {
        if self.zone != 0 {
            return;
        }
        let _ = self.jobs.send(Message::Fonts(db));
    }
}
