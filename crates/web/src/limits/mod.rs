//! In-memory limits against abuse: failed sign-ins per account and per client address
//! (lockout with backoff), live event streams per credential and per address, and a token
//! bucket per device for ticket issue. Each node keeps its own counts; a restart forgets them.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Entries kept per table before the expired ones are swept out.
const SWEEP_AT: usize = 10_000;

/// All limits of the web layer (part of [`crate::WebConfig`]).
#[derive(Debug, Clone)]
pub struct Limits {
    pub login: LoginLimits,
    /// Live event streams per device token or sign-in session; 0 = no cap.
    pub streams_per_credential: usize,
    /// Live event streams per client address; 0 = no cap.
    pub streams_per_address: usize,
    /// Ticket issue per kiosk token.
    pub issue_kiosk: Rate,
    /// Ticket issue per integration token.
    pub issue_integration: Rate,
    /// A client must send a request's whole header within this; `None` = no limit.
    pub header_read_timeout: Option<Duration>,
    /// A connection on which nothing is read or written for this long is closed.
    pub idle_timeout: Option<Duration>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login: LoginLimits::default(),
            streams_per_credential: 8,
            streams_per_address: 64,
            issue_kiosk: Rate {
                per_minute: 30,
                burst: 10,
            },
            issue_integration: Rate {
                per_minute: 600,
                burst: 100,
            },
            header_read_timeout: Some(Duration::from_secs(10)),
            idle_timeout: Some(Duration::from_secs(60)),
        }
    }
}

impl Limits {
    /// No sign-in throttle, stream caps or issue rates (benchmarks on loopback). The
    /// connection timeouts stay.
    pub fn off() -> Self {
        Self {
            login: LoginLimits {
                account_failures: 0,
                address_failures: 0,
                ..LoginLimits::default()
            },
            streams_per_credential: 0,
            streams_per_address: 0,
            issue_kiosk: Rate::OFF,
            issue_integration: Rate::OFF,
            ..Self::default()
        }
    }
}

/// Failed sign-ins allowed within `window` before a lockout; the lockout doubles with each
/// lockout in a row, from `lockout` up to `max_lockout`.
#[derive(Debug, Clone)]
pub struct LoginLimits {
    /// Failures per account (username) before it is locked; 0 = no limit.
    pub account_failures: u32,
    /// Failures per client address before it is locked; 0 = no limit.
    pub address_failures: u32,
    pub window: Duration,
    pub lockout: Duration,
    pub max_lockout: Duration,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            account_failures: 5,
            address_failures: 20,
            window: Duration::from_secs(15 * 60),
            lockout: Duration::from_secs(60),
            max_lockout: Duration::from_secs(15 * 60),
        }
    }
}

/// A token bucket's rate: `per_minute` tokens refill per minute, up to `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// 0 = no limit.
    pub per_minute: u32,
    pub burst: u32,
}

impl Rate {
    pub const OFF: Rate = Rate {
        per_minute: 0,
        burst: 0,
    };
}

/// Whole seconds to wait, at least 1 (the value of `Retry-After`).
pub fn retry_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

#[derive(Debug, Clone, Copy)]
struct Strikes {
    failures: u32,
    /// Sign-ins under way (counted as failures until they succeed), so that a thousand
    /// guesses sent at once cannot all be checked before the first failure is counted.
    pending: u32,
    since: Instant,
    locked_until: Option<Instant>,
    /// Lockouts in a row (the backoff's exponent).
    lockouts: u32,
}

/// Failures of one kind of key (accounts or addresses).
#[derive(Debug)]
struct StrikeTable<K> {
    map: HashMap<K, Strikes>,
    /// The size at which expired entries are next swept out: doubles with what survives a
    /// sweep, so a flood of distinct names costs amortised O(1) per failure.
    sweep_at: usize,
}

impl<K> Default for StrikeTable<K> {
    fn default() -> Self {
        Self {
            map: HashMap::new(),
            sweep_at: SWEEP_AT,
        }
    }
}

impl<K: Hash + Eq + Clone> StrikeTable<K> {
    fn locked(&self, key: &K, now: Instant) -> Option<Duration> {
        let until = self.map.get(key)?.locked_until?;
        (until > now).then(|| until - now)
    }

