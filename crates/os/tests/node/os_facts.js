// os_facts.js: the oracle for crates/os/tests/os_node.rs. Prints one JSON object with the
// values of node's os module that the test compares (cpu times and load are compared with a
// tolerance there; the rest exactly).
'use strict';
const os = require('os');
const attempt = (f) => {
  try {
    const v = f();
    return { ok: v === undefined ? null : v };
  } catch (e) {
    return { err: { code: e.code, errno: e.errno, syscall: e.syscall, message: e.message, info: e.info } };
  }
};
const ui = os.userInfo();
console.log(JSON.stringify({
  cpus: os.cpus(),
  availableParallelism: os.availableParallelism(),
  totalmem: os.totalmem(),
  freemem: os.freemem(),
  loadavg: os.loadavg(),
  uptime: os.uptime(),
  hostname: os.hostname(),
  homedir: os.homedir(),
  tmpdir: os.tmpdir(),
  userInfo: ui,
  type: os.type(),
  release: os.release(),
  version: os.version(),
  machine: os.machine(),
  arch: os.arch(),
  platform: os.platform(),
  endianness: os.endianness(),
  EOL: os.EOL,
  devNull: os.devNull,
  networkInterfaces: os.networkInterfaces(),
  getPriority: os.getPriority(),
  getPriorityMissing: attempt(() => os.getPriority(2147483646)),
  setPriorityMissing: attempt(() => os.setPriority(2147483646, 0)),
  setPriorityHigh: attempt(() => os.setPriority(0, 20)),
  setPriorityLow: attempt(() => os.setPriority(0, -21)),
  constants: os.constants,
}));
