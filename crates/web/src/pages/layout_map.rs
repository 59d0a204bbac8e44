//! 定置图 · layout map screens. `/layout-map`: the hall manager or supervisor sees the plan
//! coloured by the last walk, the scores by zone and the findings by item, starts a walk and
//! walks it on a tablet or phone (`?walk=`). `/admin/layout-map`: the hall's administrator
//! draws the plan. The map is drawn and the taps are sent by `static/layout_map.js` through
//! the JSON API (`api::layout_map`).

use crate::AppState;
use crate::api::layout_map::findings_view;
use crate::api::layout_map::view::{FindingsView, LayoutView, WalkView};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::score::format_tenths;
use servicehall_domain::layout_map::walk::Finding;
use servicehall_domain::layout_map::{ZoneKind, sample};
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{Hall, LayoutMap};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/layout-map", get(page))
        .route("/admin/layout-map", get(editor))
}

#[derive(Deserialize)]
struct PageQuery {
    hall: Option<String>,
    /// A walk to continue or look at.
    walk: Option<i64>,
}

struct WalkRow {
    id: i64,
    when: String,
    inspector: String,
    version: i64,
    checked: usize,
    total: usize,
    problems: usize,
    score: String,
    /// "pass" | "fail" | "open"
    state: &'static str,
}

#[derive(Template)]
#[template(path = "layout_map/page.html")]
struct MapPage {
    chrome: Chrome,
    hall: Hall,
    has_layout: bool,
    walking: bool,
    may_edit: bool,
    walks: Vec<WalkRow>,
    findings: Option<FindingsView>,
    data: String,
}

const DAYS: i64 = 30;

fn finding_labels() -> serde_json::Value {
    Finding::ALL
        .iter()
        .map(|f| {
            let (zh, en) = f.label().split_once(" · ").unwrap_or((f.label(), ""));
            (f.as_str().to_string(), serde_json::json!([zh, en]))
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let latest = s.store.layout_map(hall.id).await?;
    let walks = s
        .store
        .layout_walks(hall.id, s.now() - DAYS * 86_400_000, 60)
        .await?;
    let walk = match q.walk {
        Some(id) => {
            let w = s.store.layout_walk(id).await?;
            caller.require(Permission::Observe, w.inspection.hall_id)?;
            let t = s
                .store
                .inspection_template(w.inspection.template_id)
                .await?;
            Some(WalkView::new(&w, &t.template, &hall.code))
        }
        None => None,
    };
    // Without an open walk the map shows the last submitted walk's findings.
    let last = match &walk {
        Some(_) => None,
        None => match walks.iter().find(|w| w.inspection.submitted_at.is_some()) {
            Some(w) => {
                let t = s
                    .store
                    .inspection_template(w.inspection.template_id)
                    .await?;
                Some(WalkView::new(w, &t.template, &hall.code))
            }
            None => None,
        },
    };
    let rows = walks
        .iter()
        .map(|w| WalkRow {
            id: w.inspection.id,
            when: local(w.inspection.started_at, tz)
                .format("%m-%d %H:%M")
                .to_string(),
            inspector: w.inspection.inspector_name.clone(),
            version: w.layout.version,
            checked: w.findings.len(),
            total: w.layout.layout.items.len(),
            problems: w
                .findings
                .iter()
                .filter(|f| f.finding != Finding::InPlace)
                .count(),
            score: format_tenths(
                w.inspection
                    .score_tenths
                    .and_then(|v| u32::try_from(v).ok()),
            ),
            state: match w.inspection.passed {
                Some(true) => "pass",
                Some(false) => "fail",
                None => "open",
            },
        })
        .collect();
    let findings = match &latest {
        Some(_) => Some(findings_view(&s, &hall, DAYS).await?),
        None => None,
    };
    let layout = latest.as_ref().map(|m| LayoutView::new(m, &hall.code));
    render(&MapPage {
        chrome: Chrome::staff("定置图 Layout map", "/layout-map", Some(&caller)),
        has_layout: layout.is_some(),
        walking: walk.is_some(),
        may_edit: caller.actor.allows(Permission::Administer),
        walks: rows,
        findings,
        data: json_for_script(&serde_json::json!({
            "mode": "walk",
            "hall": hall.code,
            "timezone": hall.timezone,
            "layout": layout,
            "walk": walk,
            "last": last,
            "findings": finding_labels(),
        })),
        hall,
    })
}

#[derive(Deserialize)]
struct EditorQuery {
    hall: Option<String>,
}

#[derive(Template)]
#[template(path = "layout_map/edit.html")]
struct EditorPage {
    chrome: Chrome,
    hall: Hall,
    version: i64,
    kinds: Vec<(&'static str, &'static str)>,
    data: String,
}

async fn editor(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<EditorQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Administer, hall.id)?;
    let latest = s.store.layout_map(hall.id).await?;
    let start = LayoutMap {
        id: 0,
        hall_id: hall.id,
        version: 0,
        layout: sample(),
        created_at: 0,
        photos: Vec::new(),
    };
    render(&EditorPage {
        chrome: Chrome::staff(
            "定置图编辑 Layout editor",
            "/admin/layout-map",
            Some(&caller),
        ),
        version: latest.as_ref().map_or(0, |m| m.version),
        kinds: ZoneKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.label()))
            .collect(),
        data: json_for_script(&serde_json::json!({
            "mode": "edit",
            "hall": hall.code,
            "layout": latest.as_ref().map(|m| LayoutView::new(m, &hall.code)),
            "sample": LayoutView::new(&start, &hall.code),
            "kinds": ZoneKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect::<Vec<_>>(),
        })),
        hall,
    })
}
