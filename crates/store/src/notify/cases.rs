//! Case notices (工单进展): a step done, a call-back scheduled. Queued only for a case
//! whose customer is in the hall's register (by account number, else by phone) with a
//! consent for case progress by the notifier's channel; otherwise nothing is queued.

use super::sql::insert_notification;
use crate::notify::{CaseNoticeInput, Notification, NotificationInput};
use crate::sql::SqlStore;
use crate::{CustomerStore, HallStore, Result, StoreError};
use servicehall_domain::notify::cases::{case_notice_allowed, is_case_event};
use servicehall_domain::notify::render;
use std::collections::BTreeMap;

impl SqlStore {
    pub(crate) async fn queue_case_notice_sql(
        &self,
        input: &CaseNoticeInput,
        now: i64,
    ) -> Result<Option<Notification>> {
        if !is_case_event(input.event) {
            return Err(StoreError::Invalid(format!(
                "{} 不是工单通知 · {} is not a case notice",
                input.event.label_zh(),
                input.event
            )));
        }
        let row: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT hall_id, number, customer_phone, account_no FROM cases WHERE id = $1",
        )
        .bind(input.case_id)
        .fetch_optional(self.pool())
        .await?;
        let (hall_id, number, phone, account) =
            row.ok_or_else(|| StoreError::not_found("case", input.case_id))?;
        let phone = phone.trim().to_string();
        if phone.is_empty() {
            return Ok(None);
        }
        let customer = match account.trim() {
            "" => None,
            a => self.find_by_account(hall_id, a).await?,
        };
        let customer = match customer {
            Some(c) => Some(c),
            None => self.find_by_phone(hall_id, &phone).await?,
        };
        let Some(customer) = customer else {
            return Ok(None);
        };
        let consents: Vec<_> = self
            .consent_records(customer.id)
            .await?
            .into_iter()
            .map(|r| r.event)
            .collect();
        if !case_notice_allowed(&consents, &input.channel, now) {
            return Ok(None);
        }
        let hall = self.hall(hall_id).await?;
        let values = BTreeMap::from([
            ("hall", hall.name),
            ("case", number.clone()),
            ("step", input.detail.clone()),
            ("time", input.detail.clone()),
        ]);
        let message = NotificationInput {
            hall_id: Some(hall_id),
            event: input.event,
            channel: input.channel.clone(),
            recipient: phone,
            body: render(input.event, &values),
            reference: number,
        };
        let mut w = self.begin().await?;
        let id = insert_notification(&mut w, &message, now).await?;
        self.commit(w).await?;
        self.notification_by_id(id).await.map(Some)
    }
}
