//! Evidence checks: traces, sanitizer output and patches that no real run or repository produced.

use vouch_claims::{Report, TraceKind};
use vouch_report::rules;
use vouch_source::{DefKind, SourceError};

use crate::code::{excerpt_lines, line_of, match_lines, FileLines};
use crate::project::{Project, Version, View};
use crate::verify::LIBC;
use crate::{Finding, Location};

/// Frames of runtimes, loaders and the C library: present in every trace, never project code.
/// Frames a tool could not name (gdb's `??`, systemd-coredump's `n/a` for a stripped binary)
/// say nothing either way.
pub(crate) fn runtime_frame(name: &str) -> bool {
    let n = name.trim_start_matches('_');
    name.starts_with("__asan")
        || name.starts_with("__interceptor")
        || name.starts_with("__sanitizer")
        || name.starts_with("__ubsan")
        || name.starts_with("__msan")
        || name.starts_with("__libc")
        || name.starts_with("__GI_")
        || name.starts_with("_dl_")
        || name.starts_with("___interceptor")
        // libFuzzer's own frames (`fuzzer::Fuzzer::HandleMalloc`), above the program's in its
        // out-of-memory and timeout reports.
        || name.starts_with("fuzzer::")
        // The C++ runtime and standard library (`operator new(unsigned long)`, `std::string::_Rep::_S_create`).
        || name.starts_with("std::")
        || name.starts_with("__gnu_cxx::")
        || name.starts_with("__cxa_")
        || name == "operator"
        // glibc's abort path, which every assertion failure and abort() runs through.
        || name.starts_with("__pthread_kill")
        || matches!(name, "pthread_kill" | "raise" | "gsignal" | "abort" | "__assert_fail" | "__assert_fail_base" | "__GI_raise" | "__GI_abort")
        || matches!(name, "_start" | "start_thread" | "clone" | "clone3" | "main" | "??" | "???" | "n/a" | "<unknown>" | "unknown")
        || LIBC.contains(&n)
        || n.starts_with("memcpy")
        || n.starts_with("memmove")
        || n.starts_with("str") && n.len() <= 8
}

/// Why one hunk of a diff does not apply at `view`: its file is missing (Some with a finding),
/// or its old lines are spread out (Some without one) or mostly absent. None when it applies or
/// its file belongs to another tree.
fn hunk_failure(
    view: &View,
    file: &str,
    old_start: u32,
    old_lines: u32,
    old: &[String],
    ex: &[String],
    start_line: usize,
) -> Result<Option<Vec<Finding>>, SourceError> {
    let Some(path) = view.snapshot.find(file).first().map(|s| s.to_string()) else {
        // A folder the tree checked leaves out (tests/ of a release tarball), or a path under a
        // folder the project does not have (`projects/curl/Dockerfile` of OSS-Fuzz): another
        // tree's file, not evidence against the report.
        let first = file.split('/').next().unwrap_or("");
        let elsewhere = file.contains('/') && !view.snapshot.has_dir(first);
        if elsewhere || crate::verify::outside_tree(&view.snapshot, file)?.is_some() {
            return Ok(None);
        }
        return Ok(Some(vec![Finding::new(
            &rules::TRI_FABRICATED_PATCH,
            format!("the diff at report line {start_line} patches {file}, which is not in the project"),
            file.to_string(),
        )
        .line(start_line)]));
    };
    let Some(text) = view.snapshot.read(&path)? else { return Ok(None) };
    let m = match_lines(ex, &FileLines::new(&text));
    // The old side of a hunk is one run of consecutive lines: found, but spread wider than the
    // hunk (other code between its lines), it does not apply as written.
    let expected = if old_lines > 0 { old_lines as usize } else { old.len() };
    let width = match (m.at.iter().min(), m.at.iter().max()) {
        (Some(&lo), Some(&hi)) => (hi - lo) as usize + 1,
        _ => 0,
    };
    if m.fraction() < 0.34 {
        return Ok(Some(vec![Finding::new(
            &rules::TRI_FABRICATED_PATCH,
            format!("the diff at report line {start_line} does not apply: {} of its {} old lines are in {path}", m.found, ex.len()),
            old.first().cloned().unwrap_or_default(),
        )
        .at(Some(Location { path, line: old_start.max(1), end_line: None }))
        .line(start_line)]));
    }
    if m.fraction() >= 0.8 && width > expected + 2 + expected / 5 {
        return Ok(Some(Vec::new()));
    }
    Ok(None)
}

