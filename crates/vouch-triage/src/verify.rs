//! Existence checks: every claim of the report against the code at the version chosen, then at
//! the alternative versions when it does not hold there.

use vouch_claims::{BlockKind, Claim, ClaimKind, Origin, Report};
use vouch_source::{DefKind, SourceError};

use crate::code::{self, compact, excerpt_lines, line_of, match_lines, FileLines};
use crate::project::{short, Checked, View};
use crate::{ClaimResult, Context, Finding, Location, Status};

/// Functions of the C library and POSIX: named in reports, never project code.
pub(crate) const LIBC: &[&str] = &[
    "memcpy",
    "memmove",
    "memset",
    "memcmp",
    "memchr",
    "strcpy",
    "strncpy",
    "strcat",
    "strncat",
    "strlen",
    "strnlen",
    "strcmp",
    "strncmp",
    "strchr",
    "strrchr",
    "strstr",
    "strdup",
    "strndup",
    "strtok",
    "strtol",
    "strtoul",
    "strtoll",
    "strtoull",
    "atoi",
    "atol",
    "sprintf",
    "snprintf",
    "vsnprintf",
    "vsprintf",
    "printf",
    "fprintf",
    "puts",
    "fputs",
    "fgets",
    "gets",
    "scanf",
    "sscanf",
    "malloc",
    "calloc",
    "realloc",
    "free",
    "fopen",
    "fclose",
    "fread",
    "fwrite",
    "open",
    "close",
    "read",
    "write",
    "recv",
    "send",
    "socket",
    "connect",
    "bind",
    "listen",
    "accept",
    "select",
    "poll",
    "getenv",
    "setenv",
    "exit",
    "abort",
    "assert",
    "time",
    "sleep",
    "usleep",
    "fork",
    "exec",
    "execve",
    "system",
    "pthread_create",
    "pthread_join",
    "signal",
    "getaddrinfo",
    "freeaddrinfo",
    "inet_pton",
    "ntohs",
    "htons",
    "ntohl",
    "htonl",
    "main",
    "sizeof",
    "alloca",
    "qsort",
    "bsearch",
    "toupper",
    "tolower",
    "isdigit",
    "isalpha",
    "isspace",
    "stat",
    "unlink",
    "rename",
    "remove",
    "mkdir",
    "perror",
    "strerror",
    "errno",
    "memmem",
    "strcasecmp",
    "strncasecmp",
    "fflush",
    "getline",
    "popen",
    "pclose",
    "execl",
    "execlp",
    "execv",
    "execvp",
    "waitpid",
    "dup2",
    "pipe",
    "fileno",
    "fdopen",
    "mmap",
    "munmap",
    "strtod",
    "atof",
    "getpid",
    "kill",
    "fchmod",
    "chmod",
    "fchown",
    "chown",
    "lchown",
    "umask",
    "fstat",
    "lstat",
    "fstatat",
    "access",
    "faccessat",
    "mkstemp",
    "mkstemps",
    "tmpfile",
    "tmpnam",
    "mktemp",
    "realpath",
    "readlink",
    "symlink",
    "link",
    "rmdir",
    "opendir",
    "readdir",
    "closedir",
    "chdir",
    "getcwd",
    "dup",
    "fcntl",
    "ioctl",
    "lseek",
    "fsync",
    "ftruncate",
    "truncate",
    "pread",
    "pwrite",
    "readv",
    "writev",
    "sendto",
    "recvfrom",
    "sendmsg",
    "recvmsg",
    "setsockopt",
    "getsockopt",
    "shutdown",
    "getsockname",
    "getpeername",
    "gethostbyname",
    "gethostbyname_r",
    "gethostbyaddr",
    "inet_ntop",
    "inet_addr",
    "inet_ntoa",
    "epoll_wait",
    "epoll_ctl",
    "wait",
    "raise",
    "sigaction",
    "pthread_mutex_lock",
    "pthread_mutex_unlock",
    "pthread_mutex_init",
    "pthread_mutex_destroy",
    "pthread_cond_wait",
    "pthread_cond_signal",
    "pthread_detach",
    "pthread_self",
    "gettimeofday",
    "clock_gettime",
    "localtime",
    "gmtime",
    "localtime_r",
    "gmtime_r",
    "strftime",
    "mktime",
    "rand",
    "srand",
    "random",
    "getuid",
    "geteuid",
    "getgid",
    "getegid",
    "setuid",
    "setgid",
    "isatty",
    "fputc",
    "fgetc",
    "getc",
    "putc",
    "putchar",
    "getchar",
    "vfprintf",
    "vprintf",
    "ferror",
    "feof",
    "fseek",
    "ftell",
    "rewind",
    "freopen",
    "setvbuf",
    "wcslen",
    "wcscpy",
    "mbstowcs",
    "wcstombs",
    "strspn",
    "strcspn",
    "strpbrk",
    "strsep",
    "strtok_r",
    "strlcpy",
    "strlcat",
    "memrchr",
    "isalnum",
    "isxdigit",
    "isupper",
    "islower",
    "isprint",
    "iscntrl",
    "ispunct",
    "abs",
    "labs",
    "llabs",
    "atexit",
    "_exit",
    "dlopen",
    "dlsym",
    "dlclose",
];

/// How a snippet that is an application's program is described.
const APPLICATION_CODE: &str = "an application's, not the project's";

/// Whether a line of C defines the function `name` (`int func(uint8_t *p, size_t n)`, not a
/// call or a declaration ending in `;`).
pub(crate) fn defines(line: &str, name: &str) -> bool {
    let t = line.trim();
    let Some(p) = t.find(&format!("{name}(")) else { return false };
    let before = t[..p].trim_end();
    !t.ends_with(';')
        && !before.is_empty()
        && before.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '*')
        && !before.contains(['=', '(', ','])
        && !before.split_whitespace().any(|w| matches!(w, "return" | "if" | "while" | "else"))
}

/// Checks every claim; may add findings (unknown PoC API). `tested`: a commit of the project's
/// that the report links and the shallow clone lacks, and the report line (`missing_linked_commit`).
/// `mismatch`: why the code checked may not be the release the report is about
/// (`Project::tree_mismatch`); code that is not there may be in that release, so it cannot
/// contradict the report.
pub(crate) fn check_claims(
    report: &Report,
    cx: &Context<'_>,
    checked: &Checked,
    tested: Option<&(String, usize)>,
    mismatch: Option<&crate::project::Mismatch>,
    findings: &mut Vec<Finding>,
) -> Result<Vec<ClaimResult>, SourceError> {
    let main = cx.project.view(checked)?;
    // A shallow clone with no code near the report's date: its line numbers cannot be placed.
    let unplaced = if checked.main.names_release() { None } else { cx.project.lines_unplaced(report) };
    let mut alternates: Vec<View> = Vec::new();
    // Earlier releases, for a report that names no version or date (read when first needed).
    let mut earlier: Option<Vec<View>> = None;
    let mut out = Vec::new();
    let mut other_version = Vec::new();
    let mut softened = 0;
    // (first, last) report lines of code blocks found to be an application's.
    let mut app_blocks: Vec<(usize, usize)> = Vec::new();
    // Lines the report cites in a folder this partial tree leaves out (`programs/x.c:80`, from a
    // tarball that ships only `lib/`): the reporter read that file, so code found nowhere in the
    // tree may be in it. (A file named without a line is not enough to place code there.)
    let left_out: Option<String> = report
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Line && matches!(c.origin, Origin::Prose | Origin::ProjectCode) && !c.negated)
        .filter_map(|c| {
            let path = line_file(c);
            missing_folder(&main.snapshot, &path).map(|dir| format!("{dir}/ ({path})"))
        })
        .next();
    for claim in &report.claims {
        if claim.kind == ClaimKind::Cwe {
            continue;
        }
        let mut r = check_one(claim, report, cx, &main)?;
        if r.status != Status::Confirmed && checks_code(claim.kind) {
            if alternates.is_empty() && !checked.also.is_empty() {
                for v in &checked.also {
                    alternates.push(cx.project.alternate(v)?);
                }
            }
            let past_end = claim.kind == ClaimKind::Line && r.status == Status::Contradicted && r.evidence.contains(PAST_END);
            for alt in &alternates {
                // A line past the end of the file at this release that a version of the report's
                // time reaches: the development code in between may have been longer. Where it
                // lands there decides nothing.
                if past_end && alt.version.near_report_date() && r.status == Status::Contradicted && file_reaches(claim, alt)? {
                    let a = check_one(claim, report, cx, alt)?;
                    r = ClaimResult {
                        status: Status::Unverifiable,
                        evidence: format!(
                            "{} (so the code between releases may have been longer); at {}: {}",
                            r.evidence, alt.version.label, a.evidence
                        ),
                        weight: 0.0,
                        ..r
                    };
                    continue;
                }
                let a = check_one(claim, report, cx, alt)?;
                if a.status == Status::Confirmed {
                    // The report says which release it tested; a file or function that only
                    // appears later was not in what it tested.
                    let named_release = main.version.names_release();
                    // What the default branch had at the report's date, the reporter could have
                    // read; and a shallow clone lacks the history in between: neither is "later".
                    let later = alt.version.how != crate::project::COMMIT_NAMED
                        && alt.version.how != crate::project::DEFAULT_BRANCH_AT_DATE
                        && alt.version.how != crate::project::NEXT_RELEASE
                        && !shallow(cx)?;
                    if named_release && later && matches!(claim.kind, ClaimKind::File | ClaimKind::Function) && !claim.negated {
                        r.evidence = format!(
                            "not in {} ({}); it exists only later, at {}: {}",
                            main.version.label, main.version.how, alt.version.label, a.evidence
                        );
                        // Later code has it: not invented, only not yet there.
                        r.namespaced = false;
                        break;
                    }
                    let note = format!("not at {}; {}", main.version.label, a.evidence);
                    r = ClaimResult { evidence: note, at: Some(alt.version.label.clone()), ..a };
                    other_version.push(format!("{} {}", r.kind, r.text));
                    break;
                }
            }
        }
        // A line past the end of the file that the report cites by a permalink (`.../blob/COMMIT/
        // src/db.c#L3142`) at a commit this shallow clone lacks: the line is the file's at that
        // commit, on whatever branch; the release checked says nothing about how long it was.
        if claim.kind == ClaimKind::Line && r.status == Status::Contradicted && r.evidence.contains(PAST_END) && shallow(cx)? {
            if let Some(commit) = claim.lines.and_then(|(start, _)| permalink_line_commit(report, &line_file(claim), start)) {
                if cx.project.git().is_some_and(|g| g.commit(&commit).ok().flatten().is_none()) {
                    r = ClaimResult {
                        status: Status::Unverifiable,
                        evidence: format!(
                            "{}; the report links this line at commit {}, which this shallow clone does not have",
                            r.evidence,
                            short(&commit)
                        ),
                        weight: 0.0,
                        ..r
                    };
                }
            }
        }
        // No version and no date: HEAD was checked only for want of better, and the report may
        // be about any earlier release. A name, cited line or quote that an earlier release has
        // is not invented; it holds there. (A quote is looked for only in the files the report
        // names or that define the functions it names: searching every file of several releases
        // would cost seconds.)
        if r.status == Status::Contradicted
            && checked.main.how == crate::project::UNDATED_HEAD
            && matches!(claim.kind, ClaimKind::Function | ClaimKind::File | ClaimKind::Line | ClaimKind::Snippet)
            && !claim.negated
        {
            if earlier.is_none() {
                earlier = Some(earlier_releases(cx, checked)?);
            }
            let mut open = None;
            for view in earlier.as_deref().unwrap_or_default() {
                let a = if claim.kind == ClaimKind::Snippet {
                    match snippet_in_release(claim, report, view)? {
                        Some(found) => found,
                        None => continue,
                    }
                } else {
                    check_one(claim, report, cx, view)?
                };
                if a.status == Status::Confirmed {
                    let note = format!(
                        "not at {}, which was checked because the report names no version or date; at the earlier release {}: {}",
                        main.version.label, view.version.label, a.evidence
                    );
                    r = ClaimResult { evidence: note, at: Some(view.version.label.clone()), ..a };
                    other_version.push(format!("{} {}", r.kind, r.text));
                    open = None;
                    break;
                }
                // Not contradicted there (a line within the file's length then, a near name):
                // HEAD alone cannot contradict it.
                if a.status == Status::Unverifiable && open.is_none() {
                    open = Some(format!("{}; at the earlier release {}: {}", r.evidence, view.version.label, a.evidence));
                }
            }
            if let Some(evidence) = open {
                r = ClaimResult {
                    status: Status::Unverifiable,
                    evidence: format!("{evidence} (the report names no version or date, so it may be about that release)"),
                    weight: 0.0,
                    ..r
                };
            }
        }
        if r.status != Status::Confirmed && claim.kind == ClaimKind::Snippet && !claim.negated && claim.origin == Origin::ProjectCode {
            if let Some(old) = older_release_holding(claim, cx, checked)? {
                r = if let Some(cue) = quoted_as_history(report, claim.report_line) {
                    // The report says it shows the code as it was: that it was there holds.
                    ClaimResult {
                        status: Status::Confirmed,
                        evidence: format!("not at {}, but {}, as the report says (\"{cue}\")", main.version.label, old.0),
                        location: old.1,
                        at: Some(old.2.clone()),
                        weight: result(claim, Status::Confirmed, String::new(), None).weight,
                        ..r
                    }
                } else if checked.main.how == crate::project::UNDATED_HEAD {
                    // Nothing says when the report was written: the code may not have changed yet.
                    other_version.push(format!("{} {}", r.kind, r.text));
                    ClaimResult {
                        status: Status::Confirmed,
                        evidence: format!(
                            "not at {}, which was checked because the report names no version or date, but {}",
                            main.version.label, old.0
                        ),
                        location: old.1,
                        at: Some(old.2.clone()),
                        weight: result(claim, Status::Confirmed, String::new(), None).weight,
                        ..r
                    }
                } else {
                    let evidence = format!(
                        "not at {} ({}), but {}: the report quotes code that had already changed",
                        main.version.label, main.version.how, old.0
                    );
                    ClaimResult {
                        status: Status::Contradicted,
                        evidence,
                        location: old.1,
                        weight: result(claim, Status::Contradicted, String::new(), None).weight,
                        ..r
                    }
                };
            }
        }
        // A block judged an application's program: the functions it defines are the reporter's.
        if claim.kind == ClaimKind::Snippet && r.status == Status::Unverifiable && r.evidence.contains(APPLICATION_CODE) {
            if let Some(b) = report.blocks.iter().find(|b| b.start_line <= claim.report_line && claim.report_line <= b.end_line) {
                app_blocks.push((b.start_line, b.end_line));
            }
        }
        if claim.kind == ClaimKind::Function
            && r.status == Status::Contradicted
            && claim.origin == Origin::ProjectCode
            && app_blocks.iter().any(|&(s, e)| s <= claim.report_line && claim.report_line <= e)
            && defines(&claim.context, &claim.text)
        {
            r = ClaimResult {
                status: Status::Unverifiable,
                evidence: format!("defined by the application code the report shows; {}", r.evidence),
                weight: 0.0,
                ..r
            };
        }
        if r.status == Status::Contradicted {
            if let Some(why) = not_about_this_project(claim, report, cx, &main) {
                r = ClaimResult { status: Status::Unverifiable, evidence: format!("{why}; {}", r.evidence), weight: 0.0, ..r };
            }
        }
        // A name the report only proposes ("add a new `foo()`", "Shouldn't that be protected by
        // setting a FOO option?") or says is not affected is no claim that the project has it:
        // its absence contradicts nothing the report says.
        if r.status == Status::Contradicted && claim.negated && matches!(claim.kind, ClaimKind::Function | ClaimKind::Api | ClaimKind::File)
        {
            r = ClaimResult {
                status: Status::Unverifiable,
                evidence: format!("{}; the report names it only to propose it or to say it is not affected", r.evidence),
                weight: 0.0,
                ..r
            };
        }
        if let Some(m) = mismatch.filter(|m| r.status == Status::Contradicted && (r.kind != "version" || m.versions)) {
            r = ClaimResult { status: Status::Unverifiable, evidence: format!("{}; but {}", r.evidence, m.why), ..r };
            softened += 1;
        }
        if let Some(why) = unplaced.as_ref().filter(|_| r.status == Status::Contradicted && claim.kind == ClaimKind::Line) {
            r = ClaimResult { status: Status::Unverifiable, evidence: format!("{}; but {why}", r.evidence), weight: 0.0, ..r };
        }
        // Code from after the report (the repository has no release before it): the code it
        // quotes may be what a fix changed in between, and a file or function it names may have
        // been removed or renamed since.
        if checked.main.postdates_report() && r.status == Status::Contradicted && checks_code(claim.kind) {
            let what = if matches!(claim.kind, ClaimKind::Snippet | ClaimKind::Line) {
                "the quote may be the code before a change"
            } else {
                "it may have been removed or renamed since"
            };
            r = ClaimResult {
                status: Status::Unverifiable,
                evidence: format!(
                    "{}; but the code checked is from after the report (the repository has no release before it), so {what}",
                    r.evidence
                ),
                weight: 0.0,
                ..r
            };
        }
        if let Some(dir) = left_out
            .as_deref()
            .filter(|_| r.status == Status::Contradicted && matches!(claim.kind, ClaimKind::Function | ClaimKind::Snippet))
        {
            r = ClaimResult {
                status: Status::Unverifiable,
                evidence: format!(
                    "{}; but the report also cites a file of {dir}, a folder the tree checked leaves out: it may be there",
                    r.evidence
                ),
                weight: 0.0,
                ..r
            };
        }
        // The report read a commit of the project's that this shallow clone lacks.
        if let Some((commit, at)) = tested.filter(|_| r.status == Status::Contradicted && checks_code(claim.kind)) {
            r = ClaimResult {
                status: Status::Unverifiable,
                evidence: format!(
                    "{}; but the report names commit {commit} of the project (report line {at}), which this shallow clone does not have: it may be there",
                    r.evidence
                ),
                weight: 0.0,
                ..r
            };
        }
        // A clone older than the report (checked.note) lacks what was added since: code it does
        // not have may only be newer than it.
        if checked.note.is_some() && r.status == Status::Contradicted && checks_code(claim.kind) {
            r = ClaimResult {
                status: Status::Unverifiable,
                evidence: format!("{}; but the clone is older than the report (see the note), so this may only be newer", r.evidence),
                weight: 0.0,
                ..r
            };
        }
        if r.kind == "api" && r.status == Status::Contradicted {
            findings.push(
                Finding::new(
                    &vouch_report::rules::TRI_UNKNOWN_API,
                    format!("the proof of concept calls `{}`, which exists nowhere in the project", r.text),
                    claim.context.clone(),
                )
                .line(claim.report_line),
            );
        }
        if r.status == Status::Contradicted {
            findings.push(
                Finding::new(
                    &vouch_report::rules::TRI_CONTRADICTED,
                    format!("{} claim `{}` does not hold: {}", r.kind, r.text, r.evidence),
                    claim.context.clone(),
                )
                .at(r.location.clone())
                .line(claim.report_line),
            );
        }
        out.push(r);
    }
    // What anyone can name says nothing for the report: the project's public API, named in its
    // prose, or called by an application's program it shows (a block judged the reporter's,
    // though quoted as the project's), as a reproducer's calls are.
    for r in out.iter_mut().filter(|r| r.kind == "function" && r.status == Status::Confirmed) {
        let in_app = r.origin == "project-code" && app_blocks.iter().any(|&(s, e)| s <= r.report_line && r.report_line <= e);
        let public = r.origin == "prose" && public_function(&r.text, cx, &main)?;
        if in_app {
            r.public_api = true;
            r.evidence = format!("{} (called by the application code the report shows: API anyone can call)", r.evidence);
        } else if public {
            r.public_api = true;
            r.evidence = format!("{} (the project's public API, which anyone can name)", r.evidence);
        }
    }
    // A report about an older release: is the code it cites still there?
    if checked.main.how.starts_with("the report names version") {
        if let Some(latest) = checked.also.iter().find(|v| v.how == "the latest code" && v.commit != checked.main.commit) {
            let view = cx.project.alternate(latest)?;
            let mut gone = Vec::new();
            for (claim, r) in report.claims.iter().filter(|c| c.kind != ClaimKind::Cwe).zip(&out) {
                let central = matches!(claim.kind, ClaimKind::Function | ClaimKind::Snippet | ClaimKind::Line)
                    && matches!(claim.origin, Origin::Prose | Origin::ProjectCode)
                    && !claim.negated;
                if central
                    && r.status == Status::Confirmed
                    && r.at.is_none()
                    && check_one(claim, report, cx, &view)?.status != Status::Confirmed
                {
                    gone.push(format!("{} {}", r.kind, r.text));
                }
            }
            if !gone.is_empty() {
                findings.push(Finding::new(
                    &vouch_report::rules::TRI_CHANGED_SINCE,
                    format!("{} claim(s) that hold at {} no longer hold at {}", gone.len(), main.version.label, view.version.label),
                    gone.join("; "),
                ));
            }
        }
    }
    if let Some(m) = mismatch.filter(|_| softened > 0) {
        findings.push(Finding::new(
            &vouch_report::rules::TRI_INCOMPLETE,
            format!(
                "{}: {softened} claim(s) that do not hold in this tree were not counted against the report; check it against {} \
                 or a git clone",
                m.why, m.check
            ),
            String::new(),
        ));
    }
    unreleased(report, cx, checked, &out, findings);
    if !other_version.is_empty() {
        findings.push(Finding::new(
            &vouch_report::rules::TRI_OTHER_VERSION,
            format!("{} claim(s) hold only at a version other than {} ({})", other_version.len(), main.version.label, main.version.how),
            other_version.join("; "),
        ));
    }
    Ok(out)
}

