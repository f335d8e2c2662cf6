//! OSV advisories and vouch's offline advisory store.
//!
//! - [`parse_json`], [`parse_yaml`] (and [`parse`], which picks by content) read OSV 1.x
//!   documents leniently into [`Advisory`], reporting what was skipped in a [`Leniency`].
//! - [`import`] builds or extends a store directory from advisory folders and zip archives;
//!   [`update`] downloads osv.dev's per-ecosystem `all.zip` and imports it.
//! - [`Store`] opens a store (only its key table is read) and answers [`Store::lookup`] by
//!   package and [`Store::get`] by id or alias.
//!
//! # Store format (version [`FORMAT_VERSION`])
//!
//! A store is a folder with two files (all integers little-endian; "varint" is LEB128; strings
//! are a varint length and UTF-8 bytes):
//!
//! - `osv-data-<generation>.bin`: `VOUCHOSD`, format version (u32), then one record per
//!   advisory, sorted by id: payload length (u32), CRC-32 of the payload (u32), payload (the
//!   advisory in a compact tagged encoding; `ecosystem_specific`/`database_specific` as JSON
//!   text). A record's checksum is verified whenever it is decoded.
//! - `osv-index.bin` ([`INDEX_FILE`]), the only file [`Store::open`] reads whole: `VOUCHOSI`,
//!   format version (u32), CRC-32 of the body (u32), body length (u64), body: the data file's
//!   name, length and record count; the status (build time, totals, per-ecosystem counts,
//!   newest `modified`, sources); the key table `(ecosystem, normalised package name) ->
//!   [record offsets]` sorted for binary search, without withdrawn advisories; the id table
//!   `(id or alias, ASCII lower case) -> [record offsets]`.
//!
//! A rebuild writes a data file under a new name, then the index through a temp file and a
//! rename, then removes the old data file, so a reader sees the old store or the new one, never
//! a mix. Imports do not lock the folder: of two concurrent imports, the last to finish wins.

mod codec;
mod import;
mod model;
mod store;
mod time;
mod update;

use std::path::{Path, PathBuf};

pub use import::{import, import_with, ImportReport};
pub use model::{
    from_value, parse, parse_json, parse_json_with, parse_with, parse_yaml, parse_yaml_with, Advisory, Affected, Event, Leniency, Package,
    Range, RangeKind, Reference, Severity, MAX_NOTES,
};
pub use store::{check_index_bytes, Source, Status, Store, DATA_MAGIC, FORMAT_VERSION, INDEX_FILE, INDEX_MAGIC};
pub use time::compare_modified;
pub use update::{update, update_with, OSV_BUCKET};

/// Bounds on what a reader accepts from untrusted input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest advisory document read (bytes); larger files are skipped.
    pub max_document_bytes: u64,
    /// Most members read from one zip archive.
    pub max_zip_entries: u64,
    /// Most uncompressed bytes read from one zip archive (zip-bomb guard).
    pub max_zip_total_bytes: u64,
    /// Largest download accepted by [`update`].
    pub max_download_bytes: u64,
    /// Whole-request timeout of one download, in seconds.
    pub download_timeout_secs: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_document_bytes: 16 << 20,
            max_zip_entries: 2_000_000,
            max_zip_total_bytes: 8 << 30,
            max_download_bytes: 2 << 30,
            download_timeout_secs: 600,
        }
    }
}

/// Why a document is not a readable OSV advisory.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OsvError {
    /// Not valid JSON or YAML.
    #[error("not valid {format}: {reason}")]
    Syntax {
        /// `JSON` or `YAML`.
        format: &'static str,
        /// The parser's message.
        reason: String,
    },
    /// Well-formed, but not an OSV advisory (not an object, or no `id`).
    #[error("not an OSV advisory: {0}")]
    NotOsv(String),
    /// Larger than [`Limits::max_document_bytes`].
    #[error("document of {size} bytes is over the limit of {limit} bytes")]
    TooLarge {
        /// Document size.
        size: u64,
        /// The limit.
        limit: u64,
    },
}

/// Errors of the store: every one names the file or URL concerned.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// No store has been built in this folder.
    #[error("no advisory store in {} (no {INDEX_FILE}); build one with `vouch audit update` or `vouch audit import DIR`", dir.display())]
    Missing {
        /// The store folder.
        dir: PathBuf,
    },
    /// The file is not a vouch advisory store file.
    #[error("{} is not a vouch advisory store file (bad magic bytes); delete the folder and import again", path.display())]
    Foreign {
        /// The file.
        path: PathBuf,
    },
    /// Written by another version of vouch.
    #[error("{} has store format version {found}, this vouch reads version {expected}; re-import the advisories", path.display())]
    Version {
        /// The file.
        path: PathBuf,
        /// Version found.
        found: u32,
        /// Version supported.
        expected: u32,
    },
    /// Truncated, altered or inconsistent.
    #[error("{} is corrupt: {reason}; delete the store folder and import again", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// An input given to [`import`] cannot be used at all.
    #[error("{}: {reason}", path.display())]
    Input {
        /// The input.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// A download failed.
    #[error("download of {url} failed: {reason}")]
    Download {
        /// The URL.
        url: String,
        /// What went wrong.
        reason: String,
    },
}

impl StoreError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> StoreError {
        StoreError::Io { path: path.to_path_buf(), source }
    }
}

/// The default store folder: `$VOUCH_DB` if set, else `$XDG_CACHE_HOME/vouch/osv`, else the
/// platform cache folder (`~/.cache` on Unix, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` on
/// Windows) followed by `vouch/osv`; `./.vouch/osv` when no home folder is known.
pub fn default_dir() -> PathBuf {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(db) = var("VOUCH_DB") {
        return db;
    }
    let cache = var("XDG_CACHE_HOME").or_else(|| {
        if cfg!(windows) {
            var("LOCALAPPDATA")
        } else if cfg!(target_os = "macos") {
            var("HOME").map(|h| h.join("Library").join("Caches"))
        } else {
            var("HOME").map(|h| h.join(".cache"))
        }
    });
    match cache {
        Some(c) => c.join("vouch").join("osv"),
        None => PathBuf::from(".vouch").join("osv"),
    }
}

/// Entry points for the fuzz targets; not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use crate::Advisory;

    /// Encodes an advisory as a store record payload.
    pub fn encode_record(a: &Advisory) -> Vec<u8> {
        crate::codec::encode_advisory(a)
    }

    /// Decodes a store record payload.
    pub fn decode_record(bytes: &[u8]) -> Result<Advisory, String> {
        crate::codec::decode_advisory(bytes).map_err(|e| e.0)
    }
}
