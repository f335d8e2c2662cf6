//! Helpers shared by the parsers' mutation tests.

/// A xorshift64 generator: deterministic, seedable, no dependency.
pub fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    }
}

/// Applies one to four random byte edits (set, flip, truncate, insert, remove) to `m`.
pub fn mutate(m: &mut Vec<u8>, next: &mut impl FnMut() -> u64) {
    for _ in 0..1 + next() % 4 {
        if m.is_empty() {
            break;
        }
        let at = (next() as usize) % m.len();
        match next() % 5 {
            0 => m[at] = next() as u8,
            1 => m[at] ^= 1 << (next() % 8),
            2 => m.truncate(at),
            3 => m.insert(at, next() as u8),
            _ => {
                m.remove(at);
            }
        }
    }
}
