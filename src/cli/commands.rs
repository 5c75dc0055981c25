//! One function per command: each reads what it needs through the library, writes its results
//! with `out` and its problems with `err`, and says how it ended as an `Outcome`; `main` turns
//! that into an exit code.

use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate, NaiveDateTime};

use signage::lang::Msg;
use signage::loader::{self, Loaded};
use signage::rules::summary;

use super::args::{playlist_path, PlayArgs};
use crate::{err, out, Failure, Outcome};

pub(crate) fn monitors() -> Outcome {
    let list = signage::app::list_monitors().map_err(Failure::Usage)?;
    out(&list.join("\n"))?;
    out("\n")
}

pub(crate) fn load_and_verify(path: &Path) -> Loaded {
    signage::layout::verify::load_and_verify(path, Local::now().date_naive())
}

pub(crate) fn check(path: &Path) -> Outcome {
    let Loaded { playlist, report } = load_and_verify(path);
    // Problems go to stderr with snippets; the summary of a good playlist goes to stdout.
    err(&report.to_string());
    let errors = report.errors().count();
    let warnings = report.warnings().count();
    if errors > 0 {
        let verdict = Msg::CheckFailed {
            path: path.display().to_string(),
            errors,
            warnings,
        };
        err(&format!("{verdict}\n"));
        return Err(Failure::Problems);
    }
    let path = path.display().to_string();
    out(&format!("{}\n", Msg::CheckOk { path }))?;
    out(&summary::check_summary(
        &playlist,
        Local::now().date_naive(),
    ))
}

pub(crate) fn schedule(path: &Path, from: Option<NaiveDate>, days: u32) -> Outcome {
    let loaded = loader::load(path);
    if !loaded.is_clean() {
        err(&loaded.report.to_string());
        err(&format!("{}\n", Msg::ListingWhatLoaded));
    }
    let from = from.unwrap_or_else(|| Local::now().date_naive());
    let table = summary::schedule_table(&loaded.playlist, from, days);
    out(&table)?;
    if loaded.is_clean() {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

pub(crate) fn render(
    path: &Path,
    at: NaiveDateTime,
    out_png: Option<PathBuf>,
    sheet: Option<PathBuf>,
) -> Outcome {
    let Loaded { playlist, report } = load_and_verify(path);
    let clean = !report.has_errors();
    if !clean {
        err(&report.to_string());
        let path = path.display().to_string();
        err(&format!("{}\n", Msg::RenderingWhatLoaded { path }));
    }
    let gpu = signage::render::Gpu::headless().map_err(Failure::Usage)?;
    let mut renderer =
        signage::render::still::renderer(&gpu, &playlist, signage::render::Fonts::WithSystem);
    let mut timeline = signage::rules::timeline::Timeline::new(playlist);
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
        let frame = signage::render::still::frame_at(&mut renderer, &mut timeline, at);
        write("frame", frame, &file)?;
    }
    if let Some(file) = sheet {
        let sheet = signage::render::still::contact_sheet(&mut renderer, &mut timeline, at);
        write("contact sheet", sheet, &file)?;
    }
    if clean && written {
        Ok(())
    } else {
        Err(Failure::Problems)
    }
}

pub(crate) fn test_pattern(
    region: Option<(i32, i32, u32, u32)>,
    fullscreen: bool,
    monitor: Option<usize>,
    out_png: Option<PathBuf>,
    size: (u32, u32),
) -> Outcome {
    use signage::model::playlist::Placement;
    if let Some(file) = out_png {
        let dir = std::env::temp_dir();
        let (playlist, png) =
            signage::player::pattern::playlist(&dir, size, (0, 0)).map_err(Failure::Failed)?;
        let drawn = signage::render::Gpu::headless()
            .map_err(Failure::Usage)
            .and_then(|gpu| {
                let mut renderer = signage::render::Renderer::new(
                    &gpu,
                    signage::render::Fonts::BundledOnly,
                    &playlist,
                );
                signage::render::still::show(&mut renderer, &[0]);
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
    signage::system::platform::ignore_stray_signals();
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

pub(crate) fn walls(paths: &[PathBuf]) -> Outcome {
    let files = signage::ops::walls::status_files(paths);
    if files.is_empty() {
        return Err(Failure::Usage(
            "no status files there; the players write them with --status FILE".into(),
        ));
    }
    let now = std::time::SystemTime::now();
    let mut trouble = false;
    for file in &files {
        let (verdict, line) = signage::ops::walls::line(file, now);
        trouble |= verdict.is_bad();
        out(&format!("{line}\n"))?;
    }
    if trouble {
        Err(Failure::Problems)
    } else {
        Ok(())
    }
}

pub(crate) fn install_service(args: PlayArgs, print: bool, name: String) -> Outcome {
    use signage::ops::service::{self, System};
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

pub(crate) fn play(args: PlayArgs) -> Outcome {
    use signage::model::playlist::Placement;
    if args.supervise {
        // The child gets this command line without --supervise (and without `play`, which
        // the supervisor adds back).
        let forwarded: Vec<std::ffi::OsString> = std::env::args_os()
            .skip(1)
            .enumerate()
            .filter(|(i, a)| a != "--supervise" && !(*i == 0 && a == "play"))
            .map(|(_, a)| a)
            .collect();
        return signage::system::supervise::supervise(forwarded).map_err(Failure::Failed);
    }
    signage::system::platform::ignore_stray_signals();
    if let Some(from) = args.from {
        signage::rules::playhead::set_clock(from);
    }
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
