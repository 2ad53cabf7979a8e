// Browsers come from Debian's `chromium` package (/usr/bin/chromium); puppeteer must never try to
// download its own, which fails on machines that reach only the npm and Debian registries.
module.exports = { skipDownload: true };
