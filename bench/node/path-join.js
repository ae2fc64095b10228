// path-join: 5M path.join calls over a fixed set of arguments.
'use strict';
const { size, over, measured, JOIN } = require('./common.js');
const path = require('path').posix;

measured('path-join', size(5_000_000), (n) => over(JOIN, n, (a) => path.join(...a)));
