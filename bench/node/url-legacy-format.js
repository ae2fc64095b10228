// url-legacy-format: 1M url.format calls over the parsed fixed set of URLs.
'use strict';
const { size, over, measured, LEGACY_URLS } = require('./common.js');
const url = require('url');

const parsed = LEGACY_URLS.map((s) => url.parse(s));
measured('url-legacy-format', size(1_000_000), (n) => over(parsed, n, (u) => url.format(u)));
