//! Cases (工单) over HTTP: a clerk opens a case from a visit and carries it to closure;
//! complaints need the callback; hand-overs are accepted by the new owner; personal data
//! is masked unless the role needs it; the public status page (number + access code) shows
//! the badge only.

pub(crate) mod documents;
mod escalation;
mod live;
mod settings;

use crate::common::{App, Auth};
use serde_json::{Value, json};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{HallStore, StaffInput};

fn id(v: &Value) -> i64 {
    v["id"].as_i64().expect("case id")
}

fn application() -> Value {
    json!({
        "kind": "application",
        "business_type": "new_connection",
        "customer_class": "resident",
        "customer_name": "张三丰",
        "customer_phone": "13812345678",
        "account_no": "0101234567",
        "summary": "居民新装",
    })
}

#[tokio::test]
async fn a_case_from_the_counter_to_closure() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(2).await;
    let hall = app.fx.hall.code.clone();
    let ticket = app.issue(Auth::Device(&kiosk), "new_connection").await;

    let mut body = application();
    body["ticket_id"] = ticket["id"].clone();
    let case = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            Auth::Person(&clerk),
            Some(body),
        )
        .await
        .expect(201);
    let cid = id(&case);
    let number = case["number"].as_str().unwrap().to_string();
    assert!(
        number.starts_with("GD-") && number.ends_with("-0001"),
        "{number}"
    );
    assert_eq!(case["owner"]["badge_no"], "DL002");
    assert_eq!(case["first_inquiry_owner"]["badge_no"], "DL002");
    assert_eq!(case["ticket_id"], ticket["id"]);
    assert_eq!(case["current_step"], "scheme_reply");
    assert_eq!(
        case["customer_phone"], "13812345678",
        "the owner sees it in full"
    );
    assert_eq!(case["clocks"][0]["key"], "scheme_reply.step");
    assert_eq!(case["clocks"][0]["view"]["status"], "running");
    assert!(case["clocks"][0]["view"]["deadline"].is_i64());

    // another clerk sees the customer masked and may not work the case
    let other = app.login("clerk1").await;
    let seen = app
        .get(&format!("/api/v1/cases/{cid}"), Auth::Person(&other))
        .await
        .expect(200);
    assert_eq!(seen["customer_name"], "张**");
    assert_eq!(seen["customer_phone"], "138****5678");
    assert_eq!(seen["account_no"], "****4567");
    assert_eq!(seen["personal_data_full"], false);
    let detail = app
        .post(
            &format!("/api/v1/cases/{cid}/documents"),
            Auth::Person(&other),
            Some(json!({"name": "x"})),
        )
        .await
        .problem(403);
    assert!(detail.contains("hand it over"), "{detail}");
    // the hall manager sees everything
    let manager = app.login("manager").await;
    let seen = app
        .get(&format!("/api/v1/cases/{cid}"), Auth::Person(&manager))
        .await
        .expect(200);
    assert_eq!(seen["customer_name"], "张三丰");

    // steps in order; clocks pause with a reason, once
    let detail = app
        .post(
            &format!("/api/v1/cases/{cid}/steps/connection/complete"),
            Auth::Person(&clerk),
            None,
        )
        .await
        .problem(409);
    assert!(detail.contains("scheme_reply"), "{detail}");
    let clock = format!("/api/v1/cases/{cid}/clocks/scheme_reply.step");
    app.post(&format!("{clock}/pause"), Auth::Person(&clerk), None)
        .await
        .problem(422);
    let paused = app
        .post(
            &format!("{clock}/pause"),
            Auth::Person(&clerk),
            Some(json!({"reason": "等待客户补充资料"})),
        )
        .await
        .expect(200);
    assert_eq!(paused["clocks"][0]["state"], "paused");
    app.post(
        &format!("{clock}/pause"),
        Auth::Person(&clerk),
        Some(json!({"reason": "x"})),
    )
    .await
    .problem(409);
    app.post(&format!("{clock}/resume"), Auth::Person(&clerk), None)
        .await
        .expect(200);
    let detail = app
        .post(&format!("{clock}/resume"), Auth::Person(&clerk), None)
        .await
        .problem(409);
    assert!(detail.contains("only a paused clock"), "{detail}");
    app.post(&format!("{clock}/stop"), Auth::Person(&clerk), None)
        .await
        .problem(404);

    let with_doc = app
        .post(
            &format!("/api/v1/cases/{cid}/documents"),
            Auth::Person(&clerk),
            Some(json!({"name": "房产证明", "note": "原件已核"})),
        )
        .await
        .expect(200);
    assert_eq!(with_doc["documents"][0]["name"], "房产证明");
    for step in ["scheme_reply", "connection"] {
        app.post(
            &format!("/api/v1/cases/{cid}/steps/{step}/complete"),
            Auth::Person(&clerk),
            Some(json!({"note": "完成"})),
        )
        .await
        .expect(200);
    }
    let closed = app
        .post(
            &format!("/api/v1/cases/{cid}/close"),
            Auth::Person(&clerk),
            None,
        )
        .await
        .expect(200);
    assert_eq!(closed["status"], "closed");
    let kinds: Vec<&str> = closed["trail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"created"));
    assert_eq!(kinds.last(), Some(&"closed"));
    assert_eq!(closed["trail"][0]["actor"]["badge_no"], "DL002");

    // the customer's status page: number + access code; badge, never names or phones
    let code = case["access_code"]
        .as_str()
        .expect("the owner sees the access code");
    let res = app
        .get(
            &format!("/api/v1/public/cases/{number}?code={code}"),
            Auth::Anon,
        )
        .await;
    let public = res.expect(200);
    assert_eq!(public["owner_badge"], "DL002");
    assert_eq!(public["status"], "closed");
    for secret in [
        "张三丰",
        "13812345678",
        "0101234567",
        &app.fx.clerks[1].name,
        "trail",
    ] {
        assert!(
            !res.text.contains(secret),
            "public page leaks {secret}: {}",
            res.text
        );
    }
    app.get(
        &format!("/api/v1/public/cases/{number}?code=00000000"),
        Auth::Anon,
    )
    .await
    .problem(404);
    app.get(&format!("/api/v1/public/cases/{number}"), Auth::Anon)
        .await
        .problem(422);
}

