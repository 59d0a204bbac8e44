//! `bench-satisfaction`: one province-sized year in SQLite — 1,000 halls with 10 counters
//! each and up to 10 million evaluator ratings — generated in steps (1M, 3M, 10M), and after
//! each step the satisfaction view timed for the province (every hall, by hall) and for one
//! hall (by counter), plus the emotion curve's counts for the province.
//!
//! The ratings are written straight into the tables (no tickets behind them, foreign keys off
//! on the generating connection): this measures reading, which is what the view does; the
//! business-type view, which joins the tickets, is not part of it. Build with `--release`;
//! the figures go to docs/performance.md.

use crate::config;
use crate::prng::SplitMix64;
use crate::{CliError, CliResult};
use clap::Args;
use servicehall_domain::insight::curve::{curve_input, emotion_curve};
use servicehall_domain::insight::{IndexConfig, indices::figures};
use servicehall_store::{GroupBy, InsightScope, InsightStore, SqlStore};
use sqlx::{AssertSqlSafe, Executor};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchSatisfactionArgs {
    /// Directory for the benchmark database (deleted and recreated). 数据目录
    #[arg(long, default_value = "/tmp/servicehall-bench-satisfaction")]
    pub data_dir: PathBuf,
    /// Or as a URL: `sqlite:DIR/servicehall.db` means `--data-dir DIR` (SQLite only: the
    /// ratings are written with SQLite's own bulk settings). 数据库地址
    #[arg(long, conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// Halls in the province. 营业厅数
    #[arg(long, default_value_t = 1000)]
    pub halls: i64,
    /// Total ratings after each step, comma-separated. 每步累计评价数
    #[arg(long, default_value = "1000000,3000000,10000000")]
    pub steps: String,
    /// Stop generating once this many seconds have gone into it (the last step is then
    /// smaller than asked, and the output says so). 生成时间上限（秒）
    #[arg(long, default_value_t = 600)]
    pub max_generate_secs: u64,
}

/// 2025-01-01 00:00 Beijing: the benchmark year.
const YEAR_START: i64 = 1_735_660_800_000;
const YEAR_MS: i64 = 365 * 86_400_000;
const COUNTERS: i64 = 10;
const BATCH: usize = 2_000;

fn err(e: impl std::fmt::Display) -> CliError {
    CliError::failed(format!("bench-satisfaction: {e}"))
}

/// `--database sqlite:DIR/servicehall.db` as `--data-dir DIR` (the directory is recreated, so
/// only the standard file name is taken).
fn with_database(mut args: BenchSatisfactionArgs) -> CliResult<BenchSatisfactionArgs> {
    if let Some(url) = args.database.take() {
        let dir = config::sqlite_path(&url)
            .filter(|p| p.file_name().is_some_and(|n| n == "servicehall.db"))
            .and_then(|p| p.parent().map(std::path::Path::to_path_buf))
            .filter(|d| !d.as_os_str().is_empty())
            .ok_or_else(|| {
                CliError::usage(format!(
                    "bench-satisfaction 只用 SQLite：--database sqlite:DIR/servicehall.db · bench-satisfaction runs on SQLite only: give --database sqlite:DIR/servicehall.db or --data-dir DIR (got {url:?})"
                ))
            })?;
        args.data_dir = dir;
    }
    Ok(args)
}

/// Inserts halls and their counters directly (the store's own setup is checked elsewhere).
async fn seed_halls(store: &SqlStore, halls: i64) -> CliResult<()> {
    let mut conn = store.pool().acquire().await.map_err(err)?;
    conn.execute("BEGIN").await.map_err(err)?;
    for h in 1..=halls {
        conn.execute(AssertSqlSafe(format!(
            "INSERT INTO halls (id, code, name) VALUES ({h}, 'BH-{h:04}', '基准营业厅{h}')"
        )))
        .await
        .map_err(err)?;
        let values: Vec<String> = (1..=COUNTERS)
            .map(|n| format!("({}, {h}, {n})", (h - 1) * COUNTERS + n))
            .collect();
        conn.execute(AssertSqlSafe(format!(
            "INSERT INTO counters (id, hall_id, number) VALUES {}",
            values.join(",")
        )))
        .await
        .map_err(err)?;
    }
    conn.execute("COMMIT").await.map_err(err)?;
    Ok(())
}

