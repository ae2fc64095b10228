//! A `ChildProcess` whose listeners hold clones of it (on its own emitter and on its stdout)
//! is freed after `'close'`: 10,000 such spawns drop every listener (a sentinel each listener
//! holds counts the drops) and leave the resident memory flat.

use std::cell::Cell;
use std::rc::Rc;

use nodestd_child_process::spawn::{ChildProcess, Close, Exit, SpawnOptions, spawn};
use nodestd_loop as nd;

const TOTAL: usize = 10_000;
const AT_ONCE: usize = 16;

/// Counts its drops.
struct Sentinel(Rc<Cell<usize>>);

impl Drop for Sentinel {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

fn rss_kib() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4
}

fn start(left: Rc<Cell<usize>>, dropped: Rc<Cell<usize>>) {
    if left.get() == 0 {
        return;
    }
    left.set(left.get() - 1);
    let c: ChildProcess = spawn("/bin/true", &[], SpawnOptions::default());
    let (me, sentinel) = (c.clone(), Sentinel(Rc::clone(&dropped)));
    let on_data = move |_: &_| {
        let _hold = (&sentinel, &me);
    };
    c.stdout().unwrap().on_data(on_data);
    let sentinel = Sentinel(Rc::clone(&dropped));
    let me = c.clone();
    c.emitter().once(Close, move |(code, _)| {
        let _hold = &sentinel;
        assert_eq!(*code, Some(0));
        assert_eq!(me.exit_code(), Some(0));
        start(Rc::clone(&left), Rc::clone(&dropped));
    });
    let me = c.clone();
    c.emitter().on(Exit, move |_| assert!(me.pid().is_some()));
}

fn spawns(n: usize) -> usize {
    let dropped = Rc::new(Cell::new(0));
    let d = Rc::clone(&dropped);
    let exit = nd::run(move || {
        let left = Rc::new(Cell::new(n));
        for _ in 0..AT_ONCE {
            start(Rc::clone(&left), Rc::clone(&d));
        }
    });
    assert_eq!(exit.code(), 0);
    dropped.get()
}

#[test]
fn children_whose_listeners_hold_them_are_freed_after_close() {
    // A first round grows the allocator's pools to their working size.
    assert_eq!(spawns(1000), 2 * 1000);
    let before = rss_kib();
    assert_eq!(spawns(TOTAL), 2 * TOTAL, "listeners were not dropped");
    let after = rss_kib();
    eprintln!("resident memory: {before} KiB before, {after} KiB after {TOTAL} spawns");
    assert!(
        after < before + 4 * 1024,
        "resident memory grew from {before} KiB to {after} KiB"
    );
}
