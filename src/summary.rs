//! Text for editors: the `check` summary and the `schedule` table. Pure formatting.

use std::fmt::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::playlist::values::format_duration_ms;
use crate::playlist::{Content, Edge, Placement, Playlist};
use crate::schedule::{format_minute, weekday_name, Festival};
use crate::timeline::{effective_ticker_speed, Timeline};

/// The refresh rate `check` assumes when it reports the snapped ticker speed.
pub const ASSUMED_REFRESH_HZ: f64 = 60.0;

/// What `signage check` prints for a valid playlist.
pub fn check_summary(playlist: &Playlist, today: NaiveDate) -> String {
    let mut out = String::new();
    let d = &playlist.display;
    let placement = match d.placement {
        Placement::Window => "a preview window".to_string(),
        Placement::Region { x, y } => format!("the desktop region at {x},{y}"),
        Placement::Fullscreen { monitor: Some(m) } => format!("fullscreen on monitor {m}"),
        Placement::Fullscreen { monitor: None } => "fullscreen on the primary monitor".to_string(),
    };
    let _ = writeln!(
        out,
        "canvas {}x{} on {}, background {}",
        d.width, d.height, placement, d.background
    );
    let _ = writeln!(out, "{}", crate::lighting::describe(d));
    if let Some(days) = playlist.calendar.describe() {
        let _ = writeln!(out, "{days}");
    }

    let always: Vec<_> = playlist
        .slides
        .iter()
        .filter(|s| s.when.is_none())
        .collect();
    let cycle: u64 = always.iter().map(|s| s.duration_ms).sum();
    let _ = writeln!(
        out,
        "{} slides: {} always on (cycle {}), {} scheduled",
        playlist.slides.len(),
        always.len(),
        format_duration_ms(cycle),
        playlist.slides.len() - always.len(),
    );
    for s in &playlist.slides {
        let what = match &s.content {
            Content::Image { image, fit } => {
                format!("image {} ({fit:?})", short_path(playlist, &image.path))
            }
            Content::Text(t) => format!(
                "text \"{}\"",
                t.title.as_deref().or(t.body.as_deref()).unwrap_or("")
            ),
        };
        let when = s
            .when
            .as_ref()
            .map_or("always".to_string(), |w| w.to_string());
        let next = s.when.as_ref().and_then(|w| {
            (0..=400)
                .filter_map(|i| today.checked_add_days(Days::new(i)))
                .find(|day| w.matches_date(*day, &playlist.calendar))
        });
        let next = match (&s.when, next) {
            (None, _) => String::new(),
            (Some(_), Some(day)) => format!(", next on {day}"),
            (Some(_), None) => ", not within the next 400 days".to_string(),
        };
        let prio = if s.priority { " PRIORITY" } else { "" };
        let _ = writeln!(
            out,
            "  - {:<20} {:>6}  {what}; {when}{next}{prio}",
            s.name,
            format_duration_ms(s.duration_ms),
        );
    }
    match &playlist.ticker {
        Some(t) => {
            let eff = effective_ticker_speed(t.speed, ASSUMED_REFRESH_HZ, t.snap_to_pixel);
            let snapped = if t.snap_to_pixel {
                let per_frame = eff / ASSUMED_REFRESH_HZ;
                let step = if per_frame >= 1.0 {
                    format!("{per_frame} px every frame")
                } else {
                    format!("1 px every {} frames", (1.0 / per_frame).round())
                };
                format!(", snapped to {eff} px/s at {ASSUMED_REFRESH_HZ} Hz ({step})")
            } else {
                String::new()
            };
            let edge = match t.position {
                Edge::Top => "top",
                Edge::Bottom => "bottom",
            };
            let _ = writeln!(
                out,
                "ticker: {} characters at {} px/s{snapped}, {edge}, {} px band, {} px text",
                t.text.chars().count(),
                t.speed,
                t.height,
                t.font_size,
            );
        }
        None => out.push_str("ticker: off\n"),
    }
    out
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
    let mut timeline = Timeline::new(playlist.clone());
    let mut out = String::new();
    let _ = writeln!(out, "{}", crate::lighting::describe(&playlist.display));
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
            Some(o) if o.work && o.holiday.is_empty() => "  [make-up working day]".to_string(),
            Some(o) if o.work => format!("  [make-up working day, {}]", o.holiday),
            Some(o) if o.holiday.is_empty() => "  [public holiday]".to_string(),
            Some(o) => format!("  [public holiday, {}]", o.holiday),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "{date} {}{fest}{official}",
            weekday_name(date.weekday())
        );

        let segments = timeline.day_segments(date);
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
            let hours = if windows == [(0, 1440)] {
                "all day".to_string()
            } else {
                windows
                    .iter()
                    .map(|(a, b)| format!("{}-{}", format_minute(*a), format_minute(*b)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let prio = if slide.priority { "  (priority)" } else { "" };
            let _ = writeln!(out, "    {:<24} {hours}{prio}", slide.name);
        }
        if !any {
            out.push_str("    (no slides: the ticker plays over the background)\n");
        }
    }
    out
}
