//! The staffing advisor over HTTP: a day's advice from three past Mondays, the manager's plan
//! and its refusals, the replay of a past day, and who may see and change what.

use crate::common::{App, Auth, Resp};
use serde_json::json;
use servicehall_domain::Priority;
use servicehall_store::{CounterStore, IssueTicket, QueueStore, TicketCommand};
use servicehall_web::clock::ManualClock;

async fn put(app: &App, path: &str, auth: Auth<'_>, body: serde_json::Value) -> Resp {
    App::send(app.request(reqwest::Method::PUT, path, auth).json(&body)).await
}

/// Monday 2026-03-09 10:00 in Shanghai.
const NOW: i64 = 1_773_021_600_000;
const DAY: i64 = 86_400_000;
const MIN: i64 = 60_000;

/// Three past Mondays: counters 1 and 3 open 08:30–12:00, six payments between 09:00 and
/// 09:30, each called on arrival and served in 4 minutes.
async fn history() -> App {
    let app = App::start_with_clock(ManualClock::at(NOW)).await;
    let (s, fx) = (&app.store, &app.fx);
    let mut code = 0;
    for week in 1..=3 {
        let nine = NOW - week * 7 * DAY - 60 * MIN;
        for c in [0, 2] {
            s.open_counter(fx.counters[c].id, fx.clerks[c].id, nine - 30 * MIN)
                .await
                .unwrap();
        }
        for i in 0..6 {
            code += 1;
            let at = nine + i * 5 * MIN;
            let req = IssueTicket {
                hall_id: fx.hall.id,
                business_type_id: fx.bt[0].id,
                priority: Priority::Normal,
                green_reason: String::new(),
                proxy: false,
                channel: "kiosk".into(),
                idempotency_key: None,
                code: format!("staff{code}"),
                kiosk: None,
                handling_ms: None,
            };
            let t = s.issue_ticket(&req, at).await.unwrap();
            let counter = &fx.counters[(i % 2 * 2) as usize];
            let clerk = &fx.clerks[(i % 2 * 2) as usize];
            let called = s
                .call_next(counter.id, Some(clerk.id), at + MIN)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(called.id, t.id);
            let by = servicehall_store::Operator {
                staff_id: Some(clerk.id),
                counter_id: Some(counter.id),
            };
            s.act_on_ticket(t.id, &TicketCommand::Start, by, at + MIN)
                .await
                .unwrap();
            s.act_on_ticket(
                t.id,
                &TicketCommand::Finish {
                    read_back: Some(servicehall_domain::ReadBack::new(12_345, 20_000).unwrap()),
                    outcome: servicehall_domain::catalogue::VisitOutcome::Completed,
                },
                by,
                at + 5 * MIN,
            )
            .await
            .unwrap();
        }
        for c in [0, 2] {
            s.close_counter(fx.counters[c].id, nine + 3 * 60 * MIN)
                .await
                .unwrap();
        }
    }
    app
}

