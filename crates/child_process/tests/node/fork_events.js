// fork's parent side: forks ipc_child.js (or, with CHILD set, that binary through execPath),
// sends messages, and prints the events. Record with: node fork_events.js > fork_events.expected
'use strict';
const { fork } = require('child_process');
const path = require('path');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
process.env.IPC_TEST = 'set in the parent';
const opts = {};
if (process.env.CHILD) opts.execPath = process.env.CHILD;
const child = fork(path.join(__dirname, 'ipc_child.js'), ['a', 'b c'], opts);
let next = 0; let inOrder = true;
child.on('spawn', () => log('spawn', child.connected));
child.on('message', (m) => {
  if (m && typeof m.i === 'number') { if (m.i !== next++) inOrder = false; return; }
  log('message', m);
  if (m && m.done !== undefined) {
    log('burst', next, inOrder);
    child.send({ cmd: 'exit', code: 5 });
  }
});
child.on('disconnect', () => log('disconnect', child.connected));
child.on('exit', (code, sig) => log('exit', code, sig));
child.on('close', (code, sig) => {
  log('close', code, sig);
  log('send after close', child.connected);
});
for (const m of [{ b: 1, 1: '\ud800' }, [1, 'x', null], 'str', { cmd: 'NODE_internal' }, { cmd: 'argv' }, { cmd: 'burst', n: 1000 }]) child.send(m);
