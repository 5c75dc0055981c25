//! When a slide may play: date ranges, weekdays, daily windows and Chinese festivals.
//! Pure: no clock is read here; callers pass the local date and time.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Timelike, Weekday};
use tyme4rs::tyme::lunar::LunarDay;
use tyme4rs::tyme::solar::SolarTerm;

use crate::lang::Msg;
use crate::model::workdays::Calendar;

/// A slide's `when`: every condition that is set must hold.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct When {
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Empty means every day of the week.
    pub weekdays: Vec<Weekday>,
    /// Empty means all day.
    pub hours: Vec<HourWindow>,
    pub festival: Option<FestivalWindow>,
    /// Official working days only, or rest days only (see [`Calendar::is_workday`]).
    pub days: Option<DayKind>,
}

/// Official working days (Monday to Friday except public holidays, plus the make-up working
/// days on weekends) or the other days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Workdays,
    RestDays,
}

/// Minutes since midnight, start inclusive, end exclusive; `end` may be 1440 (24:00).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourWindow {
    pub start: u32,
    pub end: u32,
}

/// `08:00-12:00`, as editors write a window.
impl std::fmt::Display for HourWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}",
            format_minute(self.start),
            format_minute(self.end)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FestivalWindow {
    pub festival: Festival,
    pub days_before: u32,
    pub days_after: u32,
}

impl When {
    /// Whether the date conditions (range, weekday, festival, working day) hold on `date`.
    pub fn matches_date(&self, date: NaiveDate, calendar: &Calendar) -> bool {
        self.from.is_none_or(|f| date >= f)
            && self.until.is_none_or(|u| date <= u)
            && (self.weekdays.is_empty() || self.weekdays.contains(&date.weekday()))
            && self.festival.is_none_or(|f| f.contains(date))
            && self
                .days
                .is_none_or(|k| (k == DayKind::Workdays) == calendar.is_workday(date))
    }

    /// Whether the time-of-day windows admit `minute` (minutes since midnight).
    pub fn matches_minute(&self, minute: u32) -> bool {
        in_windows(&self.hours, minute)
    }

    pub fn matches(&self, at: NaiveDateTime, calendar: &Calendar) -> bool {
        self.matches_date(at.date(), calendar) && self.matches_minute(at.hour() * 60 + at.minute())
    }
}

/// Whether `minute` (since midnight) falls in one of `windows`; no windows means all day.
pub fn in_windows(windows: &[HourWindow], minute: u32) -> bool {
    windows.is_empty() || windows.iter().any(|w| w.start <= minute && minute < w.end)
}

impl FestivalWindow {
    pub fn contains(&self, date: NaiveDate) -> bool {
        // The window can straddle New Year (Spring Festival with days_before), so look at the
        // festival in the neighbouring years too.
        (date.year() - 1..=date.year() + 1).any(|year| {
            self.festival.date_in(year).is_some_and(|day| {
                let first = day.checked_sub_days(Days::new(self.days_before.into()));
                let last = day.checked_add_days(Days::new(self.days_after.into()));
                first.is_some_and(|f| f <= date) && last.is_some_and(|l| date <= l)
            })
        })
    }
}

/// The festivals a slide can be scheduled by. Lunar dates and solar terms come from tyme4rs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Festival {
    NewYear,
    SpringFestivalEve,
    SpringFestival,
    Lantern,
    LeiFengDay,
    Qingming,
    LabourDay,
    YouthDay,
    DragonBoat,
    ChildrensDay,
    PartyDay,
    ArmyDay,
    Qixi,
    TeachersDay,
    MidAutumn,
    NationalDay,
    DoubleNinth,
}

impl Festival {
    /// The festivals that fall on `date`, with their names as a playlist writes them.
    pub fn on(date: NaiveDate) -> impl Iterator<Item = (&'static str, Festival)> {
        Festival::ALL
            .into_iter()
            .filter(move |(_, f)| f.date_in(date.year()) == Some(date))
    }

    pub const ALL: [(&'static str, Festival); 17] = [
        ("new-year", Festival::NewYear),
        ("spring-festival-eve", Festival::SpringFestivalEve),
        ("spring-festival", Festival::SpringFestival),
        ("lantern", Festival::Lantern),
        ("lei-feng-day", Festival::LeiFengDay),
        ("qingming", Festival::Qingming),
        ("labour-day", Festival::LabourDay),
        ("youth-day", Festival::YouthDay),
        ("dragon-boat", Festival::DragonBoat),
        ("childrens-day", Festival::ChildrensDay),
        ("party-day", Festival::PartyDay),
        ("army-day", Festival::ArmyDay),
        ("qixi", Festival::Qixi),
        ("teachers-day", Festival::TeachersDay),
        ("mid-autumn", Festival::MidAutumn),
        ("national-day", Festival::NationalDay),
        ("double-ninth", Festival::DoubleNinth),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("?", |(n, _)| n)
    }

    /// The festival's name in Chinese, as `{festival}` writes it.
    pub fn chinese(self) -> &'static str {
        match self {
            Festival::NewYear => "元旦",
            Festival::SpringFestivalEve => "除夕",
            Festival::SpringFestival => "春节",
            Festival::Lantern => "元宵节",
            Festival::LeiFengDay => "学雷锋纪念日",
            Festival::Qingming => "清明节",
            Festival::LabourDay => "劳动节",
            Festival::YouthDay => "青年节",
            Festival::DragonBoat => "端午节",
            Festival::ChildrensDay => "儿童节",
            Festival::PartyDay => "建党节",
            Festival::ArmyDay => "建军节",
            Festival::Qixi => "七夕节",
            Festival::TeachersDay => "教师节",
            Festival::MidAutumn => "中秋节",
            Festival::NationalDay => "国庆节",
            Festival::DoubleNinth => "重阳节",
        }
    }

