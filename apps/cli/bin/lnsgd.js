#!/usr/bin/env node
'use strict';
// Thin shim so the bin link exists before the TypeScript build has run;
// `npm ci` builds dist/ in the root `prepare` script.
void require('../dist/main.js').runCli(process.argv);
