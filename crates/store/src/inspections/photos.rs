//! Photo evidence of inspections (现场照片): taken on a failed item while the inspection is
//! open (`finding`), or as the evidence of its rectification (`fix`). Kept with the hall,
//! the time and the uploader, as BLOB/BYTEA so both backends and their backups carry them.
//! The web re-encodes what was uploaded (no EXIF, no location) before it gets here. A photo
//! is never deleted: a replacement marks the one before as superseded by it.

use super::photo_rows::{
    InspectionPhoto, PHOTO_COLS, PhotoFile, PhotoPlace, PhotoStage, PhotoUpload, insert_photo,
    load_photo, photo_row,
};
use super::rows::lock_open;
use crate::sql::SqlStore;
use crate::{Result, StoreError};
use async_trait::async_trait;

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
