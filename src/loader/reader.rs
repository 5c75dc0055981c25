//! A walk over TOML's spanned document tree that records every problem instead of stopping at
//! the first, which is what serde's derive would do.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::diagnostic::Diagnostic;
use crate::lang::{Kind, Msg};
use crate::model::suggest::suggest;

pub type Span = Range<usize>;

/// At most this many problems are kept: a file of 100 000 bad lines must not turn into
/// 100 000 messages held in memory; the rest are counted.
pub const MAX_KEPT: usize = 1000;

/// Collects diagnostics while the playlist is read.
#[derive(Default)]
pub struct Problems {
    list: Vec<Diagnostic>,
    /// The last problem past [`MAX_KEPT`]: counted, not kept.
    dropped: Option<Diagnostic>,
    errors_dropped: usize,
    warnings_dropped: usize,
}

impl Problems {
    pub fn error(&mut self, span: Span, message: Msg) -> &mut Diagnostic {
        self.push(Diagnostic::error(Some(span), message))
    }

    pub fn warning(&mut self, span: Span, message: Msg) -> &mut Diagnostic {
        self.push(Diagnostic::warning(Some(span), message))
    }

    fn push(&mut self, d: Diagnostic) -> &mut Diagnostic {
        if self.list.len() < MAX_KEPT {
            self.list.push(d);
            return self.list.last_mut().expect("just pushed");
        }
        match d.severity {
            super::Severity::Error => self.errors_dropped += 1,
            super::Severity::Warning => self.warnings_dropped += 1,
        }
        // Callers may still add help; it goes nowhere.
        self.dropped.insert(d)
    }

    pub fn has_errors(&self) -> bool {
        self.errors_dropped > 0
            || self
                .list
                .iter()
                .any(|d| d.severity == super::Severity::Error)
    }

    /// The problems kept, and a last one that counts those that were not.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let (e, w) = (self.errors_dropped, self.warnings_dropped);
        if e + w > 0 {
            let d = if e > 0 {
                Diagnostic::error(
                    None,
                    Msg::MoreNotListed {
                        errors: e,
                        warnings: w,
                    },
                )
            } else {
                Diagnostic::warning(None, Msg::MoreWarningsNotListed { warnings: w })
            };
            self.list.push(d.with_help(Msg::NotAPlaylistHelp));
        }
        self.list
    }
}

impl Diagnostic {
    pub fn help(&mut self, help: Msg) {
        self.help = Some(help);
    }
}

/// A value with the place it was written.
#[derive(Clone)]
pub struct Value<'a, 'i> {
    pub value: &'a DeValue<'i>,
    pub span: Span,
    /// Dotted name used in messages, e.g. `slides[2].duration`.
    pub name: String,
}

impl<'a, 'i> Value<'a, 'i> {
    pub fn new(v: &'a Spanned<DeValue<'i>>, name: impl Into<String>) -> Self {
        Self {
            value: v.get_ref(),
            span: v.span(),
            name: name.into(),
        }
    }

    pub fn span(&self) -> Span {
        self.span.clone()
    }

    fn wrong_type(&self, p: &mut Problems, expected: Kind) {
        p.error(
            self.span(),
            Msg::WrongType {
                key: self.name.clone(),
                expected,
                found: type_name(self.value),
            },
        );
    }

