//! Symbolic pickle machine: simulates the unpickler's stack and memo without creating any
//! object, so that every GLOBAL / STACK_GLOBAL is resolved to the callable it names (even when
//! its strings arrive through the memo) and every invocation (REDUCE, INST, OBJ, NEWOBJ,
//! NEWOBJ_EX, BUILD on modules and classes) is attributed to a callee.

use crate::compat;
use crate::payload::{self, Payload};
use crate::reader::{Arg, Input, Num, Op, OpReader, PickleError, ReadLimits, SliceInput};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Analysis limits. Hitting one ends the analysis with [`Analysis::limit`] set.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_ops: u64,
    pub max_memo: usize,
    pub max_stack: usize,
    /// Bytes kept of any string/bytes argument (longer ones are skipped, not inspected).
    pub max_string: usize,
    /// Pickle streams analysed in one input (stacked pickles).
    pub max_streams: usize,
    /// Depth of pickles found inside pickles (embedded payloads, joblib object arrays).
    pub max_depth: u32,
    /// Items kept per container; longer containers are counted, not stored.
    pub max_items: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_ops: 50_000_000,
            max_memo: 4_000_000,
            max_stack: 1_000_000,
            max_string: 16 << 20,
            max_streams: 1024,
            max_depth: 4,
            max_items: 4096,
        }
    }
}

/// A global the pickle imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GlobalRef {
    /// Module after Python 2 → 3 normalisation.
    pub module: String,
    /// Possibly dotted attribute path inside the module.
    pub name: String,
    /// Offset of the importing opcode.
    pub offset: u64,
    pub opcode: &'static str,
    /// True when loading calls it, or passes it to something that is called.
    pub invoked: bool,
    /// True for `builtins.getattr` used only as `getattr(<global>, "<constant>")`: that use is
    /// judged as the attribute it names (its own entry), not as an arbitrary getattr.
    pub resolved_getattr: bool,
}

impl GlobalRef {
    pub fn dotted(&self) -> String {
        format!("{}.{}", self.module, self.name)
    }
}

/// What a call targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Callee {
    /// Index into [`Analysis::globals`].
    Global(usize),
    /// Something only known at load time; the string describes it.
    Dynamic(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallKind {
    Reduce,
    NewObj,
    NewObjEx,
    Inst,
    Obj,
    /// A global passed as an argument to a call or a BUILD (it may be called by its receiver).
    Argument,
}

/// One invocation performed while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub callee: Callee,
    pub kind: CallKind,
    pub offset: u64,
    /// The call rendered as Python-like text, arguments abbreviated.
    pub text: String,
}

/// BUILD applied to a module or class: attributes set on it while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    pub target: String,
    pub attrs: Vec<String>,
    pub offset: u64,
}

/// A pickle that loading the outer one also loads.
#[derive(Debug)]
pub struct Nested {
    pub offset: u64,
    pub loader: String,
    pub analysis: Analysis,
}

/// One pickle stream (from its first opcode through STOP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stream {
    pub start: u64,
    pub end: u64,
    pub protocol: Option<u8>,
    pub ops: u64,
    /// False for a stream that broke before its STOP.
    pub complete: bool,
}

/// Everything learned about a pickle input.
#[derive(Debug, Default)]
pub struct Analysis {
    pub streams: Vec<Stream>,
    pub globals: Vec<GlobalRef>,
    pub calls: Vec<Call>,
    pub overrides: Vec<Override>,
    pub payloads: Vec<Payload>,
    /// The stream broke here; nothing after it was analysed.
    pub error: Option<PickleError>,
    /// A limit was reached; nothing after it was analysed.
    pub limit: Option<String>,
    pub ops: u64,
    pub persistent_ids: u64,
    /// Storage keys named by `('storage', type, key, location, numel)` persistent ids (PyTorch).
    pub storage_keys: Vec<String>,
    /// Pickles that loading this one also unpickles (`torch.storage._load_from_bytes`).
    pub nested: Vec<Nested>,
    /// Legacy PyTorch serialization (magic number stream first); raw storage follows `end`.
    pub legacy_torch: bool,
    /// joblib arrays whose raw bytes were skipped.
    pub joblib_arrays: u64,
    /// Offset where analysis stopped.
    pub end: u64,
}

impl Analysis {
    /// True when the whole input was analysed.
    pub fn complete(&self) -> bool {
        self.error.is_none() && self.limit.is_none()
    }
}

/// Analyses a pickle held in memory.
pub fn analyse(data: &[u8], limits: &Limits) -> Analysis {
    analyse_input(SliceInput::new(data), limits, 0)
}

/// Analyses a pickle read from any [`Input`] (e.g. a buffered file).
pub fn analyse_input<I: Input>(input: I, limits: &Limits, depth: u32) -> Analysis {
    let mut reader = OpReader::with_input(input, ReadLimits { max_kept: limits.max_string });
    let mut m = Machine::new(limits, depth);
    m.run(&mut reader);
    m.a.end = reader.pos();
    std::mem::take(&mut m.a)
}

/// The value one stream produced, as far as it is statically known (constants, tuples, lists
/// and global names), for loaders that act on it (legacy torch tar headers).
#[derive(Debug, Clone, PartialEq)]
pub enum Summary {
    Int(i64),
    Str(String),
    /// A global's dotted name.
    Global(String),
    Seq(Vec<Summary>),
    Other,
}

/// Analyses exactly one stream and returns what it produced; `Analysis::end` is where the
/// stream ended (the loader reads raw bytes from there).
pub fn analyse_one<I: Input>(input: I, limits: &Limits) -> (Analysis, Option<Summary>) {
    let mut reader = OpReader::with_input(input, ReadLimits { max_kept: limits.max_string });
    let mut m = Machine::new(limits, 0);
    let start = reader.pos();
    let result = match m.stream(&mut reader) {
        Ok(Some(v)) => {
            m.a.streams.push(Stream { start, end: reader.pos(), protocol: m.proto, ops: m.a.ops, complete: true });
            let s = m.summarise(&v, 0);
            discard([v]);
            Some(s)
        }
        Ok(None) => {
            m.a.error = Some(PickleError::Truncated { offset: start, what: "no pickle where one was expected".into() });
            None
        }
        Err(Halt::Error(e)) => {
            m.a.error = Some(e);
            None
        }
        Err(Halt::Limit(l)) => {
            m.a.limit = Some(l);
            None
        }
        Err(Halt::Stop(_)) => None,
    };
    m.a.end = reader.pos();
    (std::mem::take(&mut m.a), result)
}

