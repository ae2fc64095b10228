// path-resolve: 5M path.resolve calls over a fixed set of arguments.
'use strict';
const { size, over, measured, RESOLVE } = require('./common.js');
const path = require('path').posix;

measured('path-resolve', size(5_000_000), (n) => over(RESOLVE, n, (a) => path.resolve(...a)));
