//! Zones and layouts on the GPU (lavapipe in CI): each zone's rectangle, its background, a
//! transition clipped to it, stacking; a playlist without zones drawn as before; zones cycling
//! on their own or following another, and a layout switch, with an injected clock.

mod common;

use std::path::Path;

use chrono::NaiveDateTime;
use common::{gpu, pixel};
use image::{Rgba, RgbaImage};
use signage::loader::load_str;
use signage::model::playlist::Playlist;
use signage::player::Player;
use signage::render::{still, Fonts, Renderer};
use signage::rules::playhead::Moment;
use signage::rules::timeline::Timeline;

const BG: [u8; 3] = [0x20, 0x20, 0x20];
const ZONE_BG: [u8; 3] = [0x10, 0x20, 0x40];
const RED: [u8; 3] = [220, 30, 30];
const GREEN: [u8; 3] = [30, 200, 60];
const BLUE: [u8; 3] = [30, 30, 220];
const WHITE: [u8; 3] = [250, 250, 250];
const YELLOW: [u8; 3] = [240, 220, 20];
const MAGENTA: [u8; 3] = [220, 40, 200];

/// A folder with a solid picture of each colour (`red.png`…, 40x40) and `toml` as its playlist.
fn folder(toml: &str) -> (tempfile::TempDir, Playlist) {
    let dir = tempfile::tempdir().unwrap();
    for (name, c) in [
        ("red", RED),
        ("green", GREEN),
        ("blue", BLUE),
        ("white", WHITE),
        ("yellow", YELLOW),
        ("magenta", MAGENTA),
    ] {
        RgbaImage::from_pixel(40, 40, Rgba([c[0], c[1], c[2], 255]))
            .save(dir.path().join(format!("{name}.png")))
            .unwrap();
    }
    let playlist = load(dir.path(), toml);
    (dir, playlist)
}

fn load(dir: &Path, toml: &str) -> Playlist {
    let loaded = load_str(&dir.join("playlist.toml"), toml);
    assert!(loaded.is_clean(), "{}", loaded.report);
    loaded.playlist
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
}

/// The wall at `when`, as `signage render --at` draws it.
fn still_at(playlist: &Playlist, when: &str) -> RgbaImage {
    let mut r = Renderer::new(&gpu(), Fonts::BundledOnly, playlist);
    let mut timeline = Timeline::new(playlist.clone());
    still::frame_at(&mut r, &mut timeline, at(when)).unwrap()
}

fn close(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 3)
}

#[track_caller]
fn assert_colour(img: &RgbaImage, (x, y): (u32, u32), want: [u8; 3], what: &str) {
    let got = pixel(img, x, y);
    assert!(
        close(got, want),
        "{what} at {x},{y}: {got:?}, expected {want:?}"
    );
}

/// A `width`x100 canvas without a band, slides cut in and stretched: the small walls below.
fn small_wall(width: u32) -> String {
    format!(
        "[display]\nwidth = {width}\nheight = 100\n[ticker]\nenabled = false\n\
         [defaults]\ntransition = \"cut\"\nfit = \"stretch\"\n"
    )
}

const CANVAS: &str = r##"
[display]
width = 400
height = 200
background = "#202020"
[ticker]
enabled = false
[defaults]
transition = "cut"
"##;

