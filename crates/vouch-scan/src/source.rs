//! Random-access byte sources: files, memory, and windows into either. Containers hand out
//! windows (a stored zip member is a window into the file), so nothing is copied or read until
//! an analyser asks for it, and every byte read is counted.

use std::fs::File;
use std::io;
use std::sync::atomic::{AtomicU64, Ordering};

/// Something that can be read at any offset.
pub trait Source: Sync {
    fn len(&self) -> u64;
    /// Fills `buf` from `offset`; fewer bytes only at the end of the source.
    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize>;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole content, when it is in memory: readers then work on the slice directly.
    fn as_slice(&self) -> Option<&[u8]> {
        None
    }

    /// Reads up to `n` bytes at `offset` (fewer at the end).
    fn read_vec(&self, offset: u64, n: usize) -> io::Result<Vec<u8>> {
        let avail = self.len().saturating_sub(offset).min(n as u64) as usize;
        let mut v = vec![0u8; avail];
        let mut done = 0;
        while done < avail {
            let k = self.read_at(offset + done as u64, &mut v[done..])?;
            if k == 0 {
                break;
            }
            done += k;
        }
        v.truncate(done);
        Ok(v)
    }

    /// Up to `n` bytes at `offset` (fewer at the end): borrowed when the source is in memory,
    /// read into a new vector otherwise.
    fn read_cow(&self, offset: u64, n: usize) -> io::Result<std::borrow::Cow<'_, [u8]>> {
        match self.as_slice() {
            Some(all) => {
                let start = usize::try_from(offset).unwrap_or(usize::MAX).min(all.len());
                let end = start.saturating_add(n).min(all.len());
                Ok(std::borrow::Cow::Borrowed(&all[start..end]))
            }
            None => self.read_vec(offset, n).map(std::borrow::Cow::Owned),
        }
    }

    /// Reads exactly `n` bytes at `offset`, or fails.
    fn read_exact_vec(&self, offset: u64, n: usize) -> io::Result<Vec<u8>> {
        let v = self.read_vec(offset, n)?;
        if v.len() < n {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("{} bytes needed at offset {offset}, {} available", n, v.len()),
            ));
        }
        Ok(v)
    }
}

/// A file, read with positional reads; counts the bytes it hands out.
pub struct FileSource {
    file: File,
    len: u64,
    read: AtomicU64,
}

impl FileSource {
    pub fn open(path: &std::path::Path) -> io::Result<FileSource> {
        let file = File::open(path)?;
        let len = file.metadata()?.len();
        Ok(FileSource { file, len, read: AtomicU64::new(0) })
    }

    /// Reads the whole file into the front of `buf` and returns how many bytes it holds (fewer
    /// than `len` when the file shrank while being read). `buf` only ever grows: zero-filling
    /// it again for every file would cost as much as reading the file.
    pub fn read_whole(&self, buf: &mut Vec<u8>) -> io::Result<usize> {
        let len = usize::try_from(self.len).map_err(|_| io::Error::other("file too large for memory"))?;
        if buf.len() < len {
            buf.resize(len, 0);
        }
        let mut done = 0;
        while done < len {
            let k = self.read_at(done as u64, &mut buf[done..len])?;
            if k == 0 {
                break;
            }
            done += k;
        }
        Ok(done)
    }

    pub fn bytes_read(&self) -> u64 {
        self.read.load(Ordering::Relaxed)
    }
}

impl Source for FileSource {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let want = buf.len().min((self.len - offset) as usize);
        let n = pread(&self.file, &mut buf[..want], offset)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(unix)]
fn pread(f: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::unix::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        match f.read_at(&mut buf[done..], offset + done as u64) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

#[cfg(windows)]
fn pread(f: &File, buf: &mut [u8], offset: u64) -> io::Result<usize> {
    use std::os::windows::fs::FileExt;
    let mut done = 0;
    while done < buf.len() {
        match f.seek_read(&mut buf[done..], offset + done as u64) {
            Ok(0) => break,
            Ok(n) => done += n,
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}

impl Source for [u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= Source::len(self) {
            return Ok(0);
        }
        let rest = &self[offset as usize..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        Ok(n)
    }

    fn as_slice(&self) -> Option<&[u8]> {
        Some(self)
    }
}

impl Source for Vec<u8> {
    fn len(&self) -> u64 {
        self.as_slice().len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        Source::read_at(self.as_slice(), offset, buf)
    }

    fn as_slice(&self) -> Option<&[u8]> {
        Some(self)
    }
}

/// Borrowed bytes as a source (`[u8]` itself cannot be a trait object).
pub struct Slice<'a>(pub &'a [u8]);

impl Source for Slice<'_> {
    fn len(&self) -> u64 {
        self.0.len() as u64
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        Source::read_at(self.0, offset, buf)
    }

    fn as_slice(&self) -> Option<&[u8]> {
        Some(self.0)
    }
}

/// A window `[offset, offset + len)` of another source.
pub struct Window<'a> {
    pub inner: &'a dyn Source,
    pub offset: u64,
    pub len: u64,
}

impl Source for Window<'_> {
    fn len(&self) -> u64 {
        self.len
    }

    fn read_at(&self, offset: u64, buf: &mut [u8]) -> io::Result<usize> {
        if offset >= self.len {
            return Ok(0);
        }
        let want = buf.len().min((self.len - offset) as usize);
        self.inner.read_at(self.offset + offset, &mut buf[..want])
    }

    fn as_slice(&self) -> Option<&[u8]> {
        let all = self.inner.as_slice()?;
        let start = usize::try_from(self.offset).ok()?;
        let end = usize::try_from(self.offset.checked_add(self.len)?).ok()?;
        all.get(start..end)
    }
}

