//! When a case warning's webhook delivery is tried again (the outbox): exponential backoff
//! from 30 s, doubling up to an hour, and giving up after [`MAX_ATTEMPTS`] so a receiver
//! that is gone for good does not keep the worker busy forever.

/// Attempts before a delivery is marked failed (about a day of retries).
pub const MAX_ATTEMPTS: i64 = 30;
/// The first retry's delay.
pub const FIRST_RETRY_MS: i64 = 30_000;
/// The longest delay between two attempts.
pub const MAX_RETRY_MS: i64 = 3_600_000;
/// How long a claimed delivery stays with its worker before another may take it over
/// (a node that stopped mid-delivery).
pub const LEASE_MS: i64 = 60_000;

/// When to try again after `attempts` failed attempts (1 = the first failed), or `None`
/// when it is time to give up.
pub fn next_attempt(now: i64, attempts: i64) -> Option<i64> {
    if attempts >= MAX_ATTEMPTS {
        return None;
    }
    let shift = u32::try_from((attempts - 1).clamp(0, 20)).unwrap_or(20);
    let delay = (FIRST_RETRY_MS << shift).min(MAX_RETRY_MS);
    Some(now + delay)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_an_hour_then_give_up() {
        assert_eq!(next_attempt(0, 1), Some(30_000));
        assert_eq!(next_attempt(0, 2), Some(60_000));
        assert_eq!(next_attempt(0, 3), Some(120_000));
        assert_eq!(next_attempt(0, 8), Some(MAX_RETRY_MS), "capped");
        assert_eq!(next_attempt(0, MAX_ATTEMPTS - 1), Some(MAX_RETRY_MS));
        assert_eq!(next_attempt(0, MAX_ATTEMPTS), None);
    }
}
