//! Live text: placeholders in slide and ticker text (`{date}`, `{time}`, `{lunar}`…) expanded
//! in the wall's local time. Pure: the caller passes the time. Lunar dates and solar terms come
//! from tyme4rs.

use std::borrow::Cow;
use std::fmt::Write;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike, Weekday};
use tyme4rs::tyme::solar::SolarDay;

use crate::lang::Msg;
use crate::model::schedule::Festival;

/// The placeholders, as an editor writes them (for messages).
pub const VALID: &str = "{date}, {time}, {weekday}, {lunar}, {solar_term}, {festival}, \
{countdown:YYYY-MM-DD}, {year}";

const NAMES: [&str; 8] = [
    "date",
    "time",
    "weekday",
    "lunar",
    "solar_term",
    "festival",
    "countdown",
    "year",
];

#[derive(Debug, Clone, PartialEq)]
enum Part<'s> {
    Text(&'s str),
    Date,
    Time,
    Weekday,
    Lunar,
    SolarTerm,
    Festival,
    Year,
    Countdown(NaiveDate),
}

/// A mistake in a text's placeholders: where in the text (bytes), what is wrong, what would be
/// right.
#[derive(Debug, Clone, PartialEq)]
pub struct Mistake {
    pub range: Range<usize>,
    pub message: Msg,
    pub help: Msg,
}

/// Whether `text` has anything to expand (a placeholder or an escaped brace).
pub fn is_live(text: &str) -> bool {
    text.contains(['{', '}'])
}

/// Every mistake in `text`'s placeholders.
pub fn check(text: &str) -> Vec<Mistake> {
    parse(text).err().unwrap_or_default()
}

/// `text` with its placeholders expanded at `at`. A text with mistakes (which `check`
/// reports) keeps them as written.
pub fn expand(text: &str, at: NaiveDateTime) -> Cow<'_, str> {
    if !is_live(text) {
        return Cow::Borrowed(text);
    }
    let Ok(parts) = parse(text) else {
        return Cow::Borrowed(text);
    };
    let date = at.date();
    let mut out = String::with_capacity(text.len() + 16);
    for part in parts {
        // Writing to a String cannot fail.
        let _ = match part {
            Part::Text(s) => out.write_str(s),
            Part::Date => write!(out, "{}年{}月{}日", date.year(), date.month(), date.day()),
            Part::Time => write!(out, "{:02}:{:02}", at.hour(), at.minute()),
            Part::Weekday => out.write_str(weekday(date.weekday())),
            Part::Lunar => out.write_str(&lunar(date)),
            Part::SolarTerm => out.write_str(&solar_term(date).unwrap_or_default()),
            Part::Festival => out.write_str(&festivals(date)),
            Part::Year => write!(out, "{}", date.year()),
            Part::Countdown(until) => write!(out, "{}", (until - date).num_days().max(0)),
        };
    }
    Cow::Owned(out)
}

/// The longest `text` reads (in characters) on any day of the coming year from `at`, at
/// `at`'s time of day: what has to fit, whatever day the lunar date or a festival name is long.
pub fn longest(text: &str, at: NaiveDateTime) -> Cow<'_, str> {
    if !is_live(text) {
        return Cow::Borrowed(text);
    }
    (0..=366)
        .filter_map(|d| at.checked_add_days(chrono::Days::new(d)))
        .map(|day| expand(text, day))
        .max_by_key(|s| s.chars().count())
        .unwrap_or(Cow::Borrowed(text))
}

fn parse(text: &str) -> Result<Vec<Part<'_>>, Vec<Mistake>> {
    let mut parts = Vec::new();
    let mut mistakes = Vec::new();
    let mut rest = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                parts.push(Part::Text(&text[rest..=i]));
                i += 2;
                rest = i;
            }
            b'{' => {
                parts.push(Part::Text(&text[rest..i]));
                let Some(len) = text[i..].find('}') else {
                    mistakes.push(Mistake {
                        range: i..i + 1,
                        message: Msg::OpensNoPlaceholder,
                        help: Msg::OpenBraceHelp {
                            valid: VALID.to_string(),
                        },
                    });
                    i += 1;
                    rest = i;
                    continue;
                };
                let range = i..i + len + 1;
                match placeholder(&text[i + 1..i + len]) {
                    Ok(part) => parts.push(part),
                    Err(mistake) => mistakes.push(Mistake {
                        range: range.clone(),
                        message: mistake.0,
                        help: mistake.1,
                    }),
                }
                i = range.end;
                rest = i;
            }
            b'}' => {
                mistakes.push(Mistake {
                    range: i..i + 1,
                    message: Msg::ClosesNoPlaceholder,
                    help: Msg::CloseBraceHelp,
                });
                i += 1;
            }
            _ => i += 1,
        }
    }
    parts.push(Part::Text(&text[rest..]));
    if mistakes.is_empty() {
        Ok(parts)
    } else {
        Err(mistakes)
    }
}

