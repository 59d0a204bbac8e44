//! 整改 in the demo: every failed item of the seeded checks has its inspector's photo and
//! opened its rectification case at submit. Here the month plays out: most cases were fixed
//! (a photo of the result and a note, by the hall manager) and verified by the supervisor
//! within their limit, one in nine was sent back once before it held, and a few are still
//! open — some past their deadline — or fixed and waiting for verification, so every
//! screen of the feature has rows.

use crate::{CliError, CliResult};
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use servicehall_domain::inspections::rectification::{Stage, Verdict};
use servicehall_store::{PhotoUpload, RectificationFilter, Store, Window};
use std::io::Cursor;
use std::sync::OnceLock;

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

fn err(e: impl std::fmt::Display, what: &str) -> CliError {
    CliError::failed(format!(
        "整改演示数据失败（{what}）：{e} · rectification {what}: {e}"
    ))
}

/// A picture of a hall's floor tiles and counter front, with a dark spill on it (`stain`)
/// or clean; drawn, so the demo needs no photo files.
fn scene(stain: bool) -> Vec<u8> {
    let img = RgbImage::from_fn(640, 480, |x, y| {
        if y < 150 {
            // The counter front and the wall above it.
            return if y < 110 {
                Rgb([226, 232, 238])
            } else {
                Rgb([20, 99, 86])
            };
        }
        let grout = x % 80 < 3 || (y - 150) % 80 < 3;
        let (dx, dy) = (x as f64 - 330.0, (y as f64 - 330.0) * 1.6);
        let blob = (dx * dx + dy * dy).sqrt() + 18.0 * ((x as f64) / 23.0).sin();
        if stain && blob < 120.0 {
            Rgb([92, 84, 70])
        } else if grout {
            Rgb([170, 170, 165])
        } else {
            Rgb([214, 210, 200])
        }
    });
    let mut out = Vec::new();
    // The drawn scene always encodes; an empty picture would only be refused by `evidence`.
    let _ = DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), ImageFormat::Jpeg);
    out
}

/// The before and after photos, made safe once the way the web makes every upload.
async fn photos() -> CliResult<&'static (
    servicehall_web::photo::Portrait,
    servicehall_web::photo::Portrait,
)> {
    static PHOTOS: OnceLock<(
        servicehall_web::photo::Portrait,
        servicehall_web::photo::Portrait,
    )> = OnceLock::new();
    if let Some(p) = PHOTOS.get() {
        return Ok(p);
    }
    let before = servicehall_web::photo::evidence(scene(true))
        .await
        .map_err(|e| err(e, "photo"))?;
    let after = servicehall_web::photo::evidence(scene(false))
        .await
        .map_err(|e| err(e, "photo"))?;
    Ok(PHOTOS.get_or_init(|| (before, after)))
}

fn upload(p: &servicehall_web::photo::Portrait, by: i64) -> PhotoUpload {
    PhotoUpload {
        mime: p.kind.mime().into(),
        image: p.image.clone(),
        thumb: p.thumb.clone(),
        uploaded_by: by,
        supersedes: None,
    }
}

/// The inspector's photo of a failed item, taken before the inspection is submitted.
pub async fn finding_photo(
    store: &dyn Store,
    inspection: i64,
    item: &str,
    by: i64,
    at: i64,
) -> CliResult<()> {
    let (before, _) = photos().await?;
    store
        .add_inspection_photo(inspection, item, &upload(before, by), at)
        .await
        .map_err(|e| err(e, "finding photo"))?;
    Ok(())
}

/// What the month left: (still open, of them overdue, fixed and waiting, verified).
pub struct Settled {
    pub open: usize,
    pub overdue: usize,
    pub to_verify: usize,
    pub verified: usize,
}

/// Plays the month's rectifications out up to `now`: fixed by `fixer`, verified by
/// `verifier`; the last days' cases (and one in seven older ones) are left as they are.
pub async fn settle(
    store: &dyn Store,
    hall_id: i64,
    fixer: i64,
    verifier: i64,
    now: i64,
) -> CliResult<Settled> {
    let (_, after) = photos().await?;
    let all = store
        .rectifications(
            hall_id,
            &RectificationFilter {
                from: 0,
                to: now + 1,
                state: None,
            },
            Window::first(10_000),
            now,
        )
        .await
        .map_err(|e| err(e, "list"))?;
    for (n, r) in all.items.iter().rev().enumerate() {
        let age = now - r.opened_at;
        // Recent cases stay open; of the older ones, every seventh is left late.
        let recent = age < 2 * DAY;
        if n % 7 == 3 || (recent && n % 2 == 0) {
            continue;
        }
        let mut at = r.opened_at + 3 * HOUR + (n as i64 % 5) * HOUR;
        if at + 2 * HOUR >= now {
            continue;
        }
        let id = r.case_id;
        let fix = |at: i64, note: &'static str| async move {
            store
                .add_rectification_photo(id, &upload(after, fixer), at)
                .await
                .map_err(|e| err(e, "fix photo"))?;
            store
                .fix_rectification(id, fixer, note, at + 60_000)
                .await
                .map_err(|e| err(e, "fix"))
        };
        fix(at, "已按要求整改，附整改后照片").await?;
        if recent {
            continue; // fixed, waiting for the supervisor
        }
        if n % 9 == 1 {
            store
                .verify_rectification(
                    id,
                    verifier,
                    Verdict::Reopen,
                    "复查时问题仍在，请彻底整改",
                    at + HOUR,
                )
                .await
                .map_err(|e| err(e, "reopen"))?;
            at += 2 * HOUR;
            fix(at, "已再次整改并复核").await?;
        }
        store
            .verify_rectification(id, verifier, Verdict::Accept, "复查合格，销号", at + HOUR)
            .await
            .map_err(|e| err(e, "verify"))?;
    }
    let now_list = store
        .rectifications(
            hall_id,
            &RectificationFilter {
                from: 0,
                to: now + 1,
                state: None,
            },
            Window::first(10_000),
            now,
        )
        .await
        .map_err(|e| err(e, "list"))?;
    let count = |f: &dyn Fn(&servicehall_store::Rectification) -> bool| {
        now_list.items.iter().filter(|r| f(r)).count()
    };
    Ok(Settled {
        open: count(&|r| r.stage == Stage::Open),
        overdue: count(&|r| r.overdue),
        to_verify: count(&|r| r.stage == Stage::Fixed),
        verified: count(&|r| r.stage == Stage::Verified),
    })
}

/// The demo hall's month of rectifications: the manager fixes, the supervisor verifies.
pub async fn seed(store: &dyn Store, demo: &super::hall::DemoHall, now: i64) -> CliResult<Settled> {
    let mut people = store
        .staff_list(Some(demo.hall.id))
        .await
        .map_err(|e| err(e, "staff"))?;
    people.extend(store.staff_list(None).await.map_err(|e| err(e, "staff"))?);
    let find = |name: &str| people.iter().find(|s| s.username == name).map(|s| s.id);
    let manager = find("manager").ok_or_else(|| err("manager", "missing staff"))?;
    let verifier = find("supervisor")
        .or_else(|| demo.clerks.first().map(|c| c.id))
        .unwrap_or(manager);
    settle(store, demo.hall.id, manager, verifier, now).await
}
