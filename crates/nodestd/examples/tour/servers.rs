//! The tour's server sections: an http server answering nodestd's own http client (beside
//! node's lines for the same program), and a cluster of two workers sharing one port.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use nodestd::http::{self, Agent, AgentChoice, AgentOptions, IncomingMessage, RequestOptions};
use nodestd::stream::Chunk;
use nodestd::timers;
use nodestd::util::{self, Value};
use nodestd_cluster as cluster;

use super::{node, section};

/// The http section in JavaScript: the same server, the same two requests, the same lines.
const HTTP_JS: &str = r#"
const http = require('http');
const server = http.createServer((req, res) => {
  if (req.method === 'GET') {
    res.setHeader('Content-Type', 'text/plain');
    res.end('hello world');
    return;
  }
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    res.writeHead(201, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ got: body, bytes: Buffer.byteLength(body) }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const agent = new http.Agent({ keepAlive: true });
  const opts = { host: '127.0.0.1', port: server.address().port, agent };
  const show = (label, res, then) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (c) => (body += c));
    res.on('end', () => {
      console.log(`${label} -> ${res.statusCode} ${res.statusMessage}`);
      console.log(res.headers);
      console.log(body);
      then();
    });
  };
  http.get({ ...opts, path: '/' }, (res) => show('GET /', res, () => {
    const req = http.request({ ...opts, method: 'POST', path: '/echo' }, (res) =>
      show("POST /echo 'name=nodestd&lang=rust'", res, () => {
        agent.destroy();
        server.close();
      }));
    req.end('name=nodestd&lang=rust');
  }));
});
"#;

/// `res.headers` as a value `util.inspect` shows (`set-cookie` is an array).
fn headers_value(res: &IncomingMessage) -> Value {
    Value::object(res.headers().entries().iter().map(|(k, v)| {
        let v = match v {
            http::HeaderValue::Str(s) => Value::from(s.as_str()),
            http::HeaderValue::List(l) => Value::array(l.iter().map(|s| Value::from(s.as_str()))),
        };
        (k.clone(), v)
    }))
}

/// The `Date` header's value is the time of the run: masked before our lines and node's are
/// compared.
fn mask_date(line: &str) -> String {
    match line.find("date: '") {
        Some(i) => match line[i + 7..].find('\'') {
            Some(j) => format!("{}date: '…'{}", &line[..i], &line[i + 7 + j + 1..]),
            None => line.to_string(),
        },
        None => line.to_string(),
    }
}

/// Reads a response's body, then prints it as the JavaScript twin's `show` does.
fn show(
    lines: &Rc<RefCell<Vec<String>>>,
    label: String,
    res: &IncomingMessage,
    then: impl Fn() + 'static,
) {
    let body = Rc::new(RefCell::new(Vec::new()));
    let b = Rc::clone(&body);
    res.body()
        .on_data(move |c: &Chunk| b.borrow_mut().extend_from_slice(c.as_bytes()));
    let (lines, res2) = (Rc::clone(lines), res.clone());
    res.body().on_end(move || {
        let mut l = lines.borrow_mut();
        l.push(format!(
            "{label} -> {} {}",
            res2.status_code(),
            res2.status_message()
        ));
        l.extend(
            util::inspect(&headers_value(&res2))
                .lines()
                .map(str::to_string),
        );
        l.push(String::from_utf8_lossy(&body.borrow()).into_owned());
        drop(l);
        then();
    });
}

/// Section: `http.createServer` answering `http.get` and `http.request` (a POST with a body).
pub fn http_section() {
    let took = section(
        "http: a server answering nodestd's own client",
        "createServer on 127.0.0.1:0; a GET and a POST with a body through a keep-alive Agent; \
         status, res.headers as console.log shows them, body; node's lines beside ours",
    );
    let lines: Rc<RefCell<Vec<String>>> = Rc::default();
    let out = Rc::clone(&lines);
    let exit = timers::run(move || {
        let server = http::create_server(Default::default(), |req, res| {
            if req.method() == "GET" {
                res.set_header("Content-Type", "text/plain");
                res.end(b"hello world");
                return;
            }
            let body = Rc::new(RefCell::new(Vec::new()));
            let b = Rc::clone(&body);
            req.body()
                .on_data(move |c: &Chunk| b.borrow_mut().extend_from_slice(c.as_bytes()));
            req.body().on_end(move || {
                let got = String::from_utf8_lossy(&body.borrow()).into_owned();
                let bytes = got.len() as u32;
                // JSON.stringify through util.format's %j.
                let json = util::format(&[
                    "%j".into(),
                    Value::object([("got", Value::from(got)), ("bytes", Value::from(bytes))]),
                ]);
                res.write_head(201, &[("Content-Type", "application/json")]);
                res.end(json.as_bytes());
            });
        });
        let srv = server.clone();
        server
            .listen(0, Some("127.0.0.1"), move || {
                let agent = Agent::new(AgentOptions {
                    keep_alive: true,
                    ..Default::default()
                });
                let opts = RequestOptions {
                    host: Some("127.0.0.1".into()),
                    port: srv.port(),
                    agent: AgentChoice::Agent(agent.clone()),
                    ..Default::default()
                };
                let (o, srv, post_opts) = (Rc::clone(&out), srv.clone(), opts.clone());
                http::get(opts, move |res| {
                    let (o2, srv, agent, post_opts) =
                        (Rc::clone(&o), srv.clone(), agent.clone(), post_opts.clone());
                    show(&o, "GET /".into(), res, move || {
                        let (o3, srv, agent) = (Rc::clone(&o2), srv.clone(), agent.clone());
                        let req = http::request(
                            RequestOptions {
                                method: "POST".into(),
                                path: "/echo".into(),
                                ..post_opts.clone()
                            },
                            move |res| {
                                let (srv, agent) = (srv.clone(), agent.clone());
                                show(
                                    &o3,
                                    "POST /echo 'name=nodestd&lang=rust'".into(),
                                    res,
                                    move || {
                                        agent.destroy();
                                        srv.close(|| {});
                                    },
                                );
                            },
                        );
                        req.end_with("name=nodestd&lang=rust");
                    });
                });
            })
            .expect("listen on 127.0.0.1:0");
    });
    let ours = lines.take();
    match node(HTTP_JS) {
        Ok(out) => {
            let theirs: Vec<&str> = out.lines().collect();
            let mut same = ours.len() == theirs.len();
            for i in 0..ours.len().max(theirs.len()) {
                let a = ours.get(i).map_or(String::new(), |l| mask_date(l));
                let b = theirs.get(i).map_or(String::new(), |l| mask_date(l));
                if a == b {
                    println!("   {}", ours.get(i).map_or("", String::as_str));
                } else {
                    same = false;
                    println!("   {a}\n     node: {b}");
                }
            }
            println!("\n   node's program prints the same lines (Date aside): {same}");
        }
        Err(why) => {
            for l in &ours {
                println!("   {l}");
            }
            println!("\n   (node's lines are missing: {why})");
        }
    }
    println!("   the loop ended: exit code {}", exit.code());
    drop(took);
}

