//! Bounded decompression (deflate, zlib, gzip) and CRC-32. Output never exceeds the caller's
//! bound or the configured compression ratio, so a bomb costs a finding, not the machine.

use crate::zip::MemberError;
use crate::Limits;
use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

/// Inflates `raw` (raw deflate, or zlib when `zlib`), producing at most `max_out` bytes and at
/// most `limits.max_ratio` times the input.
pub fn inflate(raw: &[u8], zlib: bool, max_out: u64, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    let ratio_cap = (raw.len() as u64).saturating_mul(limits.max_ratio).max(1 << 20);
    let cap = max_out.min(ratio_cap).min(limits.max_member_bytes);
    let mut flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    if zlib {
        flags |= inflate_flags::TINFL_FLAG_PARSE_ZLIB_HEADER;
    }
    let mut d = DecompressorOxide::new();
    let mut out: Vec<u8> = vec![0; (raw.len() * 4).clamp(1024, 1 << 24).min(cap as usize + 1)];
    let mut in_pos = 0usize;
    let mut out_pos = 0usize;
    loop {
        let more = if in_pos < raw.len() { inflate_flags::TINFL_FLAG_HAS_MORE_INPUT } else { 0 };
        let (status, consumed, produced) = decompress(&mut d, &raw[in_pos..], &mut out, out_pos, flags | more);
        in_pos += consumed;
        out_pos += produced;
        match status {
            TINFLStatus::Done => {
                out.truncate(out_pos);
                return Ok(out);
            }
            TINFLStatus::HasMoreOutput => {
                if out_pos as u64 > cap {
                    let why = if cap == ratio_cap {
                        format!("expands more than {}:1 (decompression bomb)", limits.max_ratio)
                    } else {
                        format!("expands past {cap} bytes")
                    };
                    return Err(MemberError::Limit(why));
                }
                let new_len = (out.len() * 2).min(cap as usize + 1).max(out.len() + 1);
                out.resize(new_len, 0);
            }
            TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => {
                return Err(MemberError::Corrupt("compressed stream ends early".into()));
            }
            other => return Err(MemberError::Corrupt(format!("{other:?}"))),
        }
    }
}

/// Decompresses a gzip member (RFC 1952): header, raw deflate body.
pub fn gunzip(raw: &[u8], max_out: u64, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    if raw.len() < 18 || raw[0] != 0x1f || raw[1] != 0x8b || raw[2] != 8 {
        return Err(MemberError::Corrupt("not a deflate gzip stream".into()));
    }
    let flg = raw[3];
    let mut p = 10usize;
    let corrupt = || MemberError::Corrupt("gzip header cut short".into());
    if flg & 4 != 0 {
        let xlen = usize::from(u16::from_le_bytes([*raw.get(p).ok_or_else(corrupt)?, *raw.get(p + 1).ok_or_else(corrupt)?]));
        p += 2 + xlen;
    }
    for bit in [8u8, 16] {
        if flg & bit != 0 {
            let z = raw.get(p..).ok_or_else(corrupt)?.iter().position(|&b| b == 0).ok_or_else(corrupt)?;
            p += z + 1;
        }
    }
    if flg & 2 != 0 {
        p += 2;
    }
    let body = raw.get(p..).ok_or_else(corrupt)?;
    inflate(body, false, max_out, limits)
}

/// Decompresses a bzip2 file (all concatenated streams), bounded like [`inflate`].
pub fn bunzip2(raw: &[u8], max_out: u64, limits: &Limits) -> Result<Vec<u8>, MemberError> {
    use std::io::Read;
    let ratio_cap = (raw.len() as u64).saturating_mul(limits.max_ratio).max(1 << 20);
    let cap = max_out.min(ratio_cap).min(limits.max_member_bytes);
    let mut out = Vec::new();
    let mut dec = bzip2::read::MultiBzDecoder::new(raw).take(cap + 1);
    dec.read_to_end(&mut out).map_err(|e| MemberError::Corrupt(format!("bzip2: {e}")))?;
    if out.len() as u64 > cap {
        return Err(MemberError::Limit(if cap == ratio_cap {
            format!("expands more than {}:1 (decompression bomb)", limits.max_ratio)
        } else {
            format!("expands past {cap} bytes")
        }));
    }
    Ok(out)
}

/// CRC-32 (IEEE), as zip and gzip use it.
pub fn crc32(data: &[u8]) -> u32 {
    static TABLE: std::sync::OnceLock<[u32; 256]> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| {
        let mut t = [0u32; 256];
        for (i, e) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *e = c;
        }
        t
    });
    let mut c = !0u32;
    for &b in data {
        c = t[((c ^ u32::from(b)) & 0xff) as usize] ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bzip2_is_bounded() {
        let raw =
            std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/benign/sklearn_pipeline_joblib_compress_bz2.joblib"))
                .unwrap();
        let l = Limits::default();
        assert_eq!(bunzip2(&raw, 1 << 30, &l).unwrap()[0], 0x80);
        assert!(matches!(bunzip2(&raw, 64, &l), Err(MemberError::Limit(_))));
        assert!(matches!(bunzip2(&raw[..40], 1 << 20, &l), Err(MemberError::Corrupt(_))));
    }

    #[test]
    fn crc_known_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn inflate_roundtrip_and_bomb() {
        let data = vec![7u8; 100_000];
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
        let l = Limits::default();
        assert_eq!(inflate(&z, true, 1 << 30, &l).unwrap(), data);
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![0u8; 50 << 20], 10);
        let l = Limits { max_ratio: 100, ..Limits::default() };
        assert!(matches!(inflate(&bomb, false, 1 << 40, &l), Err(MemberError::Limit(_))));
    }
}
