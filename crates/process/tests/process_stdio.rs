//! Standard streams against live `node`: a program that upper-cases stdin to stderr and says
//! `END` at end of input gives node's exact bytes, for input much larger than one chunk; and
//! the loop keeps running timers while stdin is quiet. The child is this test binary,
//! re-executed with `NODESTD_STDIO_CHILD` set (it writes only to stderr, since the test
//! harness owns stdout).

use std::io::Write;
use std::process::{Command, Stdio};

use nodestd_process as process;

const ENV: &str = "NODESTD_STDIO_CHILD";

const NODE_SCRIPT: &str = "let ticks = 0; const t = setInterval(() => { ticks++; }, 1); \
    process.stdin.on('data', d => process.stderr.write(d.toString('latin1').toUpperCase())); \
    process.stdin.on('end', () => { clearInterval(t); process.stderr.write('END ' + (ticks > 0) + '\\n'); });";

fn child() {
    let code = process::run(|| {
        let ticks = std::rc::Rc::new(std::cell::Cell::new(0u32));
        let t2 = std::rc::Rc::clone(&ticks);
        let interval = nodestd_loop::set_interval(1, move || t2.set(t2.get() + 1));
        process::read_stdin(
            |chunk| {
                let _ = process::write_stderr(chunk.to_ascii_uppercase());
            },
            move |err| {
                assert!(err.is_none());
                interval.clear();
                let _ = process::write_stderr(format!("END {}\n", ticks.get() > 0));
            },
        );
    });
    std::process::exit(code);
}

fn run_with_stdin(mut cmd: Command, input: &[u8]) -> (Vec<u8>, i32) {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start child");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        // Slowly at first, so the loop must stay responsive while stdin is quiet.
        std::thread::sleep(std::time::Duration::from_millis(30));
        stdin.write_all(&input)
    });
    let out = child.wait_with_output().expect("child output");
    writer.join().unwrap().expect("write stdin");
    (out.stderr, out.status.code().unwrap_or(-1))
}

#[test]
fn stdin_to_stderr_matches_node() {
    if std::env::var_os(ENV).is_some() {
        child();
    }
    let input: Vec<u8> = (0..300_000u32)
        .map(|i| {
            if i % 61 == 60 {
                b'\n'
            } else {
                b"abcxyz019 -"[(i as usize * 7) % 11]
            }
        })
        .collect();
    let mut ours = Command::new(std::env::current_exe().unwrap());
    ours.args(["--exact", "stdin_to_stderr_matches_node", "--nocapture"])
        .env(ENV, "1");
    let (got, code) = run_with_stdin(ours, &input);
    assert_eq!(
        code,
        0,
        "child stderr: {}",
        String::from_utf8_lossy(&got[got.len().saturating_sub(500)..])
    );
    let mut expected = input.to_ascii_uppercase();
    expected.extend_from_slice(b"END true\n");
    assert!(
        got == expected,
        "nodestd's output differs from the expected bytes ({} vs {} bytes)",
        got.len(),
        expected.len()
    );
    let mut node = Command::new("node");
    node.args(["-e", NODE_SCRIPT]);
    match node
        .get_program()
        .to_str()
        .and_then(|_| Command::new("node").arg("--version").output().ok())
    {
        Some(v) if v.status.success() => {
            let (from_node, code) = run_with_stdin(node, &input);
            assert_eq!(code, 0);
            assert!(
                from_node == got,
                "node wrote {} bytes, nodestd {}",
                from_node.len(),
                got.len()
            );
        }
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("node is required under CI=true")
        }
        _ => println!("SKIPPED: the comparison with node (node is not on PATH)"),
    }
}
