//! `[[zones]]` and `[[layouts]]`: the wall laid out in named rectangles, as LED programs are,
//! and sets of them chosen by `when`; a slide's `zone`. Every mistake in a set of zones is
//! found by `crate::rules::zones` and reported here at the place it is written.

use super::*;
use crate::lang::ZoneMsg;
use crate::model::zone::{Layout, PixelRect, Zone, MAIN_ZONE};
use crate::rules::zones::{problems, ZoneProblem};

/// The name the zones written at the top level go by, as a layout.
pub const BASE_LAYOUT: &str = "default";

/// Stacking orders an editor may write; the implicit main zone lies below them all.
const ORDERS: (i64, i64) = (-1000, 1000);

/// Where a zone is written, for messages about it.
struct ZonePlace {
    table: Span,
    name: Option<Span>,
    follows: Option<Span>,
    /// Its `ticker` table, for messages about its crawl after reading (text and fonts).
    crawl: Option<SlidePlace>,
}

/// Keeps where each zone's crawl is written (the first zone of a name that has one).
fn remember_crawls(zones: &[(Zone, ZonePlace)], crawls: &mut Vec<(String, SlidePlace)>) {
    for (zone, place) in zones {
        if let Some(crawl) = &place.crawl {
            if !crawls.iter().any(|(name, _)| *name == zone.name) {
                crawls.push((zone.name.clone(), crawl.clone()));
            }
        }
    }
}

type Span = std::ops::Range<usize>;

/// The playlist's layouts: `[[layouts]]` in the order written, then the top-level `[[zones]]`
/// as the layout that is always eligible. Empty when the playlist writes neither (one area for
/// slides and the band, as before zones).
pub(super) fn read_layouts(
    root: &Table,
    (display, defaults, ticker): (&Display, &Defaults, Option<&Ticker>),
    (slides, crawls): (&[Slide], &mut Vec<(String, SlidePlace)>),
    p: &mut Problems,
) -> Vec<Layout> {
    if root.raw("zones").is_none() && root.raw("layouts").is_none() {
        return Vec::new();
    }
    let main = implicit_main(display, defaults, ticker);
    let mut layouts = Vec::new();
    if let Some(list) = root.get("layouts") {
        for (i, item) in list.array(p).unwrap_or_default().iter().enumerate() {
            let v = Value::new(item, format!("layouts[{}]", i + 1));
            let Some(t) = Table::new(&v, p, LAYOUT_KEYS) else {
                continue;
            };
            let name = t
                .get("name")
                .and_then(|v| v.str(p).map(str::to_string))
                .unwrap_or_else(|| format!("layout {}", i + 1));
            let when = t.get("when").and_then(|v| read_when(&v, p));
            if when.is_none() && t.raw("when").is_none() {
                p.warning(
                    t.span.clone(),
                    ZoneMsg::LayoutWithoutWhen {
                        layout: name.clone(),
                    }
                    .into(),
                )
                .help(ZoneMsg::LayoutWithoutWhenHelp.into());
            }
            let zones = t.get("zones").map_or_else(Vec::new, |list| {
                read_zones(&list, &format!("{}.zones", v.name), display, defaults, p)
            });
            remember_crawls(&zones, crawls);
            layouts.push(checked(
                name,
                when,
                zones,
                (&main, slides),
                (display, ticker),
                p,
            ));
        }
    }
    let base = root.get("zones").map_or_else(Vec::new, |list| {
        read_zones(&list, "zones", display, defaults, p)
    });
    remember_crawls(&base, crawls);
    layouts.push(checked(
        BASE_LAYOUT.into(),
        None,
        base,
        (&main, slides),
        (display, ticker),
        p,
    ));
    layouts
}

/// The main zone of a layout that writes none: where slides go without zones.
fn implicit_main(display: &Display, defaults: &Defaults, ticker: Option<&Ticker>) -> Zone {
    Zone {
        name: MAIN_ZONE.into(),
        rect: crate::model::zone::below_band(display, ticker),
        background: defaults.background,
        order: i32::MIN,
        follows: None,
        ticker: None,
    }
}

fn read_zones(
    list: &Value,
    name: &str,
    display: &Display,
    defaults: &Defaults,
    p: &mut Problems,
) -> Vec<(Zone, ZonePlace)> {
    let mut zones = Vec::new();
    for (i, item) in list.array(p).unwrap_or_default().iter().enumerate() {
        let v = Value::new(item, format!("{name}[{}]", i + 1));
        if let Some(t) = Table::new(&v, p, ZONE_KEYS) {
            zones.extend(read_zone(&t, display, defaults, p));
        }
    }
    zones
}

