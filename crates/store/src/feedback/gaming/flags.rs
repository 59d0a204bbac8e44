//! Anti-gaming flags as stored (table `gaming_flags`, migration 0012): one open row per
//! (hall, kind, subject), refreshed by each detection; a supervisor's finding closes it.

use crate::sql::SqlStore;
use crate::{FlagFilter, FlagState, Paged, StoredFlag, Window};
use crate::{Result, StoreError};
use servicehall_domain::feedback::gaming::{
    EvidenceTicket, Figure, Finding, Flag, FlagKind, Subject, check_finding_note,
};
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, hall_id, kind, subject_type, subject_id, summary_zh, figures, tickets, first_seen_at, last_seen_at, finding, finding_note, finding_by, finding_at";

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(
        format!("gaming_flags.{what}: {e}").into(),
    ))
}

fn json(what: &str, v: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(v).map_err(|e| corrupt(what, e))
}

fn flag_of(r: &AnyRow) -> Result<StoredFlag> {
    let kind: String = r.try_get("kind")?;
    let subject_type: String = r.try_get("subject_type")?;
    let figures: String = r.try_get("figures")?;
    let tickets: String = r.try_get("tickets")?;
    let finding: String = r.try_get("finding")?;
    let flag = Flag {
        kind: FlagKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
        subject: Subject::from_parts(&subject_type, r.try_get("subject_id")?)
            .ok_or_else(|| corrupt("subject_type", &subject_type))?,
        summary_zh: r.try_get("summary_zh")?,
        figures: serde_json::from_str::<Vec<Figure>>(&figures)
            .map_err(|e| corrupt("figures", e))?,
        tickets: serde_json::from_str::<Vec<EvidenceTicket>>(&tickets)
            .map_err(|e| corrupt("tickets", e))?,
    };
    Ok(StoredFlag {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        flag,
        first_seen_at: r.try_get("first_seen_at")?,
        last_seen_at: r.try_get("last_seen_at")?,
        finding: Finding::parse(&finding),
        finding_note: r.try_get("finding_note")?,
        finding_by: r.try_get("finding_by")?,
        finding_at: r.try_get("finding_at")?,
    })
}

impl SqlStore {
    pub(crate) async fn record_flags_sql(
        &self,
        hall_id: i64,
        flags: &[Flag],
        now: i64,
    ) -> Result<()> {
        if flags.is_empty() {
            return Ok(());
        }
        let mut w = self.begin().await?;
        for f in flags {
            let (subject_type, subject_id) = f.subject.parts();
            let last = f.last_ticket_id();
            // Already judged on this evidence: the finding stands until newer tickets show
            // the pattern again.
            let judged: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(last_ticket_id) FROM gaming_flags
                 WHERE hall_id = $1 AND kind = $2 AND subject_type = $3 AND subject_id = $4 AND finding <> ''",
            )
            .bind(hall_id)
            .bind(f.kind.as_str())
            .bind(subject_type)
            .bind(subject_id)
            .fetch_one(&mut *w.tx)
            .await?;
            if judged.is_some_and(|j| last <= j) {
                continue;
            }
            sqlx::query(
                "INSERT INTO gaming_flags (hall_id, kind, subject_type, subject_id, summary_zh, figures, tickets, last_ticket_id, first_seen_at, last_seen_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
                 ON CONFLICT (hall_id, kind, subject_type, subject_id) WHERE finding = ''
                 DO UPDATE SET summary_zh = excluded.summary_zh, figures = excluded.figures,
                     tickets = excluded.tickets, last_ticket_id = excluded.last_ticket_id,
                     last_seen_at = excluded.last_seen_at",
            )
            .bind(hall_id)
            .bind(f.kind.as_str())
            .bind(subject_type)
            .bind(subject_id)
            .bind(f.summary_zh.clone())
            .bind(json("figures", &f.figures)?)
            .bind(json("tickets", &f.tickets)?)
            .bind(last)
            .bind(now)
            .execute(&mut *w.tx)
            .await?;
        }
        self.commit(w).await
    }

    pub(crate) async fn stored_flags_sql(
        &self,
        hall_id: i64,
        since: i64,
    ) -> Result<Vec<StoredFlag>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM gaming_flags
             WHERE hall_id = $1 AND (finding = '' OR last_seen_at >= $2 OR finding_at >= $2)
             ORDER BY CASE WHEN finding = '' THEN 0 ELSE 1 END, last_seen_at DESC, id DESC"
        )))
        .bind(hall_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(flag_of).collect()
    }

    pub(crate) async fn flag_page_sql(
        &self,
        hall_id: i64,
        f: &FlagFilter,
        w: Window,
    ) -> Result<Paged<StoredFlag>> {
        // Open is the empty finding; a judged state is the finding's own word.
        const FILTER: &str = "FROM gaming_flags WHERE hall_id = $1
             AND ((first_seen_at < $3 AND last_seen_at >= $2) OR (finding_at >= $2 AND finding_at < $3))
             AND ($4 IS NULL OR kind = $4)
             AND ($5 IS NULL OR ($5 = 'open' AND finding = '') OR finding = $5)";
        let bind = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(hall_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.kind.map(FlagKind::as_str))
                .bind(f.state.map(FlagState::as_str))
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n {FILTER}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind(format!(
            "SELECT {COLUMNS} {FILTER}
             ORDER BY CASE WHEN finding = '' THEN 0 ELSE 1 END, last_seen_at DESC, id DESC LIMIT $6 OFFSET $7"
        ))
        .bind(w.limit)
        .bind(w.offset)
        .fetch_all(&self.pool)
        .await?;
        let items = rows.iter().map(flag_of).collect::<Result<_>>()?;
        Ok(Paged { items, total })
    }

    pub(crate) async fn stored_flag_sql(&self, id: i64) -> Result<StoredFlag> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM gaming_flags WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| {
            StoreError::NotFound(format!("没有这条防刷评标记 · no anti-gaming flag {id}"))
        })?;
        flag_of(&row)
    }

    pub(crate) async fn acknowledge_flag_sql(
        &self,
        id: i64,
        finding: Finding,
        note: &str,
        by: i64,
        now: i64,
    ) -> Result<StoredFlag> {
        let note = check_finding_note(note).map_err(StoreError::Invalid)?;
        let existing = self.stored_flag_sql(id).await?;
        let mut w = self.begin().await?;
        let done = sqlx::query(
            "UPDATE gaming_flags SET finding = $1, finding_note = $2, finding_by = $3, finding_at = $4
             WHERE id = $5 AND finding = ''",
        )
        .bind(finding.as_str())
        .bind(note.to_string())
        .bind(by)
        .bind(now)
        .bind(id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if done == 0 {
            let prior = existing.finding.map_or("", |f| f.label_en());
            return Err(StoreError::Conflict(format!(
                "该标记已有核查结论，保持原记录 · flag {id} already has a finding ({prior}); it stays as recorded"
            )));
        }
        self.commit(w).await?;
        self.stored_flag_sql(id).await
    }
}
