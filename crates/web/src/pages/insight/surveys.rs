//! Survey screens: the administrator's page (surveys and the figures' definitions) and the
//! customer's phone page `/s/{token}` — a plain form, no account, no script needed.

use crate::AppState;
use crate::api::insight::surveys::{SurveyItemView, public_survey_of};
use crate::auth::{Caller, hash_token};
use crate::error::{ApiError, PageError};
use crate::pages::{Chrome, SignedForm, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use servicehall_domain::insight::survey::{
    ItemKind, SurveyAnswer, SurveyDefinition, SurveyItem, SurveyTrigger,
};
use servicehall_domain::insight::touchpoint::TOUCHPOINTS;
use servicehall_domain::insight::{CsiWeights, Dimension, IndexConfig};
use servicehall_store::Survey;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/surveys", get(admin).post(create))
        .route("/admin/surveys/settings", post(settings))
        .route("/admin/surveys/{id}/active", post(toggle))
        .route("/s/{token}", get(public).post(answer))
}

type Fields = Vec<(String, String)>;

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

/// How many 5-level item rows the form offers.
const LEVEL_ROWS: usize = 6;

pub struct SurveyRow {
    pub id: i64,
    pub title: String,
    pub trigger: &'static str,
    pub window_hours: i64,
    pub items: String,
    pub business_types: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "insight/surveys.html")]
struct AdminPage {
    chrome: Chrome,
    ok: String,
    error: String,
    surveys: Vec<SurveyRow>,
    business_types: Vec<(i64, String)>,
    touchpoints: Vec<(&'static str, &'static str)>,
    dimensions: Vec<(&'static str, &'static str, f64)>,
    config: IndexConfig,
    rows: Vec<usize>,
}

#[derive(serde::Deserialize, Default)]
struct AdminQuery {
    ok: Option<String>,
}

async fn admin_page(
    s: &AppState,
    caller: &Caller,
    ok: String,
    error: String,
) -> Result<Response, PageError> {
    crate::api::insight_require_admin(caller)?;
    let halls = s.store.halls().await?;
    let mut business_types = Vec::new();
    for h in &halls {
        for b in s.store.business_types(h.id).await? {
            business_types.push((b.id, format!("{} {}", h.code, b.name_zh)));
        }
    }
    let surveys: Vec<Survey> = s.store.surveys().await?;
    let config = s.store.insight_config().await?;
    let rows = surveys
        .iter()
        .map(|sv| SurveyRow {
            id: sv.id,
            title: sv.definition.title.clone(),
            trigger: match sv.definition.trigger {
                SurveyTrigger::BusinessType => "办结业务后 after a visit",
                SurveyTrigger::CaseClosed => "工单办结后 after a case closes",
            },
            window_hours: sv.definition.window_hours,
            items: sv
                .definition
                .items
                .iter()
                .map(|i| i.text.clone())
                .collect::<Vec<_>>()
                .join(" / "),
            business_types: sv
                .business_type_ids
                .iter()
                .filter_map(|id| business_types.iter().find(|(b, _)| b == id))
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
                .join("、"),
            active: sv.active,
        })
        .collect();
    let status = if error.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = render(&AdminPage {
        chrome: Chrome::staff("问卷 Surveys", "/admin", Some(caller)),
        ok,
        error,
        surveys: rows,
        business_types,
        touchpoints: TOUCHPOINTS.iter().map(|t| (t.id, t.zh)).collect(),
        dimensions: Dimension::ALL
            .iter()
            .map(|d| (d.id(), d.zh(), config.weights.get(*d)))
            .collect(),
        config,
        rows: (1..=LEVEL_ROWS).collect(),
    })?;
    Ok((status, page).into_response())
}

async fn admin(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<AdminQuery>,
) -> Result<Response, PageError> {
    let ok = match q.ok.as_deref() {
        Some("created") => "问卷已创建 Survey created",
        Some("settings") => "指标定义已保存 Definitions saved",
        Some("toggled") => "已更新 Updated",
        _ => "",
    };
    admin_page(&s, &caller, ok.into(), String::new()).await
}

