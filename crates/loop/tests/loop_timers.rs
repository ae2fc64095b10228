//! Timers at scale: 1,000,000 timers with random delays all fire, none early, same-delay
//! timers in creation order, cleared ones never; and the structure stays cheap.

use std::cell::RefCell;
use std::rc::Rc;

use nodestd_loop as nd;

/// SplitMix64, for reproducible delays.
fn rng(seed: &mut u64) -> u64 {
    *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *seed;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[test]
fn a_million_timers_fire_in_node_order_and_cleared_ones_never() {
    const N: usize = 1_000_000;
    // (index, delay, start time) of every timer, and the order they fired in.
    let fired: Rc<RefCell<Vec<(u32, u64)>>> = Rc::new(RefCell::new(Vec::with_capacity(N)));
    let meta: Rc<RefCell<Vec<(u64, u64, bool)>>> = Rc::new(RefCell::new(Vec::with_capacity(N)));
    let (f2, m2) = (Rc::clone(&fired), Rc::clone(&meta));
    let exit = nd::run(move || {
        let mut seed = 42;
        let mut to_clear = Vec::new();
        for i in 0..N {
            let delay = rng(&mut seed) % 101;
            let start = nd::now();
            let f = Rc::clone(&f2);
            let t = nd::set_timeout(delay, move || f.borrow_mut().push((i as u32, nd::now())));
            let clear = rng(&mut seed) % 10 == 0;
            m2.borrow_mut()
                .push((nd::coerce_delay(delay), start, clear));
            if clear {
                to_clear.push(t);
            }
        }
        for t in &to_clear {
            t.clear();
        }
    });
    assert_eq!(exit.code(), 0);
    let fired = fired.borrow();
    let meta = meta.borrow();
    let expected = meta.iter().filter(|m| !m.2).count();
    assert_eq!(
        fired.len(),
        expected,
        "every uncleared timer fires exactly once"
    );
    let mut seen = vec![false; N];
    let mut last_of_delay = [None::<u32>; 102];
    for &(i, at) in fired.iter() {
        let (delay, start, cleared) = meta[i as usize];
        assert!(!cleared, "cleared timer {i} fired");
        assert!(!seen[i as usize], "timer {i} fired twice");
        seen[i as usize] = true;
        assert!(
            at >= start + delay,
            "timer {i} fired at {at}, before its due time {}",
            start + delay
        );
        // Same delay: one Node list, creation order.
        if let Some(prev) = last_of_delay[delay as usize] {
            assert!(prev < i, "delay {delay}: timer {i} fired after {prev}");
        }
        last_of_delay[delay as usize] = Some(i);
    }
}

#[test]
fn a_million_timers_created_and_cleared_leave_nothing_alive() {
    let exit = nd::run(|| {
        let mut seed = 7;
        for _ in 0..1_000_000 {
            let t = nd::set_timeout(rng(&mut seed) % 1000, || panic!("a cleared timer ran"));
            t.clear();
        }
    });
    assert_eq!(exit.code(), 0);
}

#[test]
fn timers_with_different_delays_fire_by_due_time() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&log);
    nd::run(move || {
        for (ms, name) in [(60, "c"), (20, "a"), (40, "b")] {
            let l = Rc::clone(&l);
            nd::set_timeout(ms, move || l.borrow_mut().push(name));
        }
    });
    assert_eq!(*log.borrow(), ["a", "b", "c"]);
}

#[test]
fn intervals_repeat_until_cleared_and_refresh_restarts_the_countdown() {
    let count = Rc::new(RefCell::new(0));
    let c = Rc::clone(&count);
    let started = Rc::new(RefCell::new(0u64));
    let fired_at = Rc::new(RefCell::new(0u64));
    let (s2, f2) = (Rc::clone(&started), Rc::clone(&fired_at));
    nd::run(move || {
        let handle: Rc<RefCell<Option<nd::Timeout>>> = Rc::new(RefCell::new(None));
        let h = Rc::clone(&handle);
        let t = nd::set_interval(2, move || {
            *c.borrow_mut() += 1;
            if *c.borrow() == 5 {
                h.borrow().as_ref().unwrap().clear();
            }
        });
        *handle.borrow_mut() = Some(t);
        // refresh: a 30 ms timeout refreshed after 20 ms fires ~50 ms after the start.
        *s2.borrow_mut() = nd::now();
        let f3 = Rc::clone(&f2);
        let t = nd::set_timeout(30, move || *f3.borrow_mut() = nd::now());
        nd::set_timeout(20, move || {
            t.refresh();
        });
    });
    assert_eq!(*count.borrow(), 5);
    assert!(
        *fired_at.borrow() >= *started.borrow() + 50,
        "refresh restarted the countdown"
    );
}

#[test]
fn delays_outside_node_range_become_one_ms() {
    assert_eq!(nd::coerce_delay(0), 1);
    assert_eq!(nd::coerce_delay(1), 1);
    assert_eq!(nd::coerce_delay(nd::TIMEOUT_MAX), nd::TIMEOUT_MAX);
    assert_eq!(nd::coerce_delay(nd::TIMEOUT_MAX + 1), 1);
}
