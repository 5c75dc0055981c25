//! The corpus: broken and awkward playlists and images, as editors, network copies and
//! accidents leave them on a share. Each playlist in `tests/corpus/playlists/` is checked the
//! way `signage check` checks it, and must produce exactly the problems `tests/corpus/expected.txt`
//! lists for it: severity, line:column and the words of the message. Each image must decode, or
//! fail with its own reason.
//!
//! Adding a case: put the file in the corpus, run
//! `SIGNAGE_PRINT_CORPUS=1 cargo test --test corpus -- --nocapture`, read what it prints for the
//! new file, and copy the lines into expected.txt once they say what an editor needs to hear.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use signage::loader::{Report, Severity};
use signage::share::assets::{self, ImageProblem};
use signage::share::FileProblem;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")
}

/// The day the schedule checks run against, fixed so that "expired" stays expired.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, 1, 15).unwrap()
}

/// One problem as expected.txt writes it: `error 3:9 words of the message`, and where the help
/// matters, ` | help: words of the help`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Problem {
    severity: String,
    place: String,
    message: String,
    help: Option<String>,
}

impl Problem {
    /// `self`, as found, says what `want` expects: its place and (at least) its words.
    fn says(&self, want: &Problem) -> bool {
        let help = match (&want.help, &self.help) {
            (Some(w), Some(g)) => g.contains(w.as_str()),
            (Some(_), None) => false,
            (None, _) => true,
        };
        self.severity == want.severity
            && self.place == want.place
            && self.message.contains(&want.message)
            && help
    }
}

const HELP: &str = " | help: ";

fn actual(report: &Report) -> Vec<Problem> {
    report
        .diagnostics
        .iter()
        .map(|d| Problem {
            severity: match d.severity {
                Severity::Error => "error".into(),
                Severity::Warning => "warning".into(),
            },
            place: d.span.as_ref().map_or("-".into(), |s| {
                let (l, c) = report.line_col(s.start);
                format!("{l}:{c}")
            }),
            message: d.message.to_string(),
            help: d.help.as_ref().map(|h| h.to_string()),
        })
        .collect()
}

fn expected() -> BTreeMap<String, Vec<Problem>> {
    let text = std::fs::read_to_string(corpus().join("expected.txt")).unwrap();
    let mut all: BTreeMap<String, Vec<Problem>> = BTreeMap::new();
    for line in text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let (file, rest) = line
            .split_once(": ")
            .expect("FILE: severity line:col message");
        let (rest, help) = match rest.split_once(HELP) {
            Some((rest, help)) => (rest, Some(help.to_string())),
            None => (rest, None),
        };
        let mut parts = rest.splitn(3, ' ');
        let problem = Problem {
            severity: parts.next().unwrap().to_string(),
            place: parts.next().unwrap().to_string(),
            message: parts.next().unwrap_or("").to_string(),
            help,
        };
        all.entry(file.to_string()).or_default().push(problem);
    }
    all
}

