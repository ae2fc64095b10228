//! The `ipc-parent` example against real Node: it forks `node tests/node/ipc_child.js`
//! (issue 15's child contract written in node), and each scenario feeds it stdin lines and
//! reads its events; `tests/node/ipc_parent.js` (the parent contract written in node) must
//! print the same lines (ports and pids masked).

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, ChildStdout, Command, Stdio};

fn node_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/node")
}

fn ipc_parent() -> PathBuf {
    common::example("ipc-parent")
}

/// Starts the parent: ours, or node running the reference.
fn start(ours: bool, script: &str, args: &[&str]) -> (Child, BufReader<ChildStdout>) {
    let mut cmd = if ours {
        Command::new(ipc_parent())
    } else {
        let mut c = Command::new("node");
        c.arg(node_dir().join("ipc_parent.js"));
        c
    };
    let mut child = cmd
        .arg(script)
        .args(args)
        .current_dir(node_dir())
        .env("IPC_TEST", "from env")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node (v20) must be on PATH: it is the specification");
    let out = BufReader::new(child.stdout.take().unwrap());
    (child, out)
}

fn line(out: &mut BufReader<ChildStdout>) -> String {
    let mut s = String::new();
    out.read_line(&mut s).unwrap();
    s.trim_end().to_owned()
}

fn mask(s: &str) -> String {
    let mut out = String::new();
    let mut digits = false;
    for c in s.chars() {
        if c.is_ascii_digit() {
            if !digits {
                out.push('N');
            }
            digits = true;
        } else {
            digits = false;
            out.push(c);
        }
    }
    out
}

/// Runs `input` through node's parent and ours, closing stdin once `before_eof` lines came.
fn same_as_node(input: &[u8], before_eof: usize) -> Vec<String> {
    let node = session_until(false, input.to_vec(), before_eof);
    let ours = session_until(true, input.to_vec(), before_eof);
    if ours != node {
        let at = (0..ours.0.len().max(node.0.len()))
            .find(|&i| ours.0.get(i) != node.0.get(i))
            .unwrap_or(0);
        let cut = |l: Option<&String>| l.map(|l| l.chars().take(300).collect::<String>());
        panic!(
            "ours and node differ at line {at}: {:?} vs {:?}; statuses {:?} vs {:?}",
            cut(ours.0.get(at)),
            cut(node.0.get(at)),
            ours.1,
            node.1
        );
    }
    assert_eq!(ours.1, Some(0));
    ours.0
}

#[test]
fn messages_of_every_shape_argv_env_and_our_disconnect() {
    let input = concat!(
        r#"{"b":1,"2":"x","1":"\ud800","a":[null,true,false,-0,1e21,1.50,"\u0000😀"]}"#,
        "\n\n",
        "[[[[[]]]]]\n\"s\"\n3\nnull\n",
        r#"{"cmd":"NODE_x"}"#,
        "\n",
        r#"{"cmd":"argv"}"#,
        "\n",
        r#"{"cmd":"burst","n":1000}"#,
        "\n",
    );
    let lines = same_as_node(input.as_bytes(), 1 + 5 + 1 + 1001);
    // spawn, 5 shapes (the NODE_ message is not delivered), argv, the burst, the end.
    assert_eq!(lines.len(), 1 + 5 + 1 + 1001 + 2, "{:?}", &lines[..8]);
    assert_eq!(
        lines[6],
        r#"{"message":{"argv":["a","b c"],"env":"from env"}}"#
    );
    assert_eq!(
        &lines[lines.len() - 2..],
        [
            r#"{"event":"disconnect"}"#,
            r#"{"event":"exit","code":0,"signal":null}"#
        ]
    );
}

/// Feeds `input` from a thread, reads lines until `last` has been printed (or the output
/// ends), then closes stdin and reads the rest.
fn session_until(ours: bool, input: Vec<u8>, last: usize) -> (Vec<String>, Option<i32>) {
    let (mut child, mut out) = start(ours, "ipc_child.js", &["a", "b c"]);
    let mut stdin = child.stdin.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let writer = std::thread::spawn(move || {
        stdin.write_all(&input).unwrap();
        let _ = rx.recv();
        drop(stdin);
    });
    let mut lines = Vec::new();
    while lines.len() < last {
        let l = line(&mut out);
        if l.is_empty() {
            break;
        }
        lines.push(l);
    }
    tx.send(()).unwrap();
    writer.join().unwrap();
    let mut rest = String::new();
    out.read_to_string(&mut rest).unwrap();
    lines.extend(rest.lines().map(str::to_owned));
    (lines, child.wait().unwrap().code())
}

