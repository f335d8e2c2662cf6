#!/usr/bin/env python3
"""Generate a deterministic curl-like C project as a git repository, for vouch-source benchmarks.

    bench/gen_c_repo.py OUT_DIR [--lines 200000] [--seed 1]

Layout: lib/ (with lib/vtls/), src/, include/proj/, tests/unit/, docs/. Functions look like curl's
(return type on its own line, bounds checks, memcpy/strcpy, `#ifdef DEBUGBUILD` blocks), headers
hold prototypes, structs, enums and macros. History: four commits with fixed dates and release
tags proj-1_0_0 (lightweight), proj-1_1_0 (annotated), proj-2_0_0 (annotated), plus an rc tag.
Prints a summary. Needs only python3 and git.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import time

WORDS = (
    "http auth cookie header chunk proxy socks tls cert alpn url query host port path scheme "
    "buffer conn pool dns resolve timeout retry redirect upload download range ftp smtp imap "
    "pop3 mqtt ws frame cache hash list token parse encode decode base64 digest ntlm bearer "
    "sasl quic h2 h3 stream window state multi easy share mime form escape unescape ssl ossl "
    "gnutls mbed schannel trace progress speed limit netrc hsts altsvc doh ipv6 addr bind"
).split()

TYPES = ["int", "size_t", "CURLcode", "bool", "unsigned int", "ssize_t", "long"]

LICENSE = """/***************************************************************************
 *                                  _   _ ____  _
 *  Project                     ___| | | |  _ \\| |
 *                             / __| | | | |_) | |
 *                            | (__| |_| |  _ <| |___
 *                             \\___|\\___/|_| \\_\\_____|
 *
 * Copyright (C) Example Project contributors.
 *
 * SPDX-License-Identifier: curl
 *
 ***************************************************************************/
