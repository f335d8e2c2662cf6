//! Zip reader that reads archives the way PyTorch (miniz) does: members are located through the
//! central directory, data offsets come from the local headers, CRC errors and unusual flag bits
//! are tolerated. Everything a stricter reader would refuse is reported as an anomaly instead,
//! so a crafted archive can neither hide a member nor make the scan fail.

use crate::source::{Source, Window};
use crate::Limits;
use std::io;

/// One member, as the central directory lists it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    /// Name in the local header, when it differs from the central directory's.
    pub local_name: Option<String>,
    pub flags: u16,
    pub method: u16,
    pub crc: u32,
    pub compressed: u64,
    pub uncompressed: u64,
    /// Offset of the member data in the source.
    pub data_offset: u64,
    pub is_dir: bool,
    pub is_symlink: bool,
}

impl Entry {
    /// Encryption (bit 0) or strong encryption (bit 6).
    pub fn encrypted_flag(&self) -> bool {
        self.flags & 0x41 != 0
    }

    /// Flag bits other than the ones ordinary writers set (bit 3 data descriptor, bit 11
    /// UTF-8 names, bits 1-2 deflate options).
    pub fn unusual_flags(&self) -> u16 {
        self.flags & !(0x0008 | 0x0800 | 0x0006)
    }
}

