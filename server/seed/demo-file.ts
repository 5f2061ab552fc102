// Where `npm start` keeps the demo's keys (0600). Its own module: the server and the CLI name the file without
// loading the seed (the scene renderer, sharp, the pipeline).
import { join } from 'node:path';

export const demoFile = (dataDir: string) => join(dataDir, 'demo.json');
