//! The OSV model (schema 1.x) and its lenient readers.
//!
//! Reading goes through a generic JSON value first, then walks it by hand: a field of the wrong
//! shape is dropped and counted in [`Leniency`] instead of failing the whole document, which is
//! what a typed `#[derive(Deserialize)]` would do.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use vouch_pkg::Ecosystem;

use crate::{Limits, OsvError};

/// One OSV advisory, as read. Field names follow the OSV schema.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Advisory {
    /// The advisory id (`GHSA-...`, `PYSEC-...`, `RUSTSEC-...`, `GO-...`).
    pub id: String,
    /// Last modification time (RFC 3339), as written.
    pub modified: Option<String>,
    /// Publication time (RFC 3339), as written.
    pub published: Option<String>,
    /// Withdrawal time (RFC 3339): set when the advisory was retracted.
    pub withdrawn: Option<String>,
    /// Other ids of the same vulnerability (`CVE-...`, `GHSA-...`).
    pub aliases: Vec<String>,
    /// Ids of related but distinct vulnerabilities.
    pub related: Vec<String>,
    /// One-line summary.
    pub summary: Option<String>,
    /// Long description (Markdown).
    pub details: Option<String>,
    /// Severity scores of the whole advisory.
    pub severity: Vec<Severity>,
    /// Affected packages with their ranges and versions.
    pub affected: Vec<Affected>,
    /// Links.
    pub references: Vec<Reference>,
    /// Database-specific data, kept as JSON.
    pub database_specific: Option<Value>,
}

impl Advisory {
    /// Whether the advisory was withdrawn by its database.
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn.is_some()
    }
}

/// A severity score (`type` in OSV).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Severity {
    /// `CVSS_V2`, `CVSS_V3`, `CVSS_V4`, `Ubuntu`, ... as written.
    pub kind: String,
    /// The score or vector string.
    pub score: String,
}

/// One `affected[]` entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Affected {
    /// The package; `None` for entries that only carry (usually `GIT`) ranges.
    pub package: Option<Package>,
    /// Version ranges.
    pub ranges: Vec<Range>,
    /// Explicitly enumerated affected versions.
    pub versions: Vec<String>,
    /// Per-package severity (OSV 1.5+).
    pub severity: Vec<Severity>,
    /// Ecosystem-specific data, kept as JSON.
    pub ecosystem_specific: Option<Value>,
    /// Database-specific data, kept as JSON.
    pub database_specific: Option<Value>,
}

/// A package named by an advisory.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Package {
    /// The ecosystem as written, release included (`Debian:12`); see [`vouch_pkg::Ecosystem::parse`].
    pub ecosystem: String,
    /// The package name as written (not normalised).
    pub name: String,
    /// The package URL, when the advisory gives one.
    pub purl: Option<String>,
}

impl Package {
    /// The parsed ecosystem (release suffix dropped).
    pub fn ecosystem(&self) -> Ecosystem {
        Ecosystem::parse(&self.ecosystem)
    }
}

/// A version range: an ordered list of events interpreted in the ordering of `kind`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    /// How versions compare.
    pub kind: RangeKind,
    /// The repository of a `GIT` range.
    pub repo: Option<String>,
    /// Events, in the order written.
    pub events: Vec<Event>,
}

/// The type of a range.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RangeKind {
    /// `SEMVER`: SemVer 2.0 ordering.
    Semver,
    /// `ECOSYSTEM`: the ecosystem's own ordering.
    Ecosystem,
    /// `GIT`: commit hashes.
    Git,
    /// Any other type, as written (empty when the range had no type).
    Other(String),
}

impl RangeKind {
    /// Parses an OSV range `type`.
    pub fn parse(s: &str) -> RangeKind {
        match s {
            "SEMVER" => RangeKind::Semver,
            "ECOSYSTEM" => RangeKind::Ecosystem,
            "GIT" => RangeKind::Git,
            other => RangeKind::Other(other.to_string()),
        }
    }

