//! Fonts and text shaping (cosmic-text through glyphon): plain CPU work for any thread, once
//! per slide and once per ticker text. Drawing what was shaped is in `glyphs`.

use glyphon::{fontdb, Attrs, Buffer, Family, FontSystem, Metrics, Shaping, Weight, Wrap};

use super::Rect;
use chrono::NaiveDateTime;

use std::borrow::Cow;

use crate::model::playlist::{
    Align, Color, Content, Playlist, Slide, TextSlide, Ticker, DEFAULT_FONT,
};
use crate::rules::livetext;

pub static REGULAR: &[u8] = include_bytes!("../../fonts/NotoSansSC-Regular.otf");
pub static BOLD: &[u8] = include_bytes!("../../fonts/NotoSansSC-Bold.otf");

/// Faces in [`font_system`]: regular and bold.
const BUNDLED_FACES: usize = 2;

/// Which fonts text may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fonts {
    /// Only the bundled font: identical output on every machine (tests, golden images).
    BundledOnly,
    /// The bundled font first; system fonts as fallback, loaded only when some text needs a
    /// character the bundled font lacks (scanning them costs time and memory).
    WithSystem,
}

/// A font system with the bundled font only: system fonts are added on demand by
/// [`add_system_fonts_if_needed`] (for [`Fonts::WithSystem`]).
pub fn font_system() -> FontSystem {
    let mut db = fontdb::Database::new();
    db.load_font_data(REGULAR.to_vec());
    db.load_font_data(BOLD.to_vec());
    db.set_sans_serif_family(DEFAULT_FONT);
    font_system_with(db)
}

/// A font system over `db`. A clone of another system's database keeps its font IDs, so text
/// shaped with one can be drawn with the other (how reloads are shaped off the render thread).
pub fn font_system_with(db: fontdb::Database) -> FontSystem {
    FontSystem::new_with_locale_and_db("zh-CN".into(), db)
}

/// What a reload hands the render thread besides the playlist: the ticker, shaped, and the
/// fonts, when they changed. Slides are shaped when they come up (see [`crate::layout::prepare`]).
pub struct ShapedText {
    /// The ticker's text (placeholders expanded) and separator, shaped as one line.
    pub ticker: Option<Buffer>,
    /// The ticker's text as expanded for `ticker`, to tell when it changes.
    pub ticker_text: Option<String>,
    /// The font database the text was shaped with, when system fonts had to be added to it:
    /// the renderer adopts it so that the font IDs in the buffers resolve.
    pub fonts: Option<fontdb::Database>,
}

/// Shapes the ticker of `playlist` with its placeholders expanded at `at`, after adding the
/// system fonts to `fs` if some text of the playlist needs them and `fonts` allows it. Plain
/// CPU work, for any thread.
pub fn shape_playlist(
    fs: &mut FontSystem,
    playlist: &Playlist,
    fonts: Fonts,
    at: NaiveDateTime,
) -> ShapedText {
    let added = fonts == Fonts::WithSystem && add_system_fonts_if_needed(fs, playlist);
    let ticker_text = playlist
        .ticker
        .as_ref()
        .map(|t| crate::rules::livetext::expand(&t.text, at).into_owned());
    let ticker = playlist
        .ticker
        .as_ref()
        .zip(ticker_text.as_deref())
        .map(|(t, text)| shape_ticker(fs, t, text));
    ShapedText {
        ticker,
        ticker_text,
        fonts: added.then(|| fs.db().clone()),
    }
}

/// Shapes `text` (a ticker's text, expanded) with the ticker's separator, font and size.
pub fn shape_ticker(fs: &mut FontSystem, ticker: &Ticker, text: &str) -> Buffer {
    let line = format!("{text}{}", ticker.separator);
    shape(
        fs,
        &line,
        &ticker.font,
        ticker.font_size,
        false,
        None,
        Align::Left,
    )
}

/// Loads the system's fonts into `fs` if `playlist` names a font family the fonts loaded so
/// far do not have, or uses characters they cannot draw. Returns whether it loaded them.
pub fn add_system_fonts_if_needed(fs: &mut FontSystem, playlist: &Playlist) -> bool {
    // Once loaded they stay: loading them again for a character no font has (an emoji on a
    // machine without an emoji font) would grow the database at every reload.
    if fs.db().len() > BUNDLED_FACES {
        return false;
    }
    let families = playlist_fonts(playlist);
    let unknown: Vec<&str> = families
        .iter()
        .filter(|f| !has_family(fs, f))
        .copied()
        .collect();
    let missing = missing_glyphs(fs, playlist);
    if unknown.is_empty() && missing.is_empty() {
        return false;
    }
    let chars: String = missing.iter().flat_map(|(_, c)| c.iter()).collect();
    tracing::info!(
        "loading system fonts (for {}{}{})",
        unknown.join(", "),
        if unknown.is_empty() || chars.is_empty() {
            ""
        } else {
            " and "
        },
        if chars.is_empty() {
            String::new()
        } else {
            format!("characters the bundled font lacks: {chars}")
        }
    );
    fs.db_mut().load_system_fonts();
    true
}

