#!/usr/bin/env python3
"""Generate a large PyTorch-style zip checkpoint without needing torch.

The output mimics what ``torch.save(model.state_dict(), path)`` writes with the
default zip serialization (torch >= 1.6, record layout of torch 2.x):

    archive/data.pkl                 protocol-2 pickle of an OrderedDict state_dict
    archive/.format_version          "1"
    archive/.storage_alignment       "64"
    archive/byteorder                "little"
    archive/data/0 .. data/N-1       raw tensor bytes (zeros), one storage per tensor
    archive/version                  "3\\n"
    archive/.data/serialization_id   40 decimal digits

Members are STORED (no compression).  As torch's PyTorchStreamWriter does, every
member's data starts on a 64-byte boundary thanks to an "FB" extra field padded
with 'Z' bytes in the local header.  ZIP64 records are written only where a size
or offset needs them (a 2 GiB archive does not).

data.pkl is produced by the standard pickle.Pickler with a persistent_id hook,
exactly like torch.save, using small stand-in objects registered under the names
``torch``/``torch._utils`` *inside this process only* so that the pickle carries
the genuine globals:

    collections OrderedDict, torch._utils _rebuild_tensor_v2,
    torch FloatStorage, torch HalfStorage

and persistent ids ('storage', <StorageType>, '<key>', 'cpu', numel).

Tensor data is streamed to disk in chunks (memory use stays small).  The result
is cached: if the output and its stamp file exist with the same parameters,
nothing is regenerated.

Usage:
    python3 bench/gen_checkpoint.py [--out PATH] [--target-bytes N] [--force]
    python3 bench/gen_checkpoint.py --verify PATH   # structural check only
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import io
import json
import os
import pickle
import pickletools
import random
import struct
import sys
import time
import types
import zipfile
import zlib

ALIGN = 64
CHUNK = 8 * 1024 * 1024
U32 = 0xFFFFFFFF
GEN_VERSION = 1  # bump when the layout changes, invalidates the cache

# --------------------------------------------------------------------------
# Stand-ins for torch objects, registered under torch's module names in this
# process only, so pickle writes the same GLOBAL opcodes torch.save does.
# --------------------------------------------------------------------------


def _install_fake_torch() -> tuple[type, type, object]:
    torch_mod = types.ModuleType("torch")
    utils_mod = types.ModuleType("torch._utils")
    torch_mod._utils = utils_mod

    def _rebuild_tensor_v2(*args, **kwargs):  # pragma: no cover - never called
        raise RuntimeError("stand-in only")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils_mod._rebuild_tensor_v2 = _rebuild_tensor_v2

    def make_storage_cls(name: str) -> type:
        cls = type(name, (), {"__module__": "torch"})
        cls.__qualname__ = name
        setattr(torch_mod, name, cls)
        return cls

    float_storage = make_storage_cls("FloatStorage")
    half_storage = make_storage_cls("HalfStorage")
    sys.modules["torch"] = torch_mod
    sys.modules["torch._utils"] = utils_mod
    return float_storage, half_storage, _rebuild_tensor_v2


class StorageRef:
    """What torch's persistent_id sees: a typed storage with a key."""

    __slots__ = ("storage_type", "key", "numel", "elsize")

    def __init__(self, storage_type: type, key: str, numel: int, elsize: int):
        self.storage_type = storage_type
        self.key = key
        self.numel = numel
        self.elsize = elsize

    @property
    def nbytes(self) -> int:
        return self.numel * self.elsize


class TensorStandIn:
    """Reduces like torch.Tensor._reduce_ex_internal for a plain CPU tensor."""

    rebuild = None  # set after _install_fake_torch()

    def __init__(self, storage: StorageRef, size: tuple[int, ...]):
        self.storage = storage
        self.size = size

    def __reduce_ex__(self, protocol):
        stride = []
        acc = 1
        for dim in reversed(self.size):
            stride.append(acc)
            acc *= dim
        stride = tuple(reversed(stride))
        # (storage, storage_offset, size, stride, requires_grad, backward_hooks)
        return (
            TensorStandIn.rebuild,
            (self.storage, 0, self.size, stride, False, collections.OrderedDict()),
        )


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, StorageRef):
            return ("storage", obj.storage_type, obj.key, "cpu", obj.numel)
        return None