    /// The OSV spelling.
    pub fn as_str(&self) -> &str {
        match self {
            RangeKind::Semver => "SEMVER",
            RangeKind::Ecosystem => "ECOSYSTEM",
            RangeKind::Git => "GIT",
            RangeKind::Other(s) => s,
        }
    }
}

/// A range event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// `introduced`: versions from here on are affected (`"0"`: from the start).
    Introduced(String),
    /// `fixed`: versions from here on are not affected.
    Fixed(String),
    /// `last_affected`: versions after this one are not affected.
    LastAffected(String),
    /// `limit`: an upper bound on the range (used by `GIT` ranges).
    Limit(String),
}

impl Event {
    /// The version or commit the event names.
    pub fn value(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    /// The OSV key (`introduced`, `fixed`, `last_affected`, `limit`).
    pub fn key(&self) -> &'static str {
        match self {
            Event::Introduced(_) => "introduced",
            Event::Fixed(_) => "fixed",
            Event::LastAffected(_) => "last_affected",
            Event::Limit(_) => "limit",
        }
    }
}

/// A reference link.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Reference {
    /// `ADVISORY`, `WEB`, `FIX`, `PACKAGE`, ... as written (empty if missing).
    pub kind: String,
    /// The URL.
    pub url: String,
}

/// How many reasons [`Leniency::notes`] keeps; counts go on past it.
pub const MAX_NOTES: usize = 64;

/// What a lenient read skipped or kept as unknown. Counts are exact; `notes` keeps the first
/// [`MAX_NOTES`] short reasons.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Leniency {
    /// Ranges whose `type` is not `SEMVER`, `ECOSYSTEM` or `GIT` (kept as [`RangeKind::Other`]).
    pub unknown_range_types: usize,
    /// Ranges without any usable event (skipped).
    pub empty_ranges: usize,
    /// Events with no known key or a non-string value (skipped).
    pub unknown_events: usize,
    /// Events with several keys (kept, split into one event per key, in the order
    /// introduced, fixed, last_affected, limit).
    pub multi_key_events: usize,
    /// `affected` entries without a usable package (kept when they have ranges or versions).
    pub affected_without_package: usize,
    /// `affected` entries that are not objects or carry nothing (skipped).
    pub malformed_affected: usize,
    /// Packages whose ecosystem vouch does not know (kept as [`vouch_pkg::Ecosystem::Other`]).
    pub unknown_ecosystems: usize,
    /// Other fields of the wrong shape (dropped), e.g. a severity without `score`.
    pub malformed_fields: usize,
    /// Numbers or booleans where OSV wants strings (kept as their text).
    pub coerced_values: usize,
    /// The first reasons, one short line each.
    pub notes: Vec<String>,
}

/// Which counter a leniency note increments.
#[derive(Clone, Copy)]
enum Lenient {
    UnknownRangeType,
    EmptyRange,
    UnknownEvent,
    MultiKeyEvent,
    AffectedWithoutPackage,
    MalformedAffected,
    UnknownEcosystem,
    MalformedField,
    Coerced,
}

impl Leniency {
    /// Total number of lenient decisions.
    pub fn total(&self) -> usize {
        self.unknown_range_types
            + self.empty_ranges
            + self.unknown_events
            + self.multi_key_events
            + self.affected_without_package
            + self.malformed_affected
            + self.unknown_ecosystems
            + self.malformed_fields
            + self.coerced_values
    }

