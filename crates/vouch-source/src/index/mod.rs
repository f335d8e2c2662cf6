//! An index of C-family source: definitions, mentions, function spans, preprocessor conditions.

mod lex;
mod scan;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::Serialize;

/// What a definition defines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefKind {
    /// A function with a body.
    Function,
    /// A prototype: `name(...);` at file scope.
    FunctionDecl,
    /// `#define NAME`.
    Macro,
    /// struct/union/enum/class NAME, or a typedef name.
    Type,
    /// A file-scope variable.
    Variable,
    /// A constant inside an enum body.
    EnumConstant,
}

/// One definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Def {
    pub name: String,
    pub path: String,
    pub line: u32,
    pub kind: DefKind,
}

/// A function body's extent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FunctionSpan {
    pub name: String,
    /// The first line of the definition (the return type, which may be on the line before the name).
    pub start_line: u32,
    /// The line of the closing brace.
    pub end_line: u32,
    /// The line of the name.
    pub name_line: u32,
}

/// One preprocessor condition a line depends on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `#if`/`#elif` expression; `#ifdef X`/`#ifndef X` become "defined(X)".
    pub text: String,
    /// True in `#else` branches, for `#ifndef`, and for the earlier conditions an `#elif` excludes.
    pub negated: bool,
    /// The line of the directive.
    pub line: u32,
}

/// One branch of a conditional: the lines strictly between its directive and the next one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Branch {
    pub first: u32,
    pub last: u32,
    pub conds: Vec<Condition>,
}

/// What the index knows about one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileInfo {
    /// Function bodies, in order.
    pub functions: Vec<FunctionSpan>,
    pub(crate) branches: Vec<Branch>,
    /// Number of lines.
    pub lines: u32,
}

impl FileInfo {
    /// The function whose body (or header) covers `line`.
    pub fn function_at(&self, line: u32) -> Option<&FunctionSpan> {
        self.functions.iter().rev().find(|f| f.start_line <= line && line <= f.end_line)
    }

    /// The preprocessor conditions active on `line`, outermost first.
    pub fn conditions_at(&self, line: u32) -> Vec<Condition> {
        let mut bs: Vec<&Branch> = self.branches.iter().filter(|b| b.first <= line && line <= b.last).collect();
        bs.sort_by_key(|b| b.first);
        bs.into_iter().flat_map(|b| b.conds.iter().cloned()).collect()
    }
}

/// The C-family file extensions the index covers (with C++ inline and template bodies: `.inl`,
/// `.ipp`, `.tcc`, `.tpp`, `.txx`), also as templates a build turns into sources
/// (`x942kdf.c.in` for OpenSSL's generator, autoconf's `config.h.in`).
pub fn is_c_family(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    if let Some(template) = name.strip_suffix(".in") {
        // Not `Makefile.inc.in`.
        return template.rsplit_once('.').is_some_and(|(_, ext)| matches!(ext, "c" | "h" | "cc" | "cpp" | "cxx" | "hh" | "hpp" | "hxx"));
    }
    let Some((_, ext)) = name.rsplit_once('.') else { return false };
    matches!(ext, "c" | "h" | "cc" | "cpp" | "cxx" | "hh" | "hpp" | "hxx" | "inc" | "inl" | "ipp" | "tcc" | "tpp" | "txx" | "m" | "C" | "H")
}

/// A small fast hasher for identifier keys (FxHash-style; keys are not attacker-chosen in a way
/// that matters here: the worst case is a slower index).
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentHasher(u64);

impl Hasher for IdentHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(K);
        }
        self.0 = h;
    }
    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type Fx = BuildHasherDefault<IdentHasher>;

/// How many places [`CodeIndex::mentions`] keeps per identifier.
pub const MENTIONS_CAP: usize = 50;

#[derive(Debug, Default)]
struct Mentions {
    count: u32,
    /// (file index, line), file order, at most MENTIONS_CAP.
    at: Vec<(u32, u32)>,
}

impl Mentions {
    fn add(&mut self, file: u32, line: u32) {
        if self.at.last() == Some(&(file, line)) {
            return;
        }
        self.count = self.count.saturating_add(1);
        if self.at.len() < MENTIONS_CAP {
            self.at.push((file, line));
        }
    }
}

/// Definitions and mentions of all C-family files of a snapshot.
#[derive(Debug, Default)]
pub struct CodeIndex {
    paths: Vec<String>,
    defs: HashMap<String, Vec<Def>, Fx>,
    mentions: HashMap<Box<str>, Mentions, Fx>,
    files: HashMap<String, FileInfo, Fx>,
    lines: usize,
    /// Identifiers by what follows their first `_` (`CTX_get_cert_store` for
    /// `wolfSSL_CTX_get_cert_store`), built on first use.
    unprefixed: std::sync::OnceLock<HashMap<Box<str>, Vec<Box<str>>, Fx>>,
}

struct Part<'a> {
    defs: Vec<Def>,
    files: Vec<(usize, FileInfo)>,
    mentions: HashMap<&'a [u8], Mentions, Fx>,
    lines: usize,
}

fn scan_range<'a, P: AsRef<str>, T: AsRef<[u8]>>(files: &'a [(P, T)], first: usize) -> Part<'a> {
    let mut part = Part { defs: Vec::new(), files: Vec::new(), mentions: HashMap::default(), lines: 0 };
    for (k, (path, text)) in files.iter().enumerate() {
        let idx = first + k;
        let fi = idx as u32;
        let mentions = &mut part.mentions;
        let out = scan::scan(text.as_ref(), |w: &'a [u8], line| mentions.entry(w).or_default().add(fi, line));
        let path = path.as_ref();
        part.defs.extend(out.defs.into_iter().map(|(name, line, kind)| Def { name, path: path.to_string(), line, kind }));
        part.lines += out.code_lines as usize;
        part.files.push((idx, out.info));
    }
    part
}

