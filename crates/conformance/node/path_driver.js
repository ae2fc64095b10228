// Driver for crates/conformance/tests/path_differential.rs: reads call records (the fixture
// format: {"fn": "path.posix.join", "args": [...], "cwd": "..."}) one per line on stdin and
// writes one answer per line: {"result": ...} or {"throws": "CODE"}.
//
// A record's `cwd` stands for process.cwd() during the call; path.js reads process.cwd() at
// call time, so the driver swaps the function in rather than changing directory (the
// directory need not exist, and may be a Windows path).
'use strict';
const path = require('path');
const fs = require('fs');

const realCwd = process.cwd;
const lines = fs.readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (line.length === 0) continue;
  const rec = JSON.parse(line);
  const [, ns, fn] = rec.fn.split('.');
  process.cwd = rec.cwd === undefined ? realCwd : () => rec.cwd;
  let answer;
  try {
    const r = path[ns][fn](...rec.args);
    answer = { result: r === undefined ? null : r };
  } catch (e) {
    answer = { throws: e.code || e.constructor.name };
  }
  process.cwd = realCwd;
  out.push(JSON.stringify(answer));
}
process.stdout.write(out.length ? out.join('\n') + '\n' : '');
