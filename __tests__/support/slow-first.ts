// Test files that wait out real production bounds or a real throttling queue start first, so their
// waiting overlaps the rest of the suite instead of adding to it (a fresh clone has no timing cache).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const WAITS_OUT_REAL_BOUNDS = ['__tests__/e2e/storm.test.ts', '__tests__/e2e/production-bounds.test.ts'];

export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (file: TestSpecification) => WAITS_OUT_REAL_BOUNDS.some((path) => file.moduleId.endsWith(path));
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}
