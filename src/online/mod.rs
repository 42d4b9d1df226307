//! The commands that go online, and only they (`build`, `check` and `serve` never touch
//! the network): `check --sources` ([`health`], with what it learnt kept in [`ledger`]),
//! `archive` ([`wayback`]) and `credit` ([`commons`]). Every request goes through one
//! [`http::Client`] with per-host manners, and each command takes an `--api` address or a
//! local server in its tests.

pub mod commons;
pub mod health;
pub mod http;
pub mod ledger;
pub mod wayback;

pub use health::{SourceCheckOptions, SourceCheckReport, check_sources};
