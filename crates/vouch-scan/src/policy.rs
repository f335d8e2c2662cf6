//! Pickle policy: allowlist first. A global that loading invokes must be on the allowlist;
//! known-dangerous globals are critical with a specific reason; users extend or tighten both
//! lists in `vouch.toml`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use vouch_pickle::machine::{Analysis, CallKind, Callee};
use vouch_pickle::payload::PayloadKind;
use vouch_report::rules::*;
use vouch_report::{Finding, Severity};

static BUILTIN_ALLOW: &str = include_str!("../data/pickle-allowlist.txt");
static BUILTIN_DENY: &str = include_str!("../data/pickle-denylist.txt");

/// Pattern text: borrowed from the built-in lists, owned for the user's additions, so that
/// building the default policy allocates next to nothing.
type Text = Cow<'static, str>;

/// A pattern; prefixes are dotted module paths, compared component by component.
#[derive(Debug, Clone)]
enum Pattern<S = Text> {
    /// module and all submodules, any name.
    Module(S),
    /// exact module and dotted name.
    Exact(S, S),
    /// final attribute name anywhere.
    Attr(S),
    /// CapWords class in any submodule of the prefix.
    Classes(S),
    /// Any non-dunder name in any submodule of the prefix, called or not (namespaces no Python
    /// import can reach, such as TorchScript's `__torch__`).
    Anything(S),
}

fn parse_pattern(p: &str) -> Option<Pattern<&str>> {
    let p = p.trim();
    if p.is_empty() {
        return None;
    }
    if let Some(name) = p.strip_prefix("*:") {
        return Some(Pattern::Attr(name));
    }
    if let Some(prefix) = p.strip_suffix(".**:*") {
        return Some(Pattern::Anything(prefix));
    }
    if let Some(prefix) = p.strip_suffix(".**:Class") {
        return Some(Pattern::Classes(prefix));
    }
    if let Some((m, n)) = p.split_once(':') {
        return Some(Pattern::Exact(m, n));
    }
    Some(Pattern::Module(p.trim_end_matches(".*")))
}

impl<'a> Pattern<&'a str> {
    fn map(self, f: impl Fn(&'a str) -> Text) -> Pattern {
        match self {
            Pattern::Module(p) => Pattern::Module(f(p)),
            Pattern::Exact(m, n) => Pattern::Exact(f(m), f(n)),
            Pattern::Attr(a) => Pattern::Attr(f(a)),
            Pattern::Classes(p) => Pattern::Classes(f(p)),
            Pattern::Anything(p) => Pattern::Anything(f(p)),
        }
    }
}

fn builtin_pattern(p: &'static str) -> Option<Pattern> {
    Some(parse_pattern(p)?.map(Cow::Borrowed))
}

fn user_pattern(p: &str) -> Option<Pattern> {
    Some(parse_pattern(p)?.map(|s| Cow::Owned(s.to_string())))
}

/// The part of the dotted `path` after the dotted `prefix`, when the prefix ends at a component
/// boundary: `Some("")` for the prefix itself, `Some(".rest")` below it.
fn below<'p>(path: &'p str, prefix: &str) -> Option<&'p str> {
    let rest = path.strip_prefix(prefix)?;
    (rest.is_empty() || rest.starts_with('.')).then_some(rest)
}

fn is_class_name(s: &str) -> bool {
    s.trim_start_matches('_').chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !s.contains("__")
}

/// TorchScript renames classes into `___torch_mangle_<n>` submodules.
fn is_mangle(m: &str) -> bool {
    m.strip_prefix("___torch_mangle_").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

/// A global being judged, split once for every pattern that looks at it.
struct Subject<'a> {
    module: &'a str,
    name: &'a str,
    /// `module.name`.
    full: String,
    /// Where each component of `full` starts.
    starts: Vec<usize>,
    /// The components an attribute pattern looks at: every one of the name, every one of the
    /// module after the first.
    attrs: Vec<&'a str>,
}

impl<'a> Subject<'a> {
    fn new(module: &'a str, name: &'a str) -> Subject<'a> {
        let full = format!("{module}.{name}");
        let starts = std::iter::once(0).chain(full.match_indices('.').map(|(i, _)| i + 1)).collect();
        let attrs = name.split('.').chain(module.split('.').skip(1)).collect();
        Subject { module, name, full, starts, attrs }
    }
}

