//! Routes content by its bytes and analyses it, recursing into containers.

use crate::config::{Config, HashMode};
use crate::sniff::{self, Kind};
use crate::source::{FileSource, Slice, Source, Window};
use crate::{npy, policy, tar, zip};
use sha2::{Digest, Sha256};
use std::collections::{BTreeSet, HashSet};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use vouch_report::rules::*;
use vouch_report::{FileReport, Finding};

/// The result of analysing one piece of content.
#[derive(Debug, Default)]
pub struct Outcome {
    pub format: String,
    pub findings: Vec<Finding>,
}

struct Ctx<'a> {
    cfg: &'a Config,
    depth: u32,
    unpacked: &'a AtomicU64,
    /// File or member name: a hint for text formats (templates), never for routing binaries.
    name: &'a str,
}

impl Ctx<'_> {
    /// Context for content nested one level deeper, named `name`.
    fn member<'b>(&'b self, name: &'b str) -> Ctx<'b> {
        Ctx { cfg: self.cfg, depth: self.depth + 1, unpacked: self.unpacked, name }
    }
}

/// Files this small are read once into memory: one read serves sniffing, analysis and hashing.
/// Larger ones are analysed where they lie (a tensor file needs its header, not its weights)
/// and hashed through a buffer of this size: every worker's buffer stays this small, and
/// growing buffers to the largest file cost a page fault per 4 KiB.
const SMALL_FILE: u64 = 256 << 10;

