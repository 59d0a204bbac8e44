//! The warning instants the store indexes agree with `evaluate`: at the instant a level is
//! said to be reached, `evaluate` reports it; a millisecond earlier it does not (unless no
//! counted time lies between, e.g. over lunch or a night).

use super::*;
use crate::calendar::Calendar;

const H: i64 = 3_600_000;

/// A small deterministic generator (no dependency on a random crate).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n) as i64
    }
}

fn random_log(r: &mut Lcg, start: i64) -> ClockLog {
    let mut evs = vec![ClockEvent::Started { at: start }];
    let mut t = start;
    let pauses = r.next(3);
    for i in 0..pauses {
        t += r.next(60) * H + r.next(3600) * 1000;
        evs.push(ClockEvent::Paused {
            at: t,
            reason: "等待客户资料".into(),
            by: None,
        });
        // the last pause may stay open
        if i + 1 < pauses || r.next(2) == 0 {
            t += r.next(100) * H + 1;
            evs.push(ClockEvent::Resumed { at: t });
        }
    }
    ClockLog::from_events("reply.step", &evs).unwrap()
}

fn check(wc: &dyn WorkClock, seed: u64) {
    let mut r = Lcg(seed);
    let policies = [
        ClockPolicy::default(),
        CaseSettings {
            owner_permille: 300,
            manager_permille: 900,
            pause_cap_hours: 12,
        }
        .policy(),
    ];
    // 2025-12-01 00:00 +08:00
    let base = 1_764_518_400_000;
    for _ in 0..300 {
        let start = base + r.next(20 * 24) * H + r.next(3600) * 1000;
        let amount = match r.next(4) {
            0 => Amount::WorkingDays(r.next(10) as u32),
            1 => Amount::WorkingHours(1 + r.next(30) as u32),
            2 => Amount::CalendarDays(r.next(7) as u32),
            _ => Amount::Hours(1 + r.next(48) as u32),
        };
        let log = random_log(&mut r, start);
        let policy = &policies[r.next(2) as usize];
        for (level, at) in warning_instants(amount, &log, policy, wc) {
            let now = evaluate(amount, &log, at, policy, wc);
            assert!(
                now.levels.contains(&level),
                "{amount} {log:?}: {level:?} not reached at its instant {at}"
            );
            let before = evaluate(amount, &log, at - 1, policy, wc);
            if before.levels.contains(&level) {
                // Only possible when no counted time separates the two instants.
                assert_eq!(
                    before.elapsed_ms, now.elapsed_ms,
                    "{amount} {log:?}: {level:?} already reached before {at}"
                );
            }
        }
    }
}

#[test]
fn warning_instants_match_evaluate_on_weekdays() {
    check(&WeekdayClock, 7);
}

#[test]
fn warning_instants_match_evaluate_on_the_official_calendar() {
    check(Calendar::china(), 11);
}

#[test]
fn the_next_warning_skips_recorded_levels() {
    let t = 1_764_554_400_000; // Monday 2025-12-01 10:00 +08:00
    let log = ClockLog::from_events("x", &[ClockEvent::Started { at: t }]).unwrap();
    let p = ClockPolicy::default();
    let at = warning_instants(Amount::Hours(10), &log, &p, &WeekdayClock);
    assert_eq!(
        at,
        [
            (WarningLevel::Owner, t + 5 * H),
            (WarningLevel::HallManager, t + 8 * H),
            (WarningLevel::Supervisor, t + 10 * H + 1),
        ]
    );
    assert_eq!(next_warning_at(&at, &[]), Some(t + 5 * H));
    assert_eq!(
        next_warning_at(&at, &[WarningLevel::Owner]),
        Some(t + 8 * H)
    );
    let all = [
        WarningLevel::Owner,
        WarningLevel::HallManager,
        WarningLevel::Supervisor,
    ];
    assert_eq!(next_warning_at(&at, &all), None);
    // A stopped clock warns no more.
    let stopped = ClockLog::from_events(
        "x",
        &[
            ClockEvent::Started { at: t },
            ClockEvent::Stopped { at: t + H },
        ],
    )
    .unwrap();
    assert!(warning_instants(Amount::Hours(10), &stopped, &p, &WeekdayClock).is_empty());
}

#[test]
fn an_open_pause_delays_warnings_until_the_cap_is_used() {
    let t = 1_764_554_400_000;
    let log = ClockLog::from_events(
        "x",
        &[
            ClockEvent::Started { at: t },
            ClockEvent::Paused {
                at: t + H,
                reason: "客户预约".into(),
                by: None,
            },
        ],
    )
    .unwrap();
    let p = CaseSettings {
        owner_permille: 500,
        manager_permille: 800,
        pause_cap_hours: 24,
    }
    .policy();
    let at = warning_instants(Amount::Hours(10), &log, &p, &WeekdayClock);
    // 1 h counted, then 24 h excused, then the remaining 4 h to reach 5 h.
    assert_eq!(at[0], (WarningLevel::Owner, t + 29 * H));
}
