//! JavaScript lockfiles: package-lock.json / npm-shrinkwrap.json (v1-v3), yarn.lock (v1 and berry),
//! pnpm-lock.yaml (v5-v9) and bun.lock.

use crate::text::{json, json_text, jstr, split_rev, yaml, yscalar, ystr, KeyLines};
use crate::{pkg, Ecosystem, Input, LockError, Output, Spec};
use serde_json::Value;
use std::collections::HashSet;

/// Splits `name@range` (a leading `@` belongs to a scope).
fn split_at_name(s: &str) -> Option<(&str, &str)> {
    let i = s.get(1..)?.find('@')? + 1;
    Some((&s[..i], &s[i + 1..]))
}

/// Whether a locator names a git repository rather than a registry tarball.
fn is_git(s: &str) -> bool {
    ["git+", "git:", "git@", "ssh://", "github:", "gitlab:", "bitbucket:"].iter().any(|p| s.starts_with(p))
        || s.contains(".git#")
        || s.ends_with(".git")
        || (s.contains('#')
            && ["://github.com/", "://gitlab.com/", "://bitbucket.org/", "@github.com/"].iter().any(|h| s.contains(h))
            && !s.contains(".tgz"))
}

/// The spec and source of a resolved locator (a registry tarball, a git URL, a codeload tarball of a
/// commit, a local path), with the version the lockfile records.
fn locator_spec(loc: &str, version: &str) -> (Spec, Option<String>) {
    for p in ["file:", "link:", "portal:", "workspace:"] {
        if let Some(path) = loc.strip_prefix(p) {
            // Yarn berry appends `#...` and `::hash=...&locator=...` to local locators.
            let path = path.split("::").next().unwrap_or(path);
            let path = path.split('#').next().unwrap_or(path);
            return (Spec::Path(path.to_string()), None);
        }
    }
    // https://codeload.github.com/USER/REPO/tar.gz/SHA
    if let Some(rest) = loc.strip_prefix("https://codeload.github.com/") {
        let parts: Vec<&str> = rest.split('/').collect();
        if parts.len() == 4 && parts[2] == "tar.gz" {
            let url = format!("https://github.com/{}/{}", parts[0], parts[1]);
            return (Spec::Git { url, rev: Some(parts[3].to_string()) }, Some(loc.to_string()));
        }
    }
    // https://gitlab.com/USER/REPO/repository/archive.tar.gz?ref=SHA
    if let Some((repo, rev)) = loc.split_once("/repository/archive.tar.gz?ref=") {
        return (Spec::Git { url: repo.to_string(), rev: Some(rev.to_string()) }, Some(loc.to_string()));
    }
    if is_git(loc) {
        let (url, rev) = split_rev(loc);
        let rev = rev.map(|r| r.strip_prefix("commit:").map(str::to_string).unwrap_or(r));
        return (Spec::Git { url, rev }, Some(loc.to_string()));
    }
    let source = loc.split('#').next().unwrap_or(loc);
    (Spec::Exact(version.to_string()), Some(source.to_string()).filter(|s| !s.is_empty()))
}

// ---------------------------------------------------------------- package-lock.json

pub fn npm(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    if !v.is_object() {
        return Err(input.syntax(Some(1), "package-lock.json is not a JSON object"));
    }
    let keys = KeyLines::new(input.text);
    let mut out = Output {
        explicit_empty: v.get("lockfileVersion").is_some() || v.get("packages").is_some() || v.get("dependencies").is_some(),
        ..Default::default()
    };
    if let Some(packages) = v.get("packages").and_then(|p| p.as_object()) {
        for (key, entry) in packages {
            if key.is_empty() {
                continue; // the project itself
            }
            npm_v2_entry(key, entry, keys.get(key), &mut out);
        }
    } else if let Some(deps) = v.get("dependencies").and_then(|d| d.as_object()) {
        npm_v1(deps, &keys, &mut out);
    }
    Ok(out)
}

