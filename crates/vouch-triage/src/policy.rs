//! The project's triage policy (`[triage]` in a TOML file): what is not a security issue for the
//! project, which macros and folders are debug or test only, and the flag threshold.

use std::path::Path;

use serde::Deserialize;

/// Kinds of issue a project may declare out of scope.
pub const SCOPE_KINDS: &[(&str, &str)] = &[
    ("debug-build", "code only compiled in debug builds"),
    ("test-code", "tests, examples and documentation"),
    ("local-attacker", "input controlled only by the local user or the environment"),
    ("api-misuse", "applications passing invalid arguments to the API"),
    ("weak-crypto-required-by-protocol", "weak algorithms a protocol requires"),
    ("null-deref-crash", "plain crashes and NULL dereferences without further impact"),
    ("small-memory-leak", "small memory leaks (a sanitizer measuring at most 64 KiB leaked and nothing else)"),
    ("crlf-in-data", "CR and LF characters the user or application passes in being sent on (CRLF injection)"),
    ("command-line-trickery", "tricking a user into running a crafted command line or configuration, or injecting arguments into one"),
    ("terminal-escape", "escape sequences in transferred content shown on a terminal"),
    ("url-inconsistency", "URL parsing that differs from browsers or the WHATWG URL specification"),
    ("visible-arguments", "command-line arguments (credentials) left readable in process listings"),
    ("unreleased-code", "code on the default branch that no release had at the report's date, or that the report calls unreleased"),
    ("local-file-url", "file:// URLs reading local files the user can read (applications choose the protocols they allow)"),
    ("crafted-bytecode", "crashes from loading compiled bytecode that was crafted or modified (the VM trusts what its compiler writes)"),
    (
        "large-allocation",
        "a sanitizer or fuzzer stopping the program at a large allocation request (ASan's \"failed to allocate\" or allocation-size-too-big, libFuzzer's out-of-memory) with no memory error",
    ),
];

