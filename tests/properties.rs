//! Properties that must hold for every input, not only the ones we thought of: the value
//! parsers, the schedule, the timeline, and a bounded fuzz run of the playlist loader.
//!
//! The fuzz run mutates the corpus and the bundled playlists (flipped, inserted, deleted,
//! duplicated and spliced bytes, truncation) and loads each result from a file, as the player
//! would. `SIGNAGE_FUZZ_CASES` sets how many (default 20 000, a few seconds).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
use proptest::prelude::*;
use signage::loader::{load, load_str};
use signage::model::playlist::values::{
    format_duration_ms, parse_color, parse_date, parse_duration_ms, parse_time_of_day, Color,
};
use signage::model::playlist::Playlist;
use signage::model::schedule::{format_minute, When};
use signage::model::workdays::Calendar;
use signage::rules::timeline::{Carry, Timeline};

// ---- value parsers -------------------------------------------------------------------------

proptest! {
    #[test]
    fn parsers_never_panic(s in ".{0,40}") {
        let _ = parse_duration_ms(&s);
        let _ = parse_color(&s);
        let _ = parse_time_of_day(&s);
        let _ = parse_date(&s);
    }

    #[test]
    fn durations_round_trip(ms in prop_oneof![1u64..1000, (1u64..100_000).prop_map(|s| s * 1000)]) {
        prop_assert_eq!(parse_duration_ms(&format_duration_ms(ms)), Ok(ms));
    }

    #[test]
    fn colours_round_trip(r: u8, g: u8, b: u8, a: u8) {
        let c = Color { r, g, b, a };
        prop_assert_eq!(parse_color(&c.to_string()), Ok(c));
    }

    #[test]
    fn times_of_day_round_trip(minute in 0u32..1440) {
        prop_assert_eq!(parse_time_of_day(&format_minute(minute)), Ok(minute));
    }

    #[test]
    fn durations_are_never_negative_or_huge(s in "[0-9.]{1,12}(ms|s|m|h)") {
        if let Ok(ms) = parse_duration_ms(&s) {
            prop_assert!(ms <= 366 * 86_400_000);
        }
    }
}

// ---- schedule ------------------------------------------------------------------------------

fn date() -> impl Strategy<Value = NaiveDate> {
    (0i64..3650).prop_map(|d| NaiveDate::from_ymd_opt(2025, 1, 1).unwrap() + Duration::days(d))
}

fn weekdays() -> impl Strategy<Value = Vec<Weekday>> {
    proptest::sample::subsequence(
        vec![
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
            Weekday::Sun,
        ],
        0..=7,
    )
}

proptest! {
    #[test]
    fn a_date_matches_exactly_when_every_condition_holds(
        from in proptest::option::of(date()),
        until in proptest::option::of(date()),
        days in weekdays(),
        day in date(),
    ) {
        let when = When { from, until, weekdays: days.clone(), ..Default::default() };
        let expected = from.is_none_or(|f| f <= day)
            && until.is_none_or(|u| day <= u)
            && (days.is_empty() || days.contains(&day.weekday()));
        prop_assert_eq!(when.matches_date(day, &Calendar::default()), expected);
    }

    #[test]
    fn a_day_the_playlist_lists_is_found_however_its_ranges_are_written(
        ranges in proptest::collection::vec((date(), 0i64..15, any::<bool>()), 0..12),
        day in date(),
    ) {
        let range = |(first, len, _): &(NaiveDate, i64, bool)| *first..=*first + Duration::days(*len);
        let (holidays, workdays): (Vec<_>, Vec<_>) = ranges.iter().partition(|r| r.2);
        let calendar = Calendar::new(
            holidays.iter().copied().map(range).collect(),
            workdays.iter().copied().map(range).collect(),
        );
        // Listed holidays first, then listed working days, then the built-in arrangement.
        let expected = if holidays.iter().any(|r| range(r).contains(&day)) {
            false
        } else if workdays.iter().any(|r| range(r).contains(&day)) {
            true
        } else {
            Calendar::default().is_workday(day)
        };
        prop_assert_eq!(calendar.is_workday(day), expected);
    }

    #[test]
    fn a_festival_window_holds_its_festival_and_nothing_outside(
        index in 0usize..17,
        year in 1902i32..2998,
        before in 0u32..=60,
        after in 0u32..=60,
    ) {
        let festival = signage::model::schedule::Festival::ALL[index].1;
        let window = signage::model::schedule::FestivalWindow { festival, days_before: before, days_after: after };
        let day = festival.date_in(year).expect("within the calendar");
        prop_assert!(window.contains(day));
        prop_assert!(window.contains(day - Duration::days(before.into())));
        prop_assert!(window.contains(day + Duration::days(after.into())));
        // The day after the window is outside it unless the next year's window reaches back.
        let outside = day + Duration::days(i64::from(after) + 1);
        let next = festival.date_in(year + 1).unwrap() - Duration::days(before.into());
        if outside < next {
            prop_assert!(!window.contains(outside));
        }
    }
}

