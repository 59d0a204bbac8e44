//! The service catalogue on SQLite and PostgreSQL. Imports and saved versions are planned by
//! the domain against the versions read inside the write transaction, then applied in it:
//! a bad file changes nothing. Steps and time limits come from the hall's case processes.

use crate::catalogue::*;
use crate::sql::SqlStore;
use crate::{CaseSettingsStore, CatalogueStore, HallStore, Result, StoreError};
use async_trait::async_trait;
use chrono::NaiveDate;
use servicehall_domain::cases::CaseKind;
use servicehall_domain::catalogue::{
    self, CatalogueEntry, CatalogueError, CatalogueFile, Change, DEFAULT_REPEAT_WINDOW_DAYS,
    PastVisit, VisitOutcome, normalize_contact, repeat_of,
};
use servicehall_domain::time::{parse_tz, service_day};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("{what}: {e}").into()))
}

fn invalid(e: CatalogueError) -> StoreError {
    StoreError::Invalid(e.to_string())
}

pub(super) const VISIT_SELECT: &str = "SELECT v.id, v.hall_id, v.ticket_id, t.number AS ticket_number, v.business_type, v.customer_class, v.contact, v.outcome, v.staff_id, s.name AS staff_name, s.badge_no AS staff_badge, v.repeat_of, v.at FROM customer_visits v LEFT JOIN tickets t ON t.id = v.ticket_id LEFT JOIN staff s ON s.id = v.staff_id";

pub(super) fn visit_row(r: &AnyRow) -> Result<Visit> {
    let class: String = r.try_get("customer_class")?;
    let outcome: String = r.try_get("outcome")?;
    Ok(Visit {
        id: r.try_get("id")?,
        hall_id: r.try_get("hall_id")?,
        ticket_id: r.try_get("ticket_id")?,
        ticket_number: r.try_get("ticket_number")?,
        business_type: r.try_get("business_type")?,
        class: class
            .parse()
            .map_err(|e| corrupt("customer_visits.class", e))?,
        contact: r.try_get("contact")?,
        outcome: outcome
            .parse()
            .map_err(|e| corrupt("customer_visits.outcome", e))?,
        staff_id: r.try_get("staff_id")?,
        staff_name: r.try_get("staff_name")?,
        staff_badge: r.try_get("staff_badge")?,
        repeat_of: r.try_get("repeat_of")?,
        at: r.try_get("at")?,
    })
}

async fn load_versions(
    conn: &mut AnyConnection,
    hall_id: i64,
) -> Result<Vec<(i64, CatalogueEntry, i64)>> {
    let rows = sqlx::query("SELECT id, entry, created_at FROM catalogue_versions WHERE hall_id = $1 ORDER BY business_type, effective_from")
        .bind(hall_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|r| {
            let text: String = r.try_get("entry")?;
            let entry: CatalogueEntry =
                serde_json::from_str(&text).map_err(|e| corrupt("catalogue_versions.entry", e))?;
            Ok((r.try_get("id")?, entry, r.try_get("created_at")?))
        })
        .collect()
}

