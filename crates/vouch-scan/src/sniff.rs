//! Content sniffing: what a byte stream is, decided from its bytes alone, never its name.

use crate::source::Source;
use std::io;

/// Formats vouch recognises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Empty,
    Zip,
    SevenZ,
    Tar,
    Gzip,
    Zlib,
    Xz,
    Bzip2,
    /// The legacy `.lzma` ("LZMA alone") stream that Python's lzma module writes with FORMAT_ALONE.
    Lzma,
    /// lz4, zstd: recognised, not decoded.
    OtherCompressed(&'static str),
    Npy,
    Pickle,
    Safetensors,
    Gguf,
    Hdf5,
    Json,
    Text,
    Image(&'static str),
    Unknown,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Empty => "empty",
            Kind::Zip => "zip",
            Kind::SevenZ => "7z",
            Kind::Tar => "tar",
            Kind::Gzip => "gzip",
            Kind::Zlib => "zlib",
            Kind::Xz => "xz",
            Kind::Bzip2 => "bzip2",
            Kind::Lzma => "lzma",
            Kind::OtherCompressed(n) => n,
            Kind::Npy => "npy",
            Kind::Pickle => "pickle",
            Kind::Safetensors => "safetensors",
            Kind::Gguf => "gguf",
            Kind::Hdf5 => "hdf5",
            Kind::Json => "json",
            Kind::Text => "text",
            Kind::Image(n) => n,
            Kind::Unknown => "unknown",
        }
    }
}

/// Bytes read to sniff.
pub const HEAD: usize = 8192;

/// Sniffs a source from its first bytes (and, for zips with prepended data, its tail).
pub fn sniff(src: &dyn Source) -> io::Result<Kind> {
    let head = src.read_cow(0, HEAD)?;
    let kind = sniff_head(&head, src.len());
    if matches!(kind, Kind::Unknown | Kind::Text | Kind::Json | Kind::Image(_) | Kind::Safetensors | Kind::Gguf | Kind::Hdf5) {
        // A zip with data in front (polyglot, self-extractor) still opens as a zip in loaders
        // that look for the end record, as PyTorch and Python's zipfile do.
        if src.len() >= 22 && crate::zip::find_eocd(src)?.is_some() && crate::zip::read(src, &crate::Limits::default()).is_ok() {
            return Ok(Kind::Zip);
        }
    }
    Ok(kind)
}

/// Sniffs from the first bytes alone.
pub fn sniff_head(h: &[u8], total_len: u64) -> Kind {
    if h.is_empty() {
        return Kind::Empty;
    }
    if h.starts_with(b"PK\x03\x04") || h.starts_with(b"PK\x05\x06") {
        return Kind::Zip;
    }
    if h.starts_with(&[0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C]) {
        return Kind::SevenZ;
    }
    if h.starts_with(b"\x93NUMPY") {
        return Kind::Npy;
    }
    if h.starts_with(&[0x1f, 0x8b]) {
        return Kind::Gzip;
    }
    if h.starts_with(b"BZh") && h.get(3).is_some_and(|c| (b'1'..=b'9').contains(c)) {
        return Kind::Bzip2;
    }
    if h.starts_with(&[0xFD, b'7', b'z', b'X', b'Z', 0]) {
        return Kind::Xz;
    }
    if h.starts_with(&[0x04, 0x22, 0x4D, 0x18]) {
        return Kind::OtherCompressed("lz4");
    }
    if h.starts_with(&[0x28, 0xB5, 0x2F, 0xFD]) {
        return Kind::OtherCompressed("zstd");
    }
    if is_lzma_alone(h) {
        return Kind::Lzma;
    }
    if h.starts_with(b"GGUF") {
        return Kind::Gguf;
    }
    // HDF5's signature sits at 0 or after a user block of 512, 1024, 2048, ... bytes.
    if std::iter::successors(Some(0usize), |&o| if o == 0 { Some(512) } else { o.checked_mul(2) })
        .take_while(|&o| o + 8 <= h.len())
        .any(|o| &h[o..o + 8] == b"\x89HDF\r\n\x1a\n")
    {
        return Kind::Hdf5;
    }
    if h.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Kind::Image("png");
    }
    if h.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Kind::Image("jpeg");
    }
    if h.starts_with(b"GIF87a") || h.starts_with(b"GIF89a") {
        return Kind::Image("gif");
    }
    if h.len() >= 12 && h.starts_with(b"RIFF") && &h[8..12] == b"WEBP" {
        return Kind::Image("webp");
    }
    if is_tar_header(h) {
        return Kind::Tar;
    }
    if is_safetensors(h, total_len) {
        return Kind::Safetensors;
    }
    if h.len() >= 2 && h[0] == 0x78 && matches!(h[1], 0x01 | 0x5E | 0x9C | 0xDA) && (u16::from(h[0]) * 256 + u16::from(h[1])) % 31 == 0 {
        return Kind::Zlib;
    }
    if vouch_pickle::looks_like_pickle(h) {
        // Plain text can decode as a degenerate pickle ("C" + length byte + bytes + "." is a
        // bytes object). Text that imports nothing and does not parse to its end is text.
        if sniff_text(h).is_some() {
            let a = vouch_pickle::analyse(h, &vouch_pickle::Limits { max_ops: 10_000, max_depth: 0, ..Default::default() });
            let cut_by_head = (h.len() as u64) < total_len;
            if a.globals.is_empty() && a.error.is_some() && !cut_by_head {
                return Kind::Text;
            }
        }
        return Kind::Pickle;
    }
    if let Some(k) = sniff_text(h) {
        return k;
    }
    Kind::Unknown
}

