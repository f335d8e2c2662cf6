//! Importing advisories into a store from folders and zip archives.

use std::collections::{BTreeMap, HashMap};
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::codec::encode_advisory;
use crate::model::{parse_with, Leniency};
use crate::store::{existing_records, now_secs, write_store, Meta, Payload, Rec, Source, Store, OLD_DATA, SPILL};
use crate::time::compare_modified;
use crate::{Limits, StoreError, INDEX_FILE};

/// What an import read, skipped and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    /// Advisory documents read successfully from the inputs (before de-duplication by id).
    pub advisories: usize,
    /// Of those, per ecosystem (OSV name without release suffix); an advisory naming several
    /// ecosystems counts in each.
    pub by_ecosystem: BTreeMap<String, usize>,
    /// Advisories read per input, in the order given.
    pub by_input: Vec<(String, usize)>,
    /// Of those read, how many are withdrawn.
    pub withdrawn: usize,
    /// Files (or archive members, as `archive.zip/member`) that could not be read as OSV, with
    /// the reason, sorted by path. They never stop the import.
    pub skipped_files: Vec<(PathBuf, String)>,
    /// Files passed over because their name does not mark an advisory (not `*.json`, `*.yaml`,
    /// `*.yml`, or hidden, such as PyPA's `.id-allocator`).
    pub ignored_files: usize,
    /// Lenient decisions summed over every document read.
    pub leniency: Leniency,
    /// Ids read more than once in this import (the newest `modified` was kept).
    pub duplicates: usize,
    /// Advisories new to the store.
    pub added: usize,
    /// Advisories that replaced a stored one (same id, same or newer `modified`).
    pub updated: usize,
    /// Advisories read but not stored because the store holds a newer version.
    pub kept_existing: usize,
    /// Advisories in the store after the import.
    pub store_total: usize,
}

/// One input of an import: a path, and how the store's status names it.
pub(crate) struct Input {
    pub path: PathBuf,
    pub label: String,
}

/// Imports advisory folders (searched recursively for `*.json`, `*.yaml`, `*.yml`; hidden
/// entries such as `.git` are passed over), zip archives of OSV JSON (osv.dev's `all.zip`) and
/// single advisory files into the store at `store`, creating it if needed. Advisories already in
/// the store are kept unless an input has the same id with the same or a newer `modified`.
/// Unreadable or non-OSV files are listed in [`ImportReport::skipped_files`]; only a missing
/// input, an unreadable store or a failed write is an error.
pub fn import(store: &Path, inputs: &[PathBuf]) -> Result<ImportReport, StoreError> {
    import_with(store, inputs, &Limits::default())
}

/// [`import`] with explicit limits.
pub fn import_with(store: &Path, inputs: &[PathBuf], limits: &Limits) -> Result<ImportReport, StoreError> {
    let inputs: Vec<Input> = inputs.iter().map(|p| Input { path: p.clone(), label: p.display().to_string() }).collect();
    import_inputs(store, &inputs, limits)
}

/// A document read and encoded, ready to be stored.
struct Parsed {
    meta: Meta,
    payload: Vec<u8>,
    leniency: Leniency,
}

fn parse_document(bytes: &[u8], limits: &Limits) -> Result<Parsed, String> {
    let (advisory, leniency) = parse_with(bytes, limits).map_err(|e| e.to_string())?;
    Ok(Parsed { meta: Meta::of(&advisory), payload: encode_advisory(&advisory), leniency })
}

/// The advisories of one document: an OSV object, or a JSON list of them (a project's whole
/// feed in one file, as curl publishes `vuln.json`). Each member of a list is labelled
/// `file[i]`, and one that is not an advisory is skipped alone.
fn parse_documents(origin: &Path, bytes: &[u8], limits: &Limits) -> Vec<(PathBuf, Result<Parsed, String>)> {
    let list = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if !list {
        return vec![(origin.to_path_buf(), parse_document(bytes, limits))];
    }
    let items = match serde_json::from_slice::<Vec<serde_json::Value>>(bytes) {
        Ok(items) => items,
        Err(e) => return vec![(origin.to_path_buf(), Err(format!("not a list of OSV advisories: {e}")))],
    };
    if items.is_empty() {
        return vec![(origin.to_path_buf(), Err("an empty list: no advisory in it".to_string()))];
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let label = PathBuf::from(format!("{}[{i}]", origin.display()));
            let parsed = serde_json::to_vec(item).map_err(|e| e.to_string()).and_then(|b| parse_document(&b, limits));
            (label, parsed)
        })
        .collect()
}