/// Whether the file at `path` reaches `line` in a version of the report's time other than the
/// one checked (the next release, the default branch at the report's date): a trace past the end
/// of the file at the release before the report may come from the longer development code in
/// between. (The latest code does not count: files grow over the years.)
fn longer_near_date(project: &Project, also: &[Version], path: &str, line: u32) -> Result<bool, SourceError> {
    for v in also.iter().filter(|v| v.near_report_date()) {
        if crate::verify::reaches_line(&project.alternate(v)?, path, line)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The release a frame's path was built from: a folder named `NAME-X.Y[.Z...]` (a source
/// tarball's top folder, a distribution's debug-source folder `neovim-0.8.2-2.fc38.x86_64`).
fn built_version(path: &str) -> Option<String> {
    let dirs: Vec<&str> = path.split('/').collect();
    dirs[..dirs.len().saturating_sub(1)].iter().find_map(|seg| {
        // A name, a dash, then the version: not `x86_64` or a bare number.
        let b = seg.as_bytes();
        let named =
            seg.match_indices('-').any(|(i, _)| i > 0 && b[i - 1].is_ascii_alphabetic() && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        named.then(|| vouch_source::parse_tag_version(seg)).flatten().map(|t| t.version)
    })
}

/// Whether a version label (`tag v0.7.2 (0fed108d4d)`, `tag curl-8_4_0`) is of release `v`.
fn version_in(label: &str, v: &str) -> bool {
    let tag = label.strip_prefix("tag ").unwrap_or(label).split(' ').next().unwrap_or("");
    vouch_source::parse_tag_version(tag).is_some_and(|t| crate::verify::compare_versions(&t.version, v).is_eq())
}

/// `also`: the other versions consulted, where a diff that does not apply at `view` may.
/// `stale`: the clone is older than the report (its newest commit well before the report's
/// date), so the report's code may have moved on since. `tested`: the report's code may be of
/// a version the clone lacks: a commit of the project's it links or names
/// (`verify::missing_linked_commit`), or a release it names that the clone lacks or skips
/// (`Project::tree_mismatch`).
pub(crate) fn check(
    report: &Report,
    project: &Project,
    view: &View,
    also: &[Version],
    stale: bool,
    tested: bool,
    findings: &mut Vec<Finding>,
) -> Result<(), SourceError> {
    let index = view.snapshot.index()?;
    let unplaced = if view.version.names_release() { None } else { project.lines_unplaced(report) };
    for t in &report.traces {
        let kind = match t.kind {
            TraceKind::Asan | TraceKind::Ubsan | TraceKind::Msan => "sanitizer report",
            TraceKind::Valgrind => "valgrind report",
            _ => "stack trace",
        };
        if t.placeholder_addresses {
            let sample: Vec<&str> = t.frames.iter().filter_map(|f| f.address.as_deref()).take(3).collect();
            let what = if t.elided_addresses { "a typed process id (`==12345==`)" } else { "placeholder addresses" };
            findings.push(
                Finding::new(
                    &rules::TRI_PLACEHOLDER_EVIDENCE,
                    format!("the {kind} at report line {} has {what}", t.start_line),
                    sample.join(", "),
                )
                .line(t.start_line),
            );
        }
        let named: Vec<_> = t.frames.iter().filter(|f| !f.function.is_empty() && !runtime_frame(&f.function)).collect();
        // The trace's paths name the release the reporter built (`/usr/src/debug/neovim-0.8.2-2.fc38.x86_64/src/nvim/eval.c`,
        // `/build/foo-1.4.0/lib/x.c`) and it is not the one checked: its lines are another release's.
        let built = named.iter().filter_map(|f| f.file.as_deref().and_then(built_version)).find(|v| !version_in(&view.version.label, v));
        let mut project_frames = 0;
        for f in &named {
            // A C++ frame names its class and template arguments
            // (`heif::HeifPixelImage::overlay`, `put_qpel_fallback<unsigned short>`): the index
            // knows the method's own name.
            // (`YAML::FpToString[abi:cxx11]`: the ABI tag is the compiler's, not the name's.)
            let name = crate::verify::bare_name(f.function.split(['<', '(', '[']).next().unwrap_or(&f.function));
            let defs = index.definitions(name);
            // A destructor (`simdjson::dom::parser::~parser`) is its class's: the compiler may
            // write it, so the class is what the project has to define.
            let destructor = name.strip_prefix('~').is_some_and(|class| index.definitions(class).iter().any(|d| d.kind == DefKind::Type));
            let defined = destructor || defs.iter().any(|d| matches!(d.kind, DefKind::Function | DefKind::Macro));
            // A bare file name several project files share (`openssl.c`): the one that defines
            // the frame's function, else none in particular (its lines are not checked).
            let candidates = f.file.as_deref().map(|p| view.snapshot.find(p.trim_start_matches("./"))).unwrap_or_default();
            let file_path = match candidates.as_slice() {
                [one] => Some(one.to_string()),
                many => many.iter().find(|c| defs.iter().any(|d| d.path == **c)).map(|s| s.to_string()),
            };
            if defined || !candidates.is_empty() {
                project_frames += 1;
            }
            // A frame citing a project file: the line must exist and lie in that function.
            if let (Some(path), Some(line)) = (file_path, f.line) {
                if let Some(text) = view.snapshot.read(&path)? {
                    let count = text.lines().count() as u32;
                    // A commit the report links that the clone lacks may have the longer file.
                    // A clone older than the report may lack what the file has grown to. (Code
                    // from after the report may have been split up or moved since: that finding
                    // is shown, and the score does not count it.)
                    // A report that names no version or date, checked at HEAD for want of
                    // better, may be about any earlier release: its line numbers say nothing here.
                    // A shallow clone whose releases around the report's date are years apart
                    // has none of that day's line numbers.
                    let moved =
                        tested || stale || built.is_some() || view.version.how == crate::project::UNDATED_HEAD || unplaced.is_some();
                    // A file the reporter changed to reproduce the bug (its own test added to it).
                    let local = || {
                        crate::verify::added_by_reporter(report, &path, true).is_some()
                            || crate::verify::added_by_reporter(report, name, false).is_some()
                    };
                    if line > count && !moved && !longer_near_date(project, also, &path, line)? && !local() {
                        findings.push(
                            Finding::new(
                                &rules::TRI_TRACE_OUTSIDE_PROJECT,
                                format!("the {kind} cites {path}:{line}, but the file has {count} lines at {}", view.version.label),
                                format!("{} {}:{}", f.function, f.file.as_deref().unwrap_or(""), line),
                            )
                            .at(Some(Location { path: path.clone(), line: count, end_line: None }))
                            .line(t.start_line),
                        );
                    } else if defined && !moved && !local() {
                        let container = index.file(&path).and_then(|fi| fi.function_at(line)).map(|s| s.name.clone());
                        // Within a few hundred lines of its definition in the same file: the
                        // line numbers of another build or commit, not evidence of invention.
                        let drift = defs.iter().filter(|d| d.path == path).map(|d| d.line.abs_diff(line)).min();
                        if drift.is_some_and(|d| d > 500) && container.as_deref().is_some_and(|c| c != f.function && c != name) {
                            findings.push(
                                Finding::new(
                                    &rules::TRI_TRACE_OUTSIDE_PROJECT,
                                    format!(
                                        "the {kind} puts {}() at {path}:{line}, but that line is in {}() at {}",
                                        f.function,
                                        container.unwrap_or_default(),
                                        view.version.label
                                    ),
                                    line_of(&text, line).unwrap_or("").trim().to_string(),
                                )
                                .at(Some(Location { path: path.clone(), line, end_line: None }))
                                .line(t.start_line),
                            );
                        }
                    }
                }
            }
        }
        // A clone older than the report may lack the functions the trace ran through.
        if named.len() >= 2 && project_frames == 0 && !tested && !stale {
            let names: Vec<&str> = named.iter().map(|f| f.function.as_str()).take(4).collect();
            findings.push(
                Finding::new(
                    &rules::TRI_TRACE_OUTSIDE_PROJECT,
                    format!("the {kind} at report line {} never names a function or file of the project", t.start_line),
                    format!("frames: {}", names.join(", ")),
                )
                .line(t.start_line),
            );
        }
    }

    for p in &report.patches {
        // Hunks found not to apply: to a file the project lacks, spread out, or mostly absent.
        let mut failing_hunks = 0usize;
        // Of those, hunks whose lines are all there but with other code between them.
        let mut spread_hunks = 0usize;
        for h in &p.hunks {
            let old: Vec<String> = h.removed.iter().chain(h.context.iter()).cloned().collect();
            let ex = excerpt_lines(&old.join("\n"));
            if ex.len() < 3 || h.file.is_empty() {
                continue;
            }
            let file = h.file.trim_start_matches("a/").trim_start_matches("b/");
            let Some(failure) = hunk_failure(view, file, h.old_start, h.old_lines, &old, &ex, p.start_line)? else { continue };
            // A diff against the development code between releases applies to one of the other
            // versions consulted (the next release, the default branch at the report's date).
            let mut applies_elsewhere = false;
            for v in also {
                let alt = project.alternate(v)?;
                if hunk_failure(&alt, file, h.old_start, h.old_lines, &old, &ex, p.start_line)?.is_none() {
                    applies_elsewhere = true;
                    break;
                }
            }
            // Code from after the report (the repository has no release before it): the hunk's
            // lines may be what a fix, the report's own or a later one, changed in between.
            if applies_elsewhere || view.version.postdates_report() {
                continue;
            }
            failing_hunks += 1;
            if failure.is_empty() {
                spread_hunks += 1;
            }
            findings.extend(failure);
        }
        if let Some(git) = project.git() {
            let mut missing = Vec::new();
            for (old, _) in &p.index_hashes {
                if old.chars().all(|c| c == '0') {
                    continue;
                }
                if !git.object_exists(old)? {
                    missing.push(old.clone());
                }
            }
            // In a shallow clone, a diff none of whose hunks was found not to apply may come from
            // history the clone lacks: its blobs prove nothing unless they look made up.
            // Code checked from after the report (the clone has no release before it) has grown
            // since: a hunk whose lines are all there, spread out, is what that looks like. So
            // has the report's code when the clone is older than the report.
            let moved = view.version.postdates_report() || stale;
            let applies_then = failing_hunks == 0 || failing_hunks == spread_hunks && moved;
            let excused = !missing.is_empty() && applies_then && !missing.iter().any(|h| made_up_hash(h)) && git.is_shallow()?;
            if !missing.is_empty() && !excused {
                findings.push(
                    Finding::new(
                        &rules::TRI_FABRICATED_PATCH,
                        format!(
                            "the diff at report line {} names blob(s) {} that are not in the repository",
                            p.start_line,
                            missing.join(", ")
                        ),
                        p.index_hashes.iter().map(|(a, b)| format!("index {a}..{b}")).collect::<Vec<_>>().join("; "),
                    )
                    .line(p.start_line),
                );
            }
        }
    }
    // Output the report itself calls a placeholder to be replaced: a draft sent unfilled.
    for (line, sentence) in crate::meaning::prose_sentences(report) {
        if let Some(words) = unfilled_placeholder(&sentence) {
            findings.push(
                Finding::new(
                    &rules::TRI_PLACEHOLDER_EVIDENCE,
                    format!("the report calls its own output at report line {line} a placeholder to replace"),
                    words,
                )
                .line(line),
            );
            break;
        }
    }
    Ok(())
}

/// A sentence that calls the output shown an example or placeholder the writer was to replace
/// with their own ("(Example placeholder — replace with your exact output)"): the words from
/// "replace" to what was to be replaced. Instructions to replace a placeholder host or address
/// with the reader's own, which genuine reproduction steps give, are not this.
fn unfilled_placeholder(sentence: &str) -> Option<String> {
    let lower = sentence.to_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !(c.is_alphanumeric() || c == '\'')).filter(|w| !w.is_empty()).collect();
    let marked = words.iter().enumerate().any(|(i, w)| {
        w.starts_with("placeholder") || *w == "example" && words.get(i + 1).is_some_and(|n| ["output", "outputs"].contains(n))
    });
    if !marked {
        return None;
    }
    const SHOWN: &[&str] = &["output", "outputs", "result", "results", "version", "versions", "log", "logs", "trace", "traces"];
    for (i, w) in words.iter().enumerate() {
        if !w.starts_with("replac") || i > 0 && ["not", "don't", "never"].contains(&words[i - 1]) {
            continue;
        }
        let rest = &words[i + 1..words.len().min(i + 10)];
        let Some(y) = rest.iter().position(|w| *w == "your") else { continue };
        if rest.get(..y).is_some_and(|b| b.last() == Some(&"with")) {
            if let Some(k) = rest.iter().skip(y + 1).position(|w| SHOWN.contains(w)) {
                return Some(words[i..=i + y + 2 + k].join(" "));
            }
        }
    }
    None
}

/// A hash nobody's git produced: a run of ascending characters (`1234567`, `abcdef0`), digits
/// counting up between letters (`1a2b3c4`), or one character repeated.
fn made_up_hash(h: &str) -> bool {
    let b = h.as_bytes();
    if b.len() < 7 {
        return false;
    }
    let ascending = b.windows(2).take(5).all(|w| w[1] == w[0] + 1);
    let digits: Vec<u8> = b.iter().step_by(2).copied().collect();
    let letters_between = b.iter().skip(1).step_by(2).all(|c| c.is_ascii_alphabetic());
    let counting = digits.iter().all(u8::is_ascii_digit) && digits.windows(2).all(|w| w[1] == w[0] + 1) && letters_between;
    let repeated = b.iter().filter(|&&c| c == b[0]).count() * 10 >= b.len() * 8;
    ascending || counting || repeated
}

#[cfg(test)]
mod tests {
    #[test]
    fn versions_built_from() {
        assert_eq!(built_version("/usr/src/debug/neovim-0.8.2-2.fc38.x86_64/src/nvim/eval.c").as_deref(), Some("0.8.2"));
        assert_eq!(built_version("/build/libfoo-1.4.0/lib/x.c").as_deref(), Some("1.4.0"));
        assert_eq!(built_version("/home/u/src/nvim/eval.c"), None);
        assert_eq!(built_version("/tmp/x-86/a.c"), None);
        assert_eq!(built_version("lib/neovim-0.8.2.c"), None);
        assert!(version_in("tag v0.7.2 (0fed108d4d)", "0.7.2"));
        assert!(!version_in("tag v0.7.2 (0fed108d4d)", "0.8.2"));
        assert!(version_in("tag curl-8_4_0 (abc)", "8.4.0"));
    }

    use super::*;

    #[test]
    fn placeholders_the_report_left_unfilled() {
        assert_eq!(
            unfilled_placeholder("(Example placeholder — replace with your exact output):").as_deref(),
            Some("replace with your exact output")
        );
        assert!(unfilled_placeholder("This is example output; replace it with your own curl -V results").is_some());
        // Reproduction steps that name a placeholder for the reader's own host.
        assert_eq!(unfilled_placeholder("Replace the placeholder IP with your server's address"), None);
        // Output replaced, but nothing calls it a placeholder or an example.
        assert_eq!(unfilled_placeholder("curl replaces the header with your value"), None);
        assert_eq!(unfilled_placeholder("The placeholder output was not replaced with your results"), None);
        assert_eq!(unfilled_placeholder("%{url} is a placeholder that --write-out replaces with the URL"), None);
    }

    #[test]
    fn made_up_hashes() {
        assert!(made_up_hash("1a2b3c4"));
        assert!(made_up_hash("1234567"));
        assert!(made_up_hash("abcdefa"));
        assert!(made_up_hash("0000000"));
        assert!(!made_up_hash("cea88e668"));
        assert!(!made_up_hash("ddfb65344"));
    }

    #[test]
    fn runtime_frames_are_not_counted() {
        assert!(runtime_frame("__asan_memcpy"));
        assert!(runtime_frame("__interceptor_strcpy"));
        assert!(runtime_frame("main"));
        assert!(runtime_frame("n/a"), "systemd-coredump's frame of a stripped binary");
        assert!(runtime_frame("memcpy"));
        assert!(runtime_frame("__pthread_kill_implementation") && runtime_frame("raise") && runtime_frame("__assert_fail_base"));
        assert!(runtime_frame("std::string::_Rep::_S_create") && runtime_frame("operator") && !runtime_frame("YAML::Node"));
        assert!(runtime_frame("fuzzer::Fuzzer::HandleMalloc") && runtime_frame("fuzzer::PrintStackTrace"));
        assert!(!runtime_frame("Curl_ws_decode"));
        assert!(!runtime_frame("parse_header"));
    }
}
