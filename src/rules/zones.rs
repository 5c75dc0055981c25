//! Zones at a moment, pure: which layout is on, the order zones are drawn in, what a set of
//! zones gets wrong, which zones play on through a change of layout, and what a zone that
//! follows another shows.

use chrono::NaiveDateTime;

use crate::model::workdays::Calendar;
use crate::model::zone::{Layout, Zone};
use crate::rules::timeline::SlideRef;

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

/// What a zone that follows another shows: its `k`-th slide while the leader shows its `k`-th
/// (its own list starting over if shorter); nothing while the leader shows nothing.
pub fn followed(leader: SlideRef, leader_slides: &[usize], follower_slides: &[usize]) -> SlideRef {
    let k = leader_slides.iter().position(|&s| Some(s) == leader)?;
    (!follower_slides.is_empty()).then(|| follower_slides[k % follower_slides.len()])
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
    fn a_follower_shows_its_slide_of_the_same_place_in_the_cycle() {
        let leader = [3, 5, 7];
        assert_eq!(followed(Some(5), &leader, &[10, 11, 12]), Some(11));
        assert_eq!(
            followed(Some(7), &leader, &[10, 11]),
            Some(10),
            "its own list again"
        );
        assert_eq!(followed(None, &leader, &[10]), None);
        assert_eq!(
            followed(Some(4), &leader, &[10]),
            None,
            "not a leader's slide"
        );
        assert_eq!(followed(Some(3), &leader, &[]), None);
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
