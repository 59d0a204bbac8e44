//! `bench-calendar`: deadline arithmetic on one core, and the overdue scan over a million
//! open cases held in memory. Build with `--release`; the figures go to docs/performance.md.

use crate::CliResult;
use crate::prng::SplitMix64;
use clap::Args;
use servicehall_domain::calendar::{Calendar, Period};
use std::hint::black_box;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchCalendarArgs {
    /// Deadlines computed per measured kind. 每类计算次数
    #[arg(long, default_value_t = 2_000_000)]
    pub deadlines: usize,
    /// Open cases held in memory for the overdue scan. 在办工单数
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: usize,
}

/// A named way to draw a random time limit.
type Kind = (&'static str, fn(&mut SplitMix64) -> Period);

/// One open case as the overdue scan sees it.
struct OpenCase {
    id: u64,
    deadline_ms: i64,
}

/// 2019-07-01 to 2027-06-30 (Beijing), so answers reach both covered and uncovered years.
fn instants(n: usize, rng: &mut SplitMix64) -> Vec<i64> {
    const START: i64 = 1_561_910_400_000;
    (0..n)
        .map(|_| START + rng.range(0, 8 * 365 * 1440) * 60_000)
        .collect()
}

fn rate(n: usize, secs: f64) -> f64 {
    n as f64 / secs
}

fn measure(cal: &Calendar, from: &[i64], periods: &[Period]) -> f64 {
    let t = Instant::now();
    let mut sum = 0i64;
    for (f, p) in from.iter().zip(periods) {
        if let Ok(d) = cal.deadline(black_box(*f), black_box(*p)) {
            sum = sum.wrapping_add(d.value);
        }
    }
    black_box(sum);
    rate(from.len(), t.elapsed().as_secs_f64())
}

pub fn run(args: BenchCalendarArgs) -> CliResult<()> {
    let cal = Calendar::china();
    let mut rng = SplitMix64::new(2026);
    let n = args.deadlines.max(1);
    let from = instants(n, &mut rng);
    println!("calendar bench: one thread, {n} deadlines per kind, built-in calendar 2020–2026");
    let kinds: [Kind; 4] = [
        ("working days (1–30)", |r| {
            Period::WorkingDays(r.range(1, 30) as u32)
        }),
        ("working hours (1 min–200 h)", |r| {
            Period::WorkingHours(r.range(1, 200 * 60) * 60_000)
        }),
        ("calendar days (1–60)", |r| {
            Period::CalendarDays(r.range(1, 60) as u32)
        }),
        ("hours (1–72)", |r| {
            Period::Hours(r.range(1, 72) * 3_600_000)
        }),
    ];
    let mut mixed = Vec::with_capacity(n);
    for (name, make) in kinds {
        let periods: Vec<Period> = (0..n).map(|_| make(&mut rng)).collect();
        mixed.extend(periods.iter().take(n / 4).copied());
        println!(
            "  {name:<30} {:>12.0} deadlines/s",
            measure(cal, &from, &periods)
        );
    }
    while mixed.len() < n {
        mixed.push(Period::WorkingDays(5));
    }
    let per_s = measure(cal, &from, &mixed);
    let ok = if per_s >= 1_000_000.0 {
        "ok"
    } else {
        "BELOW TARGET"
    };
    println!(
        "  {:<30} {per_s:>12.0} deadlines/s  (target ≥ 1,000,000: {ok})",
        "mixed"
    );

    // Overdue scan: a million open cases with deadlines around "now".
    let now = 1_772_000_000_000; // 2026-02-25 (Beijing)
    let cases: Vec<OpenCase> = (0..args.cases)
        .map(|i| OpenCase {
            id: i as u64,
            deadline_ms: now + rng.range(-30 * 86_400, 30 * 86_400) * 1000,
        })
        .collect();
    let t = Instant::now();
    let overdue: Vec<u64> = cases
        .iter()
        .filter(|c| c.deadline_ms < black_box(now))
        .map(|c| c.id)
        .collect();
    let scan = t.elapsed();
    let t = Instant::now();
    let mut behind = 0usize;
    for c in &cases {
        if let Ok(left) = cal.working_time_between(black_box(now), c.deadline_ms)
            && left.value < 0
        {
            behind += 1;
        }
    }
    let left_scan = t.elapsed();
    let ok = if scan.as_secs_f64() < 1.0 {
        "ok"
    } else {
        "ABOVE TARGET"
    };
    println!(
        "  overdue scan over {} open cases: {} overdue in {:.1} ms (target < 1 s: {ok})",
        cases.len(),
        overdue.len(),
        scan.as_secs_f64() * 1000.0
    );
    println!(
        "  working time left for every open case: {behind} behind in {:.1} ms",
        left_scan.as_secs_f64() * 1000.0
    );
    Ok(())
}