#[test]
fn a_burst_of_100_000_and_a_16_mib_message() {
    let big = format!("{{\"big\":\"{}\\ud800\"}}", "é".repeat(8 << 20));
    let input = format!("{{\"cmd\":\"burst\",\"n\":100000}}\n{big}\n");
    let n = 1 + 100_001 + 1;
    let lines = same_as_node(input.as_bytes(), n);
    assert_eq!(lines.len(), n + 2);
    assert!(
        lines[1..=100_000]
            .iter()
            .enumerate()
            .all(|(i, l)| *l == format!(r#"{{"message":{{"i":{i}}}}}"#))
    );
    assert_eq!(lines[100_001], r#"{"message":{"done":100000}}"#);
    assert!(
        lines[100_002] == format!(r#"{{"message":{big}}}"#),
        "the 16 MiB message"
    );
}

#[test]
fn child_exits_with_a_code() {
    let lines = same_as_node(b"{\"cmd\":\"exit\",\"code\":3}\n", 4);
    assert_eq!(
        lines[1..],
        [
            r#"{"event":"disconnect"}"#,
            r#"{"event":"exit","code":3,"signal":null}"#,
            r#"{"event":"close","code":3,"signal":null}"#
        ]
    );
}

#[test]
fn child_killed_by_a_signal() {
    let lines = same_as_node(b"{\"$kill\":\"SIGTERM\"}\n", 4);
    assert_eq!(
        lines[1..],
        [
            r#"{"event":"disconnect"}"#,
            r#"{"event":"exit","code":null,"signal":"SIGTERM"}"#,
            r#"{"event":"close","code":null,"signal":"SIGTERM"}"#
        ]
    );
}

/// A server handle sent to the child keeps serving there after the parent closed its copy;
/// the child disconnects (its server keeps it alive); a send then is ERR_IPC_CHANNEL_CLOSED.
fn server_session(ours: bool) -> Vec<String> {
    let (mut child, mut out) = start(ours, "ipc_child.js", &[]);
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = vec![line(&mut out)];
    stdin.write_all(b"{\"$sendServer\":{\"t\":[1]}}\n").unwrap();
    let port_line = line(&mut out);
    let port: u16 = port_line
        .trim_start_matches(r#"{"event":"serverPort","port":"#)
        .trim_end_matches('}')
        .parse()
        .unwrap();
    lines.push(mask(&port_line));
    lines.push(line(&mut out));
    // Our copy is closed: every connection reaches the child.
    for _ in 0..3 {
        let mut s = String::new();
        TcpStream::connect(("127.0.0.1", port))
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        lines.push(mask(&s));
    }
    stdin.write_all(b"{\"cmd\":\"disconnect\"}\n").unwrap();
    lines.push(line(&mut out));
    stdin.write_all(b"{\"late\":1}\n").unwrap();
    lines.push(line(&mut out));
    stdin.write_all(b"{\"$kill\":\"SIGTERM\"}\n").unwrap();
    lines.push(line(&mut out));
    lines.push(line(&mut out));
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
    lines
}

#[test]
fn a_server_handle_serves_in_the_child() {
    let node = server_session(false);
    let ours = server_session(true);
    assert_eq!(ours, node);
    assert_eq!(
        ours,
        [
            r#"{"event":"spawn"}"#,
            r#"{"event":"serverPort","port":N}"#,
            r#"{"message":{"gotServer":true,"msg":{"t":[1]}}}"#,
            "child N\n",
            "child N\n",
            "child N\n",
            r#"{"event":"disconnect"}"#,
            r#"{"event":"error","code":"ERR_IPC_CHANNEL_CLOSED"}"#,
            r#"{"event":"exit","code":null,"signal":"SIGTERM"}"#,
            r#"{"event":"close","code":null,"signal":"SIGTERM"}"#,
        ]
    );
}

fn ours_with(script: &str, arg: &str) -> Vec<String> {
    let (mut child, mut out) = start(true, script, &[arg]);
    let mut all = String::new();
    out.read_to_string(&mut all).unwrap();
    drop(child.stdin.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    all.lines().map(str::to_owned).collect()
}

#[test]
fn bad_bytes_on_the_channel_are_an_error_and_a_disconnect() {
    let lines = ours_with("bad_bytes.js", "garbage");
    assert_eq!(
        lines,
        [
            r#"{"event":"spawn"}"#,
            r#"{"message":{"ok":1}}"#,
            r#"{"event":"error","code":"ERR_IPC_BAD_MESSAGE"}"#,
            r#"{"event":"disconnect"}"#,
            r#"{"event":"exit","code":0,"signal":null}"#,
            r#"{"event":"close","code":0,"signal":null}"#,
        ]
    );
}

#[test]
fn a_partial_line_at_end_of_file_is_dropped() {
    let lines = ours_with("bad_bytes.js", "partial");
    assert_eq!(
        lines,
        [
            r#"{"event":"spawn"}"#,
            r#"{"message":{"ok":1}}"#,
            r#"{"event":"disconnect"}"#,
            r#"{"event":"exit","code":0,"signal":null}"#,
            r#"{"event":"close","code":0,"signal":null}"#,
        ]
    );
}

#[test]
fn a_200_mib_line_is_an_error_event_not_unbounded_memory() {
    let lines = ours_with("huge_line.js", "");
    assert_eq!(
        lines,
        [
            r#"{"event":"spawn"}"#,
            r#"{"message":{"ok":1}}"#,
            r#"{"event":"error","code":"ERR_IPC_BAD_MESSAGE"}"#,
            r#"{"event":"disconnect"}"#,
            r#"{"event":"exit","code":0,"signal":null}"#,
            r#"{"event":"close","code":0,"signal":null}"#,
        ]
    );
}

/// Stdin as Node's readline reads it: `\r` and `\r\n` end lines too, bytes that are not
/// UTF-8 become U+FFFD (and are no end of input).
#[test]
fn stdin_lines_end_as_readline_s_and_bad_utf8_is_replaced() {
    let input = b"\"a\xffb\"\n\"cr\"\r\"crlf\"\r\n{\"cmd\":\"burst\",\"n\":1}\n";
    let lines = same_as_node(input, 1 + 3 + 2);
    assert_eq!(lines[1], "{\"message\":\"a\u{fffd}b\"}");
    assert_eq!(
        &lines[2..4],
        [r#"{"message":"cr"}"#, r#"{"message":"crlf"}"#]
    );
}

/// stdin ends while the child's reply is on its way: once ipc-parent printed `disconnect`,
/// no message follows (node's reference too); the reply comes before it or not at all. Ours shuts only its writing side, so the
/// child's reply does not fail and it exits 0; node's parent closes its end a few ticks after
/// `disconnect()`, and a child slower than that (a loaded machine) dies of the EPIPE
/// 'error', so node's exit code is not compared.
#[test]
fn nothing_is_printed_after_our_disconnect_and_the_child_s_reply_does_not_fail() {
    for ours in [false, true] {
        for _ in 0..5 {
            let (mut child, mut out) = start(ours, "ipc_child.js", &[]);
            let mut stdin = child.stdin.take().unwrap();
            stdin.write_all(b"\"a\"\n").unwrap();
            assert_eq!(line(&mut out), r#"{"event":"spawn"}"#);
            assert_eq!(line(&mut out), r#"{"message":"a"}"#);
            stdin.write_all(b"\"b\"\n").unwrap();
            drop(stdin);
            let mut rest = String::new();
            out.read_to_string(&mut rest).unwrap();
            let mut rest: Vec<&str> = rest.lines().collect();
            // The reply to "b" may come back before stdin's end is handled (a loaded
            // machine): then it is printed before `disconnect`, never after.
            if rest.first() == Some(&r#"{"message":"b"}"#) {
                rest.remove(0);
            }
            assert_eq!(rest.len(), 2, "ours: {ours}: {rest:?}");
            assert_eq!(rest[0], r#"{"event":"disconnect"}"#, "ours: {ours}");
            if ours {
                assert_eq!(rest[1], r#"{"event":"exit","code":0,"signal":null}"#);
            } else {
                assert!(rest[1].starts_with(r#"{"event":"exit","#), "{rest:?}");
            }
            assert_eq!(child.wait().unwrap().code(), Some(0));
        }
    }
}

/// stdin ends after the child disconnected but before it exits: Node's `disconnect()` of a
/// closed channel is an `ERR_IPC_DISCONNECTED` error.
#[test]
fn stdin_ending_after_the_child_disconnected_is_err_ipc_disconnected() {
    for ours in [false, true] {
        let (mut child, mut out) = start(ours, "disconnect_then_exit.js", &[]);
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(b"\"go\"\n").unwrap();
        assert_eq!(line(&mut out), r#"{"event":"spawn"}"#);
        assert_eq!(line(&mut out), r#"{"event":"disconnect"}"#);
        drop(stdin);
        let mut rest = String::new();
        out.read_to_string(&mut rest).unwrap();
        let rest: Vec<&str> = rest.lines().collect();
        assert_eq!(
            rest,
            [
                r#"{"event":"error","code":"ERR_IPC_DISCONNECTED"}"#,
                r#"{"event":"exit","code":5,"signal":null}"#,
                r#"{"event":"close","code":5,"signal":null}"#
            ],
            "ours: {ours}"
        );
        assert_eq!(child.wait().unwrap().code(), Some(0));
    }
}

/// The channel reaches node at fd 3, as with Node's fork: a child writing bad bytes to fd 3
/// itself (node takes `NODE_CHANNEL_FD` out of its env) hits the channel.
#[test]
fn the_channel_is_fd_3_in_the_child() {
    let (mut child, mut out) = start(true, "bad_bytes.js", &["garbage", "fd3"]);
    let mut all = String::new();
    out.read_to_string(&mut all).unwrap();
    drop(child.stdin.take());
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let lines: Vec<&str> = all.lines().collect();
    assert_eq!(
        lines[..3],
        [
            r#"{"event":"spawn"}"#,
            r#"{"message":{"ok":1}}"#,
            r#"{"event":"error","code":"ERR_IPC_BAD_MESSAGE"}"#,
        ]
    );
}

/// `node` missing from PATH: Node's fork reports the error, then 'close' with -errno.
#[test]
fn no_node_on_path_is_an_error_then_close() {
    let out = Command::new(ipc_parent())
        .arg("whatever.js")
        .env("PATH", "/nonexistent")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        concat!(
            "{\"event\":\"error\",\"code\":\"ENOENT\"}\n",
            "{\"event\":\"close\",\"code\":-2,\"signal\":null}\n"
        )
    );
}
