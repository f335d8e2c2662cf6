//! Differential test: vouch's opcode reader decodes every pickle sample exactly as CPython's
//! `pickletools.genops` does (same offsets, opcodes and arguments, stream after stream). It
//! needs python3 and fails, rather than skips, without it.

use std::path::{Path, PathBuf};
use std::process::Command;
use vouch_pickle::reader::{Arg, OpReader, ReadLimits};

const GENOPS: &str = r#"
import sys, pickletools, io, struct
def fmt(name, arg):
    if arg is None: return '-'
    if isinstance(arg, bool): return 'True' if arg else 'False'
    if isinstance(arg, int): return str(arg)
    if isinstance(arg, float): return 'f:' + struct.pack('>d', arg).hex()
    if name in ('STRING', 'BINSTRING', 'SHORT_BINSTRING') and isinstance(arg, str):
        arg = arg.encode('latin-1')
    if isinstance(arg, (bytes, bytearray)):
        return 'b:%d:%s' % (len(arg), bytes(arg[:64]).hex())
    if isinstance(arg, str): return 's:' + arg.encode('utf-8', 'surrogatepass').hex()
    return repr(arg)
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    print('FILE', path)
    pos = 0
    while pos < len(data):
        stopped = False
        try:
            for op, arg, p in pickletools.genops(io.BytesIO(data[pos:])):
                print(pos + p, op.name, fmt(op.name, arg))
                if op.name == 'STOP':
                    pos += p + 1
                    stopped = True
                    break
        except Exception:
            print('ERROR')
            break
        if not stopped:
            break
"#;

fn rust_ops(data: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    let mut r = OpReader::new(data, ReadLimits::default());
    loop {
        match r.next_op() {
            Ok(Some(op)) => {
                let arg = match &op.arg {
                    Arg::None => "-".to_string(),
                    Arg::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                    Arg::Int(i) => i.to_string(),
                    Arg::BigInt(s) => s.clone(),
                    Arg::Float(f) => format!("f:{}", hex(&f.to_be_bytes())),
                    Arg::Str { s, .. } => format!("s:{}", hex(s.as_bytes())),
                    Arg::Bytes { b, len } => format!("b:{len}:{}", hex(&b[..b.len().min(64)])),
                    Arg::Pair(m, n) => format!("s:{}", hex(format!("{m} {n}").as_bytes())),
                };
                out.push(format!("{} {} {}", op.pos, op.name, arg));
            }
            Ok(None) => break,
            Err(_) => {
                out.push("ERROR".into());
                break;
            }
        }
    }
    out
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn samples() -> Vec<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = root.join("../shared/corpus/models");
    assert!(corpus.exists(), "test data not found: looked for {}", corpus.display());
    let mut out = Vec::new();
    for dir in [corpus, root.join("tests/fixtures/benign")] {
        collect(&dir, &mut out);
    }
    out.retain(|p| std::fs::read(p).is_ok_and(|d| !d.starts_with(b"PK") && vouch_pickle::looks_like_pickle(&d)));
    out.sort();
    out
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn opcodes_match_pickletools_genops() {
    let files = samples();
    assert!(files.len() >= 60, "only {} pickle samples found", files.len());
    let output = Command::new("python3")
        .arg("-c")
        .arg(GENOPS)
        .args(&files)
        .output()
        .expect("python3 is required for the differential test (apt-get install python3)");
    assert!(output.status.success(), "python3 failed: {}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).unwrap();
    let mut expected: Vec<(String, Vec<String>)> = Vec::new();
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("FILE ") {
            expected.push((p.to_string(), Vec::new()));
        } else {
            expected.last_mut().unwrap().1.push(line.to_string());
        }
    }
    assert_eq!(expected.len(), files.len());
    let mut total = 0;
    for (path, py) in &expected {
        let ours = rust_ops(&std::fs::read(path).unwrap());
        // genops stops at the first broken stream; so does this comparison.
        let ours: Vec<String> = match ours.iter().position(|l| l == "ERROR") {
            Some(i) => ours[..=i].to_vec(),
            None => ours,
        };
        let first_diff = ours.iter().zip(py.iter()).position(|(a, b)| a != b);
        assert!(
            first_diff.is_none() && ours.len() == py.len(),
            "{path}: opcode streams differ at op {:?}\n ours: {:?}\n python: {:?}",
            first_diff,
            first_diff.map(|i| &ours[i]),
            first_diff.map(|i| &py[i]),
        );
        total += py.len();
    }
    println!("{} files, {total} opcodes identical", files.len());
}