/// Reads the survey form: up to six 5-level rows, the optional recommend and comment items.
fn read_survey(f: &Fields) -> Result<(SurveyDefinition, Vec<i64>), String> {
    let mut items = Vec::new();
    for i in 1..=LEVEL_ROWS {
        let text = field(f, &format!("q{i}_text")).trim();
        if text.is_empty() {
            continue;
        }
        let tp = field(f, &format!("q{i}_touchpoint"));
        let dim = field(f, &format!("q{i}_dimension"));
        items.push(SurveyItem {
            key: format!("q{i}"),
            kind: ItemKind::Level,
            text: text.into(),
            touchpoint: (!tp.is_empty()).then(|| tp.to_string()),
            dimension: match dim {
                "" => None,
                d => Some(
                    Dimension::parse(d)
                        .ok_or_else(|| format!("没有维度 {d:?} · unknown dimension {d:?}"))?,
                ),
            },
        });
    }
    if field(f, "recommend") == "on" {
        items.push(SurveyItem {
            key: "nps".into(),
            kind: ItemKind::Recommend,
            text: match field(f, "recommend_text").trim() {
                "" => "您有多大可能向亲友推荐我们的营业厅?".into(),
                t => t.into(),
            },
            touchpoint: None,
            dimension: None,
        });
    }
    if field(f, "comment") == "on" {
        items.push(SurveyItem {
            key: "comment".into(),
            kind: ItemKind::Text,
            text: "其他意见和建议 Anything else?".into(),
            touchpoint: None,
            dimension: None,
        });
    }
    let trigger = match field(f, "trigger") {
        "case_closed" => SurveyTrigger::CaseClosed,
        _ => SurveyTrigger::BusinessType,
    };
    let window_hours = field(f, "window_hours")
        .trim()
        .parse::<i64>()
        .map_err(|_| {
            "答题时限须为整数小时 · the answer window must be a whole number of hours".to_string()
        })?;
    let bts = f
        .iter()
        .filter(|(k, _)| k == "bt")
        .filter_map(|(_, v)| v.parse::<i64>().ok())
        .collect();
    Ok((
        SurveyDefinition {
            title: field(f, "title").trim().into(),
            trigger,
            window_hours,
            items,
        },
        bts,
    ))
}

async fn create(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    crate::api::insight_require_admin(&caller)?;
    let result = match read_survey(&f) {
        Ok((def, bts)) => s
            .store
            .create_survey(&def, &bts, caller.actor.staff_id, s.now())
            .await
            .map_err(|e| ApiError::from(e).detail),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(Redirect::to("/admin/surveys?ok=created").into_response()),
        Err(e) => admin_page(&s, &caller, String::new(), e).await,
    }
}

async fn settings(
    State(s): State<AppState>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    crate::api::insight_require_admin(&caller)?;
    let mut weights = [0.0; 5];
    let mut error = String::new();
    for (i, d) in Dimension::ALL.iter().enumerate() {
        match field(&f, &format!("w_{}", d.id())).trim().parse::<f64>() {
            Ok(w) => weights[i] = w,
            Err(_) => error = format!("the weight of {} must be a number", d.zh()),
        }
    }
    let cfg = IndexConfig {
        good_from: field(&f, "good_from").parse().unwrap_or(3),
        min_n: field(&f, "min_n").trim().parse().unwrap_or(-1),
        weights: CsiWeights(weights),
    };
    if error.is_empty() {
        // Audited like the settings screen (who, when, before → after).
        match s
            .store
            .change_insight_config(&cfg, caller.actor.staff_id, s.now())
            .await
        {
            Ok(_) => return Ok(Redirect::to("/admin/surveys?ok=settings").into_response()),
            Err(e) => error = ApiError::from(e).detail,
        }
    }
    admin_page(&s, &caller, String::new(), error).await
}

