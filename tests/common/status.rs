//! Waiting on a player's (or watcher's) status file: the way tests learn that something
//! happened, instead of sleeping and hoping.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

#[allow(unused_imports)]
pub use signage::share::status_file::{ReloadResult, StatusFile};

/// The status file at `file` as it is now.
pub fn read(file: &Path) -> StatusFile {
    StatusFile::parse(&std::fs::read(file).unwrap()).expect("a status file")
}

/// The status file at `file` once `ok` holds for it (read afresh every 50 ms), failing after
/// `limit` with what was last read. Read as the player writes it and `signage status` reads it.
pub fn wait_for_status(
    file: &Path,
    limit: Duration,
    what: &str,
    ok: impl Fn(&StatusFile) -> bool,
) -> StatusFile {
    let deadline = Instant::now() + limit;
    loop {
        let status = std::fs::read(file)
            .ok()
            .and_then(|t| StatusFile::parse(&t))
            .unwrap_or_default();
        if ok(&status) {
            return status;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {status:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
