//! The rule registry: every finding vouch can emit, with a stable code.
//!
//! Codes are part of the public contract (JSON, SARIF, suppressions, docs): a code is never
//! reused for a different meaning and never renumbered. New rules take the next free number.

use crate::Severity;

/// One kind of finding.
#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable code, `VCH-<AREA>-<NNN>`.
    pub code: &'static str,
    /// Short kebab-case name (SARIF `name`).
    pub name: &'static str,
    /// Default severity of findings of this rule.
    pub severity: Severity,
    /// True when a finding of this rule means part of the file was not analysed.
    pub incomplete: bool,
    /// One-sentence description.
    pub summary: &'static str,
    /// What the user should do about it.
    pub remediation: &'static str,
}

macro_rules! rules {
    ($($ident:ident = $code:literal, $name:literal, $sev:ident, $inc:literal, $summary:literal, $fix:literal;)*) => {
        $(
            #[doc = $summary]
            pub static $ident: Rule = Rule {
                code: $code,
                name: $name,
                severity: Severity::$sev,
                incomplete: $inc,
                summary: $summary,
                remediation: $fix,
            };
        )*
        /// Every rule, in code order.
        pub static RULES: &[&Rule] = &[$(&$ident),*];
    };
}

rules! {
    GEN_UNRECOGNISED = "VCH-GEN-001", "unrecognised-format", Info, true,
        "The content matches no format vouch analyses, so it was not inspected.",
        "Check what the file is; if a loader reads it, convert it to a format vouch analyses or review it by hand.";
    GEN_READ_ERROR = "VCH-GEN-002", "read-error", Info, true,
        "The file could not be read.",
        "Check permissions and that the file still exists, then scan again.";
    GEN_SYMLINK_OUTSIDE = "VCH-GEN-003", "symlink-outside-root", Info, false,
        "A symbolic link points outside the scanned folder and was not followed.",
        "Scan the link target explicitly if it is part of the artifact.";
    GEN_BROKEN_SYMLINK = "VCH-GEN-004", "broken-symlink", Info, false,
        "A symbolic link points to nothing.",
        "Remove the dangling link or restore its target.";
    GEN_NESTING_LIMIT = "VCH-GEN-005", "nesting-limit", Info, true,
        "Containers are nested deeper than the configured limit; the innermost content was not analysed.",
        "Unpack the outer layers and scan the result, or raise limits.max_depth in vouch.toml.";

    PKL_DANGEROUS_CALL = "VCH-PKL-001", "dangerous-callable-invoked", Critical, false,
        "Loading this pickle calls a function that runs code, starts processes, touches files or reaches the network.",
        "Do not load this file. Obtain the model from a trusted source, preferably as safetensors.";
    PKL_UNLISTED_CALL = "VCH-PKL-002", "unlisted-callable-invoked", High, false,
        "Loading this pickle calls a function that is not on the allowlist of callables real model files use.",
        "Review the callable; if it is a benign class of your own code, add it to [scan.pickle] allow in vouch.toml.";
    PKL_DANGEROUS_IMPORT = "VCH-PKL-003", "dangerous-global-imported", High, false,
        "The pickle imports a dangerous callable (returned as an object rather than called directly).",
        "Do not load this file: the imported object reaches code that runs commands or loads code.";
    PKL_UNLISTED_IMPORT = "VCH-PKL-004", "unlisted-global-imported", Medium, false,
        "The pickle imports a global that is not on the allowlist, without calling it directly.",
        "Review the global; if it is benign, add it to [scan.pickle] allow in vouch.toml.";
    PKL_DYNAMIC_CALL = "VCH-PKL-005", "dynamic-callable", High, false,
        "The pickle calls or imports something whose name is only known at load time, a common evasion technique.",
        "Do not load this file; real model files name their callables with constant strings.";
    PKL_ATTR_OVERRIDE = "VCH-PKL-006", "attribute-override", High, false,
        "The pickle sets attributes on a module or class while loading, which can redirect later imports.",
        "Do not load this file; legitimate checkpoints never modify modules.";
    PKL_EMBEDDED_PICKLE = "VCH-PKL-007", "embedded-pickle", Medium, false,
        "A string or bytes value is itself a pickle (raw, base64 or hex): a payload carried as data.",
        "Find out which code unpickles that value later; treat the embedded pickle as untrusted.";
    PKL_CODE_IN_DATA = "VCH-PKL-008", "code-in-data", Medium, false,
        "A string value holds code or a shell command (plain or encoded) that some other code could run.",
        "Check which code consumes this value before using the model.";
    PKL_MALFORMED = "VCH-PKL-009", "malformed-pickle", Info, true,
        "The pickle stream is malformed or truncated; everything after the break was not analysed.",
        "Treat the file as untrusted: loaders may still execute the part before the break.";
    PKL_LIMIT = "VCH-PKL-010", "pickle-limit", Info, true,
        "A pickle analysis limit (opcodes, memo, stack depth, string size) was reached before the end of the stream.",
        "Raise the limits under [limits] in vouch.toml if the file is legitimate and large.";
    PKL_STACKED = "VCH-PKL-011", "stacked-pickle", Info, false,
        "The file holds more than one pickle stream; every stream was analysed.",
        "Plain pickle loaders read only the first stream; check which code reads the others.";
    PKL_LEGACY_TORCH = "VCH-PKL-012", "legacy-torch-format", Info, false,
        "Legacy (pre-1.6) PyTorch serialization: a sequence of pickles followed by raw tensor storage.",
        "Prefer safetensors; the legacy format always unpickles its header streams.";

    ARC_NAME_MISMATCH = "VCH-ARC-001", "zip-name-mismatch", Medium, false,
        "A zip member's name in its local header differs from the central directory, which makes tools disagree about what the archive holds.",
        "Rebuild the archive with a standard zip writer; treat the file as crafted.";
    ARC_DUPLICATE = "VCH-ARC-002", "duplicate-member", Medium, false,
        "Two archive members have the same name; different readers pick different ones.",
        "Rebuild the archive; every member was analysed.";
    ARC_BAD_CRC = "VCH-ARC-003", "bad-crc", Low, false,
        "A member's CRC-32 does not match its data (PyTorch ignores this, other tools refuse the archive).",
        "Treat the archive as modified after it was written.";
    ARC_FLAG_BITS = "VCH-ARC-004", "unusual-flag-bits", Medium, false,
        "A zip member has general-purpose flag bits set (such as encryption) that do not match its content.",
        "Treat the archive as crafted to confuse scanners; the member was analysed as the loader reads it.";
    ARC_EXTRA_DATA = "VCH-ARC-005", "extra-data", Low, false,
        "The archive has data before its first member or after its end record.",
        "Inspect the extra bytes; polyglot files hide content there.";
    ARC_ENCRYPTED = "VCH-ARC-006", "encrypted-member", Info, true,
        "An archive member is encrypted and could not be analysed.",
        "Decrypt the archive and scan its content.";
    ARC_LIMIT = "VCH-ARC-007", "archive-limit", Info, true,
        "An archive limit (entries, total size, compression ratio) was reached, as decompression bombs do; the rest was not analysed.",
        "Raise the limits under [limits] in vouch.toml if the archive is legitimate.";
    ARC_MALFORMED = "VCH-ARC-008", "malformed-archive", Info, true,
        "The archive is malformed or truncated; part of it could not be read.",
        "Treat the archive as untrusted and obtain an intact copy.";
    ARC_UNSUPPORTED = "VCH-ARC-009", "unsupported-compression", Info, true,
        "An archive member uses a compression method vouch does not decode.",
        "Repack the archive with deflate or store and scan again.";
    ARC_PATH_TRAVERSAL = "VCH-ARC-010", "path-traversal", High, false,
        "An archive member's path is absolute or climbs out of the extraction folder (zip-slip).",
        "Never extract this archive with a tool that honours such paths.";
    ARC_LINK_MEMBER = "VCH-ARC-011", "link-member", Medium, false,
        "An archive member is a symbolic or hard link.",
        "Check the link target before extracting the archive.";

    NPY_OBJECT_ARRAY = "VCH-NPY-001", "object-array", Info, false,
        "A NumPy array with dtype object stores its elements as a pickle, unpickled by np.load(allow_pickle=True).",
        "Prefer numeric dtypes; the embedded pickle was analysed.";
    NPY_MALFORMED = "VCH-NPY-002", "malformed-npy", Info, true,
        "A NumPy .npy header is malformed; the array could not be analysed.",
        "Treat the file as untrusted and obtain an intact copy.";

    ARC_POLYGLOT = "VCH-ARC-012", "polyglot", Medium, false,
        "The file's name promises one format but its content is another (a pickle named .safetensors, a zip behind an image header).",
        "Loaders choose by name or by magic bytes differently; treat the file by its content and rename or rebuild it.";

    KER_LAMBDA = "VCH-KER-001", "keras-lambda", High, false,
        "A Keras Lambda layer carries Python code (source or marshalled bytecode) that runs when the model is loaded or called.",
        "Load with safe_mode=True and without custom objects, or rebuild the model without Lambda layers.";
    KER_FOREIGN_MODULE = "VCH-KER-002", "keras-foreign-module", High, false,
        "A Keras layer, function or object names a module outside keras/tensorflow, which Keras imports while loading.",
        "Check the named module; only load models whose custom objects you trust and ship yourself.";
    KER_MALFORMED = "VCH-KER-003", "keras-malformed", Info, true,
        "The Keras model configuration could not be read completely.",
        "Treat the model as untrusted and obtain an intact copy.";

    H5_MALFORMED = "VCH-H5-001", "hdf5-malformed", Info, true,
        "The HDF5 file could not be read completely (structure damaged or a limit reached).",
        "Treat the file as untrusted and obtain an intact copy.";

    TF_PYTHON_OP = "VCH-TF-001", "tf-python-op", Critical, false,
        "A TensorFlow graph contains an op that runs arbitrary Python (PyFunc, EagerPyFunc, PyFuncStateless).",
        "Do not load this SavedModel; rebuild it without py_function ops.";
    TF_FILE_OP = "VCH-TF-002", "tf-file-op", High, false,
        "A TensorFlow graph contains an op that reads, writes, lists or deletes files.",
        "Check what the op touches; legitimate models rarely read or write files from their graph.";
    TF_MALFORMED = "VCH-TF-003", "tf-malformed", Info, true,
        "The TensorFlow protobuf could not be decoded completely.",
        "Treat the model as untrusted and obtain an intact copy.";
    TF_NETWORK_OP = "VCH-TF-004", "tf-network-op", High, false,
        "A TensorFlow graph contains an op that reaches the network or other processes.",
        "Do not load this model unless the op is expected.";

    ONNX_PATH_TRAVERSAL = "VCH-ONNX-001", "onnx-external-data-traversal", High, false,
        "An ONNX tensor's external data location is absolute or climbs out of the model folder.",
        "Never load this model: the loader would read files outside the model folder.";
    ONNX_CUSTOM_DOMAIN = "VCH-ONNX-002", "onnx-custom-operator", Medium, false,
        "The ONNX graph uses operators from a non-standard domain, implemented by native code the runtime must load.",
        "Check which custom-op library the model expects before registering it.";
    ONNX_MALFORMED = "VCH-ONNX-003", "onnx-malformed", Info, true,
        "The ONNX model is malformed (undecodable, or declared tensor sizes exceed the file).",
        "Treat the model as untrusted and obtain an intact copy.";

    GGUF_MALFORMED = "VCH-GGUF-001", "gguf-malformed", Info, true,
        "The GGUF header, metadata or tensor table is malformed or exceeds a limit.",
        "Treat the file as untrusted and obtain an intact copy.";

    TPL_SANDBOX_ESCAPE = "VCH-TPL-001", "template-sandbox-escape", Critical, false,
        "A Jinja chat template reaches Python internals (dunder attributes such as __class__, __globals__, __subclasses__), the route to code execution when it is rendered (CVE-2024-34359).",
        "Do not render this template; replace it with the base model's template.";
    TPL_DYNAMIC_NAME = "VCH-TPL-002", "template-dynamic-name", High, false,
        "A Jinja chat template builds attribute or filter names at render time (concatenation, |attr, |format, escapes) to evade inspection.",
        "Do not render this template; real chat templates name attributes literally.";
    TPL_GLOBAL_OBJECT = "VCH-TPL-003", "template-global-object", High, false,
        "A Jinja chat template reaches interpreter objects through globals such as cycler, joiner, namespace, lipsum, self, config or request.",
        "Do not render this template; replace it with the base model's template.";
    TPL_MALFORMED = "VCH-TPL-004", "template-malformed", Info, true,
        "A chat template could not be parsed, so it was not analysed.",
        "Check the template; loaders that render it may still execute what they parse.";

    ST_MALFORMED = "VCH-ST-001", "safetensors-malformed", Info, true,
        "The safetensors header is malformed (length, JSON, dtype, shape or offsets), so the file was not fully validated.",
        "Treat the file as untrusted and obtain an intact copy.";
    ST_HIDDEN_BYTES = "VCH-ST-002", "safetensors-hidden-bytes", Medium, false,
        "The safetensors data area has bytes no tensor accounts for (gaps, overlaps or trailing data) where a payload can hide.",
        "Re-save the tensors with the safetensors library.";
    ST_METADATA_PAYLOAD = "VCH-ST-003", "safetensors-metadata-payload", Medium, false,
        "A safetensors __metadata__ value carries code, shell commands, URLs or an encoded payload.",
        "Check which code reads this metadata; nothing runs on load, but a consumer might.";

    TS_CODE_CALL = "VCH-TS-001", "torchscript-dangerous-code", Critical, false,
        "TorchScript code in the archive calls os, subprocess, builtins or a torch.ops loader that reaches the file system or a shell.",
        "Do not load this TorchScript module.";

    TRI_CONTRADICTED = "VCH-TRI-001", "triage-claim-contradicted", Medium, false,
        "A concrete claim of the report about the code (file, function, line, snippet, version, commit) does not hold at the version checked.",
        "Compare the claim with the evidence shown; ask the reporter which version and code they mean before investing more time.";
    TRI_PLACEHOLDER_EVIDENCE = "VCH-TRI-002", "triage-placeholder-evidence", High, false,
        "The report's evidence contains placeholder or impossible values (0xXXXXXXXX addresses, uniform fake addresses) that no real run produces, or the report calls its own output a placeholder to replace.",
        "Ask for the unedited output of a real run.";
    TRI_TRACE_OUTSIDE_PROJECT = "VCH-TRI-003", "triage-trace-outside-project", Medium, false,
        "A stack trace or sanitizer report never names a function or file of the project, or cites project lines that do not exist.",
        "Ask for a reproducer and the full sanitizer output against a released version.";
    TRI_FABRICATED_PATCH = "VCH-TRI-004", "triage-patch-does-not-apply", Medium, false,
        "A diff in the report names blob hashes that are not in the repository, or its context lines are not in the file it patches at any version vouch consulted (a diff to another tree's file, such as an OSS-Fuzz Dockerfile, is not counted).",
        "Ask for a patch made with git against a real commit.";
    TRI_UNKNOWN_API = "VCH-TRI-005", "triage-poc-unknown-api", Medium, false,
        "The proof of concept calls project API that exists nowhere in the project.",
        "Ask for a proof of concept that compiles against a released version.";
    TRI_GUARDED_COPY = "VCH-TRI-006", "triage-guarded-copy", Medium, false,
        "The copy or access the report calls out of bounds is preceded by a bounds or length check on the same size (for a pointer at an offset, on the offset and the length together), is handed exactly the room left in its buffer (`buf + off` with `SIZE - off`, where `buf` holds `SIZE`), copies into a structure allocated with room for that length after it (`p = calloc(1, sizeof(*p) + len)` before `memcpy(p->name, src, len)`), copies a value parsed with the destination's own limit (`parse(&in, &val, MAX, ':')` into `char name[MAX + 1]`), writes through a pointer only while it is below the buffer's end (`if(p < buf + sizeof(buf)) *p++ = c`, also inside a macro), or is an indexed write whose loop condition keeps the index inside the array. A write bounded by its destination does not answer a claimed over-read. When the report argues that the check itself is off by one, only the check's arithmetic answers it: `n = strlen(src) + 1` and `if(n > sizeof(dst)) return` before `strcpy(dst, src)` leave room for the terminator. A copy said to leave its string unterminated is terminated when it goes into memory calloc zeroed with a byte to spare (`calloc(1, sizeof(struct T) + len)` where `T` ends in `char name[1]`).",
        "Check whether the guard shown can be bypassed before treating the report as a memory-safety bug.";
    TRI_LITERAL_SOURCE = "VCH-TRI-007", "triage-fixed-source", Low, false,
        "The copy the report calls an overflow copies a string literal or a fixed-size source.",
        "Check that the destination is at least as large as the fixed source.";
    TRI_DEBUG_ONLY = "VCH-TRI-008", "triage-debug-only-code", Medium, false,
        "The cited code is only compiled under a debug or test macro (such as DEBUGBUILD) that release builds do not define.",
        "Release builds are not affected; handle as a normal bug unless the policy says otherwise.";
    TRI_TEST_CODE = "VCH-TRI-009", "triage-test-code", Medium, false,
        "The cited code lives in tests, examples or documentation, not in what the project ships.",
        "Handle as a normal bug unless shipped code is affected.";
    TRI_LOCAL_INPUT = "VCH-TRI-010", "triage-local-input", Low, false,
        "The data the report calls attacker-controlled comes from the environment, the command line or the local user.",
        "Check whether an attacker without local access can control it.";
    TRI_DUPLICATE_ADVISORY = "VCH-TRI-011", "triage-duplicate-advisory", High, false,
        "The report closely matches an advisory that was already published, or repeats a passage of one word for word. An advisory the report names, or a passage an undated report shares (an advisory may quote the report it came from), lowers the ranking without flagging.",
        "Compare with the advisory shown; reply with its id if it is the same issue.";
    TRI_DUPLICATE_REPORT = "VCH-TRI-012", "triage-duplicate-report", Medium, false,
        "The report closely matches an earlier report in the queue. Shown, not scored: two finders of one bug, or an issue and the pull request fixing it, match as closely as a copied report does.",
        "Read the earlier report first and handle both together.";
    TRI_OUT_OF_SCOPE = "VCH-TRI-013", "triage-out-of-scope", High, false,
        "The project's triage policy says this kind of issue is not a security issue for it.",
        "Check the policy entry shown; handle as a normal bug report if it applies.";
    TRI_OTHER_VERSION = "VCH-TRI-014", "triage-claims-at-other-version", Info, false,
        "Some claims hold only at a version other than the one the report is about. Shown, not scored: reporters reading the development code write such claims, genuine ones more often than others in the reports vouch was measured on.",
        "Check which version the reporter tested.";
    TRI_INCOMPLETE = "VCH-TRI-015", "triage-incomplete", Info, true,
        "Part of the report or the repository could not be read, so not every claim was checked.",
        "See the message for what was skipped; raise the limits or fix the input and run again.";
    TRI_CHANGED_SINCE = "VCH-TRI-016", "triage-changed-since", Info, false,
        "The code the report cites at the version it names is no longer in the latest code: the issue may already be fixed.",
        "Look at the history of the cited code (git log -L) before working on the report.";
    TRI_QUOTE_OMITS_CHECK = "VCH-TRI-017", "triage-quote-omits-check", Medium, false,
        "The code the report quotes as the project's leaves out, without marking the gap (`...`, `// snip`), a check that the file has between the quoted lines: a comparison with an early exit that tests a value the report's prose names, or an early exit on a check function the prose names (`if(!ssh_config_matches(needle, conn)) return FALSE;` left out of a quote the report says has no such check).",
        "Read the cited code in full: the omitted check may rule out what the report describes.";
    TRI_POC_OUTSIDE_PROJECT = "VCH-TRI-018", "triage-poc-outside-project", Medium, false,
        "The reporter's program does not run the project's code: it calls only other libraries' functions and no command runs the project, or it defines and runs its own copy of the project function it is about, or computes a line of the project it quotes on values it sets itself (`outbuf[0].cbBuffer = 0x80000000;`) without calling the project; or the report says its reproducer simulates the problem (\"a Python simulation of the overflow\", `// Simulate the exact vulnerability`) rather than running the project, and shows no trace of a run; or the comparison its program prints as proof is between two values it computes the same way from the same constants (`before = fp(headers={\"Authorization\": \"present\"})`, the same after the project's call, then `if before == after:`), which holds whatever the project does.",
        "Ask for a reproducer that goes through the project's own API or tool.";
    TRI_CALLER_FORMAT = "VCH-TRI-019", "triage-printf-api-misuse", Medium, false,
        "The bug is in the proof of concept's use of a printf-like function of the project: it passes its own non-literal format string, or overflows a buffer it sized itself through a function that, like sprintf, takes no size.",
        "Treat as API misuse unless the report shows the project itself passing outside input as a format string or printing into a buffer too small.";
    TRI_NOTHING_SPECIFIC = "VCH-TRI-020", "triage-nothing-specific", Low, false,
        "The report's own text never names the project or anything in it: no file, function, API, option, version, code or command. Shown, not scored: many genuine reports (a fuzzer's crash file, a short fix request) name nothing.",
        "Ask which code, version and input the report is about before spending time on it.";
    TRI_CHECK_PRESENT = "VCH-TRI-021", "triage-check-present", Medium, false,
        "The report says a size or value goes unchecked in a function it names, but that function compares the value against an upper bound and stops (returns or fails) when it is exceeded; or the report says one value is never compared with another (a start past an end), and the function compares the two and stops; or the report calls a pointer dereferenced without a NULL check, and the function tests it for NULL and stops, or asserts it is not NULL with an assertion that stops the program or returns (`assert(ctx)`, `BUG_ON(!ctx)`, `g_return_val_if_fail(ctx != NULL, -1)`; a warning that carries on, such as `WARN_ON`, does not count).",
        "Read the check shown and ask the reporter how the value gets past it before treating the report as a memory-safety bug.";
    TRI_GUARDED_ARITHMETIC = "VCH-TRI-022", "triage-guarded-arithmetic", Medium, false,
        "The addition or multiplication the report calls an integer overflow is only reached through an overflow check in the standard form (MAX - a < b, a > MAX / b); or the subtraction it calls one (an underflow, a wraparound) only runs where its operands are in order (inside `if(a >= b)`, in the else of `if(b > a)`, after `if(a < b) return`, or after a clamp `if(b > a) b = a;`); or the code it cites only defines compile-time constants (`#define N (16 * 1024)`), which no input reaches.",
        "Check whether the operands can be negative or the check can be skipped before treating the report as an integer overflow.";
    TRI_QUOTE_ADDS_CALL = "VCH-TRI-023", "triage-quote-adds-call", Medium, false,
        "The code the report quotes as the project's calls a project function that the function it matches, and the rest of its file, never call: the quote adds code the project does not have.",
        "Compare the quote with the function shown; ask the reporter which version holds the added call.";
    TRI_FREE_RESETS = "VCH-TRI-024", "triage-free-resets-pointer", Medium, false,
        "The report calls an object freed twice, but every free of it in the functions and files the report cites resets it: a macro or function that sets the pointer to NULL after freeing (`Curl_safefree`), or `p = NULL;` on the next line. Freeing a NULL pointer does nothing.",
        "Ask the reporter which other pointer to the same memory is freed, or for a sanitizer report of the double free.";
    TRI_DECLARATION_ONLY = "VCH-TRI-025", "triage-declaration-only", Medium, false,
        "The only code the report cites for a memory-safety bug is a function's declaration in a header (a prototype such as `int f(char *buf, const char *fmt, ...);`), which copies nothing; scanners that flag every declaration taking a buffer produce such reports.",
        "Ask which call of the function, with which arguments, overflows before treating the report as a memory-safety bug.";
    TRI_LEAK_OWNED = "VCH-TRI-026", "triage-leak-owned", Medium, false,
        "The report calls memory leaked that the function it cites stores in an object (its allocator sets a member of the object it is given and returns it, or the function assigns it to a member) and frees together with that object: the free of the owner releases it. Or the function is a setter that frees what its pointer parameter held before storing a new allocation there, and the members its callers hand it are freed by the project. Or the report says a variable leaks when a call of the project's function fails (\"if `strv_consume(&l, label)` fails, `label` is never freed\"), and that function releases the argument itself when it fails, directly or through the call it hands it to (`if (r < 0) free(value);`): it takes the memory over. Static analysers that track only the local pointer produce such reports.",
        "Ask the reporter for a leak sanitizer report showing the leak; check that the owner's free function releases the member.";
    TRI_SINGLE_FREE = "VCH-TRI-027", "triage-single-free", Medium, false,
        "The report calls an object freed twice but shows it only in code it quotes from the project, and each quoted free is the only release of that local variable in its function, outside any loop. Or the report names the variable (`Variable 'line' was freed twice`, a pattern scanner's words) in a file it cites, and every function there that frees it gives it a new value before each free (`line = ...` earlier in the body of the loop that frees it, or between two frees), copies it to no other variable and hands it to no project function that frees it: each free releases different memory. In both cases no sanitizer trace shows a second free.",
        "Ask the reporter which path frees the object a second time, and for the sanitizer report of a run that does.";
    TRI_LOOP_TERMINATES = "VCH-TRI-028", "triage-loop-terminates", Medium, false,
        "The report says a loop never ends, but every loop in the code it cites is a counting `for` loop that ends: its step moves the counter by a constant toward a strict bound (`for(i = n - 2; i > 0; i--)`) and its body changes neither the counter nor the bound.",
        "Ask the reporter for the input and a run that shows the loop not ending.";
    TRI_MEMBER_FREED = "VCH-TRI-029", "triage-member-freed", Medium, false,
        "The report calls memory leaked because a struct member is never freed (`req->location`), but the project frees that member of that object (`Curl_safefree(data->req.location)`): the leak, if any, is on a path that skips that free, which the report does not show.",
        "Ask the reporter for a leak sanitizer report showing the leak, and check the path from the allocation to the free shown.";
    TRI_DEFINED_WRAPAROUND = "VCH-TRI-030", "triage-defined-wraparound", Low, false,
        "The integer overflow the report shows is only sanitizer output for arithmetic C defines: `unsigned integer overflow` (UBSan's optional unsigned-integer-overflow check) or `implicit conversion`. Unsigned arithmetic wraps modulo its range by the standard, and code such as checksums relies on it; a wrapped size or offset can still be a real bug, so this lowers the report's rank without flagging it.",
        "Ask the reporter what goes wrong because of the wraparound (a size used for an allocation or a copy), not only that it happens.";
    TRI_ALLOCATION_RETURNED = "VCH-TRI-031", "triage-allocation-returned", Medium, false,
        "The report says the result of an allocation is not checked, but the line it cites returns that result to the caller (an allocator such as `return malloc(n);`), which is where a NULL is checked.",
        "Ask the reporter which caller uses the result without checking it.";
    TRI_LEAK_HELD = "VCH-TRI-032", "triage-leak-held", Medium, false,
        "The report calls memory leaked in a function it cites (typically when the function fails or returns early), but that function keeps everything it allocates in members of an object it is handed (`state->in = malloc(n);`) and does not free the object: what it allocated stays with the object, and the project frees each of those members in another function (the object's close or free function).",
        "Ask the reporter for a leak sanitizer report of a run that releases the object the way the API documents.";
    TRI_FREE_REPEATABLE = "VCH-TRI-033", "triage-free-repeatable", Medium, false,
        "The report calls it a double free when a release function it names runs twice on the same object, but that function clears the whole object after releasing what it holds (`memset(ctx, 0, sizeof(*ctx))`, or a zeroize call through a cursor that starts at the object) and never frees the object itself: the second call finds NULL members and frees nothing.",
        "Ask the reporter for a sanitizer report of the double free, or for the path on which the object is freed or changed between the two calls.";
    TRI_ANALYSER_ONLY = "VCH-TRI-034", "triage-analyser-only", Low, false,
        "The report rests on a static analyser's warning (Coverity, scan-build, cppcheck, Svace, Veracode and the like, or a language-model scanner that files its output as a fix: \"Scanner re-scan confirms fix\", \"LLM code review passed\") and shows no run of the code: no sanitizer output, crash, reproducer or fuzzing input. Analysers follow paths that invariants elsewhere in the code rule out: in the trackers vouch was measured on, such reports were two and a half times as common among claims the maintainers rejected as among the bugs they confirmed (8 % against 3 %), and three and a half times in the 681 labelled reports of its five newest rounds (15 % against 4 %), though many were real; this lowers the ranking and does not flag a report by itself.",
        "Ask the reporter for an input or a test that makes the code misbehave, or check the invariant the analyser could not see.";
    TRI_HEDGED = "VCH-TRI-036", "triage-hedged", Low, false,
        "The report's title only says the problem may exist (\"Potential NULL dereference\", \"Possible overflow\", \"may leak\") or asks a question (\"Cross-border access?\"), or the report concedes the problem has no security impact or cannot be exploited in practice (\"not practically exploitable\", \"only a logic error\", \"exploitation is unlikely\"): the reporter does not claim to have seen it happen, or to matter. In the trackers vouch was first measured on, such titles were more than twice as common among claims the maintainers rejected as among confirmed bugs, and among the fabricated reports of curl's bug bounty (9 %, against none of its confirmed ones); in the 681 labelled reports of its five newest rounds of GitHub trackers they were as common among confirmed bugs as among rejected claims (12 % and 11 %), maintainers titling their own fixes \"fix potential ...\". This lowers the ranking and does not flag a report by itself.",
        "Ask the reporter whether the problem was observed, and how.";
    TRI_MARKED_FALSE_POSITIVE = "VCH-TRI-037", "triage-marked-false-positive", Medium, false,
        "The code the report cites carries the project's own comment, within 20 lines, that a warning there is a false positive, and the report shows no run of the code (no sanitizer output or backtrace): the maintainers have already looked at this warning.",
        "Read the note in the code; ask the reporter for an input that makes the code misbehave despite it.";
    TRI_CONTRACT_DENIED = "VCH-TRI-035", "triage-contract-denied", Medium, false,
        "The report breaks a documented contract of an API the project uses or offers, recorded in the project's triage policy with its source (`contracts`) or, for a library the project's code uses, known to vouch from the library's documentation (nghttp2's header callback): it says something the contract guarantees is not so (a callback's arguments being NUL-terminated), its reproducer calls the API without the call the contract requires first (a library's global initialisation), or it uses an option the contract puts outside the API's guarantees (PCRE2_NO_UTF_CHECK with invalid UTF).",
        "Check the documentation the policy cites; if the contract changed, update the policy. For a skipped precondition, ask for a reproducer that meets it; for a forbidden option, one without it.";
    TRI_POC_PRIVATE_STATE = "VCH-TRI-038", "triage-poc-private-state", Low, false,
        "The report's reproducer writes a member of one of the project's internal structures (`dctx->dStage`, `s->allc`), which the project declares only in its source files or internal headers, not in the headers it gives applications: the problem it shows needs state that no caller of the API can set. This lowers the ranking; with `api-misuse` in the project's `not_security`, it flags the report.",
        "Ask the reporter for a reproducer that reaches the problem through the project's API only.";
    TRI_POC_UNTERMINATED = "VCH-TRI-039", "triage-poc-unterminated-string", Medium, false,
        "The report's reproducer passes a buffer with no terminating NUL to a project function whose parameter is a C string and which takes no length: a `char` array filled to its last byte by a list of characters (`char s[4] = {'a', 'b', 'c', 'd'}`), or a fuzzing harness's raw input (`LLVMFuzzerTestOneInput`'s `data`) cast to `char *`. Or the report's prose says the crash needs an input without its terminator (\"will crash if string is not NULL terminated\") passed to such a function it names. Such a function reads to the terminator by contract, so the over-read the report shows is the reproducer's own.",
        "Ask for a reproducer that passes a NUL-terminated string, or uses the function's length-taking variant, and still misbehaves.";
    TRI_BUNDLED_PROGRAM = "VCH-TRI-040", "triage-bundled-program", Medium, false,
        "The code the report cites is the standalone program of a dependency the project bundles: the first place it cites is in a file under a folder of bundled dependencies (`deps/`, `third_party/`, `vendor/` and the like) that defines `main()`, such as Lua's interpreter `deps/lua/src/lua.c` in Redis, and every other place is in that dependency. The project links the dependency as a library and does not run its program. Where the file lies holds whatever version is checked, so this counts against reports older than the code checked too.",
        "Ask the reporter how the project reaches the cited code; report it to the dependency if its program is affected.";
    TRI_ALLOCATOR_NEVER_NULL = "VCH-TRI-041", "triage-allocator-never-null", Medium, false,
        "The report calls a NULL pointer dereferenced after an allocation, but every allocation function it names is the project's wrapper that never returns NULL: through its macros (`#define s_malloc zmalloc`) it reaches a function that, when the allocation fails, calls a handler that does not return (`zmalloc_oom_handler`, `fatalx`, `abort`) and has no `return NULL`. Reports and analysers that treat every allocator like malloc produce such claims.",
        "Ask the reporter how the allocation can return NULL past the failure handler shown.";
    TRI_TEST_PROGRAM_LEAK = "VCH-TRI-042", "triage-test-program-leak", Low, false,
        "The report is about a memory leak that it shows only through one of the project's test programs: its reproducer runs a program built from the project's test folder (`./tests/run-parser-test-suite input.txt`, where `tests/run-parser-test-suite.c` is in the project), or its leak trace passes through a test's code. Test programs are not shipped, and one that exits without freeing what it was given (or that misses the library's cleanup call) leaks by itself, which is what the maintainers found in the reports of this kind vouch was measured on. This lowers the ranking and does not flag a report by itself.",
        "Ask for the leak through the library's API in a program that frees everything it was given, or for the library function that loses the memory.";
    TRI_POC_RELEASES_UNOWNED = "VCH-TRI-043", "triage-poc-releases-unowned", Medium, false,
        "The report's reproducer releases an object it does not own: it frees it (`yaml_event_delete(&event)`, `json_object_put(obj)`) after handing it to a project function whose documentation, in the comment above its declaration, says the function takes it over (\"The emitter takes the responsibility for the event object\", \"ownership transfers\"), or after getting it from one whose documentation says the result stays owned elsewhere (\"No reference counts will be changed\"), with no call taking a reference of its own in between. The double free or failed reference-count assertion the report shows is the reproducer's.",
        "Show the documentation quoted to the reporter; ask for a reproducer that follows it and still misbehaves.";
    TRI_POC_OWN_LIFETIME = "VCH-TRI-044", "triage-poc-own-lifetime", Medium, false,
        "The report's reproducer mismanages an object's lifetime in its own code: it passes the object to the project after releasing it itself (`cJSON_Delete(monitor)` and then `cJSON_Print(monitor)`), with no reference of its own taken before and no new value given between; or, in a leak report, it gives the variable holding an object a project function made (`obj = cJSON_CreateObject()`) another value before releasing or handing it over. The use after free or the leak the report shows is the reproducer's.",
        "Point the reporter at the line of their program; ask for one that releases each object once, after its last use, and still misbehaves.";
    TRI_BOUNDED_VALUE = "VCH-TRI-045", "triage-bounded-value", Medium, false,
        "The arithmetic the report calls an integer overflow adds a small constant to (or multiplies by one) a structure member that every write of it in the project keeps small: it is only ever set to constants, reduced by a remainder, increased only behind a test that it is below a limit (`if(c->n < 16) c->n++;`), or brought back under a limit right after each increase (`bar->tick += 2; if(bar->tick >= 200) bar->tick -= 200;`). The sum stays far from any integer type's limit.",
        "Ask the reporter which write lets the member grow past the limit shown; a write the project does not have (through a pointer or a copy of the whole structure) would have to be named.";
    TRI_BORROWED_MEMORY = "VCH-TRI-046", "triage-borrowed-memory", Medium, false,
        "The report calls a use of the memory a structure member points at (`strcpy(data->set.errorbuffer, error)`) a use after free, but no code of the project frees that member, and every value the project stores in it is a pointer its caller passed in (`s->errorbuffer = ptr;` in the function taking `ptr`, whose callers in the library only pass on what they were passed or took with `va_arg`) or NULL. The memory belongs to the caller: only the caller, such as the reporter's own harness, can have freed it.",
        "Ask the reporter where the memory was freed (the sanitizer's \"freed by\" stack); if it is their own program, the report is about their program.";
    TRI_INPUT_CAPPED = "VCH-TRI-047", "triage-input-capped", Medium, false,
        "The report's overflow needs an input longer than the project accepts: its prose says the input must exceed a size (\"longer than 2GB\", 2^32 bytes) above a limit the project's policy records (`[[triage.input_limits]]`: strings passed to `curl_easy_setopt()` longer than `CURL_MAX_INPUT_LENGTH`, 8000000 bytes, are refused), and the macro holding that limit is in the code checked. Reports about inputs the limit does not cover (the policy's `except`, or input from a server, network or file) are left alone.",
        "Ask the reporter which input of that size reaches the code, past the limit shown.";
    TRI_OWN_MEASUREMENTS = "VCH-TRI-048", "triage-own-measurements", Medium, false,
        "The report's own measurements contradict its claim: it calls a cost quadratic, cubic or exponential (\"O(n²) time complexity\"), but the timings it shows, in a table or in its program's output, grow in proportion to the input (a fitted exponent of 1.3 or less over inputs spanning at least tenfold, also between the two largest): 500 times the input in 115 times the time. Fixed costs can flatten the small end of a quadratic curve, never its large end.",
        "Show the reporter their own figures; ask for measurements over larger inputs that grow as claimed.";
    TRI_NOTHING_ALLOCATED = "VCH-TRI-049", "triage-nothing-allocated", Medium, false,
        "The report says memory grows without bound (\"unbounded memory consumption\", \"continuously buffers incoming data until memory is exhausted\") in a function it names, but that function allocates nothing, and neither do the project's functions it calls, nor those they call: no allocator, and nothing whose name says it adds, appends, duplicates or stores (`Curl_dyn_addn`, `strdup`, `Curl_bufq_write`). What it handles stays in buffers of a fixed size or is passed on (a decompressor refilling one output buffer and handing each chunk to the next writer). Calls through a pointer are not followed; a macro called counts as a possible allocation unless it only renames a function; a report that shows a run's trace (a fuzzer's out-of-memory stack) is left to it.",
        "Ask the reporter which allocation grows, and for a measurement of the growth (memory use against input size).";
    TRI_POINTER_RESTORED = "VCH-TRI-050", "triage-pointer-restored", Medium, false,
        "The report says a pointer underflows where the code moves it back by a few places (`tn->subpointer -= 2;`), but the same number of statements right before that each write through it and move it forward by one unless it already stands at the end of its buffer (a macro such as `if(x->subpointer < (x->subbuffer + sizeof(x->subbuffer))) *x->subpointer++ = (c);`), and the buffer is longer than the step: the pointer returns to where it was, or to that many places before the end, never below the buffer's start.",
        "Ask the reporter for the sequence of input bytes that moves the pointer below the buffer, and for a sanitizer report of it.";
    TRI_CALL_UNCONDITIONAL = "VCH-TRI-051", "triage-call-unconditional", Medium, false,
        "The report says a call is skipped when a setting is off (\"`Curl_wssl_verify_pinned` is skipped when `verifyhost` is disabled\", or only called when it is enabled), but the file it names (or, when it names none, every file calling the function) makes that call after its test of the setting, not inside it: the test (`if(conn_config->verifyhost)`, alone or joined by `&&`, so what it holds runs only with the setting on) closes before the call, holds no `return`, `goto` or `break`, has no `else`, and sets nothing the call's own conditions read beyond an error code that starts clear (`if(!result)`); nothing else in the function reads the setting, and no caller of the function tests it around its call. With the setting off the call is made. Only C is read; code of the report's own day is consulted when the release checked lacks the call, never later code, which may hold a fix.",
        "Ask the reporter for the run that shows the call skipped: a debugger breakpoint on it, or the trace of a build with the setting off.";
    TRI_NO_COMMAND_RUNNER = "VCH-TRI-052", "triage-no-command-runner", Medium, false,
        "The report says its input is run as an operating-system or shell command, or evaluated as code (\"OS command injection\", \"evaluated and executed\"), about the project's C code, but no shipped C file of the project calls anything that runs a command, starts a program or evaluates code: system, popen, the exec family, posix_spawn, CreateProcess, ShellExecute, WinExec, GLib's spawn calls, or the evaluators of Lua, Python, JavaScript or Tcl. Not raised when the report names a script or other non-C file of the project, or describes an exploit through memory corruption (shellcode, an overwritten return address), which needs no such call.",
        "Ask the reporter which call of the project runs the input; an injection into what another program does with the project's output is that program's bug.";
    TRI_POC_SKIPS_INIT = "VCH-TRI-053", "triage-poc-skips-initialiser", Medium, false,
        "The report's reproducer hands the project an object it never set up: it declares an object of one of the project's C types inside a function, with no initialiser (`yaml_document_t document;`), or takes one from malloc (`Aes *aes = malloc(sizeof(Aes));`), and passes it to a project function before anything else touches it as a whole, though the project has an initialiser for that type (a function named after it and init, such as `yaml_document_initialize` or `wc_AesInit`, taking a pointer to it). The first function it reaches reads what the reproducer left undefined. Not raised when the object is first given to the reproducer's own code, to the C library (`memset`), to a project function whose name says it sets up, makes, opens, resets or reads into it, or is assigned whole; nor for a type the reproducer defines.",
        "Show the reporter the initialiser; ask for a reproducer that calls it first and still misbehaves.";
}

/// Looks a rule up by its code.
pub fn rule(code: &str) -> Option<&'static Rule> {
    RULES.iter().copied().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_and_names_are_unique_and_well_formed() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for r in RULES {
            assert!(codes.insert(r.code), "duplicate rule code {}", r.code);
            assert!(names.insert(r.name), "duplicate rule name {}", r.name);
            let parts: Vec<&str> = r.code.split('-').collect();
            assert_eq!(parts.len(), 3, "{}", r.code);
            assert_eq!(parts[0], "VCH");
            assert!(parts[1].chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()));
            assert!(parts[2].len() == 3 && parts[2].chars().all(|c| c.is_ascii_digit()));
            assert!(!r.summary.is_empty() && !r.remediation.is_empty());
        }
    }

    #[test]
    fn lookup_by_code() {
        assert_eq!(rule("VCH-PKL-001").unwrap().name, "dangerous-callable-invoked");
        assert!(rule("VCH-XXX-999").is_none());
    }
}
