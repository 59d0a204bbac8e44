//! 服务补救: a bad rating opens its recovery case inside the transaction that records the
//! rating, owned by the hall manager, with the hall's call-back and rectification clocks.

use super::sql::{settings_on, split_reasons};
use crate::OpenCase;
use crate::cases::writes::{insert_case, refresh_clocks};
use crate::listing::case_state_sql;
use crate::sql::{SqlStore, WriteTx};
use crate::{CaseState, Paged, RecoveryFilter, RecoveryItem, Window};
use crate::{Hall, Result, StoreError};
use serde_json::json;
use servicehall_domain::RatingLevel;
use servicehall_domain::cases::{CaseKind, CustomerClass};
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::recovery::{recovery_process, summary};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::Row;

/// The bad rating a recovery case comes from.
pub(crate) struct BadRating<'a> {
    pub channel: Channel,
    pub rating_id: i64,
    pub level: RatingLevel,
    pub reasons: &'a [String],
    pub ticket_id: Option<i64>,
    pub business_type_id: Option<i64>,
    pub customer_name: &'a str,
    /// Empty when anonymous: nobody to call back.
    pub customer_phone: &'a str,
    /// `票号 A012 · 3号窗口` …
    pub visit: String,
    pub comment: &'a str,
    /// The clerk who served the visit: owner of last resort when the hall has neither a
    /// manager nor an administrator.
    pub served_by: Option<i64>,
}

impl<'a> BadRating<'a> {
    /// A pad rating: anonymous (the pad asks for no phone number).
    pub fn pad(
        t: &crate::Ticket,
        rating_id: i64,
        level: RatingLevel,
        reasons: &'a [String],
        counter_no: i64,
    ) -> Self {
        Self {
            channel: Channel::Pad,
            rating_id,
            level,
            reasons,
            ticket_id: Some(t.id),
            business_type_id: Some(t.business_type_id),
            customer_name: "",
            customer_phone: "",
            visit: format!("票号 {} · {counter_no}号窗口", t.number),
            comment: "",
            served_by: t.staff_id,
        }
    }
}

/// The hall's manager who owns recovery cases by default; an administrator when the hall
/// has no active manager, then the clerk who served — a bad rating is never refused for
/// want of an owner.
async fn default_owner(w: &mut WriteTx, hall_id: i64, served_by: Option<i64>) -> Result<i64> {
    let manager: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM staff WHERE hall_id = $1 AND role = 'hall_manager' AND active = 1 ORDER BY id LIMIT 1",
    )
    .bind(hall_id)
    .fetch_optional(&mut *w.tx)
    .await?;
    if let Some(id) = manager {
        return Ok(id);
    }
    let admin: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM staff WHERE role = 'admin' AND active = 1 AND (hall_id IS NULL OR hall_id = $1) ORDER BY id LIMIT 1",
    )
    .bind(hall_id)
    .fetch_optional(&mut *w.tx)
    .await?;
    admin.or(served_by).ok_or_else(|| {
        StoreError::Conflict(
            "this hall has no active hall manager or administrator to own service-recovery cases; add one under 管理 Admin".into(),
        )
    })
}

