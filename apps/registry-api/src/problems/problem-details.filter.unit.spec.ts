import { InvalidRequest } from '../http/validation';
import { MAX_LISTED_ERRORS, toProblem } from './problem-details.filter';

const unknownFields = (count: number) =>
  new InvalidRequest(Array.from({ length: count }, (_, i) => ({ field: `field${i}`, reason: 'unknown field' })));

describe('invalid requests as problems', () => {
  it('lists every field error when there are at most 20', () => {
    const { problem } = toProblem(unknownFields(MAX_LISTED_ERRORS))!;
    expect(problem.status).toBe(400);
    expect(problem.errors).toHaveLength(20);
    expect(problem).not.toHaveProperty('moreErrors');
  });

  it('lists the first 20 field errors and counts the rest', () => {
    const { problem } = toProblem(unknownFields(60_000))!;
    expect(problem.errors).toHaveLength(20);
    expect(problem.errors?.[19]).toEqual({ field: 'field19', reason: 'unknown field' });
    expect(problem.moreErrors).toBe(59_980);
  });
});