/// A level as halls see them: mostly 非常满意, a few bad ones with a reason.
fn rating(rng: &mut SplitMix64) -> (i64, &'static str) {
    let level = rng.weighted(&[0.008, 0.012, 0.04, 0.14, 0.80]) as i64 + 1;
    let reason = match level {
        1 | 2 => [
            "long_wait",
            "attitude",
            "slow",
            "unclear",
            "repeat_trip",
            "environment",
        ][rng.range(0, 5) as usize],
        _ => "",
    };
    (level, reason)
}

/// Adds `count` ratings spread over every hall and the whole year, hall by hall in time
/// order; ticket ids continue from `next_ticket`. Returns the seconds it took, or stops
/// early at `deadline` and says how many it wrote.
async fn generate(
    store: &SqlStore,
    halls: i64,
    count: i64,
    next_ticket: &mut i64,
    rng: &mut SplitMix64,
    deadline: Instant,
) -> CliResult<i64> {
    let mut conn = store.pool().acquire().await.map_err(err)?;
    conn.execute("PRAGMA foreign_keys=OFF").await.map_err(err)?;
    conn.execute("PRAGMA synchronous=OFF").await.map_err(err)?;
    conn.execute("BEGIN").await.map_err(err)?;
    let mut in_tx = true;
    let per_hall = count / halls;
    let mut written = 0;
    let mut rows: Vec<String> = Vec::with_capacity(BATCH);
    'halls: for h in 1..=halls {
        let n = per_hall + i64::from(h <= count % halls);
        let step = YEAR_MS / n.max(1);
        for i in 0..n {
            let at = YEAR_START + i * step + rng.range(0, step.max(1) - 1);
            let counter = (h - 1) * COUNTERS + rng.range(1, COUNTERS);
            let (level, reason) = rating(rng);
            *next_ticket += 1;
            rows.push(format!(
                "({t}, {h}, {counter}, {counter}, {level}, '{reason}', {at})",
                t = *next_ticket
            ));
            if rows.len() == BATCH {
                flush(&mut conn, &mut rows).await?;
            }
            written += 1;
        }
        if h % 50 == 0 {
            flush(&mut conn, &mut rows).await?;
            conn.execute("COMMIT").await.map_err(err)?;
            in_tx = false;
            if Instant::now() > deadline || h == halls {
                break 'halls;
            }
            conn.execute("BEGIN").await.map_err(err)?;
            in_tx = true;
        }
    }
    if in_tx {
        flush(&mut conn, &mut rows).await?;
        conn.execute("COMMIT").await.map_err(err)?;
    }
    conn.execute("PRAGMA foreign_keys=ON").await.map_err(err)?;
    conn.execute("PRAGMA synchronous=FULL").await.map_err(err)?;
    Ok(written)
}

async fn flush(
    conn: &mut sqlx::pool::PoolConnection<sqlx::Any>,
    rows: &mut Vec<String>,
) -> CliResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    conn.execute(AssertSqlSafe(format!(
        "INSERT INTO ratings (ticket_id, hall_id, counter_id, staff_id, level, reasons, at) VALUES {}",
        rows.join(",")
    )))
    .await
    .map_err(err)?;
    rows.clear();
    Ok(())
}

/// The best of three runs of `f`, in milliseconds.
async fn best_of_3<F, Fut>(mut f: F) -> CliResult<f64>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = CliResult<()>>,
{
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        f().await?;
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(best)
}

