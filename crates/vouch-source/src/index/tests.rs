use super::*;

fn index(files: &[(&str, &str)]) -> CodeIndex {
    CodeIndex::build(files)
}

fn one(src: &str) -> CodeIndex {
    index(&[("lib/t.c", src)])
}

/// (kind, line) of every definition of `name`.
fn defs(ix: &CodeIndex, name: &str) -> Vec<(DefKind, u32)> {
    ix.definitions(name).iter().map(|d| (d.kind, d.line)).collect()
}

#[test]
fn curl_style_definitions() {
    let src = r#"/* header comment */
#include "curl_setup.h"

static CURLcode
http_output_bearer(struct Curl_easy *data)
{
  char **userp;
  CURLcode result = CURLE_OK;
  if(!data) {
    return CURLE_BAD_FUNCTION_ARGUMENT;
  }
  return result;
}

UNITTEST CURLcode Curl_parse_thing(const char *s,
                                   size_t len,
                                   int *out)
{
  while(len--) {
    s++;
  }
  return CURLE_OK;
}

CURL_EXTERN int curl_easy_thing(CURL *curl)
{
  return 0;
}
"#;
    let ix = one(src);
    assert_eq!(defs(&ix, "http_output_bearer"), [(DefKind::Function, 5)]);
    assert_eq!(defs(&ix, "Curl_parse_thing"), [(DefKind::Function, 15)]);
    assert_eq!(defs(&ix, "curl_easy_thing"), [(DefKind::Function, 25)]);
    let f = ix.file("lib/t.c").expect("file");
    let span = f.function_at(9).expect("span");
    assert_eq!((span.name.as_str(), span.start_line, span.name_line, span.end_line), ("http_output_bearer", 4, 5, 13));
    assert_eq!(f.function_at(20).map(|s| s.name.as_str()), Some("Curl_parse_thing"));
    assert_eq!(f.function_at(16).map(|s| s.name.as_str()), Some("Curl_parse_thing"));
    assert_eq!(f.function_at(2), None);
    assert_eq!(f.function_at(14), None);
    assert_eq!(f.functions.len(), 3);
    // Calls and conditions are not definitions.
    assert!(ix.definitions("if").is_empty());
    assert!(ix.definitions("while").is_empty());
    assert!(ix.mentioned("CURLE_OK"));
    assert!(ix.mentioned("userp"));
    assert!(!ix.mentioned("header"));
    assert_eq!(ix.mentions("CURLE_OK"), [("lib/t.c".to_string(), 8), ("lib/t.c".to_string(), 22)]);
}

#[test]
fn prototypes_versus_definitions() {
    let src = "int foo(int a);\nCURL_EXTERN CURLcode curl_easy_setopt(CURL *curl, CURLoption option, ...);\n\
               void bar(void) __attribute__((noreturn));\nint foo(int a)\n{\n  return bar2(a);\n}\n\
               MACRO_CALL(x);\nFOO_DECLARE(y)\nstatic int baz(void) { return 1; }\n";
    let ix = one(src);
    assert_eq!(defs(&ix, "foo"), [(DefKind::FunctionDecl, 1), (DefKind::Function, 4)]);
    assert_eq!(defs(&ix, "curl_easy_setopt"), [(DefKind::FunctionDecl, 2)]);
    assert_eq!(defs(&ix, "bar"), [(DefKind::FunctionDecl, 3)]);
    assert!(ix.definitions("bar2").is_empty());
    assert!(ix.definitions("MACRO_CALL").is_empty());
    assert_eq!(defs(&ix, "baz"), [(DefKind::Function, 10)]);
    assert!(ix.definitions("FOO_DECLARE").is_empty());
}

