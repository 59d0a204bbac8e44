//! Appeal evidence files (申诉证据) on SQL: kept as bytes in `scorecard_appeal_files` like
//! case documents, checked by content, and each one appended to the hall's audit chain
//! with its SHA-256 in the transaction that stores it.

use super::{AppealFileData, AppealFileRow, NewAppealFile};
use crate::audit::append::{Append, append};
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use servicehall_domain::audit::sha256_hex;
use servicehall_domain::scorecards::evidence::{EvidenceError, check_evidence};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

const FILE_COLS: &str = "id, appeal_id, name, content_type, size_bytes, sha256, added_by, added_at";

fn file_row(r: &AnyRow) -> Result<AppealFileRow> {
    Ok(AppealFileRow {
        id: r.try_get("id")?,
        appeal_id: r.try_get("appeal_id")?,
        name: r.try_get("name")?,
        content_type: r.try_get("content_type")?,
        size_bytes: r.try_get("size_bytes")?,
        sha256: r.try_get("sha256")?,
        added_by: r.try_get("added_by")?,
        added_at: r.try_get("added_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn insert_appeal_file(
        &self,
        f: NewAppealFile,
        now: i64,
    ) -> Result<AppealFileRow> {
        let mut w = self.begin().await?;
        // Locks the appeal for the rest of the transaction, so two uploads at once cannot
        // both pass the count or land after a decision.
        let n = sqlx::query("UPDATE scorecard_appeals SET state = state WHERE id = $1")
            .bind(f.appeal_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "没有第 {0} 号申诉，请从申诉列表中选择 · no appeal {0}; pick one from the list",
                f.appeal_id
            )));
        }
        let (hall, state, held): (i64, String, i64) = sqlx::query_as(
            "SELECT a.hall_id, a.state, (SELECT COUNT(*) FROM scorecard_appeal_files x WHERE x.appeal_id = a.id)
             FROM scorecard_appeals a WHERE a.id = $1",
        )
        .bind(f.appeal_id)
        .fetch_one(&mut *w.tx)
        .await?;
        let (name, kind) =
            check_evidence(&f.name, &f.bytes, &state, held).map_err(|e| match e {
                EvidenceError::Upload(_) => StoreError::Invalid(e.to_string()),
                EvidenceError::TooMany | EvidenceError::Decided => {
                    StoreError::Conflict(e.to_string())
                }
            })?;
        let sha = sha256_hex(&f.bytes);
        let size = i64::try_from(f.bytes.len()).unwrap_or(i64::MAX);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO scorecard_appeal_files (appeal_id, name, content_type, size_bytes, sha256, added_by, added_at, data)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(f.appeal_id)
        .bind(&name)
        .bind(kind.mime())
        .bind(size)
        .bind(&sha)
        .bind(f.added_by)
        .bind(now)
        .bind(f.bytes.as_slice())
        .fetch_one(&mut *w.tx)
        .await?;
        let rec = Append {
            hall: Some(hall),
            kind: "scorecard.appeal_evidence",
            subject: format!(
                "申诉证据 appeal #{} evidence {name} ({size} bytes, SHA-256 {sha})",
                f.appeal_id
            ),
            source: Some(("scorecard_appeal_files", id)),
        };
        append(&mut w, rec, now).await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {FILE_COLS} FROM scorecard_appeal_files WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&mut *w.tx)
        .await?;
        let row = file_row(&row)?;
        self.commit(w).await?;
        Ok(row)
    }

    pub(crate) async fn list_appeal_files(&self, appeal_ids: &[i64]) -> Result<Vec<AppealFileRow>> {
        if appeal_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {FILE_COLS} FROM scorecard_appeal_files WHERE appeal_id IN ({}) ORDER BY id",
            crate::sql::placeholders(1, appeal_ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in appeal_ids {
            q = q.bind(*id);
        }
        q.fetch_all(&self.pool)
            .await?
            .iter()
            .map(file_row)
            .collect()
    }

    pub(crate) async fn read_appeal_file(
        &self,
        appeal_id: i64,
        file_id: i64,
    ) -> Result<AppealFileData> {
        let sql = format!(
            "SELECT f.{}, a.hall_id, f.data FROM scorecard_appeal_files f JOIN scorecard_appeals a ON a.id = f.appeal_id
             WHERE f.id = $1 AND f.appeal_id = $2",
            FILE_COLS.replace(", ", ", f.")
        );
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(file_id)
            .bind(appeal_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "第 {appeal_id} 号申诉没有这个证据文件 · appeal {appeal_id} has no evidence file {file_id}"
                ))
            })?;
        Ok(AppealFileData {
            file: file_row(&r)?,
            hall_id: r.try_get("hall_id")?,
            bytes: r.try_get("data")?,
        })
    }
}
