//! Still images of the playlist: one frame at any moment, and a contact sheet of every slide.
//! What `signage render` writes, and what the golden-image tests compare.

use chrono::NaiveDateTime;
use image::{imageops, RgbaImage};

use crate::model::playlist::values::format_duration_ms;
use crate::model::playlist::{Content, Playlist};
use crate::model::zone::{Zone, MAIN_ZONE};
use crate::render::ZoneLayer;
use crate::render::{Fonts, Gpu, Renderer};
use crate::rules::summary::ASSUMED_REFRESH_HZ;
use crate::rules::timeline::{effective_ticker_speed, ticker_distance, Frame, Timeline};
use crate::rules::zones::{self, Leader};

/// A GPU renderer for `playlist`; slides are prepared as the stills need them.
pub fn renderer(gpu: &Gpu, playlist: &Playlist, fonts: Fonts) -> Renderer {
    Renderer::new(gpu, fonts, playlist)
}

/// Makes `slides` resident (prepared here, on this thread) and drops every other slide, so
/// that a contact sheet of a thousand slides holds one at a time. A slide whose image cannot be
/// loaded shows its background; the problem is logged.
pub fn show(renderer: &mut Renderer, slides: &[usize]) {
    for i in renderer.resident_slides() {
        if !slides.contains(&i) {
            renderer.evict(i);
        }
    }
    for &i in slides {
        if renderer.has_slide(i) {
            continue;
        }
        if let Some(prepared) = renderer.prepare_here(i) {
            if let Some(problem) = &prepared.problem {
                tracing::error!("{problem}; it shows its background");
            }
            renderer.insert_prepared(i, prepared);
        }
    }
}

/// Uploads the frame video slide `index` shows `elapsed_ms` in, if it is a video slide. A
/// clip that cannot be decoded shows the slide's background; the problem is logged.
fn show_clip_frame(renderer: &mut Renderer, index: usize, elapsed_ms: i64) {
    let Some(slide) = renderer.playlist().slides.get(index) else {
        return;
    };
    let Content::Video { video, looping, .. } = &slide.content else {
        return;
    };
    match crate::layout::video::frame_due(video, *looping, elapsed_ms, slide.background) {
        Ok(frame) => renderer.show_video_frame(index, &frame),
        Err(e) => tracing::error!(
            "video {}: {e}; it shows its background",
            video.path.display()
        ),
    }
}

/// How far the ticker has moved at `clock_ms`, as the wall shows it at the assumed refresh rate.
pub fn ticker_distance_at(playlist: &Playlist, clock_ms: i64) -> f64 {
    match &playlist.ticker {
        Some(t) => {
            let speed = effective_ticker_speed(t.speed, ASSUMED_REFRESH_HZ, t.snap_to_pixel);
            ticker_distance(clock_ms, speed, t.snap_to_pixel)
        }
        None => 0.0,
    }
}

/// The frame at local time `at`: the whole wall, every zone of the layout on then.
pub fn frame_at(
    renderer: &mut Renderer,
    timeline: &mut Timeline,
    at: NaiveDateTime,
) -> Result<RgbaImage, String> {
    if timeline.playlist().layouts.is_empty() {
        draw_frame(renderer, timeline, at, None, &[])?;
        return renderer.read_canvas();
    }
    let wall = timeline.playlist().clone();
    let layout = zones::layout_on(&wall, at).map(|i| &wall.layouts[i]);
    let main = zones::main_playlist(&wall, layout);
    if renderer.playlist() != &main {
        renderer.set_playlist(&main);
    }
    let mut main_timeline = Timeline::new(main);
    let lead = main_timeline.frame_at(at);
    let around = layout.map(zones::around_main).unwrap_or_default();
    let mut drawn: Vec<(Renderer, Timeline, Frame)> = around
        .iter()
        .map(|(zone, _)| {
            let playlist = zones::zone_playlist(&wall, zone);
            (renderer.for_zone(&playlist), Timeline::new(playlist), lead)
        })
        .collect();
    let refs: Vec<&Zone> = around.iter().map(|(z, _)| *z).collect();
    for (k, leader) in zones::follow_order(&refs) {
        let lead = match leader {
            Leader::Own => None,
            Leader::Main => Some(lead),
            Leader::Zone(j) => Some(drawn[j].2),
        };
        let (r, t, frame) = &mut drawn[k];
        *frame = match lead {
            Some(lead) => zones::following(&lead, t.playlist().slides.len()),
            None => t.frame_at(at),
        };
        draw_frame(r, t, at, Some(*frame), &[])?;
    }
    // The zones' renderers live until the wall is composed from their canvases.
    let layers: Vec<ZoneLayer> = drawn
        .iter()
        .zip(&around)
        .map(|((r, _, _), (zone, in_front))| ZoneLayer {
            texture: r.canvas_texture().clone(),
            origin: (zone.rect.x, zone.rect.y),
            in_front: *in_front,
            changed: true,
        })
        .collect();
    draw_frame(renderer, &mut main_timeline, at, None, &layers)?;
    renderer.read_canvas()
}

/// Draws `frame` (by default the timeline's at `at`) onto the canvas.
fn draw_frame(
    renderer: &mut Renderer,
    timeline: &mut Timeline,
    at: NaiveDateTime,
    frame: Option<Frame>,
    zones: &[ZoneLayer],
) -> Result<(), String> {
    renderer.set_text_time(at);
    renderer.set_light(crate::rules::lighting::light_at(
        &timeline.playlist().display,
        at,
    ));
    let frame = frame.unwrap_or_else(|| timeline.frame_at(at));
    let from = frame.transition.and_then(|t| t.from);
    let slides: Vec<usize> = [frame.slide, from].into_iter().flatten().collect();
    show(renderer, &slides);
    // The clip's frame due now; the clip going out holds the last frame it showed.
    if let Some(i) = frame.slide {
        show_clip_frame(renderer, i, frame.slide_elapsed_ms);
    }
    if let Some(i) = from {
        let duration = timeline.playlist().slides[i].duration_ms;
        show_clip_frame(renderer, i, duration.saturating_sub(1) as i64);
    }
    let distance = ticker_distance_at(timeline.playlist(), frame.clock_ms);
    renderer.render_zoned(&frame, distance, None, None, zones);
    Ok(())
}

