//! The survey reaches the customer without anyone sending it: after the visit is finished,
//! the follow page on the phone (390×844) offers the survey attached to the business type;
//! the link opens the survey form. The printed receipt sends the customer to the slip's QR code.

use super::*;
use crate::common::{App, Auth};
use servicehall_domain::DeviceKind;
use servicehall_domain::insight::survey::{ItemKind, SurveyDefinition, SurveyItem, SurveyTrigger};
use servicehall_store::InsightStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finished_visit_offers_its_survey_on_the_follow_page() {
    let Some(d) = driver("finished_visit_offers_its_survey_on_the_follow_page").await else {
        return;
    };
    let app = App::start().await;
    let def = SurveyDefinition {
        title: "缴费体验 Paying your bill".into(),
        trigger: SurveyTrigger::BusinessType,
        window_hours: 48,
        items: vec![SurveyItem {
            key: "q1".into(),
            kind: ItemKind::Level,
            text: "等候时间满意吗".into(),
            touchpoint: Some("waiting".into()),
            dimension: None,
        }],
    };
    app.store
        .create_survey(&def, &[app.fx.bt[0].id], None, servicehall_web::now_ms())
        .await
        .unwrap();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let t = app.issue(Auth::Device(&kiosk), "payment").await;
    let id = t["id"].as_i64().unwrap();
    let code = t["code"].as_str().unwrap().to_string();
    app.call_next(&clerk, 1).await.unwrap();
    app.serve_and_finish(&clerk, id).await;

    let phone = browser(&d, 390, 844).await;
    phone.goto(format!("{}/t/{code}", app.base)).await.unwrap();
    watch_errors(&phone).await;
    wait_for("the survey link", Duration::from_secs(10), || async {
        visible(&phone, "f-survey").await
    })
    .await;
    assert!(visible(&phone, "f-rate").await, "the rating link stays");
    click(&phone, "#f-survey").await;
    wait_for("the survey form", Duration::from_secs(10), || async {
        visible(&phone, "survey-form").await
    })
    .await;
    let body = phone
        .find(By::Tag("body"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("缴费体验"), "{body}");
    no_js_errors(&phone).await;

    // The receipt, opened by staff, points to the slip's QR code: the link carries the slip
    // code, which staff never see (issue 11).
    let receipt = app
        .get(&format!("/receipts/{id}"), Auth::Person(&clerk))
        .await;
    assert_eq!(receipt.status, 200, "{}", receipt.text);
    assert!(!receipt.text.contains(&code), "{}", receipt.text);
    assert!(receipt.text.contains("问卷调查") && receipt.text.contains("ticket slip"));
}
