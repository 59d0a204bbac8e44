//! Appointments over HTTP: the slots, the phone check, booking (201 with a code, 409 when
//! full), change and cancel by code, check-in at the kiosk ahead of walk-ins, the desk's
//! list and settings by role, and the notifier's reminders sent through the log channel.

use crate::common::{App, Auth, Resp};
use serde_json::{Value, json};
use servicehall_domain::DeviceKind;
use servicehall_domain::notify::{DeliveryStatus, NotifyEvent};
use servicehall_store::{NotificationQuery, NotifyStore};
use servicehall_web::clock::ManualClock;
use servicehall_web::{AppState, WebConfig};

/// Monday 2026-03-09 10:00 in Shanghai.
const NOW: i64 = 1_773_021_600_000;
const MIN: i64 = 60_000;

async fn put(app: &App, path: &str, auth: Auth<'_>, body: Value) -> Resp {
    App::send(app.request(reqwest::Method::PUT, path, auth).json(&body)).await
}

async fn delete(app: &App, path: &str) -> Resp {
    App::send(app.request(reqwest::Method::DELETE, path, Auth::Anon)).await
}

/// Asks for a phone code and reads it where the customer would: the message the log-only
/// channel keeps (the answer never carries it).
async fn phone_code(app: &App, phone: &str) -> String {
    let hall = &app.fx.hall.code;
    let r = app
        .post(
            &format!("/api/v1/public/halls/{hall}/verify-phone"),
            Auth::Anon,
            Some(json!({"phone": phone})),
        )
        .await;
    let body = r.expect(202);
    assert_eq!(body["expires_in_s"], 300);
    let sent = app
        .store
        .notifications(&NotificationQuery {
            recipient: Some(phone.into()),
            event: Some(NotifyEvent::PhoneCode),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    let text = &sent[0].body;
    let code: String = text
        .split("验证码 ")
        .nth(1)
        .unwrap()
        .chars()
        .take(6)
        .collect();
    assert!(!r.text.contains(&code), "the code is never in the answer");
    code
}

async fn book(app: &App, phone: &str, date: &str, time: &str) -> Resp {
    let code = phone_code(app, phone).await;
    let hall = &app.fx.hall.code;
    app.post(
        &format!("/api/v1/public/halls/{hall}/appointments"),
        Auth::Anon,
        Some(
            json!({"business_type": "payment", "date": date, "time": time,
                    "phone": phone, "phone_code": code, "name": "张女士"}),
        ),
    )
    .await
}

#[tokio::test]
async fn a_customer_books_changes_and_cancels_without_signing_in() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = app.fx.hall.code.clone();
    let slots = app
        .get(
            &format!("/api/v1/public/halls/{hall}/slots?business_type=payment&date=2026-03-10"),
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(slots["open"], true);
    let first = &slots["slots"][0];
    // Opens 08:30; counters 1 and 3 serve payments at 5 minutes a visit: 2×6×30 % = 3.
    assert_eq!(first["time"], "08:30", "{slots}");
    assert_eq!(first["capacity"], 3);
    assert_eq!(first["free"], 3);
    for (date, why) in [("2026-03-08", "past"), ("2026-03-14", "a Saturday")] {
        let closed = app
            .get(
                &format!("/api/v1/public/halls/{hall}/slots?business_type=payment&date={date}"),
                Auth::Anon,
            )
            .await
            .expect(200);
        assert_eq!(closed["open"], false, "{why}");
    }
    let bad = app
        .get(
            &format!("/api/v1/public/halls/{hall}/slots?business_type=payment&date=10.3.2026"),
            Auth::Anon,
        )
        .await
        .problem(422);
    assert!(bad.contains("YYYY-MM-DD"), "{bad}");

    // A wrong code is refused; the right one books.
    let phone = "13800001111";
    let _ = phone_code(&app, phone).await;
    let wrong = app
        .post(
            &format!("/api/v1/public/halls/{hall}/appointments"),
            Auth::Anon,
            Some(
                json!({"business_type": "payment", "date": "2026-03-10", "time": "10:00",
                        "phone": phone, "phone_code": "000000x"}),
            ),
        )
        .await
        .problem(422);
    assert!(wrong.contains("code is wrong"), "{wrong}");
    // Another code within the minute is refused.
    let again = app
        .post(
            &format!("/api/v1/public/halls/{hall}/verify-phone"),
            Auth::Anon,
            Some(json!({"phone": phone})),
        )
        .await
        .problem(429);
    assert!(again.contains("a minute"), "{again}");
    app.clock().advance(2 * MIN);
    let booked = book(&app, phone, "2026-03-10", "10:00").await.expect(201);
    let code = booked["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 8);
    assert!(!code.contains(['0', 'O', '1', 'I']), "{code}");
    assert_eq!(booked["time"], "10:00");
    assert_eq!(booked["phone_masked"], "138****1111");
    let msg = app
        .store
        .notifications(&NotificationQuery {
            event: Some(NotifyEvent::BookingCode),
            limit: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(msg[0].body.contains(&code), "{}", msg[0].body);
    assert!(
        msg[0].body.starts_with("【大连星海营业厅】预约成功"),
        "{}",
        msg[0].body
    );

    // The manager makes the slot hold one: the next customer gets 409.
    let manager = app.login("manager").await;
    let set = put(
        &app,
        &format!("/api/v1/halls/{hall}/appointment-settings"),
        Auth::Person(&manager),
        json!({"enabled": true, "bookable_share_pct": 30, "manual_capacity": 1,
               "grace_min": 10, "no_show_limit": 3, "days_ahead": 7}),
    )
    .await
    .expect(200);
    assert_eq!(set["updated_by"], "钱值班");
    let full = book(&app, "13800002222", "2026-03-10", "10:00")
        .await
        .problem(409);
    assert!(full.contains("slot is full"), "{full}");

    // Change to 10:30: a new code; the old one is cancelled and points to it.
    let moved = put(
        &app,
        &format!("/api/v1/public/appointments/{code}"),
        Auth::Anon,
        json!({"date": "2026-03-10", "time": "10:30"}),
    )
    .await
    .expect(200);
    let new_code = moved["code"].as_str().unwrap().to_string();
    assert_ne!(new_code, code);
    let old = app
        .get(
            &format!("/api/v1/public/appointments/{}", code.to_lowercase()),
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(old["state"], "cancelled");
    assert_eq!(old["replaced_by_code"], new_code.as_str());
    assert_eq!(old["phone_masked"], "138****1111");
    // 10:00 is free again for the second customer (a new code after a minute).
    app.clock().advance(2 * MIN);
    book(&app, "13800002222", "2026-03-10", "10:00")
        .await
        .expect(201);
    let gone = delete(&app, &format!("/api/v1/public/appointments/{new_code}"))
        .await
        .expect(200);
    assert_eq!(gone["state"], "cancelled");
    let twice = delete(&app, &format!("/api/v1/public/appointments/{new_code}"))
        .await
        .problem(409);
    assert!(twice.contains("cancelled"), "{twice}");
    delete(&app, "/api/v1/public/appointments/ZZZZZZZZ")
        .await
        .problem(404);
}

#[tokio::test]
async fn check_in_at_the_kiosk_is_called_ahead_of_walk_ins() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = app.fx.hall.code.clone();
    let guide = app.login("guide").await;
    // The guide books for a customer at the desk: today 10:30, no phone code needed.
    let booked = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
            Some(
                json!({"business_type": "payment", "date": "2026-03-09", "time": "10:30",
                        "phone": "139 0000 3333"}),
            ),
        )
        .await
        .expect(201);
    assert_eq!(booked["channel"], "desk");
    let code = booked["code"].as_str().unwrap().to_string();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let early = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments/{code}/check-in"),
            Auth::Device(&kiosk),
            None,
        )
        .await
        .problem(409);
    assert!(
        early.contains("10:20"),
        "the window opens 10 min before: {early}"
    );
    // A walk-in takes a ticket first; the booked customer checks in on time after.
    app.clock().advance(22 * MIN);
    let walk_in = app.issue(Auth::Device(&kiosk), "payment").await;
    app.clock().advance(MIN);
    let r = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments/{code}/check-in"),
            Auth::Device(&kiosk),
            None,
        )
        .await
        .expect(201);
    assert_eq!(r["ahead_of_walk_ins"], true);
    assert!(r["ticket"]["code"].is_string(), "the slip's code, to print");
    assert_eq!(r["appointment"]["state"], "checked_in");
    assert!(r["message"].as_str().unwrap().starts_with("签到成功"));
    let again = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments/{code}/check-in"),
            Auth::Device(&kiosk),
            None,
        )
        .await
        .problem(409);
    assert!(again.contains("checked in"), "{again}");
    let clerk = app.clerk_on_duty(1).await;
    let first = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(
        first["id"], r["ticket"]["id"],
        "the booking before the walk-in"
    );
    assert_ne!(first["id"], walk_in["id"]);

    // The desk's list; a kiosk may not read it, a clerk may not change the policy.
    let day = app
        .get(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
        )
        .await
        .expect(200);
    assert_eq!(day["checked_in"], 1);
    assert_eq!(day["appointments"][0]["phone_masked"], "139****3333");
    app.get(
        &format!("/api/v1/halls/{hall}/appointments"),
        Auth::Device(&kiosk),
    )
    .await
    .problem(403);
    let clerk2 = app.login("clerk2").await;
    put(
        &app,
        &format!("/api/v1/halls/{hall}/appointment-settings"),
        Auth::Person(&clerk2),
        json!({"enabled": true, "bookable_share_pct": 30, "manual_capacity": null,
               "grace_min": 10, "no_show_limit": 3, "days_ahead": 7}),
    )
    .await
    .problem(403);
}

#[tokio::test]
async fn reminders_are_sent_once_through_the_log_channel() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let booked = book(&app, "13800004444", "2026-03-10", "11:00")
        .await
        .expect(201);
    let code = booked["code"].as_str().unwrap();
    let clock = ManualClock::at(NOW);
    let state = AppState::new(app.store.clone(), WebConfig::default()).with_clock(clock.clone());
    let sent_now = |at: i64| {
        let state = state.clone();
        async move {
            servicehall_web::notify::scan::step(&state, at)
                .await
                .unwrap();
            servicehall_web::notify::send_once(&state, at)
                .await
                .unwrap()
        }
    };
    // The booking's code and the phone code go now.
    assert_eq!(sent_now(NOW).await, (2, 0));
    // 11:00 tomorrow: the day-before reminder at 11:00 today, the hour-before at 10:00.
    assert_eq!(sent_now(NOW + 59 * MIN).await, (0, 0));
    assert_eq!(sent_now(NOW + 60 * MIN).await, (1, 0));
    assert_eq!(sent_now(NOW + 61 * MIN).await, (0, 0), "once");
    let hour_before = NOW + 24 * 60 * MIN;
    assert_eq!(sent_now(hour_before).await, (1, 0));
    let log = app
        .store
        .notifications(&NotificationQuery {
            event: Some(NotifyEvent::Reminder),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(log.len(), 2);
    assert!(
        log.iter()
            .all(|n| n.status == DeliveryStatus::Sent && n.channel == "log")
    );
    assert!(log[0].body.contains(code), "{}", log[0].body);
    // Not checked in by 11:30 + 10 min: a no-show just after.
    servicehall_web::notify::scan::step(&state, hour_before + 101 * MIN)
        .await
        .unwrap();
    let a = app
        .get(&format!("/api/v1/public/appointments/{code}"), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(a["state"], "no_show");
    // The manager's log hides phone codes.
    let manager = app.login("manager").await;
    let hall = &app.fx.hall.code;
    let log = app
        .get(
            &format!("/api/v1/halls/{hall}/notifications"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let text = log.to_string();
    assert!(text.contains("code hidden"), "{text}");
    assert!(text.contains("138****4444"));
    assert!(!text.contains("13800004444"));
}