fn sniff_text(h: &[u8]) -> Option<Kind> {
    if h.contains(&0) {
        return None;
    }
    // A multi-byte character may be cut at the end of the head.
    let s = match std::str::from_utf8(h) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() && e.valid_up_to() + 4 > h.len() => std::str::from_utf8(&h[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let printable = s.chars().filter(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t' | '\x0c')).count();
    if printable * 100 < s.chars().count() * 95 {
        return None;
    }
    let t = s.trim_start_matches('\u{feff}').trim_start();
    Some(if t.starts_with('{') || t.starts_with('[') { Kind::Json } else { Kind::Text })
}

/// A POSIX/GNU tar header: `ustar` magic, or a valid checksum on an old-style header.
pub fn is_tar_header(h: &[u8]) -> bool {
    if h.len() < 512 {
        return false;
    }
    if &h[257..262] == b"ustar" {
        return true;
    }
    crate::tar::header_checksum_ok(&h[..512]) && h[0] != 0
}

/// Properties byte 0x5D (lc=3, lp=0, pb=2, what every encoder writes), a dictionary size of
/// 2^n or 2^n + 2^(n-1), and a plausible or unknown (all ones) uncompressed size.
fn is_lzma_alone(h: &[u8]) -> bool {
    if h.len() < 13 || h[0] != 0x5D {
        return false;
    }
    let dict = u32::from_le_bytes([h[1], h[2], h[3], h[4]]);
    let pow2ish = (12..=30).any(|n| dict == 1 << n || dict == (1 << n) + (1 << (n - 1)));
    let size = u64::from_le_bytes(h[5..13].try_into().expect("8 bytes"));
    pow2ish && (size == u64::MAX || size < 1 << 48)
}

fn is_safetensors(h: &[u8], total: u64) -> bool {
    if h.len() < 10 {
        return false;
    }
    let n = u64::from_le_bytes(h[..8].try_into().expect("8 bytes"));
    n >= 2 && n.saturating_add(8) <= total && h[8] == b'{'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_not_name() {
        assert_eq!(sniff_head(b"\x80\x04\x95", 3), Kind::Pickle);
        assert_eq!(sniff_head(b"cposix\nsystem\n(S'ls'\ntR.", 24), Kind::Pickle);
        assert_eq!(sniff_head(b"{\"a\": 1}", 8), Kind::Json);
        assert_eq!(sniff_head(b"hello world\n", 12), Kind::Text);
        assert_eq!(sniff_head(b"\x89PNG\r\n\x1a\n", 8), Kind::Image("png"));
        assert_eq!(sniff_head(b"\x93NUMPY\x01\x00", 8), Kind::Npy);
        assert_eq!(sniff_head(&[0x78, 0x9c, 1, 2], 4), Kind::Zlib);
        assert_eq!(sniff_head(b"", 0), Kind::Empty);
        // "C" + length + bytes + "." is a valid bytes pickle, but this is a requirements file.
        let reqs = b"CacheControl==0.14.4\ndistlib==0.4.4\ndistro==1.9.0\nmsgpack==1.2.4\npackaging==26.3\nplatformdirs==4.12.4\npyproject-hooks==1.3.3\nrequests==2.34.2\n";
        assert_eq!(sniff_head(reqs, reqs.len() as u64), Kind::Text);
        assert_eq!(sniff_head(&[0xde, 0xad, 0xbe, 0xef, 0, 1, 2], 7), Kind::Unknown);
    }
}
