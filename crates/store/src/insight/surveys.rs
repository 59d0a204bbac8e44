//! Surveys: definitions attached to business types or to case closure, one invitation per
//! visit or case, one answer per invitation within its window.

use crate::sql::SqlStore;
use crate::*;
use crate::{QueueStore, Result, StoreError};
use servicehall_domain::TicketState;
use servicehall_domain::insight::survey::{
    InvitationState, ItemKind, SurveyAnswer, SurveyDefinition, SurveyTrigger, check_answer,
};
use sqlx::Row;
use sqlx::any::AnyRow;

const SURVEY_COLS: &str = "id, definition, active, created_at";
const INV_COLS: &str = "id, survey_id, hall_id, ticket_id, case_id, business_type_id, counter_id, staff_id, sent_at, expires_at, answered_at";

fn trigger_str(t: SurveyTrigger) -> &'static str {
    match t {
        SurveyTrigger::BusinessType => "business_type",
        SurveyTrigger::CaseClosed => "case_closed",
    }
}

fn invitation_row(r: &AnyRow) -> Result<SurveyInvitation> {
    Ok(SurveyInvitation {
        id: r.try_get("id")?,
        survey_id: r.try_get("survey_id")?,
        hall_id: r.try_get("hall_id")?,
        ticket_id: r.try_get("ticket_id")?,
        case_id: r.try_get("case_id")?,
        business_type_id: r.try_get("business_type_id")?,
        counter_id: r.try_get("counter_id")?,
        staff_id: r.try_get("staff_id")?,
        sent_at: r.try_get("sent_at")?,
        expires_at: r.try_get("expires_at")?,
        answered_at: r.try_get("answered_at")?,
    })
}

/// Who an invitation is attributed to.
struct Attribution {
    hall_id: i64,
    ticket_id: Option<i64>,
    case_id: Option<i64>,
    business_type_id: Option<i64>,
    counter_id: Option<i64>,
    staff_id: Option<i64>,
}

