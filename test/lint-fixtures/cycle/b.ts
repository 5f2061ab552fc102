// Lint fixture: the other half of the cycle (see a.ts).
import { a } from './a.ts';

export const b = () => (typeof a === 'function' ? 1 : 0);