/// The magic number legacy `torch.save` pickles first.
const TORCH_MAGIC: &str = "119547037146038801333356";

#[derive(Debug)]
struct Obj {
    callee: Value,
    args: Value,
    state: RefCell<Option<Value>>,
}

#[derive(Debug, Clone)]
enum Value {
    None,
    Bool(bool),
    Int(i64),
    BigInt(Rc<str>),
    Float(f64),
    Str(Rc<str>),
    /// Content and the offset of the opcode that pushed it.
    Bytes(Rc<[u8]>, u64),
    Global(usize),
    Object(Rc<Obj>),
    Tuple(Rc<Vec<Value>>),
    List(Rc<RefCell<Vec<Value>>>),
    Dict(Rc<RefCell<Vec<(Value, Value)>>>),
    Set(Rc<RefCell<Vec<Value>>>),
    /// Result of persistent_load.
    Persistent(Rc<Value>),
    /// Pushed by something that has no static meaning (out-of-band buffers, extension codes).
    Opaque(Rc<str>),
}

impl Value {
    fn is_number(&self) -> bool {
        matches!(self, Value::None | Value::Bool(_) | Value::Int(_) | Value::BigInt(_) | Value::Float(_))
    }
}

/// The memo. Keys stored in order from 0 (MEMOIZE, and PUT as picklers write it) go to a
/// vector; others to a hash map, keyed with a random hash because pickles choose them.
/// Keys below `dense.len()` live only in `dense`, all others only in `sparse`.
#[derive(Default)]
struct Memo {
    dense: Vec<Value>,
    sparse: HashMap<u64, Value>,
}

impl Memo {
    fn len(&self) -> usize {
        self.dense.len() + self.sparse.len()
    }

    fn get(&self, k: u64) -> Option<&Value> {
        match usize::try_from(k) {
            Ok(i) if i < self.dense.len() => Some(&self.dense[i]),
            _ => self.sparse.get(&k),
        }
    }

    fn contains_key(&self, k: u64) -> bool {
        self.get(k).is_some()
    }

    /// Stores `v` at `k`, returning what was there.
    fn insert(&mut self, k: u64, v: Value) -> Option<Value> {
        match usize::try_from(k) {
            Ok(i) if i < self.dense.len() => Some(std::mem::replace(&mut self.dense[i], v)),
            Ok(i) if i == self.dense.len() => {
                let old = self.sparse.remove(&k);
                self.dense.push(v);
                old
            }
            _ => self.sparse.insert(k, v),
        }
    }

    fn into_values(self) -> impl Iterator<Item = Value> {
        self.dense.into_iter().chain(self.sparse.into_values())
    }
}

/// Emptied stack segments kept for reuse.
const SPARE_SEGMENTS: usize = 8;

/// Numbers kept at the front of a list; later ones are dropped (see [`Machine::append`]).
const KEPT_NUMBERS: usize = 64;

enum Halt {
    Stop(Value),
    Error(PickleError),
    Limit(String),
}

struct Machine<'l> {
    limits: &'l Limits,
    depth: u32,
    a: Analysis,
    stack: Vec<Value>,
    marks: Vec<Vec<Value>>,
    memo: Memo,
    /// Emptied stack segments (their allocations) for the next MARKs.
    spare: Vec<Vec<Value>>,
    /// Attributes set on modules/classes by BUILD: (dotted target, attr) -> value.
    overridden: HashMap<(String, String), Value>,
    proto: Option<u8>,
}

/// Destroys values without recursion: containers whose last reference this is are emptied
/// into a worklist, and every mutable container reached is drained, which also breaks the
/// reference cycles a pickle can build (a list appended to itself). Deeply nested values
/// (`)` followed by a million TUPLE1) would otherwise overflow the stack when dropped.
fn discard(values: impl IntoIterator<Item = Value>) {
    let mut work: Vec<Value> = values.into_iter().collect();
    while let Some(v) = work.pop() {
        match v {
            Value::Tuple(t) => {
                if let Ok(items) = Rc::try_unwrap(t) {
                    work.extend(items);
                }
            }
            Value::List(l) | Value::Set(l) => {
                let items = std::mem::take(&mut *l.borrow_mut());
                work.extend(items);
            }
            Value::Dict(d) => {
                let items = std::mem::take(&mut *d.borrow_mut());
                for (k, x) in items {
                    work.push(k);
                    work.push(x);
                }
            }
            Value::Object(o) => {
                let state = o.state.borrow_mut().take();
                work.extend(state);
                if let Ok(obj) = Rc::try_unwrap(o) {
                    work.push(obj.callee);
                    work.push(obj.args);
                }
            }
            Value::Persistent(p) => {
                if let Ok(inner) = Rc::try_unwrap(p) {
                    work.push(inner);
                }
            }
            _ => {}
        }
    }
}

impl Drop for Machine<'_> {
    fn drop(&mut self) {
        discard(std::mem::take(&mut self.stack));
        for m in std::mem::take(&mut self.marks) {
            discard(m);
        }
        discard(std::mem::take(&mut self.memo).into_values());
        discard(std::mem::take(&mut self.overridden).into_values());
    }
}

impl<'l> Machine<'l> {
    fn new(limits: &'l Limits, depth: u32) -> Self {
        Machine {
            limits,
            depth,
            a: Analysis::default(),
            stack: Vec::new(),
            marks: Vec::new(),
            memo: Memo::default(),
            spare: Vec::new(),
            overridden: HashMap::new(),
            proto: None,
        }
    }

