/** Custom fields, webhook subscriptions and organizations. */
import type { Json, Org, Row } from '../store/index.js';

export const customFieldView = (r: Row): Json => ({
  id: r.id, label: r.data.label, sortOrder: r.data.sortOrder, type: r.data.type, required: r.data.required ?? false,
  unlisted: r.data.unlisted ?? false, options: r.data.options ?? [],
});

export const subscriptionView = (r: Row): Json => ({ id: r.id, type: r.data.type, url: r.data.url, status: r.data.status });

export const organizationView = (o: Org): Json => ({ id: o.id, name: o.name, timeZone: o.timeZone, imageUrl: o.imageUrl, currency: o.currency, dateFormatLocale: o.dateFormatLocale });
