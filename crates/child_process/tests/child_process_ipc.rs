//! The `ipc-child` example against real Node: `tests/node/fork_ipc_child.js` forks it with
//! `execPath` and drives it through issue 15's contract (every JSON shape, a 16 MiB message,
//! a 100,000-message burst, argv and env, a socket handle and a server handle still serving,
//! exit codes, signals, disconnect from either side); the same script forking
//! `tests/node/ipc_child.js` (node itself) must print the same lines.

mod common;

use std::path::PathBuf;

fn ipc_child() -> PathBuf {
    common::example("ipc-child")
}

fn run(mode: &str, child: Option<&PathBuf>) -> String {
    common::node_script("fork_ipc_child.js", &[mode], child.map(PathBuf::as_path))
}

fn same_as_node(mode: &str, last: &[&str]) {
    let bin = ipc_child();
    let node = run(mode, None);
    let ours = run(mode, Some(&bin));
    assert_eq!(ours, node, "mode {mode}: ipc-child differs from node");
    assert!(!ours.contains("DIFFERENT"), "{ours}");
    let tail: Vec<&str> = ours.lines().rev().take(last.len()).collect();
    let want: Vec<&str> = last.iter().rev().copied().collect();
    assert_eq!(tail, want, "mode {mode}");
}

#[test]
fn exit_code_after_everything() {
    same_as_node("exit", &["disconnect", "exit 7 null", "close 7 null"]);
}

#[test]
fn killed_by_a_signal() {
    same_as_node(
        "kill",
        &["disconnect", "exit null SIGTERM", "close null SIGTERM"],
    );
}

#[test]
fn child_disconnects_and_its_server_keeps_it_alive() {
    same_as_node(
        "child-disconnect",
        &[
            "disconnect",
            "alive true",
            "exit null SIGKILL",
            "close null SIGKILL",
        ],
    );
}

#[test]
fn parent_disconnects_and_the_child_s_server_keeps_it_alive() {
    same_as_node(
        "parent-disconnect",
        &["disconnect", "alive true", "exit null SIGKILL"],
    );
}

/// Node's fork runs `BIN ...execArgv MODULE args`: the parent node's options come first.
#[test]
fn arguments_after_the_module_past_node_s_own_options() {
    let bin = ipc_child();
    let node = common::node_script("fork_exec_argv.js", &[], None);
    let ours = common::node_script("fork_exec_argv.js", &[], Some(&bin));
    assert_eq!(ours, node);
    assert_eq!(ours.trim_end(), r#"{"argv":["a","--b"],"env":"e"}"#);
}
