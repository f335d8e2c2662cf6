//! go.mod (require, replace and exclude applied; the Go version as package `stdlib`) and go.sum.

use crate::{pkg, Ecosystem, Input, LockError, Output, Spec};

struct Require {
    path: String,
    version: String,
    line: usize,
}

struct Replace {
    from: String,
    from_version: Option<String>,
    to: String,
    to_version: Option<String>,
}

/// Splits a line into tokens (Go strings `"..."` and raw strings unquoted), comments dropped
/// (`// indirect` marks a dependency of a dependency: it is reported like any other).
fn tokens(line: &str) -> Vec<String> {
    let code = line.find("//").map_or(line, |i| &line[..i]);
    let mut out = Vec::new();
    let mut rest = code.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix('"').or_else(|| rest.strip_prefix('`')) {
            let q = rest.as_bytes()[0] as char;
            let end = r.find(q).unwrap_or(r.len());
            out.push(r[..end].to_string());
            rest = r.get(end + 1..).unwrap_or("").trim_start();
        } else {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = rest[end..].trim_start();
        }
    }
    out
}

fn is_local(path: &str) -> bool {
    path.starts_with("./")
        || path.starts_with("../")
        || path.starts_with('/')
        || path == "."
        || path == ".."
        || path.starts_with(".\\")
        || path.starts_with("..\\")
}

pub fn gomod(input: &Input) -> Result<Output, LockError> {
    let mut out = Output::default();
    let mut requires: Vec<Require> = Vec::new();
    let mut replaces: Vec<Replace> = Vec::new();
    let mut excludes: Vec<(String, String)> = Vec::new();
    let mut go_version: Option<(String, usize)> = None;
    let mut toolchain: Option<(String, usize)> = None;
    let mut block: Option<(String, usize)> = None;
    for (i, raw) in input.text.lines().enumerate() {
        let n = i + 1;
        let toks = tokens(raw);
        if toks.is_empty() {
            continue;
        }
        let (verb, args): (String, &[String]) = match &block {
            Some((verb, _)) => {
                if toks.len() == 1 && toks[0] == ")" {
                    block = None;
                    continue;
                }
                (verb.clone(), &toks[..])
            }
            None => {
                if toks.len() == 2 && toks[1] == "(" {
                    block = Some((toks[0].clone(), n));
                    continue;
                }
                (toks[0].clone(), &toks[1..])
            }
        };
        match verb.as_str() {
            "module" => out.explicit_empty = true,
            "go" => match args {
                [v] => go_version = Some((v.clone(), n)),
                _ => out.problem(Some(n), "`go` needs one version"),
            },
            "toolchain" => match args {
                // `toolchain default` names no version.
                [v] => toolchain = v.strip_prefix("go").map(|v| (v.to_string(), n)).or(toolchain),
                _ => out.problem(Some(n), "`toolchain` needs one name"),
            },
            "require" => match args {
                [p, v] => requires.push(Require { path: p.clone(), version: v.clone(), line: n }),
                _ => out.problem(Some(n), format!("require needs a module path and a version: {:?}", raw.trim())),
            },
            "exclude" => match args {
                [p, v] => excludes.push((p.clone(), v.clone())),
                _ => out.problem(Some(n), format!("exclude needs a module path and a version: {:?}", raw.trim())),
            },
            "replace" => {
                let Some(arrow) = args.iter().position(|a| a == "=>") else {
                    out.problem(Some(n), format!("replace without =>: {:?}", raw.trim()));
                    continue;
                };
                let (left, right) = (&args[..arrow], &args[arrow + 1..]);
                if left.is_empty() || left.len() > 2 || right.is_empty() || right.len() > 2 {
                    out.problem(Some(n), format!("malformed replace: {:?}", raw.trim()));
                    continue;
                }
                replaces.push(Replace {
                    from: left[0].clone(),
                    from_version: left.get(1).cloned(),
                    to: right[0].clone(),
                    to_version: right.get(1).cloned(),
                });
            }
            "retract" | "godebug" | "tool" | "ignore" => {}
            other => out.problem(Some(n), format!("unknown directive {other:?}")),
        }
    }
    if let Some((verb, line)) = block {
        return Err(input.syntax(Some(line), format!("`{verb} (` block is never closed")));
    }
    // The standard library that builds the module: the toolchain's when one is named, else the `go`
    // version (OSV lists Go's own advisories under the package `stdlib`).
    if let Some((v, line)) = toolchain.or(go_version) {
        out.packages.push(pkg("stdlib", Ecosystem::Go, Spec::Exact(v), None, Some(line), None));
    }
    for r in requires {
        let replacement = replaces
            .iter()
            .find(|p| p.from == r.path && p.from_version.as_deref() == Some(&r.version))
            .or_else(|| replaces.iter().find(|p| p.from == r.path && p.from_version.is_none()));
        let p = match replacement {
            Some(rep) if is_local(&rep.to) => {
                pkg(&r.path, Ecosystem::Go, Spec::Path(rep.to.clone()), Some(rep.to.clone()), Some(r.line), None)
            }
            Some(rep) => {
                let version = rep.to_version.clone().unwrap_or(r.version.clone());
                pkg(&rep.to, Ecosystem::Go, Spec::Exact(version), None, Some(r.line), None)
            }
            None if excludes.iter().any(|(p, v)| *p == r.path && *v == r.version) => {
                // Go then uses the next version that is not excluded: unknown here.
                pkg(&r.path, Ecosystem::Go, Spec::Unpinned(format!(">{}", r.version)), None, Some(r.line), None)
            }
            None => pkg(&r.path, Ecosystem::Go, Spec::Exact(r.version.clone()), None, Some(r.line), None),
        };
        out.packages.push(p);
    }
    Ok(out)
}

