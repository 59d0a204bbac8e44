//! The world the role matrix runs in: each hall's objects (tickets, cases, documents,
//! observations, standards, flags, survey links) and the request each operation gets.

use super::*;
use crate::common::{App, Auth, PASSWORD, Session, hall_input, password_hash};
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

/// The concrete request for `method path` against target `t`.
pub(super) fn request(method: &str, path: &str, t: &Target, w: &World) -> Req {
    let id = if path.starts_with("/api/v1/cases/") && path.ends_with("/handover/accept") {
        t.handover_case
    } else if path.starts_with("/api/v1/cases/") {
        t.case
    } else if path.starts_with("/api/v1/tickets/") {
        t.ticket
    } else if path.starts_with("/api/v1/observations/") {
        t.observation
    } else if path.starts_with("/api/v1/inspection-templates/") {
        t.inspection_template
    } else if path.starts_with("/api/v1/inspections/") {
        t.inspection
    } else if path.starts_with("/api/v1/layouts/") {
        t.layout
    } else if path.starts_with("/api/v1/layout-walks/") {
        t.layout_walk
    } else if path.starts_with("/api/v1/rectifications/") {
        t.rectification
    } else if path.starts_with("/api/v1/inspection-photos/") {
        t.photo
    } else if path.starts_with("/api/v1/incidents/") {
        t.incident
    } else if path.starts_with("/api/v1/manual-entries/") {
        t.manual_entry
    } else if path.starts_with("/api/v1/risks/") {
        t.risk
    } else if path.starts_with("/api/v1/customers/") {
        t.customer
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
        .replace("{staff}", &t.worker.to_string())
        .replace("{doc}", &t.document.to_string())
        .replace("{year}", "2099")
        .replace("{token}", &t.survey_token)
        .replace("{number}", &t.case_number)
        .replace("{clock}", "contact.contact")
        .replace("{action}", action)
        .replace("{code}", &code)
        .replace("{item}", "door")
        .replace("{case}", &id.to_string())
        .replace("{step}", "triage")
        .replace("{purpose}", "outage_notice")
        .replace("{region}", &t.region.to_string())
        .replace("{id}", &id.to_string());
    url.push_str(&match path {
        "/api/v1/insight/satisfaction"
        | "/api/v1/insight/curve"
        | "/api/v1/insight/observations" => {
            format!("?halls={}", t.code)
        }
        "/api/v1/calendar/is-workday" => "?date=2026-02-14".into(),
        "/api/v1/reports/monthly" => format!("?hall={}&month=2026-01", t.code),
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
            let (ct, b) = crate::http::cases::documents::multipart("id.pdf", PDF, "正面");
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/cases/{id}/documents/{doc}/supersede") => {
            j(json!({"reason": "重新上传"}))
        }
        ("post", "/api/v1/cases/{id}/handover") => {
            j(json!({"to_badge": "DL002", "reason": "轮休交接"}))
        }
        ("post", "/api/v1/cases/{id}/callback") => j(json!({"reached": true, "satisfied": true})),
        ("post", "/api/v1/cases/{id}/callback/schedule") => {
            j(json!({"at": "2030-01-02 10:00", "note": "客户上午方便"}))
        }
        ("post", "/api/v1/halls/{hall}/catalogue/versions") => j(t.catalogue_entry.clone()),
        ("post", "/api/v1/halls/{hall}/catalogue/import") => {
            Body::Raw("application/yaml".into(), b"business_types: [".to_vec())
        }
        ("post", "/api/v1/halls/{hall}/notices") => {
            j(json!({"business_type": "payment", "class": "resident", "contact": "13900003333"}))
        }
        ("post", "/api/v1/halls/{hall}/visits") => j(
            json!({"business_type": "payment", "class": "resident", "contact": "13900003333", "outcome": "completed"}),
        ),
        ("post", "/api/v1/public/tickets/{code}/rating") => j(json!({"level": 5})),
        ("post", "/api/v1/feedback/imports") => Body::Raw(
            "text/csv".into(),
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
        ("post", "/api/v1/halls/{hall}/inspection-templates") => j(inspection_template_body()),
        ("post", "/api/v1/halls/{hall}/risks")
        | ("put", "/api/v1/risks/{id}")
        | ("post", "/api/v1/regions/{region}/risks") => j(risk_body(t.worker)),
        ("post", "/api/v1/halls/{hall}/customers") | ("put", "/api/v1/customers/{id}") => {
            j(customer_body())
        }
        ("post", "/api/v1/customers/{id}/reveal") => j(json!({"reason": "矩阵核查原因"})),
        ("post", "/api/v1/customers/{id}/consents") => {
            j(json!({"purpose": "outage_notice", "channel": "sms"}))
        }
        ("post", "/api/v1/customers/{id}/consents/{purpose}/withdraw") => j(json!({})),
        ("post", "/api/v1/halls/{hall}/customers/recognise") => j(json!({"account": "0102345678"})),
        ("put", "/api/v1/halls/{hall}/risk-matrix")
        | ("put", "/api/v1/regions/{region}/risk-matrix") => j(json!({"bands": [
            {"key": "low", "name_zh": "低", "name_en": "Low", "min_score": 1, "colour": "#d7ecd9", "review_days": 365},
            {"key": "high", "name_zh": "高", "name_en": "High", "min_score": 10, "colour": "#ffd3a8", "review_days": 90}
        ]})),
        ("post", "/api/v1/halls/{hall}/kris") => {
            j(json!({"risk": t.risk, "measure": "complaints", "amber": 1, "red": 2}))
        }
        ("post", "/api/v1/halls/{hall}/inspections") => {
            j(json!({"template": t.inspection_template, "subject": "hall"}))
        }
        ("post", "/api/v1/inspections/{id}/items/{item}") => j(json!({"result": "pass"})),
        ("put", "/api/v1/halls/{hall}/inspection-schedule") => j(json!({"pre_shift_mode": "warn",
            "pre_shift": ["08:00", "08:30"], "opening": ["08:00", "08:30"], "midday": ["12:00", "13:30"],
            "closing": ["17:30", "18:30"], "grace_min": 30})),
        ("put", "/api/v1/halls/{hall}/layout") => j(layout_body()),
        ("put", "/api/v1/layout-walks/{id}/findings/{item}") => j(json!({"finding": "in_place"})),
        ("put", "/api/v1/halls/{hall}/layout/items/{item}/photo") => j(json!({"photo": TINY_PNG})),
        ("post", "/api/v1/inspections/{id}/items/{item}/photos")
        | ("post", "/api/v1/rectifications/{case}/photos") => {
            let (ct, b) =
                crate::http::rectification::photo_form(&crate::http::rectification::png());
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/rectifications/{case}/fix") => j(json!({"note": "已整改"})),
        ("post", "/api/v1/rectifications/{case}/verify") => {
            j(json!({"verdict": "reopen", "note": "矩阵核查"}))
        }
        ("post", "/api/v1/halls/{hall}/incidents") => j(json!({"kind": "medical"})),
        ("post", "/api/v1/incidents/{id}/review") => j(json!({
            "cause": "矩阵核查",
            "actions": [{"text": "复核", "owner_id": t.worker,
                "due_at": chrono::Utc::now().timestamp_millis() + 7 * 86_400_000}]
        })),
        ("post", "/api/v1/manual-entries/{id}/back-enter") => j(json!({"back_ref": "YX0001"})),
        ("post", "/api/v1/halls/{hall}/manual-entries") => j(t.manual_body.clone()),
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
        ("put", "/api/v1/halls/{hall}/staff/{staff}/photo") => j(json!({"photo": TINY_PNG})),
        ("put", "/api/v1/halls/{hall}/case-config/settings") => j(t.case_settings.clone()),
        ("put", "/api/v1/halls/{hall}/case-config/process") => {
            j(json!({"kind": "complaint", "process": t.complaint_process}))
        }
        ("put", "/api/v1/regions/{id}/scorecard-schemes/{level}") => {
            j(json!({"lines": [], "deduction_per_violation": 2, "deduction_cap": 10}))
        }
        ("post", "/api/v1/halls/{hall}/appeals") => {
            j(json!({"month": "2026-01", "reason": "矩阵"}))
        }
        ("post", "/api/v1/appeals/{id}/decide") => j(json!({"accept": false, "reason": "矩阵"})),
        ("post", "/api/v1/halls/{hall}/appeals/{id}/evidence") => {
            let (ct, b) = crate::http::cases::documents::multipart("e.pdf", PDF, "");
            Body::Raw(ct, b)
        }
        ("post", "/api/v1/halls/{hall}/appointments") => j(
            json!({"business_type": "payment", "date": "2099-01-05", "time": "10:00", "phone": "13900005555"}),
        ),
        ("put", "/api/v1/halls/{hall}/appointment-settings") => j(json!({"enabled": true,
            "bookable_share_pct": 30, "manual_capacity": null, "grace_min": 10, "no_show_limit": 3,
            "days_ahead": 7})),
        ("post", "/api/v1/public/halls/{hall}/verify-phone") => j(json!({"phone": "13900005555"})),
        ("post", "/api/v1/public/halls/{hall}/appointments") => {
            j(json!({"business_type": "payment",
            "date": "2099-01-05", "time": "10:00", "phone": "13900005555", "phone_code": "000000"}))
        }
        ("put", "/api/v1/public/appointments/{code}") => {
            j(json!({"date": "2099-01-05", "time": "10:00"}))
        }
        _ => Body::None,
    };
    Req { url, body }
}

/// A manual entry for the hall's first business type.
async fn manual_entry_body(app: &App, hall_id: i64) -> Value {
    let bt = app.store.business_types(hall_id).await.unwrap()[0].id;
    json!({"business_type_id": bt, "customer_name": "矩阵客户", "account_no": "0100000001"})
}

/// A 1×1 PNG as a data URL (a staff member's photo).
pub(super) const TINY_PNG: &str = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
/// A one-zone plan whose one item is `door`.
fn layout_body() -> Value {
    json!({
        "width": 1000, "height": 600,
        "zones": [{"code": "guide", "name_zh": "引导区", "name_en": "Guide area", "kind": "guide",
            "x": 0, "y": 0, "w": 500, "h": 600}],
        "items": [{"code": "door", "name_zh": "门", "name_en": "Door", "zone": "guide",
            "x": 100, "y": 100, "expected": 1}]
    })
}

/// The hall's layout map (version 1) and a walk running on it: (layout id, walk id).
async fn layout_of(app: &App, hall_id: i64, code: &str, admin: &Session) -> (i64, i64) {
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
fn risk_body(owner: i64) -> Value {
    json!({
        "code": "RM1", "title": "乱收费", "category": "billing_error", "cause": "标准未更新",
        "event": "多收费", "consequence": "投诉", "owner": owner,
        "inherent": {"likelihood": 3, "impact": 4}, "residual": {"likelihood": 2, "impact": 3},
        "treatment": "reduce"
    })
}

/// A key account of the register.
fn customer_body() -> Value {
    json!({
        "account_no": "0102345678", "name": "王秀兰", "phone": "13812341234", "class": "resident",
        "segments": [{"segment": "key_account"}]
    })
}

/// A one-item hall checklist.
fn inspection_template_body() -> Value {
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
