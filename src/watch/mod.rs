//! Hot reload: watch the playlist and everything it names, wait until files stop changing,
//! load and validate off the render thread, and hand over only playlists that loaded cleanly.
//!
//! Editors save in many ways (in place, temp file + rename, chunked network copies, delete and
//! recreate), so the folders are watched rather than the files, and every burst of changes is
//! followed by a fingerprint check: a reload happens once the named files have stopped changing
//! for `settle`, and only if their content differs from what was last loaded. inotify does not
//! see writes made by other machines to SMB/NFS shares, so there the files are polled instead
//! (and, as a safety net, every few seconds in native mode too).
//!
//! Three threads, so that a share that stops answering can stall nothing else:
//! - the watcher decides when to look and when to reload, and reports status; it never touches
//!   the share itself, so it always answers (and stops at once);
//! - the share worker does the reading: fingerprints, loading, decoding, shaping. If a read
//!   hangs (a dead network mount), only it waits; the watcher notices and says so;
//! - the status writer replaces the status file, which may itself be on the share.

mod notice;
mod report;
pub mod settle;
mod share;
mod status_writer;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use chrono::NaiveDateTime;
use notify::{RecursiveMode, Watcher as _};

pub use status_writer::write_atomically;

use crate::layout::text::ShapedText;
use crate::loader::urgent::{self, Urgent};
use crate::model::playlist::Playlist;
use crate::share::status_file::{LastReload, ReloadResult, StatusFile, UrgentStatus};
use notice::{without_urgent, UrgentLight};
use report::{local_text, now_text};
use settle::{Ready, Settle};
use share::{Fingerprint, Outcome, ShareWorker};
use status_writer::StatusWriter;

#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Poll every this often instead of (only) native events; `None` decides by filesystem.
    pub poll: Option<Duration>,
    /// Reload once files have been unchanged this long.
    pub settle: Duration,
    /// Where to write the JSON status, if anywhere.
    pub status_file: Option<PathBuf>,
    /// The renderer's font database: with it, a reload's ticker is shaped on the watcher's
    /// side (see `render::text::ShapedText`) and its text checked against the same fonts.
    pub fonts: Option<glyphon::fontdb::Database>,
    /// `--region`'s size: a playlist that gives no canvas size is laid out for it (see
    /// `Playlist::fit_region`), which text layout depends on.
    pub canvas: Option<(u32, u32)>,
    /// Whether the caller could not load the playlist itself (the share did not answer at
    /// start): the first load is then handed over like a reload.
    pub deliver_first: bool,
    /// Write `<playlist>.report.txt` beside the playlist after every load (see `report_file`).
    pub report: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            poll: None,
            settle: Duration::from_millis(300),
            status_file: None,
            fonts: None,
            canvas: None,
            deliver_first: false,
            report: false,
        }
    }
}

/// What the watcher hands to the player.
pub enum ReloadEvent {
    /// A playlist that passed every check.
    Loaded {
        playlist: Box<Playlist>,
        /// The ticker, shaped here when the options carried the renderer's fonts.
        text: Option<Box<ShapedText>>,
    },
    /// A change that did not load; the player keeps what it has. One line per problem.
    Rejected { summary: String },
    /// An urgent notice to show instead of the playlist, or `None`: it ended.
    Urgent(Option<Box<Urgent>>),
}

/// What is on screen, for the status file.
#[derive(Debug, Clone, Default)]
pub struct Playing {
    pub slide: Option<String>,
    pub fps: Option<f64>,
    /// Frames drawn since start, and when the last one was: a monitor tells frozen from idle.
    pub frames: u64,
    pub last_frame: Option<NaiveDateTime>,
    /// Whether something should be moving (so frames should keep coming).
    pub moving: bool,
    /// Outside the display's on-hours: black, and no frames come.
    pub dark: bool,
    /// The brightness in percent while lit.
    pub brightness: u8,
    /// Something about the window that a monitoring script should know (it lies outside
    /// every monitor, so nobody sees it).
    pub warning: Option<String>,
}

enum Command {
    /// A native file event in a watched folder, about these paths.
    Changed(Vec<PathBuf>),
    ReloadNow,
    Playing(Playing),
    Stop,
    /// The share worker's answers.
    Scanned(Fingerprint),
    Reloaded(Box<Outcome>),
}

