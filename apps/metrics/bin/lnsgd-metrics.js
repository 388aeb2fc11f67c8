#!/usr/bin/env node
'use strict';
// Thin shim so the bin link exists before the TypeScript build has run.
void require('../dist/main.js').runMetricsCli(process.argv);
