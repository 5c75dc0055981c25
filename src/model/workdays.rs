//! Official working days: the State Council's yearly arrangement of public holidays and make-up
//! working days (调休), from tyme4rs's table, corrected or extended by the days a playlist
//! lists under `[calendar]`. Each year's arrangement is published in November of the year
//! before, so for a while a year is known to the government and the editors but not to this
//! build of the player; `[calendar]` bridges that. Pure: callers pass the date.

use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};

use crate::lang::Msg;

/// The days a playlist lists under `[calendar]`: public holidays and make-up working days, each
/// one day or a range of days. They take precedence over the built-in table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Calendar {
    /// Sorted and merged, so that a day is found by binary search however many are listed
    /// (a schedule check asks for every day of a year, for every slide).
    holidays: Vec<RangeInclusive<NaiveDate>>,
    workdays: Vec<RangeInclusive<NaiveDate>>,
}

impl Calendar {
    /// Ranges in any order, overlapping or not; a day in both lists counts as a holiday (the
    /// playlist parser refuses that).
    pub fn new(
        holidays: Vec<RangeInclusive<NaiveDate>>,
        workdays: Vec<RangeInclusive<NaiveDate>>,
    ) -> Self {
        Self {
            holidays: merged(holidays),
            workdays: merged(workdays),
        }
    }

    /// The first listed holiday within `days`, if any.
    pub fn holiday_within(&self, days: &RangeInclusive<NaiveDate>) -> Option<NaiveDate> {
        let i = self.holidays.partition_point(|r| r.end() < days.start());
        let r = self.holidays.get(i).filter(|r| r.start() <= days.end())?;
        Some(*r.start().max(days.start()))
    }

    /// The arrangement for `date`: the playlist's own days first (they carry no holiday name),
    /// then the built-in table.
    pub fn official_day(&self, date: NaiveDate) -> Option<Official> {
        if listed(&self.holidays, date) {
            return Some(Official {
                work: false,
                holiday: "",
            });
        }
        if listed(&self.workdays, date) {
            return Some(Official {
                work: true,
                holiday: "",
            });
        }
        official_table().days.get(&date).copied()
    }

    /// Whether `date` is an official working day: a make-up working day, or Monday to Friday
    /// that is not a public holiday. In a year whose arrangement is not known (see
    /// [`Calendar::knows`]), Monday to Friday.
    pub fn is_workday(&self, date: NaiveDate) -> bool {
        match self.official_day(date) {
            Some(day) => day.work,
            None => date.weekday().number_from_monday() <= 5,
        }
    }

    /// What `check` says of the listed days, when there are any.
    pub fn describe(&self) -> Option<Msg> {
        let count = |ranges: &[RangeInclusive<NaiveDate>]| -> i64 {
            ranges
                .iter()
                .map(|r| (*r.end() - *r.start()).num_days() + 1)
                .sum()
        };
        let mut years: Vec<i32> = self
            .holidays
            .iter()
            .chain(&self.workdays)
            .flat_map(|r| r.start().year()..=r.end().year())
            .collect();
        years.sort_unstable();
        years.dedup();
        let years = match years.as_slice() {
            [] => return None,
            [first, .., last] if years.len() > 3 => format!("{first}-{last}"),
            few => few
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        };
        Some(Msg::CalendarListed {
            holidays: count(&self.holidays),
            workdays: count(&self.workdays),
            years,
        })
    }

    /// Whether the arrangement of `year` is known: built in, or listed by the playlist.
    pub fn knows(&self, year: i32) -> bool {
        arrangement_known(year)
            || self
                .holidays
                .iter()
                .chain(&self.workdays)
                .any(|r| (r.start().year()..=r.end().year()).contains(&year))
    }
}

/// `ranges` sorted by their first day, with overlapping and adjacent ones joined.
fn merged(mut ranges: Vec<RangeInclusive<NaiveDate>>) -> Vec<RangeInclusive<NaiveDate>> {
    ranges.retain(|r| r.start() <= r.end());
    ranges.sort_by_key(|r| *r.start());
    let mut out: Vec<RangeInclusive<NaiveDate>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match out.last_mut() {
            Some(last) if last.end().succ_opt().is_none_or(|next| *r.start() <= next) => {
                if r.end() > last.end() {
                    *last = *last.start()..=*r.end();
                }
            }
            _ => out.push(r),
        }
    }
    out
}

