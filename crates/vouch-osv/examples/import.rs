//! Imports advisory folders or archives into a store and prints what happened, with timings:
//! `cargo run --release -p vouch-osv --example import -- STORE_DIR INPUT...`
//! (`STORE_DIR` is created; an existing store there is merged into).

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let Some(store) = args.next() else {
        eprintln!("usage: import STORE_DIR INPUT...");
        std::process::exit(2);
    };
    let inputs: Vec<PathBuf> = args.collect();
    let t = Instant::now();
    let report = match vouch_osv::import(&store, &inputs) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let import_time = t.elapsed();
    for (input, n) in &report.by_input {
        println!("{n:>7}  {input}");
    }
    for (eco, n) in &report.by_ecosystem {
        println!("{n:>7}  ecosystem {eco}");
    }
    println!(
        "read {} advisories ({} withdrawn, {} duplicates), skipped {} files, ignored {}, {} lenient decisions; store holds {}",
        report.advisories,
        report.withdrawn,
        report.duplicates,
        report.skipped_files.len(),
        report.ignored_files,
        report.leniency.total(),
        report.store_total
    );
    for (path, why) in report.skipped_files.iter().take(20) {
        println!("skipped {}: {why}", path.display());
    }
    let t = Instant::now();
    let opened = vouch_osv::Store::open(&store);
    let open_time = t.elapsed();
    match opened {
        Ok(s) => println!("import {import_time:?}, open {open_time:?}, {} package keys", s.status().packages),
        Err(e) => eprintln!("error: {e}"),
    }
}
