//! One file's definitions, function spans and preprocessor conditions, from the token stream.
//!
//! File-scope tokens are gathered into a statement; a `{` or `;` at file scope classifies it
//! (function definition, prototype, type, variable, initializer, namespace). Conditional
//! compilation is tracked with the parser state saved at `#if`: every branch starts from that
//! state, and at `#endif` the first branch's outcome wins when the branches disagree about braces
//! (so `#ifdef A\nint f(int a) {\n#else\nint f(void) {\n#endif` opens one body, not two).

use super::lex::{Lexer, Tok, K};
use super::{Branch, Condition, DefKind, FileInfo, FunctionSpan};

/// A definition found in one file: (name, line, kind).
pub(crate) type RawDef = (String, u32, DefKind);

pub(crate) struct ScanOut {
    pub defs: Vec<RawDef>,
    pub info: FileInfo,
    pub code_lines: u32,
}

#[derive(Clone, Debug)]
enum Brace {
    /// `namespace x {`, `extern "C" {`: what is inside is still file scope.
    Transparent,
    Function {
        name: String,
        name_line: u32,
        start_line: u32,
    },
    /// A struct/union/class body at file scope; `is_enum` for enum bodies.
    Type {
        is_enum: bool,
    },
    /// `= { ... }` initializer at file scope.
    Init,
    /// An enum body below file scope.
    Enum,
    Block,
}

#[derive(Clone, Debug)]
struct Knr {
    name: String,
    name_line: u32,
    start_line: u32,
    params: Vec<(u32, u32)>,
}

#[derive(Clone, Debug, Default)]
struct State {
    braces: Vec<Brace>,
    /// Braces that are not Transparent.
    opaque: usize,
    stmt: Vec<Tok>,
    knr: Option<Knr>,
    enum_seen: bool,
    enum_expect: bool,
    enum_paren: u32,
}

struct Frame {
    at_if: State,
    first_end: Option<State>,
    /// An earlier branch was `#if 1` / `#elif 1`: the rest are dead.
    taken_const: bool,
    /// Conditions excluded by earlier branches (negated).
    excluded: Vec<Condition>,
    branch_first: u32,
    branch_conds: Vec<Condition>,
    branch_dead: bool,
}

const STMT_CAP: usize = 512;

fn is_keyword(w: &[u8]) -> bool {
    matches!(
        w,
        b"if"
            | b"while"
            | b"for"
            | b"switch"
            | b"return"
            | b"sizeof"
            | b"do"
            | b"else"
            | b"case"
            | b"default"
            | b"goto"
            | b"typeof"
            | b"__typeof__"
            | b"__typeof"
            | b"alignof"
            | b"_Alignof"
            | b"__alignof__"
            | b"_Generic"
            | b"_Static_assert"
            | b"static_assert"
            | b"defined"
            | b"decltype"
            | b"catch"
            | b"new"
            | b"delete"
            | b"operator"
            | b"void"
            | b"char"
            | b"short"
            | b"int"
            | b"long"
            | b"float"
            | b"double"
            | b"signed"
            | b"unsigned"
            | b"_Bool"
            | b"bool"
            | b"const"
            | b"volatile"
            | b"static"
            | b"extern"
            | b"inline"
            | b"register"
            | b"auto"
            | b"struct"
            | b"union"
            | b"enum"
            | b"class"
            | b"typedef"
            | b"restrict"
            | b"__restrict"
            | b"_Atomic"
            | b"template"
            | b"using"
            | b"namespace"
    )
}

/// Identifiers whose parenthesised group is an attribute, not a parameter list.
fn is_attr_kw(w: &[u8]) -> bool {
    matches!(
        w,
        b"__attribute__"
            | b"__attribute"
            | b"__declspec"
            | b"_Alignas"
            | b"alignas"
            | b"__asm__"
            | b"__asm"
            | b"asm"
            | b"noexcept"
            | b"throw"
            | b"__THROW"
            | b"_Pragma"
            | b"__pragma"
    )
}

