//! The layout map on SQL. A layout version is stored whole as JSON (`body`), like a
//! checklist version: read as one piece, never updated, checked in the domain. A walk reuses
//! the inspections' SQL so the score and the submission are the inspections' own.

use crate::inspections::rows::{load_inspection, lock_open, template_row};
use crate::inspections::sql::insert_template;
use crate::layout_map::{FindingInput, LayoutMap, LayoutPhoto, LayoutWalk};
use crate::sql::SqlStore;
use crate::{LayoutMapStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::layout_map::Layout;
use servicehall_domain::layout_map::walk::{
    Finding, FindingRecord, WALK_CODE, check_finding, walk_template,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

const MAP_COLS: &str = "id, hall_id, version, body, created_at";

fn map_row(r: &AnyRow) -> Result<LayoutMap> {
    let body: String = r.try_get("body")?;
    let layout: Layout = serde_json::from_str(&body).map_err(|e| {
        StoreError::Invalid(format!(
            "已存定置图无法读取 · stored layout does not read: {e}"
        ))
    })?;
    Ok(LayoutMap {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        version: r.try_get("version")?,
        layout,
        created_at: r.try_get("created_at")?,
        photos: Vec::new(),
    })
}

async fn with_photos(conn: &mut AnyConnection, mut m: LayoutMap) -> Result<LayoutMap> {
    let rows = sqlx::query(
        "SELECT item_code, updated_at FROM layout_photos WHERE hall_id = $1 ORDER BY item_code",
    )
    .bind(m.hall_id)
    .fetch_all(conn)
    .await?;
    m.photos = rows
        .iter()
        .map(|r| Ok((r.try_get("item_code")?, r.try_get("updated_at")?)))
        .collect::<Result<_>>()?;
    Ok(m)
}

async fn load_map(conn: &mut AnyConnection, id: i64) -> Result<LayoutMap> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MAP_COLS} FROM layout_maps WHERE id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| StoreError::not_found("layout map", id))?;
    let m = map_row(&row)?;
    with_photos(conn, m).await
}

async fn latest_map(conn: &mut AnyConnection, hall_id: i64) -> Result<Option<LayoutMap>> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {MAP_COLS} FROM layout_maps WHERE hall_id = $1 ORDER BY version DESC LIMIT 1"
    )))
    .bind(hall_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(r) => Ok(Some(with_photos(conn, map_row(&r)?).await?)),
        None => Ok(None),
    }
}

