//! The checks that need more than the playlist's text: every image decoded in full, text laid
//! out against the fonts the player would have, and the schedule against today. `check` runs
//! them all; a reload runs them with caches, so that only what changed costs anything. Images
//! are decoded one at a time and dropped at once: memory stays flat whatever the playlist's
//! size.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};
use glyphon::FontSystem;

use crate::lang::{Msg, ZoneMsg};
use crate::layout::{slide_area, text, text_blocks, ticker_band, Rect};
use crate::loader::Diagnostic;
use crate::model::file::Stamp;
use crate::model::playlist::{Content, Playlist, Slide, SlidePlace, TextSlide, Ticker};
use crate::model::workdays::Calendar;
use crate::rules::livetext;
use crate::share::assets::{self, ImageProblem};

/// Loads `path` and runs every check `signage check` runs, so that all problems are reported
/// at once: the playlist's own, then every image decoded, the text against the fonts the
/// player would have (the bundled one, and system fonts if some text needs them), and the
/// schedule against `today`.
pub fn load_and_verify(path: &Path, today: NaiveDate) -> crate::loader::Loaded {
    let mut loaded = crate::loader::load(path);
    let playlist = &loaded.playlist;
    let mut verifier = Verifier::default();
    let mut more = verifier.images(playlist);
    more.extend(verifier.text(&mut text::font_system(), playlist));
    more.extend(schedule(playlist, today));
    loaded.report.extend(more);
    loaded
}

/// Results kept between reloads, for files and texts that did not change.
#[derive(Default)]
pub struct Verifier {
    images: HashMap<(PathBuf, Option<Stamp>), Result<(), ImageProblem>>,
    texts: HashMap<u64, Option<Msg>>,
}

impl Verifier {
    /// Decodes every image the playlist shows (each file once), reporting those that do not
    /// decode completely at the place that names them.
    pub fn images(&mut self, playlist: &Playlist) -> Vec<Diagnostic> {
        let mut seen = HashMap::new();
        let mut problems = Vec::new();
        for (_, image) in playlist.images() {
            let key = (image.path.clone(), image.stamp);
            if seen.contains_key(&key) {
                continue;
            }
            let result = match self.images.remove(&key) {
                Some(result) => result,
                None => assets::decode(&image.path).map(drop),
            };
            if let Err(problem) = &result {
                let span = span_of(playlist, &image.path);
                let d = Diagnostic::error(span, problem.about(written(playlist, &image.path)));
                problems.push(d.with_help(crate::loader::image_help(problem)));
            }
            seen.insert(key, result);
        }
        // Only what the playlist still names is remembered, and not files that could not be
        // read: a permission or a share that comes back changes no stamp, and is tried again.
        seen.retain(|_, result| !matches!(result, Err(ImageProblem::File(_))));
        self.images = seen;
        problems
    }

    /// Text that does not fit its slide or ticker band, fonts that are not there, and
    /// characters no font can draw.
    /// `fs` gets the system fonts first if the playlist needs them, as the player's would.
    pub fn text(&mut self, fs: &mut FontSystem, playlist: &Playlist) -> Vec<Diagnostic> {
        text::add_system_fonts_if_needed(fs, playlist);
        let mut problems = Vec::new();
        let mut seen = HashMap::new();
        // Live text is measured as it reads at its longest over the coming year.
        let now = chrono::Local::now().naive_local();
        for (slide, place) in playlist.slides.iter().zip(&playlist.places.slides) {
            let Content::Text(t) = &slide.content else {
                continue;
            };
            let mut overflow = None;
            for area in areas_of(playlist, slide) {
                let key = text_key(slide, (area.w, area.h));
                let found = match self.texts.remove(&key) {
                    Some(result) => result,
                    None => too_tall(fs, slide, t, area, now),
                };
                seen.insert(key, found.clone());
                overflow = overflow.or(found);
            }
            if let Some(message) = &overflow {
                let span = place.body.clone().or(place.title.clone());
                problems.push(
                    Diagnostic::warning(span.or(Some(place.table.clone())), message.clone())
                        .with_help(Msg::SmallerTextHelp),
                );
            }
            if let Some(d) = unknown_font(fs, &t.font, place) {
                problems.push(d);
            }
        }
        self.texts = seen;
        if let (Some(t), Some(band)) = (&playlist.ticker, ticker_band(playlist)) {
            let place = playlist.places.ticker.clone().unwrap_or_default();
            problems.extend(crawl_problems(fs, t, band.h, &place));
        }
        for (t, place) in crawls(playlist) {
            problems.extend(crawl_problems(fs, t, t.height as f32, place));
        }
        for (place, chars) in missing(fs, playlist) {
            let list: Vec<String> = chars
                .iter()
                .map(|c| format!("'{c}' (U+{:04X})", *c as u32))
                .collect();
            problems.push(
                Diagnostic::warning(
                    Some(place),
                    Msg::NoGlyphs {
                        chars: list.join(" "),
                    },
                )
                .with_help(Msg::NoGlyphsHelp),
            );
        }
        problems
    }
}