    /// The Gregorian date of this festival in `year`, or `None` outside the years the
    /// calendar library covers.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        // tyme4rs panics outside its tables; these bounds are well inside them.
        if !(1901..=2999).contains(&year) {
            return None;
        }
        let fixed = |m, d| NaiveDate::from_ymd_opt(year, m, d);
        let lunar = |m: isize, d: usize| {
            let solar = LunarDay::from_ymd(year as isize, m, d).get_solar_day();
            NaiveDate::from_ymd_opt(
                solar.get_year() as i32,
                solar.get_month() as u32,
                solar.get_day() as u32,
            )
        };
        match self {
            Festival::NewYear => fixed(1, 1),
            Festival::SpringFestival => lunar(1, 1),
            Festival::SpringFestivalEve => lunar(1, 1)?.pred_opt(),
            Festival::Lantern => lunar(1, 15),
            Festival::LeiFengDay => fixed(3, 5),
            Festival::Qingming => {
                let day = SolarTerm::from_name(year as isize, "清明").get_solar_day();
                NaiveDate::from_ymd_opt(
                    day.get_year() as i32,
                    day.get_month() as u32,
                    day.get_day() as u32,
                )
            }
            Festival::LabourDay => fixed(5, 1),
            Festival::YouthDay => fixed(5, 4),
            Festival::DragonBoat => lunar(5, 5),
            Festival::ChildrensDay => fixed(6, 1),
            Festival::PartyDay => fixed(7, 1),
            Festival::ArmyDay => fixed(8, 1),
            Festival::Qixi => lunar(7, 7),
            Festival::TeachersDay => fixed(9, 10),
            Festival::MidAutumn => lunar(8, 15),
            Festival::NationalDay => fixed(10, 1),
            Festival::DoubleNinth => lunar(9, 9),
        }
    }
}

pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

