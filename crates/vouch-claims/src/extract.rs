//! Claim extraction: blocks are classified (whose code is it?), then prose, code, traces and
//! patches give claims.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use crate::segment::Seg;
use crate::text::{clip, code_spans, is_ident, parse_range, sentence, tokens, Tok};
use crate::{meta, patch, segment, trace, Block, BlockKind, Citation, Claim, ClaimKind, Limits, Origin, Report};

// ---------------------------------------------------------------------------------------------
// Word lists

/// C keywords, libc / POSIX / pthread / socket calls, common macros, Python and JS builtins:
/// never a claim about the project.
const STOP: &[&str] = &[
    // C / C++ keywords and operators that look like calls
    "if",
    "else",
    "for",
    "while",
    "do",
    "switch",
    "case",
    "return",
    "sizeof",
    "typeof",
    "alignof",
    "offsetof",
    "defined",
    "static",
    "const",
    "struct",
    "union",
    "enum",
    "void",
    "int",
    "char",
    "long",
    "short",
    "unsigned",
    "signed",
    "float",
    "double",
    "bool",
    "goto",
    "break",
    "continue",
    "default",
    "volatile",
    "register",
    "extern",
    "inline",
    "auto",
    "new",
    "delete",
    "catch",
    "throw",
    "try",
    "decltype",
    "static_assert",
    "_Static_assert",
    "__attribute__",
    "__typeof__",
    "__builtin_expect",
    "likely",
    "unlikely",
    "main",
    "and",
    "or",
    "not",
    // libc
    "malloc",
    "calloc",
    "realloc",
    "free",
    "strdup",
    "strndup",
    "memcpy",
    "memmove",
    "memset",
    "memcmp",
    "memchr",
    "strlen",
    "strnlen",
    "strcpy",
    "strncpy",
    "strcat",
    "strncat",
    "strcmp",
    "strncmp",
    "strcasecmp",
    "strncasecmp",
    "strchr",
    "strrchr",
    "strstr",
    "strtok",
    "strtol",
    "strtoul",
    "strtoll",
    "strtoull",
    "strtod",
    "atoi",
    "atol",
    "abs",
    "printf",
    "fprintf",
    "sprintf",
    "snprintf",
    "vsnprintf",
    "vprintf",
    "vfprintf",
    "puts",
    "fputs",
    "putchar",
    "fputc",
    "fgets",
    "fgetc",
    "getchar",
    "scanf",
    "sscanf",
    "fopen",
    "fclose",
    "fread",
    "fwrite",
    "fflush",
    "fseek",
    "ftell",
    "rewind",
    "feof",
    "ferror",
    "perror",
    "exit",
    "_exit",
    "abort",
    "assert",
    "getenv",
    "setenv",
    "unsetenv",
    "putenv",
    "system",
    "qsort",
    "bsearch",
    "rand",
    "srand",
    "time",
    "clock",
    "sleep",
    "usleep",
    "nanosleep",
    "isdigit",
    "isalpha",
    "isalnum",
    "isspace",
    "isxdigit",
    "isprint",
    "toupper",
    "tolower",
    "errno",
    "strerror",
    "va_start",
    "va_end",
    "va_arg",
    "memmem",
    "strsep",
    "signal",
    "raise",
    "atexit",
    "localtime",
    "gmtime",
    "strftime",
    "gettimeofday",
    "clock_gettime",
    // POSIX / sockets / threads / dl
    "open",
    "close",
    "read",
    "write",
    "pipe",
    "fork",
    "execve",
    "execvp",
    "waitpid",
    "wait",
    "kill",
    "getpid",
    "dup",
    "dup2",
    "fcntl",
    "ioctl",
    "unlink",
    "mkdir",
    "rmdir",
    "stat",
    "fstat",
    "lstat",
    "access",
    "chdir",
    "getcwd",
    "mmap",
    "munmap",
    "socket",
    "bind",
    "listen",
    "accept",
    "connect",
    "send",
    "recv",
    "sendto",
    "recvfrom",
    "setsockopt",
    "getsockopt",
    "getsockname",
    "getpeername",
    "shutdown",
    "select",
    "poll",
    "epoll_create",
    "epoll_ctl",
    "epoll_wait",
    "htons",
    "htonl",
    "ntohs",
    "ntohl",
    "inet_pton",
    "inet_ntop",
    "inet_addr",
    "getaddrinfo",
    "freeaddrinfo",
    "gethostbyname",
    "socketpair",
    "pthread_create",
    "pthread_join",
    "pthread_detach",
    "pthread_mutex_lock",
    "pthread_mutex_unlock",
    "pthread_mutex_init",
    "pthread_self",
    "dlopen",
    "dlsym",
    "dlclose",
    "setvbuf",
    "alarm",
    "fdopen",
    "fileno",
    "realpath",
    "readlink",
    "symlink",
    "truncate",
    "ftruncate",
    "opendir",
    "readdir",
    "closedir",
    "sysconf",
    "getuid",
    "geteuid",
    "sendmsg",
    "recvmsg",
    "sendmmsg",
    "recvmmsg",
    "FD_ZERO",
    "FD_SET",
    "FD_ISSET",
    "FD_CLR",
    // Python / JS / shell builtins
    "print",
    "len",
    "range",
    "str",
    "bytes",
    "bytearray",
    "int",
    "float",
    "list",
    "dict",
    "set",
    "tuple",
    "open",
    "isinstance",
    "super",
    "enumerate",
    "zip",
    "map",
    "filter",
    "sorted",
    "format",
    "repr",
    "input",
    "hex",
    "ord",
    "chr",
    "min",
    "max",
    "sum",
    "any",
    "all",
    "require",
    "console",
    "setTimeout",
    "parseInt",
    "JSON",
    "echo",
    "function",
    "def",
    "lambda",
    "self",
    "this",
];

fn stop() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| STOP.iter().copied().collect())
}

fn is_stop(name: &str) -> bool {
    stop().contains(name)
        || name.starts_with("__")
        || name.starts_with("asan_")
        || name.starts_with("__asan")
        || name.starts_with("__interceptor")
}

const SOURCE_EXTS: &[&str] = &[
    "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "hxx", "inc", "py", "rs", "go", "js", "mjs", "ts", "java", "kt", "rb", "php", "m", "mm",
    "pl", "pm", "sh", "cmake", "swift", "cs", "lua",
];
const SPECIAL_FILES: &[&str] =
    &["CMakeLists.txt", "Makefile.am", "Makefile.in", "Makefile", "configure.ac", "GNUmakefile", "meson.build", "Cargo.toml"];

/// Words that may sit between a product name and its version without being another product.
const NEUTRAL: &[&str] = &[
    "version",
    "versions",
    "ver",
    "in",
    "since",
    "before",
    "after",
    "until",
    "till",
    "from",
    "to",
    "through",
    "thru",
    "and",
    "or",
    "with",
    "on",
    "at",
    "is",
    "are",
    "was",
    "were",
    "of",
    "up",
    "upto",
    "confirmed",
    "tested",
    "affected",
    "unaffected",
    "including",
    "inclusive",
    "current",
    "latest",
    "release",
    "released",
    "releases",
    "tag",
    "tagged",
    "master",
    "as",
    "also",
    "present",
    "fixed",
    "patched",
    "v",
    "range",
    "between",
    "all",
    "only",
    "still",
    "reproduced",
    "built",
    "build",
    "against",
    "vulnerable",
    "introduced",
    "added",
    "the",
    "e.g",
    "i.e",
    "older",
    "newer",
    "earlier",
    "later",
    "than",
    "prior",
    "starting",
    "first",
    "last",
    "stable",
    "branch",
    "head",
    "see",
    "using",
    "via",
    "like",
    "default",
    "dev",
    "git",
    "upstream",
    "based",
    "checked",
    "verified",
    "above",
    "below",
    "least",
    "most",
    "lts",
];

fn neutral() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| NEUTRAL.iter().copied().collect())
}

const NEG_BEFORE: &[&str] = &[
    "fixed in",
    "fixed since",
    "fixed by",
    "patched in",
    "resolved in",
    "unaffected",
    "not affected",
    "not vulnerable",
    "not present in",
    "unlike",
    "correctly protected",
    "correctly stripped",
    "is safe",
    "are safe",
    // A name the report proposes to add: not code the project has yet.
    "replace it with",
    "replace them with",
    "should be replaced with",
    "introduce a new",
    "introduces a new",
    "add a new",
    "adds a new",
    // A question or suggestion proposing a setting the project lacks ("Shouldn't that be
    // protected by setting a GDAL_MRF_ENABLE_X config option?").
    "be protected by setting",
    "be guarded by setting",
    "be controlled by setting",
    "should there be",
    "why not add",
    "how about adding",
    "we could add",
    "we should add",
    "could add a",
    "should add a",
    "should introduce",
];
const NEG_AFTER: &[&str] = &[
    "is not affected",
    "are not affected",
    "was not affected",
    "not affected",
    "is not vulnerable",
    "are not vulnerable",
    "not vulnerable",
    "is unaffected",
    "are unaffected",
    "does not contain",
    "do not contain",
    "is safe",
    "are safe",
    "correctly protected",
    "correctly stripped",
    "is fixed",
    "was fixed",
    "are fixed",
    "has been fixed",
    "have been fixed",
    "is already fixed",
    "is not present",
    "not present",
];

fn has_word(hay: &str, word: &str) -> bool {
    let hb = hay.as_bytes();
    hay.match_indices(word).any(|(p, _)| p == 0 || !hb[p - 1].is_ascii_alphanumeric())
}

fn reporter_cue(lower: &str) -> bool {
    [
        "poc",
        "proof of concept",
        "proof-of-concept",
        "reproducer",
        "reproduction",
        "repro",
        "harness",
        "save as",
        "saved as",
        "save this",
        "shim",
        "exploit",
        "test program",
        "compile",
        "minimal program",
        "testcase",
        "test case",
        "fuzzer",
        "fuzz target",
        "example program",
        "sample program",
        "our program",
        "my program",
        "client program",
        "demo program",
        "demo example",
        "demo code",
        // `Here is the sample code that worked before this commit`: the reporter's program.
        "sample code",
        "my code",
        "our code",
        // An application's code that uses the project (`// Vulnerable application code`).
        "application code",
        "example usage",
        "usage example",
        "caller code",
        "client code",
    ]
    .iter()
    .any(|w| has_unnegated_word(lower, w))
}

/// Words with which a report introduces the project's own code as the place of the problem.
fn project_cue(lower: &str) -> bool {
    ["vulnerable code", "vulnerable function", "affected code", "affected function", "problematic code", "buggy code", "code in question"]
        .iter()
        .any(|w| has_unnegated_word(lower, w))
}

/// Whether `word` occurs in `lower` at a word start, at least once not denied by the words right
/// before it ("I don't have a PoC, but here is the vulnerable code": no reporter's code follows).
fn has_unnegated_word(lower: &str, word: &str) -> bool {
    const DENIALS: &[&str] = &[
        "no",
        "without",
        "without a",
        "without any",
        "don't have",
        "don't have a",
        "don't have any",
        "do not have",
        "do not have a",
        "do not have any",
        "haven't",
        "haven't got a",
        "have no",
        "no working",
    ];
    let hb = lower.as_bytes();
    lower.match_indices(word).any(|(p, _)| {
        (p == 0 || !hb[p - 1].is_ascii_alphanumeric()) && {
            let before = lower[..p].trim_end();
            !DENIALS.iter().any(|d| before.strip_suffix(d).is_some_and(|r| r.is_empty() || r.ends_with(|c: char| !c.is_alphanumeric())))
        }
    })
}

/// Lines that are each one function name, perhaps with its empty parentheses or a signal's
/// description in parentheses (`SIGABRT (Aborted)`), at least three of them and two with an
/// underscore: a call stack as an IDE or debugger lists it, not code.
fn frame_list(nonblank: &[&str]) -> bool {
    if nonblank.len() < 3 {
        return false;
    }
    let frame = |l: &&str| {
        let t = l.trim();
        let (name, rest) = t.split_at(t.find(|c: char| c == '(' || c.is_whitespace()).unwrap_or(t.len()));
        let rest = rest.trim();
        !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !name.bytes().next().is_some_and(|b| b.is_ascii_digit())
            && !matches!(name, "if" | "for" | "while" | "switch" | "return" | "else" | "do" | "case" | "goto")
            && (rest.is_empty() || rest.starts_with('(') && rest.ends_with(')') && !rest.contains(['=', ';', '{', '}', ',']))
    };
    nonblank.iter().all(frame) && nonblank.iter().filter(|l| l.contains('_')).count() >= 2
}

/// `lib/ws.c:1261:  strcpy(keyval, randstr);`: a line of `grep -n` output.
fn grep_hit(line: &str) -> bool {
    let t = line.trim();
    let mut parts = t.splitn(3, ':');
    let (Some(path), Some(num), Some(_)) = (parts.next(), parts.next(), parts.next()) else { return false };
    !path.contains(' ') && path.contains('.') && !num.is_empty() && num.bytes().all(|c| c.is_ascii_digit())
}

