//! The ticker's tape, pure arithmetic: every text has a place on an endless tape that scrolls
//! left by the distance the ticker has moved; a text repeats every `period` pixels from its
//! `origin`. Which copies show in the band, which part of a strip tile each covers, and where
//! a new text goes when it replaces one on screen.

use super::ticker::Piece;

/// Where a new text starts on the tape when it replaces one at `origin` that repeats every
/// `period`, the ticker having moved `distance` in a band `width` wide; and, if the old text
/// is still on screen, the tape position where it ends. The new text enters from the right
/// edge after the last copy of the old one that has started to show, which scrolls out first.
/// An old text not showing yet is simply replaced. An old text with more than a band's width
/// still to come is cut at the right edge, so that a long text an editor shortened is not
/// played out for hours first.
pub fn hand_over(origin: f64, period: f64, distance: f64, width: f64) -> (f64, Option<f64>) {
    let right_edge = distance + width;
    if origin >= right_edge {
        return (origin, None);
    }
    let end = origin + ((right_edge - origin) / period).ceil() * period;
    let end = if end - right_edge > width {
        right_edge
    } else {
        end
    };
    (end, Some(end))
}

/// The part of a `tw` wide tile placed at band x `x` that lies within the band's `width`.
pub fn clip(tile: usize, x: f64, tw: f64, width: f64, out: &mut Vec<Piece>) {
    let start = x.max(0.0);
    let end = (x + tw).min(width);
    if end > start {
        out.push(Piece {
            tile,
            src_x: start - x,
            dst_x: start,
            w: end - start,
        });
    }
}

/// Band x of each copy of a text repeated every `period` from tape position `origin`, as far
/// as `distance` has scrolled it, that is visible in `width` and lies on the tape within
/// `from..until`.
pub fn copies(
    origin: f64,
    period: f64,
    distance: f64,
    width: f64,
    from: f64,
    until: f64,
) -> impl Iterator<Item = f64> {
    let first = ((distance - origin) / period)
        .floor()
        .max(((from - origin) / period).ceil().min(f64::MAX));
    let first = if first.is_finite() { first as i64 } else { 0 };
    (first..)
        .map(move |k| origin + k as f64 * period)
        .take_while(move |tape| *tape < until && tape - distance < width)
        .map(move |tape| tape - distance)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(origin: f64, period: f64, distance: f64, from: f64, until: f64) -> Vec<f64> {
        copies(origin, period, distance, 1000.0, from, until).collect()
    }

    #[test]
    fn a_new_text_follows_the_copy_on_screen() {
        // A 400 px text at origin 0, moved 150 in a 1000 px band: copies start at 0, 400,
        // 800; the one from 800 shows, so the new text starts at 1200.
        assert_eq!(hand_over(0.0, 400.0, 150.0, 1000.0), (1200.0, Some(1200.0)));
        // An old text that has not entered yet is replaced where it would have entered.
        assert_eq!(hand_over(5000.0, 400.0, 150.0, 1000.0), (5000.0, None));
    }

    #[test]
    fn a_long_old_text_is_cut_at_the_right_edge() {
        // 300 000 px of text, 10 000 px in: the copy on screen would end 289 000 px later.
        assert_eq!(
            hand_over(0.0, 300_000.0, 10_000.0, 1920.0),
            (11_920.0, Some(11_920.0))
        );
        // With less than a band's width more to come, it is played out.
        assert_eq!(
            hand_over(0.0, 3_000.0, 0.0, 1920.0),
            (3_000.0, Some(3_000.0))
        );
    }

    #[test]
    fn copies_cover_the_band_from_the_one_partly_scrolled_out() {
        let inf = f64::INFINITY;
        assert_eq!(all(0.0, 400.0, 0.0, -inf, inf), [0.0, 400.0, 800.0]);
        assert_eq!(all(0.0, 400.0, 150.0, -inf, inf), [-150.0, 250.0, 650.0]);
        // After a whole period the picture is the same.
        assert_eq!(all(0.0, 400.0, 550.0, -inf, inf), [-150.0, 250.0, 650.0]);
    }

    #[test]
    fn copies_keep_to_their_stretch_of_tape() {
        let inf = f64::INFINITY;
        // A retiring text ends at tape 1200; the new one starts there.
        assert_eq!(all(0.0, 400.0, 700.0, -inf, 1200.0), [-300.0, 100.0]);
        assert_eq!(all(1200.0, 300.0, 700.0, 1200.0, inf), [500.0, 800.0]);
        // A text that has not entered yet has no copies on screen.
        assert!(all(5000.0, 300.0, 700.0, 5000.0, inf).is_empty());
    }

    #[test]
    fn pieces_are_clipped_to_the_band() {
        let mut out = Vec::new();
        clip(0, -150.0, 400.0, 1000.0, &mut out);
        clip(0, 250.0, 400.0, 1000.0, &mut out);
        clip(0, 850.0, 400.0, 1000.0, &mut out);
        clip(0, 1000.0, 400.0, 1000.0, &mut out);
        let p = |src_x, dst_x, w| Piece {
            tile: 0,
            src_x,
            dst_x,
            w,
        };
        assert_eq!(
            out,
            [
                p(150.0, 0.0, 250.0),
                p(0.0, 250.0, 400.0),
                p(0.0, 850.0, 150.0)
            ]
        );
        // Together the pieces cover the band exactly once.
        assert_eq!(out.iter().map(|p| p.w).sum::<f64>(), 800.0);
    }

    #[test]
    fn fractional_positions_stay_fractional_for_sampling() {
        let mut out = Vec::new();
        clip(1, -10.25, 4096.0, 1920.0, &mut out);
        assert_eq!(out[0].src_x, 10.25);
        assert_eq!((out[0].dst_x, out[0].w), (0.0, 1920.0));
    }
}
