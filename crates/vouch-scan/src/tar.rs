//! Tar reader (v7, ustar, GNU long names, pax path/size): lists members as windows into the
//! source, so member content is only read when an analyser asks for it.

use crate::source::Source;
use crate::Limits;
use std::io;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryType {
    File,
    Dir,
    Symlink,
    Hardlink,
    Other(u8),
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub name: String,
    pub kind: EntryType,
    pub link: String,
    pub offset: u64,
    pub size: u64,
}

#[derive(Debug, Default)]
pub struct Archive {
    pub entries: Vec<Entry>,
    /// Why reading stopped early, if it did.
    pub error: Option<String>,
    pub truncated_entries: bool,
}

/// The header checksum: sum of all bytes with the checksum field taken as spaces.
pub fn header_checksum_ok(h: &[u8]) -> bool {
    if h.len() < 512 {
        return false;
    }
    let stored = match parse_octal(&h[148..156]) {
        Some(v) => v,
        None => return false,
    };
    let sum: u64 = h[..512].iter().enumerate().map(|(i, &b)| if (148..156).contains(&i) { 32 } else { u64::from(b) }).sum();
    sum == stored
}

fn parse_octal(f: &[u8]) -> Option<u64> {
    if f.first().is_some_and(|b| b & 0x80 != 0) {
        // GNU base-256 for large sizes.
        let mut v: u64 = u64::from(f[0] & 0x7f);
        for &b in &f[1..] {
            v = v.checked_mul(256)?.checked_add(u64::from(b))?;
        }
        return Some(v);
    }
    let s = std::str::from_utf8(f).ok()?.trim_matches(|c: char| c == '\0' || c == ' ');
    if s.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(s, 8).ok()
}

fn cstr(f: &[u8]) -> String {
    let end = f.iter().position(|&b| b == 0).unwrap_or(f.len());
    String::from_utf8_lossy(&f[..end]).into_owned()
}

/// Lists the members of a tar archive.
pub fn read(src: &dyn Source, limits: &Limits) -> io::Result<Archive> {
    let mut a = Archive::default();
    let mut pos = 0u64;
    let mut long_name: Option<String> = None;
    let mut long_link: Option<String> = None;
    let mut pax_path: Option<String> = None;
    let mut pax_size: Option<u64> = None;
    loop {
        if pos + 512 > src.len() {
            if pos < src.len() {
                a.error = Some(format!("archive ends inside a header at offset {pos}"));
            }
            break;
        }
        let h = src.read_exact_vec(pos, 512)?;
        if h.iter().all(|&b| b == 0) {
            break;
        }
        if !header_checksum_ok(&h) {
            a.error = Some(format!("bad header checksum at offset {pos}"));
            break;
        }
        let mut size = match parse_octal(&h[124..136]) {
            Some(s) => s,
            None => {
                a.error = Some(format!("bad size field at offset {pos}"));
                break;
            }
        };
        if let Some(s) = pax_size.take() {
            size = s;
        }
        let data = pos + 512;
        let typeflag = h[156];
        let next = size.div_ceil(512).checked_mul(512).and_then(|s| data.checked_add(s));
        let next = match next {
            Some(n) if data + size <= src.len() => n,
            _ => {
                a.error = Some(format!("member at offset {pos} announces {size} bytes past the end of the archive"));
                break;
            }
        };
        match typeflag {
            b'L' | b'K' | b'x' | b'g' => {
                if size > limits.max_metadata {
                    a.error = Some(format!("extended header of {size} bytes at offset {pos} exceeds the metadata limit"));
                    break;
                }
                let body = src.read_exact_vec(data, size as usize)?;
                match typeflag {
                    b'L' => long_name = Some(cstr(&body)),
                    b'K' => long_link = Some(cstr(&body)),
                    b'x' => {
                        let (p, s) = parse_pax(&body);
                        pax_path = p.or(pax_path);
                        pax_size = s;
                    }
                    _ => {}
                }
                pos = next;
                continue;
            }
            _ => {}
        }
        let mut name = cstr(&h[0..100]);
        if &h[257..262] == b"ustar" {
            let prefix = cstr(&h[345..500]);
            if !prefix.is_empty() && &h[257..263] == b"ustar\0" {
                name = format!("{prefix}/{name}");
            }
        }
        if let Some(n) = long_name.take() {
            name = n;
        }
        if let Some(n) = pax_path.take() {
            name = n;
        }
        let link = long_link.take().unwrap_or_else(|| cstr(&h[157..257]));
        let kind = match typeflag {
            b'0' | 0 | b'7' => EntryType::File,
            b'5' => EntryType::Dir,
            b'2' => EntryType::Symlink,
            b'1' => EntryType::Hardlink,
            other => EntryType::Other(other),
        };
        if a.entries.len() >= limits.max_entries {
            a.truncated_entries = true;
            break;
        }
        a.entries.push(Entry { name, kind, link, offset: data, size });
        pos = next;
    }
    Ok(a)
}

fn parse_pax(body: &[u8]) -> (Option<String>, Option<u64>) {
    let text = String::from_utf8_lossy(body);
    let (mut path, mut size) = (None, None);
    for rec in text.split('\n') {
        if let Some((_, kv)) = rec.split_once(' ') {
            if let Some(v) = kv.strip_prefix("path=") {
                path = Some(v.to_string());
            } else if let Some(v) = kv.strip_prefix("size=") {
                size = v.parse().ok();
            }
        }
    }
    (path, size)
}

#[cfg(test)]
pub(crate) fn build(members: &[(&str, u8, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, typeflag, data) in members {
        let mut h = [0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        h[100..107].copy_from_slice(b"0000644");
        h[124..135].copy_from_slice(format!("{:011o}", data.len()).as_bytes());
        h[136..147].copy_from_slice(b"00000000000");
        h[156] = *typeflag;
        if *typeflag == b'2' {
            h[157..157 + data.len()].copy_from_slice(data);
        }
        h[257..263].copy_from_slice(b"ustar\0");
        h[263..265].copy_from_slice(b"00");
        h[148..156].copy_from_slice(b"        ");
        let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
        h[148..155].copy_from_slice(format!("{sum:06o}\0").as_bytes());
        out.extend_from_slice(&h);
        if *typeflag != b'2' {
            out.extend_from_slice(data);
            out.resize(out.len().div_ceil(512) * 512, 0);
        }
    }
    out.extend_from_slice(&[0u8; 1024]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_members() {
        let t = build(&[("a/pickle", b'0', b"N."), ("link", b'2', b"../../etc/passwd")]);
        assert!(header_checksum_ok(&t[..512]));
        let a = read(&t, &Limits::default()).unwrap();
        assert!(a.error.is_none());
        assert_eq!(a.entries.len(), 2);
        assert_eq!(a.entries[0].name, "a/pickle");
        assert_eq!(src_bytes(&t, &a.entries[0]), b"N.");
        assert_eq!(a.entries[1].kind, EntryType::Symlink);
        assert_eq!(a.entries[1].link, "../../etc/passwd");
    }

    fn src_bytes(t: &Vec<u8>, e: &Entry) -> Vec<u8> {
        t.read_vec(e.offset, e.size as usize).unwrap()
    }
}
