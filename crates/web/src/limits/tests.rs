//! The limits' unit tests: lockouts and their backoff, stream caps, token buckets.

use super::*;

fn limits() -> LoginLimits {
    LoginLimits {
        account_failures: 5,
        address_failures: 20,
        window: Duration::from_secs(900),
        lockout: Duration::from_secs(60),
        max_lockout: Duration::from_secs(600),
    }
}

impl LoginThrottle {
    /// One failed attempt (the key must not be locked).
    fn fail(&self, username: &str, addr: Option<IpAddr>, l: &LoginLimits, now: Instant) {
        drop(self.begin(username, addr, l, now).expect("not locked"));
    }
}

#[test]
fn attempts_under_way_count_until_they_end() {
    let t = LoginThrottle::default();
    let l = limits();
    let now = Instant::now();
    let ip: IpAddr = "10.0.0.3".parse().unwrap();
    let held: Vec<_> = (0..5)
        .map(|_| t.begin("admin", Some(ip), &l, now).unwrap())
        .collect();
    assert_eq!(
        t.begin("admin", Some(ip), &l, now).unwrap_err(),
        Duration::from_secs(1)
    );
    drop(held);
    assert_eq!(t.check("admin", None, now), Err(Duration::from_secs(60)));
    // A success ends its attempt and clears the account.
    let t = LoginThrottle::default();
    let a = t.begin("guide", Some(ip), &l, now).unwrap();
    for _ in 0..3 {
        t.fail("guide", Some(ip), &l, now);
    }
    a.succeeded();
    for _ in 0..4 {
        t.fail("guide", Some(ip), &l, now);
    }
    assert!(t.check("guide", Some(ip), now).is_ok());
}

#[test]
fn an_account_locks_after_five_failures_and_backs_off() {
    let t = LoginThrottle::default();
    let l = limits();
    let t0 = Instant::now();
    let ip: IpAddr = "10.0.0.1".parse().unwrap();
    for i in 0..4 {
        t.fail("Clerk1", Some(ip), &l, t0 + Duration::from_secs(i));
        assert!(
            t.check("clerk1", Some(ip), t0 + Duration::from_secs(i))
                .is_ok()
        );
    }
    t.fail(" clerk1 ", Some(ip), &l, t0 + Duration::from_secs(4));
    let wait = t
        .check("clerk1", None, t0 + Duration::from_secs(4))
        .unwrap_err();
    assert_eq!(wait, Duration::from_secs(60));
    assert!(
        t.check("clerk2", None, t0).is_ok(),
        "other accounts are free"
    );
    // After the lockout, five more failures lock for twice as long.
    let t1 = t0 + Duration::from_secs(70);
    assert!(t.check("clerk1", None, t1).is_ok());
    for _ in 0..5 {
        t.fail("clerk1", None, &l, t1);
    }
    assert_eq!(t.check("clerk1", None, t1), Err(Duration::from_secs(120)));
    // The backoff is capped.
    let mut now = t1;
    for _ in 0..10 {
        now += Duration::from_secs(700);
        for _ in 0..5 {
            t.fail("clerk1", None, &l, now);
        }
    }
    assert!(t.check("clerk1", None, now).unwrap_err() <= Duration::from_secs(600));
}

#[test]
fn failures_spread_beyond_the_window_do_not_lock() {
    let t = LoginThrottle::default();
    let l = limits();
    let t0 = Instant::now();
    for i in 0..20 {
        t.fail("guide", None, &l, t0 + Duration::from_secs(i * 300));
    }
    assert!(
        t.check("guide", None, t0 + Duration::from_secs(6000))
            .is_ok()
    );
}

#[test]
fn an_address_locks_after_twenty_failures_across_accounts() {
    let t = LoginThrottle::default();
    let l = limits();
    let now = Instant::now();
    let ip: IpAddr = "192.0.2.7".parse().unwrap();
    for i in 0..20 {
        assert!(t.check(&format!("user{i}"), Some(ip), now).is_ok());
        t.fail(&format!("user{i}"), Some(ip), &l, now);
    }
    assert!(t.check("admin", Some(ip), now).is_err());
    assert!(
        t.check("admin", Some("192.0.2.8".parse().unwrap()), now)
            .is_ok()
    );
    assert!(t.check("admin", None, now).is_ok());
}

