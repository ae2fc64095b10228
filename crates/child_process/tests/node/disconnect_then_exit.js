// On 'go': disconnects, then exits 5 half a second later (the parent's stdin may end between).
'use strict';
process.on('message', (m) => {
  if (m === 'go') {
    process.disconnect();
    setTimeout(() => process.exit(5), 500);
  } else {
    process.send(m);
  }
});
