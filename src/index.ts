import { run } from './main.js';

await run();
// A retry pause the SDK cannot cancel may still be pending after a deadline gave up:
// end now rather than idle until it fires. Outputs, summary and log are already written.
process.exit();
