//! A minimal, bounded HDF5 reader: just enough of the HDF5 File Format Specification (version 3)
//! to list the attributes of the root group, or of an object named by a path, in files written by
//! h5py (Keras 2 `.h5` models, Keras 3 `model.weights.h5`).
//!
//! Why not libhdf5: it is C, it trusts the file, and it would read far more than we need. Keras
//! keeps everything that decides whether loading runs code (`model_config`, `training_config`) in
//! root attributes, so metadata is all that is read here: dataset data is never touched.
//!
//! Supported: superblock versions 0-3 (with a user block before the superblock); object headers
//! v1 and v2 with continuation blocks; groups as symbol tables (v1 B-tree + local heap), as compact
//! link messages, and as dense link storage (fractal heap + v2 B-tree name index); soft links;
//! attribute messages v1-v3, compact or dense (fractal heap managed, tiny and huge objects);
//! committed (shared) datatypes; fixed-length strings, variable-length strings (global heap),
//! integers and floats. Unsupported, reported as errors rather than guessed at: external links,
//! attributes kept in the shared-message (SOHM) heap, filtered (compressed) fractal heaps,
//! offsets or lengths wider than 8 bytes. Checksums are not verified: a damaged checksum makes
//! libhdf5 refuse the file, so reading on can only show more, never hide anything.
//!
//! Every address and length read from the file is checked against the file size and the
//! [`H5Limits`] before it is used; structures that point back at themselves (cycles) or that
//! nest deeper than `max_depth` are errors, and the total number of bytes read per call is capped.

use crate::source::Source;
use std::collections::{HashMap, HashSet, VecDeque};

/// Bounds for one read of a file. Defaults suit real Keras files with a wide margin.
#[derive(Debug, Clone)]
pub struct H5Limits {
    /// Bytes of one object header, all its continuation blocks together.
    pub max_header_bytes: u64,
    /// Messages in one object header.
    pub max_messages: usize,
    /// Bytes of one heap structure read at once (local heap segment, fractal heap object or
    /// block, B-tree node, global heap object).
    pub max_heap_bytes: u64,
    /// Nesting: path components, soft-link hops, B-tree levels, fractal heap indirect levels.
    pub max_depth: usize,
    /// Bytes of one string value.
    pub max_string_len: u64,
    /// Links, attributes and B-tree records visited in one call.
    pub max_entries: usize,
    /// Bytes read from the source in one call, all structures together.
    pub max_total_bytes: u64,
}

impl Default for H5Limits {
    fn default() -> Self {
        H5Limits {
            max_header_bytes: 16 << 20,
            max_messages: 65_536,
            max_heap_bytes: 64 << 20,
            max_depth: 32,
            max_string_len: 64 << 20,
            max_entries: 1_000_000,
            max_total_bytes: 1 << 30,
        }
    }
}

/// The value of one attribute, reduced to what an analyser needs.
#[derive(Debug, Clone, PartialEq)]
pub enum H5Value {
    /// A scalar string (fixed or variable length).
    Str(String),
    /// An array of strings.
    Strings(Vec<String>),
    /// A scalar integer.
    Int(i64),
    /// A scalar floating-point number.
    Float(f64),
    /// Anything else, described: its type and shape, or, starting with `unreadable:`, why the
    /// attribute could not be decoded.
    Other(String),
}

/// Attributes of the root group, in storage order.
pub fn root_attributes(src: &dyn Source, limits: &H5Limits) -> Result<Vec<(String, H5Value)>, String> {
    let mut r = Reader::open(src, limits)?;
    let root = r.root;
    let hdr = r.object_header(root)?;
    r.attributes(&hdr)
}

/// Attributes of the object (group or dataset) at `path`, such as `/model_weights` or
/// `model_weights/dense`. Soft links along the path are followed; external links are not.
pub fn group_attributes(src: &dyn Source, path: &str, limits: &H5Limits) -> Result<Vec<(String, H5Value)>, String> {
    let mut r = Reader::open(src, limits)?;
    let addr = r.resolve(path)?;
    let hdr = r.object_header(addr)?;
    r.attributes(&hdr)
}

const SIGNATURE: &[u8; 8] = b"\x89HDF\r\n\x1a\n";

// Object header message types used here.
const MSG_LINK_INFO: u16 = 0x02;
const MSG_DATATYPE: u16 = 0x03;
const MSG_LINK: u16 = 0x06;
const MSG_ATTRIBUTE: u16 = 0x0C;
const MSG_CONTINUATION: u16 = 0x10;
const MSG_SYMBOL_TABLE: u16 = 0x11;
const MSG_ATTRIBUTE_INFO: u16 = 0x15;
/// Message flag: the message body is a reference to a shared copy.
const MSG_FLAG_SHARED: u8 = 0x02;

/// Little-endian cursor over a metadata buffer; every read is bounds-checked.
struct Cur<'b> {
    b: &'b [u8],
    p: usize,
    what: &'static str,
}

impl<'b> Cur<'b> {
    fn new(b: &'b [u8], what: &'static str) -> Self {
        Cur { b, p: 0, what }
    }

    fn remaining(&self) -> usize {
        self.b.len().saturating_sub(self.p)
    }

    fn bytes(&mut self, n: usize) -> Result<&'b [u8], String> {
        let end = self.p.checked_add(n).filter(|&e| e <= self.b.len()).ok_or_else(|| format!("{} truncated", self.what))?;
        let s = &self.b[self.p..end];
        self.p = end;
        Ok(s)
    }

    fn skip(&mut self, n: usize) -> Result<(), String> {
        self.bytes(n).map(|_| ())
    }

    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.bytes(1)?[0])
    }

    fn u16(&mut self) -> Result<u16, String> {
        Ok(self.uvar(2)? as u16)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(self.uvar(4)? as u32)
    }

    /// An unsigned little-endian integer of `n` (0..=8) bytes.
    fn uvar(&mut self, n: usize) -> Result<u64, String> {
        if n > 8 {
            return Err(format!("{}: {n}-byte integer is wider than supported", self.what));
        }
        Ok(self.bytes(n)?.iter().rev().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// An address of `n` bytes; all ones is HDF5's "undefined address".
    fn addr(&mut self, n: usize) -> Result<Option<u64>, String> {
        let raw = self.bytes(n)?;
        if raw.iter().all(|&b| b == 0xff) {
            return Ok(None);
        }
        let mut c = Cur::new(raw, self.what);
        c.uvar(n).map(Some)
    }
}

/// Where a link leads.
enum Link {
    Hard(u64),
    Soft(String),
    External,
}

/// One object header message, its body copied out of the header block.
struct Msg {
    kind: u16,
    flags: u8,
    data: Vec<u8>,
}

struct ObjectHeader {
    msgs: Vec<Msg>,
}

/// A parsed fractal heap header (only the fields needed to find objects).
struct FractalHeap {
    addr: u64,
    id_len: usize,
    filtered: bool,
    checksummed_blocks: bool,
    max_managed: u64,
    width: u64,
    start_block: u64,
    max_direct_block: u64,
    heap_bits: u32,
    root: Option<u64>,
    root_rows: u64,
    huge_btree: Option<u64>,
}

impl FractalHeap {
    fn offset_bytes(&self) -> usize {
        (self.heap_bits as usize).div_ceil(8)
    }

    fn length_bytes(&self) -> usize {
        enc_size(self.max_direct_block.min(self.max_managed))
    }

    /// Rows of direct blocks before rows of indirect blocks start.
    fn max_direct_rows(&self) -> u64 {
        u64::from(log2(self.max_direct_block) - log2(self.start_block)) + 2
    }

    fn row_block_size(&self, row: u64) -> Option<u64> {
        if row == 0 {
            return Some(self.start_block);
        }
        let shift = u32::try_from(row - 1).ok()?;
        (log2(self.start_block).checked_add(shift)? < 64).then(|| self.start_block << shift)
    }
}

/// Bytes needed to store values up to `n` (libhdf5's `H5VM_limit_enc_size`).
fn enc_size(n: u64) -> usize {
    (log2(n) / 8) as usize + 1
}

fn log2(n: u64) -> u32 {
    63u32.saturating_sub(n.leading_zeros())
}

struct Reader<'a> {
    src: &'a dyn Source,
    limits: &'a H5Limits,
    /// Absolute position of the superblock: every file address is relative to it.
    base: u64,
    so: usize,
    sl: usize,
    root: u64,
    bytes_read: u64,
    entries: usize,
    /// Global heap collections already walked: object index -> (address, size).
    gheaps: HashMap<u64, HashMap<u16, (u64, u64)>>,
}

