//! Survey links the customer reaches without anyone sending them: on the printed receipt and
//! the follow page once a visit is finished, on the case's public page once it is closed.
//! The invitation is made on first use. A visit's token is derived from the slip's code —
//! whoever holds the slip may answer once, as with the phone rating — so nothing secret is
//! stored; a case has no such code, so its random token is kept (see migration 0012).

use crate::AppState;
use crate::auth::{hash_token, new_token};
use crate::error::ApiResult;
use servicehall_domain::TicketState;
use servicehall_store::{StoreError, Ticket};

/// The survey path of a finished visit, if a survey is attached to its business type and
/// nobody has invited the customer another way (over the API) already.
pub async fn for_ticket(s: &AppState, t: &Ticket) -> ApiResult<Option<String>> {
    if t.state != TicketState::Finished {
        return Ok(None);
    }
    let token = format!("t-{}", t.code);
    let hash = hash_token(&token);
    // Made already (for this record, or another of the same slip after a transfer).
    match s.store.invitation(&hash).await {
        Ok(_) => return Ok(Some(format!("/s/{token}"))),
        Err(StoreError::NotFound(_)) => {}
        Err(e) => return Err(e.into()),
    }
    match s
        .store
        .invite_for_ticket(t.id, &hash, crate::now_ms())
        .await
    {
        Ok(Some(_)) => Ok(Some(format!("/s/{token}"))),
        // No survey attached, or one was sent over the API (the customer has that link).
        Ok(None) | Err(StoreError::Conflict(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The survey path of a closed case, if an after-case survey is active.
pub async fn for_case(s: &AppState, case_id: i64, closed: bool) -> ApiResult<Option<String>> {
    if !closed {
        return Ok(None);
    }
    if let Some(token) = s.store.kept_case_survey_link(case_id).await? {
        return Ok(Some(format!("/s/{token}")));
    }
    let token = new_token();
    match s
        .store
        .invite_for_case_kept(case_id, &token, &hash_token(&token), crate::now_ms())
        .await
    {
        Ok(Some(token)) => Ok(Some(format!("/s/{token}"))),
        Ok(None) | Err(StoreError::Conflict(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
