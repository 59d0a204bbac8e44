//! HTTP tests of the JSON API against a real server on 127.0.0.1:0.

mod basics;
mod calendar;
pub(crate) mod cases;
mod catalogue;
mod catalogue_form;
mod counters;
mod dashboard;
mod events;
mod feedback;
mod feedback_gaming;
mod feedback_settings;
mod golive;
pub mod insight;
mod queue;
mod queue_concurrency;
mod queue_rating;
mod regions;
mod role_matrix;
mod routes;
mod security_auth;
mod security_files;
mod security_headers;
mod security_keys;
mod security_limits;
mod sessions;
mod signed_form;
mod standards;
