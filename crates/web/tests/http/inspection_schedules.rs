//! Inspection schedules over HTTP: the hall's schedule set and audited, the counter refusing
//! to open (409, bilingual) until the clerk's pre-shift check is recorded when the hall
//! blocks, the console's warning when it warns, today's site checks by state, and the
//! figures over a span.

use crate::common::{App, Auth, MONDAY_10AM};
use serde_json::{Value, json};
use servicehall_domain::inspections::Outcome;
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::{InspectionStart, InspectionStore};
use servicehall_web::clock::ManualClock;

const MIN: i64 = 60_000;

async fn app_at(ms: i64) -> App {
    let app = App::start_with_clock(ManualClock::at(ms)).await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), ms)
        .await
        .unwrap();
    app
}

/// Runs and submits a check of `code` (on `staff`, or the hall) now, failing `fail`.
async fn check(app: &App, code: &str, staff: Option<i64>, fail: Option<&str>) -> i64 {
    let t = app
        .store
        .inspection_templates(app.fx.hall.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.template.code == code)
        .unwrap();
    let manager = app.fx.manager.id;
    let i = app
        .store
        .start_inspection(
            &InspectionStart {
                hall_id: app.fx.hall.id,
                template_id: t.id,
                subject_staff_id: staff,
                inspector_id: manager,
            },
            app.now(),
        )
        .await
        .unwrap();
    for (_, item) in t.template.items() {
        let o = if fail == Some(item.key.as_str()) {
            Outcome::Fail
        } else {
            Outcome::Pass
        };
        app.store
            .record_inspection_item(i.id, &item.key, o, "已当场整改", app.now())
            .await
            .unwrap();
    }
    app.store.submit_inspection(i.id, app.now()).await.unwrap();
    i.id
}

fn schedule(mode: &str) -> Value {
    json!({"pre_shift_mode": mode, "pre_shift": ["08:00", "08:30"], "opening": ["08:00", "08:30"],
           "midday": ["12:00", "13:30"], "closing": ["17:30", "18:30"], "grace_min": 30})
}

async fn put_schedule(app: &App, who: Auth<'_>, body: Value) -> crate::common::Resp {
    App::send(
        app.request(
            reqwest::Method::PUT,
            &format!("/api/v1/halls/{}/inspection-schedule", app.fx.hall.code),
            who,
        )
        .json(&body),
    )
    .await
}

#[tokio::test]
async fn a_blocking_hall_opens_a_counter_only_after_the_pre_shift_check() {
    // 08:10 on a Monday.
    let app = app_at(MONDAY_10AM - 110 * MIN).await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let changes = put_schedule(&app, m, schedule("block")).await.expect(200);
    assert_eq!(changes[0]["setting"], "pre_shift_mode");
    assert_eq!(
        (
            changes[0]["old_value"].as_str(),
            changes[0]["new_value"].as_str()
        ),
        (Some("warn"), Some("block"))
    );
    let clerk = app.login("clerk1").await;
    let c = Auth::Person(&clerk);
    let c1 = app.fx.counter(1).id;
    let p = app
        .post(&format!("/api/v1/counters/{c1}/open"), c, None)
        .await
        .problem(409);
    assert!(
        p.starts_with(&app.fx.clerks[0].name)
            && p.contains("班前定妆上岗检查")
            && p.contains("pre-shift check"),
        "{p}"
    );
    // The manager opening it with the clerk's badge is refused the same way.
    app.post(
        &format!("/api/v1/counters/{c1}/open"),
        m,
        Some(json!({"badge_no": app.fx.clerks[0].badge_no})),
    )
    .await
    .problem(409);
    // Another clerk's check does not count for this one.
    check(&app, "pre_shift_grooming", Some(app.fx.clerks[1].id), None).await;
    app.post(&format!("/api/v1/counters/{c1}/open"), c, None)
        .await
        .problem(409);
    check(
        &app,
        "pre_shift_grooming",
        Some(app.fx.clerks[0].id),
        Some("hair"),
    )
    .await;
    let opened = app
        .post(&format!("/api/v1/counters/{c1}/open"), c, None)
        .await
        .expect(200);
    assert_eq!(opened["status"], "open");
    let console = app
        .get(&format!("/api/v1/counters/{c1}/console"), c)
        .await
        .expect(200);
    assert!(console["pre_shift_warning"].is_null());

    // Warn: clerk3 opens without a check and the console says so.
    put_schedule(&app, m, schedule("warn")).await.expect(200);
    let clerk3 = app.login("clerk3").await;
    let c3 = app.fx.counter(3).id;
    app.post(
        &format!("/api/v1/counters/{c3}/open"),
        Auth::Person(&clerk3),
        None,
    )
    .await
    .expect(200);
    let console = app
        .get(
            &format!("/api/v1/counters/{c3}/console"),
            Auth::Person(&clerk3),
        )
        .await
        .expect(200);
    let w = console["pre_shift_warning"].as_str().unwrap();
    assert!(w.contains("尚未记录") && w.contains("not recorded"), "{w}");
    // Back to block: a pause and resume is not a new opening.
    put_schedule(&app, m, schedule("block")).await.expect(200);
    app.post(
        &format!("/api/v1/counters/{c3}/pause"),
        Auth::Person(&clerk3),
        Some(json!({"reason": "午休"})),
    )
    .await
    .expect(200);
    app.post(
        &format!("/api/v1/counters/{c3}/open"),
        Auth::Person(&clerk3),
        None,
    )
    .await
    .expect(200);
}

