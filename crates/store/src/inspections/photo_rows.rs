//! The photo evidence's rows (现场照片) and its writer: the photo types, the columns and
//! reader, and `insert_photo`, which both an inspection's finding (photos.rs) and a
//! rectification's fix (rectification/sql.rs) use inside their own transactions.

use crate::sql::WriteTx;
use crate::{Result, StoreError};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;

/// Why a photo was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoStage {
    /// By the inspector, showing what failed (整改前).
    Finding,
    /// As the evidence of the fix (整改后).
    Fix,
}

impl PhotoStage {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Finding => "finding",
            Self::Fix => "fix",
        }
    }

    pub(crate) fn parse(s: &str) -> Self {
        if s == "fix" { Self::Fix } else { Self::Finding }
    }
}

/// A kept photo, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionPhoto {
    pub id: i64,
    pub hall_id: i64,
    pub inspection_id: i64,
    pub item_key: String,
    /// The rectification case a `fix` photo is evidence for.
    pub case_id: Option<i64>,
    pub stage: PhotoStage,
    pub mime: String,
    pub uploaded_by: i64,
    pub uploader_name: String,
    pub uploaded_at: i64,
    /// The photo that replaced this one; a superseded photo is kept and still served.
    pub superseded_by: Option<i64>,
    pub superseded_at: Option<i64>,
}

/// A photo ready to keep: the re-encoded image and its thumbnail, both of type `mime`.
#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub mime: String,
    pub image: Vec<u8>,
    pub thumb: Vec<u8>,
    pub uploaded_by: i64,
    /// The photo of the same item (and stage) this one replaces.
    pub supersedes: Option<i64>,
}

/// The bytes of a kept photo or thumbnail, with the photo they belong to.
#[derive(Debug, Clone)]
pub struct PhotoFile {
    pub photo: InspectionPhoto,
    pub bytes: Vec<u8>,
}

pub(crate) const PHOTO_COLS: &str = "p.id, p.hall_id, p.inspection_id, p.item_key, p.case_id, p.stage, p.mime, \
     p.uploaded_by, u.name AS uploader_name, p.uploaded_at, p.superseded_by, p.superseded_at";

pub(crate) fn photo_row(r: &AnyRow) -> Result<InspectionPhoto> {
    Ok(InspectionPhoto {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        inspection_id: r.try_get("inspection_id")?,
        item_key: r.try_get("item_key")?,
        case_id: r.try_get("case_id")?,
        stage: PhotoStage::parse(&r.try_get::<String, _>("stage")?),
        mime: r.try_get("mime")?,
        uploaded_by: r.try_get("uploaded_by")?,
        uploader_name: r.try_get("uploader_name")?,
        uploaded_at: r.try_get("uploaded_at")?,
        superseded_by: r.try_get("superseded_by")?,
        superseded_at: r.try_get("superseded_at")?,
    })
}

pub(crate) async fn load_photo(conn: &mut sqlx::AnyConnection, id: i64) -> Result<InspectionPhoto> {
    let r = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PHOTO_COLS} FROM inspection_photos p JOIN staff u ON u.id = p.uploaded_by WHERE p.id = $1"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?
    .ok_or_else(|| StoreError::not_found("photo", id))?;
    photo_row(&r)
}

/// Where a new photo goes.
pub(crate) struct PhotoPlace<'a> {
    pub hall_id: i64,
    pub inspection_id: i64,
    pub item_key: &'a str,
    pub case_id: Option<i64>,
    pub stage: PhotoStage,
}

/// Inserts a photo in `w`, marking the one it replaces as superseded (same item and stage,
/// not superseded yet). Returns the new photo.
pub(crate) async fn insert_photo(
    w: &mut WriteTx,
    at: &PhotoPlace<'_>,
    p: &PhotoUpload,
    now: i64,
) -> Result<InspectionPhoto> {
    if let Some(old) = p.supersedes {
        let prev = load_photo(&mut w.tx, old).await?;
        if prev.inspection_id != at.inspection_id
            || prev.item_key != at.item_key
            || prev.stage != at.stage
            || prev.case_id != at.case_id
        {
            return Err(StoreError::Invalid(format!(
                "只能替换同一检查项的照片 · photo {old} belongs to another item; only a photo of the same item can be replaced"
            )));
        }
        if prev.superseded_by.is_some() {
            return Err(StoreError::Conflict(
                "这张照片已被替换，请刷新后重试 · this photo was already replaced; reload and try again".into(),
            ));
        }
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO inspection_photos (hall_id, inspection_id, item_key, case_id, stage, mime, image, thumb, uploaded_by, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(at.hall_id)
    .bind(at.inspection_id)
    .bind(at.item_key)
    .bind(at.case_id)
    .bind(at.stage.as_str())
    .bind(&p.mime)
    .bind(p.image.as_slice())
    .bind(p.thumb.as_slice())
    .bind(p.uploaded_by)
    .bind(now)
    .fetch_one(&mut *w.tx)
    .await?;
    if let Some(old) = p.supersedes {
        sqlx::query(
            "UPDATE inspection_photos SET superseded_by = $1, superseded_at = $2 WHERE id = $3",
        )
        .bind(id)
        .bind(now)
        .bind(old)
        .execute(&mut *w.tx)
        .await?;
    }
    w.push_event(
        at.hall_id,
        "inspection_photo_added",
        json!({"photo_id": id, "inspection_id": at.inspection_id, "item": at.item_key, "stage": at.stage.as_str(), "case_id": at.case_id}),
        now,
    )
    .await?;
    load_photo(&mut w.tx, id).await
}