#[test]
fn each_zone_shows_its_slides_in_its_rectangle_over_its_background_in_stacking_order() {
    let toml = format!(
        r##"{CANVAS}
[[zones]]
name = "main"
x = 0
y = 0
width = 200
height = 200

[[zones]]
name = "side"
x = 200
y = 0
width = 200
height = 100
background = "#102040"

[[zones]]
name = "front"
x = 150
y = 50
width = 100
height = 100
order = 1

[[slides]]
image = "red.png"
fit = "stretch"

[[slides]]
image = "green.png"
fit = "center"
zone = "side"

[[slides]]
image = "blue.png"
fit = "stretch"
zone = "front"
"##
    );
    let (_dir, p) = folder(&toml);
    let img = still_at(&p, "2027-03-01 12:00:00");
    assert_colour(&img, (10, 10), RED, "the main zone's slide");
    assert_colour(&img, (190, 190), RED, "the main zone's corner");
    assert_colour(
        &img,
        (175, 75),
        BLUE,
        "the zone in front, over the main zone",
    );
    assert_colour(
        &img,
        (249, 149),
        BLUE,
        "the zone in front, over the side zone's edge",
    );
    assert_colour(
        &img,
        (300, 50),
        GREEN,
        "the side zone's picture, 1:1 in its middle",
    );
    assert_colour(&img, (210, 10), ZONE_BG, "the side zone's background");
    assert_colour(
        &img,
        (260, 60),
        ZONE_BG,
        "the side zone right of the front one",
    );
    assert_colour(
        &img,
        (300, 150),
        BG,
        "where no zone lies, the display's background",
    );
    assert_colour(&img, (399, 100), BG, "just below the side zone");
    assert_colour(&img, (399, 99), ZONE_BG, "the side zone's last row");
}

#[test]
fn a_zone_with_a_ticker_is_a_crawl_of_its_own_in_front_of_the_main_zone() {
    let toml = format!(
        r##"{CANVAS}
[[zones]]
name = "crawl"
x = 0
y = 150
width = 400
height = 40
ticker = {{ text = "文明出行 礼让斑马线", speed = 100, color = "#fafafa", background = "#1e1edc" }}

[[slides]]
image = "red.png"
fit = "stretch"
"##
    );
    let (_dir, p) = folder(&toml);
    let img = still_at(&p, "2027-03-01 12:00:03");
    let rect = (0..400).flat_map(|x| (150..190).map(move |y| (x, y)));
    let (mut band, mut text, mut other) = (0, 0, 0);
    for (x, y) in rect {
        match pixel(&img, x, y) {
            c if close(c, BLUE) => band += 1,
            [r, g, b] if r > 150 && g > 150 && b > 200 => text += 1,
            _ => other += 1,
        }
    }
    assert!(band > 400 * 40 / 2, "the crawl's band: {band} blue pixels");
    assert!(text > 200, "the crawl's text: {text} light pixels");
    assert!(other < 400 * 40 / 3, "anti-aliasing at most: {other}");
    // The main zone (the whole canvas, the band being off) shows around it.
    for (x, y) in [(10, 10), (399, 149), (0, 190), (200, 199)] {
        assert_colour(&img, (x, y), RED, "the main zone around the crawl");
    }
}

#[test]
fn a_wipe_in_a_zone_stays_inside_the_zone() {
    let toml = format!(
        r##"{CANVAS}
[[zones]]
name = "side"
x = 200
y = 0
width = 200
height = 100

[[slides]]
image = "red.png"
fit = "stretch"
duration = "8s"

[[slides]]
image = "green.png"
fit = "stretch"
zone = "side"
duration = "4s"
transition = {{ kind = "wipe", duration = "2s" }}

[[slides]]
image = "magenta.png"
fit = "stretch"
zone = "side"
duration = "4s"
transition = {{ kind = "wipe", duration = "2s" }}
"##
    );
    let (_dir, p) = folder(&toml);
    // Cycles run from midnight: at 12:00:04.9 the magenta slide is wiping in, half-way.
    let img = still_at(&p, "2027-03-01 12:00:04.9");
    let ends = [pixel(&img, 203, 50), pixel(&img, 396, 50)];
    assert!(
        ends.iter().any(|&c| close(c, GREEN)) && ends.iter().any(|&c| close(c, MAGENTA)),
        "half-way through the wipe the zone shows both slides: {ends:?}"
    );
    // The main zone (the canvas less the side zone, no band) is untouched by it.
    for y in (0..200).step_by(7) {
        for x in (0..400).step_by(7) {
            if x >= 200 && y < 100 {
                continue;
            }
            assert_colour(
                &img,
                (x, y),
                RED,
                "the main zone during the side zone's wipe",
            );
        }
    }
}