/// A triage policy. Every field has a default, so an empty file is a valid policy.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Policy {
    /// Project name, used to recognise the project's versions in prose ("curl 8.10.1").
    pub name: Option<String>,
    /// Issue kinds that are not security issues for the project (see [`SCOPE_KINDS`]).
    pub not_security: Vec<String>,
    /// Preprocessor macros that are only defined in debug or test builds.
    pub debug_macros: Vec<String>,
    /// Folders (repository-relative prefixes) holding tests, examples or docs.
    pub test_dirs: Vec<String>,
    /// Function-name prefixes of the project's dependencies (`SSL_`, `nghttp2_`): such symbols are
    /// checked as dependency symbols (unverifiable), not as missing project code.
    pub dependency_prefixes: Vec<String>,
    /// Names of other projects the code depends on or is compared with (`libssh`, `openssl`): a
    /// file or function the report places in one of them is not checked against this project.
    pub dependencies: Vec<String>,
    /// Facts the project records about the contracts of the API it uses or offers, which reports
    /// get wrong (`[[triage.contracts]]`).
    pub contracts: Vec<Contract>,
    /// Limits the project puts on the length of its inputs (`[[triage.input_limits]]`), which
    /// reports needing a longer input ignore.
    pub input_limits: Vec<InputLimit>,
    /// The project's own names for its compiled bytecode and the functions that load it
    /// (`read_irep`, `irep record`), looked for beside the general words ("bytecode") when
    /// `crafted-bytecode` is out of scope.
    pub bytecode_terms: Vec<String>,
    /// Reports scoring below this are flagged.
    pub flag_below: f64,
    /// Similarity (0-1) above which a report duplicates a published advisory.
    pub duplicate_advisory: f64,
    /// Similarity (0-1) above which a report duplicates an earlier report of the queue.
    pub duplicate_report: f64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            name: None,
            not_security: Vec::new(),
            debug_macros: [
                "DEBUGBUILD",
                "CURLDEBUG",
                "UNITTESTS",
                "DEBUG",
                "_DEBUG",
                "UNIT_TESTING",
                "TEST",
                "TESTING",
                "FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION",
            ]
            .map(String::from)
            .to_vec(),
            test_dirs: ["tests/", "test/", "testing/", "examples/", "docs/examples/", "docs/", "fuzz/", "unittests/"]
                .map(String::from)
                .to_vec(),
            dependency_prefixes: [
                "SSL_",
                "SSL_CTX_",
                "EVP_",
                "BIO_",
                "X509_",
                "PEM_",
                "ERR_",
                "OPENSSL_",
                "CRYPTO_",
                "RAND_",
                "BN_",
                "RSA_",
                "EC_",
                "OSSL_",
                "gnutls_",
                "mbedtls_",
                "wolfSSL_",
                "wc_",
                "br_",
                "rustls_",
                "nghttp2_",
                "nghttp3_",
                "ngtcp2_",
                "quiche_",
                "ares_",
                "libssh2_",
                "ssh_",
                "sftp_",
                "psl_",
                "idn2_",
                "Idn",
                "BrotliDecoder",
                "ZSTD_",
                "inflate",
                "deflate",
                "zlib",
                "gss_",
                "krb5_",
                "ldap_",
                "ber_",
                "uv_",
                "g_",
                "Sec",
                "CF",
                "kCF",
                "Curl_ossl_",
                "PR_",
                "PK11_",
                "NSS_",
            ]
            .map(String::from)
            .to_vec(),
            dependencies: [
                "openssl",
                "boringssl",
                "libressl",
                "aws-lc",
                "quictls",
                "gnutls",
                "mbedtls",
                "wolfssl",
                "rustls",
                "schannel",
                "securetransport",
                "nss",
                "libssh",
                "libssh2",
                "nghttp2",
                "nghttp3",
                "ngtcp2",
                "quiche",
                "msh3",
                "openssl-quic",
                "zlib",
                "zlib-ng",
                "brotli",
                "zstd",
                "c-ares",
                "libidn2",
                "libpsl",
                "libgsasl",
                "krb5",
                "heimdal",
                "openldap",
                "librtmp",
                "libuv",
                "glibc",
                "musl",
                "uclibc",
                "bionic",
                "wget",
                "wget2",
                "urllib3",
                "nodejs",
                "golang",
                "chromium",
                "firefox",
            ]
            .map(String::from)
            .to_vec(),
            contracts: Vec::new(),
            input_limits: Vec::new(),
            bytecode_terms: Vec::new(),
            flag_below: 0.5,
            duplicate_advisory: 0.5,
            duplicate_report: 0.6,
        }
    }
}

/// A documented fact about an interface, in one of two forms: a guarantee reports deny
/// (`nghttp2_on_header_callback` hands over NUL-terminated names and values; `denies` lists the
/// phrases that deny it), or a precondition reproducers skip (`git_libgit2_init()` before any
/// other call; `requires` lists the calls, one of which must come first).
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Identifiers the report must name for the fact to apply (any one of them); with
    /// `requires`, functions its reproducer calls.
    pub names: Vec<String>,
    /// Phrases that deny the fact (any case; one of them in a sentence of the report's prose).
    #[serde(default)]
    pub denies: Vec<String>,
    /// Calls the interface requires: a reproducer that calls one of `names` and none of these
    /// breaks the contract.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Options, calls or settings outside the interface's contract (`PCRE2_NO_UTF_CHECK` with
    /// invalid input): a report naming one of `names` that uses one of these (in its code,
    /// commands or inputs, or in prose that does not negate it) is outside the contract.
    #[serde(default)]
    pub forbids: Vec<String>,
    /// The fact, as the finding states it.
    pub fact: String,
    /// Where it is documented.
    #[serde(default)]
    pub source: Option<String>,
}

