//! 一事一评 on a phone (390×844): the customer follows the finished ticket, taps "rate this
//! visit", picks 不满意, must choose a reason, rates the waiting touchpoint, leaves a
//! number and sends; the rating is stored once with its touchpoint and opens a recovery
//! case; coming back shows "already rated".

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;
use servicehall_store::{CaseStore, FeedbackStore, QueueStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn customer_rates_a_visit_on_the_phone() {
    let Some(d) = driver("customer_rates_a_visit_on_the_phone").await else {
        return;
    };
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    let id = t["id"].as_i64().unwrap();
    let code = t["code"].as_str().unwrap().to_string();
    app.call_next(&clerk, 1).await.unwrap();
    app.serve_and_finish(&clerk, id).await;

    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{}/t/{code}", app.base)).await.unwrap();
    wait_for("the rate link", Duration::from_secs(10), || async {
        visible(&phone, "f-rate").await
    })
    .await;
    click(&phone, "#f-rate").await;
    wait_for("the rating form", Duration::from_secs(10), || async {
        visible(&phone, "r-overall").await
    })
    .await;
    watch_errors(&phone).await;
    click(&phone, "#r-overall button[data-level='2']").await;
    assert!(
        visible(&phone, "r-why").await,
        "reasons appear on a bad level"
    );
    click(&phone, "#r-submit").await;
    wait_for("the reason prompt", Duration::from_secs(5), || async {
        text_of(&phone, "r-error").await.contains("原因")
    })
    .await;
    click(&phone, "#r-reasons input[value='long_wait']").await;
    click(&phone, ".stars[data-tp='waiting'] button[data-level='1']").await;
    phone
        .find(By::Id("r-phone"))
        .await
        .unwrap()
        .send_keys("13811112222")
        .await
        .unwrap();
    click(&phone, "#r-submit").await;
    wait_for("the thank-you", Duration::from_secs(10), || async {
        text_of(&phone, "r-closed").await.contains("感谢")
    })
    .await;
    assert!(text_of(&phone, "r-closed").await.contains("1 个工作日"));
    no_js_errors(&phone).await;

    let ticket = app.store.ticket_by_code(&code).await.unwrap();
    let r = app.store.phone_rating(ticket.id).await.unwrap().unwrap();
    assert_eq!(
        (r.level, r.reasons.clone()),
        (2, vec!["long_wait".to_string()])
    );
    assert_eq!(r.touchpoints.len(), 1);
    assert_eq!(
        (r.touchpoints[0].touchpoint.as_str(), r.touchpoints[0].level),
        ("waiting", 1)
    );
    assert_eq!(r.contact_phone, "13811112222");
    assert!(r.recovery_case_id.is_some());

    // Coming back: rated once, the form is gone.
    phone.refresh().await.unwrap();
    wait_for("already rated", Duration::from_secs(10), || async {
        text_of(&phone, "r-closed").await.contains("已评价")
    })
    .await;
    assert!(!visible(&phone, "r-form").await);
    quit(phone).await;

    // The hall manager calls the customer back on the recovery case the rating opened: the
    // case page offers the call-back form (it did for complaints only, and a recovery case
    // can close only after its call-back).
    let case_id = r.recovery_case_id.unwrap();
    let desk = browser(&d, 1440, 900).await;
    sign_in(&desk, &app.base, "manager").await;
    desk.goto(format!("{}/cases/{case_id}", app.base))
        .await
        .unwrap();
    watch_errors(&desk).await;
    wait_for("the call-back form", Duration::from_secs(10), || async {
        visible(&desk, "callback-card").await
    })
    .await;
    click(&desk, "#cb-reached").await;
    desk.find(By::Id("cb-note"))
        .await
        .unwrap()
        .send_keys("已致电客户致歉，说明高峰期安排")
        .await
        .unwrap();
    click(&desk, "#cb-save").await;
    wait_for(
        "the call-back on record",
        Duration::from_secs(10),
        || async {
            text_of(&desk, "callback-last")
                .await
                .contains("已联系到客户")
        },
    )
    .await;
    no_js_errors(&desk).await;
    quit(desk).await;
}

/// A bad rating on the pad is anonymous: nobody can be called back, so the case page asks
/// what was done instead before it completes the call-back step (it completed with one
/// click and no note).
#[tokio::test]
async fn an_anonymous_recovery_case_says_what_was_done_instead_of_a_call_back() {
    let Some(d) =
        driver("an_anonymous_recovery_case_says_what_was_done_instead_of_a_call_back").await
    else {
        return;
    };
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let id = app.finished_visit(&clerk, &kiosk).await["id"]
        .as_i64()
        .unwrap();
    app.post(
        &format!("/api/v1/tickets/{id}/rating"),
        Auth::Device(&pad),
        Some(serde_json::json!({"level": 2, "reasons": ["slow"]})),
    )
    .await
    .expect(201);
    let manager = app.login("manager").await;
    let cases = app
        .get(
            &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let case_id = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == "recovery")
        .and_then(|c| c["id"].as_i64())
        .expect("the bad rating opened a recovery case");

    let b = browser(&d, 1440, 900).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/cases/{case_id}", app.base))
        .await
        .unwrap();
    watch_errors(&b).await;
    wait_for("the call-back step", Duration::from_secs(10), || async {
        visible(&b, "step-callback").await
    })
    .await;
    click(&b, "#step-callback").await;
    wait_for("the note dialog", Duration::from_secs(5), || async {
        visible(&b, "step-note").await
    })
    .await;
    b.find(By::Id("step-note"))
        .await
        .unwrap()
        .send_keys("匿名评价，无法回访；已在班前会通报")
        .await
        .unwrap();
    click(&b, "#step-note-ok").await;
    wait_for("the step done", Duration::from_secs(10), || async {
        css_text(&b, "li[data-step='callback']").await.contains('✓')
    })
    .await;
    no_js_errors(&b).await;
    quit(b).await;
    let d2 = app.store.case(case_id, app.now()).await.unwrap();
    let done = d2
        .trail
        .iter()
        .find(|e| e.kind == "step_completed")
        .unwrap();
    assert!(done.note.contains("班前会"), "{:?}", done.note);
}
