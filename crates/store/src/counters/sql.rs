//! Counters at work: open, pause, close (挂牌上岗), the ticket a counter works on, the
//! clerk on duty and the read-back (唱收唱付).

use crate::sql::rows::{self, TICKET_COLS};
use crate::sql::{SqlStore, WriteTx};
use crate::*;
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::Role;
use sqlx::{AssertSqlSafe, Row};

impl SqlStore {
    pub(crate) async fn counter_event(
        &self,
        w: &mut WriteTx,
        counter_id: i64,
        now: i64,
    ) -> Result<()> {
        let r = sqlx::query(
            "SELECT c.hall_id, c.number, c.status, c.pause_reason, s.name, s.badge_no
             FROM counters c LEFT JOIN staff s ON s.id = c.staff_id WHERE c.id = $1",
        )
        .bind(counter_id)
        .fetch_one(&mut *w.tx)
        .await?;
        let hall_id: i64 = r.try_get("hall_id")?;
        let payload = json!({
            "counter_id": counter_id,
            "number": r.try_get::<i64, _>("number")?,
            "status": r.try_get::<String, _>("status")?,
            "reason": r.try_get::<String, _>("pause_reason")?,
            "clerk_name": r.try_get::<Option<String>, _>("name")?,
            "badge_no": r.try_get::<Option<String>, _>("badge_no")?,
        });
        w.push_event(hall_id, "counter", payload, now).await
    }

    pub(crate) async fn at_counter_in(
        &self,
        w: &mut WriteTx,
        counter_id: i64,
    ) -> Result<Option<Ticket>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE counter_id = $1 AND state IN ('called', 'serving', 'held') ORDER BY id LIMIT 1"
        )))
        .bind(counter_id)
        .fetch_optional(&mut *w.tx)
        .await?;
        row.as_ref().map(rows::ticket).transpose()
    }

    /// Locks a counter's row for this transaction (PostgreSQL) and returns its hall, number and status.
    pub(crate) async fn lock_counter(
        &self,
        w: &mut WriteTx,
        counter_id: i64,
    ) -> Result<(i64, i64, CounterStatus, String)> {
        let n = sqlx::query("UPDATE counters SET status_since = status_since WHERE id = $1")
            .bind(counter_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("counter", counter_id));
        }
        let r =
            sqlx::query("SELECT hall_id, number, status, pause_reason FROM counters WHERE id = $1")
                .bind(counter_id)
                .fetch_one(&mut *w.tx)
                .await?;
        let status: String = r.try_get("status")?;
        Ok((
            r.try_get("hall_id")?,
            r.try_get("number")?,
            CounterStatus::parse(&status),
            r.try_get("pause_reason")?,
        ))
    }

    async fn set_counter_status(
        &self,
        counter_id: i64,
        status: CounterStatus,
        staff_id: Option<i64>,
        reason: &str,
        now: i64,
    ) -> Result<Counter> {
        let mut w = self.begin().await?;
        let (_, number, current, _) = self.lock_counter(&mut w, counter_id).await?;
        let busy = self.at_counter_in(&mut w, counter_id).await?;
        match (status, busy) {
            (CounterStatus::Closed, Some(t)) => {
                return Err(StoreError::Conflict(format!(
                    "窗口仍在办理业务，请先办结或转办再关闭 · counter {number} is still working on {} ({}); finish or transfer it before closing",
                    t.number,
                    t.state.label_zh()
                )));
            }
            (CounterStatus::Paused, _) if current != CounterStatus::Open => {
                return Err(StoreError::Conflict(format!(
                    "只有开放中的窗口可以暂停 · counter {number} is {}; only an open counter can pause",
                    current.label_zh()
                )));
            }
            _ => {}
        }
        sqlx::query("UPDATE counters SET status = $1, staff_id = $2, pause_reason = $3, status_since = $4 WHERE id = $5")
            .bind(status.as_str())
            .bind(staff_id)
            .bind(reason)
            .bind(now)
            .bind(counter_id)
            .execute(&mut *w.tx)
            .await?;
        self.counter_event(&mut w, counter_id, now).await?;
        self.commit(w).await?;
        self.counter(counter_id).await
    }
}

