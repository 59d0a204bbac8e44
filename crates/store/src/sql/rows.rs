//! Row → model mapping, with the column lists the queries select.

use crate::*;
use crate::{Result, StoreError};
use servicehall_domain::CallingPolicy;
use sqlx::Row;
use sqlx::any::AnyRow;

pub const HALL_COLS: &str = "id, code, name, name_en, address, phone, timezone, opens, closes, green_first, overdue_to_all, max_recalls, region_id, notify_ahead";
pub const BT_COLS: &str = "id, hall_id, code, name_zh, name_en, prefix, target_wait_s, target_handling_s, is_payment, sort_order, active";
pub const STAFF_COLS: &str =
    "id, hall_id, username, name, badge_no, role, photo, active, region_id";
pub const DEVICE_COLS: &str = "id, hall_id, counter_id, kind, name, created_at, revoked";
pub const TICKET_COLS: &str = "id, hall_id, business_type_id, service_day, number, code, priority, green_reason, proxy, channel, state, queued_since, issued_at, counter_id, staff_id, target_counter_id, recalls, transferred_from, updated_at, on_way_at";
pub const EVENT_COLS: &str = "state, action, at, counter_id, staff_id, note";

fn corrupt(what: &str, e: String) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

pub fn hall(r: &AnyRow) -> Result<Hall> {
    Ok(Hall {
        id: r.try_get("id")?,
        code: r.try_get("code")?,
        name: r.try_get("name")?,
        name_en: r.try_get("name_en")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        timezone: r.try_get("timezone")?,
        opens: r.try_get("opens")?,
        closes: r.try_get("closes")?,
        policy: CallingPolicy {
            green_first: r.try_get::<i64, _>("green_first")? != 0,
            overdue_to_all: r.try_get::<i64, _>("overdue_to_all")? != 0,
            max_recalls: r.try_get::<i64, _>("max_recalls")?.clamp(0, 99) as u32,
        },
        region_id: r.try_get("region_id")?,
        notify_ahead: r
            .try_get::<i64, _>("notify_ahead")?
            .clamp(0, MAX_NOTIFY_AHEAD) as u32,
    })
}

pub fn business_type(r: &AnyRow) -> Result<BusinessType> {
    Ok(BusinessType {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        code: r.try_get("code")?,
        name_zh: r.try_get("name_zh")?,
        name_en: r.try_get("name_en")?,
        prefix: r.try_get("prefix")?,
        target_wait_s: r.try_get("target_wait_s")?,
        target_handling_s: r.try_get("target_handling_s")?,
        is_payment: r.try_get::<i64, _>("is_payment")? != 0,
        sort_order: r.try_get("sort_order")?,
        active: r.try_get::<i64, _>("active")? != 0,
    })
}

pub fn staff(r: &AnyRow) -> Result<Staff> {
    let role: String = r.try_get("role")?;
    Ok(Staff {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        username: r.try_get("username")?,
        name: r.try_get("name")?,
        badge_no: r.try_get("badge_no")?,
        role: role.parse().map_err(|e| corrupt("staff.role", e))?,
        photo: r.try_get("photo")?,
        active: r.try_get::<i64, _>("active")? != 0,
        region_id: r.try_get("region_id")?,
    })
}

pub fn device(r: &AnyRow) -> Result<Device> {
    let kind: String = r.try_get("kind")?;
    Ok(Device {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        counter_id: r.try_get("counter_id")?,
        kind: kind.parse().map_err(|e| corrupt("devices.kind", e))?,
        name: r.try_get("name")?,
        created_at: r.try_get("created_at")?,
        revoked: r.try_get::<i64, _>("revoked")? != 0,
    })
}

pub fn ticket(r: &AnyRow) -> Result<Ticket> {
    let priority: String = r.try_get("priority")?;
    let state: String = r.try_get("state")?;
    Ok(Ticket {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        business_type_id: r.try_get("business_type_id")?,
        service_day: r.try_get("service_day")?,
        number: r.try_get("number")?,
        code: r.try_get("code")?,
        priority: priority
            .parse()
            .map_err(|e| corrupt("tickets.priority", e))?,
        green_reason: r.try_get("green_reason")?,
        proxy: r.try_get::<i64, _>("proxy")? != 0,
        channel: r.try_get("channel")?,
        state: state.parse().map_err(|e| corrupt("tickets.state", e))?,
        queued_since: r.try_get("queued_since")?,
        issued_at: r.try_get("issued_at")?,
        counter_id: r.try_get("counter_id")?,
        staff_id: r.try_get("staff_id")?,
        target_counter_id: r.try_get("target_counter_id")?,
        recalls: r.try_get("recalls")?,
        transferred_from: r.try_get("transferred_from")?,
        updated_at: r.try_get("updated_at")?,
        on_way_at: r.try_get("on_way_at")?,
    })
}

pub fn ticket_event(r: &AnyRow) -> Result<TicketEvent> {
    let state: String = r.try_get("state")?;
    Ok(TicketEvent {
        state: state
            .parse()
            .map_err(|e| corrupt("ticket_events.state", e))?,
        action: r.try_get("action")?,
        at: r.try_get("at")?,
        counter_id: r.try_get("counter_id")?,
        staff_id: r.try_get("staff_id")?,
        note: r.try_get("note")?,
    })
}

pub fn hall_event(r: &AnyRow) -> Result<HallEvent> {
    let payload: String = r.try_get("payload")?;
    Ok(HallEvent {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        kind: r.try_get("kind")?,
        payload: serde_json::from_str(&payload)
            .map_err(|e| corrupt("hall_events.payload", e.to_string()))?,
        at: r.try_get("at")?,
    })
}

pub fn rating(r: &AnyRow) -> Result<Rating> {
    let reasons: String = r.try_get("reasons")?;
    Ok(Rating {
        ticket_id: r.try_get("ticket_id")?,
        counter_id: r.try_get("counter_id")?,
        staff_id: r.try_get("staff_id")?,
        level: r.try_get("level")?,
        reasons: reasons
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        at: r.try_get("at")?,
    })
}
