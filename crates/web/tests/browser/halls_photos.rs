//! Setting a staff member's photo from the hall's staff list: a file that is no image is
//! refused with the reason in both languages; a photo shows in the list at once.

use super::*;
use crate::common::App;

async fn upload(b: &WebDriver, staff: i64, path: &std::path::Path) {
    let form = format!("#photo-form-{staff}");
    b.find(By::Css(format!("{form} input[type=file]")))
        .await
        .unwrap()
        .send_keys(path.to_str().unwrap())
        .await
        .unwrap();
    click(b, &format!("{form} button[type=submit]")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_sets_a_photo_and_a_non_image_is_refused() {
    let Some(d) = driver("a_manager_sets_a_photo_and_a_non_image_is_refused").await else {
        return;
    };
    let app = App::start().await;
    let staff = app.fx.clerks[0].id;
    let dir = std::env::temp_dir().join(format!("sh-photo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fake = dir.join("photo.png");
    std::fs::write(
        &fake,
        b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    )
    .unwrap();
    let real = dir.join("me.png");
    let bytes = {
        let url = super::evaluator::png_url(300, 400);
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(url.split_once(',').unwrap().1)
            .unwrap()
    };
    std::fs::write(&real, bytes).unwrap();

    let b = browser(&d, 1366, 768).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/admin/halls/{}", app.base, app.fx.hall.id))
        .await
        .unwrap();
    watch_errors(&b).await;
    click(&b, &format!("#staff-{staff} summary")).await;
    upload(&b, staff, &fake).await;
    let err = format!("#photo-form-{staff} .error-box");
    wait_for("the refusal", Duration::from_secs(8), || async {
        css_text(&b, &err).await.contains("JPEG")
    })
    .await;
    let m = css_text(&b, &err).await;
    assert!(
        m.starts_with("只接受 JPEG 或 PNG 照片") && m.contains("· only JPEG and PNG"),
        "{m}"
    );
    assert_eq!(
        servicehall_store::HallStore::staff(&*app.store, staff)
            .await
            .unwrap()
            .photo,
        ""
    );
    upload(&b, staff, &real).await;
    wait_for("the thumbnail in the list", Duration::from_secs(8), || async {
        b.execute(
            "const i = document.querySelector(arguments[0]); return !!i && i.complete && i.naturalWidth > 0;",
            vec![serde_json::json!(format!("#staff-{staff} .staff-photo img"))],
        )
        .await
        .unwrap()
        .convert::<bool>()
        .unwrap_or(false)
    })
    .await;
    no_js_errors(&b).await;
    quit(b).await;
    let _ = std::fs::remove_dir_all(&dir);
}
