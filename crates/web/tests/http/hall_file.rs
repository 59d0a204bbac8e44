//! A hall as one file over HTTP (issue 13): the JSON API under /api/v1/admin/halls/{hall}/file
//! and the upload on the halls admin screen, YAML or Excel, all or nothing, with one-time
//! passwords shown once.

use crate::common::{App, Auth, Session};
use reqwest::Method;
use servicehall_domain::Role;
use servicehall_domain::halls::file;
use servicehall_store::HallStore;
use servicehall_web::hall_xlsx;

/// The template's example hall under a code of its own (the fixture hall is DL-XH).
fn example() -> String {
    hall_xlsx::EXAMPLE.replace("code: DL-XH", "code: DL-HF")
}

fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let b = "----servicehall-hall-file";
    let mut body = Vec::new();
    if !csrf.is_empty() {
        body.extend_from_slice(
            format!("--{b}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{b}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={b}"), body)
}

async fn upload(
    app: &App,
    who: &Session,
    csrf: &str,
    name: &str,
    bytes: &[u8],
) -> crate::common::Resp {
    let (ct, body) = multipart(csrf, name, bytes);
    App::send(
        app.request(Method::POST, "/admin/hall-file", Auth::PersonNoCsrf(who))
            .header("content-type", ct)
            .body(body),
    )
    .await
}

async fn put(app: &App, who: &Session, code: &str, body: Vec<u8>) -> crate::common::Resp {
    App::send(
        app.request(
            Method::PUT,
            &format!("/api/v1/admin/halls/{code}/file"),
            Auth::Person(who),
        )
        .header("content-type", "application/yaml")
        .body(body),
    )
    .await
}

