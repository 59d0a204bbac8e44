//! Static assets embedded in the binary (no CDN, no outside network).

use crate::AppState;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const CSS: &str = include_str!("../static/app.css");
/// The tab icon: a bolt on State Grid green. Served at `/favicon.ico` too, which browsers
/// ask for on pages without a link to it (the printed report).
const FAVICON: &str = include_str!("../static/favicon.svg");
const JS: &str = include_str!("../static/app.js");
const DISPLAY_JS: &str = include_str!("../static/display.js");
const CONSOLE_JS: &str = include_str!("../static/console.js");
const KIOSK_JS: &str = include_str!("../static/kiosk.js");
const EVALUATOR_JS: &str = include_str!("../static/evaluator.js");
const MANAGER_JS: &str = include_str!("../static/manager.js");
const FOLLOW_JS: &str = include_str!("../static/follow.js");
const CASES_JS: &str = include_str!("../static/cases.js");
const CASE_ADMIN_JS: &str = include_str!("../static/case_admin.js");
const RATE_JS: &str = include_str!("../static/rate.js");
const FEEDBACK_IMPORT_JS: &str = include_str!("../static/feedback_import.js");
const PUBLIC_JS: &str = include_str!("../static/public.js");
const NOTICE_JS: &str = include_str!("../static/notice.js");
const COUNTER_SCREEN_JS: &str = include_str!("../static/counter_screen.js");
const STAFF_PHOTO_JS: &str = include_str!("../static/staff_photo.js");
const INSIGHT_JS: &str = include_str!("../static/insight.js");
/// ECharts 6.1.0 (Apache-2.0, from the npm registry; see static/vendor/echarts.LICENSE.txt).
const ECHARTS_JS: &[u8] = include_bytes!("../static/vendor/echarts.min.js");
const STANDARDS_JS: &str = include_str!("../static/standards.js");
const INSPECTIONS_JS: &str = include_str!("../static/inspections.js");
const LAYOUT_MAP_JS: &str = include_str!("../static/layout_map.js");
const INSPECTION_SCHEDULE_JS: &str = include_str!("../static/inspection_schedule.js");
const INSPECTION_FIGURES_JS: &str = include_str!("../static/inspection_figures.js");
const EVIDENCE_PHOTO_JS: &str = include_str!("../static/evidence_photo.js");
const RECTIFICATION_JS: &str = include_str!("../static/rectification.js");
const INCIDENTS_JS: &str = include_str!("../static/incidents.js");
const INCIDENTS_ANNOUNCE_JS: &str = include_str!("../static/incidents_announce.js");
const STAFFING_JS: &str = include_str!("../static/staffing.js");
const RISKS_JS: &str = include_str!("../static/risks.js");
const SCORECARDS_JS: &str = include_str!("../static/scorecards.js");
const CUSTOMERS_JS: &str = include_str!("../static/customers.js");
const RISKS_MATRIX_JS: &str = include_str!("../static/risks_matrix.js");
const CATALOGUE_FORM_JS: &str = include_str!("../static/catalogue_form.js");
const APPOINTMENTS_JS: &str = include_str!("../static/appointments.js");

/// Each feature's own styles (`static/css/<feature>.css`, a sub-part's screens
/// `<feature>_<part>.css`), linked by its templates after `app.css`.
const STYLES: &[(&str, &str)] = &[
    (
        "/static/css/appointments.css",
        include_str!("../static/css/appointments.css"),
    ),
    (
        "/static/css/queue.css",
        include_str!("../static/css/queue.css"),
    ),
    (
        "/static/css/edge.css",
        include_str!("../static/css/edge.css"),
    ),
    (
        "/static/css/assessment.css",
        include_str!("../static/css/assessment.css"),
    ),
    (
        "/static/css/reports.css",
        include_str!("../static/css/reports.css"),
    ),
    (
        "/static/css/cases.css",
        include_str!("../static/css/cases.css"),
    ),
    (
        "/static/css/cases_on_time.css",
        include_str!("../static/css/cases_on_time.css"),
    ),
    (
        "/static/css/cases_settings.css",
        include_str!("../static/css/cases_settings.css"),
    ),
    (
        "/static/css/catalogue.css",
        include_str!("../static/css/catalogue.css"),
    ),
    (
        "/static/css/counters.css",
        include_str!("../static/css/counters.css"),
    ),
    (
        "/static/css/dashboard.css",
        include_str!("../static/css/dashboard.css"),
    ),
    (
        "/static/css/feedback.css",
        include_str!("../static/css/feedback.css"),
    ),
    (
        "/static/css/feedback_settings.css",
        include_str!("../static/css/feedback_settings.css"),
    ),
    (
        "/static/css/insight.css",
        include_str!("../static/css/insight.css"),
    ),
    (
        "/static/css/insight_observations.css",
        include_str!("../static/css/insight_observations.css"),
    ),
    (
        "/static/css/insight_survey.css",
        include_str!("../static/css/insight_survey.css"),
    ),
    (
        "/static/css/listing.css",
        include_str!("../static/css/listing.css"),
    ),
    (
        "/static/css/inspections.css",
        include_str!("../static/css/inspections.css"),
    ),
    (
        "/static/css/layout_map.css",
        include_str!("../static/css/layout_map.css"),
    ),
    (
        "/static/css/rectification.css",
        include_str!("../static/css/rectification.css"),
    ),
    (
        "/static/css/incidents.css",
        include_str!("../static/css/incidents.css"),
    ),
    (
        "/static/css/staffing.css",
        include_str!("../static/css/staffing.css"),
    ),
    (
        "/static/css/risks.css",
        include_str!("../static/css/risks.css"),
    ),
    (
        "/static/css/scorecards.css",
        include_str!("../static/css/scorecards.css"),
    ),
    (
        "/static/css/customers.css",
        include_str!("../static/css/customers.css"),
    ),
    (
        "/static/css/standards.css",
        include_str!("../static/css/standards.css"),
    ),
];

