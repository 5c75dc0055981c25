//! Urgent notices without the playlist: an office saves `urgent.txt` (plain text, as Notepad
//! saves it: UTF-8, UTF-8 with a byte-order mark, UTF-16 or GBK) or `urgent.toml` (title, body,
//! colours, image, `until`, `ticker`) next to the playlist, and it takes over the whole wall
//! within seconds. Removing the file (or `until` passing) gives the wall back to the playlist,
//! which resumes where it was. The watcher reads these files; the player shows them.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;

use crate::lang::Msg;
use crate::loader;
use crate::loader::Report;
use crate::model::playlist::{
    self, Align, Content, Display, Slide, TextSlide, Transition, TransitionKind,
};
use crate::share::{self, FileProblem};

pub const TXT: &str = "urgent.txt";
pub const TOML: &str = "urgent.toml";
/// A notice is a few lines; a larger file is not one.
const MAX_BYTES: u64 = 64 << 10;

/// A notice to show instead of the playlist.
#[derive(Debug, Clone, PartialEq)]
pub struct Urgent {
    pub slide: Slide,
    /// When it ends by itself (local time); otherwise when its file is removed.
    pub until: Option<NaiveDateTime>,
    /// Whether the playlist's ticker stays on under it.
    pub ticker: bool,
    /// Outside the display's on-hours the notice waits for them (the wall stays dark); by
    /// default it lights the wall at once, as an emergency notice must.
    pub wait_for_display_hours: bool,
    /// The file it came from.
    pub file: PathBuf,
}

impl Urgent {
    /// Its title (or image), for logs and the status file.
    pub fn headline(&self) -> String {
        match &self.slide.content {
            Content::Text(t) => t.title.clone().or(t.body.clone()).unwrap_or_default(),
            Content::Image { image, .. } => image.path.display().to_string(),
            Content::Video { video, .. } => video.path.display().to_string(),
        }
    }
}

/// The two files an urgent notice can be, next to the playlist at `playlist`.
pub fn files(playlist: &Path) -> [PathBuf; 2] {
    let dir = crate::model::file::folder_of(playlist);
    [dir.join(TOML), dir.join(TXT)]
}

/// The notice next to `playlist`, laid out for `display`: `Ok(None)` when there is none (or the
/// text file is empty, as mid-save), `Err` with the report when `urgent.toml` is broken, in which
/// case the wall keeps what it shows. `urgent.toml` wins when both are there.
pub fn load(playlist: &Path, display: &Display) -> Result<Option<Urgent>, Report> {
    let [toml, txt] = files(playlist);
    match share::read_limited(&toml, MAX_BYTES) {
        Ok(bytes) => {
            let source = decode(&bytes);
            let (spec, report) = loader::parse_urgent(&toml, source, display);
            return match spec {
                Some(s) => Ok(Some(Urgent {
                    slide: s.slide,
                    until: s.until,
                    ticker: s.ticker,
                    wait_for_display_hours: s.wait_for_display_hours,
                    file: toml,
                })),
                None => Err(report),
            };
        }
        Err(FileProblem::NotFound) => {}
        Err(problem) => return Err(unreadable(&toml, problem)),
    }
    match share::read_limited(&txt, MAX_BYTES) {
        Ok(bytes) => Ok(from_text(&decode(&bytes), display).map(|slide| Urgent {
            slide,
            until: None,
            ticker: false,
            wait_for_display_hours: false,
            file: txt,
        })),
        Err(FileProblem::NotFound) => Ok(None),
        Err(problem) => Err(unreadable(&txt, problem)),
    }
}

fn unreadable(file: &Path, problem: FileProblem) -> Report {
    let help = match problem {
        FileProblem::TooLarge { .. } => Msg::UrgentShortenHelp,
        _ => Msg::UrgentSaveHelp,
    };
    let problem = Box::new(problem.message());
    let d = loader::Diagnostic::error(None, Msg::UrgentIs { problem }).with_help(help);
    Report::new(file, String::new(), vec![d])
}

