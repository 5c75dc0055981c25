//! Zones at a moment, pure: which layout is on, the order zones are drawn in, what a set of
//! zones gets wrong, which zones play on through a change of layout, and what a zone that
//! follows another shows.

use chrono::{NaiveDateTime, Timelike};

use crate::model::playlist::{Display, Placement, Places, Playlist};
use crate::model::workdays::Calendar;
use crate::model::zone::{Layout, Zone, MAIN_ZONE};
use crate::rules::timeline::{Frame, SlideRef, Timeline, TransitionState};

/// The layout on when the main zone's slide on screen started (`slide_started`): the first
/// eligible in the order written, `None` when none is. Asked at the slide's start, not at the
/// moment itself, a layout changes only where the main zone's slides change.
pub fn layout_at(
    layouts: &[Layout],
    slide_started: NaiveDateTime,
    calendar: &Calendar,
) -> Option<usize> {
    layouts.iter().position(|l| {
        l.when
            .as_ref()
            .is_none_or(|w| w.matches(slide_started, calendar))
    })
}

/// The zones back to front: by `order`, then in the order written.
pub fn stacking(zones: &[Zone]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..zones.len()).collect();
    order.sort_by_key(|&i| zones[i].order);
    order
}

/// What is wrong with a set of zones on a canvas; zones by their index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoneProblem {
    /// Not wholly on the canvas.
    Outside(usize),
    /// No pixels: a width or height of 0.
    Empty(usize),
    /// Two zones that share pixels with the same `order`: which is in front is not said.
    Overlap(usize, usize),
    /// A second zone of a name already used.
    Duplicate { first: usize, again: usize },
    /// `follows` names no zone of the set.
    FollowsUnknown(usize),
    /// Following leads back to this zone.
    FollowsInCircle(usize),
}

pub fn problems(zones: &[Zone], canvas: (u32, u32)) -> Vec<ZoneProblem> {
    let mut found = Vec::new();
    let index_of = |name: &str| zones.iter().position(|z| z.name == name);
    for (i, z) in zones.iter().enumerate() {
        if z.rect.width == 0 || z.rect.height == 0 {
            found.push(ZoneProblem::Empty(i));
        } else if !z.rect.within(canvas) {
            found.push(ZoneProblem::Outside(i));
        }
        if let Some(first) = index_of(&z.name).filter(|&f| f < i) {
            found.push(ZoneProblem::Duplicate { first, again: i });
        }
        for (j, other) in zones.iter().enumerate().take(i) {
            if z.order == other.order && z.rect.overlaps(&other.rect) {
                found.push(ZoneProblem::Overlap(j, i));
            }
        }
        match z.follows.as_deref().map(index_of) {
            Some(None) => found.push(ZoneProblem::FollowsUnknown(i)),
            Some(Some(_)) if leads_back(zones, i) => found.push(ZoneProblem::FollowsInCircle(i)),
            _ => {}
        }
    }
    found
}

/// Whether following from zone `start` comes back to it.
fn leads_back(zones: &[Zone], start: usize) -> bool {
    let mut at = start;
    for _ in 0..zones.len() {
        let Some(next) = zones[at]
            .follows
            .as_deref()
            .and_then(|name| zones.iter().position(|z| z.name == name))
        else {
            return false;
        };
        if next == start {
            return true;
        }
        at = next;
    }
    false
}

/// The zones of `old` that play on through a switch to `new`, as (index in old, index in new):
/// those with the same name and rectangle (a clock does not restart, a crawl does not jump).
pub fn kept_through(old: &Layout, new: &Layout) -> Vec<(usize, usize)> {
    old.zones
        .iter()
        .enumerate()
        .filter_map(|(i, z)| {
            let j = new
                .zones
                .iter()
                .position(|n| n.name == z.name && n.rect == z.rect)?;
            Some((i, j))
        })
        .collect()
}

