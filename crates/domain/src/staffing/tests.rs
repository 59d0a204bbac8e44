//! Erlang C against published values, the simulation against Erlang C for M/M/c, and where
//! they part: abandonment, steadier service, 主办/兼办 skills.

use super::sim::{self, Demand, Rng};
use super::*;
use crate::calendar::DayKind;
use chrono::{Datelike, Duration, NaiveDate};

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn erlang_b_matches_the_published_table() {
    // Erlang B tables (e.g. ITU-T E.520 / any teletraffic table): 10 Erl on 10 lines blocks
    // 21.46 %; 1 Erl on 1 line blocks 1/2.
    assert!(close(erlang_b(1.0, 1), 0.5, 1e-12));
    assert!(
        close(erlang_b(10.0, 10), 0.2146, 5e-5),
        "{}",
        erlang_b(10.0, 10)
    );
}

#[test]
fn erlang_c_matches_published_values() {
    // A = 10 Erl, N = 12: P(wait) = 0.4494 (Erlang C tables, e.g. Gross & Harris,
    // Fundamentals of Queueing Theory, M/M/c; the usual call-centre worked example).
    let c = erlang_c(10.0, 12).unwrap();
    assert!(close(c, 0.4494, 5e-5), "{c}");
    // A = 2, N = 3: C = 4/9 in closed form.
    assert!(close(erlang_c(2.0, 3).unwrap(), 4.0 / 9.0, 1e-12));
    // Mean wait W = C·S/(N−A): 0.4494 × 180 s / 2 = 40.4 s.
    let p = predict(Load::new(200.0, 180.0).unwrap(), 12, 20.0).unwrap();
    assert!(close(p.mean_wait_s, 40.45, 0.05), "{}", p.mean_wait_s);
}

#[test]
fn the_recursion_stays_finite_where_factorials_overflow() {
    // 320! overflows f64; the recursion does not.
    let c = erlang_c(300.0, 320).unwrap();
    assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
}

#[test]
fn too_few_counters_is_answered_with_a_message() {
    let e = erlang_c(10.0, 10).unwrap_err();
    assert_eq!(
        e,
        StaffingError::Unstable {
            erlangs: 10.0,
            counters: 10
        }
    );
    let text = e.to_string();
    assert!(text.starts_with("10 个窗口承担不了"), "{text}");
    assert!(text.contains("open at least 11"), "{text}");
    assert!(erlang_c(10.0, 9).is_err());
    assert!(Load::new(-1.0, 180.0).is_err());
    assert!(Load::new(10.0, 0.0).is_err());
    assert!(Load::new(f64::NAN, 180.0).is_err());
    let load = Load::new(10.0, 180.0).unwrap();
    assert!(recommend(load, 20.0, 1.0).is_err());
    assert!(recommend(load, -1.0, 0.8).is_err());
}

#[test]
fn the_recommendation_is_the_fewest_counters_reaching_the_level() {
    // 200 arrivals an hour of 3 minutes each = 10 Erl; 80 % within 20 s.
    let load = Load::new(200.0, 180.0).unwrap();
    let r = recommend(load, 20.0, 0.8).unwrap();
    assert_eq!(r.counters, 14);
    assert!(close(r.service_level, 0.888, 0.002), "{}", r.service_level);
    let fewer = predict(load, 13, 20.0).unwrap();
    assert!(fewer.service_level < 0.8, "{}", fewer.service_level);
    // Nobody comes: no counter is needed.
    let none = recommend(Load::new(0.0, 180.0).unwrap(), 20.0, 0.8).unwrap();
    assert_eq!((none.counters, none.mean_wait_s), (0, 0.0));
}

