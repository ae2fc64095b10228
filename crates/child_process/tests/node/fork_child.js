// The fork-child example's behaviour written in node: the reference for fork_rust_child.js.
'use strict';
const args = process.argv.slice(2);
if (args[0] === 'hello') {
  process.send({ hello: args });
} else {
  process.on('message', (m) => {
    if (m && m.cmd === 'disconnect') process.disconnect();
    else process.send(m);
  });
}