fn read_and_parse(path: &Path, limits: &Limits) -> Vec<(PathBuf, Result<Parsed, String>)> {
    let read = || -> Result<Vec<u8>, String> {
        let file = File::open(path).map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        file.take(limits.max_document_bytes + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
        if bytes.len() as u64 > limits.max_document_bytes {
            return Err(format!("larger than the limit of {} bytes", limits.max_document_bytes));
        }
        Ok(bytes)
    };
    match read() {
        Ok(bytes) => parse_documents(path, &bytes, limits),
        Err(e) => vec![(path.to_path_buf(), Err(e))],
    }
}

/// A document kept by an import: its metadata in memory, its encoded payload in the spill file.
struct Kept {
    meta: Meta,
    offset: u64,
    len: u32,
}

/// Accumulates the documents of one import. Encoded advisories go to a spill file as they are
/// read, so memory holds only their metadata whatever the size of the inputs.
struct Batch {
    report: ImportReport,
    by_id: HashMap<String, Kept>,
    current_input: usize,
    spill: Spill,
}

/// The import's temporary file of encoded advisories, removed when dropped.
struct Spill {
    path: PathBuf,
    out: Option<BufWriter<File>>,
    len: u64,
    error: Option<StoreError>,
}

impl Spill {
    fn create(dir: &Path) -> Result<Spill, StoreError> {
        fs::create_dir_all(dir).map_err(|e| StoreError::io(dir, e))?;
        let path = dir.join(format!(".import-{}.spill.tmp", std::process::id()));
        let file = File::create(&path).map_err(|e| StoreError::io(&path, e))?;
        Ok(Spill { path, out: Some(BufWriter::with_capacity(1 << 20, file)), len: 0, error: None })
    }

    /// Appends a payload; the first write error is kept and ends the import later.
    fn push(&mut self, payload: &[u8]) -> Option<(u64, u32)> {
        let len = u32::try_from(payload.len()).ok()?;
        let out = self.out.as_mut()?;
        if let Err(e) = out.write_all(payload) {
            self.error = Some(StoreError::io(&self.path, e));
            self.out = None;
            return None;
        }
        let offset = self.len;
        self.len += u64::from(len);
        Some((offset, len))
    }

    /// Flushes and reopens the spill file for reading.
    fn finish(&mut self) -> Result<File, StoreError> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if let Some(out) = self.out.take() {
            out.into_inner().map_err(|e| StoreError::io(&self.path, e.into_error()))?;
        }
        File::open(&self.path).map_err(|e| StoreError::io(&self.path, e))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        self.out = None;
        let _ = fs::remove_file(&self.path);
    }
}

impl Batch {
    fn take(&mut self, origin: PathBuf, result: Result<Parsed, String>) {
        let parsed = match result {
            Ok(p) => p,
            Err(reason) => {
                self.report.skipped_files.push((origin, reason));
                return;
            }
        };
        let Some((offset, len)) = self.spill.push(&parsed.payload) else {
            if self.spill.error.is_none() {
                self.report.skipped_files.push((origin, "over 4 GiB once encoded".to_string()));
            }
            return;
        };
        let r = &mut self.report;
        r.advisories += 1;
        r.by_input[self.current_input].1 += 1;
        if parsed.meta.withdrawn {
            r.withdrawn += 1;
        }
        for e in &parsed.meta.ecosystems {
            *r.by_ecosystem.entry(e.clone()).or_default() += 1;
        }
        if !parsed.leniency.is_empty() {
            let name = origin.file_name().map_or_else(|| origin.display().to_string(), |n| n.to_string_lossy().into_owned());
            r.leniency.absorb(&parsed.leniency, &name);
        }
        let kept = Kept { meta: parsed.meta, offset, len };
        match self.by_id.get(&kept.meta.id) {
            Some(prev) => {
                r.duplicates += 1;
                if compare_modified(kept.meta.modified.as_deref(), prev.meta.modified.as_deref()).is_ge() {
                    self.by_id.insert(kept.meta.id.clone(), kept);
                }
            }
            None => {
                self.by_id.insert(kept.meta.id.clone(), kept);
            }
        }
    }
}

