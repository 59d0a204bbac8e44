//! Halls, business types, counters, staff and devices.

use crate::sql::SqlStore;
use crate::sql::rows::{self, BT_COLS, DEVICE_COLS, HALL_COLS, STAFF_COLS};
use crate::*;
use crate::{HallStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::DeviceKind;
use servicehall_domain::halls;
use sqlx::{AssertSqlSafe, Row};

pub(crate) fn invalid(msg: impl Into<String>) -> StoreError {
    StoreError::Invalid(msg.into())
}

// The rules are the domain's (`servicehall_domain::halls`); these adapt the store's inputs.
fn check_hall(h: &HallInput) -> Result<()> {
    halls::check_hall(
        &h.code,
        &h.name,
        &h.timezone,
        &h.opens,
        &h.closes,
        i64::from(h.policy.max_recalls),
    )
    .map_err(|e| invalid(e.0))
}

fn check_business_type(b: &BusinessTypeInput) -> Result<()> {
    halls::check_business_type(
        &b.code,
        &b.name_zh,
        &b.name_en,
        &b.prefix,
        b.target_wait_s,
        b.target_handling_s,
    )
    .map_err(|e| invalid(e.0))
}

fn check_staff(s: &StaffInput) -> Result<()> {
    halls::check_staff(
        &s.username,
        &s.name,
        &s.badge_no,
        s.role,
        s.hall_id.is_some(),
    )
    .map_err(|e| invalid(e.0))
}

impl SqlStore {
    /// Reads one hall by `filter` (`id = $1` or `code = $1`) and remembers it in the cache.
    async fn load_hall<'k, K>(&self, filter: &str, key: K, shown: &str) -> Result<Hall>
    where
        K: 'k + sqlx::Encode<'k, sqlx::Any> + sqlx::Type<sqlx::Any> + Send,
    {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {HALL_COLS} FROM halls WHERE {filter}"
        )))
        .bind(key)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("hall", shown))?;
        let h = rows::hall(&row)?;
        self.config.put_hall(&h);
        Ok(h)
    }
}

