//! The wall's other zones: each a player of its own (its own timeline, slides, clips and
//! crawl, drawn onto a canvas of the zone's size by a renderer on the same device), composed
//! into the wall's canvas in stacking order. The main zone is this player's own timeline; the
//! layout on is asked at the main zone's slide starts, so that layouts switch only there, and a
//! switch goes the way a reload does: the new layout's slides are prepared first and the whole
//! wall changes in one frame.

use chrono::NaiveDateTime;

use super::*;
use crate::model::zone::{Layout, Zone};
use crate::render::ZoneLayer;
use crate::rules::zones::{
    around_main, follow_order, following, layout_at, main_playlist, slide_start, zone_playlist,
    Leader,
};

/// How long before the main zone's next slide a layout coming on with it is prepared.
const LOOK_AHEAD_MS: i64 = 3_000;

/// The zones besides the main one, and what chose them.
#[derive(Default)]
pub(super) struct Zones {
    /// The playlist as loaded, when it lays the wall out in zones (it then holds every zone's
    /// slides; the timeline holds the main zone's).
    source: Option<Playlist>,
    /// The layout on, by index into the source's layouts.
    layout: Option<usize>,
    /// The moment the layout was chosen for: the start of the main zone's slide.
    chosen_for: Option<NaiveDateTime>,
    /// Back to front.
    playing: Vec<ZonePlayer>,
    /// The order their frames are worked out in, and where each comes from.
    plan: Vec<(usize, Leader)>,
    /// Their canvases as the frame composes them, kept so that a frame allocates nothing.
    layers: Vec<ZoneLayer>,
    /// The zones of a layout (or reload) being prepared, to come on with it in one frame.
    pub(super) incoming: Vec<ZonePlayer>,
    next_tag: u64,
}

pub(super) struct ZonePlayer {
    zone: Zone,
    /// In front of the main zone.
    in_front: bool,
    player: Box<Player>,
    /// What it draws next.
    frame: Frame,
    /// Draw it (and copy it onto the wall) at the next frame whatever it shows: it has just
    /// come on, or something it shows changed.
    dirty: bool,
    /// The wall renderer's fonts it started with (see [`Renderer::fonts_changed`]): the worker
    /// shapes every zone's text with the wall's fonts, which a zone's renderer must have too.
    fonts: u64,
}

impl Zones {
    /// Whether the playlist lays the wall out in zones.
    pub(super) fn is_zoned(&self) -> bool {
        self.source.is_some()
    }

    /// The zones' canvases as composed into the frame just drawn.
    pub(super) fn layers(&self) -> &[ZoneLayer] {
        &self.layers
    }

    /// The main zone's playlist out of `playlist` under the layout on at `moment`; remembers
    /// `playlist` for the other zones.
    pub(super) fn split(&mut self, playlist: Playlist, moment: NaiveDateTime) -> Playlist {
        if playlist.layouts.is_empty() {
            (self.source, self.layout, self.chosen_for) = (None, None, None);
            return playlist;
        }
        let layout = layout_at(&playlist.layouts, moment, &playlist.calendar);
        let main = main_playlist(&playlist, layout.map(|i| &playlist.layouts[i]));
        self.layout = layout;
        self.chosen_for = Some(moment);
        self.source = Some(playlist);
        main
    }
}

impl ZonePlayer {
    /// Whether its canvas does not show its frame yet (another slide, a transition, a new
    /// clip frame, a slide prepared again), or its crawl moves.
    fn needs_draw(&self) -> bool {
        self.dirty
            || self.player.frames == 0
            || !self.player.renderer.canvas_shows(&self.frame)
            || self.player.playhead.moving()
    }

    /// Whether the slides its frame shows are in (or could not be: they are left out).
    fn ready(&self) -> bool {
        let f = &self.frame;
        let from = f.transition.and_then(|t| t.from);
        [f.slide, from]
            .into_iter()
            .flatten()
            .all(|i| self.player.renderer.has_slide(i) || self.player.failed.contains_key(&i))
            && self.player.clips_ready(f)
    }
}