#[test]
fn a_playlist_without_zones_draws_as_before_whatever_its_layouts_say() {
    let plain = r##"
[display]
width = 320
height = 120
[[slides]]
title = "文明交通"
background = "#204080"
[[slides]]
image = "red.png"
"##;
    let (dir, p) = folder(plain);
    // A layout that is not on, and a main zone where the slides already went: nothing changes.
    let with_layout = format!(
        "{plain}\n[[layouts]]\nname = \"later\"\nwhen = {{ from = \"2030-01-01\" }}\n\
         zones = [{{ name = \"main\", x = 0, y = 0, width = 320, height = 120 }}]\n"
    );
    let zoned = load(dir.path(), &with_layout);
    assert_eq!(zoned.layouts.len(), 2, "the layout and the top level's");
    for when in [
        "2027-03-01 12:00:01",
        "2027-03-01 12:00:08.3",
        "2027-03-01 12:00:12",
    ] {
        let before = still_at(&p, when);
        let after = still_at(&zoned, when);
        let differing = before
            .pixels()
            .zip(after.pixels())
            .filter(|(a, b)| a != b)
            .count();
        assert_eq!(differing, 0, "{differing} pixels differ at {when}");
    }
}

/// An injected clock: the moment `s` seconds after `start`, by both clocks.
fn clock(start: &str) -> impl Fn(f64) -> Moment {
    let start = at(&start.replace('T', " "));
    let mono = std::time::Instant::now();
    move |s| Moment {
        wall: start + chrono::Duration::milliseconds((s * 1000.0) as i64),
        mono: mono + std::time::Duration::from_secs_f64(s),
    }
}

fn show(player: &mut Player, now: Moment) -> RgbaImage {
    let f = player.begin_frame(now);
    player.draw(&f, None, now);
    player.renderer().read_canvas().unwrap()
}

