// Facts and errors for crates/process/tests/process_info.rs. Reads one JSON object on stdin
// ({umask: [strings], chdir: [paths], kill: [[pid, signal]]}) and prints one JSON object.
'use strict';
const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const err = (e) => ({ code: e.code, errno: e.errno ?? null, syscall: e.syscall ?? null, message: e.message });
const out = {
  platform: process.platform,
  arch: process.arch,
  execArgv: process.execArgv.length,
  signals: Object.entries(require('os').constants.signals),
  umask: input.umask.map((s) => {
    try {
      const old = process.umask(s);
      const set = process.umask(old);
      return { ok: set };
    } catch (e) { return { err: err(e) }; }
  }),
  chdir: input.chdir.map((p) => {
    try { process.chdir(p); return { ok: process.cwd() }; } catch (e) { return { err: err(e) }; }
  }),
  kill: input.kill.map(([pid, sig]) => {
    try { return { ok: process.kill(pid, sig) }; } catch (e) { return { err: err(e) }; }
  }),
};
process.stdout.write(JSON.stringify(out));
