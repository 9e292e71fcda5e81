import { relayMessageOf } from './messages';

const base = {
  id: '0190a2b4-1c2d-7e3f-8a9b-0c1d2e3f4a5b',
  streamId: 'unit-0190a2b4-0000-7000-8000-000000000001',
  streamVersion: 1,
  position: 42n,
  type: 'UnitClosed',
  data: { unitId: '0190a2b4-0000-7000-8000-000000000001', effectiveOn: '2024-05-01' },
  recordedAt: new Date('2024-05-02T03:04:05Z'),
};
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('the trace and correlation of a relayed event travel in its headers', () => {
  it('sends traceparent (and the CloudEvents ce_traceparent), ce_correlationid and ce_causationid from its metadata', () => {
    const message = relayMessageOf(
      { ...base, metadata: { actor: 'r', correlationId: 'order-7', causationId: 'req-9', traceparent } },
      'https://registry.example.cn',
    );
    expect(message.headers).toMatchObject({
      traceparent,
      ce_traceparent: traceparent,
      ce_correlationid: 'order-7',
      ce_causationid: 'req-9',
    });
  });

  it('sends none of them for an event recorded without, and never a malformed trace context', () => {
    const bare = relayMessageOf(base, 'https://registry.example.cn').headers;
    const malformed = relayMessageOf(
      { ...base, metadata: { traceparent: '00-00000000000000000000000000000000-00f067aa0ba902b7-01' } },
      'https://registry.example.cn',
    ).headers;
    for (const headers of [bare, malformed])
      expect(Object.keys(headers).filter((name) => /trace|correlation|causation/.test(name))).toEqual([]);
  });
});
