//! Read a project's source at a given version and index its C-family code.
//!
//! A project is either a plain folder ([`Repo::Tree`], e.g. an unpacked release tarball) or a git
//! repository ([`Repo::Git`]) read at a tag, branch or commit *without* checking anything out:
//! the file list comes from `git ls-tree`, contents from one long-lived `git cat-file --batch`.
//! Git is driven through its command-line tool with read-only commands only.
//!
//! [`Snapshot::index`] builds a [`CodeIndex`] of the C-family files of a snapshot with a real
//! lexer (comments, string and character literals, preprocessor lines with continuations):
//! definitions (functions, prototypes, macros, types, variables, enum constants), identifier
//! mentions, function spans and the preprocessor conditions active on every line.

mod date;
mod error;
mod git;
mod index;
mod snapshot;
mod version;

use std::path::{Path, PathBuf};

pub use date::parse_date;
pub use error::SourceError;
pub use git::{CommitInfo, GitRepo, Tag};
pub use index::{is_c_family, CodeIndex, Condition, Def, DefKind, FileInfo, FunctionSpan};
pub use snapshot::Snapshot;
pub use version::{parse_tag_version, TagVersion};

/// Resource limits for reading a snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Files bigger than this are listed but never read.
    pub max_file_bytes: u64,
    /// More files than this in one snapshot is an error.
    pub max_files: usize,
    /// Total bytes of C-family source read to build the index (and cached by `read`).
    pub max_total_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_file_bytes: 4 << 20, max_files: 200_000, max_total_bytes: 512 << 20 }
    }
}

/// A project's source: a plain folder or a git repository.
#[derive(Debug)]
pub enum Repo {
    /// A plain folder (e.g. a release tarball's tree).
    Tree(PathBuf),
    /// A git work tree or bare repository.
    Git(GitRepo),
}

impl Repo {
    /// A git work tree or bare repository → [`Repo::Git`]; any other folder → [`Repo::Tree`].
    pub fn open(dir: &Path) -> Result<Repo, SourceError> {
        match std::fs::metadata(dir) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(SourceError::NotFound(dir.to_path_buf())),
            Err(error) => return Err(SourceError::Io { path: dir.to_path_buf(), error }),
            Ok(m) if !m.is_dir() => {
                return Err(SourceError::Io {
                    path: dir.to_path_buf(),
                    error: std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a directory"),
                })
            }
            Ok(_) => {}
        }
        match GitRepo::open(dir) {
            Ok(g) => Ok(Repo::Git(g)),
            Err(SourceError::NotARepo(_)) => Ok(Repo::Tree(dir.to_path_buf())),
            Err(e) => Err(e),
        }
    }

    /// The folder this was opened from.
    pub fn dir(&self) -> &Path {
        match self {
            Repo::Tree(p) => p,
            Repo::Git(g) => g.dir(),
        }
    }
}
