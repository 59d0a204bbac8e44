//! The OpenAPI description lists every route of the JSON API with its methods: the routes
//! are read from the router's source (`src/api/*.rs`), so a new endpoint left out of
//! `openapi.rs` fails here.

use crate::common::{App, Auth};

/// (path, method) of every `.route("/api/v1…", get(…).post(…))` in the API sources.
fn routes_in_source() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/api")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read source");
        for chunk in text.split(".route(").skip(1) {
            let chunk = chunk.trim_start();
            let Some(rest) = chunk.strip_prefix("\"/api/v1") else {
                continue;
            };
            let Some(end) = rest.find('"') else { continue };
            let path = format!("/api/v1{}", &rest[..end]);
            // The handlers up to the next route, merge or end of the function.
            let body = &rest[end..];
            let body = [".merge(", "\n}"]
                .iter()
                .filter_map(|m| body.find(m))
                .min()
                .map_or(body, |i| &body[..i]);
            for method in ["get", "post", "put", "delete", "patch"] {
                let token = format!("{method}(");
                let found = body.match_indices(&token).any(|(i, _)| {
                    i == 0
                        || !body[..i]
                            .chars()
                            .next_back()
                            .is_some_and(|c| c.is_alphanumeric() || c == '_')
                });
                if found {
                    out.push((path.clone(), method.to_string()));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn openapi_lists_every_api_route_and_method() {
    let routes = routes_in_source();
    // The reader itself must see the routes, or this test proves nothing.
    assert!(routes.len() > 60, "only {} routes read", routes.len());
    for expected in [
        ("/api/v1/insight/satisfaction", "get"),
        ("/api/v1/surveys", "post"),
        ("/api/v1/halls/{hall}/observations", "post"),
        ("/api/v1/feedback/flags/{id}/finding", "post"),
    ] {
        assert!(
            routes.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not read from the source"
        );
    }
    let app = App::start().await;
    let spec = app.get("/api/openapi.json", Auth::Anon).await.expect(200);
    let paths = spec["paths"].as_object().expect("paths");
    let missing: Vec<String> = routes
        .iter()
        .filter(|(p, m)| !paths.get(p).is_some_and(|ops| ops[m.as_str()].is_object()))
        .map(|(p, m)| format!("{} {p}", m.to_uppercase()))
        .collect();
    assert!(
        missing.is_empty(),
        "routes missing from /api/openapi.json (add them to src/api/openapi.rs): {missing:#?}"
    );
}
