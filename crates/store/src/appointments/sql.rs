//! Appointments on SQL: the trait's methods; booking writes are in booking.rs.

use super::booking::cancel_in;
use super::rows::{COLS, appointment, by_code_in, by_id_in, no_booking};
use crate::appointments::{
    Appointment, AppointmentSettings, AppointmentStore, BookingInput, BookingNotice, SlotCount,
};
use crate::notify::NotificationInput;
use crate::notify::sql::insert_notification;
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::appointments::{AppointmentPolicy, SLOT_MS};
use sqlx::Row;

#[async_trait]
impl AppointmentStore for SqlStore {
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.appointment_settings"
    )]
    async fn appointment_settings(&self, hall_id: i64) -> Result<AppointmentSettings> {
        let row = sqlx::query(
            "SELECT s.enabled, s.bookable_share_pct, s.manual_capacity, s.grace_min, s.no_show_limit, s.days_ahead,
                    s.updated_at, st.name AS by_name
             FROM appointment_settings s LEFT JOIN staff st ON st.id = s.updated_by WHERE s.hall_id = $1",
        )
        .bind(hall_id)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else {
            return Ok(AppointmentSettings {
                hall_id,
                policy: AppointmentPolicy::default(),
                updated_at: None,
                updated_by_name: None,
            });
        };
        let u = |v: i64| u32::try_from(v).unwrap_or(0);
        Ok(AppointmentSettings {
            hall_id,
            policy: AppointmentPolicy {
                enabled: r.try_get::<i64, _>("enabled")? != 0,
                bookable_share_pct: u(r.try_get("bookable_share_pct")?),
                manual_capacity: r.try_get::<Option<i64>, _>("manual_capacity")?.map(u),
                grace_min: u(r.try_get("grace_min")?),
                no_show_limit: u(r.try_get("no_show_limit")?),
                days_ahead: u(r.try_get("days_ahead")?),
            },
            updated_at: r.try_get("updated_at")?,
            updated_by_name: r.try_get("by_name")?,
        })
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.set_appointment_settings"
    )]
    async fn set_appointment_settings(
        &self,
        hall_id: i64,
        policy: &AppointmentPolicy,
        by: Option<i64>,
        now: i64,
    ) -> Result<AppointmentSettings> {
        self.set_appointment_settings_sql(hall_id, policy, by, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.slot_counts")]
    async fn slot_counts(
        &self,
        hall_id: i64,
        business_type_id: i64,
        service_day: &str,
    ) -> Result<Vec<SlotCount>> {
        let rows = sqlx::query(
            "SELECT slot, booked FROM appointment_slots
             WHERE hall_id = $1 AND business_type_id = $2 AND service_day = $3 ORDER BY slot",
        )
        .bind(hall_id)
        .bind(business_type_id)
        .bind(service_day)
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SlotCount {
                    slot: r.try_get("slot")?,
                    booked: r.try_get("booked")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.book_appointment"
    )]
    async fn book_appointment(&self, input: &BookingInput, now: i64) -> Result<Appointment> {
        self.book_or_change(None, input, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.change_appointment"
    )]
    async fn change_appointment(
        &self,
        code: &str,
        input: &BookingInput,
        now: i64,
    ) -> Result<Appointment> {
        self.book_or_change(Some(code), input, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.cancel_appointment"
    )]
    async fn cancel_appointment(&self, code: &str, now: i64) -> Result<Appointment> {
        let mut w = self.begin().await?;
        let a = cancel_in(&mut w, code, now).await?;
        self.commit(w).await?;
        Ok(a)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.appointment_by_code"
    )]
    async fn appointment_by_code(&self, code: &str) -> Result<Appointment> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM appointments WHERE code = $1"
        )))
        .bind(code)
        .fetch_optional(self.pool())
        .await?
        .ok_or_else(|| no_booking(code))?;
        appointment(&row)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.appointments_of_day"
    )]
    async fn appointments_of_day(
        &self,
        hall_id: i64,
        service_day: &str,
    ) -> Result<Vec<Appointment>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM appointments WHERE hall_id = $1 AND service_day = $2 ORDER BY slot, id"
        )))
        .bind(hall_id)
        .bind(service_day)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(appointment).collect()
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.check_in_appointment"
    )]
    async fn check_in_appointment(
        &self,
        code: &str,
        hall_id: i64,
        on_time: bool,
        now: i64,
    ) -> Result<Appointment> {
        let mut w = self.begin().await?;
        let a = by_code_in(&mut w, code).await?;
        if a.hall_id != hall_id {
            return Err(StoreError::Conflict(
                "此预约不在本营业厅，请到预约的营业厅签到 · this booking is for another hall; check in there".into(),
            ));
        }
        let n = sqlx::query(
            "UPDATE appointments SET state = 'checked_in', checked_in_at = $1, on_time = $2 WHERE id = $3 AND state = 'booked'",
        )
        .bind(now)
        .bind(i64::from(on_time))
        .bind(a.id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(StoreError::Conflict(format!(
                "此预约{}，不能签到 · this booking is {} and cannot be checked in",
                a.state.label_zh(),
                a.state.label_en().to_lowercase()
            )));
        }
        let a = by_id_in(&mut w, a.id).await?;
        self.commit(w).await?;
        self.config.forget_flags(a.hall_id);
        Ok(a)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.attach_ticket")]
    async fn attach_ticket(&self, appointment_id: i64, ticket_id: i64) -> Result<Appointment> {
        let mut w = self.begin().await?;
        sqlx::query("UPDATE appointments SET ticket_id = $1 WHERE id = $2")
            .bind(ticket_id)
            .bind(appointment_id)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        let a = self.appointment_by_id(appointment_id).await?;
        // The booked ticket now waits: the walk-ins' count must see it (config_cache.rs).
        self.config.forget_flags(a.hall_id);
        Ok(a)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.undo_check_in")]
    async fn undo_check_in(&self, appointment_id: i64) -> Result<()> {
        let mut w = self.begin().await?;
        sqlx::query(
            "UPDATE appointments SET state = 'booked', checked_in_at = NULL, on_time = 0
             WHERE id = $1 AND state = 'checked_in' AND ticket_id IS NULL",
        )
        .bind(appointment_id)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.recent_no_shows")]
    async fn recent_no_shows(&self, phone: &str, since: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT COUNT(*) FROM appointments WHERE phone = $1 AND state = 'no_show' AND slot_start >= $2",
        )
        .bind(phone)
        .bind(since)
        .fetch_one(self.pool())
        .await?)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.mark_no_shows")]
    async fn mark_no_shows(&self, now: i64) -> Result<u64> {
        let mut w = self.begin().await?;
        // The grace is the hall's (10 minutes when it set none): see `no_show_after`. A hall
        // run by its edge is swept there: its check-ins arrive here later (docs/edge.md).
        let n = sqlx::query(
            "UPDATE appointments SET state = 'no_show'
             WHERE state = 'booked' AND hall_id NOT IN (SELECT hall_id FROM edge_halls)
               AND slot_start + $1 + 60000 * COALESCE(
                 (SELECT s.grace_min FROM appointment_settings s WHERE s.hall_id = appointments.hall_id), $2) < $3",
        )
        .bind(SLOT_MS)
        .bind(i64::from(AppointmentPolicy::default().grace_min))
        .bind(now)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        self.commit(w).await?;
        Ok(n)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.upcoming_appointments"
    )]
    async fn upcoming_appointments(&self, now: i64, within_ms: i64) -> Result<Vec<Appointment>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM appointments
             WHERE state = 'booked' AND slot_start > $1 AND slot_start <= $2 AND reminded < 2 ORDER BY slot_start, id"
        )))
        .bind(now)
        .bind(now + within_ms)
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(appointment).collect()
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.queue_booking_notice"
    )]
    async fn queue_booking_notice(
        &self,
        appointment_id: i64,
        notice: BookingNotice,
        message: &NotificationInput,
        now: i64,
    ) -> Result<bool> {
        let mut w = self.begin().await?;
        // Conditional updates: each notice goes once even with two nodes scanning.
        let q = match notice {
            BookingNotice::Reminder(level) => {
                sqlx::query("UPDATE appointments SET reminded = $1 WHERE id = $2 AND reminded < $1")
                    .bind(level)
            }
            BookingNotice::Ahead => sqlx::query(
                "UPDATE appointments SET ahead_sent = 1 WHERE id = $1 AND ahead_sent = 0",
            ),
            BookingNotice::Called => sqlx::query(
                "UPDATE appointments SET called_sent = 1 WHERE id = $1 AND called_sent = 0",
            ),
        };
        let n = q
            .bind(appointment_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 1 {
            insert_notification(&mut w, message, now).await?;
        }
        self.commit(w).await?;
        Ok(n == 1)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.on_time_tickets")]
    async fn on_time_tickets(&self, hall_id: i64, service_day: &str) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT ticket_id FROM appointments
             WHERE hall_id = $1 AND service_day = $2 AND on_time = 1 AND ticket_id IS NOT NULL",
        )
        .bind(hall_id)
        .bind(service_day)
        .fetch_all(self.pool())
        .await?)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.appointments.appointment_by_ticket"
    )]
    async fn appointment_by_ticket(&self, ticket_id: i64) -> Result<Option<Appointment>> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLS} FROM appointments WHERE ticket_id = $1"
        )))
        .bind(ticket_id)
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(appointment).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.appointments.booked_waiting")]
    async fn booked_waiting(
        &self,
        hall_id: i64,
        business_type_id: i64,
        service_day: &str,
    ) -> Result<Vec<servicehall_domain::queue::policy::WaitingTicket>> {
        // Read for every slip; most halls most days have no booked ticket waiting for the
        // type, and that answer is kept a second (halls/config_cache.rs).
        if self
            .config
            .no_bookings(hall_id, business_type_id, service_day)
        {
            return Ok(Vec::new());
        }
        let booked = self
            .booked_waiting_sql(hall_id, business_type_id, service_day)
            .await?;
        if booked.is_empty() {
            self.config
                .put_no_bookings(hall_id, business_type_id, service_day);
        }
        Ok(booked)
    }
}