#[tokio::test]
async fn complaints_need_the_callback_and_hand_overs_an_acceptance() {
    let app = App::start().await;
    let hall = app.fx.hall.code.clone();
    let c1 = app.login("clerk1").await;
    let c2 = app.login("clerk2").await;
    let case = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            Auth::Person(&c1),
            Some(json!({"kind": "complaint", "customer_name": "李四", "customer_phone": "13900001111", "summary": "排队时间过长"})),
        )
        .await
        .expect(201);
    let cid = id(&case);
    let keys: Vec<&str> = case["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["contact.contact", "reply.resolve"]);

    // hand-overs stay in the hall
    let outsider = app
        .store
        .create_staff(
            &StaffInput {
                hall_id: Some(app.fx.other_hall.id),
                username: "sy1".into(),
                name: "沈阳柜员".into(),
                badge_no: "SY001".into(),
                role: Role::Clerk,
                photo: String::new(),
                active: true,
            },
            "x",
        )
        .await
        .unwrap();
    let handover = format!("/api/v1/cases/{cid}/handover");
    app.post(
        &handover,
        Auth::Person(&c1),
        Some(json!({"to_badge": "SY001", "reason": "转办"})),
    )
    .await
    .problem(422);
    let detail = app
        .post(
            &handover,
            Auth::Person(&c1),
            Some(json!({"to_staff_id": outsider.id, "reason": "转办"})),
        )
        .await
        .problem(422);
    assert!(detail.contains("another hall"), "{detail}");
    app.post(
        &handover,
        Auth::Person(&c1),
        Some(json!({"to_badge": "DL002"})),
    )
    .await
    .problem(400);
    let asked = app
        .post(
            &handover,
            Auth::Person(&c1),
            Some(json!({"to_badge": "DL002", "reason": "转专业人员处理"})),
        )
        .await
        .expect(200);
    assert_eq!(
        asked["owner"]["badge_no"], "DL001",
        "accountable until accepted"
    );
    assert_eq!(asked["handover_to"]["badge_no"], "DL002");
    let mine = app
        .get(
            &format!("/api/v1/halls/{hall}/cases?view=mine"),
            Auth::Person(&c2),
        )
        .await
        .expect(200);
    assert_eq!(mine[0]["handover_to_me"], true);
    app.post(&format!("{handover}/accept"), Auth::Person(&c1), None)
        .await
        .problem(403);
    let taken = app
        .post(&format!("{handover}/accept"), Auth::Person(&c2), None)
        .await
        .expect(200);
    assert_eq!(taken["owner"]["badge_no"], "DL002");
    assert_eq!(taken["first_inquiry_owner"]["badge_no"], "DL001");
    assert_eq!(
        taken["customer_phone"], "13900001111",
        "the new owner sees it in full"
    );
    app.post(
        &format!("/api/v1/cases/{cid}/close"),
        Auth::Person(&c1),
        None,
    )
    .await
    .problem(403);

    for step in ["contact", "reply"] {
        app.post(
            &format!("/api/v1/cases/{cid}/steps/{step}/complete"),
            Auth::Person(&c2),
            None,
        )
        .await
        .expect(200);
    }
    let detail = app
        .post(
            &format!("/api/v1/cases/{cid}/close"),
            Auth::Person(&c2),
            None,
        )
        .await
        .problem(409);
    assert!(detail.contains("回访"), "{detail}");
    app.post(
        &format!("/api/v1/cases/{cid}/callback"),
        Auth::Person(&c2),
        Some(json!({"reached": true, "satisfied": true, "note": "客户满意"})),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/cases/{cid}/steps/callback/complete"),
        Auth::Person(&c2),
        None,
    )
    .await
    .expect(200);
    let closed = app
        .post(
            &format!("/api/v1/cases/{cid}/close"),
            Auth::Person(&c2),
            None,
        )
        .await
        .expect(200);
    assert_eq!(closed["status"], "closed");
}

