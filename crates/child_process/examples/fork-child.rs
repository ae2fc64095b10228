//! `fork-child`: a child on the loop that Node (or `fork`) forks with `execPath`, using the
//! crate's [`process_channel`](nodestd_child_process::fork::process_channel):
//! - `BIN MODULE hello`: sends `{"hello":[args]}` and adds no listener, so the program ends
//!   once the message is written (the channel does not keep the loop alive by itself);
//! - `BIN MODULE`: echoes each message; `{"cmd":"disconnect"}` closes the channel, after
//!   which nothing keeps the loop alive and the program exits 0.

use nodestd_child_process::fork::process_channel;
use nodestd_child_process::json::{Object, Value};
use nodestd_loop as nd;

fn main() {
    let exit = nd::run(|| {
        let Some(ch) = process_channel() else {
            eprintln!("fork-child: no NODE_CHANNEL_FD");
            nd::exit(1);
            return;
        };
        let args: Vec<Value> = std::env::args()
            .skip(2)
            .map(|a| Value::string(&a))
            .collect();
        if args.first().and_then(Value::as_str).as_deref() == Some("hello") {
            let mut o = Object::new();
            o.insert("hello", Value::Array(args));
            ch.send(&Value::Object(o));
            return;
        }
        let c = ch.clone();
        ch.on_message(move |m| {
            if m.get("cmd").and_then(Value::as_str).as_deref() == Some("disconnect") {
                c.disconnect();
            } else {
                c.send(m);
            }
        });
    });
    std::process::exit(exit.code());
}
