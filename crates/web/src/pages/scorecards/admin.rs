//! The supervisor's side of the scorecards: `/admin/scorecard-schemes` (a region's weights,
//! targets and bands per level; the sum is shown as it is typed and a sum other than 100 is
//! refused) and `/appeals` (hall managers file, supervisors decide).

use super::{RegionOption, above_halls, region_options};
use crate::AppState;
use crate::api::scorecards::view::{
    AppealFileView, AppealView, SchemeVersionView, SchemesView, level_zh,
};
use crate::api::scorecards::{schemes_view, supervised_region, this_month};
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, render};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use servicehall_domain::access::Permission;
use servicehall_domain::scorecards::Level;
use servicehall_domain::scorecards::scheme_levels;

#[derive(serde::Deserialize, Default)]
pub(super) struct SchemeQuery {
    region: Option<i64>,
    level: Option<String>,
}

struct LevelOption {
    value: &'static str,
    label: String,
    selected: bool,
}

/// One editable row: the bands as `门槛:得分%` pairs.
struct EditRow {
    indicator: String,
    name_zh: String,
    name_en: String,
    unit: String,
    direction: String,
    weight: u32,
    target: String,
    bands: String,
    measurable: bool,
}

#[derive(Template)]
#[template(path = "scorecards/schemes.html")]
struct SchemesPage {
    chrome: Chrome,
    regions: Vec<RegionOption>,
    levels: Vec<LevelOption>,
    view: Option<SchemesView>,
    /// What the editor starts from: next month's version if set, else this month's.
    edit: Option<SchemeVersionView>,
    rows: Vec<EditRow>,
}

fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub(super) async fn schemes(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<SchemeQuery>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    above_halls(&caller)?;
    let regions = region_options(&s, &caller, q.region).await?;
    let level = match q.level.as_deref().filter(|l| !l.trim().is_empty()) {
        Some(l) => Level::parse(l).map_err(|e| PageError(ApiError::bad_request(e)))?,
        None => Level::Hall,
    };
    let levels = scheme_levels()
        .into_iter()
        .map(|l| LevelOption {
            value: l.as_str(),
            label: level_zh(l),
            selected: l == level,
        })
        .collect();
    let region = regions.iter().find(|r| r.selected).map(|r| r.id);
    let view = match region {
        Some(id) => {
            let halls = supervised_region(&s, &caller, id).await?;
            Some(schemes_view(&s, id, level, halls.first()).await?)
        }
        None => None,
    };
    let edit = view
        .as_ref()
        .map(|v| v.next.clone().unwrap_or_else(|| v.current.clone()));
    let rows = edit
        .as_ref()
        .map(|e| {
            e.lines
                .iter()
                .map(|l| EditRow {
                    indicator: l.indicator.clone(),
                    name_zh: l.name_zh.clone(),
                    name_en: l.name_en.clone(),
                    unit: l.unit.clone(),
                    direction: if l.direction == "lower" {
                        "≤".into()
                    } else {
                        "≥".into()
                    },
                    weight: l.weight,
                    target: num(l.target),
                    bands: l
                        .bands
                        .iter()
                        .map(|b| format!("{}:{}", num(b.at), b.pct))
                        .collect::<Vec<_>>()
                        .join(", "),
                    measurable: level.measures(&l.indicator),
                })
                .collect()
        })
        .unwrap_or_default();
    render(&SchemesPage {
        chrome: Chrome::staff(
            "考核方案 Scorecard schemes",
            "/admin/scorecard-schemes",
            Some(&caller),
        ),
        regions,
        levels,
        view,
        edit,
        rows,
    })
}

struct AppealRowView {
    a: AppealView,
    hall: String,
    code: String,
    /// The evidence files, each with its download link.
    files: Vec<AppealFileView>,
}

#[derive(Template)]
#[template(path = "scorecards/appeals.html")]
struct AppealsPage {
    chrome: Chrome,
    /// A hall manager files for this hall (code); empty for supervisors.
    hall_code: String,
    /// Supervisors and administrators decide.
    decides: bool,
    /// The largest evidence file, in MiB, as the form says it.
    max_mib: usize,
    last_month: String,
    pending: Vec<AppealRowView>,
    decided: Vec<AppealRowView>,
}

pub(super) async fn appeals(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
) -> Result<impl IntoResponse, PageError> {
    let caller = caller?;
    caller.require_person()?;
    caller.require_any(Permission::ViewStats)?;
    let halls = crate::scope::visible_halls(&s, &caller.actor).await?;
    let decides = caller.actor.hall_id.is_none();
    let own = caller
        .actor
        .hall_id
        .and_then(|h| halls.iter().find(|x| x.id == h));
    let files = own.is_some_and(|h| caller.actor.may(Permission::Administer, h.id));
    let ids: Vec<i64> = halls.iter().map(|h| h.id).collect();
    let rows = s.store.appeals(&ids).await?;
    let appeal_ids: Vec<i64> = rows.iter().map(|a| a.id).collect();
    let evidence = s.store.appeal_files(&appeal_ids).await?;
    let (mut pending, mut decided) = (Vec::new(), Vec::new());
    for r in &rows {
        let h = halls.iter().find(|h| h.id == r.hall_id);
        let code = h.map(|h| h.code.clone()).unwrap_or_default();
        let v = AppealRowView {
            a: AppealView::from(r),
            hall: h
                .map(|h| format!("{} {}", h.code, h.name))
                .unwrap_or_default(),
            files: evidence
                .iter()
                .filter(|f| f.appeal_id == r.id)
                .map(|f| AppealFileView::new(&code, f))
                .collect(),
            code,
        };
        if r.state == "pending" {
            pending.push(v);
        } else {
            decided.push(v);
        }
    }
    let last_month = this_month(&s, halls.first())?.back(1).to_string();
    render(&AppealsPage {
        chrome: Chrome::staff("考核申诉 Appeals", "/appeals", Some(&caller)),
        hall_code: if files {
            own.map(|h| h.code.clone()).unwrap_or_default()
        } else {
            String::new()
        },
        decides,
        max_mib: servicehall_domain::scorecards::evidence::MAX_EVIDENCE_BYTES / (1024 * 1024),
        last_month,
        pending,
        decided,
    })
}
