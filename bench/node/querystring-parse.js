// querystring-parse: 1M querystring.parse calls over a fixed set of query strings.
'use strict';
const { size, over, measured, QUERIES } = require('./common.js');
const querystring = require('querystring');

measured('querystring-parse', size(1_000_000), (n) =>
  over(QUERIES, n, (s) => querystring.parse(s)),
);
