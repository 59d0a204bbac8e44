//! `servicehall audit verify | head`: walk the tamper-evident record (防篡改记录) and name
//! the first record edited, deleted or inserted behind the application's back.
//!
//! Exit codes: 0 the record holds, 3 tampering found (or a pinned head is no longer in its
//! chain), 1 the database could not be read, 2 bad arguments.

use crate::config::{self, DbArgs};
use crate::{CliError, CliResult};
use clap::{Args, Subcommand};
use servicehall_domain::audit::Head;
use servicehall_store::{AuditStore, ChainCheck, HallStore, SqlStore};
use std::collections::HashMap;

/// The exit code for "the record was tampered with".
pub const TAMPERED: u8 = 3;

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// Walk every chain, re-hash each record and the rows it pins; exit 3 naming the first
    /// one changed. 校验防篡改记录
    Verify(VerifyArgs),
    /// Print each chain's head (the pin a printed report carries). 显示链头
    Head(HeadArgs),
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// A head printed earlier (`chain:seq:hash`, from a report or `audit head`): verify also
    /// checks that record is still in its chain unchanged. May be given more than once.
    /// 已打印的链头
    #[arg(long = "expect-head", value_name = "CHAIN:SEQ:HASH")]
    pub expect_head: Vec<String>,
}

#[derive(Args, Debug)]
pub struct HeadArgs {
    #[command(flatten)]
    pub db: DbArgs,
}

pub async fn run(cmd: AuditCommand) -> CliResult<()> {
    match cmd {
        AuditCommand::Verify(a) => verify(a).await,
        AuditCommand::Head(a) => head(a).await,
    }
}

/// Chain names and time zones, from the halls.
async fn halls(store: &SqlStore) -> CliResult<HashMap<i64, (String, chrono_tz::Tz)>> {
    Ok(store
        .halls()
        .await?
        .into_iter()
        .map(|h| {
            let tz = h.timezone.parse().unwrap_or(chrono_tz::Asia::Shanghai);
            (h.id, (format!("{} ({})", h.name, h.code), tz))
        })
        .collect())
}

fn chain_name(halls: &HashMap<i64, (String, chrono_tz::Tz)>, chain: i64) -> String {
    if chain == 0 {
        "全局链 · deployment".to_string()
    } else {
        halls.get(&chain).map_or_else(
            || format!("营业厅 hall #{chain}"),
            |h| format!("#{chain} {}", h.0),
        )
    }
}

fn when(halls: &HashMap<i64, (String, chrono_tz::Tz)>, chain: i64, at_ms: i64) -> String {
    let tz = halls.get(&chain).map_or(chrono_tz::Asia::Shanghai, |h| h.1);
    chrono::DateTime::from_timestamp_millis(at_ms).map_or_else(
        || at_ms.to_string(),
        |t| {
            t.with_timezone(&tz)
                .format("%Y-%m-%d %H:%M:%S %:z")
                .to_string()
        },
    )
}

fn parse_pins(raw: &[String]) -> CliResult<Vec<Head>> {
    raw.iter()
        .map(|p| Head::parse_pin(p).map_err(CliError::usage))
        .collect()
}

async fn verify(args: VerifyArgs) -> CliResult<()> {
    let pins = parse_pins(&args.expect_head)?;
    let (store, _) = config::open_store(&args.db.url()).await?;
    let halls = halls(&store).await?;
    let report = store
        .verify_audit("cli", chrono::Utc::now().timestamp_millis())
        .await?;
    for c in &report.chains {
        print_chain(&halls, c);
    }
    if let Some(b) = report.first_break() {
        let at = b.at.map(|t| when(&halls, b.chain, t)).unwrap_or_default();
        return Err(CliError {
            code: TAMPERED,
            message: format!(
                "防篡改记录校验失败 · the record was tampered with: {} — {}, {at}",
                b.describe(),
                chain_name(&halls, b.chain)
            ),
        });
    }
    for pin in &pins {
        check_pin(&store, pin).await?;
    }
    println!(
        "防篡改记录完好 · the record holds: {} 条记录 records in {} 条链 chains",
        report.records,
        report.chains.len()
    );
    Ok(())
}

/// A pinned head must still be the record at its seq: a chain rewritten from an earlier
/// point on (every later hash recomputed) is caught here even though it links.
async fn check_pin(store: &SqlStore, pin: &Head) -> CliResult<()> {
    match store.audit_record(pin.chain, pin.seq).await? {
        Some(r) if r.hash.starts_with(&pin.hash) => {
            println!("链头相符 · pinned head holds: {}:{}", pin.chain, pin.seq);
            Ok(())
        }
        _ => Err(CliError {
            code: TAMPERED,
            message: format!(
                "已打印的链头不在链中 · the pinned head {}:{}:{} is no longer in its chain: the chain was rewritten after it was printed",
                pin.chain, pin.seq, pin.hash
            ),
        }),
    }
}

fn print_chain(halls: &HashMap<i64, (String, chrono_tz::Tz)>, c: &ChainCheck) {
    let state = if c.broken.is_some() {
        "✗ 损坏 broken"
    } else {
        "✓ 完好 ok"
    };
    println!(
        "{state}  {}  {} 条 records  链头 head {}:{}:{}{}",
        chain_name(halls, c.chain),
        c.records,
        c.chain,
        c.seq,
        c.hash,
        if c.unsealed_events > 0 {
            format!("  (待封存事件 unsealed events: {})", c.unsealed_events)
        } else {
            String::new()
        }
    );
}

async fn head(args: HeadArgs) -> CliResult<()> {
    let (store, _) = config::open_store(&args.db.url()).await?;
    let halls = halls(&store).await?;
    let heads = store.audit_heads(None).await?;
    if heads.is_empty() {
        println!("尚无记录 · no records yet");
    }
    for h in heads {
        println!(
            "{}  {}:{}:{}",
            chain_name(&halls, h.chain),
            h.chain,
            h.seq,
            h.hash
        );
    }
    Ok(())
}
