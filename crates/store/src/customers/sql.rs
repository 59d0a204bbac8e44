//! The customer register on SQL. Each write is one transaction with its `customer_changes`
//! row and the audit record that pins it.

use super::rows::{class_of, corrupt, hall_today, load, load_some, summary, write_segments};
use super::*;
use crate::StoreError;
use crate::audit::append::{Append, append};
use crate::sql::{SqlStore, WriteTx};
use chrono::NaiveDate;
use servicehall_domain::cases::CaseKind;
use servicehall_domain::catalogue::{CatalogueEntry, VisitOutcome};
use servicehall_domain::customers::{
    check_consent, check_memberships, check_name, masked, normalize_account, normalize_phone,
};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

fn invalid(e: String) -> StoreError {
    StoreError::Invalid(e)
}

/// Appends the change to the customer's history and to the hall's audit chain.
async fn record(
    w: &mut WriteTx,
    c: &Customer,
    kind: &str,
    summary: &str,
    by: Option<i64>,
    now: i64,
) -> Result<()> {
    let change: i64 = sqlx::query_scalar("INSERT INTO customer_changes (customer_id, kind, at, by_id, summary) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(c.id)
        .bind(kind)
        .bind(now)
        .bind(by)
        .bind(summary)
        .fetch_one(&mut *w.tx)
        .await?;
    let subject = format!(
        "客户 #{} 户号{} {kind} · customer #{} {kind}: {summary}",
        c.id,
        masked(&c.account_no, "", "").account,
        c.id
    );
    let a = Append {
        hall: Some(c.hall_id),
        kind: "customer.changed",
        subject,
        source: Some(("customer_changes", change)),
    };
    append(w, a, now).await?;
    Ok(())
}

async fn check_segments(
    conn: &mut AnyConnection,
    hall_id: i64,
    segments: &[servicehall_domain::customers::Membership],
    now: i64,
) -> Result<()> {
    let today = hall_today(conn, hall_id, now).await?;
    check_memberships(segments, today).map_err(invalid)
}

fn phone_of(p: &str) -> Result<String> {
    if p.trim().is_empty() {
        Ok(String::new())
    } else {
        normalize_phone(p).map_err(invalid)
    }
}

fn note_of(n: &str) -> Result<String> {
    if n.chars().count() > 500 {
        return Err(invalid(
            "备注不超过 500 字 · the note is at most 500 characters".into(),
        ));
    }
    Ok(n.trim().to_string())
}

/// The documents a one-time notice listed: the catalogue version it was given under.
async fn notice_documents(
    conn: &mut AnyConnection,
    hall_id: i64,
    business_type: &str,
    class: &str,
    effective_from: &str,
) -> Result<Vec<String>> {
    let entry: Option<String> = sqlx::query_scalar("SELECT entry FROM catalogue_versions WHERE hall_id = $1 AND business_type = $2 AND effective_from = $3")
        .bind(hall_id)
        .bind(business_type)
        .bind(effective_from)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(entry) = entry else {
        return Ok(vec![]);
    };
    let e: CatalogueEntry =
        serde_json::from_str(&entry).map_err(|_| corrupt("notice entry", business_type))?;
    let docs = class_of(class)
        .ok()
        .and_then(|c| e.documents.for_class(c).cloned())
        .unwrap_or_default();
    Ok(docs.into_iter().map(|d| d.name).collect())
}

#[async_trait]
impl CustomerStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.customers")]
    async fn customers(&self, hall_id: i64, filter: &CustomerFilter) -> Result<Vec<Customer>> {
        let mut conn = self.pool.acquire().await?;
        let mut sql = "SELECT c.id FROM customers c WHERE c.hall_id = $1".to_string();
        if filter.segment.is_some() {
            sql.push_str(" AND EXISTS (SELECT 1 FROM customer_segments s WHERE s.customer_id = c.id AND s.segment = $2)");
        }
        if filter.review_by.is_some() {
            let n = if filter.segment.is_some() { 3 } else { 2 };
            sql.push_str(&format!(" AND EXISTS (SELECT 1 FROM customer_segments s WHERE s.customer_id = c.id AND s.review_on IS NOT NULL AND s.review_on <= ${n})"));
        }
        sql.push_str(" ORDER BY c.account_no");
        let mut q = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)).bind(hall_id);
        if let Some(s) = filter.segment {
            q = q.bind(s.as_str());
        }
        if let Some(d) = filter.review_by {
            q = q.bind(d.to_string());
        }
        let ids = q.fetch_all(&mut *conn).await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(load_some(&mut conn, id).await?);
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.customer")]
    async fn customer(&self, id: i64) -> Result<Customer> {
        let mut conn = self.pool.acquire().await?;
        load_some(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.find_by_account")]
    async fn find_by_account(&self, hall_id: i64, account: &str) -> Result<Option<Customer>> {
        let Ok(account) = normalize_account(account) else {
            return Ok(None);
        };
        let mut conn = self.pool.acquire().await?;
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE hall_id = $1 AND account_no = $2")
                .bind(hall_id)
                .bind(account)
                .fetch_optional(&mut *conn)
                .await?;
        match id {
            Some(id) => load(&mut conn, id).await,
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.find_by_phone")]
    async fn find_by_phone(&self, hall_id: i64, phone: &str) -> Result<Option<Customer>> {
        let Ok(phone) = normalize_phone(phone) else {
            return Ok(None);
        };
        let mut conn = self.pool.acquire().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM customers WHERE hall_id = $1 AND phone = $2 ORDER BY updated_at DESC, id DESC LIMIT 1",
        )
        .bind(hall_id)
        .bind(phone)
        .fetch_optional(&mut *conn)
        .await?;
        match id {
            Some(id) => load(&mut conn, id).await,
            None => Ok(None),
        }
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.create_customer")]
    async fn create_customer(
        &self,
        hall_id: i64,
        input: &NewCustomer,
        by: Option<i64>,
        now: i64,
    ) -> Result<Customer> {
        let account = normalize_account(&input.account_no).map_err(invalid)?;
        let name = check_name(&input.name).map_err(invalid)?;
        let phone = phone_of(&input.phone)?;
        let note = note_of(&input.note)?;
        let mut w = self.begin().await?;
        check_segments(&mut w.tx, hall_id, &input.segments, now).await?;
        let taken: Option<i64> =
            sqlx::query_scalar("SELECT id FROM customers WHERE hall_id = $1 AND account_no = $2")
                .bind(hall_id)
                .bind(&account)
                .fetch_optional(&mut *w.tx)
                .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "户号 {} 已在本厅客户登记中 · account {} is already in the hall's register",
                masked(&account, "", "").account,
                masked(&account, "", "").account
            )));
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO customers (hall_id, account_no, name, phone, customer_class, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
            .bind(hall_id)
            .bind(&account)
            .bind(&name)
            .bind(&phone)
            .bind(input.class.as_str())
            .bind(&note)
            .bind(now)
            .fetch_one(&mut *w.tx)
            .await?;
        write_segments(&mut w.tx, id, &input.segments, &[], now).await?;
        let c = load_some(&mut w.tx, id).await?;
        let segs: Vec<&str> = c.segments.iter().map(|m| m.segment.label_zh()).collect();
        let words = if segs.is_empty() {
            "登记 registered".to_string()
        } else {
            format!("登记，分群：{} registered", segs.join("、"))
        };
        record(&mut w, &c, "created", &words, by, now).await?;
        self.commit(w).await?;
        Ok(c)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.update_customer")]
    async fn update_customer(
        &self,
        id: i64,
        input: &CustomerUpdate,
        by: Option<i64>,
        now: i64,
    ) -> Result<Customer> {
        let name = input
            .name
            .as_deref()
            .map(check_name)
            .transpose()
            .map_err(invalid)?;
        let phone = input.phone.as_deref().map(phone_of).transpose()?;
        let note = note_of(&input.note)?;
        let mut w = self.begin().await?;
        let before = load_some(&mut w.tx, id).await?;
        check_segments(&mut w.tx, before.hall_id, &input.segments, now).await?;
        let clean = CustomerUpdate {
            name: name.clone(),
            phone: phone.clone(),
            class: input.class,
            note: note.clone(),
            segments: input.segments.clone(),
        };
        let words = summary(&before, &clean);
        let since: Vec<(String, i64)> =
            sqlx::query("SELECT segment, since FROM customer_segments WHERE customer_id = $1")
                .bind(id)
                .fetch_all(&mut *w.tx)
                .await?
                .iter()
                .map(|r| Ok((r.try_get("segment")?, r.try_get("since")?)))
                .collect::<Result<_>>()?;
        sqlx::query("UPDATE customers SET name = $1, phone = $2, customer_class = $3, note = $4, updated_at = $5 WHERE id = $6")
            .bind(name.unwrap_or(before.name.clone()))
            .bind(phone.unwrap_or(before.phone.clone()))
            .bind(input.class.as_str())
            .bind(&note)
            .bind(now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        write_segments(&mut w.tx, id, &input.segments, &since, now).await?;
        let c = load_some(&mut w.tx, id).await?;
        record(&mut w, &c, "changed", &words, by, now).await?;
        self.commit(w).await?;
        Ok(c)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.record_consent")]
    async fn record_consent(
        &self,
        id: i64,
        input: &ConsentInput,
        by: Option<i64>,
        now: i64,
    ) -> Result<Customer> {
        let note = note_of(&input.note)?;
        let mut w = self.begin().await?;
        let before = load_some(&mut w.tx, id).await?;
        let channel = if input.granted { input.channel } else { None };
        check_consent(&before.consents, input.purpose, channel, input.granted, now)
            .map_err(invalid)?;
        sqlx::query("INSERT INTO customer_consents (customer_id, purpose, channel, granted, at, by_id, note) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(input.purpose.as_str())
            .bind(channel.map(|c| c.as_str()))
            .bind(i64::from(input.granted))
            .bind(now)
            .bind(by)
            .bind(&note)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query("UPDATE customers SET updated_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        let c = load_some(&mut w.tx, id).await?;
        let (kind, words) = match channel {
            Some(ch) if input.granted => (
                "consent",
                format!(
                    "同意{}（{}）· consents to {} by {}",
                    input.purpose.label_zh(),
                    ch.label_zh(),
                    input.purpose.label_en(),
                    ch.label_en()
                ),
            ),
            _ => (
                "withdrawn",
                format!(
                    "撤回{}同意 · withdrew consent to {}",
                    input.purpose.label_zh(),
                    input.purpose.label_en()
                ),
            ),
        };
        record(&mut w, &c, kind, &words, by, now).await?;
        self.commit(w).await?;
        Ok(c)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.consent_records")]
    async fn consent_records(&self, id: i64) -> Result<Vec<ConsentRecord>> {
        let rows = sqlx::query("SELECT k.*, s.name AS by_name FROM customer_consents k LEFT JOIN staff s ON s.id = k.by_id WHERE k.customer_id = $1 ORDER BY k.at, k.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ConsentRecord {
                    event: super::rows::consent_event(r)?,
                    by_name: r.try_get("by_name")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.customers.log_customer_reveal"
    )]
    async fn log_customer_reveal(
        &self,
        id: i64,
        reason: &str,
        by: Option<i64>,
        now: i64,
    ) -> Result<()> {
        let reason = servicehall_domain::customers::check_reveal_reason(reason).map_err(invalid)?;
        let mut w = self.begin().await?;
        let c = load_some(&mut w.tx, id).await?;
        let words = format!("查看完整信息，原因：{reason} · full data seen");
        record(&mut w, &c, "revealed", &words, by, now).await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.customer_changes")]
    async fn customer_changes(&self, id: i64) -> Result<Vec<CustomerChange>> {
        let rows = sqlx::query("SELECT c.*, s.name AS by_name FROM customer_changes c LEFT JOIN staff s ON s.id = c.by_id WHERE c.customer_id = $1 ORDER BY c.at, c.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CustomerChange {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    at: r.try_get("at")?,
                    by_id: r.try_get("by_id")?,
                    by_name: r.try_get("by_name")?,
                    summary: r.try_get("summary")?,
                })
            })
            .collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.customer_history")]
    async fn customer_history(&self, id: i64, limit: i64) -> Result<CustomerHistory> {
        let mut conn = self.pool.acquire().await?;
        let c = load_some(&mut conn, id).await?;
        let phone = if c.phone.is_empty() {
            c.account_no.clone()
        } else {
            c.phone.clone()
        };
        let rows = sqlx::query("SELECT v.id, v.at, v.business_type, v.customer_class, v.outcome, v.repeat_of, t.number AS ticket_number, b.name_zh AS business_name, n.code AS notice_code, n.effective_from \
             FROM customer_visits v LEFT JOIN tickets t ON t.id = v.ticket_id \
             LEFT JOIN business_types b ON b.hall_id = v.hall_id AND b.code = v.business_type \
             LEFT JOIN notices n ON n.visit_id = v.id \
             WHERE v.hall_id = $1 AND (v.contact = $2 OR v.contact = $3) ORDER BY v.at DESC, v.id DESC LIMIT $4")
            .bind(c.hall_id)
            .bind(&c.account_no)
            .bind(&phone)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        let mut visits = Vec::with_capacity(rows.len());
        for r in &rows {
            let outcome: String = r.try_get("outcome")?;
            let outcome: VisitOutcome = outcome
                .parse()
                .map_err(|_| corrupt("visit outcome", &outcome))?;
            let business_type: String = r.try_get("business_type")?;
            let notice_code: Option<String> = r.try_get("notice_code")?;
            let missing = match (&outcome, r.try_get::<Option<String>, _>("effective_from")?) {
                (VisitOutcome::MissingDocument, Some(from)) => {
                    let class: String = r.try_get("customer_class")?;
                    notice_documents(&mut conn, c.hall_id, &business_type, &class, &from).await?
                }
                _ => vec![],
            };
            visits.push(CustomerVisit {
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                ticket_number: r.try_get("ticket_number")?,
                business_name: r
                    .try_get::<Option<String>, _>("business_name")?
                    .unwrap_or_else(|| business_type.clone()),
                business_type,
                outcome,
                missing,
                notice_code,
                repeat: r.try_get::<Option<i64>, _>("repeat_of")?.is_some(),
            });
        }
        let rows = sqlx::query("SELECT id, number, kind, status, summary, created_at FROM cases \
             WHERE hall_id = $1 AND (account_no = $2 OR customer_phone = $3) \
             ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, created_at DESC, id DESC LIMIT $4")
            .bind(c.hall_id)
            .bind(&c.account_no)
            .bind(&phone)
            .bind(limit)
            .fetch_all(&mut *conn)
            .await?;
        let cases = rows
            .iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let status: String = r.try_get("status")?;
                Ok(CustomerCase {
                    id: r.try_get("id")?,
                    number: r.try_get("number")?,
                    kind: kind
                        .parse::<CaseKind>()
                        .map_err(|_| corrupt("case kind", &kind))?,
                    open: status == "open",
                    summary: r.try_get("summary")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(CustomerHistory { visits, cases })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.customers.segment_counts")]
    async fn segment_counts(
        &self,
        halls: &[i64],
        review_by: NaiveDate,
    ) -> Result<Vec<SegmentCount>> {
        let rows = sqlx::query(
            "SELECT c.hall_id, s.segment, COUNT(*) AS n, \
             SUM(CASE WHEN s.review_on IS NOT NULL AND s.review_on <= $1 THEN 1 ELSE 0 END) AS due \
             FROM customer_segments s JOIN customers c ON c.id = s.customer_id \
             GROUP BY c.hall_id, s.segment ORDER BY c.hall_id, s.segment",
        )
        .bind(review_by.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let hall_id: i64 = r.try_get("hall_id")?;
            if !halls.contains(&hall_id) {
                continue;
            }
            let seg: String = r.try_get("segment")?;
            out.push(SegmentCount {
                hall_id,
                segment: servicehall_domain::customers::Segment::parse(&seg)
                    .ok_or_else(|| corrupt("segment", &seg))?,
                customers: r.try_get("n")?,
                review_due: r.try_get::<Option<i64>, _>("due")?.unwrap_or(0),
            });
        }
        Ok(out)
    }
}