fn npm_v2_entry(key: &str, entry: &Value, line: Option<usize>, out: &mut Output) {
    let dev = Some(entry.get("dev").and_then(|d| d.as_bool()).unwrap_or(false));
    let installed = key.rfind("node_modules/").map(|i| &key[i + "node_modules/".len()..]);
    let name = jstr(entry, "name").or(installed).unwrap_or_else(|| key.rsplit('/').next().unwrap_or(key));
    if entry.get("link").and_then(|l| l.as_bool()) == Some(true) {
        let target = jstr(entry, "resolved").unwrap_or("");
        out.packages.push(pkg(installed.unwrap_or(name), Ecosystem::Npm, Spec::Path(target.to_string()), None, line, dev));
        return;
    }
    if installed.is_none() {
        // A folder of the project (a workspace member or a `file:` dependency).
        out.packages.push(pkg(name, Ecosystem::Npm, Spec::Path(key.to_string()), None, line, dev));
        return;
    }
    let Some(version) = jstr(entry, "version") else {
        // A git dependency may be locked by its commit alone.
        match jstr(entry, "resolved").filter(|r| is_git(r)) {
            Some(r) => {
                let (spec, source) = locator_spec(r, "");
                out.packages.push(pkg(name, Ecosystem::Npm, spec, source, line, dev));
            }
            None => out.problem(line, format!("{key} has no version")),
        }
        return;
    };
    let (spec, source) = match jstr(entry, "resolved") {
        Some(r) => locator_spec(r, version),
        None => locator_spec(version, version),
    };
    out.packages.push(pkg(name, Ecosystem::Npm, spec, source, line, dev));
}

fn npm_v1(deps: &serde_json::Map<String, Value>, keys: &KeyLines, out: &mut Output) {
    for (name, entry) in deps {
        let line = keys.get(name);
        let dev = Some(entry.get("dev").and_then(|d| d.as_bool()).unwrap_or(false));
        match jstr(entry, "version") {
            None => out.problem(line, format!("dependency {name} has no version")),
            Some(version) => {
                let (name, version) = match version.strip_prefix("npm:").and_then(split_at_name) {
                    Some((real, v)) => (real, v),
                    None => (name.as_str(), version),
                };
                let (spec, source) = if is_git(version) || version.starts_with("file:") {
                    locator_spec(version, version)
                } else {
                    match jstr(entry, "resolved") {
                        Some(r) => locator_spec(r, version),
                        None => (Spec::Exact(version.to_string()), None),
                    }
                };
                out.packages.push(pkg(name, Ecosystem::Npm, spec, source, line, dev));
            }
        }
        if let Some(nested) = entry.get("dependencies").and_then(|d| d.as_object()) {
            npm_v1(nested, keys, out);
        }
    }
}

// ---------------------------------------------------------------- yarn.lock

pub fn yarn(input: &Input) -> Result<Output, LockError> {
    let berry = input.text.lines().any(|l| l.starts_with("__metadata:"));
    if berry {
        yarn_berry(input)
    } else {
        yarn_v1(input)
    }
}

/// The real package name of one descriptor (`alias@npm:real@^1` → `real`).
fn descriptor_name(desc: &str) -> Option<(&str, &str)> {
    let (name, range) = split_at_name(desc)?;
    match range.strip_prefix("npm:").and_then(split_at_name) {
        Some((real, r)) => Some((real, r)),
        None => Some((name, range)),
    }
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"').and_then(|x| x.strip_suffix('"')).unwrap_or(s)
}

