//! What differs between systems, or concerns the process as a whole, in one place.

use std::path::Path;

/// On Windows the program is built without a console of its own (so that `play` started by the
/// Task Scheduler or a double-click opens no console window); a command started from a terminal
/// writes to that terminal's console instead. Elsewhere nothing is needed.
pub fn attach_to_terminal() {
    #[cfg(windows)]
    {
        use windows_sys::Win32::System::Console::{
            AttachConsole, GetStdHandle, ATTACH_PARENT_PROCESS, STD_ERROR_HANDLE, STD_OUTPUT_HANDLE,
        };
        // SAFETY: plain Win32 calls without pointers. Handles already redirected (to a file
        // or a pipe) are kept: only a process with no output at all attaches.
        unsafe {
            let none = |h: windows_sys::Win32::Foundation::HANDLE| h.is_null();
            if none(GetStdHandle(STD_OUTPUT_HANDLE)) || none(GetStdHandle(STD_ERROR_HANDLE)) {
                AttachConsole(ATTACH_PARENT_PROCESS);
            }
        }
    }
}

/// Whether `path` is on a network share, where file events from other machines never arrive
/// and the watcher must poll: a UNC path (`\\server\share\…`) or, on Windows, a mapped
/// network drive; on Linux an SMB, NFS or similar mount (from /proc/mounts).
pub fn on_network_share(path: &Path) -> bool {
    if is_unc(path) {
        return true;
    }
    #[cfg(windows)]
    {
        network_drive(path)
    }
    #[cfg(not(windows))]
    {
        remote_mount(path)
    }
}

