//! The risk register on SQL. Controls are kept whole as JSON on the risk (read and written
//! with it); every change writes a `risk_changes` row saying who changed what.

use super::kri::{count, hall_today};
use crate::risks::*;
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use async_trait::async_trait;
use chrono::{Days, NaiveDate};
use servicehall_domain::Role;
use servicehall_domain::risks::kri::{Direction, KriState, Measure, Thresholds, crossed};
use servicehall_domain::risks::{
    Acceptance, Category, Control, Matrix, Rating, Treatment, check_ratings, check_text,
    check_treatment, next_review,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

const RISK_SELECT: &str = "SELECT r.*, o.name AS owner_name, o.role AS owner_role, \
     a.name AS accepted_by_name FROM risks r JOIN staff o ON o.id = r.owner_id \
     LEFT JOIN staff a ON a.id = r.accepted_by";

fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Invalid(format!(
        "已存风险数据无法读取 · stored {what} does not read: {v:?}"
    ))
}

fn day(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt("date", s))
}

fn small(v: i64) -> u8 {
    u8::try_from(v).unwrap_or(0)
}

pub(super) fn controls_json(cs: &[Control]) -> String {
    serde_json::Value::Array(
        cs.iter()
            .map(|c| {
                serde_json::json!({
                    "text": c.text, "owner": c.owner,
                    "last_tested": c.last_tested.map(|d| d.to_string()),
                    "test_every_days": c.test_every_days,
                })
            })
            .collect(),
    )
    .to_string()
}

fn controls_of(s: &str) -> Result<Vec<Control>> {
    let v: serde_json::Value = serde_json::from_str(s).map_err(|_| corrupt("controls", s))?;
    let list = v.as_array().ok_or_else(|| corrupt("controls", s))?;
    list.iter()
        .map(|c| {
            Ok(Control {
                text: c["text"].as_str().unwrap_or_default().into(),
                owner: c["owner"].as_str().unwrap_or_default().into(),
                last_tested: c["last_tested"].as_str().map(day).transpose()?,
                test_every_days: c["test_every_days"].as_u64().unwrap_or(30) as u32,
            })
        })
        .collect()
}

fn risk_row(r: &AnyRow) -> Result<Risk> {
    risk_row_in(r, false)
}

