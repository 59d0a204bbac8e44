//! `servicehall rollup-rebuild`: recompute the daily and weekly roll-up of ratings from the
//! ratings themselves (the triggers keep it current; this is for history loaded around them,
//! or to check it).

use crate::config::{self, MigrateArgs};
use crate::{CliError, CliResult};
use servicehall_store::InsightStore;
use std::time::Instant;

pub async fn rebuild(args: MigrateArgs) -> CliResult<()> {
    let url = args.db.url();
    let (store, _) = config::open_store(&url).await?;
    let t = Instant::now();
    let rows = store
        .rebuild_rating_days()
        .await
        .map_err(|e| CliError::failed(format!("rollup-rebuild: {e}")))?;
    println!(
        "rebuilt the ratings roll-up: {rows} day rows in {:.1} s · 已重建评价日汇总",
        t.elapsed().as_secs_f64()
    );
    Ok(())
}
