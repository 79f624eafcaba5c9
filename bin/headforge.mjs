#!/usr/bin/env node
// `npx headforge` / `headforge`: register tsx so the TypeScript sources run as they are, then start
// the CLI (src/cli/index.ts). Node >= 20.19 (module.register).
import { register } from 'tsx/esm/api';

register();
const { runFromProcess } = await import('../src/cli/index.ts');
await runFromProcess();
