//! `bench-call-next`: call-next at a very long queue, before and after reading candidates by
//! index. Seeds `--waiting` waiting tickets of four business types (every twentieth green,
//! a few sent to the counter by name) with one SQL statement, then times in the same run:
//! - before: reading every waiting ticket of the day and ranking them all (what call-next
//!   did under the writer lock);
//! - after: `call_next` through the store (candidates by index, then the call, its log and
//!   its event, committed), each followed by a no-show that frees the counter.

use crate::{CliError, CliResult, config};
use clap::Args;
use servicehall_domain::queue::policy::{CounterCapability, WaitingTicket, rank_for_counter};
use servicehall_domain::time::service_day;
use servicehall_domain::{CallingPolicy, Role};
use servicehall_store::{
    BusinessTypeInput, CounterInput, CounterStore, HallInput, HallStore, Operator, QueueStore,
    SqlStore, StaffInput, TicketCommand,
};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchCallNextArgs {
    /// Waiting tickets in the hall's queue. 排队人数
    #[arg(long, default_value_t = 500_000)]
    pub waiting: i64,
    /// Calls timed on each side. 叫号次数
    #[arg(long, default_value_t = 20)]
    pub calls: usize,
    /// Database: `sqlite:PATH` (recreated) or a `postgres://…` URL of an empty database.
    /// [default: sqlite:./data/bench-call-next/servicehall.db]
    #[arg(long, conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// A data directory; means `--database sqlite:DIR/servicehall.db` (recreated). 数据目录
    #[arg(long)]
    pub data_dir: Option<std::path::PathBuf>,
}

/// Monday 2026-03-02 09:00 +08:00.
const T0: i64 = 1_772_413_200_000;

struct Hall {
    id: i64,
    counter: CounterCapability,
    clerk: i64,
    targets: HashMap<i64, i64>,
}

async fn seed(s: &SqlStore, waiting: i64) -> CliResult<Hall> {
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
    let mut types = Vec::new();
    for (i, (code, prefix)) in [("pay", "A"), ("new", "B"), ("change", "C"), ("ask", "D")]
        .into_iter()
        .enumerate()
    {
        let bt = s
            .create_business_type(
                hall.id,
                &BusinessTypeInput {
                    code: code.into(),
                    name_zh: format!("业务{prefix}"),
                    name_en: code.into(),
                    prefix: prefix.into(),
                    target_wait_s: 900,
                    target_handling_s: 300,
                    is_payment: false,
                    sort_order: i as i64,
                    active: true,
                },
            )
            .await?;
        types.push(bt);
    }
    let counter = s
        .create_counter(
            hall.id,
            &CounterInput {
                number: 1,
                primary: vec![types[0].id, types[1].id],
                secondary: vec![types[2].id, types[3].id],
            },
        )
        .await?;
    let clerk = s
        .create_staff(
            &StaffInput {
                hall_id: Some(hall.id),
                username: "bench".into(),
                name: "压测".into(),
                badge_no: "B001".into(),
                role: Role::Clerk,
                photo: String::new(),
                active: true,
            },
            "x",
        )
        .await?;
    s.open_counter(counter.id, clerk.id, T0).await?;
    let day = service_day(T0, chrono_tz::Asia::Shanghai).to_string();
    let ids: Vec<i64> = types.iter().map(|b| b.id).collect();
    // Ticket i: type i % 4, issued i ms apart (so the oldest are long overdue), every
    // twentieth green, every ten-thousandth sent to the counter by name.
    let insert = format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {waiting})
         INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code,
           priority, channel, state, queued_since, issued_at, target_counter_id, updated_at)
         SELECT {hall}, CASE i % 4 WHEN 0 THEN {a} WHEN 1 THEN {b} WHEN 2 THEN {c} ELSE {d} END,
           '{day}', 'X', i, 'X' || i, 'bench-' || i,
           CASE WHEN i % 20 = 0 THEN 'green' ELSE 'normal' END, 'kiosk', 'waiting',
           {t0} - {waiting} + i, {t0} - {waiting} + i,
           CASE WHEN i % 10000 = 0 THEN {counter} ELSE NULL END, {t0}
         FROM n",
        hall = hall.id,
        a = ids[0],
        b = ids[1],
        c = ids[2],
        d = ids[3],
        t0 = T0,
        counter = counter.id,
    );
    let db =
        |e: sqlx::Error| CliError::failed(format!("写入排队数据失败：{e} · seeding tickets: {e}"));
    // One statement: both databases' depth triggers count the tickets as they go in
    // (PostgreSQL's once for the statement).
    let mut tx = s.pool().begin().await.map_err(db)?;
    sqlx::query(sqlx::AssertSqlSafe(insert))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    sqlx::query("ANALYZE").execute(s.pool()).await.map_err(db)?;
    Ok(Hall {
        id: hall.id,
        counter: CounterCapability {
            counter_id: counter.id,
            primary: vec![ids[0], ids[1]],
            secondary: vec![ids[2], ids[3]],
        },
        clerk: clerk.id,
        targets: types.iter().map(|b| (b.id, 900_000)).collect(),
    })
}

