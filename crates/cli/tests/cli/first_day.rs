//! The first day of a real hall, from an empty database: init, hall import, serve, sign in
//! as the new administrator and as an imported clerk, open a counter, issue, call and
//! finish a ticket.

use crate::server::Server;
use crate::{Db, TempDir, on_both, run, run_on};
use serde_json::{Value, json};
use servicehall_store::HallStore;

/// A signed-in person: the session cookie and the CSRF token to echo.
struct Session {
    cookie: String,
    csrf: String,
}

async fn sign_in(client: &reqwest::Client, server: &Server, user: &str, pw: &str) -> Session {
    let r = client
        .post(server.url("/api/v1/session"))
        .json(&json!({"username": user, "password": pw}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "sign in as {user}");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ");
    let body: Value = r.json().await.unwrap();
    Session {
        cookie,
        csrf: body["csrf"].as_str().unwrap().to_string(),
    }
}

async fn post(client: &reqwest::Client, server: &Server, who: &Session, path: &str) -> Value {
    let r = client
        .post(server.url(path))
        .header("cookie", &who.cookie)
        .header("x-csrf-token", &who.csrf)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let status = r.status();
    let body = r.text().await.unwrap();
    assert!(status.is_success(), "{path}: {status} {body}");
    serde_json::from_str(&body).unwrap()
}

pub async fn a_hall_goes_live_from_an_empty_database(db: Db) {
    let pw = "first day password";
    let init = run_on(
        &db,
        &["init"],
        &["--admin", "root", "--name", "管理员", "--password-stdin"],
        pw,
    );
    assert_eq!(init.code, 0, "{}", init.stderr);
    let dir = TempDir::new("firstday");
    let path = dir.0.join("hall.yaml");
    std::fs::write(&path, crate::halls::HALL).unwrap();
    let import = run_on(&db, &["hall", "import"], &[&path.display().to_string()], "");
    assert_eq!(import.code, 0, "{}", import.stderr);
    let clerk_pw = import
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("xh_clerk1"))
        .unwrap()
        .trim()
        .to_string();
    let token = run(
        &[
            "token",
            "create",
            "--role",
            "integration",
            "--hall",
            "DL-XH",
            "--database",
            &db.url(),
        ],
        "",
    );
    assert_eq!(token.code, 0, "{}", token.stderr);
    let token = token.stdout.trim().to_string();
    let counter = {
        let store = db.open().await;
        let hall = store.hall_by_code("DL-XH").await.unwrap();
        let c = store.counters(hall.id).await.unwrap();
        store.pool().close().await;
        c.into_iter().find(|c| c.number == 2).unwrap().id
    };

    let server = Server::start(&db.url());
    let client = reqwest::Client::new();
    let admin = sign_in(&client, &server, "root", pw).await;
    let page = client
        .get(server.url("/admin"))
        .header("cookie", &admin.cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("DL-XH"));

    let clerk = sign_in(&client, &server, "xh_clerk1", &clerk_pw).await;
    post(
        &client,
        &server,
        &clerk,
        &format!("/api/v1/counters/{counter}/open"),
    )
    .await;
    let issued = client
        .post(server.url("/api/v1/halls/DL-XH/tickets"))
        .bearer_auth(&token)
        .json(&json!({"business_type": "new"}))
        .send()
        .await
        .unwrap();
    assert_eq!(issued.status(), 201);
    let issued: Value = issued.json().await.unwrap();
    let called = post(
        &client,
        &server,
        &clerk,
        &format!("/api/v1/counters/{counter}/call-next"),
    )
    .await;
    assert_eq!(called["id"], issued["id"], "{called}");
    let id = called["id"].as_i64().unwrap();
    post(
        &client,
        &server,
        &clerk,
        &format!("/api/v1/tickets/{id}/start"),
    )
    .await;
    let done = post(
        &client,
        &server,
        &clerk,
        &format!("/api/v1/tickets/{id}/finish"),
    )
    .await;
    assert_eq!(done["state"], "finished", "{done}");
}

on_both!(a_hall_goes_live_from_an_empty_database);
