//! The hall edge in the demo (docs/edge.md): the sister hall (DL-ZS) is run by its own edge,
//! which last shipped four minutes ago and has been silent since, so the central hall list
//! and DL-ZS's dashboard show 离线 · Offline with the time of that shipment, and the central
//! node refuses to issue tickets there (they are issued at the edge).

use super::sister::SISTER_CODE;
use crate::CliResult;
use servicehall_store::{EdgeEntry, Store};

pub const EDGE_NAME: &str = "中山厅现场节点";

/// Marks the sister hall edge-run (once): its edge's last shipment was counter 1 closing.
pub async fn seed(store: &dyn Store, now: i64) -> CliResult<()> {
    let Ok(hall) = store.hall_by_code(SISTER_CODE).await else {
        return Ok(());
    };
    if store.edge_hall(hall.id).await?.is_some() {
        return Ok(());
    }
    let Some(c) = store.counters(hall.id).await?.into_iter().next() else {
        return Ok(());
    };
    let at = now - 4 * 60_000;
    let body = serde_json::json!({
        "id": c.id, "hall_id": hall.id, "number": c.number, "status": "closed",
        "pause_reason": "", "staff_id": null, "status_since": at,
    });
    let entry = EdgeEntry {
        seq: 1,
        tbl: "counters".into(),
        body: body.as_object().cloned().unwrap_or_default(),
    };
    store.edge_receive(hall.id, EDGE_NAME, &[entry], at).await?;
    println!(
        "现场节点 · hall edge: {SISTER_CODE} 由 {EDGE_NAME} 运行，演示为离线 · run by its edge, shown offline"
    );
    Ok(())
}
