// Public contracts shared with integrators: stream naming now; versioned event schemas with the integration issue.
export * from './stream-names';
