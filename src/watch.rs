//! Hot reload: watch the playlist and everything it names, wait until files stop changing,
//! load and validate off the render thread, and hand over only playlists that loaded cleanly.
//!
//! Editors save in many ways (in place, temp file + rename, chunked network copies, delete and
//! recreate), so the folders are watched rather than the files, and every burst of changes is
//! followed by a fingerprint check: a reload happens once the named files have stopped changing
//! for `settle`, and only if their content differs from what was last loaded. inotify does not
//! see writes made by other machines to SMB/NFS shares, so there the files are polled instead
//! (and, as a safety net, every few seconds in native mode too).

use std::collections::BTreeSet;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime};

use notify::{RecursiveMode, Watcher as _};

use crate::assets::Images;
use crate::playlist::{self, Playlist};
use crate::render::text::{self, ShapedText};
use crate::render::Fonts;

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Poll every this often instead of (only) native events; `None` decides by filesystem.
    pub poll: Option<Duration>,
    /// Reload once files have been unchanged this long.
    pub settle: Duration,
    /// Largest texture side, for scaling images at load.
    pub max_texture: u32,
    /// Where to write the JSON status, if anywhere.
    pub status_file: Option<PathBuf>,
    /// The renderer's font database: with it, reloaded text is shaped on the watcher thread
    /// (see `render::text::ShapedText`). Without it, the renderer shapes.
    pub fonts: Option<glyphon::fontdb::Database>,
    /// The canvas size the player forces (`--region`), which text layout depends on.
    pub canvas: Option<(u32, u32)>,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            poll: None,
            settle: Duration::from_millis(300),
            max_texture: 8192,
            status_file: None,
            fonts: None,
            canvas: None,
        }
    }
}

/// What the watcher hands to the player.
pub enum ReloadEvent {
    /// A playlist that passed every check, with its images decoded.
    Loaded {
        playlist: Box<Playlist>,
        images: Images,
        /// The text, shaped here when the options carried the renderer's fonts.
        text: Option<Box<ShapedText>>,
    },
    /// A change that did not load; the player keeps what it has. One line per problem.
    Rejected { summary: String },
}

enum Command {
    /// A native file event in a watched folder.
    Changed,
    ReloadNow,
    Playing {
        slide: Option<String>,
        fps: Option<f64>,
    },
    Stop,
}

/// The watcher thread. Stops when dropped.
pub struct Watcher {
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Starts watching `path`; `on_event` is called from the watcher thread. The playlist is
    /// assumed already loaded by the caller; nothing is sent until something changes.
    pub fn start(
        path: &Path,
        options: WatchOptions,
        on_event: impl Fn(ReloadEvent) + Send + 'static,
    ) -> Option<Watcher> {
        let (commands, rx) = mpsc::channel();
        let state = State::new(path, options, commands.clone());
        let thread = std::thread::Builder::new()
            .name("signage-watch".into())
            .spawn(move || state.run(rx, on_event))
            .map_err(|e| tracing::error!("cannot start watching: {e}"))
            .ok()?;
        Some(Watcher {
            commands,
            thread: Some(thread),
        })
    }

    /// Reloads now, whether or not anything changed (the preview's R key).
    pub fn reload_now(&self) {
        let _ = self.commands.send(Command::ReloadNow);
    }

