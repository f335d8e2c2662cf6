#!/usr/bin/env python3
"""List every pickle global (module, qualified name) that files reference.

Never unpickles anything: pickle streams are walked with pickletools.genops and
a small *symbolic* stack machine that only tracks constants (str/bytes/int/...),
containers, the memo, and placeholders for objects. That is enough to

  * resolve STACK_GLOBAL operands pushed as strings or fetched from the memo
    (BINPUT/LONG_BINPUT/PUT/MEMOIZE -> BINGET/LONG_BINGET/GET),
  * tell how each global is used: `call` (REDUCE callable), `new` (class given to
    NEWOBJ/NEWOBJ_EX/OBJ/INST), `persid` (inside a persistent id, e.g. torch
    storage types) or `value` (only pushed as a value, e.g. torch.float16),
  * skip the raw array bytes joblib writes *inside* its pickle stream after each
    joblib.numpy_pickle.NumpyArrayWrapper (and walk the nested pickle joblib
    writes there for object arrays).

Containers handled (recursively):
  * zip archives (torch zip format, TorchScript, .npz): members named *.pkl /
    *.pickle, .npy members, nested zips, and other members that look like a
    pickle (start with PROTO) unless they sit under a data/ directory (raw
    tensor storages);
  * .npy files (a pickle follows the header when the dtype holds objects);
  * joblib compressed files (zlib, gzip, bz2, xz, lzma) -> decompressed first;
  * bytes given to torch.storage._load_from_bytes (a whole torch file embedded
    in a plain pickle of a tensor);
  * legacy torch.save files: five pickles back to back (magic number, protocol
    version, sys info, the object, storage keys) followed by raw storage bytes;
  * any other file: pickles read back to back while they parse.

Usage:
    python scripts/list_globals.py FILE_OR_DIR...             # per-reference lines
    python scripts/list_globals.py --tsv GLOBALS.tsv DIR      # aggregate table

Per-reference output columns: file, location (zip member / stream offset),
module, name, usage. --tsv writes one row per (module, name): module, name,
files (comma-separated), count (number of files), producers (file-name prefix
before the first '_', e.g. torch, sklearn), usage.
"""

import argparse
import ast
import bz2
import collections
import gzip
import io
import lzma
import os
import pickletools
import struct
import sys
import zipfile
import zlib

# ----------------------------------------------------------------- symbolic values


class Global:
    """A reference produced by GLOBAL / STACK_GLOBAL / INST."""

    def __init__(self, module, name):
        self.module, self.name = module, name
        self.usage = set()

    def __repr__(self):
        return "Global(%s.%s)" % (self.module, self.name)


class Obj:
    """The (unknown) result of REDUCE/NEWOBJ/...: we remember only the callable."""

    def __init__(self, callable_, args=None):
        self.callable, self.args, self.state = callable_, args, None

    def __repr__(self):
        return "Obj(%r)" % (self.callable,)


class Opaque:
    """Anything we do not model (persistent ids, out-of-band buffers, ext codes)."""

    def __init__(self, what):
        self.what = what


class Dict:
    """Dict as a list of pairs (keys may be unhashable placeholders)."""

    def __init__(self):
        self.items = []

    def get(self, key, default=None):
        for k, v in self.items:
            if isinstance(k, str) and k == key:
                return v
        return default


MARK = object()


class PickleError(Exception):
    pass


# ------------------------------------------------------------------ the walker


