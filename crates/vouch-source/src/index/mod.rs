//! An index of C-family source: definitions, mentions, function spans, preprocessor conditions.

use std::collections::HashMap;

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

/// The C-family file extensions the index covers.
pub fn is_c_family(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, ext)) = name.rsplit_once('.') else { return false };
    matches!(ext, "c" | "h" | "cc" | "cpp" | "cxx" | "hh" | "hpp" | "hxx" | "inc" | "m" | "C" | "H")
}

/// Definitions and mentions of all C-family files of a snapshot.
#[derive(Debug, Default)]
pub struct CodeIndex {
    defs: HashMap<String, Vec<Def>>,
    files: HashMap<String, FileInfo>,
    lines: usize,
}

impl CodeIndex {
    /// Index files given as (path, contents).
    pub fn build(files: &[(String, Vec<u8>)]) -> CodeIndex {
        let _ = files;
        CodeIndex::default()
    }

    /// Definitions of `name`, sorted by path and line.
    pub fn definitions(&self, name: &str) -> &[Def] {
        self.defs.get(name).map_or(&[], |v| v.as_slice())
    }

    /// Whether the identifier appears in code (comments and string literals excluded).
    pub fn mentioned(&self, name: &str) -> bool {
        let _ = name;
        false
    }

    /// Where the identifier appears: (path, line), at most 50, in path order.
    pub fn mentions(&self, name: &str) -> Vec<(String, u32)> {
        let _ = name;
        Vec::new()
    }

    /// What the index knows about one file.
    pub fn file(&self, path: &str) -> Option<&FileInfo> {
        self.files.get(path)
    }

    /// Number of distinct identifiers.
    pub fn identifiers_count(&self) -> usize {
        0
    }

    /// Lines with code (not blank, not only comments) over all indexed files.
    pub fn lines_of_code(&self) -> usize {
        self.lines
    }
}
