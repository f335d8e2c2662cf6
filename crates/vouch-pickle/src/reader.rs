//! Opcode reader: decodes one opcode and its argument at a time, the way CPython's unpickler
//! reads them, over a slice or any seekable reader, keeping at most `max_kept` bytes of any
//! string argument in memory.

use crate::opcodes::{self, ArgKind};
use std::io::{BufRead, Seek, SeekFrom};

/// Why a stream could not be decoded further.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickleError {
    /// The stream ended inside an opcode or before STOP.
    Truncated { offset: u64, what: String },
    /// A byte that is not an opcode.
    UnknownOpcode { offset: u64, byte: u8 },
    /// An argument that CPython's unpickler rejects.
    BadArgument { offset: u64, opcode: &'static str, why: String },
    /// Reading the underlying file failed.
    Io { offset: u64, message: String },
}

impl PickleError {
    pub fn offset(&self) -> u64 {
        match self {
            PickleError::Truncated { offset, .. }
            | PickleError::UnknownOpcode { offset, .. }
            | PickleError::BadArgument { offset, .. }
            | PickleError::Io { offset, .. } => *offset,
        }
    }
}

impl std::fmt::Display for PickleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PickleError::Truncated { offset, what } => write!(f, "stream truncated at byte {offset}: {what}"),
            PickleError::UnknownOpcode { offset, byte } => write!(f, "unknown opcode {byte:#04x} at byte {offset}"),
            PickleError::BadArgument { offset, opcode, why } => write!(f, "bad {opcode} argument at byte {offset}: {why}"),
            PickleError::Io { offset, message } => write!(f, "read error at byte {offset}: {message}"),
        }
    }
}

impl std::error::Error for PickleError {}

/// A decoded argument.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    None,
    Bool(bool),
    Int(i64),
    /// An integer too large for i64, in decimal.
    BigInt(String),
    Float(f64),
    /// Text; `len` is the full length in bytes (UTF-8), `s` may hold only a prefix.
    Str {
        s: String,
        len: u64,
    },
    /// Bytes; `len` is the full length, `b` may hold only a prefix.
    Bytes {
        b: Vec<u8>,
        len: u64,
    },
    /// GLOBAL / INST: module and name.
    Pair(String, String),
}

impl Arg {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Arg::Int(i) => Some(*i),
            Arg::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }
}

/// One decoded opcode.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    pub code: u8,
    pub name: &'static str,
    /// Offset of the opcode byte from the start of the input.
    pub pos: u64,
    pub arg: Arg,
}

/// Limits of the reader itself.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Bytes of any single string/bytes argument kept in memory (the rest is skipped).
    pub max_kept: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits { max_kept: 16 << 20 }
    }
}

/// A byte input with a position.
pub trait Input {
    fn pos(&self) -> u64;
    /// Reads one byte; `None` at end of input.
    fn byte(&mut self) -> std::io::Result<Option<u8>>;
    /// Reads exactly `n` bytes, keeping the first `keep` of them in `out`. Returns false at EOF.
    fn take(&mut self, n: u64, keep: usize, out: &mut Vec<u8>) -> std::io::Result<bool>;
    /// Reads through the next `\n` (exclusive), keeping at most `max` bytes; false at EOF.
    fn line(&mut self, max: usize, out: &mut Vec<u8>) -> std::io::Result<bool>;

    /// Reads exactly `N` bytes (fixed-size arguments); `None` at EOF.
    fn array<const N: usize>(&mut self) -> std::io::Result<Option<[u8; N]>> {
        array_by_bytes(self)
    }

    /// Decodes up to `max` consecutive number opcodes ([`number_run`]) from the bytes already
    /// in memory, handing each value to `push`; returns how many. Inputs without such a
    /// buffer decode none, and the opcodes are read one at a time as usual.
    fn number_run(&mut self, max: u64, push: impl FnMut(Num)) -> u64 {
        let _ = (max, push);
        0
    }
}

/// A number pushed by BINFLOAT, BININT, BININT1 or BININT2.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Num {
    Float(f64),
    Int(i64),
}

