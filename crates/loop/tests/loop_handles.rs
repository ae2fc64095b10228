//! Handles: fd readiness, cross-thread wake-ups, signals, close callbacks (LIFO).

use std::cell::RefCell;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;

use nodestd_loop as nd;

#[test]
fn close_callbacks_run_newest_first_in_the_close_phase() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        for name in ["a", "b", "c"] {
            let l = Rc::clone(&l);
            nd::Handle::new().close(move || l.borrow_mut().push(name));
        }
        let l2 = Rc::clone(&l);
        nd::set_immediate(move || l2.borrow_mut().push("immediate"));
    });
    assert_eq!(*log.borrow(), ["immediate", "c", "b", "a"]);
}

#[test]
fn an_io_watcher_sees_a_socket_become_readable() {
    let (mut a, b) = UnixStream::pair().unwrap();
    b.set_nonblocking(true).unwrap();
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = Rc::clone(&got);
    let b = Rc::new(RefCell::new(b));
    let exit = nd::run(move || {
        let b2 = Rc::clone(&b);
        let watcher: Rc<RefCell<Option<nd::IoWatcher>>> = Rc::new(RefCell::new(None));
        let w2 = Rc::clone(&watcher);
        let fd = b.borrow().as_raw_fd();
        let w = nd::IoWatcher::borrowed(fd, nd::Interest::Readable, move |ready| {
            assert!(ready.readable);
            let mut buf = [0u8; 64];
            loop {
                match b2.borrow_mut().read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => g.borrow_mut().extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(e) => panic!("{e}"),
                }
            }
            if g.borrow().len() >= 5 {
                w2.borrow().as_ref().unwrap().close_quietly();
            }
        })
        .unwrap();
        *watcher.borrow_mut() = Some(w);
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            a.write_all(b"hello").unwrap();
        });
    });
    assert_eq!(exit.code(), 0);
    assert_eq!(&*got.borrow(), b"hello");
}

#[test]
fn async_sends_from_other_threads_wake_the_loop() {
    let count = Rc::new(RefCell::new(0));
    let c = Rc::clone(&count);
    nd::run(move || {
        let handle: Rc<RefCell<Option<nd::AsyncHandle>>> = Rc::new(RefCell::new(None));
        let h2 = Rc::clone(&handle);
        let a = nd::AsyncHandle::new(move || {
            *c.borrow_mut() += 1;
            h2.borrow().as_ref().unwrap().close_quietly();
        });
        let sender = a.sender();
        *handle.borrow_mut() = Some(a);
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(10));
            sender.send();
            sender.send();
        });
    });
    assert_eq!(*count.borrow(), 1, "coalesced sends, then closed");
}

#[test]
fn a_future_woken_from_another_thread_resumes_on_the_loop() {
    use std::sync::{Arc, Mutex};
    use std::task::{Poll, Waker};
    let slot: Arc<Mutex<(bool, Option<Waker>)>> = Arc::new(Mutex::new((false, None)));
    let s = Arc::clone(&slot);
    let v = nd::block_on(async move {
        let keep = nd::Handle::new();
        let s2 = Arc::clone(&s);
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(10));
            let mut g = s2.lock().unwrap();
            g.0 = true;
            if let Some(w) = g.1.take() {
                w.wake();
            }
        });
        std::future::poll_fn(|cx| {
            let mut g = s.lock().unwrap();
            if g.0 {
                Poll::Ready(())
            } else {
                g.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        })
        .await;
        keep.close_quietly();
        7
    });
    assert_eq!(v.unwrap(), 7);
}

#[test]
fn a_signal_handle_receives_its_signal() {
    let got = Rc::new(RefCell::new(Vec::new()));
    let g = Rc::clone(&got);
    nd::run(move || {
        let holder: Rc<RefCell<Option<nd::SignalHandle>>> = Rc::new(RefCell::new(None));
        let h2 = Rc::clone(&holder);
        let s = nd::SignalHandle::new(libc::SIGUSR2, move |sig| {
            g.borrow_mut().push(sig);
            h2.borrow().as_ref().unwrap().close_quietly();
        })
        .unwrap();
        *holder.borrow_mut() = Some(s);
        nd::set_timeout(5, || {
            // SAFETY: raising a signal this process handles.
            unsafe { libc::raise(libc::SIGUSR2) };
        });
    });
    assert_eq!(*got.borrow(), [libc::SIGUSR2]);
}

#[test]
fn uncatchable_signals_are_refused() {
    nd::run(|| {
        let e = nd::SignalHandle::new(libc::SIGKILL, |_| {})
            .err()
            .expect("SIGKILL refused");
        assert_eq!(e.raw_os_error(), Some(libc::EINVAL));
    });
}

#[test]
fn phase_handles_run_in_their_phases() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        let mut handles = Vec::new();
        for (phase, name) in [
            (nd::Phase::Idle, "idle"),
            (nd::Phase::Prepare, "prepare"),
            (nd::Phase::Check, "check"),
        ] {
            let l = Rc::clone(&l);
            handles.push(nd::PhaseHandle::start(phase, move || {
                l.borrow_mut().push(name)
            }));
        }
        let l2 = Rc::clone(&l);
        nd::set_immediate(move || {
            l2.borrow_mut().push("immediate");
            for h in &handles {
                h.close_quietly();
            }
        });
    });
    assert_eq!(*log.borrow(), ["idle", "prepare", "check", "immediate"]);
}
