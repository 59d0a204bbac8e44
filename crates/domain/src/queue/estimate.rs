//! Estimated wait for a ticket: the work ahead of it spread over the open counters.

/// `ahead` tickets before this one, `open_counters` counters that serve its type now,
/// `avg_handling_ms` the recent average handling time (or the type's target when unknown).
/// `None` when no open counter serves the type: the screen says so instead of guessing.
pub fn estimated_wait_ms(ahead: usize, open_counters: usize, avg_handling_ms: i64) -> Option<i64> {
    if open_counters == 0 {
        return None;
    }
    Some(ahead as i64 * avg_handling_ms.max(0) / open_counters as i64)
}

/// Rounds up to whole minutes for display ("约 7 分钟").
pub fn minutes_ceil(ms: i64) -> i64 {
    (ms.max(0) + 59_999) / 60_000
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreads_work_over_counters() {
        assert_eq!(estimated_wait_ms(6, 2, 300_000), Some(900_000));
        assert_eq!(estimated_wait_ms(0, 3, 300_000), Some(0));
        assert_eq!(estimated_wait_ms(5, 0, 300_000), None);
        assert_eq!(minutes_ceil(900_001), 16);
        assert_eq!(minutes_ceil(0), 0);
    }
}