/// Decodes consecutive BINFLOAT / BININT / BININT1 / BININT2 opcodes at the start of `data`
/// (weight lists are long runs of them), at most `max`. Returns the count and the bytes used;
/// a run ends at any other opcode or at an opcode whose argument is cut short.
#[inline]
pub fn number_run(data: &[u8], max: u64, mut push: impl FnMut(Num)) -> (u64, usize) {
    let (mut n, mut at) = (0u64, 0usize);
    while n < max {
        let rest = &data[at..];
        let (num, used) = match rest {
            [b'G', a @ ..] if a.len() >= 8 => (Num::Float(f64::from_be_bytes(a[..8].try_into().expect("8 bytes"))), 9),
            [b'J', a @ ..] if a.len() >= 4 => (Num::Int(i64::from(i32::from_le_bytes(a[..4].try_into().expect("4 bytes")))), 5),
            [b'K', b, ..] => (Num::Int(i64::from(*b)), 2),
            [b'M', a, b, ..] => (Num::Int(i64::from(u16::from_le_bytes([*a, *b]))), 3),
            _ => break,
        };
        push(num);
        n += 1;
        at += used;
    }
    (n, at)
}

/// [`Input::array`] one byte at a time: the default, and the slow path of faster inputs.
pub fn array_by_bytes<I: Input + ?Sized, const N: usize>(input: &mut I) -> std::io::Result<Option<[u8; N]>> {
    let mut a = [0u8; N];
    for slot in a.iter_mut() {
        match input.byte()? {
            Some(b) => *slot = b,
            None => return Ok(None),
        }
    }
    Ok(Some(a))
}

/// Input over a byte slice.
pub struct SliceInput<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> SliceInput<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        SliceInput { data, pos: 0 }
    }
}

impl Input for SliceInput<'_> {
    fn pos(&self) -> u64 {
        self.pos as u64
    }
    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let b = self.data.get(self.pos).copied();
        if b.is_some() {
            self.pos += 1;
        }
        Ok(b)
    }
    fn take(&mut self, n: u64, keep: usize, out: &mut Vec<u8>) -> std::io::Result<bool> {
        let rest = (self.data.len() - self.pos) as u64;
        if n > rest {
            self.pos = self.data.len();
            return Ok(false);
        }
        let n = n as usize;
        out.extend_from_slice(&self.data[self.pos..self.pos + n.min(keep)]);
        self.pos += n;
        Ok(true)
    }
    fn array<const N: usize>(&mut self) -> std::io::Result<Option<[u8; N]>> {
        match self.data.get(self.pos..self.pos + N) {
            Some(b) => {
                self.pos += N;
                Ok(Some(b.try_into().expect("N bytes")))
            }
            None => {
                self.pos = self.data.len();
                Ok(None)
            }
        }
    }

    #[inline]
    fn number_run(&mut self, max: u64, push: impl FnMut(Num)) -> u64 {
        let (n, used) = number_run(&self.data[self.pos..], max, push);
        self.pos += used;
        n
    }

    fn line(&mut self, max: usize, out: &mut Vec<u8>) -> std::io::Result<bool> {
        let rest = &self.data[self.pos..];
        match rest.iter().position(|&b| b == b'\n') {
            Some(i) => {
                out.extend_from_slice(&rest[..i.min(max)]);
                self.pos += i + 1;
                Ok(true)
            }
            None => {
                self.pos = self.data.len();
                Ok(false)
            }
        }
    }
}

/// Input over a buffered, seekable reader (a file): large arguments are skipped by seeking.
pub struct ReadInput<R: BufRead + Seek> {
    inner: R,
    pos: u64,
    len: u64,
}

impl<R: BufRead + Seek> ReadInput<R> {
    /// `start` is the current position of `inner`, `len` the total length of the input.
    pub fn new(inner: R, start: u64, len: u64) -> Self {
        ReadInput { inner, pos: start, len }
    }
}

impl<R: BufRead + Seek> Input for ReadInput<R> {
    fn pos(&self) -> u64 {
        self.pos
    }
    fn byte(&mut self) -> std::io::Result<Option<u8>> {
        let buf = self.inner.fill_buf()?;
        match buf.first().copied() {
            Some(b) => {
                self.inner.consume(1);
                self.pos += 1;
                Ok(Some(b))
            }
            None => Ok(None),
        }
    }
    fn take(&mut self, n: u64, keep: usize, out: &mut Vec<u8>) -> std::io::Result<bool> {
        if n > self.len.saturating_sub(self.pos) {
            return Ok(false);
        }
        let kept = (keep as u64).min(n) as usize;
        let start = out.len();
        out.resize(start + kept, 0);
        std::io::Read::read_exact(&mut self.inner, &mut out[start..])?;
        let skip = n - kept as u64;
        if skip > 0 {
            self.inner.seek(SeekFrom::Current(skip as i64))?;
        }
        self.pos += n;
        Ok(true)
    }
    fn line(&mut self, max: usize, out: &mut Vec<u8>) -> std::io::Result<bool> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let (chunk, found) = match buf.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (buf.len(), false),
            };
            let room = max.saturating_sub(out.len());
            out.extend_from_slice(&buf[..chunk.min(room)]);
            let used = chunk + usize::from(found);
            self.inner.consume(used);
            self.pos += used as u64;
            if found {
                return Ok(true);
            }
        }
    }
}

