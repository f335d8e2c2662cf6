//! Payloads carried as data: string or bytes values that are themselves pickles (raw, base64 or
//! hex) or that hold code or shell commands. Loading the outer pickle runs none of them, but
//! whatever consumes the value later might, so they are reported as suspicious.

use crate::machine::{analyse_input, Analysis, Limits};
use crate::reader::SliceInput;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Raw,
    Base64,
    Hex,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Raw => "raw",
            Encoding::Base64 => "base64",
            Encoding::Hex => "hex",
        }
    }
}

#[derive(Debug)]
pub enum PayloadKind {
    /// A pickle that imports globals; its own analysis.
    Pickle(Box<Analysis>),
    /// Code or a shell command; the matched text.
    Code(String),
}

#[derive(Debug)]
pub struct Payload {
    /// Offset of the opcode that pushed the value.
    pub offset: u64,
    pub encoding: Encoding,
    pub kind: PayloadKind,
}

/// Shortest value worth inspecting.
const MIN_LEN: usize = 8;

/// Inspects one string/bytes value.
pub fn inspect(data: &[u8], is_text: bool, offset: u64, limits: &Limits, depth: u32) -> Option<Payload> {
    if data.len() < MIN_LEN {
        return None;
    }
    if let Some(kind) = classify(data, limits, depth) {
        return Some(Payload { offset, encoding: Encoding::Raw, kind });
    }
    let text = if is_text { std::str::from_utf8(data).ok() } else { std::str::from_utf8(data).ok().filter(|s| s.is_ascii()) }?;
    let t = text.trim();
    if t.len() >= 16 && t.len() % 2 == 0 && t.bytes().all(|c| c.is_ascii_hexdigit()) {
        if let Some(kind) = decode_hex(t).and_then(|d| classify(&d, limits, depth)) {
            return Some(Payload { offset, encoding: Encoding::Hex, kind });
        }
    }
    if t.len() >= 16 {
        if let Some(kind) = decode_base64(t).and_then(|d| classify(&d, limits, depth)) {
            return Some(Payload { offset, encoding: Encoding::Base64, kind });
        }
    }
    None
}

/// A pickle that imports something, or code.
fn classify(data: &[u8], limits: &Limits, depth: u32) -> Option<PayloadKind> {
    if crate::looks_like_pickle(data) {
        let a = analyse_input(SliceInput::new(data), limits, depth + 1);
        let parsed_a_stream = !a.streams.is_empty() && (a.error.is_none() || a.streams.len() > 1);
        if parsed_a_stream && (!a.globals.is_empty() || !a.payloads.is_empty()) {
            return Some(PayloadKind::Pickle(Box::new(a)));
        }
        if !a.globals.is_empty() && a.ops >= 3 {
            // Broken after importing something: still a payload.
            return Some(PayloadKind::Pickle(Box::new(a)));
        }
    }
    let text = std::str::from_utf8(data).ok()?;
    find_code(text).map(PayloadKind::Code)
}

/// Call-like patterns: `word(` preceded by a non-identifier character (or start).
static CALLS: &[&str] = &[
    "os.system(",
    "os.popen(",
    "os.execv",
    "os.execl",
    "os.spawn",
    "os.remove(",
    "os.unlink(",
    "posix.system(",
    "subprocess.Popen(",
    "subprocess.call(",
    "subprocess.run(",
    "subprocess.check_output(",
    "subprocess.check_call(",
    "subprocess.getoutput(",
    "eval(",
    "exec(",
    "__import__(",
    "pickle.loads(",
    "marshal.loads(",
    "socket.socket(",
    "urllib.request.urlopen(",
    "requests.get(",
    "requests.post(",
    "shutil.rmtree(",
    "ctypes.CDLL(",
];

/// Statement-like patterns, matched at the start of a line or after `;`.
static STATEMENTS: &[&str] =
    &["import os", "import subprocess", "import socket", "import ctypes", "from os import", "from subprocess import"];

/// Shell command fragments.
static SHELL: &[&str] = &[
    "/bin/sh",
    "/bin/bash",
    "bash -c",
    "sh -c ",
    "| sh",
    "|sh",
    "| bash",
    "|bash",
    "rm -rf ",
    "nc -e ",
    "powershell -",
    "chmod +x ",
    "wget http",
    "curl http",
];

