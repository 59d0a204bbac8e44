//! What a customer holds: the ticket slip (80 mm, with a QR code) and the phone page that
//! follows the ticket. The slip's code — the key to the follow page, the phone rating and
//! the survey — is printed on the slip only (the counter's receipt points to its QR code).

use crate::AppState;
use crate::api::ticket_view;
use crate::error::PageError;
use crate::pages::{Chrome, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::time::{local, parse_tz};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/slip/{code}", get(slip))
        .route("/t/{code}", get(follow))
}

/// An SVG QR code of `text`.
pub(crate) fn qr_svg(text: &str) -> String {
    qrcode::QrCode::new(text.as_bytes())
        .map(|c| {
            c.render::<qrcode::render::svg::Color>()
                .min_dimensions(160, 160)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default()
}

/// Where customers' phones reach this server: the configured public URL, else the address
/// the server listens on (see `AppState::listening_on`) — never the request's Host header,
/// which whoever sends the request chooses.
pub(crate) fn base_url(s: &AppState) -> String {
    s.config
        .public_url
        .as_deref()
        .unwrap_or("http://127.0.0.1:8080")
        .trim_end_matches('/')
        .to_string()
}

#[derive(Template)]
#[template(path = "queue/slip.html")]
struct Slip {
    chrome: Chrome,
    hall: String,
    hall_en: String,
    number: String,
    business_type: String,
    business_type_en: String,
    ahead: String,
    estimate: String,
    issued: String,
    qr: String,
    url: String,
    green: bool,
    print: bool,
}

#[derive(serde::Deserialize, Default)]
struct PrintQuery {
    print: Option<u8>,
}

async fn slip(
    State(s): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<PrintQuery>,
) -> Result<impl IntoResponse, PageError> {
    let t = s.store.ticket_by_code(&code).await?;
    let hall = s.store.hall(t.hall_id).await?;
    let v = ticket_view(&s, &t, s.now()).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let url = format!("{}/t/{}", base_url(&s), t.code);
    let page = Slip {
        chrome: Chrome::bare("取号单 Ticket slip", "", "slip-page"),
        hall: hall.name,
        hall_en: hall.name_en,
        number: v.number,
        business_type: v.business_type,
        business_type_en: v.business_type_en,
        ahead: v
            .waiting_ahead
            .map(|a| a.to_string())
            .unwrap_or_else(|| "—".into()),
        estimate: match v.estimated_wait_s {
            Some(sec) => format!(
                "约 {} 分钟 · about {} min",
                (sec + 59) / 60,
                (sec + 59) / 60
            ),
            None => "暂无窗口服务 · no counter open".into(),
        },
        issued: local(t.issued_at, tz).format("%Y-%m-%d %H:%M").to_string(),
        qr: qr_svg(&url),
        url,
        green: t.priority == servicehall_domain::Priority::Green,
        print: q.print == Some(1),
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "queue/follow.html")]
struct Follow {
    chrome: Chrome,
    data: String,
}

/// The customer's phone page: position, estimate, and "请到3号窗口" when called. No login.
async fn follow(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    let status = crate::api::public_status_of(&s, &code).await?;
    let tz = s.store.ticket_by_code(&code).await?.hall_id;
    let timezone = s.store.hall(tz).await?.timezone;
    let data = serde_json::json!({ "code": code, "status": status, "timezone": timezone });
    render(&Follow {
        chrome: Chrome::bare("我的排队 My ticket", "", "follow"),
        data: json_for_script(&data),
    })
}