/// Runs `f` with this thread's reusable buffer: fresh buffers for every file cost more in
/// page faults than the analysis itself. A nested call (none exists today) gets its own.
fn with_buffer<R>(f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
    thread_local! {
        static BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUF.with(|cell| match cell.try_borrow_mut() {
        Ok(mut buf) => f(&mut buf),
        Err(_) => f(&mut Vec::new()),
    })
}

/// Scans one file on disk. `display` is the path shown in reports.
pub fn scan_file(path: &Path, display: String, cfg: &Config) -> FileReport {
    let file = match FileSource::open(path) {
        Ok(s) => s,
        Err(e) => return FileReport::error(display, format!("cannot open {}: {e}", path.display())),
    };
    // auto: small files are read whole anyway, so their hash is nearly free; a larger file is
    // hashed only when the analysis read most of it (a big pickle), never just for the hash (the
    // weights of a checkpoint). `always` hashes everything, `never` nothing.
    let small = file.len() <= SMALL_FILE;
    if cfg.hash != HashMode::Never && small {
        return with_buffer(|buf| scan_small(path, display, cfg, &file, buf));
    }
    let mut report = scan_source(path, display, cfg, &file);
    report.bytes_read = file.bytes_read();
    let hash = match cfg.hash {
        HashMode::Always => true,
        HashMode::Never => false,
        HashMode::Auto => report.bytes_read.saturating_mul(2) >= file.len(),
    };
    if hash {
        match with_buffer(|buf| sha256(&file, buf)) {
            Ok(h) => {
                report.sha256 = Some(h);
                // Every byte was read (header bytes the analysis read count once).
                report.bytes_read = file.len();
            }
            Err(e) => hash_failed(&mut report, e),
        }
    }
    report
}

/// Reads a small file whole into `buf`: one read serves sniffing, analysis and hashing.
fn scan_small(path: &Path, display: String, cfg: &Config, file: &FileSource, buf: &mut Vec<u8>) -> FileReport {
    let data = match file.read_whole(buf) {
        Ok(n) => &buf[..n],
        Err(e) => return FileReport::error(display, format!("cannot read {}: {e}", path.display())),
    };
    let mut report = scan_source(path, display, cfg, &Slice(data));
    report.sha256 = Some(hex::encode(Sha256::digest(data)));
    report.bytes_read = file.bytes_read();
    report
}

fn scan_source(path: &Path, display: String, cfg: &Config, src: &dyn Source) -> FileReport {
    let unpacked = AtomicU64::new(0);
    let name = path.to_string_lossy();
    let ctx = Ctx { cfg, depth: 0, unpacked: &unpacked, name: &name };
    let mut outcome = analyse(src, &ctx);
    if let Some(f) = polyglot(&name, &outcome.format) {
        outcome.findings.insert(0, f);
    }
    FileReport::new(display, outcome.format, outcome.findings)
}

fn hash_failed(report: &mut FileReport, e: std::io::Error) {
    report.findings.push(Finding::new(&GEN_READ_ERROR, format!("reading for SHA-256 failed: {e}")));
    report.verdict = vouch_report::Verdict::from_findings(&report.findings);
}

/// SHA-256 of a whole file, read through `buf` in [`SMALL_FILE`] pieces.
fn sha256(src: &FileSource, buf: &mut Vec<u8>) -> std::io::Result<String> {
    let chunk = SMALL_FILE as usize;
    if buf.len() < chunk {
        buf.resize(chunk, 0);
    }
    let mut h = Sha256::new();
    let mut off = 0u64;
    while off < src.len() {
        let n = src.read_at(off, &mut buf[..chunk])?;
        if n == 0 {
            break;
        }
        off += n as u64;
        h.update(&buf[..n]);
    }
    Ok(hex::encode(h.finalize()))
}

/// Analyses in-memory bytes (tests, fuzzing, embedding).
pub fn analyse_bytes(data: &[u8], cfg: &Config) -> Outcome {
    let unpacked = AtomicU64::new(0);
    analyse(&Slice(data), &Ctx { cfg, depth: 0, unpacked: &unpacked, name: "" })
}

fn io_outcome(format: &str, e: std::io::Error) -> Outcome {
    Outcome { format: format.into(), findings: vec![Finding::new(&GEN_READ_ERROR, format!("read failed: {e}"))] }
}

fn analyse(src: &dyn Source, ctx: &Ctx) -> Outcome {
    let kind = match sniff::sniff(src) {
        Ok(k) => k,
        Err(e) => return io_outcome("unknown", e),
    };
    if ctx.depth > ctx.cfg.limits.max_depth && !matches!(kind, Kind::Empty | Kind::Text | Kind::Json | Kind::Image(_)) {
        return Outcome {
            format: kind.name().into(),
            findings: vec![Finding::new(
                &GEN_NESTING_LIMIT,
                format!("{} nested more than {} containers deep was not analysed", kind.name(), ctx.cfg.limits.max_depth),
            )],
        };
    }
    match kind {
        Kind::Pickle => analyse_pickle(src, ctx),
        Kind::Zip => analyse_zip(src, ctx),
        Kind::Tar => analyse_tar(src, ctx),
        Kind::SevenZ => analyse_7z(src, ctx),
        Kind::Npy => analyse_npy(src, ctx),
        Kind::Gzip | Kind::Zlib | Kind::Xz | Kind::Lzma | Kind::Bzip2 => analyse_compressed(src, kind, ctx),
        Kind::OtherCompressed(name) => Outcome {
            format: name.into(),
            findings: vec![Finding::new(&ARC_UNSUPPORTED, format!("{name}-compressed content is not decoded, so it was not analysed"))],
        },
        Kind::Hdf5 => Outcome { format: "hdf5".into(), findings: crate::keras::analyse_h5(src, &crate::hdf5::H5Limits::default()) },
        Kind::Gguf => {
            let info = crate::gguf::read_gguf(src, &crate::gguf::GgufLimits::default());
            Outcome { format: "gguf".into(), findings: crate::gguf::findings(&info) }
        }
        Kind::Unknown => analyse_unknown(src, ctx),
        Kind::Json | Kind::Text => analyse_text(src, kind, ctx),
        Kind::Safetensors => {
            Outcome { format: "safetensors".into(), findings: crate::safetensors::analyse(src, &crate::safetensors::StLimits::default()).1 }
        }
        Kind::Empty | Kind::Image(_) => Outcome { format: kind.name().into(), findings: vec![] },
    }
}

/// True when the first bytes walk as protobuf wire format: valid tags and wire types, varints
/// that end, length-delimited fields that fit in the file. Random bytes rarely manage three.
fn looks_like_protobuf(head: &[u8], total: u64) -> bool {
    use crate::proto_gen::read_varint as varint;
    let (mut p, mut fields) = (0usize, 0);
    while p < head.len() && fields < 8 {
        let Some(tag) = varint(head, &mut p) else { return false };
        let (field, wire) = (tag >> 3, tag & 7);
        if field == 0 || field > 1 << 20 {
            return false;
        }
        match wire {
            0 => {
                if varint(head, &mut p).is_none() {
                    return fields >= 1;
                }
            }
            1 => p += 8,
            5 => p += 4,
            2 => {
                let Some(len) = varint(head, &mut p) else { return false };
                if (p as u64).saturating_add(len) > total {
                    return false;
                }
                if p as u64 + len > head.len() as u64 {
                    return true; // runs past the sniffed head, but fits in the file
                }
                p += len as usize;
            }
            _ => return false,
        }
        fields += 1;
    }
    fields >= 3 || (p == head.len() && fields >= 1)
}

/// Content with no magic: protobuf models (ONNX, TensorFlow), raw tensor data, or unknown.
fn analyse_unknown(src: &dyn Source, ctx: &Ctx) -> Outcome {
    if ctx.name.ends_with("keras_metadata.pb") && src.len() <= ctx.cfg.limits.max_metadata {
        return match src.read_vec(0, src.len() as usize) {
            Ok(b) => Outcome { format: "keras-metadata".into(), findings: crate::keras::analyse_saved_metadata(&b) },
            Err(e) => io_outcome("keras-metadata", e),
        };
    }
    let head = src.read_vec(0, sniff::HEAD).unwrap_or_default();
    let limits = crate::onnx::ProtoLimits::default();
    if looks_like_protobuf(&head, src.len()) {
        let tf_named = [".pb", ".pbtxt", ".meta"].iter().any(|x| ctx.name.ends_with(x));
        if !tf_named {
            if let (Some(info), findings) = crate::onnx::analyse(src, &limits) {
                if info.ir_version > 0 || !info.opset_imports.is_empty() {
                    return Outcome { format: "onnx".into(), findings };
                }
            }
        }
        let findings = crate::tf::analyse(src, &limits);
        if findings.iter().any(|f| f.rule.code != TF_MALFORMED.code) || tf_named {
            return Outcome { format: "tensorflow".into(), findings };
        }
        if findings.is_empty() {
            return Outcome { format: "tensorflow".into(), findings };
        }
        return Outcome {
            format: "protobuf".into(),
            findings: vec![Finding::new(
                &GEN_UNRECOGNISED,
                "protobuf content that is neither an ONNX model nor a TensorFlow graph was not analysed",
            )],
        };
    }
    // External tensor data (ONNX `*.onnx.data`, `*.onnx_data`) has no format of its own.
    if [".onnx.data", ".onnx_data", "_data.bin"].iter().any(|x| ctx.name.ends_with(x)) {
        return Outcome { format: "tensor-data".into(), findings: vec![] };
    }
    Outcome {
        format: "unknown".into(),
        findings: vec![Finding::new(&GEN_UNRECOGNISED, "content matches no known model, archive or data format")],
    }
}

/// Largest text file searched for chat templates.
const MAX_TEXT: u64 = 64 << 20;

/// JSON and text: chat templates (tokenizer_config.json, chat_template.json, *.jinja) are the
/// code in them that loaders render.
fn analyse_text(src: &dyn Source, kind: Kind, ctx: &Ctx) -> Outcome {
    let format = kind.name();
    let plain = || Outcome { format: format.into(), findings: vec![] };
    let named_template = [".jinja", ".j2", ".jinja2"].iter().any(|x| ctx.name.ends_with(x));
    if ctx.name.ends_with(".pbtxt") && kind == Kind::Text && src.len() <= MAX_TEXT {
        // A text-format TensorFlow graph: the loader parses it like saved_model.pb.
        return match src.read_vec(0, src.len() as usize) {
            Ok(b) => Outcome { format: "tensorflow-text".into(), findings: crate::tf::analyse_pbtxt(&String::from_utf8_lossy(&b)) },
            Err(e) => io_outcome(format, e),
        };
    }
    // Other text (source code, docs) may quote templates; loaders render only these.
    if !named_template && kind != Kind::Json {
        return plain();
    }
    if src.len() > MAX_TEXT {
        return if named_template {
            Outcome {
                format: format.into(),
                findings: vec![Finding::new(&TPL_MALFORMED, format!("template file larger than {MAX_TEXT} bytes was not analysed"))],
            }
        } else {
            plain()
        };
    }
    let bytes = match src.read_vec(0, src.len() as usize) {
        Ok(b) => b,
        Err(e) => return io_outcome(format, e),
    };
    let text = String::from_utf8_lossy(&bytes);
    if named_template {
        // A template starting with "{%" sniffs as JSON-ish text; its name settles it.
        return Outcome { format: "jinja".into(), findings: crate::template::analyse_template(&text) };
    }
    if memchr::memmem::find(&bytes, b"chat_template").is_none() {
        return plain();
    }
    let mut findings = Vec::new();
    for (key, tpl) in crate::template::templates_in_json(&text) {
        findings.extend(crate::template::analyse_template(&tpl).into_iter().map(|f| {
            let message = format!("{key}: {}", f.message);
            Finding { message, ..f }
        }));
    }
    Outcome { format: format.into(), findings }
}

fn analyse_pickle(src: &dyn Source, ctx: &Ctx) -> Outcome {
    let a = crate::source::analyse_pickle_source(src, &ctx.cfg.limits.pickle(), 0);
    let format = if a.legacy_torch {
        "pytorch-legacy"
    } else if a.joblib_arrays > 0 {
        "joblib"
    } else {
        "pickle"
    };
    Outcome { format: format.into(), findings: policy::findings(&a, &ctx.cfg.policy) }
}

fn analyse_npy(src: &dyn Source, ctx: &Ctx) -> Outcome {
    let h = match npy::header(src) {
        Ok(Ok(h)) => h,
        Ok(Err(why)) => {
            return Outcome { format: "npy".into(), findings: vec![Finding::new(&NPY_MALFORMED, format!("malformed .npy header: {why}"))] }
        }
        Err(e) => return io_outcome("npy", e),
    };
    if !h.has_object {
        return Outcome { format: "npy".into(), findings: vec![] };
    }
    let body = Window { inner: src, offset: h.data_offset, len: src.len().saturating_sub(h.data_offset) };
    let mut out = analyse_pickle(&body, ctx);
    for f in &mut out.findings {
        if let Some(o) = f.location.offset.as_mut() {
            *o += h.data_offset;
        }
    }
    out.findings.insert(
        0,
        Finding::new(
            &NPY_OBJECT_ARRAY,
            format!("object array (descr {}, shape {}): np.load(allow_pickle=True) unpickles it", h.descr, h.shape),
        )
        .offset(h.data_offset)
        .evidence(h.descr.clone()),
    );
    Outcome { format: "npy-object".into(), findings: out.findings }
}

fn analyse_compressed(src: &dyn Source, kind: Kind, ctx: &Ctx) -> Outcome {
    let limits = &ctx.cfg.limits;
    let name = kind.name();
    if src.len() > limits.max_member_bytes {
        return Outcome {
            format: name.into(),
            findings: vec![Finding::new(&ARC_LIMIT, format!("{name} stream of {} bytes exceeds the member limit", src.len()))],
        };
    }
    let raw = match src.read_vec(0, src.len() as usize) {
        Ok(r) => r,
        Err(e) => return io_outcome(name, e),
    };
    let budget = limits.max_total_unpacked.saturating_sub(ctx.unpacked.load(Ordering::Relaxed));
    let res = match kind {
        Kind::Gzip => crate::inflate::gunzip(&raw, budget, limits),
        Kind::Xz => crate::xz::unxz(&raw, budget, limits),
        Kind::Lzma => crate::xz::unlzma(&raw, budget, limits),
        Kind::Bzip2 => crate::inflate::bunzip2(&raw, budget, limits),
        _ => crate::inflate::inflate(&raw, true, budget, limits),
    };
    match res {
        Ok(inner) => {
            ctx.unpacked.fetch_add(inner.len() as u64, Ordering::Relaxed);
            let o = analyse(&inner, &ctx.member(ctx.name));
            Outcome {
                format: format!("{name}+{}", o.format),
                findings: o.findings.into_iter().map(|f| f.within(&format!("<{name}>"))).collect(),
            }
        }
        Err(zip::MemberError::Limit(why)) => {
            Outcome { format: name.into(), findings: vec![Finding::new(&ARC_LIMIT, format!("{name} stream {why}"))] }
        }
        Err(e) => Outcome {
            format: name.into(),
            findings: vec![Finding::new(&ARC_MALFORMED, format!("{name} stream could not be decoded: {e}"))],
        },
    }
}

/// Absolute paths, drive letters and `..` components escape the extraction folder.
fn escapes(name: &str) -> bool {
    let n = name.replace('\\', "/");
    n.starts_with('/') || n.as_bytes().get(1) == Some(&b':') || n.split('/').any(|c| c == "..")
}

/// True for a member holding raw tensor bytes that the checkpoint's pickles reference.
fn is_storage(name: &str, keys: &HashSet<String>) -> bool {
    let mut parts = name.rsplit('/');
    let (Some(base), Some(dir)) = (parts.next(), parts.next()) else { return false };
    (dir == "data" || dir == "constants") && keys.contains(base)
}

fn zip_format(names: &[&str]) -> &'static str {
    let has = |suffix: &str| names.iter().any(|n| n.ends_with(suffix));
    if has("archive_format") && names.iter().any(|n| n.contains("/models/") || n.contains("/data/weights/")) {
        "pytorch-pt2"
    } else if has("data.pkl") && (has("constants.pkl") || names.iter().any(|n| n.contains("/code/"))) {
        "torchscript"
    } else if has("data.pkl") {
        "pytorch-zip"
    } else if has("config.json") && has("metadata.json") {
        "keras"
    } else if !names.is_empty() && names.iter().all(|n| n.ends_with(".npy")) {
        "npz"
    } else {
        "zip"
    }
}

