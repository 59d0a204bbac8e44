//! The standards library on SQLite and PostgreSQL: documents, versions, acknowledgements.
//! The domain decides (what is in effect on a day, who may publish or acknowledge what);
//! this file loads what it needs and writes each change in one transaction.
//!
//! "Today" is the hall's calendar day; a company-wide document read outside a hall uses
//! Asia/Shanghai, the default zone of every hall.

use crate::sql::rows::{self, STAFF_COLS};
use crate::sql::{SqlStore, placeholders};
use crate::standards::*;
use crate::{HallStore, Result, StandardsStore, StoreError};
use async_trait::async_trait;
use chrono::NaiveDate;
use servicehall_domain::standards::{
    self, AckRate, Audience, Reader, VersionDates, check_behaviour_ref,
};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use std::collections::{HashMap, HashSet};

const DOC_COLS: &str = "id, hall_id, category, behaviour_code, created_at";
const VERSION_COLS: &str = "id, document_id, number, title, title_en, body, audience, source, effective_from, published_at, published_by, updated_at";
const DEFAULT_TZ: &str = "Asia/Shanghai";
const MAX_TITLE: usize = 200;
const MAX_BODY: usize = 50_000;

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

fn doc_row(r: &AnyRow) -> Result<StandardDocument> {
    let category: String = r.try_get("category")?;
    let code: String = r.try_get("behaviour_code")?;
    Ok(StandardDocument {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        category: category
            .parse()
            .map_err(|e| corrupt("standard_documents.category", e))?,
        behaviour_code: (!code.is_empty()).then_some(code),
        created_at: r.try_get("created_at")?,
        versions: Vec::new(),
    })
}

fn version_row(r: &AnyRow) -> Result<StandardVersion> {
    let audience: String = r.try_get("audience")?;
    let from: Option<String> = r.try_get("effective_from")?;
    Ok(StandardVersion {
        id: r.try_get("id")?,
        document_id: r.try_get("document_id")?,
        number: r.try_get("number")?,
        title: r.try_get("title")?,
        title_en: r.try_get("title_en")?,
        body: r.try_get("body")?,
        audience: Audience::from_csv(&audience)
            .map_err(|e| corrupt("standard_versions.audience", e))?,
        source: r.try_get("source")?,
        effective_from: from
            .map(|d| d.parse::<NaiveDate>())
            .transpose()
            .map_err(|e| corrupt("standard_versions.effective_from", e))?,
        published_at: r.try_get("published_at")?,
        published_by: r.try_get("published_by")?,
        updated_at: r.try_get("updated_at")?,
        state: standards::VersionState::Draft,
    })
}

fn dates(versions: &[StandardVersion]) -> Vec<VersionDates> {
    versions
        .iter()
        .map(|v| VersionDates {
            number: v.number,
            effective_from: v.effective_from,
        })
        .collect()
}

/// Sets each version's state on `today`.
fn with_states(mut doc: StandardDocument, today: NaiveDate) -> StandardDocument {
    let st = standards::states(&dates(&doc.versions), today);
    for (v, s) in doc.versions.iter_mut().zip(st) {
        v.state = s;
    }
    doc
}

/// Checks and trims a draft's text.
fn clean_draft(d: &DraftInput) -> Result<(DraftInput, Audience)> {
    let title = d.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE {
        return Err(StoreError::Invalid(format!(
            "标题长度不符 · title must be 1–{MAX_TITLE} characters"
        )));
    }
    if d.title_en.chars().count() > MAX_TITLE {
        return Err(StoreError::Invalid(format!(
            "英文标题过长 · English title must be at most {MAX_TITLE} characters"
        )));
    }
    let body = d.body.trim();
    if body.is_empty() || body.chars().count() > MAX_BODY {
        return Err(StoreError::Invalid(format!(
            "正文长度不符 · text must be 1–{MAX_BODY} characters"
        )));
    }
    let audience = Audience::new(&d.audience).map_err(StoreError::Invalid)?;
    Ok((
        DraftInput {
            title: title.into(),
            title_en: d.title_en.trim().into(),
            body: body.into(),
            audience: audience.roles().to_vec(),
            source: d.source.trim().into(),
        },
        audience,
    ))
}

fn publish_err(e: standards::PublishError) -> StoreError {
    match e {
        standards::PublishError::Locked(_) => StoreError::Conflict(e.to_string()),
        _ => StoreError::Invalid(e.to_string()),
    }
}

fn ack_err(e: standards::AckError) -> StoreError {
    use standards::AckError as A;
    match e {
        A::Superseded { .. } | A::NotYetEffective { .. } => StoreError::Conflict(e.to_string()),
        _ => StoreError::Invalid(e.to_string()),
    }
}

