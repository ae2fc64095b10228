// Handles both ways between node and a forked child: CHILD (the fork-child example, through
// execPath) or, without CHILD, node running handle_child.js. A server and a socket sent to the
// child are served there; a server and a socket the child sends are served here.
// Record with: node handles.js > handles.expected
'use strict';
const net = require('net');
const { fork } = require('child_process');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const child = process.env.CHILD
  ? fork('module.js', [], { execPath: process.env.CHILD })
  : fork(require('path').join(__dirname, 'handle_child.js'));
const inbox = [];
let waiting = null;
child.on('message', (m, h) => {
  inbox.push([m, h]);
  if (waiting) { const w = waiting; waiting = null; w(); }
});
const next = () => new Promise((r) => {
  if (inbox.length) r(inbox.shift());
  else waiting = () => r(inbox.shift());
});
const readAll = (s) => new Promise((r) => { let d = ''; s.on('data', (c) => { d += c; }); s.on('end', () => r(d)); });
const listen = (srv) => new Promise((r) => srv.listen(0, '127.0.0.1', () => r(srv.address().port)));
const fetch = (port) => readAll(net.connect(port, '127.0.0.1'));
(async () => {
  const mark = `child ${child.pid}\n`;
  // 1. a server to the child
  const s1 = net.createServer(() => log('parent served s1'));
  const p1 = await listen(s1);
  child.send({ n: 1 }, s1);
  log('message', (await next())[0]);
  s1.close();
  log('server served by child', (await fetch(p1)) === mark);
  // 2. a socket to the child
  const s2 = net.createServer((sock) => child.send({ n: 2 }, sock));
  const p2 = await listen(s2);
  const [answer, [m2]] = await Promise.all([fetch(p2), next()]);
  log('message', m2);
  log('socket served by child', answer === mark);
  s2.close();
  // 3. a server from the child
  child.send({ cmd: 'sendServer' });
  const [m3, srv] = await next();
  log('message', m3, srv instanceof net.Server);
  srv.on('connection', (s) => s.end('parent\n'));
  child.send({ cmd: 'closeServer' });
  log('message', (await next())[0]);
  log('child server served by parent', (await fetch(srv.address().port)) === 'parent\n');
  srv.close();
  // 4. a socket from the child
  let s4;
  const far = new Promise((r) => { s4 = net.createServer((s) => r(readAll(s))); });
  const p4 = await listen(s4);
  child.send({ cmd: 'sendSocket', port: p4 });
  const [m4, sock] = await next();
  log('message', m4, sock instanceof net.Socket);
  sock.end('parent\n');
  log('child socket written by parent', (await (await far)) === 'parent\n');
  s4.close();
  child.on('exit', (code, sig) => log('exit', code, sig));
  child.send({ cmd: 'disconnect' });
})();