impl SqlStore {
    async fn survey_from_row(&self, r: &AnyRow) -> Result<Survey> {
        let id: i64 = r.try_get("id")?;
        let json: String = r.try_get("definition")?;
        let definition: SurveyDefinition = serde_json::from_str(&json).map_err(|e| {
            StoreError::Db(sqlx::Error::Decode(
                format!("surveys.definition: {e}").into(),
            ))
        })?;
        let business_type_ids: Vec<i64> = sqlx::query_scalar(
            "SELECT business_type_id FROM survey_business_types WHERE survey_id = $1 ORDER BY business_type_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Survey {
            id,
            definition,
            business_type_ids,
            active: r.try_get::<i64, _>("active")? != 0,
            created_at: r.try_get("created_at")?,
        })
    }

    pub(crate) async fn create_survey_sql(
        &self,
        def: &SurveyDefinition,
        business_type_ids: &[i64],
        by: Option<i64>,
        now: i64,
    ) -> Result<Survey> {
        def.validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        if def.trigger == SurveyTrigger::BusinessType && business_type_ids.is_empty() {
            return Err(StoreError::Invalid(
                "问卷须关联至少一种业务，或设为工单办结后发送 · attach the survey to at least one business type, or send it after case closure"
                    .into(),
            ));
        }
        let json = serde_json::to_string(def).map_err(|e| {
            StoreError::Invalid(format!("问卷无法保存 · cannot store the survey: {e}"))
        })?;
        let mut w = self.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO surveys (title, trigger_kind, window_hours, definition, active, created_by, created_at) VALUES ($1, $2, $3, $4, 1, $5, $6) RETURNING id",
        )
        .bind(&def.title)
        .bind(trigger_str(def.trigger))
        .bind(def.window_hours)
        .bind(json)
        .bind(by)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        let mut seen = Vec::new();
        for bt in business_type_ids {
            if seen.contains(bt) {
                continue;
            }
            seen.push(*bt);
            let exists: Option<i64> =
                sqlx::query_scalar("SELECT id FROM business_types WHERE id = $1")
                    .bind(*bt)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            if exists.is_none() {
                // Dropping the transaction rolls the survey back.
                return Err(StoreError::Invalid(format!(
                    "没有此业务类型 · no business type {bt}"
                )));
            }
            sqlx::query(
                "INSERT INTO survey_business_types (survey_id, business_type_id) VALUES ($1, $2)",
            )
            .bind(id)
            .bind(*bt)
            .execute(&mut *w.tx)
            .await?;
        }
        self.commit(w).await?;
        self.survey_sql(id).await
    }

    pub(crate) async fn surveys_sql(&self) -> Result<Vec<Survey>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SURVEY_COLS} FROM surveys ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(self.survey_from_row(r).await?);
        }
        Ok(out)
    }

    pub(crate) async fn survey_sql(&self, id: i64) -> Result<Survey> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {SURVEY_COLS} FROM surveys WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("survey", id))?;
        self.survey_from_row(&r).await
    }

    pub(crate) async fn set_survey_active_sql(&self, id: i64, active: bool) -> Result<Survey> {
        let mut w = self.begin().await?;
        let n = sqlx::query("UPDATE surveys SET active = $1 WHERE id = $2")
            .bind(active as i64)
            .bind(id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("survey", id));
        }
        self.commit(w).await?;
        self.survey_sql(id).await
    }

    /// The newest active survey of `trigger` for the business type (after-case surveys
    /// without business types apply to every case).
    async fn survey_for(
        &self,
        trigger: SurveyTrigger,
        business_type_id: Option<i64>,
    ) -> Result<Option<(i64, i64)>> {
        let row = sqlx::query(
            "SELECT s.id, s.window_hours FROM surveys s
             WHERE s.active = 1 AND s.trigger_kind = $1
               AND (EXISTS (SELECT 1 FROM survey_business_types b WHERE b.survey_id = s.id AND b.business_type_id = $2)
                    OR ($1 = 'case_closed' AND NOT EXISTS (SELECT 1 FROM survey_business_types b WHERE b.survey_id = s.id)))
             ORDER BY s.id DESC LIMIT 1",
        )
        .bind(trigger_str(trigger))
        .bind(business_type_id.unwrap_or(0))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| Ok((r.try_get("id")?, r.try_get("window_hours")?)))
            .transpose()
    }

    async fn insert_invitation(
        &self,
        survey: (i64, i64),
        a: Attribution,
        token_hash: &str,
        now: i64,
    ) -> Result<SurveyInvitation> {
        let mut w = self.begin().await?;
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO survey_invitations (survey_id, hall_id, token_hash, ticket_id, case_id, business_type_id, counter_id, staff_id, sent_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING {INV_COLS}"
        )))
        .bind(survey.0)
        .bind(a.hall_id)
        .bind(token_hash)
        .bind(a.ticket_id)
        .bind(a.case_id)
        .bind(a.business_type_id)
        .bind(a.counter_id)
        .bind(a.staff_id)
        .bind(now)
        .bind(now + survey.1 * 3_600_000)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| StoreError::unique_as(e, "该客户已收到过此问卷邀请 · this customer has already been invited to the survey"))?;
        let inv = invitation_row(&r)?;
        self.commit(w).await?;
        Ok(inv)
    }

    pub(crate) async fn invite_for_ticket_sql(
        &self,
        ticket_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SurveyInvitation>> {
        let t = self.ticket(ticket_id).await?;
        if t.state != TicketState::Finished {
            return Err(StoreError::Conflict(
                "只有系统中办结的业务可以发送问卷 · only a visit the system finished can be surveyed".into(),
            ));
        }
        let Some(survey) = self
            .survey_for(SurveyTrigger::BusinessType, Some(t.business_type_id))
            .await?
        else {
            return Ok(None);
        };
        let a = Attribution {
            hall_id: t.hall_id,
            ticket_id: Some(t.id),
            case_id: None,
            business_type_id: Some(t.business_type_id),
            counter_id: t.counter_id,
            staff_id: t.staff_id,
        };
        self.insert_invitation(survey, a, token_hash, now)
            .await
            .map(Some)
    }

    pub(crate) async fn invite_for_case_sql(
        &self,
        case_id: i64,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<SurveyInvitation>> {
        let r = sqlx::query(
            "SELECT hall_id, business_type_id, owner_id, closed_at FROM cases WHERE id = $1",
        )
        .bind(case_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("case", case_id))?;
        let closed: Option<i64> = r.try_get("closed_at")?;
        if closed.is_none() {
            return Err(StoreError::Conflict(
                "工单办结后才发送办结问卷 · the after-case survey is sent once the case is closed"
                    .into(),
            ));
        }
        let bt: Option<i64> = r.try_get("business_type_id")?;
        let Some(survey) = self.survey_for(SurveyTrigger::CaseClosed, bt).await? else {
            return Ok(None);
        };
        let a = Attribution {
            hall_id: r.try_get("hall_id")?,
            ticket_id: None,
            case_id: Some(case_id),
            business_type_id: bt,
            counter_id: None,
            staff_id: Some(r.try_get("owner_id")?),
        };
        self.insert_invitation(survey, a, token_hash, now)
            .await
            .map(Some)
    }

    pub(crate) async fn invitation_sql(
        &self,
        token_hash: &str,
    ) -> Result<(SurveyInvitation, Survey)> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INV_COLS} FROM survey_invitations WHERE token_hash = $1"
        )))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| {
            StoreError::NotFound(
                "此链接没有对应的问卷，请核对地址 · no survey behind this link; check the address"
                    .into(),
            )
        })?;
        let inv = invitation_row(&r)?;
        let survey = self.survey_sql(inv.survey_id).await?;
        Ok((inv, survey))
    }

    pub(crate) async fn answer_survey_sql(
        &self,
        token_hash: &str,
        answer: &SurveyAnswer,
        now: i64,
    ) -> Result<SurveyInvitation> {
        let (inv, survey) = self.invitation_sql(token_hash).await?;
        let state = InvitationState {
            expires_at: inv.expires_at,
            answered: inv.answered_at.is_some(),
        };
        check_answer(&survey.definition, state, answer, now).map_err(|e| {
            if state.answered || now > state.expires_at {
                StoreError::Conflict(e.to_string())
            } else {
                StoreError::Invalid(e.to_string())
            }
        })?;
        let mut w = self.begin().await?;
        // Claims the invitation; a concurrent second answer finds it taken.
        let claimed = sqlx::query(
            "UPDATE survey_invitations SET answered_at = $1 WHERE id = $2 AND answered_at IS NULL AND expires_at >= $1",
        )
        .bind(now)
        .bind(inv.id)
        .execute(&mut *w.tx)
        .await?
        .rows_affected();
        if claimed == 0 {
            return Err(StoreError::Conflict(
                "已提交过，感谢您的评价 · this survey has already been answered; thank you".into(),
            ));
        }
        let recommend = survey
            .definition
            .items
            .iter()
            .find(|i| i.kind == ItemKind::Recommend)
            .and_then(|i| answer.values.get(&i.key).copied());
        let answer_id: i64 = sqlx::query_scalar(
            "INSERT INTO survey_answers (invitation_id, survey_id, hall_id, business_type_id, counter_id, staff_id, recommend, comment, at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
        )
        .bind(inv.id)
        .bind(inv.survey_id)
        .bind(inv.hall_id)
        .bind(inv.business_type_id)
        .bind(inv.counter_id)
        .bind(inv.staff_id)
        .bind(recommend)
        .bind(answer.comment.trim())
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        for it in survey
            .definition
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::Level)
        {
            let Some(level) = answer.values.get(&it.key) else {
                continue;
            };
            sqlx::query(
                "INSERT INTO survey_answer_items (answer_id, item_key, level, touchpoint, dimension) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(answer_id)
            .bind(&it.key)
            .bind(*level)
            .bind(it.touchpoint.clone().unwrap_or_default())
            .bind(it.dimension.map(|d| d.id()).unwrap_or_default())
            .execute(&mut *w.tx)
            .await?;
        }
        self.commit(w).await?;
        Ok(SurveyInvitation {
            answered_at: Some(now),
            ..inv
        })
    }
}
