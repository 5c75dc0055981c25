//! `[display]`, `[defaults]` and `[ticker]`: the canvas, its hours and brightness, what slides
//! default to, and the band.

use super::*;

/// `canvas`: the size to lay out for when the playlist gives none (`--region`'s), so that what
/// follows from the size (band height, text sizes) fits the wall it plays on.
pub(super) fn read_display(
    t: Option<&Table>,
    canvas: Option<(u32, u32)>,
    p: &mut Problems,
) -> Display {
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
        slide_area: None,
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
                let needs = Msg::Needs {
                    key: r.name.clone(),
                    needed: k.to_string(),
                };
                p.error(r.span.clone(), needs).help(Msg::RegionHelp);
            }
            v.and_then(|v| v.int_in(p, -65536, 65536)).map(|n| n as i32)
        };
        let (x, y) = (coord("x", p), coord("y", p));
        Some((x?, y?, v.span()))
    });
    display.placement = match (region, fullscreen) {
        (Some((_, _, span)), true) => {
            p.error(span, Msg::RegionAndFullscreen)
                .help(Msg::RegionOrFullscreenHelp);
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

pub(super) fn read_defaults(t: Option<&Table>, display: &Display, p: &mut Problems) -> Defaults {
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
pub(super) const LONG_TICKER_CHARS: usize = 2_000;

pub(super) fn read_ticker(
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
                p.error(v.span(), Msg::TickerTextEmpty)
                    .help(Msg::TickerTextEmptyHelp);
            }
            check_placeholders(&v, s, p);
            ticker.text = s.to_string();
            let chars = s.chars().count();
            if chars > LONG_TICKER_CHARS {
                p.warning(v.span(), Msg::TickerTextLong { chars })
                    .help(Msg::TickerTextLongHelp {
                        limit: LONG_TICKER_CHARS,
                    });
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
                let range = Msg::SpeedRange {
                    key: v.name.clone(),
                    value: show_number(speed),
                    min: MIN_SPEED,
                    max: MAX_SPEED,
                };
                p.error(v.span(), range).help(Msg::CalmCrawlHelp);
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

/// `[display] on_hours`: windows like a slide's `hours`.
pub(super) fn on_hours(v: &Value<'_, '_>, p: &mut Problems) -> Vec<HourWindow> {
    match daily_windows(v, p) {
        Some(windows) if windows.is_empty() => {
            p.error(v.span(), Msg::OnHoursEmpty).help(Msg::OnHoursHelp);
            windows
        }
        windows => windows.unwrap_or_default(),
    }
}

/// `[display] brightness = [{ from = "19:00", level = 50 }, ...]`.
pub(super) fn brightness(v: &Value<'_, '_>, p: &mut Problems) -> Vec<Brightness> {
    let Some(items) = v.array(p) else {
        return Vec::new();
    };
    let mut steps: Vec<Brightness> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let item = Value::new(item, format!("{}[{}]", v.name, i + 1));
        let Some(t) = Table::new(&item, p, BRIGHTNESS_KEYS) else {
            continue;
        };
        let need = |key: &str, p: &mut Problems| {
            let found = t.get(key);
            if found.is_none() {
                let needs = Msg::Needs {
                    key: t.name.clone(),
                    needed: key.to_string(),
                };
                p.error(t.span.clone(), needs).help(Msg::BrightnessStepHelp);
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
                        p.error(f.span(), Msg::BrightnessStepStart);
                    }
                    m < 24 * 60
                })
                .map(|m| (m, f.span()))
        });
        let level = need("level", p).and_then(|l| l.int_in(p, 0, 100));
        if let (Some((from, span)), Some(level)) = (from, level) {
            if steps.iter().any(|b| b.from == from) {
                let at = crate::model::schedule::format_minute(from);
                p.error(span, Msg::TwoBrightnessSteps { at })
                    .help(Msg::OneLevelHelp);
                continue;
            }
            steps.push(Brightness {
                from,
                level: level as u8,
            });
        }
    }
    steps
}
