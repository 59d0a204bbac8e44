//! The staff lists' shared frame over HTTP: filters and paging kept in the URL, the Excel
//! export holding what the screen lists (read back with calamine), the print view without
//! navigation, and personal data masked by role (manager in full, supervisor masked, guide
//! refused).

use crate::common::{App, Auth, Resp, Session};
use calamine::{Data, Reader, Xlsx};
use reqwest::Method;
use serde_json::json;
use servicehall_domain::{DeviceKind, Role};

/// Three finished visits at counter 1 rated on the phone: 5, 4 and a real-name 1.
async fn rated_visits(app: &App) {
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    for body in [
        json!({"level": 5}),
        json!({"level": 4}),
        json!({"level": 1, "reasons": ["long_wait"], "contact_phone": "13912345678", "contact_name": "李秀英", "comment": "等了很久"}),
    ] {
        let t = app.issue(Auth::Device(&kiosk), "payment").await;
        let id = t["id"].as_i64().unwrap();
        app.call_next(&clerk, 1).await.unwrap();
        app.serve_and_finish(&clerk, id).await;
        let code = t["code"].as_str().unwrap();
        app.post(
            &format!("/api/v1/public/tickets/{code}/rating"),
            Auth::Anon,
            Some(body),
        )
        .await
        .expect(201);
    }
}

/// The workbook at `path` for `who`: its first sheet's rows as text (numbers as `n:…`).
pub(crate) async fn workbook(
    app: &App,
    path: &str,
    who: &Session,
) -> (reqwest::header::HeaderMap, Vec<Vec<String>>) {
    let res = app
        .request(Method::GET, path, Auth::Person(who))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let headers = res.headers().clone();
    let bytes = res.bytes().await.unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
        .expect("the export opens as a workbook");
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    let rows = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Float(f) => format!("n:{f}"),
                    Data::Int(i) => format!("n:{i}"),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    (headers, rows)
}

pub(crate) fn column(rows: &[Vec<String>], head: &str) -> usize {
    rows[0]
        .iter()
        .position(|h| h == head)
        .unwrap_or_else(|| panic!("no column {head} in {:?}", rows[0]))
}

#[tokio::test]
async fn the_ratings_export_holds_the_filtered_rows_and_masks_by_role() {
    let app = App::start().await;
    rated_visits(&app).await;
    let manager = app.login("manager").await;
    let code = app.fx.hall.code.clone();

    // Unfiltered: the three ratings; the header row is the screen's columns.
    let (headers, rows) = workbook(&app, "/feedback/ratings?format=xlsx", &manager).await;
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains(&format!(
            "filename*=UTF-8''%E8%AF%84%E4%BB%B7%E6%98%8E%E7%BB%86-{code}-"
        )),
        "{disposition}"
    );
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(rows[0][0], "时间 When");
    let screen = app.get("/feedback/ratings", Auth::Person(&manager)).await;
    assert_eq!(screen.status, 200);
    assert!(screen.text.contains("评分 <span class=\"en\">Score</span>"));
    let (score, phone, rater) = (
        column(&rows, "评分 Score"),
        column(&rows, "电话 Phone"),
        column(&rows, "评价人 Rater"),
    );
    // Numbers are numbers; dates are `YYYY-MM-DD HH:MM` text.
    let mut scores: Vec<&str> = rows[1..].iter().map(|r| r[score].as_str()).collect();
    scores.sort();
    assert_eq!(scores, vec!["n:1", "n:4", "n:5"]);
    assert_eq!(rows[1][0].len(), 16, "{}", rows[1][0]);

    // score=1: the one bad rating, the manager sees whom to call.
    let (_, rows) = workbook(&app, "/feedback/ratings?score=1&format=xlsx", &manager).await;
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][phone], "13912345678");
    assert_eq!(rows[1][rater], "李秀英");
    let (_, none) = workbook(&app, "/feedback/ratings?score=3&format=xlsx", &manager).await;
    assert_eq!(none.len(), 1, "only the header: {none:?}");

    // A supervisor above the hall gets the same row, masked.
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let (_, rows) = workbook(
        &app,
        &format!("/feedback/ratings?hall={code}&score=1&format=xlsx"),
        &sup,
    )
    .await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][phone], "139****5678");
    assert_ne!(rows[1][rater], "李秀英");
    let page = app
        .get(
            &format!("/feedback/ratings?hall={code}"),
            Auth::Person(&sup),
        )
        .await;
    assert!(!page.text.contains("13912345678") && page.text.contains("139****5678"));
    // A guide sees no figures at all.
    let guide = app.login("guide").await;
    assert_eq!(
        app.get("/feedback/ratings", Auth::Person(&guide))
            .await
            .status,
        403
    );
    assert_eq!(
        app.get("/feedback/recovery?format=xlsx", Auth::Person(&guide))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn lists_page_with_the_filters_kept_and_print_without_navigation() {
    let app = App::start().await;
    rated_visits(&app).await;
    let manager = app.login("manager").await;

    // Two per page: page 1 of 2 with a next link that keeps the filter.
    let page = app
        .get("/feedback/ratings?kind=phone&per=2", Auth::Person(&manager))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("共 3 条"), "{}", page.text);
    let next = page
        .text
        .split("id=\"page-next\" href=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a next-page link");
    assert!(next.starts_with("/feedback/ratings?from="), "{next}");
    assert!(
        next.ends_with("&#38;kind=phone&#38;per=2&#38;page=2"),
        "{next}"
    );
    let second = app
        .get(
            "/feedback/ratings?kind=phone&per=2&page=2",
            Auth::Person(&manager),
        )
        .await;
    assert!(second.text.contains("第 3–3 条"));
    let empty = app
        .get("/feedback/ratings?kind=pad", Auth::Person(&manager))
        .await;
    assert!(
        empty
            .text
            .contains("没有符合条件的评价 · No ratings match these filters.")
    );

    // Bad input is named, in both languages.
    let bad: Resp = app
        .get("/feedback/ratings?page=0", Auth::Person(&manager))
        .await;
    assert_eq!(bad.status, 400);
    assert!(
        bad.text.contains("page") && bad.text.contains("须为"),
        "{}",
        bad.text
    );
    assert_eq!(
        app.get("/feedback/recovery?state=lost", Auth::Person(&manager))
            .await
            .status,
        400
    );

    // The print view: title, filters, generated time, every row, no top bar or navigation.
    let print = app
        .get(
            "/feedback/ratings?kind=phone&per=2&format=print",
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(print.status, 200);
    assert!(print.text.contains("评价明细"));
    assert!(
        print.text.contains("渠道 Channel: 一事一评"),
        "{}",
        print.text
    );
    assert!(print.text.contains("生成时间 Generated"));
    assert_eq!(
        print.text.matches("<tr>").count(),
        1 + 3,
        "header and all three rows"
    );
    assert!(
        !print.text.contains("class=\"topbar\"") && !print.text.contains("/feedback/recovery\"")
    );
    assert!(page.text.contains("class=\"topbar\""));

    // The recovery list: the manager's phone in full, the filters in SQL.
    let rec = app.get("/feedback/recovery", Auth::Person(&manager)).await;
    assert!(rec.text.contains("未回访 missing") && rec.text.contains("13912345678"));
    let closed = app
        .get("/feedback/recovery?state=closed", Auth::Person(&manager))
        .await;
    assert!(
        closed.text.contains("没有符合条件的差评"),
        "{}",
        closed.text
    );
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let code = &app.fx.hall.code;
    let (_, rows) = workbook(
        &app,
        &format!("/feedback/recovery?hall={code}&format=xlsx"),
        &sup,
    )
    .await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][column(&rows, "客户电话 Phone")], "139****5678");
    let (_, rows) = workbook(&app, "/feedback/recovery?state=open&format=xlsx", &manager).await;
    assert_eq!(rows[1][column(&rows, "客户电话 Phone")], "13912345678");

    // Observations use the same frame.
    let (_, rows) = workbook(
        &app,
        &format!("/observations?hall={code}&format=xlsx"),
        &sup,
    )
    .await;
    assert_eq!(
        rows,
        vec![vec![
            "时间 When",
            "营业厅 Hall",
            "窗口 Counter",
            "柜员 Clerk",
            "检查人 Observer",
            "方式 Kind",
            "得分 Score",
            "未达标 Not met"
        ]]
    );
}

