//! 区域 administration: the region tree (省 → 市 → 县/区), which region each hall hangs on,
//! and which region a supervisor or administrator above halls is limited to. Only
//! administrators not limited to a region change it.

use crate::AppState;
use crate::api::regions::{RegionLine, region_lines, require_region_admin};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::Chrome;
use crate::pages::SignedForm;
use crate::pages::{Fields, respond};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use servicehall_domain::Role;
use servicehall_store::{RegionInput, StoreError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/regions", get(page).post(create))
        .route("/admin/regions/{id}", post(update))
        .route("/admin/regions/{id}/remove", post(remove))
        .route("/admin/regions/hall/{id}", post(set_hall))
        .route("/admin/regions/staff/{id}", post(set_staff))
}

struct Choice {
    id: i64,
    label: String,
}

struct Assigned {
    id: i64,
    code: String,
    name: String,
    region_id: Option<i64>,
    region_path: String,
}

/// The region form: blank for a new region, filled for an edit or a rejected submission.
#[derive(Default)]
struct RegionForm {
    id: Option<i64>,
    code: String,
    name_zh: String,
    name_en: String,
    parent_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "regions/admin.html")]
struct RegionsPage {
    chrome: Chrome,
    ok: String,
    error: String,
    regions: Vec<RegionLine>,
    /// Every region as a choice for parents and assignments.
    choices: Vec<Choice>,
    form: RegionForm,
    halls: Vec<Assigned>,
    staff: Vec<Assigned>,
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    ok: Option<String>,
    edit: Option<i64>,
}

async fn build(
    s: &AppState,
    caller: &Caller,
    ok: String,
    error: String,
    form: RegionForm,
) -> Result<RegionsPage, PageError> {
    let mut regions = region_lines(s).await?;
    let all_halls = s.store.halls().await?;
    // The API lists a region's halls by code; a person reads their names.
    for r in &mut regions {
        for h in &mut r.halls {
            if let Some(found) = all_halls.iter().find(|x| x.code == *h) {
                *h = found.name.clone();
            }
        }
    }
    let path = |id: Option<i64>| {
        id.and_then(|id| regions.iter().find(|r| r.id == id))
            .map_or("—（未归属 none）".to_string(), |r| r.path_zh.clone())
    };
    let halls = all_halls
        .into_iter()
        .map(|h| Assigned {
            id: h.id,
            region_path: path(h.region_id),
            code: h.code,
            name: h.name,
            region_id: h.region_id,
        })
        .collect();
    let staff = s
        .store
        .staff_list(None)
        .await?
        .into_iter()
        .filter(|p| p.hall_id.is_none() && matches!(p.role, Role::Admin | Role::Supervisor))
        .map(|p| Assigned {
            id: p.id,
            region_path: p
                .region_id
                .map_or("全部 Everywhere".to_string(), |r| path(Some(r))),
            code: p.badge_no,
            name: format!("{} · {}", p.name, p.role.label_zh()),
            region_id: p.region_id,
        })
        .collect();
    let choices = regions
        .iter()
        .map(|r| Choice {
            id: r.id,
            label: format!("{}{} ({})", "　".repeat(r.depth), r.name_zh, r.code),
        })
        .collect();
    Ok(RegionsPage {
        chrome: Chrome::staff("区域 Regions", "/admin/regions", Some(caller)),
        ok,
        error,
        regions,
        choices,
        form,
        halls,
        staff,
    })
}

async fn page(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let caller = caller?;
    require_region_admin(&caller)?;
    let ok = match q.ok.as_deref() {
        Some("saved") => "已保存 Saved",
        Some("removed") => "已删除 Removed",
        Some("assigned") => "已调整归属 Assignment saved",
        _ => "",
    };
    let mut form = RegionForm::default();
    if let Some(id) = q.edit {
        let tree = s.store.region_tree().await?;
        let r = tree.get(id).ok_or_else(|| {
            PageError(ApiError::not_found(format!(
                "没有这个区域 · no region {id}"
            )))
        })?;
        form = RegionForm {
            id: Some(r.id),
            code: r.code.clone(),
            name_zh: r.name_zh.clone(),
            name_en: r.name_en.clone(),
            parent_id: r.parent_id,
        };
    }
    let page = build(&s, &caller, ok.into(), String::new(), form).await?;
    respond(&page, StatusCode::OK)
}

fn parse_id(f: &Fields, name: &str) -> Result<Option<i64>, String> {
    let v = f.get(name);
    if v.is_empty() {
        return Ok(None);
    }
    v.parse()
        .map(Some)
        .map_err(|_| format!("请从列表中选择区域 · {name}: pick a region from the list"))
}

/// Saves a region from the form, or shows the form again with the reason.
async fn save(
    s: &AppState,
    caller: &Caller,
    id: Option<i64>,
    f: Fields,
) -> Result<Response, PageError> {
    require_region_admin(caller)?;
    let form = RegionForm {
        id,
        code: f.get("code"),
        name_zh: f.get("name_zh"),
        name_en: f.get("name_en"),
        parent_id: None,
    };
    let parent = parse_id(&f, "parent_id");
    let result = match parent {
        Err(m) => Err(StoreError::Invalid(m)),
        Ok(parent_id) => {
            let input = RegionInput {
                code: form.code.clone(),
                name_zh: form.name_zh.clone(),
                name_en: form.name_en.clone(),
                parent_id,
            };
            s.store.save_region(id, &input).await
        }
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/regions?ok=saved").into_response()),
        Err(StoreError::Invalid(m) | StoreError::Conflict(m)) => {
            let form = RegionForm {
                parent_id: parse_id(&f, "parent_id").ok().flatten(),
                ..form
            };
            let page = build(s, caller, String::new(), m, form).await?;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

async fn create(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    save(&s, &caller, None, f).await
}

async fn update(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    save(&s, &caller, Some(id), f).await
}

/// Runs a change that needs no form of its own; a refusal comes back on the page.
async fn apply(
    s: &AppState,
    caller: &Caller,
    ok: &str,
    result: servicehall_store::Result<()>,
) -> Result<Response, PageError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/regions?ok={ok}")).into_response()),
        Err(StoreError::Invalid(m) | StoreError::Conflict(m)) => {
            let page = build(s, caller, String::new(), m, RegionForm::default()).await?;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

async fn remove(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, _): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_region_admin(&caller)?;
    let r = s.store.remove_region(id).await;
    apply(&s, &caller, "removed", r).await
}

async fn set_hall(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_region_admin(&caller)?;
    let r = match parse_id(&f, "region_id") {
        Ok(region) => s.store.set_hall_region(id, region).await.map(drop),
        Err(m) => Err(StoreError::Invalid(m)),
    };
    apply(&s, &caller, "assigned", r).await
}

async fn set_staff(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    require_region_admin(&caller)?;
    let r = if caller.actor.staff_id == Some(id) {
        Err(StoreError::Invalid(
            "不能限制自己的账号，请找另一位管理员 · you cannot limit your own account; ask another administrator".into(),
        ))
    } else {
        match parse_id(&f, "region_id") {
            Ok(region) => s.store.set_staff_region(id, region).await.map(drop),
            Err(m) => Err(StoreError::Invalid(m)),
        }
    };
    apply(&s, &caller, "assigned", r).await
}