#[test]
fn old_entries_are_swept_out() {
    let t = LoginThrottle::default();
    let l = limits();
    let t0 = Instant::now();
    for i in 0..SWEEP_AT {
        t.fail(&format!("u{i}"), None, &l, t0);
    }
    // Nothing had expired at the first sweep: the next comes at twice the size, and
    // then the hour-old entries go.
    let later = t0 + Duration::from_secs(3600);
    for i in 0..SWEEP_AT {
        t.fail(&format!("v{i}"), None, &l, later);
    }
    assert!(
        lock(&t.accounts).map.len() <= SWEEP_AT,
        "{}",
        lock(&t.accounts).map.len()
    );
    assert!(lock(&t.accounts).map.contains_key("v9999"));
}

#[test]
fn success_clears_the_account_and_zero_means_off() {
    let t = LoginThrottle::default();
    let l = limits();
    let now = Instant::now();
    for _ in 0..4 {
        t.fail("manager", None, &l, now);
    }
    t.begin("Manager", None, &l, now).unwrap().succeeded();
    t.fail("manager", None, &l, now);
    assert!(t.check("manager", None, now).is_ok());
    let off = LoginLimits {
        account_failures: 0,
        address_failures: 0,
        ..limits()
    };
    for _ in 0..100 {
        t.fail("admin", Some("10.1.1.1".parse().unwrap()), &off, now);
    }
    assert!(
        t.check("admin", Some("10.1.1.1".parse().unwrap()), now)
            .is_ok()
    );
}

#[test]
fn streams_are_capped_per_credential_and_address_and_freed_on_drop() {
    let c = StreamCounter::default();
    let ip: IpAddr = "10.0.0.9".parse().unwrap();
    let a: Vec<_> = (0..2)
        .map(|_| c.open("tok", Some(ip), 2, 3).unwrap())
        .collect();
    assert_eq!(
        c.open("tok", Some(ip), 2, 3).unwrap_err(),
        StreamCap::Credential
    );
    let b = c.open("other", Some(ip), 2, 3).unwrap();
    assert_eq!(
        c.open("third", Some(ip), 2, 3).unwrap_err(),
        StreamCap::Address
    );
    assert!(
        c.open("third", None, 2, 3).is_ok(),
        "unknown addresses are not counted"
    );
    drop(a);
    assert_eq!(c.live("tok"), 0);
    assert!(c.open("tok", Some(ip), 2, 3).is_ok());
    drop(b);
    assert!(c.open("x", Some(ip), 0, 0).is_ok(), "0 means no cap");
}

#[test]
fn the_bucket_allows_a_burst_then_the_rate() {
    let r = RateLimiter::default();
    let rate = Rate {
        per_minute: 30,
        burst: 10,
    };
    let t0 = Instant::now();
    for _ in 0..10 {
        r.take(1, rate, t0).unwrap();
    }
    let wait = r.take(1, rate, t0).unwrap_err();
    assert_eq!(retry_secs(wait), 2, "30 a minute is one every 2 s");
    assert!(r.take(2, rate, t0).is_ok(), "buckets are per key");
    assert!(r.take(1, rate, t0 + Duration::from_secs(2)).is_ok());
    assert!(r.take(1, rate, t0 + Duration::from_secs(2)).is_err());
    // A minute later the bucket holds the burst again, not more.
    let t1 = t0 + Duration::from_secs(600);
    for _ in 0..10 {
        r.take(1, rate, t1).unwrap();
    }
    assert!(r.take(1, rate, t1).is_err());
    for _ in 0..1000 {
        r.take(1, Rate::OFF, t1).unwrap();
    }
}

#[test]
fn retry_after_rounds_up_to_whole_seconds() {
    assert_eq!(retry_secs(Duration::from_millis(1)), 1);
    assert_eq!(retry_secs(Duration::from_secs(60)), 60);
    assert_eq!(retry_secs(Duration::from_millis(60_001)), 61);
}
