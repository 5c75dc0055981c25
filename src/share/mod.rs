//! Every read from the shared folder goes through here. A share can hold anything at any
//! moment: an empty file mid-save, a FIFO, a symlink to a device, a symlink loop, a 500 MB file.
//! So a file is opened only if it is a regular file, without blocking (a FIFO with no writer
//! would otherwise hang the opener for good), checked again once open (it may have been
//! swapped in between), and read with a size limit.

pub mod animation;
pub mod assets;
pub mod clip;
pub mod logging;
pub mod playlog;
pub mod status_file;

use std::fmt;
use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use crate::lang::Msg;
use crate::model::file::{folder_of, Stamp};

/// Why a path on the share cannot be used as a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    NotFound,
    Directory,
    /// A FIFO (named pipe).
    Fifo,
    /// A character or block device, e.g. a symlink to /dev/zero.
    Device,
    Socket,
    /// A chain of symbolic links that never ends.
    SymlinkLoop,
    /// A chain of symbolic links longer than the system follows (40 on Linux).
    SymlinkChain,
    /// Larger than the limit for its kind.
    TooLarge {
        size: u64,
        limit: u64,
    },
    /// Any other error the system gave (permissions, I/O on a failing share).
    Unreadable(String),
}

impl FileProblem {
    /// The problem, as the end of a sentence that starts with the file's name.
    pub fn message(&self) -> Msg {
        match self {
            FileProblem::NotFound => Msg::FileNotFound,
            FileProblem::Directory => Msg::FileIsFolder,
            FileProblem::Fifo => Msg::FileIsFifo,
            FileProblem::Device => Msg::FileIsDevice,
            FileProblem::Socket => Msg::FileIsSocket,
            FileProblem::SymlinkLoop => Msg::SymlinkLoop,
            FileProblem::SymlinkChain => Msg::SymlinkChain,
            FileProblem::TooLarge { size, limit } => Msg::FileTooLarge {
                size: human_bytes(*size),
                limit: human_bytes(*limit),
            },
            FileProblem::Unreadable(e) => Msg::FileUnreadable { error: e.clone() },
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.message().fmt(f)
    }
}

/// What kind of thing a path is (symlinks followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    File,
    Folder,
    Special,
}

/// How a watcher tells one state of a path from another, whatever the path holds: a FIFO
/// replaced by a symlink to a device must count as a change, though neither can be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Seen {
    pub kind: Kind,
    pub stamp: Stamp,
}

impl Seen {
    pub fn file(stamp: Stamp) -> Seen {
        Seen {
            kind: Kind::File,
            stamp,
        }
    }
}

/// The state of `path` from its metadata alone (nothing is opened), or `None` if it is not
/// there.
pub fn seen(path: &Path) -> Option<Seen> {
    let meta = std::fs::metadata(path).ok()?;
    let t = meta.file_type();
    let kind = if t.is_file() {
        Kind::File
    } else if t.is_dir() {
        Kind::Folder
    } else {
        Kind::Special
    };
    Some(Seen {
        kind,
        stamp: Stamp::of(&meta),
    })
}

/// The metadata of `path` (symlinks followed) if it is a regular file, or why it is not.
/// Reads no content, so it cannot block on a FIFO.
pub fn regular_file(path: &Path) -> Result<Metadata, FileProblem> {
    let meta = std::fs::metadata(path).map_err(|e| match from_io(&e) {
        FileProblem::SymlinkLoop if !links_loop(path) => FileProblem::SymlinkChain,
        p => p,
    })?;
    check_type(&meta)?;
    Ok(meta)
}

/// The stamp of `path` if it is a regular file.
pub fn stamp(path: &Path) -> Option<Stamp> {
    regular_file(path).ok().map(|m| Stamp::of(&m))
}

/// Opens `path` for reading if it is a regular file of at most `limit` bytes. The open itself
/// does not block (a FIFO swapped in after the check must not hang us), and the type is checked
/// again on the open handle.
pub fn open_regular(path: &Path, limit: u64) -> Result<(File, Metadata), FileProblem> {
    regular_file(path)?;
    let file = open_nonblocking(path).map_err(|e| from_io(&e))?;
    let meta = file.metadata().map_err(|e| from_io(&e))?;
    check_type(&meta)?;
    if meta.len() > limit {
        return Err(FileProblem::TooLarge {
            size: meta.len(),
            limit,
        });
    }
    Ok((file, meta))
}

