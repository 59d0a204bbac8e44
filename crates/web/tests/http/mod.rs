//! HTTP tests of the JSON API against a real server on 127.0.0.1:0.

mod auth;
mod basics;
mod calendar;
pub(crate) mod case_extra;
mod cases;
mod catalogue;
mod catalogue_form;
mod concurrency;
mod counter;
mod escalation;
mod feedback;
mod feedback_review;
pub mod insight;
mod issue;
mod rating;
mod regions;
mod role_matrix;
mod routes;
mod security_auth;
mod security_files;
mod security_headers;
mod security_keys;
mod security_limits;
mod signed_form;
mod sse;
mod standards;
mod stats;
