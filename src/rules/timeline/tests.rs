use std::path::Path;

use chrono::NaiveDateTime;

use super::*;
use crate::loader::load_str;

fn timeline(toml: &str) -> Timeline {
    let loaded = load_str(Path::new("/nonexistent/playlist.toml"), toml);
    assert!(loaded.is_clean(), "{}", loaded.report);
    Timeline::new(loaded.playlist)
}

fn at(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").unwrap()
}

fn name(tl: &Timeline, slide: SlideRef) -> &str {
    slide.map_or("<fallback>", |i| tl.playlist().slides[i].name.as_str())
}

fn showing(tl: &mut Timeline, when: &str) -> String {
    let f = tl.frame_at(at(when));
    name(tl, f.slide).to_string()
}

const THREE: &str = r#"
[defaults]
transition = { kind = "fade", duration = "1s" }
[[slides]]
name = "a"
title = "A"
duration = "10s"
[[slides]]
name = "b"
title = "B"
duration = "5s"
[[slides]]
name = "c"
title = "C"
duration = "5s"
"#;

#[test]
fn cycles_in_order_with_each_duration() {
    let mut tl = timeline(THREE);
    let expect = [
        ("00:00:00", "a"),
        ("00:00:09.999", "a"),
        ("00:00:10", "b"),
        ("00:00:14.999", "b"),
        ("00:00:15", "c"),
        ("00:00:20", "a"),
        ("13:37:20", "a"), // 13:37:20 is a whole number of 20 s cycles after midnight
        ("13:37:31", "b"),
    ];
    for (time, slide) in expect {
        assert_eq!(
            showing(&mut tl, &format!("2026-11-25T{time}")),
            slide,
            "at {time}"
        );
    }
    let f = tl.frame_at(at("2026-11-25T00:00:12"));
    assert_eq!((f.slide_elapsed_ms, f.slide_remaining_ms), (2000, 3000));
    assert_eq!(name(&tl, f.next), "c");
}

#[test]
fn transition_progress_runs_over_the_start_of_each_slide() {
    let mut tl = timeline(THREE);
    let f = tl.frame_at(at("2026-11-25T00:00:10.250"));
    let t = f.transition.expect("b fades in over a");
    assert_eq!(name(&tl, t.from), "a");
    assert_eq!(t.kind, TransitionKind::Fade);
    assert!((t.progress - 0.25).abs() < 1e-6);
    assert!(tl.frame_at(at("2026-11-25T00:00:11")).transition.is_none());
    // The cycle wraps: a comes in over c.
    let wrap = tl.frame_at(at("2026-11-25T00:00:20.5")).transition.unwrap();
    assert_eq!(name(&tl, wrap.from), "c");
    assert_eq!(tl.frame_at(at("2026-11-25T00:00:10.5")).still_for_ms(), 0);
    assert_eq!(tl.frame_at(at("2026-11-25T00:00:12")).still_for_ms(), 3000);
}

#[test]
fn the_same_clock_gives_the_same_frame() {
    let (mut a, mut b) = (timeline(THREE), timeline(THREE));
    for s in [
        "2026-11-25T08:15:03.5",
        "2027-02-06T23:59:59",
        "2026-11-25T00:00:00",
    ] {
        // Evaluate in different orders so that caching cannot change answers.
        let _ = b.frame_at(at("2030-01-01T12:00:00"));
        assert_eq!(a.frame_at(at(s)), b.frame_at(at(s)), "at {s}");
    }
}

const WINDOWED: &str = r#"
[defaults]
transition = "cut"
[[slides]]
name = "always"
title = "x"
duration = "7s"
[[slides]]
name = "morning"
title = "x"
duration = "10s"
when = { hours = ["08:00-09:00"] }
"#;

