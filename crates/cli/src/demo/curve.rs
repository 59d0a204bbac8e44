//! When customers come: a daily arrival curve with a morning peak (9:30–11:00), a lunch
//! dip and a smaller afternoon peak, and how many come on each weekday.

use crate::prng::SplitMix64;
use chrono::Weekday;

/// Relative arrival intensity at hall-local minutes since midnight (0 outside 08:30–17:20).
const POINTS: [(f64, f64); 14] = [
    (510.0, 0.55), // 08:30 doors open
    (540.0, 1.0),  // 09:00
    (570.0, 1.65), // 09:30 morning peak
    (600.0, 1.85), // 10:00
    (660.0, 1.75), // 11:00
    (690.0, 1.2),  // 11:30
    (720.0, 0.6),  // 12:00 lunch dip
    (780.0, 0.5),  // 13:00
    (810.0, 0.85), // 13:30
    (870.0, 1.25), // 14:30 afternoon peak
    (930.0, 1.2),  // 15:30
    (990.0, 0.75), // 16:30
    (1025.0, 0.3), // 17:05
    (1040.0, 0.0), // 17:20 last tickets
];

pub const PEAK: f64 = 1.85;

/// Arrival intensity at `minute` (hall-local minutes since midnight).
pub fn intensity(minute: f64) -> f64 {
    if minute < POINTS[0].0 || minute >= POINTS[POINTS.len() - 1].0 {
        return 0.0;
    }
    for w in POINTS.windows(2) {
        let ((x0, y0), (x1, y1)) = (w[0], w[1]);
        if minute >= x0 && minute < x1 {
            return y0 + (y1 - y0) * (minute - x0) / (x1 - x0);
        }
    }
    0.0
}

/// `n` arrival instants, in seconds since hall-local midnight, sorted.
pub fn arrivals(rng: &mut SplitMix64, n: usize) -> Vec<i64> {
    let (lo, hi) = (POINTS[0].0, POINTS[POINTS.len() - 1].0);
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let m = lo + rng.f64() * (hi - lo);
        if rng.f64() * PEAK < intensity(m) {
            out.push((m * 60.0) as i64);
        }
    }
    out.sort_unstable();
    out
}

/// The demo hall is open Monday to Saturday (Sunday closed).
pub fn is_open(day: Weekday) -> bool {
    day != Weekday::Sun
}

/// How many customers come on a day: ~150–260, busiest on Monday, quietest on Saturday.
/// (Kept below 300 so 30 days seed in under a minute; see docs/performance.md.)
pub fn daily_count(rng: &mut SplitMix64, day: Weekday) -> usize {
    let base = match day {
        Weekday::Mon => 235.0,
        Weekday::Tue => 205.0,
        Weekday::Wed => 195.0,
        Weekday::Thu => 190.0,
        Weekday::Fri => 210.0,
        Weekday::Sat => 168.0,
        Weekday::Sun => 0.0,
    };
    let noise = 0.88 + rng.f64() * 0.24;
    (base * noise).round() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(ts: &[i64], from_min: i64, to_min: i64) -> f64 {
        let n = ts
            .iter()
            .filter(|t| **t >= from_min * 60 && **t < to_min * 60)
            .count();
        n as f64 / ts.len() as f64 / (to_min - from_min) as f64
    }

    #[test]
    fn arrivals_have_a_morning_peak_a_lunch_dip_and_an_afternoon_peak() {
        let mut g = SplitMix64::new(9);
        let ts = arrivals(&mut g, 20_000);
        assert_eq!(ts.len(), 20_000);
        assert!(ts.windows(2).all(|w| w[0] <= w[1]), "sorted");
        assert!(ts.iter().all(|t| (510 * 60..1040 * 60).contains(t)));
        let morning = share(&ts, 570, 660); // 9:30–11:00
        let lunch = share(&ts, 720, 780); // 12:00–13:00
        let afternoon = share(&ts, 840, 930); // 14:00–15:30
        let early = share(&ts, 510, 540); // 8:30–9:00
        assert!(morning > 2.5 * lunch, "{morning} vs {lunch}");
        assert!(afternoon > 1.8 * lunch, "{afternoon} vs {lunch}");
        assert!(morning > afternoon * 1.2, "{morning} vs {afternoon}");
        assert!(morning > early * 2.0);
    }

    #[test]
    fn intensity_is_zero_outside_hours() {
        assert_eq!(intensity(500.0), 0.0);
        assert_eq!(intensity(1041.0), 0.0);
        assert!(intensity(600.0) > intensity(750.0));
    }

    #[test]
    fn daily_counts_are_150_to_300_and_zero_on_sunday() {
        let mut g = SplitMix64::new(3);
        for d in [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
            Weekday::Sat,
        ] {
            for _ in 0..50 {
                let n = daily_count(&mut g, d);
                assert!((145..=300).contains(&n), "{d}: {n}");
            }
        }
        assert!(!is_open(Weekday::Sun));
        assert_eq!(daily_count(&mut g, Weekday::Sun), 0);
    }
}
