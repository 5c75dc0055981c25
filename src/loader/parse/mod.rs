//! The playlist schema: which keys exist, what they mean, and what is checked. Here the key
//! lists, the root and the values every table shares; `display.rs`, `slides.rs`, `when.rs` and
//! `urgent.rs` read their parts.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use crate::lang::Msg;
use crate::share::assets;
use crate::share::{self, FileProblem};

use chrono::{NaiveDate, Weekday};
use toml::de::{DeTable, DeValue};

use super::reader::{Problems, Table, Value};
use super::*;
use crate::model::playlist::values::{
    parse_color, parse_date, parse_duration_ms, parse_time_of_day, Color,
};
use crate::model::playlist::*;
use crate::model::schedule::{DayKind, Festival, FestivalWindow, HourWindow, When};
use crate::model::workdays::Calendar;

mod display;
mod slides;
mod urgent;
mod when;
mod zones;

use display::*;
pub(crate) use slides::image_help;
use slides::*;
pub(crate) use urgent::parse_urgent;
use when::*;

pub(super) const ROOT_KEYS: &[&str] = &[
    "display", "defaults", "ticker", "slides", "calendar", "zones", "layouts",
];

pub(super) const CALENDAR_KEYS: &[&str] = &["holidays", "workdays"];

pub(super) const DISPLAY_KEYS: &[&str] = &[
    "width",
    "height",
    "background",
    "region",
    "fullscreen",
    "monitor",
    "allow_outside_paths",
    "on_hours",
    "brightness",
];

pub(super) const BRIGHTNESS_KEYS: &[&str] = &["from", "level"];

pub(super) const REGION_KEYS: &[&str] = &["x", "y"];

pub(super) const DEFAULTS_KEYS: &[&str] = &[
    "duration",
    "transition",
    "font",
    "color",
    "background",
    "title_size",
    "body_size",
    "align",
    "fit",
];

pub(super) const TRANSITION_KEYS: &[&str] = &["kind", "duration"];

pub(super) const TICKER_KEYS: &[&str] = &[
    "enabled",
    "text",
    "speed",
    "position",
    "height",
    "font_size",
    "font",
    "color",
    "background",
    "separator",
    "snap_to_pixel",
];

pub(super) const SLIDE_KEYS: &[&str] = &[
    "name",
    "image",
    "video",
    "loop",
    "fit",
    "title",
    "body",
    "align",
    "title_size",
    "body_size",
    "color",
    "font",
    "background",
    "background_image",
    "duration",
    "transition",
    "when",
    "priority",
    "zone",
];

pub(super) const ZONE_KEYS: &[&str] = &[
    "name",
    "x",
    "y",
    "width",
    "height",
    "background",
    "order",
    "follows",
    "ticker",
];

pub(super) const LAYOUT_KEYS: &[&str] = &["name", "when", "zones"];

/// A zone's crawl: `[ticker]`'s keys less those the zone's rectangle decides.
pub(super) const ZONE_TICKER_KEYS: &[&str] = &[
    "text",
    "speed",
    "font_size",
    "font",
    "color",
    "background",
    "separator",
    "snap_to_pixel",
];

pub(super) const WHEN_KEYS: &[&str] = &[
    "from",
    "until",
    "weekdays",
    "hours",
    "festival",
    "days_before",
    "days_after",
    "workdays",
    "rest_days",
];

pub(super) const FITS: &[(&str, Fit)] = &[
    ("contain", Fit::Contain),
    ("cover", Fit::Cover),
    ("stretch", Fit::Stretch),
    ("center", Fit::Center),
];

pub(super) const ALIGNS: &[(&str, Align)] = &[
    ("left", Align::Left),
    ("center", Align::Center),
    ("right", Align::Right),
];

pub(super) const TRANSITIONS: &[(&str, TransitionKind)] = &[
    ("cut", TransitionKind::Cut),
    ("fade", TransitionKind::Fade),
    ("slide", TransitionKind::Slide),
    ("wipe", TransitionKind::Wipe),
];

pub(super) const EDGES: &[(&str, Edge)] = &[("top", Edge::Top), ("bottom", Edge::Bottom)];

