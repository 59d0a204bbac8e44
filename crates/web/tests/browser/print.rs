//! The one-time notice printed for real: WebDriver's print command (Chromium's own PDF
//! printer) prints it on A5 and on an 80 mm roll, and the PDF is checked — one page, the
//! page size from its MediaBox, the notice's title in its metadata and a CJK font embedded
//! (the Chinese text was set, not dropped). No PDF library: the few things checked are
//! plain bytes in Chromium's PDF.

use super::*;
use crate::common::Auth;
use thirtyfour::common::print::{PrintMargins, PrintPage, PrintParameters};

const PT_PER_CM: f64 = 72.0 / 2.54;

/// `/MediaBox [0 0 w h]` of every page.
fn media_boxes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/MediaBox")
        .filter_map(|(i, _)| {
            let rest = &text[i..];
            let inner = &rest[rest.find('[')? + 1..rest.find(']')?];
            let n: Vec<f64> = inner
                .split_whitespace()
                .filter_map(|x| x.parse().ok())
                .collect();
            (n.len() == 4).then(|| (n[2] - n[0], n[3] - n[1]))
        })
        .collect()
}

/// Page objects (`/Type /Page`, not `/Pages`).
fn page_count(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, m)| {
            !text[i + m.len()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
        })
        .count()
}

/// The document title from the PDF's info dictionary (`/Title <FEFF…>`, UTF-16BE).
fn title(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    let Some(i) = text.find("/Title <") else {
        return String::new();
    };
    let hex = &text[i + 8..];
    let hex = &hex[..hex.find('>').unwrap_or(0)];
    let bytes: Vec<u8> = (0..hex.len() / 2)
        .filter_map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).ok())
        .collect();
    let units: Vec<u16> = bytes
        .chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .skip_while(|u| *u == 0xFEFF)
        .collect();
    String::from_utf16_lossy(&units)
}

/// Chromium's printer answers "Printing failed" now and then on a loaded machine (the
/// renderer timed out); the page is the same on a second try, so the test retries that
/// error twice rather than report the machine's load as a broken notice.
async fn print(b: &WebDriver, width_cm: f64, height_cm: f64) -> Vec<u8> {
    let params = PrintParameters {
        page: PrintPage {
            width: width_cm,
            height: height_cm,
        },
        margin: PrintMargins {
            top: 0.0,
            bottom: 0.0,
            left: 0.0,
            right: 0.0,
        },
        background: true,
        shrink_to_fit: false,
        ..Default::default()
    };
    let mut tries = 0;
    loop {
        match b.print_page(params.clone()).await {
            Ok(pdf) => return pdf,
            Err(e) if tries < 2 && e.to_string().contains("Printing failed") => {
                tries += 1;
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
            Err(e) => panic!("print the page: {e}"),
        }
    }
}

fn check(pdf: &[u8], paper: &str, width_cm: f64, height_cm: f64) {
    assert!(pdf.starts_with(b"%PDF-"), "{paper}: not a PDF");
    assert_eq!(page_count(pdf), 1, "{paper}: the notice fits one page");
    let boxes = media_boxes(pdf);
    assert!(!boxes.is_empty(), "{paper}: no MediaBox");
    let (w, h) = boxes[0];
    let (ew, eh) = (width_cm * PT_PER_CM, height_cm * PT_PER_CM);
    assert!(
        (w - ew).abs() < 3.0 && (h - eh).abs() < 3.0,
        "{paper}: page is {w:.1}×{h:.1} pt, expected {ew:.1}×{eh:.1}"
    );
    let t = title(pdf);
    assert!(t.contains("一次性告知单"), "{paper}: title {t:?}");
    let text = String::from_utf8_lossy(pdf);
    assert!(
        text.contains("CJK") || text.contains("Noto"),
        "{paper}: no CJK font embedded"
    );
    assert!(
        pdf.len() > 5_000,
        "{paper}: {} bytes is too small for a notice",
        pdf.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notice_prints_on_one_a5_page_and_one_80mm_slip() {
    let Some(d) = driver("the_notice_prints_on_one_a5_page_and_one_80mm_slip").await else {
        return;
    };
    let app = super::catalogue::app_with_catalogue().await;
    let clerk = app.clerk_on_duty(2).await;
    let given = app
        .post(
            &format!("/api/v1/halls/{}/notices", app.fx.hall.code),
            Auth::Person(&clerk),
            Some(serde_json::json!({
                "business_type": "new_connection",
                "class": "resident",
                "contact": "13812345678",
            })),
        )
        .await
        .expect(201);
    let url = format!("{}{}", app.base, given["url"].as_str().unwrap());

    // A public page: no sign-in needed to print it.
    let b = browser(&d, 1366, 768).await;
    b.goto(format!("{url}?paper=a5")).await.unwrap();
    watch_errors(&b).await;
    let a5 = print(&b, 14.8, 21.0).await;
    check(&a5, "A5", 14.8, 21.0);

    b.goto(format!("{url}?paper=80mm")).await.unwrap();
    let slip = print(&b, 8.0, 29.7).await;
    check(&slip, "80 mm", 8.0, 29.7);
    // Same notice, different layouts: not the same bytes.
    assert_ne!(a5.len(), slip.len());
    no_js_errors(&b).await;
    quit(b).await;
}