    /// Whether the document was read without any lenient decision.
    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    /// Adds another document's counts (and notes, prefixed with `context`, up to [`MAX_NOTES`]).
    pub fn absorb(&mut self, other: &Leniency, context: &str) {
        self.unknown_range_types += other.unknown_range_types;
        self.empty_ranges += other.empty_ranges;
        self.unknown_events += other.unknown_events;
        self.multi_key_events += other.multi_key_events;
        self.affected_without_package += other.affected_without_package;
        self.malformed_affected += other.malformed_affected;
        self.unknown_ecosystems += other.unknown_ecosystems;
        self.malformed_fields += other.malformed_fields;
        self.coerced_values += other.coerced_values;
        for n in &other.notes {
            if self.notes.len() >= MAX_NOTES {
                break;
            }
            self.notes.push(if context.is_empty() { n.clone() } else { format!("{context}: {n}") });
        }
    }

    fn note(&mut self, what: Lenient, reason: impl FnOnce() -> String) {
        let counter = match what {
            Lenient::UnknownRangeType => &mut self.unknown_range_types,
            Lenient::EmptyRange => &mut self.empty_ranges,
            Lenient::UnknownEvent => &mut self.unknown_events,
            Lenient::MultiKeyEvent => &mut self.multi_key_events,
            Lenient::AffectedWithoutPackage => &mut self.affected_without_package,
            Lenient::MalformedAffected => &mut self.malformed_affected,
            Lenient::UnknownEcosystem => &mut self.unknown_ecosystems,
            Lenient::MalformedField => &mut self.malformed_fields,
            Lenient::Coerced => &mut self.coerced_values,
        };
        *counter += 1;
        if self.notes.len() < MAX_NOTES {
            self.notes.push(reason());
        }
    }
}

/// Reads an OSV advisory from JSON, leniently (see [`Leniency`]), with default [`Limits`].
pub fn parse_json(bytes: &[u8]) -> Result<(Advisory, Leniency), OsvError> {
    parse_json_with(bytes, &Limits::default())
}

/// Reads an OSV advisory from YAML (the PyPA advisory-database format), leniently, with
/// default [`Limits`].
pub fn parse_yaml(bytes: &[u8]) -> Result<(Advisory, Leniency), OsvError> {
    parse_yaml_with(bytes, &Limits::default())
}

/// Reads an OSV advisory from JSON or YAML, chosen by content: a document whose first
/// non-blank byte is `{` is JSON, anything else YAML.
pub fn parse(bytes: &[u8]) -> Result<(Advisory, Leniency), OsvError> {
    parse_with(bytes, &Limits::default())
}

/// [`parse`] with explicit limits.
pub fn parse_with(bytes: &[u8], limits: &Limits) -> Result<(Advisory, Leniency), OsvError> {
    let body = strip_bom(bytes);
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => parse_json_with(bytes, limits),
        _ => parse_yaml_with(bytes, limits),
    }
}

/// [`parse_json`] with explicit limits.
pub fn parse_json_with(bytes: &[u8], limits: &Limits) -> Result<(Advisory, Leniency), OsvError> {
    check_size(bytes, limits)?;
    let value: Value = serde_json::from_slice(strip_bom(bytes)).map_err(|e| OsvError::Syntax { format: "JSON", reason: e.to_string() })?;
    from_value(&value)
}

/// [`parse_yaml`] with explicit limits.
pub fn parse_yaml_with(bytes: &[u8], limits: &Limits) -> Result<(Advisory, Leniency), OsvError> {
    check_size(bytes, limits)?;
    let body = strip_bom(bytes);
    let mut value: Value = serde_yaml_ng::from_slice(body).map_err(|e| OsvError::Syntax { format: "YAML", reason: e.to_string() })?;
    restore_yaml_versions(body, &mut value);
    from_value(&value)
}

/// A YAML scalar as written: `1.10` stays `"1.10"` instead of becoming the float 1.1.
struct RawText(String);

