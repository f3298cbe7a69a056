//! Integration tests of the weft host: the edge-case guests, the shipped
//! plugins on real samples, and the `weft` command line.
//!
//! They use components built by `scripts/build-wasm.sh` (the README's test
//! command runs it first): `target/plugins/*.wasm`, `target/test-guests/*.wasm`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers: a failed fixture is a failed test"
)]

/// The real-data path `sub`, or a return from the test with a printed
/// reason when `../shared/realdata` is absent.
macro_rules! realdata_or_skip {
    ($sub:expr) => {
        match crate::it::support::realdata($sub) {
            Some(p) => p,
            None => return,
        }
    };
}

mod it {
    pub mod admin_auth;
    pub mod admin_tls;
    pub mod audit;
    pub mod bus_support;
    pub mod calls;
    pub mod case_equivalence;
    pub mod chaos;
    pub mod cli;
    pub mod cost;
    pub mod crash;
    pub mod deliveries;
    pub mod edi;
    pub mod edi_fuzz;
    pub mod guests;
    pub mod hotswap;
    pub mod http_errors;
    pub mod languages;
    pub mod languages_swap;
    pub mod ledger_crash;
    pub mod ledger_day;
    pub mod ledger_edi;
    pub mod ledger_order;
    pub mod ledger_store;
    pub mod ledger_support;
    pub mod limits;
    pub mod memory;
    pub mod openapi;
    pub mod ops_cli;
    pub mod pipeline;
    pub mod plugin_load;
    pub mod rate_limits;
    pub mod realdata;
    pub mod registry;
    pub mod registry_cli;
    pub mod reliability;
    pub mod scaffold;
    pub mod secure_default;
    pub mod shopify;
    pub mod support;
    pub mod webhooks;
}
