//! Sanitizer, valgrind, gdb and plain backtrace output.

use crate::{Frame, Trace, TraceKind};

/// `==123==` at the start of a (trimmed) line: its length.
fn pid_prefix(l: &str) -> Option<usize> {
    let rest = l.strip_prefix("==")?;
    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
    (n > 0 && rest[n..].starts_with("==")).then_some(n + 4)
}

/// `#12 ...` frame lines: the index and the rest.
fn frame_index(l: &str) -> Option<(u32, &str)> {
    let rest = l.strip_prefix('#')?;
    let n = rest.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > 5 || !rest[n..].starts_with([' ', '\t']) {
        return None;
    }
    Some((rest[..n].parse().ok()?, rest[n..].trim_start()))
}

/// A line that starts a trace in a document without fences.
pub(crate) fn is_trace_start(line: &str) -> bool {
    let l = line.trim();
    l.contains("ERROR: AddressSanitizer")
        || l.contains("ERROR: LeakSanitizer")
        || l.contains("WARNING: MemorySanitizer")
        || l.contains("WARNING: ThreadSanitizer")
        || l.contains("ERROR: ThreadSanitizer")
        || l.contains(": runtime error: ")
        || l.contains("Program received signal")
        || l.contains("Process terminating with default action")
        || pid_prefix(l).is_some_and(|n| {
            let r = l[n..].trim();
            r.starts_with("Invalid ")
                || r.starts_with("Memcheck")
                || r.starts_with("Conditional jump")
                || r.starts_with("Use of uninitialised")
                // Helgrind / DRD and a bare valgrind frame (`==1==    at 0x4C2F: f (a.c:1)`).
                || r.starts_with("Possible data race")
                || r.starts_with("Helgrind")
                || r.starts_with("Lock order")
                || r.starts_with("Conflicting ")
                || r.starts_with("Thread #")
                || r.starts_with("at 0x") && r.contains(": ")
        })
        || frame_index(l).is_some_and(|(_, r)| r.starts_with("0x") || r.contains(" in ") || r.contains(" at "))
}

/// A line that continues a trace.
pub(crate) fn is_trace_line(line: &str) -> bool {
    let l = line.trim();
    if is_trace_start(l) || pid_prefix(l).is_some() || frame_index(l).is_some() {
        return true;
    }
    const MARKS: [&str; 16] = [
        "freed by thread",
        "previously allocated by",
        "allocated by thread",
        "is located",
        "READ of size",
        "WRITE of size",
        "SUMMARY:",
        "Shadow byte",
        "Address 0x",
        "at 0x",
        "by 0x",
        "(gdb)",
        "=====",
        "HINT:",
        "Thread T",
        "ABORTING",
    ];
    l == "..." || MARKS.iter().any(|m| l.contains(m))
}

/// A line of gdb's output where the program stopped: the function and place
/// (`__GI___libc_free (mem=0x4101) at malloc.c:3375`), or the source line it shows next
/// (`3375\t  if (chunk_is_mmapped (p))`).
pub(crate) fn is_debugger_stop(line: &str) -> bool {
    let l = line.trim_end();
    // The source line: its number, then a tab or at least two spaces, then code.
    let digits = l.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && (l[digits..].starts_with('\t') || l[digits..].starts_with("  ")) && !l[digits..].trim().is_empty() {
        return true;
    }
    // The place: `NAME (ARGS) at FILE:LINE`.
    let Some((head, place)) = l.rsplit_once(") at ") else { return false };
    let name = head.split(" (").next().unwrap_or("");
    let (file, line_no) = place.rsplit_once(':').unwrap_or(("", ""));
    !name.is_empty()
        && name.bytes().all(|c| c.is_ascii_alphanumeric() || b"_:~<>".contains(&c))
        && file.contains('.')
        && !file.contains(' ')
        && !line_no.is_empty()
        && line_no.bytes().all(|c| c.is_ascii_digit())
}