impl Pattern {
    fn matches(&self, g: &Subject) -> bool {
        let (module, name) = (g.module, g.name);
        match self {
            Pattern::Exact(m, n) => m == module && n == name,
            // Every tail of the path, with at least one component below the prefix:
            // posixpath.os.system is also os.system.
            Pattern::Module(prefix) => g.starts.iter().any(|&i| below(&g.full[i..], prefix).is_some_and(|rest| !rest.is_empty())),
            Pattern::Attr(a) => g.attrs.iter().any(|c| c == a),
            Pattern::Classes(prefix) => {
                below(module, prefix).is_some()
                    && !name.contains('.')
                    && is_class_name(name)
                    && !module.split('.').any(|m| m.starts_with("__") && m != "__torch__" && !is_mangle(m))
            }
            Pattern::Anything(prefix) => below(module, prefix).is_some_and(|rest| {
                !name.split('.').any(|c| c.starts_with("__")) && !rest.split('.').any(|m| m.starts_with("__") && !is_mangle(m))
            }),
        }
    }
}

/// The allow and deny lists in force: the built-in ones plus the user's additions, built on
/// first use, so that a scan with no pickle in it never builds them and the workers start
/// without waiting for them.
#[derive(Debug, Clone)]
pub struct Policy {
    user_allow: Vec<String>,
    user_deny: Vec<String>,
    lists: std::sync::OnceLock<Lists>,
    /// Judgements already made in this run: checkpoints import the same few globals, and
    /// judging one walks every deny pattern.
    judged: Judged,
}

#[derive(Debug, Clone)]
struct Lists {
    /// Exact allow entries (module, name), sorted: looked up before any pattern.
    exact: Vec<(Text, Text)>,
    /// Every other allow pattern.
    allow: Vec<Pattern>,
    deny: Vec<(Pattern, Text)>,
    user_deny: Vec<Pattern>,
}

type JudgedKey = (String, String, bool);

/// Memo of [`Policy::judge`], shared by the scanning threads; a clone starts empty.
#[derive(Default)]
struct Judged(std::sync::Mutex<std::collections::HashMap<JudgedKey, Judgement>>);

impl Clone for Judged {
    fn clone(&self) -> Self {
        Judged::default()
    }
}

impl std::fmt::Debug for Judged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Judged")
    }
}

/// Judgements remembered at most; past this, judging goes on without remembering.
const MAX_JUDGED: usize = 4096;

impl Default for Policy {
    fn default() -> Self {
        Policy::new(&[], &[])
    }
}

impl Policy {
    /// Built-in lists plus the user's additions (`allow`) and blocks (`deny`), in the same
    /// pattern syntax as the data files.
    pub fn new(user_allow: &[String], user_deny: &[String]) -> Policy {
        Policy {
            user_allow: user_allow.to_vec(),
            user_deny: user_deny.to_vec(),
            lists: std::sync::OnceLock::new(),
            judged: Judged::default(),
        }
    }

    fn lists(&self) -> &Lists {
        self.lists.get_or_init(|| {
            let lines = |text: &'static str| text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
            let (mut exact, mut allow) = (Vec::new(), Vec::new());
            for p in lines(BUILTIN_ALLOW).filter_map(builtin_pattern).chain(self.user_allow.iter().filter_map(|p| user_pattern(p))) {
                match p {
                    Pattern::Exact(m, n) => exact.push((m, n)),
                    other => allow.push(other),
                }
            }
            exact.sort_unstable();
            let deny = lines(BUILTIN_DENY)
                .filter_map(|l| {
                    let (p, why) = l.split_once('\t')?;
                    Some((builtin_pattern(p)?, Cow::Borrowed(why.trim())))
                })
                .collect();
            let user_deny = self.user_deny.iter().filter_map(|p| user_pattern(p)).collect();
            Lists { exact, allow, deny, user_deny }
        })
    }

    /// How a global is judged.
    pub fn judge(&self, module: &str, name: &str, called_with_args: bool) -> Judgement {
        let key = (module.to_string(), name.to_string(), called_with_args);
        let known = self.judged.0.lock().unwrap_or_else(|p| p.into_inner()).get(&key).cloned();
        if let Some(j) = known {
            return j;
        }
        let j = self.judge_uncached(module, name, called_with_args);
        let mut m = self.judged.0.lock().unwrap_or_else(|p| p.into_inner());
        if m.len() < MAX_JUDGED {
            m.insert(key, j.clone());
        }
        j
    }