// ---- timeline ------------------------------------------------------------------------------

/// A slide as the generator makes it: duration, an optional hours window, priority.
#[derive(Debug, Clone)]
struct Spec {
    seconds: u32,
    hours: Option<(u32, u32)>,
    priority: bool,
    weekdays: Vec<Weekday>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        1u32..30,
        proptest::option::weighted(0.4, (0u32..24, 1u32..24)),
        proptest::bool::weighted(0.1),
        proptest::option::weighted(0.2, weekdays()),
    )
        .prop_map(|(seconds, hours, priority, days)| Spec {
            seconds,
            hours,
            priority,
            weekdays: days.unwrap_or_default(),
        })
}

fn toml(specs: &[Spec]) -> String {
    let mut t = String::from("[ticker]\n");
    for (i, s) in specs.iter().enumerate() {
        t += &format!(
            "[[slides]]\nname = \"s{i}\"\ntitle = \"{i}\"\nduration = \"{}s\"\n",
            s.seconds
        );
        if s.priority {
            t += "priority = true\n";
        }
        let mut when = Vec::new();
        if let Some((a, len)) = s.hours {
            when.push(format!(
                "hours = [\"{:02}:00-{:02}:00\"]",
                a,
                (a + len) % 24
            ));
        }
        if !s.weekdays.is_empty() {
            let days: Vec<String> = s
                .weekdays
                .iter()
                .map(|d| format!("\"{}\"", signage::model::schedule::weekday_name(*d)))
                .collect();
            when.push(format!("weekdays = [{}]", days.join(", ")));
        }
        if !when.is_empty() {
            t += &format!("when = {{ {} }}\n", when.join(", "));
        }
    }
    t
}

fn playlist(specs: &[Spec]) -> Playlist {
    let loaded = load_str(Path::new("/nonexistent/p.toml"), &toml(specs));
    assert!(loaded.is_clean(), "{}\n{}", toml(specs), loaded.report);
    loaded.playlist
}

fn moment() -> impl Strategy<Value = NaiveDateTime> {
    (date(), 0i64..86_400_000)
        .prop_map(|(d, ms)| d.and_hms_opt(0, 0, 0).unwrap() + Duration::milliseconds(ms))
}

