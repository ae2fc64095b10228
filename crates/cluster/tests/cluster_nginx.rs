//! nginx in front of two `cluster-hello` primaries (the way to scale past one machine; the
//! README shows the config): nginx (Debian's package, which `.ci/run` installs) is started on
//! loopback with a generated config; requests reach both primaries, and stopping one under
//! load loses at most its in-flight requests (nginx passes the rest to the other).

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use common::ours;

/// nginx's binary: on PATH or in Debian's /usr/sbin.
fn nginx_bin() -> PathBuf {
    for p in ["/usr/sbin/nginx", "/usr/bin/nginx"] {
        if Path::new(p).exists() {
            return p.into();
        }
    }
    "nginx".into()
}

/// The config: one upstream of both primaries, retried on errors (what README shows).
fn config(dir: &Path, listen: u16, a: u16, b: u16) -> String {
    let d = dir.display();
    format!(
        "worker_processes 1;\ndaemon off;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 1024; }}\n\
         http {{\n  access_log off;\n  client_body_temp_path {d}/body;\n  proxy_temp_path {d}/proxy;\n  \
         fastcgi_temp_path {d}/fastcgi;\n  uwsgi_temp_path {d}/uwsgi;\n  scgi_temp_path {d}/scgi;\n  \
         upstream hello {{\n    server 127.0.0.1:{a} max_fails=1 fail_timeout=10s;\n    \
         server 127.0.0.1:{b} max_fails=1 fail_timeout=10s;\n    keepalive 32;\n  }}\n  \
         server {{\n    listen 127.0.0.1:{listen};\n    location / {{\n      proxy_pass http://hello;\n      \
         proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n      \
         proxy_next_upstream error timeout http_502;\n      add_header X-Upstream $upstream_addr always;\n    }}\n  }}\n}}\n"
    )
}

struct Nginx(Child);

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `GET /` through nginx: the status and the upstream that answered.
fn get_upstream(port: u16) -> Result<(u16, String), String> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).map_err(|e| e.to_string())?;
    let code = raw
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("bad reply {raw:?}"))?;
    let upstream = raw
        .lines()
        .find_map(|l| l.strip_prefix("X-Upstream: "))
        .unwrap_or("")
        .to_owned();
    Ok((code, upstream))
}

#[test]
fn nginx_in_front_of_two_primaries() {
    let mut a = ours(&["--workers", "2"]);
    let b = ours(&["--workers", "2"]);
    let dir = std::env::temp_dir().join(format!("nodestd-nginx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    std::fs::write(dir.join("nginx.conf"), config(&dir, port, a.port, b.port)).unwrap();
    let child = Command::new(nginx_bin())
        .arg("-p")
        .arg(&dir)
        .arg("-c")
        .arg(dir.join("nginx.conf"))
        .arg("-e")
        .arg(dir.join("error.log"))
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("nginx must be installed (Debian's nginx-light; .ci/run installs it)");
    let _nginx = Nginx(child);
    let end = Instant::now() + Duration::from_secs(5);
    while get_upstream(port).is_err() {
        assert!(Instant::now() < end, "nginx did not start");
        thread::sleep(Duration::from_millis(50));
    }
    // Both primaries are reached.
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let (code, up) = get_upstream(port).unwrap();
        assert_eq!(code, 200);
        seen.insert(up);
    }
    let want: std::collections::BTreeSet<String> = [a.port, b.port]
        .iter()
        .map(|p| format!("127.0.0.1:{p}"))
        .collect();
    assert_eq!(seen, want, "requests reach both primaries");
    // Stopping one under load loses at most its in-flight requests.
    let stop = Arc::new(AtomicBool::new(false));
    let (ok, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    const CLIENTS: usize = 4;
    let threads: Vec<_> = (0..CLIENTS)
        .map(|_| {
            let (stop, ok, failed) = (Arc::clone(&stop), Arc::clone(&ok), Arc::clone(&failed));
            thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match get_upstream(port) {
                        Ok((200, _)) => ok.fetch_add(1, Ordering::Relaxed),
                        _ => failed.fetch_add(1, Ordering::Relaxed),
                    };
                }
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(500));
    a.signal("TERM");
    assert_eq!(a.wait_exit(Duration::from_secs(10)), Some(0));
    thread::sleep(Duration::from_millis(700));
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().unwrap();
    }
    let (ok, failed) = (ok.load(Ordering::Relaxed), failed.load(Ordering::Relaxed));
    println!("through nginx, one primary stopped under load: {ok} served, {failed} failed");
    assert!(failed <= CLIENTS, "{failed} failed");
    assert!(ok > 100);
    // Afterwards everything goes to the other primary.
    for _ in 0..10 {
        let (code, up) = get_upstream(port).unwrap();
        assert_eq!((code, up), (200, format!("127.0.0.1:{}", b.port)));
    }
    let _ = std::fs::remove_dir_all(&dir);
}
