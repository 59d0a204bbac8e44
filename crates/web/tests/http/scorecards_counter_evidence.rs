//! A counter's scorecard over HTTP (what happened at the counter, whoever staffed it) and
//! an appeal's evidence files: checked by content and size, attached only by the hall's
//! manager while the appeal is pending, downloaded by the supervisor deciding it, chained
//! into the audit record with their SHA-256 and refused when the stored bytes changed.

use crate::common::{App, Auth, MONDAY_10AM};
use crate::http::regions::{supervisor, tree};
use reqwest::Method;
use servicehall_domain::audit::sha256_hex;
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::AuditStore;
use servicehall_web::clock::ManualClock;

const PDF: &[u8] = b"%PDF-1.7\n% appeal evidence\n1 0 obj << >> endobj\n";

fn line<'a>(card: &'a serde_json::Value, code: &str) -> &'a serde_json::Value {
    card["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["indicator"] == code)
        .unwrap_or_else(|| panic!("no line {code} in {card}"))
}

#[tokio::test]
async fn a_counters_card_counts_what_happened_at_that_counter() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    app.finished_visit(&clerk, &kiosk).await;
    let manager = app.login("manager").await;
    let hall = app.fx.hall.code.clone();
    let (c1, c2) = (app.fx.counter(1).id, app.fx.counter(2).id);
    let url = |c: i64| format!("/api/v1/halls/{hall}/counters/{c}/scorecard?month=2026-06");

    let card = app.get(&url(c1), Auth::Person(&manager)).await.expect(200);
    assert_eq!(card["level"], "counter");
    assert!(
        card["subject"].as_str().unwrap().starts_with("1 号窗口"),
        "{card}"
    );
    let ns = line(&card, "no_show_rate");
    assert_eq!(
        (ns["num"].as_i64(), ns["den"].as_i64()),
        (Some(0), Some(1)),
        "{ns}"
    );
    assert!(ns["records"].as_str().unwrap().starts_with('/'), "{ns}");
    assert!(card["total"].as_f64().is_some());
    // Counter 2 served nobody: no data, no score, and it says so.
    let idle = app.get(&url(c2), Auth::Person(&manager)).await.expect(200);
    assert_eq!(line(&idle, "no_show_rate")["band"], "no_data");
    assert!(idle["total"].is_null(), "{idle}");

    // A clerk does not read the counters' cards; another hall's counter is not this hall's.
    app.get(&url(c1), Auth::Person(&clerk)).await.problem(403);
    let admin = app.above_halls("admin", Role::Admin).await;
    let p = app
        .get(&url(app.fx.other_counter.id), Auth::Person(&admin))
        .await
        .problem(404);
    assert!(
        p.contains("没有编号为") && p.contains("has no counter"),
        "{p}"
    );
    let p = app
        .get(
            &format!("/api/v1/halls/{hall}/counters/{c1}/scorecard?month=2026-13"),
            Auth::Person(&manager),
        )
        .await
        .problem(422);
    assert!(!p.is_empty());
}

/// The number in the visits page's element `id` (`<b id="…">N</b>`).
fn count(page: &str, id: &str) -> i64 {
    let at = page
        .find(&format!("id=\"{id}\">"))
        .unwrap_or_else(|| panic!("no {id}"));
    let rest = &page[at + id.len() + 6..];
    rest[..rest.find('<').unwrap()].parse().unwrap()
}