#[tokio::test]
async fn the_case_register_masks_the_customer_except_for_owner_and_manager() {
    let app = App::start().await;
    let hall = app.fx.hall.code.clone();
    let owner = app.clerk_on_duty(2).await;
    let body = json!({
        "kind": "complaint",
        "customer_class": "resident",
        "customer_name": "张三丰",
        "customer_phone": "13812345678",
        "account_no": "0101234567",
        "summary": "等候过久",
    });
    app.post(
        &format!("/api/v1/halls/{hall}/cases"),
        Auth::Person(&owner),
        Some(body),
    )
    .await
    .expect(201);
    let customer = |rows: &[Vec<String>]| {
        let r = &rows[1];
        (
            r[column(rows, "客户 Customer")].clone(),
            r[column(rows, "电话 Phone")].clone(),
            r[column(rows, "户号 Account")].clone(),
        )
    };
    let full = (
        "张三丰".to_string(),
        "13812345678".to_string(),
        "0101234567".to_string(),
    );
    let manager = app.login("manager").await;
    let (_, rows) = workbook(&app, "/cases/register?kind=complaint&format=xlsx", &manager).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(customer(&rows), full);
    let (_, rows) = workbook(&app, "/cases/register?format=xlsx", &owner).await;
    assert_eq!(customer(&rows), full, "the owner calls the customer");
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let (_, rows) = workbook(
        &app,
        &format!("/cases/register?hall={hall}&format=xlsx"),
        &sup,
    )
    .await;
    let (name, phone, account) = customer(&rows);
    assert!(
        name != full.0 && phone == "138****5678" && account != full.2,
        "{name} {phone} {account}"
    );
    let other = app.clerk_on_duty(1).await;
    let page = app.get("/cases/register", Auth::Person(&other)).await;
    assert!(page.text.contains("138****5678") && !page.text.contains("13812345678"));
    // Filters reach SQL: no application, nothing overdue yet.
    let (_, rows) = workbook(
        &app,
        "/cases/register?kind=application&format=xlsx",
        &manager,
    )
    .await;
    assert_eq!(rows.len(), 1);
    let (_, rows) = workbook(&app, "/cases/register?state=overdue&format=xlsx", &manager).await;
    assert_eq!(rows.len(), 1);
    let guide = app.login("guide").await;
    assert_eq!(
        app.get("/cases/register", Auth::Person(&guide))
            .await
            .status,
        403
    );
}
