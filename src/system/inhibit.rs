//! Keeps the display awake while the wall plays, and restores the system's settings when the
//! player ends. X11: the screen saver and DPMS power saving are switched off. Windows: the
//! thread's execution state asks for the display and the system to stay on. Elsewhere (Wayland,
//! macOS) this does nothing but say so in the log.

/// Holds the inhibition; dropping it restores the previous settings.
pub struct ScreenSaverInhibit {
    #[cfg(target_os = "linux")]
    _x11: Option<x11::Inhibit>,
    #[cfg(windows)]
    _windows: windows::Inhibit,
}

impl ScreenSaverInhibit {
    pub fn start() -> ScreenSaverInhibit {
        #[cfg(target_os = "linux")]
        {
            let x11 = x11::Inhibit::start()
                .map_err(|e| tracing::warn!("cannot keep the display awake: {e}"))
                .ok();
            ScreenSaverInhibit { _x11: x11 }
        }
        #[cfg(windows)]
        {
            ScreenSaverInhibit {
                _windows: windows::Inhibit::start(),
            }
        }
        #[cfg(not(any(target_os = "linux", windows)))]
        {
            tracing::info!("screen-saver inhibition is not implemented on this platform; disable it in the system settings");
            ScreenSaverInhibit {}
        }
    }
}

#[cfg(windows)]
mod windows {
    use windows_sys::Win32::System::Power::{
        SetThreadExecutionState, ES_CONTINUOUS, ES_DISPLAY_REQUIRED, ES_SYSTEM_REQUIRED,
    };

    /// The display and the system stay on while this thread's execution state says so. It is
    /// the thread that created the window: the one that drops this.
    pub struct Inhibit;

    impl Inhibit {
        pub fn start() -> Inhibit {
            // SAFETY: a plain Win32 call with flags; it affects only this thread's state.
            let previous = unsafe {
                SetThreadExecutionState(ES_CONTINUOUS | ES_DISPLAY_REQUIRED | ES_SYSTEM_REQUIRED)
            };
            if previous == 0 {
                tracing::warn!("cannot keep the display awake (SetThreadExecutionState failed)");
            } else {
                tracing::info!("the display and the system stay on while playing");
            }
            Inhibit
        }
    }

    impl Drop for Inhibit {
        fn drop(&mut self) {
            // SAFETY: as above; ES_CONTINUOUS alone clears the requirements set at start.
            unsafe {
                SetThreadExecutionState(ES_CONTINUOUS);
            }
        }
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use x11rb::connection::Connection;
    use x11rb::protocol::dpms::ConnectionExt as _;
    use x11rb::protocol::xproto::{Blanking, ConnectionExt as _, Exposures};
    use x11rb::rust_connection::RustConnection;

    pub struct Inhibit {
        conn: RustConnection,
        saver: (i16, i16, Blanking, Exposures),
        dpms_was_on: bool,
    }

    impl Inhibit {
        pub fn start() -> Result<Inhibit, String> {
            if std::env::var_os("DISPLAY").is_none() {
                return Err(
                    "no X display (on Wayland, disable blanking in the compositor's settings)"
                        .into(),
                );
            }
            let (conn, _) = x11rb::connect(None).map_err(|e| e.to_string())?;
            let old = conn
                .get_screen_saver()
                .map_err(|e| e.to_string())?
                .reply()
                .map_err(|e| e.to_string())?;
            let saver = (
                old.timeout as i16,
                old.interval as i16,
                old.prefer_blanking,
                old.allow_exposures,
            );
            conn.set_screen_saver(0, 0, Blanking::NOT_PREFERRED, Exposures::ALLOWED)
                .map_err(|e| e.to_string())?;
            // DPMS is an extension: absent on some servers, which is fine.
            let dpms_was_on = conn
                .dpms_info()
                .ok()
                .and_then(|c| c.reply().ok())
                .is_some_and(|info| info.state);
            if dpms_was_on {
                let _ = conn.dpms_disable();
            }
            conn.flush().map_err(|e| e.to_string())?;
            tracing::info!("screen saver and display power saving are off while playing");
            Ok(Inhibit {
                conn,
                saver,
                dpms_was_on,
            })
        }
    }

    impl Drop for Inhibit {
        fn drop(&mut self) {
            let (timeout, interval, blanking, exposures) = self.saver;
            let _ = self
                .conn
                .set_screen_saver(timeout, interval, blanking, exposures);
            if self.dpms_was_on {
                let _ = self.conn.dpms_enable();
            }
            // A round trip, not just a flush: the process is about to exit, and the server
            // may otherwise serve other clients before it reads these requests.
            let _ = self.conn.get_screen_saver().map(|cookie| cookie.reply());
        }
    }
}
