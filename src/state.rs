//! State shared by the whole app.

use domain::Catalog;
use std::sync::OnceLock;

/// The price list compiled into the app: the same data and code the server prices with.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(Catalog::current)
}
