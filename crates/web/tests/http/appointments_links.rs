//! Appointments with the rest of the hall over HTTP: a walk-in's ticket page counts the
//! on-time booking called before it, a booked visit's case runs its 预约时限 clock from the
//! booking, case notices reach only customers who consented, and the policy's changes are
//! audited old → new.

use crate::common::{App, Auth};
use serde_json::{Value, json};
use servicehall_domain::DeviceKind;
use servicehall_domain::cases::{
    Amount, CaseKind, ClockDef, ClockStart, CustomerClass, LimitKind, Process, StepDef,
};
use servicehall_domain::customers::{ContactChannel, Purpose};
use servicehall_domain::notify::NotifyEvent;
use servicehall_store::{
    AuditStore, CaseSettingsStore, ConsentInput, CustomerStore, FeedbackSettingsStore, NewCustomer,
    NotificationQuery, NotifyStore,
};
use servicehall_web::clock::ManualClock;

/// Monday 2026-03-09 10:00 in Shanghai.
const NOW: i64 = 1_773_021_600_000;
const MIN: i64 = 60_000;

/// The guide books `business` at 10:30 today for `phone`; returns the booking's code.
async fn desk_booking(app: &App, business: &str, phone: &str) -> String {
    let guide = app.login("guide").await;
    let hall = &app.fx.hall.code;
    let booked = app
        .post(
            &format!("/api/v1/halls/{hall}/appointments"),
            Auth::Person(&guide),
            Some(
                json!({"business_type": business, "date": "2026-03-09", "time": "10:30",
                        "phone": phone, "name": "刘先生"}),
            ),
        )
        .await
        .expect(201);
    booked["code"].as_str().unwrap().to_string()
}

async fn check_in(app: &App, kiosk: &str, code: &str) -> Value {
    let hall = &app.fx.hall.code;
    app.post(
        &format!("/api/v1/halls/{hall}/appointments/{code}/check-in"),
        Auth::Device(kiosk),
        None,
    )
    .await
    .expect(201)
}

async fn ahead(app: &App, slip_code: &str) -> i64 {
    app.get(&format!("/api/v1/public/tickets/{slip_code}"), Auth::Anon)
        .await
        .expect(200)["waiting_ahead"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_walk_ins_ticket_page_counts_the_on_time_booking_called_before_it() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let code = desk_booking(&app, "payment", "13900001212").await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.clock().advance(22 * MIN);
    let walk_in = app.issue(Auth::Device(&kiosk), "payment").await;
    let walk_code = walk_in["code"].as_str().unwrap().to_string();
    assert_eq!(ahead(&app, &walk_code).await, 0, "alone in the queue");
    app.clock().advance(MIN);
    let booked = check_in(&app, &kiosk, &code).await;
    assert_eq!(booked["ahead_of_walk_ins"], true);
    let booked_code = booked["ticket"]["code"].as_str().unwrap().to_string();
    // The booking came later but is called first: the walk-in's page says so.
    assert_eq!(ahead(&app, &walk_code).await, 1);
    assert_eq!(ahead(&app, &booked_code).await, 0);
    let later = app.issue(Auth::Device(&kiosk), "payment").await;
    assert_eq!(ahead(&app, later["code"].as_str().unwrap()).await, 2);
    // The slip's page shows the same number.
    let page = app.get(&format!("/t/{walk_code}"), Auth::Anon).await;
    assert_eq!(page.status.as_u16(), 200);
    // Once the booking is called the walk-in is next.
    let clerk = app.clerk_on_duty(1).await;
    let first = app.call_next(&clerk, 1).await.unwrap();
    assert_eq!(first["id"], booked["ticket"]["id"]);
    assert_eq!(ahead(&app, &walk_code).await, 0);
}

fn visit_process() -> Process {
    Process {
        steps: vec![StepDef {
            code: "survey".into(),
            name_zh: "现场勘查".into(),
            name_en: "Site survey".into(),
            clocks: vec![ClockDef {
                code: "agreed".into(),
                kind: LimitKind::Appointment,
                amount: Amount::WorkingDays(2),
                starts: ClockStart::CaseOpened,
                source: "与客户预约的时间".into(),
            }],
        }],
    }
}

#[tokio::test]
async fn a_booked_visits_case_runs_its_appointment_clock_from_the_booking() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let bt = app.fx.bt[1].id;
    app.store
        .set_case_process(
            app.fx.hall.id,
            CaseKind::Application,
            Some(bt),
            CustomerClass::Resident,
            &visit_process(),
            NOW,
        )
        .await
        .unwrap();
    let code = desk_booking(&app, "new_connection", "13900002323").await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.clock().advance(25 * MIN);
    let booked = check_in(&app, &kiosk, &code).await;
    let clerk = app.clerk_on_duty(2).await;
    let called = app.call_next(&clerk, 2).await.unwrap();
    assert_eq!(called["id"], booked["ticket"]["id"]);
    app.clock().advance(5 * MIN);
    let hall = &app.fx.hall.code;
    let case = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            Auth::Person(&clerk),
            Some(
                json!({"kind": "application", "business_type": "new_connection",
                        "customer_class": "resident", "customer_name": "刘先生",
                        "customer_phone": "13900002323", "ticket_id": booked["ticket"]["id"]}),
            ),
        )
        .await
        .expect(201);
    let clock = case["clocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["key"] == "survey.agreed")
        .unwrap()
        .clone();
    assert_eq!(clock["kind"], "appointment");
    assert_eq!(
        clock["view"]["started_at"], NOW,
        "from when the guide booked it, not the case"
    );
}

