//! A C/C++ lexer: comments, string/char literals (with escapes, prefixes, raw strings and
//! backslash continuations), numbers, identifiers, punctuation, preprocessor directive lines.
//! Linear time, never panics, never fails: malformed input is tokenized as well as it can be.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum K {
    Ident,
    Num,
    /// A string or character literal.
    Str,
    /// One punctuation byte.
    Punct(u8),
    /// A multi-byte operator: `==`, `->`, `&&`, `<<=`, ...
    Op,
    /// `#` starting a directive; the lexer then yields the directive's tokens up to [`K::Eol`].
    Hash,
    /// End of a directive line.
    Eol,
    /// Placeholder for a `{...}` body inside a file-scope statement (never produced by the lexer).
    Body,
    Eof,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Tok {
    pub k: K,
    pub s: u32,
    pub e: u32,
    pub line: u32,
    /// The token starts at column 0.
    pub col0: bool,
}

impl Tok {
    pub fn is(&self, c: u8) -> bool {
        self.k == K::Punct(c)
    }
}

pub(crate) struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
    pub line: u32,
    /// Only whitespace since the start of the line.
    line_start: bool,
    line_start_pos: usize,
    in_directive: bool,
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80
}

fn is_ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

impl<'a> Lexer<'a> {
    pub fn new(b: &'a [u8]) -> Self {
        // Offsets are u32: larger inputs are cut (the snapshot limits files to a few MiB anyway).
        let b = &b[..b.len().min(u32::MAX as usize - 1)];
        Lexer { b, i: 0, line: 1, line_start: true, line_start_pos: 0, in_directive: false }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    /// Length of a backslash-newline splice at `i` (0 if none).
    fn splice_len(&self, i: usize) -> usize {
        if self.at(i) != b'\\' {
            return 0;
        }
        match (self.at(i + 1), self.at(i + 2)) {
            (b'\n', _) => 2,
            (b'\r', b'\n') => 3,
            _ => 0,
        }
    }

    fn newline_at(&mut self, pos_after: usize) {
        self.line += 1;
        self.line_start = true;
        self.line_start_pos = pos_after;
    }

    pub fn next(&mut self) -> Tok {
        loop {
            let Some(&c) = self.b.get(self.i) else {
                if self.in_directive {
                    self.in_directive = false;
                    return self.tok(K::Eol, self.i, self.line, false);
                }
                return self.tok(K::Eof, self.i, self.line, false);
            };
            match c {
                b'\n' => {
                    let line = self.line;
                    self.i += 1;
                    self.newline_at(self.i);
                    if self.in_directive {
                        self.in_directive = false;
                        return Tok { k: K::Eol, s: (self.i - 1) as u32, e: (self.i - 1) as u32, line, col0: false };
                    }
                    continue;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                    self.i += 1;
                    continue;
                }
                b'\\' => {
                    let n = self.splice_len(self.i);
                    if n > 0 {
                        self.i += n;
                        self.line += 1;
                        continue;
                    }
                }
                b'/' if self.at(self.i + 1) == b'/' => {
                    self.skip_line_comment();
                    continue;
                }
                b'/' if self.at(self.i + 1) == b'*' => {
                    self.skip_block_comment();
                    continue;
                }
                b'#' if self.line_start && !self.in_directive => {
                    let s = self.i;
                    let col0 = s == self.line_start_pos;
                    self.i += 1;
                    self.line_start = false;
                    self.in_directive = true;
                    return self.tok(K::Hash, s, self.line, col0);
                }
                _ => {}
            }
            let s = self.i;
            let line = self.line;
            let col0 = s == self.line_start_pos;
            self.line_start = false;
            if is_ident_start(c) {
                let mut j = s + 1;
                while j < self.b.len() && is_ident_char(self.b[j]) {
                    j += 1;
                }
                self.i = j;
                let word = &self.b[s..j];
                let q = self.at(j);
                if q == b'"' || q == b'\'' {
                    match word {
                        b"R" | b"LR" | b"uR" | b"UR" | b"u8R" if q == b'"' => {
                            self.skip_raw_string();
                            return self.tok(K::Str, s, line, col0);
                        }
                        b"L" | b"u" | b"U" | b"u8" => {
                            self.skip_quoted(q);
                            return self.tok(K::Str, s, line, col0);
                        }
                        _ => {}
                    }
                }
                return self.tok(K::Ident, s, line, col0);
            }
            if c.is_ascii_digit() || (c == b'.' && self.at(s + 1).is_ascii_digit()) {
                let mut j = s + 1;
                loop {
                    let d = self.at(j);
                    let exponent_sign = (d == b'+' || d == b'-') && matches!(self.at(j - 1), b'e' | b'E' | b'p' | b'P');
                    if d.is_ascii_alphanumeric() || d == b'_' || d == b'.' || exponent_sign {
                        j += 1;
                    } else if d == b'\'' && self.at(j + 1).is_ascii_alphanumeric() {
                        // C++14 digit separator
                        j += 1;
                    } else {
                        break;
                    }
                }
                self.i = j;
                return self.tok(K::Num, s, line, col0);
            }
            if c == b'"' || c == b'\'' {
                self.skip_quoted(c);
                return self.tok(K::Str, s, line, col0);
            }
            let n = self.at(s + 1);
            let len = match (c, n) {
                (b'-', b'>') | (b'+', b'+') | (b'-', b'-') | (b'&', b'&') | (b'|', b'|') | (b':', b':') => 2,
                (b'<', b'<') | (b'>', b'>') => {
                    if self.at(s + 2) == b'=' {
                        3
                    } else {
                        2
                    }
                }
                (b'=' | b'!' | b'<' | b'>' | b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^', b'=') => 2,
                _ => 1,
            };
            self.i = s + len;
            if len == 1 {
                return self.tok(K::Punct(c), s, line, col0);
            }
            return self.tok(K::Op, s, line, col0);
        }
    }

    fn tok(&self, k: K, s: usize, line: u32, col0: bool) -> Tok {
        Tok { k, s: s as u32, e: self.i as u32, line, col0 }
    }

    /// `// ...` up to (not including) the newline; a backslash-newline continues the comment.
    fn skip_line_comment(&mut self) {
        let mut i = self.i + 2;
        loop {
            match memchr::memchr(b'\n', &self.b[i.min(self.b.len())..]) {
                None => {
                    self.i = self.b.len();
                    return;
                }
                Some(off) => {
                    let nl = i + off;
                    let mut k = nl;
                    if k > 0 && self.b[k - 1] == b'\r' {
                        k -= 1;
                    }
                    if k > 0 && self.b[k - 1] == b'\\' {
                        self.line += 1;
                        i = nl + 1;
                        continue;
                    }
                    self.i = nl;
                    return;
                }
            }
        }
    }

    fn skip_block_comment(&mut self) {
        let start = self.i + 2;
        let rest = &self.b[start.min(self.b.len())..];
        let end = memchr::memmem::find(rest, b"*/").map_or(self.b.len(), |p| start + p + 2);
        let body = &self.b[start.min(end)..end];
        let nls = memchr::memchr_iter(b'\n', body).count() as u32;
        if nls > 0 {
            self.line += nls;
            // A comment is one space: a `#` after it starts a directive only if the comment did.
            if let Some(p) = memchr::memrchr(b'\n', body) {
                self.line_start_pos = start + p + 1;
            }
        }
        self.i = end;
    }

    /// A "..." or '...' literal; stops before an unescaped newline (unterminated literal).
    fn skip_quoted(&mut self, q: u8) {
        let mut i = self.i + 1;
        while i < self.b.len() {
            match memchr::memchr3(q, b'\\', b'\n', &self.b[i..]) {
                None => {
                    i = self.b.len();
                    break;
                }
                Some(off) => {
                    let p = i + off;
                    let c = self.b[p];
                    if c == q {
                        i = p + 1;
                        break;
                    }
                    if c == b'\n' {
                        i = p;
                        break;
                    }
                    // backslash: escape or continuation
                    let n = self.splice_len(p);
                    if n > 0 {
                        self.line += 1;
                        i = p + n;
                    } else {
                        i = p + 2;
                    }
                }
            }
        }
        self.i = i.min(self.b.len());
    }

    /// R"delim( ... )delim"; self.i is at the opening quote.
    fn skip_raw_string(&mut self) {
        let open = self.i;
        let mut j = open + 1;
        while j < self.b.len() && j - open <= 17 && self.b[j] != b'(' {
            let c = self.b[j];
            if c == b')' || c == b'\\' || c.is_ascii_whitespace() || c == b'"' {
                break;
            }
            j += 1;
        }
        if self.at(j) != b'(' {
            self.skip_quoted(b'"');
            return;
        }
        let mut close = Vec::with_capacity(j - open + 1);
        close.push(b')');
        close.extend_from_slice(&self.b[open + 1..j]);
        close.push(b'"');
        let body_start = j + 1;
        let end = memchr::memmem::find(&self.b[body_start..], &close).map_or(self.b.len(), |p| body_start + p + close.len());
        self.line += memchr::memchr_iter(b'\n', &self.b[body_start..end]).count() as u32;
        self.i = end;
    }

    /// Skip the lines of a dead `#if 0` group up to (not including) the `#else`, `#elif*` or
    /// `#endif` that ends it at nesting level 0. Comments and literals are not interpreted:
    /// dead groups often hold prose with apostrophes.
    pub fn skip_dead_group(&mut self) {
        let mut depth = 0u32;
        loop {
            if self.i >= self.b.len() {
                return;
            }
            let begin = self.i;
            let mut j = begin;
            while j < self.b.len() && (self.b[j] == b' ' || self.b[j] == b'\t') {
                j += 1;
            }
            if self.at(j) == b'#' {
                j += 1;
                while j < self.b.len() && (self.b[j] == b' ' || self.b[j] == b'\t') {
                    j += 1;
                }
                let ws = j;
                while j < self.b.len() && self.b[j].is_ascii_alphabetic() {
                    j += 1;
                }
                match &self.b[ws..j] {
                    b"if" | b"ifdef" | b"ifndef" => depth += 1,
                    b"endif" if depth > 0 => depth -= 1,
                    b"endif" | b"else" | b"elif" | b"elifdef" | b"elifndef" if depth == 0 => {
                        self.i = begin;
                        self.line_start = true;
                        self.line_start_pos = begin;
                        return;
                    }
                    _ => {}
                }
            }
            // To the next line, following backslash continuations.
            let mut k = j;
            loop {
                match memchr::memchr(b'\n', &self.b[k.min(self.b.len())..]) {
                    None => {
                        self.i = self.b.len();
                        return;
                    }
                    Some(off) => {
                        let nl = k + off;
                        self.line += 1;
                        let mut q = nl;
                        if q > 0 && self.b[q - 1] == b'\r' {
                            q -= 1;
                        }
                        if q > begin && self.b[q - 1] == b'\\' {
                            k = nl + 1;
                            continue;
                        }
                        self.i = nl + 1;
                        break;
                    }
                }
            }
            self.line_start = true;
            self.line_start_pos = self.i;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<(K, String, u32)> {
        let mut l = Lexer::new(src.as_bytes());
        let mut out = Vec::new();
        loop {
            let t = l.next();
            if t.k == K::Eof {
                break;
            }
            out.push((t.k, src[t.s as usize..t.e as usize].to_string(), t.line));
        }
        out
    }

    #[test]
    fn comments_strings_and_lines() {
        let t = toks("a /* x\n y */ b // c \\\n d\ne \"s\\\"t\\\nr\" 'c' '\\'' f");
        let words: Vec<&str> = t.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(words, ["a", "b", "e", "\"s\\\"t\\\nr\"", "'c'", "'\\''", "f"]);
        assert_eq!(t[1].2, 2);
        assert_eq!(t[2].2, 4);
        assert_eq!(t[6].2, 5);
    }

    #[test]
    fn directives_end_at_unescaped_newline() {
        let t = toks("#define X(a) \\\n  (a + 1) /* c\n */ + 2\nint y;\n  # if 0\n");
        let kinds: Vec<K> = t.iter().map(|x| x.0).collect();
        assert_eq!(kinds[0], K::Hash);
        let eol = kinds.iter().position(|k| *k == K::Eol).unwrap_or(0);
        assert_eq!(t[eol - 1].1, "2");
        assert_eq!(t[eol + 1].1, "int");
        assert_eq!(t[eol + 1].2, 4);
        assert_eq!(t[eol + 4].0, K::Hash);
    }

    #[test]
    fn raw_strings_prefixes_operators() {
        let t = toks("R\"x(a\"b\n)\"c)x\" u8\"z\" L'w' a->b x<<=2 1'000 1e+5");
        let words: Vec<&str> = t.iter().map(|x| x.1.as_str()).collect();
        assert_eq!(words, ["R\"x(a\"b\n)\"c)x\"", "u8\"z\"", "L'w'", "a", "->", "b", "x", "<<=", "2", "1'000", "1e+5"]);
        assert_eq!(t[1].2, 2);
    }

    #[test]
    fn unterminated_literals_stop_at_newline() {
        let t = toks("x = 'don't\ny;\n\"open\nz");
        assert!(t.iter().any(|x| x.1 == "y" && x.2 == 2));
        assert!(t.iter().any(|x| x.1 == "z" && x.2 == 4));
    }

    #[test]
    fn dead_groups() {
        let src = "#if 0\nit's \"not\n#if X\n#else\n#endif\ncode\n#else\nlive\n#endif\n";
        let mut l = Lexer::new(src.as_bytes());
        let mut n = 0;
        loop {
            let t = l.next();
            if t.k == K::Eol {
                break;
            }
            n += 1;
        }
        assert_eq!(n, 3);
        l.skip_dead_group();
        assert_eq!(l.line, 7);
        let t = l.next();
        assert_eq!((t.k, t.line), (K::Hash, 7));
    }
}
