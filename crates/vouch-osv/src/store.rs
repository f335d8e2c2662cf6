//! The advisory store: a folder holding two files.
//!
//! `osv-data-<generation>.bin` holds the advisories:
//! `"VOUCHOSD"`, format version (u32 LE), then one record per advisory, sorted by id:
//! payload length (u32 LE), CRC-32 of the payload (u32 LE), payload (the compact encoding of
//! `codec`). Each record's checksum is verified when it is decoded.
//!
//! `osv-index.bin` is what [`Store::open`] reads: `"VOUCHOSI"`, format version (u32 LE), CRC-32
//! of the body (u32 LE), body length (u64 LE), then the body: the data file's name, length and
//! record count, the status (build time, counts, newest `modified`, sources), the key table
//! `(ecosystem, normalised name) -> [record offsets]` sorted for binary search (withdrawn
//! advisories are left out of it), and the id table `(id or alias) -> [record offsets]`.
//!
//! Writes are atomic: a new data file under a new name, then the index by temp file + rename,
//! then the old data file is removed. A reader holding the old index keeps a valid pair until then.

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use vouch_pkg::Ecosystem;

use crate::codec::{decode_advisory, DecodeError, Reader, Writer};
use crate::model::Advisory;
use crate::time::compare_modified;
use crate::StoreError;

/// File name of the index in a store folder.
pub const INDEX_FILE: &str = "osv-index.bin";
/// First bytes of an index file.
pub const INDEX_MAGIC: &[u8; 8] = b"VOUCHOSI";
/// First bytes of a data file.
pub const DATA_MAGIC: &[u8; 8] = b"VOUCHOSD";
/// Version of the store format written and read by this crate.
pub const FORMAT_VERSION: u32 = 1;

const INDEX_HEADER: usize = 24;
const DATA_HEADER: u64 = 12;
const RECORD_HEADER: u64 = 8;
/// How many sources [`Status::sources`] remembers.
const MAX_SOURCES: usize = 64;

/// One import that went into the store.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Source {
    /// The folder, archive or URL imported.
    pub location: String,
    /// When (Unix seconds).
    pub imported_at: u64,
    /// How many advisories were read from it.
    pub advisories: usize,
}

/// What a store holds.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Status {
    /// Advisories per ecosystem (OSV name without release suffix, e.g. `Debian` for
    /// `Debian:12`); an advisory naming several ecosystems counts once in each. Withdrawn
    /// advisories are included.
    pub by_ecosystem: BTreeMap<String, usize>,
    /// Advisories stored, withdrawn ones included.
    pub total: usize,
    /// Withdrawn advisories (stored, never returned by [`Store::lookup`]).
    pub withdrawn: usize,
    /// Distinct `(ecosystem, package)` keys of the lookup table.
    pub packages: usize,
    /// When the store was last written (Unix seconds).
    pub built_at: u64,
    /// The newest `modified` timestamp among the advisories.
    pub newest_modified: Option<String>,
    /// The latest imports, oldest first (at most 64).
    pub sources: Vec<Source>,
}

struct Key {
    ecosystem: String,
    name: String,
    offsets: Vec<u64>,
}

/// The decoded index file.
struct Index {
    data_file: String,
    data_len: u64,
    records: u64,
    status: Status,
    keys: Vec<Key>,
    ids: Vec<(String, Vec<u64>)>,
}

/// An opened advisory store. Opening reads the index only; lookups read and decode just the
/// matching records. Safe to share between threads.
pub struct Store {
    dir: PathBuf,
    data_path: PathBuf,
    data: Mutex<File>,
    index: Index,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.dir).field("advisories", &self.index.records).finish()
    }
}

