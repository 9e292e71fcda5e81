export default async function globalTeardown(): Promise<void> {
  await (globalThis as { registryTestTeardown?: () => Promise<void> }).registryTestTeardown?.();
}
