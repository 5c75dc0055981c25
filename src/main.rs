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
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};
use clap::{Args, CommandFactory, Parser, Subcommand};

use signage::lang::tr;
use signage::playlist::{self, suggest, Loaded};
use signage::summary;

#[derive(Parser)]
#[command(
    name = "signage",
    version,
    about = "A GPU-rendered digital-signage player for LED walls"
)]
#[command(subcommand_precedence_over_arg = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no subcommand, `signage [PLAYLIST]` plays.
    #[command(flatten)]
    play: PlayArgs,
    /// The language of messages for editors: zh or en (default: the system's).
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    lang: Option<signage::lang::Lang>,
}

fn parse_lang(s: &str) -> Result<signage::lang::Lang, String> {
    match s.to_ascii_lowercase().as_str() {
        "zh" | "cn" | "zh-cn" | "zh_cn" => Ok(signage::lang::Lang::Zh),
        "en" => Ok(signage::lang::Lang::En),
        _ => Err(format!("\"{s}\" is not a language here; write zh or en")),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Play the playlist (the default).
    Play(PlayArgs),
    /// Preview a playlist in an ordinary window with keys (H for help), whatever its
    /// [display] says: what an editor wants on a laptop. The wall's own window (a region or
    /// fullscreen, without keys) is `play`'s.
    Preview {
        #[arg(value_name = "PLAYLIST")]
        playlist: Option<PathBuf>,
    },
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
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(u32).range(1..=3660))]
        days: u32,
    },
    /// List the monitors with the numbers --monitor takes.
    Monitors,
    /// Print the JSON Schema of the playlist, for editors' completion and help while typing
    /// (put `#:schema ./signage.schema.json` on a playlist's first line; the file is bundled).
    Schema,
    /// Show a test pattern that tells an installer whether the LED card captures exactly the
    /// right pixels (border, 32 px grid, corner coordinates, size, colour bars, a sweeping
    /// bar), or write it to a PNG.
    TestPattern {
        /// Show it in this desktop rectangle, in physical pixels.
        #[arg(long, value_name = "X,Y,WxH", value_parser = parse_region, allow_hyphen_values = true, conflicts_with_all = ["fullscreen", "out"])]
        region: Option<(i32, i32, u32, u32)>,
        /// Show it fullscreen (on --monitor N).
        #[arg(long, conflicts_with = "out")]
        fullscreen: bool,
        #[arg(long, value_name = "N")]
        monitor: Option<usize>,
        /// Write it to this PNG instead of showing it.
        #[arg(long, value_name = "PNG")]
        out: Option<PathBuf>,
        /// The PNG's size.
        #[arg(long, value_name = "WxH", value_parser = parse_size, default_value = "1920x320")]
        size: (u32, u32),
    },
    /// One line per wall from the status files in these folders (or these files): alive or
    /// silent, frozen, what plays, fps, the last reload and uptime. Exit 1 if any wall is in
    /// trouble.
    Status {
        #[arg(value_name = "DIR_OR_FILE", required = true)]
        paths: Vec<PathBuf>,
    },
    /// Start the wall with the session and restart it on failure: a systemd user unit (Linux)
    /// or a Task Scheduler task (Windows) running `signage play --supervise` with these flags.
    InstallService {
        #[command(flatten)]
        play: PlayArgs,
        /// Print the unit or task definition instead of installing it.
        #[arg(long)]
        print: bool,
        /// The service's name (each wall on one PC needs its own).
        #[arg(long, default_value = "signage")]
        name: String,
    },
    /// Render the frame at a moment to PNG, and/or a contact sheet of every slide.
    Render {
        #[arg(value_name = "PLAYLIST")]
        playlist: Option<PathBuf>,
        /// Seconds after 00:00 today (e.g. 12.5), or a local time YYYY-MM-DDTHH:MM:SS[.fff].
        /// Default: now.
        #[arg(long, value_parser = parse_moment)]
        at: Option<NaiveDateTime>,
        /// Where to write the frame.
        #[arg(long, value_name = "PNG")]
        out: Option<PathBuf>,
        /// Where to write a contact sheet of every slide that plays on --at's day.
        #[arg(long, value_name = "PNG")]
        sheet: Option<PathBuf>,
    },
}

