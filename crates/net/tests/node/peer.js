// The node side of tests/net_node_interop.rs: `node peer.js server MODE [PATH]` prints the
// port (or path) it listens on and serves one connection; `node peer.js client MODE PORT|PATH`
// connects. Each prints one line of results at the end.
//
// Modes: echo (writes back what it reads), big (allowHalfOpen: sends N bytes of the
// pattern i % 251 with backpressure, ends, and checks what it receives against the pattern;
// it reads nothing until it has sent all), halfopen (client:
// write, end, report what arrives after), reset (server: RST on the first data), hangup
// (server: destroy at once), destroy (client: destroy after the first 64 KiB), epipe
// (client: after the peer's end, write until the write fails).
'use strict';
const net = require('net');
const [role, mode, where, sizeArg] = process.argv.slice(2);
const N = Number(sizeArg || 16 * 1024 * 1024);

function checker() {
  let pos = 0, bad = 0;
  return {
    feed(d) { for (let i = 0; i < d.length; i++, pos++) if (d[i] !== pos % 251) bad++; },
    get pos() { return pos; },
    get bad() { return bad; },
  };
}

function sendPattern(sock, n, done) {
  let pos = 0;
  const chunk = 64 * 1024;
  function pump() {
    while (pos < n) {
      const len = Math.min(chunk, n - pos);
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = (pos + i) % 251;
      pos += len;
      if (!sock.write(b)) { sock.once('drain', pump); return; }
    }
    done();
  }
  pump();
}

// Reads nothing until it has sent all it sends, so that the peer's writes meet a full
// socket (the kernel holds far less than 16 MiB) and must wait for 'drain'.
function bigExchange(sock) {
  const c = checker();
  sock.pause();
  sock.on('data', (d) => c.feed(d));
  sock.on('end', () => console.log(`received ${c.pos} bad ${c.bad}`));
  sendPattern(sock, N, () => { sock.end(); sock.resume(); });
}

function errLine(e) {
  return JSON.stringify({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall });
}

function serve(sock, server) {
  sock.on('close', () => server.close());
  if (mode === 'echo') {
    sock.pipe(sock);
  } else if (mode === 'big') {
    bigExchange(sock);
  } else if (mode === 'reset') {
    sock.on('data', () => sock.resetAndDestroy());
  } else if (mode === 'hangup') {
    sock.destroy();
  }
}

if (role === 'server') {
  const server = net.createServer({ allowHalfOpen: mode === 'big' }, (s) => serve(s, server));
  const target = where ? where : { port: 0, host: '127.0.0.1' };
  server.listen(target, () => {
    const a = server.address();
    console.log(typeof a === 'string' ? a : a.port);
  });
} else {
  const target = /^\d+$/.test(where) ? { port: Number(where), host: '127.0.0.1' } : { path: where };
  const opts = Object.assign({ allowHalfOpen: ['epipe', 'halfopen', 'big'].includes(mode) }, target);
  const sock = net.connect(opts);
  if (mode === 'echo') {
    let got = '';
    sock.on('data', (d) => { got += d; });
    sock.on('end', () => console.log(`echo ${got}`));
    sock.end('hello from node');
  } else if (mode === 'big') {
    bigExchange(sock);
  } else if (mode === 'halfopen') {
    let after = '';
    sock.on('data', (d) => { after += d; });
    sock.on('end', () => console.log(`after end: ${JSON.stringify(after)}`));
    sock.end('x');
  } else if (mode === 'destroy') {
    let n = 0;
    sock.on('data', (d) => { n += d.length; if (n >= 65536) sock.destroy(); });
  } else if (mode === 'reset') {
    sock.on('error', (e) => console.log(errLine(e)));
    sock.write('boom');
  } else if (mode === 'epipe') {
    sock.on('error', (e) => console.log(errLine(e)));
    sock.on('end', () => {
      const again = () => { if (!sock.destroyed) sock.write(Buffer.alloc(1024), () => setImmediate(again)); };
      again();
    });
  }
}
