//! Keeps the display awake while the wall plays: the X screen saver and DPMS power saving are
//! switched off, and restored as they were when the player ends. Elsewhere (Wayland, Windows,
//! macOS) this does nothing but say so in the log.

/// Holds the inhibition; dropping it restores the previous settings.
pub struct ScreenSaverInhibit {
    #[cfg(target_os = "linux")]
    _x11: Option<x11::Inhibit>,
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
        #[cfg(not(target_os = "linux"))]
        {
            tracing::info!("screen-saver inhibition is not implemented on this platform; disable it in the system settings");
            ScreenSaverInhibit {}
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
