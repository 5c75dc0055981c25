//! The share worker: every read the watcher needs (fingerprints, loading and checking the
//! playlist, the urgent notice), on a thread of its own that may block in a read on a dead
//! mount while nothing waits for it.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::time::{Duration, Instant};

use super::{Command, WatchOptions};
use crate::lang::Msg;
use crate::layout::text::{self, ShapedText};
use crate::layout::verify::Verifier;
use crate::layout::Fonts;
use crate::loader;
use crate::loader::urgent::{self, Urgent};
use crate::loader::MAX_PLAYLIST_BYTES;
use crate::model::playlist::Playlist;
use crate::share::{self, Seen};

/// Identity of each named file: its stamp, and for the playlist a hash of its content, because
/// mtime on network shares can be coarse and an edit within one tick must still count.
pub(super) type Fingerprint = Vec<(PathBuf, Option<(Seen, u64)>)>;

/// What the share worker found when it (re)loaded the playlist.
pub(super) struct Outcome {
    /// Files the playlist names (the playlist first), and their fingerprint before reading.
    pub(super) files: Vec<PathBuf>,
    pub(super) fingerprint: Fingerprint,
    /// Every problem, one line each, for the log and the status file.
    pub(super) lines: Vec<String>,
    pub(super) result: Result<(Playlist, Option<ShapedText>), String>,
    /// The urgent notice next to the playlist, if any; a broken one's report.
    pub(super) urgent: Result<Option<Urgent>, crate::loader::Report>,
    pub(super) took: Duration,
    pub(super) first: bool,
}

/// Reads the share for the watcher: fingerprints and (re)loads. Its thread may block in a read
/// on a dead mount; nothing waits for it.
pub(super) struct ShareWorker {
    jobs: Sender<ShareJob>,
}

enum ShareJob {
    Scan(Vec<PathBuf>),
    /// Load the playlist; `true`: a retry, which says nothing if it fails as before.
    Reload(bool),
}

impl ShareWorker {
    pub(super) fn start(
        path: &Path,
        options: &WatchOptions,
        answers: Sender<Command>,
    ) -> Option<Self> {
        let (jobs, rx) = mpsc::channel::<ShareJob>();
        let mut loader = Loader {
            path: path.to_path_buf(),
            canvas: options.canvas,
            fonts: options.fonts.clone(),
            faces_sent: options.fonts.as_ref().map_or(0, |db| db.len()),
            font_system: None,
            verifier: Verifier::default(),
            first: true,
            report: options.report,
            rejected: None,
        };
        std::thread::Builder::new()
            .name("signage-share".into())
            .spawn(move || {
                while let Ok(job) = rx.recv() {
                    let answer = match job {
                        ShareJob::Scan(files) => Command::Scanned(fingerprint(&files)),
                        ShareJob::Reload(retry) => Command::Reloaded(Box::new(loader.load(retry))),
                    };
                    if answers.send(answer).is_err() {
                        return;
                    }
                }
            })
            .map_err(|e| tracing::error!("cannot start the share worker: {e}"))
            .ok()?;
        Some(ShareWorker { jobs })
    }

    pub(super) fn scan(&self, files: Vec<PathBuf>) -> bool {
        self.jobs.send(ShareJob::Scan(files)).is_ok()
    }

    pub(super) fn reload(&self, retry: bool) -> bool {
        self.jobs.send(ShareJob::Reload(retry)).is_ok()
    }
}

/// Loads and checks the playlist the way `check` does, keeping what it can between reloads.
struct Loader {
    path: PathBuf,
    canvas: Option<(u32, u32)>,
    fonts: Option<glyphon::fontdb::Database>,
    /// For shaping the ticker and measuring text; built on first use from `fonts`.
    font_system: Option<glyphon::FontSystem>,
    /// Faces in the font database the player has (it grows when system fonts are loaded
    /// here; the player must then adopt it, or the ticker's font IDs would not resolve).
    faces_sent: usize,
    verifier: Verifier,
    first: bool,
    /// Write the editor's report beside the playlist after each load.
    report: bool,
    /// The problems of the last load, if it was not accepted.
    rejected: Option<String>,
}

