//! The vulnerability class and the attacker's input sources.

use crate::{InputSource, VulnClass};

/// Weakness names (HackerOne / CWE titles) and prose keywords, most specific first.
type Make = fn() -> VulnClass;

const KEYWORDS: &[(&str, Make)] = &[
    ("double free", || VulnClass::DoubleFree),
    ("double-free", || VulnClass::DoubleFree),
    // Pattern scanners' wording: "Variable 'line' was freed twice".
    ("freed twice", || VulnClass::DoubleFree),
    ("use after free", || VulnClass::UseAfterFree),
    ("use-after-free", || VulnClass::UseAfterFree),
    ("buffer over-read", || VulnClass::OutOfBoundsRead),
    ("buffer overread", || VulnClass::OutOfBoundsRead),
    ("out-of-bounds read", || VulnClass::OutOfBoundsRead),
    ("out of bounds read", || VulnClass::OutOfBoundsRead),
    // "over-reads the 32 byte peak_info", "a heap over-read".
    ("over-read", || VulnClass::OutOfBoundsRead),
    ("overread", || VulnClass::OutOfBoundsRead),
    ("heap-buffer-overflow", || VulnClass::BufferOverflow),
    ("stack-buffer-overflow", || VulnClass::BufferOverflow),
    ("global-buffer-overflow", || VulnClass::BufferOverflow),
    ("buffer overflow", || VulnClass::BufferOverflow),
    ("heap overflow", || VulnClass::BufferOverflow),
    ("out-of-bounds write", || VulnClass::BufferOverflow),
    ("out of bounds write", || VulnClass::BufferOverflow),
    ("memory corruption", || VulnClass::BufferOverflow),
    ("buffer overrun", || VulnClass::BufferOverflow),
    ("out-of-bounds access", || VulnClass::BufferOverflow),
    ("out of bounds access", || VulnClass::BufferOverflow),
    ("out-of-bound", || VulnClass::BufferOverflow),
    ("out of bound", || VulnClass::BufferOverflow),
    ("integer overflow", || VulnClass::IntegerOverflow),
    ("integer underflow", || VulnClass::IntegerOverflow),
    ("wraparound", || VulnClass::IntegerOverflow),
    ("arithmetic overflow", || VulnClass::IntegerOverflow),
    ("arithmetic expression overflow", || VulnClass::IntegerOverflow),
    ("null pointer", || VulnClass::NullDeref),
    ("null dereference", || VulnClass::NullDeref),
    ("null-dereference", || VulnClass::NullDeref),
    ("null deref", || VulnClass::NullDeref),
    ("nullptr dereference", || VulnClass::NullDeref),
    // A NULL passed where the callee forbids one (GCC's -Wnonnull, UBSan's "declared to never be
    // null"): a NULL pointer claim, not a size one.
    ("nonnull", || VulnClass::NullDeref),
    ("null where non-null expected", || VulnClass::NullDeref),
    ("declared to never be null", || VulnClass::NullDeref),
    ("format string", || VulnClass::FormatString),
    ("memory leak", || VulnClass::MemoryLeak),
    ("missing release of memory", || VulnClass::MemoryLeak),
    ("leaks memory", || VulnClass::MemoryLeak),
    ("leaking memory", || VulnClass::MemoryLeak),
    ("insufficiently protected credentials", || VulnClass::CredentialLeak),
    ("transport of credentials", || VulnClass::CredentialLeak),
    ("credential leak", || VulnClass::CredentialLeak),
    ("certificate validation", || VulnClass::CertValidation),
    ("validation of certificate", || VulnClass::CertValidation),
    ("certificate verification", || VulnClass::CertValidation),
    ("improper certificate", || VulnClass::CertValidation),
    ("ocsp", || VulnClass::CertValidation),
    ("path traversal", || VulnClass::PathTraversal),
    ("directory traversal", || VulnClass::PathTraversal),
    ("injection", || VulnClass::Injection),
    ("crlf", || VulnClass::Injection),
    ("race condition", || VulnClass::RaceCondition),
    ("toctou", || VulnClass::RaceCondition),
    ("denial of service", || VulnClass::DenialOfService),
    ("uncontrolled resource consumption", || VulnClass::DenialOfService),
    ("allocation of resources without limits", || VulnClass::DenialOfService),
    ("infinite loop", || VulnClass::DenialOfService),
    ("endless loop", || VulnClass::DenialOfService),
    ("resource exhaustion", || VulnClass::DenialOfService),
    ("information exposure", || VulnClass::InfoLeak),
    ("information disclosure", || VulnClass::InfoLeak),
    ("exposure of sensitive", || VulnClass::InfoLeak),
    ("cleartext transmission", || VulnClass::InfoLeak),
];

