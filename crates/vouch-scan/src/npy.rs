//! NumPy `.npy` headers. Numeric arrays are never read; object arrays (`descr` with `O`) store
//! their elements as a pickle right after the header, which is analysed like any pickle.

use crate::source::Source;
use std::io;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub version: (u8, u8),
    pub descr: String,
    pub has_object: bool,
    pub shape: String,
    /// Offset of the array data (or the pickle, for object arrays).
    pub data_offset: u64,
}

/// Parses the header; `Err` with a reason when it is malformed.
pub fn header(src: &dyn Source) -> io::Result<Result<Header, String>> {
    let h = src.read_vec(0, 12)?;
    if h.len() < 10 || !h.starts_with(b"\x93NUMPY") {
        return Ok(Err("missing \\x93NUMPY magic".into()));
    }
    let version = (h[6], h[7]);
    let (len, start) = match version.0 {
        1 => (u64::from(u16::from_le_bytes([h[8], h[9]])), 10u64),
        2 | 3 => {
            if h.len() < 12 {
                return Ok(Err("header length cut short".into()));
            }
            (u64::from(u32::from_le_bytes([h[8], h[9], h[10], h[11]])), 12u64)
        }
        v => return Ok(Err(format!("unknown format version {v}.{}", version.1))),
    };
    if len > 1 << 20 {
        return Ok(Err(format!("header of {len} bytes is implausibly large")));
    }
    if start + len > src.len() {
        return Ok(Err(format!("header of {len} bytes runs past the end of the file")));
    }
    let raw = src.read_exact_vec(start, len as usize)?;
    let text = match std::str::from_utf8(&raw) {
        Ok(t) => t,
        Err(_) => return Ok(Err("header is not text".into())),
    };
    let descr = match field(text, "descr") {
        Some(d) => d,
        None => return Ok(Err("header has no 'descr'".into())),
    };
    let shape = field(text, "shape").unwrap_or_default();
    // Object fields appear as 'O' / '|O' / '<O' type codes, also inside structured descrs.
    let has_object = type_codes(&descr).any(|c| c.trim_start_matches(['|', '<', '>', '=']).starts_with('O'));
    Ok(Ok(Header { version, descr, has_object, shape, data_offset: start + len }))
}

/// The literal text of a key's value in the header dict (`{'descr': '<f4', ...}`).
fn field(text: &str, key: &str) -> Option<String> {
    let at = text.find(&format!("'{key}'")).or_else(|| text.find(&format!("\"{key}\"")))?;
    let rest = text[at + key.len() + 2..].trim_start().strip_prefix(':')?.trim_start();
    // The value ends at the comma that closes it at depth 0.
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') if depth > 0 => depth -= 1,
            (None, ',' | '}') if depth == 0 => return Some(rest[..i].trim().to_string()),
            _ => {}
        }
    }
    Some(rest.trim().to_string())
}

/// Quoted strings inside a descr literal.
fn type_codes(descr: &str) -> impl Iterator<Item = &str> {
    descr.split(['\'', '"']).skip(1).step_by(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn npy(dict: &str) -> Vec<u8> {
        let mut v = b"\x93NUMPY\x01\x00".to_vec();
        let mut d = dict.to_string();
        while !(10 + d.len() + 1).is_multiple_of(64) {
            d.push(' ');
        }
        d.push('\n');
        v.extend_from_slice(&(d.len() as u16).to_le_bytes());
        v.extend_from_slice(d.as_bytes());
        v
    }

    #[test]
    fn numeric_and_object() {
        let h = header(&npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }")).unwrap().unwrap();
        assert_eq!(h.descr, "'<f4'");
        assert!(!h.has_object);
        assert_eq!(h.shape, "(3, 4)");
        assert_eq!(h.data_offset % 64, 0);
        let h = header(&npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }")).unwrap().unwrap();
        assert!(h.has_object);
        let h = header(&npy("{'descr': [('a', '<i4'), ('b', '|O')], 'fortran_order': False, 'shape': (2,), }")).unwrap().unwrap();
        assert!(h.has_object);
        assert!(header(&b"\x93NUMPY\x09\x00".to_vec()).unwrap().is_err());
    }
}