impl Player {
    /// The main zone's playlist out of `playlist`, under the layout on when the main zone's
    /// slide on screen started; remembers `playlist` for the other zones.
    pub(super) fn zoned(&mut self, playlist: Playlist, at: Moment) -> Playlist {
        let moment = self.layout_moment(at);
        self.zones.split(playlist, moment)
    }

    /// The playlist as loaded (every zone's slides), for holding it back under a notice.
    pub(super) fn source_playlist(&self) -> Playlist {
        self.zones
            .source
            .clone()
            .unwrap_or_else(|| self.playlist().clone())
    }

    /// When the main zone's slide on screen started; with no slide, the minute (layouts are
    /// chosen by hours and days).
    fn layout_moment(&self, at: Moment) -> NaiveDateTime {
        if let Some(moment) = self.zones.chosen_for {
            return moment;
        }
        slide_start(&self.shown, self.playhead.time(at.wall))
    }

    /// Starts the zones `playlist` (as loaded) lays out under its layout on, to come on with it
    /// (see [`Player::install_zones`]); zones that play on through the change are not started.
    pub(super) fn start_zones(&mut self, playlist: &Playlist, at: Moment) {
        self.zones.incoming.clear();
        let Some(layout) = self.layout_for(playlist, at) else {
            return;
        };
        for (zone, in_front) in around_main(layout) {
            if self.zones.playing.iter().any(|z| same_place(&z.zone, zone)) {
                continue;
            }
            let started = self.start_zone(zone, in_front, zone_playlist(playlist, zone), at);
            self.zones.incoming.push(started);
        }
    }

    /// The layout `playlist` (as loaded) would be shown under now.
    fn layout_for<'p>(&self, playlist: &'p Playlist, at: Moment) -> Option<&'p Layout> {
        let moment = self.layout_moment(at);
        let i = layout_at(&playlist.layouts, moment, &playlist.calendar)?;
        playlist.layouts.get(i)
    }

    fn start_zone(
        &mut self,
        zone: &Zone,
        in_front: bool,
        playlist: Playlist,
        at: Moment,
    ) -> ZonePlayer {
        self.zones.next_tag += 1;
        let tag = self.zones.next_tag;
        let renderer = self.renderer.for_zone(&playlist);
        let preparer = self.preparer.as_ref().map(|p| p.for_zone(tag));
        let mut player = Player::new(renderer, playlist, preparer, self.playhead.hz(), at);
        player.tag = tag;
        let frame = player.peek(at);
        ZonePlayer {
            zone: zone.clone(),
            in_front,
            player: Box::new(player),
            frame,
            dirty: true,
            fonts: self.renderer.fonts_changed(),
        }
    }

    /// Puts the zones of the playlist just taken on the wall: those that play on keep playing
    /// (with their slides as the playlist now has them), the ones started for it come on, the
    /// rest end.
    pub(super) fn install_zones(&mut self, at: Moment) {
        // A zone started before the wall's fonts changed (system fonts loaded for some text)
        // starts again, with them.
        let fonts = self.renderer.fonts_changed();
        let current = |z: ZonePlayer| (z.fonts == fonts).then_some(z);
        let mut incoming: Vec<Option<ZonePlayer>> =
            self.zones.incoming.drain(..).map(current).collect();
        let mut old: Vec<Option<ZonePlayer>> = self.zones.playing.drain(..).map(current).collect();
        let Some(source) = self.zones.source.take() else {
            return;
        };
        let layout = self.zones.layout.and_then(|i| source.layouts.get(i));
        let mut playing = Vec::new();
        for (zone, in_front) in layout.map(around_main).unwrap_or_default() {
            let mut z = if let Some(mut z) = take_zone(&mut old, zone) {
                let slides = zone_playlist(&source, zone);
                if &slides != z.player.playlist() {
                    z.player.set_playlist(slides, None, at);
                }
                z
            } else if let Some(z) = take_zone(&mut incoming, zone) {
                z
            } else {
                self.start_zone(zone, in_front, zone_playlist(&source, zone), at)
            };
            z.zone = zone.clone();
            z.in_front = in_front;
            z.dirty = true;
            playing.push(z);
        }
        let zones: Vec<&Zone> = playing.iter().map(|z: &ZonePlayer| &z.zone).collect();
        self.zones.plan = follow_order(&zones);
        self.zones.source = Some(source);
        self.zones.playing = playing;
    }
}

