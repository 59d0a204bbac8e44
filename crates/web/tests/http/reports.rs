//! Monthly reports over HTTP: a hall's month as JSON, the A4 page and the workbook (opened
//! with calamine: a sheet per section, a figure counted from real visits); kept with the
//! history (the SHA-256 of the bytes downloaded again); and who may make which report.

use crate::common::{App, Auth};
use crate::http::regions::{supervisor, tree};
use calamine::{Data, Reader};
use reqwest::Method;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{HallStore, ReportStore};

fn this_month(app: &App) -> String {
    let t = chrono::DateTime::from_timestamp_millis(app.now() + 8 * 3_600_000).unwrap();
    t.format("%Y-%m").to_string()
}

async fn bytes(app: &App, path: &str, auth: Auth<'_>) -> (u16, String, Vec<u8>) {
    let res = app.request(Method::GET, path, auth).send().await.unwrap();
    let status = res.status().as_u16();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ct, res.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn a_hall_month_is_reported_as_json_page_and_workbook() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    for _ in 0..3 {
        app.finished_visit(&clerk, &kiosk).await;
    }
    let manager = app.login("manager").await;
    let hall = app.fx.hall.code.clone();
    let month = this_month(&app);
    let q = format!("/api/v1/reports/monthly?hall={hall}&month={month}");
    let v = app.get(&q, Auth::Person(&manager)).await.expect(200);
    let codes: Vec<&str> = v["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        [
            "summary",
            "queue",
            "cases",
            "feedback",
            "site",
            "conformance",
            "audit"
        ]
    );
    let summary = &v["sections"][0]["rows"];
    let served = summary
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "served")
        .unwrap();
    assert_eq!(served["value"], 3.0, "{served}");
    assert_eq!(served["trend"].as_array().unwrap().len(), 6);
    assert!(served["previous"].is_null(), "nothing last month: {served}");
    assert_eq!(v["items"].as_array().unwrap().len(), 31);
    assert_eq!(v["generated_by"], "manager");
    // The month's visits were sealed into the hall's chain or not yet: either way the pin
    // names the hall's chain.
    let head = v["audit_head"].as_str().unwrap();
    assert!(
        head == "—" || head.starts_with(&format!("{}:", app.fx.hall.id)),
        "{head}"
    );

    // The A4 page: print CSS, a section per page, the pin in its footer.
    let page = app
        .get(&format!("{q}&format=html"), Auth::Person(&manager))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.content_type().starts_with("text/html"));
    assert!(page.text.contains("/static/css/reports.css"));
    assert!(page.text.contains("id=\"section-conformance\""));
    assert!(
        page.text.contains(&format!("id=\"audit-head\">{head}<")),
        "pin in the footer"
    );
    // A4, with the hall, the month and the pin in every printed page's margin boxes.
    assert!(page.text.contains("size: A4") && page.text.contains("@bottom-left"));
    assert!(page.text.contains(&format!("审计链头 Audit head {head}\"")));
    let css = app.get("/static/css/reports.css", Auth::Anon).await;
    assert!(css.text.contains("break-before: page"));

    // The workbook: a sheet per section, the served figure where the summary puts it.
    let (status, ct, xlsx) = bytes(&app, &format!("{q}&format=xlsx"), Auth::Person(&manager)).await;
    assert_eq!(
        (status, ct.as_str()),
        (200, servicehall_web::xlsx::CONTENT_TYPE)
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "概要 Summary",
            "排队 Queue",
            "工单 Cases",
            "评价 Feedback",
            "现场 Site",
            "达标 Conformance",
            "审计 Audit"
        ]
    );
    let sheet = book.worksheet_range("概要 Summary").unwrap();
    let row = (0..sheet.height() as u32)
        .find(|&r| {
            matches!(sheet.get_value((r, 0)), Some(Data::String(s)) if s.starts_with("办结人次"))
        })
        .expect("the served row");
    assert_eq!(sheet.get_value((row, 2)), Some(&Data::Float(3.0)));

    // Bad input says what to fix.
    let p = app
        .get(&format!("{q}&format=pdf"), Auth::Person(&manager))
        .await
        .problem(422);
    assert!(p.contains("xlsx"), "{p}");
    let p = app
        .get(
            "/api/v1/reports/monthly?month=2026-03",
            Auth::Person(&manager),
        )
        .await
        .problem(422);
    assert!(p.contains("hall=") && p.contains("region="), "{p}");
    app.get(
        &format!("/api/v1/reports/monthly?hall={hall}&month=2026-3"),
        Auth::Person(&manager),
    )
    .await
    .problem(422);
}