pub fn format_minute(m: u32) -> String {
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl When {
    /// A compact description for `check`, `schedule` and contact-sheet labels: dates, weekdays
    /// and hours as written, and which days count in the editor's language.
    pub fn describe(&self) -> Msg {
        let mut before = Vec::new();
        if let Some(fw) = &self.festival {
            let mut s = fw.festival.name().to_string();
            if fw.days_before > 0 {
                s += &format!(" -{}d", fw.days_before);
            }
            if fw.days_after > 0 {
                s += &format!(" +{}d", fw.days_after);
            }
            before.push(s);
        }
        match (self.from, self.until) {
            (Some(a), Some(b)) => before.push(format!("{a}..{b}")),
            (Some(a), None) => before.push(format!("from {a}")),
            (None, Some(b)) => before.push(format!("until {b}")),
            (None, None) => {}
        }
        if !self.weekdays.is_empty() {
            let days: Vec<_> = self.weekdays.iter().map(|w| weekday_name(*w)).collect();
            before.push(days.join(","));
        }
        let hours: Vec<_> = self.hours.iter().map(HourWindow::to_string).collect();
        let hours = hours.join(",");
        let days = match self.days {
            Some(DayKind::Workdays) => Msg::WorkingDays,
            Some(DayKind::RestDays) => Msg::RestDays,
            None if before.is_empty() && hours.is_empty() => return Msg::Always,
            None => Msg::AnyDay,
        };
        // The parts are joined by spaces, the word for the days among them.
        let counts = days != Msg::AnyDay;
        let mut before = before.join(" ");
        if !before.is_empty() && (counts || !hours.is_empty()) {
            before.push(' ');
        }
        let after = match counts && !hours.is_empty() {
            true => format!(" {hours}"),
            false => hours,
        };
        Msg::When {
            before,
            days: Box::new(days),
            after,
        }
    }
}

impl std::fmt::Display for When {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.describe().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Dates from published almanacs (the State Council's holiday notices and the Purple
    /// Mountain Observatory's calendar), not from the calendar crate under test.
    #[test]
    fn lunar_festivals_match_the_almanac_2024_to_2030() {
        let table: &[(Festival, [&str; 7])] = &[
            (
                Festival::SpringFestival,
                [
                    "2024-02-10",
                    "2025-01-29",
                    "2026-02-17",
                    "2027-02-06",
                    "2028-01-26",
                    "2029-02-13",
                    "2030-02-03",
                ],
            ),
            (
                Festival::SpringFestivalEve,
                [
                    "2024-02-09",
                    "2025-01-28",
                    "2026-02-16",
                    "2027-02-05",
                    "2028-01-25",
                    "2029-02-12",
                    "2030-02-02",
                ],
            ),
            (
                Festival::Lantern,
                [
                    "2024-02-24",
                    "2025-02-12",
                    "2026-03-03",
                    "2027-02-20",
                    "2028-02-09",
                    "2029-02-27",
                    "2030-02-17",
                ],
            ),
            (
                Festival::Qingming,
                [
                    "2024-04-04",
                    "2025-04-04",
                    "2026-04-05",
                    "2027-04-05",
                    "2028-04-04",
                    "2029-04-04",
                    "2030-04-05",
                ],
            ),
            (
                Festival::DragonBoat,
                [
                    "2024-06-10",
                    "2025-05-31",
                    "2026-06-19",
                    "2027-06-09",
                    "2028-05-28",
                    "2029-06-16",
                    "2030-06-05",
                ],
            ),
            (
                Festival::Qixi,
                [
                    "2024-08-10",
                    "2025-08-29",
                    "2026-08-19",
                    "2027-08-08",
                    "2028-08-26",
                    "2029-08-16",
                    "2030-08-05",
                ],
            ),
            (
                Festival::MidAutumn,
                [
                    "2024-09-17",
                    "2025-10-06",
                    "2026-09-25",
                    "2027-09-15",
                    "2028-10-03",
                    "2029-09-22",
                    "2030-09-12",
                ],
            ),
            (
                Festival::DoubleNinth,
                [
                    "2024-10-11",
                    "2025-10-29",
                    "2026-10-18",
                    "2027-10-08",
                    "2028-10-26",
                    "2029-10-16",
                    "2030-10-05",
                ],
            ),
        ];
        for (festival, dates) in table {
            for (i, expected) in dates.iter().enumerate() {
                let year = 2024 + i as i32;
                assert_eq!(
                    festival.date_in(year),
                    Some(d(expected)),
                    "{festival:?} {year}"
                );
            }
        }
    }

    #[test]
    fn fixed_festivals() {
        assert_eq!(Festival::LeiFengDay.date_in(2027), Some(d("2027-03-05")));
        assert_eq!(Festival::NationalDay.date_in(2026), Some(d("2026-10-01")));
        assert_eq!(Festival::TeachersDay.date_in(2026), Some(d("2026-09-10")));
        assert_eq!(Festival::PartyDay.date_in(2026), Some(d("2026-07-01")));
    }

    #[test]
    fn festival_window_straddles_new_year() {
        // Spring Festival 2025 is on 29 January; 30 days before reaches into 2024.
        let w = FestivalWindow {
            festival: Festival::SpringFestival,
            days_before: 30,
            days_after: 0,
        };
        assert!(w.contains(d("2024-12-31")));
        assert!(!w.contains(d("2024-12-29")));
        assert!(w.contains(d("2025-01-29")));
        assert!(!w.contains(d("2025-01-30")));
    }

    #[test]
    fn all_conditions_must_hold() {
        let when = When {
            from: Some(d("2026-01-01")),
            until: Some(d("2026-12-31")),
            weekdays: vec![Weekday::Mon],
            hours: vec![HourWindow {
                start: 8 * 60,
                end: 12 * 60,
            }],
            festival: None,
            days: None,
        };
        let at = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S").unwrap();
        let c = Calendar::default();
        assert!(when.matches(at("2026-11-23T08:00:00"), &c)); // a Monday
        assert!(!when.matches(at("2026-11-23T12:00:00"), &c)); // window end is exclusive
        assert!(!when.matches(at("2026-11-24T09:00:00"), &c)); // Tuesday
        assert!(!when.matches(at("2027-11-22T09:00:00"), &c)); // Monday, after `until`
    }

    #[test]
    fn workdays_and_rest_days_in_when() {
        let at = |s: &str| d(s).and_hms_opt(9, 0, 0).unwrap();
        let c = Calendar::default();
        let work = When {
            days: Some(DayKind::Workdays),
            ..Default::default()
        };
        let rest = When {
            days: Some(DayKind::RestDays),
            ..Default::default()
        };
        // A Saturday worked to make up for the Spring Festival, and a Monday of it.
        assert!(work.matches(at("2026-02-14"), &c) && !rest.matches(at("2026-02-14"), &c));
        assert!(!work.matches(at("2026-02-16"), &c) && rest.matches(at("2026-02-16"), &c));
        assert_eq!(work.to_string(), "working days");
    }
}
