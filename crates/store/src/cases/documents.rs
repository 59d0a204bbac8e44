//! Document files of a case, stored in the database (`case_document_files`, a BLOB/BYTEA)
//! so that both backends and their backups carry them. The type is told by the content
//! (PDF, JPEG, PNG), the size is capped, and a document is superseded, never deleted.

use super::writes::{check_text, ensure_open, lock_case, log};
use crate::sql::SqlStore;
use crate::{
    CaseDetail, CaseStore, DocumentFile, DocumentInput, DocumentUpload, Result, StoreError,
};
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::audit::sha256_hex;
use servicehall_domain::cases::{
    CaseStatus, DocType, MAX_DOCUMENT_BYTES, check_quota, check_upload,
};
use sqlx::Row;

impl SqlStore {
    pub(crate) async fn upload_document_file(
        &self,
        case_id: i64,
        upload: &DocumentUpload,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        let (name, doc_type) = check_upload(&upload.name, &upload.bytes, MAX_DOCUMENT_BYTES)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let note = upload.note.trim();
        if note.chars().count() > 2000 {
            return Err(StoreError::Invalid(
                "备注过长（最多 2000 字） · note is too long (at most 2000 characters)".into(),
            ));
        }
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        if d.case.status == CaseStatus::Closed {
            return Err(StoreError::Conflict(
                "工单已办结，只能在办理中登记资料 · the case is closed; documents are added while it is open".into(),
            ));
        }
        // Read under the case's lock, so two uploads at once cannot both pass the quota.
        let held = sqlx::query("SELECT COUNT(*) AS files, CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) AS bytes FROM case_documents WHERE case_id = $1 AND size_bytes > 0")
            .bind(case_id)
            .fetch_one(&mut *w.tx)
            .await?;
        let files: i64 = held.try_get("files")?;
        let bytes: i64 = held.try_get("bytes")?;
        check_quota(files, bytes, upload.bytes.len())
            .map_err(|e| StoreError::Conflict(e.to_string()))?;
        let size = i64::try_from(upload.bytes.len()).unwrap_or(i64::MAX);
        let id: i64 = sqlx::query_scalar("INSERT INTO case_documents (case_id, name, received_at, received_by, note, content_type, size_bytes) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(case_id)
            .bind(&name)
            .bind(now)
            .bind(by)
            .bind(note)
            .bind(doc_type.mime())
            .bind(size)
            .fetch_one(&mut *w.tx)
            .await?;
        sqlx::query("INSERT INTO case_document_files (document_id, data) VALUES ($1, $2)")
            .bind(id)
            .bind(upload.bytes.as_slice())
            .execute(&mut *w.tx)
            .await?;
        // Through the audited case log: the chain pins the file's SHA-256 with the event.
        log(
            &mut w,
            case_id,
            "document_added",
            now,
            Some(by),
            "",
            "",
            None,
            &name,
            json!({"document_id": id, "content_type": doc_type.mime(), "size_bytes": size, "sha256": sha256_hex(&upload.bytes), "note": note}),
        )
        .await?;
        super::live::push_case_event(&mut w, case_id, "document_added", now).await?;
        self.commit(w).await?;
        self.case(case_id, now).await
    }

    pub(crate) async fn read_document_file(
        &self,
        case_id: i64,
        document_id: i64,
    ) -> Result<DocumentFile> {
        let r = sqlx::query("SELECT d.name, d.content_type, k.hall_id, f.data FROM case_documents d JOIN cases k ON k.id = d.case_id JOIN case_document_files f ON f.document_id = d.id WHERE d.id = $1 AND d.case_id = $2")
            .bind(document_id)
            .bind(case_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "该资料没有上传的文件 · case {case_id} has no uploaded file for document {document_id}"
                ))
            })?;
        let mime: String = r.try_get("content_type")?;
        Ok(DocumentFile {
            case_id,
            hall_id: r.try_get("hall_id")?,
            name: r.try_get("name")?,
            doc_type: DocType::from_mime(&mime).ok_or_else(|| {
                StoreError::Db(sqlx::Error::Decode(
                    format!("case_documents.content_type {mime:?}").into(),
                ))
            })?,
            bytes: r.try_get("data")?,
        })
    }

    pub(crate) async fn mark_superseded(
        &self,
        case_id: i64,
        document_id: i64,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > 500 {
            return Err(StoreError::Invalid(
                "say why the document is superseded (1–500 characters), e.g. 客户提供了新版 / a newer copy".into(),
            ));
        }
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        let doc = d
            .documents
            .iter()
            .find(|x| x.id == document_id)
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "工单没有这份资料 · case {} has no document {document_id}",
                    d.case.number
                ))
            })?;
        if doc.superseded_at.is_some() {
            return Err(StoreError::Conflict(format!(
                "该资料已作废 · document {:?} is already superseded",
                doc.name
            )));
        }
        sqlx::query("UPDATE case_documents SET superseded_at = $1, superseded_by = $2, superseded_reason = $3 WHERE id = $4")
            .bind(now)
            .bind(by)
            .bind(reason)
            .bind(document_id)
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "document_superseded",
            now,
            Some(by),
            "",
            "",
            None,
            reason,
            json!({"document_id": document_id, "name": doc.name}),
        )
        .await?;
        super::live::push_case_event(&mut w, case_id, "document_superseded", now).await?;
        self.commit(w).await?;
        self.case(case_id, now).await
    }
}

