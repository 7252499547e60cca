#!/usr/bin/env node
// Launcher: registers the TypeScript loader, then runs the kubectl plugin.
import { register } from 'tsx/esm/api';

register();
await import('../plugin/main.ts');