class Walker:
    """Collects references for one input file; `refs` holds (location, Global)."""

    def __init__(self):
        self.refs = []
        self.notes = []

    # -- one pickle ----------------------------------------------------------
    def walk_pickle(self, f, location):
        """Walk one pickle from the current position of file object `f` up to and
        including its STOP. Returns the value left on the stack (symbolic)."""
        stack, memo = [], {}

        def pop_mark():
            items = []
            while True:
                if not stack:
                    raise PickleError("MARK not found")
                v = stack.pop()
                if v is MARK:
                    items.reverse()
                    return items
                items.append(v)

        def pop():
            if not stack or stack[-1] is MARK:
                raise PickleError("stack underflow")
            return stack.pop()

        def use(callable_, how):
            if isinstance(callable_, Global):
                callable_.usage.add(how)

        def add_global(module, name, where):
            g = Global(module, name)
            self.refs.append(("%s@%d" % (location, where), g))
            return g

        def mark_persid(v, depth=0):
            if depth > 20:
                return
            if isinstance(v, Global):
                v.usage.add("persid")
            elif isinstance(v, (tuple, list)):
                for x in v:
                    mark_persid(x, depth + 1)

        for op, arg, pos in pickletools.genops(f):
            n = op.name
            if n in ("PROTO", "FRAME", "READONLY_BUFFER"):
                continue
            if n == "STOP":
                return stack[-1] if stack else None
            if n == "MARK":
                stack.append(MARK)
            # constants
            elif n in ("INT", "BININT", "BININT1", "BININT2", "LONG", "LONG1", "LONG4",
                       "STRING", "BINSTRING", "SHORT_BINSTRING", "BINBYTES", "SHORT_BINBYTES",
                       "BINBYTES8", "BYTEARRAY8", "UNICODE", "BINUNICODE", "SHORT_BINUNICODE",
                       "BINUNICODE8", "FLOAT", "BINFLOAT"):
                stack.append(arg)
            elif n == "NONE":
                stack.append(None)
            elif n == "NEWTRUE":
                stack.append(True)
            elif n == "NEWFALSE":
                stack.append(False)
            elif n == "EMPTY_TUPLE":
                stack.append(())
            elif n == "EMPTY_LIST":
                stack.append([])
            elif n in ("EMPTY_DICT",):
                stack.append(Dict())
            elif n == "EMPTY_SET":
                stack.append([])
            elif n == "NEXT_BUFFER":
                stack.append(Opaque("buffer"))
            # containers
            elif n == "TUPLE":
                stack.append(tuple(pop_mark()))
            elif n == "TUPLE1":
                stack.append((pop(),))
            elif n == "TUPLE2":
                b = pop(); a = pop(); stack.append((a, b))
            elif n == "TUPLE3":
                c = pop(); b = pop(); a = pop(); stack.append((a, b, c))
            elif n == "LIST":
                stack.append(pop_mark())
            elif n == "FROZENSET":
                stack.append(tuple(pop_mark()))
            elif n == "DICT":
                items = pop_mark()
                d = Dict()
                d.items = list(zip(items[0::2], items[1::2]))
                stack.append(d)
            elif n == "APPEND":
                v = pop()
                if stack and isinstance(stack[-1], list):
                    stack[-1].append(v)
            elif n in ("APPENDS", "ADDITEMS"):
                items = pop_mark()
                if stack and isinstance(stack[-1], list):
                    stack[-1].extend(items)
            elif n == "SETITEM":
                v = pop(); k = pop()
                if stack and isinstance(stack[-1], Dict):
                    stack[-1].items.append((k, v))
            elif n == "SETITEMS":
                items = pop_mark()
                if stack and isinstance(stack[-1], Dict):
                    stack[-1].items.extend(zip(items[0::2], items[1::2]))
            # stack / memo
            elif n == "POP":
                pop()
            elif n == "POP_MARK":
                pop_mark()
            elif n == "DUP":
                stack.append(stack[-1])
            elif n in ("PUT", "BINPUT", "LONG_BINPUT"):
                memo[arg] = stack[-1]
            elif n == "MEMOIZE":
                memo[len(memo)] = stack[-1]
            elif n in ("GET", "BINGET", "LONG_BINGET"):
                if arg not in memo:
                    raise PickleError("memo key %r missing at %d" % (arg, pos))
                stack.append(memo[arg])
            # globals and object construction
            elif n == "GLOBAL":
                module, name = arg.split(" ", 1)
                stack.append(add_global(module, name, pos))
            elif n == "STACK_GLOBAL":
                name = pop(); module = pop()
                if isinstance(module, str) and isinstance(name, str):
                    stack.append(add_global(module, name, pos))
                else:
                    self.notes.append("%s@%d: unresolved STACK_GLOBAL (%r, %r)" % (location, pos, module, name))
                    stack.append(add_global("<unresolved>", "%r.%r" % (module, name), pos))
            elif n == "INST":
                module, name = arg.split(" ", 1)
                g = add_global(module, name, pos)
                g.usage.add("new")
                stack.append(Obj(g, tuple(pop_mark())))
            elif n == "OBJ":
                items = pop_mark()
                use(items[0], "new")
                stack.append(Obj(items[0], tuple(items[1:])))
            elif n == "REDUCE":
                args = pop(); fn = pop()
                use(fn, "call")
                self.maybe_walk_embedded(fn, args, "%s@%d" % (location, pos))
                stack.append(Obj(fn, args))
            elif n == "NEWOBJ":
                args = pop(); cls = pop()
                use(cls, "new")
                stack.append(Obj(cls, args))
            elif n == "NEWOBJ_EX":
                pop(); args = pop(); cls = pop()
                use(cls, "new")
                stack.append(Obj(cls, args))
            elif n == "BUILD":
                state = pop()
                if stack and isinstance(stack[-1], Obj):
                    stack[-1].state = state
                    self.maybe_skip_joblib_array(f, stack[-1], location)
            elif n == "PERSID":
                stack.append(Opaque(("persid", arg)))
            elif n == "BINPERSID":
                pid = pop()
                mark_persid(pid)
                stack.append(Opaque(("persid", pid)))
            elif n in ("EXT1", "EXT2", "EXT4"):
                # copyreg extension registry: a global chosen by number at load time.
                g = add_global("<copyreg-extension>", str(arg), pos)
                stack.append(g)
            else:
                raise PickleError("unhandled opcode %s at %d" % (n, pos))
        raise PickleError("no STOP")

    # -- blobs that are themselves serialized files --------------------------
    def maybe_walk_embedded(self, fn, args, location):
        """torch.storage._load_from_bytes(b) runs torch.load on b: a plain pickle.dump
        of a torch tensor embeds a whole torch zip file as a bytes constant."""
        if (isinstance(fn, Global) and (fn.module, fn.name) == ("torch.storage", "_load_from_bytes")
                and isinstance(args, tuple) and args and isinstance(args[0], (bytes, bytearray))):
            self.walk_bytes(bytes(args[0]), location + ":_load_from_bytes")

    # -- joblib --------------------------------------------------------------
    def maybe_skip_joblib_array(self, f, obj, location):
        """joblib writes array bytes right after a NumpyArrayWrapper's BUILD."""
        cls = obj.callable
        if not (isinstance(cls, Global) and cls.module.startswith("joblib.numpy_pickle")
                and cls.name == "NumpyArrayWrapper" and isinstance(obj.state, Dict)):
            return
        st = obj.state
        shape, dtype = st.get("shape"), st.get("dtype")
        type_str, elsize = dtype_info(dtype)
        if type_str is None or not isinstance(shape, tuple):
            raise PickleError("cannot size joblib array (dtype %r)" % (dtype,))
        if type_str.lstrip("<>|=").startswith("O"):
            # object array: joblib pickles it with a nested pickle.dump(protocol=5)
            self.walk_pickle(f, location + ":joblib-object-array@%d" % f.tell())
            return
        if st.get("numpy_array_alignment_bytes") is not None:
            pad = f.read(1)
            if len(pad) != 1:
                raise PickleError("truncated joblib padding")
            f.read(pad[0])
        count = 1
        for d in shape:
            count *= int(d)
        f.seek(count * elsize, io.SEEK_CUR)

    # -- one file / buffer ---------------------------------------------------
    def walk_pickles(self, data, location):
        """Walk back-to-back pickles in `data`; legacy torch files get special care."""
        f = io.BytesIO(data)
        first = self.walk_pickle(f, location)
        if first == LEGACY_TORCH_MAGIC:
            # protocol version, sys info, the object, storage keys; then raw storages.
            for _ in range(4):
                self.walk_pickle(f, location)
            rest = len(data) - f.tell()
            self.notes.append("%s: legacy torch format, %d bytes of raw storage data after 5 pickles" % (location, rest))
            return
        while f.tell() < len(data):
            start = f.tell()
            try:
                self.walk_pickle(f, location + "+%d" % start)
            except (PickleError, ValueError) as e:
                self.notes.append("%s: %d trailing bytes at offset %d are not a pickle (%s)" % (location, len(data) - start, start, e))
                return

    def walk_bytes(self, data, location, name_hint=""):
        if data[:4] == b"PK\x03\x04" or (data[:4] == b"PK\x05\x06"):
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                for info in z.infolist():
                    member = info.filename
                    if info.is_dir():
                        continue
                    body = z.read(info)
                    base = member.rsplit("/", 1)[-1]
                    loc = location + "!" + member
                    if member.endswith((".pkl", ".pickle")) or body[:6] == b"\x93NUMPY" or body[:4] == b"PK\x03\x04":
                        self.walk_bytes(body, loc, base)
                    elif body[:1] == b"\x80" and "/data/" not in "/" + member and not member.startswith("data/"):
                        self.walk_bytes(body, loc, base)
            return
        if data[:6] == b"\x93NUMPY":
            major = data[6]
            if major == 1:
                hlen = struct.unpack("<H", data[8:10])[0]; start = 10
            else:
                hlen = struct.unpack("<I", data[8:12])[0]; start = 12
            header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
            if "O" in repr(header.get("descr")):
                self.walk_pickles(data[start + hlen:], location + ":npy-pickle")
            return
        dec = decompress_joblib(data)
        if dec is not None:
            kind, raw = dec
            self.walk_bytes(raw, location + ":" + kind, name_hint)
            return
        self.walk_pickles(data, location)


