//! `stream-trace < SCENARIOS.jsonl`: interprets stream event-order scenarios (format:
//! `fixtures/stream-scenarios/README.md`) with nodestd-stream and prints each trace after a
//! `== NAME` line, exactly as `node node/stream_driver.js` does. Scenarios run one after
//! another on one loop: the next starts from the before-exit hook, when the loop is empty.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::rc::Rc;

use nodestd_loop as nd;
use nodestd_stream::{
    Chunk, Duplex, Encoding, Error, Options, Readable, Transform, Writable, finished, pipeline,
};
use serde_json::Value;

thread_local! {
    static OUT: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn log(s: String) {
    OUT.with(|o| o.borrow_mut().push(s));
}

fn latin1(s: &str) -> Chunk {
    Chunk::from(s.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>())
}

fn show(c: &Chunk) -> String {
    match c {
        Chunk::Bytes(b) => {
            serde_json::to_string(&b.iter().map(|&b| b as char).collect::<String>()).unwrap()
        }
        Chunk::Str(s) => serde_json::to_string(s).unwrap(),
    }
}

fn show_err(e: Option<&Error>) -> String {
    match e {
        Some(e) => format!("{} {}", e.code().unwrap_or("-"), e.message()),
        None => "null".into(),
    }
}

fn later(timing: &str, f: impl FnOnce() + 'static) {
    match timing {
        "tick" => nd::next_tick(f),
        "immediate" => {
            nd::set_immediate(f);
        }
        "micro" => nd::queue_microtask(f),
        _ => f(),
    }
}

#[derive(Clone)]
enum S {
    R(Readable),
    W(Writable),
    D(Duplex),
}

macro_rules! each {
    ($s:expr, $x:ident => $e:expr) => {
        match $s {
            S::R($x) => $e,
            S::W($x) => $e,
            S::D($x) => $e,
        }
    };
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn options<R: 'static, W: 'static>(spec: &Value) -> Options<R, W> {
    let mut o = Options::new();
    if let Some(t) = spec["construct"].as_str() {
        let (id, t) = (str_of(&spec["id"]), t.to_owned());
        let fail = spec["construct_fail"] == Value::Bool(true);
        o = o.construct(move |_, cb| {
            log(format!("{id} _construct"));
            later(&t, move || {
                cb.call(fail.then(|| Error::new("construct failed")))
            });
        });
    }
    if let Some(h) = spec["hwm"].as_u64() {
        o = o.high_water_mark(h as usize);
    }
    if spec["object"] == Value::Bool(true) {
        o = o.object_mode(true);
    }
    if spec["emit_close"] == Value::Bool(false) {
        o = o.emit_close(false);
    }
    if spec["auto_destroy"] == Value::Bool(false) {
        o = o.auto_destroy(false);
    }
    if spec["allow_half_open"] == Value::Bool(false) {
        o = o.allow_half_open(false);
    }
    o
}

fn build(spec: &Value) -> S {
    let id = str_of(&spec["id"]);
    let timing = str_of(&spec["timing"]);
    match spec["kind"].as_str() {
        Some(kind @ ("readable" | "duplex")) => {
            let src: Vec<String> = spec["source"]
                .as_array()
                .map(|a| a.iter().map(str_of).collect())
                .unwrap_or_default();
            let error_after = spec["error_after"].as_u64().map(|n| n as usize);
            let source_enc = spec["source_enc"].as_str().map(str::to_owned);
            let i = Cell::new(0usize);
            let read = move |s: &dyn Pushable, n: usize| {
                log(format!("{id} _read {n}"));
                if timing == "manual" {
                    return;
                }
                let k = i.get();
                i.set(k + 1);
                let s = s.boxed();
                if error_after == Some(k) {
                    later(&timing, move || s.fail(Error::new("source failed")));
                    return;
                }
                let item = src.get(k).cloned();
                let enc = source_enc.clone();
                later(&timing, move || push_source(&*s, item, enc));
            };
            // As the driver's `if (spec.encoding)`: an empty name sets nothing.
            let enc = spec["encoding"]
                .as_str()
                .filter(|e| !e.is_empty())
                .and_then(Encoding::parse);
            if kind == "duplex" {
                let (id2, t2) = (str_of(&spec["id"]), str_of(&spec["timing"]));
                let d =
                    Duplex::new_duplex(options(spec).read(move |s: &Duplex, n| read(s, n)).write(
                        move |_, c: Chunk, cb| {
                            log(format!("{id2} _write {}", show(&c)));
                            later(&t2, move || cb.ok());
                        },
                    ));
                if let Some(enc) = enc {
                    d.set_encoding(enc);
                }
                return S::D(d);
            }
            let r = Readable::new_readable(options(spec).read(move |s: &Readable, n| read(s, n)));
            if let Some(enc) = enc {
                r.set_encoding(enc);
            }
            S::R(r)
        }
        Some("writable") => {
            let fail = spec["fail"].as_str().map(str::to_owned);
            let (id2, t2) = (id.clone(), timing.clone());
            let mut o = options(spec).write(move |_, c: Chunk, cb| {
                log(format!("{id2} _write {}", show(&c)));
                let failed = fail
                    .as_deref()
                    .is_some_and(|f| show(&c) == show(&latin1(f)));
                later(&t2, move || {
                    cb.call(failed.then(|| Error::new("write failed")));
                });
            });
            if spec["writev"] == Value::Bool(true) {
                let (id2, t2) = (id.clone(), timing.clone());
                o = o.writev(move |_, cs: Vec<Chunk>, cb| {
                    let shown: Vec<String> = cs.iter().map(show).collect();
                    log(format!("{id2} _writev [{}]", shown.join(",")));
                    later(&t2, move || cb.ok());
                });
            }
            if let Some(ft) = spec["final"].as_str() {
                let (id2, ft) = (id.clone(), ft.to_owned());
                o = o.final_(move |_, cb| {
                    log(format!("{id2} _final"));
                    later(&ft, move || cb.ok());
                });
            }
            S::W(Writable::new_writable(o))
        }
        Some("transform") => {
            let fail = spec["fail"].as_str().map(str::to_owned);
            let (id2, t2) = (id.clone(), timing.clone());
            let mut o = options(spec).transform(move |_, c: Chunk, cb| {
                log(format!("{id2} _transform {}", show(&c)));
                if fail
                    .as_deref()
                    .is_some_and(|f| show(&c) == show(&latin1(f)))
                {
                    later(&t2, move || cb.err(Error::new("transform failed")));
                    return;
                }
                let up = Chunk::from(c.as_bytes().to_ascii_uppercase());
                later(&t2, move || cb.push(up));
            });
            if let Some(fl) = spec["flush"].as_str() {
                let (id2, t2, fl) = (id.clone(), timing.clone(), fl.to_owned());
                o = o.flush(move |_, cb| {
                    log(format!("{id2} _flush"));
                    let c = latin1(&fl);
                    later(&t2, move || cb.push(c));
                });
            }
            S::D(Transform::new_transform(o))
        }
        Some("passthrough") => S::D(Transform::new_transform(options(spec))),
        other => panic!("unknown kind {other:?}"),
    }
}

/// What a source's `_read` and the push ops need of a stream, for readables and duplexes
/// alike.
trait Pushable {
    fn boxed(&self) -> Box<dyn Pushable>;
    fn push_chunk(&self, c: Option<Chunk>) -> bool;
    /// `push(s)` (`enc` `None`) or `push(s, enc)`.
    fn push_str(&self, s: String, enc: Option<&str>) -> Result<bool, Error>;
    /// `unshift(s)` or `unshift(s, enc)`.
    fn unshift_str(&self, s: String, enc: Option<&str>) -> Result<bool, Error>;
    fn set_encoding_name(&self, name: &str) -> Result<(), Error>;
    fn fail(&self, e: Error);
}

impl<W: 'static> Pushable for nodestd_stream::Stream<Chunk, W> {
    fn boxed(&self) -> Box<dyn Pushable> {
        Box::new(self.clone())
    }
    fn push_chunk(&self, c: Option<Chunk>) -> bool {
        self.push(c)
    }
    fn push_str(&self, s: String, enc: Option<&str>) -> Result<bool, Error> {
        match enc {
            None => Ok(self.push(Some(Chunk::Str(s)))),
            Some(enc) => self.push_string(s, enc),
        }
    }
    fn unshift_str(&self, s: String, enc: Option<&str>) -> Result<bool, Error> {
        match enc {
            None => Ok(self.unshift(Chunk::Str(s))),
            Some(enc) => self.unshift_string(s, enc),
        }
    }
    fn set_encoding_name(&self, name: &str) -> Result<(), Error> {
        nodestd_stream::Stream::set_encoding_name(self, name)
    }
    fn fail(&self, e: Error) {
        self.destroy(Some(e));
    }
}

/// A source item: its latin1 bytes, or (with `source_enc`) the string itself, pushed without
/// an encoding argument (`""`) or with `source_enc`.
fn push_source(s: &dyn Pushable, item: Option<String>, enc: Option<String>) {
    match (item, enc) {
        (Some(t), Some(enc)) => {
            let enc = (!enc.is_empty()).then_some(enc.as_str());
            let _ = s.push_str(t, enc);
        }
        (item, _) => {
            s.push_chunk(item.as_deref().map(latin1));
        }
    }
}

/// The readable side of a stream of the scenario (a writable has none).
fn pushable(s: &S) -> Option<&dyn Pushable> {
    match s {
        S::R(x) => Some(x),
        S::D(x) => Some(x),
        S::W(_) => None,
    }
}

type Streams = Rc<HashMap<String, S>>;

fn get(st: &Streams, v: &Value) -> S {
    st.get(v.as_str().unwrap_or_default())
        .cloned()
        .unwrap_or_else(|| panic!("no stream {v}"))
}

fn run_ops(st: &Streams, ops: &Value) {
    for op in ops.as_array().into_iter().flatten() {
        run_op(st, op);
    }
}

fn listen(s: &S, id: String, ev: &str) {
    let ev = ev.to_owned();
    match ev.as_str() {
        "data" => {
            let f = move |c: &Chunk| log(format!("{id} data {}", show(c)));
            match s {
                S::R(x) => {
                    x.on_data(f);
                }
                S::D(x) => {
                    x.on_data(f);
                }
                S::W(_) => {}
            }
        }
        "error" => {
            each!(s, x => { x.on_error(move |e| log(format!("{id} error {}", show_err(Some(e))))); })
        }
        "readable" => each!(s, x => { x.on_readable(move || log(format!("{id} readable"))); }),
        "pipe" => each!(s, x => { x.on_pipe(move |_| log(format!("{id} pipe"))); }),
        "unpipe" => each!(s, x => { x.on_unpipe(move |_| log(format!("{id} unpipe"))); }),
        _ => each!(s, x => {
            let name: &'static str = match ev.as_str() {
                "end" => "end", "close" => "close", "finish" => "finish", "drain" => "drain",
                "prefinish" => "prefinish", "pause" => "pause", "resume" => "resume",
                other => panic!("unknown event {other}"),
            };
            x.emitter().on(nodestd_events::Named::<()>::new(name), move |_| log(format!("{id} {ev}")));
        }),
    }
}

