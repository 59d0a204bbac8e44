//! Brakes on the customer's case lookup (`/case`, `/api/v1/public/cases/{number}`): failed
//! tries are counted per client address and per case number over a sliding window; past the
//! limit the lookup answers 429 with `Retry-After` until the oldest counted try leaves the
//! window. A locked case number stays locked for the right code too, or the lock would not
//! stop a guesser spread over many addresses. In memory, per process: a restart forgets.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

/// The window failed tries are counted over.
pub const WINDOW_MS: i64 = 15 * 60 * 1000;
/// Failed tries a case number takes in a window before it locks.
pub const MAX_FAILS_PER_CASE: usize = 10;
/// Failed tries one client address may make in a window, over all case numbers.
pub const MAX_FAILS_PER_ADDRESS: usize = 20;
/// Keys kept before stale ones are swept (each is a few dozen bytes).
const SWEEP_AT: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Address(IpAddr),
    Case(String),
}

/// Why a lookup is refused, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    /// This case number had too many failed tries.
    Case { retry_after_s: u64 },
    /// This address had too many failed tries.
    Address { retry_after_s: u64 },
}

impl Blocked {
    pub fn retry_after_s(self) -> u64 {
        match self {
            Self::Case { retry_after_s } | Self::Address { retry_after_s } => retry_after_s,
        }
    }

    /// What the customer reads: bilingual, with the wait in minutes.
    pub fn message(self) -> String {
        let min = self.retry_after_s().div_ceil(60).max(1);
        match self {
            Self::Case { .. } => format!(
                "该工单查询错误次数过多，已暂时锁定，请 {min} 分钟后再试，或拨打 95598 · Too many wrong tries for this case number; it is locked for {min} min. Try again later or call 95598"
            ),
            Self::Address { .. } => format!(
                "查询错误次数过多，请 {min} 分钟后再试，或拨打 95598 · Too many wrong tries from this device; try again in {min} min or call 95598"
            ),
        }
    }
}

/// Failed lookup tries per address and per case number.
#[derive(Default)]
pub struct LookupGuard {
    fails: Mutex<HashMap<Key, VecDeque<i64>>>,
}

impl LookupGuard {
    /// Refuses a lookup of `number` from `addr` at `now` when either has too many failed
    /// tries in the window.
    pub fn check(&self, addr: Option<IpAddr>, number: &str, now: i64) -> Result<(), Blocked> {
        let mut fails = self.fails.lock().unwrap_or_else(|e| e.into_inner());
        let case = Key::Case(case_key(number));
        if let Some(wait) = wait(&mut fails, &case, MAX_FAILS_PER_CASE, now) {
            return Err(Blocked::Case {
                retry_after_s: wait,
            });
        }
        if let Some(a) = addr
            && let Some(wait) = wait(&mut fails, &Key::Address(a), MAX_FAILS_PER_ADDRESS, now)
        {
            return Err(Blocked::Address {
                retry_after_s: wait,
            });
        }
        Ok(())
    }

    /// Counts a failed try (wrong number or code) against `addr` and `number`.
    pub fn failed(&self, addr: Option<IpAddr>, number: &str, now: i64) {
        let mut fails = self.fails.lock().unwrap_or_else(|e| e.into_inner());
        if fails.len() >= SWEEP_AT {
            fails.retain(|_, at| {
                prune(at, now);
                !at.is_empty()
            });
        }
        let mut keys = vec![Key::Case(case_key(number))];
        keys.extend(addr.map(Key::Address));
        for k in keys {
            let at = fails.entry(k).or_default();
            prune(at, now);
            at.push_back(now);
        }
    }
}

/// Case numbers as the store compares them, bounded (longer ones never match a case).
fn case_key(number: &str) -> String {
    number.trim().chars().take(40).collect()
}

fn prune(at: &mut VecDeque<i64>, now: i64) {
    while at.front().is_some_and(|&t| t <= now - WINDOW_MS) {
        at.pop_front();
    }
}

/// Seconds until `key` is below `max` failed tries again, if it is not now.
fn wait(fails: &mut HashMap<Key, VecDeque<i64>>, key: &Key, max: usize, now: i64) -> Option<u64> {
    let at = fails.get_mut(key)?;
    prune(at, now);
    if at.len() < max {
        return None;
    }
    // The try that must leave the window for one more to be allowed.
    let release = at[at.len() - max] + WINDOW_MS;
    Some(u64::try_from((release - now).max(1_000) / 1_000).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    #[test]
    fn a_case_locks_after_ten_failed_tries_for_every_address() {
        let g = LookupGuard::default();
        for i in 0..MAX_FAILS_PER_CASE {
            let addr = Some(IpAddr::from([10, 0, 0, i as u8]));
            assert_eq!(g.check(addr, "GD-1", T0 + i as i64), Ok(()));
            g.failed(addr, "GD-1", T0 + i as i64);
        }
        let other = Some(IpAddr::from([10, 9, 9, 9]));
        let e = g.check(other, " GD-1 ", T0 + 60_000).unwrap_err();
        assert!(
            matches!(e, Blocked::Case { retry_after_s } if retry_after_s == 840),
            "{e:?}"
        );
        assert!(e.message().contains("14 分钟") && e.message().contains("14 min"));
        assert_eq!(g.check(other, "GD-2", T0 + 60_000), Ok(()), "other cases");
        // The window slides: once the first try is 15 minutes old, one more is allowed.
        assert_eq!(g.check(other, "GD-1", T0 + WINDOW_MS + 1), Ok(()));
    }

    #[test]
    fn an_address_is_stopped_after_twenty_failed_tries_over_any_cases() {
        let g = LookupGuard::default();
        let addr = Some(IpAddr::from([192, 0, 2, 1]));
        for i in 0..MAX_FAILS_PER_ADDRESS {
            let n = format!("GD-{i}");
            assert_eq!(g.check(addr, &n, T0), Ok(()));
            g.failed(addr, &n, T0);
        }
        let e = g.check(addr, "GD-new", T0 + 1_000).unwrap_err();
        assert!(matches!(e, Blocked::Address { .. }), "{e:?}");
        assert_eq!(e.retry_after_s(), 899);
        let elsewhere = Some(IpAddr::from([192, 0, 2, 2]));
        assert_eq!(g.check(elsewhere, "GD-new", T0 + 1_000), Ok(()));
    }

    #[test]
    fn stale_entries_are_swept() {
        let g = LookupGuard::default();
        for i in 0..SWEEP_AT {
            g.failed(None, &format!("GD-{i}"), T0);
        }
        g.failed(None, "GD-late", T0 + WINDOW_MS + 1);
        assert_eq!(g.fails.lock().unwrap().len(), 1);
    }
}
