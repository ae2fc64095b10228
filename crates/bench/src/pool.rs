//! The worker-pool workloads on the fs crate (`bench/node/pool-*.js` are their Node twins):
//! many `stat` / `readFile` calls in flight at once, each a round trip through the pool and
//! back to the loop's poll phase, as in Node (both sides use the default four threads).

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::Instant;

use nodestd_fs as fs;
use nodestd_loop as nd;

use crate::{emit, size};

/// The directory of `count` files of 1 KiB shared by both sides (made once; `done` marks it
/// complete): `$TMPDIR/nodestd-bench-files-<count>`.
pub fn files(count: usize) -> Vec<PathBuf> {
    let dir = std::env::temp_dir().join(format!("nodestd-bench-files-{count}"));
    let paths: Vec<PathBuf> = (0..count).map(|i| dir.join(format!("f{i}.txt"))).collect();
    if !dir.join("done").exists() {
        std::fs::create_dir_all(&dir).expect("create the bench directory");
        let body = vec![b'x'; 1024];
        for p in &paths {
            std::fs::write(p, &body).expect("write a bench file");
        }
        std::fs::write(dir.join("done"), b"").expect("mark the bench directory");
    }
    paths
}

/// Starts operation `i`; calls the box once it completes.
type Start = Rc<dyn Fn(usize, Box<dyn FnOnce()>)>;

/// Runs `n` operations with `outstanding` in flight: `start(i, done)` begins operation `i`
/// and must call `done` once it completes. Returns the seconds it took.
pub(crate) fn in_flight(n: usize, outstanding: usize, start: Start) -> f64 {
    let issued = Rc::new(Cell::new(0usize));
    let finished = Rc::new(Cell::new(0usize));
    fn next(n: usize, issued: Rc<Cell<usize>>, finished: Rc<Cell<usize>>, start: Start) {
        let i = issued.get();
        if i >= n {
            return;
        }
        issued.set(i + 1);
        let (iss, fin, st) = (issued.clone(), finished.clone(), start.clone());
        start(
            i,
            Box::new(move || {
                fin.set(fin.get() + 1);
                next(n, iss, fin, st);
            }),
        );
    }
    let (iss, fin) = (issued.clone(), finished.clone());
    let t = Instant::now();
    let exit = nd::run(move || {
        for _ in 0..outstanding.min(n) {
            next(n, iss.clone(), fin.clone(), start.clone());
        }
    });
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(exit.code(), 0);
    assert_eq!(finished.get(), n);
    secs
}

/// `pool-stat`: 200,000 `fs.stat` callbacks, 256 in flight, over 1,000 files.
pub fn pool_stat(quick: bool) {
    let n = size(200_000, quick) as usize;
    let paths = Rc::new(files(1000));
    let run = |n: usize| {
        let paths = paths.clone();
        in_flight(
            n,
            256,
            Rc::new(move |i, done| {
                fs::callback::stat(&paths[i % paths.len()], move |r| {
                    r.expect("stat a bench file");
                    done();
                })
                .expect("fs.stat takes its arguments");
            }),
        )
    };
    run(n / 10);
    emit("pool-stat/callback", n as u64, run(n));
}

/// `pool-readfile`: 20,000 files of 1 KiB read with `fs.readFile`, 64 in flight, in the
/// callback form and with `fs.promises.readFile` (64 tasks each awaiting one file at a time).
pub fn pool_readfile(quick: bool) {
    let n = size(20_000, quick) as usize;
    let paths = Rc::new(files(20_000));
    let callback = |n: usize| {
        let paths = paths.clone();
        in_flight(
            n,
            64,
            Rc::new(move |i, done| {
                fs::callback::read_file(&paths[i], fs::ReadFileOptions::default(), move |r| {
                    assert_eq!(r.expect("read a bench file").len(), 1024);
                    done();
                })
                .expect("fs.readFile takes its arguments");
            }),
        )
    };
    callback(n / 10);
    emit("pool-readfile/callback", n as u64, callback(n));
    let promise = |n: usize| {
        let paths = paths.clone();
        let next = Rc::new(Cell::new(0usize));
        let t = Instant::now();
        let exit = nd::run(move || {
            for _ in 0..64 {
                let (paths, next) = (paths.clone(), next.clone());
                nd::spawn_local(async move {
                    loop {
                        let i = next.get();
                        if i >= n {
                            break;
                        }
                        next.set(i + 1);
                        let p: &Path = &paths[i];
                        let data = fs::promises::read_file(p, fs::ReadFileOptions::default())
                            .await
                            .expect("read a bench file");
                        assert_eq!(data.len(), 1024);
                    }
                });
            }
        });
        assert_eq!(exit.code(), 0);
        t.elapsed().as_secs_f64()
    };
    promise(n / 10);
    emit("pool-readfile/promise", n as u64, promise(n));
}