fn analyse_zip(src: &dyn Source, ctx: &Ctx) -> Outcome {
    let limits = &ctx.cfg.limits;
    let archive = match zip::read(src, limits) {
        Ok(a) => a,
        Err(zip::ZipError::Io(e)) => return io_outcome("zip", e),
        Err(e) => {
            return Outcome { format: "zip".into(), findings: vec![Finding::new(&ARC_MALFORMED, format!("zip archive unreadable: {e}"))] }
        }
    };
    let names: Vec<&str> = archive.entries.iter().map(|e| e.name.as_str()).collect();
    let format = zip_format(&names);
    let mut findings = Vec::new();
    if archive.prepended > 0 {
        findings.push(Finding::new(&ARC_EXTRA_DATA, format!("{} bytes precede the first member", archive.prepended)).offset(0));
    }
    if archive.trailing > 0 {
        findings.push(Finding::new(&ARC_EXTRA_DATA, format!("{} bytes follow the end of the archive", archive.trailing)));
    }
    if archive.truncated_entries {
        findings.push(Finding::new(&ARC_LIMIT, format!("more than {} members; the rest were not analysed", limits.max_entries)));
    }
    for (name, why) in &archive.broken {
        findings.push(Finding::new(&ARC_MALFORMED, format!("member could not be read: {why}")).within(name));
    }
    let mut seen = HashSet::new();
    for e in &archive.entries {
        if !seen.insert(e.name.as_str()) {
            findings.push(
                Finding::new(&ARC_DUPLICATE, "another member has the same name; every copy was analysed")
                    .within(&e.name)
                    .evidence(e.name.clone()),
            );
        }
        if let Some(local) = &e.local_name {
            findings.push(
                Finding::new(&ARC_NAME_MISMATCH, "local header names the member differently from the central directory")
                    .within(&e.name)
                    .evidence(format!("central directory: {:?}, local header: {local:?}", e.name)),
            );
        }
        if escapes(&e.name) || e.local_name.as_deref().is_some_and(escapes) {
            findings.push(
                Finding::new(&ARC_PATH_TRAVERSAL, "member path escapes the extraction folder").within(&e.name).evidence(e.name.clone()),
            );
        }
    }
    // Pickles first (by name, then by their first bytes): they name the tensor storage
    // members, which are never read.
    let mut keys = HashSet::new();
    let rank = |e: &zip::Entry| -> u8 {
        if e.name.ends_with(".pkl") {
            0
        } else if e.method == 0 && src.read_vec(e.data_offset, 16.min(e.compressed as usize)).is_ok_and(|h| h.first() == Some(&0x80)) {
            1
        } else {
            2
        }
    };
    let mut order: Vec<(u8, usize)> = archive.entries.iter().enumerate().map(|(i, e)| (rank(e), i)).collect();
    order.sort();
    for (_, i) in order {
        let e = &archive.entries[i];
        if e.is_dir || is_storage(&e.name, &keys) {
            continue;
        }
        if format == "keras" && e.name == "config.json" {
            findings.append(&mut analyse_keras_config(src, e, ctx));
            continue;
        }
        findings.append(&mut analyse_zip_member(src, e, ctx, &mut keys, format.starts_with("pytorch") || format == "torchscript"));
    }
    Outcome { format: format.into(), findings }
}

