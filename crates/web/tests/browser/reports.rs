//! Monthly reports at the manager's desk (1366×768): keep this month's report from
//! `/reports`, find it in the history, download its workbook in the browser and open the
//! bytes (calamine: a sheet per section, the visits served), and open its A4 page.

use super::*;
use crate::common::App;
use base64::Engine;
use calamine::{Data, Reader};
use servicehall_domain::DeviceKind;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_manager_keeps_downloads_and_opens_a_monthly_report() {
    let Some(d) = driver("a_manager_keeps_downloads_and_opens_a_monthly_report").await else {
        return;
    };
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    for _ in 0..2 {
        app.finished_visit(&clerk, &kiosk).await;
    }
    let month = chrono::DateTime::from_timestamp_millis(app.now() + 8 * 3_600_000)
        .unwrap()
        .format("%Y-%m")
        .to_string();
    let b = browser(&d, 1366, 768).await;
    watch_errors(&b).await;
    sign_in(&b, &app.base, "manager").await;
    b.goto(format!("{}/reports", app.base)).await.unwrap();
    assert!(visible(&b, "no-reports").await, "an empty history says so");
    // This month, kept.
    b.execute(
        &format!("document.getElementById('month').value = '{month}';"),
        vec![],
    )
    .await
    .unwrap();
    click(&b, "#keep").await;
    wait_for("the kept notice", Duration::from_secs(15), || async {
        visible(&b, "keep-result").await
    })
    .await;
    let note = text_of(&b, "keep-result").await;
    assert!(note.contains(&month), "{note}");
    let row = b
        .find(By::Css(format!("#history tr[data-month='{month}']")))
        .await
        .unwrap();
    let href = row
        .find(By::Css("a.xlsx"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    // Downloaded by the browser with its own session, handed back as base64.
    let b64: String = b
        .execute_async(
            &format!(
                "const done = arguments[arguments.length - 1];
                 fetch('{href}').then(r => r.arrayBuffer()).then(buf => {{
                   let s = ''; const a = new Uint8Array(buf);
                   for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
                   done(btoa(s));
                 }}).catch(e => done('error: ' + e));"
            ),
            vec![],
        )
        .await
        .unwrap()
        .convert()
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.as_bytes())
        .unwrap_or_else(|e| panic!("{e}: {b64}"));
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.first().map(String::as_str), Some("概要 Summary"));
    assert!(names.iter().any(|n| n == "排队 Queue") && names.iter().any(|n| n == "审计 Audit"));
    let sheet = book.worksheet_range("排队 Queue").unwrap();
    let served = (0..sheet.height() as u32)
        .find(|&r| {
            matches!(sheet.get_value((r, 0)), Some(Data::String(s)) if s.starts_with("办结人次"))
        })
        .expect("the served row");
    assert_eq!(sheet.get_value((served, 2)), Some(&Data::Float(2.0)));
    // The page fits the desk, then its A4 report opens with the pin in the footer.
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
    let page = row
        .find(By::Css("a.html"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    b.goto(format!("{}{page}", app.base)).await.unwrap();
    assert_eq!(text_of(&b, "report-month").await, month);
    assert!(!text_of(&b, "audit-head").await.is_empty());
    let sections = b.find_all(By::Css("section.sheet")).await.unwrap();
    assert_eq!(sections.len(), 7);
    quit(b).await;
}