#[async_trait]
impl CaseDocumentStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.cases.documents.add_document")]
    async fn add_document(
        &self,
        case_id: i64,
        doc: &DocumentInput,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        check_text("document name (资料名称)", &doc.name, 200, true)?;
        check_text("note", &doc.note, 2000, false)?;
        let received = doc.received_at.unwrap_or(now);
        if received > now + 5 * 60_000 {
            return Err(StoreError::Invalid(
                "收件时间不能晚于现在，请填写客户交件的时间 · received_at is in the future; give when the customer handed the document in"
                    .into(),
            ));
        }
        let mut w = self.begin().await?;
        let d = lock_case(&mut w, case_id, now).await?;
        ensure_open(&d)?;
        sqlx::query("INSERT INTO case_documents (case_id, name, received_at, received_by, note) VALUES ($1, $2, $3, $4, $5)")
            .bind(case_id)
            .bind(doc.name.trim())
            .bind(received)
            .bind(by)
            .bind(doc.note.trim())
            .execute(&mut *w.tx)
            .await?;
        log(
            &mut w,
            case_id,
            "document_added",
            now,
            Some(by),
            "",
            "",
            None,
            doc.name.trim(),
            json!({"received_at": received, "note": doc.note.trim()}),
        )
        .await?;
        self.after_write(w, case_id, now, Some("document_added"))
            .await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.cases.documents.upload_document"
    )]
    async fn upload_document(
        &self,
        case_id: i64,
        upload: &DocumentUpload,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        self.upload_document_file(case_id, upload, by, now).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.cases.documents.document_file"
    )]
    async fn document_file(&self, case_id: i64, document_id: i64) -> Result<DocumentFile> {
        self.read_document_file(case_id, document_id).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.cases.documents.supersede_document"
    )]
    async fn supersede_document(
        &self,
        case_id: i64,
        document_id: i64,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        self.mark_superseded(case_id, document_id, reason, by, now)
            .await
    }
}

/// A case's documents (资料): recorded by name, or uploaded as files kept in the database.
#[async_trait]
pub trait CaseDocumentStore: Send + Sync + 'static {
    async fn add_document(
        &self,
        case_id: i64,
        doc: &DocumentInput,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// Stores an uploaded file (PDF/JPEG/PNG checked by content, size-capped) with its case
    /// log entry, in one transaction.
    async fn upload_document(
        &self,
        case_id: i64,
        upload: &DocumentUpload,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
    /// A document's file; not found when the document has no file (metadata only).
    async fn document_file(&self, case_id: i64, document_id: i64) -> Result<DocumentFile>;
    /// Marks a document superseded (kept, shown struck through), with the reason in the log.
    async fn supersede_document(
        &self,
        case_id: i64,
        document_id: i64,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail>;
}
