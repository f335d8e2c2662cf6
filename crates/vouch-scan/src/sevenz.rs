//! Safe, bounded reader for 7z archives.
//!
//! Written for a security scanner: hostile input must never panic, hang or
//! make the reader allocate more than the caller's [`SevenZLimits`] allow.
//!
//! * Every count, size and offset read from the archive is validated before
//!   use, arithmetic is checked, and `Vec` capacities are bounded by the
//!   limits and by the bytes actually present in the input.
//! * No recursion; every loop is bounded by the input length or a limit.
//! * The whole unpacked size of a folder is charged against
//!   `max_total_unpacked` *before* it is decoded, and decoders write into a
//!   buffer reserved once with exactly the declared (already checked) size,
//!   so a decompression bomb cannot allocate more than the limit.
//!
//! Supported coders: Copy, LZMA, LZMA2, Deflate (`miniz_oxide`), BCJ x86 and
//! Delta filters. LZMA/LZMA2 use the small decoder at the end of this file
//! rather than `lzma-rs`: lzma-rs 0.3's LZMA2 decoder does not check that a
//! chunk consumes its declared packed size and buffers all output until a
//! dictionary reset, so chunks hidden inside an over-declared chunk payload
//! would escape any size cap (see `lzma2_chunk_must_consume_its_payload`).
//! AES-encrypted folders are reported as [`SevenZMemberError::Encrypted`],
//! any other coder (BZip2, PPMd, BCJ2, ARM64, ...) as
//! [`SevenZMemberError::UnsupportedCoder`] for the members of that folder only.
#![forbid(unsafe_code)]

use std::borrow::Cow;

/// Resource limits applied while reading an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SevenZLimits {
    /// Maximum number of entries (files + directories) in the archive.
    pub max_entries: usize,
    /// Maximum number of bytes decompressed over the whole archive (every
    /// folder is charged with its full declared unpacked size before decoding).
    pub max_total_unpacked: u64,
    /// Maximum size of a single member; larger members get `LimitExceeded`.
    pub max_member_size: u64,
    /// Maximum size of the (raw or decoded) archive header.
    pub max_header_size: u64,
    /// Maximum ratio unpacked/packed for a folder (0 disables the check).
    pub max_ratio: u64,
}

impl Default for SevenZLimits {
    fn default() -> Self {
        SevenZLimits {
            max_entries: 100_000,
            max_total_unpacked: 4 << 30,
            max_member_size: 2 << 30,
            max_header_size: 64 << 20,
            max_ratio: 1_000,
        }
    }
}

/// One entry of the archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SevenZMember {
    /// Path inside the archive as stored (UTF-16 decoded lossily, not sanitised).
    pub name: String,
    /// Declared unpacked size (0 for directories and empty files).
    pub size: u64,
    pub is_dir: bool,
    /// The member's bytes, or why they could not be produced.
    pub data: Result<Vec<u8>, SevenZMemberError>,
}

/// Why one member's data could not be produced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SevenZMemberError {
    #[error("member is encrypted")]
    Encrypted,
    #[error("unsupported 7z coder {0}")]
    UnsupportedCoder(String),
    #[error("limit exceeded: {0}")]
    LimitExceeded(String),
    #[error("corrupt member data: {0}")]
    Corrupt(String),
}

/// Why the archive as a whole could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SevenZError {
    #[error("not a 7z archive")]
    NotSevenZ,
    #[error("truncated 7z archive: {0}")]
    Truncated(String),
    #[error("malformed 7z archive: {0}")]
    Malformed(String),
    #[error("7z limit exceeded: {0}")]
    LimitExceeded(String),
    #[error("7z archive header is encrypted")]
    Encrypted,
    #[error("unsupported 7z coder in archive header: {0}")]
    UnsupportedCoder(String),
}

type HResult<T> = Result<T, SevenZError>;
type MResult<T> = Result<T, SevenZMemberError>;

const SIGNATURE: [u8; 6] = [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C];
const SIGNATURE_HEADER_SIZE: u64 = 32;

/// Bounds that keep hostile folder descriptions small.
const MAX_CODERS_PER_FOLDER: u64 = 32;
const MAX_STREAMS_PER_CODER: u64 = 32;
const MAX_STREAMS_PER_FOLDER: usize = 64;
const MAX_CODER_CHAIN: usize = 4;
const MAX_HEADER_NESTING: usize = 4;

// Property IDs (7zFormat.txt).
const K_END: u64 = 0x00;
const K_HEADER: u64 = 0x01;
const K_ARCHIVE_PROPERTIES: u64 = 0x02;
const K_ADDITIONAL_STREAMS_INFO: u64 = 0x03;
const K_MAIN_STREAMS_INFO: u64 = 0x04;
const K_FILES_INFO: u64 = 0x05;
const K_PACK_INFO: u64 = 0x06;
const K_UNPACK_INFO: u64 = 0x07;
const K_SUBSTREAMS_INFO: u64 = 0x08;
const K_SIZE: u64 = 0x09;
const K_CRC: u64 = 0x0A;
const K_FOLDER: u64 = 0x0B;
const K_CODERS_UNPACK_SIZE: u64 = 0x0C;
const K_NUM_UNPACK_STREAM: u64 = 0x0D;
const K_EMPTY_STREAM: u64 = 0x0E;
const K_EMPTY_FILE: u64 = 0x0F;
const K_ANTI: u64 = 0x10;
const K_NAME: u64 = 0x11;
const K_ATTRIBUTES: u64 = 0x15;
const K_ENCODED_HEADER: u64 = 0x17;

const FILE_ATTRIBUTE_DIRECTORY: u32 = 0x10;

/// True if `data` starts with the 7z signature `37 7A BC AF 27 1C`.
pub fn is_7z(data: &[u8]) -> bool {
    data.starts_with(&SIGNATURE)
}

/// Body for a cargo-fuzz target: parse with small limits, ignore the result.
pub fn fuzz_one(data: &[u8]) {
    let limits = SevenZLimits {
        max_entries: 1_000,
        max_total_unpacked: 8 << 20,
        max_member_size: 4 << 20,
        max_header_size: 1 << 20,
        max_ratio: 1_000,
    };
    let _ = read_7z(data, &limits);
}

/// Read every entry of a 7z archive held in memory.
///
/// Archive-level problems (bad signature, broken header, encrypted header,
/// limits on the header or entry count) are errors; problems with one folder
/// (unsupported coder, encryption, corrupt data, size limits) are reported
/// per member in [`SevenZMember::data`].
pub fn read_7z(data: &[u8], limits: &SevenZLimits) -> Result<Vec<SevenZMember>, SevenZError> {
    let Some(raw_header) = locate_header(data, limits)? else {
        return Ok(Vec::new());
    };
    let header = parse_top_header(data, raw_header, limits)?;
    build_members(data, header, limits)
}

// ---------------------------------------------------------------------------
// CRC32 (IEEE, reflected, as used by 7z)

const CRC_TABLE: [u32; 256] = make_crc_table();

const fn make_crc_table() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = CRC_TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

// ---------------------------------------------------------------------------
// Header byte reader

fn malformed(msg: impl Into<String>) -> SevenZError {
    SevenZError::Malformed(msg.into())
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Reader { data, pos: 0 }
    }

    fn remaining(&self) -> usize {
        self.data.len().saturating_sub(self.pos)
    }

    fn eof() -> SevenZError {
        malformed("unexpected end of header data")
    }

    fn u8(&mut self) -> HResult<u8> {
        let b = *self.data.get(self.pos).ok_or_else(Self::eof)?;
        self.pos += 1;
        Ok(b)
    }

    fn take(&mut self, n: usize) -> HResult<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(Self::eof)?;
        let s = self.data.get(self.pos..end).ok_or_else(Self::eof)?;
        self.pos = end;
        Ok(s)
    }

    fn take_u64(&mut self, n: u64) -> HResult<&'a [u8]> {
        let n = usize::try_from(n).map_err(|_| Self::eof())?;
        self.take(n)
    }

    fn rest(&mut self) -> &'a [u8] {
        let s = self.data.get(self.pos..).unwrap_or(&[]);
        self.pos = self.data.len();
        s
    }

    fn u32_le(&mut self) -> HResult<u32> {
        let b = self.take(4)?;
        let arr: [u8; 4] = b.try_into().map_err(|_| Self::eof())?;
        Ok(u32::from_le_bytes(arr))
    }

    /// 7z variable-length `UINT64`.
    fn number(&mut self) -> HResult<u64> {
        let first = self.u8()?;
        let mut mask = 0x80u8;
        let mut value = 0u64;
        for i in 0..8u32 {
            if first & mask == 0 {
                let high = u64::from(first & mask.wrapping_sub(1));
                return Ok(value | (high << (8 * i)));
            }
            value |= u64::from(self.u8()?) << (8 * i);
            mask >>= 1;
        }
        Ok(value)
    }

    /// A count whose items each need at least `min_bytes_each` further bytes.
    fn count(&mut self, min_bytes_each: usize, what: &str) -> HResult<usize> {
        let n = self.number()?;
        let max = self.remaining() / min_bytes_each.max(1);
        match usize::try_from(n) {
            Ok(n) if n <= max => Ok(n),
            _ => Err(malformed(format!("{what} count {n} exceeds header size"))),
        }
    }

    fn skip_data(&mut self) -> HResult<()> {
        let n = self.number()?;
        self.take_u64(n)?;
        Ok(())
    }

    /// Bit vector, most significant bit first.
    fn bits(&mut self, n: usize) -> HResult<Vec<bool>> {
        let bytes = self.take(n.div_ceil(8))?;
        Ok((0..n).map(|i| bytes.get(i / 8).is_some_and(|b| b & (0x80 >> (i % 8)) != 0)).collect())
    }

    /// `AllAreDefined` byte followed by an optional bit vector.
    fn defined(&mut self, n: usize) -> HResult<Vec<bool>> {
        if self.u8()? != 0 {
            Ok(vec![true; n])
        } else {
            self.bits(n)
        }
    }

    fn digests(&mut self, n: usize) -> HResult<Vec<Option<u32>>> {
        let defined = self.defined(n)?;
        let num_defined = defined.iter().filter(|d| **d).count();
        if num_defined > self.remaining() / 4 {
            return Err(Self::eof());
        }
        defined.into_iter().map(|d| if d { self.u32_le().map(Some) } else { Ok(None) }).collect()
    }

    /// Skip attributes until `id` is found (7-Zip's `WaitId`).
    fn wait_id(&mut self, id: u64) -> HResult<()> {
        loop {
            let t = self.number()?;
            if t == id {
                return Ok(());
            }
            if t == K_END {
                return Err(malformed(format!("missing property 0x{id:02x}")));
            }
            self.skip_data()?;
        }
    }
}

// ---------------------------------------------------------------------------
// Header model

#[derive(Debug, Clone)]
struct Coder {
    id: Vec<u8>,
    num_in: usize,
    num_out: usize,
    props: Vec<u8>,
}

#[derive(Debug, Clone, Default)]
struct Folder {
    coders: Vec<Coder>,
    /// (in stream index, out stream index)
    bind_pairs: Vec<(usize, usize)>,
    /// Folder in-stream indices fed by packed streams, in pack order.
    packed: Vec<usize>,
    /// One size per coder out stream.
    unpack_sizes: Vec<u64>,
    crc: Option<u32>,
    /// The out stream that is not bound: the folder's output.
    main_out: usize,
}

impl Folder {
    fn unpack_size(&self) -> u64 {
        self.unpack_sizes.get(self.main_out).copied().unwrap_or(0)
    }

    /// Coder index and its first in-stream index for an out-stream index.
    fn coder_for_out(&self, out_idx: usize) -> Option<(usize, usize)> {
        let (mut in_base, mut out_base) = (0usize, 0usize);
        for (ci, c) in self.coders.iter().enumerate() {
            if out_idx >= out_base && out_idx < out_base + c.num_out {
                return Some((ci, in_base));
            }
            in_base += c.num_in;
            out_base += c.num_out;
        }
        None
    }
}