/// Code that no release had at the report's date: the report names no release, and what it says
/// about the code holds only on the default branch at its date, not in the release current then.
/// A policy with `unreleased-code` rules such a report out (development code is not released
/// code); the claims themselves stay confirmed.
fn unreleased(report: &Report, cx: &Context<'_>, checked: &Checked, out: &[ClaimResult], findings: &mut Vec<Finding>) {
    if !cx.policy.excludes("unreleased-code") {
        return;
    }
    // The report says so itself ("an unreleased regression", "not in any release"), and names
    // no release it was seen in (a development build such as 8.21.0-DEV is not one).
    if !checked.main.names_release() {
        if let Some((line, sentence)) = crate::meaning::says_unreleased(report) {
            findings.push(
                Finding::new(
                    &vouch_report::rules::TRI_OUT_OF_SCOPE,
                    "policy: code that was in no release at the report's date is not a security issue for this project \
                     (unreleased-code): the report says the code it is about is unreleased"
                        .to_string(),
                    sentence,
                )
                .line(line),
            );
            return;
        }
    }
    if !checked.main.how.starts_with("the release current") {
        return;
    }
    let Some(branch) = checked.also.iter().find(|v| v.how == crate::project::DEFAULT_BRANCH_AT_DATE) else { return };
    let central: Vec<&ClaimResult> = out
        .iter()
        .filter(|r| matches!(r.kind, "function" | "snippet" | "line") && matches!(r.origin, "prose" | "project-code") && !r.negated)
        .filter(|r| r.status == Status::Confirmed)
        .collect();
    let only_branch: Vec<&&ClaimResult> = central.iter().filter(|r| r.at.as_deref() == Some(branch.label.as_str())).collect();
    let released = central.len() - only_branch.len();
    // The report is about the new code: it is most of what holds, not a side remark.
    if only_branch.is_empty() || only_branch.len() < 2 && released > 0 || only_branch.len() < released {
        return;
    }
    let what: Vec<String> = only_branch.iter().take(4).map(|r| format!("{} {}", r.kind, r.text)).collect();
    findings.push(Finding::new(
        &vouch_report::rules::TRI_OUT_OF_SCOPE,
        format!(
            "policy: code that was in no release at the report's date is not a security issue for this project (unreleased-code): \
             it holds on {} but not in {}",
            branch.label, checked.main.label
        ),
        what.join("; "),
    ));
}

/// A quote found whole, at `view`, in a file the report names or one defining a function it
/// names: the files a reporter reading that release would quote from. (Searching every file of
/// the release would cost a second or more.)
fn snippet_in_release(claim: &Claim, report: &Report, view: &View) -> Result<Option<ClaimResult>, SourceError> {
    let ex = excerpt_lines(claim.code.as_deref().unwrap_or(&claim.text));
    if ex.is_empty() {
        return Ok(None);
    }
    let index = view.snapshot.index()?;
    let mut paths: Vec<String> = Vec::new();
    let mut add = |p: &str| {
        if paths.len() < 16 && !paths.iter().any(|q| q == p) {
            paths.push(p.to_string());
        }
    };
    for c in report.claims.iter().filter(|c| !c.negated && matches!(c.origin, Origin::Prose | Origin::ProjectCode)) {
        match c.kind {
            ClaimKind::File => view.snapshot.find(&c.text).into_iter().for_each(&mut add),
            ClaimKind::Function => index
                .definitions(bare_name(&c.text))
                .iter()
                .filter(|d| matches!(d.kind, DefKind::Function | DefKind::Macro))
                .for_each(|d| add(&d.path)),
            _ => {}
        }
    }
    for path in &paths {
        let Some(text) = view.snapshot.read(path)? else { continue };
        let m = match_lines(&ex, &FileLines::new(&text));
        if m.found == ex.len() {
            let (a, b) = m.span().unwrap_or((1, 1));
            return Ok(Some(result(claim, Status::Confirmed, format!("found at {path}:{a}-{b}"), loc(path, a, Some(b)))));
        }
    }
    Ok(None)
}

/// The repository's release tags (a version, not a pre-release), oldest first.
fn releases(git: &vouch_source::GitRepo) -> Result<Vec<vouch_source::Tag>, SourceError> {
    let mut tags: Vec<vouch_source::Tag> = git.tags()?.into_iter().filter(|t| t.version.is_some() && !t.prerelease).collect();
    tags.sort_by(|a, b| compare_versions(a.version.as_deref().unwrap_or(""), b.version.as_deref().unwrap_or("")));
    Ok(tags)
}

/// How many earlier releases are read for a report that names no version or date (each costs
/// an index of its code, about a fifth of a second for curl).
const EARLIER_RELEASES: usize = 4;

/// Up to `EARLIER_RELEASES` release tags before the one checked, spread over the history: the
/// newest, then evenly back to the oldest.
fn earlier_releases(cx: &Context<'_>, checked: &Checked) -> Result<Vec<View>, SourceError> {
    let (Some(git), Some(main_commit)) = (cx.project.git(), checked.main.commit.as_deref()) else { return Ok(Vec::new()) };
    let mut tags = releases(git)?;
    tags.reverse();
    tags.retain(|t| t.commit != main_commit);
    let mut picked: Vec<usize> = (0..tags.len().min(1)).collect();
    let rest = tags.len().saturating_sub(1);
    let more = (EARLIER_RELEASES - picked.len()).min(rest);
    for k in 1..=more {
        picked.push((k * rest).div_ceil(more));
    }
    picked.dedup();
    let mut views = Vec::new();
    for i in picked {
        let tag = &tags[i];
        let version = crate::project::Version {
            label: format!("tag {} ({})", tag.name, short(&tag.commit)),
            commit: Some(tag.commit.clone()),
            how: "an earlier release".into(),
        };
        views.push(cx.project.alternate(&version)?);
    }
    Ok(views)
}

/// How many release tags before the one checked are searched for quoted code that is gone.
const OLDER_RELEASES: usize = 12;

/// A quoted snippet that is not in the release checked but is, whole, in the file it cites at an
/// earlier release: the report describes code that had already changed (a copy of an old report
/// or advisory, or code from another version than the one it says). Only the cited file is read
/// at each of the `OLDER_RELEASES` tags before the one checked.
fn older_release_holding(
    claim: &Claim,
    cx: &Context<'_>,
    checked: &Checked,
) -> Result<Option<(String, Option<Location>, String)>, SourceError> {
    let (Some(git), Some(file)) = (cx.project.git(), claim.file.as_deref()) else { return Ok(None) };
    let Some(main_commit) = checked.main.commit.as_deref() else { return Ok(None) };
    let ex = excerpt_lines(claim.code.as_deref().unwrap_or(&claim.text));
    if ex.is_empty() {
        return Ok(None);
    }
    let tags = releases(git)?;
    let Some(pos) = tags.iter().position(|t| t.commit == main_commit) else { return Ok(None) };
    for tag in tags[..pos].iter().rev().take(OLDER_RELEASES) {
        let version = crate::project::Version {
            label: format!("tag {} ({})", tag.name, short(&tag.commit)),
            commit: Some(tag.commit.clone()),
            how: "an earlier release".into(),
        };
        let view = cx.project.alternate(&version)?;
        for path in view.snapshot.find(file) {
            let Some(text) = view.snapshot.read(path)? else { continue };
            let m = match_lines(&ex, &FileLines::new(&text));
            if m.found == ex.len() {
                let (a, b) = m.span().unwrap_or((1, 1));
                return Ok(Some((
                    format!("it is at {path}:{a}-{b} in the earlier release {}", version.label),
                    loc(path, a, Some(b)),
                    version.label.clone(),
                )));
            }
        }
    }
    Ok(None)
}

/// Words saying a quote shows code as it used to be ("as introduced in eefd03c5", "the fallback
/// originally ..."), in the quote's leading comment or the sentence or heading before it.
const HISTORY_CUES: &[&str] =
    &["as introduced", "originally", "the original code", "before the fix", "before commit", "used to look", "the old code", "at the time"];

/// The history cue of the block holding `report_line`: in its first line, or in the last two
/// paragraphs of prose before it (a heading counts as one).
fn quoted_as_history(report: &Report, report_line: usize) -> Option<&'static str> {
    let at = report.blocks.iter().position(|b| b.start_line <= report_line && report_line <= b.end_line)?;
    let block = &report.blocks[at];
    let mut around: Vec<String> = vec![block.text.lines().next().unwrap_or("").to_ascii_lowercase()];
    if let Some(prose) = report.blocks[..at].iter().rev().find(|b| b.kind == BlockKind::Prose) {
        let paragraphs: Vec<&str> = prose.text.split("\n\n").filter(|p| !p.trim().is_empty()).collect();
        around.extend(paragraphs.iter().rev().take(2).map(|p| p.to_ascii_lowercase()));
    }
    HISTORY_CUES.iter().copied().find(|cue| around.iter().any(|t| t.contains(cue)))
}

/// Why a claim that does not hold here is not a claim about this project's existing code: the
/// report places the file in another project (a link to another repository, a dependency named
/// in the sentence), or proposes the function as a fix.
fn not_about_this_project(claim: &Claim, report: &Report, cx: &Context<'_>, view: &View) -> Option<String> {
    let path = match claim.kind {
        ClaimKind::File => Some(claim.text.as_str()),
        ClaimKind::Line | ClaimKind::Snippet => claim.file.as_deref(),
        _ => None,
    };
    if let Some(path) = path.filter(|p| view.snapshot.find(p).is_empty()) {
        if let Some(url) = linked_elsewhere(report, path) {
            return Some(format!("the report links {path} in another project ({url})"));
        }
        // `./lib/snowflake.go` in a report on Tor, whose code is all C: a sister project's file.
        if let Some(lang) = foreign_language(path, &view.snapshot) {
            return Some(format!("the project has no {lang} code at all: {path} is another project's file"));
        }
        // A permalink at a commit this shallow clone does not have: the file is claimed there.
        if let Some(git) = cx.project.git().filter(|g| g.is_shallow().unwrap_or(false)) {
            if let Some(commit) = permalink_commit(report, path) {
                if git.commit(&commit).ok().flatten().is_none() {
                    return Some(format!("the report links {path} at commit {}, which this shallow clone does not have", short(&commit)));
                }
            }
        }
    }
    if matches!(claim.kind, ClaimKind::File | ClaimKind::Line | ClaimKind::Snippet | ClaimKind::Function | ClaimKind::Member) {
        if let Some(dep) = cx.policy.dependency_named_in(&claim.context) {
            return Some(format!("the report places it in {dep}, not in this project"));
        }
    }
    // A code block with no file of its own, introduced by prose about another project.
    if claim.kind == ClaimKind::Snippet && claim.file.is_none() {
        let at = report.blocks.iter().position(|b| b.start_line <= claim.report_line && claim.report_line <= b.end_line)?;
        let intro = report.blocks[..at].iter().rev().find(|b| b.kind == vouch_claims::BlockKind::Prose)?;
        let tail: Vec<&str> = intro.text.lines().rev().filter(|l| !l.trim().is_empty()).take(6).collect();
        let tail = tail.join(" ");
        if let Some(dep) = cx.policy.dependency_named_in(&tail) {
            return Some(format!("the report introduces this code as {dep}'s"));
        }
        let own = report.meta.asset.as_deref().map(str::to_ascii_lowercase);
        // Without a named asset, a repository named as the project is the project's (its own
        // tracker's address in the report's header).
        let named_as_project = |w: &str| {
            own.is_none()
                && report
                    .meta
                    .project
                    .as_deref()
                    .is_some_and(|p| vouch_claims::repo_of(&w.to_ascii_lowercase()).is_some_and(|(_, r)| r == p))
        };
        if let Some(url) = tail.split_whitespace().map(|w| w.trim_matches(|c: char| "`()<>[]\"',.;:".contains(c))).find(|w| {
            (w.starts_with("http://") || w.starts_with("https://"))
                && !own.as_deref().is_some_and(|o| w.to_ascii_lowercase().starts_with(o))
                && !named_as_project(w)
        }) {
            return Some(format!("the report introduces this code with a link to another project ({url})"));
        }
    }
    // Code the reporter added to its own checkout to reproduce the bug, and the lines of the files
    // it changed there.
    if claim.kind == ClaimKind::Function {
        if let Some(cue) = added_by_reporter(report, &claim.text, false) {
            return Some(format!("code the report says the reporter added to reproduce it (\"{cue}\"), not the project's"));
        }
    }
    if claim.kind == ClaimKind::Line {
        if let Some(cue) = claim.file.as_deref().and_then(|f| added_by_reporter(report, f, true)) {
            return Some(format!(
                "in a file the report says the reporter changed to reproduce it (\"{cue}\"): its lines are not the project's"
            ));
        }
    }
    if claim.kind == ClaimKind::Function && claim.origin == Origin::Prose && called_with_arguments(&claim.context, &claim.text) {
        if let Some(host) = host_program_file(report, view) {
            return Some(format!(
                "called with arguments, as the program the report's trace runs the project from ({host}) calls it: perhaps that program's function"
            ));
        }
    }
    if claim.kind == ClaimKind::Function {
        let lower = claim.context.to_ascii_lowercase();
        let proposal = [
            "implement",
            "introduce",
            "add a ",
            "adding a ",
            "new function",
            "recommend",
            "suggest",
            "possible fix",
            "fix would",
            "could be fixed",
        ];
        if let Some(w) = proposal.iter().find(|w| lower.contains(*w)) {
            return Some(format!("proposed by the report (\"{}\"), not a claim about existing code", w.trim()));
        }
        // "Add is_valid_header() check before line 1705": the function is what to add.
        let name = claim.text.to_ascii_lowercase();
        if let Some(w) = ["add", "adding"].iter().find(|w| {
            lower.match_indices(&name).any(|(i, _)| {
                let before = lower[..i].trim_end_matches(['`', ' ', '*']);
                before.ends_with(*w) && before[..before.len() - w.len()].ends_with(|c: char| !c.is_ascii_alphanumeric() && c != '_')
                    || before == **w
            }) && lower.contains("check")
        }) {
            return Some(format!("proposed by the report (\"{w} {}\"), not a claim about existing code", claim.text));
        }
        // `unlink() -> remove() -> DeleteFile(WINAPI)`: the operating system's functions.
        // (Not "crt": it also names certificate files, `server.crt`.)
        let platform = ["winapi", "win32", "windows api", "c runtime", "libc", "kernel32", "ntdll", "syscall"];
        if let Some(w) = platform.iter().find(|w| has_word(&lower, w)) {
            return Some(format!("the sentence places it in the platform ({w}), not in this project"));
        }
    }
    None
}

/// Whether the report says the reporter added `token` to its own checkout to reproduce the bug:
/// a prose line naming it (a function described as a test, helper, harness or PoC; or, with
/// `file`, a path) in a passage of at most eight lines, within one section, that says so ("I
/// added a local ASan regression PoC as a patch to this checkout. The relevant patched files
/// are: ... contains the `test_x()` test and its `helper()`"). Returns the words that say so.
pub(crate) fn added_by_reporter(report: &Report, token: &str, file: bool) -> Option<&'static str> {
    const CUES: &[&str] = &[
        "i added",
        "i've added",
        "i have added",
        "we added",
        "i wrote",
        "i've written",
        "i have written",
        "we wrote",
        "i patched",
        "patched files",
        "as a patch",
        "my patch",
        "our patch",
        "local patch",
    ];
    const OWN: &[&str] = &["test", "helper", "harness", "poc", "reproducer", "regression"];
    let token = token.trim().trim_start_matches("./");
    if token.is_empty() {
        return None;
    }
    let prose: Vec<(usize, &str)> = report
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Prose)
        .flat_map(|b| b.text.lines().enumerate().map(move |(i, l)| (b.start_line + i, l)))
        .collect();
    for (k, &(n, line)) in prose.iter().enumerate() {
        let lower = line.to_ascii_lowercase();
        // A path may be cited with the reporter's checkout folder before it (`/home/me/tor/src/x.c`).
        let tail_of_token = |w: &str| {
            let w = w.trim_matches(|c: char| matches!(c, '`' | '"' | '\'' | '(' | ')' | ',' | ':' | ';' | '*')).trim_start_matches("./");
            w.contains('/') && token.ends_with(w) && (token.len() == w.len() || token[..token.len() - w.len()].ends_with('/'))
        };
        let named = if file {
            line.contains(token) || line.split_whitespace().any(tail_of_token)
        } else {
            crate::policy::contains_identifier(line, token)
        };
        if !named || !file && !OWN.iter().any(|w| lower.contains(w)) {
            continue;
        }
        let mut window = vec![lower];
        for &(m, l) in prose[..k].iter().rev() {
            if n - m > 8 || l.trim_start().starts_with('#') {
                break;
            }
            window.push(l.to_ascii_lowercase());
        }
        if let Some(cue) = CUES.iter().find(|c| window.iter().any(|w| has_word(w, c))) {
            return Some(cue);
        }
    }
    None
}