impl CodeIndex {
    /// Index files given as (path, contents): sorted by path for stable results; scanned on up to
    /// four threads.
    pub fn build<P: AsRef<str> + Sync, T: AsRef<[u8]> + Sync>(files: &[(P, T)]) -> CodeIndex {
        let total: usize = files.iter().map(|(_, t)| t.as_ref().len()).sum();
        let threads = if total < (1 << 20) { 1 } else { std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4) };
        // Contiguous chunks of about equal bytes.
        let mut bounds = vec![0usize];
        let per = total / threads + 1;
        let mut acc = 0usize;
        for (i, (_, t)) in files.iter().enumerate() {
            acc += t.as_ref().len();
            if acc >= per * bounds.len() && bounds.len() < threads {
                bounds.push(i + 1);
            }
        }
        if *bounds.last().unwrap_or(&0) != files.len() {
            bounds.push(files.len());
        }
        let parts: Vec<Part<'_>> = if bounds.len() <= 2 {
            vec![scan_range(files, 0)]
        } else {
            std::thread::scope(|s| {
                let handles: Vec<_> =
                    bounds.windows(2).map(|w| (w[0], w[1])).map(|(a, b)| s.spawn(move || scan_range(&files[a..b], a))).collect();
                handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            })
        };
        let mut ix = CodeIndex { paths: files.iter().map(|(p, _)| p.as_ref().to_string()).collect(), ..CodeIndex::default() };
        for part in parts {
            for d in part.defs {
                ix.defs.entry(d.name.clone()).or_default().push(d);
            }
            for (i, info) in part.files {
                ix.files.insert(ix.paths[i].clone(), info);
            }
            for (w, m) in part.mentions {
                let key: Box<str> = String::from_utf8_lossy(w).into();
                let e = ix.mentions.entry(key).or_default();
                e.count = e.count.saturating_add(m.count);
                let room = MENTIONS_CAP.saturating_sub(e.at.len());
                e.at.extend(m.at.into_iter().take(room));
            }
            ix.lines += part.lines;
        }
        for v in ix.defs.values_mut() {
            v.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
        }
        ix
    }

    /// Definitions of `name`, sorted by path and line.
    pub fn definitions(&self, name: &str) -> &[Def] {
        self.defs.get(name).map_or(&[], |v| v.as_slice())
    }

    /// Whether the identifier appears in code (comments and string literals excluded;
    /// preprocessor lines included).
    pub fn mentioned(&self, name: &str) -> bool {
        self.mentions.contains_key(name)
    }

    /// Where the identifier appears: (path, line), at most [`MENTIONS_CAP`], in path order.
    pub fn mentions(&self, name: &str) -> Vec<(String, u32)> {
        self.mentions.get(name).map_or_else(Vec::new, |m| m.at.iter().map(|&(f, l)| (self.paths[f as usize].clone(), l)).collect())
    }

    /// How many lines mention the identifier (not capped).
    pub fn mention_count(&self, name: &str) -> usize {
        self.mentions.get(name).map_or(0, |m| m.count as usize)
    }

    /// What the index knows about one file.
    pub fn file(&self, path: &str) -> Option<&FileInfo> {
        self.files.get(path)
    }

    /// The indexed files, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.paths.iter().map(|p| p.as_str())
    }

    /// Identifiers that appear in code and are `name` behind one prefix (`wolfSSL_CTX_get_cert_store`
    /// and `SSL_CTX_get_cert_store` for `CTX_get_cert_store`), sorted: the full names of something
    /// a report names without its prefix.
    pub fn with_prefix_dropped(&self, name: &str) -> &[Box<str>] {
        let map = self.unprefixed.get_or_init(|| {
            let mut map: HashMap<Box<str>, Vec<Box<str>>, Fx> = HashMap::default();
            for k in self.mentions.keys() {
                if let Some((p, rest)) = k.split_once('_') {
                    if !p.is_empty() && !rest.is_empty() {
                        map.entry(rest.into()).or_default().push(k.clone());
                    }
                }
            }
            for v in map.values_mut() {
                v.sort_unstable();
            }
            map
        });
        map.get(name).map_or(&[], |v| v.as_slice())
    }

    /// Number of indexed files.
    pub fn files_count(&self) -> usize {
        self.paths.len()
    }

    /// Number of definitions of any kind.
    pub fn definitions_count(&self) -> usize {
        self.defs.values().map(|v| v.len()).sum()
    }

    /// Number of distinct identifiers.
    pub fn identifiers_count(&self) -> usize {
        self.mentions.len()
    }

    /// Lines with code (not blank, not only comments) over all indexed files.
    pub fn lines_of_code(&self) -> usize {
        self.lines
    }
}

impl CodeIndex {
    /// How many distinct functions (defined or declared) have a name starting with `prefix`,
    /// counting at most `cap`: tells the project's own API prefixes (`curl_`) from others'.
    pub fn functions_with_prefix(&self, prefix: &str, cap: usize) -> usize {
        self.defs
            .iter()
            .filter(|(name, defs)| {
                name.starts_with(prefix) && defs.iter().any(|d| matches!(d.kind, DefKind::Function | DefKind::FunctionDecl))
            })
            .take(cap)
            .count()
    }
}
