// The node child of the cp-fork-ipc workload: sends each message back.
'use strict';
process.on('message', (m) => process.send(m));
