//! The customer's phone page (issue 14): leaving the queue and "I'm on my way" by the slip's
//! code only, the hall's "N ahead" notice threshold (audited), and ratings on the phone once
//! the pad has rated the visit.

use crate::common::{App, Auth, Session};
use serde_json::{Value, json};
use servicehall_domain::DeviceKind;
use servicehall_store::{FeedbackSettingsStore, HallStore, QueueStore};
use servicehall_web::clock::ManualClock;

fn public(code: &Value, step: &str) -> String {
    let code = code
        .as_str()
        .expect("the issue reply carries the slip code");
    if step.is_empty() {
        format!("/api/v1/public/tickets/{code}")
    } else {
        format!("/api/v1/public/tickets/{code}/{step}")
    }
}

async fn queue(app: &App, who: &Session) -> Value {
    let hall = &app.fx.hall.code;
    app.get(&format!("/api/v1/halls/{hall}/queue"), Auth::Person(who))
        .await
        .expect(200)
}

fn waiting_numbers(q: &Value) -> Vec<String> {
    q["waiting"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["number"].as_str().unwrap().to_string())
        .collect()
}

fn chinese_and_english(detail: &str) -> bool {
    detail
        .chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && detail.chars().any(|c| c.is_ascii_alphabetic())
}

#[tokio::test]
async fn a_customer_leaves_the_queue_by_the_slip_code_only() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let guide = app.login("guide").await;
    let first = app.issue(Auth::Device(&kiosk), "payment").await;
    let second = app.issue(Auth::Device(&kiosk), "payment").await;
    let third = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(third["waiting_ahead"], 2);

    // Never by ticket id, nor by a code that is not a slip's.
    let id = second["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/public/tickets/{id}/leave"),
        Auth::Anon,
        None,
    )
    .await
    .problem(404);
    app.post(
        "/api/v1/public/tickets/0123456789abcdef/leave",
        Auth::Anon,
        None,
    )
    .await
    .problem(404);
    let long = "f".repeat(65);
    app.post(
        &format!("/api/v1/public/tickets/{long}/on-way"),
        Auth::Anon,
        None,
    )
    .await
    .problem(404);
    assert_eq!(waiting_numbers(&queue(&app, &guide).await).len(), 3);

    let left = app
        .post(&public(&second["code"], "leave"), Auth::Anon, None)
        .await
        .expect(200);
    assert_eq!(left["state"], "left");
    assert_eq!(left["state_zh"], "已取消排队");
    assert_eq!(left["waiting_ahead"], Value::Null);
    // Gone from the waiting list; the one behind moves up.
    let q = queue(&app, &guide).await;
    assert_eq!(waiting_numbers(&q), ["A001", "A003"]);
    let behind = app
        .get(&public(&third["code"], ""), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(behind["waiting_ahead"], 1);
    let log = app.store.ticket_log(id).await.unwrap();
    let last = log.last().unwrap();
    assert_eq!((last.action.as_str(), last.staff_id), ("leave", None));

    // Twice, or once called: refused in both languages.
    let d = app
        .post(&public(&second["code"], "leave"), Auth::Anon, None)
        .await
        .problem(409);
    assert!(chinese_and_english(&d) && d.contains("A002"), "{d}");
    let clerk = app.clerk_on_duty(1).await;
    let called = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(called["id"], first["id"]);
    let d = app
        .post(&public(&first["code"], "leave"), Auth::Anon, None)
        .await
        .problem(409);
    assert!(chinese_and_english(&d) && d.contains("已叫号"), "{d}");
    // A left ticket is never called: the counter gets the third.
    app.serve_and_finish(&clerk, first["id"].as_i64().unwrap())
        .await;
    let next = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(next["id"], third["id"]);
}