#[tokio::test]
async fn a_schedule_is_checked_and_set_by_the_manager_only() {
    let app = app_at(MONDAY_10AM).await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let mut bad = schedule("block");
    bad["midday"] = json!(["13:30", "12:00"]);
    let p = put_schedule(&app, m, bad).await.problem(422);
    assert!(p.starts_with("午间巡查") && p.contains("midday"), "{p}");
    let mut bad = schedule("sometimes");
    bad["grace_min"] = json!(10);
    let p = put_schedule(&app, m, bad).await.problem(422);
    assert!(p.contains("block") && p.contains("warn"), "{p}");
    let mut bad = schedule("warn");
    bad["opening"] = json!(["8:00", "08:30"]);
    let p = put_schedule(&app, m, bad).await.problem(422);
    assert!(p.contains("HH:MM"), "{p}");
    let supervisor = app
        .above_halls("sup", servicehall_domain::Role::Supervisor)
        .await;
    put_schedule(&app, Auth::Person(&supervisor), schedule("block"))
        .await
        .problem(403);
    let read = app
        .get(
            &format!("/api/v1/halls/{}/inspection-schedule", app.fx.hall.code),
            Auth::Person(&supervisor),
        )
        .await
        .expect(200);
    assert_eq!(read["pre_shift_mode"], "warn", "unchanged by the refusals");
    assert_eq!(read["closing"], json!(["17:30", "18:30"]));
}

fn find<'a>(list: &'a Value, key: &str, val: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|v| v[key] == val)
        .unwrap_or_else(|| panic!("{key}={val} in {list}"))
}

