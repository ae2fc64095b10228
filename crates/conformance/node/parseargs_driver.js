// Differential driver for util.parseArgs: reads one JSON config per line on stdin and writes
// Node's answer for each, one JSON line: `{"result": {values, positionals[, tokens]}}` or
// `{"throws": code-or-constructor-name, "message": err.message}`.
//
// JSON.parse makes every key an own data property (`__proto__` included), as a JavaScript
// config object literal built with defineProperty would be; the result is written with
// JSON.stringify, so `values` keys come in JavaScript property order and undefined token
// fields are left out.
'use strict';

const fs = require('fs');
const { parseArgs } = require('util');

const lines = fs.readFileSync(0, 'utf8').split('\n');
const out = [];
for (const line of lines) {
  if (line === '') continue;
  const config = JSON.parse(line);
  let answer;
  try {
    answer = { result: parseArgs(config) };
  } catch (e) {
    answer = { throws: e.code ?? e.name, message: e.message };
  }
  out.push(JSON.stringify(answer));
}
process.stdout.write(out.join('\n') + (out.length ? '\n' : ''));
