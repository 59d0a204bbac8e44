//! 一事一评 on the phone: one rating per finished visit, in the hall's window, no account.

use super::recovery::{BadRating, open_recovery};
use super::sql::{settings_on, split_reasons};
use crate::sql::SqlStore;
use crate::*;
use crate::{HallStore, QueueStore, Result, StoreError};
use serde_json::json;
use servicehall_domain::TicketState;
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::phone::{
    PhoneRatingError, TouchpointLevel, check_visit, validate,
};
use sqlx::Row;

fn rule_err(e: PhoneRatingError) -> StoreError {
    match e {
        PhoneRatingError::NotFinished(_) | PhoneRatingError::WindowClosed { .. } => {
            StoreError::Conflict(e.to_string())
        }
        _ => StoreError::Invalid(e.to_string()),
    }
}

impl SqlStore {
    pub(crate) async fn phone_rate(
        &self,
        code: &str,
        input: &PhoneRatingInput,
        now: i64,
    ) -> Result<PhoneRating> {
        let level = validate(input).map_err(rule_err)?;
        // The slip's code follows transfers to the visit's last record.
        let t = self.ticket_by_code(code).await?;
        let hall = self.hall(t.hall_id).await?;
        // Only visits the system finished at a counter can be rated.
        let finished_at = if t.state == TicketState::Finished && t.counter_id.is_some() {
            let at: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(at) FROM ticket_events WHERE ticket_id = $1 AND action = 'finish'",
            )
            .bind(t.id)
            .fetch_one(&self.pool)
            .await?;
            Some(at.unwrap_or(t.updated_at))
        } else {
            None
        };
        let mut conn = self.pool.acquire().await?;
        let settings = settings_on(&mut conn, hall.id).await?;
        drop(conn);
        check_visit(&t.number, finished_at, now, settings.phone_window_hours).map_err(rule_err)?;
        let finished_at = finished_at.unwrap_or(t.updated_at);
        let reasons: Vec<String> = input.reasons.clone();
        let phone = input.contact_phone.trim();
        let counter = match t.counter_id {
            Some(c) => format!(" · {}号窗口", self.counter(c).await?.number),
            None => String::new(),
        };

        let mut w = self.begin().await?;
        super::sql::ensure_not_rated(&mut w, t.id, &t.number).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO phone_ratings (ticket_id, hall_id, counter_id, staff_id, business_type_id, level, reasons, comment, contact_name, contact_phone, finished_at, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        )
        .bind(t.id)
        .bind(t.hall_id)
        .bind(t.counter_id)
        .bind(t.staff_id)
        .bind(t.business_type_id)
        .bind(input.level)
        .bind(reasons.join(","))
        .bind(input.comment.trim())
        .bind(input.contact_name.trim())
        .bind(phone)
        .bind(finished_at)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                format!("这次业务已经评价过，一次业务只能评价一次 · ticket {} has already been rated; each visit is rated once", t.number),
            )
        })?;
        let subject = format!(
            "手机评价 {} 分 · phone rating {}: 票号 ticket {}",
            input.level, input.level, t.number
        );
        let a = crate::audit::append::Append {
            hall: Some(t.hall_id),
            kind: "rating.phone",
            subject,
            source: Some(("phone_ratings", id)),
        };
        crate::audit::append::append(&mut w, a, now).await?;
        for tp in &input.touchpoints {
            sqlx::query("INSERT INTO phone_rating_touchpoints (rating_id, touchpoint, level) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(&tp.touchpoint)
                .bind(tp.level)
                .execute(&mut *w.tx)
                .await?;
        }
        w.push_event(
            t.hall_id,
            "phone_rated",
            json!({"ticket_id": t.id, "level": input.level}),
            now,
        )
        .await?;
        let recovery_case_id = if level.is_bad() {
            Some(
                open_recovery(
                    &mut w,
                    &hall,
                    &BadRating {
                        channel: Channel::Phone,
                        rating_id: id,
                        level,
                        reasons: &reasons,
                        ticket_id: Some(t.id),
                        business_type_id: Some(t.business_type_id),
                        customer_name: &input.contact_name,
                        customer_phone: phone,
                        visit: format!("票号 {}{counter}", t.number),
                        comment: &input.comment,
                        served_by: t.staff_id,
                    },
                    now,
                )
                .await?,
            )
        } else {
            None
        };
        self.commit(w).await?;
        Ok(PhoneRating {
            id,
            ticket_id: t.id,
            hall_id: t.hall_id,
            counter_id: t.counter_id,
            staff_id: t.staff_id,
            business_type_id: t.business_type_id,
            level: input.level,
            touchpoints: input.touchpoints.clone(),
            reasons,
            comment: input.comment.trim().into(),
            contact_phone: phone.into(),
            finished_at,
            at: now,
            recovery_case_id,
        })
    }

    pub(crate) async fn phone_rating_of(&self, ticket_id: i64) -> Result<Option<PhoneRating>> {
        let Some(r) = sqlx::query(
            "SELECT p.id, p.ticket_id, p.hall_id, p.counter_id, p.staff_id, p.business_type_id, p.level, p.reasons, p.comment,
                    p.contact_phone, p.finished_at, p.at, l.case_id
             FROM phone_ratings p LEFT JOIN recovery_links l ON l.channel = 'phone' AND l.rating_id = p.id
             WHERE p.ticket_id = $1",
        )
        .bind(ticket_id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let id: i64 = r.try_get("id")?;
        let tps = sqlx::query(
            "SELECT touchpoint, level FROM phone_rating_touchpoints WHERE rating_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut touchpoints = tps
            .iter()
            .map(|t| {
                Ok(TouchpointLevel {
                    touchpoint: t.try_get("touchpoint")?,
                    level: t.try_get("level")?,
                })
            })
            .collect::<std::result::Result<Vec<_>, sqlx::Error>>()?;
        touchpoints.sort_by_key(|t| {
            servicehall_domain::insight::touchpoint::touchpoint_order(&t.touchpoint)
                .unwrap_or(usize::MAX)
        });
        Ok(Some(PhoneRating {
            id,
            ticket_id: r.try_get("ticket_id")?,
            hall_id: r.try_get("hall_id")?,
            counter_id: r.try_get("counter_id")?,
            staff_id: r.try_get("staff_id")?,
            business_type_id: r.try_get("business_type_id")?,
            level: r.try_get("level")?,
            touchpoints,
            reasons: split_reasons(&r.try_get::<String, _>("reasons")?),
            comment: r.try_get("comment")?,
            contact_phone: r.try_get("contact_phone")?,
            finished_at: r.try_get("finished_at")?,
            at: r.try_get("at")?,
            recovery_case_id: r.try_get("case_id")?,
        }))
    }
}