#[test]
fn window_edges_let_the_current_slide_finish() {
    let mut tl = timeline(WINDOWED);
    // Before 08:00 only "always" plays. 08:00 is 28800 s = 4114 cycles of 7 s + 2 s, so at 08:00
    // "always" is 2 s into its 7 s: it finishes at 08:00:05, then "morning" comes in.
    assert_eq!(showing(&mut tl, "2026-11-25T07:59:59"), "always");
    assert_eq!(showing(&mut tl, "2026-11-25T08:00:04.9"), "always");
    assert_eq!(showing(&mut tl, "2026-11-25T08:00:05"), "morning");
    assert_eq!(showing(&mut tl, "2026-11-25T08:00:15"), "always");
    assert_eq!(showing(&mut tl, "2026-11-25T08:00:22"), "morning");
    assert_eq!(tl.eligible_at(at("2026-11-25T08:30:00")).len(), 2);
    // At 09:00 the window closes: (09:00 - 08:00:05) = 3595 s = 211 cycles of 17 s + 8 s, so
    // "morning" is 8 s in and finishes at 09:00:02; after that only "always" plays.
    assert_eq!(showing(&mut tl, "2026-11-25T09:00:01.9"), "morning");
    assert_eq!(
        tl.frame_at(at("2026-11-25T09:00:00")).slide_remaining_ms,
        2000
    );
    for s in ["09:00:02", "09:00:11", "09:30:00", "23:59:59"] {
        assert_eq!(
            showing(&mut tl, &format!("2026-11-25T{s}")),
            "always",
            "at {s}"
        );
    }
}

#[test]
fn a_new_day_restarts_the_plan_and_follows_dated_slides() {
    let mut tl = timeline(
        r#"
[[slides]]
name = "daily"
title = "x"
duration = "60s"
[[slides]]
name = "tomorrow"
title = "x"
duration = "60s"
when = { from = "2026-11-26" }
"#,
    );
    assert_eq!(tl.eligible_at(at("2026-11-25T23:59:59")), vec![0]);
    assert_eq!(tl.eligible_at(at("2026-11-26T00:00:00")), vec![0, 1]);
    assert_eq!(showing(&mut tl, "2026-11-26T00:00:00"), "daily");
    assert_eq!(showing(&mut tl, "2026-11-26T00:01:00"), "tomorrow");
    // The first slide of the day fades in over what yesterday ended with.
    let f = tl.frame_at(at("2026-11-26T00:00:00.1"));
    assert_eq!(
        f.transition.map(|t| t.from),
        None,
        "daily over daily is no transition"
    );
    let f = tl.frame_at(at("2026-11-27T00:00:00.1"));
    assert_eq!(name(&tl, f.slide), "daily");
    assert_eq!(
        f.transition.map(|t| name(&tl, t.from).to_string()),
        Some("tomorrow".into())
    );
}

#[test]
fn priority_slides_take_over_while_eligible() {
    let mut tl = timeline(
        r#"
[[slides]]
name = "normal"
title = "x"
[[slides]]
name = "closure"
title = "road closed"
priority = true
when = { from = "2027-03-01", until = "2027-03-03" }
"#,
    );
    assert_eq!(tl.eligible_at(at("2027-02-28T12:00:00")), vec![0]);
    for day in ["01", "02", "03"] {
        assert_eq!(
            tl.eligible_at(at(&format!("2027-03-{day}T12:00:00"))),
            vec![1]
        );
        assert_eq!(
            showing(&mut tl, &format!("2027-03-{day}T12:00:00")),
            "closure"
        );
    }
    assert_eq!(tl.eligible_at(at("2027-03-04T00:00:00")), vec![0]);
}

#[test]
fn nothing_eligible_shows_the_fallback() {
    let mut tl = timeline(
        r#"
[[slides]]
name = "evening"
title = "x"
when = { hours = ["18:00-20:00"], weekdays = ["sat", "sun"] }
"#,
    );
    let f = tl.frame_at(at("2026-11-25T12:00:00")); // a Wednesday
    assert_eq!(f.slide, None);
    assert!(f.transition.is_none());
    assert_eq!(showing(&mut tl, "2026-11-28T18:30:00"), "evening"); // Saturday
                                                                    // Coming out of the fallback, the slide fades in from the bare background.
    let f = tl.frame_at(at("2026-11-28T18:00:00.1"));
    assert_eq!(f.transition.map(|t| t.from), Some(None));
    assert_eq!(showing(&mut tl, "2026-11-28T20:00:08"), "<fallback>");
}

