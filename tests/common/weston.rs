//! A private headless Weston (a Wayland compositor drawing into memory) per test, screenshots
//! through its screenshooter, and the player as a Wayland client of it.
#![allow(dead_code)]

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use image::RgbaImage;

use super::xvfb::{wait_for_screenshot, Player};

const SOCKET: &str = "signage-test";

pub struct Compositor {
    /// Its own XDG_RUNTIME_DIR, where the socket is: tests running at once do not meet.
    runtime: tempfile::TempDir,
    server: Child,
}

impl Compositor {
    /// Starts Weston's headless backend with its software renderer (pixman: the default
    /// renderer there draws nothing, so nothing could be seen), one output of `width` x
    /// `height`, and its debug protocols (the screenshooter needs them).
    pub fn start(width: u32, height: u32) -> Compositor {
        Compositor::start_blanking_after(width, height, 0)
    }

    /// As [`Compositor::start`], and the output blanks (as a screen saver would) after
    /// `idle_s` seconds without input, which never comes: 0 never blanks.
    pub fn start_blanking_after(width: u32, height: u32, idle_s: u32) -> Compositor {
        let runtime = tempfile::tempdir().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let private = std::fs::Permissions::from_mode(0o700);
            std::fs::set_permissions(runtime.path(), private).unwrap();
        }
        let server = Command::new("weston")
            .args([
                "--backend=headless-backend.so",
                "--use-pixman",
                &format!("--width={width}"),
                &format!("--height={height}"),
                &format!("--socket={SOCKET}"),
                &format!("--idle-time={idle_s}"),
                "--debug",
            ])
            .env("XDG_RUNTIME_DIR", runtime.path())
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(runtime.path().join("weston.log")).unwrap())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start weston ({e}); install it: apt-get install weston")
            });
        let compositor = Compositor { runtime, server };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !compositor.runtime.path().join(SOCKET).exists() {
            assert!(
                Instant::now() < deadline,
                "weston did not start:\n{}",
                std::fs::read_to_string(compositor.runtime.path().join("weston.log"))
                    .unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        compositor
    }

    fn env<'a>(&'a self, command: &'a mut Command) -> &'a mut Command {
        command
            .env("XDG_RUNTIME_DIR", self.runtime.path())
            .env("WAYLAND_DISPLAY", SOCKET)
            .env_remove("DISPLAY")
    }

    /// The output as the compositor shows it, via `weston-screenshooter` (which writes a PNG
    /// into its working folder).
    pub fn screenshot(&self) -> RgbaImage {
        let folder = tempfile::tempdir().unwrap();
        let out = self
            .env(&mut Command::new("weston-screenshooter"))
            .current_dir(folder.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run weston-screenshooter ({e}); install weston"));
        assert!(
            out.status.success(),
            "weston-screenshooter failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let shot = std::fs::read_dir(folder.path())
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.extension().is_some_and(|e| e == "png"))
            .expect("weston-screenshooter wrote a PNG");
        image::open(shot).unwrap().to_rgba8()
    }

    /// Waits up to `timeout` for a screenshot that satisfies `ok`, and returns it.
    pub fn wait_for(
        &self,
        timeout: Duration,
        what: &str,
        ok: impl Fn(&RgbaImage) -> bool,
    ) -> RgbaImage {
        wait_for_screenshot(timeout, &format!("weston-{what}"), || self.screenshot(), ok)
    }

    /// Runs the player as a client of this compositor (no X display to fall back on).
    pub fn player(&self, args: &[&str]) -> Player {
        let child = self
            .env(&mut Command::new(env!("CARGO_BIN_EXE_signage")))
            .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the player");
        Player::new(child)
    }
}

impl Drop for Compositor {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}