/// Raw tensor bytes of a PyTorch archive that no pickle names (torch.export weights, constants).
fn is_tensor_dir(name: &str) -> bool {
    name.split('/').rev().skip(1).any(|c| matches!(c, "data" | "constants" | "weights" | "tensors"))
}

/// `config.json` of a Keras 3 archive: what `keras.saving.load_model` deserialises.
fn analyse_keras_config(src: &dyn Source, e: &zip::Entry, ctx: &Ctx) -> Vec<Finding> {
    let limits = &ctx.cfg.limits;
    let text = zip::open(src, e, limits.max_metadata.min(limits.max_member_bytes), limits)
        .map_err(|err| err.to_string())
        .and_then(|c| c.source().read_vec(0, c.source().len() as usize).map_err(|err| err.to_string()));
    match text {
        Ok(bytes) => crate::keras::analyse_config(&String::from_utf8_lossy(&bytes)).into_iter().map(|f| f.within(&e.name)).collect(),
        Err(why) => vec![Finding::new(&KER_MALFORMED, format!("Keras config.json unreadable: {why}")).within(&e.name)],
    }
}

fn analyse_zip_member(src: &dyn Source, e: &zip::Entry, ctx: &Ctx, keys: &mut HashSet<String>, torch_archive: bool) -> Vec<Finding> {
    let limits = &ctx.cfg.limits;
    let mut out = Vec::new();
    if e.is_symlink {
        out.push(Finding::new(&ARC_LINK_MEMBER, "member is a symbolic link").within(&e.name).evidence(e.name.clone()));
        return out;
    }
    let unusual = e.unusual_flags();
    let budget = limits.max_total_unpacked.saturating_sub(ctx.unpacked.load(Ordering::Relaxed));
    let content = match zip::open(src, e, budget.min(limits.max_member_bytes), limits) {
        Ok(c) => c,
        Err(zip::MemberError::Unsupported(m)) if e.encrypted_flag() => {
            out.push(Finding::new(&ARC_ENCRYPTED, format!("member is encrypted (method {m})")).within(&e.name));
            return out;
        }
        Err(zip::MemberError::Unsupported(m)) => {
            out.push(Finding::new(&ARC_UNSUPPORTED, format!("compression method {m} is not decoded")).within(&e.name));
            return out;
        }
        Err(zip::MemberError::Corrupt(why)) if e.encrypted_flag() => {
            out.push(Finding::new(&ARC_ENCRYPTED, format!("member is encrypted ({why} when read as plaintext)")).within(&e.name));
            return out;
        }
        Err(zip::MemberError::Limit(why)) => {
            out.push(Finding::new(&ARC_LIMIT, format!("member {why}")).within(&e.name));
            return out;
        }
        Err(e2) => {
            out.push(Finding::new(&ARC_MALFORMED, format!("member unreadable: {e2}")).within(&e.name));
            return out;
        }
    };
    if let zip::Content::Inflated(v) = &content {
        ctx.unpacked.fetch_add(v.len() as u64, Ordering::Relaxed);
    }
    let data = content.source();
    let kind = sniff::sniff(data).unwrap_or(Kind::Unknown);
    if e.encrypted_flag() {
        let meaningful = !matches!(kind, Kind::Unknown | Kind::Empty);
        if !meaningful {
            out.push(Finding::new(&ARC_ENCRYPTED, "member is encrypted and could not be analysed").within(&e.name));
            return out;
        }
        out.push(
            Finding::new(
                &ARC_FLAG_BITS,
                format!("encryption flag set (flags {:#06x}) but the data is plaintext {}; PyTorch loads it anyway", e.flags, kind.name()),
            )
            .within(&e.name)
            .evidence(format!("flags={:#06x}", e.flags)),
        );
    } else if unusual != 0 {
        out.push(
            Finding::new(&ARC_FLAG_BITS, format!("unusual general-purpose flag bits {unusual:#06x}; PyTorch ignores them"))
                .within(&e.name)
                .evidence(format!("flags={:#06x}", e.flags)),
        );
    }
    // CRC check on what is small enough to read whole; PyTorch never checks it.
    if data.len() <= 64 << 20 && e.method == 0 {
        if let Ok(bytes) = data.read_vec(0, data.len() as usize) {
            let crc = crate::inflate::crc32(&bytes);
            if crc != e.crc {
                out.push(
                    Finding::new(&ARC_BAD_CRC, "CRC-32 does not match the member data")
                        .within(&e.name)
                        .evidence(format!("stored {:#010x}, computed {crc:#010x}", e.crc)),
                );
            }
        }
    } else if let zip::Content::Inflated(v) = &content {
        let crc = crate::inflate::crc32(v);
        if crc != e.crc {
            out.push(
                Finding::new(&ARC_BAD_CRC, "CRC-32 does not match the member data")
                    .within(&e.name)
                    .evidence(format!("stored {:#010x}, computed {crc:#010x}", e.crc)),
            );
        }
    }
    if torch_archive && e.name.contains("/code/") && e.name.ends_with(".py") && data.len() <= 64 << 20 {
        // TorchScript source: the loader compiles and runs it.
        if let Ok(bytes) = data.read_vec(0, data.len() as usize) {
            let text = String::from_utf8_lossy(&bytes);
            out.extend(crate::torchscript::analyse_code(&text).into_iter().map(|f| f.within(&e.name)));
            return out;
        }
    }
    if kind == Kind::Unknown && torch_archive && is_tensor_dir(&e.name) {
        // Tensor storage is raw numbers: no loader interprets it as code.
        return out;
    }
    if kind == Kind::Pickle {
        let a = crate::source::analyse_pickle_source(data, &ctx.cfg.limits.pickle(), 0);
        keys.extend(a.storage_keys.iter().cloned());
        out.extend(polyglot(&e.name, "pickle").into_iter().chain(policy::findings(&a, &ctx.cfg.policy)).map(|f| f.within(&e.name)));
    } else {
        let o = analyse(data, &ctx.member(&e.name));
        out.extend(polyglot(&e.name, &o.format).map(|f| f.within(&e.name)));
        out.extend(o.findings.into_iter().map(|f| f.within(&e.name)));
    }
    out
}