    fn judge_uncached(&self, module: &str, name: &str, called_with_args: bool) -> Judgement {
        let g = Subject::new(module, name);
        let lists = self.lists();
        if lists.user_deny.iter().any(|p| p.matches(&g)) {
            return Judgement::Denied("blocked by vouch.toml".into());
        }
        if lists.exact.binary_search_by(|(m, n)| (&**m, &**n).cmp(&(module, name))).is_ok() {
            return Judgement::Allowed;
        }
        if let Some((_, why)) = lists.deny.iter().find(|(p, _)| p.matches(&g)) {
            return Judgement::Denied(why.to_string());
        }
        if name.split('.').any(|c| c.starts_with("__") && c.ends_with("__")) {
            return Judgement::Denied("reaches an attribute through a special (dunder) name".into());
        }
        if lists.allow.iter().any(|p| matches!(p, Pattern::Anything(..)) && p.matches(&g)) {
            return Judgement::Allowed;
        }
        let class_ok = lists.allow.iter().any(|p| matches!(p, Pattern::Classes(..)) && p.matches(&g));
        if class_ok && !called_with_args {
            return Judgement::Allowed;
        }
        Judgement::Unlisted
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    Allowed,
    Denied(String),
    Unlisted,
}

/// Turns a pickle analysis into findings.
pub fn findings(a: &Analysis, policy: &Policy) -> Vec<Finding> {
    let mut out = Vec::new();
    evaluate(a, policy, &mut out, None);
    out
}

fn evaluate(a: &Analysis, policy: &Policy, out: &mut Vec<Finding>, nested_in: Option<(&str, u64)>) {
    let at = |offset: u64| nested_in.map(|(_, o)| o).unwrap_or(offset);
    let via = |msg: String| match nested_in {
        Some((loader, _)) => format!("{msg} (inside bytes that {loader} loads)"),
        None => msg,
    };
    // How each global is used, keyed by its dotted name so repeats give one finding.
    struct Use {
        module: String,
        name: String,
        first: u64,
        count: usize,
        invoked: bool,
        with_args: bool,
        example: Option<String>,
        resolved_getattr_only: bool,
    }
    let mut uses: BTreeMap<String, Use> = BTreeMap::new();
    for (i, g) in a.globals.iter().enumerate() {
        let calls: Vec<_> = a.calls.iter().filter(|c| c.callee == Callee::Global(i)).collect();
        let u = uses.entry(g.dotted()).or_insert(Use {
            module: g.module.clone(),
            name: g.name.clone(),
            first: g.offset,
            count: 0,
            invoked: false,
            with_args: false,
            example: None,
            resolved_getattr_only: true,
        });
        u.count += 1;
        u.invoked |= g.invoked;
        u.resolved_getattr_only &= g.resolved_getattr && !g.invoked;
        for c in &calls {
            if matches!(c.kind, CallKind::Reduce | CallKind::Inst | CallKind::Obj) {
                u.with_args = true;
            }
            if u.example.is_none() || c.kind != CallKind::Argument {
                u.example = Some(c.text.clone());
            }
        }
    }
    for (dotted, u) in &uses {
        if u.resolved_getattr_only {
            continue;
        }
        let judgement = policy.judge(&u.module, &u.name, u.with_args);
        let times = if u.count > 1 { format!(" ({} times)", u.count) } else { String::new() };
        let example = u.example.as_deref().map(|e| format!(": {e}")).unwrap_or_default();
        let f = match (judgement, u.invoked) {
            (Judgement::Allowed, _) => continue,
            (Judgement::Denied(why), true) => {
                Finding::new(&PKL_DANGEROUS_CALL, via(format!("loading calls {dotted}, which {why}{times}{example}")))
            }
            (Judgement::Denied(why), false) => Finding::new(&PKL_DANGEROUS_IMPORT, via(format!("imports {dotted}, which {why}{times}"))),
            (Judgement::Unlisted, true) => {
                Finding::new(&PKL_UNLISTED_CALL, via(format!("loading calls {dotted}, which is not on the allowlist{times}{example}")))
            }
            (Judgement::Unlisted, false) => {
                Finding::new(&PKL_UNLISTED_IMPORT, via(format!("imports {dotted}, which is not on the allowlist{times}")))
            }
        };
        out.push(f.offset(at(u.first)).evidence(dotted.clone()));
    }
    for c in &a.calls {
        if let Callee::Dynamic(what) = &c.callee {
            out.push(
                Finding::new(&PKL_DYNAMIC_CALL, via(format!("loading calls a value computed at load time: {what}")))
                    .offset(at(c.offset))
                    .evidence(c.text.clone()),
            );
        }
    }
    for o in &a.overrides {
        out.push(
            Finding::new(&PKL_ATTR_OVERRIDE, via(format!("loading sets attributes on {}: {}", o.target, o.attrs.join(", "))))
                .offset(at(o.offset))
                .evidence(o.target.clone()),
        );
    }
    for p in &a.payloads {
        match &p.kind {
            PayloadKind::Pickle(inner) => {
                let mut inner_findings = Vec::new();
                evaluate(inner, policy, &mut inner_findings, None);
                let worst = inner_findings.iter().map(|f| f.severity).max();
                let names: Vec<String> =
                    inner.globals.iter().map(|g| g.dotted()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
                let verb = if worst >= Some(Severity::High) { "that would call" } else { "importing" };
                out.push(
                    Finding::new(
                        &PKL_EMBEDDED_PICKLE,
                        via(format!("a {} value holds a pickle {verb} {}", p.encoding.as_str(), names.join(", "))),
                    )
                    .offset(at(p.offset))
                    .evidence(names.join(", ")),
                );
            }
            PayloadKind::Code(snippet) => {
                let enc = if p.encoding == vouch_pickle::payload::Encoding::Raw {
                    String::new()
                } else {
                    format!(" ({}-encoded)", p.encoding.as_str())
                };
                out.push(
                    Finding::new(&PKL_CODE_IN_DATA, via(format!("a string value holds code{enc}")))
                        .offset(at(p.offset))
                        .evidence(snippet.clone()),
                );
            }
        }
    }
    for n in &a.nested {
        evaluate(&n.analysis, policy, out, Some((&n.loader, n.offset)));
    }
    if a.streams.len() > 1 && !a.legacy_torch {
        out.push(Finding::new(&PKL_STACKED, format!("{} pickle streams in one file", a.streams.len())).offset(at(a.streams[1].start)));
    }
    if a.legacy_torch {
        out.push(
            Finding::new(&PKL_LEGACY_TORCH, "legacy PyTorch serialization; raw tensor storage after the pickles was not read")
                .offset(at(a.end)),
        );
    }
    if let Some(e) = &a.error {
        out.push(Finding::new(&PKL_MALFORMED, via(format!("pickle stream broken: {e}"))).offset(at(e.offset())));
    }
    if let Some(l) = &a.limit {
        out.push(Finding::new(&PKL_LIMIT, via(format!("analysis stopped: {l}"))).offset(at(a.end)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements() {
        let p = Policy::default();
        assert_eq!(p.judge("torch._utils", "_rebuild_tensor_v2", true), Judgement::Allowed);
        assert!(matches!(p.judge("posix", "system", true), Judgement::Denied(_)));
        assert!(matches!(p.judge("posixpath", "os.system", true), Judgement::Denied(_)));
        assert!(matches!(p.judge("asyncio.unix_events", "_UnixSubprocessTransport", false), Judgement::Denied(_)));
        assert!(matches!(p.judge("sklearn.utils.fixes", "Popen", false), Judgement::Denied(_)));
        assert!(matches!(p.judge("torch._utils", "_rebuild_tensor_v2.__globals__", true), Judgement::Denied(_)));
        assert_eq!(p.judge("sklearn.linear_model._logistic", "LogisticRegression", false), Judgement::Allowed);
        assert_eq!(p.judge("sklearn.linear_model._logistic", "LogisticRegression", true), Judgement::Unlisted);
        assert_eq!(p.judge("sklearn.datasets", "fetch_openml", false), Judgement::Unlisted);
        assert_eq!(p.judge("mypkg", "Net", false), Judgement::Unlisted);
        assert!(matches!(p.judge("torch.serialization", "load", true), Judgement::Denied(_)));
        assert_eq!(p.judge("torch.serialization", "_get_layout", true), Judgement::Allowed);
        let p = Policy::new(&["mypkg:Net".into()], &["torch._utils:_rebuild_tensor_v2".into()]);
        assert_eq!(p.judge("mypkg", "Net", true), Judgement::Allowed);
        assert!(matches!(p.judge("torch._utils", "_rebuild_tensor_v2", true), Judgement::Denied(_)));
    }
}