/// A risk of either register: `region` rows carry `region_id` where hall rows carry `hall_id`.
pub(super) fn risk_row_in(r: &AnyRow, region: bool) -> Result<Risk> {
    let text = |c: &str| -> Result<String> { r.try_get::<String, _>(c).map_err(Into::into) };
    let category = text("category")?;
    let treatment = text("treatment")?;
    let role = text("owner_role")?;
    Ok(Risk {
        id: r.try_get("id")?,
        hall_id: if region {
            None
        } else {
            Some(r.try_get("hall_id")?)
        },
        region_id: if region {
            Some(r.try_get("region_id")?)
        } else {
            None
        },
        code: text("code")?,
        title: text("title")?,
        category: Category::parse(&category).ok_or_else(|| corrupt("category", &category))?,
        cause: text("cause")?,
        event: text("event")?,
        consequence: text("consequence")?,
        owner_id: r.try_get("owner_id")?,
        owner_name: text("owner_name")?,
        owner_role: role.parse::<Role>().map_err(|_| corrupt("role", &role))?,
        inherent: Rating {
            likelihood: small(r.try_get("inherent_likelihood")?),
            impact: small(r.try_get("inherent_impact")?),
        },
        residual: Rating {
            likelihood: small(r.try_get("residual_likelihood")?),
            impact: small(r.try_get("residual_impact")?),
        },
        controls: controls_of(&text("controls")?)?,
        treatment: Treatment::parse(&treatment).ok_or_else(|| corrupt("treatment", &treatment))?,
        accepted_by: r.try_get("accepted_by")?,
        accepted_by_name: r.try_get("accepted_by_name")?,
        accepted_until: r
            .try_get::<Option<String>, _>("accepted_until")?
            .as_deref()
            .map(day)
            .transpose()?,
        last_reviewed: day(&text("last_reviewed")?)?,
        next_review: day(&text("next_review")?)?,
        review_reason: text("review_reason")?,
        sample: r.try_get::<i64, _>("sample")? != 0,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A risk of either register by its id (one id space).
pub(super) async fn load_risk(conn: &mut AnyConnection, id: i64) -> Result<Risk> {
    let row = sqlx::query(AssertSqlSafe(format!("{RISK_SELECT} WHERE r.id = $1")))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(row) => risk_row(&row),
        None => super::region::load(conn, id).await,
    }
}

/// Where a risk is kept: a hall's register or a region's.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scope {
    Hall(i64),
    Region(i64),
}

pub(super) async fn load_matrix(conn: &mut AnyConnection, hall_id: i64) -> Result<Matrix> {
    let body: Option<String> =
        sqlx::query_scalar("SELECT matrix FROM risk_settings WHERE hall_id = $1")
            .bind(hall_id)
            .fetch_optional(conn)
            .await?;
    match body {
        Some(b) => serde_json::from_str(&b).map_err(|_| corrupt("matrix", &b)),
        None => Ok(Matrix::default()),
    }
}

/// The owner must be active staff of the hall, or staff above halls; returns their role.
async fn owner_role(conn: &mut AnyConnection, hall_id: i64, owner: i64) -> Result<Role> {
    let row = sqlx::query("SELECT hall_id, role FROM staff WHERE id = $1 AND active = 1")
        .bind(owner)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "责任人须为在岗员工 · the owner must be active staff (staff {owner})"
            ))
        })?;
    let hall: Option<i64> = row.try_get("hall_id")?;
    if hall.is_some_and(|h| h != hall_id) {
        return Err(StoreError::Invalid(format!(
            "责任人须为本厅员工或上级人员 · the owner must work in this hall or above it (staff {owner})"
        )));
    }
    let role: String = row.try_get("role")?;
    role.parse::<Role>().map_err(|_| corrupt("role", &role))
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// Checks the input against the matrix and the treatment rules. An acceptance already on
/// the risk with the same expiry stands (editing other fields does not ask for it again).
pub(super) async fn check_input(
    conn: &mut AnyConnection,
    scope: Scope,
    input: &RiskInput,
    by: RiskActor,
    today: NaiveDate,
    before: Option<&Risk>,
) -> Result<(Matrix, u32, Option<i64>)> {
    if input.code.trim().is_empty() || input.code.chars().count() > 16 {
        return Err(StoreError::Invalid(
            "请填写风险编号（不超过 16 个字）· the code is required, at most 16 characters".into(),
        ));
    }
    check_text(&input.title, &input.cause, &input.event, &input.consequence).map_err(invalid)?;
    let m = match scope {
        Scope::Hall(h) => load_matrix(conn, h).await?,
        Scope::Region(r) => super::region::load_matrix(conn, r).await?,
    };
    let residual = check_ratings(&m, input.inherent, input.residual).map_err(invalid)?;
    for c in &input.controls {
        if c.text.trim().is_empty() || c.owner.trim().is_empty() {
            return Err(StoreError::Invalid(
                "每项控制措施须写明内容和责任人 · every control needs its text and its owner"
                    .into(),
            ));
        }
    }
    let role = match scope {
        Scope::Hall(h) => owner_role(conn, h, input.owner_id).await?,
        Scope::Region(r) => super::region::owner_role(conn, r, input.owner_id).await?,
    };
    let kept = before.is_some_and(|b| {
        b.treatment == Treatment::Accept
            && b.accepted_by.is_some()
            && b.accepted_until == input.accept_until
            && b.owner_id == input.owner_id
    });
    let approver = if input.treatment != Treatment::Accept {
        None
    } else if kept {
        before.and_then(|b| b.accepted_by)
    } else {
        let acc = input.accept_until.map(|until| Acceptance {
            approver_role: by.role,
            until,
        });
        check_treatment(input.treatment, role, acc.as_ref(), today).map_err(invalid)?;
        Some(by.staff_id.ok_or_else(|| {
            StoreError::Forbidden(
                "接受风险须由本人签批 · an acceptance is signed by a person".into(),
            )
        })?)
    };
    Ok((m, residual, approver))
}

