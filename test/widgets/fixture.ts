// Coordinates of the real API server the wtr config started (see web-test-runner.config.mjs).
export interface Fixture {
  url: string;
  demo: { org_id: number; event_id: number; publishable_key: string; secret_key: string };
}

let cached: Promise<Fixture> | null = null;
export function fixtureInfo(): Promise<Fixture> {
  cached ??= fetch('/__pf/fixture.json').then((r) => r.json() as Promise<Fixture>);
  return cached;
}