#[test]
fn the_simulation_agrees_with_erlang_c_for_m_m_c() {
    // 200/h, 180 s, 12 counters (ρ = 0.83): waits are strongly correlated near saturation,
    // so six independent runs of 1 000 hours (≈ 1.2 million customers) are averaged.
    let p = predict(Load::new(200.0, 180.0).unwrap(), 12, 20.0).unwrap();
    let runs: Vec<_> = (1..=6)
        .map(|seed| sim::simulate_mmc(200.0, 180.0, 12, 1000.0, 20.0, seed))
        .collect();
    let wait = runs.iter().map(|o| o.mean_wait_s).sum::<f64>() / 6.0;
    let level = runs.iter().map(|o| o.service_level).sum::<f64>() / 6.0;
    assert!(
        runs.iter()
            .all(|o| o.customers > 190_000 && o.served == o.customers)
    );
    assert!(
        close(wait, p.mean_wait_s, p.mean_wait_s * 0.08),
        "sim {wait} vs erlang {}",
        p.mean_wait_s
    );
    assert!(
        close(level, p.service_level, 0.015),
        "sim {level} vs erlang {}",
        p.service_level
    );
    let out = sim::simulate_mmc(200.0, 180.0, 12, 50.0, 20.0, 7);
    // Seeded: the same run twice is the same run.
    assert_eq!(out, sim::simulate_mmc(200.0, 180.0, 12, 50.0, 20.0, 7));
    assert_ne!(
        out.mean_wait_s,
        sim::simulate_mmc(200.0, 180.0, 12, 50.0, 20.0, 8).mean_wait_s
    );
}

fn steady(
    per_hour: f64,
    service: ServiceDist,
    patience: Option<f64>,
    shares: Vec<f64>,
) -> Vec<Customer> {
    let d = Demand {
        slot_s: 1800.0,
        per_slot: vec![per_hour / 2.0; 400],
        kind_shares: shares,
        service: vec![service],
        mean_patience_s: patience,
    };
    sim::draw_customers(&d, &mut Rng::new(11))
}

fn counters(n: u32, skills: Vec<Skills>, policy: Policy) -> Scenario {
    Scenario {
        slot_s: 1800.0,
        plan: vec![n; 400],
        skills,
        policy,
        target_wait_s: vec![20.0],
    }
}

#[test]
fn abandonment_and_steadier_service_shorten_waits_below_erlang_c() {
    let erlang = predict(Load::new(200.0, 180.0).unwrap(), 11, 20.0)
        .unwrap()
        .mean_wait_s;
    let exp = ServiceDist::Exponential { mean_s: 180.0 };
    let mmc = sim::run(
        &counters(11, vec![], Policy::Fifo),
        &steady(200.0, exp, None, vec![1.0]),
    );
    assert!(
        close(mmc.mean_wait_s, erlang, erlang * 0.15),
        "{} vs {erlang}",
        mmc.mean_wait_s
    );
    // Customers who leave after ~2 minutes on average: fewer wait long, some are lost.
    let leave = sim::run(
        &counters(11, vec![], Policy::Fifo),
        &steady(200.0, exp, Some(120.0), vec![1.0]),
    );
    assert!(
        leave.abandoned > leave.customers / 50,
        "{}",
        leave.abandoned
    );
    assert!(
        leave.mean_wait_s < erlang * 0.6,
        "{} vs {erlang}",
        leave.mean_wait_s
    );
    // Service with half the spread (cv 0.5): about (1 + cv²)/2 = 0.625 of Erlang's wait.
    let logn = ServiceDist::LogNormal {
        mean_s: 180.0,
        cv: 0.5,
    };
    let steadier = sim::run(
        &counters(11, vec![], Policy::Fifo),
        &steady(200.0, logn, None, vec![1.0]),
    );
    let ratio = steadier.mean_wait_s / erlang;
    assert!((0.5..0.8).contains(&ratio), "{ratio}");
}

#[test]
fn skills_split_the_pool_and_primary_first_favours_each_counters_own_work() {
    let exp = ServiceDist::Exponential { mean_s: 180.0 };
    let customers = steady(100.0, exp, None, vec![1.0, 1.0]);
    let pooled = sim::run(&counters(6, vec![], Policy::Fifo), &customers);
    let own = |k: usize| Skills {
        primary: vec![k],
        secondary: vec![],
    };
    let split = sim::run(
        &counters(
            6,
            vec![own(0), own(0), own(0), own(1), own(1), own(1)],
            Policy::Fifo,
        ),
        &customers,
    );
    // Two pools of 3 wait longer than one pool of 6 with the same load (Erlang C's single
    // queue assumption fails).
    assert!(
        split.mean_wait_s > pooled.mean_wait_s * 1.5,
        "{} vs {}",
        split.mean_wait_s,
        pooled.mean_wait_s
    );
    // 主办 + 兼办: each counter also takes the other kind; the waits come back near pooled.
    let both = |k: usize| Skills {
        primary: vec![k],
        secondary: vec![1 - k],
    };
    let sk = vec![both(0), both(0), both(0), both(1), both(1), both(1)];
    let cross = sim::run(&counters(6, sk.clone(), Policy::Fifo), &customers);
    assert!(
        cross.mean_wait_s < split.mean_wait_s,
        "{} vs {}",
        cross.mean_wait_s,
        split.mean_wait_s
    );
    let primary = sim::run(&counters(6, sk, Policy::PrimaryFirst), &customers);
    assert!(primary.mean_wait_s < split.mean_wait_s);
    assert_eq!(primary.served, customers.len());
}