#[tokio::test]
async fn roles_lists_figures_and_bad_input() {
    let app = App::start().await;
    let hall = app.fx.hall.code.clone();
    let url = format!("/api/v1/halls/{hall}/cases");
    let guide = app.login("guide").await;
    app.post(&url, Auth::Person(&guide), Some(application()))
        .await
        .problem(403);
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.post(&url, Auth::Device(&kiosk), Some(application()))
        .await
        .problem(403);
    app.post(&url, Auth::Anon, Some(application()))
        .await
        .problem(401);

    let clerk = app.login("clerk1").await;
    let mut bad = application();
    bad["kind"] = json!("wish");
    assert!(
        app.post(&url, Auth::Person(&clerk), Some(bad))
            .await
            .problem(422)
            .contains("application")
    );
    let mut bad = application();
    bad.as_object_mut().unwrap().remove("customer_class");
    assert!(
        app.post(&url, Auth::Person(&clerk), Some(bad))
            .await
            .problem(422)
            .contains("customer_class")
    );
    let mut bad = application();
    bad["business_type"] = json!("moon_landing");
    assert!(
        app.post(&url, Auth::Person(&clerk), Some(bad))
            .await
            .problem(422)
            .contains("moon_landing")
    );
    let mut bad = application();
    bad["customer_class"] = json!("vip");
    assert!(
        app.post(&url, Auth::Person(&clerk), Some(bad))
            .await
            .problem(422)
            .contains("hv_dual")
    );
    app.post(&url, Auth::Person(&clerk), Some(json!({"kind": 1})))
        .await
        .problem(400);
    let mut other_hall = application();
    other_hall["business_type"] = json!("payment");
    app.post(
        &format!("/api/v1/halls/{}/cases", app.fx.other_hall.code),
        Auth::Person(&clerk),
        Some(other_hall),
    )
    .await
    .problem(403);

    let case = app
        .post(&url, Auth::Person(&clerk), Some(application()))
        .await
        .expect(201);
    let list = app
        .get(&format!("{url}?view=mine"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["number"], case["number"]);
    assert_eq!(list[0]["customer_name"], "张三丰");
    let open = app
        .get(&format!("{url}?view=open"), Auth::Person(&guide))
        .await;
    open.problem(403);
    for view in ["due_soon", "overdue"] {
        let l = app
            .get(&format!("{url}?view={view}"), Auth::Person(&clerk))
            .await
            .expect(200);
        assert!(l.as_array().unwrap().is_empty(), "{view}: {l}");
    }
    app.get(&format!("{url}?view=everything"), Auth::Person(&clerk))
        .await
        .problem(422);

    let manager = app.login("manager").await;
    let report = app
        .get(
            &format!("{url}/on-time?from=2025-01-01&to=2025-12-31"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(report["overall"]["stopped"], 0);
    app.get(
        &format!("{url}/on-time?from=yesterday"),
        Auth::Person(&manager),
    )
    .await
    .problem(422);
    app.get(&format!("{url}/on-time"), Auth::Person(&clerk))
        .await
        .problem(403);
    let warned = app
        .post(&format!("{url}/scan"), Auth::Person(&manager), None)
        .await
        .expect(200);
    assert!(
        warned.as_array().unwrap().is_empty(),
        "a fresh case warns nobody: {warned}"
    );
    app.post(&format!("{url}/scan"), Auth::Person(&clerk), None)
        .await
        .problem(403);

    let spec = app.get("/api/openapi.json", Auth::Anon).await.expect(200);
    assert!(spec["paths"]["/api/v1/public/cases/{number}"].is_object());
    assert!(spec["paths"]["/api/v1/cases/{id}/clocks/{clock}/{action}"].is_object());
}
