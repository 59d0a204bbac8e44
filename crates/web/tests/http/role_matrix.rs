//! The role matrix: every operation of the OpenAPI description × every role and device kind ×
//! the objects of the caller's own hall and of another hall (another region, for the
//! supervisor limited to a region), with the answer expected from the operation's access
//! rule. The rule is read from the operation's `caller` security requirement, which the
//! route list (`api::api_router`) writes from the same line that serves the route, so a
//! new route without a rule fails here.
//!
//! Actors: anonymous; an administrator and a supervisor above halls; a supervisor limited to
//! DL-XH's city; DL-XH's hall manager, clerk1 (on duty at counter 1, owner of the case),
//! clerk2 (not on duty, owns nothing) and guide; DL-XH's kiosk, display, evaluator and
//! counter screen (counter 1) and integration. Targets: DL-XH, DL-LS (another hall of the
//! same city) and SY-TX (another region).
//!
//! Expected: anonymous on a non-public route → 401; an actor the rule does not allow → 403
//! (never 2xx); an allowed actor → anything but 401/403; nobody ever gets a 5xx.

use crate::common::{App, Auth, PASSWORD, Session, hall_input, password_hash, sqlite_store};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::access::{Actor, ActorKind};
use servicehall_domain::feedback::gaming::{EvidenceTicket, Flag, FlagKind, Subject};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{BusinessTypeInput, CounterInput, ReviewStore, SetupStore, StaffInput};
use servicehall_web::WebConfig;
use servicehall_web::api::access_rule::{Access, SCHEME};

/// How an actor authenticates.
enum Cred {
    Anon,
    Person(Session),
    Device(String),
}

struct Who {
    name: &'static str,
    cred: Cred,
    /// What the server makes of the credential; `None` for anonymous.
    actor: Option<Actor>,
}

impl Who {
    fn auth(&self) -> Auth<'_> {
        match &self.cred {
            Cred::Anon => Auth::Anon,
            Cred::Person(s) => Auth::Person(s),
            Cred::Device(t) => Auth::Device(t),
        }
    }
}

/// The objects of one hall that the id routes name.
struct Target {
    name: &'static str,
    hall_id: i64,
    code: String,
    /// Counter 1 (in the own hall staffed by clerk1, who is on duty there).
    counter: i64,
    /// A finished ticket, served at `counter`.
    ticket: i64,
    ticket_code: String,
    /// A complaint case; in the own hall owned by clerk1.
    case: i64,
    case_number: String,
    /// A second case, being handed over (own hall: to the hall manager; other hall: to nobody).
    handover_case: i64,
    handover_to: Option<i64>,
    /// Who owns `case` and who staffs `counter` (the clerk who works the hall here).
    worker: i64,
    document: i64,
    observation: i64,
    standard: i64,
    version: i64,
    flag: i64,
    survey_token: String,
    /// The city region the hall hangs on.
    region: i64,
    /// Bodies read back from the server (PUT them unchanged).
    feedback_settings: Value,
    case_settings: Value,
    complaint_process: Value,
    catalogue_entry: Value,
}

/// Deployment-wide objects.
struct World {
    spare_region: i64,
    region_supervisor: i64,
    dl_region: i64,
    survey: i64,
    survey_business_types: Vec<i64>,
    insight_settings: Value,
}

/// A request ready to send.
struct Req {
    url: String,
    body: Body,
}

