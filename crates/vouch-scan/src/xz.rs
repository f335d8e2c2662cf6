//! `.xz` and legacy `.lzma` streams (what `joblib.dump(compress='xz'|'lzma')` writes), decoded
//! with the bounded LZMA/LZMA2 decoder of the 7z reader: output never exceeds the caller's cap.

use crate::sevenz::lzma::{self, LzmaError};
use crate::zip::MemberError;
use crate::Limits;

const XZ_MAGIC: [u8; 6] = [0xFD, b'7', b'z', b'X', b'Z', 0];

fn corrupt(why: impl Into<String>) -> MemberError {
    MemberError::Corrupt(why.into())
}

fn cap_for(raw: &[u8], max_out: u64, limits: &Limits) -> (u64, u64) {
    let ratio_cap = (raw.len() as u64).saturating_mul(limits.max_ratio).max(1 << 20);
    (max_out.min(ratio_cap).min(limits.max_member_bytes), ratio_cap)
}

fn limit_error(cap: u64, ratio_cap: u64, limits: &Limits) -> MemberError {
    if cap == ratio_cap {
        MemberError::Limit(format!("expands more than {}:1 (decompression bomb)", limits.max_ratio))
    } else {
        MemberError::Limit(format!("expands past {cap} bytes"))
    }
}

/// Reads a multibyte integer (xz "varint", at most 9 bytes).
fn varint(b: &[u8], pos: &mut usize) -> Result<u64, MemberError> {
    let mut v: u64 = 0;
    for i in 0..9 {
        let byte = *b.get(*pos).ok_or_else(|| corrupt("xz header cut short"))?;
        *pos += 1;
        v |= u64::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(corrupt("xz integer too long"))
}

fn check_size(check: u8) -> usize {
    match check {
        0 => 0,
        1..=3 => 4,
        4..=6 => 8,
        7..=9 => 16,
        10..=12 => 32,
        _ => 64,
    }
}

/// Decodes an xz file: every block of every concatenated stream (LZMA2 filter only).
pub fn unxz(raw: &[u8], max_out: u64, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    let (cap, ratio_cap) = cap_for(raw, max_out, limits);
    let mut out = Vec::new();
    let mut pos = 0usize;
    while pos < raw.len() {
        if raw[pos..].iter().all(|&b| b == 0) {
            break; // stream padding
        }
        if raw.get(pos..pos + 6) != Some(&XZ_MAGIC[..]) || raw.len() < pos + 12 {
            return Err(corrupt(format!("no xz stream header at byte {pos}")));
        }
        let check = raw[pos + 7] & 0x0F;
        pos += 12;
        loop {
            let size_byte = *raw.get(pos).ok_or_else(|| corrupt("xz stream cut short"))?;
            if size_byte == 0 {
                // Index: skip it and the 12-byte footer.
                pos = skip_index(raw, pos)?;
                pos += 12;
                break;
            }
            let header_len = (usize::from(size_byte) + 1) * 4;
            let header = raw.get(pos..pos + header_len).ok_or_else(|| corrupt("xz block header cut short"))?;
            let flags = header[1];
            let mut hp = 2usize;
            if flags & 0x40 != 0 {
                varint(header, &mut hp)?;
            }
            if flags & 0x80 != 0 {
                varint(header, &mut hp)?;
            }
            let filters = usize::from(flags & 0x03) + 1;
            let mut props = Vec::new();
            for i in 0..filters {
                let id = varint(header, &mut hp)?;
                let psize = varint(header, &mut hp)? as usize;
                let p = header.get(hp..hp + psize).ok_or_else(|| corrupt("xz filter properties cut short"))?;
                hp += psize;
                if i + 1 < filters || id != 0x21 {
                    return Err(corrupt(format!("xz filter {id:#x} is not decoded (only a lone LZMA2 filter is)")));
                }
                props = p.to_vec();
            }
            pos += header_len;
            let room = cap.saturating_sub(out.len() as u64) as usize;
            let before = out.len();
            let used = match lzma::decode_lzma2_stream(&props, &raw[pos..], &mut out, room, false) {
                Ok(n) => n,
                Err(LzmaError::SizeMismatch) if out.len() - before >= room.saturating_sub(1 << 21) => {
                    return Err(limit_error(cap, ratio_cap, limits))
                }
                Err(e) => return Err(corrupt(format!("xz LZMA2 data: {e}"))),
            };
            pos += used;
            pos = pos.div_ceil(4) * 4 + check_size(check);
            if pos > raw.len() {
                return Err(corrupt("xz block cut short"));
            }
        }
    }
    Ok(out)
}

fn skip_index(raw: &[u8], start: usize) -> Result<usize, MemberError> {
    let mut pos = start + 1;
    let records = varint(raw, &mut pos)?;
    for _ in 0..records {
        varint(raw, &mut pos)?;
        varint(raw, &mut pos)?;
    }
    Ok(pos.div_ceil(4) * 4 + 4)
}

/// Decodes a legacy `.lzma` ("LZMA alone") file: 5 property bytes, 8-byte size, raw stream.
pub fn unlzma(raw: &[u8], max_out: u64, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    let (cap, ratio_cap) = cap_for(raw, max_out, limits);
    if raw.len() < 13 {
        return Err(corrupt("lzma header cut short"));
    }
    let size = u64::from_le_bytes(raw[5..13].try_into().expect("8 bytes"));
    let known = size != u64::MAX;
    if known && size > cap {
        return Err(limit_error(cap, ratio_cap, limits));
    }
    let limit = if known { size } else { cap } as usize;
    let mut out = Vec::new();
    match lzma::decode_lzma_upto(raw[0], &raw[13..], &mut out, limit, known) {
        Ok(()) => Ok(out),
        Err(LzmaError::SizeMismatch) if !known && out.len() == limit => Err(limit_error(cap, ratio_cap, limits)),
        Err(e) => Err(corrupt(format!("lzma data: {e}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/../../tests/fixtures/benign/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn joblib_xz_and_lzma_decode_to_a_pickle() {
        let l = Limits::default();
        for (name, xz) in [("sklearn_pipeline_joblib_compress_xz.joblib", true), ("sklearn_pipeline_joblib_compress_lzma.joblib", false)] {
            let raw = fixture(name);
            let out = if xz { unxz(&raw, 1 << 30, &l) } else { unlzma(&raw, 1 << 30, &l) }.unwrap();
            assert_eq!(out[0], 0x80, "{name}");
        }
    }

    #[test]
    fn bounded_output() {
        let raw = fixture("sklearn_pipeline_joblib_compress_xz.joblib");
        let l = Limits::default();
        assert!(matches!(unxz(&raw, 100, &l), Err(MemberError::Limit(_))));
        let raw = fixture("sklearn_pipeline_joblib_compress_lzma.joblib");
        assert!(unlzma(&raw, 100, &l).is_err());
        assert!(unxz(&raw[..20], 1 << 20, &l).is_err());
    }
}
