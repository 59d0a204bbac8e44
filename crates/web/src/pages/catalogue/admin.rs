//! The administrator's catalogue screen: versions per business type (history readable,
//! versions in effect locked), one entry edited as YAML with a preview of the public page,
//! and the whole catalogue exported or imported as one YAML file.

use crate::AppState;
use crate::api::catalogue::view::{GuideView, hall_today};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, HallQuery, SignedForm, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use servicehall_domain::access::Permission;
use servicehall_domain::catalogue::{CatalogueEntry, Channel, ClassDocuments, Document};
use servicehall_store::{Hall, StoreError};

pub fn routes() -> Router<AppState> {
    let big = DefaultBodyLimit::max(1024 * 1024);
    Router::new()
        .route("/admin/catalogue", get(overview))
        .route("/admin/catalogue/import", post(import).layer(big))
        .route("/admin/catalogue/edit", get(edit))
        .route("/admin/catalogue/version/{id}", get(version))
        .route("/admin/catalogue/preview", post(preview).layer(big))
        .route("/admin/catalogue/save", post(save).layer(big))
}

type Signed = Result<Caller, ApiError>;

#[derive(serde::Deserialize)]
struct YamlForm {
    yaml: String,
}

struct VersionCell {
    id: i64,
    from: String,
    state: &'static str,
    state_zh: &'static str,
}

struct Row {
    code: String,
    name_zh: String,
    name_en: String,
    versions: Vec<VersionCell>,
}

#[derive(Template)]
#[template(path = "catalogue/admin.html")]
struct Overview {
    chrome: Chrome,
    hall: Hall,
    rows: Vec<Row>,
    message: String,
    error: String,
    yaml: String,
}

#[derive(Template)]
#[template(path = "catalogue/admin_edit.html")]
struct Edit {
    chrome: Chrome,
    hall: Hall,
    heading: String,
    yaml: String,
    error: String,
    locked: bool,
    version_id: i64,
    preview: Option<GuideView>,
}

pub(super) async fn admin_hall(
    s: &AppState,
    caller: &Caller,
    q: &HallQuery,
) -> Result<Hall, PageError> {
    let hall = hall_for(s.store.as_ref(), caller, q.hall.as_deref()).await?;
    caller.require(Permission::Administer, hall.id)?;
    Ok(hall)
}

pub(super) fn chrome(caller: &Caller) -> Chrome {
    Chrome::staff("业务目录 Catalogue", "/admin", Some(caller))
}

async fn overview_page(
    s: &AppState,
    caller: &Caller,
    hall: Hall,
    message: String,
    error: String,
    yaml: String,
) -> Result<Overview, PageError> {
    let versions = s.store.catalogue_versions(hall.id, s.now()).await?;
    let rows = s
        .store
        .business_types(hall.id)
        .await?
        .into_iter()
        .map(|bt| Row {
            versions: versions
                .iter()
                .filter(|v| v.entry.business_type == bt.code)
                .map(|v| {
                    let (state, state_zh) = match (v.current, v.locked) {
                        (true, _) => ("green", "当前 Current"),
                        (false, true) => ("closed", "历史 History"),
                        (false, false) => ("paused", "待生效 Upcoming"),
                    };
                    VersionCell {
                        id: v.id,
                        from: v.entry.effective_from.clone(),
                        state,
                        state_zh,
                    }
                })
                .collect(),
            code: bt.code,
            name_zh: bt.name_zh,
            name_en: bt.name_en,
        })
        .collect();
    Ok(Overview {
        chrome: chrome(caller),
        hall,
        rows,
        message,
        error,
        yaml,
    })
}

#[derive(serde::Deserialize, Default)]
struct OverviewQuery {
    hall: Option<String>,
    ok: Option<String>,
}

async fn overview(
    State(s): State<AppState>,
    caller: Signed,
    Query(q): Query<OverviewQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    let hall = admin_hall(&s, &caller, &HallQuery { hall: q.hall }).await?;
    let message = match q.ok.as_deref() {
        Some("imported") => "已导入 Imported".to_string(),
        Some("saved") => "版本已保存 Version saved".to_string(),
        _ => String::new(),
    };
    render(&overview_page(&s, &caller, hall, message, String::new(), String::new()).await?)
}

fn rejected(page: impl Template) -> Result<Response, PageError> {
    let html = render(&page)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

async fn import(
    State(s): State<AppState>,
    Query(q): Query<HallQuery>,
    SignedForm(caller, f): SignedForm<YamlForm>,
) -> Result<Response, PageError> {
    let hall = admin_hall(&s, &caller, &q).await?;
    crate::parsing::probe(&f.yaml, |t| {
        servicehall_domain::catalogue::from_yaml(t, &[])
    })
    .await
    .map_err(crate::error::ApiError::from)?;
    match s.store.import_catalogue(hall.id, &f.yaml, s.now()).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/admin/catalogue?hall={}&ok=imported", hall.code))
                .into_response(),
        ),
        Err(StoreError::Invalid(m)) => rejected(
            overview_page(
                &s,
                &caller,
                hall,
                String::new(),
                format!("未导入，未做任何修改 Not imported, nothing changed — {m}"),
                f.yaml,
            )
            .await?,
        ),
        Err(e) => Err(e.into()),
    }
}

/// A starting point for a new business type's first version.
pub(super) fn blank(code: &str, today: chrono::NaiveDate) -> CatalogueEntry {
    CatalogueEntry {
        business_type: code.into(),
        effective_from: (today + chrono::Days::new(1))
            .format("%Y-%m-%d")
            .to_string(),
        description: "（业务说明）".into(),
        description_en: String::new(),
        who_may_apply: "（申请人条件）".into(),
        documents: ClassDocuments {
            resident: Some(vec![Document {
                name: "有效身份证明".into(),
                note: String::new(),
            }]),
            ..Default::default()
        },
        fees: vec![],
        channels: vec![Channel::Hall, Channel::App, Channel::Hotline],
        online: String::new(),
        notes: String::new(),
    }
}