#[async_trait]
impl CounterStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.open_counter")]
    async fn open_counter(&self, counter_id: i64, staff_id: i64, now: i64) -> Result<Counter> {
        let counter = self.counter(counter_id).await?;
        let staff = self.staff(staff_id).await?;
        if !staff.active
            || staff.hall_id != Some(counter.hall_id)
            || !matches!(staff.role, Role::Clerk | Role::HallManager)
        {
            return Err(StoreError::Invalid(format!(
                "此人不能在本厅窗口办理业务 · {} ({}) cannot serve at a counter of this hall",
                staff.name, staff.badge_no
            )));
        }
        let elsewhere: Option<i64> = sqlx::query_scalar(
            "SELECT number FROM counters WHERE staff_id = $1 AND id <> $2 AND status <> 'closed'",
        )
        .bind(staff_id)
        .bind(counter_id)
        .fetch_optional(&self.pool)
        .await?;
        if let Some(n) = elsewhere {
            return Err(StoreError::Conflict(format!(
                "此人正在另一窗口上岗，请先关闭该窗口 · {} is on duty at counter {n}; close it first",
                staff.name
            )));
        }
        if let Some(other) = &counter.clerk
            && other.staff_id != staff_id
            && counter.status != CounterStatus::Closed
        {
            return Err(StoreError::Conflict(format!(
                "窗口已有人上岗，须由其先关闭窗口 · counter {} is staffed by {} ({}); they must close it first",
                counter.number, other.name, other.badge_no
            )));
        }
        self.set_counter_status(counter_id, CounterStatus::Open, Some(staff_id), "", now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.pause_counter")]
    async fn pause_counter(&self, counter_id: i64, reason: &str, now: i64) -> Result<Counter> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 40 {
            return Err(StoreError::Invalid(
                "暂停须填写 1 到 40 个字的原因，如“午休” · pausing needs a reason of 1 to 40 characters, e.g. 午休 / lunch".into(),
            ));
        }
        let staff = self.counter(counter_id).await?.clerk.map(|c| c.staff_id);
        self.set_counter_status(counter_id, CounterStatus::Paused, staff, reason, now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.close_counter")]
    async fn close_counter(&self, counter_id: i64, now: i64) -> Result<Counter> {
        self.set_counter_status(counter_id, CounterStatus::Closed, None, "", now)
            .await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.move_clerk")]
    async fn move_clerk(&self, from_id: i64, to_id: i64, now: i64) -> Result<Counter> {
        self.move_clerk_between(from_id, to_id, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.current_at_counter")]
    async fn current_at_counter(&self, counter_id: i64) -> Result<Option<Ticket>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE counter_id = $1 AND state IN ('called', 'serving', 'held') ORDER BY id LIMIT 1"
        )))
        .bind(counter_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(rows::ticket).transpose()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.read_back")]
    async fn read_back(&self, ticket_id: i64) -> Result<Option<StoredReadBack>> {
        let row = sqlx::query("SELECT due, received, at FROM read_backs WHERE ticket_id = $1")
            .bind(ticket_id)
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some(StoredReadBack {
                ticket_id,
                read_back: servicehall_domain::ReadBack::new(
                    r.try_get("due")?,
                    r.try_get("received")?,
                )?,
                at: r.try_get("at")?,
            })),
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.counters.counter_on_duty", fields(hall = hall_id))]
    async fn counter_on_duty(&self, hall_id: i64, staff_id: i64) -> Result<Option<Counter>> {
        Ok(self
            .load_counters_where(
                "c.hall_id = $1 AND c.staff_id = $2 AND c.status <> 'closed'",
                &[hall_id, staff_id],
            )
            .await?
            .into_iter()
            .next())
    }
}
