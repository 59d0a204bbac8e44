//! Reading bookings: the columns, a row as an [`Appointment`], and a booking by its code or
//! id inside a write.

use crate::appointments::Appointment;
use crate::sql::WriteTx;
use crate::{Result, StoreError};
use sqlx::Row;
use sqlx::any::AnyRow;

pub(super) const COLS: &str = "id, hall_id, business_type_id, service_day, slot, slot_start, code, phone, name, channel, state, booked_at, checked_in_at, ticket_id, on_time, cancelled_at, replaced_by, reminded, booked_by";

pub(super) fn appointment(r: &AnyRow) -> Result<Appointment> {
    Ok(Appointment {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        business_type_id: r.try_get("business_type_id")?,
        service_day: r.try_get("service_day")?,
        slot: r.try_get("slot")?,
        slot_start: r.try_get("slot_start")?,
        code: r.try_get("code")?,
        phone: r.try_get("phone")?,
        name: r.try_get("name")?,
        channel: r.try_get("channel")?,
        state: r
            .try_get::<String, _>("state")?
            .parse()
            .map_err(StoreError::Invalid)?,
        booked_at: r.try_get("booked_at")?,
        checked_in_at: r.try_get("checked_in_at")?,
        ticket_id: r.try_get("ticket_id")?,
        on_time: r.try_get::<i64, _>("on_time")? != 0,
        cancelled_at: r.try_get("cancelled_at")?,
        replaced_by: r.try_get("replaced_by")?,
        reminded: r.try_get("reminded")?,
        booked_by: r.try_get("booked_by")?,
    })
}

pub(super) fn no_booking(code: &str) -> StoreError {
    StoreError::NotFound(format!(
        "没有这个预约码，请核对后再输入 · no booking with code {code}; check the code"
    ))
}

pub(super) async fn by_code_in(w: &mut WriteTx, code: &str) -> Result<Appointment> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM appointments WHERE code = $1"
    )))
    .bind(code)
    .fetch_optional(&mut *w.tx)
    .await?
    .ok_or_else(|| no_booking(code))?;
    appointment(&row)
}

pub(super) async fn by_id_in(w: &mut WriteTx, id: i64) -> Result<Appointment> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {COLS} FROM appointments WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *w.tx)
    .await?
    .ok_or_else(|| StoreError::not_found("appointment", id))?;
    appointment(&row)
}
