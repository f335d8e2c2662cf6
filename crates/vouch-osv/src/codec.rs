//! The compact binary encoding of store records and tables: LEB128 varints, length-prefixed
//! UTF-8 strings, one tag byte per enum. The reader treats its input as hostile: every length is
//! checked against the bytes left before anything is allocated.

use serde_json::Value;

use crate::model::{Advisory, Affected, Event, Package, Range, RangeKind, Reference, Severity};

/// Why a buffer could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DecodeError(pub String);

pub(crate) type Decoded<T> = Result<T, DecodeError>;

#[derive(Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    pub fn varint(&mut self, mut v: u64) {
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(byte);
                return;
            }
            self.buf.push(byte | 0x80);
        }
    }

    pub fn len(&mut self, n: usize) {
        self.varint(n as u64);
    }

    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub fn opt_str(&mut self, s: Option<&str>) {
        match s {
            None => self.u8(0),
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
        }
    }

    fn strs(&mut self, items: &[String]) {
        self.len(items.len());
        for s in items {
            self.str(s);
        }
    }

    fn opt_json(&mut self, v: Option<&Value>) {
        let text = v.map(Value::to_string);
        self.opt_str(text.as_deref());
    }

    fn severities(&mut self, items: &[Severity]) {
        self.len(items.len());
        for s in items {
            self.str(&s.kind);
            self.str(&s.score);
        }
    }
}

pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn fail<T>(&self, what: &str) -> Decoded<T> {
        Err(DecodeError(format!("{what} at byte {}", self.pos)))
    }

    pub fn u8(&mut self) -> Decoded<u8> {
        match self.buf.get(self.pos) {
            Some(&b) => {
                self.pos += 1;
                Ok(b)
            }
            None => self.fail("unexpected end of data"),
        }
    }

    pub fn varint(&mut self) -> Decoded<u64> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return self.fail("varint overflows 64 bits");
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        self.fail("varint longer than 10 bytes")
    }

    /// A count of items, each of which takes at least `min_item_bytes`: bounded by what is left,
    /// so a forged count cannot make the caller allocate more than the input justifies.
    pub fn len(&mut self, min_item_bytes: usize) -> Decoded<usize> {
        let n = self.varint()?;
        let max = self.remaining() / min_item_bytes.max(1);
        if n > max as u64 {
            return self.fail(&format!("count {n} exceeds the {} bytes left", self.remaining()));
        }
        Ok(n as usize)
    }

    pub fn bytes(&mut self, n: usize) -> Decoded<&'a [u8]> {
        if n > self.remaining() {
            return self.fail(&format!("length {n} exceeds the {} bytes left", self.remaining()));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn str(&mut self) -> Decoded<&'a str> {
        let n = self.len(1)?;
        let bytes = self.bytes(n)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s),
            Err(_) => self.fail("invalid UTF-8 in a string"),
        }
    }

    pub fn string(&mut self) -> Decoded<String> {
        self.str().map(str::to_string)
    }

    pub fn opt_string(&mut self) -> Decoded<Option<String>> {
        match self.u8()? {
            0 => Ok(None),
            1 => self.string().map(Some),
            _ => self.fail("bad option tag"),
        }
    }

    fn strings(&mut self) -> Decoded<Vec<String>> {
        let n = self.len(1)?;
        (0..n).map(|_| self.string()).collect()
    }

    fn opt_json(&mut self) -> Decoded<Option<Value>> {
        match self.opt_string()? {
            None => Ok(None),
            Some(text) => match serde_json::from_str(&text) {
                Ok(v) => Ok(Some(v)),
                Err(e) => self.fail(&format!("bad embedded JSON ({e})")),
            },
        }
    }

    fn severities(&mut self) -> Decoded<Vec<Severity>> {
        let n = self.len(2)?;
        (0..n).map(|_| Ok(Severity { kind: self.string()?, score: self.string()? })).collect()
    }

    pub fn finish(&self) -> Decoded<()> {
        if self.remaining() != 0 {
            return self.fail(&format!("{} trailing bytes", self.remaining()));
        }
        Ok(())
    }
}

/// Encodes an advisory as a store record payload.
pub(crate) fn encode_advisory(a: &Advisory) -> Vec<u8> {
    let mut w = Writer::default();
    w.str(&a.id);
    w.opt_str(a.modified.as_deref());
    w.opt_str(a.published.as_deref());
    w.opt_str(a.withdrawn.as_deref());
    w.strs(&a.aliases);
    w.strs(&a.related);
    w.opt_str(a.summary.as_deref());
    w.opt_str(a.details.as_deref());
    w.severities(&a.severity);
    w.len(a.affected.len());
    for af in &a.affected {
        match &af.package {
            None => w.u8(0),
            Some(p) => {
                w.u8(1);
                w.str(&p.ecosystem);
                w.str(&p.name);
                w.opt_str(p.purl.as_deref());
            }
        }
        w.len(af.ranges.len());
        for r in &af.ranges {
            match &r.kind {
                RangeKind::Semver => w.u8(0),
                RangeKind::Ecosystem => w.u8(1),
                RangeKind::Git => w.u8(2),
                RangeKind::Other(s) => {
                    w.u8(3);
                    w.str(s);
                }
            }
            w.opt_str(r.repo.as_deref());
            w.len(r.events.len());
            for e in &r.events {
                w.u8(match e {
                    Event::Introduced(_) => 0,
                    Event::Fixed(_) => 1,
                    Event::LastAffected(_) => 2,
                    Event::Limit(_) => 3,
                });
                w.str(e.value());
            }
        }
        w.strs(&af.versions);
        w.severities(&af.severity);
        w.opt_json(af.ecosystem_specific.as_ref());
        w.opt_json(af.database_specific.as_ref());
    }
    w.len(a.references.len());
    for r in &a.references {
        w.str(&r.kind);
        w.str(&r.url);
    }
    w.opt_json(a.database_specific.as_ref());
    w.buf
}