/// Longest text line argument kept (protocol 0 strings, globals, numbers).
const MAX_LINE: usize = 1 << 20;

/// Decodes opcodes one at a time.
pub struct OpReader<I: Input> {
    input: I,
    limits: ReadLimits,
}

impl<'a> OpReader<SliceInput<'a>> {
    pub fn new(data: &'a [u8], limits: ReadLimits) -> Self {
        OpReader { input: SliceInput::new(data), limits }
    }
}

impl<I: Input> OpReader<I> {
    pub fn with_input(input: I, limits: ReadLimits) -> Self {
        OpReader { input, limits }
    }

    pub fn pos(&self) -> u64 {
        self.input.pos()
    }

    /// Skips `n` raw bytes (joblib array data between opcodes). False at EOF.
    pub fn skip(&mut self, n: u64) -> Result<bool, PickleError> {
        let pos = self.input.pos();
        let mut sink = Vec::new();
        self.input.take(n, 0, &mut sink).map_err(|e| io_err(pos, e))
    }

    /// Reads `n` raw bytes, keeping at most `keep`.
    pub fn raw(&mut self, n: u64, keep: usize) -> Result<Option<Vec<u8>>, PickleError> {
        let pos = self.input.pos();
        let mut out = Vec::new();
        match self.input.take(n, keep, &mut out).map_err(|e| io_err(pos, e))? {
            true => Ok(Some(out)),
            false => Ok(None),
        }
    }

    /// Decodes up to `max` consecutive number opcodes in one go (see [`Input::number_run`]).
    #[inline]
    pub fn number_run(&mut self, max: u64, push: impl FnMut(Num)) -> u64 {
        self.input.number_run(max, push)
    }

    /// The next opcode, `Ok(None)` at a clean end of input (between opcodes).
    pub fn next_op(&mut self) -> Result<Option<Op>, PickleError> {
        let mut op = Op { code: 0, name: "", pos: 0, arg: Arg::None };
        Ok(if self.next_into(&mut op)? { Some(op) } else { None })
    }

    /// Decodes the next opcode into `op`, reusing it; false at the end of input (`op` is then
    /// unchanged). The machine's hot loop: writing fields in place avoids copying whole `Op`s.
    pub fn next_into(&mut self, op: &mut Op) -> Result<bool, PickleError> {
        let pos = self.input.pos();
        let code = match self.input.byte().map_err(|e| io_err(pos, e))? {
            Some(c) => c,
            None => return Ok(false),
        };
        let info = opcodes::info(code).ok_or(PickleError::UnknownOpcode { offset: pos, byte: code })?;
        op.code = code;
        op.name = info.name;
        op.pos = pos;
        // Fixed-size arguments, by far the most common, are decoded here so that they are
        // written straight into `op`.
        match info.arg {
            ArgKind::None => op.arg = Arg::None,
            ArgKind::Uint1 => op.arg = Arg::Int(i64::from(self.fixed::<1>(info.name, pos)?[0])),
            ArgKind::Int4 => op.arg = Arg::Int(i64::from(i32::from_le_bytes(self.fixed(info.name, pos)?))),
            ArgKind::Float8 => op.arg = Arg::Float(f64::from_be_bytes(self.fixed(info.name, pos)?)),
            kind => op.arg = self.read_arg(kind, info.name, pos)?,
        }
        Ok(true)
    }

    fn fixed<const N: usize>(&mut self, name: &'static str, pos: u64) -> Result<[u8; N], PickleError> {
        self.input.array::<N>().map_err(|e| io_err(pos, e))?.ok_or_else(|| trunc(pos, name))
    }