/// The whole content of the regular file `path`, refused past `limit` bytes. The file may grow
/// while it is read (a copy in progress): no more than `limit` bytes are ever read.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, FileProblem> {
    let (file, meta) = open_regular(path, limit)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| from_io(&e))?;
    if bytes.len() as u64 > limit {
        return Err(FileProblem::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

fn check_type(meta: &Metadata) -> Result<(), FileProblem> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    if t.is_dir() {
        return Err(FileProblem::Directory);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Err(FileProblem::Fifo);
        }
        if t.is_char_device() || t.is_block_device() {
            return Err(FileProblem::Device);
        }
        if t.is_socket() {
            return Err(FileProblem::Socket);
        }
    }
    Err(FileProblem::Device)
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    // Windows has no FIFOs in the file namespace; named pipes live under \\.\pipe\.
    File::open(path)
}

/// What an I/O error on the share means for the file.
pub(crate) fn from_io(e: &io::Error) -> FileProblem {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return FileProblem::SymlinkLoop;
    }
    match e.kind() {
        io::ErrorKind::NotFound => FileProblem::NotFound,
        io::ErrorKind::IsADirectory => FileProblem::Directory,
        _ => FileProblem::Unreadable(e.to_string()),
    }
}

/// Whether following the symbolic links from `path` comes back to one already followed (the
/// system says "too many levels" for a loop and for a merely long chain alike).
fn links_loop(path: &Path) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut at = path.to_path_buf();
    // Far more than any system follows: a chain this long without a repeat is no loop.
    for _ in 0..1000 {
        let Ok(target) = std::fs::read_link(&at) else {
            return false;
        };
        if !seen.insert(at.clone()) {
            return true;
        }
        at = folder_of(&at).join(target);
    }
    false
}

/// The name of the file that `path` names when case is ignored, if `path` itself is not found:
/// a playlist written on Windows, where `Traffic.PNG` and `traffic.png` are one file. Looks in
/// the folder `path` lies in (only the last part of the name).
pub fn differs_in_case(path: &Path) -> Option<String> {
    let name = path.file_name()?.to_str()?.to_lowercase();
    let dir = folder_of(path);
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .take(100_000)
        .filter_map(|e| e.file_name().into_string().ok())
        .find(|n| n.to_lowercase() == name)
}

/// "4.0 MB", "512 KB", "17 bytes": sizes as editors read them (powers of 1024).
pub fn human_bytes(n: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    const GB: u64 = 1024 * MB;
    match n {
        n if n >= GB => format!("{:.1} GB", n as f64 / GB as f64),
        n if n >= MB => format!("{:.1} MB", n as f64 / MB as f64),
        n if n >= KB => format!("{} KB", n / KB),
        n => format!("{n} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_within_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        std::fs::write(&path, "0123456789").unwrap();
        assert_eq!(read_limited(&path, 10).unwrap(), b"0123456789");
        assert_eq!(
            read_limited(&path, 9),
            Err(FileProblem::TooLarge { size: 10, limit: 9 })
        );
        assert_eq!(
            read_limited(&dir.path().join("missing"), 10),
            Err(FileProblem::NotFound)
        );
        assert_eq!(read_limited(dir.path(), 10), Err(FileProblem::Directory));
    }

    #[cfg(unix)]
    #[test]
    fn special_files_are_refused_without_blocking() {
        use std::time::{Duration, Instant};
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        let started = Instant::now();
        assert_eq!(read_limited(&fifo, 10), Err(FileProblem::Fifo));
        // The FIFO is refused from its metadata; opening it without a writer would block.
        assert!(started.elapsed() < Duration::from_secs(1));

        let zero = dir.path().join("zero.toml");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        assert_eq!(read_limited(&zero, 1 << 30), Err(FileProblem::Device));

        let a = dir.path().join("a.png");
        let b = dir.path().join("b.png");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert_eq!(read_limited(&a, 10), Err(FileProblem::SymlinkLoop));
    }

    #[test]
    fn sizes_read_as_editors_expect() {
        assert_eq!(human_bytes(17), "17 bytes");
        assert_eq!(human_bytes(4 << 20), "4.0 MB");
        assert_eq!(human_bytes(500 << 20), "500.0 MB");
    }
}