impl Store {
    /// Opens the store in `dir`, verifying the index's version and checksum and the data file's
    /// header and length. Errors name the file and say what to do.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let index_path = dir.join(INDEX_FILE);
        let bytes = match fs::read(&index_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(StoreError::Missing { dir: dir.to_path_buf() }),
            Err(e) => return Err(StoreError::io(&index_path, e)),
        };
        let index = decode_index(&bytes, &index_path)?;
        let data_path = dir.join(&index.data_file);
        let mut data = File::open(&data_path).map_err(|e| StoreError::io(&data_path, e))?;
        let len = data.metadata().map_err(|e| StoreError::io(&data_path, e))?.len();
        if len != index.data_len {
            return Err(StoreError::Corrupt {
                path: data_path,
                reason: format!("it is {len} bytes long, the index says {}", index.data_len),
            });
        }
        check_data_header(&mut data, &data_path)?;
        Ok(Store { dir: dir.to_path_buf(), data_path, data: Mutex::new(data), index })
    }

    /// The data file in use.
    pub(crate) fn data_path(&self) -> &Path {
        &self.data_path
    }

    /// The folder of the store.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The advisories naming package `name` of ecosystem `eco` (the name is normalised with
    /// [`Ecosystem::normalise_name`], so `Django`, `django` match alike on PyPI), sorted by id.
    /// Withdrawn advisories are never returned; use [`Store::get`] to see one.
    pub fn lookup(&self, eco: &Ecosystem, name: &str) -> Result<Vec<Advisory>, StoreError> {
        let name = eco.normalise_name(name);
        let key = (eco.as_str(), name.as_str());
        let Ok(i) = self.index.keys.binary_search_by(|k| (k.ecosystem.as_str(), k.name.as_str()).cmp(&key)) else {
            return Ok(Vec::new());
        };
        let mut out = Vec::with_capacity(self.index.keys[i].offsets.len());
        for &off in &self.index.keys[i].offsets {
            let a = self.read_record(off)?;
            if !a.is_withdrawn() {
                out.push(a);
            }
        }
        Ok(out)
    }

    /// The advisory with this id, or else one that lists it as an alias (the first by id when
    /// several do). Ids compare exactly, then ignoring ASCII case. Withdrawn advisories are
    /// returned (check [`Advisory::is_withdrawn`]).
    pub fn get(&self, id: &str) -> Result<Option<Advisory>, StoreError> {
        let all = self.get_all(id)?;
        let exact = all.iter().position(|a| a.id == id).or_else(|| all.iter().position(|a| a.id.eq_ignore_ascii_case(id)));
        Ok(match exact {
            Some(i) => all.into_iter().nth(i),
            None => all.into_iter().next(),
        })
    }

    /// Every advisory whose id or one of whose aliases is `id`, ignoring ASCII case, sorted by id.
    pub fn get_all(&self, id: &str) -> Result<Vec<Advisory>, StoreError> {
        let needle = id.trim().to_ascii_lowercase();
        let Ok(i) = self.index.ids.binary_search_by(|(k, _)| k.as_str().cmp(needle.as_str())) else {
            return Ok(Vec::new());
        };
        self.index.ids[i].1.iter().map(|&off| self.read_record(off)).collect()
    }

    /// Calls `f` with every advisory of the store in id order, withdrawn ones included (check
    /// [`Advisory::is_withdrawn`]). Reads the data file once, sequentially, verifying each
    /// record's checksum; for searches that cannot use the key or id tables (text similarity).
    pub fn for_each(&self, mut f: impl FnMut(Advisory)) -> Result<(), StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt { path: self.data_path.clone(), reason };
        let file = File::open(&self.data_path).map_err(|e| StoreError::io(&self.data_path, e))?;
        let mut reader = BufReader::with_capacity(1 << 16, file);
        let mut skip = [0u8; DATA_HEADER as usize];
        reader.read_exact(&mut skip).map_err(|e| StoreError::io(&self.data_path, e))?;
        let mut offset = DATA_HEADER;
        let mut payload = Vec::new();
        for _ in 0..self.index.records {
            let mut head = [0u8; RECORD_HEADER as usize];
            reader.read_exact(&mut head).map_err(|e| StoreError::io(&self.data_path, e))?;
            let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
            let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
            if offset + RECORD_HEADER + u64::from(len) > self.index.data_len {
                return Err(corrupt(format!("record at byte {offset} runs past the end of the file")));
            }
            payload.resize(len as usize, 0);
            reader.read_exact(&mut payload).map_err(|e| StoreError::io(&self.data_path, e))?;
            if crc32fast::hash(&payload) != crc {
                return Err(corrupt(format!("record at byte {offset} fails its checksum")));
            }
            let advisory = decode_advisory(&payload).map_err(|DecodeError(r)| corrupt(format!("record at byte {offset}: {r}")))?;
            f(advisory);
            offset += RECORD_HEADER + u64::from(len);
        }
        Ok(())
    }

    /// Counts, build time and sources of the store.
    pub fn status(&self) -> Status {
        self.index.status.clone()
    }

    /// Reads and decodes the record at `offset` of the data file.
    fn read_record(&self, offset: u64) -> Result<Advisory, StoreError> {
        let corrupt = |reason: String| StoreError::Corrupt { path: self.data_path.clone(), reason };
        let payload = {
            let mut file = self.data.lock().unwrap_or_else(|p| p.into_inner());
            let (len, crc) = read_record_header(&mut file, offset, self.index.data_len).map_err(|e| match e {
                RecordError::Io(e) => StoreError::io(&self.data_path, e),
                RecordError::Bad(r) => corrupt(r),
            })?;
            let mut payload = vec![0; len as usize];
            file.read_exact(&mut payload).map_err(|e| StoreError::io(&self.data_path, e))?;
            if crc32fast::hash(&payload) != crc {
                return Err(corrupt(format!("record at byte {offset} fails its checksum")));
            }
            payload
        };
        decode_advisory(&payload).map_err(|DecodeError(r)| corrupt(format!("record at byte {offset}: {r}")))
    }
}

