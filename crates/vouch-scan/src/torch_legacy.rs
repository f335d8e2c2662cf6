//! The oldest PyTorch format (before 0.4): a tar whose `storages` and `tensors` members
//! interleave pickles with raw bytes. torch's legacy loader unpickles a count, then for each
//! storage a `(key, location, storage_type)` tuple followed by an 8-byte element count and the
//! raw elements; for each tensor a `(key, storage_id, type)` tuple followed by its shape,
//! strides and offset. Every pickle it reads is analysed; the raw bytes are skipped exactly as
//! the loader skips them, so nothing is left unread or misread as a pickle.

use crate::policy::{self, Policy};
use crate::source::{Source, SourceInput};
use vouch_pickle::machine::{analyse_one, Summary};
use vouch_report::rules::*;
use vouch_report::Finding;

/// Element size of a legacy typed storage class.
fn element_size(storage_type: &str) -> Option<u64> {
    let rest = storage_type.strip_prefix("torch.")?;
    let name = rest.strip_prefix("cuda.").unwrap_or(rest);
    Some(match name {
        "DoubleStorage" | "LongStorage" | "ComplexFloatStorage" => 8,
        "FloatStorage" | "IntStorage" | "QInt32Storage" => 4,
        "HalfStorage" | "BFloat16Storage" | "ShortStorage" => 2,
        "ByteStorage" | "CharStorage" | "BoolStorage" | "QInt8Storage" | "QUInt8Storage" => 1,
        "ComplexDoubleStorage" => 16,
        _ => return None,
    })
}

struct Walker<'a> {
    src: &'a dyn Source,
    pos: u64,
    limits: vouch_pickle::Limits,
    policy: &'a Policy,
    findings: Vec<Finding>,
}

impl Walker<'_> {
    /// Unpickles (symbolically) one stream at the current position.
    fn pickle(&mut self) -> Result<Option<Summary>, String> {
        let (a, result) = analyse_one(SourceInput::new(self.src, self.pos), &self.limits);
        self.findings.extend(policy::findings(&a, self.policy));
        if !a.complete() {
            return Err("pickle stream broken".into());
        }
        self.pos = a.end;
        Ok(result)
    }

    fn raw(&mut self, n: u64) -> Result<Vec<u8>, String> {
        let v = self.src.read_vec(self.pos, n as usize).map_err(|e| e.to_string())?;
        if (v.len() as u64) < n {
            return Err(format!("{n} raw bytes expected at offset {}", self.pos));
        }
        self.pos += n;
        Ok(v)
    }

    fn skip(&mut self, n: u64) -> Result<(), String> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.src.len())
            .ok_or_else(|| format!("{n} bytes of data at offset {} run past the member", self.pos))?;
        self.pos = end;
        Ok(())
    }

    fn count(&mut self, what: &str) -> Result<u64, String> {
        match self.pickle()? {
            Some(Summary::Int(n)) if n >= 0 => Ok(n as u64),
            other => Err(format!("expected the number of {what}, found {other:?}")),
        }
    }

    fn storages(&mut self) -> Result<(), String> {
        let n = self.count("storages")?;
        for _ in 0..n {
            let ty = match self.pickle()? {
                Some(Summary::Seq(items)) if items.len() == 3 => match &items[2] {
                    Summary::Global(g) => g.clone(),
                    other => return Err(format!("storage type is {other:?}, not a global")),
                },
                other => return Err(format!("expected (key, location, storage_type), found {other:?}")),
            };
            let size = element_size(&ty).ok_or_else(|| format!("unknown storage type {ty}"))?;
            let numel = u64::from_le_bytes(self.raw(8)?.try_into().expect("8 bytes"));
            self.skip(numel.checked_mul(size).ok_or("storage size overflows")?)?;
        }
        // Storage views: a list of (target, root, offset, numel).
        self.pickle()?;
        Ok(())
    }

    fn tensors(&mut self) -> Result<(), String> {
        let n = self.count("tensors")?;
        for _ in 0..n {
            self.pickle()?;
            let ndim = i32::from_le_bytes(self.raw(4)?.try_into().expect("4 bytes"));
            if !(0..=64).contains(&ndim) {
                return Err(format!("tensor with {ndim} dimensions"));
            }
            // 4 padding bytes, sizes and strides (8 bytes each), storage offset.
            self.skip(4 + 16 * ndim as u64 + 8)?;
        }
        Ok(())
    }
}