#[tokio::test]
async fn kept_reports_have_a_history_and_stay_in_scope() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.code.clone();
    let kept = app
        .post(
            &format!("/api/v1/reports/monthly?hall={hall}&month=2026-01"),
            Auth::Person(&manager),
            None,
        )
        .await
        .expect(201);
    assert_eq!(
        (kept["month"].as_str(), kept["scope"].as_str()),
        (Some("2026-01"), Some("hall"))
    );
    let list = app
        .get("/api/v1/reports", Auth::Person(&manager))
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let url = kept["xlsx_url"].as_str().unwrap();
    let (status, _, xlsx) = bytes(&app, url, Auth::Person(&manager)).await;
    assert_eq!(status, 200);
    // The bytes downloaded are the bytes whose SHA-256 the history keeps.
    assert_eq!(
        servicehall_domain::audit::sha256_hex(&xlsx),
        kept["sha256"].as_str().unwrap()
    );
    let page = app
        .get(kept["html_url"].as_str().unwrap(), Auth::Person(&manager))
        .await;
    assert!(page.text.contains("2026-01"), "{}", page.text);

    // The other hall's manager neither lists nor downloads it; a clerk makes no reports.
    let clerk = app.login("clerk2").await;
    app.get("/api/v1/reports", Auth::Person(&clerk))
        .await
        .problem(403);
    app.get(
        &format!("/api/v1/reports/monthly?hall={hall}"),
        Auth::Person(&clerk),
    )
    .await
    .problem(403);
    let other = app.fx.other_hall.code.clone();
    app.get(
        &format!("/api/v1/reports/monthly?hall={other}"),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
    let p = app
        .get("/api/v1/reports/monthly?region=LN", Auth::Person(&manager))
        .await
        .problem(403);
    assert!(p.contains("区域"), "{p}");

    // Regions: the administrator reports on the province, a city's supervisor on the city
    // only, and sees its history (not the hall's other city).
    let admin = app.above_halls("admin", Role::Admin).await;
    let (_ln, dl, _sy) = tree(&app, &admin).await;
    let v = app
        .get(
            "/api/v1/reports/monthly?region=LN&month=2026-01",
            Auth::Person(&admin),
        )
        .await
        .expect(200);
    assert_eq!(
        (v["scope"].as_str(), v["halls"].as_u64()),
        (Some("region"), Some(2))
    );
    let sup = supervisor(&app, &admin, "sup-dl", dl).await;
    app.get("/api/v1/reports/monthly?region=LN", Auth::Person(&sup))
        .await
        .problem(403);
    app.post(
        "/api/v1/reports/monthly?region=LN-DL&month=2026-01",
        Auth::Person(&sup),
        None,
    )
    .await
    .expect(201);
    let seen = app
        .get("/api/v1/reports", Auth::Person(&sup))
        .await
        .expect(200);
    let scopes: Vec<&str> = seen
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["scope_code"].as_str().unwrap())
        .collect();
    assert_eq!(scopes, ["LN-DL", hall.as_str()]);
    app.get("/api/v1/reports/monthly?region=NOPE", Auth::Person(&admin))
        .await
        .problem(404);
    app.get("/api/v1/reports/999999", Auth::Person(&admin))
        .await
        .problem(404);
}

#[tokio::test]
async fn the_month_end_step_keeps_each_report_once() {
    let app = App::start().await;
    let store = app.store.clone();
    let now = app.now();
    let made = servicehall_web::api::reports::schedule::month_end_once(store.as_ref(), now)
        .await
        .unwrap();
    // Every hall of the fixture (no regions yet), once.
    let halls = store.halls().await.unwrap().len();
    assert_eq!(made, halls);
    let again = servicehall_web::api::reports::schedule::month_end_once(store.as_ref(), now)
        .await
        .unwrap();
    assert_eq!(again, 0);
    let kept = store.reports(None, 50).await.unwrap();
    assert!(kept.iter().all(|r| r.generated_by == "schedule"));
}