fn state(id: &str, s: &S) -> String {
    let mut parts = vec![format!("{id} state")];
    let flowing = |f: Option<bool>| f.map_or("null".to_owned(), |b| b.to_string());
    match s {
        S::R(x) => parts.extend([
            format!("flowing={}", flowing(x.readable_flowing())),
            format!("rlen={}", x.readable_length()),
            format!("rended={}", x.readable_ended()),
        ]),
        S::D(x) => parts.extend([
            format!("flowing={}", flowing(x.readable_flowing())),
            format!("rlen={}", x.readable_length()),
            format!("rended={}", x.readable_ended()),
        ]),
        S::W(_) => {}
    }
    let w = |len: usize, ended: bool, fin: bool, nd: bool| {
        [
            format!("wlen={len}"),
            format!("wended={ended}"),
            format!("wfinished={fin}"),
            format!("needDrain={nd}"),
        ]
    };
    match s {
        S::W(x) => parts.extend(w(
            x.writable_length(),
            x.writable_ended(),
            x.writable_finished(),
            x.writable_need_drain(),
        )),
        S::D(x) => parts.extend(w(
            x.writable_length(),
            x.writable_ended(),
            x.writable_finished(),
            x.writable_need_drain(),
        )),
        S::R(_) => {}
    }
    parts.push(format!("destroyed={}", each!(s, x => x.destroyed())));
    parts.join(" ")
}

