//! Commands a project cannot run: a report saying input reaches a shell, an operating-system
//! command or an evaluator, about C code of a project whose shipped C code calls nothing that
//! runs a command, starts a program or evaluates code. Scripts are left alone (a shell script runs
//! commands by being one), and so are reports that name any script of the project.

use vouch_claims::{BlockKind, Report};
use vouch_report::rules;
use vouch_source::SourceError;

use crate::code::{called_names, line_of};
use crate::policy::Policy;
use crate::project::View;
use crate::{Finding, Location};

/// What the report must say: that its input is run as a command or evaluated as code. Words of
/// memory-corruption exploits ("spawn a shell" from overwritten memory) are not among them, nor
/// is evaluation alone ("the filter is then evaluated"): a project may be an evaluator itself
/// (jq, an expression library) without calling any of `RUNNERS`.
const SAYS_RUN: &[&str] = &[
    "os command injection",
    "os commands",
    "shell command",
    "system command",
    "shell injection",
    "arbitrary shell",
    "shell metacharacter",
    "passed to system(",
    "passed to popen(",
    "passed to the shell",
    "evaluated and executed",
    "evaluates and executes",
    "executed by the shell",
];

/// Words of exploits through memory corruption, which need no call of the project's to run code.
const MEMORY_EXPLOIT: &[&str] = &["shellcode", "return address", "rop chain", "overwrite the", "spawn a shell", "spawns a shell"];

/// Calls that run a command, start a program or evaluate code: the C library's, POSIX's and
/// Windows', and the evaluators of interpreters a C program embeds.
const RUNNERS: &[&str] = &[
    "system",
    "_wsystem",
    "popen",
    "_popen",
    "_wpopen",
    "execl",
    "execle",
    "execlp",
    "execv",
    "execve",
    "execvp",
    "execvpe",
    "fexecve",
    "posix_spawn",
    "posix_spawnp",
    "_spawnl",
    "_spawnlp",
    "_spawnv",
    "_spawnvp",
    "_wspawnv",
    "_wspawnvp",
    "CreateProcess",
    "CreateProcessA",
    "CreateProcessW",
    "CreateProcessAsUserA",
    "CreateProcessAsUserW",
    "ShellExecute",
    "ShellExecuteA",
    "ShellExecuteW",
    "ShellExecuteExA",
    "ShellExecuteExW",
    "WinExec",
    "g_spawn_async",
    "g_spawn_sync",
    "g_spawn_command_line_sync",
    "g_spawn_command_line_async",
    "luaL_loadbuffer",
    "luaL_loadbufferx",
    "luaL_loadstring",
    "luaL_dostring",
    "lua_load",
    "PyRun_SimpleString",
    "PyRun_String",
    "Py_CompileString",
    "JS_Eval",
    "duk_eval_string",
    "duk_peval_string",
    "Tcl_Eval",
    "Tcl_EvalEx",
];

/// The report's prose line saying its input is run or evaluated, when it says so and does not
/// describe a memory-corruption exploit.
fn says_run(report: &Report) -> Option<String> {
    let prose: Vec<&str> = report.blocks.iter().filter(|b| b.kind == BlockKind::Prose).map(|b| b.text.as_str()).collect();
    let whole = prose.join("\n").to_ascii_lowercase();
    if MEMORY_EXPLOIT.iter().any(|w| whole.contains(w)) {
        return None;
    }
    let title = report.title.as_deref().unwrap_or("");
    std::iter::once(title).chain(prose.iter().flat_map(|p| p.lines()).filter(|l| !template_instruction(l))).find_map(|line| {
        let lower = line.to_ascii_lowercase();
        SAYS_RUN.iter().any(|w| lower.contains(w)).then(|| line.trim().chars().take(200).collect())
    })
}

/// A line of an issue form's instructions left in the report, wholly in italics (`_Please explain
/// the steps required ... what shell commands to enter ..._`): the tracker's words, not the
/// reporter's.
fn template_instruction(line: &str) -> bool {
    let t = line.trim();
    t.len() > 2 && (t.starts_with('_') && t.ends_with('_') || t.starts_with('*') && t.ends_with('*') && !t.starts_with("**"))
}

/// Whether a path is of a script or another language than C (what the report names there may
/// run commands by itself).
fn script_path(path: &str) -> bool {
    !vouch_source::is_c_family(path)
}

/// The finding for a report that says its input is run as a command or evaluated, about C code
/// of a project whose shipped C code never runs one: `places` are the report's confirmed places
/// (cited lines, named functions' definitions), `named_files` every project file it names.
pub(crate) fn no_runner(
    report: &Report,
    view: &View,
    policy: &Policy,
    places: &[&Location],
    named_files: &[&str],
) -> Result<Option<Finding>, SourceError> {
    let Some(said) = says_run(report) else { return Ok(None) };
    if places.is_empty() || places.iter().any(|l| script_path(&l.path)) || named_files.iter().any(|p| script_path(p)) {
        return Ok(None);
    }
    let index = view.snapshot.index()?;
    if index.files_count() == 0 {
        return Ok(None);
    }
    for name in RUNNERS {
        let mentions = index.mentions(name);
        // Mentions beyond the index's cap are not seen: a name that common is called somewhere.
        if index.mention_count(name) > mentions.len() {
            return Ok(None);
        }
        for (path, line) in mentions {
            if policy.is_test_path(&path).is_some() || crate::code::bundled_dependency(&path).is_some() {
                continue;
            }
            // A call, not a member or a word of a string.
            let Some(text) = view.snapshot.read(&path)? else { return Ok(None) };
            if line_of(&text, line).is_some_and(|t| called_names(t).contains(name)) {
                return Ok(None);
            }
        }
    }
    let first = places[0];
    Ok(Some(
        Finding::new(
            &rules::TRI_NO_COMMAND_RUNNER,
            format!(
                "the report says its input is run as a command or evaluated as code, but no shipped C code of the project calls anything that does (system, popen, exec*, posix_spawn, CreateProcess, ShellExecute, an embedded interpreter's evaluator): nothing at {}:{} can run it",
                first.path, first.line
            ),
            said,
        )
        .at(Some(first.clone())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str) -> Report {
        vouch_claims::parse(text, &vouch_claims::Limits::default()).unwrap()
    }

    #[test]
    fn what_counts_as_saying_input_is_run() {
        assert!(says_run(&report("# RCE in expand\n\nThe input is then evaluated and executed by the function.\n")).is_some());
        assert!(says_run(&report("# OS Command Injection in the tool\n\nUser data reaches a shell.\n")).is_some());
        // An evaluator project evaluates its input by design.
        assert!(says_run(&report("# Crash in the filter\n\nThe filter is then evaluated and the stack grows.\n")).is_none());
        // Protocol commands are not operating-system ones.
        assert!(says_run(&report("# SMTP command injection\n\nA CRLF in the address adds SMTP commands.\n")).is_none());
        // An exploit through memory corruption runs code without any call of the project's.
        assert!(says_run(&report("# Overflow\n\nThe overflow overwrites the return address and runs a shell command.\n")).is_none());
    }
}
