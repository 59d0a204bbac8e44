//! A hall's case configuration as an administrator edits it: clock settings (warning shares,
//! pause cap) and the list of stored processes; plus the [`CaseExtraStore`] entry points.

use super::SqlStore;
use crate::{
    CaseDetail, CaseExtraStore, ClockWarnIndex, ConfiguredProcess, DocumentFile, DocumentUpload,
    HallStore, Result, StoreError, StoredCaseSettings,
};
use async_trait::async_trait;
use servicehall_domain::cases::{CaseKind, CaseSettings, CustomerClass, Process};
use sqlx::{AnyConnection, Row};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

fn to_u32(what: &str, v: i64) -> Result<u32> {
    u32::try_from(v).map_err(|e| corrupt(what, e))
}

/// The hall's settings as stored (the defaults when none are).
pub(super) async fn settings_on(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<StoredCaseSettings> {
    let row = sqlx::query("SELECT owner_permille, manager_permille, pause_cap_hours, updated_at, updated_by FROM case_settings WHERE hall_id = $1")
        .bind(hall_id)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(r) = row else {
        return Ok(StoredCaseSettings {
            settings: CaseSettings::default(),
            updated_at: None,
            updated_by: None,
        });
    };
    Ok(StoredCaseSettings {
        settings: CaseSettings {
            owner_permille: to_u32("case_settings.owner_permille", r.try_get("owner_permille")?)?,
            manager_permille: to_u32(
                "case_settings.manager_permille",
                r.try_get("manager_permille")?,
            )?,
            pause_cap_hours: to_u32(
                "case_settings.pause_cap_hours",
                r.try_get("pause_cap_hours")?,
            )?,
        },
        updated_at: Some(r.try_get("updated_at")?),
        updated_by: r.try_get("updated_by")?,
    })
}

#[async_trait]
impl CaseExtraStore for SqlStore {
    async fn case_settings(&self, hall_id: i64) -> Result<StoredCaseSettings> {
        self.hall(hall_id).await?;
        let mut conn = self.pool.acquire().await?;
        settings_on(&mut conn, hall_id).await
    }

    async fn set_case_settings(
        &self,
        hall_id: i64,
        settings: &CaseSettings,
        by: i64,
        now: i64,
    ) -> Result<StoredCaseSettings> {
        settings.validate().map_err(StoreError::Invalid)?;
        self.hall(hall_id).await?;
        let mut w = self.begin().await?;
        sqlx::query("INSERT INTO case_settings (hall_id, owner_permille, manager_permille, pause_cap_hours, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_id) DO UPDATE SET owner_permille = $2, manager_permille = $3, pause_cap_hours = $4, updated_at = $5, updated_by = $6")
            .bind(hall_id)
            .bind(i64::from(settings.owner_permille))
            .bind(i64::from(settings.manager_permille))
            .bind(i64::from(settings.pause_cap_hours))
            .bind(now)
            .bind(by)
            .execute(&mut *w.tx)
            .await?;
        let stored = settings_on(&mut w.tx, hall_id).await?;
        self.commit(w).await?;
        Ok(stored)
    }

    async fn configured_processes(&self, hall_id: i64) -> Result<Vec<ConfiguredProcess>> {
        self.hall(hall_id).await?;
        let rows = sqlx::query("SELECT kind, business_type_id, customer_class, definition, updated_at FROM case_processes WHERE hall_id = $1 ORDER BY kind, business_type_id, customer_class")
            .bind(hall_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let kind: String = r.try_get("kind")?;
            let bt: i64 = r.try_get("business_type_id")?;
            let class: String = r.try_get("customer_class")?;
            let def: String = r.try_get("definition")?;
            let process: Process =
                serde_json::from_str(&def).map_err(|e| corrupt("case_processes.definition", e))?;
            out.push(ConfiguredProcess {
                kind: kind
                    .parse::<CaseKind>()
                    .map_err(|e| corrupt("case_processes.kind", e))?,
                business_type_id: (bt != 0).then_some(bt),
                customer_class: class.parse::<CustomerClass>().ok(),
                process,
                updated_at: r.try_get("updated_at")?,
            });
        }
        Ok(out)
    }

    async fn upload_document(
        &self,
        case_id: i64,
        upload: &DocumentUpload,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        self.upload_document_file(case_id, upload, by, now).await
    }

    async fn document_file(&self, case_id: i64, document_id: i64) -> Result<DocumentFile> {
        self.read_document_file(case_id, document_id).await
    }

    async fn supersede_document(
        &self,
        case_id: i64,
        document_id: i64,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<CaseDetail> {
        self.mark_superseded(case_id, document_id, reason, by, now)
            .await
    }

    async fn clock_warn_index(&self, case_id: i64) -> Result<Vec<ClockWarnIndex>> {
        let rows = sqlx::query("SELECT case_id, clock_key, state, deadline_at, warn_owner_at, warn_manager_at, warn_breach_at, next_warn_at FROM case_clocks WHERE case_id = $1 ORDER BY clock_key")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ClockWarnIndex {
                    case_id: r.try_get("case_id")?,
                    clock_key: r.try_get("clock_key")?,
                    state: r.try_get("state")?,
                    deadline_at: r.try_get("deadline_at")?,
                    warn_owner_at: r.try_get("warn_owner_at")?,
                    warn_manager_at: r.try_get("warn_manager_at")?,
                    warn_breach_at: r.try_get("warn_breach_at")?,
                    next_warn_at: r.try_get("next_warn_at")?,
                })
            })
            .collect()
    }
}