# --------------------------------------------------------------------------
# Model layout: a decoder-only transformer state_dict (Qwen2-like naming,
# q/k/v biases), fp16 matrices and fp32 norms/biases: 16 layers x 12 tensors
# + embeddings, final norm and lm_head = 195 tensors.
# --------------------------------------------------------------------------

VOCAB = 32000
N_LAYERS = 16


def layout(d: int) -> list[tuple[str, str, tuple[int, ...]]]:
    """Return [(name, 'f16'|'f32', shape)] for hidden size d."""
    ff = ((8 * d // 3) + 255) // 256 * 256
    out = [("model.embed_tokens.weight", "f16", (VOCAB, d))]
    for i in range(N_LAYERS):
        p = f"model.layers.{i}."
        out += [
            (p + "self_attn.q_proj.weight", "f16", (d, d)),
            (p + "self_attn.q_proj.bias", "f32", (d,)),
            (p + "self_attn.k_proj.weight", "f16", (d, d)),
            (p + "self_attn.k_proj.bias", "f32", (d,)),
            (p + "self_attn.v_proj.weight", "f16", (d, d)),
            (p + "self_attn.v_proj.bias", "f32", (d,)),
            (p + "self_attn.o_proj.weight", "f16", (d, d)),
            (p + "mlp.gate_proj.weight", "f16", (ff, d)),
            (p + "mlp.up_proj.weight", "f16", (ff, d)),
            (p + "mlp.down_proj.weight", "f16", (d, ff)),
            (p + "input_layernorm.weight", "f32", (d,)),
            (p + "post_attention_layernorm.weight", "f32", (d,)),
        ]
    out += [("model.norm.weight", "f32", (d,)), ("lm_head.weight", "f16", (VOCAB, d))]
    return out


def layout_bytes(lay) -> int:
    total = 0
    for _, dt, shape in lay:
        n = 1
        for s in shape:
            n *= s
        total += n * (2 if dt == "f16" else 4)
    return total


def pick_hidden(target: int) -> int:
    """Largest hidden size (multiple of 64) whose tensors fit in target bytes."""
    d = 64
    while layout_bytes(layout(d + 64)) <= target:
        d += 64
    return d


def module_prefixes(names: list[str]) -> list[str]:
    """The keys nn.Module.state_dict() puts in state_dict._metadata."""
    seen = collections.OrderedDict()
    seen[""] = None
    for n in names:
        parts = n.split(".")[:-1]
        for k in range(1, len(parts) + 1):
            seen.setdefault(".".join(parts[:k]), None)
    return list(seen)


def build_pickle(lay) -> tuple[bytes, list[StorageRef]]:
    float_storage, half_storage, rebuild = _install_fake_torch()
    TensorStandIn.rebuild = rebuild
    state = collections.OrderedDict()
    storages = []
    for idx, (name, dt, shape) in enumerate(lay):
        numel = 1
        for s in shape:
            numel *= s
        if dt == "f16":
            st = StorageRef(half_storage, str(idx), numel, 2)
        else:
            st = StorageRef(float_storage, str(idx), numel, 4)
        storages.append(st)
        state[name] = TensorStandIn(st, shape)
    meta = collections.OrderedDict()
    for prefix in module_prefixes([n for n, _, _ in lay]):
        meta[prefix] = {"version": 1}
    state._metadata = meta  # like nn.Module.state_dict()
    buf = io.BytesIO()
    TorchLikePickler(buf, protocol=2).dump(state)
    return buf.getvalue(), storages


EXPECTED_GLOBALS = {
    "collections OrderedDict",
    "torch._utils _rebuild_tensor_v2",
    "torch FloatStorage",
    "torch HalfStorage",
}


def check_pickle(data: bytes, n_tensors: int) -> dict:
    globals_seen = collections.Counter()
    persid = 0
    proto = None
    for op, arg, _ in pickletools.genops(data):
        if op.name == "PROTO":
            proto = arg
        elif op.name == "GLOBAL":
            globals_seen[arg] += 1
        elif op.name == "STACK_GLOBAL":
            raise AssertionError("unexpected STACK_GLOBAL in protocol-2 pickle")
        elif op.name == "BINPERSID":
            persid += 1
    if proto != 2:
        raise AssertionError(f"expected protocol 2, got {proto}")
    if set(globals_seen) != EXPECTED_GLOBALS:
        raise AssertionError(f"unexpected globals: {sorted(globals_seen)}")
    if persid != n_tensors:
        raise AssertionError(f"expected {n_tensors} BINPERSID, got {persid}")
    return {"protocol": proto, "globals": sorted(globals_seen), "binpersid": persid}


# --------------------------------------------------------------------------
# Minimal streaming ZIP writer laid out like caffe2's PyTorchStreamWriter.
# --------------------------------------------------------------------------

DOS_TIME = 0
DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, fixed for reproducibility


class ZipWriter:
    def __init__(self, fp):
        self.fp = fp
        self.entries = []  # (name, crc, size, offset)

    def _local_header(self, name: bytes, size: int, offset: int, crc: int) -> bytes:
        zip64_extra = b""
        need64 = size >= U32 or offset >= U32
        if need64:
            fields = b""
            if size >= U32:
                fields += struct.pack("<QQ", size, size)
            if offset >= U32:
                fields += struct.pack("<Q", offset)
            zip64_extra = struct.pack("<HH", 0x0001, len(fields)) + fields
        start = offset + 30 + len(name) + len(zip64_extra) + 4
        pad = (-start) % ALIGN
        fb_extra = b"FB" + struct.pack("<H", pad) + b"Z" * pad
        extra = zip64_extra + fb_extra
        version = 45 if need64 else 20
        s = U32 if size >= U32 else size
        hdr = struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50, version, 0, 0, DOS_TIME, DOS_DATE, crc, s, s, len(name), len(extra),
        )
        return hdr + name + extra

    def add_bytes(self, name: str, data: bytes) -> None:
        bname = name.encode()
        offset = self.fp.tell()
        crc = zlib.crc32(data)
        self.fp.write(self._local_header(bname, len(data), offset, crc))
        assert self.fp.tell() % ALIGN == 0
        self.fp.write(data)
        self.entries.append((bname, crc, len(data), offset))

    def add_zeros(self, name: str, size: int, crc_cache: dict) -> None:
        """Stream `size` zero bytes; CRC computed once per distinct size."""
        bname = name.encode()
        offset = self.fp.tell()
        crc = crc_cache.get(size)
        if crc is None:
            crc = 0
            zero = bytes(CHUNK)
            left = size
            while left:
                n = min(left, CHUNK)
                crc = zlib.crc32(memoryview(zero)[:n], crc)
                left -= n
            crc_cache[size] = crc
        self.fp.write(self._local_header(bname, size, offset, crc))
        assert self.fp.tell() % ALIGN == 0
        zero = bytes(min(CHUNK, size))
        left = size
        while left:
            n = min(left, CHUNK)
            self.fp.write(memoryview(zero)[:n])
            left -= n
        self.entries.append((bname, crc, size, offset))

    def close(self) -> None:
        cd_start = self.fp.tell()
        for bname, crc, size, offset in self.entries:
            fields = b""
            s = size
            o = offset
            if size >= U32:
                fields += struct.pack("<QQ", size, size)
                s = U32
            if offset >= U32:
                fields += struct.pack("<Q", offset)
                o = U32
            extra = struct.pack("<HH", 0x0001, len(fields)) + fields if fields else b""
            version = 45 if fields else 20
            self.fp.write(
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50, version, version, 0, 0, DOS_TIME, DOS_DATE, crc, s, s,
                    len(bname), len(extra), 0, 0, 0, 0, o,
                )
            )
            self.fp.write(bname + extra)
        cd_end = self.fp.tell()
        cd_size = cd_end - cd_start
        n = len(self.entries)
        if n >= 0xFFFF or cd_start >= U32 or cd_size >= U32:
            self.fp.write(
                struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, n, n, cd_size, cd_start)
            )
            self.fp.write(struct.pack("<IIQI", 0x07064B50, 0, cd_end, 1))
        self.fp.write(
            struct.pack(
                "<IHHHHIIH", 0x06054B50, 0, 0, min(n, 0xFFFF), min(n, 0xFFFF),
                min(cd_size, U32), min(cd_start, U32), 0,
            )
        )


