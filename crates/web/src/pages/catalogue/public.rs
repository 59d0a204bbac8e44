//! Public pages, no sign-in, phones first: the hall page (业务公开, 挂牌服务) and a given
//! one-time notice (`/n/{code}`, the QR code's target, printable on A5 or 80 mm paper).
//! Neither ever shows a customer's personal data.

use crate::AppState;
use crate::api::catalogue::view::{ClassView, GuideView, guide_view, hall_today};
use crate::api::catalogue::{PublicStatus, public_status_of};
use crate::api::resolve_hall;
use crate::auth::MaybeCaller;
use crate::error::{ApiError, PageError};
use crate::pages::queue::slip::{base_url, qr_svg};
use crate::pages::{Chrome, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use servicehall_domain::time::local;
use servicehall_store::{Hall, HallPublicInfo};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/hall/{code}", get(hall_page))
        .route("/n/{code}", get(notice_page))
}

#[derive(Template)]
#[template(path = "catalogue/public_hall.html")]
struct HallPage {
    chrome: Chrome,
    hall: Hall,
    info: HallPublicInfo,
    status: PublicStatus,
    guides: Vec<GuideView>,
    on_duty: usize,
    data: String,
}

async fn hall_page(
    State(s): State<AppState>,
    Path(code): Path<String>,
) -> Result<impl IntoResponse, PageError> {
    let hall = resolve_hall(s.store.as_ref(), &code).await?;
    let info = s.store.hall_public_info(hall.id).await?;
    let guides = s
        .store
        .effective_catalogue(hall.id, hall_today(&hall, s.now()))
        .await?
        .iter()
        .map(guide_view)
        .collect();
    let status = public_status_of(&s, &hall).await?;
    let data = serde_json::json!({ "hall": hall.code, "timezone": hall.timezone });
    let on_duty = status
        .counters
        .iter()
        .filter(|c| c.clerk_name.is_some())
        .count();
    render(&HallPage {
        on_duty,
        chrome: Chrome::bare(&format!("{} 业务公开", hall.name), "", "public"),
        hall,
        info,
        status,
        guides,
        data: json_for_script(&data),
    })
}

#[derive(serde::Deserialize, Default)]
struct PaperQuery {
    paper: Option<String>,
    print: Option<String>,
}

#[derive(Template)]
#[template(path = "catalogue/notice.html")]
struct NoticePage {
    chrome: Chrome,
    hall: Hall,
    g: GuideView,
    class: ClassView,
    badge: String,
    given_at: String,
    qr: String,
    paper: &'static str,
    page_size: &'static str,
    page_margin: &'static str,
    print: bool,
    staff: bool,
}

async fn notice_page(
    State(s): State<AppState>,
    caller: MaybeCaller,
    Path(code): Path<String>,
    Query(q): Query<PaperQuery>,
) -> Result<impl IntoResponse, PageError> {
    let notice = s.store.notice(&code).await.map_err(|_| {
        ApiError::not_found("没有这份告知单，请核对纸面上的编号或到厅咨询 · no such notice; check the code on the paper or ask at the hall")
    })?;
    let hall = s.store.hall(notice.hall_id).await?;
    // The version that was given, even if a newer one is in effect now.
    let entry = s
        .store
        .catalogue_versions(hall.id, s.now())
        .await?
        .into_iter()
        .map(|v| v.entry)
        .find(|e| {
            e.business_type == notice.business_type && e.effective_from == notice.effective_from
        })
        .ok_or_else(|| {
            ApiError::not_found(
                "此告知单对应的目录版本已不存在 · the catalogue version of this notice is gone",
            )
        })?;
    let g = super::guide_for_entry(s.store.as_ref(), &hall, &entry).await?;
    let class = g
        .classes
        .iter()
        .find(|c| c.class == notice.class.as_str())
        .cloned()
        .ok_or_else(|| {
            ApiError::not_found(
                "此告知单的客户类别已不再列出 · this notice's customer class is no longer listed",
            )
        })?;
    let badge = match notice.staff_id {
        Some(id) => s
            .store
            .staff(id)
            .await
            .map(|st| st.badge_no)
            .unwrap_or_default(),
        None => String::new(),
    };
    let tz =
        servicehall_domain::time::parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let given_at = local(notice.given_at, tz)
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let url = format!("{}/n/{}", base_url(&s), notice.code);
    let (paper, page_size, page_margin) = match q.paper.as_deref() {
        Some("80mm") => ("80mm", "80mm 297mm", "3mm"),
        _ => ("a5", "A5", "10mm"),
    };
    render(&NoticePage {
        chrome: Chrome::bare("一次性告知单 One-time notice", "", "public notice-page"),
        hall,
        class,
        g,
        badge,
        given_at,
        qr: qr_svg(&url),
        paper,
        page_size,
        page_margin,
        print: q.print.is_some(),
        staff: caller.0.is_some_and(|c| c.is_person()),
    })
}
