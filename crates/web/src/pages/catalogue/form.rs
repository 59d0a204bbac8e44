//! The administrator's field form for one business type's next catalogue version: every
//! part of the entry as a field (documents per class and fees as rows to add and remove,
//! amounts in yuan), the public page's preview beside it redrawn as the form changes, and
//! each message next to its field. Saving takes the same validated store path as the YAML
//! editor and import: one transaction, nothing half-written.

use super::admin::{admin_hall, chrome};
use crate::AppState;
use crate::api::catalogue::view::{GuideView, class_en, hall_today};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, HallQuery, SignedForm, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use servicehall_domain::cases::CustomerClass;
use servicehall_domain::catalogue::{
    CatalogueEntry, Channel, FieldError, entry_from_fields, field_of, typed_fee_amounts, yuan_field,
};
use servicehall_store::{Hall, StoreError};
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/catalogue/form", get(page))
        .route("/admin/catalogue/form/preview", post(preview))
        .route("/admin/catalogue/form/save", post(save))
}

type Signed = Result<Caller, ApiError>;
type Fields = Vec<(String, String)>;

struct DocRow {
    name: String,
    note: String,
    name_err: String,
}

struct ClassBlock {
    key: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    offered: bool,
    rows: Vec<DocRow>,
}

struct ClassTick {
    key: &'static str,
    label_zh: &'static str,
    on: bool,
}

struct FeeRow {
    /// The row's number in the field names.
    i: usize,
    item: String,
    yuan: String,
    basis: String,
    sample: bool,
    classes: Vec<ClassTick>,
    item_err: String,
    yuan_err: String,
    basis_err: String,
    classes_err: String,
}

struct ChannelTick {
    value: &'static str,
    label_zh: &'static str,
    label_en: &'static str,
    on: bool,
}

#[derive(Template)]
#[template(path = "catalogue/admin_form.html")]
struct FormPage {
    chrome: Chrome,
    hall: Hall,
    type_name: String,
    entry: CatalogueEntry,
    channels: Vec<ChannelTick>,
    classes: Vec<ClassBlock>,
    fees: Vec<FeeRow>,
    /// Field name → message.
    errors: HashMap<String, String>,
    /// Messages that belong to no single field.
    general: Vec<String>,
    preview: Option<GuideView>,
    min_date: String,
}

impl FormPage {
    /// The message for a field, or "".
    fn e(&self, field: &str) -> &str {
        self.errors.get(field).map(String::as_str).unwrap_or("")
    }
}

#[derive(Template)]
#[template(source = "{% include \"catalogue/guide.html\" %}", ext = "html")]
struct PreviewFragment {
    g: GuideView,
}

fn ticks(classes: &[CustomerClass]) -> Vec<ClassTick> {
    CustomerClass::ALL
        .into_iter()
        .map(|c| ClassTick {
            key: c.as_str(),
            label_zh: c.label_zh(),
            on: classes.contains(&c),
        })
        .collect()
}

async fn form_page(
    s: &AppState,
    caller: &Caller,
    hall: Hall,
    entry: CatalogueEntry,
    errors: Vec<FieldError>,
    typed_yuan: &[String],
    preview: Option<GuideView>,
) -> Result<FormPage, PageError> {
    let type_name = s
        .store
        .business_types(hall.id)
        .await?
        .into_iter()
        .find(|b| b.code == entry.business_type)
        .map(|b| b.name_zh)
        .unwrap_or_default();
    let mut map: HashMap<String, String> = HashMap::new();
    let mut general = Vec::new();
    for e in errors {
        if e.field.is_empty() {
            general.push(e.why);
        } else {
            map.entry(e.field).or_insert(e.why);
        }
    }
    let err = |f: String| map.get(&f).cloned().unwrap_or_default();
    let classes = CustomerClass::ALL
        .into_iter()
        .map(|c| {
            let list = entry.documents.for_class(c);
            ClassBlock {
                key: c.as_str(),
                label_zh: c.label_zh(),
                label_en: class_en(c),
                offered: list.is_some(),
                rows: list
                    .into_iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, d)| DocRow {
                        name: d.name.clone(),
                        note: d.note.clone(),
                        name_err: err(format!("documents.{c}[{i}].name")),
                    })
                    .collect(),
            }
        })
        .collect();
    let fees = entry
        .fees
        .iter()
        .enumerate()
        .map(|(i, f)| FeeRow {
            i,
            item: f.item.clone(),
            yuan: match (
                map.contains_key(&format!("fees[{i}].yuan")),
                typed_yuan.get(i),
            ) {
                (true, Some(typed)) => typed.clone(),
                _ => yuan_field(f.fen),
            },
            basis: f.basis.clone(),
            sample: f.sample,
            classes: ticks(&f.classes),
            item_err: err(format!("fees[{i}].item")),
            yuan_err: err(format!("fees[{i}].yuan")),
            basis_err: err(format!("fees[{i}].basis")),
            classes_err: err(format!("fees[{i}].classes")),
        })
        .collect();
    let channels = [Channel::Hall, Channel::App, Channel::Hotline]
        .into_iter()
        .map(|c| ChannelTick {
            value: match c {
                Channel::Hall => "hall",
                Channel::App => "app",
                Channel::Hotline => "95598",
            },
            label_zh: c.label_zh(),
            label_en: c.label_en(),
            on: entry.channels.contains(&c),
        })
        .collect();
    Ok(FormPage {
        chrome: chrome(caller),
        min_date: hall_today(&hall, s.now()).format("%Y-%m-%d").to_string(),
        hall,
        type_name,
        entry,
        channels,
        classes,
        fees,
        errors: map,
        general,
        preview,
    })
}