/// Slides eligible at `t` by the rules, computed without the timeline.
fn eligible(p: &Playlist, t: NaiveDateTime) -> BTreeSet<usize> {
    let all: BTreeSet<usize> = (0..p.slides.len())
        .filter(|&i| {
            p.slides[i]
                .when
                .as_ref()
                .is_none_or(|w| w.matches(t, &p.calendar))
        })
        .collect();
    let priority: BTreeSet<usize> = all
        .iter()
        .copied()
        .filter(|&i| p.slides[i].priority)
        .collect();
    if priority.is_empty() {
        all
    } else {
        priority
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// What shows is eligible now, or was when it came on (a slide finishes at an hours edge);
    /// the fallback only when nothing is eligible.
    #[test]
    fn the_timeline_shows_an_eligible_slide_or_the_fallback(
        specs in proptest::collection::vec(spec(), 1..7),
        t in moment(),
    ) {
        let p = playlist(&specs);
        let mut tl = Timeline::new(p.clone());
        let f = tl.frame_at(t);
        match f.slide {
            Some(i) => {
                prop_assert!(i < p.slides.len());
                let came_on = t - Duration::milliseconds(f.slide_elapsed_ms);
                let midnight = t.date().and_hms_opt(0, 0, 0).unwrap();
                prop_assert!(
                    eligible(&p, t).contains(&i) || eligible(&p, came_on.max(midnight)).contains(&i),
                    "slide {} at {} (on since {})", i, t, came_on
                );
            }
            None => prop_assert!(eligible(&p, t).is_empty(), "fallback while {:?} are eligible", eligible(&p, t)),
        }
        prop_assert!(f.slide_remaining_ms > 0 && f.slide_elapsed_ms >= 0);
    }

    /// Without hours, every eligible slide shows within one cycle.
    #[test]
    fn every_eligible_slide_is_visited(
        specs in proptest::collection::vec(spec(), 1..7),
        t in moment(),
    ) {
        let specs: Vec<Spec> = specs.into_iter().map(|s| Spec { hours: None, ..s }).collect();
        let p = playlist(&specs);
        let mut tl = Timeline::new(p.clone());
        let want = eligible(&p, t);
        let cycle: i64 = want.iter().map(|&i| p.slides[i].duration_ms as i64).sum();
        let midnight = t.date().and_hms_opt(23, 59, 59).unwrap();
        prop_assume!(t + Duration::milliseconds(cycle + 30_000) < midnight);
        let mut seen = BTreeSet::new();
        let mut at = t;
        while at <= t + Duration::milliseconds(cycle + 30_000) {
            let f = tl.frame_at(at);
            seen.extend(f.slide);
            at += Duration::milliseconds(f.slide_remaining_ms.max(1));
        }
        prop_assert_eq!(seen, want);
    }

    /// Taking the same playlist again, keeping the slide on screen, changes nothing on screen.
    #[test]
    fn reloading_the_same_playlist_changes_nothing(
        specs in proptest::collection::vec(spec(), 1..7),
        t in moment(),
        later in proptest::collection::vec(0i64..120_000, 1..20),
    ) {
        let p = playlist(&specs);
        let mut old = Timeline::new(p.clone());
        let f = old.frame_at(t);
        let carry = f.slide.map(|slide| Carry {
            slide,
            started: t - Duration::milliseconds(f.slide_elapsed_ms),
            until: t + Duration::milliseconds(f.slide_remaining_ms),
        });
        let mut new = Timeline::with_carry(playlist(&specs), carry);
        for dt in later {
            let at = t + Duration::milliseconds(dt);
            let (a, b) = (old.frame_at(at), new.frame_at(at));
            prop_assert_eq!(a.slide, b.slide, "at +{} ms", dt);
        }
    }

    /// Any sequence of reloads, each carrying the slide on screen by name, never points past
    /// the playlist it has.
    #[test]
    fn any_reload_sequence_leaves_no_dangling_index(
        lists in proptest::collection::vec(proptest::collection::vec(spec(), 0..6), 1..8),
        t in moment(),
        steps in proptest::collection::vec(0i64..60_000, 8),
    ) {
        let mut at = t;
        let mut tl = Timeline::new(signage::loader::fallback(Path::new("/nonexistent/p.toml")));
        for (specs, step) in lists.iter().zip(steps) {
            let f = tl.frame_at(at);
            let name = f.slide.and_then(|i| tl.playlist().slides.get(i)).map(|s| s.name.clone());
            let p = if specs.is_empty() { load_str(Path::new("/nonexistent/p.toml"), "[ticker]\n").playlist } else { playlist(specs) };
            let carry = name.and_then(|n| p.slides.iter().position(|s| s.name == n)).map(|slide| Carry {
                slide,
                started: at - Duration::milliseconds(f.slide_elapsed_ms),
                until: at + Duration::milliseconds(f.slide_remaining_ms),
            });
            tl = Timeline::with_carry(p, carry);
            at += Duration::milliseconds(step);
            let f = tl.frame_at(at);
            let len = tl.playlist().slides.len();
            prop_assert!(f.slide.is_none_or(|i| i < len));
            prop_assert!(f.next.is_none_or(|i| i < len));
            prop_assert!(f.transition.is_none_or(|t| t.from.is_none_or(|i| i < len)));
        }
    }
}

// ---- a bounded fuzz run of the loader ------------------------------------------------------

fn seeds() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/corpus/playlists"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.extend(
        [
            "playlists/default.toml",
            "playlists/examples/led-1920x320.toml",
        ]
        .map(|p| root.join(p)),
    );
    files.sort();
    files.iter().map(|f| std::fs::read(f).unwrap()).collect()
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Duplicate(usize, usize),
    Truncate(usize),
    Splice(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let interesting = prop_oneof![
        proptest::collection::vec(any::<u8>(), 1..8),
        proptest::sample::select(vec![
            b"\"".to_vec(),
            b"[".to_vec(),
            b"]]".to_vec(),
            b"=".to_vec(),
            b"\n".to_vec(),
            b"[[slides]]\n".to_vec(),
            b"1e999".to_vec(),
            b"-0".to_vec(),
            "富强".as_bytes().to_vec(),
            b"\xff\xfe".to_vec(),
            b"{".to_vec(),
            b"\"\"\"".to_vec(),
            b"99999999999999999999".to_vec(),
            b"image = \"/dev/zero\"\n".to_vec(),
            b"when = { festival = \"qixi\" }\n".to_vec(),
        ]),
    ];
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (any::<usize>(), interesting).prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Duplicate(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<usize>(), 1usize..200)
            .prop_map(|(s, i, n)| Mutation::Splice(s, i, n)),
    ]
}

