//! `when`, and `[calendar]`: dates, weekdays, hours, festivals, official working days.

use super::*;

pub(super) fn read_when(v: &Value, p: &mut Problems) -> Option<When> {
    let t = Table::new(v, p, WHEN_KEYS)?;
    let mut when = When::default();
    let mut ok = true;
    let mut date = |key: &str, p: &mut Problems| -> Option<(NaiveDate, super::reader::Span)> {
        let v = t.get(key)?;
        match date_of(&v) {
            Ok(d) => Some((d, v.span())),
            Err(msg) => {
                p.error(v.span(), msg).help(Msg::DatesHelp);
                ok = false;
                None
            }
        }
    };
    let from = date("from", p);
    let until = date("until", p);
    if let (Some((f, _)), Some((u, span))) = (&from, &until) {
        if f > u {
            let (until, from) = (u.to_string(), f.to_string());
            p.error(span.clone(), Msg::UntilBeforeFrom { until, from })
                .help(Msg::SwapDatesHelp);
            ok = false;
        }
    }
    when.from = from.map(|(d, _)| d);
    when.until = until.map(|(d, _)| d);

    if let Some(v) = t.get("weekdays") {
        if let Some(items) = v.array(p) {
            if items.is_empty() {
                let key = "weekdays".to_string();
                p.error(v.span(), Msg::EmptyNeverPlays { key })
                    .help(Msg::WeekdaysHelp);
                ok = false;
            }
            for (i, item) in items.iter().enumerate() {
                let item = Value::new(item, format!("{}[{}]", v.name, i + 1));
                match item.choice(p, WEEKDAYS) {
                    Some(day) if !when.weekdays.contains(&day) => when.weekdays.push(day),
                    Some(_) => {}
                    None => ok = false,
                }
            }
        }
    }

    if let Some(v) = t.get("hours") {
        match daily_windows(&v, p) {
            Some(windows) if windows.is_empty() => {
                let key = "hours".to_string();
                p.error(v.span(), Msg::EmptyNeverPlays { key })
                    .help(Msg::HoursHelp);
                ok = false;
            }
            Some(windows) => when.hours = windows,
            None => ok = false,
        }
    }

    let kind = |key: &str, kind: DayKind, p: &mut Problems| {
        let v = t.get(key)?;
        match v.bool(p)? {
            true => Some((kind, v.span())),
            false => {
                let key = v.name.clone();
                p.error(v.span(), Msg::FalseSaysNothing { key })
                    .help(Msg::DaysHelp);
                None
            }
        }
    };
    let workdays = kind("workdays", DayKind::Workdays, p);
    let rest_days = kind("rest_days", DayKind::RestDays, p);
    when.days = match (workdays, rest_days) {
        (Some(_), Some((_, span))) => {
            p.error(span, Msg::WorkdaysAndRestDays)
                .help(Msg::KeepOneHelp);
            ok = false;
            None
        }
        (a, b) => a.or(b).map(|(k, _)| k),
    };
    let festival = t.get("festival").and_then(|v| {
        let names: Vec<(&str, Festival)> = Festival::ALL.to_vec();
        let f = v.choice(p, &names);
        ok &= f.is_some();
        f
    });
    let days = |key: &str, p: &mut Problems| {
        let v = t.get(key)?;
        if festival.is_none() && t.raw("festival").is_none() {
            let key = v.name.clone();
            p.error(v.span(), Msg::OnlyWithFestival { key })
                .help(Msg::FestivalHelp);
        }
        v.int_in(p, 0, 60).map(|n| n as u32)
    };
    let (before, after) = (days("days_before", p), days("days_after", p));
    when.festival = festival.map(|festival| FestivalWindow {
        festival,
        days_before: before.unwrap_or(0),
        days_after: after.unwrap_or(0),
    });
    ok.then_some(when)
}

/// A date written as a TOML date (2027-03-01) or as a string ("2027-03-01").
pub(super) fn date_of(v: &Value) -> Result<NaiveDate, Msg> {
    let key = v.name.clone();
    match v.value {
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                .ok_or_else(|| Msg::NotADateArg {
                    value: dt.to_string(),
                }),
            _ => Err(Msg::MustBeDateOnly { key }),
        },
        DeValue::String(s) => parse_date(s),
        _ => Err(Msg::MustBeDate { key }),
    }
}

