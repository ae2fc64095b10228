// The sync forms' cases: one JSON line each, with the fields child_process_sync.rs compares
// (no pids). Record with: node sync_cases.js > sync_cases.expected
'use strict';
const cp = require('child_process');
const s = (b) => (b == null ? null : b.toString());
const err = (e) => e && { message: e.message, code: e.code ?? null, errno: e.errno ?? null, syscall: e.syscall ?? null, path: e.path ?? null, spawnargs: e.spawnargs ?? null };
const ret = (r) => ({ status: r.status, signal: r.signal, stdout: s(r.stdout), stderr: s(r.stderr), error: err(r.error) ?? null });
const thrown = (f) => {
  try { return { ok: s(f()) }; } catch (e) {
    return { threw: err(e), status: e.status ?? null, signal: e.signal ?? null, stdout: s(e.stdout), stderr: s(e.stderr) };
  }
};
const cases = {
  status_and_both_outputs: () => ret(cp.spawnSync('sh', ['-c', 'echo out; echo err >&2; exit 3'])),
  enoent: () => ret(cp.spawnSync('nope', ['a'])),
  cwd_enoent: () => ret(cp.spawnSync('pwd', [], { cwd: '/nonexistent' })),
  cwd: () => ret(cp.spawnSync('pwd', [], { cwd: '/tmp' })),
  timeout: () => ret(cp.spawnSync('sh', ['-c', 'echo before; exec sleep 5'], { timeout: 200 })),
  timeout_sigkill: () => ret(cp.spawnSync('sleep', ['5'], { timeout: 100, killSignal: 'SIGKILL' })),
  killed_by_a_signal: () => ret(cp.spawnSync('sh', ['-c', 'kill -TERM $$'])),
  input: () => ret(cp.spawnSync('cat', [], { input: 'hello\u00e9' })),
  env_from_process: () => { process.env.CP_SYNC_TEST = 'set in the parent'; return ret(cp.spawnSync('sh', ['-c', 'echo "$CP_SYNC_TEST"'])); },
  env_option: () => ret(cp.spawnSync('sh', ['-c', 'echo "$A-$CP_SYNC_TEST"'], { env: { A: 'only', PATH: process.env.PATH } })),
  shell: () => ret(cp.spawnSync('echo', ['$((2*3))'], { shell: '/bin/sh' })),
  maxbuffer: () => { const r = cp.spawnSync('sh', ['-c', 'yes | head -c 100000'], { maxBuffer: 10 }); return { status: r.status, signal: r.signal, error: err(r.error) }; },
  exec_file_sync_fails: () => thrown(() => cp.execFileSync('sh', ['-c', 'echo o; echo e >&2; exit 2'], { stdio: 'pipe' })),
  exec_file_sync_enoent: () => thrown(() => cp.execFileSync('nope', ['x'], { stdio: 'pipe' })),
  exec_file_sync_no_shell: () => thrown(() => cp.execFileSync('echo', ['; rm -rf /', '$HOME'])),
  exec_sync_ok: () => thrown(() => cp.execSync('echo $((1+2))')),
  exec_sync_fails: () => thrown(() => cp.execSync('echo o; exit 4', { stdio: 'pipe' })),
  exec_sync_signal: () => thrown(() => cp.execSync('kill -KILL $$', { stdio: 'pipe' })),
  // input the child never reads: the write's EPIPE is the result's error.
  epipe_input: () => ret(cp.spawnSync('true', [], { input: 'x'.repeat(1 << 20) })),
  // maxBuffer 0 is no limit in spawnSync; the limit counts stdout and stderr together.
  maxbuffer_zero: () => ret(cp.spawnSync('printf', ['a'], { maxBuffer: 0 })),
  maxbuffer_both: () => { const r = cp.spawnSync('sh', ['-c', 'printf 12345678; sleep 0.2; printf abcdefgh >&2; sleep 5'], { maxBuffer: 12 }); return { signal: r.signal, stdout: s(r.stdout), stderr: s(r.stderr), error: err(r.error) }; },
  // The timeout closes the pipes after its signal: a shell ignoring SIGTERM dies of SIGPIPE.
  timeout_trap: () => ret(cp.spawnSync('sh', ['-c', 'trap "" TERM; sleep 0.5; echo done'], { timeout: 100 })),
  // A script without #! runs through /bin/sh.
  no_shebang: () => ret(cp.spawnSync(`${__dirname}/no_shebang`, ['arg'])),
};
for (const [name, f] of Object.entries(cases)) console.log(JSON.stringify({ case: name, ...f() }));