#[async_trait]
impl HallStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.create_hall")]
    async fn create_hall(&self, h: &HallInput) -> Result<Hall> {
        check_hall(h)?;
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO halls (code, name, name_en, address, phone, timezone, opens, closes, green_first, overdue_to_all, max_recalls)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&h.code).bind(&h.name).bind(&h.name_en).bind(&h.address).bind(&h.phone)
        .bind(&h.timezone).bind(&h.opens).bind(&h.closes)
        .bind(h.policy.green_first as i64).bind(h.policy.overdue_to_all as i64).bind(h.policy.max_recalls as i64)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("营业厅编号已存在 · a hall with code {} already exists", h.code)))?;
        self.commit(w).await?;
        self.config.clear();
        self.hall(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.update_hall")]
    async fn update_hall(&self, id: i64, h: &HallInput) -> Result<Hall> {
        check_hall(h)?;
        let mut w = self.begin().await?;
        let n = sqlx::query(
            "UPDATE halls SET code = $1, name = $2, name_en = $3, address = $4, phone = $5, timezone = $6, opens = $7,
             closes = $8, green_first = $9, overdue_to_all = $10, max_recalls = $11 WHERE id = $12",
        )
        .bind(&h.code).bind(&h.name).bind(&h.name_en).bind(&h.address).bind(&h.phone)
        .bind(&h.timezone).bind(&h.opens).bind(&h.closes)
        .bind(h.policy.green_first as i64).bind(h.policy.overdue_to_all as i64).bind(h.policy.max_recalls as i64)
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("营业厅编号已存在 · a hall with code {} already exists", h.code)))?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("hall", id));
        }
        self.commit(w).await?;
        self.config.clear();
        self.hall(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.change_notify_ahead")]
    async fn change_notify_ahead(
        &self,
        hall_id: i64,
        notify_ahead: u32,
        by: Option<i64>,
        now: i64,
    ) -> Result<Option<SettingChange>> {
        self.change_notify_ahead_sql(hall_id, notify_ahead, by, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.halls")]
    async fn halls(&self) -> Result<Vec<Hall>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {HALL_COLS} FROM halls ORDER BY code"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::hall).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.hall")]
    async fn hall(&self, id: i64) -> Result<Hall> {
        if let Some(h) = self.config.hall(id) {
            return Ok(h);
        }
        self.load_hall("id = $1", id, &id.to_string()).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.hall_by_code")]
    async fn hall_by_code(&self, code: &str) -> Result<Hall> {
        if let Some(h) = self.config.hall_by_code(code) {
            return Ok(h);
        }
        self.load_hall("code = $1", code, code).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.create_business_type", fields(hall = hall_id))]
    async fn create_business_type(
        &self,
        hall_id: i64,
        b: &BusinessTypeInput,
    ) -> Result<BusinessType> {
        check_business_type(b)?;
        self.hall(hall_id).await?;
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO business_types (hall_id, code, name_zh, name_en, prefix, target_wait_s, target_handling_s, is_payment, sort_order, active)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(hall_id).bind(&b.code).bind(&b.name_zh).bind(&b.name_en).bind(&b.prefix)
        .bind(b.target_wait_s).bind(b.target_handling_s).bind(b.is_payment as i64).bind(b.sort_order).bind(b.active as i64)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("本厅已有此业务类型编号 · business type {} already exists in this hall", b.code)))?;
        self.commit(w).await?;
        self.config.clear();
        self.business_type(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.update_business_type")]
    async fn update_business_type(&self, id: i64, b: &BusinessTypeInput) -> Result<BusinessType> {
        check_business_type(b)?;
        let mut w = self.begin().await?;
        let n = sqlx::query(
            "UPDATE business_types SET code = $1, name_zh = $2, name_en = $3, prefix = $4, target_wait_s = $5,
             target_handling_s = $6, is_payment = $7, sort_order = $8, active = $9 WHERE id = $10",
        )
        .bind(&b.code).bind(&b.name_zh).bind(&b.name_en).bind(&b.prefix).bind(b.target_wait_s)
        .bind(b.target_handling_s).bind(b.is_payment as i64).bind(b.sort_order).bind(b.active as i64).bind(id)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("本厅已有此业务类型编号 · business type {} already exists in this hall", b.code)))?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("business type", id));
        }
        self.commit(w).await?;
        self.config.clear();
        self.business_type(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.business_types", fields(hall = hall_id))]
    async fn business_types(&self, hall_id: i64) -> Result<Vec<BusinessType>> {
        if let Some(t) = self.config.types(hall_id) {
            return Ok(t);
        }
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BT_COLS} FROM business_types WHERE hall_id = $1 ORDER BY sort_order, id"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        let types = rows
            .iter()
            .map(rows::business_type)
            .collect::<Result<Vec<_>>>()?;
        self.config.put_types(hall_id, &types);
        Ok(types)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.business_type")]
    async fn business_type(&self, id: i64) -> Result<BusinessType> {
        if let Some(b) = self.config.business_type(id) {
            return Ok(b);
        }
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {BT_COLS} FROM business_types WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("business type", id))?;
        rows::business_type(&row)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.create_counter", fields(hall = hall_id))]
    async fn create_counter(&self, hall_id: i64, input: &CounterInput) -> Result<Counter> {
        self.hall(hall_id).await?;
        self.check_counter(hall_id, input).await?;
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO counters (hall_id, number) VALUES ($1, $2) RETURNING id",
        )
        .bind(hall_id)
        .bind(input.number)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| counter_taken(e, input.number))?;
        self.write_counter_types(&mut w, id, input).await?;
        self.commit(w).await?;
        self.counter(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.update_counter")]
    async fn update_counter(&self, id: i64, input: &CounterInput) -> Result<Counter> {
        let current = self.counter(id).await?;
        self.check_counter(current.hall_id, input).await?;
        let mut w = self.begin().await?;
        sqlx::query("UPDATE counters SET number = $1 WHERE id = $2")
            .bind(input.number)
            .bind(id)
            .execute(&mut *w.tx)
            .await
            .map_err(|e| counter_taken(e, input.number))?;
        self.write_counter_types(&mut w, id, input).await?;
        self.commit(w).await?;
        self.counter(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.counters", fields(hall = hall_id))]
    async fn counters(&self, hall_id: i64) -> Result<Vec<Counter>> {
        self.load_counters("c.hall_id", hall_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.counter")]
    async fn counter(&self, id: i64) -> Result<Counter> {
        self.load_counters("c.id", id)
            .await?
            .pop()
            .ok_or_else(|| StoreError::not_found("counter", id))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.create_staff")]
    async fn create_staff(&self, s: &StaffInput, password_hash: &str) -> Result<Staff> {
        check_staff(s)?;
        if let Some(h) = s.hall_id {
            self.hall(h).await?;
        }
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO staff (hall_id, username, name, badge_no, role, password_hash, photo, active)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(s.hall_id).bind(&s.username).bind(&s.name).bind(&s.badge_no).bind(s.role.as_str())
        .bind(password_hash).bind(&s.photo).bind(s.active as i64)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("用户名已被占用，或工号在本厅已使用 · username {} is taken, or badge {} is already used in this hall", s.username, s.badge_no)))?;
        crate::audit::staff::created(&mut w, id, s).await?;
        self.commit(w).await?;
        self.staff(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.update_staff")]
    async fn update_staff(&self, id: i64, s: &StaffInput) -> Result<Staff> {
        check_staff(s)?;
        let mut w = self.begin().await?;
        let before = crate::audit::staff::before(&mut w, id).await?;
        let n = sqlx::query(
            "UPDATE staff SET hall_id = $1, username = $2, name = $3, badge_no = $4, role = $5, photo = $6, active = $7 WHERE id = $8",
        )
        .bind(s.hall_id).bind(&s.username).bind(&s.name).bind(&s.badge_no).bind(s.role.as_str())
        .bind(&s.photo).bind(s.active as i64).bind(id)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("用户名已被占用，或工号在本厅已使用 · username {} is taken, or badge {} is already used in this hall", s.username, s.badge_no)))?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("staff member", id));
        }
        // A region limits staff above halls only; moving into a hall or role drops it.
        sqlx::query("UPDATE staff SET region_id = NULL WHERE id = $1 AND (hall_id IS NOT NULL OR role NOT IN ('admin', 'supervisor'))")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        if !s.active {
            sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
        }
        crate::audit::staff::changed(&mut w, id, before, s).await?;
        self.commit(w).await?;
        self.staff(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.set_password")]
    async fn set_password(&self, id: i64, password_hash: &str) -> Result<()> {
        let mut w = self.begin().await?;
        let n = sqlx::query("UPDATE staff SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("staff member", id));
        }
        sqlx::query("DELETE FROM sessions WHERE staff_id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.staff_list", fields(hall = ?hall_id))]
    async fn staff_list(&self, hall_id: Option<i64>) -> Result<Vec<Staff>> {
        let rows = match hall_id {
            Some(h) => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {STAFF_COLS} FROM staff WHERE hall_id = $1 ORDER BY badge_no"
                )))
                .bind(h)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT {STAFF_COLS} FROM staff ORDER BY badge_no"
                )))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(rows::staff).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.staff")]
    async fn staff(&self, id: i64) -> Result<Staff> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {STAFF_COLS} FROM staff WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("staff member", id))?;
        rows::staff(&row)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.staff_login")]
    async fn staff_login(&self, username: &str) -> Result<Option<(Staff, String)>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {STAFF_COLS}, password_hash FROM staff WHERE username = $1 AND active = 1"
        )))
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        match row {
            Some(r) => Ok(Some((rows::staff(&r)?, r.try_get("password_hash")?))),
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.create_device", fields(hall = hall_id))]
    async fn create_device(
        &self,
        hall_id: i64,
        counter_id: Option<i64>,
        kind: DeviceKind,
        name: &str,
        token_hash: &str,
        now: i64,
    ) -> Result<Device> {
        self.hall(hall_id).await?;
        match (kind.needs_counter(), counter_id) {
            (true, None) => {
                return Err(invalid(format!(
                    "a {} belongs to a counter; give its counter number",
                    kind.as_str()
                )));
            }
            (_, Some(c)) if self.counter(c).await?.hall_id != hall_id => {
                return Err(invalid(
                    "该窗口属于其他营业厅 · that counter belongs to another hall",
                ));
            }
            _ => {}
        }
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO devices (hall_id, counter_id, kind, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(hall_id).bind(counter_id).bind(kind.as_str()).bind(name).bind(token_hash).bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        self.commit(w).await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DEVICE_COLS} FROM devices WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        rows::device(&row)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.devices", fields(hall = hall_id))]
    async fn devices(&self, hall_id: i64) -> Result<Vec<Device>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DEVICE_COLS} FROM devices WHERE hall_id = $1 ORDER BY id"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::device).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.revoke_device")]
    async fn revoke_device(&self, id: i64) -> Result<()> {
        let mut w = self.begin().await?;
        let n = sqlx::query("UPDATE devices SET revoked = 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("device", id));
        }
        self.commit(w).await?;
        self.config.clear_devices();
        Ok(())
    }
}

/// A unique-key refusal on a counter's number, said as the administrator reads it.
fn counter_taken(e: sqlx::Error, number: i64) -> StoreError {
    StoreError::unique_as(
        e,
        format!("本厅已有此窗口号 · counter {number} already exists in this hall"),
    )
}
