#!/usr/bin/env node
import { installCrashHandlers, main } from '../dist/src/cli/main.js';

installCrashHandlers(process.argv.includes('--debug'));
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
