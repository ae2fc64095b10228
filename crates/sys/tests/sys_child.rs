//! Fds cross into a spawned child and back: the test binary runs itself as the child, with one
//! end of a socket pair as its stdin. The parent sends the write end of a pipe, the child
//! writes into it and sends back the read end of a pipe of its own (socket pairs stand in
//! for pipes: `std::io::pipe` is newer than the workspace's MSRV).
//!
//! Its own test binary without the test harness (`harness = false`): no other test of this
//! binary spawns a process at the same time, so no other child can hold a copy of these fds
//! and keep an end-of-file from arriving.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::process::{Command, Stdio};

use nodestd_sys as sys;

const CHILD: &str = "NODESTD_SYS_TEST_CHILD";

fn main() {
    if std::env::var_os(CHILD).is_some() {
        child();
        return;
    }
    print!("test fds_cross_into_a_spawned_child_and_back ... ");
    fds_cross_into_a_spawned_child_and_back();
    println!("ok");
    println!();
    println!("test result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out");
}

fn read_all(fd: OwnedFd) -> String {
    let mut s = String::new();
    File::from(fd).read_to_string(&mut s).unwrap();
    s
}

fn fds_cross_into_a_spawned_child_and_back() {
    let (parent, child_end) = sys::socketpair(false).unwrap();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(CHILD, "1")
        .stdin(Stdio::from(child_end))
        .spawn()
        .unwrap();
    let (r, w) = sys::socketpair(false).unwrap();
    sys::send_with_fds(&parent, b"w", &[w.as_fd()]).unwrap();
    drop(w);
    assert_eq!(read_all(r), "the child wrote this");

    let mut buf = [0u8; 8];
    let got = sys::recv_with_fds(&parent, &mut buf, 1).unwrap();
    assert_eq!((&buf[..got.bytes], got.fds.len()), (&b"r"[..], 1));
    let theirs = got.fds.into_iter().next().unwrap();
    assert!(sys::is_cloexec(&theirs).unwrap());
    assert_eq!(read_all(theirs), "from the child's own pipe");

    let eof = sys::recv_with_fds(&parent, &mut buf, 1).unwrap();
    assert_eq!(eof.bytes, 0, "the child exited: end of file");
    assert!(child.wait().unwrap().success());
}

/// The child's side: its stdin is the socket.
fn child() {
    let stdin = io::stdin();
    let socket = stdin.as_fd();
    let mut buf = [0u8; 8];
    let got = sys::recv_with_fds(socket, &mut buf, 1).unwrap();
    assert_eq!(&buf[..got.bytes], b"w");
    let w = got.fds.into_iter().next().expect("the parent's fd");
    File::from(w).write_all(b"the child wrote this").unwrap();

    let (r, w) = sys::socketpair(false).unwrap();
    sys::send_with_fds(socket, b"r", &[r.as_fd()]).unwrap();
    drop(r);
    let mut w = File::from(w);
    w.write_all(b"from the child's own pipe").unwrap();
}