    pub fn str(&self, p: &mut Problems) -> Option<&'a str> {
        match self.value {
            DeValue::String(s) => Some(s.as_ref()),
            _ => {
                self.wrong_type(p, Kind::String);
                None
            }
        }
    }

    pub fn bool(&self, p: &mut Problems) -> Option<bool> {
        match self.value {
            DeValue::Boolean(b) => Some(*b),
            _ => {
                self.wrong_type(p, Kind::TrueOrFalse);
                None
            }
        }
    }

    pub fn int(&self, p: &mut Problems) -> Option<i64> {
        match self.value {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok().or_else(|| {
                p.error(
                    self.span(),
                    Msg::OutOfRange {
                        key: self.name.clone(),
                    },
                );
                None
            }),
            _ => {
                self.wrong_type(p, Kind::WholeNumber);
                None
            }
        }
    }

    /// A number, written with or without a decimal point.
    pub fn number(&self, p: &mut Problems) -> Option<f64> {
        match self.value {
            DeValue::Integer(_) => self.int(p).map(|i| i as f64),
            DeValue::Float(f) => match f.as_str().replace('_', "").parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    p.error(
                        self.span(),
                        Msg::NotFinite {
                            key: self.name.clone(),
                        },
                    );
                    None
                }
            },
            _ => {
                self.wrong_type(p, Kind::Number);
                None
            }
        }
    }

    /// A whole number in `min..=max`.
    pub fn int_in(&self, p: &mut Problems, min: i64, max: i64) -> Option<i64> {
        let v = self.int(p)?;
        if (min..=max).contains(&v) {
            Some(v)
        } else {
            p.error(
                self.span(),
                Msg::IsOutOfRange {
                    key: self.name.clone(),
                    value: v,
                },
            )
            .help(Msg::WholeNumberFrom { min, max });
            None
        }
    }

    pub fn array(&self, p: &mut Problems) -> Option<&'a [Spanned<DeValue<'i>>]> {
        match self.value {
            DeValue::Array(a) => Some(a.as_ref()),
            _ => {
                self.wrong_type(p, Kind::ArrayLike);
                None
            }
        }
    }

    /// A string from a fixed set, with a suggestion when it is misspelt.
    pub fn choice<T: Copy>(&self, p: &mut Problems, choices: &[(&str, T)]) -> Option<T> {
        let s = self.str(p)?;
        if let Some((_, v)) = choices
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(s))
        {
            return Some(*v);
        }
        let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
        let d = p.error(
            self.span(),
            Msg::CannotBe {
                key: self.name.clone(),
                value: s.to_string(),
            },
        );
        let choices = names.join(", ");
        match suggest(s, names.iter().copied()) {
            Some(near) => d.help(Msg::DidYouMeanChoice {
                near: near.to_string(),
                choices,
            }),
            None => d.help(Msg::UseOneOf { choices }),
        }
        None
    }
}

/// A TOML table whose keys have been checked against the ones the format knows.
pub struct Table<'a, 'i> {
    pub table: &'a DeTable<'i>,
    pub span: Span,
    pub name: String,
}

impl<'a, 'i> Table<'a, 'i> {
    /// Reads `value` as a table named `name`, reporting every key not in `known`.
    pub fn new(value: &Value<'a, 'i>, p: &mut Problems, known: &[&str]) -> Option<Self> {
        let DeValue::Table(table) = value.value else {
            value.wrong_type(p, Kind::Table);
            return None;
        };
        let t = Self {
            table,
            span: value.span(),
            name: value.name.clone(),
        };
        t.report_unknown_keys(p, known);
        Some(t)
    }

    pub fn root(doc: &'a Spanned<DeTable<'i>>, p: &mut Problems, known: &[&str]) -> Self {
        let t = Self {
            table: doc.get_ref(),
            span: doc.span(),
            name: String::new(),
        };
        t.report_unknown_keys(p, known);
        t
    }

    fn report_unknown_keys(&self, p: &mut Problems, known: &[&str]) {
        for (key, _) in self.table.iter() {
            let k: &str = key.get_ref();
            if known.contains(&k) {
                continue;
            }
            let key_name = k.to_string();
            let message = if self.name.is_empty() {
                Msg::UnknownKeyAtTop { key: key_name }
            } else {
                Msg::UnknownKey {
                    key: key_name,
                    table: self.name.clone(),
                }
            };
            let d = p.error(key.span(), message);
            match suggest(k, known.iter().copied()) {
                Some(near) => d.help(Msg::DidYouMeanKey {
                    key: near.to_string(),
                }),
                None => d.help(Msg::ValidKeys {
                    keys: known.join(", "),
                }),
            }
        }
    }

    pub fn key_name(&self, key: &str) -> String {
        if self.name.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.name)
        }
    }

    /// The raw spanned value of `key`, if present.
    pub fn raw(&self, key: &str) -> Option<&'a Spanned<DeValue<'i>>> {
        self.table
            .iter()
            .find(|(k, _)| {
                let k: &str = k.get_ref();
                k == key
            })
            .map(|(_, v)| v)
    }

    /// The value of `key`, if present, named by its dotted path for messages.
    pub fn get(&self, key: &str) -> Option<Value<'a, 'i>> {
        self.raw(key).map(|raw| Value::new(raw, self.key_name(key)))
    }
}

pub fn type_name(v: &DeValue<'_>) -> Kind {
    match v {
        DeValue::String(_) => Kind::String,
        DeValue::Integer(_) => Kind::WholeNumber,
        DeValue::Float(_) => Kind::DecimalNumber,
        DeValue::Boolean(_) => Kind::TrueFalse,
        DeValue::Datetime(_) => Kind::DateTime,
        DeValue::Array(_) => Kind::Array,
        DeValue::Table(_) => Kind::Table,
    }
}