/// The frame a zone of `slides` slides shows while the zone it follows shows `lead`: its
/// slide at the leader's position (its own list starting over if shorter), changing with the
/// leader's transition; nothing while the leader shows nothing.
pub fn following(lead: &Frame, slides: usize) -> Frame {
    let map = |s: SlideRef| s.filter(|_| slides > 0).map(|i| i % slides.max(1));
    Frame {
        slide: map(lead.slide),
        next: map(lead.next),
        transition: lead.transition.map(|t| TransitionState {
            from: map(t.from),
            ..t
        }),
        ..*lead
    }
}

/// Where a zone's frame comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leader {
    /// Its own timeline.
    Own,
    /// The main zone's frame (see [`following`]).
    Main,
    /// The frame of another zone of the list, by index.
    Zone(usize),
}

/// The order to work out zones' frames in (leaders before those that follow them, however long
/// the chain), with where each comes from. A zone that follows an unknown zone, or is in a
/// circle (both refused by `check`), plays on its own.
pub fn follow_order(zones: &[&Zone]) -> Vec<(usize, Leader)> {
    let mut order: Vec<(usize, Leader)> = Vec::with_capacity(zones.len());
    let placed = |order: &[(usize, Leader)], k: usize| order.iter().any(|(i, _)| *i == k);
    for (k, z) in zones.iter().enumerate() {
        if z.follows.is_none() {
            order.push((k, Leader::Own));
        }
    }
    for _ in 0..zones.len() {
        for (k, z) in zones.iter().enumerate() {
            let Some(leader) = z.follows.as_deref().filter(|_| !placed(&order, k)) else {
                continue;
            };
            match zones.iter().position(|l| l.name == leader) {
                _ if leader == MAIN_ZONE => order.push((k, Leader::Main)),
                Some(j) if placed(&order, j) => order.push((k, Leader::Zone(j))),
                Some(_) => {}
                None => order.push((k, Leader::Own)),
            }
        }
    }
    for k in 0..zones.len() {
        if !placed(&order, k) {
            order.push((k, Leader::Own));
        }
    }
    order
}

/// When the slide of `frame` (at `now`) started; with no slide, the minute (layouts are
/// chosen by hours and days). The layout on is asked for this moment.
pub fn slide_start(frame: &Frame, now: NaiveDateTime) -> NaiveDateTime {
    match frame.slide {
        Some(_) => now - chrono::Duration::milliseconds(frame.slide_elapsed_ms),
        None => now
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or(now),
    }
}

/// The layout `playlist` shows at `at` (a still of the wall): the one on when the main zone's
/// slide then started.
pub fn layout_on(playlist: &Playlist, at: NaiveDateTime) -> Option<usize> {
    let frame = Timeline::new(only_zone(playlist, MAIN_ZONE)).frame_at(at);
    let started = slide_start(&frame, at);
    layout_at(&playlist.layouts, started, &playlist.calendar)
}

/// The zones of `layout` other than the main one, back to front, each with whether it lies in
/// front of the main zone.
pub fn around_main(layout: &Layout) -> Vec<(&Zone, bool)> {
    let order = stacking(&layout.zones);
    let main = order
        .iter()
        .position(|&i| layout.zones[i].name == MAIN_ZONE)
        .unwrap_or(0);
    order
        .iter()
        .enumerate()
        .filter(|(_, &i)| layout.zones[i].name != MAIN_ZONE)
        .map(|(at, &i)| (&layout.zones[i], at > main))
        .collect()
}

/// What the main zone plays under `layout`: the slides that name no other zone, placed in
/// the layout's main zone. A playlist without layouts is what it was.
pub fn main_playlist(playlist: &Playlist, layout: Option<&Layout>) -> Playlist {
    let Some(layout) = layout else {
        return playlist.clone();
    };
    let mut main = only_zone(playlist, MAIN_ZONE);
    main.display.slide_area = layout.zone(MAIN_ZONE).map(|z| z.rect);
    main
}