/// A block opening with an instruction to the maintainer (`// Add bounds checking`, `/* Fix: ... */`):
/// the reporter's proposal, not the project's code.
fn proposal_comment(first: &str) -> bool {
    let t = first.trim();
    let Some(text) = t.strip_prefix("//").or_else(|| t.strip_prefix("/*")) else { return false };
    // `/* lib/vtls/hostcheck.c: replace the guard at line 96 */`: the file, then what to do there.
    let text = text.trim_start();
    let text = match text.split_once(':') {
        Some((file, rest)) if !file.contains(' ') && (file.contains('/') || file.contains('.')) => rest,
        _ => text,
    };
    let word = text.trim_start().split(|c: char| !c.is_ascii_alphabetic()).next().unwrap_or("").to_ascii_lowercase();
    matches!(
        word.as_str(),
        "add"
            | "fix"
            | "fixed"
            | "validate"
            | "ensure"
            | "sanitize"
            | "sanitise"
            | "implement"
            | "replace"
            | "use"
            | "recommended"
            | "suggested"
            | "proposed"
            | "mitigation"
            | "remediation"
            | "before"
            | "after"
            | "remove"
            | "reject"
            | "restrict"
            | "harden"
            | "whitelist"
            | "allowlist"
            | "prevent"
            | "patch"
            | "patched"
            | "corrected"
    )
}

/// A section heading that announces the reporter's fix ("Remediation", "Code Fix in lib/x.c",
/// "Suggested patch"): code under it is proposed, even when the heading names a project file.
fn fix_heading(heading: &str) -> bool {
    let lower = heading.to_ascii_lowercase();
    ["fix", "remediation", "mitigation", "patch", "recommendation", "recommended", "suggested", "proposed", "workaround"]
        .iter()
        .any(|w| has_word(&lower, w))
}

/// An introduction saying the code that follows is what the project lacks ("There is no
/// equivalent of:"): the reporter's own lines, not a quote.
fn absence_cue(lower: &str) -> bool {
    ["no equivalent of", "no equivalent to", "there is no call to", "there is no such", "nothing like", "no code like", "is never called"]
        .iter()
        .any(|w| lower.contains(w))
}

fn fix_cue(lower: &str) -> bool {
    [
        "fix",
        "patch",
        "suggest",
        "recommend",
        "mitigation",
        "remediation",
        "proposed",
        "should be",
        "should look",
        "change to",
        "replace",
        "option a",
        "option b",
        "could be",
        "add a ",
        "add the ",
        "adding",
        "corrected",
        "instead",
    ]
    .iter()
    .any(|w| {
        // A word, not part of an identifier (`replace_existing`); "replaced" describes what the
        // code does ("a replaced cookie is freed"), it proposes nothing.
        let hb = lower.as_bytes();
        lower.match_indices(w).any(|(p, _)| {
            let next = hb.get(p + w.len()).copied();
            (p == 0 || !hb[p - 1].is_ascii_alphanumeric() && hb[p - 1] != b'_')
                && next != Some(b'_')
                && !(*w == "replace" && next == Some(b'd'))
        })
    })
}

const SHELL_LANGS: &[&str] =
    &["bash", "sh", "shell", "console", "zsh", "shell-session", "shellsession", "powershell", "ps1", "cmd", "bat", "terminal", "fish"];
const SCRIPT_LANGS: &[&str] = &[
    "python",
    "py",
    "python3",
    "js",
    "javascript",
    "node",
    "ruby",
    "rb",
    "perl",
    "pl",
    "go",
    "golang",
    "rust",
    "rs",
    "java",
    "php",
    "ts",
    "typescript",
    "lua",
];
const C_LANGS: &[&str] = &["c", "cpp", "c++", "h", "cc", "cxx", "objc", "objective-c", "hpp"];
const LOG_LANGS: &[&str] = &[
    "text",
    "txt",
    "http",
    "json",
    "log",
    "output",
    "plain",
    "plaintext",
    "xml",
    "yaml",
    "yml",
    "html",
    "none",
    "stdout",
    "stderr",
    "nohighlight",
];

const COMMANDS: &[&str] = &[
    "curl",
    "./curl",
    "src/curl",
    "gcc",
    "cc",
    "clang",
    "g++",
    "clang++",
    "make",
    "cmake",
    "ninja",
    "meson",
    "./configure",
    "../configure",
    "configure",
    "autoreconf",
    "./buildconf",
    "python",
    "python2",
    "python3",
    "pip",
    "pip3",
    "git",
    "cd",
    "export",
    "echo",
    "sleep",
    "sudo",
    "env",
    "docker",
    "npm",
    "node",
    "cargo",
    "go",
    "bash",
    "sh",
    "chmod",
    "mkdir",
    "rm",
    "cp",
    "mv",
    "cat",
    "ls",
    "wget",
    "openssl",
    "nc",
    "ncat",
    "socat",
    "kill",
    "valgrind",
    "gdb",
    "lldb",
    "printf",
    "tee",
    "grep",
    "ulimit",
    "apt",
    "apt-get",
    "brew",
    "yum",
    "dnf",
    "ldd",
    "touch",
    "time",
    "timeout",
    "head",
    "tail",
    "xxd",
    "hexdump",
    "sed",
    "awk",
    "export",
    "source",
    "unset",
    "pkill",
    "wait",
    "ssh",
    "scp",
    "rustc",
    "tcc",
    "zig",
    "perl",
    "ruby",
    "php",
    "java",
    "javac",
    "./poc",
    "./src/curl",
    "./src/.libs/curl",
    "set",
    "tar",
    "unzip",
    "diff",
];

fn commands() -> &'static HashSet<&'static str> {
    static S: OnceLock<HashSet<&'static str>> = OnceLock::new();
    S.get_or_init(|| COMMANDS.iter().copied().collect())
}

/// The first word of a shell line, past a `$ ` prompt, `VAR=value` assignments and `sudo`.
fn command_word(line: &str) -> Option<&str> {
    let t = line.trim();
    let t = t.strip_prefix("$ ").or_else(|| t.strip_prefix("% ")).or_else(|| t.strip_prefix("> ")).unwrap_or(t);
    for w in t.split_whitespace() {
        if w.contains('=')
            && !w.starts_with('-')
            && w.split('=').next().is_some_and(|k| k.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'))
        {
            continue;
        }
        if w == "sudo" || w == "env" || w == "time" {
            continue;
        }
        return Some(w);
    }
    None
}

/// Compilers, interpreters and editors: the files they are given are the reporter's.
fn is_tool(w: &str) -> bool {
    const TOOLS: &[&str] = &[
        "gcc", "cc", "clang", "g++", "clang++", "python", "python2", "python3", "node", "ruby", "perl", "bash", "sh", "go", "rustc", "tcc",
        "zig", "php", "java", "javac", "cat", "vi", "vim", "nano", "chmod",
    ];
    TOOLS.contains(&w) || w.starts_with("python") || w.starts_with("gcc") || w.starts_with("clang")
}

fn is_command_line(line: &str) -> bool {
    let t = line.trim();
    if t.starts_with("$ ") {
        return true;
    }
    command_word(t).is_some_and(|w| commands().contains(w) || w.starts_with("./") || w.starts_with("../") || w.ends_with("/curl"))
}

// ---------------------------------------------------------------------------------------------
// Tokens: files, versions, commits

/// A source file path (without a `:line` suffix)?
pub(crate) fn is_source_path(p: &str) -> bool {
    if p.is_empty() || p.len() > 300 || p.contains("//") || p.contains("->") {
        return false;
    }
    if !p.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'/' | b'-' | b'+')) {
        return false;
    }
    let base = p.rsplit('/').next().unwrap_or(p);
    if SPECIAL_FILES.contains(&base) {
        return true;
    }
    let Some((stem, ext)) = base.rsplit_once('.') else { return false };
    if !SOURCE_EXTS.contains(&ext) || stem.is_empty() || !stem.bytes().any(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    if stem.len() < 2 && !p.contains('/') {
        return false;
    }
    // `e.g.`, `i.e.`-like abbreviations and `foo.h.` typos: the stem must not end with a dot.
    !stem.ends_with('.')
}

/// Extensions of the data, configuration and documentation files a report may say the project
/// ships (`tests/data/key.pem`, `docs/examples/auth.txt`).
const DATA_EXTS: &[&str] = &[
    "pem", "crt", "key", "der", "p12", "csr", "txt", "md", "json", "yml", "yaml", "xml", "cfg", "conf", "ini", "toml", "csv", "html",
    "htm", "in", "am", "ac", "m4", "mk", "bat", "def", "pc", "spec", "rst",
];

/// A relative path of a data or documentation file inside a folder (`tests/data/key.pem`): a
/// claim that the project has that file. Not a bare name (the reporter's own `poc.txt`), not an
/// absolute or home path, and not `example.com/x.json` or `.gitleaks/report.json` (a first
/// component with a dot). Whether the folder is the project's is for the checker to say.
pub(crate) fn data_path(p: &str) -> Option<&str> {
    if p.len() > 200 || !p.contains('/') || p.contains("//") {
        return None;
    }
    let parts: Vec<&str> = p.split('/').collect();
    if parts.len() > 6
        || parts.iter().any(|c| c.is_empty() || !c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'+')))
    {
        return None;
    }
    let first = parts[0];
    if first.contains('.') || !first.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let base = parts[parts.len() - 1];
    let (stem, ext) = base.rsplit_once('.')?;
    (!stem.is_empty() && stem.bytes().any(|b| b.is_ascii_alphabetic()) && DATA_EXTS.contains(&ext)).then_some(p)
}

/// `path`, `path:N`, `path:N-M`, `path:N:col` → (path, range).
fn split_file_token(s: &str) -> Option<(&str, Option<(u32, u32)>)> {
    let (path, suffix) = match s.find(':') {
        Some(p) => (&s[..p], Some(&s[p + 1..])),
        None => (s, None),
    };
    if !is_source_path(path) {
        return None;
    }
    Some((path, suffix.and_then(parse_range)))
}

