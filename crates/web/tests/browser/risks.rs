//! The risk screens at the manager's desk (1366×768): a register with one risk and a
//! complaints KRI; a complaint is opened, the manager counts the KRIs now, and the KRI turns
//! amber, the risk is flagged for review with the reason and the notice shows; the heat map
//! places the risk in its cell. Reviewing the risk from its page clears the flag.

use super::*;
use crate::common::{App, Auth};
use serde_json::json;
use servicehall_domain::Role;
use servicehall_domain::risks::kri::Measure;
use servicehall_domain::risks::sample::thresholds;
use servicehall_domain::risks::{Category, Rating, Treatment};
use servicehall_store::{KriInput, RiskActor, RiskInput, RiskStore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kri_crossing_flags_its_risk_on_the_register() {
    let Some(d) = driver("a_kri_crossing_flags_its_risk_on_the_register").await else {
        return;
    };
    let app = App::start().await;
    let hall = app.fx.hall.id;
    let risk = app
        .store
        .create_risk(
            hall,
            &RiskInput {
                code: "R01".into(),
                title: "乱收费".into(),
                category: Category::BillingError,
                cause: "收费标准未更新".into(),
                event: "多收客户费用".into(),
                consequence: "投诉与退费".into(),
                owner_id: app.fx.manager.id,
                inherent: Rating {
                    likelihood: 4,
                    impact: 5,
                },
                residual: Rating {
                    likelihood: 3,
                    impact: 4,
                },
                controls: Vec::new(),
                treatment: Treatment::Reduce,
                accept_until: None,
                reviewed: false,
                sample: true,
            },
            RiskActor {
                staff_id: Some(app.fx.manager.id),
                role: Role::HallManager,
            },
            app.now(),
        )
        .await
        .unwrap();
    app.store
        .save_kri(
            hall,
            &KriInput {
                risk_id: risk.id,
                measure: Measure::Complaints,
                thresholds: thresholds(1, 3),
                target_minutes: 20,
            },
        )
        .await
        .unwrap();
    app.store.refresh_kris(Some(hall), app.now()).await.unwrap();
    let manager = app.login("manager").await;
    app.post(
        &format!("/api/v1/halls/{}/cases", app.fx.hall.code),
        Auth::Person(&manager),
        Some(json!({"kind": "complaint", "customer_name": "王五", "customer_phone": "13900001111", "summary": "多收了费用"})),
    )
    .await
    .expect(201);

    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/risks")).await.unwrap();
    watch_errors(&b).await;
    // Before counting: green, no review due; the sample is marked; the heat map has R01 at
    // likelihood 3 × impact 4 on the residual map and 4 × 5 on the inherent one.
    assert!(css_text(&b, "#kri-list tbody").await.contains("正常"));
    assert!(!css_text(&b, "#risk-list tbody").await.contains("待复核"));
    assert!(css_text(&b, ".risk-sample").await.contains("示例"));
    let cells = b
        .find_all(By::Css("td[data-cell='3-4'] .heat-risk"))
        .await
        .unwrap();
    assert_eq!(cells.len(), 1, "R01 once, on the residual map");
    assert_eq!(
        b.find_all(By::Css("td[data-cell='4-5'] .heat-risk"))
            .await
            .unwrap()
            .len(),
        1
    );

    click(&b, "#kri-refresh").await;
    wait_for("the KRI turns amber", Duration::from_secs(15), || async {
        !b.find_all(By::Css("#kri-list tr.kri-amber"))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    let row = css_text(&b, "#risk-list tbody").await;
    assert!(
        row.contains("待复核") && row.contains("投诉工单预警 1"),
        "{row}"
    );
    assert!(css_text(&b, ".risk-notices").await.contains("R01 乱收费"));
    assert!(css_text(&b, "#kri-list tbody").await.contains("预警"));
    assert!(
        !b.find_all(By::Css("#kri-list svg.kri-chart polyline"))
            .await
            .unwrap()
            .is_empty()
    );
    no_js_errors(&b).await;

    // The review, from the risk's page.
    b.goto(format!("{base}/risks/{}", risk.id)).await.unwrap();
    assert!(text_of(&b, "risk-reason").await.contains("投诉工单"));
    click(&b, "#risk-reviewed").await;
    click(&b, "#risk-save").await;
    wait_for("the review saved", Duration::from_secs(15), || async {
        b.find_all(By::Id("risk-reason")).await.unwrap().is_empty()
            && css_text(&b, "#risk-history tbody").await.contains("已复核")
    })
    .await;
    assert!(!text_of(&b, "risk-review").await.contains("待复核"));
    no_js_errors(&b).await;
    quit(b).await;
}