enum RecordError {
    Io(std::io::Error),
    Bad(String),
}

/// Seeks to a record and reads its header, checking that it lies inside the data file.
fn read_record_header(file: &mut File, offset: u64, data_len: u64) -> Result<(u32, u32), RecordError> {
    if offset < DATA_HEADER || offset.saturating_add(RECORD_HEADER) > data_len {
        return Err(RecordError::Bad(format!("record offset {offset} is outside the file")));
    }
    file.seek(SeekFrom::Start(offset)).map_err(RecordError::Io)?;
    let mut head = [0u8; RECORD_HEADER as usize];
    file.read_exact(&mut head).map_err(RecordError::Io)?;
    let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    if offset + RECORD_HEADER + u64::from(len) > data_len {
        return Err(RecordError::Bad(format!("record at byte {offset} runs past the end of the file")));
    }
    Ok((len, crc))
}

fn check_data_header(file: &mut File, path: &Path) -> Result<(), StoreError> {
    let mut head = [0u8; DATA_HEADER as usize];
    file.seek(SeekFrom::Start(0)).map_err(|e| StoreError::io(path, e))?;
    if file.read_exact(&mut head).is_err() || &head[..8] != DATA_MAGIC {
        return Err(StoreError::Foreign { path: path.to_path_buf() });
    }
    let version = u32::from_le_bytes([head[8], head[9], head[10], head[11]]);
    if version != FORMAT_VERSION {
        return Err(StoreError::Version { path: path.to_path_buf(), found: version, expected: FORMAT_VERSION });
    }
    Ok(())
}

/// Validates the bytes of an index file as [`Store::open`] does (header, checksum, tables,
/// ordering) without touching a data file; returns the number of lookup keys. For fuzzing and
/// diagnostics.
pub fn check_index_bytes(bytes: &[u8]) -> Result<usize, StoreError> {
    decode_index(bytes, Path::new(INDEX_FILE)).map(|i| i.keys.len())
}

fn decode_index(bytes: &[u8], path: &Path) -> Result<Index, StoreError> {
    if bytes.len() < 8 || &bytes[..8] != INDEX_MAGIC {
        return Err(StoreError::Foreign { path: path.to_path_buf() });
    }
    let corrupt = |reason: String| StoreError::Corrupt { path: path.to_path_buf(), reason };
    if bytes.len() < INDEX_HEADER {
        return Err(corrupt(format!("the header is truncated ({} bytes)", bytes.len())));
    }
    let le32 = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    let version = le32(8);
    if version != FORMAT_VERSION {
        return Err(StoreError::Version { path: path.to_path_buf(), found: version, expected: FORMAT_VERSION });
    }
    let crc = le32(12);
    let mut len8 = [0u8; 8];
    len8.copy_from_slice(&bytes[16..24]);
    let body_len = u64::from_le_bytes(len8);
    let body = &bytes[INDEX_HEADER..];
    if body.len() as u64 != body_len {
        return Err(corrupt(format!("the body is {} bytes, the header says {body_len} (truncated or appended to)", body.len())));
    }
    if crc32fast::hash(body) != crc {
        return Err(corrupt("the checksum does not match".to_string()));
    }
    parse_index_body(body).map_err(|DecodeError(r)| corrupt(r))
}

