//! Text for editors: the `check` summary and the `schedule` table. Pure formatting.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::lang::{Msg, ZoneMsg};
use crate::model::playlist::values::format_duration_ms;
use crate::model::playlist::{ClipInfo, ClipKind, Content, Edge, Placement, Playlist, Slide};
use crate::model::schedule::{weekday_name, Festival, HourWindow};
use crate::rules::timeline::{effective_ticker_speed, Timeline};

/// The refresh rate `check` assumes when it reports the snapped ticker speed.
pub const ASSUMED_REFRESH_HZ: f64 = 60.0;

/// What `signage check` prints for a valid playlist.
pub fn check_summary(playlist: &Playlist, today: NaiveDate) -> String {
    let mut out = String::new();
    let d = &playlist.display;
    let placement = match d.placement {
        Placement::Window => Msg::PreviewWindow,
        Placement::Region { x, y } => Msg::DesktopRegion { x, y },
        Placement::Fullscreen {
            monitor: Some(monitor),
        } => Msg::FullscreenOn { monitor },
        Placement::Fullscreen { monitor: None } => Msg::FullscreenPrimary,
    };
    let canvas = Msg::Canvas {
        width: d.width,
        height: d.height,
        placement: Box::new(placement),
        background: d.background.to_string(),
    };
    let _ = writeln!(out, "{canvas}");
    let _ = writeln!(out, "{}", crate::rules::lighting::describe(d));
    if let Some(days) = playlist.calendar.describe() {
        let _ = writeln!(out, "{days}");
    }

    if playlist.layouts.is_empty() {
        let all: Vec<&Slide> = playlist.slides.iter().collect();
        slide_lines(&mut out, playlist, &all, today, "");
    } else {
        zone_lines(&mut out, playlist, today);
    }
    match &playlist.ticker {
        Some(t) => {
            let eff = effective_ticker_speed(t.speed, ASSUMED_REFRESH_HZ, t.snap_to_pixel);
            let edge = Box::new(match t.position {
                Edge::Top => Msg::Top,
                Edge::Bottom => Msg::Bottom,
            });
            let (chars, speed, band, text) =
                (t.text.chars().count(), t.speed, t.height, t.font_size);
            let line = if t.snap_to_pixel {
                let per_frame = eff / ASSUMED_REFRESH_HZ;
                let step = if per_frame >= 1.0 {
                    Msg::PixelsEveryFrame { px: per_frame }
                } else {
                    Msg::OnePixelEvery {
                        frames: (1.0 / per_frame).round(),
                    }
                };
                Msg::TickerSnapped {
                    chars,
                    speed,
                    snapped: eff,
                    hz: ASSUMED_REFRESH_HZ,
                    step: Box::new(step),
                    edge,
                    band,
                    text,
                }
            } else {
                Msg::Ticker {
                    chars,
                    speed,
                    edge,
                    band,
                    text,
                }
            };
            let _ = writeln!(out, "{line}");
        }
        None => {
            let _ = writeln!(out, "{}", Msg::TickerOff);
        }
    }
    out
}

/// The count of `slides` and a line for each, `indent`ed.
fn slide_lines(
    out: &mut String,
    playlist: &Playlist,
    slides: &[&Slide],
    today: NaiveDate,
    indent: &str,
) {
    let always: Vec<_> = slides.iter().filter(|s| s.when.is_none()).collect();
    let cycle: u64 = always.iter().map(|s| s.duration_ms).sum();
    let count = Msg::SlidesCount {
        count: slides.len(),
        always: always.len(),
        cycle: format_duration_ms(cycle),
        scheduled: slides.len() - always.len(),
    };
    let _ = writeln!(out, "{indent}{count}");
    for s in slides {
        let next = s.when.as_ref().and_then(|w| {
            (0..=400)
                .filter_map(|i| today.checked_add_days(Days::new(i)))
                .find(|day| w.matches_date(*day, &playlist.calendar))
        });
        let when = match (&s.when, next) {
            (None, _) => Msg::Always,
            (Some(w), Some(day)) => Msg::NextOn {
                when: Box::new(w.describe()),
                day: day.to_string(),
            },
            (Some(w), None) => Msg::NotWithin400 {
                when: Box::new(w.describe()),
            },
        };
        let when = Box::new(match s.priority {
            true => Msg::Priority {
                when: Box::new(when),
            },
            false => when,
        });
        let slide = format!("{:<20} {:>6} ", s.name, format_duration_ms(s.duration_ms));
        let line = match &s.content {
            Content::Image { image, fit } => Msg::SlideImage {
                slide,
                path: short_path(playlist, &image.path),
                fit: format!("{fit:?}"),
                when,
            },
            Content::Video { video, .. } if video.clip.kind == ClipKind::Animation => {
                Msg::SlideAnimation {
                    slide,
                    path: short_path(playlist, &video.path),
                    clip: describe_clip(&video.clip),
                    when,
                }
            }
            Content::Video { video, .. } => Msg::SlideVideo {
                slide,
                path: short_path(playlist, &video.path),
                clip: describe_clip(&video.clip),
                when,
            },
            Content::Text(t) => Msg::SlideText {
                slide,
                text: t
                    .title
                    .as_deref()
                    .or(t.body.as_deref())
                    .unwrap_or("")
                    .to_string(),
                when,
            },
        };
        let _ = writeln!(out, "{indent}  {line}");
    }
}

