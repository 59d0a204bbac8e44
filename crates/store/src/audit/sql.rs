//! [`AuditStore`] on SQLite and PostgreSQL.

use super::append::{Append, append};
use super::{AuditStore, model::*, seal::seal_hall, sources};
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::audit::{Entry, Head, SourceNow, StoredRecord, verify_chain};
use sqlx::AnyConnection;

const RECORD_COLUMNS: &str = "id, chain, seq, prev_hash, hash, at, actor, origin, kind, subject, digest, source_table, source_id, source_to";

type RecordRow = (
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
);

fn record(r: RecordRow) -> AuditRecord {
    AuditRecord {
        id: r.0,
        chain: r.1,
        seq: r.2,
        prev_hash: r.3,
        hash: r.4,
        at: r.5,
        actor: r.6,
        origin: r.7,
        kind: r.8,
        subject: r.9,
        digest: r.10,
        source_table: r.11,
        source_id: r.12,
        source_to: r.13,
    }
}

/// Walks one chain inside the caller's read transaction.
async fn check_chain(conn: &mut AnyConnection, chain: i64) -> Result<ChainCheck> {
    let head: Option<(i64, String, i64)> =
        sqlx::query_as("SELECT seq, hash, sealed_through FROM audit_heads WHERE chain = $1")
            .bind(chain)
            .fetch_optional(&mut *conn)
            .await?;
    let rows: Vec<RecordRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {RECORD_COLUMNS} FROM audit_records WHERE chain = $1 ORDER BY seq"
    )))
    .bind(chain)
    .fetch_all(&mut *conn)
    .await?;
    let kept: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, sealed FROM audit_records WHERE chain = $1 AND source_table = 'hall_events' ORDER BY seq",
    )
    .bind(chain)
    .fetch_all(&mut *conn)
    .await?;
    let mut records = Vec::with_capacity(rows.len());
    for r in rows {
        let r = record(r);
        let source = match (r.source_table.as_str(), r.source_id) {
            ("", _) | (_, None) => SourceNow::None,
            ("hall_events", Some(from)) => SourceNow::Sealed {
                table: r.source_table.clone(),
                kept: kept
                    .iter()
                    .find(|k| k.0 == r.id)
                    .map(|k| k.1.clone())
                    .unwrap_or_default(),
                now: sources::hall_events(conn, chain, from, r.source_to.unwrap_or(from)).await?,
            },
            (table, Some(id)) => SourceNow::Row {
                table: table.to_string(),
                id,
                digest: sources::row(conn, table, id).await?,
            },
        };
        records.push(StoredRecord {
            id: r.id,
            entry: Entry {
                chain: r.chain,
                seq: r.seq,
                prev_hash: r.prev_hash,
                at: r.at,
                actor: r.actor,
                origin: r.origin,
                kind: r.kind,
                subject: r.subject,
                digest: r.digest,
            },
            hash: r.hash,
            source,
        });
    }
    let stored = head.as_ref().map(|h| Head {
        chain,
        seq: h.0,
        hash: h.1.clone(),
    });
    let unsealed_events: i64 = if chain == 0 {
        0
    } else {
        sqlx::query_scalar("SELECT COUNT(*) FROM hall_events WHERE hall_id = $1 AND id > $2")
            .bind(chain)
            .bind(head.as_ref().map_or(0, |h| h.2))
            .fetch_one(&mut *conn)
            .await?
    };
    Ok(match verify_chain(chain, &records, stored.as_ref()) {
        Ok(s) => ChainCheck {
            chain,
            records: s.records,
            seq: s.head.seq,
            hash: s.head.hash,
            unsealed_events,
            broken: None,
        },
        Err(b) => ChainCheck {
            chain,
            records: records.len() as i64,
            seq: stored.as_ref().map_or(0, |h| h.seq),
            hash: stored.map_or_else(String::new, |h| h.hash),
            unsealed_events,
            broken: Some(b),
        },
    })
}

