//! A hall as one file, imported in one transaction (`servicehall hall import`).

use crate::Result;
use async_trait::async_trait;

use crate::StoreError;
use crate::sql::SqlStore;
use servicehall_domain::halls::file::{self, HallFile};
use std::collections::HashMap;

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallImport {
    pub hall_id: i64,
    pub created_hall: bool,
    /// Usernames of the staff the import created (they need their one-time passwords).
    pub new_staff: Vec<String>,
    pub business_types: usize,
    pub counters: usize,
    pub staff: usize,
}

#[async_trait]
pub trait HallFileStore: Send + Sync + 'static {
    /// Creates the hall of `file` or updates it by its code: business types by code,
    /// counters by number (their 主办/兼办 replaced by the file's), staff by username.
    /// Nothing is deleted. `new_hashes` holds a password hash for every username that may
    /// be new. All or nothing: one transaction; a username of another hall refuses it all.
    async fn import_hall(
        &self,
        file: &HallFile,
        new_hashes: &HashMap<String, String>,
    ) -> Result<HallImport>;
}

#[async_trait]
impl HallFileStore for SqlStore {
    async fn import_hall(
        &self,
        f: &HallFile,
        new_hashes: &HashMap<String, String>,
    ) -> Result<HallImport> {
        if let Some(e) = file::check(f, "").into_iter().next() {
            return Err(StoreError::Invalid(e.to_string()));
        }
        let mut w = self.begin().await?;
        let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM halls WHERE code = $1")
            .bind(&f.code)
            .fetch_optional(&mut *w.tx)
            .await?;
        let hall_id = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE halls SET name = $1, name_en = $2, address = $3, phone = $4,
                     timezone = $5, opens = $6, closes = $7 WHERE id = $8",
                )
                .bind(&f.name)
                .bind(&f.name_en)
                .bind(&f.address)
                .bind(&f.phone)
                .bind(&f.timezone)
                .bind(&f.hours.opens)
                .bind(&f.hours.closes)
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
                id
            }
            None => sqlx::query_scalar(
                "INSERT INTO halls (code, name, name_en, address, phone, timezone, opens, closes)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(&f.code)
            .bind(&f.name)
            .bind(&f.name_en)
            .bind(&f.address)
            .bind(&f.phone)
            .bind(&f.timezone)
            .bind(&f.hours.opens)
            .bind(&f.hours.closes)
            .fetch_one(&mut *w.tx)
            .await?,
        };
        let mut type_ids = HashMap::new();
        for (order, b) in f.business_types.iter().enumerate() {
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM business_types WHERE hall_id = $1 AND code = $2",
            )
            .bind(hall_id)
            .bind(&b.code)
            .fetch_optional(&mut *w.tx)
            .await?;
            let values = (
                &b.name_zh,
                &b.name_en,
                &b.prefix,
                b.target_wait_s,
                b.target_handling_s,
                b.is_payment as i64,
                order as i64,
                b.active as i64,
            );
            let id = match id {
                Some(id) => {
                    sqlx::query(
                        "UPDATE business_types SET name_zh = $1, name_en = $2, prefix = $3,
                         target_wait_s = $4, target_handling_s = $5, is_payment = $6,
                         sort_order = $7, active = $8 WHERE id = $9",
                    )
                    .bind(values.0)
                    .bind(values.1)
                    .bind(values.2)
                    .bind(values.3)
                    .bind(values.4)
                    .bind(values.5)
                    .bind(values.6)
                    .bind(values.7)
                    .bind(id)
                    .execute(&mut *w.tx)
                    .await?;
                    id
                }
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO business_types (hall_id, code, name_zh, name_en, prefix,
                         target_wait_s, target_handling_s, is_payment, sort_order, active)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    )
                    .bind(hall_id)
                    .bind(&b.code)
                    .bind(values.0)
                    .bind(values.1)
                    .bind(values.2)
                    .bind(values.3)
                    .bind(values.4)
                    .bind(values.5)
                    .bind(values.6)
                    .bind(values.7)
                    .fetch_one(&mut *w.tx)
                    .await?
                }
            };
            type_ids.insert(b.code.as_str(), id);
        }
        for c in &f.counters {
            let id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM counters WHERE hall_id = $1 AND number = $2")
                    .bind(hall_id)
                    .bind(c.number)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            let id = match id {
                Some(id) => id,
                None => {
                    sqlx::query_scalar(
                        "INSERT INTO counters (hall_id, number) VALUES ($1, $2) RETURNING id",
                    )
                    .bind(hall_id)
                    .bind(c.number)
                    .fetch_one(&mut *w.tx)
                    .await?
                }
            };
            sqlx::query("DELETE FROM counter_business_types WHERE counter_id = $1")
                .bind(id)
                .execute(&mut *w.tx)
                .await?;
            let links = c.primary.iter().map(|p| (p, 1i64));
            for (code, primary) in links.chain(c.secondary.iter().map(|s| (s, 0i64))) {
                sqlx::query(
                    "INSERT INTO counter_business_types (counter_id, business_type_id, is_primary)
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(type_ids[code.as_str()])
                .bind(primary)
                .execute(&mut *w.tx)
                .await?;
            }
        }
        let mut new_staff = Vec::new();
        for s in &f.staff {
            let role = s
                .role
                .parse::<servicehall_domain::Role>()
                .map_err(StoreError::Invalid)?
                .as_str();
            let found: Option<(i64, Option<i64>)> =
                sqlx::query_as("SELECT id, hall_id FROM staff WHERE username = $1")
                    .bind(&s.username)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            let taken = || {
                StoreError::Conflict(format!(
                    "用户名 {} 已属于其他营业厅或上级，或工号 {} 已在本厅使用；未导入任何内容 · username {} belongs to another hall or above halls, or badge {} is used in this hall; nothing was imported",
                    s.username, s.badge_no, s.username, s.badge_no
                ))
            };
            match found {
                Some((id, Some(h))) if h == hall_id => {
                    sqlx::query(
                        "UPDATE staff SET name = $1, badge_no = $2, role = $3, active = $4 WHERE id = $5",
                    )
                    .bind(&s.name).bind(&s.badge_no).bind(role).bind(s.active as i64).bind(id)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(|e| StoreError::unique_as(e, taken().to_string()))?;
                }
                Some(_) => return Err(taken()),
                None => {
                    let hash = new_hashes.get(&s.username).ok_or_else(|| {
                        StoreError::Invalid(format!(
                            "新员工缺少密码 · no password for new staff {}",
                            s.username
                        ))
                    })?;
                    sqlx::query(
                        "INSERT INTO staff (hall_id, username, name, badge_no, role, password_hash, photo, active)
                         VALUES ($1, $2, $3, $4, $5, $6, '', $7)",
                    )
                    .bind(hall_id).bind(&s.username).bind(&s.name).bind(&s.badge_no)
                    .bind(role).bind(hash).bind(s.active as i64)
                    .execute(&mut *w.tx)
                    .await
                    .map_err(|e| StoreError::unique_as(e, taken().to_string()))?;
                    new_staff.push(s.username.clone());
                }
            }
        }
        self.commit(w).await?;
        self.config.clear();
        Ok(HallImport {
            hall_id,
            created_hall: existing.is_none(),
            new_staff,
            business_types: f.business_types.len(),
            counters: f.counters.len(),
            staff: f.staff.len(),
        })
    }
}
