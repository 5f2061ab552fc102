// Lint fixture: a.ts and b.ts import each other, so import-x/no-cycle must report both (test/server/lint.test.ts).
import { b } from './b.ts';

export const a = () => b() + 1;
