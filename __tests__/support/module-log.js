// Preloaded into the action's process (NODE_OPTIONS=--import=<this file>) when MODULE_LOG_FILE
// is set: appends the URL of every module the process loads to that file, one a line, so a
// spec can tell which chunks of dist/ a run loaded.
import { register } from 'node:module';

register('./module-log-hooks.js', import.meta.url, { data: { file: process.env['MODULE_LOG_FILE'] } });