#[tokio::test]
async fn a_counters_line_links_to_that_counters_own_visits() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk1 = app.clerk_on_duty(1).await;
    let clerk2 = app.clerk_on_duty(2).await;
    // Counter 1: one served, one no-show; counter 2: one served.
    let served = app.finished_visit(&clerk1, &kiosk).await;
    let gone = app.issue(Auth::Device(&kiosk), "payment").await;
    let t = app.call_next(&clerk1, 1).await.unwrap();
    assert_eq!(t["id"], gone["id"]);
    app.act(&clerk1, t["id"].as_i64().unwrap(), "no-show", None)
        .await
        .expect(200);
    let other = app.issue(Auth::Device(&kiosk), "new_connection").await;
    let t = app.call_next(&clerk2, 2).await.unwrap();
    assert_eq!(t["id"], other["id"]);
    app.serve_and_finish(&clerk2, t["id"].as_i64().unwrap())
        .await;

    let manager = app.login("manager").await;
    let hall = app.fx.hall.code.clone();
    let c1 = app.fx.counter(1).id;
    let card = app
        .get(
            &format!("/api/v1/halls/{hall}/counters/{c1}/scorecard?month=2026-06"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    let ns = line(&card, "no_show_rate");
    assert_eq!((ns["num"].as_i64(), ns["den"].as_i64()), (Some(1), Some(2)));
    let link = ns["records"].as_str().unwrap();
    assert!(link.contains(&format!("counter={c1}")), "{link}");

    let page = app.get(link, Auth::Person(&manager)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    let p = &page.text;
    assert!(p.contains("窗口 1 号 · Counter 1"), "{p}");
    for t in [&served, &gone] {
        assert!(p.contains(t["number"].as_str().unwrap()), "{t} in {p}");
    }
    assert!(!p.contains(other["number"].as_str().unwrap()), "{p}");
    // The page counts what the line counts.
    assert_eq!(count(p, "visits-counted"), ns["den"].as_i64().unwrap());
    assert_eq!(count(p, "visits-no-shows"), ns["num"].as_i64().unwrap());
    // The chip's clear link lists the whole hall again.
    let all = link.replace(&format!("&counter={c1}"), "");
    assert!(
        p.contains(&format!("href=\"{}\"", all.replace('&', "&#38;"))),
        "{p}"
    );
    let whole = app.get(&all, Auth::Person(&manager)).await.text;
    assert!(whole.contains(other["number"].as_str().unwrap()));
    assert!(!whole.contains("visits-filter"));

    // Another hall's counter, or both filters at once, are refused with the fix named.
    let bad = format!("{all}&counter={}", app.fx.other_counter.id);
    let r = app.get(&bad, Auth::Person(&manager)).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(r.text.contains("has no counter"), "{}", r.text);
    let r = app
        .get(&format!("{link}&staff=1"), Auth::Person(&manager))
        .await;
    assert_eq!(r.status, 400, "{}", r.text);
    // The rating lines link to the ratings given at that counter, under the same chip.
    let sat = line(&card, "satisfaction")["records"].as_str().unwrap();
    assert!(sat.starts_with("/feedback/ratings?"), "{sat}");
    assert!(sat.contains(&format!("counter={c1}")), "{sat}");
    let r = app.get(sat, Auth::Person(&manager)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("窗口 1 号 · Counter 1"), "{}", r.text);
    let bad = sat.replace(
        &format!("counter={c1}"),
        &format!("counter={}", app.fx.other_counter.id),
    );
    assert_eq!(app.get(&bad, Auth::Person(&manager)).await.status, 404);

    // A clerk does not read the hall's records, filtered or not.
    let r = app.get(link, Auth::Person(&clerk1)).await;
    assert_eq!(r.status, 403, "{}", r.text);
}

fn multipart(name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    crate::http::cases::documents::multipart(name, bytes, "")
}

#[tokio::test]
async fn appeal_evidence_is_checked_chained_and_read_by_the_supervisor() {
    // 2026-06-01: May has ended and can be frozen.
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let admin = app.above_halls("admin", Role::Admin).await;
    let (_ln, dl, sy) = tree(&app, &admin).await;
    let sup = supervisor(&app, &admin, "dlsup", dl).await;
    let sy_sup = supervisor(&app, &admin, "sysup", sy).await;
    let manager = app.login("manager").await;
    let clerk = app.login("clerk1").await;
    let hall = app.fx.hall.code.clone();
    app.post(
        &format!("/api/v1/regions/{dl}/months/2026-05/freeze"),
        Auth::Person(&sup),
        None,
    )
    .await
    .expect(201);
    let a = app
        .post(
            &format!("/api/v1/halls/{hall}/appeals"),
            Auth::Person(&manager),
            Some(serde_json::json!({"month": "2026-05", "reason": "5月12日扣分系顾客插队所致"})),
        )
        .await
        .expect(201);
    let id = a["id"].as_i64().unwrap();
    let evidence = format!("/api/v1/halls/{hall}/appeals/{id}/evidence");
    let send = |who: &crate::common::Session, name: &str, bytes: &[u8]| {
        let (ct, body) = multipart(name, bytes);
        App::send(
            app.request(Method::POST, &evidence, Auth::Person(who))
                .header("content-type", ct)
                .body(body),
        )
    };

    // Judged by content: text named like a photo is refused, naming what is accepted.
    let p = send(&manager, "监控截图.png", b"just text")
        .await
        .problem(422);
    assert!(
        p.contains("PDF、JPEG 或 PNG") && p.contains("checked by its content"),
        "{p}"
    );
    // Far too large: refused before it is read (413); just over 5 MiB: refused by the check.
    let mut huge = PDF.to_vec();
    huge.resize(6 * 1024 * 1024, b' ');
    let p = send(&manager, "scan.pdf", &huge).await.problem(413);
    assert!(p.contains("过大") && p.contains("5 MiB"), "{p}");
    let mut over = PDF.to_vec();
    over.resize(5 * 1024 * 1024 + 10, b' ');
    let p = send(&manager, "scan.pdf", &over).await.problem(422);
    assert!(p.contains("5 MiB"), "{p}");
    // Only the hall's manager attaches.
    send(&clerk, "scan.pdf", PDF).await.problem(403);
    send(&sup, "scan.pdf", PDF).await.problem(403);

    let f = send(&manager, "监控截图 5月12日.pdf", PDF)
        .await
        .expect(201);
    assert_eq!(f["sha256"], sha256_hex(PDF));
    assert_eq!(f["content_type"], "application/pdf");
    let url = f["url"].as_str().unwrap().to_string();
    assert_eq!(
        url,
        format!("/api/v1/halls/{hall}/appeals/{id}/evidence/{}", f["id"])
    );
    let list = app
        .get(
            &format!("/api/v1/halls/{hall}/appeals"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(list[0]["files"][0]["name"], "监控截图 5月12日.pdf");

    // The supervisor over the hall and the administrator download it; others may not.
    let got = app.get(&url, Auth::Person(&sup)).await;
    assert_eq!(got.status, 200, "{}", got.text);
    assert_eq!(got.text.as_bytes(), PDF);
    assert_eq!(got.headers["content-type"], "application/pdf");
    assert_eq!(app.get(&url, Auth::Person(&admin)).await.status, 200);
    app.get(&url, Auth::Person(&sy_sup)).await.problem(403);
    app.get(&url, Auth::Person(&clerk)).await.problem(403);
    let wrong = format!(
        "/api/v1/halls/{}/appeals/{id}/evidence/{}",
        app.fx.other_hall.code, f["id"]
    );
    app.get(&wrong, Auth::Person(&admin)).await.problem(404);

    // The file's hash is in the hall's audit record with the appeal.
    let recs = app
        .store
        .audit_records(Some(app.fx.hall.id), 50)
        .await
        .unwrap();
    assert!(
        recs.iter()
            .any(|r| r.kind == "scorecard.appeal_evidence" && r.subject.contains(&sha256_hex(PDF))),
        "{recs:?}"
    );
    // Bytes changed in the database are not served as evidence.
    sqlx::query("UPDATE scorecard_appeal_files SET data = $1 WHERE id = $2")
        .bind(b"%PDF-1.7\nforged".as_slice())
        .bind(f["id"].as_i64().unwrap())
        .execute(app.store.pool())
        .await
        .unwrap();
    let p = app.get(&url, Auth::Person(&sup)).await.problem(409);
    assert!(p.contains("SHA-256") && p.contains("不符"), "{p}");

    // Decided: nothing more is attached.
    app.post(
        &format!("/api/v1/appeals/{id}/decide"),
        Auth::Person(&sup),
        Some(serde_json::json!({"accept": false, "reason": "监控显示并无插队"})),
    )
    .await
    .expect(200);
    let p = send(&manager, "more.pdf", PDF).await.problem(409);
    assert!(p.contains("已经裁定"), "{p}");
}
