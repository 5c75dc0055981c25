//! The `signage` command line. Thin: each subcommand calls the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Local, NaiveDate};
use clap::{Args, Parser, Subcommand};

use signage::playlist::{self, Loaded};
use signage::summary;

#[derive(Parser)]
#[command(
    name = "signage",
    version,
    about = "A GPU-rendered digital-signage player for LED walls"
)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand, `signage [PLAYLIST]` plays.
    #[command(flatten)]
    play: PlayArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Play the playlist (the default).
    Play(PlayArgs),
    /// Check a playlist for mistakes and summarise it.
    Check {
        #[arg(value_name = "PLAYLIST")]
        playlist: Option<PathBuf>,
    },
    /// Show which slides play on which days and hours.
    Schedule {
        #[arg(value_name = "PLAYLIST")]
        playlist: Option<PathBuf>,
        /// First day, YYYY-MM-DD (default: today).
        #[arg(long, value_parser = parse_date)]
        from: Option<NaiveDate>,
        /// Number of days to list.
        #[arg(long, default_value_t = 7)]
        days: u32,
    },
}

#[derive(Args, Default)]
struct PlayArgs {
    #[arg(value_name = "PLAYLIST")]
    playlist: Option<PathBuf>,
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    playlist::values::parse_date(s)
}

/// `playlists/default.toml` from the current folder, or from the source tree under `cargo run`.
fn playlist_path(arg: Option<PathBuf>) -> PathBuf {
    arg.unwrap_or_else(|| {
        let local = PathBuf::from("playlists/default.toml");
        let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("playlists/default.toml");
        if local.exists() || !bundled.exists() {
            local
        } else {
            bundled
        }
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Play(cli.play)) {
        Command::Play(args) => {
            let path = playlist_path(args.playlist);
            eprintln!(
                "the window player is not built yet; checking {} instead",
                path.display()
            );
            check(&path)
        }
        Command::Check { playlist } => check(&playlist_path(playlist)),
        Command::Schedule {
            playlist,
            from,
            days,
        } => {
            let path = playlist_path(playlist);
            let loaded = playlist::load(&path);
            if !loaded.is_clean() {
                eprint!("{}", loaded.report);
                eprintln!("(listing the slides that loaded; fix the errors above for the rest)");
            }
            let from = from.unwrap_or_else(|| Local::now().date_naive());
            print!("{}", summary::schedule_table(&loaded.playlist, from, days));
            ExitCode::SUCCESS
        }
    }
}

fn check(path: &Path) -> ExitCode {
    let Loaded { playlist, report } = playlist::load(path);
    // Problems go to stderr with snippets; the summary of a good playlist goes to stdout.
    eprint!("{report}");
    let errors = report.errors().count();
    if errors > 0 {
        let warnings = report.warnings().count();
        eprintln!(
            "{}: {errors} error(s), {warnings} warning(s); the playlist was not accepted",
            path.display()
        );
        return ExitCode::from(1);
    }
    println!("{}: OK", path.display());
    print!(
        "{}",
        summary::check_summary(&playlist, Local::now().date_naive())
    );
    ExitCode::SUCCESS
}