/// Finds code or a shell command in `text`; returns the matched fragment with some context.
pub fn find_code(text: &str) -> Option<String> {
    let context = |at: usize| {
        let start = text[..at].char_indices().rev().nth(20).map(|(i, _)| i).unwrap_or(0);
        let snippet: String = text[start..].chars().take(100).collect();
        snippet.replace('\n', "\\n")
    };
    // Cheap gates first: most strings in a checkpoint are short keys without any of these.
    // One pass notes the bytes every pattern needs; substring searches run only after it.
    let (mut paren, mut slash_or_pipe, mut space, mut i, mut c) = (false, false, false, false, false);
    for &b in text.as_bytes() {
        match b {
            b'(' => paren = true,
            b'/' | b'|' => slash_or_pipe = true,
            b' ' => space = true,
            b'i' => i = true,
            b'c' => c = true,
            _ => {}
        }
    }
    let calls = if paren { CALLS } else { &[] };
    let statements = if i && text.contains("import") { STATEMENTS } else { &[] };
    let shell_gate = slash_or_pipe || (space && (text.contains(" -") || text.contains("rm "))) || (c && text.contains("chmod"));
    let shell = if shell_gate { SHELL } else { &[] };
    for pat in calls {
        let mut from = 0;
        while let Some(i) = text[from..].find(pat) {
            let at = from + i;
            let prev = text[..at].chars().next_back();
            if !prev.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                return Some(context(at));
            }
            from = at + pat.len();
        }
    }
    for pat in statements {
        let mut from = 0;
        while let Some(i) = text[from..].find(pat) {
            let at = from + i;
            let before = text[..at].trim_end_matches([' ', '\t']);
            let after = text[at + pat.len()..].chars().next();
            if (before.is_empty() || before.ends_with(['\n', ';'])) && !after.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                return Some(context(at));
            }
            from = at + pat.len();
        }
    }
    shell.iter().find_map(|pat| text.find(pat).map(context))
}

fn decode_hex(s: &str) -> Option<Vec<u8>> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// Standard or URL-safe base64, padded or not; `None` unless every character is base64.
pub fn decode_base64(s: &str) -> Option<Vec<u8>> {
    let body = s.trim_end_matches('=');
    if s.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in body.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if body.len() % 4 == 1 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_roundtrip() {
        assert_eq!(decode_base64("b3Muc3lzdGVtKCdlY2hvIEFUVEFDSycp").unwrap(), b"os.system('echo ATTACK')");
        assert_eq!(decode_base64("TWE=").unwrap(), b"Ma");
        assert!(decode_base64("not base64!").is_none());
    }

    #[test]
    fn code_patterns() {
        assert!(find_code("os.system('echo ATTACK')").is_some());
        assert!(find_code("x = 1; import os\nos.getcwd()").is_some());
        assert!(find_code("re.compile(pattern)").is_none());
        assert!(find_code("model.eval() was called").is_none());
        assert!(find_code("MIT License\nCopyright (c) 2024").is_none());
        assert!(find_code("the evaluation(s) of imports").is_none());
    }

    #[test]
    fn embedded_pickles() {
        let limits = Limits::default();
        let inner = b"\x80\x04\x95\x10\x00\x00\x00\x00\x00\x00\x00\x8c\x08builtins\x8c\x05print\x93\x8c\x01x\x85R.";
        let p = inspect(inner, false, 0, &limits, 0).unwrap();
        assert_eq!(p.encoding, Encoding::Raw);
        assert!(matches!(p.kind, PayloadKind::Pickle(_)));
        let hex: String = inner.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(inspect(hex.as_bytes(), true, 0, &limits, 0).unwrap().encoding, Encoding::Hex);
        // A pickle of plain data carries no payload.
        assert!(inspect(b"\x80\x04\x95\x05\x00\x00\x00\x00\x00\x00\x00}\x94.", false, 0, &limits, 0).is_none());
        // Random base64 that decodes to junk is not a payload.
        assert!(inspect(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/==", true, 0, &limits, 0).is_none());
    }
}

#[cfg(test)]
mod gate_tests {
    #[test]
    fn cheap_gates_keep_every_pattern_reachable() {
        for s in ["chmod +x payload", "curl http://x | sh", "x; import os", "os.system('id')", "nc -e sh host"] {
            assert!(super::find_code(s).is_some(), "{s}");
        }
    }
}