#[derive(serde::Deserialize, Default)]
struct FormQuery {
    hall: Option<String>,
    #[serde(rename = "type")]
    business_type: Option<String>,
    from_version: Option<i64>,
}

/// The form for the next version of a type, filled from its latest version (or the one
/// named) and dated tomorrow.
async fn page(
    State(s): State<AppState>,
    caller: Signed,
    Query(q): Query<FormQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    let hall = admin_hall(&s, &caller, &HallQuery { hall: q.hall }).await?;
    let today = hall_today(&hall, s.now());
    let versions = s.store.catalogue_versions(hall.id, s.now()).await?;
    let mut entry = match (q.from_version, &q.business_type) {
        (Some(id), _) => versions
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.entry.clone())
            .ok_or_else(|| {
                ApiError::not_found(format!("没有这个目录版本 · no catalogue version {id}"))
            })?,
        (None, Some(code)) => {
            if !s
                .store
                .business_types(hall.id)
                .await?
                .iter()
                .any(|b| &b.code == code)
            {
                return Err(ApiError::not_found(format!(
                    "本厅没有此业务类型 · no business type {code:?} in this hall"
                ))
                .into());
            }
            versions
                .iter()
                .rev()
                .find(|v| &v.entry.business_type == code)
                .map(|v| v.entry.clone())
                .unwrap_or_else(|| super::admin::blank(code, today))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "请选择业务类型 · choose a business type (?type=CODE)",
            )
            .into());
        }
    };
    entry.effective_from = (today + chrono::Days::new(1))
        .format("%Y-%m-%d")
        .to_string();
    let preview = super::guide_for_entry(s.store.as_ref(), &hall, &entry)
        .await
        .ok();
    render(&form_page(&s, &caller, hall, entry, vec![], &[], preview).await?)
}

/// Reads the form and runs the entry's checks: the entry and every message, by field.
async fn check(
    s: &AppState,
    hall: &Hall,
    f: &Fields,
) -> Result<(CatalogueEntry, Vec<FieldError>), PageError> {
    let (entry, mut errors) = entry_from_fields(f);
    let codes: Vec<String> = s
        .store
        .business_types(hall.id)
        .await?
        .into_iter()
        .map(|b| b.code)
        .collect();
    let known: Vec<&str> = codes.iter().map(String::as_str).collect();
    if let Err(e) = entry.validate("entry", &known) {
        let field = field_of(&e.at);
        if !errors.iter().any(|x| x.field == field) {
            errors.push(FieldError { field, why: e.why });
        }
    }
    Ok((entry, errors))
}

#[derive(serde::Serialize)]
struct PreviewReply {
    /// The public page's guide for the draft, as HTML.
    html: String,
    /// Field name → message; "" names the form as a whole.
    errors: HashMap<String, String>,
}

/// The live preview: the guide as customers would see it, and the messages so far.
async fn preview(
    State(s): State<AppState>,
    Query(q): Query<HallQuery>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Json<PreviewReply>, PageError> {
    let hall = admin_hall(&s, &caller, &q).await?;
    let (entry, errors) = check(&s, &hall, &f).await?;
    let html = match super::guide_for_entry(s.store.as_ref(), &hall, &entry).await {
        Ok(g) => render(&PreviewFragment { g })?.0,
        Err(e) => format!("<p class=\"muted\">{}</p>", askama_escape(&e.detail)),
    };
    Ok(Json(PreviewReply {
        html,
        errors: errors.into_iter().map(|e| (e.field, e.why)).collect(),
    }))
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A store refusal (`服务目录有误 entry.effective_from: … locked …`) as a message on its field.
fn refusal(m: String) -> FieldError {
    let at_field = m.find("entry.").map(|i| &m[i..]);
    match at_field.and_then(|rest| rest.split_once(": ")) {
        Some((at, why)) => FieldError {
            field: field_of(at.split(" (line").next().unwrap_or(at)),
            why: why.to_string(),
        },
        _ => FieldError {
            field: String::new(),
            why: m,
        },
    }
}

async fn save(
    State(s): State<AppState>,
    Query(q): Query<HallQuery>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let hall = admin_hall(&s, &caller, &q).await?;
    let (entry, mut errors) = check(&s, &hall, &f).await?;
    if errors.is_empty() {
        match s
            .store
            .save_catalogue_version(hall.id, &entry, s.now())
            .await
        {
            Ok(_) => {
                return Ok(
                    Redirect::to(&format!("/admin/catalogue?hall={}&ok=saved", hall.code))
                        .into_response(),
                );
            }
            Err(StoreError::Invalid(m) | StoreError::Conflict(m)) => errors.push(refusal(m)),
            Err(e) => return Err(e.into()),
        }
    }
    let preview = super::guide_for_entry(s.store.as_ref(), &hall, &entry)
        .await
        .ok();
    let typed = typed_fee_amounts(&f);
    let page = form_page(&s, &caller, hall, entry, errors, &typed, preview).await?;
    let html = render(&page)?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}