fn asset(body: &'static str, mime: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
}

pub fn routes() -> Router<AppState> {
    let js = "text/javascript; charset=utf-8";
    let styles = STYLES.iter().fold(Router::new(), |r, &(path, body)| {
        r.route(
            path,
            get(move || async move { asset(body, "text/css; charset=utf-8") }),
        )
    });
    styles
        .route(
            "/static/favicon.svg",
            get(|| async { asset(FAVICON, "image/svg+xml") }),
        )
        .route(
            "/favicon.ico",
            get(|| async { asset(FAVICON, "image/svg+xml") }),
        )
        .route(
            "/static/app.css",
            get(|| async { asset(CSS, "text/css; charset=utf-8") }),
        )
        .route("/static/app.js", get(move || async move { asset(JS, js) }))
        .route(
            "/static/display.js",
            get(move || async move { asset(DISPLAY_JS, js) }),
        )
        .route(
            "/static/console.js",
            get(move || async move { asset(CONSOLE_JS, js) }),
        )
        .route(
            "/static/kiosk.js",
            get(move || async move { asset(KIOSK_JS, js) }),
        )
        .route(
            "/static/evaluator.js",
            get(move || async move { asset(EVALUATOR_JS, js) }),
        )
        .route(
            "/static/manager.js",
            get(move || async move { asset(MANAGER_JS, js) }),
        )
        .route(
            "/static/appointments.js",
            get(move || async move { asset(APPOINTMENTS_JS, js) }),
        )
        .route(
            "/static/follow.js",
            get(move || async move { asset(FOLLOW_JS, js) }),
        )
        .route(
            "/static/cases.js",
            get(move || async move { asset(CASES_JS, js) }),
        )
        .route(
            "/static/case_admin.js",
            get(move || async move { asset(CASE_ADMIN_JS, js) }),
        )
        .route(
            "/static/rate.js",
            get(move || async move { asset(RATE_JS, js) }),
        )
        .route(
            "/static/feedback_import.js",
            get(move || async move { asset(FEEDBACK_IMPORT_JS, js) }),
        )
        .route(
            "/static/public.js",
            get(move || async move { asset(PUBLIC_JS, js) }),
        )
        .route(
            "/static/notice.js",
            get(move || async move { asset(NOTICE_JS, js) }),
        )
        .route(
            "/static/counter_screen.js",
            get(move || async move { asset(COUNTER_SCREEN_JS, js) }),
        )
        .route(
            "/static/insight.js",
            get(move || async move { asset(INSIGHT_JS, js) }),
        )
        .route(
            // Versioned path, so a year-long cache is safe: a new ECharts gets a new path.
            "/static/vendor/echarts-6.1.0.min.js",
            get(move || async move {
                (
                    [
                        (header::CONTENT_TYPE, js),
                        (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
                    ],
                    ECHARTS_JS,
                )
            }),
        )
        .route(
            "/static/staff_photo.js",
            get(move || async move { asset(STAFF_PHOTO_JS, js) }),
        )
        .route(
            "/static/inspections.js",
            get(move || async move { asset(INSPECTIONS_JS, js) }),
        )
        .route(
            "/static/layout_map.js",
            get(move || async move { asset(LAYOUT_MAP_JS, js) }),
        )
        .route(
            "/static/inspection_schedule.js",
            get(move || async move { asset(INSPECTION_SCHEDULE_JS, js) }),
        )
        .route(
            "/static/inspection_figures.js",
            get(move || async move { asset(INSPECTION_FIGURES_JS, js) }),
        )
        .route(
            "/static/evidence_photo.js",
            get(move || async move { asset(EVIDENCE_PHOTO_JS, js) }),
        )
        .route(
            "/static/rectification.js",
            get(move || async move { asset(RECTIFICATION_JS, js) }),
        )
        .route(
            "/static/incidents.js",
            get(move || async move { asset(INCIDENTS_JS, js) }),
        )
        .route(
            "/static/incidents_announce.js",
            get(move || async move { asset(INCIDENTS_ANNOUNCE_JS, js) }),
        )
        .route(
            "/static/staffing.js",
            get(move || async move { asset(STAFFING_JS, js) }),
        )
        .route(
            "/static/risks.js",
            get(move || async move { asset(RISKS_JS, js) }),
        )
        .route(
            "/static/scorecards.js",
            get(move || async move { asset(SCORECARDS_JS, js) }),
        )
        .route(
            "/static/customers.js",
            get(move || async move { asset(CUSTOMERS_JS, js) }),
        )
        .route(
            "/static/risks_matrix.js",
            get(move || async move { asset(RISKS_MATRIX_JS, js) }),
        )
        .route(
            "/static/standards.js",
            get(move || async move { asset(STANDARDS_JS, js) }),
        )
        .route(
            "/static/catalogue_form.js",
            get(move || async move { asset(CATALOGUE_FORM_JS, js) }),
        )
}
