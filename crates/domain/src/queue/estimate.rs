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

/// One open counter's duty for one business type: 主办 (`primary`) or 兼办.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duty {
    pub counter_id: i64,
    pub business_type_id: i64,
    pub primary: bool,
}

/// The open counters that serve `business_type_id`, 主办 and 兼办 apart.
pub fn capacity_of(business_type_id: i64, duties: &[Duty]) -> Capacity {
    let mut c = Capacity::default();
    for d in duties
        .iter()
        .filter(|d| d.business_type_id == business_type_id)
    {
        if d.primary {
            c.primary += 1;
        } else {
            c.secondary += 1;
        }
    }
    c
}

fn weight(primary: bool) -> f64 {
    if primary { 1.0 } else { SECONDARY_SHARE }
}

/// The wait of a ticket of type `bt` with `ahead` of its own type before it, when the
/// counters that serve it also serve other types (the business-type mix ahead):
///
/// - `waiting` holds every type's waiting count now (`(business type, count)`; its own
///   type's entry is ignored, `ahead` counts that). A type's waiting work (count × its
///   handling time) is spread over the open counters that serve it by their weight (主办 1,
///   兼办 ½); the part that falls on a counter serving `bt` **and ranked no lower there**
///   (a 主办 type before a 兼办 one, see `policy::rank_for_counter`) is done there first.
/// - Each counter serving `bt` turns to `bt`'s queue once that work is done, at its weight;
///   the ticket's turn comes when those counters together have handled the `ahead` before it.
///
/// With nothing of other types waiting this is [`estimated_wait_ms`]. `None` when no open
/// counter serves `bt`; at least [`MIN_HANDLING_MS`] when anyone is ahead.
pub fn estimated_wait_mix_ms(
    bt: i64,
    ahead: usize,
    waiting: &[(i64, i64)],
    duties: &[Duty],
    handling_ms: &dyn Fn(i64) -> i64,
) -> Option<i64> {
    let mine: Vec<&Duty> = duties.iter().filter(|d| d.business_type_id == bt).collect();
    if mine.is_empty() {
        return None;
    }
    // Work of other types each of `bt`'s counters does first, in ms.
    let mut first = vec![0.0_f64; mine.len()];
    for &(u, count) in waiting.iter().filter(|(u, n)| *u != bt && *n > 0) {
        let spread: f64 = duties
            .iter()
            .filter(|d| d.business_type_id == u)
            .map(|d| weight(d.primary))
            .sum();
        if spread == 0.0 {
            continue;
        }
        let work = count as f64 * handling_ms(u).max(MIN_HANDLING_MS) as f64;
        for (i, m) in mine.iter().enumerate() {
            let there = duties
                .iter()
                .find(|d| d.counter_id == m.counter_id && d.business_type_id == u);
            if let Some(d) = there.filter(|d| d.primary || !m.primary) {
                first[i] += work * weight(d.primary) / spread;
            }
        }
    }
    // Fill: from each counter's start, its weight's worth of `bt` work per ms.
    let mut order: Vec<(f64, f64)> = mine
        .iter()
        .zip(&first)
        .map(|(m, f)| (*f, weight(m.primary)))
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0));
    let need = ahead as f64 * handling_ms(bt).max(MIN_HANDLING_MS) as f64;
    let (mut at, mut done, mut rate) = (order[0].0, 0.0, 0.0);
    for (i, (_, w)) in order.iter().enumerate() {
        rate += w;
        let next = order.get(i + 1).map_or(f64::INFINITY, |o| o.0);
        if done + rate * (next - at) >= need {
            at += (need - done) / rate;
            break;
        }
        done += rate * (next - at);
        at = next;
    }
    let wait = at.ceil() as i64;
    if ahead == 0 && wait == 0 {
        return Some(0);
    }
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

    fn duty(counter_id: i64, business_type_id: i64, primary: bool) -> Duty {
        Duty {
            counter_id,
            business_type_id,
            primary,
        }
    }

    const PAY: i64 = 1;
    const NEW: i64 = 2;
    const ASK: i64 = 3;

    /// Counter 1: payment (主办), inquiry (兼办); 2: new connection; 3 and 4: payment and
    /// new connection — the web fixture's hall.
    fn hall() -> Vec<Duty> {
        vec![
            duty(1, PAY, true),
            duty(1, ASK, false),
            duty(2, NEW, true),
            duty(3, PAY, true),
            duty(3, NEW, true),
            duty(4, PAY, true),
            duty(4, NEW, true),
        ]
    }

    fn minutes(bt: i64) -> i64 {
        match bt {
            PAY => 3 * 60_000,
            NEW => 10 * 60_000,
            _ => 4 * 60_000,
        }
    }

    #[test]
    fn with_no_other_type_waiting_the_mix_is_the_plain_estimate() {
        let duties = hall();
        for ahead in [0, 1, 4, 9] {
            assert_eq!(
                estimated_wait_mix_ms(PAY, ahead, &[(PAY, 10)], &duties, &minutes),
                estimated_wait_ms(ahead, capacity_of(PAY, &duties), 3 * 60_000),
                "{ahead} ahead"
            );
        }
        assert_eq!(estimated_wait_mix_ms(99, 3, &[], &duties, &minutes), None);
        assert_eq!(
            capacity_of(ASK, &duties),
            Capacity {
                primary: 0,
                secondary: 1
            }
        );
    }

    #[test]
    fn other_types_ahead_at_shared_counters_lengthen_the_wait() {
        let duties = hall();
        // 6 new connections wait: 60 min of work over counters 2, 3, 4 → 20 min each. Counter
        // 1 serves payment alone and starts on it at once; 3 and 4 after 20 minutes.
        // 4 payments ahead × 3 min = 12 min of work: counter 1 alone does it in 12 min.
        let mix = estimated_wait_mix_ms(PAY, 4, &[(NEW, 6)], &duties, &minutes);
        assert_eq!(mix, Some(12 * 60_000));
        // 10 ahead = 30 min: counter 1 does 20 min by minute 20, then three counters share
        // the last 10 → minute 20 + 10/3.
        let mix = estimated_wait_mix_ms(PAY, 10, &[(NEW, 6)], &duties, &minutes);
        assert_eq!(mix, Some(20 * 60_000 + 200_000));
        // Without the new connections the three counters share all 30 min: 10 min.
        assert_eq!(
            estimated_wait_mix_ms(PAY, 10, &[], &duties, &minutes),
            Some(10 * 60_000)
        );
    }

    #[test]
    fn a_secondary_type_waits_behind_the_counters_own_types() {
        let duties = hall();
        // Inquiry is 兼办 at counter 1 only: 3 payments there first (of 9 over 3 counters)
        // = 9 min, then 1 inquiry ahead at half weight = 8 min more.
        let mix = estimated_wait_mix_ms(ASK, 1, &[(PAY, 9), (ASK, 2)], &duties, &minutes);
        assert_eq!(mix, Some(17 * 60_000));
        // A payment never waits for inquiries: 兼办 ranks below 主办 at counter 1.
        assert_eq!(
            estimated_wait_mix_ms(PAY, 0, &[(ASK, 5)], &duties, &minutes),
            Some(0)
        );
        // Nobody of its own type ahead, but others first at every counter serving it: not 0.
        let first_inquiry = estimated_wait_mix_ms(ASK, 0, &[(PAY, 1)], &duties, &minutes);
        assert_eq!(first_inquiry, Some(MIN_HANDLING_MS));
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
