//! Cargo.lock, versions 1 to 4.

use crate::text::{header_lines, nth, toml, tstr};
use crate::{pkg, Ecosystem, Input, LockError, Output, Spec};

pub fn read(input: &Input) -> Result<Output, LockError> {
    let table = toml(input)?;
    // A lockfile with no package still has a `version` (v3+) or a `[metadata]` table (v1/v2), or an
    // empty `package` array.
    let explicit_empty = table.contains_key("version") || table.contains_key("metadata") || table.contains_key("package");
    let mut out = Output { explicit_empty, ..Default::default() };
    // Very old lockfiles put the workspace's root crate in a `[root]` table.
    if let Some(root) = table.get("root") {
        let line = input.text.lines().position(|l| l.trim() == "[root]").map(|i| i + 1);
        match (tstr(root, "name"), tstr(root, "version")) {
            (Some(name), Some(_)) => out.packages.push(pkg(name, Ecosystem::CratesIo, Spec::Path(String::new()), None, line, None)),
            _ => out.problem(line, "[root] without a string `name` and `version`"),
        }
    }
    let Some(packages) = table.get("package") else { return Ok(out) };
    let Some(packages) = packages.as_array() else {
        return Err(input.syntax(None, "`package` is not an array of tables"));
    };
    let lines = header_lines(input.text, "package");
    for (i, p) in packages.iter().enumerate() {
        let line = nth(&lines, packages.len(), i);
        let (Some(name), Some(version)) = (tstr(p, "name"), tstr(p, "version")) else {
            out.problem(line, "[[package]] entry without a string `name` and `version`");
            continue;
        };
        let source = tstr(p, "source");
        let spec = match source {
            None => Spec::Path(String::new()),
            Some(s) if s.starts_with("git+") => {
                let url = &s[4..];
                let (url, rev) = match url.split_once('#') {
                    Some((u, r)) => (u, Some(r.to_string())),
                    None => (url, None),
                };
                // The query (`?branch=...`, `?rev=...`) says what was asked for; the fragment is the
                // commit that was locked.
                let rev = rev.or_else(|| {
                    url.split_once('?').and_then(|(_, q)| q.split('&').find_map(|kv| kv.split_once('=')).map(|(_, v)| v.to_string()))
                });
                Spec::Git { url: url.split_once('?').map_or(url, |(u, _)| u).to_string(), rev }
            }
            Some(_) => Spec::Exact(version.to_string()),
        };
        out.packages.push(pkg(name, Ecosystem::CratesIo, spec, source.map(str::to_string), line, None));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::{read_bytes, Spec};

    #[test]
    fn registry_git_and_path_packages() {
        let l = read_bytes(
            "Cargo.lock",
            br#"# comment
version = 4

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "foo"
version = "0.1.0"
source = "git+https://github.com/a/foo?branch=main#0123abcd"

[[package]]
name = "local"
version = "0.1.0"

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#,
        )
        .unwrap();
        assert_eq!(l.packages.len(), 3);
        assert_eq!(l.packages[0].version, Spec::Exact("1.0.0".into()));
        assert_eq!(l.packages[0].line, Some(4));
        assert_eq!(l.packages[1].version, Spec::Git { url: "https://github.com/a/foo".into(), rev: Some("0123abcd".into()) });
        assert_eq!(l.packages[2].version, Spec::Path(String::new()));
        assert_eq!(l.packages[2].line, Some(14));
    }

    #[test]
    fn old_root_table() {
        let l = read_bytes("Cargo.lock", b"[root]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"libc\"\nversion = \"0.2.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n").unwrap();
        assert_eq!(l.packages.len(), 2);
        assert_eq!((l.packages[0].name.as_str(), l.packages[0].line), ("app", Some(1)));
        assert_eq!(l.packages[0].version, Spec::Path(String::new()));
        assert_eq!(l.packages[1].line, Some(5));
    }

    #[test]
    fn v1_with_metadata_and_errors() {
        let l = read_bytes("Cargo.lock", b"[metadata]\n\"checksum a 1\" = \"x\"\n").unwrap();
        assert!(l.packages.is_empty());
        let e = read_bytes("Cargo.lock", b"[[package]]\nname = \"a\"\nversion = \n").unwrap_err().to_string();
        assert!(e.starts_with("Cargo.lock:3: invalid TOML"), "{e}");
        let e = read_bytes("Cargo.lock", b"[[package]]\nname = \"a\"\n").unwrap_err().to_string();
        assert!(e.contains("Cargo.lock:1: no package could be read"), "{e}");
        assert!(matches!(read_bytes("Cargo.lock", b"# nothing\n"), Err(crate::LockError::Empty { .. })));
    }
}
