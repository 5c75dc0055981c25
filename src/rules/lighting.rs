//! When the wall is lit and how brightly: `[display] on_hours` and `brightness`. Pure: the
//! caller passes the local time. Many cities require LED signs dark at night and dimmer in
//! the evening; the compositor applies the result (see `render`), content is never redrawn
//! for it.

use chrono::{NaiveDateTime, Timelike};

use crate::lang::{Msg, Steps};
use crate::model::playlist::Display;
use crate::model::schedule::{format_minute, in_windows};

/// The wall's light at a moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Light {
    /// Outside `on_hours` every pixel is black and nothing is drawn.
    pub on: bool,
    /// Scales every colour, in linear light: 1.0 is full brightness.
    pub level: f32,
}

impl Light {
    pub const FULL: Light = Light {
        on: true,
        level: 1.0,
    };
}

/// The light at `at`: off outside the on-hours (none: always on); the brightness entry in
/// force is the one with the latest `from` not after `at`, or before the day's first entry,
/// the last one of the day before.
pub fn light_at(display: &Display, at: NaiveDateTime) -> Light {
    let minute = at.hour() * 60 + at.minute();
    let on = in_windows(&display.on_hours, minute);
    let level = display
        .brightness
        .iter()
        .filter(|b| b.from <= minute)
        .max_by_key(|b| b.from)
        .or_else(|| display.brightness.iter().max_by_key(|b| b.from))
        .map_or(100, |b| b.level);
    Light {
        on,
        level: f32::from(level.min(100)) / 100.0,
    }
}

/// One line for `check` and `schedule`: when the wall is on and how bright.
pub fn describe(display: &Display) -> Msg {
    let hours: Vec<String> = display.on_hours.iter().map(ToString::to_string).collect();
    let hours = hours.join(", ");
    let mut levels = display.brightness.clone();
    levels.sort_by_key(|b| b.from);
    let steps = Steps(
        levels
            .iter()
            .map(|b| Msg::BrightnessStep {
                level: b.level,
                from: format_minute(b.from),
            })
            .collect(),
    );
    match (hours.is_empty(), steps.0.is_empty()) {
        (true, true) => Msg::DisplayAllDay,
        (true, false) => Msg::DisplayAllDayDimmed { steps },
        (false, true) => Msg::DisplayHours { hours },
        (false, false) => Msg::DisplayHoursDimmed { hours, steps },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::playlist::Brightness;
    use crate::model::schedule::HourWindow;

    fn display(on: &[(u32, u32)], levels: &[(u32, u8)]) -> Display {
        let mut d = crate::loader::load_str(std::path::Path::new("/x/p.toml"), "[ticker]\n")
            .playlist
            .display;
        d.on_hours = on
            .iter()
            .map(|&(start, end)| HourWindow { start, end })
            .collect();
        d.brightness = levels
            .iter()
            .map(|&(from, level)| Brightness { from, level })
            .collect();
        d
    }

    fn at(hm: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(&format!("2027-03-01 {hm}"), "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn dark_outside_the_on_hours() {
        let d = display(&[(7 * 60, 22 * 60)], &[]);
        assert!(!light_at(&d, at("06:59")).on);
        assert!(light_at(&d, at("07:00")).on);
        assert!(light_at(&d, at("21:59")).on);
        assert!(!light_at(&d, at("22:00")).on);
        assert!(
            light_at(&display(&[], &[]), at("03:00")).on,
            "no on_hours: always on"
        );
    }

    #[test]
    fn the_latest_brightness_entry_before_now_is_in_force_and_wraps_past_midnight() {
        let d = display(&[], &[(19 * 60, 50), (7 * 60, 100), (23 * 60, 20)]);
        assert_eq!(light_at(&d, at("07:00")).level, 1.0);
        assert_eq!(light_at(&d, at("18:59")).level, 1.0);
        assert_eq!(light_at(&d, at("19:00")).level, 0.5);
        assert_eq!(light_at(&d, at("23:30")).level, 0.2);
        // Before the day's first entry, the last one of the evening before.
        assert_eq!(light_at(&d, at("03:00")).level, 0.2);
        assert_eq!(light_at(&display(&[], &[]), at("03:00")).level, 1.0);
    }

    #[test]
    fn described_for_editors() {
        let d = display(&[(7 * 60, 22 * 60)], &[(19 * 60, 50), (7 * 60, 100)]);
        assert_eq!(
            describe(&d).to_string(),
            "display on 07:00-22:00 (black outside), brightness 100 % from 07:00, 50 % from 19:00"
        );
    }
}