/// The layouts, first eligible first, each with its zones; then each zone's slides or crawl.
fn zone_lines(out: &mut String, playlist: &Playlist, today: NaiveDate) {
    let mut names: Vec<&str> = Vec::new();
    for layout in &playlist.layouts {
        let when = layout.when.as_ref().map_or(Msg::Always, |w| w.describe());
        let zones: Vec<String> = layout
            .zones
            .iter()
            .map(|z| {
                let r = z.rect;
                format!("{} {}x{} at {},{}", z.name, r.width, r.height, r.x, r.y)
            })
            .collect();
        let line = ZoneMsg::LayoutLine {
            layout: layout.name.clone(),
            when: Box::new(when),
            zones: zones.join("; "),
        };
        let _ = writeln!(out, "{}", Msg::from(line));
        for z in &layout.zones {
            if !names.contains(&z.name.as_str()) {
                names.push(&z.name);
            }
        }
    }
    for name in names {
        let zone = playlist.layouts.iter().find_map(|l| l.zone(name));
        if let Some(t) = zone.and_then(|z| z.ticker.as_ref()) {
            let crawl = ZoneMsg::CrawlLine {
                zone: name.to_string(),
                chars: t.text.chars().count(),
                speed: t.speed,
            };
            let _ = writeln!(out, "{}", Msg::from(crawl));
            continue;
        }
        let follows = zone.and_then(|z| z.follows.clone());
        let header = match follows {
            Some(leader) => ZoneMsg::ZoneFollowing {
                zone: name.to_string(),
                leader,
            },
            None => ZoneMsg::ZoneHeader {
                zone: name.to_string(),
            },
        };
        let _ = writeln!(out, "{}", Msg::from(header));
        let slides: Vec<&Slide> = playlist.slides.iter().filter(|s| s.zone == name).collect();
        slide_lines(out, playlist, &slides, today, "  ");
    }
}

/// `1920x320, 30 fps, 12.0s, H.264 High`.
fn describe_clip(clip: &ClipInfo) -> String {
    format!(
        "{}x{}, {} fps, {}, {}",
        clip.width,
        clip.height,
        clip.frames_per_second,
        format_duration_ms(clip.length_ms),
        clip.codec
    )
}

