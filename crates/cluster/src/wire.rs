//! Node's `lib/internal/cluster/utils.js`: every cluster message is an internal message
//! `{"cmd":"NODE_CLUSTER", ...fields, "seq":N}` on the fork channel; a reply carries
//! `"ack": seq` and goes to the callback its request registered, everything else to the
//! side's message handler.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use nodestd_child_process::fork::{Handle, ProcessChannel, SendHandle};
use nodestd_child_process::json::{Object, Value};
use nodestd_child_process::spawn::ChildProcess;

/// A reply callback (`callbacks.get(message.ack)`).
pub(crate) type Reply = Box<dyn FnOnce(&Value, Option<&Handle>)>;

thread_local! {
    static SEQ: Cell<u64> = const { Cell::new(0) };
    static CALLBACKS: RefCell<HashMap<u64, Reply>> = RefCell::new(HashMap::new());
}

/// The other end: a worker's process (primary side) or the primary (worker side).
pub(crate) enum Peer<'a> {
    Child(&'a ChildProcess),
    Parent(&'a ProcessChannel),
}

/// `sendHelper(proc, message, handle, cb)`: false when the channel is closed.
pub(crate) fn send(
    peer: Peer<'_>,
    fields: &[(&str, Value)],
    handle: Option<SendHandle>,
    cb: Option<Reply>,
) -> bool {
    let connected = match peer {
        Peer::Child(c) => c.connected(),
        Peer::Parent(p) => p.connected(),
    };
    if !connected {
        return false;
    }
    let seq = SEQ.with(|s| s.replace(s.get() + 1));
    let mut o = Object::new();
    o.insert("cmd", Value::string("NODE_CLUSTER"));
    for (k, v) in fields {
        o.insert(k, v.clone());
    }
    o.insert("seq", Value::Number(seq as f64));
    if let Some(cb) = cb {
        CALLBACKS.with(|c| c.borrow_mut().insert(seq, cb));
    }
    let msg = Value::Object(o);
    match (peer, handle) {
        (Peer::Child(c), h) => c.send_with(&msg, h),
        (Peer::Parent(p), Some(h)) => p.send_handle(&msg, h),
        (Peer::Parent(p), None) => p.send(&msg),
    }
}

/// `internal(worker, cb)`: a `NODE_CLUSTER` message's reply callback if it acknowledges one,
/// else `None` (it is for the side's own handler).
pub(crate) fn take_reply(message: &Value) -> Option<Reply> {
    let ack = message.get("ack")?.as_f64()?;
    CALLBACKS.with(|c| c.borrow_mut().remove(&(ack as u64)))
}

/// Whether `message` is cluster's (`cmd === 'NODE_CLUSTER'`).
pub(crate) fn is_cluster(message: &Value) -> bool {
    message.get("cmd").and_then(Value::as_str).as_deref() == Some("NODE_CLUSTER")
}

/// `message.act`.
pub(crate) fn act(message: &Value) -> String {
    message
        .get("act")
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// A number field, as an integer.
pub(crate) fn int(message: &Value, key: &str) -> Option<i64> {
    message.get(key).and_then(Value::as_f64).map(|n| n as i64)
}

/// A string field.
pub(crate) fn string(message: &Value, key: &str) -> Option<String> {
    message.get(key).and_then(Value::as_str)
}
