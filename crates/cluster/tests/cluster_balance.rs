//! Load balancing: under round-robin each worker's share of 20,000 serial connections is
//! within 15% of even; the shared handle serves every request too (the kernel spreads those
//! connections, so its shares are printed, not judged).

mod common;

use std::collections::BTreeMap;

use common::{get, ours, worker_id};

fn shares(port: u16, n: usize) -> BTreeMap<u32, usize> {
    let mut count = BTreeMap::new();
    for i in 0..n {
        let (code, body) = get(port, "/").unwrap_or_else(|e| panic!("request {i}: {e}"));
        assert_eq!(code, 200);
        *count
            .entry(worker_id(&body).expect("a worker id"))
            .or_insert(0) += 1;
    }
    count
}

#[test]
fn round_robin_shares_of_20000_connections_are_within_15_percent() {
    const N: usize = 20_000;
    const WORKERS: usize = 4;
    let p = ours(&["--workers", &WORKERS.to_string()]);
    let count = shares(p.port, N);
    println!("round-robin shares of {N}: {count:?}");
    assert_eq!(count.len(), WORKERS);
    let even = N as f64 / WORKERS as f64;
    for (w, c) in &count {
        let off = (*c as f64 - even).abs() / even;
        assert!(
            off <= 0.15,
            "worker {w} served {c} of {N} ({:.1}% off)",
            off * 100.0
        );
    }
}

#[test]
fn the_shared_handle_serves() {
    let p = ours(&["--workers", "2", "--policy", "shared"]);
    let count = shares(p.port, 2000);
    println!("shared-handle shares of 2000: {count:?}");
    assert_eq!(count.values().sum::<usize>(), 2000);
}
