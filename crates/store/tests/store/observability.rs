//! Every store call runs in a span named `store.<feature>.<method>`, carrying the hall when
//! the call names one, so a slow request's log says which store call took the time.

use crate::fixture::fixture;
use servicehall_store::*;
use std::sync::{Arc, Mutex};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::Registry;

on_both!(store_calls_run_in_spans_named_after_them);

/// A span as opened: its name and its `hall` field.
type Span = (String, Option<i64>);

/// The spans opened while the layer is installed.
#[derive(Clone, Default)]
struct Opened(Arc<Mutex<Vec<Span>>>);

struct HallField(Option<i64>);

impl Visit for HallField {
    fn record_i64(&mut self, field: &Field, value: i64) {
        if field.name() == "hall" {
            self.0 = Some(value);
        }
    }
    fn record_debug(&mut self, _: &Field, _: &dyn std::fmt::Debug) {}
}

impl<S: tracing::Subscriber> Layer<S> for Opened {
    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let mut hall = HallField(None);
        attrs.record(&mut hall);
        if let Ok(mut v) = self.0.lock() {
            v.push((attrs.metadata().name().to_string(), hall.0));
        }
    }
}

pub async fn store_calls_run_in_spans_named_after_them(s: SqlStore) {
    let f = fixture(&s).await;
    let opened = Opened::default();
    // The test's future runs on this thread, and the span opens where the call is made.
    let _guard = tracing::subscriber::set_default(Registry::default().with(opened.clone()));
    s.business_types(f.hall.id).await.unwrap();
    s.halls().await.unwrap();
    s.waiting(f.hall.id).await.unwrap();
    let seen = opened.0.lock().unwrap().clone();
    for expected in [
        ("store.halls.business_types".to_string(), Some(f.hall.id)),
        ("store.halls.halls".to_string(), None),
        ("store.queue.waiting".to_string(), Some(f.hall.id)),
    ] {
        assert!(seen.contains(&expected), "{expected:?} not in {seen:?}");
    }
}
