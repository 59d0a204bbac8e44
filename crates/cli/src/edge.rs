//! `serve --edge`: the hall edge (现场节点, docs/edge.md). The edge serves one hall from
//! its own SQLite and ships what happens there to the central database; configuration,
//! catalogue and staff come down from central. Here: the flags, and getting a data directory
//! ready (migrated, capture triggers installed, the hall pulled down once if it has none).

use crate::{CliError, CliResult};
use clap::Args;
use servicehall_store::{EdgeStore, HallStore, SqlStore};
use servicehall_web::edge::{EdgeConfig, pull_once};
use std::time::Duration;

#[derive(Args, Debug, Clone, Default)]
pub struct EdgeArgs {
    /// Run as the hall edge: serve one hall (--hall) from the local SQLite and ship its
    /// records to the central database (--central). 现场节点模式
    #[arg(long)]
    pub edge: bool,
    /// The hall this edge runs (its code). 营业厅代码
    #[arg(long, requires = "edge", env = "SERVICEHALL_EDGE_HALL")]
    pub hall: Option<String>,
    /// The central database, `postgres://user:pass@host/db`. 中心数据库地址
    #[arg(
        long,
        requires = "edge",
        env = "SERVICEHALL_CENTRAL",
        hide_env_values = true
    )]
    pub central: Option<String>,
    /// The edge's name on central screens [default: the hall's code]. 节点名称
    #[arg(long, requires = "edge")]
    pub edge_name: Option<String>,
}

/// Checks the flags and readies the local database; `None` when not run as an edge.
pub async fn prepare(
    args: &EdgeArgs,
    database: &str,
    store: &SqlStore,
) -> CliResult<Option<EdgeConfig>> {
    if !args.edge {
        return Ok(None);
    }
    let (Some(hall), Some(central)) = (&args.hall, &args.central) else {
        return Err(CliError::usage(
            "--edge 需要 --hall 营业厅代码 和 --central 中心数据库地址 · --edge needs --hall CODE and --central postgres://…",
        ));
    };
    if !database.starts_with("sqlite:") {
        return Err(CliError::usage(
            "现场节点使用本地 SQLite（--data-dir）· an edge keeps its own SQLite: give --data-dir, not a PostgreSQL --database",
        ));
    }
    let mut cfg = EdgeConfig::new(hall, central);
    if let Some(n) = &args.edge_name {
        cfg.name = n.clone();
    }
    store.edge_arm().await?;
    // A new data directory has no hall yet: wait for central once. A known hall starts at
    // once, WAN or not, with its last copy.
    let mut tries = 0u32;
    while store.hall_by_code(hall).await.is_err() {
        match pull_once(store, &cfg).await {
            Ok(set) => {
                tracing::info!(hall = %hall, hall_id = set.hall_id, "hall pulled from central")
            }
            Err(e) => {
                tracing::warn!(error = %e, "等待中心数据库以取得本厅配置 · waiting for the central database to pull this hall");
                tokio::time::sleep(Duration::from_millis(
                    servicehall_domain::edge::retry_after_ms(tries),
                ))
                .await;
                tries = tries.saturating_add(1);
            }
        }
    }
    Ok(Some(cfg))
}
