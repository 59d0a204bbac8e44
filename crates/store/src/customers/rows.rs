//! Reading a customer with their segments and consents, and saying a change in words.

use super::model::*;
use crate::{Result, StoreError};
use chrono::NaiveDate;
use servicehall_domain::cases::CustomerClass;
use servicehall_domain::customers::{
    Basis, Care, ConsentEvent, ContactChannel, Membership, Purpose, Segment, masked,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

pub(super) fn corrupt(what: &str, v: &str) -> StoreError {
    StoreError::Invalid(format!(
        "已存客户数据无法读取 · stored customer {what} does not read: {v:?}"
    ))
}

pub(super) fn class_of(s: &str) -> Result<CustomerClass> {
    CustomerClass::ALL
        .into_iter()
        .find(|c| c.as_str() == s)
        .ok_or_else(|| corrupt("class", s))
}

pub(super) fn care_text(care: &[Care]) -> String {
    Care::ALL
        .iter()
        .filter(|c| care.contains(c))
        .map(|c| c.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

fn membership(r: &AnyRow) -> Result<Membership> {
    let seg: String = r.try_get("segment")?;
    let care: String = r.try_get("care")?;
    let basis: Option<String> = r.try_get("basis")?;
    let review: Option<String> = r.try_get("review_on")?;
    Ok(Membership {
        segment: Segment::parse(&seg).ok_or_else(|| corrupt("segment", &seg))?,
        care: care
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| Care::parse(c).ok_or_else(|| corrupt("care", c)))
            .collect::<Result<_>>()?,
        basis: basis
            .as_deref()
            .map(|b| Basis::parse(b).ok_or_else(|| corrupt("basis", b)))
            .transpose()?,
        review_on: review
            .as_deref()
            .map(|d| {
                NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| corrupt("review date", d))
            })
            .transpose()?,
        note: r.try_get("note")?,
    })
}

pub(super) fn consent_event(r: &AnyRow) -> Result<ConsentEvent> {
    let purpose: String = r.try_get("purpose")?;
    let channel: Option<String> = r.try_get("channel")?;
    Ok(ConsentEvent {
        purpose: Purpose::parse(&purpose).ok_or_else(|| corrupt("purpose", &purpose))?,
        channel: channel
            .as_deref()
            .map(|c| ContactChannel::parse(c).ok_or_else(|| corrupt("channel", c)))
            .transpose()?,
        granted: r.try_get::<i64, _>("granted")? != 0,
        at: r.try_get("at")?,
    })
}

/// Loads one customer whole, or `None`.
pub(super) async fn load(conn: &mut AnyConnection, id: i64) -> Result<Option<Customer>> {
    let Some(r) = sqlx::query("SELECT * FROM customers WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let segments = sqlx::query(
        "SELECT * FROM customer_segments WHERE customer_id = $1 ORDER BY since, segment",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(membership)
    .collect::<Result<Vec<_>>>()?;
    let mut segments = segments;
    segments.sort_by_key(|m| Segment::ALL.iter().position(|s| *s == m.segment));
    let consents =
        sqlx::query("SELECT * FROM customer_consents WHERE customer_id = $1 ORDER BY at, id")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(consent_event)
            .collect::<Result<Vec<_>>>()?;
    let class: String = r.try_get("customer_class")?;
    Ok(Some(Customer {
        id,
        hall_id: r.try_get("hall_id")?,
        account_no: r.try_get("account_no")?,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        class: class_of(&class)?,
        note: r.try_get("note")?,
        segments,
        consents,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    }))
}

pub(super) async fn load_some(conn: &mut AnyConnection, id: i64) -> Result<Customer> {
    load(conn, id)
        .await?
        .ok_or_else(|| StoreError::not_found("customer", id))
}

fn seg_words(m: &Membership) -> String {
    let care: Vec<&str> = m.care.iter().map(|c| c.label_zh()).collect();
    let mut s = format!("{}（{}", m.segment.label_zh(), care.join("、"));
    if let Some(b) = m.basis {
        s.push_str(&format!("；{}", b.label_zh()));
    }
    if let Some(d) = m.review_on {
        s.push_str(&format!("；复核 {d}"));
    }
    s.push('）');
    s
}

/// What changed, in words; personal data only masked.
pub(super) fn summary(before: &Customer, after: &CustomerUpdate) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(n) = after.name.as_deref().filter(|n| *n != before.name) {
        parts.push(format!(
            "姓名：{} → {}",
            masked("", "", &before.name).name,
            masked("", "", n).name
        ));
    }
    if let Some(p) = after.phone.as_deref().filter(|p| *p != before.phone) {
        parts.push(format!(
            "电话：{} → {}",
            masked("", &before.phone, "").phone,
            masked("", p, "").phone
        ));
    }
    if after.class != before.class {
        parts.push(format!(
            "类别：{} → {}",
            before.class.label_zh(),
            after.class.label_zh()
        ));
    }
    if after.note != before.note {
        parts.push("备注已改".into());
    }
    for m in &after.segments {
        match before.segments.iter().find(|b| b.segment == m.segment) {
            None => parts.push(format!("加入分群 {}", seg_words(m))),
            Some(b) if b != m => parts.push(format!("分群 {} → {}", seg_words(b), seg_words(m))),
            Some(_) => {}
        }
    }
    for b in &before.segments {
        if !after.segments.iter().any(|m| m.segment == b.segment) {
            parts.push(format!("移出分群 {}", b.segment.label_zh()));
        }
    }
    if parts.is_empty() {
        "未改动 no change".into()
    } else {
        parts.join("；")
    }
}

/// Writes the customer's segments (replacing them), keeping each one's `since`.
pub(super) async fn write_segments(
    conn: &mut AnyConnection,
    id: i64,
    after: &[Membership],
    since_before: &[(String, i64)],
    now: i64,
) -> Result<()> {
    sqlx::query("DELETE FROM customer_segments WHERE customer_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for m in after {
        let since = since_before
            .iter()
            .find(|(s, _)| s == m.segment.as_str())
            .map_or(now, |(_, t)| *t);
        sqlx::query("INSERT INTO customer_segments (customer_id, segment, care, basis, review_on, note, since) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(m.segment.as_str())
            .bind(care_text(&m.care))
            .bind(m.basis.map(|b| b.as_str()))
            .bind(m.review_on.map(|d| d.to_string()))
            .bind(m.note.trim())
            .bind(since)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The hall-local day of `now`.
pub(super) async fn hall_today(
    conn: &mut AnyConnection,
    hall_id: i64,
    now: i64,
) -> Result<NaiveDate> {
    let tz: String = sqlx::query_scalar("SELECT timezone FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_optional(conn)
        .await?
        .ok_or_else(|| StoreError::not_found("hall", hall_id))?;
    let tz = servicehall_domain::time::parse_tz(&tz).map_err(StoreError::Invalid)?;
    Ok(servicehall_domain::time::service_day(now, tz))
}
