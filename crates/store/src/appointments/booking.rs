//! Booking writes on SQL: taking and freeing a slot's seat, the phone code typed on the
//! public page, booking, changing and cancelling, each in one transaction.

use super::rows::{COLS, appointment, by_code_in, by_id_in};
use crate::appointments::{Appointment, BookingInput};
use crate::notify::sql::insert_notification;
use crate::sql::{SqlStore, WriteTx};
use crate::{Result, StoreError};
use servicehall_domain::appointments::{PHONE_CODE_TRIES, guide_desk_message};
use sqlx::Row;

/// Checks the phone code typed on the public page. A wrong code counts a try and is kept
/// (the caller commits before refusing); the right one is spent with the booking.
async fn phone_code_matches(w: &mut WriteTx, phone: &str, hash: &str, now: i64) -> Result<bool> {
    let row = sqlx::query(
        "SELECT id, code_hash, tries FROM phone_codes
         WHERE phone = $1 AND used_at IS NULL AND expires_at > $2 ORDER BY id DESC LIMIT 1",
    )
    .bind(phone)
    .bind(now)
    .fetch_optional(&mut *w.tx)
    .await?;
    let Some(row) = row else {
        return Err(StoreError::Invalid(
            "验证码已过期或未获取，请重新获取 · the code has expired or was never sent; ask for a new one".into(),
        ));
    };
    let id: i64 = row.try_get("id")?;
    let tries: i64 = row.try_get("tries")?;
    if tries >= PHONE_CODE_TRIES {
        return Err(StoreError::Invalid(
            "验证码错误次数过多，请重新获取 · too many wrong codes; ask for a new one".into(),
        ));
    }
    if row.try_get::<String, _>("code_hash")? == hash {
        sqlx::query("UPDATE phone_codes SET used_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        return Ok(true);
    }
    sqlx::query("UPDATE phone_codes SET tries = tries + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
    Ok(false)
}

/// Frees a seat taken by a booking.
pub(super) async fn release_seat(w: &mut WriteTx, a: &Appointment) -> Result<()> {
    sqlx::query(
        "UPDATE appointment_slots SET booked = booked - 1
         WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 AND slot = $4 AND booked > 0",
    )
    .bind(a.hall_id)
    .bind(a.business_type_id)
    .bind(a.service_day.as_str())
    .bind(a.slot)
    .execute(&mut *w.tx)
    .await?;
    Ok(())
}

/// Cancels a booking inside `w`; only a booking still `booked` can be.
pub(super) async fn cancel_in(w: &mut WriteTx, code: &str, now: i64) -> Result<Appointment> {
    let a = by_code_in(w, code).await?;
    let n = sqlx::query(
        "UPDATE appointments SET state = 'cancelled', cancelled_at = $1 WHERE id = $2 AND state = 'booked'",
    )
    .bind(now)
    .bind(a.id)
    .execute(&mut *w.tx)
    .await?
    .rows_affected();
    if n != 1 {
        return Err(StoreError::Conflict(format!(
            "此预约已{}，不能再取消或改约 · this booking is {}; it can no longer be cancelled or changed",
            a.state.label_zh(),
            a.state.label_en().to_lowercase()
        )));
    }
    release_seat(w, &a).await?;
    by_id_in(w, a.id).await
}

/// Takes a seat and writes the booking inside `w`. Refusals that must not be undone (a
/// wrong phone code counts a try) are returned as `Ok(Err(..))` for the caller to commit.
async fn book_in(
    w: &mut WriteTx,
    input: &BookingInput,
    now: i64,
) -> Result<std::result::Result<i64, StoreError>> {
    if let Some(hash) = &input.phone_code_hash
        && !phone_code_matches(w, &input.phone, hash, now).await?
    {
        return Ok(Err(StoreError::Invalid(
            "验证码不正确，请核对短信中的 6 位数字 · the code is wrong; check the 6 digits in the message".into(),
        )));
    }
    if let Some((limit, since)) = input.no_show_limit {
        let missed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM appointments WHERE phone = $1 AND state = 'no_show' AND slot_start >= $2",
        )
        .bind(input.phone.as_str())
        .bind(since)
        .fetch_one(&mut *w.tx)
        .await?;
        if missed >= i64::from(limit) {
            return Err(StoreError::Forbidden(guide_desk_message(limit)));
        }
    }
    let mine: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM appointments
         WHERE phone = $1 AND hall_id = $2 AND business_type_id = $3 AND service_day = $4 AND state = 'booked'",
    )
    .bind(input.phone.as_str())
    .bind(input.hall_id)
    .bind(input.business_type_id)
    .bind(input.service_day.as_str())
    .fetch_one(&mut *w.tx)
    .await?;
    if mine > 0 {
        return Err(StoreError::Conflict(
            "该手机号当天已预约此业务，可改约或取消原预约 · this phone already has a booking for this business that day; change or cancel it".into(),
        ));
    }
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM appointments WHERE code = $1")
        .bind(input.code.as_str())
        .fetch_optional(&mut *w.tx)
        .await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(
            "预约码重复，请再提交一次 · the booking code clashed; submit again".into(),
        ));
    }
    // The slot's row carries the capacity in force now (the plan may have changed).
    sqlx::query(
        "INSERT INTO appointment_slots (hall_id, business_type_id, service_day, slot, capacity, booked)
         VALUES ($1, $2, $3, $4, $5, 0)
         ON CONFLICT (hall_id, business_type_id, service_day, slot) DO UPDATE SET capacity = excluded.capacity",
    )
    .bind(input.hall_id)
    .bind(input.business_type_id)
    .bind(input.service_day.as_str())
    .bind(input.slot)
    .bind(i64::from(input.capacity))
    .execute(&mut *w.tx)
    .await?;
    let seat = sqlx::query(
        "UPDATE appointment_slots SET booked = booked + 1
         WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 AND slot = $4 AND booked < capacity",
    )
    .bind(input.hall_id)
    .bind(input.business_type_id)
    .bind(input.service_day.as_str())
    .bind(input.slot)
    .execute(&mut *w.tx)
    .await?
    .rows_affected();
    if seat != 1 {
        return Err(StoreError::Conflict(
            "该时段已约满，请选择其他时段 · this slot is full; pick another time".into(),
        ));
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO appointments (hall_id, business_type_id, service_day, slot, slot_start, code, phone, name, channel, state, booked_at, booked_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked', $10, $11) RETURNING id",
    )
    .bind(input.hall_id)
    .bind(input.business_type_id)
    .bind(input.service_day.as_str())
    .bind(input.slot)
    .bind(input.slot_start)
    .bind(input.code.as_str())
    .bind(input.phone.as_str())
    .bind(input.name.trim())
    .bind(input.channel.as_str())
    .bind(now)
    .bind(input.booked_by)
    .fetch_one(&mut *w.tx)
    .await?;
    insert_notification(w, &input.message, now).await?;
    Ok(Ok(id))
}

impl SqlStore {
    pub(super) async fn appointment_by_id(&self, id: i64) -> Result<Appointment> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM appointments WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| StoreError::not_found("appointment", id))?;
        appointment(&row)
    }

    /// Books (after cancelling `replace`, when changing) in one transaction.
    pub(super) async fn book_or_change(
        &self,
        replace: Option<&str>,
        input: &BookingInput,
        now: i64,
    ) -> Result<Appointment> {
        let mut w = self.begin().await?;
        let old = match replace {
            Some(code) => Some(cancel_in(&mut w, code, now).await?),
            None => None,
        };
        match book_in(&mut w, input, now).await? {
            Ok(id) => {
                if let Some(old) = old {
                    sqlx::query("UPDATE appointments SET replaced_by = $1 WHERE id = $2")
                        .bind(id)
                        .bind(old.id)
                        .execute(&mut *w.tx)
                        .await?;
                }
                self.commit(w).await?;
                self.appointment_by_id(id).await
            }
            Err(refusal) if old.is_none() => {
                // Keep the wrong try's count.
                self.commit(w).await?;
                Err(refusal)
            }
            Err(refusal) => Err(refusal), // a change that fails changes nothing
        }
    }
}
