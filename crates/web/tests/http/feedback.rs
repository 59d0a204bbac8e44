//! Feedback over HTTP: the phone rating (一事一评) by slip code, the closed loop to the
//! recovery case and the manager's missing call-backs, external imports (外评) and the
//! anti-gaming flags — with roles checked on each.

use crate::common::{App, Auth, MONDAY_10AM, Session};
use serde_json::{Value, json};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::FeedbackSettingsStore;
use servicehall_web::clock::ManualClock;

/// A finished visit at counter 1: its ticket JSON.
async fn finished_visit(app: &App, kiosk: &str, clerk: &Session) -> Value {
    let t = app.issue(Auth::Device(kiosk), "payment").await;
    let id = t["id"].as_i64().unwrap();
    let called = app.call_next(clerk, 1).await.unwrap();
    assert_eq!(called["id"], id);
    app.serve_and_finish(clerk, id).await;
    t
}

#[tokio::test]
async fn phone_rating_is_once_per_finished_visit_and_a_bad_one_reaches_the_manager() {
    let app = App::start().await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let hall = app.fx.hall.code.clone();

    // Not finished: the page says so, the API refuses.
    let waiting = app.issue(Auth::Device(&kiosk), "inquiry").await;
    let wcode = waiting["code"].as_str().unwrap();
    let st = app
        .get(
            &format!("/api/v1/public/tickets/{wcode}/rating"),
            Auth::Anon,
        )
        .await
        .expect(200);
    assert_eq!(st["state"], "not_finished");
    let detail = app
        .post(
            &format!("/api/v1/public/tickets/{wcode}/rating"),
            Auth::Anon,
            Some(json!({"level": 5})),
        )
        .await
        .problem(409);
    assert!(detail.contains("not finished"), "{detail}");

    let t = finished_visit(&app, &kiosk, &clerk).await;
    let code = t["code"].as_str().unwrap();
    let url = format!("/api/v1/public/tickets/{code}/rating");
    let st = app.get(&url, Auth::Anon).await.expect(200);
    assert_eq!(
        (st["state"].as_str(), st["window_hours"].as_i64()),
        (Some("open"), Some(72))
    );
    // The phone page renders without an account.
    let page = app.get(&format!("/t/{code}/rate"), Auth::Anon).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("r-overall"));

    // Bad input: clear 422s.
    for (body, needle) in [
        (json!({"level": 6}), "6"),
        (json!({"level": 1}), "reason"),
        (
            json!({"level": 4, "touchpoints": [{"touchpoint": "parking", "level": 4}]}),
            "parking",
        ),
        (
            json!({"level": 4, "touchpoints": [{"touchpoint": "waiting", "level": 9}]}),
            "waiting",
        ),
        (json!({"level": 4, "contact_phone": "call me"}), "phone"),
    ] {
        let d = app.post(&url, Auth::Anon, Some(body)).await.problem(422);
        assert!(d.contains(needle), "{d}");
    }
    app.post(&url, Auth::Anon, Some(json!({"level": "bad"})))
        .await
        .problem(400);

    let r = app
        .post(
            &url,
            Auth::Anon,
            Some(json!({
                "level": 2,
                "reasons": ["long_wait"],
                "touchpoints": [{"touchpoint": "waiting", "level": 1}, {"touchpoint": "counter", "level": 4}],
                "comment": "排队太久",
                "contact_phone": "13912345678",
                "contact_name": "赵先生"
            })),
        )
        .await
        .expect(201);
    assert_eq!(r["callback_promised"], true);
    assert_eq!(r["callback_working_days"], 1);
    assert!(
        r.get("case_id").is_none(),
        "the customer sees no internal numbers"
    );
    let d = app
        .post(&url, Auth::Anon, Some(json!({"level": 5})))
        .await
        .problem(409);
    assert!(d.contains("already"), "{d}");
    assert_eq!(
        app.get(&url, Auth::Anon).await.expect(200)["state"],
        "rated"
    );

    // The manager sees the bad rating, its case and the missing call-back.
    let manager = app.login("manager").await;
    let recovery = format!("/api/v1/halls/{hall}/feedback/recovery");
    let items = app.get(&recovery, Auth::Person(&manager)).await.expect(200);
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["channel"], "phone");
    assert_eq!(
        items[0]["customer_phone"], "13912345678",
        "the manager calls back"
    );
    assert_eq!(items[0]["callback_recorded"], false);
    app.get(&recovery, Auth::Person(&clerk)).await.problem(403);
    let dash = app.get("/manager", Auth::Person(&manager)).await;
    assert!(
        dash.text.contains("callbacks-missing"),
        "dashboard names the missing call-back"
    );
    let page = app.get("/feedback/recovery", Auth::Person(&manager)).await;
    assert!(page.text.contains("未回访 missing") && page.text.contains("13912345678"));

    // The case: owned by the manager, closes only after the call-back.
    let cid = items[0]["case_id"].as_i64().unwrap();
    let case = app
        .get(&format!("/api/v1/cases/{cid}"), Auth::Person(&manager))
        .await
        .expect(200);
    assert_eq!(case["kind"], "recovery");
    assert_eq!(case["owner"]["badge_no"], "DL901");
    let d = app
        .post(
            &format!("/api/v1/cases/{cid}/close"),
            Auth::Person(&manager),
            None,
        )
        .await
        .problem(409);
    assert!(d.contains("回访"), "{d}");
    app.post(
        &format!("/api/v1/cases/{cid}/callback"),
        Auth::Person(&manager),
        Some(json!({"reached": true, "satisfied": true, "note": "已致歉"})),
    )
    .await
    .expect(200);
    for step in ["callback", "rectify"] {
        app.post(
            &format!("/api/v1/cases/{cid}/steps/{step}/complete"),
            Auth::Person(&manager),
            None,
        )
        .await
        .expect(200);
    }
    app.post(
        &format!("/api/v1/cases/{cid}/close"),
        Auth::Person(&manager),
        None,
    )
    .await
    .expect(200);
    let items = app.get(&recovery, Auth::Person(&manager)).await.expect(200);
    assert_eq!(items[0]["callback_recorded"], true);
    assert_eq!(items[0]["closed"], true);
    let dash = app.get("/manager", Auth::Person(&manager)).await;
    assert!(!dash.text.contains("callbacks-missing"));
}