fn yarn_v1(input: &Input) -> Result<Output, LockError> {
    let mut out = Output { explicit_empty: input.text.contains("# yarn lockfile v1"), ..Default::default() };
    struct Entry<'a> {
        line: usize,
        header: &'a str,
        version: Option<&'a str>,
        resolved: Option<&'a str>,
    }
    let mut entries: Vec<Entry> = Vec::new();
    for (i, raw) in input.text.lines().enumerate() {
        let trimmed = raw.trim_end();
        if trimmed.is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        if !raw.starts_with(' ') && !raw.starts_with('\t') {
            match trimmed.strip_suffix(':') {
                Some(h) => entries.push(Entry { line: i + 1, header: h, version: None, resolved: None }),
                None => return Err(input.syntax(Some(i + 1), format!("expected an entry header ending with ':', found {trimmed:?}"))),
            }
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let Some(e) = entries.last_mut() else {
            return Err(input.syntax(Some(i + 1), "indented line before any entry"));
        };
        if indent != 2 {
            continue;
        }
        let field = trimmed.trim_start();
        let (k, v) = field.split_once(' ').unwrap_or((field, ""));
        match unquote(k) {
            "version" => e.version = Some(unquote(v)),
            "resolved" => e.resolved = Some(unquote(v)),
            _ => {}
        }
    }
    for e in entries {
        let first = e.header.split(", ").next().unwrap_or(e.header);
        let desc = unquote(first);
        let Some((name, range)) = descriptor_name(desc) else {
            out.problem(Some(e.line), format!("cannot read the package name of {desc:?}"));
            continue;
        };
        let Some(version) = e.version else {
            out.problem(Some(e.line), format!("{desc} has no version"));
            continue;
        };
        let (spec, source) = match e.resolved {
            Some(r) => match locator_spec(r, version) {
                // `resolved` without a commit: the descriptor may name it (`name@url#commit`).
                (Spec::Git { url, rev: None }, source) => {
                    (Spec::Git { url, rev: range.split_once('#').map(|(_, r)| r.to_string()) }, source)
                }
                other => other,
            },
            None if range.starts_with("file:") || range.starts_with("link:") => locator_spec(range, version),
            None => (Spec::Exact(version.to_string()), None),
        };
        out.packages.push(pkg(name, Ecosystem::Npm, spec, source, Some(e.line), None));
    }
    Ok(out)
}

fn yarn_berry(input: &Input) -> Result<Output, LockError> {
    let doc = yaml(input)?;
    let keys = KeyLines::yaml(input.text, None);
    let mut out = Output { explicit_empty: true, ..Default::default() };
    let Some(map) = doc.as_mapping() else {
        return Err(input.syntax(Some(1), "yarn.lock is not a mapping"));
    };
    for (k, entry) in map {
        let Some(key) = k.as_str() else { continue };
        if key == "__metadata" {
            continue;
        }
        let line = keys.get(key);
        let first = key.split(", ").next().unwrap_or(key).trim();
        let resolution = ystr(entry, "resolution");
        let Some((name, locator)) = resolution.and_then(split_at_name).or_else(|| descriptor_name(first)) else {
            out.problem(line, format!("cannot read the package name of {key:?}"));
            continue;
        };
        let Some(version) = entry.get("version").and_then(yscalar) else {
            out.problem(line, format!("{key} has no version"));
            continue;
        };
        let (spec, source) = if let Some(v) = locator.strip_prefix("npm:") {
            (Spec::Exact(if v.is_empty() { version } else { v.to_string() }), None)
        } else if locator.starts_with("patch:") {
            // A patched registry package: the package (and version) it patches is what matters.
            (Spec::Exact(version), None)
        } else {
            locator_spec(locator, &version)
        };
        out.packages.push(pkg(name, Ecosystem::Npm, spec, source, line, None));
    }
    Ok(out)
}

// ---------------------------------------------------------------- pnpm-lock.yaml

pub fn pnpm(input: &Input) -> Result<Output, LockError> {
    let doc = yaml(input)?;
    if doc.is_null() {
        return Ok(Output::default()); // no document at all (only comments)
    }
    if !doc.is_mapping() {
        return Err(input.syntax(Some(1), "not a pnpm lockfile: the document is not a YAML mapping"));
    }
    let keys = KeyLines::yaml(input.text, Some("packages"));
    let mut out = Output { explicit_empty: doc.get("lockfileVersion").is_some(), ..Default::default() };
    let Some(packages) = doc.get("packages") else { return Ok(out) };
    let Some(map) = packages.as_mapping() else {
        if packages.is_null() {
            return Ok(out);
        }
        return Err(input.syntax(KeyLines::yaml(input.text, None).get("packages"), "`packages` is not a mapping"));
    };
    let groups = pnpm_v9_groups(&doc);
    for (k, entry) in map {
        let Some(key) = k.as_str() else { continue };
        let line = keys.get(key);
        let dev = entry.get("dev").and_then(|d| d.as_bool()).or_else(|| groups.as_ref().and_then(|g| g.dev(key)));
        match pnpm_entry(key, entry) {
            Ok((name, spec, source)) => out.packages.push(pkg(&name, Ecosystem::Npm, spec, source, line, dev)),
            Err(msg) => out.problem(line, msg),
        }
    }
    Ok(out)
}