async fn apply(
    tx: &mut AnyConnection,
    hall_id: i64,
    existing: &[(i64, CatalogueEntry, i64)],
    changes: Vec<Change>,
    now: i64,
) -> Result<usize> {
    let n = changes.len();
    for c in changes {
        match c {
            Change::Insert(e) => {
                sqlx::query("INSERT INTO catalogue_versions (hall_id, business_type, effective_from, entry, created_at) VALUES ($1, $2, $3, $4, $5)")
                    .bind(hall_id)
                    .bind(&e.business_type)
                    .bind(&e.effective_from)
                    .bind(serde_json::to_string(&e).map_err(|e| corrupt("entry", e))?)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            Change::Replace(i, e) => {
                sqlx::query(
                    "UPDATE catalogue_versions SET entry = $1, created_at = $2 WHERE id = $3",
                )
                .bind(serde_json::to_string(&e).map_err(|e| corrupt("entry", e))?)
                .bind(now)
                .bind(existing[i].0)
                .execute(&mut *tx)
                .await?;
            }
            Change::Delete(i) => {
                sqlx::query("DELETE FROM catalogue_versions WHERE id = $1")
                    .bind(existing[i].0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
    Ok(n)
}

/// Replaces a hall's catalogue with a YAML file inside the caller's transaction (the
/// catalogue import, and a hall file's catalogue reference): checked against `known`
/// business types and `hall_code`, planned for `today`; on an error the caller rolls back.
pub(crate) async fn import_catalogue_in(
    tx: &mut AnyConnection,
    hall_id: i64,
    hall_code: &str,
    known: &[&str],
    today: NaiveDate,
    yaml: &str,
    now: i64,
) -> Result<usize> {
    let file = catalogue::from_yaml(yaml, known).map_err(invalid)?;
    if file.hall != hall_code {
        return Err(StoreError::Invalid(format!(
            "此文件是其他营业厅的业务目录 · hall: this file is the catalogue of {:?}; you are importing into {:?}",
            file.hall, hall_code
        )));
    }
    let existing = load_versions(&mut *tx, hall_id).await?;
    let entries: Vec<CatalogueEntry> = existing.iter().map(|r| r.1.clone()).collect();
    let changes = catalogue::plan_import(&entries, &file.entries, today).map_err(|e| {
        let i =
            e.at.strip_prefix("entries[")
                .and_then(|r| r.split(']').next())
                .and_then(|n| n.parse().ok());
        invalid(match i {
            Some(i) => catalogue::with_entry_line(e, yaml, i),
            None => e,
        })
    })?;
    let n = apply(&mut *tx, hall_id, &existing, changes, now).await?;
    let json = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    sqlx::query("INSERT INTO hall_public_info (hall_id, repeat_window_days, map_url, complaint_channels, commitments, updated_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (hall_id) DO UPDATE SET repeat_window_days = $2, map_url = $3, complaint_channels = $4, commitments = $5, updated_at = $6")
            .bind(hall_id)
            .bind(file.repeat_window_days)
            .bind(&file.map_url)
            .bind(json(&file.complaint_channels))
            .bind(json(&file.commitments))
            .bind(now)
            .execute(&mut *tx)
            .await?;
    Ok(n)
}

impl SqlStore {
    /// The hall-local date of `now`.
    async fn hall_today(&self, hall_id: i64, now: i64) -> Result<NaiveDate> {
        let hall = self.hall(hall_id).await?;
        let tz = parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
        Ok(service_day(now, tz))
    }

    async fn type_codes(&self, hall_id: i64) -> Result<Vec<String>> {
        Ok(self
            .business_types(hall_id)
            .await?
            .into_iter()
            .map(|b| b.code)
            .collect())
    }
}

#[async_trait]
impl CatalogueStore for SqlStore {
    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.catalogue_versions", fields(hall = hall_id))]
    async fn catalogue_versions(&self, hall_id: i64, now: i64) -> Result<Vec<CatalogueVersion>> {
        let today = self.hall_today(hall_id, now).await?;
        let mut conn = self.pool.acquire().await?;
        let rows = load_versions(&mut conn, hall_id).await?;
        let entries: Vec<CatalogueEntry> = rows.iter().map(|r| r.1.clone()).collect();
        let current: Vec<(String, String)> = catalogue::effective_on(&entries, today)
            .into_iter()
            .map(|e| (e.business_type.clone(), e.effective_from.clone()))
            .collect();
        Ok(rows
            .into_iter()
            .map(|(id, entry, created_at)| {
                let from = catalogue::parse_date(&entry.effective_from).unwrap_or(NaiveDate::MIN);
                let key = (entry.business_type.clone(), entry.effective_from.clone());
                CatalogueVersion {
                    id,
                    locked: catalogue::is_locked(from, today),
                    current: current.contains(&key),
                    entry,
                    created_at,
                }
            })
            .collect())
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.effective_catalogue", fields(hall = hall_id))]
    async fn effective_catalogue(
        &self,
        hall_id: i64,
        day: NaiveDate,
    ) -> Result<Vec<CatalogueItem>> {
        let mut conn = self.pool.acquire().await?;
        let entries: Vec<CatalogueEntry> = load_versions(&mut conn, hall_id)
            .await?
            .into_iter()
            .map(|r| r.1)
            .collect();
        drop(conn);
        let in_effect = catalogue::effective_on(&entries, day);
        let mut items = Vec::new();
        // In the hall's order of business types; inactive types are not published.
        for bt in self.business_types(hall_id).await? {
            if !bt.active {
                continue;
            }
            let Some(entry) = in_effect.iter().find(|e| e.business_type == bt.code) else {
                continue;
            };
            let mut classes = Vec::new();
            for class in entry.documents.classes() {
                let process = self
                    .case_process(hall_id, CaseKind::Application, Some(bt.id), class)
                    .await?;
                classes.push(ClassGuide {
                    class,
                    label_zh: class.label_zh().into(),
                    documents: entry
                        .documents
                        .for_class(class)
                        .cloned()
                        .unwrap_or_default(),
                    process,
                });
            }
            items.push(CatalogueItem {
                business_type_id: bt.id,
                code: bt.code,
                name_zh: bt.name_zh,
                name_en: bt.name_en,
                entry: (*entry).clone(),
                classes,
            });
        }
        Ok(items)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.save_catalogue_version", fields(hall = hall_id))]
    async fn save_catalogue_version(
        &self,
        hall_id: i64,
        entry: &CatalogueEntry,
        now: i64,
    ) -> Result<usize> {
        let today = self.hall_today(hall_id, now).await?;
        let codes = self.type_codes(hall_id).await?;
        let known: Vec<&str> = codes.iter().map(String::as_str).collect();
        entry.validate("entry", &known).map_err(invalid)?;
        let mut w = self.begin().await?;
        let existing = load_versions(&mut w.tx, hall_id).await?;
        let entries: Vec<CatalogueEntry> = existing.iter().map(|r| r.1.clone()).collect();
        let changes = catalogue::plan_save(&entries, entry, today).map_err(invalid)?;
        let n = apply(&mut w.tx, hall_id, &existing, changes, now).await?;
        self.commit(w).await?;
        Ok(n)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.export_catalogue", fields(hall = hall_id))]
    async fn export_catalogue(&self, hall_id: i64) -> Result<CatalogueFile> {
        let hall = self.hall(hall_id).await?;
        let info = self.hall_public_info(hall_id).await?;
        let mut conn = self.pool.acquire().await?;
        let entries = load_versions(&mut conn, hall_id)
            .await?
            .into_iter()
            .map(|r| r.1)
            .collect();
        Ok(CatalogueFile {
            hall: hall.code,
            repeat_window_days: info.repeat_window_days,
            map_url: info.map_url,
            complaint_channels: info.complaint_channels,
            commitments: info.commitments,
            entries,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.import_catalogue", fields(hall = hall_id))]
    async fn import_catalogue(&self, hall_id: i64, yaml: &str, now: i64) -> Result<usize> {
        let hall = self.hall(hall_id).await?;
        let today = self.hall_today(hall_id, now).await?;
        let codes = self.type_codes(hall_id).await?;
        let known: Vec<&str> = codes.iter().map(String::as_str).collect();
        let mut w = self.begin().await?;
        let n =
            import_catalogue_in(&mut w.tx, hall_id, &hall.code, &known, today, yaml, now).await?;
        self.commit(w).await?;
        Ok(n)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.hall_public_info", fields(hall = hall_id))]
    async fn hall_public_info(&self, hall_id: i64) -> Result<HallPublicInfo> {
        let row = sqlx::query("SELECT repeat_window_days, map_url, complaint_channels, commitments FROM hall_public_info WHERE hall_id = $1")
            .bind(hall_id)
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else {
            return Ok(HallPublicInfo {
                repeat_window_days: DEFAULT_REPEAT_WINDOW_DAYS,
                ..Default::default()
            });
        };
        let list = |col: &str| -> Result<Vec<String>> {
            let t: String = r.try_get(col)?;
            serde_json::from_str(&t).map_err(|e| corrupt("hall_public_info", e))
        };
        Ok(HallPublicInfo {
            repeat_window_days: r.try_get("repeat_window_days")?,
            map_url: r.try_get("map_url")?,
            complaint_channels: list("complaint_channels")?,
            commitments: list("commitments")?,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.record_visit")]
    async fn record_visit(&self, input: &VisitInput, now: i64) -> Result<Visit> {
        let mut w = self.begin().await?;
        let id = record_visit_in(self, &mut w.tx, input, now).await?;
        self.commit(w).await?;
        self.visit(id).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.give_notice")]
    async fn give_notice(
        &self,
        input: &VisitInput,
        code: &str,
        now: i64,
    ) -> Result<(Notice, Visit)> {
        let today = self.hall_today(input.hall_id, now).await?;
        let item = self
            .effective_catalogue(input.hall_id, today)
            .await?
            .into_iter()
            .find(|i| i.code == input.business_type)
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "本厅此业务没有生效的目录条目 · business type {:?} has no catalogue entry in effect in this hall",
                    input.business_type
                ))
            })?;
        if item.class(input.class).is_none() {
            return Err(StoreError::Invalid(format!(
                "此业务不面向该客户类别 · {} ({}) is not offered to {} ({}); it is for: {}",
                item.name_zh,
                item.code,
                input.class.label_zh(),
                input.class,
                item.entry
                    .documents
                    .classes()
                    .iter()
                    .map(|c| format!("{} ({c})", c.label_zh()))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let mut w = self.begin().await?;
        let visit_id = record_visit_in(self, &mut w.tx, input, now).await?;
        sqlx::query("INSERT INTO notices (code, hall_id, visit_id, business_type, customer_class, effective_from, staff_id, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(code)
            .bind(input.hall_id)
            .bind(visit_id)
            .bind(&input.business_type)
            .bind(input.class.as_str())
            .bind(&item.entry.effective_from)
            .bind(input.staff_id)
            .bind(now)
            .execute(&mut *w.tx)
            .await
            .map_err(|e| StoreError::unique_as(e, "告知单编号已被占用，请重试 · that notice code is taken; try again"))?;
        self.commit(w).await?;
        Ok((self.notice(code).await?, self.visit(visit_id).await?))
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.notice")]
    async fn notice(&self, code: &str) -> Result<Notice> {
        let r = sqlx::query("SELECT code, hall_id, visit_id, business_type, customer_class, effective_from, staff_id, given_at FROM notices WHERE code = $1")
            .bind(code)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("notice", code))?;
        let class: String = r.try_get("customer_class")?;
        Ok(Notice {
            code: r.try_get("code")?,
            hall_id: r.try_get("hall_id")?,
            visit_id: r.try_get("visit_id")?,
            business_type: r.try_get("business_type")?,
            class: class.parse().map_err(|e| corrupt("notices.class", e))?,
            effective_from: r.try_get("effective_from")?,
            staff_id: r.try_get("staff_id")?,
            given_at: r.try_get("given_at")?,
        })
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.visit")]
    async fn visit(&self, id: i64) -> Result<Visit> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{VISIT_SELECT} WHERE v.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found("visit", id))?;
        visit_row(&r)
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.repeat_trip_page", fields(hall = hall_id))]
    async fn repeat_trip_page(
        &self,
        hall_id: i64,
        filter: &RepeatTripFilter,
        window: crate::Window,
    ) -> Result<crate::Paged<RepeatTrip>> {
        self.repeat_trips_paged(hall_id, filter, window).await
    }

    #[tracing::instrument(level = "debug", skip_all, name = "store.catalogue.repeat_trips", fields(hall = hall_id))]
    async fn repeat_trips(&self, hall_id: i64, since: i64) -> Result<Vec<RepeatTrip>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{VISIT_SELECT} WHERE v.hall_id = $1 AND v.repeat_of IS NOT NULL AND v.at >= $2 ORDER BY v.at DESC"
        )))
        .bind(hall_id)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            let visit = visit_row(r)?;
            let earlier = self.visit(visit.repeat_of.unwrap_or_default()).await?;
            out.push(RepeatTrip { visit, earlier });
        }
        Ok(out)
    }
}

/// Records (or, for a ticket already recorded for that business, updates) a visit and
/// links it to the earlier visit it repeats.
async fn record_visit_in(
    store: &SqlStore,
    tx: &mut AnyConnection,
    input: &VisitInput,
    now: i64,
) -> Result<i64> {
    let contact = normalize_contact(&input.contact).map_err(StoreError::Invalid)?;
    let codes = store.type_codes(input.hall_id).await?;
    if !codes.contains(&input.business_type) {
        return Err(StoreError::NotFound(format!(
            "本厅没有此业务类型 · no business type {:?} in this hall; it has: {}",
            input.business_type,
            codes.join(", ")
        )));
    }
    if let Some(t) = input.ticket_id {
        let hall: Option<i64> = sqlx::query_scalar("SELECT hall_id FROM tickets WHERE id = $1")
            .bind(t)
            .fetch_optional(&mut *tx)
            .await?;
        if hall != Some(input.hall_id) {
            return Err(StoreError::NotFound(format!(
                "本厅没有这张票号 · no ticket {t} in this hall"
            )));
        }
    }
    let window = store
        .hall_public_info(input.hall_id)
        .await?
        .repeat_window_days;
    let rows = sqlx::query("SELECT id, ticket_id, business_type, at, outcome FROM customer_visits WHERE hall_id = $1 AND contact = $2 AND at >= $3 AND at < $4")
        .bind(input.hall_id)
        .bind(&contact)
        .bind(now - window * 86_400_000)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
    let earlier = rows
        .iter()
        .map(|r| {
            let outcome: String = r.try_get("outcome")?;
            Ok(PastVisit {
                id: r.try_get("id")?,
                ticket_id: r.try_get("ticket_id")?,
                business_type: r.try_get("business_type")?,
                at: r.try_get("at")?,
                outcome: outcome
                    .parse::<VisitOutcome>()
                    .map_err(|e| corrupt("customer_visits.outcome", e))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let repeat = repeat_of(&earlier, &input.business_type, input.ticket_id, now, window);
    let same_ticket: Option<i64> = match input.ticket_id {
        Some(t) => {
            sqlx::query_scalar(
                "SELECT id FROM customer_visits WHERE ticket_id = $1 AND business_type = $2",
            )
            .bind(t)
            .bind(&input.business_type)
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    if let Some(id) = same_ticket {
        sqlx::query("UPDATE customer_visits SET customer_class = $1, contact = $2, outcome = $3, staff_id = $4, repeat_of = $5 WHERE id = $6")
            .bind(input.class.as_str())
            .bind(&contact)
            .bind(input.outcome.as_str())
            .bind(input.staff_id)
            .bind(repeat)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        return Ok(id);
    }
    Ok(sqlx::query_scalar("INSERT INTO customer_visits (hall_id, ticket_id, business_type, customer_class, contact, outcome, staff_id, repeat_of, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(input.hall_id)
        .bind(input.ticket_id)
        .bind(&input.business_type)
        .bind(input.class.as_str())
        .bind(&contact)
        .bind(input.outcome.as_str())
        .bind(input.staff_id)
        .bind(repeat)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?)
}