fn past(weeks: i64, holiday: Option<NaiveDate>) -> Vec<PastDay> {
    let start = NaiveDate::from_ymd_opt(2026, 9, 7).unwrap(); // a Monday
    (0..weeks * 7)
        .map(|i| {
            let date = start + Duration::days(i);
            let weekend = date.weekday().number_from_monday() > 5;
            let kind = if Some(date) == holiday {
                DayKind::Holiday
            } else if weekend {
                DayKind::Weekend
            } else {
                DayKind::Workday
            };
            let level = match kind {
                DayKind::Holiday => 1.0,
                DayKind::Weekend => 3.0,
                _ => 10.0 + date.weekday().num_days_from_monday() as f64,
            };
            let mut arrivals = vec![0.0; SLOTS_PER_DAY];
            arrivals[18] = level;
            arrivals[19] = level * 2.0;
            PastDay {
                date,
                kind,
                arrivals,
            }
        })
        .collect()
}

#[test]
fn the_forecast_follows_the_weekday_and_leaves_holidays_out() {
    let monday_holiday = NaiveDate::from_ymd_opt(2026, 9, 21).unwrap();
    let history = past(4, Some(monday_holiday));
    let next_monday = NaiveDate::from_ymd_opt(2026, 10, 5).unwrap();
    let f = forecast(next_monday, DayKind::Workday, &history, 8);
    assert_eq!((f.basis, f.days_used), (Basis::SameWeekday, 3));
    assert_eq!(
        (f.arrivals[18], f.arrivals[19], f.arrivals[0]),
        (10.0, 20.0, 0.0)
    );
    let friday = forecast(
        next_monday + Duration::days(4),
        DayKind::Workday,
        &history,
        8,
    );
    assert_eq!(friday.arrivals[18], 14.0);
    // A holiday: from the past holiday.
    let h = forecast(next_monday, DayKind::Holiday, &history, 8);
    assert_eq!((h.basis, h.arrivals[18]), (Basis::PastHolidays, 1.0));
    // Without a past holiday: from weekends.
    let h = forecast(next_monday, DayKind::Holiday, &past(4, None), 8);
    assert_eq!((h.basis, h.arrivals[18]), (Basis::WeekendsForHoliday, 3.0));
    // Only the most recent weeks, and never the future.
    assert_eq!(
        forecast(next_monday, DayKind::Workday, &history, 2).days_used,
        2
    );
    let before = forecast(
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
        DayKind::Workday,
        &history,
        8,
    );
    assert_eq!((before.basis, before.total()), (Basis::NoHistory, 0.0));
}

#[test]
fn service_stats_summarise_handling_times() {
    let s = ServiceStats::from_samples(&[60.0, 120.0, 180.0, 240.0, 300.0]).unwrap();
    assert_eq!(
        (s.count, s.mean_s, s.p50_s, s.p90_s),
        (5, 180.0, 180.0, 300.0)
    );
    assert!(close(s.cv, (36000.0f64 / 5.0).sqrt() / 180.0, 1e-9));
    assert!(ServiceStats::from_samples(&[0.0, f64::NAN]).is_none());
}

fn morning() -> Vec<f64> {
    let mut f = vec![0.0; SLOTS_PER_DAY];
    for (s, a) in (17..34).zip([
        20.0, 40.0, 50.0, 45.0, 35.0, 30.0, 25.0, 20.0, 15.0, 25.0, 30.0, 35.0, 30.0, 25.0, 20.0,
        15.0, 10.0,
    ]) {
        f[s] = a;
    }
    f
}

