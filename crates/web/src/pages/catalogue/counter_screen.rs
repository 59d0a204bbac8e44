//! The counter screen (`/device/counter-screen`, 挂牌服务): a device bound to one counter
//! shows the counter number, its business types, the number being served, the clerk's name,
//! badge and photo, and 服务中 / 暂停服务 with the reason, kept live by the hall's event stream.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::DeviceKind;
use servicehall_domain::access::Permission;

pub fn routes() -> Router<AppState> {
    Router::new().route("/device/counter-screen", get(screen))
}

#[derive(Template)]
#[template(path = "catalogue/counter_screen.html")]
struct Screen {
    chrome: Chrome,
    number: i64,
    types: String,
    hall_name: String,
    data: String,
}

#[derive(serde::Deserialize, Default)]
struct CounterQuery {
    /// For staff previewing a counter's screen: the counter id.
    counter: Option<i64>,
}

async fn screen(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<CounterQuery>,
) -> Result<impl IntoResponse, PageError> {
    // A counter-screen device shows its own counter; a signed-in person may preview one.
    let counter_id = match (&caller.device, q.counter) {
        (Some(d), _) if d.kind == DeviceKind::CounterScreen => d.counter_id.ok_or_else(|| {
            ApiError::forbidden(
                "此窗口屏未绑定窗口，请联系管理员 · this counter screen is not bound to a counter; ask the administrator",
            )
        })?,
        (None, Some(id)) if caller.is_person() => id,
        _ => {
            return Err(ApiError::forbidden(
                "此页面属于窗口屏设备，请用窗口屏令牌配对 · this screen belongs to a counter screen device; pair it with a counter-screen token",
            )
            .into());
        }
    };
    let counter = s.store.counter(counter_id).await?;
    caller.require(Permission::ViewEvents, counter.hall_id)?;
    let hall = s.store.hall(counter.hall_id).await?;
    let types = s.store.business_types(hall.id).await?;
    let names: Vec<String> = counter
        .primary
        .iter()
        .chain(&counter.secondary)
        .filter_map(|id| types.iter().find(|b| b.id == *id))
        .map(|b| b.name_zh.clone())
        .collect();
    // The number at the counter now (called, being served or held); the stream keeps it.
    let current = s.store.current_at_counter(counter.id).await?;
    let data = serde_json::json!({
        "hall": hall.code, "timezone": hall.timezone, "counter": counter,
        "current": current.map(|t| serde_json::json!({"number": t.number, "state": t.state})),
    });
    render(&Screen {
        chrome: Chrome::bare(
            &format!("{} 号窗口 Counter {}", counter.number, counter.number),
            &caller.csrf,
            "counter-screen",
        ),
        number: counter.number,
        types: names.join(" · "),
        hall_name: hall.name,
        data: json_for_script(&data),
    })
}
