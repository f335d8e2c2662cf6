//! GGUF (ggml's model format, versions 1-3, either byte order) header reader.
//!
//! Only the header is read: metadata key-values and the tensor table, through a small buffered
//! reader over a [`Source`]. Tensor data is never touched; its layout is checked against the
//! file length by arithmetic, so a 50 GB model costs one header read and memory follows the
//! metadata size. Chat templates found in the metadata are handed to the template analyser.

use crate::source::Source;
use crate::template::analyse_template;
use vouch_report::rules::{GGUF_MALFORMED, TPL_MALFORMED};
use vouch_report::Finding;

/// Bounds on what a GGUF header may make the reader do.
#[derive(Debug, Clone)]
pub struct GgufLimits {
    pub max_kv: u64,
    pub max_tensors: u64,
    /// Longest string, in bytes.
    pub max_string: u64,
    /// Most elements in one metadata array.
    pub max_array: u64,
    /// Where the header (metadata + tensor table) must end.
    pub max_header_bytes: u64,
}

impl Default for GgufLimits {
    fn default() -> Self {
        GgufLimits { max_kv: 1 << 20, max_tensors: 1 << 20, max_string: 64 << 20, max_array: 64 << 20, max_header_bytes: 512 << 20 }
    }
}

/// A metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum GgufValue {
    U8(u8),
    I8(i8),
    U16(u16),
    I16(i16),
    U32(u32),
    I32(i32),
    F32(f32),
    Bool(bool),
    Str(String),
    /// The first [`ARRAY_KEEP`] elements of the array (the rest is read past, not kept).
    Array(Vec<GgufValue>),
    U64(u64),
    I64(i64),
    F64(f64),
}

impl GgufValue {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            GgufValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as an unsigned integer, for any integer type holding a non-negative value.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            GgufValue::U8(v) => Some(v.into()),
            GgufValue::U16(v) => Some(v.into()),
            GgufValue::U32(v) => Some(v.into()),
            GgufValue::U64(v) => Some(v),
            GgufValue::I8(v) => u64::try_from(v).ok(),
            GgufValue::I16(v) => u64::try_from(v).ok(),
            GgufValue::I32(v) => u64::try_from(v).ok(),
            GgufValue::I64(v) => u64::try_from(v).ok(),
            _ => None,
        }
    }

    fn type_name(&self) -> &'static str {
        match self {
            GgufValue::U8(_) => "uint8",
            GgufValue::I8(_) => "int8",
            GgufValue::U16(_) => "uint16",
            GgufValue::I16(_) => "int16",
            GgufValue::U32(_) => "uint32",
            GgufValue::I32(_) => "int32",
            GgufValue::F32(_) => "float32",
            GgufValue::Bool(_) => "bool",
            GgufValue::Str(_) => "string",
            GgufValue::Array(_) => "array",
            GgufValue::U64(_) => "uint64",
            GgufValue::I64(_) => "int64",
            GgufValue::F64(_) => "float64",
        }
    }
}

/// One entry of the tensor table. `offset` is relative to [`GgufInfo::data_offset`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GgufTensor {
    pub name: String,
    pub dims: Vec<u64>,
    pub ggml_type: u32,
    pub offset: u64,
}

/// What the header says.
#[derive(Debug, Clone)]
pub struct GgufInfo {
    pub version: u32,
    pub metadata: Vec<(String, GgufValue)>,
    pub tensors: Vec<GgufTensor>,
    pub alignment: u64,
    /// Absolute file offset where tensor data starts.
    pub data_offset: u64,
    /// Validation issues that did not stop reading.
    pub problems: Vec<String>,
}