/// Which packages of a v9 lockfile only development dependencies reach (v9 no longer writes `dev`
/// on packages: it follows from the importers and the dependency graph in `snapshots`).
struct PnpmGroups {
    prod: HashSet<String>,
    dev: HashSet<String>,
}

impl PnpmGroups {
    fn dev(&self, package_key: &str) -> Option<bool> {
        if self.prod.contains(package_key) {
            Some(false)
        } else if self.dev.contains(package_key) {
            Some(true)
        } else {
            None
        }
    }
}

fn pnpm_v9_groups(doc: &serde_yaml_ng::Value) -> Option<PnpmGroups> {
    let snapshots = doc.get("snapshots")?.as_mapping()?;
    let importers = doc.get("importers")?.as_mapping()?;
    // `name@version(peers)` of each dependency in a `{name: version}` or `{name: {version}}` map.
    fn deps(map: Option<&serde_yaml_ng::Value>) -> Vec<String> {
        let Some(m) = map.and_then(|m| m.as_mapping()) else { return Vec::new() };
        m.iter()
            .filter_map(|(n, v)| {
                let version = v.get("version").and_then(yscalar).or_else(|| yscalar(v))?;
                let name = n.as_str()?;
                (!version.starts_with("link:")).then(|| format!("{name}@{version}"))
            })
            .collect()
    }
    let reach = |roots: Vec<String>| {
        let mut seen: HashSet<String> = HashSet::new();
        let mut todo = roots;
        while let Some(k) = todo.pop() {
            if !seen.insert(k.clone()) {
                continue;
            }
            if let Some(snap) = snapshots.get(k.as_str()) {
                todo.extend(deps(snap.get("dependencies")));
                todo.extend(deps(snap.get("optionalDependencies")));
            }
        }
        // Package keys carry no peer suffix.
        seen.into_iter().map(|k| k.split('(').next().unwrap_or(&k).to_string()).collect::<HashSet<String>>()
    };
    let (mut prod_roots, mut dev_roots) = (Vec::new(), Vec::new());
    for (_, imp) in importers {
        prod_roots.extend(deps(imp.get("dependencies")));
        prod_roots.extend(deps(imp.get("optionalDependencies")));
        dev_roots.extend(deps(imp.get("devDependencies")));
    }
    Some(PnpmGroups { prod: reach(prod_roots), dev: reach(dev_roots) })
}

const GIT_HOSTS: &[&str] = &["github.com", "gitlab.com", "bitbucket.org"];