fn is_advisory_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".json") || lower.ends_with(".yaml") || lower.ends_with(".yml")
}

fn is_zip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

/// Whether a file starts like a zip archive (local header or empty-archive end record).
fn looks_like_zip(path: &Path) -> bool {
    let mut magic = [0u8; 4];
    File::open(path).and_then(|mut f| f.read_exact(&mut magic)).is_ok() && (magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06")
}

/// Lists the advisory files and archives under `root`, sorted, so imports are deterministic.
fn walk(root: &Path, batch: &mut Batch) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut zips = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) => {
                batch.report.skipped_files.push((dir, format!("cannot list the folder: {e}")));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    batch.report.skipped_files.push((dir.clone(), format!("cannot list the folder: {e}")));
                    continue;
                }
            };
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let Ok(ty) = entry.file_type() else { continue };
            // Symlinked folders are not followed (no cycles); symlinked files are read.
            let is_file = ty.is_file() || (ty.is_symlink() && path.is_file());
            if ty.is_dir() {
                if !name.starts_with('.') {
                    stack.push(path);
                }
            } else if !is_file || name.starts_with('.') {
                batch.report.ignored_files += 1;
            } else if is_advisory_name(&name) {
                files.push(path);
            } else if is_zip_name(&name) {
                zips.push(path);
            } else {
                batch.report.ignored_files += 1;
            }
        }
    }
    files.sort();
    zips.sort();
    (files, zips)
}

/// Members parsed together: enough to keep both cores busy, few enough to bound memory.
const CHUNK_ENTRIES: usize = 1024;
const CHUNK_BYTES: u64 = 64 << 20;

fn import_zip(path: &Path, batch: &mut Batch, limits: &Limits) {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) => {
            batch.report.skipped_files.push((path.to_path_buf(), e.to_string()));
            return;
        }
    };
    let mut archive = match zip::ZipArchive::new(BufReader::new(file)) {
        Ok(a) => a,
        Err(e) => {
            batch.report.skipped_files.push((path.to_path_buf(), format!("not a readable zip archive: {e}")));
            return;
        }
    };
    let count = archive.len();
    if count as u64 > limits.max_zip_entries {
        batch.report.skipped_files.push((
            path.to_path_buf(),
            format!("{count} members, over the limit of {}; only the first ones were read", limits.max_zip_entries),
        ));
    }
    let count = count.min(usize::try_from(limits.max_zip_entries).unwrap_or(usize::MAX));
    let mut total: u64 = 0;
    let mut chunk: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut chunk_bytes = 0u64;
    let flush = |chunk: &mut Vec<(PathBuf, Vec<u8>)>, batch: &mut Batch| {
        let results: Vec<(PathBuf, Result<Parsed, String>)> =
            std::mem::take(chunk).into_par_iter().flat_map_iter(|(p, b)| parse_documents(&p, &b, limits)).collect();
        for (p, r) in results {
            batch.take(p, r);
        }
    };
    for i in 0..count {
        let mut member = match archive.by_index(i) {
            Ok(m) => m,
            Err(e) => {
                batch.report.skipped_files.push((path.join(format!("#{i}")), format!("unreadable member: {e}")));
                continue;
            }
        };
        if member.is_dir() {
            continue;
        }
        let name = member.name().to_string();
        let label = path.join(&name);
        let base = name.rsplit('/').next().unwrap_or(&name);
        if !is_advisory_name(base) || base.starts_with('.') {
            batch.report.ignored_files += 1;
            continue;
        }
        if member.size() > limits.max_document_bytes {
            batch
                .report
                .skipped_files
                .push((label, format!("{} bytes uncompressed, over the limit of {}", member.size(), limits.max_document_bytes)));
            continue;
        }
        let mut bytes = Vec::with_capacity(member.size() as usize);
        // The declared size may lie: the read itself is capped too.
        let read = (&mut member).take(limits.max_document_bytes + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            batch.report.skipped_files.push((label, format!("cannot decompress: {e}")));
            continue;
        }
        if bytes.len() as u64 > limits.max_document_bytes {
            batch.report.skipped_files.push((label, format!("over the limit of {} bytes uncompressed", limits.max_document_bytes)));
            continue;
        }
        total += bytes.len() as u64;
        if total > limits.max_zip_total_bytes {
            batch
                .report
                .skipped_files
                .push((path.to_path_buf(), format!("stopped after {} uncompressed bytes (limit)", limits.max_zip_total_bytes)));
            break;
        }
        chunk_bytes += bytes.len() as u64;
        chunk.push((label, bytes));
        if chunk.len() >= CHUNK_ENTRIES || chunk_bytes >= CHUNK_BYTES {
            flush(&mut chunk, batch);
            chunk_bytes = 0;
        }
    }
    flush(&mut chunk, batch);
}

