//! The order-lifecycle ledger, stored in PostgreSQL; [`server`] is the
//! private PostgreSQL `weft up` runs when no ledger URL is configured.

pub mod server;