/// The language of a cited source file when the project has no file in that language at all
/// (a Go file cited against a C project). C-family files are not judged: projects mix them.
fn foreign_language(path: &str, snap: &vouch_source::Snapshot) -> Option<&'static str> {
    const LANGUAGES: &[(&str, &[&str])] = &[
        ("Go", &["go"]),
        ("Rust", &["rs"]),
        ("Python", &["py"]),
        ("Java", &["java"]),
        ("Kotlin", &["kt"]),
        ("JavaScript or TypeScript", &["js", "mjs", "cjs", "ts"]),
        ("Ruby", &["rb"]),
        ("PHP", &["php"]),
        ("C#", &["cs"]),
        ("Swift", &["swift"]),
    ];
    let ext = path.rsplit('/').next()?.rsplit_once('.')?.1.to_ascii_lowercase();
    let (lang, exts) = LANGUAGES.iter().find(|(_, e)| e.contains(&ext.as_str()))?;
    let any = snap.paths().any(|p| p.rsplit_once('.').is_some_and(|(_, e)| exts.iter().any(|x| e.eq_ignore_ascii_case(x))));
    (!any).then_some(*lang)
}

/// `word` in `text` between non-alphanumeric characters.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back().is_none_or(|c| !c.is_ascii_alphanumeric());
        let after = text[i + word.len()..].chars().next().is_none_or(|c| !c.is_ascii_alphanumeric());
        before && after
    })
}

/// A URL in the report that holds `path` and is not the project's own repository.
fn linked_elsewhere(report: &Report, path: &str) -> Option<String> {
    let own = report.meta.asset.as_deref().map(|a| a.trim_end_matches('/').trim_end_matches(".git").to_ascii_lowercase());
    for word in links_to(report, path) {
        let lower = word.to_ascii_lowercase();
        if own.as_deref().is_some_and(|o| lower.starts_with(o)) {
            continue;
        }
        // Without a named asset, a repository named as the project is the project's.
        if own.is_none() && report.meta.project.as_deref().is_some_and(|p| vouch_claims::repo_of(&lower).is_some_and(|(_, r)| r == p)) {
            continue;
        }
        return Some(word.trim_end_matches(['.', ',', ';', ':']).to_string());
    }
    None
}

/// The URLs of the report that hold `path`.
fn links_to<'r>(report: &'r Report, path: &'r str) -> impl Iterator<Item = &'r str> {
    links(report).map(|(_, w)| w).filter(move |w| w.contains(path))
}

/// Every line of the report's blocks, with its report line.
pub(crate) fn numbered_lines(report: &Report) -> impl Iterator<Item = (usize, &str)> {
    report.blocks.iter().flat_map(|b| b.text.lines().enumerate().map(move |(i, l)| (b.start_line + i, l)))
}

/// The URLs of the report, each with the report line it is on.
fn links(report: &Report) -> impl Iterator<Item = (usize, &str)> {
    numbered_lines(report).flat_map(|(n, line)| {
        line.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '`' | '"' | '\'' | '[' | ']'))
            .filter(|w| w.starts_with("http://") || w.starts_with("https://"))
            .map(move |w| (n, w))
    })
}

/// The commit of a `.../blob/COMMIT/...PATH...` link of the report that holds `path`.
fn permalink_commit(report: &Report, path: &str) -> Option<String> {
    links_to(report, path).find_map(blob_commit)
}

/// The commit of a permalink of the report to line `line` of `path` (`.../blob/COMMIT/PATH#L12`
/// or `#L12-L20`).
fn permalink_line_commit(report: &Report, path: &str, line: u32) -> Option<String> {
    let anchor = format!("#L{line}");
    links_to(report, path).find_map(|word| {
        let at = word.find(&anchor)?;
        // `#L31` is not `#L3`.
        if word[at + anchor.len()..].starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        blob_commit(word)
    })
}

/// The commit of a `.../blob/COMMIT/...` link, lowercase.
fn blob_commit(url: &str) -> Option<String> {
    let (_, rest) = url.split_once("/blob/")?;
    let commit = rest.split('/').next().unwrap_or("");
    (commit.len() >= 7 && commit.len() <= 40 && commit.bytes().all(|c| c.is_ascii_hexdigit())).then(|| commit.to_ascii_lowercase())
}

/// A commit the report links in the project's own repository
/// (`[9ba1504](https://github.com/warmcat/libwebsockets/commit/9ba1504d...)`, "our fuzzer found it
/// in the current main"), or a full commit hash its prose gives (`commit: f225f8d7...`), that this
/// shallow clone does not have: the code the report read may be newer than every version checked,
/// so what is missing from them may be there. Its short form and the report line that names it.
pub(crate) fn missing_linked_commit(report: &Report, project: &crate::project::Project) -> Result<Option<(String, usize)>, SourceError> {
    let Some(git) = project.git() else { return Ok(None) };
    let name = report.meta.project.as_deref();
    let own = report.meta.asset.as_deref().map(|a| a.trim_end_matches('/').trim_end_matches(".git").to_ascii_lowercase());
    for (at, word) in links(report) {
        let lower = word.to_ascii_lowercase();
        let ours = own.as_deref().is_some_and(|o| lower.starts_with(o))
            || name.is_some_and(|name| vouch_claims::repo_of(&lower).is_some_and(|(_, r)| r == name));
        let Some((_, rest)) = lower.split_once("/commit/") else { continue };
        let sha: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        if !ours || sha.len() < 7 {
            continue;
        }
        if !git.is_shallow()? {
            return Ok(None);
        }
        if git.commit(&sha)?.is_none() {
            return Ok(Some((short(&sha).to_string(), at)));
        }
    }
    // A full commit hash the report gives in its prose (`- commit: f225f8d7...` under its
    // environment, `HEAD is now at ...`): the code it names, when the shallow clone lacks it.
    for c in
        report.claims.iter().filter(|c| c.kind == ClaimKind::Commit && !c.negated && matches!(c.origin, Origin::Prose | Origin::Metadata))
    {
        let sha = c.text.to_ascii_lowercase();
        if sha.len() != 40 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            continue;
        }
        if !git.is_shallow()? {
            return Ok(None);
        }
        if git.commit(&sha)?.is_none() {
            return Ok(Some((short(&sha).to_string(), c.report_line)));
        }
    }
    Ok(None)
}

fn checks_code(kind: ClaimKind) -> bool {
    matches!(kind, ClaimKind::File | ClaimKind::Function | ClaimKind::Line | ClaimKind::Snippet | ClaimKind::Api | ClaimKind::Member)
}

fn kind_name(kind: ClaimKind) -> &'static str {
    match kind {
        ClaimKind::File => "file",
        ClaimKind::Function => "function",
        ClaimKind::Line => "line",
        ClaimKind::Snippet => "snippet",
        ClaimKind::Version => "version",
        ClaimKind::Commit => "commit",
        ClaimKind::Cve | ClaimKind::Ghsa => "cve",
        ClaimKind::Cwe => "cwe",
        ClaimKind::Api => "api",
        // The JSON contract's kinds: a member expression is quoted code (see ClaimResult::member).
        ClaimKind::Member => "snippet",
    }
}

pub(crate) fn origin_name(o: Origin) -> &'static str {
    match o {
        Origin::Metadata => "metadata",
        Origin::Prose => "prose",
        Origin::ProjectCode => "project-code",
        Origin::ReporterCode => "reporter-code",
        Origin::Trace => "trace",
        Origin::Patch => "patch",
    }
}

/// How much a confirmed / contradicted claim of this kind says about the report.
fn weights(kind: ClaimKind) -> (f64, f64) {
    match kind {
        ClaimKind::File => (0.3, 0.8),
        ClaimKind::Function => (0.5, 1.0),
        ClaimKind::Line => (0.3, 0.6),
        ClaimKind::Snippet => (0.8, 1.2),
        // A release that exists is easy to name: that one does says little for the report.
        ClaimKind::Version => (0.1, 0.7),
        ClaimKind::Commit => (0.4, 0.6),
        ClaimKind::Cve | ClaimKind::Ghsa => (0.1, 0.5),
        ClaimKind::Api => (0.2, 1.0),
        ClaimKind::Member => (0.1, 0.9),
        ClaimKind::Cwe => (0.0, 0.0),
    }
}

/// The project's function `full`, for a name the report gave without its prefix: confirmed, but
/// weakly (the report did not name it as the project does).
fn defined_with_prefix(claim: &Claim, index: &vouch_source::CodeIndex, full: &str) -> Option<ClaimResult> {
    let d = index.definitions(full).iter().find(|d| matches!(d.kind, DefKind::Function))?;
    let evidence = format!("the project's {full} is defined at {}:{} (the report leaves out its prefix)", d.path, d.line);
    let mut r = result(claim, Status::Confirmed, evidence, loc(&d.path, d.line, None));
    r.weight = r.weight.min(0.2);
    Some(r)
}

/// The project's function under one prefix too many, one that other functions of its file carry,
/// in a file the report names (`cf_ssl_peer_key_build` for `ssl_peer_key_build` of
/// `vtls_scache.c`, beside `cf_ssl_peer_key_add_path`): a slip of the name, confirmed weakly.
fn with_neighbours_prefix(claim: &Claim, report: &Report, index: &vouch_source::CodeIndex, name: &str) -> Option<ClaimResult> {
    let (prefix, rest) = name.split_once('_')?;
    if prefix.is_empty() || rest.len() < 8 || !rest.contains('_') {
        return None;
    }
    let own = format!("{prefix}_");
    let d = index.definitions(rest).iter().find(|d| {
        matches!(d.kind, DefKind::Function)
            && index.file(&d.path).is_some_and(|fi| fi.functions.iter().any(|f| f.name.starts_with(&own) && f.name != name))
    })?;
    let base = d.path.rsplit('/').next().unwrap_or(&d.path);
    let names_file = |c: &Claim| {
        let path = match c.kind {
            ClaimKind::File => c.text.clone(),
            ClaimKind::Line => line_file(c),
            _ => return false,
        };
        !c.negated && path.rsplit('/').next() == Some(base)
    };
    if !report.claims.iter().any(names_file) && claim.file.as_deref().and_then(|f| f.rsplit('/').next()) != Some(base) {
        return None;
    }
    let evidence = format!(
        "the project's {rest} is defined at {}:{}, beside functions named {own}... (the report's name adds their prefix)",
        d.path, d.line
    );
    let mut r = result(claim, Status::Confirmed, evidence, loc(&d.path, d.line, None));
    r.weight = r.weight.min(0.2);
    Some(r)
}

fn result(claim: &Claim, status: Status, evidence: String, location: Option<Location>) -> ClaimResult {
    let (wc, wx) = weights(claim.kind);
    let mut weight = match status {
        Status::Confirmed => wc,
        Status::Contradicted => wx,
        Status::Unverifiable => 0.0,
    };
    if claim.negated {
        weight *= 0.5;
    }
    if claim.origin == Origin::Trace {
        weight *= 0.5;
    }
    let member = claim.kind == ClaimKind::Member;
    ClaimResult {
        kind: kind_name(claim.kind),
        // A member is reported as the code the report shows (`conn->ntlm`).
        text: if member { claim.code.clone().unwrap_or_else(|| claim.text.clone()) } else { claim.text.clone() },
        member,
        status,
        evidence,
        location,
        origin: origin_name(claim.origin),
        negated: claim.negated,
        report_line: claim.report_line,
        at: None,
        namespaced: false,
        public_api: false,
        weight,
    }
}

fn loc(path: &str, line: u32, end: Option<u32>) -> Option<Location> {
    Some(Location { path: path.to_string(), line, end_line: end.filter(|&e| e != line) })
}

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() > 120 {
        format!("{}…", s.chars().take(119).collect::<String>())
    } else {
        s.to_string()
    }
}

/// When at least two calls and at least half of the calls of `code` are to the project's public
/// API, or when all its calls (one at least) are, those names. A function is public when its
/// name is the project's name and an underscore (`curl_easy_setopt`), or when a header declares
/// it for export (see `exported`).
fn public_api_share(code: &str, cx: &Context<'_>, view: &View) -> Result<Option<String>, SourceError> {
    let mut calls = 0usize;
    let mut public: Vec<String> = Vec::new();
    let mut public_calls = 0usize;
    for line in code.lines() {
        let t = line.trim_start();
        if t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') || t.starts_with('#') {
            continue;
        }
        for name in crate::code::called_names(line) {
            calls += 1;
            if public.iter().any(|p| p == name) || public_function(name, cx, view)? {
                public_calls += 1;
                if !public.iter().any(|p| p == name) {
                    public.push(name.to_string());
                }
            }
        }
    }
    // Most calls, or every call (`nng_sockaddr_storage a;` and one API call).
    let most = public_calls >= 2 && public_calls * 2 >= calls;
    let all = public_calls >= 1 && public_calls == calls;
    Ok((most || all).then(|| public.into_iter().take(3).collect::<Vec<_>>().join(", ")))
}

/// Whether function `name` is the project's public API: named after the project (`curl_`, but
/// not curl's internal `Curl_`: case counts), or declared for applications (`exported`).
fn public_function(name: &str, cx: &Context<'_>, view: &View) -> Result<bool, SourceError> {
    let project = cx.project.name(cx.policy);
    if project.as_deref().is_some_and(|p| name.starts_with(&format!("{}_", p.to_ascii_lowercase()))) {
        return Ok(true);
    }
    exported(name, view, project.as_deref())
}

/// Whether a header of the project declares function `name` for applications: the header is
/// named after the project (`jansson.h` of Jansson, `modbus.h` of libmodbus, `include/curl/`), or
/// the prototype carries an export mark (an upper-case macro such as `JSON_EXPORT`,
/// `CJSON_PUBLIC(...)`, `ZSTDLIB_API`, `CURL_EXTERN`, `__LA_DECL`, or `__declspec(dllexport)`), on
/// its line or the line before, in a header not named internal (`*_private.h`, `*_int.h`,
/// `internal/`). Internal headers declare most functions without such marks, so quoted code
/// calling those still counts as quoted project code.
fn exported(name: &str, view: &View, project: Option<&str>) -> Result<bool, SourceError> {
    let index = view.snapshot.index()?;
    for d in index.definitions(name).iter().filter(|d| matches!(d.kind, DefKind::FunctionDecl)) {
        let lower = d.path.to_ascii_lowercase();
        let header = [".h", ".hh", ".hpp", ".hxx"].iter().any(|e| lower.ends_with(e));
        let internal = ["private", "internal", "_int.h", "priv.h"].iter().any(|w| lower.contains(w));
        if !header || internal {
            continue;
        }
        if project.is_some_and(|p| public_header(&lower, p)) {
            return Ok(true);
        }
        let Some(text) = view.snapshot.read(&d.path)? else { continue };
        let before = if d.line > 1 { line_of(&text, d.line - 1).unwrap_or("") } else { "" };
        let at = line_of(&text, d.line).unwrap_or("");
        // The mark belongs to this declaration: the line before counts only when it does not
        // end another statement.
        let before = if before.trim_end().ends_with(';') || before.trim_end().ends_with('}') { "" } else { before };
        if [before, at].iter().any(|l| export_mark(l)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// A header path (lowercase) named after project `name`: `jansson.h`, `cjson.h`, `modbus.h` (the
/// name without `lib`), or any header under `include/NAME/`.
fn public_header(path: &str, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let bare = name.strip_prefix("lib").filter(|b| b.len() >= 3).unwrap_or(&name);
    let file = path.rsplit('/').next().unwrap_or(path);
    let stem = file.split('.').next().unwrap_or(file);
    stem == name || stem == bare || path.contains(&format!("include/{name}/")) || path.contains(&format!("include/{bare}/"))
}

/// An export mark on a declaration's line: an upper-case identifier (letters, digits and
/// underscores, at least one letter) naming export or API (`EXPORT`, `API`, `PUBLIC`, `EXTERN`,
/// `DECL`, `PUBFUN`), or a visibility attribute.
fn export_mark(line: &str) -> bool {
    if line.contains("dllexport") || line.contains("visibility(\"default\")") {
        return true;
    }
    line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|w| {
        w.len() >= 4
            && w.bytes().any(|b| b.is_ascii_uppercase())
            && !w.bytes().any(|b| b.is_ascii_lowercase())
            && ["EXPORT", "API", "PUBLIC", "EXTERN", "DECL", "PUBFUN"].iter().any(|m| w.contains(m))
    })
}

/// Build files: CMake, autotools, make, meson, Bazel, GN and GYP (`node.gni`, `node.gyp`, Node.js's `configure.py`).
fn is_build_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "CMakeLists.txt"
            | "configure.ac"
            | "configure.in"
            | "Makefile"
            | "GNUmakefile"
            | "Makefile.am"
            | "Makefile.in"
            | "meson.build"
            | "meson_options.txt"
            | "BUILD"
            | "BUILD.bazel"
            | "BUILD.gn"
            | "configure.py"
    ) || [".cmake", ".m4", ".mk", ".gyp", ".gypi", ".gni"].iter().any(|e| name.ends_with(e))
}

/// The first line of a build file that mentions `name` as a word (at most 500 build files).
fn build_mention(snap: &vouch_source::Snapshot, name: &str) -> Result<Option<(String, u32, String)>, SourceError> {
    first_line_where(snap, is_build_file, 500, name, |line| crate::policy::contains_identifier(line, name))
}

/// The first line, in the first of at most `max` files the filter selects and whose text holds
/// `name`, for which `hit` holds: path, 1-based line, the trimmed line.
fn first_line_where(
    snap: &vouch_source::Snapshot,
    select: fn(&str) -> bool,
    max: usize,
    name: &str,
    hit: impl Fn(&str) -> bool,
) -> Result<Option<(String, u32, String)>, SourceError> {
    let files: Vec<String> = snap.paths().filter(|p| select(p)).take(max).map(str::to_string).collect();
    for path in files {
        let Some(text) = snap.read(&path)? else { continue };
        if !text.contains(name) {
            continue;
        }
        if let Some((i, line)) = text.lines().enumerate().find(|(_, l)| hit(l)) {
            return Ok(Some((path, i as u32 + 1, line.trim().to_string())));
        }
    }
    Ok(None)
}

/// Script files looked at for function definitions: by extension, or without one in a folder of
/// scripts and tools.
fn is_script(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => {
            matches!(
                ext,
                "sh" | "bash" | "zsh" | "py" | "pl" | "pm" | "rb" | "js" | "mjs" | "ts" | "lua" | "tcl" | "ps1" | "awk" | "cmake" | "m4"
            )
        }
        None => path.split('/').rev().skip(1).any(|d| matches!(d, "scripts" | "script" | "bin" | "tools" | "util" | "utils")),
    }
}

/// The definition of `name` in one line of a script: `name() {`, `function name`, `def name(`,
/// `sub name`, `proc name`, CMake's `function(name`.
fn defines_in_script(line: &str, name: &str) -> bool {
    let t = line.trim_start();
    let after = |prefix: &str| {
        t.strip_prefix(prefix).is_some_and(|r| {
            let r = r.trim_start();
            r.strip_prefix(name).is_some_and(|x| x.is_empty() || x.starts_with(|c: char| !(c.is_alphanumeric() || c == '_')))
        })
    };
    if let Some(r) = t.strip_prefix(name) {
        let r = r.trim_start();
        if r.starts_with("()") || r.starts_with("( )") {
            return true;
        }
    }
    ["function ", "def ", "sub ", "proc ", "function(", "macro("].iter().any(|p| after(p))
}

/// Where a script of the project defines `name` (at most 2,000 script files are read).
fn script_definition(snap: &vouch_source::Snapshot, name: &str) -> Result<Option<(String, u32, String)>, SourceError> {
    first_line_where(snap, is_script, 2000, name, |line| defines_in_script(line, name))
}

/// Whether the folder a data file is cited in (`tests/data/` of `tests/data/key.pem`) is one of
/// the project's: only then does the file's absence say something.
fn data_folder_exists(snap: &vouch_source::Snapshot, cited: &str) -> bool {
    let path = cited.trim().trim_start_matches("./");
    path.rsplit_once('/').is_some_and(|(dir, _)| snap.has_dir(dir))
}