/// Slides that will never play again from `today`, and a warning when that is all of them.
pub fn schedule(playlist: &Playlist, today: NaiveDate) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut any_will_play = false;
    for (slide, place) in playlist.slides.iter().zip(&playlist.places.slides) {
        if plays_on_or_after(slide, &playlist.calendar, today) {
            any_will_play = true;
            continue;
        }
        let span = place.when.clone().unwrap_or(place.table.clone());
        let name = slide.name.clone();
        let message = match slide.when.as_ref().and_then(|w| w.until) {
            Some(until) if until < today => Msg::SlideEnded {
                slide: name,
                on: until.to_string(),
            },
            _ => Msg::NotScheduled { slide: name },
        };
        problems
            .push(Diagnostic::warning(Some(span), message).with_help(Msg::RemoveOrChangeWhenHelp));
    }
    problems.extend(unknown_arrangements(playlist, today));
    problems.extend(zones_never_eligible(playlist, today));
    if !playlist.slides.is_empty() && !any_will_play {
        problems.push(
            Diagnostic::warning(None, Msg::NoSlideWillPlay).with_help(Msg::NoSlideWillPlayHelp),
        );
    }
    problems
}

/// Zones that have slides, none of which will play again from `today` (a zone with none at
/// all is the loader's to report).
fn zones_never_eligible(playlist: &Playlist, today: NaiveDate) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for z in playlist.layouts.iter().flat_map(|l| &l.zones) {
        if !names.contains(&z.name.as_str()) {
            names.push(&z.name);
        }
    }
    for name in names {
        let slides: Vec<_> = playlist
            .slides
            .iter()
            .zip(&playlist.places.slides)
            .filter(|(s, _)| s.zone == name)
            .collect();
        let will_play = slides
            .iter()
            .any(|(s, _)| plays_on_or_after(s, &playlist.calendar, today));
        if let (false, Some((_, place))) = (will_play, slides.first()) {
            let message = ZoneMsg::NoSlideWillPlay {
                zone: name.to_string(),
            };
            let span = place.zone.clone().unwrap_or(place.table.clone());
            problems.push(
                Diagnostic::warning(Some(span), message.into()).with_help(Msg::NoSlideWillPlayHelp),
            );
        }
    }
    problems
}

/// Slides scheduled by official working days in a year (this one or the next, as far as the
/// slide runs) whose arrangement is not in the calendar data yet: the State Council
/// publishes each year's in November, and a newer build of the player brings it.
fn unknown_arrangements(playlist: &Playlist, today: NaiveDate) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (slide, place) in playlist.slides.iter().zip(&playlist.places.slides) {
        let Some(when) = slide.when.as_ref().filter(|w| w.days.is_some()) else {
            continue;
        };
        let first = when.from.map_or(today, |f| f.max(today)).year();
        let last = when
            .until
            .map_or(today.year() + 1, |u| u.year().min(today.year() + 1));
        let unknown: Vec<String> = (first..=last)
            .filter(|&y| !playlist.calendar.knows(y))
            .map(|y| y.to_string())
            .collect();
        if unknown.is_empty() {
            continue;
        }
        let span = place.when.clone().unwrap_or(place.table.clone());
        problems.push(
            Diagnostic::warning(
                Some(span),
                Msg::WorkingDaysUnknown {
                    slide: slide.name.clone(),
                    year: unknown.join(" and "),
                    known: crate::model::workdays::last_arranged_year(),
                },
            )
            .with_help(Msg::StateCouncilHelp),
        );
    }
    problems
}

/// Whether `slide` plays on some day within 400 days of `today`.
pub fn plays_on_or_after(slide: &Slide, calendar: &Calendar, today: NaiveDate) -> bool {
    let Some(when) = &slide.when else {
        return true;
    };
    (0..=400)
        .filter_map(|i| today.checked_add_days(Days::new(i)))
        .any(|day| when.matches_date(day, calendar))
}

fn unknown_font(fs: &FontSystem, family: &str, place: &SlidePlace) -> Option<Diagnostic> {
    let known = fs.db().faces().any(|f| {
        f.families
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(family))
    });
    (!known).then(|| {
        Diagnostic::warning(
            Some(place.font.clone().unwrap_or(place.table.clone())),
            Msg::NoSuchFont {
                font: family.to_string(),
                instead: crate::model::playlist::DEFAULT_FONT.to_string(),
            },
        )
        .with_help(Msg::InstallFontHelp)
    })
}