fn opt_chunk(v: &Value) -> Option<Chunk> {
    v.as_str().map(latin1)
}

fn pipe(from: &S, to: &S, end: bool) {
    match (from, to) {
        (S::R(a), S::W(b)) => {
            a.pipe_with(b, end);
        }
        (S::R(a), S::D(b)) => {
            a.pipe_with(b, end);
        }
        (S::D(a), S::W(b)) => {
            a.pipe_with(b, end);
        }
        (S::D(a), S::D(b)) => {
            a.pipe_with(b, end);
        }
        _ => panic!("cannot pipe"),
    }
}

fn run_op(st: &Streams, op: &Value) {
    let Some((k, v)) = op.as_object().and_then(|m| m.iter().next()) else {
        panic!("op must be an object with one key: {op}");
    };
    let st2 = Rc::clone(st);
    let v2 = v.clone();
    match k.as_str() {
        "log" => log(str_of(v)),
        "tick" => nd::next_tick(move || run_ops(&st2, &v2)),
        "micro" => nd::queue_microtask(move || run_ops(&st2, &v2)),
        "immediate" => {
            nd::set_immediate(move || run_ops(&st2, &v2));
        }
        "on" => listen(
            &get(st, &v[0]),
            str_of(&v[0]),
            v[1].as_str().unwrap_or_default(),
        ),
        "on_readable_read" => {
            let id = str_of(v);
            let s = get(st, v);
            let s2 = s.clone();
            each!(&s, x => {
                x.on_readable(move || {
                    log(format!("{id} readable"));
                    loop {
                        let c = match &s2 {
                            S::R(y) => y.read(None),
                            S::D(y) => y.read(None),
                            S::W(_) => None,
                        };
                        let Some(c) = c else { break };
                        log(format!("{id} read {}", show(&c)));
                    }
                });
            });
        }
        "read" => {
            let id = str_of(&v[0]);
            let n = v[1].as_u64().map(|n| n as usize);
            let c = match get(st, &v[0]) {
                S::R(x) => x.read(n),
                S::D(x) => x.read(n),
                S::W(_) => None,
            };
            log(format!(
                "{id} read {}",
                c.map_or("null".into(), |c| show(&c))
            ));
        }
        "write" | "write_cb" => {
            let id = str_of(&v[0]);
            let data = str_of(&v[1]);
            let c = latin1(&data);
            let shown = show(&c);
            let ret = if k == "write" {
                match get(st, &v[0]) {
                    S::W(x) => x.write(c),
                    S::D(x) => x.write(c),
                    S::R(_) => false,
                }
            } else {
                let (id2, shown2) = (id.clone(), shown.clone());
                let cb = move |e: Option<Error>| {
                    log(format!("{id2} write-cb {shown2} {}", show_err(e.as_ref())))
                };
                match get(st, &v[0]) {
                    S::W(x) => x.write_with(c, cb),
                    S::D(x) => x.write_with(c, cb),
                    S::R(_) => false,
                }
            };
            log(format!("{id} write {shown} {ret}"));
        }
        "end" => match (get(st, &v[0]), opt_chunk(&v[1])) {
            (S::W(x), Some(c)) => x.end_with(c),
            (S::D(x), Some(c)) => x.end_with(c),
            (S::W(x), None) => x.end(),
            (S::D(x), None) => x.end(),
            (S::R(_), _) => {}
        },
        "end_cb" => {
            let id = str_of(&v[0]);
            let cb = move |e: Option<Error>| log(format!("{id} end-cb {}", show_err(e.as_ref())));
            match get(st, &v[0]) {
                S::W(x) => x.end_cb(None, cb),
                S::D(x) => x.end_cb(None, cb),
                S::R(_) => {}
            }
        }
        "push" => {
            let id = str_of(&v[0]);
            let s = get(st, &v[0]);
            let ret = pushable(&s).is_some_and(|x| x.push_chunk(opt_chunk(&v[1])));
            log(format!("{id} push {ret}"));
        }
        "push_str" | "unshift_str" => {
            let id = str_of(&v[0]);
            let s = get(st, &v[0]);
            let Some(x) = pushable(&s) else { return };
            let (text, enc) = (str_of(&v[1]), v[2].as_str());
            if k == "push_str" {
                match x.push_str(text, enc) {
                    Ok(ret) => log(format!("{id} push {ret}")),
                    Err(e) => log(format!("{id} push-throw {}", show_err(Some(&e)))),
                }
            } else if let Err(e) = x.unshift_str(text, enc) {
                log(format!("{id} unshift-throw {}", show_err(Some(&e))));
            }
        }
        "unshift" => {
            let c = latin1(&str_of(&v[1]));
            match get(st, &v[0]) {
                S::R(x) => {
                    x.unshift(c);
                }
                S::D(x) => {
                    x.unshift(c);
                }
                S::W(_) => {}
            }
        }
        "resume" => each!(&get(st, v), x => x.resume()),
        "pause" => each!(&get(st, v), x => x.pause()),
        "cork" => each!(&get(st, v), x => x.cork()),
        "uncork" => each!(&get(st, v), x => x.uncork()),
        "pipe" => pipe(&get(st, &v[0]), &get(st, &v[1]), v[2] != Value::Bool(false)),
        "unpipe" => {
            let dest = each!(&get(st, &v[1]), x => x.id());
            each!(&get(st, &v[0]), x => x.unpipe(Some(dest)));
        }
        "destroy" => {
            let err = v[1].as_str().map(Error::new);
            each!(&get(st, &v[0]), x => x.destroy(err));
        }
        "set_encoding" => {
            let s = get(st, &v[0]);
            let name = v[1].as_str().unwrap_or_default();
            if let Some(Err(e)) = pushable(&s).map(|x| x.set_encoding_name(name)) {
                log(format!(
                    "{} set_encoding-throw {}",
                    str_of(&v[0]),
                    show_err(Some(&e))
                ));
            }
        }
        "state" => log(state(&str_of(v), &get(st, v))),
        "finished" => {
            let id = str_of(v);
            each!(&get(st, v), x => finished(x, move |e| log(format!("{id} finished {}", show_err(e.as_ref())))));
        }
        "pipeline" => {
            let stages: Vec<nodestd_stream::Stage> = v
                .as_array()
                .into_iter()
                .flatten()
                .map(|id| match get(st, id) {
                    S::R(x) => nodestd_stream::Stage::readable(&x),
                    S::W(x) => nodestd_stream::Stage::writable(&x),
                    S::D(x) => nodestd_stream::Stage::duplex(&x),
                })
                .collect();
            pipeline(stages, |e| {
                log(format!("pipeline {}", show_err(e.as_ref())))
            });
        }
        other => panic!("unknown op: {other}"),
    }
}

