//! Counter screens: the clerk's console (挂牌上岗, 办一安二招呼三, 唱收唱付) and the receipt.

mod console;
mod receipt;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(console::routes())
        .merge(receipt::routes())
}
