//! 评价设置: the hall's feedback settings (一事一评 window, service-recovery clocks, the
//! anti-gaming thresholds) and the province-wide figure definitions (good levels, minimum
//! responses, CSI weights), with the audit of who changed what. Administrators edit (the
//! figure definitions only from above the halls); hall managers and supervisors read.
//!
//! Plain forms: sign-in and the CSRF token first (`SignedForm`), then the role, then every field checked at once; a
//! rejected form comes back with the input and each field's reason (422), nothing saved.

use crate::AppState;
use crate::api::feedback::require_settings_admin;
use crate::auth::Caller;
use crate::error::{ApiError, PageError};
use crate::pages::Chrome;
use crate::pages::SignedForm;
use crate::pages::hall_for;
use crate::pages::{Fields, respond};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use servicehall_domain::Role;
use servicehall_domain::access::{ActorKind, Permission};
use servicehall_domain::feedback::FeedbackSettings;
use servicehall_domain::feedback::settings::RANGES;
use servicehall_domain::insight::{CsiWeights, Dimension, IndexConfig};
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::{Hall, SettingChange, Staff};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/feedback-settings", get(page).post(save_hall))
        .route("/admin/feedback-settings/figures", post(save_figures))
}

/// What each hall setting means, in the order of the form: (name, 中文, English, unit).
const LABELS: [(&str, &str, &str, &str); 10] = [
    (
        "phone_window_hours",
        "一事一评有效期",
        "Phone rating window",
        "小时 h",
    ),
    (
        "callback_working_days",
        "回访时限",
        "Call-back clock",
        "工作日 working days",
    ),
    (
        "rectify_working_days",
        "整改时限",
        "Rectification clock",
        "工作日 working days",
    ),
    (
        "fast_rating_s",
        "评价过快：办结后",
        "Fast rating: within",
        "秒 s",
    ),
    (
        "fast_share_pct",
        "评价过快：占比达",
        "Fast rating: share at least",
        "%",
    ),
    (
        "min_ratings",
        "评价过快：至少评价数",
        "Fast rating: at least … ratings",
        "次 ratings",
    ),
    (
        "top_run",
        "连续满分达",
        "Unbroken top-level run of",
        "次 ratings",
    ),
    (
        "long_visit_s",
        "长业务：办理达",
        "Long visit: served at least",
        "秒 s",
    ),
    (
        "skip_share_pct",
        "长业务未评价：占比达",
        "Pad skipped: share at least",
        "%",
    ),
    (
        "min_long_visits",
        "长业务未评价：至少业务数",
        "Pad skipped: at least … visits",
        "笔 visits",
    ),
];

fn label(setting: &str) -> String {
    if let Some((_, zh, en, _)) = LABELS.iter().find(|l| l.0 == setting) {
        return format!("{zh} {en}");
    }
    match setting {
        "good_from" => "满意口径 Counted as satisfied".into(),
        "min_n" => "最少样本 Minimum responses".into(),
        w => match w.strip_prefix("weights.").and_then(Dimension::parse) {
            Some(d) => format!("CSI 权重·{} CSI weight · {}", d.zh(), d.id()),
            None => w.to_string(),
        },
    }
}

/// One field of the hall form as shown: value typed (or stored) and its reason if wrong.
struct Field {
    name: &'static str,
    zh: &'static str,
    en: &'static str,
    unit: &'static str,
    min: u32,
    max: u32,
    value: String,
    error: String,
}

struct WeightField {
    id: &'static str,
    zh: &'static str,
    value: String,
}

struct ChangeRow {
    at: String,
    by: String,
    setting: String,
    old_value: String,
    new_value: String,
}

#[derive(Template)]
#[template(path = "feedback/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    ok: String,
    hall: Hall,
    halls: Vec<(String, String)>,
    can_edit_hall: bool,
    can_edit_figures: bool,
    fields: Vec<Field>,
    hall_errors: Vec<String>,
    good_from: String,
    min_n: String,
    weights: Vec<WeightField>,
    weight_sum: i64,
    figure_errors: Vec<String>,
    hall_changes: Vec<ChangeRow>,
    figure_changes: Vec<ChangeRow>,
}

#[derive(serde::Deserialize, Default)]
struct PageQuery {
    hall: Option<String>,
    ok: Option<String>,
}

