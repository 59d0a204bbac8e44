//! An inspection with a photo upload on a tablet (1024×768), and its rectification: the
//! supervisor fails an item, photographs it and submits; the case it opened is linked; the
//! hall manager adds a photo of the fix and records it, and is told someone else must
//! verify; the supervisor accepts and the case is verified.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_domain::inspections::shipped::shipped;
use servicehall_store::{InspectionPhotoStore, InspectionStore};

fn photo_file(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sh-rect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, crate::http::rectification::jpeg_with_exif()).unwrap();
    path
}

async fn pick(b: &WebDriver, css: &str, path: &std::path::Path) {
    b.find(By::Css(css))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
}

async fn sign_out(b: &WebDriver) {
    b.delete_all_cookies().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_inspection_photo_becomes_a_rectification_verified_by_someone_else() {
    let Some(d) =
        driver("an_inspection_photo_becomes_a_rectification_verified_by_someone_else").await
    else {
        return;
    };
    let app = App::start().await;
    app.store
        .install_inspection_templates(&shipped().unwrap(), app.now())
        .await
        .unwrap();
    app.above_halls("sup_b", Role::Supervisor).await;
    let hall = app.fx.hall.code.clone();
    let base = app.base.clone();
    let b = browser(&d, 1024, 768).await;
    sign_in(&b, &base, "sup_b").await;
    b.goto(format!("{base}/inspections?hall={hall}"))
        .await
        .unwrap();
    watch_errors(&b).await;
    let opening = app
        .store
        .inspection_templates(app.fx.hall.id)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.template.code == "opening")
        .unwrap();
    click(&b, &format!("#ins-template option[value='{}']", opening.id)).await;
    click(&b, "#ins-go").await;
    wait_for("the checklist", Duration::from_secs(30), || async {
        visible(&b, "ins-run").await
    })
    .await;
    let keys: Vec<String> = {
        let mut v = Vec::new();
        for e in b.find_all(By::Css(".ins-item")).await.unwrap() {
            v.push(e.attr("data-key").await.unwrap().unwrap());
        }
        v
    };
    for (n, k) in keys.iter().enumerate() {
        let r = if k == "floor_clean" { "fail" } else { "pass" };
        click(&b, &format!(".ins-item[data-key='{k}'] .ins-{r}")).await;
        wait_for("the tap saved", Duration::from_secs(30), || async {
            css_text(&b, "#ins-provisional")
                .await
                .contains(&format!("{}/{}", n + 1, keys.len()))
        })
        .await;
    }
    b.find(By::Css(".ins-item[data-key='floor_clean'] textarea"))
        .await
        .unwrap()
        .send_keys("入口处有水渍")
        .await
        .unwrap();
    // The camera button is a finger's size, and the photo shows as a thumbnail once kept.
    let h: f64 = b
        .execute("return document.querySelector(\".ev-strip[data-key='floor_clean'] .ev-add\").getBoundingClientRect().height", vec![])
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(h >= 48.0, "the photo button is {h}px high");
    pick(
        &b,
        ".ev-strip[data-key='floor_clean'] input.ev-file",
        &photo_file("floor.jpg"),
    )
    .await;
    wait_for("the thumbnail", Duration::from_secs(15), || async {
        b.find_all(By::Css(".ev-strip[data-key='floor_clean'] .ev-thumb img"))
            .await
            .unwrap()
            .len()
            == 1
    })
    .await;
    wait_for("the thumbnail served", Duration::from_secs(30), || async {
        b.execute(
            "const i = document.querySelector('.ev-thumb img'); return i.complete && i.naturalWidth > 0",
            vec![],
        )
        .await
        .unwrap()
        .convert::<bool>()
        .unwrap()
    })
    .await;
    click(&b, "#ins-submit").await;
    wait_for("the result", Duration::from_secs(30), || async {
        visible(&b, "ins-result").await
    })
    .await;
    assert!(visible(&b, "ins-rect").await);
    assert!(
        css_text(&b, "#ins-rect").await.contains("地面"),
        "{}",
        css_text(&b, "#ins-rect").await
    );
    no_js_errors(&b).await;
    let inspection = app.store.inspections(app.fx.hall.id, 0, 1).await.unwrap()[0].id;
    let photos = app.store.inspection_photos(inspection).await.unwrap();
    assert_eq!(photos.len(), 1);
    click(&b, "#ins-rect a").await;
    wait_for("the rectification", Duration::from_secs(30), || async {
        visible(&b, "rect-fix").await
    })
    .await;
    assert!(text_of(&b, "rect-stage").await.contains("待整改"));
    assert_eq!(
        b.find_all(By::Css("#rect-before .ev-thumb"))
            .await
            .unwrap()
            .len(),
        1
    );
    let url = b.current_url().await.unwrap().to_string();

    // The hall manager photographs the fix and records it.
    sign_out(&b).await;
    sign_in(&b, &base, "manager").await;
    b.goto(&url).await.unwrap();
    watch_errors(&b).await;
    pick(&b, "#rect-photo", &photo_file("after.jpg")).await;
    wait_for("the fix photo", Duration::from_secs(15), || async {
        b.find_all(By::Css("#rect-after .ev-thumb"))
            .await
            .unwrap()
            .len()
            == 1
    })
    .await;
    b.find(By::Id("rect-fix-note"))
        .await
        .unwrap()
        .send_keys("已拖干并放置防滑垫")
        .await
        .unwrap();
    click(&b, "#rect-fix-go").await;
    wait_for("fixed", Duration::from_secs(30), || async {
        visible(&b, "rect-verify").await && text_of(&b, "rect-stage").await.contains("待验证")
    })
    .await;
    assert!(
        visible(&b, "rect-not-you").await,
        "the fixer is told someone else verifies"
    );
    assert!(b.find_all(By::Id("rect-accept")).await.unwrap().is_empty());
    no_js_errors(&b).await;

    // The supervisor verifies.
    sign_out(&b).await;
    sign_in(&b, &base, "sup_b").await;
    b.goto(&url).await.unwrap();
    watch_errors(&b).await;
    click(&b, "#rect-accept").await;
    wait_for("verified", Duration::from_secs(30), || async {
        text_of(&b, "rect-stage").await.contains("已销号")
    })
    .await;
    no_js_errors(&b).await;
    b.goto(format!("{base}/rectifications?hall={hall}&state=closed"))
        .await
        .unwrap();
    assert!(css_text(&b, "#rect-table").await.contains("地面"));
    quit(b).await;
}