async fn toggle(
    State(s): State<AppState>,
    Path(id): Path<i64>,
    SignedForm(caller, f): SignedForm<Fields>,
) -> Result<Response, PageError> {
    crate::api::insight_require_admin(&caller)?;
    s.store
        .set_survey_active(id, field(&f, "active") == "1")
        .await?;
    Ok(Redirect::to("/admin/surveys?ok=toggled").into_response())
}

pub struct Question {
    pub key: String,
    pub text: String,
    pub kind: &'static str,
    /// (value, face, label, checked), best first for levels, 0..10 for recommend.
    pub options: Vec<(i64, &'static str, &'static str, bool)>,
}

const LEVELS: [(i64, &str, &str); 5] = [
    (5, "5", "非常满意"),
    (4, "4", "满意"),
    (3, "3", "基本满意"),
    (2, "2", "不满意"),
    (1, "1", "非常不满意"),
];

#[derive(Template)]
#[template(path = "insight/survey_public.html")]
struct PublicPage {
    chrome: Chrome,
    title: String,
    hall_name: String,
    questions: Vec<Question>,
    comment: String,
    closed: String,
    error: String,
    thanks: bool,
}

fn questions(items: &[SurveyItemView], answer: &SurveyAnswer) -> Vec<Question> {
    items
        .iter()
        .map(|i| {
            let kind = match i.kind.as_str() {
                "level" => "level",
                "recommend" => "recommend",
                _ => "text",
            };
            let chosen = answer.values.get(&i.key).copied();
            Question {
                key: i.key.clone(),
                text: i.text.clone(),
                kind,
                options: match kind {
                    "level" => LEVELS
                        .iter()
                        .map(|(v, face, label)| (*v, *face, *label, chosen == Some(*v)))
                        .collect(),
                    "recommend" => (0..=10).map(|v| (v, "", "", chosen == Some(v))).collect(),
                    _ => Vec::new(),
                },
            }
        })
        .collect()
}

async fn public_page(
    s: &AppState,
    token: &str,
    answer: &SurveyAnswer,
    error: String,
    thanks: bool,
) -> Result<Response, PageError> {
    let p = public_survey_of(s, token).await?;
    let answered = p.answered && !thanks;
    let closed = if thanks {
        String::new()
    } else if p.answered {
        "您已提交过评价,感谢! This survey has already been answered — thank you.".into()
    } else if p.expired {
        "评价已过期 This survey's answer window has closed.".into()
    } else {
        String::new()
    };
    let status = if !error.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if answered {
        StatusCode::CONFLICT
    } else if !closed.is_empty() {
        StatusCode::GONE
    } else {
        StatusCode::OK
    };
    let page = render(&PublicPage {
        chrome: Chrome::bare("满意度调查 Survey", "", "follow"),
        title: p.title,
        hall_name: p.hall_name,
        questions: questions(&p.items, answer),
        comment: answer.comment.clone(),
        closed,
        error,
        thanks,
    })?;
    Ok((status, page).into_response())
}

async fn public(
    State(s): State<AppState>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    public_page(&s, &token, &SurveyAnswer::default(), String::new(), false).await
}

async fn answer(
    State(s): State<AppState>,
    Path(token): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, PageError> {
    let mut a = SurveyAnswer {
        comment: field(&f, "comment").into(),
        ..Default::default()
    };
    for (k, v) in &f {
        if let Some(key) = k.strip_prefix("a_")
            && let Ok(n) = v.trim().parse::<i64>()
        {
            a.values.insert(key.to_string(), n);
        }
    }
    if token.len() > 128 {
        return Err(ApiError::not_found(
            "此链接没有对应的问卷，请核对地址 · no survey behind this link; check the address",
        )
        .into());
    }
    match s
        .store
        .answer_survey(&hash_token(&token), &a, s.now())
        .await
    {
        Ok(_) => public_page(&s, &token, &a, String::new(), true).await,
        Err(e) => {
            let e = ApiError::from(e);
            if e.status == StatusCode::CONFLICT {
                // Answered or expired: the page says which.
                public_page(&s, &token, &a, String::new(), false).await
            } else {
                public_page(&s, &token, &a, e.detail, false).await
            }
        }
    }
}
