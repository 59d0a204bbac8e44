//! 区域风险 in the browser at the supervisor's desk (1366×768): the city supervisor opens the
//! Dalian register, sees the roll-up heat map count the hall's risk in its cell, adds a
//! region risk through the form, and finds it on the region's own heat map and list; then
//! opens the region's matrix from the register, starts 高 at 8 and saves, and the register
//! shows the risk (2×4 = 8) as 高 at once.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::risks::{Category, Rating, Treatment};
use servicehall_store::{RegionInput, RegionStore, RiskActor, RiskInput, RiskStore};

async fn fill(b: &WebDriver, css: &str, text: &str) {
    let e = b.find(By::Css(css)).await.unwrap();
    e.clear().await.unwrap();
    e.send_keys(text).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_keeps_the_region_register() {
    let Some(d) = driver("a_supervisor_keeps_the_region_register").await else {
        return;
    };
    let app = App::start().await;
    let region = |code: &str, parent| RegionInput {
        code: code.into(),
        name_zh: format!("{code} 供电公司"),
        name_en: String::new(),
        parent_id: parent,
    };
    let ln = app
        .store
        .save_region(None, &region("LN", None))
        .await
        .unwrap();
    let dl = app
        .store
        .save_region(None, &region("LN-DL", Some(ln.id)))
        .await
        .unwrap();
    app.store
        .set_hall_region(app.fx.hall.id, Some(dl.id))
        .await
        .unwrap();
    app.store
        .create_risk(
            app.fx.hall.id,
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
                sample: false,
            },
            RiskActor {
                staff_id: Some(app.fx.manager.id),
                role: Role::HallManager,
            },
            app.now(),
        )
        .await
        .unwrap();
    let sup = app.above_halls("dlsup", Role::Supervisor).await;
    let sup_id = sup.staff["id"].as_i64().unwrap();
    app.store
        .set_staff_region(sup_id, Some(dl.id))
        .await
        .unwrap();

    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "dlsup").await;
    b.goto(format!("{base}/risks?region=LN-DL")).await.unwrap();
    watch_errors(&b).await;
    // The roll-up counts the hall's risk in its residual cell; nothing else is counted.
    let count = css_text(&b, "#rollup-heat td[data-cell='3-4'] .heat-count").await;
    assert_eq!(count.trim(), "1");
    assert_eq!(
        b.find_all(By::Css("#rollup-heat .heat-count"))
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(css_text(&b, "#risk-list").await.contains("尚无区域风险"));

    click(&b, "#region-new").await;
    wait_for("the form", Duration::from_secs(10), || async {
        !b.find_all(By::Id("risk-form")).await.unwrap().is_empty()
    })
    .await;
    fill(&b, "input[name=code]", "DL-R01").await;
    fill(&b, "input[name=title]", "区域性停电后多厅客户聚集").await;
    fill(&b, "textarea[name=cause]", "主网故障导致城区大面积停电").await;
    fill(&b, "textarea[name=event]", "多个营业厅同时客户聚集").await;
    fill(&b, "textarea[name=consequence]", "排队过长、投诉与舆情").await;
    for (select, v) in [("inherent_likelihood", 3), ("inherent_impact", 5)] {
        b.find(By::Css(format!(
            "select[name={select}] option[value='{v}']"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    }
    b.find(By::Css(
        "select[name=residual_likelihood] option[value='2']",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    b.find(By::Css("select[name=residual_impact] option[value='4']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click(&b, "#risk-save").await;
    wait_for("the saved risk's page", Duration::from_secs(15), || async {
        b.current_url()
            .await
            .map(|u| u.path().starts_with("/risks/") && !u.path().ends_with("/new"))
            .unwrap_or(false)
            && !b.find_all(By::Id("risk-history")).await.unwrap().is_empty()
    })
    .await;
    assert!(css_text(&b, "#risk-history tbody").await.contains("登记"));
    assert!(b.find_all(By::Id("risk-kris")).await.unwrap().is_empty());
    no_js_errors(&b).await;

    // Back on the register: in the list and on the region's own heat map at 2×4.
    b.goto(format!("{base}/risks?region=LN-DL")).await.unwrap();
    assert!(
        css_text(&b, "#risk-list tbody")
            .await
            .contains("区域性停电后多厅客户聚集")
    );
    assert_eq!(
        css_text(&b, "#region-heat td[data-cell='2-4'] .heat-risk")
            .await
            .trim(),
        "DL-R01"
    );
    let stored = app.store.region_risks(dl.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].residual.impact, 4);
    no_js_errors(&b).await;
    assert!(css_text(&b, "#risk-list tbody").await.contains("8 中"));

    // The region's matrix, from the register: 高 from 8 instead of 10.
    click(&b, "#region-matrix").await;
    wait_for(
        "the region matrix screen",
        Duration::from_secs(10),
        || async {
            !b.find_all(By::Css(".matrix-bands tbody tr"))
                .await
                .unwrap()
                .is_empty()
        },
    )
    .await;
    watch_errors(&b).await;
    assert!(css_text(&b, "h1").await.contains("LN-DL 供电公司"));
    b.execute(
        "const i = document.querySelector('.matrix-bands tbody tr:nth-child(3) [name=min_score]'); \
         i.value = '8'; i.dispatchEvent(new Event('input', {bubbles: true}));",
        Vec::new(),
    )
    .await
    .unwrap();
    assert_eq!(
        css_text(&b, ".matrix-bands tbody tr:nth-child(2) .to").await,
        "7"
    );
    click(&b, "#matrix-form button[type=submit]").await;
    wait_for(
        "the saved matrix listed",
        Duration::from_secs(15),
        || async { css_text(&b, "#matrix-history").await.contains("8–16") },
    )
    .await;
    no_js_errors(&b).await;
    assert_eq!(
        app.store.region_risk_matrix(dl.id).await.unwrap().bands[2].min_score,
        8
    );
    click(&b, "a[href='/risks?region=LN-DL']").await;
    wait_for(
        "the register re-banded",
        Duration::from_secs(10),
        || async { css_text(&b, "#risk-list tbody").await.contains("8 高") },
    )
    .await;
    no_js_errors(&b).await;
    quit(b).await;
}