/// The zone player in `list` for `zone`'s place, taken out of it.
fn take_zone(list: &mut [Option<ZonePlayer>], zone: &Zone) -> Option<ZonePlayer> {
    list.iter_mut()
        .find(|z| z.as_ref().is_some_and(|z| same_place(&z.zone, zone)))
        .and_then(Option::take)
}

/// Whether a zone of one layout plays on in another: same name, same rectangle.
fn same_place(a: &Zone, b: &Zone) -> bool {
    a.name == b.name && a.rect == b.rect
}

impl Player {
    /// Each frame: changes the layout when another is due at the main zone's slide start, and
    /// works out what each zone shows (`time`: the frame's).
    pub(super) fn begin_zones(&mut self, main: &Frame, time: NaiveDateTime, at: Moment) {
        // Zones coming on with a reload or a layout are prepared before they are on.
        for z in &mut self.zones.incoming {
            z.frame = z.player.begin_frame(at);
        }
        let Some(source) = &self.zones.source else {
            return;
        };
        let started = slide_start(main, time);
        let next = time + chrono::Duration::milliseconds(main.slide_remaining_ms);
        let layout_on = |t| layout_at(&source.layouts, t, &source.calendar);
        if self.pending.is_some() {
            // A reload, or the next layout, is being prepared.
        } else if self.zones.chosen_for != Some(started) {
            self.zones.chosen_for = Some(started);
            if layout_on(started) != self.zones.layout {
                tracing::info!(
                    "the layout changes at {}",
                    started.format("%Y-%m-%d %H:%M:%S")
                );
                let source = source.clone();
                self.show(source, None, at);
            }
        } else if self.preparer.is_some()
            && main.slide.is_some()
            && main.slide_remaining_ms <= LOOK_AHEAD_MS
            && layout_on(next) != self.zones.layout
        {
            // The next slide starts under another layout: prepare it now, to come on whole
            // at that slide's first frame.
            tracing::info!("the layout changes at {}", next.format("%Y-%m-%d %H:%M:%S"));
            self.zones.chosen_for = Some(next);
            let source = source.clone();
            self.show(source, None, at);
            if let Some(p) = &mut self.pending {
                p.not_before = Some(next);
            }
        }
        self.zone_frames(main, at, true);
    }

    /// Whether the zones being prepared to come on can: their first slides are in.
    pub(super) fn incoming_ready(&self) -> bool {
        self.zones.incoming.iter().all(ZonePlayer::ready)
    }

    /// Sets each zone's frame: its own timeline's, or for a zone that follows another, the
    /// leader's slide by position. `begin`: the frame about to be drawn (else a look ahead).
    fn zone_frames(&mut self, main: &Frame, at: Moment, begin: bool) {
        let zones = &mut self.zones.playing;
        for &(k, leader) in &self.zones.plan {
            let lead = match leader {
                Leader::Own => None,
                Leader::Main => Some(*main),
                Leader::Zone(j) => Some(zones[j].frame),
            };
            let z = &mut zones[k];
            z.frame = match (lead, begin) {
                (None, true) => z.player.begin_frame(at),
                (None, false) => z.player.peek(at),
                (Some(lead), _) => following(&lead, z.player.playlist().slides.len()),
            };
            if let (Some(_), true) = (lead, begin) {
                z.player.begin_frame_as(&z.frame, at);
            }
        }
    }

