// send(message, socket, { keepOpen: true }) against node: the parent's socket is not destroyed
// by the send nor at the child's ACK, the child serves the connection (handle_child.js, or
// CHILD, the fork-child example, through execPath) and the parent's socket, still reading,
// sees the connection end. Record with: node keep_open.js > keep_open.expected
'use strict';
const net = require('net');
const path = require('path');
const { fork } = require('child_process');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const child = process.env.CHILD
  ? fork('module.js', [], { execPath: process.env.CHILD })
  : fork(path.join(__dirname, 'handle_child.js'));
const got = new Promise((r) => child.once('message', r));
let parentEnd;
const server = net.createServer((sock) => {
  parentEnd = new Promise((r) => sock.on('end', () => r('end')));
  child.send({ n: 'keep' }, sock, { keepOpen: true });
  log('destroyed after send', sock.destroyed);
  got.then(() => log('destroyed at ack', sock.destroyed));
});
server.listen(0, '127.0.0.1', async () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  let d = '';
  c.on('data', (x) => { d += x; });
  const answer = new Promise((r) => c.on('end', () => r(d)));
  log('message', await got);
  log('answer from child', (await answer) === `child ${child.pid}\n`);
  log('parent socket', await parentEnd);
  server.close();
  child.on('exit', (code, sig) => log('exit', code, sig));
  child.send({ cmd: 'disconnect' });
});
