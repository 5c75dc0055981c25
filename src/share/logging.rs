//! Logs to stderr and, optionally, to a file that never grows without bound: when it passes
//! its limit it is renamed to `FILE.1` (replacing the previous one) and a new file is started.

use std::fs::{File, OpenOptions};
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter};

const LIMIT: u64 = 10 * 1024 * 1024;

pub struct BoundedFile {
    path: PathBuf,
    file: File,
    written: u64,
    limit: u64,
}

impl BoundedFile {
    pub fn open(path: &Path, limit: u64) -> io::Result<BoundedFile> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        let written = file.metadata()?.len();
        Ok(BoundedFile {
            path: path.to_path_buf(),
            file,
            written,
            limit,
        })
    }

    fn rotate(&mut self) -> io::Result<()> {
        let old = self.path.with_extension(match self.path.extension() {
            Some(ext) => format!("{}.1", ext.to_string_lossy()),
            None => "1".to_string(),
        });
        std::fs::rename(&self.path, old)?;
        self.file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.written = 0;
        Ok(())
    }
}

impl Write for BoundedFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.written + buf.len() as u64 > self.limit && self.written > 0 {
            // A log that cannot rotate keeps writing; losing logs is worse than a big file.
            let _ = self.rotate();
        }
        let n = self.file.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

/// Sets up logging: `RUST_LOG` filters (default `info`), stderr always (coloured only on a
/// terminal), `file` if given, its folder created if missing. A log file that cannot be opened
/// does not stop the program (a wall that stays dark over its log is worse than a wall without
/// one): the returned warning says why, for the caller to log.
pub fn init(file: Option<&Path>) -> Option<String> {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,wgpu_core=warn,wgpu_hal=warn,naga=warn"));
    let stderr = fmt::layer()
        .with_writer(io::stderr)
        .with_ansi(io::stderr().is_terminal())
        .with_target(false);
    let mut warning = None;
    let file_layer = file.and_then(|path| {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(dir);
        }
        match BoundedFile::open(path, LIMIT) {
            Ok(f) => Some(
                fmt::layer()
                    .with_writer(Mutex::new(f))
                    .with_ansi(false)
                    .with_target(false),
            ),
            Err(e) => {
                warning = Some(format!(
                    "cannot open the log file {} ({e}); logging to standard error only",
                    path.display()
                ));
                None
            }
        }
    });
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(stderr)
        .with(file_layer)
        .try_init();
    warning
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotates_past_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signage.log");
        let mut f = BoundedFile::open(&path, 100).unwrap();
        for _ in 0..30 {
            f.write_all(b"0123456789\n").unwrap();
        }
        assert!(std::fs::metadata(&path).unwrap().len() <= 100);
        assert!(dir.path().join("signage.log.1").exists());
    }
}
