// `npm start`: the demo. Creates ./data if missing, seeds the demo event once, serves the API, the kit and the
// demo pages, and prints the demo keys. Production serving is `photo-finish serve` (server/run.ts).
import { runServer } from './run.ts';

await runServer('demo');