/// What `zone` plays: its slides (or its crawl) on a canvas of its size, lit as the wall is
/// (the wall's hours and brightness apply once, to the whole canvas).
pub fn zone_playlist(playlist: &Playlist, zone: &Zone) -> Playlist {
    let mut p = only_zone(playlist, &zone.name);
    p.display = Display {
        width: zone.rect.width,
        height: zone.rect.height,
        background: zone.background,
        placement: Placement::Window,
        allow_outside_paths: playlist.display.allow_outside_paths,
        size_given: true,
        on_hours: Vec::new(),
        brightness: Vec::new(),
        slide_area: None,
    };
    p.ticker = zone.ticker.clone();
    p.places.ticker = playlist
        .places
        .crawls
        .iter()
        .find(|(name, _)| *name == zone.name)
        .map(|(_, place)| place.clone());
    p
}

/// `playlist` with only the slides of zone `name`, and no layouts.
pub fn only_zone(playlist: &Playlist, name: &str) -> Playlist {
    let mut slides = Vec::new();
    let mut places = Vec::new();
    for (i, slide) in playlist.slides.iter().enumerate() {
        if slide.zone == name {
            slides.push(slide.clone());
            places.extend(playlist.places.slides.get(i).cloned());
        }
    }
    Playlist {
        path: playlist.path.clone(),
        display: playlist.display.clone(),
        ticker: playlist.ticker.clone(),
        slides,
        referenced: playlist.referenced.clone(),
        places: Places {
            slides: places,
            ticker: playlist.places.ticker.clone(),
            crawls: Vec::new(),
        },
        calendar: playlist.calendar.clone(),
        layouts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::playlist::Color;
    use crate::model::schedule::When;
    use crate::model::zone::PixelRect;
    use chrono::NaiveDate;

    fn zone(name: &str, (x, y, width, height): (u32, u32, u32, u32), order: i32) -> Zone {
        Zone {
            name: name.into(),
            rect: PixelRect {
                x,
                y,
                width,
                height,
            },
            background: Color::BLACK,
            order,
            follows: None,
            ticker: None,
        }
    }

    /// The door sign: the photo on the left, the clock on the right, the crawl below.
    fn door_sign() -> Vec<Zone> {
        vec![
            zone("photo", (0, 0, 1280, 256), 0),
            zone("clock", (1280, 0, 640, 256), 0),
            zone("crawl", (0, 256, 1920, 64), 0),
        ]
    }

    #[test]
    fn zones_that_tile_the_canvas_are_fine_and_mistakes_are_each_found() {
        assert_eq!(problems(&door_sign(), (1920, 320)), vec![]);
        let mut zones = door_sign();
        zones[1].rect.x = 1300; // now 20 px past the right edge
        zones.push(zone("badge", (1200, 200, 150, 100), 0)); // over photo, clock, crawl
        zones.push(zone("photo", (0, 0, 0, 10), 5));
        zones[0].follows = Some("phot".into());
        assert_eq!(
            problems(&zones, (1920, 320)),
            vec![
                ZoneProblem::FollowsUnknown(0),
                ZoneProblem::Outside(1),
                ZoneProblem::Overlap(0, 3),
                ZoneProblem::Overlap(1, 3),
                ZoneProblem::Overlap(2, 3),
                ZoneProblem::Empty(4),
                ZoneProblem::Duplicate { first: 0, again: 4 },
            ]
        );
        // In front by order: no longer a question of which is on top.
        let mut zones = door_sign();
        zones.push(zone("badge", (1200, 200, 100, 100), 1));
        assert_eq!(problems(&zones, (1920, 320)), vec![]);
        assert_eq!(stacking(&zones), vec![0, 1, 2, 3], "the badge drawn last");
    }

    #[test]
    fn following_in_a_circle_is_found() {
        let mut zones = door_sign();
        zones[0].follows = Some("clock".into());
        zones[1].follows = Some("photo".into());
        zones[2].follows = Some("photo".into());
        assert_eq!(
            problems(&zones, (1920, 320)),
            vec![
                ZoneProblem::FollowsInCircle(0),
                ZoneProblem::FollowsInCircle(1)
            ]
        );
    }

    #[test]
    fn leaders_are_worked_out_before_the_zones_that_follow_them() {
        let mut zones = [
            zone("caption", (0, 0, 1, 1), 0),
            zone("photo", (1, 0, 1, 1), 0),
            zone("clock", (2, 0, 1, 1), 0),
            zone("subtitle", (3, 0, 1, 1), 0),
        ];
        zones[0].follows = Some("photo".into());
        zones[1].follows = Some("main".into());
        zones[3].follows = Some("caption".into());
        let refs: Vec<&Zone> = zones.iter().collect();
        assert_eq!(
            follow_order(&refs),
            vec![
                (2, Leader::Own),
                (1, Leader::Main),
                (0, Leader::Zone(1)),
                (3, Leader::Zone(0)),
            ]
        );
        // A circle, or an unknown leader, plays on its own.
        zones[1].follows = Some("subtitle".into());
        zones[2].follows = Some("nowhere".into());
        let refs: Vec<&Zone> = zones.iter().collect();
        let order = follow_order(&refs);
        assert_eq!(order.len(), 4);
        assert!(order.contains(&(2, Leader::Own)));
        assert!(order.contains(&(1, Leader::Own)));
    }

    #[test]
    fn a_follower_shows_its_slide_of_the_same_place_in_the_cycle() {
        let mut lead = Frame::showing(Some(4));
        lead.next = Some(5);
        lead.transition = Some(TransitionState {
            from: Some(3),
            kind: crate::model::playlist::TransitionKind::Wipe,
            progress: 0.25,
        });
        lead.slide_elapsed_ms = 100;
        let f = following(&lead, 3);
        assert_eq!((f.slide, f.next), (Some(1), Some(2)));
        let t = f.transition.unwrap();
        assert_eq!((t.from, t.progress), (Some(0), 0.25));
        assert_eq!(f.slide_elapsed_ms, 100);
        // Nothing while the leader shows nothing, or the follower has no slides.
        assert_eq!(following(&Frame::showing(None), 3).slide, None);
        assert_eq!(following(&lead, 0).slide, None);
    }

    #[test]
    fn the_first_eligible_layout_is_on_from_the_main_zones_slide_start() {
        let spring = Layout {
            name: "spring".into(),
            when: Some(When {
                from: NaiveDate::from_ymd_opt(2027, 2, 3),
                until: NaiveDate::from_ymd_opt(2027, 2, 20),
                weekdays: vec![],
                hours: vec![],
                festival: None,
                days: None,
            }),
            zones: vec![zone("greeting", (0, 0, 1920, 320), 0)],
        };
        let everyday = Layout {
            name: "everyday".into(),
            when: None,
            zones: door_sign(),
        };
        let layouts = [spring, everyday];
        let calendar = Calendar::default();
        let at = |d: u32, h: u32| {
            NaiveDate::from_ymd_opt(2027, 2, d)
                .unwrap()
                .and_hms_opt(h, 0, 0)
                .unwrap()
        };
        assert_eq!(layout_at(&layouts, at(2, 23), &calendar), Some(1));
        assert_eq!(layout_at(&layouts, at(3, 0), &calendar), Some(0));
        assert_eq!(layout_at(&layouts[..1], at(2, 23), &calendar), None);
        // The door sign and a night layout share the crawl: it plays on through the switch.
        let mut night = layouts[1].clone();
        night.zones[0].rect.width = 1920;
        night.zones.remove(1);
        assert_eq!(kept_through(&layouts[1], &night), vec![(2, 1)]);
    }
}
