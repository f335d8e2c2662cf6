//! Static pickle analysis.
//!
//! [`reader`] decodes opcodes exactly as CPython's unpickler reads them (all protocols 0-5);
//! [`machine`] simulates the stack and memo symbolically to learn which globals are imported and
//! which callables are invoked; [`payload`] looks for pickles and code carried as data. Nothing
//! here executes, imports or unpickles anything: it only reads bytes.

pub mod compat;
pub mod machine;
pub mod opcodes;
pub mod payload;
pub mod reader;

pub use machine::{analyse, Analysis, Call, CallKind, Callee, GlobalRef, Limits};
pub use reader::{Arg, Op, OpReader, PickleError};

/// True when `data` plausibly starts a pickle stream: a PROTO opcode of a known protocol, or a
/// protocol 0/1 stream whose first opcodes decode cleanly and that reaches STOP or imports a global.
pub fn looks_like_pickle(data: &[u8]) -> bool {
    match data {
        [] => false,
        [0x80, p, ..] => *p <= 5,
        _ => {
            let mut r = OpReader::new(data, reader::ReadLimits { max_kept: 256 });
            let mut n = 0usize;
            loop {
                match r.next_op() {
                    Ok(Some(op)) => {
                        n += 1;
                        match (op.code, &op.arg) {
                            (b'.', _) => return n >= 2,
                            // Text that starts with "c" parses as GLOBAL; real globals are
                            // dotted identifiers, or CPython could not import them.
                            (b'c' | b'i', Arg::Pair(m, name)) => return is_dotted_identifier(m) && is_dotted_identifier(name),
                            (0x93, _) => return true,
                            _ => {}
                        }
                        if n >= 64 {
                            return true;
                        }
                    }
                    Ok(None) | Err(_) => return false,
                }
            }
        }
    }
}

/// `a.b_c.D`: what CPython's import machinery and getattr accept from a pickle.
pub fn is_dotted_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut c = part.chars();
            c.next().is_some_and(|f| f.is_alphabetic() || f == '_') && c.all(|x| x.is_alphanumeric() || x == '_')
        })
}
