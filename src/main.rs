//! The `signage` command line. Thin: each subcommand calls the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};
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
    /// List the monitors with the numbers --monitor takes.
    Monitors,
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

#[derive(Args, Default)]
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
    /// pixels: what a LED sending card captures. The canvas takes this size.
    #[arg(long, value_name = "X,Y,WxH", value_parser = parse_region, conflicts_with = "window")]
    region: Option<(i32, i32, u32, u32)>,
    /// A resizable preview window with keys (H for help).
    #[arg(long)]
    window: bool,
    /// Print frame rate, frame times, dropped frames, CPU and memory every 5 seconds.
    #[arg(long)]
    stats: bool,
    /// Also log to this file (rotated at 10 MiB).
    #[arg(long, value_name = "FILE")]
    log: Option<PathBuf>,
    /// Poll for changes every SECS seconds instead of relying on file events (automatic on
    /// SMB/NFS shares).
    #[arg(long, value_name = "SECS")]
    poll: Option<f64>,
    /// Reload once files have been unchanged this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 300)]
    settle: u64,
    /// Write a JSON status (playlist, last reload, current slide, fps, uptime) to FILE.
    #[arg(long, value_name = "FILE")]
    status: Option<PathBuf>,
}

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
    if w == 0 || h == 0 || w > 16384 || h > 16384 {
        return Err(help());
    }
    Ok((
        x.parse().map_err(|_| help())?,
        y.parse().map_err(|_| help())?,
        w,
        h,
    ))
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
    let command = cli.command.unwrap_or(Command::Play(cli.play));
    let log_file = match &command {
        Command::Play(args) => args.log.clone(),
        _ => None,
    };
    if let Err(e) = signage::logging::init(log_file.as_deref()) {
        eprintln!("error: {e}");
        return ExitCode::from(2);
    }
    match command {
        Command::Play(args) => play(args),
        Command::Monitors => match signage::app::list_monitors() {
            Ok(list) => {
                for line in list {
                    println!("{line}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
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
    // Full decoding catches truncated files whose header still reads.
    let (_, image_problems) = signage::assets::Images::load(&playlist, None, 16384);
    for p in &image_problems {
        eprintln!("error: {p}");
    }
    // The same fonts the player would have: the bundled one, and system fonts if needed.
    let mut fonts = signage::render::text::font_system();
    signage::render::text::add_system_fonts_if_needed(&mut fonts, &playlist);
    for (place, chars) in signage::render::text::missing_glyphs(&mut fonts, &playlist) {
        let list: String = chars
            .iter()
            .map(|c| format!(" '{c}' (U+{:04X})", *c as u32))
            .collect();
        eprintln!("warning: {place}: no font has{list}; they would show as empty boxes");
    }
    if !image_problems.is_empty() {
        eprintln!(
            "{}: {} image(s) cannot be decoded; the playlist was not accepted",
            path.display(),
            image_problems.len()
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

fn render(
    path: &Path,
    at: NaiveDateTime,
    out: Option<PathBuf>,
    sheet: Option<PathBuf>,
) -> ExitCode {
    let Loaded { playlist, report } = playlist::load(path);
    if report.has_errors() {
        eprint!("{report}");
        eprintln!(
            "{}: rendering what loaded; fix the errors above",
            path.display()
        );
    }
    let gpu = match signage::render::Gpu::headless() {
        Ok(gpu) => gpu,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let (mut renderer, problems) =
        signage::still::renderer(&gpu, &playlist, signage::render::Fonts::WithSystem);
    for p in problems {
        eprintln!("warning: {p}");
    }
    let mut timeline = signage::timeline::Timeline::new(playlist);
    let out = match (out, &sheet) {
        (None, None) => Some(PathBuf::from("frame.png")),
        (out, _) => out,
    };
    let write = |what: &str, result: Result<image::RgbaImage, String>, file: &Path| match result
        .and_then(|img| img.save(file).map_err(|e| e.to_string()))
    {
        Ok(()) => {
            println!("wrote {what} {}", file.display());
            true
        }
        Err(e) => {
            eprintln!("error: cannot write {what} {}: {e}", file.display());
            false
        }
    };
    let mut ok = true;
    if let Some(file) = out {
        ok &= write(
            "frame",
            signage::still::frame_at(&mut renderer, &mut timeline, at),
            &file,
        );
    }
    if let Some(file) = sheet {
        ok &= write(
            "contact sheet",
            signage::still::contact_sheet(&mut renderer, &mut timeline, at),
            &file,
        );
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn play(args: PlayArgs) -> ExitCode {
    use signage::playlist::Placement;
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
    let options = signage::app::PlayOptions {
        playlist: playlist_path(args.playlist),
        placement,
        region_size: args.region.map(|(_, _, w, h)| (w, h)),
        stats: args.stats,
        watch: signage::watch::WatchOptions {
            poll: args
                .poll
                .filter(|s| *s > 0.0)
                .map(std::time::Duration::from_secs_f64),
            settle: std::time::Duration::from_millis(args.settle),
            status_file: args.status,
            ..Default::default()
        },
    };
    match signage::app::play(options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::from(1)
        }
    }
}
