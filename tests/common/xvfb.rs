//! A private Xvfb display per test, screenshots of its root window, and the player as a child
//! process that is always killed.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use image::{Rgba, RgbaImage};

pub struct Display {
    pub name: String,
    server: Child,
}

impl Display {
    /// Starts `Xvfb :number` (black root, no TCP, and no reset when the last client leaves,
    /// which would drop new connections and restore server settings behind the tests' backs)
    /// and waits until it accepts clients.
    pub fn start(number: u32) -> Display {
        let name = format!(":{number}");
        // Leftovers of a server killed earlier would look like a ready one.
        let _ = std::fs::remove_file(format!("/tmp/.X{number}-lock"));
        let _ = std::fs::remove_file(format!("/tmp/.X11-unix/X{number}"));
        let server = Command::new("Xvfb")
            .args([
                &name,
                "-screen",
                "0",
                "1024x600x24",
                "-br",
                "-nolisten",
                "tcp",
                "-noreset",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start Xvfb ({e}); install it: apt-get install xvfb x11-apps")
            });
        let deadline = Instant::now() + Duration::from_secs(10);
        let ready = || {
            Command::new("xwd")
                .args(["-root", "-silent", "-display", &name])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        while !ready() {
            assert!(Instant::now() < deadline, "Xvfb {name} did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Display { name, server }
    }

    /// The whole screen, via `xwd`. A window being created or destroyed at that moment (Wine
    /// makes several) can fail the grab with BadMatch: that is retried, a few times.
    pub fn screenshot(&self) -> RgbaImage {
        let mut tries = 0;
        loop {
            let out = Command::new("xwd")
                .args(["-root", "-silent", "-display", &self.name])
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run xwd ({e}); install it: apt-get install x11-apps")
                });
            if out.status.success() {
                return parse_xwd(&out.stdout);
            }
            tries += 1;
            assert!(
                tries < 5,
                "xwd failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Runs the player on this display.
    pub fn player(&self, args: &[&str]) -> Player {
        self.player_with_env(args, &[])
    }

    /// Runs the player on this display with extra environment variables.
    pub fn player_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Player {
        self.player_in(Path::new("."), args, env)
    }

    /// Runs the player on this display from the folder `dir`, with extra environment variables.
    pub fn player_in(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Player {
        let runtime = std::env::temp_dir().join(format!("signage-xdg-{}", std::process::id()));
        std::fs::create_dir_all(&runtime).unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_signage"))
            .current_dir(dir)
            .env("LC_ALL", "C.UTF-8") // English messages, whatever the machine's locale
            .args(args)
            .env("DISPLAY", &self.name)
            .env("XDG_RUNTIME_DIR", &runtime)
            .env_remove("WAYLAND_DISPLAY")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the player");
        Player::new(child)
    }

    /// Waits up to `timeout` for a screenshot that satisfies `ok`, and returns it.
    pub fn wait_for(
        &self,
        timeout: Duration,
        what: &str,
        ok: impl Fn(&RgbaImage) -> bool,
    ) -> RgbaImage {
        wait_for_screenshot(timeout, &format!("xvfb-{what}"), || self.screenshot(), ok)
    }
}

/// Takes screenshots with `shoot` until one satisfies `ok` or `timeout` passes; the last one
/// is saved as `target/NAME.png` for the failure message.
pub fn wait_for_screenshot(
    timeout: Duration,
    name: &str,
    shoot: impl Fn() -> RgbaImage,
    ok: impl Fn(&RgbaImage) -> bool,
) -> RgbaImage {
    let deadline = Instant::now() + timeout;
    loop {
        let shot = shoot();
        if ok(&shot) {
            return shot;
        }
        if Instant::now() > deadline {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("target/{}.png", name.replace(' ', "-")));
            let _ = shot.save(&path);
            panic!(
                "timed out waiting for {name}; last screenshot: {}",
                path.display()
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The number after `key` in a `--stats` line ("stats: 300 frames …, band only 295, …").
pub fn stats_number(line: &str, key: &str) -> u64 {
    let at = line
        .find(key)
        .unwrap_or_else(|| panic!("no `{key}` in {line}"))
        + key.len();
    line[at..]
        .split(|c: char| !c.is_ascii_digit())
        .find(|w| !w.is_empty())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no number after `{key}` in {line}"))
}

/// X keysyms used by the tests.
pub mod keysym {
    pub const SPACE: u32 = 0x20;
    pub const Q: u32 = 0x71;
    pub const RIGHT: u32 = 0xff53;
    pub const ESCAPE: u32 = 0xff1b;
    pub const CONTROL_L: u32 = 0xffe3;
    pub const ALT_L: u32 = 0xffe9;
}

impl Display {
    /// Moves the pointer to (x, y) (keyboard focus follows it on a bare X server) and types
    /// the chord `keysyms`: pressed in order, released in reverse, as a person would.
    pub fn type_chord(&self, x: i16, y: i16, keysyms: &[u32]) {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::ConnectionExt as _;
        use x11rb::protocol::xtest::ConnectionExt as _;
        let (conn, screen) = x11rb::connect(Some(&self.name)).expect("connect to Xvfb");
        let root = conn.setup().roots[screen].root;
        let (min, max) = (conn.setup().min_keycode, conn.setup().max_keycode);
        let map = conn
            .get_keyboard_mapping(min, max - min + 1)
            .unwrap()
            .reply()
            .unwrap();
        let per = map.keysyms_per_keycode as usize;
        let keycode = |sym: u32| {
            let i = map
                .keysyms
                .iter()
                .position(|&k| k == sym)
                .unwrap_or_else(|| panic!("no key for keysym {sym:#x}"));
            min + (i / per) as u8
        };
        const KEY_PRESS: u8 = 2;
        const KEY_RELEASE: u8 = 3;
        const MOTION: u8 = 6;
        conn.xtest_fake_input(MOTION, 0, 0, root, x, y, 0).unwrap();
        // There is no window manager: give the window under the pointer the keyboard focus,
        // as a click would.
        let under = conn.query_pointer(root).unwrap().reply().unwrap().child;
        if under != x11rb::NONE {
            conn.set_input_focus(
                x11rb::protocol::xproto::InputFocus::PARENT,
                under,
                x11rb::CURRENT_TIME,
            )
            .unwrap();
        }
        for &sym in keysyms {
            conn.xtest_fake_input(KEY_PRESS, keycode(sym), 0, root, 0, 0, 0)
                .unwrap();
        }
        for &sym in keysyms.iter().rev() {
            conn.xtest_fake_input(KEY_RELEASE, keycode(sym), 0, root, 0, 0, 0)
                .unwrap();
        }
        // A round trip, so that the events are delivered before the test looks.
        conn.get_input_focus().unwrap().reply().unwrap();
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

pub struct Player {
    child: Option<Child>,
}

impl Player {
    /// The player started as `child`, with its stderr piped.
    pub fn new(child: Child) -> Player {
        Player { child: Some(child) }
    }

    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    pub fn is_running(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|c| c.try_wait().is_ok_and(|s| s.is_none()))
    }

    /// Sends SIGTERM and waits up to `timeout`; returns the exit status and stderr.
    pub fn terminate(&mut self, timeout: Duration) -> (Option<ExitStatus>, String) {
        if let Some(child) = &self.child {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
        }
        self.terminate_or_wait(timeout)
    }

    /// Waits up to `timeout` for the player to end by itself (killing it after that).
    pub fn terminate_or_wait(&mut self, timeout: Duration) -> (Option<ExitStatus>, String) {
        let mut child = self.child.take().expect("running");
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Ok(Some(status)) = child.try_wait() {
                break Some(status);
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stderr = String::new();
        if let Some(mut e) = child.stderr.take() {
            use std::io::Read;
            let _ = e.read_to_string(&mut stderr);
        }
        (status, stderr)
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Reads an XWD image (ZPixmap, 24/32 bits per pixel, as Xvfb writes them).
pub fn parse_xwd(data: &[u8]) -> RgbaImage {
    let word = |i: usize| u32::from_be_bytes(data[i * 4..i * 4 + 4].try_into().unwrap());
    let header_size = word(0) as usize;
    let (width, height) = (word(4), word(5));
    let byte_order = word(7); // 0: least significant byte first
    let bits_per_pixel = word(11) as usize;
    let bytes_per_line = word(12) as usize;
    let (red_mask, green_mask, blue_mask) = (word(14), word(15), word(16));
    let ncolors = word(19) as usize;
    let pixels = &data[header_size + ncolors * 12..];
    let channel = |value: u32, mask: u32| ((value & mask) >> mask.trailing_zeros()) as u8;
    let bytes = bits_per_pixel / 8;
    RgbaImage::from_fn(width, height, |x, y| {
        let at = y as usize * bytes_per_line + x as usize * bytes;
        let raw = &pixels[at..at + bytes];
        let mut v = 0u32;
        for (i, b) in raw.iter().enumerate() {
            v |= if byte_order == 0 {
                (*b as u32) << (8 * i)
            } else {
                (*b as u32) << (8 * (bytes - 1 - i))
            };
        }
        Rgba([
            channel(v, red_mask),
            channel(v, green_mask),
            channel(v, blue_mask),
            255,
        ])
    })
}

/// Pixels in `rect` (x, y, w, h) within `tolerance` of `color`.
pub fn count_near(
    img: &RgbaImage,
    rect: (u32, u32, u32, u32),
    color: [u8; 3],
    tolerance: u8,
) -> usize {
    let (x0, y0, w, h) = rect;
    (y0..y0 + h)
        .flat_map(|y| (x0..x0 + w).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = img.get_pixel(x, y);
            (0..3).all(|c| p[c].abs_diff(color[c]) <= tolerance)
        })
        .count()
}