fn read_zone(
    t: &Table,
    display: &Display,
    defaults: &Defaults,
    p: &mut Problems,
) -> Option<(Zone, ZonePlace)> {
    let name = match t.get("name") {
        Some(v) => v.str(p)?.to_string(),
        None => {
            let needs = Msg::Needs {
                key: t.name.clone(),
                needed: "name".into(),
            };
            p.error(t.span.clone(), needs)
                .help(ZoneMsg::NameHelp.into());
            return None;
        }
    };
    let side = |key: &str, min: i64, max: i64, p: &mut Problems| match t.get(key) {
        Some(v) => v.int_in(p, min, max).map(|n| n as u32),
        None => {
            let needs = Msg::Needs {
                key: t.name.clone(),
                needed: key.into(),
            };
            p.error(t.span.clone(), needs)
                .help(ZoneMsg::RectHelp.into());
            None
        }
    };
    let x = side("x", 0, MAX_SIDE, p);
    let y = side("y", 0, MAX_SIDE, p);
    let width = side("width", 1, MAX_SIDE, p);
    let height = side("height", 1, MAX_SIDE, p);
    let rect = PixelRect {
        x: x?,
        y: y?,
        width: width?,
        height: height?,
    };
    let order = t
        .get("order")
        .and_then(|v| v.int_in(p, ORDERS.0, ORDERS.1))
        .unwrap_or(0) as i32;
    let follows = t.get("follows").and_then(|v| v.str(p).map(str::to_string));
    let background = color(t, "background", p).unwrap_or(defaults.background);
    let mut crawl = None;
    let ticker = t.get("ticker").and_then(|v| {
        let tt = Table::new(&v, p, ZONE_TICKER_KEYS)?;
        let mut place = place_of(&tt);
        place.body = tt.raw("text").map(|v| v.span());
        crawl = Some(place);
        let mut zone_display = display.clone();
        zone_display.height = rect.height;
        let mut ticker = read_ticker(Some(&tt), &zone_display, defaults, p)?;
        ticker.position = Edge::Top;
        ticker.height = rect.height;
        if tt.raw("font_size").is_none() {
            ticker.font_size = (rect.height as f32 * 0.7).round().clamp(4.0, 1000.0);
        }
        Some(ticker)
    });
    let place = ZonePlace {
        table: t.span.clone(),
        name: t.raw("name").map(|v| v.span()),
        follows: t.raw("follows").map(|v| v.span()),
        crawl,
    };
    let zone = Zone {
        name,
        rect,
        background,
        order,
        follows,
        ticker,
    };
    Some((zone, place))
}

/// The layout, with the implicit main zone when it writes none, and every mistake in its
/// zones reported.
fn checked(
    name: String,
    when: Option<crate::model::schedule::When>,
    written: Vec<(Zone, ZonePlace)>,
    (main, slides): (&Zone, &[Slide]),
    (display, ticker): (&Display, Option<&Ticker>),
    p: &mut Problems,
) -> Layout {
    let (mut zones, places): (Vec<Zone>, Vec<ZonePlace>) = written.into_iter().unzip();
    let canvas = (display.width, display.height);
    for problem in problems(&zones, canvas) {
        report(problem, &zones, &places, canvas, p);
    }
    let band = ticker.map(|t| band_of(display, t));
    for (z, place) in zones.iter().zip(&places) {
        if let Some(band) = band.filter(|b| b.overlaps(&z.rect)) {
            let under = ZoneMsg::UnderBand {
                zone: z.name.clone(),
                band: format!("{}x{} at {},{}", band.width, band.height, band.x, band.y),
            };
            p.warning(place.table.clone(), under.into())
                .help(ZoneMsg::UnderBandHelp.into());
        }
        let shown = z.ticker.is_some() || slides.iter().any(|s| s.zone == z.name);
        if !shown && z.name != MAIN_ZONE {
            let zone = z.name.clone();
            p.warning(place.table.clone(), ZoneMsg::WithoutSlides { zone }.into())
                .help(
                    ZoneMsg::WithoutSlidesHelp {
                        zone: z.name.clone(),
                    }
                    .into(),
                );
        }
    }
    if !zones.iter().any(|z| z.name == MAIN_ZONE) {
        zones.insert(0, main.clone());
    }
    Layout { name, when, zones }
}

fn report(
    problem: ZoneProblem,
    zones: &[Zone],
    places: &[ZonePlace],
    canvas: (u32, u32),
    p: &mut Problems,
) {
    let name = |i: usize| zones[i].name.clone();
    let at = |i: usize| places[i].name.clone().unwrap_or(places[i].table.clone());
    match problem {
        ZoneProblem::Outside(i) => {
            let r = zones[i].rect;
            p.error(
                places[i].table.clone(),
                ZoneMsg::Outside {
                    zone: name(i),
                    rect: format!("{}x{} at {},{}", r.width, r.height, r.x, r.y),
                    canvas: format!("{}x{}", canvas.0, canvas.1),
                }
                .into(),
            )
            .help(
                ZoneMsg::OutsideHelp {
                    width: canvas.0,
                    height: canvas.1,
                }
                .into(),
            );
        }
        ZoneProblem::Empty(i) => {
            p.error(at(i), ZoneMsg::Empty { zone: name(i) }.into());
        }
        ZoneProblem::Overlap(a, b) => {
            p.error(
                places[b].table.clone(),
                ZoneMsg::Overlap {
                    zone: name(b),
                    other: name(a),
                }
                .into(),
            )
            .help(ZoneMsg::OverlapHelp { zone: name(b) }.into());
        }
        ZoneProblem::Duplicate { again, .. } => {
            p.error(at(again), ZoneMsg::Twice { zone: name(again) }.into())
                .help(ZoneMsg::TwiceHelp.into());
        }
        ZoneProblem::FollowsUnknown(i) => {
            let wanted = zones[i].follows.clone().unwrap_or_default();
            let names = zones.iter().map(|z| z.name.as_str()).chain([MAIN_ZONE]);
            let help = match suggest(&wanted, names) {
                Some(near) => ZoneMsg::DidYouMean { zone: near.into() }.into(),
                None => ZoneMsg::ZonesHere {
                    zones: zone_names(zones),
                }
                .into(),
            };
            let span = places[i].follows.clone().unwrap_or(at(i));
            p.error(
                span,
                ZoneMsg::FollowsUnknown {
                    zone: name(i),
                    follows: wanted,
                }
                .into(),
            )
            .help(help);
        }
        ZoneProblem::FollowsInCircle(i) => {
            let span = places[i].follows.clone().unwrap_or(at(i));
            p.error(span, ZoneMsg::FollowsInCircle { zone: name(i) }.into())
                .help(ZoneMsg::FollowsInCircleHelp.into());
        }
    }
}