fn from_cwe(n: u32) -> Option<VulnClass> {
    Some(match n {
        416 => VulnClass::UseAfterFree,
        415 => VulnClass::DoubleFree,
        125..=127 => VulnClass::OutOfBoundsRead,
        119..=124 | 787 | 788 => VulnClass::BufferOverflow,
        190 | 191 | 680 => VulnClass::IntegerOverflow,
        476 => VulnClass::NullDeref,
        134 => VulnClass::FormatString,
        401 | 772 => VulnClass::MemoryLeak,
        522 | 523 | 256 | 312 => VulnClass::CredentialLeak,
        200 | 201 | 209 | 319 | 359 => VulnClass::InfoLeak,
        295..=299 => VulnClass::CertValidation,
        74 | 77 | 78 | 79 | 89 | 93 | 94 | 113 => VulnClass::Injection,
        22 | 23 | 36 => VulnClass::PathTraversal,
        400 | 770 | 835 | 674 => VulnClass::DenialOfService,
        362 | 367 => VulnClass::RaceCondition,
        _ => return None,
    })
}

fn credentials_mentioned(prose: &str) -> bool {
    ["credential", "password", "token", "bearer", "authorization header", "cookie", "secret"].iter().any(|w| prose.contains(w))
}

fn refine(c: VulnClass, prose: &str) -> VulnClass {
    if c == VulnClass::InfoLeak && credentials_mentioned(prose) && prose.contains("leak") {
        VulnClass::CredentialLeak
    } else {
        c
    }
}

/// The class from the Weakness row, then CWE ids, then the title, then the most frequent prose keyword.
pub(crate) fn vuln_class(weakness: Option<&str>, cwes: &[u32], title: Option<&str>, prose_lower: &str) -> Option<VulnClass> {
    let lookup = |s: &str| -> Option<VulnClass> {
        let s = s.to_ascii_lowercase();
        KEYWORDS.iter().find(|(k, _)| s.contains(k)).map(|(_, f)| f())
    };
    // A generic weakness ("Memory Corruption - Generic") gives way to a title that names the class.
    if let Some(c) = title.and_then(lookup).filter(|_| weakness.is_some_and(|w| w.to_ascii_lowercase().contains("generic"))) {
        return Some(refine(c, prose_lower));
    }
    if let Some(w) = weakness {
        if let Some(c) = lookup(w) {
            return Some(refine(c, prose_lower));
        }
    }
    if let Some(c) = cwes.iter().find_map(|&n| from_cwe(n)) {
        return Some(refine(c, prose_lower));
    }
    if let Some(c) = title.and_then(lookup) {
        return Some(refine(c, prose_lower));
    }
    // The keyword with the most mentions (ties: the earlier, more specific one).
    let mut best: Option<(usize, usize)> = None;
    for (i, (k, _)) in KEYWORDS.iter().enumerate() {
        if *k == "injection" || *k == "crlf" || *k == "ocsp" {
            continue; // too often incidental in prose
        }
        let n = prose_lower.matches(k).count();
        if n > 0 && best.is_none_or(|(_, bn)| n > bn) {
            best = Some((i, n));
        }
    }
    if let Some((i, _)) = best {
        return Some(refine(KEYWORDS[i].1(), prose_lower));
    }
    if prose_lower.contains("leak") && credentials_mentioned(prose_lower) {
        return Some(VulnClass::CredentialLeak);
    }
    weakness.map(|w| VulnClass::Other(w.to_string()))
}

