/** The vendor registry: every vendor the suite can run, in start-up (port) order. */
import type { Vendor } from '../core/vendor.js';
import { machhub } from './machhub/index.js';
import { maintainx } from './maintainx/index.js';
import { maxtrax } from './maxtrax/index.js';
import { trakrf } from './trakrf/index.js';

export const vendors: Vendor<any, any>[] = [maxtrax, machhub, maintainx, trakrf];