impl GgufInfo {
    /// The first value stored under `key`.
    pub fn get(&self, key: &str) -> Option<&GgufValue> {
        self.metadata.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Elements kept per metadata array; longer arrays (vocabularies, merges, scores) are read past.
pub const ARRAY_KEEP: usize = 1 << 16;
/// Elements kept over all arrays of one file, so a header of many small arrays cannot turn one
/// byte on disk into one enum in memory millions of times over.
const ARRAY_KEEP_TOTAL: usize = 1 << 20;
/// Arrays of arrays are legal; deeper nesting than this is not something any writer produces.
const MAX_ARRAY_DEPTH: usize = 8;
/// ggml supports at most 4 dimensions; more than this is not a tensor table.
const MAX_DIMS: u32 = 16;
const MAX_PROBLEMS: usize = 100;
/// Strings under keys other than `tokenizer.chat_template*` are analysed up to this size.
const OTHER_TEMPLATE_MAX: usize = 1 << 20;
const DEFAULT_ALIGNMENT: u64 = 32;
const FIRST_CHUNK: usize = 4 << 10;
const MAX_CHUNK: usize = 1 << 20;

/// (block size in elements, bytes per block) of the ggml tensor types whose layout is known.
fn ggml_type_layout(t: u32) -> Option<(u64, u64)> {
    const QK_K: u64 = 256;
    Some(match t {
        0 => (1, 4),                                           // F32
        1 => (1, 2),                                           // F16
        2 => (32, 18),                                         // Q4_0
        3 => (32, 20),                                         // Q4_1
        6 => (32, 22),                                         // Q5_0
        7 => (32, 24),                                         // Q5_1
        8 => (32, 34),                                         // Q8_0
        9 => (32, 36),                                         // Q8_1
        10 => (QK_K, 2 + 2 + QK_K / 16 + QK_K / 4),            // Q2_K
        11 => (QK_K, 2 + QK_K / 4 + QK_K / 8 + 12),            // Q3_K
        12 => (QK_K, 2 + 2 + QK_K / 2 + 12),                   // Q4_K
        13 => (QK_K, 2 + 2 + QK_K / 2 + QK_K / 8 + 12),        // Q5_K
        14 => (QK_K, 2 + QK_K / 2 + QK_K / 4 + QK_K / 16),     // Q6_K
        15 => (QK_K, 4 + QK_K + QK_K / 8),                     // Q8_K
        16 => (QK_K, 2 + QK_K / 4),                            // IQ2_XXS
        17 => (QK_K, 2 + QK_K / 4 + QK_K / 32),                // IQ2_XS
        18 => (QK_K, 2 + QK_K / 4 + QK_K / 8),                 // IQ3_XXS
        19 => (QK_K, 2 + QK_K / 8 + QK_K / 16),                // IQ1_S
        20 => (32, 18),                                        // IQ4_NL
        21 => (QK_K, 2 + QK_K / 4 + QK_K / 8 + QK_K / 32 + 4), // IQ3_S
        22 => (QK_K, 2 + QK_K / 4 + QK_K / 16),                // IQ2_S
        23 => (QK_K, 2 + 2 + QK_K / 2 + QK_K / 64),            // IQ4_XS
        24 => (1, 1),                                          // I8
        25 => (1, 2),                                          // I16
        26 => (1, 4),                                          // I32
        27 => (1, 8),                                          // I64
        28 => (1, 8),                                          // F64
        29 => (QK_K, QK_K / 8 + QK_K / 16 + QK_K / 32),        // IQ1_M
        30 => (1, 2),                                          // BF16
        34 => (QK_K, 2 + 4 * 13),                              // TQ1_0
        35 => (QK_K, 2 + 64),                                  // TQ2_0
        39 => (32, 17),                                        // MXFP4
        _ => return None,
    })
}

/// Bytes of tensor data, when the type's layout is known: `Some(Err)` explains why the shape
/// does not fit the type.
fn tensor_bytes(t: &GgufTensor) -> Option<Result<u64, String>> {
    let (block, size) = ggml_type_layout(t.ggml_type)?;
    let Some(elements) = t.dims.iter().try_fold(1u64, |acc, &d| acc.checked_mul(d)) else {
        return Some(Err(format!("tensor `{}` has more elements than fit in 64 bits", shown(&t.name))));
    };
    let ne0 = t.dims.first().copied().unwrap_or(1);
    if ne0 % block != 0 {
        return Some(Err(format!(
            "tensor `{}`: first dimension {ne0} is not a multiple of the block size {block} of ggml type {}",
            shown(&t.name),
            t.ggml_type
        )));
    }
    Some(
        (elements / block)
            .checked_mul(size)
            .ok_or_else(|| format!("tensor `{}` has a data size that does not fit in 64 bits", shown(&t.name))),
    )
}

/// Reads a GGUF header through `src`. Structural failures (bad magic, truncation, a limit) are
/// errors; inconsistencies a loader might tolerate are listed in `problems`.
pub fn read_gguf(src: &dyn Source, limits: &GgufLimits) -> Result<GgufInfo, String> {
    let mut r = Reader::new(src, limits);
    let magic = r.bytes(4)?;
    if magic != b"GGUF" {
        return Err(format!("not a GGUF file: magic is {:02x?}", magic));
    }
    let raw_version = r.u32()?;
    // The magic is the same in both byte orders; a big-endian file shows in its version field.
    let version = if (1..=3).contains(&raw_version) {
        raw_version
    } else if (1..=3).contains(&raw_version.swap_bytes()) {
        r.big_endian = true;
        raw_version.swap_bytes()
    } else {
        return Err(format!("unsupported GGUF version {raw_version}"));
    };
    r.wide = version >= 2;
    let tensor_count = r.count()?;
    let kv_count = r.count()?;
    if tensor_count > limits.max_tensors {
        return Err(format!("header declares {tensor_count} tensors, more than the limit of {}", limits.max_tensors));
    }
    if kv_count > limits.max_kv {
        return Err(format!("header declares {kv_count} metadata entries, more than the limit of {}", limits.max_kv));
    }

    let mut problems = Vec::new();
    let note = |problems: &mut Vec<String>, p: String| {
        if problems.len() < MAX_PROBLEMS {
            problems.push(p);
        } else if problems.len() == MAX_PROBLEMS {
            problems.push("more problems were found and not listed".to_string());
        }
    };

    // Counts come from the file: capacity is never reserved from them.
    let mut metadata: Vec<(String, GgufValue)> = Vec::new();
    let mut keys = std::collections::HashSet::new();
    for i in 0..kv_count {
        let at = r.pos;
        let key = r.string().map_err(|e| format!("metadata entry {i}: key: {e}"))?;
        if key.is_empty() || !key.is_ascii() {
            note(&mut problems, format!("metadata key at offset {at} is {}", if key.is_empty() { "empty" } else { "not ASCII" }));
        }
        let value_type = r.u32()?;
        let value = r.value(value_type, 0).map_err(|e| format!("metadata `{}`: {e}", shown(&key)))?;
        for p in r.take_notes() {
            note(&mut problems, format!("metadata `{}`: {p}", shown(&key)));
        }
        if !keys.insert(key.clone()) {
            note(&mut problems, format!("metadata key `{}` appears more than once (loaders disagree on which one wins)", shown(&key)));
        }
        metadata.push((key, value));
    }

    let mut alignment = DEFAULT_ALIGNMENT;
    if let Some((_, v)) = metadata.iter().find(|(k, _)| k == "general.alignment") {
        match v.as_u64() {
            Some(a) if a > 0 && a.is_power_of_two() => {
                alignment = a;
                if !matches!(v, GgufValue::U32(_)) {
                    note(&mut problems, format!("general.alignment is {}, the specification requires uint32", v.type_name()));
                }
            }
            _ => note(&mut problems, format!("general.alignment {v:?} is not a power of two; the default {DEFAULT_ALIGNMENT} was assumed")),
        }
    }

    let mut tensors: Vec<GgufTensor> = Vec::new();
    let mut names = std::collections::HashSet::new();
    for i in 0..tensor_count {
        let name = r.string().map_err(|e| format!("tensor {i}: name: {e}"))?;
        for p in r.take_notes() {
            note(&mut problems, format!("tensor {i}: {p}"));
        }
        let n_dims = r.u32()?;
        if n_dims > MAX_DIMS {
            return Err(format!("tensor `{}` declares {n_dims} dimensions", shown(&name)));
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            dims.push(r.count()?);
        }
        let ggml_type = r.u32()?;
        let offset = r.u64()?;
        if name.len() > 64 {
            note(&mut problems, format!("tensor name `{}` is longer than 64 bytes", shown(&name)));
        }
        if n_dims > 4 {
            note(&mut problems, format!("tensor `{}` has {n_dims} dimensions; ggml supports at most 4", shown(&name)));
        }
        if !names.insert(name.clone()) {
            note(&mut problems, format!("tensor name `{}` appears more than once", shown(&name)));
        }
        tensors.push(GgufTensor { name, dims, ggml_type, offset });
    }

    let header_end = r.pos;
    let data_offset = header_end.div_ceil(alignment).checked_mul(alignment).ok_or("data offset overflows")?;
    let file_len = src.len();
    if !tensors.is_empty() && data_offset > file_len {
        note(&mut problems, format!("tensor data would start at offset {data_offset}, past the end of the {file_len}-byte file"));
    }
    let data_len = file_len.saturating_sub(data_offset);
    let mut extents = Vec::new();
    for t in &tensors {
        if t.offset % alignment != 0 {
            note(&mut problems, format!("tensor `{}` offset {} is not a multiple of the alignment {alignment}", shown(&t.name), t.offset));
        }
        match tensor_bytes(t) {
            None => {}
            Some(Err(e)) => note(&mut problems, e),
            Some(Ok(size)) => match t.offset.checked_add(size) {
                Some(end) if end <= data_len => extents.push((t.offset, end, &t.name)),
                _ => note(
                    &mut problems,
                    format!("tensor `{}` ({size} bytes at data offset {}) extends past the end of the file", shown(&t.name), t.offset),
                ),
            },
        }
    }
    extents.sort();
    for w in extents.windows(2) {
        if w[1].0 < w[0].1 {
            note(&mut problems, format!("tensors `{}` and `{}` overlap", shown(w[0].2), shown(w[1].2)));
        }
    }

    Ok(GgufInfo { version, metadata, tensors, alignment, data_offset, problems })
}

/// Keys and names are printed in messages; keep hostile ones short.
fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(100).flat_map(char::escape_debug).collect();
    if s.chars().count() > 100 {
        out.push('…');
    }
    out
}

/// Findings for a read GGUF header: `VCH-GGUF-001` for errors and problems, and the template
/// analysis of every chat template (and every other string value that looks like one).
pub fn findings(info_or_err: &Result<GgufInfo, String>) -> Vec<Finding> {
    let info = match info_or_err {
        Err(e) => return vec![Finding::new(&GGUF_MALFORMED, format!("GGUF header could not be read: {e}"))],
        Ok(info) => info,
    };
    let mut out: Vec<Finding> = info.problems.iter().map(|p| Finding::new(&GGUF_MALFORMED, p.clone())).collect();
    for (key, value) in &info.metadata {
        let GgufValue::Str(text) = value else { continue };
        let declared = key == "tokenizer.chat_template" || key.starts_with("tokenizer.chat_template.");
        if !declared && (text.len() > OTHER_TEMPLATE_MAX || (!text.contains("{%") && !text.contains("{{"))) {
            continue;
        }
        let mut found = analyse_template(text);
        // Other strings count only when they are templates: a description that mentions `{{`, or
        // an embedded tokenizer.json whose vocabulary holds "{{" and "__init__", does not parse,
        // and its token-level fallback findings would be noise.
        if !declared && found.iter().any(|f| f.rule.code == TPL_MALFORMED.code) {
            found.clear();
        }
        for mut f in found {
            f.message = format!("metadata `{}`: {}", shown(key), f.message);
            f.evidence = if f.evidence.is_empty() { shown(key) } else { format!("{}: {}", shown(key), f.evidence) };
            out.push(f);
        }
    }
    out
}

/// Sequential, buffered, bounded reading of the header.
struct Reader<'a> {
    src: &'a dyn Source,
    pos: u64,
    buf: Vec<u8>,
    buf_start: u64,
    chunk: usize,
    /// Reads may not go past this: the file end or the header limit.
    end: u64,
    header_limit: u64,
    max_string: u64,
    max_array: u64,
    big_endian: bool,
    /// GGUF v2+ uses 64-bit counts and lengths, v1 32-bit ones.
    wide: bool,
    kept: usize,
    notes: Vec<String>,
}

