//! The hall's search index over the standards in effect (and, once it exists, the
//! service catalogue), kept in memory per hall.
//!
//! Why in memory: a hall follows a few hundred to a few thousand documents, which index
//! in milliseconds to well under a second and search in microseconds, and the index is
//! rebuilt from the store, so nothing can drift. Each search asks the store for a cheap
//! stamp (count and latest write of the versions) and the hall's today; when either moved —
//! an edit on any node, or midnight bringing a scheduled version into effect — the hall's
//! index is rebuilt before answering.

use servicehall_domain::behaviour::behaviour_code;
use servicehall_domain::standards::search::{Doc, Hit, Index};
use servicehall_store::{Hall, StandardDocument, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// What a hit is, for the screen.
#[derive(Debug, Clone)]
pub struct HitInfo {
    pub kind: &'static str,
    pub label_zh: String,
    pub label_en: String,
    pub url: String,
    pub version: Option<i64>,
}

struct Built {
    key: String,
    index: Arc<Index>,
    info: Arc<HashMap<String, HitInfo>>,
}

/// One index per hall, rebuilt when its key changes.
#[derive(Default)]
pub struct SearchCache {
    halls: Mutex<HashMap<i64, Arc<Built>>>,
}

/// The searchable text of a document's version in effect.
pub fn standard_doc(d: &StandardDocument) -> Option<(Doc, HitInfo)> {
    let v = d.current()?;
    let mut tags = format!("{} {}", d.category.label_zh(), d.category.label_en());
    if let Some(code) = d.behaviour_code.as_deref().and_then(behaviour_code) {
        tags.push_str(&format!(" {} {} {}", code.id, code.zh, code.en));
    }
    let title = if v.title_en.is_empty() {
        v.title.clone()
    } else {
        format!("{} {}", v.title, v.title_en)
    };
    Some((
        Doc {
            key: format!("standard:{}", d.id),
            title,
            body: v.body.clone(),
            tags,
        },
        HitInfo {
            kind: "standard",
            label_zh: d.category.label_zh().into(),
            label_en: d.category.label_en().into(),
            url: format!("/standards/{}", d.id),
            version: Some(v.number),
        },
    ))
}

impl SearchCache {
    async fn built(
        &self,
        store: &dyn Store,
        hall: &Hall,
        now: i64,
    ) -> Result<Arc<Built>, StoreError> {
        let tz = servicehall_domain::time::parse_tz(&hall.timezone).map_err(StoreError::Invalid)?;
        let today = servicehall_domain::time::service_day(now, tz);
        let key = format!("{}|{today}", store.standards_stamp().await?);
        if let Some(b) = self
            .halls
            .lock()
            .ok()
            .and_then(|m| m.get(&hall.id).cloned())
            && b.key == key
        {
            return Ok(b);
        }
        let mut docs = Vec::new();
        let mut info = HashMap::new();
        for d in store.standards(Some(hall.id), now).await? {
            if let Some((doc, i)) = standard_doc(&d) {
                info.insert(doc.key.clone(), i);
                docs.push(doc);
            }
        }
        let built = Arc::new(Built {
            key,
            index: Arc::new(Index::build(docs)),
            info: Arc::new(info),
        });
        if let Ok(mut m) = self.halls.lock() {
            m.insert(hall.id, built.clone());
        }
        Ok(built)
    }

    /// The best `limit` hits for `query` in the hall, with what each one is.
    pub async fn search(
        &self,
        store: &dyn Store,
        hall: &Hall,
        query: &str,
        limit: usize,
        now: i64,
    ) -> Result<(Vec<(Hit, HitInfo)>, usize), StoreError> {
        let b = self.built(store, hall, now).await?;
        let hits = b
            .index
            .search(query, limit)
            .into_iter()
            .filter_map(|h| {
                let i = b.info.get(&h.key)?.clone();
                Some((h, i))
            })
            .collect();
        Ok((hits, b.index.len()))
    }
}
