//! Static analysis of Jinja chat templates (`chat_template` in tokenizer_config.json and
//! chat_template.json, `tokenizer.chat_template*` in GGUF metadata).
//!
//! Templates are parsed with minijinja's parser and judged on the syntax tree; nothing is ever
//! rendered. A small abstract interpreter follows the strings a template can build (`~`, `+`,
//! `%`, `|format`, `|join`, `|replace`, `|reverse`, slicing, `{% set %}`, namespace attributes,
//! macro arguments), so an attribute name assembled at render time is judged like a literal one,
//! and a name it cannot pin down is reported as dynamic. String literals are decoded the way
//! Jinja2 (Python) decodes them, not the way minijinja does, because Python is what renders
//! them: `'\x5f\x5fclass\x5f\x5f'` and `'\U0000005f...'` are `__class__` there.

use minijinja::machinery::{ast, parse, tokenize, Span, Token};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::{Value, ValueKind};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use vouch_report::rules::{Rule, TPL_DYNAMIC_NAME, TPL_GLOBAL_OBJECT, TPL_MALFORMED, TPL_SANDBOX_ESCAPE};
use vouch_report::{Finding, Location, Severity};

/// Templates larger than this are only token-scanned: real chat templates are tens of KiB.
const MAX_PARSE_BYTES: usize = 2 << 20;
/// Beyond this even the token scan stops; the rest is reported as not analysed.
const MAX_SCAN_BYTES: usize = 16 << 20;
/// minijinja builds postfix and binary-operator chains iteratively but drops and walks them
/// recursively, so the depth of one expression is bounded by refusing long blocks up front.
const MAX_BLOCK_TOKENS: usize = 1000;
/// Abstract strings longer than this are widened: names are short, payload text is not a name.
const MAX_STR: usize = 4096;
const MAX_LIST: usize = 64;
const MAX_CHOICES: usize = 16;
const MAX_VALUE_DEPTH: usize = 3;
/// Work beyond the single linear walk (macro re-analysis, loop pre-passes) stops here.
const EXTRA_FUEL: u64 = 2_000_000;
const MAX_MACRO_DEPTH: usize = 4;
const MAX_PREPASS_LOOP_DEPTH: usize = 3;
const MAX_FINDINGS: usize = 200;
const MAX_EVIDENCE: usize = 160;

/// Objects a template reaches without being given them. Real chat templates call some of them
/// (`namespace(...)`, `range(...)`, `raise_exception(...)`) but never touch their attributes.
const GLOBAL_OBJECTS: &[&str] = &[
    "cycler",
    "joiner",
    "namespace",
    "lipsum",
    "range",
    "dict",
    "self",
    "config",
    "request",
    "session",
    "g",
    "url_for",
    "get_flashed_messages",
    "raise_exception",
    "strftime_now",
];

/// Attribute names without leading underscores that still lead from an ordinary object to
/// frames, code or module globals.
const DANGEROUS_PLAIN_NAMES: &[&str] = &[
    "gi_frame",
    "gi_code",
    "gi_yieldfrom",
    "cr_frame",
    "cr_code",
    "cr_await",
    "ag_frame",
    "ag_code",
    "f_globals",
    "f_locals",
    "f_builtins",
    "f_back",
    "f_code",
    "tb_frame",
    "tb_next",
    "func_globals",
    "func_code",
    "co_code",
    "mro",
    "im_func",
    "im_class",
    "im_self",
];

/// Filters whose `attribute=` (or first positional) argument names an attribute that Jinja looks
/// up with getattr on every item.
const ATTRIBUTE_FILTERS: &[&str] = &["map", "selectattr", "rejectattr", "groupby", "sort", "unique", "min", "max", "sum", "join"];

/// The parser and the analysis recurse as deep as an expression nests (bounded by
/// `MAX_BLOCK_TOKENS`), and unoptimised builds use several KiB per level; the analysis runs on
/// its own thread whose stack covers the worst case many times over. The stack is reserved, not
/// committed, so it costs address space only.
pub const ANALYSIS_STACK: usize = 64 << 20;

thread_local! {
    static BIG_STACK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Declares that the calling thread was started with at least [`ANALYSIS_STACK`] bytes of
/// stack, so templates are analysed on it directly instead of on a thread of their own.
pub fn mark_big_stack_thread() {
    BIG_STACK.with(|b| b.set(true));
}

/// Analyses one chat template. Line numbers are 1-based lines of `text`.
pub fn analyse_template(text: &str) -> Vec<Finding> {
    let internal =
        |why: &str| vec![Finding::new(&TPL_MALFORMED, format!("template analysis failed ({why}); the template was not analysed"))];
    match on_analysis_stack(|| analyse_here(text)) {
        Some(Ok(findings)) => findings,
        Some(Err(_)) => internal("internal error"),
        None => internal("could not start the analysis thread"),
    }
}

fn on_analysis_stack<T: Send>(f: impl FnOnce() -> T + Send) -> Option<std::thread::Result<T>> {
    if BIG_STACK.with(|b| b.get()) {
        return Some(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    }
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new().name("vouch-template".into()).stack_size(ANALYSIS_STACK).spawn_scoped(scope, f).ok()?;
        Some(handle.join())
    })
}

fn analyse_here(text: &str) -> Vec<Finding> {
    let mut a = Analyser::new(text);
    if text.len() > MAX_PARSE_BYTES {
        a.malformed(
            format!("template is {} bytes, more than the {} analysed in full; only its tokens were checked", text.len(), MAX_PARSE_BYTES),
            0,
        );
        token_scan(text, &mut a);
        return a.finish();
    }
    let prepared = neutralise_extension_tags(text);
    if let Some((offset, n)) = overlong_block(&prepared) {
        a.malformed(format!("a template block holds more than {MAX_BLOCK_TOKENS} tokens ({n} counted), too many to analyse; only its tokens were checked"), offset);
        token_scan(text, &mut a);
        return a.finish();
    }
    match parse(&prepared, "chat_template", SyntaxConfig::default()) {
        Ok(tree) => {
            a.collect_blocks(&tree);
            a.exec(&tree);
            return a.finish();
        }
        Err(e) => {
            let offset = e.line().and_then(|l| a.line_starts.get(l.saturating_sub(1)).copied()).unwrap_or(0);
            a.malformed(format!("template does not parse: {}", e.detail().unwrap_or("syntax error")), offset);
            token_scan(text, &mut a);
        }
    }
    a.finish()
}

/// Chat templates found in a tokenizer_config.json or chat_template.json text: `chat_template` as
/// a string, or as a list of `{"name", "template"}` objects (named templates).
pub fn templates_in_json(text: &str) -> Vec<(String, String)> {
    let Ok(doc) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    match doc.get("chat_template") {
        Some(serde_json::Value::String(s)) => out.push(("chat_template".to_string(), s.clone())),
        Some(serde_json::Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let Some(template) = item.get("template").and_then(|t| t.as_str()) else { continue };
                let name = item.get("name").and_then(|n| n.as_str()).map(str::to_string).unwrap_or_else(|| i.to_string());
                out.push((format!("chat_template[{name}]"), template.to_string()));
            }
        }
        Some(serde_json::Value::Object(map)) => {
            // Some exporters write named templates as an object keyed by name.
            for (name, t) in map {
                if let Some(template) = t.as_str() {
                    out.push((format!("chat_template[{name}]"), template.to_string()));
                }
            }
        }
        _ => {}
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Names

#[derive(Clone, Copy, PartialEq, Eq)]
enum NameKind {
    /// `x.name`, `|attr(name)`, attribute filters: always getattr.
    Attr,
    /// `x[name]`, `.get(name)`: Jinja falls back to getattr for string keys.
    Item,
}

enum Danger {
    Dunder,
    Mangled,
    Frame,
    Private,
}

fn danger(name: &str) -> Option<Danger> {
    let n = name.trim();
    if n.len() > 4 && n.starts_with("__") && n.ends_with("__") {
        Some(Danger::Dunder)
    } else if n.starts_with('_') && n.len() > 1 && n[1..].contains("__") {
        // `_TemplateReference__context`: a name-mangled private attribute.
        Some(Danger::Mangled)
    } else if n == "__" || n.starts_with("__") {
        Some(Danger::Dunder)
    } else if DANGEROUS_PLAIN_NAMES.contains(&n) {
        Some(Danger::Frame)
    } else if n.starts_with('_') {
        Some(Danger::Private)
    } else {
        None
    }
}

/// A name built at render time is only harmless when its known prefix rules out every dangerous
/// name.
fn prefix_may_be_dangerous(prefix: &str) -> bool {
    let p = prefix.trim_start();
    p.is_empty() || p.starts_with('_') || DANGEROUS_PLAIN_NAMES.iter().any(|d| d.starts_with(p))
}

// ---------------------------------------------------------------------------------------------
// Abstract values

type Pairs = Rc<Vec<(Val, Val)>>;

/// What the analysis knows about a value at render time.
#[derive(Clone, Debug, PartialEq)]
enum Val {
    Str(Rc<str>),
    Int(i64),
    Bool(bool),
    None,
    List(Rc<Vec<Val>>),
    Dict(Pairs),
    /// A global object (`lipsum`, `cycler`, `self`, ...) or something read from one.
    Global(&'static str),
    /// The object made by one `namespace(...)` call site.
    Namespace(u32),
    /// Not known. `built` means string operations made it, so it may be any text, including a
    /// name spelled to evade inspection; `prefix` is its known start.
    Unknown {
        built: bool,
        prefix: Rc<str>,
    },
    /// One of these (branches, loop items, weak updates).
    Choice(Rc<Vec<Val>>),
}

fn plain() -> Val {
    Val::Unknown { built: false, prefix: Rc::from("") }
}

fn built(prefix: &str) -> Val {
    let p: String = prefix.chars().take(64).collect();
    Val::Unknown { built: true, prefix: Rc::from(p.as_str()) }
}

fn s(v: impl AsRef<str>) -> Val {
    let v = v.as_ref();
    if v.chars().count() > MAX_STR {
        return built(v);
    }
    Val::Str(Rc::from(v))
}

impl Val {
    fn alternatives(&self) -> Vec<&Val> {
        match self {
            Val::Choice(c) => c.iter().collect(),
            v => vec![v],
        }
    }

    /// True when the value may be text produced by string operations, i.e. a possible name.
    fn stringish(&self) -> bool {
        match self {
            Val::Str(_) => true,
            Val::Unknown { built, .. } => *built,
            Val::Choice(c) => c.iter().any(Val::stringish),
            _ => false,
        }
    }

    /// The text `str(value)` gives, when known. Containers and objects render as reprs, which
    /// the analysis does not reproduce.
    fn text(&self) -> Option<Cow<'_, str>> {
        match self {
            Val::Str(s) => Some(Cow::Borrowed(&**s)),
            Val::Int(i) => Some(Cow::Owned(i.to_string())),
            Val::Bool(true) => Some(Cow::Borrowed("True")),
            Val::Bool(false) => Some(Cow::Borrowed("False")),
            Val::None => Some(Cow::Borrowed("None")),
            _ => None,
        }
    }

    /// The known start of `str(value)` when the whole text is not known.
    fn text_prefix(&self) -> Cow<'_, str> {
        match self {
            Val::Unknown { built: true, prefix } => Cow::Borrowed(&**prefix),
            Val::List(_) => Cow::Borrowed("["),
            Val::Dict(_) => Cow::Borrowed("{"),
            Val::Global(_) => Cow::Borrowed("<"),
            Val::Namespace(_) => Cow::Borrowed("<Namespace"),
            v => v.text().unwrap_or(Cow::Borrowed("")),
        }
    }

    fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            Val::Bool(b) => Some(*b as i64),
            _ => None,
        }
    }

    fn depth(&self) -> usize {
        match self {
            Val::List(v) | Val::Choice(v) => 1 + v.iter().map(Val::depth).max().unwrap_or(0),
            Val::Dict(v) => 1 + v.iter().map(|(k, x)| k.depth().max(x.depth())).max().unwrap_or(0),
            _ => 0,
        }
    }

    fn globals(&self) -> Vec<&'static str> {
        self.alternatives().into_iter().filter_map(|v| if let Val::Global(g) = v { Some(*g) } else { None }).collect()
    }
}

/// The widened form of values the analysis stops tracking exactly.
fn widen(vals: &[Val]) -> Val {
    let risky = vals.iter().any(|v| match v {
        Val::Str(s) => danger(s).is_some(),
        Val::Unknown { built: true, prefix } => prefix_may_be_dangerous(prefix),
        Val::Choice(_) | Val::List(_) | Val::Dict(_) => v.stringish(),
        _ => false,
    });
    // Harmless constants and harmless built strings widen to a plain unknown: no name they
    // spell can be dangerous.
    if risky {
        built("")
    } else {
        plain()
    }
}

fn choice(vals: Vec<Val>) -> Val {
    let mut out: Vec<Val> = Vec::new();
    for v in vals {
        match v {
            Val::Choice(c) => {
                for x in c.iter() {
                    if !out.contains(x) {
                        out.push(x.clone());
                    }
                }
            }
            v => {
                if !out.contains(&v) {
                    out.push(v);
                }
            }
        }
    }
    match out.len() {
        0 => plain(),
        1 => out.pop().unwrap_or_else(plain),
        n if n > MAX_CHOICES => widen(&out),
        _ => Val::Choice(Rc::new(out)),
    }
}

fn list(items: Vec<Val>) -> Val {
    if items.len() > MAX_LIST {
        return widen(&items);
    }
    let v = Val::List(Rc::new(items));
    if v.depth() > MAX_VALUE_DEPTH {
        return widen(&[v]);
    }
    v
}