/// gdb's note that it cannot open a frame's source: `250\t./src/internal/atomic.h: No such file or
/// directory.`
fn gdb_missing_source(line: &str) -> bool {
    let t = line.trim();
    let Some(rest) = t.strip_suffix("No such file or directory.").or_else(|| t.strip_suffix("No such file or directory")) else {
        return false;
    };
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    digits > 0 && t.as_bytes().get(digits).is_some_and(|b| b.is_ascii_whitespace()) && rest.trim_end().ends_with(':')
}

/// Names joined by `->` (two or more), every one a function the project defines: how reports
/// write a call chain (`png_read_row->png_read_filter_row`), not a member access.
fn call_chain(shown: &str, index: &vouch_source::CodeIndex) -> bool {
    let parts: Vec<&str> = shown.split("->").map(|p| p.trim().trim_end_matches("()")).collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && index.definitions(p).iter().any(|d| matches!(d.kind, DefKind::Function))
        })
}

/// The names of the functions and API calls a report's claims give.
fn report_names(report: &Report) -> Vec<String> {
    report
        .claims
        .iter()
        .filter(|c| matches!(c.kind, ClaimKind::Function | ClaimKind::Api))
        .map(|c| bare_name(&c.text).to_string())
        .collect()
}

/// A project function the report also names that `name` misspells (`http_uri_canofify` for
/// `http_uri_canonify`): as long, at least eight letters, one or two letters swapped for others,
/// none of them the last. A name with something added or dropped (`ares_getaddrinfo2`,
/// `foo_ex`) or a different ending is another function, not a slip.
fn slip_of(name: &str, named: &[String], index: &vouch_source::CodeIndex) -> Option<String> {
    if name.len() < 8 {
        return None;
    }
    let differ = |n: &str| -> Vec<usize> { n.bytes().zip(name.bytes()).enumerate().filter(|(_, (a, b))| a != b).map(|(i, _)| i).collect() };
    named
        .iter()
        .filter(|n| n.len() == name.len() && n.as_str() != name)
        .filter(|n| {
            let d = differ(n);
            !d.is_empty() && d.len() <= 2 && !d.contains(&(name.len() - 1))
        })
        .find(|n| index.definitions(n).iter().any(|d| matches!(d.kind, DefKind::Function)))
        .cloned()
}

/// A function the project defines whose name has the same words as `name` in another order
/// (`mbedtls_mpi_exp_mod` for `mbedtls_mpi_mod_exp`): three to six words, the first one kept
/// (it is the project's namespace), every word used once.
fn reordered(name: &str, index: &vouch_source::CodeIndex) -> Option<String> {
    let words: Vec<&str> = name.split('_').collect();
    if !(3..=6).contains(&words.len()) || words.iter().any(|w| w.is_empty()) {
        return None;
    }
    let mut rest: Vec<&str> = words[1..].to_vec();
    let mut found = None;
    permute(&mut rest, 0, &mut |order| {
        if found.is_some() {
            return;
        }
        let candidate = format!("{}_{}", words[0], order.join("_"));
        if candidate != name && index.definitions(&candidate).iter().any(|d| matches!(d.kind, DefKind::Function)) {
            found = Some(candidate);
        }
    });
    found
}

/// Calls `visit` with every order of `items[k..]` after `items[..k]` (by swaps).
fn permute<'a>(items: &mut Vec<&'a str>, k: usize, visit: &mut dyn FnMut(&[&'a str])) {
    if k == items.len() {
        visit(items);
        return;
    }
    for i in k..items.len() {
        items.swap(k, i);
        permute(items, k + 1, visit);
        items.swap(k, i);
    }
}

/// The whole name a marker the reporter put inside it splits (`me \*bug=>*\ mset(`, `me /* here */
/// mset(`): an identifier fragment, then a comment-like marker opening with `/` or `\`, then
/// `name`; the fragment and `name` together are a C library function or one the project defines.
fn split_by_marker(context: &str, name: &str, index: &vouch_source::CodeIndex) -> Option<String> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (pos, _) in context.match_indices(name) {
        if context[..pos].ends_with(ident) || context[pos + name.len()..].starts_with(ident) {
            continue;
        }
        let tokens: Vec<&str> = context[..pos].split_whitespace().collect();
        if !tokens.last().is_some_and(|t| t.contains('*')) {
            continue;
        }
        // Back to the marker's opening (`/*`, `\\*`), at most six tokens.
        let Some(open) = (0..tokens.len()).rev().take(6).find(|&k| tokens[k].starts_with(['/', '\\'])) else { continue };
        let Some(frag) = open.checked_sub(1).map(|k| tokens[k]).filter(|f| f.chars().all(ident)) else { continue };
        let whole = format!("{frag}{name}");
        if LIBC.contains(&whole.as_str()) || index.definitions(&whole).iter().any(|d| matches!(d.kind, DefKind::Function)) {
            return Some(whole);
        }
    }
    None
}

/// The build file in the folder of a file the tree lacks that names it (`add_fuzzer(fuzz_binary_decode
/// fuzz_binary_decode.cc)` in `tests/fuzz/CMakeLists.txt` of a tree that ships only the build
/// files there): the folder is found by dropping leading parts of the cited path (an absolute path
/// of the reporter's machine) until it is one of the tree's. Returns the build file and line.
fn named_by_build(snap: &vouch_source::Snapshot, cited: &str) -> Result<Option<(String, u32)>, SourceError> {
    let c = cited_path(cited);
    let parts: Vec<&str> = c.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let Some((base, dirs)) = parts.split_last() else { return Ok(None) };
    if dirs.is_empty() || !crate::code::is_source_path(base) {
        return Ok(None);
    }
    let Some(dir) = (0..dirs.len()).map(|k| dirs[k..].join("/")).find(|d| snap.has_dir(d)) else { return Ok(None) };
    let builds: Vec<String> = snap
        .paths()
        .filter(|p| p.strip_prefix(&format!("{dir}/")).is_some_and(|rest| !rest.contains('/') && is_build_file(rest)))
        .map(String::from)
        .collect();
    let token = |l: &str| {
        l.split(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '_' | '.' | '-' | '/')))
            .any(|t| t.rsplit('/').next() == Some(*base))
    };
    for b in builds {
        let Some(text) = snap.read(&b)? else { continue };
        if let Some(n) = text.lines().position(token) {
            return Ok(Some((b, n as u32 + 1)));
        }
    }
    Ok(None)
}

/// Folders under which projects bundle other libraries' sources.
const BUNDLED: &[&str] = &["contrib", "third_party", "thirdparty", "third-party", "3rdparty", "vendor", "external", "extern", "deps"];

/// The bundled library folder of a cited path (`contrib/utf8cpp` of
/// `assimp/contrib/utf8cpp/source/utf8/checked.h`, after the reporter's checkout folder) that
/// the tree lacks while one of its build files names it (`INCLUDE_DIRECTORIES("../contrib/utf8cpp/source")`):
/// Debian's and other repacked tarballs drop bundled libraries, so the file cannot be looked for.
fn vendored_left_out(snap: &vouch_source::Snapshot, cited: &str) -> Result<Option<(String, String, u32)>, SourceError> {
    let c = cited_path(cited);
    let parts: Vec<&str> = c.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    // The bundling folder is the first part, or the second after a checkout folder the tree lacks.
    let Some(k) = (0..parts.len().min(2)).find(|&k| BUNDLED.contains(&parts[k]) && (k == 0 || !snap.has_dir(parts[0]))) else {
        return Ok(None);
    };
    if parts.len() < k + 3 {
        return Ok(None);
    }
    let dir = format!("{}/{}", parts[k], parts[k + 1]);
    if snap.has_dir(&dir) {
        return Ok(None);
    }
    let word = |ch: char| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-');
    let names = |l: &str| {
        l.match_indices(dir.as_str()).any(|(i, _)| !l[i + dir.len()..].starts_with(word) && !l[..i].chars().next_back().is_some_and(word))
    };
    Ok(first_line_where(snap, is_build_file, 500, &dir, names)?.map(|(build, line, _)| (dir, build, line)))
}

/// A function inside glibc that its own error messages and backtraces name
/// (`munmap_chunk(): invalid pointer`, `_int_free`, `__GI_raise`, `__libc_message`).
fn libc_internal(name: &str) -> bool {
    const NAMES: &[&str] = &[
        "munmap_chunk",
        "malloc_printerr",
        "malloc_consolidate",
        "unlink_chunk",
        "sysmalloc",
        "tcache_get",
        "tcache_put",
        "__fortify_fail",
        "__chk_fail",
        "__stack_chk_fail",
        "raise",
        "abort",
    ];
    NAMES.contains(&name)
        || ["__GI_", "__libc_", "_int_", "__memcpy_", "__memmove_", "__strlen_", "__strcpy_", "__pthread_"]
            .iter()
            .any(|p| name.starts_with(p))
}

/// A source file of the tools that report memory errors, by its name: valgrind's replacement
/// functions (`vg_replace_strmem.c`), the sanitizers' and libFuzzer's runtimes
/// (`asan_interceptors.cpp`, `sanitizer_common_interceptors.inc`, `FuzzerLoop.cpp`) and glibc's
/// string routines (`memmove-vec-unaligned-erms.S`) and C files named after the C library function
/// they implement, with glibc's suffix for the locale variant (`strtol_l.c`, `vfprintf.c`). Checked
/// only when the project has no such file.
fn tool_source(cited: &str) -> bool {
    let c = cited_path(cited);
    let base = c.rsplit('/').next().unwrap_or(&c);
    let Some((stem, ext)) = base.rsplit_once('.') else { return false };
    let ext = ext.to_ascii_lowercase();
    let runtime =
        ["asan_", "lsan_", "msan_", "tsan_", "ubsan_", "hwasan_", "sanitizer_", "vg_replace_"].iter().any(|p| stem.starts_with(p))
            && matches!(ext.as_str(), "c" | "cc" | "cpp" | "inc" | "h");
    let fuzzer = stem.starts_with("Fuzzer") && matches!(ext.as_str(), "cpp" | "h");
    let glibc = ext == "s"
        && ["memcpy", "memmove", "memset", "memcmp", "memchr", "strlen", "strcpy", "strcmp", "strncmp", "strchr", "stpcpy", "strnlen"]
            .iter()
            .any(|f| stem.starts_with(f));
    // Bare, or under one of glibc's folders (`stdlib/strtol_l.c`): `lib/strdup.c` would be a
    // file the report says the project has.
    let glibc_dir = c.rsplit_once('/').is_none_or(|(dir, _)| {
        dir.trim_start_matches("./").trim_start_matches("../").split('/').next().is_some_and(|top| {
            matches!(top, "stdlib" | "string" | "stdio-common" | "libio" | "sysdeps" | "malloc" | "posix" | "io" | "misc" | "wcsmbs")
        })
    });
    let libc_file = ext == "c" && glibc_dir && {
        let name = stem.strip_suffix("_l").or_else(|| stem.strip_suffix("-internal")).unwrap_or(stem);
        name.len() >= 5 && LIBC.contains(&name)
    };
    runtime || fuzzer || glibc || libc_file
}

/// A header of the C library, POSIX or the platform (`stdlib.h`, `<string.h>`, `sys/socket.h`,
/// `winsock2.h`), named as such: a report quoting a manual page or its own program's includes, not
/// a file it says the project has. Checked only when the project has no such file.
fn system_header(cited: &str) -> bool {
    const C: &[&str] = &[
        "assert",
        "complex",
        "ctype",
        "errno",
        "fenv",
        "float",
        "inttypes",
        "iso646",
        "limits",
        "locale",
        "math",
        "setjmp",
        "signal",
        "stdalign",
        "stdarg",
        "stdatomic",
        "stdbool",
        "stddef",
        "stdint",
        "stdio",
        "stdlib",
        "stdnoreturn",
        "string",
        "tgmath",
        "threads",
        "time",
        "uchar",
        "wchar",
        "wctype",
    ];
    const POSIX: &[&str] = &[
        "unistd",
        "fcntl",
        "pthread",
        "dirent",
        "netdb",
        "poll",
        "strings",
        "syslog",
        "dlfcn",
        "termios",
        "pwd",
        "grp",
        "sched",
        "semaphore",
        "regex",
        "glob",
        "libgen",
        "spawn",
        "wordexp",
        "alloca",
        "malloc",
        "memory",
        "search",
        "iconv",
        "langinfo",
        "ifaddrs",
        "err",
        "windows",
        "winsock2",
        "ws2tcpip",
        "wincrypt",
        "io",
        "process",
        "direct",
    ];
    let c = cited_path(cited);
    let c = c.trim_start_matches('<').trim_end_matches('>');
    let Some(stem) = c.strip_suffix(".h") else { return false };
    match stem.split_once('/') {
        None => C.contains(&stem) || POSIX.contains(&stem),
        Some((dir, rest)) => {
            matches!(dir, "sys" | "arpa" | "netinet" | "net" | "linux" | "bits") && !rest.is_empty() && !rest.contains('/')
        }
    }
}

/// Code made only of prototypes of C library functions (`void *calloc(size_t nmemb, size_t size);`,
/// a note after the `;` allowed) and `#include`s of system headers, with one prototype at least.
fn libc_declarations(code: &str) -> bool {
    let mut prototypes = 0;
    for line in code.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("//") || t.starts_with("/*") || t.starts_with('*') {
            continue;
        }
        if let Some(h) = t.strip_prefix("#include") {
            if system_header(h.trim()) {
                continue;
            }
            return false;
        }
        let Some((head, _)) = t.split_once('(') else { return false };
        let head = head.trim_end();
        let name = head.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or_default();
        let ty = head[..head.len() - name.len()].trim();
        let type_like = !ty.is_empty()
            && ty.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '*' || c == ' ')
            && !ty.split([' ', '*']).any(|w| matches!(w, "return" | "else" | "case" | "goto" | "sizeof"));
        if !(LIBC.contains(&name) && type_like && t.contains(");")) {
            return false;
        }
        prototypes += 1;
    }
    prototypes > 0
}

/// A function of the C library or of a sanitizer's runtime (`__GI___chk_fail`,
/// `__interceptor_memcpy`) that the report names within two lines of a file claim: the file is
/// likely that function's source. Only internal names (a leading `__`) count, which no project
/// defines for itself.
fn runtime_function_beside(claim: &Claim, report: &Report) -> Option<String> {
    let near = claim.report_line.saturating_sub(2)..=claim.report_line + 2;
    numbered_lines(report).filter(|(n, _)| near.contains(n)).find_map(|(_, line)| {
        line.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .find(|w| w.starts_with("__") && w.len() > 4 && crate::evidence::runtime_frame(w))
            .map(String::from)
    })
}

/// A bare file name (no folder) of a script or data file (`authz_server.py`, `run_all.sh`,
/// `other.txt`): what reporters attach or write, not how they cite a project's source.
fn reporter_kind_of_file(cited: &str) -> bool {
    let c = cited.trim().trim_start_matches("./");
    if c.contains('/') {
        return false;
    }
    let Some((_, ext)) = c.rsplit_once('.') else { return false };
    matches!(
        ext.to_ascii_lowercase().as_str(),
        "py" | "sh"
            | "bash"
            | "js"
            | "mjs"
            | "rb"
            | "pl"
            | "php"
            | "ps1"
            | "bat"
            | "env"
            | "txt"
            | "json"
            | "html"
            | "htm"
            | "xml"
            | "yml"
            | "yaml"
            | "toml"
            | "pem"
            | "crt"
            | "key"
            | "conf"
            | "cfg"
            | "ini"
            | "log"
            | "md"
            | "csv"
            | "har"
            | "pcap"
    )
}

/// Whether a bare file name (no folder) that the project lacks is one of the reporter's own
/// files: the report's commands or PoC code use it (`cc digest_probe.c`), or it is listed under a
/// heading or label about attachments (`## Attachments`, `Attached files:`, `Supporting
/// Material`, `included artifacts:`).
fn reporters_own_file(cited: &str, report: &Report) -> bool {
    let name = cited.trim().trim_matches(|ch: char| matches!(ch, '`' | '"' | '\'' | '(' | ')' | ',' | ':'));
    if name.is_empty() || name.contains('/') || name.contains('\\') {
        return false;
    }
    let is_name_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let has_token = |text: &str| text.split(|c: char| !is_name_char(c)).any(|t| t == name);
    if report.blocks.iter().any(|b| matches!(b.kind, BlockKind::Command | BlockKind::ReporterCode) && has_token(&b.text)) {
        return true;
    }
    // Every mention in the prose: under a heading or label about attachments, or on a command
    // line (also one continued with `\`) that compiles or runs it.
    const RUNS: &[&str] = &["cc ", "gcc ", "clang ", "g++ ", "c++ ", "python ", "python3 ", "node ", "perl ", "bash ", "sh ", "$ "];
    // "`server_that_fails.c` is a simple TLS server ...": the report describes its own program.
    const MADE: &[&str] = &["server", "proxy", "client", "program", "script", "harness", "reproducer", "poc", "exploit", "fuzzer"];
    let mut label: Option<String> = None;
    for b in report.blocks.iter().filter(|b| b.kind == BlockKind::Prose) {
        let lines: Vec<&str> = b.text.lines().collect();
        let mut command = false;
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim();
            let continued = i > 0 && lines[i - 1].trim_end().ends_with('\\');
            command = RUNS.iter().any(|r| t.starts_with(r)) || continued && command;
            if t.starts_with('#') || t.starts_with("**") && t.ends_with("**") || t.len() <= 80 && t.ends_with(':') {
                label = Some(t.to_ascii_lowercase());
            }
            if has_token(t) {
                let attached = label
                    .as_deref()
                    .is_some_and(|l| ["attach", "supporting material", "artifact", "included files"].iter().any(|w| l.contains(w)))
                    || ["attached", "included"].iter().any(|w| t.to_ascii_lowercase().starts_with(w));
                let lower = t.to_ascii_lowercase();
                let described = lower.find(&name.to_ascii_lowercase()).is_some_and(|i| {
                    let rest = lower[i + name.len()..].trim_start_matches(['`', '*', ' ']);
                    (rest.starts_with("is a ") || rest.starts_with("is an ") || rest.starts_with("- a ") || rest.starts_with(": a "))
                        && MADE.iter().any(|m| rest.split(|c: char| !c.is_ascii_alphanumeric()).take(12).any(|w| w == *m))
                });
                if attached || command || described {
                    return true;
                }
            }
        }
    }
    false
}

/// Whether the project is a shallow git clone (history cut off).
fn shallow(cx: &Context<'_>) -> Result<bool, SourceError> {
    match cx.project.git() {
        Some(g) => g.is_shallow(),
        None => Ok(false),
    }
}

/// Folders that packaged sources often leave out (release tarballs, vendored copies).
const OFTEN_LEFT_OUT: &[&str] =
    &["tests", "test", "docs", "doc", "examples", "example", "programs", "contrib", "fuzz", "fuzzing", "tools", "demos"];

/// The first folder of a cited path when it is one that packaged sources leave out and the tree
/// checked has no such folder at all: the file cannot be looked for there.
pub(crate) fn missing_folder(snap: &vouch_source::Snapshot, cited: &str) -> Option<String> {
    let path = cited.trim().trim_start_matches("./").trim_start_matches('/');
    let first = path.split('/').next()?;
    (path.contains('/') && OFTEN_LEFT_OUT.contains(&first) && !snap.has_dir(first)).then(|| first.to_string())
}

