//! A file as the playlist knows it: which folder a path lies in, and the stamp that tells one
//! version of a file from the next. Taken from metadata someone else read; nothing here reads.

use std::fs::Metadata;
use std::path::Path;
use std::time::SystemTime;

/// How the watcher and caches tell one version of a file from another without reading it:
/// size and modification time, and the file's identity and change time, which size and time
/// alone miss: a picture replaced by another of the same size with the old time kept (a copy
/// that preserves times, or a temp file renamed over it), or permissions restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// On Unix the device, inode and status-change time (set by every write, rename and
    /// chmod); on Windows the creation time (a file renamed into place is a new file).
    pub identity: u64,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity: identity(meta),
        }
    }
}

#[cfg(unix)]
fn identity(meta: &Metadata) -> u64 {
    use std::hash::{Hash, Hasher};
    use std::os::unix::fs::MetadataExt;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (meta.dev(), meta.ino(), meta.ctime(), meta.ctime_nsec()).hash(&mut h);
    h.finish()
}

#[cfg(windows)]
fn identity(meta: &Metadata) -> u64 {
    use std::os::windows::fs::MetadataExt;
    meta.creation_time()
}

#[cfg(not(any(unix, windows)))]
fn identity(_: &Metadata) -> u64 {
    0
}

/// The folder `path` lies in: `.` for a bare name such as `playlist.toml`, whose parent is the
/// empty path (which names no folder: canonicalizing or listing it fails).
pub fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}