/// The watcher thread. Stops when dropped.
pub struct Watcher {
    commands: Sender<Command>,
    thread: Option<JoinHandle<()>>,
}

impl Watcher {
    /// Starts watching `path`; `on_event` is called from the watcher thread. The playlist is
    /// assumed already loaded by the caller (unless `deliver_first`); nothing is sent until
    /// something changes.
    pub fn start(
        path: &Path,
        options: WatchOptions,
        on_event: impl Fn(ReloadEvent) + Send + 'static,
    ) -> Option<Watcher> {
        let (commands, rx) = mpsc::channel();
        let share = ShareWorker::start(path, &options, commands.clone())?;
        let control = Control::new(path, options, commands.clone(), share);
        let thread = std::thread::Builder::new()
            .name("signage-watch".into())
            .spawn(move || control.run(rx, on_event))
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
    pub fn report_playing(&self, playing: Playing) {
        let _ = self.commands.send(Command::Playing(playing));
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.commands.send(Command::Stop);
        // The watcher thread never blocks on the share, so this returns promptly; the share
        // worker is not waited for (it may be stuck in a read that never returns).
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// If the share worker takes longer than this, the share is said to be not answering.
const STALL: Duration = Duration::from_secs(10);
/// How often files are looked at while they are changing.
const SCAN_WHILE_CHANGING: Duration = Duration::from_millis(100);
/// How often a playlist that was not accepted is read again although nothing seen changed:
/// a file that could not be read (permissions, a share's hiccup) may be readable now.
const RETRY_REJECTED: Duration = Duration::from_secs(5);

struct Control {
    path: PathBuf,
    options: WatchOptions,
    /// How changes are noticed, for the log and the status file.
    mode: String,
    /// Files the last attempted load named (the playlist first).
    files: Vec<PathBuf>,
    loaded: Option<Fingerprint>,
    seen: Option<Fingerprint>,
    native: Option<notify::RecommendedWatcher>,
    /// Where native file events are sent: the watcher's own command queue, so that an event
    /// wakes it at once.
    wake: Sender<Command>,
    watched_dirs: BTreeSet<PathBuf>,
    /// Some folder to watch is missing (a share dropped off): check often until it is back.
    missing_dirs: bool,
    share: ShareWorker,
    /// What the share worker is doing, since when; one job at a time.
    busy: Option<(Job, Instant)>,
    stall_reported: bool,
    reload_wanted: bool,
    /// The fingerprint of the playlist and its images (not the urgent files) last handed over.
    delivered: Option<Fingerprint>,
    /// The urgent notice showing, and since when.
    urgent: Option<(Urgent, String)>,
    /// The next reload is handed over even if nothing changed (the preview's R key).
    forced: bool,
    status: Status,
    status_writer: Option<StatusWriter>,
    /// When the last load started.
    last_load: Instant,
    /// The display of the last good playlist: its hours decide what an urgent notice does.
    display: Option<crate::model::playlist::Display>,
    /// The last notice found already over, so that it is reported once.
    expired: Option<Urgent>,
    /// The next load retries a rejected playlist that nothing seen has changed.
    retrying: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Job {
    Scan,
    Reload,
}

#[derive(Default)]
struct Status {
    loaded_at: Option<String>,
    result: ReloadResult,
    /// Loads started (the first included): an unrelated file must not cause one.
    load_attempts: u64,
    /// The files that matter were read while still changing, after changing this long.
    read_while_changing: Option<Duration>,
    errors: Vec<String>,
    playing: Playing,
    started: Option<Instant>,
    share_stalled_since: Option<String>,
    urgent_errors: Vec<String>,
}

impl Control {
    fn new(path: &Path, options: WatchOptions, wake: Sender<Command>, share: ShareWorker) -> Self {
        let status_writer = options.status_file.clone().map(StatusWriter::start);
        Control {
            path: path.to_path_buf(),
            mode: String::new(),
            files: vec![path.to_path_buf()],
            loaded: None,
            seen: None,
            native: None,
            wake,
            watched_dirs: BTreeSet::new(),
            missing_dirs: false,
            share,
            busy: None,
            stall_reported: false,
            reload_wanted: false,
            delivered: None,
            urgent: None,
            forced: false,
            status: Status {
                result: ReloadResult::Loading,
                started: Some(Instant::now()),
                ..Default::default()
            },
            status_writer,
            last_load: Instant::now(),
            retrying: false,
            display: None,
            expired: None,
            options,
        }
    }

    fn run(mut self, commands: Receiver<Command>, on_event: impl Fn(ReloadEvent)) {
        let network =
            self.options.poll.is_none() && crate::system::platform::on_network_share(&self.path);
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
        // The first load tells which files to watch and what counts as unchanged.
        self.send(Job::Reload);

        // Native mode still checks fingerprints now and then: events can be lost, and a
        // watched folder can vanish with its share and come back.
        let check_every = self.options.poll.unwrap_or(Duration::from_secs(2));
        let mut last_scan = Instant::now();
        let mut last_status = Instant::now();
        let mut settle = Settle::new(self.options.settle, settle::OVERDUE);
        loop {
            let wait = if settle.changing() || self.busy.is_some() {
                Duration::from_millis(50)
            } else {
                Duration::from_millis(250)
            };
            match commands.recv_timeout(wait.min(self.until_urgent_ends())) {
                Ok(Command::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                Ok(Command::Changed(paths)) => {
                    if settle::matters(&paths, &self.files) {
                        settle.changed(Instant::now());
                    }
                }
                Ok(Command::ReloadNow) => {
                    self.reload_wanted = true;
                    self.forced = true;
                }
                Ok(Command::Playing(playing)) => self.status.playing = playing,
                Ok(Command::Scanned(fp)) => {
                    self.job_done();
                    if self.seen.as_ref() != Some(&fp) {
                        self.seen = Some(fp);
                        settle.changed(Instant::now());
                    }
                }
                Ok(Command::Reloaded(outcome)) => {
                    self.job_done();
                    self.take(*outcome, &on_event);
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.notice_stall();
            // While files change, look often: the settle time runs from the last change seen.
            let scan_every = if settle.changing() {
                SCAN_WHILE_CHANGING
            } else if self.missing_dirs {
                check_every.min(Duration::from_millis(500))
            } else {
                check_every
            };
            if self.busy.is_none() && last_scan.elapsed() >= scan_every {
                last_scan = Instant::now();
                self.send(Job::Scan);
                if self.native.is_some() {
                    self.rewatch();
                }
            }
            let ready = match self.busy {
                None => settle.ready(Instant::now(), last_scan),
                Some(_) => None,
            };
            if let Some(ready) = ready {
                self.settled(ready);
            }
            // Not while files change: a retry must not read a copy half done.
            let retry = self.status.result == ReloadResult::Rejected
                && self.busy.is_none()
                && !settle.changing()
                && self.last_load.elapsed() >= RETRY_REJECTED;
            if (self.reload_wanted || retry) && self.busy.is_none() {
                // A retry that fails as before says nothing again.
                self.retrying = !self.reload_wanted;
                self.reload_wanted = false;
                self.send(Job::Reload);
            }
            self.end_urgent_when_due(&on_event);
            if last_status.elapsed() >= Duration::from_secs(5) {
                last_status = Instant::now();
                self.write_status();
            }
        }
    }

    fn send(&mut self, job: Job) {
        if self.busy.is_some() {
            if job == Job::Reload {
                self.reload_wanted = true;
            }
            return;
        }
        let sent = match job {
            Job::Scan => self.share.scan(self.files.clone()),
            Job::Reload => {
                self.status.load_attempts += 1;
                self.last_load = Instant::now();
                self.share.reload(std::mem::take(&mut self.retrying))
            }
        };
        if sent {
            self.busy = Some((job, Instant::now()));
        }
    }

    /// The files that matter stopped changing, or have changed for too long: read them if they
    /// differ from what was loaded.
    fn settled(&mut self, ready: Ready) {
        self.status.read_while_changing = match ready {
            Ready::Settled => None,
            Ready::Overdue(changing) => {
                let which =
                    changed_file(self.loaded.as_ref(), self.seen.as_ref()).unwrap_or(&self.path);
                tracing::warn!(
                    "{} has been changing for {} s without a pause; reading it as it is",
                    which.display(),
                    changing.as_secs()
                );
                Some(changing)
            }
        };
        if self.seen != self.loaded {
            self.reload_wanted = true;
        }
    }

    fn job_done(&mut self) {
        self.busy = None;
        if self.stall_reported {
            tracing::info!("the share answers again");
            self.stall_reported = false;
            self.status.share_stalled_since = None;
        }
    }

    /// A read on the share that does not return stalls only the share worker; say so.
    fn notice_stall(&mut self) {
        let Some((job, since)) = self.busy else {
            return;
        };
        if self.stall_reported || since.elapsed() < STALL {
            return;
        }
        self.stall_reported = true;
        let what = match job {
            Job::Scan => "looking at the files",
            Job::Reload => "reading the playlist",
        };
        tracing::error!(
            "the share has not answered for {} s ({what}); still playing from memory",
            since.elapsed().as_secs()
        );
        self.status.share_stalled_since = Some(now_text());
        self.write_status();
    }

    fn take(&mut self, outcome: Outcome, on_event: &impl Fn(ReloadEvent)) {
        self.files = outcome.files;
        self.seen = Some(outcome.fingerprint.clone());
        self.loaded = Some(outcome.fingerprint.clone());
        if self.native.is_some() {
            self.rewatch();
        }
        if let Ok((playlist, _)) = &outcome.result {
            self.display = Some(playlist.display.clone());
        }
        self.take_urgent(outcome.urgent, on_event);
        // Only the urgent files changed: the playlist stays as it is.
        let main = without_urgent(&self.path, &outcome.fingerprint);
        let changed = self.delivered.as_ref() != Some(&main);
        self.delivered = Some(main);
        // A retry that now reads what could not be read before: nothing seen changed.
        let recovered = self.status.result == ReloadResult::Rejected && outcome.result.is_ok();
        if !changed && !recovered && !std::mem::take(&mut self.forced) && !outcome.first {
            return;
        }
        self.status.loaded_at = Some(now_text());
        self.status.errors = outcome.lines;
        let deliver = !outcome.first || self.options.deliver_first;
        match outcome.result {
            Ok((playlist, text)) => {
                if outcome.first {
                    tracing::info!(
                        "checked {} in {} ms",
                        self.path.display(),
                        outcome.took.as_millis()
                    );
                } else {
                    tracing::info!(
                        "reloaded {} in {} ms",
                        self.path.display(),
                        outcome.took.as_millis()
                    );
                }
                for w in &self.status.errors {
                    tracing::warn!("{w}");
                }
                self.status.result = ReloadResult::Ok;
                self.write_status_now();
                if deliver {
                    on_event(ReloadEvent::Loaded {
                        playlist: Box::new(playlist),
                        text: text.map(Box::new),
                    });
                }
            }
            Err(summary) => {
                self.status.result = ReloadResult::Rejected;
                self.write_status_now();
                if deliver {
                    on_event(ReloadEvent::Rejected { summary });
                }
            }
        }
    }

    fn start_native(&mut self) {
        let wake = self.wake.clone();
        // Which paths matter is decided on the watcher's thread, which knows the files.
        let handler = move |event: notify::Result<notify::Event>| match event {
            Ok(e) if matches!(e.kind, notify::EventKind::Access(_)) => {}
            Ok(e) => {
                let _ = wake.send(Command::Changed(e.paths));
            }
            Err(_) => {
                let _ = wake.send(Command::Changed(Vec::new()));
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
            .map(|f| crate::model::file::folder_of(f).to_path_buf())
            .collect();
        self.missing_dirs = false;
        for dir in &wanted {
            // Only local folders are watched natively, so asking is cheap and cannot hang.
            let exists = dir.is_dir();
            self.missing_dirs |= !exists;
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
}

/// The first file whose state differs between two fingerprints.
fn changed_file<'a>(
    before: Option<&Fingerprint>,
    now: Option<&'a Fingerprint>,
) -> Option<&'a Path> {
    let now = now?;
    now.iter()
        .find(|entry| before.is_none_or(|b| !b.contains(entry)))
        .map(|(path, _)| path.as_path())
}