fn entry_yaml(e: &CatalogueEntry) -> String {
    servicehall_domain::catalogue::entry_to_yaml(e)
}

#[derive(serde::Deserialize, Default)]
struct EditQuery {
    hall: Option<String>,
    #[serde(rename = "type")]
    business_type: Option<String>,
    from_version: Option<i64>,
}

async fn edit(
    State(s): State<AppState>,
    caller: Signed,
    Query(q): Query<EditQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    let hall = admin_hall(&s, &caller, &HallQuery { hall: q.hall }).await?;
    let today = hall_today(&hall, s.now());
    let versions = s.store.catalogue_versions(hall.id, s.now()).await?;
    let tomorrow = (today + chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    let mut entry = match (q.from_version, &q.business_type) {
        (Some(id), _) => versions
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.entry.clone())
            .ok_or_else(|| {
                ApiError::not_found(format!("没有这个目录版本 · no catalogue version {id}"))
            })?,
        (None, Some(code)) => versions
            .iter()
            .rev()
            .find(|v| &v.entry.business_type == code)
            .map(|v| v.entry.clone())
            .unwrap_or_else(|| blank(code, today)),
        (None, None) => {
            return Err(ApiError::bad_request(
                "请选择业务类型 · choose a business type (?type=CODE)",
            )
            .into());
        }
    };
    entry.effective_from = tomorrow;
    let preview = super::guide_for_entry(s.store.as_ref(), &hall, &entry)
        .await
        .ok();
    render(&Edit {
        chrome: chrome(&caller),
        heading: format!(
            "新版本 New version · {}",
            type_name(&s, &hall, &entry.business_type).await?
        ),
        hall,
        yaml: entry_yaml(&entry),
        error: String::new(),
        locked: false,
        version_id: 0,
        preview,
    })
}

/// A business type as a person reads it (电费缴纳 Bill payment), not its code.
async fn type_name(s: &AppState, hall: &Hall, code: &str) -> Result<String, PageError> {
    Ok(s.store
        .business_types(hall.id)
        .await?
        .into_iter()
        .find(|b| b.code == code)
        .map_or_else(
            || code.to_string(),
            |b| format!("{} {}", b.name_zh, b.name_en),
        ))
}

async fn version(
    State(s): State<AppState>,
    caller: Signed,
    Path(id): Path<i64>,
    Query(q): Query<HallQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    let hall = admin_hall(&s, &caller, &q).await?;
    let v = s
        .store
        .catalogue_versions(hall.id, s.now())
        .await?
        .into_iter()
        .find(|v| v.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "没有这个目录版本 · no catalogue version {id} in this hall"
            ))
        })?;
    let preview = super::guide_for_entry(s.store.as_ref(), &hall, &v.entry)
        .await
        .ok();
    render(&Edit {
        chrome: chrome(&caller),
        heading: format!(
            "{} · 自 {} 起 Effective {}",
            type_name(&s, &hall, &v.entry.business_type).await?,
            v.entry.effective_from,
            v.entry.effective_from
        ),
        hall,
        yaml: entry_yaml(&v.entry),
        error: String::new(),
        locked: v.locked,
        version_id: v.id,
        preview,
    })
}

/// Parses the form's entry, or says where it is wrong.
fn parse_entry(yaml: &str) -> Result<CatalogueEntry, String> {
    servicehall_domain::catalogue::entry_from_yaml(yaml).map_err(|e| e.to_string())
}

async fn preview(
    State(s): State<AppState>,
    Query(q): Query<HallQuery>,
    SignedForm(caller, f): SignedForm<YamlForm>,
) -> Result<Response, PageError> {
    let hall = admin_hall(&s, &caller, &q).await?;
    let (preview, error) = match parse_entry(&f.yaml) {
        Ok(e) => match super::guide_for_entry(s.store.as_ref(), &hall, &e).await {
            Ok(g) => (Some(g), String::new()),
            Err(err) => (None, err.detail),
        },
        Err(m) => (None, m),
    };
    let page = Edit {
        chrome: chrome(&caller),
        heading: "预览 Preview".into(),
        hall,
        yaml: f.yaml,
        error,
        locked: false,
        version_id: 0,
        preview,
    };
    if page.error.is_empty() {
        Ok(render(&page)?.into_response())
    } else {
        rejected(page)
    }
}

async fn save(
    State(s): State<AppState>,
    Query(q): Query<HallQuery>,
    SignedForm(caller, f): SignedForm<YamlForm>,
) -> Result<Response, PageError> {
    let hall = admin_hall(&s, &caller, &q).await?;
    let result = match parse_entry(&f.yaml) {
        Ok(e) => match s.store.save_catalogue_version(hall.id, &e, s.now()).await {
            Ok(_) => Ok(()),
            Err(StoreError::Invalid(m) | StoreError::Conflict(m)) => Err(m),
            Err(e) => return Err(e.into()),
        },
        Err(m) => Err(m),
    };
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/admin/catalogue?hall={}&ok=saved", hall.code)).into_response(),
        ),
        Err(m) => rejected(Edit {
            chrome: chrome(&caller),
            heading: "未保存 Not saved".into(),
            hall,
            yaml: f.yaml,
            error: format!("未保存，未做任何修改 Not saved, nothing changed — {m}"),
            locked: false,
            version_id: 0,
            preview: None,
        }),
    }
}
