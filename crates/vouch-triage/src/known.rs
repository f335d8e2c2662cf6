//! Contracts of widely used libraries that vouch knows from their documentation, for projects
//! whose policy records none: they hold for any project that uses the library. A contract
//! applies to a project whose code registers a callback with the library (its callback's name is
//! then one the report may use) or names the library's type for it.

use vouch_source::SourceError;

use crate::code::{identifiers, line_of};
use crate::policy::{Contract, Policy};
use crate::project::View;

/// One library contract.
struct Known {
    /// Functions with which a project registers its callback: their second argument names it.
    registers: &'static [&'static str],
    /// The library's names for the interface.
    names: &'static [&'static str],
    denies: &'static [&'static str],
    fact: &'static str,
    source: &'static str,
}

/// Phrases that say a string is not NUL-terminated.
const NOT_TERMINATED: &[&str] = &[
    "not null-terminated",
    "not null terminated",
    "not nul-terminated",
    "not nul terminated",
    "not 0-terminated",
    "not zero-terminated",
    "not guaranteed to be null-terminated",
    "not guaranteed to be null terminated",
    "not guaranteed to be nul-terminated",
    "not necessarily null-terminated",
    "non-null-terminated",
    "without a null terminator",
    "lack a null terminator",
    "lacks a null terminator",
];

const KNOWN: &[Known] = &[Known {
    registers: &["nghttp2_session_callbacks_set_on_header_callback"],
    names: &["nghttp2_on_header_callback"],
    denies: NOT_TERMINATED,
    fact: "nghttp2 documents that the name and value it passes to an nghttp2_on_header_callback are both NUL-terminated (namelen and valuelen leave the terminator out)",
    source: "https://nghttp2.org/documentation/types.html#c.nghttp2_on_header_callback",
}];

/// Most registrations read for one library function.
const MAX_REGISTRATIONS: usize = 20;

/// The policy's contracts, then the known ones the project's code uses and the policy does not
/// already cover (by a name in common or the same fact).
pub(crate) fn contracts(policy: &Policy, view: &View) -> Result<Vec<Contract>, SourceError> {
    let mut out = policy.contracts.clone();
    let index = view.snapshot.index()?;
    for k in KNOWN {
        let mut names: Vec<String> = k.names.iter().map(|n| n.to_string()).collect();
        let mut used = k.names.iter().any(|n| index.mentioned(n));
        for reg in k.registers {
            for (path, line) in index.mentions(reg).into_iter().take(MAX_REGISTRATIONS) {
                let Some(text) = view.snapshot.read(&path)? else { continue };
                // The call with the two lines after it, for arguments on lines of their own.
                let joined: String = (line..line + 3).filter_map(|n| line_of(&text, n)).collect::<Vec<_>>().join(" ");
                let Some(args) = crate::meaning::call_args(&joined, reg) else { continue };
                // `on_header`, or a cast to the callback's type: `(nghttp2_on_header_callback)cb`.
                let callback = args.get(1).and_then(|a| identifiers(a).last().copied());
                let defined = |name: &str| index.definitions(name).iter().any(|d| d.kind == vouch_source::DefKind::Function);
                if let Some(callback) = callback.filter(|c| defined(c)) {
                    used = true;
                    if !names.iter().any(|n| n == callback) {
                        names.push(callback.to_string());
                    }
                }
            }
        }
        let covered = policy.contracts.iter().any(|c| c.fact == k.fact || c.names.iter().any(|n| names.contains(n)));
        if used && !covered {
            out.push(Contract {
                names,
                denies: k.denies.iter().map(|d| d.to_string()).collect(),
                requires: Vec::new(),
                forbids: Vec::new(),
                fact: k.fact.to_string(),
                source: Some(k.source.to_string()),
            });
        }
    }
    Ok(out)
}