    /// `key`'s entry, its count restarted when its window has passed.
    fn entry(&mut self, key: &K, l: &LoginLimits, now: Instant) -> &mut Strikes {
        if self.map.len() >= self.sweep_at {
            let keep = l.window.max(l.max_lockout);
            self.map.retain(|_, s| {
                s.pending > 0
                    || now.duration_since(s.since) < keep
                    || s.locked_until.is_some_and(|u| u > now)
            });
            self.sweep_at = (self.map.len() * 2).max(SWEEP_AT);
        }
        let s = self.map.entry(key.clone()).or_insert(Strikes {
            failures: 0,
            pending: 0,
            since: now,
            locked_until: None,
            lockouts: 0,
        });
        if now.duration_since(s.since) >= l.window {
            // A quiet window forgives the count, and after a lockout long past, the backoff.
            if s.locked_until
                .is_none_or(|u| now.duration_since(u) >= l.window)
            {
                s.lockouts = 0;
            }
            s.failures = 0;
            s.since = now;
        }
        s
    }

    /// Starts an attempt, unless `key` is locked or as many attempts as it has left are
    /// already under way (then: wait a second).
    fn begin(
        &mut self,
        key: &K,
        limit: u32,
        l: &LoginLimits,
        now: Instant,
    ) -> Result<(), Duration> {
        if limit == 0 {
            return Ok(());
        }
        if let Some(wait) = self.locked(key, now) {
            return Err(wait);
        }
        let s = self.entry(key, l, now);
        if s.failures + s.pending >= limit {
            return Err(Duration::from_secs(1));
        }
        s.pending += 1;
        Ok(())
    }

    /// Ends an attempt begun at `now`: a failure counts (and may lock); a success clears
    /// the key when `clear`.
    fn end(
        &mut self,
        key: &K,
        limit: u32,
        failed: bool,
        clear: bool,
        l: &LoginLimits,
        now: Instant,
    ) {
        if limit == 0 {
            return;
        }
        let s = self.entry(key, l, now);
        s.pending = s.pending.saturating_sub(1);
        if !failed {
            if clear {
                s.failures = 0;
                s.lockouts = 0;
                s.locked_until = None;
            }
            return;
        }
        s.failures += 1;
        if s.failures >= limit {
            let factor = 1u32 << s.lockouts.min(16);
            let lock = l.lockout.saturating_mul(factor).min(l.max_lockout);
            s.locked_until = Some(now + lock);
            s.lockouts += 1;
            s.failures = 0;
            s.since = now;
        }
    }
}

type Table<K> = Arc<Mutex<StrikeTable<K>>>;

/// Throttles failed sign-ins per account and per client address.
#[derive(Debug, Default)]
pub struct LoginThrottle {
    accounts: Table<String>,
    addresses: Table<IpAddr>,
}

/// The account key: usernames are compared trimmed and case-insensitively here, so that
/// `Admin` and `admin ` count against the same account.
fn account_key(username: &str) -> String {
    username.trim().to_lowercase()
}

impl LoginThrottle {
    /// `Err(wait)` while the account or the address is locked.
    pub fn check(
        &self,
        username: &str,
        addr: Option<IpAddr>,
        now: Instant,
    ) -> Result<(), Duration> {
        let a = lock(&self.accounts).locked(&account_key(username), now);
        let b = addr.and_then(|ip| lock(&self.addresses).locked(&ip, now));
        match a.max(b) {
            Some(wait) => Err(wait),
            None => Ok(()),
        }
    }

    /// Starts a sign-in attempt, or says how long to wait. The attempt counts as a failure
    /// (wrong password or unknown user alike) unless [`Attempt::succeeded`] is called.
    pub fn begin(
        &self,
        username: &str,
        addr: Option<IpAddr>,
        l: &LoginLimits,
        now: Instant,
    ) -> Result<Attempt, Duration> {
        self.check(username, addr, now)?;
        let key = account_key(username);
        lock(&self.accounts).begin(&key, l.account_failures, l, now)?;
        if let Some(ip) = addr
            && let Err(wait) = lock(&self.addresses).begin(&ip, l.address_failures, l, now)
        {
            lock(&self.accounts).end(&key, l.account_failures, false, false, l, now);
            return Err(wait);
        }
        Ok(Attempt {
            accounts: self.accounts.clone(),
            addresses: self.addresses.clone(),
            key,
            addr,
            limits: l.clone(),
            at: now,
            ok: false,
        })
    }
}

