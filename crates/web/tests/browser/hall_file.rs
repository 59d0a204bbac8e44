//! The hall file in the browser: an administrator uploads a YAML file with a mistake, reads
//! the line and field, uploads the corrected file and sees the new staff's one-time
//! passwords once; the new hall is listed with its export links.

use super::*;
use crate::common::App;
use servicehall_domain::Role;
use servicehall_store::HallStore;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_administrator_uploads_a_hall_file_and_reads_the_passwords_once() {
    let Some(d) = driver("an_administrator_uploads_a_hall_file_and_reads_the_passwords_once").await
    else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    app.above_halls("root", Role::Admin).await;
    let good = servicehall_web::hall_xlsx::EXAMPLE.replace("code: DL-XH", "code: DL-HF");
    let bad = good.replace("prefix: B", "prefix: bb");
    let dir = std::env::temp_dir().join(format!("sh-hallfile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (bad_path, good_path) = (dir.join("bad.yaml"), dir.join("dl-hf.yaml"));
    std::fs::write(&bad_path, bad).unwrap();
    std::fs::write(&good_path, good).unwrap();

    let b = browser(&d, 1366, 900).await;
    sign_in(&b, &base, "root").await;
    let upload = |path: std::path::PathBuf| {
        let b = b.clone();
        let base = base.clone();
        async move {
            b.goto(format!("{base}/admin#hall-file")).await.unwrap();
            b.find(By::Css("#hall-file-form input[type=file]"))
                .await
                .unwrap()
                .send_keys(path.display().to_string())
                .await
                .unwrap();
            click(&b, "#hall-file-form button[type=submit]").await;
            wait_for("the upload's answer", Duration::from_secs(10), || async {
                b.find(By::Id("hall-file-result")).await.is_ok()
            })
            .await;
        }
    };

    upload(bad_path).await;
    let errors = text_of(&b, "hall-file-errors").await;
    assert!(errors.contains("business_types[1]"), "{errors}");
    assert!(errors.contains("line"), "{errors}");
    assert!(app.store.hall_by_code("DL-HF").await.is_err());

    upload(good_path).await;
    let table = text_of(&b, "one-time-passwords").await;
    assert!(
        table.contains("xh_clerk1") && table.contains("xh_manager"),
        "{table}"
    );
    assert!(app.store.hall_by_code("DL-HF").await.is_ok());
    b.goto(format!("{base}/admin")).await.unwrap();
    let row = css_text(&b, "tr[data-hall='DL-HF']").await;
    assert!(row.contains("YAML") && row.contains("Excel"), "{row}");
    let _ = std::fs::remove_dir_all(&dir);
    quit(b).await;
}
