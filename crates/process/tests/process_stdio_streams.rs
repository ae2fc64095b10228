//! `process.stdin` / `process.stdout` as streams (issue 19): this program, run as a child with
//! `NODESTD_STDIO_CHILD=1`, is `pipeline(process.stdin, zlib.createGzip(), process.stdout)`.
//! The parent feeds it 16 MiB and drains its stdout slowly through a pipe; node's gunzip of
//! the output (nodestd-zlib's when node is missing, said loudly) must be the input, and the
//! child's peak memory must stay far below the input's size: backpressure reached both pipes.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use nodestd_stream::{Stage, pipeline};

const CHILD: &str = "NODESTD_STDIO_CHILD";
const INPUT: usize = 16 << 20;

fn child() {
    let code = nodestd_process::run(|| {
        let gzip = nodestd_zlib::create_gzip(&nodestd_zlib::Options::default()).unwrap();
        let (input, output) = (nodestd_process::stdin(), nodestd_process::stdout());
        pipeline(
            vec![
                Stage::readable(&input),
                Stage::duplex(gzip.stream()),
                Stage::writable(&output),
            ],
            |err| {
                if let Some(e) = err {
                    eprintln!("pipeline failed: {e}");
                    nodestd_process::set_exit_code(Some(1));
                }
            },
        );
    });
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status.lines().find(|l| l.starts_with("VmHWM:")).unwrap();
    eprintln!("{hwm}");
    std::process::exit(code);
}

/// Half text, half noise, in 4 KiB runs: compressible, but not to nothing.
fn input() -> Vec<u8> {
    let mut v = Vec::with_capacity(INPUT);
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut block = 0u64;
    while v.len() < INPUT {
        block += 1;
        for i in 0..4096u64 {
            if block % 2 == 0 {
                v.push(b"the quick brown fox jumps over the lazy dog\n"[(i % 44) as usize]);
            } else {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                v.push(x as u8);
            }
        }
    }
    v.truncate(INPUT);
    v
}

fn gunzip(gz: &[u8]) -> Vec<u8> {
    let node = Command::new("node")
        .args([
            "-e",
            "process.stdin.pipe(require('zlib').createGunzip()).pipe(process.stdout)",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn();
    match node {
        Ok(mut n) => {
            let mut stdin = n.stdin.take().unwrap();
            let gz = gz.to_vec();
            let w = std::thread::spawn(move || stdin.write_all(&gz).unwrap());
            let out = n.wait_with_output().unwrap();
            w.join().unwrap();
            assert!(out.status.success(), "node's gunzip failed");
            out.stdout
        }
        Err(e) => {
            eprintln!("SKIP node's gunzip (node not runnable: {e}): nodestd-zlib's gunzip used");
            nodestd_zlib::gunzip_sync(gz, &nodestd_zlib::Options::default()).unwrap()
        }
    }
}

fn main() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    let data = input();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let feed = data.clone();
    let writer = std::thread::spawn(move || stdin.write_all(&feed).unwrap());
    let mut stdout = child.stdout.take().unwrap();
    let mut gz = Vec::new();
    let mut buf = vec![0u8; 16 * 1024];
    let start = std::time::Instant::now();
    loop {
        // A slow reader: 16 KiB per millisecond at most.
        let n = stdout.read(&mut buf).unwrap();
        if n == 0 {
            break;
        }
        gz.extend_from_slice(&buf[..n]);
        std::thread::sleep(Duration::from_millis(1));
    }
    writer.join().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "child failed: {stderr}");
    let hwm_kb: usize = stderr
        .split_whitespace()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no VmHWM in {stderr:?}"));
    println!(
        "16 MiB gzipped through stdin/stdout to a slow reader in {:?}: {} bytes out, child peak RSS {} KiB",
        start.elapsed(),
        gz.len(),
        hwm_kb
    );
    assert!(
        gunzip(&gz) == data,
        "gunzip of the child's output is not the input"
    );
    assert!(
        hwm_kb < 12 * 1024,
        "the child's peak RSS ({hwm_kb} KiB) suggests it buffered the input or the output"
    );
    println!("process_stdio: ok");
}
