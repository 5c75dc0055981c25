//! The status file, replaced from a thread of its own: the file may be on the share, and a
//! share that stops answering must hold back only this thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// Replaces the status file from its own thread, newest content first: a share that stops
/// answering holds back only this thread, and only the latest status waits.
pub(super) struct StatusWriter {
    shared: Arc<(Mutex<StatusSlot>, Condvar)>,
}

#[derive(Default)]
struct StatusSlot {
    /// The newest status not yet written.
    text: Option<String>,
    /// How many statuses were published, and how many of them are on disk (or were replaced
    /// by a newer one before they could be).
    published: u64,
    written: u64,
    /// The watcher is gone: finish.
    closed: bool,
}

impl StatusWriter {
    pub(super) fn start(file: PathBuf) -> StatusWriter {
        let shared = Arc::new((Mutex::new(StatusSlot::default()), Condvar::new()));
        let theirs = shared.clone();
        let spawned = std::thread::Builder::new()
            .name("signage-status".into())
            .spawn(move || {
                let (slot, changed) = &*theirs;
                let mut warned = false;
                loop {
                    let (text, seq) = {
                        let mut s = slot.lock().unwrap_or_else(|e| e.into_inner());
                        while s.text.is_none() && !s.closed {
                            s = changed.wait(s).unwrap_or_else(|e| e.into_inner());
                        }
                        let Some(text) = s.text.take() else { return };
                        (text, s.published)
                    };
                    match write_atomically(&file, &text) {
                        Ok(()) => warned = false,
                        Err(e) if !warned => {
                            tracing::warn!("cannot write the status file {}: {e}", file.display());
                            warned = true;
                        }
                        Err(_) => {}
                    }
                    slot.lock().unwrap_or_else(|e| e.into_inner()).written = seq;
                    changed.notify_all();
                }
            });
        if let Err(e) = spawned {
            tracing::error!("cannot start the status writer: {e}");
        }
        StatusWriter { shared }
    }

    /// Hands `text` to the writer; returns its number, for [`StatusWriter::wait`].
    pub(super) fn publish(&self, text: String) -> u64 {
        let (slot, changed) = &*self.shared;
        let mut s = slot.lock().unwrap_or_else(|e| e.into_inner());
        s.text = Some(text);
        s.published += 1;
        changed.notify_all();
        s.published
    }

    /// Waits until status `seq` is written, at most `limit`.
    pub(super) fn wait(&self, seq: u64, limit: Duration) {
        let (slot, changed) = &*self.shared;
        let s = slot.lock().unwrap_or_else(|e| e.into_inner());
        let _ = changed.wait_timeout_while(s, limit, |s| s.written < seq);
    }
}

impl Drop for StatusWriter {
    fn drop(&mut self) {
        let (slot, changed) = &*self.shared;
        slot.lock().unwrap_or_else(|e| e.into_inner()).closed = true;
        changed.notify_all();
    }
}

/// Writes `text` to a temporary file beside `file`, then renames it over `file`.
pub fn write_atomically(file: &Path, text: &str) -> std::io::Result<()> {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    let tmp = file.with_file_name(name);
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, file)
}