/// A file of a library under a bundling folder (`third_party/openscreen/src/...`) in a project
/// that has no such folder at all: the reporter's tree bundles libraries there (as Chromium
/// bundles this project beside others), so the file is that tree's, not this project's.
fn host_library(snap: &vouch_source::Snapshot, cited: &str) -> Option<String> {
    let path = cited.trim().trim_start_matches("./").trim_start_matches('/');
    let parts: Vec<&str> = path.split('/').collect();
    (parts.len() >= 3 && BUNDLED.contains(&parts[0]) && !snap.has_dir(parts[0])).then(|| {
        format!("the project has no {}/ folder: a file of another library ({}) in a tree that bundles libraries there", parts[0], parts[1])
    })
}

/// Why a cited path the tree does not have belongs to another tree rather than contradicting the
/// report: a folder the checked tree leaves out (`tests/` of a release tarball, a bundled library
/// its build files name, as `deps/undici` of Debian's Node.js), or a file that is
/// not source code in a folder the project does not have (`projects/curl/Dockerfile` of OSS-Fuzz).
pub(crate) fn outside_tree(snap: &vouch_source::Snapshot, cited: &str) -> Result<Option<String>, SourceError> {
    let path = cited.trim().trim_start_matches("./").trim_start_matches('/');
    if let Some(dir) = missing_folder(snap, path) {
        return Ok(Some(format!("the tree checked has no {dir}/ folder")));
    }
    if let Some((dir, build, line)) = vendored_left_out(snap, path)? {
        return Ok(Some(format!(
            "the tree checked has no {dir}/ folder: a bundled library it leaves out (as repacked tarballs and clones without submodules do), which its build file {build}:{line} names"
        )));
    }
    if let Some(why) = host_library(snap, path) {
        return Ok(Some(why));
    }
    let Some((dir, _)) = path.rsplit_once('/') else { return Ok(None) };
    Ok((!crate::code::is_source_path(path) && !snap.has_dir(dir)).then(|| format!("the project has no {dir}/ folder: another tree's file")))
}

/// The function a sentence is about when it is one the project calls but does not define (a
/// dependency's), and the sentence names no function the project defines; C library functions
/// (`strcpy()`) do not count either way.
fn outside_subject(context: &str, view: &View) -> Result<Option<String>, SourceError> {
    let index = view.snapshot.index()?;
    let mut outside = None;
    for name in code::called_names(context) {
        if name.len() < 4 || LIBC.contains(&name) {
            continue;
        }
        if index.definitions(name).iter().any(|d| matches!(d.kind, DefKind::Function | DefKind::Macro)) {
            return Ok(None);
        }
        if outside.is_none() && index.mentioned(name) {
            outside = Some(name.to_string());
        }
    }
    Ok(outside)
}

/// The phrase by which the report offers a file only as another version's place for the code
/// (`in Objects/unicodeobject.c (or Objects/unicode_writer.c in some versions)`): within 60
/// characters after the name, in the same sentence. A file so named may be absent from the
/// version checked without the report being wrong.
fn only_in_some_versions(context: &str, name: &str) -> Option<&'static str> {
    const PHRASES: &[&str] = &[
        "in some versions",
        "in other versions",
        "in newer versions",
        "in later versions",
        "in recent versions",
        "in older versions",
        "in earlier versions",
        "in some releases",
        "in newer releases",
        "in older releases",
        "depending on the version",
    ];
    let at = context.find(name)? + name.len();
    let mut end = (at + 60).min(context.len());
    while !context.is_char_boundary(end) {
        end -= 1;
    }
    let after = context[at..end].to_ascii_lowercase();
    let after = after.split(['.', ';']).next().unwrap_or("");
    PHRASES.iter().copied().find(|p| after.contains(p))
}

/// A bare file name (`lib1940.c`) that the report also gives with its folders
/// (`tests/libtest/lib1940.c`): the same file, checked under that path.
fn full_path_in_report<'r>(report: &'r Report, bare: &str) -> Option<&'r Claim> {
    if bare.contains('/') {
        return None;
    }
    report.claims.iter().find(|c| c.kind == ClaimKind::File && c.text.contains('/') && c.text.rsplit('/').next() == Some(bare))
}

fn check_one(claim: &Claim, report: &Report, cx: &Context<'_>, view: &View) -> Result<ClaimResult, SourceError> {
    let snap = &view.snapshot;
    let at = &view.version.label;
    Ok(match claim.kind {
        ClaimKind::File => {
            let found = snap.find(&claim.text);
            let beside_runtime = if found.is_empty() { runtime_function_beside(claim, report) } else { None };
            match found.first() {
                Some(p) => {
                    let more = if found.len() > 1 { format!(" (and {} more)", found.len() - 1) } else { String::new() };
                    result(claim, Status::Confirmed, format!("{p} exists at {at}{more}"), loc(p, 1, None))
                }
                // gdb listing a source line it cannot open (`250\t./src/internal/atomic.h: No such
                // file or directory.`): the frame's file on the machine that crashed, often another
                // library's, not a claim that the project has it.
                None if gdb_missing_source(&claim.context) => result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {} at {at}; the debugger could not open it on the reporter's machine (a frame's source, not a claim about the project)", claim.text),
                    None,
                ),
                None if tool_source(&claim.text) => result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {} at {at}; a source file of the analysis tool or C library (valgrind, a sanitizer's runtime, libFuzzer, glibc), not the project's", claim.text),
                    None,
                ),
                None if system_header(&claim.text) => result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {} at {at}; a header of the C library or the system, not one the project has to have", claim.text),
                    None,
                ),
                // `chk_fail.c` given as the "source file" beside `__GI___chk_fail`: the C
                // library's file of the runtime function the crash ended in, not the project's.
                None if beside_runtime.is_some() => result(
                    claim,
                    Status::Unverifiable,
                    format!(
                        "no file {} at {at}; the report names it beside {}, a function of the C library or a sanitizer's runtime: that function's source, not the project's",
                        claim.text,
                        beside_runtime.as_deref().unwrap_or_default()
                    ),
                    None,
                ),
                None if reporter_kind_of_file(&claim.text) => result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {} at {at}; a script or data file named without a folder is likely the reporter's own", claim.text),
                    None,
                ),
                // `reports/F30_poc.sh`: a script under a folder the project does not have.
                None if claim.text.split_once('/').is_some_and(|(top, rest)| {
                    reporter_kind_of_file(rest.rsplit('/').next().unwrap_or(rest)) && !top.is_empty() && !snap.has_dir(top)
                }) =>
                {
                    result(
                        claim,
                        Status::Unverifiable,
                        format!("no file {} at {at}, and the project has no such folder: a script of the reporter's", claim.text),
                        None,
                    )
                }
                None if !crate::code::is_source_path(&claim.text) && !data_folder_exists(snap, &claim.text) => result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {} at {at}, and the project has no such folder: likely a file of the reporter's", claim.text),
                    None,
                ),
                None => {
                    let unverifiable = |why: String| result(claim, Status::Unverifiable, why, None);
                    if let Some(p) = same_but_case(&claim.text, snap) {
                        result(
                            claim,
                            Status::Confirmed,
                            format!("{p} exists at {at} (the report writes it {}: only the case differs)", claim.text),
                            loc(&p, 1, None),
                        )
                    } else if let Some(p) =
                        code::spelling_variants(claim.text.rsplit('/').next().unwrap_or(&claim.text)).into_iter().find_map(|v| {
                            let path = match claim.text.rsplit_once('/') {
                                Some((dir, _)) => format!("{dir}/{v}"),
                                None => v.clone(),
                            };
                            snap.find(&path).first().map(|p| p.to_string())
                        })
                    {
                        // `flac/analyse.c` for `src/flac/analyze.c`: the other spelling of English.
                        result(
                            claim,
                            Status::Confirmed,
                            format!("{p} exists at {at} (the report spells it {}: British and American spellings)", claim.text),
                            loc(&p, 1, None),
                        )
                    } else if let Some(p) = snap.find(&format!("{}.in", claim.text)).first() {
                        // `providers/.../x942kdf.c`, generated at build time from `x942kdf.c.in`.
                        result(
                            claim,
                            Status::Confirmed,
                            format!("{p} exists at {at}: the template the build generates {} from", claim.text),
                            loc(p, 1, None),
                        )
                    } else if reporters_own_file(&claim.text, report) {
                        unverifiable(format!(
                            "no file {} at {at}; the report builds, runs or attaches a file of that name: the reporter's own",
                            claim.text
                        ))
                    } else if let Some(p) = elsewhere(&claim.text, snap) {
                        unverifiable(format!(
                            "no file {} at {at}, but the project has {p} (another folder: moved, or a slip of the folder)",
                            claim.text
                        ))
                    } else if let Some(p) = plural_slip(&claim.text, snap) {
                        unverifiable(format!(
                            "no file {} at {at}, but the project has {p} beside it: the same name but for a plural s, likely a slip",
                            claim.text
                        ))
                    } else if let Some(p) = misspelt_named_file(claim, report, snap) {
                        unverifiable(format!(
                            "no file {} at {at}, but the report also names {p}, which exists and is one letter apart: likely a slip",
                            claim.text
                        ))
                    } else if let Some(p) = defining_file_slip(claim, report, snap)? {
                        unverifiable(format!(
                            "no file {} at {at}, but a function the report names beside it is defined in {p}, a name that close: likely a slip",
                            claim.text
                        ))
                    } else if machine_path_outside(&claim.text, snap, cx.project.name(cx.policy).as_deref()) {
                        unverifiable(format!(
                            "no file {} at {at}: a path of the reporter's machine that does not lead into the project",
                            claim.text
                        ))
                    } else if let Some(dir) = missing_folder(snap, &claim.text) {
                        unverifiable(format!("the tree checked has no {dir}/ folder at {at} (a partial source tree)"))
                    } else if let Some((build, line)) = named_by_build(snap, &claim.text)? {
                        unverifiable(format!(
                            "no file {} at {at}, but the build file {build}:{line} names it: the tree checked leaves it out (a partial tree), or the build generates it",
                            claim.text
                        ))
                    } else if let Some((dir, build, line)) = vendored_left_out(snap, &claim.text)? {
                        unverifiable(format!(
                            "no folder {dir}/ at {at}, but the build file {build}:{line} names it: a bundled library the tree checked leaves out (as repacked source tarballs do)"
                        ))
                    } else if let Some(why) = host_library(snap, &claim.text) {
                        unverifiable(format!("no file {} at {at}; {why}", claim.text))
                    } else if let Some(full) = full_path_in_report(report, &claim.text) {
                        unverifiable(format!(
                            "the report gives this file as {} (report line {}); it is checked under that path",
                            full.text, full.report_line
                        ))
                    } else if let Some(phrase) = only_in_some_versions(&claim.context, &claim.text) {
                        unverifiable(format!("no file {} at {at}; the report names it only as the file \"{phrase}\"", claim.text))
                    } else {
                        result(claim, Status::Contradicted, format!("no file {} at {at}", claim.text), None)
                    }
                }
            }
        }
        ClaimKind::Function => check_symbol(claim, report, cx, view, false)?,
        ClaimKind::Api => check_symbol(claim, report, cx, view, true)?,
        ClaimKind::Member => {
            let shown = claim.code.as_deref().unwrap_or(&claim.text);
            // Shown where the report looks: in a file it names (`rr->data` in the record code it
            // cites, not the first `->data` of the project).
            let named = claim
                .file
                .iter()
                .map(String::as_str)
                .chain(report.claims.iter().filter(|c| c.kind == ClaimKind::File && !c.negated).map(|c| c.text.as_str()));
            let mut seen_files: Vec<String> = Vec::new();
            for f in named {
                let Some(path) = view.snapshot.find(f.trim_start_matches('/')).first().map(|p| p.to_string()) else { continue };
                if seen_files.contains(&path) || seen_files.len() >= 5 {
                    continue;
                }
                seen_files.push(path.clone());
                if let Some((line, seen)) = member_use(view, &path, &claim.text, shown)? {
                    return Ok(result(
                        claim,
                        Status::Confirmed,
                        format!("the member {} of `{shown}` is used at {path}:{line}: {}", claim.text, clip(seen.trim())),
                        loc(&path, line, None),
                    ));
                }
            }
            let map = cx.project.members(view)?;
            // A member of another library's code: the sentence is about a function the project
            // calls but does not define (`Vgetname() performs an unbounded strcpy() from
            // vg->vgname`, Vgetname being HDF4's).
            let outside = if map.first.contains_key(&claim.text) { None } else { outside_subject(&claim.context, view)? };
            match map.first.get(&claim.text) {
                Some(&(f, line)) => {
                    let path = &map.paths[f as usize];
                    let seen = view
                        .snapshot
                        .read(path)?
                        .and_then(|t| t.lines().nth(line as usize - 1).map(|l| clip(l.trim())))
                        .unwrap_or_default();
                    result(
                        claim,
                        Status::Confirmed,
                        format!("the member {} of `{shown}` is used at {path}:{line}: {seen}", claim.text),
                        loc(path, line, None),
                    )
                }
                // `png_read_png->png_read_image->png_read_row`: a call chain written with arrows,
                // each name a function of the project, not a member access.
                None if call_chain(shown, view.snapshot.index()?) => result(
                    claim,
                    Status::Unverifiable,
                    format!("`{shown}` is a call chain of the project's functions written with arrows, not a member access"),
                    None,
                ),
                None if outside.is_some() => result(
                    claim,
                    Status::Unverifiable,
                    format!(
                        "no struct member named {} at {at}; the sentence is about {}(), which the project calls but does not define: another library's code",
                        claim.text,
                        outside.unwrap_or_default()
                    ),
                    None,
                ),
                None => result(
                    claim,
                    Status::Contradicted,
                    format!("no struct member named {} (as in `{shown}`) is used anywhere in the project at {at}", claim.text),
                    None,
                ),
            }
        }
        ClaimKind::Line => check_line(claim, report, cx, view)?,
        ClaimKind::Snippet => check_snippet(claim, report, cx, view)?,
        ClaimKind::Version => check_version(claim, cx, view)?,
        ClaimKind::Commit => match cx.project.git() {
            None => result(claim, Status::Unverifiable, "the project is a plain source tree without history".into(), None),
            Some(git) => match git.commit(&claim.text)? {
                Some(c) => result(claim, Status::Confirmed, format!("commit {} \"{}\"", short(&c.id), clip(&c.summary)), None),
                None if git.is_shallow()? => {
                    result(claim, Status::Unverifiable, format!("no commit {} in this shallow clone", claim.text), None)
                }
                None => {
                    // Commits of pull requests and forks are not in a clone of the project.
                    let lower = claim.context.to_ascii_lowercase();
                    if ["pull request", "pr #", "pull/", "fork", "branch", "my commit", "patch"].iter().any(|w| lower.contains(w)) {
                        result(
                            claim,
                            Status::Unverifiable,
                            format!("no commit {} in the repository (a pull request or fork commit?)", claim.text),
                            None,
                        )
                    } else {
                        result(claim, Status::Contradicted, format!("no commit {} in the repository", claim.text), None)
                    }
                }
            },
        },
        ClaimKind::Cve | ClaimKind::Ghsa => match cx.advisories {
            None => result(claim, Status::Unverifiable, "no advisory store given (--advisories)".into(), None),
            Some(adv) => match adv.get(&claim.text) {
                Some(d) => result(claim, Status::Confirmed, format!("published as {}: {}", d.id, clip(&d.title)), None),
                None => result(claim, Status::Unverifiable, "not in the advisory store".into(), None),
            },
        },
        ClaimKind::Cwe => result(claim, Status::Unverifiable, String::new(), None),
    })
}

/// The first line of code (not comment) in `path` that uses the struct member `member`
/// (`->member`, `.member`), preferring one with the report's whole expression (`rr->data`).
fn member_use(view: &View, path: &str, member: &str, expression: &str) -> Result<Option<(u32, String)>, SourceError> {
    let Some(text) = view.snapshot.read(path)? else { return Ok(None) };
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let code = |l: &&str| {
        let t = l.trim_start();
        !(t.starts_with('*') || t.starts_with("/*") || t.starts_with("//"))
    };
    let whole = compact(expression);
    if whole.len() > member.len() && (whole.contains("->") || whole.contains('.')) {
        for (n, l) in text.lines().enumerate().filter(|(_, l)| code(l)) {
            let c = compact(l);
            let b = c.as_bytes();
            if c.match_indices(&whole)
                .any(|(i, _)| (i == 0 || !ident(b[i - 1])) && (i + whole.len() == b.len() || !ident(b[i + whole.len()])))
            {
                return Ok(Some((n as u32 + 1, l.to_string())));
            }
        }
    }
    for (n, l) in text.lines().enumerate().filter(|(_, l)| code(l)) {
        for (i, _) in l.match_indices(member) {
            let b = l.as_bytes();
            let end = i + member.len();
            let accessed =
                l[..i].ends_with("->") || l[..i].ends_with('.') && i >= 2 && (ident(b[i - 2]) || matches!(b[i - 2], b')' | b']'));
            if accessed && (end == b.len() || !ident(b[end])) {
                return Ok(Some((n as u32 + 1, l.to_string())));
            }
        }
    }
    Ok(None)
}

pub(crate) fn bare_name(text: &str) -> &str {
    let t = text.trim().trim_end_matches("()").trim_end_matches('(');
    t.rsplit("::").next().unwrap_or(t).rsplit("->").next().unwrap_or(t).rsplit('.').next().unwrap_or(t)
}

