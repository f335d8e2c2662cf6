//! `vouch.toml`: limits, allowlist additions and blocks, defaults for the command line.

use crate::policy::Policy;
use serde::Deserialize;
use std::path::Path;

/// Resource limits for one file (archives included). Hitting one gives an `incomplete` verdict
/// with a finding, never an out-of-memory or a hang.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Limits {
    /// Members listed per archive.
    pub max_entries: usize,
    /// Bytes one decompressed member may take in memory.
    pub max_member_bytes: u64,
    /// Bytes decompressed across one top-level file.
    pub max_total_unpacked: u64,
    /// Largest expansion ratio accepted from a compressed member.
    pub max_ratio: u64,
    /// Containers nested inside containers.
    pub max_depth: u32,
    /// Largest metadata block read at once (zip central directory, tar extended headers).
    pub max_metadata: u64,
    /// Opcodes simulated per pickle.
    pub max_pickle_ops: u64,
    /// Memo entries per pickle.
    pub max_pickle_memo: usize,
    /// Bytes kept of any string in a pickle.
    pub max_pickle_string: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 100_000,
            max_member_bytes: 2 << 30,
            max_total_unpacked: 16 << 30,
            max_ratio: 1000,
            max_depth: 8,
            max_metadata: 256 << 20,
            max_pickle_ops: 50_000_000,
            max_pickle_memo: 4_000_000,
            max_pickle_string: 16 << 20,
        }
    }
}

impl Limits {
    pub fn pickle(&self) -> vouch_pickle::Limits {
        vouch_pickle::Limits {
            max_ops: self.max_pickle_ops,
            max_memo: self.max_pickle_memo,
            max_string: self.max_pickle_string,
            ..vouch_pickle::Limits::default()
        }
    }
}

/// When to compute a file's SHA-256 (reading all of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HashMode {
    /// Files whose bytes the analysis reads anyway: small files, and larger ones it read at
    /// least half of (a big pickle). Weights are never read just to hash them.
    #[default]
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PickleConfig {
    /// Extra allowlist entries (`module:name`, `prefix.**:Class`).
    pub allow: Vec<String>,
    /// Globals to treat as dangerous even when allowlisted (`module`, `module:name`, `*:name`).
    pub deny: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScanSection {
    pub fail_on: Option<String>,
    pub hash: Option<HashMode>,
    pub pickle: PickleConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct File {
    scan: ScanSection,
    limits: Limits,
}

/// Effective scan configuration.
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub limits: Limits,
    pub policy: Policy,
    pub hash: HashMode,
    pub fail_on: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path} is not valid vouch configuration: {message}")]
    Parse { path: String, message: String },
}

impl Config {
    /// Reads `vouch.toml` (other sections, used by other commands, are ignored here).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
        Config::parse(&text).map_err(|message| ConfigError::Parse { path: path.display().to_string(), message })
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        let f: File = toml::from_str(text).map_err(|e| e.to_string())?;
        Ok(Config {
            limits: f.limits,
            policy: Policy::new(&f.scan.pickle.allow, &f.scan.pickle.deny),
            hash: f.scan.hash.unwrap_or_default(),
            fail_on: f.scan.fail_on,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_keys() {
        let c = Config::parse("[scan]\nfail_on = \"medium\"\n[scan.pickle]\nallow = [\"mypkg:Net\"]\n[limits]\nmax_depth = 3\n").unwrap();
        assert_eq!(c.limits.max_depth, 3);
        assert_eq!(c.fail_on.as_deref(), Some("medium"));
        assert!(Config::parse("[limits]\nmax_dept = 3\n").unwrap_err().contains("unknown field"));
    }
}
