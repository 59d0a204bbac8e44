//! The schedule in the browser: a clerk's counter refusing to open at the console (1366×768)
//! until the pre-shift check is recorded, said in Chinese and English; and today's site
//! checks on the inspections page (tablet, 1024×768), where a due check is run from its row
//! and shows as done — with the check listed under 今日检查 at once, without a reload.

use super::*;
use crate::common::{App, MONDAY_10AM};
use servicehall_domain::inspections::Outcome;
use servicehall_domain::inspections::schedule::{PreShiftMode, Schedule};
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::{
    CounterStatus, HallStore, InspectionScheduleStore, InspectionStart, InspectionStore,
};
use servicehall_web::clock::ManualClock;

async fn templates(app: &App) {
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
}

/// The manager's pre-shift check of `staff`, all passed, submitted now.
async fn pre_shift(app: &App, staff: i64) {
    let t = app
        .store
        .inspection_templates(app.fx.hall.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.template.code == "pre_shift_grooming")
        .unwrap();
    let input = InspectionStart {
        hall_id: app.fx.hall.id,
        template_id: t.id,
        subject_staff_id: Some(staff),
        inspector_id: app.fx.manager.id,
    };
    let i = app.store.start_inspection(&input, app.now()).await.unwrap();
    for (_, item) in t.template.items() {
        app.store
            .record_inspection_item(i.id, &item.key, Outcome::Pass, "", app.now())
            .await
            .unwrap();
    }
    app.store.submit_inspection(i.id, app.now()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counter_refuses_to_open_until_the_pre_shift_check() {
    let Some(d) = driver("the_counter_refuses_to_open_until_the_pre_shift_check").await else {
        return;
    };
    let app = App::start().await;
    templates(&app).await;
    let block = Schedule {
        pre_shift_mode: PreShiftMode::Block,
        ..Schedule::default()
    };
    app.store
        .change_inspection_schedule(app.fx.hall.id, &block, None, app.now())
        .await
        .unwrap();
    let c1 = app.fx.counter(1).id;
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "clerk1").await;
    watch_errors(&b).await;
    click(&b, &format!("#open-list button[data-id='{c1}']")).await;
    wait_for("the refusal", Duration::from_secs(10), || async {
        visible(&b, "open-error").await
    })
    .await;
    let said = text_of(&b, "open-error").await;
    assert!(
        said.starts_with(&app.fx.clerks[0].name)
            && said.contains("班前定妆上岗检查")
            && said.contains("pre-shift check"),
        "{said}"
    );
    assert!(!visible(&b, "console").await);
    assert_eq!(
        app.store.counter(c1).await.unwrap().status,
        CounterStatus::Closed
    );

    // Checked: the same button opens the counter.
    pre_shift(&app, app.fx.clerks[0].id).await;
    click(&b, &format!("#open-list button[data-id='{c1}']")).await;
    wait_for("the console", Duration::from_secs(10), || async {
        visible(&b, "btn-call").await
    })
    .await;
    assert!(!visible(&b, "pre-shift-warning").await);
    assert_eq!(
        app.store.counter(c1).await.unwrap().status,
        CounterStatus::Open
    );
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn todays_site_checks_are_run_from_their_rows() {
    let Some(d) = driver("todays_site_checks_are_run_from_their_rows").await else {
        return;
    };
    // 08:20 on a Monday: the opening check and the clerks' pre-shift checks are due.
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM - 100 * 60_000)).await;
    templates(&app).await;
    pre_shift(&app, app.fx.clerks[0].id).await;
    let b = browser(&d, 1024, 768).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/inspections", app.base)).await.unwrap();
    watch_errors(&b).await;
    let opening = "#sc-hall tr[data-slot='opening']";
    assert!(css_text(&b, opening).await.contains("待检查 · due"));
    assert!(
        css_text(&b, "#sc-hall tr[data-slot='midday']")
            .await
            .contains("未到时间")
    );
    let done = format!("#sc-clerks tr[data-staff='{}']", app.fx.clerks[0].id);
    assert!(css_text(&b, &done).await.contains("已完成"));
    assert!(text_of(&b, "ins-today").await.contains("今日"));

    // Run the opening check from its row: every item passes.
    click(&b, &format!("{opening} .sc-go")).await;
    wait_for("the checklist", Duration::from_secs(10), || async {
        visible(&b, "ins-run").await
    })
    .await;
    assert!(text_of(&b, "ins-title").await.contains("开门营业前"));
    let keys: Vec<String> = {
        let mut v = Vec::new();
        for e in b.find_all(By::Css(".ins-item")).await.unwrap() {
            v.push(e.attr("data-key").await.unwrap().unwrap());
        }
        v
    };
    for (n, k) in keys.iter().enumerate() {
        click(&b, &format!(".ins-item[data-key='{k}'] .ins-pass")).await;
        wait_for("the tap saved", Duration::from_secs(10), || async {
            css_text(&b, "#ins-provisional")
                .await
                .contains(&format!("{}/{}", n + 1, keys.len()))
        })
        .await;
    }
    click(&b, "#ins-submit").await;
    wait_for("the result", Duration::from_secs(10), || async {
        visible(&b, "ins-result").await
    })
    .await;
    // Without a reload: the check is in today's list and the opening row is done.
    wait_for("today's list", Duration::from_secs(10), || async {
        css_text(&b, "#ins-today tbody")
            .await
            .contains("开门营业前")
    })
    .await;
    assert!(css_text(&b, opening).await.contains("已完成 · done"));
    assert!(css_text(&b, opening).await.contains("08:20"));
    no_js_errors(&b).await;
    quit(b).await;
}
