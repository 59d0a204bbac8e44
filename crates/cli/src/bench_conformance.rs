//! `bench-conformance`: the conformance page's figures for one hall over a year, read from
//! the kept daily figures (`assessment_days`) and counted naively from the logs, in the same
//! run, with the ratio. Visits (tickets with their waiting, called, serving and finished
//! events) and pad ratings are written straight into SQLite for `--halls` halls over 365
//! days; the kept figures are then built by the rebuild and proved by its check.
//!
//! Scaling: the kept read for a hall's year touches at most days × indicators rows of that
//! hall (365 × 12), whatever the visits; the naive scan reads every event of the hall's year,
//! so it grows with the visits. A province-year of 100M visits over 1,000 halls is 100k
//! visits per hall: give `--visits-per-day 275` to get that per hall.

use crate::config;
use crate::prng::SplitMix64;
use crate::{CliError, CliResult};
use clap::Args;
use servicehall_store::{AssessmentStore, SqlStore};
use sqlx::{AssertSqlSafe, Executor};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchConformanceArgs {
    /// Directory for the benchmark database (deleted and recreated). 数据目录
    #[arg(long, default_value = "/tmp/servicehall-bench-conformance")]
    pub data_dir: PathBuf,
    /// Halls. 营业厅数
    #[arg(long, default_value_t = 10)]
    pub halls: i64,
    /// Visits per hall and day. 每厅每日来访人次
    #[arg(long, default_value_t = 150)]
    pub visits_per_day: i64,
}

/// 2025-01-01 00:00 Beijing: the benchmark year.
const YEAR_START: i64 = 1_735_660_800_000;
const DAY_MS: i64 = 86_400_000;
const MIN: i64 = 60_000;

fn err(e: impl std::fmt::Display) -> CliError {
    CliError::failed(format!(
        "标准达标页性能测试失败 · bench-conformance failed: {e}"
    ))
}

async fn exec(conn: &mut sqlx::pool::PoolConnection<sqlx::Any>, sql: String) -> CliResult<()> {
    conn.execute(AssertSqlSafe(sql)).await.map_err(err)?;
    Ok(())
}

/// Writes the halls and a year of visits; returns how many visits.
async fn generate(store: &SqlStore, args: &BenchConformanceArgs) -> CliResult<i64> {
    let mut conn = store.pool().acquire().await.map_err(err)?;
    exec(&mut conn, "PRAGMA foreign_keys=OFF".into()).await?;
    exec(&mut conn, "PRAGMA synchronous=OFF".into()).await?;
    let mut rng = SplitMix64::new(0xC0F0_2028);
    let (mut id, mut ev) = (0i64, 0i64);
    for h in 1..=args.halls {
        exec(
            &mut conn,
            format!(
                "INSERT INTO halls (id, code, name) VALUES ({h}, 'BH-{h:04}', '基准营业厅{h}')"
            ),
        )
        .await?;
        exec(&mut conn, "BEGIN".into()).await?;
        for d in 0..365 {
            let day0 = YEAR_START + d * DAY_MS + 9 * 3_600_000;
            let date =
                servicehall_domain::assessment::day_date((YEAR_START + 8 * 3_600_000) / DAY_MS + d);
            let (mut tickets, mut events, mut ratings) = (Vec::new(), Vec::new(), Vec::new());
            for n in 1..=args.visits_per_day {
                id += 1;
                let issued = day0 + n * 8 * 3_600_000 / args.visits_per_day;
                let wait = rng.range(1, 30) * MIN;
                let handle = rng.range(2, 15) * MIN;
                let no_show = rng.chance(0.04);
                let state = if no_show { "no_show" } else { "finished" };
                tickets.push(format!(
                    "({id}, {h}, 1, '{date}', 'A', {n}, 'A{n:03}', 'b{id}', 'normal', 'kiosk', '{state}', {issued}, {issued}, {})",
                    issued + wait + handle
                ));
                let mut push = |state: &str, at: i64| {
                    ev += 1;
                    events.push(format!("({ev}, {id}, '{state}', '{state}', {at})"));
                };
                push("waiting", issued);
                push("called", issued + wait);
                if !no_show {
                    push("serving", issued + wait + MIN / 2);
                    push("finished", issued + wait + handle);
                    if rng.chance(0.3) {
                        let level = rng.weighted(&[0.01, 0.01, 0.04, 0.14, 0.80]) as i64 + 1;
                        ratings.push(format!(
                            "({id}, {h}, 1, {level}, {})",
                            issued + wait + handle + 5_000
                        ));
                    }
                }
            }
            exec(&mut conn, format!("INSERT INTO tickets (id, hall_id, business_type_id, service_day, prefix, seq_no, number, code, priority, channel, state, queued_since, issued_at, updated_at) VALUES {}", tickets.join(","))).await?;
            exec(
                &mut conn,
                format!(
                    "INSERT INTO ticket_events (id, ticket_id, state, action, at) VALUES {}",
                    events.join(",")
                ),
            )
            .await?;
            if !ratings.is_empty() {
                exec(
                    &mut conn,
                    format!(
                        "INSERT INTO ratings (ticket_id, hall_id, counter_id, level, at) VALUES {}",
                        ratings.join(",")
                    ),
                )
                .await?;
            }
        }
        exec(&mut conn, "COMMIT".into()).await?;
    }
    exec(&mut conn, "PRAGMA foreign_keys=ON".into()).await?;
    exec(&mut conn, "PRAGMA synchronous=FULL".into()).await?;
    Ok(id)
}

