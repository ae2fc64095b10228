// 'ipc' and stream objects as stdio slots, against node: NODE_CHANNEL_FD names the 'ipc' slot
// at any index (a shell prints it; a node child talks on it), child.stdio[n] is null for it,
// fork with a stdio array, a net.Socket in a slot (the child writes to the connection), and
// what node throws (two 'ipc' slots, fork without one, stdio names it does not take).
// One scenario at a time; record with: node stdio_slots.js > stdio_slots.expected
'use strict';
const cp = require('child_process');
const net = require('net');
const path = require('path');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const thrown = (name, f) => { try { f(); log(name, 'no throw'); } catch (e) { log(name, 'throw', e.code, e.message, e.name); } };
const echo = path.join(__dirname, 'ipc_child.js');
function events(name, c, done) {
  c.on('message', (m) => { log(name, 'message', m); c.disconnect(); });
  c.on('disconnect', () => log(name, 'disconnect'));
  // This side disconnects first: node emits no 'close' then.
  c.on('exit', (code, sig) => { log(name, 'exit', code, sig); done(); });
}
function shell(name, stdio, done) {
  const c = cp.spawn('sh', ['-c', 'echo "$NODE_CHANNEL_FD $NODE_CHANNEL_SERIALIZATION_MODE"'], { stdio });
  log(name, 'stdio', c.stdio.length, c.stdio.map((s) => (s === null ? null : typeof s)), c.connected);
  let out = '';
  const o = c.stdio[1] || c.stdout;
  if (o) o.on('data', (d) => { out += d; });
  c.on('disconnect', () => log(name, 'disconnect'));
  c.on('close', (code, sig) => { log(name, 'close', code, sig, out); done(); });
}
function viaSocket(name, slot, script, done) {
  const server = net.createServer((conn) => {
    let got = '';
    conn.on('data', (d) => { got += d; });
    conn.on('end', () => { log(name, 'server got', got); server.close(); done(); });
  });
  server.listen(0, '127.0.0.1', () => {
    const sock = net.connect(server.address().port, '127.0.0.1', () => {
      const stdio = ['pipe', 'pipe', 'pipe'];
      stdio[slot] = sock;
      const c = cp.spawn('sh', ['-c', script], { stdio });
      log(name, 'stdio', c.stdio.length, c.stdio.map((s) => (s === null ? null : typeof s)), sock.destroyed);
      c.on('close', (code, sig) => { log(name, 'close', code, sig, sock.destroyed); sock.end(); });
    });
  });
}
const scenarios = [
  (done) => shell('ipc3', ['pipe', 'pipe', 'pipe', 'ipc'], done),
  (done) => shell('ipc5', ['pipe', 'pipe', 'pipe', 'ignore', 'ignore', 'ipc'], done),
  (done) => shell('ipc0', ['ipc', 'pipe', 'pipe'], done),
  (done) => { const c = cp.spawn(process.execPath, [echo], { stdio: ['pipe', 'inherit', 'inherit', 'ignore', 'ipc'] });
    log('spawn-node', 'connected', c.connected, c.stdio.length, c.stdio[4]); events('spawn-node', c, done); c.send({ via: 'spawn', fd: 4 }); },
  (done) => { const c = cp.fork(echo, [], { stdio: ['inherit', 'inherit', 'inherit', 'ignore', 'ignore', 'ipc'] });
    log('fork-stdio', 'connected', c.connected, c.stdio.length); events('fork-stdio', c, done); c.send({ via: 'fork', fd: 5 }); },
  (done) => { thrown('two-ipc', () => cp.spawn('true', [], { stdio: ['pipe', 'pipe', 'pipe', 'ipc', 'ipc'] })); done(); },
  (done) => { thrown('fork-no-ipc', () => cp.fork(echo, [], { stdio: ['pipe', 'pipe', 'pipe'] })); done(); },
  (done) => { thrown('name-string', () => cp.spawn('true', [], { stdio: 'foo' })); done(); },
  (done) => { thrown('name-slot', () => cp.spawn('true', [], { stdio: ['pipe', 'foo'] })); done(); },
  (done) => viaSocket('socket3', 3, 'echo to-fd3 >&3', done),
  (done) => viaSocket('socket1', 1, 'echo to-stdout', done),
];
const next = () => { const s = scenarios.shift(); if (s) s(next); };
next();
