//! The service catalogue over HTTP: public pages need no sign-in and never show customers'
//! personal data; notices for unknown types or classes are 4xx and record nothing; bad
//! imports say where and why and change nothing; repeat trips reach the manager, masked;
//! the counter screen belongs to counter-screen devices; every route checks the role.

use crate::common::{App, Auth, Session};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::DeviceKind;
use servicehall_domain::time::service_day;

const PHONE: &str = "13812345678";

/// Today in the fixture hall (Asia/Shanghai), as the catalogue dates versions.
fn today() -> String {
    service_day(servicehall_web::now_ms(), chrono_tz::Asia::Shanghai).to_string()
}

fn catalogue_yaml(hall: &str, from: &str) -> String {
    format!(
        "hall: {hall}
repeat_window_days: 15
map_url: https://map.example/xh
complaint_channels:
- 值班长 Hall manager
commitments:
- 居民新装供电方案 3 个工作日内答复
entries:
- business_type: new_connection
  effective_from: {from}
  description: 居民新装用电
  who_may_apply: 房屋产权人
  documents:
    resident:
    - name: 户主身份证明
    - name: 房屋产权证明
    low_voltage:
    - name: 营业执照
  fees:
  - item: 居民新装
    fen: 0
    basis: 十项承诺
  - item: 低压接入费
    fen: 1000
    basis: 示例
    sample: true
    classes: [low_voltage]
  channels: [hall, app, '95598']
- business_type: payment
  effective_from: {from}
  description: 缴纳电费
  who_may_apply: 任何人
  documents:
    resident:
    - name: 户号
  fees: []
  channels: [hall, app]
"
    )
}

async fn import(app: &App, who: &Session, yaml: &str) -> crate::common::Resp {
    let hall = &app.fx.hall.code;
    App::send(
        app.request(
            Method::POST,
            &format!("/api/v1/halls/{hall}/catalogue/import"),
            Auth::Person(who),
        )
        .header("content-type", "application/yaml")
        .body(yaml.to_string()),
    )
    .await
}

async fn with_catalogue() -> (App, Session) {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let yaml = catalogue_yaml(&app.fx.hall.code, &today());
    let res = import(&app, &manager, &yaml).await;
    assert_eq!(res.expect(200)["changed"], 2);
    (app, manager)
}

fn notice_body(business: &str, class: &str, ticket: &Value) -> Value {
    json!({"business_type": business, "class": class, "contact": PHONE, "ticket_id": ticket["id"]})
}

#[tokio::test]
async fn public_pages_need_no_sign_in_and_show_no_personal_data() {
    let (app, _) = with_catalogue().await;
    let hall = app.fx.hall.code.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(2).await;
    let ticket = app.issue(Auth::Device(&kiosk), "new_connection").await;
    let given = app
        .post(
            &format!("/api/v1/halls/{hall}/notices"),
            Auth::Person(&clerk),
            Some(notice_body("new_connection", "resident", &ticket)),
        )
        .await
        .expect(201);
    assert_eq!(
        given["visit"]["contact"], "138****5678",
        "masked for staff too"
    );
    let url = given["url"].as_str().unwrap().to_string();

    let page = app.get(&format!("/hall/{hall}"), Auth::Anon).await;
    assert_eq!(page.status, 200, "{}", page.text);
    for shown in [
        "居民新装用电",
        "户主身份证明",
        "免费",
        "Live queue",
        "DL002",
        "95598",
        "https://map.example/xh",
        "3 个工作日",
    ] {
        assert!(page.text.contains(shown), "hall page lacks {shown:?}");
    }
    let notice = app.get(&url, Auth::Anon).await;
    assert_eq!(notice.status, 200, "{}", notice.text);
    assert!(notice.text.contains("一次性告知单") && notice.text.contains("DL002"));
    assert!(notice.text.contains("<svg"), "the notice has its QR code");
    assert!(
        page.text.contains("低压接入费（低压非居民）"),
        "a class-only fee says its class"
    );
    assert!(
        !notice.text.contains("低压接入费"),
        "a resident's notice lists only their fees"
    );
    let api = app
        .get(
            &format!("/api/v1/public/halls/{hall}/catalogue"),
            Auth::Anon,
        )
        .await;
    let status = app
        .get(&format!("/api/v1/public/halls/{hall}/status"), Auth::Anon)
        .await;
    assert_eq!(api.expect(200).as_array().unwrap().len(), 2);
    let counters = status.expect(200)["counters"].clone();
    assert!(
        counters
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["clerk_badge"] == "DL002")
    );
    for (what, text) in [
        ("hall page", &page.text),
        ("notice", &notice.text),
        ("catalogue API", &api.text),
        ("status API", &status.text),
    ] {
        assert!(
            !text.contains(PHONE) && !text.contains("5678"),
            "{what} shows the customer's phone"
        );
        assert!(
            !text.contains(ticket["number"].as_str().unwrap()) || what == "status API",
            "{what} shows a ticket"
        );
    }
    // A version dated next month is not shown before its date.
    let manager = app.login("manager").await;
    let later = service_day(app.now() + 40 * 86_400_000, chrono_tz::Asia::Shanghai);
    let mut entry: Value = app
        .get(
            &format!("/api/v1/halls/{hall}/catalogue/versions"),
            Auth::Person(&manager),
        )
        .await
        .expect(200)[0]["entry"]
        .clone();
    entry["effective_from"] = json!(later.to_string());
    entry["description"] = json!("下月起的新说明");
    app.post(
        &format!("/api/v1/halls/{hall}/catalogue/versions"),
        Auth::Person(&manager),
        Some(entry),
    )
    .await
    .expect(200);
    let page = app.get(&format!("/hall/{hall}"), Auth::Anon).await;
    assert!(!page.text.contains("下月起的新说明"));
    assert_eq!(app.get("/hall/NOPE", Auth::Anon).await.status, 404);
    assert_eq!(app.get("/n/nonexistent", Auth::Anon).await.status, 404);
}

