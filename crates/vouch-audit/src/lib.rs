//! `vouch audit`: a project's dependencies (lockfiles, manifests, SBOMs) checked against OSV
//! advisories from the offline store, with every match explained.
//!
//! - [`eval`]: the OSV evaluation algorithm, exactly as the schema specifies it.
//! - [`severity`]: CVSS v2/v3/v4 scoring and the advisory kinds (malicious, informational).
//! - [`audit`]: matching, alias de-duplication, ignores, fix suggestions.
//! - [`render`]: human, JSON (`vouch.audit/1`), SARIF and CycloneDX 1.6 VEX-ready output.
//! - [`config`]: the `[audit]` section of `vouch.toml`.

pub mod audit;
pub mod config;
pub mod eval;
pub mod render;
pub mod severity;

pub use audit::{audit, Advisories, AuditReport, Finding, Options};
pub use config::AuditConfig;