#[tokio::test]
async fn case_notices_reach_only_customers_who_consented() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = app.fx.hall.code.clone();
    let clerk = app.login("clerk1").await;
    let open = |name: &str, phone: &str, account: &str| {
        json!({"kind": "complaint", "customer_name": name, "customer_phone": phone,
               "account_no": account, "summary": "电费疑问"})
    };
    let c = app
        .store
        .create_customer(
            app.fx.hall.id,
            &NewCustomer {
                account_no: "0102345678".into(),
                name: "王秀兰".into(),
                phone: "13812341234".into(),
                class: CustomerClass::Resident,
                note: String::new(),
                segments: vec![],
            },
            None,
            NOW,
        )
        .await
        .unwrap();
    app.store
        .record_consent(
            c.id,
            &ConsentInput {
                purpose: Purpose::CaseProgress,
                channel: Some(ContactChannel::Sms),
                granted: true,
                note: "柜台签字".into(),
            },
            None,
            NOW,
        )
        .await
        .unwrap();
    let with = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            Auth::Person(&clerk),
            Some(open("王秀兰", "13812341234", "0102345678")),
        )
        .await
        .expect(201);
    let without = app
        .post(
            &format!("/api/v1/halls/{hall}/cases"),
            Auth::Person(&clerk),
            Some(open("赵先生", "13700007777", "0109998888")),
        )
        .await
        .expect(201);
    for case in [&with, &without] {
        let id = case["id"].as_i64().unwrap();
        app.post(
            &format!("/api/v1/cases/{id}/steps/contact/complete"),
            Auth::Person(&clerk),
            Some(json!({"note": "已电话联系"})),
        )
        .await
        .expect(200);
        let bad = app
            .post(
                &format!("/api/v1/cases/{id}/callback/schedule"),
                Auth::Person(&clerk),
                Some(json!({"at": "明天上午"})),
            )
            .await
            .problem(422);
        assert!(bad.contains("YYYY-MM-DD HH:MM"), "{bad}");
        let r = app
            .post(
                &format!("/api/v1/cases/{id}/callback/schedule"),
                Auth::Person(&clerk),
                Some(json!({"at": "2026-03-10T15:00", "note": "客户下午方便"})),
            )
            .await
            .expect(200);
        let trail = r["trail"].as_array().unwrap();
        assert!(
            trail.iter().any(|e| e["kind"] == "callback_scheduled"),
            "{trail:?}"
        );
    }
    let log = app
        .store
        .notifications(&NotificationQuery {
            hall_id: Some(app.fx.hall.id),
            limit: 50,
            ..Default::default()
        })
        .await
        .unwrap();
    let case_notices: Vec<_> = log
        .iter()
        .filter(|n| {
            matches!(
                n.event,
                NotifyEvent::CaseStepDone | NotifyEvent::CallbackScheduled
            )
        })
        .collect();
    assert_eq!(case_notices.len(), 2, "only the consenting customer's");
    assert!(case_notices.iter().all(|n| n.recipient == "13812341234"));
    assert!(
        case_notices
            .iter()
            .any(|n| n.body.contains("我们将于 2026-03-10 15:00")),
        "{case_notices:?}"
    );
    // The manager's delivery log shows them with the phone masked.
    let manager = app.login("manager").await;
    let text = app
        .get(
            &format!("/api/v1/halls/{hall}/notifications"),
            Auth::Person(&manager),
        )
        .await
        .expect(200)
        .to_string();
    assert!(text.contains("case_step_done"), "{text}");
    assert!(text.contains("138****1234"));
    assert!(!text.contains("13812341234"));
    assert!(!text.contains("137****7777"), "nothing to the other");
}

#[tokio::test]
async fn booking_rule_changes_are_audited_with_old_and_new_values() {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let hall = app.fx.hall.code.clone();
    let manager = app.login("manager").await;
    let put = |body: Value| {
        app.request(
            reqwest::Method::PUT,
            &format!("/api/v1/halls/{hall}/appointment-settings"),
            Auth::Person(&manager),
        )
        .json(&body)
    };
    let bad = App::send(put(json!({"enabled": true, "bookable_share_pct": 130,
        "manual_capacity": null, "grace_min": 10, "no_show_limit": 3, "days_ahead": 7})))
    .await
    .problem(422);
    assert!(
        bad.contains("可预约比例") && bad.contains("bookable share"),
        "{bad}"
    );
    App::send(put(json!({"enabled": true, "bookable_share_pct": 30,
        "manual_capacity": null, "grace_min": 15, "no_show_limit": 3, "days_ahead": 7})))
    .await
    .expect(200);
    let changes = app
        .store
        .settings_audit(Some(app.fx.hall.id), 20)
        .await
        .unwrap();
    let grace = changes
        .iter()
        .find(|c| c.setting == "appointments.grace_min")
        .expect("the grace change is recorded");
    assert_eq!(
        (grace.old_value.as_str(), grace.new_value.as_str()),
        ("10", "15")
    );
    assert!(grace.by_staff.is_some(), "who changed it");
    assert_eq!(
        changes
            .iter()
            .filter(|c| c.setting.starts_with("appointments."))
            .count(),
        1,
        "only what changed"
    );
    let chain = app
        .store
        .audit_records(Some(app.fx.hall.id), 20)
        .await
        .unwrap();
    assert!(
        chain
            .iter()
            .any(|r| r.kind == "appointments.settings" && r.subject.contains("10→15")),
        "{chain:?}"
    );
}