#[tokio::test]
async fn notices_for_unknown_types_or_classes_are_4xx_and_record_nothing() {
    let (app, manager) = with_catalogue().await;
    let hall = app.fx.hall.code.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(2).await;
    let guide = app.login("guide").await;
    let ticket = app.issue(Auth::Device(&kiosk), "new_connection").await;
    let path = format!("/api/v1/halls/{hall}/notices");
    let cases = [
        (
            notice_body("teleport", "resident", &ticket),
            404,
            "teleport",
        ),
        (
            notice_body("inquiry", "resident", &ticket),
            404,
            "no catalogue entry",
        ),
        (
            notice_body("new_connection", "hv_dual", &ticket),
            422,
            "not offered",
        ),
        (
            notice_body("new_connection", "alien", &ticket),
            422,
            "unknown customer class",
        ),
        (
            json!({"business_type": "new_connection", "class": "resident", "contact": ""}),
            422,
            "phone",
        ),
        (
            json!({"business_type": "new_connection", "class": "resident", "contact": PHONE, "outcome": "maybe"}),
            422,
            "unknown outcome",
        ),
    ];
    for (body, status, says) in cases {
        let res = app
            .post(&path, Auth::Person(&clerk), Some(body.clone()))
            .await;
        let detail = res.problem(status);
        assert!(detail.contains(says), "{body}: {detail}");
    }
    let trips = app
        .get(
            &format!("/api/v1/halls/{hall}/repeat-trips"),
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(trips.expect(200), json!([]));
    // Who may give one: the clerk and the guide, not a kiosk or a stranger.
    let ok = notice_body("new_connection", "resident", &ticket);
    app.post(&path, Auth::Person(&guide), Some(ok.clone()))
        .await
        .expect(201);
    app.post(&path, Auth::Device(&kiosk), Some(ok.clone()))
        .await
        .problem(403);
    app.post(&path, Auth::Anon, Some(ok.clone()))
        .await
        .problem(401);
    app.post(&path, Auth::PersonNoCsrf(&clerk), Some(ok))
        .await
        .problem(403);
}

#[tokio::test]
async fn imports_say_where_and_why_and_change_nothing() {
    let (app, manager) = with_catalogue().await;
    let hall = app.fx.hall.code.clone();
    let export = || async {
        app.get(
            &format!("/api/v1/halls/{hall}/catalogue/export"),
            Auth::Person(&manager),
        )
        .await
    };
    let before = export().await;
    assert_eq!(before.status, 200);
    assert!(before.content_type().starts_with("application/yaml"));
    // Round trip: the export imports as no change.
    assert_eq!(
        import(&app, &manager, &before.text).await.expect(200)["changed"],
        0
    );

    let good = catalogue_yaml(&hall, &today());
    let bad = [
        (
            good.replacen("  who_may_apply: 房屋产权人\n", "", 1),
            "missing field `who_may_apply`",
        ),
        (
            good.replace("business_type: payment", "business_type: new_connection"),
            "duplicate",
        ),
        (
            good.replace("business_type: payment", "business_type: teleport"),
            "unknown business type",
        ),
        (good.replace("居民新装用电", "改写已生效的版本"), "locked"),
        (good.replace(&today(), "2020-01-01"), "past"),
        (good.replace("fen: 0", "fen: -5"), "negative"),
        ("entries: [".to_string(), "line"),
    ];
    for (yaml, says) in bad {
        let detail = import(&app, &manager, &yaml).await.problem(422);
        assert!(detail.contains(says), "{says}: {detail}");
        assert!(detail.contains("line"), "says where: {detail}");
        assert_eq!(export().await.text, before.text, "{says}: nothing changed");
    }
    // Only administrators and hall managers import or export.
    let clerk = app.login("clerk1").await;
    import(&app, &clerk, &good).await.problem(403);
    app.get(
        &format!("/api/v1/halls/{hall}/catalogue/export"),
        Auth::Person(&clerk),
    )
    .await
    .problem(403);
    // The admin screen shows the same error and keeps the text; a stale form is refused.
    let form = app
        .client
        .post(app.url(&format!("/admin/catalogue/import?hall={hall}")))
        .header("cookie", &manager.cookie)
        .form(&[("_csrf", manager.csrf.as_str()), ("yaml", "hall: x")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 422);
    assert!(form.text().await.unwrap().contains("nothing changed"));
    let stale = app
        .client
        .post(app.url(&format!("/admin/catalogue/import?hall={hall}")))
        .header("cookie", &manager.cookie)
        .form(&[("_csrf", "wrong"), ("yaml", good.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), 403);
    assert_eq!(
        app.get("/admin/catalogue", Auth::Person(&manager))
            .await
            .status,
        200
    );
    assert_eq!(
        app.get("/admin/catalogue", Auth::Person(&clerk))
            .await
            .status,
        403
    );
}

#[tokio::test]
async fn a_repeat_trip_reaches_the_manager_with_both_visits_masked() {
    let (app, manager) = with_catalogue().await;
    let hall = app.fx.hall.code.clone();
    let kiosk = app.device(DeviceKind::Kiosk, None).await;
    let clerk = app.clerk_on_duty(2).await;
    let first = app.issue(Auth::Device(&kiosk), "new_connection").await;
    let second = app.issue(Auth::Device(&kiosk), "new_connection").await;
    let visits = format!("/api/v1/halls/{hall}/visits");
    let mut body = notice_body("new_connection", "resident", &first);
    body["outcome"] = json!("missing_document");
    let v1 = app
        .post(&visits, Auth::Person(&clerk), Some(body))
        .await
        .expect(201);
    assert_eq!(v1["repeat_of"], Value::Null);
    let mut body = notice_body("new_connection", "resident", &second);
    body["outcome"] = json!("completed");
    let v2 = app
        .post(&visits, Auth::Person(&clerk), Some(body.clone()))
        .await
        .expect(201);
    assert_eq!(v2["repeat_of"], v1["id"]);
    body["outcome"] = json!(null);
    app.post(&visits, Auth::Person(&clerk), Some(body))
        .await
        .problem(422);

    let trips = app
        .get(
            &format!("/api/v1/halls/{hall}/repeat-trips"),
            Auth::Person(&manager),
        )
        .await
        .expect(200);
    assert_eq!(trips.as_array().unwrap().len(), 1);
    assert_eq!(trips[0]["visit"]["ticket_number"], second["number"]);
    assert_eq!(trips[0]["earlier"]["ticket_number"], first["number"]);
    assert_eq!(trips[0]["earlier"]["outcome"], "missing_document");
    assert_eq!(trips[0]["visit"]["contact"], "138****5678");
    let page = app
        .get("/manager/repeat-trips", Auth::Person(&manager))
        .await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("138****5678") && !page.text.contains(PHONE));
    app.get(
        &format!("/api/v1/halls/{hall}/repeat-trips"),
        Auth::Person(&clerk),
    )
    .await
    .problem(403);
}

#[tokio::test]
async fn the_counter_screen_belongs_to_a_counter_screen_device() {
    let app = App::start().await;
    let c1 = app.fx.counter(1).id;
    let screen = app.device(DeviceKind::CounterScreen, Some(c1)).await;
    let display = app.device(DeviceKind::Display, None).await;
    app.clerk_on_duty(1).await;
    let page = app
        .get("/device/counter-screen", Auth::Device(&screen))
        .await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("1 号窗口") && page.text.contains("电费缴纳"));
    assert!(
        page.text.contains("DL001"),
        "the clerk's badge is in the page data"
    );
    assert_eq!(
        app.get("/device/counter-screen", Auth::Device(&display))
            .await
            .status,
        403
    );
    // Signed out (no device cookie): the sign-in page, which comes back here.
    let anon =
        App::send(crate::common::forms_client().get(app.url("/device/counter-screen"))).await;
    assert_eq!(anon.status, 303);
    assert_eq!(
        anon.headers.get("location").and_then(|v| v.to_str().ok()),
        Some("/login?next=/device/counter-screen")
    );
    // Pairing a counter-screen token opens this screen.
    let res = app
        .client
        .get(app.url(&format!("/device/pair?token={screen}")))
        .send()
        .await
        .unwrap();
    assert!(res.url().path().ends_with("/device/counter-screen") || res.status() == 200);
}

#[tokio::test]
async fn the_editor_previews_saves_future_versions_and_refuses_locked_ones() {
    let (app, manager) = with_catalogue().await;
    let hall = app.fx.hall.code.clone();
    let form = |path: &str, yaml: String| {
        app.client
            .post(app.url(&format!("{path}?hall={hall}")))
            .header("cookie", &manager.cookie)
            .form(&[("_csrf", manager.csrf.clone()), ("yaml", yaml)])
            .send()
    };
    let edit = app
        .get(
            &format!("/admin/catalogue/edit?hall={hall}&type=new_connection"),
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(edit.status, 200);
    assert!(edit.text.contains("公开页预览") && edit.text.contains("户主身份证明"));
    // The editor starts a new version dated tomorrow from the latest one.
    let today_yaml = format!("effective_from: {}", today());
    let entry_yaml = |from: &str, desc: &str| {
        format!(
            "business_type: new_connection\neffective_from: {from}\ndescription: {desc}\nwho_may_apply: 房屋产权人\ndocuments:\n  resident:\n  - name: 户主身份证明\nfees: []\nchannels: [hall]\n"
        )
    };
    // Preview renders a draft without saving it.
    let preview = form(
        "/admin/catalogue/preview",
        entry_yaml("2099-01-01", "草稿说明"),
    )
    .await
    .unwrap();
    assert_eq!(preview.status(), 200);
    assert!(preview.text().await.unwrap().contains("草稿说明"));
    let versions = || async {
        app.get(
            &format!("/api/v1/halls/{hall}/catalogue/versions"),
            Auth::Person(&manager),
        )
        .await
        .expect(200)
    };
    assert_eq!(
        versions().await.as_array().unwrap().len(),
        2,
        "preview saved nothing"
    );
    // A locked version is refused with the reason; a future one is saved.
    let locked = form("/admin/catalogue/save", entry_yaml(&today(), "改写"))
        .await
        .unwrap();
    assert_eq!(locked.status(), 422);
    assert!(locked.text().await.unwrap().contains("locked"));
    let bad = form(
        "/admin/catalogue/save",
        "business_type: new_connection\n".into(),
    )
    .await
    .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("missing field"));
    let saved = form(
        "/admin/catalogue/save",
        entry_yaml("2099-01-01", "将来的说明"),
    )
    .await
    .unwrap();
    assert!(
        saved.url().path().ends_with("/admin/catalogue"),
        "{}",
        saved.url()
    );
    let all = versions().await;
    assert_eq!(all.as_array().unwrap().len(), 3);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .any(|v| v["entry"]["effective_from"] == "2099-01-01" && v["locked"] == false)
    );
    assert!(
        !edit.text.contains(&today_yaml),
        "a new version is not dated today"
    );
    // History: each version is readable; a locked one offers only a new version.
    let id = all[0]["id"].as_i64().unwrap();
    let old = app
        .get(
            &format!("/admin/catalogue/version/{id}?hall={hall}"),
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(old.status, 200);
    assert!(old.text.contains("已锁定") && old.text.contains("readonly"));
}
