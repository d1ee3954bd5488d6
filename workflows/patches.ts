/**
 * Every `patched()` ID of the case workflow, with the day it was added and when it may go.
 * A patch keeps histories recorded before a change replaying as they ran. It may be removed
 * (with `deprecatePatch` first, then entirely) once no case that started before it is open or
 * within its 30-day reopening window: check with a Temporal visibility query of cases started
 * before the date below, and see docs/development.md, "Versioning".
 */

/** 2026-11-28. Steps are written to the audit trail; cases from before replay without it. */
export const AUDIT_TRAIL_PATCH = 'audit-trail';
/** 2026-11-28. A closed case can be reopened for 30 days; before, its workflow completed at once. */
export const REOPEN_WINDOW_PATCH = 'reopen-window';
/** 2026-11-28. Long cases continue as new; before, they went on in one run. */
export const CONTINUE_AS_NEW_PATCH = 'continue-as-new';
/** 2026-11-28. A reserved bed lapses after 3 days without admission; before, it waited indefinitely. */
export const RESERVATION_LAPSE_PATCH = 'reservation-lapse';
/** 2026-11-28. A home in another province goes by relay; before, such homes were left to Dinsos. */
export const RELAY_PATCH = 'inter-province-relay';
/** 2026-11-28. A person flagged psychiatric or medical starts in the health stage; before, in identification. */
export const MEDICAL_HOLD_PATCH = 'medical-hold';