impl<'de> Deserialize<'de> for RawText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawText, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RawText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E>(self, v: &str) -> Result<RawText, E> {
                Ok(RawText(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawText, E> {
                Ok(RawText(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawText, E> {
                Ok(RawText(v.to_string()))
            }
        }
        // Asking for a string makes the YAML reader hand over a plain scalar's text untouched.
        d.deserialize_str(V)
    }
}

#[derive(Deserialize)]
struct YamlVersions {
    #[serde(default)]
    affected: Vec<YamlAffected>,
}

#[derive(Deserialize)]
struct YamlAffected {
    #[serde(default)]
    ranges: Vec<YamlRange>,
    #[serde(default)]
    versions: Vec<Option<RawText>>,
}

#[derive(Deserialize)]
struct YamlRange {
    #[serde(default)]
    events: Vec<std::collections::BTreeMap<String, Option<RawText>>>,
}

/// Puts back the text of unquoted versions that YAML read as numbers (`fixed: 1.10`), when the
/// document has the usual shape; otherwise the numbers stay and are counted as coerced.
fn restore_yaml_versions(body: &[u8], value: &mut Value) {
    let Ok(raw) = serde_yaml_ng::from_slice::<YamlVersions>(body) else { return };
    let Some(affected) = value.get_mut("affected").and_then(Value::as_array_mut) else { return };
    let restore = |slot: Option<&mut Value>, text: &Option<RawText>| {
        if let (Some(slot), Some(RawText(t))) = (slot, text) {
            if slot.is_number() {
                *slot = Value::String(t.clone());
            }
        }
    };
    for (af, raw_af) in affected.iter_mut().zip(&raw.affected) {
        if let Some(versions) = af.get_mut("versions").and_then(Value::as_array_mut) {
            for (v, t) in versions.iter_mut().zip(&raw_af.versions) {
                restore(Some(v), t);
            }
        }
        let Some(ranges) = af.get_mut("ranges").and_then(Value::as_array_mut) else { continue };
        for (r, raw_r) in ranges.iter_mut().zip(&raw_af.ranges) {
            let Some(events) = r.get_mut("events").and_then(Value::as_array_mut) else { continue };
            for (e, raw_e) in events.iter_mut().zip(&raw_r.events) {
                for (k, t) in raw_e {
                    restore(e.get_mut(k.as_str()), t);
                }
            }
        }
    }
}

fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), OsvError> {
    if bytes.len() as u64 > limits.max_document_bytes {
        return Err(OsvError::TooLarge { size: bytes.len() as u64, limit: limits.max_document_bytes });
    }
    Ok(())
}

fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Reads an advisory from an already parsed JSON value (the common path of both formats).
pub fn from_value(value: &Value) -> Result<(Advisory, Leniency), OsvError> {
    let obj = value.as_object().ok_or_else(|| OsvError::NotOsv(format!("the document is {}, not an OSV object", kind_of(value))))?;
    let id = match obj.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(other) => return Err(OsvError::NotOsv(format!("`id` is {}, not a non-empty string", kind_of(other)))),
        None => return Err(OsvError::NotOsv("the object has no `id` field".to_string())),
    };
    let mut len = Leniency::default();
    let l = &mut len;
    let advisory = Advisory {
        modified: opt_string(obj, "modified", l),
        published: opt_string(obj, "published", l),
        withdrawn: opt_string(obj, "withdrawn", l),
        aliases: string_list(obj, "aliases", l),
        related: string_list(obj, "related", l),
        summary: opt_string(obj, "summary", l),
        details: opt_string(obj, "details", l),
        severity: severities(obj, "severity", l),
        affected: affected_list(obj, l),
        references: references(obj, l),
        database_specific: opt_json(obj, "database_specific"),
        id,
    };
    Ok((advisory, len))
}

/// A string as OSV wants it, accepting numbers and booleans as their text.
fn as_text(v: &Value, what: &str, l: &mut Leniency) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => {
            // An unquoted YAML `1.10` arrives here as the float 1.1: the text cannot be recovered,
            // so the note says so.
            let lossy = if n.is_f64() { "; an unquoted decimal may have lost trailing zeros" } else { "" };
            l.note(Lenient::Coerced, || format!("{what} is a number ({n}), kept as text{lossy}"));
            Some(n.to_string())
        }
        Value::Bool(b) => {
            l.note(Lenient::Coerced, || format!("{what} is a boolean ({b}), kept as text"));
            Some(b.to_string())
        }
        _ => None,
    }
}

