// Test files that must wait out real production bounds start first, so their waiting overlaps
// the rest of the suite instead of adding to it (a fresh clone has no timing cache to go by).
import { BaseSequencer, type TestSpecification } from 'vitest/node';

const WAITS_OUT_REAL_BOUNDS = ['__tests__/e2e/production-bounds.test.ts'];

export class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const slow = (file: TestSpecification) => WAITS_OUT_REAL_BOUNDS.some((path) => file.moduleId.endsWith(path));
    return [...sorted.filter(slow), ...sorted.filter((file) => !slow(file))];
  }
}
