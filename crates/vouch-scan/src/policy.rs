//! Pickle policy: allowlist first. A global that loading invokes must be on the allowlist;
//! known-dangerous globals are critical with a specific reason; users extend or tighten both
//! lists in `vouch.toml`.

use std::collections::BTreeMap;
use vouch_pickle::machine::{Analysis, CallKind, Callee};
use vouch_pickle::payload::PayloadKind;
use vouch_report::rules::*;
use vouch_report::{Finding, Severity};

static BUILTIN_ALLOW: &str = include_str!("../data/pickle-allowlist.txt");
static BUILTIN_DENY: &str = include_str!("../data/pickle-denylist.txt");

#[derive(Debug, Clone)]
enum Pattern {
    /// module and all submodules, any name.
    Module(Vec<String>),
    /// exact module and dotted name.
    Exact(String, String),
    /// final attribute name anywhere.
    Attr(String),
    /// CapWords class in any submodule of the prefix.
    Classes(Vec<String>),
    /// Any non-dunder name in any submodule of the prefix, called or not (namespaces no Python
    /// import can reach, such as TorchScript's `__torch__`).
    Anything(Vec<String>),
}

fn parse_pattern(p: &str) -> Option<Pattern> {
    let p = p.trim();
    if p.is_empty() {
        return None;
    }
    if let Some(name) = p.strip_prefix("*:") {
        return Some(Pattern::Attr(name.to_string()));
    }
    if let Some(prefix) = p.strip_suffix(".**:*") {
        return Some(Pattern::Anything(prefix.split('.').map(str::to_string).collect()));
    }
    if let Some(prefix) = p.strip_suffix(".**:Class") {
        return Some(Pattern::Classes(prefix.split('.').map(str::to_string).collect()));
    }
    if let Some((m, n)) = p.split_once(':') {
        return Some(Pattern::Exact(m.to_string(), n.to_string()));
    }
    Some(Pattern::Module(p.trim_end_matches(".*").split('.').map(str::to_string).collect()))
}

fn is_class_name(s: &str) -> bool {
    s.trim_start_matches('_').chars().next().is_some_and(|c| c.is_ascii_uppercase()) && !s.contains("__")
}

/// TorchScript renames classes into `___torch_mangle_<n>` submodules.
fn is_mangle(m: &str) -> bool {
    m.strip_prefix("___torch_mangle_").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

impl Pattern {
    /// Matches a path given as components (module components then name components).
    fn matches(&self, module: &str, name: &str) -> bool {
        match self {
            Pattern::Exact(m, n) => m == module && n == name,
            Pattern::Module(prefix) => {
                let comps: Vec<&str> = module.split('.').chain(name.split('.')).collect();
                // Every tail of the path: posixpath.os.system is also os.system.
                (0..comps.len()).any(|i| comps.len() - i > prefix.len() && comps[i..].iter().zip(prefix).all(|(a, b)| a == b))
            }
            Pattern::Attr(a) => name.split('.').chain(module.split('.').skip(1)).any(|c| c == a),
            Pattern::Classes(prefix) => {
                let mods: Vec<&str> = module.split('.').collect();
                mods.len() >= prefix.len()
                    && mods[..prefix.len()].iter().zip(prefix).all(|(a, b)| a == b)
                    && !name.contains('.')
                    && is_class_name(name)
                    && !mods.iter().any(|m| m.starts_with("__") && *m != "__torch__" && !is_mangle(m))
            }
            Pattern::Anything(prefix) => {
                let mods: Vec<&str> = module.split('.').collect();
                mods.len() >= prefix.len()
                    && mods[..prefix.len()].iter().zip(prefix).all(|(a, b)| a == b)
                    && !name.split('.').any(|c| c.starts_with("__"))
                    && !mods[prefix.len()..].iter().any(|m| m.starts_with("__") && !is_mangle(m))
            }
        }
    }
}

/// The allow and deny lists in force.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Exact allow entries as `module:name`, looked up before any pattern.
    exact: std::collections::HashSet<String>,
    allow: Vec<Pattern>,
    deny: Vec<(Pattern, String)>,
    user_deny: Vec<Pattern>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::new(&[], &[])
    }
}

impl Policy {
    /// Built-in lists plus the user's additions (`allow`) and blocks (`deny`), in the same
    /// pattern syntax as the data files.
    pub fn new(user_allow: &[String], user_deny: &[String]) -> Policy {
        let lines = |text: &'static str| text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'));
        let mut allow: Vec<Pattern> = lines(BUILTIN_ALLOW).filter_map(parse_pattern).collect();
        allow.extend(user_allow.iter().filter_map(|p| parse_pattern(p)));
        let deny = lines(BUILTIN_DENY)
            .filter_map(|l| {
                let (p, why) = l.split_once('\t')?;
                Some((parse_pattern(p)?, why.trim().to_string()))
            })
            .collect();
        let user_deny = user_deny.iter().filter_map(|p| parse_pattern(p)).collect();
        let exact = allow.iter().filter_map(|p| if let Pattern::Exact(m, n) = p { Some(format!("{m}:{n}")) } else { None }).collect();
        Policy { exact, allow, deny, user_deny }
    }

    /// How a global is judged.
    pub fn judge(&self, module: &str, name: &str, called_with_args: bool) -> Judgement {
        if self.user_deny.iter().any(|p| p.matches(module, name)) {
            return Judgement::Denied("blocked by vouch.toml".into());
        }
        if self.exact.contains(&format!("{module}:{name}")) {
            return Judgement::Allowed;
        }
        if let Some((_, why)) = self.deny.iter().find(|(p, _)| p.matches(module, name)) {
            return Judgement::Denied(why.clone());
        }
        if name.split('.').any(|c| c.starts_with("__") && c.ends_with("__")) {
            return Judgement::Denied("reaches an attribute through a special (dunder) name".into());
        }
        if self.allow.iter().any(|p| matches!(p, Pattern::Anything(..)) && p.matches(module, name)) {
            return Judgement::Allowed;
        }
        let class_ok = self.allow.iter().any(|p| matches!(p, Pattern::Classes(..)) && p.matches(module, name));
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