/// `8.10.1`, `v8.10.1`, `8.21.0-DEV`, `8.14.1-r2`, `7.x`: the normalised version.
fn version_of(s: &str) -> Option<String> {
    let v = s.strip_prefix('v').unwrap_or(s);
    let (core, suffix) = match v.find(['-', '+', '~']) {
        Some(p) => (&v[..p], &v[p..]),
        None => (v, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.len() < 2 || parts.len() > 4 {
        return None;
    }
    for (i, p) in parts.iter().enumerate() {
        let ok = !p.is_empty() && p.len() <= 5 && p.bytes().all(|c| c.is_ascii_digit()) || (i == parts.len() - 1 && i > 0 && *p == "x");
        if !ok {
            return None;
        }
    }
    if parts.len() == 4 {
        return None; // an IPv4 address or a four-part build number
    }
    if !suffix.is_empty() && (suffix.len() > 16 || !suffix[1..].bytes().all(|c| c.is_ascii_alphanumeric() || c == b'.' || c == b'-')) {
        return None;
    }
    Some(v.to_string())
}

fn is_commitish(s: &str) -> bool {
    (7..=40).contains(&s.len())
        && s.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        && s.bytes().any(|c| c.is_ascii_digit())
        && s.bytes().any(|c| (b'a'..=b'f').contains(&c))
}

// ---------------------------------------------------------------------------------------------
// Code scanning

#[derive(Debug)]
struct CodeName {
    name: String,
    def: bool,
    /// 0-based line within the block.
    line: usize,
}

/// A line of code with comments and string literals blanked (comment state carried over lines).
fn strip_code_line(line: &str, in_comment: &mut bool, hash_comments: bool) -> String {
    let b = line.as_bytes();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while i < b.len() {
        if *in_comment {
            if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                *in_comment = false;
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            *in_comment = true;
            i += 2;
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            break;
        }
        if hash_comments && c == b'#' {
            break;
        }
        if c == b'"' || c == b'\'' {
            let q = c;
            i += 1;
            while i < b.len() && b[i] != q {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
            continue;
        }
        if c.is_ascii() {
            out.push(c as char);
        } else {
            out.push(' ');
        }
        i += 1;
    }
    out
}

/// Names followed by `(` in a block: calls and definitions. Method calls (`x.f(`, `p->f(`) are skipped.
fn code_names(lines: &[&str], lang: Option<&str>) -> Vec<CodeName> {
    let hash_comments = lang.is_some_and(|l| {
        SCRIPT_LANGS.contains(&l)
            && !matches!(l, "js" | "javascript" | "node" | "go" | "golang" | "rust" | "rs" | "java" | "ts" | "typescript" | "php")
    }) || lang.is_some_and(|l| SHELL_LANGS.contains(&l));
    let mut in_comment = false;
    let mut out = Vec::new();
    // A block indented as a whole (inside a list item) has its column 0 at its least indentation.
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let base = lines.iter().filter(|l| !l.trim().is_empty()).map(|l| indent(l)).min().unwrap_or(0);
    for (li, raw) in lines.iter().enumerate() {
        if raw.len() > 4000 {
            continue;
        }
        let t = raw.trim_start();
        // Coverity's defect markers in a listing it quotes (`*** CID 1452251:  Memory - illegal
        // accesses  (USE_AFTER_FREE)`, `>>>     CID 1452251: ...`, whose `>>>` reads as a
        // Markdown quote) are its prose, not code.
        let cid = |x: &str| x.strip_prefix("CID ").is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
        if t.starts_with("*** CID") || t.starts_with(">>>") || cid(t) {
            continue;
        }
        if t.starts_with("#include")
            || t.starts_with("#define")
            || t.starts_with("#if")
            || t.starts_with("#ifdef")
            || t.starts_with("#ifndef")
            || t.starts_with("#endif")
        {
            if t.starts_with("#define") {
                // `#define NAME(args)` defines NAME.
                if let Some(name) = t
                    .strip_prefix("#define")
                    .unwrap_or_default()
                    .trim_start()
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                {
                    if is_ident(name) {
                        out.push(CodeName { name: name.to_string(), def: true, line: li });
                    }
                }
            }
            continue;
        }
        let code = strip_code_line(raw, &mut in_comment, hash_comments);
        let b = code.as_bytes();
        let col0 = indent(raw) <= base;
        let trimmed_end = code.trim_end();
        let mut i = 0;
        while i < b.len() {
            if !(b[i].is_ascii_alphabetic() || b[i] == b'_') || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
                i += 1;
                continue;
            }
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && b[j] == b' ' {
                j += 1;
            }
            if j >= b.len() || b[j] != b'(' {
                continue;
            }
            let name = &code[s..i];
            let before = code[..s].trim_end();
            if before.ends_with('.') || before.ends_with("->") || before.ends_with("::") {
                continue;
            }
            let prev_word = before.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
            let def = match prev_word {
                "def" | "class" | "function" | "fn" | "func" | "sub" => true,
                _ => {
                    let c_def = col0
                        && !before.is_empty()
                        && !before.contains(['=', '(', ',', '"', '<', '>', '?', ':', '!'])
                        && !before.starts_with("return")
                        && !before.starts_with("else")
                        && !before.starts_with("case")
                        && !before.starts_with('#')
                        && before.split_whitespace().all(|w| w.trim_matches('*').bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_'));
                    let c_def_kr = col0 && before.is_empty() && !trimmed_end.ends_with(';') && !trimmed_end.ends_with(',');
                    let shell_def = code[j..].starts_with("()") && code[j + 2..].trim_start().starts_with('{');
                    c_def || c_def_kr && lang.is_none_or(|l| C_LANGS.contains(&l)) || shell_def
                }
            };
            out.push(CodeName { name: name.to_string(), def, line: li });
        }
    }
    out
}

/// `CURLOPT_URL`-style constants of the project (`PROJECT_...`) in a line.
fn project_constants<'a>(line: &'a str, upper_prefix: &str) -> Vec<(usize, &'a str)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_uppercase()) || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) {
            i += 1;
            continue;
        }
        let s = i;
        while i < b.len() && (b[i].is_ascii_uppercase() || b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
        if i < b.len() && b[i].is_ascii_lowercase() {
            continue;
        }
        let w = &line[s..i];
        if w.len() > upper_prefix.len() + 1 && w.starts_with(upper_prefix) && w.contains('_') && !w.ends_with('_') {
            out.push((s, w));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The extractor

type Key = (ClaimKind, String, Option<String>, Option<(u32, u32)>, bool, Origin);

struct Ex<'a> {
    lines: Vec<&'a str>,
    project: Option<String>,
    project_upper: Option<String>,
    asset_repo: Option<(String, String)>,
    /// The report names its asset (a HackerOne export): only that repository is the project's.
    asset_named: bool,
    reporter_files: HashSet<String>,
    reporter_defs: HashSet<String>,
    known_functions: HashSet<String>,
    claims: Vec<Claim>,
    /// `at line 2547`, `Location: Line 2547`: prose line numbers that name no file, as (report
    /// line, range). They are the file's when the report names one source file only.
    loose_lines: Vec<(usize, (u32, u32))>,
    seen: HashSet<Key>,
    max_claims: usize,
    truncated: bool,
}

struct NewClaim<'s> {
    kind: ClaimKind,
    text: String,
    file: Option<String>,
    lines: Option<(u32, u32)>,
    code: Option<String>,
    negated: bool,
    origin: Origin,
    line: usize,
    context: &'s str,
}

impl<'a> Ex<'a> {
    fn push(&mut self, c: NewClaim<'_>) {
        if c.text.is_empty() {
            return;
        }
        let key: Key = (c.kind, c.text.clone(), c.file.clone(), c.lines, c.negated, c.origin);
        if self.seen.contains(&key) {
            return;
        }
        if self.claims.len() >= self.max_claims {
            self.truncated = true;
            return;
        }
        self.seen.insert(key);
        self.claims.push(Claim {
            kind: c.kind,
            text: c.text,
            file: c.file,
            lines: c.lines,
            code: c.code,
            negated: c.negated,
            origin: c.origin,
            report_line: c.line + 1,
            context: clip(c.context, 200),
        });
    }

    fn full(&self) -> bool {
        self.claims.len() >= self.max_claims
    }

    fn is_project_word(&self, w: &str) -> bool {
        let Some(p) = self.project.as_deref() else { return false };
        let w = w.to_ascii_lowercase();
        let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
        w == p
            || w.strip_prefix("lib") == Some(p)
            // `ZMQ 4.3.4` for libzmq: the library's name without its `lib`.
            || w.len() >= 3 && p.strip_prefix("lib") == Some(w)
            || w.rsplit('/').next() == Some(p)
            || w.rsplit('/').next().and_then(|x| x.strip_prefix("lib")) == Some(p)
            || w.split('/').any(|x| x == p || x.strip_prefix("lib") == Some(p))
    }

    fn is_reporter_file(&self, path: &str) -> bool {
        let lower = path.to_ascii_lowercase();
        if ["/tmp/", "/var/tmp/", "/dev/", "/proc/", "~/", "/usr/", "/opt/", "/system/", "/library/"].iter().any(|p| lower.starts_with(p)) {
            return true;
        }
        let base = lower.rsplit('/').next().unwrap_or(&lower);
        self.reporter_files.contains(base) || lower.split('/').any(|seg| ["poc", "exploit", "repro"].iter().any(|p| seg.starts_with(p)))
    }

    fn function_ok(&self, name: &str) -> bool {
        self.function_name_ok(name) && !self.reporter_defs.contains(name)
    }

    /// A name that can be a function's, whoever defines it.
    fn function_name_ok(&self, name: &str) -> bool {
        name.len() >= 3 && is_ident(name) && !is_stop(name) && name.bytes().any(|c| c.is_ascii_lowercase())
    }

    /// A function mention in prose: `foo()`, `Foo_bar(`, or a bare name already known as a function.
    fn prose_function(&self, t: &Tok<'_>) -> bool {
        if !self.function_ok(t.s) || t.option {
            return false;
        }
        let camel = t.s.bytes().skip(1).any(|c| c.is_ascii_uppercase()) && t.s.bytes().any(|c| c.is_ascii_lowercase());
        if t.call {
            return t.s.contains('_') || camel || t.in_code || self.known_functions.contains(t.s);
        }
        t.s.contains('_') && self.known_functions.contains(t.s) && (t.whole_code || !t.in_code)
    }

    fn api_constant(&self, t: &Tok<'_>) -> bool {
        let Some(up) = self.project_upper.as_deref() else { return false };
        !self.reporter_defs.contains(t.s)
            && t.s.len() > up.len() + 1
            && t.s.starts_with(up)
            && t.s.contains('_')
            && t.s.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_')
            && !t.s.ends_with('_')
    }
}

/// Negation cues around `[start, end)` in `line`, within the clause.
fn negated_at(line: &str, start: usize, end: usize) -> bool {
    negated_within(line, start, end, 90)
}

/// Files, functions and API names: only a cue close before them counts ("unlike `foo()`").
fn negated_near(line: &str, start: usize, end: usize) -> bool {
    negated_within(line, start, end, 40)
}

fn negated_within(line: &str, start: usize, end: usize, window: usize) -> bool {
    let lo = crate::text::floor_char(line, start.saturating_sub(window));
    let before = line[lo..start.min(line.len())].to_ascii_lowercase();
    let clause_start = [". ", "; ", ", ", " but ", " while ", " whereas ", " because ", " — ", " – ", " - "]
        .iter()
        .filter_map(|b| before.rfind(b).map(|p| p + b.len()))
        .max()
        .unwrap_or(0);
    let before = &before[clause_start..];
    if NEG_BEFORE.iter().any(|c| before.contains(c)) {
        return true;
    }
    let hi = crate::text::floor_char(line, (end + 70).min(line.len()));
    let after = line[end.min(hi)..hi].to_ascii_lowercase();
    let clause_end =
        [". ", ";", ", ", " but ", " while ", " because ", " whereas "].iter().filter_map(|b| after.find(b)).min().unwrap_or(after.len());
    let after = &after[..clause_end];
    NEG_AFTER.iter().any(|c| after.find(c).is_some_and(|p| p <= 45))
}

/// Ids anywhere in a line: CVE-YYYY-NNNN, GHSA-xxxx-xxxx-xxxx, CWE-NNN (case-insensitive).
fn ids_in(line: &str) -> Vec<(usize, ClaimKind, String)> {
    let up = line.to_ascii_uppercase();
    let b = up.as_bytes();
    let mut out = Vec::new();
    for (kind, prefix) in [(ClaimKind::Cve, "CVE-"), (ClaimKind::Ghsa, "GHSA-"), (ClaimKind::Cwe, "CWE-")] {
        for (p, _) in up.match_indices(prefix) {
            if p > 0 && b[p - 1].is_ascii_alphanumeric() {
                continue;
            }
            let rest = &up[p + prefix.len()..];
            let id = match kind {
                ClaimKind::Cve => {
                    let y = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if y != 4 || !rest[4..].starts_with('-') {
                        continue;
                    }
                    let n = rest[5..].bytes().take_while(u8::is_ascii_digit).count();
                    if !(4..=8).contains(&n) || rest[5 + n..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                        continue;
                    }
                    format!("CVE-{}", &rest[..5 + n])
                }
                ClaimKind::Ghsa => {
                    let g = rest.as_bytes();
                    let ok = g.len() >= 14
                        && g[4] == b'-'
                        && g[9] == b'-'
                        && [0..4, 5..9, 10..14].iter().all(|r| g[r.clone()].iter().all(u8::is_ascii_alphanumeric))
                        && !g.get(14).is_some_and(u8::is_ascii_alphanumeric);
                    if !ok {
                        continue;
                    }
                    format!("GHSA-{}", rest[..14].to_ascii_lowercase())
                }
                _ => {
                    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
                    if n == 0 || n > 5 || rest[n..].starts_with(|c: char| c.is_ascii_alphanumeric()) {
                        continue;
                    }
                    format!("CWE-{}", rest[..n].trim_start_matches('0'))
                }
            };
            out.push((p, kind, id));
        }
    }
    out.sort_by_key(|x| x.0);
    out
}

/// URLs in a line: (start, end).
fn urls_in(line: &str) -> Vec<(usize, usize)> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    for (p, _) in line.match_indices("://") {
        let mut s = p;
        while s > 0 && b[s - 1].is_ascii_alphabetic() {
            s -= 1;
        }
        if s == p || out.last().is_some_and(|&(_, e)| s < e) {
            continue;
        }
        let mut e = p + 3;
        while e < b.len()
            && b[e].is_ascii()
            && !b[e].is_ascii_whitespace()
            && !matches!(b[e], b')' | b'>' | b'`' | b'"' | b'\'' | b']' | b'<')
        {
            e += 1;
        }
        while e > p + 3 && matches!(b[e - 1], b'.' | b',' | b';' | b':' | b'!' | b'?') {
            e -= 1;
        }
        out.push((s, e));
    }
    out
}

/// The citation in the text before a code block (the last sentence first).
fn citation(ex: &Ex<'_>, before: &str, first_line: Option<&str>) -> Option<Citation> {
    let last_sentence = {
        let t = before.trim_end().trim_end_matches(':').trim_end();
        let p = [". ", "! ", "? "].iter().filter_map(|s| t.rfind(s).map(|p| p + 2)).max().unwrap_or(0);
        &t[p..]
    };
    let mut c = cite_in(ex, last_sentence);
    if c.file.is_none() && c.function.is_none() {
        c = cite_in(ex, before);
    }
    if c.file.is_none() {
        // `/* lib/multi_ev.c */` as the first line of the block.
        if let Some(l) = first_line {
            let t = l.trim();
            // A shell or Python comment (`# src/x.py`), not a C directive (`#include <stdlib.h>`
            // names a header the program uses, not the file quoted).
            let hash_comment = t.starts_with('#') && !t[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '!');
            if t.starts_with("/*") || t.starts_with("//") || hash_comment {
                // `// File: src/x.c (Line ~512)`: the file, and the lines when the comment gives them.
                let first = cite_in(ex, t);
                if first.file.is_some() {
                    c.file = first.file;
                    c.lines = c.lines.or(first.lines);
                }
            }
        }
    }
    (c.file.is_some() || c.function.is_some() || c.lines.is_some()).then_some(c)
}

fn cite_in(ex: &Ex<'_>, text: &str) -> Citation {
    let spans = code_spans(text);
    let toks = tokens(text, &spans);
    let mut c = Citation { file: None, function: None, lines: None };
    // `a()` → `b()`: a call chain ends at the code shown.
    let arrows = text.contains('→') || text.contains("-> `");
    for (k, t) in toks.iter().enumerate() {
        if let Some((path, range)) = split_file_token(t.s) {
            c.file = Some(path.to_string());
            c.lines = range.or_else(|| line_after(&toks, k));
            continue;
        }
        let l = t.s.to_ascii_lowercase();
        if (l == "line" || l == "lines") && c.lines.is_none() {
            if let Some(r) = toks.get(k + 1).and_then(|n| parse_range(n.s)) {
                c.lines = Some(r);
            }
        }
        if (c.function.is_none() || arrows) && t.call && ex.function_ok(t.s) && (t.in_code || t.s.contains('_')) {
            c.function = Some(t.s.to_string());
        }
    }
    c
}

/// `foo` (`lib/x.c:1-2`), `foo` in `lib/x.c`, `foo()` at `lib/x.c:3`: the file right after a name.
fn file_after<'t>(toks: &[Tok<'t>], k: usize) -> Option<&'t str> {
    let mut i = k + 1;
    // `NAME function in FILE`
    if toks.get(i).is_some_and(|t| matches!(t.s, "function" | "routine" | "helper")) {
        i += 1;
    }
    // `NAME, located in FILE`, `NAME (defined in FILE)`
    if toks.get(i).is_some_and(|t| matches!(t.s, "located" | "defined" | "implemented")) {
        i += 1;
    }
    if toks.get(i).is_some_and(|t| matches!(t.s, "in" | "at" | "of" | "from")) {
        i += 1;
    }
    let t = toks.get(i)?;
    split_file_token(t.s).map(|(p, _)| p)
}

