//! Lockfile, manifest and SBOM readers (the crate is being written).