fn zone_names(zones: &[Zone]) -> String {
    let mut names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
    if !names.contains(&MAIN_ZONE) {
        names.insert(0, MAIN_ZONE);
    }
    names.join(", ")
}

/// Every slide's `zone` names a zone of some layout, and not a crawl. A zone written with a
/// mistake still counts as there: its own message says what is wrong with it.
pub(super) fn check_slide_zones(
    root: &Table,
    layouts: &[Layout],
    slides: &[Slide],
    places: &[SlidePlace],
    p: &mut Problems,
) {
    let mut names: Vec<&str> = vec![MAIN_ZONE];
    for name in layouts
        .iter()
        .flat_map(|l| &l.zones)
        .map(|z| z.name.as_str())
        .chain(written_zone_names(root))
    {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    for (slide, place) in slides.iter().zip(places) {
        if names.contains(&slide.zone.as_str()) {
            continue;
        }
        let help = match suggest(&slide.zone, names.iter().copied()) {
            Some(near) => ZoneMsg::DidYouMean { zone: near.into() }.into(),
            None => ZoneMsg::ZonesHere {
                zones: names.join(", "),
            }
            .into(),
        };
        let span = place.zone.clone().unwrap_or(place.table.clone());
        p.error(
            span,
            ZoneMsg::NoSuchZone {
                slide: slide.name.clone(),
                zone: slide.zone.clone(),
            }
            .into(),
        )
        .help(help);
    }
    for (slide, place) in slides.iter().zip(places) {
        let crawl = layouts
            .iter()
            .flat_map(|l| &l.zones)
            .any(|z| z.name == slide.zone && z.ticker.is_some());
        if crawl {
            let span = place.zone.clone().unwrap_or(place.table.clone());
            p.warning(
                span,
                ZoneMsg::SlideInCrawl {
                    slide: slide.name.clone(),
                    zone: slide.zone.clone(),
                }
                .into(),
            );
        }
    }
}

/// The names written in every zone table, read or not.
fn written_zone_names<'a>(root: &Table<'a, '_>) -> Vec<&'a str> {
    let tables = |v: &'a toml::Spanned<DeValue<'_>>| match v.get_ref() {
        DeValue::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    let field = |v: &'a toml::Spanned<DeValue<'_>>, key: &str| match v.get_ref() {
        DeValue::Table(t) => t.iter().find(|(k, _)| k.get_ref() == key).map(|(_, v)| v),
        _ => None,
    };
    let mut zones: Vec<_> = root.raw("zones").map(tables).unwrap_or_default();
    for layout in root.raw("layouts").map(tables).unwrap_or_default() {
        zones.extend(field(layout, "zones").map(tables).unwrap_or_default());
    }
    zones
        .into_iter()
        .filter_map(|z| match field(z, "name")?.get_ref() {
            DeValue::String(name) => Some(name.as_ref()),
            _ => None,
        })
        .collect()
}

/// A slide that writes no `background` shows its zone's (the zone's own defaults to
/// `[defaults]`'s), so that a zone reads as one area whatever plays in it.
pub(super) fn take_zone_backgrounds(
    layouts: &[Layout],
    slides: &mut [Slide],
    places: &[SlidePlace],
) {
    for (slide, place) in slides.iter_mut().zip(places) {
        let zone = layouts.iter().find_map(|l| l.zone(&slide.zone));
        if let (None, Some(zone)) = (&place.background, zone) {
            slide.background = zone.background;
        }
    }
}

/// The ticker band's rectangle: the canvas less the area below (or above) it.
fn band_of(display: &Display, ticker: &Ticker) -> PixelRect {
    let rest = crate::model::zone::below_band(display, Some(ticker));
    let height = display.height - rest.height;
    let y = if rest.y == 0 { rest.height } else { 0 };
    PixelRect {
        x: 0,
        y,
        width: display.width,
        height,
    }
}