/// `FILE line N`, `FILE ~line N-M`, `FILE, lines N-M`: the range after a file token at `k`.
fn line_after(toks: &[Tok<'_>], k: usize) -> Option<(u32, u32)> {
    for d in 1..=2 {
        let t = toks.get(k + d)?;
        let l = t.s.to_ascii_lowercase();
        if l == "line" || l == "lines" {
            return toks.get(k + d + 1).and_then(|n| parse_range(n.s));
        }
        if !matches!(l.as_str(), "at" | "on" | "around" | "near") {
            return None;
        }
    }
    None
}

/// gdb's or lldb's printout of a value: `$1 = {`, `$12 = 0x0`, `(lldb) ... (int) $0 = 3`.
fn debugger_value(line: &str) -> bool {
    let t = line.trim_start();
    let Some(rest) = t.strip_prefix('$') else { return false };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && rest[digits..].starts_with(" = ")
}

/// Classifies a code segment.
fn classify_code(ex: &Ex<'_>, seg: &Seg, lines: &[&str], cited: Option<&Citation>) -> BlockKind {
    let lang = seg.lang.as_deref();
    let body = &lines[seg.start..seg.end];
    let nonblank: Vec<&str> = body.iter().copied().filter(|l| !l.trim().is_empty()).collect();
    if nonblank.is_empty() {
        return BlockKind::Log;
    }
    if matches!(lang, Some("diff" | "patch" | "udiff")) || patch::looks_like_diff(body) {
        return BlockKind::Patch;
    }
    let trace_lines = trace::trace_score(body);
    if trace_lines >= 2 && (trace_lines * 4 >= nonblank.len() || trace::kind_of(&body.join("\n")).is_some()) {
        return BlockKind::Trace;
    }
    // UBSan prints one line per error (`lib/x.c:12:5: runtime error: ...`) and no frames unless
    // asked to: that line is sanitizer output naming a project line, whatever surrounds it.
    if body.iter().any(|l| ubsan_location(l).is_some()) {
        return BlockKind::Trace;
    }
    // A debugger's call stack copied as a list of bare function names (`SIGABRT (Aborted)`,
    // `__GI_raise`, `malloc_printerr`, `ws_read_finish_str`), whatever the fence says: output.
    if frame_list(&nonblank) {
        return BlockKind::Log;
    }
    // A debugger's printout (`p *item` then `$1 = {`, gdb's value history): output, not code.
    if nonblank.iter().any(|l| debugger_value(l)) {
        return BlockKind::Log;
    }
    // A compiler's warnings or errors, each naming a line and quoting it: output, not a quote.
    if body.iter().any(|l| compiler_diagnostic(l).is_some()) {
        return BlockKind::Log;
    }
    let before = seg.before.to_ascii_lowercase();
    let commands = nonblank.iter().filter(|l| is_command_line(l) || l.trim_start().starts_with('#')).count();
    let continuation = nonblank.windows(2).filter(|w| w[0].trim_end().ends_with('\\')).count();
    let command_share = (commands + continuation) as f64 / nonblank.len() as f64;
    // Comment lines say nothing of the kind of code; a trailing `// comment` hides how a statement ends.
    let comments = nonblank.iter().filter(|l| crate::segment::is_comment_line(l)).count();
    let codeish = nonblank
        .iter()
        .filter(|l| {
            let t = crate::segment::without_trailing_comment(l.trim());
            t.ends_with(';')
                || t.ends_with('{')
                || t.ends_with('}')
                || t.starts_with("#include")
                || t.starts_with("#define")
                || t.starts_with("if(")
                || t.starts_with("if (")
                || t.starts_with("def ")
                || t.starts_with("import ")
        })
        .count();
    let code_share = codeish as f64 / (nonblank.len() - comments).max(1) as f64;
    // A program's entry point, or a fuzz harness's (`LLVMFuzzerTestOneInput`), defined here.
    let has_main = body.iter().any(|l| {
        let t = l.trim_start();
        (t.contains(" main(") || t.starts_with("main(") || t.contains("LLVMFuzzerTestOneInput(")) && !t.trim_end().ends_with(';')
            || t.starts_with("if __name__")
    });
    let script_markers = body.iter().any(|l| {
        let t = l.trim_start();
        t.starts_with("#!")
            || t.starts_with("for ")
            || t.starts_with("while ")
            || t.starts_with("if [")
            || t == "done"
            || t == "fi"
            || t.starts_with("function ")
            || t.contains("() {")
    });
    if let Some(l) = lang {
        if SHELL_LANGS.contains(&l) {
            return if script_markers && nonblank.len() >= 6 { BlockKind::ReporterCode } else { BlockKind::Command };
        }
        if LOG_LANGS.contains(&l) {
            return if command_share >= 0.6 { BlockKind::Command } else { BlockKind::Log };
        }
    }
    // `$ grep -n ...` followed by `lib/ws.c:1261:  strcpy(...)`: a transcript of a search, not a quote.
    let grep_hits = nonblank.iter().filter(|l| grep_hit(l)).count();
    if commands >= 1 && (grep_hits + commands) * 2 > nonblank.len() && grep_hits >= 1 && !lang.is_some_and(|l| C_LANGS.contains(&l)) {
        return BlockKind::Log;
    }
    // An unlabelled Python script (`import socket`, `def handler(...):`): the reporter's own.
    let python_lines = nonblank.iter().filter(|l| crate::segment::is_pythonish(l.trim())).count();
    if lang.is_none() && python_lines >= 2 {
        return BlockKind::ReporterCode;
    }
    // An unlabelled PHP page (`<?php`, also inside a shell here-document): a test server or
    // client the reporter wrote.
    if lang.is_none() && nonblank.iter().any(|l| l.trim_start().starts_with("<?php")) {
        return BlockKind::ReporterCode;
    }
    // A script with an interpreter line (`#!/usr/bin/env perl`): the reporter's own, unless the
    // report introduces it as a file of the project.
    if nonblank[0].trim_start().starts_with("#!") && cited.is_none_or(|c| c.file.as_deref().is_none_or(|f| ex.is_reporter_file(f))) {
        return BlockKind::ReporterCode;
    }
    // An unlabelled sketch of a message or structure in `key: value` lines (`certStatus: good`
    // under `SingleResponse {`), with no statement: data, not code, whatever its braces.
    let statements = nonblank.iter().filter(|l| crate::segment::without_trailing_comment(l.trim()).ends_with(';')).count();
    let fields = nonblank.iter().filter(|l| is_field_line(l)).count();
    if lang.is_none() && statements == 0 && fields >= 2 && fields * 3 >= nonblank.len() {
        return BlockKind::Log;
    }
    // Introduced as what a run printed ("Output:", "The server logs:"), with no statement in it.
    if lang.is_none() && statements == 0 && output_cue(&before) {
        return BlockKind::Log;
    }
    let c_like = lang.is_some_and(|l| C_LANGS.contains(&l))
        || (lang.is_none() || !lang.is_some_and(|l| SCRIPT_LANGS.contains(&l))) && code_share >= 0.3;
    let script = lang.is_some_and(|l| SCRIPT_LANGS.contains(&l));
    if !c_like && !script {
        if command_share >= 0.5 {
            return if script_markers && nonblank.len() >= 6 { BlockKind::ReporterCode } else { BlockKind::Command };
        }
        return BlockKind::Log;
    }
    let intro = last_sentence_lower(&before);
    // Introduced as the project's code ("a little description of the problem (vulnerable code)",
    // "the vulnerable function:"): a quote, even under a "Steps To Reproduce" heading.
    if !has_main && project_cue(&intro) && !fix_cue(&intro) {
        return BlockKind::ProjectCode;
    }
    // "demo:" alone, on one of the lines just before, introduces the reporter's program (and
    // its labels, such as `thread1:`, and the odd line read as prose, may come between).
    let demo = lines[seg.start.saturating_sub(8)..seg.start].iter().any(|l| l.trim().eq_ignore_ascii_case("demo:"));
    if has_main || demo || reporter_cue(&intro) || proposal_comment(nonblank[0]) || absence_cue(&intro) {
        return BlockKind::ReporterCode;
    }
    // Opened by a comment about building or running it (`// Compile x509asn1.c with ASan`), or
    // under a PoC heading, with no project file cited for it.
    let first = nonblank[0].trim_start();
    let comment = first.starts_with("//") || first.starts_with("/*") || first.starts_with('#') && !first.starts_with("#include");
    if cited.is_none() && (comment && reporter_cue(&first.to_ascii_lowercase()) || reporter_cue(&seg.heading.to_ascii_lowercase())) {
        return BlockKind::ReporterCode;
    }
    // The block's own first comment calls it the reporter's or an application's code: a function
    // the sentence before names (the API it calls) does not make it a quote of the project.
    if comment && reporter_cue(&first.to_ascii_lowercase()) && cited.is_some_and(|c| c.file.is_none() && c.lines.is_none()) {
        return BlockKind::ReporterCode;
    }
    // Introduced as a file the reporter creates, and by nothing of the project.
    if cited.is_some_and(|c| c.function.is_none() && c.lines.is_none() && c.file.as_deref().is_some_and(|f| ex.is_reporter_file(f))) {
        return BlockKind::ReporterCode;
    }
    // "The fix should do what url.c:3235 does, similar to the pattern there:": code written after
    // a pattern of the project, not a quote of it.
    if fix_cue(&intro)
        && ["similar to", "like the pattern", "pattern in", "pattern of", "modeled on", "modelled on", "along the lines of"]
            .iter()
            .any(|w| intro.contains(w))
    {
        return BlockKind::ReporterCode;
    }
    let project_cite =
        cited.is_some_and(|c| c.file.as_deref().is_some_and(|f| !ex.is_reporter_file(f)) || c.function.is_some() || c.lines.is_some());
    // A citation naming a project file quotes existing code even near a word like "fix"; a bare
    // function name there ("Option B — make `foo()` check ...") introduces the reporter's own code.
    let cite_has_lines = cited.is_some_and(|c| c.file.as_deref().is_some_and(|f| !ex.is_reporter_file(f)));
    if project_cite && !cite_has_lines && (fix_cue(&intro) || fix_cue(&seg.heading)) {
        return BlockKind::ReporterCode;
    }
    if fix_heading(&seg.heading) && cited.is_none_or(|c| c.lines.is_none()) {
        return BlockKind::ReporterCode;
    }
    if project_cite && !(script && cited.and_then(|c| c.file.as_deref()).is_none_or(|f| !f.ends_with(lang.unwrap_or("")))) {
        return BlockKind::ProjectCode;
    }
    if script {
        return BlockKind::ReporterCode;
    }
    if reporter_cue(&seg.heading) || reporter_cue(&before) || fix_cue(&intro) || fix_cue(&seg.heading) {
        return BlockKind::ReporterCode;
    }
    if let Some(p) = ex.project.as_deref() {
        let public = format!("#include <{p}/");
        if body.iter().any(|l| l.trim_start().starts_with(&public)) {
            return BlockKind::ReporterCode;
        }
        // C++ that reaches the project through its namespace on several lines
        // (`simdjson::dom::parser parser;`): an application's code, which the project's own,
        // written inside the namespace, rarely is.
        let qualified = format!("{p}::");
        if body.iter().filter(|l| l.contains(&qualified)).count() >= 2 {
            return BlockKind::ReporterCode;
        }
        // Uncited code that mostly calls the public API (`curl_easy_setopt(...)`) is an application's.
        let prefix = format!("{p}_");
        let calls: Vec<CodeName> = code_names(body, lang).into_iter().filter(|n| !n.def && !is_stop(&n.name)).collect();
        let public_calls: HashSet<&str> = calls.iter().filter(|n| n.name.starts_with(&prefix)).map(|n| n.name.as_str()).collect();
        if public_calls.len() >= 2 && calls.iter().filter(|n| n.name.starts_with(&prefix)).count() * 2 >= calls.len() {
            return BlockKind::ReporterCode;
        }
    }
    BlockKind::ProjectCode
}

fn last_sentence_lower(before: &str) -> String {
    let t = before.trim_end().trim_end_matches(':');
    let p = [". ", "! ", "? "].iter().filter_map(|s| t.rfind(s).map(|p| p + 2)).max().unwrap_or(0);
    t[p..].to_string()
}

/// The version scope of a prose line: a heading or a leading label about versions.
fn version_label(line: &str) -> Option<bool> {
    let t = line.trim().trim_start_matches(['#', '*', '-', ' ', '>', '_']).to_ascii_lowercase();
    let negated =
        t.starts_with("unaffected") || t.starts_with("not affected") || t.starts_with("fixed in") || t.starts_with("fixed version");
    let labels = [
        "affected version",
        "version",
        "versions",
        "unaffected version",
        "vulnerable version",
        "tested version",
        "tested on",
        "reproduced on",
        "fixed in",
        "fixed version",
        "not affected",
    ];
    labels.iter().any(|l| t.starts_with(l)).then_some(negated)
}

pub(crate) fn run(text: &str, limits: &Limits, project_hint: Option<&str>) -> Report {
    // Markdown quotes (`> ` before each line, as when a report quotes a commit's message or a
    // reviewer's comment with its code fences) read as the lines they quote.
    let lines: Vec<&str> = crate::text::split_lines(text).into_iter().map(crate::text::unquoted).collect();
    let mut mi = meta::parse(&lines);
    if mi.meta.project.is_none() {
        mi.meta.project = project_hint.map(str::to_ascii_lowercase).filter(|p| !p.is_empty());
    }
    let project = mi.meta.project.clone();
    let mut ex = Ex {
        project_upper: project
            .as_ref()
            .map(|p| p.to_ascii_uppercase())
            .filter(|p| p.len() >= 2 && p.bytes().all(|c| c.is_ascii_alphanumeric())),
        project,
        // The asset's repository, else `PROJECT/PROJECT` for a report that names only the project.
        asset_repo: mi
            .meta
            .asset
            .as_deref()
            .and_then(meta::repo_of)
            .or_else(|| mi.meta.project.as_deref().map(|p| p.to_ascii_lowercase()).filter(|p| is_ident(p)).map(|p| (p.clone(), p))),
        asset_named: mi.meta.asset.as_deref().and_then(meta::repo_of).is_some(),
        lines: lines.clone(),
        reporter_files: HashSet::new(),
        reporter_defs: HashSet::new(),
        known_functions: HashSet::new(),
        claims: Vec::new(),
        loose_lines: Vec::new(),
        seen: HashSet::new(),
        max_claims: limits.max_claims,
        truncated: false,
    };
    let (segs, seg_truncated) = segment::segment(&lines, limits.max_blocks);

    // 1. Classify code blocks.
    let mut blocks: Vec<Block> = Vec::with_capacity(segs.len());
    for seg in &segs {
        let body = &lines[seg.start..seg.end];
        let (kind, cited) = match seg.kind {
            BlockKind::Prose => (BlockKind::Prose, None),
            BlockKind::Trace => (BlockKind::Trace, None),
            _ => {
                let cited = citation(&ex, &seg.before, body.iter().find(|l| !l.trim().is_empty()).copied());
                let mut kind = classify_code(&ex, seg, &lines, cited.as_ref());
                if !seg.fenced && kind == BlockKind::Log && looks_like_prose(body) {
                    kind = BlockKind::Prose;
                }
                (kind, cited)
            }
        };
        // Unfenced code written as a Markdown list, one statement an item (`- memcpy(dst, src, n);`):
        // the markers are the list's, not the code's.
        let bulleted = !seg.fenced
            && seg.kind == BlockKind::ReporterCode
            && seg.lang.as_deref() != Some("diff")
            && body.iter().filter(|l| !l.trim().is_empty()).all(|l| l.trim_start().starts_with("- ") || l.trim_start().starts_with("* "));
        let text = if bulleted {
            body.iter().map(|l| l.trim_start().get(2..).unwrap_or_default()).collect::<Vec<_>>().join("\n")
        } else {
            body.join("\n")
        };
        blocks.push(Block { kind, lang: seg.lang.clone(), start_line: seg.start + 1, end_line: seg.end.max(seg.start + 1), text, cited });
    }

    // 2. What the reporter wrote: files and functions. Code cited only by a file the reporter
    // creates (`Save the following as evil.c`, `gcc evil.c`) is the reporter's: classify again.
    gather_reporter(&mut ex, &segs, &blocks);
    let mut again = false;
    for (seg, b) in segs.iter().zip(blocks.iter_mut()) {
        let reporter_file = b.cited.as_ref().and_then(|c| c.file.as_deref()).is_some_and(|f| ex.is_reporter_file(f));
        if b.kind == BlockKind::ProjectCode && reporter_file {
            let kind = classify_code(&ex, seg, &lines, b.cited.as_ref());
            again |= kind != b.kind;
            b.kind = kind;
        }
    }
    if again {
        gather_reporter(&mut ex, &segs, &blocks);
    }
    // Uncited code right after the reporter's program, with no sentence in between (only `}`, a
    // line of dots where the reporter cut it, or the next function's `void release()`): more of
    // that program.
    for i in 1..blocks.len() {
        if blocks[i].kind != BlockKind::ProjectCode || blocks[i].cited.is_some() {
            continue;
        }
        let codeish = |l: &str| {
            let words = l.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| w.len() >= 3).count();
            words == 0 || words <= 3 && l.contains(['(', '{', '}']) && !l.trim_end().ends_with(['.', ':', '?', '!'])
        };
        let wordless = |b: &Block| b.kind == BlockKind::Prose && b.text.lines().filter(|l| !l.trim().is_empty()).all(codeish);
        let prev = if wordless(&blocks[i - 1]) && i >= 2 { &blocks[i - 2] } else { &blocks[i - 1] };
        if prev.kind == BlockKind::ReporterCode && (prev.lang.is_none() || prev.lang == blocks[i].lang) {
            blocks[i].kind = BlockKind::ReporterCode;
        }
    }
    // Code quoted again after the reporter's own program that holds it ("the problem is this
    // call:" under a harness): the reporter's code, unless a project file or line is cited for it.
    let mut written: HashSet<String> = HashSet::new();
    for b in blocks.iter_mut() {
        match b.kind {
            BlockKind::ReporterCode => written.extend(b.text.lines().map(squeezed).filter(|l| l.len() >= 6)),
            BlockKind::ProjectCode if b.cited.as_ref().is_none_or(|c| c.file.is_none() && c.lines.is_none()) => {
                let quoted: Vec<String> = b.text.lines().map(squeezed).filter(|l| l.len() >= 6).collect();
                let mine = quoted.iter().filter(|l| written.contains(*l)).count();
                if !quoted.is_empty() && mine * 5 >= quoted.len() * 3 {
                    b.kind = BlockKind::ReporterCode;
                }
            }
            _ => {}
        }
    }

    // 3. Traces and patches.
    let mut traces = Vec::new();
    let mut inline_traces = Vec::new();
    let mut patches = Vec::new();
    let mut patch_contexts = Vec::new();
    let mut patch_olds: Vec<Vec<Vec<String>>> = Vec::new();
    for (seg, b) in segs.iter().zip(&blocks) {
        let body = &lines[seg.start..seg.end];
        match b.kind {
            BlockKind::Trace => traces.push((seg.start, trace::parse(body, seg.start + 1))),
            BlockKind::Patch => {
                let fallback = b.cited.as_ref().and_then(|c| c.file.as_deref()).filter(|f| !ex.is_reporter_file(f));
                let p = patch::parse(body, seg.start + 1, fallback);
                patch_contexts.push(p.contexts);
                patch_olds.push(p.olds);
                patches.push((seg.start, p.patch));
            }
            // Traces written inline in prose: kept apart (no segment of their own), for the
            // evidence checks only.
            BlockKind::Prose => inline_traces.extend(body.iter().enumerate().filter_map(|(i, l)| trace::inline(l, seg.start + i + 1))),
            _ => {}
        }
    }
    for (_, t) in &traces {
        for f in &t.frames {
            if f.function == "main" {
                if let Some(file) = &f.file {
                    ex.reporter_files.insert(file.rsplit('/').next().unwrap_or(file).to_ascii_lowercase());
                }
            }
        }
    }

    // 4. Known functions (so that a bare `name` in prose can count).
    gather_known(&mut ex, &segs, &blocks, &traces, &patches, &patch_contexts);

    // 5. Claims, in report order.
    if let Some(tl) = mi.title_line {
        let title = lines[tl];
        for (_, kind, id) in ids_in(title) {
            ex.push(NewClaim {
                kind,
                text: id,
                file: None,
                lines: None,
                code: None,
                negated: false,
                origin: Origin::Metadata,
                line: tl,
                context: title,
            });
        }
    }
    for &r in &mi.rows {
        let row = lines[r];
        for (_, kind, id) in ids_in(row) {
            ex.push(NewClaim {
                kind,
                text: id,
                file: None,
                lines: None,
                code: None,
                negated: false,
                origin: Origin::Metadata,
                line: r,
                context: row,
            });
        }
    }
    // The title is read as prose too (below), for the files and functions it names.
    let meta_rows: HashSet<usize> = mi.rows.iter().copied().filter(|r| !mi.product_rows.contains(r)).collect();
    let mut trace_iter = traces.iter().peekable();
    let mut patch_iter = patches.iter().zip(patch_contexts.iter().zip(&patch_olds)).peekable();
    let mut scope = Scope::default();
    for (seg, b) in segs.iter().zip(&blocks) {
        if ex.full() {
            ex.truncated = true;
            break;
        }
        match b.kind {
            BlockKind::Prose => {
                for li in seg.start..seg.end {
                    if meta_rows.contains(&li) {
                        continue;
                    }
                    let before = ex.claims.len();
                    prose_line(&mut ex, li, &mut scope);
                    // The title names files and functions like any sentence; its ids were
                    // already taken as metadata.
                    if Some(li) == mi.title_line {
                        let mut k = 0;
                        ex.claims.retain(|c| {
                            k += 1;
                            k <= before || !matches!(c.kind, ClaimKind::Cve | ClaimKind::Ghsa | ClaimKind::Cwe)
                        });
                    }
                }
            }
            BlockKind::ProjectCode => project_code(&mut ex, seg, b),
            BlockKind::ReporterCode => reporter_code(&mut ex, seg, b),
            BlockKind::Trace => {
                if let Some((_, t)) = trace_iter.next_if(|(s, _)| *s == seg.start) {
                    trace_claims(&mut ex, seg, t);
                }
            }
            BlockKind::Patch => {
                if let Some(((_, p), (ctx, olds))) = patch_iter.next_if(|((s, _), _)| *s == seg.start) {
                    patch_claims(&mut ex, p, ctx, olds);
                }
            }
            BlockKind::Log | BlockKind::Command => {
                for li in seg.start..seg.end {
                    ids_only(&mut ex, li, Origin::ReporterCode);
                }
                if b.kind == BlockKind::Log {
                    diagnostic_claims(&mut ex, seg);
                }
            }
        }
    }

    // Line claims get the code of a ProjectCode block citing the same file and range.
    let cited_code: HashMap<(String, (u32, u32)), String> = blocks
        .iter()
        .filter(|b| b.kind == BlockKind::ProjectCode)
        .filter_map(|b| {
            let c = b.cited.as_ref()?;
            Some(((c.file.clone()?, c.lines?), b.text.clone()))
        })
        .collect();
    // Prose line numbers without a file (`Location: Line 2547`): the file's, when the report
    // names exactly one source file and cites no line of any file otherwise.
    if !ex.claims.iter().any(|c| c.kind == ClaimKind::Line) {
        let files: HashSet<&str> = ex
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::File && !c.negated && c.origin == Origin::Prose && is_source_path(&c.text))
            .map(|c| c.text.as_str())
            .collect();
        if files.len() == 1 {
            let path = files.into_iter().next().unwrap_or_default().to_string();
            for (li, r) in std::mem::take(&mut ex.loose_lines) {
                let ctx = clip(lines[li].trim(), 200);
                let claim = line_claim(&path, r, false, Origin::Prose, li, &ctx);
                ex.push(claim);
            }
        }
    }
    for c in &mut ex.claims {
        if c.kind == ClaimKind::Line && c.code.is_none() {
            if let (Some(f), Some(r)) = (&c.file, c.lines) {
                if let Some(code) = cited_code.get(&(f.clone(), r)) {
                    c.code = Some(code.clone());
                }
            }
        }
    }

    // 6. Class and inputs, from the prose.
    let mut prose_lower = String::new();
    let mut options = 0usize;
    for (seg, b) in segs.iter().zip(&blocks) {
        if b.kind == BlockKind::Prose {
            for l in &lines[seg.start..seg.end] {
                if prose_lower.len() < 1 << 20 {
                    prose_lower.push_str(&l.to_ascii_lowercase());
                    prose_lower.push('\n');
                }
                options += l.split_whitespace().filter(|w| w.trim_matches('`').starts_with("--")).count();
            }
        }
    }
    for (_, t) in &traces {
        if let Some(s) = &t.summary {
            prose_lower.push_str(&s.to_ascii_lowercase());
            prose_lower.push('\n');
        }
    }
    let cwes: Vec<u32> = ex.claims.iter().filter(|c| c.kind == ClaimKind::Cwe).filter_map(|c| c.text[4..].parse().ok()).collect();
    let class = crate::classify::vuln_class(mi.meta.weakness.as_deref(), &cwes, mi.title.as_deref(), &prose_lower);
    let mut inputs = crate::classify::inputs(&prose_lower, false);
    if inputs.is_empty() && options > 0 {
        inputs = crate::classify::inputs("", true);
    }

    let truncated = seg_truncated || ex.truncated;
    Report {
        title: mi.title,
        meta: mi.meta,
        blocks,
        claims: ex.claims,
        traces: traces.into_iter().map(|(_, t)| t).chain(inline_traces).collect(),
        patches: patches.into_iter().map(|(_, p)| p).collect(),
        class,
        inputs,
        truncated,
    }
}

