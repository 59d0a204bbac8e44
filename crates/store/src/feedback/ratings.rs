//! The ratings list: pad and phone (一事一评) ratings of a hall's visits, one row each, with
//! the ticket, counter and clerk, filtered and paged in SQL.

use super::sql::{corrupt, split_reasons};
use crate::sql::SqlStore;
use crate::{Paged, RatingFilter, RatingLine, Result, Window};
use servicehall_domain::feedback::Channel;
use sqlx::Row;

/// Both channels as one table `x`, each branch already limited to the hall and the period
/// so the `(hall_id, at)` indexes carry it.
const BOTH: &str = "(SELECT 'pad' AS channel, r.id, r.at, r.level, r.reasons, t.number AS ticket_number, t.business_type_id, r.counter_id, r.staff_id, '' AS contact_name, '' AS contact_phone, '' AS comment
      FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE r.hall_id = $1 AND r.at >= $2 AND r.at < $3
    UNION ALL
    SELECT 'phone' AS channel, p.id, p.at, p.level, p.reasons, t.number AS ticket_number, p.business_type_id, p.counter_id, p.staff_id, p.contact_name, p.contact_phone, p.comment
      FROM phone_ratings p JOIN tickets t ON t.id = p.ticket_id WHERE p.hall_id = $1 AND p.at >= $2 AND p.at < $3) x";

impl SqlStore {
    pub(crate) async fn ratings_paged(
        &self,
        hall_id: i64,
        f: &RatingFilter,
        w: Window,
    ) -> Result<Paged<RatingLine>> {
        let filter = format!(
            "FROM {BOTH} LEFT JOIN counters co ON co.id = x.counter_id LEFT JOIN staff s ON s.id = x.staff_id
             WHERE ($4 IS NULL OR x.channel = $4) AND ($5 IS NULL OR x.level = $5)
               AND ($6 IS NULL OR x.staff_id = $6) AND ($7 IS NULL OR x.business_type_id = $7)
               AND ($8 IS NULL OR x.counter_id = $8)"
        );
        let bind = |sql: String| {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(hall_id)
                .bind(f.from)
                .bind(f.to)
                .bind(f.channel.map(Channel::as_str))
                .bind(f.level)
                .bind(f.staff_id)
                .bind(f.business_type_id)
                .bind(f.counter_id)
        };
        let total: i64 = bind(format!("SELECT COUNT(*) AS n {filter}"))
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        let rows = bind(format!(
            "SELECT x.*, co.number AS counter_number, s.name AS staff_name, s.badge_no AS staff_badge {filter}
             ORDER BY x.at DESC, x.channel, x.id DESC LIMIT $9 OFFSET $10"
        ))
        .bind(w.limit)
        .bind(w.offset)
        .fetch_all(&self.pool)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let channel: String = r.try_get("channel")?;
            let name: Option<String> = r.try_get("staff_name")?;
            let badge: Option<String> = r.try_get("staff_badge")?;
            items.push(RatingLine {
                channel: Channel::parse(&channel)
                    .ok_or_else(|| corrupt("ratings.channel", &channel))?,
                id: r.try_get("id")?,
                at: r.try_get("at")?,
                level: r.try_get("level")?,
                reasons: split_reasons(&r.try_get::<String, _>("reasons")?),
                ticket_number: r.try_get("ticket_number")?,
                business_type_id: r.try_get("business_type_id")?,
                counter_number: r.try_get("counter_number")?,
                staff_id: r.try_get("staff_id")?,
                staff: name.map(|n| format!("{n} · {}", badge.unwrap_or_default())),
                contact_name: r.try_get("contact_name")?,
                contact_phone: r.try_get("contact_phone")?,
                comment: r.try_get("comment")?,
            });
        }
        Ok(Paged { items, total })
    }
}