/// Where the attacker's data comes from, by prose keywords (lowercase prose).
pub(crate) fn inputs(prose: &str, options_only: bool) -> Vec<InputSource> {
    let has = |ws: &[&str]| ws.iter().any(|w| prose.contains(w));
    let mut out = Vec::new();
    if has(&[
        "man-in-the-middle",
        "mitm",
        "on-path",
        "network attacker",
        "network position",
        "attacker on the network",
        "spoofed",
        "intercept",
    ]) {
        out.push(InputSource::Network);
    }
    if has(&[
        "malicious server",
        "attacker-controlled server",
        "attacker controlled server",
        "rogue server",
        "hostile server",
        "evil server",
        "malicious proxy",
        "server-controlled",
        "server controlled",
        "the server sends",
        "server response",
        "attacker-controlled host",
        "redirect",
        "fake server",
        "mock server",
        "malicious peer",
    ]) {
        out.push(InputSource::Server);
        if prose.contains("redirect") && !out.contains(&InputSource::Network) {
            out.push(InputSource::Network);
        }
    }
    if has(&[
        "malicious file",
        "crafted file",
        "attacker-controlled file",
        "config file",
        "configuration file",
        "netrc",
        "cookie file",
        "file provided by",
    ]) {
        out.push(InputSource::File);
    }
    if has(&["environment variable", "getenv", "curl_home", "_proxy environment", "env var"]) {
        out.push(InputSource::Environment);
    }
    if has(&["command line", "command-line"]) || options_only {
        out.push(InputSource::CommandLine);
    }
    if has(&["local user", "local attacker", "unprivileged user", "other users on"]) {
        out.push(InputSource::LocalUser);
    }
    if has(&[
        "application passes",
        "api misuse",
        "application calls",
        "applications that",
        "applications share",
        "applications using",
        "applications reuse",
        "applications which",
        "the application",
        "an application",
        "applications using",
        "libcurl application",
        "calling application",
    ]) {
        out.push(InputSource::ApiCaller);
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_in_other_words_name_the_class() {
        for (title, class) in [
            ("cf-socket: fix buffer overrun in Curl_sock_assign_addr", VulnClass::BufferOverflow),
            ("GCC shows alarming out of bound warnings", VulnClass::BufferOverflow),
            ("lib/cf-h1-proxy.c: `-Wnull-dereference` warnings with gcc 12", VulnClass::NullDeref),
            ("nonnull warning with GCC 14.2.1", VulnClass::NullDeref),
            ("Fix arithmetic expression overflow", VulnClass::IntegerOverflow),
            ("mbedtls_ssl_read will endless loop", VulnClass::DenialOfService),
            ("parse_url leaks memory on error", VulnClass::MemoryLeak),
            ("caf, aiff: fix heap over-read in channel map parsing", VulnClass::OutOfBoundsRead),
        ] {
            assert_eq!(vuln_class(None, &[], Some(title), ""), Some(class), "{title}");
        }
        // A read out of bounds stays a read.
        assert_eq!(vuln_class(None, &[], Some("out of bounds read in x"), ""), Some(VulnClass::OutOfBoundsRead));
        // So does prose that only says a buffer is over-read.
        assert_eq!(vuln_class(None, &[], None, "asan confirms it over-reads the 32 byte peak_info"), Some(VulnClass::OutOfBoundsRead));
    }

    #[test]
    fn weakness_first() {
        assert_eq!(vuln_class(Some("Buffer Over-read"), &[], Some("UAF in x"), "use-after-free"), Some(VulnClass::OutOfBoundsRead));
        assert_eq!(
            vuln_class(Some("Information Exposure Through Sent Data"), &[], None, "the token leaks to the host"),
            Some(VulnClass::CredentialLeak)
        );
        assert_eq!(vuln_class(None, &[416], None, ""), Some(VulnClass::UseAfterFree));
        // A generic weakness gives way to a title naming the class, not to an unnamed one.
        assert_eq!(vuln_class(Some("Memory Corruption - Generic"), &[], Some("Memory Leak"), ""), Some(VulnClass::MemoryLeak));
        assert_eq!(vuln_class(Some("Memory Corruption - Generic"), &[], Some("A bug"), ""), Some(VulnClass::BufferOverflow));
        assert_eq!(vuln_class(None, &[], None, "a heap-buffer-overflow in x; heap-buffer-overflow"), Some(VulnClass::BufferOverflow));
        assert_eq!(
            vuln_class(Some("Incorrect Authorization"), &[], None, "nothing"),
            Some(VulnClass::Other("Incorrect Authorization".into()))
        );
        assert_eq!(vuln_class(None, &[], None, "nothing here"), None);
    }

    #[test]
    fn input_sources() {
        assert_eq!(inputs("a malicious server sends", false), vec![InputSource::Server]);
        assert_eq!(inputs("follows a redirect", false), vec![InputSource::Network, InputSource::Server]);
        assert_eq!(inputs("set the environment variable", false), vec![InputSource::Environment]);
        assert_eq!(inputs("nothing", true), vec![InputSource::CommandLine]);
        assert_eq!(inputs("a local attacker", false), vec![InputSource::LocalUser]);
    }
}