/// A code line with its runs of whitespace squeezed to one space, for comparing quotes.
fn squeezed(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text before a block that introduces what a run printed: its last sentence ends with a colon
/// and speaks of output ("Output:", "The server logs:", "Result:").
fn output_cue(before_lower: &str) -> bool {
    before_lower.trim_end().ends_with(':')
        && ["output", "result", "prints", "printed", "response", "logs", "logged", "we see", "we get", "observed"]
            .iter()
            .any(|w| last_sentence_lower(before_lower).contains(w))
}

/// A `key: value` line of a data sketch (`certStatus: good`, `"len": 12,`): a name, a colon and
/// a value, where C would have a label (`out:`), a `case`, a `::` or a statement ending in `;`.
fn is_field_line(line: &str) -> bool {
    let t = line.trim();
    let Some((key, value)) = t.split_once(':') else { return false };
    let key = key.trim().trim_matches('"');
    let value = value.trim();
    !key.is_empty()
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && !matches!(key, "case" | "default" | "public" | "private" | "protected" | "http" | "https")
        && !value.is_empty()
        && !value.starts_with(':')
        && !value.starts_with("//")
        && !t.ends_with(';')
}

fn looks_like_prose(body: &[&str]) -> bool {
    let words: usize = body.iter().map(|l| l.split_whitespace().count()).sum();
    let lines = body.iter().filter(|l| !l.trim().is_empty()).count().max(1);
    let sentences = body.iter().filter(|l| l.trim_end().ends_with('.') || l.trim_end().ends_with(':')).count();
    words / lines >= 6 && sentences * 2 >= lines
}

/// Whether `cue` occurs in `text` at the start of a word ("script" in "the script", not in
/// "description").
fn at_word_start(text: &str, cue: &str) -> bool {
    text.match_indices(cue).any(|(i, _)| i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric())
}

fn gather_reporter(ex: &mut Ex<'_>, segs: &[Seg], blocks: &[Block]) {
    let lines = ex.lines.clone();
    let add = |set: &mut HashSet<String>, path: &str| {
        set.insert(path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase());
    };
    for (seg, b) in segs.iter().zip(blocks) {
        let body = &lines[seg.start..seg.end];
        match b.kind {
            BlockKind::Prose => {
                for l in body {
                    let lower = l.to_ascii_lowercase();
                    let cue = [
                        "save as",
                        "saved as",
                        "save this",
                        "save it as",
                        "create a file",
                        "create the file",
                        "create ",
                        "attached",
                        "attachment",
                        "named ",
                        "compile ",
                        "write the following",
                        "script",
                        "the following program",
                        "run the ",
                        "start the ",
                        "helper",
                    ]
                    .iter()
                    .any(|c| at_word_start(&lower, c));
                    let spans = code_spans(l);
                    for &(cs, ce) in &spans {
                        let span = &l[cs..ce];
                        if let Some(w) = command_word(span) {
                            if is_tool(w.rsplit('/').next().unwrap_or(w)) {
                                for t in tokens(span, &[]) {
                                    if let Some((p, _)) = split_file_token(t.s) {
                                        if !p.starts_with("lib/") && !p.starts_with("src/") {
                                            add(&mut ex.reporter_files, p);
                                        }
                                    }
                                }
                            }
                        }
                    }
                    if !cue {
                        continue;
                    }
                    let spans = code_spans(l);
                    for t in tokens(l, &spans) {
                        if let Some((p, _)) = split_file_token(t.s) {
                            if !p.contains('/') || p.starts_with("./") {
                                add(&mut ex.reporter_files, p);
                            }
                        }
                    }
                }
            }
            BlockKind::Command | BlockKind::ReporterCode | BlockKind::Log => {
                let shellish = b.kind != BlockKind::ReporterCode || b.lang.as_deref().is_some_and(|l| SHELL_LANGS.contains(&l));
                if shellish || b.lang.as_deref().is_some_and(|l| SHELL_LANGS.contains(&l)) || b.kind == BlockKind::ReporterCode {
                    // Variables the reporter's scripts set (`CURL_BIN=...`) are not project names.
                    for l in body {
                        for w in l.split_whitespace().skip_while(|w| matches!(*w, "export" | "local" | "readonly" | "declare" | "$")) {
                            let Some((k, _)) = w.split_once('=') else { break };
                            if k.len() >= 2 && k.bytes().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b'_') {
                                ex.reporter_defs.insert(k.to_string());
                            }
                        }
                    }
                }
                if shellish {
                    for l in body {
                        let Some(w) = command_word(l) else { continue };
                        let w = w.rsplit('/').next().unwrap_or(w);
                        let tool = is_tool(w);
                        if !tool {
                            continue;
                        }
                        let spans = code_spans(l);
                        for t in tokens(l, &spans) {
                            if let Some((p, _)) = split_file_token(t.s) {
                                if !p.starts_with("lib/") && !p.starts_with("src/") && !p.contains("/lib/") && !p.contains("/src/") {
                                    add(&mut ex.reporter_files, p);
                                }
                            }
                        }
                    }
                }
                // A script or log introduced by a bare file name (`1. MQTT server ( mqtt_server.py )`);
                // not a compiler's output, introduced by the file it compiled.
                let compiled = body.iter().any(|l| compiler_diagnostic(l).is_some());
                if let Some(f) = b.cited.as_ref().filter(|c| c.function.is_none() && c.lines.is_none()).and_then(|c| c.file.as_deref()) {
                    if !f.contains('/') && b.kind != BlockKind::ReporterCode && !compiled {
                        add(&mut ex.reporter_files, f);
                    }
                }
                if b.kind == BlockKind::ReporterCode {
                    // A file named in the leading comment (`/* poc.c */`, `# repro.py`), or the citation.
                    for l in body.iter().take(6) {
                        let t = l.trim();
                        if t.starts_with("/*")
                            || t.starts_with('*')
                            || t.starts_with("//")
                            || t.starts_with('#') && !t.starts_with("#include")
                        {
                            let spans = code_spans(t);
                            for tk in tokens(t, &spans) {
                                if let Some((p, _)) = split_file_token(tk.s) {
                                    add(&mut ex.reporter_files, p);
                                }
                            }
                        }
                    }
                    if let Some(f) = b.cited.as_ref().and_then(|c| c.file.as_deref()) {
                        if !f.contains('/') {
                            add(&mut ex.reporter_files, f);
                        }
                    }
                    for n in code_names(body, b.lang.as_deref()) {
                        if n.def {
                            ex.reporter_defs.insert(n.name);
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

fn gather_known(
    ex: &mut Ex<'_>,
    segs: &[Seg],
    blocks: &[Block],
    traces: &[(usize, crate::Trace)],
    patches: &[(usize, crate::Patch)],
    contexts: &[Vec<String>],
) {
    let lines = ex.lines.clone();
    let mut known = HashSet::new();
    for (seg, b) in segs.iter().zip(blocks) {
        let body = &lines[seg.start..seg.end];
        match b.kind {
            BlockKind::Prose => {
                for l in body {
                    if !l.contains('(') {
                        continue;
                    }
                    let spans = code_spans(l);
                    for t in tokens(l, &spans) {
                        if t.call && ex.function_ok(t.s) && (t.s.contains('_') || t.in_code) {
                            known.insert(t.s.to_string());
                        }
                    }
                }
            }
            BlockKind::ProjectCode => {
                for n in code_names(body, b.lang.as_deref()) {
                    if ex.function_ok(&n.name) {
                        known.insert(n.name);
                    }
                }
            }
            _ => {}
        }
    }
    for (_, t) in traces {
        for f in &t.frames {
            if ex.function_ok(&f.function) {
                known.insert(f.function.clone());
            }
        }
    }
    for ((_, p), ctx) in patches.iter().zip(contexts) {
        for c in ctx {
            if let Some(n) = code_names(&[c.as_str()], Some("c")).into_iter().next() {
                if ex.function_ok(&n.name) {
                    known.insert(n.name);
                }
            }
        }
        for h in &p.hunks {
            let old: Vec<&str> = h.removed.iter().chain(&h.context).map(String::as_str).collect();
            for n in code_names(&old, Some("c")) {
                if ex.function_ok(&n.name) {
                    known.insert(n.name);
                }
            }
        }
    }
    ex.known_functions = known;
}

#[derive(Default)]
struct Scope {
    /// Inside a version section (heading), until the next heading.
    heading: bool,
    heading_negated: bool,
    /// Inside a version paragraph, until a blank line.
    para: bool,
    para_negated: bool,
}

fn ids_only(ex: &mut Ex<'_>, li: usize, origin: Origin) {
    let line = ex.lines[li];
    if line.len() > 100_000 {
        return;
    }
    for (p, kind, id) in ids_in(line) {
        let ctx = sentence(line, p, p + id.len());
        ex.push(NewClaim { kind, text: id, file: None, lines: None, code: None, negated: false, origin, line: li, context: ctx });
    }
}

/// Names that stand for any name in an example (`x = func(foo)->bar`).
const PLACEHOLDER_NAMES: &[&str] = &["foo", "bar", "baz", "qux", "quux", "foobar"];

/// `conn->ntlm`, `data->set.postfields`, `(*ptr)->len` in prose: (start, end, first member after
/// `->`). Base and member are C identifiers starting in lower case; the member has at least three
/// characters. Outside backticks the expression must look like code, not an arrow between words
/// (`HTTP->HTTPS`, `client->server`): an underscore, a longer chain, or a short base (`conn`, `req`).
fn members_in<'l>(line: &'l str, spans: &[(usize, usize)]) -> Vec<(usize, usize, &'l str)> {
    let b = line.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(p) = line[from..].find("->").map(|p| p + from) {
        from = p + 2;
        let mut s = p;
        while s > 0 && ident(b[s - 1]) {
            s -= 1;
        }
        let base_ok = s < p && b[s].is_ascii_alphabetic() || p > 0 && matches!(b[p - 1], b')' | b']');
        let mut e = p + 2;
        while e < b.len() && ident(b[e]) {
            e += 1;
        }
        let member = &line[p + 2..e];
        let lower_start = |w: &str| w.as_bytes().first().is_some_and(|c| c.is_ascii_lowercase() || *c == b'_');
        if !base_ok || member.len() < 3 || !lower_start(member) || s < p && !lower_start(&line[s..p]) || e < b.len() && b[e] == b'(' {
            continue;
        }
        // The rest of the chain (`.state`, `->x`) belongs to the expression shown.
        let mut end = e;
        while end < b.len() && (ident(b[end]) || b[end] == b'.' && end + 1 < b.len() && ident(b[end + 1]) || line[end..].starts_with("->"))
        {
            end += if line[end..].starts_with("->") { 2 } else { 1 };
        }
        // `func(foo)->bar` illustrates a pattern; it names nothing of the project.
        let named = |w: &str| PLACEHOLDER_NAMES.contains(&w);
        if named(member) || named(&line[s..p]) || line[..p].ends_with("(foo)") {
            continue;
        }
        let quoted = spans.iter().any(|&(cs, ce)| cs <= s && e <= ce);
        let in_chain = line[..s].ends_with("->") || line[..s].ends_with('.') && s >= 2 && ident(b[s - 2]);
        let codeish = line[s..end].contains('_') || end > e || in_chain || p - s <= 5;
        if !(quoted || codeish) {
            continue;
        }
        out.push((s, end, member));
    }
    out
}

fn prose_line(ex: &mut Ex<'_>, li: usize, scope: &mut Scope) {
    let line = ex.lines[li];
    let trimmed = line.trim();
    if trimmed.is_empty() {
        scope.para = false;
        return;
    }
    let is_heading = trimmed.starts_with('#') && trimmed.trim_start_matches('#').starts_with(' ');
    if is_heading {
        scope.para = false;
        match version_label(trimmed) {
            Some(neg) => {
                scope.heading = true;
                scope.heading_negated = neg;
            }
            None => scope.heading = false,
        }
    } else if let Some(neg) = version_label(trimmed) {
        scope.para = true;
        scope.para_negated = neg;
    }
    let in_scope = scope.heading || scope.para;
    let scope_negated = scope.para && scope.para_negated || !scope.para && scope.heading && scope.heading_negated;

    // Ids first, on the raw line.
    for (p, kind, id) in ids_in(line) {
        let ctx = sentence(line, p, p + id.len());
        ex.push(NewClaim {
            kind,
            text: id,
            file: None,
            lines: None,
            code: None,
            negated: false,
            origin: Origin::Prose,
            line: li,
            context: ctx,
        });
    }

    // URLs: repository links give commits, files and lines; then they are blanked out.
    let urls = urls_in(line);
    let mut work = String::new();
    let line_for_tokens: &str = if urls.is_empty() {
        line
    } else {
        let mut bytes = line.as_bytes().to_vec();
        for &(s, e) in &urls {
            url_claims(ex, li, line, &line[s..e], s, e);
            for x in &mut bytes[s..e] {
                *x = b' ';
            }
        }
        work = String::from_utf8(bytes).unwrap_or_default();
        &work
    };
    let l = line_for_tokens;
    let member_spans = code_spans(l);
    for (s, e, member) in members_in(l, &member_spans) {
        let neg = negated_near(l, s, e);
        let ctx = sentence(l, s, e);
        ex.push(NewClaim {
            kind: ClaimKind::Member,
            text: member.to_string(),
            file: None,
            lines: None,
            code: Some(l[s..e].to_string()),
            negated: neg,
            origin: Origin::Prose,
            line: li,
            context: ctx,
        });
    }
    let spans = code_spans(l);
    let toks = tokens(l, &spans);
    // (token index, accepted, negated) of the last version seen.
    let mut last_version: Option<(usize, bool, bool)> = None;
    let lower_line = l.to_ascii_lowercase();
    for (k, t) in toks.iter().enumerate() {
        if ex.full() {
            return;
        }
        let ctx = sentence(l, t.start, t.end);
        let lower = t.s.to_ascii_lowercase();
        // Files and lines.
        if !t.option {
            // A source file (`lib/http.c:822`), or a data or documentation file in a folder
            // (`tests/data/key.pem`).
            if let Some((path, range)) = split_file_token(t.s).or_else(|| data_path(t.s).map(|p| (p, None))) {
                if !ex.is_reporter_file(path) {
                    let neg = negated_near(l, t.start, t.end);
                    // `inflate.c: 430` (an analyser's "Source:" field): the number right after a colon.
                    let spaced = || {
                        let next = toks.get(k + 1)?;
                        let gap = l.get(t.end..next.start)?;
                        (gap.trim_end() == ":" && gap.len() > 1 && next.s.bytes().all(|b| b.is_ascii_digit()))
                            .then(|| parse_range(next.s))
                            .flatten()
                    };
                    let range = range.or_else(|| line_after(&toks, k)).or_else(spaced);
                    // "correctly protected (`lib/http.c:1828-1833`)" excludes those lines, not the file.
                    ex.push(NewClaim {
                        kind: ClaimKind::File,
                        text: path.to_string(),
                        file: None,
                        lines: None,
                        code: None,
                        negated: neg && range.is_none(),
                        origin: Origin::Prose,
                        line: li,
                        context: ctx,
                    });
                    if let Some(r) = range {
                        let mut claim = line_claim(path, r, neg, Origin::Prose, li, ctx);
                        claim.code = inline_code_after(l, &spans, t.end);
                        ex.push(claim);
                    }
                }
                continue;
            }
        }
        if (lower == "line" || lower == "lines") && k + 3 < toks.len() + 1 {
            if let (Some(r), Some(of), Some(f)) = (toks.get(k + 1).and_then(|n| parse_range(n.s)), toks.get(k + 2), toks.get(k + 3)) {
                if matches!(of.s, "of" | "in") {
                    if let Some((path, _)) = split_file_token(f.s) {
                        if !ex.is_reporter_file(path) {
                            let neg = negated_near(l, t.start, f.end);
                            ex.push(line_claim(path, r, neg, Origin::Prose, li, ctx));
                        }
                    }
                    continue;
                }
            }
            if let Some(r) = toks.get(k + 1).and_then(|n| parse_range(n.s)) {
                if !loose_line_excluded(&lower_line) && !negated_near(l, t.start, t.end) {
                    ex.loose_lines.push((li, r));
                }
            }
            continue;
        }
        // Versions.
        if let Some(v) = version_of(t.s).or_else(|| product_version(ex, t.s)) {
            let attached = version_of(t.s).is_none(); // `libcurl/8.18.0`, `curl-8.5.0`
            let prev = k.checked_sub(1).map(|p| &toks[p]);
            let prev_s = prev.map(|p| p.s.to_ascii_lowercase());
            let prev2 = k.checked_sub(2).map(|p| toks[p].s);
            let chained = last_version
                .filter(|&(lk, _, _)| k - lk <= 3 && toks[lk + 1..k].iter().all(|x| neutral().contains(x.s.to_ascii_lowercase().as_str())));
            // `curl 8.1.0`, `curl version 8.1.0`, `8.1.0 <= libcurl`.
            let after_project = prev.is_some_and(|p| ex.is_project_word(p.s))
                || prev_s.as_deref().is_some_and(|p| matches!(p, "version" | "versions" | "v"))
                    && prev2.is_some_and(|p| ex.is_project_word(p))
                || toks.get(k + 1).is_some_and(|n| ex.is_project_word(n.s) && l[t.end..n.start].contains(['<', '>', '=']));
            let accept = if attached || after_project {
                true
            } else if let Some((_, acc, _)) = chained {
                acc
            } else {
                let other_product = prev_s
                    .as_deref()
                    .is_some_and(|p| p.bytes().any(|c| c.is_ascii_alphabetic()) && !neutral().contains(p) && !ex.is_project_word(p))
                    || prev.is_some_and(|p| l[p.end..t.start].contains('/'));
                if other_product {
                    false
                } else if in_scope {
                    true
                } else {
                    // Outside a version section: a full x.y.z after a neutral word.
                    v.split(['-', '+']).next().is_some_and(|c| c.split('.').count() == 3)
                        && prev_s.as_deref().is_some_and(|p| neutral().contains(p))
                        && ex.project.is_some()
                        // `OpenSSL version 3.0.2`: a capitalised name two words back.
                        && !prev2.is_some_and(|p| {
                            let lower = p.to_ascii_lowercase();
                            p.starts_with(|c: char| c.is_ascii_uppercase())
                                && !neutral().contains(lower.as_str())
                                && !ex.is_project_word(&lower)
                        })
                }
            };
            let neg = chained.is_some_and(|(_, a, n)| a && n) || scope_negated || negated_at(l, t.start, t.end);
            last_version = Some((k, accept, neg));
            if accept {
                ex.push(NewClaim {
                    kind: ClaimKind::Version,
                    text: v,
                    file: None,
                    lines: None,
                    code: None,
                    negated: neg,
                    origin: Origin::Prose,
                    line: li,
                    context: ctx,
                });
            }
            continue;
        }
        // Commits.
        if is_commitish(t.s) {
            let prev = k.checked_sub(1).map(|p| toks[p].s.to_ascii_lowercase());
            let cue = prev.as_deref().is_some_and(|p| {
                matches!(
                    p,
                    "commit"
                        | "commits"
                        | "master"
                        | "at"
                        | "revision"
                        | "rev"
                        | "sha"
                        | "sha1"
                        | "head"
                        | "main"
                        | "hash"
                        | "tree"
                        | "checkout"
                        | "ref"
                        // "Version: latest, 460b8d71e70c..." or "Latest: 460b8d71e70c...".
                        | "latest"
                        | "version"
                )
            });
            if t.whole_code || cue {
                let neg = negated_at(l, t.start, t.end);
                ex.push(NewClaim {
                    kind: ClaimKind::Commit,
                    text: t.s.to_string(),
                    file: None,
                    lines: None,
                    code: None,
                    negated: neg,
                    origin: Origin::Prose,
                    line: li,
                    context: ctx,
                });
            }
            continue;
        }
        // Functions and API constants.
        let file_next = file_after(&toks, k).filter(|f| !ex.is_reporter_file(f));
        let function_word = |i: Option<usize>| {
            i.and_then(|i| toks.get(i))
                .is_some_and(|x| matches!(x.s.to_ascii_lowercase().as_str(), "function" | "functions" | "helper" | "routine"))
        };
        // Marked as a name: a whole code span, bold (`**name**`), or the value of a
        // `Function:` label.
        let bold = l[..t.start].ends_with("**") && l[t.end..].starts_with("**");
        let labelled =
            function_word(k.checked_sub(1)) && l[..t.start].trim_end_matches('`').trim_end().trim_end_matches('*').ends_with(':');
        // `the NAME function of curl's ...`: the project's function, by its name and the project's.
        // `curl's NAME function`: the project's possessive right before the name.
        let of_project = function_word(Some(k + 1))
            && ex.project.as_deref().is_some_and(|p| {
                let project_word = |x: &Tok| {
                    let w = x.s.to_ascii_lowercase();
                    let w = w.trim_end_matches("'s").trim_end_matches("\u{2019}s");
                    w == p || w.strip_prefix("lib").is_some_and(|r| r == p)
                };
                let before = l[..t.start].trim_end().trim_end_matches(['`', '*']);
                let owner = before.strip_suffix("'s").or_else(|| before.strip_suffix("\u{2019}s")).map(|b| {
                    b.rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).next().unwrap_or("").to_ascii_lowercase()
                });
                toks.iter().skip(k + 2).take(3).any(project_word)
                    || owner.is_some_and(|w| w == p || w.strip_prefix("lib").is_some_and(|r| r == p))
            });
        // `functions like NAME`, `functions such as NAME`: a name the sentence gives as an
        // example of the functions it speaks of.
        let word_at = |i: Option<usize>, w: &str| i.and_then(|i| toks.get(i)).is_some_and(|x| x.s.eq_ignore_ascii_case(w));
        let listed = word_at(k.checked_sub(1), "like") && function_word(k.checked_sub(2))
            || word_at(k.checked_sub(1), "as") && word_at(k.checked_sub(2), "such") && function_word(k.checked_sub(3));
        // `NAME function in FILE`, `function NAME located in FILE`
        let plain = !t.in_code
            && t.s.contains('_')
            && (of_project || listed || file_next.is_some() && (function_word(Some(k + 1)) || function_word(k.checked_sub(1))));
        // Placed in a project file or the project by the sentence, or given as the value of a
        // `Function:` label, the name is the project's even when the reporter's program defines a
        // function of that name too (a copy of it).
        let placed = ex.reporter_defs.contains(t.s) && (file_next.is_some() && function_word(Some(k + 1)) || of_project || labelled);
        // A one-word name (`msdosify`) counts only as a whole code span followed by the word
        // "function", or as a label's value: alone, or after "the function" ("at the beginning of
        // the function `result` is set"), it is as likely an English word or a variable.
        let named_function = (t.whole_code && function_word(Some(k + 1)) || labelled) && t.s.len() >= 4;
        let bare_cited = (t.whole_code || bold || labelled || plain)
            && !t.call
            && (t.s.contains('_') || named_function)
            && (ex.function_ok(t.s) || placed && ex.function_name_ok(t.s))
            && (file_next.is_some() || listed || function_word(Some(k + 1)) || function_word(k.checked_sub(1)));
        if ex.prose_function(t) || bare_cited {
            let neg = negated_near(l, t.start, t.end);
            ex.push(NewClaim {
                kind: ClaimKind::Function,
                text: t.s.to_string(),
                file: file_next.map(str::to_string),
                lines: None,
                code: None,
                negated: neg,
                origin: Origin::Prose,
                line: li,
                context: ctx,
            });
            continue;
        }
        if ex.api_constant(t) {
            let neg = negated_near(l, t.start, t.end);
            ex.push(NewClaim {
                kind: ClaimKind::Api,
                text: t.s.to_string(),
                file: None,
                lines: None,
                code: None,
                negated: neg,
                origin: Origin::Prose,
                line: li,
                context: ctx,
            });
        }
    }
    drop(work);
}

/// `libcurl/8.18.0`, `curl-8.5.0`, `curl/libcurl-8.1.0`: the version when the prefix is the project.
fn product_version(ex: &Ex<'_>, s: &str) -> Option<String> {
    let p = s.rfind('/').or_else(|| s.find('-'))?;
    let (name, v) = (&s[..p], &s[p + 1..]);
    if !ex.is_project_word(name) {
        return None;
    }
    version_of(v)
}

/// Whether a prose line's `line N` is about some other text than the project's source: the
/// reporter's program, its output, a log, a test or a configuration file.
fn loose_line_excluded(lower: &str) -> bool {
    const OTHER: &[&str] = &[
        "poc",
        "proof of concept",
        "script",
        "output",
        "log",
        "harness",
        "test",
        "example",
        "program",
        "exploit",
        "payload",
        "request",
        "response",
        "header",
        "command",
        "config",
        "patch",
        "diff",
        "trace",
        "stack",
        "frame",
    ];
    OTHER.iter().any(|w| has_word(lower, w))
}

fn line_claim<'c>(path: &str, r: (u32, u32), negated: bool, origin: Origin, li: usize, ctx: &'c str) -> NewClaim<'c> {
    let text = if r.0 == r.1 { format!("{path}:{}", r.0) } else { format!("{path}:{}-{}", r.0, r.1) };
    NewClaim {
        kind: ClaimKind::Line,
        text,
        file: Some(path.to_string()),
        lines: Some(r),
        code: None,
        negated,
        origin,
        line: li,
        context: ctx,
    }
}

/// The inline code a sentence shows for a line it cites: "`lib/x.c:836` checks
/// `if(ISSLASH(*input))`", "lib/x.c:1233: `dedotdotify(path, len, &out)` is called". The first
/// code span after the citation, when only a few words (no sentence end, no other citation) stand
/// between, and it reads as code (a call or condition with arguments, or a statement), not a
/// name, a member path or a path.
fn inline_code_after(line: &str, spans: &[(usize, usize)], after: usize) -> Option<String> {
    let &(s, e) = spans.iter().find(|(s, _)| *s > after)?;
    // The span's opening backticks sit between the citation and the code.
    let gap = line.get(after..s)?.trim_end_matches('`');
    let gap = gap.trim_start_matches('`');
    if gap.len() > 40 || gap.contains(". ") || gap.contains(';') || gap.contains('`') {
        return None;
    }
    let words = gap.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()).count();
    if words > 5 {
        return None;
    }
    // "`lib/ftp.c:3095` expands to `ISLOWCNTRL(x) || IS7F(x)`": what the line's code turns into,
    // not what the line holds.
    let lower = gap.to_ascii_lowercase();
    if ["expand", "becom", "evaluat", "equivalent", "resolv", "translat", "means", "compiles to"].iter().any(|w| lower.contains(w)) {
        return None;
    }
    let code = line.get(s..e)?.trim();
    // `name()` names a function; it does not show code.
    if code
        .strip_suffix("()")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'>' | b'-')))
    {
        return None;
    }
    // A call or condition with something in its parentheses, or a whole statement; member
    // paths (`data->state.referer`) and settings (`verifypeer=0`) are not lines of code.
    let codeish =
        code.find('(').is_some_and(|i| code[i + 1..].trim_start().chars().next().is_some_and(|c| c != ')')) || code.ends_with(';');
    (codeish && code.len() >= 6 && code.len() <= 200 && split_file_token(code).is_none()).then(|| code.to_string())
}

