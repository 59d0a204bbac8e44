//! Reading the register's rows: a risk of either register (one id space), a KRI and a
//! notice. Controls are kept whole as JSON on the risk, read and written with it.

use crate::risks::*;
use crate::{Result, StoreError};
use chrono::NaiveDate;
use servicehall_domain::Role;
use servicehall_domain::risks::kri::{Direction, KriState, Measure, Thresholds};
use servicehall_domain::risks::{Category, Control, Rating, Treatment};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

pub(super) const RISK_SELECT: &str = "SELECT r.*, o.name AS owner_name, o.role AS owner_role, \
     a.name AS accepted_by_name FROM risks r JOIN staff o ON o.id = r.owner_id \
     LEFT JOIN staff a ON a.id = r.accepted_by";

pub(super) fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Invalid(format!(
        "已存风险数据无法读取 · stored {what} does not read: {v:?}"
    ))
}

pub(super) fn day(s: &str) -> Result<NaiveDate> {
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

pub(super) fn risk_row(r: &AnyRow) -> Result<Risk> {
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
        None => load_region_risk(conn, id).await,
    }
}

pub(super) const KRI_SELECT: &str = "SELECT k.*, r.code AS risk_code, r.title AS risk_title, \
     (SELECT v.value FROM kri_values v WHERE v.kri_id = k.id AND v.day < k.day ORDER BY v.day DESC LIMIT 1) AS previous \
     FROM kris k JOIN risks r ON r.id = k.risk_id";

pub(super) fn kri_row(r: &AnyRow) -> Result<Kri> {
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

pub(super) const NOTICE_SELECT: &str = "SELECT n.*, r.code AS risk_code, r.title AS risk_title, k.measure \
     FROM risk_notices n JOIN risks r ON r.id = n.risk_id JOIN kris k ON k.id = n.kri_id";

pub(super) fn notice_row(r: &AnyRow) -> Result<RiskNotice> {
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

pub(super) const REGION_RISK_SELECT: &str = "SELECT r.*, o.name AS owner_name, o.role AS owner_role, \
     a.name AS accepted_by_name FROM region_risks r JOIN staff o ON o.id = r.owner_id \
     LEFT JOIN staff a ON a.id = r.accepted_by";

/// A region risk by its id.
pub(super) async fn load_region_risk(conn: &mut AnyConnection, id: i64) -> Result<Risk> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "{REGION_RISK_SELECT} WHERE r.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| StoreError::not_found("risk", id))?;
    risk_row_in(&row, true)
}
