//! Fd passing across a socket pair in one process: fds arrive open, close-on-exec and
//! pointing at the same files; truncated control data is an error that leaks nothing; EOF;
//! many fds; and the flag helpers.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::net::UnixStream;

use nodestd_sys as sys;

/// A one-way channel as (read end, write end): a socket pair, whose read end sees EOF once
/// every copy of the write end is closed, as a pipe's does.
fn pipe() -> (OwnedFd, OwnedFd) {
    sys::socketpair(false).unwrap()
}

#[test]
fn an_fd_crosses_a_socket_pair_and_points_at_the_same_pipe() {
    let (a, b) = sys::socketpair(false).unwrap();
    let (r, w) = pipe();
    assert_eq!(sys::send_with_fds(&a, b"w", &[w.as_fd()]).unwrap(), 1);
    drop(w);
    let mut buf = [0u8; 8];
    let got = sys::recv_with_fds(&b, &mut buf, 1).unwrap();
    assert_eq!((got.bytes, &buf[..1], got.fds.len()), (1, &b"w"[..], 1));
    let w2 = got.fds.into_iter().next().unwrap();
    assert!(sys::is_cloexec(&w2).unwrap(), "MSG_CMSG_CLOEXEC");
    File::from(w2).write_all(b"through the passed fd").unwrap();
    let mut s = String::new();
    File::from(r).read_to_string(&mut s).unwrap();
    assert_eq!(s, "through the passed fd");
}

#[test]
fn a_received_file_shares_the_open_file_description() {
    let (a, b) = sys::socketpair(false).unwrap();
    let mut f = File::from(tempfile_fd());
    f.write_all(b"0123456789").unwrap();
    f.seek(io::SeekFrom::Start(4)).unwrap();
    sys::send_with_fds(&a, b"f", &[f.as_fd()]).unwrap();
    let mut buf = [0u8; 1];
    let got = sys::recv_with_fds(&b, &mut buf, 1).unwrap();
    let mut g = File::from(got.fds.into_iter().next().unwrap());
    let mut rest = String::new();
    g.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "456789", "the offset is shared");
}

fn tempfile_fd() -> OwnedFd {
    let dir = std::env::temp_dir().join(format!("nodestd-sys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("shared-offset");
    let f = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    std::fs::remove_file(&path).unwrap();
    let _ = std::fs::remove_dir(&dir);
    f.into()
}

#[test]
fn many_fds_in_one_message_arrive_in_order() {
    let (a, b) = sys::socketpair(false).unwrap();
    let pipes: Vec<(OwnedFd, OwnedFd)> =
        (0..sys::MAX_FDS_PER_MESSAGE / 2).map(|_| pipe()).collect();
    let writers: Vec<BorrowedFd<'_>> = pipes.iter().map(|(_, w)| w.as_fd()).collect();
    sys::send_with_fds(&a, b"many", &writers).unwrap();
    let mut buf = [0u8; 16];
    let got = sys::recv_with_fds(&b, &mut buf, sys::MAX_FDS_PER_MESSAGE).unwrap();
    assert_eq!(got.fds.len(), pipes.len());
    for (i, (fd, (r, _))) in got.fds.into_iter().zip(&pipes).enumerate() {
        File::from(fd).write_all(&[i as u8]).unwrap();
        let mut one = [0u8; 1];
        File::from(r.try_clone().unwrap())
            .read_exact(&mut one)
            .unwrap();
        assert_eq!(one[0], i as u8, "fd {i} went to its own pipe");
    }
}

#[test]
fn more_fds_than_the_kernel_allows_is_einval() {
    let (a, _b) = sys::socketpair(false).unwrap();
    let (_r, w) = pipe();
    let fds = vec![w.as_fd(); sys::MAX_FDS_PER_MESSAGE + 1];
    let e = sys::send_with_fds(&a, b"x", &fds).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(22), "{e}");
}

#[test]
fn fds_without_a_byte_to_carry_them_are_einval() {
    let (a, _b) = sys::socketpair(false).unwrap();
    let (_r, w) = pipe();
    let e = sys::send_with_fds(&a, b"", &[w.as_fd()]).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(22));
}

/// Whether every write end of the pipe whose read end is `r` is closed: a non-blocking read
/// sees EOF instead of `EAGAIN`.
fn writers_all_closed(r: &OwnedFd) -> bool {
    sys::set_nonblocking(r, true).unwrap();
    let mut one = [0u8; 1];
    match File::from(r.try_clone().unwrap()).read(&mut one) {
        Ok(0) => true,
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => false,
        other => panic!("unexpected read: {other:?}"),
    }
}