fn opt_string(obj: &Map<String, Value>, key: &str, l: &mut Leniency) -> Option<String> {
    match obj.get(key) {
        None | Some(Value::Null) => None,
        Some(v) => {
            let s = as_text(v, key, l);
            if s.is_none() {
                l.note(Lenient::MalformedField, || format!("`{key}` is {}, dropped", kind_of(v)));
            }
            s
        }
    }
}

fn opt_json(obj: &Map<String, Value>, key: &str) -> Option<Value> {
    obj.get(key).filter(|v| !v.is_null()).cloned()
}

fn list<'a>(obj: &'a Map<String, Value>, key: &str, l: &mut Leniency) -> &'a [Value] {
    match obj.get(key) {
        None | Some(Value::Null) => &[],
        Some(Value::Array(items)) => items,
        Some(v) => {
            l.note(Lenient::MalformedField, || format!("`{key}` is {}, not a list; dropped", kind_of(v)));
            &[]
        }
    }
}

fn string_list(obj: &Map<String, Value>, key: &str, l: &mut Leniency) -> Vec<String> {
    if let Some(Value::String(s)) = obj.get(key) {
        l.note(Lenient::Coerced, || format!("`{key}` is a single string, read as a list of one"));
        return vec![s.clone()];
    }
    let mut out = Vec::new();
    for item in list(obj, key, l) {
        match as_text(item, key, l) {
            Some(s) => out.push(s),
            None => l.note(Lenient::MalformedField, || format!("an item of `{key}` is {}, dropped", kind_of(item))),
        }
    }
    out
}

fn severities(obj: &Map<String, Value>, key: &str, l: &mut Leniency) -> Vec<Severity> {
    let mut out = Vec::new();
    for item in list(obj, key, l) {
        let fields = item.as_object();
        let kind = fields.and_then(|o| o.get("type")).and_then(|v| as_text(v, "severity type", l));
        let score = fields.and_then(|o| o.get("score")).and_then(|v| as_text(v, "severity score", l));
        match (kind, score) {
            (Some(kind), Some(score)) => out.push(Severity { kind, score }),
            _ => l.note(Lenient::MalformedField, || "a severity without `type` and `score` strings, dropped".to_string()),
        }
    }
    out
}

fn references(obj: &Map<String, Value>, l: &mut Leniency) -> Vec<Reference> {
    let mut out = Vec::new();
    for item in list(obj, "references", l) {
        let fields = item.as_object();
        let url = fields.and_then(|o| o.get("url")).and_then(Value::as_str);
        let Some(url) = url else {
            l.note(Lenient::MalformedField, || "a reference without a `url` string, dropped".to_string());
            continue;
        };
        let kind = fields.and_then(|o| o.get("type")).and_then(Value::as_str).unwrap_or_default();
        out.push(Reference { kind: kind.to_string(), url: url.to_string() });
    }
    out
}

fn affected_list(obj: &Map<String, Value>, l: &mut Leniency) -> Vec<Affected> {
    let mut out = Vec::new();
    for (i, item) in list(obj, "affected", l).iter().enumerate() {
        let Some(entry) = item.as_object() else {
            l.note(Lenient::MalformedAffected, || format!("affected[{i}] is {}, skipped", kind_of(item)));
            continue;
        };
        let package = package(entry, i, l);
        let ranges = ranges(entry, i, l);
        let versions = string_list(entry, "versions", l);
        if package.is_none() && ranges.is_empty() && versions.is_empty() {
            l.note(Lenient::MalformedAffected, || format!("affected[{i}] names no package, range or version; skipped"));
            continue;
        }
        if package.is_none() {
            l.note(Lenient::AffectedWithoutPackage, || format!("affected[{i}] has no package; kept for its ranges"));
        }
        out.push(Affected {
            package,
            ranges,
            versions,
            severity: severities(entry, "severity", l),
            ecosystem_specific: opt_json(entry, "ecosystem_specific"),
            database_specific: opt_json(entry, "database_specific"),
        });
    }
    out
}