/// `https://github.com/OWNER/REPO/blob/REF/path#L1-L2`, `/commit/SHA`, `/tree/REF/...` of the asset repo.
fn url_claims(ex: &mut Ex<'_>, li: usize, line: &str, url: &str, s: usize, e: usize) {
    let Some((owner, repo)) = meta::repo_of(url) else { return };
    let exact = ex.asset_repo.as_ref().is_some_and(|(o, r)| *o == owner && *r == repo);
    // Without a named asset, a repository named as the project (`facebook/zstd` for zstd) is
    // taken as the project's; its commits may be a fork's, so only its files and lines count.
    let by_name = !exact && !ex.asset_named && ex.project.as_deref() == Some(repo.as_str());
    if !exact && !by_name {
        return;
    }
    let ctx = sentence(line, s, e);
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let (path, frag) = match rest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (rest, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let parts: Vec<&str> = path.split('/').collect();
    if parts.len() < 5 {
        return;
    }
    let neg = negated_at(line, s, e);
    match parts[3] {
        "commit" | "commits" if exact && is_commitish(parts[4]) => {
            ex.push(NewClaim {
                kind: ClaimKind::Commit,
                text: parts[4].to_string(),
                file: None,
                lines: None,
                code: None,
                negated: neg,
                origin: Origin::Prose,
                line: li,
                context: ctx,
            });
        }
        "blob" | "tree" | "raw" => {
            if exact && is_commitish(parts[4]) {
                ex.push(NewClaim {
                    kind: ClaimKind::Commit,
                    text: parts[4].to_string(),
                    file: None,
                    lines: None,
                    code: None,
                    negated: neg,
                    origin: Origin::Prose,
                    line: li,
                    context: ctx,
                });
            }
            let file = parts[5..].join("/");
            // A blob names a file whatever its name; a tree usually names a folder.
            let blob = parts[3] != "tree" && !file.is_empty() && !file.ends_with('/') && file.len() <= 300;
            if is_source_path(&file) || blob {
                ex.push(NewClaim {
                    kind: ClaimKind::File,
                    text: file.clone(),
                    file: None,
                    lines: None,
                    code: None,
                    negated: neg,
                    origin: Origin::Prose,
                    line: li,
                    context: ctx,
                });
                if let Some(r) = frag.and_then(|f| f.strip_prefix('L')).and_then(parse_range) {
                    ex.push(line_claim(&file, r, neg, Origin::Prose, li, ctx));
                }
            }
        }
        _ => {}
    }
}

/// The first line of code worth quoting: not blank, not only a comment or a brace.
fn first_code_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|t| {
        !t.is_empty()
            && !t.starts_with("//")
            && !t.starts_with("/*")
            && !t.starts_with('*')
            && !matches!(*t, "{" | "}" | "..." | "/* ... */")
    })
}

