//! The demo's monthly reports (月度报告): the last two months of every hall and region made
//! and kept as the month-end step keeps them, so `/reports` opens on a history to download.

use crate::{CliError, CliResult};
use servicehall_store::{HallStore, RegionStore, ReportStore, SqlStore};
use servicehall_web::api::reports::{build, make_and_keep, schedule};

/// Keeps the last two months' reports of every hall and region not kept yet.
pub async fn seed(store: &SqlStore, now: i64) -> CliResult<()> {
    let fail = |e: servicehall_web::error::ApiError| {
        CliError::failed(format!(
            "示例月度报告生成失败 · demo reports failed: {}",
            e.detail
        ))
    };
    let mut scopes: Vec<build::Scope> = store
        .halls()
        .await?
        .into_iter()
        .map(build::Scope::of_hall)
        .collect();
    for (_, r) in store.region_tree().await?.in_order() {
        let scope = build::region_scope(store, &r.code).await.map_err(fail)?;
        if !scope.halls.is_empty() {
            scopes.push(scope);
        }
    }
    let mut kept = 0;
    for scope in &scopes {
        for back in [1, 0] {
            let month = scope.last_month(now).back(back);
            if store.report_kept(&scope.scope, &month.to_string()).await? {
                continue;
            }
            // Made as at the month's end step: the first of the next month, 01:00 local.
            let at = (month.end()
                - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default())
            .num_milliseconds()
                - 7 * 3_600_000;
            make_and_keep(store, scope, month, at.min(now), schedule::BY)
                .await
                .map_err(fail)?;
            kept += 1;
        }
    }
    println!("月度报告 · monthly reports: {kept} kept for the last two months (/reports)");
    Ok(())
}
