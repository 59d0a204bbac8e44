//! The region tree on SQL. The tree is small (a province has tens of regions), so it is read
//! whole and checked in the domain; writes re-check it inside their transaction.

use crate::regions::RegionInput;
use crate::sql::SqlStore;
use crate::sql::rows::{self, HALL_COLS, STAFF_COLS};
use crate::{Hall, Staff};
use crate::{RegionStore, Result, StoreError};
use async_trait::async_trait;
use servicehall_domain::Role;
use servicehall_domain::regions::{Region, RegionError, RegionTree, validate_region};
use sqlx::{AnyConnection, AssertSqlSafe, Row};

fn region_err(e: RegionError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

/// The tree as stored, read through `conn` (a transaction's or the pool's).
pub(crate) async fn load_tree(conn: &mut AnyConnection) -> Result<RegionTree> {
    let rows = sqlx::query("SELECT id, code, name_zh, name_en, parent_id FROM regions")
        .fetch_all(conn)
        .await?;
    let regions = rows
        .iter()
        .map(|r| {
            Ok(Region {
                id: r.try_get("id")?,
                code: r.try_get("code")?,
                name_zh: r.try_get("name_zh")?,
                name_en: r.try_get("name_en")?,
                parent_id: r.try_get("parent_id")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    RegionTree::new(regions).map_err(region_err)
}

/// Refuses a region id that is not in the tree (`None` is always fine).
async fn require_region(conn: &mut AnyConnection, region: Option<i64>) -> Result<()> {
    if let Some(r) = region
        && load_tree(conn).await?.get(r).is_none()
    {
        return Err(StoreError::Invalid(format!(
            "没有这个区域，请从区域列表中选择 · no region {r}; pick one from the region list"
        )));
    }
    Ok(())
}

/// `(hall id, region id)` of every hall.
async fn hall_regions(conn: &mut AnyConnection) -> Result<Vec<(i64, Option<i64>)>> {
    let rows = sqlx::query("SELECT id, region_id FROM halls ORDER BY id")
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("region_id")?)))
        .collect()
}

/// The halls of `region`'s subtree.
pub(crate) async fn halls_of(conn: &mut AnyConnection, region: i64) -> Result<Vec<i64>> {
    let tree = load_tree(conn).await?;
    if tree.get(region).is_none() {
        return Err(StoreError::not_found("region", region));
    }
    let halls = hall_regions(conn).await?;
    Ok(tree.halls_in(region, &halls))
}

/// True when staff limited to `staff_region` (None: everywhere) may act in `hall_id`.
pub(crate) async fn covers(
    conn: &mut AnyConnection,
    staff_region: Option<i64>,
    hall_id: i64,
) -> Result<bool> {
    let Some(region) = staff_region else {
        return Ok(true);
    };
    let hall_region: Option<i64> = sqlx::query_scalar("SELECT region_id FROM halls WHERE id = $1")
        .bind(hall_id)
        .fetch_optional(&mut *conn)
        .await?
        .flatten();
    let Some(hr) = hall_region else {
        return Ok(false);
    };
    Ok(load_tree(conn).await?.contains(region, hr))
}

#[async_trait]
impl RegionStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.regions.region_tree")]
    async fn region_tree(&self) -> Result<RegionTree> {
        let mut conn = self.pool.acquire().await?;
        load_tree(&mut conn).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.regions.save_region")]
    async fn save_region(&self, id: Option<i64>, input: &RegionInput) -> Result<Region> {
        let code = input.code.trim();
        validate_region(code, &input.name_zh).map_err(region_err)?;
        let mut w = self.begin().await?;
        let tree = load_tree(&mut w.tx).await?;
        if let Some(id) = id
            && tree.get(id).is_none()
        {
            return Err(StoreError::not_found("region", id));
        }
        tree.check_parent(id, input.parent_id).map_err(region_err)?;
        let clash: Option<i64> = sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
            .bind(code)
            .fetch_optional(&mut *w.tx)
            .await?;
        if clash.is_some_and(|c| Some(c) != id) {
            return Err(StoreError::Conflict(format!(
                "区域编号已被占用，请换一个 · region code {code} is taken; pick another"
            )));
        }
        let (name_zh, name_en) = (input.name_zh.trim(), input.name_en.trim());
        let id = match id {
            Some(id) => {
                sqlx::query(
                    "UPDATE regions SET code = $1, name_zh = $2, name_en = $3, parent_id = $4 WHERE id = $5",
                )
                .bind(code)
                .bind(name_zh)
                .bind(name_en)
                .bind(input.parent_id)
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO regions (code, name_zh, name_en, parent_id) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(code)
                .bind(name_zh)
                .bind(name_en)
                .bind(input.parent_id)
                .fetch_one(&mut *w.tx)
                .await?
            }
        };
        self.commit(w).await?;
        Ok(Region {
            id,
            code: code.to_string(),
            name_zh: name_zh.to_string(),
            name_en: name_en.to_string(),
            parent_id: input.parent_id,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.regions.remove_region")]
    async fn remove_region(&self, id: i64) -> Result<()> {
        let mut w = self.begin().await?;
        let code: String = sqlx::query_scalar("SELECT code FROM regions WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *w.tx)
            .await?
            .ok_or_else(|| StoreError::not_found("region", id))?;
        for (table, what) in [
            ("regions WHERE parent_id", "sub-regions"),
            ("halls WHERE region_id", "halls"),
            ("staff WHERE region_id", "staff"),
        ] {
            let n: i64 =
                sqlx::query_scalar(AssertSqlSafe(format!("SELECT COUNT(*) FROM {table} = $1")))
                    .bind(id)
                    .fetch_one(&mut *w.tx)
                    .await?;
            if n > 0 {
                return Err(StoreError::Conflict(format!(
                    "该区域下仍有下属，请先移到其他区域 · region {code} still has {n} {what}; move them to another region first"
                )));
            }
        }
        sqlx::query("DELETE FROM regions WHERE id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.regions.set_hall_region", fields(hall = hall_id))]
    async fn set_hall_region(&self, hall_id: i64, region_id: Option<i64>) -> Result<Hall> {
        let mut w = self.begin().await?;
        require_region(&mut w.tx, region_id).await?;
        let n = sqlx::query("UPDATE halls SET region_id = $1 WHERE id = $2")
            .bind(region_id)
            .bind(hall_id)
            .execute(&mut *w.tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found("hall", hall_id));
        }
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {HALL_COLS} FROM halls WHERE id = $1"
        )))
        .bind(hall_id)
        .fetch_one(&mut *w.tx)
        .await?;
        let hall = rows::hall(&row)?;
        self.commit(w).await?;
        // Halls are cached by id and code; the next read must see the new region.
        self.config.clear();
        Ok(hall)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.regions.set_staff_region")]
    async fn set_staff_region(&self, staff_id: i64, region_id: Option<i64>) -> Result<Staff> {
        let mut w = self.begin().await?;
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {STAFF_COLS} FROM staff WHERE id = $1"
        )))
        .bind(staff_id)
        .fetch_optional(&mut *w.tx)
        .await?
        .ok_or_else(|| StoreError::not_found("staff member", staff_id))?;
        let mut staff = rows::staff(&row)?;
        if region_id.is_some()
            && (staff.hall_id.is_some() || !matches!(staff.role, Role::Admin | Role::Supervisor))
        {
            return Err(StoreError::Invalid(format!(
                "此人属于营业厅，只有厅以上的管理员和督查可限定区域 · {} works in a hall; only administrators and supervisors above halls are limited to a region",
                staff.name
            )));
        }
        require_region(&mut w.tx, region_id).await?;
        sqlx::query("UPDATE staff SET region_id = $1 WHERE id = $2")
            .bind(region_id)
            .bind(staff_id)
            .execute(&mut *w.tx)
            .await?;
        self.commit(w).await?;
        staff.region_id = region_id;
        Ok(staff)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.regions.region_halls")]
    async fn region_halls(&self, region_id: i64) -> Result<Vec<i64>> {
        let mut conn = self.pool.acquire().await?;
        halls_of(&mut conn, region_id).await
    }
}