const CSV: &str = "来源编号,营业厅编码,评价时间,评价等级,业务类型,触点,不满意原因,客户意见,联系电话\n\
R1,DL-XH,2025-11-20 10:00,满意,payment,counter,,,\n\
R2,DL-XH,2025-11-20 11:00,不满意,payment,waiting,等候时间长,,13700001111\n\
R3,DL-XH,2025-11-21,8,payment,,,,\n";

#[tokio::test]
async fn imports_need_a_supervisor_report_bad_rows_and_never_count_twice() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let manager = app.login("manager").await;
    let post = |auth: Auth<'_>, source: &str, body: &str| {
        App::send(
            app.request(
                reqwest::Method::POST,
                &format!("/api/v1/feedback/imports?source={source}&file_name=nov.csv"),
                auth,
            )
            .header("content-type", "text/csv")
            .body(body.to_string()),
        )
    };
    post(Auth::Person(&manager), "survey", CSV)
        .await
        .problem(403);
    post(Auth::PersonNoCsrf(&sup), "survey", CSV)
        .await
        .problem(403);
    let d = post(Auth::Person(&sup), "mystery", CSV).await.problem(422);
    assert!(d.contains("callback_95598"), "{d}");
    let d = post(Auth::Person(&sup), "survey", "a,b\n1,2\n")
        .await
        .problem(422);
    assert!(d.contains("missing column"), "{d}");
    let r = post(Auth::Person(&sup), "callback_95598", CSV)
        .await
        .expect(201);
    assert_eq!(
        (&r["rows_imported"], &r["rows_bad"], &r["cases_opened"]),
        (&json!(2), &json!(1), &json!(1))
    );
    assert_eq!(r["errors"][0]["line"], 4);
    let again = post(Auth::Person(&sup), "callback_95598", CSV)
        .await
        .expect(201);
    assert_eq!(
        (&again["rows_imported"], &again["rows_duplicate"]),
        (&json!(0), &json!(2))
    );
    let list = app
        .get("/api/v1/feedback/imports", Auth::Person(&sup))
        .await
        .expect(200);
    assert_eq!(
        list.as_array().unwrap().len(),
        2,
        "the refused file left no report"
    );
    let page = app.get("/feedback/import", Auth::Person(&sup)).await;
    assert!(page.text.contains("nov.csv") && page.text.contains("line 4"));
    assert_eq!(
        app.get("/feedback/import", Auth::Person(&manager))
            .await
            .status,
        403
    );
    // The imported bad row is in the hall's recovery list, phone masked for the supervisor.
    let items = app
        .get(
            &format!("/api/v1/halls/{}/feedback/recovery", app.fx.hall.code),
            Auth::Person(&sup),
        )
        .await
        .expect(200);
    assert_eq!(items[0]["channel"], "external");
    assert_ne!(items[0]["customer_phone"], "13700001111");
}