impl<'a> Reader<'a> {
    fn new(src: &'a dyn Source, limits: &GgufLimits) -> Self {
        Reader {
            src,
            pos: 0,
            buf: Vec::new(),
            buf_start: 0,
            chunk: FIRST_CHUNK,
            end: src.len().min(limits.max_header_bytes),
            header_limit: limits.max_header_bytes,
            max_string: limits.max_string,
            max_array: limits.max_array,
            big_endian: false,
            wide: true,
            kept: 0,
            notes: Vec::new(),
        }
    }

    fn take_notes(&mut self) -> Vec<String> {
        std::mem::take(&mut self.notes)
    }

    /// Fails unless `n` more bytes exist before the read bound.
    fn need(&self, n: u64) -> Result<(), String> {
        match self.pos.checked_add(n) {
            Some(e) if e <= self.end => Ok(()),
            _ if self.pos.saturating_add(n) > self.header_limit => {
                Err(format!("header is larger than the limit of {} bytes (at offset {})", self.header_limit, self.pos))
            }
            _ => Err(format!("file is truncated: {n} bytes needed at offset {}, file has {}", self.pos, self.src.len())),
        }
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        self.need(n)?;
        self.pos += n;
        Ok(())
    }

    fn bytes(&mut self, n: usize) -> Result<Vec<u8>, String> {
        self.need(n as u64)?;
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            let off = self.pos - self.buf_start;
            if self.pos < self.buf_start || off >= self.buf.len() as u64 {
                // Chunks grow so a small header costs one small read and a large one few reads.
                let want = (n - out.len()).max(self.chunk).min((self.end - self.pos) as usize);
                self.buf = self.src.read_vec(self.pos, want).map_err(|e| format!("read error at offset {}: {e}", self.pos))?;
                self.buf_start = self.pos;
                self.chunk = (self.chunk * 2).min(MAX_CHUNK);
                if self.buf.is_empty() {
                    return Err(format!("file is truncated at offset {}", self.pos));
                }
                continue;
            }
            let avail = &self.buf[off as usize..];
            let k = avail.len().min(n - out.len());
            out.extend_from_slice(&avail[..k]);
            self.pos += k as u64;
        }
        Ok(out)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let v = self.bytes(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(&v);
        if self.big_endian {
            a.reverse();
        }
        Ok(a)
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.array::<1>()?[0])
    }
    fn u16(&mut self) -> Result<u16, String> {
        Ok(u16::from_le_bytes(self.array()?))
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// A count or length: 32-bit in v1, 64-bit later.
    fn count(&mut self) -> Result<u64, String> {
        if self.wide {
            self.u64()
        } else {
            Ok(self.u32()?.into())
        }
    }

    fn string_len(&mut self) -> Result<u64, String> {
        let at = self.pos;
        let len = self.count()?;
        if len > self.max_string {
            return Err(format!("string of {len} bytes at offset {at} exceeds the limit of {}", self.max_string));
        }
        Ok(len)
    }

    fn string(&mut self) -> Result<String, String> {
        let len = self.string_len()?;
        let at = self.pos;
        let raw = self.bytes(len as usize)?;
        match String::from_utf8(raw) {
            Ok(s) => Ok(s),
            Err(e) => {
                self.notes.push(format!("string at offset {at} is not valid UTF-8"));
                Ok(String::from_utf8_lossy(e.as_bytes()).into_owned())
            }
        }
    }

    fn value(&mut self, value_type: u32, depth: usize) -> Result<GgufValue, String> {
        Ok(match value_type {
            0 => GgufValue::U8(self.u8()?),
            1 => GgufValue::I8(self.u8()? as i8),
            2 => GgufValue::U16(self.u16()?),
            3 => GgufValue::I16(self.u16()? as i16),
            4 => GgufValue::U32(self.u32()?),
            5 => GgufValue::I32(self.u32()? as i32),
            6 => GgufValue::F32(f32::from_bits(self.u32()?)),
            7 => {
                let at = self.pos;
                let b = self.u8()?;
                if b > 1 {
                    self.notes.push(format!("bool at offset {at} is {b}, neither 0 nor 1"));
                }
                GgufValue::Bool(b != 0)
            }
            8 => GgufValue::Str(self.string()?),
            9 => self.array_value(depth)?,
            10 => GgufValue::U64(self.u64()?),
            11 => GgufValue::I64(self.u64()? as i64),
            12 => GgufValue::F64(f64::from_bits(self.u64()?)),
            t => return Err(format!("unknown value type {t} at offset {}", self.pos.saturating_sub(4))),
        })
    }

    fn array_value(&mut self, depth: usize) -> Result<GgufValue, String> {
        if depth >= MAX_ARRAY_DEPTH {
            return Err(format!("arrays nested deeper than {MAX_ARRAY_DEPTH} at offset {}", self.pos));
        }
        let elem_type = self.u32()?;
        let at = self.pos;
        let len = self.count()?;
        if len > self.max_array {
            return Err(format!("array of {len} elements at offset {at} exceeds the limit of {}", self.max_array));
        }
        let fixed = match elem_type {
            0 | 1 | 7 => Some(1u64),
            2 | 3 => Some(2),
            4..=6 => Some(4),
            10..=12 => Some(8),
            8 | 9 => None,
            t => return Err(format!("unknown array element type {t} at offset {}", at.saturating_sub(4))),
        };
        if let Some(size) = fixed {
            // The whole array must fit before any of it is read.
            self.need(len.saturating_mul(size))?;
        }
        let keep = (len as usize).min(ARRAY_KEEP).min(ARRAY_KEEP_TOTAL.saturating_sub(self.kept));
        self.kept += keep;
        let mut items = Vec::with_capacity(keep.min(4096));
        for i in 0..len {
            if (i as usize) < keep {
                items.push(self.value(elem_type, depth + 1)?);
                continue;
            }
            match (fixed, elem_type) {
                (Some(size), _) => {
                    self.skip((len - i).saturating_mul(size))?;
                    break;
                }
                (None, 8) => {
                    let n = self.string_len()?;
                    self.skip(n)?;
                }
                _ => {
                    // A nested array past the kept part: read it (bounded by the bytes it
                    // occupies) and drop it.
                    self.array_value(depth + 1)?;
                }
            }
        }
        Ok(GgufValue::Array(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use vouch_report::rules::{TPL_DYNAMIC_NAME, TPL_SANDBOX_ESCAPE};
    use vouch_report::Verdict;

    /// Writes GGUF files for tests.
    struct Writer {
        version: u32,
        big_endian: bool,
        buf: Vec<u8>,
    }

    fn type_of(v: &GgufValue) -> u32 {
        match v {
            GgufValue::U8(_) => 0,
            GgufValue::I8(_) => 1,
            GgufValue::U16(_) => 2,
            GgufValue::I16(_) => 3,
            GgufValue::U32(_) => 4,
            GgufValue::I32(_) => 5,
            GgufValue::F32(_) => 6,
            GgufValue::Bool(_) => 7,
            GgufValue::Str(_) => 8,
            GgufValue::Array(_) => 9,
            GgufValue::U64(_) => 10,
            GgufValue::I64(_) => 11,
            GgufValue::F64(_) => 12,
        }
    }

    impl Writer {
        fn new(version: u32) -> Self {
            Writer { version, big_endian: false, buf: Vec::new() }
        }
        fn raw(&mut self, b: &[u8]) {
            self.buf.extend_from_slice(b);
        }
        fn num<const N: usize>(&mut self, mut le: [u8; N]) {
            if self.big_endian {
                le.reverse();
            }
            self.raw(&le);
        }
        fn u32(&mut self, v: u32) {
            self.num(v.to_le_bytes());
        }
        fn u64(&mut self, v: u64) {
            self.num(v.to_le_bytes());
        }
        fn count(&mut self, v: u64) {
            if self.version >= 2 {
                self.u64(v)
            } else {
                self.u32(v as u32)
            }
        }
        fn string(&mut self, s: &str) {
            self.count(s.len() as u64);
            self.raw(s.as_bytes());
        }
        fn value(&mut self, v: &GgufValue) {
            match v {
                GgufValue::U8(x) => self.raw(&[*x]),
                GgufValue::I8(x) => self.raw(&[*x as u8]),
                GgufValue::U16(x) => self.num(x.to_le_bytes()),
                GgufValue::I16(x) => self.num(x.to_le_bytes()),
                GgufValue::U32(x) => self.u32(*x),
                GgufValue::I32(x) => self.num(x.to_le_bytes()),
                GgufValue::F32(x) => self.num(x.to_le_bytes()),
                GgufValue::Bool(x) => self.raw(&[*x as u8]),
                GgufValue::Str(s) => self.string(s),
                GgufValue::Array(items) => {
                    self.u32(items.first().map(type_of).unwrap_or(0));
                    self.count(items.len() as u64);
                    for i in items {
                        self.value(i);
                    }
                }
                GgufValue::U64(x) => self.u64(*x),
                GgufValue::I64(x) => self.num(x.to_le_bytes()),
                GgufValue::F64(x) => self.num(x.to_le_bytes()),
            }
        }
        fn header(&mut self, tensors: u64, kvs: u64) {
            self.raw(b"GGUF");
            self.u32(self.version);
            self.count(tensors);
            self.count(kvs);
        }
        fn kv(&mut self, key: &str, v: &GgufValue) {
            self.string(key);
            self.u32(type_of(v));
            self.value(v);
        }
        fn tensor(&mut self, name: &str, dims: &[u64], ggml_type: u32, offset: u64) {
            self.string(name);
            self.u32(dims.len() as u32);
            for d in dims {
                self.count(*d);
            }
            self.u32(ggml_type);
            self.u64(offset);
        }
        fn pad_to(&mut self, alignment: usize) {
            while !self.buf.len().is_multiple_of(alignment) {
                self.buf.push(0);
            }
        }
    }

    const LLAMA3_TEMPLATE: &str = "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}";

    fn every_kind() -> Vec<(&'static str, GgufValue)> {
        use GgufValue::*;
        vec![
            ("general.architecture", Str("llama".into())),
            ("general.name", Str("tiny é".into())),
            ("general.quantization_version", U32(2)),
            ("test.u8", U8(250)),
            ("test.i8", I8(-5)),
            ("test.u16", U16(65000)),
            ("test.i16", I16(-30000)),
            ("test.i32", I32(-7)),
            ("test.f32", F32(1.5)),
            ("test.bool", Bool(true)),
            ("test.u64", U64(u64::MAX)),
            ("test.i64", I64(i64::MIN)),
            ("test.f64", F64(-0.25)),
            ("tokenizer.ggml.tokens", Array(vec![Str("<s>".into()), Str("{{".into()), Str("</s>".into())])),
            ("tokenizer.ggml.scores", Array(vec![F32(0.0), F32(-1.0), F32(-2.0)])),
            ("test.nested", Array(vec![Array(vec![I32(1), I32(2)]), Array(vec![]), Array(vec![I32(3)])])),
            ("test.empty", Array(vec![])),
            ("tokenizer.chat_template", Str(LLAMA3_TEMPLATE.into())),
        ]
    }

    /// A small but complete file: metadata, four tensors, data.
    fn build(version: u32, big_endian: bool, kvs: &[(&str, GgufValue)], alignment: usize) -> Vec<u8> {
        let mut w = Writer::new(version);
        w.big_endian = big_endian;
        let tensors: [(&str, Vec<u64>, u32, u64); 4] = [
            ("token_embd.weight", vec![64, 3], 0, 0),     // F32: 768 bytes
            ("blk.0.attn_q.weight", vec![64, 2], 2, 768), // Q4_0: 2 blocks * 2 rows * 18 = 72
            ("blk.0.ffn.weight", vec![256, 1], 12, 896),  // Q4_K: 144
            ("output_norm.weight", vec![64], 30, 1088),   // BF16: 128
        ];
        w.header(tensors.len() as u64, kvs.len() as u64);
        for (k, v) in kvs {
            w.kv(k, v);
        }
        for (n, d, t, o) in &tensors {
            w.tensor(n, d, *t, *o);
        }
        w.pad_to(alignment);
        w.buf.extend(std::iter::repeat_n(0u8, 1088 + 128));
        w.buf
    }

    #[test]
    fn reads_v2_and_v3_with_every_value_kind() {
        for version in [2, 3] {
            let kvs = every_kind();
            let file = build(version, false, &kvs, 32);
            let info = read_gguf(&file, &GgufLimits::default()).unwrap();
            assert_eq!(info.version, version);
            assert_eq!(info.metadata.len(), kvs.len());
            for ((k, v), (ek, ev)) in info.metadata.iter().zip(kvs.iter()) {
                assert_eq!(k, ek);
                assert_eq!(v, ev, "{k}");
            }
            assert_eq!(info.tensors.len(), 4);
            assert_eq!(info.tensors[1], GgufTensor { name: "blk.0.attn_q.weight".into(), dims: vec![64, 2], ggml_type: 2, offset: 768 });
            assert_eq!(info.alignment, 32);
            assert_eq!(info.data_offset % 32, 0);
            assert!(info.problems.is_empty(), "{:?}", info.problems);
            assert_eq!(info.get("general.architecture").and_then(GgufValue::as_str), Some("llama"));
            let f = findings(&Ok(info));
            assert!(f.is_empty(), "benign file has findings: {f:#?}");
        }
    }

    #[test]
    fn reads_v1_and_big_endian() {
        let kvs = every_kind();
        let v1 = build(1, false, &kvs, 32);
        let info = read_gguf(&v1, &GgufLimits::default()).unwrap();
        assert_eq!(info.version, 1);
        assert_eq!(info.metadata.len(), kvs.len());
        assert!(info.problems.is_empty(), "{:?}", info.problems);
        let be = build(3, true, &kvs, 32);
        let info = read_gguf(&be, &GgufLimits::default()).unwrap();
        assert_eq!(info.version, 3);
        assert_eq!(info.metadata.iter().find(|(k, _)| k == "test.i16").map(|(_, v)| v.clone()), Some(GgufValue::I16(-30000)));
        assert_eq!(info.tensors[0].dims, vec![64, 3]);
        assert!(info.problems.is_empty(), "{:?}", info.problems);
    }

    #[test]
    fn custom_alignment_moves_the_data_section() {
        let mut kvs = every_kind();
        kvs.push(("general.alignment", GgufValue::U32(64)));
        let file = build(3, false, &kvs, 64);
        let info = read_gguf(&file, &GgufLimits::default()).unwrap();
        assert_eq!(info.alignment, 64);
        assert_eq!(info.data_offset % 64, 0);
        assert!(info.problems.is_empty(), "{:?}", info.problems);
        let mut kvs = every_kind();
        kvs.push(("general.alignment", GgufValue::U32(48)));
        let info = read_gguf(&build(3, false, &kvs, 32), &GgufLimits::default()).unwrap();
        assert_eq!(info.alignment, 32);
        assert!(info.problems.iter().any(|p| p.contains("power of two")), "{:?}", info.problems);
    }

    #[test]
    fn malicious_templates_in_metadata_are_reported_with_their_key() {
        let mut kvs = every_kind();
        kvs.retain(|(k, _)| *k != "tokenizer.chat_template");
        kvs.push(("tokenizer.chat_template", GgufValue::Str("{% for c in [].__class__.__base__.__subclasses__() %}{% if c.__name__ == 'catch_warnings' %}{{ c()._module.__builtins__['__import__']('os').system('id') }}{% endif %}{% endfor %}".into())));
        kvs.push(("tokenizer.chat_template.tool_use", GgufValue::Str("{{ x|attr(name) }}".into())));
        kvs.push(("general.description", GgufValue::Str("ok {{ lipsum.__globals__ }}".into())));
        kvs.push(("general.notes", GgufValue::Str("use {{ like this".into())));
        kvs.push(("tokenizer.huggingface.json", GgufValue::Str(r#"{"model": {"vocab": {"{{": 1, "__init__": 2, "lipsum.": 3}}}"#.into())));
        let info = read_gguf(&build(3, false, &kvs, 32), &GgufLimits::default());
        let f = findings(&info);
        assert_eq!(Verdict::from_findings(&f), Verdict::Dangerous);
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code && f.message.contains("`tokenizer.chat_template`")), "{f:#?}");
        assert!(
            f.iter().any(|f| f.rule.code == TPL_DYNAMIC_NAME.code && f.evidence.starts_with("tokenizer.chat_template.tool_use")),
            "{f:#?}"
        );
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code && f.message.contains("general.description")), "{f:#?}");
        // Prose with `{{` is not reported as a broken template.
        assert!(!f.iter().any(|f| f.message.contains("general.notes")), "{f:#?}");
        assert!(!f.iter().any(|f| f.message.contains("tokenizer.huggingface.json")), "{f:#?}");
        // Token arrays holding "{{" are not templates.
        assert!(!f.iter().any(|f| f.message.contains("tokenizer.ggml.tokens")));
    }

    #[test]
    fn validation_problems_are_reported_not_fatal() {
        let mut w = Writer::new(3);
        w.header(6, 3);
        w.kv("general.architecture", &GgufValue::Str("llama".into()));
        w.kv("general.architecture", &GgufValue::Str("evil".into()));
        w.string("test.bool");
        w.u32(7);
        w.raw(&[2]);
        w.tensor("a", &[8], 0, 0);
        w.tensor("a", &[8], 0, 32); // duplicate name
        w.tensor("misaligned", &[8], 0, 40);
        w.tensor("past_end", &[1 << 20], 0, 64);
        w.tensor("bad_block", &[33], 2, 96); // Q4_0 rows must be multiples of 32
        w.tensor("overlaps_a", &[16], 0, 0);
        w.pad_to(32);
        w.raw(&[0u8; 160]);
        let info = read_gguf(&w.buf, &GgufLimits::default()).unwrap();
        let p = info.problems.join("\n");
        for needle in [
            "appears more than once",
            "neither 0 nor 1",
            "tensor name `a` appears more than once",
            "not a multiple of the alignment",
            "extends past the end",
            "block size",
            "overlap",
        ] {
            assert!(p.contains(needle), "missing `{needle}` in:\n{p}");
        }
        let f = findings(&Ok(info));
        assert!(f.iter().all(|f| f.rule.code == GGUF_MALFORMED.code));
        assert_eq!(Verdict::from_findings(&f), Verdict::Incomplete);
    }

    #[test]
    fn unknown_tensor_types_do_not_fail() {
        let mut w = Writer::new(3);
        w.header(1, 0);
        w.tensor("future", &[1_000_000_000, 1_000_000_000], 77, 0);
        w.pad_to(32);
        let info = read_gguf(&w.buf, &GgufLimits::default()).unwrap();
        assert!(info.problems.is_empty(), "{:?}", info.problems);
    }

    #[test]
    fn invalid_utf8_and_odd_keys_are_problems() {
        let mut w = Writer::new(3);
        w.header(0, 1);
        w.count(2);
        w.raw(&[0xff, 0xfe]);
        w.u32(8);
        w.count(1);
        w.raw(&[0xc3]);
        let info = read_gguf(&w.buf, &GgufLimits::default()).unwrap();
        assert!(info.problems.iter().any(|p| p.contains("not valid UTF-8")), "{:?}", info.problems);
        assert!(info.problems.iter().any(|p| p.contains("not ASCII")), "{:?}", info.problems);
    }

    fn err(file: &[u8]) -> String {
        match read_gguf(&file.to_vec(), &GgufLimits::default()) {
            Err(e) => e,
            Ok(i) => panic!("expected an error, got {i:?}"),
        }
    }

    #[test]
    fn not_gguf_or_bad_version() {
        assert!(err(b"").contains("truncated"));
        assert!(err(b"GGML\x03\0\0\0").contains("not a GGUF"));
        assert!(err(b"GGUF\x09\0\0\0").contains("version"));
    }

    #[test]
    fn every_truncation_of_the_header_is_an_error() {
        let file = build(3, false, &every_kind(), 32);
        let info = read_gguf(&file, &GgufLimits::default()).unwrap();
        for cut in 0..info.data_offset as usize {
            let r = read_gguf(&file[..cut].to_vec(), &GgufLimits::default());
            match r {
                Err(e) => assert!(e.contains("truncated") || e.contains("magic"), "{cut}: {e}"),
                // Cut inside the padding after the tensor table: the header is whole, the data is not.
                Ok(i) => assert!(cut as u64 >= i.data_offset - i.alignment && !i.problems.is_empty(), "{cut}: {i:?}"),
            }
        }
        // Cutting into tensor data keeps the header and reports the missing data.
        let r = read_gguf(&file[..file.len() - 10].to_vec(), &GgufLimits::default()).unwrap();
        assert!(r.problems.iter().any(|p| p.contains("extends past the end")), "{:?}", r.problems);
    }

    #[test]
    fn huge_counts_fail_without_allocating() {
        let big = |tensors: u64, kvs: u64| {
            let mut w = Writer::new(3);
            w.header(tensors, kvs);
            w.buf
        };
        assert!(err(&big(0, u64::MAX)).contains("limit"));
        assert!(err(&big(u64::MAX, 0)).contains("limit"));
        // Under the limits but absent from the file: the reader runs out of bytes, it does not
        // reserve a million entries.
        assert!(err(&big(0, 1 << 20)).contains("truncated"));
        assert!(err(&big(1 << 20, 0)).contains("truncated"));
        let with_kv = |f: &dyn Fn(&mut Writer)| {
            let mut w = Writer::new(3);
            w.header(0, 1);
            w.string("k");
            f(&mut w);
            w.buf
        };
        // Strings.
        assert!(err(&with_kv(&|w| {
            w.u32(8);
            w.u64(u64::MAX)
        }))
        .contains("limit"));
        assert!(err(&with_kv(&|w| {
            w.u32(8);
            w.u64(60 << 20)
        }))
        .contains("truncated"));
        // Arrays of fixed-size and of variable-size elements.
        assert!(err(&with_kv(&|w| {
            w.u32(9);
            w.u32(10);
            w.u64(1 << 40)
        }))
        .contains("limit"));
        assert!(err(&with_kv(&|w| {
            w.u32(9);
            w.u32(10);
            w.u64(60 << 20)
        }))
        .contains("truncated"));
        assert!(err(&with_kv(&|w| {
            w.u32(9);
            w.u32(8);
            w.u64(60 << 20)
        }))
        .contains("truncated"));
        // Deeply nested arrays.
        assert!(err(&with_kv(&|w| {
            w.u32(9);
            for _ in 0..100 {
                w.u32(9);
                w.u64(1);
            }
        }))
        .contains("nested"));
        // Unknown value types.
        assert!(err(&with_kv(&|w| w.u32(13))).contains("unknown value type"));
        // Tensor dimensions.
        let mut w = Writer::new(3);
        w.header(1, 0);
        w.string("t");
        w.u32(u32::MAX);
        assert!(err(&w.buf).contains("dimensions"));
    }

    #[test]
    fn limits_are_honoured() {
        let file = build(3, false, &every_kind(), 32);
        let tight = GgufLimits { max_header_bytes: 100, ..GgufLimits::default() };
        assert!(read_gguf(&file, &tight).unwrap_err().contains("limit"));
        let tight = GgufLimits { max_string: 10, ..GgufLimits::default() };
        assert!(read_gguf(&file, &tight).unwrap_err().contains("limit"));
        let tight = GgufLimits { max_array: 2, ..GgufLimits::default() };
        assert!(read_gguf(&file, &tight).unwrap_err().contains("limit"));
        let tight = GgufLimits { max_kv: 2, ..GgufLimits::default() };
        assert!(read_gguf(&file, &tight).unwrap_err().contains("limit"));
        let tight = GgufLimits { max_tensors: 2, ..GgufLimits::default() };
        assert!(read_gguf(&file, &tight).unwrap_err().contains("limit"));
    }

    #[test]
    fn long_arrays_are_read_past_not_kept() {
        let n = ARRAY_KEEP + 1000;
        let mut w = Writer::new(3);
        w.header(0, 3);
        w.kv("tokenizer.ggml.tokens", &GgufValue::Array((0..n).map(|i| GgufValue::Str(format!("t{i}"))).collect()));
        w.kv("tokenizer.ggml.scores", &GgufValue::Array((0..n).map(|i| GgufValue::F32(i as f32)).collect()));
        w.kv("after", &GgufValue::U8(7));
        let info = read_gguf(&w.buf, &GgufLimits::default()).unwrap();
        match info.get("tokenizer.ggml.tokens") {
            Some(GgufValue::Array(items)) => {
                assert_eq!(items.len(), ARRAY_KEEP);
                assert_eq!(items[5], GgufValue::Str("t5".into()));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(info.get("after"), Some(&GgufValue::U8(7)));
    }

    /// Reports 10 GB but holds only the header; every read is counted and none may reach past
    /// the header's neighbourhood.
    struct TenGigabytes {
        header: Vec<u8>,
        read: AtomicU64,
        furthest: AtomicU64,
    }

    impl Source for TenGigabytes {
        fn len(&self) -> u64 {
            10 << 30
        }
        fn read_at(&self, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
            let end = offset + buf.len() as u64;
            self.furthest.fetch_max(end, Ordering::Relaxed);
            self.read.fetch_add(buf.len() as u64, Ordering::Relaxed);
            for (i, b) in buf.iter_mut().enumerate() {
                *b = self.header.get(offset as usize + i).copied().unwrap_or(0);
            }
            Ok(buf.len())
        }
    }

    #[test]
    fn ten_gigabyte_file_costs_one_header_read() {
        let mut w = Writer::new(3);
        let layers = 200u64;
        let row = 4096u64;
        w.header(layers, 2);
        w.kv("general.architecture", &GgufValue::Str("llama".into()));
        w.kv("tokenizer.chat_template", &GgufValue::Str(LLAMA3_TEMPLATE.into()));
        // 200 Q8_0 tensors of 4096 x 4096 (17 MiB each) laid out across the reported 10 GB.
        let size = row * row / 32 * 34;
        for i in 0..layers {
            w.tensor(&format!("blk.{i}.weight"), &[row, row], 8, i * size.div_ceil(32) * 32);
        }
        w.pad_to(32);
        let header_len = w.buf.len() as u64;
        let src = TenGigabytes { header: w.buf, read: AtomicU64::new(0), furthest: AtomicU64::new(0) };
        let info = read_gguf(&src, &GgufLimits::default()).unwrap();
        assert_eq!(info.tensors.len(), layers as usize);
        assert!(info.problems.is_empty(), "{:?}", info.problems);
        assert!(findings(&Ok(info)).is_empty());
        let read = src.read.load(Ordering::Relaxed);
        let furthest = src.furthest.load(Ordering::Relaxed);
        assert!(read <= 2 * header_len + FIRST_CHUNK as u64, "read {read} bytes for a {header_len}-byte header");
        assert!(furthest <= 2 * header_len + FIRST_CHUNK as u64, "read up to offset {furthest}");
    }

    // --- robustness -----------------------------------------------------------------------------

    use crate::testutil::Rng;

    #[test]
    fn random_mutations_never_panic() {
        let mut seeds = vec![
            build(3, false, &every_kind(), 32),
            build(2, false, &every_kind(), 32),
            build(1, false, &every_kind(), 32),
            build(3, true, &every_kind(), 32),
        ];
        let mut kvs = every_kind();
        kvs.push(("tokenizer.chat_template.evil", GgufValue::Str("{{ cycler.__init__.__globals__.os.popen('id') }}".into())));
        seeds.push(build(3, false, &kvs, 32));
        let interesting: [&[u8]; 6] = [
            &[0xff; 8],
            &[0; 8],
            &[0x09, 0, 0, 0],
            &[0x08, 0, 0, 0],
            &[0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
            &[0x40, 0, 0, 0, 0, 0, 0, 0],
        ];
        let limits = GgufLimits::default();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let start = std::time::Instant::now();
        for _ in 0..20_000 {
            let mut f = seeds[rng.below(seeds.len())].clone();
            for _ in 0..1 + rng.below(4) {
                if f.is_empty() {
                    break;
                }
                let at = rng.below(f.len());
                match rng.below(4) {
                    0 => f[at] ^= 1 << rng.below(8),
                    1 => {
                        let pat = interesting[rng.below(interesting.len())];
                        for (i, b) in pat.iter().enumerate() {
                            if let Some(x) = f.get_mut(at + i) {
                                *x = *b;
                            }
                        }
                    }
                    2 => f.truncate(at),
                    _ => f[at] = rng.next() as u8,
                }
            }
            let r = read_gguf(&f, &limits);
            let _ = findings(&r);
        }
        assert!(start.elapsed().as_secs() < 120);
    }
}