async fn load_walk(conn: &mut AnyConnection, inspection_id: i64) -> Result<LayoutWalk> {
    let layout_id: i64 =
        sqlx::query_scalar("SELECT layout_id FROM layout_walks WHERE inspection_id = $1")
            .bind(inspection_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| StoreError::not_found("layout walk", inspection_id))?;
    let inspection = load_inspection(conn, inspection_id).await?;
    let layout = load_map(conn, layout_id).await?;
    let rows = sqlx::query(
        "SELECT item_code, finding, counted, note FROM layout_findings WHERE inspection_id = $1",
    )
    .bind(inspection_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut findings = rows
        .iter()
        .map(|r| {
            let f: String = r.try_get("finding")?;
            Ok(FindingRecord {
                item: r.try_get("item_code")?,
                finding: Finding::parse(&f).unwrap_or(Finding::Damaged),
                counted: r.try_get("counted")?,
                note: r.try_get("note")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let order = &layout.layout.items;
    findings.sort_by_key(|f| order.iter().position(|i| i.code == f.item));
    Ok(LayoutWalk {
        inspection,
        layout,
        findings,
    })
}

/// The hall's checklist for walking `layout`: its latest `layout_map` version when that one
/// already matches the plan, else a new version.
async fn walk_template_id(
    conn: &mut AnyConnection,
    hall_id: i64,
    layout: &Layout,
    now: i64,
) -> Result<i64> {
    let wanted = walk_template(layout);
    let row = sqlx::query(
        "SELECT id, hall_id, version, body, created_at FROM inspection_templates \
         WHERE code = $1 AND hall_id = $2 ORDER BY version DESC LIMIT 1",
    )
    .bind(WALK_CODE)
    .bind(hall_id)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(r) = row {
        let t = template_row(&r)?;
        if t.template == wanted {
            return Ok(t.id);
        }
    }
    wanted
        .validate()
        .map_err(|e| StoreError::Invalid(e.to_string()))?;
    insert_template(conn, Some(hall_id), &wanted, None, now).await
}

#[async_trait]
impl LayoutMapStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.save_layout_map")]
    async fn save_layout_map(
        &self,
        hall_id: i64,
        layout: &Layout,
        by: Option<i64>,
        now: i64,
    ) -> Result<LayoutMap> {
        layout
            .validate()
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let body = serde_json::to_string(layout).map_err(|e| {
            StoreError::Invalid(format!("定置图无法保存 · layout does not serialize: {e}"))
        })?;
        let mut w = self.begin().await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM halls WHERE id = $1")
            .bind(hall_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::not_found("hall", hall_id));
        }
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM layout_maps WHERE hall_id = $1")
                .bind(hall_id)
                .fetch_one(&mut *w.tx)
                .await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO layout_maps (hall_id, version, body, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(hall_id)
        .bind(version.unwrap_or(0) + 1)
        .bind(body)
        .bind(now)
        .bind(by)
        .fetch_one(&mut *w.tx)
        .await
        .map_err(|e| {
            StoreError::unique_as(
                e,
                "定置图刚被他人修改，请刷新后重试 · the layout was just changed; reload and try again",
            )
        })?;
        let m = load_map(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(m)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.layout_map")]
    async fn layout_map(&self, hall_id: i64) -> Result<Option<LayoutMap>> {
        let mut conn = self.pool.acquire().await?;
        latest_map(&mut conn, hall_id).await
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.layout_map.layout_map_version"
    )]
    async fn layout_map_version(&self, id: i64) -> Result<LayoutMap> {
        let mut conn = self.pool.acquire().await?;
        load_map(&mut conn, id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.start_layout_walk")]
    async fn start_layout_walk(
        &self,
        hall_id: i64,
        inspector_id: i64,
        now: i64,
    ) -> Result<LayoutWalk> {
        let mut w = self.begin().await?;
        let Some(map) = latest_map(&mut w.tx, hall_id).await? else {
            return Err(StoreError::Invalid(
                "本厅尚未绘制定置图，请先在定置图编辑中绘制 · the hall has no layout map yet: draw one first"
                    .into(),
            ));
        };
        if map.layout.items.is_empty() {
            return Err(StoreError::Invalid(
                "定置图中还没有物品，无法巡检 · the layout has no items to check yet".into(),
            ));
        }
        let template_id = walk_template_id(&mut w.tx, hall_id, &map.layout, now).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO inspections (hall_id, template_id, subject_staff_id, inspector_id, started_at) \
             VALUES ($1, $2, NULL, $3, $4) RETURNING id",
        )
        .bind(hall_id)
        .bind(template_id)
        .bind(inspector_id)
        .bind(now)
        .fetch_one(&mut *w.tx)
        .await?;
        sqlx::query("INSERT INTO layout_walks (inspection_id, layout_id) VALUES ($1, $2)")
            .bind(id)
            .bind(map.id)
            .execute(&mut *w.tx)
            .await?;
        let walk = load_walk(&mut w.tx, id).await?;
        self.commit(w).await?;
        Ok(walk)
    }

    #[tracing::instrument(
        level = "debug",
        skip_all,
        name = "store.layout_map.record_layout_finding"
    )]
    async fn record_layout_finding(
        &self,
        inspection_id: i64,
        f: &FindingInput,
        now: i64,
    ) -> Result<LayoutWalk> {
        let mut w = self.begin().await?;
        let walk = load_walk(&mut w.tx, inspection_id).await?;
        lock_open(&mut w.tx, inspection_id).await?;
        check_finding(&walk.layout.layout, &f.item, f.finding, f.counted)
            .map_err(|e| StoreError::Invalid(e.to_string()))?;
        let note = f.note.trim();
        sqlx::query(
            "INSERT INTO inspection_results (inspection_id, item_key, outcome, note, recorded_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (inspection_id, item_key) \
             DO UPDATE SET outcome = excluded.outcome, note = excluded.note, recorded_at = excluded.recorded_at",
        )
        .bind(inspection_id)
        .bind(&f.item)
        .bind(f.finding.outcome().as_str())
        .bind(note)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        sqlx::query(
            "INSERT INTO layout_findings (inspection_id, item_code, finding, counted, note, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (inspection_id, item_code) \
             DO UPDATE SET finding = excluded.finding, counted = excluded.counted, \
             note = excluded.note, recorded_at = excluded.recorded_at",
        )
        .bind(inspection_id)
        .bind(&f.item)
        .bind(f.finding.as_str())
        .bind(f.counted)
        .bind(note)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        let walk = load_walk(&mut w.tx, inspection_id).await?;
        self.commit(w).await?;
        Ok(walk)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.layout_walk")]
    async fn layout_walk(&self, inspection_id: i64) -> Result<LayoutWalk> {
        let mut conn = self.pool.acquire().await?;
        load_walk(&mut conn, inspection_id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.layout_walks")]
    async fn layout_walks(&self, hall_id: i64, since: i64, limit: i64) -> Result<Vec<LayoutWalk>> {
        let mut conn = self.pool.acquire().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT i.id FROM inspections i JOIN layout_walks w ON w.inspection_id = i.id \
             WHERE i.hall_id = $1 AND i.started_at >= $2 \
             ORDER BY i.started_at DESC, i.id DESC LIMIT $3",
        )
        .bind(hall_id)
        .bind(since)
        .bind(limit)
        .fetch_all(&mut *conn)
        .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(load_walk(&mut conn, id).await?);
        }
        Ok(out)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.set_layout_photo")]
    async fn set_layout_photo(
        &self,
        hall_id: i64,
        item_code: &str,
        mime: &str,
        image: &[u8],
        now: i64,
    ) -> Result<i64> {
        let mut w = self.begin().await?;
        let known = latest_map(&mut w.tx, hall_id)
            .await?
            .is_some_and(|m| m.layout.item(item_code).is_some());
        if !known {
            return Err(StoreError::not_found("layout item", item_code));
        }
        sqlx::query("DELETE FROM layout_photos WHERE hall_id = $1 AND item_code = $2")
            .bind(hall_id)
            .bind(item_code)
            .execute(&mut *w.tx)
            .await?;
        sqlx::query(
            "INSERT INTO layout_photos (hall_id, item_code, mime, image, updated_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hall_id)
        .bind(item_code)
        .bind(mime)
        .bind(image)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        self.commit(w).await?;
        Ok(now)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.layout_map.layout_photo")]
    async fn layout_photo(&self, hall_id: i64, item_code: &str) -> Result<Option<LayoutPhoto>> {
        let Some(r) = sqlx::query(
            "SELECT mime, image, updated_at FROM layout_photos WHERE hall_id = $1 AND item_code = $2",
        )
        .bind(hall_id)
        .bind(item_code)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(LayoutPhoto {
            mime: r.try_get("mime")?,
            bytes: r.try_get("image")?,
            updated_at: r.try_get("updated_at")?,
        }))
    }
}
