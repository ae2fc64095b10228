//! Property test: no sequence of emitter operations — at top level or re-entrantly from
//! listeners — panics, and the emitter's answers stay consistent with each other.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd_events::{
    EventEmitter, EventName, Listener, ListenerChange, Named, NewListener, RemoveListener,
    error_monitor, set_default_max_listeners,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    On(u8, u8),
    Once(u8, u8),
    Prepend(u8, u8),
    PrependOnce(u8, u8),
    Off(u8, u8),
    RemoveAll(Option<u8>),
    Emit(u8),
    SetMax(u8),
    SetDefault(u8),
}

const NAMES: &[&str] = &[
    "a",
    "b",
    "0",
    "error",
    "newListener",
    "removeListener",
    "@monitor",
];

fn name(i: u8) -> EventName {
    match NAMES[i as usize % NAMES.len()] {
        "@monitor" => error_monitor().into(),
        n => EventName::from(n),
    }
}

fn is_meta(i: u8) -> bool {
    matches!(
        NAMES[i as usize % NAMES.len()],
        "newListener" | "removeListener"
    )
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (any::<u8>(), any::<u8>()).prop_map(|(e, l)| Op::On(e, l)),
        (any::<u8>(), any::<u8>()).prop_map(|(e, l)| Op::Once(e, l)),
        (any::<u8>(), any::<u8>()).prop_map(|(e, l)| Op::Prepend(e, l)),
        (any::<u8>(), any::<u8>()).prop_map(|(e, l)| Op::PrependOnce(e, l)),
        (any::<u8>(), any::<u8>()).prop_map(|(e, l)| Op::Off(e, l)),
        proptest::option::of(any::<u8>()).prop_map(Op::RemoveAll),
        any::<u8>().prop_map(Op::Emit),
        (0u8..4).prop_map(Op::SetMax),
        (0u8..4).prop_map(Op::SetDefault),
    ]
}

struct World {
    em: EventEmitter,
    user: Vec<Listener<u32>>,
    meta: Vec<Listener<ListenerChange>>,
    acts: Vec<Vec<Op>>,
    budget: Cell<u32>,
    calls: RefCell<Vec<usize>>,
}

impl World {
    fn run(&self, op: &Op) {
        let em = &self.em;
        let l = |i: u8| i as usize % self.user.len();
        match *op {
            Op::On(e, i) | Op::Once(e, i) | Op::Prepend(e, i) | Op::PrependOnce(e, i) => {
                let kind = match op {
                    Op::On(..) => 0,
                    Op::Once(..) => 1,
                    Op::Prepend(..) => 2,
                    _ => 3,
                };
                if is_meta(e) {
                    let li = &self.meta[l(i)];
                    let ev = Named::<ListenerChange>::new(name(e));
                    match kind {
                        0 => em.on_with(ev, li),
                        1 => em.once_with(ev, li),
                        2 => em.prepend_listener_with(ev, li),
                        _ => em.prepend_once_listener_with(ev, li),
                    };
                } else {
                    let li = &self.user[l(i)];
                    let ev = Named::<u32>::new(name(e));
                    match kind {
                        0 => em.on_with(ev, li),
                        1 => em.once_with(ev, li),
                        2 => em.prepend_listener_with(ev, li),
                        _ => em.prepend_once_listener_with(ev, li),
                    };
                }
            }
            Op::Off(e, i) => {
                let id = if is_meta(e) {
                    self.meta[l(i)].id()
                } else {
                    self.user[l(i)].id()
                };
                em.off(name(e), id);
            }
            Op::RemoveAll(e) => {
                em.remove_all_listeners(e.map(name));
            }
            Op::Emit(e) => {
                if is_meta(e) {
                    let change = ListenerChange {
                        event: name(0),
                        listener: self.user[0].id(),
                        wrapper: None,
                    };
                    let _ = if NAMES[e as usize % NAMES.len()] == "newListener" {
                        em.emit(NewListener, change)
                    } else {
                        em.emit(RemoveListener, change)
                    };
                } else {
                    let _ = em.emit(Named::<u32>::new(name(e)), u32::from(e));
                }
            }
            Op::SetMax(n) => {
                em.set_max_listeners(n as usize);
            }
            Op::SetDefault(n) => set_default_max_listeners(n as usize),
        }
        // Consistency after every op.
        for n in em.event_names() {
            let count = em.listener_count(n.clone());
            assert!(count > 0, "{n} listed without listeners");
            assert_eq!(em.listener_ids(n.clone()).len(), count);
        }
    }

    fn called(&self, i: usize) {
        let k = {
            let mut calls = self.calls.borrow_mut();
            calls[i] += 1;
            calls[i]
        };
        if self.budget.get() == 0 || self.acts[i].is_empty() {
            return;
        }
        self.budget.set(self.budget.get() - 1);
        let op = self.acts[i][k % self.acts[i].len()].clone();
        self.run(&op);
    }
}

fn world(acts: Vec<Vec<Op>>) -> Rc<World> {
    Rc::new_cyclic(|w: &std::rc::Weak<World>| {
        let user = (0..acts.len())
            .map(|i| {
                let w = w.clone();
                Listener::new(move |_: &u32| {
                    if let Some(w) = w.upgrade() {
                        w.called(i)
                    }
                })
            })
            .collect();
        let meta = (0..acts.len())
            .map(|i| {
                let w = w.clone();
                Listener::new(move |_: &ListenerChange| {
                    if let Some(w) = w.upgrade() {
                        w.called(i)
                    }
                })
            })
            .collect();
        World {
            em: EventEmitter::new(),
            user,
            meta,
            calls: RefCell::new(vec![0; acts.len()]),
            acts,
            budget: Cell::new(100),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_op_sequence_panics(
        acts in proptest::collection::vec(proptest::collection::vec(op(), 0..3), 1..6),
        ops in proptest::collection::vec(op(), 0..60),
    ) {
        let previous = nodestd_events::set_warning_hook(Some(std::sync::Arc::new(|_| {})));
        set_default_max_listeners(10);
        let w = world(acts);
        for op in &ops {
            w.run(op);
        }
        // Finished (Node did not throw): nothing is left, whatever listeners added meanwhile.
        let finished = w.em.remove_all_listeners(None::<&str>);
        prop_assert!(!finished || w.em.event_names().is_empty());
        nodestd_events::set_warning_hook(previous);
    }
}
