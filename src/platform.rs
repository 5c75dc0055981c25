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