/// Formats a file name promises, by extension; `None` for names that promise nothing precise.
fn promised(name: &str) -> Option<(&'static str, &'static [&'static str])> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "safetensors" => ("safetensors", &["safetensors"]),
        "gguf" => ("GGUF", &["gguf"]),
        "npy" => ("NumPy array", &["npy", "npy-object"]),
        "npz" => ("NumPy archive", &["npz", "zip"]),
        "json" => ("JSON", &["json", "text", "empty"]),
        "txt" | "md" => ("text", &["text", "json", "empty"]),
        "png" | "jpg" | "jpeg" | "gif" | "webp" => ("image", &["png", "jpeg", "gif", "webp"]),
        "h5" | "hdf5" => ("HDF5", &["hdf5"]),
        "keras" => ("Keras archive", &["keras", "zip"]),
        "zip" => ("zip", &["zip", "pytorch-zip", "torchscript", "keras", "npz", "pytorch-pt2"]),
        "7z" => ("7z", &["7z"]),
        "tar" => ("tar", &["tar", "pytorch-legacy-tar"]),
        _ => return None,
    })
}

/// A file whose content is a different, more capable format than its name says.
fn polyglot(name: &str, format: &str) -> Option<Finding> {
    let base = name.rsplit('/').next().unwrap_or(name);
    let (what, ok) = promised(base)?;
    let actual = format.split('+').next().unwrap_or(format);
    if ok.contains(&actual) || actual == "unknown" {
        return None;
    }
    Some(Finding::new(&ARC_POLYGLOT, format!("named like a {what} file but its content is {format}")).evidence(format!("{base}: {format}")))
}

