//! Photo evidence of inspections (现场照片): taken on a failed item while the inspection is
//! open (`finding`), or as the evidence of its rectification (`fix`). Kept with the hall,
//! the time and the uploader, as BLOB/BYTEA so both backends and their backups carry them.
//! The web re-encodes what was uploaded (no EXIF, no location) before it gets here. A photo
//! is never deleted: a replacement marks the one before as superseded by it.

use super::sql::lock_open;
use crate::sql::{SqlStore, WriteTx};
use crate::{Result, StoreError};
use async_trait::async_trait;
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

    fn parse(s: &str) -> Self {
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

#[async_trait]
pub trait InspectionPhotoStore: Send + Sync + 'static {
    /// Keeps a `finding` photo of an item of an inspection that is still open.
    async fn add_inspection_photo(
        &self,
        inspection_id: i64,
        item: &str,
        photo: &PhotoUpload,
        now: i64,
    ) -> Result<InspectionPhoto>;
    /// Every photo of an inspection (both stages, superseded ones too), oldest first.
    async fn inspection_photos(&self, inspection_id: i64) -> Result<Vec<InspectionPhoto>>;
    /// A photo (`thumb = false`) or its thumbnail.
    async fn inspection_photo_file(&self, id: i64, thumb: bool) -> Result<PhotoFile>;
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

async fn load_photo(conn: &mut sqlx::AnyConnection, id: i64) -> Result<InspectionPhoto> {
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

#[async_trait]
impl InspectionPhotoStore for SqlStore {
    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.add_inspection_photo"
    )]
    async fn add_inspection_photo(
        &self,
        inspection_id: i64,
        item: &str,
        photo: &PhotoUpload,
        now: i64,
    ) -> Result<InspectionPhoto> {
        let mut w = self.begin().await?;
        let (hall_id, t) = lock_open(&mut w.tx, inspection_id).await?;
        if t.template.item(item).is_none() {
            return Err(StoreError::NotFound(format!(
                "“{}”没有这个检查项 · {} has no item {item:?}",
                t.template.name_zh, t.template.name_en
            )));
        }
        let place = PhotoPlace {
            hall_id,
            inspection_id,
            item_key: item,
            case_id: None,
            stage: PhotoStage::Finding,
        };
        let p = insert_photo(&mut w, &place, photo, now).await?;
        self.commit(w).await?;
        Ok(p)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.inspection_photos"
    )]
    async fn inspection_photos(&self, inspection_id: i64) -> Result<Vec<InspectionPhoto>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PHOTO_COLS} FROM inspection_photos p JOIN staff u ON u.id = p.uploaded_by \
             WHERE p.inspection_id = $1 ORDER BY p.id"
        )))
        .bind(inspection_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(photo_row).collect()
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.inspections.inspection_photo_file"
    )]
    async fn inspection_photo_file(&self, id: i64, thumb: bool) -> Result<PhotoFile> {
        let mut conn = self.pool.acquire().await?;
        let photo = load_photo(&mut conn, id).await?;
        let col = if thumb { "thumb" } else { "image" };
        let bytes: Vec<u8> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT {col} FROM inspection_photos WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
        Ok(PhotoFile { photo, bytes })
    }
}
