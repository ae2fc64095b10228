//! Differential test of `nodestd-events` against live node: random scripts of emitter
//! operations (on/once/prepend/off/removeAll/emit/setMaxListeners and queries), with
//! listeners that log their calls and add, remove or emit re-entrantly, run by
//! `node/events_driver.js` and by the Rust interpreter below; the logs must agree line by
//! line.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use nodestd_conformance::node::{quick, require_node, run_driver};
use nodestd_conformance::rng::Rng;
use nodestd_events::{
    EventEmitter, EventName, Listener, ListenerChange, ListenerId, Named, NewListener,
    RemoveListener, error_monitor, set_default_max_listeners, set_warning_hook,
};
use serde_json::{Value, json};

/// Listeners per script.
const LISTENERS: usize = 8;
/// Listener actions per script (as the driver's `ACTIONS`), to bound the fan-out.
const ACTIONS: u32 = 200;
const USER_EVENTS: &[&str] = &["a", "b", "c", "0", "7", "error", "@monitor"];

fn any_event(rng: &mut Rng) -> &'static str {
    match rng.below(10) {
        0 => "newListener",
        1 => "removeListener",
        _ => USER_EVENTS[rng.below(USER_EVENTS.len())],
    }
}

/// An op's (event, listener) pair.
fn add_target(rng: &mut Rng) -> (&'static str, usize) {
    (any_event(rng), rng.below(LISTENERS))
}

fn gen_op(rng: &mut Rng, emits: &mut i64) -> Value {
    let r = rng.below(100);
    let add = |rng: &mut Rng, name: &str| {
        let (ev, i) = add_target(rng);
        json!([name, ev, i])
    };
    match r {
        0..=21 => add(rng, "on"),
        22..=31 => add(rng, "once"),
        32..=38 => add(rng, "prepend"),
        39..=44 => add(rng, "prependOnce"),
        45..=56 => {
            let (ev, i) = add_target(rng);
            json!(["off", ev, i])
        }
        57..=59 => {
            if rng.chance(1, 3) {
                json!(["removeAll"])
            } else {
                json!(["removeAll", any_event(rng)])
            }
        }
        60..=79 => {
            *emits += 1;
            json!(["emit", *rng.pick(USER_EVENTS), *emits])
        }
        80..=83 => json!(["setMax", *rng.pick(&[0, 1, 2, 3, 5, 10])]),
        84 => json!(["setDefault", *rng.pick(&[0, 1, 2, 4, 10])]),
        85 => json!(["getMax"]),
        86..=88 => json!(["count", any_event(rng)]),
        89..=90 => {
            let (ev, i) = add_target(rng);
            json!(["countOf", ev, i])
        }
        91..=93 => json!(["listeners", any_event(rng)]),
        94..=96 => json!(["raw", any_event(rng)]),
        _ => json!(["names"]),
    }
}

/// A script of `ops` top-level ops.
fn gen_script(rng: &mut Rng, ops: usize) -> Value {
    let mut emits = 0;
    let acts: Vec<Value> = (0..LISTENERS)
        .map(|_| {
            let n = rng.below(4);
            let v: Vec<Value> = (0..n)
                .map(|_| {
                    if rng.chance(1, 2) {
                        Value::Null
                    } else {
                        gen_op(rng, &mut emits)
                    }
                })
                .collect();
            Value::Array(v)
        })
        .collect();
    let ops: Vec<Value> = (0..ops).map(|_| gen_op(rng, &mut emits)).collect();
    json!({"acts": acts, "ops": ops})
}