fn check_symbol(claim: &Claim, report: &Report, cx: &Context<'_>, view: &View, api: bool) -> Result<ClaimResult, SourceError> {
    let name = bare_name(&claim.text);
    let at = &view.version.label;
    let index = view.snapshot.index()?;
    let defs = index.definitions(name);
    // A dependency's symbol that the project only renames or wraps in a macro (`#define SSL_free
    // SSL_FREE` in a platform header) is still the dependency's.
    if foreign_symbol(cx, name) && !defs.iter().any(|d| matches!(d.kind, DefKind::Function)) {
        return Ok(result(claim, Status::Unverifiable, "a dependency's symbol (policy dependency_prefixes); not checked".into(), None));
    }
    // A name defined in several files (`static int ui_read` in two of them) is shown where the
    // report places it: the claim's file, else a file its line names.
    let placed = |d: &&vouch_source::Def| {
        let base = d.path.rsplit('/').next().unwrap_or(&d.path);
        claim
            .file
            .as_deref()
            .map_or_else(|| claim.context.contains(&*d.path) || claim.context.contains(&format!("`{base}`")), |f| d.path.ends_with(f))
    };
    // The project's own definition before a bundled dependency's copy (`src/sdsalloc.h`, not
    // `deps/hiredis/sdsalloc.h`).
    let own = |d: &&vouch_source::Def| code::bundled_dependency(&d.path).is_none();
    let best = defs
        .iter()
        .find(|d| matches!(d.kind, DefKind::Function) && placed(d))
        .or_else(|| named_by_words(defs, report, &claim.context))
        .or_else(|| defs.iter().find(|d| matches!(d.kind, DefKind::Function) && own(d)))
        .or_else(|| defs.iter().find(|d| matches!(d.kind, DefKind::Function)))
        .or_else(|| defs.iter().find(|d| !matches!(d.kind, DefKind::FunctionDecl) && placed(d)))
        .or_else(|| defs.iter().find(|d| !matches!(d.kind, DefKind::FunctionDecl) && own(d)))
        .or_else(|| defs.iter().find(|d| !matches!(d.kind, DefKind::FunctionDecl)))
        .or_else(|| defs.first());
    if let Some(d) = best {
        let what = match d.kind {
            DefKind::Function => "defined",
            DefKind::FunctionDecl => "declared",
            DefKind::Macro => "defined as a macro",
            DefKind::Type => "defined as a type",
            DefKind::Variable => "defined as a variable",
            DefKind::EnumConstant => "defined as an enum constant",
        };
        let mut evidence = format!("{what} at {}:{}", d.path, d.line);
        if let Some(file) = claim.file.as_deref() {
            let files = view.snapshot.find(file);
            if !files.is_empty() && !defs.iter().any(|d| files.contains(&d.path.as_str())) {
                evidence.push_str(&format!(" (the report places it in {file})"));
            }
        }
        if let Some(text) = view.snapshot.read(&d.path)? {
            if let Some(l) = line_of(&text, d.line) {
                evidence.push_str(&format!(": {}", clip(l)));
            }
        }
        return Ok(result(claim, Status::Confirmed, evidence, loc(&d.path, d.line, None)));
    }
    if let Some((alias, p, l, d)) = macro_alias(index, &view.snapshot, name)? {
        let evidence = format!(
            "defined through the macro {alias} (`#define {alias} {name}` at {p}:{l}), whose definition is at {}:{}",
            d.path, d.line
        );
        return Ok(result(claim, Status::Confirmed, evidence, loc(&d.path, d.line, None)));
    }
    if index.mentioned(name) {
        let m = index.mentions(name);
        let (p, l) = m.first().cloned().unwrap_or_default();
        let why = if api { "declared or used by the project" } else { "used by the project but defined outside it (dependency or system)" };
        return Ok(if api {
            result(claim, Status::Confirmed, format!("{why}: {p}:{l}"), loc(&p, l, None))
        } else {
            result(claim, Status::Unverifiable, format!("{why}: {p}:{l}"), loc(&p, l, None))
        });
    }
    if LIBC.contains(&name) {
        return Ok(result(claim, Status::Unverifiable, "a C library function".into(), None));
    }
    if matches!(name, "LLVMFuzzerTestOneInput" | "LLVMFuzzerInitialize" | "LLVMFuzzerCustomMutator") {
        return Ok(result(
            claim,
            Status::Unverifiable,
            "the entry point libFuzzer calls, which every fuzz harness defines; the project has no harness defining it here (it may be the reporter's, or one of a fuzzing setup kept elsewhere)".into(),
            None,
        ));
    }
    if libc_internal(name) {
        return Ok(result(
            claim,
            Status::Unverifiable,
            "a function inside the C library (its allocator's checks, its abort path), as glibc names it in errors and backtraces".into(),
            None,
        ));
    }
    // The project's function under its namespace prefix (`wssl_ctx_init` for `Curl_wssl_ctx_init`).
    if let Some(project) = cx.project.name(cx.policy) {
        let lower = project.to_ascii_lowercase();
        let mut cap = lower.clone();
        if let Some(f) = cap.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        for variant in [format!("{cap}_{name}"), format!("{lower}_{name}"), format!("{lower}x_{name}")] {
            if let Some(r) = defined_with_prefix(claim, index, &variant) {
                return Ok(r);
            }
        }
    }
    // A library's function with its prefix left out (`CTX_get_cert_store` for the
    // `wolfSSL_CTX_get_cert_store` the project calls), or the project's own under another prefix.
    if !api && name.contains('_') && name.len() >= 8 {
        let full: Vec<&str> = index.with_prefix_dropped(name).iter().take(3).map(|f| &**f).collect();
        if let Some(&f) = full.first() {
            if let Some(r) = defined_with_prefix(claim, index, f) {
                return Ok(r);
            }
            let (p, l) = index.mentions(f).first().cloned().unwrap_or_default();
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("the project uses {} at {p}:{l}, defined outside it (the report leaves out its prefix)", full.join(", ")),
                loc(&p, l, None),
            ));
        }
    }
    if let Some(r) = with_neighbours_prefix(claim, report, index, name) {
        return Ok(r);
    }
    if let Some(r) = pasted_variant(claim, index, view, name)? {
        return Ok(r);
    }
    if let Some((call, p, l, d)) = pasted_by_macro(index, &view.snapshot, name)? {
        let evidence = format!("made by the macro {} (defined at {}:{}) from `{call}` at {p}:{l}", d.name, d.path, d.line);
        let mut r = result(claim, Status::Confirmed, evidence, loc(&p, l, None));
        r.weight = r.weight.min(0.2);
        return Ok(r);
    }
    // The same function written another way: without the trailing underscore some projects give
    // their static functions (`evaluate_lpc_subframe` for `evaluate_lpc_subframe_`), in the
    // other spelling of English (`flac__analyse_frame` for `flac__analyze_frame`), or with a
    // word the project shortens written out (`http_rw_headers` for `http_rw_hd`).
    if !api && name.len() >= 6 {
        let variants = std::iter::once(format!("{name}_")).chain(code::spelling_variants(name)).chain(code::abbreviation_variants(name));
        for v in variants {
            if let Some(d) = index.definitions(&v).iter().find(|d| matches!(d.kind, DefKind::Function)) {
                let evidence = format!("the project's {v} is defined at {}:{} (the report writes it {name})", d.path, d.line);
                let mut r = result(claim, Status::Confirmed, evidence, loc(&d.path, d.line, None));
                r.weight = r.weight.min(0.2);
                return Ok(r);
            }
        }
    }
    // A constant of the build system (a CMake option, a configure variable).
    if api && name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_') {
        if let Some((path, line, code)) = build_mention(&view.snapshot, name)? {
            return Ok(result(
                claim,
                Status::Confirmed,
                format!("used by the build files at {path}:{line}: {}", clip(&code)),
                loc(&path, line, None),
            ));
        }
    }
    // A function of the project's scripts (shell, Perl, Python, ...), which the C index does not cover.
    if let Some((path, line, code)) = script_definition(&view.snapshot, name)? {
        return Ok(result(
            claim,
            Status::Confirmed,
            format!("defined in the script {path}:{line}: {}", clip(&code)),
            loc(&path, line, None),
        ));
    }
    if foreign_symbol(cx, name) {
        return Ok(result(claim, Status::Unverifiable, "a dependency's symbol (policy dependency_prefixes); not checked".into(), None));
    }
    // `curl_easy_foo`, and in capitals the project's constant namespaces (`CURLOPT_FOO`, `CURLE_X`).
    let named_prefix = project_prefixed(name, cx);
    // A trace frame that names no project file: the runtime or another library.
    if claim.origin == Origin::Trace && claim.file.as_deref().is_none_or(|f| view.snapshot.find(f).is_empty()) {
        return Ok(result(claim, Status::Unverifiable, "a frame outside the project (the runtime or another library)".into(), None));
    }
    if api && !named_prefix && !shares_project_prefix(name, index) {
        return Ok(result(claim, Status::Unverifiable, "not project API (another library or the reporter's own code)".into(), None));
    }
    // `url_easy_setopt` for `curl_easy_setopt`: a name missing its first letter is a slip.
    if name.len() >= 6 {
        if let Some(full) = (b'a'..=b'z').map(|c| format!("{}{name}", c as char)).find(|f| index.mentioned(f)) {
            return Ok(result(claim, Status::Unverifiable, format!("not in the project; {full} is (a slip of the first letter?)"), None));
        }
    }
    // `http_uri_canofify` in a report whose title names `http_uri_canonify()`: a slip of the
    // pen over a name the report itself gets right.
    if let Some(right) = slip_of(name, &report_names(report), index) {
        return Ok(result(
            claim,
            Status::Unverifiable,
            format!("not in the project; the report also names {right}, which is (a typo?)"),
            None,
        ));
    }
    // `mbedtls_mpi_mod_exp` for `mbedtls_mpi_exp_mod`: the same words in another order.
    if let Some(right) = reordered(name, index) {
        return Ok(result(
            claim,
            Status::Unverifiable,
            format!("not in the project; {right}, the same words in another order, is (a slip of the word order?)"),
            None,
        ));
    }
    // `me \*bug=>*\ mset(` in a quoted line: the reporter's marker inside `memset`.
    if let Some(whole) = split_by_marker(&claim.context, name, index) {
        return Ok(result(
            claim,
            Status::Unverifiable,
            format!("part of {whole}, split by the reporter's marker in the quoted line"),
            None,
        ));
    }
    // `_add_crl()` in "`..._builder_new()`, then `_add_crl()`": the tail of a longer name.
    if let Some(long) = fragment_of(name, &claim.context) {
        return Ok(result(claim, Status::Unverifiable, format!("the end of a longer name (as after {long}), not a name of its own"), None));
    }
    // Placed in a file under a folder the checked tree leaves out (`tests/` of a release
    // tarball or a vendored copy): the tree cannot say.
    let placed_in = claim.file.clone().into_iter().chain(path_next_to(&claim.context, name));
    for path in placed_in.filter(|p| p.contains('/') && code::is_source_path(p)) {
        if let Some(why) = outside_tree(&view.snapshot, &path)? {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("not in the tree checked: {why} at {at}; the report places it in {path}"),
                None,
            ));
        }
    }
    let mut r = result(claim, Status::Contradicted, format!("no definition or use of {name} anywhere in the project at {at}"), None);
    r.namespaced = named_prefix && !api;
    Ok(r)
}

/// A function the project defines under a macro's name: `#define H5O_SHARED_DECODE
/// H5O__attr_shared_decode` before including a template whose function is
/// `H5O_SHARED_DECODE(H5F_t *f, ...)`. Returns the macro, where it is given the name, and the
/// macro's function definition.
/// Of several function definitions of one name in different files (`LoadMetadata` in a dozen
/// drivers), the one whose path the report's title or the claim's sentence names by a word
/// (`GDAL BAG driver` for `frmts/hdf5/bagdataset.cpp`), when exactly one is named most.
fn named_by_words<'d>(defs: &'d [vouch_source::Def], report: &Report, context: &str) -> Option<&'d vouch_source::Def> {
    let functions: Vec<&vouch_source::Def> = defs.iter().filter(|d| matches!(d.kind, DefKind::Function)).collect();
    if functions.len() < 2 || functions.iter().all(|d| d.path == functions[0].path) {
        return None;
    }
    const GENERIC: &[&str] = &["src", "lib", "source", "include", "common", "main", "util", "utils", "core", "the", "and", "for"];
    let text = format!("{} {context}", report.title.as_deref().unwrap_or_default()).to_ascii_lowercase();
    let words: Vec<&str> = text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 3 && !GENERIC.contains(w)).collect();
    let named = |d: &vouch_source::Def| {
        let path = d.path.to_ascii_lowercase();
        let stem = path.rsplit_once('.').map_or(path.as_str(), |(s, _)| s);
        stem.split(['/', '_', '-', '.'])
            .filter(|c| c.len() >= 3 && !GENERIC.contains(c))
            .filter(|c| words.iter().any(|w| c.starts_with(w) || w == c))
            .count()
    };
    let mut scored: Vec<(usize, &vouch_source::Def)> = functions.iter().map(|d| (named(d), *d)).collect();
    scored.sort_by_key(|b| std::cmp::Reverse(b.0));
    match scored.as_slice() {
        [(n, d), (m, _), ..] if *n > 0 && n > m => Some(d),
        _ => None,
    }
}

fn macro_alias(
    index: &vouch_source::CodeIndex,
    snap: &vouch_source::Snapshot,
    name: &str,
) -> Result<Option<(String, String, u32, vouch_source::Def)>, SourceError> {
    for (p, l) in index.mentions(name).into_iter().take(20) {
        let Some(text) = snap.read(&p)? else { continue };
        let Some(line) = code::line_of(&text, l) else { continue };
        let Some(rest) = line.trim_start().strip_prefix('#') else { continue };
        let Some(rest) = rest.trim_start().strip_prefix("define") else { continue };
        let mut toks = rest.split_whitespace();
        let (Some(alias), Some(value)) = (toks.next(), toks.next()) else { continue };
        if value != name || toks.next().is_some_and(|t| !t.starts_with("/*") && !t.starts_with("//")) || alias.contains('(') {
            continue;
        }
        if let Some(d) = index.definitions(alias).iter().find(|d| matches!(d.kind, DefKind::Function)) {
            return Ok(Some((alias.to_string(), p.clone(), l, d.clone())));
        }
    }
    Ok(None)
}

/// A function a macro makes by pasting a prefix onto its argument: `LJLIB_CF(string_format)`
/// with `#define LJLIB_CF(name) static int lj_cf_##name(lua_State *L)` defines
/// `lj_cf_string_format`, a name no file spells out. Returns the invocation, where it is, and
/// the macro's definition.
fn pasted_by_macro(
    index: &vouch_source::CodeIndex,
    snap: &vouch_source::Snapshot,
    name: &str,
) -> Result<Option<(String, String, u32, vouch_source::Def)>, SourceError> {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for (i, _) in name.match_indices('_') {
        let (prefix, arg) = name.split_at(i + 1);
        if prefix.len() < 3 || arg.len() < 3 || !index.mentioned(arg) {
            continue;
        }
        for (p, l) in index.mentions(arg).into_iter().take(20) {
            let Some(text) = snap.read(&p)? else { continue };
            let Some(line) = code::line_of(&text, l) else { continue };
            for (pos, _) in line.match_indices(arg) {
                let after = line[pos + arg.len()..].trim_start();
                if !(after.starts_with(')') || after.starts_with(',')) {
                    continue;
                }
                let Some(before) = line[..pos].trim_end().strip_suffix('(') else { continue };
                let before = before.trim_end();
                let mac = &before[before.rfind(|c: char| !ident(c)).map_or(0, |k| k + 1)..];
                if mac.is_empty() {
                    continue;
                }
                for d in index.definitions(mac).iter().filter(|d| matches!(d.kind, DefKind::Macro)) {
                    let Some(def_text) = snap.read(&d.path)? else { continue };
                    let body: String = (d.line..d.line + 4).filter_map(|n| code::line_of(&def_text, n)).collect::<Vec<_>>().join(" ");
                    let compact: String = body.split("##").map(str::trim).collect::<Vec<_>>().join("##");
                    let Some(params) = compact.split_once(&format!("{mac}(")).and_then(|(_, r)| r.split_once(')')).map(|(ps, _)| ps) else {
                        continue;
                    };
                    let pasted = params.split(',').map(str::trim).filter(|q| !q.is_empty()).any(|q| {
                        compact.match_indices(&format!("{prefix}##{q}")).any(|(k, _)| {
                            let end = k + prefix.len() + 2 + q.len();
                            !compact[..k].ends_with(ident) && !compact[end..].starts_with(ident)
                        })
                    });
                    if pasted {
                        return Ok(Some((format!("{mac}({arg})"), p.clone(), l, d.clone())));
                    }
                }
            }
        }
    }
    Ok(None)
}

/// A name the project makes by pasting a code-unit width onto one of its macros
/// (`pcre2_compile_8` and `PCRE2_SPTR8` from PCRE2's `#define pcre2_compile
/// PCRE2_SUFFIX(pcre2_compile_)` and `#define PCRE2_SPTR PCRE2_SUFFIX(PCRE2_SPTR)`): the name is in
/// no file, but the macro that yields it is the project's. Confirmed, weakly.
fn pasted_variant(claim: &Claim, index: &vouch_source::CodeIndex, view: &View, name: &str) -> Result<Option<ClaimResult>, SourceError> {
    for width in ["32", "16", "8"] {
        let Some(stem) = name.strip_suffix(width) else { continue };
        let base = stem.trim_end_matches('_');
        if base.len() < 4 {
            continue;
        }
        for d in index.definitions(base).iter().filter(|d| matches!(d.kind, DefKind::Macro)) {
            let Some(text) = view.snapshot.read(&d.path)? else { continue };
            let Some(line) = line_of(&text, d.line) else { continue };
            // The macro hands the stem to another macro that pastes the width on.
            let body = line.split_once(base).map_or("", |(_, rest)| rest);
            if body.contains(&format!("({stem})")) || body.contains(&format!("({base})")) || body.contains(&format!("({base}_)")) {
                let evidence = format!(
                    "made by the project's macro {base} (defined at {}:{}: {}), which pastes a width onto {stem}",
                    d.path,
                    d.line,
                    clip(line)
                );
                let mut r = result(claim, Status::Confirmed, evidence, loc(&d.path, d.line, None));
                r.weight = r.weight.min(0.2);
                return Ok(Some(r));
            }
        }
    }
    Ok(None)
}

/// Whether `context` calls `name` with arguments (`mb_eregi(".+I", s)`), not just names it (`name()`).
fn called_with_arguments(context: &str, name: &str) -> bool {
    context.match_indices(&format!("{name}(")).any(|(i, _)| {
        let before_ok = context[..i].chars().next_back().is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'));
        let rest = context[i + name.len() + 1..].trim_start();
        before_ok && !rest.is_empty() && !rest.starts_with(')')
    })
}

/// A source file of another program in the report's stack traces (`ext/mbstring/php_mbregex.c`
/// of the PHP interpreter that runs the library): a frame with a C-family source file that the
/// project does not have and that is no sanitizer or C library runtime file.
fn host_program_file(report: &Report, view: &View) -> Option<String> {
    report.traces.iter().flat_map(|t| &t.frames).filter_map(|f| f.file.as_deref()).find_map(|file| {
        let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let runtime =
            ["asan_", "sanitizer_", "ubsan_", "lsan_", "msan_", "tsan_", "libc", "libfuzzer", "fuzzer"].iter().any(|p| base.starts_with(p))
                || file.contains("/compiler-rt/")
                || file.contains("/glibc")
                || file.contains("/csu/")
                || file.starts_with("/usr/");
        (code::is_source_path(base) && !runtime && view.snapshot.find(base).is_empty()).then(|| base.to_string())
    })
}

/// A path written right next to `name` in `context` ("`foo()` in `tests/x.c`", "foo(),
/// tests/x.c", "In tests/x.c, foo()"): at most two words such as "in" or "at" between them.
fn path_next_to(context: &str, name: &str) -> Option<String> {
    let words: Vec<&str> = context.split_whitespace().collect();
    let bare = |w: &str| w.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '/' | '.' | '-')).collect::<String>();
    let at = words.iter().position(|w| bare(w).trim_end_matches('.') == name)?;
    let filler = |w: &str| matches!(bare(w).to_ascii_lowercase().as_str(), "" | "in" | "at" | "of" | "from" | "file" | "function");
    let as_path = |w: &str| {
        let b = bare(w);
        let b = b.trim_end_matches('.');
        (b.contains('/') && b.contains('.')).then(|| b.to_string())
    };
    let after: Vec<&str> = words[at + 1..].iter().take(3).copied().collect();
    let before: Vec<&str> = words[..at].iter().rev().take(3).copied().collect();
    for side in [after, before] {
        for w in side {
            if let Some(p) = as_path(w) {
                return Some(p);
            }
            if !filler(w) {
                break;
            }
        }
    }
    None
}

/// For a name starting with one underscore (`_add_crl`), a longer name with underscores in the
/// same sentence that it abbreviates the tail of: prose writes a family of functions as
/// "`foo_builder_new()`, then `_add_crl()`, then `_build()`".
fn fragment_of(name: &str, context: &str) -> Option<String> {
    let rest = name.strip_prefix('_')?;
    if !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return None;
    }
    context
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.len() >= rest.len() + 6 && w.contains('_') && !w.starts_with('_') && *w != name)
        .map(String::from)
}

/// Whether `name` is a dependency's symbol: it starts with one of the policy's dependency
/// prefixes, and that prefix is not the project's own name (the default list names curl's
/// dependencies; in c-ares `ares_` and in libssh2 `libssh2_` are the project's namespace).
fn foreign_symbol(cx: &Context<'_>, name: &str) -> bool {
    let project = cx.project.name(cx.policy);
    cx.policy.dependency_prefix(name).is_some_and(|p| !project.as_deref().is_some_and(|n| names_prefix(n, p)))
}

