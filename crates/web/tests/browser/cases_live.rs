//! The case page in the browser: a clerk uploads a scanned document from the case page and
//! supersedes it; changes made elsewhere (a hall manager pausing a clock, a colleague
//! opening a case) appear on the case page and on the lists without a reload.

use super::*;
use crate::common::{App, Auth};
use serde_json::json;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde";

async fn open_complaint(app: &App, who: &crate::common::Session, name: &str) -> i64 {
    let hall = &app.fx.hall.code;
    app.post(
        &format!("/api/v1/halls/{hall}/cases"),
        Auth::Person(who),
        Some(json!({"kind": "complaint", "customer_name": name, "customer_phone": "13812345678"})),
    )
    .await
    .expect(201)["id"]
        .as_i64()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_on_the_case_page_and_live_updates() {
    let Some(d) = driver("upload_on_the_case_page_and_live_updates").await else {
        return;
    };
    let app = App::start().await;
    let base = app.base.clone();
    let clerk_api = app.login("clerk1").await;
    let manager_api = app.login("manager").await;
    let cid = open_complaint(&app, &clerk_api, "赵客户").await;

    // The clerk on the case page; the manager on the list of all open cases.
    let clerk = browser(&d, 1366, 900).await;
    sign_in(&clerk, &base, "clerk1").await;
    clerk.goto(format!("{base}/cases/{cid}")).await.unwrap();
    watch_errors(&clerk).await;
    wait_for("the live stream", Duration::from_secs(10), || async {
        text_of(&clerk, "live-state").await.contains("实时")
    })
    .await;
    let manager = browser(&d, 1366, 900).await;
    sign_in(&manager, &base, "manager").await;
    manager
        .goto(format!("{base}/cases?view=open"))
        .await
        .unwrap();
    watch_errors(&manager).await;
    wait_for(
        "the list with one case",
        Duration::from_secs(10),
        || async {
            manager
                .find_all(By::Css("#case-rows tr[data-id]"))
                .await
                .map(|r| r.len())
                .unwrap_or(0)
                == 1
                && text_of(&manager, "live-state").await.contains("实时")
        },
    )
    .await;

    // Upload a scanned ID card from the case page.
    let path = std::env::temp_dir().join(format!("sh-id-card-{}.png", std::process::id()));
    std::fs::write(&path, PNG).unwrap();
    let input = clerk.find(By::Id("doc-file")).await.unwrap();
    input
        .send_keys(path.to_string_lossy().as_ref())
        .await
        .unwrap();
    clerk
        .find(By::Id("upload-note"))
        .await
        .unwrap()
        .send_keys("正面")
        .await
        .unwrap();
    click(&clerk, "#doc-upload").await;
    wait_for(
        "the uploaded document listed",
        Duration::from_secs(10),
        || async { text_of(&clerk, "documents").await.contains("sh-id-card") },
    )
    .await;
    let docs = text_of(&clerk, "documents").await;
    assert!(docs.contains("PNG") && docs.contains("DL001"), "{docs}");
    let href = clerk
        .find(By::Css("#documents a.doc-link"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(href.ends_with("/file"), "{href}");
    std::fs::remove_file(&path).ok();

    // Supersede it: kept, struck through, with the reason.
    click(&clerk, "#documents button[data-supersede]").await;
    clerk
        .find(By::Id("sup-reason"))
        .await
        .unwrap()
        .send_keys("扫描不清，已重新上传")
        .await
        .unwrap();
    click(&clerk, "#sup-ok").await;
    wait_for(
        "the document superseded",
        Duration::from_secs(10),
        || async {
            clerk
                .find(By::Css("#documents li.superseded"))
                .await
                .is_ok()
        },
    )
    .await;
    assert!(text_of(&clerk, "documents").await.contains("扫描不清"));

    // The hall manager pauses the contact clock elsewhere: the clerk's page follows.
    app.post(
        &format!("/api/v1/cases/{cid}/clocks/contact.contact/pause"),
        Auth::Person(&manager_api),
        Some(json!({"reason": "客户预约明天来电"})),
    )
    .await
    .expect(200);
    wait_for(
        "the pause on the clerk's page",
        Duration::from_secs(5),
        || async { text_of(&clerk, "clocks").await.contains("客户预约明天来电") },
    )
    .await;
    // A colleague opens a new case: the manager's list grows without a reload.
    let clerk2 = app.login("clerk2").await;
    open_complaint(&app, &clerk2, "钱客户").await;
    wait_for(
        "the new case on the manager's list",
        Duration::from_secs(5),
        || async {
            manager
                .find_all(By::Css("#case-rows tr[data-id]"))
                .await
                .map(|r| r.len())
                .unwrap_or(0)
                == 2
        },
    )
    .await;
    no_js_errors(&clerk).await;
    no_js_errors(&manager).await;
    for b in [clerk, manager] {
        quit(b).await;
    }
}
