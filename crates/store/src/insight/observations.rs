//! Observations (内查): the form item by item, with evidence, in one transaction; the counter
//! and the clerk must belong to the observation's hall.

use crate::sql::SqlStore;
use crate::sql::placeholders;
use crate::*;
use crate::{Result, StoreError};
use servicehall_domain::insight::observation::{ObservationItem, Verdict, check_items, score_pct};
use sqlx::Row;
use sqlx::any::AnyRow;

const OBS_COLS: &str = "o.id, o.hall_id, o.counter_id, o.staff_id, o.observer_id, o.observer_kind, o.observed_at, o.note, o.evidence, o.photo_ref, o.score_pct, (SELECT COUNT(*) FROM observation_photos p WHERE p.observation_id = o.id) AS photos";

/// Largest uploaded photo, as a data URL (about 150 kB of image).
pub const MAX_PHOTO: usize = 200_000;
/// How far back an observation may be dated (a year: late paperwork, not a typo's i64::MIN).
const MAX_OBSERVATION_AGE_MS: i64 = 366 * 24 * 3_600_000;

impl SqlStore {
    /// `None` when the row does not exist; `Some(None)` for staff above halls.
    async fn hall_of(&self, table: &str, id: i64) -> Result<Option<Option<i64>>> {
        Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT hall_id FROM {table} WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub(crate) async fn record_observation_sql(
        &self,
        input: &ObservationInput,
        now: i64,
    ) -> Result<Observation> {
        check_items(&input.items).map_err(|e| StoreError::Invalid(e.to_string()))?;
        if input.counter_id.is_none() && input.staff_id.is_none() {
            return Err(StoreError::Invalid(
                "请填写被检查的窗口或柜员 · name the counter or the clerk observed".into(),
            ));
        }
        for (what, text, max) in [
            ("note", &input.note, 1000),
            ("evidence", &input.evidence, 2000),
            ("photo reference", &input.photo_ref, 300),
        ] {
            if text.chars().count() > max {
                return Err(StoreError::Invalid(format!(
                    "内容过长 · the {what} is limited to {max} characters"
                )));
            }
        }
        // The web layer re-encodes photos; the store keeps only what that produces.
        if let Some(p) = &input.photo
            && (!(p.starts_with("data:image/jpeg;base64,")
                || p.starts_with("data:image/png;base64,"))
                || p.len() > MAX_PHOTO)
        {
            return Err(StoreError::Invalid(format!(
                "照片须为 JPEG 或 PNG 格式且不超过限制 · the photo must be a JPEG or PNG image under {} kB",
                MAX_PHOTO * 3 / 4 / 1000
            )));
        }
        if input.observed_at > now + 5 * 60_000 {
            return Err(StoreError::Invalid(
                "观察时间晚于现在 the observation time is in the future".into(),
            ));
        }
        if input.observed_at < now - MAX_OBSERVATION_AGE_MS {
            return Err(StoreError::Invalid(
                "观察时间早于一年前 the observation time is more than a year ago; record observations within a year".into(),
            ));
        }
        for (table, id, what) in [
            ("counters", input.counter_id, "counter"),
            ("staff", input.staff_id, "clerk"),
        ] {
            let Some(id) = id else { continue };
            match self.hall_of(table, id).await? {
                None => return Err(StoreError::not_found(what, id)),
                Some(Some(h)) if h == input.hall_id => {}
                _ => {
                    return Err(StoreError::Invalid(format!(
                        "所选对象属于其他营业厅，请在其所属厅检查 · that {what} ({id}) belongs to another hall; observe it in its own hall"
                    )));
                }
            }
        }
        let score = score_pct(&input.items);
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO observations (hall_id, counter_id, staff_id, observer_id, observer_kind, observed_at, note, evidence, photo_ref, score_pct, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(input.hall_id)
        .bind(input.counter_id)
        .bind(input.staff_id)
        .bind(input.observer_id)
        .bind(input.observer_kind.as_str())
        .bind(input.observed_at)
        .bind(input.note.trim())
        .bind(input.evidence.trim())
        .bind(input.photo_ref.trim())
        .bind(score)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        for it in &input.items {
            sqlx::query(
                "INSERT INTO observation_items (observation_id, code, verdict, points, note, touchpoints) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(&it.code)
            .bind(it.verdict.as_str())
            .bind(it.verdict.points())
            .bind(it.note.trim())
            .bind(it.touchpoints.join(","))
            .execute(&mut *w.tx)
            .await?;
        }
        if let Some(p) = &input.photo {
            sqlx::query(
                "INSERT INTO observation_photos (observation_id, data_url) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(p)
            .execute(&mut *w.tx)
            .await?;
        }
        let subject = format!(
            "现场检查 · observation #{id} by staff #{}",
            input.observer_id
        );
        let a = crate::audit::append::Append {
            hall: Some(input.hall_id),
            kind: "observation",
            subject,
            source: Some(("observations", id)),
        };
        crate::audit::append::append(&mut w, a, now).await?;
        self.commit(w).await?;
        self.observation_sql(id).await
    }

    async fn observation_from_row(&self, r: &AnyRow) -> Result<Observation> {
        let id: i64 = r.try_get("id")?;
        let items = sqlx::query(
            "SELECT code, verdict, note, touchpoints FROM observation_items WHERE observation_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut items: Vec<ObservationItem> = items
            .iter()
            .map(|i| {
                let verdict: String = i.try_get("verdict")?;
                let tps: String = i.try_get("touchpoints")?;
                Ok(ObservationItem {
                    code: i.try_get("code")?,
                    verdict: Verdict::parse(&verdict).unwrap_or(Verdict::NotObserved),
                    note: i.try_get("note")?,
                    touchpoints: tps
                        .split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect(),
                })
            })
            .collect::<Result<_>>()?;
        // The form's order: the order of the behaviour codes.
        items.sort_by_key(|i| {
            servicehall_domain::standards::behaviour::BEHAVIOUR_CODES
                .iter()
                .position(|c| c.id == i.code)
        });
        Ok(Observation {
            id,
            hall_id: r.try_get("hall_id")?,
            counter_id: r.try_get("counter_id")?,
            staff_id: r.try_get("staff_id")?,
            observer_id: r.try_get("observer_id")?,
            observer_kind: r.try_get("observer_kind")?,
            observed_at: r.try_get("observed_at")?,
            note: r.try_get("note")?,
            evidence: r.try_get("evidence")?,
            photo_ref: r.try_get("photo_ref")?,
            has_photo: r.try_get::<i64, _>("photos")? > 0,
            score_pct: r.try_get("score_pct")?,
            items,
        })
    }

    pub(crate) async fn observation_sql(&self, id: i64) -> Result<Observation> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {OBS_COLS} FROM observations o WHERE o.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("observation", id))?;
        self.observation_from_row(&r).await
    }

    pub(crate) async fn observations_sql(
        &self,
        scope: &InsightScope,
        limit: i64,
    ) -> Result<Vec<Observation>> {
        if scope.hall_ids.is_empty() {
            return Ok(Vec::new());
        }
        let n = scope.hall_ids.len();
        let sql = format!(
            "SELECT {OBS_COLS} FROM observations o WHERE o.hall_id IN ({}) AND o.observed_at >= ${} AND o.observed_at < ${} ORDER BY o.observed_at DESC, o.id DESC LIMIT ${}",
            placeholders(1, n),
            n + 1,
            n + 2,
            n + 3
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for h in &scope.hall_ids {
            q = q.bind(*h);
        }
        let rows = q
            .bind(scope.from)
            .bind(scope.to)
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(self.observation_from_row(r).await?);
        }
        Ok(out)
    }

    /// One page of the observations of the scope with the list's filters, and the count.
    pub(crate) async fn observations_paged(
        &self,
        scope: &InsightScope,
        f: &ObservationFilter,
        w: Window,
    ) -> Result<Paged<Observation>> {
        if scope.hall_ids.is_empty() {
            return Ok(Paged {
                items: Vec::new(),
                total: 0,
            });
        }
        let n = scope.hall_ids.len();
        let filter = format!(
            "FROM observations o WHERE o.hall_id IN ({}) AND o.observed_at >= ${a} AND o.observed_at < ${b} AND (${k} IS NULL OR o.observer_kind = ${k}) AND (${s} IS NULL OR o.staff_id = ${s})",
            placeholders(1, n),
            a = n + 1,
            b = n + 2,
            k = n + 3,
            s = n + 4,
        );
        let bind = |sql: String| {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
            for h in &scope.hall_ids {
                q = q.bind(*h);
            }
            q.bind(scope.from)
                .bind(scope.to)
                .bind(f.kind.clone())
                .bind(f.staff_id)
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n {filter}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind(format!(
            "SELECT {OBS_COLS} {filter} ORDER BY o.observed_at DESC, o.id DESC LIMIT ${} OFFSET ${}",
            n + 5,
            n + 6
        ))
        .bind(w.limit)
        .bind(w.offset)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            items.push(self.observation_from_row(r).await?);
        }
        Ok(Paged { items, total })
    }
}
