//! Header-only readers: safetensors, GGUF (through `vouch-scan`), ONNX (top-level `ModelProto`
//! fields only, so initializer data inside the graph is skipped by seeking, never read).

use crate::record::{GgufInfo, OnnxInfo};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek};
use std::path::Path;

/// The safetensors reference implementation refuses headers over 100 MB.
pub(crate) const MAX_SAFETENSORS_HEADER: u64 = 100_000_000;

/// Parameters per dtype of one safetensors file, from its header.
pub(crate) fn safetensors_dtypes(path: &Path) -> Result<BTreeMap<String, u64>, String> {
    let mut f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let len = f.metadata().map_err(|e| format!("cannot stat: {e}"))?.len();
    if len < 8 {
        return Err(format!("safetensors file of {len} bytes is shorter than its 8-byte header length"));
    }
    let mut prefix = [0u8; 8];
    f.read_exact(&mut prefix).map_err(|e| format!("cannot read the header length: {e}"))?;
    let n = u64::from_le_bytes(prefix);
    if n > MAX_SAFETENSORS_HEADER {
        return Err(format!("safetensors header length {n} is over the {MAX_SAFETENSORS_HEADER}-byte limit"));
    }
    if n > len - 8 {
        return Err(format!("safetensors header is truncated: {n} bytes declared, {} present", len - 8));
    }
    let mut header = Vec::new();
    (&mut f).take(n).read_to_end(&mut header).map_err(|e| format!("cannot read the header: {e}"))?;
    if header.len() as u64 != n {
        return Err(format!("safetensors header is truncated: {n} bytes declared, {} read", header.len()));
    }
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&header).map_err(|e| format!("safetensors header is not a JSON object: {e}"))?;
    drop(header);
    let mut dtypes: BTreeMap<String, u64> = BTreeMap::new();
    for (name, t) in &map {
        if name == "__metadata__" {
            continue;
        }
        let dtype = t.get("dtype").and_then(|d| d.as_str()).ok_or_else(|| format!("tensor `{}` has no dtype", short(name)))?;
        let shape = t.get("shape").and_then(|s| s.as_array()).ok_or_else(|| format!("tensor `{}` has no shape", short(name)))?;
        let mut count: u64 = 1;
        for d in shape {
            let d = d.as_u64().ok_or_else(|| format!("tensor `{}` has a shape entry that is not a count: {d}", short(name)))?;
            count = count.checked_mul(d).ok_or_else(|| format!("tensor `{}` has more elements than fit in 64 bits", short(name)))?;
        }
        let slot = dtypes.entry(dtype.to_string()).or_insert(0);
        *slot = slot.checked_add(count).ok_or("parameter count overflows 64 bits")?;
    }
    Ok(dtypes)
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(100).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

/// `llama_ftype` in llama.cpp's `llama.h` (the value of `general.file_type`).
pub(crate) fn ftype_name(t: u64) -> Option<&'static str> {
    Some(match t {
        0 => "F32",
        1 => "F16",
        2 => "Q4_0",
        3 => "Q4_1",
        4 => "Q4_1_SOME_F16",
        7 => "Q8_0",
        8 => "Q5_0",
        9 => "Q5_1",
        10 => "Q2_K",
        11 => "Q3_K_S",
        12 => "Q3_K_M",
        13 => "Q3_K_L",
        14 => "Q4_K_S",
        15 => "Q4_K_M",
        16 => "Q5_K_S",
        17 => "Q5_K_M",
        18 => "Q6_K",
        19 => "IQ2_XXS",
        20 => "IQ2_XS",
        21 => "Q2_K_S",
        22 => "IQ3_XS",
        23 => "IQ3_XXS",
        24 => "IQ1_S",
        25 => "IQ4_NL",
        26 => "IQ3_S",
        27 => "IQ3_M",
        28 => "IQ2_S",
        29 => "IQ2_M",
        30 => "IQ4_XS",
        31 => "IQ1_M",
        32 => "BF16",
        33 => "Q4_0_4_4",
        34 => "Q4_0_4_8",
        35 => "Q4_0_8_8",
        36 => "TQ1_0",
        37 => "TQ2_0",
        38 => "MXFP4_MOE",
        _ => return None,
    })
}

