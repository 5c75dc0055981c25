//! A shared folder that is never quiet, as a real share is: other walls' status files replaced
//! every 100 ms, a sync tool's temp file growing, a folder of pictures being copied that the
//! playlist does not use, Windows' thumbnail cache. The player must read its playlist there all
//! the same.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// Writes in `dir` until dropped.
pub struct BusyFolder {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// Rounds of writes made, to prove the folder was busy.
    pub rounds: Arc<std::sync::atomic::AtomicU64>,
}

impl BusyFolder {
    pub fn start(dir: &Path) -> BusyFolder {
        let stop = Arc::new(AtomicBool::new(false));
        let rounds = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let (dir, flag, count) = (dir.to_path_buf(), stop.clone(), rounds.clone());
        let thread = std::thread::spawn(move || {
            let pictures = dir.join("incoming");
            let _ = std::fs::create_dir_all(&pictures);
            let mut sync = std::fs::File::create(dir.join(".syncthing.big-video.mp4.tmp")).unwrap();
            let mut round = 0u64;
            while !flag.load(Ordering::Relaxed) {
                for wall in 1..=7 {
                    replace(&dir.join(format!("wall-{wall}.status.json")), round);
                }
                let _ = sync.write_all(&[round as u8; 4096]);
                let _ = std::fs::write(pictures.join(format!("photo-{round:04}.jpg")), [0u8; 512]);
                let _ = std::fs::write(dir.join("Thumbs.db"), round.to_le_bytes());
                round += 1;
                count.store(round, Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(100));
            }
        });
        BusyFolder {
            stop,
            thread: Some(thread),
            rounds,
        }
    }

    pub fn rounds(&self) -> u64 {
        self.rounds.load(Ordering::Relaxed)
    }
}

/// Another wall's status file, replaced as players replace theirs: temp file, then rename.
fn replace(file: &PathBuf, round: u64) {
    let tmp = file.with_extension("json.tmp");
    if std::fs::write(&tmp, format!("{{\"round\": {round}}}")).is_ok() {
        let _ = std::fs::rename(&tmp, file);
    }
}

impl Drop for BusyFolder {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