/// Who may read: the hall's own managers and anyone who sees its figures.
fn require_read(caller: &Caller, hall_id: i64) -> Result<(), ApiError> {
    caller.require(Permission::ViewStats, hall_id)
}

fn is_admin(caller: &Caller) -> bool {
    matches!(caller.actor.kind, ActorKind::Person(Role::Admin))
}

fn fields_of(s: &FeedbackSettings) -> Vec<Field> {
    LABELS
        .iter()
        .map(|&(name, zh, en, unit)| {
            let (_, min, max) =
                RANGES
                    .iter()
                    .copied()
                    .find(|r| r.0 == name)
                    .unwrap_or((name, 0, u32::MAX));
            Field {
                name,
                zh,
                en,
                unit,
                min,
                max,
                value: s.get(name).map(|v| v.to_string()).unwrap_or_default(),
                error: String::new(),
            }
        })
        .collect()
}

fn weights_of(w: &CsiWeights) -> Vec<WeightField> {
    let p = w.percents();
    Dimension::ALL
        .iter()
        .zip(p)
        .map(|(d, v)| WeightField {
            id: d.id(),
            zh: d.zh(),
            value: v.to_string(),
        })
        .collect()
}

fn rows(changes: Vec<SettingChange>, staff: &[Staff], tz: chrono_tz::Tz) -> Vec<ChangeRow> {
    changes
        .into_iter()
        .map(|c| ChangeRow {
            at: local(c.at, tz).format("%Y-%m-%d %H:%M").to_string(),
            by: c
                .by_staff
                .map(|id| {
                    staff
                        .iter()
                        .find(|st| st.id == id)
                        .map(|st| format!("{} ({})", st.name, st.username))
                        .unwrap_or_else(|| format!("#{id}"))
                })
                .unwrap_or_else(|| "系统 system".into()),
            setting: label(&c.setting),
            old_value: c.old_value,
            new_value: c.new_value,
        })
        .collect()
}

async fn build(
    s: &AppState,
    caller: &Caller,
    hall: Hall,
    ok: String,
) -> Result<SettingsPage, PageError> {
    let settings = s.store.feedback_settings(hall.id).await?;
    let cfg = s.store.insight_config().await?;
    let mut staff = s.store.staff_list(Some(hall.id)).await?;
    staff.extend(s.store.staff_list(None).await?);
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let halls = if caller.actor.hall_id.is_none() {
        s.store
            .halls()
            .await?
            .into_iter()
            .filter(|h| caller.actor.in_hall(h.id))
            .map(|h| (h.code, h.name))
            .collect()
    } else {
        Vec::new()
    };
    let weights = weights_of(&cfg.weights);
    Ok(SettingsPage {
        chrome: Chrome::staff(
            "评价设置 Feedback settings",
            "/admin/feedback-settings",
            Some(caller),
        ),
        ok,
        can_edit_hall: require_settings_admin(caller, hall.id).is_ok(),
        can_edit_figures: is_admin(caller) && caller.actor.deployment_wide(),
        fields: fields_of(&settings),
        hall_errors: Vec::new(),
        good_from: cfg.good_from.to_string(),
        min_n: cfg.min_n.to_string(),
        weight_sum: cfg.weights.percents().iter().sum(),
        weights,
        figure_errors: Vec::new(),
        hall_changes: rows(s.store.settings_audit(Some(hall.id), 50).await?, &staff, tz),
        figure_changes: rows(s.store.settings_audit(None, 50).await?, &staff, tz),
        halls,
        hall,
    })
}

async fn page(
    State(s): State<AppState>,
    caller: Result<Caller, ApiError>,
    Query(q): Query<PageQuery>,
) -> Result<Response, PageError> {
    let caller = caller?;
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    require_read(&caller, hall.id)?;
    let ok = match q.ok.as_deref() {
        Some("hall") => "已保存本厅设置 Hall settings saved".to_string(),
        Some("figures") => "已保存指标口径 Figure definitions saved".to_string(),
        Some("unchanged") => "未作修改 Nothing changed".to_string(),
        _ => String::new(),
    };
    let page = build(&s, &caller, hall, ok).await?;
    respond(&page, StatusCode::OK)
}