impl SqlStore {
    async fn today_in(&self, hall_id: Option<i64>, now: i64) -> Result<NaiveDate> {
        let tz = match hall_id {
            Some(h) => self.hall(h).await?.timezone,
            None => DEFAULT_TZ.into(),
        };
        let tz = parse_tz(&tz).map_err(StoreError::Invalid)?;
        Ok(service_day(now, tz))
    }

    /// Documents chosen by `filter` (on `d`, binding `bind` as $1 if given), with versions.
    async fn load_documents(
        &self,
        conn: &mut sqlx::AnyConnection,
        filter: &str,
        bind: Option<i64>,
    ) -> Result<Vec<StandardDocument>> {
        let sql = format!(
            "SELECT {} FROM standard_documents d WHERE {filter} ORDER BY d.id",
            DOC_COLS
                .split(", ")
                .map(|c| format!("d.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        if let Some(b) = bind {
            q = q.bind(b);
        }
        let mut docs: Vec<StandardDocument> = q
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(doc_row)
            .collect::<Result<_>>()?;
        if docs.is_empty() {
            return Ok(docs);
        }
        let ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
        let sql = format!(
            "SELECT {VERSION_COLS} FROM standard_versions WHERE document_id IN ({}) ORDER BY document_id, number",
            placeholders(1, ids.len())
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for id in &ids {
            q = q.bind(*id);
        }
        let mut by_doc: HashMap<i64, Vec<StandardVersion>> = HashMap::new();
        for r in q.fetch_all(&mut *conn).await? {
            let v = version_row(&r)?;
            by_doc.entry(v.document_id).or_default().push(v);
        }
        for d in &mut docs {
            d.versions = by_doc.remove(&d.id).unwrap_or_default();
        }
        Ok(docs)
    }

    async fn document_in(
        &self,
        conn: &mut sqlx::AnyConnection,
        id: i64,
    ) -> Result<StandardDocument> {
        self.load_documents(conn, "d.id = $1", Some(id))
            .await?
            .pop()
            .ok_or_else(|| StoreError::not_found("standard", id))
    }

    /// Active staff of a hall whose role is in `audience`.
    async fn hall_staff(&self, hall_id: i64) -> Result<Vec<crate::Staff>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {STAFF_COLS} FROM staff WHERE hall_id = $1 AND active = 1 ORDER BY badge_no, id"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::staff).collect()
    }
}

fn staff_ref(s: &crate::Staff) -> StaffRef {
    StaffRef {
        id: s.id,
        name: s.name.clone(),
        badge_no: s.badge_no.clone(),
        role: s.role,
    }
}

#[async_trait]
impl StandardsStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.create_standard")]
    async fn create_standard(
        &self,
        input: &StandardInput,
        by: Option<i64>,
        now: i64,
    ) -> Result<StandardDocument> {
        check_behaviour_ref(input.category, input.behaviour_code.as_deref())
            .map_err(StoreError::Invalid)?;
        let (draft, audience) = clean_draft(&input.draft)?;
        if let Some(h) = input.hall_id {
            self.hall(h).await?;
        }
        let today = self.today_in(input.hall_id, now).await?;
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO standard_documents (hall_id, category, behaviour_code, created_at, created_by) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(input.hall_id)
        .bind(input.category.as_str())
        .bind(input.behaviour_code.clone().unwrap_or_default())
        .bind(now)
        .bind(by)
        .fetch_one(&mut *w.tx)
        .await?;
        insert_draft(&mut w.tx, id, 1, &draft, &audience, now).await?;
        let doc = self.document_in(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(with_states(doc, today))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.standards", fields(hall = ?hall_id))]
    async fn standards(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<StandardDocument>> {
        let today = self.today_in(hall_id, now).await?;
        let mut conn = self.pool.acquire().await?;
        let docs = match hall_id {
            Some(h) => {
                self.load_documents(&mut conn, "d.hall_id = $1 OR d.hall_id IS NULL", Some(h))
                    .await?
            }
            None => self.load_documents(&mut conn, "1 = 1", None).await?,
        };
        Ok(docs.into_iter().map(|d| with_states(d, today)).collect())
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.standard")]
    async fn standard(&self, id: i64, now: i64) -> Result<StandardDocument> {
        let mut conn = self.pool.acquire().await?;
        let doc = self.document_in(&mut conn, id).await?;
        let today = self.today_in(doc.hall_id, now).await?;
        Ok(with_states(doc, today))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.save_draft")]
    async fn save_draft(
        &self,
        document_id: i64,
        draft: &DraftInput,
        now: i64,
    ) -> Result<StandardDocument> {
        let (draft, audience) = clean_draft(draft)?;
        let hall = self.standard(document_id, now).await?.hall_id;
        let today = self.today_in(hall, now).await?;
        let mut w = self.begin().await?;
        let doc = self.document_in(&mut w.tx, document_id).await?;
        match doc.versions.iter().find(|v| v.effective_from.is_none()) {
            Some(v) => {
                sqlx::query(
                    "UPDATE standard_versions SET title = $1, title_en = $2, body = $3, audience = $4, source = $5, updated_at = $6 WHERE id = $7 AND effective_from IS NULL",
                )
                .bind(&draft.title)
                .bind(&draft.title_en)
                .bind(&draft.body)
                .bind(audience.to_csv())
                .bind(&draft.source)
                .bind(now)
                .bind(v.id)
                .execute(&mut *w.tx)
                .await?;
            }
            None => {
                let next = doc.versions.iter().map(|v| v.number).max().unwrap_or(0) + 1;
                insert_draft(&mut w.tx, document_id, next, &draft, &audience, now)
                    .await
                    .map_err(|e| match e {
                        StoreError::Db(e) => StoreError::unique_as(
                            e,
                            "他人同时新建了草稿，请刷新 · someone else started a new draft at the same moment; reload",
                        ),
                        e => e,
                    })?;
            }
        }
        let doc = self.document_in(&mut w.tx, document_id).await?;
        self.commit(w).await?;
        Ok(with_states(doc, today))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.publish_standard")]
    async fn publish_standard(
        &self,
        document_id: i64,
        effective_from: NaiveDate,
        by: Option<i64>,
        now: i64,
    ) -> Result<StandardDocument> {
        let hall = self.standard(document_id, now).await?.hall_id;
        let today = self.today_in(hall, now).await?;
        let mut w = self.begin().await?;
        if w.postgres {
            // Two publishers of one document queue here, so dates stay in order.
            sqlx::query("SELECT id FROM standard_documents WHERE id = $1 FOR UPDATE")
                .bind(document_id)
                .execute(&mut *w.tx)
                .await?;
        }
        let doc = self.document_in(&mut w.tx, document_id).await?;
        let Some(draft) = doc.versions.iter().find(|v| v.effective_from.is_none()) else {
            return Err(StoreError::Conflict(
                "没有可发布的草稿，请先写草稿 · there is no draft to publish; write a new draft first".into(),
            ));
        };
        standards::check_publish(&dates(&doc.versions), draft.number, effective_from, today)
            .map_err(publish_err)?;
        sqlx::query(
            "UPDATE standard_versions SET effective_from = $1, published_at = $2, published_by = $3, updated_at = $2 WHERE id = $4 AND effective_from IS NULL",
        )
        .bind(effective_from.to_string())
        .bind(now)
        .bind(by)
        .bind(draft.id)
        .execute(&mut *w.tx)
        .await?;
        let doc = self.document_in(&mut w.tx, document_id).await?;
        self.commit(w).await?;
        Ok(with_states(doc, today))
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.standards.acknowledge_standard"
    )]
    async fn acknowledge_standard(
        &self,
        version_id: i64,
        staff_id: i64,
        now: i64,
    ) -> Result<Acknowledgement> {
        let staff = self.staff(staff_id).await?;
        let document_id: i64 =
            sqlx::query_scalar("SELECT document_id FROM standard_versions WHERE id = $1")
                .bind(version_id)
                .fetch_optional(&self.pool)
                .await?
                .ok_or_else(|| StoreError::not_found("standard version", version_id))?;
        let today = self.today_in(staff.hall_id, now).await?;
        let mut w = self.begin().await?;
        let doc = self.document_in(&mut w.tx, document_id).await?;
        let v = doc
            .versions
            .iter()
            .find(|v| v.id == version_id)
            .ok_or_else(|| StoreError::not_found("standard version", version_id))?;
        let reader = Reader {
            role: staff.role,
            hall_id: staff.hall_id,
        };
        standards::check_acknowledge(
            &dates(&doc.versions),
            v.number,
            &v.audience,
            doc.hall_id,
            reader,
            today,
        )
        .map_err(ack_err)?;
        let inserted = sqlx::query(
            "INSERT INTO standard_acks (version_id, staff_id, at) VALUES ($1, $2, $3) ON CONFLICT (version_id, staff_id) DO NOTHING",
        )
        .bind(version_id)
        .bind(staff_id)
        .bind(now)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        let at: i64 = sqlx::query_scalar(
            "SELECT at FROM standard_acks WHERE version_id = $1 AND staff_id = $2",
        )
        .bind(version_id)
        .bind(staff_id)
        .fetch_one(&mut *w.tx)
        .await?;
        self.commit(w).await?;
        Ok(Acknowledgement {
            version_id,
            staff_id,
            at,
            created: inserted == 1,
        })
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.standards.pending_acknowledgements"
    )]
    async fn pending_acknowledgements(&self, staff_id: i64, now: i64) -> Result<Vec<PendingAck>> {
        let staff = self.staff(staff_id).await?;
        let Some(hall) = staff.hall_id else {
            return Ok(Vec::new());
        };
        let done: HashSet<i64> =
            sqlx::query_scalar("SELECT version_id FROM standard_acks WHERE staff_id = $1")
                .bind(staff_id)
                .fetch_all(&self.pool)
                .await?
                .into_iter()
                .collect();
        Ok(self
            .standards(Some(hall), now)
            .await?
            .into_iter()
            .filter_map(|d| {
                let v = d.current()?.clone();
                (v.audience.includes(staff.role) && !done.contains(&v.id)).then_some(PendingAck {
                    document_id: d.id,
                    category: d.category,
                    version: v,
                })
            })
            .collect())
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.acknowledgement_report", fields(hall = hall_id))]
    async fn acknowledgement_report(&self, hall_id: i64, now: i64) -> Result<AckReport> {
        let today = self.today_in(Some(hall_id), now).await?;
        let staff = self.hall_staff(hall_id).await?;
        let docs = self.standards(Some(hall_id), now).await?;
        let current: Vec<(&StandardDocument, &StandardVersion)> = docs
            .iter()
            .filter_map(|d| d.current().map(|v| (d, v)))
            .collect();
        let mut acks: HashMap<(i64, i64), i64> = HashMap::new();
        if !current.is_empty() {
            let sql = format!(
                "SELECT version_id, staff_id, at FROM standard_acks WHERE version_id IN ({})",
                placeholders(1, current.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (_, v) in &current {
                q = q.bind(v.id);
            }
            for r in q.fetch_all(&self.pool).await? {
                acks.insert(
                    (r.try_get("version_id")?, r.try_get("staff_id")?),
                    r.try_get("at")?,
                );
            }
        }
        let lines: Vec<AckLine> = current
            .into_iter()
            .map(|(d, v)| {
                let mut acknowledged = Vec::new();
                let mut missing = Vec::new();
                for s in staff.iter().filter(|s| v.audience.includes(s.role)) {
                    match acks.get(&(v.id, s.id)) {
                        Some(at) => acknowledged.push(AckedBy {
                            staff: staff_ref(s),
                            at: *at,
                        }),
                        None => missing.push(staff_ref(s)),
                    }
                }
                AckLine {
                    document_id: d.id,
                    category: d.category,
                    version_id: v.id,
                    number: v.number,
                    title: v.title.clone(),
                    effective_from: v.effective_from.unwrap_or(today),
                    audience: v.audience.clone(),
                    rate: AckRate {
                        required: (acknowledged.len() + missing.len()) as u64,
                        acknowledged: acknowledged.len() as u64,
                    },
                    acknowledged,
                    missing,
                }
            })
            .collect();
        Ok(AckReport {
            hall_id,
            today,
            total: lines.iter().map(|l| l.rate).sum(),
            lines,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.standards.standards_stamp")]
    async fn standards_stamp(&self) -> Result<String> {
        let r = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM standard_versions) AS n, (SELECT COALESCE(MAX(updated_at), 0) FROM standard_versions) AS at, (SELECT COUNT(*) FROM catalogue_versions) AS cn, (SELECT CAST(COALESCE(SUM(id), 0) AS BIGINT) FROM catalogue_versions) AS cid, (SELECT COALESCE(MAX(created_at), 0) FROM catalogue_versions) AS cat",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(format!(
            "{}-{}-{}-{}-{}",
            r.try_get::<i64, _>("n")?,
            r.try_get::<i64, _>("at")?,
            r.try_get::<i64, _>("cn")?,
            r.try_get::<i64, _>("cid")?,
            r.try_get::<i64, _>("cat")?
        ))
    }
}

async fn insert_draft(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    document_id: i64,
    number: i64,
    d: &DraftInput,
    audience: &Audience,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO standard_versions (document_id, number, title, title_en, body, audience, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(document_id)
    .bind(number)
    .bind(&d.title)
    .bind(&d.title_en)
    .bind(&d.body)
    .bind(audience.to_csv())
    .bind(&d.source)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
