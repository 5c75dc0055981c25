//! Waiting on a player's (or watcher's) status file: the way tests learn that something
//! happened, instead of sleeping and hoping.
#![allow(dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

/// The status file at `file` once `ok` holds for it (read afresh every 50 ms), failing after
/// `limit` with what was last read.
pub fn wait_for_status(
    file: &Path,
    limit: Duration,
    what: &str,
    ok: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + limit;
    loop {
        let json: serde_json::Value = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        if ok(&json) {
            return json;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}: {json}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
