//! 现场检查 · inspections: the hall manager (or supervisor) picks a checklist and a subject,
//! taps pass / fail / N/A per item, submits and sees the score with its rule; below, today's
//! and the last fortnight's checks. The taps go through the JSON API (`api::inspections`).

use crate::AppState;
use crate::api::inspections::site_checks::{SiteChecksToday, site_checks_today};
use crate::api::inspections::view::InspectionView;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::inspections::SubjectKind;
use servicehall_domain::inspections::score::{RULE_EN, RULE_ZH, format_tenths};
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::Hall;

mod figures;
mod schedule;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(page))
        .merge(schedule::routes())
        .merge(figures::routes())
}

#[derive(Deserialize)]
struct PageQuery {
    hall: Option<String>,
    /// An inspection to continue or look at.
    open: Option<i64>,
}

struct TemplateOption {
    id: i64,
    name: String,
    per_person: bool,
}

struct Row {
    id: i64,
    when: String,
    template: String,
    subject: String,
    inspector: String,
    score: String,
    /// "pass" | "fail" | "open"
    state: &'static str,
}

#[derive(Template)]
#[template(path = "inspections/page.html")]
struct InspectionsPage {
    chrome: Chrome,
    hall: Hall,
    templates: Vec<TemplateOption>,
    staff: Vec<(i64, String)>,
    today: Vec<Row>,
    earlier: Vec<Row>,
    rule_zh: &'static str,
    rule_en: &'static str,
    data: String,
    /// 今日现场检查: the schedule's checks of today with their states.
    site: SiteChecksToday,
    /// The checklist id per slot, for the “检查 Check” buttons.
    slot_templates: Vec<(String, i64)>,
    may_set_schedule: bool,
}

impl InspectionsPage {
    fn slot_template(&self, code: &str) -> i64 {
        self.slot_templates
            .iter()
            .find(|(c, _)| c == code)
            .map_or(0, |(_, id)| *id)
    }
}

const FORTNIGHT_MS: i64 = 14 * 86_400_000;

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<impl IntoResponse, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::Observe, hall.id)?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let now = s.now();
    let templates = s.store.inspection_templates(hall.id).await?;
    // Clerks first (the pre-shift check is mostly theirs), then the guide and managers.
    let mut people: Vec<_> = s
        .store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .filter(|p| p.active && matches!(p.role, Role::Clerk | Role::Guide | Role::HallManager))
        .collect();
    people.sort_by_key(|p| {
        (
            p.role != Role::Clerk,
            p.role != Role::Guide,
            p.badge_no.clone(),
        )
    });
    let staff = people
        .into_iter()
        .map(|p| (p.id, format!("{} · {}", p.name, p.badge_no)))
        .collect();
    let open = match q.open {
        Some(id) => {
            let i = s.store.inspection(id).await?;
            caller.require(Permission::Observe, i.hall_id)?;
            let t = s.store.inspection_template(i.template_id).await?;
            Some(InspectionView::new(&i, &t.template))
        }
        None => None,
    };
    let today_local = local(now, tz).date_naive();
    let (mut today, mut earlier) = (Vec::new(), Vec::new());
    for i in s
        .store
        .inspections(hall.id, now - FORTNIGHT_MS, 200)
        .await?
    {
        let at = local(i.started_at, tz);
        let row = Row {
            id: i.id,
            when: at.format("%m-%d %H:%M").to_string(),
            template: format!("{} v{}", i.template_name_zh, i.template_version),
            subject: i.subject_name.clone().unwrap_or_else(|| "全厅 hall".into()),
            inspector: i.inspector_name.clone(),
            score: format_tenths(i.score_tenths.and_then(|v| u32::try_from(v).ok())),
            state: match i.passed {
                Some(true) => "pass",
                Some(false) => "fail",
                None => "open",
            },
        };
        if at.date_naive() == today_local {
            today.push(row);
        } else {
            earlier.push(row);
        }
    }
    let site = site_checks_today(s.store.as_ref(), &hall, now).await?;
    let slot_templates = templates
        .iter()
        .map(|t| (t.template.code.clone(), t.id))
        .collect();
    render(&InspectionsPage {
        site,
        slot_templates,
        may_set_schedule: caller.actor.may(Permission::Administer, hall.id),
        chrome: Chrome::staff("现场检查 Inspections", "/inspections", Some(&caller)),
        templates: templates
            .iter()
            .map(|t| TemplateOption {
                id: t.id,
                name: format!("{} · {}", t.template.name_zh, t.template.name_en),
                per_person: t.template.subject == SubjectKind::Staff,
            })
            .collect(),
        staff,
        today,
        earlier,
        rule_zh: RULE_ZH,
        rule_en: RULE_EN,
        data: json_for_script(&serde_json::json!({ "hall": hall.code, "open": open })),
        hall,
    })
}