    fn run<I: Input>(&mut self, r: &mut OpReader<I>) {
        // Whether the first stream produced torch's magic number, and how many streams ended.
        let mut magic = false;
        let mut done = 0usize;
        loop {
            let start = r.pos();
            if self.a.streams.len() >= self.limits.max_streams {
                self.a.limit = Some(format!("more than {} pickle streams", self.limits.max_streams));
                return;
            }
            discard(std::mem::take(&mut self.stack));
            for m in std::mem::take(&mut self.marks) {
                discard(m);
            }
            discard(std::mem::take(&mut self.memo).into_values());
            self.proto = None;
            let ops_before = self.a.ops;
            match self.stream(r) {
                Ok(None) => return, // clean end of input between streams
                Ok(Some(v)) => {
                    self.a.streams.push(Stream { start, end: r.pos(), protocol: self.proto, ops: self.a.ops - ops_before, complete: true });
                    if done == 0 {
                        magic = matches!(&v, Value::BigInt(s) if &**s == TORCH_MAGIC);
                        self.a.legacy_torch = magic;
                    }
                    done += 1;
                    discard([v]);
                    // Legacy torch files are five pickles followed by raw storage bytes.
                    if magic && done == 5 {
                        return;
                    }
                }
                Err(Halt::Error(e)) => {
                    if self.a.ops > ops_before || self.a.streams.is_empty() {
                        self.a.streams.push(Stream {
                            start,
                            end: r.pos(),
                            protocol: self.proto,
                            ops: self.a.ops - ops_before,
                            complete: false,
                        });
                    }
                    self.a.error = Some(e);
                    return;
                }
                Err(Halt::Limit(l)) => {
                    self.a.limit = Some(l);
                    return;
                }
                Err(Halt::Stop(_)) => unreachable!("stop is returned as Ok"),
            }
        }
    }

    /// Runs one stream to STOP. `Ok(None)` when the input ends before its first opcode.
    fn stream<I: Input>(&mut self, r: &mut OpReader<I>) -> Result<Option<Value>, Halt> {
        let mut first = true;
        let mut op = Op { code: 0, name: "", pos: 0, arg: Arg::None };
        loop {
            match r.next_into(&mut op) {
                Ok(true) => {}
                Ok(false) if first => return Ok(None),
                Ok(false) => return Err(Halt::Error(PickleError::Truncated { offset: r.pos(), what: "input ends before STOP".into() })),
                Err(e) => return Err(Halt::Error(e)),
            }
            first = false;
            self.a.ops += 1;
            if self.a.ops > self.limits.max_ops {
                return Err(Halt::Limit(format!("more than {} opcodes", self.limits.max_ops)));
            }
            match self.step(&op, r) {
                Ok(()) => {}
                Err(Halt::Stop(v)) => return Ok(Some(v)),
                Err(h) => return Err(h),
            }
            if matches!(op.code, b'G' | b'J' | b'K' | b'M') {
                // Weight lists: long runs of numbers, each pushed exactly as `step` would,
                // without decoding them one opcode at a time. The run stops short of both
                // limits, so the opcode that crosses one takes the slow path and reports it.
                let budget = (self.limits.max_ops - self.a.ops).min(self.limits.max_stack.saturating_sub(self.stack.len()) as u64);
                let stack = &mut self.stack;
                self.a.ops += r.number_run(budget, |n| {
                    stack.push(match n {
                        Num::Float(f) => Value::Float(f),
                        Num::Int(i) => Value::Int(i),
                    })
                });
            }
            if self.stack.len() > self.limits.max_stack || self.marks.len() > self.limits.max_stack {
                return Err(Halt::Limit(format!("stack deeper than {}", self.limits.max_stack)));
            }
        }
    }

    fn pop(&mut self, op: &Op) -> Result<Value, Halt> {
        self.stack.pop().ok_or_else(|| underflow(op))
    }

    fn pop_mark(&mut self, op: &Op) -> Result<Vec<Value>, Halt> {
        let items = std::mem::take(&mut self.stack);
        self.stack = self
            .marks
            .pop()
            .ok_or_else(|| Halt::Error(PickleError::BadArgument { offset: op.pos, opcode: op.name, why: "no MARK on the stack".into() }))?;
        Ok(items)
    }

    fn top(&mut self, op: &Op) -> Result<&mut Value, Halt> {
        self.stack.last_mut().ok_or_else(|| underflow(op))
    }

    fn push_data(&mut self, v: Value, offset: u64) {
        if self.depth < self.limits.max_depth {
            let found = match &v {
                Value::Str(s) => payload::inspect(s.as_bytes(), true, offset, self.limits, self.depth),
                Value::Bytes(b, _) => payload::inspect(b, false, offset, self.limits, self.depth),
                _ => None,
            };
            if let Some(p) = found {
                self.a.payloads.push(p);
            }
        }
        self.stack.push(v);
    }

    fn memo_put(&mut self, op: &Op, idx: u64) -> Result<(), Halt> {
        let v = self.stack.last().cloned().ok_or_else(|| underflow(op))?;
        if self.memo.len() >= self.limits.max_memo && !self.memo.contains_key(idx) {
            return Err(Halt::Limit(format!("memo larger than {} entries", self.limits.max_memo)));
        }
        if let Some(old) = self.memo.insert(idx, v) {
            discard([old]);
        }
        Ok(())
    }

    fn memo_get(&mut self, op: &Op, idx: u64) -> Result<(), Halt> {
        match self.memo.get(idx) {
            Some(v) => {
                self.stack.push(v.clone());
                Ok(())
            }
            None => Err(Halt::Error(PickleError::BadArgument {
                offset: op.pos,
                opcode: op.name,
                why: format!("memo key {idx} was never stored"),
            })),
        }
    }

    fn add_global(&mut self, module: &str, name: &str, op: &Op) -> Value {
        let (module, name) = compat::normalise(module, name);
        if let Some(v) = self.overridden.get(&(module.clone(), name.clone())) {
            // The attribute was replaced earlier in this load: the import yields that value.
            let v = v.clone();
            self.a.globals.push(GlobalRef { module, name, offset: op.pos, opcode: op.name, invoked: false, resolved_getattr: false });
            return v;
        }
        self.a.globals.push(GlobalRef { module, name, offset: op.pos, opcode: op.name, invoked: false, resolved_getattr: false });
        Value::Global(self.a.globals.len() - 1)
    }

