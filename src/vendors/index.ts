/** The vendor registry: every vendor the suite can run, in start-up order. */
import type { Vendor } from '../core/vendor.js';
import { maintainx } from './maintainx/index.js';
import { trakrf } from './trakrf/index.js';

export const vendors: Vendor<any, any>[] = [trakrf, maintainx];
