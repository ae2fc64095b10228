//! Node's `EventEmitter` contract, case by case; every expected value was printed by node
//! v20 running the same steps (the JavaScript is quoted above each test).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::{Arc, Mutex};

use nodestd_events::{
    EventEmitter, EventName, Listener, ListenerChange, ListenerId, Named, NewListener,
    RemoveListener, error_monitor, set_warning_hook,
};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, s: impl Into<String>) {
    log.borrow_mut().push(s.into());
}

fn ev(name: &str) -> Named<()> {
    Named::new(name)
}

/// ```js
/// const b = () => log.push('b');
/// e.on('x', () => { log.push('a'); e.on('x', () => log.push('c')); e.off('x', b) });
/// e.on('x', b); e.emit('x'); e.emit('x');   // a,b,a,c
/// ```
#[test]
fn an_emit_works_on_a_copy_of_the_list() {
    let e = EventEmitter::new();
    let out = log();
    let b = Listener::new({
        let out = out.clone();
        move |_: &()| push(&out, "b")
    });
    let (o, em, bid) = (out.clone(), e.clone(), b.id());
    e.on(ev("x"), move |_| {
        push(&o, "a");
        let o2 = o.clone();
        em.on(ev("x"), move |_| push(&o2, "c"));
        em.off("x", bid);
    });
    e.on_with(ev("x"), &b);
    e.emit(ev("x"), ()).unwrap();
    e.emit(ev("x"), ()).unwrap();
    assert_eq!(*out.borrow(), ["a", "b", "a", "c"]);
    e.remove_all_listeners(None::<&str>);
}

/// ```js
/// e.on('removeListener', (t, l) => log.push(t + ':' + name(l)));
/// e.on('a', f1); e.once('a', f2); e.on('b', f3); e.on('a', f3);
/// e.removeAllListeners();   // a:f3,a:wf2,a:f1,b:f3 — and no event names left
/// ```
#[test]
fn remove_all_listeners_reports_each_removal_lifo() {
    let e = EventEmitter::new();
    let out = log();
    let names: Rc<RefCell<HashMap<ListenerId, &str>>> = Rc::default();
    let (o, n) = (out.clone(), names.clone());
    e.on(RemoveListener, move |c: &ListenerChange| {
        let name = n.borrow().get(&c.listener).copied().unwrap_or("rl");
        let w = if c.wrapper.is_some() { "w" } else { "" };
        push(&o, format!("{}:{w}{name}", c.event));
    });
    let f1 = e.on(ev("a"), |_| {});
    let f2 = e.once(ev("a"), |_| {});
    let f3 = Listener::new(|_: &()| {});
    e.on_with(ev("b"), &f3);
    e.on_with(ev("a"), &f3);
    names
        .borrow_mut()
        .extend([(f1, "f1"), (f2, "f2"), (f3.id(), "f3")]);
    e.remove_all_listeners(None::<&str>);
    assert_eq!(*out.borrow(), ["a:f3", "a:wf2", "a:f1", "b:f3"]);
    assert!(e.event_names().is_empty());
}

/// ```js
/// e.on('x', () => { log.push('outer'); if (depth++ < 1) e.emit('x') });
/// e.once('x', () => log.push('once')); e.emit('x');   // outer,outer,once
/// ```
#[test]
fn a_once_listener_fires_once_across_nested_emits() {
    let e = EventEmitter::new();
    let out = log();
    let depth = Rc::new(std::cell::Cell::new(0));
    let (o, em, d) = (out.clone(), e.downgrade(), depth.clone());
    e.on(ev("x"), move |_| {
        push(&o, "outer");
        d.set(d.get() + 1);
        if d.get() <= 1 {
            em.upgrade().unwrap().emit(ev("x"), ()).unwrap();
        }
    });
    let o = out.clone();
    e.once(ev("x"), move |_| push(&o, "once"));
    e.emit(ev("x"), ()).unwrap();
    assert_eq!(*out.borrow(), ["outer", "outer", "once"]);
}