    /// Records an invocation. Returns the value it produces when that is statically known.
    fn call(&mut self, callee: &Value, args: &Value, kind: CallKind, offset: u64) -> Option<Value> {
        // Legacy torch.save stores module classes as persistent ids ('module', cls, path,
        // source); torch's persistent_load returns cls, so calling the result calls cls.
        let resolved;
        let callee = match callee {
            Value::Persistent(pid) => match &**pid {
                Value::Tuple(t)
                    if matches!(t.first(), Some(Value::Str(s)) if &**s == "module") && matches!(t.get(1), Some(Value::Global(_))) =>
                {
                    resolved = t[1].clone();
                    &resolved
                }
                _ => callee,
            },
            _ => callee,
        };
        if let (Value::Global(i), Value::Tuple(t)) = (callee, args) {
            let dotted = self.a.globals[*i].dotted();
            match (dotted.as_str(), t.as_slice()) {
                // getattr(<global>, "<constant>") is just a longer global name.
                ("builtins.getattr", [Value::Global(j), Value::Str(attr)]) if kind == CallKind::Reduce => {
                    self.a.globals[*i].resolved_getattr = true;
                    let base = self.a.globals[*j].clone();
                    self.a.globals.push(GlobalRef {
                        module: base.module,
                        name: format!("{}.{}", base.name, attr),
                        offset,
                        opcode: "getattr",
                        invoked: false,
                        resolved_getattr: false,
                    });
                    return Some(Value::Global(self.a.globals.len() - 1));
                }
                // torch.load()s these bytes: their pickles run too.
                ("torch.storage._load_from_bytes", [Value::Bytes(b, at)]) if self.depth < self.limits.max_depth => {
                    let at = *at;
                    let b = b.clone();
                    self.a.payloads.retain(|p| p.offset != at);
                    let nested = analyse_input(SliceInput::new(&b), self.limits, self.depth + 1);
                    self.a.nested.push(Nested { offset: at, loader: dotted, analysis: nested });
                }
                _ => {}
            }
        }
        let text = format!("{}({})", self.describe(callee, 1), self.describe_args(args));
        let callee_ref = match callee {
            Value::Global(i) => {
                self.a.globals[*i].invoked = true;
                Callee::Global(*i)
            }
            other => Callee::Dynamic(self.describe(other, 2)),
        };
        self.a.calls.push(Call { callee: callee_ref, kind, offset, text: text.clone() });
        // Globals handed to a call may be called by it (functools.partial, copyreg._reconstructor,
        // map, apply-style helpers): they count as invoked.
        self.mark_arguments(args, offset, &text, 0);
        None
    }

