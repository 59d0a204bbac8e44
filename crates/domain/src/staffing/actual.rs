//! Today's actual staffing: how many counters were open, on average, in each half-hour, from
//! the counters' status changes. A paused counter is staffed but not serving, so it does not
//! count; the half-hours not yet begun have no figure.

use super::forecast::SLOTS_PER_DAY;
use std::collections::BTreeSet;

const SLOT_MS: i64 = 1_800_000;

/// A counter opened (`open`) or paused/closed (`!open`) at `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub counter_id: i64,
    pub open: bool,
    pub at_ms: i64,
}

/// Mean counters open per half-hour of the day starting at `day_start_ms`, for half-hours
/// begun before `until_ms` (the one running is counted up to `until_ms`). Changes before the
/// day set who is open at its start.
pub fn open_per_slot(changes: &[Change], day_start_ms: i64, until_ms: i64) -> Vec<Option<f64>> {
    let mut sorted = changes.to_vec();
    sorted.sort_by_key(|c| c.at_ms);
    // Breakpoints of the open count: (from, count).
    let mut open = BTreeSet::new();
    let mut steps: Vec<(i64, usize)> = vec![(i64::MIN, 0)];
    for c in &sorted {
        if c.open {
            open.insert(c.counter_id);
        } else {
            open.remove(&c.counter_id);
        }
        steps.push((c.at_ms, open.len()));
    }
    (0..SLOTS_PER_DAY as i64)
        .map(|s| {
            let start = day_start_ms + s * SLOT_MS;
            let end = (start + SLOT_MS).min(until_ms);
            if end <= start {
                return None;
            }
            let mut area = 0.0;
            for (i, &(from, count)) in steps.iter().enumerate() {
                let to = steps.get(i + 1).map_or(i64::MAX, |n| n.0);
                let (a, b) = (from.max(start), to.min(end));
                if b > a {
                    area += count as f64 * (b - a) as f64;
                }
            }
            Some(area / (end - start) as f64)
        })
        .collect()
}