    fn line(&mut self, name: &'static str, pos: u64) -> Result<Vec<u8>, PickleError> {
        let mut v = Vec::new();
        if !self.input.line(MAX_LINE, &mut v).map_err(|e| io_err(pos, e))? {
            return Err(PickleError::Truncated { offset: pos, what: format!("no newline after {name}") });
        }
        Ok(v)
    }

    fn counted(&mut self, n: u64, name: &'static str, pos: u64) -> Result<(Vec<u8>, u64), PickleError> {
        let mut v = Vec::new();
        let keep = self.limits.max_kept;
        if !self.input.take(n, keep, &mut v).map_err(|e| io_err(pos, e))? {
            return Err(PickleError::Truncated { offset: pos, what: format!("{name} announces {n} bytes past the end") });
        }
        Ok((v, n))
    }

    fn text(&mut self, n: u64, name: &'static str, pos: u64) -> Result<Arg, PickleError> {
        let (b, len) = self.counted(n, name, pos)?;
        let s = if (b.len() as u64) < len {
            String::from_utf8_lossy(&b).into_owned()
        } else {
            decode_utf8_surrogatepass(&b).ok_or_else(|| bad(pos, name, "invalid UTF-8"))?
        };
        Ok(Arg::Str { s, len })
    }

    fn read_arg(&mut self, kind: ArgKind, name: &'static str, pos: u64) -> Result<Arg, PickleError> {
        Ok(match kind {
            ArgKind::None => Arg::None,
            ArgKind::Uint1 => Arg::Int(i64::from(self.fixed::<1>(name, pos)?[0])),
            ArgKind::Uint2 => Arg::Int(i64::from(u16::from_le_bytes(self.fixed(name, pos)?))),
            ArgKind::Int4 => Arg::Int(i64::from(i32::from_le_bytes(self.fixed(name, pos)?))),
            ArgKind::Uint4 => Arg::Int(i64::from(u32::from_le_bytes(self.fixed(name, pos)?))),
            ArgKind::Uint8 => {
                let v = u64::from_le_bytes(self.fixed(name, pos)?);
                i64::try_from(v).map(Arg::Int).unwrap_or_else(|_| Arg::BigInt(v.to_string()))
            }
            ArgKind::Float8 => Arg::Float(f64::from_be_bytes(self.fixed(name, pos)?)),
            ArgKind::FloatNl => {
                let l = self.line(name, pos)?;
                let s = std::str::from_utf8(&l).map_err(|_| bad(pos, name, "not ASCII"))?;
                Arg::Float(parse_py_float(s).ok_or_else(|| bad(pos, name, &format!("not a float: {s:?}")))?)
            }
            ArgKind::DecimalNlShort => {
                let l = self.line(name, pos)?;
                match l.as_slice() {
                    b"00" => Arg::Bool(false),
                    b"01" => Arg::Bool(true),
                    _ => parse_py_int(&l).ok_or_else(|| bad(pos, name, &format!("not an integer: {:?}", String::from_utf8_lossy(&l))))?,
                }
            }
            ArgKind::DecimalNlLong => {
                let mut l = self.line(name, pos)?;
                if l.last() == Some(&b'L') {
                    l.pop();
                }
                parse_py_int(&l).ok_or_else(|| bad(pos, name, &format!("not an integer: {:?}", String::from_utf8_lossy(&l))))?
            }
            ArgKind::StringNl => {
                let l = self.line(name, pos)?;
                let inner = match l.as_slice() {
                    [q @ (b'"' | b'\''), mid @ .., last] if last == q => mid,
                    _ => return Err(bad(pos, name, "the STRING opcode argument must be quoted")),
                };
                let b = escape_decode(inner).ok_or_else(|| bad(pos, name, "invalid escape"))?;
                Arg::Bytes { len: b.len() as u64, b }
            }
            ArgKind::StringNlNoEscape => {
                let l = self.line(name, pos)?;
                if !l.is_ascii() {
                    return Err(bad(pos, name, "persistent IDs in protocol 0 must be ASCII strings"));
                }
                Arg::Str { len: l.len() as u64, s: String::from_utf8_lossy(&l).into_owned() }
            }
            ArgKind::StringNlNoEscapePair => {
                let a = self.line(name, pos)?;
                let b = self.line(name, pos)?;
                let a = String::from_utf8(a).map_err(|_| bad(pos, name, "module is not UTF-8"))?;
                let b = String::from_utf8(b).map_err(|_| bad(pos, name, "name is not UTF-8"))?;
                Arg::Pair(a, b)
            }
            ArgKind::UnicodeStringNl => {
                let l = self.line(name, pos)?;
                let s = raw_unicode_escape_decode(&l).ok_or_else(|| bad(pos, name, "invalid raw-unicode-escape"))?;
                Arg::Str { len: s.len() as u64, s }
            }
            ArgKind::Long1 => {
                let n = self.fixed::<1>(name, pos)?[0];
                let (b, _) = self.counted(u64::from(n), name, pos)?;
                long_from_le(&b)
            }
            ArgKind::Long4 => {
                let n = i32::from_le_bytes(self.fixed(name, pos)?);
                if n < 0 {
                    return Err(bad(pos, name, "LONG pickle has negative byte count"));
                }
                let (b, len) = self.counted(n as u64, name, pos)?;
                if (b.len() as u64) < len {
                    Arg::BigInt(format!("<{len}-byte integer>"))
                } else {
                    long_from_le(&b)
                }
            }
            ArgKind::String4 => {
                let n = i32::from_le_bytes(self.fixed(name, pos)?);
                if n < 0 {
                    return Err(bad(pos, name, "BINSTRING pickle has negative byte count"));
                }
                let (b, len) = self.counted(n as u64, name, pos)?;
                Arg::Bytes { b, len }
            }
            ArgKind::String1 | ArgKind::Bytes1 => {
                let n = self.fixed::<1>(name, pos)?[0];
                let (b, len) = self.counted(u64::from(n), name, pos)?;
                Arg::Bytes { b, len }
            }
            ArgKind::Bytes4 => {
                let n = u32::from_le_bytes(self.fixed(name, pos)?);
                let (b, len) = self.counted(u64::from(n), name, pos)?;
                Arg::Bytes { b, len }
            }
            ArgKind::Bytes8 | ArgKind::ByteArray8 => {
                let n = u64::from_le_bytes(self.fixed(name, pos)?);
                let (b, len) = self.counted(n, name, pos)?;
                Arg::Bytes { b, len }
            }
            ArgKind::UnicodeString1 => {
                let n = self.fixed::<1>(name, pos)?[0];
                self.text(u64::from(n), name, pos)?
            }
            ArgKind::UnicodeString4 => {
                let n = u32::from_le_bytes(self.fixed(name, pos)?);
                self.text(u64::from(n), name, pos)?
            }
            ArgKind::UnicodeString8 => {
                let n = u64::from_le_bytes(self.fixed(name, pos)?);
                self.text(n, name, pos)?
            }
        })
    }
}