#[derive(Debug, Clone, Default)]
struct StreamsInfo {
    pack_pos: u64,
    pack_sizes: Vec<u64>,
    folders: Vec<Folder>,
    /// Number of substreams (files) per folder.
    num_substreams: Vec<usize>,
    /// Flattened substream sizes and digests.
    sub_sizes: Vec<u64>,
    sub_digests: Vec<Option<u32>>,
}

#[derive(Debug, Clone, Default)]
struct FileEntry {
    name: Option<String>,
    has_stream: bool,
    is_dir: bool,
    is_anti: bool,
}

#[derive(Debug, Default)]
struct Header {
    main: Option<StreamsInfo>,
    files: Vec<FileEntry>,
}

// ---------------------------------------------------------------------------
// Signature header

fn locate_header<'a>(data: &'a [u8], limits: &SevenZLimits) -> HResult<Option<&'a [u8]>> {
    if !is_7z(data) {
        return Err(SevenZError::NotSevenZ);
    }
    let sh = data.get(..32).ok_or_else(|| SevenZError::Truncated("signature header".into()))?;
    let mut r = Reader::new(sh);
    r.take(6)?;
    let major = r.u8()?;
    let _minor = r.u8()?;
    if major != 0 {
        return Err(malformed(format!("unsupported format version {major}")));
    }
    let start_crc = r.u32_le()?;
    let start_header = sh.get(12..32).unwrap_or(&[]);
    if crc32(start_header) != start_crc {
        return Err(malformed("start header CRC mismatch"));
    }
    let mut r = Reader::new(start_header);
    let next_off = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| Reader::eof())?);
    let next_size = u64::from_le_bytes(r.take(8)?.try_into().map_err(|_| Reader::eof())?);
    let next_crc = r.u32_le()?;
    if next_size == 0 {
        return Ok(None); // empty archive
    }
    if next_size > limits.max_header_size {
        return Err(SevenZError::LimitExceeded(format!("header size {next_size} > {}", limits.max_header_size)));
    }
    let start = SIGNATURE_HEADER_SIZE.checked_add(next_off).ok_or_else(|| malformed("next header offset overflows"))?;
    let end = start.checked_add(next_size).ok_or_else(|| malformed("next header size overflows"))?;
    if end > data.len() as u64 {
        return Err(SevenZError::Truncated(format!("header ends at {end}, archive has {} bytes", data.len())));
    }
    // end <= data.len() so both fit in usize.
    let header = data.get(start as usize..end as usize).ok_or_else(|| SevenZError::Truncated("header".into()))?;
    if crc32(header) != next_crc {
        return Err(malformed("header CRC mismatch"));
    }
    Ok(Some(header))
}

// ---------------------------------------------------------------------------
// Header parsing

fn parse_top_header(data: &[u8], raw: &[u8], limits: &SevenZLimits) -> HResult<Header> {
    let mut buf: Cow<[u8]> = Cow::Borrowed(raw);
    for _ in 0..MAX_HEADER_NESTING {
        let mut r = Reader::new(&buf);
        match r.number()? {
            K_HEADER => return parse_header(&mut r, limits),
            K_ENCODED_HEADER => {
                let si = parse_streams_info(&mut r, limits)?;
                let decoded = decode_encoded_header(data, &si, limits)?;
                buf = Cow::Owned(decoded);
            }
            other => return Err(malformed(format!("unexpected header type 0x{other:02x}"))),
        }
    }
    Err(malformed("too many nested encoded headers"))
}

fn decode_encoded_header(data: &[u8], si: &StreamsInfo, limits: &SevenZLimits) -> HResult<Vec<u8>> {
    let folder = si.folders.first().ok_or_else(|| malformed("encoded header without folder"))?;
    let size = folder.unpack_size();
    if size > limits.max_header_size {
        return Err(SevenZError::LimitExceeded(format!("decoded header size {size} > {}", limits.max_header_size)));
    }
    let loc = folder_locations(si).first().copied().ok_or_else(|| malformed("encoded header without folder"))?;
    let out = decode_folder(data, folder, &si.pack_sizes, &loc, limits.max_header_size).map_err(|e| match e {
        SevenZMemberError::Encrypted => SevenZError::Encrypted,
        SevenZMemberError::UnsupportedCoder(c) => SevenZError::UnsupportedCoder(c),
        SevenZMemberError::LimitExceeded(m) => SevenZError::LimitExceeded(m),
        SevenZMemberError::Corrupt(m) => malformed(format!("encoded header: {m}")),
    })?;
    if folder.crc.is_some_and(|crc| crc32(&out) != crc) {
        return Err(malformed("encoded header CRC mismatch"));
    }
    Ok(out)
}

fn parse_header(r: &mut Reader, limits: &SevenZLimits) -> HResult<Header> {
    let mut header = Header::default();
    loop {
        match r.number()? {
            K_END => return Ok(header),
            K_ARCHIVE_PROPERTIES => loop {
                if r.number()? == K_END {
                    break;
                }
                r.skip_data()?;
            },
            K_ADDITIONAL_STREAMS_INFO => {
                parse_streams_info(r, limits)?;
            }
            K_MAIN_STREAMS_INFO => header.main = Some(parse_streams_info(r, limits)?),
            K_FILES_INFO => header.files = parse_files_info(r, limits, header.main.as_ref())?,
            other => {
                return Err(malformed(format!("unexpected property 0x{other:02x} in header")));
            }
        }
    }
}

fn parse_streams_info(r: &mut Reader, limits: &SevenZLimits) -> HResult<StreamsInfo> {
    let mut si = StreamsInfo::default();
    let mut id = r.number()?;
    if id == K_PACK_INFO {
        parse_pack_info(r, &mut si)?;
        id = r.number()?;
    }
    if id == K_UNPACK_INFO {
        parse_unpack_info(r, &mut si)?;
        id = r.number()?;
    }
    if id == K_SUBSTREAMS_INFO {
        parse_substreams_info(r, &mut si, limits)?;
        id = r.number()?;
    } else {
        si.num_substreams = vec![1; si.folders.len()];
        si.sub_sizes = si.folders.iter().map(Folder::unpack_size).collect();
        si.sub_digests = si.folders.iter().map(|f| f.crc).collect();
    }
    if id != K_END {
        return Err(malformed(format!("unexpected property 0x{id:02x} in streams info")));
    }
    let needed = si
        .folders
        .iter()
        .try_fold(0usize, |acc, f| acc.checked_add(f.packed.len()))
        .ok_or_else(|| malformed("packed stream count overflows"))?;
    if needed > si.pack_sizes.len() {
        return Err(malformed("folders use more packed streams than exist"));
    }
    Ok(si)
}

fn parse_pack_info(r: &mut Reader, si: &mut StreamsInfo) -> HResult<()> {
    si.pack_pos = r.number()?;
    let n = r.count(1, "packed stream")?;
    let mut have_sizes = false;
    loop {
        match r.number()? {
            K_END => break,
            K_SIZE => {
                let mut sizes = Vec::with_capacity(n);
                for _ in 0..n {
                    sizes.push(r.number()?);
                }
                si.pack_sizes = sizes;
                have_sizes = true;
            }
            K_CRC => {
                r.digests(n)?;
            }
            _ => r.skip_data()?,
        }
    }
    if !have_sizes && n > 0 {
        return Err(malformed("pack info without sizes"));
    }
    Ok(())
}

fn parse_unpack_info(r: &mut Reader, si: &mut StreamsInfo) -> HResult<()> {
    r.wait_id(K_FOLDER)?;
    let n = r.count(2, "folder")?;
    if r.u8()? != 0 {
        return Err(malformed("external folder definitions are not supported"));
    }
    let mut folders = Vec::with_capacity(n);
    for _ in 0..n {
        folders.push(parse_folder(r)?);
    }
    r.wait_id(K_CODERS_UNPACK_SIZE)?;
    for f in &mut folders {
        let total_out: usize = f.coders.iter().map(|c| c.num_out).sum();
        let mut sizes = Vec::with_capacity(total_out);
        for _ in 0..total_out {
            sizes.push(r.number()?);
        }
        f.unpack_sizes = sizes;
    }
    loop {
        match r.number()? {
            K_END => break,
            K_CRC => {
                let d = r.digests(n)?;
                for (f, crc) in folders.iter_mut().zip(d) {
                    f.crc = crc;
                }
            }
            _ => r.skip_data()?,
        }
    }
    si.folders = folders;
    Ok(())
}

fn parse_folder(r: &mut Reader) -> HResult<Folder> {
    let num_coders = r.number()?;
    if num_coders == 0 || num_coders > MAX_CODERS_PER_FOLDER {
        return Err(malformed(format!("bad coder count {num_coders}")));
    }
    let mut coders = Vec::with_capacity(num_coders as usize);
    let (mut total_in, mut total_out) = (0usize, 0usize);
    for _ in 0..num_coders {
        let flags = r.u8()?;
        if flags & 0xC0 != 0 {
            return Err(malformed("alternative coder methods are not supported"));
        }
        let id = r.take(usize::from(flags & 0x0F))?.to_vec();
        let (num_in, num_out) = if flags & 0x10 != 0 {
            let i = r.number()?;
            let o = r.number()?;
            if i > MAX_STREAMS_PER_CODER || o > MAX_STREAMS_PER_CODER {
                return Err(malformed("too many coder streams"));
            }
            (i as usize, o as usize)
        } else {
            (1, 1)
        };
        let props = if flags & 0x20 != 0 {
            let n = r.number()?;
            r.take_u64(n)?.to_vec()
        } else {
            Vec::new()
        };
        total_in += num_in;
        total_out += num_out;
        if total_in > MAX_STREAMS_PER_FOLDER || total_out > MAX_STREAMS_PER_FOLDER {
            return Err(malformed("too many folder streams"));
        }
        coders.push(Coder { id, num_in, num_out, props });
    }
    if total_out == 0 {
        return Err(malformed("folder without output stream"));
    }
    let num_bind = total_out - 1;
    let mut bind_pairs = Vec::with_capacity(num_bind);
    for _ in 0..num_bind {
        let i = r.number()?;
        let o = r.number()?;
        if i >= total_in as u64 || o >= total_out as u64 {
            return Err(malformed("bind pair index out of range"));
        }
        let (i, o) = (i as usize, o as usize);
        if bind_pairs.iter().any(|&(bi, bo)| bi == i || bo == o) {
            return Err(malformed("duplicate bind pair index"));
        }
        bind_pairs.push((i, o));
    }
    let num_packed = total_in.checked_sub(num_bind).filter(|n| *n >= 1).ok_or_else(|| malformed("folder without packed stream"))?;
    let mut packed = Vec::with_capacity(num_packed);
    if num_packed == 1 {
        let idx =
            (0..total_in).find(|i| !bind_pairs.iter().any(|&(bi, _)| bi == *i)).ok_or_else(|| malformed("no unbound input stream"))?;
        packed.push(idx);
    } else {
        for _ in 0..num_packed {
            let idx = r.number()?;
            if idx >= total_in as u64 {
                return Err(malformed("packed stream index out of range"));
            }
            let idx = idx as usize;
            if packed.contains(&idx) || bind_pairs.iter().any(|&(bi, _)| bi == idx) {
                return Err(malformed("packed stream index reused"));
            }
            packed.push(idx);
        }
    }
    let main_out =
        (0..total_out).find(|o| !bind_pairs.iter().any(|&(_, bo)| bo == *o)).ok_or_else(|| malformed("no unbound output stream"))?;
    Ok(Folder { coders, bind_pairs, packed, unpack_sizes: Vec::new(), crc: None, main_out })
}

