//! Helpers shared by the parsers' mutation tests.

/// A xorshift64 generator: deterministic, seedable, no dependency, so every failure reproduces.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// The same generator as a closure.
pub fn xorshift(state: u64) -> impl FnMut() -> u64 {
    let mut rng = Rng(state);
    move || rng.next()
}

/// Applies one to four random byte edits (set, flip, truncate, insert, remove) to `m`.
pub fn mutate(m: &mut Vec<u8>, next: &mut impl FnMut() -> u64) {
    mutate_with(m, next, &[]);
}

/// As [`mutate`], inserting bytes drawn from `inserted` (any byte when it is empty): text formats
/// reach deeper when the inserted bytes are their own syntax.
pub fn mutate_with(m: &mut Vec<u8>, next: &mut impl FnMut() -> u64, inserted: &[u8]) {
    for _ in 0..1 + next() % 4 {
        if m.is_empty() {
            break;
        }
        let at = (next() as usize) % m.len();
        match next() % 5 {
            0 => m[at] = next() as u8,
            1 => m[at] ^= 1 << (next() % 8),
            2 => m.truncate(at),
            3 if inserted.is_empty() => m.insert(at, next() as u8),
            3 => m.insert(at, inserted[(next() % inserted.len() as u64) as usize]),
            _ => {
                m.remove(at);
            }
        }
    }
}
