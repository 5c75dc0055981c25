//! The command line as clap reads it: the commands, the player's flags, and the parsers of their
//! values; and the way back, from parsed play arguments to a command line (for a service).

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime};
use clap::{Args, CommandFactory, Parser, Subcommand};

use signage::model::playlist::{self, suggest};

#[derive(Parser)]
#[command(
    name = "signage",
    version,
    about = "A GPU-rendered digital-signage player for LED walls"
)]
#[command(subcommand_precedence_over_arg = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// With no subcommand, `signage [PLAYLIST]` plays.
    #[command(flatten)]
    pub(crate) play: PlayArgs,
    /// The language of messages for editors: zh or en (default: the system's).
    #[arg(long, global = true, value_name = "zh|en", value_parser = parse_lang)]
    pub(crate) lang: Option<signage::lang::Lang>,
}

pub(crate) fn parse_lang(s: &str) -> Result<signage::lang::Lang, String> {
    match s.to_ascii_lowercase().as_str() {
        "zh" | "cn" | "zh-cn" | "zh_cn" => Ok(signage::lang::Lang::Zh),
        "en" => Ok(signage::lang::Lang::En),
        _ => Err(format!("\"{s}\" is not a language here; write zh or en")),
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
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

pub(crate) const COMMANDS: [&str; 10] = [
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
pub(crate) struct PlayArgs {
    #[arg(value_name = "PLAYLIST")]
    pub(crate) playlist: Option<PathBuf>,
    /// Borderless fullscreen (on --monitor N).
    #[arg(long, conflicts_with_all = ["region", "window"])]
    pub(crate) fullscreen: bool,
    /// The monitor for --fullscreen, as `signage monitors` numbers them.
    #[arg(long, value_name = "N")]
    pub(crate) monitor: Option<usize>,
    /// An undecorated, always-on-top window at exactly this desktop rectangle, in physical
    /// pixels: what a LED sending card captures. The canvas takes this size. X and Y may be
    /// negative (a monitor left of or above the primary one).
    #[arg(long, value_name = "X,Y,WxH", value_parser = parse_region, conflicts_with = "window", allow_hyphen_values = true)]
    pub(crate) region: Option<(i32, i32, u32, u32)>,
    /// A resizable preview window with keys (H for help).
    #[arg(long)]
    pub(crate) window: bool,
    /// Print frame rate, frame times, dropped frames, CPU and memory every 5 seconds.
    #[arg(long)]
    pub(crate) stats: bool,
    /// Also log to this file (rotated at 10 MiB); its folder is created if missing.
    #[arg(long, value_name = "FILE")]
    pub(crate) log: Option<PathBuf>,
    /// Poll for changes every SECS seconds (0.1 to 3600) instead of relying on file events
    /// (automatic on SMB/NFS shares).
    #[arg(long, value_name = "SECS", value_parser = parse_poll)]
    pub(crate) poll: Option<f64>,
    /// Reload once files have been unchanged this many milliseconds (0 to 60000).
    #[arg(long, value_name = "MS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    pub(crate) settle: u64,
    /// Write a JSON status (playlist, last reload, current slide, fps, frames drawn, uptime)
    /// to FILE.
    #[arg(long, value_name = "FILE")]
    pub(crate) status: Option<PathBuf>,
    /// After every reload, write PLAYLIST.report.txt next to the playlist: accepted, and what
    /// plays now; or every error with its line. For editors who cannot see the wall.
    #[arg(long)]
    pub(crate) report: bool,
    /// Write what plays, when and for how long, as a CSV file per day in DIR (proof of play).
    #[arg(long, value_name = "DIR")]
    pub(crate) play_log: Option<PathBuf>,
    /// Days of play log to keep.
    #[arg(long, value_name = "DAYS", default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3660))]
    pub(crate) play_log_days: u32,
    /// Run the player as a child process and restart it within seconds when it exits
    /// abnormally or stops drawing while something should move (a watchdog).
    #[arg(long)]
    pub(crate) supervise: bool,
    /// Report frames drawn once a second on standard output, for --supervise.
    #[arg(long, hide = true)]
    pub(crate) heartbeat: bool,
    /// Play as if the clock read this local time (YYYY-MM-DDTHH:MM:SS) at start, and run on
    /// from it: a preview of a festival day, a night layout, a schedule's change. Not for walls.
    #[arg(long, value_name = "WHEN", value_parser = parse_moment, conflicts_with = "supervise")]
    pub(crate) from: Option<NaiveDateTime>,
}

impl PlayArgs {
    /// The player's flags as clap defaults them (`settle` 300, `play-log-days` 90…), which
    /// `Default` does not know.
    pub(crate) fn defaults() -> PlayArgs {
        Cli::parse_from(["signage"]).play
    }

    /// These arguments as `signage play` takes them, each flag that differs from its default:
    /// what a service runs. Parsing the result gives these arguments back (a test checks).
    pub(crate) fn command_line(&self) -> Vec<String> {
        let defaults = PlayArgs::defaults();
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
        if let Some(from) = self.from {
            flag(
                "from",
                Some(from.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()),
            );
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
pub(crate) const MAX_REGION_SIDE: u32 = 8192;

pub(crate) fn parse_region(s: &str) -> Result<(i32, i32, u32, u32), String> {
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

pub(crate) fn parse_size(s: &str) -> Result<(u32, u32), String> {
    parse_region(&format!("0,0,{s}")).map(|(_, _, w, h)| (w, h))
}

pub(crate) fn parse_poll(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(secs) if (0.1..=3600.0).contains(&secs) => Ok(secs),
        _ => Err(format!(
            "\"{s}\" is not a polling interval; give seconds from 0.1 to 3600, e.g. 1"
        )),
    }
}

pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    playlist::values::parse_date(s).map_err(|m| m.to_string())
}

pub(crate) fn parse_moment(s: &str) -> Result<NaiveDateTime, String> {
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
pub(crate) fn playlist_path(arg: Option<PathBuf>) -> PathBuf {
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

/// `signage chek` would play a playlist called "chek": a first argument that is no file but
/// close to a command name is a typo.
pub(crate) fn mistyped_command(args: &[std::ffi::OsString]) -> Option<String> {
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
            ..PlayArgs::defaults()
        };
        let fullscreen = PlayArgs {
            playlist: None,
            region: None,
            fullscreen: true,
            ..every_flag.clone()
        };
        let window = PlayArgs {
            window: true,
            ..PlayArgs::defaults()
        };
        let dashed = PlayArgs {
            playlist: Some(PathBuf::from("-wall.toml")),
            ..window.clone()
        };
        for args in [every_flag, fullscreen, window, dashed, PlayArgs::defaults()] {
            let line = args.command_line();
            assert!(parsed_play(&line) == args, "{line:?}");
        }
    }
}
