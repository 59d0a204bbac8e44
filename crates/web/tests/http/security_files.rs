//! Files people upload, as an attacker would send them: workbooks that declare a huge sheet,
//! dates beyond the calendar, photos that are really SVG with script or carry a CR-LF in
//! their type. Each is answered with a 4xx that says what to fix, and the server stays up.

use crate::common::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::json;
use servicehall_domain::Role;
use std::io::Write;

/// An .xlsx (stored, not deflated) whose first sheet's `<sheetData>` holds `sheet_data`.
/// Style 1 is a date (number format 14), so `<c s="1"><v>…</v></c>` is a date cell.
pub fn workbook(sheet_data: &str) -> Vec<u8> {
    let rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let parts = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ),
        (
            "xl/workbook.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rels}"><sheets><sheet name="外评" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rels}/styles" Target="styles.xml"/></Relationships>"#),
        ),
        (
            "xl/styles.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#),
        ),
        (
            "xl/worksheets/sheet1.xml",
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{sheet_data}</sheetData></worksheet>"#),
        ),
    ];
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, body) in parts {
            z.start_file(name, opts).unwrap();
            z.write_all(body.as_bytes()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

async fn import_xlsx(app: &App, who: &Session, book: Vec<u8>) -> Resp {
    App::send(
        app.request(
            reqwest::Method::POST,
            "/api/v1/feedback/imports?source=survey&file_name=attack.xlsx",
            Auth::Person(who),
        )
        .header("content-type", servicehall_web::xlsx::CONTENT_TYPE)
        .body(book),
    )
    .await
}

async fn still_serving(app: &App) {
    assert_eq!(app.get("/healthz", Auth::Anon).await.status, 200);
}

#[tokio::test]
async fn a_workbook_declaring_a_huge_sheet_is_refused_before_it_is_allocated() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    // Two cells, A1 and the last cell Excel has: a range would be 17 billion cells.
    let corners = workbook(
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
    );
    assert!(corners.len() < 4096, "the attack file is small");
    let m = import_xlsx(&app, &sup, corners).await.problem(422);
    assert!(m.contains("XFD1048576") && m.contains("at most"), "{m}");
    still_serving(&app).await;
    // A sparse sheet 100,000 rows deep and 702 columns wide.
    let sparse = workbook(
        r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="100000"><c r="ZZ100000"><v>1</v></c></row>"#,
    );
    let m = import_xlsx(&app, &sup, sparse).await.problem(422);
    assert!(m.contains("ZZ100000"), "{m}");
    still_serving(&app).await;
}

#[tokio::test]
async fn a_date_cell_far_beyond_the_calendar_is_a_bad_row_not_a_crash() {
    let app = App::start().await;
    let sup = app.above_halls("sup", Role::Supervisor).await;
    let hall = &app.fx.hall.code;
    let header = "<row r=\"1\">
        <c r=\"A1\" t=\"inlineStr\"><is><t>来源编号</t></is></c>
        <c r=\"B1\" t=\"inlineStr\"><is><t>营业厅编码</t></is></c>
        <c r=\"C1\" t=\"inlineStr\"><is><t>评价时间</t></is></c>
        <c r=\"D1\" t=\"inlineStr\"><is><t>评价等级</t></is></c></row>";
    let row = format!(
        r#"<row r="2"><c r="A2" t="inlineStr"><is><t>X1</t></is></c><c r="B2" t="inlineStr"><is><t>{hall}</t></is></c><c r="C2" s="1"><v>1e300</v></c><c r="D2"><v>5</v></c></row>"#
    );
    let r = import_xlsx(&app, &sup, workbook(&format!("{header}{row}"))).await;
    let report = r.expect(201);
    assert_eq!(report["rows_imported"], 0, "{report}");
    assert_eq!(report["rows_bad"], 1, "{report}");
    assert_eq!(report["errors"][0]["line"], 2, "{report}");
    still_serving(&app).await;
}

fn png_data_url(label: &str) -> String {
    let img = image::DynamicImage::new_rgb8(16, 12);
    let mut bytes = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut bytes),
        image::ImageFormat::Png,
    )
    .unwrap();
    format!("data:{label};base64,{}", BASE64.encode(bytes))
}

#[tokio::test]
async fn an_observation_photo_is_an_image_proven_by_its_content() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{}/observations", app.fx.hall.code);
    let c1 = app.fx.counter(1).id;
    let with_photo = |photo: String| {
        let mut o = super::insight::observation(c1, None);
        o["photo"] = json!(photo);
        o
    };
    // SVG with script: the finding's exploit, by its own label and disguised as a PNG.
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" onload="fetch('/api/v1/staff',{method:'POST'})"/>"#;
    for label in ["image/svg+xml", "image/png"] {
        let url = format!("data:{label};base64,{}", BASE64.encode(svg));
        let m = app
            .post(&path, Auth::Person(&manager), Some(with_photo(url)))
            .await
            .problem(422);
        assert!(m.contains("JPEG") && m.contains("PNG"), "{m}");
    }
    // A CR-LF in the type is refused as bad input, not answered with a 500.
    let crlf = format!(
        "data:image/png\r\nSet-Cookie: x=1;base64,{}",
        BASE64.encode(b"\x89PNG")
    );
    app.post(&path, Auth::Person(&manager), Some(with_photo(crlf)))
        .await
        .problem(422);
    assert!(
        app.get("/api/v1/insight/observations", Auth::Person(&manager))
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .is_empty(),
        "nothing was stored"
    );
    // A real PNG, whatever type its label names, is kept and served as what it is.
    let o = app
        .post(
            &path,
            Auth::Person(&manager),
            Some(with_photo(png_data_url("image/svg+xml"))),
        )
        .await
        .expect(201);
    let r = app
        .get(
            &format!("/api/v1/observations/{}/photo", o["id"]),
            Auth::Person(&manager),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type(), "image/png");
    assert_eq!(r.headers["x-content-type-options"], "nosniff");
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("sandbox"), "{csp}");
}

#[tokio::test]
async fn an_observation_time_out_of_range_is_refused() {
    let app = App::start().await;
    let manager = app.login("manager").await;
    let path = format!("/api/v1/halls/{}/observations", app.fx.hall.code);
    let mut o = super::insight::observation(app.fx.counter(1).id, None);
    o["observed_at"] = json!(i64::MIN);
    let m = app
        .post(&path, Auth::Person(&manager), Some(o))
        .await
        .problem(422);
    assert!(m.contains("a year ago"), "{m}");
}
