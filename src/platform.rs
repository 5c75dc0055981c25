//! What differs between systems, or concerns the process as a whole, in one place.

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
