//! Listeners that call back into their emitter — adding, removing, emitting, emptying it —
//! from inside `emit`, `newListener` and `removeListener`: none of it may hit a `RefCell`
//! borrow panic, and each emit still sees the list it started with.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_events::{EventEmitter, ListenerChange, Named, NewListener, RemoveListener};

fn x() -> Named<u32> {
    Named::new("x")
}

#[test]
fn listeners_reenter_every_method() {
    let e = EventEmitter::new();
    let calls = Rc::new(Cell::new(0));
    let weak = e.downgrade();
    let c = calls.clone();
    e.on(x(), move |n| {
        c.set(c.get() + 1);
        let em = weak.upgrade().unwrap();
        let c2 = c.clone();
        let id = em.once(x(), move |_| c2.set(c2.get() + 100));
        em.prepend_listener(x(), |_| {});
        em.set_max_listeners(2);
        let _ = em.listeners(x());
        let _ = em.raw_listeners(x());
        let _ = em.event_names();
        if *n < 3 {
            em.emit(x(), n + 1).unwrap();
        }
        em.off("x", id);
        if *n == 0 {
            em.remove_all_listeners(Some("x"));
        }
    });
    let previous = nodestd_events::set_warning_hook(Some(std::sync::Arc::new(|_| {})));
    assert_eq!(e.emit(x(), 0), Ok(true));
    nodestd_events::set_warning_hook(previous);
    // The emits nested in the first call (n = 1, 2, 3) each ran the original listener; the
    // once listeners they added were removed by `off` before any emit reached them except
    // the nested ones.
    assert!(calls.get() >= 4);
    assert_eq!(e.listener_count("x"), 0);
}

#[test]
fn meta_listeners_reenter() {
    let e = EventEmitter::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (weak, l) = (e.downgrade(), log.clone());
    e.on(NewListener, move |c: &ListenerChange| {
        l.borrow_mut().push(format!("new {}", c.event));
        let em = weak.upgrade().unwrap();
        if c.event == "a" {
            // Adding from inside newListener: this add is reported (and done) first.
            em.on(Named::<()>::new("b"), |_| {});
        }
    });
    let (weak, l) = (e.downgrade(), log.clone());
    e.on(RemoveListener, move |c: &ListenerChange| {
        l.borrow_mut().push(format!("removed {}", c.event));
        let em = weak.upgrade().unwrap();
        em.emit(Named::<()>::new("b"), ()).unwrap();
        em.off("b", c.listener);
    });
    e.on(Named::<()>::new("a"), |_| {});
    assert_eq!(e.event_names(), ["newListener", "removeListener", "b", "a"]);
    e.remove_all_listeners(None::<&str>);
    assert!(e.event_names().is_empty());
    let log = log.borrow();
    assert_eq!(log[..3], ["new removeListener", "new a", "new b"]);
    assert!(log.iter().any(|l| l == "removed a"));
}

#[test]
fn dropping_the_last_handle_inside_a_listener_is_fine() {
    let e = EventEmitter::new();
    let slot = Rc::new(RefCell::new(Some(e.clone())));
    let s = slot.clone();
    e.on(x(), move |_| {
        // Drop the stored handle while the emitter is emitting.
        s.borrow_mut().take();
    });
    assert_eq!(e.emit(x(), 1), Ok(true));
    assert!(slot.borrow().is_none());
}
