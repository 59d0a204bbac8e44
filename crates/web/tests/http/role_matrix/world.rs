//! The world the role matrix runs in: each hall's objects (tickets, cases, documents,
//! observations, standards, flags, survey links) and the request each operation gets.

use super::*;
use crate::common::{App, Auth, Session, hall_input, password_hash};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::feedback::gaming::{EvidenceTicket, Flag, FlagKind, Subject};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{
    BusinessTypeInput, CounterInput, GamingFlagStore, HallStore, IncidentStore, StaffInput,
};

pub(super) fn complaint(name: &str) -> Value {
    json!({"kind": "complaint", "customer_name": name, "customer_phone": "13900001111", "summary": "排队时间过长"})
}

/// A tiny valid PDF.
pub(super) const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

/// A 2xx answer's JSON body.
#[track_caller]
pub(super) fn ok(r: crate::common::Resp) -> Value {
    assert!(r.status.is_success(), "{}: {}", r.status, r.text);
    r.json()
}

pub(super) fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

/// Sends a request; an event stream's body is not read (it never ends).
pub(super) async fn send(app: &App, m: Method, req: &Req, auth: Auth<'_>) -> (u16, String) {
    let rb = app.request(m, &req.url, auth);
    let rb = match &req.body {
        Body::None => rb,
        Body::Json(v) => rb.json(v),
        Body::Raw(ct, bytes) => rb.header("content-type", ct.as_str()).body(bytes.clone()),
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
pub(super) async fn served_ticket(
    app: &App,
    hall: &str,
    kiosk: &str,
    clerk: &Session,
    counter: i64,
) -> Value {
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
pub(super) async fn target(
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
    let (ct, body) = crate::http::cases::documents::multipart("id.pdf", PDF, "正面");
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
    let inspection_template = app
        .post(
            &format!("/api/v1/halls/{code}/inspection-templates"),
            Auth::Person(admin),
            Some(inspection_template_body()),
        )
        .await
        .expect(201);
    let inspection = app
        .post(
            &format!("/api/v1/halls/{code}/inspections"),
            Auth::Person(admin),
            Some(json!({"template": id(&inspection_template), "subject": "hall"})),
        )
        .await
        .expect(201);
    let (layout, layout_walk) = layout_of(app, hall_id, code, admin).await;
    // 整改: a finding photo on the running inspection and a failed, submitted one's case.
    let (rectification, photo) = crate::http::rectification::world(
        app,
        admin,
        code,
        id(&inspection_template),
        id(&inspection),
    )
    .await;
    // An incident running on the hall's 客流激增 playbook, and a counter's manual entry.
    app.store
        .install_playbooks(
            &servicehall_domain::incidents::shipped::shipped().unwrap(),
            app.now(),
        )
        .await
        .unwrap();
    let incident = app
        .post(
            &format!("/api/v1/halls/{code}/incidents"),
            Auth::Person(admin),
            Some(json!({"kind": "crowd"})),
        )
        .await
        .expect(201);
    let manual_body = manual_entry_body(app, hall_id).await;
    let manual_entry = app
        .post(
            &format!("/api/v1/halls/{code}/manual-entries"),
            Auth::Person(admin),
            Some(manual_body.clone()),
        )
        .await
        .expect(201);
    let worker = clerk.staff["id"].as_i64().expect("clerk id");
    let risk = app
        .post(
            &format!("/api/v1/halls/{code}/risks"),
            Auth::Person(admin),
            Some(risk_body(worker)),
        )
        .await
        .expect(201);
    let customer = app
        .post(
            &format!("/api/v1/halls/{code}/customers"),
            Auth::Person(admin),
            Some(customer_body()),
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
        inspection_template: id(&inspection_template),
        inspection: id(&inspection),
        layout,
        layout_walk,
        rectification,
        photo,
        incident: id(&incident),
        manual_entry: id(&manual_entry),
        manual_body,
        risk: id(&risk),
        customer: id(&customer),
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

/// A manual entry for the hall's first business type.
pub(super) async fn manual_entry_body(app: &App, hall_id: i64) -> Value {
    let bt = app.store.business_types(hall_id).await.unwrap()[0].id;
    json!({"business_type_id": bt, "customer_name": "矩阵客户", "account_no": "0100000001"})
}

/// A 1×1 PNG as a data URL (a staff member's photo).
pub(super) const TINY_PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
/// A one-zone plan whose one item is `door`.
pub(super) fn layout_body() -> Value {
    json!({
        "width": 1000, "height": 600,
        "zones": [{"code": "guide", "name_zh": "引导区", "name_en": "Guide area", "kind": "guide",
            "x": 0, "y": 0, "w": 500, "h": 600}],
        "items": [{"code": "door", "name_zh": "门", "name_en": "Door", "zone": "guide",
            "x": 100, "y": 100, "expected": 1}]
    })
}

/// The hall's layout map (version 1) and a walk running on it: (layout id, walk id).
pub(super) async fn layout_of(app: &App, hall_id: i64, code: &str, admin: &Session) -> (i64, i64) {
    use servicehall_store::LayoutMapStore;
    let layout: servicehall_domain::layout_map::Layout =
        serde_json::from_value(layout_body()).expect("layout body");
    let m = app
        .store
        .save_layout_map(hall_id, &layout, None, app.now())
        .await
        .expect("layout saved");
    let walk = app
        .post(
            &format!("/api/v1/halls/{code}/layout-walks"),
            Auth::Person(admin),
            None,
        )
        .await
        .expect(201);
    (m.id, walk["inspection"]["id"].as_i64().expect("walk id"))
}

/// A risk owned by `owner`.
pub(super) fn risk_body(owner: i64) -> Value {
    json!({
        "code": "RM1", "title": "乱收费", "category": "billing_error", "cause": "标准未更新",
        "event": "多收费", "consequence": "投诉", "owner": owner,
        "inherent": {"likelihood": 3, "impact": 4}, "residual": {"likelihood": 2, "impact": 3},
        "treatment": "reduce"
    })
}

/// A key account of the register.
pub(super) fn customer_body() -> Value {
    json!({
        "account_no": "0102345678", "name": "王秀兰", "phone": "13812341234", "class": "resident",
        "segments": [{"segment": "key_account"}]
    })
}

/// A one-item hall checklist.
pub(super) fn inspection_template_body() -> Value {
    json!({
        "code": "door_check", "name_zh": "门禁检查", "name_en": "Door check", "subject": "hall",
        "sections": [{"key": "door", "title_zh": "门", "title_en": "Door", "items": [
            {"key": "door", "text_zh": "门已上锁", "text_en": "Door locked", "weight": 1}
        ]}]
    })
}

pub(super) fn survey_body() -> Value {
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
pub(super) async fn clerk_of(
    app: &App,
    hall_id: i64,
    counter: i64,
    user: &str,
    badge: &str,
) -> Session {
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
pub(super) async fn small_hall(app: &App, code: &str) -> (i64, i64, i64) {
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