/// A limit the project puts on an input's length: strings longer than the value of the macro
/// `macro_name` (`CURL_MAX_INPUT_LENGTH`, 8000000 bytes) are refused where the input enters.
#[derive(Debug, Clone, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct InputLimit {
    /// The macro holding the limit in bytes, read at the version checked: a version without it
    /// has no limit.
    #[serde(rename = "macro")]
    pub macro_name: String,
    /// Words naming the inputs the limit covers (`url`, `curl_easy_setopt`): the report's prose
    /// must use one of them (any case, as a word).
    pub inputs: Vec<String>,
    /// Inputs the limit does not cover (`POSTFIELDS`): a report whose text holds one (any case,
    /// also inside a longer name such as `CURLOPT_POSTFIELDS`) is left alone.
    #[serde(default)]
    pub except: Vec<String>,
    /// The fact, as the finding states it.
    pub fact: String,
    /// Where it is documented.
    #[serde(default)]
    pub source: Option<String>,
}

/// The file layout: a `[triage]` table (so the policy can live in `vouch.toml`) or the fields at top level.
#[derive(Deserialize)]
struct File {
    triage: Option<toml::Value>,
    #[serde(flatten)]
    rest: toml::Table,
}

/// Errors reading a policy file.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    #[error("{path}: cannot read the policy file: {error}")]
    Io { path: String, error: std::io::Error },
    #[error("{path}: invalid triage policy: {reason}")]
    Invalid { path: String, reason: String },
}

impl Policy {
    /// Reads a policy file.
    pub fn load(path: &Path) -> Result<Policy, PolicyError> {
        let text = std::fs::read_to_string(path).map_err(|error| PolicyError::Io { path: path.display().to_string(), error })?;
        Policy::parse(&text).map_err(|reason| PolicyError::Invalid { path: path.display().to_string(), reason })
    }