#[tokio::test]
async fn todays_site_checks_say_due_late_missed_and_done() {
    // 08:20: the opening check and the pre-shift checks are due.
    let app = app_at(MONDAY_10AM - 100 * MIN).await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let url = format!("/api/v1/halls/{}/site-checks/today", app.fx.hall.code);
    let t = app.get(&url, m).await.expect(200);
    assert_eq!(t["date"], "2026-06-01");
    assert_eq!(find(&t["hall_checks"], "slot", "opening")["state"], "due");
    assert_eq!(
        find(&t["hall_checks"], "slot", "midday")["state"],
        "upcoming"
    );
    assert_eq!(
        t["clerks"].as_array().unwrap().len(),
        3,
        "every clerk is due"
    );
    check(&app, "opening", None, None).await;
    check(&app, "pre_shift_grooming", Some(app.fx.clerks[0].id), None).await;

    // 08:50: clerk2 opened without a check (late); clerk3 has not come in (late too).
    app.clock().set(MONDAY_10AM - 70 * MIN);
    let clerk2 = app.login("clerk2").await;
    app.post(
        &format!("/api/v1/counters/{}/open", app.fx.counter(2).id),
        Auth::Person(&clerk2),
        None,
    )
    .await
    .expect(200);
    let t = app.get(&url, m).await.expect(200);
    let opening = find(&t["hall_checks"], "slot", "opening");
    assert_eq!(
        (opening["state"].as_str(), opening["done_late"].as_bool()),
        (Some("done"), Some(false))
    );
    assert_eq!(opening["done_at"], "08:20");
    let name = |n: usize| app.fx.clerks[n].name.clone();
    assert_eq!(find(&t["clerks"], "staff_name", &name(0))["state"], "done");
    let c2 = find(&t["clerks"], "staff_name", &name(1));
    assert_eq!(
        (c2["state"].as_str(), c2["counter_opened_at"].as_str()),
        (Some("late"), Some("08:50"))
    );

    // 10:00: clerk2 missed it; clerk3 never came and is off today; midday still ahead.
    app.clock().set(MONDAY_10AM);
    let t = app.get(&url, m).await.expect(200);
    assert_eq!(
        find(&t["clerks"], "staff_name", &name(1))["state"],
        "missed"
    );
    assert!(
        t["clerks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["staff_name"] != name(2).as_str())
    );
    assert_eq!(
        (t["counts"]["missed"].as_u64(), t["counts"]["done"].as_u64()),
        (Some(1), Some(2))
    );
    // A check after the grace is recorded, and the clerk is done late.
    check(&app, "pre_shift_grooming", Some(app.fx.clerks[1].id), None).await;
    let t = app.get(&url, m).await.expect(200);
    let c2 = find(&t["clerks"], "staff_name", &name(1));
    assert_eq!(
        (c2["state"].as_str(), c2["done_late"].as_bool()),
        (Some("done"), Some(true))
    );

    // 12:10 midday is due; done with a fail it is done, and the figures count it.
    app.clock().set(MONDAY_10AM + 130 * MIN);
    assert_eq!(
        find(
            &app.get(&url, m).await.expect(200)["hall_checks"],
            "slot",
            "midday"
        )["state"],
        "due"
    );
    check(&app, "midday", None, Some("counters_staffed")).await;
    let t = app.get(&url, m).await.expect(200);
    assert_eq!(find(&t["hall_checks"], "slot", "midday")["state"], "done");
    let f = app
        .get(
            &format!(
                "/api/v1/halls/{}/inspection-figures?period=day",
                app.fx.hall.code
            ),
            m,
        )
        .await
        .expect(200);
    assert_eq!(f["overall"]["checks"], 4);
    assert_eq!(f["by_item"][0]["key"], "midday.counters_staffed");
    assert_eq!(f["by_item"][0]["failed"], 1);
    assert_eq!(f["by_period"].as_array().unwrap().len(), 1);
    assert_eq!(f["schedule"]["done"], 4);
    let p = app
        .get(
            &format!(
                "/api/v1/halls/{}/inspection-figures?from=2026-06-02&to=2026-06-01",
                app.fx.hall.code
            ),
            m,
        )
        .await
        .problem(422);
    assert!(p.contains("日期范围") && p.contains("from"), "{p}");
    // Side by side: the manager sees the one hall.
    let side = app
        .get("/api/v1/inspection-figures/halls", m)
        .await
        .expect(200);
    assert_eq!(side.as_array().unwrap().len(), 1);
    // Clerks do not read the site checks.
    let clerk = app.login("clerk1").await;
    app.get(&url, Auth::Person(&clerk)).await.problem(403);
}

#[tokio::test]
async fn a_day_without_an_opening_or_a_check_lists_no_missed_hall_check() {
    // 18:30 on a day nobody opened a counter or checked anything: the hall was closed.
    let app = app_at(MONDAY_10AM + 8 * 60 * MIN + 30 * MIN).await;
    let manager = app.login("manager").await;
    let url = format!("/api/v1/halls/{}/site-checks/today", app.fx.hall.code);
    let t = app.get(&url, Auth::Person(&manager)).await.expect(200);
    let missed = t["hall_checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["state"] == "missed")
        .count();
    assert_eq!(missed, 0, "{t}");
    assert_eq!(t["counts"]["missed"].as_u64(), Some(0), "{t}");
}
