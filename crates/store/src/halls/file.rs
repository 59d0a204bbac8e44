//! A hall as one file, imported in one transaction (`servicehall hall import`).

use crate::Result;
use async_trait::async_trait;

use crate::HallStore;
use crate::StoreError;
use crate::catalogue::sql::import_catalogue_in;
use crate::sql::SqlStore;
use servicehall_domain::halls::file::{
    self, BusinessTypeEntry, Calling, CounterEntry, HallFile, Hours, StaffEntry,
};
use servicehall_domain::time::{parse_tz, service_day};
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
    /// Catalogue versions the referenced catalogue file changed (`None`: none was given).
    pub catalogue_versions: Option<usize>,
}

#[async_trait]
pub trait HallFileStore: Send + Sync + 'static {
    /// Creates the hall of `file` or updates it by its code: business types by code,
    /// counters by number (their 主办/兼办 replaced by the file's), staff by username.
    /// Nothing is deleted. The region (by code) and calling policy are set when the file
    /// gives them. `new_hashes` holds a password hash for every username that may be new.
    /// `catalogue` is the text of the file's catalogue reference, imported as the catalogue
    /// import does (for the hall-local day of `now`). All or nothing: one transaction; a
    /// username of another hall, an unknown region or a bad catalogue refuses it all.
    async fn import_hall(
        &self,
        file: &HallFile,
        new_hashes: &HashMap<String, String>,
        catalogue: Option<&str>,
        now: i64,
    ) -> Result<HallImport>;

    /// The hall with this code as a file: staff of the hall only (never passwords), types
    /// in display order, counters by number, its region's code, its calling policy, and
    /// [`catalogue_file_name`] when it has a service catalogue.
    async fn export_hall(&self, code: &str) -> Result<HallFile>;
}

/// The name a hall's catalogue file gets beside its hall file: `dl-xg.catalogue.yaml`.
pub fn catalogue_file_name(code: &str) -> String {
    format!("{}.catalogue.yaml", code.to_lowercase())
}

#[async_trait]
impl HallFileStore for SqlStore {
    async fn export_hall(&self, code: &str) -> Result<HallFile> {
        let hall = self.hall_by_code(code).await?;
        let mut types = self.business_types(hall.id).await?;
        types.sort_by_key(|t| (t.sort_order, t.id));
        let code_of: HashMap<i64, String> = types.iter().map(|t| (t.id, t.code.clone())).collect();
        let codes = |ids: &[i64]| ids.iter().filter_map(|i| code_of.get(i).cloned()).collect();
        let mut counters = self.counters(hall.id).await?;
        counters.sort_by_key(|c| c.number);
        let mut staff = self.staff_list(Some(hall.id)).await?;
        staff.retain(|s| s.hall_id == Some(hall.id));
        staff.sort_by(|a, b| a.username.cmp(&b.username));
        let region = match hall.region_id {
            Some(id) => {
                sqlx::query_scalar("SELECT code FROM regions WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?
            }
            None => None,
        };
        let versions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM catalogue_versions WHERE hall_id = $1")
                .bind(hall.id)
                .fetch_one(&self.pool)
                .await?;
        Ok(HallFile {
            catalogue: (versions > 0).then(|| catalogue_file_name(&hall.code)),
            calling: Some(Calling::from(&hall.policy)),
            region,
            code: hall.code,
            name: hall.name,
            name_en: hall.name_en,
            address: hall.address,
            phone: hall.phone,
            timezone: hall.timezone,
            hours: Hours {
                opens: hall.opens,
                closes: hall.closes,
            },
            business_types: types
                .iter()
                .map(|t| BusinessTypeEntry {
                    code: t.code.clone(),
                    name_zh: t.name_zh.clone(),
                    name_en: t.name_en.clone(),
                    prefix: t.prefix.clone(),
                    target_wait_s: t.target_wait_s,
                    target_handling_s: t.target_handling_s,
                    is_payment: t.is_payment,
                    active: t.active,
                })
                .collect(),
            counters: counters
                .iter()
                .map(|c| CounterEntry {
                    number: c.number,
                    primary: codes(&c.primary),
                    secondary: codes(&c.secondary),
                })
                .collect(),
            staff: staff
                .into_iter()
                .map(|s| StaffEntry {
                    username: s.username,
                    name: s.name,
                    badge_no: s.badge_no,
                    role: s.role.as_str().to_string(),
                    active: s.active,
                })
                .collect(),
        })
    }

    async fn import_hall(
        &self,
        f: &HallFile,
        new_hashes: &HashMap<String, String>,
        catalogue: Option<&str>,
        now: i64,
    ) -> Result<HallImport> {
        if let Some(e) = file::check(f, "").into_iter().next() {
            return Err(StoreError::Invalid(e.to_string()));
        }
        let tz = parse_tz(&f.timezone).map_err(StoreError::Invalid)?;
        let mut w = self.begin().await?;
        let region_id: Option<i64> = match &f.region {
            Some(code) => Some(
                sqlx::query_scalar("SELECT id FROM regions WHERE code = $1")
                    .bind(code)
                    .fetch_optional(&mut *w.tx)
                    .await?
                    .ok_or_else(|| {
                        StoreError::Invalid(format!(
                            "region: 没有区域 {code}，请先在 /admin/regions 建立；未导入任何内容 · no region {code}; create it in /admin/regions first; nothing was imported"
                        ))
                    })?,
            ),
            None => None,
        };
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
        if let Some(region_id) = region_id {
            sqlx::query("UPDATE halls SET region_id = $1 WHERE id = $2")
                .bind(region_id)
                .bind(hall_id)
                .execute(&mut *w.tx)
                .await?;
        }
        if let Some(calling) = &f.calling {
            let p = calling.policy();
            sqlx::query(
                "UPDATE halls SET green_first = $1, overdue_to_all = $2, max_recalls = $3 WHERE id = $4",
            )
            .bind(p.green_first as i64)
            .bind(p.overdue_to_all as i64)
            .bind(i64::from(p.max_recalls))
            .bind(hall_id)
            .execute(&mut *w.tx)
            .await?;
        }
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
        let catalogue_versions = match catalogue {
            Some(yaml) => {
                let codes: Vec<String> =
                    sqlx::query_scalar("SELECT code FROM business_types WHERE hall_id = $1")
                        .bind(hall_id)
                        .fetch_all(&mut *w.tx)
                        .await?;
                let known: Vec<&str> = codes.iter().map(String::as_str).collect();
                let today = service_day(now, tz);
                let n = import_catalogue_in(&mut w.tx, hall_id, &f.code, &known, today, yaml, now)
                    .await
                    .map_err(|e| match e {
                        StoreError::Invalid(m) => StoreError::Invalid(format!(
                            "catalogue ({}): {m}",
                            f.catalogue.as_deref().unwrap_or("catalogue")
                        )),
                        other => other,
                    })?;
                Some(n)
            }
            None => None,
        };
        self.commit(w).await?;
        self.config.clear();
        Ok(HallImport {
            hall_id,
            created_hall: existing.is_none(),
            new_staff,
            business_types: f.business_types.len(),
            counters: f.counters.len(),
            staff: f.staff.len(),
            catalogue_versions,
        })
    }
}
