//! A month on the wall in under a minute: the player (timeline, playhead, residency, renderer)
//! driven by an injected clock for 30 days, drawing a frame offscreen every simulated minute,
//! taking a reload every simulated hour (slides added and removed, images replaced under the
//! same name), with the wall clock set forward and back along the way. It must not panic or
//! drift, must show each festival slide on its day, and must end with the memory it started
//! with.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime};
use signage::loader::load;
use signage::model::playlist::Playlist;
use signage::player::Player;
use signage::render::{Fonts, Renderer};
use signage::rules::playhead::Moment;
use signage::rules::timeline::Timeline;
use signage::system::stats::resident_mib;

const DAYS: i64 = 30;

/// Hour `h` of the simulation: a different playlist each time, 2 to 9 slides, images rewritten.
fn write_playlist(dir: &Path, hour: i64) {
    let slides = 2 + (hour * 7 % 8) as usize;
    let mut toml = String::from(
        "[display]\nwidth = 96\nheight = 32\nbackground = \"#101010\"\n\
         [ticker]\ntext = \"富强 民主\"\nspeed = 120\nheight = 8\nfont_size = 6\n",
    );
    for i in 0..slides {
        let name = format!("img{}.png", i % 3);
        if i < 3 {
            // Replaced under the same name every hour: a new file, new pixels.
            let shade = ((hour * 31 + i as i64 * 70) % 200 + 40) as u8;
            image::RgbaImage::from_pixel(24, 8, image::Rgba([shade, 80, 255 - shade, 255]))
                .save(dir.join(&name))
                .unwrap();
        }
        if i % 2 == 0 {
            toml += &format!(
                "[[slides]]\nname = \"picture {i}\"\nimage = \"{name}\"\nbackground = \"#203040\"\nduration = \"{}s\"\n",
                5 + i * 3
            );
        } else {
            toml += &format!(
                "[[slides]]\nname = \"text {i}\"\ntitle = \"第{i}条\"\nbackground = \"#402020\"\nduration = \"{}s\"\ntransition = \"fade\"\n",
                4 + i * 2
            );
        }
    }
    toml += "[[slides]]\nname = \"national day\"\ntitle = \"国庆\"\nbackground = \"#c00000\"\nduration = \"6s\"\nwhen = { festival = \"national-day\" }\n";
    toml += "[[slides]]\nname = \"double ninth\"\ntitle = \"重阳\"\nbackground = \"#c08000\"\nduration = \"6s\"\nwhen = { festival = \"double-ninth\", hours = [\"08:00-20:00\"] }\n";
    std::fs::write(dir.join("playlist.toml"), toml).unwrap();
}

fn loaded(dir: &Path) -> Playlist {
    let l = load(&dir.join("playlist.toml"));
    assert!(l.is_clean(), "{}", l.report);
    l.playlist
}

