//! The application's clock. Handlers and shared read models ask the state
//! ([`crate::AppState::now`]) for the time instead of reading the wall clock, so a test can
//! hold time still or move it forward (a rating window closing, a session running out)
//! instead of sleeping.
//!
//! Only wall-clock milliseconds come from here. Rate limits and throttles measure
//! durations with `std::time::Instant`, which stays monotonic and is not this clock's
//! business.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Where "now" comes from: the system's wall clock, or a hand-set clock in tests.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The system's wall clock (what a running server uses).
    #[default]
    System,
    /// A clock that moves only when told to; clones share the same time.
    Manual(ManualClock),
}

impl Clock {
    /// Milliseconds since the Unix epoch, by this clock.
    pub fn now_ms(&self) -> i64 {
        match self {
            Self::System => crate::now_ms(),
            Self::Manual(m) => m.now_ms(),
        }
    }
}

impl From<ManualClock> for Clock {
    fn from(m: ManualClock) -> Self {
        Self::Manual(m)
    }
}

/// A settable clock: every clone reads and moves the same time.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<AtomicI64>);

impl ManualClock {
    /// A clock standing at `ms` (Unix epoch milliseconds).
    pub fn at(ms: i64) -> Self {
        Self(Arc::new(AtomicI64::new(ms)))
    }

    /// A clock standing at the system's time of now (then still until moved).
    pub fn starting_now() -> Self {
        Self::at(crate::now_ms())
    }

    pub fn now_ms(&self) -> i64 {
        self.0.load(Ordering::SeqCst)
    }

    /// Sets the time to `ms`.
    pub fn set(&self, ms: i64) {
        self.0.store(ms, Ordering::SeqCst);
    }

    /// Moves the time forward by `ms` (backward when negative); returns the new time.
    pub fn advance(&self, ms: i64) -> i64 {
        self.0.fetch_add(ms, Ordering::SeqCst) + ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_stands_still_until_moved_and_clones_share_it() {
        let hand = ManualClock::at(1_000);
        let clock = Clock::from(hand.clone());
        let copy = clock.clone();
        assert_eq!(clock.now_ms(), 1_000);
        assert_eq!(clock.now_ms(), 1_000, "no time passes by itself");
        assert_eq!(hand.advance(600_001), 601_001);
        assert_eq!((clock.now_ms(), copy.now_ms()), (601_001, 601_001));
        hand.set(42);
        assert_eq!(copy.now_ms(), 42);
        assert_eq!(hand.advance(-2), 40);
    }

    #[test]
    fn the_system_clock_follows_the_wall_clock() {
        let before = chrono::Utc::now().timestamp_millis();
        let now = Clock::default().now_ms();
        let after = chrono::Utc::now().timestamp_millis();
        assert!(
            (before..=after).contains(&now),
            "{before} ≤ {now} ≤ {after}"
        );
    }
}