fn run_scenario(sc: &Value) {
    let mut map = HashMap::new();
    for spec in sc["streams"].as_array().into_iter().flatten() {
        map.insert(str_of(&spec["id"]), build(spec));
    }
    let st: Streams = Rc::new(map);
    log(format!("== {}", str_of(&sc["name"])));
    run_ops(&st, &sc["ops"]);
}

fn main() {
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .expect("read stdin");
    let scenarios: Vec<Value> = input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("a JSON scenario per line"))
        .collect();
    let scenarios = Rc::new(scenarios);
    let next = Rc::new(Cell::new(0usize));
    let exit = nd::run(move || {
        let start = {
            let scenarios = Rc::clone(&scenarios);
            let next = Rc::clone(&next);
            move || {
                let i = next.get();
                if scenarios.get(i).is_some() {
                    next.set(i + 1);
                    let scenarios = Rc::clone(&scenarios);
                    nd::set_immediate(move || run_scenario(&scenarios[i]));
                }
            }
        };
        let start = Rc::new(start);
        let s2 = Rc::clone(&start);
        nd::on_before_exit(move || s2());
        start();
    });
    let mut out = std::io::BufWriter::new(std::io::stdout());
    OUT.with(|o| {
        for l in o.borrow().iter() {
            let _ = writeln!(out, "{l}");
        }
    });
    let _ = out.flush();
    if exit.code() != 0 {
        eprintln!("stream-trace: the loop ended with {exit:?}");
    }
    std::process::exit(exit.code());
}