fn import_files(files: &[PathBuf], batch: &mut Batch, limits: &Limits) {
    for group in files.chunks(CHUNK_ENTRIES * 4) {
        let results: Vec<(PathBuf, Result<Parsed, String>)> = group.par_iter().flat_map_iter(|p| read_and_parse(p, limits)).collect();
        for (p, r) in results {
            batch.take(p, r);
        }
    }
}

pub(crate) fn import_inputs(store_dir: &Path, inputs: &[Input], limits: &Limits) -> Result<ImportReport, StoreError> {
    // Open the existing store first: a corrupt store is reported before any work is done.
    let existing = if store_dir.join(INDEX_FILE).exists() { Some(Store::open(store_dir)?) } else { None };
    for input in inputs {
        if let Err(e) = fs::metadata(&input.path) {
            return Err(StoreError::Input { path: input.path.clone(), reason: format!("cannot read: {e}") });
        }
    }
    let spill = Spill::create(store_dir)?;
    let mut batch = Batch { report: ImportReport::default(), by_id: HashMap::new(), current_input: 0, spill };
    for (i, input) in inputs.iter().enumerate() {
        batch.current_input = i;
        batch.report.by_input.push((input.label.clone(), 0));
        let meta =
            fs::metadata(&input.path).map_err(|e| StoreError::Input { path: input.path.clone(), reason: format!("cannot read: {e}") })?;
        if meta.is_dir() {
            let (files, zips) = walk(&input.path, &mut batch);
            import_files(&files, &mut batch, limits);
            for z in &zips {
                import_zip(z, &mut batch, limits);
            }
        } else if looks_like_zip(&input.path) {
            import_zip(&input.path, &mut batch, limits);
        } else {
            for (p, r) in read_and_parse(&input.path, limits) {
                batch.take(p, r);
            }
        }
    }

    let Batch { mut report, mut by_id, mut spill, .. } = batch;
    let spill_file = spill.finish()?;
    report.skipped_files.sort();
    let (mut records, mut sources) = match &existing {
        Some(s) => existing_records(s)?,
        None => (Vec::new(), Vec::new()),
    };
    for rec in &mut records {
        let Some(new) = by_id.remove(&rec.meta.id) else { continue };
        if compare_modified(new.meta.modified.as_deref(), rec.meta.modified.as_deref()).is_ge() {
            *rec = Rec { meta: new.meta, payload: Payload::At { file: SPILL, offset: new.offset, len: new.len } };
            report.updated += 1;
        } else {
            report.kept_existing += 1;
        }
    }
    report.added = by_id.len();
    records.extend(by_id.into_values().map(|k| Rec { meta: k.meta, payload: Payload::At { file: SPILL, offset: k.offset, len: k.len } }));
    let now = now_secs();
    sources.extend(report.by_input.iter().map(|(label, n)| Source { location: label.clone(), imported_at: now, advisories: *n }));
    let mut files: [Option<(PathBuf, File)>; 2] = [None, None];
    if let Some(s) = &existing {
        let path = s.data_path().to_path_buf();
        let f = File::open(&path).map_err(|e| StoreError::io(&path, e))?;
        files[OLD_DATA] = Some((path, f));
    }
    files[SPILL] = Some((spill.path.clone(), spill_file));
    let status = write_store(store_dir, records, sources, &mut files, existing.as_ref())?;
    // Handles first: Windows cannot remove a file that is open.
    drop(files);
    drop(spill);
    report.store_total = status.total;
    Ok(report)
}
