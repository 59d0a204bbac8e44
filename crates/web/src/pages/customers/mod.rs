//! 客户与分群 · the customer screens: the register with its filters (`/customers`; for
//! supervisors the counts by segment, never persons) and one customer with its segments,
//! consents, visits, cases and audited history (`/customers/{id}`). Writes go through the
//! JSON API (`api::customers`) from `static/customers.js`; the recognition panel of the
//! guide desk and the counter is `templates/customers/recognise_panel.html`.

use crate::AppState;
use crate::api::customers::view::{CustomerDetailView, CustomerView, SegmentCountView};
use crate::api::customers::{ListQuery, counts, detail, filter, today};
use crate::auth::Caller;
use crate::error::PageError;
use crate::pages::{Chrome, hall_for, json_for_script, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::IntoResponse;
use axum::routing::get;
use serde::Deserialize;
use servicehall_domain::access::Permission;
use servicehall_domain::cases::CustomerClass;
use servicehall_domain::customers::{Basis, Care, ContactChannel, Purpose, Segment};
use servicehall_domain::time::{local, parse_tz};
use servicehall_store::Hall;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(register))
        .route("/customers/{id}", get(show))
}

#[derive(Deserialize)]
struct RegisterQ {
    hall: Option<String>,
    segment: Option<String>,
    #[serde(default)]
    review_due: Option<String>,
}

/// (code, 中文, English) of each choice the forms offer.
type Choice = (&'static str, &'static str, &'static str);

struct Choices {
    segments: Vec<(Choice, bool)>,
    care: Vec<Choice>,
    basis: Vec<Choice>,
    classes: Vec<Choice>,
    purposes: Vec<Choice>,
    channels: Vec<Choice>,
}

fn choices() -> Choices {
    Choices {
        segments: Segment::ALL
            .iter()
            .map(|s| ((s.as_str(), s.label_zh(), s.label_en()), s.is_vulnerable()))
            .collect(),
        care: Care::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_zh(), c.label_en()))
            .collect(),
        basis: Basis::ALL
            .iter()
            .map(|b| (b.as_str(), b.label_zh(), b.label_en()))
            .collect(),
        classes: CustomerClass::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_zh(), ""))
            .collect(),
        purposes: Purpose::ALL
            .iter()
            .map(|p| (p.as_str(), p.label_zh(), p.label_en()))
            .collect(),
        channels: ContactChannel::ALL
            .iter()
            .map(|c| (c.as_str(), c.label_zh(), c.label_en()))
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "customers/register.html")]
struct RegisterPage {
    chrome: Chrome,
    /// `None`: the caller sees counts only.
    hall: Option<Hall>,
    halls: Vec<Hall>,
    customers: Vec<CustomerView>,
    counts: Vec<SegmentCountView>,
    segment: String,
    review_due: bool,
    c: Choices,
    data: String,
}

async fn register(
    State(s): State<AppState>,
    caller: Caller,
    Query(q): Query<RegisterQ>,
) -> Result<impl IntoResponse, PageError> {
    let chrome = Chrome::staff("客户与分群 Customers", "/customers", Some(&caller));
    let keeps = caller.actor.allows(Permission::KeepCustomers);
    if !keeps {
        // Supervisors and other readers of figures: counts by segment, no person.
        caller.require_any(Permission::ViewStats)?;
        return render(&RegisterPage {
            chrome,
            hall: None,
            halls: Vec::new(),
            customers: Vec::new(),
            counts: counts(&s, &caller).await?,
            segment: String::new(),
            review_due: false,
            c: choices(),
            data: "{}".into(),
        });
    }
    let hall = hall_for(s.store.as_ref(), &caller, q.hall.as_deref()).await?;
    caller.require(Permission::KeepCustomers, hall.id)?;
    let review_due = q.review_due.as_deref().is_some_and(|v| !v.is_empty());
    let lq = ListQuery {
        segment: q.segment.clone(),
        review_due,
    };
    let day = today(&s, &hall);
    let list = s.store.customers(hall.id, &filter(&lq, day)?).await?;
    let now = s.now();
    let halls = if caller.actor.hall_id.is_none() {
        s.store
            .halls()
            .await?
            .into_iter()
            .filter(|h| caller.actor.in_hall(h.id))
            .collect()
    } else {
        Vec::new()
    };
    render(&RegisterPage {
        chrome,
        data: json_for_script(&serde_json::json!({ "hall": hall.code })),
        customers: list
            .iter()
            .map(|c| CustomerView::new(c, day, now))
            .collect(),
        counts: Vec::new(),
        segment: q.segment.unwrap_or_default(),
        review_due,
        c: choices(),
        halls,
        hall: Some(hall),
    })
}

#[derive(Template)]
#[template(path = "customers/customer.html")]
struct CustomerPage {
    chrome: Chrome,
    hall: Hall,
    d: CustomerDetailView,
    c: Choices,
    /// Times of the history as the hall reads them, by position.
    consent_at: Vec<String>,
    change_at: Vec<String>,
    visit_at: Vec<String>,
    case_at: Vec<String>,
    data: String,
}

impl CustomerPage {
    /// The customer's membership of `segment`, if any.
    fn member(&self, segment: &str) -> Option<&crate::api::customers::view::SegmentView> {
        self.d
            .customer
            .segments
            .iter()
            .find(|s| s.segment.code == segment)
    }

    fn has_care(&self, segment: &str, care: &str) -> bool {
        match self.member(segment) {
            Some(m) => m.care.iter().any(|c| c.code == care),
            None => Segment::parse(segment)
                .is_some_and(|s| s.default_care().iter().any(|c| c.as_str() == care)),
        }
    }
}

async fn show(
    State(s): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> Result<impl IntoResponse, PageError> {
    let c = s.store.customer(id).await?;
    caller.require(Permission::KeepCustomers, c.hall_id)?;
    caller.require_person()?;
    let hall = s.store.hall(c.hall_id).await?;
    let d = detail(&s, &caller, &c, &hall).await?;
    let tz = parse_tz(&hall.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let fmt = |at: i64| local(at, tz).format("%Y-%m-%d %H:%M").to_string();
    render(&CustomerPage {
        chrome: Chrome::staff(
            &format!("客户 {} Customer", d.customer.account),
            "/customers",
            Some(&caller),
        ),
        consent_at: d.consent_history.iter().map(|r| fmt(r.at)).collect(),
        change_at: d.changes.iter().map(|r| fmt(r.at)).collect(),
        visit_at: d.visits.iter().map(|r| fmt(r.at)).collect(),
        case_at: d.cases.iter().map(|r| fmt(r.created_at)).collect(),
        data: json_for_script(&serde_json::json!({ "hall": hall.code, "customer": id })),
        c: choices(),
        d,
        hall,
    })
}