fn short_path(playlist: &Playlist, path: &std::path::Path) -> String {
    path.strip_prefix(playlist.dir())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// What `signage schedule` prints: for each day, the festival (if any) and which slides play
/// in which hours.
pub fn schedule_table(playlist: &Playlist, from: NaiveDate, days: u32) -> String {
    // Each zone cycles on its own: a timeline each (the one playlist's, without zones).
    let mut groups: Vec<(Option<&str>, Timeline)> = Vec::new();
    if playlist.layouts.is_empty() {
        groups.push((None, Timeline::new(playlist.clone())));
    }
    for layout in &playlist.layouts {
        for z in layout.zones.iter().filter(|z| z.ticker.is_none()) {
            if !groups
                .iter()
                .any(|(name, _)| *name == Some(z.name.as_str()))
            {
                let slides = crate::rules::zones::only_zone(playlist, &z.name);
                groups.push((Some(z.name.as_str()), Timeline::new(slides)));
            }
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        crate::rules::lighting::describe(&playlist.display)
    );
    for i in 0..days {
        let Some(date) = from.checked_add_days(Days::new(i.into())) else {
            break;
        };
        let festivals: Vec<&str> = Festival::on(date).map(|(name, _)| name).collect();
        let fest = if festivals.is_empty() {
            String::new()
        } else {
            format!("  [{}]", festivals.join(", "))
        };
        let official = match playlist.calendar.official_day(date) {
            Some(o) if o.work && o.holiday.is_empty() => Msg::MakeUpDay,
            Some(o) if o.work => Msg::MakeUpDayFor {
                holiday: o.holiday.to_string(),
            },
            Some(o) if o.holiday.is_empty() => Msg::PublicHoliday,
            Some(o) => Msg::PublicHolidayNamed {
                holiday: o.holiday.to_string(),
            },
            None => Msg::OrdinaryDay,
        };
        let day = Msg::Day {
            date: date.to_string(),
            weekday: weekday_name(date.weekday()).to_string(),
            festivals: fest,
            official: Box::new(official),
        };
        let _ = writeln!(out, "{day}");

        let runs = layouts_of_day(playlist, date);
        if !playlist.layouts.is_empty() {
            let layouts = runs
                .iter()
                .map(|&(on, start, end)| {
                    let name = on.map_or("-", |i| playlist.layouts[i].name.as_str());
                    format!("{name} {}", HourWindow { start, end })
                })
                .collect::<Vec<_>>()
                .join(", ");
            let line = ZoneMsg::LayoutsOfDay { layouts };
            let _ = writeln!(out, "{}", Msg::from(line));
        }
        let mut any = false;
        for (zone, timeline) in &mut groups {
            // A zone no layout of the day has plays nothing that day.
            let on = |name: &str| {
                let layouts = runs.iter().filter_map(|r| r.0);
                layouts
                    .into_iter()
                    .any(|i| playlist.layouts[i].zone(name).is_some())
            };
            if zone.is_some_and(|z| !on(z)) {
                continue;
            }
            let indent = match zone {
                Some(zone) => {
                    let line = ZoneMsg::ScheduleZone {
                        zone: zone.to_string(),
                    };
                    let _ = writeln!(out, "{}", Msg::from(line));
                    "  "
                }
                None => "",
            };
            any |= slide_hours(&mut out, timeline, date, indent);
        }
        if !any {
            let _ = writeln!(out, "    {}", Msg::NoSlidesToday);
        }
    }
    out
}

/// A line for each slide of `timeline` that plays on `date`, with its hours; whether any does.
fn slide_hours(out: &mut String, timeline: &mut Timeline, date: NaiveDate, indent: &str) -> bool {
    let segments = timeline.day_segments(date);
    let playlist = timeline.playlist();
    let mut any = false;
    for (index, slide) in playlist.slides.iter().enumerate() {
        let mut windows: Vec<(u32, u32)> = Vec::new();
        for (start, end, order) in &segments {
            if !order.contains(&index) {
                continue;
            }
            match windows.last_mut() {
                Some(last) if last.1 == *start => last.1 = *end,
                _ => windows.push((*start, *end)),
            }
        }
        if windows.is_empty() {
            continue;
        }
        any = true;
        let hours = Box::new(if windows == [(0, 1440)] {
            Msg::AllDay
        } else {
            let hours = windows
                .iter()
                .map(|&(start, end)| HourWindow { start, end }.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            Msg::Hours { hours }
        });
        let slide = format!("{:<24}", slide.name);
        let line = if playlist.slides[index].priority {
            Msg::PlaysFirst { slide, hours }
        } else {
            Msg::Plays { slide, hours }
        };
        let _ = writeln!(out, "{indent}    {line}");
    }
    any
}

/// The layouts on through `date` (by index), each with its minutes of the day.
fn layouts_of_day(playlist: &Playlist, date: NaiveDate) -> Vec<(Option<usize>, u32, u32)> {
    let mut runs: Vec<(Option<usize>, u32, u32)> = Vec::new();
    if playlist.layouts.is_empty() {
        return runs;
    }
    for minute in 0..1440u32 {
        let at = date
            .and_hms_opt(minute / 60, minute % 60, 0)
            .unwrap_or_default();
        let on = crate::rules::zones::layout_at(&playlist.layouts, at, &playlist.calendar);
        match runs.last_mut() {
            Some(run) if run.0 == on => run.2 = minute + 1,
            _ => runs.push((on, minute, minute + 1)),
        }
    }
    runs
}
