//! The ratings list (`/feedback/ratings`): every pad and phone (一事一评) rating of the
//! hall, newest first, filtered by day, channel, score, clerk and business, paged, and
//! exported or printed through the lists' shared frame. A phone rater's name and number are
//! masked unless the caller may call customers back (hall manager, administrator).

use super::{channel_options, level_options};
use crate::AppState;
use crate::api::feedback::sees_phone;
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::listing::{self, Column, Filter, Format, List, ListQuery, Row, Value, col, num};
use crate::pages::{Chrome, hall_for, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use servicehall_domain::Role;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::mask;
use servicehall_domain::feedback::Channel;
use servicehall_domain::feedback::recovery::reasons_zh;
use servicehall_domain::time::parse_tz;
use servicehall_store::RatingFilter;

pub fn routes() -> Router<AppState> {
    Router::new().route("/feedback/ratings", get(page))
}

const COLUMNS: &[Column] = &[
    col("时间", "When"),
    col("渠道", "Channel"),
    num("评分", "Score"),
    col("评价", "Level"),
    col("原因", "Reasons"),
    col("票号", "Ticket"),
    col("业务", "Business"),
    col("窗口", "Counter"),
    col("柜员", "Clerk"),
    col("评价人", "Rater"),
    col("电话", "Phone"),
    col("留言", "Comment"),
];

#[derive(Template)]
#[template(path = "feedback/ratings.html")]
struct Page {
    chrome: Chrome,
    list: List,
    /// The counter or clerk a scorecard line narrowed the list to, and the link clearing it.
    chip: Option<(String, String)>,
}

/// `counter=ID`: the ratings given at one counter of the hall (its scorecard's lines).
#[derive(serde::Deserialize, Default)]
struct CounterQuery {
    counter: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
    Query(cq): Query<CounterQuery>,
) -> Result<Response, PageError> {
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::ViewStats, hall.id)?;
    caller.require_person()?;
    let counter = match q.id(&cq.counter, "counter")? {
        Some(id) => Some(crate::api::scorecards::counter::hall_counter(&s, &hall, id).await?),
        None => None,
    };
    let counters = s.store.counters(hall.id).await?;
    let req = q.request()?;
    let period = listing::period(std::slice::from_ref(&hall), &q, s.now())?;
    let kind = q.choice(&q.kind, "kind", &["pad", "phone"])?;
    let filter = RatingFilter {
        from: period.scope.from,
        to: period.scope.to,
        channel: kind.as_deref().and_then(Channel::parse),
        level: q.score()?,
        staff_id: q.id(&q.clerk, "clerk")?,
        business_type_id: q.id(&q.business, "business")?,
        counter_id: counter.as_ref().map(|c| c.id),
    };
    let page = s.store.rating_page(hall.id, &filter, req.window()).await?;
    let types = s.store.business_types(hall.id).await?;
    let clerks: Vec<_> = s
        .store
        .staff_list(Some(hall.id))
        .await?
        .into_iter()
        .filter(|st| st.role == Role::Clerk)
        .collect();
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let full = sees_phone(&caller);
    let shown = |v: String, hide: fn(&str) -> String| {
        if v.is_empty() || full { v } else { hide(&v) }
    };
    let rows = page
        .items
        .into_iter()
        .map(|r| Row {
            id: String::new(),
            action: String::new(),
            class: "",
            cells: vec![
                Value::text(listing::when(r.at, tz)),
                Value::text(r.channel.label_zh()),
                Value::num(r.level),
                Value::text(
                    servicehall_domain::RatingLevel::new(r.level)
                        .map(|l| l.label_zh().to_string())
                        .unwrap_or_default(),
                ),
                Value::text(reasons_zh(&r.reasons)),
                Value::text(r.ticket_number),
                Value::text(servicehall_store::business_type_name(
                    &types,
                    r.business_type_id,
                )),
                Value::text(
                    r.counter_number
                        .map(|n| format!("{n}号窗口"))
                        .unwrap_or_default(),
                ),
                Value::text(r.staff.unwrap_or_default()),
                Value::text(shown(r.contact_name, mask::name)),
                Value::text(shown(r.contact_phone, mask::phone)),
                Value::text(r.comment),
            ],
        })
        .collect();
    let list = List {
        path: "/feedback/ratings",
        title_zh: "评价明细",
        title_en: "Ratings",
        table_id: "ratings-table",
        hall_code: hall.code.clone(),
        hall_name: hall.name.clone(),
        keep_hall: caller.actor.hall_id.is_none(),
        filters: vec![
            Filter::date("from", "起", "From", &period.from),
            Filter::date("to", "止", "To", &period.to),
            Filter::choice(
                "kind",
                "渠道",
                "Channel",
                kind,
                channel_options(&[Channel::Pad, Channel::Phone]),
            ),
            Filter::choice(
                "score",
                "评分",
                "Score",
                filter.level.map(|l| l.to_string()),
                level_options(&[5, 4, 3, 2, 1]),
            ),
            Filter::choice(
                "clerk",
                "柜员",
                "Clerk",
                filter.staff_id.map(|id| id.to_string()),
                clerks
                    .iter()
                    .map(|c| (c.id.to_string(), format!("{} · {}", c.name, c.badge_no)))
                    .collect(),
            ),
            Filter::choice(
                "counter",
                "窗口",
                "Counter",
                filter.counter_id.map(|id| id.to_string()),
                counters
                    .iter()
                    .map(|c| {
                        (
                            c.id.to_string(),
                            format!("{} 号窗口 · Counter {}", c.number, c.number),
                        )
                    })
                    .collect(),
            ),
            Filter::choice(
                "business",
                "业务",
                "Business",
                filter.business_type_id.map(|id| id.to_string()),
                types
                    .iter()
                    .map(|b| (b.id.to_string(), format!("{} {}", b.name_zh, b.name_en)))
                    .collect(),
            ),
        ],
        columns: COLUMNS,
        action: None,
        rows,
        total: page.total,
        page: req.page,
        per: req.per,
        empty: "没有符合条件的评价 · No ratings match these filters.",
    };
    if req.format != Format::Html {
        return listing::export(&list, req.format, &listing::when(s.now(), tz));
    }
    // The chip names the counter or clerk; its link keeps the period and channel only.
    let base = format!(
        "/feedback/ratings?hall={}&from={}&to={}{}",
        hall.code,
        period.from,
        period.to,
        list.filters
            .iter()
            .find(|f| f.name == "kind" && !f.value.is_empty())
            .map(|f| format!("&kind={}", f.value))
            .unwrap_or_default()
    );
    let chip = match (&counter, filter.staff_id) {
        (Some(c), _) => Some((format!("窗口 {} 号 · Counter {}", c.number, c.number), base)),
        (None, Some(id)) => clerks
            .iter()
            .find(|st| st.id == id)
            .map(|st| (format!("员工 {} · Staff {}", st.name, st.badge_no), base)),
        _ => None,
    };
    Ok(render(&Page {
        chrome: Chrome::staff("评价明细 Ratings", "/feedback/ratings", Some(&caller)),
        list,
        chip,
    })?
    .into_response())
}