/// Every slide that plays on `at`'s day, each as the wall shows it, labelled with its name,
/// duration and schedule, in a grid.
pub fn contact_sheet(
    renderer: &mut Renderer,
    timeline: &mut Timeline,
    at: NaiveDateTime,
) -> Result<RgbaImage, String> {
    renderer.set_text_time(at);
    let playlist = timeline.playlist().clone();
    let cells = if playlist.layouts.is_empty() {
        slide_cells(renderer, timeline, at, "")?
    } else {
        zone_cells(renderer, &playlist, at)?
    };
    let (cw, ch) = (playlist.display.width, playlist.display.height);
    let thumb_w = cw.min(640);
    let thumb_h = ((ch as f64 * thumb_w as f64 / cw as f64).round() as u32).max(1);
    let caption_h = 28;
    let pad = 8;
    let cols = if cells.len() > 1 { 2 } else { 1 };
    let rows = cells.len().div_ceil(cols).max(1) as u32;
    let cell_w = thumb_w + pad;
    let cell_h = thumb_h + caption_h + pad;
    let mut sheet = RgbaImage::from_pixel(
        cols as u32 * cell_w + pad,
        rows * cell_h + pad,
        image::Rgba([16, 16, 16, 255]),
    );
    for (n, (full, label)) in cells.iter().enumerate() {
        // A zone's slide keeps its own shape, as large as the cell allows.
        let scale =
            (thumb_w as f64 / full.width() as f64).min(thumb_h as f64 / full.height() as f64);
        let (w, h) = (
            ((full.width() as f64 * scale).round() as u32).max(1),
            ((full.height() as f64 * scale).round() as u32).max(1),
        );
        let thumb = imageops::resize(full, w, h, imageops::FilterType::Triangle);
        let caption = renderer.render_caption(label, thumb_w, caption_h, 16.0)?;
        let x = pad + (n % cols) as u32 * cell_w;
        let y = pad + (n / cols) as u32 * cell_h;
        imageops::overlay(&mut sheet, &thumb, x as i64, y as i64);
        imageops::overlay(&mut sheet, &caption, x as i64, (y + thumb_h) as i64);
    }
    Ok(sheet)
}

/// Each slide of `timeline` that plays on `at`'s day, drawn alone by `renderer`, with its
/// label (`zone`: what the label adds about its zone).
fn slide_cells(
    renderer: &mut Renderer,
    timeline: &mut Timeline,
    at: NaiveDateTime,
    zone: &str,
) -> Result<Vec<(RgbaImage, String)>, String> {
    let playlist = timeline.playlist().clone();
    let mut slides: Vec<usize> = timeline
        .day_segments(at.date())
        .into_iter()
        .flat_map(|(_, _, order)| order)
        .collect();
    slides.sort_unstable();
    slides.dedup();
    let mut cells = Vec::new();
    for i in slides {
        let slide = &playlist.slides[i];
        show(renderer, &[i]);
        // A clip as it is 1 s in, past a first frame that is often black.
        show_clip_frame(renderer, i, 1000);
        let full = renderer.render_still(Some(i))?;
        let when = slide
            .when
            .as_ref()
            .map_or("always".to_string(), |w| w.to_string());
        let clip = slide.video().map_or(String::new(), |v| {
            format!(" · clip {}", format_duration_ms(v.clip.length_ms))
        });
        let label = format!(
            "{} · {}{clip} · {}{zone}",
            slide.name,
            format_duration_ms(slide.duration_ms),
            when
        );
        cells.push((full, label));
    }
    Ok(cells)
}

/// The cells of a wall in zones: each zone's slides of the day (each zone cycles on its own),
/// drawn at the zone's size, labelled with the zone and the layouts that have it.
fn zone_cells(
    renderer: &mut Renderer,
    wall: &Playlist,
    at: NaiveDateTime,
) -> Result<Vec<(RgbaImage, String)>, String> {
    let mut names: Vec<&str> = Vec::new();
    for z in wall.layouts.iter().flat_map(|l| &l.zones) {
        if z.ticker.is_none() && !names.contains(&z.name.as_str()) {
            names.push(&z.name);
        }
    }
    let mut cells = Vec::new();
    for name in names {
        let layouts: Vec<&str> = wall
            .layouts
            .iter()
            .filter(|l| l.zone(name).is_some())
            .map(|l| l.name.as_str())
            .collect();
        // Drawn as the last layout that has it (the top level's, when it does) places it.
        let Some(layout) = wall.layouts.iter().rev().find(|l| l.zone(name).is_some()) else {
            continue;
        };
        let playlist = match (name, layout.zone(name)) {
            (MAIN_ZONE, _) => zones::main_playlist(wall, Some(layout)),
            (_, Some(zone)) => zones::zone_playlist(wall, zone),
            (_, None) => continue,
        };
        let mut r = renderer.for_zone(&playlist);
        r.set_text_time(at);
        let mut t = Timeline::new(playlist);
        let label = format!(" · zone {name} ({})", layouts.join(", "));
        cells.extend(slide_cells(&mut r, &mut t, at, &label)?);
    }
    Ok(cells)
}