pub(crate) fn kind_of(text: &str) -> Option<TraceKind> {
    if text.contains("AddressSanitizer") || text.contains("LeakSanitizer") {
        Some(TraceKind::Asan)
    } else if text.contains("UndefinedBehaviorSanitizer") || text.contains("runtime error:") {
        Some(TraceKind::Ubsan)
    } else if text.contains("MemorySanitizer") {
        Some(TraceKind::Msan)
    } else if text.contains("ThreadSanitizer") {
        Some(TraceKind::Other)
    } else if text.contains("Memcheck")
        || text.lines().any(|l| pid_prefix(l.trim()).is_some_and(|n| l.trim()[n..].trim_start().starts_with("at 0x")))
    {
        Some(TraceKind::Valgrind)
    } else if text.contains("(gdb)") || text.contains("Program received signal") {
        Some(TraceKind::Gdb)
    } else {
        None
    }
}

/// How many lines of `lines` look like trace output (frames, sanitizer headers).
pub(crate) fn trace_score(lines: &[&str]) -> usize {
    lines.iter().filter(|l| is_trace_start(l) || frame_index(l.trim()).is_some() || is_trace_line(l) && l.contains("0x")).count()
}

pub(crate) fn parse(lines: &[&str], start_line: usize) -> Trace {
    let joined_kind = {
        let mut k = None;
        for l in lines {
            if let Some(x) = kind_of(l) {
                k = Some(x);
                break;
            }
        }
        k
    };
    let mut frames = Vec::new();
    let mut summary = None;
    let mut summary_from_error = false;
    let mut typed_pid = false;
    for raw in lines {
        let mut l = raw.trim();
        if let Some(n) = pid_prefix(l) {
            // `==12345==`: digits counted up from 1 are typed, not a process id a run printed.
            let pid = &l[2..n - 2];
            typed_pid |= pid.len() >= 4 && "1234567890".starts_with(pid);
            l = l[n..].trim();
        }
        if let Some(f) = frame(l) {
            frames.push(f);
            continue;
        }
        if !summary_from_error {
            if let Some(s) = summary_of(l) {
                summary_from_error = l.contains("ERROR:") || l.contains("runtime error:") || l.starts_with("Invalid");
                summary = Some(s);
            }
        }
    }
    let kind = joined_kind.unwrap_or(if frames.is_empty() { TraceKind::Other } else { TraceKind::Backtrace });
    let placeholder_addresses = placeholder(&frames) || typed_pid;
    let elided_addresses = elided(&frames);
    Trace { kind, start_line, frames, placeholder_addresses, elided_addresses, summary }
}

/// A trace written inline in a prose line (`… stack trace: #0 __strcpy_evex () at …, #1 0x7fff…
/// in CRYPTO_strdup () from …`): at least two frames, each starting at `#N `.
pub(crate) fn inline(line: &str, line_no: usize) -> Option<Trace> {
    if line.len() > 20_000 || !line.contains("#1 ") {
        return None;
    }
    let starts: Vec<usize> = line
        .match_indices('#')
        .map(|(i, _)| i)
        .filter(|&i| i == 0 || !line.as_bytes()[i - 1].is_ascii_alphanumeric())
        .filter(|&i| {
            frame_index(&line[i..])
                .is_some_and(|(_, r)| r.starts_with("0x") || r.split(',').next().is_some_and(|f| f.contains(" in ") || f.contains(" at ")))
        })
        .collect();
    let mut frames = Vec::new();
    for (k, &s) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(line.len());
        let piece = line[s..end].trim().trim_end_matches(['`', ',', '.', ';', ' ']).trim_end_matches("...");
        if let Some(f) = frame(piece) {
            frames.push(f);
        }
    }
    if frames.len() < 2 {
        return None;
    }
    let placeholder_addresses = placeholder(&frames);
    let elided_addresses = elided(&frames);
    Some(Trace { kind: TraceKind::Backtrace, start_line: line_no, frames, placeholder_addresses, elided_addresses, summary: None })
}

fn summary_of(l: &str) -> Option<String> {
    for marker in [
        "ERROR: AddressSanitizer:",
        "ERROR: LeakSanitizer:",
        "WARNING: MemorySanitizer:",
        "SUMMARY: AddressSanitizer:",
        "SUMMARY: UndefinedBehaviorSanitizer:",
        "ThreadSanitizer:",
    ] {
        if let Some(p) = l.find(marker) {
            let rest = l[p + marker.len()..].trim();
            let word = rest.split_whitespace().next()?;
            return Some(crate::text::clip(word, 80));
        }
    }
    if let Some(p) = l.find("runtime error:") {
        return Some(crate::text::clip(&l[p..], 100));
    }
    if l.starts_with("Invalid read") || l.starts_with("Invalid write") || l.starts_with("Invalid free") || l.starts_with("Conditional jump")
    {
        return Some(crate::text::clip(l, 80));
    }
    if let Some(p) = l.find("received signal") {
        let rest = l[p + "received signal".len()..].trim();
        return rest.split([',', ' ']).next().filter(|s| !s.is_empty()).map(|s| crate::text::clip(s, 40));
    }
    None
}