fn analyse_tar(src: &dyn Source, ctx: &Ctx) -> Outcome {
    let a = match tar::read(src, &ctx.cfg.limits) {
        Ok(a) => a,
        Err(e) => return io_outcome("tar", e),
    };
    let names: BTreeSet<&str> = a.entries.iter().map(|e| e.name.as_str()).collect();
    let format = if ["sys_info", "pickle", "storages"].iter().all(|n| names.contains(n)) { "pytorch-legacy-tar" } else { "tar" };
    let mut findings = Vec::new();
    if let Some(err) = &a.error {
        findings.push(Finding::new(&ARC_MALFORMED, format!("tar archive: {err}")));
    }
    if a.truncated_entries {
        findings.push(Finding::new(&ARC_LIMIT, format!("more than {} members; the rest were not analysed", ctx.cfg.limits.max_entries)));
    }
    let mut seen = HashSet::new();
    for e in &a.entries {
        if !seen.insert(e.name.as_str()) {
            findings.push(Finding::new(&ARC_DUPLICATE, "another member has the same name; every copy was analysed").within(&e.name));
        }
        if escapes(&e.name) {
            findings.push(
                Finding::new(&ARC_PATH_TRAVERSAL, "member path escapes the extraction folder").within(&e.name).evidence(e.name.clone()),
            );
        }
        match e.kind {
            tar::EntryType::Symlink | tar::EntryType::Hardlink => {
                let f = if escapes(&e.link) {
                    Finding::new(&ARC_PATH_TRAVERSAL, "link member points outside the extraction folder")
                } else {
                    Finding::new(&ARC_LINK_MEMBER, "member is a link")
                };
                findings.push(f.within(&e.name).evidence(format!("{} -> {}", e.name, e.link)));
            }
            tar::EntryType::File => {
                let w = Window { inner: src, offset: e.offset, len: e.size };
                let member = if format == "pytorch-legacy-tar" && (e.name == "storages" || e.name == "tensors") {
                    crate::torch_legacy::analyse_member(&e.name, &w, ctx.cfg.limits.pickle(), &ctx.cfg.policy)
                } else {
                    let o = analyse(&w, &ctx.member(&e.name));
                    polyglot(&e.name, &o.format).into_iter().chain(o.findings).collect()
                };
                findings.extend(member.into_iter().map(|f| f.within(&e.name)));
            }
            tar::EntryType::Dir | tar::EntryType::Other(_) => {}
        }
    }
    Outcome { format: format.into(), findings }
}

