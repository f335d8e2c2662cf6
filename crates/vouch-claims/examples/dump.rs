fn main() {
    let p = std::env::args().nth(1).unwrap();
    let b = std::fs::read(p).unwrap();
    let r = vouch_claims::parse_bytes(&b, &vouch_claims::Limits::default()).unwrap();
    for c in &r.claims {
        println!("{:?} {} {:?} {:?} neg={} L{} | {}", c.kind, c.text, c.file, c.lines, c.negated, c.report_line, c.context);
    }
}