fn package(entry: &Map<String, Value>, i: usize, l: &mut Leniency) -> Option<Package> {
    let pkg = match entry.get("package") {
        None | Some(Value::Null) => return None,
        Some(Value::Object(p)) => p,
        Some(v) => {
            l.note(Lenient::MalformedField, || format!("affected[{i}].package is {}, dropped", kind_of(v)));
            return None;
        }
    };
    let ecosystem = pkg.get("ecosystem").and_then(|v| as_text(v, "package ecosystem", l));
    let name = pkg.get("name").and_then(|v| as_text(v, "package name", l));
    let (Some(ecosystem), Some(name)) = (ecosystem, name) else {
        l.note(Lenient::MalformedField, || format!("affected[{i}].package lacks an `ecosystem` or `name` string, dropped"));
        return None;
    };
    if let Ecosystem::Other(e) = Ecosystem::parse(&ecosystem) {
        l.note(Lenient::UnknownEcosystem, || format!("unknown ecosystem {e:?}, kept"));
    }
    let purl = pkg.get("purl").and_then(Value::as_str).map(str::to_string);
    Some(Package { ecosystem, name, purl })
}

fn ranges(entry: &Map<String, Value>, i: usize, l: &mut Leniency) -> Vec<Range> {
    let mut out = Vec::new();
    for (j, item) in list(entry, "ranges", l).iter().enumerate() {
        let Some(range) = item.as_object() else {
            l.note(Lenient::EmptyRange, || format!("affected[{i}].ranges[{j}] is {}, skipped", kind_of(item)));
            continue;
        };
        let kind = match range.get("type").and_then(Value::as_str) {
            Some(t) => RangeKind::parse(t),
            None => RangeKind::Other(String::new()),
        };
        if let RangeKind::Other(t) = &kind {
            l.note(Lenient::UnknownRangeType, || format!("affected[{i}].ranges[{j}] has unknown type {t:?}, kept"));
        }
        let mut events = Vec::new();
        let raw = match range.get("events") {
            Some(Value::Array(items)) => items.as_slice(),
            _ => &[],
        };
        for (k, ev) in raw.iter().enumerate() {
            let Some(fields) = ev.as_object() else {
                l.note(Lenient::UnknownEvent, || format!("affected[{i}].ranges[{j}].events[{k}] is {}, skipped", kind_of(ev)));
                continue;
            };
            let before = events.len();
            for key in ["introduced", "fixed", "last_affected", "limit"] {
                let Some(v) = fields.get(key) else { continue };
                let Some(text) = as_text(v, key, l) else { continue };
                events.push(match key {
                    "introduced" => Event::Introduced(text),
                    "fixed" => Event::Fixed(text),
                    "last_affected" => Event::LastAffected(text),
                    _ => Event::Limit(text),
                });
            }
            match events.len() - before {
                0 => l.note(Lenient::UnknownEvent, || format!("affected[{i}].ranges[{j}].events[{k}] has no known event, skipped")),
                1 => {}
                n => l.note(Lenient::MultiKeyEvent, || format!("affected[{i}].ranges[{j}].events[{k}] has {n} keys, split")),
            }
        }
        if events.is_empty() {
            l.note(Lenient::EmptyRange, || format!("affected[{i}].ranges[{j}] has no usable event, skipped"));
            continue;
        }
        let repo = range.get("repo").and_then(Value::as_str).map(str::to_string);
        out.push(Range { kind, repo, events });
    }
    out
}