/// Whether the project called `project` owns the symbol prefix `prefix`: the prefix, without its
/// underscore and case, is the project's name or its end (`ares_` of c-ares, `libssh2_`).
pub(crate) fn names_prefix(project: &str, prefix: &str) -> bool {
    let p = prefix.trim_end_matches('_').to_ascii_lowercase();
    let n: String = project.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    p.len() >= 3 && (n == p || n.ends_with(&p) || format!("lib{n}") == p || n == format!("lib{p}"))
}

/// Whether `name` looks like the project's own API: its prefix (`curl_` of `curl_easy_foo`)
/// starts at least three functions the project defines.
/// Whether a name is under the project's own prefix: `curl_` or `Curl_` for curl, `CURL_X` in
/// upper case.
fn project_prefixed(name: &str, cx: &Context<'_>) -> bool {
    cx.project.name(cx.policy).is_some_and(|p| {
        let lower = name.to_ascii_lowercase();
        let upper_case = name.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
        lower.strip_prefix(p.as_str()).is_some_and(|rest| rest.starts_with('_') || upper_case && rest.contains('_'))
    })
}

fn shares_project_prefix(name: &str, index: &vouch_source::CodeIndex) -> bool {
    let Some((prefix, _)) = name.split_once('_') else {
        return false;
    };
    if prefix.len() < 2 {
        return false;
    }
    index.functions_with_prefix(&format!("{prefix}_"), 3) >= 3
}

/// A path as the report writes it, without the quotes, brackets and punctuation around it and with
/// `/` for `\`.
fn cited_path(cited: &str) -> String {
    cited.trim().trim_matches(|ch: char| matches!(ch, '`' | '"' | '\'' | '(' | ')' | '<' | '>' | ',')).replace('\\', "/")
}

/// The one file of the project whose path, or name for a bare name, equals `cited` but for case
/// (`Tool_operate.c` at the start of a sentence for `src/tool_operate.c`).
fn same_but_case(cited: &str, snap: &vouch_source::Snapshot) -> Option<String> {
    let c = cited_path(cited).to_ascii_lowercase();
    let c = c.trim_start_matches("./");
    if c.is_empty() || c == cited.trim() {
        // Already lower case: `find` has looked for it.
        return None;
    }
    let found: Vec<&str> = snap
        .paths()
        .filter(|p| {
            let lower = p.to_ascii_lowercase();
            lower == c || !c.contains('/') && lower.rsplit('/').next() == Some(c)
        })
        .collect();
    (found.len() == 1).then(|| found[0].to_string())
}

/// For a cited path with a folder that the project does not have, the one file of the project
/// with the same name in another folder (`lib/vtls/hostcheck.c` for `lib/hostcheck.c`).
fn elsewhere(cited: &str, snap: &vouch_source::Snapshot) -> Option<String> {
    let c = cited_path(cited);
    let (_, base) = c.rsplit_once('/')?;
    if !crate::code::is_source_path(base) {
        return None;
    }
    let found = snap.find(base);
    (found.len() == 1).then(|| found[0].to_string())
}

/// The project's file the cited one names but for a plural s before the extension
/// (`src/utils.c` for `src/util.c`, `lib/string.c` for `lib/strings.c`), in the same folder.
fn plural_slip(cited: &str, snap: &vouch_source::Snapshot) -> Option<String> {
    let c = cited_path(cited);
    let (dir, base) = c.rsplit_once('/').unwrap_or(("", c.as_str()));
    if !crate::code::is_source_path(base) {
        return None;
    }
    let (stem, ext) = base.rsplit_once('.')?;
    let other = match stem.strip_suffix('s') {
        Some(single) if single.len() >= 3 => format!("{single}.{ext}"),
        _ if stem.len() >= 3 => format!("{stem}s.{ext}"),
        _ => return None,
    };
    let path = if dir.is_empty() { other } else { format!("{dir}/{other}") };
    let found = snap.find(&path);
    (found.len() == 1).then(|| found[0].to_string())
}

/// A file the report names elsewhere, which the project has, whose name differs from the cited
/// one by a single letter added, dropped or changed (`huffmanc.c` in a title over a text about
/// `huffman.c`): the same file, mistyped once. Two such names in one line are two files the
/// report tells apart (`parse()` in `lib/parse.c` runs; `lib/parser.c` is the culprit).
fn misspelt_named_file(claim: &Claim, report: &Report, snap: &vouch_source::Snapshot) -> Option<String> {
    let cited = claim.text.as_str();
    let c = cited_path(cited);
    let base = c.rsplit('/').next().unwrap_or(&c).to_string();
    if base.len() < 5 || !crate::code::is_source_path(&base) {
        return None;
    }
    let same_line =
        |o: &Claim| report.claims.iter().any(|c| c.kind == ClaimKind::File && c.text == cited && c.report_line == o.report_line);
    report.claims.iter().filter(|o| o.kind == ClaimKind::File && !o.negated && !same_line(o)).find_map(|o| {
        let other = cited_path(&o.text);
        let other_base = other.rsplit('/').next().unwrap_or(&other);
        (other_base != base && one_edit_apart(&base, other_base)).then(|| snap.find(&other).first().map(|p| p.to_string())).flatten()
    })
}

/// The file defining a function the report names on the cited file's line, when that file's
/// name is the cited one mistyped (`raster-interpreter.c: Fix crash in scan_ps()`, scan_ps being
/// defined in `cups/raster-interpret.c`): one letter apart, or one stem a few letters longer than
/// the other, with the same extension; not when the report names that file as well.
fn defining_file_slip(claim: &Claim, report: &Report, snap: &vouch_source::Snapshot) -> Result<Option<String>, SourceError> {
    let c = cited_path(&claim.text);
    let base = c.rsplit('/').next().unwrap_or(&c).to_string();
    if base.len() < 5 || !crate::code::is_source_path(&base) {
        return Ok(None);
    }
    let beside: Vec<&Claim> = report
        .claims
        .iter()
        .filter(|o| matches!(o.kind, ClaimKind::Function | ClaimKind::Api) && !o.negated && o.report_line == claim.report_line)
        .collect();
    if beside.is_empty() {
        return Ok(None);
    }
    let index = snap.index()?;
    for o in beside {
        for d in index.definitions(&o.text).iter().filter(|d| matches!(d.kind, DefKind::Function)) {
            let defined = d.path.rsplit('/').next().unwrap_or(&d.path);
            // The report naming that file too tells the two apart (`parse()` in `lib/parse.c`
            // runs; `lib/parser.c` is the culprit).
            let named = report
                .claims
                .iter()
                .any(|f| f.kind == ClaimKind::File && cited_path(&f.text).rsplit('/').next().is_some_and(|b| b == defined));
            if defined != base && !named && close_file_names(&base, defined) {
                return Ok(Some(d.path.clone()));
            }
        }
    }
    Ok(None)
}

/// Whether two file names with the same extension have stems one letter apart, or one stem (at
/// least five letters) the other's with up to three letters added (`interpret`, `interpreter`).
fn close_file_names(a: &str, b: &str) -> bool {
    let (Some((sa, ea)), Some((sb, eb))) = (a.rsplit_once('.'), b.rsplit_once('.')) else { return false };
    if ea != eb {
        return false;
    }
    let (short, long) = if sa.len() <= sb.len() { (sa, sb) } else { (sb, sa) };
    one_edit_apart(sa, sb) || short.len() >= 5 && long.starts_with(short) && long.len() - short.len() <= 3
}

/// Whether two names differ by exactly one character inserted, deleted or replaced.
fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        short[prefix + 1..] == long[prefix + 1..]
    } else {
        short[prefix..] == long[prefix + 1..]
    }
}

/// Whether `cited` is an absolute path of the reporter's machine that does not lead into the
/// project: a file of another checkout (`/src/curl_fuzzer/curl_fuzzer.cc` in an OSS-Fuzz trace), a
/// PoC under /tmp. One whose folders name the project followed by one of its folders
/// (`/home/me/curl/lib/x.c`) still claims a file of the project.
fn machine_path_outside(cited: &str, snap: &vouch_source::Snapshot, project: Option<&str>) -> bool {
    let c = cited_path(cited);
    // `../librz/analysis/op.c` in a sanitizer line of another project's build: up out of the
    // build folder into a folder the project does not have.
    if c.starts_with("../") {
        let mut rest = c.as_str();
        while let Some(r) = rest.strip_prefix("../") {
            rest = r;
        }
        return rest.split_once('/').is_some_and(|(top, _)| !top.is_empty() && top != "." && !snap.has_dir(top));
    }
    let absolute = c.starts_with('/') || c.as_bytes().get(1) == Some(&b':') && c.as_bytes().get(2) == Some(&b'/');
    if !absolute {
        return false;
    }
    let parts: Vec<&str> = c.split('/').filter(|p| !p.is_empty()).collect();
    project.is_none_or(|name| !parts.windows(2).any(|w| w[0].eq_ignore_ascii_case(name) && snap.has_dir(w[1])))
}

/// The file a line claim cites: its own, else the part of `path:N` before the number.
/// Whether the file a line claim cites has, at `view`, at least as many lines as the line cited.
fn file_reaches(claim: &Claim, view: &View) -> Result<bool, SourceError> {
    let (Some((start, _)), Some(path)) = (claim.lines, view.snapshot.find(&line_file(claim)).first().map(|p| p.to_string())) else {
        return Ok(false);
    };
    reaches_line(view, &path, start)
}

/// Whether the file at `path` has at least `line` lines at `view`.
pub(crate) fn reaches_line(view: &View, path: &str, line: u32) -> Result<bool, SourceError> {
    Ok(view.snapshot.read(path)?.is_some_and(|t| t.lines().count() as u32 >= line))
}

/// Marks the evidence of a line claim past the end of its file.
const PAST_END: &str = ", fewer than the line cited,";

fn line_file(claim: &Claim) -> String {
    claim.file.clone().unwrap_or_else(|| claim.text.rsplit_once(':').map(|(f, _)| f.to_string()).unwrap_or_default())
}

/// The file a line claim means among those its name may stand for (`config.c`: the library's, an
/// example's, a test's): the first whose cited line lies in a function the report names beside
/// it, else the first long enough to have the line, else the first.
fn line_path(paths: &[&str], claim: &Claim, report: &Report, start: u32, view: &View) -> Result<Option<String>, SourceError> {
    if paths.len() < 2 {
        return Ok(paths.first().map(|s| s.to_string()));
    }
    let named = named_functions(claim, report);
    let index = view.snapshot.index()?;
    let mut best: Option<(u8, &str)> = None;
    for p in paths.iter().take(20) {
        let Some(text) = view.snapshot.read(p)? else { continue };
        let fits = start as usize <= text.lines().count();
        let in_named = fits && index.file(p).and_then(|f| f.function_at(start)).is_some_and(|f| named.contains(&f.name));
        let rank = u8::from(fits) + u8::from(in_named);
        if best.is_none_or(|(r, _)| rank > r) {
            best = Some((rank, p));
        }
        if in_named {
            break;
        }
    }
    Ok(best.map(|(_, p)| p.to_string()).or_else(|| paths.first().map(|s| s.to_string())))
}

fn check_line(claim: &Claim, report: &Report, cx: &Context<'_>, view: &View) -> Result<ClaimResult, SourceError> {
    let at = &view.version.label;
    let Some((start, end)) = claim.lines else {
        return Ok(result(claim, Status::Unverifiable, "no line number".into(), None));
    };
    let file = line_file(claim);
    let paths = view.snapshot.find(&file);
    let Some(path) = line_path(&paths, claim, report, start, view)? else {
        // A trace frame naming a bare file the project lacks (`ns_name.c:160` in a Helgrind
        // report): the C library's or another library's source.
        if claim.origin == Origin::Trace && !file.contains('/') && !file.contains('\\') {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("no file {file} at {at}: a frame in another library's source (the trace's runtime)"),
                None,
            ));
        }
        if machine_path_outside(&file, &view.snapshot, cx.project.name(cx.policy).as_deref()) {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("no file {file} at {at}: a path of the reporter's machine that does not lead into the project"),
                None,
            ));
        }
        // A line of a file the file check takes for the analysis tool's or the C library's
        // (`strtol_l.c:291` beside the project's `portmap.c:112`).
        if tool_source(&file) {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("no file {file} at {at}; a source file of the analysis tool or C library, not the project's"),
                None,
            ));
        }
        // A frame of a function the project neither defines nor uses, under no prefix of the
        // project's (`a_crash () at ./src/internal/atomic.h:250`, musl's): the runtime's source,
        // whatever its folders.
        if claim.origin == Origin::Trace {
            let frame = report
                .traces
                .iter()
                .flat_map(|t| t.frames.iter())
                .find(|fr| fr.file.as_deref() == Some(file.as_str()) && fr.line == Some(start) && !fr.function.is_empty());
            if let Some(f) = frame.map(|fr| fr.function.as_str()).filter(|f| {
                let index = view.snapshot.index().ok();
                index.is_some_and(|i| i.definitions(f).is_empty() && !i.mentioned(f) && !shares_project_prefix(f, i))
                    && !project_prefixed(f, cx)
            }) {
                return Ok(result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {file} at {at}: the frame is in {f}(), which the project neither defines nor calls (the trace's runtime or another library)"),
                    None,
                ));
            }
        }
        if let Some(dir) = missing_folder(&view.snapshot, &file) {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("the tree checked has no {dir}/ folder at {at} (a partial source tree)"),
                None,
            ));
        }
        if let Some((build, line)) = named_by_build(&view.snapshot, &file)? {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("no file {file} at {at}, but the build file {build}:{line} names it: the tree checked leaves it out (a partial tree), or the build generates it"),
                None,
            ));
        }
        // The file under another folder (`src/linux/Panel.c` for `Panel.c`): the file claim itself
        // is a slip of the folder, so its lines are not held against the report either.
        if file.contains('/') {
            if let Some(p) = elsewhere(&file, &view.snapshot) {
                return Ok(result(
                    claim,
                    Status::Unverifiable,
                    format!("no file {file} at {at}, but the project has {p} (another folder: moved, or a slip of the folder); its lines are not checked"),
                    None,
                ));
            }
        }
        return Ok(result(claim, Status::Contradicted, format!("no file {file} at {at}"), None));
    };
    let Some(text) = view.snapshot.read(&path)? else {
        return Ok(result(claim, Status::Unverifiable, format!("{path} could not be read (binary or too large)"), None));
    };
    let count = text.lines().count() as u32;
    if start > count {
        return Ok(result(
            claim,
            Status::Contradicted,
            format!("{path} has only {count} lines{PAST_END} at {at}"),
            loc(&path, count, None),
        ));
    }
    let shown = line_of(&text, start).unwrap_or("");
    let fl = FileLines::new(&text);
    // The code the report shows for these lines, if any: where the file has it.
    if let Some(code) = claim.code.as_deref() {
        // Inline code of a sentence (`lib/x.c:836` checks `if(ISSLASH(*input))`) is a fragment
        // of a line, looked for as part of one; a quoted block is matched line by line.
        let fragment = claim.origin == Origin::Prose && !code.contains('\n');
        let found: Option<Option<(u32, u32)>> = if fragment {
            let frag = code::normalise(code);
            // `f(..., 0)`: what the report elided is not compared; what comes before it is.
            let frag = frag.split(['…']).next().unwrap_or("").split("...").next().unwrap_or("");
            let frag = frag.trim_end_matches([';', '{']);
            (frag.len() >= 6).then(|| {
                let hits = fl.lines.iter().enumerate().filter(|(_, l)| l.contains(frag)).map(|(i, _)| i as u32 + 1);
                hits.min_by_key(|&n| (n as i64 - start as i64).unsigned_abs()).map(|n| (n, n))
            })
        } else {
            let ex = excerpt_lines(code);
            (!ex.is_empty()).then(|| {
                let m = match_lines(&ex, &fl);
                (m.fraction() >= 0.5).then(|| m.span().unwrap_or((start, start)))
            })
        };
        match found {
            Some(Some((a, b))) => {
                let drift = (a as i64 - start as i64).abs();
                return Ok(if drift <= 25 || (a <= end && b >= start) {
                    let evidence = if (a..=b).contains(&start) {
                        let span = if a == b { String::new() } else { format!(" (the code shown is at lines {a}-{b})") };
                        format!("{path}:{start}: {}{span}", clip(shown))
                    } else {
                        format!(
                            "{path}:{a}: {} (the report cites line {start}; the code has moved by {drift} lines)",
                            clip(line_of(&text, a).unwrap_or(""))
                        )
                    };
                    result(claim, Status::Confirmed, evidence, loc(&path, a, Some(b)))
                } else {
                    // The code is in the file, elsewhere: line numbers of another build or commit.
                    result(
                        claim,
                        Status::Unverifiable,
                        format!(
                            "the code shown is at {path}:{a}, not at line {start} (which holds `{}`): line numbers of another build or commit?",
                            clip(shown)
                        ),
                        loc(&path, a, Some(b)),
                    )
                });
            }
            Some(None) => {
                let what =
                    if fragment { format!("`{}`, which the report shows for it,", clip(code)) } else { "the code the report shows".into() };
                return Ok(result(
                    claim,
                    Status::Contradicted,
                    format!("{path}:{start} holds `{}`; {what} is nowhere in the file", clip(shown)),
                    loc(&path, start, None),
                ));
            }
            None => {}
        }
    }
    // Otherwise: functions named next to the citation must be at or near the line.
    let named = named_functions(claim, report);
    if named.is_empty() {
        // The line exists; with nothing to compare it with, that is barely evidence.
        let mut r = result(claim, Status::Confirmed, format!("{path}:{start}: {}", clip(shown)), loc(&path, start, Some(end)));
        r.weight = r.weight.min(0.05);
        return Ok(r);
    }
    let index = view.snapshot.index()?;
    let around = index.file(&path).and_then(|f| f.function_at(start));
    let span = around.map(|f| (f.start_line, f.end_line));
    let container = around.map(|f| f.name.clone());
    let lo = start.saturating_sub(15).max(1);
    let hi = (end + 15).min(count);
    let frame = claim.origin == Origin::Trace;
    for n in &named {
        if container.as_deref() == Some(n.as_str()) {
            return Ok(result(
                claim,
                Status::Confirmed,
                format!("{path}:{start} is in {n}(): {}", clip(shown)),
                loc(&path, start, Some(end)),
            ));
        }
        // A trace frame "in X at L" puts L inside X: a call of X nearby does not confirm it.
        // The nearest such line: the cited one first.
        let mut near: Vec<u32> = (lo..=hi).filter(|_| !frame).collect();
        near.sort_by_key(|&l| (l as i64 - start as i64).unsigned_abs());
        for l in near {
            if line_of(&text, l).is_some_and(|t| crate::policy::contains_identifier(t, n) && !t.trim_start().starts_with(['*', '/'])) {
                return Ok(result(
                    claim,
                    Status::Confirmed,
                    format!("{path}:{l} names {n}: {}", clip(line_of(&text, l).unwrap_or(""))),
                    loc(&path, l, None),
                ));
            }
        }
    }
    // A line calling the project's wrapper of the named function (`free` at a line holding
    // `Curl_dyn_free(&name);`): the call the report describes, under the project's name.
    if !frame {
        let window = start.saturating_sub(3).max(1)..=(end + 3).min(count);
        for n in &named {
            let suffixed = |x: &&str| {
                x.len() > n.len() + 2 && x.ends_with(n.as_str()) && x.as_bytes()[x.len() - n.len() - 1].is_ascii_alphabetic()
                    || x.len() > n.len() + 1 && x.ends_with(&format!("_{n}"))
            };
            for l in window.clone() {
                let Some(t) = line_of(&text, l).filter(|t| !t.trim_start().starts_with(['*', '/'])) else { continue };
                if let Some(w) = crate::code::called_names(t).into_iter().find(|x| suffixed(x)) {
                    return Ok(result(
                        claim,
                        Status::Confirmed,
                        format!("{path}:{l} calls {w}(), the project's {n}: {}", clip(t.trim())),
                        loc(&path, l, None),
                    ));
                }
            }
        }
    }
    // Named functions that are not defined in this file at all say nothing about the line; nor
    // do names the project defines only as something else (`ssl_config_data`, a struct).
    let in_file: Vec<&String> = named
        .iter()
        .filter(|n| text.contains(n.as_str()))
        .filter(|n| {
            let defs = index.definitions(n);
            defs.is_empty() || defs.iter().any(|d| matches!(d.kind, DefKind::Function | DefKind::Macro))
        })
        .collect();
    if in_file.is_empty() {
        // As with no name at all: the line exists, which is barely evidence.
        let mut r = result(claim, Status::Confirmed, format!("{path}:{start}: {}", clip(shown)), loc(&path, start, Some(end)));
        r.weight = r.weight.min(0.05);
        return Ok(r);
    }
    let inside = container.map(|c| format!(" (inside {c}())")).unwrap_or_default();
    // The function is defined in this file, elsewhere: line numbers of another build or commit
    // (reports quote master or a -DEV build). That says nothing either way.
    let defined_here = in_file.iter().find_map(|n| {
        index.definitions(n).iter().find(|d| d.path == path && matches!(d.kind, DefKind::Function | DefKind::Macro)).map(|d| (n, d.line))
    });
    if let Some((n, at_line)) = defined_here {
        return Ok(result(
            claim,
            Status::Unverifiable,
            format!("{n}() is defined at {path}:{at_line}, not near line {start}{inside}: line numbers of another build or commit?"),
            loc(&path, at_line, None),
        ));
    }
    // The function around the line calls it further off: the same function, with line numbers
    // of another build or commit (a report against a newer tree than the release checked).
    if let Some((a, b)) = span.filter(|_| !frame) {
        for n in &in_file {
            let call = format!("{n}(");
            if let Some(l) = (a..=b).find(|&l| {
                line_of(&text, l).is_some_and(|t| {
                    let t = t.trim_start();
                    !t.starts_with(['*', '/']) && crate::policy::contains_identifier(t, n) && t.replace(' ', "").contains(&call)
                })
            }) {
                return Ok(result(
                    claim,
                    Status::Unverifiable,
                    format!(
                        "{path}:{start}{inside} holds `{}`; the same function calls {n} at line {l}: line numbers of another build or commit?",
                        clip(shown)
                    ),
                    loc(&path, l, None),
                ));
            }
        }
    }
    Ok(result(
        claim,
        Status::Contradicted,
        format!("{path}:{start}{inside} holds `{}`; {} is not within 15 lines", clip(shown), in_file[0]),
        loc(&path, start, None),
    ))
}