#[derive(Clone, PartialEq)]
enum Body {
    None,
    Json(Value),
    Raw(&'static str, Vec<u8>),
}

/// Where a denied actor may get a validation answer instead of 403, because the handler
/// necessarily checks the input before it knows the hall: (method, path, statuses, why).
/// Empty today: with a body that parses and objects that exist, every handler answers a
/// denied caller 403 before it validates anything else. (A body that does not parse is
/// 400 for everyone, since the JSON extractor runs before the handler; the bodies sent
/// here parse.)
const DENIED_MAY_VALIDATE: &[(&str, &str, &[u16], &str)] = &[];

/// A complaint body.
fn complaint(name: &str) -> Value {
    json!({"kind": "complaint", "customer_name": name, "customer_phone": "13900001111", "summary": "排队时间过长"})
}

fn multipart(name: &str, bytes: &[u8]) -> (&'static str, Vec<u8>) {
    let b = "matrixboundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!("--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n正面\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    ("multipart/form-data; boundary=matrixboundary", body)
}

/// A tiny valid PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A 2xx answer's JSON body.
#[track_caller]
fn ok(r: crate::common::Resp) -> Value {
    assert!(r.status.is_success(), "{}: {}", r.status, r.text);
    r.json()
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// Sends a request; an event stream's body is not read (it never ends).
async fn send(app: &App, m: Method, req: &Req, auth: Auth<'_>) -> (u16, String) {
    let rb = app.request(m, &req.url, auth);
    let rb = match &req.body {
        Body::None => rb,
        Body::Json(v) => rb.json(v),
        Body::Raw(ct, bytes) => rb.header("content-type", *ct).body(bytes.clone()),
    };
    let res = rb.send().await.expect("request reaches the server");
    let status = res.status().as_u16();
    let stream = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/event-stream"));
    if stream {
        return (status, String::new());
    }
    (status, res.text().await.unwrap_or_default())
}

/// Issues a ticket in `hall` with `kiosk`, calls it at `counter` as `clerk` and serves it.
async fn served_ticket(app: &App, hall: &str, kiosk: &str, clerk: &Session, counter: i64) -> Value {
    let t = app
        .post(
            &format!("/api/v1/halls/{hall}/tickets"),
            Auth::Device(kiosk),
            Some(json!({"business_type": "payment"})),
        )
        .await
        .expect(201);
    let called = app
        .post(
            &format!("/api/v1/counters/{counter}/call-next"),
            Auth::Person(clerk),
            None,
        )
        .await
        .expect(200);
    assert_eq!(called["id"], t["id"]);
    let tid = id(&t);
    app.act(clerk, tid, "start", None).await.expect(200);
    app.act(
        clerk,
        tid,
        "finish",
        Some(json!({"amount_due_fen": 12_345, "amount_received_fen": 15_000})),
    )
    .await
    .expect(200);
    t
}

/// Builds one hall's objects, worked by `clerk` (on duty at `counter`).
#[allow(clippy::too_many_arguments)]
async fn target(
    app: &App,
    name: &'static str,
    hall_id: i64,
    code: &str,
    counter: i64,
    clerk: &Session,
    admin: &Session,
    handover_badge: Option<&str>,
    handover_to: Option<i64>,
    region: i64,
) -> Target {
    let kiosk = app.device_in(hall_id, None, DeviceKind::Kiosk).await;
    let t = served_ticket(app, code, &kiosk, clerk, counter).await;
    let ticket = id(&t);
    let ticket_code = t["code"].as_str().expect("ticket code").to_string();
    let link = app
        .post(
            &format!("/api/v1/tickets/{ticket}/survey"),
            Auth::Person(clerk),
            None,
        )
        .await
        .expect(201);
    let survey_token = link["path"]
        .as_str()
        .and_then(|p| p.strip_prefix("/s/"))
        .expect("survey link")
        .to_string();
    let case = app
        .post(
            &format!("/api/v1/halls/{code}/cases"),
            Auth::Person(clerk),
            Some(complaint("李四")),
        )
        .await
        .expect(201);
    let handover_case = app
        .post(
            &format!("/api/v1/halls/{code}/cases"),
            Auth::Person(clerk),
            Some(complaint("赵六")),
        )
        .await
        .expect(201);
    if let Some(badge) = handover_badge {
        app.post(
            &format!("/api/v1/cases/{}/handover", id(&handover_case)),
            Auth::Person(clerk),
            Some(json!({"to_badge": badge, "reason": "轮休交接"})),
        )
        .await
        .expect(200);
    }
    let (ct, body) = multipart("id.pdf", PDF);
    let doc = App::send(
        app.request(
            Method::POST,
            &format!("/api/v1/cases/{}/documents/upload", id(&case)),
            Auth::Person(clerk),
        )
        .header("content-type", ct)
        .body(body),
    )
    .await;
    let doc = ok(doc);
    let document = doc["documents"]
        .as_array()
        .and_then(|d| d.last())
        .map(id)
        .unwrap_or_else(|| panic!("uploaded document in {doc}"));
    let observation = app
        .post(
            &format!("/api/v1/halls/{code}/observations"),
            Auth::Person(admin),
            Some(crate::http::insight::observation(counter, None)),
        )
        .await
        .expect(201);
    let standard = app
        .post(
            &format!("/api/v1/halls/{code}/standards"),
            Auth::Person(admin),
            Some(json!({"category": "hall_rules", "title": "交接班制度", "body": "一、按时交接。", "audience": ["clerk"]})),
        )
        .await
        .expect(201);
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    let published = app
        .post(
            &format!("/api/v1/standards/{}/publish", id(&standard)),
            Auth::Person(admin),
            Some(json!({ "effective_from": today })),
        )
        .await
        .expect(200);
    let version = published["current"]["id"]
        .as_i64()
        .or_else(|| published["versions"][0]["id"].as_i64())
        .unwrap_or_else(|| panic!("version in {published}"));
    app.store
        .record_flags(
            hall_id,
            &[Flag {
                kind: FlagKind::TopRun,
                subject: Subject::Counter(counter),
                summary_zh: "连续 3 次“非常满意”".into(),
                figures: vec![],
                tickets: vec![EvidenceTicket {
                    ticket_id: ticket,
                    number: "A001".into(),
                    note: "非常满意".into(),
                }],
            }],
            app.now(),
        )
        .await
        .unwrap();
    let flags = app
        .get(
            &format!("/api/v1/halls/{code}/feedback/flags"),
            Auth::Person(admin),
        )
        .await
        .expect(200);
    let flag = id(&flags[0]);
    let feedback_settings = app
        .get(
            &format!("/api/v1/halls/{code}/feedback/settings"),
            Auth::Person(admin),
        )
        .await
        .expect(200);
    let cfg = app
        .get(
            &format!("/api/v1/halls/{code}/case-config"),
            Auth::Person(admin),
        )
        .await
        .expect(200);
    let s = &cfg["settings"];
    let case_settings = json!({
        "owner_permille": s["owner_permille"],
        "manager_permille": s["manager_permille"],
        "pause_cap_hours": s["pause_cap_hours"],
    });
    let complaint_process = cfg["processes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "complaint")
        .expect("complaint process")["process"]
        .clone();
    let yaml = format!(
        "hall: {code}\nrepeat_window_days: 15\nentries:\n- business_type: payment\n  effective_from: {today}\n  description: 缴纳电费\n  who_may_apply: 任何人\n  documents:\n    resident:\n    - name: 户号\n  fees: []\n  channels: [hall, app]\n"
    );
    ok(App::send(
        app.request(
            Method::POST,
            &format!("/api/v1/halls/{code}/catalogue/import"),
            Auth::Person(admin),
        )
        .header("content-type", "application/yaml")
        .body(yaml),
    )
    .await);
    let versions = app
        .get(
            &format!("/api/v1/halls/{code}/catalogue/versions"),
            Auth::Person(admin),
        )
        .await
        .expect(200);
    let catalogue_entry = versions[0]["entry"].clone();
    Target {
        name,
        hall_id,
        code: code.to_string(),
        counter,
        ticket,
        ticket_code,
        case: id(&case),
        case_number: case["number"].as_str().expect("case number").to_string(),
        handover_case: id(&handover_case),
        handover_to,
        worker: clerk.staff["id"].as_i64().expect("clerk id"),
        document,
        observation: id(&observation),
        standard: id(&standard),
        version,
        flag,
        survey_token,
        region,
        feedback_settings,
        case_settings,
        complaint_process,
        catalogue_entry,
    }
}

/// The concrete request for `method path` against target `t`.
fn request(method: &str, path: &str, t: &Target, w: &World) -> Req {
    let id = if path.starts_with("/api/v1/cases/") && path.ends_with("/handover/accept") {
        t.handover_case
    } else if path.starts_with("/api/v1/cases/") {
        t.case
    } else if path.starts_with("/api/v1/tickets/") {
        t.ticket
    } else if path.starts_with("/api/v1/observations/") {
        t.observation
    } else if path.starts_with("/api/v1/standards/") {
        t.standard
    } else if path.starts_with("/api/v1/standard-versions/") {
        t.version
    } else if path.starts_with("/api/v1/feedback/flags/") {
        t.flag
    } else if path.starts_with("/api/v1/halls/") {
        t.hall_id
    } else if path.starts_with("/api/v1/regions/") {
        w.spare_region
    } else if path.starts_with("/api/v1/staff/") {
        w.region_supervisor
    } else if path.starts_with("/api/v1/surveys/") {
        w.survey
    } else {
        -1
    };
    let action = if path.starts_with("/api/v1/counters/") {
        "pause"
    } else if path.starts_with("/api/v1/tickets/") {
        "recall"
    } else {
        "pause" // a case clock
    };
    let code = if path.starts_with("/api/v1/public/tickets/") {
        t.ticket_code.clone()
    } else {
        "contact".into() // a case step
    };
    let mut url = path
        .replace("{hall}", &t.code)
        .replace("{counter}", &t.counter.to_string())
        .replace("{doc}", &t.document.to_string())
        .replace("{year}", "2099")
        .replace("{token}", &t.survey_token)
        .replace("{number}", &t.case_number)
        .replace("{clock}", "contact.contact")
        .replace("{action}", action)
        .replace("{code}", &code)
        .replace("{id}", &id.to_string());
    url.push_str(&match path {
        "/api/v1/insight/satisfaction"
        | "/api/v1/insight/curve"
        | "/api/v1/insight/observations" => {
            format!("?halls={}", t.code)
        }
        "/api/v1/calendar/is-workday" => "?date=2026-02-14".into(),
        "/api/v1/calendar/add" => "?from=2026-02-14T09:00:00%2B08:00&working_days=3".into(),
        "/api/v1/calendar/between" => {
            "?from=2026-02-14T09:00:00%2B08:00&to=2026-02-24T09:00:00%2B08:00".into()
        }
        "/api/v1/halls/{hall}/search" => "?q=交接".into(),
        "/api/v1/halls/{hall}/cases" if method == "get" => "?view=open".into(),
        "/api/v1/public/cases/{number}" => "?phone4=1111".into(),
        "/api/v1/feedback/imports" if method == "post" => "?source=survey&file_name=m.csv".into(),
        _ => String::new(),
    });
    let j = |v: Value| Body::Json(v);
    let body = match (method, path) {
        ("post", "/api/v1/session") => j(json!({"username": "guide", "password": PASSWORD})),
        ("post", "/api/v1/halls/{hall}/tickets") => j(json!({"business_type": "payment"})),
        ("post", "/api/v1/counters/{counter}/{action}") => j(json!({"reason": "午休"})),
        ("post", "/api/v1/tickets/{id}/rating") => j(json!({"level": 5})),
        ("post", "/api/v1/halls/{hall}/cases") => j(complaint("王五")),
        ("post", "/api/v1/cases/{id}/clocks/{clock}/{action}") => {
            j(json!({"reason": "等待客户补充资料"}))
        }
        ("post", "/api/v1/cases/{id}/documents") => j(json!({"name": "身份证"})),
        ("post", "/api/v1/cases/{id}/documents/upload") => {
            let (ct, b) = multipart("id.pdf", PDF);
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/cases/{id}/documents/{doc}/supersede") => {
            j(json!({"reason": "重新上传"}))
        }
        ("post", "/api/v1/cases/{id}/handover") => {
            j(json!({"to_badge": "DL002", "reason": "轮休交接"}))
        }
        ("post", "/api/v1/cases/{id}/callback") => j(json!({"reached": true, "satisfied": true})),
        ("post", "/api/v1/halls/{hall}/catalogue/versions") => j(t.catalogue_entry.clone()),
        ("post", "/api/v1/halls/{hall}/catalogue/import") => {
            Body::Raw("application/yaml", b"business_types: [".to_vec())
        }
        ("post", "/api/v1/halls/{hall}/notices") => {
            j(json!({"business_type": "payment", "class": "resident", "contact": "13900003333"}))
        }
        ("post", "/api/v1/halls/{hall}/visits") => j(
            json!({"business_type": "payment", "class": "resident", "contact": "13900003333", "outcome": "completed"}),
        ),
        ("post", "/api/v1/public/tickets/{code}/rating") => j(json!({"level": 5})),
        ("post", "/api/v1/feedback/imports") => Body::Raw(
            "text/csv",
            "来源编号,营业厅编码,评价时间,评价等级,业务类型,触点,不满意原因,客户意见,联系电话\n"
                .as_bytes()
                .to_vec(),
        ),
        ("put", "/api/v1/halls/{hall}/feedback/settings") => j(t.feedback_settings.clone()),
        ("post", "/api/v1/feedback/flags/{id}/finding") => {
            j(json!({"finding": "dismissed", "note": "矩阵核查"}))
        }
        ("put", "/api/v1/insight/settings") => j(w.insight_settings.clone()),
        ("post", "/api/v1/halls/{hall}/observations") => {
            j(crate::http::insight::observation(t.counter, None))
        }
        ("post", "/api/v1/halls/{hall}/standards") => j(
            json!({"category": "hall_rules", "title": "矩阵制度", "body": "一、", "audience": ["clerk"]}),
        ),
        ("put", "/api/v1/standards/{id}/draft") => {
            j(json!({"title": "交接班制度（修订）", "body": "二、", "audience": ["clerk"]}))
        }
        ("post", "/api/v1/standards/{id}/publish") => j(json!({"effective_from": "2099-01-01"})),
        ("post", "/api/v1/calendar/years") => j(json!({"text": "not a calendar"})),
        ("post", "/api/v1/regions") => j(json!({"code": "LN-NEW", "name_zh": "新区"})),
        ("put", "/api/v1/regions/{id}") => j(json!({"code": "LN-SP", "name_zh": "备用"})),
        ("put", "/api/v1/halls/{id}/region") => j(json!({"region_id": t.region})),
        ("put", "/api/v1/staff/{id}/region") => j(json!({"region_id": w.dl_region})),
        ("post", "/api/v1/surveys") => {
            let mut b = survey_body();
            b["title"] = json!("办电体验");
            b["business_type_ids"] = json!(w.survey_business_types);
            j(b)
        }
        ("post", "/api/v1/surveys/{id}/active") => j(json!({"active": true})),
        ("post", "/api/v1/public/surveys/{token}") => j(json!({"values": {"wait": 4, "nps": 9}})),
        ("put", "/api/v1/halls/{hall}/case-config/settings") => j(t.case_settings.clone()),
        ("put", "/api/v1/halls/{hall}/case-config/process") => {
            j(json!({"kind": "complaint", "process": t.complaint_process}))
        }
        _ => Body::None,
    };
    Req { url, body }
}

fn survey_body() -> Value {
    json!({
        "title": "缴费体验",
        "trigger": "business_type",
        "window_hours": 24,
        "items": [
            {"key": "wait", "kind": "level", "text": "等候时间", "touchpoint": "waiting", "dimension": "efficiency"},
            {"key": "nps", "kind": "recommend", "text": "推荐"}
        ]
    })
}

/// A clerk of `hall_id` (username `user`), signed in and on duty at `counter`.
async fn clerk_of(app: &App, hall_id: i64, counter: i64, user: &str, badge: &str) -> Session {
    app.store
        .create_staff(
            &StaffInput {
                hall_id: Some(hall_id),
                username: user.into(),
                name: "沈柜员".into(),
                badge_no: badge.into(),
                role: Role::Clerk,
                photo: String::new(),
                active: true,
            },
            password_hash(),
        )
        .await
        .unwrap();
    let s = app.login(user).await;
    app.post(
        &format!("/api/v1/counters/{counter}/open"),
        Auth::Person(&s),
        None,
    )
    .await
    .expect(200);
    s
}

/// A further hall `code` with a payment business and counter 1: (hall, counter, payment).
async fn small_hall(app: &App, code: &str) -> (i64, i64, i64) {
    let hall = app
        .store
        .create_hall(&hall_input(code, "大连旅顺营业厅"))
        .await
        .unwrap();
    let bt = app
        .store
        .create_business_type(
            hall.id,
            &BusinessTypeInput {
                code: "payment".into(),
                name_zh: "电费缴纳".into(),
                name_en: "Bill payment".into(),
                prefix: "A".into(),
                target_wait_s: 900,
                target_handling_s: 300,
                is_payment: true,
                sort_order: 0,
                active: true,
            },
        )
        .await
        .unwrap();
    let counter = app
        .store
        .create_counter(
            hall.id,
            &CounterInput {
                number: 1,
                primary: vec![bt.id],
                secondary: vec![],
            },
        )
        .await
        .unwrap();
    (hall.id, counter.id, bt.id)
}

/// What the rule cannot know about the object: a clerk works only the cases they own and
/// the counter they staff; a hand-over is accepted only by the person it goes to.
fn object_facts(rule: &Access, actor: &Actor, t: &Target) -> bool {
    let clerk = actor.kind == ActorKind::Person(Role::Clerk);
    match rule {
        Access::CaseWork | Access::CounterWork if clerk => actor.staff_id == Some(t.worker),
        Access::CaseHandoverTarget => actor.staff_id.is_some() && actor.staff_id == t.handover_to,
        _ => true,
    }
}

/// Operations that change what later calls may find run after the others, and signing out
/// after everything (per actor, at the very end).
fn late(method: &str, path: &str) -> u8 {
    match (method, path) {
        ("delete", "/api/v1/session") => 3,
        ("post", "/api/v1/cases/{id}/close")
        | ("post", "/api/v1/cases/{id}/handover/accept")
        | ("post", "/api/v1/cases/{id}/documents/{doc}/supersede")
        | ("delete", "/api/v1/regions/{id}") => 2,
        ("post", "/api/v1/standards/{id}/publish")
        | ("post", "/api/v1/feedback/flags/{id}/finding") => 1,
        _ => 0,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_role_as_its_rule_says() {
    let config = WebConfig {
        limits: servicehall_web::limits::Limits::off(),
        ..Default::default()
    };
    let app = App::start_with(sqlite_store().await, 3, config).await;
    let fx = &app.fx;
    let (own_hall, other_hall) = (fx.hall.id, fx.other_hall.id);

    // The region tree: LN → {LN-DL: DL-XH and DL-LS, LN-SY: SY-TX}, and a spare city for
    // the region routes to change. The region supervisor is limited to LN-DL.
    let (near_hall, near_counter, near_payment) = small_hall(&app, "DL-LS").await;
    let admin = app.above_halls("m_admin", Role::Admin).await;
    let mk = |code: &str, parent: Option<i64>| json!({"code": code, "name_zh": code, "parent_id": parent});
    let region = |body: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            id(&app
                .post("/api/v1/regions", Auth::Person(admin), Some(body))
                .await
                .expect(201))
        }
    };
    let ln = region(mk("LN", None)).await;
    let dl = region(mk("LN-DL", Some(ln))).await;
    let sy = region(mk("LN-SY", Some(ln))).await;
    let spare = region(mk("LN-SP", Some(ln))).await;
    let put = |path: String, body: Value| {
        let app = &app;
        let admin = &admin;
        async move {
            let r = App::send(
                app.request(Method::PUT, &path, Auth::Person(admin))
                    .json(&body),
            )
            .await;
            assert_eq!(r.status, 204, "{path}: {}", r.text);
        }
    };
    put(
        format!("/api/v1/halls/{own_hall}/region"),
        json!({"region_id": dl}),
    )
    .await;
    put(
        format!("/api/v1/halls/{other_hall}/region"),
        json!({"region_id": sy}),
    )
    .await;
    put(
        format!("/api/v1/halls/{near_hall}/region"),
        json!({"region_id": dl}),
    )
    .await;
    let sup = app.above_halls("m_sup", Role::Supervisor).await;
    let rsup = app.above_halls("m_rsup", Role::Supervisor).await;
    let rsup_id = rsup.staff["id"].as_i64().unwrap();
    put(
        format!("/api/v1/staff/{rsup_id}/region"),
        json!({"region_id": dl}),
    )
    .await;

    // Hall staff: clerk1 on duty at counter 1 of DL-XH; a clerk on duty in each other hall.
    let clerk = app.clerk_on_duty(1).await;
    let manager = app.login("manager").await;
    let guide = app.login("guide").await;
    // clerk2: same hall, not on duty, owns no case.
    let clerk2 = app.login("clerk2").await;
    let syclerk = clerk_of(&app, other_hall, fx.other_counter.id, "syclerk", "SY001").await;
    let lsclerk = clerk_of(&app, near_hall, near_counter, "lsclerk", "LS001").await;

    // One survey for the payment business of both halls.
    let own_payment = fx.bt[0].id;
    let other_payment = app
        .store
        .business_types(other_hall)
        .await
        .unwrap()
        .iter()
        .find(|b| b.code == "payment")
        .unwrap()
        .id;
    let mut sb = survey_body();
    let survey_business_types = vec![own_payment, near_payment, other_payment];
    sb["business_type_ids"] = json!(survey_business_types);
    let survey = id(&app
        .post("/api/v1/surveys", Auth::Person(&admin), Some(sb))
        .await
        .expect(201));
    let insight_settings = app
        .get("/api/v1/insight/settings", Auth::Person(&admin))
        .await
        .expect(200);

    let c1 = fx.counter(1).id;
    let manager_id = manager.staff["id"].as_i64().unwrap();
    let own = target(
        &app,
        "own hall",
        own_hall,
        &fx.hall.code,
        c1,
        &clerk,
        &admin,
        Some(&fx.manager.badge_no),
        Some(manager_id),
        dl,
    )
    .await;
    let near = target(
        &app,
        "other hall, same region",
        near_hall,
        "DL-LS",
        near_counter,
        &lsclerk,
        &admin,
        None,
        None,
        dl,
    )
    .await;
    let other = target(
        &app,
        "other region",
        other_hall,
        &fx.other_hall.code,
        fx.other_counter.id,
        &syclerk,
        &admin,
        None,
        None,
        sy,
    )
    .await;
    let world = World {
        spare_region: spare,
        region_supervisor: rsup_id,
        dl_region: dl,
        survey,
        survey_business_types,
        insight_settings,
    };

    // The actors.
    let person =
        |s: &Session, role: Role, hall: Option<i64>, region_halls: Option<Vec<i64>>| Actor {
            kind: ActorKind::Person(role),
            hall_id: hall,
            counter_id: None,
            staff_id: s.staff["id"].as_i64(),
            region_halls,
        };
    let device = |kind: DeviceKind, counter: Option<i64>| Actor {
        kind: ActorKind::Device(kind),
        hall_id: Some(own_hall),
        counter_id: counter,
        staff_id: None,
        region_halls: None,
    };
    let mut actors = vec![Who {
        name: "anonymous",
        cred: Cred::Anon,
        actor: None,
    }];
    for (name, s, role, hall, region_halls) in [
        ("administrator", &admin, Role::Admin, None, None),
        ("supervisor", &sup, Role::Supervisor, None, None),
        (
            "region supervisor",
            &rsup,
            Role::Supervisor,
            None,
            Some(vec![own_hall, near_hall]),
        ),
        (
            "hall manager",
            &manager,
            Role::HallManager,
            Some(own_hall),
            None,
        ),
        ("clerk", &clerk, Role::Clerk, Some(own_hall), None),
        ("other clerk", &clerk2, Role::Clerk, Some(own_hall), None),
        ("guide", &guide, Role::Guide, Some(own_hall), None),
    ] {
        actors.push(Who {
            name,
            actor: Some(person(s, role, hall, region_halls)),
            cred: Cred::Person(s.clone()),
        });
    }
    for (name, kind, counter) in [
        ("kiosk", DeviceKind::Kiosk, None),
        ("display", DeviceKind::Display, None),
        ("evaluator", DeviceKind::Evaluator, Some(c1)),
        ("counter screen", DeviceKind::CounterScreen, Some(c1)),
        ("integration", DeviceKind::Integration, None),
    ] {
        let token = app.device(kind, counter).await;
        actors.push(Who {
            name,
            cred: Cred::Device(token),
            actor: Some(device(kind, counter)),
        });
    }

    // Every operation and its rule.
    let spec = app.get("/api/openapi.json", Auth::Anon).await.expect(200);
    let mut ops = Vec::new();
    let mut unruled = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().unwrap() {
            if reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).is_err()
                || !op.is_object()
            {
                continue;
            }
            let rule = op["security"].as_array().and_then(|reqs| {
                reqs.iter()
                    .find_map(|r| r[SCHEME].as_array()?.first()?.as_str())
            });
            match rule.map(|n| (n, Access::from_name(n))) {
                Some((_, Some(rule))) => ops.push((method.clone(), path.clone(), rule)),
                Some((n, None)) => unruled.push(format!("{method} {path}: unknown rule {n:?}")),
                None => unruled.push(format!(
                    "{method} {path}: no `{SCHEME}` security requirement"
                )),
            }
        }
    }
    assert!(
        unruled.is_empty(),
        "operations without an access rule:\n{}",
        unruled.join("\n")
    );
    assert!(ops.len() > 80, "only {} operations", ops.len());
    // The scheme tells integrators what each rule name means.
    let scheme = &spec["components"]["securitySchemes"][SCHEME];
    let meanings = scheme["description"].as_str().unwrap_or_default();
    for (_, _, rule) in &ops {
        let name = format!("`{}`", rule.name());
        assert!(
            meanings.contains(&name),
            "{name} is not explained in {scheme}"
        );
    }
    ops.sort_by_key(|(m, p, _)| late(m, p));

    let mut mismatches = Vec::new();
    let mut requests = 0;
    // Allowed answers that are not 2xx (409 on a finished ticket, 422 on a bad value …),
    // printed so that a reader can check the world is realistic enough.
    let mut refused_allowed = Vec::new();
    // (allowed and 2xx, allowed and 4xx, denied with 401, denied with 403)
    let mut tally = [0; 4];
    let targets = [&own, &near, &other];
    for (method, path, rule) in &ops {
        let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut calls: Vec<(&Target, Req)> = targets
            .iter()
            .map(|t| (*t, request(method, path, t, &world)))
            .collect();
        // A route about no object of a hall is called once.
        let same = calls
            .iter()
            .all(|(_, r)| r.url == calls[0].1.url && r.body == calls[0].1.body);
        if same {
            calls.truncate(1);
        }
        for (t, req) in &calls {
            let target = if same { "(no hall)" } else { t.name };
            for who in &actors {
                let allowed = match (&who.actor, rule) {
                    (_, Access::Public) => true,
                    (None, _) => false,
                    (Some(actor), rule) => {
                        rule.allows(actor, Some(t.hall_id)) && object_facts(rule, actor, t)
                    }
                };
                let (status, body) = send(&app, m.clone(), req, who.auth()).await;
                requests += 1;
                let expected = if allowed {
                    "not 401/403"
                } else if who.actor.is_none() {
                    "401"
                } else {
                    "403"
                };
                let validated = DENIED_MAY_VALIDATE
                    .iter()
                    .any(|(vm, vp, st, _)| vm == method && vp == path && st.contains(&status));
                let ok = status < 500
                    && if allowed {
                        status != 401 && status != 403
                    } else if who.actor.is_none() {
                        status == 401
                    } else {
                        status == 403 || (validated && status >= 400)
                    };
                let column = match (allowed, status) {
                    (true, 200..=299) => Some(0),
                    (true, _) => Some(1),
                    (false, 401) => Some(2),
                    (false, 403) => Some(3),
                    _ => None,
                };
                if let Some(c) = column {
                    tally[c] += 1;
                }
                if allowed && !(200..300).contains(&status) {
                    let body: String = body.chars().take(100).collect();
                    refused_allowed.push(format!(
                        "{} {} [{}] {} {}: {status} {body}",
                        method.to_uppercase(),
                        req.url,
                        rule.name(),
                        who.name,
                        target,
                    ));
                }
                if !ok {
                    let body: String = body.chars().take(160).collect();
                    mismatches.push(format!(
                        "{} {} [{}] {} {}: expected {expected}, got {status} {body}",
                        method.to_uppercase(),
                        req.url,
                        rule.name(),
                        who.name,
                        target,
                    ));
                }
            }
        }
    }
    if std::env::var_os("ROLE_MATRIX_VERBOSE").is_some() {
        println!("allowed, not 2xx:\n{}", refused_allowed.join("\n"));
    }
    println!(
        "role matrix: {} operations × {} actors × up to {} targets = {requests} requests: allowed {} (2xx) + {} (409/422/404 on the object's state), denied {} (401) + {} (403); {} mismatches",
        ops.len(),
        actors.len(),
        targets.len(),
        tally[0],
        tally[1],
        tally[2],
        tally[3],
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{} of {requests} answers differ from the access rules:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}