#[test]
fn zones_cycle_on_their_own_and_a_following_zone_changes_with_its_leader() {
    let toml = &(small_wall(300)
        + r##"
[[zones]]
name = "main"
x = 0
y = 0
width = 100
height = 100

[[zones]]
name = "clock"
x = 100
y = 0
width = 100
height = 100

[[zones]]
name = "caption"
x = 200
y = 0
width = 100
height = 100
follows = "main"

[[slides]]
image = "red.png"
duration = "4s"
[[slides]]
image = "white.png"
duration = "4s"

[[slides]]
image = "green.png"
zone = "clock"
duration = "3s"
[[slides]]
image = "blue.png"
zone = "clock"
duration = "3s"

[[slides]]
image = "yellow.png"
zone = "caption"
[[slides]]
image = "magenta.png"
zone = "caption"
"##);
    let (_dir, p) = folder(toml);
    let at = clock("2027-03-01T12:00:00");
    let r = Renderer::new(&gpu(), Fonts::BundledOnly, &p);
    let mut player = Player::new(r, p, None, 60.0, at(0.0));
    // Cycles run from midnight: main 4 s + 4 s, the clock zone 3 s + 3 s.
    for (s, main, own, following) in [
        (0.5, RED, GREEN, YELLOW),
        (3.5, RED, BLUE, YELLOW),
        (5.0, WHITE, BLUE, MAGENTA),
        (6.5, WHITE, GREEN, MAGENTA),
        (8.5, RED, GREEN, YELLOW),
    ] {
        let img = show(&mut player, at(s));
        assert_colour(&img, (50, 50), main, &format!("main zone at {s} s"));
        assert_colour(&img, (150, 50), own, &format!("clock zone at {s} s"));
        assert_colour(&img, (250, 50), following, &format!("caption at {s} s"));
    }
    // A zone that holds still asks for nothing; one whose slide is due asks for a frame.
    let due = player.zones_due(at(8.6)).expect("zones");
    assert!(!due.draw, "nothing changes between 8.5 s and 8.6 s");
    assert!(due.wake_in.as_millis() <= 1000);
    let due = player.zones_due(at(9.1)).expect("zones");
    assert!(due.draw, "the clock zone's next slide is due at 9 s");
}

#[test]
fn a_layout_switches_at_the_main_zones_slide_start_and_back() {
    let toml = &(small_wall(300)
        + r##"
[[zones]]
name = "main"
x = 0
y = 0
width = 150
height = 100

[[zones]]
name = "clock"
x = 150
y = 0
width = 150
height = 100

[[layouts]]
name = "night"
when = { hours = ["20:00-20:01"] }
zones = [{ name = "main", x = 0, y = 0, width = 300, height = 100 }]

[[slides]]
image = "red.png"
duration = "7s"
[[slides]]
image = "white.png"
duration = "7s"

[[slides]]
image = "green.png"
zone = "clock"
duration = "1h"
"##);
    let (_dir, p) = folder(toml);
    // Main slides start every 7 s from midnight: 19:59:55, 20:00:02 … 20:00:58, 20:01:05.
    let at = clock("2027-03-01T19:59:58");
    let r = Renderer::new(&gpu(), Fonts::BundledOnly, &p);
    let mut player = Player::new(r, p, None, 60.0, at(0.0));
    let mut seen = Vec::new();
    for tenth in 0..80 {
        let s = f64::from(tenth) / 10.0;
        let img = show(&mut player, at(s));
        let right = pixel(&img, 225, 50);
        assert!(
            [RED, WHITE, GREEN].iter().any(|&c| close(c, right)),
            "at {s} s the right half is {right:?}: neither a slide nor the clock zone"
        );
        seen.push((s, close(right, GREEN)));
    }
    // The clock zone until 20:00:02 (the night layout is eligible from 20:00:00, and comes at
    // the main zone's next slide start), then the main zone across the wall.
    for (s, clock_zone) in &seen {
        assert_eq!(*clock_zone, *s < 4.0, "at {s} s after 19:59:58");
    }
    // Back at the first slide start of 20:01 (20:01:05).
    let at = clock("2027-03-01T20:01:00");
    for (s, want_clock) in [(1.0, false), (4.9, false), (5.0, true), (6.0, true)] {
        let img = show(&mut player, at(s));
        let right = pixel(&img, 225, 50);
        assert_eq!(close(right, GREEN), want_clock, "at 20:01:0{s}: {right:?}");
    }
}

#[test]
fn a_zone_playing_an_animation_draws_each_of_its_frames() {
    use image::codecs::gif::{GifEncoder, Repeat};
    use image::{Delay, Frame};
    let toml = &(small_wall(200)
        + r##"
[[zones]]
name = "anim"
x = 100
y = 0
width = 100
height = 100

[[slides]]
image = "white.png"
duration = "1h"

[[slides]]
image = "anim.gif"
zone = "anim"
duration = "1h"
"##);
    let dir = tempfile::tempdir().unwrap();
    RgbaImage::from_pixel(8, 8, Rgba([250, 250, 250, 255]))
        .save(dir.path().join("white.png"))
        .unwrap();
    // Half a second red, half a second blue.
    let mut encoder = GifEncoder::new(std::fs::File::create(dir.path().join("anim.gif")).unwrap());
    encoder.set_repeat(Repeat::Infinite).unwrap();
    let frames = [[255u8, 0, 0], [0, 0, 255]].map(|c| {
        let img = RgbaImage::from_pixel(16, 16, Rgba([c[0], c[1], c[2], 255]));
        Frame::from_parts(img, 0, 0, Delay::from_numer_denom_ms(500, 1))
    });
    encoder.encode_frames(frames).unwrap();
    drop(encoder);
    let p = load(dir.path(), toml);
    // 12:00:00 starts the hour-long slide: the animation's first frame.
    let at = clock("2027-03-01T12:00:00");
    let r = Renderer::new(&gpu(), Fonts::BundledOnly, &p);
    let mut player = Player::new(r, p, None, 60.0, at(0.0));
    // The clip decodes on a thread of its own: look until its frame is in, at most 10 s.
    let mut zone_shows = |s: f64, want: [u8; 3]| {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let img = show(&mut player, at(s));
            let got = pixel(&img, 150, 50);
            if close(got, want) {
                assert_colour(&img, (50, 50), WHITE, "the main zone beside the animation");
                return;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "at {s} s the animation zone shows {got:?}, not {want:?}"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    zone_shows(0.1, [255, 0, 0]);
    zone_shows(0.6, [0, 0, 255]);
    zone_shows(1.1, [255, 0, 0]);
}

#[test]
fn a_reload_leaves_a_zones_crawl_where_it_was() {
    let zones = &(small_wall(300)
        + r##"
[[zones]]
name = "crawl"
x = 0
y = 60
width = 300
height = 40
ticker = { text = "文明出行 礼让斑马线 垃圾分类", speed = 60, color = "#fafafa", background = "#1e1edc" }
"##);
    let (dir, before) = folder(&format!("{zones}[[slides]]\nimage = \"red.png\"\n"));
    let after = load(
        dir.path(),
        &format!("{zones}[[slides]]\nimage = \"green.png\"\n"),
    );
    let at = clock("2027-03-01T12:00:00");
    let new_player = |p: &Playlist| {
        let r = Renderer::new(&gpu(), Fonts::BundledOnly, p);
        Player::new(r, p.clone(), None, 60.0, at(0.0))
    };
    let (mut reloaded, mut steady) = (new_player(&before), new_player(&before));
    let crawl = |img: &RgbaImage| image::imageops::crop_imm(img, 0, 60, 300, 40).to_image();
    for frame in 0..=120 {
        let now = at(f64::from(frame) / 60.0);
        if frame == 90 {
            reloaded.set_playlist(after.clone(), None, now);
        }
        let (a, b) = (show(&mut reloaded, now), show(&mut steady, now));
        if frame > 90 {
            assert_colour(&a, (10, 10), GREEN, "the reloaded main zone");
            assert_colour(&b, (10, 10), RED, "the main zone without a reload");
            assert!(
                crawl(&a) == crawl(&b),
                "frame {frame}: the crawl jumped at the reload"
            );
        }
    }
}

#[test]
fn an_urgent_notice_takes_the_whole_wall_and_the_zones_come_back_after_it() {
    let toml = &(small_wall(300)
        + r##"
[[zones]]
name = "main"
x = 0
y = 0
width = 150
height = 100

[[zones]]
name = "clock"
x = 150
y = 0
width = 150
height = 100

[[slides]]
image = "red.png"
duration = "1h"

[[slides]]
image = "green.png"
zone = "clock"
duration = "1h"
"##);
    let (dir, p) = folder(toml);
    let at = clock("2027-03-01T12:00:00");
    let r = Renderer::new(&gpu(), Fonts::BundledOnly, &p);
    let mut player = Player::new(r, p, None, 60.0, at(0.0));
    let img = show(&mut player, at(1.0));
    assert_colour(&img, (225, 50), GREEN, "the clock zone before the notice");
    std::fs::write(dir.path().join("urgent.txt"), "停电通知\n今晚停电\n").unwrap();
    let notice = signage::loader::urgent::load(
        &dir.path().join("playlist.toml"),
        &player.playlist().display,
    )
    .unwrap()
    .unwrap();
    player.set_urgent(Some(notice), at(2.0));
    let img = show(&mut player, at(3.0));
    for x in [5, 145, 155, 295] {
        assert_colour(&img, (x, 5), [0xc0, 0, 0], "the notice, across every zone");
    }
    player.set_urgent(None, at(4.0));
    let img = show(&mut player, at(5.0));
    assert_colour(&img, (75, 50), RED, "the main zone after the notice");
    assert_colour(&img, (225, 50), GREEN, "the clock zone after the notice");
}