thread_local! {
    /// The running script's log (warnings arrive through a process-wide hook).
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn log(line: String) {
    LOG.with(|l| l.borrow_mut().push(line));
}

struct Interp {
    em: EventEmitter,
    acts: Vec<Vec<Value>>,
    calls: RefCell<Vec<usize>>,
    depth: Cell<u32>,
    budget: Cell<u32>,
    user: Vec<Listener<i64>>,
    meta: Vec<Listener<ListenerChange>>,
    ids: HashMap<ListenerId, usize>,
}

fn is_meta(ev: &str) -> bool {
    ev == "newListener" || ev == "removeListener"
}

fn name(ev: &str) -> EventName {
    if ev == "@monitor" {
        error_monitor().into()
    } else {
        EventName::from(ev)
    }
}

impl Interp {
    fn new(script: &Value) -> Rc<Interp> {
        let acts: Vec<Vec<Value>> = script["acts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_array().unwrap().clone())
            .collect();
        Rc::new_cyclic(|weak: &Weak<Interp>| {
            let mut ids = HashMap::new();
            let user: Vec<Listener<i64>> = (0..acts.len())
                .map(|i| {
                    let w = weak.clone();
                    Listener::new(move |n: &i64| {
                        if let Some(it) = w.upgrade() {
                            it.called(i, n.to_string());
                        }
                    })
                })
                .collect();
            let meta: Vec<Listener<ListenerChange>> = (0..acts.len())
                .map(|i| {
                    let w = weak.clone();
                    Listener::new(move |c: &ListenerChange| {
                        if let Some(it) = w.upgrade() {
                            let args = format!("{},{}", c.event, it.fmt_change(c));
                            it.called(i, args);
                        }
                    })
                })
                .collect();
            for (i, l) in user.iter().enumerate() {
                ids.insert(l.id(), i);
            }
            for (i, l) in meta.iter().enumerate() {
                ids.insert(l.id(), i);
            }
            Interp {
                em: EventEmitter::new(),
                calls: RefCell::new(vec![0; acts.len()]),
                acts,
                depth: Cell::new(0),
                budget: Cell::new(ACTIONS),
                user,
                meta,
                ids,
            }
        })
    }

    fn fmt_id(&self, id: ListenerId) -> String {
        format!("L{}", self.ids[&id])
    }

    fn fmt_change(&self, c: &ListenerChange) -> String {
        let l = self.fmt_id(c.listener);
        if c.wrapper.is_some() {
            format!("w{l}")
        } else {
            l
        }
    }

    fn called(&self, i: usize, args: String) {
        let k = {
            let mut calls = self.calls.borrow_mut();
            calls[i] += 1;
            calls[i] - 1
        };
        log(format!("L{i}({args})"));
        let acts = &self.acts[i];
        let act = if acts.is_empty() {
            &Value::Null
        } else {
            &acts[k % acts.len()]
        };
        if let Some(op) = act.as_array() {
            if self.depth.get() < 3 && self.budget.get() > 0 {
                self.budget.set(self.budget.get() - 1);
                self.depth.set(self.depth.get() + 1);
                self.run(op);
                self.depth.set(self.depth.get() - 1);
            }
        }
    }

    fn run(&self, op: &[Value]) {
        let o = op[0].as_str().unwrap();
        let ev = op.get(1).and_then(Value::as_str).unwrap_or("");
        let idx = || op[2].as_u64().unwrap() as usize;
        let em = &self.em;
        match o {
            "on" | "once" | "prepend" | "prependOnce" => {
                let i = idx();
                if is_meta(ev) {
                    let l = &self.meta[i];
                    match (o, ev) {
                        ("on", "newListener") => em.on_with(NewListener, l),
                        ("on", _) => em.on_with(RemoveListener, l),
                        ("once", "newListener") => em.once_with(NewListener, l),
                        ("once", _) => em.once_with(RemoveListener, l),
                        ("prepend", "newListener") => em.prepend_listener_with(NewListener, l),
                        ("prepend", _) => em.prepend_listener_with(RemoveListener, l),
                        (_, "newListener") => em.prepend_once_listener_with(NewListener, l),
                        _ => em.prepend_once_listener_with(RemoveListener, l),
                    };
                } else {
                    let l = &self.user[i];
                    let e = Named::<i64>::new(name(ev));
                    match o {
                        "on" => em.on_with(e, l),
                        "once" => em.once_with(e, l),
                        "prepend" => em.prepend_listener_with(e, l),
                        _ => em.prepend_once_listener_with(e, l),
                    };
                }
            }
            "off" => em.off(name(ev), self.id_of(ev, idx())),
            "removeAll" => {
                if op.len() == 1 {
                    em.remove_all_listeners(None::<EventName>);
                } else {
                    em.remove_all_listeners(Some(name(ev)));
                }
            }
            "emit" => {
                let n = op[2].as_i64().unwrap();
                let r = match em.emit(Named::<i64>::new(name(ev)), n) {
                    Ok(b) => b.to_string(),
                    Err(e) => format!("unhandled {}: {}", e.code(), e),
                };
                log(format!("emit {ev} {r}"));
            }
            "setMax" => {
                em.set_max_listeners(op[1].as_u64().unwrap() as usize);
            }
            "setDefault" => set_default_max_listeners(op[1].as_u64().unwrap() as usize),
            "getMax" => log(format!("max {}", em.get_max_listeners())),
            "count" => log(format!("count {ev} {}", em.listener_count(name(ev)))),
            "countOf" => {
                let i = idx();
                let n = em.listener_count_of(name(ev), self.id_of(ev, i));
                log(format!("countOf {ev} L{i} {n}"));
            }
            "listeners" => {
                let ids: Vec<String> = em
                    .listener_ids(name(ev))
                    .into_iter()
                    .map(|id| self.fmt_id(id))
                    .collect();
                log(format!("listeners {ev} {}", ids.join(" ")));
            }
            "raw" => {
                let ids: Vec<String> = if is_meta(ev) {
                    em.raw_listeners(Named::<ListenerChange>::new(ev))
                        .iter()
                        .map(|r| self.fmt_raw(r.listener().id(), r.is_once()))
                        .collect()
                } else {
                    em.raw_listeners(Named::<i64>::new(name(ev)))
                        .iter()
                        .map(|r| self.fmt_raw(r.listener().id(), r.is_once()))
                        .collect()
                };
                log(format!("raw {ev} {}", ids.join(" ")));
            }
            "names" => log(format!("names {}", self.names())),
            other => panic!("unknown op {other}"),
        }
    }

    fn fmt_raw(&self, id: ListenerId, once: bool) -> String {
        let l = self.fmt_id(id);
        if once { format!("w{l}") } else { l }
    }

    fn id_of(&self, ev: &str, i: usize) -> ListenerId {
        if is_meta(ev) {
            self.meta[i].id()
        } else {
            self.user[i].id()
        }
    }

    fn names(&self) -> String {
        let names: Vec<String> = self
            .em
            .event_names()
            .iter()
            .map(ToString::to_string)
            .collect();
        names.join(" ")
    }
}

fn run_rust(script: &Value) -> Vec<String> {
    LOG.with(|l| l.borrow_mut().clear());
    set_default_max_listeners(10);
    let it = Interp::new(script);
    for op in script["ops"].as_array().unwrap() {
        it.run(op.as_array().unwrap());
    }
    log(format!("end {}", it.names()));
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

#[test]
fn events_scripts_match_node() {
    if !require_node("events_scripts_match_node") {
        return;
    }
    let seed = Rng::seed_from_env();
    let mut rng = Rng::new(seed);
    let scripts_n = if quick() { 300 } else { 600 };
    let scripts: Vec<Value> = (0..scripts_n)
        .map(|_| {
            let ops = 10 + rng.below(70);
            gen_script(&mut rng, ops)
        })
        .collect();
    let total_ops: usize = scripts
        .iter()
        .map(|s| s["ops"].as_array().unwrap().len())
        .sum();
    assert!(total_ops >= 10_000, "only {total_ops} ops");
    let input: String = scripts.iter().map(|s| format!("{s}\n")).collect();
    // To replay by hand: EVENTS_DUMP=/tmp/scripts.jsonl, then `node events_driver.js <dump`.
    if let Ok(path) = std::env::var("EVENTS_DUMP") {
        std::fs::write(path, &input).expect("write EVENTS_DUMP");
    }
    let out = run_driver("events_driver.js", &[], &input);
    let node_logs: Vec<Vec<String>> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("driver output"))
        .collect();
    assert_eq!(
        node_logs.len(),
        scripts.len(),
        "driver answered every script"
    );

    let previous = set_warning_hook(Some(Arc::new(|w| log(format!("warn {w}")))));
    let mut lines = 0;
    for (n, (script, expected)) in scripts.iter().zip(&node_logs).enumerate() {
        let got = run_rust(script);
        lines += expected.len();
        if let Some(i) = (0..expected.len().max(got.len())).find(|&i| got.get(i) != expected.get(i))
        {
            set_warning_hook(previous);
            let from = i.saturating_sub(12);
            panic!(
                "NODESTD_SEED={seed}: script #{n} differs at log line {i}\nscript: {script}\n\
                 node: {:#?}\nrust: {:#?}",
                &expected[from..expected.len().min(i + 3)],
                &got[from..got.len().min(i + 3)],
            );
        }
    }
    set_warning_hook(previous);
    eprintln!(
        "events differential: seed {seed}, {} scripts, {total_ops} top-level ops, {lines} log lines agree",
        scripts.len()
    );
}
