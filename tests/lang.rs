//! Messages in the editor's language: every problem `check` reports for the broken playlists of
//! the corpus (and the schema tests), every line of its summary and of `schedule`, in Chinese
//! with `--lang zh` and in English with `--lang en`; every message the checks can make, read
//! from the source where it is made; and the locale picks Chinese by itself.

mod common;

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `signage ARGS` with `env`, its stdout and stderr together.
fn run(args: &[&str], env: &[(&str, &str)]) -> String {
    // The locale is the test's to set here.
    let out = common::cli::command_in(root(), args)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The lines an editor reads: each problem's headline and help, without the source snippets.
fn message_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with('┌') && !l.starts_with('│') && !l.is_empty())
        .filter(|l| {
            !l.chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit() && l.contains('│'))
        })
        // The operator's log lines (timestamped) are not editors' messages.
        .filter(|l| !(l.len() > 20 && l.as_bytes()[4] == b'-' && l.as_bytes()[10] == b'T'))
        .map(str::to_string)
        .collect()
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Broken playlists made at run time: what a share can hold in an image's place (a FIFO, a
/// device, a folder, a file too large), and a playlist that is a FIFO itself.
fn hostile_playlists(dir: &Path) -> Vec<PathBuf> {
    common::mkfifo(&dir.join("pipe.png"));
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.png")).unwrap();
    std::fs::create_dir(dir.join("folder.png")).unwrap();
    let huge = std::fs::File::create(dir.join("huge.png")).unwrap();
    huge.set_len(500 << 20).unwrap();
    let mut files = Vec::new();
    for image in ["pipe.png", "zero.png", "folder.png", "huge.png"] {
        let path = dir.join(image.replace(".png", ".toml"));
        std::fs::write(&path, format!("[[slides]]\nimage = \"{image}\"\n")).unwrap();
        files.push(path);
    }
    common::mkfifo(&dir.join("fifo.toml"));
    files.push(dir.join("fifo.toml"));
    files
}

#[test]
fn every_problem_of_the_corpus_reads_in_chinese_and_in_english() {
    let hostile = tempfile::tempdir().unwrap();
    let mut files = common::toml_files("tests/corpus/playlists");
    files.extend(common::toml_files("tests/schema"));
    files.extend(hostile_playlists(hostile.path()));
    let mut untranslated = Vec::new();
    for file in &files {
        let path = file.to_str().unwrap();
        let en = message_lines(&run(&["--lang", "en", "check", path], &[]));
        let zh = message_lines(&run(&["--lang", "zh", "check", path], &[]));
        assert_eq!(
            en.len(),
            zh.len(),
            "{path}: the same lines in both:\n{en:#?}\n{zh:#?}"
        );
        for (e, z) in en.iter().zip(&zh) {
            // English says error/warning/help; Chinese says 错误/警告/提示, and the message
            // itself is different text, not the English with Chinese labels.
            let strip = |s: &str| {
                s.split_once(": ")
                    .map_or(s.to_string(), |(_, rest)| rest.to_string())
            };
            if !has_chinese(&strip(z).replace(&strip(e), "")) && strip(e) == strip(z) {
                untranslated.push(format!("{}: {e}", file.display()));
            }
            assert!(
                !has_chinese(e) || e.contains('"') || e.contains('`') || e.contains('“'),
                "{path}: English line with Chinese of its own: {e}"
            );
        }
    }
    assert!(
        untranslated.is_empty(),
        "messages with no Chinese in src/lang/zh.rs:\n{}",
        untranslated.join("\n")
    );
}

#[test]
fn the_summary_and_the_schedule_read_in_chinese() {
    let zh = run(&["--lang", "zh", "check", "playlists/default.toml"], &[]);
    for line in zh.lines().filter(|l| !l.trim().is_empty()) {
        assert!(has_chinese(line), "untranslated: {line}");
    }
    let zh = run(
        &[
            "--lang",
            "zh",
            "schedule",
            "playlists/default.toml",
            "--from",
            "2026-02-13",
            "--days",
            "3",
        ],
        &[],
    );
    assert!(
        zh.contains("[调休上班，春节]") && zh.contains("全天"),
        "{zh}"
    );
}