/// Characters of each text no loaded font can draw, at the place of that text.
fn missing(fs: &mut FontSystem, playlist: &Playlist) -> Vec<(Range<usize>, Vec<char>)> {
    let mut out = Vec::new();
    for (slide, place) in playlist.slides.iter().zip(&playlist.places.slides) {
        if let Content::Text(t) = &slide.content {
            let both = format!(
                "{}{}",
                t.title.as_deref().unwrap_or(""),
                t.body.as_deref().unwrap_or("")
            );
            let chars = text::missing_chars(fs, &both);
            if !chars.is_empty() {
                let span = place.title.clone().or(place.body.clone());
                out.push((span.unwrap_or(place.table.clone()), chars));
            }
        }
    }
    let band = playlist.ticker.iter().map(|t| {
        let place = playlist.places.ticker.clone().unwrap_or_default();
        (t, place)
    });
    let zones = crawls(playlist).map(|(t, place)| (t, place.clone()));
    for (t, place) in band.chain(zones) {
        let chars = text::missing_chars(fs, &format!("{}{}", t.text, t.separator));
        if !chars.is_empty() {
            out.push((place.body.unwrap_or(place.table), chars));
        }
    }
    out
}

/// The zones' crawls, each with where its `ticker` table is written.
fn crawls(playlist: &Playlist) -> impl Iterator<Item = (&Ticker, &SlidePlace)> {
    playlist.places.crawls.iter().filter_map(|(name, place)| {
        let zone = playlist.layouts.iter().find_map(|l| l.zone(name))?;
        Some((zone.ticker.as_ref()?, place))
    })
}

/// A ticker's text taller than its band (`band_px`), and a font that is not there.
fn crawl_problems(
    fs: &FontSystem,
    t: &Ticker,
    band_px: f32,
    place: &SlidePlace,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let line = (t.font_size * 1.25).ceil();
    if line > band_px + 0.5 {
        problems.push(
            Diagnostic::warning(
                Some(place.size.clone().unwrap_or(place.table.clone())),
                Msg::TickerTooTall {
                    text_px: line,
                    band_px,
                },
            )
            .with_help(Msg::TickerFontHelp),
        );
    }
    problems.extend(unknown_font(fs, &t.font, place));
    problems
}

/// Whether text slide `slide` (`t`), at its longest from `now`, is taller than `area`.
fn too_tall(
    fs: &mut FontSystem,
    slide: &Slide,
    t: &TextSlide,
    area: Rect,
    now: NaiveDateTime,
) -> Option<Msg> {
    let longest = |s: &Option<String>| s.as_deref().map(|s| livetext::longest(s, now).into_owned());
    let expanded = TextSlide {
        title: longest(&t.title),
        body: longest(&t.body),
        ..t.clone()
    };
    let blocks = text_blocks(fs, &expanded, area);
    let height = blocks
        .last()
        .map_or(0.0, |(b, _, top)| top + text::measure(b).1);
    (height > area.h + 0.5).then(|| Msg::TextTooTall {
        slide: slide.name.clone(),
        text_px: height.round(),
        slide_px: area.h,
    })
}

/// The areas `slide` plays in: its zone in each layout that has it (the main zone's where the
/// playlist has no layouts).
fn areas_of(playlist: &Playlist, slide: &Slide) -> Vec<Rect> {
    if playlist.layouts.is_empty() {
        return vec![slide_area(playlist)];
    }
    let mut areas: Vec<Rect> = Vec::new();
    for zone in playlist.layouts.iter().filter_map(|l| l.zone(&slide.zone)) {
        let r = Rect::new(0.0, 0.0, zone.rect.width as f32, zone.rect.height as f32);
        if !areas.contains(&r) {
            areas.push(r);
        }
    }
    areas
}

fn text_key(slide: &Slide, area: (f32, f32)) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    if let Content::Text(t) = &slide.content {
        (&t.title, &t.body, &t.font, t.align as u8).hash(&mut h);
        (t.title_size.to_bits(), t.body_size.to_bits()).hash(&mut h);
    }
    (area.0.to_bits(), area.1.to_bits()).hash(&mut h);
    h.finish()
}

/// Where `path` is named in the playlist.
fn span_of(playlist: &Playlist, path: &Path) -> Option<Range<usize>> {
    playlist
        .referenced
        .iter()
        .find(|r| r.path == path)
        .map(|r| r.span.clone())
}

/// `path` as the playlist writes it (relative to its folder).
fn written(playlist: &Playlist, path: &Path) -> String {
    path.strip_prefix(playlist.dir())
        .unwrap_or(path)
        .display()
        .to_string()
}
