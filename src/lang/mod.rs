//! The editor's language, English or Chinese: from `--lang`, else the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`) or the Windows user language.
//!
//! Every text an editor or operator reads is a [`Msg`]: a value with named fields, declared
//! once in `messages.rs` with its English and its Chinese side by side. A message without
//! Chinese, or a Chinese text that leaves out one of the message's values, does not compile.
//! Values (a slide's name, a path, a key the editor wrote) are fields, inserted as they are and
//! never translated; the program's own words inside a message (a kind of value, a file's
//! problem) are messages themselves, and follow the language.

use std::fmt;
use std::sync::atomic::{AtomicU8, Ordering};

pub use messages::{Kind, Msg, Steps};

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
        None if crate::system::platform::user_language_is_chinese() => Lang::Zh,
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

/// A value that reads differently by language: a message, or a value carried in one.
pub trait Localize {
    fn localize(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result;
}

/// What an editor wrote, and numbers: the same in every language.
macro_rules! as_written {
    ($($t:ty),*) => {$(
        impl Localize for $t {
            fn localize(&self, _: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(self, f)
            }
        }
    )*};
}
as_written!(String, str, char, i32, i64, u8, u32, u64, usize, f32, f64);

impl<T: Localize + ?Sized> Localize for Box<T> {
    fn localize(&self, lang: Lang, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).localize(lang, f)
    }
}

/// `value` shown in `lang`: what the declared texts format.
pub struct In<'a, T: ?Sized>(pub Lang, pub &'a T);

impl<T: Localize + ?Sized> fmt::Display for In<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.1.localize(self.0, f)
    }
}

/// Declares an enum of messages, each with its fields, its English and its Chinese:
///
/// ```text
/// UnknownKey { key: String, table: String }
///     => "unknown key `{key}` in `{table}`", "`{table}` 中没有 `{key}` 这个键";
/// ```
///
/// Each text names the fields it shows; a field one of them leaves out is a compile error
/// (`unused_variables`, denied), so neither language can drop a value.
macro_rules! declare_messages {
    (
        $(#[$meta:meta])*
        pub enum $enum:ident {
            $(
                $(#[$doc:meta])*
                $name:ident $({ $($field:ident : $ty:ty),* $(,)? })? => $en:literal, $zh:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq)]
        pub enum $enum {
            $( $(#[$doc])* $name $({ $($field: $ty),* })?, )*
        }

        impl $enum {
            /// The message in `lang`.
            #[deny(unused_variables)]
            pub fn text(&self, lang: $crate::lang::Lang) -> String {
                use $crate::lang::Lang;
                match self {
                    $(
                        Self::$name $({ $($field),* })? => match lang {
                            Lang::En => {
                                $($( let $field = $crate::lang::In(lang, $field); )*)?
                                format!($en)
                            }
                            Lang::Zh => {
                                $($( let $field = $crate::lang::In(lang, $field); )*)?
                                format!($zh)
                            }
                        },
                    )*
                }
            }
        }

        #[cfg(test)]
        impl $enum {
            /// Every message's two texts, for tests.
            pub const TEXTS: &'static [(&'static str, &'static str, &'static str)] =
                &[$((stringify!($name), $en, $zh)),*];
        }

        impl $crate::lang::Localize for $enum {
            fn localize(
                &self,
                lang: $crate::lang::Lang,
                f: &mut std::fmt::Formatter<'_>,
            ) -> std::fmt::Result {
                f.pad(&self.text(lang))
            }
        }

        /// In the current language.
        impl std::fmt::Display for $enum {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(&self.text($crate::lang::current()))
            }
        }
    };
}

mod messages;
mod zone_messages;
pub use zone_messages::ZoneMsg;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chinese_text_is_chinese() {
        // Texts that are only values (a frame around them) or the same in both languages.
        let same = [
            "AnyDay",
            "OrdinaryDay",
            "When",
            "Day",
            "Plays",
            "Hours",
            "TrueFalse",
            "Zone",
        ];
        let mut untranslated = Vec::new();
        for (name, en, zh) in Msg::TEXTS.iter().chain(Kind::TEXTS).chain(ZoneMsg::TEXTS) {
            // Ideographs, or Chinese punctuation (`：`, `；`) for a frame around values.
            let chinese = zh.chars().any(|c| {
                ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{ff01}'..='\u{ff1f}').contains(&c)
            });
            if !chinese && !same.contains(name) {
                untranslated.push(format!("{name}: {en} / {zh}"));
            }
        }
        assert!(untranslated.is_empty(), "{untranslated:#?}");
    }

    #[test]
    fn values_are_inserted_as_written_and_the_programs_words_translated() {
        let wrong = Msg::WrongType {
            key: "display.width".into(),
            expected: Kind::WholeNumber,
            found: Kind::String,
        };
        assert_eq!(
            wrong.text(Lang::En),
            "`display.width` must be a whole number, found a string"
        );
        assert_eq!(
            wrong.text(Lang::Zh),
            "`display.width` 应为整数，实际是字符串"
        );
        // What editors wrote stays as they wrote it, even where it reads like one of the
        // program's words: a slide called "top", an image path "a string".
        let top = Msg::NothingToShow {
            slide: "top".into(),
        };
        assert_eq!(top.text(Lang::Zh), "幻灯片“top”没有可显示的内容");
        let missing = Msg::ImageNotFound {
            image: "a string".into(),
            looked_for: "/share/a string".into(),
        };
        assert!(missing.text(Lang::Zh).contains("“a string”"));
        assert_eq!(from_locale("zh_CN.UTF-8"), Lang::Zh);
        assert_eq!(from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(from_locale("C"), Lang::En);
    }
}