    fn mark_arguments(&mut self, v: &Value, offset: u64, text: &str, depth: u32) {
        if depth > 3 {
            return;
        }
        match v {
            Value::Global(i) if !self.a.globals[*i].invoked => {
                self.a.globals[*i].invoked = true;
                self.a.calls.push(Call { callee: Callee::Global(*i), kind: CallKind::Argument, offset, text: text.to_string() });
            }
            Value::Tuple(items) => {
                for x in items.iter() {
                    self.mark_arguments(x, offset, text, depth + 1);
                }
            }
            Value::List(items) | Value::Set(items) => {
                let items = items.borrow().clone();
                for x in items.iter() {
                    self.mark_arguments(x, offset, text, depth + 1);
                }
            }
            Value::Dict(items) => {
                let items = items.borrow().clone();
                for (k, x) in items.iter() {
                    self.mark_arguments(k, offset, text, depth + 1);
                    self.mark_arguments(x, offset, text, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn object(&self, callee: Value, args: Value) -> Value {
        Value::Object(Rc::new(Obj { callee, args, state: RefCell::new(None) }))
    }

    fn step<I: Input>(&mut self, op: &Op, r: &mut OpReader<I>) -> Result<(), Halt> {
        let max_items = self.limits.max_items;
        match op.code {
            b'(' => {
                let fresh = self.spare.pop().unwrap_or_default();
                let saved = std::mem::replace(&mut self.stack, fresh);
                self.marks.push(saved);
            }
            b'.' => {
                let v = self.pop(op)?;
                return Err(Halt::Stop(v));
            }
            b'0' => match self.stack.pop() {
                Some(v) => discard([v]),
                // CPython pops a MARK when the stack above it is empty.
                None => discard(self.pop_mark(op)?),
            },
            b'1' => {
                let items = self.pop_mark(op)?;
                discard(items);
            }
            b'2' => {
                let v = self.top(op)?.clone();
                self.stack.push(v);
            }
            // Numbers and constants.
            b'F' | b'G' => self.stack.push(match op.arg {
                Arg::Float(f) => Value::Float(f),
                _ => Value::Float(0.0),
            }),
            b'I' | b'J' | b'K' | b'L' | b'M' | 0x8a | 0x8b => self.stack.push(int_value(&op.arg)),
            b'N' => self.stack.push(Value::None),
            0x88 => self.stack.push(Value::Bool(true)),
            0x89 => self.stack.push(Value::Bool(false)),
            // Strings and bytes.
            b'S' | b'T' | b'U' | b'B' | b'C' | 0x8e | 0x96 => {
                if let Arg::Bytes { b, .. } = &op.arg {
                    let v = if matches!(op.code, b'S' | b'T' | b'U') {
                        // Python 2 str: decoded as ASCII by default, bytes with encoding='bytes'.
                        match std::str::from_utf8(b) {
                            Ok(s) => Value::Str(s.into()),
                            Err(_) => Value::Bytes(b.as_slice().into(), op.pos),
                        }
                    } else {
                        Value::Bytes(b.as_slice().into(), op.pos)
                    };
                    self.push_data(v, op.pos);
                }
            }
            b'V' | b'X' | 0x8c | 0x8d => {
                if let Arg::Str { s, .. } = &op.arg {
                    self.push_data(Value::Str(s.as_str().into()), op.pos);
                }
            }
            // Containers.
            b')' => self.stack.push(Value::Tuple(Rc::new(Vec::new()))),
            b']' => self.stack.push(Value::List(Rc::new(RefCell::new(Vec::new())))),
            b'}' => self.stack.push(Value::Dict(Rc::new(RefCell::new(Vec::new())))),
            0x8f => self.stack.push(Value::Set(Rc::new(RefCell::new(Vec::new())))),
            b't' => {
                let mut items = self.pop_mark(op)?;
                items.truncate(max_items);
                self.stack.push(Value::Tuple(Rc::new(items)));
            }
            0x85..=0x87 => {
                let n = usize::from(op.code - 0x84);
                if self.stack.len() < n {
                    return Err(underflow(op));
                }
                let items = self.stack.split_off(self.stack.len() - n);
                self.stack.push(Value::Tuple(Rc::new(items)));
            }
            b'l' => {
                let mut items = self.pop_mark(op)?;
                items.truncate(max_items);
                self.stack.push(Value::List(Rc::new(RefCell::new(items))));
            }
            b'd' => {
                let items = self.pop_mark(op)?;
                let pairs = pairs(items, max_items);
                self.stack.push(Value::Dict(Rc::new(RefCell::new(pairs))));
            }
            0x91 => {
                let mut items = self.pop_mark(op)?;
                items.truncate(max_items);
                self.stack.push(Value::Set(Rc::new(RefCell::new(items))));
            }
            b'a' => {
                let v = self.pop(op)?;
                let target = self.top(op)?.clone();
                self.append(&target, vec![v], op)?;
            }
            b'e' | 0x90 => {
                let items = self.pop_mark(op)?;
                let target = self.top(op)?.clone();
                self.append(&target, items, op)?;
            }
            b's' => {
                let v = self.pop(op)?;
                let k = self.pop(op)?;
                let target = self.top(op)?.clone();
                self.set_items(&target, vec![(k, v)], op)?;
            }
            b'u' => {
                let items = self.pop_mark(op)?;
                let target = self.top(op)?.clone();
                self.set_items(&target, pairs(items, max_items), op)?;
            }
            // Memo.
            b'p' | b'q' | b'r' => {
                let idx = op.arg.as_int().unwrap_or(-1);
                if idx < 0 {
                    return Err(Halt::Error(PickleError::BadArgument { offset: op.pos, opcode: op.name, why: "negative memo key".into() }));
                }
                self.memo_put(op, idx as u64)?;
            }
            0x94 => {
                let idx = self.memo.len() as u64;
                self.memo_put(op, idx)?;
            }
            b'g' | b'h' | b'j' => {
                let idx = op.arg.as_int().unwrap_or(-1);
                if idx < 0 {
                    return Err(Halt::Error(PickleError::BadArgument { offset: op.pos, opcode: op.name, why: "negative memo key".into() }));
                }
                self.memo_get(op, idx as u64)?;
            }
            // Imports.
            b'c' => {
                if let Arg::Pair(m, n) = &op.arg {
                    let v = self.add_global(m, n, op);
                    self.stack.push(v);
                }
            }
            0x93 => {
                let name = self.pop(op)?;
                let module = self.pop(op)?;
                match (&module, &name) {
                    (Value::Str(m), Value::Str(n)) => {
                        let v = self.add_global(m, n, op);
                        self.stack.push(v);
                    }
                    _ => {
                        let what = format!("STACK_GLOBAL of ({}, {})", self.describe(&module, 2), self.describe(&name, 2));
                        self.dynamic_import(what, op.pos);
                    }
                }
            }
            0x82..=0x84 => {
                let code = op.arg.as_int().unwrap_or(0);
                self.dynamic_import(format!("extension registry code {code}"), op.pos);
            }
            // Invocations.
            b'R' => {
                let args = self.pop(op)?;
                let callee = self.pop(op)?;
                let obj = match self.call(&callee, &args, CallKind::Reduce, op.pos) {
                    Some(v) => v,
                    None => self.object(callee, args),
                };
                self.stack.push(obj);
            }
            0x81 => {
                let args = self.pop(op)?;
                let cls = self.pop(op)?;
                self.call(&cls, &args, CallKind::NewObj, op.pos);
                let obj = self.object(cls, args);
                self.stack.push(obj);
            }
            0x92 => {
                let kwargs = self.pop(op)?;
                let args = self.pop(op)?;
                let cls = self.pop(op)?;
                let both = Value::Tuple(Rc::new(vec![args, kwargs]));
                self.call(&cls, &both, CallKind::NewObjEx, op.pos);
                let obj = self.object(cls, both);
                self.stack.push(obj);
            }
            b'i' => {
                let args = Value::Tuple(Rc::new(self.pop_mark(op)?));
                if let Arg::Pair(m, n) = &op.arg {
                    let cls = self.add_global(m, n, op);
                    self.call(&cls, &args, CallKind::Inst, op.pos);
                    let obj = self.object(cls, args);
                    self.stack.push(obj);
                }
            }
            b'o' => {
                let mut items = self.pop_mark(op)?;
                if items.is_empty() {
                    return Err(underflow(op));
                }
                let cls = items.remove(0);
                let args = Value::Tuple(Rc::new(items));
                self.call(&cls, &args, CallKind::Obj, op.pos);
                let obj = self.object(cls, args);
                self.stack.push(obj);
            }
            b'b' => {
                let state = self.pop(op)?;
                let target = self.top(op)?.clone();
                self.build(&target, state, op, r)?;
            }
            b'P' => {
                let pid = match &op.arg {
                    Arg::Str { s, .. } => Value::Str(s.as_str().into()),
                    _ => Value::None,
                };
                self.a.persistent_ids += 1;
                self.stack.push(Value::Persistent(Rc::new(pid)));
            }
            b'Q' => {
                let pid = self.pop(op)?;
                self.persistent(pid);
            }
            0x80 => {
                let p = op.arg.as_int().unwrap_or(-1);
                if !(0..=5).contains(&p) {
                    return Err(Halt::Error(PickleError::BadArgument {
                        offset: op.pos,
                        opcode: op.name,
                        why: format!("unsupported pickle protocol: {p}"),
                    }));
                }
                self.proto = Some(p as u8);
            }
            0x95 => {}
            0x97 => self.stack.push(Value::Opaque("out-of-band buffer".into())),
            0x98 => {
                self.top(op)?;
            }
            _ => unreachable!("reader only yields known opcodes"),
        }
        Ok(())
    }

    fn summarise(&self, v: &Value, depth: u32) -> Summary {
        if depth > 8 {
            return Summary::Other;
        }
        match v {
            Value::Int(i) => Summary::Int(*i),
            Value::Bool(b) => Summary::Int(i64::from(*b)),
            Value::Str(s) => Summary::Str(s.to_string()),
            Value::Global(i) => Summary::Global(self.a.globals[*i].dotted()),
            Value::Tuple(t) => Summary::Seq(t.iter().take(64).map(|x| self.summarise(x, depth + 1)).collect()),
            Value::List(l) => Summary::Seq(l.borrow().iter().take(64).map(|x| self.summarise(x, depth + 1)).collect()),
            _ => Summary::Other,
        }
    }

    /// An import whose target is only known at load time: recorded as a dynamic call.
    fn dynamic_import(&mut self, what: String, offset: u64) {
        self.a.calls.push(Call { callee: Callee::Dynamic(what.clone()), kind: CallKind::Reduce, offset, text: what.clone() });
        self.stack.push(Value::Opaque(what.into()));
    }

    fn persistent(&mut self, pid: Value) {
        self.a.persistent_ids += 1;
        if let Value::Tuple(t) = &pid {
            if let (Some(Value::Str(tag)), Some(Value::Str(key))) = (t.first(), t.get(2)) {
                if &**tag == "storage" && self.a.storage_keys.len() < self.limits.max_memo {
                    self.a.storage_keys.push(key.to_string());
                }
            }
        }
        self.stack.push(Value::Persistent(Rc::new(pid)));
    }

    fn append(&mut self, target: &Value, items: Vec<Value>, op: &Op) -> Result<(), Halt> {
        match target {
            Value::List(l) | Value::Set(l) => {
                let mut l = l.borrow_mut();
                // Numbers carry nothing to analyse; past a prefix kept for evidence they are
                // dropped (weight lists hold millions of them).
                let mut items = items;
                let keep_all = KEPT_NUMBERS.saturating_sub(l.len());
                let mut i = 0usize;
                items.retain(|v| {
                    i += 1;
                    i <= keep_all || !v.is_number()
                });
                let room = self.limits.max_items.saturating_sub(l.len());
                if items.len() > room {
                    discard(items.drain(room..));
                }
                l.append(&mut items);
                drop(l);
                // The emptied stack segment serves the next MARK: no regrowing it from nothing.
                if self.spare.len() < SPARE_SEGMENTS {
                    self.spare.push(items);
                }
            }
            Value::Object(_) | Value::Global(_) | Value::Opaque(_) | Value::Persistent(_) => {
                // list.extend/append on an arbitrary object calls its methods.
                let callee = target.clone();
                let args = Value::Tuple(Rc::new(items));
                self.call(&callee, &args, CallKind::Argument, op.pos);
            }
            _ => return Err(type_error(op, "append to a non-list")),
        }
        Ok(())
    }

    fn set_items(&mut self, target: &Value, items: Vec<(Value, Value)>, op: &Op) -> Result<(), Halt> {
        match target {
            Value::Dict(d) => {
                let mut d = d.borrow_mut();
                let room = self.limits.max_items.saturating_sub(d.len());
                d.extend(items.into_iter().take(room));
            }
            Value::Object(_) | Value::Global(_) | Value::Opaque(_) | Value::Persistent(_) => {
                let args = Value::Dict(Rc::new(RefCell::new(items)));
                self.mark_arguments(&args, op.pos, "__setitem__", 0);
            }
            _ => return Err(type_error(op, "item assignment on a non-dict")),
        }
        Ok(())
    }

    fn build<I: Input>(&mut self, target: &Value, state: Value, op: &Op, r: &mut OpReader<I>) -> Result<(), Halt> {
        match target {
            Value::Global(i) => {
                // Setting attributes on a module or class: later imports of them see the new value.
                let g = self.a.globals[*i].clone();
                let dotted = g.dotted();
                let mut attrs = Vec::new();
                let mut dicts = Vec::new();
                match &state {
                    Value::Dict(_) => dicts.push(state.clone()),
                    Value::Tuple(t) if t.len() == 2 => dicts.extend(t.iter().cloned()),
                    _ => {}
                }
                for d in dicts {
                    if let Value::Dict(d) = d {
                        for (k, v) in d.borrow().iter() {
                            if let Value::Str(k) = k {
                                attrs.push(k.to_string());
                                self.overridden.insert((dotted.clone(), k.to_string()), v.clone());
                            }
                        }
                    }
                }
                self.a.overrides.push(Override { target: dotted, attrs, offset: op.pos });
                self.mark_arguments(&state, op.pos, "BUILD", 0);
            }
            Value::Object(o) => {
                *o.state.borrow_mut() = Some(state.clone());
                self.mark_arguments(&state, op.pos, &format!("{}.__setstate__", self.describe(&o.callee, 1)), 0);
                if let Value::Global(i) = &o.callee {
                    let g = &self.a.globals[*i];
                    if g.name == "NumpyArrayWrapper" && g.module.ends_with("joblib.numpy_pickle") {
                        self.joblib_array(&state, op, r)?;
                    }
                }
            }
            Value::Opaque(_) | Value::Persistent(_) => {
                self.mark_arguments(&state, op.pos, "BUILD", 0);
            }
            _ => {
                let what = format!("BUILD on {}", self.describe(target, 1));
                self.a.calls.push(Call { callee: Callee::Dynamic(what.clone()), kind: CallKind::Reduce, offset: op.pos, text: what });
            }
        }
        Ok(())
    }

    /// joblib writes each numpy array's raw bytes right after the BUILD of its
    /// `NumpyArrayWrapper`; object arrays are a nested pickle instead.
    fn joblib_array<I: Input>(&mut self, state: &Value, op: &Op, r: &mut OpReader<I>) -> Result<(), Halt> {
        let unknown = |why: &str| {
            Halt::Error(PickleError::BadArgument { offset: op.pos, opcode: "BUILD", why: format!("joblib array layout unknown: {why}") })
        };
        let dict = match state {
            Value::Dict(d) => d.borrow().clone(),
            _ => return Err(unknown("state is not a dict")),
        };
        let get = |k: &str| dict.iter().find(|(key, _)| matches!(key, Value::Str(s) if &**s == k)).map(|(_, v)| v.clone());
        let shape = match get("shape") {
            Some(Value::Tuple(t)) => {
                t.iter().map(|v| if let Value::Int(i) = v { u64::try_from(*i).ok() } else { None }).collect::<Option<Vec<u64>>>()
            }
            _ => None,
        }
        .ok_or_else(|| unknown("shape"))?;
        let count = shape.iter().try_fold(1u64, |a, &b| a.checked_mul(b)).ok_or_else(|| unknown("shape overflows"))?;
        let (itemsize, has_object) = get("dtype").as_ref().and_then(dtype_layout).ok_or_else(|| unknown("dtype"))?;
        self.a.joblib_arrays += 1;
        if has_object {
            // The object array is an ordinary pickle stream read by pickle.load: analyse it.
            if self.depth >= self.limits.max_depth {
                return Err(Halt::Limit("joblib object arrays nested too deeply".into()));
            }
            let saved = (std::mem::take(&mut self.stack), std::mem::take(&mut self.marks), std::mem::take(&mut self.memo));
            self.depth += 1;
            let res = self.stream(r);
            self.depth -= 1;
            discard(std::mem::take(&mut self.stack));
            discard(std::mem::take(&mut self.memo).into_values());
            for m in std::mem::take(&mut self.marks) {
                discard(m);
            }
            (self.stack, self.marks, self.memo) = saved;
            return match res {
                Ok(Some(v)) => {
                    discard([v]);
                    Ok(())
                }
                Ok(None) => Err(Halt::Error(PickleError::Truncated { offset: r.pos(), what: "joblib object array missing".into() })),
                Err(h) => Err(h),
            };
        }
        let aligned = matches!(get("numpy_array_alignment_bytes"), Some(Value::Int(_)));
        if aligned {
            let pad = r.raw(1, 1).map_err(Halt::Error)?.ok_or_else(|| unknown("padding cut short"))?;
            let n = u64::from(pad[0]);
            if !r.skip(n).map_err(Halt::Error)? {
                return Err(unknown("padding cut short"));
            }
        }
        let bytes = count.checked_mul(itemsize).ok_or_else(|| unknown("size overflows"))?;
        if !r.skip(bytes).map_err(Halt::Error)? {
            return Err(Halt::Error(PickleError::Truncated { offset: r.pos(), what: format!("joblib array of {bytes} bytes cut short") }));
        }
        Ok(())
    }

    fn describe_args(&self, args: &Value) -> String {
        match args {
            Value::Tuple(t) => t.iter().map(|v| self.describe(v, 2)).collect::<Vec<_>>().join(", "),
            other => format!("*{}", self.describe(other, 2)),
        }
    }

    /// Python-like rendering of a symbolic value, abbreviated.
    fn describe(&self, v: &Value, depth: u32) -> String {
        let short = |s: &str| {
            let mut out: String = s.chars().take(80).collect();
            if s.chars().count() > 80 {
                out.push('…');
            }
            out
        };
        match v {
            Value::None => "None".into(),
            Value::Bool(b) => if *b { "True" } else { "False" }.into(),
            Value::Int(i) => i.to_string(),
            Value::BigInt(s) => short(s),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => format!("{:?}", short(s)),
            Value::Bytes(b, _) => format!("b{:?}", short(&String::from_utf8_lossy(b))),
            Value::Global(i) => self.a.globals[*i].dotted(),
            Value::Object(o) if depth > 0 => format!(
                "{}({})",
                self.describe(&o.callee, depth - 1),
                match &o.args {
                    Value::Tuple(t) => t.iter().map(|x| self.describe(x, depth - 1)).collect::<Vec<_>>().join(", "),
                    other => self.describe(other, depth - 1),
                }
            ),
            Value::Object(o) => format!("{}(…)", self.describe(&o.callee, 0)),
            Value::Tuple(t) if depth > 0 => {
                let inner: Vec<String> = t.iter().take(8).map(|x| self.describe(x, depth - 1)).collect();
                format!("({}{})", inner.join(", "), if t.len() == 1 { "," } else { "" })
            }
            Value::Tuple(_) => "(…)".into(),
            Value::List(_) => "[…]".into(),
            Value::Dict(_) => "{…}".into(),
            Value::Set(_) => "{…}".into(),
            Value::Persistent(p) => format!("persistent_load({})", self.describe(p, depth.saturating_sub(1))),
            Value::Opaque(s) => s.to_string(),
        }
    }
}

/// Item size and "holds Python objects" of a pickled `numpy.dtype`.
fn dtype_layout(v: &Value) -> Option<(u64, bool)> {
    let o = match v {
        Value::Object(o) => o,
        _ => return None,
    };
    let spec = match &o.args {
        Value::Tuple(t) => match t.first() {
            Some(Value::Str(s)) => s.to_string(),
            _ => return None,
        },
        _ => return None,
    };
    let state = o.state.borrow();
    let (elsize, flags) = match state.as_ref() {
        Some(Value::Tuple(t)) if t.len() >= 8 => (
            match t[5] {
                Value::Int(i) if i > 0 => Some(i as u64),
                _ => None,
            },
            match t[7] {
                Value::Int(i) => Some(i),
                _ => None,
            },
        ),
        _ => (None, None),
    };
    let kind = spec.chars().next()?;
    let has_object = kind == 'O' || flags.is_some_and(|f| f & 1 == 1);
    let parsed: Option<u64> = spec[kind.len_utf8()..].parse().ok();
    let size = match (elsize, kind) {
        (Some(e), _) => e,
        (None, 'U') => parsed? * 4,
        (None, _) => parsed?,
    };
    Some((size, has_object))
}

fn pairs(items: Vec<Value>, max: usize) -> Vec<(Value, Value)> {
    let mut out = Vec::with_capacity(items.len().min(max * 2) / 2);
    let mut it = items.into_iter();
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        if out.len() >= max {
            break;
        }
        out.push((k, v));
    }
    out
}

fn int_value(arg: &Arg) -> Value {
    match arg {
        Arg::Int(i) => Value::Int(*i),
        Arg::Bool(b) => Value::Bool(*b),
        Arg::BigInt(s) => Value::BigInt(s.as_str().into()),
        _ => Value::Int(0),
    }
}

fn underflow(op: &Op) -> Halt {
    Halt::Error(PickleError::BadArgument { offset: op.pos, opcode: op.name, why: "stack underflow".into() })
}

fn type_error(op: &Op, why: &str) -> Halt {
    Halt::Error(PickleError::BadArgument { offset: op.pos, opcode: op.name, why: why.into() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(a: &Analysis) -> Vec<(String, bool)> {
        a.globals.iter().map(|g| (g.dotted(), g.invoked)).collect()
    }

    #[test]
    fn protocol0_reduce() {
        let a = analyse(b"cposix\nsystem\n(S'ls'\ntR.", &Limits::default());
        assert!(a.complete());
        assert_eq!(names(&a), vec![("posix.system".into(), true)]);
        assert_eq!(a.calls[0].text, "posix.system(\"ls\")");
    }

    #[test]
    fn stack_global_through_memo() {
        // 'os' and 'system' stored in the memo, popped, then fetched with BINGET.
        let p = b"\x80\x04\x8c\x02os\x94\x8c\x06system\x94h\x00h\x01\x93\x8c\x02id\x85R.";
        let a = analyse(p, &Limits::default());
        assert!(a.complete(), "{:?}", a.error);
        assert_eq!(names(&a), vec![("os.system".into(), true)]);
    }

    #[test]
    fn inst_and_obj_invoke() {
        let a = analyse(b"(S'id'\nisubprocess\ncheck_output\n.", &Limits::default());
        assert_eq!(names(&a), vec![("subprocess.check_output".into(), true)]);
        let a = analyse(b"(cbuiltins\nexec\nS'print(1)'\no.", &Limits::default());
        assert_eq!(names(&a), vec![("builtins.exec".into(), true)]);
        assert_eq!(a.calls[0].kind, CallKind::Obj);
    }

    #[test]
    fn python2_names_are_normalised() {
        let a = analyse(b"c__builtin__\neval\n(S'1'\ntR.", &Limits::default());
        assert_eq!(names(&a), vec![("builtins.eval".into(), true)]);
    }

    #[test]
    fn stacked_streams_are_all_read() {
        let a = analyse(b"N.cposix\nsystem\n(S'x'\ntR.", &Limits::default());
        assert_eq!(a.streams.len(), 2);
        assert_eq!(names(&a), vec![("posix.system".into(), true)]);
    }

    #[test]
    fn broken_stream_keeps_what_came_before() {
        let a = analyse(b"cbuiltins\nexec\n(X\xff\xff\xff\x00", &Limits::default());
        assert!(a.error.is_some());
        assert_eq!(names(&a), vec![("builtins.exec".into(), false)]);
    }

    #[test]
    fn build_on_module_is_an_override_and_redirects_imports() {
        // torch._utils._rebuild_tensor = "builtins"; later STACK_GLOBAL("torch._utils",
        // "_rebuild_tensor") yields that string.
        let p = b"\x80\x04\x8c\x05torch\x8c\x06_utils\x93}\x8c\x0f_rebuild_tensor\x8c\x08builtins\x8c\x04eval\x93sb0.";
        let a = analyse(p, &Limits::default());
        assert_eq!(a.overrides.len(), 1, "{a:?}");
        assert_eq!(a.overrides[0].target, "torch._utils");
        assert_eq!(a.overrides[0].attrs, vec!["_rebuild_tensor".to_string()]);
    }

    #[test]
    fn globals_passed_to_calls_count_as_invoked() {
        // functools.partial(posix.system)
        let p = b"cfunctools\npartial\n(cposix\nsystem\ntR.";
        let a = analyse(p, &Limits::default());
        assert_eq!(names(&a), vec![("functools.partial".into(), true), ("posix.system".into(), true)]);
    }

    #[test]
    fn long_number_lists_keep_everything_that_is_not_a_number() {
        // functools.partial([0, 1, ..., posix.system, ...]): numbers past the kept prefix are
        // dropped, the global in the middle of them is still an argument of the call.
        let mut p = b"cfunctools\npartial\n(]".to_vec();
        for round in 0..3 {
            p.push(b'(');
            for i in 0..5000u32 {
                p.extend_from_slice(&[b'K', (i % 256) as u8]);
                if round == 1 && i == 2500 {
                    p.extend_from_slice(b"cposix\nsystem\n");
                }
            }
            p.push(b'e');
        }
        p.extend_from_slice(b"tR.");
        let a = analyse(&p, &Limits::default());
        assert!(a.complete(), "{:?}", a.error);
        assert_eq!(a.ops, 15_013);
        assert_eq!(names(&a), vec![("functools.partial".into(), true), ("posix.system".into(), true)]);
    }

    #[test]
    fn dynamic_callee() {
        // getattr(builtins, 'eval')('1'): the second REDUCE calls a computed value.
        let p = b"cbuiltins\ngetattr\n(cbuiltins\nbuiltins\nS'eval'\ntR(S'1'\ntR.";
        let a = analyse(p, &Limits::default());
        assert!(a.globals.iter().any(|g| g.dotted() == "builtins.builtins.eval" && g.invoked), "{:?}", a.globals);
        // getattr(<object>, 'system')(...) stays dynamic.
        let p = b"cbuiltins\ngetattr\n(cos\n_wrap_close\n)RS'system'\ntR(S'id'\ntR.";
        let a = analyse(p, &Limits::default());
        assert!(a.calls.iter().any(|c| matches!(&c.callee, Callee::Dynamic(d) if d.contains("getattr"))), "{:?}", a.calls);
    }

    #[test]
    fn limits_stop_analysis() {
        let mut p = vec![b'('];
        p.extend(std::iter::repeat_n(b'N', 100));
        p.extend_from_slice(b"t.");
        let a = analyse(&p, &Limits { max_ops: 10, ..Limits::default() });
        assert!(a.limit.is_some());
    }
}

#[cfg(test)]
mod more_tests {
    use super::*;

    #[test]
    fn getattr_on_a_global_with_a_constant_is_a_longer_name() {
        // getattr(zoneinfo.ZoneInfo, "_unpickle")("UTC", 1), as pandas writes time zones.
        let p = b"cbuiltins\ngetattr\n(czoneinfo\nZoneInfo\nS'_unpickle'\ntR(S'UTC'\nI1\ntR.";
        let a = analyse(p, &Limits::default());
        let g: Vec<_> = a.globals.iter().map(|g| (g.dotted(), g.invoked, g.resolved_getattr)).collect();
        assert_eq!(
            g,
            vec![
                ("builtins.getattr".to_string(), false, true),
                ("zoneinfo.ZoneInfo".to_string(), false, false),
                ("zoneinfo.ZoneInfo._unpickle".to_string(), true, false),
            ]
        );
    }

    #[test]
    fn load_from_bytes_is_analysed_as_a_loaded_pickle() {
        let inner = b"cposix\nsystem\n(S'id'\ntR.";
        let mut p = b"\x80\x02ctorch.storage\n_load_from_bytes\nB".to_vec();
        p.extend_from_slice(&(inner.len() as u32).to_le_bytes());
        p.extend_from_slice(inner);
        p.extend_from_slice(b"\x85R.");
        let a = analyse(&p, &Limits::default());
        assert!(a.payloads.is_empty());
        assert_eq!(a.nested.len(), 1);
        assert_eq!(a.nested[0].analysis.globals[0].dotted(), "posix.system");
    }
}

#[cfg(test)]
mod fuzz_regressions {
    use super::*;

    #[test]
    fn deeply_nested_tuples_do_not_overflow_the_stack() {
        // fuzz/regressions/pickle-deep-tuple-stack-overflow: `)` then TUPLE1 a million times.
        let mut p = b"\x80\x04)".to_vec();
        p.extend(std::iter::repeat_n(0x85u8, 1_000_000));
        p.push(b'.');
        let a = analyse(&p, &Limits::default());
        assert!(a.complete());
        // Popped instead of returned.
        p.pop();
        p.extend_from_slice(b"0N.");
        assert!(analyse(&p, &Limits::default()).complete());
    }

    #[test]
    fn self_referencing_list_is_torn_down() {
        // fuzz/regressions/pickle-rc-cycle-leak: a list appended to itself through the memo.
        let a = analyse(b"]q\x00h\x00a.", &Limits::default());
        assert!(a.complete());
    }
}
