/** Programmatic entry point: `startFakes()` for real ports, `Suite` for in-process `app.request()`. */
export { startFakes, Suite, vendorByName, VERSION, DEFAULT_SEED } from './suite.js';
export type { StartOptions, SuiteOptions, RunningFakes } from './suite.js';
export { Clock } from './core/clock.js';
export type { Vendor, VendorContext } from './core/vendor.js';
export { vendors } from './vendors/index.js';
export { AdminClient, AdminClientError } from './admin-client.js';
export type { AdminClientOptions, JournalEntry, JournalFilter, Fault, FaultSpec } from './admin-client.js';
