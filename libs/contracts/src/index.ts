// Public contracts shared with integrators: stream naming, the public events and their JSON Schemas.
export * from './stream-names';
export * from './public-events';
export * from './schemas';
