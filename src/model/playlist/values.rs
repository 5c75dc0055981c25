//! Parsers for the small value languages in a playlist: durations, colours, dates and times.
//! Each returns a message that says what is wrong and how to write it right.

use chrono::NaiveDate;

use crate::lang::Msg;

/// An sRGB colour with straight (not premultiplied) alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Color {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

impl Color {
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    pub const WHITE: Color = Color::rgb(255, 255, 255);
    pub const TRANSPARENT: Color = Color {
        r: 0,
        g: 0,
        b: 0,
        a: 0,
    };

    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Self { r, g, b, a: 255 }
    }

    /// Linear-light RGBA in 0..1, as GPU blending on an sRGB target expects.
    pub fn to_linear(self) -> [f32; 4] {
        fn lin(c: u8) -> f32 {
            let c = c as f32 / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        [lin(self.r), lin(self.g), lin(self.b), self.a as f32 / 255.0]
    }
}

impl std::fmt::Display for Color {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.r, self.g, self.b)?;
        if self.a != 255 {
            write!(f, "{:02x}", self.a)?;
        }
        Ok(())
    }
}

pub fn parse_color(s: &str) -> Result<Color, Msg> {
    let hex = s.strip_prefix('#').ok_or_else(|| color_help(s))?;
    let byte = |i: usize| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("x"), 16);
    if !hex.is_ascii() || !(hex.len() == 6 || hex.len() == 8) {
        return Err(color_help(s));
    }
    let (r, g, b) = (byte(0), byte(2), byte(4));
    let a = if hex.len() == 8 { byte(6) } else { Ok(255) };
    match (r, g, b, a) {
        (Ok(r), Ok(g), Ok(b), Ok(a)) => Ok(Color { r, g, b, a }),
        _ => Err(color_help(s)),
    }
}

fn color_help(s: &str) -> Msg {
    Msg::NotAColour {
        value: s.to_string(),
    }
}

/// Durations as editors write them: "8s", "1m30s", "500ms", "1.5s", "2h".
pub fn parse_duration_ms(s: &str) -> Result<u64, Msg> {
    let help = || Msg::NotADuration {
        value: s.to_string(),
    };
    let text = s.trim();
    if text.is_empty() {
        return Err(help());
    }
    let mut rest = text;
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..num_len].parse().map_err(|_| help())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match rest[..unit_len].trim() {
            "ms" => 1.0,
            "s" => 1_000.0,
            "m" | "min" => 60_000.0,
            "h" => 3_600_000.0,
            _ => return Err(help()),
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    if !total.is_finite() || total > 366.0 * 86_400_000.0 {
        return Err(Msg::DurationTooLong {
            value: s.to_string(),
        });
    }
    Ok(total.round() as u64)
}

/// Minutes since midnight, "HH:MM" from "00:00" to "24:00".
pub fn parse_time_of_day(s: &str) -> Result<u32, Msg> {
    let help = || Msg::NotATime {
        value: s.to_string(),
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(help)?;
    let (h, m): (u32, u32) = (
        h.parse().map_err(|_| help())?,
        m.parse().map_err(|_| help())?,
    );
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(help());
    }
    Ok(h * 60 + m)
}

pub fn parse_date(s: &str) -> Result<NaiveDate, Msg> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| Msg::NotADate {
        value: s.to_string(),
    })
}

pub fn format_duration_ms(ms: u64) -> String {
    if ms % 1000 != 0 {
        return if ms > 1000 {
            format!("{:.1}s", ms as f64 / 1000.0)
        } else {
            format!("{ms}ms")
        };
    }
    let s = ms / 1000;
    match (s / 3600, s % 3600 / 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s}s"),
        (h, m, s) => format!("{h}h{m}m{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("8s"), Ok(8000));
        assert_eq!(parse_duration_ms("1m30s"), Ok(90_000));
        assert_eq!(parse_duration_ms("500ms"), Ok(500));
        assert_eq!(parse_duration_ms("1.5s"), Ok(1500));
        assert_eq!(parse_duration_ms("2h"), Ok(7_200_000));
        for bad in ["", "8", "8 sec", "s", "-1s", "1x"] {
            assert!(
                parse_duration_ms(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn colours() {
        assert_eq!(parse_color("#ffd700"), Ok(Color::rgb(255, 215, 0)));
        assert_eq!(parse_color("#00000080").map(|c| c.a), Ok(128));
        for bad in ["ffd700", "#ffd70", "#gg0000", "#ffd7000", "#中文中"] {
            assert!(parse_color(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn times() {
        assert_eq!(parse_time_of_day("07:30"), Ok(450));
        assert_eq!(parse_time_of_day("24:00"), Ok(1440));
        for bad in ["7", "24:01", "12:60", "ab:cd"] {
            assert!(
                parse_time_of_day(bad).is_err(),
                "{bad:?} should be rejected"
            );
        }
    }

    #[test]
    fn duration_formatting_round_trips() {
        for ms in [500, 8000, 90_000, 600_000, 3_723_000] {
            assert_eq!(parse_duration_ms(&format_duration_ms(ms)), Ok(ms));
        }
    }
}