#[tokio::test]
async fn a_pad_pressed_right_after_finishing_is_flagged_with_its_tickets() {
    // The server's clock starts at the wall clock's time (the flags screen still reads the
    // wall clock) and moves only when told: each rating comes exactly one second after its
    // finish, however slow the machine.
    let app = App::start_with_clock(ManualClock::starting_now()).await;
    let mut settings = app.store.feedback_settings(app.fx.hall.id).await.unwrap();
    settings.min_ratings = 6;
    app.store
        .set_feedback_settings(app.fx.hall.id, &settings, 0)
        .await
        .unwrap();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let pad = app
        .device(DeviceKind::Evaluator, Some(app.fx.counter(1).id))
        .await;
    let clerk = app.clerk_on_duty(1).await;
    let mut numbers = Vec::new();
    for _ in 0..6 {
        let t = finished_visit(&app, &kiosk, &clerk).await;
        // Rated a second after the finish: nobody looks at a pad that fast.
        app.clock().advance(1000);
        app.post(
            &format!("/api/v1/tickets/{}/rating", t["id"]),
            Auth::Device(&pad),
            Some(json!({"level": 5})),
        )
        .await
        .expect(201);
        numbers.push(t["number"].as_str().unwrap().to_string());
    }
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let hall = &app.fx.hall.code;
    let flags = app
        .get(
            &format!("/api/v1/halls/{hall}/feedback/flags"),
            Auth::Person(&sup),
        )
        .await
        .expect(200);
    let flags = flags.as_array().unwrap();
    assert_eq!(flags.len(), 1, "{flags:?}");
    assert_eq!(flags[0]["flag"]["kind"], "fast_ratings");
    assert_eq!(flags[0]["flag"]["subject"]["id"], app.fx.clerks[0].id);
    let evidence: Vec<&str> = flags[0]["flag"]["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["number"].as_str().unwrap())
        .collect();
    // Evidence names the day too, as numbers restart daily: `11-28 A001`.
    for n in &numbers {
        assert!(
            evidence.iter().any(|e| e.ends_with(&format!(" {n}"))),
            "{n} in {evidence:?}"
        );
    }
    let page = app
        .get(&format!("/feedback/flags?hall={hall}"), Auth::Person(&sup))
        .await;
    assert!(page.text.contains("评价过快") && page.text.contains(&numbers[0]));
    let manager = app.login("manager").await;
    app.get(
        &format!("/api/v1/halls/{hall}/feedback/flags"),
        Auth::Person(&manager),
    )
    .await
    .problem(403);
    assert_eq!(
        app.get("/feedback/flags", Auth::Person(&manager))
            .await
            .status,
        403
    );
}

/// A minimal .xlsx whose first sheet has `rows`; numeric cells are written as numbers, the
/// rest as inline strings.
fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let col = |i: usize| ((b'A' + i as u8) as char).to_string();
    let mut sheet = String::new();
    for (r, row) in rows.iter().enumerate() {
        sheet.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, v) in row.iter().enumerate() {
            let at = format!("{}{}", col(c), r + 1);
            if v.parse::<f64>().is_ok() {
                sheet.push_str(&format!(r#"<c r="{at}"><v>{v}</v></c>"#));
            } else if !v.is_empty() {
                sheet.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{v}</t></is></c>"#
                ));
            }
        }
        sheet.push_str("</row>");
    }
    super::security_files::workbook(&sheet)
}

