//! `servicehall serve --edge`: a new data directory pulls its hall from the central
//! PostgreSQL, serves a kiosk paired centrally, and ships the tickets it issues; switched in
//! the middle of a day it takes over the customers already waiting and numbers on after
//! them; a customer who booked centrally checks in there and central's booking shows it;
//! wrong flags are refused with a bilingual message naming what to give.

use crate::server::Server;
use crate::{TempDir, run};
use servicehall_domain::Priority;
use servicehall_domain::{CallingPolicy, DeviceKind};
use servicehall_store::testing::TestStore;
use servicehall_store::{
    AppointmentStore, BookingInput, BusinessTypeInput, EdgeStore, HallInput, HallStore,
    IssueTicket, NotificationInput, QueueStore,
};
use servicehall_web::auth::{hash_token, new_token};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_edge_pulls_its_hall_and_ships_what_it_issues() {
    let Some(central) = TestStore::postgres("edgecli", "serve --edge").await else {
        return;
    };
    let hall = central
        .create_hall(&HallInput {
            code: "DL-XH".into(),
            name: "大连星海营业厅".into(),
            name_en: "Dalian Xinghai Hall".into(),
            address: "大连市沙河口区".into(),
            phone: "0411-95598".into(),
            timezone: "Asia/Shanghai".into(),
            opens: "00:00".into(),
            closes: "23:59".into(),
            policy: CallingPolicy::default(),
        })
        .await
        .unwrap();
    let bt = central
        .create_business_type(
            hall.id,
            &BusinessTypeInput {
                code: "payment".into(),
                name_zh: "电费缴纳".into(),
                name_en: "Payment".into(),
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
    let token = new_token();
    central
        .create_device(
            hall.id,
            None,
            DeviceKind::Kiosk,
            "1号取号机",
            &hash_token(&token),
            0,
        )
        .await
        .unwrap();
    // The hall switches in the middle of the day: a customer already waits centrally.
    let before = central
        .issue_ticket(
            &IssueTicket {
                hall_id: hall.id,
                business_type_id: bt.id,
                priority: Priority::Normal,
                green_reason: String::new(),
                proxy: false,
                channel: "kiosk".into(),
                idempotency_key: None,
                code: "central-1".into(),
                kiosk: None,
                handling_ms: None,
            },
            servicehall_web::now_ms(),
        )
        .await
        .unwrap();
    assert_eq!(before.number, "A001");
    let booked = book_now(&central, hall.id, bt.id).await;
    let dir = TempDir::new("edge");
    let url = format!("sqlite:{}/servicehall.db", dir.arg());
    let edge = Server::start_with(
        &url,
        &[
            "--edge",
            "--hall",
            "DL-XH",
            "--central",
            &central.url(),
            "--edge-name",
            "星海现场",
        ],
    );
    let res = reqwest::Client::new()
        .post(edge.url("/api/v1/halls/DL-XH/tickets"))
        .bearer_auth(&token)
        .json(&serde_json::json!({"business_type": "payment"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let issued: serde_json::Value = res.json().await.unwrap();
    assert_eq!(
        issued["number"], "A002",
        "numbers go on after central's: {issued}"
    );
    // The customer who waited before the switch is in the edge's queue, ahead.
    let queue: serde_json::Value = reqwest::Client::new()
        .get(edge.url("/api/v1/halls/DL-XH/queue"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(queue.to_string().contains("A001"), "{queue}");
    let since = Instant::now();
    loop {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE hall_id = $1")
            .bind(hall.id)
            .fetch_one(central.pool())
            .await
            .unwrap();
        if n == 2 {
            break;
        }
        assert!(
            since.elapsed() < Duration::from_secs(20),
            "the ticket never reached central"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Two tickets, not three: the handed-over one stayed one central row.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tickets WHERE hall_id = $1")
        .bind(hall.id)
        .fetch_one(central.pool())
        .await
        .unwrap();
    assert_eq!(n, 2);
    let e = central.edge_hall(hall.id).await.unwrap().expect("edge-run");
    assert_eq!(e.edge_name, "星海现场");
    // The customer who booked centrally checks in at the edge's kiosk; central's booking
    // (the same one) shows the check-in and the ticket it issued.
    let res = reqwest::Client::new()
        .post(edge.url(&format!(
            "/api/v1/halls/DL-XH/appointments/{}/check-in",
            booked.code
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        201,
        "{}",
        res.text().await.unwrap_or_default()
    );
    let since = Instant::now();
    let a = loop {
        let a = central.appointment_by_code(&booked.code).await.unwrap();
        if a.ticket_id.is_some() {
            break a;
        }
        assert!(
            since.elapsed() < Duration::from_secs(20),
            "the check-in never reached central: {a:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    assert_eq!(a.id, booked.id);
    let t = central.ticket(a.ticket_id.unwrap()).await.unwrap();
    assert_eq!((t.hall_id, t.number.as_str()), (hall.id, "A003"));
    drop(edge);
}

/// A booking centrally for the half-hour slot the hall is in now.
async fn book_now(
    central: &servicehall_store::SqlStore,
    hall_id: i64,
    bt: i64,
) -> servicehall_store::Appointment {
    let now = servicehall_web::now_ms();
    let tz = chrono_tz::Asia::Shanghai;
    let local = chrono::TimeZone::timestamp_millis_opt(&tz, now).unwrap();
    let slot = i64::from(chrono::Timelike::hour(&local)) * 2
        + i64::from(chrono::Timelike::minute(&local)) / 30;
    let day = local.date_naive();
    let code = servicehall_domain::appointments::booking_code(&[3, 1, 4, 1, 5, 9, 2, 6]);
    central
        .book_appointment(
            &BookingInput {
                hall_id,
                business_type_id: bt,
                service_day: day.to_string(),
                slot,
                slot_start: servicehall_domain::appointments::slot_start(day, slot, tz),
                capacity: 4,
                phone: "13800004444".into(),
                name: "周先生".into(),
                code: code.clone(),
                channel: "phone".into(),
                phone_code_hash: None,
                no_show_limit: None,
                booked_by: None,
                message: NotificationInput {
                    hall_id: Some(hall_id),
                    event: servicehall_domain::notify::NotifyEvent::BookingCode,
                    channel: "log".into(),
                    recipient: "13800004444".into(),
                    body: format!("预约码 {code}"),
                    reference: code.clone(),
                },
            },
            now - 3_600_000,
        )
        .await
        .unwrap()
}

#[test]
fn serve_edge_names_what_is_missing() {
    let dir = TempDir::new("edgeflags");
    let r = run(
        &[
            "serve",
            "--edge",
            "--data-dir",
            &dir.arg(),
            "--listen",
            "127.0.0.1:0",
        ],
        "",
    );
    assert_ne!(r.code, 0);
    assert!(r.stderr.contains("--edge 需要 --hall"), "{}", r.stderr);
}
