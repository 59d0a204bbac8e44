//! A staff list at the manager's desk (1366×768): pick a filter, turn to the next page, and
//! the export link carries the same filters (the file it gives holds those rows).

use super::*;
use crate::common::{App, Auth};
use reqwest::Method;
use serde_json::json;
use servicehall_domain::DeviceKind;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_filters_pages_and_exports_what_it_shows() {
    let Some(d) = driver("a_list_filters_pages_and_exports_what_it_shows").await else {
        return;
    };
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    // Five phone ratings: three 4s, a 5 and a 1.
    for level in [4, 5, 4, 1, 4] {
        let t = app.issue(Auth::Device(&kiosk), "payment").await;
        let id = t["id"].as_i64().unwrap();
        app.call_next(&clerk, 1).await.unwrap();
        app.serve_and_finish(&clerk, id).await;
        let mut body = json!({"level": level});
        if level < 3 {
            body["reasons"] = json!(["long_wait"]);
        }
        let code = t["code"].as_str().unwrap();
        app.post(
            &format!("/api/v1/public/tickets/{code}/rating"),
            Auth::Anon,
            Some(body),
        )
        .await
        .expect(201);
    }
    let b = browser(&d, 1366, 768).await;
    watch_errors(&b).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/feedback/ratings?per=2", app.base))
        .await
        .unwrap();
    assert!(text_of(&b, "list-count").await.contains("共 5 条"));
    // Pick 满意 (4) and apply: three rows, two on this page.
    click(&b, "select[name=score] option[value='4']").await;
    click(&b, "#list-apply").await;
    wait_for("the filtered list", Duration::from_secs(10), || async {
        b.current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("score=4")
    })
    .await;
    let count = text_of(&b, "list-count").await;
    assert!(
        count.contains("共 3 条") && count.contains("第 1–2 条"),
        "{count}"
    );
    let rows = b
        .find_all(By::Css("#ratings-table tbody tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    // The next page keeps the filter.
    click(&b, "#page-next").await;
    wait_for("page 2", Duration::from_secs(10), || async {
        b.current_url()
            .await
            .unwrap()
            .query()
            .unwrap_or("")
            .contains("page=2")
    })
    .await;
    let count = text_of(&b, "list-count").await;
    assert!(count.contains("第 3–3 条"), "{count}");
    let url = b.current_url().await.unwrap();
    assert!(url.query().unwrap().contains("score=4"), "{url}");
    // The export link carries the filters; its workbook has the three rows (and the header).
    let href = b
        .find(By::Id("list-xlsx"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        href.contains("score=4") && href.contains("format=xlsx"),
        "{href}"
    );
    assert!(
        !href.contains("page="),
        "an export holds every page: {href}"
    );
    let manager = app.login("manager").await;
    let res = app
        .request(Method::GET, &href, Auth::Person(&manager))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let bytes = res.bytes().await.unwrap().to_vec();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = book.worksheet_range("评价明细").unwrap();
    assert_eq!(range.height(), 4);
    // Nothing spills past the desk's width.
    let wide: bool = b
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    assert!(!wide, "the list fits 1366 px");
    no_js_errors(&b).await;
    quit(b).await;
}