#[test]
fn the_locale_chooses_chinese_and_the_flag_wins() {
    let path = "tests/corpus/playlists/fit-unknown.toml";
    let zh = run(&["check", path], &[("LANG", "zh_CN.UTF-8")]);
    assert!(zh.contains("错误") && zh.contains("不能是"), "{zh}");
    let en = run(&["--lang", "en", "check", path], &[("LANG", "zh_CN.UTF-8")]);
    assert!(en.contains("error") && !en.contains("错误"), "{en}");
    let c = run(&["check", path], &[("LANG", "C")]);
    assert!(c.contains("cannot be"), "{c}");
}

/// The messages the playlist checks write, as the source writes them: the longest string in
/// each call that makes a problem or a help line (and in each `Err` and livetext `message`),
/// with a `format!`'s values as `X`. The corpus reaches most, not all; this reaches every one.
fn messages_in_source(file: &str) -> Vec<(usize, String)> {
    let src = std::fs::read_to_string(root().join(file)).unwrap();
    let src = src.split("#[cfg(test)]").next().unwrap();
    let calls = regex::Regex::new(
        r"(\.error|\.warning|\.help|\.with_help|Diagnostic::error|Diagnostic::warning|Err|message:|help:)\s*\(?",
    )
    .unwrap();
    let literal = regex::Regex::new(r#"(format!\(\s*)?"((?:[^"\\]|\\.)*)""#).unwrap();
    let value = regex::Regex::new(r"\{[^{}]*\}").unwrap();
    let mut found = Vec::new();
    for call in calls.find_iter(src) {
        // The call's text: up to the bracket that closes it, or the end of the line for a field.
        let rest = &src[call.end()..];
        let mut depth = 1;
        let mut in_string = false;
        let mut end = rest.len();
        let mut chars = rest.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' if in_string => {
                    chars.next();
                }
                '"' => in_string = !in_string,
                '(' if !in_string => depth += 1,
                ')' if !in_string => depth -= 1,
                '\n' if !call.as_str().ends_with('(') && !in_string => depth = 0,
                _ => {}
            }
            if depth == 0 {
                end = i;
                break;
            }
        }
        let Some(m) = literal
            .captures_iter(&rest[..end])
            .max_by_key(|c| c[2].len())
        else {
            continue;
        };
        let text = m[2].replace("\\\"", "\"");
        let text = if m.get(1).is_some() {
            let text = text.replace("{{", "\u{1}").replace("}}", "\u{2}");
            value
                .replace_all(&text, "X")
                .replace('\u{1}', "{")
                .replace('\u{2}', "}")
        } else {
            text
        };
        // A frame of values alone ("`{}`: {}") has nothing of its own to translate.
        if text
            .replace('X', "")
            .chars()
            .any(|c| c.is_ascii_alphabetic())
        {
            found.push((src[..call.start()].lines().count(), text));
        }
    }
    found
}

#[test]
fn every_message_the_checks_can_make_has_chinese() {
    use signage::lang::{self, Lang};
    lang::set(Lang::Zh);
    let mut missing = Vec::new();
    let mut count = 0;
    for file in [
        "src/loader/parse/mod.rs",
        "src/loader/parse/display.rs",
        "src/loader/parse/slides.rs",
        "src/loader/parse/when.rs",
        "src/loader/parse/urgent.rs",
        "src/loader/reader.rs",
        "src/playlist/values.rs",
        "src/verify.rs",
        "src/livetext.rs",
        "src/assets.rs",
        "src/share.rs",
        "src/loader/mod.rs",
        "src/urgent.rs",
        "src/watch/share.rs",
        "src/summary.rs",
    ] {
        for (line, text) in messages_in_source(file) {
            count += 1;
            // Some are the value inside a message about a key: `slides[1].duration`: ...
            let framed = format!("`X`: {text}");
            if lang::tr(&text) == text && lang::tr(&framed) == framed {
                missing.push(format!("{file}:{line}: {text}"));
            }
        }
    }
    // Texts chosen by a `match`, where the scan does not see them.
    for text in [
        "shorten it: a notice is a few lines (64 KB at most)",
        "is empty (0 bytes)",
        "is a chain of more symbolic links than the system follows",
        "if it is being saved or copied, wait for it to finish; otherwise copy the picture again",
    ] {
        count += 1;
        if lang::tr(text) == text {
            missing.push(format!("(chosen by a match): {text}"));
        }
    }
    eprintln!("{count} messages");
    assert!(
        count > 100,
        "only {count} messages found: is the scan still right?"
    );
    assert!(
        missing.is_empty(),
        "messages with no Chinese in src/lang/zh.rs:\n{}",
        missing.join("\n")
    );
}
