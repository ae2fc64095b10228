//! Under steady load: a worker SIGKILLed every second for 10 s (the server keeps serving, the
//! worker count comes back, only requests in flight on a killed worker may fail: the number is
//! printed), and a graceful restart of every worker one by one (SIGHUP) that fails none.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use common::{Primary, get, ours};

/// Client threads sending `GET /slow?ms=5` in a loop; the counts of successes and failures.
struct Load {
    stop: Arc<AtomicBool>,
    ok: Arc<AtomicUsize>,
    failed: Arc<AtomicUsize>,
    threads: Vec<thread::JoinHandle<()>>,
}

const CLIENTS: usize = 4;

fn load(port: u16) -> Load {
    let stop = Arc::new(AtomicBool::new(false));
    let ok = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let threads = (0..CLIENTS)
        .map(|_| {
            let (stop, ok, failed) = (Arc::clone(&stop), Arc::clone(&ok), Arc::clone(&failed));
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match get(port, "/slow?ms=5") {
                        Ok((200, _)) => ok.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    Load {
        stop,
        ok,
        failed,
        threads,
    }
}

impl Load {
    fn finish(self) -> (usize, usize) {
        self.stop.store(true, Ordering::Relaxed);
        for t in self.threads {
            t.join().unwrap();
        }
        (
            self.ok.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }
}

fn kill(pid: u32) {
    std::process::Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status()
        .unwrap();
}

#[test]
fn sigkill_a_worker_every_second_for_10_s_under_load() {
    let p: Primary = ours(&["--workers", "4"]);
    assert!(p.wait_workers(4, Duration::from_secs(5)));
    let l = load(p.port);
    let mut kills = 0;
    for _ in 0..10 {
        thread::sleep(Duration::from_secs(1));
        if let Some(&w) = p.workers().first() {
            kill(w);
            kills += 1;
        }
    }
    thread::sleep(Duration::from_millis(500));
    let (ok, failed) = l.finish();
    println!("{kills} workers killed: {ok} requests served, {failed} failed");
    assert!(ok > 1000, "kept serving: {ok}");
    // Only requests in flight on the killed worker may fail: at most one per client each time.
    assert!(
        failed <= kills * CLIENTS,
        "{failed} failed for {kills} kills"
    );
    assert!(
        p.wait_workers(4, Duration::from_secs(10)),
        "the worker count came back"
    );
}

#[test]
fn a_graceful_restart_one_by_one_under_load_fails_nothing() {
    for policy in ["rr", "shared"] {
        let p = ours(&["--workers", "3", "--policy", policy]);
        assert!(p.wait_workers(3, Duration::from_secs(5)));
        let before = p.workers();
        let l = load(p.port);
        thread::sleep(Duration::from_millis(300));
        p.signal("HUP");
        // Every old worker gone and three new ones serving.
        let mut replaced = false;
        for _ in 0..200 {
            thread::sleep(Duration::from_millis(50));
            let now = p.workers();
            if now.len() == 3 && now.iter().all(|w| !before.contains(w)) {
                replaced = true;
                break;
            }
        }
        thread::sleep(Duration::from_millis(300));
        let (ok, failed) = l.finish();
        println!("{policy}: graceful restart under load: {ok} served, {failed} failed");
        assert!(replaced, "{policy}: every worker was replaced");
        assert_eq!(failed, 0, "{policy}");
        assert!(ok > 100);
    }
}