/// A sign-in under way; dropped without [`Attempt::succeeded`] it counts as a failure
/// (also when the client went away before the password was checked).
#[derive(Debug)]
pub struct Attempt {
    accounts: Table<String>,
    addresses: Table<IpAddr>,
    key: String,
    addr: Option<IpAddr>,
    limits: LoginLimits,
    at: Instant,
    ok: bool,
}

impl Attempt {
    /// The password was right: the account's failures are cleared (the address keeps its
    /// count, so one good account cannot launder guesses at others).
    pub fn succeeded(mut self) {
        self.ok = true;
    }
}

impl Drop for Attempt {
    fn drop(&mut self) {
        let (l, failed) = (&self.limits, !self.ok);
        lock(&self.accounts).end(&self.key, l.account_failures, failed, true, l, self.at);
        if let Some(ip) = self.addr {
            lock(&self.addresses).end(&ip, l.address_failures, failed, false, l, self.at);
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Counts live event streams per credential and per address.
#[derive(Debug, Default)]
pub struct StreamCounter {
    inner: Arc<Mutex<StreamCounts>>,
}

#[derive(Debug, Default)]
struct StreamCounts {
    by_key: HashMap<String, usize>,
    by_addr: HashMap<IpAddr, usize>,
}

/// Which cap refused a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamCap {
    Credential,
    Address,
}

/// Holds one stream's place; dropping it frees the place.
#[derive(Debug)]
pub struct StreamSlot {
    inner: Arc<Mutex<StreamCounts>>,
    key: String,
    addr: Option<IpAddr>,
}

fn decrement<K: Hash + Eq>(map: &mut HashMap<K, usize>, k: &K) {
    if let Some(n) = map.get_mut(k) {
        *n -= 1;
        if *n == 0 {
            map.remove(k);
        }
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut c = lock(&self.inner);
        decrement(&mut c.by_key, &self.key);
        if let Some(ip) = self.addr {
            decrement(&mut c.by_addr, &ip);
        }
    }
}

impl StreamCounter {
    /// Takes a place for a stream of credential `key` from `addr`, unless a cap (0 = none)
    /// is reached. Addresses are counted only when known.
    pub fn open(
        &self,
        key: &str,
        addr: Option<IpAddr>,
        per_key: usize,
        per_addr: usize,
    ) -> Result<StreamSlot, StreamCap> {
        let mut c = lock(&self.inner);
        if per_key > 0 && c.by_key.get(key).copied().unwrap_or(0) >= per_key {
            return Err(StreamCap::Credential);
        }
        if let Some(ip) = addr
            && per_addr > 0
            && c.by_addr.get(&ip).copied().unwrap_or(0) >= per_addr
        {
            return Err(StreamCap::Address);
        }
        *c.by_key.entry(key.to_string()).or_default() += 1;
        if let Some(ip) = addr {
            *c.by_addr.entry(ip).or_default() += 1;
        }
        Ok(StreamSlot {
            inner: self.inner.clone(),
            key: key.to_string(),
            addr,
        })
    }

    /// Live streams of every credential (for `/metrics`).
    pub fn total(&self) -> usize {
        lock(&self.inner).by_key.values().sum()
    }

    /// Live streams of `key` (for tests and logs).
    pub fn live(&self, key: &str) -> usize {
        lock(&self.inner).by_key.get(key).copied().unwrap_or(0)
    }
}

/// Token buckets per key (a device id).
#[derive(Debug, Default)]
pub struct RateLimiter {
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl RateLimiter {
    /// Takes one token from `key`'s bucket, or says how long until one is there.
    pub fn take(&self, key: i64, rate: Rate, now: Instant) -> Result<(), Duration> {
        if rate.per_minute == 0 {
            return Ok(());
        }
        let burst = f64::from(rate.burst.max(1));
        let per_sec = f64::from(rate.per_minute) / 60.0;
        let mut b = lock(&self.buckets);
        if b.len() >= SWEEP_AT {
            // A bucket full again is the same as no bucket.
            b.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * per_sec < burst
            });
        }
        let (tokens, at) = b.entry(key).or_insert((burst, now));
        let refilled = (*tokens + now.duration_since(*at).as_secs_f64() * per_sec).min(burst);
        *at = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            Err(Duration::from_secs_f64((1.0 - refilled) / per_sec))
        }
    }
}

#[cfg(test)]
mod tests;