#[test]
fn a_simulated_month_of_reloads_and_clock_jumps() {
    let dir = tempfile::tempdir().unwrap();
    write_playlist(dir.path(), 0);
    let start_wall: NaiveDateTime = NaiveDate::from_ymd_opt(2027, 9, 20)
        .unwrap()
        .and_hms_opt(0, 0, 30)
        .unwrap();
    let start_mono = Instant::now();
    let gpu = common::gpu();
    let first = loaded(dir.path());
    let renderer = Renderer::new(&gpu, Fonts::BundledOnly, &first);
    let at = |wall: NaiveDateTime, mono_s: i64| Moment {
        wall,
        mono: start_mono + Duration::from_secs(mono_s as u64),
    };
    let mut player = Player::new(renderer, first, None, 60.0, at(start_wall, 0));
    let base_ticker = player.playhead().ticker_now();

    // Wall-clock corrections: (minute of the simulation, seconds the wall clock is set by).
    let jumps = [
        (5 * 1440 + 7, 3600),
        (11 * 1440 + 600, -3600),
        (17 * 1440 + 3, -86_400),
        (23 * 1440 + 900, 86_400 + 45),
    ];
    let mut wall_offset = chrono::Duration::zero();
    let mut festivals_seen: BTreeSet<(String, NaiveDate)> = BTreeSet::new();
    let mut rss_after_first_day = None;
    let mut reference = Timeline::new(player.playlist().clone());
    let mut carried_until = None;
    let started = Instant::now();
    let minutes = DAYS * 1440;
    for minute in 1..=minutes {
        if let Some((_, by)) = jumps.iter().find(|(m, _)| *m == minute) {
            wall_offset += chrono::Duration::seconds(*by);
        }
        let wall = start_wall + chrono::Duration::minutes(minute) + wall_offset;
        let now = at(wall, minute * 60);
        if minute % 60 == 0 {
            write_playlist(dir.path(), minute / 60);
            let p = loaded(dir.path());
            reference = Timeline::new(p.clone());
            player.set_playlist(p, None, now);
            // The slide on screen may finish first: the plan applies once it is off.
            carried_until = Some(wall + chrono::Duration::seconds(60));
        }
        player.follow_clock(now);
        let frame = player.begin_frame(now);
        player.draw(&frame, None, now);
        let len = player.playlist().slides.len();
        assert!(frame.slide.is_none_or(|i| i < len), "minute {minute}");
        // No drift: the player shows what the pure timeline says for this wall time.
        if carried_until.is_none_or(|until| wall > until) {
            assert_eq!(
                frame.slide,
                reference.frame_at(wall).slide,
                "minute {minute} at {wall}: the player and the timeline disagree"
            );
        }
        if let Some(name) = player.shown_name() {
            if name == "national day" || name == "double ninth" {
                festivals_seen.insert((name.to_string(), wall.date()));
            }
        }
        if minute % 240 == 0 {
            // What the wall shows: never black, never the bare background where a slide plays.
            let img = player.renderer().read_canvas().unwrap();
            let centre = img.get_pixel(48, 12);
            assert!(
                centre[0] > 24 || centre[1] > 24 || centre[2] > 24,
                "minute {minute}: black"
            );
        }
        if minute == 1440 {
            rss_after_first_day = resident_mib();
        }
    }
    let elapsed = started.elapsed();

    // The ticker moved exactly 2 px (120 px/s at 60 Hz) for every frame period of the
    // monotonic month, whatever the wall clock did.
    let frames = (minutes * 60 * 60) as f64;
    assert_eq!(player.playhead().ticker_now() - base_ticker, 2.0 * frames);

    // National Day is 2027-10-01; the Double Ninth 2027-10-08 (in its hours only). While the
    // wall clock was a day behind (simulated days 17 to 23), Oct 8 came a day later, once.
    let expected: BTreeSet<(String, NaiveDate)> = [
        (
            "national day",
            NaiveDate::from_ymd_opt(2027, 10, 1).unwrap(),
        ),
        (
            "double ninth",
            NaiveDate::from_ymd_opt(2027, 10, 8).unwrap(),
        ),
    ]
    .into_iter()
    .map(|(n, d)| (n.to_string(), d))
    .collect();
    assert_eq!(
        festivals_seen, expected,
        "each festival slide on its day, and only then"
    );

    let (held, budget) = player.resident_bytes();
    assert!(
        held <= budget,
        "resident slides {held} within the budget {budget}"
    );
    let rss_end = resident_mib();
    eprintln!(
        "soak: {DAYS} simulated days in {:.1} s ({:.0} days per minute); RSS after day 1 {:.1} MiB, at the end {:.1} MiB",
        elapsed.as_secs_f64(),
        DAYS as f64 / elapsed.as_secs_f64() * 60.0,
        rss_after_first_day.unwrap_or(0.0),
        rss_end.unwrap_or(0.0)
    );
    if let (Some(a), Some(b)) = (rss_after_first_day, rss_end) {
        assert!(
            b <= a * 1.05 + 2.0,
            "memory grew from {a:.1} MiB to {b:.1} MiB"
        );
    }
}