LEGACY_TORCH_MAGIC = 0x1950A86A20F9469CFC6C


def dtype_info(dtype):
    """(type string, itemsize) of a symbolic numpy.dtype Obj, without numpy."""
    if not (isinstance(dtype, Obj) and isinstance(dtype.args, tuple) and dtype.args
            and isinstance(dtype.args[0], str)):
        return None, None
    t = dtype.args[0]
    st = dtype.state
    if isinstance(st, tuple) and len(st) >= 6 and isinstance(st[5], int) and st[5] > 0:
        return t, st[5]  # explicit element size (structured, str, bytes, void)
    digits = "".join(c for c in t if c.isdigit())
    if t.lstrip("<>|=")[:1] in "OfiubcMm?" and digits:
        return t, int(digits)
    if t.lstrip("<>|=")[:1] in ("?", "b") and not digits:
        return t, 1
    return t, None


def decompress_joblib(data):
    """joblib compressed files: return (kind, bytes) or None."""
    try:
        if data[:2] == b"\x1f\x8b":
            return "gzip", gzip.decompress(data)
        if data[:3] == b"BZh":
            return "bz2", bz2.decompress(data)
        if data[:6] == b"\xfd7zXZ\x00":
            return "xz", lzma.decompress(data, format=lzma.FORMAT_XZ)
        if data[:3] == b"]\x00\x00":
            return "lzma", lzma.decompress(data, format=lzma.FORMAT_ALONE)
        if data[:1] == b"\x78" and len(data) > 2 and (data[0] * 256 + data[1]) % 31 == 0:
            return "zlib", zlib.decompress(data)
        if data[:2] == b"ZF":
            # joblib < 0.10 format: 'ZF' + 19-byte hex length field + zlib stream
            return "joblib-ZF", zlib.decompress(data[21:])
    except (OSError, EOFError, lzma.LZMAError, zlib.error, ValueError):
        return None
    return None