/// Archive-level observations.
#[derive(Debug, Default)]
pub struct Archive {
    pub entries: Vec<Entry>,
    /// Bytes before the first member (self-extractors, polyglots).
    pub prepended: u64,
    /// Bytes after the end-of-central-directory record and its comment.
    pub trailing: u64,
    /// Members whose local header could not be read: (name, why).
    pub broken: Vec<(String, String)>,
    /// Entries beyond the limit that were not listed.
    pub truncated_entries: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ZipError {
    #[error("no end-of-central-directory record")]
    NoEnd,
    #[error("malformed zip: {0}")]
    Malformed(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

fn u16le(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32le(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().expect("4 bytes"))
}

fn u64le(b: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(b[at..at + 8].try_into().expect("8 bytes"))
}

const EOCD: &[u8; 4] = b"PK\x05\x06";
const EOCD64_LOCATOR: &[u8; 4] = b"PK\x06\x07";
const EOCD64: &[u8; 4] = b"PK\x06\x06";
const CENTRAL: &[u8; 4] = b"PK\x01\x02";
const LOCAL: &[u8; 4] = b"PK\x03\x04";

/// Finds the end-of-central-directory record: its offset, or None.
pub fn find_eocd(src: &dyn Source) -> io::Result<Option<u64>> {
    let len = src.len();
    if len < 22 {
        return Ok(None);
    }
    let span = len.min(22 + 65535);
    let tail = src.read_cow(len - span, span as usize)?;
    // The last candidate whose comment length reaches the end (or before it) wins.
    let mut end = tail.len() - 18;
    // Backwards over the signature's first byte (vectorised), checking the rest by hand: the
    // tail of a large tensor file is 64 KiB of numbers.
    let rfind = |hay: &[u8]| memchr::memrchr_iter(EOCD[0], hay).find(|&i| hay[i..].starts_with(EOCD));
    while let Some(i) = rfind(&tail[..end]) {
        if i + 22 <= tail.len() {
            let comment = u16le(&tail, i + 20) as usize;
            if i + 22 + comment <= tail.len() {
                return Ok(Some(len - span + i as u64));
            }
        }
        end = i + 3;
        if end < 4 {
            break;
        }
    }
    Ok(None)
}

/// Reads the central directory and every local header.
pub fn read(src: &dyn Source, limits: &Limits) -> Result<Archive, ZipError> {
    let eocd_at = find_eocd(src)?.ok_or(ZipError::NoEnd)?;
    let e = src.read_exact_vec(eocd_at, 22)?;
    let comment_len = u64::from(u16le(&e, 20));
    let mut count = u64::from(u16le(&e, 10));
    let mut cd_size = u64::from(u32le(&e, 12));
    let mut cd_offset = u64::from(u32le(&e, 16));
    let mut cd_end = eocd_at;
    // ZIP64: a locator right before the EOCD points at the ZIP64 end record.
    if eocd_at >= 20 {
        let loc = src.read_exact_vec(eocd_at - 20, 20)?;
        if &loc[..4] == EOCD64_LOCATOR {
            let rec_at = u64le(&loc, 8);
            let rec = src.read_vec(rec_at, 56)?;
            if rec.len() == 56 && &rec[..4] == EOCD64 {
                count = u64le(&rec, 32);
                cd_size = u64le(&rec, 40);
                cd_offset = u64le(&rec, 48);
                cd_end = rec_at;
            } else {
                return Err(ZipError::Malformed("ZIP64 locator points at no ZIP64 end record".into()));
            }
        }
    }
    // Data prepended to the archive shifts every offset by the same amount.
    let shift = cd_end
        .checked_sub(cd_size)
        .and_then(|s| s.checked_sub(cd_offset))
        .ok_or_else(|| ZipError::Malformed(format!("central directory ({cd_size} bytes at {cd_offset}) overlaps its end record")))?;
    let mut archive = Archive { trailing: src.len().saturating_sub(eocd_at + 22 + comment_len), ..Archive::default() };
    if cd_size > limits.max_metadata {
        return Err(ZipError::Malformed(format!("central directory of {cd_size} bytes exceeds the metadata limit")));
    }
    let cd = src.read_exact_vec(cd_offset + shift, cd_size as usize)?;
    let mut p = 0usize;
    let mut first_local = u64::MAX;
    for _ in 0..count {
        if archive.entries.len() >= limits.max_entries {
            archive.truncated_entries = true;
            break;
        }
        if p + 46 > cd.len() || &cd[p..p + 4] != CENTRAL {
            return Err(ZipError::Malformed(format!(
                "central directory entry {} is cut short or has a bad signature",
                archive.entries.len()
            )));
        }
        let flags = u16le(&cd, p + 8);
        let method = u16le(&cd, p + 10);
        let crc = u32le(&cd, p + 16);
        let mut compressed = u64::from(u32le(&cd, p + 20));
        let mut uncompressed = u64::from(u32le(&cd, p + 24));
        let name_len = usize::from(u16le(&cd, p + 28));
        let extra_len = usize::from(u16le(&cd, p + 30));
        let comment_len = usize::from(u16le(&cd, p + 32));
        let made_by = u16le(&cd, p + 4);
        let ext_attr = u32le(&cd, p + 38);
        let mut local = u64::from(u32le(&cd, p + 42));
        let end = p + 46 + name_len + extra_len + comment_len;
        if end > cd.len() {
            return Err(ZipError::Malformed("central directory entry runs past the directory".into()));
        }
        let name_raw = &cd[p + 46..p + 46 + name_len];
        let name = decode_name(name_raw, flags);
        // ZIP64 extended information replaces the saturated 32-bit fields, in order.
        let mut x = p + 46 + name_len;
        let xend = x + extra_len;
        while x + 4 <= xend {
            let id = u16le(&cd, x);
            let sz = usize::from(u16le(&cd, x + 2));
            let body = x + 4;
            if body + sz > xend {
                break;
            }
            if id == 0x0001 {
                let mut q = body;
                for field in [&mut uncompressed, &mut compressed, &mut local] {
                    if *field == 0xFFFF_FFFF && q + 8 <= body + sz {
                        *field = u64le(&cd, q);
                        q += 8;
                    }
                }
            }
            x = body + sz;
        }
        p = end;
        let unix_mode = if made_by >> 8 == 3 { ext_attr >> 16 } else { 0 };
        let is_symlink = unix_mode & 0o170000 == 0o120000;
        let is_dir = name.ends_with('/') || (made_by >> 8 == 0 && ext_attr & 0x10 != 0);
        // A ZIP64 offset near u64::MAX plus prepended data must not wrap around to a different
        // local header (fuzz/regressions/zip-zip64-local-offset-overflow).
        let Some(header_at) = local.checked_add(shift) else {
            archive.broken.push((name, format!("local header offset {local} + {shift} bytes of prepended data overflows")));
            continue;
        };
        first_local = first_local.min(header_at);
        let lh = match src.read_exact_vec(header_at, 30) {
            Ok(lh) if &lh[..4] == LOCAL => lh,
            Ok(_) => {
                archive.broken.push((name, format!("no local header at offset {header_at}")));
                continue;
            }
            Err(e) => {
                archive.broken.push((name, format!("local header at offset {header_at}: {e}")));
                continue;
            }
        };
        let lname_len = usize::from(u16le(&lh, 26));
        let lextra_len = u64::from(u16le(&lh, 28));
        let lname_raw = src.read_vec(header_at + 30, lname_len)?;
        let local_name = (lname_raw != name_raw).then(|| decode_name(&lname_raw, u16le(&lh, 6)));
        let data_offset = header_at + 30 + lname_len as u64 + lextra_len;
        if data_offset.checked_add(compressed).is_none_or(|e| e > src.len()) {
            archive.broken.push((name, format!("{compressed} bytes of data at offset {data_offset} run past the end of the file")));
            continue;
        }
        archive.entries.push(Entry { name, local_name, flags, method, crc, compressed, uncompressed, data_offset, is_dir, is_symlink });
    }
    archive.prepended = if first_local == u64::MAX { shift } else { first_local };
    Ok(archive)
}

fn decode_name(raw: &[u8], flags: u16) -> String {
    if flags & 0x0800 != 0 {
        String::from_utf8_lossy(raw).into_owned()
    } else {
        match std::str::from_utf8(raw) {
            Ok(s) => s.to_string(),
            // CP437 names: keep them readable and unambiguous.
            Err(_) => raw
                .iter()
                .map(|&b| if b.is_ascii() { char::from(b) } else { char::from_u32(0x2400 + u32::from(b)).unwrap_or('?') })
                .collect(),
        }
    }
}

/// Member content: a window into the archive (stored) or inflated bytes.
pub enum Content<'a> {
    Stored(Window<'a>),
    Inflated(Vec<u8>),
}

impl Content<'_> {
    pub fn source(&self) -> &dyn Source {
        match self {
            Content::Stored(w) => w,
            Content::Inflated(v) => v,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    #[error("compression method {0} is not supported")]
    Unsupported(u16),
    #[error("{0}")]
    Limit(String),
    #[error("corrupt compressed data: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Opens a member's content (inflating deflate members, bounded by `max_bytes`).
pub fn open<'a>(src: &'a dyn Source, e: &Entry, max_bytes: u64, limits: &Limits) -> Result<Content<'a>, MemberError> {
    match e.method {
        0 => Ok(Content::Stored(Window { inner: src, offset: e.data_offset, len: e.compressed })),
        8 => {
            if e.compressed > limits.max_member_bytes {
                return Err(MemberError::Limit(format!("compressed member of {} bytes exceeds the member limit", e.compressed)));
            }
            let raw = src.read_exact_vec(e.data_offset, e.compressed as usize)?;
            let out = crate::inflate::inflate(&raw, false, max_bytes, limits)?;
            Ok(Content::Inflated(out))
        }
        m => Err(MemberError::Unsupported(m)),
    }
}

#[cfg(test)]
pub(crate) mod build {
    //! A tiny zip writer for tests: exact control over every header field.

    pub struct Member<'a> {
        pub name: &'a str,
        pub local_name: Option<&'a str>,
        pub data: &'a [u8],
        pub flags: u16,
        pub crc: Option<u32>,
        pub deflate: bool,
    }

    impl<'a> Member<'a> {
        pub fn new(name: &'a str, data: &'a [u8]) -> Self {
            Member { name, local_name: None, data, flags: 0, crc: None, deflate: false }
        }
    }

    pub fn zip(members: &[Member<'_>], prefix: &[u8]) -> Vec<u8> {
        let mut out = prefix.to_vec();
        let mut central = Vec::new();
        for m in members {
            let body = if m.deflate { miniz_oxide::deflate::compress_to_vec(m.data, 6) } else { m.data.to_vec() };
            let crc = m.crc.unwrap_or_else(|| crate::inflate::crc32(m.data));
            let method: u16 = if m.deflate { 8 } else { 0 };
            let offset = out.len() as u32;
            let lname = m.local_name.unwrap_or(m.name);
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&20u16.to_le_bytes());
            out.extend_from_slice(&m.flags.to_le_bytes());
            out.extend_from_slice(&method.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0, 0]);
            out.extend_from_slice(&crc.to_le_bytes());
            out.extend_from_slice(&(body.len() as u32).to_le_bytes());
            out.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(lname.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(lname.as_bytes());
            out.extend_from_slice(&body);
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&0x0314u16.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes());
            central.extend_from_slice(&m.flags.to_le_bytes());
            central.extend_from_slice(&method.to_le_bytes());
            central.extend_from_slice(&[0, 0, 0, 0]);
            central.extend_from_slice(&crc.to_le_bytes());
            central.extend_from_slice(&(body.len() as u32).to_le_bytes());
            central.extend_from_slice(&(m.data.len() as u32).to_le_bytes());
            central.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 8]);
            central.extend_from_slice(&(0o100644u32 << 16).to_le_bytes());
            central.extend_from_slice(&(offset - prefix.len() as u32).to_le_bytes());
            central.extend_from_slice(m.name.as_bytes());
        }
        let cd_offset = (out.len() - prefix.len()) as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
        out.extend_from_slice(&(members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::build::{zip, Member};
    use super::*;

    #[test]
    fn reads_members_and_anomalies() {
        let mut m2 = Member::new("b.bin", b"world");
        m2.local_name = Some("x.bin");
        m2.deflate = true;
        let data = zip(&[Member::new("a.txt", b"hello"), m2], b"JUNKJUNK");
        let a = read(&data, &Limits::default()).unwrap();
        assert_eq!(a.prepended, 8);
        assert_eq!(a.entries.len(), 2);
        assert_eq!(a.entries[1].local_name.as_deref(), Some("x.bin"));
        let c = open(&data, &a.entries[1], 1 << 20, &Limits::default()).unwrap();
        assert_eq!(c.source().read_vec(0, 100).unwrap(), b"world");
        let c = open(&data, &a.entries[0], 1 << 20, &Limits::default()).unwrap();
        assert_eq!(c.source().read_vec(0, 100).unwrap(), b"hello");
    }

    #[test]
    fn zip64_offset_overflow_is_a_broken_member_not_a_panic() {
        for name in ["zip-zip64-local-offset-overflow", "zip-zip64-local-offset-overflow-fuzzer-original"] {
            let data = std::fs::read(format!("{}/../../fuzz/regressions/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            if let Ok(a) = read(&data, &Limits::default()) {
                for e in &a.entries {
                    let _ = open(&data, e, 1 << 20, &Limits::default());
                }
            }
        }
    }

    #[test]
    fn rejects_non_zip() {
        assert!(matches!(read(&b"hello world, this is not a zip file".to_vec(), &Limits::default()), Err(ZipError::NoEnd)));
    }
}
