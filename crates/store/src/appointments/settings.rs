//! Changing a hall's appointment policy: the new policy, one `settings_audit` row per
//! changed field (old → new, as the feedback settings and the notice threshold keep
//! theirs) and a record on the hall's audit chain, all in one transaction.

use crate::audit::append::{Append, append};
use crate::sql::SqlStore;
use crate::{AppointmentSettings, AppointmentStore, Result, StoreError};
use servicehall_domain::appointments::{AppointmentPolicy, policy_changes, policy_field_zh};

/// The `settings_audit` names of the policy's fields: `appointments.grace_min` …
pub const SETTING_PREFIX: &str = "appointments.";

impl SqlStore {
    pub(crate) async fn set_appointment_settings_sql(
        &self,
        hall_id: i64,
        policy: &AppointmentPolicy,
        by: Option<i64>,
        now: i64,
    ) -> Result<AppointmentSettings> {
        policy.validate().map_err(StoreError::Invalid)?;
        let old = self.appointment_settings(hall_id).await?;
        let changes = policy_changes(&old.policy, policy);
        if changes.is_empty() && old.updated_at.is_some() {
            return Ok(old);
        }
        let mut w = self.begin().await?;
        sqlx::query(
            "INSERT INTO appointment_settings (hall_id, enabled, bookable_share_pct, manual_capacity, grace_min, no_show_limit, days_ahead, updated_by, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
             ON CONFLICT (hall_id) DO UPDATE SET enabled = excluded.enabled, bookable_share_pct = excluded.bookable_share_pct,
               manual_capacity = excluded.manual_capacity, grace_min = excluded.grace_min, no_show_limit = excluded.no_show_limit,
               days_ahead = excluded.days_ahead, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(hall_id)
        .bind(i64::from(policy.enabled))
        .bind(i64::from(policy.bookable_share_pct))
        .bind(policy.manual_capacity.map(i64::from))
        .bind(i64::from(policy.grace_min))
        .bind(i64::from(policy.no_show_limit))
        .bind(i64::from(policy.days_ahead))
        .bind(by)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        if !changes.is_empty() {
            let subject = changes
                .iter()
                .map(|(f, o, n)| format!("{} {o}→{n}", policy_field_zh(f)))
                .collect::<Vec<_>>()
                .join("，");
            let en = changes
                .iter()
                .map(|(f, o, n)| format!("{f} {o}→{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            let rows = changes
                .into_iter()
                .map(|(f, o, n)| (format!("{SETTING_PREFIX}{f}"), o, n))
                .collect();
            self.audit(&mut w.tx, Some(hall_id), rows, by, now).await?;
            // The chain keeps the change itself (its subject is its own source), so an
            // edited settings row or audit row is still caught by verification.
            append(
                &mut w,
                Append {
                    hall: Some(hall_id),
                    kind: "appointments.settings",
                    subject: format!("预约规则 {subject} · appointment settings {en}"),
                    source: None,
                },
                now,
            )
            .await?;
        }
        self.commit(w).await?;
        self.appointment_settings(hall_id).await
    }
}
