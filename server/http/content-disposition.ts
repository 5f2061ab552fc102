/**
 * A Content-Disposition header value for a file name of any script (RFC 6266, RFC 5987): an ASCII `filename`
 * for old clients (other characters become `_`) and the exact name as UTF-8 in `filename*`. A raw non-Latin name
 * in a header would be refused by Node (a 500).
 */
export function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  if (ascii === name) return `${kind}; filename="${name}"`;
  // RFC 5987 attr-char: encodeURIComponent leaves ' ( ) * ! which must be encoded too.
  const encoded = encodeURIComponent(name).replace(/['()*!]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
