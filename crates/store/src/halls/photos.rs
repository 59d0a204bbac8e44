//! Staff photos (挂牌服务): the image a hall administrator set for a staff member and its
//! thumbnail, kept in `staff_photos` (BLOB/BYTEA) so both backends and their backups carry
//! them. The web re-encodes what was uploaded before it gets here; `staff.photo` is set to
//! the URL the screens load the photo from, in the same transaction, so every view that
//! already shows `photo` (counter, console, evaluator, staff list) picks it up.

use crate::sql::SqlStore;
use crate::{Result, StoreError};
use async_trait::async_trait;
use sqlx::Row;

/// One stored photo or thumbnail: its type (as the content proved) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffPhotoFile {
    pub mime: String,
    pub bytes: Vec<u8>,
    pub updated_at: i64,
}

/// A photo ready to keep: the re-encoded image and its thumbnail, both of type `mime`.
#[derive(Debug, Clone)]
pub struct StaffPhotoInput {
    pub mime: String,
    pub image: Vec<u8>,
    pub thumb: Vec<u8>,
}

/// The URL a staff member's photo is served from; `v` changes with every new photo so a
/// screen never shows the one before from its cache.
pub fn staff_photo_url(staff_id: i64, updated_at: i64) -> String {
    format!("/api/v1/staff/{staff_id}/photo?v={updated_at}")
}

#[async_trait]
pub trait StaffPhotoStore: Send + Sync + 'static {
    /// Keeps the photo (replacing the one before) and points `staff.photo` at it. Returns
    /// the URL now in `staff.photo`.
    async fn set_staff_photo(
        &self,
        staff_id: i64,
        photo: &StaffPhotoInput,
        now: i64,
    ) -> Result<String>;
    /// The photo (`thumb = false`) or its thumbnail; `None` when none was set.
    async fn staff_photo(&self, staff_id: i64, thumb: bool) -> Result<Option<StaffPhotoFile>>;
}

#[async_trait]
impl StaffPhotoStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.set_staff_photo", fields(staff = staff_id))]
    async fn set_staff_photo(
        &self,
        staff_id: i64,
        photo: &StaffPhotoInput,
        now: i64,
    ) -> Result<String> {
        let url = staff_photo_url(staff_id, now);
        let mut w = self.begin().await?;
        let n = sqlx::query("UPDATE staff SET photo = $1 WHERE id = $2")
            .bind(&url)
            .bind(staff_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("staff member", staff_id));
        }
        sqlx::query("DELETE FROM staff_photos WHERE staff_id = $1")
            .bind(staff_id)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO staff_photos (staff_id, mime, image, thumb, updated_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(staff_id)
        .bind(&photo.mime)
        .bind(photo.image.as_slice())
        .bind(photo.thumb.as_slice())
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await?;
        Ok(url)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.halls.staff_photo", fields(staff = staff_id))]
    async fn staff_photo(&self, staff_id: i64, thumb: bool) -> Result<Option<StaffPhotoFile>> {
        let column = if thumb { "thumb" } else { "image" };
        let sql = format!(
            "SELECT mime, {column} AS bytes, updated_at FROM staff_photos WHERE staff_id = $1"
        );
        let Some(r) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(staff_id)
            .fetch_optional(&self.pool)
            .await?
        else {
            return Ok(None);
        };
        Ok(Some(StaffPhotoFile {
            mime: r.try_get("mime")?,
            bytes: r.try_get("bytes")?,
            updated_at: r.try_get("updated_at")?,
        }))
    }
}
