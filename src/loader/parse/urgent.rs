//! `urgent.toml`: the notice's keys, read like a slide, and `until`.

use super::*;

/// The keys an urgent notice (`urgent.toml`) may have.
pub(super) const URGENT_KEYS: &[&str] = &[
    "title",
    "body",
    "image",
    "fit",
    "color",
    "background",
    "background_image",
    "title_size",
    "body_size",
    "align",
    "font",
    "until",
    "ticker",
    "wait_for_display_hours",
];

/// What `urgent.toml` says: the slide to show, until when, and whether the ticker stays.
pub struct UrgentSpec {
    pub slide: Slide,
    pub until: Option<chrono::NaiveDateTime>,
    pub ticker: bool,
    /// Outside the display's on-hours, stay dark until they begin instead of lighting up.
    pub wait_for_display_hours: bool,
}

/// Reads an urgent notice written as TOML (see `crate::loader::urgent`), laid out for `display`, with
/// every problem reported like a playlist's. Red with white text unless it says otherwise.
pub(crate) fn parse_urgent(
    path: &Path,
    source: String,
    display: &Display,
) -> (Option<UrgentSpec>, Report) {
    let mut p = Problems::default();
    let (doc, syntax_errors) = DeTable::parse_recoverable(&source);
    report_syntax(&syntax_errors, &mut p);
    let spec = if syntax_errors.is_empty() {
        let t = Table::root(&doc, &mut p, URGENT_KEYS);
        let folder = Folder {
            base: crate::model::file::folder_of(path).to_path_buf(),
            real: Default::default(),
            allow_outside: display.allow_outside_paths,
        };
        let defaults = Defaults {
            duration_ms: 86_400_000,
            transition: Transition {
                kind: TransitionKind::Cut,
                duration_ms: 0,
            },
            font: DEFAULT_FONT.to_string(),
            color: Color::WHITE,
            background: Color::rgb(0xc0, 0, 0),
            title_size: (display.height as f32 * 0.35).clamp(12.0, 200.0),
            body_size: (display.height as f32 * 0.16).clamp(10.0, 110.0),
            align: Align::Center,
            fit: Fit::Contain,
        };
        let until = t.get("until").and_then(|v| read_until(&v, &mut p));
        let ticker = t
            .get("ticker")
            .and_then(|v| v.bool(&mut p))
            .unwrap_or(false);
        let wait_for_display_hours = t
            .get("wait_for_display_hours")
            .and_then(|v| v.bool(&mut p))
            .unwrap_or(false);
        read_slide(&t, 0, &folder, &defaults, &mut p).map(|mut slide| {
            slide.name = "urgent notice".into();
            UrgentSpec {
                slide,
                until,
                ticker,
                wait_for_display_hours,
            }
        })
    } else {
        None
    };
    let report = Report::new(path, source, p.finish());
    (spec.filter(|_| !report.has_errors()), report)
}

/// `until`: a local date and time (`2027-03-01T18:00:00`, or as a string `"2027-03-01 18:00"`),
/// or a date alone, meaning the end of that day.
pub(super) fn read_until(v: &Value, p: &mut Problems) -> Option<chrono::NaiveDateTime> {
    let end_of = |d: NaiveDate| d.succ_opt().and_then(|n| n.and_hms_opt(0, 0, 0));
    let parsed = match v.value {
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), time) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                .and_then(|date| match time {
                    Some(t) => date.and_hms_opt(t.hour.into(), t.minute.into(), t.second.into()),
                    None => end_of(date),
                }),
            _ => None,
        },
        DeValue::String(s) => [
            "%Y-%m-%d %H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%dT%H:%M",
        ]
        .iter()
        .find_map(|f| chrono::NaiveDateTime::parse_from_str(s.trim(), f).ok())
        .or_else(|| parse_date(s).ok().and_then(end_of)),
        _ => None,
    };
    if parsed.is_none() {
        p.error(v.span(), Msg::UntilNotDateTime)
            .help(Msg::UntilHelp);
    }
    parsed
}
