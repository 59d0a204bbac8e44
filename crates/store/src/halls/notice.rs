//! The hall's "soon your turn" threshold (提前提醒): the phone page following a ticket warns
//! its customer when this many tickets or fewer are ahead. Changed with an audit row in
//! `settings_audit` (setting `notify_ahead`), in the same transaction, like the feedback
//! settings.

use super::model::MAX_NOTIFY_AHEAD;
use crate::sql::SqlStore;
use crate::{HallStore, Result, SettingChange, StoreError};

impl SqlStore {
    pub(crate) async fn change_notify_ahead_sql(
        &self,
        hall_id: i64,
        notify_ahead: u32,
        by: Option<i64>,
        now: i64,
    ) -> Result<Option<SettingChange>> {
        if i64::from(notify_ahead) > MAX_NOTIFY_AHEAD {
            return Err(StoreError::Invalid(format!(
                "提前提醒人数须为 0–{MAX_NOTIFY_AHEAD} · the notice threshold must be 0 to {MAX_NOTIFY_AHEAD} tickets ahead, got {notify_ahead}"
            )));
        }
        let old = self.hall(hall_id).await?.notify_ahead;
        if old == notify_ahead {
            return Ok(None);
        }
        let mut w = self.begin().await?;
        sqlx::query("UPDATE halls SET notify_ahead = $1 WHERE id = $2")
            .bind(i64::from(notify_ahead))
            .bind(hall_id)
            .execute(&mut *w.tx)
            .await?;
        let change = vec![(
            "notify_ahead".to_string(),
            old.to_string(),
            notify_ahead.to_string(),
        )];
        let out = self
            .audit(&mut w.tx, Some(hall_id), change, by, now)
            .await?;
        self.commit(w).await?;
        self.config.clear();
        Ok(out.into_iter().next())
    }
}