fn pnpm_entry(key: &str, entry: &serde_yaml_ng::Value) -> Result<(String, Spec, Option<String>), String> {
    let res = entry.get("resolution");
    let field_name = ystr(entry, "name");
    let field_version = entry.get("version").and_then(yscalar);
    // Git and local resolutions say what the package is whatever the key.
    if let Some(res) = res {
        if ystr(res, "type") == Some("git") || ystr(res, "repo").is_some() {
            let url = ystr(res, "repo").unwrap_or("").to_string();
            let name = field_name
                .map(str::to_string)
                .or_else(|| key_name(key))
                .ok_or_else(|| format!("cannot read the package name of {key:?}"))?;
            return Ok((name, Spec::Git { url: url.clone(), rev: ystr(res, "commit").map(str::to_string) }, Some(url)));
        }
        if let Some(dir) = ystr(res, "directory") {
            let name = field_name.map(str::to_string).ok_or_else(|| format!("local package {key:?} has no name"))?;
            return Ok((name, Spec::Path(dir.to_string()), None));
        }
        if let Some(tarball) = ystr(res, "tarball") {
            if let Some(path) = tarball.strip_prefix("file:") {
                let name = field_name.map(str::to_string).ok_or_else(|| format!("local package {key:?} has no name"))?;
                return Ok((name, Spec::Path(path.to_string()), None));
            }
            let version = field_version.clone().or_else(|| parse_pnpm_key(key).map(|(_, v, _)| v)).unwrap_or_default();
            let (spec, source) = locator_spec(tarball, &version);
            let name = field_name
                .map(str::to_string)
                .or_else(|| key_name(key))
                .ok_or_else(|| format!("cannot read the package name of {key:?}"))?;
            if matches!(spec, Spec::Exact(ref v) if v.is_empty()) {
                return Err(format!("{key} has no version"));
            }
            return Ok((name, spec, source));
        }
    }
    if let Some(path) = key.strip_prefix("file:") {
        let name = field_name.map(str::to_string).ok_or_else(|| format!("local package {key:?} has no name"))?;
        return Ok((name, Spec::Path(path.to_string()), None));
    }
    if let (Some(n), Some(v)) = (field_name, field_version.as_ref()) {
        return Ok((n.to_string(), Spec::Exact(v.clone()), None));
    }
    let (name, version, host) = parse_pnpm_key(key).ok_or_else(|| format!("cannot read package name and version from {key:?}"))?;
    if let Some(host) = host.filter(|h| GIT_HOSTS.contains(h)) {
        // host/user/repo[/commit]
        let parts: Vec<&str> = key.split('/').collect();
        let url = format!("https://{host}/{}/{}", parts.get(1).unwrap_or(&""), parts.get(2).unwrap_or(&""));
        return Ok((
            parts.get(2).unwrap_or(&"").to_string(),
            Spec::Git { url: url.clone(), rev: parts.get(3).map(|s| s.to_string()) },
            Some(url),
        ));
    }
    if !version.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(format!("cannot read a version from {key:?}"));
    }
    Ok((name, Spec::Exact(version), host.map(|h| format!("https://{h}/"))))
}

fn key_name(key: &str) -> Option<String> {
    parse_pnpm_key(key).map(|(n, _, _)| n)
}

/// Name, version and registry host (when the key names one) of a pnpm package key:
/// `/name/1.0.0_peer@1` (v5), `/name@1.0.0(peer@1)` (v6), `name@1.0.0(peer@1)` (v9),
/// `registry.example/name/1.0.0`.
fn parse_pnpm_key(key: &str) -> Option<(String, String, Option<&str>)> {
    let k = key.strip_prefix('/').unwrap_or(key);
    let k = k.split('(').next().unwrap_or(k);
    // name@version form: the part before the `@` is a whole (possibly scoped) name.
    if let Some((name, version)) = split_at_name(k) {
        let slashes = name.matches('/').count();
        if (name.starts_with('@') && slashes == 1) || (!name.starts_with('@') && slashes == 0) {
            return Some((name.to_string(), version.to_string(), None));
        }
    }
    let mut segs: Vec<&str> = k.split('/').collect();
    let mut host = None;
    if !key.starts_with('/') && segs.len() > 2 && segs[0].contains('.') {
        host = Some(segs.remove(0));
        if GIT_HOSTS.contains(&host.unwrap_or("")) {
            return Some((segs.get(1).unwrap_or(&"").to_string(), String::new(), host));
        }
    }
    let (name, rest) = if segs.first()?.starts_with('@') {
        (format!("{}/{}", segs.first()?, segs.get(1)?), segs.get(2..)?)
    } else {
        (segs.first()?.to_string(), segs.get(1..)?)
    };
    if rest.len() != 1 || name.is_empty() {
        return None;
    }
    let version = rest[0].split('_').next().unwrap_or(rest[0]);
    Some((name, version.to_string(), host))
}

// ---------------------------------------------------------------- bun.lock