#[test]
fn truncated_control_data_is_enobufs_and_closes_what_arrived() {
    let (a, b) = sys::socketpair(false).unwrap();
    let (readers, writers): (Vec<OwnedFd>, Vec<OwnedFd>) = (0..5).map(|_| pipe()).unzip();
    let borrowed: Vec<BorrowedFd<'_>> = writers.iter().map(|w| w.as_fd()).collect();
    sys::send_with_fds(&a, b"five", &borrowed).unwrap();
    drop(borrowed);
    drop(writers);
    assert!(
        !writers_all_closed(&readers[0]),
        "in flight, the fds are still open"
    );
    let mut buf = [0u8; 16];
    let e = sys::recv_with_fds(&b, &mut buf, 2).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(105), "ENOBUFS: {e}");
    for (i, r) in readers.iter().enumerate() {
        assert!(
            writers_all_closed(r),
            "the copy of write end {i} was closed"
        );
    }
    // Nothing of the message is left to read: the channel goes on with the next one.
    sys::send_with_fds(&a, b"next", &[]).unwrap();
    let got = sys::recv_with_fds(&b, &mut buf, 2).unwrap();
    assert_eq!(&buf[..got.bytes], b"next");
}

#[test]
fn fds_sent_to_a_caller_that_takes_none_are_closed() {
    let (a, b) = sys::socketpair(false).unwrap();
    let (r, w) = pipe();
    sys::send_with_fds(&a, b"x", &[w.as_fd()]).unwrap();
    drop(w);
    let mut buf = [0u8; 4];
    let e = sys::recv_with_fds(&b, &mut buf, 0).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(105));
    assert!(writers_all_closed(&r));
}

#[test]
fn plain_bytes_and_end_of_file() {
    let (a, b) = sys::socketpair(false).unwrap();
    sys::send_with_fds(&a, b"just bytes", &[]).unwrap();
    drop(a);
    let mut buf = [0u8; 64];
    let got = sys::recv_with_fds(&b, &mut buf, 4).unwrap();
    assert_eq!((&buf[..got.bytes], got.fds.len()), (&b"just bytes"[..], 0));
    let eof = sys::recv_with_fds(&b, &mut buf, 4).unwrap();
    assert_eq!((eof.bytes, eof.fds.len()), (0, 0), "EOF");
}

#[test]
fn a_read_takes_one_message_s_fds_and_stops_after_their_bytes() {
    // What Linux does (unix_stream_read_generic): plain bytes before fds join them in one
    // read; the read stops after the bytes that came with fds, so two messages' fds never
    // mix, and bytes sent after them come in the next read.
    let (a, b) = sys::socketpair(false).unwrap();
    let (_r, w) = pipe();
    sys::send_with_fds(&a, b"plain ", &[]).unwrap();
    sys::send_with_fds(&a, b"with fd", &[w.as_fd()]).unwrap();
    sys::send_with_fds(&a, b"another", &[w.as_fd(), w.as_fd()]).unwrap();
    sys::send_with_fds(&a, b" after", &[]).unwrap();
    let mut buf = [0u8; 64];
    let mut reads = Vec::new();
    for _ in 0..3 {
        let got = sys::recv_with_fds(&b, &mut buf, 4).unwrap();
        reads.push((
            String::from_utf8_lossy(&buf[..got.bytes]).into_owned(),
            got.fds.len(),
        ));
    }
    assert_eq!(
        reads,
        [
            ("plain with fd".to_owned(), 1),
            ("another".to_owned(), 2),
            (" after".to_owned(), 0)
        ]
    );
}

#[test]
fn nonblocking_pairs_say_eagain_and_a_gone_peer_is_epipe() {
    let (a, b) = sys::socketpair(true).unwrap();
    assert!(sys::is_nonblocking(&a).unwrap() && sys::is_nonblocking(&b).unwrap());
    assert!(sys::is_cloexec(&a).unwrap() && sys::is_cloexec(&b).unwrap());
    let mut buf = [0u8; 4];
    let e = sys::recv_with_fds(&b, &mut buf, 1).unwrap_err();
    assert_eq!(e.kind(), io::ErrorKind::WouldBlock);
    drop(b);
    // MSG_NOSIGNAL: EPIPE, not a SIGPIPE that would kill the test.
    let e = sys::send_with_fds(&a, b"x", &[]).unwrap_err();
    assert_eq!(e.raw_os_error(), Some(32), "EPIPE: {e}");
}

#[test]
fn flags_toggle_and_dup_is_cloexec() {
    let (a, _b) = UnixStream::pair().unwrap();
    sys::set_cloexec(&a, false).unwrap();
    assert!(!sys::is_cloexec(&a).unwrap());
    sys::set_cloexec(&a, true).unwrap();
    assert!(sys::is_cloexec(&a).unwrap());
    sys::set_nonblocking(&a, true).unwrap();
    assert!(sys::is_nonblocking(&a).unwrap());
    let d = sys::dup_cloexec(&a).unwrap();
    assert_ne!(d.as_raw_fd(), a.as_raw_fd());
    assert!(sys::is_cloexec(&d).unwrap());
    assert!(
        sys::is_nonblocking(&d).unwrap(),
        "O_NONBLOCK is the description's"
    );
    sys::set_nonblocking(&d, false).unwrap();
    assert!(!sys::is_nonblocking(&a).unwrap());
}