/// A placeholder's part, or what is wrong with it and what would be right (boxed: rare).
fn placeholder(inside: &str) -> Result<Part<'static>, Box<(Msg, Msg)>> {
    let (name, argument) = match inside.split_once(':') {
        Some((n, a)) => (n.trim(), Some(a.trim())),
        None => (inside.trim(), None),
    };
    let part = match (name, argument) {
        ("date", None) => Part::Date,
        ("time", None) => Part::Time,
        ("weekday", None) => Part::Weekday,
        ("lunar", None) => Part::Lunar,
        ("solar_term", None) => Part::SolarTerm,
        ("festival", None) => Part::Festival,
        ("year", None) => Part::Year,
        ("countdown", Some(date)) => {
            let until = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| {
                let date = date.to_string();
                Box::new((Msg::CountdownNotADate { date }, Msg::CountdownDateHelp))
            })?;
            Part::Countdown(until)
        }
        ("countdown", None) => {
            return Err(Box::new((Msg::CountdownNeedsDate, Msg::CountdownFormHelp)))
        }
        (name, Some(_)) if NAMES.contains(&name) => {
            let name = name.to_string();
            return Err(Box::new((
                Msg::TakesNoArgument { name: name.clone() },
                Msg::WritePlaceholderHelp { name },
            )));
        }
        _ => {
            let valid = VALID.to_string();
            let help = match crate::model::suggest::suggest(name, NAMES) {
                Some(n) => Msg::PlaceholderNearHelp {
                    near: n.to_string(),
                    valid,
                },
                None => Msg::PlaceholdersHelp { valid },
            };
            let name = inside.to_string();
            return Err(Box::new((Msg::UnknownPlaceholder { name }, help)));
        }
    };
    Ok(part)
}

pub fn weekday(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "星期一",
        Weekday::Tue => "星期二",
        Weekday::Wed => "星期三",
        Weekday::Thu => "星期四",
        Weekday::Fri => "星期五",
        Weekday::Sat => "星期六",
        Weekday::Sun => "星期日",
    }
}

/// `农历八月十五`: months 正月…腊月 (闰 before a leap month), days 初一…三十.
pub fn lunar(date: NaiveDate) -> String {
    const MONTHS: [&str; 12] = [
        "正月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "冬月",
        "腊月",
    ];
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let Some(day) = solar_day(date) else {
        return String::new();
    };
    let lunar = day.get_lunar_day();
    let month = lunar.get_lunar_month();
    let n = lunar.get_day();
    let day_name = match n {
        1..=10 => format!("初{}", if n == 10 { "十" } else { DIGITS[n] }),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        20 => "二十".to_string(),
        21..=29 => format!("廿{}", DIGITS[n - 20]),
        _ => "三十".to_string(),
    };
    let leap = if month.is_leap() { "闰" } else { "" };
    let index = month.get_month().clamp(1, 12) - 1;
    format!("农历{leap}{}{day_name}", MONTHS[index])
}

/// The solar term that begins on `date`, if one does.
pub fn solar_term(date: NaiveDate) -> Option<String> {
    use tyme4rs::tyme::Culture;
    let term_day = solar_day(date)?.get_term_day();
    (term_day.get_day_index() == 0).then(|| term_day.get_solar_term().get_name())
}

/// Today's festivals (of those a slide can be scheduled by) in Chinese, joined by 、.
pub fn festivals(date: NaiveDate) -> String {
    Festival::on(date)
        .map(|(_, f)| f.chinese())
        .collect::<Vec<_>>()
        .join("、")
}