pub(super) const WEEKDAYS: &[(&str, Weekday)] = &[
    ("mon", Weekday::Mon),
    ("tue", Weekday::Tue),
    ("wed", Weekday::Wed),
    ("thu", Weekday::Thu),
    ("fri", Weekday::Fri),
    ("sat", Weekday::Sat),
    ("sun", Weekday::Sun),
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The largest canvas side accepted; bigger than any LED wall and within GPU texture limits.
const MAX_SIDE: i64 = 8192;

/// Ticker speeds, pixels per second: slower than 1 px/s is a still picture, faster than
/// 10000 px/s a blur.
const MIN_SPEED: f64 = 1.0;

const MAX_SPEED: f64 = 10_000.0;

/// Slide settings that `[defaults]` provides.
struct Defaults {
    duration_ms: u64,
    transition: Transition,
    font: String,
    color: Color,
    background: Color,
    title_size: f32,
    body_size: f32,
    align: Align,
    fit: Fit,
}

pub(super) fn parse(path: &Path, source: String, canvas: Option<(u32, u32)>) -> Loaded {
    let mut p = Problems::default();
    if source.trim().is_empty() {
        // An editor that truncates before writing, or a copy that stalled, leaves this behind;
        // taking it would blank the wall.
        let what = if source.is_empty() {
            Msg::PlaylistEmpty
        } else {
            Msg::PlaylistBlank
        };
        p.error(0..0, what).help(Msg::WaitOrWriteSlides);
        return Loaded {
            playlist: fallback(path, canvas),
            report: Report::new(path, source, p.finish()),
        };
    }
    let playlist = {
        let (doc, syntax_errors) = DeTable::parse_recoverable(&source);
        report_syntax(&syntax_errors, &mut p);
        if syntax_errors.is_empty() {
            read_playlist(path, &doc, canvas, &mut p)
        } else {
            // Recovery invents values around a syntax error; checking them would only report
            // mistakes the editor did not make.
            fallback(path, canvas)
        }
    };
    Loaded {
        playlist,
        report: Report::new(path, source, p.finish()),
    }
}

/// The default ticker over black: what plays with no usable playlist at all.
pub(super) fn fallback(path: &Path, canvas: Option<(u32, u32)>) -> Playlist {
    let (doc, _) = DeTable::parse_recoverable("");
    read_playlist(path, &doc, canvas, &mut Problems::default())
}

fn read_playlist(
    path: &Path,
    doc: &toml::Spanned<DeTable<'_>>,
    canvas: Option<(u32, u32)>,
    p: &mut Problems,
) -> Playlist {
    let root = Table::root(doc, p, ROOT_KEYS);
    let base = crate::model::file::folder_of(path).to_path_buf();

    let display = read_display(
        sub_table(&root, "display", DISPLAY_KEYS, p).as_ref(),
        canvas,
        p,
    );
    let folder = Folder {
        base: base.clone(),
        real: Default::default(),
        allow_outside: display.allow_outside_paths,
    };
    let defaults = read_defaults(
        sub_table(&root, "defaults", DEFAULTS_KEYS, p).as_ref(),
        &display,
        p,
    );
    let calendar = read_calendar(sub_table(&root, "calendar", CALENDAR_KEYS, p).as_ref(), p);
    let ticker_table = sub_table(&root, "ticker", TICKER_KEYS, p);
    let ticker = read_ticker(ticker_table.as_ref(), &display, &defaults, p);
    let mut places = Places {
        slides: Vec::new(),
        ticker: ticker_table.as_ref().map(|t| {
            let mut place = place_of(t);
            place.body = t.raw("text").map(|v| v.span());
            place
        }),
        crawls: Vec::new(),
    };

    let mut slides = Vec::new();
    let mut referenced = Vec::new();
    let mut slides_span = root.span.start..root.span.start;
    if let Some(list) = root.get("slides") {
        slides_span = list.span();
        if let Some(items) = list.array(p) {
            for (i, item) in items.iter().enumerate() {
                let v = Value::new(item, format!("slides[{}]", i + 1));
                if let Some(t) = Table::new(&v, p, SLIDE_KEYS) {
                    for key in ["image", "background_image", "video"] {
                        if let Some(v) = t.raw(key) {
                            if let DeValue::String(file) = v.get_ref() {
                                referenced.push(Reference {
                                    path: base.join(&*portable(file)),
                                    span: v.span(),
                                });
                            }
                        }
                    }
                    if let Some(slide) = read_slide(&t, i, &folder, &defaults, p) {
                        slides.push(slide);
                        places.slides.push(place_of(&t));
                    }
                }
            }
        }
    }
    let layouts = zones::read_layouts(
        &root,
        (&display, &defaults, ticker.as_ref()),
        (&slides, &mut places.crawls),
        p,
    );
    zones::check_slide_zones(&root, &layouts, &slides, &places.slides, p);
    zones::take_zone_backgrounds(&layouts, &mut slides, &places.slides);
    let crawls = layouts
        .iter()
        .flat_map(|l| &l.zones)
        .any(|z| z.ticker.is_some());
    if slides.is_empty() && ticker.is_none() && !crawls {
        p.error(slides_span, Msg::PlaylistShowsNothing)
            .help(Msg::PlaylistShowsNothingHelp);
    } else if root.raw("slides").is_none() && root.raw("ticker").is_none() && !p.has_errors() {
        // Only comments or [display]: most likely the first lines of a file still being saved.
        p.error(
            root.span.start..root.span.start,
            Msg::PlaylistDefinesNothing,
        )
        .help(Msg::PlaylistDefinesNothingHelp);
    }

    Playlist {
        path: path.to_path_buf(),
        display,
        ticker,
        slides,
        referenced,
        places,
        calendar,
        layouts,
    }
}

/// Each syntax error, in the words of TOML's parser (English), with where to read the syntax.
fn report_syntax(errors: &[toml::de::Error], p: &mut Problems) {
    for e in errors {
        let error = e.message().trim().to_string();
        p.error(e.span().unwrap_or(0..0), Msg::TomlSyntax { error })
            .help(Msg::TomlHelp);
    }
}

/// `problem` with the value's key before it.
fn keyed(v: &Value, problem: Msg) -> Msg {
    Msg::Key {
        key: v.name.clone(),
        problem: Box::new(problem),
    }
}

/// A number as an editor would write it: `1e-300`, not three hundred zeros.
fn show_number(v: f64) -> String {
    if v != 0.0 && (v.abs() < 1e-3 || v.abs() >= 1e9) {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

fn place_of(t: &Table) -> SlidePlace {
    let at = |key: &str| t.raw(key).map(|v| v.span());
    SlidePlace {
        table: t.span.clone(),
        title: at("title"),
        body: at("body"),
        font: at("font"),
        size: at("font_size").or(at("title_size")),
        when: at("when"),
        zone: at("zone"),
        background: at("background"),
    }
}

fn sub_table<'a, 'i>(
    parent: &Table<'a, 'i>,
    key: &str,
    known: &[&str],
    p: &mut Problems,
) -> Option<Table<'a, 'i>> {
    parent.get(key).and_then(|v| Table::new(&v, p, known))
}

fn color(t: &Table, key: &str, p: &mut Problems) -> Option<Color> {
    let v = t.get(key)?;
    let s = v.str(p)?;
    parse_color(s)
        .map_err(|msg| {
            p.error(v.span(), keyed(&v, msg));
        })
        .ok()
}

fn duration(t: &Table, key: &str, p: &mut Problems) -> Option<u64> {
    let v = t.get(key)?;
    if let DeValue::Integer(_) | DeValue::Float(_) = v.value {
        let n = v.number(p)?;
        p.error(
            v.span(),
            Msg::NeedsUnit {
                key: v.name.clone(),
            },
        )
        .help(Msg::SecondsHelp { n: show_number(n) });
        return None;
    }
    let s = v.str(p)?;
    match parse_duration_ms(s) {
        Ok(0) => {
            p.error(
                v.span(),
                Msg::IsZero {
                    key: v.name.clone(),
                },
            )
            .help(Msg::PositiveDurationHelp);
            None
        }
        Ok(ms) => Some(ms),
        Err(msg) => {
            p.error(v.span(), keyed(&v, msg));
            None
        }
    }
}

/// `transition = "fade"` or `transition = { kind = "fade", duration = "600ms" }`.
fn transition(t: &Table, default: Transition, p: &mut Problems) -> Option<Transition> {
    let v = t.get("transition")?;
    if let DeValue::String(_) = v.value {
        let kind = v.choice(p, TRANSITIONS)?;
        return Some(Transition { kind, ..default });
    }
    let tt = Table::new(&v, p, TRANSITION_KEYS)?;
    let kind = tt
        .get("kind")
        .and_then(|k| k.choice(p, TRANSITIONS))
        .unwrap_or(default.kind);
    let duration_ms = match tt.get("duration") {
        Some(dv) => match dv.str(p).map(parse_duration_ms) {
            Some(Ok(ms)) => ms,
            Some(Err(msg)) => {
                p.error(dv.span(), keyed(&dv, msg));
                default.duration_ms
            }
            None => default.duration_ms,
        },
        None => default.duration_ms,
    };
    let duration_ms = if kind == TransitionKind::Cut {
        0
    } else {
        duration_ms
    };
    Some(Transition { kind, duration_ms })
}

fn font_size(t: &Table, key: &str, p: &mut Problems) -> Option<f32> {
    let v = t.get(key)?;
    let n = v.number(p)?;
    if !(4.0..=1000.0).contains(&n) {
        p.error(
            v.span(),
            Msg::FontSizeRange {
                key: v.name.clone(),
                value: show_number(n),
            },
        );
        return None;
    }
    Some(n as f32)
}

/// Reports every mistake in the placeholders of text `s`, read from `v` (see `livetext`).
fn check_placeholders(v: &Value<'_, '_>, s: &str, p: &mut Problems) {
    for mistake in crate::rules::livetext::check(s) {
        // Point at the placeholder itself when the string is written as it reads (one line,
        // no escapes); otherwise at the whole string.
        let span = v.span();
        let place = if span.len() == s.len() + 2 {
            span.start + 1 + mistake.range.start..span.start + 1 + mistake.range.end
        } else {
            span
        };
        p.error(place, keyed(v, mistake.message)).help(mistake.help);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn image_paths_written_on_windows_resolve_on_every_system() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("images")).unwrap();
        image::RgbaImage::new(2, 2)
            .save(dir.path().join("images").join("a.png"))
            .unwrap();
        let loaded = crate::loader::load_str(
            &dir.path().join("p.toml"),
            "[[slides]]\nimage = 'images\\a.png'\n[[slides]]\nimage = \"images/a.png\"\n",
        );
        assert!(loaded.is_clean(), "{}", loaded.report);
        let paths: Vec<_> = loaded
            .playlist
            .images()
            .map(|(_, i)| i.path.clone())
            .collect();
        assert_eq!(paths.len(), 2);
        assert_eq!(
            std::fs::canonicalize(&paths[0]).unwrap(),
            std::fs::canonicalize(&paths[1]).unwrap()
        );
    }
}
