// Column value helpers shared by the store adapters (SQLite and PostgreSQL store booleans as 0/1 and JSON as text).
export const nowIso = () => new Date().toISOString();
export const bool = (v: unknown) => v === 1 || v === true;
export const json = <T>(v: unknown): T | null => (typeof v === 'string' ? (JSON.parse(v) as T) : null);