#[test]
fn the_advice_predicts_longer_waits_under_a_thin_plan() {
    let inputs = DayInputs {
        forecast: morning(),
        service: ServiceDist::LogNormal {
            mean_s: 240.0,
            cv: 0.8,
        },
        target_wait_s: 300.0,
        level: 0.8,
        planned: vec![None; SLOTS_PER_DAY],
        mean_patience_s: None,
        seed: 3,
        runs: 30,
    };
    let rec = advise(&inputs).unwrap();
    assert_eq!(rec[0].recommended, 0);
    assert!(rec[19].recommended >= 6, "{}", rec[19].recommended);
    assert!(
        rec[19].predicted_service_level > 0.7,
        "{}",
        rec[19].predicted_service_level
    );
    let mut thin = inputs.clone();
    thin.planned = (0..SLOTS_PER_DAY)
        .map(|s| Some(rec[s].recommended.saturating_sub(2)))
        .collect();
    let under = advise(&thin).unwrap();
    assert!(
        under[19].predicted_wait_s > rec[19].predicted_wait_s * 2.0,
        "{} vs {}",
        under[19].predicted_wait_s,
        rec[19].predicted_wait_s
    );
    assert_eq!(under[19].planned, Some(rec[19].recommended - 2));
    assert_eq!(advise(&inputs).unwrap(), rec);
}

#[test]
fn replay_compares_a_past_day_under_another_plan() {
    let d = Demand {
        slot_s: 1800.0,
        per_slot: morning(),
        kind_shares: vec![1.0],
        service: vec![ServiceDist::Exponential { mean_s: 240.0 }],
        mean_patience_s: Some(600.0),
    };
    let customers = sim::draw_customers(&d, &mut Rng::new(5));
    let plan = |n: u32| Scenario {
        slot_s: 1800.0,
        plan: vec![n; SLOTS_PER_DAY],
        skills: vec![],
        policy: Policy::Fifo,
        target_wait_s: vec![300.0],
    };
    let c = replay::replay(&customers, &plan(5), &plan(7));
    assert_eq!(c.kept.abandoned, 0, "replayed customers stay");
    assert_eq!(c.kept.served, customers.len());
    assert!(c.mean_wait_saved_s() > 0.0, "{}", c.mean_wait_saved_s());
    assert!(c.alternative.service_level > c.kept.service_level);
    assert_eq!(replay::counter_hours(&[2, 2, 3]), 3.5);
}

#[test]
fn plans_and_slots_are_checked() {
    assert!(check_plan(&[(0, 3), (47, 99)]).is_ok());
    assert_eq!(check_plan(&[(48, 1)]), Err(StaffingError::Plan));
    assert_eq!(check_plan(&[(3, 100)]), Err(StaffingError::Plan));
    assert_eq!(slot_label(17), "08:30");
    assert!(StaffingError::Plan.to_string().starts_with("计划"));
}

#[test]
fn actual_staffing_is_the_mean_open_per_half_hour() {
    use super::actual::{Change, open_per_slot};
    const H: i64 = 3_600_000;
    let day = 1_000 * H;
    let ch = |counter_id, open, at_ms| Change {
        counter_id,
        open,
        at_ms,
    };
    // Counter 1 open since the night before; 2 opens at 08:45 and pauses at 09:00; 3 opens
    // at 09:00. Now is 09:15.
    let changes = [
        ch(1, true, day - H),
        ch(3, true, day + 9 * H),
        ch(2, true, day + 8 * H + 3 * H / 4),
        ch(2, false, day + 9 * H),
    ];
    let got = open_per_slot(&changes, day, day + 9 * H + H / 4);
    assert_eq!(got[0], Some(1.0));
    assert_eq!(got[16], Some(1.0));
    assert_eq!(
        got[17],
        Some(1.5),
        "08:30–09:00: 1 all along, 2 for half of it"
    );
    assert_eq!(got[18], Some(2.0), "09:00–09:15 so far");
    assert_eq!(got[19], None, "not begun");
    assert_eq!(got.len(), SLOTS_PER_DAY);
}
