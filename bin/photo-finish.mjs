#!/usr/bin/env node
// The photo-finish CLI: loads the TypeScript sources through tsx (a runtime dependency).
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