    /// Parses policy text: either a `[triage]` table or the fields at top level.
    pub fn parse(text: &str) -> Result<Policy, String> {
        let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
        let table = match file.triage {
            Some(v) => v,
            None => toml::Value::Table(
                file.rest.into_iter().filter(|(k, _)| !matches!(k.as_str(), "scan" | "audit" | "license" | "bom")).collect(),
            ),
        };
        let policy: Policy = table.try_into().map_err(|e: toml::de::Error| e.message().to_string())?;
        for kind in &policy.not_security {
            if !SCOPE_KINDS.iter().any(|(k, _)| k == kind) {
                let known: Vec<&str> = SCOPE_KINDS.iter().map(|(k, _)| *k).collect();
                return Err(format!("unknown not_security kind `{kind}` (known: {})", known.join(", ")));
            }
        }
        // An empty term would be found in every sentence.
        if policy.bytecode_terms.iter().any(|t| t.trim().len() < 3) {
            return Err("bytecode_terms need at least 3 characters each".into());
        }
        for (i, c) in policy.contracts.iter().enumerate() {
            let blank = |v: &[String]| v.is_empty() || v.iter().any(|x| x.trim().is_empty());
            if blank(&c.names) || c.fact.trim().is_empty() {
                return Err(format!("contracts[{i}] needs non-empty `names` and `fact`"));
            }
            if [&c.denies, &c.requires, &c.forbids].iter().filter(|v| !blank(v)).count() != 1
                || [&c.denies, &c.requires, &c.forbids].iter().any(|v| !v.is_empty() && blank(v))
            {
                return Err(format!(
                    "contracts[{i}] needs exactly one of `denies` (phrases), `requires` (calls) and `forbids` (options or calls), \
                     without empty entries"
                ));
            }
        }
        for (i, l) in policy.input_limits.iter().enumerate() {
            let blank = |v: &[String]| v.is_empty() || v.iter().any(|x| x.trim().len() < 2);
            if l.macro_name.trim().is_empty() || blank(&l.inputs) || l.fact.trim().is_empty() || l.except.iter().any(|x| x.trim().len() < 2)
            {
                return Err(format!("input_limits[{i}] needs a `macro`, `inputs` (words of two characters or more) and a `fact`"));
            }
        }
        for (name, v) in [
            ("flag_below", policy.flag_below),
            ("duplicate_advisory", policy.duplicate_advisory),
            ("duplicate_report", policy.duplicate_report),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} must be between 0 and 1, not {v}"));
            }
        }
        Ok(policy)
    }

    /// Whether the policy declares `kind` out of scope.
    pub fn excludes(&self, kind: &str) -> bool {
        self.not_security.iter().any(|k| k == kind)
    }

    /// Whether `path` lies in a test, example or documentation folder.
    pub fn is_test_path(&self, path: &str) -> Option<&str> {
        let path = path.trim_start_matches("./");
        self.test_dirs.iter().map(String::as_str).find(|d| {
            let d = d.trim_start_matches("./");
            let dir = d.trim_end_matches('/');
            path.starts_with(d) && (d.ends_with('/') || path.as_bytes().get(d.len()) == Some(&b'/')) || path.starts_with(&format!("{dir}/"))
        })
    }

    /// The debug macro a preprocessor condition depends on, if any.
    pub fn debug_macro_in<'a>(&'a self, condition: &str) -> Option<&'a str> {
        self.debug_macros.iter().map(String::as_str).find(|m| contains_identifier(condition, m))
    }

    /// The dependency a sentence names, if any (whole words, any case).
    pub fn dependency_named_in(&self, sentence: &str) -> Option<&str> {
        let lower = sentence.to_ascii_lowercase();
        let project = self.name.as_deref().map(str::to_ascii_lowercase);
        self.dependencies.iter().map(String::as_str).find(|d| {
            let d_lower = d.to_ascii_lowercase();
            Some(&d_lower) != project.as_ref()
                && lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).any(|w| w == d_lower)
        })
    }

    pub fn is_dependency_symbol(&self, name: &str) -> bool {
        self.dependency_prefix(name).is_some()
    }

    /// The dependency prefix `name` starts with (`SSL_` of `SSL_read`), if any.
    pub fn dependency_prefix(&self, name: &str) -> Option<&str> {
        self.dependency_prefixes.iter().map(String::as_str).find(|p| name.starts_with(p) && name.len() > p.len())
    }
}

/// Whether `text` contains `ident` as a whole identifier.
pub(crate) fn contains_identifier(text: &str, ident: &str) -> bool {
    identifier_uses(text, ident).next().is_some()
}

