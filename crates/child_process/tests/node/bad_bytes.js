// Writes bytes that are not Node's IPC on the channel fd, then a partial line, and exits.
'use strict';
const fs = require('fs');
// node takes NODE_CHANNEL_FD out of process.env at startup; the open channel knows its fd.
// With 'fd3' as the second argument it writes to fd 3, where Node's fork puts the channel.
const fd = process.argv[3] === 'fd3' ? 3 : process.channel.fd;
process.channel.unref();
fs.writeSync(fd, process.argv[2] === 'partial' ? '{"ok":1}\n{"cut' : '{"ok":1}\nnot json\n');
setTimeout(() => process.exit(0), 200);
