//! Register writes shared by a hall's register (`risks`) and a region's (`region_risks`):
//! checking the input, writing the row (the same columns in both tables, bound once here)
//! and logging the change. Every change writes a history row saying who changed what.

use super::rows::{controls_json, corrupt};
use crate::risks::*;
use crate::{Result, StoreError};
use chrono::NaiveDate;
use servicehall_domain::Role;
use servicehall_domain::risks::{
    Acceptance, Matrix, Rating, Treatment, check_ratings, check_text, check_treatment,
};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row};

/// Where a risk is kept: a hall's register or a region's.
#[derive(Debug, Clone, Copy)]
pub(super) enum Scope {
    Hall(i64),
    Region(i64),
}

/// The matrix a register scores on (the default 5×5 until one is set).
pub(super) async fn load_matrix(conn: &mut AnyConnection, scope: Scope) -> Result<Matrix> {
    let sql = match scope {
        Scope::Hall(_) => "SELECT matrix FROM risk_settings WHERE hall_id = $1",
        Scope::Region(_) => "SELECT matrix FROM region_risk_settings WHERE region_id = $1",
    };
    let body: Option<String> = sqlx::query_scalar(sql)
        .bind(scope.table().2)
        .fetch_optional(conn)
        .await?;
    match body {
        Some(b) => serde_json::from_str(&b).map_err(|_| corrupt("matrix", &b)),
        None => Ok(Matrix::default()),
    }
}

/// The owner must be active staff. For a hall risk: of the hall, or above halls. For a
/// region risk: above halls (not limited to a region apart from this one), or of a hall in
/// the region. Returns their role.
async fn owner_role(conn: &mut AnyConnection, scope: Scope, owner: i64) -> Result<Role> {
    let row =
        sqlx::query("SELECT hall_id, region_id, role FROM staff WHERE id = $1 AND active = 1")
            .bind(owner)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "责任人须为在岗员工 · the owner must be active staff (staff {owner})"
                ))
            })?;
    let hall: Option<i64> = row.try_get("hall_id")?;
    let fits = match (scope, hall) {
        (Scope::Hall(h), _) => hall.is_none_or(|x| x == h),
        (Scope::Region(region), Some(h)) => crate::regions::sql::halls_of(conn, region)
            .await?
            .contains(&h),
        (Scope::Region(region), None) => {
            let limited: Option<i64> = row.try_get("region_id")?;
            let tree = crate::regions::sql::load_tree(conn).await?;
            limited.is_none_or(|l| tree.contains(l, region) || tree.contains(region, l))
        }
    };
    if !fits {
        return Err(StoreError::Invalid(match scope {
            Scope::Hall(_) => format!(
                "责任人须为本厅员工或上级人员 · the owner must work in this hall or above it (staff {owner})"
            ),
            Scope::Region(_) => format!(
                "责任人须为本区域的人员 · the owner must work in this region or above it (staff {owner})"
            ),
        }));
    }
    let role: String = row.try_get("role")?;
    role.parse::<Role>().map_err(|_| corrupt("role", &role))
}

pub(super) fn invalid(e: impl std::fmt::Display) -> StoreError {
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
    let m = load_matrix(conn, scope).await?;
    let residual = check_ratings(&m, input.inherent, input.residual).map_err(invalid)?;
    for c in &input.controls {
        if c.text.trim().is_empty() || c.owner.trim().is_empty() {
            return Err(StoreError::Invalid(
                "每项控制措施须写明内容和责任人 · every control needs its text and its owner"
                    .into(),
            ));
        }
    }
    let role = owner_role(conn, scope, input.owner_id).await?;
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

impl Scope {
    /// The register's table, its scope column and the message for a code used twice.
    fn table(self) -> (&'static str, &'static str, i64, &'static str) {
        match self {
            Self::Hall(h) => (
                "risks",
                "hall_id",
                h,
                "本厅已有这个风险编号 · this hall already has a risk with this code",
            ),
            Self::Region(r) => (
                "region_risks",
                "region_id",
                r,
                "本区域已有这个风险编号 · this region already has a risk with this code",
            ),
        }
    }
}

/// When a risk was last reviewed, when it is next due, and why it was raised early (a KRI).
pub(super) struct Review {
    pub reviewed: NaiveDate,
    pub next: NaiveDate,
    pub reason: String,
}

/// Writes a new risk `id` into its register, reviewed on the day it is registered.
pub(super) async fn insert_row(
    conn: &mut AnyConnection,
    scope: Scope,
    id: i64,
    input: &RiskInput,
    approver: Option<i64>,
    review: &Review,
    now: i64,
) -> Result<()> {
    let (table, column, owner, dup) = scope.table();
    let q = sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {table} (code, title, category, cause, event, consequence, owner_id, \
         inherent_likelihood, inherent_impact, residual_likelihood, residual_impact, controls, treatment, \
         accepted_by, accepted_until, last_reviewed, next_review, review_reason, updated_at, id, {column}, \
         sample, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $19)"
    )));
    fields(q, input, approver, review, now)
        .bind(id)
        .bind(owner)
        .bind(i64::from(input.sample))
        .execute(conn)
        .await
        .map_err(|e| StoreError::unique_as(e, dup))?;
    Ok(())
}

/// Rewrites risk `id` of its register from `input`.
pub(super) async fn update_row(
    conn: &mut AnyConnection,
    scope: Scope,
    id: i64,
    input: &RiskInput,
    approver: Option<i64>,
    review: &Review,
    now: i64,
) -> Result<()> {
    let (table, _, _, dup) = scope.table();
    let q = sqlx::query(AssertSqlSafe(format!(
        "UPDATE {table} SET code = $1, title = $2, category = $3, cause = $4, event = $5, consequence = $6, \
         owner_id = $7, inherent_likelihood = $8, inherent_impact = $9, residual_likelihood = $10, \
         residual_impact = $11, controls = $12, treatment = $13, accepted_by = $14, accepted_until = $15, \
         last_reviewed = $16, next_review = $17, review_reason = $18, updated_at = $19 WHERE id = $20"
    )));
    fields(q, input, approver, review, now)
        .bind(id)
        .execute(conn)
        .await
        .map_err(|e| StoreError::unique_as(e, dup))?;
    Ok(())
}

/// Binds `$1`–`$19`, the columns both statements write in the same order.
fn fields<'q>(
    q: Query<'q, Any, AnyArguments>,
    input: &'q RiskInput,
    approver: Option<i64>,
    review: &'q Review,
    now: i64,
) -> Query<'q, Any, AnyArguments> {
    q.bind(input.code.trim())
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
        .bind(review.reviewed.to_string())
        .bind(review.next.to_string())
        .bind(review.reason.as_str())
        .bind(now)
}