fn dict(items: Vec<(Val, Val)>) -> Val {
    if items.len() > MAX_LIST {
        let keys: Vec<Val> = items.into_iter().map(|(k, _)| k).collect();
        return widen(&keys);
    }
    let v = Val::Dict(Rc::new(items));
    if v.depth() > MAX_VALUE_DEPTH {
        return widen(&[v]);
    }
    v
}

/// `str(a) + str(b)` as far as it is known.
fn concat(a: &Val, b: &Val) -> Val {
    if let (Val::Choice(_), _) | (_, Val::Choice(_)) = (a, b) {
        let xs = a.alternatives();
        let ys = b.alternatives();
        if xs.len() * ys.len() > MAX_CHOICES {
            return built(&common_prefix(xs.iter().map(|x| x.text_prefix())));
        }
        let mut out = Vec::new();
        for x in &xs {
            for y in &ys {
                out.push(concat(x, y));
            }
        }
        return choice(out);
    }
    match (a.text(), b.text()) {
        (Some(x), Some(y)) => s(format!("{x}{y}")),
        (Some(x), None) => built(&format!("{x}{}", b.text_prefix())),
        (None, _) => built(&a.text_prefix()),
    }
}

fn common_prefix<'a>(mut items: impl Iterator<Item = Cow<'a, str>>) -> String {
    let Some(first) = items.next() else { return String::new() };
    let mut p: String = first.into_owned();
    for it in items {
        let n = p.chars().zip(it.chars()).take_while(|(a, b)| a == b).count();
        p = p.chars().take(n).collect();
    }
    p
}

/// Applies a text-to-text function when the text is known; widens otherwise.
fn map_text(v: &Val, f: &dyn Fn(&str) -> Option<String>) -> Val {
    match v {
        Val::Choice(c) => choice(c.iter().map(|x| map_text(x, f)).collect()),
        _ => match v.text() {
            Some(t) => match f(&t) {
                Some(r) => s(r),
                None => built(""),
            },
            None if v.stringish() => built(""),
            None => plain(),
        },
    }
}

fn py_title(t: &str) -> String {
    let mut out = String::new();
    let mut prev_cased = false;
    for c in t.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

fn py_capitalize(t: &str) -> String {
    let mut cs = t.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs.flat_map(char::to_lowercase)).collect(),
        None => String::new(),
    }
}

fn py_swapcase(t: &str) -> String {
    t.chars()
        .flat_map(|c| if c.is_uppercase() { c.to_lowercase().collect::<Vec<_>>() } else { c.to_uppercase().collect::<Vec<_>>() })
        .collect()
}

fn pad(t: &str, width: usize, fill: char, align: char) -> Option<String> {
    let n = t.chars().count();
    if width > MAX_STR {
        return None;
    }
    if width <= n {
        return Some(t.to_string());
    }
    let total = width - n;
    let (left, right) = match align {
        '<' => (0, total),
        '>' => (total, 0),
        // format()'s `^` puts the odd fill character on the right ...
        'C' => (total / 2, total - total / 2),
        // ... str.center() on the left when the width is odd.
        _ => {
            let left = total / 2 + (total & width & 1);
            (left, total - left)
        }
    };
    let mut out = String::new();
    out.extend(std::iter::repeat_n(fill, left));
    out.push_str(t);
    out.extend(std::iter::repeat_n(fill, right));
    Some(out)
}

fn py_index(len: usize, i: i64) -> Option<usize> {
    let len = len as i64;
    let j = if i < 0 { len + i } else { i };
    (0..len).contains(&j).then_some(j as usize)
}

