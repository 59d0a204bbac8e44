//! `bench-handling`: a hall's first wait estimate of a day at a very long day, before and
//! after the kept handling sums. Seeds `--tickets` finished visits (called → serving →
//! finished, four business types) with a few SQL statements, sums the kept rows once from
//! them (what finishes keep up one by one in service), then times in the same run:
//! - before: the full read of the day's handling times (every closed ticket's spells);
//! - after: the kept rows plus the tickets on hold (what the estimates read now).

use crate::{CliError, CliResult, config};
use clap::Args;
use servicehall_domain::CallingPolicy;
use servicehall_domain::queue::estimate::HandlingSample;
use servicehall_domain::time::service_day;
use servicehall_store::{BusinessTypeInput, HallInput, HallStore, QueueStore, SqlStore};
use std::collections::HashMap;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchHandlingArgs {
    /// Finished visits in the hall's day. 当日已办结人数
    #[arg(long, default_value_t = 500_000)]
    pub tickets: i64,
    /// Reads timed on each side. 读取次数
    #[arg(long, default_value_t = 3)]
    pub reads: usize,
    /// Database: `sqlite:PATH` (recreated) or a `postgres://…` URL of an empty database.
    /// [default: sqlite:./data/bench-handling/servicehall.db]
    #[arg(long, conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// A data directory; means `--database sqlite:DIR/servicehall.db` (recreated). 数据目录
    #[arg(long)]
    pub data_dir: Option<std::path::PathBuf>,
}

/// Monday 2026-03-02 09:00 +08:00.
const T0: i64 = 1_772_413_200_000;

fn db(e: sqlx::Error) -> CliError {
    CliError::failed(format!("写入压测数据失败：{e} · seeding tickets: {e}"))
}

/// One hall, four business types, `n` finished visits of 1–10 minutes' handling.
async fn seed(s: &SqlStore, n: i64) -> CliResult<(i64, String)> {
    let hall = s
        .create_hall(&HallInput {
            code: "BENCH".into(),
            name: "压测营业厅".into(),
            name_en: "Bench hall".into(),
            address: "127.0.0.1".into(),
            phone: "95598".into(),
            timezone: "Asia/Shanghai".into(),
            opens: "00:00".into(),
            closes: "23:59".into(),
            policy: CallingPolicy::default(),
        })
        .await?;
    let mut ids = Vec::new();
    for (i, prefix) in ["A", "B", "C", "D"].into_iter().enumerate() {
        let bt = s
            .create_business_type(
                hall.id,
                &BusinessTypeInput {
                    code: format!("t{prefix}"),
                    name_zh: format!("业务{prefix}"),
                    name_en: format!("type {prefix}"),
                    prefix: prefix.into(),
                    target_wait_s: 900,
                    target_handling_s: 300,
                    is_payment: false,
                    sort_order: i as i64,
                    active: true,
                },
            )
            .await?;
        ids.push(bt.id);
    }
    let day = service_day(T0, chrono_tz::Asia::Shanghai).to_string();
    let tickets = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n})
         INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code,
           priority, channel, state, queued_since, issued_at, updated_at)
         SELECT {hall}, CASE i % 4 WHEN 0 THEN {a} WHEN 1 THEN {b} WHEN 2 THEN {c} ELSE {d} END,
           '{day}', 'X', i, 'X' || i, 'bench-' || i, 'normal', 'kiosk', 'finished',
           {T0} + i, {T0} + i, {T0} + i
         FROM n",
        hall = hall.id,
        a = ids[0],
        b = ids[1],
        c = ids[2],
        d = ids[3],
    );
    let mut tx = s.pool().begin().await.map_err(db)?;
    sqlx::query(sqlx::AssertSqlSafe(tickets))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    // Each ticket's log in id order: called, serving a minute later, finished 1–10 min after.
    for (state, action, offset) in [
        ("called", "call", "0"),
        ("serving", "start", "60000"),
        ("finished", "finish", "60000 + 60000 * (1 + id % 10)"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO ticket_events (ticket_id, state, action, at)
             SELECT id, '{state}', '{action}', issued_at + {offset} FROM tickets WHERE hall_id = {}
             ORDER BY id",
            hall.id
        )))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    }
    tx.commit().await.map_err(db)?;
    sqlx::query("ANALYZE").execute(s.pool()).await.map_err(db)?;
    Ok((hall.id, day))
}

fn per_type(rows: impl Iterator<Item = (i64, HandlingSample)>) -> HashMap<i64, HandlingSample> {
    let mut m: HashMap<i64, HandlingSample> = HashMap::new();
    for (bt, s) in rows {
        let e = m.entry(bt).or_default();
        e.total_ms += s.total_ms;
        e.visits += s.visits;
    }
    m
}

use crate::bench::fresh::median;

pub async fn run(args: BenchHandlingArgs) -> CliResult<()> {
    if !(1..=5_000_000).contains(&args.tickets) || args.reads == 0 {
        return Err(CliError::usage(
            "--tickets 必须在 1–5000000 之间，--reads 至少 1 · --tickets must be 1–5000000 and --reads at least 1",
        ));
    }
    let url = crate::bench::fresh::bench_url(
        args.database.as_deref(),
        args.data_dir.as_ref(),
        "bench-handling",
        false,
    )?;
    let (s, _) = config::open_store(&url).await?;
    let t = Instant::now();
    let (hall, day) = seed(&s, args.tickets).await?;
    println!(
        "{} finished visits seeded in {:.1} s on {:?}",
        args.tickets,
        t.elapsed().as_secs_f64(),
        s.backend()
    );
    let t = Instant::now();
    s.rebuild_handling_sums(hall, &day).await?;
    let rebuilt = t.elapsed().as_secs_f64();

    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut full = HashMap::new();
    for _ in 0..args.reads {
        let t = Instant::now();
        let read = s.day_handling(hall, &day, None).await?;
        before.push(t.elapsed().as_secs_f64() * 1000.0);
        full = per_type(read.closed.iter().map(|t| {
            let mut one = HandlingSample::default();
            one.add(t.handling_ms);
            (t.business_type_id, one)
        }));
    }
    let mut kept = HashMap::new();
    for _ in 0..args.reads {
        let t = Instant::now();
        let read = s.kept_handling(hall, &day).await?;
        after.push(t.elapsed().as_secs_f64() * 1000.0);
        kept = per_type(read.sums.iter().map(|r| {
            (
                r.business_type_id,
                HandlingSample {
                    total_ms: r.total_ms,
                    visits: r.visits,
                },
            )
        }));
    }
    let same = full == kept;
    println!(
        "first read of the day's handling times at {} tickets (median of {}):",
        args.tickets, args.reads
    );
    println!(
        "  before: the full read of every closed ticket   {:>10.1} ms",
        median(before)
    );
    println!(
        "  after:  the kept sums and the tickets on hold  {:>10.3} ms",
        median(after)
    );
    println!("  (one rebuild of the kept rows from the tickets: {rebuilt:.1} s)");
    println!(
        "kept sums equal the full read: {}",
        if same { "yes ✓" } else { "NO ✗" }
    );
    if same {
        Ok(())
    } else {
        Err(CliError::failed(
            "保留的办理时长与全量读取不一致 · the kept sums differ from the full read",
        ))
    }
}