fn parse_index_body(body: &[u8]) -> Result<Index, DecodeError> {
    let bad = |r: &str| Err(DecodeError(r.to_string()));
    let mut r = Reader::new(body);
    let data_file = r.string()?;
    if !data_file.starts_with("osv-data-") || data_file.contains(['/', '\\']) || data_file.contains("..") {
        return bad("the data file name is not a store data file");
    }
    let data_len = r.varint()?;
    let records = r.varint()?;
    let mut status = Status { built_at: r.varint()?, total: r.varint()? as usize, withdrawn: r.varint()? as usize, ..Status::default() };
    status.newest_modified = r.opt_string()?;
    for _ in 0..r.len(2)? {
        let eco = r.string()?;
        let n = r.varint()? as usize;
        status.by_ecosystem.insert(eco, n);
    }
    for _ in 0..r.len(3)? {
        status.sources.push(Source { location: r.string()?, imported_at: r.varint()?, advisories: r.varint()? as usize });
    }
    let offsets = |r: &mut Reader| -> Result<Vec<u64>, DecodeError> {
        let n = r.len(1)?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            let off = r.varint()?;
            if off < DATA_HEADER || off >= data_len {
                return Err(DecodeError(format!("record offset {off} is outside the data file")));
            }
            v.push(off);
        }
        Ok(v)
    };
    let nkeys = r.len(3)?;
    let mut keys: Vec<Key> = Vec::with_capacity(nkeys);
    for _ in 0..nkeys {
        let key = Key { ecosystem: r.string()?, name: r.string()?, offsets: offsets(&mut r)? };
        if let Some(prev) = keys.last() {
            if (prev.ecosystem.as_str(), prev.name.as_str()) >= (key.ecosystem.as_str(), key.name.as_str()) {
                return bad("the key table is not sorted");
            }
        }
        keys.push(key);
    }
    let nids = r.len(2)?;
    let mut ids: Vec<(String, Vec<u64>)> = Vec::with_capacity(nids);
    for _ in 0..nids {
        let id = r.string()?;
        if ids.last().is_some_and(|(prev, _)| prev.as_str() >= id.as_str()) {
            return bad("the id table is not sorted");
        }
        ids.push((id, offsets(&mut r)?));
    }
    r.finish()?;
    status.packages = keys.len();
    Ok(Index { data_file, data_len, records, status, keys, ids })
}

// ---------------------------------------------------------------------------------------------
// Building

/// What the store needs to know about an advisory without decoding it again.
pub(crate) struct Meta {
    pub id: String,
    pub modified: Option<String>,
    pub withdrawn: bool,
    pub aliases: Vec<String>,
    /// `(ecosystem, normalised name)`, de-duplicated.
    pub keys: Vec<(String, String)>,
    /// Ecosystem names, de-duplicated.
    pub ecosystems: Vec<String>,
}

