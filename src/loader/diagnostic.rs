//! Problems found in a playlist, reported the way a compiler would: file, line, column,
//! a source snippet, what is wrong and what would be right.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;

use crate::lang::Msg;

/// How many problems a report shows in full; a file of garbage gets a count for the rest.
pub const SHOWN: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    /// "error" or "warning", in the editor's language.
    pub fn label(self) -> Msg {
        match self {
            Severity::Error => Msg::LabelError,
            Severity::Warning => Msg::LabelWarning,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Byte range in the playlist source; `None` for problems with no place (e.g. an unreadable file).
    pub span: Option<Range<usize>>,
    pub message: Msg,
    /// What would be right, shown as `help:`.
    pub help: Option<Msg>,
}

impl Diagnostic {
    pub fn error(span: Option<Range<usize>>, message: Msg) -> Self {
        Self {
            severity: Severity::Error,
            span,
            message,
            help: None,
        }
    }

    pub fn warning(span: Option<Range<usize>>, message: Msg) -> Self {
        Self {
            severity: Severity::Warning,
            span,
            message,
            help: None,
        }
    }

    pub fn with_help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }
}

/// Every diagnostic for one playlist file, with the source they point into.
#[derive(Debug, Clone)]
pub struct Report {
    pub path: PathBuf,
    pub source: String,
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn new(path: &Path, source: String, mut diagnostics: Vec<Diagnostic>) -> Self {
        // In file order; problems with no place (a count of those not listed) last.
        diagnostics.sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
        Self {
            path: path.to_path_buf(),
            source,
            diagnostics,
        }
    }

    pub fn has_errors(&self) -> bool {
        self.errors().next().is_some()
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }

    /// 1-based line and column (in characters) of a byte offset, as editors count them.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.source.len());
        let before = &self.source[..floor_char_boundary(&self.source, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[line_start..].chars().count() + 1)
    }

    /// `file:line:col` of a diagnostic, the form editors and terminals can jump to.
    pub fn location(&self, d: &Diagnostic) -> String {
        match &d.span {
            Some(span) => {
                let (line, col) = self.line_col(span.start);
                format!("{}:{line}:{col}", self.path.display())
            }
            None => self.path.display().to_string(),
        }
    }

    /// One line per problem, for logs, the status file and the preview banner; at most
    /// [`SHOWN`] of them, then a count of the rest.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .diagnostics
            .iter()
            .take(SHOWN)
            .map(|d| {
                let help = d
                    .help
                    .as_ref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default();
                format!(
                    "{}: {}: {}{help}",
                    self.location(d),
                    d.severity.label(),
                    d.message
                )
            })
            .collect();
        if let Some(more) = self.not_shown() {
            lines.push(more);
        }
        lines
    }

    /// "… and N more problems", when there are more than [`SHOWN`].
    fn not_shown(&self) -> Option<String> {
        let rest = self.diagnostics.len().saturating_sub(SHOWN);
        (rest > 0).then(|| {
            let more = Msg::MoreNotShown { count: rest };
            format!("{}: {more}", self.path.display())
        })
    }

    /// The report with `more` added (problems found after reading, such as undecodable images).
    pub fn extend(&mut self, more: impl IntoIterator<Item = Diagnostic>) {
        let mut all = std::mem::take(&mut self.diagnostics);
        all.extend(more);
        *self = Report::new(&self.path.clone(), std::mem::take(&mut self.source), all);
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = SimpleFile::new(self.path.display().to_string(), &self.source);
        let config = term::Config::default();
        for d in self.diagnostics.iter().take(SHOWN) {
            let base = match d.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            };
            let message = d.message.to_string();
            let mut cs = base.with_message(&message);
            if let Some(span) = &d.span {
                // codespan wants the header to carry file:line:col even for empty spans.
                let span = span.start..span.end.max(span.start);
                cs = cs.with_labels(vec![Label::primary((), span)]);
            } else {
                let place = Msg::InFile {
                    path: self.path.display().to_string(),
                };
                cs = cs.with_notes(vec![place.to_string()]);
            }
            if let Some(help) = &d.help {
                cs = cs.with_notes(vec![format!("{}: {help}", Msg::LabelHelp)]);
            }
            match term::emit_into_string(&config, &file, &cs) {
                Ok(text) => f.write_str(&label_severity(&text))?,
                Err(_) => writeln!(f, "{}: {message}", self.location(d))?,
            }
        }
        if let Some(more) = self.not_shown() {
            writeln!(f, "{more}")?;
        }
        Ok(())
    }
}

/// codespan writes the severity in English at the start of a diagnostic: put it in the
/// editor's language.
fn label_severity(text: &str) -> std::borrow::Cow<'_, str> {
    for severity in [Severity::Error, Severity::Warning] {
        let english = severity.label().text(crate::lang::Lang::En);
        let word = severity.label().to_string();
        if word != english && text.starts_with(&english) {
            return format!("{word}{}", &text[english.len()..]).into();
        }
    }
    text.into()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::suggest::suggest;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let r = Report::new(
            Path::new("p.toml"),
            "a = 1\ntitle = \"中文\" x\n".into(),
            vec![],
        );
        let offset = r.source.find('x').unwrap();
        assert_eq!(r.line_col(offset), (2, 14));
    }

    #[test]
    fn suggest_finds_close_names_only() {
        assert_eq!(
            suggest("duraton", ["duration", "transition"]),
            Some("duration")
        );
        assert_eq!(suggest("zzz", ["duration", "transition"]), None);
    }
}