/// Reads a GGUF header. Problems the header reader noted are returned alongside.
pub(crate) fn read_gguf(path: &Path, rel: &str) -> Result<(GgufInfo, Vec<String>), String> {
    use vouch_scan::gguf::{read_gguf, GgufLimits, GgufValue};
    let src = vouch_scan::source::FileSource::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let info = read_gguf(&src, &GgufLimits::default())?;
    let text = |k: &str| info.get(k).and_then(GgufValue::as_str).map(str::to_string).filter(|s| !s.is_empty());
    let mut problems: Vec<String> = info.problems.iter().map(|p| format!("{rel}: {p}")).collect();
    let mut out = GgufInfo {
        file: rel.to_string(),
        architecture: text("general.architecture"),
        name: text("general.name"),
        license: text("general.license"),
        ..GgufInfo::default()
    };
    out.quantization = info.get("general.file_type").map(|v| match v.as_u64() {
        Some(n) => ftype_name(n).map_or_else(|| n.to_string(), str::to_string),
        None => format!("{v:?}"),
    });
    let count = info.get("general.base_model.count").and_then(GgufValue::as_u64).unwrap_or(0);
    for i in 0..count.min(1024) {
        let url = text(&format!("general.base_model.{i}.repo_url"));
        let name = text(&format!("general.base_model.{i}.name"));
        let org = text(&format!("general.base_model.{i}.organization"));
        let hf = url.as_deref().and_then(hf_repo_from_url);
        let b = hf.or(name.map(|n| match org {
            // Organisation names are display names ("Meta Llama"); only a slug-like one makes an id.
            Some(o) if !o.contains(' ') && !n.contains(' ') && !n.contains('/') => format!("{o}/{n}"),
            _ => n,
        }));
        match b.or(url) {
            Some(b) => out.base_models.push(b),
            None => problems.push(format!("{rel}: general.base_model.{i} has neither name nor repo_url")),
        }
    }
    let mut total: Option<u64> = Some(0);
    for t in &info.tensors {
        let n = t.dims.iter().try_fold(1u64, |a, &d| a.checked_mul(d));
        total = total.zip(n).and_then(|(a, n)| a.checked_add(n));
    }
    match total {
        None => problems.push(format!("{rel}: parameter count overflows 64 bits")),
        Some(_) if info.get("split.count").and_then(GgufValue::as_u64).is_some_and(|c| c > 1) => {
            problems.push(format!("{rel}: one part of a split GGUF model; the other parts were not read, so no parameter count"));
        }
        Some(_) => out.parameter_count = total,
    }
    Ok((out, problems))
}

/// `https://huggingface.co/org/name[/...]` -> `org/name`.
fn hf_repo_from_url(url: &str) -> Option<String> {
    let rest = url.strip_prefix("https://huggingface.co/").or_else(|| url.strip_prefix("http://huggingface.co/"))?;
    let mut parts = rest.split('/').filter(|p| !p.is_empty());
    let org = parts.next()?;
    let name = parts.next()?;
    Some(format!("{org}/{name}"))
}

/// Top-level strings and small messages kept from an ONNX file, in total.
const ONNX_KEEP_BYTES: u64 = 16 << 20;
const ONNX_MAX_ENTRIES: usize = 100_000;

/// Reads the top-level fields of an ONNX `ModelProto` (onnx.proto3): 1 ir_version,
/// 2 producer_name, 3 producer_version, 8 opset_import, 14 metadata_props. Every other field
/// (the graph with its initializers, functions, training info) is skipped by seeking.
pub(crate) fn read_onnx(path: &Path, rel: &str) -> Result<OnnxInfo, String> {
    let f = File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let len = f.metadata().map_err(|e| format!("cannot stat: {e}"))?.len();
    let mut r = BufReader::with_capacity(64 << 10, f);
    let mut pos: u64 = 0;
    let mut info = OnnxInfo { file: rel.to_string(), ..OnnxInfo::default() };
    let mut kept: u64 = 0;
    let mut saw_graph = false;
    while pos < len {
        let tag = varint(&mut r, &mut pos)?;
        let (field, wire) = (tag >> 3, tag & 7);
        if field == 0 {
            return Err(format!("not an ONNX model: field number 0 at offset {pos}"));
        }
        match wire {
            0 => {
                let v = varint(&mut r, &mut pos)?;
                if field == 1 {
                    info.ir_version = Some(v as i64);
                }
            }
            1 | 5 => skip(&mut r, &mut pos, if wire == 1 { 8 } else { 4 }, len)?,
            2 => {
                let n = varint(&mut r, &mut pos)?;
                if n > len - pos {
                    return Err(format!("field {field} at offset {pos} declares {n} bytes, past the end of the {len}-byte file"));
                }
                if matches!(field, 2 | 3 | 8 | 14) {
                    kept += n;
                    if kept > ONNX_KEEP_BYTES {
                        return Err(format!("top-level metadata is over {ONNX_KEEP_BYTES} bytes"));
                    }
                    let mut buf = vec![0u8; n as usize];
                    r.read_exact(&mut buf).map_err(|e| format!("read error at offset {pos}: {e}"))?;
                    pos += n;
                    match field {
                        2 => info.producer_name = Some(String::from_utf8_lossy(&buf).into_owned()),
                        3 => info.producer_version = Some(String::from_utf8_lossy(&buf).into_owned()),
                        8 if info.opsets.len() < ONNX_MAX_ENTRIES => {
                            let m = submessage(&buf)?;
                            let domain = m.iter().find(|(k, _)| *k == 1).and_then(|(_, v)| v.text()).unwrap_or_default();
                            let version = m.iter().find(|(k, _)| *k == 2).and_then(|(_, v)| v.int()).unwrap_or(0);
                            info.opsets.push((domain, version as i64));
                        }
                        14 if info.metadata.len() < ONNX_MAX_ENTRIES => {
                            let m = submessage(&buf)?;
                            let key = m.iter().find(|(k, _)| *k == 1).and_then(|(_, v)| v.text()).unwrap_or_default();
                            let value = m.iter().find(|(k, _)| *k == 2).and_then(|(_, v)| v.text()).unwrap_or_default();
                            info.metadata.insert(key, value);
                        }
                        _ => {}
                    }
                } else {
                    saw_graph |= field == 7;
                    skip(&mut r, &mut pos, n, len)?;
                }
            }
            _ => return Err(format!("not an ONNX model: wire type {wire} at offset {pos}")),
        }
    }
    // Random bytes can parse as protobuf by chance; a model states its IR version and has a graph
    // or operator sets.
    if info.ir_version.is_none() || (!saw_graph && info.opsets.is_empty()) {
        return Err("not an ONNX model: no ir_version, graph or opset_import".to_string());
    }
    Ok(info)
}