#[test]
fn macros_types_variables_enums() {
    let src = r#"#define MAX_LEN 256
#  define CURL_MIN(a, b) \
     ((a) < (b) ? (a) : (b))
struct connectdata {
  int sock;
  struct { int x; } inner;
};
typedef struct Curl_easy {
  int magic;
} Curl_easy_t, *Curl_easy_p;
typedef int (*curl_cb)(void *p);
typedef unsigned long curl_off_t;
union u { int a; float b; };
enum state { STATE_INIT, STATE_RUN = 3, STATE_DONE = (1 << 2), };
typedef enum {
  CURLE_OK = 0,
  CURLE_FAILED_INIT, /* comment NOT_A_CONSTANT */
#ifdef EXTRA
  CURLE_EXTRA,
#endif
  CURL_LAST
} CURLcode;
static const char *names[] = { "a", "b" };
int counter = 0, other;
static struct connectdata *conn_cache;
extern int global_flag;
static void (*handler)(int) = NULL;
struct fwd;
"#;
    let ix = one(src);
    assert_eq!(defs(&ix, "MAX_LEN"), [(DefKind::Macro, 1)]);
    assert_eq!(defs(&ix, "CURL_MIN"), [(DefKind::Macro, 2)]);
    assert_eq!(defs(&ix, "connectdata"), [(DefKind::Type, 4)]);
    assert!(ix.definitions("inner").is_empty(), "struct members are not file-scope variables");
    assert_eq!(defs(&ix, "Curl_easy"), [(DefKind::Type, 8)]);
    assert_eq!(defs(&ix, "Curl_easy_t"), [(DefKind::Type, 10)]);
    assert_eq!(defs(&ix, "Curl_easy_p"), [(DefKind::Type, 10)]);
    assert_eq!(defs(&ix, "curl_cb"), [(DefKind::Type, 11)]);
    assert_eq!(defs(&ix, "curl_off_t"), [(DefKind::Type, 12)]);
    assert_eq!(defs(&ix, "u"), [(DefKind::Type, 13)]);
    assert_eq!(defs(&ix, "state"), [(DefKind::Type, 14)]);
    assert_eq!(defs(&ix, "STATE_INIT"), [(DefKind::EnumConstant, 14)]);
    assert_eq!(defs(&ix, "STATE_RUN"), [(DefKind::EnumConstant, 14)]);
    assert_eq!(defs(&ix, "STATE_DONE"), [(DefKind::EnumConstant, 14)]);
    assert_eq!(defs(&ix, "CURLE_OK"), [(DefKind::EnumConstant, 16)]);
    assert_eq!(defs(&ix, "CURLE_FAILED_INIT"), [(DefKind::EnumConstant, 17)]);
    assert_eq!(defs(&ix, "CURLE_EXTRA"), [(DefKind::EnumConstant, 19)]);
    assert_eq!(defs(&ix, "CURL_LAST"), [(DefKind::EnumConstant, 21)]);
    assert!(ix.definitions("NOT_A_CONSTANT").is_empty());
    assert_eq!(defs(&ix, "CURLcode"), [(DefKind::Type, 22)]);
    assert_eq!(defs(&ix, "names"), [(DefKind::Variable, 23)]);
    assert_eq!(defs(&ix, "counter"), [(DefKind::Variable, 24)]);
    assert_eq!(defs(&ix, "other"), [(DefKind::Variable, 24)]);
    assert_eq!(defs(&ix, "conn_cache"), [(DefKind::Variable, 25)]);
    assert_eq!(defs(&ix, "global_flag"), [(DefKind::Variable, 26)]);
    assert_eq!(defs(&ix, "handler"), [(DefKind::Variable, 27)]);
    assert!(ix.definitions("fwd").is_empty());
    assert!(ix.definitions("a").is_empty());
    assert!(ix.definitions("sock").is_empty());
}

#[test]
fn comments_and_strings_hide_fake_definitions() {
    let src = r#"/*
static int fake_in_block(void)
{
}
*/
// static int fake_in_line(void) { }
static const char *s = "int fake_in_string(void) { return 0; }";
static const char c = '{';
static const char *t = "\"{";
#define STR "}"
static int real(void)
{
  const char *x = "} int fake_after(void) {";
  char y = '}';
  return 0;
}
"#;
    let ix = one(src);
    for fake in ["fake_in_block", "fake_in_line", "fake_in_string", "fake_after"] {
        assert!(ix.definitions(fake).is_empty(), "{fake}");
        assert!(!ix.mentioned(fake), "{fake}");
    }
    assert_eq!(defs(&ix, "real"), [(DefKind::Function, 11)]);
    let f = ix.file("lib/t.c").expect("file");
    assert_eq!(f.function_at(14).map(|s| (s.start_line, s.end_line)), Some((11, 16)));
}