const COMMANDS: [&str; 10] = [
    "preview",
    "schema",
    "test-pattern",
    "status",
    "play",
    "check",
    "schedule",
    "monitors",
    "render",
    "install-service",
];

#[derive(Args, Default, Clone, PartialEq)]
struct PlayArgs {
    #[arg(value_name = "PLAYLIST")]
    playlist: Option<PathBuf>,
    /// Borderless fullscreen (on --monitor N).
    #[arg(long, conflicts_with_all = ["region", "window"])]
    fullscreen: bool,
    /// The monitor for --fullscreen, as `signage monitors` numbers them.
    #[arg(long, value_name = "N")]
    monitor: Option<usize>,
    /// An undecorated, always-on-top window at exactly this desktop rectangle, in physical
    /// pixels: what a LED sending card captures. The canvas takes this size. X and Y may be
    /// negative (a monitor left of or above the primary one).
    #[arg(long, value_name = "X,Y,WxH", value_parser = parse_region, conflicts_with = "window", allow_hyphen_values = true)]
    region: Option<(i32, i32, u32, u32)>,
    /// A resizable preview window with keys (H for help).
    #[arg(long)]
    window: bool,
    /// Print frame rate, frame times, dropped frames, CPU and memory every 5 seconds.
    #[arg(long)]
    stats: bool,
    /// Also log to this file (rotated at 10 MiB); its folder is created if missing.
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Poll for changes every SECS seconds (0.1 to 3600) instead of relying on file events
    /// (automatic on SMB/NFS shares).
    #[arg(long, value_name = "SECS", value_parser = parse_poll)]
    poll: Option<f64>,
    /// Reload once files have been unchanged this many milliseconds (0 to 60000).
    #[arg(long, value_name = "MS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    settle: u64,
    /// Write a JSON status (playlist, last reload, current slide, fps, frames drawn, uptime)
    /// to FILE.
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,
    /// After every reload, write PLAYLIST.report.txt next to the playlist: accepted, and what
    /// plays now; or every error with its line. For editors who cannot see the wall.
    #[arg(long)]
    report: bool,
    /// Write what plays, when and for how long, as a CSV file per day in DIR (proof of play).
    #[arg(long, value_name = "DIR")]
    play_log: Option<PathBuf>,
    /// Days of play log to keep.
    #[arg(long, value_name = "DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3660))]
    play_log_days: u32,
    /// Run the player as a child process and restart it within seconds when it exits
    /// abnormally or stops drawing while something should move (a watchdog).
    #[arg(long)]
    supervise: bool,
    /// Report frames drawn once a second on standard output, for --supervise.
    #[arg(long, hide = true)]
    heartbeat: bool,
}

impl PlayArgs {
    /// These arguments as `signage play` takes them, each flag that differs from its default:
    /// what a service runs. Parsing the result gives these arguments back (a test checks).
    fn command_line(&self) -> Vec<String> {
        let defaults = Cli::parse_from(["signage"]).play;
        let mut line = Vec::new();
        let mut flag = |name: &str, value: Option<String>| {
            line.push(format!("--{name}"));
            line.extend(value);
        };
        let path = |p: &Path| p.display().to_string();
        if let Some((x, y, w, h)) = self.region {
            flag("region", Some(format!("{x},{y},{w}x{h}")));
        }
        for (name, on) in [
            ("fullscreen", self.fullscreen),
            ("window", self.window),
            ("stats", self.stats),
            ("report", self.report),
            ("heartbeat", self.heartbeat),
        ] {
            if on {
                flag(name, None);
            }
        }
        if let Some(m) = self.monitor {
            flag("monitor", Some(m.to_string()));
        }
        for (name, file) in [
            ("log", &self.log),
            ("status", &self.status),
            ("play-log", &self.play_log),
        ] {
            if let Some(file) = file {
                flag(name, Some(path(file)));
            }
        }
        if self.play_log_days != defaults.play_log_days {
            flag("play-log-days", Some(self.play_log_days.to_string()));
        }
        if let Some(secs) = self.poll {
            flag("poll", Some(secs.to_string()));
        }
        if self.settle != defaults.settle {
            flag("settle", Some(self.settle.to_string()));
        }
        if self.supervise {
            flag("supervise", None);
        }
        match self.playlist.as_deref().map(path) {
            // After `--`, a path that starts with a dash does not read as a flag.
            Some(p) if p.starts_with('-') => line.extend(["--".to_string(), p]),
            Some(p) => line.insert(0, p),
            None => {}
        }
        line
    }
}

