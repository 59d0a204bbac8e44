//! The layout map in the browser: a map walk on a tablet (1024×768) — tap items on the plan,
//! mark them, the map colours the findings, submit and see the score by zone — and editing
//! the plan in the admin screen (start from the sample, arrow keys, the form, a refusal
//! naming what to fix, a second version).

use super::*;
use crate::common::App;
use servicehall_domain::layout_map::sample;
use servicehall_store::LayoutMapStore;

async fn item_class(b: &WebDriver, code: &str) -> String {
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
async fn a_map_walk_on_a_tablet() {
    let Some(d) = driver("a_map_walk_on_a_tablet").await else {
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
    // The map and the panel sit side by side within the tablet's width.
    let right: f64 = b
        .execute(
            "return document.getElementById('lm-panel').getBoundingClientRect().right",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(right <= 1024.0, "the panel ends at {right}px");

    for (k, it) in items.iter().enumerate() {
        // Tap the item on the map itself.
        click(&b, &format!("#lm-map g[data-item='{}'] circle", it.code)).await;
        wait_for("the item's panel", Duration::from_secs(10), || async {
            css_text(&b, "#lm-panel h3").await.contains(&it.name_zh)
        })
        .await;
        let finding = match it.code.as_str() {
            "reading_glasses" => {
                b.find(By::Id("lm-counted"))
                    .await
                    .unwrap()
                    .send_keys("2")
                    .await
                    .unwrap();
                "short"
            }
            "brochure_rack" => "moved",
            "fire_extinguisher_hall" => "missing",
            _ => "in_place",
        };
        click(&b, &format!("#lm-panel .lm-choice.lm-{finding}")).await;
        wait_for("the mark saved", Duration::from_secs(10), || async {
            text_of(&b, "lm-progress")
                .await
                .contains(&format!("已查 {}/{n}", k + 1))
        })
        .await;
    }
    // The map colours the findings.
    assert!(item_class(&b, "brochure_rack").await.contains("lm-moved"));
    assert!(item_class(&b, "reading_glasses").await.contains("lm-short"));
    assert!(
        item_class(&b, "water_dispenser")
            .await
            .contains("lm-in_place")
    );
    let h: f64 = b
        .execute(
            "return document.querySelector('#lm-panel .lm-choice').getBoundingClientRect().height",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(h >= 48.0, "choice buttons are {h}px high");

    click(&b, "#lm-submit").await;
    wait_for("the result", Duration::from_secs(10), || async {
        visible(&b, "lm-result").await
    })
    .await;
    let result = text_of(&b, "lm-result").await;
    // A missing extinguisher (critical) fails the walk.
    assert!(
        result.contains("不合格") && result.contains("灭火器"),
        "{result}"
    );
    assert!(result.contains("引导区"), "{result}");
    no_js_errors(&b).await;
    let walks = app.store.layout_walks(app.fx.hall.id, 0, 5).await.unwrap();
    assert_eq!(walks[0].findings.len(), n);
    assert_eq!(walks[0].inspection.passed, Some(false));
    // The overview lists it with its problems.
    b.goto(format!("{base}/layout-map")).await.unwrap();
    assert!(
        css_text(&b, "#lm-walks tbody")
            .await
            .contains(&format!("{n}/{n}"))
    );
    assert!(css_text(&b, "#lm-findings").await.contains("资料架"));
    quit(b).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_the_map_in_the_admin_screen() {
    let Some(d) = driver("editing_the_map_in_the_admin_screen").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &base, "manager").await;
    b.goto(format!("{base}/admin/layout-map")).await.unwrap();
    watch_errors(&b).await;
    click(&b, "#ed-sample").await;
    click(&b, "#ed-save").await;
    wait_for("version 1", Duration::from_secs(10), || async {
        text_of(&b, "ed-version").await == "v1"
    })
    .await;

    // Select the water dispenser on the map, move it right with the arrow key, rename it.
    click(&b, "#lm-map g[data-item='water_dispenser'] circle").await;
    wait_for("the item form", Duration::from_secs(10), || async {
        visible(&b, "ed-item").await
    })
    .await;
    let map = b.find(By::Id("lm-map")).await.unwrap();
    map.send_keys(Key::Right).await.unwrap();
    map.send_keys(Key::Right).await.unwrap();
    let name = b
        .find(By::Css("#ed-item input[name='name_zh']"))
        .await
        .unwrap();
    name.clear().await.unwrap();
    name.send_keys("直饮水机").await.unwrap();

    // A negative quantity is refused, naming the item.
    let qty = b
        .find(By::Css("#ed-item input[name='expected']"))
        .await
        .unwrap();
    qty.clear().await.unwrap();
    qty.send_keys("-1").await.unwrap();
    click(&b, "#ed-save").await;
    wait_for("the refusal", Duration::from_secs(10), || async {
        let t = text_of(&b, "ed-error").await;
        t.contains("直饮水机") && t.contains("定额数量")
    })
    .await;
    qty.clear().await.unwrap();
    qty.send_keys("1").await.unwrap();
    click(&b, "#ed-save").await;
    wait_for("version 2", Duration::from_secs(10), || async {
        text_of(&b, "ed-version").await == "v2"
    })
    .await;
    no_js_errors(&b).await;
    let m = app.store.layout_map(app.fx.hall.id).await.unwrap().unwrap();
    let w = m.layout.item("water_dispenser").unwrap();
    let before = sample();
    let was = before.item("water_dispenser").unwrap();
    assert_eq!(
        (w.name_zh.as_str(), w.x, w.y),
        ("直饮水机", was.x + 20, was.y)
    );
    quit(b).await;
}