fn io_err(offset: u64, e: std::io::Error) -> PickleError {
    PickleError::Io { offset, message: e.to_string() }
}

fn trunc(offset: u64, name: &str) -> PickleError {
    PickleError::Truncated { offset, what: format!("{name} argument cut short") }
}

fn bad(offset: u64, opcode: &'static str, why: &str) -> PickleError {
    PickleError::BadArgument { offset, opcode, why: why.to_string() }
}

/// `int(s, 0)` as Python accepts it, plus leading/trailing whitespace.
fn parse_py_int(raw: &[u8]) -> Option<Arg> {
    let s = std::str::from_utf8(raw).ok()?.trim();
    let (neg, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else {
        // Base 0 forbids leading zeros on non-zero decimals.
        if lower.len() > 1 && lower.starts_with('0') && lower.bytes().any(|c| c != b'0' && c != b'_') {
            return None;
        }
        (10, lower.as_str())
    };
    let digits = digits.strip_prefix('_').filter(|_| radix != 10).unwrap_or(digits);
    if digits.is_empty() || digits.starts_with('_') || digits.ends_with('_') || digits.contains("__") {
        return None;
    }
    let clean: String = digits.chars().filter(|&c| c != '_').collect();
    if !clean.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    // Arbitrary precision: accumulate in base 1e9 limbs.
    let mut limbs: Vec<u64> = vec![0];
    for c in clean.chars() {
        let d = u64::from(c.to_digit(radix)?);
        let mut carry = d;
        for l in limbs.iter_mut() {
            let v = *l * u64::from(radix) + carry;
            *l = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    Some(int_from_limbs(neg, &limbs))
}

fn int_from_limbs(neg: bool, limbs: &[u64]) -> Arg {
    let mut s = String::new();
    for (i, l) in limbs.iter().rev().enumerate() {
        if i == 0 {
            s.push_str(&l.to_string());
        } else {
            s.push_str(&format!("{l:09}"));
        }
    }
    let is_zero = limbs.iter().all(|&l| l == 0);
    let text = if neg && !is_zero { format!("-{s}") } else { s };
    match text.parse::<i64>() {
        Ok(v) => Arg::Int(v),
        Err(_) => Arg::BigInt(text),
    }
}

/// Little-endian two's complement integer (LONG1/LONG4).
fn long_from_le(b: &[u8]) -> Arg {
    if b.is_empty() {
        return Arg::Int(0);
    }
    let neg = b[b.len() - 1] & 0x80 != 0;
    if b.len() <= 8 {
        let mut v: i64 = if neg { -1 } else { 0 };
        for &x in b.iter().rev() {
            v = (v << 8) | i64::from(x);
        }
        return Arg::Int(v);
    }
    // Magnitude in base 1e9 limbs from the two's complement bytes.
    let mut mag: Vec<u8> = b.to_vec();
    if neg {
        for x in mag.iter_mut() {
            *x = !*x;
        }
        for x in mag.iter_mut() {
            let (v, o) = x.overflowing_add(1);
            *x = v;
            if !o {
                break;
            }
        }
    }
    let mut limbs: Vec<u64> = vec![0];
    for &byte in mag.iter().rev() {
        let mut carry = u64::from(byte);
        for l in limbs.iter_mut() {
            let v = *l * 256 + carry;
            *l = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    int_from_limbs(neg, &limbs)
}

/// Python `float(s)` for the spellings pickles contain.
fn parse_py_float(s: &str) -> Option<f64> {
    let t = s.trim();
    let l = t.to_ascii_lowercase();
    match l.trim_start_matches(['+', '-']) {
        "inf" | "infinity" => return Some(if l.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY }),
        "nan" => return Some(f64::NAN),
        _ => {}
    }
    if t.contains("__") || t.starts_with('_') || t.ends_with('_') {
        return None;
    }
    let clean: String = t.chars().filter(|&c| c != '_').collect();
    if clean.chars().any(|c| !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))) {
        return None;
    }
    clean.parse::<f64>().ok()
}

/// `codecs.escape_decode`: Python bytes-literal escapes.
fn escape_decode(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        i += 1;
        let e = *s.get(i)?;
        i += 1;
        match e {
            b'\n' => {}
            b'\\' => out.push(b'\\'),
            b'\'' => out.push(b'\''),
            b'"' => out.push(b'"'),
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'0'..=b'7' => {
                let mut v = u32::from(e - b'0');
                for _ in 0..2 {
                    match s.get(i) {
                        Some(&d @ b'0'..=b'7') => {
                            v = v * 8 + u32::from(d - b'0');
                            i += 1;
                        }
                        _ => break,
                    }
                }
                out.push((v & 0xff) as u8);
            }
            b'x' => {
                let h = s.get(i..i + 2)?;
                let v = u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()?;
                out.push(v);
                i += 2;
            }
            other => {
                out.push(b'\\');
                out.push(other);
            }
        }
    }
    Some(out)
}

/// Python's `raw-unicode-escape` codec: bytes are Latin-1 except `\uXXXX`/`\UXXXXXXXX`
/// escapes preceded by an odd number of backslashes.
fn raw_unicode_escape_decode(s: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        if c == b'\\' {
            let start = i;
            while i < s.len() && s[i] == b'\\' {
                i += 1;
            }
            let run = i - start;
            let escape = run % 2 == 1 && matches!(s.get(i), Some(b'u' | b'U'));
            let literal = if escape { run - 1 } else { run };
            out.extend(std::iter::repeat_n('\\', literal));
            if escape {
                let n = if s[i] == b'u' { 4 } else { 8 };
                let hex = s.get(i + 1..i + 1 + n)?;
                let v = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                // Lone surrogates are legal in Python str; keep them visible as U+FFFD.
                out.push(char::from_u32(v).unwrap_or(if v <= 0x10FFFF { '\u{FFFD}' } else { return None }));
                i += 1 + n;
            }
            continue;
        }
        out.push(char::from(c));
        i += 1;
    }
    Some(out)
}

