//! The smart #1 domain: catalog, rule engine, pricing, configuration codes and the agency network.
//! Pure Rust with no web, database or async dependency: the browser app and the server link the
//! same code, so both decide "is this car valid, what does it cost" alike.

pub mod api;
pub mod catalog;
pub mod catalog_file;
pub mod channel;
pub mod code;
pub mod configure;
pub mod engine;
#[doc(hidden)]
pub mod generated;
pub mod hygiene;
pub mod i18n;
pub mod legal;
pub mod locations;
pub mod mdd;
pub mod money;
pub mod order;
pub mod pages;
pub mod postcodes;
pub mod pricing;
pub mod rules;
#[doc(hidden)]
pub mod testdata;
pub mod xcsp;

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
pub use rules::{Rule, RuleKind};
