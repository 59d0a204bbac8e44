//! Scheduling a call-back (预约回访): the owner agrees a time with the customer; the case's
//! log keeps it (`callback_scheduled`, its time in `data.at`), and the customer is told
//! through the notifier when they consented to case notices.

use super::writes::*;
use crate::sql::SqlStore;
use crate::{CaseDetail, Result, StoreError};
use serde_json::json;
use servicehall_domain::notify::cases::check_callback_time;

impl SqlStore {
    pub(crate) async fn schedule_callback_sql(
        &self,
        case_id: i64,
        at: i64,
        by: i64,
        note: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("note", note, 2000, false)?;
        check_callback_time(at, now).map_err(StoreError::Invalid)?;
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        log(
            &mut w,
            case_id,
            "callback_scheduled",
            now,
            Some(by),
            "",
            "",
            None,
            note.trim(),
            json!({ "at": at }),
        )
        .await?;
        self.after_write(w, case_id, now, Some("callback_scheduled"))
            .await
    }
}