fn analyse_7z(src: &dyn Source, ctx: &Ctx) -> Outcome {
    let limits = &ctx.cfg.limits;
    if src.len() > limits.max_member_bytes {
        return Outcome {
            format: "7z".into(),
            findings: vec![Finding::new(&ARC_LIMIT, format!("7z archive of {} bytes exceeds the member limit", src.len()))],
        };
    }
    let data = match src.read_vec(0, src.len() as usize) {
        Ok(d) => d,
        Err(e) => return io_outcome("7z", e),
    };
    let budget = limits.max_total_unpacked.saturating_sub(ctx.unpacked.load(Ordering::Relaxed));
    let l = crate::sevenz::SevenZLimits {
        max_entries: limits.max_entries,
        max_total_unpacked: budget,
        max_member_size: limits.max_member_bytes,
        max_header_size: limits.max_metadata,
        max_ratio: limits.max_ratio,
    };
    let members = match crate::sevenz::read_7z(&data, &l) {
        Ok(m) => m,
        Err(crate::sevenz::SevenZError::Encrypted) => {
            return Outcome {
                format: "7z".into(),
                findings: vec![Finding::new(&ARC_ENCRYPTED, "7z archive headers are encrypted; nothing could be analysed")],
            }
        }
        Err(crate::sevenz::SevenZError::LimitExceeded(why)) => {
            return Outcome { format: "7z".into(), findings: vec![Finding::new(&ARC_LIMIT, format!("7z archive: {why}"))] }
        }
        Err(e) => {
            return Outcome { format: "7z".into(), findings: vec![Finding::new(&ARC_MALFORMED, format!("7z archive unreadable: {e}"))] }
        }
    };
    let mut findings = Vec::new();
    for m in members {
        if m.is_dir {
            continue;
        }
        if escapes(&m.name) {
            findings.push(
                Finding::new(&ARC_PATH_TRAVERSAL, "member path escapes the extraction folder").within(&m.name).evidence(m.name.clone()),
            );
        }
        match m.data {
            Ok(bytes) => {
                ctx.unpacked.fetch_add(bytes.len() as u64, Ordering::Relaxed);
                let o = analyse(&bytes, &ctx.member(&m.name));
                findings.extend(polyglot(&m.name, &o.format).into_iter().chain(o.findings).map(|f| f.within(&m.name)));
            }
            Err(crate::sevenz::SevenZMemberError::Encrypted) => {
                findings.push(Finding::new(&ARC_ENCRYPTED, "member is encrypted").within(&m.name))
            }
            Err(crate::sevenz::SevenZMemberError::UnsupportedCoder(c)) => {
                findings.push(Finding::new(&ARC_UNSUPPORTED, format!("member uses coder {c}, which is not decoded")).within(&m.name))
            }
            Err(crate::sevenz::SevenZMemberError::LimitExceeded(why)) => {
                findings.push(Finding::new(&ARC_LIMIT, format!("member {why}")).within(&m.name))
            }
            Err(crate::sevenz::SevenZMemberError::Corrupt(why)) => {
                findings.push(Finding::new(&ARC_MALFORMED, format!("member corrupt: {why}")).within(&m.name))
            }
        }
    }
    Outcome { format: "7z".into(), findings }
}
