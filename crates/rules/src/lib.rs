//! The rule engine: variables with bit-set domains of any size, clause and table constraints,
//! exact possible values by propagation and search, explanations and smallest changes, a rule set
//! compiled into a decision diagram ([`mdd`]), exact counting, and a reader of XCSP 2.1 table
//! instances ([`xcsp`]). It knows nothing about cars: the domain crate maps the smart #1's
//! catalog rules onto it, and real OEM rule sets load through [`xcsp`]. Pure Rust without I/O,
//! so the browser app links it too (only the `xcsp` tool, the tests and [`testdata`] read files).

mod engine;
#[doc(hidden)]
pub mod generated;
pub mod mdd;
#[doc(hidden)]
pub mod testdata;
pub mod xcsp;

pub use engine::{
    Change, Conflict, Constraint, Engine, Literal, Model, ModelError, Val, ValueSet, VarId,
    Variable,
};