fn project_code(ex: &mut Ex<'_>, seg: &Seg, b: &Block) {
    let body: Vec<&str> = ex.lines[seg.start..seg.end].to_vec();
    let cited = b.cited.clone().unwrap_or(Citation { file: None, function: None, lines: None });
    let file = cited.file.clone().filter(|f| !ex.is_reporter_file(f));
    let before_neg = {
        let s = last_sentence_lower(&seg.before);
        NEG_BEFORE.iter().chain(NEG_AFTER).any(|c| s.contains(c))
    };
    // `// File: src/x.c (Line ~512)` opening the block cites the lines it quotes.
    if let (Some(f), Some(r)) = (file.as_deref(), cited.lines) {
        if let Some(k) = body.iter().position(|l| !l.trim().is_empty()) {
            let t = body[k].trim();
            if (t.starts_with("//") || t.starts_with("/*")) && t.contains(f) {
                ex.push(line_claim(f, r, before_neg, Origin::Prose, seg.start + k, t));
            }
        }
    }
    if let Some(first) = first_code_line(&b.text) {
        let first_idx = body.iter().position(|l| l.trim() == first).unwrap_or(0);
        let lines = if file.is_some() { cited.lines } else { None };
        ex.push(NewClaim {
            kind: ClaimKind::Snippet,
            text: clip(first, 200),
            file: file.clone(),
            lines,
            code: Some(b.text.clone()),
            negated: before_neg,
            origin: Origin::ProjectCode,
            line: seg.start + first_idx,
            context: first,
        });
    }
    for n in code_names(&body, b.lang.as_deref()) {
        if !ex.function_ok(&n.name) || ex.full() {
            continue;
        }
        let ctx = body[n.line];
        ex.push(NewClaim {
            kind: ClaimKind::Function,
            text: n.name,
            file: file.clone(),
            lines: None,
            code: None,
            negated: before_neg,
            origin: Origin::ProjectCode,
            line: seg.start + n.line,
            context: ctx,
        });
    }
    for li in seg.start..seg.end {
        ids_only(ex, li, Origin::ProjectCode);
    }
}

