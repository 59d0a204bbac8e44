//! The queue: issuing, calling, serving, transferring, ratings.

use super::ahead::{placement_of, waiting_ahead_fast};
use super::candidates::waiting_candidates;
use super::payload::ticket_payload;
use super::tickets::{counter_number, log_event, ticket_in};
use crate::sql::SqlStore;
use crate::sql::rows::{self, TICKET_COLS};
use crate::*;
use crate::{HallStore, QueueStore, Result, StoreError};
use async_trait::async_trait;
use serde_json::json;
use servicehall_domain::catalogue::VisitOutcome;
use servicehall_domain::queue::policy::rank_for_counter;
use servicehall_domain::queue::ticket::transition;
use servicehall_domain::time::{parse_tz, service_day};
use servicehall_domain::{CounterCapability, Priority, RatingLevel, TicketAction, TicketState};
use sqlx::AssertSqlSafe;
use std::collections::HashMap;
/// The longest green-channel reason (老年人, 孕妇, 停电抢修 … fit many times over).
const MAX_GREEN_REASON: usize = 200;

#[async_trait]
impl QueueStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.issue_ticket")]
    async fn issue_ticket(&self, req: &IssueTicket, now: i64) -> Result<Ticket> {
        Ok(self.issue_ticket_placed(req, now).await?.ticket)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.issue_ticket_placed")]
    async fn issue_ticket_placed(&self, req: &IssueTicket, now: i64) -> Result<IssuedTicket> {
        let hall = self.hall(req.hall_id).await?;
        let bt = self
            .business_type(req.business_type_id)
            .await
            .map_err(|_| {
                StoreError::Invalid(format!(
                    "本厅没有此业务类型 · unknown business type {} in hall {}",
                    req.business_type_id, hall.code
                ))
            })?;
        if bt.hall_id != hall.id || !bt.active {
            return Err(StoreError::Invalid(format!(
                "本厅没有此业务类型 · unknown business type {} in hall {}",
                req.business_type_id, hall.code
            )));
        }
        req.channel
            .parse::<servicehall_domain::halls::Channel>()
            .map_err(|e| StoreError::Invalid(e.0))?;
        if req.priority == Priority::Green && req.green_reason.trim().is_empty() {
            return Err(StoreError::Invalid(
                "绿色通道须填写原因，如 老年人 · green channel (绿色通道) needs a reason, e.g. 老年人 / elderly".into(),
            ));
        }
        if req.green_reason.chars().count() > MAX_GREEN_REASON {
            return Err(StoreError::Invalid(format!(
                "绿色通道原因最多 {MAX_GREEN_REASON} 个字 the green-channel reason is limited to {MAX_GREEN_REASON} characters"
            )));
        }
        if req
            .idempotency_key
            .as_ref()
            .is_some_and(|k| k.is_empty() || k.len() > 128)
        {
            return Err(StoreError::Invalid(
                "Idempotency-Key 须为 1 至 128 个字符 · Idempotency-Key must be 1 to 128 characters".into(),
            ));
        }
        let tz = parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
        let day = service_day(now, tz).to_string();

        self.issue(&hall, bt, req, day, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.call_next")]
    async fn call_next(
        &self,
        counter_id: i64,
        staff_id: Option<i64>,
        now: i64,
    ) -> Result<Option<Ticket>> {
        let caps = self.counter(counter_id).await?;
        let hall = self.hall(caps.hall_id).await?;
        let targets: HashMap<i64, i64> = self
            .business_types(hall.id)
            .await?
            .iter()
            .map(|b| (b.id, b.target_wait_s * 1000))
            .collect();
        let cap = CounterCapability {
            counter_id,
            primary: caps.primary.clone(),
            secondary: caps.secondary.clone(),
        };

        let mut w = self.begin().await?;
        let (_, number, status, reason) = self.lock_counter(&mut w, counter_id).await?;
        if status != CounterStatus::Open {
            let why = if reason.is_empty() {
                String::new()
            } else {
                format!(" ({reason})")
            };
            return Err(StoreError::Conflict(format!(
                "窗口未开放，请先开放窗口再叫号 · counter {number} is {}{why}; open it before calling",
                status.label_zh()
            )));
        }
        if let Some(t) = self.at_counter_in(&mut w, counter_id).await? {
            return Err(StoreError::Conflict(format!(
                "窗口仍在办理业务，请先办结、转办或标记过号 · counter {number} is still working on {} ({}); finish, transfer or mark it no-show first",
                t.number,
                t.state.label_zh()
            )));
        }
        let tz = parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
        let day = service_day(now, tz).to_string();
        self.expire_once(&mut w, hall.id, &day, now).await?;
        // Optimistic pick: another node may take the same ticket between our read and our
        // update; the conditional UPDATE then changes nothing and we rank again.
        for _ in 0..32 {
            let waiting = waiting_candidates(&mut w, hall.id, &day, &cap, 1).await?;
            let Some(pick) = rank_for_counter(&hall.policy, &cap, &waiting, &targets, now)
                .first()
                .map(|t| t.id)
            else {
                return Ok(None);
            };
            let n = sqlx::query(
                "UPDATE tickets SET state = 'called', counter_id = $1, staff_id = $2, updated_at = $3 WHERE id = $4 AND state = 'waiting'",
            )
            .bind(counter_id)
            .bind(staff_id)
            .bind(now)
            .bind(pick)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
            if n == 1 {
                let t = ticket_in(&mut w, pick).await?;
                log_event(
                    &mut w,
                    &t,
                    TicketState::Called,
                    "call",
                    Operator {
                        staff_id,
                        counter_id: Some(counter_id),
                    },
                    "",
                    now,
                )
                .await?;
                w.push_event(hall.id, "called", ticket_payload(&t, Some(number)), now)
                    .await?;
                self.commit(w).await?;
                return Ok(Some(t));
            }
        }
        Err(StoreError::Conflict(
            "排队系统繁忙，请再叫一次 · the queue is very busy; call again".into(),
        ))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.act_on_ticket")]
    async fn act_on_ticket(
        &self,
        ticket_id: i64,
        cmd: &TicketCommand,
        by: Operator,
        now: i64,
    ) -> Result<Ticket> {
        let mut w = self.begin().await?;
        let t = ticket_in(&mut w, ticket_id).await?;
        if let Some(mine) = by.counter_id
            && t.counter_id != Some(mine)
        {
            let at = match counter_number(&mut w, t.counter_id).await? {
                Some(n) => format!("at counter {n}"),
                None => "not at any counter".to_string(),
            };
            return Err(StoreError::Conflict(format!(
                "该票号不在您的窗口 · ticket {} is {at}, not at yours",
                t.number
            )));
        }
        let hall = self.hall(t.hall_id).await?;
        let action = match cmd {
            TicketCommand::Recall => TicketAction::Recall,
            TicketCommand::Start => TicketAction::Start,
            TicketCommand::Finish { .. } => TicketAction::Finish,
            TicketCommand::NoShow => TicketAction::NoShow,
            TicketCommand::Hold { .. } => TicketAction::Hold,
            TicketCommand::Resume => TicketAction::Resume,
            TicketCommand::Transfer { .. } => TicketAction::Transfer,
        };
        let step = transition(
            t.state,
            action,
            t.recalls.max(0) as u32,
            hall.policy.max_recalls,
        )?;
        let mut note = String::new();
        match cmd {
            TicketCommand::Finish { read_back, outcome } => {
                let bt = self.business_type(t.business_type_id).await?;
                if bt.is_payment && read_back.is_none() && *outcome == VisitOutcome::Completed {
                    return Err(StoreError::Invalid(format!(
                        "{}是缴费业务，办结须填写应收和实收金额（唱收唱付） · {} is a payment business: give the amount due and the amount received",
                        bt.name_zh, bt.name_en
                    )));
                }
                if let Some(rb) = read_back {
                    sqlx::query("INSERT INTO read_backs (ticket_id, due, received, change_due, at) VALUES ($1, $2, $3, $4, $5)")
                        .bind(t.id)
                        .bind(rb.due.0)
                        .bind(rb.received.0)
                        .bind(rb.change.0)
                        .bind(now)
                        .execute(&mut *w.tx)
                        .await?;
                    note = rb.spoken_zh();
                }
            }
            TicketCommand::Hold { reason } => note = reason.trim().to_string(),
            TicketCommand::Transfer { reason, .. } => note = reason.trim().to_string(),
            _ => {}
        }
        if step.recall_limit_reached {
            note = format!("recalled {} times: no-show", t.recalls);
        }
        let n = sqlx::query(
            "UPDATE tickets SET state = $1, recalls = $2, updated_at = $3, staff_id = COALESCE($4, staff_id) WHERE id = $5 AND state = $6",
        )
        .bind(step.to.as_str())
        .bind(step.recalls as i64)
        .bind(now)
        .bind(by.staff_id)
        .bind(t.id)
        .bind(t.state.as_str())
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::Conflict(format!(
                "该票号状态已变化，请刷新后重试 · ticket {} changed meanwhile; reload and try again",
                t.number
            )));
        }
        let updated = ticket_in(&mut w, t.id).await?;
        log_event(&mut w, &updated, step.to, action.as_str(), by, &note, now).await?;
        if matches!(step.to, TicketState::Finished | TicketState::Transferred) {
            super::keep_handling(&mut w, &updated).await?;
        }
        let number = counter_number(&mut w, updated.counter_id).await?;
        let kind = match (action, step.to) {
            (_, TicketState::NoShow) => "no_show",
            (TicketAction::Recall, _) => "recalled",
            (TicketAction::Start, _) => "started",
            (TicketAction::Finish, _) => "finished",
            (TicketAction::Hold, _) => "held",
            (TicketAction::Resume, _) => "resumed",
            _ => "transferred",
        };
        w.push_event(t.hall_id, kind, ticket_payload(&updated, number), now)
            .await?;

        if let TicketCommand::Transfer {
            business_type_id,
            counter_id,
            reason,
        } = cmd
        {
            let bt = self.business_type(*business_type_id).await?;
            if bt.hall_id != t.hall_id || !bt.active {
                return Err(StoreError::Invalid(format!(
                    "本厅没有此业务类型 · unknown business type {business_type_id} in this hall"
                )));
            }
            if let Some(c) = counter_id {
                let target = self.counter(*c).await?;
                if target.hall_id != t.hall_id {
                    return Err(StoreError::Invalid(
                        "该窗口属于其他营业厅 · that counter belongs to another hall".into(),
                    ));
                }
            }
            // The linked record keeps the number and the original place in the queue.
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO tickets (hall_id, business_type_id, service_day, prefix, seq_no, number, code, priority, green_reason,
                                      proxy, channel, state, queued_since, issued_at, target_counter_id, transferred_from, updated_at)
                 SELECT hall_id, $1, service_day, prefix, seq_no, number, code || '.t', priority, green_reason,
                        proxy, channel, 'waiting', queued_since, $2, $3, id, $2 FROM tickets WHERE id = $4
                 RETURNING id",
            )
            .bind(bt.id)
            .bind(now)
            .bind(*counter_id)
            .bind(t.id)
            .fetch_one(&mut *w.tx)
            .await?;
            let linked = ticket_in(&mut w, id).await?;
            log_event(
                &mut w,
                &linked,
                TicketState::Waiting,
                "transfer_in",
                Operator {
                    staff_id: by.staff_id,
                    counter_id: None,
                },
                reason.trim(),
                now,
            )
            .await?;
            w.push_event(t.hall_id, "issued", ticket_payload(&linked, None), now)
                .await?;
        }
        self.commit(w).await?;
        Ok(updated)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.leave_queue")]
    async fn leave_queue(&self, ticket_id: i64, now: i64) -> Result<Ticket> {
        self.leave_queue_sql(ticket_id, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.mark_on_way")]
    async fn mark_on_way(&self, ticket_id: i64, now: i64) -> Result<Ticket> {
        self.mark_on_way_sql(ticket_id, now).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.ticket")]
    async fn ticket(&self, id: i64) -> Result<Ticket> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("ticket", id))?;
        rows::ticket(&row)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.ticket_by_code")]
    async fn ticket_by_code(&self, code: &str) -> Result<Ticket> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE code = $1"
        )))
        .bind(code)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| {
            StoreError::NotFound(
                "没有这个取号码，请核对取号凭条 · no ticket with that code; check the slip".into(),
            )
        })?;
        let mut t = rows::ticket(&row)?;
        // Follow transfers so the customer's page shows where the visit is now.
        while t.state == TicketState::Transferred {
            let next = sqlx::query(AssertSqlSafe(format!(
                "SELECT {TICKET_COLS} FROM tickets WHERE transferred_from = $1"
            )))
            .bind(t.id)
            .fetch_optional(&self.pool)
            .await?;
            match next {
                Some(r) => t = rows::ticket(&r)?,
                None => break,
            }
        }
        Ok(t)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.ticket_log")]
    async fn ticket_log(&self, id: i64) -> Result<Vec<TicketEvent>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {} FROM ticket_events WHERE ticket_id = $1 ORDER BY id",
            rows::EVENT_COLS
        )))
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::ticket_event).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.waiting", fields(hall = hall_id))]
    async fn waiting(&self, hall_id: i64) -> Result<Vec<Ticket>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TICKET_COLS} FROM tickets WHERE hall_id = $1 AND state = 'waiting'
               AND service_day IN (SELECT service_day FROM queue_depth WHERE hall_id = $1 AND waiting > 0)
             ORDER BY queued_since, id"
        )))
        .bind(hall_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rows::ticket).collect()
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.day_handling", fields(hall = hall_id))]
    async fn day_handling(
        &self,
        hall_id: i64,
        day: &str,
        after_event: Option<i64>,
    ) -> Result<DayHandling> {
        self.day_handling_read(hall_id, day, after_event).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.kept_handling", fields(hall = hall_id))]
    async fn kept_handling(&self, hall_id: i64, day: &str) -> Result<KeptHandling> {
        self.kept_handling_read(hall_id, day).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.rebuild_handling_sums", fields(hall = hall_id))]
    async fn rebuild_handling_sums(&self, hall_id: i64, day: &str) -> Result<()> {
        self.rebuild_handling_sums_sql(hall_id, day).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.waiting_ahead")]
    async fn waiting_ahead(&self, t: &Ticket, green_first: bool) -> Result<i64> {
        waiting_ahead_fast(&self.pool, t, green_first).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.placement")]
    async fn placement(&self, t: &Ticket, green_first: bool) -> Result<Placement> {
        placement_of(&self.pool, t, green_first).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.ticket_estimates", fields(hall = hall_id))]
    async fn ticket_estimates(
        &self,
        hall_id: i64,
        from_day: &str,
        to_day: &str,
    ) -> Result<Vec<TicketEstimate>> {
        self.estimates_between(hall_id, from_day, to_day).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.queue.rate")]
    async fn rate(
        &self,
        ticket_id: i64,
        counter_id: i64,
        device_id: Option<i64>,
        level: i64,
        reasons: &[String],
        window_ms: i64,
        now: i64,
    ) -> Result<Rating> {
        let lvl = RatingLevel::new(level)?;
        lvl.validate_reasons(reasons)?;
        let t = self.ticket(ticket_id).await?;
        if t.state != TicketState::Finished || t.counter_id != Some(counter_id) {
            return Err(StoreError::Conflict(format!(
                "该业务不是在本窗口办结的，只有办结的业务可以评价 · ticket {} was not finished at this counter; only finished visits can be rated",
                t.number
            )));
        }
        if now - t.updated_at > window_ms {
            return Err(StoreError::Conflict(format!(
                "评价时间已过 · the rating window for ticket {} has closed",
                t.number
            )));
        }
        let hall = self.hall(t.hall_id).await?;
        let counter_no = self.counter(counter_id).await?.number;
        let mut w = self.begin().await?;
        crate::feedback::sql::ensure_not_rated(&mut w, t.id, &t.number).await?;
        let rating_id: i64 = sqlx::query_scalar(
            "INSERT INTO ratings (ticket_id, hall_id, counter_id, staff_id, device_id, level, reasons, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(t.id).bind(t.hall_id).bind(counter_id).bind(t.staff_id).bind(device_id).bind(level).bind(reasons.join(",")).bind(now)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, format!("这次业务已经评价过 · ticket {} has already been rated", t.number)))?;
        if lvl.is_bad() {
            // 服务补救: the bad rating and its recovery case commit together.
            let bad =
                crate::feedback::recovery::BadRating::pad(&t, rating_id, lvl, reasons, counter_no);
            crate::feedback::recovery::open_recovery(&mut w, &hall, &bad, now).await?;
        }
        let subject = format!(
            "评价 {level} 分 · rating {level}: 票号 ticket {} at counter {counter_no}",
            t.number
        );
        let a = crate::audit::append::Append {
            hall: Some(t.hall_id),
            kind: "rating",
            subject,
            source: Some(("ratings", rating_id)),
        };
        crate::audit::append::append(&mut w, a, now).await?;
        w.push_event(
            t.hall_id,
            "rated",
            json!({"ticket_id": t.id, "counter_id": counter_id, "level": level}),
            now,
        )
        .await?;
        self.commit(w).await?;
        Ok(Rating {
            ticket_id: t.id,
            counter_id,
            staff_id: t.staff_id,
            level,
            reasons: reasons.to_vec(),
            at: now,
        })
    }
}
