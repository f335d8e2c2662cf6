use std::fmt;
use std::path::PathBuf;

/// Why a project's source could not be read.
#[derive(Debug)]
pub enum SourceError {
    /// The folder does not exist.
    NotFound(PathBuf),
    /// The folder is not a git repository (only from [`crate::GitRepo::open`]).
    NotARepo(PathBuf),
    /// A git command failed.
    Git { args: String, stderr: String },
    /// The `git` program is not installed or not on PATH.
    GitMissing,
    /// A tag, branch or commit that does not exist.
    BadRef(String),
    /// Reading a file failed.
    Io { path: PathBuf, error: std::io::Error },
    /// A [`crate::Limits`] bound was hit.
    LimitExceeded(String),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::NotFound(p) => write!(f, "{}: no such folder; pass the project's source folder or git repository", p.display()),
            SourceError::NotARepo(p) => {
                write!(
                    f,
                    "{}: not a git repository; pass a clone (or a bare repository), or drop --ref/--date to read the plain tree",
                    p.display()
                )
            }
            SourceError::Git { args, stderr } => {
                let stderr = stderr.trim();
                write!(f, "`git {args}` failed: {}", if stderr.is_empty() { "no message" } else { stderr })?;
                if stderr.contains("dubious ownership") {
                    write!(
                        f,
                        " (the repository belongs to another user: mark it safe with `git config --global --add safe.directory PATH`)"
                    )?;
                }
                Ok(())
            }
            SourceError::GitMissing => write!(f, "the `git` program was not found; install git or put it on PATH to read git repositories"),
            SourceError::BadRef(r) => {
                write!(f, "{r:?} is not a tag, branch or commit of this repository; list them with `git tag` / `git branch -a`, or fetch it first")
            }
            SourceError::Io { path, error } => write!(f, "{}: {error}", path.display()),
            SourceError::LimitExceeded(what) => write!(f, "limit exceeded: {what}"),
        }
    }
}

impl std::error::Error for SourceError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SourceError::Io { error, .. } => Some(error),
            _ => None,
        }
    }
}
