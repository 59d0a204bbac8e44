//! Appointments in the browser: a customer books on a phone (390×844) from the public page
//! with the phone code, sees the code and QR, and cancels; at the kiosk (1080×1920) a booking
//! is checked in by its code and its ticket is shown.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;
use servicehall_domain::notify::NotifyEvent;
use servicehall_store::{NotificationQuery, NotifyStore};
use servicehall_web::clock::ManualClock;

/// Monday 2026-03-09 10:00 in Shanghai.
const NOW: i64 = 1_773_021_600_000;

async fn type_into(b: &WebDriver, id: &str, text: &str) {
    let e = b.find(By::Id(id)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_books_on_the_phone_and_cancels() {
    let Some(d) = driver("a_customer_books_on_the_phone_and_cancels").await else {
        return;
    };
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let (base, hall) = (app.base.clone(), app.fx.hall.code.clone());
    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{base}/hall/{hall}")).await.unwrap();
    watch_errors(&phone).await;
    click(&phone, "#pub-book").await;
    wait_for("the booking page", Duration::from_secs(5), || async {
        visible(&phone, "b-types").await
    })
    .await;
    click(&phone, "#b-types button").await;
    click(&phone, "#b-days button:nth-child(2)").await; // tomorrow
    wait_for("tomorrow's times", Duration::from_secs(5), || async {
        css_text(&phone, "#b-slots button").await.contains("08:30")
    })
    .await;
    click(&phone, "#b-slots button:nth-child(4)").await; // 10:00
    type_into(&phone, "b-phone", "13800005678").await;
    click(&phone, "#b-send").await;
    let code = {
        let mut code = String::new();
        wait_for(
            "the phone code in the delivery log",
            Duration::from_secs(5),
            || async {
                let sent = app
                    .store
                    .notifications(&NotificationQuery {
                        event: Some(NotifyEvent::PhoneCode),
                        limit: 1,
                        ..Default::default()
                    })
                    .await
                    .unwrap();
                !sent.is_empty()
            },
        )
        .await;
        let sent = app
            .store
            .notifications(&NotificationQuery {
                event: Some(NotifyEvent::PhoneCode),
                limit: 1,
                ..Default::default()
            })
            .await
            .unwrap();
        code.extend(
            sent[0]
                .body
                .split("验证码 ")
                .nth(1)
                .unwrap()
                .chars()
                .take(6),
        );
        code
    };
    type_into(&phone, "b-code", &code).await;
    type_into(&phone, "b-name", "张女士").await;
    click(&phone, "#b-submit").await;
    wait_for("the booking's own page", Duration::from_secs(5), || async {
        phone.current_url().await.unwrap().path().starts_with("/a/")
    })
    .await;
    let booking_code = text_of(&phone, "a-code").await;
    assert_eq!(booking_code.len(), 8, "{booking_code}");
    assert!(text_of(&phone, "a-when").await.contains("2026-03-10 10:00"));
    assert!(
        phone.find(By::Css(".appt-qr svg")).await.is_ok(),
        "the QR is drawn"
    );
    // Nothing sticks out sideways on the phone.
    let overflow: i64 = phone
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(
        overflow <= 0,
        "the page is {overflow}px wider than the screen"
    );
    click(&phone, "#a-cancel").await;
    assert!(visible(&phone, "a-confirm").await, "cancelling asks first");
    click(&phone, "#a-cancel-yes").await;
    wait_for(
        "the booking is cancelled",
        Duration::from_secs(5),
        || async { text_of(&phone, "a-state").await.contains("已取消") },
    )
    .await;
    no_js_errors(&phone).await;
    quit(phone).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_kiosk_checks_a_booking_in_by_its_code() {
    let Some(d) = driver("the_kiosk_checks_a_booking_in_by_its_code").await else {
        return;
    };
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let (base, hall) = (app.base.clone(), app.fx.hall.code.clone());
    let guide = app.login("guide").await;
    let booked = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
            Some(
                serde_json::json!({"business_type": "payment", "date": "2026-03-09",
                "time": "10:00", "phone": "13900001234"}),
            ),
        )
        .await
        .expect(201);
    let code = booked["code"].as_str().unwrap().to_string();
    let token = app.device(DeviceKind::Kiosk, None).await;
    let kiosk = browser(&d, 1080, 1920).await;
    kiosk
        .goto(format!("{base}/device/pair?token={token}"))
        .await
        .unwrap();
    kiosk.goto(format!("{base}/kiosk")).await.unwrap();
    watch_errors(&kiosk).await;
    click(&kiosk, "#btn-check-in").await;
    wait_for("the check-in screen", Duration::from_secs(5), || async {
        visible(&kiosk, "k-code").await
    })
    .await;
    // A wrong code says so; the right one, typed in lower case with a dash, checks in.
    type_into(&kiosk, "k-code", "ZZZZZZZZ").await;
    click(&kiosk, "#k-submit").await;
    wait_for("the refusal", Duration::from_secs(5), || async {
        visible(&kiosk, "k-error").await
    })
    .await;
    assert!(text_of(&kiosk, "k-error").await.contains("预约码"));
    kiosk
        .find(By::Id("k-code"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    // Half the code on the big keys, the rest typed.
    for ch in code[..4].chars() {
        click(&kiosk, &format!(".appt-key[data-key='{ch}']")).await;
    }
    kiosk
        .find(By::Id("k-code"))
        .await
        .unwrap()
        .send_keys(format!("-{}", code[4..].to_lowercase()))
        .await
        .unwrap();
    click(&kiosk, "#k-submit").await;
    wait_for("the ticket's number", Duration::from_secs(5), || async {
        visible(&kiosk, "k-done").await
    })
    .await;
    assert_eq!(text_of(&kiosk, "k-number").await, "A001");
    assert!(text_of(&kiosk, "k-message").await.contains("优先叫号"));
    let state = app
        .get(&format!("/api/v1/public/appointments/{code}"), Auth::Anon)
        .await
        .expect(200);
    assert_eq!(state["state"], "checked_in");
    assert_eq!(state["on_time"], true);
    quit(kiosk).await;
}