#[tokio::test]
async fn the_api_imports_yaml_once_exports_it_back_and_refuses_bad_files_whole() {
    let app = App::start().await;
    let admin = app.above_halls("hf-admin", Role::Admin).await;

    let res = put(&app, &admin, "DL-HF", example().into()).await;
    assert_eq!(res.headers["cache-control"], "no-store");
    let done = res.expect(200);
    assert_eq!(done["created"], true);
    let new: Vec<&str> = done["new_staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(new, vec!["xh_clerk1", "xh_manager"]);
    let password = done["new_staff"][0]["one_time_password"].as_str().unwrap();
    let (_, hash) = app.store.staff_login("xh_clerk1").await.unwrap().unwrap();
    assert!(servicehall_web::auth::verify_password(password, &hash));

    // Again: updated, no passwords.
    let again = put(&app, &admin, "DL-HF", example().into())
        .await
        .expect(200);
    assert_eq!(again["created"], false);
    assert_eq!(again["new_staff"].as_array().unwrap().len(), 0);

    // Export: the same file, as YAML and as a workbook.
    let yaml = app
        .get("/api/v1/admin/halls/DL-HF/file", Auth::Person(&admin))
        .await;
    assert_eq!(yaml.status, 200);
    assert!(yaml.content_type().starts_with("application/yaml"));
    assert!(!yaml.text.contains("password"));
    assert_eq!(
        file::parse(&yaml.text).unwrap(),
        file::parse(&example()).unwrap()
    );
    let res = app
        .request(
            Method::GET,
            "/api/v1/admin/halls/DL-HF/file?format=xlsx",
            Auth::Person(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let book = res.bytes().await.unwrap();
    assert_eq!(
        hall_xlsx::read(&book).unwrap(),
        file::parse(&example()).unwrap()
    );

    // A bad file names every line and field and changes nothing, not even the name.
    let bad = example()
        .replace("name: 国网大连供电公司星海营业厅", "name: 改名")
        .replace(
            "{ number: 2, primary: [new] }",
            "{ number: 2, primary: [repair] }",
        );
    let detail = put(&app, &admin, "DL-HF", bad.into()).await.problem(422);
    assert!(detail.contains("nothing was imported"), "{detail}");
    assert!(
        detail.contains("第 13 行 line 13, counters[1].primary[0]: 没有业务类型 repair"),
        "{detail}"
    );
    let hall = app.store.hall_by_code("DL-HF").await.unwrap();
    assert_eq!(hall.name, "国网大连供电公司星海营业厅");
    // The file must be the hall the address names.
    let detail = put(&app, &admin, "DL-ZS", example().into())
        .await
        .problem(422);
    assert!(detail.contains("DL-ZS"), "{detail}");
    // A bad workbook is refused by sheet, row and column.
    let mut f = file::parse(&example()).unwrap();
    f.business_types[1].prefix = "bb".into();
    let detail = put(&app, &admin, "DL-HF", hall_xlsx::write(&f))
        .await
        .problem(422);
    assert!(
        detail.contains("sheet '业务类型 Business types' row 3"),
        "{detail}"
    );

    // A hall's manager and a regional administrator may not.
    let manager = app.login("manager").await;
    assert_eq!(
        app.get("/api/v1/admin/halls/DL-HF/file", Auth::Person(&manager))
            .await
            .status,
        403
    );
    assert_eq!(
        put(&app, &manager, "DL-HF", example().into()).await.status,
        403
    );
    assert_eq!(
        app.get("/api/v1/admin/halls/NOPE/file", Auth::Person(&admin))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn the_admin_screen_takes_a_workbook_and_shows_passwords_once() {
    let app = App::start().await;
    let admin = app.above_halls("hf-screen", Role::Admin).await;
    let page = app.get("/admin", Auth::Person(&admin)).await;
    assert!(page.text.contains("id=\"hall-file-form\""), "{}", page.text);
    assert!(page.text.contains("/admin/hall-file/template.xlsx"));
    assert!(page.text.contains("/api/v1/admin/halls/DL-XH/file"));

    let res = app
        .request(
            Method::GET,
            "/admin/hall-file/template.xlsx",
            Auth::Person(&admin),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let template = res.bytes().await.unwrap();
    assert_eq!(
        hall_xlsx::read(&template).unwrap(),
        file::parse(hall_xlsx::EXAMPLE).unwrap()
    );
    let book = hall_xlsx::write(&file::parse(&example()).unwrap());

    // Without the form's token: refused, nothing written.
    let res = upload(&app, &admin, "", "hall.xlsx", &book).await;
    assert_eq!(res.status, 403);
    assert!(app.store.hall_by_code("DL-HF").await.is_err());

    // A bad workbook: 422, every problem by sheet/row/column, nothing written.
    let mut f = file::parse(&example()).unwrap();
    f.staff[1].role = "admin".into();
    let bad = hall_xlsx::write(&f);
    let res = upload(&app, &admin, &admin.csrf, "hall.xlsx", &bad).await;
    assert_eq!(res.status, 422, "{}", res.text);
    assert!(res.text.contains("id=\"hall-file-errors\""));
    assert!(
        res.text.contains("工作表“人员 Staff”第 3 行 D 列"),
        "{}",
        res.text
    );
    assert!(app.store.hall_by_code("DL-HF").await.is_err());

    // The workbook: the hall is created; passwords shown once, not cached.
    let res = upload(&app, &admin, &admin.csrf, "hall.xlsx", &book).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert_eq!(res.headers["cache-control"], "no-store");
    assert!(
        res.text.contains("id=\"one-time-passwords\""),
        "{}",
        res.text
    );
    assert!(res.text.contains("xh_manager"));
    let hall = app.store.hall_by_code("DL-HF").await.unwrap();
    assert_eq!(app.store.counters(hall.id).await.unwrap().len(), 2);
    // The same file as YAML again: updated, no passwords.
    let res = upload(&app, &admin, &admin.csrf, "hall.yaml", example().as_bytes()).await;
    assert_eq!(res.status, 200, "{}", res.text);
    assert!(res.text.contains("已更新"));
    assert!(!res.text.contains("one-time-passwords"));

    // A hall manager gets neither the template nor the upload.
    let manager = app.login("manager").await;
    assert_eq!(
        app.get("/admin/hall-file/template.xlsx", Auth::Person(&manager))
            .await
            .status,
        403
    );
    let res = upload(
        &app,
        &manager,
        &manager.csrf,
        "hall.yaml",
        example().as_bytes(),
    )
    .await;
    assert_eq!(res.status, 403);
}
