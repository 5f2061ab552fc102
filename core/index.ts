export * from './api/envelope.ts';
export * from './api/pagination.ts';
export * from './api/models.ts';
export * from './bib.ts';
export * from './models.ts';
export * from './time.ts';