/// The largest region side: as large as a canvas may be (`[display]` width and height).
const MAX_REGION_SIDE: u32 = 8192;

fn parse_region(s: &str) -> Result<(i32, i32, u32, u32), String> {
    let help =
        || format!("\"{s}\" is not a region; write X,Y,WxH in physical pixels, e.g. 0,0,1920x320");
    let parts: Vec<&str> = s.split(',').map(str::trim).collect();
    let [x, y, size] = parts.as_slice() else {
        return Err(help());
    };
    let (w, h) = size.split_once(['x', 'X']).ok_or_else(help)?;
    let (w, h): (u32, u32) = (
        w.parse().map_err(|_| help())?,
        h.parse().map_err(|_| help())?,
    );
    if w == 0 || h == 0 {
        return Err(help());
    }
    if w > MAX_REGION_SIDE || h > MAX_REGION_SIDE {
        return Err(format!(
            "{w}x{h} is larger than a wall can be: at most {MAX_REGION_SIDE}x{MAX_REGION_SIDE} (the LED card's capture area, e.g. 1920x320)"
        ));
    }
    Ok((
        x.parse().map_err(|_| help())?,
        y.parse().map_err(|_| help())?,
        w,
        h,
    ))
}

fn parse_size(s: &str) -> Result<(u32, u32), String> {
    parse_region(&format!("0,0,{s}")).map(|(_, _, w, h)| (w, h))
}

fn parse_poll(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(secs) if (0.1..=3600.0).contains(&secs) => Ok(secs),
        _ => Err(format!(
            "\"{s}\" is not a polling interval; give seconds from 0.1 to 3600, e.g. 1"
        )),
    }
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    playlist::values::parse_date(s)
}

fn parse_moment(s: &str) -> Result<NaiveDateTime, String> {
    if let Ok(secs) = s.parse::<f64>() {
        let ms = (secs * 1000.0).round();
        if !(0.0..86_400_000.0).contains(&ms) {
            return Err(format!("{s} seconds is not within a day"));
        }
        let midnight = Local::now().date_naive().and_time(NaiveTime::MIN);
        return Ok(midnight + chrono::Duration::milliseconds(ms as i64));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, format) {
            return Ok(t);
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, format) {
            return Ok(d.and_time(NaiveTime::MIN));
        }
    }
    Err(format!(
        "\"{s}\" is neither seconds (12.5) nor a local time (2027-09-15T20:00:00)"
    ))
}

/// `playlists/default.toml` in the current folder (the source tree, under `cargo run`), or
/// next to the program (an unpacked release, started from anywhere).
fn playlist_path(arg: Option<PathBuf>) -> PathBuf {
    arg.unwrap_or_else(|| {
        let local = PathBuf::from("playlists/default.toml");
        let beside_exe = std::env::current_exe()
            .ok()
            .and_then(|exe| Some(exe.parent()?.join("playlists").join("default.toml")));
        match beside_exe {
            Some(p) if !local.exists() && p.exists() => p,
            _ => local,
        }
    })
}

/// How a command ended, before it becomes an exit code.
enum Failure {
    /// The playlist has problems (they were printed): exit 1.
    Problems,
    /// The command could not run: exit 2, with this message.
    Usage(String),
    /// The player stopped on a failure: exit 1, with this message.
    Failed(String),
}

