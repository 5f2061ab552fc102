#!/usr/bin/env node
// `npm run build:wordpress`: dist-wordpress/photo-finish.zip, the WordPress plugin (integrations/wordpress/photo-finish/)
// as WordPress installs it (one top folder, photo-finish/), with languages/photo-finish.pot made from the strings
// the PHP and JavaScript files pass to WordPress's translation functions with the 'photo-finish' domain.
// Prints the zip's path and size.
import { createWriteStream, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import yazl from 'yazl';

const root = join(import.meta.dirname, '..');
const src = join(root, 'integrations/wordpress/photo-finish');
const outDir = join(root, 'dist-wordpress');
const out = join(outDir, 'photo-finish.zip');

const files = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [join(dir, d.name)]));

/** The translatable strings: __(), _e(), esc_html__(), esc_html_e(), esc_attr__(), esc_attr_e() with 'photo-finish'. */
export function potStrings(sources) {
  const found = new Map();
  const call =
    /\b(?:__|_e|esc_html__|esc_html_e|esc_attr__|esc_attr_e)\(\s*(['"])((?:\\.|(?!\1).)*)\1\s*,\s*['"]photo-finish['"]\s*\)/g;
  for (const [file, text] of sources) {
    for (const m of text.matchAll(call)) {
      const s = m[2].replace(/\\(['"\\])/g, '$1');
      const line = text.slice(0, m.index).split('\n').length;
      if (!found.has(s)) found.set(s, []);
      found.get(s).push(`${file}:${line}`);
    }
  }
  return found;
}

const po = (s) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function potFile(strings, version) {
  const head = [
    '# Copyright (C) photo-finish',
    '# This file is distributed under the same licence as the Photo Finish plugin (GPL-2.0-or-later).',
    'msgid ""',
    'msgstr ""',
    `"Project-Id-Version: Photo Finish ${version}\\n"`,
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Content-Transfer-Encoding: 8bit\\n"',
    '"X-Domain: photo-finish\\n"',
    '',
  ];
  const body = [...strings].flatMap(([s, refs]) => [
    `#: ${refs.join(' ')}`,
    ...(s.includes('%') ? ['#, php-format'] : []),
    `msgid ${po(s)}`,
    'msgstr ""',
    '',
  ]);
  return [...head, ...body].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const all = files(src).filter((f) => !f.endsWith('.pot'));
  const version = /^\s*\*\s*Version:\s*(\S+)/m.exec(readFileSync(join(src, 'photo-finish.php'), 'utf8'))[1];
  const strings = potStrings(all.filter((f) => /\.(php|js)$/.test(f)).map((f) => [relative(src, f), readFileSync(f, 'utf8')]));
  const zip = new yazl.ZipFile();
  const mtime = new Date('2026-01-01T00:00:00Z'); // reproducible
  for (const f of all.sort()) zip.addFile(f, `photo-finish/${relative(src, f)}`, { mtime });
  zip.addBuffer(Buffer.from(potFile(strings, version)), 'photo-finish/languages/photo-finish.pot', { mtime });
  mkdirSync(outDir, { recursive: true });
  zip.end();
  await new Promise((resolve, reject) => zip.outputStream.pipe(createWriteStream(out)).on('close', resolve).on('error', reject));
  console.log(
    `${relative(root, out)}: ${statSync(out).size} bytes (${all.length + 1} files, ${strings.size} strings to translate)`,
  );
}