/// What changed, in words, for the history.
pub(super) fn summary(before: &Risk, after: &RiskInput) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut diff = |zh: &str, a: String, b: String| {
        if a != b {
            parts.push(format!("{zh}：{a} → {b}"));
        }
    };
    let rating = |r: Rating| format!("{}×{}", r.likelihood, r.impact);
    diff("名称", before.title.clone(), after.title.clone());
    diff(
        "类别",
        before.category.label_zh().into(),
        after.category.label_zh().into(),
    );
    diff("原因", before.cause.clone(), after.cause.clone());
    diff("事件", before.event.clone(), after.event.clone());
    diff(
        "后果",
        before.consequence.clone(),
        after.consequence.clone(),
    );
    diff(
        "责任人",
        before.owner_id.to_string(),
        after.owner_id.to_string(),
    );
    diff("固有风险", rating(before.inherent), rating(after.inherent));
    diff("剩余风险", rating(before.residual), rating(after.residual));
    diff(
        "应对",
        before.treatment.label_zh().into(),
        after.treatment.label_zh().into(),
    );
    diff(
        "接受有效期",
        before
            .accepted_until
            .map(|d| d.to_string())
            .unwrap_or_default(),
        after
            .accept_until
            .map(|d| d.to_string())
            .unwrap_or_default(),
    );
    if controls_json(&before.controls) != controls_json(&after.controls) {
        parts.push(format!("控制措施：{} 项", after.controls.len()));
    }
    if after.reviewed {
        parts.push("已复核 reviewed".into());
    }
    if parts.is_empty() {
        "未改动 no change".into()
    } else {
        parts.join("；")
    }
}

pub(super) async fn log_change(
    conn: &mut AnyConnection,
    risk: i64,
    at: i64,
    by: Option<i64>,
    summary: &str,
    residual: u32,
) -> Result<()> {
    // Ids are shared, so the risk's register decides the table.
    let region: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM region_risks WHERE id = $1")
        .bind(risk)
        .fetch_one(&mut *conn)
        .await?;
    let sql = if region > 0 {
        "INSERT INTO region_risk_changes (risk_id, at, by_id, summary, residual_score) VALUES ($1, $2, $3, $4, $5)"
    } else {
        "INSERT INTO risk_changes (risk_id, at, by_id, summary, residual_score) VALUES ($1, $2, $3, $4, $5)"
    };
    sqlx::query(sql)
        .bind(risk)
        .bind(at)
        .bind(by)
        .bind(summary)
        .bind(i64::from(residual))
        .execute(conn)
        .await?;
    Ok(())
}

const KRI_SELECT: &str = "SELECT k.*, r.code AS risk_code, r.title AS risk_title, \
     (SELECT v.value FROM kri_values v WHERE v.kri_id = k.id AND v.day < k.day ORDER BY v.day DESC LIMIT 1) AS previous \
     FROM kris k JOIN risks r ON r.id = k.risk_id";

fn kri_row(r: &AnyRow) -> Result<Kri> {
    let measure: String = r.try_get("measure")?;
    let direction: String = r.try_get("direction")?;
    let state: String = r.try_get("state")?;
    Ok(Kri {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        risk_id: r.try_get("risk_id")?,
        risk_code: r.try_get("risk_code")?,
        risk_title: r.try_get("risk_title")?,
        measure: Measure::parse(&measure).ok_or_else(|| corrupt("measure", &measure))?,
        thresholds: Thresholds {
            amber: r.try_get("amber")?,
            red: r.try_get("red")?,
            direction: Direction::parse(&direction)
                .ok_or_else(|| corrupt("direction", &direction))?,
            window_days: u32::try_from(r.try_get::<i64, _>("window_days")?).unwrap_or(7),
        },
        target_minutes: r.try_get("target_minutes")?,
        value: r.try_get("value")?,
        state: KriState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        day: r
            .try_get::<Option<String>, _>("day")?
            .as_deref()
            .map(day)
            .transpose()?,
        previous: r.try_get("previous")?,
    })
}