/// For each use of the identifier `ident` in `text` as a whole word: whether it is a member
/// (after `->` or `.`: `c->err`, `s.len`).
pub(crate) fn identifier_uses<'a>(text: &'a str, ident: &'a str) -> impl Iterator<Item = bool> + 'a {
    let is_id = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let bytes = text.as_bytes();
    text.match_indices(ident).filter_map(move |(start, _)| {
        let end = start + ident.len();
        let whole = (start == 0 || !is_id(bytes[start - 1])) && (end >= bytes.len() || !is_id(bytes[end]));
        whole.then(|| {
            let before = text[..start].trim_end();
            before.ends_with("->") || before.ends_with('.')
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_policy_is_the_default() {
        assert_eq!(Policy::parse("").unwrap(), Policy::default());
    }

    #[test]
    fn triage_table_or_top_level() {
        let a = Policy::parse("[triage]\nnot_security = [\"debug-build\"]\nflag_below = 0.4\n").unwrap();
        let b = Policy::parse("not_security = [\"debug-build\"]\nflag_below = 0.4\n").unwrap();
        assert_eq!(a, b);
        assert!(a.excludes("debug-build"));
        assert!(!a.excludes("test-code"));
        assert_eq!(a.flag_below, 0.4);
        // A vouch.toml with other sections still reads.
        let c = Policy::parse("[scan]\njobs = 2\n[triage]\ndebug_macros = [\"MYDEBUG\"]\n").unwrap();
        assert_eq!(c.debug_macros, ["MYDEBUG"]);
    }

    #[test]
    fn bad_policies_say_what_is_wrong() {
        assert!(Policy::parse("not_security = [\"crashes\"]").unwrap_err().contains("unknown not_security kind `crashes`"));
        assert!(Policy::parse("flag_below = 3.0").unwrap_err().contains("between 0 and 1"));
        assert!(Policy::parse("colour = 1").unwrap_err().contains("colour"));
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("policy.toml");
        std::fs::write(&p, "not_security = 3").unwrap();
        let e = Policy::load(&p).unwrap_err().to_string();
        assert!(e.contains("policy.toml") && e.contains("invalid triage policy"), "{e}");
        assert!(Policy::load(&dir.path().join("none.toml")).unwrap_err().to_string().contains("none.toml"));
        assert!(Policy::parse("[[contracts]]\nnames = [\"f\"]\ndenies = []\nfact = \"x\"\n").unwrap_err().contains("contracts[0]"));
        let both = "[[contracts]]\nnames = [\"f\"]\ndenies = [\"y\"]\nrequires = [\"g\"]\nfact = \"x\"\n";
        assert!(Policy::parse(both).unwrap_err().contains("exactly one of"));
        assert!(Policy::parse("[[contracts]]\nnames = [\"f\"]\nrequires = [\"g\"]\nfact = \"x\"\n").is_ok());
        assert!(Policy::parse("[[contracts]]\nnames = [\"f\"]\nforbids = [\"F_NO_CHECK\"]\nfact = \"x\"\n").is_ok());
        assert!(Policy::parse("bytecode_terms = [\"\"]\n").unwrap_err().contains("bytecode_terms"));
        assert_eq!(Policy::parse("bytecode_terms = [\"read_irep\"]\n").unwrap().bytecode_terms, ["read_irep"]);
        let two = "[[contracts]]\nnames = [\"f\"]\nforbids = [\"F_NO_CHECK\"]\nrequires = [\"g\"]\nfact = \"x\"\n";
        assert!(Policy::parse(two).unwrap_err().contains("exactly one of"));
        let empty = "[[contracts]]\nnames = [\"f\"]\nforbids = [\"\"]\nfact = \"x\"\n";
        assert!(Policy::parse(empty).unwrap_err().contains("without empty entries"));
        assert!(Policy::parse("[[contracts]]\nnames = [\"f\"]\ndenies = [\"y\"]\nfact = \"x\"\nwhy = 1\n").unwrap_err().contains("why"));
    }

    #[test]
    fn contracts_read_from_the_triage_table() {
        let p = Policy::parse("[triage]\n[[triage.contracts]]\nnames = [\"on_header\"]\ndenies = [\"not null-terminated\"]\nfact = \"NUL-terminated\"\nsource = \"https://example.org/doc\"\n").unwrap();
        assert_eq!(p.contracts.len(), 1);
        assert_eq!(p.contracts[0].source.as_deref(), Some("https://example.org/doc"));
    }

    #[test]
    fn paths_macros_and_dependencies() {
        let p = Policy::default();
        assert_eq!(p.is_test_path("tests/unit/unit1304.c"), Some("tests/"));
        assert_eq!(p.is_test_path("./docs/examples/http.c"), Some("docs/examples/"));
        assert_eq!(p.is_test_path("lib/http.c"), None);
        assert_eq!(p.is_test_path("testsuite.c"), None);
        assert_eq!(p.debug_macro_in("defined(DEBUGBUILD) && !defined(X)"), Some("DEBUGBUILD"));
        assert_eq!(p.debug_macro_in("defined(NODEBUGBUILD)"), None);
        assert!(p.is_dependency_symbol("SSL_read"));
        assert!(!p.is_dependency_symbol("Curl_http"));
    }
}
