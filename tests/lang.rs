//! Messages in the editor's language: every problem `check` reports for the broken playlists of
//! the corpus (and the schema tests), every line of its summary and of `schedule`, in Chinese
//! with `--lang zh` and in English with `--lang en`; and the locale picks Chinese by itself.
//! That every message has Chinese at all is the compiler's to check (`src/lang/messages.rs`).

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
        "messages with no Chinese in src/lang/messages.rs:\n{}",
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
