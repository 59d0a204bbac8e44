//! Estimated wait for a ticket: the work ahead of it spread over the counters that serve it.
//!
//! The method, as a queueing person would check it:
//! - **Handling time** per business type is today's mean shrunk towards the type's configured
//!   typical time: the configured time counts as [`PRIOR_VISITS`] visits, so one short visit
//!   early in the day cannot pull the estimate to zero, and a full day's sample outweighs the
//!   configuration. It is never below [`MIN_HANDLING_MS`].
//! - **Capacity** counts a 主办 counter whole and a 兼办 counter at [`SECONDARY_SHARE`]: a
//!   secondary counter calls its own types first (see `policy::rank_for_counter`), so it gives
//!   a type only part of its time.
//! - **Wait** is the handling time of everyone ahead divided by the capacity. Nobody ahead
//!   means no wait; anyone ahead means at least one minute on the screen.

/// The configured typical handling time counts as this many visits in today's mean.
pub const PRIOR_VISITS: i64 = 5;
/// A 兼办 (secondary) counter's share of its time for a type it serves second.
pub const SECONDARY_SHARE: f64 = 0.5;
/// No visit is estimated shorter than this, whatever today's sample says.
pub const MIN_HANDLING_MS: i64 = 60_000;

/// The open counters that serve a business type now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capacity {
    /// Counters where the type is 主办.
    pub primary: u32,
    /// Counters where the type is 兼办.
    pub secondary: u32,
}

impl Capacity {
    fn effective(self) -> f64 {
        f64::from(self.primary) + SECONDARY_SHARE * f64::from(self.secondary)
    }

    pub fn is_empty(self) -> bool {
        self.primary == 0 && self.secondary == 0
    }
}

/// Today's finished visits of a business type: their summed handling time and count.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HandlingSample {
    pub total_ms: i64,
    pub visits: i64,
}

impl HandlingSample {
    pub fn add(&mut self, handling_ms: i64) {
        self.total_ms += handling_ms.max(0);
        self.visits += 1;
    }
}

/// The handling time to expect for the next visit of a type: today's sample shrunk towards
/// `typical_ms`, the type's configured time.
pub fn expected_handling_ms(sample: HandlingSample, typical_ms: i64) -> i64 {
    let typical = typical_ms.max(MIN_HANDLING_MS);
    let visits = sample.visits.max(0);
    let mean = (sample.total_ms.max(0) + PRIOR_VISITS * typical) / (visits + PRIOR_VISITS);
    mean.max(MIN_HANDLING_MS)
}

/// `ahead` tickets before this one. `None` when no open counter serves the type: the screen
/// says so instead of guessing.
pub fn estimated_wait_ms(ahead: usize, capacity: Capacity, handling_ms: i64) -> Option<i64> {
    if capacity.is_empty() {
        return None;
    }
    if ahead == 0 {
        return Some(0);
    }
    let work = ahead as f64 * handling_ms.max(MIN_HANDLING_MS) as f64;
    let wait = (work / capacity.effective()).ceil() as i64;
    Some(wait.max(MIN_HANDLING_MS))
}

/// Rounds up to whole minutes for display ("约 7 分钟").
pub fn minutes_ceil(ms: i64) -> i64 {
    (ms.max(0) + 59_999) / 60_000
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE_MIN: i64 = 300_000;

    fn primary(n: u32) -> Capacity {
        Capacity {
            primary: n,
            secondary: 0,
        }
    }

    #[test]
    fn spreads_work_over_counters() {
        assert_eq!(estimated_wait_ms(6, primary(2), FIVE_MIN), Some(900_000));
        assert_eq!(estimated_wait_ms(0, primary(3), FIVE_MIN), Some(0));
        assert_eq!(estimated_wait_ms(5, Capacity::default(), FIVE_MIN), None);
        assert_eq!(minutes_ceil(900_001), 16);
        assert_eq!(minutes_ceil(0), 0);
    }

    #[test]
    fn one_short_visit_does_not_make_the_sixth_wait_zero() {
        // The defect: the day's only finished visit took 2 s, so the mean was 2 s and the
        // sixth in line was told 即将叫号.
        let mut sample = HandlingSample::default();
        sample.add(2_000);
        let handling = expected_handling_ms(sample, FIVE_MIN);
        assert!(
            handling > 240_000,
            "shrunk towards the 5 min typical: {handling}"
        );
        let wait = estimated_wait_ms(5, primary(2), handling).unwrap();
        assert!(
            minutes_ceil(wait) >= 10,
            "five ahead on two counters: {wait} ms"
        );
    }

    #[test]
    fn a_full_days_sample_outweighs_the_configuration() {
        let mut sample = HandlingSample::default();
        for _ in 0..95 {
            sample.add(120_000);
        }
        // (95 × 2 min + 5 × 5 min) / 100 = 2.15 min
        assert_eq!(expected_handling_ms(sample, FIVE_MIN), 129_000);
    }

    #[test]
    fn no_estimate_below_a_minute_while_anyone_is_ahead() {
        let sample = HandlingSample {
            total_ms: 0,
            visits: 1_000,
        };
        let handling = expected_handling_ms(sample, 0);
        assert_eq!(handling, MIN_HANDLING_MS);
        let wait = estimated_wait_ms(1, primary(8), handling).unwrap();
        assert_eq!(minutes_ceil(wait), 1);
    }

    #[test]
    fn secondary_counters_count_half() {
        let both = Capacity {
            primary: 1,
            secondary: 2,
        };
        // 4 ahead × 5 min over 1 + 2 × ½ = 2 counters' worth.
        assert_eq!(estimated_wait_ms(4, both, FIVE_MIN), Some(600_000));
        // A secondary counter alone still serves, slowly.
        let only_secondary = Capacity {
            primary: 0,
            secondary: 1,
        };
        assert_eq!(
            estimated_wait_ms(1, only_secondary, FIVE_MIN),
            Some(600_000)
        );
    }
}
