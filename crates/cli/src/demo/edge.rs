//! The hall edge in the demo (docs/edge.md): the sister hall (DL-ZS) is run by its own edge,
//! which last shipped four minutes ago and has been silent since, so the central hall list
//! and DL-ZS's dashboard show 离线 · Offline with the time of that shipment, and the central
//! node refuses to issue tickets there (they are issued at the edge). Two customers booked
//! DL-ZS centrally for today: the morning's checked in at the edge (shipped up onto the same
//! booking), the afternoon's still to come — both on the central `/appointments?hall=DL-ZS`.

use super::sister::SISTER_CODE;
use crate::CliResult;
use chrono::TimeZone;
use servicehall_domain::appointments::{booking_code, slot_start};
use servicehall_domain::notify::NotifyEvent;
use servicehall_domain::time::parse_tz;
use servicehall_store::{BookingInput, EdgeEntry, Hall, NotificationInput, Store};

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
    let mut entries = vec![entry];
    entries.extend(bookings(store, &hall, now).await?);
    store.edge_receive(hall.id, EDGE_NAME, &entries, at).await?;
    println!(
        "现场节点 · hall edge: {SISTER_CODE} 由 {EDGE_NAME} 运行，演示为离线 · run by its edge, shown offline"
    );
    Ok(())
}

/// Books the sister hall's two customers of today centrally and returns the edge's shipped
/// check-in of the morning's (none when the hall takes no booking today).
async fn bookings(store: &dyn Store, hall: &Hall, now: i64) -> CliResult<Vec<EdgeEntry>> {
    let Some(bt) = store.business_types(hall.id).await?.into_iter().next() else {
        return Ok(Vec::new());
    };
    let tz = parse_tz(&hall.timezone).map_err(crate::CliError::failed)?;
    let Some(today) = tz
        .timestamp_millis_opt(now)
        .single()
        .map(|t| t.date_naive())
    else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, (slot, name, phone)) in [(19, "孙女士", "13904112001"), (30, "钱先生", "13904112002")]
        .into_iter()
        .enumerate()
    {
        let start = slot_start(today, slot, tz);
        let code = booking_code(&[0x5a, 0x53, 0x45, 0x44, 0x47, 0x45, i as u8, 7]);
        let input = BookingInput {
            hall_id: hall.id,
            business_type_id: bt.id,
            service_day: today.to_string(),
            slot,
            slot_start: start,
            capacity: 4,
            phone: phone.into(),
            name: name.into(),
            code: code.clone(),
            channel: "phone".into(),
            phone_code_hash: None,
            no_show_limit: None,
            booked_by: None,
            message: NotificationInput {
                hall_id: Some(hall.id),
                event: NotifyEvent::BookingCode,
                channel: "log".into(),
                recipient: phone.into(),
                body: format!("{} 预约码 {code} · booking code {code}", hall.name),
                reference: code.clone(),
            },
        };
        let Ok(a) = store.book_appointment(&input, now - 86_400_000).await else {
            continue;
        };
        if i == 0 {
            let body = serde_json::json!({
                "id": a.id, "hall_id": hall.id, "state": "checked_in",
                "checked_in_at": start.min(now) - 5 * 60_000, "ticket_id": null, "on_time": 1,
            });
            out.push(EdgeEntry {
                seq: 2,
                tbl: "appointments".into(),
                body: body.as_object().cloned().unwrap_or_default(),
            });
        }
    }
    Ok(out)
}
