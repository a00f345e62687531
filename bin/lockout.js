#!/usr/bin/env node
// Tiny launcher: everything, including the exit code, is decided in src/main.ts.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
