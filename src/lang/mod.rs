//! The editor's language, English or Chinese: from `--lang`, else the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`) or the Windows user language. Messages are written in English where
//! they are made, as gettext's msgids are; [`tr`] gives one in the chosen language from the
//! catalogue (`zh.rs`), matching the English text around the values it carries. A message the
//! catalogue lacks stays English; a test runs every broken playlist of the corpus in Chinese
//! and fails on any line left in English.

mod zh;

use std::borrow::Cow;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

use regex::Regex;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// The language for everything the editor reads from now on.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// `chosen` (from `--lang`), else the system's: Chinese for a `zh` locale or a Chinese Windows
/// user language, English otherwise.
pub fn detect(chosen: Option<Lang>) -> Lang {
    if let Some(lang) = chosen {
        return lang;
    }
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty());
    match locale {
        Some(l) => from_locale(&l),
        None if crate::platform::user_language_is_chinese() => Lang::Zh,
        None => Lang::En,
    }
}

fn from_locale(locale: &str) -> Lang {
    if locale.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// `english` in the current language.
pub fn tr(english: &str) -> Cow<'_, str> {
    match current() {
        Lang::En => Cow::Borrowed(english),
        Lang::Zh => translate(english),
    }
}

/// Each line of `text` in the current language.
pub fn tr_lines(text: &str) -> String {
    match current() {
        Lang::En => text.to_string(),
        Lang::Zh => text
            .split_inclusive('\n')
            .map(|line| {
                let body = line.trim_end_matches('\n');
                let indent = &body[..body.len() - body.trim_start().len()];
                let ending = &line[body.len()..];
                format!("{indent}{}{ending}", translate(body.trim_start()))
            })
            .collect(),
    }
}

/// The label of a severity or a help note in the current language.
pub fn word(english: &'static str) -> &'static str {
    match (current(), english) {
        (Lang::Zh, "error") => "错误",
        (Lang::Zh, "warning") => "警告",
        (Lang::Zh, "help") => "提示",
        _ => english,
    }
}

/// The entry whose English matches `english` with the most of its own text (so "the playlist
/// {}" does not take a longer message that starts the same way), its values translated too.
fn translate(english: &str) -> Cow<'_, str> {
    let best = catalogue()
        .iter()
        .filter_map(|entry| Some((entry, entry.pattern.captures(english)?)))
        .max_by_key(|(entry, _)| entry.literal_len);
    let Some((entry, caps)) = best else {
        return Cow::Borrowed(english);
    };
    let mut out = entry.chinese.to_string();
    for i in 1..caps.len() {
        let value = caps.get(i).map_or("", |m| m.as_str());
        // A quoted value is the editor's (a slide's name, a path, a key): as it is. Only the
        // program's own words (a problem, a type) are translated.
        let value = match entry.quoted.get(i - 1) {
            Some(true) => Cow::Borrowed(value),
            _ => translate(value),
        };
        out = out.replace(&format!("{{{}}}", i - 1), &value);
    }
    Cow::Owned(out)
}

struct Entry {
    /// The English text as a pattern: `{}` matches any value.
    pattern: Regex,
    /// How much of the English is the entry's own text rather than values.
    literal_len: usize,
    /// For each value, whether the English quotes it ("{}", `{}`, “{}”): then it is the
    /// editor's text, never translated.
    quoted: Vec<bool>,
    chinese: &'static str,
}

fn catalogue() -> &'static [Entry] {
    static COMPILED: OnceLock<Vec<Entry>> = OnceLock::new();
    COMPILED.get_or_init(|| {
        zh::CATALOGUE
            .iter()
            .map(|(en, zh)| {
                let parts: Vec<String> = en.split("{}").map(regex::escape).collect();
                let pattern = format!("^{}$", parts.join("(.+?)"));
                Entry {
                    pattern: Regex::new(&pattern).expect("catalogue patterns are valid"),
                    literal_len: en.len() - 2 * en.matches("{}").count(),
                    quoted: quoted_slots(en),
                    chinese: zh,
                }
            })
            .collect()
    })
}

/// For each `{}` in `english`, whether quotes surround it.
fn quoted_slots(english: &str) -> Vec<bool> {
    english
        .match_indices("{}")
        .map(|(at, _)| {
            let before = english[..at].chars().next_back();
            let after = english[at + 2..].chars().next();
            matches!(
                (before, after),
                (Some('"'), Some('"')) | (Some('`'), Some('`')) | (Some('“'), Some('”'))
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_as_many_values_in_chinese_as_in_english_and_chinese_text() {
        for (en, zh) in zh::CATALOGUE {
            let slots = en.matches("{}").count();
            for i in 0..slots {
                assert!(zh.contains(&format!("{{{i}}}")), "{en} -> {zh}: no {{{i}}}");
            }
            assert!(
                !zh.contains(&format!("{{{slots}}}")),
                "{en} -> {zh}: too many"
            );
            let ascii_only = zh.is_ascii();
            assert!(!ascii_only || en == zh, "{en} -> {zh}: not Chinese");
        }
    }

    #[test]
    fn values_are_carried_over_and_translated_themselves() {
        assert_eq!(
            translate("`display.width` must be a whole number, found a string"),
            "`display.width` 应为整数，实际是字符串"
        );
        assert_eq!(
            translate("unknown key `widht` in `display`"),
            "`display` 中没有 `widht` 这个键"
        );
        assert_eq!(translate("no such message"), "no such message");
        // What editors wrote stays as they wrote it, even where it reads like a catalogue
        // word: a slide called "top", an image path "a string".
        assert_eq!(
            translate("slide \"top\" has nothing to show"),
            "幻灯片“top”没有可显示的内容"
        );
        let missing = translate("image \"a string\" not found (looked for /share/a string)");
        assert!(missing.contains("“a string”"), "{missing}");
        // The program's own words in a value are translated.
        assert_eq!(
            translate("`display.width` must be a whole number, found a string"),
            "`display.width` 应为整数，实际是字符串"
        );
        // The entry with the most text of its own wins, wherever it stands in the catalogue.
        assert_eq!(
            translate(
                "the playlist lists 3 public holiday(s) and 1 make-up working day(s) in 2030"
            ),
            "播放列表自列 2030 年的放假安排：放假 3 天，调休上班 1 天"
        );
        assert_eq!(from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(from_locale("C"), Lang::En);
    }
}