"""


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.used = set()

    def name(self, prefix):
        while True:
            n = "%s_%s_%s" % (prefix, self.r.choice(WORDS), self.r.choice(WORDS))
            if n not in self.used:
                self.used.add(n)
                return n
            n2 = "%s%d" % (n, self.r.randrange(1000))
            if n2 not in self.used:
                self.used.add(n2)
                return n2

    def body_bounds(self, fn):
        bufsz = self.r.choice([64, 128, 256, 512, 1024])
        lines = [
            "  char buffer[%d];" % bufsz,
            "  size_t i;",
            "  CURLcode result = CURLE_OK;",
            "",
            "  if(!input || !len)",
            "    return CURLE_BAD_FUNCTION_ARGUMENT;",
            "  if(len >= sizeof(buffer)) {",
            '    failf(data, "%s: input too long (%%zu bytes)", len);' % fn,
            "    return CURLE_TOO_LARGE;",
            "  }",
            "  memcpy(buffer, input, len);",
            "  buffer[len] = '\\0';",
            "  for(i = 0; i < len; i++) {",
            "    if(buffer[i] == '%s')" % self.r.choice([";", ",", ":", "=", "/"]),
            "      break;",
            "  }",
        ]
        if self.r.random() < 0.4:
            lines += [
                "#ifdef DEBUGBUILD",
                '  infof(data, "%s parsed %%zu of %%zu bytes", i, len);' % fn,
                "#endif",
            ]
        lines += ["  return result;"]
        return lines

    def body_copy(self, fn):
        lines = [
            "  struct dynbuf out;",
            "  const char *p = src;",
            "  size_t n = 0;",
            "",
            "  Curl_dyn_init(&out, CURL_MAX_INPUT_LENGTH);",
            "  while(*p && n < max) {",
            "    if(ISSPACE(*p)) {",
            "      p++;",
            "      continue;",
            "    }",
            "    if(Curl_dyn_addn(&out, p, 1))",
            "      return CURLE_OUT_OF_MEMORY;",
            "    p++;",
            "    n++;",
            "  }",
        ]
        if self.r.random() < 0.3:
            lines += ["  /* the destination is known to be large enough */", "  strcpy(dest, Curl_dyn_ptr(&out));"]
        else:
            lines += ["  if(Curl_dyn_len(&out) >= destlen)", "    return CURLE_TOO_LARGE;", "  strcpy(dest, Curl_dyn_ptr(&out));"]
        lines += ["  Curl_dyn_free(&out);", "  return CURLE_OK;"]
        return lines

    def body_state(self, fn, enum_consts):
        lines = ["  switch(ctx->state) {"]
        for c in enum_consts:
            lines += ["  case %s:" % c, "    ctx->state = %s;" % self.r.choice(enum_consts), "    break;"]
        lines += ["  default:", '    DEBUGASSERT(0);', "    return CURLE_FAILED_INIT;", "  }"]
        if self.r.random() < 0.5:
            lines += [
                "#if defined(USE_SSL) && !defined(CURL_DISABLE_PROXY)",
                "  if(ctx->len > sizeof(ctx->buf) - 1)",
                "    ctx->len = sizeof(ctx->buf) - 1;",
                "#else",
                "  ctx->len = 0;",
                "#endif",
            ]
        lines += ["  return CURLE_OK;"]
        return lines

    def body_misc(self, fn, callees):
        lines = ["  int rc = 0;", "  unsigned int k;", ""]
        for k in range(self.r.randint(2, 6)):
            callee = self.r.choice(callees) if callees else "Curl_safefree"
            lines += [
                "  if(n > %d) {" % self.r.randrange(1, 4096),
                "    rc = %s(data, NULL, 0);" % callee,
                "    if(rc)",
                "      goto out;",
                "  }",
            ]
        lines += [
            "  for(k = 0; k < n; k++)",
            "    total += k * %d;" % self.r.randrange(2, 9),
            "out:",
            "  return rc;",
        ]
        return lines

    def c_file(self, module, prefix, n_funcs, callees):
        """Returns (text, exported prototypes, header extras)."""
        r = self.r
        out = [LICENSE, '#include "proj_setup.h"', '#include "%s.h"' % module, "#include <string.h>", ""]
        protos = []
        ctx = "%s_ctx" % module.replace("/", "_")
        enum_consts = ["%s_%s" % (ctx.upper(), r.choice(WORDS).upper() + str(i)) for i in range(r.randint(3, 6))]
        out += ["/* connection-level state for %s */" % module, "struct %s {" % ctx, "  char buf[256];", "  size_t len;", "  int state;", "};", ""]
        if r.random() < 0.5:
            out += ["#ifdef DEBUGBUILD", "static int %s_debug_calls;" % module.replace("/", "_"), "#endif", ""]
        for _ in range(n_funcs):
            exported = r.random() < 0.35
            fn = self.name(("Curl" if prefix == "Curl" else "Curl_" + prefix) if exported else prefix.lower())
            kind = r.random()
            if kind < 0.35:
                params = "struct Curl_easy *data, const char *input, size_t len"
                body = self.body_bounds(fn)
                ret = "CURLcode"
            elif kind < 0.55:
                params = "char *dest, size_t destlen, const char *src, size_t max"
                body = self.body_copy(fn)
                ret = "CURLcode"
            elif kind < 0.75:
                params = "struct %s *ctx" % ctx
                body = self.body_state(fn, enum_consts)
                ret = "CURLcode"
            else:
                params = "struct Curl_easy *data, size_t n, size_t total"
                body = self.body_misc(fn, callees)
                ret = r.choice(TYPES)
            if r.random() < 0.3:
                out.append("/*\n * %s() handles the %s part of the %s transfer.\n * Returns CURLE_OK on success.\n */" % (fn, r.choice(WORDS), r.choice(WORDS)))
            storage = "" if exported else "static "
            if r.random() < 0.8:
                out.append("%s%s" % (storage, ret))
                if len(params) > 50 and r.random() < 0.5:
                    parts = params.split(", ")
                    indent = " " * (len(fn) + 1)
                    out.append("%s(%s" % (fn, parts[0] + ","))
                    for j, p in enumerate(parts[1:]):
                        out.append("%s%s%s" % (indent, p, ")" if j == len(parts) - 2 else ","))
                else:
                    out.append("%s(%s)" % (fn, params))
            else:
                out.append("%s%s %s(%s)" % (storage, ret, fn, params))
            out.append("{")
            out += body
            out.append("}")
            out.append("")
            if exported:
                protos.append("%s %s(%s);" % (ret, fn, params))
                callees.append(fn)
        return "\n".join(out) + "\n", protos, enum_consts, ctx

    def header(self, module, protos, enum_consts, ctx):
        guard = "HEADER_PROJ_%s_H" % module.upper().replace("/", "_")
        out = [LICENSE, "#ifndef %s" % guard, "#define %s" % guard, "", '#include "proj_setup.h"', ""]
        out += ["#define %s_MAX_LEN %d" % (ctx.upper(), self.r.choice([256, 1024, 8192])), "#define %s_FLAG(x) ((x) & 0x%02x)" % (ctx.upper(), self.r.randrange(256)), ""]
        out += ["typedef enum {"] + ["  %s%s" % (c, "," if i < len(enum_consts) - 1 else "") for i, c in enumerate(enum_consts)] + ["} %s_state;" % ctx, ""]
        out += ["struct %s;" % ctx, ""]
        out += ["#ifndef CURL_DISABLE_%s" % module.split("/")[-1].upper()]
        out += protos
        out += ["#else", "#define %s_disabled 1" % ctx, "#endif", "", "#endif /* %s */" % guard]
        return "\n".join(out) + "\n"


def git(cwd, *args, when=None):
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Bench Author",
        GIT_AUTHOR_EMAIL="bench@example.invalid",
        GIT_COMMITTER_NAME="Bench Author",
        GIT_COMMITTER_EMAIL="bench@example.invalid",
    )
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = "@%d +0000" % when
    subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)


def write(root, rel, text):
    p = os.path.join(root, rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)
    return text.count("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--lines", type=int, default=200_000, help="approximate lines of C in the final tree")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    t0 = time.time()
    out = args.out
    if os.path.exists(out):
        if not os.path.isdir(os.path.join(out, ".git")):
            sys.exit("%s exists and is not a generated repository; refusing to overwrite" % out)
        shutil.rmtree(out)
    os.makedirs(out)
    g = Gen(args.seed)

    # Plan the modules: ~200 lines per .c file plus a header each.
    n_c = max(4, args.lines // 384)
    dirs = [("lib", "Curl", 0.6), ("lib/vtls", "ossl", 0.12), ("src", "tool", 0.15), ("tests/unit", "unit", 0.13)]
    modules = []
    for d, prefix, share in dirs:
        for i in range(max(1, int(n_c * share))):
            modules.append((d, prefix, "%s%d" % (g.r.choice(WORDS), i)))
    # Three stages: 80% of modules in 1.0.0, 90% in 1.1.0, all in 2.0.0; HEAD edits more.
    stages = [
        ("proj-1_0_0", int(len(modules) * 0.8), 1_640_995_200, "light"),  # 2022-01-01
        ("proj-1_1_0", int(len(modules) * 0.9), 1_656_633_600, "annotated"),  # 2022-07-01
        ("proj-2_0_0-rc1", int(len(modules) * 0.95), 1_669_852_800, "light"),  # 2022-12-01
        ("proj-2_0_0", len(modules), 1_672_531_200, "annotated"),  # 2023-01-01
    ]
    git(out, "init", "-q", "-b", "main")
    write(out, "include/proj/proj_setup.h", "#ifndef PROJ_SETUP_H\n#define PROJ_SETUP_H\n#include <stddef.h>\ntypedef int CURLcode;\n#define CURLE_OK 0\n#endif\n")
    write(out, "README.md", "# proj\n\nA generated curl-like project for benchmarks.\n")
    callees = []
    done = 0
    total_lines = 0
    c_files = 0
    for tag, upto, when, kind in stages:
        for d, prefix, mod in modules[done:upto]:
            base = "%s/%s" % (d, mod)
            text, protos, consts, ctx = g.c_file(mod, prefix, g.r.randint(7, 15), callees)
            total_lines += write(out, base + ".c", text)
            hdr_dir = "include/proj" if d == "lib" and g.r.random() < 0.2 else d
            total_lines += write(out, "%s/%s.h" % (hdr_dir, mod), g.header(mod, protos, consts, ctx))
            c_files += 2
        # Touch a few existing files so old and new versions differ.
        for d, prefix, mod in g.r.sample(modules[:done], min(done, 10)) if done else []:
            p = os.path.join(out, d, mod + ".c")
            with open(p, "a") as f:
                f.write("\n/* changed for %s */\nint %s_changed_in_%s;\n" % (tag, mod, tag.replace("-", "_")))
        write(out, "docs/RELEASE-NOTES.md", "# %s\n\nmodules: %d\n" % (tag, upto))
        done = upto
        git(out, "add", "-A")
        git(out, "commit", "-q", "-m", "release %s" % tag, when=when)
        if kind == "annotated":
            git(out, "tag", "-a", "-m", "release %s" % tag, tag, when=when + 3600)
        else:
            git(out, "tag", tag, when=when)
    # Development after the last release.
    write(out, "lib/%s.c" % modules[0][2], open(os.path.join(out, "lib/%s.c" % modules[0][2])).read() + "\nint post_release_function(void)\n{\n  return 2;\n}\n")
    git(out, "add", "-A")
    git(out, "commit", "-q", "-m", "post-release work", when=1_675_209_600)  # 2023-02-01
    # Pack the objects, as in any clone.
    git(out, "gc", "-q", "--prune=now")
    files = sum(len(fs) for root, _dirs, fs in os.walk(out) if "/.git" not in root.replace(os.sep, "/") + "/")
    print("generated %s: %d files (%d C-family), ~%d lines of C, tags %s, 5 commits, %.1f s"
          % (out, files, c_files + 1, total_lines, ", ".join(s[0] for s in stages), time.time() - t0))


if __name__ == "__main__":
    main()