type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    signage::platform::attach_to_terminal();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(message) = mistyped_command(&args) {
        let _ = writeln!(io::stderr(), "error: {message}");
        return ExitCode::from(2);
    }
    let cli = Cli::parse();
    signage::lang::set(signage::lang::detect(cli.lang));
    let untouched = Cli::parse_from(["signage"]).play;
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
    if let Some(warning) = signage::logging::init(log_file.as_deref()) {
        tracing::warn!("{warning}");
    }
    signage::platform::log_panics();
    let outcome = match command {
        Command::Play(args) => play(args),
        Command::Preview { playlist } => play(PlayArgs {
            playlist,
            window: true,
            ..untouched
        }),
        Command::Monitors => monitors(),
        Command::Schema => {
            let schema = signage::playlist::schema::schema();
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

/// `signage chek` would play a playlist called "chek": a first argument that is no file but
/// close to a command name is a typo.
fn mistyped_command(args: &[std::ffi::OsString]) -> Option<String> {
    let first = args.get(1)?.to_str()?;
    if first.starts_with('-') || COMMANDS.contains(&first) || Path::new(first).exists() {
        return None;
    }
    let near = suggest(first, COMMANDS)?;
    Some(format!(
        "unknown command `{first}` (and no file by that name); did you mean `{near}`?\n\n{}",
        Cli::command().render_usage()
    ))
}

/// Standard output for results. A closed pipe is not an error worth a message: the reader
/// has seen what it wanted.
fn out(text: &str) -> Outcome {
    match io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        _ => Ok(()),
    }
}

/// Problems for the editor, on standard error.
fn err(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

fn monitors() -> Outcome {
    let list = signage::app::list_monitors().map_err(Failure::Usage)?;
    out(&list.join("\n"))?;
    out("\n")
}

fn load_and_verify(path: &Path) -> Loaded {
    signage::verify::load_and_verify(path, Local::now().date_naive())
}

fn check(path: &Path) -> Outcome {
    let Loaded { playlist, report } = load_and_verify(path);
    // Problems go to stderr with snippets; the summary of a good playlist goes to stdout.
    err(&report.to_string());
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    if errors > 0 {
        let verdict = format!(
            "{}: {errors} error(s), {warnings} warning(s); the playlist was not accepted",
            path.display()
        );
        err(&format!("{}\n", tr(&verdict)));
        return Err(Failure::Problems);
    }
    out(&format!("{}\n", tr(&format!("{}: OK", path.display()))))?;
    let summary = summary::check_summary(&playlist, Local::now().date_naive());
    out(&signage::lang::tr_lines(&summary))
}

fn schedule(path: &Path, from: Option<NaiveDate>, days: u32) -> Outcome {
    let loaded = playlist::load(path);
    if !loaded.is_clean() {
        err(&loaded.report.to_string());
        let note = "(listing the slides that loaded; fix the errors above for the rest)";
        err(&format!("{}\n", tr(note)));
    }
    let from = from.unwrap_or_else(|| Local::now().date_naive());
    let table = summary::schedule_table(&loaded.playlist, from, days);
    out(&signage::lang::tr_lines(&table))?;
    if loaded.is_clean() {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

fn render(
    path: &Path,
    at: NaiveDateTime,
    out_png: Option<PathBuf>,
    sheet: Option<PathBuf>,
) -> Outcome {
    let Loaded { playlist, report } = load_and_verify(path);
    let clean = !report.has_errors();
    if !clean {
        err(&report.to_string());
        err(&format!(
            "{}: rendering what loaded; fix the errors above\n",
            path.display()
        ));
    }
    let gpu = signage::render::Gpu::headless().map_err(Failure::Usage)?;
    let mut renderer =
        signage::still::renderer(&gpu, &playlist, signage::render::Fonts::WithSystem);
    let mut timeline = signage::timeline::Timeline::new(playlist);
    let out_png = match (out_png, &sheet) {
        (None, None) => Some(PathBuf::from("frame.png")),
        (out_png, _) => out_png,
    };
    let mut written = true;
    let mut write = |what: &str, result: Result<image::RgbaImage, String>, file: &Path| match result
        .and_then(|img| img.save(file).map_err(|e| e.to_string()))
    {
        Ok(()) => out(&format!("wrote {what} {}\n", file.display())),
        Err(e) => {
            err(&format!(
                "error: cannot write {what} {}: {e}\n",
                file.display()
            ));
            written = false;
            Ok(())
        }
    };
    if let Some(file) = out_png {
        let frame = signage::still::frame_at(&mut renderer, &mut timeline, at);
        write("frame", frame, &file)?;
    }
    if let Some(file) = sheet {
        let sheet = signage::still::contact_sheet(&mut renderer, &mut timeline, at);
        write("contact sheet", sheet, &file)?;
    }
    if clean && written {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

fn test_pattern(
    region: Option<(i32, i32, u32, u32)>,
    fullscreen: bool,
    monitor: Option<usize>,
    out_png: Option<PathBuf>,
    size: (u32, u32),
) -> Outcome {
    use signage::playlist::Placement;
    if let Some(file) = out_png {
        let dir = std::env::temp_dir();
        let (playlist, png) =
            signage::pattern::playlist(&dir, size, (0, 0)).map_err(Failure::Failed)?;
        let drawn = signage::render::Gpu::headless()
            .map_err(Failure::Usage)
            .and_then(|gpu| {
                let mut renderer = signage::render::Renderer::new(
                    &gpu,
                    signage::render::Fonts::BundledOnly,
                    &playlist,
                );
                signage::still::show(&mut renderer, &[0]);
                renderer
                    .render_still(Some(0))
                    .and_then(|img| img.save(&file).map_err(|e| e.to_string()))
                    .map_err(|e| Failure::Failed(format!("cannot write {}: {e}", file.display())))
            });
        let _ = std::fs::remove_file(png);
        drawn?;
        return out(&format!("wrote the test pattern {}\n", file.display()));
    }
    let placement = match region {
        Some((x, y, _, _)) => Placement::Region { x, y },
        None if fullscreen => Placement::Fullscreen { monitor },
        None => {
            return Err(Failure::Usage(
                "give --region X,Y,WxH or --fullscreen to show the test pattern, or --out FILE to write it".into(),
            ))
        }
    };
    signage::platform::ignore_stray_signals();
    let options = signage::app::PlayOptions {
        playlist: PathBuf::from("test-pattern"),
        placement: Some(placement),
        region_size: region.map(|(_, _, w, h)| (w, h)),
        stats: false,
        heartbeat: false,
        play_log: None,
        test_pattern: true,
        watch: Default::default(),
    };
    signage::app::play(options).map_err(Failure::Failed)
}

fn walls(paths: &[PathBuf]) -> Outcome {
    let files = signage::walls::status_files(paths);
    if files.is_empty() {
        return Err(Failure::Usage(
            "no status files there; the players write them with --status FILE".into(),
        ));
    }
    let now = std::time::SystemTime::now();
    let mut trouble = false;
    for file in &files {
        let (verdict, line) = signage::walls::line(file, now);
        trouble |= verdict.is_bad();
        out(&format!("{line}\n"))?;
    }
    if trouble {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}

fn install_service(args: PlayArgs, print: bool, name: String) -> Outcome {
    use signage::service::{self, System};
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let playlist = absolute(&playlist_path(args.playlist.clone()));
    if !playlist.exists() {
        err(&format!(
            "warning: {} does not exist (yet); the service will wait for it\n",
            playlist.display()
        ));
    }
    let exe = std::env::current_exe()
        .map_err(|e| Failure::Usage(format!("cannot find this program: {e}")))?;
    // The service runs from another folder: every path absolute.
    let service = PlayArgs {
        playlist: Some(playlist),
        log: args.log.as_deref().map(absolute),
        status: args.status.as_deref().map(absolute),
        play_log: args.play_log.as_deref().map(absolute),
        supervise: true,
        heartbeat: false,
        ..args
    };
    let mut command = vec!["play".to_string()];
    command.extend(service.command_line());
    let invocation = service::Invocation {
        exe: absolute(&exe),
        args: command,
        name,
    };
    if print {
        return out(&service::definition(System::this(), &invocation));
    }
    let done = service::install(&invocation).map_err(Failure::Failed)?;
    out(&done)
}

fn play(args: PlayArgs) -> Outcome {
    use signage::playlist::Placement;
    if args.supervise {
        // The child gets this command line without --supervise (and without `play`, which
        // the supervisor adds back).
        let forwarded: Vec<std::ffi::OsString> = std::env::args_os()
            .skip(1)
            .enumerate()
            .filter(|(i, a)| a != "--supervise" && !(*i == 0 && a == "play"))
            .map(|(_, a)| a)
            .collect();
        return signage::supervise::supervise(forwarded).map_err(Failure::Failed);
    }
    signage::platform::ignore_stray_signals();
    let placement = match (
        args.region,
        args.fullscreen || args.monitor.is_some(),
        args.window,
    ) {
        (Some((x, y, _, _)), _, _) => Some(Placement::Region { x, y }),
        (None, true, _) => Some(Placement::Fullscreen {
            monitor: args.monitor,
        }),
        (None, false, true) => Some(Placement::Window),
        (None, false, false) => None,
    };
    // Absolute, so that the watcher matches file events (which name absolute paths) and a
    // bare `playlist.toml` has a folder to resolve images in.
    let path = playlist_path(args.playlist);
    let options = signage::app::PlayOptions {
        playlist: std::path::absolute(&path).unwrap_or(path),
        placement,
        region_size: args.region.map(|(_, _, w, h)| (w, h)),
        stats: args.stats,
        heartbeat: args.heartbeat,
        play_log: args.play_log.map(|dir| (dir, args.play_log_days)),
        test_pattern: false,
        watch: signage::watch::WatchOptions {
            poll: args.poll.map(std::time::Duration::from_secs_f64),
            settle: std::time::Duration::from_millis(args.settle),
            status_file: args.status,
            report: args.report,
            ..Default::default()
        },
    };
    signage::app::play(options).map_err(Failure::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed_play(line: &[String]) -> PlayArgs {
        let cli = Cli::try_parse_from(
            ["signage".to_string(), "play".to_string()]
                .iter()
                .chain(line),
        )
        .unwrap_or_else(|e| panic!("{line:?}: {e}"));
        match cli.command {
            Some(Command::Play(args)) => args,
            _ => panic!("not play: {line:?}"),
        }
    }

    #[test]
    fn a_services_command_line_parses_back_to_the_same_arguments() {
        let every_flag = PlayArgs {
            playlist: Some(PathBuf::from("/mnt/share/大厅 1/playlist.toml")),
            region: Some((-1920, 0, 1920, 320)),
            monitor: Some(2),
            stats: true,
            log: Some(PathBuf::from("/var/tmp/signage/wall.log")),
            poll: Some(0.5),
            settle: 1200,
            status: Some(PathBuf::from("/mnt/share/wall-1.json")),
            report: true,
            play_log: Some(PathBuf::from("/var/tmp/plays")),
            play_log_days: 30,
            supervise: true,
            heartbeat: true,
            ..Cli::parse_from(["signage"]).play
        };
        let fullscreen = PlayArgs {
            playlist: None,
            region: None,
            fullscreen: true,
            ..every_flag.clone()
        };
        let window = PlayArgs {
            window: true,
            ..Cli::parse_from(["signage"]).play
        };
        let dashed = PlayArgs {
            playlist: Some(PathBuf::from("-wall.toml")),
            ..window.clone()
        };
        for args in [
            every_flag,
            fullscreen,
            window,
            dashed,
            Cli::parse_from(["signage"]).play,
        ] {
            let line = args.command_line();
            assert!(parsed_play(&line) == args, "{line:?}");
        }
    }
}
