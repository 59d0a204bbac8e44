//! The hall's search index over the standards in effect and the service catalogue
//! entries in effect (业务指南), kept in memory per hall.
//!
//! Why in memory: a hall follows a few hundred to a few thousand documents, which index
//! in milliseconds to well under a second and search in microseconds, and the index is
//! rebuilt from the store, so nothing can drift. Each search asks the store for a cheap
//! stamp (count and latest write of the versions) and the hall's today; when either moved —
//! an edit on any node, or midnight bringing a scheduled version into effect — the hall's
//! index is rebuilt before answering. The catalogue has no such stamp, so an index older
//! than [`CATALOGUE_TTL`] is rebuilt too: a catalogue edit shows in search within 30 s.

use servicehall_domain::standards::behaviour::behaviour_code;
use servicehall_domain::standards::search::{Doc, Hit, Index};
use servicehall_store::{CatalogueItem, Hall, StandardDocument, Store, StoreError};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long an index may serve catalogue text before it is rebuilt.
pub const CATALOGUE_TTL: Duration = Duration::from_secs(30);

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
    at: Instant,
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

/// The searchable text of a catalogue entry in effect: description, who may apply, the
/// documents of each customer class, fees with their basis, where to apply.
pub fn catalogue_doc(hall: &Hall, item: &CatalogueItem) -> (Doc, HitInfo) {
    let e = &item.entry;
    let mut body = vec![e.description.clone(), e.description_en.clone()];
    body.push(format!("申请人 Who may apply: {}", e.who_may_apply));
    for c in &item.classes {
        let docs: Vec<String> = c
            .documents
            .iter()
            .map(|d| {
                if d.note.is_empty() {
                    d.name.clone()
                } else {
                    format!("{}（{}）", d.name, d.note)
                }
            })
            .collect();
        body.push(format!("{}所需资料：{}", c.label_zh, docs.join("、")));
    }
    if e.fees.is_empty() {
        body.push("收费：免费 Free".into());
    }
    for f in &e.fees {
        let amount = if f.fen == 0 {
            "免费".to_string()
        } else {
            format!("{}.{:02}元", f.fen / 100, f.fen % 100)
        };
        body.push(format!("收费：{} {}（依据：{}）", f.item, amount, f.basis));
    }
    let channels: Vec<String> = e
        .channels
        .iter()
        .map(|c| format!("{} {}", c.label_zh(), c.label_en()))
        .collect();
    body.push(format!("办理渠道：{}", channels.join("、")));
    if !e.online.is_empty() {
        body.push(format!("线上办理：{}", e.online));
    }
    if !e.notes.is_empty() {
        body.push(e.notes.clone());
    }
    body.retain(|l| !l.trim().is_empty());
    (
        Doc {
            key: format!("catalogue:{}", item.code),
            title: format!("{} {}", item.name_zh, item.name_en),
            body: body.join("\n"),
            tags: format!("业务指南 Business guide 一次性告知单 {}", item.code),
        },
        HitInfo {
            kind: "catalogue",
            label_zh: "业务指南".into(),
            label_en: "Business guide".into(),
            url: format!("/hall/{}#guide-{}", hall.code, item.code),
            version: None,
        },
    )
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
            && b.at.elapsed() < CATALOGUE_TTL
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
        for item in store.effective_catalogue(hall.id, today).await? {
            let (doc, i) = catalogue_doc(hall, &item);
            info.insert(doc.key.clone(), i);
            docs.push(doc);
        }
        let built = Arc::new(Built {
            key,
            at: Instant::now(),
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