#[tokio::test]
async fn the_day_forecasts_from_past_mondays_and_shows_the_plan() {
    // Of the three Mondays, Feb 16 and Feb 23 fall in the 2026 春节 holiday: only Mar 2 counts.
    let app = history().await;
    let manager = app.login("manager").await;
    let day = app
        .get(
            "/api/v1/halls/DL-XH/staffing?date=2026-03-09",
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(
        (day["date"].clone(), day["day_kind"].clone()),
        (json!("2026-03-09"), json!("workday"))
    );
    assert_eq!(
        (day["basis"].clone(), day["days_used"].clone()),
        (json!("same_weekday"), json!(1))
    );
    assert!(
        day["basis_label"]
            .as_str()
            .unwrap()
            .starts_with("按近几周同一星期几")
    );
    assert_eq!(day["service_samples"], 18);
    assert_eq!(day["mean_service_s"], 240.0);
    let slots = day["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 48);
    let nine = &slots[18];
    assert_eq!(
        (nine["time"].clone(), nine["forecast_arrivals"].clone()),
        (json!("09:00"), json!(6.0))
    );
    assert!(nine["recommended_counters"].as_u64().unwrap() >= 1);
    assert_eq!(nine["planned_counters"], json!(null));
    assert_eq!(slots[3]["forecast_arrivals"], 0.0);
    assert_eq!(slots[3]["recommended_counters"], 0);
    assert_eq!(
        (slots[17]["in_hours"].clone(), slots[16]["in_hours"].clone()),
        (json!(true), json!(false))
    );
    // Nothing open today yet: 0 counters in the half-hours begun, none after now.
    assert_eq!(nine["actual_counters"], 0.0);
    assert_eq!(slots[21]["actual_counters"], json!(null));

    // The manager plans one counter at 09:00: waits are predicted longer than the
    // recommendation's where the plan is thinner.
    let plan = put(
        &app,"/api/v1/halls/DL-XH/staffing/plan", Auth::Person(&manager), json!({"date": "2026-03-09", "slots": [{"slot": 18, "counters": 1}, {"slot": 19, "counters": 2}]}))
        .await
        .expect(200);
    assert_eq!(
        plan["slots"],
        json!([{"slot": 18, "counters": 1}, {"slot": 19, "counters": 2}])
    );
    assert_eq!(plan["updated_by"], "钱值班");
    let day = app
        .get(
            "/api/v1/halls/DL-XH/staffing?date=2026-03-09&level=90",
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(day["slots"][18]["planned_counters"], 1);
    assert_eq!(day["service_level"], 0.9);
    assert_eq!(day["plan_updated_by"], "钱值班");
    // A past Monday shows the counters that were open: two from 08:30 until 12:00.
    let past = app
        .get(
            "/api/v1/halls/DL-XH/staffing?date=2026-03-02",
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(past["slots"][18]["actual_counters"], 2.0);
    assert_eq!(past["slots"][24]["actual_counters"], 0.0);
}

#[tokio::test]
async fn bad_input_and_roles_are_refused_in_both_languages() {
    let app = history().await;
    let manager = app.login("manager").await;
    let detail = app
        .get(
            "/api/v1/halls/DL-XH/staffing?date=9.3.2026",
            Auth::Person(&manager),
        )
        .await
        .problem(400);
    assert!(
        detail.starts_with("日期须为 YYYY-MM-DD") && detail.contains("the date must be"),
        "{detail}"
    );
    let detail = app
        .get(
            "/api/v1/halls/DL-XH/staffing?level=1.5x",
            Auth::Person(&manager),
        )
        .await
        .problem(400);
    assert!(
        detail.contains("服务水平") && detail.contains("service level"),
        "{detail}"
    );
    let detail = put(
        &app,
        "/api/v1/halls/DL-XH/staffing/plan",
        Auth::Person(&manager),
        json!({"date": "2026-03-09", "slots": [{"slot": 48, "counters": 1}]}),
    )
    .await
    .problem(422);
    assert!(
        detail.starts_with("计划") && detail.contains("slots 0 to 47"),
        "{detail}"
    );
    // Clerks and guides see neither the advice nor the plan's writer.
    let clerk = app.login("clerk1").await;
    app.get("/api/v1/halls/DL-XH/staffing", Auth::Person(&clerk))
        .await
        .problem(403);
    let guide = app.login("guide").await;
    put(
        &app,
        "/api/v1/halls/DL-XH/staffing/plan",
        Auth::Person(&guide),
        json!({"date": "2026-03-09", "slots": []}),
    )
    .await
    .problem(403);
    app.get("/api/v1/halls/DL-XH/staffing", Auth::Anon)
        .await
        .problem(401);
}

#[tokio::test]
async fn a_past_day_is_replayed_under_more_counters() {
    let app = history().await;
    let manager = app.login("manager").await;
    let r = app
        .get(
            "/api/v1/halls/DL-XH/staffing/replay?date=2026-03-02&extra=-1",
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(r["customers"], 6);
    assert_eq!(r["recorded_mean_wait_s"], 60.0);
    assert_eq!(r["kept"]["plan"][18], 2);
    assert_eq!(r["alternative"]["plan"][18], 1);
    assert_eq!(r["kept"]["counter_hours"], 7.0);
    // Two counters kept up with one payment every 5 minutes; one counter of 4-minute
    // services still does, barely: waits rise but stay short.
    let kept = r["kept"]["mean_wait_s"].as_f64().unwrap();
    let alt = r["alternative"]["mean_wait_s"].as_f64().unwrap();
    assert!(alt >= kept, "{alt} vs {kept}");
    assert_eq!(
        r["mean_wait_saved_s"].as_f64().unwrap(),
        ((kept - alt) * 10.0).round() / 10.0
    );
    let detail = app
        .get(
            "/api/v1/halls/DL-XH/staffing/replay?date=2026-03-09",
            Auth::Person(&manager),
        )
        .await
        .problem(422);
    assert!(detail.contains("只能重放已结束的日子"), "{detail}");
    let detail = app
        .get(
            "/api/v1/halls/DL-XH/staffing/replay?date=2026-03-02&policy=random",
            Auth::Person(&manager),
        )
        .await
        .problem(400);
    assert!(detail.contains("primary_first"), "{detail}");
    let detail = app
        .get(
            "/api/v1/halls/DL-XH/staffing/replay?date=2026-03-03",
            Auth::Person(&manager),
        )
        .await
        .problem(422);
    assert!(detail.contains("没有叫号记录"), "{detail}");
}