pub async fn run(args: BenchSatisfactionArgs) -> CliResult<()> {
    let steps: Vec<i64> = args
        .steps
        .split(',')
        .map(|s| s.trim().replace('_', "").parse::<i64>())
        .collect::<Result<_, _>>()
        .map_err(|_| CliError::usage("--steps must be numbers, e.g. 1000000,3000000,10000000"))?;
    if args.halls < 1 || steps.is_empty() || steps.windows(2).any(|w| w[0] >= w[1]) {
        return Err(CliError::usage(
            "--halls must be ≥ 1 and --steps increasing, e.g. 1000000,3000000,10000000",
        ));
    }
    let args = with_database(args)?;
    let _ = std::fs::remove_dir_all(&args.data_dir);
    let (store, _) = config::open_store(&config::sqlite_url_in(&args.data_dir)).await?;
    seed_halls(&store, args.halls).await?;
    let cfg = IndexConfig::default();
    let hall_ids: Vec<i64> = (1..=args.halls).collect();
    let province = InsightScope {
        hall_ids: hall_ids.clone(),
        from: YEAR_START,
        to: YEAR_START + YEAR_MS,
    };
    let one = InsightScope {
        hall_ids: vec![args.halls / 2 + 1],
        ..province.clone()
    };
    // The same year starting and ending mid-day: whole days from the roll-up, the two
    // partial days from the rating rows.
    let ragged = InsightScope {
        hall_ids: hall_ids.clone(),
        from: YEAR_START + 10 * 3_600_000,
        to: YEAR_START + YEAR_MS - 7 * 3_600_000,
    };
    let plan: String = {
        use sqlx::Row;
        let rows = sqlx::query(
            "EXPLAIN QUERY PLAN SELECT r.hall_id, r.level, COUNT(*) FROM ratings r WHERE r.hall_id IN (1, 2) AND r.at >= 0 AND r.at < 1 GROUP BY r.hall_id, r.level",
        )
        .fetch_all(store.pool())
        .await
        .map_err(err)?;
        rows.iter()
            .filter_map(|r| r.try_get::<String, _>("detail").ok())
            .collect::<Vec<_>>()
            .join("; ")
    };
    println!(
        "bench-satisfaction: {} halls × {COUNTERS} counters, SQLite at {}",
        args.halls,
        args.data_dir.display()
    );
    println!("query plan of the count: {plan}");
    println!(
        "{:>11} {:>10} {:>10} | {:>14} {:>14} {:>14} {:>14} {:>8}",
        "ratings",
        "gen s",
        "rows/s",
        "province ms",
        "ragged ms",
        "one hall ms",
        "curve ms",
        "db MB"
    );
    let started = Instant::now();
    let deadline = started + std::time::Duration::from_secs(args.max_generate_secs);
    let mut rng = SplitMix64::new(0xBE5A_7155);
    let (mut total, mut next_ticket, mut gen_secs) = (0i64, 0i64, 0f64);
    for target in steps {
        let t = Instant::now();
        let wrote = generate(
            &store,
            args.halls,
            target - total,
            &mut next_ticket,
            &mut rng,
            deadline,
        )
        .await?;
        let secs = t.elapsed().as_secs_f64();
        gen_secs += secs;
        total += wrote;
        let prov_ms = best_of_3(|| async {
            let c = store.satisfaction_counts(&province, GroupBy::Hall).await?;
            for g in &c.groups {
                std::hint::black_box(figures(&g.levels, &g.recommend, &g.dimensions, &cfg));
            }
            Ok(())
        })
        .await?;
        let ragged_ms = best_of_3(|| async {
            let c = store.satisfaction_counts(&ragged, GroupBy::Hall).await?;
            std::hint::black_box(c.groups.len());
            Ok(())
        })
        .await?;
        let one_ms = best_of_3(|| async {
            let c = store.satisfaction_counts(&one, GroupBy::Counter).await?;
            std::hint::black_box(c.groups.len());
            Ok(())
        })
        .await?;
        let curve_ms = best_of_3(|| async {
            let c = store.curve_counts(&province).await?;
            std::hint::black_box(emotion_curve(&curve_input(&c.sources), &cfg, 2));
            Ok(())
        })
        .await?;
        let mb = ["servicehall.db", "servicehall.db-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(args.data_dir.join(f)).ok())
            .map(|m| m.len() as f64 / 1e6)
            .sum::<f64>();
        println!(
            "{total:>11} {secs:>10.1} {:>10.0} | {prov_ms:>14.1} {ragged_ms:>14.1} {one_ms:>14.2} {curve_ms:>14.1} {mb:>8.0}",
            wrote as f64 / secs.max(1e-9)
        );
        if total < target {
            println!(
                "stopped generating after {:.0} s (--max-generate-secs): {total} of {target} ratings",
                gen_secs
            );
            break;
        }
    }
    println!("generated {total} ratings in {gen_secs:.1} s in all (roll-up kept by the triggers)");
    let t = Instant::now();
    let rows = store.rebuild_rating_days().await?;
    println!(
        "rollup-rebuild from the ratings: {rows} day rows in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
