//! The playlist schema: which keys exist, what they mean, and what is checked.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};

use crate::assets;
use crate::share::{self, FileProblem};

use chrono::{NaiveDate, Weekday};
use toml::de::{DeTable, DeValue};

use super::reader::{Problems, Table, Value};
use super::values::{parse_color, parse_date, parse_duration_ms, parse_time_of_day, Color};
use super::*;
use crate::schedule::{DayKind, Festival, FestivalWindow, HourWindow, When};
use crate::workdays::Calendar;

pub(super) const ROOT_KEYS: &[&str] = &["display", "defaults", "ticker", "slides", "calendar"];
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
            "the playlist is empty (0 bytes)"
        } else {
            "the playlist contains only blank space"
        };
        p.error(0..0, what).help(
            "if it is being saved or copied, wait for it to finish; otherwise write [[slides]] and [ticker] into it",
        );
        return Loaded {
            playlist: fallback(path, canvas),
            report: Report::new(path, source, p.finish()),
        };
    }
    let playlist = {
        let (doc, syntax_errors) = DeTable::parse_recoverable(&source);
        for e in &syntax_errors {
            let span = e.span().unwrap_or(0..0);
            p.error(span, format!("TOML syntax: {}", e.message().trim()))
                .help("see https://toml.io for the syntax; strings need \"quotes\"");
        }
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

/// The keys an urgent notice (`urgent.toml`) may have.
const URGENT_KEYS: &[&str] = &[
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

/// Reads an urgent notice written as TOML (see `crate::urgent`), laid out for `display`, with
/// every problem reported like a playlist's. Red with white text unless it says otherwise.
pub(crate) fn parse_urgent(
    path: &Path,
    source: String,
    display: &Display,
) -> (Option<UrgentSpec>, Report) {
    let mut p = Problems::default();
    let (doc, syntax_errors) = DeTable::parse_recoverable(&source);
    for e in &syntax_errors {
        p.error(
            e.span().unwrap_or(0..0),
            format!("TOML syntax: {}", e.message().trim()),
        )
        .help("see https://toml.io for the syntax; strings need \"quotes\"");
    }
    let spec = if syntax_errors.is_empty() {
        let t = Table::root(&doc, &mut p, URGENT_KEYS);
        let folder = Folder {
            base: share::folder_of(path).to_path_buf(),
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
fn read_until(v: &Value, p: &mut Problems) -> Option<chrono::NaiveDateTime> {
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
        p.error(v.span(), "`until` is not a date and time")
            .help("write until = 2027-03-01T18:00:00, or \"2027-03-01 18:00\", or a date for the end of that day");
    }
    parsed
}

/// The default ticker over black: what plays with no usable playlist at all.
pub(super) fn fallback(path: &Path, canvas: Option<(u32, u32)>) -> Playlist {
    let (doc, _) = DeTable::parse_recoverable("");
    read_playlist(path, &doc, canvas, &mut Problems::default())
}

/// Where image paths lead: the playlist's folder, and whether they may leave it.
struct Folder {
    base: PathBuf,
    /// `base` with symlinks resolved, once it is needed.
    real: std::cell::OnceCell<Option<PathBuf>>,
    allow_outside: bool,
}

impl Folder {
    /// Where `resolved` really is, when that is outside the playlist's folder tree.
    fn outside(&self, resolved: &Path) -> Option<PathBuf> {
        if self.allow_outside {
            return None;
        }
        let base = self.real.get_or_init(|| self.base.canonicalize().ok());
        let real = resolved.canonicalize().ok()?;
        match base {
            Some(base) if real.starts_with(base) => None,
            _ => Some(real),
        }
    }
}

fn read_playlist(
    path: &Path,
    doc: &toml::Spanned<DeTable<'_>>,
    canvas: Option<(u32, u32)>,
    p: &mut Problems,
) -> Playlist {
    let root = Table::root(doc, p, ROOT_KEYS);
    let base = share::folder_of(path).to_path_buf();

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
                    for key in ["image", "background_image"] {
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
    if slides.is_empty() && ticker.is_none() {
        p.error(
            slides_span,
            "the playlist has nothing to show: no slides and the ticker is off",
        )
        .help("add a [[slides]] entry or turn the ticker on");
    } else if root.raw("slides").is_none() && root.raw("ticker").is_none() && !p.has_errors() {
        // Only comments or [display]: most likely the first lines of a file still being saved.
        p.error(
            root.span.start..root.span.start,
            "the playlist defines nothing to show: no [[slides]] and no [ticker]",
        )
        .help("add [[slides]]; an empty [ticker] table shows the default core-values ticker");
    }

    Playlist {
        path: path.to_path_buf(),
        display,
        ticker,
        slides,
        referenced,
        places,
        calendar,
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

/// `canvas`: the size to lay out for when the playlist gives none (`--region`'s), so that what
/// follows from the size (band height, text sizes) fits the wall it plays on.
fn read_display(t: Option<&Table>, canvas: Option<(u32, u32)>, p: &mut Problems) -> Display {
    let (width, height) = canvas.unwrap_or((1920, 1080));
    let mut display = Display {
        width,
        height,
        background: Color::BLACK,
        placement: Placement::Window,
        allow_outside_paths: false,
        size_given: false,
        on_hours: Vec::new(),
        brightness: Vec::new(),
    };
    let Some(t) = t else { return display };
    if let Some(v) = t.get("on_hours") {
        display.on_hours = on_hours(&v, p);
    }
    if let Some(v) = t.get("brightness") {
        display.brightness = brightness(&v, p);
    }
    display.size_given = t.raw("width").is_some() || t.raw("height").is_some();
    display.allow_outside_paths = t
        .get("allow_outside_paths")
        .and_then(|v| v.bool(p))
        .unwrap_or(false);
    if let Some(w) = t.get("width").and_then(|v| v.int_in(p, 1, MAX_SIDE)) {
        display.width = w as u32;
    }
    if let Some(h) = t.get("height").and_then(|v| v.int_in(p, 1, MAX_SIDE)) {
        display.height = h as u32;
    }
    if let Some(c) = color(t, "background", p) {
        display.background = c;
    }
    let fullscreen = t.get("fullscreen").and_then(|v| v.bool(p)).unwrap_or(false);
    let monitor = t
        .get("monitor")
        .and_then(|v| v.int_in(p, 0, 63))
        .map(|m| m as usize);
    let region = t.get("region").and_then(|v| {
        let r = Table::new(&v, p, REGION_KEYS)?;
        let coord = |k: &str, p: &mut Problems| {
            let v = r.get(k);
            if v.is_none() {
                p.error(r.span.clone(), format!("`{}` needs `{k}`", r.name))
                    .help("write region = { x = 0, y = 0 } (the desktop pixel the LED card captures from)");
            }
            v.and_then(|v| v.int_in(p, -65536, 65536)).map(|n| n as i32)
        };
        let (x, y) = (coord("x", p), coord("y", p));
        Some((x?, y?, v.span()))
    });
    display.placement = match (region, fullscreen) {
        (Some((_, _, span)), true) => {
            p.error(span, "`display.region` and `display.fullscreen = true` cannot both be set")
                .help("use region for a LED sending card's capture rectangle, or fullscreen for a whole monitor");
            Placement::Window
        }
        (Some((x, y, _)), false) => Placement::Region { x, y },
        (None, true) => Placement::Fullscreen { monitor },
        (None, false) => match monitor {
            Some(_) => Placement::Fullscreen { monitor },
            None => Placement::Window,
        },
    };
    display
}

fn read_defaults(t: Option<&Table>, display: &Display, p: &mut Problems) -> Defaults {
    let mut d = Defaults {
        duration_ms: 8_000,
        transition: Transition {
            kind: TransitionKind::Fade,
            duration_ms: 600,
        },
        font: DEFAULT_FONT.to_string(),
        color: Color::WHITE,
        background: display.background,
        title_size: (display.height as f32 * 0.3).clamp(12.0, 160.0),
        body_size: (display.height as f32 * 0.15).clamp(10.0, 96.0),
        align: Align::Center,
        fit: Fit::Contain,
    };
    let Some(t) = t else { return d };
    if let Some(ms) = duration(t, "duration", p) {
        d.duration_ms = ms;
    }
    if let Some(tr) = transition(t, d.transition, p) {
        d.transition = tr;
    }
    if let Some(f) = t.get("font").and_then(|v| v.str(p).map(str::to_string)) {
        d.font = f;
    }
    d.color = color(t, "color", p).unwrap_or(d.color);
    d.background = color(t, "background", p).unwrap_or(d.background);
    d.title_size = font_size(t, "title_size", p).unwrap_or(d.title_size);
    d.body_size = font_size(t, "body_size", p).unwrap_or(d.body_size);
    d.align = t
        .get("align")
        .and_then(|v| v.choice(p, ALIGNS))
        .unwrap_or(d.align);
    d.fit = t
        .get("fit")
        .and_then(|v| v.choice(p, FITS))
        .unwrap_or(d.fit);
    d
}

/// Past this many characters a ticker text draws a warning: at a calm 120 px/s with 44 px
/// characters, 2 000 take over twelve minutes to pass.
const LONG_TICKER_CHARS: usize = 2_000;

fn read_ticker(
    t: Option<&Table>,
    display: &Display,
    defaults: &Defaults,
    p: &mut Problems,
) -> Option<Ticker> {
    let height = (display.height / 5).clamp(16, 64).min(display.height);
    let mut ticker = Ticker {
        text: CORE_VALUES.to_string(),
        separator: "   ★   ".to_string(),
        speed: 120.0,
        position: Edge::Bottom,
        height,
        font_size: (height as f32 * 0.7).round(),
        font: defaults.font.clone(),
        color: Color::rgb(0xff, 0xd7, 0x00),
        background: Color::rgb(0xb0, 0x00, 0x00),
        snap_to_pixel: true,
    };
    let Some(t) = t else { return Some(ticker) };
    let enabled = t.get("enabled").and_then(|v| v.bool(p)).unwrap_or(true);
    if let Some(v) = t.get("text") {
        if let Some(s) = v.str(p) {
            if s.trim().is_empty() {
                p.error(v.span(), "`ticker.text` is empty")
                    .help("write the text to scroll, or set `enabled = false` for no ticker");
            }
            check_placeholders(&v, s, p);
            ticker.text = s.to_string();
            let chars = s.chars().count();
            if chars > LONG_TICKER_CHARS {
                p.warning(
                    v.span(),
                    format!("`ticker.text` is {chars} characters long; a ticker is read in passing, and this one takes minutes to come round"),
                )
                .help(format!("keep the ticker under {LONG_TICKER_CHARS} characters (a few sentences); put longer text on slides"));
            }
        }
    }
    if let Some(s) = t
        .get("separator")
        .and_then(|v| v.str(p).map(str::to_string))
    {
        ticker.separator = s;
    }
    if let Some(v) = t.get("speed") {
        if let Some(speed) = v.number(p) {
            if (MIN_SPEED..=MAX_SPEED).contains(&speed) {
                ticker.speed = speed;
            } else {
                p.error(
                    v.span(),
                    format!("`ticker.speed` is {}; it must be from {MIN_SPEED} to {MAX_SPEED} pixels per second", show_number(speed)),
                )
                .help("120 is a calm crawl; use `enabled = false` to switch the ticker off");
            }
        }
    }
    ticker.position = t
        .get("position")
        .and_then(|v| v.choice(p, EDGES))
        .unwrap_or(ticker.position);
    if let Some(v) = t.get("height") {
        if let Some(h) = v.int_in(p, 1, display.height as i64) {
            ticker.height = h as u32;
            ticker.font_size = (h as f32 * 0.7).round();
        }
    }
    ticker.font_size = font_size(t, "font_size", p).unwrap_or(ticker.font_size);
    if let Some(f) = t.get("font").and_then(|v| v.str(p).map(str::to_string)) {
        ticker.font = f;
    }
    ticker.color = color(t, "color", p).unwrap_or(ticker.color);
    ticker.background = color(t, "background", p).unwrap_or(ticker.background);
    ticker.snap_to_pixel = t
        .get("snap_to_pixel")
        .and_then(|v| v.bool(p))
        .unwrap_or(true);
    enabled.then_some(ticker)
}

fn read_slide(
    t: &Table,
    index: usize,
    folder: &Folder,
    d: &Defaults,
    p: &mut Problems,
) -> Option<Slide> {
    let str_of =
        |key: &str, p: &mut Problems| t.get(key).and_then(|v| v.str(p).map(str::to_string));
    let image = t
        .get("image")
        .and_then(|v| Some((v.str(p)?.to_string(), v.span())));
    // Blank text is a slip (a placeholder never filled in), not something to show.
    let text_of = |key: &str, p: &mut Problems| {
        let v = t.get(key)?;
        let s = v.str(p)?;
        check_placeholders(&v, s, p);
        if s.trim().is_empty() {
            p.warning(v.span(), format!("`{}` is empty; it is left out", v.name))
                .help("write the text, or remove the line");
            return None;
        }
        Some(s.to_string())
    };
    let title = text_of("title", p);
    let body = text_of("body", p);
    let name = str_of("name", p).unwrap_or_else(|| match &image {
        // `images\\traffic.png` from a Windows editor is named `traffic` on any system.
        Some((img, _)) => Path::new(&*img.replace('\\', "/"))
            .file_stem()
            .map_or(img.clone(), |s| s.to_string_lossy().into_owned()),
        None => format!("slide {}", index + 1),
    });

    let duration_ms = duration(t, "duration", p).unwrap_or(d.duration_ms);
    let mut transition = transition(t, d.transition, p).unwrap_or(d.transition);
    if transition.duration_ms > duration_ms {
        // A transition cannot outlast the slide it brings in; shorten it rather than fail.
        let span = t
            .raw("transition")
            .or(t.raw("duration"))
            .map_or(t.span.clone(), |v| v.span());
        p.warning(span, format!("slide \"{name}\": the transition is longer than the slide; it is shortened to the slide's duration"));
        transition.duration_ms = duration_ms;
    }
    let background = color(t, "background", p).unwrap_or(d.background);
    let priority = t.get("priority").and_then(|v| v.bool(p)).unwrap_or(false);
    let when = t.get("when").and_then(|v| read_when(&v, p));
    let fit_value = t.get("fit").and_then(|v| v.choice(p, FITS));
    let text_keys = [
        "title",
        "body",
        "align",
        "title_size",
        "body_size",
        "color",
        "font",
        "background_image",
    ];

    let content = match image {
        Some((image, span)) => {
            if let Some(key) = text_keys.iter().find(|k| t.raw(k).is_some()) {
                let span = t.raw(key).map_or(span.clone(), |v| v.span());
                p.error(span, format!("slide \"{name}\" has both `image` and `{key}`"))
                    .help("an image slide shows only the image; for text over a picture use `title`/`body` with `background_image`");
            }
            let image = check_image(folder, &image, span, p)?;
            Content::Image {
                image,
                fit: fit_value.unwrap_or(d.fit),
            }
        }
        None if title.is_none() && body.is_none() => {
            p.error(
                t.span.clone(),
                format!("slide \"{name}\" has nothing to show"),
            )
            .help("give it `image = \"images/file.png\"`, or `title` and/or `body` text");
            return None;
        }
        None => {
            if let Some(v) = t.raw("fit") {
                p.warning(
                    v.span(),
                    "`fit` only applies to `image` slides; it is ignored here",
                );
            }
            let background_image = t
                .get("background_image")
                .and_then(|v| Some((v.str(p)?.to_string(), v.span())))
                .and_then(|(img, span)| check_image(folder, &img, span, p));
            Content::Text(TextSlide {
                title,
                body,
                align: t
                    .get("align")
                    .and_then(|v| v.choice(p, ALIGNS))
                    .unwrap_or(d.align),
                title_size: font_size(t, "title_size", p).unwrap_or(d.title_size),
                body_size: font_size(t, "body_size", p).unwrap_or(d.body_size),
                color: color(t, "color", p).unwrap_or(d.color),
                font: str_of("font", p).unwrap_or_else(|| d.font.clone()),
                background_image,
            })
        }
    };
    Some(Slide {
        name,
        content,
        duration_ms,
        transition,
        when,
        priority,
        background,
    })
}

/// Resolves an image path against the playlist's folder and checks that it is a regular file
/// inside the folder tree whose header reads as an image within the limits. Full decoding is
/// left to `check` and to loading the slide for display.
fn check_image(
    folder: &Folder,
    written: &str,
    span: super::reader::Span,
    p: &mut Problems,
) -> Option<ImageFile> {
    let resolved = folder.base.join(&*portable(written));
    let meta = match share::regular_file(&resolved) {
        Ok(meta) => meta,
        Err(FileProblem::NotFound) => {
            if let Some(actual) = share::differs_in_case(&resolved) {
                p.error(span, format!("image \"{written}\" not found: the file is named \"{actual}\", which differs only in case (a Windows share matches it, this computer does not)"))
                    .help("write the name exactly as the file is named, capitals included");
                return None;
            }
            p.error(span, format!("image \"{written}\" not found (looked for {})", resolved.display()))
                .help("paths are relative to the playlist's folder; check the name and that the file was copied");
            return None;
        }
        Err(problem) => {
            p.error(
                span,
                format!("image \"{written}\" {problem} ({})", resolved.display()),
            )
            .help("point it at a PNG, JPEG, WebP, GIF or BMP file");
            return None;
        }
    };
    if let Some(real) = folder.outside(&resolved) {
        p.error(
            span,
            format!(
                "image \"{written}\" is outside the playlist's folder (it is {})",
                real.display()
            ),
        )
        .help("copy it into the playlist's folder; or, if this wall may show files from elsewhere on the PC, set `allow_outside_paths = true` in [display]");
        return None;
    }
    match assets::probe(&resolved) {
        Ok(_) => Some(ImageFile {
            path: resolved,
            stamp: Some(share::Stamp::of(&meta)),
        }),
        Err(problem) => {
            p.error(span, format!("image \"{written}\" {problem}"))
                .help(image_help(&problem));
            None
        }
    }
}

/// An image path as written, for this system: a playlist written on Windows
/// (`images\\traffic.png`) names the same file when the wall runs Linux.
fn portable(written: &str) -> std::borrow::Cow<'_, str> {
    if cfg!(windows) || !written.contains('\\') {
        written.into()
    } else {
        written.replace('\\', "/").into()
    }
}

/// What to do about an image that cannot be shown.
pub(crate) fn image_help(problem: &assets::ImageProblem) -> &'static str {
    use assets::ImageProblem as P;
    match problem {
        P::Incomplete(_) => "wait for the copy to finish, or copy the file again",
        P::TooLarge { .. } => {
            "the wall shows a few megapixels at most; export the picture at the wall's size"
        }
        P::File(FileProblem::TooLarge { .. }) => {
            "export the picture at the wall's size, as JPEG or PNG"
        }
        P::Empty => "if it is being saved or copied, wait for it to finish; otherwise copy the picture again",
        _ => "use a PNG, JPEG, WebP, GIF or BMP file; re-export it if it was damaged",
    }
}

fn read_when(v: &Value, p: &mut Problems) -> Option<When> {
    let t = Table::new(v, p, WHEN_KEYS)?;
    let mut when = When::default();
    let mut ok = true;
    let mut date = |key: &str, p: &mut Problems| -> Option<(NaiveDate, super::reader::Span)> {
        let v = t.get(key)?;
        match date_of(&v) {
            Ok(d) => Some((d, v.span())),
            Err(msg) => {
                p.error(v.span(), msg).help("write dates as YYYY-MM-DD");
                ok = false;
                None
            }
        }
    };
    let from = date("from", p);
    let until = date("until", p);
    if let (Some((f, _)), Some((u, span))) = (&from, &until) {
        if f > u {
            p.error(
                span.clone(),
                format!("`until` ({u}) is before `from` ({f}), so the slide never plays"),
            )
            .help("swap the two dates, or fix the year");
            ok = false;
        }
    }
    when.from = from.map(|(d, _)| d);
    when.until = until.map(|(d, _)| d);

    if let Some(v) = t.get("weekdays") {
        if let Some(items) = v.array(p) {
            if items.is_empty() {
                p.error(v.span(), "`weekdays` is empty, so the slide never plays")
                    .help("list days like [\"mon\", \"fri\"], or remove `weekdays` for every day");
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
                p.error(v.span(), "`hours` is empty, so the slide never plays")
                    .help("list windows like [\"08:00-12:00\"], or remove `hours` for all day");
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
                p.error(v.span(), format!("`{}` = false says nothing", v.name))
                    .help("write `workdays = true` for official working days or `rest_days = true` for the other days, or remove the line");
                None
            }
        }
    };
    let workdays = kind("workdays", DayKind::Workdays, p);
    let rest_days = kind("rest_days", DayKind::RestDays, p);
    when.days = match (workdays, rest_days) {
        (Some(_), Some((_, span))) => {
            p.error(
                span,
                "`workdays` and `rest_days` cannot both be set: no day is both",
            )
            .help("keep one; without either, the slide plays every day");
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
            p.error(v.span(), format!("`{}` only makes sense with `festival`", v.name))
                .help("add festival = \"mid-autumn\" (or another festival), or use `from`/`until` for dates");
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
fn date_of(v: &Value) -> Result<NaiveDate, String> {
    match v.value {
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
                .ok_or_else(|| format!("{dt} is not a date")),
            _ => Err(format!(
                "`{}` must be a date without a time, e.g. 2027-03-01",
                v.name
            )),
        },
        DeValue::String(s) => parse_date(s),
        _ => Err(format!("`{}` must be a date, e.g. 2027-03-01", v.name)),
    }
}

/// `[calendar]`: public holidays and make-up working days the playlist lists itself, for a
/// year whose arrangement this build does not carry yet, or to correct one.
fn read_calendar(t: Option<&Table>, p: &mut Problems) -> Calendar {
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
            p.error(
                span.clone(),
                format!("{day} is listed both as a holiday and as a working day"),
            )
            .help("a make-up working day is a weekend day worked instead of a holiday; keep the day in one list");
        }
    }
    Calendar::new(holidays, workdays.into_iter().map(|(r, _)| r).collect())
}

/// A list of days and ranges of days (`"2027-10-01..2027-10-07"`, both ends included).
fn day_ranges(
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
                        Err(format!("\"{s}\" ends before it starts"))
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
                p.error(item.span(), msg).help("write a day as \"2027-10-01\", or days as \"2027-10-01..2027-10-07\" (the first and the last, both included)");
            }
        }
    }
    ranges
}

/// `[display] on_hours`: windows like a slide's `hours`.
fn on_hours(v: &Value<'_, '_>, p: &mut Problems) -> Vec<HourWindow> {
    match daily_windows(v, p) {
        Some(windows) if windows.is_empty() => {
            p.error(
                v.span(),
                "`display.on_hours` is empty, so the wall is never on",
            )
            .help("list windows like [\"07:00-22:00\"], or remove `on_hours` to stay on all day");
            windows
        }
        windows => windows.unwrap_or_default(),
    }
}

/// A list of daily windows like `["08:00-12:00", "22:00-06:00"]` (`hours`, `on_hours`), each
/// mistake reported; `None` if there was one. Whether an empty list is allowed is the caller's.
fn daily_windows(v: &Value<'_, '_>, p: &mut Problems) -> Option<Vec<HourWindow>> {
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

/// `[display] brightness = [{ from = "19:00", level = 50 }, ...]`.
fn brightness(v: &Value<'_, '_>, p: &mut Problems) -> Vec<crate::lighting::Brightness> {
    let Some(items) = v.array(p) else {
        return Vec::new();
    };
    let mut steps: Vec<crate::lighting::Brightness> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = Value::new(item, format!("{}[{}]", v.name, i + 1));
        let Some(t) = Table::new(&item, p, BRIGHTNESS_KEYS) else {
            continue;
        };
        let need = |key: &str, p: &mut Problems| {
            let found = t.get(key);
            if found.is_none() {
                p.error(t.span.clone(), format!("`{}` needs `{key}`", t.name))
                    .help("write { from = \"19:00\", level = 50 }: from this time on, 50 % brightness");
            }
            found
        };
        let from = need("from", p).and_then(|f| {
            let s = f.str(p)?;
            parse_time_of_day(s)
                .map_err(|e| p.error(f.span(), e))
                .ok()
                .filter(|&m| {
                    if m >= 24 * 60 {
                        p.error(f.span(), "brightness steps start at 00:00 to 23:59");
                    }
                    m < 24 * 60
                })
                .map(|m| (m, f.span()))
        });
        let level = need("level", p).and_then(|l| l.int_in(p, 0, 100));
        if let (Some((from, span)), Some(level)) = (from, level) {
            if steps.iter().any(|b| b.from == from) {
                p.error(
                    span,
                    format!(
                        "two brightness steps start at {}",
                        crate::schedule::format_minute(from)
                    ),
                )
                .help("keep one level per starting time");
                continue;
            }
            steps.push(crate::lighting::Brightness {
                from,
                level: level as u8,
            });
        }
    }
    steps
}

/// "08:00-12:00" → one window; "22:00-02:00" crosses midnight → two windows on the same date.
/// "22:00-00:00" and "22:00-24:00" both end at midnight.
fn parse_window(s: &str) -> Result<Vec<HourWindow>, String> {
    let help = format!("\"{s}\" is not a time window; write \"HH:MM-HH:MM\", e.g. \"08:00-12:00\"");
    let (a, b) = s.split_once('-').ok_or_else(|| help.clone())?;
    let start = parse_time_of_day(a).map_err(|e| format!("{e} (in \"{s}\")"))?;
    let end = parse_time_of_day(b).map_err(|e| format!("{e} (in \"{s}\")"))?;
    if start == 1440 {
        return Err(format!(
            "\"{s}\" starts at 24:00, the end of the day; a window starts at 00:00 to 23:59"
        ));
    }
    let end = if end == 0 { 1440 } else { end };
    match start.cmp(&end) {
        std::cmp::Ordering::Less => Ok(vec![HourWindow { start, end }]),
        std::cmp::Ordering::Equal => Err(format!("\"{s}\" is an empty window (start = end)")),
        std::cmp::Ordering::Greater => Ok(vec![
            HourWindow { start, end: 1440 },
            HourWindow { start: 0, end },
        ]),
    }
}

fn color(t: &Table, key: &str, p: &mut Problems) -> Option<Color> {
    let v = t.get(key)?;
    let s = v.str(p)?;
    parse_color(s)
        .map_err(|msg| {
            p.error(v.span(), format!("`{}`: {msg}", v.name));
        })
        .ok()
}

fn duration(t: &Table, key: &str, p: &mut Problems) -> Option<u64> {
    let v = t.get(key)?;
    if let DeValue::Integer(_) | DeValue::Float(_) = v.value {
        let n = v.number(p)?;
        p.error(v.span(), format!("`{}` needs a unit", v.name))
            .help(format!(
                "write \"{n}s\" for {n} seconds, or e.g. \"500ms\", \"1m30s\"",
                n = show_number(n)
            ));
        return None;
    }
    let s = v.str(p)?;
    match parse_duration_ms(s) {
        Ok(0) => {
            p.error(v.span(), format!("`{}` is zero", v.name))
                .help("use a positive duration, e.g. \"8s\"");
            None
        }
        Ok(ms) => Some(ms),
        Err(msg) => {
            p.error(v.span(), format!("`{}`: {msg}", v.name));
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
                p.error(dv.span(), format!("`{}`: {msg}", dv.name));
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
            format!(
                "`{}` is {}; font sizes are pixels from 4 to 1000",
                v.name,
                show_number(n)
            ),
        );
        return None;
    }
    Some(n as f32)
}

/// Reports every mistake in the placeholders of text `s`, read from `v` (see `livetext`).
fn check_placeholders(v: &Value<'_, '_>, s: &str, p: &mut Problems) {
    for mistake in crate::livetext::check(s) {
        // Point at the placeholder itself when the string is written as it reads (one line,
        // no escapes); otherwise at the whole string.
        let span = v.span();
        let place = if span.len() == s.len() + 2 {
            span.start + 1 + mistake.range.start..span.start + 1 + mistake.range.end
        } else {
            span
        };
        p.error(place, format!("`{}`: {}", v.name, mistake.message))
            .help(mistake.help);
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
        let loaded = crate::playlist::load_str(
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
