//! 10,000 lookups in flight do not hold up fs-style work queued meanwhile: lookups take the
//! pool's slow lane (at most half the pool, libuv's `UV__WORK_SLOW_IO` rule), so ordinary jobs
//! (the lane fs, crypto and zlib use) find a free thread while the lookups drain.
//! The test prints what it measured.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use nodestd_dns::{LookupOptions, callback};
use nodestd_loop::work::{self, Lane};

const LOOKUPS: usize = 10_000;
const FS_JOBS: usize = 50;

#[test]
fn ten_thousand_lookups_leave_half_the_pool_to_fs_work() {
    let lookups_done = Rc::new(Cell::new(None::<Duration>));
    let worst_fs = Rc::new(Cell::new(Duration::ZERO));
    let fs_done = Rc::new(Cell::new(0usize));
    // How many lookups had answered when the last fs job did.
    let lookups_before_fs = Rc::new(Cell::new(0usize));
    let (ld, wf, fd, lb) = (
        Rc::clone(&lookups_done),
        Rc::clone(&worst_fs),
        Rc::clone(&fs_done),
        Rc::clone(&lookups_before_fs),
    );
    let t0 = Instant::now();
    nodestd_loop::run(move || {
        let left = Rc::new(Cell::new(LOOKUPS));
        for _ in 0..LOOKUPS {
            let (left, ld) = (Rc::clone(&left), Rc::clone(&ld));
            callback::lookup("localhost", LookupOptions::default(), move |r| {
                r.unwrap();
                left.set(left.get() - 1);
                if left.get() == 0 {
                    ld.set(Some(t0.elapsed()));
                }
            })
            .unwrap();
        }
        // fs-style jobs queued while the lookups are in flight: each a short blocking read.
        for _ in 0..FS_JOBS {
            let (wf, fd, lb, left) = (
                Rc::clone(&wf),
                Rc::clone(&fd),
                Rc::clone(&lb),
                Rc::clone(&left),
            );
            let queued = Instant::now();
            work::callback(
                Lane::Normal,
                || {
                    std::fs::metadata("/")
                        .map_err(|e| nodestd_dns::Error::arg("EIO", e.to_string()))
                },
                move |r| {
                    r.unwrap();
                    wf.set(wf.get().max(queued.elapsed()));
                    fd.set(fd.get() + 1);
                    lb.set(LOOKUPS - left.get());
                },
            );
        }
    });
    let all_lookups = lookups_done.get().expect("every lookup answered");
    let worst = worst_fs.get();
    let before = lookups_before_fs.get();
    eprintln!(
        "{LOOKUPS} lookups of localhost took {all_lookups:?}; the slowest of {FS_JOBS} fs jobs queued behind them waited {worst:?}, when {before} lookups had answered"
    );
    assert_eq!(fs_done.get(), FS_JOBS);
    // Without the half-pool rule, the fs jobs would wait for all 10,000 lookups to drain (a
    // FIFO queue); with it they run on the free half of the pool at once, and wait only for
    // the loop thread to deliver the lookup completions ahead of theirs (a quarter of the
    // whole leaves room for a loaded machine).
    assert!(
        worst * 4 < all_lookups,
        "fs jobs waited {worst:?} ({before} lookups answered first), lookups took {all_lookups:?}"
    );
}