# --------------------------------------------------------------------------


def verify(path: str, full_crc: bool = False) -> dict:
    """Structural check: zip directory, alignment, records, pickle globals."""
    with zipfile.ZipFile(path) as zf, open(path, "rb") as raw:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        for required in ("archive/data.pkl", "archive/byteorder", "archive/version",
                         "archive/.data/serialization_id"):
            if required not in names:
                raise AssertionError(f"missing {required}")
        if any(i.compress_type != zipfile.ZIP_STORED for i in infos):
            raise AssertionError("all members must be stored")
        for i in infos:
            raw.seek(i.header_offset)
            hdr = raw.read(30)
            nlen, elen = struct.unpack("<HH", hdr[26:30])
            data_off = i.header_offset + 30 + nlen + elen
            if data_off % ALIGN:
                raise AssertionError(f"{i.filename} data at {data_off} not {ALIGN}-aligned")
        if zf.read("archive/byteorder") != b"little":
            raise AssertionError("byteorder")
        if zf.read("archive/version") != b"3\n":
            raise AssertionError("version")
        data_members = [n for n in names if n.startswith("archive/data/")]
        info = check_pickle(zf.read("archive/data.pkl"), len(data_members))
        if full_crc:
            bad = zf.testzip()
            if bad:
                raise AssertionError(f"bad CRC in {bad}")
    info.update(members=len(names), tensors=len(data_members),
                file_size=os.path.getsize(path))
    return info


