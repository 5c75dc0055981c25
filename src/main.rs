//! The `signage` command line. Thin: each subcommand calls the library.
//!
//! Exit codes: 0 success; 1 the playlist has errors (or the player stopped on a failure);
//! 2 the command could not run (bad arguments, no display, no GPU). Output that goes into a
//! closed pipe (`signage check | head -1`) ends the program quietly.

// On Windows, no console window of its own: `play` started by the Task Scheduler or from
// Explorer must not open one. Commands run from a terminal write to it (see
// `platform::attach_to_terminal`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::Local;
use clap::Parser;

mod cli;

use cli::args::{mistyped_command, playlist_path, Cli, Command, PlayArgs};
use cli::commands::*;

/// How a command ended, before it becomes an exit code.
pub(crate) enum Failure {
    /// The playlist has problems (they were printed): exit 1.
    Problems,
    /// The command could not run: exit 2, with this message.
    Usage(String),
    /// The player stopped on a failure: exit 1, with this message.
    Failed(String),
}

pub(crate) type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    signage::system::platform::attach_to_terminal();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(message) = mistyped_command(&args) {
        let _ = writeln!(io::stderr(), "error: {message}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    signage::lang::set(signage::lang::detect(cli.lang));
    let untouched = PlayArgs::defaults();
    if cli.command.is_some() && cli.play != untouched {
        // Play's flags before another command would be silently ignored.
        let _ = writeln!(
            io::stderr(),
            "error: the player's flags go after `play` (or with no command); only --lang goes before any command"
        );
        return ExitCode::from(2);
    }
    let command = cli.command.unwrap_or(Command::Play(cli.play));
    let log_file = match &command {
        Command::Play(args) => args.log.clone(),
        _ => None,
    };
    if let Some(warning) = signage::share::logging::init(log_file.as_deref()) {
        tracing::warn!("{warning}");
    }
    signage::system::platform::log_panics();
    let outcome = match command {
        Command::Play(args) => play(args),
        Command::Preview { playlist } => play(PlayArgs {
            playlist,
            window: true,
            ..untouched
        }),
        Command::Monitors => monitors(),
        Command::Schema => {
            let schema = signage::loader::schema::schema();
            let text = serde_json::to_string_pretty(&schema).expect("a JSON value prints");
            out(&format!("{text}\n"))
        }
        Command::Check { playlist } => check(&playlist_path(playlist)),
        Command::Render {
            playlist,
            at,
            out,
            sheet,
        } => render(
            &playlist_path(playlist),
            at.unwrap_or_else(|| Local::now().naive_local()),
            out,
            sheet,
        ),
        Command::Schedule {
            playlist,
            from,
            days,
        } => schedule(&playlist_path(playlist), from, days),
        Command::InstallService { play, print, name } => install_service(play, print, name),
        Command::Status { paths } => walls(&paths),
        Command::TestPattern {
            region,
            fullscreen,
            monitor,
            out,
            size,
        } => test_pattern(region, fullscreen || monitor.is_some(), monitor, out, size),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Problems) => ExitCode::from(1),
        Err(Failure::Failed(e)) => {
            tracing::error!("{e}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(e)) => {
            let _ = writeln!(io::stderr(), "error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Standard output for results. A closed pipe is not an error worth a message: the reader
/// has seen what it wanted.
pub(crate) fn out(text: &str) -> Outcome {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        _ => Ok(()),
    }
}

/// Problems for the editor, on standard error.
pub(crate) fn err(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}