/// One frame: `#3 0x4005d6 in foo lib/x.c:12:5`, `#1 foo lib/x.c:12:3`, `#0  0x... in foo (a=1) at x.c:12`,
/// `at 0x4C2B: foo (x.c:12)` / `by 0x4C2B: foo (in /lib/libc.so)` (valgrind).
fn frame(l: &str) -> Option<Frame> {
    let (index, rest) = if let Some((i, r)) = frame_index(l) {
        (Some(i), r)
    } else if let Some(r) = l.strip_prefix("at ").or_else(|| l.strip_prefix("by ")) {
        if !r.starts_with("0x") {
            return None;
        }
        (None, r)
    } else {
        return None;
    };
    let mut rest = rest.trim_start();
    let mut address = None;
    if rest.starts_with("0x") {
        let end = rest.find([' ', ':', '\t']).unwrap_or(rest.len());
        address = Some(rest[..end].to_string());
        rest = rest[end..].trim_start_matches(':').trim_start();
        rest = rest.strip_prefix("in ").unwrap_or(rest).trim_start();
    } else if index.is_some() {
        // `#4 in get_word1 unpack3.c:1250`: the address left out altogether.
        rest = rest.strip_prefix("in ").unwrap_or(rest).trim_start();
    }
    // A frame cut off after its address (`#1 0x51f594 in`) names nothing.
    if rest.trim() == "in" {
        return None;
    }
    // A C++ template function printed with its return type (`void mc_luma<unsigned short>(...)`).
    const TYPE_WORDS: &[&str] =
        &["void", "int", "unsigned", "signed", "char", "bool", "long", "short", "float", "double", "const", "static"];
    loop {
        let word_end = rest.find([' ', '\t']).unwrap_or(rest.len());
        if word_end < rest.len() && TYPE_WORDS.contains(&&rest[..word_end]) {
            rest = rest[word_end..].trim_start();
        } else {
            break;
        }
    }
    // The function name: up to whitespace or `(`.
    let end = rest.find([' ', '\t', '(']).unwrap_or(rest.len());
    let mut function = &rest[..end];
    if let Some(p) = function.find("+0x") {
        function = &function[..p];
    }
    let after = &rest[end..];
    let (mut file, mut line) = (None, None);
    let loc = if let Some(p) = after.rfind(" at ") {
        Some(after[p + 4..].trim())
    } else {
        let a = after.trim();
        if let Some(inner) = a.strip_prefix('(') {
            let inner = inner.split(')').next().unwrap_or("");
            (!inner.starts_with("in ") && !inner.contains("+0x")).then_some(inner)
        } else {
            a.split_whitespace().next()
        }
    };
    if let Some(loc) = loc {
        if let Some((f, n)) = split_location(loc) {
            file = Some(f.to_string());
            line = n;
        }
    }
    // A C++ frame's arguments may hold spaces (`foo(base_context const*, int) /src/x.cc:148`):
    // the location is then its last word.
    if file.is_none() {
        if let Some((f, n)) = after.split_whitespace().last().filter(|w| w.contains(':')).and_then(split_location) {
            file = Some(f.to_string());
            line = n;
        }
    }
    // A template's arguments cut at a space (`mc_luma<unsigned`): the name is before them.
    if function.matches('<').count() > function.matches('>').count() {
        function = function.split('<').next().unwrap_or(function);
    }
    if function.is_empty() || function.len() > 200 {
        return None;
    }
    Some(Frame { index, function: function.to_string(), file, line, address })
}

/// `lib/url.c:3022:3` → (`lib/url.c`, 3022).
fn split_location(loc: &str) -> Option<(&str, Option<u32>)> {
    let loc = loc.trim_matches(|c: char| c == '(' || c == ')' || c == ',');
    let (file, rest) = match loc.find(':') {
        Some(p) => (&loc[..p], Some(&loc[p + 1..])),
        None => (loc, None),
    };
    let base = file.rsplit('/').next()?;
    let (stem, ext) = base.rsplit_once('.')?;
    if stem.is_empty() || ext.is_empty() || !ext.bytes().all(|c| c.is_ascii_alphanumeric()) || file.contains(' ') {
        return None;
    }
    let line = rest.and_then(|r| {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        r[..n].parse().ok()
    });
    Some((file, line))
}