/// `[calendar]`: public holidays and make-up working days the playlist lists itself, for a
/// year whose arrangement this build does not carry yet, or to correct one.
pub(super) fn read_calendar(t: Option<&Table>, p: &mut Problems) -> Calendar {
    let Some(t) = t else {
        return Calendar::default();
    };
    let holidays: Vec<_> = day_ranges(t, "holidays", p)
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    let workdays = day_ranges(t, "workdays", p);
    let rest = Calendar::new(holidays.clone(), Vec::new());
    for (work, span) in &workdays {
        if let Some(day) = rest.holiday_within(work) {
            let day = day.to_string();
            p.error(span.clone(), Msg::HolidayAndWorkday { day })
                .help(Msg::MakeUpDayHelp);
        }
    }
    Calendar::new(holidays, workdays.into_iter().map(|(r, _)| r).collect())
}

/// A list of days and ranges of days (`"2027-10-01..2027-10-07"`, both ends included).
pub(super) fn day_ranges(
    t: &Table,
    key: &str,
    p: &mut Problems,
) -> Vec<(RangeInclusive<NaiveDate>, super::reader::Span)> {
    let Some(v) = t.get(key) else {
        return Vec::new();
    };
    let Some(items) = v.array(p) else {
        return Vec::new();
    };
    let mut ranges = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = Value::new(item, format!("{}[{}]", v.name, i + 1));
        let range = match item.value {
            DeValue::String(s) if s.contains("..") => {
                let (first, last) = s.split_once("..").unwrap_or((s, s));
                parse_date(first).and_then(|first| {
                    let last = parse_date(last)?;
                    if last < first {
                        Err(Msg::EndsBeforeStart {
                            value: s.to_string(),
                        })
                    } else {
                        Ok(first..=last)
                    }
                })
            }
            _ => date_of(&item).map(|day| day..=day),
        };
        match range {
            Ok(range) => ranges.push((range, item.span())),
            Err(msg) => {
                p.error(item.span(), msg).help(Msg::DayRangeHelp);
            }
        }
    }
    ranges
}

/// A list of daily windows like `["08:00-12:00", "22:00-06:00"]` (`hours`, `on_hours`), each
/// mistake reported; `None` if there was one. Whether an empty list is allowed is the caller's.
pub(super) fn daily_windows(v: &Value<'_, '_>, p: &mut Problems) -> Option<Vec<HourWindow>> {
    let items = v.array(p)?;
    let mut windows = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let item = Value::new(item, format!("{}[{}]", v.name, i + 1));
        let Some(s) = item.str(p) else {
            ok = false;
            continue;
        };
        match parse_window(s) {
            Ok(w) => windows.extend(w),
            Err(msg) => {
                p.error(item.span(), msg);
                ok = false;
            }
        }
    }
    ok.then_some(windows)
}

/// "08:00-12:00" → one window; "22:00-02:00" crosses midnight → two windows on the same date.
/// "22:00-00:00" and "22:00-24:00" both end at midnight.
pub(super) fn parse_window(s: &str) -> Result<Vec<HourWindow>, Msg> {
    let value = s.to_string();
    let (a, b) = s.split_once('-').ok_or_else(|| Msg::NotAWindow {
        value: value.clone(),
    })?;
    let time = |t: &str| {
        parse_time_of_day(t).map_err(|_| Msg::NotATimeIn {
            value: t.to_string(),
            window: value.clone(),
        })
    };
    let (start, end) = (time(a)?, time(b)?);
    if start == 1440 {
        return Err(Msg::WindowStartsAt24 { value });
    }
    let end = if end == 0 { 1440 } else { end };
    match start.cmp(&end) {
        std::cmp::Ordering::Less => Ok(vec![HourWindow { start, end }]),
        std::cmp::Ordering::Equal => Err(Msg::EmptyWindow { value }),
        std::cmp::Ordering::Greater => Ok(vec![
            HourWindow { start, end: 1440 },
            HourWindow { start: 0, end },
        ]),
    }
}