    /// Tells the watcher what is on screen, for the status file.
    pub fn report_playing(&self, slide: Option<String>, fps: Option<f64>) {
        let _ = self.commands.send(Command::Playing { slide, fps });
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Identity of each named file: size, mtime and (for the playlist) a content hash.
type Fingerprint = Vec<(PathBuf, Option<(u64, Option<SystemTime>, u64)>)>;

struct State {
    path: PathBuf,
    options: WatchOptions,
    /// How changes are noticed, for the log and the status file.
    mode: String,
    /// The playlist and images last handed over, for reusing unchanged images.
    images: Option<Images>,
    /// Files the last attempted load named (the playlist first).
    files: Vec<PathBuf>,
    loaded: Fingerprint,
    seen: Fingerprint,
    native: Option<notify::RecommendedWatcher>,
    /// Where native file events are sent: the watcher's own command queue, so that an event
    /// wakes it at once.
    wake: Sender<Command>,
    watched_dirs: BTreeSet<PathBuf>,
    /// Some folder to watch is missing (a share dropped off): check often until it is back.
    missing_dirs: bool,
    /// For shaping reloaded text; built on first use from `options.fonts`.
    font_system: Option<glyphon::FontSystem>,
    status: Status,
}

#[derive(Default)]
struct Status {
    loaded_at: Option<String>,
    result: String,
    errors: Vec<String>,
    slide: Option<String>,
    fps: Option<f64>,
    started: Option<Instant>,
}

impl State {
    fn new(path: &Path, options: WatchOptions, wake: Sender<Command>) -> State {
        let loaded = playlist::load(path);
        let files = files_of(path, &loaded.playlist);
        let fp = fingerprint(&files);
        let status = Status {
            loaded_at: Some(now_text()),
            result: if loaded.is_clean() {
                "ok".into()
            } else {
                "errors".into()
            },
            errors: loaded.report.summary_lines(),
            started: Some(Instant::now()),
            ..Default::default()
        };
        State {
            path: path.to_path_buf(),
            options,
            mode: String::new(),
            images: None,
            files,
            loaded: fp.clone(),
            seen: fp,
            native: None,
            wake,
            watched_dirs: BTreeSet::new(),
            missing_dirs: false,
            font_system: None,
            status,
        }
    }

    fn run(mut self, commands: Receiver<Command>, on_event: impl Fn(ReloadEvent)) {
        let network = self.options.poll.is_none() && on_network_filesystem(&self.path);
        if network {
            self.options.poll = Some(Duration::from_secs(1));
        }
        if self.options.poll.is_none() {
            self.start_native();
        }
        let mode = match (self.options.poll, &self.native) {
            (Some(p), _) => format!(
                "polling every {} ms{}",
                p.as_millis(),
                if network { " (network filesystem)" } else { "" }
            ),
            (None, Some(_)) => "native file events".to_string(),
            (None, None) => "polling every 1000 ms (native file events unavailable)".to_string(),
        };
        if self.native.is_none() && self.options.poll.is_none() {
            self.options.poll = Some(Duration::from_secs(1));
        }
        tracing::info!("watching {} for changes: {mode}", self.path.display());
        self.mode = mode;
        self.write_status();

        // Native mode still checks fingerprints now and then: events can be lost, and a
        // watched folder can vanish with its share and come back.
        let check_every = self.options.poll.unwrap_or(Duration::from_secs(2));
        let mut last_check = Instant::now();
        let mut last_status = Instant::now();
        let mut last_change: Option<Instant> = None;
        loop {
            let wait = if last_change.is_some() {
                Duration::from_millis(50)
            } else {
                Duration::from_millis(250)
            };
            match commands.recv_timeout(wait) {
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Command::Changed) => last_change = Some(Instant::now()),
                Ok(Command::ReloadNow) => {
                    self.reload(&on_event);
                    last_change = None;
                }
                Ok(Command::Playing { slide, fps }) => {
                    self.status.slide = slide;
                    self.status.fps = fps;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            let due = if self.missing_dirs {
                check_every.min(Duration::from_millis(500))
            } else {
                check_every
            };
            if last_check.elapsed() >= due || last_change.is_some() {
                last_check = Instant::now();
                let fp = fingerprint(&self.files);
                if fp != self.seen {
                    self.seen = fp;
                    last_change = Some(Instant::now());
                }
                if self.native.is_some() {
                    self.rewatch();
                }
            }
            if let Some(changed) = last_change {
                if changed.elapsed() >= self.options.settle {
                    last_change = None;
                    if self.seen != self.loaded {
                        self.reload(&on_event);
                    }
                }
            }
            if last_status.elapsed() >= Duration::from_secs(5) {
                last_status = Instant::now();
                self.write_status();
            }
        }
    }

    fn start_native(&mut self) {
        let wake = self.wake.clone();
        let handler = move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| !matches!(e.kind, notify::EventKind::Access(_))) {
                let _ = wake.send(Command::Changed);
            }
        };
        match notify::recommended_watcher(handler) {
            Ok(w) => {
                self.native = Some(w);
                self.rewatch();
            }
            Err(e) => tracing::warn!("native file events unavailable ({e}); polling instead"),
        }
    }

    /// Watches the folders of every named file; re-adds folders that came back after vanishing.
    fn rewatch(&mut self) {
        let Some(w) = self.native.as_mut() else {
            return;
        };
        let wanted: BTreeSet<PathBuf> = self
            .files
            .iter()
            .filter_map(|f| f.parent().map(Path::to_path_buf))
            .collect();
        self.missing_dirs = wanted.iter().any(|d| !d.is_dir());
        for dir in &wanted {
            let exists = dir.is_dir();
            let watched = self.watched_dirs.contains(dir);
            if exists && !watched {
                if w.watch(dir, RecursiveMode::NonRecursive).is_ok() {
                    self.watched_dirs.insert(dir.clone());
                }
            } else if !exists && watched {
                // The folder went away (unmounted share, deleted): watch again when it returns.
                let _ = w.unwatch(dir);
                self.watched_dirs.remove(dir);
                tracing::warn!(
                    "{} is gone; playing from memory until it returns",
                    dir.display()
                );
            }
        }
    }

    fn reload(&mut self, on_event: &impl Fn(ReloadEvent)) {
        let started = Instant::now();
        let mut loaded = playlist::load(&self.path);
        if let Some((w, h)) = self.options.canvas {
            (
                loaded.playlist.display.width,
                loaded.playlist.display.height,
            ) = (w, h);
        }
        self.files = files_of(&self.path, &loaded.playlist);
        let fp = fingerprint(&self.files);
        self.seen = fp.clone();
        self.loaded = fp;
        if self.native.is_some() {
            self.rewatch();
        }
        let (images, image_problems) = if loaded.is_clean() {
            let (images, problems) = Images::load(
                &loaded.playlist,
                self.images.as_ref(),
                self.options.max_texture,
            );
            (Some(images), problems)
        } else {
            (None, Vec::new())
        };
        // For the status file: every problem, warnings included.
        let mut lines = loaded.report.summary_lines();
        lines.extend(image_problems.iter().cloned());
        self.status.loaded_at = Some(now_text());
        match images {
            Some(images) if image_problems.is_empty() => {
                tracing::info!(
                    "reloaded {} in {} ms",
                    self.path.display(),
                    started.elapsed().as_millis()
                );
                for w in &lines {
                    tracing::warn!("{w}");
                }
                self.images = Some(images.clone());
                self.status.result = "ok".into();
                self.status.errors = lines;
                let text = self.shape(&loaded.playlist);
                // The status is current before the player hears of the reload.
                self.write_status();
                on_event(ReloadEvent::Loaded {
                    playlist: Box::new(loaded.playlist),
                    images,
                    text,
                });
            }
            _ => {
                let report = &loaded.report;
                tracing::error!(
                    "{} was not reloaded; still playing the last good playlist:\n{report}",
                    self.path.display()
                );
                for p in &image_problems {
                    tracing::error!("{p}");
                }
                let mut errors = report
                    .errors()
                    .map(|d| format!("{}: {}", report.location(d), d.message))
                    .chain(image_problems.iter().cloned());
                let first = errors
                    .next()
                    .unwrap_or_else(|| "the playlist did not load".into());
                let more = match errors.count() {
                    0 => String::new(),
                    n => format!(" (and {n} more; see the log)"),
                };
                self.status.result = "rejected".into();
                self.status.errors = lines;
                self.write_status();
                on_event(ReloadEvent::Rejected {
                    summary: format!("reload failed: {first}{more}"),
                });
            }
        }
    }

    /// Shapes the playlist's text here, off the render thread, with a font system over a copy
    /// of the renderer's font database (kept, and grown with system fonts when needed).
    fn shape(&mut self, playlist: &Playlist) -> Option<Box<ShapedText>> {
        if self.font_system.is_none() {
            self.font_system = self.options.fonts.take().map(text::font_system_with);
        }
        let fs = self.font_system.as_mut()?;
        Some(Box::new(text::shape_playlist(
            fs,
            playlist,
            Fonts::WithSystem,
        )))
    }

    /// The status file, replaced atomically so that a monitoring script never reads half of it.
    fn write_status(&self) {
        let Some(file) = &self.options.status_file else {
            return;
        };
        let s = &self.status;
        let json = serde_json::json!({
            "playlist": self.path.display().to_string(),
            "loaded_at": s.loaded_at,
            "last_reload": { "result": s.result, "errors": s.errors },
            "current_slide": s.slide,
            "fps": s.fps.map(|f| (f * 10.0).round() / 10.0),
            "uptime_s": s.started.map(|t| t.elapsed().as_secs()),
            "watch_mode": self.mode,
        });
        let tmp = file.with_extension("json.tmp");
        let written =
            std::fs::write(&tmp, format!("{json:#}\n")).and_then(|()| std::fs::rename(&tmp, file));
        if let Err(e) = written {
            tracing::warn!("cannot write the status file {}: {e}", file.display());
        }
    }
}

fn files_of(path: &Path, playlist: &Playlist) -> Vec<PathBuf> {
    let mut files = vec![path.to_path_buf()];
    for f in &playlist.referenced {
        if !files.contains(f) {
            files.push(f.clone());
        }
    }
    files
}

/// Size and mtime of every file; the playlist (the first) also by a hash of its content,
/// because mtime on network shares can be coarse and an edit within one tick must still count.
fn fingerprint(files: &[PathBuf]) -> Fingerprint {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let id = std::fs::metadata(f).ok().map(|m| {
                let hash = if i == 0 {
                    std::fs::read(f).map_or(0, |bytes| {
                        let mut h = std::collections::hash_map::DefaultHasher::new();
                        bytes.hash(&mut h);
                        h.finish()
                    })
                } else {
                    0
                };
                (m.len(), m.modified().ok(), hash)
            });
            (f.clone(), id)
        })
        .collect()
}

/// Whether `path` is on SMB/CIFS, NFS or another filesystem whose remote changes inotify
/// cannot see (Linux: from /proc/mounts; elsewhere: false).
pub fn on_network_filesystem(path: &Path) -> bool {
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return false;
    };
    let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut best: Option<(usize, String)> = None;
    for line in mounts.lines() {
        let mut parts = line.split_whitespace();
        let (Some(_dev), Some(mount), Some(fstype)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let mount = mount.replace("\\040", " ");
        if path.starts_with(&mount) && best.as_ref().is_none_or(|(len, _)| mount.len() > *len) {
            best = Some((mount.len(), fstype.to_string()));
        }
    }
    const REMOTE: [&str; 9] = [
        "cifs",
        "smb3",
        "smbfs",
        "nfs",
        "nfs4",
        "fuse.sshfs",
        "9p",
        "afs",
        "fuse.rclone",
    ];
    best.is_some_and(|(_, fs)| REMOTE.contains(&fs.as_str()))
}

fn now_text() -> String {
    chrono::Local::now()
        .format("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}
