//! The customer's access code of a case (查询码, `domain::cases::access_code`): drawn when
//! the case is registered, and the public lookup by case number and code.

use crate::CaseDetail;
use crate::sql::SqlStore;
use crate::{CaseStore, Result, StoreError};
use servicehall_domain::cases;
use sqlx::Row;

/// A new access code for a case's customer, from the operating system's random source.
pub(crate) fn new_access_code() -> Result<String> {
    let mut random = [0u8; cases::access_code::LEN];
    getrandom::fill(&mut random).map_err(|e| {
        StoreError::Db(sqlx::Error::Io(std::io::Error::other(format!(
            "系统暂时无法生成查询码，请稍后再试 · no random source for the case's access code: {e}"
        ))))
    })?;
    Ok(cases::access_code::from_random(random))
}

impl SqlStore {
    /// The case with `number` whose access code is `code` (as typed); any mismatch is the
    /// same `NotFound`, so the answer does not tell whether the number exists.
    pub(crate) async fn case_by_code(
        &self,
        number: &str,
        code: &str,
        now: i64,
    ) -> Result<CaseDetail> {
        let none = || {
            StoreError::NotFound(
                "没有与该工单号和查询码相符的工单，请核对 · No case matches that number and access code; check both".into(),
            )
        };
        let number = number.trim();
        if number.len() > 40 || cases::access_code::normalize(code).is_none() {
            return Err(none());
        }
        // Numbers repeat across halls (each hall counts its own); the code tells them apart.
        let rows =
            sqlx::query("SELECT id, access_code FROM cases WHERE number = $1 ORDER BY id DESC")
                .bind(number)
                .fetch_all(&self.pool)
                .await?;
        for r in rows {
            let stored: String = r.try_get("access_code")?;
            if cases::access_code::matches(&stored, code) {
                return self.case(r.try_get("id")?, now).await;
            }
        }
        Err(none())
    }
}