impl Meta {
    pub fn of(a: &Advisory) -> Meta {
        let mut keys = Vec::new();
        let mut ecosystems = Vec::new();
        for p in a.affected.iter().filter_map(|af| af.package.as_ref()) {
            let eco = p.ecosystem();
            let key = (eco.as_str().to_string(), eco.normalise_name(&p.name));
            if !ecosystems.contains(&key.0) {
                ecosystems.push(key.0.clone());
            }
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        Meta { id: a.id.clone(), modified: a.modified.clone(), withdrawn: a.is_withdrawn(), aliases: a.aliases.clone(), keys, ecosystems }
    }
}

/// Where a record's payload is while a store is rebuilt: never in memory.
pub(crate) enum Payload {
    /// In one of the files handed to [`write_store`] (the current data file, or the import's
    /// spill file): payload offset and length.
    At { file: usize, offset: u64, len: u32 },
}

/// The file `existing_records` payloads refer to, in [`write_store`]'s `files`.
pub(crate) const OLD_DATA: usize = 0;
/// The import's spill file, in [`write_store`]'s `files`.
pub(crate) const SPILL: usize = 1;

pub(crate) struct Rec {
    pub meta: Meta,
    pub payload: Payload,
}

/// Reads the metadata of every record of an existing store, leaving payloads on disk.
pub(crate) fn existing_records(store: &Store) -> Result<(Vec<Rec>, Vec<Source>), StoreError> {
    let path = &store.data_path;
    let file = File::open(path).map_err(|e| StoreError::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    reader.seek(SeekFrom::Start(DATA_HEADER)).map_err(|e| StoreError::io(path, e))?;
    let corrupt = |reason: String| StoreError::Corrupt { path: path.clone(), reason };
    let mut out = Vec::with_capacity(store.index.records as usize);
    let mut pos = DATA_HEADER;
    let mut payload = Vec::new();
    while pos < store.index.data_len {
        let mut head = [0u8; RECORD_HEADER as usize];
        reader.read_exact(&mut head).map_err(|e| StoreError::io(path, e))?;
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        let crc = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
        if pos + RECORD_HEADER + u64::from(len) > store.index.data_len {
            return Err(corrupt(format!("record at byte {pos} runs past the end of the file")));
        }
        payload.resize(len as usize, 0);
        reader.read_exact(&mut payload).map_err(|e| StoreError::io(path, e))?;
        if crc32fast::hash(&payload) != crc {
            return Err(corrupt(format!("record at byte {pos} fails its checksum")));
        }
        let a = decode_advisory(&payload).map_err(|DecodeError(r)| corrupt(format!("record at byte {pos}: {r}")))?;
        out.push(Rec { meta: Meta::of(&a), payload: Payload::At { file: OLD_DATA, offset: pos + RECORD_HEADER, len } });
        pos += RECORD_HEADER + u64::from(len);
    }
    if out.len() as u64 != store.index.records {
        return Err(corrupt(format!("{} records found, the index says {}", out.len(), store.index.records)));
    }
    Ok((out, store.index.status.sources.clone()))
}

pub(crate) fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

fn write_err(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |e| StoreError::io(path, e)
}

/// Writes a new data file and index for `records` into `dir`, atomically replacing what was
/// there. `files` are the files `Payload::At` records point into; `old` is the store being
/// replaced (its data file is removed once the new index is in place).
pub(crate) fn write_store(
    dir: &Path,
    mut records: Vec<Rec>,
    mut sources: Vec<Source>,
    files: &mut [Option<(PathBuf, File)>],
    old: Option<&Store>,
) -> Result<Status, StoreError> {
    fs::create_dir_all(dir).map_err(write_err(dir))?;
    records.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let data_name = format!("osv-data-{:x}-{}.bin", nanos, std::process::id());
    let data_path = dir.join(&data_name);
    let data_tmp = dir.join(format!(".{data_name}.tmp"));

    let mut keys: BTreeMap<(String, String), Vec<u64>> = BTreeMap::new();
    let mut ids: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    let mut status = Status { built_at: now_secs(), total: records.len(), ..Status::default() };
    let result = (|| -> Result<u64, StoreError> {
        let werr = write_err(&data_tmp);
        let mut out = BufWriter::with_capacity(1 << 20, File::create(&data_tmp).map_err(&werr)?);
        out.write_all(DATA_MAGIC).map_err(&werr)?;
        out.write_all(&FORMAT_VERSION.to_le_bytes()).map_err(&werr)?;
        let mut pos = DATA_HEADER;
        let mut buf = Vec::new();
        for rec in &records {
            let payload: &[u8] = match &rec.payload {
                Payload::At { file, offset, len } => {
                    let Some(Some((path, f))) = files.get_mut(*file) else {
                        return Err(StoreError::Corrupt {
                            path: data_tmp.clone(),
                            reason: "internal: a record without its source file".into(),
                        });
                    };
                    buf.resize(*len as usize, 0);
                    f.seek(SeekFrom::Start(*offset)).map_err(|e| StoreError::io(path, e))?;
                    f.read_exact(&mut buf).map_err(|e| StoreError::io(path, e))?;
                    &buf
                }
            };
            let len = u32::try_from(payload.len()).map_err(|_| StoreError::Corrupt {
                path: data_tmp.clone(),
                reason: format!("advisory {} is over 4 GiB encoded", rec.meta.id),
            })?;
            out.write_all(&len.to_le_bytes()).map_err(&werr)?;
            out.write_all(&crc32fast::hash(payload).to_le_bytes()).map_err(&werr)?;
            out.write_all(payload).map_err(&werr)?;
            let m = &rec.meta;
            if m.withdrawn {
                status.withdrawn += 1;
            } else {
                for k in &m.keys {
                    keys.entry(k.clone()).or_default().push(pos);
                }
            }
            for e in &m.ecosystems {
                *status.by_ecosystem.entry(e.clone()).or_default() += 1;
            }
            for id in std::iter::once(&m.id).chain(&m.aliases) {
                let offs = ids.entry(id.to_ascii_lowercase()).or_default();
                if offs.last() != Some(&pos) {
                    offs.push(pos);
                }
            }
            if compare_modified(m.modified.as_deref(), status.newest_modified.as_deref()).is_gt() {
                status.newest_modified.clone_from(&m.modified);
            }
            pos += RECORD_HEADER + u64::from(len);
        }
        let file = out.into_inner().map_err(|e| StoreError::io(&data_tmp, e.into_error()))?;
        file.sync_all().map_err(&werr)?;
        Ok(pos)
    })();
    let data_len = match result {
        Ok(n) => n,
        Err(e) => {
            let _ = fs::remove_file(&data_tmp);
            return Err(e);
        }
    };
    fs::rename(&data_tmp, &data_path).map_err(write_err(&data_path))?;
    // The tables are built: the per-record metadata is no longer needed.
    drop(records);

    if sources.len() > MAX_SOURCES {
        sources.drain(..sources.len() - MAX_SOURCES);
    }
    status.sources = sources;
    status.packages = keys.len();

    let mut w = Writer::default();
    w.str(&data_name);
    w.varint(data_len);
    w.varint(status.total as u64);
    w.varint(status.built_at);
    w.varint(status.total as u64);
    w.varint(status.withdrawn as u64);
    w.opt_str(status.newest_modified.as_deref());
    w.len(status.by_ecosystem.len());
    for (e, n) in &status.by_ecosystem {
        w.str(e);
        w.varint(*n as u64);
    }
    w.len(status.sources.len());
    for s in &status.sources {
        w.str(&s.location);
        w.varint(s.imported_at);
        w.varint(s.advisories as u64);
    }
    let write_offsets = |w: &mut Writer, offs: &[u64]| {
        w.len(offs.len());
        for o in offs {
            w.varint(*o);
        }
    };
    w.len(keys.len());
    for ((eco, name), offs) in &keys {
        w.str(eco);
        w.str(name);
        write_offsets(&mut w, offs);
    }
    w.len(ids.len());
    for (id, offs) in &ids {
        w.str(id);
        write_offsets(&mut w, offs);
    }
    drop((keys, ids));
    let body = w.buf;
    let mut header = Vec::with_capacity(INDEX_HEADER);
    header.extend_from_slice(INDEX_MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    header.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());
    header.extend_from_slice(&(body.len() as u64).to_le_bytes());

    let index_path = dir.join(INDEX_FILE);
    let index_tmp = dir.join(format!(".{INDEX_FILE}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = File::create(&index_tmp)?;
        f.write_all(&header)?;
        f.write_all(&body)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&index_tmp);
        let _ = fs::remove_file(&data_path);
        return Err(StoreError::io(&index_tmp, e));
    }
    fs::rename(&index_tmp, &index_path).map_err(write_err(&index_path))?;
    if let Some(s) = old {
        if s.data_path != data_path {
            // Best effort: a leftover old data file wastes space but is never read.
            let _ = fs::remove_file(&s.data_path);
        }
    }
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(status)
}