/// The best of five runs of `f`, in milliseconds.
async fn best_of_5<F, Fut>(mut f: F) -> CliResult<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = CliResult<usize>>,
{
    let mut best = f64::MAX;
    for _ in 0..5 {
        let t = Instant::now();
        f().await?;
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(best)
}

pub async fn run(args: BenchConformanceArgs) -> CliResult<()> {
    if args.halls < 1 || args.visits_per_day < 1 {
        return Err(CliError::usage(
            "营业厅数与每日来访人次须至少为 1 · --halls and --visits-per-day must be ≥ 1",
        ));
    }
    let _ = std::fs::remove_dir_all(&args.data_dir);
    let (store, _) = config::open_store(&config::sqlite_url_in(&args.data_dir)).await?;
    let t = Instant::now();
    let visits = generate(&store, &args).await?;
    println!(
        "bench-conformance: {} halls × 365 days × {} visits = {visits} visits, written in {:.1} s (SQLite at {})",
        args.halls,
        args.visits_per_day,
        t.elapsed().as_secs_f64(),
        args.data_dir.display()
    );
    let now = YEAR_START + 365 * DAY_MS;
    let t = Instant::now();
    let built = store.rebuild_assessment(false, now).await.map_err(err)?;
    println!(
        "rebuilt the kept figures: {} rows in {:.1} s",
        built.rows,
        t.elapsed().as_secs_f64()
    );
    let checked = store.rebuild_assessment(true, now).await.map_err(err)?;
    println!(
        "check: kept = recount ({} differences)",
        checked.differences
    );
    if checked.differences > 0 {
        return Err(err(
            "指标日汇总与重算不一致 · the kept figures differ from the recount",
        ));
    }
    let hall = [args.halls / 2 + 1];
    let d0 = (YEAR_START + 8 * 3_600_000) / DAY_MS;
    let kept_ms = best_of_5(|| async {
        // What the page does: keep up, then read twelve months.
        store.refresh_assessment(&hall, now).await.map_err(err)?;
        let rows = store
            .assessment_months(&hall, 202501, 202512)
            .await
            .map_err(err)?;
        Ok(rows.len())
    })
    .await?;
    let naive_ms = best_of_5(|| async {
        let rows = store
            .assessment_months_from_logs(&hall, d0, d0 + 365, now)
            .await
            .map_err(err)?;
        Ok(rows.len())
    })
    .await?;
    let a = store
        .assessment_months(&hall, 202501, 202512)
        .await
        .map_err(err)?;
    let b = store
        .assessment_months_from_logs(&hall, d0, d0 + 365, now)
        .await
        .map_err(err)?;
    println!(
        "one hall's year ({} visits): kept {kept_ms:.1} ms · naive scan {naive_ms:.1} ms · ratio {:.1}× · same figures: {}",
        visits / args.halls,
        naive_ms / kept_ms.max(0.001),
        a == b
    );
    Ok(())
}
