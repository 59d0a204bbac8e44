//! The web crate's one integration test binary: HTTP tests of the JSON API against a real
//! server on 127.0.0.1:0 (`http`), sharing the helpers in `common` (server, store, fixture
//! hall, device tokens, sign-in). Browser tests add their module here; `repo` keeps the
//! repository map (`ARCHITECTURE.md`) true to the tree.

mod browser;
mod common;
mod http;
mod repo;
