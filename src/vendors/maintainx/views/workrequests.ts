/** Work requests (with their asset, location and work order when expanded) and work request portals. */
import type { Json } from '../store/index.js';
import { embedAssetAndLocation, fileFields, type View } from './common.js';
import { fullWorkOrderView } from './workorders.js';

export const workRequestView: View = (mx, origin, r, _mode, expand) => {
  const d = r.data;
  const o: Json = {
    id: r.id, title: d.title, priority: d.priority ?? 'NONE', description: d.description ?? null, requestStatus: d.requestStatus,
    assetId: d.assetId ?? null, locationId: d.locationId ?? null, workOrderId: d.workOrderId ?? null, sendEmailNotification: false,
    approverTeamId: d.approverTeamId ?? null, creatorContactInfo: d.creatorContactInfo ?? null, createdAt: r.createdAt, updatedAt: r.updatedAt,
    ...fileFields(mx, origin, r),
  };
  if (o.thumbnail === null) delete o.thumbnail; // not nullable in the schema
  if (expand.has('extra_fields')) o.extraFields = d.extraFields ?? {};
  embedAssetAndLocation(mx, o, r, expand);
  if (expand.has('work_order') && typeof d.workOrderId === 'number') {
    const w = mx.store.records.get('workOrder', d.workOrderId, [r.orgId]);
    if (w) o.workOrder = fullWorkOrderView(mx, origin, w);
  }
  return o;
};

export const portalView: View = (_mx, _origin, r) => ({
  id: r.id, title: r.data.title, portalUrl: r.data.portalUrl, welcomeText: r.data.welcomeText ?? null, descriptionPlaceholder: r.data.descriptionPlaceholder ?? null,
  contactInformation: r.data.contactInformation ?? null, assetId: r.data.assetId ?? null, locationId: r.data.locationId ?? null,
  emailOnly: r.data.emailOnly ?? false, sendEmailNotification: r.data.sendEmailNotification ?? false,
});