    /// Draws the zones whose picture changed onto their canvases, and lists every zone's
    /// canvas for the frame to compose.
    pub(super) fn draw_zones(&mut self, at: Moment) {
        self.zones.layers.clear();
        for z in &mut self.zones.playing {
            let changed = z.needs_draw();
            if changed {
                let frame = z.frame;
                z.player.draw(&frame, None, at);
                z.dirty = false;
            }
            self.zones.layers.push(ZoneLayer {
                texture: z.player.renderer.canvas_texture().clone(),
                origin: (z.zone.rect.x, z.zone.rect.y),
                in_front: z.in_front,
                changed,
            });
        }
    }

    /// The main zone's playlist out of `playlist` (as loaded) under the layout it would be
    /// shown with now.
    pub(super) fn main_of(&self, playlist: &Playlist, at: Moment) -> Playlist {
        match playlist.layouts.is_empty() {
            true => playlist.clone(),
            false => main_playlist(playlist, self.layout_for(playlist, at)),
        }
    }

    /// Whether some zone draws a new picture at the next frame.
    pub(super) fn zones_change(&self) -> bool {
        self.zones.playing.iter().any(ZonePlayer::needs_draw)
    }

    /// Whether some zone's picture is to change at `at`, and when to look again: for deciding
    /// whether to draw while the main zone holds still.
    pub fn zones_due(&mut self, at: Moment) -> Option<ClipDue> {
        if self.zones.playing.is_empty() {
            return None;
        }
        let main = self.peek(at);
        self.zone_frames(&main, at, false);
        let mut due = ClipDue {
            draw: false,
            wake_in: Duration::from_secs(1),
        };
        for z in &mut self.zones.playing {
            due.draw |= z.dirty || !z.player.renderer.canvas_shows(&z.frame);
            let still = z.frame.still_for_ms().clamp(1, 1000) as u64;
            due.wake_in = due.wake_in.min(Duration::from_millis(still));
            if let Some(clip) = z.player.clip_due(&z.frame) {
                due.draw |= clip.draw;
                due.wake_in = due.wake_in.min(clip.wake_in);
            }
        }
        Some(due)
    }

    /// Whether a zone's crawl moves or a zone's transition runs: then every refresh draws.
    pub(super) fn zones_moving_each_refresh(&self) -> bool {
        self.zones
            .playing
            .iter()
            .any(|z| z.player.moving_each_refresh())
    }

    pub(super) fn zones_moving(&self) -> bool {
        self.zones.playing.iter().any(|z| z.player.moving())
    }

    /// Passes a prepared slide on to the zone whose player asked for it.
    pub(super) fn zone_prepared(&mut self, ready: Ready, at: Moment) -> Arrival {
        let tag = ready.zone();
        let all = self
            .zones
            .playing
            .iter_mut()
            .chain(&mut self.zones.incoming);
        let Some(z) = all.into_iter().find(|z| z.player.tag == tag) else {
            return Arrival::Quiet;
        };
        let arrival = z.player.prepared(ready, at);
        if arrival == Arrival::Redraw {
            z.dirty = true;
        }
        let incoming = self.zones.incoming.iter().any(|z| z.player.tag == tag);
        if incoming {
            self.take_pending(at);
        }
        match incoming {
            true => Arrival::Redraw,
            false => arrival,
        }
    }

    /// Every zone player, for what applies to the whole wall (the clock followed, pausing).
    pub(super) fn zone_players(&mut self) -> impl Iterator<Item = &mut Player> {
        self.zones
            .playing
            .iter_mut()
            .chain(&mut self.zones.incoming)
            .map(|z| &mut *z.player)
    }

    /// Starts every zone again (a new renderer: the old zones' canvases were on its device).
    pub(super) fn restart_zones(&mut self, at: Moment) {
        self.zones.playing.clear();
        self.zones.incoming.clear();
        self.install_zones(at);
    }
}
