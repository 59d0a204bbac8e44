//! Survey links the customer reaches without anyone sending them: on the printed receipt and
//! the follow page once a visit is finished. The invitation is made on first use. A visit's
//! token is derived from the slip's code — whoever holds the slip may answer once, as with
//! the phone rating — so nothing secret is stored. A closed case's customer is invited by
//! staff (`POST /api/v1/cases/{id}/survey`); the public case page offers no survey link, as
//! whoever found a case there could answer for its customer.

use crate::AppState;
use crate::auth::hash_token;
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
    match s.store.invite_for_ticket(t.id, &hash, s.now()).await {
        Ok(Some(_)) => Ok(Some(format!("/s/{token}"))),
        // No survey attached, or one was sent over the API (the customer has that link).
        Ok(None) | Err(StoreError::Conflict(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}
