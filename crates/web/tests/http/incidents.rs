//! Incidents over HTTP: the playbooks listed by code, a 停电 declared by the hall manager with
//! its `incident` event on the hall's stream and its announcement on the public status, steps
//! ticked by their roles, the close that ends the announcement, the review's action cases;
//! and the counters' manual entries of a business-system outage, counted once in the served
//! figures and marked; the kiosk's reduced set refused by the issue API, not the guide desk.

use crate::common::{App, Auth, open_events};
use serde_json::json;
use servicehall_domain::DeviceKind;
use servicehall_domain::incidents::shipped::shipped;
use servicehall_store::IncidentStore;
use servicehall_web::clock::ManualClock;
use std::time::Duration;

async fn with_playbooks() -> App {
    let app = App::start_with_clock(ManualClock::at(1_780_000_000_000)).await;
    app.store
        .install_playbooks(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    app
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_power_cut_is_announced_ticked_closed_and_reviewed() {
    let app = with_playbooks().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();

    let list = app.get("/api/v1/playbooks", m).await.expect(200);
    let codes: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["code"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        codes,
        [
            "outage",
            "business_system",
            "crowd",
            "conflict",
            "medical",
            "fire"
        ]
    );
    assert_eq!(list[0]["name_zh"], "营业厅停电");
    assert_eq!(list[0]["steps"][0]["role"], "manager");

    // Clerks and guides do not declare.
    let clerk = app.clerk_on_duty(1).await;
    let guide = app.login("guide").await;
    let declare = format!("/api/v1/halls/{hall}/incidents");
    app.post(
        &declare,
        Auth::Person(&clerk),
        Some(json!({"kind": "outage"})),
    )
    .await
    .problem(403);
    let p = app
        .post(&declare, m, Some(json!({"kind": "flood"})))
        .await
        .problem(422);
    assert!(p.contains("flood") && p.contains("没有"), "{p}");

    let display = app.device(DeviceKind::Display, None).await;
    let mut feed = open_events(&app, &display, None).await;
    let i = app
        .post(
            &declare,
            m,
            Some(json!({"kind": "outage", "note": "北区线路跳闸"})),
        )
        .await
        .expect(201);
    let id = i["id"].as_i64().unwrap();
    assert_eq!(i["state"], "active");
    assert_eq!(i["steps"].as_array().unwrap().len(), 5);
    assert_eq!(i["steps"][1]["status"], "pending");
    let ev = feed
        .wait_for(Duration::from_secs(1), |e| e.event == "incident")
        .await
        .expect("an incident event within 1 s");
    assert_eq!(ev.json()["payload"]["state"], "declared");
    assert_eq!(ev.json()["payload"]["id"], id);
    // The same kind twice: 409.
    app.post(&declare, m, Some(json!({"kind": "outage"})))
        .await
        .problem(409);

    // The public status and the announcements carry it, without signing in.
    let st = app
        .get(&format!("/api/v1/public/halls/{hall}/status"), Auth::Anon)
        .await
        .expect(200);
    assert!(
        st["announcements"][0]["text_zh"]
            .as_str()
            .unwrap()
            .contains("停电")
    );
    assert_eq!(st["announcements"][0]["kiosk"], "notice");
    let a = app
        .get(
            &format!("/api/v1/public/halls/{hall}/announcements"),
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(a["known"], id.to_string());

    // Steps: the guide ticks the guide's step, not the manager's; a clerk not the guide's.
    let steps = format!("/api/v1/incidents/{id}/steps");
    let p = app
        .post(
            &format!("{steps}/confirm_scope/done"),
            Auth::Person(&guide),
            None,
        )
        .await
        .problem(409);
    assert!(p.contains("值班长") && p.contains("hall manager"), "{p}");
    app.post(
        &format!("{steps}/guide_customers/done"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(409);
    let after = app
        .post(
            &format!("{steps}/guide_customers/done"),
            Auth::Person(&guide),
            None,
        )
        .await
        .expect(200);
    assert_eq!(after["steps"][1]["status"], "done");
    assert_eq!(after["steps"][1]["done_by"], app.fx.guide.name.as_str());
    app.post(
        &format!("{steps}/guide_customers/done"),
        Auth::Person(&guide),
        None,
    )
    .await
    .problem(409);
    // The manager may tick any step; time passes and one turns overdue.
    app.post(&format!("{steps}/counters_manual/done"), m, None)
        .await
        .expect(200);
    app.clock().advance(20 * 60_000);
    let now = app
        .get(&format!("/api/v1/incidents/{id}"), m)
        .await
        .expect(200);
    assert_eq!(now["steps"][0]["status"], "overdue");
    assert_eq!(now["steps"][3]["status"], "overdue");
    assert_eq!(now["overdue"], 2);
    assert!(now["steps"][3]["seconds_left"].as_i64().unwrap() < 0);

    // A long poll with what the screen knows wakes at the close.
    let url = app.url(&format!(
        "/api/v1/public/halls/{hall}/announcements?known={id}"
    ));
    let waiting = tokio::spawn(async move {
        let t = std::time::Instant::now();
        let body: serde_json::Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        (body, t.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    // The review waits for the close.
    app.post(
        &format!("/api/v1/incidents/{id}/review"),
        m,
        Some(json!({"cause": "x", "actions": []})),
    )
    .await
    .problem(409);
    app.post(
        &format!("/api/v1/incidents/{id}/close"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .problem(403);
    let closed = app
        .post(&format!("/api/v1/incidents/{id}/close"), m, None)
        .await
        .expect(200);
    assert_eq!(closed["state"], "closed");
    let (body, took) = waiting.await.unwrap();
    assert_eq!(body["announcements"].as_array().unwrap().len(), 0);
    assert!(took < Duration::from_secs(5), "{took:?}");
    let ev = feed
        .wait_for(Duration::from_secs(1), |e| {
            e.event == "incident" && e.json()["payload"]["state"] == "closed"
        })
        .await
        .expect("the close on the stream");
    assert_eq!(ev.json()["payload"]["id"], id);
    let st = app
        .get(&format!("/api/v1/public/halls/{hall}/status"), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(st["announcements"].as_array().unwrap().len(), 0);

    // The review: 422 naming what to fix, then each action a case.
    let review = format!("/api/v1/incidents/{id}/review");
    let due = app.now() + 7 * 86_400_000;
    let p = app
        .post(
            &review,
            m,
            Some(json!({"cause": " ", "actions": [{"text": "a", "owner_id": app.fx.manager.id, "due_at": due}]})),
        )
        .await
        .problem(422);
    assert!(p.contains("原因") && p.contains("cause"), "{p}");
    // The risk named must be one of the hall's register.
    let body = json!({
        "cause": "市政施工挖断电缆",
        "risk_code": "R-OPS-03",
        "actions": [{"text": "加装 UPS", "owner_id": app.fx.manager.id, "due_at": due}]
    });
    let p = app.post(&review, m, Some(body)).await.problem(422);
    assert!(p.contains("R-OPS-03") && p.contains("register"), "{p}");
    app.post(
        &format!("/api/v1/halls/{}/risks", app.fx.hall.code),
        m,
        Some(json!({
            "code": "R-OPS-03", "title": "停电后客户聚集", "category": "outage",
            "cause": "计划外停电", "event": "客户聚集大厅", "consequence": "投诉与舆情",
            "owner": app.fx.manager.id,
            "inherent": {"likelihood": 3, "impact": 4}, "residual": {"likelihood": 2, "impact": 3},
            "treatment": "reduce"
        })),
    )
    .await
    .expect(201);
    let r = app
        .post(
            &review,
            m,
            Some(json!({
                "cause": "市政施工挖断电缆",
                "risk_code": "R-OPS-03",
                "actions": [{"text": "加装 UPS", "owner_id": app.fx.manager.id, "due_at": due}]
            })),
        )
        .await
        .expect(200);
    assert_eq!(r["state"], "reviewed");
    assert_eq!(r["review"]["risk_code"], "R-OPS-03");
    let case_id = r["review"]["actions"][0]["case_id"].as_i64().unwrap();
    let case = app
        .get(&format!("/api/v1/cases/{case_id}"), m)
        .await
        .expect(200);
    assert_eq!(case["kind"], "incident_action", "{case}");
    let list = app
        .get(
            &format!("/api/v1/halls/{hall}/incidents"),
            Auth::Person(&guide),
        )
        .await
        .expect(200);
    assert_eq!(list[0]["state"], "reviewed");
}

#[tokio::test]
async fn counters_record_by_hand_and_back_enter_later() {
    let app = with_playbooks().await;
    let manager = app.login("manager").await;
    let clerk = app.clerk_on_duty(1).await;
    let c = Auth::Person(&clerk);
    let hall = app.fx.hall.code.clone();
    let i = app
        .post(
            &format!("/api/v1/halls/{hall}/incidents"),
            Auth::Person(&manager),
            Some(json!({"kind": "business_system"})),
        )
        .await
        .expect(201);
    assert_eq!(i["manual_entries"], true);
    let url = format!("/api/v1/halls/{hall}/manual-entries");
    let body = |name: &str, account: &str| {
        json!({"business_type_id": app.fx.bt[0].id, "counter_id": app.fx.counter(1).id,
               "customer_name": name, "account_no": account, "amount_fen": 12350})
    };
    let p = app
        .post(&url, c, Some(body("王女士", "")))
        .await
        .problem(422);
    assert!(p.contains("户号") && p.contains("account"), "{p}");
    let a = app
        .post(&url, c, Some(body("王女士", "0101234567")))
        .await
        .expect(201);
    assert_eq!(a["incident_id"], i["id"]);
    app.post(&url, c, Some(body("李先生", "0107654321")))
        .await
        .expect(201);
    // Guides and supervisors do not work counters.
    let guide = app.login("guide").await;
    app.post(&url, Auth::Person(&guide), Some(body("x", "1")))
        .await
        .problem(403);

    let today = app.get(&url, c).await.expect(200);
    assert_eq!(today["entries"].as_array().unwrap().len(), 2);
    assert_eq!(
        (today["pending"].as_u64(), today["amount_fen"].as_i64()),
        (Some(2), Some(24700))
    );
    let id = a["id"].as_i64().unwrap();
    let back = format!("/api/v1/manual-entries/{id}/back-enter");
    app.post(&back, c, Some(json!({"back_ref": " "})))
        .await
        .problem(422);
    let done = app
        .post(&back, c, Some(json!({"back_ref": "YX20261206001"})))
        .await
        .expect(200);
    assert_eq!(done["back_ref"], "YX20261206001");
    app.post(&back, c, Some(json!({"back_ref": "again"})))
        .await
        .problem(409);
    let pending = app.get(&format!("{url}?pending=true"), c).await.expect(200);
    assert_eq!(pending["entries"].as_array().unwrap().len(), 1);
    assert_eq!(pending["entries"][0]["customer_name"], "李先生");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reduced_kiosk_refuses_other_businesses_but_the_guide_desk_issues() {
    let app = with_playbooks().await;
    let manager = app.login("manager").await;
    let guide = app.login("guide").await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let hall = app.fx.hall.code.clone();
    let tickets = format!("/api/v1/halls/{hall}/tickets");
    let body = |code: &str| Some(json!({"business_type": code, "another": true}));
    // Before the incident the kiosk issues any business.
    app.post(&tickets, Auth::Device(&kiosk), body("new_connection"))
        .await
        .expect(201);
    let i = app
        .post(
            &format!("/api/v1/halls/{hall}/incidents"),
            Auth::Person(&manager),
            Some(json!({"kind": "business_system"})),
        )
        .await
        .expect(201);
    // 营销系统故障 keeps 缴费 and 咨询 on the kiosk.
    let p = app
        .post(&tickets, Auth::Device(&kiosk), body("new_connection"))
        .await
        .problem(409);
    assert!(
        p.contains("营销系统故障")
            && p.contains("电费缴纳、咨询")
            && p.contains("Business system down"),
        "{p}"
    );
    app.post(&tickets, Auth::Device(&kiosk), body("payment"))
        .await
        .expect(201);
    // The guide desk triages and still issues it.
    app.post(&tickets, Auth::Person(&guide), body("new_connection"))
        .await
        .expect(201);
    let id = i["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/incidents/{id}/close"),
        Auth::Person(&manager),
        None,
    )
    .await
    .expect(200);
    app.post(&tickets, Auth::Device(&kiosk), body("new_connection"))
        .await
        .expect(201);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manual_entries_count_as_served_once_and_are_marked() {
    let app = with_playbooks().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let clerk = app.clerk_on_duty(1).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let hall = app.fx.hall.code.clone();
    app.post(
        &format!("/api/v1/halls/{hall}/incidents"),
        m,
        Some(json!({"kind": "business_system"})),
    )
    .await
    .expect(201);
    let url = format!("/api/v1/halls/{hall}/manual-entries");
    let entry = json!({"business_type_id": app.fx.bt[0].id, "counter_id": app.fx.counter(1).id,
                       "customer_name": "王女士", "account_no": "0101234567", "amount_fen": 12350});
    // A customer taken at the counter with no ticket: a visit of its own.
    app.post(&url, Auth::Person(&clerk), Some(entry.clone()))
        .await
        .expect(201);
    app.clock().advance(60_000);
    // A ticket called and recorded by hand while it is served: the same visit, once.
    app.issue(Auth::Device(&kiosk), "payment").await;
    let t = app
        .call_next(&clerk, 1)
        .await
        .expect("the ticket is called");
    app.clock().advance(10_000);
    app.post(&url, Auth::Person(&clerk), Some(entry))
        .await
        .expect(201);
    app.clock().advance(10_000);
    app.serve_and_finish(&clerk, t["id"].as_i64().unwrap())
        .await;

    let s = app
        .get(&format!("/api/v1/halls/{hall}/stats/today"), m)
        .await
        .expect(200);
    assert_eq!(
        (
            s["figures"]["served"].as_i64(),
            s["figures"]["manual"].as_i64()
        ),
        (Some(2), Some(2)),
        "{s}"
    );
    let p = app
        .get(&format!("/api/v1/halls/{hall}/stats/counters"), m)
        .await
        .expect(200);
    let c1 = p["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["counter"]["id"] == app.fx.counter(1).id)
        .unwrap();
    assert_eq!(
        (
            c1["today"]["served"].as_i64(),
            c1["today"]["manual"].as_i64()
        ),
        (Some(2), Some(2)),
        "{c1}"
    );
    let k1 = p["clerks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["badge_no"] == "DL001")
        .unwrap();
    assert_eq!(k1["today"]["served"].as_i64(), Some(2), "{k1}");
    // Another counter served nobody by hand.
    let c2 = p["counters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["counter"]["id"] == app.fx.counter(2).id)
        .unwrap();
    assert_eq!(c2["today"]["manual"].as_i64(), Some(0));
    // The indicators library marks the month's manual entries where served is defined.
    let lib = app.get("/indicators", m).await;
    assert_eq!(lib.status, 200, "{}", lib.text);
    assert!(
        lib.text
            .contains("近 12 个月含人工登记 2 笔 · incl. 2 manual entries in the last 12 months"),
        "{}",
        lib.text
    );
}