fn parse_substreams_info(r: &mut Reader, si: &mut StreamsInfo, limits: &SevenZLimits) -> HResult<()> {
    let nf = si.folders.len();
    let mut counts = vec![1usize; nf];
    let mut id;
    loop {
        id = r.number()?;
        if id == K_NUM_UNPACK_STREAM {
            for c in counts.iter_mut() {
                let n = r.number()?;
                // A folder with n > 1 substreams needs n - 1 size numbers.
                if n > r.remaining() as u64 + 1 {
                    return Err(malformed("substream count exceeds header size"));
                }
                *c = n as usize;
            }
            continue;
        }
        if id == K_CRC || id == K_SIZE || id == K_END {
            break;
        }
        r.skip_data()?;
    }
    let total = counts.iter().try_fold(0usize, |a, c| a.checked_add(*c)).ok_or_else(|| malformed("substream count overflows"))?;
    if total > limits.max_entries {
        return Err(SevenZError::LimitExceeded(format!("{total} streams > max_entries {}", limits.max_entries)));
    }
    let mut sizes = Vec::with_capacity(total.min(r.remaining().saturating_add(nf)));
    for (folder, &c) in si.folders.iter().zip(&counts) {
        if c == 0 {
            continue;
        }
        let mut sum = 0u64;
        if c > 1 {
            if id != K_SIZE {
                return Err(malformed("several substreams without sizes"));
            }
            for _ in 1..c {
                let s = r.number()?;
                sum = sum.checked_add(s).ok_or_else(|| malformed("substream sizes overflow"))?;
                sizes.push(s);
            }
        }
        let fsize = folder.unpack_size();
        let last = fsize.checked_sub(sum).ok_or_else(|| malformed("substream sizes exceed folder size"))?;
        sizes.push(last);
    }
    if id == K_SIZE {
        id = r.number()?;
    }
    // Digests are stored only for streams whose CRC is not the folder's.
    let mut digests: Vec<Option<u32>> = Vec::with_capacity(sizes.len());
    let mut unknown = 0usize;
    for (folder, &c) in si.folders.iter().zip(&counts) {
        if c == 1 && folder.crc.is_some() {
            digests.push(folder.crc);
        } else {
            digests.extend(std::iter::repeat_n(None, c));
            unknown += c;
        }
    }
    loop {
        if id == K_END {
            break;
        }
        if id == K_CRC {
            let mut values = r.digests(unknown)?.into_iter();
            let mut slots = digests.iter_mut();
            for (folder, &c) in si.folders.iter().zip(&counts) {
                let known = c == 1 && folder.crc.is_some();
                for _ in 0..c {
                    let Some(slot) = slots.next() else { break };
                    if !known {
                        *slot = values.next().flatten();
                    }
                }
            }
        } else {
            r.skip_data()?;
        }
        id = r.number()?;
    }
    si.num_substreams = counts;
    si.sub_sizes = sizes;
    si.sub_digests = digests;
    Ok(())
}

fn parse_files_info(r: &mut Reader, limits: &SevenZLimits, main: Option<&StreamsInfo>) -> HResult<Vec<FileEntry>> {
    let n = r.number()?;
    if n > limits.max_entries as u64 {
        return Err(SevenZError::LimitExceeded(format!("{n} entries > max_entries {}", limits.max_entries)));
    }
    let n = n as usize;
    // Files without a stream need a bit in the kEmptyStream vector, so the
    // count is bounded by the streams plus 8 per remaining header byte.
    let streams = main.map_or(0, |m| m.sub_sizes.len());
    if n > streams.saturating_add(r.remaining().saturating_mul(8)) {
        return Err(malformed("file count exceeds header size"));
    }
    let mut empty_stream: Option<Vec<bool>> = None;
    let mut empty_file: Option<Vec<bool>> = None;
    let mut anti: Option<Vec<bool>> = None;
    let mut names: Option<Vec<String>> = None;
    let mut num_empty = 0usize;
    let mut attributes: Option<Vec<Option<u32>>> = None;
    loop {
        let t = r.number()?;
        if t == K_END {
            break;
        }
        let size = r.number()?;
        let mut p = Reader::new(r.take_u64(size)?);
        match t {
            K_EMPTY_STREAM => {
                let v = p.bits(n)?;
                num_empty = v.iter().filter(|b| **b).count();
                empty_stream = Some(v);
            }
            K_EMPTY_FILE => empty_file = Some(p.bits(num_empty)?),
            K_ANTI => anti = Some(p.bits(num_empty)?),
            K_NAME => {
                let external = p.u8()?;
                names = (external == 0).then(|| parse_names(p.rest(), n));
            }
            K_ATTRIBUTES => {
                let defined = p.defined(n)?;
                if p.u8()? == 0 {
                    let mut v = Vec::with_capacity(n);
                    for d in defined {
                        v.push(if d { Some(p.u32_le()?) } else { None });
                    }
                    attributes = Some(v);
                }
            }
            _ => {} // times, kDummy, kStartPos, unknown: skipped by size
        }
    }
    let mut files = Vec::with_capacity(n);
    let mut names = names.unwrap_or_default().into_iter();
    let mut empty_idx = 0usize;
    for i in 0..n {
        let is_empty_stream = empty_stream.as_ref().is_some_and(|v| v.get(i) == Some(&true));
        let mut entry = FileEntry { name: names.next(), has_stream: !is_empty_stream, ..FileEntry::default() };
        if is_empty_stream {
            let is_empty_file = empty_file.as_ref().is_some_and(|v| v.get(empty_idx) == Some(&true));
            entry.is_anti = anti.as_ref().is_some_and(|v| v.get(empty_idx) == Some(&true));
            let attr_dir = attributes.as_ref().and_then(|v| v.get(i).copied().flatten()).is_some_and(|a| a & FILE_ATTRIBUTE_DIRECTORY != 0);
            entry.is_dir = !is_empty_file || attr_dir;
            empty_idx += 1;
        }
        files.push(entry);
    }
    Ok(files)
}

fn parse_names(raw: &[u8], max: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut cur: Vec<u16> = Vec::new();
    for pair in raw.chunks_exact(2) {
        if names.len() >= max {
            break;
        }
        let unit = u16::from_le_bytes([pair[0], pair[1]]);
        if unit == 0 {
            names.push(String::from_utf16_lossy(&cur));
            cur.clear();
        } else {
            cur.push(unit);
        }
    }
    names
}

// ---------------------------------------------------------------------------
// Members

/// Where a folder's data lives: first packed stream, its absolute offset in
/// the archive, and the folder's first substream index.
#[derive(Debug, Clone, Copy)]
struct FolderLoc {
    pack_start: usize,
    pack_offset: Option<u64>,
    sub_start: usize,
}

fn folder_locations(si: &StreamsInfo) -> Vec<FolderLoc> {
    let mut locs = Vec::with_capacity(si.folders.len());
    let mut pack_start = 0usize;
    let mut sub_start = 0usize;
    // Absolute offset of packed stream `pack_start`, None after an overflow.
    let mut offset = SIGNATURE_HEADER_SIZE.checked_add(si.pack_pos);
    let mut offset_idx = 0usize;
    for (folder, &n_sub) in si.folders.iter().zip(&si.num_substreams) {
        while offset_idx < pack_start {
            offset = offset.and_then(|o| o.checked_add(*si.pack_sizes.get(offset_idx)?));
            offset_idx += 1;
        }
        locs.push(FolderLoc { pack_start, pack_offset: offset, sub_start });
        pack_start = pack_start.saturating_add(folder.packed.len());
        sub_start = sub_start.saturating_add(n_sub);
    }
    locs
}

fn build_members(data: &[u8], header: Header, limits: &SevenZLimits) -> HResult<Vec<SevenZMember>> {
    let si = header.main.unwrap_or_default();
    let files = header.files;
    if files.len() > limits.max_entries {
        return Err(SevenZError::LimitExceeded(format!("{} entries > max_entries {}", files.len(), limits.max_entries)));
    }
    let locs = folder_locations(&si);

    // Offset of each substream inside its folder.
    let mut sub_offset = Vec::with_capacity(si.sub_sizes.len());
    for &c in &si.num_substreams {
        let mut off = 0u64;
        for size in si.sub_sizes.iter().skip(sub_offset.len()).take(c) {
            sub_offset.push(off);
            off = off.saturating_add(*size);
        }
    }

    let mut members = Vec::with_capacity(files.len());
    let mut budget = limits.max_total_unpacked;
    let mut folder_idx = 0usize;
    let mut stream_idx = 0usize;
    let mut current: Option<(usize, MResult<Vec<u8>>)> = None;

    for (i, file) in files.into_iter().enumerate() {
        if file.is_anti {
            continue;
        }
        let name = file.name.unwrap_or_else(|| format!("file_{i}"));
        if !file.has_stream {
            members.push(SevenZMember { name, size: 0, is_dir: file.is_dir, data: Ok(Vec::new()) });
            continue;
        }
        // Next substream; skip folders whose substreams are used up.
        while let Some(loc) = locs.get(folder_idx) {
            let n = si.num_substreams.get(folder_idx).copied().unwrap_or(0);
            if stream_idx < loc.sub_start.saturating_add(n) {
                break;
            }
            folder_idx += 1;
        }
        let (Some(loc), Some(&size)) = (locs.get(folder_idx), si.sub_sizes.get(stream_idx)) else {
            return Err(malformed("more files with data than packed streams"));
        };
        let g = stream_idx;
        stream_idx += 1;

        if current.as_ref().map(|c| c.0) != Some(folder_idx) {
            drop(current.take()); // free the previous folder first
            let res = decode_member_folder(data, &si, folder_idx, loc, limits, &mut budget);
            current = Some((folder_idx, res));
        }
        let member_data = match current.as_ref().map(|c| &c.1) {
            None => Err(SevenZMemberError::Corrupt("folder not decoded".into())),
            Some(Err(e)) => Err(e.clone()),
            Some(Ok(_)) if size > limits.max_member_size => {
                Err(SevenZMemberError::LimitExceeded(format!("member size {size} > {}", limits.max_member_size)))
            }
            Some(Ok(buf)) => extract_member(buf, sub_offset.get(g).copied().unwrap_or(0), size, si.sub_digests.get(g).copied().flatten()),
        };
        members.push(SevenZMember { name, size, is_dir: false, data: member_data });
    }
    Ok(members)
}

fn extract_member(buf: &[u8], offset: u64, size: u64, crc: Option<u32>) -> MResult<Vec<u8>> {
    let slice = usize::try_from(offset)
        .ok()
        .zip(usize::try_from(size).ok())
        .and_then(|(o, s)| buf.get(o..o.checked_add(s)?))
        .ok_or_else(|| SevenZMemberError::Corrupt("member outside folder data".into()))?;
    if crc.is_some_and(|crc| crc32(slice) != crc) {
        return Err(SevenZMemberError::Corrupt("CRC mismatch".into()));
    }
    Ok(slice.to_vec())
}