/// What call-next did before: every waiting ticket of the day read and ranked.
async fn rank_whole_queue(
    s: &SqlStore,
    h: &Hall,
    day: &str,
    now: i64,
    taken: &HashSet<i64>,
) -> CliResult<Option<i64>> {
    let rows = sqlx::query(
        "SELECT id, business_type_id, priority, queued_since, target_counter_id FROM tickets
         WHERE hall_id = $1 AND service_day = $2 AND state = 'waiting'",
    )
    .bind(h.id)
    .bind(day)
    .fetch_all(s.pool())
    .await
    .map_err(|e| CliError::failed(format!("读取排队失败：{e} · reading the queue: {e}")))?;
    let waiting: Vec<WaitingTicket> = rows
        .iter()
        .map(|r| WaitingTicket {
            id: r.get("id"),
            business_type_id: r.get("business_type_id"),
            green: r.get::<String, _>("priority") == "green",
            queued_since_ms: r.get("queued_since"),
            target_counter_id: r.get("target_counter_id"),
            booked: false,
        })
        .filter(|t| !taken.contains(&t.id))
        .collect();
    let policy = CallingPolicy::default();
    Ok(
        rank_for_counter(&policy, &h.counter, &waiting, &h.targets, now)
            .first()
            .map(|t| t.id),
    )
}

use crate::bench::fresh::median;

pub async fn run(args: BenchCallNextArgs) -> CliResult<()> {
    if !(1..=5_000_000).contains(&args.waiting) || args.calls == 0 {
        return Err(CliError::usage(
            "--waiting 必须在 1–5000000 之间，--calls 至少 1 · --waiting must be 1–5000000 and --calls at least 1",
        ));
    }
    let url = crate::bench::fresh::bench_url(
        args.database.as_deref(),
        args.data_dir.as_ref(),
        "bench-call-next",
        false,
    )?;
    let (s, _) = config::open_store(&url).await?;
    let t = Instant::now();
    let h = seed(&s, args.waiting).await?;
    let day = service_day(T0, chrono_tz::Asia::Shanghai).to_string();
    println!(
        "{} waiting tickets seeded in {:.1} s on {:?}",
        args.waiting,
        t.elapsed().as_secs_f64(),
        s.backend()
    );
    // Two phases, so that one side's reads do not sit in the other's caches: first the whole
    // queue read and ranked per call (leaving out the tickets the earlier calls will take),
    // then the real calls, each checked against that ranking.
    let mut before = Vec::new();
    let mut expected = Vec::new();
    let mut taken = HashSet::new();
    for k in 0..args.calls {
        let t = Instant::now();
        let pick = rank_whole_queue(&s, &h, &day, T0 + 1_000 * k as i64, &taken).await?;
        before.push(t.elapsed().as_secs_f64() * 1000.0);
        taken.extend(pick);
        expected.push(pick);
    }
    let mut after = Vec::new();
    let by = Operator {
        staff_id: Some(h.clerk),
        counter_id: Some(h.counter.counter_id),
    };
    for (k, expected) in expected.into_iter().enumerate() {
        let now = T0 + 1_000 * k as i64;
        let t = Instant::now();
        let called = s
            .call_next(h.counter.counter_id, Some(h.clerk), now)
            .await?;
        after.push(t.elapsed().as_secs_f64() * 1000.0);
        let got = called.as_ref().map(|t| t.id);
        if got != expected {
            return Err(CliError::failed(format!(
                "叫号结果与全队列排序不一致 · call {k} called {got:?}, ranking the whole queue gives {expected:?}"
            )));
        }
        if let Some(t) = called {
            s.act_on_ticket(t.id, &TicketCommand::NoShow, by, now + 1)
                .await?;
        }
    }
    let (b, a) = (median(before), median(after));
    println!(
        "before — read and rank the whole queue: {b:.1} ms (median of {})",
        args.calls
    );
    println!(
        "after  — call_next (candidates by index, committed): {a:.2} ms (median of {})",
        args.calls
    );
    println!(
        "ratio  — {:.0}× faster; every call picked the ticket the whole ranking picks",
        b / a.max(0.001)
    );
    Ok(())
}
