//! The month-end step: once a month has ended (in each hall's zone), every hall's and every
//! region's report of it is made and kept, once, by `schedule`. Runs beside the other
//! background passes (`crates/cli/src/serve.rs`); a pass that finds them kept does nothing.

use super::build::{self, Scope};
use crate::AppState;
use crate::error::ApiResult;
use servicehall_store::Store;
use std::time::Duration;

/// Who the history names for the month-end step.
pub const BY: &str = "schedule";

/// Makes the reports of the month that ended last which are not kept yet; returns how many.
pub async fn month_end_once(store: &dyn Store, now: i64) -> ApiResult<usize> {
    let mut scopes: Vec<Scope> = store
        .halls()
        .await?
        .into_iter()
        .map(Scope::of_hall)
        .collect();
    let tree = store.region_tree().await?;
    for (_, r) in tree.in_order() {
        let scope = build::region_scope(store, &r.code).await?;
        if !scope.halls.is_empty() {
            scopes.push(scope);
        }
    }
    let mut made = 0;
    for scope in &scopes {
        let month = scope.last_month(now);
        if store.report_kept(&scope.scope, &month.to_string()).await? {
            continue;
        }
        super::make_and_keep(store, scope, month, now, BY).await?;
        made += 1;
    }
    Ok(made)
}

/// Runs [`month_end_once`] every `every` until the process ends.
pub fn spawn_month_end(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match month_end_once(state.store.as_ref(), state.now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(reports = n, "month-end reports kept"),
                Err(e) => tracing::error!(error = %e.detail, "month-end reports failed"),
            }
        }
    })
}
