// Drives a child forked with fork(MODULE, args, { execPath: CHILD }) through issue 15's
// ipc-child contract and prints one line per observation. Run with CHILD set to the binary
// under test; the same script with CHILD unset forks ipc_child.js (node itself), so the two
// outputs can be compared line for line (except the pids, printed as PID).
'use strict';
const { fork } = require('child_process');
const net = require('net');
const path = require('path');

const CHILD = process.env.CHILD;
const opts = { env: { ...process.env, IPC_TEST: 'hello env' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] };
if (CHILD) opts.execPath = CHILD;
const child = fork(path.join(__dirname, 'ipc_child.js'), ['a b', '; rm -rf /', 'ü'], opts);

const out = (s) => console.log(s);
const queue = [];
child.on('message', (m) => { const w = queue.shift(); w(m); });
const next = () => new Promise((r) => queue.push(r));
const ask = (m, h) => { child.send(m, h); return next(); };

const deep = (n) => { let v = []; for (let i = 0; i < n; i++) v = [v]; return v; };
const shapes = [
  null, true, false, 0, -1, 1.5, 1e21, 1e-7, 'str', '', '\ud800', 'a\udc00b', '😀', '\u0000\u001f"\\',
  [], {}, [1, [2, [3]]], { b: 1, a: 2, 2: 'x', 1: 'y', '': null, __proto__x: 1 },
  { cmd: 'other', v: [1] }, { cmd: 'NODE', v: 1 }, deep(600),
];

(async () => {
  child.on('spawn', () => out('spawn'));
  for (const s of shapes) {
    const got = await ask(s);
    out(`echo ${JSON.stringify(s) === JSON.stringify(got) ? 'same' : 'DIFFERENT ' + JSON.stringify(got).slice(0, 80)}`);
  }
  const big = 'x'.repeat(16 << 20) + '\ud800';
  const gotBig = await ask({ big });
  out(`big ${gotBig.big === big}`);
  let i = 0; let inOrder = true;
  await new Promise((resolve) => {
    queue.push(function onMsg(m) {
      if ('done' in m) { out(`burst done=${m.done} inOrder=${inOrder && i === 100000}`); return resolve(); }
      if (m.i !== i++) inOrder = false;
      queue.unshift(onMsg);
    });
    child.send({ cmd: 'burst', n: 100000 });
  });
  out(`argv ${JSON.stringify(await ask({ cmd: 'argv' }))}`);

  // A socket handle: the child greets on it and ends it.
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const client = net.connect(srv.address().port, '127.0.0.1');
  let greeting = '';
  client.on('data', (d) => { greeting += d; });
  const ended = new Promise((r) => client.on('end', r));
  const [conn] = await new Promise((r) => srv.once('connection', (...a) => r(a)));
  const gotSocket = await ask({ tag: 'sock' }, conn);
  await ended;
  out(`socket ${JSON.stringify(gotSocket)} greeting=${greeting.replace(/\d+/, 'PID').trim()}`);
  srv.close();

  // A server handle: the child answers each connection.
  const srv2 = net.createServer(() => out('PARENT GOT A CONNECTION'));
  await new Promise((r) => srv2.listen(0, '127.0.0.1', r));
  const port = srv2.address().port;
  const gotServer = await ask({ tag: 'srv' }, srv2);
  srv2.close();
  for (let k = 0; k < 3; k++) {
    const g = await new Promise((r) => {
      let s = '';
      net.connect(port, '127.0.0.1').on('data', (d) => { s += d; }).on('end', () => r(s));
    });
    out(`server ${k} ${g.replace(/\d+/, 'PID').trim()}`);
  }
  out(`server ${JSON.stringify(gotServer)}`);

  const mode = process.argv[2] || 'exit';
  child.on('disconnect', () => out('disconnect'));
  child.on('exit', (code, sig) => out(`exit ${code} ${sig}`));
  child.on('close', (code, sig) => out(`close ${code} ${sig}`));
  if (mode === 'exit') child.send({ cmd: 'exit', code: 7 });
  else if (mode === 'kill') child.kill('SIGTERM');
  else {
    // The child keeps serving after the channel closes (a listening server keeps a Node child
    // alive): it is still there 300 ms later, and SIGKILL ends it.
    child.on('disconnect', () => setTimeout(() => out(`alive ${child.kill('SIGKILL')}`), 300));
    if (mode === 'child-disconnect') child.send({ cmd: 'disconnect' });
    else child.disconnect();
  }
})();