/// Words that may follow a parameter list before the body or `;`.
fn is_trailing_word(w: &[u8]) -> bool {
    matches!(w, b"const" | b"volatile" | b"noexcept" | b"override" | b"final" | b"__THROW" | b"__wur")
        || (w.len() >= 2 && w.iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_') && w[0].is_ascii_uppercase())
}

fn is_tag_kw(w: &[u8]) -> bool {
    matches!(w, b"struct" | b"union" | b"enum" | b"class")
}

struct Scanner<'a, F> {
    text: &'a [u8],
    lex: Lexer<'a>,
    st: State,
    frames: Vec<Frame>,
    defs: Vec<RawDef>,
    functions: Vec<FunctionSpan>,
    branches: Vec<Branch>,
    code_lines: u32,
    last_code_line: u32,
    mention: F,
}

/// Scan one file; `mention` gets every identifier outside comments and literals with its line.
pub(crate) fn scan<'a, F: FnMut(&'a [u8], u32)>(text: &'a [u8], mention: F) -> ScanOut {
    let mut s = Scanner {
        text,
        lex: Lexer::new(text),
        st: State::default(),
        frames: Vec::new(),
        defs: Vec::new(),
        functions: Vec::new(),
        branches: Vec::new(),
        code_lines: 0,
        last_code_line: 0,
        mention,
    };
    s.run();
    let ends_with_nl = text.last() == Some(&b'\n');
    let lines = if text.is_empty() {
        0
    } else if ends_with_nl {
        s.lex.line.saturating_sub(1)
    } else {
        s.lex.line
    };
    // Unterminated conditionals run to the end of the file.
    while let Some(f) = s.frames.pop() {
        s.close_branch(&f, lines.max(f.branch_first));
    }
    s.functions.sort_by_key(|f| (f.start_line, f.end_line));
    ScanOut { defs: s.defs, info: FileInfo { functions: s.functions, branches: s.branches, lines }, code_lines: s.code_lines }
}