#[test]
fn mid_autumn_greeting_follows_the_lunar_date() {
    let mut tl = timeline(
        r#"
[[slides]]
name = "mid-autumn"
title = "中秋快乐"
when = { festival = "mid-autumn", days_before = 2, days_after = 1 }
"#,
    );
    // Mid-Autumn 2027 is 15 September (almanac): eligible 13th to 16th.
    assert_eq!(showing(&mut tl, "2027-09-12T12:00:00"), "<fallback>");
    assert_eq!(showing(&mut tl, "2027-09-13T00:00:00"), "mid-autumn");
    assert_eq!(showing(&mut tl, "2027-09-16T23:59:59"), "mid-autumn");
    assert_eq!(showing(&mut tl, "2027-09-17T00:00:00"), "<fallback>");
}

#[test]
fn ticker_distance_comes_from_the_clock_without_drift() {
    let t0 = at("2026-11-25T08:00:00").and_utc().timestamp_millis();
    let later = t0 + 10 * 365 * 86_400_000;
    for base in [t0, later] {
        // 500 ms at 120 px/s is exactly 60 px however long the player has been running,
        // snapped or not.
        assert_eq!(
            ticker_distance(base + 500, 120.0, true) - ticker_distance(base, 120.0, true),
            60.0
        );
        let smooth =
            ticker_distance(base + 500, 120.0, false) - ticker_distance(base, 120.0, false);
        assert!((smooth - 60.0).abs() < 1e-3, "{smooth}");
        // 25 ms is 3 px at 120 px/s; at 100 px/s it is 2.5 px, floored when snapped.
        assert_eq!(
            ticker_distance(base + 25, 100.0, true) - ticker_distance(base, 100.0, true),
            2.0
        );
    }
}

#[test]
fn snapping_picks_whole_steps_per_frame() {
    assert_eq!(effective_ticker_speed(120.0, 60.0, true), 120.0); // 2 px/frame
    assert_eq!(effective_ticker_speed(100.0, 60.0, true), 120.0); // 1.67 → 2 px/frame
    assert_eq!(effective_ticker_speed(80.0, 60.0, true), 60.0); // 1.33 → 1 px/frame
    assert_eq!(effective_ticker_speed(25.0, 60.0, true), 30.0); // 1 px every 2 frames
    assert_eq!(effective_ticker_speed(100.0, 60.0, false), 100.0);
    assert_eq!(effective_ticker_speed(100.0, 144.0, true), 144.0);
}

#[test]
fn a_carried_slide_finishes_then_the_plan_comes_in_over_it() {
    let mut tl = timeline(THREE);
    // After a reload at 00:00:12 the slide "c" (index 2) was on screen since 00:00:09 with 4 s
    // left: it stays until 00:00:16 although the plan says "b" is showing.
    let carry = Carry {
        slide: 2,
        started: at("2026-11-25T00:00:09"),
        until: at("2026-11-25T00:00:16"),
    };
    let mut carried = Timeline::with_carry(tl.playlist().clone(), Some(carry));
    let f = carried.frame_at(at("2026-11-25T00:00:12"));
    assert_eq!(
        (f.slide, f.slide_elapsed_ms, f.slide_remaining_ms),
        (Some(2), 3000, 4000)
    );
    assert_eq!(f.next, tl.frame_at(at("2026-11-25T00:00:16")).slide);
    // At 00:00:16 the plan shows "c" itself (15-20 s), so it simply continues.
    assert_eq!(showing(&mut carried, "2026-11-25T00:00:16.5"), "c");
    assert!(carried
        .frame_at(at("2026-11-25T00:00:16.5"))
        .transition
        .is_none());
    // Carrying "a" instead: at 00:00:16 the plan's "c" fades in over "a".
    let carry = Carry { slide: 0, ..carry };
    let mut carried = Timeline::with_carry(tl.playlist().clone(), Some(carry));
    let t = carried
        .frame_at(at("2026-11-25T00:00:16.5"))
        .transition
        .expect("a transition");
    assert_eq!((t.from, t.progress), (Some(0), 0.5));
    // Later, the plan alone.
    assert_eq!(
        carried.frame_at(at("2026-11-25T00:01:00")),
        tl.frame_at(at("2026-11-25T00:01:00"))
    );
}
