// Writes one message line of 200 MiB (never ended) on the channel after a good message.
'use strict';
const fs = require('fs');
// node takes NODE_CHANNEL_FD out of process.env at startup; the open channel knows its fd.
const fd = process.channel.fd;
process.channel.unref();
const chunk = Buffer.alloc(1 << 20, 0x61);
fs.writeSync(fd, '{"ok":1}\n"');
// The fd is non-blocking: writes may be partial or fail with EAGAIN; 200 MiB go out in full
// unless the reader closes the channel (EPIPE).
let left = 200 << 20;
let off = 0;
while (left > 0) {
  try {
    const n = fs.writeSync(fd, chunk, off, Math.min(chunk.length - off, left));
    left -= n;
    off = (off + n) % chunk.length;
  } catch (e) {
    if (e.code !== 'EAGAIN') break;
  }
}
process.exit(0);