#[test]
fn conditions_nested_else_and_if0() {
    let src = r#"int a;
#ifdef DEBUGBUILD
int b;
#  ifndef CURL_DISABLE_HTTP
int c;
#  else
int d;
#  endif
#elif defined(USE_SSL) && \
      (SSL_VERSION > 2)
int e;
#else /* plain */
int f;
#endif
#if 0
this isn't C { { {
int dead_fn(void) { return 0; }
#else
int g;
#endif
int h;
"#;
    let ix = one(src);
    let f = ix.file("lib/t.c").expect("file");
    assert!(f.conditions_at(1).is_empty());
    let c3 = f.conditions_at(3);
    assert_eq!(c3, [Condition { text: "defined(DEBUGBUILD)".into(), negated: false, line: 2 }]);
    let c5 = f.conditions_at(5);
    assert_eq!(c5.len(), 2);
    assert_eq!(c5[1], Condition { text: "defined(CURL_DISABLE_HTTP)".into(), negated: true, line: 4 });
    let c7 = f.conditions_at(7);
    assert_eq!(c7[1], Condition { text: "defined(CURL_DISABLE_HTTP)".into(), negated: false, line: 4 });
    let c11 = f.conditions_at(11);
    assert_eq!(
        c11,
        [
            Condition { text: "defined(DEBUGBUILD)".into(), negated: true, line: 2 },
            Condition { text: "defined(USE_SSL) && (SSL_VERSION > 2)".into(), negated: false, line: 9 },
        ]
    );
    let c13 = f.conditions_at(13);
    assert_eq!(c13.len(), 2);
    assert!(c13.iter().all(|c| c.negated));
    assert_eq!(f.conditions_at(16), [Condition { text: "0".into(), negated: false, line: 15 }]);
    assert_eq!(f.conditions_at(19), [Condition { text: "0".into(), negated: true, line: 15 }]);
    assert!(f.conditions_at(21).is_empty());
    assert!(ix.definitions("dead_fn").is_empty());
    for v in ["b", "c", "d", "e", "f", "g", "h"] {
        assert_eq!(ix.definitions(v).len(), 1, "{v}");
    }
}

