//! The satisfaction screens in the browser: a supervisor fills the observation form (the
//! server refuses a 不符合 without a note, then keeps it and shows the score), and a hall
//! manager opens the emotion curve and the satisfaction view — the charts render AND the
//! table view shows the numbers.

use super::*;
use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::insight::IndexConfig;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{InsightScope, InsightStore};

async fn select_value(b: &WebDriver, id: &str, value: i64) {
    b.execute(
        &format!("document.getElementById('{id}').value = '{value}';"),
        vec![],
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn observation_form_is_checked_and_kept() {
    let Some(d) = driver("observation_form_is_checked_and_kept").await else {
        return;
    };
    let app = App::start().await;
    app.above_halls("sup", Role::Supervisor).await;
    let b = browser(&d, 1366, 900).await;
    sign_in(&b, &app.base, "sup").await;
    b.goto(format!(
        "{}/observations/new?hall={}",
        app.base, app.fx.hall.code
    ))
    .await
    .unwrap();
    watch_errors(&b).await;
    select_value(&b, "ob-counter", app.fx.counter(2).id).await;
    select_value(&b, "ob-clerk", app.fx.clerks[1].id).await;
    click(&b, "tr[data-code=grooming] input[value=met]").await;
    click(&b, "tr[data-code=read_back] input[value=not_met]").await;
    click(&b, "#ob-submit").await;
    wait_for("the refusal", Duration::from_secs(10), || async {
        visible(&b, "ob-error").await
    })
    .await;
    assert!(text_of(&b, "ob-error").await.contains("note"));
    let nothing = InsightScope {
        hall_ids: vec![app.fx.hall.id],
        from: 0,
        to: i64::MAX,
    };
    assert!(
        app.store
            .observations(&nothing, 10)
            .await
            .unwrap()
            .is_empty()
    );

    b.find(By::Css("tr[data-code=read_back] input.note"))
        .await
        .unwrap()
        .send_keys("找零 13.50 元未唱付")
        .await
        .unwrap();
    b.find(By::Id("ob-evidence"))
        .await
        .unwrap()
        .send_keys("10:05 收取电费 86.50 元")
        .await
        .unwrap();
    click(&b, "#ob-submit").await;
    wait_for("the observation page", Duration::from_secs(10), || async {
        let path = b.current_url().await.unwrap().path().to_string();
        path.rsplit('/')
            .next()
            .is_some_and(|s| s.parse::<i64>().is_ok())
    })
    .await;
    // (2 + 0) / (2 × 2 scored items) = 50%.
    assert_eq!(text_of(&b, "ob-score").await, "50%");
    let items = text_of(&b, "observation-items").await;
    assert!(
        items.contains("不符合") && items.contains("找零 13.50 元未唱付"),
        "{items}"
    );
    let kept = app.store.observations(&nothing, 10).await.unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].counter_id, Some(app.fx.counter(2).id));
    assert_eq!(kept[0].staff_id, Some(app.fx.clerks[1].id));
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emotion_curve_and_satisfaction_render_with_their_tables() {
    let Some(d) = driver("emotion_curve_and_satisfaction_render_with_their_tables").await else {
        return;
    };
    let app = App::start().await;
    app.store
        .set_insight_config(
            &IndexConfig {
                min_n: 1,
                ..IndexConfig::default()
            },
            0,
        )
        .await
        .unwrap();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    for body in [
        json!({"level": 5}),
        json!({"level": 4}),
        json!({"level": 2, "reasons": ["long_wait"]}),
    ] {
        app.issue(Auth::Device(&kiosk), "payment").await;
        let t = app.call_next(&clerk, 1).await.unwrap();
        let id = t["id"].as_i64().unwrap();
        app.serve_and_finish(&clerk, id).await;
        app.post(
            &format!("/api/v1/tickets/{id}/rating"),
            Auth::Device(&pad),
            Some(body),
        )
        .await
        .expect(201);
    }

    let b = browser(&d, 1366, 900).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/insight/curve", app.base)).await.unwrap();
    watch_errors(&b).await;
    wait_for("the curve drawn", Duration::from_secs(10), || async {
        b.find(By::Css("#chart-curve[data-rendered='1'] svg path"))
            .await
            .is_ok()
    })
    .await;
    // The table view: 柜台受理 carries the pad's 3 ratings, 2 good → 66.7%, mean
    // (100 + 75 + 25) / 3 = 66.7; the bad one's reason lands at 等候.
    let counter = b
        .find(By::Css("tr[data-touchpoint=counter]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        counter.contains("66.7%") && counter.contains("n=3"),
        "{counter}"
    );
    let waiting = b
        .find(By::Css("tr[data-touchpoint=waiting]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(waiting.contains("等候时间长"), "{waiting}");
    assert!(
        b.find(By::Css("tr[data-touchpoint=counter].lowest"))
            .await
            .is_ok(),
        "the only touchpoint with answers is the lowest"
    );
    no_js_errors(&b).await;

    b.goto(format!("{}/insight?by=counter", app.base))
        .await
        .unwrap();
    watch_errors(&b).await;
    for chart in ["chart-groups", "chart-pareto"] {
        wait_for(chart, Duration::from_secs(10), || async {
            b.find(By::Css(format!("#{chart}[data-rendered='1'] svg path")))
                .await
                .is_ok()
        })
        .await;
    }
    let table = text_of(&b, "group-table").await;
    assert!(
        table.contains("1号窗口") && table.contains("66.7%"),
        "{table}"
    );
    let pareto = text_of(&b, "pareto-table").await;
    assert!(
        pareto.contains("等候时间长") && pareto.contains("100%"),
        "{pareto}"
    );
    no_js_errors(&b).await;
    quit(b).await;
}
