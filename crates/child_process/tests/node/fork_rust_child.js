// Forks CHILD (the fork-child example) through execPath, or without CHILD node running
// fork_child.js, and prints what happens: the echo of
// several messages, disconnect from the child's side, exit 0 once nothing keeps it alive; and
// a child without listeners that sends one message and ends by itself.
// Record with: node fork_rust_child.js > fork_rust_child.expected
'use strict';
const { fork } = require('child_process');
const log = (...a) => console.log(a.map((x) => JSON.stringify(x)).join(' '));
const run = (args, msgs, done) => {
  const c = process.env.CHILD
    ? fork('module.js', args, { execPath: process.env.CHILD })
    : fork(require('path').join(__dirname, 'fork_child.js'), args);
  c.on('message', (m) => log(args[0] || 'echo', 'message', m));
  c.on('disconnect', () => log(args[0] || 'echo', 'disconnect'));
  c.on('exit', (code, sig) => log(args[0] || 'echo', 'exit', code, sig));
  c.on('close', () => done());
  for (const m of msgs) c.send(m);
};
run([], [{ b: 1, 0: '\ud800' }, [null, 1.5], 'x', { cmd: 'NODE_x' }, { cmd: 'disconnect' }], () =>
  run(['hello', 'a b'], [], () => log('done')));
