//! The site in the browser: a map walk on a tablet (1024×768) marking an item missing with a
//! photo, which the map colours and which opens a rectification case; the generic case page
//! of a rectification naming its clock and its subject (never `verify.rectify` or an empty
//! phone); and the figures page with its chart on a tablet.

use super::*;
use crate::common::App;
use servicehall_domain::inspections::shipped::shipped;
use servicehall_domain::layout_map::sample;
use servicehall_store::{
    CaseStore, InspectionPhotoStore, InspectionStore, LayoutMapStore, RectificationStore,
};

/// A small PNG written to a temp file for the file input.
fn png_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sh-site-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, crate::http::rectification::png()).unwrap();
    path
}

async fn class_of(b: &WebDriver, code: &str) -> String {
    b.execute(
        "const g = document.querySelector(`#lm-map g[data-item='${arguments[0]}']`); return g ? g.getAttribute('class') : '';",
        vec![serde_json::json!(code)],
    )
    .await
    .unwrap()
    .convert()
    .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_map_walk_finding_with_a_photo_opens_a_rectification() {
    let Some(d) = driver("a_map_walk_finding_with_a_photo_opens_a_rectification").await else {
        return;
    };
    let app = App::start().await;
    app.store
        .save_layout_map(app.fx.hall.id, &sample(), None, app.now())
        .await
        .unwrap();
    let base = app.base.clone();
    let b = browser(&d, 1024, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/layout-map")).await.unwrap();
    watch_errors(&b).await;
    click(&b, "#lm-start").await;
    wait_for("the walk", Duration::from_secs(10), || async {
        visible(&b, "lm-submit").await && visible(&b, "lm-panel").await
    })
    .await;
    watch_errors(&b).await;
    let items = sample().items;
    let n = items.len();
    let missing = "first_aid_kit";
    assert!(items.iter().any(|i| i.code == missing));
    for (k, it) in items.iter().enumerate() {
        click(&b, &format!("#lm-map g[data-item='{}'] circle", it.code)).await;
        wait_for("the item's panel", Duration::from_secs(10), || async {
            css_text(&b, "#lm-panel h3").await.contains(&it.name_zh)
        })
        .await;
        let finding = if it.code == missing {
            "missing"
        } else {
            "in_place"
        };
        click(&b, &format!("#lm-panel .lm-choice.lm-{finding}")).await;
        wait_for("the mark saved", Duration::from_secs(10), || async {
            text_of(&b, "lm-progress")
                .await
                .contains(&format!("已查 {}/{n}", k + 1))
        })
        .await;
        if it.code == missing {
            // The panel stays on a finding; its photo goes through the item-photo route.
            b.find(By::Css("#lm-panel input.ev-file"))
                .await
                .unwrap()
                .send_keys(png_file("missing.png").to_str().unwrap())
                .await
                .unwrap();
            wait_for("the thumbnail", Duration::from_secs(15), || async {
                b.find_all(By::Css("#lm-panel .ev-thumb img"))
                    .await
                    .unwrap()
                    .len()
                    == 1
            })
            .await;
        }
    }
    assert!(class_of(&b, missing).await.contains("lm-missing"));
    assert!(
        class_of(&b, "water_dispenser")
            .await
            .contains("lm-in_place")
    );
    click(&b, "#lm-submit").await;
    wait_for("the result", Duration::from_secs(10), || async {
        visible(&b, "lm-result").await
    })
    .await;
    wait_for("the case opened", Duration::from_secs(10), || async {
        css_text(&b, "#lm-rect").await.contains("医药箱")
    })
    .await;
    // The map keeps the finding's colour after the submit.
    assert!(class_of(&b, missing).await.contains("lm-missing"));
    no_js_errors(&b).await;
    let walk = app.store.inspections(app.fx.hall.id, 0, 1).await.unwrap()[0].id;
    let photos = app.store.inspection_photos(walk).await.unwrap();
    assert_eq!(photos.len(), 1);
    assert_eq!(photos[0].item_key, missing);
    let rects = app
        .store
        .inspection_rectifications(walk, app.now())
        .await
        .unwrap();
    assert_eq!(rects.len(), 1, "one case for the one item out of place");
    assert_eq!(rects[0].item_key, missing);
    click(&b, "#lm-rect a").await;
    wait_for("the rectification", Duration::from_secs(10), || async {
        visible(&b, "rect-stage").await
    })
    .await;
    assert_eq!(
        b.find_all(By::Css("#rect-before .ev-thumb"))
            .await
            .unwrap()
            .len(),
        1,
        "the walk's photo is the case's before picture"
    );
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rectification_case_page_names_its_clock_and_its_subject() {
    let Some(d) = driver("a_rectification_case_page_names_its_clock_and_its_subject").await else {
        return;
    };
    let app = App::start().await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    let manager = app.login("manager").await;
    let case = crate::http::site::failed_check(&app, &manager, "floor_clean").await;
    // Ten days on, the clock is far past its limit: the owner, the manager and the region
    // are warned, and the page lists the warnings.
    let later = app.now() + 10 * 86_400_000;
    let warned = app
        .store
        .scan_warnings(Some(app.fx.hall.id), later)
        .await
        .unwrap();
    assert!(!warned.is_empty());
    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/cases/{case}")).await.unwrap();
    watch_errors(&b).await;
    wait_for("the case", Duration::from_secs(10), || async {
        css_text(&b, "#clocks .clock").await.contains("整改时限")
    })
    .await;
    let head = text_of(&b, "case-head").await;
    let clocks = text_of(&b, "clocks").await;
    let trail = text_of(&b, "trail").await;
    for (what, t) in [("head", &head), ("clocks", &clocks), ("trail", &trail)] {
        assert!(
            !t.contains("verify.rectify") && !t.contains("· rectify"),
            "{what} shows a raw clock key: {t}"
        );
    }
    assert!(
        head.contains("验证销号 Verify the fix · 整改时限"),
        "the warnings name the clock: {head}"
    );
    assert!(head.contains("值班长 hall manager"), "{head}");
    assert!(clocks.contains("验证销号 · 整改时限"), "{clocks}");
    let subject = text_of(&b, "case-customer").await;
    assert_eq!(subject.trim(), "本厅现场 · the hall");
    assert!(
        head.contains("检查对象 Checked") && !head.contains("居民"),
        "{head}"
    );
    // It is worked on its own screen: no generic complete or close here, and a link there.
    assert!(
        !head.contains("查询码"),
        "no access code for a finding: {head}"
    );
    assert!(!visible(&b, "close-card").await);
    assert!(
        b.find_all(By::Css("#steps button"))
            .await
            .unwrap()
            .is_empty()
    );
    let link = b.find(By::Id("work-rect")).await.unwrap();
    assert_eq!(
        link.attr("href").await.unwrap().unwrap(),
        format!("/rectifications/{case}")
    );
    no_js_errors(&b).await;
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_figures_page_on_a_tablet() {
    let Some(d) = driver("the_figures_page_on_a_tablet").await else {
        return;
    };
    let app = App::start().await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    let manager = app.login("manager").await;
    crate::http::site::failed_check(&app, &manager, "floor_clean").await;
    let base = app.base.clone();
    let b = browser(&d, 1024, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/inspections/figures?period=day"))
        .await
        .unwrap();
    watch_errors(&b).await;
    wait_for("the chart", Duration::from_secs(10), || async {
        b.find(By::Id("chart-periods"))
            .await
            .unwrap()
            .attr("data-rendered")
            .await
            .unwrap()
            .is_some()
    })
    .await;
    assert!(css_text(&b, "#fig-items").await.contains("地面"));
    assert_eq!(text_of(&b, "fig-open").await.trim(), "1");
    // Nothing runs off the tablet's width.
    let w: f64 = b
        .execute("return document.documentElement.scrollWidth", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(w <= 1024.0, "the page is {w}px wide");
    // The menu leads here.
    assert!(
        !b.find_all(By::Css("a[href='/inspections/figures']"))
            .await
            .unwrap()
            .is_empty()
    );
    no_js_errors(&b).await;
    quit(b).await;
}
