import { availableParallelism } from 'node:os';

/**
 * How many photos a process ingests at once: one per core. A module of its own so that the job handlers can name it
 * without loading the pipeline (sharp and the vision stages load with the first photo, not at start).
 */
export const defaultConcurrency = () => Math.max(1, availableParallelism());
