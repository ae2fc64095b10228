//! `IoWatcher` as libuv's `uv__io_t`: an fd number reused at once keeps its new registration,
//! stop and start toggle liveness, owned fds close with the watcher, fair reading re-arms.
//!
//! The tests open and close fds and one of them needs the kernel to hand a just-closed number
//! to the next fd (the lowest free number): they run one at a time, under `SERIAL`.

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::sync::Mutex;

use nodestd_loop as nd;

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A non-blocking socket pair: (the end to watch, the peer to write from).
fn pair() -> (OwnedFd, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    (a.into(), b)
}

/// Fails the run (an uncaught panic) if it is still going after 5 s: a watcher that lost its
/// registration would keep the loop alive forever.
fn deadline() -> nd::Timeout {
    let t = nd::set_timeout(5000, || {
        panic!("no readiness arrived: the registration was lost")
    });
    t.unref();
    t
}

type Slot = Rc<RefCell<Option<nd::IoWatcher>>>;

/// Reads what is there from the watcher's own fd.
fn drain(w: &nd::IoWatcher) -> Vec<u8> {
    let mut s = UnixStream::from(w.fd().unwrap().try_clone().unwrap());
    let mut out = Vec::new();
    let mut buf = [0u8; 256];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return out,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return out,
            Err(e) => panic!("{e}"),
        }
    }
}

/// Watches `fd` until it first becomes readable, then reads what is there into `got` and
/// closes the watcher, which is in the returned slot until then; fails the run if that has
/// not happened within 5 s.
fn read_once(fd: OwnedFd, got: &Rc<RefCell<Vec<u8>>>) -> Slot {
    let t = deadline();
    let slot: Slot = Rc::default();
    let (s, g) = (Rc::clone(&slot), Rc::clone(got));
    let w = nd::IoWatcher::new(fd, nd::Interest::Readable, move |ready| {
        assert!(ready.readable);
        let w = s.borrow_mut().take().unwrap();
        g.borrow_mut().extend(drain(&w));
        w.close_quietly();
        t.clear();
    })
    .unwrap();
    *slot.borrow_mut() = Some(w);
    slot
}

