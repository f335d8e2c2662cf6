#!/usr/bin/env python3
"""Writes the malicious examples under examples/malicious as raw bytes.

Nothing is pickled from live objects and nothing is ever loaded: the opcodes are spelled out.
The benign examples are copies of tests/fixtures/benign files (see that folder's README).
"""
import base64, struct, zipfile, io, os, zlib

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples", "malicious")
os.makedirs(root, exist_ok=True)

# posix.system("echo pwned"), protocol 2.
system = b"\x80\x02cposix\nsystem\nq\x00X\n\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."
open(os.path.join(root, "weights.bin"), "wb").write(system)

# builtins.eval("print(1)") in a PyTorch-style zip whose member claims to be encrypted.
evalp = b"\x80\x02cbuiltins\neval\nq\x00X\x08\x00\x00\x00print(1)q\x01\x85q\x02Rq\x03."
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
    z.writestr("archive/data.pkl", evalp)
    z.writestr("archive/version", "3\n")
data = bytearray(buf.getvalue())
# Set general-purpose bit 0 in the first local header and its central directory entry.
data[6] |= 1
cd = data.rfind(b"PK\x01\x02", 0, len(data))
first_cd = data.find(b"PK\x01\x02")
data[first_cd + 8] |= 1
open(os.path.join(root, "flag_bits.pt"), "wb").write(bytes(data))

# {"config": "<base64 of a pickle calling posix.system>"}: carried as data, not run on load.
b64 = base64.b64encode(system)
carrier = b"\x80\x04}\x94\x8c\x06config\x94\x8c" + bytes([len(b64)]) + b64 + b"\x94s."
open(os.path.join(root, "carrier.pkl"), "wb").write(carrier)