const NOTICE_SELECT: &str = "SELECT n.*, r.code AS risk_code, r.title AS risk_title, k.measure \
     FROM risk_notices n JOIN risks r ON r.id = n.risk_id JOIN kris k ON k.id = n.kri_id";

fn notice_row(r: &AnyRow) -> Result<RiskNotice> {
    let measure: String = r.try_get("measure")?;
    let state: String = r.try_get("state")?;
    Ok(RiskNotice {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        risk_id: r.try_get("risk_id")?,
        risk_code: r.try_get("risk_code")?,
        risk_title: r.try_get("risk_title")?,
        owner_id: r.try_get("owner_id")?,
        kri_id: r.try_get("kri_id")?,
        measure: Measure::parse(&measure).ok_or_else(|| corrupt("measure", &measure))?,
        state: KriState::parse(&state).ok_or_else(|| corrupt("state", &state))?,
        value: r.try_get("value")?,
        at: r.try_get("at")?,
        seen_at: r.try_get("seen_at")?,
    })
}

#[async_trait]
impl RiskStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risk_matrix")]
    async fn risk_matrix(&self, hall_id: i64) -> Result<Matrix> {
        let mut conn = self.pool.acquire().await?;
        load_matrix(&mut conn, hall_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.set_risk_matrix")]
    async fn set_risk_matrix(
        &self,
        hall_id: i64,
        matrix: &Matrix,
        by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        matrix.validate().map_err(invalid)?;
        let body = serde_json::to_string(matrix).map_err(invalid)?;
        let mut w = self.begin().await?;
        let old = load_matrix(&mut w.tx, hall_id).await?;
        // A smaller matrix must still hold every rating of the register.
        let outside: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM risks WHERE hall_id = $1 AND (inherent_likelihood > $2 \
             OR inherent_impact > $2 OR residual_likelihood > $2 OR residual_impact > $2)",
        )
        .bind(hall_id)
        .bind(i64::from(matrix.size))
        .fetch_one(&mut *w.tx)
        .await?;
        if outside > 0 {
            return Err(StoreError::Invalid(format!(
                "有 {outside} 项风险的评分超出 {0}×{0} 矩阵，请先调整这些风险 · {outside} risks are rated outside a {0}×{0} matrix; re-rate them first",
                matrix.size
            )));
        }
        let changes = super::matrix::changes(&old, matrix);
        sqlx::query(
            "INSERT INTO risk_settings (hall_id, matrix, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (hall_id) DO UPDATE SET matrix = excluded.matrix, updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        )
        .bind(hall_id)
        .bind(body)
        .bind(now)
        .bind(by)
        .execute(&mut *w.tx)
        .await?;
        self.audit(&mut w.tx, Some(hall_id), changes, by, now)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risks")]
    async fn risks(&self, hall_id: i64) -> Result<Vec<Risk>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{RISK_SELECT} WHERE r.hall_id = $1 \
             ORDER BY r.residual_likelihood * r.residual_impact DESC, r.code"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(risk_row).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.get")]
    async fn get(&self, id: i64) -> Result<Risk> {
        let mut conn = self.pool.acquire().await?;
        load_risk(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.create_risk")]
    async fn create_risk(
        &self,
        hall_id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk> {
        let mut w = self.begin().await?;
        let today = hall_today(&mut w.tx, hall_id, now).await?;
        let (m, residual, approver) =
            check_input(&mut w.tx, Scope::Hall(hall_id), input, by, today, None).await?;
        let id = super::region::next_risk_id(&mut w).await?;
        sqlx::query(
            "INSERT INTO risks (id, hall_id, code, title, category, cause, event, consequence, owner_id, \
             inherent_likelihood, inherent_impact, residual_likelihood, residual_impact, controls, treatment, \
             accepted_by, accepted_until, last_reviewed, next_review, sample, created_at, updated_at) \
             VALUES ($21, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)",
        )
        .bind(hall_id)
        .bind(input.code.trim())
        .bind(input.title.trim())
        .bind(input.category.as_str())
        .bind(input.cause.trim())
        .bind(input.event.trim())
        .bind(input.consequence.trim())
        .bind(input.owner_id)
        .bind(i64::from(input.inherent.likelihood))
        .bind(i64::from(input.inherent.impact))
        .bind(i64::from(input.residual.likelihood))
        .bind(i64::from(input.residual.impact))
        .bind(controls_json(&input.controls))
        .bind(input.treatment.as_str())
        .bind(approver)
        .bind(approver.and(input.accept_until).map(|d| d.to_string()))
        .bind(today.to_string())
        .bind(next_review(&m, residual, today).to_string())
        .bind(i64::from(input.sample))
        .bind(now)
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(e, "本厅已有这个风险编号 · this hall already has a risk with this code")
        })?;
        log_change(&mut w.tx, id, now, by.staff_id, "登记 registered", residual).await?;
        let r = load_risk(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(r)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.update_risk")]
    async fn update_risk(
        &self,
        id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk> {
        let mut w = self.begin().await?;
        let before = load_risk(&mut w.tx, id).await?;
        let Some(hall_id) = before.hall_id else {
            return super::region::update(self, w, before, input, by, now).await;
        };
        let today = hall_today(&mut w.tx, hall_id, now).await?;
        let (m, residual, approver) = check_input(
            &mut w.tx,
            Scope::Hall(hall_id),
            input,
            by,
            today,
            Some(&before),
        )
        .await?;
        // A review restarts the cadence; otherwise a KRI's raised date stands and a changed
        // score moves the date by its new band from the last review.
        let (reviewed, next, reason) = if input.reviewed {
            (today, next_review(&m, residual, today), String::new())
        } else if !before.review_reason.is_empty() {
            (
                before.last_reviewed,
                before.next_review,
                before.review_reason.clone(),
            )
        } else {
            let next = next_review(&m, residual, before.last_reviewed);
            (before.last_reviewed, next, String::new())
        };
        let what = summary(&before, input);
        sqlx::query(
            "UPDATE risks SET code = $1, title = $2, category = $3, cause = $4, event = $5, consequence = $6, \
             owner_id = $7, inherent_likelihood = $8, inherent_impact = $9, residual_likelihood = $10, \
             residual_impact = $11, controls = $12, treatment = $13, accepted_by = $14, accepted_until = $15, \
             last_reviewed = $16, next_review = $17, review_reason = $18, updated_at = $19 WHERE id = $20",
        )
        .bind(input.code.trim())
        .bind(input.title.trim())
        .bind(input.category.as_str())
        .bind(input.cause.trim())
        .bind(input.event.trim())
        .bind(input.consequence.trim())
        .bind(input.owner_id)
        .bind(i64::from(input.inherent.likelihood))
        .bind(i64::from(input.inherent.impact))
        .bind(i64::from(input.residual.likelihood))
        .bind(i64::from(input.residual.impact))
        .bind(controls_json(&input.controls))
        .bind(input.treatment.as_str())
        .bind(approver)
        .bind(approver.and(input.accept_until).map(|d| d.to_string()))
        .bind(reviewed.to_string())
        .bind(next.to_string())
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(e, "本厅已有这个风险编号 · this hall already has a risk with this code")
        })?;
        if input.reviewed {
            sqlx::query(
                "UPDATE risk_notices SET seen_at = $1 WHERE risk_id = $2 AND seen_at IS NULL",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        }
        log_change(&mut w.tx, id, now, by.staff_id, &what, residual).await?;
        let r = load_risk(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(r)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risk_changes")]
    async fn risk_changes(&self, id: i64) -> Result<Vec<RiskChange>> {
        // One id space: a risk's changes are in one of the two tables.
        let rows = sqlx::query(
            "SELECT c.id, c.risk_id, c.at, s.name AS by_name, c.summary, c.residual_score \
             FROM risk_changes c LEFT JOIN staff s ON s.id = c.by_id WHERE c.risk_id = $1 \
             UNION ALL SELECT c.id, c.risk_id, c.at, s.name AS by_name, c.summary, c.residual_score \
             FROM region_risk_changes c LEFT JOIN staff s ON s.id = c.by_id WHERE c.risk_id = $1 \
             ORDER BY 3, 1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(RiskChange {
                    id: r.try_get("id")?,
                    risk_id: r.try_get("risk_id")?,
                    at: r.try_get("at")?,
                    by_name: r.try_get("by_name")?,
                    summary: r.try_get("summary")?,
                    residual_score: r.try_get("residual_score")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.kris")]
    async fn kris(&self, hall_id: i64) -> Result<Vec<Kri>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{KRI_SELECT} WHERE k.hall_id = $1 ORDER BY r.code, k.measure"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(kri_row).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.save_kri")]
    async fn save_kri(&self, hall_id: i64, input: &KriInput) -> Result<Kri> {
        input.thresholds.validate().map_err(invalid)?;
        if !(1..=240).contains(&input.target_minutes) {
            return Err(StoreError::Invalid(
                "等候目标须为 1–240 分钟 · the wait target must be 1–240 minutes".into(),
            ));
        }
        let mut w = self.begin().await?;
        let risk = load_risk(&mut w.tx, input.risk_id).await?;
        if risk.hall_id != Some(hall_id) {
            return Err(StoreError::not_found("risk", input.risk_id));
        }
        let t = input.thresholds;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO kris (hall_id, risk_id, measure, amber, red, direction, window_days, target_minutes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (risk_id, measure) DO UPDATE SET \
             amber = excluded.amber, red = excluded.red, direction = excluded.direction, \
             window_days = excluded.window_days, target_minutes = excluded.target_minutes RETURNING id",
        )
        .bind(hall_id)
        .bind(input.risk_id)
        .bind(input.measure.as_str())
        .bind(t.amber)
        .bind(t.red)
        .bind(t.direction.as_str())
        .bind(i64::from(t.window_days))
        .bind(input.target_minutes)
        .fetch_one(&mut *w.tx)
        .await?;
        let row = sqlx::query(AssertSqlSafe(format!("{KRI_SELECT} WHERE k.id = $1")))
            .bind(id)
            .fetch_one(&mut *w.tx)
            .await?;
        let k = kri_row(&row)?;
        self.commit(w).await?;
        Ok(k)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.kri_history")]
    async fn kri_history(&self, kri_id: i64, days: u32, now: i64) -> Result<Vec<KriPoint>> {
        let mut conn = self.pool.acquire().await?;
        let hall: i64 = sqlx::query_scalar("SELECT hall_id FROM kris WHERE id = $1")
            .bind(kri_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("KRI", kri_id))?;
        let today = hall_today(&mut conn, hall, now).await?;
        let from = today
            .checked_sub_days(Days::new(u64::from(days.saturating_sub(1))))
            .unwrap_or(today);
        let rows = sqlx::query(
            "SELECT day, value FROM kri_values WHERE kri_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
        )
        .bind(kri_id)
        .bind(from.to_string())
        .bind(today.to_string())
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(KriPoint {
                    day: day(&r.try_get::<String, _>("day")?)?,
                    value: r.try_get("value")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.refresh_kris")]
    async fn refresh_kris(&self, hall_id: Option<i64>, now: i64) -> Result<Vec<RiskNotice>> {
        let mut w = self.begin().await?;
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{KRI_SELECT} WHERE $1 < 0 OR k.hall_id = $1 ORDER BY k.id"
        )))
        .bind(hall_id.unwrap_or(-1))
        .fetch_all(&mut *w.tx)
        .await?;
        let kris = rows.iter().map(kri_row).collect::<Result<Vec<_>>>()?;
        let mut notices = Vec::new();
        for k in kris {
            let today = hall_today(&mut w.tx, k.hall_id, now).await?;
            let value = count(&mut w.tx, &k, today, now).await?;
            let state = k.thresholds.state(value);
            sqlx::query(
                "INSERT INTO kri_values (kri_id, day, value) VALUES ($1, $2, $3) \
                 ON CONFLICT (kri_id, day) DO UPDATE SET value = excluded.value",
            )
            .bind(k.id)
            .bind(today.to_string())
            .bind(value)
            .execute(&mut *w.tx)
            .await?;
            // Only the latest day moves the KRI's state (a recount of a past day does not).
            if k.day.is_some_and(|d| d > today) {
                continue;
            }
            sqlx::query("UPDATE kris SET value = $1, state = $2, day = $3 WHERE id = $4")
                .bind(value)
                .bind(state.as_str())
                .bind(today.to_string())
                .bind(k.id)
                .execute(&mut *w.tx)
                .await?;
            if !crossed(k.state, state) {
                continue;
            }
            let risk = load_risk(&mut w.tx, k.risk_id).await?;
            let reason = format!(
                "{}{} {} · KRI {} {} at {}",
                k.measure.label_zh(),
                state.label_zh(),
                value,
                k.measure.label_en(),
                state.label_en(),
                value
            );
            sqlx::query("UPDATE risks SET next_review = $1, review_reason = $2 WHERE id = $3")
                .bind(today.min(risk.next_review).to_string())
                .bind(&reason)
                .bind(risk.id)
                .execute(&mut *w.tx)
                .await?;
            let residual = u32::from(risk.residual.likelihood) * u32::from(risk.residual.impact);
            log_change(
                &mut w.tx,
                risk.id,
                now,
                None,
                &format!("触发复核 review raised：{reason}"),
                residual,
            )
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO risk_notices (hall_id, risk_id, kri_id, owner_id, state, value, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(k.hall_id)
            .bind(risk.id)
            .bind(k.id)
            .bind(risk.owner_id)
            .bind(state.as_str())
            .bind(value)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await?;
            notices.push(RiskNotice {
                id,
                hall_id: k.hall_id,
                risk_id: risk.id,
                risk_code: risk.code.clone(),
                risk_title: risk.title.clone(),
                owner_id: risk.owner_id,
                kri_id: k.id,
                measure: k.measure,
                state,
                value,
                at: now,
                seen_at: None,
            });
        }
        self.commit(w).await?;
        Ok(notices)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.region_risk_matrix")]
    async fn region_risk_matrix(&self, region_id: i64) -> Result<Matrix> {
        let mut conn = self.pool.acquire().await?;
        super::region::load_matrix(&mut conn, region_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.set_region_risk_matrix")]
    async fn set_region_risk_matrix(
        &self,
        region_id: i64,
        matrix: &Matrix,
        by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        super::region::set_matrix(self, region_id, matrix, by, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.region_risks")]
    async fn region_risks(&self, region_id: i64) -> Result<Vec<Risk>> {
        super::region::list(self, region_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.create_region_risk")]
    async fn create_region_risk(
        &self,
        region_id: i64,
        input: &RiskInput,
        by: RiskActor,
        now: i64,
    ) -> Result<Risk> {
        super::region::create(self, region_id, input, by, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.hall_risk_cells")]
    async fn hall_risk_cells(&self, halls: &[i64]) -> Result<Vec<RiskCell>> {
        super::region::cells(self, halls).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.risks.risk_notices")]
    async fn risk_notices(
        &self,
        hall_id: Option<i64>,
        owner_id: Option<i64>,
    ) -> Result<Vec<RiskNotice>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "{NOTICE_SELECT} WHERE n.seen_at IS NULL AND ($1 < 0 OR n.hall_id = $1) \
             AND ($2 < 0 OR n.owner_id = $2) ORDER BY n.at DESC, n.id DESC LIMIT 50"
        )))
        .bind(hall_id.unwrap_or(-1))
        .bind(owner_id.unwrap_or(-1))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(notice_row).collect()
    }
}
