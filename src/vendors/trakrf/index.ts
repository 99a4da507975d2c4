import { Hono } from 'hono';
import type { Vendor } from '../../core/vendor.js';

export const trakrf: Vendor = {
  name: 'trakrf',
  title: 'TrakRF',
  defaultPort: 4400,
  migrate() {},
  parseFixtures: (raw) => raw,
  seed() {},
  app: () => new Hono(),
};
