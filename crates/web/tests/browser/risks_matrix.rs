//! The matrix screen at the supervisor's desk (1366×768): a colour too dark for the heat
//! map's text is refused with the band named, in both languages; moving the 高 band's start
//! from 10 to 13 and saving changes the register at once (the 3×4 = 12 risk is now 中) and
//! the change is listed. The hall manager sees the matrix without a save button.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::risks::{Category, Rating, Treatment};
use servicehall_store::{RiskActor, RiskInput, RiskStore};

/// Sets the `name` input of the band row `row` (1-based) and tells the page.
async fn set(b: &WebDriver, row: usize, name: &str, value: &str) {
    b.execute(
        &format!(
            "const i = document.querySelector('.matrix-bands tbody tr:nth-child({row}) [name={name}]'); \
             i.value = arguments[0]; i.dispatchEvent(new Event('input', {{bubbles: true}}));"
        ),
        vec![serde_json::json!(value)],
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_edits_the_matrix_and_the_register_follows() {
    let Some(d) = driver("a_supervisor_edits_the_matrix_and_the_register_follows").await else {
        return;
    };
    let app = App::start().await;
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
    app.above_halls("sv", Role::Supervisor).await;
    let base = app.base.clone();
    let hall = app.fx.hall.code.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "sv").await;
    b.goto(format!("{base}/risks?hall={hall}")).await.unwrap();
    assert!(css_text(&b, "#risk-list tbody").await.contains("12 高"));
    click(&b, "a[href^='/risks/matrix']").await;
    wait_for("the matrix screen", Duration::from_secs(10), || async {
        !b.find_all(By::Css(".matrix-bands tbody tr"))
            .await
            .unwrap()
            .is_empty()
    })
    .await;
    watch_errors(&b).await;
    assert_eq!(
        b.find_all(By::Css(".matrix-bands tbody tr"))
            .await
            .unwrap()
            .len(),
        4
    );
    // The bands run on without gaps: 高 covers 10–16.
    assert_eq!(
        css_text(&b, ".matrix-bands tbody tr:nth-child(3) .to").await,
        "16"
    );

    // Too dark: the page warns as it is typed, the server refuses and names the band.
    set(&b, 3, "colour", "#5a3a1a").await;
    assert!(
        !b.find_all(By::Css(".matrix-bands tr:nth-child(3) .contrast.bad"))
            .await
            .unwrap()
            .is_empty()
    );
    click(&b, "#matrix-form button[type=submit]").await;
    wait_for("the refusal", Duration::from_secs(10), || async {
        visible(&b, "matrix-error").await
    })
    .await;
    let e = text_of(&b, "matrix-error").await;
    assert!(e.contains("“高”的颜色") && e.contains("too dark"), "{e}");

    // A legible colour and 高 from 13: 中 now runs to 12, in the form and the preview.
    set(&b, 3, "colour", "#ffcf99").await;
    set(&b, 3, "min_score", "13").await;
    assert_eq!(
        css_text(&b, ".matrix-bands tbody tr:nth-child(2) .to").await,
        "12"
    );
    assert!(
        css_text(&b, "#matrix-preview td[data-score='12']")
            .await
            .contains("中")
    );
    click(&b, "#matrix-form button[type=submit]").await;
    wait_for(
        "the saved matrix listed",
        Duration::from_secs(15),
        || async { css_text(&b, "#matrix-history").await.contains("13–16") },
    )
    .await;
    no_js_errors(&b).await;

    // The register uses it at once: 3 × 4 = 12 is 中 Medium now.
    b.goto(format!("{base}/risks?hall={hall}")).await.unwrap();
    let row = css_text(&b, "#risk-list tbody").await;
    assert!(row.contains("12 中"), "{row}");
    let bg = b
        .find(By::Css("td[data-cell='3-4']"))
        .await
        .unwrap()
        .css_value("background-color")
        .await
        .unwrap();
    assert_eq!(bg, "rgba(255, 241, 184, 1)", "the medium colour #fff1b8");
    quit(b).await;

    // The hall manager reads it and cannot save.
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/risks/matrix")).await.unwrap();
    assert!(css_text(&b, ".risk-sample").await.contains("督查"));
    assert!(
        b.find_all(By::Css("#matrix-form button[type=submit]"))
            .await
            .unwrap()
            .is_empty()
    );
    quit(b).await;
}