fn decode_member_folder(
    data: &[u8],
    si: &StreamsInfo,
    f: usize,
    loc: &FolderLoc,
    limits: &SevenZLimits,
    budget: &mut u64,
) -> MResult<Vec<u8>> {
    let folder = si.folders.get(f).ok_or_else(|| SevenZMemberError::Corrupt("missing folder".into()))?;
    // Report encryption / unsupported coders before any size limit.
    check_coders(folder)?;
    let unpack = folder.unpack_size();
    // Skip decoding when no member of this folder could be returned anyway.
    let n_sub = si.num_substreams.get(f).copied().unwrap_or(0);
    let all_too_big = si.sub_sizes.iter().skip(loc.sub_start).take(n_sub).all(|s| *s > limits.max_member_size);
    if n_sub > 0 && all_too_big {
        return Err(SevenZMemberError::LimitExceeded(format!("member size > {}", limits.max_member_size)));
    }
    if unpack > *budget {
        return Err(SevenZMemberError::LimitExceeded(format!("folder unpacked size {unpack} exceeds remaining total budget {}", *budget)));
    }
    if limits.max_ratio > 0 {
        let packed = si.pack_sizes.iter().skip(loc.pack_start).take(folder.packed.len()).fold(0u64, |a, s| a.saturating_add(*s));
        if unpack > packed.max(1).saturating_mul(limits.max_ratio) {
            return Err(SevenZMemberError::LimitExceeded(format!("compression ratio {unpack}/{packed} exceeds {}", limits.max_ratio)));
        }
    }
    let cap = *budget;
    // Charge the declared size up front, whether or not decoding succeeds.
    *budget -= unpack;
    let out = decode_folder(data, folder, &si.pack_sizes, loc, cap)?;
    if folder.crc.is_some_and(|crc| crc32(&out) != crc) {
        return Err(SevenZMemberError::Corrupt("folder CRC mismatch".into()));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Coders

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    Copy,
    Lzma,
    Lzma2,
    Deflate,
    Bzip2,
    Delta,
    BcjX86,
    Aes,
    Unknown,
}

fn method_of(id: &[u8]) -> Method {
    match id {
        [] | [0x00] => Method::Copy,
        [0x21] => Method::Lzma2,
        [0x03, 0x01, 0x01] => Method::Lzma,
        [0x04, 0x01, 0x08] => Method::Deflate,
        [0x04, 0x02, 0x02] => Method::Bzip2,
        [0x03] => Method::Delta,
        [0x04] | [0x03, 0x03, 0x01, 0x03] => Method::BcjX86,
        [0x06, 0xF1, 0x07, 0x01] => Method::Aes,
        _ => Method::Unknown,
    }
}

fn describe_method(id: &[u8]) -> String {
    let hex: String = id.iter().map(|b| format!("{b:02X}")).collect();
    let name = match id {
        [0x04, 0x02, 0x02] => "BZip2",
        [0x04, 0x01, 0x09] => "Deflate64",
        [0x03, 0x04, 0x01] => "PPMD",
        [0x03, 0x03, 0x01, 0x1B] => "BCJ2",
        [0x05] | [0x03, 0x03, 0x02, 0x05] => "PPC",
        [0x06] | [0x03, 0x03, 0x04, 0x01] => "IA64",
        [0x07] | [0x03, 0x03, 0x05, 0x01] => "ARM",
        [0x08] | [0x03, 0x03, 0x07, 0x01] => "ARMT",
        [0x09] | [0x03, 0x03, 0x08, 0x05] => "SPARC",
        [0x0A] => "ARM64",
        [0x0B] => "RISCV",
        [0x04, 0xF7, 0x11, 0x01] => "ZSTD",
        [0x06, 0xF1, 0x07, 0x01] => "AES",
        _ => "",
    };
    if name.is_empty() {
        hex
    } else {
        format!("{hex} ({name})")
    }
}

fn check_coders(folder: &Folder) -> MResult<()> {
    if folder.coders.iter().any(|c| method_of(&c.id) == Method::Aes) {
        return Err(SevenZMemberError::Encrypted);
    }
    if let Some(c) = folder.coders.iter().find(|c| method_of(&c.id) == Method::Unknown) {
        return Err(SevenZMemberError::UnsupportedCoder(describe_method(&c.id)));
    }
    if let Some(c) = folder.coders.iter().find(|c| c.num_in != 1 || c.num_out != 1) {
        return Err(SevenZMemberError::UnsupportedCoder(format!(
            "{} with {} inputs / {} outputs",
            describe_method(&c.id),
            c.num_in,
            c.num_out
        )));
    }
    Ok(())
}

/// Decode a folder: follow the chain of single-stream coders from the
/// folder output back to its packed stream, then run it forwards.
/// Every intermediate and final output must be at most `cap` bytes.
fn decode_folder(data: &[u8], folder: &Folder, pack_sizes: &[u64], loc: &FolderLoc, cap: u64) -> MResult<Vec<u8>> {
    let corrupt = |m: &str| SevenZMemberError::Corrupt(m.to_string());
    check_coders(folder)?;
    if folder.packed.len() != 1 {
        return Err(SevenZMemberError::UnsupportedCoder("folder with several packed streams".into()));
    }

    let mut chain: Vec<(usize, usize)> = Vec::new(); // (coder, out stream)
    let mut out_idx = folder.main_out;
    loop {
        if chain.len() >= MAX_CODER_CHAIN {
            return Err(SevenZMemberError::UnsupportedCoder("coder chain too long".into()));
        }
        let (ci, in_idx) = folder.coder_for_out(out_idx).ok_or_else(|| corrupt("bad folder stream index"))?;
        chain.push((ci, out_idx));
        match folder.bind_pairs.iter().find(|(bi, _)| *bi == in_idx) {
            Some(&(_, o)) => out_idx = o,
            None if folder.packed.first() == Some(&in_idx) => break,
            None => return Err(corrupt("coder input not connected")),
        }
    }

    // Locate the folder's packed stream in the archive.
    let size = *pack_sizes.get(loc.pack_start).ok_or_else(|| corrupt("missing packed stream"))?;
    let start = loc.pack_offset.ok_or_else(|| corrupt("packed stream offset overflow"))?;
    let end = start.checked_add(size).ok_or_else(|| corrupt("packed stream size overflow"))?;
    if end > data.len() as u64 {
        return Err(corrupt("packed stream extends beyond end of archive (truncated?)"));
    }
    let packed = data.get(start as usize..end as usize).ok_or_else(|| corrupt("packed stream"))?;

    let mut buf: Cow<[u8]> = Cow::Borrowed(packed);
    for &(ci, oi) in chain.iter().rev() {
        let coder = folder.coders.get(ci).ok_or_else(|| corrupt("missing coder"))?;
        let expected = *folder.unpack_sizes.get(oi).ok_or_else(|| corrupt("missing unpack size"))?;
        if expected > cap {
            return Err(SevenZMemberError::LimitExceeded(format!("coder output size {expected} exceeds limit {cap}")));
        }
        let out = run_coder(coder, &buf, expected)?;
        buf = Cow::Owned(out);
    }
    Ok(buf.into_owned())
}

/// Allocate exactly `size` bytes of capacity (size was checked against limits).
fn alloc_output(size: usize) -> MResult<Vec<u8>> {
    let mut v = Vec::new();
    v.try_reserve_exact(size).map_err(|_| SevenZMemberError::LimitExceeded(format!("cannot allocate {size} bytes")))?;
    Ok(v)
}

fn run_coder(coder: &Coder, input: &[u8], expected: u64) -> MResult<Vec<u8>> {
    let corrupt = SevenZMemberError::Corrupt;
    let n = usize::try_from(expected).map_err(|_| SevenZMemberError::LimitExceeded(format!("size {expected} does not fit in memory")))?;
    let method = method_of(&coder.id);
    let out = match method {
        Method::Copy | Method::Delta | Method::BcjX86 => {
            let src = input.get(..n).ok_or_else(|| corrupt("stream shorter than declared size".into()))?;
            let mut out = alloc_output(n)?;
            out.extend_from_slice(src);
            if method == Method::Delta {
                let dist = usize::from(coder.props.first().copied().unwrap_or(0)) + 1;
                delta_decode(&mut out, dist);
            } else if method == Method::BcjX86 {
                let ip = match coder.props.as_slice() {
                    [a, b, c, d] => u32::from_le_bytes([*a, *b, *c, *d]),
                    _ => 0,
                };
                bcj_x86_decode(&mut out, ip);
            }
            out
        }
        Method::Lzma => {
            let mut out = alloc_output(n)?;
            lzma::decode_lzma(&coder.props, input, &mut out, n).map_err(|e| corrupt(format!("LZMA: {e}")))?;
            out
        }
        Method::Lzma2 => {
            let mut out = alloc_output(n)?;
            lzma::decode_lzma2(&coder.props, input, &mut out, n).map_err(|e| corrupt(format!("LZMA2: {e}")))?;
            out
        }
        Method::Deflate => miniz_oxide::inflate::decompress_to_vec_with_limit(input, n).map_err(|e| corrupt(format!("Deflate: {e}")))?,
        Method::Bzip2 => {
            use std::io::Read;
            let mut out = alloc_output(n)?;
            // One byte more than declared reveals a stream that lies about its size.
            bzip2::read::MultiBzDecoder::new(input).take(expected + 1).read_to_end(&mut out).map_err(|e| corrupt(format!("BZip2: {e}")))?;
            out
        }
        Method::Aes => return Err(SevenZMemberError::Encrypted),
        Method::Unknown => {
            return Err(SevenZMemberError::UnsupportedCoder(describe_method(&coder.id)));
        }
    };
    if out.len() != n {
        return Err(corrupt(format!("decoded {} bytes, expected {expected}", out.len())));
    }
    Ok(out)
}

fn delta_decode(buf: &mut [u8], dist: usize) {
    for i in dist..buf.len() {
        let prev = buf[i - dist];
        buf[i] = buf[i].wrapping_add(prev);
    }
}

/// x86 BCJ decoder: turns absolute CALL/JMP (E8/E9) targets back into
/// relative ones. Works on the whole stream at once; the final four bytes are
/// never converted, exactly as with a streaming decoder at end of input.
fn bcj_x86_decode(buf: &mut [u8], start_ip: u32) {
    const ALLOWED: [bool; 8] = [true, true, true, false, true, false, false, false];
    const BIT_NUMBER: [u32; 8] = [0, 1, 2, 2, 3, 3, 3, 3];
    fn ms_byte(b: u8) -> bool {
        b == 0 || b == 0xFF
    }
    let len = buf.len();
    if len < 5 {
        return;
    }
    let limit = len - 4;
    let mut mask: u32 = 0;
    let mut prev: Option<usize> = None;
    let mut pos = 0usize;
    loop {
        while pos < limit && buf[pos] & 0xFE != 0xE8 {
            pos += 1;
        }
        if pos >= limit {
            break;
        }
        let gap = prev.map_or(usize::MAX, |p| pos - p);
        if gap > 3 {
            mask = 0;
        } else {
            mask = (mask << (gap - 1)) & 7;
            if mask != 0 {
                let b = buf[pos + 4 - BIT_NUMBER[mask as usize] as usize];
                if !ALLOWED[mask as usize] || ms_byte(b) {
                    prev = Some(pos);
                    mask = ((mask << 1) & 7) | 1;
                    pos += 1;
                    continue;
                }
            }
        }
        prev = Some(pos);
        if ms_byte(buf[pos + 4]) {
            let mut src = u32::from_le_bytes([buf[pos + 1], buf[pos + 2], buf[pos + 3], buf[pos + 4]]);
            let here = start_ip.wrapping_add(pos as u32).wrapping_add(5);
            let mut dest;
            loop {
                dest = src.wrapping_sub(here);
                if mask == 0 {
                    break;
                }
                let index = BIT_NUMBER[mask as usize] * 8;
                if !ms_byte((dest >> (24 - index)) as u8) {
                    break;
                }
                src = dest ^ ((1u32 << (32 - index)) - 1);
            }
            let top = if (dest >> 24) & 1 != 0 { 0xFF } else { 0x00 };
            let le = dest.to_le_bytes();
            buf[pos + 1] = le[0];
            buf[pos + 2] = le[1];
            buf[pos + 3] = le[2];
            buf[pos + 4] = top;
            pos += 5;
        } else {
            mask = ((mask << 1) & 7) | 1;
            pos += 1;
        }
    }
}

// ---------------------------------------------------------------------------

/// LZMA / LZMA2 decoding into a caller-provided buffer.
///
/// The output buffer doubles as the dictionary (the whole folder is held in
/// memory anyway), so the decoder allocates nothing that depends on the
/// dictionary size stored in the archive: memory is the output (bounded by
/// the caller) plus at most ~6 MiB of probability tables. Each LZMA2 chunk
/// must consume exactly its declared packed bytes, and the decoder never
/// writes past `limit`. Every loop iteration emits at least one byte or
/// fails, so run time is linear in `limit`.
pub mod lzma {
    use std::fmt;

    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum LzmaError {
        InputEof,
        BadProps,
        BadDistance,
        BadChunk(&'static str),
        SizeMismatch,
    }

    impl fmt::Display for LzmaError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                LzmaError::InputEof => write!(f, "unexpected end of compressed data"),
                LzmaError::BadProps => write!(f, "invalid properties"),
                LzmaError::BadDistance => write!(f, "match distance beyond decoded data"),
                LzmaError::BadChunk(m) => write!(f, "invalid LZMA2 chunk: {m}"),
                LzmaError::SizeMismatch => write!(f, "decoded size does not match declared size"),
            }
        }
    }

    type LResult<T> = Result<T, LzmaError>;

    const PROB_INIT: u16 = 1024;
    const NUM_STATES: usize = 12;
    const POS_STATES_MAX: usize = 16;
    const END_MARKER: u32 = 0xFFFF_FFFF;

    struct RangeDecoder<'a> {
        data: &'a [u8],
        pos: usize,
        range: u32,
        code: u32,
    }

    impl<'a> RangeDecoder<'a> {
        fn new(data: &'a [u8]) -> LResult<Self> {
            let head = data.get(..5).ok_or(LzmaError::InputEof)?;
            if head[0] != 0 {
                return Err(LzmaError::BadChunk("range coder must start with 0"));
            }
            let code = u32::from_be_bytes([head[1], head[2], head[3], head[4]]);
            Ok(RangeDecoder { data, pos: 5, range: 0xFFFF_FFFF, code })
        }

        #[inline]
        fn normalize(&mut self) -> LResult<()> {
            if self.range < (1 << 24) {
                let b = *self.data.get(self.pos).ok_or(LzmaError::InputEof)?;
                self.pos += 1;
                self.range <<= 8;
                self.code = (self.code << 8) | u32::from(b);
            }
            Ok(())
        }

        #[inline]
        fn bit(&mut self, p: &mut u16) -> LResult<u32> {
            let bound = (self.range >> 11) * u32::from(*p);
            let bit = if self.code < bound {
                self.range = bound;
                *p += (2048 - *p) >> 5;
                0
            } else {
                self.range -= bound;
                self.code -= bound;
                *p -= *p >> 5;
                1
            };
            self.normalize()?;
            Ok(bit)
        }

        fn bit_at(&mut self, probs: &mut [u16], i: usize) -> LResult<u32> {
            let p = probs.get_mut(i).ok_or(LzmaError::BadProps)?;
            self.bit(p)
        }

        fn direct(&mut self, count: u32) -> LResult<u32> {
            let mut res = 0u32;
            for _ in 0..count {
                self.range >>= 1;
                let b = if self.code >= self.range {
                    self.code -= self.range;
                    1
                } else {
                    0
                };
                res = (res << 1) | b;
                self.normalize()?;
            }
            Ok(res)
        }

        fn tree(&mut self, probs: &mut [u16], bits: u32) -> LResult<u32> {
            let mut m = 1usize;
            for _ in 0..bits {
                m = (m << 1) | self.bit_at(probs, m)? as usize;
            }
            Ok((m - (1 << bits)) as u32)
        }

        /// Reverse bit tree whose node `m` (1-based) lives at `probs[offset + m - 1]`.
        fn rev_tree(&mut self, probs: &mut [u16], offset: usize, bits: u32) -> LResult<u32> {
            let mut m = 1usize;
            let mut sym = 0u32;
            for i in 0..bits {
                let b = self.bit_at(probs, offset + m - 1)?;
                m = (m << 1) | b as usize;
                sym |= b << i;
            }
            Ok(sym)
        }

        fn finished_ok(&self) -> bool {
            self.pos == self.data.len() && self.code == 0
        }
    }

    #[derive(Clone)]
    struct LenDecoder {
        choice: u16,
        choice2: u16,
        low: [[u16; 8]; POS_STATES_MAX],
        mid: [[u16; 8]; POS_STATES_MAX],
        high: [u16; 256],
    }

    impl LenDecoder {
        fn new() -> Self {
            LenDecoder {
                choice: PROB_INIT,
                choice2: PROB_INIT,
                low: [[PROB_INIT; 8]; POS_STATES_MAX],
                mid: [[PROB_INIT; 8]; POS_STATES_MAX],
                high: [PROB_INIT; 256],
            }
        }

        /// Returns match length minus 2 (0..=271).
        fn decode(&mut self, rc: &mut RangeDecoder, pos_state: usize) -> LResult<u32> {
            if rc.bit(&mut self.choice)? == 0 {
                let probs = self.low.get_mut(pos_state).ok_or(LzmaError::BadProps)?;
                return rc.tree(probs, 3);
            }
            if rc.bit(&mut self.choice2)? == 0 {
                let probs = self.mid.get_mut(pos_state).ok_or(LzmaError::BadProps)?;
                return Ok(8 + rc.tree(probs, 3)?);
            }
            Ok(16 + rc.tree(&mut self.high, 8)?)
        }
    }

    struct Decoder {
        lc: u32,
        lp: u32,
        pb: u32,
        /// One 0x300-entry table per literal context, allocated on first use
        /// (lc=8, lp=4 would otherwise cost 6 MiB per coder up front).
        literal: Vec<Option<Box<[u16; 0x300]>>>,
        is_match: [u16; NUM_STATES * POS_STATES_MAX],
        is_rep: [u16; NUM_STATES],
        is_rep_g0: [u16; NUM_STATES],
        is_rep_g1: [u16; NUM_STATES],
        is_rep_g2: [u16; NUM_STATES],
        is_rep0_long: [u16; NUM_STATES * POS_STATES_MAX],
        dist_slot: [[u16; 64]; 4],
        dist_special: [u16; 114],
        align: [u16; 16],
        len: LenDecoder,
        rep_len: LenDecoder,
        state: usize,
        reps: [u32; 4],
    }

    /// Split an LZMA properties byte into (lc, lp, pb).
    fn split_props(d: u8) -> LResult<(u32, u32, u32)> {
        if d >= 9 * 5 * 5 {
            return Err(LzmaError::BadProps);
        }
        let d = u32::from(d);
        Ok((d % 9, (d / 9) % 5, d / 45))
    }

    impl Decoder {
        fn new(lc: u32, lp: u32, pb: u32) -> LResult<Self> {
            if lc > 8 || lp > 4 || pb > 4 {
                return Err(LzmaError::BadProps);
            }
            Ok(Decoder {
                lc,
                lp,
                pb,
                literal: vec![None; 1usize << (lc + lp)],
                is_match: [PROB_INIT; NUM_STATES * POS_STATES_MAX],
                is_rep: [PROB_INIT; NUM_STATES],
                is_rep_g0: [PROB_INIT; NUM_STATES],
                is_rep_g1: [PROB_INIT; NUM_STATES],
                is_rep_g2: [PROB_INIT; NUM_STATES],
                is_rep0_long: [PROB_INIT; NUM_STATES * POS_STATES_MAX],
                dist_slot: [[PROB_INIT; 64]; 4],
                dist_special: [PROB_INIT; 114],
                align: [PROB_INIT; 16],
                len: LenDecoder::new(),
                rep_len: LenDecoder::new(),
                state: 0,
                reps: [0; 4],
            })
        }

        fn reset_state(&mut self) {
            for table in self.literal.iter_mut().flatten() {
                table.fill(PROB_INIT);
            }
            self.is_match = [PROB_INIT; NUM_STATES * POS_STATES_MAX];
            self.is_rep = [PROB_INIT; NUM_STATES];
            self.is_rep_g0 = [PROB_INIT; NUM_STATES];
            self.is_rep_g1 = [PROB_INIT; NUM_STATES];
            self.is_rep_g2 = [PROB_INIT; NUM_STATES];
            self.is_rep0_long = [PROB_INIT; NUM_STATES * POS_STATES_MAX];
            self.dist_slot = [[PROB_INIT; 64]; 4];
            self.dist_special = [PROB_INIT; 114];
            self.align = [PROB_INIT; 16];
            self.len = LenDecoder::new();
            self.rep_len = LenDecoder::new();
            self.state = 0;
            self.reps = [0; 4];
        }

        fn decode_distance(&mut self, rc: &mut RangeDecoder, len: u32) -> LResult<u32> {
            let len_state = len.min(3) as usize;
            let slot = rc.tree(&mut self.dist_slot[len_state], 6)?;
            if slot < 4 {
                return Ok(slot);
            }
            let direct = (slot >> 1) - 1;
            let base = (2 | (slot & 1)) << direct;
            if slot < 14 {
                // Node m of this slot's tree lives at dist_special[base - slot - 1 + m].
                let offset = (base - slot) as usize;
                let extra = rc.rev_tree(&mut self.dist_special, offset, direct)?;
                Ok(base.wrapping_add(extra))
            } else {
                let mid = rc.direct(direct - 4)? << 4;
                let low = rc.rev_tree(&mut self.align, 1, 4)?;
                Ok(base.wrapping_add(mid).wrapping_add(low))
            }
        }

        /// Decode until `out.len() == target` or an end marker.
        /// `dict_start` is where the current dictionary began in `out`.
        /// Returns true if an end marker was read.
        fn decode(
            &mut self,
            rc: &mut RangeDecoder,
            out: &mut Vec<u8>,
            dict_start: usize,
            target: usize,
            allow_partial_match: bool,
        ) -> LResult<bool> {
            let pb_mask = (1usize << self.pb) - 1;
            let lp_mask = (1usize << self.lp) - 1;
            while out.len() < target {
                let pos = out.len() - dict_start;
                let pos_state = pos & pb_mask;
                let st = self.state;
                if rc.bit_at(&mut self.is_match, (st << 4) | pos_state)? == 0 {
                    let prev = if pos > 0 { out.last().copied().unwrap_or(0) } else { 0 };
                    let lit_state = ((pos & lp_mask) << self.lc) | (usize::from(prev) >> (8 - self.lc));
                    let slot = self.literal.get_mut(lit_state).ok_or(LzmaError::BadProps)?;
                    let probs = &mut slot.get_or_insert_with(|| Box::new([PROB_INIT; 0x300]))[..];
                    let mut sym = 1usize;
                    if st >= 7 {
                        let rep0 = self.reps[0] as usize;
                        if rep0 >= pos {
                            return Err(LzmaError::BadDistance);
                        }
                        let mut match_byte = usize::from(out[out.len() - rep0 - 1]);
                        while sym < 0x100 {
                            let match_bit = (match_byte >> 7) & 1;
                            match_byte <<= 1;
                            let bit = rc.bit_at(probs, ((1 + match_bit) << 8) + sym)? as usize;
                            sym = (sym << 1) | bit;
                            if match_bit != bit {
                                break;
                            }
                        }
                    }
                    while sym < 0x100 {
                        sym = (sym << 1) | rc.bit_at(probs, sym)? as usize;
                    }
                    out.push(sym as u8);
                    self.state = if st < 4 {
                        0
                    } else if st < 10 {
                        st - 3
                    } else {
                        st - 6
                    };
                    continue;
                }

                let len;
                if rc.bit_at(&mut self.is_rep, st)? == 0 {
                    len = self.len.decode(rc, pos_state)?;
                    self.state = if st < 7 { 7 } else { 10 };
                    let dist = self.decode_distance(rc, len)?;
                    if dist == END_MARKER {
                        return Ok(true);
                    }
                    self.reps = [dist, self.reps[0], self.reps[1], self.reps[2]];
                } else {
                    if pos == 0 {
                        return Err(LzmaError::BadDistance);
                    }
                    if rc.bit_at(&mut self.is_rep_g0, st)? == 0 {
                        if rc.bit_at(&mut self.is_rep0_long, (st << 4) | pos_state)? == 0 {
                            // short rep: one byte at distance rep0
                            let rep0 = self.reps[0] as usize;
                            if rep0 >= pos {
                                return Err(LzmaError::BadDistance);
                            }
                            let b = out[out.len() - rep0 - 1];
                            out.push(b);
                            self.state = if st < 7 { 9 } else { 11 };
                            continue;
                        }
                    } else {
                        let dist;
                        if rc.bit_at(&mut self.is_rep_g1, st)? == 0 {
                            dist = self.reps[1];
                        } else {
                            if rc.bit_at(&mut self.is_rep_g2, st)? == 0 {
                                dist = self.reps[2];
                            } else {
                                dist = self.reps[3];
                                self.reps[3] = self.reps[2];
                            }
                            self.reps[2] = self.reps[1];
                        }
                        self.reps[1] = self.reps[0];
                        self.reps[0] = dist;
                    }
                    len = self.rep_len.decode(rc, pos_state)?;
                    self.state = if st < 7 { 8 } else { 11 };
                }

                let dist = self.reps[0] as usize;
                if dist >= pos {
                    return Err(LzmaError::BadDistance);
                }
                let want = len as usize + 2;
                let room = target - out.len();
                if want > room && !allow_partial_match {
                    return Err(LzmaError::SizeMismatch);
                }
                // Copy from `dist + 1` bytes back. The source region is
                // periodic, so it can be copied in doubling blocks.
                let start = out.len() - dist - 1;
                let mut rem = want.min(room);
                while rem > 0 {
                    let chunk = rem.min(out.len() - start);
                    out.extend_from_within(start..start + chunk);
                    rem -= chunk;
                }
            }
            Ok(false)
        }
    }

    /// 7z LZMA coder: 5 property bytes (lc/lp/pb, dictionary size), raw stream.
    pub fn decode_lzma(props: &[u8], input: &[u8], out: &mut Vec<u8>, limit: usize) -> LResult<()> {
        let d = *props.first().ok_or(LzmaError::BadProps)?;
        if props.len() < 5 {
            return Err(LzmaError::BadProps);
        }
        let (lc, lp, pb) = split_props(d)?;
        if limit == 0 {
            return Ok(());
        }
        let mut dec = Decoder::new(lc, lp, pb)?;
        let mut rc = RangeDecoder::new(input)?;
        let start = out.len();
        let target = start.checked_add(limit).ok_or(LzmaError::SizeMismatch)?;
        dec.decode(&mut rc, out, start, target, true)?;
        if out.len() != target {
            return Err(LzmaError::SizeMismatch);
        }
        Ok(())
    }

    /// 7z LZMA2 coder: 1 property byte (dictionary size), chunked stream.
    pub fn decode_lzma2(props: &[u8], input: &[u8], out: &mut Vec<u8>, limit: usize) -> LResult<()> {
        decode_lzma2_stream(props, input, out, limit, true).map(|_| ())
    }

    /// An LZMA stream that ends with an end marker (or exactly at `limit`, when `exact`
    /// holds); producing more than `limit` bytes is [`LzmaError::SizeMismatch`]. Used for the
    /// legacy `.lzma` format whose size field may be unknown.
    pub fn decode_lzma_upto(props_byte: u8, input: &[u8], out: &mut Vec<u8>, limit: usize, exact: bool) -> LResult<()> {
        let (lc, lp, pb) = split_props(props_byte)?;
        let mut dec = Decoder::new(lc, lp, pb)?;
        let mut rc = RangeDecoder::new(input)?;
        let start = out.len();
        let target = start.checked_add(limit).ok_or(LzmaError::SizeMismatch)?;
        let ended = dec.decode(&mut rc, out, start, target, false)?;
        if ended || (exact && out.len() == target) {
            return Ok(());
        }
        Err(LzmaError::SizeMismatch)
    }

    /// LZMA2 chunks up to the end-of-stream control byte; returns the input bytes consumed.
    /// With `exact`, the output must be exactly `limit` bytes; otherwise at most `limit`.
    pub fn decode_lzma2_stream(props: &[u8], input: &[u8], out: &mut Vec<u8>, limit: usize, exact: bool) -> LResult<usize> {
        let p = *props.first().ok_or(LzmaError::BadProps)?;
        if p > 40 {
            return Err(LzmaError::BadProps);
        }
        let start = out.len();
        let target = start.checked_add(limit).ok_or(LzmaError::SizeMismatch)?;
        let mut pos = 0usize;
        let mut dec: Option<Decoder> = None;
        let mut dict_start = start;
        let mut need_dict_reset = true;
        let mut need_props = true;
        let be16 = |at: usize| -> LResult<usize> {
            let b = input.get(at..at + 2).ok_or(LzmaError::InputEof)?;
            Ok(usize::from(u16::from_be_bytes([b[0], b[1]])))
        };
        // A missing end marker is accepted if everything was produced.
        while let Some(&control) = input.get(pos) {
            pos += 1;
            if control == 0 {
                break;
            }
            if control == 1 || control >= 0xE0 {
                dict_start = out.len();
                need_dict_reset = false;
                need_props = true;
            } else if need_dict_reset {
                return Err(LzmaError::BadChunk("first chunk must reset the dictionary"));
            }
            if control >= 0x80 {
                let unpacked = ((usize::from(control & 0x1F)) << 16) + be16(pos)? + 1;
                let packed = be16(pos + 2)? + 1;
                pos += 4;
                if control >= 0xC0 {
                    let pb = *input.get(pos).ok_or(LzmaError::InputEof)?;
                    pos += 1;
                    let (lc, lp, pbits) = split_props(pb)?;
                    if lc + lp > 4 {
                        return Err(LzmaError::BadProps);
                    }
                    let same = dec.as_ref().is_some_and(|d| d.lc == lc && d.lp == lp && d.pb == pbits);
                    if same {
                        if let Some(d) = dec.as_mut() {
                            d.reset_state();
                        }
                    } else {
                        dec = Some(Decoder::new(lc, lp, pbits)?);
                    }
                    need_props = false;
                } else if need_props {
                    return Err(LzmaError::BadChunk("missing properties"));
                }
                let d = dec.as_mut().ok_or(LzmaError::BadChunk("missing properties"))?;
                if (0xA0..0xC0).contains(&control) {
                    d.reset_state();
                }
                let chunk_end = out.len().checked_add(unpacked).ok_or(LzmaError::SizeMismatch)?;
                if chunk_end > target {
                    return Err(LzmaError::SizeMismatch);
                }
                let payload = input.get(pos..pos.checked_add(packed).ok_or(LzmaError::InputEof)?).ok_or(LzmaError::InputEof)?;
                pos += packed;
                let mut rc = RangeDecoder::new(payload)?;
                if d.decode(&mut rc, out, dict_start, chunk_end, false)? {
                    return Err(LzmaError::BadChunk("end marker inside chunk"));
                }
                if out.len() != chunk_end || !rc.finished_ok() {
                    return Err(LzmaError::BadChunk("chunk size mismatch"));
                }
            } else if control > 2 {
                return Err(LzmaError::BadChunk("invalid control byte"));
            } else {
                let size = be16(pos)? + 1;
                pos += 2;
                let data = input.get(pos..pos.checked_add(size).ok_or(LzmaError::InputEof)?).ok_or(LzmaError::InputEof)?;
                pos += size;
                if out.len() + size > target {
                    return Err(LzmaError::SizeMismatch);
                }
                out.extend_from_slice(data);
            }
        }
        if exact && out.len() != target {
            return Err(LzmaError::SizeMismatch);
        }
        Ok(pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/7z/", $name)).as_slice()
        };
    }

    const HELLO: &[u8] = b"hello, 7z world\n";

    fn a_txt() -> Vec<u8> {
        (0..40).flat_map(|i| format!("line {i} of file a\n").into_bytes()).collect()
    }

    fn c_txt() -> Vec<u8> {
        b"third file, in a subdirectory\n".repeat(5)
    }

    fn read(data: &[u8]) -> Vec<SevenZMember> {
        read_7z(data, &SevenZLimits::default()).expect("archive should parse")
    }

    fn ok_data(m: &SevenZMember) -> &[u8] {
        match &m.data {
            Ok(d) => d,
            Err(e) => panic!("member {} failed: {e}", m.name),
        }
    }

    fn member<'a>(ms: &'a [SevenZMember], name: &str) -> &'a SevenZMember {
        ms.iter().find(|m| m.name == name).unwrap_or_else(|| panic!("no member {name}"))
    }

    /// First property id of the next header (0x01 plain, 0x17 encoded).
    fn header_kind(data: &[u8]) -> u8 {
        let off = u64::from_le_bytes(data[12..20].try_into().unwrap()) as usize;
        data[32 + off]
    }

    fn main_streams(data: &[u8]) -> StreamsInfo {
        let limits = SevenZLimits::default();
        let raw = locate_header(data, &limits).unwrap().unwrap();
        parse_top_header(data, raw, &limits).unwrap().main.unwrap()
    }

    /// Build an archive from packed bytes and a raw header, with valid CRCs.
    fn make_archive(packed: &[u8], header: &[u8]) -> Vec<u8> {
        let mut d = SIGNATURE.to_vec();
        d.extend_from_slice(&[0, 4, 0, 0, 0, 0]);
        d.extend_from_slice(&(packed.len() as u64).to_le_bytes());
        d.extend_from_slice(&(header.len() as u64).to_le_bytes());
        d.extend_from_slice(&crc32(header).to_le_bytes());
        let start_crc = crc32(&d[12..32]);
        d[8..12].copy_from_slice(&start_crc.to_le_bytes());
        d.extend_from_slice(packed);
        d.extend_from_slice(header);
        d
    }

    /// 7z UINT64 encoding (always the 9-byte form for simplicity).
    fn num(v: u64) -> Vec<u8> {
        let mut out = vec![0xFF];
        out.extend_from_slice(&v.to_le_bytes());
        out
    }

    #[test]
    fn signature_detection() {
        assert!(is_7z(fixture!("lzma_single.7z")));
        assert!(!is_7z(b"PK\x03\x04"));
        assert!(!is_7z(&SIGNATURE[..5]));
        let limits = SevenZLimits::default();
        assert_eq!(read_7z(b"hello", &limits).unwrap_err(), SevenZError::NotSevenZ);
        assert_eq!(read_7z(&[], &limits).unwrap_err(), SevenZError::NotSevenZ);
        assert!(matches!(read_7z(&SIGNATURE, &limits), Err(SevenZError::Truncated(_))));
    }

    #[test]
    fn number_encoding() {
        for (bytes, v) in [
            (&[0x05][..], 5u64),
            (&[0x80, 0xFF][..], 0xFF),
            (&[0xBF, 0x34, 0x12][..], 0x3F_1234 & 0x3FFF | 0x3F00 | 0x34),
            (&[0xC1, 0x02, 0x03][..], 0x01_0302),
            (&[0xFF, 1, 2, 3, 4, 5, 6, 7, 8][..], 0x0807_0605_0403_0201),
        ] {
            assert_eq!(Reader::new(bytes).number().unwrap(), v, "{bytes:02x?}");
        }
        assert!(Reader::new(&[0xFF, 1, 2]).number().is_err());
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    /// Coder ids of the folder that holds an encoded header.
    fn encoded_header_coders(data: &[u8]) -> Vec<Vec<u8>> {
        let limits = SevenZLimits::default();
        let raw = locate_header(data, &limits).unwrap().unwrap();
        let mut r = Reader::new(raw);
        assert_eq!(r.number().unwrap(), K_ENCODED_HEADER);
        let si = parse_streams_info(&mut r, &limits).unwrap();
        si.folders[0].coders.iter().map(|c| c.id.clone()).collect()
    }

    #[test]
    fn lzma_single_file() {
        // 7-Zip writes a plain header for this one ...
        let data = fixture!("lzma_single.7z");
        assert_eq!(header_kind(data), K_HEADER as u8);
        let ms = read(data);
        assert_eq!(ms.len(), 1);
        assert_eq!((ms[0].name.as_str(), ms[0].size, ms[0].is_dir), ("hello.txt", 16, false));
        assert_eq!(ok_data(&ms[0]), HELLO);
        assert_eq!(main_streams(data).folders[0].coders[0].id, [3, 1, 1]);
        // ... the same archive with its header LZMA-encoded (stream with end
        // marker, accepted by `7zz t`).
        let data = fixture!("lzma_single_encoded_header.7z");
        assert_eq!(header_kind(data), K_ENCODED_HEADER as u8);
        assert_eq!(encoded_header_coders(data), [vec![3, 1, 1]]);
        assert_eq!(read(data), ms);
    }

    #[test]
    fn real_encoded_headers() {
        // 7-Zip's own LZMA-encoded headers (multi-file archives).
        for data in [fixture!("solid_multi.7z"), fixture!("deflate.7z"), fixture!("nonsolid_multi.7z"), fixture!("empty_and_dir.7z")] {
            assert_eq!(header_kind(data), K_ENCODED_HEADER as u8);
            assert_eq!(encoded_header_coders(data), [vec![3, 1, 1]]);
        }
        // The picklescan sample's header is LZMA2-encoded.
        let data = fixture!("picklescan_malicious1.7z");
        assert_eq!(encoded_header_coders(data), [vec![0x21]]);
    }

    #[test]
    fn lzma2_single() {
        let data = fixture!("lzma2_single.7z");
        let ms = read(data);
        assert_eq!(ok_data(member(&ms, "hello.txt")), HELLO);
        assert_eq!(main_streams(data).folders[0].coders[0].id, [0x21]);
    }

    #[test]
    fn copy_with_plain_header() {
        let data = fixture!("copy_plain_header.7z");
        assert_eq!(header_kind(data), K_HEADER as u8);
        let ms = read(data);
        assert_eq!(ms.len(), 2);
        assert_eq!(ok_data(member(&ms, "a.txt")), a_txt());
        assert_eq!(ok_data(member(&ms, "hello.txt")), HELLO);
        assert_eq!(main_streams(data).folders[0].coders[0].id, [0]);
    }

    #[test]
    fn solid_folder_with_several_files() {
        let data = fixture!("solid_multi.7z");
        let si = main_streams(data);
        assert_eq!(si.folders.len(), 1);
        assert_eq!(si.num_substreams, [4]);
        let ms = read(data);
        let names: Vec<_> = ms.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a.txt", "b.bin", "hello.txt", "sub/c.txt"]);
        assert_eq!(ok_data(&ms[0]), a_txt());
        assert_eq!(ok_data(&ms[1]).len(), 300);
        assert_eq!(crc32(ok_data(&ms[1])), 0x2D57_DE13);
        assert_eq!(ok_data(&ms[2]), HELLO);
        assert_eq!(ok_data(&ms[3]), c_txt());
    }

    #[test]
    fn non_solid_several_folders() {
        let data = fixture!("nonsolid_multi.7z");
        assert_eq!(main_streams(data).folders.len(), 3);
        let ms = read(data);
        assert_eq!(ok_data(member(&ms, "a.txt")), a_txt());
        assert_eq!(ok_data(member(&ms, "hello.txt")), HELLO);
        assert_eq!(ok_data(member(&ms, "sub/c.txt")), c_txt());
    }

    #[test]
    fn empty_file_and_directories() {
        let ms = read(fixture!("empty_and_dir.7z"));
        let summary: Vec<_> = ms.iter().map(|m| (m.name.as_str(), m.size, m.is_dir, ok_data(m).to_vec())).collect();
        assert_eq!(
            summary,
            [
                ("adir", 0, true, vec![]),
                ("adir/nested", 0, true, vec![]),
                ("empty.txt", 0, false, vec![]),
                ("one.txt", 1, false, b"x".to_vec()),
            ]
        );
        let ms = read(fixture!("solid_plain_header.7z"));
        assert!(member(&ms, "dir").is_dir);
        assert!(!member(&ms, "empty.txt").is_dir);
        assert_eq!(ok_data(member(&ms, "b.txt")), b"beta beta beta\n");
        assert_eq!(ok_data(member(&ms, "dir/a.txt")), b"alpha\n");
    }

    #[test]
    fn encrypted_archives() {
        let limits = SevenZLimits::default();
        assert_eq!(read_7z(fixture!("enc_header.7z"), &limits).unwrap_err(), SevenZError::Encrypted);
        let ms = read(fixture!("enc_data.7z"));
        assert_eq!(ms.len(), 2);
        for m in &ms {
            assert_eq!(m.data, Err(SevenZMemberError::Encrypted), "{}", m.name);
        }
        assert_eq!(member(&ms, "a.txt").size, 710);
    }

    #[test]
    fn truncated_and_corrupt() {
        let limits = SevenZLimits::default();
        assert!(matches!(read_7z(fixture!("truncated.7z"), &limits), Err(SevenZError::Truncated(_))));
        let ms = read(fixture!("corrupt_data.7z"));
        assert!(matches!(ms[0].data, Err(SevenZMemberError::Corrupt(_))));

        // Any truncation of a valid archive is an error, never a panic.
        let data = fixture!("solid_multi.7z");
        for len in 0..data.len() {
            assert!(read_7z(&data[..len], &limits).is_err(), "len {len}");
        }
        // Start header and next header CRCs are verified.
        let mut d = data.to_vec();
        d[20] ^= 1;
        assert!(matches!(read_7z(&d, &limits), Err(SevenZError::Malformed(_))));
        let mut d = data.to_vec();
        let last = d.len() - 1;
        d[last] ^= 1;
        assert!(matches!(read_7z(&d, &limits), Err(SevenZError::Malformed(_))));
        // A flipped byte in a plain-header Copy archive's data fails the CRC.
        let mut d = fixture!("copy_plain_header.7z").to_vec();
        d[40] ^= 0x20;
        let ms = read(&d);
        assert_eq!(member(&ms, "a.txt").data, Err(SevenZMemberError::Corrupt("CRC mismatch".into())));
        assert_eq!(ok_data(member(&ms, "hello.txt")), HELLO);
    }

    #[test]
    fn deflate_bcj_delta() {
        let ms = read(fixture!("deflate.7z"));
        assert_eq!(ok_data(member(&ms, "a.txt")), a_txt());
        assert_eq!(ok_data(member(&ms, "hello.txt")), HELLO);

        let data = fixture!("bcj_x86.7z");
        let ids: Vec<_> = main_streams(data).folders[0].coders.iter().map(|c| c.id.clone()).collect();
        assert!(ids.contains(&vec![3, 3, 1, 3]), "{ids:02x?}");
        let ms = read(data);
        let code = ok_data(member(&ms, "code.bin"));
        assert_eq!((code.len(), crc32(code)), (2124, 0x997A_A84C));

        let ms = read(fixture!("delta.7z"));
        let ramp: Vec<u8> = (0u32..1000)
            .flat_map(|i| {
                let mut v = ((i * 3) as u16).to_le_bytes().to_vec();
                v.extend_from_slice(&((i * 5) as u16).to_le_bytes());
                v
            })
            .collect();
        assert_eq!(ok_data(member(&ms, "ramp.bin")), ramp);
    }

    #[test]
    fn bzip2_coder() {
        let ms = read(fixture!("bzip2.7z"));
        assert_eq!(ms[0].name, "hello.txt");
        assert!(ms[0].data.is_ok(), "{:?}", ms[0].data);
    }

    #[test]
    fn picklescan_sample_yields_pickle() {
        let ms = read(fixture!("picklescan_malicious1.7z"));
        assert!(ms.iter().any(|m| m.data.as_ref().is_ok_and(|d| d.first() == Some(&0x80))), "{ms:?}");
    }

    #[test]
    fn bomb_is_limited() {
        let data = fixture!("bomb_zeros.7z");
        let big = 10 * 1024 * 1024;
        // Default ratio limit (1000) trips: 10 MiB from 1.7 KB.
        let ms = read(data);
        assert!(matches!(ms[0].data, Err(SevenZMemberError::LimitExceeded(_))), "{:?}", ms[0].data);
        assert_eq!(ms[0].size, big);
        // Total budget.
        let limits = SevenZLimits { max_ratio: 0, max_total_unpacked: 1 << 20, ..SevenZLimits::default() };
        let ms = read_7z(data, &limits).unwrap();
        assert!(matches!(ms[0].data, Err(SevenZMemberError::LimitExceeded(_))));
        // Member size.
        let limits = SevenZLimits { max_ratio: 0, max_member_size: 1 << 20, ..SevenZLimits::default() };
        let ms = read_7z(data, &limits).unwrap();
        assert!(matches!(ms[0].data, Err(SevenZMemberError::LimitExceeded(_))));
        // Within limits it decodes.
        let limits = SevenZLimits { max_ratio: 0, ..SevenZLimits::default() };
        let ms = read_7z(data, &limits).unwrap();
        let d = ok_data(&ms[0]);
        assert_eq!(d.len() as u64, big);
        assert!(d.iter().all(|b| *b == 0));
    }

    #[test]
    fn archive_level_limits() {
        let data = fixture!("solid_multi.7z");
        let limits = SevenZLimits { max_entries: 3, ..SevenZLimits::default() };
        assert!(matches!(read_7z(data, &limits), Err(SevenZError::LimitExceeded(_))));
        let limits = SevenZLimits { max_header_size: 16, ..SevenZLimits::default() };
        assert!(matches!(read_7z(fixture!("copy_plain_header.7z"), &limits), Err(SevenZError::LimitExceeded(_))));
        // The decoded (encoded) header is limited too.
        let limits = SevenZLimits { max_header_size: 40, ..SevenZLimits::default() };
        assert!(matches!(read_7z(data, &limits), Err(SevenZError::LimitExceeded(_))));
        // Total budget is shared by folders: the second folder is refused.
        let limits = SevenZLimits { max_total_unpacked: 720, ..SevenZLimits::default() };
        let ms = read_7z(fixture!("nonsolid_multi.7z"), &limits).unwrap();
        assert!(ms[0].data.is_ok());
        assert!(matches!(ms[1].data, Err(SevenZMemberError::LimitExceeded(_))));
    }

    #[test]
    fn hostile_headers_do_not_allocate() {
        let huge = SevenZLimits {
            max_entries: usize::MAX,
            max_total_unpacked: u64::MAX,
            max_member_size: u64::MAX,
            max_header_size: u64::MAX,
            max_ratio: 0,
        };
        // Empty archive.
        assert_eq!(read_7z(&make_archive(&[], &[]), &huge).unwrap(), vec![]);
        // 2^40 files.
        let mut h = vec![0x01, 0x05];
        h.extend(num(1 << 40));
        h.extend([0x00, 0x00]);
        assert!(matches!(read_7z(&make_archive(&[], &h), &huge), Err(SevenZError::Malformed(_))));
        // 2^50 packed streams.
        let mut h = vec![0x01, 0x04, 0x06, 0x00];
        h.extend(num(1 << 50));
        h.extend([0x09, 0x01, 0x00, 0x00, 0x00]);
        assert!(matches!(read_7z(&make_archive(&[], &h), &huge), Err(SevenZError::Malformed(_))));
        // 2^60 folders.
        let mut h = vec![0x01, 0x04, 0x07, 0x0B];
        h.extend(num(1 << 60));
        h.extend([0x00, 0x01, 0x01, 0x00, 0x0C, 0x01, 0x00, 0x00, 0x00]);
        assert!(matches!(read_7z(&make_archive(&[], &h), &huge), Err(SevenZError::Malformed(_))));

        // A Copy folder declaring 2^60 bytes from 4 packed bytes, one file.
        let folder = |unpack: u64| {
            let mut h = vec![0x01, 0x04, 0x06, 0x00, 0x01, 0x09, 0x04, 0x00];
            h.extend([0x07, 0x0B, 0x01, 0x00, 0x01, 0x01, 0x00, 0x0C]);
            h.extend(num(unpack));
            h.extend([0x00, 0x00, 0x05, 0x01, 0x00, 0x00]);
            h
        };
        let d = make_archive(b"abcd", &folder(1 << 60));
        let ms = read_7z(&d, &SevenZLimits::default()).unwrap();
        assert!(matches!(ms[0].data, Err(SevenZMemberError::LimitExceeded(_))));
        let ms = read_7z(&d, &huge).unwrap();
        assert!(matches!(ms[0].data, Err(SevenZMemberError::Corrupt(_))));
        // ... and the honest version of it works (file has no name).
        let ms = read_7z(&make_archive(b"abcd", &folder(4)), &huge).unwrap();
        assert_eq!((ms[0].name.as_str(), ok_data(&ms[0])), ("file_0", &b"abcd"[..]));
        // Two files but one stream.
        let mut h = folder(4);
        let n_files = h.len() - 3;
        h[n_files] = 0x02;
        assert!(matches!(read_7z(&make_archive(b"abcd", &h), &huge), Err(SevenZError::Malformed(_))));
    }

    #[test]
    fn lzma2_chunk_must_consume_its_payload() {
        // Hide chunks inside an over-declared chunk payload (lzma-rs 0.3
        // would decode them; the declared sizes would no longer bound output).
        let s = &fixture!("bomb_zeros.7z")[32..];
        let unpacked = ((usize::from(s[0] & 0x1F) << 16) | usize::from(u16::from_be_bytes([s[1], s[2]]))) + 1;
        let packed = usize::from(u16::from_be_bytes([s[3], s[4]])) + 1;
        let chunk = &s[..6 + packed];
        let mut normal = chunk.to_vec();
        normal.push(0);
        let mut out = Vec::new();
        lzma::decode_lzma2(&[20], &normal, &mut out, unpacked).unwrap();
        assert_eq!(out.len(), unpacked);

        let mut hidden = chunk.to_vec();
        hidden[0] = 0xC0 | (hidden[0] & 0x1F);
        let mut crafted = chunk.to_vec();
        crafted[3..5].copy_from_slice(&((packed + hidden.len() - 1) as u16).to_be_bytes());
        crafted.extend_from_slice(&hidden);
        crafted.push(0);
        let mut out = Vec::new();
        assert!(lzma::decode_lzma2(&[20], &crafted, &mut out, unpacked).is_err());
        assert!(out.len() <= unpacked);
    }

    const ALL_FIXTURES: &[&[u8]] = &[
        fixture!("lzma_single.7z"),
        fixture!("lzma_single_encoded_header.7z"),
        fixture!("lzma2_single.7z"),
        fixture!("copy_plain_header.7z"),
        fixture!("solid_multi.7z"),
        fixture!("solid_plain_header.7z"),
        fixture!("empty_and_dir.7z"),
        fixture!("enc_header.7z"),
        fixture!("enc_data.7z"),
        fixture!("truncated.7z"),
        fixture!("corrupt_data.7z"),
        fixture!("bomb_zeros.7z"),
        fixture!("deflate.7z"),
        fixture!("bcj_x86.7z"),
        fixture!("delta.7z"),
        fixture!("bzip2.7z"),
        fixture!("nonsolid_multi.7z"),
        fixture!("picklescan_malicious1.7z"),
    ];

    #[test]
    fn fuzz_one_on_fixtures() {
        for f in ALL_FIXTURES {
            fuzz_one(f);
        }
    }

    use crate::testutil::Rng;

    /// Recompute both CRCs (and, if asked, point the next header at the end
    /// of the data) so that mutations reach the header parser.
    fn fix_crcs(d: &mut [u8], header_at_end: bool) {
        if d.len() < 32 {
            return;
        }
        let size = u64::from_le_bytes(d[20..28].try_into().unwrap());
        let end_off = (d.len() as u64 - 32).checked_sub(size);
        if let Some(off) = end_off.filter(|_| header_at_end) {
            d[12..20].copy_from_slice(&off.to_le_bytes());
        }
        let off = u64::from_le_bytes(d[12..20].try_into().unwrap());
        let end = off.checked_add(32).and_then(|s| s.checked_add(size));
        if let Some(end) = end.filter(|e| *e <= d.len() as u64) {
            let crc = crc32(&d[(off + 32) as usize..end as usize]);
            d[28..32].copy_from_slice(&crc.to_le_bytes());
        }
        let crc = crc32(&d[12..32]);
        d[8..12].copy_from_slice(&crc.to_le_bytes());
    }

    fn mutate(rng: &mut Rng, d: &mut Vec<u8>) {
        // Half of the byte-level mutations target the header region.
        let header_start = if d.len() >= 32 {
            let off = u64::from_le_bytes(d[12..20].try_into().unwrap());
            usize::try_from(off.saturating_add(32)).unwrap_or(usize::MAX).min(d.len())
        } else {
            0
        };
        let pos = |rng: &mut Rng, len: usize| {
            if rng.below(2) == 0 && header_start < len {
                header_start + rng.below(len - header_start)
            } else {
                rng.below(len)
            }
        };
        if d.is_empty() {
            d.push(rng.next() as u8);
            return;
        }
        match rng.below(8) {
            0..=2 => {
                let i = pos(rng, d.len());
                d[i] ^= 1 << rng.below(8);
            }
            3 => {
                let i = pos(rng, d.len());
                d[i] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE, rng.next() as u8][rng.below(7)];
            }
            4 => d.truncate(rng.below(d.len())),
            5 => {
                let i = pos(rng, d.len());
                let n = 1 + rng.below(16);
                for _ in 0..n {
                    d.insert(i, rng.next() as u8);
                }
            }
            6 => {
                let i = pos(rng, d.len());
                let n = (1 + rng.below(16)).min(d.len() - i);
                d.drain(i..i + n);
            }
            _ => {
                let i = pos(rng, d.len());
                let bytes = rng.next().to_le_bytes();
                for (k, b) in bytes.iter().take(1 + rng.below(8)).enumerate() {
                    if let Some(x) = d.get_mut(i + k) {
                        *x = *b;
                    }
                }
            }
        }
    }

    fn fuzz_iterations(seed: u64, iterations: usize) {
        let limits = SevenZLimits {
            max_entries: 64,
            max_total_unpacked: 64 << 10,
            max_member_size: 32 << 10,
            max_header_size: 64 << 10,
            max_ratio: 200,
        };
        let mut rng = Rng(seed);
        let mut stats = std::collections::BTreeMap::<String, usize>::new();
        for _ in 0..iterations {
            let base = ALL_FIXTURES[rng.below(ALL_FIXTURES.len())];
            let mut d = base.to_vec();
            for _ in 0..1 + rng.below(6) {
                mutate(&mut rng, &mut d);
            }
            if rng.below(4) != 0 {
                let header_at_end = rng.below(4) != 0;
                fix_crcs(&mut d, header_at_end);
            }
            let outcome = match read_7z(&d, &limits) {
                Ok(ms) => {
                    assert!(ms.len() <= limits.max_entries);
                    let total: usize = ms.iter().filter_map(|m| m.data.as_ref().ok()).map(Vec::len).sum();
                    assert!(total as u64 <= limits.max_total_unpacked);
                    match ms.iter().find_map(|m| m.data.as_ref().err()) {
                        None => "ok".to_string(),
                        Some(e) => format!("ok, member {e}"),
                    }
                }
                Err(e) => e.to_string(),
            };
            // Bucket by message, digits removed.
            let key: String = outcome.chars().filter(|c| !c.is_ascii_digit()).take(48).collect();
            *stats.entry(key).or_default() += 1;
        }
        eprintln!("fuzz outcomes: {stats:#?}");
    }

    #[test]
    fn mutation_fuzz_no_panic() {
        let iterations = std::env::var("SEVENZ_FUZZ_ITERS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
        let seed = std::env::var("SEVENZ_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_7A11_u64);
        fuzz_iterations(seed | 1, iterations);
    }

    fn find_7z_binary() -> Option<std::path::PathBuf> {
        let path = std::env::var_os("PATH")?;
        for name in ["7z", "7za", "7zr", "7zz"] {
            for dir in std::env::split_paths(&path) {
                let p = dir.join(name);
                if p.is_file() {
                    return Some(p);
                }
            }
        }
        None
    }

    /// Runs only where a 7-Zip binary is installed; otherwise it passes.
    #[test]
    fn round_trip_with_system_7z() {
        use std::process::{Command, Stdio};
        let Some(bin) = find_7z_binary() else {
            eprintln!("no 7z/7za/7zr/7zz binary found: skipping");
            return;
        };
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let root = std::env::temp_dir().join(format!("sevenz-test-{}-{nanos}", std::process::id()));
        let src = root.join("src");
        std::fs::create_dir_all(src.join("sub")).unwrap();
        std::fs::create_dir_all(src.join("emptydir")).unwrap();
        let mut rng = Rng(0x1234_5678_9ABC_DEF1);
        let random: Vec<u8> = (0..300_000).map(|_| rng.next() as u8).collect();
        let files: Vec<(&str, Vec<u8>)> = vec![
            ("text.txt", b"some text that repeats a bit. ".repeat(2000)),
            ("rand.bin", random),
            ("sub/zeros.bin", vec![0u8; 3 << 20]),
            ("empty.txt", Vec::new()),
        ];
        for (name, content) in &files {
            std::fs::write(src.join(name), content).unwrap();
        }
        let limits = SevenZLimits { max_ratio: 0, ..SevenZLimits::default() };
        let cases: &[&[&str]] = &[
            &["-m0=LZMA"],
            &["-m0=LZMA2"],
            &["-m0=LZMA2:c=64k"],
            &["-m0=Copy"],
            &["-m0=Deflate"],
            &["-mf=BCJ", "-m0=LZMA"],
            &["-mf=Delta:4", "-m0=LZMA2"],
            &["-ms=off"],
            &["-mhc=off"],
            &["-m0=LZMA:lc=1:lp=3:pb=1"],
        ];
        for (i, opts) in cases.iter().enumerate() {
            let archive = root.join(format!("case{i}.7z"));
            let status = Command::new(&bin)
                .arg("a")
                .args(["-bso0", "-bsp0", "-y"])
                .args(*opts)
                .arg(&archive)
                .args(["text.txt", "rand.bin", "sub", "empty.txt", "emptydir"])
                .current_dir(&src)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("{} cannot create {opts:?}: skipping case", bin.display());
                continue;
            }
            let data = std::fs::read(&archive).unwrap();
            let ms = read_7z(&data, &limits).unwrap_or_else(|e| panic!("{opts:?}: {e}"));
            for (name, content) in &files {
                let m = ms.iter().find(|m| m.name.replace('\\', "/") == *name).unwrap_or_else(|| panic!("{opts:?}: missing {name}"));
                assert_eq!(m.size, content.len() as u64, "{opts:?} {name}");
                assert!(ok_data(m) == &content[..], "{opts:?}: {name} differs");
            }
            assert!(ms.iter().any(|m| m.name == "emptydir" && m.is_dir), "{opts:?}");
            assert!(ms.iter().any(|m| m.name == "sub" && m.is_dir), "{opts:?}");
        }
        // Encrypted header.
        let archive = root.join("enc.7z");
        let status = Command::new(&bin)
            .args(["a", "-bso0", "-bsp0", "-y", "-psecret", "-mhe=on"])
            .arg(&archive)
            .arg("text.txt")
            .current_dir(&src)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        if status.is_ok_and(|s| s.success()) {
            let data = std::fs::read(&archive).unwrap();
            assert_eq!(read_7z(&data, &limits).unwrap_err(), SevenZError::Encrypted);
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}