/// Text as Notepad may have saved it: UTF-8 with or without a byte-order mark, UTF-16 (its
/// "Unicode"), or GBK (its "ANSI" on a Chinese Windows).
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GBK
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The first line as the title, the rest as the body: white on red, large.
fn from_text(text: &str, display: &Display) -> Option<Slide> {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let title = lines.next()?.to_string();
    let body: Vec<&str> = lines.collect();
    let body = body.join("\n").trim().to_string();
    Some(Slide {
        name: "urgent notice".into(),
        content: Content::Text(TextSlide {
            title: Some(title),
            body: (!body.is_empty()).then_some(body),
            align: Align::Center,
            title_size: (display.height as f32 * 0.35).clamp(12.0, 200.0),
            body_size: (display.height as f32 * 0.16).clamp(10.0, 110.0),
            color: playlist::Color::WHITE,
            font: playlist::DEFAULT_FONT.into(),
            background_image: None,
        }),
        duration_ms: 86_400_000,
        transition: Transition {
            kind: TransitionKind::Cut,
            duration_ms: 0,
        },
        when: None,
        priority: false,
        background: playlist::Color::rgb(0xc0, 0, 0),
        zone: playlist::MAIN_ZONE.into(),
    })
}

/// The display `normal` is while `urgent` shows: lit around the clock unless the notice waits
/// for the display hours, at the brightness the playlist gives each hour.
pub fn display(urgent: &Urgent, normal: &Display) -> Display {
    let mut d = normal.clone();
    // A notice takes the whole wall, whatever the layout.
    d.slide_area = None;
    if !urgent.wait_for_display_hours {
        d.on_hours.clear();
    }
    d
}

/// The playlist to show while `urgent` is on: `normal`'s canvas (and its ticker, if the notice
/// keeps it), the notice as its only slide, lit around the clock unless the notice waits for
/// the display hours (at the brightness the playlist gives each hour).
pub fn playlist(urgent: &Urgent, normal: &playlist::Playlist) -> playlist::Playlist {
    let mut p = normal.clone();
    p.slides = vec![urgent.slide.clone()];
    p.places = Default::default();
    p.layouts = Vec::new();
    p.display = display(urgent, &normal.display);
    if !urgent.ticker {
        p.ticker = None;
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn display() -> Display {
        crate::loader::fallback(Path::new("/x/p.toml")).display
    }

    #[test]
    fn notepad_encodings_all_read() {
        let text = "停电通知\n今晚 20:00 至 22:00 停电";
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let bom: Vec<u8> = [0xEF, 0xBB, 0xBF]
            .iter()
            .chain(text.as_bytes())
            .copied()
            .collect();
        for bytes in [text.as_bytes().to_vec(), bom, utf16, gbk.into_owned()] {
            assert_eq!(decode(&bytes), text);
        }
    }

    #[test]
    fn the_first_line_is_the_title() {
        let slide = from_text("\n\n  停电通知 \n今晚停电\n请做好准备\n", &display()).unwrap();
        let Content::Text(t) = slide.content else {
            panic!()
        };
        assert_eq!(t.title.as_deref(), Some("停电通知"));
        assert_eq!(t.body.as_deref(), Some("今晚停电\n请做好准备"));
        assert!(
            from_text(" \n \n", &display()).is_none(),
            "an empty file is no notice"
        );
    }

    #[test]
    fn an_oversized_notice_is_told_to_be_shorter() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(TXT), "停电通知\n".repeat(10_000)).unwrap();
        let report = load(&dir.path().join("p.toml"), &display()).unwrap_err();
        let d = report.errors().next().unwrap();
        assert!(
            d.message.to_string().starts_with("the urgent notice is "),
            "{}",
            d.message
        );
        assert_eq!(d.help, Some(Msg::UrgentShortenHelp));
    }

    #[test]
    fn urgent_toml_is_read_with_until_and_its_mistakes_reported() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("playlist.toml");
        std::fs::write(
            dir.path().join(TOML),
            "title = \"道路封闭\"\nbody = \"请绕行\"\nbackground = \"#003080\"\nuntil = 2027-03-01T18:00:00\nticker = true\n",
        )
        .unwrap();
        let u = load(&p, &display()).unwrap().unwrap();
        assert_eq!(u.headline(), "道路封闭");
        assert_eq!(u.until.unwrap().to_string(), "2027-03-01 18:00:00");
        assert!(u.ticker);
        assert_eq!(u.slide.background, playlist::Color::rgb(0, 0x30, 0x80));
        std::fs::write(dir.path().join(TOML), "title = \"x\"\nuntill = \"soon\"\n").unwrap();
        let report = load(&p, &display()).unwrap_err();
        let d = report.errors().next().unwrap();
        let message = d.message.to_string();
        assert!(message.contains("unknown key `untill`"), "{message}");
        assert_eq!(
            report.location(d),
            format!("{}:2:1", dir.path().join(TOML).display())
        );
        std::fs::remove_file(dir.path().join(TOML)).unwrap();
        assert_eq!(load(&p, &display()).unwrap(), None);
    }
}