#[tokio::test]
async fn on_my_way_is_marked_for_the_counter_and_the_first_time_stands() {
    let app = App::start_with_clock(ManualClock::starting_now()).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    let clerk = app.clerk_on_duty(1).await;

    let before = app
        .get(&public(&t["code"], ""), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(before["on_way_at"], Value::Null);
    let at = app.now();
    let marked = app
        .post(&public(&t["code"], "on-way"), Auth::Anon, None)
        .await
        .expect(200);
    assert_eq!(marked["on_way_at"], at);
    assert_eq!(marked["state"], "waiting", "saying so changes no state");
    // The clerk's queue view carries the mark…
    let q = queue(&app, &clerk).await;
    assert_eq!(q["waiting"][0]["on_way_at"], at, "{q}");
    // …the counter console's next-up list marks it (在路上)…
    let c1 = app.fx.counter(1).id;
    let console = app
        .get(
            &format!("/api/v1/counters/{c1}/console"),
            Auth::Person(&clerk),
        )
        .await
        .expect(200);
    assert_eq!(console["next"][0]["on_way_at"], at, "{console}");
    // …and so does the called ticket the console shows.
    let called = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(called["on_way_at"], at);
    app.clock().advance(60_000);
    let again = app
        .post(&public(&t["code"], "on-way"), Auth::Anon, None)
        .await
        .expect(200);
    assert_eq!(again["on_way_at"], at, "the first time stands");
    let id = t["id"].as_i64().unwrap();
    assert_eq!(
        app.store
            .ticket_log(id)
            .await
            .unwrap()
            .iter()
            .filter(|e| e.action == "on_way")
            .count(),
        1
    );
    // Once being served there is nothing to be on the way to.
    app.act(&clerk, id, "start", None).await.expect(200);
    let d = app
        .post(&public(&t["code"], "on-way"), Auth::Anon, None)
        .await
        .problem(409);
    assert!(chinese_and_english(&d), "{d}");
    app.post(
        &format!("/api/v1/public/tickets/{id}/on-way"),
        Auth::Anon,
        None,
    )
    .await
    .problem(404);
}

/// The hall form's 提前提醒 field: its default, the notice it drives, validation and audit.
#[tokio::test]
async fn the_notice_threshold_is_a_hall_setting_that_is_audited() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let mut tickets = Vec::new();
    for _ in 0..5 {
        tickets.push(app.issue(Auth::Device(&kiosk), "payment").await);
    }
    let urls: Vec<String> = tickets.iter().map(|t| public(&t["code"], "")).collect();
    let status = |i: usize| app.get(&urls[i], Auth::Anon);
    let fifth = status(4).await.expect(200);
    assert_eq!(
        (
            fifth["waiting_ahead"].as_i64(),
            fifth["notify_ahead"].as_i64()
        ),
        (Some(4), Some(3))
    );
    assert_eq!(fifth["turn_near"], false);
    assert_eq!(status(3).await.expect(200)["turn_near"], true, "3 ahead");

    let manager = app.login("manager").await;
    let hall = app.store.hall(app.fx.hall.id).await.unwrap();
    let path = format!("/admin/halls/{}", hall.id);
    let mut fields = vec![
        ("code", hall.code.clone()),
        ("name", hall.name.clone()),
        ("name_en", hall.name_en.clone()),
        ("address", hall.address.clone()),
        ("phone", hall.phone.clone()),
        ("timezone", hall.timezone.clone()),
        ("opens", hall.opens.clone()),
        ("closes", hall.closes.clone()),
        ("green_first", "on".into()),
        ("overdue_to_all", "on".into()),
        ("max_recalls", hall.policy.max_recalls.to_string()),
        ("notify_ahead", "21".into()),
    ];
    let send = |fields: Vec<(&'static str, String)>| {
        let mut body: Vec<(&str, String)> = vec![("_csrf", manager.csrf.clone())];
        body.extend(fields);
        App::send(
            app.request(reqwest::Method::POST, &path, Auth::PersonNoCsrf(&manager))
                .form(&body),
        )
    };
    let res = send(fields.clone()).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(
        res.text.contains("提前提醒人数须为 0–20") && res.text.contains("21"),
        "{}",
        res.text
    );
    assert_eq!(app.store.hall(hall.id).await.unwrap().notify_ahead, 3);

    fields.last_mut().unwrap().1 = "1".into();
    let res = send(fields.clone()).await;
    assert_eq!(res.status, 200, "followed the redirect: {}", res.text);
    assert_eq!(app.store.hall(hall.id).await.unwrap().notify_ahead, 1);
    let audit = app.store.settings_audit(Some(hall.id), 10).await.unwrap();
    assert_eq!(audit.len(), 1, "{audit:?}");
    let a = &audit[0];
    assert_eq!(
        (
            a.setting.as_str(),
            a.old_value.as_str(),
            a.new_value.as_str()
        ),
        ("notify_ahead", "3", "1")
    );
    assert_eq!(a.by_staff, manager.staff["id"].as_i64());
    // Saved again unchanged: no second audit row.
    assert_eq!(send(fields).await.status, 200);
    assert_eq!(
        app.store
            .settings_audit(Some(hall.id), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    // The phone pages read the new threshold at once.
    assert_eq!(
        status(3).await.expect(200)["turn_near"],
        false,
        "3 ahead, N = 1"
    );
    let second = status(1).await.expect(200);
    assert_eq!(
        (
            second["turn_near"].as_bool(),
            second["notify_ahead"].as_i64()
        ),
        (Some(true), Some(1))
    );
    let page = app.get(&path, Auth::Person(&manager)).await;
    assert!(page.text.contains("name=\"notify_ahead\" value=\"1\""));
}

/// Issue 14, defect 3: a visit the pad rated shows 已评价 on the phone and the phone's own
/// rating is refused in both languages; a bad phone rating names its recovery case.
#[tokio::test]
async fn a_visit_rated_on_the_pad_is_not_rated_again_on_the_phone() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let visit = app.finished_visit(&clerk, &kiosk).await;
    let id = visit["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/tickets/{id}/rating"),
        Auth::Device(&pad),
        Some(json!({"level": 5})),
    )
    .await
    .expect(201);
    let url = public(&visit["code"], "rating");
    assert_eq!(
        app.get(&url, Auth::Anon).await.expect(200)["state"],
        "rated"
    );
    let d = app
        .post(&url, Auth::Anon, Some(json!({"level": 4})))
        .await
        .problem(409);
    assert!(
        d.contains("已经评价过") && d.contains("already been rated"),
        "{d}"
    );
    let page = app
        .get(
            &format!("/t/{}/rate", visit["code"].as_str().unwrap()),
            Auth::Anon,
        )
        .await;
    assert!(page.text.contains("\"rated\""), "the page draws 已评价");

    // Another visit, rated badly on the phone: the customer is given the recovery case.
    let hall = app.fx.hall.id;
    let mut settings = app.store.feedback_settings(hall).await.unwrap();
    settings.phone_window_hours = 72;
    app.store
        .set_feedback_settings(hall, &settings, app.now())
        .await
        .unwrap();
    let bad = app.finished_visit(&clerk, &kiosk).await;
    let r = app
        .post(
            &public(&bad["code"], "rating"),
            Auth::Anon,
            Some(json!({"level": 1, "reasons": ["long_wait"], "contact_phone": "13912345678"})),
        )
        .await
        .expect(201);
    let number = r["recovery_case_number"].as_str().expect("a case number");
    assert!(!number.is_empty());
    assert!(
        r["recovery_access_code"]
            .as_str()
            .is_some_and(|c| !c.is_empty()),
        "{r}"
    );
    let good = app.finished_visit(&clerk, &kiosk).await;
    let r = app
        .post(
            &public(&good["code"], "rating"),
            Auth::Anon,
            Some(json!({"level": 5})),
        )
        .await
        .expect(201);
    assert_eq!(r["recovery_case_number"], Value::Null);
}
