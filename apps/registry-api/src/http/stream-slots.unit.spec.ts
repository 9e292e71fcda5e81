import { StreamSlots } from './stream-slots';

describe('StreamSlots', () => {
  it('grants a caller up to their cap, then refuses naming the caller', () => {
    const slots = new StreamSlots({ perPrincipal: 2, total: 10 });
    expect(slots.take('integrator-shanghai').granted).toBe(true);
    expect(slots.take('integrator-shanghai').granted).toBe(true);
    expect(slots.take('integrator-shanghai')).toEqual({ granted: false, refusal: 'principal-full' });
    expect(slots.take('integrator-suzhou').granted).toBe(true);
  });

  it('refuses everyone once the process serves its total', () => {
    const slots = new StreamSlots({ perPrincipal: 2, total: 3 });
    slots.take('integrator-shanghai');
    slots.take('integrator-shanghai');
    slots.take('integrator-suzhou');
    expect(slots.take('integrator-hangzhou')).toEqual({ granted: false, refusal: 'all-full' });
    expect(slots.openStreams).toBe(3);
  });

  it('frees a slot when released, once however often release is called', () => {
    const slots = new StreamSlots({ perPrincipal: 1, total: 2 });
    const first = slots.take('integrator-shanghai');
    if (!first.granted) throw new Error('the first stream was refused');
    slots.take('integrator-suzhou');
    first.release();
    first.release();
    expect(slots.openStreams).toBe(1);
    expect(slots.take('integrator-shanghai').granted).toBe(true);
    expect(slots.take('integrator-hangzhou')).toEqual({ granted: false, refusal: 'all-full' });
  });
});