#[async_trait]
impl AuditStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.audit.audit_heads")]
    async fn audit_heads(&self, hall: Option<i64>) -> Result<Vec<AuditHead>> {
        let rows: Vec<(i64, i64, String, i64)> = match hall {
            Some(h) => {
                sqlx::query_as(
                    "SELECT chain, seq, hash, sealed_through FROM audit_heads WHERE chain = $1",
                )
                .bind(h)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query_as(
                    "SELECT chain, seq, hash, sealed_through FROM audit_heads ORDER BY chain",
                )
                .fetch_all(&self.pool)
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|(chain, seq, hash, sealed_through)| AuditHead {
                chain,
                seq,
                hash,
                sealed_through,
            })
            .collect())
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.audit.audit_records")]
    async fn audit_records(&self, chain: Option<i64>, limit: i64) -> Result<Vec<AuditRecord>> {
        let limit = limit.clamp(1, 500);
        let rows: Vec<RecordRow> = match chain {
            Some(c) => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {RECORD_COLUMNS} FROM audit_records WHERE chain = $1 ORDER BY seq DESC LIMIT $2"
            )))
            .bind(c)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?,
            None => sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {RECORD_COLUMNS} FROM audit_records ORDER BY at DESC, id DESC LIMIT $1"
            )))
            .bind(limit)
            .fetch_all(&self.pool)
            .await?,
        };
        Ok(rows.into_iter().map(record).collect())
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.audit.audit_record")]
    async fn audit_record(&self, chain: i64, seq: i64) -> Result<Option<AuditRecord>> {
        let r: Option<RecordRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM audit_records WHERE chain = $1 AND seq = $2"
        )))
        .bind(chain)
        .bind(seq)
        .fetch_optional(&self.pool)
        .await?;
        Ok(r.map(record))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.audit.append_audit")]
    async fn append_audit(&self, input: &AuditInput, now: i64) -> Result<AuditRecord> {
        if input.kind.trim().is_empty() || input.subject.trim().is_empty() {
            return Err(StoreError::Invalid(
                "记录须有类别和内容 · a record needs a kind and a subject".into(),
            ));
        }
        let mut w = self.begin().await?;
        let head = append(
            &mut w,
            Append {
                hall: input.hall_id,
                kind: input.kind.trim(),
                subject: input.subject.trim().to_string(),
                source: None,
            },
            now,
        )
        .await?;
        let r: RecordRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {RECORD_COLUMNS} FROM audit_records WHERE chain = $1 AND seq = $2"
        )))
        .bind(head.chain)
        .bind(head.seq)
        .fetch_one(&mut *w.tx)
        .await?;
        self.commit(w).await?;
        Ok(record(r))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.audit.seal_hall_events")]
    async fn seal_hall_events(&self, batch: i64, now: i64) -> Result<i64> {
        let batch = batch.clamp(1, 10_000);
        // Halls with events past their sealed mark; the check is a read, so an idle
        // deployment takes no write lock.
        let halls: Vec<i64> = sqlx::query_scalar(
            "SELECT h.id FROM halls h WHERE EXISTS (SELECT 1 FROM hall_events e WHERE e.hall_id = h.id
               AND e.id > COALESCE((SELECT a.sealed_through FROM audit_heads a WHERE a.chain = h.id), 0)) ORDER BY h.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut sealed = 0;
        for hall in halls {
            loop {
                let mut w = self.begin().await?;
                let n = seal_hall(&mut w, hall, batch, now).await?;
                self.commit(w).await?;
                sealed += n;
                if n < batch {
                    break;
                }
            }
        }
        Ok(sealed)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.audit.verify_audit")]
    async fn verify_audit(&self, by: &str, now: i64) -> Result<AuditReport> {
        let mut tx = self.pool.begin().await?;
        if self.backend() == crate::Backend::Postgres {
            // One snapshot for the whole walk: an append during it must not look like a
            // chain running past its head.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        let chains: Vec<i64> = sqlx::query_scalar(
            "SELECT chain FROM audit_heads UNION SELECT chain FROM audit_records ORDER BY 1",
        )
        .fetch_all(&mut *tx)
        .await?;
        let mut report = AuditReport {
            chains: Vec::with_capacity(chains.len()),
            records: 0,
        };
        for chain in chains {
            let c = check_chain(&mut tx, chain).await?;
            report.records += c.records;
            report.chains.push(c);
        }
        tx.rollback().await?;
        let finding = report
            .first_break()
            .map(|b| b.describe())
            .unwrap_or_default();
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO audit_verifications (at, by_whom, ok, records, finding) VALUES ($1, $2, $3, $4, $5)")
            .bind(now)
            .bind(by)
            .bind(i64::from(finding.is_empty()))
            .bind(report.records)
            .bind(&finding)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        Ok(report)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.audit.last_audit_verification"
    )]
    async fn last_audit_verification(&self) -> Result<Option<AuditVerification>> {
        let r: Option<(i64, String, i64, i64, String)> = sqlx::query_as(
            "SELECT at, by_whom, ok, records, finding FROM audit_verifications ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        Ok(
            r.map(|(at, by_whom, ok, records, finding)| AuditVerification {
                at,
                by_whom,
                ok: ok != 0,
                records,
                finding,
            }),
        )
    }
}
