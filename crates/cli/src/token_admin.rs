//! `token list` and `token revoke`: the devices of a hall, from the command line.

use crate::config::{self, DbArgs};
use crate::{CliError, CliResult};
use clap::Args;
use servicehall_store::{HallStore, SqlStore, StoreError};

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Hall code, e.g. DL-XG. 营业厅编码
    #[arg(long)]
    pub hall: String,
    #[command(flatten)]
    pub db: DbArgs,
}

#[derive(Args, Debug)]
pub struct RevokeArgs {
    /// Hall code, e.g. DL-XG. 营业厅编码
    #[arg(long)]
    pub hall: String,
    /// The device's id, as `token list` shows it. 设备编号
    pub id: i64,
    #[command(flatten)]
    pub db: DbArgs,
}

async fn hall_id(store: &SqlStore, code: &str) -> CliResult<i64> {
    match store.hall_by_code(code.trim()).await {
        Ok(h) => Ok(h.id),
        Err(StoreError::NotFound(_)) => Err(CliError::usage(format!(
            "没有营业厅 {code} · no hall with code {code}"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// One line per device: id, role, counter number, live or revoked, name (tab-separated).
pub async fn list(args: ListArgs) -> CliResult<()> {
    let (store, _) = config::open_store(&args.db.url()).await?;
    let hall = hall_id(&store, &args.hall).await?;
    let numbers: std::collections::HashMap<i64, i64> = store
        .counters(hall)
        .await?
        .into_iter()
        .map(|c| (c.id, c.number))
        .collect();
    println!("id\trole\tcounter\tstate\tname");
    for d in store.devices(hall).await? {
        let counter = d
            .counter_id
            .and_then(|c| numbers.get(&c))
            .map_or("-".to_string(), i64::to_string);
        let state = if d.revoked { "revoked" } else { "live" };
        println!(
            "{}\t{}\t{counter}\t{state}\t{}",
            d.id,
            d.kind.as_str(),
            d.name
        );
    }
    Ok(())
}

/// Revokes one device of the hall; its token stops working at once (streams within 2 s).
pub async fn revoke(args: RevokeArgs) -> CliResult<()> {
    let (store, _) = config::open_store(&args.db.url()).await?;
    let hall = hall_id(&store, &args.hall).await?;
    let device = store
        .devices(hall)
        .await?
        .into_iter()
        .find(|d| d.id == args.id)
        .ok_or_else(|| {
            CliError::usage(format!(
                "营业厅 {} 没有设备 {} · hall {} has no device {}; see `servicehall token list`",
                args.hall, args.id, args.hall, args.id
            ))
        })?;
    store.revoke_device(device.id).await?;
    println!("已吊销 · revoked device {} ({})", device.id, device.name);
    Ok(())
}