/// ```js
/// e.setMaxListeners(1); const g = () => {};
/// e.on('y', g); e.on('y', () => {}); e.on('y', () => {});   // warns once
/// e.off('y', g); e.off('y', e.listeners('y')[0]); e.on('y', () => {});   // warns again
/// ```
/// The `warned` flag lives on the listener array, so a list that shrank to one listener
/// warns again when it grows.
#[test]
fn the_leak_warning_is_once_per_list() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let s = seen.clone();
    let tag = format!("y{:p}", &seen);
    let t = tag.clone();
    let previous = set_warning_hook(Some(Arc::new(move |w| {
        if w.event == t {
            s.lock().unwrap().push(w.message.clone());
        }
    })));
    let e = EventEmitter::new();
    e.set_max_listeners(1);
    let y = || Named::<()>::new(tag.as_str());
    let g = e.on(y(), |_| {});
    e.on(y(), |_| {});
    e.on(y(), |_| {});
    e.off(tag.as_str(), g);
    let first = e.listener_ids(tag.as_str())[0];
    e.off(tag.as_str(), first);
    e.on(y(), |_| {});
    set_warning_hook(previous);
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[0],
        format!(
            "Possible EventEmitter memory leak detected. 2 {tag} listeners added to \
             [EventEmitter]. MaxListeners is 1. Use emitter.setMaxListeners() to increase limit"
        )
    );
}

/// ```js
/// e.on(errorMonitor, x => log.push('mon ' + x)); e.on('error', x => log.push('err ' + x));
/// e.emit('error', 1);   // mon 1,err 1; eventNames: error,Symbol(events.errorMonitor)
/// ```
#[test]
fn error_monitor_runs_first_and_does_not_handle() {
    let e = EventEmitter::new();
    let out = log();
    let o = out.clone();
    e.on(Named::<i32>::error_monitor(), move |x| {
        push(&o, format!("mon {x}"))
    });
    let err = e.emit(Named::<i32>::error(), 1).unwrap_err();
    assert_eq!(err.code(), "ERR_UNHANDLED_ERROR");
    let o = out.clone();
    e.on(Named::<i32>::error(), move |x| push(&o, format!("err {x}")));
    assert_eq!(e.emit(Named::<i32>::error(), 1), Ok(true));
    assert_eq!(*out.borrow(), ["mon 1", "mon 1", "err 1"]);
    let names: Vec<String> = e.event_names().iter().map(ToString::to_string).collect();
    assert_eq!(names, ["error", "Symbol(events.errorMonitor)"]);
    assert_eq!(
        e.event_names()[1],
        EventName::from(error_monitor()),
        "the symbol itself"
    );
}

/// ```js
/// e.on('newListener', (t, l) => log.push(t + ':' + e.listenerCount(t) + ':' + (l === f1)));
/// e.once('z', f1);   // z:0:true
/// ```
#[test]
fn new_listener_comes_before_the_add_with_the_unwrapped_listener() {
    let e = EventEmitter::new();
    let out = log();
    let f1 = Listener::new(|_: &()| {});
    let (o, em, id) = (out.clone(), e.downgrade(), f1.id());
    e.on(NewListener, move |c: &ListenerChange| {
        let n = em.upgrade().unwrap().listener_count(c.event.clone());
        push(&o, format!("{}:{n}:{}", c.event, c.listener == id));
    });
    e.once_with(ev("z"), &f1);
    assert_eq!(*out.borrow(), ["z:0:true"]);
}