#[test]
fn unbalanced_braces_in_conditional_branches() {
    let src = r#"#ifdef HAVE_NEW_API
static int setup(int a, int b)
{
#else
static int setup(int a)
{
  int b = 0;
#endif
  return a + b;
}

static void
after(void)
{
#ifdef X
  if(x) {
#else
  if(y) {
#endif
    go();
  }
}

int last(void) { return 1; }
"#;
    let ix = one(src);
    assert_eq!(defs(&ix, "setup"), [(DefKind::Function, 2), (DefKind::Function, 5)]);
    assert_eq!(defs(&ix, "after"), [(DefKind::Function, 13)]);
    assert_eq!(defs(&ix, "last"), [(DefKind::Function, 24)]);
    let f = ix.file("lib/t.c").expect("file");
    assert_eq!(f.function_at(9).map(|s| (s.name.as_str(), s.end_line)), Some(("setup", 10)));
    assert_eq!(f.function_at(20).map(|s| (s.name.as_str(), s.start_line, s.end_line)), Some(("after", 12, 22)));
}

#[test]
fn recovery_at_column_zero_brace() {
    // A stray `{` inside a function (e.g. from an odd macro) must not swallow the rest of the file.
    let src = "int f(void)\n{\n  WEIRD_MACRO {\n  return 0;\n}\n\nint g(void)\n{\n  return 1;\n}\n";
    let ix = one(src);
    assert_eq!(defs(&ix, "g"), [(DefKind::Function, 7)]);
    let f = ix.file("lib/t.c").expect("file");
    assert_eq!(f.function_at(4).map(|s| (s.name.as_str(), s.end_line)), Some(("f", 5)));
    assert_eq!(f.function_at(9).map(|s| s.name.as_str()), Some("g"));
}

#[test]
fn knr_and_multiline_parameters() {
    let src = "int\nold_style(a, b)\n  int a;\n  char *b;\n{\n  return a;\n}\n\nstatic size_t\nwrite_cb(char *ptr,\n         size_t size,\n         size_t nmemb,\n         void *userdata)\n{\n  return size * nmemb;\n}\n";
    let ix = one(src);
    assert_eq!(defs(&ix, "old_style"), [(DefKind::Function, 2)]);
    assert_eq!(defs(&ix, "write_cb"), [(DefKind::Function, 10)]);
    assert!(ix.definitions("a").is_empty());
    let f = ix.file("lib/t.c").expect("file");
    assert_eq!(f.function_at(6).map(|s| (s.start_line, s.end_line)), Some((1, 7)));
    assert_eq!(f.function_at(15).map(|s| (s.start_line, s.end_line)), Some((9, 16)));
}

#[test]
fn line_continuations_and_extern_c() {
    let src = "#ifdef __cplusplus\nextern \"C\" {\n#endif\n#define LONG_MACRO(x) do { \\\n  if(x) { \\\n  } \\\n} while(0)\n\nint in_extern_c(void)\n{\n  return 0;\n}\n#ifdef __cplusplus\n}\n#endif\nint after_it(void);\n";
    let ix = one(src);
    assert_eq!(defs(&ix, "LONG_MACRO"), [(DefKind::Macro, 4)]);
    assert_eq!(defs(&ix, "in_extern_c"), [(DefKind::Function, 9)]);
    assert_eq!(defs(&ix, "after_it"), [(DefKind::FunctionDecl, 16)]);
    let f = ix.file("lib/t.c").expect("file");
    assert_eq!(f.function_at(11).map(|s| (s.start_line, s.end_line)), Some((9, 12)));
    assert_eq!(f.conditions_at(9), Vec::<Condition>::new());
}

#[test]
fn cplusplus_bits() {
    let src = "namespace net {\nclass Conn : public Base {\n public:\n  int m() { return 1; }\n};\nint Conn::read(char *b) const\n{\n  return 0;\n}\nConn::Conn(int a) : x_(a), y_(b)\n{\n}\n}\nauto tr(int a) -> int\n{\n  return a;\n}\n";
    let ix = one(src);
    assert_eq!(defs(&ix, "Conn"), [(DefKind::Type, 2), (DefKind::Function, 10)]);
    assert_eq!(defs(&ix, "read"), [(DefKind::Function, 6)]);
    assert_eq!(defs(&ix, "tr"), [(DefKind::Function, 14)]);
    assert!(ix.definitions("y_").is_empty());
}

#[test]
fn never_panics_on_garbage() {
    let inputs = [
        "}}}}{{{{",
        "#if\n#else\n#else\n#endif\n#endif\n#elif\n",
        "int f(",
        "\"unterminated",
        "/* unterminated",
        "R\"xyz(unterminated",
        "#define",
        "typedef ;",
        ")(",
        "= { ;",
        "int (((((a;",
        "\\",
        "#",
        "enum { , , = }",
        "struct { } ;",
        "'",
        "a\r\nb\r\n#define X \\\r\n 1\r\n",
    ];
    for s in inputs {
        let _ = one(s);
    }
    // Every byte value, in a shuffled but fixed order.
    let alphabet = b"{}()[];=,#\n\\\"'/*ifdefendelse0 int f x";
    let mut bytes = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..20000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push(alphabet[(x >> 16) as usize % alphabet.len()]);
    }
    let ix = CodeIndex::build(&[("x.c", bytes.as_slice())]);
    assert!(ix.lines_of_code() > 0);
}

#[test]
fn counts_and_files() {
    let ix = index(&[("a.c", "int a(void) { return b; }\n\n// only a comment\n"), ("b.h", "#define B 1\nint a(void);\n")]);
    assert_eq!(ix.lines_of_code(), 3);
    assert_eq!(ix.files_count(), 2);
    assert!(ix.identifiers_count() >= 4);
    assert_eq!(ix.definitions("a").len(), 2);
    assert_eq!(ix.definitions("a")[0].path, "a.c");
    assert_eq!(ix.mention_count("a"), 2);
    assert_eq!(ix.file("b.h").map(|f| f.lines), Some(2));
    assert!(is_c_family("lib/vtls/openssl.c"));
    assert!(is_c_family("x.hpp"));
    assert!(!is_c_family("Makefile.inc.in"));
    assert!(is_c_family("providers/implementations/kdfs/x942kdf.c.in") && is_c_family("config.h.in"));
    assert!(!is_c_family("lib/curl_config.in") && !is_c_family("x.in"));
    assert!(!is_c_family("README"));
}

#[test]
fn parallel_build_matches_sequential() {
    // Over the 1 MiB threshold → several threads; results must not depend on it.
    let mut files = Vec::new();
    for i in 0..64 {
        let mut s = String::new();
        for j in 0..400 {
            s.push_str(&format!("static int\nfn_{i}_{j}(int a)\n{{\n  return helper_{j}(a) + {i};\n}}\n"));
        }
        files.push((format!("lib/f{i:02}.c"), s));
    }
    let ix = CodeIndex::build(&files);
    assert_eq!(ix.files_count(), 64);
    assert_eq!(defs(&ix, "fn_63_399"), [(DefKind::Function, 399 * 5 + 2)]);
    assert_eq!(ix.mention_count("helper_7"), 64);
    let m = ix.mentions("helper_7");
    assert_eq!(m.len(), 50);
    assert_eq!(m[0], ("lib/f00.c".to_string(), 7 * 5 + 4));
    assert!(m.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn names_behind_one_prefix() {
    let ix = one(
        "void f(void)\n{\n  st = wolfSSL_CTX_get_cert_store(ctx);\n  s2 = SSL_CTX_get_cert_store(ctx);\n  /* mh_in_comment(x); */\n}\n",
    );
    let full: Vec<&str> = ix.with_prefix_dropped("CTX_get_cert_store").iter().map(|b| &**b).collect();
    assert_eq!(full, ["SSL_CTX_get_cert_store", "wolfSSL_CTX_get_cert_store"]);
    assert!(ix.with_prefix_dropped("get_cert_store").is_empty());
    assert!(ix.with_prefix_dropped("in_comment").is_empty());
}
