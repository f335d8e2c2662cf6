//! Downloading osv.dev's per-ecosystem archives.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::Path;
use std::time::Duration;

use crate::import::{import_inputs, Input};
use crate::{ImportReport, Limits, StoreError};

/// osv.dev's public bucket: `{OSV_BUCKET}/{ecosystem}/all.zip`.
pub const OSV_BUCKET: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// Downloads `{base_url}/{ecosystem}/all.zip` for each ecosystem (spelt as OSV spells it:
/// `PyPI`, `crates.io`, `Go`, `npm`, `Debian:12`, ...) and imports them all into `store`, as
/// [`crate::import`] does. Any failed download stops the update before the store is touched.
pub fn update(store: &Path, ecosystems: &[String], base_url: &str) -> Result<ImportReport, StoreError> {
    update_with(store, ecosystems, base_url, &Limits::default())
}

/// [`update`] with explicit limits (download size cap and timeout among them).
pub fn update_with(store: &Path, ecosystems: &[String], base_url: &str, limits: &Limits) -> Result<ImportReport, StoreError> {
    fs::create_dir_all(store).map_err(|e| StoreError::io(store, e))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(limits.download_timeout_secs)))
        .timeout_connect(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .user_agent(concat!("vouch/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut downloads = Downloads(Vec::new());
    for (i, eco) in ecosystems.iter().enumerate() {
        let url = format!("{}/{}/all.zip", base_url.trim_end_matches('/'), encode_segment(eco));
        let path = store.join(format!(".download-{}-{i}.zip.tmp", std::process::id()));
        // Registered before the download so that a partial file is removed too.
        downloads.0.push(Input { path: path.clone(), label: url.clone() });
        download(&agent, &url, &path, limits)?;
    }
    import_inputs(store, &downloads.0, limits)
}

/// Temp files of an update, removed however it ends.
struct Downloads(Vec<Input>);

impl Drop for Downloads {
    fn drop(&mut self) {
        for input in &self.0 {
            let _ = fs::remove_file(&input.path);
        }
    }
}

/// Percent-encodes an ecosystem name for a URL path segment (`Red Hat` -> `Red%20Hat`);
/// `:` stays, as osv.dev's bucket names it (`Debian:12`).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn download(agent: &ureq::Agent, url: &str, path: &Path, limits: &Limits) -> Result<(), StoreError> {
    let fail = |reason: String| StoreError::Download { url: url.to_string(), reason };
    let mut resp = agent.get(url).call().map_err(|e| fail(e.to_string()))?;
    let status = resp.status();
    if status.as_u16() == 404 {
        return Err(fail("HTTP 404: no such archive; is the ecosystem spelt as OSV spells it (PyPI, crates.io, Go, npm, ...)?".into()));
    }
    if !status.is_success() {
        return Err(fail(format!("HTTP {status}")));
    }
    let declared = resp.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if let Some(n) = declared.filter(|n| *n > limits.max_download_bytes) {
        return Err(fail(format!("{n} bytes announced, over the limit of {} bytes", limits.max_download_bytes)));
    }
    let mut reader = resp.body_mut().with_config().limit(limits.max_download_bytes).reader();
    let mut out = BufWriter::new(File::create(path).map_err(|e| StoreError::io(path, e))?);
    let copied = io::copy(&mut reader, &mut out);
    match copied {
        Ok(n) => {
            if let Some(d) = declared.filter(|d| *d != n) {
                return Err(fail(format!("received {n} bytes of the {d} announced")));
            }
        }
        Err(e) => return Err(fail(format!("{e} (limit {} bytes)", limits.max_download_bytes))),
    }
    out.flush().map_err(|e| StoreError::io(path, e))?;
    drop(out);
    // A captive portal or an error page served with 200 is not an archive: say so here rather
    // than as a skipped file of the import.
    let mut magic = [0u8; 4];
    let n = File::open(path).and_then(|mut f| f.read(&mut magic)).map_err(|e| StoreError::io(path, e))?;
    if n < 4 || !(magic == *b"PK\x03\x04" || magic == *b"PK\x05\x06") {
        return Err(fail(format!("the response is not a zip archive (it starts with {:?})", String::from_utf8_lossy(&magic[..n]))));
    }
    Ok(())
}