impl<'a, F: FnMut(&'a [u8], u32)> Scanner<'a, F> {
    fn tx(&self, t: &Tok) -> &'a [u8] {
        let text: &'a [u8] = self.text;
        text.get(t.s as usize..t.e as usize).unwrap_or(&[])
    }

    fn name(&self, t: &Tok) -> String {
        String::from_utf8_lossy(self.tx(t)).into_owned()
    }

    fn def(&mut self, t: &Tok, kind: DefKind) {
        let name = self.name(t);
        self.defs.push((name, t.line, kind));
    }

    fn code_line(&mut self, line: u32) {
        if line != self.last_code_line {
            self.last_code_line = line;
            self.code_lines += 1;
        }
    }

    fn run(&mut self) {
        loop {
            let t = self.lex.next();
            match t.k {
                K::Eof => return,
                K::Hash => {
                    self.code_line(t.line);
                    self.directive(t);
                }
                _ => {
                    self.code_line(t.line);
                    self.token(t);
                }
            }
        }
    }

    fn file_scope(&self) -> bool {
        self.st.opaque == 0
    }

    fn push_brace(&mut self, b: Brace) {
        if !matches!(b, Brace::Transparent) {
            self.st.opaque += 1;
        }
        self.st.braces.push(b);
    }

    fn pop_brace(&mut self) -> Option<Brace> {
        let b = self.st.braces.pop()?;
        if !matches!(b, Brace::Transparent) {
            self.st.opaque = self.st.opaque.saturating_sub(1);
        }
        Some(b)
    }

    fn clear_stmt(&mut self) {
        self.st.stmt.clear();
    }

    fn push_stmt(&mut self, t: Tok) {
        if self.st.stmt.len() >= STMT_CAP {
            // Pathological statement: keep its first token (start line, `typedef`) and the tail.
            self.st.stmt.drain(1..STMT_CAP / 2);
        }
        self.st.stmt.push(t);
    }

    fn in_enum_body(&self) -> bool {
        matches!(self.st.braces.last(), Some(Brace::Enum) | Some(Brace::Type { is_enum: true }))
    }

    fn token(&mut self, t: Tok) {
        if t.k == K::Ident {
            let w = self.tx(&t);
            (self.mention)(w, t.line);
            if w == b"enum" {
                self.st.enum_seen = true;
            }
        } else if !(t.is(b'{') || t.is(b':') || t.k == K::Op && self.tx(&t) == b"::") {
            self.st.enum_seen = false;
        }
        if self.in_enum_body() {
            match t.k {
                K::Punct(b'(') | K::Punct(b'[') => self.st.enum_paren += 1,
                K::Punct(b')') | K::Punct(b']') => self.st.enum_paren = self.st.enum_paren.saturating_sub(1),
                K::Punct(b',') if self.st.enum_paren == 0 => self.st.enum_expect = true,
                K::Ident if self.st.enum_expect && self.st.enum_paren == 0 => {
                    self.st.enum_expect = false;
                    if !is_attr_kw(self.tx(&t)) {
                        self.def(&t, DefKind::EnumConstant);
                    }
                }
                _ => {}
            }
        }
        match t.k {
            K::Punct(b'{') => self.open_brace(t),
            K::Punct(b'}') => self.close_brace(t),
            K::Punct(b';') if self.file_scope() => self.end_statement(),
            _ if self.file_scope() => self.push_stmt(t),
            _ => {}
        }
    }

    fn open_brace(&mut self, t: Tok) {
        let enum_seen = std::mem::take(&mut self.st.enum_seen);
        if !self.file_scope() {
            if enum_seen {
                self.push_brace(Brace::Enum);
                self.st.enum_expect = true;
                self.st.enum_paren = 0;
            } else {
                self.push_brace(Brace::Block);
            }
            return;
        }
        let b = self.classify_open();
        let keeps_stmt = matches!(b, Brace::Type { .. } | Brace::Init);
        if let Brace::Type { is_enum: true } = b {
            self.st.enum_expect = true;
            self.st.enum_paren = 0;
        }
        self.push_brace(b);
        if keeps_stmt {
            self.push_stmt(Tok { k: K::Body, ..t });
        } else {
            self.clear_stmt();
        }
        self.st.knr = None;
    }

    fn close_brace(&mut self, t: Tok) {
        self.st.enum_seen = false;
        // Recovery: a `}` in column 0 ends the enclosing function whatever the count says.
        if t.col0 {
            if let Some(pos) = self.st.braces.iter().rposition(|b| matches!(b, Brace::Function { .. })) {
                while self.st.braces.len() > pos + 1 {
                    self.pop_brace();
                }
            }
        }
        match self.pop_brace() {
            Some(Brace::Function { name, name_line, start_line }) => {
                self.functions.push(FunctionSpan { name, start_line, end_line: t.line, name_line });
                if self.file_scope() {
                    self.clear_stmt();
                }
            }
            Some(Brace::Type { .. }) | Some(Brace::Init) | Some(Brace::Enum) => {}
            Some(Brace::Block) | Some(Brace::Transparent) | None => {
                if self.file_scope() {
                    self.clear_stmt();
                }
            }
        }
    }

    /// Index of the token matching the `)` (or `]`) at `close`, scanning back.
    fn open_of(toks: &[Tok], close: usize) -> Option<usize> {
        let (o, c) = if toks[close].is(b')') { (b'(', b')') } else { (b'[', b']') };
        let mut depth = 0i32;
        for i in (0..=close).rev() {
            if toks[i].is(c) {
                depth += 1;
            } else if toks[i].is(o) {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    }

    /// Index of the token matching the `(` at `open`, scanning forward.
    fn close_of(toks: &[Tok], open: usize) -> Option<usize> {
        let mut depth = 0i32;
        for (i, t) in toks.iter().enumerate().skip(open) {
            if t.is(b'(') {
                depth += 1;
            } else if t.is(b')') {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
        }
        None
    }

    /// Positions of `c` at paren/bracket depth 0.
    fn top_level(toks: &[Tok], c: u8) -> Vec<usize> {
        let mut depth = 0i32;
        let mut out = Vec::new();
        for (i, t) in toks.iter().enumerate() {
            match t.k {
                K::Punct(b'(') | K::Punct(b'[') => depth += 1,
                K::Punct(b')') | K::Punct(b']') => depth -= 1,
                K::Punct(x) if x == c && depth == 0 => out.push(i),
                _ => {}
            }
        }
        out
    }

    /// The name of a function declarator ending `toks`: `... name ( params ) [attributes] [const]`.
    fn function_name(&self, toks: &[Tok]) -> Option<usize> {
        let mut end = toks.len();
        // C++: constructor initializer list or trailing return type after the parameters.
        for i in 1..toks.len() {
            if toks[i - 1].is(b')') && (toks[i].is(b':') || (toks[i].k == K::Op && self.tx(&toks[i]) == b"->")) {
                end = i;
                break;
            }
        }
        for _ in 0..16 {
            if end == 0 {
                return None;
            }
            let last = &toks[end - 1];
            if last.is(b')') {
                let lp = Self::open_of(&toks[..end], end - 1)?;
                if lp == 0 {
                    return None;
                }
                let prev = &toks[lp - 1];
                if prev.k != K::Ident {
                    return None;
                }
                let w = self.tx(prev);
                if is_attr_kw(w) {
                    end = lp - 1;
                    continue;
                }
                if is_keyword(w) {
                    return None;
                }
                return Some(lp - 1);
            } else if (last.k == K::Ident && is_trailing_word(self.tx(last)))
                || last.is(b'&')
                || (last.k == K::Op && self.tx(last) == b"&&")
            {
                end -= 1;
            } else {
                return None;
            }
        }
        None
    }

    fn classify_open(&mut self) -> Brace {
        let toks = std::mem::take(&mut self.st.stmt);
        let b = self.classify_open_in(&toks);
        self.st.stmt = toks;
        b
    }

    fn classify_open_in(&mut self, toks: &[Tok]) -> Brace {
        if let Some(k) = self.st.knr.take() {
            if !toks.iter().any(|t| t.is(b'(')) {
                self.defs.push((k.name.clone(), k.name_line, DefKind::Function));
                return Brace::Function { name: k.name, name_line: k.name_line, start_line: k.start_line };
            }
        }
        let Some(first) = toks.first() else { return Brace::Block };
        let w0 = self.tx(first);
        if w0 == b"namespace"
            || (w0 == b"inline" && toks.get(1).is_some_and(|t| self.tx(t) == b"namespace"))
            || (w0 == b"extern" && toks.len() == 2 && toks[1].k == K::Str)
        {
            return Brace::Transparent;
        }
        if !Self::top_level(toks, b'=').is_empty() {
            // `int a = 1, b[] = {`: the declarator this initializer belongs to is the last one.
            let segs = Self::split_commas(toks);
            let n_segs = segs.len();
            if let Some(seg) = segs.last() {
                if let Some(&eq) = Self::top_level(seg, b'=').first() {
                    if let Some(n) = self.declarator_name(&seg[..eq]) {
                        if n > 0 || n_segs > 1 {
                            let t = seg[n];
                            self.def(&t, DefKind::Variable);
                        }
                    }
                }
            }
            return Brace::Init;
        }
        // struct/union/enum/class [attributes] [NAME] [: base] {
        let mut depth = 0i32;
        let mut tag: Option<usize> = None;
        for (i, t) in toks.iter().enumerate() {
            match t.k {
                K::Punct(b'(') => depth += 1,
                K::Punct(b')') => depth -= 1,
                K::Ident if depth == 0 && is_tag_kw(self.tx(t)) => tag = Some(i),
                _ => {}
            }
        }
        if let Some(k) = tag {
            let is_enum = self.tx(&toks[k]) == b"enum";
            let mut i = k + 1;
            // enum class / enum struct
            if is_enum && toks.get(i).is_some_and(|t| matches!(self.tx(t), b"class" | b"struct")) {
                i += 1;
            }
            let mut name: Option<usize> = None;
            let mut ok = true;
            while i < toks.len() {
                let t = &toks[i];
                if t.k == K::Ident && is_attr_kw(self.tx(t)) {
                    i += 1;
                    if toks.get(i).is_some_and(|t| t.is(b'(')) {
                        match Self::close_of(toks, i) {
                            Some(c) => i = c + 1,
                            None => {
                                ok = false;
                                break;
                            }
                        }
                    }
                    continue;
                }
                if t.k == K::Ident && name.is_none() && !matches!(self.tx(t), b"final") {
                    name = Some(i);
                    i += 1;
                    continue;
                }
                if t.is(b':') || (t.k == K::Ident && self.tx(t) == b"final") {
                    break;
                }
                if t.is(b'[') {
                    // [[attributes]]
                    i += 1;
                    continue;
                }
                if t.is(b']') {
                    i += 1;
                    continue;
                }
                ok = false;
                break;
            }
            if ok {
                if let Some(n) = name {
                    let t = toks[n];
                    self.def(&t, DefKind::Type);
                }
                let is_class = !is_enum;
                let _ = is_class;
                return Brace::Type { is_enum };
            }
        }
        if let Some(n) = self.function_name(toks) {
            let t = toks[n];
            self.def(&t, DefKind::Function);
            return Brace::Function { name: self.name(&t), name_line: t.line, start_line: first.line };
        }
        Brace::Block
    }

    /// The declared name in `toks` (one declarator with its type): skips `[...]` and attribute
    /// groups from the end; `(*name)(...)` function pointers. Returns the token index.
    fn declarator_name(&self, toks: &[Tok]) -> Option<usize> {
        let mut end = toks.len();
        for _ in 0..16 {
            if end == 0 {
                return None;
            }
            let last = &toks[end - 1];
            if last.is(b']') {
                end = Self::open_of(&toks[..end], end - 1)?;
                continue;
            }
            if last.is(b')') {
                let lp = Self::open_of(&toks[..end], end - 1)?;
                if lp > 0 && toks[lp - 1].k == K::Ident && is_attr_kw(self.tx(&toks[lp - 1])) {
                    end = lp - 1;
                    continue;
                }
                // ( * name ) ( params ): the first group holding `*`s then a name.
                let mut j = 0;
                while j < end {
                    if toks[j].is(b'(') {
                        let mut k = j + 1;
                        let mut stars = 0;
                        while k < end && (toks[k].is(b'*') || toks[k].is(b'^') || toks[k].is(b'&')) {
                            k += 1;
                            stars += 1;
                        }
                        if stars > 0 && k < end && toks[k].k == K::Ident {
                            return Some(k);
                        }
                    }
                    j += 1;
                }
                return None;
            }
            if last.k == K::Ident {
                let w = self.tx(last);
                if is_keyword(w) || is_attr_kw(w) {
                    return None;
                }
                // `struct foo` alone is a forward declaration, not a variable.
                if end >= 2 && toks[end - 2].k == K::Ident && is_tag_kw(self.tx(&toks[end - 2])) {
                    return None;
                }
                return Some(end - 1);
            }
            return None;
        }
        None
    }

    fn split_commas(toks: &[Tok]) -> Vec<&[Tok]> {
        let mut out = Vec::new();
        let mut start = 0;
        for c in Self::top_level(toks, b',') {
            out.push(&toks[start..c]);
            start = c + 1;
        }
        out.push(&toks[start..]);
        out
    }

    /// K&R: `type name(a, b)` followed by declarations of a and b.
    fn knr_header(&self, toks: &[Tok]) -> Option<Knr> {
        let lp = toks.iter().position(|t| t.is(b'('))?;
        if lp == 0 || toks[lp - 1].k != K::Ident || is_keyword(self.tx(&toks[lp - 1])) || is_attr_kw(self.tx(&toks[lp - 1])) {
            return None;
        }
        let rp = Self::close_of(toks, lp)?;
        let inner = &toks[lp + 1..rp];
        if inner.is_empty() || (inner.len() & 1) == 0 {
            return None;
        }
        let mut params = Vec::new();
        for (i, t) in inner.iter().enumerate() {
            if i % 2 == 0 {
                if t.k != K::Ident || is_keyword(self.tx(t)) {
                    return None;
                }
                params.push((t.s, t.e));
            } else if !t.is(b',') {
                return None;
            }
        }
        let after = &toks[rp + 1..];
        if after.len() < 2 || after[0].k != K::Ident || after.iter().any(|t| t.is(b'(')) {
            return None;
        }
        if !self.mentions_param(after, &params) {
            return None;
        }
        let name = &toks[lp - 1];
        Some(Knr { name: self.name(name), name_line: name.line, start_line: toks[0].line, params })
    }

    fn mentions_param(&self, toks: &[Tok], params: &[(u32, u32)]) -> bool {
        toks.iter().any(|t| t.k == K::Ident && params.iter().any(|&(s, e)| self.text.get(s as usize..e as usize) == Some(self.tx(t))))
    }

    fn end_statement(&mut self) {
        let toks = std::mem::take(&mut self.st.stmt);
        self.end_statement_in(&toks);
        self.st.stmt = toks;
        self.st.stmt.clear();
    }

    fn end_statement_in(&mut self, toks: &[Tok]) {
        if toks.is_empty() {
            return;
        }
        if let Some(k) = self.st.knr.take() {
            if !toks.iter().any(|t| t.is(b'(')) && self.mentions_param(toks, &k.params) {
                self.st.knr = Some(k);
                return;
            }
        }
        let has_body = toks.iter().any(|t| t.k == K::Body);
        if !has_body {
            if let Some(k) = self.knr_header(toks) {
                self.st.knr = Some(k);
                return;
            }
        }
        let w0 = self.tx(&toks[0]);
        if matches!(w0, b"using" | b"namespace" | b"template" | b"friend" | b"static_assert" | b"_Static_assert" | b"asm" | b"__asm__") {
            return;
        }
        let is_typedef = {
            let mut depth = 0i32;
            toks.iter().any(|t| {
                match t.k {
                    K::Punct(b'(') => depth += 1,
                    K::Punct(b')') => depth -= 1,
                    _ => {}
                }
                depth == 0 && t.k == K::Ident && self.tx(t) == b"typedef"
            })
        };
        if is_typedef {
            for seg in Self::split_commas(toks) {
                if let Some(n) = self.typedef_name(seg) {
                    let t = seg[n];
                    self.def(&t, DefKind::Type);
                }
            }
            return;
        }
        let has_eq = !Self::top_level(toks, b'=').is_empty();
        if !has_eq && !has_body {
            if let Some(n) = self.function_name(toks) {
                if n >= 1 {
                    let t = toks[n];
                    self.def(&t, DefKind::FunctionDecl);
                }
                return;
            }
        }
        // Variables: `int a = 1, *b, c[4];`, `static void (*fp)(int) = NULL;`, `} var;`
        let segs = Self::split_commas(toks);
        let first_len = segs.first().map_or(0, |s| s.len());
        for (i, seg) in segs.into_iter().enumerate() {
            let decl = match Self::top_level(seg, b'=').first() {
                // `= { ... }` was recorded when its brace opened.
                Some(&eq) if seg.get(eq + 1).is_some_and(|t| t.k == K::Body) => continue,
                Some(&eq) => &seg[..eq],
                None => seg,
            };
            let Some(n) = self.declarator_name(decl) else { continue };
            // The first declarator needs a type before its name.
            if i == 0 && n == 0 {
                continue;
            }
            if i == 0 && first_len < 2 {
                continue;
            }
            let t = decl[n];
            self.def(&t, DefKind::Variable);
        }
    }

    fn typedef_name(&self, seg: &[Tok]) -> Option<usize> {
        // typedef int (*cb_t)(int); typedef int fn_t(int);
        let mut end = seg.len();
        while end > 0 && seg[end - 1].is(b']') {
            end = Self::open_of(&seg[..end], end - 1)?;
        }
        if end == 0 {
            return None;
        }
        if seg[end - 1].is(b')') {
            let lp = Self::open_of(&seg[..end], end - 1)?;
            if lp > 0 && seg[lp - 1].k == K::Ident && is_attr_kw(self.tx(&seg[lp - 1])) {
                return self.typedef_name(&seg[..lp - 1]);
            }
            if let Some(n) = self.declarator_name(&seg[..end]) {
                return Some(n);
            }
            if lp > 0 && seg[lp - 1].k == K::Ident && !is_keyword(self.tx(&seg[lp - 1])) {
                return Some(lp - 1);
            }
            return None;
        }
        let t = &seg[end - 1];
        if t.k == K::Ident && !is_keyword(self.tx(t)) && !is_attr_kw(self.tx(t)) {
            return Some(end - 1);
        }
        None
    }

    // ---- preprocessor ----

    fn directive(&mut self, hash: Tok) {
        let name_tok = self.lex.next();
        if name_tok.k == K::Eol || name_tok.k == K::Eof {
            return;
        }
        let name = self.tx(&name_tok);
        let mut body: Vec<Tok> = Vec::new();
        let collect_mentions = matches!(name, b"define" | b"if" | b"ifdef" | b"ifndef" | b"elif" | b"elifdef" | b"elifndef" | b"undef");
        loop {
            let t = self.lex.next();
            if t.k == K::Eol || t.k == K::Eof {
                break;
            }
            if collect_mentions && t.k == K::Ident {
                let w = self.tx(&t);
                (self.mention)(w, t.line);
            }
            if body.len() < 4096 {
                body.push(t);
            }
        }
        let next_line = self.lex.line;
        match name {
            b"define" => {
                if let Some(t) = body.first().filter(|t| t.k == K::Ident) {
                    let t = *t;
                    self.def(&t, DefKind::Macro);
                }
            }
            b"if" | b"ifdef" | b"ifndef" => {
                let cond = self.condition(name, &body, hash.line);
                let konst = if name == b"if" { self.constant(&body) } else { None };
                let dead = konst == Some(false);
                self.frames.push(Frame {
                    at_if: self.st.clone(),
                    first_end: None,
                    taken_const: konst == Some(true),
                    excluded: vec![Condition { negated: !cond.negated, ..cond.clone() }],
                    branch_first: next_line,
                    branch_conds: vec![cond],
                    branch_dead: dead,
                });
                if dead {
                    self.lex.skip_dead_group();
                }
            }
            b"elif" | b"elifdef" | b"elifndef" | b"else" => {
                let Some(mut f) = self.frames.pop() else { return };
                self.close_branch(&f, hash.line.saturating_sub(1));
                if !f.branch_dead && f.first_end.is_none() {
                    f.first_end = Some(self.st.clone());
                }
                self.st = f.at_if.clone();
                let mut conds = f.excluded.clone();
                let mut dead = f.taken_const;
                if name != b"else" {
                    let kind: &[u8] = match name {
                        b"elifdef" => b"ifdef",
                        b"elifndef" => b"ifndef",
                        _ => b"if",
                    };
                    let cond = self.condition(kind, &body, hash.line);
                    let konst = if kind == b"if" { self.constant(&body) } else { None };
                    dead |= konst == Some(false);
                    if konst == Some(true) && !f.taken_const {
                        f.taken_const = true;
                    }
                    f.excluded.push(Condition { negated: !cond.negated, ..cond.clone() });
                    conds.push(cond);
                }
                f.branch_first = next_line;
                f.branch_conds = conds;
                f.branch_dead = dead;
                self.frames.push(f);
                if dead {
                    self.lex.skip_dead_group();
                }
            }
            b"endif" => {
                let Some(f) = self.frames.pop() else { return };
                self.close_branch(&f, hash.line.saturating_sub(1));
                if let Some(first) = f.first_end {
                    let d = f.at_if.braces.len();
                    if f.branch_dead || first.braces.len() != d || self.st.braces.len() != d {
                        self.st = first;
                    }
                }
            }
            _ => {}
        }
    }

    fn close_branch(&mut self, f: &Frame, last: u32) {
        if last >= f.branch_first {
            self.branches.push(Branch { first: f.branch_first, last, conds: f.branch_conds.clone() });
        }
    }

    fn condition(&self, kind: &[u8], body: &[Tok], line: u32) -> Condition {
        if kind == b"ifdef" || kind == b"ifndef" {
            let name = body.first().map(|t| self.name(t)).unwrap_or_default();
            return Condition { text: format!("defined({name})"), negated: kind == b"ifndef", line };
        }
        let mut text = String::new();
        let mut prev: Option<&Tok> = None;
        for t in body {
            if prev.is_some_and(|p| t.s > p.e) {
                text.push(' ');
            }
            text.push_str(&String::from_utf8_lossy(self.tx(t)));
            prev = Some(t);
        }
        Condition { text, negated: false, line }
    }

    /// `#if 0` / `#if 1` (also parenthesised).
    fn constant(&self, body: &[Tok]) -> Option<bool> {
        let mut b = body;
        while b.len() >= 3 && b[0].is(b'(') && b[b.len() - 1].is(b')') {
            b = &b[1..b.len() - 1];
        }
        match b {
            [t] if t.k == K::Num => match self.tx(t) {
                b"0" | b"0L" | b"0UL" | b"0U" => Some(false),
                b"1" | b"1L" | b"1U" => Some(true),
                _ => None,
            },
            [t] if t.k == K::Ident && matches!(self.tx(t), b"false") => Some(false),
            [t] if t.k == K::Ident && matches!(self.tx(t), b"true") => Some(true),
            _ => None,
        }
    }
}