impl<'a> Reader<'a> {
    fn open(src: &'a dyn Source, limits: &'a H5Limits) -> Result<Reader<'a>, String> {
        // The superblock sits at 0 or, after a user block, at 512, 1024, 2048, ...
        let mut at = 0u64;
        let base = loop {
            if at.checked_add(8).is_none_or(|end| end > src.len()) {
                return Err("no HDF5 superblock signature found".into());
            }
            let sig = src.read_exact_vec(at, 8).map_err(|e| format!("read error: {e}"))?;
            if sig == SIGNATURE {
                break at;
            }
            at = if at == 0 { 512 } else { at.checked_mul(2).ok_or("no HDF5 superblock signature found")? };
        };
        let mut r = Reader { src, limits, base, so: 8, sl: 8, root: 0, bytes_read: 0, entries: 0, gheaps: HashMap::new() };
        let sb = r.read_upto(0, 256)?;
        let mut c = Cur::new(&sb, "superblock");
        c.skip(8)?;
        let version = c.u8()?;
        match version {
            0 | 1 => {
                c.skip(4)?; // free-space, root symbol table entry and shared header versions; reserved
                r.so = usize::from(c.u8()?);
                r.sl = usize::from(c.u8()?);
                r.check_sizes()?;
                c.skip(1 + 2 + 2 + 4)?; // reserved, group leaf/internal K, consistency flags
                if version == 1 {
                    c.skip(4)?; // indexed storage K, reserved
                }
                c.skip(4 * r.so)?; // base, free-space, end-of-file and driver-info addresses
                                   // Root group symbol table entry: link name offset, then the object header address.
                c.skip(r.so)?;
                r.root = c.addr(r.so)?.ok_or("root group has an undefined address")?;
            }
            2 | 3 => {
                r.so = usize::from(c.u8()?);
                r.sl = usize::from(c.u8()?);
                r.check_sizes()?;
                c.skip(1 + 3 * r.so)?; // consistency flags, base, extension and end-of-file addresses
                r.root = c.addr(r.so)?.ok_or("root group has an undefined address")?;
            }
            v => return Err(format!("superblock version {v} is not supported")),
        }
        Ok(r)
    }

    fn check_sizes(&self) -> Result<(), String> {
        for (what, n) in [("offsets", self.so), ("lengths", self.sl)] {
            if ![2, 4, 8].contains(&n) {
                return Err(format!("size of {what} {n} is not supported"));
            }
        }
        Ok(())
    }

    /// Absolute source position of a file address.
    fn abs(&self, addr: u64) -> Result<u64, String> {
        self.base.checked_add(addr).filter(|&a| a < self.src.len()).ok_or_else(|| format!("address {addr:#x} is outside the file"))
    }

    fn charge(&mut self, n: u64) -> Result<(), String> {
        if n > self.limits.max_heap_bytes {
            return Err(format!("a {n}-byte structure exceeds the limit of {} bytes", self.limits.max_heap_bytes));
        }
        self.bytes_read = self.bytes_read.saturating_add(n);
        if self.bytes_read > self.limits.max_total_bytes {
            return Err(format!("more than {} bytes of metadata read; limit reached", self.limits.max_total_bytes));
        }
        Ok(())
    }

    /// Exactly `n` bytes at file address `addr`.
    fn read(&mut self, addr: u64, n: u64) -> Result<Vec<u8>, String> {
        self.charge(n)?;
        let at = self.abs(addr)?;
        if at.checked_add(n).is_none_or(|end| end > self.src.len()) {
            return Err(format!("{n} bytes at address {addr:#x} run past the end of the file"));
        }
        self.src.read_exact_vec(at, n as usize).map_err(|e| format!("read error at {addr:#x}: {e}"))
    }

    /// Up to `n` bytes at `addr` (fewer at the end of the file), for fixed-size prefixes whose
    /// exact length is only known after parsing them.
    fn read_upto(&mut self, addr: u64, n: u64) -> Result<Vec<u8>, String> {
        let at = self.abs(addr)?;
        let n = n.min(self.src.len() - at);
        self.read(addr, n)
    }

    fn count_entry(&mut self) -> Result<(), String> {
        self.entries += 1;
        if self.entries > self.limits.max_entries {
            return Err(format!("more than {} links, attributes or records; limit reached", self.limits.max_entries));
        }
        Ok(())
    }

    // ---- object headers ----------------------------------------------------------------------

    fn object_header(&mut self, addr: u64) -> Result<ObjectHeader, String> {
        let prefix = self.read_upto(addr, 16)?;
        let mut msgs = Vec::new();
        // Continuation blocks still to read, in the order they were named (storage order).
        let mut pending: VecDeque<(u64, u64)> = VecDeque::new();
        let mut seen = HashSet::new();
        let mut total = 0u64;
        let v2 = prefix.starts_with(b"OHDR");
        if v2 {
            // The v2 prefix is variable: signature, version, flags, optional times, optional
            // attribute phase-change values, then the chunk size in 1, 2, 4 or 8 bytes.
            let mut c = Cur::new(&prefix, "object header");
            c.skip(4)?;
            let version = c.u8()?;
            if version != 2 {
                return Err(format!("object header at {addr:#x} has version {version}"));
            }
            let flags = c.u8()?;
            let extra = if flags & 0x20 != 0 { 16 } else { 0 } + if flags & 0x10 != 0 { 4 } else { 0 };
            let size_len = 1usize << (flags & 0x03);
            let head = self.read_upto(addr, 6 + extra + size_len as u64)?;
            let mut c = Cur::new(&head, "object header");
            c.skip(6 + extra as usize)?;
            let chunk = c.uvar(size_len)?;
            let start = addr.checked_add(c.p as u64).ok_or("object header address overflows")?;
            total = chunk;
            self.check_header_size(total)?;
            let body = self.read(start, chunk)?;
            seen.insert(addr);
            self.parse_messages(&body, flags, true, &mut msgs, &mut pending)?;
            self.check_messages(&msgs)?;
            while let Some((at, len)) = pending.pop_front() {
                self.header_block(at, len, Some(flags), &mut seen, &mut total, &mut msgs, &mut pending)?;
            }
        } else {
            let mut c = Cur::new(&prefix, "object header");
            let version = c.u8()?;
            if version != 1 {
                return Err(format!("object header at {addr:#x} has unknown version {version}"));
            }
            c.skip(1 + 2 + 4)?; // reserved, message count (recounted below), reference count
            let size = u64::from(c.u32()?);
            // Messages start after the 12-byte prefix padded to 8-byte alignment.
            let start = addr.checked_add(16).ok_or("object header address overflows")?;
            seen.insert(addr);
            pending.push_back((start, size));
            while let Some((at, len)) = pending.pop_front() {
                self.header_block(at, len, None, &mut seen, &mut total, &mut msgs, &mut pending)?;
            }
        }
        Ok(ObjectHeader { msgs })
    }

    fn check_header_size(&self, total: u64) -> Result<(), String> {
        if total > self.limits.max_header_bytes {
            return Err(format!("object header larger than {} bytes; limit reached", self.limits.max_header_bytes));
        }
        Ok(())
    }

    fn check_messages(&self, msgs: &[Msg]) -> Result<(), String> {
        if msgs.len() > self.limits.max_messages {
            return Err(format!("object header has more than {} messages; limit reached", self.limits.max_messages));
        }
        Ok(())
    }

    /// Reads one block of messages: the first block of a v1 header, or any continuation block.
    /// `v2_flags` is the header's flags for version 2 (continuation blocks carry `OCHK` and a
    /// checksum), `None` for version 1.
    #[expect(clippy::too_many_arguments, reason = "the header walk state is threaded through explicitly")]
    fn header_block(
        &mut self,
        at: u64,
        len: u64,
        v2_flags: Option<u8>,
        seen: &mut HashSet<u64>,
        total: &mut u64,
        msgs: &mut Vec<Msg>,
        pending: &mut VecDeque<(u64, u64)>,
    ) -> Result<(), String> {
        if !seen.insert(at) {
            return Err(format!("object header continuation at {at:#x} loops back"));
        }
        *total = total.saturating_add(len);
        self.check_header_size(*total)?;
        let block = self.read(at, len)?;
        match v2_flags {
            Some(flags) => {
                if !block.starts_with(b"OCHK") || block.len() < 8 {
                    return Err(format!("object header continuation block at {at:#x} has no OCHK signature"));
                }
                self.parse_messages(&block[4..block.len() - 4], flags, true, msgs, pending)?;
            }
            None => self.parse_messages(&block, 0, false, msgs, pending)?,
        }
        self.check_messages(msgs)
    }

    fn parse_messages(
        &self,
        body: &[u8],
        flags: u8,
        v2: bool,
        msgs: &mut Vec<Msg>,
        pending: &mut VecDeque<(u64, u64)>,
    ) -> Result<(), String> {
        let mut c = Cur::new(body, "object header message");
        let head_len = if v2 { 4 + if flags & 0x04 != 0 { 2 } else { 0 } } else { 8 };
        // What is left after the last whole message is a gap (v2) or padding (v1).
        while c.remaining() >= head_len {
            let (kind, size, mflags) = if v2 {
                let kind = u16::from(c.u8()?);
                let size = c.u16()?;
                let mflags = c.u8()?;
                if flags & 0x04 != 0 {
                    c.skip(2)?; // creation order
                }
                (kind, size, mflags)
            } else {
                let kind = c.u16()?;
                let size = c.u16()?;
                let mflags = c.u8()?;
                c.skip(3)?;
                (kind, size, mflags)
            };
            let data = c.bytes(usize::from(size)).map_err(|_| "object header message runs past its block".to_string())?;
            if kind == MSG_CONTINUATION {
                let mut d = Cur::new(data, "continuation message");
                let at = d.addr(self.so)?.ok_or("continuation message has an undefined address")?;
                let len = d.uvar(self.sl)?;
                pending.push_back((at, len));
            } else if kind != 0 {
                msgs.push(Msg { kind, flags: mflags, data: data.to_vec() });
                if msgs.len() > self.limits.max_messages {
                    return Err(format!("object header has more than {} messages; limit reached", self.limits.max_messages));
                }
            }
        }
        Ok(())
    }

    // ---- groups and links --------------------------------------------------------------------

    /// Resolves a path from the root group to an object header address.
    fn resolve(&mut self, path: &str) -> Result<u64, String> {
        let mut todo: Vec<String> = components(path);
        let mut done: Vec<String> = Vec::new();
        let mut addr = self.root;
        let mut hops = 0usize;
        while !todo.is_empty() {
            if done.len() + todo.len() > self.limits.max_depth {
                return Err(format!("path {path:?} is deeper than {} components", self.limits.max_depth));
            }
            let name = todo.remove(0);
            let hdr = self.object_header(addr)?;
            match self.find_link(&hdr, &name)? {
                None => return Err(format!("no object named {name:?} in /{}", done.join("/"))),
                Some(Link::Hard(a)) => {
                    addr = a;
                    done.push(name);
                }
                Some(Link::Soft(target)) => {
                    hops += 1;
                    if hops > self.limits.max_depth {
                        return Err(format!("more than {} soft links followed for {path:?}", self.limits.max_depth));
                    }
                    // A soft link is a path, absolute or relative to the group holding it.
                    let mut next = if target.starts_with('/') { Vec::new() } else { done.clone() };
                    next.extend(components(&target));
                    next.append(&mut todo);
                    todo = next;
                    done.clear();
                    addr = self.root;
                }
                Some(Link::External) => return Err(format!("{name:?} is an external link (to another file); not followed")),
            }
        }
        Ok(addr)
    }

    fn find_link(&mut self, hdr: &ObjectHeader, name: &str) -> Result<Option<Link>, String> {
        for m in &hdr.msgs {
            match m.kind {
                MSG_SYMBOL_TABLE => {
                    let mut c = Cur::new(&m.data, "symbol table message");
                    let btree = c.addr(self.so)?.ok_or("symbol table has an undefined B-tree address")?;
                    let heap = c.addr(self.so)?.ok_or("symbol table has an undefined heap address")?;
                    if let Some(link) = self.symbol_table_lookup(btree, heap, name)? {
                        return Ok(Some(link));
                    }
                }
                MSG_LINK => {
                    self.count_entry()?;
                    let (n, link) = self.parse_link(&m.data)?;
                    if n == name {
                        return Ok(Some(link));
                    }
                }
                MSG_LINK_INFO => {
                    let mut c = Cur::new(&m.data, "link info message");
                    c.skip(1)?;
                    let flags = c.u8()?;
                    if flags & 0x01 != 0 {
                        c.skip(8)?;
                    }
                    let heap = c.addr(self.so)?;
                    let btree = c.addr(self.so)?;
                    if let (Some(heap), Some(btree)) = (heap, btree) {
                        let heap = self.fractal_heap(heap)?;
                        for rec in self.btree2_records(btree, 5)? {
                            // Type 5 record: 4-byte name hash, then the 7-byte heap ID.
                            let obj = self.heap_object(&heap, rec.get(4..).ok_or("link name record too short")?)?;
                            let (n, link) = self.parse_link(&obj)?;
                            if n == name {
                                return Ok(Some(link));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(None)
    }

    fn parse_link(&self, data: &[u8]) -> Result<(String, Link), String> {
        let mut c = Cur::new(data, "link message");
        let version = c.u8()?;
        if version != 1 {
            return Err(format!("link message version {version} is not supported"));
        }
        let flags = c.u8()?;
        let kind = if flags & 0x08 != 0 { c.u8()? } else { 0 };
        if flags & 0x04 != 0 {
            c.skip(8)?; // creation order
        }
        if flags & 0x10 != 0 {
            c.skip(1)?; // name character set
        }
        let name_len = c.uvar(1 << (flags & 0x03))?;
        let name = String::from_utf8_lossy(c.bytes(usize::try_from(name_len).map_err(|_| "link name too long")?)?).into_owned();
        let link = match kind {
            0 => Link::Hard(c.addr(self.so)?.ok_or("hard link with an undefined address")?),
            1 => {
                let n = c.u16()?;
                Link::Soft(String::from_utf8_lossy(c.bytes(usize::from(n))?).into_owned())
            }
            _ => Link::External,
        };
        Ok((name, link))
    }

    fn symbol_table_lookup(&mut self, btree: u64, heap: u64, name: &str) -> Result<Option<Link>, String> {
        let heap = self.local_heap(heap)?;
        let mut stack = vec![(btree, 0usize)];
        let mut seen = HashSet::new();
        while let Some((node, depth)) = stack.pop() {
            if depth > self.limits.max_depth {
                return Err("group B-tree is deeper than the limit".into());
            }
            if !seen.insert(node) {
                return Err(format!("group B-tree node at {node:#x} is reached twice"));
            }
            let head = self.read(node, 8)?;
            if &head[..4] != b"TREE" {
                return Err(format!("group B-tree node at {node:#x} has no TREE signature"));
            }
            if head[4] != 0 {
                return Err(format!("B-tree node at {node:#x} is not a group node"));
            }
            let level = head[5];
            let used = u64::from(u16::from_le_bytes([head[6], head[7]]));
            // Siblings, then keys and children interleaved, one more key than children.
            let len = 8 + 2 * self.so as u64 + used * (self.sl + self.so) as u64 + self.sl as u64;
            let body = self.read(node, len)?;
            let mut c = Cur::new(&body, "group B-tree node");
            c.skip(8 + 2 * self.so)?;
            for _ in 0..used {
                self.count_entry()?;
                c.skip(self.sl)?;
                let child = c.addr(self.so)?.ok_or("group B-tree child with an undefined address")?;
                if level > 0 {
                    stack.push((child, depth + 1));
                } else if let Some(link) = self.symbol_node_lookup(child, &heap, name)? {
                    return Ok(Some(link));
                }
            }
        }
        Ok(None)
    }

    fn symbol_node_lookup(&mut self, node: u64, heap: &[u8], name: &str) -> Result<Option<Link>, String> {
        let head = self.read(node, 8)?;
        if &head[..4] != b"SNOD" {
            return Err(format!("symbol table node at {node:#x} has no SNOD signature"));
        }
        let count = u64::from(u16::from_le_bytes([head[6], head[7]]));
        let entry = 2 * self.so as u64 + 24;
        let body = self.read(node, 8 + count * entry)?;
        let mut c = Cur::new(&body, "symbol table node");
        c.skip(8)?;
        for _ in 0..count {
            self.count_entry()?;
            let name_off = c.uvar(self.so)?;
            let addr = c.addr(self.so)?;
            let cache = c.u32()?;
            c.skip(4)?;
            let scratch = c.bytes(16)?;
            if heap_str(heap, name_off)? != name {
                continue;
            }
            // Cache type 2 marks a soft link whose value sits in the local heap.
            if cache == 2 {
                let off = u64::from(u32::from_le_bytes([scratch[0], scratch[1], scratch[2], scratch[3]]));
                return Ok(Some(Link::Soft(heap_str(heap, off)?)));
            }
            return Ok(Some(Link::Hard(addr.ok_or("symbol with an undefined object address")?)));
        }
        Ok(None)
    }

    fn local_heap(&mut self, addr: u64) -> Result<Vec<u8>, String> {
        let head = self.read(addr, 8 + 2 * self.sl as u64 + self.so as u64)?;
        let mut c = Cur::new(&head, "local heap");
        if c.bytes(4)? != b"HEAP" {
            return Err(format!("local heap at {addr:#x} has no HEAP signature"));
        }
        c.skip(4)?;
        let size = c.uvar(self.sl)?;
        c.skip(self.sl)?;
        let data = c.addr(self.so)?.ok_or("local heap with an undefined data address")?;
        self.read(data, size)
    }

    // ---- attributes --------------------------------------------------------------------------

    /// Every attribute of an object, compact and dense alike (a crafted file may carry both;
    /// readers differ in which they consult, so both are reported). An attribute that cannot be
    /// decoded is listed with an [`H5Value::Other`] starting with `unreadable:` so the others
    /// still reach the analyser; damage to the structures that hold attributes is an error.
    fn attributes(&mut self, hdr: &ObjectHeader) -> Result<Vec<(String, H5Value)>, String> {
        let mut out = Vec::new();
        for m in &hdr.msgs {
            match m.kind {
                MSG_ATTRIBUTE => {
                    self.count_entry()?;
                    let attr = if m.flags & MSG_FLAG_SHARED != 0 {
                        Err("stored as a shared message (SOHM); not supported".to_string())
                    } else {
                        self.parse_attribute(&m.data)
                    };
                    let index = out.len();
                    out.push(attr.unwrap_or_else(|e| unreadable(&m.data, index, &e)));
                }
                MSG_ATTRIBUTE_INFO => {
                    let mut c = Cur::new(&m.data, "attribute info message");
                    c.skip(1)?;
                    let flags = c.u8()?;
                    if flags & 0x01 != 0 {
                        c.skip(2)?;
                    }
                    let heap = c.addr(self.so)?;
                    let btree = c.addr(self.so)?;
                    if let (Some(heap), Some(btree)) = (heap, btree) {
                        let heap = self.fractal_heap(heap)?;
                        for rec in self.btree2_records(btree, 8)? {
                            self.count_entry()?;
                            // Type 8 record: 8-byte heap ID, message flags, creation order, hash.
                            if rec.len() < 9 {
                                return Err("attribute name record too short".into());
                            }
                            let attr = if rec[8] & MSG_FLAG_SHARED != 0 {
                                Err((Vec::new(), "stored as a shared message (SOHM); not supported".to_string()))
                            } else {
                                match self.heap_object(&heap, &rec[..8]) {
                                    Ok(obj) => self.parse_attribute(&obj).map_err(|e| (obj, e)),
                                    Err(e) => Err((Vec::new(), e)),
                                }
                            };
                            let index = out.len();
                            out.push(attr.unwrap_or_else(|(raw, e)| unreadable(&raw, index, &e)));
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn parse_attribute(&mut self, data: &[u8]) -> Result<(String, H5Value), String> {
        let mut c = Cur::new(data, "attribute message");
        let version = c.u8()?;
        if !(1..=3).contains(&version) {
            return Err(format!("attribute message version {version} is not supported"));
        }
        let flags = c.u8()?; // reserved in version 1
        let name_len = usize::from(c.u16()?);
        let dt_len = usize::from(c.u16()?);
        let ds_len = usize::from(c.u16()?);
        if version == 3 {
            c.skip(1)?; // name character set
        }
        // Version 1 pads name, datatype and dataspace to multiples of 8 bytes.
        let pad = |n: usize| if version == 1 { n.div_ceil(8) * 8 } else { n };
        let raw_name = c.bytes(pad(name_len))?;
        let name_bytes = &raw_name[..name_len.min(raw_name.len())];
        let name_bytes = name_bytes.split(|&b| b == 0).next().unwrap_or_default();
        let name = String::from_utf8_lossy(name_bytes).into_owned();
        let dt_raw = c.bytes(pad(dt_len))?;
        let ds_raw = c.bytes(pad(ds_len))?;
        let dtype = if version > 1 && flags & 0x01 != 0 {
            self.committed_datatype(&dt_raw[..dt_len])?
        } else {
            parse_datatype(&dt_raw[..dt_len], self.so, 0)?
        };
        if version > 1 && flags & 0x02 != 0 {
            return Ok((name, H5Value::Other("shared dataspace; not decoded".into())));
        }
        let shape = parse_dataspace(&ds_raw[..ds_len], self.sl)?;
        let value = self.decode_value(&dtype, shape, &data[c.p..]);
        Ok((name, value))
    }

    /// A datatype kept in a committed datatype object: the attribute holds a shared message
    /// pointing at that object's header.
    fn committed_datatype(&mut self, raw: &[u8]) -> Result<Dtype, String> {
        let mut c = Cur::new(raw, "shared datatype");
        let version = c.u8()?;
        let kind = c.u8()?;
        let addr = match (version, kind) {
            (1, _) => {
                c.skip(6)?;
                c.addr(self.so)?
            }
            (2, 0) | (3, 2) => c.addr(self.so)?,
            _ => return Err(format!("shared datatype (version {version}, type {kind}) is not supported")),
        };
        let hdr = self.object_header(addr.ok_or("committed datatype with an undefined address")?)?;
        let msg = hdr.msgs.iter().find(|m| m.kind == MSG_DATATYPE).ok_or("committed datatype object has no datatype message")?;
        parse_datatype(&msg.data, self.so, 0)
    }

    /// Decodes attribute data. Anything that cannot be decoded becomes `Other` with the reason,
    /// so one odd attribute does not hide the others.
    fn decode_value(&mut self, dtype: &Dtype, shape: Shape, data: &[u8]) -> H5Value {
        let (count, scalar) = match shape {
            Shape::Null => return H5Value::Other("empty (null dataspace)".into()),
            Shape::Scalar => (1u64, true),
            Shape::Simple(n) => (n, false),
        };
        let size = dtype.size();
        let need = match count.checked_mul(size) {
            Some(n) if n <= data.len() as u64 => n as usize,
            _ => return H5Value::Other(format!("{count} elements of {size} bytes do not fit in the attribute message")),
        };
        if count as usize > self.limits.max_entries {
            return H5Value::Other(format!("{count} elements; limit reached"));
        }
        let elems = data[..need].chunks_exact(size.max(1) as usize).take(count as usize);
        match dtype {
            Dtype::Int { size, signed, big_endian } if scalar => int_value(&data[..*size as usize], *signed, *big_endian),
            Dtype::Float { size, big_endian } if scalar => float_value(&data[..*size as usize], *big_endian),
            Dtype::FixedStr { pad, .. } => {
                let strings: Vec<String> = elems.map(|e| fixed_string(e, *pad)).collect();
                strings_value(strings, scalar)
            }
            Dtype::VlenStr { .. } => {
                let mut strings = Vec::new();
                for e in elems {
                    match self.vlen_string(e) {
                        Ok(s) => strings.push(s),
                        Err(err) => return H5Value::Other(format!("variable-length string unreadable: {err}")),
                    }
                }
                strings_value(strings, scalar)
            }
            other => H5Value::Other(format!("{} ({count} element{})", other.describe(), if count == 1 { "" } else { "s" })),
        }
    }

    /// One variable-length string element: length, global heap collection address, object index.
    fn vlen_string(&mut self, elem: &[u8]) -> Result<String, String> {
        let mut c = Cur::new(elem, "variable-length string");
        let len = u64::from(c.u32()?);
        let coll = c.addr(self.so)?;
        let index = c.u32()?;
        if len == 0 {
            return Ok(String::new());
        }
        if len > self.limits.max_string_len {
            return Err(format!("{len}-byte string exceeds the limit of {} bytes", self.limits.max_string_len));
        }
        let coll = coll.ok_or("string in an undefined global heap collection")?;
        let index = u16::try_from(index).map_err(|_| format!("global heap object index {index} is out of range"))?;
        let (addr, size) = self.gheap_object(coll, index)?;
        if size < len {
            return Err(format!("global heap object holds {size} bytes, string needs {len}"));
        }
        let bytes = self.read(addr, len)?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// Finds an object in a global heap collection. The collection is walked object header by
    /// object header (never read whole: it can be as large as the strings it holds) and the
    /// index is cached, so string arrays cost one walk.
    fn gheap_object(&mut self, coll: u64, index: u16) -> Result<(u64, u64), String> {
        if !self.gheaps.contains_key(&coll) {
            let head = self.read(coll, 8 + self.sl as u64)?;
            let mut c = Cur::new(&head, "global heap collection");
            if c.bytes(4)? != b"GCOL" {
                return Err(format!("global heap collection at {coll:#x} has no GCOL signature"));
            }
            c.skip(4)?;
            let size = c.uvar(self.sl)?;
            let end = coll.checked_add(size).ok_or("global heap collection size overflows")?;
            let obj_head = 8 + self.sl as u64;
            let mut at = coll + obj_head;
            let mut objects = HashMap::new();
            while at.checked_add(obj_head).is_some_and(|e| e <= end) && objects.len() < 65_536 {
                // Counted, so that many collections overlapping one long object chain cannot
                // multiply the walk.
                self.count_entry()?;
                let h = self.read(at, obj_head)?;
                let mut c = Cur::new(&h, "global heap object");
                let idx = c.u16()?;
                c.skip(6)?;
                let osize = c.uvar(self.sl)?;
                if idx == 0 {
                    break; // free space: the rest of the collection is unused
                }
                let data = at + obj_head;
                objects.insert(idx, (data, osize));
                let padded = osize.checked_add(7).map(|n| n & !7).ok_or("global heap object size overflows")?;
                at = data.checked_add(padded).ok_or("global heap object size overflows")?;
            }
            self.gheaps.insert(coll, objects);
        }
        self.gheaps[&coll].get(&index).copied().ok_or_else(|| format!("global heap collection at {coll:#x} has no object {index}"))
    }

    // ---- version 2 B-trees ------------------------------------------------------------------

    /// Every record of a v2 B-tree of the given type, internal nodes included (in v2 B-trees
    /// internal nodes hold real records too).
    fn btree2_records(&mut self, addr: u64, want_type: u8) -> Result<Vec<Vec<u8>>, String> {
        let head = self.read(addr, 16 + self.so as u64 + 2 + self.sl as u64)?;
        let mut c = Cur::new(&head, "v2 B-tree header");
        if c.bytes(4)? != b"BTHD" {
            return Err(format!("v2 B-tree at {addr:#x} has no BTHD signature"));
        }
        c.skip(1)?;
        let kind = c.u8()?;
        if kind != want_type {
            return Err(format!("v2 B-tree at {addr:#x} has type {kind}, expected {want_type}"));
        }
        let node_size = u64::from(c.u32()?);
        let rec_size = u64::from(c.u16()?);
        let depth = usize::from(c.u16()?);
        c.skip(2)?;
        let root = c.addr(self.so)?;
        let root_nrec = u64::from(c.u16()?);
        let Some(root) = root else { return Ok(Vec::new()) };
        if depth > self.limits.max_depth {
            return Err(format!("v2 B-tree depth {depth} exceeds the limit"));
        }
        if rec_size == 0 || node_size <= 10 + rec_size || node_size > self.limits.max_heap_bytes {
            return Err(format!("v2 B-tree at {addr:#x} has inconsistent node ({node_size}) and record ({rec_size}) sizes"));
        }
        // Field widths in internal nodes follow from how many records fit below each level
        // (libhdf5 computes the same table when it opens the tree).
        let leaf_max = (node_size - 10) / rec_size;
        let nrec_size = enc_size(leaf_max);
        let mut cum = vec![leaf_max];
        let mut cum_size = vec![0usize];
        let mut ptr_size = vec![0usize];
        for d in 1..=depth {
            let p = self.so + nrec_size + if d > 1 { cum_size[d - 1] } else { 0 };
            let room = node_size.checked_sub(10 + p as u64).ok_or("v2 B-tree node too small for its pointers")?;
            let max = room / (rec_size + p as u64);
            let c = max.saturating_add(1).saturating_mul(cum[d - 1]).saturating_add(max);
            ptr_size.push(p);
            cum.push(c);
            cum_size.push(enc_size(c));
        }
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![(root, root_nrec, depth)];
        while let Some((node, nrec, d)) = stack.pop() {
            if !seen.insert(node) {
                return Err(format!("v2 B-tree node at {node:#x} is reached twice"));
            }
            // Child record counts come from the file and may be anything up to 2^64 - 1.
            let ptrs = if d > 0 { nrec.checked_add(1).and_then(|n| n.checked_mul(ptr_size[d] as u64)) } else { Some(0) };
            let len = nrec.checked_mul(rec_size).and_then(|r| r.checked_add(6)).zip(ptrs).and_then(|(r, p)| r.checked_add(p));
            let Some(len) = len.filter(|&l| l <= node_size) else {
                return Err(format!("v2 B-tree node at {node:#x} claims {nrec} records, more than fit"));
            };
            let body = self.read(node, len)?;
            let sig: &[u8] = if d > 0 { b"BTIN" } else { b"BTLF" };
            if &body[..4] != sig {
                return Err(format!("v2 B-tree node at {node:#x} has no {} signature", String::from_utf8_lossy(sig)));
            }
            let mut c = Cur::new(&body, "v2 B-tree node");
            c.skip(6)?;
            for _ in 0..nrec {
                self.count_entry()?;
                out.push(c.bytes(rec_size as usize)?.to_vec());
            }
            if d > 0 {
                for _ in 0..=nrec {
                    let child = c.addr(self.so)?.ok_or("v2 B-tree child with an undefined address")?;
                    let child_nrec = c.uvar(nrec_size)?;
                    if d > 1 {
                        c.skip(cum_size[d - 1])?;
                    }
                    stack.push((child, child_nrec, d - 1));
                }
            }
        }
        Ok(out)
    }

    // ---- fractal heaps ----------------------------------------------------------------------

    fn fractal_heap(&mut self, addr: u64) -> Result<FractalHeap, String> {
        let (so, sl) = (self.so as u64, self.sl as u64);
        // Fixed fields: 22 bytes, 12 lengths and 3 addresses (filter information is not needed).
        let len = 22 + 12 * sl + 3 * so;
        let head = self.read_upto(addr, len)?;
        let mut c = Cur::new(&head, "fractal heap header");
        if c.bytes(4)? != b"FRHP" {
            return Err(format!("fractal heap at {addr:#x} has no FRHP signature"));
        }
        c.skip(1)?;
        let id_len = usize::from(c.u16()?);
        let filters_len = c.u16()?;
        let flags = c.u8()?;
        let max_managed = u64::from(c.u32()?);
        c.skip(self.sl)?; // next huge object ID
        let huge_btree = c.addr(self.so)?;
        c.skip(self.sl)?; // free space in managed blocks
        c.skip(self.so)?; // free-space manager
        c.skip(6 * self.sl)?; // managed space, allocated, iterator, object counts and sizes
        c.skip(2 * self.sl)?; // tiny object size and count
        let width = u64::from(c.u16()?);
        let start_block = c.uvar(self.sl)?;
        let max_direct_block = c.uvar(self.sl)?;
        let heap_bits = u32::from(c.u16()?);
        c.skip(2)?; // starting rows of the root indirect block
        let root = c.addr(self.so)?;
        let root_rows = u64::from(c.u16()?);
        let ok = width.is_power_of_two()
            && start_block.is_power_of_two()
            && max_direct_block.is_power_of_two()
            && max_direct_block >= start_block
            && (1..=64).contains(&heap_bits)
            && (1..=64).contains(&id_len);
        if !ok {
            return Err(format!("fractal heap at {addr:#x} has an inconsistent doubling table"));
        }
        Ok(FractalHeap {
            addr,
            id_len,
            filtered: filters_len > 0,
            checksummed_blocks: flags & 0x02 != 0,
            max_managed,
            width,
            start_block,
            max_direct_block,
            heap_bits,
            root,
            root_rows,
            huge_btree,
        })
    }

    /// The bytes of the object a heap ID names.
    fn heap_object(&mut self, heap: &FractalHeap, id: &[u8]) -> Result<Vec<u8>, String> {
        let id = id.get(..heap.id_len.min(id.len())).unwrap_or_default();
        let first = *id.first().ok_or("empty fractal heap ID")?;
        if first >> 6 != 0 {
            return Err(format!("fractal heap ID version {} is not supported", first >> 6));
        }
        match (first >> 4) & 0x03 {
            0 => {
                let mut c = Cur::new(&id[1..], "fractal heap ID");
                let offset = c.uvar(heap.offset_bytes())?;
                let len = c.uvar(heap.length_bytes())?;
                self.managed_object(heap, offset, len)
            }
            1 => self.huge_object(heap, &id[1..]),
            2 => {
                // Tiny objects live in the ID itself; IDs longer than 18 bytes use 12-bit lengths.
                let (len, data) = if heap.id_len <= 18 {
                    (usize::from(first & 0x0f) + 1, &id[1..])
                } else {
                    let second = *id.get(1).ok_or("tiny heap ID truncated")?;
                    ((usize::from(first & 0x0f) << 8 | usize::from(second)) + 1, &id[2.min(id.len())..])
                };
                data.get(..len).map(<[u8]>::to_vec).ok_or_else(|| "tiny heap object runs past its ID".into())
            }
            t => Err(format!("fractal heap ID type {t} is not defined")),
        }
    }

    fn huge_object(&mut self, heap: &FractalHeap, rest: &[u8]) -> Result<Vec<u8>, String> {
        if heap.filtered {
            return Err("filtered (compressed) huge heap object; not supported".into());
        }
        // When the ID is wide enough, address and length are in it; otherwise it holds a key
        // into the heap's huge-object B-tree.
        let (addr, len) = if rest.len() >= self.so + self.sl {
            let mut c = Cur::new(rest, "huge heap ID");
            (c.addr(self.so)?.ok_or("huge heap object with an undefined address")?, c.uvar(self.sl)?)
        } else {
            let key = Cur::new(rest, "huge heap ID").uvar(rest.len().min(8))?;
            let btree = heap.huge_btree.ok_or("huge heap object but no huge-object B-tree")?;
            let mut found = None;
            for rec in self.btree2_records(btree, 1)? {
                let mut c = Cur::new(&rec, "huge object record");
                let a = c.addr(self.so)?;
                let l = c.uvar(self.sl)?;
                if c.uvar(self.sl)? == key {
                    found = Some((a.ok_or("huge heap object with an undefined address")?, l));
                    break;
                }
            }
            found.ok_or_else(|| format!("huge heap object {key} not found"))?
        };
        self.read(addr, len)
    }

    fn managed_object(&mut self, heap: &FractalHeap, offset: u64, len: u64) -> Result<Vec<u8>, String> {
        if heap.filtered {
            return Err("filtered (compressed) fractal heap; not supported".into());
        }
        let root = heap.root.ok_or("fractal heap is empty")?;
        if heap.root_rows == 0 {
            return self.direct_block_object(heap, root, 0, heap.start_block, offset, len);
        }
        let mut block = root;
        let mut block_off = 0u64;
        let mut rows = heap.root_rows;
        let mut seen = HashSet::new();
        for _ in 0..=self.limits.max_depth {
            if !seen.insert(block) {
                return Err(format!("fractal heap indirect block at {block:#x} is reached twice"));
            }
            let direct_rows = rows.min(heap.max_direct_rows());
            let indirect_rows = rows - direct_rows;
            let entries = (direct_rows + indirect_rows).checked_mul(heap.width).ok_or("fractal heap indirect block too large")?;
            let prefix = 5 + self.so as u64 + heap.offset_bytes() as u64;
            let body = self.read(block, prefix + entries * self.so as u64)?;
            if &body[..4] != b"FHIB" {
                return Err(format!("fractal heap indirect block at {block:#x} has no FHIB signature"));
            }
            let rel = offset.checked_sub(block_off).ok_or("fractal heap offset before its block")?;
            // Find the row and column covering the offset, accumulating each row's span.
            let mut row_start = 0u64;
            let mut next = None;
            for row in 0..rows {
                let bs = heap.row_block_size(row).ok_or("fractal heap row size overflows")?;
                let span = bs.checked_mul(heap.width).ok_or("fractal heap row span overflows")?;
                if rel < row_start.saturating_add(span) {
                    let col = (rel - row_start) / bs;
                    let child_off = block_off + row_start + col * bs;
                    let index = row * heap.width + col;
                    let mut c = Cur::new(&body, "fractal heap indirect block");
                    c.skip((prefix + index * self.so as u64) as usize)?;
                    let child = c.addr(self.so)?.ok_or("fractal heap object in an unallocated block")?;
                    if row < direct_rows {
                        return self.direct_block_object(heap, child, child_off, bs, offset, len);
                    }
                    // A child indirect block spanning `bs` bytes has as many rows as it takes
                    // for the doubling table to add up to that span.
                    let first_bits = log2(heap.start_block) + log2(heap.width);
                    let child_rows = u64::from(log2(bs).checked_sub(first_bits).ok_or("fractal heap child block too small")?) + 1;
                    next = Some((child, child_off, child_rows));
                    break;
                }
                row_start = row_start.checked_add(span).ok_or("fractal heap offset overflows")?;
            }
            let (b, o, r) = next.ok_or_else(|| format!("fractal heap offset {offset} is beyond the heap"))?;
            block = b;
            block_off = o;
            rows = r;
        }
        Err("fractal heap indirect blocks nest deeper than the limit".into())
    }

    fn direct_block_object(
        &mut self,
        heap: &FractalHeap,
        block: u64,
        block_off: u64,
        size: u64,
        offset: u64,
        len: u64,
    ) -> Result<Vec<u8>, String> {
        let header = 5 + self.so as u64 + heap.offset_bytes() as u64 + if heap.checksummed_blocks { 4 } else { 0 };
        let head = self.read(block, 5 + self.so as u64)?;
        if &head[..4] != b"FHDB" {
            return Err(format!("fractal heap direct block at {block:#x} has no FHDB signature"));
        }
        let mut c = Cur::new(&head[5..], "fractal heap direct block");
        if c.addr(self.so)? != Some(heap.addr) {
            return Err(format!("fractal heap direct block at {block:#x} belongs to another heap"));
        }
        // Object offsets count from the start of the block, header included.
        let pos = offset.checked_sub(block_off).ok_or("fractal heap offset before its block")?;
        if pos < header || pos.checked_add(len).is_none_or(|end| end > size) {
            return Err(format!("fractal heap object ({len} bytes at {offset}) lies outside its direct block"));
        }
        self.read(block + pos, len)
    }
}

/// The entry for an attribute that could not be decoded: its name when at least that much of
/// the message is readable, else its position.
fn unreadable(raw: &[u8], index: usize, err: &str) -> (String, H5Value) {
    let name = (|| {
        let mut c = Cur::new(raw, "attribute message");
        c.skip(2)?;
        let n = usize::from(c.u16()?);
        c.skip(4 + usize::from(raw.first() == Some(&3)))?;
        let b = c.bytes(n)?;
        Ok::<_, String>(String::from_utf8_lossy(b.split(|&x| x == 0).next().unwrap_or_default()).into_owned())
    })()
    .ok()
    .filter(|n| !n.is_empty())
    .unwrap_or_else(|| format!("#{index}"));
    (name, H5Value::Other(format!("unreadable: {err}")))
}

fn components(path: &str) -> Vec<String> {
    path.split('/').filter(|c| !c.is_empty() && *c != ".").map(str::to_string).collect()
}

/// A NUL-terminated string at `off` in a local heap segment.
fn heap_str(heap: &[u8], off: u64) -> Result<String, String> {
    let rest = usize::try_from(off).ok().and_then(|o| heap.get(o..)).ok_or("name offset outside the local heap")?;
    let end = rest.iter().position(|&b| b == 0).ok_or("name in the local heap is not terminated")?;
    Ok(String::from_utf8_lossy(&rest[..end]).into_owned())
}

enum Shape {
    Scalar,
    Null,
    Simple(u64),
}

fn parse_dataspace(raw: &[u8], sl: usize) -> Result<Shape, String> {
    let mut c = Cur::new(raw, "dataspace");
    let version = c.u8()?;
    let rank = c.u8()?;
    c.skip(1)?; // flags
    let kind = match version {
        1 => {
            c.skip(5)?;
            if rank == 0 {
                0
            } else {
                1
            }
        }
        2 => c.u8()?,
        v => return Err(format!("dataspace version {v} is not supported")),
    };
    match kind {
        0 => Ok(Shape::Scalar),
        2 => Ok(Shape::Null),
        1 => {
            let mut n = 1u64;
            for _ in 0..rank {
                n = n.checked_mul(c.uvar(sl)?).ok_or("dataspace element count overflows")?;
            }
            Ok(Shape::Simple(n))
        }
        k => Err(format!("dataspace type {k} is not defined")),
    }
}

/// The datatypes this reader decodes; everything else is kept as a description.
enum Dtype {
    Int { size: u64, signed: bool, big_endian: bool },
    Float { size: u64, big_endian: bool },
    FixedStr { size: u64, pad: u8 },
    VlenStr { size: u64 },
    Other { class: u8, size: u64 },
}

impl Dtype {
    fn size(&self) -> u64 {
        match self {
            Dtype::Int { size, .. }
            | Dtype::Float { size, .. }
            | Dtype::FixedStr { size, .. }
            | Dtype::VlenStr { size }
            | Dtype::Other { size, .. } => *size,
        }
    }

    fn describe(&self) -> String {
        let class = match self {
            Dtype::Int { .. } => "integer array",
            Dtype::Float { .. } => "float array",
            Dtype::FixedStr { .. } | Dtype::VlenStr { .. } => "string",
            Dtype::Other { class, .. } => match class {
                2 => "time",
                4 => "bitfield",
                5 => "opaque",
                6 => "compound",
                7 => "reference",
                8 => "enum",
                9 => "variable-length sequence",
                10 => "array",
                _ => "unknown type",
            },
        };
        format!("{class} of {}-byte elements", self.size())
    }
}

/// `so` is the file's size of offsets: a variable-length element is a 4-byte length, a global
/// heap collection address and a 4-byte object index.
fn parse_datatype(raw: &[u8], so: usize, depth: usize) -> Result<Dtype, String> {
    let mut c = Cur::new(raw, "datatype");
    let cv = c.u8()?;
    let (class, version) = (cv & 0x0f, cv >> 4);
    if version == 0 {
        return Err("datatype version 0 is not defined".into());
    }
    let bits = c.bytes(3)?;
    let size = u64::from(c.u32()?);
    if size == 0 {
        return Err("datatype of size 0".into());
    }
    Ok(match class {
        0 if [1, 2, 4, 8].contains(&size) => Dtype::Int { size, signed: bits[0] & 0x08 != 0, big_endian: bits[0] & 0x01 != 0 },
        1 if [4, 8].contains(&size) && bits[0] & 0x40 == 0 => Dtype::Float { size, big_endian: bits[0] & 0x01 != 0 },
        3 => Dtype::FixedStr { size, pad: bits[0] & 0x0f },
        9 if bits[0] & 0x0f == 1 => {
            // A variable-length string; its base type (always 1-byte characters) follows.
            if depth > 4 {
                return Err("variable-length datatype nested too deeply".into());
            }
            let _ = parse_datatype(&raw[c.p..], so, depth + 1)?;
            if size != 8 + so as u64 {
                return Err(format!("variable-length string element of {size} bytes"));
            }
            Dtype::VlenStr { size }
        }
        _ => Dtype::Other { class, size },
    })
}

fn int_value(b: &[u8], signed: bool, big_endian: bool) -> H5Value {
    let mut v: u64 = 0;
    let bytes: Vec<u8> = if big_endian { b.to_vec() } else { b.iter().rev().copied().collect() };
    for &x in &bytes {
        v = (v << 8) | u64::from(x);
    }
    let bits = b.len() * 8;
    if signed {
        // Sign-extend from the stored width.
        let shift = 64 - bits as u32;
        H5Value::Int(((v << shift) as i64) >> shift)
    } else {
        i64::try_from(v).map(H5Value::Int).unwrap_or_else(|_| H5Value::Other(format!("unsigned integer {v}")))
    }
}

fn float_value(b: &[u8], big_endian: bool) -> H5Value {
    let mut bytes = b.to_vec();
    if big_endian {
        bytes.reverse();
    }
    match bytes.len() {
        4 => H5Value::Float(f64::from(f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))),
        _ => {
            let mut a = [0u8; 8];
            a.copy_from_slice(&bytes[..8]);
            H5Value::Float(f64::from_le_bytes(a))
        }
    }
}

/// A fixed-length string element: NUL-terminated (0), NUL-padded (1) or space-padded (2).
fn fixed_string(b: &[u8], pad: u8) -> String {
    let s = match pad {
        0 => b.split(|&x| x == 0).next().unwrap_or_default(),
        2 => {
            let end = b.iter().rposition(|&x| x != b' ').map_or(0, |i| i + 1);
            &b[..end]
        }
        _ => {
            let end = b.iter().rposition(|&x| x != 0).map_or(0, |i| i + 1);
            &b[..end]
        }
    };
    String::from_utf8_lossy(s).into_owned()
}

fn strings_value(mut strings: Vec<String>, scalar: bool) -> H5Value {
    if scalar && strings.len() == 1 {
        H5Value::Str(strings.remove(0))
    } else {
        H5Value::Strings(strings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn data(name: &str) -> Vec<u8> {
        let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/keras").join(name);
        std::fs::read(&p).unwrap_or_else(|e| panic!("fixture {} not readable: {e}", p.display()))
    }

    fn root(name: &str) -> Vec<(String, H5Value)> {
        root_attributes(&data(name), &H5Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn get<'v>(attrs: &'v [(String, H5Value)], name: &str) -> &'v H5Value {
        &attrs.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("no attribute {name} in {attrs:?}")).1
    }

    /// Newest format: superblock v3, v2 object headers, dense attributes (fractal heap + v2
    /// B-tree), every value type h5py writes for Keras. Expected values are what h5py reads.
    #[test]
    fn latest_format_dense_attributes() {
        let attrs = root("h5_latest_dense.h5");
        assert_eq!(attrs.len(), 46);
        assert_eq!(get(&attrs, "model_config"), &H5Value::Str(r#"{"class_name": "Sequential"}"#.into()));
        assert_eq!(get(&attrs, "int_attr"), &H5Value::Int(-42));
        assert_eq!(get(&attrs, "float_attr"), &H5Value::Float(2.5));
        assert_eq!(get(&attrs, "fixed"), &H5Value::Str("fixed-length".into()));
        assert_eq!(get(&attrs, "names"), &H5Value::Strings(vec!["a".into(), "bb".into(), "ccc".into()]));
        assert_eq!(get(&attrs, "vlen_list"), &H5Value::Strings(vec!["x".into(), "yy".into()]));
        assert_eq!(get(&attrs, "pad_039"), &H5Value::Int(39));
    }

    /// 600 attributes: a two-level v2 B-tree, a root indirect fractal heap block, and a 5000-byte
    /// attribute stored as a "huge" object found through the huge-object B-tree.
    #[test]
    fn many_attributes_two_level_btree_and_huge_object() {
        let attrs = root("h5_many_attrs.h5");
        assert_eq!(attrs.len(), 601);
        assert_eq!(get(&attrs, "a599"), &H5Value::Int(99));
        assert_eq!(get(&attrs, "model_config"), &H5Value::Str("x".repeat(5000)));
    }

    #[test]
    fn dense_links_and_nested_paths() {
        let d = data("h5_latest_dense.h5");
        let l = H5Limits::default();
        let g = group_attributes(&d, "/model_weights", &l).unwrap();
        assert_eq!(g, vec![("layer_names".to_string(), H5Value::Strings(vec!["dense".into()]))]);
        let deep = group_attributes(&d, "model_weights/deep/er", &l).unwrap();
        assert_eq!(deep, vec![("where".to_string(), H5Value::Str("deep".into()))]);
        assert_eq!(group_attributes(&d, "/", &l).unwrap().len(), 46);
        assert!(group_attributes(&d, "model_weights/sub_11", &l).unwrap().is_empty());
    }

    /// Attributes added after later objects were written land in an OCHK continuation block.
    #[test]
    fn v2_header_continuation_block() {
        let d = data("h5_latest_dense.h5");
        assert!(d.windows(4).any(|w| w == b"OCHK"), "fixture should hold a continuation block");
        let attrs = group_attributes(&d, "cont", &H5Limits::default()).unwrap();
        assert_eq!(attrs.len(), 6);
        for (i, (name, value)) in attrs.iter().enumerate() {
            assert_eq!(name, &format!("c{i}"));
            assert_eq!(value, &H5Value::Str(char::from(b'A' + i as u8).to_string().repeat(150)));
        }
    }

    /// Oldest format: superblock v0, v1 object headers, symbol-table groups (v1 B-tree with
    /// more than one leaf, local heap), soft, looping and external links.
    #[test]
    fn earliest_format_symbol_tables_and_links() {
        let d = data("h5_earliest.h5");
        let l = H5Limits::default();
        assert_eq!(root_attributes(&d, &l).unwrap(), vec![("keras_version".to_string(), H5Value::Str("2.0".into()))]);
        let want = vec![("weight_names".to_string(), H5Value::Strings(vec!["kernel:0".into(), "bias:0".into()]))];
        assert_eq!(group_attributes(&d, "model_weights/layer_07", &l).unwrap(), want);
        assert_eq!(group_attributes(&d, "soft", &l).unwrap(), want, "absolute soft link");
        assert_eq!(group_attributes(&d, "model_weights/relative", &l).unwrap(), want, "relative soft link");
        assert!(group_attributes(&d, "model_weights/layer_39", &l).unwrap().is_empty());
        let e = group_attributes(&d, "loop_a", &l).unwrap_err();
        assert!(e.contains("soft links"), "{e}");
        let e = group_attributes(&d, "outside", &l).unwrap_err();
        assert!(e.contains("external link"), "{e}");
        let e = group_attributes(&d, "model_weights/nope", &l).unwrap_err();
        assert!(e.contains("no object named"), "{e}");
    }

    #[test]
    fn keras_files_written_by_h5py() {
        for (file, version) in [("k2_lambda_times_two.h5", "2.21.0"), ("k3_benign_dense.h5", "3.15.1"), ("k2_benign_compiled.h5", "2.21.0")]
        {
            let attrs = root(file);
            assert_eq!(get(&attrs, "keras_version"), &H5Value::Str(version.into()), "{file}");
            assert!(matches!(get(&attrs, "model_config"), H5Value::Str(s) if s.starts_with("{\"class_name\"")), "{file}");
        }
        let attrs = root("k2_benign_compiled.h5");
        assert!(matches!(get(&attrs, "training_config"), H5Value::Str(s) if s.contains("optimizer_config")));
    }

    /// libhdf5 accepts a user block before the superblock; addresses are then relative to it.
    #[test]
    fn user_block_before_superblock() {
        for (file, pad) in [("h5_earliest.h5", 512), ("h5_latest_dense.h5", 2048)] {
            let mut d = vec![0u8; pad];
            d.extend(data(file));
            assert_eq!(root_attributes(&d, &H5Limits::default()).unwrap(), root(file), "{file}");
        }
    }

    #[test]
    fn not_hdf5_or_truncated() {
        let l = H5Limits::default();
        assert!(root_attributes(&b"not an hdf5 file at all".to_vec(), &l).unwrap_err().contains("signature"));
        assert!(root_attributes(&Vec::new(), &l).is_err());
        let d = data("h5_latest_dense.h5");
        for cut in [8, 40, 100, 600, 2000] {
            assert!(root_attributes(&d[..cut].to_vec(), &l).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn limits_are_enforced() {
        let d = data("h5_many_attrs.h5");
        let small = |f: fn(&mut H5Limits)| {
            let mut l = H5Limits::default();
            f(&mut l);
            root_attributes(&d, &l).unwrap_err()
        };
        assert!(small(|l| l.max_total_bytes = 4096).contains("limit"));
        assert!(small(|l| l.max_entries = 100).contains("limit"));
        assert!(small(|l| l.max_heap_bytes = 64).contains("limit"));
        assert!(small(|l| l.max_depth = 1).contains("depth"));
        let l = H5Limits { max_string_len: 100, ..H5Limits::default() };
        let attrs = root_attributes(&data("k3_benign_dense.h5"), &l).unwrap();
        assert!(matches!(get(&attrs, "model_config"), H5Value::Other(s) if s.starts_with("unreadable") || s.contains("limit")));
    }

    fn reader(src: &Vec<u8>) -> Reader<'_> {
        static LIMITS: std::sync::OnceLock<H5Limits> = std::sync::OnceLock::new();
        Reader {
            src,
            limits: LIMITS.get_or_init(H5Limits::default),
            base: 0,
            so: 8,
            sl: 8,
            root: 0,
            bytes_read: 0,
            entries: 0,
            gheaps: HashMap::new(),
        }
    }

    fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
        buf[at..at + bytes.len()].copy_from_slice(bytes);
    }

    /// A heap large enough to need indirect blocks below the root indirect block; h5py never
    /// writes one that small, so it is built here: width 2, 512-byte blocks, direct blocks only
    /// in rows 0-1, so row 2 holds child indirect blocks of one row each.
    #[test]
    fn fractal_heap_child_indirect_block() {
        let mut b = vec![0u8; 0x1000];
        let heap_addr = 0x100u64;
        let undefined = [0xffu8; 8];
        // Root indirect block: 3 rows x 2 columns; only row 2, column 1 is allocated.
        put(&mut b, 0x200, b"FHIB\0");
        put(&mut b, 0x205, &heap_addr.to_le_bytes());
        put(&mut b, 0x20d, &0u32.to_le_bytes());
        for i in 0..6 {
            put(&mut b, 0x211 + 8 * i, &undefined);
        }
        put(&mut b, 0x211 + 8 * 5, &0x400u64.to_le_bytes());
        // Child indirect block covering heap offsets 3072..4096: one row of two direct blocks.
        put(&mut b, 0x400, b"FHIB\0");
        put(&mut b, 0x405, &heap_addr.to_le_bytes());
        put(&mut b, 0x40d, &3072u32.to_le_bytes());
        put(&mut b, 0x411, &undefined);
        put(&mut b, 0x419, &0x800u64.to_le_bytes());
        // Direct block at heap offset 3584; the object sits 40 bytes into it.
        put(&mut b, 0x800, b"FHDB\0");
        put(&mut b, 0x805, &heap_addr.to_le_bytes());
        put(&mut b, 0x80d, &3584u32.to_le_bytes());
        put(&mut b, 0x800 + 40, b"hello fractal");
        let heap = FractalHeap {
            addr: heap_addr,
            id_len: 8,
            filtered: false,
            checksummed_blocks: false,
            max_managed: 4096,
            width: 2,
            start_block: 512,
            max_direct_block: 512,
            heap_bits: 32,
            root: Some(0x200),
            root_rows: 3,
            huge_btree: None,
        };
        let mut id = vec![0u8];
        id.extend(3624u32.to_le_bytes());
        id.extend(13u16.to_le_bytes());
        assert_eq!(reader(&b).heap_object(&heap, &id).unwrap(), b"hello fractal");
        // An unallocated block, an offset beyond the heap, an object spilling out of its block.
        id[1..5].copy_from_slice(&100u32.to_le_bytes());
        assert!(reader(&b).heap_object(&heap, &id).is_err());
        id[1..5].copy_from_slice(&9000u32.to_le_bytes());
        assert!(reader(&b).heap_object(&heap, &id).is_err());
        id[1..5].copy_from_slice(&4090u32.to_le_bytes());
        assert!(reader(&b).heap_object(&heap, &id).is_err());
        // Tiny objects are carried in the ID itself.
        assert_eq!(reader(&b).heap_object(&heap, &[0x22, b'a', b'b', b'c', 0, 0, 0, 0]).unwrap(), b"abc");
    }

    #[test]
    fn header_continuation_loop_is_an_error() {
        let mut b = vec![0u8; 0x200];
        // Version 1 header whose only message continues into its own first block.
        put(&mut b, 0x100, &[1, 0, 1, 0, 1, 0, 0, 0, 24, 0, 0, 0]);
        put(&mut b, 0x110, &[0x10, 0, 16, 0, 0, 0, 0, 0]);
        put(&mut b, 0x118, &0x110u64.to_le_bytes());
        put(&mut b, 0x120, &24u64.to_le_bytes());
        let e = reader(&b).object_header(0x100).err().unwrap();
        assert!(e.contains("loops back"), "{e}");
    }

    use crate::testutil::Rng as XorShift;

    /// Positions worth mutating: bytes near structure signatures (the metadata), where random
    /// flips reach deep into the parser instead of landing in zero padding.
    fn hot_spots(d: &[u8]) -> Vec<usize> {
        let sigs: [&[u8]; 13] =
            [b"\x89HDF", b"OHDR", b"OCHK", b"FRHP", b"FHDB", b"FHIB", b"BTHD", b"BTIN", b"BTLF", b"GCOL", b"TREE", b"SNOD", b"HEAP"];
        let mut out: Vec<usize> = (0..d.len().saturating_sub(4)).filter(|&i| sigs.iter().any(|s| d[i..].starts_with(s))).collect();
        out.push(0);
        out
    }

    /// 20,000 mutated files: the reader may fail, never panic, and stays within its limits.
    #[test]
    fn mutations_never_panic() {
        let files = ["h5_latest_dense.h5", "h5_earliest.h5", "h5_many_attrs.h5", "k2_lambda_times_two.h5", "k3_benign_dense.h5"];
        let originals: Vec<(Vec<u8>, Vec<usize>)> = files.iter().map(|f| data(f)).map(|d| (d.clone(), hot_spots(&d))).collect();
        let limits = H5Limits { max_total_bytes: 8 << 20, ..H5Limits::default() };
        let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let (orig, spots) = &originals[rng.below(originals.len())];
            let mut d = orig.clone();
            for _ in 0..1 + rng.below(4) {
                let near = spots[rng.below(spots.len())] + rng.below(160);
                let at = if rng.below(4) == 0 { rng.below(d.len()) } else { near.min(d.len() - 1) };
                match rng.below(6) {
                    // Copying an 8-byte field (often an address) from elsewhere in the file.
                    0 => d[at] = rng.next() as u8,
                    1 => d[at] = 0xff,
                    2 => d[at] = 0,
                    3 => d[at] = d[at].wrapping_add(1 + rng.below(8) as u8),
                    4 if d.len() > 16 => {
                        let from = rng.below(d.len() - 8);
                        let chunk: Vec<u8> = d[from..from + 8].to_vec();
                        let to = at.min(d.len() - 8);
                        d[to..to + 8].copy_from_slice(&chunk);
                    }
                    _ => d.truncate(at.max(1)),
                }
            }
            let _ = root_attributes(&d, &limits);
            let _ = group_attributes(&d, "model_weights/deep/er", &limits);
        }
    }
}