fn varint(r: &mut impl Read, pos: &mut u64) -> Result<u64, String> {
    let mut v: u64 = 0;
    for i in 0..10 {
        let mut b = [0u8; 1];
        r.read_exact(&mut b).map_err(|e| format!("truncated varint at offset {pos}: {e}"))?;
        *pos += 1;
        v |= u64::from(b[0] & 0x7f) << (7 * i);
        if b[0] & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(format!("varint longer than 10 bytes before offset {pos}"))
}

fn skip<R: Read + Seek>(r: &mut BufReader<R>, pos: &mut u64, n: u64, len: u64) -> Result<(), String> {
    if n > len - *pos {
        return Err(format!("field of {n} bytes at offset {pos} runs past the end of the {len}-byte file"));
    }
    let n_i64 = i64::try_from(n).map_err(|_| "field too large".to_string())?;
    r.seek_relative(n_i64).map_err(|e| format!("seek error at offset {pos}: {e}"))?;
    *pos += n;
    Ok(())
}

enum Field<'a> {
    Int(u64),
    Bytes(&'a [u8]),
}

impl Field<'_> {
    fn text(&self) -> Option<String> {
        match self {
            Field::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
            Field::Int(_) => None,
        }
    }
    fn int(&self) -> Option<u64> {
        match self {
            Field::Int(v) => Some(*v),
            Field::Bytes(_) => None,
        }
    }
}

/// The fields of a small in-memory message (fixed-width fields are skipped).
fn submessage(mut b: &[u8]) -> Result<Vec<(u64, Field<'_>)>, String> {
    let mut out = vec![];
    let mut pos = 0u64;
    while !b.is_empty() {
        let tag = varint(&mut b, &mut pos)?;
        match tag & 7 {
            0 => out.push((tag >> 3, Field::Int(varint(&mut b, &mut pos)?))),
            1 | 5 => {
                let n = if tag & 7 == 1 { 8 } else { 4 };
                b = b.get(n..).ok_or("truncated fixed-width field in a nested message")?;
            }
            2 => {
                let n = usize::try_from(varint(&mut b, &mut pos)?).map_err(|_| "field too large")?;
                let (v, rest) = if n <= b.len() { b.split_at(n) } else { return Err("truncated nested message".to_string()) };
                out.push((tag >> 3, Field::Bytes(v)));
                b = rest;
            }
            w => return Err(format!("wire type {w} in a nested message")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hf_urls_become_repo_ids() {
        assert_eq!(hf_repo_from_url("https://huggingface.co/meta-llama/Llama-3.1-8B").as_deref(), Some("meta-llama/Llama-3.1-8B"));
        assert_eq!(hf_repo_from_url("https://huggingface.co/org/name/tree/main").as_deref(), Some("org/name"));
        assert_eq!(hf_repo_from_url("https://example.com/org/name"), None);
    }

    #[test]
    fn ftype_names_follow_llama_h() {
        assert_eq!(ftype_name(15), Some("Q4_K_M"));
        assert_eq!(ftype_name(7), Some("Q8_0"));
        assert_eq!(ftype_name(32), Some("BF16"));
        assert_eq!(ftype_name(5), None);
    }
}