def generate(out: str, target: int) -> dict:
    d = pick_hidden(target)
    lay = layout(d)
    pkl, storages = build_pickle(lay)
    check_pickle(pkl, len(storages))
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    tmp = out + ".partial"
    rnd = random.Random(target)
    serialization_id = "".join(str(rnd.randrange(10)) for _ in range(40))
    t0 = time.time()
    crc_cache: dict = {}
    with open(tmp, "wb") as fp:
        zw = ZipWriter(fp)
        zw.add_bytes("archive/data.pkl", pkl)
        zw.add_bytes("archive/.format_version", b"1")
        zw.add_bytes("archive/.storage_alignment", str(ALIGN).encode())
        zw.add_bytes("archive/byteorder", b"little")
        for st in storages:
            zw.add_zeros(f"archive/data/{st.key}", st.nbytes, crc_cache)
        zw.add_bytes("archive/version", b"3\n")
        zw.add_bytes("archive/.data/serialization_id", serialization_id.encode())
        zw.close()
    os.replace(tmp, out)
    return {"hidden": d, "tensors": len(storages), "tensor_bytes": layout_bytes(lay),
            "pickle_bytes": len(pkl), "seconds": round(time.time() - t0, 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="target/bench-data/checkpoint-2g.pt")
    ap.add_argument("--target-bytes", type=int, default=2 * 1024**3,
                    help="approximate total tensor bytes (default 2 GiB)")
    ap.add_argument("--force", action="store_true", help="regenerate even if cached")
    ap.add_argument("--verify", metavar="PATH", help="only verify an existing file")
    ap.add_argument("--full-crc", action="store_true", help="with --verify: check every CRC")
    args = ap.parse_args()

    if args.verify:
        print(json.dumps(verify(args.verify, args.full_crc), indent=2))
        return 0

    stamp = args.out + ".stamp"
    key = hashlib.sha256(f"{GEN_VERSION}:{args.target_bytes}".encode()).hexdigest()
    if not args.force and os.path.exists(args.out) and os.path.exists(stamp):
        with open(stamp) as f:
            if f.read().strip() == key:
                print(f"cached: {args.out} ({os.path.getsize(args.out)} bytes)", file=sys.stderr)
                return 0
    print(f"generating {args.out} (~{args.target_bytes} bytes of tensors)...", file=sys.stderr)
    info = generate(args.out, args.target_bytes)
    info.update(verify(args.out))
    with open(stamp, "w") as f:
        f.write(key + "\n")
    print(json.dumps(info), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
