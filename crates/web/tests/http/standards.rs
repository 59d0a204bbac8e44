//! The standards library over HTTP: who may create, edit, publish, acknowledge and see the
//! report; acknowledgement errors and idempotence; search in Chinese with highlights.

use crate::common::{App, Auth, PASSWORD, Session};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::catalogue::{CatalogueEntry, Channel, ClassDocuments, Document};
use servicehall_domain::{DeviceKind, Role};
use servicehall_store::{CatalogueStore, HallStore, StaffInput};

fn today() -> String {
    let tz = servicehall_domain::time::parse_tz("Asia/Shanghai").unwrap();
    servicehall_domain::time::service_day(servicehall_web::now_ms(), tz).to_string()
}

fn next_week() -> String {
    let d: chrono::NaiveDate = today().parse().unwrap();
    (d + chrono::Days::new(7)).to_string()
}

/// Creates a person with the fixture password and signs them in.
async fn person(app: &App, hall: Option<i64>, user: &str, role: Role) -> Session {
    let hash = servicehall_web::auth::hash_password(PASSWORD).unwrap();
    app.store
        .create_staff(
            &StaffInput {
                hall_id: hall,
                username: user.into(),
                name: format!("员工{user}"),
                badge_no: format!("X-{user}"),
                role,
                photo: String::new(),
                active: true,
            },
            &hash,
        )
        .await
        .unwrap();
    app.login(user).await
}

fn doc(category: &str, title: &str, body: &str, audience: &[&str]) -> Value {
    json!({"category": category, "title": title, "body": body, "audience": audience})
}

async fn create(app: &App, who: &Session, body: Value) -> Value {
    app.post(
        "/api/v1/halls/DL-XH/standards",
        Auth::Person(who),
        Some(body),
    )
    .await
    .expect(201)
}

