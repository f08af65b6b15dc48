//! A Symbolon node as a library: opening (and on first use initialising) a data directory,
//! importing and exporting STIX, and serving TAXII. `main.rs` only parses arguments.

pub mod agreement;
pub mod demo;
pub mod events;
pub mod export;
pub mod identity;
pub mod import;
pub mod init;
pub mod ledger;
pub mod peer_api;
pub mod peers;
pub mod serve;
pub mod status;
pub mod sync;

pub use init::{Node, open};
