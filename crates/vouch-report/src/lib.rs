//! The report model shared by every vouch engine: findings with stable rule codes, severities,
//! per-file verdicts, and renderers for humans, JSON (`vouch.scan/1`) and SARIF 2.1.0.

mod model;
pub mod render;
pub mod rules;
pub mod time;

pub use model::{FileReport, Finding, Location, ScanReport, Severity, Summary, Verdict};
pub use rules::{Rule, RULES};

/// Schema identifier of the scan JSON contract.
pub const SCAN_SCHEMA: &str = "vouch.scan/1";
