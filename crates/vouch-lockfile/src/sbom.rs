//! SBOM input: CycloneDX JSON (components, nested) and SPDX 2.x / 3.0 JSON (packages with purls),
//! each package read from its package URL.

use crate::text::{json, jstr};
use crate::{Ecosystem, Input, LockError, Output, Package, Spec};
use serde_json::Value;

/// `Some("CycloneDX")` or `Some("SPDX")` when the first bytes of a JSON document look like one.
pub fn sniff(head: &str) -> Option<&'static str> {
    if head.contains("\"bomFormat\"") && head.contains("CycloneDX") {
        Some("CycloneDX")
    } else if head.contains("\"spdxVersion\"") || head.contains("spdx.org/rdf/3") || head.contains("\"SpdxDocument\"") {
        Some("SPDX")
    } else {
        None
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && b[i + 1].is_ascii_hexdigit() && b[i + 2].is_ascii_hexdigit() {
            let hex = |c: u8| (c as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A package read from a purl: `pkg:type/namespace/name@version?qualifiers#subpath`.
pub(crate) fn from_purl(purl: &str) -> Result<(String, Ecosystem, Spec, Option<String>), String> {
    let rest = purl.strip_prefix("pkg:").ok_or_else(|| format!("{purl:?} is not a package URL"))?;
    let rest = rest.trim_start_matches('/');
    let rest = rest.split('#').next().unwrap_or(rest);
    let (rest, qualifiers) = rest.split_once('?').unwrap_or((rest, ""));
    let (ty, path) = rest.split_once('/').ok_or_else(|| format!("{purl:?} has no name"))?;
    let ty = ty.to_ascii_lowercase();
    // The version follows the last `@` of the last segment (an npm scope `%40` is encoded).
    let (path, version) = match path.rfind('@') {
        Some(i) if !path[i..].contains('/') => (&path[..i], Some(percent_decode(&path[i + 1..]))),
        _ => (path, None),
    };
    let segs: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(percent_decode).collect();
    let Some((name, ns)) = segs.split_last() else { return Err(format!("{purl:?} has no name")) };
    let ecosystem = Ecosystem::from_purl_type(&ty).unwrap_or_else(|| Ecosystem::Other(ty.clone()));
    let full = match (&ecosystem, ns.is_empty()) {
        (_, true) => name.clone(),
        (Ecosystem::Maven, false) => format!("{}:{name}", ns.join(".")),
        // Distribution namespaces (`pkg:deb/debian/openssl`) are not part of the package name.
        (Ecosystem::Debian | Ecosystem::Alpine, false) => name.clone(),
        _ => format!("{}/{name}", ns.join("/")),
    };
    let source = qualifiers.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=')?;
        matches!(k, "repository_url" | "download_url" | "vcs_url").then(|| percent_decode(v))
    });
    let spec = match version {
        Some(v) if !v.is_empty() => Spec::Exact(v),
        _ => Spec::Unpinned(String::new()),
    };
    Ok((full, ecosystem, spec, source))
}

fn push_purl(out: &mut Output, purl: &str, what: &str) {
    match from_purl(purl) {
        Ok((name, eco, spec, source)) => out.packages.push(Package { name, ecosystem: eco, version: spec, source, line: None, dev: None }),
        Err(e) => out.problem(None, format!("{what}: {e}")),
    }
}

/// Component types that are software packages (others, such as files, models and data, are not).
const PACKAGE_TYPES: &[&str] =
    &["library", "framework", "application", "container", "operating-system", "platform", "device-driver", "firmware"];

pub fn cyclonedx(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    if jstr(&v, "bomFormat") != Some("CycloneDX") {
        return Err(input.syntax(Some(1), "not a CycloneDX JSON document (no \"bomFormat\": \"CycloneDX\")"));
    }
    let mut out = Output { explicit_empty: v.get("components").is_some() || v.get("specVersion").is_some(), ..Default::default() };
    let mut stack: Vec<&Value> = match v.get("components").and_then(|c| c.as_array()) {
        Some(c) => c.iter().rev().collect(),
        None => Vec::new(),
    };
    while let Some(c) = stack.pop() {
        if let Some(children) = c.get("components").and_then(|c| c.as_array()) {
            stack.extend(children.iter().rev());
        }
        let what = jstr(c, "bom-ref").or_else(|| jstr(c, "name")).unwrap_or("component").to_string();
        match jstr(c, "purl") {
            Some(purl) => push_purl(&mut out, purl, &what),
            None if PACKAGE_TYPES.contains(&jstr(c, "type").unwrap_or("library")) => {
                out.problem(None, format!("component {what} has no purl"));
            }
            None => {}
        }
    }
    Ok(out)
}

pub fn spdx(input: &Input) -> Result<Output, LockError> {
    let v = json(input)?;
    let mut out = Output::default();
    if v.get("spdxVersion").is_some() {
        // SPDX 2.x. What the document describes (the project itself) needs no purl.
        out.explicit_empty = true;
        let mut roots: Vec<&str> =
            v.get("documentDescribes").and_then(|d| d.as_array()).into_iter().flatten().filter_map(|x| x.as_str()).collect();
        for r in v.get("relationships").and_then(|r| r.as_array()).into_iter().flatten() {
            if jstr(r, "relationshipType") == Some("DESCRIBES") {
                roots.extend(jstr(r, "relatedSpdxElement"));
            }
        }
        for p in v.get("packages").and_then(|p| p.as_array()).into_iter().flatten() {
            let what = jstr(p, "SPDXID").or_else(|| jstr(p, "name")).unwrap_or("package").to_string();
            let is_root = jstr(p, "SPDXID").is_some_and(|id| roots.contains(&id));
            let purl = p.get("externalRefs").and_then(|r| r.as_array()).into_iter().flatten().find_map(|r| {
                let t = jstr(r, "referenceType")?;
                (t == "purl").then(|| jstr(r, "referenceLocator")).flatten()
            });
            match purl {
                Some(purl) => push_purl(&mut out, purl, &what),
                None if is_root => {}
                None => out.problem(None, format!("package {what} has no purl")),
            }
        }
    } else if let Some(graph) = v.get("@graph").and_then(|g| g.as_array()) {
        // SPDX 3.0: elements of type software_Package.
        out.explicit_empty = true;
        let roots: Vec<&str> =
            graph.iter().filter_map(|e| e.get("rootElement").and_then(|r| r.as_array())).flatten().filter_map(|x| x.as_str()).collect();
        for e in graph {
            let ty = jstr(e, "type").or_else(|| jstr(e, "@type")).unwrap_or("");
            if ty != "software_Package" {
                continue;
            }
            let what = jstr(e, "spdxId").or_else(|| jstr(e, "name")).unwrap_or("package").to_string();
            let purl = jstr(e, "software_packageUrl").or_else(|| {
                e.get("externalIdentifier")
                    .and_then(|x| x.as_array())
                    .into_iter()
                    .flatten()
                    .find_map(|x| (jstr(x, "externalIdentifierType") == Some("packageUrl")).then(|| jstr(x, "identifier")).flatten())
            });
            match purl {
                Some(purl) => push_purl(&mut out, purl, &what),
                None if roots.contains(&what.as_str()) => {}
                None => out.problem(None, format!("package {what} has no purl")),
            }
        }
    } else {
        return Err(input.syntax(Some(1), "not an SPDX JSON document (no \"spdxVersion\" and no \"@graph\")"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_bytes;

    #[test]
    fn purls_decode() {
        let (n, e, s, src) = from_purl("pkg:npm/%40babel/core@7.0.0?repository_url=https%3A%2F%2Fr.example").unwrap();
        assert_eq!(
            (n.as_str(), e, s, src.as_deref()),
            ("@babel/core", Ecosystem::Npm, Spec::Exact("7.0.0".into()), Some("https://r.example"))
        );
        let (n, e, ..) = from_purl("pkg:maven/org.apache.commons/commons-text@1.9").unwrap();
        assert_eq!((n.as_str(), e), ("org.apache.commons:commons-text", Ecosystem::Maven));
        let (n, _, s, _) = from_purl("pkg:golang/github.com/gin-gonic/gin@v1.9.0#sub").unwrap();
        assert_eq!((n.as_str(), s), ("github.com/gin-gonic/gin", Spec::Exact("v1.9.0".into())));
        let (n, e, s, _) = from_purl("pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64").unwrap();
        assert_eq!((n.as_str(), e, s), ("openssl", Ecosystem::Debian, Spec::Exact("3.0.11-1~deb12u2".into())));
        let (n, e, s, _) = from_purl("pkg:github/actions/checkout").unwrap();
        assert_eq!((n.as_str(), e, s), ("actions/checkout", Ecosystem::Other("github".into()), Spec::Unpinned(String::new())));
        assert_eq!(percent_decode("a%2"), "a%2");
        assert!(from_purl("npm/x@1").is_err());
        assert!(from_purl("pkg:npm").is_err());
    }

    #[test]
    fn cyclonedx_nested_and_spdx() {
        let cdx = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {"component": {"purl": "pkg:pypi/self@1"}},
            "components": [{"type": "library", "purl": "pkg:pypi/requests@2.31.0", "components": [{"type": "library", "purl": "pkg:cargo/serde@1.0.0"}]},
                           {"type": "file", "name": "weights.bin"}, {"type": "library", "name": "nopurl"}]}"#;
        let l = read_bytes("bom.cdx.json", cdx).unwrap();
        assert_eq!(l.format, "CycloneDX");
        let names: Vec<_> = l.packages.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["requests", "serde"]);
        assert_eq!(l.problems.len(), 1);
        let spdx = br#"{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "a", "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:npm/left-pad@1.3.0"}]}]}"#;
        let l = read_bytes("x.spdx.json", spdx).unwrap();
        assert_eq!(l.format, "SPDX");
        assert_eq!(l.packages[0].name, "left-pad");
        let spdx = br#"{"spdxVersion": "SPDX-2.3", "documentDescribes": ["root"], "relationships": [{"spdxElementId": "doc", "relationshipType": "DESCRIBES", "relatedSpdxElement": "root2"}],
            "packages": [{"SPDXID": "root"}, {"SPDXID": "root2"}, {"SPDXID": "dep"}]}"#;
        let e = read_bytes("x.spdx.json", spdx).unwrap_err().to_string();
        assert!(e.contains("package dep has no purl"), "{e}");
        let spdx3 = br#"{"@graph": [{"type": "SpdxDocument", "rootElement": ["app"]}, {"type": "software_Package", "spdxId": "app"},
            {"type": "software_Package", "spdxId": "x", "externalIdentifier": [{"externalIdentifierType": "packageUrl", "identifier": "pkg:cargo/rand@0.8.5"}]}]}"#;
        let l = read_bytes("x.spdx.json", spdx3).unwrap();
        assert_eq!((l.packages.len(), l.problems.len()), (1, 0));
        assert_eq!(l.packages[0].name, "rand");
        let spdx3 = br#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": [{"type": "software_Package", "spdxId": "p", "software_packageUrl": "pkg:gem/rails@7.0.0"}]}"#;
        let l = read_bytes("x.spdx.json", spdx3).unwrap();
        assert_eq!(l.packages[0].ecosystem, Ecosystem::RubyGems);
        assert!(matches!(read_bytes("bom.json", b"{\"x\": 1}"), Err(crate::LockError::Unsupported { .. })));
    }
}