async fn publish(app: &App, who: &Session, id: i64, date: &str) -> Value {
    app.post(
        &format!("/api/v1/standards/{id}/publish"),
        Auth::Person(who),
        Some(json!({ "effective_from": date })),
    )
    .await
    .expect(200)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn roles_publishing_and_acknowledgements() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let clerk = app.login("clerk1").await;
    let guide = app.login("guide").await;
    let admin = person(&app, None, "admin", Role::Admin).await;
    let kiosk = app.device(DeviceKind::Kiosk, None).await;

    // Who may create: the manager for the hall, only the admin company-wide.
    let body = doc("hall_rules", "交接班制度", "一、按时交接。", &["clerk"]);
    app.post(
        "/api/v1/halls/DL-XH/standards",
        Auth::Person(&clerk),
        Some(body.clone()),
    )
    .await
    .problem(403);
    let mut company = body.clone();
    company["company_wide"] = json!(true);
    let msg = app
        .post(
            "/api/v1/halls/DL-XH/standards",
            Auth::Person(&manager),
            Some(company.clone()),
        )
        .await
        .problem(403);
    assert!(msg.contains("administrators"), "{msg}");
    let d = create(&app, &manager, body).await;
    assert_eq!(d["draft"]["number"], 1);
    assert_eq!(d["can_edit"], true);
    let id = d["id"].as_i64().unwrap();
    let global = create(&app, &admin, company).await;
    assert_eq!(global["company_wide"], true);
    // Bad input says what to fix.
    let msg = app
        .post(
            "/api/v1/halls/DL-XH/standards",
            Auth::Person(&manager),
            Some(doc("rules", "x", "y", &["clerk"])),
        )
        .await
        .problem(422);
    assert!(msg.contains("unknown category"), "{msg}");
    let msg = app
        .post(
            "/api/v1/halls/DL-XH/standards",
            Auth::Person(&manager),
            Some(doc("behaviour_code", "唱收唱付", "y", &["clerk"])),
        )
        .await
        .problem(422);
    assert!(msg.contains("must name its code"), "{msg}");

    // Devices and other halls do not read them.
    app.get("/api/v1/halls/DL-XH/standards", Auth::Device(&kiosk))
        .await
        .problem(403);
    let list = app
        .get("/api/v1/halls/DL-XH/standards", Auth::Person(&guide))
        .await
        .expect(200);
    assert_eq!(list.as_array().unwrap().len(), 2);

    // Publishing: not in the past; the clerk may not; then locked.
    let msg = app
        .post(
            &format!("/api/v1/standards/{id}/publish"),
            Auth::Person(&manager),
            Some(json!({"effective_from": "2020-01-01"})),
        )
        .await
        .problem(422);
    assert!(msg.contains("in the past"), "{msg}");
    app.post(
        &format!("/api/v1/standards/{id}/publish"),
        Auth::Person(&clerk),
        Some(json!({"effective_from": today()})),
    )
    .await
    .problem(403);
    let d = publish(&app, &manager, id, &today()).await;
    assert_eq!(d["current"]["number"], 1);
    assert_eq!(d["current"]["state"], "in_effect");
    let vid = d["current"]["id"].as_i64().unwrap();

    // 待阅读 and 我已阅读并遵守: 201 the first time, 200 (same time) after.
    let pending = app
        .get("/api/v1/me/standards/pending", Auth::Person(&clerk))
        .await
        .expect(200);
    assert_eq!(pending.as_array().unwrap().len(), 1);
    let ack = format!("/api/v1/standard-versions/{vid}/acknowledge");
    let first = app.post(&ack, Auth::Person(&clerk), None).await.expect(201);
    let again = app.post(&ack, Auth::Person(&clerk), None).await.expect(200);
    assert_eq!(again["created"], false);
    assert_eq!(first["at"], again["at"]);
    app.post(&ack, Auth::PersonNoCsrf(&clerk), None)
        .await
        .problem(403);
    let msg = app
        .post(&ack, Auth::Person(&guide), None)
        .await
        .problem(422);
    assert!(msg.contains("not to your role"), "{msg}");
    app.post(&ack, Auth::Device(&kiosk), None)
        .await
        .problem(403);
    let outsider = person(&app, Some(app.fx.other_hall.id), "sy1", Role::Clerk).await;
    let msg = app
        .post(&ack, Auth::Person(&outsider), None)
        .await
        .problem(422);
    assert!(msg.contains("another hall"), "{msg}");
    app.get(&format!("/api/v1/standards/{id}"), Auth::Person(&outsider))
        .await
        .problem(403);

    // A new version for next week: scheduled, not yet acknowledgeable.
    let put = app
        .request(Method::PUT, &format!("/api/v1/standards/{id}/draft"), Auth::Person(&manager))
        .json(&json!({"title": "交接班制度（修订）", "body": "一、按时交接。二、清点票据。", "audience": ["clerk", "guide"]}));
    let d = App::send(put).await.expect(200);
    assert_eq!(d["draft"]["number"], 2);
    let d = publish(&app, &manager, id, &next_week()).await;
    assert_eq!(d["scheduled"]["number"], 2);
    assert_eq!(d["versions"].as_array().unwrap().len(), 2);
    let v2 = d["scheduled"]["id"].as_i64().unwrap();
    let msg = app
        .post(
            &format!("/api/v1/standard-versions/{v2}/acknowledge"),
            Auth::Person(&guide),
            None,
        )
        .await
        .problem(409);
    assert!(msg.contains("takes effect on"), "{msg}");

    // The report: for those who see the hall's figures.
    let report = "/api/v1/halls/DL-XH/standards/acknowledgements";
    app.get(report, Auth::Person(&clerk)).await.problem(403);
    let r = app.get(report, Auth::Person(&manager)).await.expect(200);
    let clerks = app.fx.clerks.len() as u64;
    assert_eq!(r["total"]["required"], clerks);
    assert_eq!(r["total"]["acknowledged"], 1);
    let line = &r["lines"][0];
    assert_eq!(line["missing"].as_array().unwrap().len() as u64, clerks - 1);
    assert_eq!(line["acknowledged"][0]["staff"]["badge_no"], "DL001");
    let rate = r["total"]["rate"].as_f64().unwrap();
    assert!((rate - 1.0 / clerks as f64).abs() < 1e-9);
    let supervisor = person(&app, None, "sup", Role::Supervisor).await;
    app.get(report, Auth::Person(&supervisor)).await.expect(200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_chinese_ranks_and_highlights() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let clerk = app.login("clerk1").await;
    let all = ["hall_manager", "clerk", "guide"];
    let notice = create(
        &app,
        &manager,
        doc(
            "hall_rules",
            "一次性告知制度",
            "办理业务所需资料、收费和时限，一次性告知客户，避免重复往返。",
            &all,
        ),
    )
    .await;
    let meter = create(
        &app,
        &manager,
        doc(
            "hall_rules",
            "电表校验须知",
            "客户对电表计量有异议时，可申请校验。",
            &all,
        ),
    )
    .await;
    let fee = create(
        &app,
        &manager,
        doc(
            "standard_phrases",
            "缴费用语",
            "您好，本月电费186.50元。Please pay at counter 1.",
            &all,
        ),
    )
    .await;
    let draft_only = create(
        &app,
        &manager,
        doc("hall_rules", "草稿", "电费草稿内容", &all),
    )
    .await;
    for d in [&notice, &meter, &fee] {
        publish(&app, &manager, d["id"].as_i64().unwrap(), &today()).await;
    }
    // The catalogue in effect is searched too (业务指南), not next week's version.
    for (from, doc) in [(today(), "户主有效身份证明"), (next_week(), "不动产权证书")]
    {
        let entry = CatalogueEntry {
            business_type: "new_connection".into(),
            effective_from: from,
            description: "居民新装：一户一表，免费接电。".into(),
            description_en: String::new(),
            who_may_apply: "房屋产权人或其委托人".into(),
            documents: ClassDocuments {
                resident: Some(vec![Document {
                    name: doc.into(),
                    note: String::new(),
                }]),
                ..Default::default()
            },
            fees: vec![],
            channels: vec![Channel::Hall, Channel::App],
            online: "网上国网 App".into(),
            notes: String::new(),
        };
        app.store
            .save_catalogue_version(app.fx.hall.id, &entry, app.now())
            .await
            .unwrap();
    }
    let search = |q: &str| format!("/api/v1/halls/DL-XH/search?q={}", urlencode(q));

    let r = app
        .get(&search("一次性告知"), Auth::Person(&clerk))
        .await
        .expect(200);
    let hits = r["hits"].as_array().unwrap();
    // The rule titled with the phrase first; the business guide (a 一次性告知单) after it.
    assert_eq!(hits.len(), 2, "{r}");
    assert_eq!(hits[0]["url"], format!("/standards/{}", notice["id"]));
    assert_eq!(hits[1]["kind"], "catalogue");
    let marked: Vec<&str> = hits[0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["hit"] == true)
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(marked, ["一次性告知"]);
    assert_eq!(
        hits[0]["title"][0],
        json!({"text": "一次性告知", "hit": true})
    );

    let r = app
        .get(&search("身份证明"), Auth::Person(&clerk))
        .await
        .expect(200);
    let hits = r["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 1, "{r}");
    assert_eq!(hits[0]["kind"], "catalogue");
    assert_eq!(hits[0]["url"], "/hall/DL-XH#guide-new_connection");
    let r = app
        .get(&search("不动产权"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert!(
        r["hits"].as_array().unwrap().is_empty(),
        "next week's entry: {r}"
    );

    // 电费 is not 电表, and drafts are not searched.
    let r = app
        .get(&search("电费"), Auth::Person(&clerk))
        .await
        .expect(200);
    let urls: Vec<&str> = r["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    assert_eq!(urls, [format!("/standards/{}", fee["id"])]);
    assert_ne!(urls[0], format!("/standards/{}", draft_only["id"]));
    let r = app
        .get(&search("COUNTER"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert_eq!(r["hits"].as_array().unwrap().len(), 1, "English, any case");

    // A new version in effect replaces the old text in the index at once.
    let id = meter["id"].as_i64().unwrap();
    let put = app
        .request(Method::PUT, &format!("/api/v1/standards/{id}/draft"), Auth::Person(&manager))
        .json(&json!({"title": "计量装置校验须知", "body": "对计量装置有异议可申请校验。", "audience": all}));
    App::send(put).await.expect(200);
    let r = app
        .get(&search("电表"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert_eq!(
        r["hits"].as_array().unwrap().len(),
        1,
        "the draft is not in effect yet"
    );
    // (publishing for today is refused: version 1 already holds today's date)
    let tomorrow = {
        let d: chrono::NaiveDate = today().parse().unwrap();
        (d + chrono::Days::new(1)).to_string()
    };
    publish(&app, &manager, id, &tomorrow).await;
    let r = app
        .get(&search("计量装置"), Auth::Person(&clerk))
        .await
        .expect(200);
    assert!(
        r["hits"].as_array().unwrap().is_empty(),
        "scheduled, not in effect"
    );

    // Limits and roles.
    let long = "电".repeat(101);
    app.get(&search(&long), Auth::Person(&clerk))
        .await
        .problem(422);
    app.get(&format!("{}&limit=0", search("电费")), Auth::Person(&clerk))
        .await
        .problem(422);
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    app.get(&search("电费"), Auth::Device(&kiosk))
        .await
        .problem(403);
    app.get(&search("电费"), Auth::Anon).await.problem(401);
    let r = app
        .get(&search("  "), Auth::Person(&clerk))
        .await
        .expect(200);
    assert!(r["hits"].as_array().unwrap().is_empty());
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The acknowledgement records list: one row per person and version in effect, filtered by
/// state, exported with the filter applied, and refused to a clerk or for a bad state.
#[tokio::test]
async fn acknowledgement_records_filter_and_export() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let clerk = app.login("clerk1").await;
    let d = create(
        &app,
        &manager,
        doc("hall_rules", "交接班制度", "一、按时交接。", &["clerk"]),
    )
    .await;
    let d = publish(&app, &manager, d["id"].as_i64().unwrap(), &today()).await;
    let vid = d["current"]["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/standard-versions/{vid}/acknowledge"),
        Auth::Person(&clerk),
        None,
    )
    .await
    .expect(201);
    let clerks = app.fx.clerks.len();
    let base = "/standards/acks/records?hall=DL-XH&format=xlsx";

    let (_, rows) = super::lists::workbook(&app, &format!("{base}&state=missing"), &manager).await;
    let state = super::lists::column(&rows, "状态 State");
    let badge = super::lists::column(&rows, "工号 Badge");
    assert_eq!(rows.len() - 1, clerks - 1, "{rows:?}");
    assert!(rows[1..].iter().all(|r| r[state] == "未确认 Not yet"));
    assert!(rows[1..].iter().all(|r| r[badge] != "DL001"));

    let (_, rows) = super::lists::workbook(&app, &format!("{base}&state=done"), &manager).await;
    let when = super::lists::column(&rows, "确认时间 Acknowledged");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][super::lists::column(&rows, "工号 Badge")], "DL001");
    assert!(!rows[1][when].is_empty());

    let (_, all) = super::lists::workbook(&app, base, &manager).await;
    assert_eq!(all.len() - 1, clerks);

    let status = |who: &Session, path: &'static str| {
        let req = app.request(Method::GET, path, Auth::Person(who));
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(status(&clerk, "/standards/acks/records").await, 403);
    assert_eq!(
        status(&manager, "/standards/acks/records?state=later").await,
        400
    );
    assert_eq!(status(&manager, "/standards/acks/records").await, 200);
}
