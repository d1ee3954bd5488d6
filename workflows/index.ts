/** The workflows this worker runs. */
export { ppksCase } from './case.js';
export { alertDelivery } from './alert-delivery.js';
export { auditExport } from './audit-export.js';
