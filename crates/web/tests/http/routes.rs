//! The API's routes are declared once (`api::api_router`): the router and the OpenAPI
//! description are built from the same lines. This walks the description and checks that
//! the server answers every operation in it (no 404 without a body, no 405): what is
//! described is served.

use crate::common::{App, Auth};

/// `/api/v1/halls/{hall}/cases/{id}` with every parameter filled in.
fn concrete(path: &str, hall: &str) -> String {
    let mut out = String::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = &rest[open + 1..close];
        out.push_str(match name {
            "hall" => hall,
            "action" => "open",
            "clock" | "code" => "x",
            "year" => "2026",
            _ => "1",
        });
        rest = &rest[(close + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn every_described_operation_is_served() {
    let app = App::start().await;
    let spec = app.get("/api/openapi.json", Auth::Anon).await.expect(200);
    let paths = spec["paths"].as_object().expect("paths");
    let mut operations = 0;
    for (path, ops) in paths {
        for (method, op) in ops.as_object().unwrap() {
            let Ok(m) = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()) else {
                continue;
            };
            assert!(
                op["responses"].is_object(),
                "{method} {path} has no responses"
            );
            operations += 1;
            let url = concrete(path, &app.fx.hall.code);
            let res = App::send(app.request(m, &url, Auth::Anon)).await;
            let unrouted = res.status == 405 || (res.status == 404 && res.text.is_empty());
            assert!(
                !unrouted,
                "{method} {path} is described but not served ({})",
                res.status
            );
        }
    }
    assert!(operations > 80, "only {operations} operations described");
}
