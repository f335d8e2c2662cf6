//! composer.lock, Gemfile.lock, mix.lock, pubspec.lock, renv.lock, NuGet packages.lock.json,
//! gradle lockfiles, conan.lock and Maven pom.xml.

use crate::text::{json, jstr, yaml, yscalar, ystr, KeyLines};
use crate::{pkg, Ecosystem, Input, LockError, Output, Spec};
use std::collections::{HashMap, HashSet};

// ---------------------------------------------------------------- composer.lock

pub fn composer(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    let mut out = Output { explicit_empty: v.get("packages").is_some() || v.get("packages-dev").is_some(), ..Default::default() };
    // Entries are objects in arrays; find each entry's line by its `"name": "..."` line.
    let mut name_lines: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in input.text.lines().enumerate() {
        let t = l.trim_start();
        if let Some(rest) = t.strip_prefix("\"name\"") {
            if let Some(n) = rest.trim_start().strip_prefix(':').map(|r| r.trim().trim_end_matches(',').trim_matches('"')) {
                name_lines.entry(n.to_string()).or_default().push(i + 1);
            }
        }
    }
    for (group, dev) in [("packages", false), ("packages-dev", true)] {
        let Some(list) = v.get(group) else { continue };
        let Some(list) = list.as_array() else {
            return Err(input.syntax(None, format!("`{group}` is not an array")));
        };
        for entry in list {
            let Some(name) = jstr(entry, "name") else {
                out.problem(None, format!("an entry of `{group}` has no name"));
                continue;
            };
            let line = name_lines.get(name).filter(|l| l.len() == 1).map(|l| l[0]);
            let Some(version) = jstr(entry, "version") else {
                out.problem(line, format!("package {name} has no version"));
                continue;
            };
            let src = entry.get("source");
            let url = src.and_then(|s| jstr(s, "url")).or_else(|| entry.get("dist").and_then(|d| jstr(d, "url")));
            let spec = match (version.starts_with("dev-"), src.and_then(|s| jstr(s, "reference"))) {
                (true, Some(rev)) if src.and_then(|s| jstr(s, "type")) == Some("git") => {
                    Spec::Git { url: url.unwrap_or("").to_string(), rev: Some(rev.to_string()) }
                }
                _ if src.and_then(|s| jstr(s, "type")) == Some("path")
                    || entry.get("dist").and_then(|d| jstr(d, "type")) == Some("path") =>
                {
                    Spec::Path(url.unwrap_or("").to_string())
                }
                _ => Spec::Exact(version.to_string()),
            };
            out.packages.push(pkg(name, Ecosystem::Packagist, spec, url.map(str::to_string), line, Some(dev)));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- Gemfile.lock

const GEM_SECTIONS: &[&str] =
    &["GEM", "GIT", "PATH", "PLUGIN SOURCE", "PLATFORMS", "DEPENDENCIES", "BUNDLED WITH", "RUBY VERSION", "CHECKSUMS"];

/// Platform words in a `version-platform` suffix.
const PLATFORM_WORDS: &[&str] = &[
    "x86",
    "x64",
    "amd64",
    "arm",
    "aarch64",
    "java",
    "jruby",
    "mingw",
    "mswin",
    "darwin",
    "linux",
    "universal",
    "musl",
    "freebsd",
    "solaris",
    "i386",
    "i686",
    "wasm",
    "cygwin",
    "ruby",
];

/// Drops a platform suffix (`1.13.0-x86_64-linux` → `1.13.0`).
fn strip_platform(version: &str) -> &str {
    match version.split_once('-') {
        Some((v, platform)) if PLATFORM_WORDS.iter().any(|w| platform.contains(w)) => v,
        _ => version,
    }
}

pub fn gemfile(input: &Input) -> Result<Output, LockError> {
    let mut out = Output::default();
    let mut section = "";
    let mut remote: Option<&str> = None;
    let mut revision: Option<&str> = None;
    for (i, raw) in input.text.lines().enumerate() {
        let n = i + 1;
        if raw.trim().is_empty() {
            continue;
        }
        if !raw.starts_with(' ') {
            section = raw.trim();
            remote = None;
            revision = None;
            if GEM_SECTIONS.contains(&section) {
                out.explicit_empty = true;
            } else {
                out.problem(Some(n), format!("unknown section {section:?}"));
            }
            continue;
        }
        if !matches!(section, "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE") {
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        let t = raw.trim();
        match indent {
            2 => {
                if let Some(r) = t.strip_prefix("remote:") {
                    remote = Some(r.trim());
                } else if let Some(r) = t.strip_prefix("revision:") {
                    revision = Some(r.trim());
                }
            }
            4 => {
                let Some((name, rest)) = t.split_once(" (") else {
                    out.problem(Some(n), format!("expected `name (version)`, found {t:?}"));
                    continue;
                };
                let Some(version) = rest.strip_suffix(')') else {
                    out.problem(Some(n), format!("expected `name (version)`, found {t:?}"));
                    continue;
                };
                let spec = match section {
                    "GIT" => Spec::Git { url: remote.unwrap_or("").to_string(), rev: revision.map(str::to_string) },
                    "PATH" => Spec::Path(remote.unwrap_or("").to_string()),
                    _ => Spec::Exact(strip_platform(version).to_string()),
                };
                out.packages.push(pkg(name, Ecosystem::RubyGems, spec, remote.map(str::to_string), Some(n), None));
            }
            _ => {}
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- mix.lock

/// Splits an Elixir term list at top-level commas.
fn elixir_items(s: &str) -> Vec<&str> {
    let mut items = Vec::new();
    let (mut depth, mut start, mut in_str) = (0i32, 0, false);
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' if in_str => i += 1,
            b'"' => in_str = !in_str,
            b'[' | b'{' | b'(' if !in_str => depth += 1,
            b']' | b'}' | b')' if !in_str => depth -= 1,
            b',' if !in_str && depth == 0 => {
                items.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let last = s[start.min(s.len())..].trim();
    if !last.is_empty() {
        items.push(last);
    }
    items
}

fn elixir_string(s: &str) -> Option<&str> {
    s.strip_prefix('"')?.strip_suffix('"')
}

pub fn mix(input: &Input) -> Result<Output, LockError> {
    let mut out = Output::default();
    for (i, raw) in input.text.lines().enumerate() {
        let n = i + 1;
        let t = raw.trim();
        if t.is_empty() || t == "}" || t.starts_with('#') {
            continue;
        }
        if t.starts_with("%{") {
            out.explicit_empty = true;
            if t == "%{" || t == "%{}" {
                continue;
            }
        }
        let t = t.strip_prefix("%{").unwrap_or(t).trim_end_matches('}').trim();
        let Some((key, value)) = t.split_once(": {") else {
            out.problem(Some(n), format!("expected `\"name\": {{...}}`, found {t:?}"));
            continue;
        };
        let name = key.trim().trim_matches('"');
        let value = value.trim_end_matches(',').trim_end();
        let value = value.strip_suffix('}').unwrap_or(value);
        let items = elixir_items(value);
        let spec = match items.first().copied() {
            Some(":hex") => match (items.get(1), items.get(2).and_then(|v| elixir_string(v))) {
                (Some(pkg_name), Some(version)) => {
                    let real = pkg_name.trim_start_matches(':');
                    out.packages.push(pkg(real, Ecosystem::Hex, Spec::Exact(version.to_string()), None, Some(n), None));
                    continue;
                }
                _ => None,
            },
            Some(":git") => match (items.get(1).and_then(|v| elixir_string(v)), items.get(2).and_then(|v| elixir_string(v))) {
                (Some(url), rev) => Some(Spec::Git { url: url.to_string(), rev: rev.map(str::to_string) }),
                _ => None,
            },
            Some(":path") => items.get(1).and_then(|v| elixir_string(v)).map(|p| Spec::Path(p.to_string())),
            _ => None,
        };
        match spec {
            Some(spec) => {
                let source = match &spec {
                    Spec::Git { url, .. } => Some(url.clone()),
                    _ => None,
                };
                out.packages.push(pkg(name, Ecosystem::Hex, spec, source, Some(n), None));
            }
            None => out.problem(Some(n), format!("cannot read the entry for {name:?}")),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- pubspec.lock

pub fn pubspec(input: &Input) -> Result<Output, LockError> {
    let doc = yaml(input)?;
    if doc.is_null() {
        return Ok(Output::default()); // no document at all (only comments)
    }
    if !doc.is_mapping() {
        return Err(input.syntax(Some(1), "not a pubspec.lock: the document is not a YAML mapping"));
    }
    let keys = KeyLines::yaml(input.text, Some("packages"));
    let mut out = Output { explicit_empty: doc.get("packages").is_some() || doc.get("sdks").is_some(), ..Default::default() };
    let Some(packages) = doc.get("packages").and_then(|p| p.as_mapping()) else { return Ok(out) };
    for (k, entry) in packages {
        let Some(name) = k.as_str() else { continue };
        let line = keys.get(name);
        let Some(version) = entry.get("version").and_then(yscalar) else {
            out.problem(line, format!("package {name} has no version"));
            continue;
        };
        let desc = entry.get("description");
        let (spec, source) = match ystr(entry, "source") {
            Some("git") => {
                let url = desc.and_then(|d| ystr(d, "url")).unwrap_or("").to_string();
                let rev = desc.and_then(|d| ystr(d, "resolved-ref").or_else(|| ystr(d, "ref"))).map(str::to_string);
                (Spec::Git { url: url.clone(), rev }, Some(url))
            }
            Some("path") => {
                let p = desc.and_then(|d| ystr(d, "path")).unwrap_or("").to_string();
                (Spec::Path(p.clone()), Some(p))
            }
            Some("sdk") => {
                let sdk = desc.and_then(yscalar).unwrap_or_default();
                (Spec::Path(format!("sdk:{sdk}")), None)
            }
            _ => (Spec::Exact(version), desc.and_then(|d| ystr(d, "url")).map(str::to_string)),
        };
        let dev = match ystr(entry, "dependency") {
            Some("direct dev") => Some(true),
            Some("direct main") | Some("direct overridden") => Some(false),
            _ => None,
        };
        out.packages.push(pkg(name, Ecosystem::Pub, spec, source, line, dev));
    }
    Ok(out)
}

// ---------------------------------------------------------------- renv.lock

pub fn renv(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    let keys = KeyLines::new(input.text);
    let mut out = Output { explicit_empty: v.get("Packages").is_some(), ..Default::default() };
    let Some(packages) = v.get("Packages").and_then(|p| p.as_object()) else { return Ok(out) };
    for (key, entry) in packages {
        let name = jstr(entry, "Package").unwrap_or(key);
        let line = keys.get(key);
        let Some(version) = jstr(entry, "Version") else {
            out.problem(line, format!("package {name} has no Version"));
            continue;
        };
        let source = jstr(entry, "Source").unwrap_or("Repository");
        let repo = jstr(entry, "Repository").unwrap_or("");
        let bioc = source == "Bioconductor" || repo.to_ascii_lowercase().starts_with("bioc");
        let eco = Ecosystem::Other(if bioc { "Bioconductor" } else { "CRAN" }.to_string());
        let (spec, src) = match source {
            "GitHub" | "GitLab" | "Bitbucket" | "git" => {
                let host = jstr(entry, "RemoteHost")
                    .map(|h| h.trim_start_matches("api.").to_string())
                    .unwrap_or_else(|| format!("{}.com", source.to_ascii_lowercase()));
                let url = match (jstr(entry, "RemoteUrl"), jstr(entry, "RemoteUsername"), jstr(entry, "RemoteRepo")) {
                    (Some(u), _, _) => u.to_string(),
                    (None, Some(user), Some(r)) => format!("https://{host}/{user}/{r}"),
                    _ => String::new(),
                };
                (Spec::Git { url: url.clone(), rev: jstr(entry, "RemoteSha").map(str::to_string) }, Some(url))
            }
            "Local" => {
                let p = jstr(entry, "RemoteUrl").unwrap_or("").to_string();
                (Spec::Path(p.clone()), Some(p))
            }
            _ => (Spec::Exact(version.to_string()), Some(repo.to_string()).filter(|r| !r.is_empty())),
        };
        out.packages.push(pkg(name, eco, spec, src, line, None));
    }
    Ok(out)
}

// ---------------------------------------------------------------- NuGet packages.lock.json

pub fn nuget(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    let keys = KeyLines::new(input.text);
    let mut out = Output { explicit_empty: v.get("dependencies").is_some(), ..Default::default() };
    let Some(frameworks) = v.get("dependencies").and_then(|d| d.as_object()) else { return Ok(out) };
    for deps in frameworks.values() {
        let Some(deps) = deps.as_object() else { continue };
        for (name, entry) in deps {
            let line = keys.get(name);
            let spec = if jstr(entry, "type") == Some("Project") {
                Spec::Path(name.clone())
            } else if let Some(v) = jstr(entry, "resolved") {
                Spec::Exact(v.to_string())
            } else {
                out.problem(line, format!("package {name} has no resolved version"));
                continue;
            };
            out.packages.push(pkg(name, Ecosystem::NuGet, spec, None, line, None));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- gradle.lockfile

pub fn gradle(input: &Input) -> Result<Output, LockError> {
    let mut out = Output::default();
    for (i, raw) in input.text.lines().enumerate() {
        let n = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if t.starts_with("empty=") {
            out.explicit_empty = true;
            continue;
        }
        let coords = t.split_once('=').map_or(t, |(c, _)| c);
        let parts: Vec<&str> = coords.split(':').collect();
        match parts.as_slice() {
            [g, a, v] if !g.is_empty() && !a.is_empty() && !v.is_empty() => {
                out.packages.push(pkg(&format!("{g}:{a}"), Ecosystem::Maven, Spec::Exact(v.to_string()), None, Some(n), None));
            }
            _ => out.problem(Some(n), format!("expected `group:artifact:version=configurations`, found {t:?}")),
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- conan.lock

/// `name/version[@user/channel][#revision][:package_id...]`.
fn conan_ref(r: &str) -> Option<(&str, &str)> {
    let r = r.split(['#', ':', '%']).next()?;
    let r = r.split('@').next()?;
    let (name, version) = r.split_once('/')?;
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

pub fn conan(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    let keys = KeyLines::new(input.text);
    let eco = || Ecosystem::Other("ConanCenter".into());
    let mut out = Output { explicit_empty: v.get("graph_lock").is_some() || v.get("requires").is_some(), ..Default::default() };
    // Lockfile 2.x: lists of references.
    for (list, dev) in [("requires", false), ("build_requires", true), ("python_requires", false)] {
        let Some(refs) = v.get(list).and_then(|r| r.as_array()) else { continue };
        for r in refs {
            let Some(r) = r.as_str() else { continue };
            match conan_ref(r) {
                Some((name, version)) => out.packages.push(pkg(name, eco(), Spec::Exact(version.to_string()), None, None, Some(dev))),
                None => out.problem(None, format!("cannot read the reference {r:?}")),
            }
        }
    }
    // Lockfile 1.x (and 0.x): a graph of nodes; the node with `path` is the project itself.
    if let Some(nodes) = v.get("graph_lock").and_then(|g| g.get("nodes")).and_then(|n| n.as_object()) {
        let build: HashSet<&str> = nodes
            .values()
            .filter_map(|n| n.get("build_requires"))
            .flat_map(|b| match b {
                serde_json::Value::Array(a) => a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>(),
                serde_json::Value::Object(o) => o.values().filter_map(|x| x.as_str()).collect(),
                _ => Vec::new(),
            })
            .collect();
        for (id, node) in nodes {
            if node.get("path").is_some() {
                continue;
            }
            let line = keys.get(id);
            let Some(r) = jstr(node, "ref").or_else(|| jstr(node, "pref")) else {
                if node.get("pref").is_some_and(|p| p.is_null()) {
                    continue; // the root of old lockfiles
                }
                out.problem(line, format!("node {id} has no reference"));
                continue;
            };
            match conan_ref(r) {
                Some((name, version)) => {
                    out.packages.push(pkg(name, eco(), Spec::Exact(version.to_string()), None, line, Some(build.contains(id.as_str()))))
                }
                None => out.problem(line, format!("cannot read the reference {r:?}")),
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------- pom.xml

/// One element of a small XML tree (enough for Maven POMs: no namespaces resolved, no DTDs).
struct Element {
    name: String,
    line: usize,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
    fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.trim())
    }
}

fn xml_name_ok(n: &str) -> bool {
    let mut chars = n.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-'))
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// Parses XML into a tree; nesting is bounded.
fn parse_xml(input: &Input) -> Result<Element, LockError> {
    let text = input.text;
    let mut stack: Vec<Element> = vec![Element { name: String::new(), line: 0, text: String::new(), children: Vec::new() }];
    let mut i = 0;
    let b = text.as_bytes();
    let lines = crate::text::LineIndex::new(text);
    let err = |pos: usize, msg: String| input.syntax(Some(lines.line(pos)), format!("invalid XML: {msg}"));
    while i < b.len() {
        if b[i] != b'<' {
            let end = text[i..].find('<').map_or(b.len(), |j| i + j);
            if let Some(top) = stack.last_mut() {
                top.text.push_str(&decode_entities(&text[i..end]));
            }
            i = end;
            continue;
        }
        let rest = &text[i..];
        let skip_to = |needle: &str, from: usize| rest[from..].find(needle).map(|j| i + from + j + needle.len());
        if rest.starts_with("<!--") {
            i = skip_to("-->", 4).ok_or_else(|| err(i, "unclosed comment".into()))?;
        } else if rest.starts_with("<![CDATA[") {
            let end = skip_to("]]>", 9).ok_or_else(|| err(i, "unclosed CDATA".into()))?;
            if let Some(top) = stack.last_mut() {
                top.text.push_str(&text[i + 9..end - 3]);
            }
            i = end;
        } else if rest.starts_with("<?") {
            i = skip_to("?>", 2).ok_or_else(|| err(i, "unclosed processing instruction".into()))?;
        } else if rest.starts_with("<!") {
            i = skip_to(">", 2).ok_or_else(|| err(i, "unclosed declaration".into()))?;
        } else if let Some(close) = rest.strip_prefix("</") {
            let end = close.find('>').ok_or_else(|| err(i, "unclosed end tag".into()))?;
            let name = close[..end].trim();
            let el = stack.pop().filter(|_| !stack.is_empty()).ok_or_else(|| err(i, format!("unexpected </{name}>")))?;
            if el.name != name {
                return Err(err(i, format!("</{name}> closes <{}> (line {})", el.name, el.line)));
            }
            if stack.is_empty() {
                return Err(err(i, format!("unexpected </{name}>")));
            }
            if let Some(p) = stack.last_mut() {
                p.children.push(el);
            }
            i += 2 + end + 1;
        } else {
            let end = rest.find('>').ok_or_else(|| err(i, "unclosed start tag".into()))?;
            let tag = &rest[1..end];
            let self_closing = tag.ends_with('/');
            let tag = tag.trim_end_matches('/');
            let name = tag.split(|c: char| c.is_whitespace()).next().unwrap_or("");
            if !xml_name_ok(name) {
                return Err(err(i, format!("invalid element name {name:?}")));
            }
            if stack.len() > 256 {
                return Err(err(i, "elements nested more than 256 deep".into()));
            }
            let el = Element { name: name.to_string(), line: lines.line(i), text: String::new(), children: Vec::new() };
            if self_closing {
                if let Some(p) = stack.last_mut() {
                    p.children.push(el);
                }
            } else {
                stack.push(el);
            }
            i += end + 1;
        }
    }
    if stack.len() != 1 {
        let open = stack.last().map(|e| (e.name.clone(), e.line)).unwrap_or_default();
        return Err(input.syntax(Some(open.1), format!("invalid XML: <{}> is never closed", open.0)));
    }
    let mut root = stack.pop().unwrap_or(Element { name: String::new(), line: 0, text: String::new(), children: Vec::new() });
    match root.children.len() {
        1 => Ok(root.children.remove(0)),
        0 => Err(input.syntax(None, "invalid XML: no root element")),
        _ => Err(input.syntax(Some(root.children[1].line), "invalid XML: more than one root element")),
    }
}

/// Substitutes `${name}` from the POM's properties (and `project.version` / `project.groupId`),
/// properties that refer to others included; `None` when a property is unknown, refers to itself
/// in a cycle, or expands past a sane length.
fn interpolate(s: &str, props: &HashMap<String, String>) -> Option<String> {
    let mut cur = s.to_string();
    for _ in 0..16 {
        if !cur.contains("${") {
            return Some(cur);
        }
        let mut out = String::new();
        let mut rest = cur.as_str();
        while let Some(start) = rest.find("${") {
            let end = rest[start..].find('}')? + start;
            out.push_str(&rest[..start]);
            out.push_str(props.get(&rest[start + 2..end])?);
            rest = &rest[end + 1..];
            if out.len() > 4096 {
                return None;
            }
        }
        out.push_str(rest);
        cur = out;
    }
    None
}

pub fn pom(input: &Input) -> Result<Output, LockError> {
    let root = parse_xml(input)?;
    if root.name != "project" && !root.name.ends_with(":project") {
        return Err(input.syntax(Some(root.line), format!("not a Maven POM: the root element is <{}>", root.name)));
    }
    let mut props: HashMap<String, String> = HashMap::new();
    if let Some(p) = root.child("properties") {
        for c in &p.children {
            props.insert(c.name.clone(), c.text.trim().to_string());
        }
    }
    let parent = root.child("parent");
    let project_version = root.child_text("version").or_else(|| parent.and_then(|p| p.child_text("version")));
    let project_group = root.child_text("groupId").or_else(|| parent.and_then(|p| p.child_text("groupId")));
    if let Some(v) = project_version {
        props.entry("project.version".into()).or_insert_with(|| v.to_string());
    }
    if let Some(g) = project_group {
        props.entry("project.groupId".into()).or_insert_with(|| g.to_string());
    }
    let mut out = Output { explicit_empty: true, ..Default::default() };
    let lists = [root.child("dependencies"), root.child("dependencyManagement").and_then(|d| d.child("dependencies"))];
    for deps in lists.into_iter().flatten() {
        for d in deps.children.iter().filter(|c| c.name == "dependency") {
            let (Some(g), Some(a)) = (d.child_text("groupId"), d.child_text("artifactId")) else {
                out.problem(Some(d.line), "dependency without groupId and artifactId");
                continue;
            };
            let g = interpolate(g, &props).unwrap_or_else(|| g.to_string());
            let a = interpolate(a, &props).unwrap_or_else(|| a.to_string());
            let spec = match d.child_text("version") {
                None => Spec::Unpinned(String::new()),
                Some(v) => match interpolate(v, &props) {
                    None => Spec::Unpinned(v.to_string()),
                    Some(v) if v.starts_with('[') && v.ends_with(']') && !v.contains(',') => {
                        Spec::Exact(v[1..v.len() - 1].trim().to_string())
                    }
                    Some(v) if v.starts_with('[') || v.starts_with('(') || v.contains(',') => Spec::Unpinned(v),
                    Some(v) if v.is_empty() => Spec::Unpinned(v),
                    Some(v) => Spec::Exact(v),
                },
            };
            let dev = Some(d.child_text("scope") == Some("test"));
            out.packages.push(pkg(&format!("{g}:{a}"), Ecosystem::Maven, spec, None, Some(d.line), dev));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use crate::{read_bytes, Ecosystem, Spec};

    #[test]
    fn gemfile_sections_and_platforms() {
        let text = "GIT\n  remote: https://github.com/a/b.git\n  revision: abc\n  specs:\n    b (1.0)\n      dep (>= 1)\n\nPATH\n  remote: ../local\n  specs:\n    loc (0.1)\n\n\
                    GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.0-x86_64-linux)\n    rc (1.0.0-rc1)\n    bad\n\nPLATFORMS\n  ruby\n\nBUNDLED WITH\n   2.2.28\n";
        let l = read_bytes("Gemfile.lock", text.as_bytes()).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.version.clone())).collect();
        assert_eq!(
            got,
            [
                ("b", Spec::Git { url: "https://github.com/a/b.git".into(), rev: Some("abc".into()) }),
                ("loc", Spec::Path("../local".into())),
                ("nokogiri", Spec::Exact("1.13.0".into())),
                ("rc", Spec::Exact("1.0.0-rc1".into())),
            ]
        );
        assert_eq!(l.packages[2].line, Some(16));
        assert_eq!(l.problems[0].line, Some(18));
    }

    #[test]
    fn mix_entries() {
        let text = "%{\n  \"plug\": {:hex, :plug, \"1.11.1\", \"f2\", [:mix], [{:mime, \"~> 1.0\", [hex: :mime, repo: \"hexpm\", optional: false]}], \"hexpm\", \"23\"},\n  \"foo\": {:git, \"https://github.com/o/foo.git\", \"fc94\", [branch: \"x\"]},\n  \"bad\": nope\n}\n";
        let l = read_bytes("mix.lock", text.as_bytes()).unwrap();
        assert_eq!(l.packages[0].version, Spec::Exact("1.11.1".into()));
        assert_eq!(l.packages[0].ecosystem, Ecosystem::Hex);
        assert_eq!(l.packages[1].version, Spec::Git { url: "https://github.com/o/foo.git".into(), rev: Some("fc94".into()) });
        assert_eq!(l.problems[0].line, Some(4));
        assert!(read_bytes("mix.lock", b"%{}\n").unwrap().packages.is_empty());
    }

    #[test]
    fn pom_properties_ranges_and_bad_xml() {
        let text = "<?xml version=\"1.0\"?>\n<project>\n  <version>9.9</version>\n  <properties><a.v>1.0</a.v><b>${a.v}</b></properties>\n  <!-- <dependency> -->\n  <dependencies>\n    <dependency><groupId>g</groupId><artifactId>a</artifactId><version>${b}</version></dependency>\n    <dependency><groupId>g</groupId><artifactId>r</artifactId><version>[1.0,2.0)</version><scope>test</scope></dependency>\n    <dependency><groupId>g</groupId><artifactId>p</artifactId><version>${project.version}</version></dependency>\n    <dependency><groupId>g</groupId><artifactId>u</artifactId><version>${nope}</version></dependency>\n    <dependency><groupId>g</groupId><artifactId>m</artifactId></dependency>\n  </dependencies>\n</project>\n";
        let l = read_bytes("pom.xml", text.as_bytes()).unwrap();
        let got: Vec<_> = l.packages.iter().map(|p| (p.name.as_str(), p.version.clone())).collect();
        assert_eq!(
            got,
            [
                ("g:a", Spec::Exact("1.0".into())),
                ("g:r", Spec::Unpinned("[1.0,2.0)".into())),
                ("g:p", Spec::Exact("9.9".into())),
                ("g:u", Spec::Unpinned("${nope}".into())),
                ("g:m", Spec::Unpinned(String::new())),
            ]
        );
        assert_eq!(l.packages[1].dev, Some(true));
        assert_eq!(l.packages[0].line, Some(7));
        let e = read_bytes("pom.xml", b"<project>\n<a></b>\n</project>").unwrap_err().to_string();
        assert!(e.starts_with("pom.xml:2: invalid XML: </b> closes <a>"), "{e}");
        let e = read_bytes("pom.xml", b"<project>\n<a>\n").unwrap_err().to_string();
        assert!(e.contains("never closed"), "{e}");
        let e = read_bytes("pom.xml", b"<notpom/>").unwrap_err().to_string();
        assert!(e.contains("not a Maven POM"), "{e}");
        let deep = "<project>".to_string() + &"<a>".repeat(1000);
        assert!(read_bytes("pom.xml", deep.as_bytes()).is_err());
        // Cyclic and exponentially growing properties end.
        let cyc = "<project><properties><a>${b}</a><b>${a}</b><c>${d}${d}${d}${d}</c><d>${e}${e}${e}${e}</d><e>${f}${f}${f}${f}</e><f>${g}${g}${g}${g}</f><g>${h}${h}${h}${h}</g><h>${i}${i}${i}${i}</h><i>${c}</i></properties>\
                   <dependencies><dependency><groupId>g</groupId><artifactId>x</artifactId><version>${a}</version></dependency>\
                   <dependency><groupId>g</groupId><artifactId>y</artifactId><version>${c}</version></dependency></dependencies></project>";
        let l = read_bytes("pom.xml", cyc.as_bytes()).unwrap();
        assert_eq!(l.packages[0].version, Spec::Unpinned("${a}".into()));
        assert_eq!(l.packages[1].version, Spec::Unpinned("${c}".into()));
    }

    #[test]
    fn gradle_conan_renv_nuget() {
        let l = read_bytes("gradle.lockfile", b"# c\ng:a:1.0=compileClasspath\n>>>\nempty=\n").unwrap();
        assert_eq!(l.packages[0].name, "g:a");
        assert_eq!(l.problems[0].line, Some(3));
        assert!(read_bytes("gradle.lockfile", b"empty=\n").unwrap().packages.is_empty());
        let l = read_bytes("conan.lock", br#"{"version": "0.5", "requires": ["zlib/1.2.11@u/c#rev%1"], "build_requires": ["cmake/3.1"]}"#)
            .unwrap();
        assert_eq!(l.packages[0].version, Spec::Exact("1.2.11".into()));
        assert_eq!(l.packages[1].dev, Some(true));
        let l = read_bytes("renv.lock", br#"{"Packages": {"a": {"Package": "a", "Version": "1", "Source": "Bioconductor"}}}"#).unwrap();
        assert_eq!(l.packages[0].ecosystem, Ecosystem::Other("Bioconductor".into()));
        let l = read_bytes(
            "packages.lock.json",
            br#"{"version": 1, "dependencies": {"net6.0": {"A": {"type": "Direct", "resolved": "1.0"}}}}"#,
        )
        .unwrap();
        assert_eq!(l.packages[0].version, Spec::Exact("1.0".into()));
    }
}
