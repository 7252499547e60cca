#!/usr/bin/env node
// Launcher: registers the TypeScript loader, then starts the agent.
import { register } from 'tsx/esm/api';

register();
await import('../agent/main.ts');
