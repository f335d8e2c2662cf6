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
                            (b'.', _) => return n >= 2 && simulates_cleanly(data),
                            // Text that starts with "c" parses as GLOBAL; real globals are
                            // dotted identifiers, or CPython could not import them.
                            (b'c' | b'i', Arg::Pair(m, name)) => {
                                return is_dotted_identifier(m) && is_dotted_identifier(name) && simulates_cleanly(data)
                            }
                            (0x93, _) => return simulates_cleanly(data),
                            _ => {}
                        }
                        if n >= 64 {
                            return simulates_cleanly(data);
                        }
                    }
                    Ok(None) | Err(_) => return false,
                }
            }
        }
    }
}

/// Text such as "1.5e+02" decodes as opcodes (POP_MARK, STOP) but no unpickler accepts it:
/// the first stream must also run on the symbolic machine.
/// A stream that only breaks because the input (or the sniffed head) ends still counts, when it
/// got somewhere first.
fn simulates_cleanly(data: &[u8]) -> bool {
    let limits = Limits { max_ops: 10_000, max_depth: 0, ..Limits::default() };
    let a = analyse(data, &limits);
    let first_complete = a.streams.first().is_some_and(|s| s.complete);
    let cut_short = matches!(a.error, Some(PickleError::Truncated { .. })) && (a.ops >= 3 || !a.globals.is_empty());
    first_complete || cut_short || (a.error.is_none() && a.limit.is_some())
}

/// `a.b_c.D`: what CPython's import machinery and getattr accept from a pickle.
pub fn is_dotted_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.split('.').all(|part| {
            let mut c = part.chars();
            c.next().is_some_and(|f| f.is_alphabetic() || f == '_') && c.all(|x| x.is_alphanumeric() || x == '_')
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_that_decodes_as_opcodes_is_not_a_pickle() {
        assert!(!super::looks_like_pickle(b"1.510000000000000000e+02\n7.5e+01\n"));
        assert!(super::looks_like_pickle(b"(lp0\nI1\naI2\na."));
        assert!(super::looks_like_pickle(b"N."));
        assert!(!super::looks_like_pickle(b"isympy\nsympy\n"));
        // Cut short after importing something: still a pickle (broken_model.pkl style).
        assert!(super::looks_like_pickle(b"cbuiltins\nexec\n(X\xff\xff\xff\x00abc"));
    }
}