/// Every font family the playlist names.
fn playlist_fonts(playlist: &Playlist) -> Vec<&str> {
    let mut families: Vec<&str> = playlist
        .slides
        .iter()
        .filter_map(|s| match &s.content {
            Content::Text(t) => Some(t.font.as_str()),
            Content::Image { .. } | Content::Video { .. } => None,
        })
        .chain(playlist.ticker.as_ref().map(|t| t.font.as_str()))
        .chain(zone_crawls(playlist).map(|t| t.font.as_str()))
        .collect();
    families.sort_unstable();
    families.dedup();
    families
}

/// The crawls of the playlist's zones (a zone's own playlist has its crawl as its ticker).
fn zone_crawls(playlist: &Playlist) -> impl Iterator<Item = &crate::model::playlist::Ticker> {
    let zones = playlist.layouts.iter().flat_map(|l| &l.zones);
    zones.filter_map(|z| z.ticker.as_ref())
}

/// Whether a face of `family` is loaded.
pub fn has_family(fs: &FontSystem, family: &str) -> bool {
    fs.db().faces().any(|f| {
        f.families
            .iter()
            .any(|(name, _)| name.eq_ignore_ascii_case(family))
    })
}

pub fn glyph_color(c: Color) -> glyphon::Color {
    glyphon::Color::rgba(c.r, c.g, c.b, c.a)
}

fn attrs(family: &str, bold: bool) -> Attrs<'_> {
    let attrs = Attrs::new().family(Family::Name(family));
    if bold {
        attrs.weight(Weight::BOLD)
    } else {
        attrs
    }
}

/// Shapes `text` into a buffer `width` pixels wide (None: one unwrapped line).
pub fn shape(
    fs: &mut FontSystem,
    text: &str,
    family: &str,
    size: f32,
    bold: bool,
    width: Option<f32>,
    align: Align,
) -> Buffer {
    let mut buffer = Buffer::new(fs, Metrics::new(size, (size * 1.25).ceil()));
    // CJK has no spaces between words: wrap at any glyph when a word does not fit.
    buffer.set_wrap(Wrap::WordOrGlyph);
    buffer.set_size(width, None);
    let align = match align {
        Align::Left => glyphon::cosmic_text::Align::Left,
        Align::Center => glyphon::cosmic_text::Align::Center,
        Align::Right => glyphon::cosmic_text::Align::Right,
    };
    buffer.set_text(text, &attrs(family, bold), Shaping::Advanced, Some(align));
    buffer.shape_until_scroll(fs, false);
    buffer
}

/// Title and body, shaped once, wrapped to the slide's width and centred vertically as a block.
/// Returns (buffer, left, top) per block.
pub fn text_blocks(fs: &mut FontSystem, t: &TextSlide, area: Rect) -> Vec<(Buffer, f32, f32)> {
    let margin = (area.w * 0.04).round().max(4.0);
    let width = (area.w - 2.0 * margin).max(1.0);
    let mut blocks: Vec<(Buffer, f32)> = Vec::new();
    if let Some(title) = t.title.as_deref().filter(|s| !s.is_empty()) {
        let b = shape(fs, title, &t.font, t.title_size, true, Some(width), t.align);
        let h = measure(&b).1;
        blocks.push((b, h));
    }
    if let Some(body) = t.body.as_deref().filter(|s| !s.is_empty()) {
        let b = shape(fs, body, &t.font, t.body_size, false, Some(width), t.align);
        let h = measure(&b).1;
        blocks.push((b, h));
    }
    let gap = (t.body_size * 0.3).round();
    let total: f32 =
        blocks.iter().map(|(_, h)| h).sum::<f32>() + gap * (blocks.len().saturating_sub(1)) as f32;
    let mut top = ((area.h - total) / 2.0).round().max(0.0);
    blocks
        .into_iter()
        .map(|(b, h)| {
            let placed = (b, margin, top);
            top += h + gap;
            placed
        })
        .collect()
}