/// Python slice semantics over `len` items.
fn py_slice(len: usize, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> Option<Vec<usize>> {
    let len = len as i64;
    let step = step.unwrap_or(1);
    if step == 0 {
        return None;
    }
    let clamp = |v: i64, lo: i64, hi: i64| v.max(lo).min(hi);
    let norm = |v: i64| if v < 0 { v + len } else { v };
    let mut out = Vec::new();
    if step > 0 {
        let a = clamp(start.map(norm).unwrap_or(0), 0, len);
        let b = clamp(stop.map(norm).unwrap_or(len), 0, len);
        let mut i = a;
        while i < b {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    } else {
        let a = clamp(start.map(norm).unwrap_or(len - 1), -1, len - 1);
        let b = clamp(stop.map(norm).unwrap_or(-1), -1, len - 1);
        let mut i = a;
        while i > b {
            out.push(i as usize);
            i = i.saturating_add(step);
        }
    }
    Some(out)
}

fn py_repr(t: &str) -> String {
    let quote = if t.contains('\'') && !t.contains('"') { '"' } else { '\'' };
    let mut out = String::new();
    out.push(quote);
    for c in t.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Python's `fmt % args`, as far as the arguments are known.
fn printf(fmt: &str, args: &Val) -> Val {
    let (positional, mapping): (Vec<Val>, Option<Pairs>) = match args {
        Val::List(v) => (v.to_vec(), None),
        Val::Dict(m) => (Vec::new(), Some(m.clone())),
        Val::Choice(_) | Val::Unknown { .. } | Val::Global(_) | Val::Namespace(_) => {
            let prefix: String = fmt.split('%').next().unwrap_or("").to_string();
            return built(&prefix);
        }
        other => (vec![other.clone()], None),
    };
    let mut out = String::new();
    let mut next = 0usize;
    let mut cs = fmt.chars().peekable();
    let mut take = |key: Option<&str>| -> Option<Val> {
        match key {
            Some(k) => mapping.as_ref().and_then(|m| m.iter().find(|(mk, _)| mk.text().as_deref() == Some(k)).map(|(_, v)| v.clone())),
            None => {
                let v = positional.get(next).cloned();
                next += 1;
                v
            }
        }
    };
    while let Some(c) = cs.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut key = None;
        if cs.peek() == Some(&'(') {
            cs.next();
            let k: String = cs.by_ref().take_while(|&c| c != ')').collect();
            key = Some(k);
        }
        let mut left = false;
        let mut zero = false;
        while let Some(&f) = cs.peek() {
            match f {
                '-' => left = true,
                '0' => zero = true,
                '+' | ' ' | '#' => {}
                _ => break,
            }
            cs.next();
        }
        let mut width = 0usize;
        if cs.peek() == Some(&'*') {
            cs.next();
            width = take(None).and_then(|v| v.as_int()).unwrap_or(0).clamp(0, MAX_STR as i64) as usize;
        }
        while let Some(d) = cs.peek().and_then(|c| c.to_digit(10)) {
            width = (width * 10 + d as usize).min(MAX_STR + 1);
            cs.next();
        }
        let mut precision = None;
        if cs.peek() == Some(&'.') {
            cs.next();
            let mut p = 0usize;
            while let Some(d) = cs.peek().and_then(|c| c.to_digit(10)) {
                p = (p * 10 + d as usize).min(MAX_STR + 1);
                cs.next();
            }
            precision = Some(p);
        }
        while matches!(cs.peek(), Some('h' | 'l' | 'L')) {
            cs.next();
        }
        let Some(conv) = cs.next() else { return plain() };
        if conv == '%' {
            out.push('%');
            continue;
        }
        let Some(v) = take(key.as_deref()) else { return plain() };
        let piece = match conv {
            's' | 'r' | 'a' => match v.text() {
                Some(t) => {
                    let t = if conv == 's' || !matches!(v, Val::Str(_)) { t.into_owned() } else { py_repr(&t) };
                    match precision {
                        Some(p) => t.chars().take(p).collect(),
                        None => t,
                    }
                }
                None => {
                    out.push_str(&v.text_prefix());
                    return built(&out);
                }
            },
            'c' => match &v {
                Val::Int(i) => match u32::try_from(*i).ok().and_then(char::from_u32) {
                    Some(ch) => ch.to_string(),
                    None => return plain(),
                },
                Val::Str(t) if t.chars().count() == 1 => t.to_string(),
                _ if v.stringish() || matches!(v, Val::Unknown { .. }) => return built(&out),
                _ => return plain(),
            },
            'd' | 'i' | 'u' | 'x' | 'X' | 'o' => match v.as_int() {
                Some(i) => match conv {
                    'x' => format!("{i:x}"),
                    'X' => format!("{i:X}"),
                    'o' => format!("{i:o}"),
                    _ => i.to_string(),
                },
                None if matches!(v, Val::Unknown { .. } | Val::Choice(_)) => return built(&out),
                None => return plain(),
            },
            _ => return built(&out),
        };
        let fill = if zero && !left && "diuxXo".contains(conv) { '0' } else { ' ' };
        match pad(&piece, width, fill, if left { '<' } else { '>' }) {
            Some(p) => out.push_str(&p),
            None => return built(&out),
        }
        if out.chars().count() > MAX_STR {
            return built(&out);
        }
    }
    s(out)
}

// ---------------------------------------------------------------------------------------------
// String literals as Python decodes them

enum Decoded {
    Known(String),
    /// An escape the analysis cannot resolve (`\N{...}` with a name it does not know).
    Partial(String),
    Invalid,
}

/// Decodes the source text of one or more adjacent string literals (`'a' "b"`).
fn decode_literals(raw: &str) -> Decoded {
    let mut out = String::new();
    let mut cs = raw.char_indices().peekable();
    let mut any = false;
    loop {
        while cs.peek().is_some_and(|(_, c)| c.is_whitespace()) {
            cs.next();
        }
        let Some((_, q)) = cs.next() else { break };
        if q != '\'' && q != '"' {
            return Decoded::Invalid;
        }
        any = true;
        let mut body = String::new();
        let mut closed = false;
        while let Some((_, c)) = cs.next() {
            if c == '\\' {
                body.push(c);
                if let Some((_, d)) = cs.next() {
                    body.push(d);
                }
            } else if c == q {
                closed = true;
                break;
            } else {
                body.push(c);
            }
        }
        if !closed {
            return Decoded::Invalid;
        }
        match decode_python_escapes(&body) {
            Decoded::Known(t) => out.push_str(&t),
            Decoded::Partial(t) => {
                out.push_str(&t);
                return Decoded::Partial(out);
            }
            Decoded::Invalid => return Decoded::Invalid,
        }
    }
    if any {
        Decoded::Known(out)
    } else {
        Decoded::Invalid
    }
}

/// Python's `unicode-escape` decoding, which Jinja2 applies to every string literal.
fn decode_python_escapes(body: &str) -> Decoded {
    let mut out = String::new();
    let cs: Vec<char> = body.chars().collect();
    let mut i = 0;
    let hex = |digits: &[char]| -> Option<u32> {
        if digits.iter().all(|c| c.is_ascii_hexdigit()) {
            u32::from_str_radix(&digits.iter().collect::<String>(), 16).ok()
        } else {
            None
        }
    };
    while i < cs.len() {
        let c = cs[i];
        if c != '\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let Some(&d) = cs.get(i + 1) else { return Decoded::Invalid };
        i += 2;
        match d {
            '\n' => {}
            '\\' | '\'' | '"' => out.push(d),
            'a' => out.push('\u{7}'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\u{b}'),
            '0'..='7' => {
                let mut v = d.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match cs.get(i).and_then(|c| c.to_digit(8)) {
                        Some(x) => {
                            v = v * 8 + x;
                            i += 1;
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'x' | 'u' | 'U' => {
                let n = match d {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let Some(v) = cs.get(i..i + n).and_then(hex) else { return Decoded::Invalid };
                i += n;
                if v > 0x10ffff {
                    return Decoded::Invalid;
                }
                // Lone surrogates exist in Python strings but not in Rust ones; they cannot be
                // part of an attribute name anyway.
                out.push(char::from_u32(v).unwrap_or('\u{fffd}'));
            }
            'N' => {
                if cs.get(i) != Some(&'{') {
                    return Decoded::Invalid;
                }
                let Some(end) = cs[i..].iter().position(|&c| c == '}') else { return Decoded::Invalid };
                let name: String = cs[i + 1..i + end].iter().collect();
                i += end + 1;
                match unicode_name(&name) {
                    Some(ch) => out.push(ch),
                    None => return Decoded::Partial(out),
                }
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Decoded::Known(out)
}

/// The few Unicode character names an ASCII attribute name can be spelled with.
fn unicode_name(name: &str) -> Option<char> {
    let n = name.trim().to_ascii_uppercase();
    let letter = |rest: &str, upper: bool| -> Option<char> {
        let mut cs = rest.chars();
        let c = cs.next()?;
        (cs.next().is_none() && c.is_ascii_uppercase()).then(|| if upper { c } else { c.to_ascii_lowercase() })
    };
    if let Some(rest) = n.strip_prefix("LATIN SMALL LETTER ") {
        return letter(rest, false);
    }
    if let Some(rest) = n.strip_prefix("LATIN CAPITAL LETTER ") {
        return letter(rest, true);
    }
    const DIGITS: [&str; 10] = ["ZERO", "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE"];
    if let Some(rest) = n.strip_prefix("DIGIT ") {
        return DIGITS.iter().position(|d| *d == rest).and_then(|i| char::from_digit(i as u32, 10));
    }
    match n.as_str() {
        "LOW LINE" => Some('_'),
        "FULL STOP" => Some('.'),
        "SPACE" => Some(' '),
        "HYPHEN-MINUS" => Some('-'),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Pre-parse checks on the token stream

/// Hugging Face renders with a `{% generation %}` extension minijinja does not know; the tags
/// only mark output, so they are blanked (keeping every offset and line) before parsing.
fn neutralise_extension_tags(text: &str) -> Cow<'_, str> {
    if !text.contains("generation") {
        return Cow::Borrowed(text);
    }
    let mut spans = Vec::new();
    let mut window: Vec<(bool, Option<&str>, Span)> = Vec::new();
    for tok in tokenize(text, false, SyntaxConfig::default()) {
        let Ok((tok, span)) = tok else { break };
        let entry = match tok {
            Token::BlockStart => (true, None, span),
            Token::Ident(name) => (false, Some(name), span),
            Token::BlockEnd => (false, Some("%}"), span),
            _ => (false, None, span),
        };
        window.push(entry);
        if window.len() > 3 {
            window.remove(0);
        }
        if let [(true, None, a), (false, Some("generation" | "endgeneration"), _), (false, Some("%}"), b)] = window.as_slice() {
            spans.push((a.start_offset as usize, b.end_offset as usize));
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for (a, b) in spans {
        if b <= a + 4 || b > bytes.len() {
            continue;
        }
        for byte in &mut bytes[a..b] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
        bytes[a] = b'{';
        bytes[a + 1] = b'#';
        bytes[b - 2] = b'#';
        bytes[b - 1] = b'}';
    }
    // Only ASCII bytes of whole tags were replaced, so the text stays UTF-8.
    match String::from_utf8(bytes) {
        Ok(t) => Cow::Owned(t),
        Err(_) => Cow::Borrowed(text),
    }
}

/// The first block with more tokens than the analysis walks safely: (offset, token count).
fn overlong_block(text: &str) -> Option<(usize, usize)> {
    let mut count = 0usize;
    let mut start = 0usize;
    for tok in tokenize(text, false, SyntaxConfig::default()) {
        let Ok((tok, span)) = tok else { return None };
        match tok {
            Token::VariableStart | Token::BlockStart => {
                count = 0;
                start = span.start_offset as usize;
            }
            Token::VariableEnd | Token::BlockEnd => count = 0,
            _ => {
                count += 1;
                if count > MAX_BLOCK_TOKENS {
                    return Some((start, count));
                }
            }
        }
    }
    None
}

/// Fallback for templates the parser cannot take: every identifier and string literal is still
/// checked, so an unparsable template is never waved through. minijinja rejects some syntax
/// Jinja2 accepts (a call right after a filter, `x|attr('a')()`), so this runs on templates
/// Python would render: literal concatenations are joined and any `|attr` argument that is not
/// one literal is reported.
fn token_scan(text: &str, a: &mut Analyser<'_, '_>) {
    let limit = text.len().min(MAX_SCAN_BYTES);
    if text.len() > MAX_SCAN_BYTES {
        a.malformed(format!("template is larger than {MAX_SCAN_BYTES} bytes; the rest was not checked"), MAX_SCAN_BYTES);
    }
    let mut base = 0usize;
    let mut restarts = 0;
    while base < limit {
        let slice = &text[base..];
        let mut last_end = 0usize;
        let (mut prev_dot, mut prev_pipe) = (false, false);
        let mut pending_global: Option<(&str, usize)> = None;
        // 0: nothing, 1: saw `|attr`, 2: saw `|attr(`, 3: saw `|attr('literal'`.
        let mut after_attr_filter = 0u8;
        let mut attr_at = 0usize;
        // The literal text of a `'a' ~ 'b' + 'c'` run, and whether an operator just extended it.
        let mut run: Option<String> = None;
        let mut run_open = false;
        let mut failed = false;
        for tok in tokenize(slice, false, SyntaxConfig::default()) {
            let (tok, span) = match tok {
                Ok(t) => t,
                Err(_) => {
                    failed = true;
                    break;
                }
            };
            let (start, end) = (span.start_offset as usize, span.end_offset as usize);
            if base + start >= limit {
                break;
            }
            last_end = end;
            if let Some((g, at)) = pending_global.take() {
                if matches!(tok, Token::Dot | Token::BracketOpen) {
                    a.report(
                        &TPL_GLOBAL_OBJECT,
                        format!("template reaches attributes of the `{g}` global"),
                        base + at,
                        format!("{g}{}", if matches!(tok, Token::Dot) { "." } else { "[" }),
                    );
                }
            }
            let dynamic_attr = |a: &mut Analyser<'_, '_>| {
                let evidence = slice.get(attr_at..end).unwrap_or("attr(").to_string();
                a.report(&TPL_DYNAMIC_NAME, "`|attr()` is given a computed attribute name".to_string(), base + start, evidence);
            };
            match (&tok, after_attr_filter) {
                (Token::ParenOpen, 1) => after_attr_filter = 2,
                (Token::Str(_) | Token::String(_), 2) => after_attr_filter = 3,
                (Token::ParenClose, 3) => after_attr_filter = 0,
                (Token::Ident(_), _) => {}
                (_, 2 | 3) => {
                    dynamic_attr(a);
                    after_attr_filter = 0;
                }
                _ => after_attr_filter = 0,
            }
            match &tok {
                Token::Str(_) | Token::String(_) => {}
                Token::Tilde | Token::Plus if run.is_some() => run_open = true,
                _ => {
                    run = None;
                    run_open = false;
                }
            }
            match &tok {
                Token::Ident(name) => {
                    let after_dot = prev_dot;
                    match danger(name) {
                        Some(Danger::Dunder | Danger::Mangled) => a.name_finding(name, NameKind::Attr, base + start, name),
                        Some(Danger::Frame | Danger::Private) if after_dot => a.name_finding(name, NameKind::Attr, base + start, name),
                        _ => {}
                    }
                    if !after_dot {
                        if let Some(g) = GLOBAL_OBJECTS.iter().find(|g| **g == *name) {
                            pending_global = Some((g, start));
                        }
                    }
                    if after_attr_filter >= 2 {
                        dynamic_attr(a);
                    }
                    after_attr_filter = if *name == "attr" && prev_pipe { 1 } else { 0 };
                    attr_at = start;
                }
                Token::Str(_) | Token::String(_) => {
                    let raw = slice.get(start..end).unwrap_or("");
                    if let Decoded::Known(t) | Decoded::Partial(t) = decode_literals(raw) {
                        let joined = match (run.take(), run_open) {
                            (Some(mut r), true) if r.len() < MAX_STR => {
                                r.push_str(&t);
                                r
                            }
                            _ => t,
                        };
                        if matches!(danger(&joined), Some(Danger::Dunder | Danger::Mangled)) {
                            a.name_finding(&joined, NameKind::Item, base + start, raw);
                        }
                        run = Some(joined);
                    }
                    run_open = false;
                }
                _ => {}
            }
            prev_dot = matches!(tok, Token::Dot);
            prev_pipe = matches!(tok, Token::Pipe);
        }
        if !failed {
            break;
        }
        // Skip past the token that stopped the lexer and resume at the next tag.
        restarts += 1;
        let mut from = base + last_end + 1;
        while from < limit && !text.is_char_boundary(from) {
            from += 1;
        }
        let next = text.get(from..limit).and_then(|rest| {
            let a = rest.find("{{");
            let b = rest.find("{%");
            match (a, b) {
                (Some(x), Some(y)) => Some(x.min(y)),
                (x, y) => x.or(y),
            }
        });
        match next {
            Some(off) if restarts < 100_000 => base = from + off,
            _ => break,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The analyser

struct MacroDef<'t, 's> {
    decl: &'t ast::Macro<'s>,
    /// What the body renders to with unknown arguments.
    output: Val,
}

struct Analyser<'t, 's> {
    text: &'s str,
    line_starts: Vec<usize>,
    findings: Vec<Finding>,
    seen: HashSet<(&'static str, u64, String)>,
    scopes: Vec<HashMap<&'s str, Val>>,
    ns_attrs: HashMap<(u32, String), Val>,
    macros: HashMap<&'s str, MacroDef<'t, 's>>,
    blocks: HashSet<&'s str>,
    /// >0 inside branches and loops: assignments there may or may not happen.
    weak: usize,
    loop_depth: usize,
    macro_depth: usize,
    /// >0 during pre-passes whose findings would be duplicates.
    silent: usize,
    steps: u64,
    /// Namespace attributes read while evaluating the current right-hand side.
    reads: Vec<(u32, String)>,
    fuel_note: bool,
}

/// Where a finding is: `offset` gives its line, `start..end` its evidence.
#[derive(Clone, Copy)]
struct At {
    offset: usize,
    start: usize,
    end: usize,
}

impl At {
    fn of(span: Span) -> At {
        At { offset: span.start_offset as usize, start: span.start_offset as usize, end: span.end_offset as usize }
    }

    /// A node inside an access chain (`a.b[c]|f(d).e`): the evidence starts at the chain's root
    /// so it reads as the expression the author wrote.
    fn chain(mut root: &ast::Expr<'_>, node: Span) -> At {
        loop {
            root = match root {
                ast::Expr::GetAttr(g) => &g.expr,
                ast::Expr::GetItem(g) => &g.expr,
                ast::Expr::Call(c) => &c.expr,
                ast::Expr::Slice(sl) => &sl.expr,
                ast::Expr::Test(t) => &t.expr,
                ast::Expr::Filter(f) => match &f.expr {
                    Some(e) => e,
                    None => break,
                },
                _ => break,
            };
        }
        let start = (root.span().start_offset as usize).min(node.start_offset as usize);
        At { offset: node.start_offset as usize, start, end: node.end_offset as usize }
    }
}

impl<'t, 's> Analyser<'t, 's> {
    fn new(text: &'s str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Analyser {
            text,
            line_starts,
            findings: Vec::new(),
            seen: HashSet::new(),
            scopes: vec![HashMap::new()],
            ns_attrs: HashMap::new(),
            macros: HashMap::new(),
            blocks: HashSet::new(),
            weak: 0,
            loop_depth: 0,
            macro_depth: 0,
            silent: 0,
            steps: 0,
            reads: Vec::new(),
            fuel_note: false,
        }
    }

    fn line_of(&self, offset: usize) -> u64 {
        self.line_starts.partition_point(|&s| s <= offset) as u64
    }

    fn snippet(&self, at: At) -> String {
        let raw = self.text.get(at.start..at.end.max(at.start)).unwrap_or("");
        let one_line: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = one_line.chars().count();
        if n > MAX_EVIDENCE {
            // The accessed name is at the end of the expression.
            let tail: String = one_line.chars().skip(n - MAX_EVIDENCE).collect();
            format!("…{tail}")
        } else {
            one_line
        }
    }

    fn report(&mut self, rule: &'static Rule, message: String, offset: usize, evidence: String) {
        self.report_sev(rule, rule.severity, message, offset, evidence);
    }

    fn report_sev(&mut self, rule: &'static Rule, severity: Severity, message: String, offset: usize, evidence: String) {
        if self.silent > 0 || self.findings.len() >= MAX_FINDINGS {
            return;
        }
        let line = self.line_of(offset);
        if !self.seen.insert((rule.code, line, evidence.clone())) {
            return;
        }
        let f = Finding::new(rule, message).severity(severity).at(Location { line: Some(line), ..Location::default() }).evidence(evidence);
        self.findings.push(f);
    }

    fn malformed(&mut self, message: String, offset: usize) {
        self.report(&TPL_MALFORMED, message, offset, String::new());
    }

    fn finish(mut self) -> Vec<Finding> {
        if self.fuel_note {
            self.malformed(
                "template is too complex to follow completely: values passed into macros and carried through loops were followed only in part".to_string(),
                0,
            );
        }
        self.findings.sort_by_key(|f| (f.location.line, std::cmp::Reverse(f.severity)));
        self.findings
    }

    /// Reports a name that reaches Python internals.
    fn name_finding(&mut self, name: &str, kind: NameKind, offset: usize, evidence: &str) {
        let shown: String = name.trim().chars().take(80).collect();
        match danger(name) {
            Some(Danger::Dunder) => self.report(
                &TPL_SANDBOX_ESCAPE,
                format!("template reaches the Python internal `{shown}`, a step towards code execution when it is rendered"),
                offset,
                evidence.to_string(),
            ),
            Some(Danger::Mangled) => self.report(
                &TPL_SANDBOX_ESCAPE,
                format!("template reads the name-mangled private attribute `{shown}` (interpreter state)"),
                offset,
                evidence.to_string(),
            ),
            Some(Danger::Frame) if kind == NameKind::Attr => self.report(
                &TPL_SANDBOX_ESCAPE,
                format!("template reads `{shown}`, which leads from an object to frames, code or module globals"),
                offset,
                evidence.to_string(),
            ),
            Some(Danger::Private) if kind == NameKind::Attr => self.report_sev(
                &TPL_SANDBOX_ESCAPE,
                Severity::Medium,
                format!("template reads the private attribute `{shown}`, which sandboxed renderers refuse"),
                offset,
                evidence.to_string(),
            ),
            _ => {}
        }
    }

    /// Judges the name of an attribute or item access.
    fn check_name(&mut self, name: &Val, kind: NameKind, strict: bool, at: At) {
        for alt in name.alternatives() {
            let dynamic = match alt {
                Val::Str(n) => {
                    if danger(n).is_some() {
                        let evidence = self.snippet(at);
                        self.name_finding(n, kind, at.offset, &evidence);
                    }
                    None
                }
                Val::Unknown { built: true, prefix } if prefix_may_be_dangerous(prefix) => {
                    Some("attribute or item name is assembled at render time and cannot be checked")
                }
                Val::Unknown { built: false, .. } | Val::Global(_) | Val::Namespace(_) | Val::List(_) | Val::Dict(_) if strict => {
                    Some("attribute name passed to a getattr-like filter is not a constant")
                }
                _ => None,
            };
            if let Some(message) = dynamic {
                let evidence = self.snippet(at);
                self.report(&TPL_DYNAMIC_NAME, message.to_string(), at.offset, evidence);
            }
        }
    }

    /// An attribute or item access on `base` with name `name`.
    fn access(&mut self, base: &Val, name: &Val, kind: NameKind, strict: bool, at: At) {
        for g in base.globals() {
            let allowed = g == "self" && name.alternatives().iter().all(|n| matches!(n, Val::Str(b) if self.blocks.contains(&**b)));
            if !allowed {
                let shown = name.text().map(|t| t.chars().take(60).collect::<String>()).unwrap_or_else(|| "…".to_string());
                let evidence = self.snippet(at);
                self.report(
                    &TPL_GLOBAL_OBJECT,
                    format!("template reaches `{g}.{shown}`: attributes of the `{g}` global lead to interpreter objects"),
                    at.offset,
                    evidence,
                );
            }
        }
        self.check_name(name, kind, strict, at);
    }

    fn extra_allowed(&mut self) -> bool {
        if self.steps < EXTRA_FUEL {
            return true;
        }
        self.fuel_note = true;
        false
    }

    // --- scopes -------------------------------------------------------------------------------

    fn lookup(&self, name: &str) -> Option<&Val> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn bind(&mut self, name: &'s str, v: Val) {
        let v = if self.weak > 0 {
            match self.lookup(name) {
                Some(old) => choice(vec![old.clone(), v]),
                None => choice(vec![plain(), v]),
            }
        } else {
            v
        };
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name, v);
        }
    }

    fn set_ns_attr(&mut self, id: u32, attr: &str, v: Val, self_ref: bool) {
        let key = (id, attr.to_string());
        let old = self.ns_attrs.get(&key).cloned();
        let v = if self.loop_depth > 0 && self_ref && old.as_ref() != Some(&v) {
            // Assigned from itself in a loop: the value grows each iteration.
            let prefix = old.as_ref().map(|o| o.text_prefix().into_owned()).unwrap_or_default();
            let grown = if v.stringish() || old.as_ref().is_some_and(Val::stringish) { built(&prefix) } else { plain() };
            choice(vec![old.clone().unwrap_or_else(plain), grown])
        } else if self.weak > 0 {
            choice(vec![old.unwrap_or_else(plain), v])
        } else {
            v
        };
        if self.ns_attrs.len() < 10_000 || self.ns_attrs.contains_key(&key) {
            self.ns_attrs.insert(key, v);
        }
    }

    fn assign(&mut self, target: &'t ast::Expr<'s>, v: Val, self_reads: &[(u32, String)]) {
        match target {
            ast::Expr::Var(var) => {
                if danger(var.id).is_some_and(|d| matches!(d, Danger::Dunder | Danger::Mangled)) {
                    self.name_finding(var.id, NameKind::Attr, At::of(var.span()).offset, var.id);
                }
                self.bind(var.id, v);
            }
            ast::Expr::GetAttr(ga) => {
                let at = At::chain(target, ga.span());
                let base = self.eval(&ga.expr);
                self.access(&base, &s(ga.name), NameKind::Attr, false, at);
                for alt in base.alternatives() {
                    if let Val::Namespace(id) = alt {
                        let self_ref = self_reads.iter().any(|(i, n)| i == id && n == ga.name);
                        self.set_ns_attr(*id, ga.name, v.clone(), self_ref);
                    }
                }
            }
            ast::Expr::Tuple(t) => self.assign_seq(&t.items, v, self_reads),
            ast::Expr::List(l) => self.assign_seq(&l.items, v, self_reads),
            other => {
                self.eval(other);
            }
        }
    }

    fn assign_seq(&mut self, targets: &'t [ast::Expr<'s>], v: Val, self_reads: &[(u32, String)]) {
        let items: Option<Vec<Val>> = match &v {
            Val::List(items) if items.len() == targets.len() => Some(items.to_vec()),
            Val::Str(t) if t.chars().count() == targets.len() => Some(t.chars().map(|c| s(c.to_string())).collect()),
            _ => None,
        };
        for (i, t) in targets.iter().enumerate() {
            let item = match &items {
                Some(items) => items[i].clone(),
                None => element_of(&v),
            };
            self.assign(t, item, self_reads);
        }
    }

    // --- statements ---------------------------------------------------------------------------

    fn collect_blocks(&mut self, stmt: &ast::Stmt<'s>) {
        let mut stack = vec![stmt];
        while let Some(st) = stack.pop() {
            let children: Vec<&Vec<ast::Stmt<'s>>> = match st {
                ast::Stmt::Template(t) => vec![&t.children],
                ast::Stmt::Block(b) => {
                    self.blocks.insert(b.name);
                    vec![&b.body]
                }
                ast::Stmt::ForLoop(f) => vec![&f.body, &f.else_body],
                ast::Stmt::IfCond(i) => vec![&i.true_body, &i.false_body],
                ast::Stmt::WithBlock(w) => vec![&w.body],
                ast::Stmt::SetBlock(sb) => vec![&sb.body],
                ast::Stmt::AutoEscape(ae) => vec![&ae.body],
                ast::Stmt::FilterBlock(fb) => vec![&fb.body],
                ast::Stmt::Macro(m) => vec![&m.body],
                _ => vec![],
            };
            for c in children {
                stack.extend(c.iter());
            }
        }
    }

    fn exec_body(&mut self, body: &'t [ast::Stmt<'s>]) {
        for st in body {
            self.exec(st);
        }
    }

    fn exec(&mut self, stmt: &'t ast::Stmt<'s>) {
        self.steps += 1;
        match stmt {
            ast::Stmt::Template(t) => self.exec_body(&t.children),
            ast::Stmt::EmitExpr(e) => {
                self.eval(&e.expr);
            }
            ast::Stmt::EmitRaw(_) | ast::Stmt::Continue(_) | ast::Stmt::Break(_) => {}
            ast::Stmt::ForLoop(f) => self.exec_for(f),
            ast::Stmt::IfCond(i) => {
                self.eval(&i.expr);
                self.weak += 1;
                self.exec_body(&i.true_body);
                self.exec_body(&i.false_body);
                self.weak -= 1;
            }
            ast::Stmt::WithBlock(w) => {
                self.scopes.push(HashMap::new());
                for (target, value) in &w.assignments {
                    let v = self.eval(value);
                    self.assign(target, v, &[]);
                }
                self.exec_body(&w.body);
                self.scopes.pop();
            }
            ast::Stmt::Set(set) => {
                let outer_reads = std::mem::take(&mut self.reads);
                let v = self.eval(&set.expr);
                let reads = std::mem::replace(&mut self.reads, outer_reads);
                self.assign(&set.target, v, &reads);
            }
            ast::Stmt::SetBlock(sb) => {
                let mut v = self.capture(&sb.body);
                if let Some(filter) = &sb.filter {
                    v = self.eval_with_input(filter, v);
                }
                self.assign(&sb.target, v, &[]);
            }
            ast::Stmt::AutoEscape(ae) => {
                self.eval(&ae.enabled);
                self.exec_body(&ae.body);
            }
            ast::Stmt::FilterBlock(fb) => {
                let v = self.capture(&fb.body);
                self.eval_with_input(&fb.filter, v);
            }
            ast::Stmt::Block(b) => self.exec_body(&b.body),
            ast::Stmt::Import(imp) => {
                self.eval(&imp.expr);
                if let ast::Expr::Var(v) = &imp.name {
                    self.bind(v.id, plain());
                }
            }
            ast::Stmt::FromImport(fi) => {
                self.eval(&fi.expr);
                for (name, alias) in &fi.names {
                    if let ast::Expr::Var(v) = alias.as_ref().unwrap_or(name) {
                        self.bind(v.id, plain());
                    }
                }
            }
            ast::Stmt::Extends(e) => {
                self.eval(&e.name);
            }
            ast::Stmt::Include(inc) => {
                self.eval(&inc.name);
            }
            ast::Stmt::Macro(m) => self.define_macro(m),
            ast::Stmt::CallBlock(cb) => {
                // The caller body runs when the macro calls `caller()`.
                self.scopes.push(HashMap::new());
                self.bind_macro_params(&cb.macro_decl, &[]);
                self.exec_body(&cb.macro_decl.body);
                self.scopes.pop();
                self.eval_call(&cb.call, At::of(cb.call.span()));
            }
            ast::Stmt::Do(d) => {
                self.eval_call(&d.call, At::of(d.call.span()));
            }
        }
    }

    fn exec_for(&mut self, f: &'t ast::ForLoop<'s>) {
        let iter = self.eval(&f.iter);
        let item = element_of(&iter);
        let prepass = self.loop_depth < MAX_PREPASS_LOOP_DEPTH && self.extra_allowed();
        let passes = if prepass { 2 } else { 1 };
        self.loop_depth += 1;
        self.weak += 1;
        for pass in 0..passes {
            let last = pass + 1 == passes;
            if !last {
                self.silent += 1;
            }
            self.scopes.push(HashMap::new());
            // The loop scope is fresh: its targets are bound, not merged.
            let weak = std::mem::replace(&mut self.weak, 0);
            self.assign(&f.target, item.clone(), &[]);
            self.bind("loop", plain());
            self.weak = weak;
            if let Some(filter) = &f.filter_expr {
                self.eval(filter);
            }
            self.exec_body(&f.body);
            self.scopes.pop();
            if !last {
                self.silent -= 1;
            }
        }
        self.exec_body(&f.else_body);
        self.weak -= 1;
        self.loop_depth -= 1;
    }

    fn bind_macro_params(&mut self, decl: &'t ast::Macro<'s>, args: &[(Option<&str>, Val)]) {
        let weak = std::mem::replace(&mut self.weak, 0);
        let n_defaults = decl.defaults.len();
        let first_default = decl.args.len().saturating_sub(n_defaults);
        let mut positional = args.iter().filter(|(k, _)| k.is_none()).map(|(_, v)| v);
        for (i, param) in decl.args.iter().enumerate() {
            let ast::Expr::Var(p) = param else { continue };
            let given = positional.next().cloned().or_else(|| args.iter().find(|(k, _)| *k == Some(p.id)).map(|(_, v)| v.clone()));
            let v = match given {
                Some(v) => v,
                None if i >= first_default => self.eval(&decl.defaults[i - first_default]),
                None => plain(),
            };
            self.bind(p.id, v);
        }
        for implicit in ["caller", "varargs", "kwargs"] {
            self.bind(implicit, plain());
        }
        self.weak = weak;
    }

    fn define_macro(&mut self, m: &'t ast::Macro<'s>) {
        // Registered before the body is walked so recursive calls resolve to it.
        self.macros.insert(m.name, MacroDef { decl: m, output: built("") });
        self.scopes.push(HashMap::new());
        self.bind_macro_params(m, &[]);
        self.macro_depth += 1;
        let output = self.capture(&m.body);
        self.macro_depth -= 1;
        self.scopes.pop();
        if let Some(def) = self.macros.get_mut(m.name) {
            def.output = output;
        }
        self.bind(m.name, plain());
    }

    fn call_macro(&mut self, name: &str, args: Vec<(Option<&'s str>, Val)>) -> Val {
        let Some(def) = self.macros.get(name) else { return plain() };
        let (decl, output) = (def.decl, def.output.clone());
        // Re-walking the body only pays off when an argument carries a string the first walk
        // (with unknown arguments) could not see.
        let interesting = args.iter().any(|(_, v)| v.stringish() || !v.globals().is_empty());
        if !interesting || self.macro_depth >= MAX_MACRO_DEPTH || !self.extra_allowed() {
            return output;
        }
        self.scopes.push(HashMap::new());
        self.bind_macro_params(decl, &args);
        self.macro_depth += 1;
        let out = self.capture(&decl.body);
        self.macro_depth -= 1;
        self.scopes.pop();
        out
    }

    /// Runs a body and returns what it renders, as far as known.
    fn capture(&mut self, body: &'t [ast::Stmt<'s>]) -> Val {
        let mut out = s("");
        for st in body {
            let piece = match st {
                ast::Stmt::EmitRaw(r) => s(r.raw),
                ast::Stmt::EmitExpr(e) => {
                    let v = self.eval(&e.expr);
                    match v {
                        Val::List(_) | Val::Dict(_) | Val::Global(_) | Val::Namespace(_) => built(&v.text_prefix()),
                        v => v,
                    }
                }
                other => {
                    self.exec(other);
                    built("")
                }
            };
            out = concat(&out, &piece);
        }
        out
    }

    // --- expressions --------------------------------------------------------------------------

    fn eval_with_input(&mut self, expr: &'t ast::Expr<'s>, input: Val) -> Val {
        match expr {
            ast::Expr::Filter(f) => self.eval_filter(f, Some(input)),
            other => self.eval(other),
        }
    }

    fn eval(&mut self, expr: &'t ast::Expr<'s>) -> Val {
        self.steps += 1;
        match expr {
            ast::Expr::Var(v) => self.eval_var(v),
            ast::Expr::Const(c) => self.eval_const(c),
            ast::Expr::Slice(sl) => {
                let base = self.eval(&sl.expr);
                let mut bound = |e: &'t Option<ast::Expr<'s>>| e.as_ref().map(|e| self.eval(e));
                let (a, b, c) = (bound(&sl.start), bound(&sl.stop), bound(&sl.step));
                slice_val(&base, a.as_ref(), b.as_ref(), c.as_ref())
            }
            ast::Expr::UnaryOp(u) => {
                let v = self.eval(&u.expr);
                match (&u.op, v.as_int()) {
                    (ast::UnaryOpKind::Neg, Some(i)) => i.checked_neg().map(Val::Int).unwrap_or_else(plain),
                    _ => plain(),
                }
            }
            ast::Expr::BinOp(b) => {
                let l = self.eval(&b.left);
                let r = self.eval(&b.right);
                binop(&b.op, &l, &r)
            }
            ast::Expr::Compare(c) => {
                self.eval(&c.expr);
                for op in &c.ops {
                    self.eval(&op.expr);
                }
                plain()
            }
            ast::Expr::IfExpr(i) => {
                self.eval(&i.test_expr);
                let t = self.eval(&i.true_expr);
                let f = i.false_expr.as_ref().map(|e| self.eval(e)).unwrap_or_else(plain);
                choice(vec![t, f])
            }
            ast::Expr::Filter(f) => self.eval_filter(f, None),
            ast::Expr::Test(t) => {
                self.eval(&t.expr);
                self.eval_args(&t.args);
                plain()
            }
            ast::Expr::GetAttr(ga) => {
                let base = self.eval(&ga.expr);
                self.access(&base, &s(ga.name), NameKind::Attr, false, At::chain(expr, ga.span()));
                for alt in base.alternatives() {
                    if let Val::Namespace(id) = alt {
                        self.reads.push((*id, ga.name.to_string()));
                    }
                }
                get_attr(self, &base, ga.name)
            }
            ast::Expr::GetItem(gi) => {
                let base = self.eval(&gi.expr);
                let key = self.eval(&gi.subscript_expr);
                self.access(&base, &key, NameKind::Item, false, At::chain(expr, gi.span()));
                get_item(self, &base, &key)
            }
            ast::Expr::Call(c) => self.eval_call(c, At::chain(expr, c.span())),
            ast::Expr::List(l) => {
                let items = l.items.iter().map(|e| self.eval(e)).collect();
                list(items)
            }
            ast::Expr::Tuple(t) => {
                let items = t.items.iter().map(|e| self.eval(e)).collect();
                list(items)
            }
            ast::Expr::Map(m) => {
                let mut items = Vec::new();
                for (k, v) in m.keys.iter().zip(m.values.iter()) {
                    let k = self.eval(k);
                    let v = self.eval(v);
                    items.push((k, v));
                }
                dict(items)
            }
        }
    }

    fn eval_var(&mut self, v: &ast::Spanned<ast::Var<'s>>) -> Val {
        if matches!(danger(v.id), Some(Danger::Dunder | Danger::Mangled)) {
            let at = At::of(v.span());
            self.name_finding(v.id, NameKind::Attr, at.offset, v.id);
        }
        if let Some(val) = self.lookup(v.id) {
            return val.clone();
        }
        match GLOBAL_OBJECTS.iter().find(|g| **g == v.id) {
            Some(g) => Val::Global(g),
            None => plain(),
        }
    }

    fn eval_const(&mut self, c: &ast::Spanned<ast::Const>) -> Val {
        let value: &Value = &c.value;
        match value.kind() {
            ValueKind::String => {
                let at = At::of(c.span());
                let raw = self.text.get(at.offset..at.end).unwrap_or("");
                match decode_literals(raw) {
                    Decoded::Known(t) => s(t),
                    Decoded::Partial(t) => built(&t),
                    // The span did not hold the literal as expected: trust minijinja's decoding.
                    Decoded::Invalid => s(value.as_str().unwrap_or("")),
                }
            }
            ValueKind::Number => value.as_i64().map(Val::Int).unwrap_or_else(plain),
            ValueKind::Bool => Val::Bool(value.is_true()),
            ValueKind::None | ValueKind::Undefined => Val::None,
            _ => plain(),
        }
    }

    fn eval_args(&mut self, args: &'t [ast::CallArg<'s>]) -> Vec<(Option<&'s str>, Val)> {
        let mut out = Vec::new();
        for a in args {
            match a {
                ast::CallArg::Pos(e) => out.push((None, self.eval(e))),
                ast::CallArg::Kwarg(k, e) => out.push((Some(*k), self.eval(e))),
                ast::CallArg::PosSplat(e) | ast::CallArg::KwargSplat(e) => {
                    let v = self.eval(e);
                    out.push((None, element_of(&v)));
                }
            }
        }
        out
    }

    fn eval_call(&mut self, call: &'t ast::Call<'s>, at: At) -> Val {
        match &call.expr {
            ast::Expr::GetAttr(ga) => {
                let recv = self.eval(&ga.expr);
                self.access(&recv, &s(ga.name), NameKind::Attr, false, At::chain(&call.expr, ga.span()));
                let args = self.eval_args(&call.args);
                let out = self.call_method(&recv, ga.name, &args, at);
                if MUTATING_METHODS.contains(&ga.name) {
                    self.havoc(&ga.expr, &recv, &args);
                }
                out
            }
            ast::Expr::Var(v) => {
                if matches!(danger(v.id), Some(Danger::Dunder | Danger::Mangled)) {
                    self.name_finding(v.id, NameKind::Attr, At::of(v.span()).offset, v.id);
                }
                let args = self.eval_args(&call.args);
                if self.lookup(v.id).is_some() && !self.macros.contains_key(v.id) {
                    return plain();
                }
                if self.macros.contains_key(v.id) {
                    return self.call_macro(v.id, args);
                }
                match v.id {
                    "namespace" => {
                        let id = at.offset as u32;
                        for (k, val) in &args {
                            if let Some(k) = k {
                                self.set_ns_attr(id, k, val.clone(), false);
                            }
                        }
                        Val::Namespace(id)
                    }
                    "dict" => dict(args.into_iter().filter_map(|(k, v)| k.map(|k| (s(k), v))).collect()),
                    "range" => {
                        let ints: Vec<Option<i64>> = args.iter().map(|(_, v)| v.as_int()).collect();
                        let (a, b, st) = match ints.as_slice() {
                            [Some(b)] => (0, *b, 1),
                            [Some(a), Some(b)] => (*a, *b, 1),
                            [Some(a), Some(b), Some(c)] => (*a, *b, *c),
                            _ => return plain(),
                        };
                        if st == 0 {
                            return plain();
                        }
                        let mut out = Vec::new();
                        let mut i = a;
                        while (st > 0 && i < b) || (st < 0 && i > b) {
                            if out.len() >= MAX_LIST {
                                return plain();
                            }
                            out.push(Val::Int(i));
                            i = i.saturating_add(st);
                        }
                        list(out)
                    }
                    _ => plain(),
                }
            }
            other => {
                let callee = self.eval(other);
                self.eval_args(&call.args);
                if callee.stringish() {
                    built("")
                } else {
                    plain()
                }
            }
        }
    }

    /// A mutating method (`append`, `update`, ...) changes the receiver in place: whatever the
    /// receiver held is no longer known.
    fn havoc(&mut self, recv_expr: &'t ast::Expr<'s>, recv: &Val, args: &[(Option<&'s str>, Val)]) {
        let stringish = recv.stringish() || args.iter().any(|(_, v)| v.stringish()) || matches!(recv, Val::List(_) | Val::Dict(_));
        let grown = if stringish { built("") } else { plain() };
        match recv_expr {
            ast::Expr::Var(v) => {
                if let Some(scope) = self.scopes.iter_mut().rev().find(|s| s.contains_key(v.id)) {
                    if let Some(old) = scope.get(v.id).cloned() {
                        scope.insert(v.id, choice(vec![old, grown]));
                    }
                }
            }
            ast::Expr::GetAttr(ga) => {
                if let ast::Expr::Var(v) = &ga.expr {
                    if let Some(Val::Namespace(id)) = self.lookup(v.id).cloned() {
                        let old = self.ns_attrs.get(&(id, ga.name.to_string())).cloned().unwrap_or_else(plain);
                        self.ns_attrs.insert((id, ga.name.to_string()), choice(vec![old, grown]));
                    }
                }
            }
            _ => {}
        }
    }

    fn call_method(&mut self, recv: &Val, method: &str, args: &[(Option<&'s str>, Val)], at: At) -> Val {
        if let Val::Choice(c) = recv {
            let alts: Vec<Val> = c.to_vec();
            return choice(alts.iter().map(|r| self.call_method(r, method, args, at)).collect());
        }
        let pos: Vec<&Val> = args.iter().filter(|(k, _)| k.is_none()).map(|(_, v)| v).collect();
        let arg_text = |i: usize| pos.get(i).and_then(|v| v.text()).map(|t| t.into_owned());
        match method {
            "get" | "pop" | "setdefault" | "__getitem__" | "__getattribute__" | "__getattr__" => {
                if let Some(key) = pos.first() {
                    let kind = if method.starts_with("__getattr") { NameKind::Attr } else { NameKind::Item };
                    if key.stringish() {
                        self.access(recv, key, kind, false, at);
                    }
                    return get_item(self, recv, key);
                }
                plain()
            }
            "items" | "keys" | "values" => match recv {
                Val::Dict(m) => list(
                    m.iter()
                        .map(|(k, v)| match method {
                            "keys" => k.clone(),
                            "values" => v.clone(),
                            _ => list(vec![k.clone(), v.clone()]),
                        })
                        .collect(),
                ),
                _ => plain(),
            },
            "format" | "format_map" => match recv.text() {
                Some(fmt) if matches!(recv, Val::Str(_)) => {
                    let fmt = fmt.into_owned();
                    self.str_format(&fmt, args, at)
                }
                _ if recv.stringish() => {
                    let evidence = self.snippet(at);
                    self.report(
                        &TPL_DYNAMIC_NAME,
                        "str.format() is called on a format string built at render time".to_string(),
                        at.offset,
                        evidence,
                    );
                    built("")
                }
                _ => plain(),
            },
            "join" => match recv.text() {
                Some(sep) if matches!(recv, Val::Str(_)) => join_val(pos.first().copied().unwrap_or(&plain()), &sep),
                _ if recv.stringish() => built(""),
                _ => plain(),
            },
            "replace" => match (arg_text(0), arg_text(1)) {
                (Some(old), Some(new)) => {
                    let count = pos.get(2).and_then(|v| v.as_int());
                    map_text(recv, &|t| py_replace(t, &old, &new, count))
                }
                _ if recv.stringish() => built(""),
                _ => plain(),
            },
            "upper" => map_text(recv, &|t| Some(t.to_uppercase())),
            "lower" | "casefold" => map_text(recv, &|t| Some(t.to_lowercase())),
            "title" => map_text(recv, &|t| Some(py_title(t))),
            "capitalize" => map_text(recv, &|t| Some(py_capitalize(t))),
            "swapcase" => map_text(recv, &|t| Some(py_swapcase(t))),
            "strip" | "lstrip" | "rstrip" => {
                let chars = arg_text(0);
                let m = method.to_string();
                map_text(recv, &move |t| {
                    let set: Vec<char> = chars.clone().map(|c| c.chars().collect()).unwrap_or_default();
                    let is_strip = |c: char| if set.is_empty() { c.is_whitespace() } else { set.contains(&c) };
                    Some(match m.as_str() {
                        "lstrip" => t.trim_start_matches(is_strip).to_string(),
                        "rstrip" => t.trim_end_matches(is_strip).to_string(),
                        _ => t.trim_matches(is_strip).to_string(),
                    })
                })
            }
            "center" | "ljust" | "rjust" | "zfill" => {
                let width = pos.first().and_then(|v| v.as_int()).unwrap_or(0).clamp(0, MAX_STR as i64) as usize;
                let fill = if method == "zfill" { '0' } else { arg_text(1).and_then(|f| f.chars().next()).unwrap_or(' ') };
                let align = match method {
                    "ljust" => '<',
                    "rjust" | "zfill" => '>',
                    _ => '^',
                };
                map_text(recv, &move |t| pad(t, width, fill, align))
            }
            "split" | "rsplit" | "splitlines" => match recv.text() {
                Some(t) if matches!(recv, Val::Str(_)) => {
                    let parts: Vec<Val> = match arg_text(0) {
                        Some(sep) if !sep.is_empty() && method != "splitlines" => t.split(sep.as_str()).map(s).collect(),
                        _ if method == "splitlines" => t.lines().map(s).collect(),
                        _ => t.split_whitespace().map(s).collect(),
                    };
                    list(parts)
                }
                _ if recv.stringish() => built(""),
                _ => plain(),
            },
            "encode" | "decode" | "translate" | "expandtabs" => {
                if recv.stringish() {
                    built("")
                } else {
                    plain()
                }
            }
            _ => plain(),
        }
    }

    /// Python's `str.format`, including the attribute and index lookups its fields perform.
    fn str_format(&mut self, fmt: &str, args: &[(Option<&'s str>, Val)], at: At) -> Val {
        let pos: Vec<&Val> = args.iter().filter(|(k, _)| k.is_none()).map(|(_, v)| v).collect();
        let mut out = String::new();
        let mut known = true;
        let mut auto = 0usize;
        let cs: Vec<char> = fmt.chars().collect();
        let mut i = 0;
        while i < cs.len() {
            let c = cs[i];
            if c == '{' && cs.get(i + 1) == Some(&'{') || c == '}' && cs.get(i + 1) == Some(&'}') {
                out.push(c);
                i += 2;
                continue;
            }
            if c != '{' {
                out.push(c);
                i += 1;
                continue;
            }
            let Some(len) = cs[i..].iter().position(|&c| c == '}') else { return plain() };
            let field: String = cs[i + 1..i + len].iter().collect();
            i += len + 1;
            let (field, spec) = field.split_once(':').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or((field, String::new()));
            let (field, conv) = field.split_once('!').map(|(a, b)| (a.to_string(), b.to_string())).unwrap_or((field, String::new()));
            let head_end = field.find(['.', '[']).unwrap_or(field.len());
            let (head, mut rest) = field.split_at(head_end);
            let mut value = if head.is_empty() {
                auto += 1;
                pos.get(auto - 1).map(|v| (*v).clone())
            } else if let Ok(n) = head.parse::<usize>() {
                pos.get(n).map(|v| (*v).clone())
            } else {
                args.iter().find(|(k, _)| *k == Some(head)).map(|(_, v)| v.clone())
            }
            .unwrap_or_else(plain);
            while !rest.is_empty() {
                if let Some(r) = rest.strip_prefix('.') {
                    let end = r.find(['.', '[']).unwrap_or(r.len());
                    let name = &r[..end];
                    self.access(&value, &s(name), NameKind::Attr, false, at);
                    value = plain();
                    rest = &r[end..];
                } else if let Some(r) = rest.strip_prefix('[') {
                    let end = r.find(']').unwrap_or(r.len());
                    let key = &r[..end];
                    if key.parse::<usize>().is_err() {
                        self.access(&value, &s(key), NameKind::Item, false, at);
                    }
                    value = plain();
                    rest = r.get(end + 1..).unwrap_or("");
                } else {
                    break;
                }
            }
            if !known {
                continue;
            }
            let text = match (value.text(), conv.as_str()) {
                (Some(t), "r" | "a") if matches!(value, Val::Str(_)) => Some(py_repr(&t)),
                (Some(t), _) => Some(t.into_owned()),
                (None, _) => None,
            };
            match text.and_then(|t| apply_format_spec(&t, &value, &spec)) {
                Some(t) => out.push_str(&t),
                None => known = false,
            }
        }
        if known {
            s(out)
        } else {
            built(&out)
        }
    }

    fn eval_filter(&mut self, f: &'t ast::Spanned<ast::Filter<'s>>, input: Option<Val>) -> Val {
        let at = match &f.expr {
            Some(e) => At::chain(e, f.span()),
            None => At::of(f.span()),
        };
        let v = match &f.expr {
            Some(e) => self.eval_with_input_opt(e, input),
            None => input.unwrap_or_else(|| built("")),
        };
        let args = self.eval_args(&f.args);
        let pos: Vec<Val> = args.iter().filter(|(k, _)| k.is_none()).map(|(_, v)| v.clone()).collect();
        let kw = |name: &str| args.iter().find(|(k, _)| *k == Some(name)).map(|(_, v)| v.clone());
        // Every getattr-like argument is judged before the filter's value is worked out.
        match f.name {
            "attr" => {
                let name = pos.first().cloned().unwrap_or_else(plain);
                self.access(&v, &name, NameKind::Attr, true, at);
                return get_attr_val(self, &v, &name);
            }
            "map" => {
                if let Some(a) = kw("attribute") {
                    self.attribute_path(&v, &a, at);
                } else if let Some(filter) = pos.first() {
                    match filter.text() {
                        Some(name) if matches!(filter, Val::Str(_)) => {
                            if name == "attr" {
                                let attr = pos.get(1).cloned().unwrap_or_else(plain);
                                self.access(&element_of(&v), &attr, NameKind::Attr, true, at);
                            }
                        }
                        _ => self.check_name(filter, NameKind::Attr, true, at),
                    }
                }
            }
            name if ATTRIBUTE_FILTERS.contains(&name) => {
                let attr = kw("attribute").or_else(|| {
                    if matches!(name, "selectattr" | "rejectattr" | "groupby") {
                        pos.first().cloned()
                    } else {
                        None
                    }
                });
                if let Some(a) = attr {
                    self.attribute_path(&v, &a, at);
                }
            }
            _ => {}
        }
        apply_filter(f.name, &v, &pos, &kw)
    }

    fn eval_with_input_opt(&mut self, e: &'t ast::Expr<'s>, input: Option<Val>) -> Val {
        match input {
            Some(i) => self.eval_with_input(e, i),
            None => self.eval(e),
        }
    }

    /// `attribute='a.b'`: Jinja splits on dots and looks each part up in turn.
    fn attribute_path(&mut self, base: &Val, path: &Val, at: At) {
        let item = element_of(base);
        match path {
            Val::Str(p) => {
                for part in p.split('.') {
                    if part.parse::<i64>().is_err() {
                        self.access(&item, &s(part), NameKind::Attr, true, at);
                    }
                }
            }
            other => self.access(&item, other, NameKind::Attr, true, at),
        }
    }
}

const MUTATING_METHODS: &[&str] = &["append", "extend", "insert", "update", "setdefault", "add", "__setitem__", "__setattr__"];

fn py_replace(t: &str, old: &str, new: &str, count: Option<i64>) -> Option<String> {
    // The result can be far longer than both inputs; past the string bound it is not a name.
    let slots = if old.is_empty() { t.chars().count() + 1 } else { t.matches(old).count() };
    if t.len().saturating_add(slots.saturating_mul(new.len())) > 4 * MAX_STR {
        return None;
    }
    let result = match count {
        Some(n) if n >= 0 => t.replacen(old, new, n as usize),
        _ if old.is_empty() => {
            // Python inserts `new` between every character and at both ends.
            let mut out = String::from(new);
            for c in t.chars() {
                out.push(c);
                out.push_str(new);
            }
            out
        }
        _ => t.replace(old, new),
    };
    Some(result)
}

/// Python's format-spec mini-language for strings and integers; `None` when not reproduced.
fn apply_format_spec(text: &str, value: &Val, spec: &str) -> Option<String> {
    if spec.is_empty() {
        return Some(text.to_string());
    }
    let cs: Vec<char> = spec.chars().collect();
    let mut i = 0;
    let (mut fill, mut align) = (' ', None);
    if cs.len() >= 2 && "<>^=".contains(cs[1]) {
        fill = cs[0];
        align = Some(cs[1]);
        i = 2;
    } else if !cs.is_empty() && "<>^=".contains(cs[0]) {
        align = Some(cs[0]);
        i = 1;
    }
    if cs.get(i) == Some(&'0') && align.is_none() {
        fill = '0';
        align = Some('>');
        i += 1;
    }
    let mut width = 0usize;
    while let Some(d) = cs.get(i).and_then(|c| c.to_digit(10)) {
        width = (width * 10 + d as usize).min(MAX_STR + 1);
        i += 1;
    }
    let mut precision = None;
    if cs.get(i) == Some(&'.') {
        i += 1;
        let mut p = 0usize;
        while let Some(d) = cs.get(i).and_then(|c| c.to_digit(10)) {
            p = (p * 10 + d as usize).min(MAX_STR + 1);
            i += 1;
        }
        precision = Some(p);
    }
    let ty = cs.get(i).copied();
    if i + usize::from(ty.is_some()) != cs.len() {
        return None;
    }
    let body = match (ty, value) {
        (None | Some('s'), Val::Str(_)) => match precision {
            Some(p) => text.chars().take(p).collect(),
            None => text.to_string(),
        },
        (None | Some('d'), Val::Int(_)) => text.to_string(),
        (Some('c'), Val::Int(n)) => char::from_u32(u32::try_from(*n).ok()?)?.to_string(),
        (Some('x'), Val::Int(n)) => format!("{n:x}"),
        (Some('X'), Val::Int(n)) => format!("{n:X}"),
        (Some('o'), Val::Int(n)) => format!("{n:o}"),
        (Some('b'), Val::Int(n)) => format!("{n:b}"),
        _ => return None,
    };
    let default_align = if matches!(value, Val::Int(_)) { '>' } else { '<' };
    let align = match align {
        Some('=') => '>',
        Some('^') => 'C',
        Some(a) => a,
        None => default_align,
    };
    pad(&body, width, fill, align)
}

/// One item of an iterable value, as far as known.
fn element_of(v: &Val) -> Val {
    match v {
        Val::List(items) => choice(items.to_vec()),
        Val::Dict(items) => choice(items.iter().map(|(k, _)| k.clone()).collect()),
        Val::Str(t) => {
            let chars: Vec<Val> = t.chars().take(MAX_CHOICES + 1).map(|c| s(c.to_string())).collect();
            choice(chars)
        }
        Val::Choice(c) => choice(c.iter().map(element_of).collect()),
        Val::Unknown { built: true, .. } => built(""),
        _ => plain(),
    }
}

fn get_attr(a: &Analyser<'_, '_>, base: &Val, name: &str) -> Val {
    match base {
        Val::Namespace(id) => a.ns_attrs.get(&(*id, name.to_string())).cloned().unwrap_or_else(plain),
        Val::Dict(m) => m.iter().find(|(k, _)| k.text().as_deref() == Some(name)).map(|(_, v)| v.clone()).unwrap_or_else(plain),
        Val::Choice(c) => choice(c.iter().map(|b| get_attr(a, b, name)).collect()),
        _ => plain(),
    }
}

fn get_attr_val(a: &mut Analyser<'_, '_>, base: &Val, name: &Val) -> Val {
    match name {
        Val::Str(n) => get_attr(a, base, n),
        _ => plain(),
    }
}

fn get_item(a: &mut Analyser<'_, '_>, base: &Val, key: &Val) -> Val {
    if let Val::Namespace(id) = base {
        if let Val::Str(k) = key {
            a.reads.push((*id, k.to_string()));
        }
    }
    match (base, key) {
        (Val::Choice(c), _) => choice(c.iter().map(|b| get_item(a, b, key)).collect()),
        (_, Val::Choice(k)) => choice(k.iter().map(|k| get_item(a, base, k)).collect()),
        (Val::List(items), Val::Int(i)) => py_index(items.len(), *i).map(|j| items[j].clone()).unwrap_or_else(plain),
        (Val::Str(t), Val::Int(i)) => {
            let chars: Vec<char> = t.chars().collect();
            py_index(chars.len(), *i).map(|j| s(chars[j].to_string())).unwrap_or_else(plain)
        }
        (Val::Dict(m), k) => m.iter().find(|(mk, _)| mk == k).map(|(_, v)| v.clone()).unwrap_or_else(plain),
        (Val::Namespace(_), Val::Str(k)) => get_attr(a, base, k),
        (Val::Unknown { built: true, .. }, _) => built(""),
        _ => plain(),
    }
}

fn slice_val(base: &Val, start: Option<&Val>, stop: Option<&Val>, step: Option<&Val>) -> Val {
    let int = |v: Option<&Val>| -> Result<Option<i64>, ()> {
        match v {
            None | Some(Val::None) => Ok(None),
            Some(v) => v.as_int().map(Some).ok_or(()),
        }
    };
    let (Ok(a), Ok(b), Ok(c)) = (int(start), int(stop), int(step)) else {
        return if base.stringish() { built("") } else { plain() };
    };
    match base {
        Val::Str(t) => {
            let chars: Vec<char> = t.chars().collect();
            match py_slice(chars.len(), a, b, c) {
                Some(idx) => s(idx.into_iter().map(|i| chars[i]).collect::<String>()),
                None => plain(),
            }
        }
        Val::List(items) => match py_slice(items.len(), a, b, c) {
            Some(idx) => list(idx.into_iter().map(|i| items[i].clone()).collect()),
            None => plain(),
        },
        Val::Choice(alts) => choice(alts.iter().map(|x| slice_val(x, start, stop, step)).collect()),
        Val::Unknown { built: true, prefix } if a.unwrap_or(0) == 0 && c.unwrap_or(1) == 1 => built(prefix),
        v if v.stringish() => built(""),
        _ => plain(),
    }
}

fn binop(op: &ast::BinOpKind, l: &Val, r: &Val) -> Val {
    use ast::BinOpKind as B;
    match op {
        B::Concat => concat(l, r),
        B::ScAnd | B::ScOr => choice(vec![l.clone(), r.clone()]),
        B::Add => match (l, r) {
            (Val::Int(a), Val::Int(b)) => a.checked_add(*b).map(Val::Int).unwrap_or_else(plain),
            (Val::List(a), Val::List(b)) => list(a.iter().chain(b.iter()).cloned().collect()),
            (Val::Str(_), Val::Str(_)) => concat(l, r),
            _ if l.stringish() || r.stringish() => concat(l, r),
            _ => plain(),
        },
        B::Sub | B::FloorDiv | B::Pow => match (l.as_int(), r.as_int()) {
            (Some(a), Some(b)) => match op {
                B::Sub => a.checked_sub(b),
                B::FloorDiv => py_floordiv(a, b),
                _ => u32::try_from(b).ok().and_then(|b| a.checked_pow(b)),
            }
            .map(Val::Int)
            .unwrap_or_else(plain),
            _ => plain(),
        },
        B::Mul => match (l, r) {
            (Val::Int(a), Val::Int(b)) => a.checked_mul(*b).map(Val::Int).unwrap_or_else(plain),
            (Val::Str(t), Val::Int(n)) | (Val::Int(n), Val::Str(t)) => {
                let n = (*n).max(0) as usize;
                if t.chars().count().saturating_mul(n) > MAX_STR {
                    built(t)
                } else {
                    s(t.repeat(n))
                }
            }
            (Val::List(items), Val::Int(n)) | (Val::Int(n), Val::List(items)) => {
                let n = (*n).max(0) as usize;
                if items.len().saturating_mul(n) > MAX_LIST {
                    widen(items)
                } else {
                    list(items.iter().cloned().cycle().take(items.len() * n).collect())
                }
            }
            _ if l.stringish() || r.stringish() => built(""),
            _ => plain(),
        },
        B::Rem => match (l, r) {
            (Val::Int(a), Val::Int(b)) => py_mod(*a, *b).map(Val::Int).unwrap_or_else(plain),
            (Val::Str(fmt), args) => printf(fmt, args),
            (Val::Choice(c), args) => choice(c.iter().map(|f| binop(op, f, args)).collect()),
            _ if l.stringish() => built(""),
            _ => plain(),
        },
        _ => plain(),
    }
}

fn py_floordiv(a: i64, b: i64) -> Option<i64> {
    let q = a.checked_div(b)?;
    let r = a.checked_rem(b)?;
    Some(if r != 0 && ((r < 0) != (b < 0)) { q - 1 } else { q })
}

fn py_mod(a: i64, b: i64) -> Option<i64> {
    let r = a.checked_rem(b)?;
    Some(if r != 0 && ((r < 0) != (b < 0)) { r + b } else { r })
}

fn join_val(items: &Val, sep: &str) -> Val {
    match items {
        Val::List(xs) => {
            let mut acc = s("");
            for (i, x) in xs.iter().enumerate() {
                if i > 0 {
                    acc = concat(&acc, &s(sep));
                }
                acc = concat(&acc, x);
            }
            acc
        }
        Val::Str(t) => s(t.chars().map(|c| c.to_string()).collect::<Vec<_>>().join(sep)),
        Val::Dict(m) => join_val(&list(m.iter().map(|(k, _)| k.clone()).collect()), sep),
        Val::Choice(c) => choice(c.iter().map(|x| join_val(x, sep)).collect()),
        v if v.stringish() => built(""),
        _ => plain(),
    }
}

fn apply_filter(name: &str, v: &Val, pos: &[Val], kw: &dyn Fn(&str) -> Option<Val>) -> Val {
    let arg = |i: usize, k: &str| pos.get(i).cloned().or_else(|| kw(k));
    let text_arg = |i: usize, k: &str| arg(i, k).and_then(|v| v.text().map(|t| t.into_owned()));
    match name {
        "safe" | "escape" | "e" | "forceescape" | "string" | "mark_safe" => match v {
            Val::List(_) | Val::Dict(_) | Val::Global(_) | Val::Namespace(_) => built(&v.text_prefix()),
            Val::Unknown { .. } if name == "string" => {
                // `x|string` of an unknown object is a repr: text that may hold any character.
                if v.stringish() {
                    v.clone()
                } else {
                    built("")
                }
            }
            _ => v.clone(),
        },
        "format" => match v {
            Val::Str(fmt) => {
                let args = if let Some(Val::Dict(_)) = pos.first().filter(|_| pos.len() == 1) {
                    pos[0].clone()
                } else if pos.is_empty() {
                    // Jinja passes keyword arguments as the mapping.
                    list(Vec::new())
                } else {
                    list(pos.to_vec())
                };
                printf(fmt, &args)
            }
            Val::Choice(c) => choice(c.iter().map(|f| apply_filter(name, f, pos, kw)).collect()),
            _ if v.stringish() => built(""),
            _ => plain(),
        },
        "join" => {
            let sep = text_arg(0, "d").unwrap_or_default();
            if kw("attribute").is_some() {
                return if v.stringish() || matches!(v, Val::List(_)) { built("") } else { plain() };
            }
            join_val(v, &sep)
        }
        "replace" => match (text_arg(0, "old"), text_arg(1, "new")) {
            (Some(old), Some(new)) => {
                let count = arg(2, "count").and_then(|c| c.as_int());
                map_text(v, &|t| py_replace(t, &old, &new, count))
            }
            _ if v.stringish() => built(""),
            _ => plain(),
        },
        "reverse" => match v {
            Val::List(items) => list(items.iter().rev().cloned().collect()),
            _ => map_text(v, &|t| Some(t.chars().rev().collect())),
        },
        "lower" => map_text(v, &|t| Some(t.to_lowercase())),
        "upper" => map_text(v, &|t| Some(t.to_uppercase())),
        "capitalize" => map_text(v, &|t| Some(py_capitalize(t))),
        "title" => map_text(v, &|t| Some(py_title(t))),
        "trim" => {
            let chars = text_arg(0, "chars");
            map_text(v, &move |t| {
                Some(match &chars {
                    Some(c) => t.trim_matches(|x| c.contains(x)).to_string(),
                    None => t.trim().to_string(),
                })
            })
        }
        "center" => {
            let width = arg(0, "width").and_then(|w| w.as_int()).unwrap_or(80).clamp(0, MAX_STR as i64) as usize;
            map_text(v, &move |t| pad(t, width, ' ', '^'))
        }
        "first" | "last" | "random" => {
            let items: Vec<Val> = match v {
                Val::List(items) => items.to_vec(),
                Val::Dict(m) => m.iter().map(|(k, _)| k.clone()).collect(),
                Val::Str(t) => t.chars().map(|c| s(c.to_string())).collect(),
                Val::Choice(c) => return choice(c.iter().map(|x| apply_filter(name, x, pos, kw)).collect()),
                _ if v.stringish() => return built(""),
                _ => return plain(),
            };
            match name {
                "first" => items.first().cloned().unwrap_or_else(plain),
                "last" => items.last().cloned().unwrap_or_else(plain),
                _ => choice(items),
            }
        }
        "list" => match v {
            Val::List(_) => v.clone(),
            Val::Dict(m) => list(m.iter().map(|(k, _)| k.clone()).collect()),
            Val::Str(t) => list(t.chars().map(|c| s(c.to_string())).collect()),
            Val::Choice(c) => choice(c.iter().map(|x| apply_filter(name, x, pos, kw)).collect()),
            _ if v.stringish() => built(""),
            _ => plain(),
        },
        "items" | "dictsort" => match v {
            Val::Dict(m) => list(m.iter().map(|(k, x)| list(vec![k.clone(), x.clone()])).collect()),
            _ => plain(),
        },
        "sort" | "unique" => match v {
            Val::List(items) if items.iter().all(|x| x.text().is_some()) => {
                let mut xs = items.to_vec();
                xs.sort_by(|a, b| a.text().cmp(&b.text()));
                if name == "unique" {
                    xs.dedup();
                }
                list(xs)
            }
            _ if v.stringish() => built(""),
            _ => plain(),
        },
        "select" | "reject" | "selectattr" | "rejectattr" | "batch" | "slice" => match v {
            // The subset is not known; any of the items may survive.
            Val::List(_) | Val::Str(_) | Val::Dict(_) => v.clone(),
            _ if v.stringish() => built(""),
            _ => plain(),
        },
        "map" => {
            let filter = pos.first().and_then(|f| f.text().map(|t| t.into_owned()));
            match (v, filter) {
                (Val::List(items), Some(f)) if kw("attribute").is_none() => {
                    let rest = pos.get(1..).unwrap_or(&[]).to_vec();
                    list(items.iter().map(|x| apply_filter(&f, x, &rest, &|_| None)).collect())
                }
                _ if v.stringish() || matches!(v, Val::List(_)) => built(""),
                _ => plain(),
            }
        }
        "default" | "d" => choice(vec![v.clone(), arg(0, "default_value").unwrap_or_else(|| s(""))]),
        "length" | "count" | "wordcount" => match v {
            Val::Str(t) => Val::Int(t.chars().count() as i64),
            Val::List(items) => Val::Int(items.len() as i64),
            _ => plain(),
        },
        "int" => match v {
            Val::Int(_) => v.clone(),
            Val::Str(t) => t.trim().parse::<i64>().map(Val::Int).unwrap_or_else(|_| arg(0, "default").unwrap_or(Val::Int(0))),
            _ => plain(),
        },
        "abs" => v.as_int().and_then(i64::checked_abs).map(Val::Int).unwrap_or_else(plain),
        "tojson" => match v {
            Val::Str(t) => s(serde_json::to_string(&**t).unwrap_or_default()),
            Val::Int(i) => s(i.to_string()),
            _ if v.stringish() || matches!(v, Val::List(_) | Val::Dict(_)) => built(""),
            _ => plain(),
        },
        "min" | "max" => match v {
            Val::List(items) if !items.is_empty() && items.iter().all(|x| x.text().is_some()) => {
                let pick = if name == "min" {
                    items.iter().min_by(|a, b| a.text().cmp(&b.text()))
                } else {
                    items.iter().max_by(|a, b| a.text().cmp(&b.text()))
                };
                pick.cloned().unwrap_or_else(plain)
            }
            _ => plain(),
        },
        "attr" => plain(),
        "sum" | "round" | "float" | "filesizeformat" | "pprint" | "urlize" | "wordwrap" | "truncate" | "indent" | "striptags"
        | "urlencode" | "xmlattr" | "groupby" => {
            if v.stringish() || matches!(v, Val::List(_) | Val::Dict(_)) {
                built("")
            } else {
                plain()
            }
        }
        _ => {
            if v.stringish() {
                built("")
            } else {
                plain()
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use vouch_report::Verdict;

    fn codes(t: &str) -> Vec<&'static str> {
        analyse_template(t).iter().map(|f| f.rule.code).collect()
    }

    fn worst(t: &str) -> Option<Severity> {
        analyse_template(t).iter().map(|f| f.severity).max()
    }

    fn assert_clean(name: &str, t: &str) {
        let f = analyse_template(t);
        assert!(f.is_empty(), "{name}: expected no findings, got {f:#?}");
    }

    fn assert_caught(t: &str) {
        let f = analyse_template(t);
        assert_eq!(Verdict::from_findings(&f), Verdict::Dangerous, "not caught: {t}\n{f:#?}");
    }

    fn assert_has(t: &str, rule: &Rule) {
        let f = analyse_template(t);
        assert!(f.iter().any(|f| f.rule.code == rule.code), "{} not reported for {t}: {f:#?}", rule.code);
    }

    // --- real chat templates stay clean ---------------------------------------------------------

    fn data_dir() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/templates")
    }

    #[test]
    fn real_chat_templates_are_clean() {
        let dir = data_dir();
        let mut n = 0;
        let mut entries: Vec<_> =
            std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display())).flatten().collect();
        entries.sort_by_key(|e| e.path());
        for e in entries {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) != Some("jinja") {
                continue;
            }
            let t = std::fs::read_to_string(&p).unwrap();
            assert_clean(&p.display().to_string(), &t);
            n += 1;
        }
        assert!(n >= 10, "expected the real templates in {}, found {n}", dir.display());
    }

    // --- malicious templates are caught ---------------------------------------------------------

    /// `../shared/corpus` beside the repository (DESIGN.md), found from the crate upwards.
    fn corpus_dir() -> std::path::PathBuf {
        let rel = "../shared/corpus/models/modelaudit/samples/jinja2/malicious";
        let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let found = here.ancestors().map(|up| up.join(rel)).find(|c| c.is_dir());
        found.unwrap_or_else(|| panic!("malicious template samples not found: looked for {rel} above {}", here.display()))
    }

    #[test]
    fn modelaudit_malicious_samples_are_caught() {
        let dir = corpus_dir();
        let mut n = 0;
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.extension().and_then(|x| x.to_str()) != Some("json") {
                continue;
            }
            let text = std::fs::read_to_string(&p).unwrap();
            let templates = templates_in_json(&text);
            assert_eq!(templates.len(), 1, "{}: no chat_template", p.display());
            let f = analyse_template(&templates[0].1);
            assert_eq!(Verdict::from_findings(&f), Verdict::Dangerous, "{} not caught: {f:#?}", p.display());
            n += 1;
        }
        assert!(n >= 12, "expected 12 samples in {}, found {n}", dir.display());
    }

    #[test]
    fn classic_payloads() {
        for t in [
            "{{ ''.__class__.__mro__[1].__subclasses__() }}",
            "{{ lipsum.__globals__['os'].popen('id').read() }}",
            "{{ cycler.__init__.__globals__.os.popen('id') }}",
            "{{ (''|attr('__cla'~'ss__')) }}",
            "{{ x|attr('%c%c'|format(95,95) ~ 'class__') }}",
            "{{ self._TemplateReference__context }}",
            "{% set a = '__glo' %}{% set b = a ~ 'bals__' %}{{ lipsum[b] }}",
        ] {
            assert_caught(t);
            assert_has(t, &TPL_SANDBOX_ESCAPE);
        }
    }

    #[test]
    fn globals_objects() {
        for t in [
            "{{ config.items() }}",
            "{{ request['application'] }}",
            "{{ lipsum.x }}",
            "{{ range.__doc__ }}",
            "{{ namespace.__init__ }}",
            "{{ joiner|attr('x') }}",
        ] {
            assert_has(t, &TPL_GLOBAL_OBJECT);
            assert_caught(t);
        }
        assert_has("{{ self._TemplateReference__context }}", &TPL_GLOBAL_OBJECT);
        assert_has("{{ cycler.__init__ }}", &TPL_GLOBAL_OBJECT);
        // Aliased global.
        assert_has("{% set c = cycler %}{{ c.next }}", &TPL_GLOBAL_OBJECT);
    }

    #[test]
    fn namespace_as_value_holder_is_clean() {
        assert_clean("ns", "{% set ns = namespace(found=false) %}{% for m in messages %}{% if m.role == 'system' %}{% set ns.found = true %}{% endif %}{% endfor %}{{ ns.found }}");
        assert_clean("loop var named like a global", "{% for config in configs %}{{ config.name }}{% endfor %}");
        assert_clean("self block", "{% block title %}x{% endblock %}{{ self.title() }}");
        assert_clean("calls", "{{ raise_exception('no') }}{{ strftime_now('%Y') }}{% for i in range(3) %}{{ i }}{% endfor %}{% set c = cycler('a','b') %}{{ c.next() }}");
    }

    #[test]
    fn escaped_names_are_decoded_like_python() {
        for t in [
            r"{{ x['\x5f\x5fglobals\x5f\x5f'] }}",
            r"{{ x['\u005f\u005fclass\u005f\u005f'] }}",
            r"{{ x['\U0000005f\U0000005fclass\U0000005f\U0000005f'] }}",
            r"{{ x['\137\137class\137\137'] }}",
            r"{{ x['\N{LOW LINE}\N{low line}class__'] }}",
            r#"{{ x['__cla' "ss__"] }}"#,
            r"{{ x|attr('\x5f\x5fclass\x5f\x5f') }}",
        ] {
            assert_has(t, &TPL_SANDBOX_ESCAPE);
        }
        // An unknown \N{} name leaves the name unknown: dynamic, not silent.
        assert_has(r"{{ x|attr('\N{SOME NAME}class__') }}", &TPL_DYNAMIC_NAME);
    }

    #[test]
    fn names_built_by_string_operations() {
        for t in [
            "{{ x|attr(['__cl','ass__']|join) }}",
            "{{ x|attr(('_','_','class','_','_')|join('')) }}",
            "{{ x|attr('%s%s' % ('__cla', 'ss__')) }}",
            "{{ x|attr('__xlass__'|replace('x', 'c')) }}",
            "{{ x|attr('__ssalc__'|reverse) }}",
            "{{ x|attr('__ssalc__'[::-1]) }}",
            "{{ x|attr('__CLASS__'|lower) }}",
            "{{ x|attr('__CLASS__'.lower()) }}",
            "{{ x[('_' * 2) + 'class' + ('_' * 2)] }}",
            "{{ x|attr('{}{}class{}{}'.format('_','_','_','_')) }}",
            "{{ x|attr('class'.center(9, '_')) }}",
            "{{ x|attr('{:_^9}'.format('class')) }}",
            "{{ x|attr('%c%c%s%c%c'|format(95,95,'class',95,95)) }}",
            "{{ x|attr(dict(__class__=1)|first) }}",
            "{{ x|attr(dict(__class__=1)|list|last) }}",
            "{% set n %}__class__{% endset %}{{ x|attr(n) }}",
            "{% set n %}\n__class__\n{% endset %}{{ x|attr(n) }}",
            "{% macro n() %}__class__{% endmacro %}{{ x|attr(n()) }}",
            "{% macro get(o, k) %}{{ o|attr(k) }}{% endmacro %}{{ get(x, '__class__') }}",
            "{% macro get(o, k) %}{{ o[k] }}{% endmacro %}{{ get(x, '__cla' ~ 'ss__') }}",
            "{% set ns = namespace(n='__glo') %}{% set ns.n = ns.n ~ 'bals__' %}{{ lipsum[ns.n] }}",
            "{% for n in ['__class__'] %}{{ x|attr(n) }}{% endfor %}",
            "{% set a, b = '__cla', 'ss__' %}{{ x[a ~ b] }}",
            "{{ x.get('__globals__') }}",
            "{{ x|map(attribute='__class__')|list }}",
            "{{ x|map('attr', '__class__')|list }}",
            "{{ x|selectattr('__class__')|list }}",
            "{{ x|sort(attribute='a.__class__') }}",
            "{{ '{0.__class__}'.format(x) }}",
            "{% set x = __builtins__ %}",
            "{{ (x|attr('gi_frame')) }}",
            "{{ x.f_globals }}",
        ] {
            assert_has(t, &TPL_SANDBOX_ESCAPE);
        }
    }

    #[test]
    fn names_that_cannot_be_pinned_down_are_dynamic() {
        for t in [
            "{{ x|attr(name) }}",
            "{{ x|attr(y ~ 'class__') }}",
            "{{ x[(lipsum|string)[18] * 2 ~ 'class' ~ (lipsum|string)[18] * 2] }}",
            "{{ x[(()|select|string)[24] ~ 'x'] }}",
            "{% set ns = namespace(s='') %}{% for c in [95,95,99] %}{% set ns.s = ns.s ~ '%c'|format(c) %}{% endfor %}{{ x|attr(ns.s) }}",
            "{% set ns = namespace(s='') %}{% for c in codes %}{{ x|attr(ns.s) }}{% set ns.s = ns.s ~ c %}{% endfor %}",
            "{% set p = [] %}{% for c in [95] %}{{ p.append('%c'|format(c)) }}{% endfor %}{{ x[p|join] }}",
            "{{ x|map(name)|list }}",
            "{{ x|attr(y|format(1)) }}",
        ] {
            let c = codes(t);
            assert!(c.contains(&TPL_DYNAMIC_NAME.code) || c.contains(&TPL_SANDBOX_ESCAPE.code), "not flagged: {t} {c:?}");
        }
    }

    #[test]
    fn ordinary_dynamic_keys_stay_clean() {
        assert_clean("var key", "{% for k in keys %}{{ message[k] }}{% endfor %}");
        assert_clean("index", "{{ messages[loop_index - 1]['role'] }}{{ messages[ns.i] }}");
        assert_clean("prefixed key", "{{ data['tool_' ~ n] }}");
        assert_clean("items", "{% for k, v in tool.items() if k != 'return' %}{{ k }}{{ v|tojson }}{% endfor %}");
        assert_clean("attr const", "{{ m|attr('content') }}");
        assert_clean("map attribute", "{{ messages|map(attribute='content')|join('\\n') }}");
        assert_clean("private in a dict key", "{{ message['_meta'] }}");
    }

    #[test]
    fn private_attribute_is_medium() {
        let f = analyse_template("{{ x()._module }}");
        assert_eq!(f.len(), 1, "{f:#?}");
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn line_numbers_point_at_the_payload() {
        let f = analyse_template("{{ a }}\n{{ b }}\n\n{{ x.__class__ }}\n");
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].location.line, Some(4));
        assert!(f[0].evidence.contains("__class__"), "{f:?}");
    }

    #[test]
    fn unparsable_template_is_incomplete_but_still_scanned() {
        let f = analyse_template("{% for x in %}{{ y }}");
        assert!(f.iter().any(|f| f.rule.code == TPL_MALFORMED.code));
        assert_eq!(worst("{% for x in %}"), Some(Severity::Info));
        // A template that does not parse still has its tokens checked.
        let f = analyse_template("{% frobnicate %}{{ ''.__class__.__mro__ }}{{ lipsum.x }}");
        assert!(f.iter().any(|f| f.rule.code == TPL_MALFORMED.code));
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{f:#?}");
        assert!(f.iter().any(|f| f.rule.code == TPL_GLOBAL_OBJECT.code), "{f:#?}");
        // ... even after something the lexer rejects.
        let f = analyse_template("{{ \u{1}$ }}{{ x|attr(\"\\x5f\\x5fclass\\x5f\\x5f\") }}");
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{f:#?}");
        let f = analyse_template("{{ é\u{1} }}{{ x.__class__ }}");
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{f:#?}");
        // Jinja2 renders a call after a filter; minijinja does not parse it. The fallback still
        // joins literal concatenations and flags computed `|attr` names.
        let f = analyse_template("{{ x|attr('a')() }}{{ x|attr('__cla' ~ 'ss__') }}");
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{f:#?}");
        let f = analyse_template("{{ x|attr('a')() }}{{ x|attr(name) }}{{ y|attr('%c'|format(95)) }}");
        assert_eq!(f.iter().filter(|f| f.rule.code == TPL_DYNAMIC_NAME.code).count(), 2, "{f:#?}");
        let f = analyse_template("{{ x|attr('a')() }}{{ x|attr('content') }}");
        assert!(!f.iter().any(|f| f.rule.code == TPL_DYNAMIC_NAME.code), "{f:#?}");
    }

    #[test]
    fn generation_tags_are_understood() {
        assert_clean("generation", "{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% endif %}{% endfor %}");
    }

    #[test]
    fn deep_expressions_do_not_overflow() {
        let deep = format!("{{{{ x{} }}}}", ".a".repeat(200_000));
        let f = analyse_template(&deep);
        assert!(f.iter().any(|f| f.rule.code == TPL_MALFORMED.code));
        let nots = format!("{{{{ {} x }}}}", "not ".repeat(100_000));
        analyse_template(&nots);
        // Just under the token limit: parsed and analysed in full.
        let chain = format!("{{{{ x{}.__class__ }}}}", ".a".repeat(MAX_BLOCK_TOKENS / 2 - 4));
        let f = analyse_template(&chain);
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{f:?}");
        assert!(!f.iter().any(|f| f.rule.code == TPL_MALFORMED.code), "{f:?}");
        let concat = format!("{{{{ x[{}'__cl' ~ 'ass__'] }}}}", "'a' ~ ".repeat(MAX_BLOCK_TOKENS / 2 - 4));
        assert!(!analyse_template(&concat).iter().any(|f| f.rule.code == TPL_MALFORMED.code));
        let unary = format!("{{{{ {}x.__class__ }}}}", "- ".repeat(MAX_BLOCK_TOKENS - 5));
        assert!(analyse_template(&unary).iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code));
        for open in ["(", "[", "{% if x %}"] {
            let close = match open {
                "(" => ")",
                "[" => "]",
                _ => "{% endif %}",
            };
            let nested = format!("{}{{{{ x.__class__ }}}}{}", open.repeat(400), close.repeat(400));
            let nested = if open.starts_with('{') { nested } else { format!("{{{{ {} }}}}", nested.replace("{{ ", "").replace(" }}", "")) };
            let f = analyse_template(&nested);
            assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{open}: {f:?}");
        }
    }

    #[test]
    fn value_explosion_is_bounded() {
        let mut t = String::from("{% set a = ['x','y','z','w','v','u','t','s'] %}");
        for i in 0..40 {
            t.push_str(&format!("{{% set a = [a,a,a,a,a,a,a,a] %}}{{% set b{i} = a|join ~ a|join %}}"));
        }
        t.push_str("{% set s = 'ab' * 100000 %}{{ s * 100000 }}{{ x[s] }}");
        let start = std::time::Instant::now();
        analyse_template(&t);
        assert!(start.elapsed().as_secs() < 10);
        // Nested macros calling each other with string arguments.
        let mut m = String::new();
        for i in 0..30 {
            m.push_str(&format!("{{% macro m{i}(a) %}}{{{{ m{}(a ~ 'x') }}}}{{{{ m{}(a ~ 'y') }}}}{{% endmacro %}}", i + 1, i + 1));
        }
        m.push_str("{% macro m30(a) %}{{ a }}{% endmacro %}{{ m0('s') }}");
        let start = std::time::Instant::now();
        analyse_template(&m);
        assert!(start.elapsed().as_secs() < 20);
    }

    #[test]
    fn analysis_budget_is_reported_and_the_walk_still_completes() {
        let mut t = String::from("{% macro m(a) %}");
        for _ in 0..200 {
            t.push_str("{{ a ~ a }}");
        }
        t.push_str("{% endmacro %}");
        for _ in 0..20_000 {
            t.push_str("{{ m('x') }}");
        }
        t.push_str("{{ x.__class__ }}");
        let start = std::time::Instant::now();
        let f = analyse_template(&t);
        assert!(start.elapsed().as_secs() < 30);
        assert!(f.iter().any(|f| f.rule.code == TPL_MALFORMED.code && f.message.contains("too complex")), "{f:?}");
        assert!(f.iter().any(|f| f.rule.code == TPL_SANDBOX_ESCAPE.code), "{f:?}");
    }

    #[test]
    fn json_extraction() {
        let t = templates_in_json(r#"{"chat_template": "{{ x }}"}"#);
        assert_eq!(t, vec![("chat_template".to_string(), "{{ x }}".to_string())]);
        let t = templates_in_json(r#"{"chat_template": [{"name": "default", "template": "a"}, {"name": "tool_use", "template": "b"}]}"#);
        assert_eq!(
            t,
            vec![("chat_template[default]".to_string(), "a".to_string()), ("chat_template[tool_use]".to_string(), "b".to_string())]
        );
        assert!(templates_in_json("not json").is_empty());
        assert!(templates_in_json(r#"{"chat_template": 3}"#).is_empty());
        assert!(templates_in_json(&"[".repeat(100_000)).is_empty());
    }

    // --- robustness -----------------------------------------------------------------------------

    use crate::testutil::Rng;

    const PIECES: &[&str] = &[
        "{{",
        "}}",
        "{%",
        "%}",
        "{#",
        "#}",
        "'",
        "\"",
        "\\",
        "\\x5f",
        "\\N{",
        "__class__",
        "|attr(",
        ")",
        "(",
        "[",
        "]",
        "~",
        "%",
        "|format(",
        "namespace(",
        "{% set ns.x = ns.x ~ 'a' %}",
        "{% for a in b %}",
        "{% endfor %}",
        "{% macro m(a) %}",
        "{% endmacro %}",
        "{% if x %}",
        "{% endif %}",
        "lipsum.",
        "self.",
        "\u{1F600}",
        "é",
        "\n",
        "-",
        "+",
        "*",
        "::-1",
        ",",
        "=",
        ".",
    ];

    #[test]
    fn random_mutations_never_panic() {
        let mut seeds: Vec<String> = Vec::new();
        if let Ok(rd) = std::fs::read_dir(data_dir()) {
            for e in rd.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    seeds.push(t);
                }
            }
        }
        seeds.push("{% set a = '__glo' %}{% set b = a ~ 'bals__' %}{{ lipsum[b] }}".into());
        seeds.push("{{ x|attr('%c%c'|format(95,95) ~ 'class__') }}{{ '{0.__class__:_^9}'.format(x) }}".into());
        // analyse_here, not analyse_template: a panic must fail the test, not become a finding.
        // Two workers of 10 000 mutations each, on the machine's two cores.
        let workers: Vec<_> = [0x9e37_79b9_7f4a_7c15u64, 0x2545_f491_4f6c_dd1d]
            .into_iter()
            .map(|seed| {
                let seeds = seeds.clone();
                std::thread::Builder::new().stack_size(ANALYSIS_STACK).spawn(move || fuzz(&seeds, seed, 10_000)).expect("thread")
            })
            .collect();
        for w in workers {
            w.join().expect("analysis panicked");
        }
    }

    fn fuzz(seeds: &[String], seed: u64, iterations: usize) {
        let mut rng = Rng(seed);
        for _ in 0..iterations {
            let base = &seeds[rng.below(seeds.len())];
            let mut chars: Vec<char> = base.chars().collect();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(chars.len() + 1);
                match rng.below(4) {
                    0 if !chars.is_empty() => {
                        let end = (at + 1 + rng.below(20)).min(chars.len());
                        chars.drain(at.min(end)..end);
                    }
                    1 => {
                        let p = PIECES[rng.below(PIECES.len())];
                        chars.splice(at..at, p.chars());
                    }
                    2 if !chars.is_empty() => {
                        let i = rng.below(chars.len());
                        chars[i] = char::from_u32(rng.below(0x80) as u32).unwrap_or('x');
                    }
                    _ => {
                        // Duplicate a slice, which nests blocks and grows expressions.
                        let a = rng.below(chars.len() + 1);
                        let b = (a + rng.below(200)).min(chars.len());
                        let dup: Vec<char> = chars[a..b].to_vec();
                        chars.splice(at..at, dup);
                    }
                }
            }
            let t: String = chars.into_iter().collect();
            let _ = analyse_here(&t);
            let _ = templates_in_json(&t);
        }
    }
}
