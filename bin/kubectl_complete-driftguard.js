#!/usr/bin/env node
// Launcher for kubectl's plugin completion: `kubectl driftguard <TAB>` runs this executable
// (it must be on PATH under this name; krew does not install it). Registers the TypeScript
// loader, then prints the candidates.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../plugin/complete-main.ts');
await main();
