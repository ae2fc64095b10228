// Node's fork puts execArgv (the parent node's own options) before the module: ipc-child
// must still find its arguments after MODULE. Run with CHILD set to the binary under test, or
// unset for node itself running ipc_child.js.
'use strict';
const { fork } = require('child_process');
const path = require('path');

const CHILD = process.env.CHILD;
const execArgv = ['--no-warnings', '-r', '/dev/null', '--title', 'x', '--max-old-space-size=100'];
const opts = { execArgv, env: { ...process.env, IPC_TEST: 'e' } };
if (CHILD) opts.execPath = CHILD;
const child = fork(path.join(__dirname, 'ipc_child.js'), ['a', '--b'], opts);
child.on('message', (m) => { console.log(JSON.stringify(m)); child.disconnect(); });
child.send({ cmd: 'argv' });
