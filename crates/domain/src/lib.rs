//! The smart #1 domain: catalog, pricing, configuration codes, orders and the agency network; the
//! catalog's rules run on the `rules` crate's engine (see `rules.rs`). Pure Rust with no web,
//! database or async dependency: the browser app and the server link the same code, so both
//! decide "is this car valid, what does it cost" alike.

pub mod api;
pub mod catalog;
pub mod catalog_file;
pub mod channel;
pub mod code;
pub mod configure;
pub mod hygiene;
pub mod i18n;
pub mod legal;
pub mod locations;
pub mod money;
pub mod order;
pub mod pages;
pub mod postcodes;
pub mod pricing;
pub mod rules;
pub mod serde_name;
pub mod test_drive;

pub use self::rules::{Rule, RuleKind};
pub use catalog::{Catalog, CatalogError};
pub use catalog_file::{Choice, Energy, Group, GroupKind, Step};
pub use channel::Channel;
pub use code::CodeError;
pub use configure::{
    Configuration, Pick, Resolution, SelectError, Selection, Status, ValidationError, CONFIRM_ABOVE,
};
pub use i18n::{Lang, Text};
pub use locations::{Location, Network, Partner, Service};
pub use money::Cents;
pub use pricing::{
    Financing, FinancingRequest, Leasing, LeasingRequest, PickEffect, PriceBreakdown, PriceItem,
};
// The engine's types in this crate's API: a selection's values, a choice's variable, the model
// the catalog compiles to.
pub use ::rules::{Model, Val, VarId};