/// Width of the widest line and total height of a shaped buffer.
pub fn measure(buffer: &Buffer) -> (f32, f32) {
    buffer.layout_runs().fold((0.0f32, 0.0f32), |(w, h), run| {
        (w.max(run.line_w), h.max(run.line_top + run.line_height))
    })
}

/// Characters of `text` that no loaded font can draw (they would show as empty boxes).
pub fn missing_chars(fs: &mut FontSystem, text: &str) -> Vec<char> {
    let ids: Vec<fontdb::ID> = fs.db().faces().map(|f| f.id).collect();
    let fonts: Vec<_> = ids
        .into_iter()
        .filter_map(|id| fs.get_font(id, Weight::NORMAL))
        .collect();
    let mut missing: Vec<char> = Vec::new();
    for c in text.chars() {
        if c.is_whitespace() || c.is_control() || missing.contains(&c) {
            continue;
        }
        // U+FE0F and friends select a presentation; they are not drawn themselves.
        if ('\u{FE00}'..='\u{FE0F}').contains(&c) || c == '\u{200D}' {
            continue;
        }
        if !fonts.iter().any(|f| f.as_swash().charmap().map(c) != 0) {
            missing.push(c);
        }
    }
    missing
}

/// Characters of the playlist's text that no font can draw, per slide name (and "ticker").
pub fn missing_glyphs(fs: &mut FontSystem, playlist: &Playlist) -> Vec<(String, Vec<char>)> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for slide in &playlist.slides {
        if let Content::Text(t) = &slide.content {
            let text = format!(
                "{}{}",
                t.title.as_deref().unwrap_or(""),
                t.body.as_deref().unwrap_or("")
            );
            texts.push((format!("slide \"{}\"", slide.name), text));
        }
    }
    if let Some(t) = &playlist.ticker {
        texts.push((
            "the ticker".to_string(),
            format!("{}{}", t.text, t.separator),
        ));
    }
    for t in zone_crawls(playlist) {
        texts.push((
            "a zone's crawl".to_string(),
            format!("{}{}", t.text, t.separator),
        ));
    }
    texts
        .into_iter()
        .map(|(name, text)| (name, missing_chars(fs, &text)))
        .filter(|(_, missing)| !missing.is_empty())
        .collect()
}

/// `slide` with its title and body expanded at `at` (the same slide when they have nothing to
/// expand).
pub fn slide_at(slide: &Slide, at: NaiveDateTime) -> Cow<'_, Slide> {
    let Content::Text(t) = &slide.content else {
        return Cow::Borrowed(slide);
    };
    let live = |s: &Option<String>| s.as_deref().is_some_and(livetext::is_live);
    if !live(&t.title) && !live(&t.body) {
        return Cow::Borrowed(slide);
    }
    let mut owned = slide.clone();
    if let Content::Text(t) = &mut owned.content {
        for s in [&mut t.title, &mut t.body].into_iter().flatten() {
            *s = livetext::expand(s, at).into_owned();
        }
    }
    Cow::Owned(owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn a_font_family_not_bundled_brings_in_the_system_fonts_once() {
        let mut fs = font_system();
        let named = |family: &str| {
            crate::loader::load_str(
                Path::new("/x/p.toml"),
                &format!("[ticker]\ntext = \"ok\"\nfont = \"{family}\"\n"),
            )
            .playlist
        };
        assert!(!add_system_fonts_if_needed(
            &mut fs,
            &named("Noto Sans CJK SC")
        ));
        assert!(add_system_fonts_if_needed(&mut fs, &named("Some Family")));
        // Loaded once (where the system has fonts at all): a family no system font has does
        // not load them again at every reload.
        if fs.db().len() > BUNDLED_FACES {
            assert!(!add_system_fonts_if_needed(&mut fs, &named("Some Family")));
        }
    }

    #[test]
    fn bundled_font_covers_ordinary_chinese_and_names_what_it_lacks() {
        let mut fs = font_system();
        // Ordinary text, full-width punctuation and the ticker's star are covered.
        assert!(missing_chars(&mut fs, "富强、民主，文明！（和谐）「自由」ABC 123 ★ ·").is_empty());
        // A rare character outside GB 2312 and an emoji are reported, once each.
        assert_eq!(missing_chars(&mut fs, "𠀀 😀 😀"), vec!['𠀀', '😀']);
        let playlist = crate::loader::load_str(
            Path::new("/x/p.toml"),
            "[ticker]\ntext = \"ok\"\n[[slides]]\nname = \"notice\"\ntitle = \"通知😀\"\n",
        )
        .playlist;
        assert_eq!(
            missing_glyphs(&mut fs, &playlist),
            vec![("slide \"notice\"".to_string(), vec!['😀'])]
        );
    }
}