fn mutate(mut bytes: Vec<u8>, seeds: &[Vec<u8>], mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Flip(i, b) if !bytes.is_empty() => bytes[i % len] ^= b | 1,
            Mutation::Insert(i, v) => {
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, v.iter().copied());
            }
            Mutation::Delete(i, n) if !bytes.is_empty() => {
                let at = i % len;
                bytes.drain(at..(at + n).min(bytes.len()));
            }
            Mutation::Duplicate(i, n) if !bytes.is_empty() => {
                let at = i % len;
                let piece: Vec<u8> = bytes[at..(at + n).min(bytes.len())].to_vec();
                bytes.splice(at..at, piece);
            }
            Mutation::Truncate(i) => bytes.truncate(i % (bytes.len() + 1)),
            Mutation::Splice(s, i, n) => {
                let other = &seeds[s % seeds.len()];
                let from = i % other.len().max(1);
                let piece = &other[from.min(other.len())..(from + n).min(other.len())];
                let at = i % (bytes.len() + 1);
                bytes.splice(at..at, piece.iter().copied());
            }
            _ => {}
        }
    }
    bytes
}

#[test]
fn fuzz_the_playlist_loader() {
    let cases: u32 = std::env::var("SIGNAGE_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seeds = seeds();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("playlist.toml");
    let started = std::time::Instant::now();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec(mutation(), 1..6),
        proptest::bool::weighted(0.05),
    );
    let counts = std::cell::Cell::new((0u32, 0u32));
    let result = runner.run(&strategy, |(seed, mutations, raw)| {
        let bytes = if raw {
            // Pure noise now and then, as a binary file saved under the playlist's name.
            mutations
                .iter()
                .flat_map(|m| format!("{m:?}").into_bytes())
                .collect()
        } else {
            mutate(seeds[seed].clone(), &seeds, &mutations)
        };
        std::fs::write(&path, &bytes).unwrap();
        let loaded = load(&path);
        // Whatever came in: a playlist that can be played, and a report that can be printed.
        let _ = loaded.report.to_string();
        let _ = loaded.report.summary_lines();
        let mut tl = Timeline::new(loaded.playlist);
        let _ = tl.frame_at(
            NaiveDate::from_ymd_opt(2027, 9, 15)
                .unwrap()
                .and_hms_opt(20, 0, 0)
                .unwrap(),
        );
        let (n, clean) = counts.get();
        counts.set((
            n + 1,
            clean + u32::from(loaded.report.diagnostics.is_empty()),
        ));
        Ok(())
    });
    let (runs, clean) = counts.get();
    eprintln!(
        "fuzz: {runs} executions in {:.1} s ({clean} loaded cleanly), no crashes",
        started.elapsed().as_secs_f64()
    );
    if let Err(e) = result {
        panic!("the loader failed on a mutated playlist: {e}");
    }
}