#[tokio::test]
async fn an_xlsx_workbook_imports_like_its_csv_with_excel_row_numbers() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let book = xlsx(&[
        &[
            "来源编号",
            "营业厅编码",
            "评价时间",
            "评价等级",
            "业务类型",
            "不满意原因",
            "联系电话",
        ],
        &["X1", "DL-XH", "2025-11-20 10:00", "5", "payment", "", ""],
        &[
            "X2",
            "DL-XH",
            "2025-11-20",
            "2",
            "payment",
            "等候时间长",
            "13600001111",
        ],
        &["X3", "DL-XH", "2025-11-21", "7", "", "", ""],
    ]);
    let r = App::send(
        app.request(
            reqwest::Method::POST,
            "/api/v1/feedback/imports?source=survey&file_name=nov.xlsx",
            Auth::Person(&sup),
        )
        .header("content-type", servicehall_web::xlsx::CONTENT_TYPE)
        .body(book),
    )
    .await
    .expect(201);
    assert_eq!(
        (&r["rows_imported"], &r["cases_opened"]),
        (&json!(2), &json!(1))
    );
    assert_eq!(r["errors"][0]["line"], 4, "Excel row 4");
    assert!(r["errors"][0]["reason"].as_str().unwrap().contains("got 7"));
    // Not a workbook at all: 422, nothing imported.
    let d = App::send(
        app.request(
            reqwest::Method::POST,
            "/api/v1/feedback/imports?source=survey&file_name=broken.xlsx",
            Auth::Person(&sup),
        )
        .body(b"PK\x03\x04 not really".to_vec()),
    )
    .await
    .problem(422);
    assert!(d.contains("xlsx"), "{d}");
}

/// The phone window (72 hours by default) is measured by the server's clock: the slip's
/// page turns from `open` to `closed`, and a late rating is refused.
#[tokio::test]
async fn the_phone_rating_window_closes_after_72_hours() {
    let app = App::start_with_clock(ManualClock::at(MONDAY_10AM)).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(1).await;
    let early = finished_visit(&app, &kiosk, &clerk).await;
    let late = finished_visit(&app, &kiosk, &clerk).await;
    let url = |t: &Value| {
        format!(
            "/api/v1/public/tickets/{}/rating",
            t["code"].as_str().unwrap()
        )
    };
    let st = app.get(&url(&late), Auth::Anon).await.expect(200);
    assert_eq!(st["state"], "open", "{st}");
    assert_eq!(st["window_closes_at"], MONDAY_10AM + 72 * 3_600_000, "{st}");

    app.clock().advance(72 * 3_600_000);
    let st = app.get(&url(&early), Auth::Anon).await.expect(200);
    assert_eq!(st["state"], "open", "{st}");
    app.post(&url(&early), Auth::Anon, Some(json!({"level": 5})))
        .await
        .expect(201);

    app.clock().advance(1);
    let st = app.get(&url(&late), Auth::Anon).await.expect(200);
    assert_eq!(st["state"], "closed", "{st}");
    let detail = app
        .post(&url(&late), Auth::Anon, Some(json!({"level": 5})))
        .await
        .problem(409);
    assert!(detail.contains("72"), "{detail}");
}