/// Opens the recovery case of a bad rating in `w`; returns the case id.
pub(crate) async fn open_recovery(
    w: &mut WriteTx,
    hall: &Hall,
    bad: &BadRating<'_>,
    now: i64,
) -> Result<i64> {
    let settings = settings_on(&mut w.tx, hall.id).await?;
    let owner = default_owner(w, hall.id, bad.served_by).await?;
    let tz = parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
    let day = service_day(now, tz).format("%Y%m%d").to_string();
    let name = if bad.customer_name.trim().is_empty() {
        if bad.customer_phone.trim().is_empty() {
            "匿名客户"
        } else {
            "客户"
        }
    } else {
        bad.customer_name.trim()
    };
    let req = OpenCase {
        hall_id: hall.id,
        kind: CaseKind::Recovery,
        business_type_id: bad.business_type_id,
        customer_class: CustomerClass::Resident,
        customer_name: name.into(),
        customer_phone: bad.customer_phone.trim().into(),
        account_no: String::new(),
        summary: summary(bad.channel, bad.level, bad.reasons, &bad.visit, bad.comment),
        ticket_id: bad.ticket_id,
        by: owner,
    };
    let process = recovery_process(&settings);
    let id = insert_case(w, hall.id, &day, &req, owner, None, &process, now).await?;
    refresh_clocks(w, id, now).await?;
    sqlx::query(
        "INSERT INTO recovery_links (case_id, hall_id, channel, rating_id, level, reasons, real_name, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(hall.id)
    .bind(bad.channel.as_str())
    .bind(bad.rating_id)
    .bind(i64::from(bad.level.value()))
    .bind(bad.reasons.join(","))
    .bind(i64::from(!bad.customer_phone.trim().is_empty()))
    .bind(now)
    .execute(&mut *w.tx)
    .await
    .map_err(|e| StoreError::unique_as(e, "这条评价已有补救工单 · this rating already has its recovery case"))?;
    w.push_event(
        hall.id,
        "recovery_opened",
        json!({"case_id": id, "channel": bad.channel, "level": bad.level.value(), "owner_id": owner}),
        now,
    )
    .await?;
    Ok(id)
}

/// The columns of a recovery row; `c` is its case, `l` its link.
const RECOVERY_COLS: &str = "l.case_id, c.number, l.channel, l.level, l.reasons, l.real_name, l.at, c.status, c.owner_id, c.customer_phone,
    (SELECT COUNT(*) FROM case_events e WHERE e.case_id = l.case_id AND e.kind = 'callback_recorded' AND e.data LIKE '%\"reached\":true%') AS callbacks,
    (SELECT MIN(k.deadline_at) FROM case_clocks k WHERE k.case_id = l.case_id AND k.state = 'running') AS next_deadline";

fn recovery_row(r: &sqlx::any::AnyRow, now: i64) -> Result<RecoveryItem> {
    let channel: String = r.try_get("channel")?;
    let next_deadline: Option<i64> = r.try_get("next_deadline")?;
    let status: String = r.try_get("status")?;
    Ok(RecoveryItem {
        case_id: r.try_get("case_id")?,
        case_number: r.try_get("number")?,
        channel: Channel::parse(&channel)
            .ok_or_else(|| super::sql::corrupt("recovery_links.channel", &channel))?,
        level: r.try_get("level")?,
        reasons: split_reasons(&r.try_get::<String, _>("reasons")?),
        real_name: r.try_get::<i64, _>("real_name")? != 0,
        at: r.try_get("at")?,
        closed: status == "closed",
        callback_recorded: r.try_get::<i64, _>("callbacks")? > 0,
        owner_id: r.try_get("owner_id")?,
        customer_phone: r.try_get("customer_phone")?,
        next_deadline,
        overdue: status != "closed" && next_deadline.is_some_and(|d| d < now),
    })
}

impl SqlStore {
    pub(crate) async fn recovery_list(
        &self,
        hall_id: i64,
        from: i64,
        to: i64,
        now: i64,
    ) -> Result<Vec<RecoveryItem>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECOVERY_COLS} FROM recovery_links l JOIN cases c ON c.id = l.case_id
             WHERE l.hall_id = $1 AND l.at >= $2 AND l.at < $3
             ORDER BY l.at DESC, l.case_id DESC"
        )))
        .bind(hall_id)
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| recovery_row(r, now)).collect()
    }

    /// One page of the recovery list with the filters applied in SQL, and the count of all.
    pub(crate) async fn recovery_paged(
        &self,
        hall_id: i64,
        f: &RecoveryFilter,
        w: Window,
        now: i64,
    ) -> Result<Paged<RecoveryItem>> {
        let filter = format!(
            "FROM recovery_links l JOIN cases c ON c.id = l.case_id
             WHERE l.hall_id = $1 AND l.at >= $2 AND l.at < $3
               AND ($4 IS NULL OR l.channel = $4) AND ($5 IS NULL OR l.level = $5) AND {}",
            case_state_sql("c", 6, 7)
        );
        let bind = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(hall_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.channel.map(Channel::as_str))
                .bind(f.level)
                .bind(f.state.map(CaseState::as_str))
                .bind(now)
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n {filter}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind(format!(
            "SELECT {RECOVERY_COLS} {filter} ORDER BY l.at DESC, l.case_id DESC LIMIT $8 OFFSET $9"
        ))
        .bind(w.limit)
        .bind(w.offset)
        .fetch_all(&self.pool)
        .await?;
        let items = rows
            .iter()
            .map(|r| recovery_row(r, now))
            .collect::<Result<_>>()?;
        Ok(Paged { items, total })
    }
}