/// An address the reporter left out (`0x...`, `0x…`): shortened output, not a value.
fn elided_address(a: &str) -> bool {
    let h = a.strip_prefix("0x").unwrap_or(a);
    !h.is_empty() && h.chars().all(|c| c == '.' || c == '…')
}

/// Whether every frame address is elided.
fn elided(frames: &[Frame]) -> bool {
    let mut addrs = frames.iter().filter_map(|f| f.address.as_deref()).peekable();
    addrs.peek().is_some() && addrs.all(elided_address)
}

fn placeholder(frames: &[Frame]) -> bool {
    let hex = |a: &str| a.strip_prefix("0x").unwrap_or(a).to_string();
    let addrs: Vec<&str> = frames.iter().filter_map(|f| f.address.as_deref()).filter(|a| !elided_address(a)).collect();
    if addrs.is_empty() {
        return false;
    }
    if addrs.iter().any(|a| {
        let h = hex(a);
        h.is_empty() || !h.bytes().all(|c| c.is_ascii_hexdigit())
    }) {
        return true;
    }
    if addrs.len() < 2 {
        return false;
    }
    // One address in every frame, unless every frame is the same place: a recursion that
    // overflowed the stack repeats its frame (`#245 0x5fdde7b65498 in H5B_find H5B.c:336`, and
    // again as #246), address and all. Functions inlined into one another share their caller's
    // address too (glibc's `__pthread_kill_implementation`, `__pthread_kill_internal` and
    // `pthread_kill`), so a short trace, or one cut short, may show one address throughout.
    let place = |f: &Frame| (f.function.clone(), f.file.clone(), f.line);
    // The paste may end inside the last frame (`#234 0x5605968edbd8 in php_ar`): part of the same.
    let cut_short = |f: &Frame| f.file.is_none() && !f.function.is_empty() && frames[0].function.starts_with(&f.function);
    let recursion = frames.iter().enumerate().all(|(i, f)| place(f) == place(&frames[0]) || i > 0 && i + 1 == frames.len() && cut_short(f));
    // C++ code inlines whole chains of the standard library's templates into one call site
    // (`std::__invoke_impl<...>`, `std::_Function_handler<...>::_M_invoke`), each printed as a
    // frame of its own at the same address.
    // So does code inlined from headers (`simd8` and its base classes in `simd.h`, into the
    // function of the `.cpp` file that calls them): every frame but the last, into which they
    // were inlined, is such a template or in a header.
    let template = |f: &Frame| f.function.starts_with("std::") || f.function.contains("{lambda") || f.function.contains("__invoke");
    let header = |f: &Frame| {
        f.file.as_deref().is_some_and(|p| [".h", ".hpp", ".hh", ".hxx", ".inl", ".inc"].iter().any(|e| p.to_ascii_lowercase().ends_with(e)))
    };
    let inlined_templates = frames.len() >= 2 && frames[..frames.len() - 1].iter().all(|f| template(f) || header(f));
    let all_same = addrs.len() >= 4 && addrs.iter().all(|a| *a == addrs[0]) && !recursion && !inlined_templates;
    let repeated_digit = addrs.iter().all(|a| {
        let h = hex(a);
        let h = h.trim_start_matches('0');
        h.len() < 4 || h.bytes().all(|c| c == h.as_bytes()[0])
    });
    let fake = addrs.iter().all(|a| {
        let h = hex(a).to_ascii_lowercase();
        ["deadbeef", "41414141", "12345678", "cafebabe", "abcdef", "baadf00d"].iter().any(|p| h.contains(p))
    });
    all_same || repeated_digit || fake
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_traces() {
        let l = "as seen in the following stack trace: `#0 __strcpy_evex () at ../sysdeps/x86_64/multiarch/strcpy-evex.S:94, #1 0x00007ffff765d2cd in CRYPTO_strdup () from /lib/x86_64-linux-gnu/libcrypto.so.3, #2 0x00007ffff756ef96 in ?? () from /lib/x86_64-linux-gnu/libcrypto.so.3...`.";
        let t = inline(l, 7).expect("inline trace");
        assert_eq!(t.start_line, 7);
        let names: Vec<&str> = t.frames.iter().map(|f| f.function.as_str()).collect();
        assert_eq!(names, ["__strcpy_evex", "CRYPTO_strdup", "??"]);
        assert!(inline("issue #1 and issue #2 are related", 1).is_none());
        assert!(inline("#1 0x00007ffff765d2cd in CRYPTO_strdup ()", 1).is_none(), "one frame is not a trace");
    }

    #[test]
    fn asan_frames() {
        let t = parse(
            &[
                "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x60b00000342c at pc 0x1",
                "    #0 0x000100c9bde0 in mev_sh_entry_update multi_ev.c:275",
                "    #1 0x716bd34efb04 in gsasl_done (libgsasl.so.18+0x4b04)",
                "    #2 priority_remove_child   lib/url.c:3022:3",
                "    #3 0x000101065424 in free+0x7c (libclang_rt.asan_osx_dynamic.dylib)",
            ],
            7,
        );
        assert_eq!(t.kind, TraceKind::Asan);
        assert_eq!(t.summary.as_deref(), Some("heap-use-after-free"));
        assert_eq!(t.frames.len(), 4);
        assert_eq!(t.frames[0].function, "mev_sh_entry_update");
        assert_eq!((t.frames[0].file.as_deref(), t.frames[0].line), (Some("multi_ev.c"), Some(275)));
        assert_eq!(t.frames[1].file, None);
        assert_eq!((t.frames[2].file.as_deref(), t.frames[2].line), (Some("lib/url.c"), Some(3022)));
        assert_eq!(t.frames[3].function, "free");
        assert!(!t.placeholder_addresses);
    }

    #[test]
    fn gdb_and_valgrind() {
        let g = parse(
            &["Program received signal SIGSEGV, Segmentation fault.", "#0  0x00007ffff7a5b in parse_it (p=0x0) at src/parse.c:44"],
            1,
        );
        assert_eq!(g.kind, TraceKind::Gdb);
        assert_eq!(g.summary.as_deref(), Some("SIGSEGV"));
        assert_eq!(g.frames[0].function, "parse_it");
        assert_eq!(g.frames[0].line, Some(44));
        let v = parse(
            &["==9== Invalid read of size 4", "==9==    at 0x4C2B0E0: foo (foo.c:10)", "==9==    by 0x4005D6: main (in /tmp/a.out)"],
            1,
        );
        assert_eq!(v.kind, TraceKind::Valgrind);
        assert_eq!(v.frames.len(), 2);
        assert_eq!(v.frames[0].file.as_deref(), Some("foo.c"));
        assert_eq!(v.frames[1].file, None);
    }

    #[test]
    fn cpp_frames_with_a_return_type_and_cut_frames() {
        let t = parse(
            &[
                "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6",
                "    #0 0x52cd7a in void mc_luma<unsigned short>(base_context const*, int) /root/src/libde265/libde265/motion.cc:148",
                "    #1 0x51f594 in",
            ],
            1,
        );
        let names: Vec<&str> = t.frames.iter().map(|f| f.function.as_str()).collect();
        assert_eq!(names, ["mc_luma"], "{:?}", t.frames);
        assert_eq!(t.frames[0].line, Some(148));
    }

    #[test]
    fn frames_without_an_address() {
        let t = parse(
            &[
                "ERROR: libFuzzer: timeout after 12 seconds",
                "    #4 in get_word1 unpack3.c:1250",
                "    #5 in unpack_samples3 unpack3.c:369",
            ],
            1,
        );
        let names: Vec<&str> = t.frames.iter().map(|f| f.function.as_str()).collect();
        assert_eq!(names, ["get_word1", "unpack_samples3"]);
        assert_eq!((t.frames[0].file.as_deref(), t.frames[0].line), (Some("unpack3.c"), Some(1250)));
    }

    #[test]
    fn placeholders() {
        let t = parse(&["#0 0xXXXXXXXX in foo a.c:1", "#1 0xXXXXXXXX in bar a.c:2"], 1);
        assert!(t.placeholder_addresses);
        let t = parse(&["#0 0x000000000000 in foo a.c:1", "#1 0x000000000000 in bar a.c:2"], 1);
        assert!(t.placeholder_addresses);
        let t = parse(&["#0 0x55d4c0a1 in foo a.c:1", "#1 0x55d4c0b7 in bar a.c:2"], 1);
        assert!(!t.placeholder_addresses);
        // A recursion's repeated frame repeats its address; two places cannot share one.
        let t = parse(
            &["#245 0x5fdde7b65498 in H5B_find /src/hdf5/src/H5B.c:336:30", "#246 0x5fdde7b65498 in H5B_find /src/hdf5/src/H5B.c:336:30"],
            1,
        );
        assert!(!t.placeholder_addresses);
        // Also when the paste ends inside its last frame.
        let mut lines: Vec<String> = (222..226)
            .map(|n| format!("#{n} 0x5605968edbd8 in php_array_replace_recursive /home/php-src/ext/standard/array.c:4096"))
            .collect();
        lines.push("#226 0x5605968edbd8 in php_ar".to_string());
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        assert!(!parse(&refs, 1).placeholder_addresses);
        // Inlined frames share an address; four places cannot.
        let t = parse(&["#0 0x5fdde7b65498 in foo a.c:1", "#1 0x5fdde7b65498 in bar a.c:2"], 1);
        assert!(!t.placeholder_addresses);
        let t = parse(
            &[
                "#0 0x5fdde7b65498 in foo a.c:1",
                "#1 0x5fdde7b65498 in bar a.c:2",
                "#2 0x5fdde7b65498 in baz a.c:3",
                "#3 0x5fdde7b65498 in qux a.c:4",
            ],
            1,
        );
        assert!(t.placeholder_addresses);
        // A C++ call site with the standard library's templates inlined into it, as a paste cut
        // short shows it.
        let t = parse(
            &[
                "#0 0x0000004ecce4 in fluid_dls_font::on_file_exit::{lambda()#1}::operator()() const /fluidsynth/src/sfloader/fluid_dls.cpp:387",
                "#1 0x0000004ecce4 in void std::__invoke_impl<void, fluid_dls_font::on_file_exit::{lambda()#1}&>(std::__invoke_other, fluid_dls_font::on_file_exit::{lambda()#1}&) /usr/include/c++/15/bits/invoke.h:63",
                "#2 0x0000004ecce4 in std::enable_if<is_invocable_r_v<void, F&>, void>::type std::__invoke_r<void, F&>(F&) /usr/include/c++/15/bits/invoke.h:113",
                "#3 0x0000004ecce4 in std::_Function_handler<void (), F>::_M_invoke(std::_Any_data const&) /usr/include/c++/15/bits/std_function.h:292",
            ],
            1,
        );
        assert!(!t.placeholder_addresses);
        // Functions of a header inlined into the function that calls them.
        let t = parse(
            &[
                "#0 0x5c3b9e552a02 in base /src/include/simdjson/icelake/simd.h:46",
                "#1 0x5c3b9e552a02 in base8 /src/include/simdjson/icelake/simd.h:74",
                "#2 0x5c3b9e552a02 in simd8 /src/include/simdjson/icelake/simd.h:234",
                "#3 0x5c3b9e552a02 in json_structural_indexer /src/src/generic/stage1/json_structural_indexer.h:87",
                "#4 0x5c3b9e552a02 in find /src/src/icelake.cpp:120",
            ],
            1,
        );
        assert!(!t.placeholder_addresses);
        // Addresses the reporter elided are not invented values, and not checkable ones either.
        let t = parse(
            &[
                "==25988==ERROR: AddressSanitizer: stack-overflow",
                "#0 0x...  in __asan_memcpy",
                "#1 0x...  in readback_bytes lib/mime.c:683:3",
            ],
            1,
        );
        assert_eq!(t.frames.len(), 2);
        assert!(!t.placeholder_addresses && t.elided_addresses);
        // A process id counted up from 1 is typed.
        let t = parse(
            &[
                "==12345==ERROR: AddressSanitizer: heap-use-after-free",
                "#0 0x... in replace_existing lib/cookie.c:915",
                "#1 0x... in Curl_cookie_add lib/cookie.c:1234",
            ],
            1,
        );
        assert!(t.placeholder_addresses);
        let t = parse(
            &["==12371==ERROR: AddressSanitizer: heap-use-after-free", "#0 0x55d4c0a1 in foo a.c:1", "#1 0x55d4c0b7 in bar a.c:2"],
            1,
        );
        assert!(!t.placeholder_addresses && !t.elided_addresses);
    }
}
