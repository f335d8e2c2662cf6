//! TorchScript source (`code/**/*.py` in a TorchScript archive): the loader compiles and runs
//! it, so calls that reach the shell, the file system or native-code loaders are dangerous.
//! The check works on dotted name chains found by a small tokenizer (strings and comments are
//! skipped), not on raw substrings, so `torch.nn.functional.relu` never matches `os.`.

use vouch_report::rules::TS_CODE_CALL;
use vouch_report::{Finding, Location};

/// Dotted prefixes that must not appear in TorchScript code, with the reason.
static DENY: &[(&str, &str)] = &[
    ("os", "runs shell commands or touches the file system"),
    ("posix", "runs shell commands or touches the file system"),
    ("nt", "runs shell commands or touches the file system"),
    ("subprocess", "starts processes"),
    ("sys", "alters the interpreter"),
    ("builtins", "reaches Python builtins"),
    ("__builtins__", "reaches Python builtins"),
    ("importlib", "imports arbitrary modules"),
    ("socket", "opens network connections"),
    ("shutil", "copies or deletes files"),
    ("torch.ops.load_library", "loads a native library"),
    ("torch.classes.load_library", "loads a native library"),
    ("ops.load_library", "loads a native library"),
    ("torch.from_file", "reads an arbitrary file"),
    ("torch.ops.aten.from_file", "reads an arbitrary file"),
    ("ops.aten.from_file", "reads an arbitrary file"),
    ("torch.load", "loads another model (and its pickle)"),
    ("torch.jit.load", "loads another model"),
    ("torch.hub", "downloads and runs code"),
    ("torch._C._jit_", "reaches JIT internals"),
];

/// Bare calls that are dangerous whatever their receiver.
static CALLS: &[(&str, &str)] = &[
    ("eval", "executes code"),
    ("exec", "executes code"),
    ("__import__", "imports arbitrary modules"),
    ("open", "reads or writes files"),
    ("compile", "compiles code"),
];

/// Name chains (`a.b.c`) with their 1-based line and whether a `(` follows.
fn chains(text: &str) -> Vec<(String, usize, bool)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut line) = (0usize, 1usize);
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line += 1;
                i += 1;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                // Skip string literals, including triple-quoted ones.
                let triple = b.get(i..i + 3).is_some_and(|t| t[0] == c && t[1] == c && t[2] == c);
                let q = if triple { 3 } else { 1 };
                i += q;
                while i < b.len() {
                    if b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if b[i] == b'\n' {
                        line += 1;
                    }
                    if b[i] == c && (!triple || b.get(i..i + 3).is_some_and(|t| t[1] == c && t[2] == c)) {
                        i += q;
                        break;
                    }
                    i += 1;
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                let start_line = line;
                while i < b.len()
                    && (b[i].is_ascii_alphanumeric()
                        || b[i] == b'_'
                        || (b[i] == b'.' && b.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || *n == b'_')))
                {
                    i += 1;
                }
                // A chain that follows a dot belongs to an expression (x.os): not a root name.
                let after_dot = start > 0 && b[start - 1] == b'.';
                let mut j = i;
                while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
                    j += 1;
                }
                if !after_dot {
                    out.push((text[start..i].to_string(), start_line, b.get(j) == Some(&b'(')));
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Findings for one TorchScript source file.
pub fn analyse_code(text: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (chain, line, called) in chains(text) {
        let hit = DENY
            .iter()
            .find(|(p, _)| chain == *p || chain.starts_with(&format!("{p}.")) || (p.ends_with('_') && chain.starts_with(p)))
            .map(|(_, why)| *why)
            .or_else(|| if called { CALLS.iter().find(|(n, _)| chain == *n).map(|(_, why)| *why) } else { None });
        if let Some(why) = hit {
            if seen.insert(chain.clone()) {
                out.push(
                    Finding::new(&TS_CODE_CALL, format!("TorchScript code uses {chain}, which {why}"))
                        .at(Location { line: Some(line as u64), ..Location::default() })
                        .evidence(chain),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_torchscript_code_is_clean() {
        let code = "class Linear(Module):\n  __parameters__ = [\"weight\", \"bias\", ]\n  weight : Tensor\n  def forward(self: __torch__.torch.nn.modules.linear.Linear,\n    input: Tensor) -> Tensor:\n    _0 = __torch__.torch.nn.functional.linear\n    return torch.linear(input, self.weight, self.bias)  # os.system in a comment\n    x = \"os.system('id')\"\n";
        assert!(analyse_code(code).is_empty(), "{:?}", analyse_code(code));
    }

    #[test]
    fn dangerous_calls_are_found_with_lines() {
        let code = "def forward(self, x: Tensor) -> Tensor:\n    ops.load_library(\"/tmp/evil.so\")\n    y = torch.from_file(\"/etc/passwd\", True, 10)\n    os.system(\"id\")\n    return eval(\"x\")\n";
        let f = analyse_code(code);
        let got: Vec<(&str, Option<u64>)> = f.iter().map(|x| (x.evidence.as_str(), x.location.line)).collect();
        assert_eq!(got, vec![("ops.load_library", Some(2)), ("torch.from_file", Some(3)), ("os.system", Some(4)), ("eval", Some(5))]);
    }
}