/// Analyses the `storages` or `tensors` member of a legacy PyTorch tar.
pub fn analyse_member(name: &str, src: &dyn Source, limits: vouch_pickle::Limits, policy: &Policy) -> Vec<Finding> {
    let mut w = Walker { src, pos: 0, limits, policy, findings: Vec::new() };
    let res = if name == "storages" { w.storages() } else { w.tensors() };
    let mut out = w.findings;
    match res {
        Err(why) => out.push(Finding::new(&PKL_MALFORMED, format!("legacy PyTorch {name} member: {why}")).offset(w.pos)),
        Ok(()) if w.pos < src.len() => out.push(
            Finding::new(&PKL_MALFORMED, format!("{} unread bytes after the legacy PyTorch {name} data", src.len() - w.pos)).offset(w.pos),
        ),
        Ok(()) => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::analyse::analyse_bytes;
    use crate::Config;
    use vouch_report::Verdict;

    /// A legacy (pre-0.4) torch.save tar, laid out as torch's legacy loader reads it.
    fn legacy_tar(storage_args: &[u8]) -> Vec<u8> {
        let mut storages = b"\x80\x02K\x01.".to_vec();
        storages.extend_from_slice(storage_args);
        storages.extend_from_slice(&3u64.to_le_bytes());
        // Raw float32 elements that happen to look like a pickle header: never parsed.
        storages.extend_from_slice(&[0x80, 0x02, 0xff, 0xff, 0x80, 0x03, 0x00, 0x00, 0x00, 0x00, 0x80, 0x3f]);
        storages.extend_from_slice(b"\x80\x02].");
        let mut tensors = b"\x80\x02K\x01.".to_vec();
        tensors.extend_from_slice(b"\x80\x02(K\x00X\x01\x00\x00\x000ctorch\nFloatTensor\nt.");
        tensors.extend_from_slice(&1i32.to_le_bytes());
        tensors.extend_from_slice(&[0; 4]);
        tensors.extend_from_slice(&3i64.to_le_bytes());
        tensors.extend_from_slice(&1i64.to_le_bytes());
        tensors.extend_from_slice(&0i64.to_le_bytes());
        let model = b"\x80\x02}q\x00X\x01\x00\x00\x00wq\x01X\x01\x00\x00\x000Qs.";
        crate::tar::build(&[
            ("sys_info", b'0', b"\x80\x02}q\x00."),
            ("pickle", b'0', model),
            ("storages", b'0', &storages),
            ("tensors", b'0', &tensors),
        ])
    }

    #[test]
    fn benign_legacy_tar_is_clean() {
        let t = legacy_tar(b"\x80\x02(X\x01\x00\x00\x000X\x03\x00\x00\x00cpuctorch\nFloatStorage\nt.");
        let o = analyse_bytes(&t, &Config::default());
        assert_eq!(o.format, "pytorch-legacy-tar");
        assert_eq!(Verdict::from_findings(&o.findings), Verdict::Clean, "{:#?}", o.findings);
    }

    #[test]
    fn payload_in_a_storage_header_is_found() {
        let t = legacy_tar(b"cposix\nsystem\n(S'id'\ntR0\x80\x02(X\x01\x00\x00\x000X\x03\x00\x00\x00cpuctorch\nFloatStorage\nt.");
        let o = analyse_bytes(&t, &Config::default());
        assert_eq!(Verdict::from_findings(&o.findings), Verdict::Dangerous, "{:#?}", o.findings);
        assert!(o.findings.iter().any(|f| f.evidence == "posix.system" && f.location.member.as_deref() == Some("storages")));
    }

    #[test]
    fn truncated_storage_is_incomplete() {
        let mut t = legacy_tar(b"\x80\x02(X\x01\x00\x00\x000X\x03\x00\x00\x00cpuctorch\nDoubleStorage\nt.");
        // DoubleStorage needs 24 bytes of elements; only 12 are there.
        let o = analyse_bytes(&t, &Config::default());
        assert_eq!(Verdict::from_findings(&o.findings), Verdict::Incomplete, "{:#?}", o.findings);
        t.truncate(10);
        assert_ne!(Verdict::from_findings(&analyse_bytes(&t, &Config::default()).findings), Verdict::Clean);
    }
}
