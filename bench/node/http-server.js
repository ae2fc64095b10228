// What the Node side of the http workloads can share: starting a contract twin and reading its
// banner, and wrk (64 connections, one wrk thread, as crates/bench/src/net.rs runs it).
// http-cluster and http-hello use it.
'use strict';
const { spawn, spawnSync } = require('child_process');
const readline = require('readline');

const CONNECTIONS = 64;

/** Starts `node script args...`; resolves to { child, port } at its banner. */
function start(script, args) {
  const child = spawn(process.execPath, [script, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      const m = /^listening on (\d+)$/.exec(line);
      if (m) resolve({ child, port: Number(m[1]) });
      else reject(new Error('not a banner: ' + line));
    });
    child.once('exit', (code) => reject(new Error('the twin exited with ' + code)));
  });
}

/** wrk's req/s and p99 (ms), as net.rs's parse_wrk reads them. */
function wrk(port, secs) {
  const out = spawnSync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${secs}s`, '--latency',
    `http://127.0.0.1:${port}/`], { encoding: 'utf8' });
  if (out.error) {
    throw new Error(`cannot run wrk (${out.error.message}): apt-get install wrk`);
  }
  const text = out.stdout;
  if (out.status !== 0 || /Non-2xx|Socket errors/.test(text)) {
    throw new Error('wrk failed or saw errors:\n' + text);
  }
  const rps = /Requests\/sec:\s*([\d.]+)/.exec(text);
  const p99 = /^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$/m.exec(text);
  if (!rps || !p99) throw new Error("cannot read wrk's report:\n" + text);
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60000 }[p99[2]];
  return { reqPerSec: Number(rps[1]), p99Ms: Number(p99[1]) * scale };
}

module.exports = { start, wrk };