/// UTF-8 with `surrogatepass`: encoded surrogates are accepted (shown as U+FFFD).
fn decode_utf8_surrogatepass(b: &[u8]) -> Option<String> {
    match std::str::from_utf8(b) {
        Ok(s) => Some(s.to_string()),
        Err(_) => {
            let mut out = String::with_capacity(b.len());
            let mut i = 0;
            while i < b.len() {
                match std::str::from_utf8(&b[i..]) {
                    Ok(s) => {
                        out.push_str(s);
                        break;
                    }
                    Err(e) => {
                        let good = e.valid_up_to();
                        out.push_str(std::str::from_utf8(&b[i..i + good]).ok()?);
                        i += good;
                        // An encoded surrogate: ED A0..BF 80..BF.
                        match b.get(i..i + 3) {
                            Some([0xED, 0xA0..=0xBF, 0x80..=0xBF]) => {
                                out.push('\u{FFFD}');
                                i += 3;
                            }
                            _ => return None,
                        }
                    }
                }
            }
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(data: &[u8]) -> Vec<(u64, &'static str, Arg)> {
        let mut r = OpReader::new(data, ReadLimits::default());
        let mut v = Vec::new();
        while let Some(op) = r.next_op().unwrap() {
            v.push((op.pos, op.name, op.arg));
        }
        v
    }

    #[test]
    fn protocol0_text_args() {
        let v = ops(b"cposix\nsystem\n(S'ls \\x41'\ntR.");
        assert_eq!(v[0].2, Arg::Pair("posix".into(), "system".into()));
        assert_eq!(v[2].2, Arg::Bytes { b: b"ls A".to_vec(), len: 4 });
        assert_eq!(v.last().unwrap().1, "STOP");
    }

    #[test]
    fn ints_and_longs() {
        assert_eq!(parse_py_int(b"-12"), Some(Arg::Int(-12)));
        assert_eq!(parse_py_int(b"0x1f"), Some(Arg::Int(31)));
        assert_eq!(parse_py_int(b"012"), None);
        assert_eq!(parse_py_int(b"123456789012345678901234567890"), Some(Arg::BigInt("123456789012345678901234567890".into())));
        assert_eq!(long_from_le(&[0xff]), Arg::Int(-1));
        assert_eq!(
            long_from_le(&[0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19]),
            Arg::BigInt("119547037146038801333356".into())
        );
        let v = ops(b"I01\nI00\nI7\nL5L\n.");
        assert_eq!(v[0].2, Arg::Bool(true));
        assert_eq!(v[1].2, Arg::Bool(false));
        assert_eq!(v[2].2, Arg::Int(7));
        assert_eq!(v[3].2, Arg::Int(5));
    }

    #[test]
    fn truncated_and_unknown() {
        let mut r = OpReader::new(b"X\xff\xff\xff\x7fab", ReadLimits::default());
        assert!(matches!(r.next_op(), Err(PickleError::Truncated { .. })));
        let mut r = OpReader::new(b"\xff", ReadLimits::default());
        assert!(matches!(r.next_op(), Err(PickleError::UnknownOpcode { byte: 0xff, .. })));
    }

    #[test]
    fn long_arguments_are_truncated_in_memory_only() {
        let mut data = vec![b'B'];
        data.extend_from_slice(&1000u32.to_le_bytes());
        data.extend(std::iter::repeat_n(b'z', 1000));
        data.push(b'.');
        let mut r = OpReader::new(&data, ReadLimits { max_kept: 10 });
        let op = r.next_op().unwrap().unwrap();
        assert_eq!(op.arg, Arg::Bytes { b: vec![b'z'; 10], len: 1000 });
        assert_eq!(r.next_op().unwrap().unwrap().name, "STOP");
    }

    #[test]
    fn raw_unicode_escape() {
        assert_eq!(raw_unicode_escape_decode(b"a\\u0041\\\\u0041").unwrap(), "aA\\\\u0041");
        assert_eq!(raw_unicode_escape_decode(b"\xe9").unwrap(), "\u{e9}");
    }

    #[test]
    fn read_input_matches_slice_input() {
        let data = b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x05hello\x94B\x03\x00\x00\x00abc.";
        let a = ops(data);
        let mut r = OpReader::with_input(ReadInput::new(std::io::Cursor::new(&data[..]), 0, data.len() as u64), ReadLimits { max_kept: 2 });
        let mut b = Vec::new();
        while let Some(op) = r.next_op().unwrap() {
            b.push((op.pos, op.name));
        }
        assert_eq!(a.iter().map(|x| (x.0, x.1)).collect::<Vec<_>>(), b);
    }
}