/// Whether one of `ranges` (as [`merged`] leaves them) holds `date`.
fn listed(ranges: &[RangeInclusive<NaiveDate>], date: NaiveDate) -> bool {
    let after = ranges.partition_point(|r| *r.start() <= date);
    after > 0 && date <= *ranges[after - 1].end()
}

/// What the State Council's arrangement says of a day: a public holiday (rest) or a make-up
/// working day, with the holiday's name (empty for a day the playlist lists). Ordinary days are
/// not listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Official {
    pub work: bool,
    pub holiday: &'static str,
}

/// Whether the official arrangement of `year` is in the calendar data (each year's is
/// published in November of the year before).
pub fn arrangement_known(year: i32) -> bool {
    let t = official_table();
    (t.first_year..=t.last_year).contains(&year)
}

/// The last year whose arrangement is known.
pub fn last_arranged_year() -> i32 {
    official_table().last_year
}

struct OfficialTable {
    days: std::collections::HashMap<NaiveDate, Official>,
    first_year: i32,
    last_year: i32,
}

/// tyme4rs keeps the arrangements as one string of 13-character entries: the date (8 digits),
/// whether the day is worked ('0') or rested ('1'), the holiday's index, and the offset to the
/// holiday (3 characters). Read once: its own lookup compiles a regular expression per day.
fn official_table() -> &'static OfficialTable {
    use tyme4rs::tyme::holiday::{LEGAL_HOLIDAY_DATA, LEGAL_HOLIDAY_NAMES};
    static TABLE: std::sync::OnceLock<OfficialTable> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut days = std::collections::HashMap::new();
        for entry in LEGAL_HOLIDAY_DATA.as_bytes().chunks_exact(13) {
            let Ok(text) = std::str::from_utf8(entry) else {
                continue;
            };
            let (Ok(date), Some(index)) = (
                NaiveDate::parse_from_str(&text[..8], "%Y%m%d"),
                text[9..10].parse::<usize>().ok(),
            ) else {
                continue;
            };
            let holiday = LEGAL_HOLIDAY_NAMES.get(index).copied().unwrap_or("");
            let work = &text[8..9] == "0";
            days.insert(date, Official { work, holiday });
        }
        // An arrangement published in November names the next year's first days: a year counts
        // once it has a Spring Festival entry, which every year's arrangement has.
        let last_year = days
            .iter()
            .filter(|(_, d)| d.holiday == "春节")
            .map(|(date, _)| date.year())
            .max()
            .unwrap_or(0);
        let first_year = days.keys().map(|d| d.year()).min().unwrap_or(0).max(2002);
        OfficialTable {
            days,
            first_year,
            last_year,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Days, Weekday};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn span(from: &str, to: &str) -> Vec<NaiveDate> {
        d(from).iter_days().take_while(|x| *x <= d(to)).collect()
    }

    /// The State Council's notices for 2025 (国办发明电〔2024〕12号) and 2026, written out
    /// here from the notices, not from the crate: every public holiday and make-up working day.
    fn arrangement() -> (Vec<NaiveDate>, Vec<NaiveDate>) {
        let holidays = [
            ("2025-01-01", "2025-01-01"),
            ("2025-01-28", "2025-02-04"),
            ("2025-04-04", "2025-04-06"),
            ("2025-05-01", "2025-05-05"),
            ("2025-05-31", "2025-06-02"),
            ("2025-10-01", "2025-10-08"),
            ("2026-01-01", "2026-01-03"),
            ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"),
            ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"),
            ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07"),
        ];
        let make_up = [
            "2025-01-26",
            "2025-02-08",
            "2025-04-27",
            "2025-09-28",
            "2025-10-11",
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        ];
        let holidays = holidays.iter().flat_map(|(a, b)| span(a, b)).collect();
        (holidays, make_up.iter().map(|s| d(s)).collect())
    }

    #[test]
    fn every_day_of_2025_and_2026_is_a_working_day_exactly_as_the_notices_say() {
        let (holidays, make_up) = arrangement();
        for day in span("2025-01-01", "2026-12-31") {
            let weekday = day.weekday().number_from_monday() <= 5;
            let expected = make_up.contains(&day) || (weekday && !holidays.contains(&day));
            assert_eq!(
                Calendar::default().is_workday(day),
                expected,
                "{day} {:?}",
                day.weekday()
            );
        }
        assert_eq!(
            Calendar::default()
                .official_day(d("2026-02-14"))
                .map(|o| (o.work, o.holiday)),
            Some((true, "春节"))
        );
        assert_eq!(
            Calendar::default()
                .official_day(d("2025-10-08"))
                .map(|o| o.work),
            Some(false)
        );
        assert_eq!(Calendar::default().official_day(d("2026-03-02")), None);
    }

    #[test]
    fn years_without_a_published_arrangement_are_known_as_such() {
        assert!(arrangement_known(2025) && arrangement_known(2026));
        assert!(!arrangement_known(2001) && !arrangement_known(2999));
        // Meanwhile Monday to Friday: a Monday is a working day, a Saturday is not.
        let year = last_arranged_year() + 1;
        let monday = (1..=7)
            .map(|day| NaiveDate::from_ymd_opt(year, 6, day).unwrap())
            .find(|d| d.weekday() == Weekday::Mon)
            .unwrap();
        let c = Calendar::default();
        assert!(c.is_workday(monday) && !c.is_workday(monday + Days::new(5)));
    }

    #[test]
    fn days_the_playlist_lists_come_before_the_built_in_ones_and_make_a_year_known() {
        let year = last_arranged_year() + 1;
        let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap();
        // Out of order, overlapping and adjacent, as an editor may list them.
        let calendar = Calendar::new(
            vec![
                day(2, 8)..=day(2, 13),
                day(1, 1)..=day(1, 1),
                day(2, 5)..=day(2, 9),
                day(2, 6)..=day(2, 7),
            ],
            vec![day(2, 14)..=day(2, 14)],
        );
        assert!(!Calendar::default().knows(year) && calendar.knows(year));
        assert_eq!(
            calendar.describe().unwrap().to_string(),
            format!(
                "the playlist lists 10 public holiday(s) and 1 make-up working day(s) in {year}"
            )
        );
        assert_eq!(Calendar::default().describe(), None);
        assert!(!calendar.knows(year + 1));
        for d in day(2, 5).iter_days().take_while(|d| *d <= day(2, 13)) {
            assert!(!calendar.is_workday(d), "{d}");
        }
        assert!(calendar.is_workday(day(2, 14)));
        assert_eq!(
            calendar.holiday_within(&(day(2, 1)..=day(2, 6))),
            Some(day(2, 5))
        );
        assert_eq!(
            calendar.holiday_within(&(day(2, 13)..=day(2, 20))),
            Some(day(2, 13))
        );
        assert_eq!(calendar.holiday_within(&(day(2, 14)..=day(12, 31))), None);
        assert_eq!(calendar.holiday_within(&(day(1, 2)..=day(2, 4))), None);
        assert_eq!(
            calendar.official_day(day(2, 14)),
            Some(Official {
                work: true,
                holiday: ""
            })
        );
        // Days it does not list keep the weekday rule.
        let monday = (1..=7)
            .map(|n| day(3, n))
            .find(|d| d.weekday() == Weekday::Mon)
            .unwrap();
        assert!(calendar.is_workday(monday) && !calendar.is_workday(monday + Days::new(5)));
        // And a known year's day can be corrected: 2026-10-10 was a make-up working day.
        let fixed = Calendar::new(vec![d("2026-10-10")..=d("2026-10-10")], vec![]);
        assert!(
            Calendar::default().is_workday(d("2026-10-10")) && !fixed.is_workday(d("2026-10-10"))
        );
    }
}
