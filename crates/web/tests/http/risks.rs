//! The risk register over HTTP: a manager registers a risk and a KRI, a complaint crosses
//! the KRI's threshold, the risk is raised for review and its owner told on the home page
//! and the dashboard; acceptance needs someone above the owner; clerks and guides are kept
//! out; bad input is a 422 naming the field.

use crate::common::{App, Auth};
use reqwest::Method;
use serde_json::{Value, json};
use servicehall_domain::Role;

fn body(owner: i64, code: &str) -> Value {
    json!({
        "code": code, "title": "乱收费", "category": "billing_error",
        "cause": "收费标准未更新", "event": "多收客户费用", "consequence": "投诉与退费",
        "owner": owner,
        "inherent": {"likelihood": 4, "impact": 5}, "residual": {"likelihood": 3, "impact": 4},
        "controls": [{"text": "唱收唱付复核", "owner": "柜员", "last_tested": "2020-01-01", "test_every_days": 30}],
        "treatment": "reduce"
    })
}

trait Page {
    fn page(self) -> String;
}

impl Page for crate::common::Resp {
    /// A screen answered 200: its HTML.
    fn page(self) -> String {
        assert_eq!(self.status, 200, "{}", self.text);
        self.text
    }
}

async fn put(app: &App, path: &str, auth: Auth<'_>, b: &Value) -> crate::common::Resp {
    App::send(app.request(Method::PUT, path, auth).json(b)).await
}

#[tokio::test]
async fn a_kri_crossing_raises_the_risk_and_tells_its_owner() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();
    let owner = app.fx.manager.id;

    let r = app
        .post(
            &format!("/api/v1/halls/{hall}/risks"),
            m,
            Some(body(owner, "R01")),
        )
        .await
        .expect(201);
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["residual"]["score"], 12);
    assert_eq!(r["residual"]["band"], "high");
    assert_eq!(r["residual"]["colour"], "#ffd3a8");
    assert_eq!(r["category_zh"], "收费差错");
    assert_eq!(r["controls"][0]["test_overdue"], true);
    assert_eq!(r["review_due"], false);

    let k = app
        .post(
            &format!("/api/v1/halls/{hall}/kris"),
            m,
            Some(json!({"risk": id, "measure": "complaints", "amber": 1, "red": 3})),
        )
        .await
        .expect(200);
    assert_eq!(k["state"], "green");
    // A complaint case is opened: counting now crosses amber.
    app.post(
        &format!("/api/v1/halls/{hall}/cases"),
        m,
        Some(json!({"kind": "complaint", "customer_name": "王五", "customer_phone": "13900001111", "summary": "多收了费用"})),
    )
    .await
    .expect(201);
    let n = app
        .post(&format!("/api/v1/halls/{hall}/kris/refresh"), m, None)
        .await
        .expect(200);
    assert_eq!(n["kris"], 1);
    assert_eq!(n["notices"][0]["state"], "amber");
    let kris = app
        .get(&format!("/api/v1/halls/{hall}/kris"), m)
        .await
        .expect(200);
    assert_eq!(kris[0]["value"], 1);
    assert_eq!(kris[0]["state"], "amber");
    assert_eq!(kris[0]["measure_zh"], "投诉工单");
    assert_eq!(kris[0]["history"].as_array().unwrap().len(), 1);

    let shown = app.get(&format!("/api/v1/risks/{id}"), m).await.expect(200);
    assert_eq!(shown["review_due"], true);
    assert!(
        shown["review_reason"]
            .as_str()
            .unwrap()
            .starts_with("投诉工单预警 1")
    );
    let history = shown["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[1]["by"].is_null());

    // The owner sees it on the home page and the dashboard, until the review.
    let home = app.get("/", m).await.page();
    assert!(
        home.contains("风险提醒") && home.contains("R01 乱收费"),
        "{home}"
    );
    let dash = app.get("/manager", m).await.page();
    assert!(dash.contains("risk-alert"), "no notice on the dashboard");
    let mut reviewed = body(owner, "R01");
    reviewed["reviewed"] = json!(true);
    let after = put(&app, &format!("/api/v1/risks/{id}"), m, &reviewed)
        .await
        .expect(200);
    assert_eq!(after["review_due"], false);
    assert_eq!(after["review_reason"], "");
    let home = app.get("/", m).await.page();
    assert!(!home.contains("风险提醒"));
}

#[tokio::test]
async fn acceptance_roles_and_bad_input() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let m = Auth::Person(&manager);
    let hall = app.fx.hall.code.clone();
    let r = app
        .post(
            &format!("/api/v1/halls/{hall}/risks"),
            m,
            Some(body(app.fx.manager.id, "R01")),
        )
        .await
        .expect(201);
    let path = format!("/api/v1/risks/{}", r["id"]);
    let mut accept = body(app.fx.manager.id, "R01");
    accept["treatment"] = json!("accept");
    accept["accept_until"] = json!("2099-01-01");
    // Too far ahead, and the manager cannot accept their own risk.
    let p = put(&app, &path, m, &accept).await.problem(422);
    assert!(p.contains("高于责任人") || p.contains("有效期"), "{p}");
    let supervisor = app.above_halls("sup", Role::Supervisor).await;
    let until = chrono::DateTime::from_timestamp_millis(app.now() + 90 * 86_400_000)
        .unwrap()
        .format("%Y-%m-%d")
        .to_string();
    accept["accept_until"] = json!(until);
    let p = put(&app, &path, m, &accept).await.problem(422);
    assert!(p.contains("接受风险须由高于责任人岗位"), "{p}");
    let ok = put(&app, &path, Auth::Person(&supervisor), &accept)
        .await
        .expect(200);
    assert_eq!(ok["treatment"], "accept");
    assert_eq!(ok["accepted_by"], "sup 甲");

    // Bad input names the field.
    let mut bad = body(app.fx.manager.id, "R02");
    bad["category"] = json!("weather");
    let p = app
        .post(&format!("/api/v1/halls/{hall}/risks"), m, Some(bad))
        .await
        .problem(422);
    assert!(
        p.contains("没有这个风险类别") && p.contains("billing_error"),
        "{p}"
    );
    let mut bad = body(app.fx.manager.id, "R02");
    bad["residual"] = json!({"likelihood": 6, "impact": 1});
    let p = app
        .post(&format!("/api/v1/halls/{hall}/risks"), m, Some(bad))
        .await
        .problem(422);
    assert!(p.contains("1–5"), "{p}");
    let p = app
        .post(
            &format!("/api/v1/halls/{hall}/risks"),
            m,
            Some(body(app.fx.manager.id, "R01")),
        )
        .await
        .problem(409);
    assert!(p.contains("风险编号"), "{p}");

    // Clerks and guides keep no register; another hall's manager sees nothing of it.
    for who in ["clerk1", "guide"] {
        let s = app.login(who).await;
        app.get(&format!("/api/v1/halls/{hall}/risks"), Auth::Person(&s))
            .await
            .expect(403);
        app.get(&path, Auth::Person(&s)).await.expect(403);
        assert_eq!(app.get("/risks", Auth::Person(&s)).await.status, 403);
    }
    let page = app.get("/risks", m).await.page();
    assert!(
        page.contains("R01") && page.contains("风险热力图"),
        "{page}"
    );
}
