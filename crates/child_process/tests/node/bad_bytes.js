// Writes bytes that are not Node's IPC on the channel fd, then a partial line, and exits.
'use strict';
const fs = require('fs');
// node takes NODE_CHANNEL_FD out of process.env at startup; the open channel knows its fd.
const fd = process.channel.fd;
process.channel.unref();
fs.writeSync(fd, process.argv[2] === 'partial' ? '{"ok":1}\n{"cut' : '{"ok":1}\nnot json\n');
setTimeout(() => process.exit(0), 200);