/// How many requests the cluster section sends, each on a new connection.
const CLUSTER_REQUESTS: u32 = 4;

/// Section: `cluster.fork()` twice; the workers share 127.0.0.1:PORT and answer in turn.
pub fn cluster_section() {
    let took = section(
        "cluster: two workers share one port",
        "the primary forks this program twice; in the copies cluster.isPrimary is false and they \
         serve (see cluster_worker); round-robin hands each new connection to the next worker",
    );
    let exit = timers::run(|| {
        cluster::emitter().on(cluster::ClusterOnline, |w| {
            println!(
                "   'online' worker {} (pid {})",
                w.id(),
                w.process().pid().unwrap_or(0)
            );
        });
        let listening = Rc::new(Cell::new(0));
        cluster::emitter().on(cluster::ClusterListening, move |(w, addr)| {
            println!(
                "   'listening' worker {} on {}:{}",
                w.id(),
                addr.address.as_deref().unwrap_or("*"),
                addr.port
            );
            listening.set(listening.get() + 1);
            if listening.get() == 2 {
                ask(addr.port, 1);
            }
        });
        cluster::emitter().on(cluster::ClusterExit, |(w, code, signal)| {
            let code = code.map_or("null".to_string(), |c| c.to_string());
            println!(
                "   'exit' worker {} code {code} signal {}",
                w.id(),
                signal.unwrap_or("null")
            );
        });
        cluster::fork(&[]);
        cluster::fork(&[]);
    });
    println!("   the loop ended: exit code {}", exit.code());
    drop(took);
}

/// Request `i` of [`CLUSTER_REQUESTS`] on a connection of its own (`agent: false`), then the
/// next; after the last, `cluster.disconnect()`: the workers close their servers and exit.
fn ask(port: u16, i: u32) {
    if i > CLUSTER_REQUESTS {
        cluster::disconnect(None);
        return;
    }
    let opts = RequestOptions {
        host: Some("127.0.0.1".into()),
        port: Some(port),
        agent: AgentChoice::None,
        ..Default::default()
    };
    let req = http::get(opts, move |res| {
        let body = Rc::new(RefCell::new(Vec::new()));
        let b = Rc::clone(&body);
        res.body()
            .on_data(move |c: &Chunk| b.borrow_mut().extend_from_slice(c.as_bytes()));
        let status = res.status_code();
        res.body().on_end(move || {
            println!(
                "   GET / #{i} -> {status} {}",
                String::from_utf8_lossy(&body.borrow())
            );
            ask(port, i + 1);
        });
    });
    req.on_error(|e| {
        println!("   request failed: {e}");
        cluster::disconnect(None);
    });
}

/// The worker's side (`cluster.isPrimary` false: the program was forked by
/// [`cluster_section`]): an http server on 127.0.0.1:0, which the primary turns into the
/// shared port, answering with its id; it ends when the primary disconnects it.
pub fn cluster_worker() -> i32 {
    let exit = timers::run(|| {
        let Some(me) = cluster::worker() else {
            eprintln!("tour: NODE_UNIQUE_ID is set but there is no channel to a primary");
            timers::exit(1);
            return;
        };
        let id = me.id();
        let server = http::create_server(Default::default(), move |_req, res| {
            res.set_header("Content-Type", "text/plain");
            res.end(format!("hello from worker {id} (pid {})", std::process::id()).as_bytes());
        });
        let h = server.clone();
        cluster::set_close(server.net(), move |done| h.close(done));
        server
            .listen(0, Some("127.0.0.1"), || {})
            .expect("listen through the primary");
    });
    exit.code()
}