/// Functions the report names on the same report line as a line claim.
/// In prose, a call written out with empty parentheses (`strcmp()`) names a function too, even
/// a C library one that is no claim of its own.
fn named_functions(claim: &Claim, report: &Report) -> Vec<String> {
    let mut names: Vec<String> = report
        .claims
        .iter()
        .filter(|c| c.kind == ClaimKind::Function && c.report_line == claim.report_line && !c.negated)
        .map(|c| bare_name(&c.text).to_string())
        .collect();
    if claim.origin == Origin::Prose {
        for (i, _) in claim.context.match_indices("()") {
            let before = &claim.context[..i];
            let start = before.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).map_or(0, |k| k + 1);
            let name = &before[start..];
            if name.len() >= 4 && name.starts_with(|c: char| c.is_ascii_alphabetic()) && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

fn check_snippet(claim: &Claim, report: &Report, cx: &Context<'_>, view: &View) -> Result<ClaimResult, SourceError> {
    let at = &view.version.label;
    let code = claim.code.as_deref().unwrap_or(&claim.text);
    let ex = excerpt_lines(code);
    if ex.is_empty() {
        return Ok(result(claim, Status::Unverifiable, "no code line specific enough to compare".into(), None));
    }
    let near = code::plain_lines(code);
    let mut candidates: Vec<String> =
        claim.file.as_deref().map(|f| view.snapshot.find(f).into_iter().map(String::from).collect()).unwrap_or_default();
    let cited = !candidates.is_empty();
    // Code of a file in another tree (OSS-Fuzz's Dockerfile) or in a folder the tree checked leaves out.
    if let Some(f) = claim.file.as_deref().filter(|_| !cited) {
        if let Some(why) = outside_tree(&view.snapshot, f)? {
            return Ok(result(claim, Status::Unverifiable, format!("{why} at {at}"), None));
        }
    }
    if candidates.is_empty() {
        candidates = cx.project.files_containing(view, &ex)?;
        // Code several files share (`GDapi.c` and `SWapi.c` of one library): a file the report
        // names elsewhere is the one it quotes.
        let named: Vec<String> = report
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::File && !c.negated)
            .flat_map(|c| view.snapshot.find(&c.text).into_iter().map(String::from).collect::<Vec<_>>())
            .collect();
        // The project's own copy before a bundled dependency's (`src/sds.c`, not
        // `deps/hiredis/sds.c`), when both hold the code alike.
        candidates.sort_by_key(|p| (!named.contains(p), code::bundled_dependency(p).is_some()));
    }
    let mut best: Option<(String, code::Match)> = None;
    for path in &candidates {
        let Some(text) = view.snapshot.read(path)? else { continue };
        let m = code::match_lines_near(&ex, &near, &FileLines::new(&text));
        if best.as_ref().is_none_or(|(_, b)| m.found > b.found) {
            best = Some((path.clone(), m));
        }
    }
    // The cited file holds little of it: the caption may belong to another block; look everywhere.
    if cited && best.as_ref().is_none_or(|(_, m)| m.fraction() < 0.6) {
        for path in cx.project.files_containing(view, &ex)? {
            if candidates.contains(&path) {
                continue;
            }
            let Some(text) = view.snapshot.read(&path)? else { continue };
            let m = code::match_lines_near(&ex, &near, &FileLines::new(&text));
            if best.as_ref().is_none_or(|(_, b)| m.found > b.found) {
                best = Some((path.clone(), m));
            }
        }
    }
    let n = ex.len();
    // Code that mostly calls the project's public API is an application's (the reporter's
    // program), whatever caption it has: not finding it in the project says nothing.
    if best.as_ref().is_none_or(|(_, m)| m.fraction() <= 0.25) {
        if let Some(api) = public_api_share(code, cx, view)? {
            return Ok(result(
                claim,
                Status::Unverifiable,
                format!("the code mostly calls the project's public API ({api}): {APPLICATION_CODE}"),
                None,
            ));
        }
    }
    // `void *calloc(size_t nmemb, size_t size);` under `#include <stdlib.h>`: the C library's
    // declarations, as a manual page shows them, quoted beside the project's code.
    if best.as_ref().is_none_or(|(_, m)| m.fraction() <= 0.25) && libc_declarations(code) {
        return Ok(result(
            claim,
            Status::Unverifiable,
            "declarations of the C library's functions (as its manual page shows them), not the project's code".into(),
            None,
        ));
    }
    // A lone condition (`if (s->len + len > s->size)`) is the check the report argues about:
    // reports copy such a line, so finding it nowhere counts against the report.
    let lone_check = n == 1 && code::is_condition(&ex[0]);
    let Some((path, m)) = best else {
        return Ok(if n >= 2 {
            result(claim, Status::Contradicted, format!("none of its {n} code lines is anywhere in the project at {at}"), None)
        } else if lone_check {
            result(claim, Status::Contradicted, format!("its one code line, a condition, is nowhere in the project at {at}"), None)
        } else {
            result(claim, Status::Unverifiable, format!("its one code line is not in the project at {at}"), None)
        });
    };
    let f = m.fraction();
    let (a, b) = m.span().unwrap_or((1, 1));
    let mut evidence = format!("{} of {n} code lines found at {path}:{a}-{b}", m.found);
    if let Some((s, _)) = claim.lines {
        if cited && (a as i64 - s as i64).abs() > 40 {
            evidence.push_str(&format!(" (the report cites line {s})"));
        }
    }
    Ok(if f >= 0.6 || (m.found >= 4 && f >= 0.5) {
        result(claim, Status::Confirmed, evidence, loc(&path, a, Some(b)))
    } else if lone_check && m.found == 0 {
        result(claim, Status::Contradicted, format!("its one code line, a condition, is not in {path} at {at}"), loc(&path, 1, None))
    } else if n == 1
        && m.found == 0
        && cited
        && claim.origin == Origin::ProjectCode
        && distinctive(&ex[0])
        && !paraphrased(&ex[0], &path, view)?
    {
        // One line the report captions as the project's file, found nowhere in the project and
        // sharing few of its identifiers with any line of that file: not a paraphrase.
        result(
            claim,
            Status::Contradicted,
            format!("its one code line is in neither {path} nor anywhere else in the project at {at}"),
            None,
        )
    } else if f <= 0.25 && n >= 2 {
        result(
            claim,
            Status::Contradicted,
            format!("only {} of its {n} code lines are in the project at {at} (closest: {path})", m.found),
            loc(&path, a, Some(b)),
        )
    } else {
        result(claim, Status::Unverifiable, format!("partial match: {evidence} (paraphrased or another version)"), loc(&path, a, Some(b)))
    })
}

/// A normalised code line specific enough that finding it nowhere means it is not the project's:
/// a statement with at least four identifiers, one of them a member or an address taken.
fn distinctive(line: &str) -> bool {
    code::identifiers(line).len() >= 4 && (line.contains("->") || line.contains('&') || line.contains('.')) && line.contains('(')
}

/// Whether a line of the file is the quoted line reworded: the same call with an argument renamed
/// or dropped (it calls what the quote calls and shares half of its identifiers), or most of its
/// identifiers in another order.
fn paraphrased(line: &str, path: &str, view: &View) -> Result<bool, SourceError> {
    let Some(text) = view.snapshot.read(path)? else { return Ok(false) };
    let calls = code::called_names(line);
    Ok(text.lines().map(code::normalise).any(|l| {
        let s = code::token_similarity(line, &l);
        code::significant(&l) && (s >= 0.7 || s >= 0.5 && code::called_names(&l).iter().any(|c| calls.contains(c)))
    }))
}

fn check_version(claim: &Claim, cx: &Context<'_>, view: &View) -> Result<ClaimResult, SourceError> {
    let v = claim.text.trim();
    let lower = v.to_ascii_lowercase();
    if lower.contains("master") || lower.contains("snapshot") {
        return Ok(result(claim, Status::Unverifiable, "a development version".into(), None));
    }
    let Some(git) = cx.project.git() else {
        return Ok(match version_in_tree(view, v)? {
            Some((p, l)) => result(claim, Status::Confirmed, format!("the tree is version {v} ({p}:{l})"), loc(&p, l, None)),
            None => result(claim, Status::Unverifiable, "a plain source tree: its version is not known".into(), None),
        });
    };
    if let Some((t, note)) = crate::project::release_for(git, v)? {
        return Ok(result(claim, Status::Confirmed, format!("release tag {} ({}){note}", t.name, short(&t.commit)), None));
    }
    let tags = git.tags()?;
    let versions: Vec<&str> = tags.iter().filter_map(|t| t.version.as_deref()).collect();
    if versions.is_empty() {
        return Ok(result(claim, Status::Unverifiable, "the repository has no release tags".into(), None));
    }
    let newest = versions.iter().copied().max_by(|a, b| compare_versions(a, b)).unwrap_or("");
    let oldest = versions.iter().copied().min_by(|a, b| compare_versions(a, b)).unwrap_or("");
    if compare_versions(v, oldest).is_lt() {
        return Ok(result(claim, Status::Unverifiable, format!("older than the oldest release tag ({oldest})"), None));
    }
    // A shallow clone only has the tags of the history it fetched.
    if git.is_shallow()? {
        return Ok(result(claim, Status::Unverifiable, format!("no release tag {v} in this shallow clone"), None));
    }
    Ok(result(claim, Status::Contradicted, format!("no release {v}: the release tags run from {oldest} to {newest}"), None))
}

/// A version string in the usual version files of a plain tree.
fn version_in_tree(view: &View, v: &str) -> Result<Option<(String, u32)>, SourceError> {
    let files: Vec<String> = view
        .snapshot
        .paths()
        .filter(|p| {
            let name = p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase();
            p.matches('/').count() <= 2
                && (name.contains("version")
                    || name.ends_with("ver.h")
                    || matches!(
                        name.as_str(),
                        "configure.ac"
                            | "cmakelists.txt"
                            | "package.json"
                            | "cargo.toml"
                            | "pyproject.toml"
                            | "setup.py"
                            | "release-notes"
                            | "changes"
                            | "changelog"
                            | "news"
                    ))
        })
        .map(String::from)
        .take(50)
        .collect();
    for p in files {
        if let Some(text) = view.snapshot.read(&p)? {
            for (i, l) in text.lines().enumerate().take(400) {
                if contains_version(l, v) {
                    return Ok(Some((p, i as u32 + 1)));
                }
            }
        }
    }
    Ok(None)
}

fn contains_version(line: &str, v: &str) -> bool {
    let mut from = 0;
    while let Some(i) = line[from..].find(v) {
        let s = from + i;
        let e = s + v.len();
        let before = line[..s].chars().next_back();
        let after = line[e..].chars().next();
        let ok = |c: Option<char>| c.is_none_or(|c| !(c.is_ascii_digit() || c == '.'));
        if ok(before) && ok(after) {
            return true;
        }
        from = s + 1;
    }
    false
}

/// Numeric dotted comparison (`8.9.1` < `8.10.0`); non-numeric parts compare as text.
pub(crate) fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let pa: Vec<&str> = a.split(['.', '-', '_']).collect();
    let pb: Vec<&str> = b.split(['.', '-', '_']).collect();
    for i in 0..pa.len().max(pb.len()) {
        let x = pa.get(i).copied().unwrap_or("0");
        let y = pb.get(i).copied().unwrap_or("0");
        let o = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(m), Ok(n)) => m.cmp(&n),
            _ => x.cmp(y),
        };
        if o.is_ne() {
            return o;
        }
    }
    std::cmp::Ordering::Equal
}

#[cfg(test)]
mod tests {
    #[test]
    fn files_named_for_other_versions() {
        let c = "The function `f` in `Objects/unicodeobject.c` (or `Objects/unicode_writer.c` in some versions) copies";
        assert_eq!(only_in_some_versions(c, "Objects/unicode_writer.c"), Some("in some versions"));
        assert_eq!(only_in_some_versions(c, "Objects/unicodeobject.c"), None);
        assert_eq!(only_in_some_versions("lib/a.c overflows. It was added in newer versions", "lib/a.c"), None);
    }

    use super::*;

    #[test]
    fn public_headers() {
        assert!(public_header("src/jansson.h", "jansson"));
        assert!(public_header("cjson.h", "cJSON"));
        assert!(public_header("src/modbus.h", "libmodbus"));
        assert!(public_header("include/curl/easy.h", "curl"));
        assert!(!public_header("lib/urldata.h", "curl"));
        assert!(!public_header("src/jansson_private.h", "jansson"));
        assert!(!public_header("src/lib.h", "libuv"));
    }

    #[test]
    fn system_headers() {
        for h in ["stdlib.h", "<string.h>", "sys/socket.h", "netinet/in.h", "winsock2.h", "`unistd.h`"] {
            assert!(system_header(h), "{h}");
        }
        for h in ["lib/string.h", "urldata.h", "sys/a/b.h", "stdlib.c", "curl/curl.h", "sys/.h"] {
            assert!(!system_header(h), "{h}");
        }
    }

    #[test]
    fn declarations_of_the_c_library() {
        assert!(libc_declarations("#include <stdlib.h>\n\nvoid *calloc(size_t nmemb, size_t size);\nvoid free(void *ptr); <-- note"));
        assert!(libc_declarations("char *strcpy(char *restrict dst, const char *restrict src);"));
        // Calls, assignments and the project's own functions are code.
        assert!(!libc_declarations("p = calloc(n, size);"));
        assert!(!libc_declarations("return malloc(len);"));
        assert!(!libc_declarations("void *Curl_saferealloc(void *ptr, size_t size);"));
        assert!(!libc_declarations("#include \"urldata.h\"\nvoid *malloc(size_t size);"));
        assert!(!libc_declarations("#include <stdlib.h>"));
    }

    #[test]
    fn export_marks() {
        for l in [
            "JSON_EXPORT struct json_object *json_object_new_object(void);",
            "CJSON_PUBLIC(cJSON *) cJSON_Parse(const char *value);",
            "ZSTDLIB_API size_t ZSTD_compress(void *dst, size_t dstCapacity,",
            "CURL_EXTERN CURLcode curl_easy_perform(CURL *curl);",
            "__LA_DECL int archive_read_free(struct archive *);",
            "__declspec(dllexport) int f(void);",
        ] {
            assert!(export_mark(l), "{l}");
        }
        for l in ["int Curl_dyn_add(struct dynbuf *s, const char *str);", "static int APIsize(void);", "extern int g(void);"] {
            assert!(!export_mark(l), "{l}");
        }
    }

    #[test]
    fn a_project_owns_the_prefix_of_its_name() {
        assert!(names_prefix("c-ares", "ares_"));
        assert!(names_prefix("libssh2", "libssh2_"));
        assert!(names_prefix("nghttp2", "nghttp2_"));
        assert!(names_prefix("zstd", "ZSTD_"));
        assert!(!names_prefix("curl", "ares_"));
        assert!(!names_prefix("curl", "ssh_"));
        assert!(names_prefix("openssl", "SSL_"), "OpenSSL's own API");
        assert!(!names_prefix("curl", "CF"), "too short to tell");
    }

    #[test]
    fn underscore_tails_of_longer_names() {
        let ctx = "The webpki path has a builder pattern — `rustls_web_pki_server_cert_verifier_builder_new()`, then `_add_crl()`, then `_build()`";
        assert_eq!(fragment_of("_add_crl", ctx).as_deref(), Some("rustls_web_pki_server_cert_verifier_builder_new"));
        assert_eq!(fragment_of("_build", ctx).as_deref(), Some("rustls_web_pki_server_cert_verifier_builder_new"));
        assert_eq!(fragment_of("add_crl", ctx), None);
        assert_eq!(fragment_of("_add_crl", "it calls `_add_crl()` on the list"), None);
        assert_eq!(fragment_of("__attribute__", ctx), None);
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(compare_versions("8.9.1", "8.10.0").is_lt());
        assert!(compare_versions("8.10", "8.10.0").is_eq());
        assert!(compare_versions("2.0.0", "1.9.9").is_gt());
        assert!(contains_version("#define LIBCURL_VERSION \"8.10.1\"", "8.10.1"));
        assert!(!contains_version("#define LIBCURL_VERSION \"8.10.12\"", "8.10.1"));
        assert!(!contains_version("18.10.1", "8.10.1"));
    }

    #[test]
    fn bare_names() {
        assert_eq!(bare_name("Curl_http()"), "Curl_http");
        assert_eq!(bare_name("Foo::bar"), "bar");
        assert_eq!(bare_name("conn->handler"), "handler");
    }
}
