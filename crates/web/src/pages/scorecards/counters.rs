//! The 窗口 tab of `/scorecards`: the hall's counters with their month's totals, and the
//! chosen counter's card (what was called, finished, rated and observed at it).

use super::{ClerkRow, one};
use crate::AppState;
use crate::api::scorecards::counter::{counter_card, hall_counter};
use crate::api::scorecards::view::ScorecardView;
use crate::error::ApiResult;
use servicehall_domain::assessment::Month;
use servicehall_domain::regions::RegionTree;
use servicehall_store::Hall;

/// Every counter of the hall with its total, and the card of `chosen` (else the first).
pub(super) async fn counter_rows(
    s: &AppState,
    tree: &RegionTree,
    hall: &Hall,
    chosen: Option<i64>,
    month: Month,
) -> ApiResult<(Vec<ClerkRow>, Option<ScorecardView>)> {
    let mut counters = s.store.counters(hall.id).await?;
    counters.sort_by_key(|c| c.number);
    let pick = match chosen {
        // A counter of another hall is refused by name rather than silently replaced.
        Some(id) => Some(hall_counter(s, hall, id).await?.id),
        None => counters.first().map(|c| c.id),
    };
    let (mut rows, mut card) = (Vec::new(), None);
    for c in &counters {
        let v = counter_card(s, tree, hall, c, month).await?;
        rows.push(ClerkRow {
            id: c.id,
            label: format!("{} 号窗口 · Counter {}", c.number, c.number),
            total: one(v.total),
            selected: Some(c.id) == pick,
        });
        if Some(c.id) == pick {
            card = Some(v);
        }
    }
    Ok((rows, card))
}