/// Decodes a record payload written by [`encode_advisory`].
pub(crate) fn decode_advisory(buf: &[u8]) -> Decoded<Advisory> {
    let mut r = Reader::new(buf);
    let mut a = Advisory {
        id: r.string()?,
        modified: r.opt_string()?,
        published: r.opt_string()?,
        withdrawn: r.opt_string()?,
        aliases: r.strings()?,
        related: r.strings()?,
        summary: r.opt_string()?,
        details: r.opt_string()?,
        severity: r.severities()?,
        ..Advisory::default()
    };
    let n = r.len(6)?;
    for _ in 0..n {
        let package = match r.u8()? {
            0 => None,
            1 => Some(Package { ecosystem: r.string()?, name: r.string()?, purl: r.opt_string()? }),
            _ => return r.fail("bad package tag"),
        };
        let nr = r.len(3)?;
        let mut ranges = Vec::with_capacity(nr);
        for _ in 0..nr {
            let kind = match r.u8()? {
                0 => RangeKind::Semver,
                1 => RangeKind::Ecosystem,
                2 => RangeKind::Git,
                3 => RangeKind::Other(r.string()?),
                _ => return r.fail("bad range kind tag"),
            };
            let repo = r.opt_string()?;
            let ne = r.len(2)?;
            let mut events = Vec::with_capacity(ne);
            for _ in 0..ne {
                let tag = r.u8()?;
                let v = r.string()?;
                events.push(match tag {
                    0 => Event::Introduced(v),
                    1 => Event::Fixed(v),
                    2 => Event::LastAffected(v),
                    3 => Event::Limit(v),
                    _ => return r.fail("bad event tag"),
                });
            }
            ranges.push(Range { kind, repo, events });
        }
        a.affected.push(Affected {
            package,
            ranges,
            versions: r.strings()?,
            severity: r.severities()?,
            ecosystem_specific: r.opt_json()?,
            database_specific: r.opt_json()?,
        });
    }
    let nrefs = r.len(2)?;
    for _ in 0..nrefs {
        a.references.push(Reference { kind: r.string()?, url: r.string()? });
    }
    a.database_specific = r.opt_json()?;
    r.finish()?;
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_overflow() {
        for v in [0u64, 1, 127, 128, 300, u32::MAX as u64, u64::MAX] {
            let mut w = Writer::default();
            w.varint(v);
            let mut r = Reader::new(&w.buf);
            assert_eq!(r.varint().unwrap(), v);
            r.finish().unwrap();
        }
        assert!(Reader::new(&[0xff; 11]).varint().is_err());
        assert!(Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]).varint().is_err());
    }

    #[test]
    fn forged_counts_do_not_allocate() {
        let mut w = Writer::default();
        w.varint(u64::MAX / 2);
        assert!(Reader::new(&w.buf).len(1).is_err());
        assert!(Reader::new(&w.buf).str().is_err());
    }

    #[test]
    fn advisory_round_trips() {
        let a = Advisory {
            id: "X-1".into(),
            modified: Some("2024-01-01T00:00:00Z".into()),
            withdrawn: Some("2024-02-01T00:00:00Z".into()),
            aliases: vec!["CVE-1".into()],
            severity: vec![Severity { kind: "CVSS_V3".into(), score: "CVSS:3.1/AV:N".into() }],
            affected: vec![Affected {
                package: Some(Package { ecosystem: "PyPI".into(), name: "Foo".into(), purl: None }),
                ranges: vec![Range {
                    kind: RangeKind::Other("WEIRD".into()),
                    repo: Some("r".into()),
                    events: vec![
                        Event::Introduced("0".into()),
                        Event::Fixed("1".into()),
                        Event::LastAffected("2".into()),
                        Event::Limit("3".into()),
                    ],
                }],
                versions: vec!["0.5".into()],
                ecosystem_specific: Some(serde_json::json!({"a": [1, 2]})),
                ..Affected::default()
            }],
            references: vec![Reference { kind: "WEB".into(), url: "https://x".into() }],
            database_specific: Some(serde_json::json!({"k": null})),
            ..Advisory::default()
        };
        let bytes = encode_advisory(&a);
        assert_eq!(decode_advisory(&bytes).unwrap(), a);
        for cut in 0..bytes.len() {
            assert!(decode_advisory(&bytes[..cut]).is_err(), "truncated at {cut} decoded");
        }
    }
}