# ------------------------------------------------------------------------ main


def iter_files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, files in os.walk(p):
                for fn in sorted(files):
                    if fn.endswith((".md", ".tsv")):
                        continue
                    yield os.path.join(root, fn)
        else:
            yield p


def usage_of(g):
    return ",".join(sorted(g.usage)) if g.usage else "value"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--tsv", help="write the aggregate table here instead of per-reference lines")
    ap.add_argument("-v", "--verbose", action="store_true", help="print notes (trailing data, legacy formats)")
    args = ap.parse_args()

    agg = collections.OrderedDict()  # (module, name) -> {"files": set, "usage": set}
    failed = False
    for path in sorted(iter_files(args.paths)):
        w = Walker()
        fname = os.path.basename(path)
        try:
            with open(path, "rb") as fh:
                w.walk_bytes(fh.read(), fname, fname)
        except (PickleError, ValueError, zipfile.BadZipFile) as e:
            print("ERROR %s: %s" % (path, e), file=sys.stderr)
            failed = True
        for note in w.notes:
            if args.verbose or "unresolved" in note:
                print("note: " + note, file=sys.stderr)
        for loc, g in w.refs:
            if not args.tsv:
                print("\t".join((fname, loc, g.module, g.name, usage_of(g))))
            entry = agg.setdefault((g.module, g.name), {"files": set(), "usage": set()})
            entry["files"].add(fname)
            entry["usage"].update(g.usage or {"value"})

    if args.tsv:
        with open(args.tsv, "w", encoding="utf-8") as out:
            out.write("module\tname\tfiles\tcount\tproducers\tusage\n")
            for (module, name), e in sorted(agg.items()):
                files = sorted(e["files"])
                producers = sorted({f.split("_", 1)[0] for f in files})
                out.write("\t".join((module, name, ",".join(files), str(len(files)),
                                     ",".join(producers), ",".join(sorted(e["usage"])))) + "\n")
        print("wrote %s: %d distinct globals" % (args.tsv, len(agg)), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