/// `emitter.off` removes the most recently added instance; a once-wrapper matches by the
/// listener inside it, and `listeners` unwraps while `rawListeners` does not.
#[test]
fn off_removes_the_last_instance() {
    let e = EventEmitter::new();
    let l = Listener::new(|_: &u8| {});
    let x = || Named::<u8>::new("x");
    e.on_with(x(), &l);
    let other = e.on(x(), |_| {});
    e.once_with(x(), &l);
    assert_eq!(e.listener_count_of("x", l.id()), 2);
    let raw = e.raw_listeners(x());
    assert_eq!(raw.len(), 3);
    assert!(raw[2].is_once() && raw[2].id() != l.id());
    e.off("x", l.id());
    assert_eq!(e.listener_ids("x"), [l.id(), other]);
    assert!(e.raw_listeners(x()).iter().all(|r| !r.is_once()));
    // Removing by the once-wrapper's own id works too.
    e.once_with(x(), &l);
    let wrapper = e.raw_listeners(x())[2].id();
    e.off("x", wrapper);
    assert_eq!(e.listener_count("x"), 2);
    e.off("x", wrapper); // gone: no-op
    e.off("nothing", l.id());
    assert_eq!(e.listener_count("x"), 2);
}

/// Listeners of another payload type under the same name are skipped by an emit, but count.
#[test]
fn payload_types_are_kept_apart() {
    let e = EventEmitter::new();
    let out = log();
    let o = out.clone();
    e.on(Named::<u8>::new("x"), move |n| push(&o, format!("u8 {n}")));
    let o = out.clone();
    e.on(Named::<String>::new("x"), move |s| {
        push(&o, format!("str {s}"))
    });
    let o = out.clone();
    e.on("x", move |any: &Box<dyn std::any::Any>| {
        push(&o, format!("any {:?}", any.downcast_ref::<u8>()))
    });
    assert_eq!(e.emit(Named::<u8>::new("x"), 1), Ok(true));
    assert_eq!(e.emit(Named::<String>::new("x"), "s".into()), Ok(true));
    assert_eq!(
        e.emit("x", Box::new(2u8) as Box<dyn std::any::Any>),
        Ok(true)
    );
    assert_eq!(*out.borrow(), ["u8 1", "str s", "any Some(2)"]);
    assert_eq!(e.listener_count("x"), 3);
    assert_eq!(e.listeners(Named::<u8>::new("x")).len(), 1);
}

/// `setMaxListeners(0)` disables the warning; `getMaxListeners` follows the default until
/// set.
#[test]
fn max_listeners() {
    let e = EventEmitter::new();
    assert_eq!(e.get_max_listeners(), 10);
    e.set_max_listeners(0).set_max_listeners(0);
    assert_eq!(e.get_max_listeners(), 0);
    for _ in 0..50 {
        e.on(ev("many"), |_| {});
    }
    assert_eq!(e.listener_count("many"), 50);
}

/// ```js
/// for (const n of ['b', '2', Symbol('s'), '1', 'a', '01', '4294967295', '4294967294'])
///   e.on(n, f);
/// e.eventNames()   // ['1','2','4294967294','b','a','01','4294967295',Symbol(s)]
/// ```
#[test]
fn event_names_in_node_key_order() {
    let e = EventEmitter::new();
    let s = nodestd_events::Symbol::new("s");
    for n in ["b", "2"] {
        e.on(ev(n), |_| {});
    }
    e.on(Named::<()>::symbol(s.clone()), |_| {});
    for n in ["1", "a", "01", "4294967295", "4294967294"] {
        e.on(ev(n), |_| {});
    }
    let names: Vec<String> = e.event_names().iter().map(ToString::to_string).collect();
    assert_eq!(
        names,
        [
            "1",
            "2",
            "4294967294",
            "b",
            "a",
            "01",
            "4294967295",
            "Symbol(s)"
        ]
    );
}

/// An `error` with no listener returns `Err`, and the emitter keeps working.
#[test]
fn unhandled_errors_carry_the_payload() {
    let e = EventEmitter::new();
    let err = e
        .emit(
            Named::<std::io::ErrorKind>::error(),
            std::io::ErrorKind::NotFound,
        )
        .unwrap_err();
    assert!(err.message().starts_with("Unhandled error. ("));
    assert_eq!(
        err.downcast::<std::io::ErrorKind>().ok(),
        Some(std::io::ErrorKind::NotFound)
    );
    let err = e.emit(Named::<()>::error(), ()).unwrap_err();
    assert_eq!(err.to_string(), "Unhandled error. (undefined)");
    assert_eq!(e.emit(ev("fine"), ()), Ok(false));
}
