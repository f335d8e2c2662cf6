//! The pickle opcode table (protocols 0-5), with the argument encoding each opcode carries.

/// How an opcode's argument is encoded in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    None,
    /// `int(line, 0)`, with `00`/`01` meaning False/True (INT).
    DecimalNlShort,
    /// Like DecimalNlShort with an optional trailing `L` (LONG).
    DecimalNlLong,
    FloatNl,
    /// Quoted, backslash-escaped line (STRING).
    StringNl,
    /// Unquoted ASCII line (PERSID).
    StringNlNoEscape,
    /// Two unquoted UTF-8 lines (GLOBAL, INST).
    StringNlNoEscapePair,
    /// raw-unicode-escape line (UNICODE).
    UnicodeStringNl,
    Uint1,
    Uint2,
    Int4,
    Uint4,
    Uint8,
    Float8,
    Long1,
    Long4,
    /// Signed 4-byte length, then bytes (BINSTRING).
    String4,
    String1,
    Bytes1,
    Bytes4,
    Bytes8,
    ByteArray8,
    UnicodeString1,
    UnicodeString4,
    UnicodeString8,
}

/// Static description of one opcode.
#[derive(Debug)]
pub struct OpInfo {
    pub code: u8,
    pub name: &'static str,
    pub arg: ArgKind,
    /// Lowest protocol that defines the opcode.
    pub proto: u8,
}

macro_rules! table {
    ($($code:expr, $name:ident, $arg:ident, $proto:expr;)*) => {
        /// Every opcode CPython's unpickler knows.
        pub static OPCODES: &[OpInfo] = &[$(OpInfo { code: $code, name: stringify!($name), arg: ArgKind::$arg, proto: $proto }),*];
    };
}

table! {
    b'(', MARK, None, 0;
    b'.', STOP, None, 0;
    b'0', POP, None, 0;
    b'1', POP_MARK, None, 1;
    b'2', DUP, None, 0;
    b'F', FLOAT, FloatNl, 0;
    b'I', INT, DecimalNlShort, 0;
    b'J', BININT, Int4, 1;
    b'K', BININT1, Uint1, 1;
    b'L', LONG, DecimalNlLong, 0;
    b'M', BININT2, Uint2, 1;
    b'N', NONE, None, 0;
    b'P', PERSID, StringNlNoEscape, 0;
    b'Q', BINPERSID, None, 1;
    b'R', REDUCE, None, 0;
    b'S', STRING, StringNl, 0;
    b'T', BINSTRING, String4, 1;
    b'U', SHORT_BINSTRING, String1, 1;
    b'V', UNICODE, UnicodeStringNl, 0;
    b'X', BINUNICODE, UnicodeString4, 1;
    b'a', APPEND, None, 0;
    b'b', BUILD, None, 0;
    b'c', GLOBAL, StringNlNoEscapePair, 0;
    b'd', DICT, None, 0;
    b'}', EMPTY_DICT, None, 1;
    b'e', APPENDS, None, 1;
    b'g', GET, DecimalNlShort, 0;
    b'h', BINGET, Uint1, 1;
    b'i', INST, StringNlNoEscapePair, 0;
    b'j', LONG_BINGET, Uint4, 1;
    b'l', LIST, None, 0;
    b']', EMPTY_LIST, None, 1;
    b'o', OBJ, None, 1;
    b'p', PUT, DecimalNlShort, 0;
    b'q', BINPUT, Uint1, 1;
    b'r', LONG_BINPUT, Uint4, 1;
    b's', SETITEM, None, 0;
    b't', TUPLE, None, 0;
    b')', EMPTY_TUPLE, None, 1;
    b'u', SETITEMS, None, 1;
    b'G', BINFLOAT, Float8, 1;
    0x80, PROTO, Uint1, 2;
    0x81, NEWOBJ, None, 2;
    0x82, EXT1, Uint1, 2;
    0x83, EXT2, Uint2, 2;
    0x84, EXT4, Int4, 2;
    0x85, TUPLE1, None, 2;
    0x86, TUPLE2, None, 2;
    0x87, TUPLE3, None, 2;
    0x88, NEWTRUE, None, 2;
    0x89, NEWFALSE, None, 2;
    0x8a, LONG1, Long1, 2;
    0x8b, LONG4, Long4, 2;
    b'B', BINBYTES, Bytes4, 3;
    b'C', SHORT_BINBYTES, Bytes1, 3;
    0x8c, SHORT_BINUNICODE, UnicodeString1, 4;
    0x8d, BINUNICODE8, UnicodeString8, 4;
    0x8e, BINBYTES8, Bytes8, 4;
    0x8f, EMPTY_SET, None, 4;
    0x90, ADDITEMS, None, 4;
    0x91, FROZENSET, None, 4;
    0x92, NEWOBJ_EX, None, 4;
    0x93, STACK_GLOBAL, None, 4;
    0x94, MEMOIZE, None, 4;
    0x95, FRAME, Uint8, 4;
    0x96, BYTEARRAY8, ByteArray8, 5;
    0x97, NEXT_BUFFER, None, 5;
    0x98, READONLY_BUFFER, None, 5;
}

const fn build_index() -> [u8; 256] {
    let mut idx = [u8::MAX; 256];
    let mut i = 0;
    while i < OPCODES.len() {
        idx[OPCODES[i].code as usize] = i as u8;
        i += 1;
    }
    idx
}

static INDEX: [u8; 256] = build_index();

/// Looks an opcode byte up.
pub fn info(code: u8) -> Option<&'static OpInfo> {
    match INDEX[code as usize] {
        u8::MAX => None,
        i => Some(&OPCODES[i as usize]),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn table_is_consistent() {
        let mut seen = std::collections::HashSet::new();
        for op in super::OPCODES {
            assert!(seen.insert(op.code), "duplicate opcode {:#x}", op.code);
            assert_eq!(super::info(op.code).unwrap().name, op.name);
        }
        assert_eq!(super::OPCODES.len(), 68);
        assert!(super::info(b'H').is_none());
    }
}