/// Blanks out `//` and `/* */` comments and trailing commas, keeping every newline (so lines still
/// match the file).
pub(crate) fn strip_jsonc(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    let mut in_str = false;
    while i < b.len() {
        let c = b[i];
        if in_str {
            out.push(c);
            if c == b'\\' && i + 1 < b.len() {
                out.push(b[i + 1]);
                i += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => {
                in_str = true;
                out.push(c);
                i += 1;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    out.push(b' ');
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                out.extend_from_slice(b"  ");
                i += 2;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    out.push(if b[i] == b'\n' { b'\n' } else { b' ' });
                    i += 1;
                }
                if i < b.len() {
                    out.extend_from_slice(b"  ");
                    i += 2;
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    // Trailing commas: a `,` followed (after blanks) by `}` or `]`, outside strings.
    let mut result = Vec::with_capacity(out.len());
    let mut in_str = false;
    let mut j = 0;
    while j < out.len() {
        let c = out[j];
        if in_str {
            result.push(c);
            if c == b'\\' && j + 1 < out.len() {
                result.push(out[j + 1]);
                j += 2;
                continue;
            }
            if c == b'"' {
                in_str = false;
            }
        } else if c == b'"' {
            in_str = true;
            result.push(c);
        } else if c == b',' {
            let next = out[j + 1..].iter().find(|x| !x.is_ascii_whitespace());
            result.push(if matches!(next, Some(b'}') | Some(b']')) { b' ' } else { c });
        } else {
            result.push(c);
        }
        j += 1;
    }
    // Only ASCII bytes were replaced by ASCII bytes, so the text is still UTF-8.
    String::from_utf8(result).unwrap_or_default()
}

pub fn bun(input: &Input) -> Result<Output, LockError> {
    let clean = strip_jsonc(input.text);
    let v = json_text(input, &clean)?;
    let keys = KeyLines::new(input.text);
    let mut out = Output { explicit_empty: v.get("lockfileVersion").is_some(), ..Default::default() };
    let Some(packages) = v.get("packages").and_then(|p| p.as_object()) else { return Ok(out) };
    for (key, entry) in packages {
        let line = keys.get(key);
        let Some(spec_str) = entry.get(0).and_then(|s| s.as_str()) else {
            out.problem(line, format!("package {key} has no resolution"));
            continue;
        };
        let Some((name, locator)) = split_at_name(spec_str) else {
            out.problem(line, format!("cannot read name and version from {spec_str:?}"));
            continue;
        };
        let locator = locator.strip_prefix("npm:").unwrap_or(locator);
        let (spec, source) = if locator.starts_with(|c: char| c.is_ascii_digit()) {
            let registry = entry.get(1).and_then(|r| r.as_str()).filter(|r| !r.is_empty()).map(str::to_string);
            (Spec::Exact(locator.to_string()), registry)
        } else if locator.starts_with("http://") || locator.starts_with("https://") {
            match locator_spec(locator, "") {
                (Spec::Exact(_), source) => (Spec::Unpinned(locator.to_string()), source),
                other => other,
            }
        } else {
            locator_spec(locator, locator)
        };
        out.packages.push(pkg(name, Ecosystem::Npm, spec, source, line, None));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_bytes;

    #[test]
    fn npm_v2_nested_aliases_links_and_dev() {
        let l = read_bytes(
            "package-lock.json",
            br#"{
  "lockfileVersion": 3,
  "packages": {
    "": {"name": "root"},
    "node_modules/a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "dev": true},
    "node_modules/b/node_modules/@s/c": {"version": "2.0.0"},
    "node_modules/alias": {"name": "real", "version": "3.0.0"},
    "node_modules/ws": {"resolved": "packages/ws", "link": true},
    "packages/ws": {"name": "ws", "version": "0.1.0"},
    "node_modules/g": {"version": "1.0.0", "resolved": "git+ssh://git@github.com/x/g.git#abc"},
    "node_modules/bad": {}
  }
}"#,
        )
        .unwrap();
        let names: Vec<_> = l.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "@s/c", "real", "ws", "g"]);
        assert_eq!(l.packages[0].dev, Some(true));
        assert_eq!(l.packages[0].line, Some(5));
        assert_eq!(l.packages[3].version, Spec::Path("packages/ws".into()));
        assert_eq!(l.packages[4].version, Spec::Git { url: "git+ssh://git@github.com/x/g.git".into(), rev: Some("abc".into()) });
        assert_eq!(l.problems.len(), 1);
    }

    #[test]
    fn npm_v1_nested_and_aliases() {
        let l = read_bytes(
            "package-lock.json",
            br#"{"lockfileVersion": 1, "dependencies": {
  "a": {"version": "1.0.0", "dependencies": {"b": {"version": "2.0.0", "dev": true}}},
  "al": {"version": "npm:@s/real@3.0.0"},
  "gh": {"version": "github:user/repo#abc"}
}}"#,
        )
        .unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.version.clone())).collect();
        assert_eq!(got[0], ("a", Spec::Exact("1.0.0".into())));
        assert_eq!(got[1], ("b", Spec::Exact("2.0.0".into())));
        assert_eq!(got[2], ("@s/real", Spec::Exact("3.0.0".into())));
        assert_eq!(got[3], ("gh", Spec::Git { url: "github:user/repo".into(), rev: Some("abc".into()) }));
    }

    #[test]
    fn yarn_v1_multi_spec_aliases_git() {
        let text = "# yarn lockfile v1\n\n\n\"@babel/a@^7.0.0\", \"@babel/a@^7.1\":\n  version \"7.1.0\"\n  resolved \"https://registry.yarnpkg.com/@babel/a/-/a-7.1.0.tgz#abc\"\n  dependencies:\n    x \"^1\"\n\n\
                    alias@npm:real@^1:\n  version \"1.2.0\"\n\nmine@G/repo:\n  version \"0.1.0\"\n  resolved \"https://codeload.github.com/G/repo/tar.gz/0a2d\"\n";
        let l = read_bytes("yarn.lock", text.as_bytes()).unwrap();
        assert_eq!(l.packages.len(), 3);
        assert_eq!(l.packages[0].name, "@babel/a");
        assert_eq!(l.packages[0].line, Some(4));
        assert_eq!(l.packages[0].source.as_deref(), Some("https://registry.yarnpkg.com/@babel/a/-/a-7.1.0.tgz"));
        assert_eq!(l.packages[1].name, "real");
        assert_eq!(l.packages[2].version, Spec::Git { url: "https://github.com/G/repo".into(), rev: Some("0a2d".into()) });
        let e = read_bytes("yarn.lock", b"# yarn lockfile v1\nnot a header\n").unwrap_err().to_string();
        assert!(e.starts_with("yarn.lock:2: expected an entry header"), "{e}");
    }

    #[test]
    fn yarn_berry_protocols() {
        let text = "__metadata:\n  version: 8\n\n\"a@npm:^1.0.0, a@npm:^1.1.0\":\n  version: 1.1.0\n  resolution: \"a@npm:1.1.0\"\n\n\
                    \"al@npm:@s/real@^2\":\n  version: 2.0.0\n  resolution: \"@s/real@npm:2.0.0\"\n\n\
                    \"a@patch:a@npm%3A1.1.0#~builtin<compat/a>\":\n  version: 1.1.0\n  resolution: \"a@patch:a@npm%3A1.1.0#~builtin<compat/a>::version=1.1.0\"\n\n\
                    \"ws@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"ws@workspace:.\"\n\n\
                    \"g@https://github.com/x/g.git\":\n  version: 1.0\n  resolution: \"g@https://github.com/x/g.git#commit=abc\"\n";
        let l = read_bytes("yarn.lock", text.as_bytes()).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.version.clone())).collect();
        assert_eq!(
            got,
            [
                ("a", Spec::Exact("1.1.0".into())),
                ("@s/real", Spec::Exact("2.0.0".into())),
                ("ws", Spec::Path(".".into())),
                ("g", Spec::Git { url: "https://github.com/x/g.git".into(), rev: Some("abc".into()) }),
            ]
        );
        assert_eq!(l.packages[0].line, Some(4));
    }

    #[test]
    fn pnpm_key_formats() {
        assert_eq!(parse_pnpm_key("/foo/1.0.0"), Some(("foo".into(), "1.0.0".into(), None)));
        assert_eq!(parse_pnpm_key("/@s/foo/1.0.0_bar@2.0.0"), Some(("@s/foo".into(), "1.0.0".into(), None)));
        assert_eq!(parse_pnpm_key("/foo/1.4.0_@types+babel__core@7.1.14"), Some(("foo".into(), "1.4.0".into(), None)));
        assert_eq!(parse_pnpm_key("/foo@1.0.0(peer@2.0.0)"), Some(("foo".into(), "1.0.0".into(), None)));
        assert_eq!(parse_pnpm_key("@s/foo@1.0.0(peer@2.0.0)(b@1)"), Some(("@s/foo".into(), "1.0.0".into(), None)));
        assert_eq!(parse_pnpm_key("registry.npmjs.org/@s/foo/1.1.0"), Some(("@s/foo".into(), "1.1.0".into(), Some("registry.npmjs.org"))));
        let l = read_bytes(
            "pnpm-lock.yaml",
            b"lockfileVersion: '6.0'\n\npackages:\n\n  /a@1.0.0(b@2.0.0):\n    resolution: {integrity: sha512-x}\n    dev: true\n\n  /a@1.0.0(b@3.0.0):\n    resolution: {integrity: sha512-x}\n    dev: false\n\n  /c@1.0.0:\n    resolution: {type: git, repo: https://github.com/x/c, commit: abc}\n\n  /weird/bar:\n    resolution: {integrity: x}\n",
        )
        .unwrap();
        assert_eq!(l.packages.len(), 2);
        assert_eq!(l.packages[0].dev, Some(false));
        assert_eq!(l.packages[0].line, Some(5));
        assert_eq!(l.packages[1].version, Spec::Git { url: "https://github.com/x/c".into(), rev: Some("abc".into()) });
        assert_eq!(l.problems.len(), 1);
    }

    #[test]
    fn pnpm_v9_dev_from_the_graph() {
        let text = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      a:\n        specifier: ^1\n        version: 1.0.0(p@1.0.0)\n    devDependencies:\n      d:\n        specifier: ^1\n        version: 1.0.0\n      w:\n        specifier: link:../w\n        version: link:../w\n\
                    packages:\n  a@1.0.0:\n    resolution: {integrity: x}\n  b@2.0.0:\n    resolution: {integrity: x}\n  d@1.0.0:\n    resolution: {integrity: x}\n  e@3.0.0:\n    resolution: {integrity: x}\n  p@1.0.0:\n    resolution: {integrity: x}\n  z@9.0.0:\n    resolution: {integrity: x}\n\
                    snapshots:\n  a@1.0.0(p@1.0.0):\n    dependencies:\n      b: 2.0.0\n      p: 1.0.0\n  b@2.0.0: {}\n  d@1.0.0:\n    dependencies:\n      b: 2.0.0\n      e: 3.0.0\n  e@3.0.0: {}\n  p@1.0.0: {}\n  z@9.0.0: {}\n";
        let l = read_bytes("pnpm-lock.yaml", text.as_bytes()).unwrap();
        let dev: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.dev)).collect();
        assert_eq!(dev, [("a", Some(false)), ("b", Some(false)), ("d", Some(true)), ("e", Some(true)), ("p", Some(false)), ("z", None)]);
    }

    #[test]
    fn bun_jsonc() {
        let text = "{\n  // comment\n  \"lockfileVersion\": 1,\n  \"workspaces\": {\"\": {\"name\": \"app\",},},\n  \"packages\": {\n    \"lodash\": [\"lodash@4.17.21\", \"\", {}, \"sha512-x\"], /* c */\n    \"@s/x\": [\"@s/x@1.0.0\", \"\", {}, \"sha\"],\n    \"ws\": [\"ws@workspace:packages/ws\"],\n    \"g\": [\"g@github:u/g#abc\", {}, \"u-g-abc\"],\n    \"s\": [\"s@1.0.0\", \"x // not a comment,]\"],\n  },\n}\n";
        let l = read_bytes("bun.lock", text.as_bytes()).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.version.clone(), p.line)).collect();
        assert_eq!(got[0], ("lodash", Spec::Exact("4.17.21".into()), Some(6)));
        assert_eq!(got[1], ("@s/x", Spec::Exact("1.0.0".into()), Some(7)));
        assert!(got.contains(&("ws", Spec::Path("packages/ws".into()), Some(8))));
        assert!(got.contains(&("g", Spec::Git { url: "github:u/g".into(), rev: Some("abc".into()) }, Some(9))));
        assert_eq!(l.packages.iter().find(|p| p.name == "s").unwrap().source.as_deref(), Some("x // not a comment,]"));
    }
}
