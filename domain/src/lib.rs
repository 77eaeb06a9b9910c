//! Pure types and rules of zhengce: parsed values, facet vocabularies and the shapes
//! that cross the wire between server and browser. No IO, so it builds for wasm too.

#[macro_use]
mod label;

pub mod account;
pub mod audit;
pub mod body;
pub mod consult;
pub mod error;
pub mod feed;
pub mod file;
pub mod interpretation;
pub mod library;
pub mod net;
pub mod qa;
pub mod review;
pub mod screening;
pub mod text;
pub mod unit;

pub use error::DomainError;