/// `\\server\share\…` (or `//server/share/…`), as Windows names shares.
pub fn is_unc(path: &Path) -> bool {
    let s = path.to_string_lossy();
    let s = s.strip_prefix(r"\\?\UNC\").map_or(s.as_ref(), |_| r"\\x");
    (s.starts_with(r"\\") || s.starts_with("//"))
        && !s.starts_with(r"\\?\")
        && !s.starts_with(r"\\.\")
}

#[cfg(windows)]
fn network_drive(path: &Path) -> bool {
    use std::os::windows::ffi::OsStrExt;
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;
    const DRIVE_REMOTE: u32 = 4;
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let Some(std::path::Component::Prefix(prefix)) = absolute.components().next() else {
        return false;
    };
    match prefix.kind() {
        std::path::Prefix::UNC(..) | std::path::Prefix::VerbatimUNC(..) => true,
        std::path::Prefix::Disk(letter) | std::path::Prefix::VerbatimDisk(letter) => {
            let root: Vec<u16> = std::ffi::OsStr::new(&format!("{}:\\", letter as char))
                .encode_wide()
                .chain(Some(0))
                .collect();
            // SAFETY: a NUL-terminated wide string that outlives the call.
            unsafe { GetDriveTypeW(root.as_ptr()) == DRIVE_REMOTE }
        }
        _ => false,
    }
}

/// SMB/CIFS, NFS or another filesystem whose remote changes inotify cannot see, from
/// /proc/mounts (false where there is none).
#[cfg(not(windows))]
fn remote_mount(path: &Path) -> bool {
    let Ok(mounts) = std::fs::read_to_string("/proc/mounts") else {
        return false;
    };
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
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

/// Logs every panic with its backtrace, through the log (and so into `--log FILE`), before the
/// code that catches it carries on. A wall that recovered from a bug should still say where
/// the bug is.
pub fn log_panics() {
    std::panic::set_hook(Box::new(|info| {
        let backtrace = std::backtrace::Backtrace::force_capture();
        tracing::error!("panic: {info}\n{backtrace}");
    }));
}

/// Signals whose default action ends the process, and that a player has no use for: a stray
/// `kill -USR1` or an alarm must not take the wall down. (SIGTERM, SIGINT and SIGHUP stop the
/// player cleanly; SIGPIPE is already ignored by Rust's runtime.)
pub fn ignore_stray_signals() {
    #[cfg(unix)]
    for signal in [libc::SIGUSR1, libc::SIGUSR2, libc::SIGALRM, libc::SIGPIPE] {
        // SAFETY: setting a signal's disposition to "ignore" installs no handler code; it is
        // done before any thread that could race on it does anything with signals.
        unsafe {
            libc::signal(signal, libc::SIG_IGN);
        }
    }
}

/// Asks `child` to stop (SIGTERM on Unix), waits up to `wait`, then kills it.
pub fn terminate(child: &mut std::process::Child, wait: std::time::Duration) {
    #[cfg(unix)]
    {
        // SAFETY: kill(2) with a pid this process spawned and has not yet waited for.
        unsafe {
            libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
        }
        let until = std::time::Instant::now() + wait;
        while std::time::Instant::now() < until {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    let _ = wait;
    let _ = child.kill();
    let _ = child.wait();
}

/// Makes writes to standard output fail rather than wait when its reader is not reading (a
/// supervisor that is itself stopped must not freeze the player through a full pipe).
pub fn stdout_nonblocking() {
    #[cfg(unix)]
    // SAFETY: fcntl on the process's own standard output descriptor, changing only O_NONBLOCK.
    unsafe {
        let flags = libc::fcntl(libc::STDOUT_FILENO, libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(libc::STDOUT_FILENO, libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
    }
}

/// Whether the user's interface language is Chinese (Windows; elsewhere the locale says so, see
/// `lang::detect`).
pub fn user_language_is_chinese() -> bool {
    #[cfg(windows)]
    {
        const LANG_CHINESE: u16 = 0x04;
        // SAFETY: takes no arguments and only reads the user's setting.
        let id = unsafe { windows_sys::Win32::Globalization::GetUserDefaultUILanguage() };
        id & 0x3ff == LANG_CHINESE
    }
    #[cfg(not(windows))]
    false
}

/// Hands memory freed by the allocator back to the system, where the C library keeps it
/// otherwise (glibc keeps freed pages in its arenas): after a reload to a smaller playlist,
/// the process should shrink. Runs on a thread of its own, since trimming holds the
/// allocator's locks for a moment.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: libc::size_t) -> libc::c_int;
        }
        let _ = std::thread::Builder::new()
            .name("signage-trim".into())
            // SAFETY: malloc_trim only returns unused memory to the system; it is safe to
            // call from any thread at any time.
            .spawn(|| unsafe {
                malloc_trim(0);
            });
    }
}

/// A fire drill: `SIGNAGE_FAULT=draw` makes the player panic once while drawing its 60th
/// frame, `SIGNAGE_FAULT=prepare` once while preparing its first slide on the worker, so that
/// an installer (and the tests) can see the wall recover by itself. Unset, nothing happens.
pub fn fault_drill(site: &str, count: u64) {
    use std::sync::atomic::{AtomicBool, Ordering};
    static FIRED: AtomicBool = AtomicBool::new(false);
    let wanted = std::env::var_os("SIGNAGE_FAULT").is_some_and(|v| v == site);
    let due = match site {
        "draw" => count == 60,
        _ => true,
    };
    if wanted && due && !FIRED.swap(true, Ordering::SeqCst) {
        panic!("fire drill: SIGNAGE_FAULT={site}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unc_paths_are_shares_on_every_system() {
        for share in [
            r"\\server\signage\playlist.toml",
            "//server/signage/playlist.toml",
            r"\\?\UNC\server\signage\playlist.toml",
        ] {
            assert!(is_unc(Path::new(share)), "{share}");
            assert!(on_network_share(Path::new(share)), "{share}");
        }
        for local in [
            r"Z:\signage\playlist.toml",
            r"\\?\C:\signage\playlist.toml",
            r"\\.\pipe\x",
            "/srv/signage/playlist.toml",
            "playlists/default.toml",
        ] {
            assert!(!is_unc(Path::new(local)), "{local}");
        }
    }
}
