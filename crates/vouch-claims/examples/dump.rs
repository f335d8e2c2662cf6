//! Prints what the extractor finds in one report: `cargo run -p vouch-claims --example dump FILE`.
fn main() {
    let Some(p) = std::env::args().nth(1) else { return eprintln!("usage: dump FILE") };
    let b = std::fs::read(p).expect("readable file");
    match vouch_claims::parse_bytes(&b, &vouch_claims::Limits::default()) {
        Ok(r) => {
            println!("class {:?} inputs {:?}", r.class, r.inputs);
            for b in &r.blocks {
                println!("block {:?} {}-{} {:?} {:?}", b.kind, b.start_line, b.end_line, b.lang, b.cited);
            }
            for c in &r.claims {
                println!("{:?} {} {:?} {:?} neg={} L{} | {}", c.kind, c.text, c.file, c.lines, c.negated, c.report_line, c.context);
            }
        }
        Err(e) => eprintln!("{e}"),
    }
}
