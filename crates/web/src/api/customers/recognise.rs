//! Recognising a customer at the guide desk or the counter: by account number or phone,
//! sent in the body. The answer is masked and carries what the desk acts on: open cases,
//! the last visit's outcome (缺少资料 → what was missing) and the care needed (the green
//! channel suggested).

use super::view::{CaseLineView, CustomerView, RecogniseBody, RecognitionView, VisitView};
use super::{HISTORY, require_front_desk, today};
use crate::AppState;
use crate::api::{JsonBody, resolve_hall};
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use axum::Json;
use axum::extract::{Path, State};
use servicehall_domain::access::Permission;
use servicehall_domain::customers::{normalize_account, normalize_phone};

/// Recognises a customer of the hall's register by account number or phone.
#[utoipa::path(post, path = "/api/v1/halls/{hall}/customers/recognise", tag = "customers",
    params(("hall" = String, Path, description = "hall code or id")),
    request_body = RecogniseBody,
    responses((status = 200, body = RecognitionView), (status = 422, body = crate::error::Problem)))]
pub async fn recognise(
    State(s): State<AppState>,
    caller: Caller,
    Path(hall): Path<String>,
    JsonBody(b): JsonBody<RecogniseBody>,
) -> ApiResult<Json<RecognitionView>> {
    let hall = resolve_hall(s.store.as_ref(), &hall).await?;
    require_front_desk(&caller, hall.id)?;
    let account = b
        .account
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let phone = b.phone.as_deref().map(str::trim).filter(|v| !v.is_empty());
    let found = match (account, phone) {
        (Some(a), _) => {
            normalize_account(a).map_err(ApiError::unprocessable)?;
            s.store.find_by_account(hall.id, a).await?
        }
        (None, Some(p)) => {
            normalize_phone(p).map_err(ApiError::unprocessable)?;
            s.store.find_by_phone(hall.id, p).await?
        }
        (None, None) => {
            return Err(ApiError::unprocessable(
                "请填写户号或手机号 · give the account number or the phone number",
            ));
        }
    };
    let Some(c) = found else {
        return Ok(Json(RecognitionView {
            found: false,
            message: "未在本厅客户登记中找到 · not in the hall's customer register".into(),
            customer: None,
            open_cases: vec![],
            last_visit: None,
        }));
    };
    let history = s.store.customer_history(c.id, HISTORY).await?;
    let may_read = caller.actor.may(Permission::ReadCases, hall.id);
    let view = CustomerView::new(&c, today(&s, &hall), s.now());
    let open_cases: Vec<CaseLineView> = history
        .cases
        .iter()
        .filter(|k| k.open)
        .map(|k| CaseLineView::new(k, may_read))
        .collect();
    let mut message = Vec::new();
    if view.green_channel {
        message.push("建议走绿色通道 · suggest the green channel".to_string());
    }
    if !open_cases.is_empty() {
        message.push(format!(
            "有 {} 件在办工单 · {} open case(s)",
            open_cases.len(),
            open_cases.len()
        ));
    }
    if message.is_empty() {
        message.push("已识别客户 · customer recognised".into());
    }
    Ok(Json(RecognitionView {
        found: true,
        message: message.join("；"),
        customer: Some(view),
        open_cases,
        last_visit: history.visits.first().map(VisitView::from),
    }))
}