impl Loader {
    fn load(&mut self, retry: bool) -> Outcome {
        let started = Instant::now();
        let first = std::mem::take(&mut self.first);
        // The fingerprint is of what was read: a change made while this load runs is seen by
        // the next scan.
        let (mut loaded, identity) = loader::load_identified(&self.path, self.canvas);
        let files = files_of(&self.path, &loaded.playlist);
        let fp = loaded_fingerprint(&files, identity, &loaded.playlist);
        loaded.playlist.fit_region(self.canvas);
        if loaded.is_clean() {
            let images = self.verifier.images(&loaded.playlist);
            loaded.report.extend(images);
            let today = chrono::Local::now().date_naive();
            loaded
                .report
                .extend(crate::layout::verify::schedule(&loaded.playlist, today));
            if self.font_system().is_some() {
                let fs = self.font_system.as_mut().expect("just made");
                let text = self.verifier.text(fs, &loaded.playlist);
                loaded.report.extend(text);
            }
        }
        let urgent = urgent::load(&self.path, &loaded.playlist.display);
        let lines = loaded.report.summary_lines();
        // A retry that fails as before says nothing again: not in the log, not in the report.
        let rejected = (!loaded.is_clean()).then(|| loaded.report.to_string());
        let again = retry && rejected.is_some() && rejected == self.rejected;
        let result = if loaded.is_clean() {
            let sent = self.faces_sent;
            let text = self.font_system().map(|fs| {
                let now = chrono::Local::now().naive_local();
                let mut shaped = text::shape_playlist(fs, &loaded.playlist, Fonts::WithSystem, now);
                if fs.db().len() != sent {
                    shaped.fonts = Some(fs.db().clone());
                }
                (shaped, fs.db().len())
            });
            if let Some((_, faces)) = &text {
                self.faces_sent = *faces;
            }
            Ok((loaded.playlist, text.map(|(shaped, _)| shaped)))
        } else {
            let report = &loaded.report;
            let what = Msg::NotAccepted {
                path: self.path.display().to_string(),
            };
            if !again {
                tracing::error!("{what}\n{report}");
            }
            let mut errors = report
                .errors()
                .map(|d| format!("{}: {}", report.location(d), d.message));
            let first = errors.next().unwrap_or_else(|| Msg::DidNotLoad.to_string());
            let failed = match errors.count() {
                0 => Msg::ReloadFailed { first },
                more => Msg::ReloadFailedMore { first, more },
            };
            Err(failed.to_string())
        };
        self.rejected = rejected;
        if self.report && !again {
            let text = match &result {
                Ok((playlist, _)) => accepted_report(playlist, &loaded.report),
                Err(_) => rejected_report(&self.path, &loaded.report),
            };
            let file = report_file(&self.path);
            // On the share, from this thread: a share that hangs stalls only the share worker.
            if let Err(e) = super::status_writer::write_atomically(&file, &text) {
                tracing::warn!("cannot write the report {}: {e}", file.display());
            }
        }
        // Parsing and checking a large playlist leaves much freed memory behind.
        crate::system::platform::release_free_memory();
        Outcome {
            files,
            fingerprint: fp,
            lines,
            result,
            urgent,
            took: started.elapsed(),
            first,
        }
    }

    fn font_system(&mut self) -> Option<&mut glyphon::FontSystem> {
        if self.font_system.is_none() {
            self.font_system = self.fonts.take().map(text::font_system_with);
        }
        self.font_system.as_mut()
    }
}

/// `playlist.toml` → `playlist.toml.report.txt`, beside it.
pub fn report_file(playlist: &Path) -> PathBuf {
    let mut name = playlist.file_name().unwrap_or_default().to_os_string();
    name.push(".report.txt");
    playlist.with_file_name(name)
}

/// The report of a playlist that was taken: when, what plays now, and any warnings; in the
/// editor's language.
fn accepted_report(playlist: &Playlist, report: &crate::loader::Report) -> String {
    let now = chrono::Local::now();
    let mut timeline = crate::rules::timeline::Timeline::new(playlist.clone());
    let frame = timeline.frame_at(now.naive_local());
    let showing =
        frame
            .slide
            .and_then(|i| playlist.slides.get(i))
            .map_or(Msg::OnlyTheTicker, |s| Msg::Slide {
                slide: s.name.clone(),
            });
    let warnings = report.to_string();
    let at = now.format("%Y-%m-%d %H:%M:%S").to_string();
    format!(
        "{}\n{}\n\n{}{}",
        Msg::AcceptedAt { at },
        Msg::OnTheWallNow {
            showing: Box::new(showing)
        },
        crate::rules::summary::check_summary(playlist, now.date_naive()),
        if warnings.trim().is_empty() {
            String::new()
        } else {
            format!("\n{warnings}")
        }
    )
}

/// The report of a playlist that was not taken: every problem, with its line.
fn rejected_report(path: &Path, report: &crate::loader::Report) -> String {
    let at = chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let fix = Msg::FixAndSave {
        path: path.display().to_string(),
    };
    format!("{}\n{fix}\n\n{report}", Msg::NotAcceptedAt { at })
}

fn files_of(path: &Path, playlist: &Playlist) -> Vec<PathBuf> {
    let mut files = vec![path.to_path_buf()];
    files.extend(urgent::files(path));
    for r in &playlist.referenced {
        if !files.contains(&r.path) {
            files.push(r.path.clone());
        }
    }
    files
}

/// The stamp of every file; the playlist (the first) also by a hash of its content, read
/// within the playlist size limit (a file too large to be a playlist is not read at all).
fn fingerprint(files: &[PathBuf]) -> Fingerprint {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let id = share::seen(f).map(|seen| {
                let hash = if i == 0 && seen.kind == share::Kind::File {
                    share::read_limited(f, MAX_PLAYLIST_BYTES).map_or(0, |b| loader::hash(&b))
                } else {
                    0
                };
                (seen, hash)
            });
            (f.clone(), id)
        })
        .collect()
}

/// The fingerprint of what a load read: the playlist as read, its images as checked (files
/// that could not be used, as they are now).
fn loaded_fingerprint(
    files: &[PathBuf],
    playlist_id: Option<(Seen, u64)>,
    playlist: &Playlist,
) -> Fingerprint {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let id = if i == 0 {
                playlist_id
            } else {
                let checked = playlist
                    .images()
                    .find(|(_, image)| &image.path == f)
                    .and_then(|(_, image)| image.stamp)
                    .map(Seen::file);
                checked.or_else(|| share::seen(f)).map(|s| (s, 0))
            };
            (f.clone(), id)
        })
        .collect()
}
