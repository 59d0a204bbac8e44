//! `bench-case-scan`: the warning scan over many open cases, before and after the warning
//! index. Seeds a few hundred real cases through the store (opened over two weeks, some
//! paused), copies them with SQL up to `--cases` open cases, then times:
//! - rebuilding every open case's clocks from its log (what the scan did before the index:
//!   load all open cases, evaluate every clock), via the "all open" list which does the same;
//! - the indexed scan: a catch-up pass (the first scan, recording every warning due so far),
//!   then steady passes a few minutes apart, which read only the clocks whose next warning
//!   has come.

use crate::{CliError, CliResult, config};
use clap::Args;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_domain::{CallingPolicy, Role};
use servicehall_store::{
    BusinessTypeInput, CaseList, CaseStore, HallInput, HallStore, OpenCase, SqlStore, StaffInput,
};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BenchCaseScanArgs {
    /// Open cases to scan. 在办工单数
    #[arg(long, default_value_t = 100_000)]
    pub cases: i64,
    /// Cases opened through the store before copying. 种子工单数
    #[arg(long, default_value_t = 400)]
    pub seed: i64,
    /// Database: `sqlite:PATH` (recreated) or a `postgres://…` URL of an empty database.
    /// [default: sqlite:./data/bench-case-scan/servicehall.db]
    #[arg(long, conflicts_with = "data_dir")]
    pub database: Option<String>,
    /// A data directory; means `--database sqlite:DIR/servicehall.db` (recreated). 数据目录
    #[arg(long)]
    pub data_dir: Option<std::path::PathBuf>,
}

impl BenchCaseScanArgs {
    fn url(&self) -> String {
        match (&self.database, &self.data_dir) {
            (Some(url), _) => url.clone(),
            (None, Some(dir)) => config::sqlite_url_in(dir),
            (None, None) => "sqlite:./data/bench-case-scan/servicehall.db".into(),
        }
    }
}

/// Monday 2026-03-02 09:00 +08:00.
const T0: i64 = 1_772_413_200_000;
const MIN: i64 = 60_000;

