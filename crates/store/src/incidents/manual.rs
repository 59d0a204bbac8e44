//! Manual entries (人工登记): visits a counter records by hand while the business system is
//! down, kept until someone back-enters them (补录) with the system's own number.

use crate::sql::SqlStore;
use crate::{ManualEntry, ManualEntryInput, Result, StoreError};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};

const SELECT: &str = "SELECT m.id, m.hall_id, m.incident_id, m.counter_id, c.number AS counter_no, \
     m.business_type_id, b.name_zh AS business_name, m.customer_name, m.account_no, m.phone, \
     m.amount_fen, m.note, m.recorded_by, r.name AS recorded_by_name, m.recorded_at, \
     m.back_entered_at, e.name AS back_entered_by_name, m.back_ref \
     FROM manual_entries m JOIN business_types b ON b.id = m.business_type_id \
     JOIN staff r ON r.id = m.recorded_by LEFT JOIN staff e ON e.id = m.back_entered_by \
     LEFT JOIN counters c ON c.id = m.counter_id";

fn row(r: &AnyRow) -> Result<ManualEntry> {
    Ok(ManualEntry {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        incident_id: r.try_get("incident_id")?,
        counter_id: r.try_get("counter_id")?,
        counter_name: r
            .try_get::<Option<i64>, _>("counter_no")?
            .map(|n| format!("{n}号窗口")),
        business_type_id: r.try_get("business_type_id")?,
        business_name: r.try_get("business_name")?,
        customer_name: r.try_get("customer_name")?,
        account_no: r.try_get("account_no")?,
        phone: r.try_get("phone")?,
        amount_fen: r.try_get("amount_fen")?,
        note: r.try_get("note")?,
        recorded_by: r.try_get("recorded_by")?,
        recorded_by_name: r.try_get("recorded_by_name")?,
        recorded_at: r.try_get("recorded_at")?,
        back_entered_at: r.try_get("back_entered_at")?,
        back_entered_by_name: r.try_get("back_entered_by_name")?,
        back_ref: r.try_get("back_ref")?,
    })
}

pub(super) async fn load(conn: &mut AnyConnection, id: i64) -> Result<ManualEntry> {
    let r = sqlx::query(AssertSqlSafe(format!("{SELECT} WHERE m.id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::not_found("manual entry", id))?;
    row(&r)
}

fn check(input: &ManualEntryInput) -> Result<()> {
    let bad = |s: &str| Err(StoreError::Invalid(s.into()));
    if input.customer_name.trim().is_empty() {
        return bad("请填写客户姓名或单位 · enter the customer's name");
    }
    if input.account_no.trim().is_empty() && input.phone.trim().is_empty() {
        return bad(
            "补录需要户号或联系电话，至少填一项 · back-entry needs the account number or a phone number",
        );
    }
    if !input
        .account_no
        .trim()
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return bad(
            "户号只能含字母、数字和 - · the account number may hold letters, digits and - only",
        );
    }
    if !input
        .phone
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '+')
    {
        return bad("电话只能含数字、- 和 + · the phone number may hold digits, - and + only");
    }
    if input
        .amount_fen
        .is_some_and(|a| !(0..=100_000_000).contains(&a))
    {
        return bad("金额须在 0 到 100 万元之间 · the amount must be between 0 and 1,000,000 yuan");
    }
    Ok(())
}

pub(super) async fn record(
    s: &SqlStore,
    input: &ManualEntryInput,
    now: i64,
) -> Result<ManualEntry> {
    check(input)?;
    let mut w = s.begin().await?;
    let bt: Option<i64> =
        sqlx::query_scalar("SELECT id FROM business_types WHERE id = $1 AND hall_id = $2")
            .bind(input.business_type_id)
            .bind(input.hall_id)
            .fetch_optional(&mut *w.tx)
            .await?;
    if bt.is_none() {
        return Err(StoreError::Invalid(
            "本厅没有这项业务，请重新选择 · pick one of this hall's business types".into(),
        ));
    }
    if let Some(c) = input.counter_id {
        let ok: Option<i64> =
            sqlx::query_scalar("SELECT id FROM counters WHERE id = $1 AND hall_id = $2")
                .bind(c)
                .bind(input.hall_id)
                .fetch_optional(&mut *w.tx)
                .await?;
        if ok.is_none() {
            return Err(StoreError::not_found("counter", c));
        }
    }
    // Filed under the hall's latest active incident, so the review sees what it cost.
    let incident: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM incidents WHERE hall_id = $1 AND closed_at IS NULL \
         ORDER BY declared_at DESC, id DESC LIMIT 1",
    )
    .bind(input.hall_id)
    .fetch_optional(&mut *w.tx)
    .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO manual_entries (hall_id, incident_id, counter_id, business_type_id, customer_name, \
         account_no, phone, amount_fen, note, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(input.hall_id)
    .bind(incident)
    .bind(input.counter_id)
    .bind(input.business_type_id)
    .bind(input.customer_name.trim())
    .bind(input.account_no.trim())
    .bind(input.phone.trim())
    .bind(input.amount_fen)
    .bind(input.note.trim())
    .bind(input.by)
    .bind(now)
    .fetch_one(&mut *w.tx)
    .await?;
    let e = load(&mut w.tx, id).await?;
    s.commit(w).await?;
    Ok(e)
}

pub(super) async fn back_enter(
    s: &SqlStore,
    id: i64,
    back_ref: &str,
    by: i64,
    now: i64,
) -> Result<ManualEntry> {
    let back_ref = back_ref.trim();
    if back_ref.is_empty() || back_ref.chars().count() > 64 {
        return Err(StoreError::Invalid(
            "请填写营销系统中的业务流水号（最多 64 位） · enter the business system's transaction number (up to 64 characters)"
                .into(),
        ));
    }
    let mut w = s.begin().await?;
    let done = sqlx::query(
        "UPDATE manual_entries SET back_entered_at = $1, back_entered_by = $2, back_ref = $3 \
         WHERE id = $4 AND back_entered_at IS NULL",
    )
    .bind(now)
    .bind(by)
    .bind(back_ref)
    .bind(id)
    .execute(&mut *w.tx)
    .await?
    .rows_affected();
    let e = load(&mut w.tx, id).await?;
    if done == 0 {
        return Err(StoreError::Conflict(format!(
            "这笔登记已补录（流水号 {}） · this entry is already back-entered",
            e.back_ref.unwrap_or_default()
        )));
    }
    s.commit(w).await?;
    Ok(e)
}

pub(super) async fn list(
    s: &SqlStore,
    hall: i64,
    from: i64,
    to: i64,
    pending: bool,
) -> Result<Vec<ManualEntry>> {
    let sql = if pending {
        format!(
            "{SELECT} WHERE m.hall_id = $1 AND m.back_entered_at IS NULL AND $2 <= $3 \
             ORDER BY m.recorded_at, m.id"
        )
    } else {
        format!(
            "{SELECT} WHERE m.hall_id = $1 AND m.recorded_at >= $2 AND m.recorded_at < $3 \
             ORDER BY m.recorded_at, m.id"
        )
    };
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(hall)
        .bind(from)
        .bind(to)
        .fetch_all(s.pool())
        .await?;
    rows.iter().map(row).collect()
}