fn reporter_code(ex: &mut Ex<'_>, seg: &Seg, b: &Block) {
    let body: Vec<&str> = ex.lines[seg.start..seg.end].to_vec();
    let lang = b.lang.as_deref();
    // A script with an interpreter line or PHP is not C, whatever its fence says.
    let first = body.iter().map(|l| l.trim_start()).find(|l| !l.is_empty()).unwrap_or("");
    let php = lang == Some("php") || body.iter().any(|l| l.trim_start().starts_with("<?php"));
    let c_like = lang.is_none_or(|l| C_LANGS.contains(&l)) && !first.starts_with("#!") && !php;
    let names = code_names(&body, lang);
    let defs: HashSet<&str> = names.iter().filter(|n| n.def).map(|n| n.name.as_str()).collect();
    let project = ex.project.clone();
    let mentions_project = |n: &str| project.as_deref().is_some_and(|p| n.to_ascii_lowercase().contains(p));
    let any_project_call = names.iter().any(|n| !n.def && mentions_project(&n.name));
    // A fragment (a suggested fix, a few statements) names project internals, not the public API
    // a program uses: only standalone programs and scripts give Api claims.
    let standalone = !defs.is_empty()
        || !c_like
        || body.iter().any(|l| {
            let t = l.trim_start();
            t.starts_with("#include") || t.starts_with("import ") || t.starts_with("#!") || t.starts_with("from ")
        });
    if !standalone {
        for li in seg.start..seg.end {
            ids_only(ex, li, Origin::ReporterCode);
        }
        return;
    }
    for n in &names {
        if n.def || defs.contains(n.name.as_str()) || is_stop(&n.name) || ex.reporter_defs.contains(&n.name) || ex.full() {
            continue;
        }
        // PHP's curl extension (`curl_init`, `curl_exec`) is a binding with names of its own,
        // not the project's C API; its constants are the project's and are kept below.
        if php {
            continue;
        }
        let all_caps = !n.name.bytes().any(|c| c.is_ascii_lowercase());
        let keep = if c_like { (!any_project_call || mentions_project(&n.name)) && !all_caps } else { mentions_project(&n.name) };
        if keep && is_ident(&n.name) {
            let ctx = body[n.line];
            ex.push(NewClaim {
                kind: ClaimKind::Api,
                text: n.name.clone(),
                file: None,
                lines: None,
                code: None,
                negated: false,
                origin: Origin::ReporterCode,
                line: seg.start + n.line,
                context: ctx,
            });
        }
    }
    if let Some(up) = ex.project_upper.clone() {
        let mut in_comment = false;
        for (i, l) in body.iter().enumerate() {
            if l.len() > 100_000 {
                continue;
            }
            let code = strip_code_line(l, &mut in_comment, !c_like);
            for (at, w) in project_constants(&code, &up) {
                if defs.contains(w) || ex.reporter_defs.contains(w) {
                    continue;
                }
                // A shell variable (`${CURL_OPTIONS}`, `$CURL_HOME`, `CURL_OPTS=...`) is the
                // script's own, not a constant of the project's API.
                let before = &code[..at];
                if !c_like && (before.ends_with('$') || before.ends_with("${") || code[at + w.len()..].starts_with('=')) {
                    continue;
                }
                ex.push(NewClaim {
                    kind: ClaimKind::Api,
                    text: w.to_string(),
                    file: None,
                    lines: None,
                    code: None,
                    negated: false,
                    origin: Origin::ReporterCode,
                    line: seg.start + i,
                    context: l,
                });
            }
        }
    }
    for li in seg.start..seg.end {
        ids_only(ex, li, Origin::ReporterCode);
    }
}

fn trace_claims(ex: &mut Ex<'_>, seg: &Seg, t: &crate::Trace) {
    // Frames are matched back to their report lines by order.
    let body: Vec<&str> = ex.lines[seg.start..seg.end].to_vec();
    let mut fi = 0;
    for (i, l) in body.iter().enumerate() {
        let Some(f) = t.frames.get(fi) else { break };
        if !l.contains(f.function.as_str()) {
            continue;
        }
        fi += 1;
        let li = seg.start + i;
        if !ex.function_ok(&f.function) || f.function == "main" {
            continue;
        }
        let Some(file) = f.file.as_deref() else { continue };
        let base = file.rsplit('/').next().unwrap_or(file);
        if ex.is_reporter_file(file)
            || base.starts_with("asan_")
            || base.starts_with("sanitizer_")
            || base.starts_with("ubsan_")
            || !is_source_path(file)
        {
            continue;
        }
        ex.push(NewClaim {
            kind: ClaimKind::Function,
            text: f.function.clone(),
            file: Some(file.to_string()),
            lines: None,
            code: None,
            negated: false,
            origin: Origin::Trace,
            line: li,
            context: l,
        });
        if let Some(n) = f.line {
            ex.push(line_claim(file, (n, n), false, Origin::Trace, li, l));
        }
    }
    // UBSan: `file.c:12:5: runtime error: ...`.
    for (i, l) in body.iter().enumerate() {
        if let Some((path, line)) = ubsan_location(l) {
            if !ex.is_reporter_file(path) {
                ex.push(line_claim(path, (line, line), false, Origin::Trace, seg.start + i, l));
            }
        }
    }
}

/// The source line a UBSan error names: `lib/x.c:12:5: runtime error: ...` → (`lib/x.c`, 12).
/// A compiler's diagnostic (`inflate.c:1507:61: warning: shifting a negative ...`): the file and
/// line it names. The line after it usually quotes that source line.
fn compiler_diagnostic(l: &str) -> Option<(&str, u32)> {
    let p = [": warning:", ": error:", ": note:"].iter().filter_map(|w| l.find(w)).min()?;
    let loc = l[..p].trim();
    let loc = loc.rsplit(' ').next().unwrap_or(loc);
    match split_file_token(loc) {
        Some((path, Some(r))) if is_source_path(path) => Some((path, r.0)),
        _ => None,
    }
}

/// The lines a compiler's diagnostics name, each with the source line quoted under it (when the
/// next line is code, not a caret line or another diagnostic), as trace-like line claims.
fn diagnostic_claims(ex: &mut Ex<'_>, seg: &Seg) {
    for li in seg.start..seg.end {
        let l = ex.lines[li];
        let Some((path, line)) = compiler_diagnostic(l) else { continue };
        if ex.is_reporter_file(path) {
            continue;
        }
        let quoted =
            ex.lines.get(li + 1).filter(|_| li + 1 < seg.end).map(|n| n.trim()).filter(|n| {
                !n.is_empty() && compiler_diagnostic(n).is_none() && !n.chars().all(|c| matches!(c, '~' | '^' | ' ' | '|' | '+'))
            });
        let mut claim = line_claim(path, (line, line), false, Origin::Trace, li, l);
        claim.code = quoted.map(str::to_string);
        ex.push(claim);
    }
}

fn ubsan_location(l: &str) -> Option<(&str, u32)> {
    let p = l.find(": runtime error:")?;
    let loc = l[..p].trim();
    let loc = loc.rsplit(' ').next().unwrap_or(loc);
    match split_file_token(loc) {
        Some((path, Some(r))) => Some((path, r.0)),
        _ => None,
    }
}

fn patch_claims(ex: &mut Ex<'_>, p: &crate::Patch, contexts: &[String], olds: &[Vec<String>]) {
    let li = p.start_line.saturating_sub(1);
    for f in &p.files {
        if is_source_path(f) && !ex.is_reporter_file(f) {
            let ctx = format!("diff of {f}");
            ex.push(NewClaim {
                kind: ClaimKind::File,
                text: f.clone(),
                file: None,
                lines: None,
                code: None,
                negated: false,
                origin: Origin::Patch,
                line: li,
                context: &ctx,
            });
        }
    }
    for (hi, (h, ctx)) in p.hunks.iter().zip(contexts).enumerate() {
        let file = (!h.file.is_empty() && !ex.is_reporter_file(&h.file)).then(|| h.file.clone());
        if let Some(n) = code_names(&[ctx.as_str()], Some("c")).into_iter().next() {
            if ex.function_ok(&n.name) {
                ex.push(NewClaim {
                    kind: ClaimKind::Function,
                    text: n.name,
                    file: file.clone(),
                    lines: None,
                    code: None,
                    negated: false,
                    origin: Origin::Patch,
                    line: li,
                    context: ctx,
                });
            }
        }
        // The old side (context + removed lines, in order) is a claim about the code as it is.
        let old: Vec<&str> = olds.get(hi).map(|o| o.iter().map(String::as_str).collect()).unwrap_or_default();
        if old.iter().all(|l| l.trim().is_empty()) {
            continue;
        }
        let code = old.join("\n");
        let Some(first) = first_code_line(&code) else { continue };
        let lines = (h.old_start > 0 && file.is_some()).then(|| (h.old_start, h.old_start + h.old_lines.saturating_sub(1)));
        let first = clip(first, 200);
        ex.push(NewClaim {
            kind: ClaimKind::Snippet,
            text: first.clone(),
            file: file.clone(),
            lines,
            code: Some(code.clone()),
            negated: false,
            origin: Origin::Patch,
            line: li,
            context: &first,
        });
    }
}
