// Prints net.isIP of each line of the file given (JSON strings, one a line).
'use strict';
const net = require('net');
const lines = require('fs').readFileSync(process.argv[2], 'utf8').split('\n').filter((l) => l);
for (const l of lines) console.log(net.isIP(JSON.parse(l)));