#[test]
fn a_closed_fds_number_reused_at_once_keeps_the_new_registration() {
    let _s = serial();
    let got: Rc<RefCell<Vec<u8>>> = Rc::default();
    let g = Rc::clone(&got);
    let exit = nd::run(move || {
        let (first, _peer1) = pair();
        let first_fd = first.as_raw_fd();
        let w1 = nd::IoWatcher::new(first, nd::Interest::Readable, |_| {}).unwrap();
        // In the same iteration: close the watcher (and so its fd), then open a new fd at
        // once.
        w1.close_quietly();
        let (second, mut peer2) = pair();
        assert_eq!(second.as_raw_fd(), first_fd, "the kernel reused the number");
        read_once(second, &g);
        // The write lands after w1's close phase would have run: with a deferred deregister,
        // that phase would have taken fd `first_fd`'s registration from w2.
        nd::set_timeout(10, move || peer2.write_all(b"still watched").unwrap());
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(&*got.borrow(), b"still watched");
}

#[test]
fn a_stale_borrowed_watcher_cannot_deregister_the_fd_that_reused_its_number() {
    let _s = serial();
    let got: Rc<RefCell<Vec<u8>>> = Rc::default();
    let g = Rc::clone(&got);
    let exit = nd::run(move || {
        let (first, _peer1) = pair();
        let old =
            nd::IoWatcher::borrowed(first.as_raw_fd(), nd::Interest::Readable, |_| {}).unwrap();
        // The wrong order: the owner closes the fd before the watcher.
        let first_fd = first.as_raw_fd();
        drop(first);
        let (second, mut peer2) = pair();
        assert_eq!(second.as_raw_fd(), first_fd, "the kernel reused the number");
        read_once(second, &g);
        // The stale watcher is not the fd's registered watcher any more: closing it leaves
        // the new registration alone (libuv's `loop->watchers[fd] == w` check).
        old.close_quietly();
        nd::set_timeout(10, move || peer2.write_all(b"mine").unwrap());
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(&*got.borrow(), b"mine");
}

#[test]
fn a_stopped_watcher_lets_the_loop_end_and_a_restarted_one_gets_events() {
    let _s = serial();
    let (fd, mut peer) = pair();
    peer.write_all(b"waiting").unwrap();
    let calls = Rc::new(Cell::new(0));
    let c = Rc::clone(&calls);
    let exit = nd::run(move || {
        let w =
            nd::IoWatcher::new(fd, nd::Interest::Readable, move |_| c.set(c.get() + 1)).unwrap();
        assert_eq!(w.interest(), Some(nd::Interest::Readable));
        assert!(w.is_active());
        // uv_read_stop: no longer watched, no longer keeping the loop alive.
        w.stop();
        assert_eq!(w.interest(), None);
        assert!(!w.is_active() && !w.is_closing());
    });
    assert_eq!(exit.code(), 0);
    assert_eq!(calls.get(), 0, "stopped before the first poll: no callback");

    let (fd, mut peer) = pair();
    let got: Rc<RefCell<Vec<u8>>> = Rc::default();
    let g = Rc::clone(&got);
    let exit = nd::run(move || {
        let slot = read_once(fd, &g);
        let w = slot.borrow_mut().take().unwrap();
        w.stop();
        w.stop(); // twice: nothing more
        *slot.borrow_mut() = Some(w);
        let s2 = Rc::clone(&slot);
        nd::set_timeout(10, move || {
            peer.write_all(b"resumed").unwrap();
            // uv_read_start again: data already waiting is reported.
            s2.borrow()
                .as_ref()
                .unwrap()
                .start(nd::Interest::Readable)
                .unwrap();
        });
    });
    assert_eq!(exit.code(), 0, "{exit:?}");
    assert_eq!(&*got.borrow(), b"resumed");
}

#[test]
fn closing_a_watcher_closes_its_owned_fd_at_once() {
    let _s = serial();
    let (fd, mut peer) = pair();
    let exit = nd::run(move || {
        let w = nd::IoWatcher::new(fd, nd::Interest::Readable, |_| {}).unwrap();
        let w = Rc::new(w);
        let w2 = Rc::clone(&w);
        nd::set_immediate(move || {
            w2.close_quietly();
            drop(w2);
        });
        drop(w);
    });
    assert_eq!(exit.code(), 0);
    let mut buf = [0u8; 1];
    assert_eq!(
        peer.read(&mut buf).unwrap(),
        0,
        "the peer sees EOF: the fd was closed"
    );
}

#[test]
fn a_borrowed_fd_stays_open_after_close() {
    let _s = serial();
    let (fd, mut peer) = pair();
    let raw = fd.as_raw_fd();
    nd::run(move || {
        nd::IoWatcher::borrowed(raw, nd::Interest::Readable, |_| {})
            .unwrap()
            .close_quietly();
    });
    let mut s = UnixStream::from(fd);
    peer.write_all(b"x").unwrap();
    let mut buf = [0u8; 1];
    s.set_nonblocking(false).unwrap();
    assert_eq!(s.read(&mut buf).unwrap(), 1);
}

#[test]
fn a_regular_file_is_refused_and_no_handle_is_left() {
    let _s = serial();
    let file: OwnedFd = std::fs::File::open("/proc/self/stat").unwrap().into();
    let exit = nd::run(move || {
        let e = nd::IoWatcher::new(file, nd::Interest::Readable, |_| {})
            .err()
            .expect("epoll refuses regular files");
        assert_eq!(e.raw_os_error(), Some(libc::EPERM));
    });
    assert_eq!(
        exit.code(),
        0,
        "the refused watcher does not keep the loop alive"
    );
}

#[test]
fn fair_reading_stops_at_the_bound_and_rearm_brings_the_rest() {
    let _s = serial();
    let (fd, mut peer) = pair();
    let total = 3 * nd::MAX_READS_PER_READINESS + 5;
    peer.write_all(&vec![7u8; total]).unwrap();
    let read = Rc::new(Cell::new(0usize));
    let calls = Rc::new(Cell::new(0usize));
    let checks = Rc::new(Cell::new(0usize));
    let (r, c, k) = (Rc::clone(&read), Rc::clone(&calls), Rc::clone(&checks));
    nd::run(move || {
        let t = deadline();
        let slot: Slot = Rc::default();
        let s = Rc::clone(&slot);
        let check = nd::PhaseHandle::start(nd::Phase::Check, move || k.set(k.get() + 1));
        check.unref();
        let w = nd::IoWatcher::new(fd, nd::Interest::Readable, move |_| {
            c.set(c.get() + 1);
            let guard = s.borrow();
            let w = guard.as_ref().unwrap();
            let mut sock = UnixStream::from(w.fd().unwrap().try_clone().unwrap());
            // One byte per read: the bound, not WouldBlock, ends each round.
            for _ in 0..nd::MAX_READS_PER_READINESS {
                let mut one = [0u8; 1];
                match sock.read(&mut one) {
                    Ok(1) => r.set(r.get() + 1),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        drop(guard);
                        s.borrow_mut().take().unwrap().close_quietly();
                        check.close_quietly();
                        t.clear();
                        return;
                    }
                    other => panic!("{other:?}"),
                }
            }
            w.rearm().unwrap();
        })
        .unwrap();
        *slot.borrow_mut() = Some(w);
    });
    assert_eq!(read.get(), total);
    assert_eq!(calls.get(), total / nd::MAX_READS_PER_READINESS + 1);
    assert!(
        checks.get() >= calls.get() - 1,
        "the loop went round between reads ({} check phases, {} reads rounds)",
        checks.get(),
        calls.get()
    );
}
