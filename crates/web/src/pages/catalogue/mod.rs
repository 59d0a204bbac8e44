//! Catalogue screens: the public hall page and one-time notice (no sign-in), the notice
//! form for the counter and guide desk, the administrator's catalogue editor, the manager's
//! repeat trips, and the counter screen (挂牌服务).

mod admin;
mod counter_screen;
mod form;
mod manager;
mod notice;
mod public;

use crate::AppState;
use crate::api::catalogue::view::{GuideView, guide_view};
use crate::error::ApiResult;
use axum::Router;
use servicehall_domain::cases::CaseKind;
use servicehall_domain::catalogue::CatalogueEntry;
use servicehall_store::{CatalogueItem, ClassGuide, Hall, Store};

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(public::routes())
        .merge(notice::routes())
        .merge(admin::routes())
        .merge(form::routes())
        .merge(manager::routes())
        .merge(counter_screen::routes())
}

/// How an entry (saved or a draft) reads, with the hall's case steps for each class: what
/// the preview and the version history show.
pub async fn guide_for_entry(
    store: &dyn Store,
    hall: &Hall,
    entry: &CatalogueEntry,
) -> ApiResult<GuideView> {
    let bt = store
        .business_types(hall.id)
        .await?
        .into_iter()
        .find(|b| b.code == entry.business_type)
        .ok_or_else(|| {
            crate::error::ApiError::not_found(format!(
                "本厅没有此业务类型 · no business type {:?} in this hall",
                entry.business_type
            ))
        })?;
    let mut classes = Vec::new();
    for class in entry.documents.classes() {
        classes.push(ClassGuide {
            class,
            label_zh: class.label_zh().into(),
            documents: entry
                .documents
                .for_class(class)
                .cloned()
                .unwrap_or_default(),
            process: store
                .case_process(hall.id, CaseKind::Application, Some(bt.id), class)
                .await?,
        });
    }
    Ok(guide_view(&CatalogueItem {
        business_type_id: bt.id,
        code: bt.code,
        name_zh: bt.name_zh,
        name_en: bt.name_en,
        entry: entry.clone(),
        classes,
    }))
}
