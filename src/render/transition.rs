//! Transition geometry: where the outgoing and the incoming slide go at a given progress.
//! Pure: no GPU, so every kind is unit-tested.

use super::quad::{Rect, FULL_UV};
use crate::model::playlist::TransitionKind;

/// Which slide a placement draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// The slide being left.
    From,
    /// The slide coming in (or the only one, outside a transition).
    To,
}

/// One slide texture drawn into `dst` from the part `uv` of it, with opacity `alpha`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub which: Which,
    pub dst: Rect,
    pub uv: [f32; 4],
    pub alpha: f32,
}

/// Where the slides go in `area` at `progress` (0..1) of a transition of `kind`, in drawing
/// order; `None` outside a transition. At most two placements, so no allocation.
pub fn placements(transition: Option<(TransitionKind, f32)>, area: Rect) -> [Option<Placement>; 2] {
    let whole = |which| Placement {
        which,
        dst: area,
        uv: FULL_UV,
        alpha: 1.0,
    };
    let Some((kind, progress)) = transition else {
        return [Some(whole(Which::To)), None];
    };
    let p = progress.clamp(0.0, 1.0);
    match kind {
        TransitionKind::Cut => [Some(whole(Which::To)), None],
        TransitionKind::Fade => [
            Some(whole(Which::From)),
            Some(Placement {
                alpha: p,
                ..whole(Which::To)
            }),
        ],
        TransitionKind::Slide => {
            // Pushed to the left, eased so that it starts and lands gently; whole pixels so
            // that LED artwork is never resampled mid-move.
            let dx = (smoothstep(p) * area.w).round();
            let at = |x| Rect { x, ..area };
            [
                Some(Placement {
                    dst: at(area.x - dx),
                    ..whole(Which::From)
                }),
                Some(Placement {
                    dst: at(area.x + area.w - dx),
                    ..whole(Which::To)
                }),
            ]
        }
        TransitionKind::Wipe => {
            let w = (smoothstep(p) * area.w).round();
            [
                Some(whole(Which::From)),
                Some(Placement {
                    dst: Rect { w, ..area },
                    uv: [0.0, 0.0, w / area.w, 1.0],
                    ..whole(Which::To)
                }),
            ]
        }
    }
}

fn smoothstep(p: f32) -> f32 {
    p * p * (3.0 - 2.0 * p)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: Rect = Rect {
        x: 0.0,
        y: 0.0,
        w: 1920.0,
        h: 256.0,
    };

    fn at(kind: TransitionKind, p: f32) -> Vec<Placement> {
        placements(Some((kind, p)), AREA)
            .into_iter()
            .flatten()
            .collect()
    }

    #[test]
    fn outside_a_transition_the_slide_fills_the_area() {
        let only = placements(None, AREA);
        assert_eq!(
            only[0].map(|p| (p.which, p.dst, p.alpha)),
            Some((Which::To, AREA, 1.0))
        );
        assert_eq!(only[1], None);
    }

    #[test]
    fn a_cut_shows_only_the_new_slide_at_any_progress() {
        for p in [0.0, 0.3, 1.0] {
            let placed = at(TransitionKind::Cut, p);
            assert_eq!(placed.len(), 1);
            assert_eq!((placed[0].which, placed[0].dst), (Which::To, AREA));
        }
    }

    #[test]
    fn a_fade_draws_the_new_slide_over_the_old_at_the_progress() {
        let placed = at(TransitionKind::Fade, 0.45);
        assert_eq!(
            placed
                .iter()
                .map(|p| (p.which, p.alpha))
                .collect::<Vec<_>>(),
            [(Which::From, 1.0), (Which::To, 0.45)]
        );
        assert!(placed.iter().all(|p| p.dst == AREA && p.uv == FULL_UV));
        // Out-of-range progress is clamped, never extrapolated.
        assert_eq!(at(TransitionKind::Fade, 1.7)[1].alpha, 1.0);
    }

    #[test]
    fn a_slide_pushes_left_by_whole_pixels_and_eases() {
        let start = at(TransitionKind::Slide, 0.0);
        assert_eq!((start[0].dst.x, start[1].dst.x), (0.0, 1920.0));
        let half = at(TransitionKind::Slide, 0.5);
        assert_eq!((half[0].dst.x, half[1].dst.x), (-960.0, 960.0));
        // Eased: a quarter of the time moves less than a quarter of the way.
        let quarter = at(TransitionKind::Slide, 0.25);
        assert!(quarter[1].dst.x > 1920.0 * 0.75);
        for p in [0.1, 0.33, 0.77] {
            let placed = at(TransitionKind::Slide, p);
            assert_eq!(placed[0].dst.x.fract(), 0.0);
            // The two slides touch: no gap, no overlap.
            assert_eq!(placed[0].dst.x + AREA.w, placed[1].dst.x);
        }
        let end = at(TransitionKind::Slide, 1.0);
        assert_eq!(end[1].dst, AREA);
    }

    #[test]
    fn a_wipe_uncovers_the_new_slide_from_the_left_without_stretching_it() {
        let half = at(TransitionKind::Wipe, 0.5);
        assert_eq!(half[0].dst, AREA);
        assert_eq!(half[1].dst, Rect { w: 960.0, ..AREA });
        // The texture is cut, not squeezed: half the width shows half the slide.
        assert_eq!(half[1].uv, [0.0, 0.0, 0.5, 1.0]);
        assert_eq!(at(TransitionKind::Wipe, 0.0)[1].dst.w, 0.0);
        assert_eq!(at(TransitionKind::Wipe, 1.0)[1].dst, AREA);
    }

    #[test]
    fn placements_keep_to_the_area_when_it_is_offset() {
        let below_band = Rect::new(0.0, 64.0, 640.0, 96.0);
        for kind in [
            TransitionKind::Fade,
            TransitionKind::Wipe,
            TransitionKind::Cut,
        ] {
            for p in placements(Some((kind, 0.6)), below_band)
                .into_iter()
                .flatten()
            {
                assert_eq!((p.dst.x, p.dst.y, p.dst.h), (0.0, 64.0, 96.0));
            }
        }
    }
}