/// Reads the hall form: every field a whole number in its range, all reasons at once.
fn read_hall_form(f: &Fields, fields: &mut [Field]) -> Result<FeedbackSettings, Vec<String>> {
    let mut out = FeedbackSettings::default();
    let mut errors = Vec::new();
    for field in fields.iter_mut() {
        field.value = f.get(field.name);
        let problem = match field.value.parse::<u32>() {
            Err(_) => Some(format!(
                "请填写整数 enter a whole number ({}–{})",
                field.min, field.max
            )),
            Ok(v) if v < field.min || v > field.max => Some(format!(
                "须为 {}–{} must be {}–{} (got {v})",
                field.min, field.max, field.min, field.max
            )),
            Ok(v) => {
                out.set(field.name, v);
                None
            }
        };
        if let Some(p) = problem {
            errors.push(format!("{} {}: {p}", field.zh, field.en));
            field.error = p;
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

async fn save_hall(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, Some(&f.get("hall"))).await?;
    require_settings_admin(&caller, hall.id)?;
    let mut page = build(&s, &caller, hall.clone(), String::new()).await?;
    match read_hall_form(&f, &mut page.fields) {
        Ok(settings) => {
            let changes = s
                .store
                .change_feedback_settings(hall.id, &settings, caller.actor.staff_id, s.now())
                .await?;
            let ok = if changes.is_empty() {
                "unchanged"
            } else {
                "hall"
            };
            Ok(Redirect::to(&format!(
                "/admin/feedback-settings?hall={}&ok={ok}",
                hall.code
            ))
            .into_response())
        }
        Err(errors) => {
            page.hall_errors = errors;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// Reads the figure form: 3 or 4 for good levels, a minimum 1–10000, weights adding to 100%.
fn read_figure_form(f: &Fields) -> Result<IndexConfig, Vec<String>> {
    let mut errors = Vec::new();
    let good_from = match f.get("good_from").as_str() {
        "3" => 3,
        "4" => 4,
        other => {
            errors.push(format!(
                "满意口径须为 3 或 4 (counted as satisfied must be 3 or 4, got {other:?})"
            ));
            3
        }
    };
    let min_n = match f.get("min_n").parse::<i64>() {
        Ok(n) if (1..=10_000).contains(&n) => n,
        _ => {
            errors.push(
                "最少样本须为 1–10000 的整数 (minimum responses must be a whole number 1–10000)"
                    .into(),
            );
            1
        }
    };
    let mut p = [0i64; 5];
    for (i, d) in Dimension::ALL.iter().enumerate() {
        match f.get(&format!("w_{}", d.id())).parse::<i64>() {
            Ok(v) => p[i] = v,
            Err(_) => errors.push(format!(
                "{} 的权重须为整数百分比 (weight of {} must be a whole percent)",
                d.zh(),
                d.id()
            )),
        }
    }
    let weights = if errors.is_empty() {
        CsiWeights::from_percents(p)
            .map_err(|e| errors.push(e))
            .ok()
    } else {
        None
    };
    match weights {
        Some(weights) if errors.is_empty() => Ok(IndexConfig {
            good_from,
            min_n,
            weights,
        }),
        _ => Err(errors),
    }
}

async fn save_figures(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    crate::api::insight_require_admin(&caller)?;
    let hall = hall_for(s.store.as_ref(), &caller, Some(&f.get("hall"))).await?;
    match read_figure_form(&f) {
        Ok(cfg) => {
            let changes = s
                .store
                .change_insight_config(&cfg, caller.actor.staff_id, s.now())
                .await?;
            let ok = if changes.is_empty() {
                "unchanged"
            } else {
                "figures"
            };
            Ok(Redirect::to(&format!(
                "/admin/feedback-settings?hall={}&ok={ok}",
                hall.code
            ))
            .into_response())
        }
        Err(errors) => {
            let mut page = build(&s, &caller, hall, String::new()).await?;
            page.good_from = f.get("good_from");
            page.min_n = f.get("min_n");
            for w in &mut page.weights {
                w.value = f.get(&format!("w_{}", w.id));
            }
            page.weight_sum = page
                .weights
                .iter()
                .filter_map(|w| w.value.parse::<i64>().ok())
                .sum();
            page.figure_errors = errors;
            respond(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}