pub fn gosum(input: &Input) -> Result<Output, LockError> {
    let mut out = Output::default();
    for (i, raw) in input.text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            [path, version, hash] if hash.contains(':') => {
                let version = version.strip_suffix("/go.mod").unwrap_or(version);
                out.packages.push(pkg(path, Ecosystem::Go, Spec::Exact(version.to_string()), None, Some(i + 1), None));
            }
            _ => out.problem(Some(i + 1), format!("expected `module version hash`, found {line:?}")),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::{read_bytes, Spec};

    #[test]
    fn requires_replaces_excludes_and_stdlib() {
        let text = "module m\n\ngo 1.21\ntoolchain go1.22.1\n\nrequire (\n\ta v1.0.0 // indirect\n\tb v1.0.0\n\tc v1.0.0\n\td v1.0.0\n\t\"e\" v2.0.0\n)\nrequire f v0.1.0\n\
                    replace b v1.0.0 => fork/b v1.1.0\nreplace (\n\tc => ../c\n\tb v9.9.9 => nope v0.0.0\n)\nexclude d v1.0.0\nretract v0.0.1\nbogus x\n";
        let l = read_bytes("go.mod", text.as_bytes()).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.version.clone(), p.line.unwrap())).collect();
        assert_eq!(
            got,
            [
                ("stdlib", Spec::Exact("1.22.1".into()), 4),
                ("a", Spec::Exact("v1.0.0".into()), 7),
                ("fork/b", Spec::Exact("v1.1.0".into()), 8),
                ("c", Spec::Path("../c".into()), 9),
                ("d", Spec::Unpinned(">v1.0.0".into()), 10),
                ("e", Spec::Exact("v2.0.0".into()), 11),
                ("f", Spec::Exact("v0.1.0".into()), 13),
            ]
        );
        assert_eq!(l.problems.len(), 1);
        assert_eq!(l.problems[0].line, Some(21));
        let e = read_bytes("go.mod", b"module m\nrequire (\n a v1\n").unwrap_err().to_string();
        assert!(e.contains("go.mod:2: `require (` block is never closed"), "{e}");
        assert!(read_bytes("go.mod", b"module m\n").unwrap().packages.is_empty());
        let l = read_bytes("go.mod", b"module m\ngo 1.21.3\ntoolchain default\n").unwrap();
        assert_eq!(l.packages[0].version, Spec::Exact("1.21.3".into()));
        assert!(matches!(read_bytes("go.mod", b"").unwrap_err(), crate::LockError::Empty { .. }));
    }

    #[test]
    fn gosum_dedupes_go_mod_lines() {
        let l = read_bytes("go.sum", b"a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\nb v2.0.0/go.mod h1:z=\nbroken\n").unwrap();
        assert_eq!(l.packages.len(), 2);
        assert_eq!(l.problems[0].line, Some(4));
    }
}