/// Runs the pickle machine over a source: straight over the bytes when they are in memory,
/// through a buffered reader otherwise.
pub fn analyse_pickle_source(src: &dyn Source, limits: &vouch_pickle::machine::Limits, depth: u32) -> vouch_pickle::machine::Analysis {
    match src.as_slice() {
        Some(data) => vouch_pickle::machine::analyse_input(vouch_pickle::reader::SliceInput::new(data), limits, depth),
        None => vouch_pickle::machine::analyse_input(SourceInput::new(src, 0), limits, depth),
    }
}

/// Buffered sequential reading of a source, for the pickle reader.
pub struct SourceInput<'a> {
    src: &'a dyn Source,
    buf: Vec<u8>,
    /// Offset of `buf[0]` in the source.
    buf_start: u64,
    /// Read position inside `buf` (may lie past its end after a skip).
    idx: u64,
}

const CHUNK: usize = 64 << 10;

impl<'a> SourceInput<'a> {
    pub fn new(src: &'a dyn Source, start: u64) -> Self {
        SourceInput { src, buf: Vec::new(), buf_start: start, idx: 0 }
    }

    /// Makes at least one byte available at the read position; false at the end.
    #[inline]
    fn fill(&mut self) -> io::Result<bool> {
        if self.idx < self.buf.len() as u64 {
            return Ok(true);
        }
        let pos = self.buf_start + self.idx;
        self.buf = self.src.read_vec(pos, CHUNK)?;
        self.buf_start = pos;
        self.idx = 0;
        Ok(!self.buf.is_empty())
    }

    fn avail(&self) -> &[u8] {
        &self.buf[self.idx as usize..]
    }
}

impl vouch_pickle::reader::Input for SourceInput<'_> {
    fn pos(&self) -> u64 {
        self.buf_start + self.idx
    }

    #[inline]
    fn byte(&mut self) -> io::Result<Option<u8>> {
        if let Some(&b) = self.buf.get(self.idx as usize) {
            self.idx += 1;
            return Ok(Some(b));
        }
        if !self.fill()? {
            return Ok(None);
        }
        let b = self.buf[self.idx as usize];
        self.idx += 1;
        Ok(Some(b))
    }

    #[inline]
    fn array<const N: usize>(&mut self) -> io::Result<Option<[u8; N]>> {
        let i = self.idx as usize;
        if let Some(b) = self.buf.get(i..i + N) {
            self.idx += N as u64;
            return Ok(Some(b.try_into().expect("N bytes")));
        }
        vouch_pickle::reader::array_by_bytes(self)
    }

    fn number_run(&mut self, max: u64, push: impl FnMut(vouch_pickle::reader::Num)) -> u64 {
        let i = (self.idx as usize).min(self.buf.len());
        let (n, used) = vouch_pickle::reader::number_run(&self.buf[i..], max, push);
        self.idx += used as u64;
        n
    }

    fn take(&mut self, n: u64, keep: usize, out: &mut Vec<u8>) -> io::Result<bool> {
        let pos = self.pos();
        if n > self.src.len().saturating_sub(pos) {
            self.idx = self.src.len().saturating_sub(self.buf_start);
            return Ok(false);
        }
        let keep = (keep as u64).min(n) as usize;
        let mut need = keep;
        while need > 0 {
            if !self.fill()? {
                return Ok(false);
            }
            let a = self.avail();
            let k = a.len().min(need);
            out.extend_from_slice(&a[..k]);
            self.idx += k as u64;
            need -= k;
        }
        // The rest is skipped without reading it.
        self.idx += n - keep as u64;
        Ok(true)
    }

    fn line(&mut self, max: usize, out: &mut Vec<u8>) -> io::Result<bool> {
        loop {
            if !self.fill()? {
                return Ok(false);
            }
            let a = self.avail();
            match a.iter().position(|&b| b == b'\n') {
                Some(i) => {
                    let room = max.saturating_sub(out.len());
                    out.extend_from_slice(&a[..i.min(room)]);
                    self.idx += i as u64 + 1;
                    return Ok(true);
                }
                None => {
                    let room = max.saturating_sub(out.len());
                    let n = a.len();
                    out.extend_from_slice(&a[..n.min(room)]);
                    self.idx += n as u64;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vouch_pickle::reader::{OpReader, ReadLimits};

    #[test]
    fn source_input_matches_slice_input_across_chunks() {
        // Arguments straddling the 64 KiB buffer boundary, skipped and kept ones.
        let mut p = b"\x80\x04".to_vec();
        for i in 0..3000u32 {
            p.push(b'J');
            p.extend_from_slice(&i.to_le_bytes());
            p.push(b'G');
            p.extend_from_slice(&f64::from(i).to_be_bytes());
            p.push(b'0');
            p.push(b'0');
        }
        p.push(b'B');
        p.extend_from_slice(&100_000u32.to_le_bytes());
        p.extend(std::iter::repeat_n(7u8, 100_000));
        p.extend_from_slice(b"0Vline\n0N.");
        fn ops<I: vouch_pickle::reader::Input>(mut r: OpReader<I>) -> Vec<(u64, &'static str, vouch_pickle::Arg)> {
            let mut v = Vec::new();
            while let Some(op) = r.next_op().unwrap() {
                v.push((op.pos, op.name, op.arg));
            }
            v
        }
        let a = ops(OpReader::new(&p, ReadLimits { max_kept: 1000 }));
        let v = p.clone();
        let b = ops(OpReader::with_input(SourceInput::new(&v, 0), ReadLimits { max_kept: 1000 }));
        assert_eq!(a, b);
        assert_eq!(a.last().unwrap().1, "STOP");
    }
}