/// tyme4rs's day, within the years its tables cover (it panics outside them).
fn solar_day(date: NaiveDate) -> Option<SolarDay> {
    (1901..=2999).contains(&date.year()).then(|| {
        SolarDay::from_ymd(
            date.year() as isize,
            date.month() as usize,
            date.day() as usize,
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn x(text: &str, when: &str) -> String {
        expand(text, at(when)).into_owned()
    }

    #[test]
    fn the_issue_s_examples() {
        let t = "2027-09-15 20:00:00";
        assert_eq!(x("{date}", t), "2027年9月15日");
        assert_eq!(x("{time}", t), "20:00");
        assert_eq!(x("{weekday}", t), "星期三");
        assert_eq!(x("{lunar}", t), "农历八月十五");
        assert_eq!(x("{festival}", t), "中秋节");
        assert_eq!(x("{year}", t), "2027");
        assert_eq!(x("{{ {time} }}", t), "{ 20:00 }");
        assert_eq!(
            x("距春节还有{countdown:2027-02-06}天", "2027-01-01 00:00:00"),
            "距春节还有36天"
        );
    }

    #[test]
    fn across_midnight_and_month_ends() {
        assert_eq!(
            x("{date} {time} {weekday}", "2026-12-31 23:59:59"),
            "2026年12月31日 23:59 星期四"
        );
        assert_eq!(
            x("{date} {time} {weekday}", "2027-01-01 00:00:00"),
            "2027年1月1日 00:00 星期五"
        );
        assert_eq!(x("{date}", "2028-02-29 12:00:00"), "2028年2月29日");
        assert_eq!(x("{date}", "2028-03-01 00:00:00"), "2028年3月1日");
        // A countdown on and after its day is 0, never negative.
        assert_eq!(x("{countdown:2027-02-06}", "2027-02-06 08:00:00"), "0");
        assert_eq!(x("{countdown:2027-02-06}", "2027-03-01 08:00:00"), "0");
    }

    // Lunar dates from a printed almanac (中国天文年历 / the Hong Kong Observatory's
    // Gregorian-lunar tables), not from the crate.
    #[test]
    fn lunar_dates_against_an_almanac() {
        for (date, expected) in [
            ("2026-02-16", "农历腊月廿九"), // 2026's New Year's Eve: a short 腊月, no 三十
            ("2026-02-17", "农历正月初一"), // Spring Festival 2026
            ("2026-03-03", "农历正月十五"), // Lantern 2026
            ("2025-07-24", "农历六月三十"), // the last day before the leap month
            ("2025-07-25", "农历闰六月初一"), // 2025's leap sixth month begins
            ("2025-08-22", "农历闰六月廿九"),
            ("2025-08-23", "农历七月初一"),
            ("2025-10-06", "农历八月十五"),   // Mid-Autumn 2025
            ("2023-03-22", "农历闰二月初一"), // 2023's leap second month
            ("2024-02-09", "农历腊月三十"),   // New Year's Eve 2024: a long 腊月
            ("2025-01-29", "农历正月初一"),
            ("2025-12-20", "农历十一月初一"),
            ("2026-01-19", "农历腊月初一"),
            ("2026-06-19", "农历五月初五"), // Dragon Boat 2026
        ] {
            let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            let expected = expected.replace("十一月", "冬月");
            assert_eq!(lunar(date), expected, "{date}");
        }
    }

    #[test]
    fn solar_terms_on_their_day_only() {
        let term = |d: &str| solar_term(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap());
        assert_eq!(term("2026-04-05").as_deref(), Some("清明"));
        assert_eq!(term("2025-12-21").as_deref(), Some("冬至"));
        assert_eq!(term("2027-02-04").as_deref(), Some("立春"));
        assert_eq!(term("2026-04-06"), None);
        assert_eq!(x("[{solar_term}]", "2026-04-06 09:00:00"), "[]");
    }

    #[test]
    fn festivals_in_chinese_and_several_on_one_day() {
        assert_eq!(x("{festival}", "2026-02-17 09:00:00"), "春节");
        assert_eq!(x("{festival}", "2026-02-16 09:00:00"), "除夕");
        assert_eq!(x("{festival}", "2026-06-19 09:00:00"), "端午节");
        assert_eq!(x("{festival}", "2020-10-01 09:00:00"), "中秋节、国庆节");
        assert_eq!(x("[{festival}]", "2026-06-18 09:00:00"), "[]");
    }

    #[test]
    fn mistakes_are_found_all_at_once_with_their_place_and_a_suggestion() {
        let text = "{tiem} and {countdown} and {date:x} and {countdown:2027-13-01} { }";
        let found = check(text);
        let at = |m: &Mistake| &text[m.range.clone()];
        assert_eq!(
            found.iter().map(at).collect::<Vec<_>>(),
            [
                "{tiem}",
                "{countdown}",
                "{date:x}",
                "{countdown:2027-13-01}",
                "{ }"
            ]
        );
        let help = found[0].help.to_string();
        assert!(help.starts_with("did you mean {time}?"), "{help}");
        assert!(help.contains(VALID));
        let unbalanced = check("a { b } c }");
        assert_eq!(unbalanced.len(), 2, "{unbalanced:?}");
        assert!(check("{open")
            .iter()
            .any(|m| m.message == Msg::OpensNoPlaceholder));
        assert!(check("{{ok}} {year}").is_empty());
    }

    #[test]
    fn plain_text_is_borrowed_and_a_text_with_mistakes_is_kept_as_written() {
        assert!(matches!(
            expand("富强 民主", at("2027-01-01 00:00:00")),
            Cow::Borrowed(_)
        ));
        assert_eq!(x("{tiem}", "2027-01-01 00:00:00"), "{tiem}");
    }
}