async fn seed(s: &SqlStore, n: i64) -> CliResult<(i64, i64)> {
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
    let bt = s
        .create_business_type(
            hall.id,
            &BusinessTypeInput {
                code: "new_connection".into(),
                name_zh: "新装".into(),
                name_en: "New connection".into(),
                prefix: "B".into(),
                target_wait_s: 3600,
                target_handling_s: 300,
                is_payment: false,
                sort_order: 0,
                active: true,
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
    let classes = CustomerClass::ALL;
    for i in 0..n {
        let at = T0 + i * 47 * MIN;
        let (kind, bt_id) = if i % 3 == 0 {
            (CaseKind::Complaint, None)
        } else {
            (CaseKind::Application, Some(bt.id))
        };
        let d = s
            .open_case(
                &OpenCase {
                    hall_id: hall.id,
                    kind,
                    business_type_id: bt_id,
                    customer_class: classes[(i % 4) as usize],
                    customer_name: format!("客户{i}"),
                    customer_phone: format!("1380000{i:04}"),
                    account_no: String::new(),
                    summary: String::new(),
                    ticket_id: None,
                    by: clerk.id,
                },
                at,
            )
            .await?;
        if i % 5 == 0 {
            let key = d.clocks[0].key.clone();
            s.pause_clock(d.case.id, &key, "等待客户补充资料", clerk.id, at + 30 * MIN)
                .await?;
        }
    }
    Ok((hall.id, T0 + n * 47 * MIN))
}

/// Copies the seeded cases (ids 1..=seed) `copies` times with SQL, ids shifted per copy.
async fn multiply(s: &SqlStore, seed: i64, copies: i64) -> CliResult<()> {
    const SHIFT: i64 = 1_000_000;
    let db = |e: sqlx::Error| CliError::failed(format!("copying cases: {e}"));
    for k in 1..=copies {
        let off = k * SHIFT;
        let stmts = [
            format!(
                "INSERT INTO cases (id, hall_id, number, kind, business_type_id, customer_class, customer_name, customer_phone, account_no, summary, ticket_id, owner_id, first_inquiry_owner_id, handover_to, status, created_at, closed_at, clock_policy) SELECT id + {off}, hall_id, number || '-{k}', kind, business_type_id, customer_class, customer_name, customer_phone, account_no, summary, ticket_id, owner_id, first_inquiry_owner_id, handover_to, status, created_at, closed_at, clock_policy FROM cases WHERE id <= {seed}"
            ),
            format!(
                "INSERT INTO case_steps (case_id, position, code, name_zh, name_en, completed_at, completed_by) SELECT case_id + {off}, position, code, name_zh, name_en, completed_at, completed_by FROM case_steps WHERE case_id <= {seed}"
            ),
            format!(
                "INSERT INTO case_clocks (case_id, clock_key, step_code, code, limit_kind, unit, amount, starts, source, state, deadline_at, warn_owner_at, warn_manager_at, warn_breach_at, next_warn_at, warn_indexed) SELECT case_id + {off}, clock_key, step_code, code, limit_kind, unit, amount, starts, source, state, deadline_at, warn_owner_at, warn_manager_at, warn_breach_at, next_warn_at, warn_indexed FROM case_clocks WHERE case_id <= {seed}"
            ),
            format!(
                "INSERT INTO case_events (id, case_id, kind, at, actor_id, step_code, clock_key, target_id, note, data) SELECT id + {off} * 10, case_id + {off}, kind, at, actor_id, step_code, clock_key, target_id, note, data FROM case_events WHERE case_id <= {seed}"
            ),
        ];
        let mut tx = s.pool().begin().await.map_err(db)?;
        for q in stmts {
            sqlx::query(sqlx::AssertSqlSafe(q))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
    }
    sqlx::query("ANALYZE").execute(s.pool()).await.map_err(db)?;
    Ok(())
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

pub async fn run(args: BenchCaseScanArgs) -> CliResult<()> {
    if args.seed < 1 || args.seed > 100_000 || args.cases < args.seed {
        return Err(CliError::usage(
            "--seed must be 1–100000 and --cases at least --seed",
        ));
    }
    let url = args.url();
    if let Some(path) = url.strip_prefix("sqlite:") {
        let _ = std::fs::remove_file(path);
        let _ = std::fs::remove_file(format!("{path}-wal"));
        let _ = std::fs::remove_file(format!("{path}-shm"));
    }
    let (s, _) = config::open_store(&url).await?;
    let started = Instant::now();
    let (hall, end) = seed(&s, args.seed).await?;
    let copies = (args.cases + args.seed - 1) / args.seed - 1;
    multiply(&s, args.seed, copies).await?;
    let open = args.seed * (copies + 1);
    println!(
        "{open} open cases ({} seeded through the store, {copies} SQL copies) in {:.1} s on {:?}",
        args.seed,
        started.elapsed().as_secs_f64(),
        s.backend()
    );
    let now = end + 10 * MIN;
    let t = Instant::now();
    let all = s.cases(hall, CaseList::Open, now).await?;
    println!(
        "before — rebuild every open case's clocks from its log: {:.0} ms ({} cases)",
        ms(t),
        all.len()
    );
    drop(all);
    let t = Instant::now();
    let w = s.scan_warnings(Some(hall), now).await?;
    println!(
        "after  — first (catch-up) scan: {:.0} ms, {} warnings recorded",
        ms(t),
        w.len()
    );
    for step in 1..=3 {
        let at = now + step * 10 * MIN;
        let t = Instant::now();
        let w = s.scan_warnings(Some(hall), at).await?;
        let cases: std::collections::HashSet<i64> = w.iter().map(|x| x.case_id).collect();
        println!(
            "after  — scan {step} (+{} min): {:.1} ms, {} warnings on {} cases",
            step * 10,
            ms(t),
            w.len(),
            cases.len()
        );
    }
    let t = Instant::now();
    let w = s.scan_warnings(Some(hall), now + 30 * MIN).await?;
    println!(
        "after  — repeat at the same instant (nothing new): {:.1} ms, {} warnings",
        ms(t),
        w.len()
    );
    Ok(())
}
