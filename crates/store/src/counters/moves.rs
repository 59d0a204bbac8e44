//! Moving a clerk from one counter to another (调岗) in one transaction, so a refused move
//! leaves both counters as they were and no display ever shows the clerk nowhere.

use crate::sql::{SqlStore, WriteTx};
use crate::*;

impl SqlStore {
    async fn counter_staff(&self, w: &mut WriteTx, counter_id: i64) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT staff_id FROM counters WHERE id = $1")
                .bind(counter_id)
                .fetch_one(&mut *w.tx)
                .await?,
        )
    }

    pub(crate) async fn move_clerk_between(
        &self,
        from_id: i64,
        to_id: i64,
        now: i64,
    ) -> Result<Counter> {
        if from_id == to_id {
            return Err(StoreError::Invalid(
                "请选择另一个窗口 · choose a different counter to move to".into(),
            ));
        }
        let mut w = self.begin().await?;
        // Lock in id order so two moves in opposite directions cannot deadlock.
        let (first, second) = (from_id.min(to_id), from_id.max(to_id));
        let a = self.lock_counter(&mut w, first).await?;
        let b = self.lock_counter(&mut w, second).await?;
        let (from, to) = if first == from_id { (a, b) } else { (b, a) };
        let (from_hall, from_no, from_status, _) = from;
        let (to_hall, to_no, to_status, _) = to;
        if from_hall != to_hall {
            return Err(StoreError::Invalid(
                "只能在本厅窗口之间调岗 · a clerk moves between counters of the same hall".into(),
            ));
        }
        let staff = self.counter_staff(&mut w, from_id).await?;
        let Some(staff_id) = staff.filter(|_| from_status != CounterStatus::Closed) else {
            return Err(StoreError::Conflict(format!(
                "{from_no} 号窗口无人上岗，无从调岗 · nobody is on duty at counter {from_no}"
            )));
        };
        if to_status != CounterStatus::Closed {
            return Err(StoreError::Conflict(format!(
                "{to_no} 号窗口{}，只能调往未开放的窗口 · counter {to_no} is {}; move to a closed counter",
                to_status.label_zh(),
                to_status.as_str()
            )));
        }
        if let Some(t) = self.at_counter_in(&mut w, from_id).await? {
            return Err(StoreError::Conflict(format!(
                "{from_no} 号窗口仍在办理 {}，请先办结或转办再调岗 · counter {from_no} is still working on {}; finish or transfer it first",
                t.number, t.number
            )));
        }
        let set = "UPDATE counters SET status = $1, staff_id = $2, pause_reason = '', status_since = $3 WHERE id = $4";
        sqlx::query(set)
            .bind(CounterStatus::Closed.as_str())
            .bind(None::<i64>)
            .bind(now)
            .bind(from_id)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(set)
            .bind(CounterStatus::Open.as_str())
            .bind(staff_id)
            .bind(now)
            .bind(to_id)
            .execute(&mut *w.tx)
            .await?;
        self.counter_event(&mut w, from_id, now).await?;
        self.counter_event(&mut w, to_id, now).await?;
        self.commit(w).await?;
        self.counter(to_id).await
    }
}