#[test]
fn every_broken_playlist_gets_its_message_at_its_place() {
    let dir = corpus().join("playlists");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 50,
        "the corpus has {} playlists",
        files.len()
    );
    let expected = expected();
    let print = std::env::var_os("SIGNAGE_PRINT_CORPUS").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let report = signage::layout::verify::load_and_verify(file, today()).report;
        let got = actual(&report);
        if print {
            for p in &got {
                let help = p
                    .help
                    .as_ref()
                    .map_or(String::new(), |h| format!("{HELP}{h}"));
                println!("{name}: {} {} {}{help}", p.severity, p.place, p.message);
            }
        }
        let want = expected.get(&name).cloned().unwrap_or_default();
        if want.is_empty() {
            failures.push(format!("{name} has no expectations in expected.txt"));
            continue;
        }
        // Each expected problem is there, at its place, with (at least) its words; nothing else.
        let matched = want.len() == got.len() && want.iter().zip(&got).all(|(w, g)| g.says(w));
        if !matched {
            failures.push(format!(
                "{name}:\n  expected: {want:#?}\n  got: {got:#?}\n{report}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for name in expected.keys() {
        assert!(
            dir.join(name).exists(),
            "expected.txt names {name}, which is not in the corpus"
        );
    }
}

fn image(name: &str) -> PathBuf {
    corpus().join("playlists/images").join(name)
}

#[test]
fn awkward_but_valid_images_are_accepted() {
    for (name, size) in [
        ("photo.jpg", (64, 32)),
        ("jpeg-named.png", (64, 32)),
        ("cmyk.jpg", (64, 32)),
        ("progressive.jpg", (64, 32)),
        ("sixteen-bit.png", (64, 32)),
        ("animated.gif", (32, 16)),
        ("grayscale.png", (64, 32)),
        ("palette.png", (64, 32)),
        ("tiny.bmp", (64, 32)),
        ("alpha.png", (48, 24)),
        ("image.webp", (64, 32)),
        // Stored 64x32 with EXIF orientation 6: shown upright, 32x64.
        ("exif-rotated.jpg", (32, 64)),
    ] {
        let img = assets::decode(&image(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((img.width(), img.height()), size, "{name}");
    }
}

#[test]
fn exif_orientation_is_applied() {
    // The black band is on the left of the stored pixels; turned upright it is at the top.
    let img = assets::decode(&image("exif-rotated.jpg"))
        .unwrap()
        .to_luma8();
    let top: u32 = (0..32).map(|x| img.get_pixel(x, 4)[0] as u32).sum::<u32>() / 32;
    let bottom: u32 = (0..32).map(|x| img.get_pixel(x, 60)[0] as u32).sum::<u32>() / 32;
    assert!(top < 40 && bottom > 215, "top {top}, bottom {bottom}");
}

#[test]
fn broken_images_fail_with_their_own_reason() {
    let incomplete = |f: &str| {
        ImageProblem::Incomplete(match f {
            "png" => "PNG",
            "jpg" => "JPEG",
            "gif" => "GIF",
            _ => "WebP",
        })
    };
    for (name, want) in [
        ("truncated.jpg", incomplete("jpg")),
        ("no-end-marker.jpg", incomplete("jpg")),
        ("truncated.png", incomplete("png")),
        ("truncated.gif", incomplete("gif")),
        ("truncated.webp", incomplete("webp")),
        ("text.png", ImageProblem::NotAnImage),
        ("empty.png", ImageProblem::Empty),
    ] {
        assert_eq!(assets::decode(&image(name)).unwrap_err(), want, "{name}");
    }
    match assets::decode(&image("bomb.png")).unwrap_err() {
        ImageProblem::TooLarge { width, height, .. } => assert_eq!((width, height), (16000, 16000)),
        other => panic!("bomb.png: {other:?}"),
    }
    for name in ["garbage.jpg", "zero-width.png"] {
        assert!(
            matches!(
                assets::decode(&image(name)),
                Err(ImageProblem::Corrupt(_) | ImageProblem::Incomplete(_))
            ),
            "{name}"
        );
    }
}

#[cfg(unix)]
#[test]
fn special_files_as_images_are_refused_without_opening_them() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.png");
    common::mkfifo(&fifo);
    let zero = dir.path().join("zero.png");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let (a, b) = (dir.path().join("a.png"), dir.path().join("b.png"));
    std::os::unix::fs::symlink(&b, &a).unwrap();
    std::os::unix::fs::symlink(&a, &b).unwrap();
    std::fs::create_dir(dir.path().join("folder.png")).unwrap();
    // 41 links in a row, more than Linux follows, to a real picture: long, but no loop.
    std::fs::copy(image("tiny.bmp"), dir.path().join("link-0.bmp")).unwrap();
    for i in 1..=41 {
        let (from, to) = (format!("link-{}.bmp", i - 1), format!("link-{i}.bmp"));
        std::os::unix::fs::symlink(&from, dir.path().join(to)).unwrap();
    }
    // A huge file (sparse: it takes no disk) is refused from its size, unread.
    let huge = std::fs::File::create(dir.path().join("huge.jpg")).unwrap();
    huge.set_len(500 << 20).unwrap();
    for (name, want) in [
        ("fifo.png", FileProblem::Fifo),
        ("zero.png", FileProblem::Device),
        ("a.png", FileProblem::SymlinkLoop),
        ("link-41.bmp", FileProblem::SymlinkChain),
        ("folder.png", FileProblem::Directory),
        (
            "huge.jpg",
            FileProblem::TooLarge {
                size: 500 << 20,
                limit: assets::MAX_FILE_BYTES,
            },
        ),
    ] {
        let path = dir.path().join(name);
        assert_eq!(
            assets::decode(&path).unwrap_err(),
            ImageProblem::File(want.clone()),
            "{name}"
        );
        assert_eq!(
            assets::probe(&path).unwrap_err(),
            ImageProblem::File(want),
            "{name}"
        );
    }
    // And the playlist says which, at the line that names it.
    std::fs::write(
        dir.path().join("p.toml"),
        "[[slides]]\nimage = \"fifo.png\"\n[[slides]]\nimage = \"zero.png\"\n[[slides]]\nimage = \"a.png\"\n",
    )
    .unwrap();
    let report = signage::loader::load(&dir.path().join("p.toml")).report;
    let got: Vec<(usize, String)> = report
        .errors()
        .map(|d| {
            (
                report.line_col(d.span.clone().unwrap().start).0,
                d.message.to_string(),
            )
        })
        .collect();
    assert!(got[0].0 == 2 && got[0].1.contains("is a FIFO"), "{got:?}");
    assert!(got[1].0 == 4 && got[1].1.contains("is a device"), "{got:?}");
    assert!(
        got[2].0 == 6 && got[2].1.contains("symbolic link that loops"),
        "{got:?}"
    );
}
